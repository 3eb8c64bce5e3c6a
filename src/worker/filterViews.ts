/**
 * FilterViews: the capture editor's filter views, each the packet indices that match one filter
 * expression, extended as indexing goes on. Part of CaptureIndex (src/worker/captureIndex.ts).
 */
import { tryCompileFilter, type FilterColumns, type Predicate } from '../core/filter/eval';
import type { FilterResult } from './api';

/** Filter views kept (the oldest is dropped beyond). */
const MAX_VIEWS = 16;
/**
 * Bytes the filter views' index arrays may hold together (4 bytes a matching packet): beyond it the
 * oldest views are dropped, the newest is always kept (the editor uses one view at a time). With
 * the 1 GiB index ceiling that is at most ~1.3 GiB of typed arrays for one capture.
 */
const VIEWS_MAX_BYTES = 256 * 1024 * 1024;
/**
 * Packets a filter that decodes frames evaluates in one turn of the event loop: decoding takes
 * ~1–3 µs a packet, so 65,536 packets keep the worker busy ~0.1–0.2 s before it answers other
 * requests (rows, details, cancel), where one synchronous pass over 10 M packets would take ~20 s.
 */
export const DECODE_SLICE = 65536;

/** One turn of the event loop (the way indexRun.ts yields between chunks). */
const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface View {
  id: number;
  match: Predicate;
  idx: Int32Array;
  n: number;
  /** Packets evaluated so far. */
  upto: number;
  /** The filter reads frames: evaluated in slices of DECODE_SLICE while indexing. */
  decodes: boolean;
}

export class FilterViews {
  private readonly views = new Map<number, View>();
  private nextView = 1;

  /**
   * @param cols the columns the filters read (re-read on every evaluation: they grow)
   * @param capacity packets the columns have room for now (a view never grows beyond)
   * @param slice packets a decoding filter evaluates per turn
   */
  constructor(
    private readonly cols: FilterColumns,
    private readonly capacity: () => number,
    private readonly slice = DECODE_SLICE,
  ) {}

  get size(): number {
    return this.views.size;
  }

  /** Packets in each view. */
  counts(): { view: number; count: number }[] {
    return [...this.views.values()].map((v) => ({ view: v.id, count: v.n }));
  }

  /**
   * Make a view of the packets matching `expr`. Syntax errors and fields the columns cannot give
   * come back as { ok: false, error, at } (at: the offending token). A filter that decodes frames
   * is evaluated DECODE_SLICE packets a turn, yielding between slices; the count returned covers
   * every packet indexed when it resolves.
   */
  async filter(expr: string, closed: () => boolean, id?: number): Promise<FilterResult> {
    const c = tryCompileFilter(expr, this.cols);
    if (!c.ok) return c;
    if (closed()) return { ok: false, error: 'the capture is closed', at: 0 };
    // `id`: the same view again in a new index (src/worker/liveIndex.ts), so the editor's view id stays valid
    if (id !== undefined) this.nextView = Math.max(this.nextView, id + 1);
    const v: View = { id: id ?? this.nextView++, match: c.match, idx: new Int32Array(1024), n: 0, upto: 0, decodes: c.decodes };
    this.views.set(v.id, v);
    // keep the 16 most recent views (a UI that never drops its old filters does not pile them up)
    while (this.views.size > MAX_VIEWS) this.views.delete(this.views.keys().next().value as number);
    if (v.decodes) {
      for (;;) {
        this.extendView(v, this.slice);
        if (v.upto >= this.cols.count) break;
        await yieldTurn();
        if (closed()) return { ok: false, error: 'the capture is closed', at: 0 };
        // dropped meanwhile (16 newer views, or the memory bound): it is nobody's any more
        if (this.views.get(v.id) !== v) return { ok: false, error: 'the filter was replaced by newer ones', at: 0 };
      }
    } else this.extendView(v);
    this.boundViews();
    return { ok: true, view: v.id, count: v.n };
  }

  dropView(view: number): void {
    this.views.delete(view);
  }

  /** Packets in a view (0 = all packets). */
  viewCount(view: number): number {
    if (!view) return this.cols.count;
    const v = this.views.get(view);
    if (!v) return 0;
    // a decoding view: one slice (asked with every page of rows; while indexing, the count grows
    // as the packet count does, and filter() and the end of indexing evaluate it whole)
    this.extendView(v, v.decodes ? this.slice : Infinity);
    return v.n;
  }

  /** Evaluate every view again from the first packet (the results they depend on changed). */
  reset(): void {
    for (const v of this.views.values()) {
      v.n = 0;
      v.upto = 0;
    }
  }

  /**
   * Extend every view over the packets indexed since. While indexing (`sliced`), a decoding view
   * gets one slice a progress report, so that the worker stays responsive; rows asked for beyond
   * what it has evaluated extend it then (indicesOf).
   */
  extendViews(sliced = false): void {
    for (const v of this.views.values()) this.extendView(v, sliced && v.decodes ? this.slice : Infinity);
    this.boundViews();
  }

  /** Drop the oldest views while the views hold more than VIEWS_MAX_BYTES (the newest stays). */
  private boundViews(): void {
    let bytes = 0;
    for (const v of this.views.values()) bytes += v.idx.byteLength;
    while (bytes > VIEWS_MAX_BYTES && this.views.size > 1) {
      const oldest = this.views.values().next().value as View;
      bytes -= oldest.idx.byteLength;
      this.views.delete(oldest.id);
    }
  }

  /** Evaluate view `v` over the packets indexed since, at most `max` of them. */
  private extendView(v: View, max = Infinity): void {
    const end = Math.min(this.cols.count, v.upto + max);
    let idx = v.idx;
    let n = v.n;
    const match = v.match;
    for (let i = v.upto; i < end; i++) {
      if (!match(i)) continue;
      if (n === idx.length) {
        // never beyond the packets there can be (a view of every packet holds 4 bytes a packet, no more)
        const b = new Int32Array(Math.max(n + 1, Math.min(idx.length * 2, this.capacity())));
        b.set(idx);
        idx = b;
      }
      idx[n++] = i;
    }
    v.idx = idx;
    v.n = n;
    v.upto = end;
  }

  /** Packet indices of positions start .. start+count-1 of a view (clipped). */
  indicesOf(start: number, count: number, view: number): number[] {
    const out: number[] = [];
    start = Math.max(0, Math.floor(start));
    count = Math.max(0, Math.floor(count));
    if (!view) {
      const end = Math.min(this.cols.count, start + count);
      for (let i = start; i < end; i++) out.push(i);
      return out;
    }
    const v = this.views.get(view);
    if (!v) throw new Error(`unknown view ${view}`);
    // a decoding view: only as far as these rows need (a slice at a time)
    if (v.decodes) while (v.n < start + count && v.upto < this.cols.count) this.extendView(v, this.slice);
    else this.extendView(v);
    const end = Math.min(v.n, start + count);
    for (let k = start; k < end; k++) out.push(v.idx[k]);
    return out;
  }

  /** Members of a view whose packet index is below `i` (evaluated so far; 0 for an unknown view). */
  countBelow(view: number, i: number): number {
    const v = this.views.get(view);
    if (!v) return 0;
    let lo = 0;
    let hi = v.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v.idx[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Bytes the views' index arrays hold. */
  bytes(): number {
    let b = 0;
    for (const v of this.views.values()) b += v.idx.byteLength;
    return b;
  }
}
