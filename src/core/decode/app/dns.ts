/**
 * DNS (RFC 1035, EDNS RFC 6891) over UDP (53, mDNS 5353) and TCP (53, each message after a 2-byte
 * length, RFC 1035 §4.2.2): header, flags, questions and resource records with name compression,
 * into the details tree with Wireshark's field names; Wireshark-like Info text.
 *
 * Hostile bytes: a name is read through at most MAX_POINTERS compression pointers and MAX_LABELS
 * labels (RFC 1035 caps a name at 255 bytes, so 127 labels; a longer chain is a loop or junk), and
 * sections stop at the captured end: one message costs O(captured bytes + records × 128) work however
 * its counts and pointers lie. Nothing here throws.
 */

import { hexPad, ipv4String, ipv6String, u16be, u32be } from '../../bytes';
import type { FieldSink } from '../fields';
import type { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';

export const DNS_PORT = 53;
export const MDNS_PORT = 5353;
export const DNS_HDR_LEN = 12;
/** A name has at most 127 labels (255 bytes); a longer walk is a loop or junk. */
export const MAX_LABELS = 128;
/** Compression pointers followed per name before we call it a loop. */
export const MAX_POINTERS = 32;

export const T_A = 1;
export const T_NS = 2;
export const T_CNAME = 5;
export const T_SOA = 6;
export const T_PTR = 12;
export const T_MX = 15;
export const T_TXT = 16;
export const T_AAAA = 28;
export const T_SRV = 33;
export const T_DNAME = 39;
export const T_OPT = 41;

/** Type mnemonics shared by Wireshark and tcpdump (tcpdump prints "Type%u" for others, Wireshark "Unknown (%u)"). */
export const DNS_TYPE_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [1, 'A'], [2, 'NS'], [3, 'MD'], [4, 'MF'], [5, 'CNAME'], [6, 'SOA'], [7, 'MB'], [8, 'MG'], [9, 'MR'], [10, 'NULL'],
  [11, 'WKS'], [12, 'PTR'], [13, 'HINFO'], [14, 'MINFO'], [15, 'MX'], [16, 'TXT'], [17, 'RP'], [18, 'AFSDB'],
  [19, 'X25'], [20, 'ISDN'], [21, 'RT'], [22, 'NSAP'], [23, 'NSAP_PTR'], [24, 'SIG'], [25, 'KEY'], [26, 'PX'],
  [27, 'GPOS'], [28, 'AAAA'], [29, 'LOC'], [30, 'NXT'], [31, 'EID'], [32, 'NIMLOC'], [33, 'SRV'], [34, 'ATMA'],
  [35, 'NAPTR'], [36, 'KX'], [37, 'CERT'], [38, 'A6'], [39, 'DNAME'], [40, 'SINK'], [41, 'OPT'], [42, 'APL'],
  [43, 'DS'], [44, 'SSHFP'], [45, 'IPSECKEY'], [46, 'RRSIG'], [47, 'NSEC'], [48, 'DNSKEY'], [49, 'DHCID'],
  [50, 'NSEC3'], [51, 'NSEC3PARAM'], [52, 'TLSA'], [55, 'HIP'], [59, 'CDS'], [60, 'CDNSKEY'], [64, 'SVCB'],
  [65, 'HTTPS'], [99, 'SPF'], [249, 'TKEY'], [250, 'TSIG'], [251, 'IXFR'], [252, 'AXFR'], [253, 'MAILB'],
  [254, 'MAILA'], [255, 'ANY'], [256, 'URI'], [257, 'CAA'],
]);

const CLASS_NAMES: ReadonlyMap<number, string> = new Map<number, string>([[1, 'IN'], [3, 'CH'], [4, 'HS'], [254, 'NONE'], [255, 'ANY']]);

/** Wireshark's opcode and rcode names (packet-dns.c), used for the tree and the Info text. */
const OPCODE_NAMES = ['Standard query', 'Inverse query', 'Server status request', 'Unknown operation (3)', 'Zone change notification', 'Dynamic update'];
export const RCODE_NAMES = [
  'No error', 'Format error', 'Server failure', 'No such name', 'Not implemented', 'Refused', 'Name exists',
  'RRset exists', 'RRset does not exist', 'Not authoritative', 'Name out of zone', 'DSO-TYPE not implemented',
];

export function dnsTypeName(t: number): string {
  return DNS_TYPE_NAMES.get(t) ?? 'Unknown (' + t + ')';
}
function className(c: number): string {
  return CLASS_NAMES.get(c) ?? '0x' + hexPad(c, 4);
}
export function dnsOpcodeName(op: number): string {
  return op < OPCODE_NAMES.length ? OPCODE_NAMES[op] : 'Unknown operation (' + op + ')';
}
export function dnsRcodeName(rc: number): string {
  return rc < RCODE_NAMES.length ? RCODE_NAMES[rc] : 'Unknown error (' + rc + ')';
}

/** Filter fields this decoder reports (for the filter field registry). */
export const DNS_FIELDS: readonly AppField[] = [
  { name: 'dns.length', type: 'uint', description: 'Length (DNS over TCP: bytes of the message after this field)' },
  { name: 'dns.id', type: 'uint', description: 'Transaction ID' },
  { name: 'dns.flags', type: 'uint', description: 'Flags' },
  { name: 'dns.flags.response', type: 'bool', description: 'Response (1) or query (0)' },
  { name: 'dns.flags.opcode', type: 'uint', description: 'Opcode' },
  { name: 'dns.flags.authoritative', type: 'bool', description: 'Authoritative answer' },
  { name: 'dns.flags.truncated', type: 'bool', description: 'Truncated' },
  { name: 'dns.flags.recdesired', type: 'bool', description: 'Recursion desired' },
  { name: 'dns.flags.recavail', type: 'bool', description: 'Recursion available' },
  { name: 'dns.flags.z', type: 'bool', description: 'Reserved (Z)' },
  { name: 'dns.flags.authenticated', type: 'bool', description: 'Answer authenticated' },
  { name: 'dns.flags.checkdisable', type: 'bool', description: 'Checking disabled' },
  { name: 'dns.flags.rcode', type: 'uint', description: 'Reply code' },
  { name: 'dns.count.queries', type: 'uint', description: 'Questions' },
  { name: 'dns.count.answers', type: 'uint', description: 'Answer RRs' },
  { name: 'dns.count.auth_rr', type: 'uint', description: 'Authority RRs' },
  { name: 'dns.count.add_rr', type: 'uint', description: 'Additional RRs' },
  { name: 'dns.qry.name', type: 'string', description: 'Query name' },
  { name: 'dns.qry.type', type: 'uint', description: 'Query type' },
  { name: 'dns.qry.class', type: 'uint', description: 'Query class' },
  { name: 'dns.resp.name', type: 'string', description: 'Record name' },
  { name: 'dns.resp.type', type: 'uint', description: 'Record type' },
  { name: 'dns.resp.class', type: 'uint', description: 'Record class' },
  { name: 'dns.resp.ttl', type: 'uint', description: 'Time to live (seconds)' },
  { name: 'dns.resp.len', type: 'uint', description: 'Record data length' },
  { name: 'dns.a', type: 'ipv4', description: 'IPv4 address (A record)' },
  { name: 'dns.aaaa', type: 'ipv6', description: 'IPv6 address (AAAA record)' },
  { name: 'dns.cname', type: 'string', description: 'Canonical name (CNAME record)' },
  { name: 'dns.ns', type: 'string', description: 'Name server (NS record)' },
  { name: 'dns.ptr.domain_name', type: 'string', description: 'Domain name (PTR record)' },
  { name: 'dns.mx.preference', type: 'uint', description: 'Mail exchange preference' },
  { name: 'dns.mx.mail_exchange', type: 'string', description: 'Mail exchange (MX record)' },
  { name: 'dns.txt', type: 'string', description: 'Text (TXT record)' },
  { name: 'dns.srv.priority', type: 'uint', description: 'SRV priority' },
  { name: 'dns.srv.weight', type: 'uint', description: 'SRV weight' },
  { name: 'dns.srv.port', type: 'uint', description: 'SRV port' },
  { name: 'dns.srv.target', type: 'string', description: 'SRV target' },
  { name: 'dns.soa.mname', type: 'string', description: 'Primary name server (SOA)' },
  { name: 'dns.soa.rname', type: 'string', description: 'Responsible authority mailbox (SOA)' },
  { name: 'dns.soa.serial_number', type: 'uint', description: 'Serial number (SOA)' },
  { name: 'dns.rr.udp_payload_size', type: 'uint', description: 'EDNS UDP payload size (OPT)' },
];

// ---- names --------------------------------------------------------------------------------------

/** Result of readName: the name's text, the offset after it in place, or -1 when damaged/cut. */
export interface DnsName {
  text: string;
  /** Offset just after the name where it started (after the first pointer if compressed); -1 if unreadable. */
  next: number;
  /** Why the name could not be read ('' when fine). */
  err: string;
}

/**
 * Read a (possibly compressed) name at `pos`. `msg` is the message start (pointers are relative to
 * it), `end` the first byte not to read (captured end of the message). Labels are joined with '.'
 * (Wireshark's text: no trailing dot, "<Root>" for the root); bytes outside printable ASCII as
 * "\\ddd". Bounded by MAX_LABELS and MAX_POINTERS.
 */
export function readName(d: Uint8Array, msg: number, pos: number, end: number): DnsName {
  let text = '';
  let next = -1;
  let p = pos;
  let labels = 0;
  let jumps = 0;
  while (labels <= MAX_LABELS) {
    if (p >= end) return { text, next: -1, err: 'name runs past the captured data' };
    const c = d[p];
    if (c === 0) {
      if (next < 0) next = p + 1;
      return { text: text === '' ? '<Root>' : text, next, err: '' };
    }
    const kind = c & 0xc0;
    if (kind === 0xc0) {
      if (p + 1 >= end) return { text, next: -1, err: 'name runs past the captured data' };
      if (next < 0) next = p + 2;
      if (++jumps > MAX_POINTERS) return { text, next: -1, err: 'compression pointer loop' };
      p = msg + (((c & 0x3f) << 8) | d[p + 1]);
      continue;
    }
    if (kind !== 0) return { text, next: -1, err: 'unknown label type 0x' + hexPad(c, 2) };
    if (p + 1 + c > end) return { text, next: -1, err: 'name runs past the captured data' };
    if (text !== '') text += '.';
    for (let i = p + 1; i <= p + c; i++) {
      const b = d[i];
      text += b > 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\' + String(b).padStart(3, '0');
    }
    labels++;
    p += 1 + c;
  }
  return { text, next: -1, err: 'more than ' + MAX_LABELS + ' labels' };
}

/** Skip a name in place (no pointer following): offset after it, or -1. */
export function skipName(d: Uint8Array, pos: number, end: number): number {
  let p = pos;
  for (let labels = 0; labels <= MAX_LABELS; labels++) {
    if (p >= end) return -1;
    const c = d[p];
    if (c === 0) return p + 1;
    if ((c & 0xc0) === 0xc0) return p + 2 <= end ? p + 2 : -1;
    if ((c & 0xc0) !== 0) return -1;
    p += 1 + c;
  }
  return -1;
}

// ---- message bounds -----------------------------------------------------------------------------

/** Where the DNS message starts and ends in the frame (the TCP length prefix removed). */
interface MsgBounds {
  msg: number;
  /** Claimed end of the message (may lie past the capture). */
  len: number;
  /** Captured end: reads stop here. */
  end: number;
}

function bounds(pkt: DecodedPacket, off: number, len: number, transport: AppTransport): MsgBounds | null {
  let msg = off;
  let mlen = len;
  if (transport === 6) {
    if (len < 2 || off + 2 > pkt.caplen) return null;
    msg = off + 2;
    mlen = Math.min(u16be(pkt.data, off), len - 2);
  }
  const end = Math.min(msg + mlen, pkt.caplen);
  return { msg, len: mlen, end };
}

// ---- details tree -------------------------------------------------------------------------------

function flagsText(f: number): string {
  const qr = f & 0x8000;
  let s = dnsOpcodeName((f >> 11) & 15) + (qr ? ' response' : '');
  if (qr) s += ', ' + dnsRcodeName(f & 15);
  return s;
}

function decodeFlags(sink: FieldSink, at: number, f: number): void {
  const qr = (f & 0x8000) !== 0;
  sink.open('dns.flags', 'Flags: 0x' + hexPad(f, 4) + ' ' + flagsText(f), at, 2);
  sink.field('dns.flags.response', 'Response: ' + (qr ? 'Message is a response' : 'Message is a query'), at, 2, qr, qr ? '1' : '0', 0x8000);
  const op = (f >> 11) & 15;
  sink.field('dns.flags.opcode', 'Opcode: ' + dnsOpcodeName(op) + ' (' + op + ')', at, 2, op, String(op), 0x7800);
  if (qr) sink.field('dns.flags.authoritative', 'Authoritative: ' + ((f & 0x400) !== 0 ? 'Server is an authority for domain' : 'Server is not an authority for domain'), at, 2, (f & 0x400) !== 0, (f & 0x400) !== 0 ? '1' : '0', 0x400);
  sink.field('dns.flags.truncated', 'Truncated: ' + ((f & 0x200) !== 0 ? 'Message is truncated' : 'Message is not truncated'), at, 2, (f & 0x200) !== 0, (f & 0x200) !== 0 ? '1' : '0', 0x200);
  sink.field('dns.flags.recdesired', 'Recursion desired: ' + ((f & 0x100) !== 0 ? 'Do query recursively' : "Don't do query recursively"), at, 2, (f & 0x100) !== 0, (f & 0x100) !== 0 ? '1' : '0', 0x100);
  if (qr) sink.field('dns.flags.recavail', 'Recursion available: ' + ((f & 0x80) !== 0 ? 'Server can do recursive queries' : "Server can't do recursive queries"), at, 2, (f & 0x80) !== 0, (f & 0x80) !== 0 ? '1' : '0', 0x80);
  sink.field('dns.flags.z', 'Z: reserved (' + ((f >> 6) & 1) + ')', at, 2, (f & 0x40) !== 0, (f & 0x40) !== 0 ? '1' : '0', 0x40);
  sink.field('dns.flags.authenticated', 'Answer authenticated: ' + ((f & 0x20) !== 0 ? 'Answer/authority portion was authenticated by the server' : 'Answer/authority portion was not authenticated by the server'), at, 2, (f & 0x20) !== 0, (f & 0x20) !== 0 ? '1' : '0', 0x20);
  sink.field('dns.flags.checkdisable', 'Non-authenticated data: ' + ((f & 0x10) !== 0 ? 'Acceptable' : 'Unacceptable'), at, 2, (f & 0x10) !== 0, (f & 0x10) !== 0 ? '1' : '0', 0x10);
  if (qr) sink.field('dns.flags.rcode', 'Reply code: ' + dnsRcodeName(f & 15) + ' (' + (f & 15) + ')', at, 2, f & 15, String(f & 15), 0xf);
  sink.close();
}

function nameField(sink: FieldSink, name: string, label: string, d: Uint8Array, msg: number, at: number, end: number): DnsName {
  const n = readName(d, msg, at, end);
  const len = (n.next > at ? n.next : end) - at;
  sink.field(name, label + ': ' + n.text, at, Math.max(0, len), n.text, n.text);
  if (n.err !== '') sink.note('error', n.err, at, Math.max(0, len));
  return n;
}

/** One question; returns the offset after it or -1. */
function decodeQuestion(sink: FieldSink, d: Uint8Array, msg: number, at: number, end: number): number {
  const n = readName(d, msg, at, end);
  const ok = n.next >= 0 && n.next + 4 <= end;
  const type = ok ? u16be(d, n.next) : -1;
  const cls = ok ? u16be(d, n.next + 2) : -1;
  const total = ok ? n.next + 4 - at : end - at;
  sink.open('dns.qry', n.text + (ok ? ': type ' + dnsTypeName(type) + ', class ' + className(cls & 0x7fff) : ''), at, Math.max(0, total));
  nameField(sink, 'dns.qry.name', 'Name', d, msg, at, end);
  if (ok) {
    sink.field('dns.qry.type', 'Type: ' + dnsTypeName(type) + ' (' + type + ')', n.next, 2, type, dnsTypeName(type));
    sink.field('dns.qry.class', 'Class: ' + className(cls & 0x7fff) + ' (0x' + hexPad(cls, 4) + ')', n.next + 2, 2, cls, className(cls & 0x7fff));
  } else if (n.next >= 0) sink.note('error', 'question cut short: type and class not captured', n.next, Math.max(0, end - n.next));
  sink.close();
  return ok ? n.next + 4 : -1;
}

function rdataSummary(d: Uint8Array, msg: number, type: number, rd: number, rdlen: number, end: number): string {
  if (rd + rdlen > end) return '';
  switch (type) {
    case T_A:
      return rdlen === 4 ? ipv4String(d, rd) : '';
    case T_AAAA:
      return rdlen === 16 ? ipv6String(d, rd) : '';
    case T_NS:
    case T_CNAME:
    case T_PTR:
    case T_DNAME:
      return readName(d, msg, rd, rd + rdlen).text;
    case T_MX:
      return rdlen > 2 ? readName(d, msg, rd + 2, rd + rdlen).text : '';
    case T_SOA:
      return readName(d, msg, rd, rd + rdlen).text;
    case T_SRV:
      return rdlen > 6 ? readName(d, msg, rd + 6, rd + rdlen).text : '';
    default:
      return '';
  }
}

function decodeRdata(sink: FieldSink, d: Uint8Array, msg: number, type: number, rd: number, rdlen: number, end: number): void {
  const lim = Math.min(rd + rdlen, end);
  switch (type) {
    case T_A:
      if (rdlen === 4 && lim === rd + 4) sink.field('dns.a', 'Address: ' + ipv4String(d, rd), rd, 4, ipv4String(d, rd), ipv4String(d, rd));
      break;
    case T_AAAA:
      if (rdlen === 16 && lim === rd + 16) sink.field('dns.aaaa', 'AAAA Address: ' + ipv6String(d, rd), rd, 16, ipv6String(d, rd), ipv6String(d, rd));
      break;
    case T_CNAME:
      nameField(sink, 'dns.cname', 'CNAME', d, msg, rd, lim);
      break;
    case T_NS:
      nameField(sink, 'dns.ns', 'Name Server', d, msg, rd, lim);
      break;
    case T_PTR:
      nameField(sink, 'dns.ptr.domain_name', 'Domain Name', d, msg, rd, lim);
      break;
    case T_MX:
      if (rd + 2 <= lim) {
        sink.field('dns.mx.preference', 'Preference: ' + u16be(d, rd), rd, 2, u16be(d, rd), String(u16be(d, rd)));
        nameField(sink, 'dns.mx.mail_exchange', 'Mail Exchange', d, msg, rd + 2, lim);
      }
      break;
    case T_SRV:
      if (rd + 6 <= lim) {
        sink.field('dns.srv.priority', 'Priority: ' + u16be(d, rd), rd, 2, u16be(d, rd), String(u16be(d, rd)));
        sink.field('dns.srv.weight', 'Weight: ' + u16be(d, rd + 2), rd + 2, 2, u16be(d, rd + 2), String(u16be(d, rd + 2)));
        sink.field('dns.srv.port', 'Port: ' + u16be(d, rd + 4), rd + 4, 2, u16be(d, rd + 4), String(u16be(d, rd + 4)));
        nameField(sink, 'dns.srv.target', 'Target', d, msg, rd + 6, lim);
      }
      break;
    case T_SOA: {
      const m = nameField(sink, 'dns.soa.mname', 'Primary name server', d, msg, rd, lim);
      if (m.next < 0) break;
      const r = nameField(sink, 'dns.soa.rname', 'Responsible authority\'s mailbox', d, msg, m.next, lim);
      if (r.next >= 0 && r.next + 4 <= lim) sink.field('dns.soa.serial_number', 'Serial Number: ' + u32be(d, r.next), r.next, 4, u32be(d, r.next), String(u32be(d, r.next)));
      break;
    }
    case T_TXT: {
      // character-strings, each bounded by its length byte and the record: at most rdlen iterations
      let p = rd;
      while (p < lim) {
        const n = d[p];
        const stop = Math.min(p + 1 + n, lim);
        let s = '';
        for (let i = p + 1; i < stop; i++) s += d[i] >= 0x20 && d[i] < 0x7f ? String.fromCharCode(d[i]) : '\\' + String(d[i]).padStart(3, '0');
        sink.field('dns.txt', 'TXT: ' + s, p, stop - p, s, s);
        p = p + 1 + n;
      }
      break;
    }
    default:
      break;
  }
}

/** One resource record; returns the offset after it or -1. */
function decodeRecord(sink: FieldSink, d: Uint8Array, msg: number, at: number, end: number): number {
  const n = readName(d, msg, at, end);
  if (n.next < 0 || n.next + 10 > end) {
    sink.open('dns.rr', n.text || 'record', at, Math.max(0, end - at));
    nameField(sink, 'dns.resp.name', 'Name', d, msg, at, end);
    sink.note('error', 'record cut short: ' + (n.err || 'type, class, TTL and length not captured'), at, Math.max(0, end - at));
    sink.close();
    return -1;
  }
  const p = n.next;
  const type = u16be(d, p);
  const cls = u16be(d, p + 2);
  const ttl = u32be(d, p + 4);
  const rdlen = u16be(d, p + 8);
  const rd = p + 10;
  const total = rd + rdlen - at;
  const summary = type === T_OPT ? '' : rdataSummary(d, msg, type, rd, rdlen, end);
  let label = n.text + ': type ' + dnsTypeName(type);
  label += type === T_OPT ? '' : ', class ' + className(cls & 0x7fff);
  if (summary !== '') label += ', ' + (type === T_A || type === T_AAAA ? 'addr ' : type === T_CNAME ? 'cname ' : type === T_NS ? 'ns ' : '') + summary;
  sink.open('dns.rr', label, at, Math.min(total, end - at));
  nameField(sink, 'dns.resp.name', 'Name', d, msg, at, end);
  sink.field('dns.resp.type', 'Type: ' + dnsTypeName(type) + ' (' + type + ')', p, 2, type, dnsTypeName(type));
  if (type === T_OPT) {
    sink.field('dns.rr.udp_payload_size', 'UDP payload size: ' + cls, p + 2, 2, cls, String(cls));
    sink.field('dns.resp.ext_rcode', 'Higher bits in extended RCODE: 0x' + hexPad(d[p + 4], 2), p + 4, 1, d[p + 4], '0x' + hexPad(d[p + 4], 2));
    sink.field('dns.resp.edns0_version', 'EDNS0 version: ' + d[p + 5], p + 5, 1, d[p + 5], String(d[p + 5]));
  } else {
    sink.field('dns.resp.class', 'Class: ' + className(cls & 0x7fff) + ' (0x' + hexPad(cls, 4) + ')', p + 2, 2, cls, className(cls & 0x7fff));
    sink.field('dns.resp.ttl', 'Time to live: ' + ttl + ' (' + ttlText(ttl) + ')', p + 4, 4, ttl, String(ttl));
  }
  sink.field('dns.resp.len', 'Data length: ' + rdlen, p + 8, 2, rdlen, String(rdlen));
  if (rd + rdlen > end) sink.note('warning', 'record data cut short: ' + Math.max(0, end - rd) + ' of ' + rdlen + ' bytes captured', rd, Math.max(0, end - rd));
  decodeRdata(sink, d, msg, type, rd, rdlen, end);
  sink.close();
  return rd + rdlen <= end ? rd + rdlen : -1;
}

function ttlText(s: number): string {
  if (s < 60) return s + ' second' + (s === 1 ? '' : 's');
  const parts: string[] = [];
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  let r = s;
  for (const [n, name] of units) {
    const q = Math.floor(r / n);
    if (q > 0) parts.push(q + ' ' + name + (q === 1 ? '' : 's'));
    r -= q * n;
  }
  return parts.join(', ');
}

const SECTIONS: [string, string][] = [
  ['dns.answers', 'Answers'],
  ['dns.authority', 'Authoritative nameservers'],
  ['dns.additional', 'Additional records'],
];

export function decodeDns(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, transport: AppTransport): void {
  const d = pkt.data;
  const b = bounds(pkt, off, len, transport);
  const capEnd = Math.min(off + len, pkt.caplen);
  sink.open('dns', 'Domain Name System', off, Math.max(0, capEnd - off));
  if (b === null) {
    sink.note('error', 'DNS over TCP: the 2-byte length is not captured', off, Math.max(0, capEnd - off));
    sink.close();
    return;
  }
  if (transport === 6) {
    const l = u16be(d, off);
    sink.field('dns.length', 'Length: ' + l, off, 2, l, String(l));
    if (l !== len - 2) sink.note(l > len - 2 ? 'info' : 'warning', 'the length field says ' + l + ' bytes; this segment carries ' + (len - 2) + (l > len - 2 ? ' (the message continues in later segments)' : ''), off, 2);
  }
  const { msg, end } = b;
  if (msg + DNS_HDR_LEN > end) {
    sink.note('error', 'DNS header cut short: ' + Math.max(0, end - msg) + ' of 12 bytes', msg, Math.max(0, end - msg));
    sink.close();
    return;
  }
  const id = u16be(d, msg);
  const f = u16be(d, msg + 2);
  const counts = [u16be(d, msg + 4), u16be(d, msg + 6), u16be(d, msg + 8), u16be(d, msg + 10)];
  sink.field('dns.id', 'Transaction ID: 0x' + hexPad(id, 4), msg, 2, id, '0x' + hexPad(id, 4));
  decodeFlags(sink, msg + 2, f);
  sink.field('dns.count.queries', 'Questions: ' + counts[0], msg + 4, 2, counts[0], String(counts[0]));
  sink.field('dns.count.answers', 'Answer RRs: ' + counts[1], msg + 6, 2, counts[1], String(counts[1]));
  sink.field('dns.count.auth_rr', 'Authority RRs: ' + counts[2], msg + 8, 2, counts[2], String(counts[2]));
  sink.field('dns.count.add_rr', 'Additional RRs: ' + counts[3], msg + 10, 2, counts[3], String(counts[3]));
  let p = msg + DNS_HDR_LEN;
  // every question/record consumes ≥ 1 byte (5 / 11): the loops end by the captured end, not by the counts
  if (counts[0] > 0) {
    sink.open('dns.queries', 'Queries', p, 0);
    const start = p;
    for (let i = 0; i < counts[0] && p >= 0 && p < end; i++) p = decodeQuestion(sink, d, msg, p, end);
    sink.close(Math.max(0, (p >= 0 ? p : end) - start));
  }
  for (let s = 0; s < 3; s++) {
    if (counts[s + 1] === 0 || p < 0 || p >= end) continue;
    sink.open(SECTIONS[s][0], SECTIONS[s][1], p, 0);
    const start = p;
    for (let i = 0; i < counts[s + 1] && p >= 0 && p < end; i++) p = decodeRecord(sink, d, msg, p, end);
    sink.close(Math.max(0, (p >= 0 ? p : end) - start));
  }
  // a note, not pkt.markTruncated: the packet's verdict must not depend on whether a sink asked
  if (end < b.msg + b.len) sink.note('warning', 'DNS message cut short by the capture: ' + (end - b.msg) + ' of ' + b.len + ' bytes', end, 0);
  sink.close();
}

// ---- Info text ----------------------------------------------------------------------------------

/** Info column text as Wireshark writes it: "Standard query 0x1234 A example.com", "… response 0x1234 A example.com A 1.2.3.4". */
export function dnsInfo(pkt: DecodedPacket, off: number, len: number, transport: AppTransport): string {
  const d = pkt.data;
  const b = bounds(pkt, off, len, transport);
  if (b === null) return '';
  const { msg, end } = b;
  if (msg + DNS_HDR_LEN > end) return '';
  const f = u16be(d, msg + 2);
  let s = dnsOpcodeName((f >> 11) & 15) + ((f & 0x8000) !== 0 ? ' response' : '') + ' 0x' + hexPad(u16be(d, msg), 4);
  if ((f & 0x8000) !== 0 && (f & 15) !== 0) s += ' ' + dnsRcodeName(f & 15);
  let p = msg + DNS_HDR_LEN;
  const qd = u16be(d, msg + 4);
  for (let i = 0; i < qd && p >= 0 && p < end; i++) {
    const n = readName(d, msg, p, end);
    if (n.next < 0 || n.next + 4 > end) return s;
    s += ' ' + dnsTypeName(u16be(d, n.next)) + ' ' + n.text;
    p = n.next + 4;
  }
  const rr = u16be(d, msg + 6) + u16be(d, msg + 8) + u16be(d, msg + 10);
  for (let i = 0; i < rr && p < end; i++) {
    const q = skipName(d, p, end);
    if (q < 0 || q + 10 > end) break;
    const type = u16be(d, q);
    const rdlen = u16be(d, q + 8);
    const sum = type === T_OPT ? '' : rdataSummary(d, msg, type, q + 10, rdlen, end);
    s += ' ' + dnsTypeName(type) + (sum !== '' ? ' ' + sum : '');
    p = q + 10 + rdlen;
  }
  return s;
}

export const DNS: AppProtocol = { name: 'DNS', decode: decodeDns, info: dnsInfo, fields: DNS_FIELDS };
