/**
 * The scrolling body of the flow graph: its layers (sticky header, bracket gutter, lifelines,
 * rows), the vertical geometry (rows ↔ pixels through the fine scroller, media/common/scroll.ts)
 * and the sizes of a layout (media/flow/layout.ts) applied to the layers.
 */
import { el } from '../common/dom';
import { FineScroll, spacerHeight, type ScrollGeometry } from '../common/scroll';
import type { FlowLayout } from './layout';
import { state } from './state';

export const body = el('div', 'flow-body');
body.tabIndex = 0;
body.setAttribute('role', 'listbox');
const spacer = el('div', 'flow-spacer');
const win = el('div', 'flow-window');
export const header = el('div', 'flow-header');
export const corner = el('div', 'flow-corner');
export const headerCols = el('div', 'flow-header-cols');
header.append(corner, headerCols);
export const linesLayer = el('div', 'flow-lifelines');
linesLayer.setAttribute('aria-hidden', 'true');
export const rowsLayer = el('div', 'flow-rows');
rowsLayer.setAttribute('role', 'presentation');
export const gutter = el('div', 'flow-gutter');
win.append(gutter, linesLayer, rowsLayer, header);
spacer.append(win);
export const emptyMsg = el('div', 'flow-empty');
body.append(spacer, emptyMsg);

function rowsViewport(): number {
  const L = state.L;
  const h = body.clientHeight - (L ? L.headerHeight : 44);
  return Math.max(L ? L.rowHeight : 20, h);
}

export function geom(): ScrollGeometry {
  return { count: state.count, rowHeight: state.L ? state.L.rowHeight : 40, viewport: rowsViewport() };
}

const fine = new FineScroll(body);
export function topPx(g: ScrollGeometry): number {
  return fine.top(g);
}
export function setTop(px: number, g: ScrollGeometry): void {
  fine.set(px, g);
}

export function currentTopRow(): number {
  const g = geom();
  return Math.floor(topPx(g) / g.rowHeight);
}

export function sizeSpacer(g: ScrollGeometry): void {
  const hh = state.L ? state.L.headerHeight : 0;
  spacer.style.height = Math.max(spacerHeight(g) + hh, body.clientHeight) + 'px';
  win.style.height = body.clientHeight + 'px';
  gutter.style.height = Math.max(0, body.clientHeight - hh) + 'px';
}

/** The horizontal span (in graph px) between the sticky left columns and the sticky comment column. */
export function viewBounds(): [number, number] {
  const L = state.L;
  if (!L) return [0, 0];
  const left = body.scrollLeft + L.columnsLeft;
  const right = body.scrollLeft + body.clientWidth - Math.min(L.commentWidth, Math.max(0, body.scrollLeft + body.clientWidth - L.commentLeft));
  return [left, Math.max(left, right)];
}

/** Sizes the layers for a layout (a new graph or zoom). */
export function applyLayout(L: FlowLayout): void {
  document.documentElement.style.setProperty('--flow-zoom', String(L.zoom));
  document.documentElement.style.setProperty('--flow-row-height', L.rowHeight + 'px');
  document.documentElement.style.setProperty('--flow-time-width', L.timeWidth + 'px');
  document.documentElement.style.setProperty('--flow-comment-width', L.commentWidth + 'px');
  spacer.style.width = L.width + 'px';
  win.style.width = L.width + 'px';
  header.style.width = L.width + 'px';
  header.style.height = L.headerHeight + 'px';
  corner.style.width = L.columnsLeft + 'px';
  gutter.style.marginLeft = L.timeWidth + 'px';
  gutter.style.left = L.timeWidth + 'px';
  gutter.style.width = L.gutterWidth + 'px';
  gutter.style.marginTop = L.headerHeight + 'px';
  linesLayer.style.left = L.columnsLeft + 'px';
  linesLayer.style.top = L.headerHeight + 'px';
  linesLayer.style.width = state.lifelines.length * L.colWidth + 'px';
  linesLayer.style.backgroundSize = `${L.colWidth}px 100%`;
  rowsLayer.style.top = L.headerHeight + 'px';
}
