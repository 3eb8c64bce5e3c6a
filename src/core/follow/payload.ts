/**
 * Where a decoded packet's TCP payload lies in its frame, and whether Wireshark's follow tap sees
 * the segment at all. Pure.
 */
import { decodeFrame } from '../decode/index';
import { DecodedPacket, IPPROTO_TCP, IPPROTO_UDP, NET_IPV4, NET_IPV6 } from '../decode/packet';
import { l4CapEnd, l4Length } from '../decode/tcp';

/** A segment's payload as the follow reassembler takes it. */
export interface PayloadRef {
  /** Offset of the first payload byte in the frame (the capture record's data). */
  off: number;
  /** Payload bytes present in the frame (≤ the segment length the IP header claims: a snaplen cuts it). */
  capLen: number;
  /**
   * false when Wireshark's follow tap never sees the segment: a TCP header length below 20 or longer than
   * the segment (packet-tcp.c returns before `tap_queue_packet(tcp_follow_tap, …)`).
   */
  tapped: boolean;
}

/** UDP port of VXLAN (RFC 7348): segmentFromPacket follows its inner TCP segment, and so do we. */
const VXLAN_PORT = 4789;
let inner: DecodedPacket | undefined;

/** The payload of the TCP segment segmentFromPacket found in `pkt` (one level of VXLAN too); `into` is filled and returned. */
export function payloadOf(pkt: DecodedPacket, into: PayloadRef = { off: 0, capLen: 0, tapped: false }, base = 0): PayloadRef {
  const { net, l4 } = pkt;
  into.off = 0;
  into.capLen = 0;
  into.tapped = false;
  if (base === 0 && l4.proto === IPPROTO_UDP && (l4.sport === VXLAN_PORT || l4.dport === VXLAN_PORT)) {
    const start = l4.off + 16; // UDP header, VXLAN header
    const end = l4CapEnd(pkt);
    if (start + 14 > end) return into;
    inner ??= new DecodedPacket();
    decodeFrame(inner, pkt.data.subarray(start, end), Math.max(0, l4.payloadLen - 8), 1);
    return payloadOf(inner, into, start);
  }
  if (l4.proto !== IPPROTO_TCP || (net.kind !== NET_IPV4 && net.kind !== NET_IPV6)) return into;
  const capEnd = l4CapEnd(pkt);
  if (capEnd - l4.off < 20 || l4.hdrLen < 20) return into;
  if (l4.hdrLen > l4Length(pkt)) return into;
  const segEnd = l4.payloadOff + l4.payloadLen;
  into.tapped = true;
  into.off = base + l4.payloadOff;
  const have = Math.min(capEnd, segEnd) - l4.payloadOff;
  into.capLen = have > 0 ? have : 0;
  return into;
}
