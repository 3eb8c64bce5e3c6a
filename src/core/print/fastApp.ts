/**
 * Application texts of the printer's byte path written as bytes: what printSsh, printSmtp, printFtp
 * and printHttp (print/app/) return, copied from the payload straight into the line. Why: their string printers build
 * the text a character at a time (String.fromCharCode and +=) and LineBytes encodes it again; on the
 * bench's real file the SMTP-over-IPv6 and SSH-version lines cost about 2 µs each, three times a plain
 * TCP line, and were 9 % of the printing loop for 3 % of its packets. Their bytes are printable ASCII
 * (and tabs), so the text is the payload's bytes.
 *
 * Equality with the string printers is checked on every corpus capture and on generated payloads
 * (test/print-fast.test.ts).
 */

import type { AppPrinter } from './app/index';
import { printFtp } from './app/ftp';
import { HTTP_CMDS, printHttp } from './app/http';
import { fetchToken, isCode, isCommand, Token } from './app/txtproto';
import { printSmtp } from './app/smtp';
import { printSsh } from './app/ssh';
import { ascii } from './byteText';
import type { LineBytes } from './fast';

const SSH_ = ascii(': SSH: ');
const SSH_TRUNC = ascii(' [|ssh]');
const SMTP = ascii(': SMTP');
const SMTP_TRUNC = ascii(' [|smtp]');
const FTP = ascii(': FTP');
const FTP_TRUNC = ascii(' [|ftp]');
const HTTP = ascii(': HTTP');
const HTTP_TRUNC = ascii(' [|http]');

/** The application printer's text can be written here (without -v, which the byte path never has). */
export function appBytesKnown(app: AppPrinter): boolean {
  return app === printSsh || app === printSmtp || app === printFtp || app === printHttp;
}

/**
 * Writes `app`'s text for the payload d[off, off + len) captured to `cap` (≤ off + len) and returns
 * true, or writes nothing and returns false when appBytesKnown(app) is false.
 */
export function putAppBytes(out: LineBytes, app: AppPrinter, d: Uint8Array, off: number, len: number, cap: number): boolean {
  if (app === printSsh) putSsh(out, d, off, len, cap);
  else if (app === printSmtp) putTxtLine(out, d, off, len, cap, SMTP, SMTP_TRUNC);
  else if (app === printFtp) putTxtLine(out, d, off, len, cap, FTP, FTP_TRUNC);
  else if (app === printHttp) putHttp(out, d, off, len, cap);
  else return false;
  return true;
}

/** Copies d[a, z) (printable ASCII, checked by the caller). */
function copy(out: LineBytes, d: Uint8Array, a: number, z: number): void {
  out.ensure(z - a + 64);
  out.buf.set(d.subarray(a, z), out.pos);
  out.pos += z - a;
}

/** printSsh: the version line after a "SSH-" start, " [|ssh]" when cut, else nothing. */
function putSsh(out: LineBytes, d: Uint8Array, off: number, len: number, cap: number): void {
  for (let i = 0; i < 4; i++) {
    if (off + i >= cap) return out.bytes(SSH_TRUNC);
    if (d[off + i] !== (i === 3 ? 0x2d : i === 2 ? 0x48 : 0x53)) return;
  }
  // each step reads one byte: at most len steps
  for (let idx = 4; idx < len; idx++) {
    if (off + idx >= cap) return out.bytes(SSH_TRUNC);
    const c = d[off + idx];
    if (c === 0x0a || (c === 0x0d && idx + 1 < len && off + idx + 1 < cap && d[off + idx + 1] === 0x0a)) {
      out.bytes(SSH_);
      return copy(out, d, off, off + idx);
    }
    if (c === 0x0d) {
      if (idx + 1 >= len) return;
      if (off + idx + 1 >= cap) return out.bytes(SSH_TRUNC);
      return;
    }
    if (c < 0x20 || c > 0x7e) return;
  }
}

/**
 * printTxtLines (print/app/ftp.ts) without -v: ": NAME", then ": " and the first line when the payload
 * starts with one (printable or tab up to LF or CR LF; up to the payload's end, then the cut mark),
 * the cut mark when the capture ends first.
 */
function putTxtLine(out: LineBytes, d: Uint8Array, off: number, len: number, cap: number, name: Uint8Array, trunc: Uint8Array): void {
  out.bytes(name);
  const end = off + len;
  for (let idx = off; idx < end; idx++) {
    if (idx >= cap) return out.bytes(trunc);
    const c = d[idx];
    if (c === 0x0a) return putLine(out, d, off, idx);
    if (c === 0x0d) {
      if (idx + 1 >= end) return;
      if (idx + 1 >= cap) return out.bytes(trunc);
      if (d[idx + 1] === 0x0a) return putLine(out, d, off, idx);
      return;
    }
    if ((c < 0x20 || c > 0x7e) && c !== 0x09) return;
  }
  putLine(out, d, off, end);
  out.bytes(trunc);
}

function putLine(out: LineBytes, d: Uint8Array, a: number, z: number): void {
  out.ensure(2);
  out.buf[out.pos++] = 0x3a;
  out.buf[out.pos++] = 0x20;
  copy(out, d, a, z);
}

/** Where fetchToken left the token (reused: one line at a time). */
const token: Token = { start: 0, end: 0 };

/**
 * printHttp without -v (txtproto.ts's printTxtProto with HTTP's requests, the response code second):
 * ": HTTP", then ": " and the first line when the payload starts with a request or a response line
 * (printable or tab up to LF or CR LF, or up to the payload's end), " [|http]" when the capture ends
 * inside the line. 834 of the real file's packets (its HTTP capture); a third of the realistic file's.
 */
function putHttp(out: LineBytes, d: Uint8Array, off: number, len: number, cap: number): void {
  out.bytes(HTTP);
  let idx = fetchToken(d, off, 0, len, cap, token);
  if (idx === 0) return;
  let printThis = isCommand(d, token, HTTP_CMDS);
  idx = fetchToken(d, off, idx, len, cap, token);
  if (idx !== 0 && isCode(d, token)) printThis = true;
  if (!printThis) return;
  // print_txt_line from the payload's start
  for (let i = 0; i < len; i++) {
    if (off + i >= cap) return out.bytes(HTTP_TRUNC);
    const c = d[off + i];
    if (c === 0x0a) return putLine(out, d, off, off + i);
    if (c === 0x0d) {
      if (i + 1 >= len) return;
      if (off + i + 1 >= cap) return out.bytes(HTTP_TRUNC);
      if (d[off + i + 1] === 0x0a) return putLine(out, d, off, off + i);
      return;
    }
    if ((c < 0x20 || c > 0x7e) && c !== 0x09) return;
  }
  // printable to the payload's end without a line end: printed, no cut mark (txtproto.ts follows tcpdump's HEAD)
  putLine(out, d, off, off + len);
}
