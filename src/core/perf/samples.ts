/** Bounded lists of samples for the performance summaries (src/core/perf). */

/** Samples kept per list before decimation (4 bytes each: ≤ 256 kB a list). */
export const MAX_SAMPLES = 65536;

/**
 * RTT samples in ms (Float32: µs-exact below 16 s), bounded by decimation. Their times are not kept
 * here: the per-packet ack_rtt column gives the series over time.
 *
 * The buffer starts at 16 samples (64 bytes: V8 keeps a typed array that small in its heap, a cheap
 * allocation; larger ones get a separate backing store) and grows fourfold to MAX_SAMPLES (16 · 4^5),
 * half the reallocations of doubling; `compact()` trims the slack once no more samples come.
 */
export class Samples {
  private buf: Float32Array | null = null;
  private n = 0;
  /** Samples offered (the kept ones are every `stride`-th). */
  seen = 0;
  private stride = 1;

  add(v: number): void {
    const k = this.seen++;
    if (this.stride !== 1 && k % this.stride !== 0) return;
    let b = this.buf;
    if (b === null || this.n === b.length) b = this.room();
    b[this.n++] = v;
  }

  /**
   * A sample given in ns, kept in ms (`add(ns / 1e6)`): the callers pass the integer, which V8 passes as
   * is below 2^30, where a double argument to a call it does not inline is boxed (a heap number a sample).
   */
  addMs(ns: number): void {
    this.add(ns / 1e6);
  }

  /** The first buffer, a larger one, or (at MAX_SAMPLES) every second sample kept. Out of `add` so that add is inlined (a call boxes its double argument). */
  private room(): Float32Array {
    const b = this.buf;
    if (b === null) return (this.buf = new Float32Array(16));
    if (this.n >= MAX_SAMPLES) {
      // keep every second sample, take every second one from now on
      const half = this.n >> 1;
      for (let i = 0; i < half; i++) b[i] = b[2 * i];
      this.n = half;
      this.stride *= 2;
      return b;
    }
    const nb = new Float32Array(Math.min(MAX_SAMPLES, b.length * 4));
    nb.set(b);
    return (this.buf = nb);
  }

  /** The kept samples (a copy). */
  values(): number[] {
    return this.buf === null ? [] : Array.from(this.buf.subarray(0, this.n));
  }

  /** Drop the buffer's slack: call when no more samples are added (4 bytes a sample kept). */
  compact(): void {
    if (this.buf !== null && this.buf.length > this.n) this.buf = this.buf.slice(0, this.n);
  }
}
