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
import type { FilterResult, IndexProgress, PacketDetails, PacketRow } from './api';
import { FOLLOW_WORKER_REPLIES, type FollowFromWorker, type FollowToWorker } from './followMessages';

// ---- host → worker

/** Start indexing a capture. Exactly one `open` per worker. */
export interface OpenRequest {
  type: 'open';
  id: number;
  /** Path of the capture on disk (file: URIs). */
  path?: string;
  /**
   * The whole file, for documents that are not on disk (virtual file systems): transferred, then
   * written by the worker to a temporary file (deleted on close) and indexed like a file on disk.
   */
  bytes?: ArrayBuffer;
  /** Display name of the document (messages), with `bytes`. */
  name?: string;
  /** Milliseconds between progress messages (default 100). */
  progressMs?: number;
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
/** Stop indexing at once (what is indexed stays available) and close the file. */
export interface CancelRequest {
  type: 'cancel';
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
  | CancelRequest
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
export type FromWorker = ProgressMessage | InfoMessage | RowsReply | FilterReply | DetailsReply | ConnsReply | LinesReply | FlowPacketsReply | StatsReply | ErrorReply | ClosedMessage | FollowFromWorker;

/** Request → reply types (src/core/messaging.ts); a failed request is answered by `error` instead. */
export const WORKER_REPLIES = {
  rows: 'rows',
  filter: 'filter',
  details: 'details',
  conns: 'conns',
  lines: 'lines',
  flowPackets: 'flowPackets',
  stats: 'stats',
  ...FOLLOW_WORKER_REPLIES,
} as const satisfies { [K in ToWorker['type']]?: FromWorker['type'] };
export type WorkerReplies = typeof WORKER_REPLIES;
