import type { CaptureRecord } from '../capture/types';
import { DecodedPacket, innermost, IPPROTO_TCP, NET_IPV4, NET_IPV6 } from '../decode/packet';
import { l4CapEnd } from '../decode/tcp';
import { u32be } from '../bytes';
import { IntIdMap } from '../intMaps';
import type { SegmentInput } from './types';

/**
 * The engine's view of a decoded capture packet, or null when the packet is not a TCP segment
 * whose fixed header was captured (non-TCP, non-first fragments, TCP header cut short). A
 * header whose data offset is bogus (< 20) still counts, as it does for Wireshark. In a tunnel
 * (IP-in-IP, 6in4, GRE, VXLAN) the segment is the innermost packet's, as for Wireshark's tcp.stream.
 *
 * With `into`, that object is filled and returned instead of a new one (the engine keeps nothing
 * of its input, so one scratch object can serve a whole capture: see `scratchSegment`).
 */
export function segmentFromPacket(pkt: DecodedPacket, rec: Pick<CaptureRecord, 'index' | 'tsSec' | 'tsNsec'>, into?: SegmentInput): SegmentInput | null {
  if (pkt.inner !== null) pkt = innermost(pkt);
  const { net, l4 } = pkt;
  if (l4.proto !== IPPROTO_TCP || (net.kind !== NET_IPV4 && net.kind !== NET_IPV6)) return null;
  if (l4CapEnd(pkt) - l4.off < 20) return null;
  const seg = into ?? scratchSegment();
  if (net.kind === NET_IPV4 && net.addrLen === 4) {
    const a = u32be(pkt.data, net.srcOff);
    const b = u32be(pkt.data, net.dstOff);
    seg.srcKey = a * 65536 + l4.sport;
    seg.dstKey = b * 65536 + l4.dport;
    seg.src = ipv4Text(a);
    seg.dst = ipv4Text(b);
  } else {
    seg.srcKey = undefined;
    seg.dstKey = undefined;
    seg.src = net.src;
    seg.dst = net.dst;
  }
  seg.index = rec.index;
  seg.tsSec = rec.tsSec;
  seg.tsNsec = rec.tsNsec;
  seg.sport = l4.sport;
  seg.dport = l4.dport;
  seg.flags = l4.flags;
  seg.seq = l4.seq;
  seg.ack = l4.ack;
  seg.win = l4.win;
  seg.len = Math.max(0, l4.payloadLen);
  seg.mss = l4.mss;
  seg.wscale = l4.wscale;
  seg.sackOk = l4.sackOk;
  seg.tsVal = l4.tsVal;
  seg.tsEcr = l4.tsEcr;
  seg.sack = undefined;
  seg.damaged = pkt.truncated || pkt.malformed;
  return seg;
}

/** A SegmentInput with every field present (one hidden class), to be filled by segmentFromPacket. */
export function scratchSegment(): SegmentInput {
  return {
    index: 0, tsSec: 0, tsNsec: 0, src: '', dst: '', sport: 0, dport: 0, flags: 0, seq: 0, ack: 0, win: 0, len: 0,
    mss: -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1, sack: undefined, srcKey: undefined, dstKey: undefined, damaged: false,
  };
}

/**
 * IPv4 address text, remembered for the addresses seen lately: a capture's packets keep naming the
 * same hosts, and formatting "a.b.c.d" for every packet is most of the cost of this adapter.
 * A deliberate process-wide cache, not a run's scratch: it memoises a pure function of the address
 * (the same text whoever asks), so two captures or two encapsulation levels sharing it cannot get a
 * wrong answer. Bounded: past 65,536 texts (about 5 MB: the strings plus a 262,144-slot id table) it is emptied and refilled,
 * so a capture naming every IPv4 address costs at most that, never more.
 */
const v4Ids = new IntIdMap();
let v4Texts: string[] = [''];
export function ipv4Text(a: number): string {
  const id = v4Ids.get(a);
  if (id !== 0) return v4Texts[id];
  if (v4Texts.length > 65536) {
    v4Ids.clear();
    v4Texts = [''];
  }
  const s = (a >>> 24) + '.' + ((a >>> 16) & 255) + '.' + ((a >>> 8) & 255) + '.' + (a & 255);
  v4Ids.set(a, v4Texts.length);
  v4Texts.push(s);
  return s;
}
