/**
 * The capture editor's host ↔ webview protocol: one interface per message, readable string `type`
 * fields, one union per direction. Pure types (no vscode, no DOM): imported by the provider
 * (src/extension/capture/editorProvider.ts) and by the webview bundle (media/capture/main.ts).
 *
 * Handshake: the webview posts `ready` once it listens; the host answers once with `init`
 * (settings, localized strings, the packet count so far), then streams `progress`.
 * Requests that expect an answer carry an `id` the answer repeats (rows); others are answered by
 * the latest message of their type (details, filter, conns).
 */
import type { FilterResult, IndexProgress, PacketRow } from '../../worker/api';
import type { ConnJson } from '../../core/tcp/json';

export type TimeFormat = 'relative' | 'absolute' | 'delta';

/** Every string the webview shows that is not packet data (translated by the host with vscode.l10n.t). */
export interface UiStrings {
  colNo: string;
  colTime: string;
  colSource: string;
  colDestination: string;
  colProtocol: string;
  colLength: string;
  colInfo: string;
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
  cancel: string;
  /** "{0} packets" etc. are formatted by the webview: placeholders {0}, {1}. */
  indexing: string;
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
}
export interface NoticeMessage {
  type: 'notice';
  text: string;
  severity: 'info' | 'error';
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
export type ToWebview =
  | InitMessage
  | ProgressMessage
  | RowsMessage
  | DetailsMessage
  | FilterResultMessage
  | ConnsMessage
  | SettingsMessage
  | NoticeMessage
  | GoToMessage
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
  command: 'openAsText' | 'reopenText' | 'flowGraph';
}
export interface SetTimeFormat {
  type: 'timeFormat';
  value: TimeFormat;
}
export type FromWebview = ReadyMessage | RowsRequest | SelectMessage | FilterRequest | ConnsRequest | CancelMessage | CopyRequest | CommandRequest | SetTimeFormat;
