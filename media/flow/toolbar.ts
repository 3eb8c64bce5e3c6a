/**
 * The toolbar's options (connections, problems only, time column, sequence numbers), the status
 * text and the legend. A changed option goes to the host, which draws the graph again.
 */
import type { FlowOptionsState, FlowUiStrings } from '../../src/extension/flow/messages';
import type { FlowTimeMode } from '../../src/core/flow/model';
import { el } from '../common/dom';
import { fmt } from '../common/text';
import { currentTopIndex, saveState } from './rows';
import { post, state } from './state';
import { showZoomLevel } from './zoom';

export const connsBox = el('details', 'flow-conns');
const connsSummary = el('summary', 'flow-conns-summary');
const connsPanel = el('div', 'flow-conns-panel');
connsBox.append(connsSummary, connsPanel);

export const problemsLabel = el('label', 'flow-check');
const problemsBox = el('input', 'flow-problems');
problemsBox.type = 'checkbox';
problemsBox.dataset.action = 'problemsOnly';
const problemsText = el('span');
problemsLabel.append(problemsBox, problemsText);

export const timeSelect = el('select', 'flow-time-mode');
timeSelect.dataset.action = 'time';
export const seqSelect = el('select', 'flow-seq-mode');
seqSelect.dataset.action = 'seq';

export const status = el('span', 'flow-status');
status.setAttribute('aria-live', 'polite');

export const legend = el('div', 'flow-legend');

export function applyToolbarStrings(s: FlowUiStrings): void {
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
}

export function applyLegendStrings(s: FlowUiStrings): void {
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
}

/** The controls show state.options and the zoom. */
export function applyOptions(): void {
  const o = state.options;
  problemsBox.checked = o.problemsOnly;
  timeSelect.value = o.time;
  seqSelect.value = o.absolute ? 'absolute' : 'relative';
  showZoomLevel();
  renderConnsSummary();
}

function renderConnsSummary(): void {
  const S = state.S;
  if (!S) return;
  const { options, conns } = state;
  const n = options.streams === null ? conns.length : options.streams.length;
  connsSummary.textContent = options.streams === null ? S.allConnections + (conns.length ? ` (${conns.length})` : '') : fmt(S.someConnections, n, conns.length);
  connsSummary.title = S.connections;
}

/** The connection list: "All" and one checkbox per connection (built when opened). */
export function renderConnsPanel(): void {
  const S = state.S;
  if (!S) return;
  const { options, conns } = state;
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
    item.append(box, el('span', undefined, fmt(S.connItem, c.stream, c.client, c.server, c.packets, c.problems) + (c.app ? ' · ' + c.app : '')));
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
    setOptions({ ...state.options, streams: null });
    return;
  }
  const picked = boxes.filter((b) => b.checked).map((b) => Number(b.dataset.stream));
  const allBox = connsPanel.querySelector<HTMLInputElement>('.flow-conn-all input');
  if (allBox) allBox.checked = picked.length === boxes.length;
  if (picked.length === 0) return;
  setOptions({ ...state.options, streams: picked.length === boxes.length ? null : picked });
});

problemsBox.addEventListener('change', () => setOptions({ ...state.options, problemsOnly: problemsBox.checked }));
timeSelect.addEventListener('change', () => setOptions({ ...state.options, time: timeSelect.value as FlowTimeMode }));
seqSelect.addEventListener('change', () => setOptions({ ...state.options, absolute: seqSelect.value === 'absolute' }));

function setOptions(o: FlowOptionsState): void {
  state.options = o;
  applyOptions();
  state.loading = true;
  post({ type: 'options', options: o, selIndex: state.selIndex, topIndex: currentTopIndex() });
  saveState();
}
