/**
 * The flow-graph webview: a virtualized sequence diagram. Only the rows in view (plus a margin)
 * exist in the DOM — a 100,000-packet graph has a few dozen row elements — and the rows come from
 * the host in pages on request (protocol: src/extension/flow/messages.ts). Everything a user reads
 * (lifeline headers, arrow labels, comments, state names, bracket labels, markers) is real DOM
 * text set with textContent; drawing is absolutely positioned divs (arrows with CSS heads, the
 * lifelines as one repeating background) coloured from --vscode-* variables only (flow.css).
 *
 * Modules, around one state object (./state.ts): ./body.ts (the scrolling layers and geometry),
 * ./rows.ts (rows, selection, keyboard), ./header.ts (lifeline headers), ./lanes.ts (bracket
 * gutter), ./zoom.ts, ./toolbar.ts (options, status, legend), ./export.ts (export buttons, PNG
 * rendering). This file lays them out and takes the host's messages.
 *
 * Layout (media/flow/layout.ts): a sticky header row with hosts over their ports, the time column
 * and the bracket gutter sticky at the left, the comment column sticky at the right, lifelines in
 * between (scrolling sideways when there are many). Keyboard: ↑/↓ (j/k) packet by packet,
 * PageUp/PageDown, Home/End, Enter reveals the packet in the source, +/− zoom (also Ctrl+wheel).
 * Scroll position, selection, zoom and options are saved with setState and restored on `ready`.
 */
import type { FlowGraphMessage, FlowUiStrings } from '../../src/extension/flow/messages';
import { el } from '../common/dom';
import { fmt } from '../common/text';
import { body, corner, emptyMsg, geom, setTop } from './body';
import { applyExportStrings, exportGroup } from './export';
import { clearRows, render, saveState, scheduleRender, scrollToRow, select } from './rows';
import { app, channel, post, saved, state } from './state';
import { applyLegendStrings, applyOptions, applyToolbarStrings, connsBox, legend, problemsLabel, renderConnsPanel, seqSelect, status, timeSelect } from './toolbar';
import { applyZoomStrings, relayout, zoomGroup } from './zoom';

const toolbar = el('div', 'flow-toolbar');
toolbar.setAttribute('role', 'toolbar');
toolbar.append(connsBox, problemsLabel, timeSelect, seqSelect, el('span', 'flow-sep'), zoomGroup, el('span', 'flow-sep'), exportGroup, status);

const notice = el('div', 'flow-notice');
notice.hidden = true;
notice.setAttribute('role', 'status');

app.append(toolbar, legend, notice, body);

function applyStrings(s: FlowUiStrings): void {
  applyToolbarStrings(s);
  applyZoomStrings(s);
  applyExportStrings(s);
  corner.textContent = s.time;
  body.setAttribute('aria-label', s.listLabel);
  emptyMsg.textContent = state.loading ? s.loading : s.empty;
  applyLegendStrings(s);
  applyOptions();
}

let noticeTimer: number | undefined;
function showNotice(text: string, severity: 'info' | 'error'): void {
  notice.textContent = text;
  notice.className = 'flow-notice ' + severity;
  notice.hidden = false;
  if (noticeTimer !== undefined) window.clearTimeout(noticeTimer);
  noticeTimer = window.setTimeout(() => (notice.hidden = true), 6000);
}

function onGraph(m: FlowGraphMessage): void {
  state.version = m.version;
  state.count = m.count;
  state.hosts = m.hosts;
  state.lifelines = m.lifelines;
  state.lanes = m.lanes;
  state.options = m.options;
  state.loading = false;
  clearRows();
  relayout();
  applyOptions();
  if (state.S) status.textContent = fmt(state.S.packets, state.count);
  state.selRow = m.selRow;
  if (state.selRow < 0) state.selIndex = -1;
  // the host found the rows of the packets we had at the top and selected (restored state, or the place before a filter)
  state.pendingTopRow = m.topRow >= 0 ? m.topRow : state.selRow;
  if (state.pendingTopRow < 0) setTop(0, geom());
  render();
}

// Messages from the host (`rows` replies go to their requests in ./rows.ts, `renderPng` to ./export.ts)
channel
  .on('init', (m) => {
    state.source = m.source;
    saveState();
    state.S = m.strings;
    state.conns = m.conns;
    state.stateHelp = m.stateHelp;
    state.markerHelp = m.markerHelp;
    state.options = m.options;
    applyStrings(m.strings);
    if (connsBox.open) renderConnsPanel();
    scheduleRender();
  })
  .on('graph', onGraph)
  .on('select', (m) => {
    if (m.version !== state.version) return;
    if (m.exact) select(m.row, { reveal: 'center' });
    else {
      scrollToRow(m.row, 'center');
      render();
    }
  })
  .on('notice', (m) => showNotice(m.text, m.severity));

post({ type: 'ready', selIndex: state.selIndex, topIndex: state.topIndex, options: saved.options ?? null });
