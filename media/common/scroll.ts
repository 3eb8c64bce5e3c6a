/**
 * Virtual scrolling maths for the packet list (pure, no DOM). The browser cannot scroll an element
 * taller than a few million pixels, so the scrollbar's range is capped at MAX_SCROLL_PX and mapped
 * linearly onto the list's real height: scrolling to the end of the bar shows the last row, and
 * small lists scroll one pixel per pixel.
 */

/** Height the scroll spacer may have (Chromium's limit is about 33 M px; stay well below it). */
export const MAX_SCROLL_PX = 8_000_000;

export interface ScrollGeometry {
  /** Rows in the list. */
  count: number;
  /** Row height in px (> 0). */
  rowHeight: number;
  /** Height of the visible area in px. */
  viewport: number;
  /** Cap of the scroll spacer (default MAX_SCROLL_PX). */
  maxScroll?: number;
}

/** Real content height (every row). */
export function contentHeight(g: ScrollGeometry): number {
  return Math.max(0, g.count) * g.rowHeight;
}

/** Height of the scroll spacer (the real height, capped). */
export function spacerHeight(g: ScrollGeometry): number {
  return Math.min(contentHeight(g), g.maxScroll ?? MAX_SCROLL_PX);
}

/** The real pixel offset shown at the top for a scrollTop of the (capped) scroller. */
export function realTop(scrollTop: number, g: ScrollGeometry): number {
  const real = contentHeight(g) - g.viewport;
  const bar = spacerHeight(g) - g.viewport;
  if (real <= 0 || bar <= 0) return 0;
  const top = Math.max(0, Math.min(scrollTop, bar));
  if (real === bar) return top;
  return (top / bar) * real;
}

/** The scrollTop that shows the real pixel offset `top` at the top (inverse of realTop). */
export function scrollTopFor(top: number, g: ScrollGeometry): number {
  const real = contentHeight(g) - g.viewport;
  const bar = spacerHeight(g) - g.viewport;
  if (real <= 0 || bar <= 0) return 0;
  const t = Math.max(0, Math.min(top, real));
  if (real === bar) return t;
  return (t / real) * bar;
}

/** Rows to draw for a scrollTop: the first row index, its pixel offset (≤ 0) and how many rows. */
export function visibleRange(scrollTop: number, g: ScrollGeometry): { first: number; offset: number; count: number } {
  return visibleRangeAt(realTop(scrollTop, g), g);
}

/**
 * Rows to draw when the real pixel offset `top` is at the top. With a capped scroller one bar pixel
 * is several real pixels, so the list keeps the exact offset it scrolled to itself (a revealed row
 * is not cut by the rounding of scrollTop) and uses this.
 */
export function visibleRangeAt(top: number, g: ScrollGeometry): { first: number; offset: number; count: number } {
  if (g.count <= 0) return { first: 0, offset: 0, count: 0 };
  top = Math.max(0, Math.min(top, Math.max(0, contentHeight(g) - g.viewport)));
  const first = Math.min(g.count - 1, Math.floor(top / g.rowHeight));
  const offset = first * g.rowHeight - top;
  const count = Math.min(g.count - first, Math.ceil((g.viewport - offset) / g.rowHeight) + 1);
  return { first, offset, count: Math.max(0, count) };
}

/** Rows that fit the viewport entirely (for PageUp/PageDown), at least 1. */
export function pageRows(g: ScrollGeometry): number {
  return Math.max(1, Math.floor(g.viewport / g.rowHeight) - 1);
}

/**
 * The real top offset after making `row` fully visible with as little movement as possible
 * (unchanged when it already is).
 */
export function revealTop(row: number, currentTop: number, g: ScrollGeometry): number {
  const y = row * g.rowHeight;
  if (y < currentTop) return y;
  if (y + g.rowHeight > currentTop + g.viewport) return Math.max(0, y + g.rowHeight - g.viewport);
  return currentTop;
}

/** Page-aligned blocks of rows to fetch around [first, first+count): the visible ones first, then one page on each side. */
export function pagesFor(first: number, count: number, total: number, pageSize: number): number[] {
  if (total <= 0 || count <= 0) return [];
  const a = Math.floor(first / pageSize);
  const b = Math.floor(Math.min(total - 1, first + count - 1) / pageSize);
  const out: number[] = [];
  for (let p = a; p <= b; p++) out.push(p * pageSize);
  const last = Math.floor((total - 1) / pageSize);
  if (b + 1 <= last) out.push((b + 1) * pageSize);
  if (a - 1 >= 0) out.push((a - 1) * pageSize);
  return out;
}

/**
 * The exact real offset a capped scroller was last set to: its scrollTop is rounded, and with a
 * capped scroller one bar pixel is several real pixels. Kept until the user scrolls elsewhere.
 */
/**
 * Follow mode (issue 16): true when the real top `top` shows the last row (within half a row), so
 * rows arriving at the end should keep the list at its end; an empty list counts as at its end.
 */
export function atEnd(top: number, g: ScrollGeometry): boolean {
  return g.count <= 0 || top + g.viewport >= contentHeight(g) - g.rowHeight / 2;
}

/** The real top that shows the last rows of the list. */
export function endTop(g: ScrollGeometry): number {
  return Math.max(0, contentHeight(g) - g.viewport);
}

export class FineScroll {
  private fineTop = -1;
  private fineScroll = -1;
  constructor(private readonly el: { scrollTop: number }) {}

  /** The real offset of the top of the view. */
  top(g: ScrollGeometry): number {
    if (this.fineTop >= 0 && Math.abs(this.el.scrollTop - this.fineScroll) < 1.5) return Math.min(this.fineTop, Math.max(0, contentHeight(g) - g.viewport));
    this.fineTop = -1;
    return realTop(this.el.scrollTop, g);
  }

  /** Scroll so that the real offset `px` is at the top. */
  set(px: number, g: ScrollGeometry): void {
    this.el.scrollTop = scrollTopFor(px, g);
    this.fineScroll = this.el.scrollTop;
    this.fineTop = Math.max(0, px);
  }
}
