/**
 * The Follow TCP Stream panel's host ↔ webview protocol (src/extension/follow/panel.ts ↔ media/follow/):
 * one interface per message, one union per direction, the request → reply map (FOLLOW_REPLIES) and
 * `parseFromWebview`, run by the host on everything the webview sends. Types, constants and validation only.
 *
 * Handshake: the webview posts `ready`; the host answers with `init` (strings, the stream's meta so far),
 * then `meta` while the stream is still being read. The webview asks for pages of chunks (`page`, with an id
 * the reply repeats) and never holds more than the pages near the screen.
 */
import type { ChunkView, FollowMeta } from '../../core/follow/page';

/** Every string of the panel that is not packet data (translated by the host). */
export interface FollowUiStrings {
  /** "Follow TCP Stream {0}". */
  title: string;
  loading: string;
  modeLabel: string;
  modeText: string;
  modeHex: string;
  modeRaw: string;
  /** "HTTP messages": requests and responses with decoded bodies. */
  modeHttp: string;
  /** "packets {0}" ("#4" or "#4–#6"). */
  httpPackets: string;
  /** "body: {0} bytes ({1} on the wire, {2})" (length, wire bytes, framing). */
  httpBody: string;
  /** "{0} decoded" (the codings undone: "gzip"). */
  httpDecoded: string;
  httpNoBody: string;
  /** "(binary, {0} bytes)". */
  httpBinary: string;
  /** "{0} more bytes of the body not shown". */
  httpBodyCut: string;
  /** The stream's budget of body bytes is spent: "body not kept (the stream's bodies pass {0})". */
  httpBudget: string;
  /** A chunk in the middle of a message: "part of the message above". */
  httpWithin: string;
  /** tcpdump -A text: "From tcpdump -A: bytes other than printable ASCII were written as '.' (lossy)." */
  asciiLossy: string;
  dirLabel: string;
  dirBoth: string;
  dirClient: string;
  dirServer: string;
  saveClient: string;
  saveServer: string;
  /** "client {0}" / "server {0}" with the endpoint. */
  client: string;
  server: string;
  /** "{0} → {1}: {2} bytes" (from, to, count). */
  summary: string;
  /** ", {0} not captured". */
  summaryMissing: string;
  /** ", {0} retransmitted copies". */
  summaryRetrans: string;
  /** Chunk header: "#{0} {1}, {2} bytes" (packet, side, bytes). */
  chunk: string;
  sideClient: string;
  sideServer: string;
  /** "[{0} bytes not captured]". */
  notCaptured: string;
  outOfOrder: string;
  /** "retransmitted copy of {0} bytes at offset {1}". */
  retrans: string;
  retransSame: string;
  /** "DIFFERS from the original, first at offset {0} ({1} → {2})". */
  retransDiffers: string;
  retransUnknown: string;
  /** "{0} · packet {1} · client {2}, server {3}" (flags, packet, states). */
  separator: string;
  /** "{0} more bytes not shown (save the direction to get them all)". */
  cut: string;
  listLabel: string;
  /** Hint: "Choose a chunk to select its packet in the capture." */
  chooseHint: string;
  empty: string;
  /** "Reading the stream: {0} chunks so far…". */
  reading: string;
}

// ---- host → webview

export interface InitMessage {
  type: 'init';
  strings: FollowUiStrings;
  /** Where the stream comes from (the capture's or document's name). */
  source: string;
  meta: FollowMeta;
}
export interface MetaMessage {
  type: 'meta';
  meta: FollowMeta;
}
export interface PageReply {
  type: 'page';
  id: number;
  from: number;
  chunks: ChunkView[];
}
/** A packet was selected elsewhere (the capture editor): scroll to its chunk. */
export interface RevealMessage {
  type: 'reveal';
  chunk: number;
}
export interface NoticeMessage {
  type: 'notice';
  text: string;
  severity: 'info' | 'error';
}
export type ToWebview = InitMessage | MetaMessage | PageReply | RevealMessage | NoticeMessage;

// ---- webview → host

export interface ReadyMessage {
  type: 'ready';
}
export interface PageRequest {
  type: 'page';
  id: number;
  from: number;
  count: number;
  /** HTTP mode. */
  http?: boolean;
}
/** The user chose a chunk: select its packet (0-based) in the capture editor or the document. */
export interface SelectMessage {
  type: 'select';
  packet: number;
}
/** "Save client bytes…" (0) / "Save server bytes…" (1). */
export interface SaveMessage {
  type: 'save';
  dir: 0 | 1;
}
export type FromWebview = ReadyMessage | PageRequest | SelectMessage | SaveMessage;

export const FOLLOW_REPLIES = { page: 'page' } as const satisfies { [K in FromWebview['type']]?: ToWebview['type'] };
export type FollowReplies = typeof FOLLOW_REPLIES;

/** Chunks per page the webview asks for (and the most the host passes on). */
export const FOLLOW_VIEW_PAGE = 64;

function isInt(x: unknown, min = 0): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= min;
}

/** The message when well formed (counts clamped), otherwise null (dropped). */
export function parseFromWebview(m: unknown): FromWebview | null {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return null;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
      return { type: 'ready' };
    case 'page':
      if (o.http !== undefined && typeof o.http !== 'boolean') return null;
      return isInt(o.id) && isInt(o.from) && isInt(o.count, 1) ? { type: 'page', id: o.id, from: o.from, count: Math.min(o.count, FOLLOW_VIEW_PAGE), ...(o.http === true ? { http: true } : {}) } : null;
    case 'select':
      return isInt(o.packet) ? { type: 'select', packet: o.packet } : null;
    case 'save':
      return o.dir === 0 || o.dir === 1 ? { type: 'save', dir: o.dir } : null;
    default:
      return null;
  }
}
