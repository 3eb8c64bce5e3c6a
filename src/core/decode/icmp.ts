/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443) header decoder: type, code, checksum and, for echo
 * messages, identifier and sequence number. Fills pkt.l4.icmpType / icmpCode.
 */

import { u16be, hexPad } from '../bytes';
import { FieldSink } from './fields';
import { DecodedPacket, IPPROTO_ICMP, IPPROTO_ICMPV6 } from './packet';
import { l4CapEnd, l4Length } from './tcp';

export function decodeIcmp(pkt: DecodedPacket, sink: FieldSink | null, v6: boolean): void {
  const l4 = pkt.l4;
  const d = pkt.data;
  const off = pkt.net.payloadOff;
  const length = l4Length(pkt);
  const avail = l4CapEnd(pkt) - off;
  const p = v6 ? 'icmpv6' : 'icmp';
  l4.proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
  l4.off = off;
  if (avail >= 1) l4.icmpType = d[off];
  if (avail >= 2) l4.icmpCode = d[off + 1];
  const hdr = avail < 8 ? (avail > 0 ? avail : 0) : 8;
  l4.hdrLen = length < 8 ? (length > 0 ? length : 0) : 8;
  l4.payloadOff = off + 8;
  l4.payloadLen = length > 8 ? length - 8 : 0;
  if (sink) {
    sink.open(p, v6 ? 'Internet Control Message Protocol v6' : 'Internet Control Message Protocol', off, hdr);
    if (avail >= 1) sink.field(p + '.type', 'Type', off, 1, d[off], String(d[off]));
    if (avail >= 2) sink.field(p + '.code', 'Code', off + 1, 1, d[off + 1], String(d[off + 1]));
    if (avail >= 4) sink.field(p + '.checksum', 'Checksum', off + 2, 2, u16be(d, off + 2), '0x' + hexPad(u16be(d, off + 2), 4));
    const t = l4.icmpType;
    const echo = v6 ? t === 128 || t === 129 : t === 0 || t === 8 || t === 13 || t === 14 || t === 15 || t === 16 || t === 17 || t === 18;
    if (echo && avail >= 8) {
      sink.field(p + '.ident', 'Identifier', off + 4, 2, u16be(d, off + 4), String(u16be(d, off + 4)));
      sink.field(p + '.seq', 'Sequence Number', off + 6, 2, u16be(d, off + 6), String(u16be(d, off + 6)));
    } else if (avail >= 8) {
      sink.field(p + '.rest', 'Rest of header', off + 4, 4, u16be(d, off + 4) * 65536 + u16be(d, off + 6), '0x' + hexPad(u16be(d, off + 4), 4) + hexPad(u16be(d, off + 6), 4));
    }
    if (l4.payloadLen > 0 && avail > 8) sink.field(p + '.data', 'Data (' + l4.payloadLen + ' bytes)', off + 8, Math.min(avail - 8, l4.payloadLen), l4.payloadLen, l4.payloadLen + ' bytes');
  }
  if (avail < 4) {
    const msg = (v6 ? 'ICMPv6' : 'ICMP') + ' header cut short: ' + (avail > 0 ? avail : 0) + ' bytes captured';
    pkt.markTruncated(msg);
    if (sink) sink.note('error', msg, off, avail > 0 ? avail : 0);
  } else if (length < 4) {
    const msg = (v6 ? 'ICMPv6' : 'ICMP') + ' message length ' + length + ' is too short';
    pkt.markMalformed(msg);
    if (sink) sink.note('error', msg, off, 4);
  }
  if (sink) sink.close();
}
