/** Bounded lists of samples for the performance summaries (src/core/perf). */

/** Samples kept per list before decimation (8 bytes each while the pass runs, 4 once compacted: ≤ 512 / 256 kB a list). */
export const MAX_SAMPLES = 65536;

/**
 * RTT samples in ms, rounded to Float32 (µs-exact below 16 s), bounded by decimation. Their times are
 * not kept here: the per-packet ack_rtt column gives the series over time.
 *
 * Kept in a plain array while the pass runs: a typed array per list cost more than the rest of a
 * short connection's measurement (the bench's 10,000 connections make ~60,000 lists, each allocated
 * and doubled 16 → 32 → 64 → 128: about 0.15 s of the 2 M-packet pass); `compact()` packs them
 * into a Float32Array (4 bytes a sample) once no more come.
 */
export class Samples {
  private buf: number[] | Float32Array | null = null;
  private n = 0;
  /** Samples offered (the kept ones are every `stride`-th). */
  seen = 0;
  private stride = 1;

  add(v: number): void {
    if (this.seen++ % this.stride !== 0) return;
    let b = this.buf as number[] | null;
    if (b === null) b = this.buf = [];
    else if (this.n === MAX_SAMPLES) {
      // keep every second sample, take every second one from now on
      const half = this.n >> 1;
      for (let i = 0; i < half; i++) b[i] = b[2 * i];
      b.length = half;
      this.n = half;
      this.stride *= 2;
    }
    b.push(Math.fround(v));
    this.n++;
  }

  /** The kept samples (a copy). */
  values(): number[] {
    const b = this.buf;
    return b === null ? [] : Array.from(b.slice(0, this.n));
  }

  /** Pack the samples into a Float32Array (the same values): call when no more are added (4 bytes a sample instead of 8). */
  compact(): void {
    if (this.buf !== null && !(this.buf instanceof Float32Array)) this.buf = Float32Array.from(this.buf);
  }
}
