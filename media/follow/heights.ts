/**
 * Line counts of the chunks (a Fenwick tree: prefix sums and "which chunk holds line L" in O(log n)),
 * so the virtualized list places any of a million chunks without laying them out. A chunk whose page has
 * not come yet counts an estimate; once it comes, its exact count replaces it. Pure (no DOM).
 */
export class Heights {
  private tree = new Float64Array(1);
  private h = new Float64Array(0);
  private n = 0;

  get count(): number {
    return this.n;
  }

  /** Resets to `n` chunks of height `height(i)`. O(n). */
  reset(n: number, height: (i: number) => number): void {
    this.n = n;
    this.h = new Float64Array(n);
    for (let i = 0; i < n; i++) this.h[i] = height(i);
    this.tree = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) {
      this.tree[i] += this.h[i - 1];
      const j = i + (i & -i);
      if (j <= n) this.tree[j] += this.tree[i];
    }
  }

  get(i: number): number {
    return this.h[i];
  }

  set(i: number, v: number): void {
    const d = v - this.h[i];
    if (d === 0) return;
    this.h[i] = v;
    for (let k = i + 1; k <= this.n; k += k & -k) this.tree[k] += d;
  }

  /** Lines before chunk i. */
  prefix(i: number): number {
    let s = 0;
    for (let k = Math.min(i, this.n); k > 0; k -= k & -k) s += this.tree[k];
    return s;
  }

  get total(): number {
    return this.prefix(this.n);
  }

  /** The chunk that holds line `line` (the last chunk when past the end; 0 when empty). */
  find(line: number): number {
    if (this.n === 0) return 0;
    let pos = 0;
    let rem = line;
    let step = 1;
    while (step * 2 <= this.n) step *= 2;
    for (; step > 0; step >>= 1) {
      const k = pos + step;
      if (k <= this.n && this.tree[k] <= rem) {
        pos = k;
        rem -= this.tree[k];
      }
    }
    return Math.min(pos, this.n - 1);
  }
}
