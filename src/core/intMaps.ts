/**
 * Open-addressing hash maps for the per-packet hot paths, keyed by numbers that a JavaScript Map
 * would hash slowly (IPv4 addresses and address·port keys above 2^31 are heap numbers, not small
 * integers): linear probing over typed arrays, no allocation per lookup, never shrinking.
 */

const GOLDEN = 0x9e3779b1;

/** Uint32 key → non-zero Uint32 value (0 means "absent"). */
export class IntIdMap {
  private keys = new Uint32Array(1024);
  private vals = new Uint32Array(1024);
  private size = 0;

  /** The value of `k`, or 0. */
  get(k: number): number {
    const mask = this.keys.length - 1;
    let h = (Math.imul(k, GOLDEN) >>> 0) & mask;
    for (;;) {
      const v = this.vals[h];
      if (v === 0) return 0;
      if (this.keys[h] === k) return v;
      h = (h + 1) & mask;
    }
  }

  /** Set `k` to `id` (non-zero). */
  set(k: number, id: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    const mask = this.keys.length - 1;
    let h = (Math.imul(k, GOLDEN) >>> 0) & mask;
    while (this.vals[h] !== 0) {
      if (this.keys[h] === k) {
        this.vals[h] = id;
        return;
      }
      h = (h + 1) & mask;
    }
    this.keys[h] = k;
    this.vals[h] = id;
    this.size++;
  }

  clear(): void {
    this.keys = new Uint32Array(1024);
    this.vals = new Uint32Array(1024);
    this.size = 0;
  }

  private rehash(cap: number): void {
    const ok = this.keys;
    const ov = this.vals;
    this.keys = new Uint32Array(cap);
    this.vals = new Uint32Array(cap);
    this.size = 0;
    for (let i = 0; i < ok.length; i++) if (ov[i] !== 0) this.set(ok[i], ov[i]);
  }
}

/**
 * Unordered pair of integer keys below 2^53 (e.g. IPv4 address·65536 + port, one per endpoint)
 * → non-negative int32 value; (a, b) and (b, a) are the same entry.
 */
export class PairMap {
  private lo = new Float64Array(1024);
  private hi = new Float64Array(1024);
  /** value + 1; 0 = empty slot. */
  private vals = new Int32Array(1024);
  private size = 0;

  /** The value of the pair {a, b}, or -1. */
  get(a: number, b: number): number {
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    const mask = this.vals.length - 1;
    let h = pairHash(a, b) & mask;
    for (;;) {
      const v = this.vals[h];
      if (v === 0) return -1;
      if (this.lo[h] === a && this.hi[h] === b) return v - 1;
      h = (h + 1) & mask;
    }
  }

  /** Set the pair {a, b} to `value` (≥ 0). */
  set(a: number, b: number, value: number): void {
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    if ((this.size + 1) * 2 > this.vals.length) this.rehash(this.vals.length * 2);
    this.put(a, b, value + 1);
  }

  clear(): void {
    this.lo = new Float64Array(1024);
    this.hi = new Float64Array(1024);
    this.vals = new Int32Array(1024);
    this.size = 0;
  }

  private put(a: number, b: number, v: number): void {
    const mask = this.vals.length - 1;
    let h = pairHash(a, b) & mask;
    while (this.vals[h] !== 0) {
      if (this.lo[h] === a && this.hi[h] === b) {
        this.vals[h] = v;
        return;
      }
      h = (h + 1) & mask;
    }
    this.lo[h] = a;
    this.hi[h] = b;
    this.vals[h] = v;
    this.size++;
  }

  private rehash(cap: number): void {
    const { lo, hi, vals } = this;
    this.lo = new Float64Array(cap);
    this.hi = new Float64Array(cap);
    this.vals = new Int32Array(cap);
    for (let i = 0; i < vals.length; i++) if (vals[i] !== 0) this.put(lo[i], hi[i], vals[i]);
  }
}

/** Mixes both keys, each split into its low 32 bits and the bits above. */
function pairHash(a: number, b: number): number {
  let h = Math.imul(a >>> 0, GOLDEN) ^ Math.imul((a / 4294967296) >>> 0, 0x85ebca6b);
  h = Math.imul(h ^ (b >>> 0), 0xc2b2ae35) ^ Math.imul((b / 4294967296) >>> 0, GOLDEN);
  h ^= h >>> 15;
  return h >>> 0;
}
