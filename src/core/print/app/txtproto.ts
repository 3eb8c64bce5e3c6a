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

/** Where fetchToken found its token: pkt.data[start, end). */
export interface Token {
  start: number;
  end: number;
}

/**
 * fetch_token: the token at idx, its place left in `out` (no string is built: most payloads on a text
 * protocol's port are not a command, and building each token cost 14 % of `print` over port-80 data);
 * returns the index after the token and its blanks, or 0 when there is no token.
 */
export function fetchToken(d: Uint8Array, base: number, idx: number, len: number, snapend: number, out: Token): number {
  const start = idx;
  for (; idx < len; idx++) {
    if (base + idx >= snapend) return 0;
    const c = d[base + idx];
    if (c >= 0x80) return 0;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (!isPrint(c)) return 0;
    if (idx - start + 2 > MAX_TOKEN + 1) return 0;
  }
  if (idx === start) return 0;
  out.start = base + start;
  out.end = base + idx;
  for (; idx < len; idx++) {
    if (base + idx >= snapend) break;
    const c = d[base + idx];
    if (c === 0x0d || c === 0x0a) break;
    if (!isPrint(c)) break;
    if (c !== 0x20 && c !== 0x09) break;
  }
  return idx;
}

/** Longest command name of each command set, so longer tokens are not looked up. */
const longest = new WeakMap<ReadonlySet<string>, number>();

/** The token is one of `cmds`, compared case-insensitively (tcpdump's strcasecmp). */
export function isCommand(d: Uint8Array, t: Token, cmds: ReadonlySet<string>): boolean {
  let max = longest.get(cmds);
  if (max === undefined) {
    max = 0;
    for (const c of cmds) if (c.length > max) max = c.length;
    longest.set(cmds, max);
  }
  if (t.end - t.start > max) return false;
  let s = '';
  for (let i = t.start; i < t.end; i++) {
    const c = d[i];
    s += String.fromCharCode(c >= 0x61 && c <= 0x7a ? c - 32 : c);
  }
  return cmds.has(s);
}

/** Three decimal digits (a response code). */
export function isCode(d: Uint8Array, t: Token): boolean {
  return t.end - t.start === 3 && isDigit(d[t.start]) && isDigit(d[t.start + 1]) && isDigit(d[t.start + 2]);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
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
    const t: Token = { start: 0, end: 0 };
    let idx = fetchToken(d, off, 0, len, snapend, t);
    if (idx !== 0) {
      if (isCommand(d, t, cmds)) printThis = true;
      if (flags & RESP_CODE_SECOND_TOKEN) idx = fetchToken(d, off, idx, len, snapend, t);
      if (idx !== 0 && isCode(d, t)) printThis = true;
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
