/**
 * Application decoders: well-known TCP/UDP port → decoder of the transport payload (DNS, HTTP, …).
 *
 * Cost choice: application decoding is never on the indexing fast path. decodeTcp/decodeUdp call
 * decodeApp only when a FieldSink is given (the details view, tests); the printer calls its own table
 * (print/app/index.ts) only while printing a line; the Info column asks appInfo() for the rows it
 * shows. So indexing millions of packets costs one `sink !== null` test per TCP/UDP packet.
 *
 * Info on every packet (the bench's bound, `npm run bench`: goal ≤ 15 % of decode + engine) stays cheap
 * because most segments say little and each info function tells them at their first bytes: a TLS
 * segment in the middle of a record or of encrypted records, an HTTP body, an SSH encrypted packet
 * (its text cached by length). The port lookup is two typed-array reads. On the bench's realistic
 * capture this took Info from +16–18 % to +8–11 % (18 interleaved runs of each: the fastest third, the
 * fastest), and appInfo itself from 65 to 45 ns a packet (~850 for decode + engine). A new protocol's info
 * should do the same, and test/app-info-equal.test.ts checks that every shortcut gives what the full
 * decoding gives, on every packet of the corpus and the generators.
 *
 * Adding a protocol: write src/core/decode/app/<proto>.ts exporting an AppProtocol, then add one entry
 * per port to TCP_APP_DECODERS and/or UDP_APP_DECODERS below (and its printer in print/app/index.ts).
 */

import { FieldSink } from '../fields';
import { DecodedPacket } from '../packet';
import { DNS, DNS_PORT, MDNS_PORT } from './dns';
import { HTTP, HTTP_ALT_PORT, HTTP_PORT } from './http';
import { FTP, FTP_PORT } from './ftp';
import { TLS, TLS_PORT } from './tls';
import { SSH, SSH_PORT } from './ssh';
import { IMAP, IMAP_PORT, POP, POP3_PORT, SMTP, SMTP_PORT, SUBMISSION_PORT } from './mail';
import { TELNET, TELNET_PORT } from './telnet';
import { BOOTPC_PORT, BOOTPS_PORT, DHCP } from './dhcp';
import { NTP, NTP_PORT } from './ntp';
import { SSDP, SSDP_PORT } from './ssdp';

/** The transport an application payload came on (IPPROTO_TCP = 6, IPPROTO_UDP = 17). */
export type AppTransport = 6 | 17;

/**
 * Decodes an application payload of `len` bytes at `off` in pkt.data (`len` is what the transport
 * header claims; bytes past pkt.caplen were not captured: bound every read by
 * `Math.min(off + len, pkt.caplen)`). Reports fields with byte ranges to `sink`. Never throws, never
 * loops or allocates without bound on hostile bytes.
 */
export type AppDecoder = (pkt: DecodedPacket, off: number, len: number, sink: FieldSink, transport: AppTransport) => void;

/**
 * Wireshark-like Info text for the payload ("Standard query 0x1234 A example.com",
 * "GET /index.html HTTP/1.1"); '' when the payload is not recognisably this protocol (the caller then
 * keeps the transport's own Info). Never throws.
 */
export type AppInfo = (pkt: DecodedPacket, off: number, len: number, transport: AppTransport) => string;

/** A filter field a decoder reports (for the filter field registry). */
export interface AppField {
  /** Wireshark field name ("dns.qry.name"). */
  name: string;
  type: 'uint' | 'int' | 'bool' | 'string' | 'ipv4' | 'ipv6' | 'bytes';
  description: string;
}

/** One application protocol: what the tables hold. */
export interface AppProtocol {
  /** Protocol column name as Wireshark shows it ("DNS", "HTTP", "TLSv1.2" is decided by info, not here). */
  name: string;
  decode: AppDecoder;
  info: AppInfo;
  fields: readonly AppField[];
}

/** TCP well-known port → protocol (either port matches, destination first). */
export const TCP_APP_DECODERS: ReadonlyMap<number, AppProtocol> = new Map<number, AppProtocol>([
  [DNS_PORT, DNS],
  [HTTP_PORT, HTTP],
  [HTTP_ALT_PORT, HTTP],
  [FTP_PORT, FTP],
  [TLS_PORT, TLS],
  [SSH_PORT, SSH],
  [TELNET_PORT, TELNET],
  [SMTP_PORT, SMTP],
  [SUBMISSION_PORT, SMTP],
  [POP3_PORT, POP],
  [IMAP_PORT, IMAP],
]);
/** UDP well-known port → protocol (either port matches, destination first). */
export const UDP_APP_DECODERS: ReadonlyMap<number, AppProtocol> = new Map<number, AppProtocol>([
  [DNS_PORT, DNS],
  [MDNS_PORT, DNS],
  [BOOTPS_PORT, DHCP],
  [BOOTPC_PORT, DHCP],
  [NTP_PORT, NTP],
  [SSDP_PORT, SSDP],
]);

/**
 * The same tables as arrays indexed by port: slot k of PROTOCOLS is protocol k (0 = none), and
 * TCP_SLOTS[port] / UDP_SLOTS[port] name the slot. Two typed-array reads instead of two Map lookups
 * per packet (the Map lookups were a sixth of appInfo's time with Info on every packet of the bench's
 * realistic capture); 2 × 64 KiB, built once from the Maps above, which stay the one place to edit.
 */
const PROTOCOLS: (AppProtocol | undefined)[] = [undefined];
function portSlots(t: ReadonlyMap<number, AppProtocol>): Uint8Array {
  const slots = new Uint8Array(65536);
  for (const [port, p] of t) {
    let k = PROTOCOLS.indexOf(p);
    if (k < 0) k = PROTOCOLS.push(p) - 1;
    if (port >= 0 && port < 65536) slots[port] = k;
  }
  return slots;
}
const TCP_SLOTS = portSlots(TCP_APP_DECODERS);
const UDP_SLOTS = portSlots(UDP_APP_DECODERS);

/** The protocol of the packet's transport payload by its ports, or undefined. */
export function appProtocolOf(transport: AppTransport, sport: number, dport: number): AppProtocol | undefined {
  const t = transport === 6 ? TCP_SLOTS : UDP_SLOTS;
  // ports come from 16-bit fields; `& 0xffff` keeps a stray value inside the table all the same
  const k = t[dport & 0xffff];
  return PROTOCOLS[k !== 0 ? k : t[sport & 0xffff]];
}

/**
 * Decode the application payload of a TCP/UDP packet into `sink` (called by decodeTcp/decodeUdp after
 * their own layer, only with a sink). A decoder bug is recorded on the packet, never thrown.
 */
export function decodeApp(pkt: DecodedPacket, transport: AppTransport, off: number, len: number, sink: FieldSink): void {
  if (len <= 0 || off >= pkt.caplen) return;
  const p = appProtocolOf(transport, pkt.l4.sport, pkt.l4.dport);
  if (p === undefined) return;
  try {
    p.decode(pkt, off, len, sink, transport);
  } catch (err) {
    pkt.markMalformed(p.name + ' decoder error: ' + (err instanceof Error ? err.message : String(err)));
  }
}

/** Info summary of the packet's application payload (after decodeFrame), '' when none. Never throws. */
export function appInfo(pkt: DecodedPacket): string {
  const l4 = pkt.l4;
  if (l4.proto !== 6 && l4.proto !== 17) return '';
  if (pkt.net.isFragment || l4.payloadLen <= 0 || l4.payloadOff >= pkt.caplen) return '';
  const p = appProtocolOf(l4.proto, l4.sport, l4.dport);
  if (p === undefined) return '';
  try {
    return p.info(pkt, l4.payloadOff, l4.payloadLen, l4.proto);
  } catch {
    return '';
  }
}

/** Every field of every registered protocol (deduplicated by name), for the filter field registry. */
export function appFields(): AppField[] {
  const seen = new Map<string, AppField>();
  for (const t of [TCP_APP_DECODERS, UDP_APP_DECODERS]) for (const p of t.values()) for (const f of p.fields) if (!seen.has(f.name)) seen.set(f.name, f);
  return [...seen.values()];
}
