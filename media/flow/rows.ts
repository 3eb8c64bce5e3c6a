/**
 * The rows of the flow graph: a window of row elements over the rows in view (a 100,000-packet
 * graph has a few dozen), their pages fetched from the host on demand, the arrows, labels, comments,
 * markers and state boxes of each row, the selection and the keyboard, and the state saved with
 * setState.
 */
import type { FlowRowData, FlowStateData, FlowMarkerData } from '../../src/extension/flow/messages';
import { el, oncePerFrame } from '../common/dom';
import { contentHeight, pageRows, revealTop } from '../common/scroll';
import { fmt } from '../common/text';
import { vscodeApi } from '../common/vscode';
import { body, currentTopRow, emptyMsg, geom, rowsLayer, setTop, sizeSpacer, topPx, viewBounds } from './body';
import { renderHeader, resetHeader } from './header';
import { clearBrackets, renderBrackets } from './lanes';
import { arrowBox, labelCenter, lifelineX, rowWindow } from './layout';
import { PAGE, channel, post, rows, state, type SavedState } from './state';

// ---------------------------------------------------------------------------------------------
// Saved state and the viewport the host exports from

let saveTimer: number | undefined;
export function saveState(): void {
  if (saveTimer !== undefined) return;
  saveTimer = window.setTimeout(() => {
    saveTimer = undefined;
    const st: SavedState = {
      source: state.source,
      options: state.options,
      zoom: state.zoom,
      selIndex: state.selIndex,
      topIndex: state.count > 0 ? currentTopIndex() : state.topIndex,
      scrollLeft: body.scrollLeft,
    };
    vscodeApi.setState(st);
  }, 150);
}

let viewportTimer: number | undefined;
let lastViewport = '';
function reportViewport(first: number, n: number): void {
  if (viewportTimer !== undefined) return;
  viewportTimer = window.setTimeout(() => {
    viewportTimer = undefined;
    const key = first + ':' + n;
    if (key === lastViewport) return;
    lastViewport = key;
    post({ type: 'viewport', first, count: n });
  }, 200);
}

/** The packet number of the top row, when its page is here (else the last one known). */
export function currentTopIndex(): number {
  const r = rowData(currentTopRow());
  if (r) state.topIndex = r.index;
  return state.topIndex;
}

// ---------------------------------------------------------------------------------------------
// Row cache

function rowData(r: number): FlowRowData | undefined {
  if (r < 0 || r >= state.count) return undefined;
  return rows.row(r);
}

function request(start: number): void {
  const version = state.version;
  rows.fetch(
    start,
    async () => {
      const m = await channel.request('rows', { version, start, count: Math.min(PAGE, Math.max(0, state.count - start)) });
      if (m.version !== state.version) return undefined;
      const states = new Map<number, FlowStateData[]>();
      for (const s of m.states) {
        const l = states.get(s.row);
        if (l) l.push(s);
        else states.set(s.row, [s]);
      }
      const markers = new Map<number, FlowMarkerData[]>();
      for (const k of m.markers) {
        const l = markers.get(k.row);
        if (l) l.push(k);
        else markers.set(k.row, [k]);
      }
      return { rows: m.rows, states, markers, brackets: m.brackets };
    },
    (page) => {
      const sel = state.selRow;
      if (sel >= start && sel < start + page.rows.length && state.selIndex < 0) state.selIndex = page.rows[sel - start].index;
      scheduleRender();
    },
  );
}

/** Forgets every row (a new graph version): pages, drawn rows, brackets, header. */
export function clearRows(): void {
  rows.clear();
  channel.cancelAll('rows of an older graph');
  redrawAll();
  clearBrackets();
}

/** Draw every row and the header again at the next render (same rows, new layout). */
export function redrawAll(): void {
  for (const lr of live.values()) lr.key = '';
  resetHeader();
}

// ---------------------------------------------------------------------------------------------
// Rendering

interface LiveRow {
  el: HTMLDivElement;
  key: string;
  label: HTMLElement | null;
  x0: number;
  x1: number;
}
const live = new Map<number, LiveRow>();
const pool: LiveRow[] = [];

export const scheduleRender: () => void = oncePerFrame(() => render());

export function render(): void {
  const S = state.S;
  if (!state.L || !S) return;
  const { count } = state;
  const g = geom();
  sizeSpacer(g);
  emptyMsg.hidden = count > 0 && !state.loading;
  emptyMsg.textContent = state.loading ? S.loading : S.empty;
  if (state.pendingTopRow >= 0 && count > 0) {
    setTop(Math.min(state.pendingTopRow, count - 1) * g.rowHeight, g);
    state.pendingTopRow = -1;
  }
  if (state.pendingLeft > 0) {
    body.scrollLeft = state.pendingLeft;
    state.pendingLeft = 0;
  }
  const top = topPx(g);
  const w = rowWindow(top, g);
  renderHeader();
  const [vl, vr] = viewBounds();

  // rows leaving the window go back to the pool
  for (const [r, lr] of live) {
    if (r < w.first || r >= w.first + w.count) {
      live.delete(r);
      lr.el.hidden = true;
      lr.el.removeAttribute('id');
      pool.push(lr);
    }
  }
  let missing = false;
  for (let r = w.first; r < w.first + w.count; r++) {
    let lr = live.get(r);
    if (!lr) {
      lr = pool.pop() ?? newRow();
      lr.key = '';
      live.set(r, lr);
    }
    const data = rowData(r);
    if (!data) missing = true;
    const key = data ? state.version + ':' + r : 'loading';
    if (lr.key !== key) {
      fillRow(lr, r, data);
      lr.key = key;
    }
    lr.el.hidden = false;
    lr.el.style.transform = `translateY(${r * g.rowHeight - top}px)`;
    const sel = r === state.selRow;
    if ((lr.el.getAttribute('aria-selected') === 'true') !== sel) lr.el.setAttribute('aria-selected', sel ? 'true' : 'false');
    if (lr.label) lr.label.style.left = labelCenter(lr.x0, lr.x1, vl, vr) + 'px';
  }
  if (state.selRow >= 0 && live.has(state.selRow)) body.setAttribute('aria-activedescendant', 'flow-row-' + state.selRow);
  else body.removeAttribute('aria-activedescendant');
  renderBrackets(w.first, w.count, top, g);

  // fetch the pages of the window (visible ones first) and one page ahead
  if (count > 0) {
    const a = Math.floor(w.visibleFirst / PAGE);
    const b = Math.floor(Math.min(count - 1, w.first + w.count - 1) / PAGE);
    const c = Math.floor(w.first / PAGE);
    for (let p = a; p <= b; p++) request(p * PAGE);
    if (c < a) request(c * PAGE);
    if (!missing && (b + 1) * PAGE < count) request((b + 1) * PAGE);
    rows.evict(w.first, w.first + w.count);
    reportViewport(w.visibleFirst, w.visibleCount);
  }
}

function newRow(): LiveRow {
  const e = el('div', 'flow-row');
  e.setAttribute('role', 'option');
  rowsLayer.append(e);
  return { el: e, key: '', label: null, x0: 0, x1: 0 };
}

function fillRow(lr: LiveRow, r: number, d: FlowRowData | undefined): void {
  const e = lr.el;
  const lay = state.L!;
  const S = state.S!;
  const { lifelines, markerHelp, stateHelp } = state;
  e.textContent = '';
  e.id = 'flow-row-' + r;
  e.dataset.row = String(r);
  e.setAttribute('aria-posinset', String(r + 1));
  e.setAttribute('aria-setsize', String(state.count));
  lr.label = null;
  const time = el('div', 'flow-time', d ? d.time : '…');
  const fill = el('div', 'flow-fill');
  if (!d) {
    e.className = 'flow-row loading';
    e.dataset.index = '';
    e.removeAttribute('aria-label');
    e.append(time, fill);
    return;
  }
  e.className = 'flow-row' + (d.kind ? ' k-' + d.kind : '');
  e.dataset.index = String(d.index);
  e.dataset.stream = String(d.stream);
  const from = lifelines[d.from];
  const to = lifelines[d.to];
  e.setAttribute('aria-label', fmt(S.rowLabel, d.index + 1, d.time, from?.label ?? '', to?.label ?? '', d.label, d.comment));

  // arrow and its label
  const box = arrowBox(lay, d.from, d.to);
  const arrow = el('div', 'flow-arrow ' + (box.right ? 'dir-r' : 'dir-l'));
  arrow.style.left = box.left + 'px';
  arrow.style.width = box.width + 'px';
  arrow.style.top = lay.arrowY + 'px';
  const label = el('div', 'flow-label', d.label);
  label.style.top = lay.arrowY + 'px';
  lr.label = label;
  lr.x0 = lifelineX(lay, d.from);
  lr.x1 = lifelineX(lay, d.to);

  // comment: seq/ack/win, the step, the analysis markers
  const comment = el('div', 'flow-comment');
  comment.append(el('span', 'flow-comment-text', d.comment));
  if (d.step) comment.append(el('span', 'flow-step', d.step));
  const page = rows.page(r - (r % PAGE));
  const marks = page?.markers.get(r) ?? [];
  const dots: HTMLElement[] = [];
  for (const m of marks) {
    const tone = m.kind === 'rst' ? 'k-rst' : m.kind === 'window_update' ? 'k-note' : 'k-warn';
    const help = markerHelp[m.kind];
    const tag = el('span', 'flow-marker-tag ' + tone, help ? help[0] : m.kind);
    tag.dataset.kind = m.kind;
    if (help) tag.title = help[1];
    comment.append(tag);
    const dot = el('div', 'flow-marker ' + tone);
    dot.dataset.kind = m.kind;
    dot.style.left = lifelineX(lay, m.lifeline) + 'px';
    dot.style.top = lay.arrowY + 'px';
    if (help) dot.title = help[0];
    dots.push(dot);
  }
  e.append(time, fill, comment, arrow, label, ...dots);

  // state boxes on the lifelines whose state this packet changed
  for (const s of page?.states.get(r) ?? []) {
    const b = el('div', 'flow-state' + (s.inferred ? ' inferred' : ''), s.state);
    b.dataset.lifeline = String(s.lifeline);
    b.dataset.state = s.state;
    b.style.left = lifelineX(lay, s.lifeline) + 'px';
    b.style.top = lay.arrowY + 5 + 'px';
    const who = lifelines[s.lifeline]?.label ?? '';
    b.title = fmt(S.stateChange, who, s.from, s.state) + '\n' + (stateHelp[s.state] ?? '') + (s.inferred ? '\n' + S.inferred : '');
    e.append(b);
  }
}

// ---------------------------------------------------------------------------------------------
// Selection and keyboard

export function select(r: number, opts: { reveal?: 'nearest' | 'center'; notify?: boolean } = {}): void {
  if (state.count <= 0) return;
  r = Math.max(0, Math.min(state.count - 1, r));
  state.selRow = r;
  const d = rowData(r);
  state.selIndex = d ? d.index : -1;
  if (opts.reveal) scrollToRow(r, opts.reveal);
  render();
  if (state.selIndex >= 0) post({ type: opts.notify ? 'reveal' : 'selected', index: state.selIndex });
  saveState();
}

export function scrollToRow(r: number, how: 'nearest' | 'center'): void {
  const g = geom();
  const top = topPx(g);
  let next: number;
  if (how === 'center') {
    const y = r * g.rowHeight;
    next = y >= top && y + g.rowHeight <= top + g.viewport ? top : y - (g.viewport - g.rowHeight) / 2;
  } else next = revealTop(r, top, g);
  next = Math.max(0, Math.min(next, Math.max(0, contentHeight(g) - g.viewport)));
  if (next !== top) setTop(next, g);
}

// the zoom keys (+, −, 0) are media/flow/zoom.ts's
body.addEventListener('keydown', (e) => {
  if (e.target !== body) return;
  const g = geom();
  const selRow = state.selRow;
  const cur = selRow >= 0 ? selRow : currentTopRow();
  let target = -1;
  switch (e.key) {
    case 'ArrowDown':
    case 'j':
      target = selRow < 0 ? cur : cur + 1;
      break;
    case 'ArrowUp':
    case 'k':
      target = selRow < 0 ? cur : cur - 1;
      break;
    case 'PageDown':
      target = cur + pageRows(g);
      break;
    case 'PageUp':
      target = cur - pageRows(g);
      break;
    case 'Home':
      target = 0;
      break;
    case 'End':
      target = state.count - 1;
      break;
    case 'f':
    case 'F':
      // Follow TCP Stream of the selected arrow's connection
      if (selRow >= 0) {
        const d = rowData(selRow);
        if (d) post({ type: 'follow', index: d.index });
      }
      e.preventDefault();
      return;
    case 'Enter':
    case ' ':
      if (selRow >= 0) {
        const d = rowData(selRow);
        if (d) post({ type: 'reveal', index: d.index });
      }
      e.preventDefault();
      return;
    default:
      return;
  }
  e.preventDefault();
  select(target, { reveal: 'nearest' });
});

rowsLayer.addEventListener('mousedown', (e) => {
  const r = (e.target as HTMLElement).closest('.flow-row') as HTMLElement | null;
  if (!r || r.dataset.row === undefined) return;
  select(Number(r.dataset.row), { notify: true });
  body.focus({ preventScroll: true });
  e.preventDefault();
});

rowsLayer.addEventListener('dblclick', (e) => {
  const r = (e.target as HTMLElement).closest('.flow-row') as HTMLElement | null;
  const d = r && r.dataset.row !== undefined ? rowData(Number(r.dataset.row)) : undefined;
  if (d) post({ type: 'follow', index: d.index });
});

body.addEventListener('scroll', () => {
  scheduleRender();
  saveState();
});
new ResizeObserver(() => scheduleRender()).observe(body);
