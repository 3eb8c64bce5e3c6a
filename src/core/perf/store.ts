/**
 * Per-packet performance columns: tshark's ack_rtt and bytes_in_flight, 8 bytes a packet.
 * ack_rtt is kept in ns in a Uint32 (0 = none, as tshark shows none for a zero RTT); a sample that does
 * not fit (≥ 2^32 − 1 ns ≈ 4.3 s, or a negative one from a clock that went back) is stored as
 * OVERFLOW and looked up in a Map — rare, as the engine keeps its duplicate ACKs.
 */
import type { PerfPacket } from './tracker';

const OVERFLOW = 0xffffffff;

export class PerfColumns {
  private rtt = new Uint32Array(0);
  private bif = new Uint32Array(0);
  private readonly big = new Map<number, number>();

  static readonly BYTES_PER_PACKET = 8;

  /** Make room for index `need - 1` (the engine passes its own capacity: arrays grow together). */
  grow(cap: number): void {
    if (cap <= this.rtt.length) return;
    const r = new Uint32Array(cap);
    r.set(this.rtt);
    this.rtt = r;
    const b = new Uint32Array(cap);
    b.set(this.bif);
    this.bif = b;
  }

  set(i: number, p: PerfPacket): void {
    const ns = p.ackRttNs;
    // most packets give no sample: one comparison for them
    if (ns === 0) this.rtt[i] = 0;
    else if (ns > 0 && ns < OVERFLOW && Number.isInteger(ns)) this.rtt[i] = ns;
    else {
      this.rtt[i] = OVERFLOW;
      this.big.set(i, ns);
    }
    this.bif[i] = p.bytesInFlight;
  }

  /** ack_rtt of packet i in ns (0: none). */
  ackRttNs(i: number): number {
    if (i < 0 || i >= this.rtt.length) return 0;
    const v = this.rtt[i];
    return v === OVERFLOW ? (this.big.get(i) ?? 0) : v;
  }

  /** bytes_in_flight of packet i (0: none). */
  bytesInFlight(i: number): number {
    return i < 0 || i >= this.bif.length ? 0 : this.bif[i];
  }

  trim(n: number): void {
    if (n >= this.rtt.length) return;
    this.rtt = this.rtt.slice(0, n);
    this.bif = this.bif.slice(0, n);
  }
}
