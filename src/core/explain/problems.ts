/**
 * The sentences of the connection problems (src/core/tcp/summary.ts finds them; a Problem carries
 * its kind and parameters, no text). One sentence or two: what happened, then what to check.
 * Used by the diagnostics and connection documents of the extension (vscode.l10n.t), the CLI's
 * `conns` table and JSON (English, or the zh-cn bundle read by src/node/l10n.ts) and the capture
 * editor's connection list (through ConnJson).
 *
 * Localisation as in the rest of src/core/explain (./l10n.ts): the English template is the key of
 * l10n/bundle.l10n.zh-cn.json and every t() takes a string literal. A sentence that names the
 * client or the server has one template for each, so a translation never has to assemble a
 * sentence from a role word (Chinese puts it elsewhere in the sentence).
 *
 * A new kind: its parameters go into ProblemParams (src/core/tcp/types.ts); the compiler then asks
 * for it in KINDS there, in the switch below and in test/explain.test.ts's SAMPLES. Its Simplified
 * Chinese sentence goes into l10n/bundle.l10n.zh-cn.json (test/explain.test.ts finds every t() key
 * here and fails on a missing or stale translation).
 */

import type { Problem } from '../tcp/types';
import type { Translate } from './l10n';

/** Percentage with 1 decimal below 10 % and none from 10 % ("2.5", "33"). */
function pct(n: number, total: number): string {
  const v = (100 * n) / total;
  return v >= 10 ? v.toFixed(0) : v.toFixed(1);
}

/** The explanation and advice of a problem, in the language of `t`. */
export function problemText(p: Problem, t: Translate): string {
  switch (p.kind) {
    case 'refused':
      return t(
        'Connection refused: {0} answered the SYN with a reset. Nothing accepts connections on that port (service down or wrong port), or a firewall rejects them; check that the service is running and listening on this address and port.',
        p.params.server,
      );
    case 'no-answer': {
      const { syns, server } = p.params;
      return syns === 1
        ? t(
            'No answer: the client sent 1 SYN to {0} and nothing came back. The host may be down or unreachable, or a firewall silently drops the packets; check routing and firewall rules (or the capture stopped too early).',
            server,
          )
        : t(
            'No answer: the client sent {0} SYNs to {1} and nothing came back. The host may be down or unreachable, or a firewall silently drops the packets; check routing and firewall rules.',
            syns,
            server,
          );
    }
    case 'reset': {
      const { side, endpoint, state, afterFin } = p.params;
      if (afterFin) {
        return side === 0
          ? t('Reset by the client ({0}) in {1}, after both sides had already sent FIN. This abortive ending is usually harmless (the data was already exchanged).', endpoint, state)
          : t('Reset by the server ({0}) in {1}, after both sides had already sent FIN. This abortive ending is usually harmless (the data was already exchanged).', endpoint, state);
      }
      return side === 0
        ? t(
            'Reset by the client ({0}) in {1}: the connection was aborted instead of being closed normally. Look at the client application\'s logs around this time for an error, a timeout or a crash.',
            endpoint,
            state,
          )
        : t(
            'Reset by the server ({0}) in {1}: the connection was aborted instead of being closed normally. Look at the server application\'s logs around this time for an error, a timeout or a crash.',
            endpoint,
            state,
          );
    }
    case 'half-open':
      return t(
        'Half-open: {0} answered with SYN+ACK but never got the client\'s final ACK, so it is left in SYN_RCVD. The client may be gone or its packets lost; many of these at once suggest a SYN flood.',
        p.params.server,
      );
    case 'syn-flood':
      return t(
        'Possible SYN flood: {0} connections to {1} were left half-open. Many clients send SYNs and never complete the handshake; enable SYN cookies (net.ipv4.tcp_syncookies), enlarge the SYN backlog and filter the sources upstream.',
        p.params.halfOpen,
        p.params.server,
      );
    case 'close-wait':
      return p.params.side === 0
        ? t(
            'Stuck in CLOSE_WAIT: the server closed its side (FIN) but the client ({0}) never closed its own. This is usually an application that does not close its socket; make sure every code path closes the connection.',
            p.params.endpoint,
          )
        : t(
            'Stuck in CLOSE_WAIT: the client closed its side (FIN) but the server ({0}) never closed its own. This is usually an application that does not close its socket; make sure every code path closes the connection.',
            p.params.endpoint,
          );
    case 'fin-wait-2':
      return p.params.side === 0
        ? t(
            'FIN_WAIT_2 left hanging: the client ({0}) closed its side and the server acknowledged it, but the server never sent its own FIN. The client waits until its FIN_WAIT_2 timeout (tcp_fin_timeout on Linux); the fix is usually on the server side.',
            p.params.endpoint,
          )
        : t(
            'FIN_WAIT_2 left hanging: the server ({0}) closed its side and the client acknowledged it, but the client never sent its own FIN. The server waits until its FIN_WAIT_2 timeout (tcp_fin_timeout on Linux); the fix is usually on the client side.',
            p.params.endpoint,
          );
    case 'retransmissions': {
      const { retransmitted, segments } = p.params;
      return t(
        '{0} of {1} data segments were retransmitted ({2}%). Packets are being lost or badly delayed on the path; check for congestion, a faulty link or an overloaded device.',
        retransmitted,
        segments,
        pct(retransmitted, segments),
      );
    }
    case 'zero-window':
      return p.params.side === 0
        ? t(
            'The client ({0}) advertised a zero window: its application is not reading the received data fast enough, so the sender has to pause. Check the receiving application for stalls or slow processing.',
            p.params.endpoint,
          )
        : t(
            'The server ({0}) advertised a zero window: its application is not reading the received data fast enough, so the sender has to pause. Check the receiving application for stalls or slow processing.',
            p.params.endpoint,
          );
    case 'lost-at-start':
      return t(
        'Segments are missing at the start: the capture began after this connection was already running (or dropped its first packets), so its sequence analysis and states are partly inferred.',
      );
  }
}

/** The severity as a word of the user's language ("error", "warning", "info"). */
export function severityText(severity: Problem['severity'], t: Translate): string {
  switch (severity) {
    case 'error':
      return t('error');
    case 'warning':
      return t('warning');
    case 'info':
      return t('info');
  }
}
