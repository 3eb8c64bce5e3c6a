/**
 * FTP control connection (RFC 959, RFC 2428): one command or reply line per field group, as
 * Wireshark's packet-ftp.c splits them, plus the data connection's address from PORT / EPRT
 * requests and 227 (PASV) / 229 (EPSV) replies, so the engine can label the data connection FTP-DATA.
 *
 * Wireshark's rules, kept here because the tshark field check compares them:
 * - direction by port: a segment to port 21 is a request, from port 21 a reply (a payload starting
 *   with three digits is taken as a reply when neither port is 21);
 * - only the first line gets ftp.request.* / ftp.response.* fields; the other lines are plain text;
 * - a request's command is the bytes up to the first space (tabs belong to it), the argument what
 *   follows the spaces after it; a reply's code is its first three digits and the argument starts
 *   4 bytes in (digits + the space or hyphen), whatever that fourth byte is;
 * - a line ends at CR, LF or CR LF; a line without one runs to the end of the captured bytes.
 * Pure, never throws; every loop walks the payload once.
 */

import { FieldSink } from '../fields';
import { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';

export const FTP_PORT = 21;
export const FTP_DATA_PORT = 20;

/** Longest text kept for a command or argument value (a control line is ≤ 512 bytes by RFC 959 §4.1.3). */
const MAX_TEXT = 1024;

/** One parsed control line. Offsets are absolute in the bytes given. */
export interface FtpLine {
  request: boolean;
  /** Line start, end of the text (before CR/LF) and end including the line ending. */
  start: number;
  textEnd: number;
  next: number;
  /** Request: command bytes [cmdOff, cmdOff + cmdLen). */
  cmdOff: number;
  cmdLen: number;
  /** Reply: the 3-digit code, or -1. `more` is true for "220-…" (a multi-line reply goes on). */
  code: number;
  more: boolean;
  /** The argument [argOff, argOff + argLen); argLen 0 when none. */
  argOff: number;
  argLen: number;
}

/** Where a data connection will go: as PORT / EPRT (client listens) or 227 / 229 (server listens) say. */
export interface FtpDataEndpoint {
  /** 'active' (PORT, EPRT: the server connects to the client) or 'passive' (227, 229: the client connects). */
  mode: 'active' | 'passive';
  /** Dotted quad or IPv6 text; '' when the line names no address (229 carries only a port). */
  host: string;
  port: number;
  /** The line's field names in Wireshark ('ftp.active.cip' …) for the details tree. */
  source: 'PORT' | 'EPRT' | 'PASV' | 'EPSV';
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Text of [off, off+len) as Latin-1 with C0 controls shown as \ooo (as Wireshark's format_text). */
export function ftpText(d: Uint8Array, off: number, len: number): string {
  const n = Math.min(len, MAX_TEXT);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = d[off + i];
    if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else if (c === 9) s += '\\t';
    else s += '\\' + c.toString(8).padStart(3, '0');
  }
  return n < len ? s + '…' : s;
}

/** Text of [off, off+len) byte for byte (Latin-1): the value a filter compares, as Wireshark's field holds it. */
export function ftpRaw(d: Uint8Array, off: number, len: number): string {
  const n = Math.min(len, MAX_TEXT);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(d[off + i]);
  return s;
}

/** Parses the line at `start` (< end). `request` as decided by the ports. */
export function parseFtpLine(d: Uint8Array, start: number, end: number, request: boolean): FtpLine {
  let e = start;
  while (e < end && d[e] !== 0x0d && d[e] !== 0x0a) e++;
  // a line ends at CR LF, LF or a lone CR (as tvb_find_line_end)
  let next = e;
  if (next < end) {
    if (d[next] === 0x0d && next + 1 < end && d[next + 1] === 0x0a) next += 2;
    else next++;
  }
  const line: FtpLine = { request, start, textEnd: e, next, cmdOff: start, cmdLen: 0, code: -1, more: false, argOff: e, argLen: 0 };
  const len = e - start;
  if (request) {
    let t = start;
    while (t < e && d[t] !== 0x20) t++;
    line.cmdLen = t - start;
    while (t < e && d[t] === 0x20) t++;
    line.argOff = t;
    line.argLen = e - t;
  } else {
    if (len >= 3 && isDigit(d[start]) && isDigit(d[start + 1]) && isDigit(d[start + 2])) {
      line.code = (d[start] - 48) * 100 + (d[start + 1] - 48) * 10 + (d[start + 2] - 48);
      line.more = len >= 4 && d[start + 3] === 0x2d;
      line.argOff = len >= 4 ? start + 4 : e;
    } else {
      line.argOff = start;
    }
    line.argLen = e - line.argOff;
  }
  return line;
}

/** Whether a payload from `sport` to `dport` is a request (client → server). */
export function ftpIsRequest(d: Uint8Array, off: number, end: number, sport: number, dport: number): boolean {
  if (dport === FTP_PORT) return true;
  if (sport === FTP_PORT) return false;
  return !(end - off >= 3 && isDigit(d[off]) && isDigit(d[off + 1]) && isDigit(d[off + 2]));
}

/** Up to `max` comma-separated decimal numbers from `p`; returns the count read (0 when none start at p). */
function readNumbers(d: Uint8Array, p: number, end: number, sep: number, out: number[], max: number): { n: number; end: number } {
  let n = 0;
  while (n < max) {
    let v = 0;
    let digits = 0;
    while (p < end && isDigit(d[p]) && digits < 6) {
      v = v * 10 + (d[p] - 48);
      p++;
      digits++;
    }
    if (digits === 0) break;
    out[n++] = v;
    if (n < max) {
      if (p < end && d[p] === sep) p++;
      else break;
    }
  }
  return { n, end: p };
}

/**
 * The h1,h2,h3,h4,p1,p2 of PORT and 227 replies (Wireshark's parse_port_pasv: the first run of six
 * numbers anywhere in the argument, each ≤ 255). Null when none.
 */
export function parseHostPort(d: Uint8Array, off: number, end: number): { host: string; port: number } | null {
  const nums: number[] = [0, 0, 0, 0, 0, 0];
  let p = off;
  while (p < end) {
    while (p < end && !isDigit(d[p])) p++;
    if (p >= end) break;
    const r = readNumbers(d, p, end, 0x2c, nums, 6);
    if (r.n === 6 && nums.every((v) => v <= 255)) {
      return { host: nums[0] + '.' + nums[1] + '.' + nums[2] + '.' + nums[3], port: nums[4] * 256 + nums[5] };
    }
    // skip this run of digits and go on looking (each step advances past at least one digit)
    p = r.end > p ? r.end : p + 1;
  }
  return null;
}

function asciiRange(d: Uint8Array, off: number, end: number): string {
  let s = '';
  for (let i = off; i < end && i - off < 64; i++) s += String.fromCharCode(d[i]);
  return s;
}

/** EPRT |af|addr|port| (RFC 2428 §2). Null when malformed. */
export function parseEprt(d: Uint8Array, off: number, end: number): { af: number; host: string; port: number } | null {
  if (off >= end) return null;
  const delim = d[off];
  if (delim < 33 || delim > 126) return null;
  const f: number[] = [off + 1];
  for (let i = off + 1; i < end && f.length < 4; i++) if (d[i] === delim) f.push(i + 1);
  if (f.length < 4) return null;
  const af = Number(asciiRange(d, f[0], f[1] - 1));
  const host = asciiRange(d, f[1], f[2] - 1);
  const portText = asciiRange(d, f[2], f[3] - 1);
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535 || (af !== 1 && af !== 2)) return null;
  if (af === 1 && !/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return null;
  if (af === 2 && !/^[0-9A-Fa-f:.]{2,45}$/.test(host)) return null;
  return { af, host, port };
}

/** The port of a 229 reply's "(|||port|)" (RFC 2428 §3). -1 when none. */
export function parseEpsv(d: Uint8Array, off: number, end: number): number {
  for (let p = off; p < end; p++) {
    if (d[p] !== 0x28) continue;
    const delim = p + 1 < end ? d[p + 1] : 0;
    if (delim < 33 || delim > 126) continue;
    if (p + 4 >= end || d[p + 2] !== delim || d[p + 3] !== delim) continue;
    let q = p + 4;
    let v = 0;
    while (q < end && isDigit(d[q]) && q - p < 10) v = v * 10 + (d[q++] - 48);
    if (q > p + 4 && q < end && d[q] === delim && v <= 65535) return v;
  }
  return -1;
}

function upperCmd(d: Uint8Array, off: number, len: number): string {
  if (len > 8) return '';
  let s = '';
  for (let i = 0; i < len; i++) {
    const c = d[off + i];
    s += String.fromCharCode(c >= 0x61 && c <= 0x7a ? c - 32 : c);
  }
  return s;
}

/**
 * The data connection a control line announces (PORT, EPRT, 227, 229), or null. `srcHost` is the
 * sender's address: a 229 reply names only a port, on the server's address.
 */
export function ftpDataEndpoint(d: Uint8Array, line: FtpLine, srcHost: string): FtpDataEndpoint | null {
  const aEnd = line.argOff + line.argLen;
  if (line.request) {
    const cmd = upperCmd(d, line.cmdOff, line.cmdLen);
    if (cmd === 'PORT') {
      const hp = parseHostPort(d, line.argOff, aEnd);
      return hp === null ? null : { mode: 'active', host: hp.host, port: hp.port, source: 'PORT' };
    }
    if (cmd === 'EPRT') {
      const e = parseEprt(d, line.argOff, aEnd);
      return e === null ? null : { mode: 'active', host: e.host, port: e.port, source: 'EPRT' };
    }
    return null;
  }
  if (line.code === 227) {
    const hp = parseHostPort(d, line.argOff, aEnd);
    return hp === null ? null : { mode: 'passive', host: hp.host, port: hp.port, source: 'PASV' };
  }
  if (line.code === 229) {
    const port = parseEpsv(d, line.argOff, aEnd);
    return port < 0 ? null : { mode: 'passive', host: srcHost, port, source: 'EPSV' };
  }
  return null;
}

/** Result of decodeFtpBytes: the first line (or null for an empty payload) and the line count. */
export interface FtpSummary {
  first: FtpLine | null;
  lines: number;
  data: FtpDataEndpoint | null;
}

/** Most lines walked in one payload (a 64 KiB segment of empty lines is 32768 lines; the tree stays readable). */
const MAX_LINES = 256;

/**
 * Decodes the control lines in d[off, end): fields of the first line, each further line as text.
 * Pure function over bytes (the AppDecoder below wraps it). `srcHost` names the sender (for 229).
 */
export function decodeFtpBytes(d: Uint8Array, off: number, end: number, request: boolean, srcHost: string, sink: FieldSink | null): FtpSummary {
  const out: FtpSummary = { first: null, lines: 0, data: null };
  if (off >= end) return out;
  if (sink) sink.open('ftp', 'File Transfer Protocol (FTP)', off, end - off);
  let p = off;
  while (p < end && out.lines < MAX_LINES) {
    const line = parseFtpLine(d, p, end, request);
    const lineLen = line.next - line.start;
    if (out.first === null) {
      out.first = line;
      out.data = ftpDataEndpoint(d, line, srcHost);
      if (sink) firstLineFields(d, line, out.data, sink);
    } else if (sink) {
      const text = ftpText(d, line.start, line.textEnd - line.start);
      sink.field('ftp.line', text, line.start, lineLen, text, text);
    }
    out.lines++;
    if (line.next <= p) break; // cannot happen (a line is ≥ 1 byte); kept so the loop provably ends
    p = line.next;
  }
  if (sink) {
    if (p < end) sink.note('info', (end - p) + ' more bytes of text not shown', p, end - p);
    const c = d[end - 1];
    if (p === end && c !== 0x0a && c !== 0x0d) sink.note('info', 'the last line has no CR LF: it goes on in the next segment', off, end - off);
    sink.close();
  }
  return out;
}

function firstLineFields(d: Uint8Array, line: FtpLine, data: FtpDataEndpoint | null, sink: FieldSink): void {
  const text = ftpText(d, line.start, line.textEnd - line.start);
  sink.open(line.request ? 'ftp.request' : 'ftp.response', text, line.start, line.next - line.start);
  if (line.request) {
    if (line.cmdLen > 0) {
      const cmd = ftpText(d, line.cmdOff, line.cmdLen);
      sink.field('ftp.request.command', 'Request command: ' + cmd, line.cmdOff, line.cmdLen, ftpRaw(d, line.cmdOff, line.cmdLen), cmd);
    }
    if (line.argLen > 0) {
      const arg = ftpText(d, line.argOff, line.argLen);
      sink.field('ftp.request.arg', 'Request arg: ' + arg, line.argOff, line.argLen, ftpRaw(d, line.argOff, line.argLen), arg);
    }
  } else {
    if (line.code >= 0) sink.field('ftp.response.code', 'Response code: ' + line.code, line.start, 3, line.code, String(line.code));
    if (line.argLen > 0) {
      const arg = ftpText(d, line.argOff, line.argLen);
      sink.field('ftp.response.arg', 'Response arg: ' + arg, line.argOff, line.argLen, ftpRaw(d, line.argOff, line.argLen), arg);
    }
  }
  if (data !== null) {
    const r0 = line.argOff;
    const rl = line.argLen;
    switch (data.source) {
      case 'PORT':
        sink.field('ftp.active.cip', 'Active IP address: ' + data.host, r0, rl, data.host, data.host);
        sink.field('ftp.active.port', 'Active port: ' + data.port, r0, rl, data.port, String(data.port));
        break;
      case 'PASV':
        sink.field('ftp.passive.ip', 'Passive IP address: ' + data.host, r0, rl, data.host, data.host);
        sink.field('ftp.passive.port', 'Passive port: ' + data.port, r0, rl, data.port, String(data.port));
        break;
      case 'EPRT': {
        const v6 = data.host.includes(':');
        sink.field(v6 ? 'ftp.eprt.ipv6' : 'ftp.eprt.ip', 'Extended active IP address: ' + data.host, r0, rl, data.host, data.host);
        sink.field('ftp.eprt.port', 'Extended active port: ' + data.port, r0, rl, data.port, String(data.port));
        break;
      }
      case 'EPSV':
        sink.field('ftp.epsv.port', 'Extended passive port: ' + data.port, r0, rl, data.port, String(data.port));
        break;
    }
    const where = (data.host.includes(':') ? '[' + data.host + ']' : data.host) + ':' + data.port;
    sink.note('info', 'data connection (FTP-DATA) ' + (data.mode === 'active' ? 'from the server to ' : 'from the client to ') + where, r0, rl);
  }
  sink.close();
}

function capEnd(pkt: DecodedPacket, off: number, len: number): number {
  const e = off + len;
  return e < pkt.caplen ? e : pkt.caplen;
}

/** The AppDecoder: the payload's lines into the details tree. */
export function decodeFtp(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _transport: AppTransport): void {
  const end = capEnd(pkt, off, len);
  const req = ftpIsRequest(pkt.data, off, end, pkt.l4.sport, pkt.l4.dport);
  decodeFtpBytes(pkt.data, off, end, req, pkt.net.src, sink);
  if (off + len > pkt.caplen) sink.note('warning', 'FTP text cut short by the capture length', pkt.caplen, 0);
}

/** Wireshark's Info: "Request: USER anonymous", "Response: 230 Login successful." (first line only). */
export function ftpInfoBytes(d: Uint8Array, off: number, end: number, request: boolean): string {
  if (off >= end) return '';
  const line = parseFtpLine(d, off, end, request);
  return (request ? 'Request: ' : 'Response: ') + ftpText(d, line.start, line.textEnd - line.start);
}

export function ftpInfo(pkt: DecodedPacket, off: number, len: number, _transport: AppTransport): string {
  const end = capEnd(pkt, off, len);
  return ftpInfoBytes(pkt.data, off, end, ftpIsRequest(pkt.data, off, end, pkt.l4.sport, pkt.l4.dport));
}

/** The data connection the packet's control line announces (for the engine / list to label FTP-DATA). */
export function ftpDataEndpointOf(pkt: DecodedPacket): FtpDataEndpoint | null {
  const l4 = pkt.l4;
  const off = l4.payloadOff;
  const end = capEnd(pkt, off, l4.payloadLen);
  if (l4.payloadLen <= 0 || off >= end) return null;
  const line = parseFtpLine(pkt.data, off, end, ftpIsRequest(pkt.data, off, end, l4.sport, l4.dport));
  return ftpDataEndpoint(pkt.data, line, pkt.net.src);
}

export const FTP_FIELDS: readonly AppField[] = [
  { name: 'ftp.request.command', type: 'string', description: 'FTP command (USER, PASS, RETR, …)' },
  { name: 'ftp.request.arg', type: 'string', description: 'FTP command argument' },
  { name: 'ftp.response.code', type: 'uint', description: 'FTP reply code (3 digits)' },
  { name: 'ftp.response.arg', type: 'string', description: 'FTP reply text' },
  { name: 'ftp.active.cip', type: 'ipv4', description: 'PORT: address the server connects to for data' },
  { name: 'ftp.active.port', type: 'uint', description: 'PORT: port the server connects to for data' },
  { name: 'ftp.passive.ip', type: 'ipv4', description: '227 (PASV): address the client connects to for data' },
  { name: 'ftp.passive.port', type: 'uint', description: '227 (PASV): port the client connects to for data' },
  { name: 'ftp.eprt.ip', type: 'ipv4', description: 'EPRT: IPv4 address for data' },
  { name: 'ftp.eprt.ipv6', type: 'ipv6', description: 'EPRT: IPv6 address for data' },
  { name: 'ftp.eprt.port', type: 'uint', description: 'EPRT: port for data' },
  { name: 'ftp.epsv.port', type: 'uint', description: '229 (EPSV): port the client connects to for data' },
];

export const FTP: AppProtocol = { name: 'FTP', decode: decodeFtp, info: ftpInfo, fields: FTP_FIELDS };
