/** Bounded lists of samples for the performance summaries (src/core/perf). */

/** Samples kept per list before decimation (4 bytes each: ≤ 256 kB a list). */
export const MAX_SAMPLES = 65536;

/**
 * RTT samples in ms (Float32: µs-exact below 16 s), bounded by decimation. Their times are not kept
 * here: the per-packet ack_rtt column gives the series over time.
 */
export class Samples {
  private buf: Float32Array | null = null;
  private n = 0;
  /** Samples offered (the kept ones are every `stride`-th). */
  seen = 0;
  private stride = 1;

  add(v: number): void {
    if (this.stride !== 1 && this.seen++ % this.stride !== 0) return;
    if (this.stride === 1) this.seen++;
    let b = this.buf;
    if (b === null) b = this.buf = new Float32Array(16);
    else if (this.n === b.length) {
      if (b.length >= MAX_SAMPLES) {
        // keep every second sample, take every second one from now on
        for (let i = 0; i < this.n / 2; i++) b[i] = b[2 * i];
        this.n /= 2;
        this.stride *= 2;
      } else {
        const nb = new Float32Array(b.length * 2);
        nb.set(b);
        b = this.buf = nb;
      }
    }
    b[this.n++] = v;
  }

  /** The kept samples (a copy). */
  values(): number[] {
    return this.buf === null ? [] : Array.from(this.buf.subarray(0, this.n));
  }
}
