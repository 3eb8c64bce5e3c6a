import { hexPad, u16be } from '../bytes';
import { FieldSink } from './fields';
import { DecodedPacket, NET_OTHER } from './packet';
import { ETHERTYPE_IP, ETHERTYPE_IPV6 } from './numbers';
import { PppHeader } from './scratch';

/**
 * PPPoE session stage (RFC 2516, EtherType 0x8864) and the PPP header it carries (RFC 1661),
 * read the way tcpdump's pppoe_print and ppp_print read them: a 6-byte PPPoE header, then the
 * optional FF 03 address/control bytes and a 1- or 2-byte PPP protocol. IPv4 (0x0021) and IPv6
 * (0x0057) are handed on through the EtherType table (link.next); other PPP protocols (LCP, IPCP,
 * …) carry no TCP and stay undecoded.
 */

export const PPPOE_HDRLEN = 6;
export const PPP_IP = 0x0021;
export const PPP_IPV6 = 0x0057;

/** Read the PPP header at `off` (`length` bytes from there on the wire). False when cut short. */
export function readPpp(d: Uint8Array, off: number, length: number, cap: number, into: PppHeader): boolean {
  let p = off;
  if (length < 2 || p + 2 > cap) return false;
  if (u16be(d, p) === 0xff03) {
    p += 2;
    length -= 2;
  }
  if (length < 1 || p + 1 > cap) return false;
  if (d[p] % 2 === 1) {
    // protocol field compression: one byte
    into.proto = d[p];
    p += 1;
  } else {
    if (length < 2 || p + 2 > cap) return false;
    into.proto = u16be(d, p);
    p += 2;
  }
  into.payloadOff = p;
  return true;
}

/** Report the PPP header at `p` (payload at ppp.payloadOff). */
function pppFields(sink: FieldSink, p: number, ppp: PppHeader): void {
  const n = ppp.payloadOff - p;
  sink.open('ppp', 'Point-to-Point Protocol', p, n);
  sink.field('ppp.protocol', 'Protocol', ppp.payloadOff - (n === 1 ? 1 : 2), n === 1 ? 1 : 2, ppp.proto,
    (ppp.proto === PPP_IP ? 'Internet Protocol version 4' : ppp.proto === PPP_IPV6 ? 'Internet Protocol version 6' : 'Unknown') + ' (0x' + hexPad(ppp.proto, 4) + ')');
  sink.close();
}

/**
 * A bare PPP frame (what GRE version 1 carries, opened as LINKTYPE_PPP): the PPP header, then IP
 * through the EtherType table. Returns the EtherType to hand on to, or -1.
 */
export function decodePppFrame(pkt: DecodedPacket, sink: FieldSink | null): number {
  const net = pkt.net;
  net.kind = NET_OTHER;
  net.off = 0;
  net.wireLen = pkt.origLen;
  const ppp = pkt.scratch.ppp;
  if (!readPpp(pkt.data, 0, pkt.origLen, pkt.caplen, ppp)) {
    pkt.link.trunc = 'ppp';
    pkt.markTruncated('PPP header cut short');
    if (sink) sink.note('error', pkt.problem, 0, pkt.caplen);
    return -1;
  }
  if (sink) pppFields(sink, 0, ppp);
  net.off = ppp.payloadOff;
  net.wireLen = pkt.origLen - ppp.payloadOff;
  return ppp.proto === PPP_IP ? ETHERTYPE_IP : ppp.proto === PPP_IPV6 ? ETHERTYPE_IPV6 : -1;
}

/** EtherType 0x8864: `off` is the PPPoE header, `length` the wire bytes from there. */
export function decodePppoeSession(pkt: DecodedPacket, off: number, length: number, sink: FieldSink | null): void {
  const d = pkt.data;
  const link = pkt.link;
  const net = pkt.net;
  net.kind = NET_OTHER;
  net.off = off;
  net.wireLen = length;
  if (length < PPPOE_HDRLEN) {
    pkt.markMalformed('PPPoE length ' + length + ' < 6');
    if (sink) sink.note('error', pkt.problem, off, Math.max(0, pkt.caplen - off));
    return;
  }
  if (pkt.caplen - off < PPPOE_HDRLEN) {
    link.trunc = 'pppoe';
    pkt.markTruncated('PPPoE header cut short: ' + Math.max(0, pkt.caplen - off) + ' of 6 bytes captured');
    if (sink) sink.note('error', pkt.problem, off, Math.max(0, pkt.caplen - off));
    return;
  }
  const code = d[off + 1];
  const session = u16be(d, off + 2);
  let plen = u16be(d, off + 4);
  if (plen > length - PPPOE_HDRLEN) plen = length - PPPOE_HDRLEN;
  if (sink) {
    sink.open('pppoes', 'PPP-over-Ethernet Session', off, PPPOE_HDRLEN);
    sink.field('pppoe.version', 'Version', off, 1, d[off] >> 4, String(d[off] >> 4), 0xf0);
    sink.field('pppoe.type', 'Type', off, 1, d[off] & 15, String(d[off] & 15), 0x0f);
    sink.field('pppoe.code', 'Code', off + 1, 1, code, code === 0 ? 'Session Data (0x00)' : '0x' + hexPad(code, 2));
    sink.field('pppoe.session_id', 'Session ID', off + 2, 2, session, '0x' + hexPad(session, 4));
    sink.field('pppoe.payload_length', 'Payload Length', off + 4, 2, u16be(d, off + 4), String(u16be(d, off + 4)));
    sink.close();
  }
  // discovery codes in a session frame carry tags, not PPP
  if (code !== 0) return;
  const p = off + PPPOE_HDRLEN;
  const ppp = pkt.scratch.ppp;
  if (!readPpp(d, p, plen, pkt.caplen, ppp)) {
    link.trunc = 'ppp';
    pkt.markTruncated('PPP header cut short');
    if (sink) sink.note('error', pkt.problem, p, Math.max(0, pkt.caplen - p));
    return;
  }
  if (sink) pppFields(sink, p, ppp);
  net.off = ppp.payloadOff;
  net.wireLen = plen - (ppp.payloadOff - p);
  if (ppp.proto === PPP_IP) link.next = ETHERTYPE_IP;
  else if (ppp.proto === PPP_IPV6) link.next = ETHERTYPE_IPV6;
}
