/**
 * The paged row cache of both webviews (the packet list and the flow graph): pages of `pageSize`
 * rows keyed by their first row, fetched from the host on demand, at most `maxPages` kept (the
 * least recently used go first). `clear` forgets everything, and a page that was on its way then is
 * dropped when it arrives (it belongs to an older view or graph).
 */
export class PageCache<P extends { rows: readonly unknown[] }> {
  private readonly pages = new Map<number, { page: P; used: number }>();
  /** Page starts asked for and not yet here. */
  private readonly asked = new Set<number>();
  private tick = 0;
  private generation = 0;

  constructor(
    readonly pageSize: number,
    readonly maxPages: number,
  ) {}

  get size(): number {
    return this.pages.size;
  }

  /** Row `pos` when its page is here (the page counts as used). */
  row(pos: number): P['rows'][number] | undefined {
    const start = pos - (pos % this.pageSize);
    const p = this.pages.get(start);
    if (!p) return undefined;
    p.used = ++this.tick;
    return p.page.rows[pos - start];
  }

  /** The page starting at `start`, when here (not counted as a use). */
  page(start: number): P | undefined {
    return this.pages.get(start)?.page;
  }

  /** Every page here with its first row. */
  *entries(): IterableIterator<[number, P]> {
    for (const [start, p] of this.pages) yield [start, p.page];
  }

  /**
   * Fetches page `start` with `load` unless it is here or on its way. The page is kept (and
   * `then` runs) when it arrives before the next `clear`; undefined or a rejection keeps nothing.
   */
  fetch(start: number, load: () => Promise<P | undefined>, then?: (page: P) => void): void {
    if (this.pages.has(start) || this.asked.has(start)) return;
    this.asked.add(start);
    const gen = this.generation;
    load().then(
      (page) => {
        if (gen !== this.generation) return;
        this.asked.delete(start);
        if (!page) return;
        this.pages.set(start, { page, used: ++this.tick });
        then?.(page);
      },
      () => {
        if (gen === this.generation) this.asked.delete(start);
      },
    );
  }

  /** Forgets every page and every page on its way. */
  clear(): void {
    this.generation++;
    this.pages.clear();
    this.asked.clear();
  }

  /** Forgets the pages `drop` says (not those on their way). */
  dropWhere(drop: (page: P, start: number) => boolean): void {
    for (const [start, p] of this.pages) if (drop(p.page, start)) this.pages.delete(start);
  }

  /** Down to maxPages, least recently used first, sparing the pages that overlap rows keepFrom..keepTo. */
  evict(keepFrom = Infinity, keepTo = -Infinity): void {
    if (this.pages.size <= this.maxPages) return;
    const candidates = [...this.pages.entries()].filter(([s]) => s + this.pageSize <= keepFrom || s > keepTo).sort((a, b) => a[1].used - b[1].used);
    for (const [k] of candidates.slice(0, this.pages.size - this.maxPages)) this.pages.delete(k);
  }
}
