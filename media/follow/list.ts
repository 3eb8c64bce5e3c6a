/**
 * The virtualized chunk list: one scroller whose spacer is as tall as every chunk's lines (capped, as
 * the packet list: media/common/scroll.ts), and a layer holding only the chunks on screen — real DOM
 * text, one element per line, set with textContent. Chunk heights come from ./lines.ts through
 * ./heights.ts; a page that arrives turns its chunks' estimates into exact counts, and the chunk at the
 * top stays where it is. Choosing a chunk selects its packet in the capture editor (or the log).
 */
import type { ChunkView } from '../../src/core/follow/page';
import { el } from '../common/dom';
import { FineScroll, visibleRangeAt, spacerHeight, type ScrollGeometry } from '../common/scroll';
import { Heights } from './heights';
import { chunkLines, estimate, type Line } from './lines';
import { LINE_H, PAGE, pages, channel, state } from './state';
import { vscodeApi } from '../common/vscode';

export const body = el('div', 'follow-body');
body.tabIndex = 0;
body.setAttribute('role', 'list');
const spacer = el('div', 'follow-spacer');
const layer = el('div', 'follow-layer');
body.append(spacer, layer);

const heights = new Heights();
/** 1 where the chunk's height is exact (its page came in the current mode). */
let exact = new Uint8Array(0);
const fine = new FineScroll(body);
/** Lines cache of the chunks drawn (cleared when the mode or direction changes). */
let linesOf = new Map<number, Line[]>();

function geom(): ScrollGeometry {
  return { count: Math.round(heights.total), rowHeight: LINE_H, viewport: body.clientHeight };
}

function toBytes(x: unknown): Uint8Array | undefined {
  if (x === undefined || x === null) return undefined;
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (Array.isArray(x)) return Uint8Array.from(x as number[]);
  if (typeof x === 'object') {
    const o = x as Record<string, number>;
    const n = Object.keys(o).length;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = o[i] & 0xff;
    return out;
  }
  return undefined;
}

function chunk(i: number): ChunkView | undefined {
  return pages.row(i) as ChunkView | undefined;
}

function lines(c: ChunkView): Line[] {
  let l = linesOf.get(c.index);
  if (!l) {
    l = chunkLines(c, state.mode, state.dir, state.S!);
    linesOf.set(c.index, l);
  }
  return l;
}

/** Forgets every chunk (the host sent a new `init`: an edited tcpdump document was read again). */
export function resetList(): void {
  pages.clear();
  linesOf = new Map();
  exact = new Uint8Array(0);
  heights.reset(0, () => 0);
}

/** The mode changed to or from HTTP: the pages are asked for again in the new mode, the chunk at the top kept. */
export function refetch(): void {
  pages.clear();
  relayout();
}

/** The chunk count changed (the stream is still being read): new chunks start estimated. */
export function setCount(n: number): void {
  if (n === heights.count) return;
  const old = heights.count;
  const est = estimate(state.mode);
  const prevExact = exact;
  exact = new Uint8Array(n);
  exact.set(prevExact.subarray(0, Math.min(n, prevExact.length)));
  const prev: number[] = [];
  for (let i = 0; i < Math.min(old, n); i++) prev.push(heights.get(i));
  heights.reset(n, (i) => (i < prev.length ? prev[i] : est));
  scheduleRender();
}

/** The mode or the direction changed: every height again, keeping the chunk at the top. */
export function relayout(): void {
  const top = topChunk();
  linesOf = new Map();
  const est = estimate(state.mode);
  exact = new Uint8Array(heights.count);
  heights.reset(heights.count, (i) => {
    const c = chunk(i);
    if (!c) return est;
    exact[i] = 1;
    return lines(c).length;
  });
  scrollToChunk(top, false);
  scheduleRender();
}

function topChunk(): number {
  const g = geom();
  return heights.find(fine.top(g) / LINE_H);
}

/** Scroll so that chunk i is at the top (or centred). */
export function scrollToChunk(i: number, center: boolean): void {
  if (i < 0 || i >= heights.count) return;
  const g = geom();
  let px = heights.prefix(i) * LINE_H;
  if (center) px = Math.max(0, px - g.viewport / 3);
  fine.set(px, g);
  scheduleRender();
}

/** A page came: exact heights for its chunks, keeping the chunk at the top in place. */
function pageArrived(from: number, rows: ChunkView[]): void {
  const g = geom();
  const topPx = fine.top(g);
  const anchor = heights.find(topPx / LINE_H);
  const within = topPx - heights.prefix(anchor) * LINE_H;
  for (const c of rows) {
    c.bytes = toBytes(c.bytes);
    if (c.index >= heights.count) continue;
    linesOf.delete(c.index);
    heights.set(c.index, lines(c).length);
    exact[c.index] = 1;
  }
  const next = heights.prefix(anchor) * LINE_H + within;
  if (from <= anchor && Math.abs(next - topPx) > 0.5) fine.set(next, geom());
  if (state.pendingReveal >= 0 && chunk(state.pendingReveal)) {
    const r = state.pendingReveal;
    state.pendingReveal = -1;
    scrollToChunk(r, true);
  }
  scheduleRender();
}

function fetchPage(start: number): void {
  pages.fetch(
    start,
    async () => {
      const r = await channel.request('page', { from: start, count: PAGE, http: state.mode === 'http' });
      return { rows: r.chunks };
    },
    (p) => pageArrived(start, p.rows),
  );
}

let scheduled = false;
export function scheduleRender(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    render();
  });
}

export function render(): void {
  const g = geom();
  spacer.style.height = spacerHeight(g) + 'px';
  layer.textContent = '';
  if (!state.S || heights.count === 0) return;
  const topPx = fine.top(g);
  const vr = visibleRangeAt(topPx, g);
  const firstLine = vr.first;
  let i = heights.find(firstLine);
  const endLine = firstLine + vr.count;
  // the layer sits at the top of the visible area; chunks are placed relative to the first line
  layer.style.transform = `translateY(${body.scrollTop}px)`;
  const need = new Set<number>();
  let drawn = 0;
  for (; i < heights.count && heights.prefix(i) < endLine && drawn < 400; i++) {
    const h = heights.get(i);
    const c = chunk(i);
    if (!c) need.add(i - (i % PAGE));
    if (h === 0) continue;
    const y = (heights.prefix(i) - firstLine) * LINE_H + vr.offset;
    layer.append(drawChunk(i, c, h, y));
    drawn++;
  }
  if (need.size === 0 && i < heights.count && !chunk(i)) need.add(i - (i % PAGE));
  for (const p of need) fetchPage(p);
  pages.evict(heights.find(firstLine) - PAGE, i + PAGE);
  saveState();
}

function drawChunk(i: number, c: ChunkView | undefined, h: number, y: number): HTMLElement {
  const d = el('div', 'chunk');
  d.style.top = y + 'px';
  d.style.height = h * LINE_H + 'px';
  d.dataset.chunk = String(i);
  d.setAttribute('role', 'listitem');
  if (!c) {
    d.classList.add('loading');
    d.append(el('div', 'line', state.S!.loading));
    return d;
  }
  d.dataset.packet = String(c.packet);
  d.classList.add(c.dir === 0 ? 'side-client' : 'side-server', 'kind-' + c.kind);
  if (i === state.selChunk) {
    d.classList.add('selected');
    d.setAttribute('aria-selected', 'true');
  }
  for (const l of lines(c)) d.append(el('div', 'line l-' + l.kind, l.text));
  return d;
}

/** Choose chunk i: highlight it and (notify) select its packet in the capture editor. */
export function choose(i: number, notify: boolean): void {
  state.selChunk = i;
  const c = chunk(i);
  if (notify && c && c.packet >= 0) channel.send({ type: 'select', packet: c.packet });
  scheduleRender();
}

/** The host asks to show chunk i (a packet selected elsewhere). */
export function reveal(i: number): void {
  state.selChunk = i;
  if (chunk(i)) scrollToChunk(i, true);
  else {
    state.pendingReveal = i;
    scrollToChunk(i, true);
  }
}

layer.addEventListener('mousedown', (e) => {
  const d = (e.target as HTMLElement).closest('.chunk') as HTMLElement | null;
  if (!d || d.dataset.chunk === undefined) return;
  choose(Number(d.dataset.chunk), true);
  body.focus({ preventScroll: true });
});

body.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  let i = state.selChunk < 0 ? topChunk() : state.selChunk;
  const step = e.key === 'ArrowDown' ? 1 : -1;
  for (let k = i + step; k >= 0 && k < heights.count; k += step) {
    if (heights.get(k) > 0) {
      i = k;
      break;
    }
  }
  choose(i, true);
  const top = heights.prefix(i) * LINE_H;
  const g = geom();
  const cur = fine.top(g);
  if (top < cur || top + heights.get(i) * LINE_H > cur + g.viewport) scrollToChunk(i, false);
});

body.addEventListener('scroll', () => scheduleRender());
new ResizeObserver(() => scheduleRender()).observe(body);

function saveState(): void {
  vscodeApi.setState({ mode: state.mode, dir: state.dir, topChunk: heights.count ? topChunk() : 0, selChunk: state.selChunk });
}

/** Whether every chunk known has its exact height (tests, status). */
export function allExact(): boolean {
  return exact.every((x) => x === 1);
}
