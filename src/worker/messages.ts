/**
 * The host ↔ worker message protocol of the capture editor (one worker per open document).
 * One interface per message, a string `type`; requests that expect an answer carry an `id` that
 * the answer repeats. Every request with an `id` gets exactly one answer: its own type, or
 * `error` with the same id. Bytes travel as Uint8Array / ArrayBuffer in the transfer list.
 *
 * Requests and replies are matched by src/core/messaging.ts (MessageHandler) with WORKER_REPLIES.
 *
 * Views: view 0 (or no view) is every packet; `filter` creates a view whose id later requests
 * pass; `dropView` forgets it. Row positions are positions in the view; rows carry packet indices.
 */
import type { CaptureInfo } from '../core/capture/types';
import type { FlowPacket } from '../core/flow/model';
import type { ConnJson } from '../core/tcp/json';
import type { GraphConnInfo } from '../core/perf/connPackets';
import type { SeriesData, SeriesRequest } from '../core/perf/series';

import type { ConnPerfCells, FilterResult, FindResult, IndexProgress, PacketDetails, PacketRow } from './api';
import type { FindQuery } from '../core/find/query';
import type { SocketsAtPacket } from '../core/sockets/fromCapture';
import { FOLLOW_WORKER_REPLIES, type FollowFromWorker, type FollowToWorker } from './followMessages';

// ---- host → worker

/** Start indexing a capture. Exactly one `open` per worker. */
export interface OpenRequest {
  type: 'open';
  id: number;
  /** Path of the capture on disk (file: URIs). */
  path?: string;
  /**
   * The whole file, for documents that are not on disk (remote and virtual file systems, VS Code
   * for the Web: read with vscode.workspace.fs.readFile up to WHOLE_FILE_MAX_BYTES): transferred,
   * then indexed and read by position from memory (src/worker/bytesInput.ts).
   */
  bytes?: ArrayBuffer;
  /** Display name of the document (messages), with `bytes`. */
  name?: string;
  /** Milliseconds between progress messages (default 100). */
  progressMs?: number;
  /** Follow the file as it grows (issue 16): `grow` and `settle` messages follow. */
  follow?: boolean;
  /** Follow mode's ring limit: keep the last N to 2N packets (src/worker/liveIndex.ts); absent: keep all. */
  ringPackets?: number;
  /** `path` is the first file (BASE0) of a ring of this many files written by tcpdump -C/-W (src/node/followRing.ts). */
  ringFiles?: number;
}
export interface RowsRequest {
  type: 'rows';
  id: number;
  /** First position in the view and number of rows wanted (fewer come back at the end). */
  start: number;
  count: number;
  /** 0 or absent: all packets. */
  view?: number;
}
export interface FilterRequest {
  type: 'filter';
  id: number;
  expr: string;
}
export interface DropViewRequest {
  type: 'dropView';
  view: number;
}
export interface DetailsRequest {
  type: 'details';
  id: number;
  /** 0-based packet index. */
  index: number;
}
/** Connections; answered once indexing is over (the summaries need the whole capture). */
export interface ConnsRequest {
  type: 'conns';
  id: number;
}
/** tcpdump lines of packets (copy as tcpdump). */
export interface LinesRequest {
  type: 'lines';
  id: number;
  indices: number[];
}
/**
 * The TCP packets of some streams (all when absent) with their final engine results, for the flow
 * graph; answered once indexing is over (src/worker/flowPackets.ts).
 */
export interface FlowPacketsRequest {
  type: 'flowPackets';
  id: number;
  streams?: number[];
  /** At most this many packets (the first ones). */
  limit?: number;
}
/**
 * Export Packets: write the packets of a view, a TCP stream or a list to `path` as pcap or pcapng
 * (src/worker/exporter.ts); answered once written. Without a path the reply carries the file's bytes
 * (`data`, src/worker/exportRun.ts), for a host that writes through vscode.workspace.fs. Waits for
 * indexing to end.
 */
export interface ExportRequest {
  type: 'export';
  id: number;
  path?: string;
  format: 'pcap' | 'pcapng';
  view?: number;
  stream?: number;
  indices?: number[];
}
/**
 * The Graphs panel (issue 14, src/worker/perfGraph.ts): one connection replayed into columns on
 * demand (`graphInfo`), its decimated series for a view (`graphSeries`), where a packet is in it
 * (`graphLocate`); the Connections tab's RTT / throughput / retransmission cells (`perfConns`).
 * Answered once indexing is over.
 */
export interface GraphInfoRequest {
  type: 'graphInfo';
  id: number;
  stream: number;
}
export interface GraphSeriesRequest {
  type: 'graphSeries';
  id: number;
  stream: number;
  request: SeriesRequest;
}
export interface GraphLocateRequest {
  type: 'graphLocate';
  id: number;
  stream: number;
  /** 0-based packet index in the file. */
  index: number;
}
export interface PerfConnsRequest {
  type: 'perfConns';
  id: number;
}
/**
 * "Sockets at this packet": the tables netstat -nat would have shown on each host right after
 * packet `index` (src/core/sockets/fromCapture.ts); answered once indexing is over (the states
 * are final then).
 */
export interface SocketsRequest {
  type: 'sockets';
  id: number;
  /** 0-based packet index. */
  index: number;
}
/**
 * Find in the capture (issue 17, src/worker/find.ts): the next (or previous) packet of a view after
 * position `from` whose bytes or Info text match `query`, or — without a query — that the list marks
 * as a problem (F8). A newer `find` or a `findCancel` ends the one under way (answered `cancelled`);
 * `findProgress` messages report how far it got.
 */
export interface FindRequest {
  type: 'find';
  id: number;
  /** The caller's number for this search, repeated by its `findProgress` messages. */
  search: number;
  query?: FindQuery;
  view: number;
  /** Selected position in the view (-1: none). */
  from: number;
  backwards: boolean;
  infoStyle: 'tcpdump' | 'wireshark';
}
export interface FindCancelRequest {
  type: 'findCancel';
}
/** Stop indexing at once (what is indexed stays available) and close the file. */
export interface CancelRequest {
  type: 'cancel';
}
/** Follow mode (issue 16): the file grew; read what it gained. */
export interface GrowRequest {
  type: 'grow';
}
/** Follow mode: the file stopped growing (or its writer exited); finish indexing as for a whole file. */
export interface SettleRequest {
  type: 'settle';
}
/** Follow mode: a file that settled grows again; follow it again (src/worker/liveIndex.ts). */
export interface RefollowRequest {
  type: 'refollow';
}
/** Memory figures of the worker (benchmarks; runs gc first when the worker has --expose-gc). */
export interface StatsRequest {
  type: 'stats';
  id: number;
}
/** The document closed: cancel, close the file, delete temporary copies; the worker then exits. */
export interface CloseRequest {
  type: 'close';
}
export type ToWorker =
  | OpenRequest
  | RowsRequest
  | FilterRequest
  | DropViewRequest
  | DetailsRequest
  | ConnsRequest
  | LinesRequest
  | FlowPacketsRequest
  | ExportRequest
  | GraphInfoRequest
  | GraphSeriesRequest
  | GraphLocateRequest
  | PerfConnsRequest
  | SocketsRequest
  | FindRequest
  | FindCancelRequest
  | CancelRequest
  | GrowRequest
  | SettleRequest
  | RefollowRequest
  | StatsRequest
  | CloseRequest
  | FollowToWorker;

// ---- worker → host

/** Indexing progress: a first one as soon as a screenful is indexed, then about every 100 ms, then a last one with `done`. */
export interface ProgressMessage {
  type: 'progress';
  progress: IndexProgress;
}
/** What the reader learnt about the file (format, interfaces), once known and at the end. */
export interface InfoMessage {
  type: 'info';
  info: CaptureInfo;
}
export interface RowsReply {
  type: 'rows';
  id: number;
  rows: PacketRow[];
  /** Packets in the view when the rows were taken. */
  total: number;
}
export interface FilterReply {
  type: 'filter';
  id: number;
  result: FilterResult;
}
/** `details.bytes` is transferred. */
export interface DetailsReply {
  type: 'details';
  id: number;
  details: PacketDetails;
}
export interface ConnsReply {
  type: 'conns';
  id: number;
  conns: ConnJson[];
}
export interface LinesReply {
  type: 'lines';
  id: number;
  lines: string[];
}
export interface FlowPacketsReply {
  type: 'flowPackets';
  id: number;
  packets: FlowPacket[];
}
export interface GraphInfoReply {
  type: 'graphInfo';
  id: number;
  info: GraphConnInfo;
}
export interface GraphSeriesReply {
  type: 'graphSeries';
  id: number;
  series: SeriesData;
}
export interface GraphLocateReply {
  type: 'graphLocate';
  id: number;
  /** The packet's time in the graph (s since the connection's first packet), -1 when it is not in it. */
  t: number;
}
export interface PerfConnsReply {
  type: 'perfConns';
  id: number;
  conns: ConnPerfCells[];
}
/** Data, no text: the host writes it in the reader's language (socketsAtPacketText). */
export interface SocketsReply {
  type: 'sockets';
  id: number;
  sockets: SocketsAtPacket;
}
export interface FindReply {
  type: 'found';
  id: number;
  result: FindResult;
}
/** How far search `search` (FindRequest.search) got: `searched` of `total` packets. */
export interface FindProgressMessage {
  type: 'findProgress';
  search: number;
  searched: number;
  total: number;
}
export interface StatsReply {
  type: 'stats';
  id: number;
  /** The worker isolate's V8 heap in use, and the process's ArrayBuffer bytes (shared by all threads). */
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
  /** Bytes of the index's typed arrays (columns + engine) and that divided by the packets. */
  indexBytes: number;
  perPacket: number;
  packets: number;
}
export interface ExportReply {
  type: 'exported';
  id: number;
  packets: number;
  bytes: number;
  /** The exported file, when the request had no path (transferred, not copied). */
  data?: Uint8Array;
}
/** A request failed (bad argument, read error…): the worker keeps serving. */
export interface ErrorReply {
  type: 'error';
  /** The failed request's id (absent for failures outside a request). */
  id?: number;
  message: string;
}
/** The worker closed everything after `close`; it exits next. */
export interface ClosedMessage {
  type: 'closed';
}
export type FromWorker =
  | ProgressMessage
  | InfoMessage
  | RowsReply
  | FilterReply
  | DetailsReply
  | ConnsReply
  | LinesReply
  | FlowPacketsReply
  | ExportReply
  | GraphInfoReply
  | GraphSeriesReply
  | GraphLocateReply
  | PerfConnsReply
  | SocketsReply
  | FindReply
  | FindProgressMessage
  | StatsReply
  | ErrorReply
  | ClosedMessage
  | FollowFromWorker;

/** Request → reply types (src/core/messaging.ts); a failed request is answered by `error` instead. */
export const WORKER_REPLIES = {
  rows: 'rows',
  filter: 'filter',
  details: 'details',
  conns: 'conns',
  lines: 'lines',
  flowPackets: 'flowPackets',
  export: 'exported',
  graphInfo: 'graphInfo',
  graphSeries: 'graphSeries',
  graphLocate: 'graphLocate',
  perfConns: 'perfConns',
  sockets: 'sockets',
  find: 'found',
  stats: 'stats',
  ...FOLLOW_WORKER_REPLIES,
} as const satisfies { [K in ToWorker['type']]?: FromWorker['type'] };
export type WorkerReplies = typeof WORKER_REPLIES;
