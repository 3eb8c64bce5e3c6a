/**
 * The flow-graph panel's host ↔ webview protocol: one interface per message, readable string
 * `type` fields, one union per direction, the request → reply map (FLOW_REPLIES, for
 * src/core/messaging.ts at both ends) and `parseFromWebview`, the check the host runs on every
 * message it receives (a webview is untrusted input). Types, constants and validation only (the
 * host's message builders are in ./graphMessages.ts): imported by the panel (./panel.ts) and, as
 * types, by the webview bundle (media/flow/).
 *
 * Handshake: the webview posts `ready` (with what it had saved with setState: selection and top
 * row as packet numbers) once it listens; the host answers with `init` (localized strings, the
 * connections, the options), then `graph` (the lifelines and the row count of a graph version).
 * The webview asks for windows of rows (`rows`, with an `id` the answer repeats and the graph
 * `version`: answers of an older version are dropped); it never gets every row at once. The host
 * asks the webview for one thing: `renderPng`, answered by `png`.
 */
import type { FlowTimeMode } from '../../core/flow/model';
import type { FlowRowKind } from '../../core/flow/view';

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
  /** "FTP-DATA" when the capture names the connection's application elsewhere. */
  app?: string;
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
  /** Its connection's application when named elsewhere in the capture ("FTP-DATA"). */
  app?: string;
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
/** Follow TCP Stream of an arrow's packet (double click, or F on the selected arrow). */
export interface FlowFollowMessage {
  type: 'follow';
  index: number;
}
export type FlowFromWebview =
  | FlowFollowMessage
  | FlowReadyMessage
  | FlowRowsRequest
  | FlowRevealMessage
  | FlowSelectedMessage
  | FlowOptionsMessage
  | FlowViewportMessage
  | FlowExportRequest
  | FlowPngMessage;

/** Request → reply types, both ways (src/core/messaging.ts). The webview spells it out again (it may import only types from here), checked against this type. */
export const FLOW_REPLIES = { rows: 'rows', renderPng: 'png' } as const satisfies {
  rows: FlowToWebview['type'];
  renderPng: FlowFromWebview['type'];
};
export type FlowReplies = typeof FLOW_REPLIES;

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
    case 'follow':
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
