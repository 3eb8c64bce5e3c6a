/**
 * The flow-graph panel's host ↔ webview protocol: one interface per message, readable string
 * `type` fields, one union per direction, and `parseFromWebview`, the check the host runs on every
 * message it receives (a webview is untrusted input). Pure (no vscode, no DOM): imported by the
 * panel (src/extension/flow/panel.ts) and by the webview bundle (media/flow/main.ts).
 *
 * Handshake: the webview posts `ready` (with what it had saved with setState: selection and top
 * row as packet numbers) once it listens; the host answers with `init` (localized strings, the
 * connections, the options), then `graph` (the lifelines and the row count of a graph version).
 * The webview asks for windows of rows (`rows`, with an `id` the answer repeats and the graph
 * `version`: answers of an older version are dropped); it never gets every row at once.
 *
 * The host-side builders at the end (uiStrings, graphMessage, rowsWindow …) are pure too, so the
 * benchmark (scripts/bench-flow.ts) answers the webview exactly as the panel does; they take the
 * translator (vscode.l10n.t in the panel, formatEn in the benchmark and tests).
 */
import { bracketsIn, markersIn, rowAtOrAfter, rowOfIndex, stateBoxesIn, timeText, type FlowGraph, type FlowTimeMode } from '../../core/flow/model';
import { rowKind, type FlowRowKind } from '../../core/flow/view';
import { toPlainText } from '../../core/explain/explanation';
import type { Translate } from '../../core/explain/l10n';
import { explainAnalysis, explainState } from '../../core/explain/tcp';
import { ANALYSIS_NAMES, TCP_STATES } from '../../core/tcp/types';

/** Every string the webview shows that is not packet data (translated by the host). */
export interface FlowUiStrings {
  title: string;
  loading: string;
  empty: string;
  time: string;
  connections: string;
  allConnections: string;
  /** "{0} of {1} connections". */
  someConnections: string;
  /** "#{0} {1} → {2} · {3} packets · {4} problems". */
  connItem: string;
  problemsOnly: string;
  timeRelative: string;
  timeAbsolute: string;
  timeDelta: string;
  seqRelative: string;
  seqAbsolute: string;
  zoomIn: string;
  zoomOut: string;
  exportSvg: string;
  exportPng: string;
  copyText: string;
  legend: string;
  legendSyn: string;
  legendFin: string;
  legendRst: string;
  legendWarn: string;
  legendState: string;
  legendBracket: string;
  listLabel: string;
  /** Row aria-label: "Packet {0}, {1}: {2} to {3}, {4}, {5}". */
  rowLabel: string;
  /** State box title: "{0}: {1} → {2}" (endpoint, from, to). */
  stateChange: string;
  /** "{0} packets", in the status line. */
  packets: string;
  /** "Inferred: the capture starts in the middle of this connection." */
  inferred: string;
}

/** One connection in the connection filter (FlowConnInfo). */
export interface FlowConnItem {
  stream: number;
  client: string;
  server: string;
  packets: number;
  problems: number;
}

/** What the user chose: connections (null = all), problems only, time column, sequence numbers. */
export interface FlowOptionsState {
  streams: number[] | null;
  problemsOnly: boolean;
  time: FlowTimeMode;
  absolute: boolean;
}

/** A lifeline header. */
export interface FlowLifelineData {
  label: string;
  /** Port alone ("443"), under its host's name. */
  port: string;
  host: number;
  role: 'client' | 'server';
}

export interface FlowHostData {
  addr: string;
  lifelines: number[];
}

/** One row (arrow) as the webview draws it. Packet-derived strings are set as text. */
export interface FlowRowData {
  row: number;
  /** Packet number (0-based; shown 1-based). */
  index: number;
  stream: number;
  from: number;
  to: number;
  /** Time column text in the current time mode. */
  time: string;
  label: string;
  comment: string;
  /** Handshake/teardown step ("handshake 2/3"), '' when none. */
  step: string;
  kind: FlowRowKind;
}

export interface FlowStateData {
  row: number;
  lifeline: number;
  state: string;
  from: string;
  inferred: boolean;
}

export interface FlowMarkerData {
  row: number;
  lifeline: number;
  kind: string;
}

export interface FlowBracketData {
  /** Position in the graph's bracket list (stable key). */
  id: number;
  stream: number;
  kind: 'handshake' | 'teardown';
  /** Translated label. */
  label: string;
  firstRow: number;
  lastRow: number;
  /** Gutter lane (0 = next to the time column). Brackets without a lane are not sent. */
  lane: number;
}

// ---------------------------------------------------------------------------------------------
// Host → webview

export interface FlowInitMessage {
  type: 'init';
  /** What the graph is drawn from: the webview keeps it in its state, so a reloaded window can draw it again. */
  source: FlowSourceRef;
  strings: FlowUiStrings;
  conns: FlowConnItem[];
  options: FlowOptionsState;
  /** State name → plain-text explanation (title, then sentences), translated. */
  stateHelp: Record<string, string>;
  /** Marker kind → [short name, plain-text explanation], translated. */
  markerHelp: Record<string, [string, string]>;
}

/** A flow graph's source as saved with the webview's state. */
export interface FlowSourceRef {
  uri: string;
  kind: 'capture' | 'log';
}

export interface FlowGraphMessage {
  type: 'graph';
  version: number;
  count: number;
  hosts: FlowHostData[];
  lifelines: FlowLifelineData[];
  /** Bracket lanes in use (gutter width). */
  lanes: number;
  options: FlowOptionsState;
  /** Rows to select and to show at the top (-1: none), from the packet numbers the webview sent. */
  selRow: number;
  topRow: number;
}

export interface FlowRowsMessage {
  type: 'rows';
  id: number;
  version: number;
  start: number;
  rows: FlowRowData[];
  states: FlowStateData[];
  markers: FlowMarkerData[];
  brackets: FlowBracketData[];
}

/** The source selected packet `index`: select `row` (or show `row` without selecting when not exact). */
export interface FlowSelectMessage {
  type: 'select';
  version: number;
  index: number;
  row: number;
  exact: boolean;
}

/** Render this SVG to a PNG of width × height (px) and answer with `png` and the same id. */
export interface FlowRenderPngMessage {
  type: 'renderPng';
  id: number;
  svg: string;
  width: number;
  height: number;
}

export interface FlowNoticeMessage {
  type: 'notice';
  text: string;
  severity: 'info' | 'error';
}

export type FlowToWebview = FlowInitMessage | FlowGraphMessage | FlowRowsMessage | FlowSelectMessage | FlowRenderPngMessage | FlowNoticeMessage;

// ---------------------------------------------------------------------------------------------
// Webview → host

export interface FlowReadyMessage {
  type: 'ready';
  /** Packet numbers the restored webview had selected and at its top (-1: none). */
  selIndex: number;
  topIndex: number;
  /** Options it had saved (null: none; the host's own options win when it has any). */
  options: FlowOptionsState | null;
}
export interface FlowRowsRequest {
  type: 'rows';
  id: number;
  version: number;
  start: number;
  count: number;
}
/** The user chose packet `index` (click, Enter): reveal it in the source. */
export interface FlowRevealMessage {
  type: 'reveal';
  index: number;
}
/** The selection moved (keyboard); the host remembers it for exports and re-filtering. */
export interface FlowSelectedMessage {
  type: 'selected';
  index: number;
}
/** New options; selIndex/topIndex keep the place after the graph is rebuilt. */
export interface FlowOptionsMessage {
  type: 'options';
  options: FlowOptionsState;
  selIndex: number;
  topIndex: number;
}
/** The first row in view (the host exports from there when the graph is too big). */
export interface FlowViewportMessage {
  type: 'viewport';
  first: number;
  count: number;
}
export interface FlowExportRequest {
  type: 'export';
  format: 'svg' | 'png' | 'text';
}
export interface FlowPngMessage {
  type: 'png';
  id: number;
  /** The PNG file, base64 (canvas.toDataURL without its prefix: survives any message serialization), or absent with `error`. */
  base64?: string;
  error?: string;
}
export type FlowFromWebview =
  | FlowReadyMessage
  | FlowRowsRequest
  | FlowRevealMessage
  | FlowSelectedMessage
  | FlowOptionsMessage
  | FlowViewportMessage
  | FlowExportRequest
  | FlowPngMessage;

/** Bracket lanes the gutter has at most (defined with the grid, which the webview imports). */
export { FLOW_MAX_LANES } from '../../core/flow/grid';

/** Most rows a `rows` request gets. */
export const MAX_ROWS_PER_REQUEST = 1000;

const TIME_MODES: readonly string[] = ['relative', 'absolute', 'delta'];

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isInt(x: unknown, min = -1): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min;
}

/** Checked options, or null when malformed. */
export function parseOptions(x: unknown): FlowOptionsState | null {
  if (!isObj(x)) return null;
  const { streams, problemsOnly, time, absolute } = x;
  if (streams !== null && !(Array.isArray(streams) && streams.length <= 1_000_000 && streams.every((s) => isInt(s, 0)))) return null;
  if (typeof problemsOnly !== 'boolean' || typeof absolute !== 'boolean' || typeof time !== 'string' || !TIME_MODES.includes(time)) return null;
  return { streams: streams === null ? null : [...new Set(streams as number[])].sort((a, b) => a - b), problemsOnly, time: time as FlowTimeMode, absolute };
}

/** The message as a FlowFromWebview when it is well formed (counts clamped), otherwise null. */
export function parseFromWebview(m: unknown): FlowFromWebview | null {
  if (!isObj(m) || typeof m.type !== 'string') return null;
  switch (m.type) {
    case 'ready': {
      const options = m.options === null || m.options === undefined ? null : parseOptions(m.options);
      return { type: 'ready', selIndex: isInt(m.selIndex) ? m.selIndex : -1, topIndex: isInt(m.topIndex) ? m.topIndex : -1, options };
    }
    case 'rows':
      if (!isInt(m.id, 0) || !isInt(m.version, 0) || !isInt(m.start, 0) || !isInt(m.count, 0)) return null;
      return { type: 'rows', id: m.id, version: m.version, start: m.start, count: Math.min(m.count, MAX_ROWS_PER_REQUEST) };
    case 'reveal':
    case 'selected':
      return isInt(m.index, 0) ? { type: m.type, index: m.index } : null;
    case 'options': {
      const options = parseOptions(m.options);
      if (!options) return null;
      return { type: 'options', options, selIndex: isInt(m.selIndex) ? m.selIndex : -1, topIndex: isInt(m.topIndex) ? m.topIndex : -1 };
    }
    case 'viewport':
      return isInt(m.first, 0) && isInt(m.count, 0) ? { type: 'viewport', first: m.first, count: m.count } : null;
    case 'export':
      return m.format === 'svg' || m.format === 'png' || m.format === 'text' ? { type: 'export', format: m.format } : null;
    case 'png': {
      if (!isInt(m.id, 0)) return null;
      if (typeof m.base64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(m.base64)) return { type: 'png', id: m.id, base64: m.base64 };
      return { type: 'png', id: m.id, error: typeof m.error === 'string' ? m.error.slice(0, 500) : 'no data' };
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Host-side builders (pure: the panel passes vscode.l10n.t, the benchmark and tests formatEn)

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
    lifelines: g.lifelines.map((l) => ({ label: l.label, port: String(l.port), host: l.host, role: l.role })),
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
