/**
 * The flow panel's host-side message builders (pure: the panel passes vscode.l10n.t, the benchmark
 * scripts/bench-flow.ts and the tests formatEn, so they answer the webview exactly as the panel
 * does): the webview's UI strings, state and marker help, the `graph` message of a graph version
 * and the windows of rows. The protocol itself is ./messages.ts.
 */
import { bracketsIn, markersIn, rowAtOrAfter, rowOfIndex, stateBoxesIn, timeText, type FlowGraph, type FlowTimeMode } from '../../core/flow/model';
import { rowKind } from '../../core/flow/view';
import { toPlainText } from '../../core/explain/explanation';
import type { Translate } from '../../core/explain/l10n';
import { explainAnalysis, explainState } from '../../core/explain/tcp';
import { ANALYSIS_NAMES, TCP_STATES } from '../../core/tcp/types';
import type { FlowBracketData, FlowGraphMessage, FlowOptionsState, FlowRowData, FlowRowsMessage, FlowUiStrings } from './messages';

/** Every UI string of the webview, translated. */
export function uiStrings(t: Translate): FlowUiStrings {
  return {
    title: t('Flow graph'),
    loading: t('Drawing the flow graph…'),
    empty: t('No TCP packets to draw.'),
    time: t('Time'),
    connections: t('Connections'),
    allConnections: t('All connections'),
    someConnections: t('{0} of {1} connections'),
    connItem: t('#{0} {1} → {2} · {3} packets · {4} problems'),
    problemsOnly: t('Problems only'),
    timeRelative: t('Seconds since the first packet'),
    timeAbsolute: t('Time of day (UTC)'),
    timeDelta: t('Seconds since the previous packet'),
    seqRelative: t('Relative seq'),
    seqAbsolute: t('Absolute seq'),
    zoomIn: t('Zoom in'),
    zoomOut: t('Zoom out'),
    exportSvg: t('Export SVG…'),
    exportPng: t('Export PNG…'),
    copyText: t('Copy as text'),
    legend: t('Legend'),
    legendSyn: t('SYN'),
    legendFin: t('FIN'),
    legendRst: t('RST'),
    legendWarn: t('Analysis warning'),
    legendState: t('State change'),
    legendBracket: t('Handshake / teardown'),
    listLabel: t('Flow graph: one arrow per packet'),
    rowLabel: t('Packet {0}, {1}: {2} to {3}, {4}, {5}'),
    stateChange: t('{0}: {1} → {2}'),
    packets: t('{0} packets'),
    inferred: t('Inferred: the capture starts in the middle of this connection.'),
  };
}

/** A bracket's label from the model (English) in the user's language. */
export function bracketLabel(label: string, t: Translate): string {
  switch (label) {
    case 'Three-way handshake': return t('Three-way handshake');
    case 'Handshake (not completed)': return t('Handshake (not completed)');
    case 'Simultaneous open': return t('Simultaneous open');
    case 'Four-way teardown': return t('Four-way teardown');
    case 'Three-way teardown': return t('Three-packet teardown');
    case 'Simultaneous close': return t('Simultaneous close');
    default: return label;
  }
}

/** Tooltip text of each TCP state (the explanations catalogue). */
export function stateHelp(t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of TCP_STATES) out[s] = toPlainText(explainState(s, t));
  return out;
}

/** Short name and tooltip of each marker kind (analysis flags and RST). */
export function markerHelp(t: Translate): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const n of ANALYSIS_NAMES) {
    const e = explainAnalysis(n, t);
    out[n] = [e.title, toPlainText(e)];
  }
  out.rst = [t('Reset (RST)'), t('Reset (RST): the sender aborts the connection; both sides drop it at once, without a teardown.')];
  return out;
}

/**
 * The `graph` message of a graph version: lifelines and hosts, the gutter's lanes, and the rows of
 * the packets `selIndex` / `topIndex` (-1 when absent; the top falls on the next packet shown).
 */
export function graphMessage(g: FlowGraph, lanes: readonly number[], version: number, options: FlowOptionsState, selIndex: number, topIndex: number): FlowGraphMessage {
  const selRow = selIndex >= 0 ? rowOfIndex(g, selIndex) : -1;
  let topRow = -1;
  if (topIndex >= 0 && g.ordered && g.arrows.length > 0) topRow = Math.min(rowAtOrAfter(g, topIndex), g.arrows.length - 1);
  if (topRow < 0) topRow = selRow;
  return {
    type: 'graph',
    version,
    count: g.arrows.length,
    hosts: g.hosts.map((h) => ({ addr: h.addr, lifelines: h.lifelines })),
    lifelines: g.lifelines.map((l) => ({ label: l.label, port: String(l.port), host: l.host, role: l.role, ...(l.app ? { app: l.app } : {}) })),
    lanes: lanes.reduce((m, l) => Math.max(m, l + 1), 0),
    options,
    selRow,
    topRow,
  };
}

/**
 * The rows start..start+count-1 of a graph (clipped to it) with their state boxes, markers and
 * the brackets overlapping them that have a lane (`lanes[i]` of graph.brackets[i]).
 */
export function rowsWindow(g: FlowGraph, lanes: readonly number[], start: number, count: number, time: FlowTimeMode, t: Translate): Pick<FlowRowsMessage, 'start' | 'rows' | 'states' | 'markers' | 'brackets'> {
  const a = g.arrows;
  const s = Math.max(0, Math.min(start, a.length));
  const end = Math.min(a.length, s + Math.max(0, count));
  const rows: FlowRowData[] = [];
  for (let r = s; r < end; r++) {
    const x = a[r];
    rows.push({ row: r, index: x.index, stream: x.stream, from: x.from, to: x.to, time: timeText(g, r, time), label: x.label, comment: x.comment, step: x.step, kind: rowKind(x.flags, x.analysis) });
  }
  if (end <= s) return { start: s, rows, states: [], markers: [], brackets: [] };
  const last = end - 1;
  const ids = new Map(g.brackets.map((b, i) => [b, i] as const));
  const brackets: FlowBracketData[] = [];
  for (const b of bracketsIn(g, s, last)) {
    const id = ids.get(b) ?? -1;
    const lane = lanes[id] ?? -1;
    if (lane < 0) continue;
    brackets.push({ id, stream: b.stream, kind: b.kind, label: bracketLabel(b.label, t), firstRow: b.firstRow, lastRow: b.lastRow, lane });
  }
  return {
    start: s,
    rows,
    states: stateBoxesIn(g, s, last).map((b) => ({ row: b.row, lifeline: b.lifeline, state: b.state, from: b.from, inferred: b.inferred })),
    markers: markersIn(g, s, last).map((k) => ({ row: k.row, lifeline: k.lifeline, kind: k.kind })),
    brackets,
  };
}
