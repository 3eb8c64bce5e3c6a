/**
 * SSH as tcpdump 4.99.3 prints it (print-ssh.c): only the version line, ": SSH: SSH-2.0-OpenSSH_8.9p1",
 * when the payload starts with "SSH-" and the line ends (LF or CR LF) inside it with printable
 * characters only; anything else (binary packets, a line without its end, a CR not followed by LF)
 * prints nothing. A read past the captured bytes prints " [|ssh]". Checked against the installed
 * tcpdump on generated captures and the corpus's ssh and mptcp-v0 tests (test/app-more.test.ts).
 */

import type { AppTransport } from '../../decode/app/index';
import type { DecodedPacket } from '../../decode/packet';
import { l4CapEnd } from '../../decode/tcp';
import type { PrintContext } from '../context';

const TRUNC = ' [|ssh]';
/** "SSH-" */
const MAGIC = [0x53, 0x53, 0x48, 0x2d];

export function printSsh(pkt: DecodedPacket, _ctx: PrintContext, off: number, len: number, _t: AppTransport): string {
  const d = pkt.data;
  const cap = l4CapEnd(pkt);
  // ssh_print_version: GET_U_1 of the four magic bytes (bounded by the capture, not by the length)
  for (let i = 0; i < 4; i++) {
    if (off + i >= cap) return TRUNC;
    if (d[off + i] !== MAGIC[i]) return '';
  }
  // each step reads one byte: at most len steps
  for (let idx = 4; idx < len; idx++) {
    if (off + idx >= cap) return TRUNC;
    const c = d[off + idx];
    if (c === 0x0a) return ': SSH: ' + text(d, off, idx);
    if (c === 0x0d) {
      if (idx + 1 >= len) return '';
      if (off + idx + 1 >= cap) return TRUNC;
      if (d[off + idx + 1] === 0x0a) return ': SSH: ' + text(d, off, idx);
      return '';
    }
    if (c < 0x20 || c > 0x7e) return '';
  }
  return '';
}

function text(d: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(d[off + i]);
  return s;
}
