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

  /** A finished list read from `buf` (a view into SampleLog's pool: see pack). */
  static view(buf: Float32Array, seen: number): Samples {
    const s = new Samples();
    s.buf = buf;
    s.n = buf.length;
    s.seen = seen;
    return s;
  }

  /** Samples kept. */
  get length(): number {
    return this.n;
  }

  /** Copy the kept samples into `to` at `at`; the offset after them. */
  copyTo(to: Float32Array, at: number): number {
    if (this.buf !== null) to.set(this.buf.subarray(0, this.n), at);
    return at + this.n;
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

/** Entries the log holds before it hands them to their lists (8 bytes each: 32 kB, stays in the L1/L2 cache). */
export const LOG_SIZE = 4096;

/**
 * Where samples go during the engine's pass: appended to one log shared by all of an engine's
 * connections (list id, value), handed to each list's Samples every LOG_SIZE samples and before any
 * list is read (`list`). Why: a Samples per list is three dependent loads away from the connection
 * (PerfConn → its lists → the Samples → its buffer), each a cache miss when the next packet of that
 * connection comes 200 packets later (the 2 M-packet bench: ~100 ns a sample, 0.14 s of the 0.89 s the
 * measurement added); the log is written in order, and the hand-over is a tight loop whose misses
 * overlap. Same values (the log keeps the Float32 the list keeps), same order within a list, so the
 * same decimation.
 *
 * `to(id).add(v)` is how a connection adds: `to` names the list (PerfConn.sampleList), add appends.
 *
 * At the end of the pass (`pack`, TcpEngine.finish) every list's samples go into one Float32Array and
 * the Samples objects go: a Samples with its own buffer was ~200 bytes of objects besides its samples
 * (the object, a typed array, its ArrayBuffer), ~1 KB a connection of the bench's short ones.
 */
export class SampleLog {
  private readonly ids = new Uint32Array(LOG_SIZE);
  private readonly vals = new Float32Array(LOG_SIZE);
  private n = 0;
  /** The list the next add goes to. */
  private cur = 0;
  /** Every list by id (null until its first sample); emptied by pack. */
  private lists: (Samples | null)[] = [];
  /** After pack: every list's kept samples one after the other, list `id`'s at [start[id], start[id + 1]), and how many it saw (0: none came). */
  private pool: Float32Array | null = null;
  private start: Uint32Array | null = null;
  private seen: Uint32Array | null = null;

  /** Ids for `count` new lists (a connection's); the first. */
  register(count: number): number {
    const first = this.lists.length;
    for (let k = 0; k < count; k++) this.lists.push(null);
    return first;
  }

  /** Name the list the next `add` / `addMs` goes to (returns the log). */
  to(id: number): SampleLog {
    this.cur = id;
    return this;
  }

  add(v: number): void {
    const n = this.n;
    this.ids[n] = this.cur;
    this.vals[n] = v;
    this.n = n + 1;
    if (n + 1 === LOG_SIZE) this.flush();
  }

  /** `add(ns / 1e6)` (see Samples.addMs). */
  addMs(ns: number): void {
    this.add(ns / 1e6);
  }

  /** Hand the logged samples to their lists, in order. */
  flush(): void {
    const n = this.n;
    this.n = 0;
    for (let i = 0; i < n; i++) {
      const id = this.ids[i];
      let s = this.lists[id];
      if (s === null) this.lists[id] = s = new Samples();
      s.add(this.vals[i]);
    }
  }

  /** List `id` with every sample so far, or null when none came (after pack: a view, made for the call). */
  list(id: number): Samples | null {
    if (this.pool !== null) {
      const seen = this.seen![id];
      return seen === 0 ? null : Samples.view(this.pool.subarray(this.start![id], this.start![id + 1]), seen);
    }
    if (this.n > 0) this.flush();
    return this.lists[id];
  }

  /**
   * No more samples come (the engine's finish): every list into one pool (4 bytes a kept sample, 8 a
   * list: where it starts, how many it saw). Lists stay readable through `list`; adding is over.
   */
  pack(): void {
    if (this.pool !== null) return;
    this.flush();
    const lists = this.lists;
    const m = lists.length;
    let total = 0;
    for (const s of lists) if (s !== null) total += s.length;
    const pool = new Float32Array(total);
    const start = new Uint32Array(m + 1);
    const seen = new Uint32Array(m);
    let o = 0;
    for (let id = 0; id < m; id++) {
      start[id] = o;
      const s = lists[id];
      if (s === null) continue;
      o = s.copyTo(pool, o);
      seen[id] = s.seen;
    }
    start[m] = o;
    this.pool = pool;
    this.start = start;
    this.seen = seen;
    this.lists = [];
  }
}
