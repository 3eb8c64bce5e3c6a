/**
 * Which earlier packet sets the relative sequence numbers tcpdump prints for a packet (print-tcp.c
 * `tcp_seq_hash`, src/core/print/tcp.ts `relativeSeq`), so that the capture editor can print any
 * packet alone with a fresh PacketPrinter seeded by that one packet and get exactly the line that
 * `tcpdump -n -r` / `capture-lens print` print for the whole file. The printer stays the only
 * source of the numbers; this only picks the packet its table would have been filled from.
 *
 * The printer's rules, followed here:
 * - the table is keyed by the conversation: the unordered pair of (address, port) endpoints of the
 *   TCP header (the inner one for VXLAN) — NOT Wireshark's stream: a new SYN on the same 4-tuple
 *   starts a new stream but not a new conversation, and reordered packets do not matter;
 * - only packets with ACK (and a whole 20-byte header of length ≥ 20) take part;
 * - the first such packet of a conversation sets the bases, and so does every one with SYN.
 * So packet i's base is the last such "base event" of its conversation at or before i.
 *
 * Base events of a conversation form a chain (each links to the previous one of its conversation)
 * with skew-binary jump pointers (Myers 1983), so the last event at or before i is found in
 * O(log events) even when one 4-tuple carries millions of SYN+ACKs. 16 bytes per base event
 * (packet, previous, jump, depth), 8 per TCP stream (its conversation) and per conversation (its last event).
 */
import { TH_SYN } from '../core/decode/packet';
import type { SegmentInput } from '../core/tcp/types';

function grown(a: Int32Array<ArrayBuffer>, need: number, fill = 0): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  let len = Math.max(16, a.length * 2);
  while (len < need) len *= 2;
  const b = new Int32Array(len);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

export class SeqBases {
  /** Conversation of each engine stream (-1: not seen yet). */
  private streamConv = new Int32Array(256).fill(-1);
  /** Last base event of each conversation (-1: none yet: its next packet with ACK is one). */
  private convLast = new Int32Array(256).fill(-1);
  private convCount = 0;
  /** Conversation ids while indexing: IPv4 by the two (address << 16 | port) numbers, IPv6 by text. Dropped by seal(). */
  private v4: Map<number, Map<number, number>> | null = new Map();
  private v6: Map<string, number> | null = new Map();
  private v4Entries = 0;
  private evPkt = new Int32Array(1024);
  private evPrev = new Int32Array(1024);
  private evJump = new Int32Array(1024);
  private evDepth = new Int32Array(1024);
  private evCount = 0;

  /** Base events recorded (packets whose line restarts its conversation's relative numbers). */
  get events(): number {
    return this.evCount;
  }

  /**
   * Indexing, in packet order: packet i is segment `seg` of engine stream `stream`; `relative` is
   * true when the printer bases its numbers on it (ACK set, header length ≥ 20 — what makes
   * printTcp call relativeSeq).
   */
  note(i: number, stream: number, seg: SegmentInput, relative: boolean): void {
    let c = stream < this.streamConv.length ? this.streamConv[stream] : -1;
    if (c < 0) {
      c = this.conversation(seg);
      this.streamConv = grown(this.streamConv, stream + 1, -1);
      this.streamConv[stream] = c;
    }
    if (!relative) return;
    const last = this.convLast[c];
    if (last >= 0 && (seg.flags & TH_SYN) === 0) return; // every SYN (with ACK) re-bases
    const k = this.evCount++;
    if (k === this.evPkt.length) {
      this.evPkt = grown(this.evPkt, k + 1);
      this.evPrev = grown(this.evPrev, k + 1);
      this.evJump = grown(this.evJump, k + 1);
      this.evDepth = grown(this.evDepth, k + 1);
    }
    this.evPkt[k] = i;
    this.evPrev[k] = last;
    if (last < 0) {
      this.evDepth[k] = 0;
      this.evJump[k] = k;
    } else {
      const j = this.evJump[last];
      const d = this.evDepth;
      this.evDepth[k] = d[last] + 1;
      this.evJump[k] = d[last] - d[j] === d[j] - d[this.evJump[j]] ? this.evJump[j] : last;
    }
    this.convLast[c] = k;
  }

  private conversation(seg: SegmentInput): number {
    let id: number | undefined;
    if (seg.srcKey !== undefined && seg.dstKey !== undefined && this.v4) {
      const lo = Math.min(seg.srcKey, seg.dstKey);
      const hi = Math.max(seg.srcKey, seg.dstKey);
      let inner = this.v4.get(lo);
      if (!inner) {
        inner = new Map();
        this.v4.set(lo, inner);
      }
      id = inner.get(hi);
      if (id === undefined) {
        id = this.convCount++;
        inner.set(hi, id);
        this.v4Entries++;
      }
    } else if (this.v6) {
      const a = seg.src + ' ' + seg.sport;
      const b = seg.dst + ' ' + seg.dport;
      const key = a < b ? a + '|' + b : b + '|' + a;
      id = this.v6.get(key);
      if (id === undefined) {
        id = this.convCount++;
        this.v6.set(key, id);
      }
    } else id = this.convCount++; // after seal(): not expected (no packets come then)
    this.convLast = grown(this.convLast, id + 1, -1);
    return id;
  }

  /**
   * The packet whose line sets packet i's relative numbers: the last base event of its conversation
   * at or before i; i itself when it has none (not a segment, no ACK: printed with raw numbers).
   */
  base(i: number, stream: number): number {
    const c = stream >= 0 && stream < this.streamConv.length ? this.streamConv[stream] : -1;
    if (c < 0) return i;
    const pkt = this.evPkt;
    let k = this.convLast[c];
    while (k >= 0 && pkt[k] > i) {
      const j = this.evJump[k];
      k = j !== k && pkt[j] > i ? j : this.evPrev[k];
    }
    return k >= 0 ? pkt[k] : i;
  }

  /** Indexing is over: drop the key maps (no new streams come), trim the arrays. */
  seal(): void {
    this.v4 = null;
    this.v6 = null;
    this.v4Entries = 0;
    const n = Math.max(1, this.evCount);
    this.evPkt = this.evPkt.slice(0, n);
    this.evPrev = this.evPrev.slice(0, n);
    this.evJump = this.evJump.slice(0, n);
    this.evDepth = this.evDepth.slice(0, n);
  }

  /**
   * Bytes held: the typed arrays exactly, the key maps estimated (V8 Map entries: ~80 bytes each
   * with their key, one inner Map per IPv4 endpoint ~200, IPv6 text keys ~150 bytes).
   */
  bytes(): number {
    let b = this.streamConv.byteLength + this.convLast.byteLength + this.evPkt.byteLength * 4;
    if (this.v4) b += this.v4.size * 200 + this.v4Entries * 80;
    if (this.v6) b += this.v6.size * 150;
    return b;
  }
}
