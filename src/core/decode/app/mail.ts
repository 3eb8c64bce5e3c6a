/**
 * The mail protocols' text lines, one TCP segment at a time: SMTP (RFC 5321; ports 25 and 587),
 * POP3 (RFC 1939; port 110) and IMAP (RFC 9051; port 143). Each line's command / reply parts with
 * their byte ranges and Wireshark's field names, so the tshark check (test/app-more.test.ts) compares
 * them:
 * - SMTP: a request's first line gives smtp.req.command and smtp.req.parameter; every reply line gives
 *   smtp.rsp.parameter, the first one also smtp.response.code (as tshark 4.0 reports them). A client
 *   line whose first word is not a command (the message after DATA) is message text, not a command.
 * - POP3: pop.request.command / pop.request.parameter, pop.response.indicator (+OK, -ERR) and
 *   pop.response.description, first line only.
 * - IMAP: imap.request (the line), imap.request_tag, imap.request.command; a reply's tagged line
 *   ("a001 OK …") gives imap.response, imap.response_tag and imap.response.status; untagged lines
 *   ("* 18 EXISTS") are lines only, as in Wireshark.
 * Direction is by port (to the server's port: a request). A line is only decoded once its line end is
 * in the segment (Wireshark waits for it across segments; we say "continues in the next segment").
 * One pass over the payload; lines bounded by MAX_LINES. Never throws.
 */

import type { FieldSink } from '../fields';
import type { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';
import { ftpRaw, ftpText } from './ftp';

export const SMTP_PORT = 25;
export const SUBMISSION_PORT = 587;
export const POP3_PORT = 110;
export const IMAP_PORT = 143;

/** Lines walked in one segment (a 64 KiB segment of empty lines would be 32768; the tree stays readable). */
const MAX_LINES = 256;
/** Lines joined into an Info summary. */
const INFO_LINES = 8;

/** One text line of a segment: [start, textEnd) is the text, `next` the start of the next line. */
export interface TextLine {
  start: number;
  textEnd: number;
  next: number;
  /** The line ends with LF (or CR LF) inside the segment. */
  complete: boolean;
}

/** The line at `start` (< end): text up to CR LF or LF. */
export function textLine(d: Uint8Array, start: number, end: number): TextLine {
  let e = start;
  while (e < end && d[e] !== 0x0a) e++;
  if (e >= end) return { start, textEnd: end, next: end, complete: false };
  const textEnd = e > start && d[e - 1] === 0x0d ? e - 1 : e;
  return { start, textEnd, next: e + 1, complete: true };
}

/** End of the first word of [a, b) (a space or tab ends it). */
function wordEnd(d: Uint8Array, a: number, b: number): number {
  while (a < b && d[a] !== 0x20 && d[a] !== 0x09) a++;
  return a;
}

function skipSpaces(d: Uint8Array, a: number, b: number): number {
  while (a < b && d[a] === 0x20) a++;
  return a;
}

function capEnd(pkt: DecodedPacket, off: number, len: number): number {
  const e = off + len;
  return e < pkt.caplen ? e : pkt.caplen;
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Which of the two ports is the server's: true when the segment goes to it (a request). */
function toServer(pkt: DecodedPacket, ports: readonly number[]): boolean {
  return ports.includes(pkt.l4.dport) || !ports.includes(pkt.l4.sport);
}

/** A text field of [a, b): display with controls escaped, value byte for byte. */
function textField(sink: FieldSink, name: string, label: string, d: Uint8Array, a: number, b: number): void {
  const shown = ftpText(d, a, b - a);
  sink.field(name, label + ': ' + shown, a, b - a, ftpRaw(d, a, b - a), shown);
}

/** Walks the lines of [off, end): `each` gets every complete line; returns the count and the incomplete tail. */
function walkLines(d: Uint8Array, off: number, end: number, each: (l: TextLine, i: number) => void): { lines: number; tail: TextLine | null } {
  let p = off;
  let i = 0;
  while (p < end && i < MAX_LINES) {
    const l = textLine(d, p, end);
    if (!l.complete) return { lines: i, tail: l };
    each(l, i++);
    p = l.next;
  }
  return { lines: i, tail: null };
}

function closeLines(sink: FieldSink, d: Uint8Array, r: { lines: number; tail: TextLine | null }, end: number, name: string): void {
  if (r.tail !== null) {
    textField(sink, name + '.line', 'Line (continues in the next segment)', d, r.tail.start, r.tail.textEnd);
    sink.note('info', 'the line has no line end here: it goes on in the next segment', r.tail.start, end - r.tail.start);
  } else if (r.lines >= MAX_LINES) sink.note('info', 'more lines not shown', 0, 0);
}

// ---- SMTP

/** SMTP commands (RFC 5321 and its extensions); any 4-letter word is taken as a command too. */
const SMTP_COMMANDS: ReadonlySet<string> = new Set(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'QUIT', 'AUTH', 'STARTTLS', 'BDAT', 'ETRN', 'XCLIENT', 'XFORWARD', 'TURN', 'ATRN']);

function upper(d: Uint8Array, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b && i - a < 16; i++) s += String.fromCharCode(d[i] >= 0x61 && d[i] <= 0x7a ? d[i] - 32 : d[i]);
  return s;
}

/** Whether [a, b) is an SMTP command word (letters only, a known command or four letters). */
export function isSmtpCommand(d: Uint8Array, a: number, b: number): boolean {
  if (b - a < 4 || b - a > 8) return false;
  for (let i = a; i < b; i++) if (!isAlpha(d[i])) return false;
  return b - a === 4 || SMTP_COMMANDS.has(upper(d, a, b));
}

function smtpRequest(pkt: DecodedPacket): boolean {
  return toServer(pkt, [SMTP_PORT, SUBMISSION_PORT]);
}

export function decodeSmtp(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _t: AppTransport): void {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return;
  const req = smtpRequest(pkt);
  sink.open('smtp', 'Simple Mail Transfer Protocol', off, end - off);
  let text = false;
  const r = walkLines(d, off, end, (l, i) => {
    if (req) {
      if (i === 0) {
        const we = wordEnd(d, l.start, l.textEnd);
        text = !isSmtpCommand(d, l.start, we);
        if (!text) {
          sink.open('smtp.req', 'Command Line: ' + ftpText(d, l.start, l.textEnd - l.start), l.start, l.next - l.start);
          textField(sink, 'smtp.req.command', 'Command', d, l.start, we);
          const ps = skipSpaces(d, we, l.textEnd);
          if (ps < l.textEnd) textField(sink, 'smtp.req.parameter', 'Request parameter', d, ps, l.textEnd);
          sink.close();
          return;
        }
      }
      textField(sink, text ? 'smtp.data' : 'smtp.line', text ? 'Message text' : 'Line', d, l.start, l.textEnd);
      return;
    }
    sink.open('smtp.response', 'Response: ' + ftpText(d, l.start, l.textEnd - l.start), l.start, l.next - l.start);
    const codeOk = l.textEnd - l.start >= 3 && isDigit(d[l.start]) && isDigit(d[l.start + 1]) && isDigit(d[l.start + 2]);
    if (codeOk) {
      const code = (d[l.start] - 48) * 100 + (d[l.start + 1] - 48) * 10 + (d[l.start + 2] - 48);
      if (i === 0) sink.field('smtp.response.code', 'Response code: ' + code, l.start, 3, code, String(code));
      if (l.start + 4 < l.textEnd) textField(sink, 'smtp.rsp.parameter', 'Response parameter', d, l.start + 4, l.textEnd);
    }
    sink.close();
  });
  closeLines(sink, d, r, end, 'smtp');
  sink.close();
}

/** Lines of [off, end) joined by " | " (Wireshark's Info for multi-line SMTP replies). */
function joinedLines(d: Uint8Array, off: number, end: number, sep: string): string {
  let s = '';
  let n = 0;
  let p = off;
  while (p < end && n < INFO_LINES) {
    const l = textLine(d, p, end);
    s += (n ? sep : '') + ftpText(d, l.start, l.textEnd - l.start);
    n++;
    p = l.next;
  }
  return s;
}

export function smtpInfo(pkt: DecodedPacket, off: number, len: number, _t: AppTransport): string {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return '';
  if (smtpRequest(pkt)) {
    const l = textLine(d, off, end);
    if (!isSmtpCommand(d, off, wordEnd(d, off, l.textEnd))) return 'C: DATA fragment, ' + (end - off) + ' bytes';
    return 'C: ' + ftpText(d, off, l.textEnd - off);
  }
  return 'S: ' + joinedLines(d, off, end, ' | ');
}

export const SMTP_FIELDS: readonly AppField[] = [
  { name: 'smtp.req.command', type: 'string', description: 'SMTP command (EHLO, MAIL, RCPT, DATA, …)' },
  { name: 'smtp.req.parameter', type: 'string', description: 'SMTP command parameter' },
  { name: 'smtp.response.code', type: 'uint', description: 'SMTP reply code (3 digits)' },
  { name: 'smtp.rsp.parameter', type: 'string', description: 'SMTP reply text' },
];

export const SMTP: AppProtocol = { name: 'SMTP', decode: decodeSmtp, info: smtpInfo, fields: SMTP_FIELDS };

// ---- POP3

function popRequest(pkt: DecodedPacket): boolean {
  return toServer(pkt, [POP3_PORT]);
}

export function decodePop(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _t: AppTransport): void {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return;
  const req = popRequest(pkt);
  sink.open('pop', 'Post Office Protocol', off, end - off);
  const r = walkLines(d, off, end, (l, i) => {
    if (i > 0) {
      textField(sink, 'pop.line', 'Line', d, l.start, l.textEnd);
      return;
    }
    const we = wordEnd(d, l.start, l.textEnd);
    const ps = skipSpaces(d, we, l.textEnd);
    sink.open(req ? 'pop.request' : 'pop.response', (req ? 'Request: ' : 'Response: ') + ftpText(d, l.start, l.textEnd - l.start), l.start, l.next - l.start);
    if (we > l.start) textField(sink, req ? 'pop.request.command' : 'pop.response.indicator', req ? 'Request command' : 'Response indicator', d, l.start, we);
    if (ps < l.textEnd) textField(sink, req ? 'pop.request.parameter' : 'pop.response.description', req ? 'Request parameter' : 'Response description', d, ps, l.textEnd);
    sink.close();
  });
  closeLines(sink, d, r, end, 'pop');
  sink.close();
}

export function popInfo(pkt: DecodedPacket, off: number, len: number, _t: AppTransport): string {
  const end = capEnd(pkt, off, len);
  if (off >= end) return '';
  const l = textLine(pkt.data, off, end);
  return (popRequest(pkt) ? 'C: ' : 'S: ') + ftpText(pkt.data, off, l.textEnd - off);
}

export const POP_FIELDS: readonly AppField[] = [
  { name: 'pop.request.command', type: 'string', description: 'POP3 command (USER, PASS, RETR, …)' },
  { name: 'pop.request.parameter', type: 'string', description: 'POP3 command parameter' },
  { name: 'pop.response.indicator', type: 'string', description: 'POP3 status (+OK or -ERR)' },
  { name: 'pop.response.description', type: 'string', description: 'POP3 status text' },
];

export const POP: AppProtocol = { name: 'POP', decode: decodePop, info: popInfo, fields: POP_FIELDS };

// ---- IMAP

function imapRequest(pkt: DecodedPacket): boolean {
  return toServer(pkt, [IMAP_PORT]);
}

export function decodeImap(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _t: AppTransport): void {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return;
  const req = imapRequest(pkt);
  sink.open('imap', 'Internet Message Access Protocol', off, end - off);
  const r = walkLines(d, off, end, (l, i) => {
    // once per segment with a whole line, as Wireshark reports it
    if (i === 0) sink.field('imap.isrequest', 'Is request: ' + (req ? 'True' : 'False'), l.start, 0, req, req ? 'True' : 'False');
    const te = wordEnd(d, l.start, l.textEnd);
    const untagged = te - l.start === 1 && (d[l.start] === 0x2a || d[l.start] === 0x2b);
    // every request line; a reply's tagged lines only ("* 18 EXISTS" is a line, as in Wireshark)
    if (req || !untagged) {
      const ce = wordEnd(d, skipSpaces(d, te, l.textEnd), l.textEnd);
      const cs = skipSpaces(d, te, l.textEnd);
      sink.open(req ? 'imap.req' : 'imap.rsp', (req ? 'Request: ' : 'Response: ') + ftpText(d, l.start, l.textEnd - l.start), l.start, l.next - l.start);
      textField(sink, req ? 'imap.request' : 'imap.response', req ? 'Request' : 'Response', d, l.start, l.textEnd);
      textField(sink, req ? 'imap.request_tag' : 'imap.response_tag', req ? 'Request tag' : 'Response tag', d, l.start, te);
      if (ce > cs) textField(sink, req ? 'imap.request.command' : 'imap.response.status', req ? 'Request command' : 'Response status', d, cs, ce);
      sink.close();
    } else textField(sink, 'imap.line', 'Line', d, l.start, l.textEnd);
  });
  closeLines(sink, d, r, end, 'imap');
  sink.close();
}

export function imapInfo(pkt: DecodedPacket, off: number, len: number, _t: AppTransport): string {
  const end = capEnd(pkt, off, len);
  if (off >= end) return '';
  const l = textLine(pkt.data, off, end);
  return (imapRequest(pkt) ? 'Request: ' : 'Response: ') + ftpText(pkt.data, off, l.textEnd - off);
}

export const IMAP_FIELDS: readonly AppField[] = [
  { name: 'imap.isrequest', type: 'bool', description: 'IMAP: the line is a request' },
  { name: 'imap.request', type: 'string', description: 'IMAP request line' },
  { name: 'imap.request_tag', type: 'string', description: 'IMAP request tag (a001)' },
  { name: 'imap.request.command', type: 'string', description: 'IMAP command (LOGIN, SELECT, FETCH, …)' },
  { name: 'imap.response', type: 'string', description: 'IMAP tagged response line' },
  { name: 'imap.response_tag', type: 'string', description: 'IMAP response tag' },
  { name: 'imap.response.status', type: 'string', description: 'IMAP response status (OK, NO, BAD)' },
];

export const IMAP: AppProtocol = { name: 'IMAP', decode: decodeImap, info: imapInfo, fields: IMAP_FIELDS };
