/**
 * The packet list: a virtualized grid (own scroller, media/common/scroll.ts: millions of rows) whose
 * rows come from the host a page at a time, the selection (a Shift range, the keyboard), copy as
 * tcpdump, "go to packet" and the flow graph's `reveal`, and the state saved with setState.
 */
import type { ColumnId, UiStrings } from '../../src/extension/capture/webviewMessages';
import type { PacketRow } from '../../src/worker/api';
import { el, oncePerFrame } from '../common/dom';
import { atEnd as listAtEnd, endTop, FineScroll, pageRows, pagesFor, revealTop, spacerHeight, visibleRangeAt, type ScrollGeometry } from '../common/scroll';
import { vscodeApi } from '../common/vscode';
import { filterInput } from './filter';
import { endpoint, fmt, seconds, timeColumn } from './format';
import { RowRequests } from './rowRequests';
import { PAGE, ROW_H, channel, droppedIn, post, rows, savedViewReady, state, type SavedState } from './state';

export const grid = el('div', 'grid');
grid.id = 'packet-grid';
grid.setAttribute('role', 'grid');
grid.tabIndex = 0;
const header = el('div', 'grid-header');
header.setAttribute('role', 'rowgroup');
const headerRow = el('div', 'row header-row');
headerRow.setAttribute('role', 'row');
headerRow.setAttribute('aria-rowindex', '1');
header.append(headerRow);
const scroller = el('div', 'scroller');
scroller.setAttribute('role', 'rowgroup');
const spacer = el('div', 'spacer');
spacer.setAttribute('role', 'presentation');
const win = el('div', 'window');
win.setAttribute('role', 'presentation');
const rowsLayer = el('div', 'rows');
rowsLayer.setAttribute('role', 'presentation');
win.append(rowsLayer);
spacer.append(win);
scroller.append(spacer);
grid.append(header, scroller);

/** One column of the list: its class, header string, width in the grid template, and its text for a row. */
interface ColumnDef {
  cls: string;
  label: keyof UiStrings;
  width: string;
  text(row: PacketRow): string;
}

/** The Info text in the chosen wording (rows carry both; older workers sent tcpdump's only). */
function infoText(row: PacketRow): string {
  return state.infoStyle === 'wireshark' ? (row.wsInfo ?? row.info) : row.info;
}

function statesText(row: PacketRow): string {
  return row.states && state.S ? fmt(state.S.states, row.states.client, row.states.server) : '';
}

/**
 * Every column the chooser offers (the Record makes the compiler ask for each ColumnId). Widths: the
 * old fixed layout's; Source/Destination 10 px wider for the port ("255.255.255.255:65535" is 21
 * characters, about 165 px in a 13 px monospace font); Info and the states share what is left, 3 : 1,
 * so that in a 1,400 px window beside the explorer (about 300 px left) both keep their minimum.
 */
export const COLUMN_DEFS: Record<ColumnId, ColumnDef> = {
  no: { cls: 'c-no', label: 'colNo', width: '76px', text: (r) => String(r.index + 1) },
  time: { cls: 'c-time', label: 'colTime', width: '136px', text: (r) => timeColumn(r, state.timeFormat) },
  delta: { cls: 'c-delta', label: 'colDelta', width: '110px', text: (r) => seconds(r.delta) },
  src: { cls: 'c-src', label: 'colSource', width: '180px', text: (r) => endpoint(r.src, r.sport) },
  dst: { cls: 'c-dst', label: 'colDestination', width: '180px', text: (r) => endpoint(r.dst, r.dport) },
  proto: { cls: 'c-proto', label: 'colProtocol', width: '86px', text: (r) => r.proto },
  length: { cls: 'c-len', label: 'colLength', width: '70px', text: (r) => String(r.length) },
  stream: { cls: 'c-stream', label: 'colStream', width: '70px', text: (r) => (r.stream !== undefined ? String(r.stream) : '') },
  states: { cls: 'c-states', label: 'colStates', width: 'minmax(120px, 1fr)', text: statesText },
  app: { cls: 'c-app', label: 'colApp', width: '90px', text: (r) => r.app ?? '' },
  info: { cls: 'c-info', label: 'colInfo', width: 'minmax(180px, 3fr)', text: infoText },
};

/** The header for the columns shown (state.columns), and the grid's template. */
function buildHeader(): void {
  headerRow.textContent = '';
  const s = state.S;
  for (const id of state.columns) {
    const d = COLUMN_DEFS[id];
    const c = el('div', 'cell ' + d.cls, s ? s[d.label] : '');
    c.setAttribute('role', 'columnheader');
    c.dataset.col = id;
    headerRow.append(c);
  }
  grid.style.setProperty('--columns', state.columns.map((id) => COLUMN_DEFS[id].width).join(' '));
}

export function applyListStrings(s: UiStrings): void {
  buildHeader();
  grid.setAttribute('aria-label', s.listLabel);
}

/** Show these columns in this order (the chooser, the host's init or another editor's change). */
export function setColumns(columns: readonly ColumnId[]): void {
  if (columns.length === 0) return;
  state.columns = [...columns];
  buildHeader();
  // the pooled rows have the old cells: make new ones
  for (const r of rowPool) r.remove();
  rowPool.length = 0;
  scheduleRender();
}

// ---------------------------------------------------------------------------------------------
// Saved state

let saveTimer: number | undefined;
export function saveState(): void {
  if (saveTimer !== undefined) return;
  saveTimer = window.setTimeout(() => {
    saveTimer = undefined;
    const st: SavedState = { filter: state.appliedFilter, selPos: state.selPos, selIndex: state.selIndex, topRow: currentTopRow(), tab: state.tab };
    vscodeApi.setState(st);
  }, 150);
}

// ---------------------------------------------------------------------------------------------
// Geometry, rows, rendering

function geom(): ScrollGeometry {
  return { count: state.viewCount, rowHeight: ROW_H, viewport: Math.max(ROW_H, scroller.clientHeight) };
}

function currentTopRow(): number {
  return topPx(geom()) / ROW_H;
}

const fine = new FineScroll(scroller);
function topPx(g: ScrollGeometry): number {
  return fine.top(g);
}
export function scrollToTop(): void {
  fine.set(0, geom());
}
function setTop(px: number, g: ScrollGeometry): void {
  fine.set(px, g);
}

export function rowAt(pos: number): PacketRow | undefined {
  return rows.row(pos);
}

/** Follow mode: one rows request at a time (./rowRequests.ts says why). */
const requests = new RowRequests();

function request(start: number): void {
  if (!requests.allowed(state.progress?.following === true)) return;
  const view = state.view;
  rows.fetch(
    start,
    async () => {
      requests.start();
      try {
        const m = await channel.request('rows', { view, start, count: Math.min(PAGE, Math.max(0, state.viewCount - start)) });
        return m.view === state.view ? { rows: m.rows } : undefined;
      } finally {
        // a reply dropped (an older view) renders nothing itself: the page put off is asked for all the same
        if (requests.end()) scheduleRender();
      }
    },
    () => {
      rows.evict();
      if (state.selPos >= 0 && state.selIndex < 0) {
        const row = rowAt(state.selPos);
        if (row) {
          state.selIndex = row.index;
          requestDetails(true);
        }
      }
      scheduleRender();
    },
  );
}

/**
 * The ring limit dropped `n` rows from the top of the current view (src/worker/liveIndex.ts): the
 * selection and the scroll position move up with their packets (a selected packet that was dropped
 * is unselected), and the cached pages, whose positions changed, are asked for again.
 */
export function shiftDropped(n: number): void {
  if (n <= 0) return;
  clearRows();
  const g = geom();
  const atEnd = listAtEnd(topPx(g), g);
  if (state.selPos >= 0) state.selPos = state.selPos >= n ? state.selPos - n : -1;
  if (state.anchorPos >= 0) state.anchorPos = Math.max(0, state.anchorPos - n);
  if (state.selPos < 0) {
    state.anchorPos = -1;
    state.selIndex = -1;
  }
  if (!atEnd) setTop(Math.max(0, topPx(g) - n * ROW_H), g);
  scheduleRender();
}

/** Forgets every row (a new view, or final states): the rows in view are asked for again. */
export function clearRows(): void {
  rows.clear();
  channel.cancelAll('rows of an older view');
}

const rowPool: HTMLDivElement[] = [];

function makeRow(): HTMLDivElement {
  const r = el('div', 'row');
  r.setAttribute('role', 'row');
  for (const id of state.columns) {
    const c = el('div', 'cell ' + COLUMN_DEFS[id].cls);
    c.setAttribute('role', 'gridcell');
    r.append(c);
  }
  return r;
}

export const scheduleRender: () => void = oncePerFrame(() => render());

export function render(): void {
  const g = geom();
  spacer.style.height = Math.max(spacerHeight(g), g.viewport) + 'px';
  win.style.height = g.viewport + 'px';
  grid.setAttribute('aria-rowcount', String(state.viewCount + 1));
  if (state.pendingTopRow >= 0 && state.viewCount > 0 && savedViewReady()) {
    const want = state.pendingTopRow;
    if (want < state.viewCount || state.progress?.done) {
      state.pendingTopRow = -1;
      setTop(Math.min(want, state.viewCount - 1) * ROW_H, g);
    }
  }
  const vr = visibleRangeAt(topPx(g), g);
  rowsLayer.style.transform = `translateY(${vr.offset}px)`;
  while (rowPool.length < vr.count) {
    const r = makeRow();
    rowPool.push(r);
    rowsLayer.append(r);
  }
  const [selA, selB] = selRange();
  for (let i = 0; i < rowPool.length; i++) {
    const r = rowPool[i];
    if (i >= vr.count) {
      r.hidden = true;
      r.removeAttribute('id');
      continue;
    }
    r.hidden = false;
    const pos = vr.first + i;
    const row = rowAt(pos);
    fillRow(r, pos, row, pos >= selA && pos <= selB);
  }
  const missing = pagesFor(vr.first, vr.count, state.viewCount, PAGE);
  for (const start of missing) request(start);
  if (state.selPos >= 0 && state.selPos >= vr.first && state.selPos < vr.first + vr.count) grid.setAttribute('aria-activedescendant', 'row-' + state.selPos);
  else grid.removeAttribute('aria-activedescendant');
}

function fillRow(r: HTMLDivElement, pos: number, row: PacketRow | undefined, selected: boolean): void {
  r.id = 'row-' + pos;
  r.setAttribute('aria-rowindex', String(pos + 2));
  r.setAttribute('aria-selected', selected ? 'true' : 'false');
  r.dataset.pos = String(pos);
  const cells = r.children;
  const cols = state.columns;
  if (!row) {
    r.className = 'row loading';
    r.dataset.index = '';
    delete r.dataset.vscodeContext;
    for (let i = 0; i < cols.length; i++) {
      const c = cells[i] as HTMLElement;
      c.textContent = cols[i] === 'no' ? String(state.view === 0 ? droppedIn(state.progress, 0) + pos + 1 : '') : cols[i] === 'info' ? '…' : '';
      c.title = '';
    }
    return;
  }
  const marked = state.marked.has(row.index);
  r.className = 'row' + (row.kind ? ' k-' + row.kind : '') + (marked ? ' marked' : '') + (selected ? ' selected' : '');
  r.dataset.index = String(row.index);
  // said by screen readers after the row's cells; shown by the row's colours (captureLens.marked*)
  if (marked) r.setAttribute('aria-description', state.S?.marked ?? 'marked');
  else r.removeAttribute('aria-description');
  // the rows' context menu (package.json webview/context): its commands get this object
  r.dataset.vscodeContext = JSON.stringify({
    webviewSection: 'packetRow',
    packet: row.index,
    hasStream: row.stream !== undefined,
    ...(row.stream !== undefined ? { stream: row.stream } : {}),
    preventDefaultContextMenuItems: true,
  });
  for (let i = 0; i < cols.length; i++) {
    const c = cells[i] as HTMLElement;
    const text = COLUMN_DEFS[cols[i]].text(row);
    c.textContent = text;
    // long texts (Info, IPv6 endpoints, states) are cut with an ellipsis: the whole text on hover
    c.title = cols[i] === 'info' || cols[i] === 'src' || cols[i] === 'dst' || cols[i] === 'states' ? text : '';
  }
}

function selRange(): [number, number] {
  if (state.selPos < 0) return [-1, -2];
  if (state.anchorPos < 0) return [state.selPos, state.selPos];
  return [Math.min(state.anchorPos, state.selPos), Math.max(state.anchorPos, state.selPos)];
}

/** New counts (file, and the view when filtered): restores a saved selection once its row exists. */
export function setCounts(all: number, vCount: number | undefined): void {
  const before = state.viewCount;
  // Follow mode (issue 16): the list sticks to its end while new rows arrive, unless the user scrolled away from it.
  const g0 = geom();
  const atEnd = state.progress?.following === true && listAtEnd(topPx(g0), g0);
  state.total = all;
  state.viewCount = state.view === 0 ? all : vCount ?? state.viewCount;
  if (state.viewCount !== before) {
    rows.dropWhere((p) => p.rows.length < PAGE); // pages cut short by the end of the (growing) list
    if (atEnd && state.viewCount > before && state.pendingTopRow < 0) {
      const g = geom();
      setTop(endTop(g), g);
    }
    if (state.pendingSelPos >= 0 && state.pendingSelPos < state.viewCount && savedViewReady()) {
      const p = state.pendingSelPos;
      state.pendingSelPos = -1;
      select(p, { reveal: false, immediate: true });
    }
    scheduleRender();
  }
}

// ---------------------------------------------------------------------------------------------
// Selection and keyboard

let selectTimer: number | undefined;
export function select(pos: number, opts: { extend?: boolean; reveal?: boolean; immediate?: boolean } = {}): void {
  if (state.viewCount <= 0) return;
  pos = Math.max(0, Math.min(state.viewCount - 1, pos));
  if (opts.extend) {
    if (state.anchorPos < 0) state.anchorPos = state.selPos >= 0 ? state.selPos : pos;
  } else state.anchorPos = -1;
  state.selPos = pos;
  const row = rowAt(pos);
  state.selIndex = row ? row.index : state.view === 0 ? droppedIn(state.progress, 0) + pos : -1;
  if (opts.reveal !== false) {
    const g = geom();
    const top = topPx(g);
    const next = revealTop(pos, top, g);
    if (next !== top) setTop(next, g);
  }
  render();
  saveState();
  requestDetails(opts.immediate === true);
}

/** Asks for the details of the selected packet (after 60 ms, so that holding an arrow key asks once). */
export function requestDetails(immediate: boolean): void {
  if (selectTimer !== undefined) window.clearTimeout(selectTimer);
  const send = (): void => {
    selectTimer = undefined;
    if (state.selIndex < 0) {
      const row = rowAt(state.selPos);
      if (row) state.selIndex = row.index;
    }
    if (state.selIndex >= 0) post({ type: 'select', index: state.selIndex });
  };
  if (immediate) send();
  else selectTimer = window.setTimeout(send, 60);
}

grid.addEventListener('keydown', (e) => {
  const g = geom();
  const selPos = state.selPos;
  let target = -1;
  switch (e.key) {
    case 'ArrowDown': target = selPos < 0 ? Math.floor(currentTopRow()) : selPos + 1; break;
    case 'ArrowUp': target = selPos < 0 ? Math.floor(currentTopRow()) : selPos - 1; break;
    case 'PageDown': target = Math.max(0, selPos) + pageRows(g); break;
    case 'PageUp': target = Math.max(0, selPos) - pageRows(g); break;
    case 'Home': target = 0; break;
    case 'End': target = state.viewCount - 1; break;
    case 'c':
      if (e.ctrlKey || e.metaKey) {
        copySelection();
        e.preventDefault();
      }
      return;
    default:
      return;
  }
  e.preventDefault();
  select(target, { extend: e.shiftKey });
});

rowsLayer.addEventListener('mousedown', (e) => {
  const r = (e.target as HTMLElement).closest('.row') as HTMLElement | null;
  if (!r || r.dataset.pos === undefined) return;
  select(Number(r.dataset.pos), { extend: e.shiftKey, reveal: true, immediate: true });
  grid.focus({ preventScroll: true });
  e.preventDefault();
});

scroller.addEventListener('scroll', () => {
  scheduleRender();
  saveState();
});
new ResizeObserver(() => scheduleRender()).observe(scroller);

/** Copy the selected packets (at most 100,000) as tcpdump lines. */
export function copySelection(): void {
  const [a, b] = selRange();
  if (a < 0) return;
  const indices: number[] = [];
  for (let p = a; p <= b && indices.length < 100_000; p++) {
    const row = rowAt(p);
    if (row) indices.push(row.index);
    else if (state.view === 0) indices.push(p);
  }
  if (indices.length > 0) post({ type: 'copy', indices });
}

// ---------------------------------------------------------------------------------------------
// Go to a packet

/** Position of packet `index` (0-based) in the filtered list, when it is among the rows loaded; -1 otherwise. */
function loadedPosition(index: number): number {
  for (const [start, p] of rows.entries()) {
    const k = p.rows.findIndex((r) => r.index === index);
    if (k >= 0) return start + k;
  }
  return -1;
}

/**
 * Select packet number `no` (1-based). In a filtered list that shows it (among the rows loaded),
 * it is selected there; otherwise the filter is cleared first.
 */
export function goTo(no: number): void {
  if (no < 1) return;
  if (state.view !== 0) {
    const pos = loadedPosition(no - 1);
    if (pos >= 0) {
      select(pos, { immediate: true });
      grid.focus({ preventScroll: true });
      return;
    }
    state.pendingGoTo = no;
    filterInput.value = '';
    post({ type: 'filter', expr: '' });
    return;
  }
  const first = droppedIn(state.progress, 0);
  if (no <= first) return; // dropped by the ring limit
  select(Math.min(no - first, state.total) - 1, { immediate: true });
  grid.focus({ preventScroll: true });
}

/**
 * The flow graph chose packet `index` (0-based): select it without taking the focus. In a filtered
 * list it is looked for among the rows loaded; when it is not there, the filter is cleared (goTo).
 */
export function reveal(index: number): void {
  if (index < 0) return;
  if (state.view !== 0) {
    const pos = loadedPosition(index);
    if (pos >= 0) select(pos, { immediate: true });
    else goTo(index + 1);
    return;
  }
  const first = droppedIn(state.progress, 0);
  if (index >= first) select(Math.min(index + 1 - first, state.total) - 1, { immediate: true });
}
