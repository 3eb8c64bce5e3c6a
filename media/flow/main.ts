/**
 * The flow-graph webview: a virtualized sequence diagram. Only the rows in view (plus a margin)
 * exist in the DOM — a 100,000-packet graph has a few dozen row elements — and the rows come from
 * the host in pages on request (protocol: src/extension/flow/messages.ts). Everything a user reads
 * (lifeline headers, arrow labels, comments, state names, bracket labels, markers) is real DOM
 * text set with textContent; drawing is absolutely positioned divs (arrows with CSS heads, the
 * lifelines as one repeating background) coloured from --vscode-* variables only (flow.css).
 *
 * Layout (media/flow/layout.ts): a sticky header row with hosts over their ports, the time column
 * and the bracket gutter sticky at the left, the comment column sticky at the right, lifelines in
 * between (scrolling sideways when there are many). Keyboard: ↑/↓ (j/k) packet by packet,
 * PageUp/PageDown, Home/End, Enter reveals the packet in the source, +/− zoom (also Ctrl+wheel).
 * Scroll position, selection, zoom and options are saved with setState and restored on `ready`.
 */
import type {
  FlowBracketData,
  FlowConnItem,
  FlowFromWebview,
  FlowGraphMessage,
  FlowHostData,
  FlowLifelineData,
  FlowMarkerData,
  FlowOptionsState,
  FlowRenderPngMessage,
  FlowRowData,
  FlowRowsMessage,
  FlowSourceRef,
  FlowStateData,
  FlowToWebview,
  FlowUiStrings,
} from '../../src/extension/flow/messages';
import type { FlowTimeMode } from '../../src/core/flow/model';
import { FineScroll, contentHeight, pageRows, revealTop, spacerHeight, type ScrollGeometry } from '../capture/scroll';
import { LANE_WIDTH, arrowBox, clampZoom, flowLayout, labelCenter, lifelineX, rowWindow, stepZoom, visibleColumns, zoomTop, type FlowLayout } from './layout';
import { el } from '../common/dom';
import { errorMessage } from '../../src/core/errors';

interface VsCodeApi {
  postMessage(msg: FlowFromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  /** What the graph is drawn from (read back by the panel serializer after a window reload). */
  source?: FlowSourceRef;
  options: FlowOptionsState | null;
  zoom: number;
  selIndex: number;
  topIndex: number;
  scrollLeft: number;
}

const vscode = acquireVsCodeApi();
/** Rows per request / cache page, and pages kept. */
const PAGE = 200;
const MAX_PAGES = 40;

// ---------------------------------------------------------------------------------------------
// State

const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
let S: FlowUiStrings | undefined;
let conns: FlowConnItem[] = [];
let options: FlowOptionsState = saved.options ?? { streams: null, problemsOnly: false, time: 'relative', absolute: false };
let source: FlowSourceRef | undefined = saved.source;
let zoom = clampZoom(typeof saved.zoom === 'number' ? saved.zoom : 1);
let stateHelp: Record<string, string> = {};
let markerHelp: Record<string, [string, string]> = {};

let version = -1;
let count = 0;
let hosts: FlowHostData[] = [];
let lifelines: FlowLifelineData[] = [];
let lanes = 1;
let L: FlowLayout | undefined;
let loading = true;

let selRow = -1;
let selIndex = typeof saved.selIndex === 'number' ? saved.selIndex : -1;
let topIndex = typeof saved.topIndex === 'number' ? saved.topIndex : -1;
let pendingTopRow = -1;
let pendingLeft = typeof saved.scrollLeft === 'number' ? saved.scrollLeft : 0;

interface Page {
  rows: FlowRowData[];
  states: Map<number, FlowStateData[]>;
  markers: Map<number, FlowMarkerData[]>;
  brackets: FlowBracketData[];
  used: number;
}
const cache = new Map<number, Page>();
const inflight = new Map<number, number>(); // request id → page start
let nextReq = 1;
let useTick = 0;

// ---------------------------------------------------------------------------------------------
// DOM helpers

function post(m: FlowFromWebview): void {
  vscode.postMessage(m);
}

/** "{0} of {1}" with the arguments (the host's strings use {n} placeholders). */
function fmt(s: string, ...args: (string | number)[]): string {
  return s.replace(/\{(\d+)\}/g, (m, n: string) => (Number(n) < args.length ? String(args[Number(n)]) : m));
}

let saveTimer: number | undefined;
function saveState(): void {
  if (saveTimer !== undefined) return;
  saveTimer = window.setTimeout(() => {
    saveTimer = undefined;
    const st: SavedState = { source, options, zoom, selIndex, topIndex: count > 0 ? currentTopIndex() : topIndex, scrollLeft: body.scrollLeft };
    vscode.setState(st);
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

// ---------------------------------------------------------------------------------------------
// Layout

const app = document.getElementById('app') ?? document.body;
const toolbar = el('div', 'flow-toolbar');
toolbar.setAttribute('role', 'toolbar');

const connsBox = el('details', 'flow-conns');
const connsSummary = el('summary', 'flow-conns-summary');
const connsPanel = el('div', 'flow-conns-panel');
connsBox.append(connsSummary, connsPanel);

const problemsLabel = el('label', 'flow-check');
const problemsBox = el('input', 'flow-problems');
problemsBox.type = 'checkbox';
problemsBox.dataset.action = 'problemsOnly';
const problemsText = el('span');
problemsLabel.append(problemsBox, problemsText);

const timeSelect = el('select', 'flow-time-mode');
timeSelect.dataset.action = 'time';
const seqSelect = el('select', 'flow-seq-mode');
seqSelect.dataset.action = 'seq';

function button(action: string, text = ''): HTMLButtonElement {
  const b = el('button', 'flow-btn', text);
  b.type = 'button';
  b.dataset.action = action;
  return b;
}
const zoomOutBtn = button('zoomOut', '−');
const zoomLevel = el('span', 'flow-zoom-level');
const zoomInBtn = button('zoomIn', '+');
const svgBtn = button('exportSvg');
const pngBtn = button('exportPng');
const textBtn = button('copyText');
const status = el('span', 'flow-status');
status.setAttribute('aria-live', 'polite');
const zoomGroup = el('span', 'flow-group');
zoomGroup.append(zoomOutBtn, zoomLevel, zoomInBtn);
const exportGroup = el('span', 'flow-group');
exportGroup.append(svgBtn, pngBtn, textBtn);
toolbar.append(connsBox, problemsLabel, timeSelect, seqSelect, el('span', 'flow-sep'), zoomGroup, el('span', 'flow-sep'), exportGroup, status);

const legend = el('div', 'flow-legend');
const notice = el('div', 'flow-notice');
notice.hidden = true;
notice.setAttribute('role', 'status');

const body = el('div', 'flow-body');
body.tabIndex = 0;
body.setAttribute('role', 'listbox');
const spacer = el('div', 'flow-spacer');
const win = el('div', 'flow-window');
const header = el('div', 'flow-header');
const corner = el('div', 'flow-corner');
const headerCols = el('div', 'flow-header-cols');
header.append(corner, headerCols);
const linesLayer = el('div', 'flow-lifelines');
linesLayer.setAttribute('aria-hidden', 'true');
const rowsLayer = el('div', 'flow-rows');
rowsLayer.setAttribute('role', 'presentation');
const gutter = el('div', 'flow-gutter');
win.append(gutter, linesLayer, rowsLayer, header);
spacer.append(win);
const emptyMsg = el('div', 'flow-empty');
body.append(spacer, emptyMsg);

app.append(toolbar, legend, notice, body);

// ---------------------------------------------------------------------------------------------
// Strings, toolbar, legend

function applyStrings(s: FlowUiStrings): void {
  problemsText.textContent = s.problemsOnly;
  timeSelect.textContent = '';
  for (const [v, label] of [['relative', s.timeRelative], ['absolute', s.timeAbsolute], ['delta', s.timeDelta]] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    timeSelect.append(o);
  }
  timeSelect.setAttribute('aria-label', s.time);
  seqSelect.textContent = '';
  for (const [v, label] of [['relative', s.seqRelative], ['absolute', s.seqAbsolute]] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    seqSelect.append(o);
  }
  seqSelect.setAttribute('aria-label', s.seqRelative + ' / ' + s.seqAbsolute);
  zoomInBtn.title = s.zoomIn;
  zoomInBtn.setAttribute('aria-label', s.zoomIn);
  zoomOutBtn.title = s.zoomOut;
  zoomOutBtn.setAttribute('aria-label', s.zoomOut);
  svgBtn.textContent = s.exportSvg;
  pngBtn.textContent = s.exportPng;
  textBtn.textContent = s.copyText;
  corner.textContent = s.time;
  body.setAttribute('aria-label', s.listLabel);
  emptyMsg.textContent = loading ? s.loading : s.empty;
  legend.textContent = '';
  legend.setAttribute('aria-label', s.legend);
  for (const [cls, label] of [['k-syn', s.legendSyn], ['k-fin', s.legendFin], ['k-rst', s.legendRst], ['k-warn', s.legendWarn]] as const) {
    const item = el('span', 'flow-legend-item');
    item.append(el('span', 'flow-legend-arrow ' + cls), el('span', undefined, label));
    legend.append(item);
  }
  const st = el('span', 'flow-legend-item');
  st.append(el('span', 'flow-legend-state', 'STATE'), el('span', undefined, s.legendState));
  const br = el('span', 'flow-legend-item');
  br.append(el('span', 'flow-legend-bracket'), el('span', undefined, s.legendBracket));
  legend.append(st, br);
  applyOptions();
}

function applyOptions(): void {
  problemsBox.checked = options.problemsOnly;
  timeSelect.value = options.time;
  seqSelect.value = options.absolute ? 'absolute' : 'relative';
  zoomLevel.textContent = Math.round(zoom * 100) + '%';
  renderConnsSummary();
}

function renderConnsSummary(): void {
  if (!S) return;
  const n = options.streams === null ? conns.length : options.streams.length;
  connsSummary.textContent = options.streams === null ? S.allConnections + (conns.length ? ` (${conns.length})` : '') : fmt(S.someConnections, n, conns.length);
  connsSummary.title = S.connections;
}

/** The connection list: "All" and one checkbox per connection (built when opened). */
function renderConnsPanel(): void {
  if (!S) return;
  connsPanel.textContent = '';
  const all = el('label', 'flow-check flow-conn-all');
  const allBox = el('input');
  allBox.type = 'checkbox';
  allBox.checked = options.streams === null;
  allBox.dataset.stream = 'all';
  all.append(allBox, el('span', undefined, S.allConnections));
  connsPanel.append(all);
  const chosen = new Set(options.streams ?? []);
  const list = el('div', 'flow-conn-list');
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', S.connections);
  for (const c of conns.slice(0, 5000)) {
    const item = el('label', 'flow-check flow-conn' + (c.problems > 0 ? ' has-problems' : ''));
    const box = el('input');
    box.type = 'checkbox';
    box.dataset.stream = String(c.stream);
    box.checked = options.streams === null || chosen.has(c.stream);
    item.append(box, el('span', undefined, fmt(S.connItem, c.stream, c.client, c.server, c.packets, c.problems)));
    list.append(item);
  }
  connsPanel.append(list);
}

connsBox.addEventListener('toggle', () => {
  if (connsBox.open) renderConnsPanel();
});
connsPanel.addEventListener('change', (e) => {
  const t = e.target as HTMLInputElement;
  if (t.dataset.stream === undefined) return;
  const boxes = Array.from(connsPanel.querySelectorAll<HTMLInputElement>('.flow-conn-list input'));
  if (t.dataset.stream === 'all') {
    for (const b of boxes) b.checked = t.checked;
    if (!t.checked) return; // nothing chosen yet: wait for a connection
    setOptions({ ...options, streams: null });
    return;
  }
  const picked = boxes.filter((b) => b.checked).map((b) => Number(b.dataset.stream));
  const allBox = connsPanel.querySelector<HTMLInputElement>('.flow-conn-all input');
  if (allBox) allBox.checked = picked.length === boxes.length;
  if (picked.length === 0) return;
  setOptions({ ...options, streams: picked.length === boxes.length ? null : picked });
});

problemsBox.addEventListener('change', () => setOptions({ ...options, problemsOnly: problemsBox.checked }));
timeSelect.addEventListener('change', () => setOptions({ ...options, time: timeSelect.value as FlowTimeMode }));
seqSelect.addEventListener('change', () => setOptions({ ...options, absolute: seqSelect.value === 'absolute' }));
zoomInBtn.addEventListener('click', () => setZoom(stepZoom(zoom, 1)));
zoomOutBtn.addEventListener('click', () => setZoom(stepZoom(zoom, -1)));
svgBtn.addEventListener('click', () => post({ type: 'export', format: 'svg' }));
pngBtn.addEventListener('click', () => post({ type: 'export', format: 'png' }));
textBtn.addEventListener('click', () => post({ type: 'export', format: 'text' }));

function setOptions(o: FlowOptionsState): void {
  options = o;
  applyOptions();
  loading = true;
  post({ type: 'options', options, selIndex, topIndex: currentTopIndex() });
  saveState();
}

// ---------------------------------------------------------------------------------------------
// Geometry and scrolling

function rowsViewport(): number {
  const h = body.clientHeight - (L ? L.headerHeight : 44);
  return Math.max(L ? L.rowHeight : 20, h);
}

function geom(): ScrollGeometry {
  return { count, rowHeight: L ? L.rowHeight : 40, viewport: rowsViewport() };
}

const fine = new FineScroll(body);
function topPx(g: ScrollGeometry): number {
  return fine.top(g);
}
function setTop(px: number, g: ScrollGeometry): void {
  fine.set(px, g);
}

function currentTopRow(): number {
  const g = geom();
  return Math.floor(topPx(g) / g.rowHeight);
}

/** The packet number of the top row, when its page is here (else the last one known). */
function currentTopIndex(): number {
  const r = rowData(currentTopRow());
  if (r) topIndex = r.index;
  return topIndex;
}

function relayout(): void {
  let maxLabel = 0;
  for (const l of lifelines) maxLabel = Math.max(maxLabel, l.label.length);
  L = flowLayout(lifelines.length, maxLabel, lanes, zoom);
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
  linesLayer.style.width = lifelines.length * L.colWidth + 'px';
  linesLayer.style.backgroundSize = `${L.colWidth}px 100%`;
  rowsLayer.style.top = L.headerHeight + 'px';
  for (const r of live.values()) r.key = ''; // redraw every row
  headerKey = '';
  zoomLevel.textContent = Math.round(zoom * 100) + '%';
}

function setZoom(z: number): void {
  const nz = clampZoom(z);
  if (nz === zoom || !L) {
    zoom = nz;
    return;
  }
  const g0 = geom();
  const top0 = topPx(g0);
  const h0 = L.rowHeight;
  zoom = nz;
  relayout();
  const g1 = geom();
  sizeSpacer(g1);
  setTop(zoomTop(top0, h0, g1.rowHeight), g1);
  render();
  saveState();
}

function sizeSpacer(g: ScrollGeometry): void {
  const hh = L ? L.headerHeight : 0;
  spacer.style.height = Math.max(spacerHeight(g) + hh, body.clientHeight) + 'px';
  win.style.height = body.clientHeight + 'px';
  gutter.style.height = Math.max(0, body.clientHeight - hh) + 'px';
}

// ---------------------------------------------------------------------------------------------
// Row cache

function rowData(r: number): FlowRowData | undefined {
  if (r < 0 || r >= count) return undefined;
  const start = r - (r % PAGE);
  const p = cache.get(start);
  if (!p) return undefined;
  p.used = ++useTick;
  return p.rows[r - start];
}

function request(start: number): void {
  if (cache.has(start)) return;
  for (const s of inflight.values()) if (s === start) return;
  const id = nextReq++;
  inflight.set(id, start);
  post({ type: 'rows', id, version, start, count: Math.min(PAGE, Math.max(0, count - start)) });
}

function evict(keepFrom: number, keepTo: number): void {
  if (cache.size <= MAX_PAGES) return;
  const entries = [...cache.entries()].filter(([s]) => s + PAGE <= keepFrom || s > keepTo).sort((a, b) => a[1].used - b[1].used);
  for (const [k] of entries.slice(0, cache.size - MAX_PAGES)) cache.delete(k);
}

function onRows(m: FlowRowsMessage): void {
  const start = inflight.get(m.id);
  inflight.delete(m.id);
  if (m.version !== version || start === undefined) return;
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
  cache.set(m.start, { rows: m.rows, states, markers, brackets: m.brackets, used: ++useTick });
  if (selRow >= m.start && selRow < m.start + m.rows.length && selIndex < 0) selIndex = m.rows[selRow - m.start].index;
  scheduleRender();
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
const bracketEls = new Map<number, HTMLDivElement>();
let headerKey = '';

let renderQueued = false;
function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function viewBounds(): [number, number] {
  if (!L) return [0, 0];
  const left = body.scrollLeft + L.columnsLeft;
  const right = body.scrollLeft + body.clientWidth - Math.min(L.commentWidth, Math.max(0, body.scrollLeft + body.clientWidth - L.commentLeft));
  return [left, Math.max(left, right)];
}

function render(): void {
  if (!L || !S) return;
  const g = geom();
  sizeSpacer(g);
  emptyMsg.hidden = count > 0 && !loading;
  emptyMsg.textContent = loading ? S.loading : S.empty;
  if (pendingTopRow >= 0 && count > 0) {
    setTop(Math.min(pendingTopRow, count - 1) * g.rowHeight, g);
    pendingTopRow = -1;
  }
  if (pendingLeft > 0) {
    body.scrollLeft = pendingLeft;
    pendingLeft = 0;
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
    const key = data ? version + ':' + r : 'loading';
    if (lr.key !== key) {
      fillRow(lr, r, data);
      lr.key = key;
    }
    lr.el.hidden = false;
    lr.el.style.transform = `translateY(${r * g.rowHeight - top}px)`;
    const sel = r === selRow;
    if ((lr.el.getAttribute('aria-selected') === 'true') !== sel) lr.el.setAttribute('aria-selected', sel ? 'true' : 'false');
    if (lr.label) lr.label.style.left = labelCenter(lr.x0, lr.x1, vl, vr) + 'px';
  }
  if (selRow >= 0 && live.has(selRow)) body.setAttribute('aria-activedescendant', 'flow-row-' + selRow);
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
    evict(w.first, w.first + w.count);
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
  const lay = L!;
  e.textContent = '';
  e.id = 'flow-row-' + r;
  e.dataset.row = String(r);
  e.setAttribute('aria-posinset', String(r + 1));
  e.setAttribute('aria-setsize', String(count));
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
  e.setAttribute('aria-label', fmt(S!.rowLabel, d.index + 1, d.time, from?.label ?? '', to?.label ?? '', d.label, d.comment));

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
  const page = cache.get(r - (r % PAGE));
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
    b.title = fmt(S!.stateChange, who, s.from, s.state) + '\n' + (stateHelp[s.state] ?? '') + (s.inferred ? '\n' + S!.inferred : '');
    e.append(b);
  }
}

/** Lifeline headers of the columns in view (hosts over their ports). */
function renderHeader(): void {
  if (!L) return;
  const [a, b] = visibleColumns(L, body.scrollLeft, body.clientWidth, 2);
  const key = `${a}:${b}:${L.colWidth}:${version}`;
  if (key === headerKey) return;
  headerKey = key;
  headerCols.textContent = '';
  linesLayer.hidden = lifelines.length === 0;
  if (b < a) return;
  const doneHosts = new Set<number>();
  for (let i = a; i <= b; i++) {
    const l = lifelines[i];
    if (!doneHosts.has(l.host)) {
      doneHosts.add(l.host);
      const h = hosts[l.host];
      const ids = h ? h.lifelines : [i];
      const first = ids[0];
      const last = ids[ids.length - 1];
      const hd = el('div', 'flow-host-header', h ? h.addr : l.label);
      hd.style.left = L.columnsLeft + first * L.colWidth + 4 + 'px';
      hd.style.width = (last - first + 1) * L.colWidth - 8 + 'px';
      hd.title = h ? h.addr : l.label;
      hd.setAttribute('aria-hidden', 'true');
      headerCols.append(hd);
    }
    const hd = el('div', 'flow-lifeline-header ' + l.role);
    hd.dataset.lifeline = String(i);
    hd.dataset.label = l.label;
    hd.title = l.label;
    // the whole "host:port" is the element's text (screen readers, tests); the host part is shown once above
    const hostPart = el('span', 'flow-sr-only', l.label.slice(0, l.label.length - l.port.length - 1));
    hd.append(hostPart, el('span', 'flow-port', ':' + l.port));
    hd.style.left = L.columnsLeft + i * L.colWidth + 4 + 'px';
    hd.style.width = L.colWidth - 8 + 'px';
    headerCols.append(hd);
  }
}

/** Brackets of the rows in the window, in the gutter (one lane each). */
function renderBrackets(first: number, n: number, top: number, g: ScrollGeometry): void {
  if (!L) return;
  const last = first + n - 1;
  const seen = new Set<number>();
  for (let p = Math.floor(first / PAGE) * PAGE; p <= last; p += PAGE) {
    const page = cache.get(p);
    if (!page) continue;
    for (const b of page.brackets) {
      if (seen.has(b.id) || b.lastRow < first || b.firstRow > last) continue;
      seen.add(b.id);
      let e = bracketEls.get(b.id);
      if (!e) {
        e = el('div', 'flow-bracket ' + b.kind);
        e.dataset.kind = b.kind;
        e.dataset.stream = String(b.stream);
        e.title = b.label;
        e.append(el('span', 'flow-bracket-label', b.label));
        gutter.append(e);
        bracketEls.set(b.id, e);
      }
      const y1 = Math.max(-g.rowHeight, b.firstRow * g.rowHeight - top + L.arrowY - 7);
      const y2 = Math.min(g.viewport + g.rowHeight, b.lastRow * g.rowHeight - top + L.arrowY + 7);
      e.style.top = y1 + 'px';
      e.style.height = Math.max(4, y2 - y1) + 'px';
      e.style.left = b.lane * LANE_WIDTH + 3 + 'px';
      e.style.width = LANE_WIDTH - 5 + 'px';
    }
  }
  for (const [id, e] of bracketEls) {
    if (!seen.has(id)) {
      e.remove();
      bracketEls.delete(id);
    }
  }
}

function clearRows(): void {
  cache.clear();
  inflight.clear();
  for (const lr of live.values()) lr.key = '';
  for (const e of bracketEls.values()) e.remove();
  bracketEls.clear();
  headerKey = '';
}

// ---------------------------------------------------------------------------------------------
// Selection and keyboard

function select(r: number, opts: { reveal?: 'nearest' | 'center'; notify?: boolean } = {}): void {
  if (count <= 0) return;
  r = Math.max(0, Math.min(count - 1, r));
  selRow = r;
  const d = rowData(r);
  selIndex = d ? d.index : -1;
  if (opts.reveal) scrollToRow(r, opts.reveal);
  render();
  if (selIndex >= 0) post({ type: opts.notify ? 'reveal' : 'selected', index: selIndex });
  saveState();
}

function scrollToRow(r: number, how: 'nearest' | 'center'): void {
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

body.addEventListener('keydown', (e) => {
  if (e.target !== body) return;
  const g = geom();
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
      target = count - 1;
      break;
    case 'Enter':
    case ' ':
      if (selRow >= 0) {
        const d = rowData(selRow);
        if (d) post({ type: 'reveal', index: d.index });
      }
      e.preventDefault();
      return;
    case '+':
    case '=':
      setZoom(stepZoom(zoom, 1));
      e.preventDefault();
      return;
    case '-':
    case '_':
      setZoom(stepZoom(zoom, -1));
      e.preventDefault();
      return;
    case '0':
      setZoom(1);
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

body.addEventListener(
  'wheel',
  (e) => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    setZoom(stepZoom(zoom, e.deltaY < 0 ? 1 : -1));
  },
  { passive: false },
);

body.addEventListener('scroll', () => {
  scheduleRender();
  saveState();
});
new ResizeObserver(() => scheduleRender()).observe(body);

// ---------------------------------------------------------------------------------------------
// PNG export: the host's SVG drawn on an offscreen canvas

function blobToBase64(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(String(fr.result).replace(/^data:[^,]*,/, ''));
    fr.onerror = () => reject(fr.error ?? new Error('read failed'));
    fr.readAsDataURL(b);
  });
}

async function renderPng(m: FlowRenderPngMessage): Promise<void> {
  const url = URL.createObjectURL(new Blob([m.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    let base64: string;
    if (typeof OffscreenCanvas !== 'undefined') {
      const c = new OffscreenCanvas(m.width, m.height);
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(img, 0, 0, m.width, m.height);
      base64 = await blobToBase64(await c.convertToBlob({ type: 'image/png' }));
    } else {
      const c = document.createElement('canvas');
      c.width = m.width;
      c.height = m.height;
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(img, 0, 0, m.width, m.height);
      base64 = c.toDataURL('image/png').replace(/^data:[^,]*,/, '');
    }
    post({ type: 'png', id: m.id, base64 });
  } catch (e) {
    post({ type: 'png', id: m.id, error: errorMessage(e) });
  } finally {
    URL.revokeObjectURL(url);
  }
}

// ---------------------------------------------------------------------------------------------
// Messages

let noticeTimer: number | undefined;
function showNotice(text: string, severity: 'info' | 'error'): void {
  notice.textContent = text;
  notice.className = 'flow-notice ' + severity;
  notice.hidden = false;
  if (noticeTimer !== undefined) window.clearTimeout(noticeTimer);
  noticeTimer = window.setTimeout(() => (notice.hidden = true), 6000);
}

function onGraph(m: FlowGraphMessage): void {
  version = m.version;
  count = m.count;
  hosts = m.hosts;
  lifelines = m.lifelines;
  lanes = m.lanes;
  options = m.options;
  loading = false;
  clearRows();
  relayout();
  applyOptions();
  if (S) status.textContent = fmt(S.packets, count);
  selRow = m.selRow;
  if (selRow < 0) selIndex = -1;
  // the host found the rows of the packets we had at the top and selected (restored state, or the place before a filter)
  pendingTopRow = m.topRow >= 0 ? m.topRow : selRow;
  if (pendingTopRow < 0) setTop(0, geom());
  render();
}

window.addEventListener('message', (ev: MessageEvent<FlowToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'init':
      source = m.source;
      saveState();
      S = m.strings;
      conns = m.conns;
      stateHelp = m.stateHelp;
      markerHelp = m.markerHelp;
      options = m.options;
      applyStrings(m.strings);
      if (connsBox.open) renderConnsPanel();
      scheduleRender();
      return;
    case 'graph':
      onGraph(m);
      return;
    case 'rows':
      onRows(m);
      return;
    case 'select':
      if (m.version !== version) return;
      if (m.exact) select(m.row, { reveal: 'center' });
      else {
        scrollToRow(m.row, 'center');
        render();
      }
      return;
    case 'renderPng':
      void renderPng(m);
      return;
    case 'notice':
      showNotice(m.text, m.severity);
      return;
  }
});

post({ type: 'ready', selIndex, topIndex, options: saved.options ?? null });
