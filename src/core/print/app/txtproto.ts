/**
 * tcpdump's txtproto_print (util-print.c), shared by its text-protocol printers (HTTP, FTP, SMTP,
 * RTSP, …): "HTTP: GET / HTTP/1.1" — the protocol name in capitals and the first line; with -v
 * "HTTP, length: 202" and every printable line on its own "\n\t" line until a non-text byte.
 *
 * One forward pass over the payload; no regular expressions.
 */

import type { DecodedPacket } from '../../decode/packet';
import { l4CapEnd } from '../../decode/tcp';
import type { PrintContext } from '../context';

/** tcpdump's MAX_TOKEN: longer first tokens are not commands. */
const MAX_TOKEN = 128;
/** txtproto flag: the response code is the second token ("HTTP/1.1 200 OK"), not the first ("220 ready"). */
export const RESP_CODE_SECOND_TOKEN = 1;

function isPrint(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/** fetch_token: the token at idx (upper-cased copy not needed: compared case-insensitively); next index or 0. */
function fetchToken(d: Uint8Array, base: number, idx: number, len: number, snapend: number, out: { tok: string }): number {
  let tok = '';
  for (; idx < len; idx++) {
    if (base + idx >= snapend) return 0;
    const c = d[base + idx];
    if (c >= 0x80) return 0;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (!isPrint(c)) return 0;
    if (tok.length + 2 > MAX_TOKEN + 1) return 0;
    tok += String.fromCharCode(c);
  }
  if (tok.length === 0) return 0;
  out.tok = tok;
  for (; idx < len; idx++) {
    if (base + idx >= snapend) break;
    const c = d[base + idx];
    if (c === 0x0d || c === 0x0a) break;
    if (!isPrint(c)) break;
    if (c !== 0x20 && c !== 0x09) break;
  }
  return idx;
}

/** Result of printTxtLine: the text printed, the index after the line (0: stop), and whether the capture ended first. */
interface LineOut {
  s: string;
  trunc: boolean;
}

/** print_txt_line: one printable line from idx (prefix + text); returns the index after its end, or 0 to stop. */
function printTxtLine(d: Uint8Array, base: number, prefix: string, idx: number, len: number, snapend: number, out: LineOut): number {
  const start = idx;
  let linelen: number;
  while (idx < len) {
    if (base + idx >= snapend) {
      out.trunc = true;
      return 0;
    }
    const c = d[base + idx];
    if (c === 0x0a) {
      linelen = idx - start;
      idx++;
      out.s += prefix + text(d, base + start, linelen);
      return idx;
    } else if (c === 0x0d) {
      if (idx + 1 >= len) return 0;
      if (base + idx + 1 >= snapend) {
        out.trunc = true;
        return 0;
      }
      if (d[base + idx + 1] === 0x0a) {
        linelen = idx - start;
        idx += 2;
        out.s += prefix + text(d, base + start, linelen);
        return idx;
      }
      return 0;
    } else if (!isPrint(c) && c !== 0x09) {
      return 0;
    }
    idx++;
  }
  // printable to the end of the payload without a line ending: printed as it is. (tcpdump 4.99.3 adds
  // " [|http]" here; HEAD, whose text the corpus's .out files hold, does not: we follow HEAD.)
  out.s += prefix + text(d, base + start, idx - start);
  return 0;
}

function text(d: Uint8Array, a: number, n: number): string {
  let s = '';
  for (let i = a; i < a + n; i++) s += String.fromCharCode(d[i]);
  return s;
}

/**
 * txtproto_print: `name` is tcpdump's ndo_protocol ("http"), printed in capitals; `cmds` the
 * request names (case-insensitive) or null for protocols that are all request/response lines
 * (FTP). The text starts with the protocol name (the TCP printer adds ": " before it).
 */
export function printTxtProto(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, name: string, cmds: ReadonlySet<string> | null, flags = 0): string {
  const d = pkt.data;
  const snapend = l4CapEnd(pkt);
  let printThis = false;
  if (cmds !== null) {
    const t = { tok: '' };
    let idx = fetchToken(d, off, 0, len, snapend, t);
    if (idx !== 0) {
      if (cmds.has(t.tok.toUpperCase())) printThis = true;
      if (flags & RESP_CODE_SECOND_TOKEN) idx = fetchToken(d, off, idx, len, snapend, t);
      if (idx !== 0) {
        const k = t.tok;
        if (k.length === 3 && k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57 && k.charCodeAt(1) >= 48 && k.charCodeAt(1) <= 57 && k.charCodeAt(2) >= 48 && k.charCodeAt(2) <= 57) printThis = true;
      }
    }
  } else printThis = true;
  const out: LineOut = { s: name.toUpperCase(), trunc: false };
  if (printThis) {
    if (ctx.opts.verbose) {
      out.s += ', length: ' + len;
      // each line moves idx forward by ≥ 1 byte: at most len iterations
      for (let idx = 0; idx < len; ) {
        const eol = printTxtLine(d, off, '\n\t', idx, len, snapend, out);
        if (eol === 0) break;
        idx = eol;
      }
    } else printTxtLine(d, off, ': ', 0, len, snapend, out);
  }
  if (out.trunc) out.s += ' [|' + name + ']';
  return out.s;
}
