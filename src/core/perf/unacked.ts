/**
 * Wireshark's per-direction list of unacknowledged segments (packet-tcp.c, tcp_analyze_sequence_number:
 * `tcp_unacked_t` segments, TCP_MAX_UNACKED_SEGMENTS), which gives tshark's tcp.analysis.ack_rtt /
 * acks_frame (an ACK whose number equals a listed segment's next sequence number) and
 * tcp.analysis.bytes_in_flight (highest next-seq minus lowest seq of the list, relative numbers).
 *
 * Same results as Wireshark's linked list, but kept oldest-first in parallel arrays with a head index,
 * and with a fast path: while the list is contiguous (each segment starts where the previous one ended)
 * and spans less than 2^30, an ACK removes a prefix and touches at most one more segment, and the
 * lowest / highest relative numbers are the first and last segments. Wireshark walks the whole list
 * for every packet (up to 10,000 segments: a one-direction capture would cost 10,000 steps a packet);
 * the fast path makes the usual bulk transfer O(1) amortised. Anything else (a retransmission, a hole,
 * out of order) takes the walk, exactly as Wireshark does it.
 */

import type { SegmentInput } from '../tcp/types';

/** packet-tcp.c: `#define TCP_MAX_UNACKED_SEGMENTS 10000`. */
export const MAX_UNACKED = 10000;
/** Largest span of a contiguous list for the fast path (well inside the 2^31 of sequence comparisons). */
const FAST_SPAN = 2 ** 30;

/** GT_SEQ(x, y). */
export function gtSeq(x: number, y: number): boolean {
  return ((y - x) | 0) < 0;
}
/** LE_SEQ(x, y). */
export function leSeq(x: number, y: number): boolean {
  return ((x - y) | 0) <= 0;
}

/** What an ACK did to the peer's list. */
export interface AckMatch {
  /** Frame index of the segment whose next-seq the ACK equals (the oldest one when several), -1 when none. */
  frame: number;
  /** Its time (seconds, nanoseconds). */
  sec: number;
  nsec: number;
  /** How many listed segments ended exactly at the ACK (more than one: a retransmission was acked). */
  matches: number;
  /** A matched segment was itself marked (retransmission, out of order): Karn's rule says no RTT sample. */
  marked: boolean;
  /** Payload-or-SYN/FIN length of the matched (oldest) segment. */
  len: number;
}

/** Numbers a listed segment takes: seq, next, sec, nsec, frame × 2 + mark. */
const W = 5;

export class UnackedList {
  /**
   * One Float64Array, W numbers a segment, live between `head` and `tail` (segment slots): allocated
   * with the list for one segment (40 bytes: V8 keeps typed arrays up to 64 bytes in its heap, a
   * cheap allocation; a request/response connection rarely has two segments out), doubled when full
   * (at most MAX_UNACKED live), moved to the front instead when the head has advanced; null once
   * released. Allocated with the list rather than at the first segment so that it sits next to the
   * list (and the PerfConn) in the heap and is promoted with them: the 2 M-packet synthetic bench
   * (10,000 connections) ran ~3 % faster with perf on (median of 5, twice), the real-kernel one alike.
   */
  private buf: Float64Array | null = new Float64Array(W);
  private head = 0;
  private tail = 0;
  /** Adjacent pairs (i, i+1) in the live part whose seq[i+1] !== next[i]. */
  private breaks = 0;
  /**
   * The last ACK number applied, and whether a segment joined since: the same ACK again over an
   * unchanged list changes nothing (its matches are gone, its cut is made), so it is skipped.
   */
  private lastAck = -1;
  private pushed = false;
  /**
   * Segments pushed since the last ACK was applied (the newest `fresh` slots), and the breaks the
   * older part had then. Once an ACK is applied every listed segment starts at or after it and ends
   * after it, so the same ACK number again (a duplicate ACK while the sender keeps sending: loss
   * recovery, ~700 segments listed in the bench's bufferbloat capture) can only touch the fresh ones.
   */
  private fresh = 0;
  private ackedBreaks = 0;

  get count(): number {
    return this.tail - this.head;
  }

  /** Add a segment (Wireshark prepends to its list; we append: the order is reversed, results are not). */
  push(seq: number, next: number, sec: number, nsec: number, frame: number, marked: boolean): void {
    this.pushSeg({ seq, len: (next - seq) >>> 0, tsSec: sec, tsNsec: nsec, index: frame }, 0, marked);
  }

  /**
   * `push` of a segment as the engine has it: [seq, seq + len + synFin). The numbers are read here
   * from the segment (as `ackSeg` and `spanFrom` read theirs): passed to a call V8 does not inline,
   * sequence numbers and seconds above 2^30 would each be boxed as a heap number (~40 MB of garbage
   * on the 2 M-packet bench).
   */
  pushSeg(seg: Pick<SegmentInput, 'seq' | 'len' | 'tsSec' | 'tsNsec' | 'index'>, synFin: number, marked: boolean): void {
    if (this.tail - this.head >= MAX_UNACKED) return;
    const seq = seg.seq >>> 0;
    const next = (seq + (seg.len >>> 0) + synFin) >>> 0;
    let b = this.buf;
    if (b === null || this.tail * W === b.length) b = this.room();
    if (this.tail > this.head && b[(this.tail - 1) * W + 1] !== seq) this.breaks++;
    const o = this.tail * W;
    b[o] = seq;
    b[o + 1] = next;
    b[o + 2] = seg.tsSec;
    b[o + 3] = seg.tsNsec;
    b[o + 4] = seg.index * 2 + (marked ? 1 : 0);
    this.tail++;
    this.pushed = true;
    this.fresh++;
  }

  /**
   * Room for one more segment: the first buffer, the live part moved to the front, or a buffer twice
   * as large. Out of `push` (and the walk out of `ack`) so that V8 inlines the common path into
   * perfAdd: a call would box its sequence numbers (above 2^30) as heap numbers, several a packet.
   */
  private room(): Float64Array {
    let b = this.buf;
    if (b === null) return (this.buf = new Float64Array(W));
    const live = this.tail - this.head;
    if (this.head > 0 && live * 2 <= this.tail) {
      b.copyWithin(0, this.head * W, this.tail * W);
    } else {
      const nb = new Float64Array(b.length * 2);
      nb.set(b.subarray(this.head * W, this.tail * W));
      b = this.buf = nb;
    }
    this.head = 0;
    this.tail = live;
    return b;
  }

  /** Drop the list (end of the capture: no segment comes any more, nothing reads it). */
  release(): void {
    this.buf = null;
    this.head = this.tail = 0;
    this.breaks = this.ackedBreaks = this.fresh = 0;
  }

  /** Contiguous and short enough that sequence comparisons are monotone over the list. */
  private fast(): boolean {
    const b = this.buf!;
    return this.breaks === 0 && ((b[(this.tail - 1) * W + 1] - b[this.head * W]) >>> 0) < FAST_SPAN;
  }

  /**
   * The ACK loop of tcp_analyze_sequence_number over this (the peer's) list: segments ending at or
   * before `ack` go, a segment `ack` falls inside is cut to start at `ack`. Fills `m` (frame -1: no
   * segment ended exactly at `ack`).
   */
  ack(ack: number, m: AckMatch): void {
    this.ackSeg({ ack }, m);
  }

  /** `ack` with the segment's ACK number (read here: see pushSeg). */
  ackSeg(seg: Pick<SegmentInput, 'ack'>, m: AckMatch): void {
    const ack = seg.ack >>> 0;
    m.frame = -1;
    m.matches = 0;
    m.marked = false;
    m.len = 0;
    if (this.tail === this.head || (ack === this.lastAck && !this.pushed)) return;
    const again = ack === this.lastAck;
    const fresh = this.fresh;
    this.lastAck = ack;
    this.pushed = false;
    this.fresh = 0;
    const b = this.buf!;
    const first = b[this.head * W];
    const last = b[(this.tail - 1) * W + 1];
    // Fast path: ack within [first - 2^30, last + 2^30] of a contiguous list.
    if (this.fast() && ((ack - first + FAST_SPAN) >>> 0) <= ((last - first) >>> 0) + 2 * FAST_SPAN) {
      let i = this.head;
      const n = this.tail;
      // GT_SEQ written out (a call, when not inlined, boxes these numbers above 2^30)
      while (i < n && ((ack - b[i * W + 1]) | 0) >= 0) {
        if (b[i * W + 1] === ack) this.matched(i, m);
        i++;
      }
      if (i < n && ((b[i * W] - ack) | 0) < 0) b[i * W] = ack;
      this.head = i;
      if (i === n) this.head = this.tail = 0;
      this.ackedBreaks = this.breaks;
      return;
    }
    this.walk(ack, m, again ? Math.max(this.head, this.tail - fresh) : this.head);
  }

  /**
   * The walk, in Wireshark's order (newest first) over the segments from slot `from`: the oldest
   * match is the one kept. The same ACK again walks only the segments pushed since (see `fresh`).
   */
  private walk(ack: number, m: AckMatch, from: number): void {
    const b = this.buf!;
    const oldBreaks = from > this.head ? this.ackedBreaks : 0;
    let removed = false;
    for (let i = this.tail - 1; i >= from; i--) {
      const o = i * W;
      if (ack === b[o + 1]) {
        this.matched(i, m);
        b[o] = -1; // removed below
        removed = true;
      } else if (gtSeq(ack, b[o]) && leSeq(ack, b[o + 1])) {
        b[o] = ack;
      } else if (!gtSeq(b[o + 1], ack)) {
        b[o] = -1;
        removed = true;
      }
    }
    if (removed) {
      let w = from;
      for (let i = from; i < this.tail; i++) {
        if (b[i * W] === -1) continue;
        if (w !== i) b.copyWithin(w * W, i * W, i * W + W);
        w++;
      }
      this.tail = w;
      if (this.tail === this.head) this.head = this.tail = 0;
    }
    this.breaks = oldBreaks + this.countBreaks(Math.max(this.head + 1, from));
    this.ackedBreaks = this.breaks;
  }

  private matched(i: number, m: AckMatch): void {
    const b = this.buf!;
    const o = i * W;
    const fm = b[o + 4];
    const frame = Math.floor(fm / 2);
    // Called newest → oldest in the walk, oldest → newest on the fast path: keep the oldest.
    if (m.frame === -1 || frame < m.frame) {
      m.frame = frame;
      m.sec = b[o + 2];
      m.nsec = b[o + 3];
      m.len = (b[o + 1] - b[o]) >>> 0;
    }
    m.matches++;
    if (fm - 2 * frame === 1) m.marked = true; // not fm % 2: a double's % is a call to fmod
  }

  /** Breaks between adjacent live segments (i - 1, i) for i from `from`. */
  private countBreaks(from: number): number {
    const b = this.buf!;
    let k = 0;
    for (let i = from; i < this.tail; i++) if (b[i * W] !== b[(i - 1) * W + 1]) k++;
    return k;
  }

  /**
   * Wireshark's historical bytes in flight: max(next − base) − min(seq − base) over the list, in
   * unsigned 32-bit relative numbers; 0 when the list is empty.
   */
  span(base: number): number {
    return this.spanFrom({ baseSeq: base });
  }

  /** `span` from the direction's base sequence number (read here: see pushSeg). */
  spanFrom(flow: { baseSeq: number }): number {
    const base = flow.baseSeq;
    if (this.tail === this.head) return 0;
    const b = this.buf!;
    const lo0 = (b[this.head * W] - base) >>> 0;
    const hi0 = (b[(this.tail - 1) * W + 1] - base) >>> 0;
    if (this.fast() && hi0 >= lo0) return hi0 - lo0;
    return this.spanWalk(base, hi0);
  }

  /** span over a list with breaks: every segment looked at (out of `span`, as `walk` is out of `ack`). */
  private spanWalk(base: number, hi0: number): number {
    const b = this.buf!;
    let lo = (b[(this.tail - 1) * W] - base) >>> 0;
    let hi = hi0;
    for (let i = this.head; i < this.tail; i++) {
      const s = (b[i * W] - base) >>> 0;
      const e = (b[i * W + 1] - base) >>> 0;
      if (s < lo) lo = s;
      if (e > hi) hi = e;
    }
    return (hi - lo) >>> 0;
  }

  /** Time (ns since the epoch, as a double) of the oldest listed segment, or -1 when the list is empty. */
  oldestNs(): number {
    if (this.tail === this.head) return -1;
    const o = this.head * W;
    return this.buf![o + 2] * 1e9 + this.buf![o + 3];
  }
}
