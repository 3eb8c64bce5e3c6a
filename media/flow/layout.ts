/**
 * Geometry of the flow-graph webview (pure, no DOM): where the time column, the bracket gutter,
 * each lifeline and the comment column sit for a zoom level; which lifelines are in view for a
 * horizontal scroll offset; where an arrow and its label go; which rows to draw for a vertical
 * scroll offset (the vertical maths of the capture editor's packet list, media/capture/scroll.ts,
 * capped for millions of rows); zoom steps. The same grid as the SVG export (FLOW_SVG_LAYOUT).
 */
import { FLOW_MAX_LANES, FLOW_SVG_LAYOUT } from '../../src/core/flow/grid';
import { type ScrollGeometry, visibleRangeAt } from '../capture/scroll';

/** Zoom levels (1 = the SVG export's size). */
export const ZOOM_STEPS = [0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2] as const;
export const MIN_ZOOM = ZOOM_STEPS[0];
export const MAX_ZOOM = ZOOM_STEPS[ZOOM_STEPS.length - 1];

/** Width of one bracket lane in the gutter (px at zoom 1). */
export const LANE_WIDTH = 16;
/** Most bracket lanes the gutter shows. */
export const MAX_LANES = FLOW_MAX_LANES;
/** Rows drawn above and below the visible ones. */
export const ROW_MARGIN = 6;

export interface FlowLayout {
  zoom: number;
  rowHeight: number;
  /** y of the arrow inside its row. */
  arrowY: number;
  headerHeight: number;
  timeWidth: number;
  gutterWidth: number;
  /** x where the first lifeline column starts. */
  columnsLeft: number;
  colWidth: number;
  lifelines: number;
  commentLeft: number;
  commentWidth: number;
  /** Whole content width. */
  width: number;
}

/** Clamp a zoom into [MIN_ZOOM, MAX_ZOOM] (1 for anything not a finite number). */
export function clampZoom(z: number): number {
  if (!Number.isFinite(z)) return 1;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

/** The next zoom step up (dir = 1) or down (dir = -1) from `z`. */
export function stepZoom(z: number, dir: 1 | -1): number {
  const cur = clampZoom(z);
  if (dir > 0) {
    for (const s of ZOOM_STEPS) if (s > cur + 1e-9) return s;
    return MAX_ZOOM;
  }
  for (let i = ZOOM_STEPS.length - 1; i >= 0; i--) if (ZOOM_STEPS[i] < cur - 1e-9) return ZOOM_STEPS[i];
  return MIN_ZOOM;
}

/**
 * The layout for `lifelines` columns whose longest header label has `maxLabel` characters, with
 * `lanes` bracket lanes, at `zoom`. Row height and column width scale with the zoom; a column is
 * never narrower than its label.
 */
export function flowLayout(lifelines: number, maxLabel: number, lanes: number, zoom: number): FlowLayout {
  const z = clampZoom(zoom);
  const L = FLOW_SVG_LAYOUT;
  const rowHeight = Math.round(L.rowHeight * z);
  const timeWidth = Math.round(L.timeWidth);
  const gutterWidth = Math.round(Math.max(1, Math.min(MAX_LANES, lanes)) * LANE_WIDTH);
  const labelMin = maxLabel * L.charWidth + 24;
  const colWidth = 2 * Math.round(Math.max(labelMin, L.minColumn * z) / 2); // even: the lifeline sits on a whole pixel
  const columnsLeft = timeWidth + gutterWidth;
  const commentLeft = columnsLeft + lifelines * colWidth + 12;
  const commentWidth = L.commentWidth;
  return {
    zoom: z,
    rowHeight,
    arrowY: Math.round(rowHeight * 0.45),
    headerHeight: L.headerHeight,
    timeWidth,
    gutterWidth,
    columnsLeft,
    colWidth,
    lifelines,
    commentLeft,
    commentWidth,
    width: commentLeft + commentWidth,
  };
}

/** x of lifeline `i`'s line (the centre of its column). */
export function lifelineX(l: FlowLayout, i: number): number {
  return l.columnsLeft + i * l.colWidth + l.colWidth / 2;
}

/** Lifelines whose columns intersect [left, left + width) of the content, with `margin` columns on each side; [0, -1] when none. */
export function visibleColumns(l: FlowLayout, left: number, width: number, margin = 1): [number, number] {
  if (l.lifelines <= 0) return [0, -1];
  const a = Math.floor((left - l.columnsLeft) / l.colWidth) - margin;
  const b = Math.floor((left + width - l.columnsLeft) / l.colWidth) + margin;
  const first = Math.max(0, a);
  const last = Math.min(l.lifelines - 1, b);
  return first > last ? [0, -1] : [first, last];
}

/** An arrow from lifeline `from` to `to`: its left x, its width and whether it points right. */
export function arrowBox(l: FlowLayout, from: number, to: number): { left: number; width: number; right: boolean } {
  const x0 = lifelineX(l, from);
  const x1 = lifelineX(l, to);
  return { left: Math.min(x0, x1), width: Math.abs(x1 - x0), right: x1 >= x0 };
}

/**
 * Centre x of an arrow's label: the middle of the part of the arrow [x0, x1] that is in view
 * [viewLeft, viewRight], so a long arrow's label stays readable while scrolling sideways; the
 * arrow's middle when none of it is in view.
 */
export function labelCenter(x0: number, x1: number, viewLeft: number, viewRight: number): number {
  const lo = Math.min(x0, x1);
  const hi = Math.max(x0, x1);
  const a = Math.max(lo, viewLeft);
  const b = Math.min(hi, viewRight);
  if (a >= b) return (lo + hi) / 2;
  return (a + b) / 2;
}

/**
 * Rows to draw for the real pixel offset `top` of the list (rows only, header excluded): the
 * visible ones plus `margin` on each side. `offset` is where row `first` starts relative to the
 * viewport's top (≤ 0 for the top margin).
 */
export function rowWindow(top: number, g: ScrollGeometry, margin = ROW_MARGIN): { first: number; count: number; offset: number; visibleFirst: number; visibleCount: number } {
  const v = visibleRangeAt(top, g);
  if (v.count === 0) return { first: 0, count: 0, offset: 0, visibleFirst: 0, visibleCount: 0 };
  const first = Math.max(0, v.first - margin);
  const end = Math.min(g.count, v.first + v.count + margin);
  return { first, count: end - first, offset: v.offset - (v.first - first) * g.rowHeight, visibleFirst: v.first, visibleCount: v.count };
}

/** Top offset (real px) that keeps the same row (and fraction of it) at the top after a zoom from row height `h0` to `h1`. */
export function zoomTop(top: number, h0: number, h1: number): number {
  if (h0 <= 0) return 0;
  return (top / h0) * h1;
}
