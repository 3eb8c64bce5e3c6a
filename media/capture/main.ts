/**
 * The capture editor's webview: a virtualized packet list (own scroller: millions of rows), the
 * details tree with explanations, the bytes (hex + ASCII, linked both ways with the fields), the
 * connections table, the filter box and the indexing progress. No framework; every packet-derived
 * string goes in with textContent. Protocol: src/extension/capture/webviewMessages.ts.
 */
import type {
  DetailNode,
  FromWebview,
  TimeFormat,
  ToWebview,
  UiStrings,
} from '../../src/extension/capture/webviewMessages';
import type { ConnJson } from '../../src/core/tcp/json';
import type { IndexProgress, PacketRow } from '../../src/worker/api';
import { FlatField, asciiChar, byteOwners, fieldPath, fieldRange, flatten, hex2, offsetLabel, toBytes } from './fields';
import { bytesText, fmt, group, parsePacketNumber, rate, timeColumn } from './format';
import { FineScroll, ScrollGeometry, pageRows, pagesFor, revealTop, spacerHeight, visibleRangeAt } from './scroll';
import { el } from '../common/dom';

interface VsCodeApi {
  postMessage(msg: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  filter: string;
  selPos: number;
  selIndex: number;
  topRow: number;
  tab: 'details' | 'conns';
}

const vscode = acquireVsCodeApi();
const ROW_H = 22;
const PAGE = 256;
const MAX_PAGES = 64;
const MAX_BYTES_SHOWN = 16384;

// ---------------------------------------------------------------------------------------------
// State

const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
let S: UiStrings | undefined;
let timeFormat: TimeFormat = 'relative';
let progress: IndexProgress | undefined;
let total = 0; // packets in the file so far
let view = 0; // 0: all packets
let viewCount = 0; // rows of the current view
let appliedFilter = '';
let selPos = -1; // position in the view
let selIndex = -1; // packet index in the file
let anchorPos = -1;
let cancelled = false;
let pendingTopRow = typeof saved.topRow === 'number' ? saved.topRow : -1;
let pendingSelPos = typeof saved.selPos === 'number' ? saved.selPos : -1;
let pendingGoTo = -1;
let filterRestored = false;
let tab: 'details' | 'conns' = saved.tab === 'conns' ? 'conns' : 'details';
let conns: ConnJson[] | undefined;
let connsRequested = false;

interface Page {
  rows: PacketRow[];
  used: number;
}
const cache = new Map<string, Page>();
const inflight = new Map<number, string>();
let nextReq = 1;
let useTick = 0;

// ---------------------------------------------------------------------------------------------
// DOM helpers

function post(m: FromWebview): void {
  vscode.postMessage(m);
}

let saveTimer: number | undefined;
function saveState(): void {
  if (saveTimer !== undefined) return;
  saveTimer = window.setTimeout(() => {
    saveTimer = undefined;
    const st: SavedState = { filter: appliedFilter, selPos, selIndex, topRow: currentTopRow(), tab };
    vscode.setState(st);
  }, 150);
}

// ---------------------------------------------------------------------------------------------
// Layout

const app = document.getElementById('app') ?? document.body;
const toolbar = el('div', 'toolbar');
const filterWrap = el('div', 'filter-wrap');
const filterInput = el('input', 'filter-input');
filterInput.type = 'text';
filterInput.spellcheck = false;
filterInput.id = 'filter';
const filterError = el('div', 'filter-error');
filterError.id = 'filter-error';
filterError.setAttribute('role', 'alert');
filterInput.setAttribute('aria-describedby', 'filter-error');
filterWrap.append(filterInput, filterError);
const applyBtn = el('button', 'btn');
const clearBtn = el('button', 'btn secondary');
const gotoInput = el('input', 'goto-input');
gotoInput.type = 'text';
gotoInput.inputMode = 'numeric';
const gotoBtn = el('button', 'btn secondary');
const timeSelect = el('select', 'time-select');
const textBtn = el('button', 'btn secondary');
textBtn.id = 'open-text';
const copyBtn = el('button', 'btn secondary');
copyBtn.id = 'copy-tcpdump';
const flowBtn = el('button', 'btn secondary');
flowBtn.id = 'flow-graph';
toolbar.append(filterWrap, applyBtn, clearBtn, el('span', 'sep'), gotoInput, gotoBtn, el('span', 'sep'), timeSelect, textBtn, copyBtn, flowBtn);

const statusBar = el('div', 'status');
const progressTrack = el('div', 'progress-track');
const progressFill = el('div', 'progress-fill');
progressTrack.append(progressFill);
const statusText = el('span', 'status-text');
statusText.id = 'status-text';
statusText.setAttribute('aria-live', 'polite');
const cancelBtn = el('button', 'btn secondary small');
const legend = el('div', 'legend');
statusBar.append(progressTrack, statusText, cancelBtn, legend);

const banner = el('div', 'banner');
banner.hidden = true;
banner.setAttribute('role', 'alert');
const bannerText = el('span', 'banner-text');
const bannerBtn = el('button', 'btn');
bannerBtn.hidden = true;
banner.append(bannerText, bannerBtn);

const grid = el('div', 'grid');
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

const splitter = el('div', 'splitter');
splitter.setAttribute('role', 'separator');
splitter.setAttribute('aria-orientation', 'horizontal');

const bottom = el('div', 'bottom');
const tabs = el('div', 'tabs');
tabs.setAttribute('role', 'tablist');
const tabDetails = el('button', 'tab');
tabDetails.id = 'tab-details';
tabDetails.setAttribute('role', 'tab');
const tabConns = el('button', 'tab');
tabConns.id = 'tab-conns';
tabConns.setAttribute('role', 'tab');
tabs.append(tabDetails, tabConns);

const detailsPane = el('div', 'pane details-pane');
detailsPane.setAttribute('role', 'tabpanel');
const treeBox = el('div', 'tree');
treeBox.id = 'details-tree';
treeBox.setAttribute('role', 'tree');
treeBox.tabIndex = 0;
const explainBox = el('div', 'explain');
explainBox.id = 'explain';
explainBox.setAttribute('aria-live', 'polite');
const leftCol = el('div', 'left-col');
leftCol.append(treeBox, explainBox);
const bytesBox = el('div', 'bytes');
bytesBox.id = 'bytes';
const bytesStatus = el('div', 'bytes-status');
bytesStatus.id = 'bytes-status';
const rightCol = el('div', 'right-col');
rightCol.append(bytesBox, bytesStatus);
detailsPane.append(leftCol, rightCol);

const connsPane = el('div', 'pane conns-pane');
connsPane.setAttribute('role', 'tabpanel');
connsPane.id = 'connections';
bottom.append(tabs, detailsPane, connsPane);

const notice = el('div', 'notice');
notice.hidden = true;
notice.setAttribute('role', 'status');

app.append(toolbar, statusBar, banner, grid, splitter, bottom, notice);

// Before the first render: the saved filter text.
filterInput.value = typeof saved.filter === 'string' ? saved.filter : '';

// ---------------------------------------------------------------------------------------------
// Localized static texts (after init)

const COLS: (keyof UiStrings)[] = ['colNo', 'colTime', 'colSource', 'colDestination', 'colProtocol', 'colLength', 'colInfo'];
const COL_CLASS = ['c-no', 'c-time', 'c-src', 'c-dst', 'c-proto', 'c-len', 'c-info'];

function applyStrings(s: UiStrings): void {
  headerRow.textContent = '';
  COLS.forEach((k, i) => {
    const c = el('div', 'cell ' + COL_CLASS[i], s[k]);
    c.setAttribute('role', 'columnheader');
    headerRow.append(c);
  });
  grid.setAttribute('aria-label', s.listLabel);
  filterInput.placeholder = s.filterPlaceholder;
  filterInput.setAttribute('aria-label', s.filterPlaceholder);
  applyBtn.textContent = s.filterApply;
  clearBtn.textContent = s.filterClear;
  gotoInput.placeholder = s.goToPlaceholder;
  gotoInput.setAttribute('aria-label', s.goToPlaceholder);
  gotoBtn.textContent = s.goToPacket;
  textBtn.textContent = s.openAsText;
  copyBtn.textContent = s.copyTcpdump;
  flowBtn.textContent = s.flowGraph;
  flowBtn.title = s.flowGraphHint;
  cancelBtn.textContent = s.cancel;
  tabDetails.textContent = s.tabDetails;
  tabConns.textContent = s.tabConnections;
  treeBox.setAttribute('aria-label', s.detailsLabel);
  bytesBox.setAttribute('aria-label', s.bytesLabel);
  timeSelect.textContent = '';
  for (const [v, label] of [['relative', s.timeRelative], ['absolute', s.timeAbsolute], ['delta', s.timeDelta]] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    timeSelect.append(o);
  }
  timeSelect.value = timeFormat;
  timeSelect.setAttribute('aria-label', s.colTime);
  legend.textContent = '';
  for (const [kind, label] of [['syn', s.legendSyn], ['fin', s.legendFin], ['rst', s.legendRst], ['warn', s.legendWarn], ['bad', s.legendBad]] as const) {
    const item = el('span', 'legend-item');
    item.append(el('span', 'swatch k-' + kind), el('span', undefined, label));
    legend.append(item);
  }
  explainBox.textContent = s.noSelection;
  showTab(tab);
}

// ---------------------------------------------------------------------------------------------
// Packet list: geometry, cache, rendering

function geom(): ScrollGeometry {
  return { count: viewCount, rowHeight: ROW_H, viewport: Math.max(ROW_H, scroller.clientHeight) };
}

function currentTopRow(): number {
  return topPx(geom()) / ROW_H;
}

const fine = new FineScroll(scroller);
function topPx(g: ScrollGeometry): number {
  return fine.top(g);
}
function setTop(px: number, g: ScrollGeometry): void {
  fine.set(px, g);
}

function pageKey(v: number, start: number): string {
  return v + ':' + start;
}

function rowAt(pos: number): PacketRow | undefined {
  const start = pos - (pos % PAGE);
  const p = cache.get(pageKey(view, start));
  if (!p) return undefined;
  p.used = ++useTick;
  return p.rows[pos - start];
}

function request(start: number): void {
  const key = pageKey(view, start);
  if (cache.has(key)) return;
  for (const k of inflight.values()) if (k === key) return;
  const id = nextReq++;
  inflight.set(id, key);
  post({ type: 'rows', id, view, start, count: Math.min(PAGE, Math.max(0, viewCount - start)) });
}

function evict(): void {
  if (cache.size <= MAX_PAGES) return;
  const entries = [...cache.entries()].sort((a, b) => a[1].used - b[1].used);
  for (const [k] of entries.slice(0, cache.size - MAX_PAGES)) cache.delete(k);
}

/** Drops pages that were cut short by the end of the (growing) list. */
function dropIncompletePages(): void {
  for (const [k, p] of cache) if (p.rows.length < PAGE) cache.delete(k);
}

const rowPool: HTMLDivElement[] = [];

function makeRow(): HTMLDivElement {
  const r = el('div', 'row');
  r.setAttribute('role', 'row');
  for (let i = 0; i < COL_CLASS.length; i++) {
    const c = el('div', 'cell ' + COL_CLASS[i]);
    c.setAttribute('role', 'gridcell');
    if (i === 6) c.append(el('span', 'info-text'), el('span', 'info-states'));
    r.append(c);
  }
  return r;
}

let renderQueued = false;
function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render(): void {
  const g = geom();
  spacer.style.height = Math.max(spacerHeight(g), g.viewport) + 'px';
  win.style.height = g.viewport + 'px';
  grid.setAttribute('aria-rowcount', String(viewCount + 1));
  if (pendingTopRow >= 0 && viewCount > 0 && savedViewReady()) {
    const want = pendingTopRow;
    if (want < viewCount || progress?.done) {
      pendingTopRow = -1;
      setTop(Math.min(want, viewCount - 1) * ROW_H, g);
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
  const missing = pagesFor(vr.first, vr.count, viewCount, PAGE);
  for (const start of missing) request(start);
  if (selPos >= 0 && selPos >= vr.first && selPos < vr.first + vr.count) grid.setAttribute('aria-activedescendant', 'row-' + selPos);
  else grid.removeAttribute('aria-activedescendant');
}

function fillRow(r: HTMLDivElement, pos: number, row: PacketRow | undefined, selected: boolean): void {
  r.id = 'row-' + pos;
  r.setAttribute('aria-rowindex', String(pos + 2));
  r.setAttribute('aria-selected', selected ? 'true' : 'false');
  r.dataset.pos = String(pos);
  const cells = r.children;
  if (!row) {
    r.className = 'row loading';
    r.dataset.index = '';
    cells[0].textContent = String(view === 0 ? pos + 1 : '');
    for (let i = 1; i < 6; i++) cells[i].textContent = '';
    (cells[6] as HTMLElement).title = '';
    (cells[6].firstChild as HTMLElement).textContent = '…';
    (cells[6].lastChild as HTMLElement).textContent = '';
    return;
  }
  r.className = 'row' + (row.kind ? ' k-' + row.kind : '') + (selected ? ' selected' : '');
  r.dataset.index = String(row.index);
  cells[0].textContent = String(row.index + 1);
  cells[1].textContent = timeColumn(row, timeFormat);
  cells[2].textContent = row.src;
  cells[3].textContent = row.dst;
  cells[4].textContent = row.proto;
  cells[5].textContent = String(row.length);
  const states = row.states && S ? fmt(S.states, row.states.client, row.states.server) : '';
  (cells[6].firstChild as HTMLElement).textContent = row.info;
  (cells[6].lastChild as HTMLElement).textContent = states;
  (cells[6] as HTMLElement).title = states ? row.info + '\n' + states : row.info;
}

function selRange(): [number, number] {
  if (selPos < 0) return [-1, -2];
  if (anchorPos < 0) return [selPos, selPos];
  return [Math.min(anchorPos, selPos), Math.max(anchorPos, selPos)];
}

// ---------------------------------------------------------------------------------------------
// Selection and keyboard

let selectTimer: number | undefined;
function select(pos: number, opts: { extend?: boolean; reveal?: boolean; immediate?: boolean } = {}): void {
  if (viewCount <= 0) return;
  pos = Math.max(0, Math.min(viewCount - 1, pos));
  if (opts.extend) {
    if (anchorPos < 0) anchorPos = selPos >= 0 ? selPos : pos;
  } else anchorPos = -1;
  selPos = pos;
  const row = rowAt(pos);
  selIndex = row ? row.index : view === 0 ? pos : -1;
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

function requestDetails(immediate: boolean): void {
  if (selectTimer !== undefined) window.clearTimeout(selectTimer);
  const send = (): void => {
    selectTimer = undefined;
    if (selIndex < 0) {
      const row = rowAt(selPos);
      if (row) selIndex = row.index;
    }
    if (selIndex >= 0) post({ type: 'select', index: selIndex });
  };
  if (immediate) send();
  else selectTimer = window.setTimeout(send, 60);
}

grid.addEventListener('keydown', (e) => {
  const g = geom();
  let target = -1;
  switch (e.key) {
    case 'ArrowDown': target = selPos < 0 ? Math.floor(currentTopRow()) : selPos + 1; break;
    case 'ArrowUp': target = selPos < 0 ? Math.floor(currentTopRow()) : selPos - 1; break;
    case 'PageDown': target = Math.max(0, selPos) + pageRows(g); break;
    case 'PageUp': target = Math.max(0, selPos) - pageRows(g); break;
    case 'Home': target = 0; break;
    case 'End': target = viewCount - 1; break;
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

function copySelection(): void {
  const [a, b] = selRange();
  if (a < 0) return;
  const indices: number[] = [];
  for (let p = a; p <= b && indices.length < 100_000; p++) {
    const row = rowAt(p);
    if (row) indices.push(row.index);
    else if (view === 0) indices.push(p);
  }
  if (indices.length > 0) post({ type: 'copy', indices });
}

// ---------------------------------------------------------------------------------------------
// Filter, go to, buttons

function applyFilter(): void {
  const expr = filterInput.value.trim();
  post({ type: 'filter', expr });
}
filterInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    applyFilter();
  } else if (e.key === 'Escape') {
    filterInput.value = appliedFilter;
    clearFilterError();
  }
});
filterInput.addEventListener('input', () => clearFilterError());
applyBtn.addEventListener('click', applyFilter);
clearBtn.addEventListener('click', () => {
  filterInput.value = '';
  applyFilter();
});

function clearFilterError(): void {
  filterWrap.classList.remove('invalid');
  filterInput.removeAttribute('aria-invalid');
  filterError.textContent = '';
}

/** Position of packet `index` (0-based) in the filtered list, when it is among the rows loaded; -1 otherwise. */
function loadedPosition(index: number): number {
  for (const [key, p] of cache) {
    if (!key.startsWith(view + ':')) continue;
    const k = p.rows.findIndex((r) => r.index === index);
    if (k >= 0) return Number(key.slice(key.indexOf(':') + 1)) + k;
  }
  return -1;
}

/**
 * Select packet number `no` (1-based). In a filtered list that shows it (among the rows loaded),
 * it is selected there; otherwise the filter is cleared first.
 */
function goTo(no: number): void {
  if (no < 1) return;
  if (view !== 0) {
    const pos = loadedPosition(no - 1);
    if (pos >= 0) {
      select(pos, { immediate: true });
      grid.focus({ preventScroll: true });
      return;
    }
    pendingGoTo = no;
    filterInput.value = '';
    post({ type: 'filter', expr: '' });
    return;
  }
  select(Math.min(no, total) - 1, { immediate: true });
  grid.focus({ preventScroll: true });
}
/**
 * The flow graph chose packet `index` (0-based): select it without taking the focus. In a filtered
 * list it is looked for among the rows loaded; when it is not there, the filter is cleared (goTo).
 */
function reveal(index: number): void {
  if (index < 0) return;
  if (view !== 0) {
    const pos = loadedPosition(index);
    if (pos >= 0) select(pos, { immediate: true });
    else goTo(index + 1);
    return;
  }
  select(Math.min(index + 1, total) - 1, { immediate: true });
}
gotoInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    goTo(parsePacketNumber(gotoInput.value));
  }
});
gotoBtn.addEventListener('click', () => goTo(parsePacketNumber(gotoInput.value)));
textBtn.addEventListener('click', () => post({ type: 'command', command: 'openAsText' }));
flowBtn.addEventListener('click', () => post({ type: 'command', command: 'flowGraph' }));
copyBtn.addEventListener('click', copySelection);
cancelBtn.addEventListener('click', () => {
  cancelled = true;
  post({ type: 'cancel' });
});
bannerBtn.addEventListener('click', () => post({ type: 'command', command: 'reopenText' }));
timeSelect.addEventListener('change', () => {
  const v = timeSelect.value as TimeFormat;
  timeFormat = v;
  post({ type: 'timeFormat', value: v });
  render();
});

// Splitter between list and bottom pane.
let dragY = -1;
let dragH = 0;
splitter.addEventListener('mousedown', (e) => {
  dragY = e.clientY;
  dragH = bottom.getBoundingClientRect().height;
  e.preventDefault();
});
window.addEventListener('mousemove', (e) => {
  if (dragY < 0) return;
  const h = Math.max(80, Math.min(window.innerHeight - 160, dragH - (e.clientY - dragY)));
  bottom.style.height = h + 'px';
});
window.addEventListener('mouseup', () => {
  dragY = -1;
});

// ---------------------------------------------------------------------------------------------
// Tabs and connections

function showTab(t: 'details' | 'conns'): void {
  tab = t;
  tabDetails.setAttribute('aria-selected', String(t === 'details'));
  tabConns.setAttribute('aria-selected', String(t === 'conns'));
  tabDetails.classList.toggle('active', t === 'details');
  tabConns.classList.toggle('active', t === 'conns');
  detailsPane.hidden = t !== 'details';
  connsPane.hidden = t !== 'conns';
  if (t === 'conns' && !connsRequested) {
    connsRequested = true;
    post({ type: 'conns' });
  }
  saveState();
}
tabDetails.addEventListener('click', () => showTab('details'));
tabConns.addEventListener('click', () => showTab('conns'));

function renderConns(list: ConnJson[]): void {
  connsPane.textContent = '';
  if (!S) return;
  if (list.length === 0) {
    connsPane.append(el('div', 'empty', S.connNone));
    return;
  }
  connsPane.append(el('div', 'hint', S.connHint));
  const zh = document.documentElement.lang.toLowerCase().startsWith('zh');
  const table = el('table', 'conns');
  const thead = el('thead');
  const hr = el('tr');
  for (const h of [S.connStream, S.connClient, S.connServer, S.connState, S.connHistory, S.connFinal, S.connPackets, S.connBytes, S.connDuration, S.connProblems]) hr.append(el('th', undefined, h));
  thead.append(hr);
  const tbody = el('tbody');
  for (const c of list) {
    const tr = el('tr', c.problems.length > 0 ? 'has-problems' : '');
    tr.tabIndex = 0;
    tr.dataset.stream = String(c.stream);
    const kinds: string[] = [];
    for (const p of c.problems) if (!kinds.includes(p.kind)) kinds.push(p.kind);
    const cells = [
      String(c.stream),
      c.client,
      c.server,
      c.connState,
      c.history === '' ? '-' : c.history,
      c.clientState + ' / ' + c.serverState,
      c.packets.client + ' / ' + c.packets.server,
      bytesText(c.bytes.client) + ' / ' + bytesText(c.bytes.server),
      c.duration.toFixed(6) + ' s',
      kinds.length === 0 ? '-' : kinds.join(', '),
    ];
    cells.forEach((text, i) => {
      const td = el('td', i === 9 && kinds.length > 0 ? 'problems' : undefined, text);
      if (i === 9 && c.problems.length > 0) td.title = c.problems.map((p) => '#' + p.packet + ' ' + (zh ? p.messageZh : p.message)).join('\n');
      tr.append(td);
    });
    tbody.append(tr);
  }
  table.append(thead, tbody);
  connsPane.append(table);
  const choose = (tr: HTMLElement | null): void => {
    if (!tr || tr.dataset.stream === undefined) return;
    tbody.querySelectorAll('tr.chosen').forEach((x) => x.classList.remove('chosen'));
    tr.classList.add('chosen');
    filterInput.value = 'stream ' + tr.dataset.stream;
    applyFilter();
  };
  tbody.addEventListener('click', (e) => choose((e.target as HTMLElement).closest('tr')));
  tbody.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose((e.target as HTMLElement).closest('tr'));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Details tree and bytes

let flat: FlatField[] = [];
let owners: Int32Array = new Int32Array(0);
let bytes: Uint8Array = new Uint8Array(0);
let byteSpans: HTMLSpanElement[] = []; // hex spans, then ascii spans at +shown
let shownBytes = 0;
let highlighted: [number, number] = [0, 0];
let treeItems: HTMLElement[] = [];
let activeField = -1;
const expanded = new Map<string, boolean>();

function isExpanded(f: FlatField): boolean {
  const v = expanded.get(f.node.name);
  return v ?? f.depth <= 1;
}

function renderDetails(tree: DetailNode, data: Uint8Array): void {
  flat = flatten(tree);
  bytes = data;
  owners = byteOwners(flat, data.length);
  activeField = -1;
  renderTree();
  renderBytes();
  if (S) explainBox.textContent = S.noField;
  bytesStatus.textContent = '';
}

function renderTree(): void {
  treeBox.textContent = '';
  treeItems = [];
  const frag = document.createDocumentFragment();
  const hiddenBelow: number[] = []; // depth stack of collapsed ancestors
  for (let i = 0; i < flat.length; i++) {
    const f = flat[i];
    while (hiddenBelow.length > 0 && f.depth <= hiddenBelow[hiddenBelow.length - 1]) hiddenBelow.pop();
    const hidden = hiddenBelow.length > 0;
    const hasKids = (f.node.children?.length ?? 0) > 0;
    const open = hasKids && isExpanded(f);
    if (hasKids && !open) hiddenBelow.push(f.depth);
    const item = el('div', 'tnode' + (f.node.severity ? ' sev-' + f.node.severity : '') + (f.node.length === 0 && f.node.name !== 'frame' ? ' verdict' : ''));
    item.setAttribute('role', 'treeitem');
    item.setAttribute('aria-level', String(f.depth + 1));
    item.dataset.i = String(i);
    item.style.paddingLeft = 6 + f.depth * 14 + 'px';
    if (hasKids) item.setAttribute('aria-expanded', String(open));
    item.hidden = hidden;
    item.append(el('span', 'twisty', hasKids ? (open ? '▾' : '▸') : ''), el('span', 'tlabel', f.node.label));
    if (f.node.explain) item.title = f.node.explain;
    item.setAttribute('aria-selected', i === activeField ? 'true' : 'false');
    if (i === activeField) item.classList.add('active');
    treeItems.push(item);
    frag.append(item);
  }
  treeBox.append(frag);
}

function toggle(i: number, open?: boolean): void {
  const f = flat[i];
  if (!f || !(f.node.children?.length)) return;
  expanded.set(f.node.name, open ?? !isExpanded(f));
  renderTree();
  treeItems[i]?.scrollIntoView({ block: 'nearest' });
}

function chooseField(i: number, fromBytes = false): void {
  if (i < 0 || i >= flat.length) return;
  // Reveal: open every ancestor.
  let changed = false;
  for (let p = flat[i].parent; p >= 0; p = flat[p].parent) {
    if (!isExpanded(flat[p])) {
      expanded.set(flat[p].node.name, true);
      changed = true;
    }
  }
  activeField = i;
  if (changed) renderTree();
  else
    for (let k = 0; k < treeItems.length; k++) {
      treeItems[k].classList.toggle('active', k === i);
      treeItems[k].setAttribute('aria-selected', k === i ? 'true' : 'false');
    }
  treeBox.setAttribute('aria-activedescendant', '');
  treeItems[i]?.scrollIntoView({ block: 'nearest' });
  const n = flat[i].node;
  explainBox.textContent = '';
  explainBox.append(el('div', 'explain-field', n.label));
  if (n.explain) {
    const [title, ...rest] = n.explain.split('\n');
    explainBox.append(el('div', 'explain-title', title), el('div', 'explain-text', rest.join('\n')));
  }
  highlight(fieldRange(n, bytes.length), !fromBytes);
}

function highlight([a, b]: [number, number], reveal: boolean): void {
  const [oa, ob] = highlighted;
  for (let k = oa; k < ob && k < shownBytes; k++) {
    byteSpans[k].classList.remove('hl');
    byteSpans[k + shownBytes].classList.remove('hl');
  }
  highlighted = [a, b];
  for (let k = a; k < b && k < shownBytes; k++) {
    byteSpans[k].classList.add('hl');
    byteSpans[k + shownBytes].classList.add('hl');
  }
  if (reveal && a < shownBytes && b > a) byteSpans[a].scrollIntoView({ block: 'nearest' });
}

function renderBytes(): void {
  bytesBox.textContent = '';
  shownBytes = Math.min(bytes.length, MAX_BYTES_SHOWN);
  highlighted = [0, 0];
  const hexSpans: HTMLSpanElement[] = new Array<HTMLSpanElement>(shownBytes);
  const ascSpans: HTMLSpanElement[] = new Array<HTMLSpanElement>(shownBytes);
  const frag = document.createDocumentFragment();
  for (let off = 0; off < shownBytes; off += 16) {
    const line = el('div', 'hline');
    const hex = el('span', 'hex');
    const asc = el('span', 'asc');
    for (let k = off; k < Math.min(off + 16, shownBytes); k++) {
      const h = el('span', 'b', hex2(bytes[k]));
      h.dataset.i = String(k);
      if (k % 16 === 8) h.classList.add('gap');
      hexSpans[k] = h;
      hex.append(h);
      const c = el('span', 'b', asciiChar(bytes[k]));
      c.dataset.i = String(k);
      ascSpans[k] = c;
      asc.append(c);
    }
    for (let k = Math.min(off + 16, shownBytes); k < off + 16; k++) hex.append(el('span', 'b pad' + (k % 16 === 8 ? ' gap' : ''), '  '));
    line.append(el('span', 'off', offsetLabel(off)), hex, asc);
    frag.append(line);
  }
  if (bytes.length > shownBytes) frag.append(el('div', 'more', '… +' + group(bytes.length - shownBytes)));
  bytesBox.append(frag);
  byteSpans = [...hexSpans, ...ascSpans];
}

function byteAt(e: Event): number {
  const t = e.target as HTMLElement;
  if (!t.classList.contains('b') || t.dataset.i === undefined) return -1;
  return Number(t.dataset.i);
}
let hoverField = -1;
bytesBox.addEventListener('mouseover', (e) => {
  const k = byteAt(e);
  if (k < 0 || !S) return;
  const f = owners[k];
  const name = f >= 0 ? fieldPath(flat, f) : '—';
  const text = fmt(S.bytesHover, '0x' + offsetLabel(k) + ' (' + k + ')', name);
  bytesStatus.textContent = text;
  (e.target as HTMLElement).title = text;
  if (f !== hoverField) {
    bytesBox.querySelectorAll('.hover').forEach((x) => x.classList.remove('hover'));
    hoverField = f;
    if (f >= 0) {
      const [a, b] = fieldRange(flat[f].node, bytes.length);
      for (let q = a; q < b && q < shownBytes; q++) {
        byteSpans[q].classList.add('hover');
        byteSpans[q + shownBytes].classList.add('hover');
      }
    }
  }
});
bytesBox.addEventListener('mouseleave', () => {
  hoverField = -1;
  bytesBox.querySelectorAll('.hover').forEach((x) => x.classList.remove('hover'));
});
bytesBox.addEventListener('click', (e) => {
  const k = byteAt(e);
  if (k >= 0 && owners[k] >= 0) chooseField(owners[k], true);
});

treeBox.addEventListener('click', (e) => {
  const item = (e.target as HTMLElement).closest('.tnode') as HTMLElement | null;
  if (!item) return;
  const i = Number(item.dataset.i);
  if ((e.target as HTMLElement).classList.contains('twisty')) toggle(i);
  else chooseField(i);
});
treeBox.addEventListener('dblclick', (e) => {
  const item = (e.target as HTMLElement).closest('.tnode') as HTMLElement | null;
  if (item) toggle(Number(item.dataset.i));
});
treeBox.addEventListener('keydown', (e) => {
  const visible = treeItems.map((x, i) => (x.hidden ? -1 : i)).filter((i) => i >= 0);
  const at = visible.indexOf(activeField);
  switch (e.key) {
    case 'ArrowDown': chooseField(visible[Math.min(visible.length - 1, at + 1)] ?? 0); break;
    case 'ArrowUp': chooseField(visible[Math.max(0, at - 1)] ?? 0); break;
    case 'ArrowRight': if (activeField >= 0) toggle(activeField, true); break;
    case 'ArrowLeft':
      if (activeField >= 0) {
        const f = flat[activeField];
        if ((f.node.children?.length ?? 0) > 0 && isExpanded(f)) toggle(activeField, false);
        else if (f.parent >= 0) chooseField(f.parent);
      }
      break;
    default: return;
  }
  e.preventDefault();
});

// ---------------------------------------------------------------------------------------------
// Progress and banner

function updateStatus(): void {
  if (!S) return;
  const p = progress;
  const indexing = p !== undefined && !p.done;
  progressTrack.hidden = !indexing;
  cancelBtn.hidden = !indexing;
  if (indexing && p) {
    const frac = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    progressFill.style.width = (frac * 100).toFixed(1) + '%';
    progressTrack.setAttribute('role', 'progressbar');
    progressTrack.setAttribute('aria-valuenow', String(Math.round(frac * 100)));
    statusText.textContent = fmt(S.indexing, group(p.packets), rate(p.rate));
  } else if (cancelled) {
    statusText.textContent = fmt(S.cancelled, group(total));
  } else if (view !== 0) {
    statusText.textContent = fmt(S.packetsShown, group(viewCount), group(total));
  } else {
    statusText.textContent = fmt(S.indexed, group(total));
  }
  const err = p?.error;
  app.classList.toggle('not-capture', err?.kind === 'not-a-capture' && total === 0);
  if (err) {
    banner.hidden = false;
    if (err.kind === 'not-a-capture') {
      banner.className = 'banner error';
      bannerText.textContent = fmt(S.notCapture, err.message);
      bannerBtn.textContent = S.reopenText;
      bannerBtn.hidden = false;
    } else if (err.kind === 'io') {
      banner.className = 'banner error';
      bannerText.textContent = fmt(S.readFailed, err.message);
      bannerBtn.hidden = true;
    } else if (err.kind === 'limit') {
      // a safety limit (gzip bomb, index ceiling): the file is not damaged, the message says what to do
      banner.className = 'banner warning';
      bannerText.textContent = fmt(S.readFailed, err.message);
      bannerBtn.hidden = true;
    } else {
      banner.className = 'banner warning';
      bannerText.textContent = fmt(S.damaged, err.message, group(err.offset));
      bannerBtn.hidden = true;
    }
  } else banner.hidden = true;
}

/** The saved scroll position and selection belong to the saved filter's view: wait until it is applied. */
function savedViewReady(): boolean {
  return appliedFilter === (typeof saved.filter === 'string' ? saved.filter.trim() : '');
}

function setCounts(all: number, vCount: number | undefined): void {
  const before = viewCount;
  total = all;
  viewCount = view === 0 ? all : vCount ?? viewCount;
  if (viewCount !== before) {
    dropIncompletePages();
    if (pendingSelPos >= 0 && pendingSelPos < viewCount && savedViewReady()) {
      const p = pendingSelPos;
      pendingSelPos = -1;
      select(p, { reveal: false, immediate: true });
    }
    scheduleRender();
  }
}

let noticeTimer: number | undefined;
function showNotice(text: string, severity: 'info' | 'error'): void {
  notice.textContent = text;
  notice.className = 'notice ' + severity;
  notice.hidden = false;
  if (noticeTimer !== undefined) window.clearTimeout(noticeTimer);
  noticeTimer = window.setTimeout(() => (notice.hidden = true), severity === 'error' ? 8000 : 3000);
}

// ---------------------------------------------------------------------------------------------
// Messages

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as ToWebview;
  switch (m.type) {
    case 'init': {
      S = m.strings;
      timeFormat = m.timeFormat;
      progress = m.progress;
      applyStrings(S);
      setCounts(m.count, undefined);
      if (filterInput.value.trim() !== '') {
        // restore the saved filter; selection and scroll follow once its result arrives
        applyFilter();
      }
      updateStatus();
      scheduleRender();
      break;
    }
    case 'progress': {
      const becameFinal = m.progress.statesFinal === true && progress?.statesFinal !== true;
      progress = m.progress;
      if (m.progress.cancelled) cancelled = true;
      if (becameFinal) {
        // States and analysis are final now: fetch the rows on screen (and the details) again.
        cache.clear();
        inflight.clear();
        if (selIndex >= 0) requestDetails(true);
        scheduleRender();
      }
      if (m.view === undefined || m.view === view) setCounts(m.count, m.viewCount);
      else setCounts(m.count, undefined);
      if (m.progress.done && tab === 'conns') post({ type: 'conns' });
      else if (m.progress.done) connsRequested = false;
      updateStatus();
      break;
    }
    case 'rows': {
      const key = inflight.get(m.id);
      inflight.delete(m.id);
      if (key === undefined || m.view !== view) break;
      cache.set(key, { rows: m.rows, used: ++useTick });
      evict();
      if (selPos >= 0 && selIndex < 0) {
        const row = rowAt(selPos);
        if (row) {
          selIndex = row.index;
          requestDetails(true);
        }
      }
      scheduleRender();
      break;
    }
    case 'details':
      if (m.index === selIndex) renderDetails(m.tree, toBytes(m.bytes));
      break;
    case 'filter': {
      if (!m.result.ok) {
        filterWrap.classList.add('invalid');
        filterInput.setAttribute('aria-invalid', 'true');
        filterError.textContent = m.result.error;
        const at = Math.max(0, Math.min(filterInput.value.length, m.result.at));
        try {
          filterInput.setSelectionRange(at, filterInput.value.length);
        } catch {
          /* not focused */
        }
        break;
      }
      clearFilterError();
      // The first result of the saved filter restores the saved selection and scroll position.
      const restoring = !filterRestored && m.expr.trim() !== '' && m.expr.trim() === (saved.filter ?? '').trim();
      filterRestored = true;
      appliedFilter = m.expr.trim();
      view = m.result.view;
      cache.clear();
      inflight.clear();
      viewCount = -1; // force setCounts to see a change
      if (!restoring) {
        selPos = -1;
        anchorPos = -1;
        pendingSelPos = -1;
        pendingTopRow = -1;
        setTop(0, geom());
      }
      setCounts(total, m.result.count);
      if (view === 0 && m.result.count > total) setCounts(m.result.count, undefined);
      if (pendingGoTo > 0 && view === 0) {
        const no = pendingGoTo;
        pendingGoTo = -1;
        goTo(no);
      }
      updateStatus();
      saveState();
      scheduleRender();
      break;
    }
    case 'conns':
      conns = m.conns;
      renderConns(conns);
      break;
    case 'settings':
      timeFormat = m.timeFormat;
      timeSelect.value = timeFormat;
      scheduleRender();
      break;
    case 'notice':
      showNotice(m.text, m.severity);
      break;
    case 'goTo':
      goTo(m.packet);
      break;
    case 'reveal':
      reveal(m.index);
      break;
  }
});

// Restore the selection without a filter right away (with a filter: after its result).
if ((saved.filter ?? '').trim() !== '') {
  /* the init handler applies the filter */
} else if (typeof saved.selIndex === 'number' && saved.selIndex >= 0) {
  pendingSelPos = saved.selIndex;
}
post({ type: 'ready' });
