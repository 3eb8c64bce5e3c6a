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

export class UnackedList {
  private seq: number[] = [];
  private next: number[] = [];
  private sec: number[] = [];
  private nsec: number[] = [];
  private frame: number[] = [];
  /** 1: the segment was marked when sent (retransmission / out of order / spurious). */
  private mark: number[] = [];
  private head = 0;
  /** Adjacent pairs (i, i+1) in the live part whose seq[i+1] !== next[i]. */
  private breaks = 0;

  get count(): number {
    return this.seq.length - this.head;
  }

  /** Add a segment (Wireshark prepends to its list; we append: the order is reversed, results are not). */
  push(seq: number, next: number, sec: number, nsec: number, frame: number, marked: boolean): void {
    if (this.count >= MAX_UNACKED) return;
    if (this.count > 0 && this.next[this.next.length - 1] !== seq) this.breaks++;
    this.seq.push(seq);
    this.next.push(next);
    this.sec.push(sec);
    this.nsec.push(nsec);
    this.frame.push(frame);
    this.mark.push(marked ? 1 : 0);
  }

  /** Contiguous and short enough that sequence comparisons are monotone over the list. */
  private fast(): boolean {
    const n = this.seq.length;
    return this.breaks === 0 && n > this.head && ((this.next[n - 1] - this.seq[this.head]) >>> 0) < FAST_SPAN;
  }

  /**
   * The ACK loop of tcp_analyze_sequence_number over this (the peer's) list: segments ending at or
   * before `ack` go, a segment `ack` falls inside is cut to start at `ack`. Fills `m` (frame -1: no
   * segment ended exactly at `ack`).
   */
  ack(ack: number, m: AckMatch): void {
    m.frame = -1;
    m.matches = 0;
    m.marked = false;
    m.len = 0;
    if (this.count === 0) return;
    const first = this.seq[this.head];
    const last = this.next[this.next.length - 1];
    // Fast path: ack within [first - 2^30, last + 2^30] of a contiguous list.
    if (this.fast() && ((ack - first + FAST_SPAN) >>> 0) <= ((last - first) >>> 0) + 2 * FAST_SPAN) {
      let i = this.head;
      const n = this.seq.length;
      while (i < n && !gtSeq(this.next[i], ack)) {
        if (this.next[i] === ack) this.matched(i, m);
        i++;
      }
      if (i < n && gtSeq(ack, this.seq[i])) this.seq[i] = ack;
      this.head = i;
      this.compact();
      return;
    }
    // The walk, in Wireshark's order (newest first): the last match kept is the oldest segment.
    let w = this.head;
    const n = this.seq.length;
    let removed = false;
    for (let i = n - 1; i >= this.head; i--) {
      if (ack === this.next[i]) {
        this.matched(i, m);
        this.seq[i] = -1; // removed below
        removed = true;
      } else if (gtSeq(ack, this.seq[i]) && leSeq(ack, this.next[i])) {
        this.seq[i] = ack;
      } else if (!gtSeq(this.next[i], ack)) {
        this.seq[i] = -1;
        removed = true;
      }
    }
    if (removed) {
      for (let i = this.head; i < n; i++) {
        if (this.seq[i] === -1) continue;
        this.seq[w] = this.seq[i];
        this.next[w] = this.next[i];
        this.sec[w] = this.sec[i];
        this.nsec[w] = this.nsec[i];
        this.frame[w] = this.frame[i];
        this.mark[w] = this.mark[i];
        w++;
      }
      this.truncate(w);
    }
    this.recountBreaks();
  }

  private matched(i: number, m: AckMatch): void {
    // Called newest → oldest in the walk, oldest → newest on the fast path: keep the oldest.
    if (m.frame === -1 || this.frame[i] < m.frame) {
      m.frame = this.frame[i];
      m.sec = this.sec[i];
      m.nsec = this.nsec[i];
      m.len = (this.next[i] - this.seq[i]) >>> 0;
    }
    m.matches++;
    if (this.mark[i]) m.marked = true;
  }

  private truncate(n: number): void {
    this.seq.length = n;
    this.next.length = n;
    this.sec.length = n;
    this.nsec.length = n;
    this.frame.length = n;
    this.mark.length = n;
  }

  /** Drop the consumed head once it is most of the arrays (amortised O(1) a segment). */
  private compact(): void {
    const h = this.head;
    if (h === 0) return;
    if (h === this.seq.length) {
      this.head = 0;
      this.truncate(0);
      return;
    }
    if (h < 64 || h * 2 < this.seq.length) return;
    this.seq = this.seq.slice(h);
    this.next = this.next.slice(h);
    this.sec = this.sec.slice(h);
    this.nsec = this.nsec.slice(h);
    this.frame = this.frame.slice(h);
    this.mark = this.mark.slice(h);
    this.head = 0;
  }

  private recountBreaks(): void {
    let b = 0;
    for (let i = this.head + 1; i < this.seq.length; i++) if (this.seq[i] !== this.next[i - 1]) b++;
    this.breaks = b;
  }

  /**
   * Wireshark's historical bytes in flight: max(next − base) − min(seq − base) over the list, in
   * unsigned 32-bit relative numbers; 0 when the list is empty.
   */
  span(base: number): number {
    const n = this.seq.length;
    if (n === this.head) return 0;
    const lo0 = (this.seq[this.head] - base) >>> 0;
    const hi0 = (this.next[n - 1] - base) >>> 0;
    if (this.fast() && hi0 >= lo0) return hi0 - lo0;
    let lo = (this.seq[n - 1] - base) >>> 0;
    let hi = hi0;
    for (let i = this.head; i < n; i++) {
      const s = (this.seq[i] - base) >>> 0;
      const e = (this.next[i] - base) >>> 0;
      if (s < lo) lo = s;
      if (e > hi) hi = e;
    }
    return (hi - lo) >>> 0;
  }

  /** Time of the oldest listed segment (Wireshark's RTO reference), or undefined. */
  oldest(): { sec: number; nsec: number; frame: number } | undefined {
    if (this.count === 0) return undefined;
    return { sec: this.sec[this.head], nsec: this.nsec[this.head], frame: this.frame[this.head] };
  }
}
