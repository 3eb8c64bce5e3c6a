import type { CaptureRecord } from '../capture/types';
import { decodeFrame } from '../decode/index';
import { DecodedPacket, IPPROTO_TCP, IPPROTO_UDP, NET_IPV4, NET_IPV6 } from '../decode/packet';
import { l4CapEnd } from '../decode/tcp';
import { u32be } from '../bytes';
import type { SegmentInput } from './types';

/**
 * The engine's view of a decoded capture packet, or null when the packet is not a TCP segment
 * whose fixed header was captured (non-TCP, non-first fragments, TCP header cut short). A
 * header whose data offset is bogus (< 20) still counts, as it does for Wireshark.
 */
export function segmentFromPacket(pkt: DecodedPacket, rec: Pick<CaptureRecord, 'index' | 'tsSec' | 'tsNsec'>): SegmentInput | null {
  const { net, l4 } = pkt;
  if (l4.proto === IPPROTO_UDP && (l4.sport === VXLAN_PORT || l4.dport === VXLAN_PORT)) return vxlanSegment(pkt, rec);
  if (l4.proto !== IPPROTO_TCP || (net.kind !== NET_IPV4 && net.kind !== NET_IPV6)) return null;
  if (l4CapEnd(pkt) - l4.off < 20) return null;
  let srcKey: number | undefined;
  let dstKey: number | undefined;
  if (net.kind === NET_IPV4 && net.addrLen === 4) {
    srcKey = u32be(pkt.data, net.srcOff) * 65536 + l4.sport;
    dstKey = u32be(pkt.data, net.dstOff) * 65536 + l4.dport;
  }
  return {
    srcKey,
    dstKey,
    index: rec.index,
    tsSec: rec.tsSec,
    tsNsec: rec.tsNsec,
    src: net.src,
    dst: net.dst,
    sport: l4.sport,
    dport: l4.dport,
    flags: l4.flags,
    seq: l4.seq,
    ack: l4.ack,
    win: l4.win,
    len: Math.max(0, l4.payloadLen),
    mss: l4.mss,
    wscale: l4.wscale,
    sackOk: l4.sackOk,
    tsVal: l4.tsVal,
    tsEcr: l4.tsEcr,
    damaged: pkt.truncated || pkt.malformed,
  };
}

/** UDP port of VXLAN (RFC 7348), which tcpdump and Wireshark both open without being told. */
const VXLAN_PORT = 4789;
let innerPkt: DecodedPacket | undefined;

/** The TCP segment inside a VXLAN-encapsulated Ethernet frame, as Wireshark sees it. */
function vxlanSegment(pkt: DecodedPacket, rec: Pick<CaptureRecord, 'index' | 'tsSec' | 'tsNsec'>): SegmentInput | null {
  const start = pkt.l4.off + 8 + 8; // UDP header, VXLAN header
  const end = l4CapEnd(pkt);
  if (start + 14 > end) return null;
  innerPkt ??= new DecodedPacket();
  decodeFrame(innerPkt, pkt.data.subarray(start, end), Math.max(0, pkt.l4.payloadLen - 8), 1);
  // one level only: a VXLAN frame inside VXLAN is not followed further
  if (innerPkt.l4.proto !== IPPROTO_TCP) return null;
  return segmentFromPacket(innerPkt, rec);
}
