/**
 * HTTP/1.x in one TCP segment (RFC 9112): the request line (method, target, version) or status line
 * (version, code, phrase) and the header fields that follow in the same segment, each with its byte
 * range and Wireshark's field name. A segment that starts with neither is a continuation (body or
 * the rest of headers sent earlier); reassembly across segments is not done here.
 *
 * Hostile bytes: one forward pass over the captured payload, lines and headers bounded by
 * MAX_HEADER_LINES; no regular expressions. Nothing here throws.
 */

import type { FieldSink } from '../fields';
import type { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';

export const HTTP_PORT = 80;
export const HTTP_ALT_PORT = 8080;
/** Header lines reported per segment; a real request has tens, more is junk or an attack. */
export const MAX_HEADER_LINES = 200;

/** Request methods recognised at the start of a segment (tcpdump's httpcmds plus PATCH etc.). */
export const HTTP_METHODS: ReadonlySet<string> = new Set([
  'OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL',
  'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'VERSION-CONTROL', 'REPORT', 'CHECKOUT', 'CHECKIN', 'UNCHECKOUT', 'MKWORKSPACE',
  'UPDATE', 'LABEL', 'MERGE', 'BASELINE-CONTROL', 'MKACTIVITY', 'ORDERPATCH', 'ACL', 'SEARCH', 'BIND', 'UNBIND', 'REBIND',
  'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'M-SEARCH', 'PRI',
]);

/** Header name (lower case) → Wireshark field name, for the headers Wireshark gives a field of their own. */
const HEADER_FIELDS: ReadonlyMap<string, string> = new Map([
  ['host', 'http.host'],
  ['user-agent', 'http.user_agent'],
  ['content-type', 'http.content_type'],
  ['content-length', 'http.content_length_header'],
  ['server', 'http.server'],
  ['connection', 'http.connection'],
  ['referer', 'http.referer'],
  ['cookie', 'http.cookie'],
  ['set-cookie', 'http.set_cookie'],
  ['location', 'http.location'],
  ['transfer-encoding', 'http.transfer_encoding'],
  ['content-encoding', 'http.content_encoding'],
  ['accept', 'http.accept'],
  ['accept-encoding', 'http.accept_encoding'],
  ['accept-language', 'http.accept_language'],
  ['authorization', 'http.authorization'],
  ['cache-control', 'http.cache_control'],
  ['date', 'http.date'],
  ['last-modified', 'http.last_modified'],
  ['upgrade', 'http.upgrade'],
]);

export const HTTP_FIELDS: readonly AppField[] = [
  { name: 'http.request', type: 'bool', description: 'The segment starts an HTTP request' },
  { name: 'http.response', type: 'bool', description: 'The segment starts an HTTP response' },
  { name: 'http.request.method', type: 'string', description: 'Request method' },
  { name: 'http.request.uri', type: 'string', description: 'Request URI (target)' },
  { name: 'http.request.version', type: 'string', description: 'Request version' },
  { name: 'http.response.version', type: 'string', description: 'Response version' },
  { name: 'http.response.code', type: 'uint', description: 'Status code' },
  { name: 'http.response.phrase', type: 'string', description: 'Reason phrase' },
  { name: 'http.request.line', type: 'string', description: 'A header line of a request' },
  { name: 'http.response.line', type: 'string', description: 'A header line of a response' },
  { name: 'http.host', type: 'string', description: 'Host header' },
  { name: 'http.user_agent', type: 'string', description: 'User-Agent header' },
  { name: 'http.content_type', type: 'string', description: 'Content-Type header' },
  { name: 'http.content_length_header', type: 'string', description: 'Content-Length header (text)' },
  { name: 'http.content_length', type: 'uint', description: 'Content-Length (number)' },
  { name: 'http.server', type: 'string', description: 'Server header' },
  { name: 'http.connection', type: 'string', description: 'Connection header' },
  { name: 'http.referer', type: 'string', description: 'Referer header' },
  { name: 'http.cookie', type: 'string', description: 'Cookie header' },
  { name: 'http.set_cookie', type: 'string', description: 'Set-Cookie header' },
  { name: 'http.location', type: 'string', description: 'Location header' },
  { name: 'http.transfer_encoding', type: 'string', description: 'Transfer-Encoding header' },
  { name: 'http.content_encoding', type: 'string', description: 'Content-Encoding header' },
  { name: 'http.accept', type: 'string', description: 'Accept header' },
  { name: 'http.accept_encoding', type: 'string', description: 'Accept-Encoding header' },
  { name: 'http.accept_language', type: 'string', description: 'Accept-Language header' },
  { name: 'http.authorization', type: 'string', description: 'Authorization header' },
  { name: 'http.cache_control', type: 'string', description: 'Cache-Control header' },
  { name: 'http.date', type: 'string', description: 'Date header' },
  { name: 'http.last_modified', type: 'string', description: 'Last-Modified header' },
  { name: 'http.upgrade', type: 'string', description: 'Upgrade header' },
];

/**
 * Bytes → text, one character per byte (Latin-1, as HTTP/1.x header bytes are read). Up to 256 bytes
 * (a request or status line in Info: at most 200) in one String.fromCharCode call, one flat string,
 * instead of a string a byte; longer runs byte by byte (no argument list as long as a 64 KiB payload).
 */
function latin1(d: Uint8Array, a: number, b: number): string {
  if (b - a <= 256) return b > a ? String.fromCharCode.apply(null, d.subarray(a, b) as unknown as number[]) : '';
  let s = '';
  for (let i = a; i < b; i++) s += String.fromCharCode(d[i]);
  return s;
}

/** Whether d[a, a + 5) is "HTTP/". */
function isHttpSlash(d: Uint8Array, a: number): boolean {
  return d[a] === 0x48 && d[a + 1] === 0x54 && d[a + 2] === 0x54 && d[a + 3] === 0x50 && d[a + 4] === 0x2f;
}

/** End of the line starting at `p` (index of CR or LF, or `end`); `eol` gets the offset after the terminator. */
function lineEnd(d: Uint8Array, p: number, end: number, out: { eol: number; complete: boolean }): number {
  let i = p;
  while (i < end && d[i] !== 0x0a && d[i] !== 0x0d) i++;
  if (i >= end) {
    out.eol = end;
    out.complete = false;
    return end;
  }
  out.eol = d[i] === 0x0d && i + 1 < end && d[i + 1] === 0x0a ? i + 2 : i + 1;
  out.complete = true;
  return i;
}

/** Index of the next space (or `b`). */
function spaceAt(d: Uint8Array, a: number, b: number): number {
  let i = a;
  while (i < b && d[i] !== 0x20) i++;
  return i;
}

/** 'request' | 'response' | '' for the first line [a, b). */
function firstLineKind(d: Uint8Array, a: number, b: number): 'request' | 'response' | '' {
  if (b - a >= 8 && isHttpSlash(d, a)) return 'response';
  const sp = spaceAt(d, a, Math.min(b, a + 20));
  if (sp >= b || sp === a) return '';
  if (!HTTP_METHODS.has(latin1(d, a, sp))) return '';
  // the version is the last token: "HTTP/x.y"
  let v = b;
  while (v > sp && d[v - 1] !== 0x20) v--;
  return b - v >= 5 && isHttpSlash(d, v) ? 'request' : '';
}

export function decodeHttp(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _transport: AppTransport): void {
  const d = pkt.data;
  const end = Math.min(off + len, pkt.caplen);
  if (end <= off) return;
  const le = { eol: 0, complete: false };
  const b = lineEnd(d, off, end, le);
  const kind = firstLineKind(d, off, b);
  sink.open('http', 'Hypertext Transfer Protocol', off, end - off);
  if (kind === '') {
    sink.field('http.continuation', 'Continuation or non-HTTP traffic (' + (end - off) + ' bytes)', off, end - off, end - off, (end - off) + ' bytes');
    sink.close();
    return;
  }
  const lineText = latin1(d, off, b);
  sink.open(kind === 'request' ? 'http.request' : 'http.response', lineText, off, le.eol - off);
  sink.field(kind === 'request' ? 'http.request' : 'http.response', kind === 'request' ? 'Request' : 'Response', off, le.eol - off, true, 'True');
  const s1 = spaceAt(d, off, b);
  if (kind === 'request') {
    let v = b;
    while (v > s1 && d[v - 1] !== 0x20) v--;
    const method = latin1(d, off, s1);
    const uri = latin1(d, s1 + 1, Math.max(s1 + 1, v - 1));
    const ver = latin1(d, v, b);
    sink.field('http.request.method', 'Request Method: ' + method, off, s1 - off, method, method);
    sink.field('http.request.uri', 'Request URI: ' + uri, s1 + 1, Math.max(0, v - 1 - (s1 + 1)), uri, uri);
    sink.field('http.request.version', 'Request Version: ' + ver, v, b - v, ver, ver);
  } else {
    const ver = latin1(d, off, s1);
    sink.field('http.response.version', 'Response Version: ' + ver, off, s1 - off, ver, ver);
    if (s1 < b) {
      const s2 = spaceAt(d, s1 + 1, b);
      const codeText = latin1(d, s1 + 1, s2);
      let code = 0;
      let ok = codeText.length === 3;
      for (let i = 0; i < codeText.length; i++) {
        const c = codeText.charCodeAt(i) - 48;
        if (c < 0 || c > 9) ok = false;
        else code = code * 10 + c;
      }
      if (ok) sink.field('http.response.code', 'Status Code: ' + code, s1 + 1, 3, code, String(code));
      else sink.note('warning', 'status code "' + codeText.slice(0, 16) + '" is not three digits', s1 + 1, s2 - s1 - 1);
      if (s2 < b) {
        const phrase = latin1(d, s2 + 1, b);
        sink.field('http.response.phrase', 'Response Phrase: ' + phrase, s2 + 1, b - s2 - 1, phrase, phrase);
      }
    }
  }
  if (!le.complete) sink.note('info', 'the line continues past the captured data or in the next segment', off, b - off);
  sink.close();
  // header fields up to the empty line
  let p = le.eol;
  let lines = 0;
  let ended = false;
  while (le.complete && p < end && lines < MAX_HEADER_LINES) {
    const e = lineEnd(d, p, end, le);
    if (e === p && le.complete) {
      sink.field('http.end_of_headers', 'End of headers (\\r\\n)', p, le.eol - p, true, '');
      p = le.eol;
      ended = true;
      break;
    }
    lines++;
    const text = latin1(d, p, e);
    const colon = text.indexOf(':');
    const lineName = kind === 'request' ? 'http.request.line' : 'http.response.line';
    sink.field(lineName, text, p, le.eol - p, text, text);
    if (colon > 0) {
      const hname = text.slice(0, colon).toLowerCase();
      let vs = colon + 1;
      while (vs < text.length && (text.charCodeAt(vs) === 0x20 || text.charCodeAt(vs) === 0x09)) vs++;
      const value = text.slice(vs);
      const field = HEADER_FIELDS.get(hname);
      if (field !== undefined) sink.field(field, text.slice(0, colon) + ': ' + value, p + vs, e - p - vs, value, value);
      if (hname === 'content-length') {
        let n = 0;
        let digits = value.length > 0 && value.length <= 15;
        for (let i = 0; i < value.length && digits; i++) {
          const c = value.charCodeAt(i) - 48;
          if (c < 0 || c > 9) digits = false;
          else n = n * 10 + c;
        }
        if (digits) sink.field('http.content_length', 'Content length: ' + n, p + vs, e - p - vs, n, String(n));
      }
    }
    p = le.eol;
  }
  if (lines >= MAX_HEADER_LINES) sink.note('warning', 'more than ' + MAX_HEADER_LINES + ' header lines: the rest are not listed', p, end - p);
  if (ended && p < end) sink.field('http.file_data', 'Body in this segment (' + (end - p) + ' bytes)', p, end - p, end - p, (end - p) + ' bytes');
  sink.close();
}

/** Info text as Wireshark's: the request or status line ("GET /index.html HTTP/1.1", "HTTP/1.1 200 OK"), "Continuation" otherwise. */
export function httpInfo(pkt: DecodedPacket, off: number, len: number, _transport: AppTransport): string {
  const d = pkt.data;
  const end = Math.min(off + len, pkt.caplen);
  if (end <= off) return '';
  // every method and "HTTP/" start with a capital: a body segment is told at its first byte, without
  // looking for its line's end (most of an HTTP connection's segments; Info on every packet of the
  // bench's realistic capture cost +21 % over decode + engine before this and TLS's shortcut)
  const c = d[off];
  if (c < 0x41 || c > 0x5a) return 'Continuation';
  const le = { eol: 0, complete: false };
  // the first line is bounded by the segment; Info shows at most 200 characters of it
  const b = lineEnd(d, off, Math.min(end, off + 4096), le);
  return firstLineKind(d, off, b) === '' ? 'Continuation' : latin1(d, off, Math.min(b, off + 200));
}

export const HTTP: AppProtocol = { name: 'HTTP', decode: decodeHttp, info: httpInfo, fields: HTTP_FIELDS };
