/**
 * SSDP (UPnP discovery: HTTP messages over UDP, port 1900): the start line (M-SEARCH / NOTIFY
 * requests, "HTTP/1.1 200 OK" answers) with Wireshark's http.* names, as Wireshark decodes SSDP
 * with its HTTP dissector, and each header line; NT, ST, USN and LOCATION get fields of their own
 * (ssdp.*) because they say what is announced and where its description is.
 * One pass over the datagram, lines bounded by MAX_LINES. Never throws.
 */

import type { FieldSink } from '../fields';
import type { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';
import { ftpRaw, ftpText } from './ftp';
import { textLine } from './mail';

export const SSDP_PORT = 1900;
const MAX_LINES = 100;

/** Headers with a field of their own (lower-case name → field). */
const SSDP_HEADERS: ReadonlyMap<string, string> = new Map([
  ['nt', 'ssdp.nt'],
  ['nts', 'ssdp.nts'],
  ['st', 'ssdp.st'],
  ['usn', 'ssdp.usn'],
  ['location', 'ssdp.location'],
  ['server', 'ssdp.server'],
  ['man', 'ssdp.man'],
]);

function capEnd(pkt: DecodedPacket, off: number, len: number): number {
  const e = off + len;
  return e < pkt.caplen ? e : pkt.caplen;
}

function spaceAt(d: Uint8Array, a: number, b: number): number {
  while (a < b && d[a] !== 0x20) a++;
  return a;
}

function lower(d: Uint8Array, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b && i - a < 32; i++) s += String.fromCharCode(d[i] >= 0x41 && d[i] <= 0x5a ? d[i] + 32 : d[i]);
  return s;
}

function put(sink: FieldSink, name: string, label: string, d: Uint8Array, a: number, b: number): void {
  sink.field(name, label + ': ' + ftpText(d, a, b - a), a, b - a, ftpRaw(d, a, b - a), ftpText(d, a, b - a));
}

/** Whether the datagram starts like an HTTP start line (printable up to its first CR LF / LF). */
function startLine(d: Uint8Array, off: number, end: number): { textEnd: number; next: number } | null {
  const l = textLine(d, off, end);
  if (!l.complete || l.textEnd === off) return null;
  for (let i = off; i < l.textEnd; i++) if (d[i] < 0x20 || d[i] > 0x7e) return null;
  return l;
}

export function decodeSsdp(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _t: AppTransport): void {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return;
  sink.open('ssdp', 'Simple Service Discovery Protocol', off, end - off);
  const first = startLine(d, off, end);
  if (first === null) {
    sink.note('info', 'not an HTTP-style message (continuation or binary data)', off, end - off);
    sink.close();
    return;
  }
  const s1 = spaceAt(d, off, first.textEnd);
  const s2 = spaceAt(d, s1 + 1, first.textEnd);
  const response = s1 - off >= 5 && lower(d, off, off + 5) === 'http/';
  if (response) {
    put(sink, 'http.response.version', 'Response Version', d, off, s1);
    if (s2 - s1 - 1 === 3) {
      const code = Number(ftpRaw(d, s1 + 1, 3));
      if (Number.isInteger(code)) sink.field('http.response.code', 'Status Code: ' + code, s1 + 1, 3, code, String(code));
    }
    if (s2 < first.textEnd) put(sink, 'http.response.phrase', 'Response Phrase', d, s2 + 1, first.textEnd);
  } else {
    put(sink, 'http.request.method', 'Request Method', d, off, s1);
    if (s1 < first.textEnd) put(sink, 'http.request.uri', 'Request URI', d, s1 + 1, s2);
    if (s2 < first.textEnd) put(sink, 'http.request.version', 'Request Version', d, s2 + 1, first.textEnd);
  }
  let p = first.next;
  for (let n = 0; p < end && n < MAX_LINES; n++) {
    const l = textLine(d, p, end);
    if (l.textEnd === l.start) break;
    let colon = l.start;
    while (colon < l.textEnd && d[colon] !== 0x3a) colon++;
    const field = colon < l.textEnd ? SSDP_HEADERS.get(lower(d, l.start, colon)) : undefined;
    if (field !== undefined) {
      let v = colon + 1;
      while (v < l.textEnd && d[v] === 0x20) v++;
      put(sink, field, ftpText(d, l.start, colon - l.start), d, v, l.textEnd);
    } else put(sink, 'ssdp.header', 'Header', d, l.start, l.textEnd);
    p = l.next;
  }
  sink.close();
}

export function ssdpInfo(pkt: DecodedPacket, off: number, len: number, _t: AppTransport): string {
  const end = capEnd(pkt, off, len);
  if (off >= end) return '';
  const first = startLine(pkt.data, off, end);
  return first === null ? 'Continuation' : ftpText(pkt.data, off, first.textEnd - off);
}

export const SSDP_FIELDS: readonly AppField[] = [
  { name: 'ssdp.nt', type: 'string', description: 'SSDP notification type (NT)' },
  { name: 'ssdp.nts', type: 'string', description: 'SSDP notification subtype (ssdp:alive, ssdp:byebye)' },
  { name: 'ssdp.st', type: 'string', description: 'SSDP search target (ST)' },
  { name: 'ssdp.usn', type: 'string', description: 'SSDP unique service name (USN)' },
  { name: 'ssdp.location', type: 'string', description: 'SSDP device description URL (LOCATION)' },
];

export const SSDP: AppProtocol = { name: 'SSDP', decode: decodeSsdp, info: ssdpInfo, fields: SSDP_FIELDS };
