/**
 * The sentences of live capture's failures (issue 16), each with its fix; tcpdump's own message
 * is quoted in every one. English here, Chinese in l10n/bundle.l10n.zh-cn.json (vscode.l10n.t).
 */
import * as vscode from 'vscode';
import type { TcpdumpFailure } from '../../node/tcpdump';

export function failureText(f: TcpdumpFailure, iface?: string): string {
  const t = vscode.l10n.t;
  switch (f.kind) {
    case 'missing':
      return t(
        'tcpdump is not installed (or not on the PATH): {0}. Install it: sudo apt-get install tcpdump (Debian, Ubuntu), sudo dnf install tcpdump (Fedora, RHEL), sudo apk add tcpdump (Alpine); macOS has it. Or set captureLens.capture.tcpdumpPath.',
        f.message,
      );
    case 'permission':
      return t(
        'tcpdump may not capture here: {0}. Capturing needs root or the capture capabilities: run VS Code (or its remote server) as root, or give tcpdump the capabilities with sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump), or add your user to the capture group (pcap or wireshark on many systems) and log in again.',
        f.message,
      );
    case 'interface':
      return t('The interface {0} is not there (any more) or is down: {1}. Choose another with Capture Lens: Start Capture….', iface ?? '', f.message);
    case 'filter':
      return t('tcpdump does not accept the capture filter: {0}', f.message);
    default:
      return t('tcpdump stopped: {0}', f.message || t('no message'));
  }
}
