/**
 * UDP header decoder (RFC 768). Fills pkt.l4 (sport, dport, hdrLen 8, payload); reports fields.
 */

import { u16be, hexPad } from '../bytes';
import { FieldSink } from './fields';
import { DecodedPacket, IPPROTO_UDP } from './packet';
import { l4CapEnd, l4Length } from './tcp';
import { decodeVxlan, VXLAN_PORT } from './tunnel';
import { decodeApp } from './app/index';

export const UDP_HDR_LEN = 8;

/** What a UDP payload decoder gets: the payload's offset and length (as the UDP header bounds it). */
export type UdpPayloadDecoder = (pkt: DecodedPacket, off: number, len: number, sink: FieldSink | null) => void;

/**
 * Well-known port → application decoder (either port matches, destination first). Add a protocol
 * by adding an entry. Only what carries TCP or names the next layer belongs here.
 */
export const UDP_PORT_DECODERS: ReadonlyMap<number, UdpPayloadDecoder> = new Map<number, UdpPayloadDecoder>([
  [VXLAN_PORT, decodeVxlan],
]);

export function decodeUdp(pkt: DecodedPacket, sink: FieldSink | null): void {
  const l4 = pkt.l4;
  const d = pkt.data;
  const off = pkt.net.payloadOff;
  const length = l4Length(pkt);
  const avail = l4CapEnd(pkt) - off;
  l4.proto = IPPROTO_UDP;
  l4.off = off;
  if (avail >= 4) {
    l4.sport = u16be(d, off);
    l4.dport = u16be(d, off + 2);
  }
  if (avail < UDP_HDR_LEN) {
    const msg = 'UDP header cut short: ' + (avail > 0 ? avail : 0) + ' of 8 bytes captured';
    pkt.markTruncated(msg);
    if (sink) {
      sink.open('udp', 'User Datagram Protocol', off, avail > 0 ? avail : 0);
      if (avail >= 2) sink.field('udp.srcport', 'Source Port', off, 2, u16be(d, off), String(u16be(d, off)));
      if (avail >= 4) sink.field('udp.dstport', 'Destination Port', off + 2, 2, l4.dport, String(l4.dport));
      sink.note('error', msg, off, avail > 0 ? avail : 0);
      sink.close();
    }
    return;
  }
  let ulen = u16be(d, off + 4);
  const sum = u16be(d, off + 6);
  l4.hdrLen = UDP_HDR_LEN;
  l4.payloadOff = off + UDP_HDR_LEN;
  // IPv6 jumbograms carry 0 in the UDP length
  if (ulen === 0 && length > 65535) ulen = length;
  let plen = length - UDP_HDR_LEN;
  if (ulen >= UDP_HDR_LEN && ulen - UDP_HDR_LEN < plen) plen = ulen - UDP_HDR_LEN;
  l4.payloadLen = plen > 0 ? plen : 0;
  if (sink) {
    sink.open('udp', 'User Datagram Protocol, Src Port: ' + l4.sport + ', Dst Port: ' + l4.dport, off, UDP_HDR_LEN);
    sink.field('udp.srcport', 'Source Port', off, 2, l4.sport, String(l4.sport));
    sink.field('udp.dstport', 'Destination Port', off + 2, 2, l4.dport, String(l4.dport));
    sink.field('udp.length', 'Length', off + 4, 2, u16be(d, off + 4), String(u16be(d, off + 4)));
    sink.field('udp.checksum', 'Checksum', off + 6, 2, sum, '0x' + hexPad(sum, 4));
  }
  if (length < UDP_HDR_LEN) {
    const msg = 'UDP datagram length ' + length + ' is shorter than a UDP header';
    pkt.markMalformed(msg);
    if (sink) sink.note('error', msg, off, UDP_HDR_LEN);
  } else if (ulen < UDP_HDR_LEN) {
    const msg = 'bad UDP length ' + ulen + ' (< 8)';
    pkt.markMalformed(msg);
    if (sink) sink.note('error', msg, off + 4, 2);
  } else if (ulen > length) {
    const msg = 'UDP length ' + ulen + ' is longer than the IP payload (' + length + ')';
    pkt.markMalformed(msg);
    if (sink) sink.note('warning', msg, off + 4, 2);
  }
  if (sink) {
    if (l4.payloadLen > 0) {
      const have = l4CapEnd(pkt) - l4.payloadOff;
      sink.field('udp.payload', 'UDP payload (' + l4.payloadLen + ' bytes)', l4.payloadOff, Math.max(0, Math.min(have, l4.payloadLen)), l4.payloadLen, l4.payloadLen + ' bytes');
    }
    sink.close();
  }
  if (pkt.net.isFragment) return;
  const app = UDP_PORT_DECODERS.get(l4.dport) ?? UDP_PORT_DECODERS.get(l4.sport);
  if (app !== undefined) app(pkt, l4.payloadOff, l4.payloadLen, sink);
  // application protocols (DNS, …) only for the details tree: never on the indexing fast path
  else if (sink) decodeApp(pkt, IPPROTO_UDP, l4.payloadOff, l4.payloadLen, sink);
}
