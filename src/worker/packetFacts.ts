/**
 * PacketFacts: everything the capture editor's index keeps of one packet, taken from its record and
 * its decode — the record's place, lengths and time, the filter columns' protocol class, ports and
 * addresses, the TCP flags and the segment the engine analyses. IndexRun (src/worker/indexRun.ts)
 * fills the columns and runs the engine from these facts only, so the decode can happen elsewhere:
 * in the same thread (small files) or one packet ahead in a second thread (src/worker/decodeAhead.ts),
 * which writes the facts into a shared ring of Float64 slots (`writeSlot`) that this thread reads
 * back (`readSlot`). The two paths give the same index; test/decode-ahead.test.ts compares them.
 */
import type { CaptureRecord } from '../core/capture/types';
import { ipv6String, u32be } from '../core/bytes';
import { innermost, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, NET_ARP, NET_IPV4, NET_IPV6, type DecodedPacket } from '../core/decode/packet';
import { KIND_FLAGS, PC_ARP, PC_ICMP, PC_ICMP6, PC_IP4, PC_IP6, PC_OTHER, PC_TCP4, PC_TCP6, PC_UDP4, PC_UDP6 } from '../core/filter/eval';
import { ipv4Text, scratchSegment, segmentFromPacket } from '../core/tcp/fromPacket';
import type { SegmentInput } from '../core/tcp/types';
import { HDR_EPB, HDR_PCAP, HDR_SPB } from './packetColumns';

/** No address (ARP, a header cut short…), an IPv4 address (a number), an IPv6 one (its text). */
export const FAM_NONE = 0;
export const FAM_V4 = 1;
export const FAM_V6 = 2;

export class PacketFacts {
  // the record
  fileOffset = 0;
  fileLength = 0;
  caplen = 0;
  origLen = 0;
  tsSec = 0;
  tsNsec = 0;
  tsPrecision: 6 | 9 = 6;
  linkType = 0;
  /** HDR_PCAP / HDR_EPB / HDR_SPB: the record header's kind (src/worker/packetColumns.ts). */
  hdr = HDR_PCAP;
  // the filter columns
  /** Protocol class (PC_* of src/core/filter/eval.ts). */
  pc = PC_OTHER;
  sport = 0;
  dport = 0;
  srcFam = FAM_NONE;
  dstFam = FAM_NONE;
  src4 = 0;
  dst4 = 0;
  src6 = '';
  dst6 = '';
  /** Truncated or malformed. */
  bad = false;
  /** The outer TCP header's flags (KIND_FLAGS bits), 0 when the packet is not TCP: the row's flags when the engine does not see it. */
  tcpFlags = 0;
  // the TCP segment (of the innermost packet in a tunnel)
  hasSeg = false;
  /** The segment's header is shorter than 20 bytes by its data offset (tcpdump then prints no relative numbers). */
  shortHdr = false;
  /** The segment comes from an encapsulated packet (its addresses are not the columns'). */
  segInner = false;
  readonly seg: SegmentInput = scratchSegment();

  /** Fill from a record and its decode (`pkt` decoded from `rec.data`). */
  fromPacket(rec: CaptureRecord, pkt: DecodedPacket): void {
    this.fileOffset = rec.fileOffset;
    this.fileLength = rec.fileLength;
    this.caplen = rec.data.length;
    this.origLen = rec.origLen;
    this.tsSec = rec.tsSec;
    this.tsNsec = rec.tsNsec;
    this.tsPrecision = rec.tsPrecision;
    this.linkType = rec.linkType;
    this.hdr = rec.blockType === 'pcap' ? HDR_PCAP : rec.blockType === 'SPB' ? HDR_SPB : HDR_EPB;

    const net = pkt.net;
    const l4 = pkt.l4;
    let pc = PC_OTHER;
    let sp = 0;
    let dp = 0;
    if (net.kind === NET_IPV4 || net.kind === NET_IPV6) {
      const v4 = net.kind === NET_IPV4;
      switch (l4.proto) {
        case IPPROTO_TCP:
          pc = v4 ? PC_TCP4 : PC_TCP6;
          sp = l4.sport;
          dp = l4.dport;
          break;
        case IPPROTO_UDP:
          pc = v4 ? PC_UDP4 : PC_UDP6;
          sp = l4.sport;
          dp = l4.dport;
          break;
        case IPPROTO_ICMP:
          pc = PC_ICMP;
          break;
        case IPPROTO_ICMPV6:
          pc = PC_ICMP6;
          break;
        default:
          pc = v4 ? PC_IP4 : PC_IP6;
      }
    } else if (net.kind === NET_ARP) pc = PC_ARP;
    this.pc = pc;
    this.sport = sp;
    this.dport = dp;
    this.srcFam = FAM_NONE;
    this.dstFam = FAM_NONE;
    if (net.addrLen === 4 && net.srcOff + 4 <= pkt.caplen && net.dstOff + 4 <= pkt.caplen) {
      this.srcFam = FAM_V4;
      this.dstFam = FAM_V4;
      this.src4 = u32be(pkt.data, net.srcOff);
      this.dst4 = u32be(pkt.data, net.dstOff);
    } else if (net.addrLen === 16) {
      // '' when the bytes were not captured: no address then (as the columns always did)
      const a = net.src;
      const b = net.dst;
      if (a) {
        this.srcFam = FAM_V6;
        this.src6 = a;
      }
      if (b) {
        this.dstFam = FAM_V6;
        this.dst6 = b;
      }
    }
    this.bad = pkt.truncated || pkt.malformed;
    const seg = segmentFromPacket(pkt, rec, this.seg);
    this.hasSeg = seg !== null;
    this.tcpFlags = l4.proto === IPPROTO_TCP ? l4.flags & KIND_FLAGS : 0;
    this.segInner = pkt.inner !== null;
    // printTcp takes relative numbers only from packets with ACK whose header length is ≥ 20
    // (it stops at "[bad hdr length …]" before); VXLAN's inner header is not looked at here
    this.shortHdr = seg !== null && l4.proto === IPPROTO_TCP && l4.off + 12 < pkt.caplen && pkt.data[l4.off + 12] >> 4 < 5;
    if (seg !== null && seg.srcKey === undefined) {
      // an IPv6 segment: its addresses as 16 bytes for the slot (the innermost packet's)
      const inner = innermost(pkt);
      this.segSrcOff = inner.net.srcOff;
      this.segDstOff = inner.net.dstOff;
      this.segData = inner.data;
    } else this.segData = null;
  }

  /** Where an IPv6 segment's address bytes are (fromPacket → writeSlot only). */
  private segData: Uint8Array | null = null;
  private segSrcOff = 0;
  private segDstOff = 0;

  /** Write these facts into slot `s` (SLOT_WORDS doubles from word s·SLOT_WORDS) of a ring. */
  writeSlot(ring: Float64Array, bytes: Uint8Array, s: number): void {
    const o = s * SLOT_WORDS;
    ring[o + W_OFFSET] = this.fileOffset;
    ring[o + W_LENGTH] = this.fileLength;
    ring[o + W_CAPLEN] = this.caplen;
    ring[o + W_ORIGLEN] = this.origLen;
    ring[o + W_SEC] = this.tsSec;
    ring[o + W_NSEC] = this.tsNsec;
    ring[o + W_LINK] = this.linkType;
    ring[o + W_SPORT] = this.sport;
    ring[o + W_DPORT] = this.dport;
    ring[o + W_TCPFLAGS] = this.tcpFlags;
    // an address text longer than its slot cannot come from ipv6String (45 characters at most):
    // such an address would be left out, as one not captured is
    const sf = this.srcFam === FAM_V6 && !putText(bytes, (o + W_SRC6) * 8, this.src6) ? FAM_NONE : this.srcFam;
    const df = this.dstFam === FAM_V6 && !putText(bytes, (o + W_DST6) * 8, this.dst6) ? FAM_NONE : this.dstFam;
    let bits =
      this.hdr |
      (this.pc << 2) |
      (this.tsPrecision === 9 ? B_NS : 0) |
      (this.bad ? B_BAD : 0) |
      (this.shortHdr ? B_SHORT : 0) |
      (this.segInner ? B_INNER : 0) |
      (sf << SRC_FAM_SHIFT) |
      (df << DST_FAM_SHIFT);
    if (sf === FAM_V4) ring[o + W_SRC4] = this.src4;
    if (df === FAM_V4) ring[o + W_DST4] = this.dst4;
    if (this.hasSeg) {
      const g = this.seg;
      bits |= B_SEG | (g.damaged ? B_SEG_DAMAGED : 0) | (g.sackOk ? B_SEG_SACKOK : 0);
      if (g.srcKey !== undefined && g.dstKey !== undefined) {
        ring[o + W_SEG_SKEY] = g.srcKey;
        ring[o + W_SEG_DKEY] = g.dstKey;
      } else {
        bits |= B_SEG_V6;
        if (this.segData !== null) {
          bytes.set(this.segData.subarray(this.segSrcOff, this.segSrcOff + 16), (o + W_SEG_SRC6) * 8);
          bytes.set(this.segData.subarray(this.segDstOff, this.segDstOff + 16), (o + W_SEG_DST6) * 8);
        }
      }
      ring[o + W_SEG_SPORT] = g.sport;
      ring[o + W_SEG_DPORT] = g.dport;
      ring[o + W_SEG_FLAGS] = g.flags;
      ring[o + W_SEG_SEQ] = g.seq;
      ring[o + W_SEG_ACK] = g.ack;
      ring[o + W_SEG_WIN] = g.win;
      ring[o + W_SEG_LEN] = g.len;
      ring[o + W_SEG_MSS] = g.mss;
      ring[o + W_SEG_WSCALE] = g.wscale;
      ring[o + W_SEG_TSVAL] = g.tsVal;
      ring[o + W_SEG_TSECR] = g.tsEcr;
    }
    ring[o + W_BITS] = bits;
  }

  /** Read slot `s` of a ring into these facts; `index` is the packet's number (the segment's index). */
  readSlot(ring: Float64Array, bytes: Uint8Array, s: number, index: number): void {
    const o = s * SLOT_WORDS;
    const bits = ring[o + W_BITS];
    this.fileOffset = ring[o + W_OFFSET];
    this.fileLength = ring[o + W_LENGTH];
    this.caplen = ring[o + W_CAPLEN];
    this.origLen = ring[o + W_ORIGLEN];
    this.tsSec = ring[o + W_SEC];
    this.tsNsec = ring[o + W_NSEC];
    this.tsPrecision = (bits & B_NS) !== 0 ? 9 : 6;
    this.linkType = ring[o + W_LINK];
    this.hdr = bits & 3;
    this.pc = (bits >> 2) & 15;
    this.sport = ring[o + W_SPORT];
    this.dport = ring[o + W_DPORT];
    this.tcpFlags = ring[o + W_TCPFLAGS];
    this.bad = (bits & B_BAD) !== 0;
    this.shortHdr = (bits & B_SHORT) !== 0;
    this.segInner = (bits & B_INNER) !== 0;
    this.srcFam = (bits >> SRC_FAM_SHIFT) & 3;
    this.dstFam = (bits >> DST_FAM_SHIFT) & 3;
    if (this.srcFam === FAM_V4) this.src4 = ring[o + W_SRC4];
    else if (this.srcFam === FAM_V6) this.src6 = getText(bytes, (o + W_SRC6) * 8);
    if (this.dstFam === FAM_V4) this.dst4 = ring[o + W_DST4];
    else if (this.dstFam === FAM_V6) this.dst6 = getText(bytes, (o + W_DST6) * 8);
    this.hasSeg = (bits & B_SEG) !== 0;
    if (!this.hasSeg) return;
    const g = this.seg;
    g.index = index;
    g.tsSec = this.tsSec;
    g.tsNsec = this.tsNsec;
    g.sport = ring[o + W_SEG_SPORT];
    g.dport = ring[o + W_SEG_DPORT];
    if ((bits & B_SEG_V6) === 0) {
      const sk = ring[o + W_SEG_SKEY];
      const dk = ring[o + W_SEG_DKEY];
      g.srcKey = sk;
      g.dstKey = dk;
      g.src = ipv4Text(Math.floor(sk / 65536));
      g.dst = ipv4Text(Math.floor(dk / 65536));
    } else {
      g.srcKey = undefined;
      g.dstKey = undefined;
      if (!this.segInner && this.srcFam === FAM_V6 && this.dstFam === FAM_V6) {
        g.src = this.src6;
        g.dst = this.dst6;
      } else {
        g.src = ipv6String(bytes, (o + W_SEG_SRC6) * 8);
        g.dst = ipv6String(bytes, (o + W_SEG_DST6) * 8);
      }
    }
    g.flags = ring[o + W_SEG_FLAGS];
    g.seq = ring[o + W_SEG_SEQ];
    g.ack = ring[o + W_SEG_ACK];
    g.win = ring[o + W_SEG_WIN];
    g.len = ring[o + W_SEG_LEN];
    g.mss = ring[o + W_SEG_MSS];
    g.wscale = ring[o + W_SEG_WSCALE];
    g.sackOk = (bits & B_SEG_SACKOK) !== 0;
    g.tsVal = ring[o + W_SEG_TSVAL];
    g.tsEcr = ring[o + W_SEG_TSECR];
    g.sack = undefined;
    g.damaged = (bits & B_SEG_DAMAGED) !== 0;
  }
}

/** A slot's text: a length word (UTF-16 units, ≤ 47) then the units, 2 bytes each, in 96 bytes. */
function putText(bytes: Uint8Array, at: number, s: string): boolean {
  const n = s.length;
  if (n > TEXT_MAX) return false;
  bytes[at] = n;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    bytes[at + 2 + 2 * k] = c & 255;
    bytes[at + 3 + 2 * k] = c >> 8;
  }
  return true;
}

function getText(bytes: Uint8Array, at: number): string {
  const n = bytes[at];
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(bytes[at + 2 + 2 * k] | (bytes[at + 3 + 2 * k] << 8));
  return s;
}

// Slot layout (Float64 words). An IPv6 address text takes 12 words (96 bytes: length + 47 UTF-16 units; the
// longest text ipv6String makes is 39 characters, an IPv4-mapped form 45).
const W_OFFSET = 0;
const W_LENGTH = 1;
const W_CAPLEN = 2;
const W_ORIGLEN = 3;
const W_SEC = 4;
const W_NSEC = 5;
const W_LINK = 6;
const W_BITS = 7;
const W_SPORT = 8;
const W_DPORT = 9;
const W_TCPFLAGS = 10;
const W_SRC4 = 11;
const W_DST4 = 12;
const W_SEG_SKEY = 13;
const W_SEG_DKEY = 14;
const W_SEG_SPORT = 15;
const W_SEG_DPORT = 16;
const W_SEG_FLAGS = 17;
const W_SEG_SEQ = 18;
const W_SEG_ACK = 19;
const W_SEG_WIN = 20;
const W_SEG_LEN = 21;
const W_SEG_MSS = 22;
const W_SEG_WSCALE = 23;
const W_SEG_TSVAL = 24;
const W_SEG_TSECR = 25;
const W_SEG_SRC6 = 26; // 2 words
const W_SEG_DST6 = 28; // 2 words
const W_SRC6 = 30; // 12 words
const W_DST6 = 42; // 12 words
/** Float64 words a slot takes (432 bytes). */
export const SLOT_WORDS = 54;
const TEXT_MAX = 47;

const B_NS = 1 << 6;
const B_BAD = 1 << 7;
const B_SHORT = 1 << 8;
const B_INNER = 1 << 9;
const SRC_FAM_SHIFT = 10;
const DST_FAM_SHIFT = 12;
const B_SEG = 1 << 14;
const B_SEG_V6 = 1 << 15;
const B_SEG_DAMAGED = 1 << 16;
const B_SEG_SACKOK = 1 << 17;
