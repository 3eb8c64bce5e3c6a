/**
 * The Graphs panel's page (issue 14): a heading, a toolbar (graph kind, direction, zoom, export), the
 * plot (./plot.ts) and beside it the summary table — real DOM text for screen readers: each layer's
 * points in view, lowest and highest value and when — and a live status line. It asks the host for
 * the series of what it shows (kind, direction, time range, its width in pixels) and draws the
 * answer; answers to an older view are dropped. The kind, direction and view are saved with
 * setState (the host keeps nothing of them).
 */
import type { GraphKind, SeriesData } from '../../src/core/perf/series';
import type { GraphConn, GraphsFromWebview, GraphsReplies, GraphsToWebview, GraphsUiStrings } from '../../src/extension/graphs/messages';
import { webviewChannel } from '../common/channel';
import { el } from '../common/dom';
import { savedState, vscodeApi } from '../common/vscode';
import { errorMessage } from '../../src/core/errors';
import { fill, timeText, valueText } from './format';
import { Plot } from './plot';

const REPLIES: GraphsReplies = { series: 'series' };
const channel = webviewChannel<GraphsFromWebview, GraphsToWebview, GraphsReplies>(REPLIES);
const KINDS: GraphKind[] = ['tseq', 'throughput', 'rtt', 'window'];

interface Saved {
  stream: number;
  kind: GraphKind;
  dir: 0 | 1;
  t0: number;
  t1: number;
  source: { uri: string; kind: 'capture' | 'log' };
}

const st: { S?: GraphsUiStrings; conn?: GraphConn; kind: GraphKind; dir: 0 | 1; t0: number; t1: number; version: number; series?: SeriesData } = {
  kind: 'tseq',
  dir: 0,
  t0: 0,
  t1: 1,
  version: 0,
};

const app = document.getElementById('app') ?? document.body;
const heading = el('h2', 'heading');
const note = el('div', 'note');
const toolbar = el('div', 'toolbar');
toolbar.setAttribute('role', 'toolbar');
const kindGroup = el('div', 'kinds');
kindGroup.setAttribute('role', 'tablist');
const kindButtons = new Map<GraphKind, HTMLButtonElement>();
for (const k of KINDS) {
  const b = el('button', 'kind');
  b.type = 'button';
  b.setAttribute('role', 'tab');
  b.dataset.kind = k;
  b.addEventListener('click', () => setKind(k));
  kindButtons.set(k, b);
  kindGroup.append(b);
}
const dirSelect = el('select', 'dir');
const zoomIn = el('button', 'btn');
const zoomOut = el('button', 'btn');
const zoomReset = el('button', 'btn');
const svgBtn = el('button', 'btn');
const pngBtn = el('button', 'btn');
for (const b of [zoomIn, zoomOut, zoomReset, svgBtn, pngBtn]) b.type = 'button';
toolbar.append(kindGroup, dirSelect, zoomIn, zoomOut, zoomReset, svgBtn, pngBtn);
const body = el('div', 'body');
const figure = el('div', 'figure');
const aside = el('div', 'aside');
const legend = el('ul', 'legend');
const table = el('table', 'summary');
aside.append(table, legend);
body.append(figure, aside);
const status = el('div', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
app.append(heading, note, toolbar, body, status);

const plot = new Plot({
  view: (t0, t1) => {
    st.t0 = t0;
    st.t1 = t1;
    request();
  },
  choose: (index) => vscodeApi.postMessage({ type: 'choose', index } satisfies GraphsFromWebview),
  status: (text) => {
    status.textContent = text;
  },
});
figure.append(plot.svg);

function save(): void {
  const prev = savedState<Saved>();
  vscodeApi.setState({ ...prev, stream: st.conn?.stream, kind: st.kind, dir: st.dir, t0: st.t0, t1: st.t1 });
}

function setKind(k: GraphKind): void {
  st.kind = k;
  for (const [kk, b] of kindButtons) {
    b.setAttribute('aria-selected', String(kk === k));
    b.classList.toggle('active', kk === k);
  }
  request();
}

dirSelect.addEventListener('change', () => {
  st.dir = dirSelect.value === '1' ? 1 : 0;
  request();
});
zoomIn.addEventListener('click', () => plot.zoom(0.5));
zoomOut.addEventListener('click', () => plot.zoom(2));
zoomReset.addEventListener('click', () => plot.reset());
svgBtn.addEventListener('click', () => vscodeApi.postMessage({ type: 'export', format: 'svg', data: plot.exportSvg() } satisfies GraphsFromWebview));
pngBtn.addEventListener('click', () => {
  plot
    .exportPng()
    .then((data) => vscodeApi.postMessage({ type: 'export', format: 'png', data } satisfies GraphsFromWebview))
    .catch((e: unknown) => {
      status.textContent = errorMessage(e);
    });
});

let pending = 0;
/** Ask for the series of the current view (once a frame at most). */
function request(): void {
  save();
  if (pending) return;
  pending = requestAnimationFrame(() => {
    pending = 0;
    const conn = st.conn;
    if (!conn) return;
    const v = ++st.version;
    const r = figure.getBoundingClientRect();
    plot.resize(r.width, Math.max(240, r.height));
    channel
      .request('series', { request: { kind: st.kind, dir: st.dir, t0: st.t0, t1: st.t1, width: plot.plotWidth } })
      .then((m) => {
        if (v !== st.version) return; // a newer view was asked for
        if (status.textContent === st.S?.loading) status.textContent = '';
        draw(m.series);
      })
      .catch((e: unknown) => {
        status.textContent = errorMessage(e);
      });
  });
}

function draw(s: SeriesData): void {
  const S = st.S;
  const conn = st.conn;
  if (!S || !conn) return;
  st.series = s;
  const kindName = S[s.kind];
  plot.draw(s, S, fill(S.graphLabel, kindName, conn.stream));
  summary(s, S);
  document.body.dataset.points = String(s.layers.reduce((n, l) => n + l.data.length / l.stride, 0));
  document.body.dataset.kind = s.kind;
}

/** The table beside the graph: what each layer shows in view, as text. */
function summary(s: SeriesData, S: GraphsUiStrings): void {
  table.textContent = '';
  const span = s.t1 - s.t0;
  const cap = el('caption', undefined, fill(S.tableCaption, timeText(s.t0, span), timeText(s.t1, span)));
  const head = el('tr');
  for (const h of [S.colSeries, S.colPoints, S.colMin, S.colMax]) head.append(el('th', undefined, h));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  legend.textContent = '';
  for (const l of s.layers) {
    const name = S.layers[l.name] ?? l.name;
    const li = el('li', 'legend-item');
    const sw = el('span', `swatch layer-${l.name}`);
    sw.setAttribute('aria-hidden', 'true');
    li.append(sw, document.createTextNode(name));
    legend.append(li);
    if (l.stats.count === 0) continue;
    const tr = el('tr');
    tr.append(
      el('th', undefined, name),
      el('td', 'num', l.stats.count.toLocaleString()),
      el('td', undefined, fill(S.valueAt, valueText(l.stats.min, s.unit), timeText(l.stats.tMin, span))),
      el('td', undefined, fill(S.valueAt, valueText(l.stats.max, s.unit), timeText(l.stats.tMax, span))),
    );
    tbody.append(tr);
  }
  if (tbody.childElementCount === 0) {
    const tr = el('tr');
    const td = el('td', undefined, S.empty);
    td.colSpan = 4;
    tr.append(td);
    tbody.append(tr);
  }
  table.append(cap, thead, tbody);
}

channel
  .on('init', (m) => {
    const S = m.strings;
    st.S = S;
    const saved = savedState<Saved>();
    const same = saved.stream === m.conn.stream && saved.source?.uri === m.source.uri;
    st.conn = m.conn;
    st.kind = same && saved.kind && KINDS.includes(saved.kind) ? saved.kind : m.kind;
    st.dir = same && (saved.dir === 0 || saved.dir === 1) ? saved.dir : m.dir;
    const end = Math.max(m.conn.duration, 1e-6);
    plot.full = [0, end];
    st.t0 = same && typeof saved.t0 === 'number' && saved.t0 >= 0 ? saved.t0 : 0;
    st.t1 = same && typeof saved.t1 === 'number' && saved.t1 > st.t0 ? saved.t1 : end;
    vscodeApi.setState({ ...saved, source: m.source });
    heading.textContent = fill(S.heading, m.conn.stream, m.conn.client, m.conn.server, m.conn.packets.toLocaleString(), m.conn.duration.toFixed(3));
    note.textContent = m.conn.truncated ? fill(S.truncated, m.conn.packets.toLocaleString()) : '';
    kindGroup.setAttribute('aria-label', S.kinds);
    for (const [k, b] of kindButtons) b.textContent = S[k];
    dirSelect.textContent = '';
    for (const [v, who] of [['0', m.conn.client], ['1', m.conn.server]] as const) {
      const o = el('option', undefined, fill(S.direction, who));
      o.value = v;
      dirSelect.append(o);
    }
    dirSelect.value = String(st.dir);
    zoomIn.textContent = S.zoomIn;
    zoomOut.textContent = S.zoomOut;
    zoomReset.textContent = S.zoomReset;
    svgBtn.textContent = S.exportSvg;
    pngBtn.textContent = S.exportPng;
    status.textContent = S.loading;
    setKind(st.kind);
  })
  .on('select', (m) => plot.select(m.index, m.t))
  .on('notice', (m) => {
    status.textContent = m.text;
  });

new ResizeObserver(() => {
  if (st.conn) request();
}).observe(figure);

vscodeApi.postMessage({ type: 'ready' } satisfies GraphsFromWebview);
