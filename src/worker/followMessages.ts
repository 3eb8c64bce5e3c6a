/**
 * Follow TCP Stream's part of the host ↔ worker protocol (joined into src/worker/messages.ts's unions
 * and WORKER_REPLIES). The worker serves a followed stream by pages (src/worker/follow.ts), so a view
 * opens a 1 GB stream at once and holds only the pages on screen. The worker checks every follow
 * request at run time (parseFollowRequest) before it touches the index: a request is data until checked.
 */
import type { ChunkView, FollowMeta } from '../core/follow/page';
import { FOLLOW_PAGE_MAX } from '../core/follow/page';

// ---- host → worker

/** Start following a stream (its chunks are built in the background); answered with the first meta. */
export interface FollowOpenRequest {
  type: 'followOpen';
  id: number;
  stream: number;
}
/** Chunks [from, from + count) of a followed stream (count ≤ FOLLOW_PAGE_MAX), with their bytes. */
export interface FollowPageRequest {
  type: 'followPage';
  id: number;
  stream: number;
  from: number;
  count: number;
  /** HTTP mode: messages with decoded bodies on the chunks where they start (src/core/follow/httpView.ts). */
  http?: boolean;
}
/** The first chunk that comes from packet `packet` (-1: none), for "selecting a packet scrolls the view". */
export interface FollowChunkOfRequest {
  type: 'followChunkOf';
  id: number;
  stream: number;
  packet: number;
}
/**
 * Write one direction's bytes (0 client → server, 1 server → client) to `path`, streamed; without a
 * path the reply carries them (`data`), for a host that writes through vscode.workspace.fs.
 */
export interface FollowSaveRequest {
  type: 'followSave';
  id: number;
  stream: number;
  dir: 0 | 1;
  path?: string;
}
/** The view closed: forget the stream's chunks. */
export interface FollowCloseRequest {
  type: 'followClose';
  stream: number;
}
export type FollowToWorker = FollowOpenRequest | FollowPageRequest | FollowChunkOfRequest | FollowSaveRequest | FollowCloseRequest;

// ---- worker → host

export interface FollowMetaReply {
  type: 'followMeta';
  id: number;
  /** null: the stream has no TCP segment in this capture. */
  meta: FollowMeta | null;
}
export interface FollowPageReply {
  type: 'followPage';
  id: number;
  meta: FollowMeta;
  chunks: ChunkView[];
}
export interface FollowChunkOfReply {
  type: 'followChunkOf';
  id: number;
  chunk: number;
}
export interface FollowSavedReply {
  type: 'followSaved';
  id: number;
  bytes: number;
  /** The bytes themselves, when the request had no path (transferred, not copied). */
  data?: Uint8Array;
}
export type FollowFromWorker = FollowMetaReply | FollowPageReply | FollowChunkOfReply | FollowSavedReply;

export const FOLLOW_WORKER_REPLIES = {
  followOpen: 'followMeta',
  followPage: 'followPage',
  followChunkOf: 'followChunkOf',
  followSave: 'followSaved',
} as const;

const MAX_PATH_CHARS = 4096;

function isInt(x: unknown, min = 0): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= min;
}

/** The follow request when well formed (count clamped to FOLLOW_PAGE_MAX); null otherwise. */
export function parseFollowRequest(m: unknown): FollowToWorker | null {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return null;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'followOpen':
      return isInt(o.id) && isInt(o.stream) ? { type: 'followOpen', id: o.id, stream: o.stream } : null;
    case 'followPage':
      if (!isInt(o.id) || !isInt(o.stream) || !isInt(o.from) || !isInt(o.count)) return null;
      if (o.http !== undefined && typeof o.http !== 'boolean') return null;
      return { type: 'followPage', id: o.id, stream: o.stream, from: o.from, count: Math.min(o.count, FOLLOW_PAGE_MAX), ...(o.http === true ? { http: true } : {}) };
    case 'followChunkOf':
      return isInt(o.id) && isInt(o.stream) && isInt(o.packet) ? { type: 'followChunkOf', id: o.id, stream: o.stream, packet: o.packet } : null;
    case 'followSave':
      if (!isInt(o.id) || !isInt(o.stream) || (o.dir !== 0 && o.dir !== 1)) return null;
      if (o.path === undefined) return { type: 'followSave', id: o.id, stream: o.stream, dir: o.dir };
      if (typeof o.path !== 'string' || o.path === '' || o.path.length > MAX_PATH_CHARS || o.path.includes('\0')) return null;
      return { type: 'followSave', id: o.id, stream: o.stream, dir: o.dir, path: o.path };
    case 'followClose':
      return isInt(o.stream) ? { type: 'followClose', stream: o.stream } : null;
    default:
      return null;
  }
}
