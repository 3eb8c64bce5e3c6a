/**
 * FollowReassembler: "Follow TCP Stream" for every stream of a capture (or those asked for), fed
 * one segment at a time in capture order, right after the TcpEngine has analysed it (its result
 * gives the stream number, the direction and Wireshark's relative seq/ack).
 *
 * The byte stream of each direction is rebuilt exactly as Wireshark 4.0's follow tap does it
 * (epan/dissectors/packet-tcp.c: follow_tcp_tap_listener and check_follow_fragments), so that
 * tshark's `-z follow,tcp,…` output can be reproduced byte for byte:
 *   - the expected next sequence number starts at a direction's first segment (SYN + 1);
 *   - a segment at the expected number is appended, and advances it by the segment's length;
 *   - the new tail of a segment that overlaps what was delivered is appended; the repeated part is dropped;
 *   - a segment beyond the expected number waits (a "fragment") until the bytes before it arrive, then is
 *     put in place; if the other side acknowledges past a gap first, the gap becomes
 *     "[N bytes missing in capture file]" (a chunk of kind `missing`, shown by tshark as that text).
 * What Wireshark drops, we keep as chunks of our own, marked not shown by tshark: retransmitted copies
 * (compared with the original on demand), bytes a snaplen cut off, SYN/FIN/RST separators, and the
 * segments still waiting when the capture ends (after a `missing` chunk for the gap before them).
 *
 * Memory: per chunk 29 bytes (FollowStream), per waiting segment one small record; no payload bytes.
 */
import { TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import type { PacketResult, SegmentInput } from '../tcp/types';
import type { PayloadRef } from './payload';
import { FollowStream, K_DATA, K_MISSING, K_OUT_OF_ORDER, K_RETRANSMISSION, K_SEPARATOR } from './stream';

/** A segment that arrived before the bytes preceding it (Wireshark's "fragment"). */
interface Waiting {
  packet: number;
  off: number;
  /** Sequence space it fills when put in place (Wireshark: its captured bytes; see skipUncaptured). */
  len: number;
  /** Bytes captured (≤ len). */
  cap: number;
  seq: number;
}

/**
 * Segments waiting per direction before the oldest is forced into place (as a gap of our own): Wireshark
 * keeps them without bound and scans them for every segment, quadratic on a capture full of holes; real
 * reordering is a few segments deep (a window of 64 KiB–4 MiB is ≤ 3,000 segments of 1,448 bytes).
 */
const MAX_WAITING = 4096;

/** Sequence-space comparisons (RFC 1982 style, as Wireshark's LT_SEQ / GT_SEQ). */
function lt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
function gt(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

class DirState {
  /** Next expected relative sequence number (0 until the first segment). */
  seq = 0;
  /** Offset in this direction's byte stream matching `seq`. */
  pos = 0;
  /** Bytes appended at the expected number (Wireshark's bytes_written: not counting segments put in place). */
  written = 0;
  waiting: Waiting[] = [];
}

class StreamState {
  readonly dirs = [new DirState(), new DirState()];
  constructor(readonly out: FollowStream) {}
}

export interface FollowOptions {
  /** Streams to follow (default: all). */
  streams?: Iterable<number>;
  /**
   * A segment none of whose payload bytes were captured is skipped, as Wireshark does (default true: tshark's
   * output stays reproducible). false (tcpdump text without hex dumps, where no byte is ever there): it counts
   * as bytes not captured, like a segment the snaplen cut.
   */
  skipUncaptured?: boolean;
}

export class FollowReassembler {
  private readonly want: Set<number> | null;
  private readonly skipUncaptured: boolean;
  private readonly states = new Map<number, StreamState>();
  private finished = false;

  constructor(opts: FollowOptions = {}) {
    this.want = opts.streams ? new Set(opts.streams) : null;
    this.skipUncaptured = opts.skipUncaptured ?? true;
  }

  /**
   * Take one segment (capture order), with the engine's result for it and where its payload lies in
   * the frame (payloadOf). Segments of streams not followed are ignored.
   */
  add(seg: SegmentInput, res: PacketResult, payload: PayloadRef): void {
    if (this.finished) throw new Error('FollowReassembler.add after finish()');
    if (this.want && !this.want.has(res.stream)) return;
    let st = this.states.get(res.stream);
    if (!st) {
      st = new StreamState(new FollowStream(res.stream));
      this.states.set(res.stream, st);
    }
    const out = st.out;
    const dir = res.dir;
    const flags = seg.flags;
    const sep = flags & (TH_SYN | TH_FIN | TH_RST);
    if (flags & TH_SYN) out.push(K_SEPARATOR, dir, false, seg.index, flags, 0, res.relSeq, st.dirs[dir].pos);
    if (payload.tapped) this.follow(st, seg, res, payload);
    if (sep && !(flags & TH_SYN)) out.push(K_SEPARATOR, dir, false, seg.index, flags, 0, res.relSeq, st.dirs[dir].pos);
  }

  private follow(st: StreamState, seg: SegmentInput, res: PacketResult, payload: PayloadRef): void {
    const out = st.out;
    const dir = res.dir;
    if (out.node0Dir < 0) {
      out.node0Dir = dir;
      out.node0 = { addr: seg.src, port: seg.sport };
      out.node1 = { addr: seg.dst, port: seg.dport };
    }
    const d = st.dirs[dir];
    const other = 1 - dir;
    // this segment's ACK may show that segments the other side is waiting for were lost (Wireshark bug 592)
    if (st.dirs[other].waiting.length) while (this.place(st, other, res.relAck, seg.index, true, false));

    const seq0 = (res.relSeq + (seg.flags & TH_SYN ? 1 : 0)) >>> 0;
    let sequence = seq0;
    let length = seg.len;
    let dataOff = 0;
    let dataLen = payload.capLen;
    if (d.written === 0 && d.seq === 0) d.seq = sequence;

    if (lt(sequence, d.seq)) {
      const next = (sequence + length) >>> 0;
      if (gt(next, d.seq)) {
        // the start was seen already: only the new tail counts
        dataOff = (d.seq - sequence) >>> 0;
        dataLen = dataLen <= dataOff ? 0 : dataLen - dataOff;
        sequence = d.seq;
        length = (next - d.seq) >>> 0;
      }
    }
    // without any byte captured a copy is still a copy (tcpdump text without hex dumps), when Wireshark's skipping is off
    const copyLen = payload.capLen > 0 ? payload.capLen : this.skipUncaptured ? 0 : seg.len;
    if (lt(seq0, d.seq) && copyLen > 0) {
      // the part that repeats delivered bytes: a retransmitted copy (ours; Wireshark drops it)
      const behind = (d.seq - seq0) >>> 0;
      const copy = Math.min(copyLen, behind);
      out.push(K_RETRANSMISSION, dir, false, seg.index, payload.off, copy, seq0, d.pos - behind);
    }
    if (lt(sequence, d.seq)) return;
    if (dataLen === 0 && (this.skipUncaptured || length === 0)) return;

    if (sequence === d.seq) {
      if (dataLen > 0) out.push(K_DATA, dir, true, seg.index, payload.off + dataOff, dataLen, sequence, d.pos);
      // bytes the snaplen cut off: Wireshark skips them silently, we say so
      if (length > dataLen) out.push(K_MISSING, dir, false, seg.index, 0, length - dataLen, (sequence + dataLen) >>> 0, d.pos + dataLen);
      d.seq = (d.seq + length) >>> 0;
      d.pos += length;
      d.written += dataLen;
      while (this.place(st, dir, 0, seg.index, false, false));
    } else {
      if (d.waiting.length >= MAX_WAITING) this.place(st, dir, 0, seg.index, false, true);
      // Wireshark puts a waiting segment in place by its captured bytes only
      d.waiting.push({ packet: seg.index, off: payload.off, len: this.skipUncaptured ? dataLen : Math.max(length, dataLen), cap: dataLen, seq: sequence });
    }
  }

  /**
   * Wireshark's check_follow_fragments: put one waiting segment of direction `dir` in place, or (when
   * `acked` passes the lowest waiting one, or `force`) declare the gap before it missing. true when
   * something happened (call again). What a forced call puts in place is ours only (tshark drops it).
   */
  private place(st: StreamState, dir: number, acked: number, packet: number, useAck: boolean, force: boolean): boolean {
    const d = st.dirs[dir];
    const w = d.waiting;
    if (w.length === 0) return false;
    const out = st.out;
    let lowest = w[0].seq;
    let lowestAt = 0;
    for (let k = 0; k < w.length; k++) {
      const f = w[k];
      if (gt(lowest, f.seq)) {
        lowest = f.seq;
        lowestAt = k;
      }
      if (lt(f.seq, d.seq)) {
        const behind = (d.seq - f.seq) >>> 0;
        const next = (f.seq + f.len) >>> 0;
        const copy = Math.min(behind, f.cap);
        if (copy > 0) out.push(K_RETRANSMISSION, dir, false, f.packet, f.off, copy, f.seq, d.pos - behind);
        if (gt(next, d.seq) && f.len > behind) this.fill(out, d, dir, f, behind, !force);
        w.splice(k, 1);
        return true;
      }
      if (f.seq === d.seq) {
        this.fill(out, d, dir, f, 0, !force);
        w.splice(k, 1);
        return true;
      }
    }
    if (force || (useAck && gt(acked, lowest))) {
      const gap = (lowest - d.seq) >>> 0;
      // Wireshark: the dummy chunk is "[%d bytes missing in capture file]", numbered by the acknowledging packet
      out.push(K_MISSING, dir, !force, force ? w[lowestAt].packet : packet, 0, gap, d.seq, d.pos);
      d.seq = lowest;
      d.pos += gap;
      return true;
    }
    return false;
  }

  /** Put waiting segment `f` in place from its byte `from` on: its captured bytes, then (ours only) those not captured. */
  private fill(out: FollowStream, d: DirState, dir: number, f: Waiting, from: number, tshark: boolean): void {
    const have = f.cap > from ? f.cap - from : 0;
    if (have > 0) out.push(K_OUT_OF_ORDER, dir, tshark, f.packet, f.off + from, have, d.seq, d.pos);
    const rest = f.len - from - have;
    if (rest > 0) out.push(K_MISSING, dir, false, f.packet, 0, rest, (d.seq + have) >>> 0, d.pos + have);
    d.seq = (d.seq + f.len - from) >>> 0;
    d.pos += f.len - from;
  }

  /** End of the capture: segments still waiting are put in place after a gap of our own (Wireshark drops them). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const st of this.states.values()) {
      for (let dir = 0; dir < 2; dir++) while (this.place(st, dir, 0, -1, false, true));
      st.out.trim();
    }
  }

  /** The followed stream `n` (undefined when it has no segment). */
  stream(n: number): FollowStream | undefined {
    return this.states.get(n)?.out;
  }

  /** Every followed stream, in order of first appearance. */
  streams(): FollowStream[] {
    return [...this.states.values()].map((s) => s.out);
  }
}
