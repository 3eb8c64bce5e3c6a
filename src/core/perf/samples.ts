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
 * The engine keeps its lists in a SampleLog (below: the same rule without an object a list); a
 * Samples is what a list is read as (`SampleLog.list`, PerfConn.samplesOf).
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
 * Where samples go during the engine's pass, with no object a list: appended to one log shared by all
 * of an engine's connections (list id, value), handed to the lists every LOG_SIZE samples and before
 * any list is read (`list`). The lists themselves are blocks of one Float32Array (the slab), their
 * counters in typed arrays by list id: the same rule as Samples (a block starts at 16, grows fourfold,
 * at MAX_SAMPLES keeps every second sample), same values (the log keeps the Float32 the list keeps) in
 * the same order, so the same decimation.
 *
 * Why (the 2 M-packet synthetic bench, 10,000 connections): a Samples a list, with its own buffer, was
 * three dependent loads a sample (PerfConn → its lists → the Samples → its buffer) and ~150 bytes of
 * objects a buffer (typed array, ArrayBuffer) that lived through a scavenge or two: the measurement's
 * garbage collection grew with them. `to(id).add(v)` is how a connection adds (PerfConn.sampleList).
 *
 * At the end of the pass (`pack`, TcpEngine.finish) every list's kept samples go into one Float32Array
 * (4 bytes a sample, 8 a list: where it starts, how many it saw).
 */
export class SampleLog {
  private readonly ids = new Uint32Array(LOG_SIZE);
  private readonly vals = new Float32Array(LOG_SIZE);
  private n = 0;
  /** The list the next add goes to. */
  private cur = 0;
  /** Lists registered. */
  private m = 0;
  /** By list id: its block in the slab (start, capacity: 0 none yet), samples kept, offered, the stride of those kept. */
  private at = new Uint32Array(64);
  private cap = new Uint32Array(64);
  private kept = new Uint32Array(64);
  private seen = new Uint32Array(64);
  private stride = new Uint32Array(64);
  private slab = new Float32Array(0);
  /** Slab used up to here (blocks left by a list that grew stay unused until the slab is compacted). */
  private top = 0;
  /** Capacity of the lists' current blocks, together. */
  private reserved = 0;
  /** After pack: every list's kept samples one after the other, list `id`'s at [start[id], start[id + 1]). */
  private pool: Float32Array | null = null;
  private start: Uint32Array | null = null;

  /** Ids for `count` new lists (a connection's); the first. */
  register(count: number): number {
    const first = this.m;
    const m = first + count;
    if (m > this.at.length) {
      let len = this.at.length * 2;
      while (len < m) len *= 2;
      const grow = (a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
        const b = new Uint32Array(len);
        b.set(a);
        return b;
      };
      this.at = grow(this.at);
      this.cap = grow(this.cap);
      this.kept = grow(this.kept);
      this.seen = grow(this.seen);
      this.stride = grow(this.stride);
    }
    this.stride.fill(1, first, m);
    this.m = m;
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

  /** Hand the logged samples to their lists, in order (Samples.add's rule on each list's counters). */
  flush(): void {
    const n = this.n;
    this.n = 0;
    const seen = this.seen;
    const stride = this.stride;
    const kept = this.kept;
    for (let i = 0; i < n; i++) {
      const id = this.ids[i];
      const k = seen[id]++;
      const st = stride[id];
      if (st !== 1 && k % st !== 0) continue;
      if (kept[id] === this.cap[id]) this.room(id);
      this.slab[this.at[id] + kept[id]] = this.vals[i];
      kept[id]++;
    }
  }

  /** List `id` is full: its first block (16), a block four times larger (to MAX_SAMPLES), or every second sample kept. */
  private room(id: number): void {
    const c = this.cap[id];
    const n = this.kept[id];
    if (c !== 0 && n >= MAX_SAMPLES) {
      const b = this.slab;
      const o = this.at[id];
      const half = n >> 1;
      for (let i = 0; i < half; i++) b[o + i] = b[o + 2 * i];
      this.kept[id] = half;
      this.stride[id] *= 2;
      return;
    }
    const size = c === 0 ? 16 : Math.min(MAX_SAMPLES, c * 4);
    if (this.top + size > this.slab.length) this.compact(size);
    this.slab.copyWithin(this.top, this.at[id], this.at[id] + n);
    this.at[id] = this.top;
    this.cap[id] = size;
    this.top += size;
    this.reserved += size - c;
  }

  /** A new slab, twice what the lists' blocks and `need` take, the blocks moved to its front. */
  private compact(need: number): void {
    const old = this.slab;
    const slab = new Float32Array(Math.max(4096, 2 * (this.reserved + need)));
    let o = 0;
    for (let id = 0; id < this.m; id++) {
      const c = this.cap[id];
      if (c === 0) continue;
      const a = this.at[id];
      slab.set(old.subarray(a, a + this.kept[id]), o);
      this.at[id] = o;
      o += c;
    }
    this.slab = slab;
    this.top = o;
  }

  /** List `id` with every sample so far, or null when none came (a copy before pack, a view after). */
  list(id: number): Samples | null {
    if (this.pool !== null) {
      const seen = this.seen[id];
      return seen === 0 ? null : Samples.view(this.pool.subarray(this.start![id], this.start![id + 1]), seen);
    }
    if (this.n > 0) this.flush();
    if (this.seen[id] === 0) return null;
    const a = this.at[id];
    return Samples.view(this.slab.slice(a, a + this.kept[id]), this.seen[id]);
  }

  /** No more samples come (the engine's finish): every list's kept samples into one pool; lists stay readable through `list`. */
  pack(): void {
    if (this.pool !== null) return;
    this.flush();
    const m = this.m;
    let total = 0;
    for (let id = 0; id < m; id++) total += this.kept[id];
    const pool = new Float32Array(total);
    const start = new Uint32Array(m + 1);
    let o = 0;
    for (let id = 0; id < m; id++) {
      start[id] = o;
      const a = this.at[id];
      const k = this.kept[id];
      if (k > 0) pool.set(this.slab.subarray(a, a + k), o);
      o += k;
    }
    start[m] = o;
    this.pool = pool;
    this.start = start;
    this.seen = this.seen.slice(0, m);
    this.at = this.cap = this.kept = this.stride = new Uint32Array(0);
    this.slab = new Float32Array(0);
  }
}
