/**
 * Per TCP stream, what Wireshark numbers a segment with: each direction's base sequence number (for
 * relative Seq/Ack) and window shift (for Win), so the capture editor can write Wireshark's Info
 * (src/core/print/wiresharkInfo.ts) for any packet decoded alone, on demand, a page of rows at a time.
 *
 * The index's engine keeps no per-packet relSeq / relAck / winScaled (12 bytes a packet, see
 * captureIndex.ts), and the issue 12 budget leaves no room for them. What they are made of is per
 * stream: the engine sets a direction's base from its first segment (its SYN, or seq − 1) or from
 * the peer's first ACK, and its window shift from the handshake (src/core/tcp/analysis.ts). Here the
 * bases are read back from the engine's result as the packets are indexed (base = seq − relSeq), and
 * the shift follows the engine's rule, so 10 bytes a stream (2 × 4 bases, 2 × 1 shifts) replace 12
 * a packet. The values kept are the latest; they equal every packet's own except a stream whose
 * responder re-based with a new ISN in a second SYN+ACK (Wireshark issue 16944: the packets before
 * it show numbers from the new base) — listed in test/info-tshark-differences.tsv.
 */
import { TH_ACK, TH_SYN } from '../core/decode/packet';
import type { PacketResult, SegmentInput } from '../core/tcp/types';

/** Window shift not known yet / known to be unused (the engine's WSCALE_UNKNOWN / WSCALE_NONE). */
const UNKNOWN = -1;
const NONE = -2;

export class WsNumbers {
  /** Base of direction d of stream s at [2s + d] (d 0: client → server, the engine's dir). */
  private base = new Uint32Array(512);
  /** Window shift of direction d at [2s + d]: 0..14, UNKNOWN or NONE. */
  private shift = new Int8Array(512).fill(UNKNOWN);
  private streams = 0;

  /** Indexing, in packet order: segment `seg` gave the engine result `r` (read before the next add). */
  note(seg: SegmentInput, r: PacketResult): void {
    const s = r.stream;
    if (s < 0) return;
    if (2 * s + 2 > this.base.length) this.grow(2 * s + 2);
    if (s >= this.streams) this.streams = s + 1;
    const f = 2 * s + r.dir;
    const b = 2 * s + (r.dir ^ 1);
    this.base[f] = (seg.seq - r.relSeq) >>> 0;
    if (seg.flags & TH_ACK) this.base[b] = (seg.ack - r.relAck) >>> 0;
    // the engine's window-scale bookkeeping (analysis.ts, after dissect_tcp's numbers)
    const sc = this.shift;
    if (seg.wscale >= 0) sc[f] = seg.wscale > 14 ? 14 : seg.wscale;
    if (seg.flags & TH_SYN) {
      if (sc[f] === UNKNOWN) {
        sc[f] = NONE;
        sc[b] = NONE;
      } else if (seg.flags & TH_ACK && sc[b] === NONE) sc[f] = NONE;
    }
  }

  private grow(need: number): void {
    let n = this.base.length * 2;
    while (n < need) n *= 2;
    const base = new Uint32Array(n);
    base.set(this.base);
    const shift = new Int8Array(n).fill(UNKNOWN);
    shift.set(this.shift);
    this.base = base;
    this.shift = shift;
  }

  /** Whether stream s has been seen. */
  has(stream: number): boolean {
    return stream >= 0 && stream < this.streams;
  }

  /** Base of the sender in direction `dir` of `stream`. */
  seqBase(stream: number, dir: 0 | 1): number {
    return this.base[2 * stream + dir];
  }

  /** Window shift of the sender in direction `dir`, -1 when the raw window is shown. */
  winShift(stream: number, dir: 0 | 1): number {
    const v = this.shift[2 * stream + dir];
    return v >= 0 ? v : -1;
  }

  /** Bytes held (the arrays' capacity). */
  bytes(): number {
    return this.base.byteLength + this.shift.byteLength;
  }
}
