/**
 * The capture editor's host ↔ webview protocol: one interface per message, readable string `type`
 * fields, one union per direction, the request → reply map and the validation of what the webview
 * sends. Types, constants and validation only (no vscode, no DOM): imported by the provider
 * (src/extension/capture/editorProvider.ts) and, as types, by the webview bundle (media/capture/).
 *
 * Handshake: the webview posts `ready` once it listens; the host answers once with `init`
 * (settings, localized strings, the packet count so far), then streams `progress`.
 * Requests that expect an answer carry an `id` the answer repeats (rows, CAPTURE_REPLIES: matched by
 * src/core/messaging.ts at both ends); others are answered by the latest message of their type
 * (details, filter, conns).
 */
import type { FilterResult, FindResult, IndexProgress, PacketRow } from '../../worker/api';
import { FIND_MODES, FIND_SCOPES, type FindMode, type FindQuery, type FindScope } from '../../core/find/query';
import type { ConnJson } from '../../core/tcp/json';
import type { ConnPerfCells } from '../../worker/api';
import type { VerdictView } from '../../core/explain/perf';

export type TimeFormat = 'relative' | 'absolute' | 'delta';

/** The Info column's wording (setting captureLens.infoStyle): tcpdump's line, or Wireshark's Info. */
export type InfoStyle = 'tcpdump' | 'wireshark';
export const INFO_STYLES: readonly InfoStyle[] = ['tcpdump', 'wireshark'];

/**
 * The packet list's columns (the column chooser: shown ones, in order; remembered per workspace).
 * 'delta': seconds since the previous packet, whatever the Time column's format; 'states': both
 * ends' TCP states after the packet; 'app': the application protocol of the payload.
 */
export type ColumnId = 'no' | 'time' | 'delta' | 'src' | 'dst' | 'proto' | 'length' | 'stream' | 'states' | 'app' | 'info';
export const COLUMN_IDS: readonly ColumnId[] = ['no', 'time', 'delta', 'src', 'dst', 'proto', 'length', 'stream', 'states', 'app', 'info'];
/** What a new workspace shows: the list as it was before the chooser (states were then a part of Info). */
export const DEFAULT_COLUMNS: readonly ColumnId[] = ['no', 'time', 'src', 'dst', 'proto', 'length', 'info', 'states'];

/** The column list when `x` is a valid one (known ids, each once, at least one), else null. */
export function parseColumns(x: unknown): ColumnId[] | null {
  if (!Array.isArray(x) || x.length === 0 || x.length > COLUMN_IDS.length) return null;
  const out: ColumnId[] = [];
  for (const c of x) {
    if (typeof c !== 'string' || !(COLUMN_IDS as readonly string[]).includes(c) || out.includes(c as ColumnId)) return null;
    out.push(c as ColumnId);
  }
  return out;
}

/** Every string the webview shows that is not packet data (translated by the host with vscode.l10n.t). */
export interface UiStrings {
  colNo: string;
  colTime: string;
  colSource: string;
  colDestination: string;
  colProtocol: string;
  colLength: string;
  colInfo: string;
  colDelta: string;
  colStream: string;
  colStates: string;
  colApp: string;
  /** The column chooser: its button, its title, move buttons; the Info wording choice and its two options. */
  columns: string;
  columnsTitle: string;
  moveUp: string;
  moveDown: string;
  infoStyle: string;
  infoStyleTcpdump: string;
  infoStyleWireshark: string;
  filterPlaceholder: string;
  filterApply: string;
  filterClear: string;
  tabDetails: string;
  tabConnections: string;
  openAsText: string;
  copyTcpdump: string;
  goToPacket: string;
  goToPlaceholder: string;
  flowGraph: string;
  flowGraphHint: string;
  sockets: string;
  socketsHint: string;
  cancel: string;
  /** "{0} packets" etc. are formatted by the webview: placeholders {0}, {1}. */
  indexing: string;
  /** Follow mode (issue 16): the status line while the file grows, and the button that stops following. */
  following: string;
  stopFollowing: string;
  /** The ring limit dropped older packets (src/worker/liveIndex.ts): while following, and after. */
  followingRing: string;
  ringDropped: string;
  indexed: string;
  cancelled: string;
  packetsShown: string;
  damaged: string;
  notCapture: string;
  readFailed: string;
  reopenText: string;
  noSelection: string;
  noField: string;
  bytesHover: string;
  legendSyn: string;
  legendFin: string;
  legendRst: string;
  legendWarn: string;
  legendBad: string;
  timeRelative: string;
  timeAbsolute: string;
  timeDelta: string;
  connStream: string;
  connClient: string;
  connServer: string;
  connState: string;
  connHistory: string;
  connFinal: string;
  connPackets: string;
  connBytes: string;
  connDuration: string;
  connProblems: string;
  connNone: string;
  connHint: string;
  states: string;
  copied: string;
  listLabel: string;
  detailsLabel: string;
  bytesLabel: string;
  /** Issue 14: the Graphs button, and the Connections tab's performance columns. */
  graphs: string;
  graphsHint: string;
  connRtt: string;
  connThroughput: string;
  connRetx: string;
  /** "Graphs of connection {0}" (a row's button label for screen readers). */
  connGraphsOf: string;
  /** The "Limited by" column, and the performance section under the table ({0}: the stream). */
  connLimitedBy: string;
  connPerfTitle: string;
  connPerfHint: string;
  connPerfPending: string;
  connPerfNone: string;
  /** "What to change: {0}", "packet {0}" (an evidence packet's button: selects it). */
  connPerfAdvice: string;
  connPerfPacket: string;
  /** Follow TCP Stream (toolbar button, and a button on each connection row). */
  followStream: string;
  followHint: string;
  /** Find in the capture (issue 17): the find bar's parts and its status line ({0}: a number). */
  find: string;
  findHint: string;
  findPlaceholder: string;
  findHexPlaceholder: string;
  findRegexPlaceholder: string;
  findModeText: string;
  findModeHex: string;
  findModeRegex: string;
  findScopeBytes: string;
  findScopeInfo: string;
  findCase: string;
  findNext: string;
  findPrev: string;
  findClose: string;
  findSearching: string;
  findNotFound: string;
  findWrappedEnd: string;
  findWrappedStart: string;
  findNoProblem: string;
  /** Said of a marked row (its aria-description), and the legend's word. */
  marked: string;
  findCancelled: string;
}

/** A node of the details tree as the webview shows it: the decoder's FieldNode plus its explanation. */
export interface DetailNode {
  name: string;
  /** What a person reads ("Time to Live: 64"). Packet-derived: set as text. */
  label: string;
  /** Byte range in the frame (length 0: no bytes, e.g. the engine's verdicts). */
  offset: number;
  length: number;
  /** Plain-text explanation (title, then sentences), already translated; '' when none. */
  explain: string;
  /** 'error' | 'warning' | 'info' when the node or a note marks a problem. */
  severity?: 'error' | 'warning' | 'info';
  children?: DetailNode[];
}

// ---------------------------------------------------------------------------------------------
// Host → webview

export interface InitMessage {
  type: 'init';
  fileName: string;
  strings: UiStrings;
  timeFormat: TimeFormat;
  /** The Info wording (absent from older hosts: tcpdump's). */
  infoStyle?: InfoStyle;
  /** The columns shown, in order (absent: DEFAULT_COLUMNS). */
  columns?: ColumnId[];
  progress: IndexProgress;
  /** Packets indexed so far (view 0, the whole file). */
  count: number;
}
export interface ProgressMessage {
  type: 'progress';
  progress: IndexProgress;
  /** Packets in the whole file so far. */
  count: number;
  /** The filtered view the webview asked for last and its count (absent when unfiltered). */
  view?: number;
  viewCount?: number;
}
export interface RowsMessage {
  type: 'rows';
  id: number;
  view: number;
  start: number;
  rows: PacketRow[];
}
export interface DetailsMessage {
  type: 'details';
  index: number;
  tree: DetailNode;
  /** The frame's bytes (an ArrayBuffer-backed view; older hosts may send a plain array). */
  bytes: Uint8Array;
  tcpdump: string;
}
export interface FilterResultMessage {
  type: 'filter';
  expr: string;
  result: FilterResult;
}
export interface ConnsMessage {
  type: 'conns';
  conns: ConnJson[];
}
export interface SettingsMessage {
  type: 'settings';
  timeFormat: TimeFormat;
  infoStyle?: InfoStyle;
  /** The columns changed in another capture editor of this workspace. */
  columns?: ColumnId[];
}
export interface NoticeMessage {
  type: 'notice';
  text: string;
  severity: 'info' | 'error';
}
/** The marked packets (Wireshark's Ctrl+M; 0-based indices, sorted): the rows show them, Export Packets takes them. */
export interface MarksMessage {
  type: 'marks';
  indices: number[];
}
/** A VS Code command asked the webview to act (e.g. "Go to Packet…" from the palette). */
export interface GoToMessage {
  type: 'goTo';
  /** 1-based packet number. */
  packet: number;
}
/** The flow graph chose a packet: select it (in the filtered list when it is there) without taking the focus. */
export interface RevealMessage {
  type: 'reveal';
  /** 0-based packet index in the file. */
  index: number;
}
/** A connection's performance cells with the words the host made of them (the webview has no translator). */
export interface ConnPerfView extends ConnPerfCells {
  /** "receiver window 72 %" ('-' when nothing limited a sender), and which sender ("client → server"). */
  limitedByText: string;
  limitedByWho: string;
  verdictViews: VerdictView[];
}
/** The Connections tab's RTT / throughput / retransmission / limited-by cells and verdicts (after `conns`: one more pass over the file). */
export interface ConnsPerfMessage {
  type: 'connsPerf';
  cells: ConnPerfView[];
}
/** Ctrl+F (the keybinding, the title bar): show the find bar and put the focus in it. */
export interface FindOpenMessage {
  type: 'findOpen';
}
/** F8 / Shift+F8 (next / previous problem) and the palette's Find Next / Previous: one step from the selection. */
export interface FindStepMessage {
  type: 'findStep';
  backwards: boolean;
  /** The next packet the list marks as a problem, rather than the find bar's pattern. */
  problem?: boolean;
}
/** What a find came to; `error`: why the query cannot run or the search failed, in the reader's language. */
export interface FindResultMessage {
  type: 'findResult';
  seq: number;
  /** The view it searched (the webview ignores a result for a view it has left). */
  view: number;
  result: FindResult;
  error?: string;
}
export interface FindProgressMessage {
  type: 'findProgress';
  seq: number;
  searched: number;
  total: number;
}
/** Put this expression in the filter box and apply it (the context menu's "Filter on this connection"). */
export interface SetFilterMessage {
  type: 'setFilter';
  expr: string;
}
export type ToWebview =
  | FindOpenMessage
  | FindStepMessage
  | FindResultMessage
  | FindProgressMessage
  | SetFilterMessage
  | ConnsPerfMessage
  | InitMessage
  | ProgressMessage
  | RowsMessage
  | DetailsMessage
  | FilterResultMessage
  | ConnsMessage
  | SettingsMessage
  | NoticeMessage
  | GoToMessage
  | MarksMessage
  | RevealMessage;

// ---------------------------------------------------------------------------------------------
// Webview → host

export interface ReadyMessage {
  type: 'ready';
}
export interface RowsRequest {
  type: 'rows';
  id: number;
  /** 0: every packet; otherwise a view from a FilterResult. */
  view: number;
  start: number;
  count: number;
}
export interface SelectMessage {
  type: 'select';
  /** 0-based packet index in the file. */
  index: number;
}
export interface FilterRequest {
  type: 'filter';
  /** '' clears the filter (view 0). */
  expr: string;
}
export interface ConnsRequest {
  type: 'conns';
}
export interface CancelMessage {
  type: 'cancel';
}
export interface CopyRequest {
  type: 'copy';
  /** 0-based packet indices in the file. */
  indices: number[];
}
export interface CommandRequest {
  type: 'command';
  /** socketsAtPacket: "Sockets at this packet" for the packet selected last (the host knows which). */
  command: 'openAsText' | 'reopenText' | 'flowGraph' | 'graphs' | 'socketsAtPacket';
  /** `graphs`: the connection (a Connections tab row); absent: the one the user looks at. */
  stream?: number;
}
export interface SetTimeFormat {
  type: 'timeFormat';
  value: TimeFormat;
}
/** The user chose the Info wording (saved in the setting captureLens.infoStyle). */
export interface SetInfoStyle {
  type: 'infoStyle';
  value: InfoStyle;
}
/** The user changed the columns (shown ones, in order; saved per workspace). */
export interface SetColumns {
  type: 'columns';
  columns: ColumnId[];
}
/** Follow TCP Stream: of a connection row's stream, or of a packet's (the selected one when neither is given). */
export interface FollowRequest {
  type: 'follow';
  stream?: number;
  /** 0-based packet index in the file. */
  packet?: number;
}
/** Find (issue 17): the next / previous match of `query` (absent: problem packet) after position `from` of `view`. */
export interface FindRequest {
  type: 'find';
  /** The webview's number for this search (its result and progress repeat it). */
  seq: number;
  query?: FindQuery;
  view: number;
  /** Selected position in the view (-1: none). */
  from: number;
  backwards: boolean;
}
export interface FindCancelMessage {
  type: 'findCancel';
}
export type FromWebview =
  | FindRequest
  | FindCancelMessage
  | ReadyMessage
  | RowsRequest
  | SelectMessage
  | FilterRequest
  | ConnsRequest
  | CancelMessage
  | CopyRequest
  | CommandRequest
  | SetTimeFormat
  | SetInfoStyle
  | SetColumns
  | FollowRequest;

/** Request → reply types (src/core/messaging.ts). The webview spells it out again (it may import only types from here), checked against this type. */
export const CAPTURE_REPLIES = { rows: 'rows' } as const satisfies { [K in FromWebview['type']]?: ToWebview['type'] };
export type CaptureReplies = typeof CAPTURE_REPLIES;

// ---------------------------------------------------------------------------------------------
// Runtime validation of what the webview sends (the flow panel's pattern, src/extension/flow/messages.ts):
// the webview is ours, but its messages are data until checked — a wrong type or an unbounded
// number must not reach the worker or the user's settings.

/** Most rows one `rows` request gets (the webview asks for pages of 256; 4× leaves room). */
export const MAX_ROWS_PER_REQUEST = 1024;
/** Most packets one `copy` request takes (the webview stops at 100,000 too: about 10 MB of text). */
export const MAX_COPY_PACKETS = 100_000;
/** Longest filter expression accepted (a filter is typed by hand; 64 KiB is far beyond any). */
export const MAX_FILTER_CHARS = 65_536;

export const TIME_FORMATS: readonly TimeFormat[] = ['relative', 'absolute', 'delta'];
const COMMANDS: readonly string[] = ['openAsText', 'reopenText', 'flowGraph', 'graphs', 'socketsAtPacket'];

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
/** A safe integer ≥ min (finite, not NaN, no fraction). */
function isInt(x: unknown, min = 0): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= min;
}

/** The message as a FromWebview when it is well formed (counts clamped), otherwise null (ignored). */
export function parseFromWebview(m: unknown): FromWebview | null {
  if (!isObj(m) || typeof m.type !== 'string') return null;
  switch (m.type) {
    case 'ready':
    case 'conns':
    case 'cancel':
    case 'findCancel':
      return { type: m.type };
    case 'find': {
      if (!isInt(m.seq) || !isInt(m.view) || !Number.isSafeInteger(m.from) || (m.from as number) < -1 || typeof m.backwards !== 'boolean') return null;
      const f: FindRequest = { type: 'find', seq: m.seq, view: m.view, from: m.from as number, backwards: m.backwards };
      if (m.query !== undefined) {
        const query = parseFindQuery(m.query);
        if (!query) return null;
        f.query = query;
      }
      return f;
    }
    case 'rows':
      if (!isInt(m.id) || !isInt(m.view) || !isInt(m.start) || !isInt(m.count)) return null;
      return { type: 'rows', id: m.id, view: m.view, start: m.start, count: Math.min(m.count, MAX_ROWS_PER_REQUEST) };
    case 'select':
      return isInt(m.index) ? { type: 'select', index: m.index } : null;
    case 'filter':
      return typeof m.expr === 'string' && m.expr.length <= MAX_FILTER_CHARS ? { type: 'filter', expr: m.expr } : null;
    case 'copy': {
      if (!Array.isArray(m.indices)) return null;
      const indices: number[] = [];
      for (const i of m.indices) {
        if (indices.length === MAX_COPY_PACKETS) break;
        if (!isInt(i)) return null;
        indices.push(i);
      }
      return indices.length > 0 ? { type: 'copy', indices } : null;
    }
    case 'command': {
      if (typeof m.command !== 'string' || !COMMANDS.includes(m.command)) return null;
      const c: CommandRequest = { type: 'command', command: m.command as CommandRequest['command'] };
      if (m.stream !== undefined) {
        if (m.command !== 'graphs' || !isInt(m.stream)) return null;
        c.stream = m.stream;
      }
      return c;
    }
    case 'follow': {
      const f: FollowRequest = { type: 'follow' };
      if (m.stream !== undefined) {
        if (!isInt(m.stream)) return null;
        f.stream = m.stream;
      }
      if (m.packet !== undefined) {
        if (!isInt(m.packet)) return null;
        f.packet = m.packet;
      }
      return f;
    }
    case 'timeFormat':
      return typeof m.value === 'string' && (TIME_FORMATS as readonly string[]).includes(m.value) ? { type: 'timeFormat', value: m.value as TimeFormat } : null;
    case 'infoStyle':
      return typeof m.value === 'string' && (INFO_STYLES as readonly string[]).includes(m.value) ? { type: 'infoStyle', value: m.value as InfoStyle } : null;
    case 'columns': {
      const columns = parseColumns(m.columns);
      return columns ? { type: 'columns', columns } : null;
    }
    default:
      return null;
  }
}

/**
 * A find query from the webview, when well formed. The pattern may be longer than FIND_MAX_PATTERN
 * (the worker says so, as data) but not than MAX_FILTER_CHARS: a message stays small.
 */
export function parseFindQuery(x: unknown): FindQuery | null {
  if (!isObj(x)) return null;
  if (typeof x.pattern !== 'string' || x.pattern.length > MAX_FILTER_CHARS) return null;
  if (typeof x.mode !== 'string' || !(FIND_MODES as readonly string[]).includes(x.mode)) return null;
  if (typeof x.scope !== 'string' || !(FIND_SCOPES as readonly string[]).includes(x.scope)) return null;
  if (typeof x.caseSensitive !== 'boolean') return null;
  return { pattern: x.pattern, mode: x.mode as FindMode, scope: x.scope as FindScope, caseSensitive: x.caseSensitive };
}

/**
 * The packet (0-based) of a row's context-menu argument — the row's data-vscode-context, which VS Code
 * passes to the menu's commands (media/capture/list.ts) — when it names one.
 */
export function packetOfContext(ctx: unknown): number | undefined {
  if (!isObj(ctx)) return undefined;
  return isInt(ctx.packet) ? ctx.packet : undefined;
}
