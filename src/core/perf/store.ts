/**
 * Per-packet performance columns: tshark's ack_rtt and bytes_in_flight, 8 bytes a packet.
 * ack_rtt is kept in ns in a Uint32 (0 = none, as tshark shows none for a zero RTT); a sample that does
 * not fit (≥ 2^32 − 1 ns ≈ 4.3 s, or a negative one from a clock that went back) is stored as
 * OVERFLOW and looked up in a Map — rare, as the engine keeps its duplicate ACKs.
 */
import type { PerfPacket } from './tracker';

const OVERFLOW = 0xffffffff;
/**
 * Past 2^16 packets the columns are chunks of 2^16 (256 kB a column): a chunk is allocated once and
 * never copied. Doubling one array copied every value at each step and `trim` copied them all once
 * more, each copy into fresh pages that the kernel maps on first touch: on the 2 M-packet bench that
 * was ~32 MB copied and ~12,000 pages faulted for the 16 MB the two columns keep.
 */
const SHIFT = 16;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

export class PerfColumns {
  /** Chunk k holds packets [k·CHUNK, (k + 1)·CHUNK); below CHUNK packets one chunk, grown by doubling. */
  private rtt: Uint32Array[] = [];
  private bif: Uint32Array[] = [];
  /** Packets the chunks have room for. */
  private cap = 0;
  private readonly big = new Map<number, number>();

  static readonly BYTES_PER_PACKET = 8;

  /** Make room for index `cap - 1` (the engine passes its own capacity: arrays grow together). */
  grow(cap: number): void {
    if (cap <= this.cap) return;
    // the first chunk, doubled as the engine doubles, up to CHUNK
    const first = Math.min(CHUNK, cap);
    if (this.cap < first) {
      this.rtt[0] = widen(this.rtt[0], first);
      this.bif[0] = widen(this.bif[0], first);
      this.cap = first;
    }
    while (this.cap < cap) {
      this.rtt.push(new Uint32Array(CHUNK));
      this.bif.push(new Uint32Array(CHUNK));
      this.cap += CHUNK;
    }
  }

  set(i: number, p: PerfPacket): void {
    const c = i >>> SHIFT;
    const j = i & MASK;
    const ns = p.ackRttNs;
    // most packets give no sample: one comparison for them
    if (ns === 0) this.rtt[c][j] = 0;
    else if (ns > 0 && ns < OVERFLOW && Number.isInteger(ns)) this.rtt[c][j] = ns;
    else {
      this.rtt[c][j] = OVERFLOW;
      this.big.set(i, ns);
    }
    this.bif[c][j] = p.bytesInFlight;
  }

  /** ack_rtt of packet i in ns (0: none). */
  ackRttNs(i: number): number {
    if (i < 0 || i >= this.cap) return 0;
    const v = this.rtt[i >>> SHIFT][i & MASK];
    return v === OVERFLOW ? (this.big.get(i) ?? 0) : v;
  }

  /** bytes_in_flight of packet i (0: none). */
  bytesInFlight(i: number): number {
    return i < 0 || i >= this.cap ? 0 : this.bif[i >>> SHIFT][i & MASK];
  }

  /** Keep room for `n` packets only (end of the capture): chunks past them go, the last is cut. */
  trim(n: number): void {
    if (n >= this.cap) return;
    const chunks = n === 0 ? 0 : ((n - 1) >>> SHIFT) + 1;
    this.rtt.length = chunks;
    this.bif.length = chunks;
    if (chunks > 0) {
      const last = n - (chunks - 1) * CHUNK;
      if (last < this.rtt[chunks - 1].length) {
        this.rtt[chunks - 1] = this.rtt[chunks - 1].slice(0, last);
        this.bif[chunks - 1] = this.bif[chunks - 1].slice(0, last);
      }
    }
    this.cap = n;
  }
}

/** `a` (or nothing) copied into a new array of `len`. */
function widen(a: Uint32Array | undefined, len: number): Uint32Array {
  const b = new Uint32Array(len);
  if (a !== undefined) b.set(a);
  return b;
}
