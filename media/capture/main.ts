/**
 * The capture editor's webview: a virtualized packet list (./list.ts: own scroller, millions of
 * rows), the details tree with explanations (./details.ts), the bytes (./bytes.ts: hex + ASCII,
 * linked both ways with the fields), the connections table (./connections.ts), the filter box
 * (./filter.ts) and the indexing progress (./status.ts), around one state object (./state.ts).
 * This file lays them out with the toolbar, and takes the host's messages. No framework; every
 * packet-derived string goes in with textContent. Protocol: src/extension/capture/webviewMessages.ts.
 */
import type { TimeFormat, UiStrings } from '../../src/extension/capture/webviewMessages';
import { el } from '../common/dom';
import { applyColumnSettings, applyColumnsStrings, columnsWrap, infoStyleSelect } from './columns';
import { renderConns, showTab, applyConnsStrings, connsPane, tabs, fillConnsPerf } from './connections';
import { applyDetailsStrings, detailsPane, renderDetails } from './details';
import { toBytes } from './fields';
import { applyFindStrings, findBar, findStep, onFindProgress, onFindResult, openFind } from './find';
import { applyBtn, applyFilter, applyFilterStrings, clearBtn, clearFilterError, filterInput, filterWrap, showFilterError } from './filter';
import { parsePacketNumber } from './format';
import { applyListStrings, clearRows, copySelection, goTo, grid, render, requestDetails, reveal, saveState, scheduleRender, scrollToTop, setColumns, setCounts, shiftDropped } from './list';
import { app, channel, droppedIn, INITIAL_COLUMNS, post, saved, state } from './state';
import { applyStatusStrings, banner, notice, showNotice, statusBar, updateStatus } from './status';

// ---------------------------------------------------------------------------------------------
// Layout

const toolbar = el('div', 'toolbar');
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
const graphsBtn = el('button', 'btn secondary');
graphsBtn.id = 'graphs';
const followBtn = el('button', 'btn secondary');
followBtn.id = 'follow-stream';
const socketsBtn = el('button', 'btn secondary');
socketsBtn.id = 'sockets-at-packet';
const findBtn = el('button', 'btn secondary');
findBtn.id = 'find';
toolbar.append(filterWrap, applyBtn, clearBtn, el('span', 'sep'), gotoInput, gotoBtn, findBtn, el('span', 'sep'), timeSelect, infoStyleSelect, columnsWrap, textBtn, copyBtn, flowBtn, followBtn, graphsBtn, socketsBtn);

const splitter = el('div', 'splitter');
splitter.setAttribute('role', 'separator');
splitter.setAttribute('aria-orientation', 'horizontal');

const bottom = el('div', 'bottom');
bottom.append(tabs, detailsPane, connsPane);

app.append(toolbar, findBar, statusBar, banner, grid, splitter, bottom, notice);

/** Localized static texts (after init). */
function applyStrings(s: UiStrings): void {
  applyListStrings(s);
  applyColumnsStrings(s);
  applyFilterStrings(s);
  gotoInput.placeholder = s.goToPlaceholder;
  gotoInput.setAttribute('aria-label', s.goToPlaceholder);
  gotoBtn.textContent = s.goToPacket;
  textBtn.textContent = s.openAsText;
  copyBtn.textContent = s.copyTcpdump;
  flowBtn.textContent = s.flowGraph;
  flowBtn.title = s.flowGraphHint;
  graphsBtn.textContent = s.graphs;
  graphsBtn.title = s.graphsHint;
  socketsBtn.textContent = s.sockets;
  socketsBtn.title = s.socketsHint;
  followBtn.textContent = s.followStream;
  followBtn.title = s.followHint;
  findBtn.textContent = s.find;
  findBtn.title = s.findHint;
  applyFindStrings(s);
  applyConnsStrings(s);
  timeSelect.textContent = '';
  for (const [v, label] of [['relative', s.timeRelative], ['absolute', s.timeAbsolute], ['delta', s.timeDelta]] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    timeSelect.append(o);
  }
  timeSelect.value = state.timeFormat;
  timeSelect.setAttribute('aria-label', s.colTime);
  applyStatusStrings(s);
  applyDetailsStrings(s);
  showTab(state.tab);
}

// ---------------------------------------------------------------------------------------------
// Toolbar and splitter

gotoInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    goTo(parsePacketNumber(gotoInput.value));
  }
});
gotoBtn.addEventListener('click', () => goTo(parsePacketNumber(gotoInput.value)));
textBtn.addEventListener('click', () => post({ type: 'command', command: 'openAsText' }));
flowBtn.addEventListener('click', () => post({ type: 'command', command: 'flowGraph' }));
graphsBtn.addEventListener('click', () => post({ type: 'command', command: 'graphs' }));
socketsBtn.addEventListener('click', () => post({ type: 'command', command: 'socketsAtPacket' }));
copyBtn.addEventListener('click', copySelection);
findBtn.addEventListener('click', openFind);
followBtn.addEventListener('click', () => post(state.selIndex >= 0 ? { type: 'follow', packet: state.selIndex } : { type: 'follow' }));
timeSelect.addEventListener('change', () => {
  const v = timeSelect.value as TimeFormat;
  state.timeFormat = v;
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
// Messages from the host (`rows` replies go to their requests in ./list.ts)

channel
  .on('init', (m) => {
    state.S = m.strings;
    state.timeFormat = m.timeFormat;
    state.infoStyle = m.infoStyle ?? 'tcpdump';
    state.columns = [...(m.columns ?? INITIAL_COLUMNS)];
    state.progress = m.progress;
    applyStrings(m.strings);
    setColumns(state.columns);
    setCounts(m.count, undefined);
    if (filterInput.value.trim() !== '') {
      // restore the saved filter; selection and scroll follow once its result arrives
      applyFilter();
    }
    updateStatus();
    scheduleRender();
  })
  .on('progress', (m) => {
    const becameFinal = m.progress.statesFinal === true && state.progress?.statesFinal !== true;
    // the ring limit dropped rows from the top of this view: the selection and scroll move with their packets
    const dropped = droppedIn(m.progress, state.view) - droppedIn(state.progress, state.view);
    state.progress = m.progress;
    if (dropped > 0) shiftDropped(dropped);
    if (m.progress.cancelled) state.cancelled = true;
    if (becameFinal) {
      // States and analysis are final now: fetch the rows on screen (and the details) again.
      clearRows();
      if (state.selIndex >= 0) requestDetails(true);
      scheduleRender();
    }
    if (m.view === undefined || m.view === state.view) setCounts(m.count, m.viewCount);
    else setCounts(m.count, undefined);
    if (m.progress.done && state.tab === 'conns') post({ type: 'conns' });
    else if (m.progress.done) state.connsRequested = false;
    else if (m.progress.following) followConns();
    updateStatus();
  })
  .on('details', (m) => {
    if (m.index === state.selIndex) renderDetails(m.tree, toBytes(m.bytes));
  })
  .on('filter', (m) => {
    if (!m.result.ok) {
      showFilterError(m.result.error, m.result.at);
      return;
    }
    clearFilterError();
    // The first result of the saved filter restores the saved selection and scroll position.
    const restoring = !state.filterRestored && m.expr.trim() !== '' && m.expr.trim() === (saved.filter ?? '').trim();
    state.filterRestored = true;
    state.appliedFilter = m.expr.trim();
    state.view = m.result.view;
    clearRows();
    state.viewCount = -1; // force setCounts to see a change
    if (!restoring) {
      state.selPos = -1;
      state.anchorPos = -1;
      state.pendingSelPos = -1;
      state.pendingTopRow = -1;
      scrollToTop();
    }
    setCounts(state.total, m.result.count);
    if (state.view === 0 && m.result.count > state.total) setCounts(m.result.count, undefined);
    if (state.pendingGoTo > 0 && state.view === 0) {
      const no = state.pendingGoTo;
      state.pendingGoTo = -1;
      goTo(no);
    }
    updateStatus();
    saveState();
    scheduleRender();
  })
  .on('conns', (m) => {
    state.conns = m.conns;
    renderConns(m.conns);
  })
  .on('connsPerf', (m) => fillConnsPerf(m.cells))
  .on('settings', (m) => {
    state.timeFormat = m.timeFormat;
    timeSelect.value = m.timeFormat;
    applyColumnSettings(m.infoStyle, m.columns);
    scheduleRender();
  })
  .on('notice', (m) => showNotice(m.text, m.severity))
  .on('goTo', (m) => goTo(m.packet))
  .on('marks', (m) => {
    state.marked = new Set(m.indices);
    render();
  })
  .on('findOpen', () => openFind())
  .on('findStep', (m) => findStep(m.backwards, m.problem === true))
  .on('findResult', onFindResult)
  .on('findProgress', onFindProgress)
  .on('setFilter', (m) => {
    filterInput.value = m.expr;
    applyFilter();
  })
  .on('reveal', (m) => reveal(m.index));

/**
 * Follow mode (issue 16): the connections table is asked for again at most once a second while
 * the file grows (each answer summarizes every connection: a second keeps that off the hot path).
 */
let connsAt = 0;
function followConns(): void {
  if (state.tab === 'conns') {
    const now = Date.now();
    if (now - connsAt >= 1000) {
      connsAt = now;
      post({ type: 'conns' });
    }
  } else state.connsRequested = false;
}

// Restore the selection without a filter right away (with a filter: after its result).
if ((saved.filter ?? '').trim() !== '') {
  /* the init handler applies the filter */
} else if (typeof saved.selIndex === 'number' && saved.selIndex >= 0) {
  state.pendingSelPos = saved.selIndex;
}
post({ type: 'ready' });
