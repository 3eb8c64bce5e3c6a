/**
 * FTP control lines as tcpdump 4.99.3 prints them: print-ftp.c is txtproto_print(ndo, bp, length,
 * NULL, 0) (util-print.c), after tcp_print's ": ". Checked against the installed tcpdump on generated
 * captures (test/app-ftp.test.ts):
 * - without -v: "FTP: <first line>" — the line without its CR LF / LF, never cut (a 300-byte line
 *   prints whole); when the payload is not printable text (a byte outside 0x20–0x7e other than tab,
 *   or a CR not followed by LF) just "FTP"; text running to the end of the payload without a line
 *   end is printed followed by " [|ftp]";
 * - with -v: "FTP, length: N" and then every line as "\n\t<line>" until the first non-text line;
 * - bytes past the capture length: tcpdump's GET_U_1 stops at them with " [|ftp]" (nothing of the
 *   unfinished line is printed).
 * h16's print/app/txtproto.ts is the shared printer for HTTP/SMTP; this one has no command list (FTP
 * prints every payload), so it stands alone and the merger may point it at printTxtProto later.
 */

import type { DecodedPacket } from '../../decode/packet';
import type { AppTransport } from '../../decode/app/index';
import type { PrintContext } from '../context';

const TRUNC = ' [|ftp]';

/** Result of printing one line: the text (prefix included) and where the next line starts (0: stop). */
interface TxtLine {
  s: string;
  next: number;
  trunc: boolean;
}

/** util-print.c print_txt_line over d[idx, len) with the capture ending at `cap` (absolute offsets). */
function txtLine(d: Uint8Array, prefix: string, idx: number, len: number, cap: number, out: TxtLine): void {
  const start = idx;
  out.s = '';
  out.next = 0;
  out.trunc = false;
  while (idx < len) {
    if (idx >= cap) {
      out.trunc = true;
      return;
    }
    const c = d[idx];
    if (c === 0x0a) {
      out.s = prefix + latin1(d, start, idx);
      out.next = idx + 1;
      return;
    }
    if (c === 0x0d) {
      if (idx + 1 >= len) return;
      if (idx + 1 >= cap) {
        out.trunc = true;
        return;
      }
      if (d[idx + 1] === 0x0a) {
        out.s = prefix + latin1(d, start, idx);
        out.next = idx + 2;
        return;
      }
      return;
    }
    if ((c < 0x20 || c > 0x7e) && c !== 0x09) return;
    idx++;
  }
  out.s = prefix + latin1(d, start, idx);
  out.trunc = true;
}

function latin1(d: Uint8Array, a: number, b: number): string {
  let s = '';
  // printable ASCII and tab only (txtLine checked every byte), so one char per byte
  for (let i = a; i < b; i++) s += String.fromCharCode(d[i]);
  return s;
}

/** tcpdump's txtproto_print for a protocol without a command list; returns what follows "length N". */
export function printTxtLines(pkt: DecodedPacket, verbose: boolean, off: number, len: number, name: string, trunc: string): string {
  const d = pkt.data;
  const end = off + len;
  const cap = pkt.caplen < end ? pkt.caplen : end;
  const line: TxtLine = { s: '', next: 0, trunc: false };
  if (!verbose) {
    txtLine(d, ': ', off, end, cap, line);
    return ': ' + name + line.s + (line.trunc ? trunc : '');
  }
  let s = ': ' + name + ', length: ' + len;
  // each line is ≥ 1 byte, so at most len iterations
  for (let idx = off; idx < end; ) {
    txtLine(d, '\n\t', idx, end, cap, line);
    s += line.s;
    if (line.trunc) return s + trunc;
    if (line.next === 0) break;
    idx = line.next;
  }
  return s;
}

/** The AppPrinter for port 21 (TCP): ": FTP: USER anonymous". */
export function printFtp(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, _transport: AppTransport): string {
  return printTxtLines(pkt, ctx.opts.verbose > 0, off, len, 'FTP', TRUNC);
}
