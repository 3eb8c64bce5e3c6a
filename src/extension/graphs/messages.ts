/**
 * The Graphs panel's host ↔ webview protocol (issue 14): one interface per message, readable string
 * `type`s, one union per direction, the request → reply map (GRAPHS_REPLIES, for
 * src/core/messaging.ts at both ends) and `parseFromWebview`, the check the host runs on every
 * message it receives. Types, constants and validation only: imported by ./panel.ts and, as types,
 * by the webview bundle (media/graphs/).
 *
 * Handshake: the webview posts `ready`; the host answers `init` (strings, the connection, the graph
 * kind and direction to start on). The webview asks for the series of what it shows (`series`, with
 * an `id`, for a kind, direction, time range and its width in pixels: the host answers with at most
 * four points a pixel a layer, src/core/perf/series.ts). A point chosen in the graph is `choose`
 * (its packet is selected in the capture editor / its line revealed); a packet selected in the
 * source comes as `select`. Exports travel as `export` (the webview makes the SVG and the PNG; the
 * host asks where to save).
 */
import type { GraphConnInfo } from '../../core/perf/connPackets';
import { GRAPH_KINDS, MAX_WIDTH, type GraphKind, type SeriesData, type SeriesRequest } from '../../core/perf/series';

/** Every string the webview shows that is not packet data (translated by the host). */
export interface GraphsUiStrings {
  /** Graph kind names. */
  tseq: string;
  throughput: string;
  rtt: string;
  window: string;
  kinds: string;
  /** "Data sent by {0}" (the endpoint). */
  direction: string;
  zoomIn: string;
  zoomOut: string;
  zoomReset: string;
  exportSvg: string;
  exportPng: string;
  /** "Connection {0}: {1} → {2}, {3} packets over {4} s". */
  heading: string;
  truncated: string;
  loading: string;
  empty: string;
  /** Axis titles. */
  time: string;
  unitSeq: string;
  unitBps: string;
  unitMs: string;
  unitBytes: string;
  /** Layer names. */
  layers: Record<string, string>;
  /** Summary table. */
  tableCaption: string;
  colSeries: string;
  colPoints: string;
  colMin: string;
  colMax: string;
  /** "{0} at {1} s". */
  valueAt: string;
  /** "Packet {0}: {1} at {2} s" (status line of a point). */
  point: string;
  /** Keyboard help (the plot's aria-description). */
  keys: string;
  /** Graph aria-label: "{0} of connection {1}". */
  graphLabel: string;
}

/** The connection the panel draws, with its endpoints. */
export interface GraphConn extends GraphConnInfo {
  client: string;
  server: string;
}

// ---------------------------------------------------------------------------------------------
// Host → webview

export interface GraphsInitMessage {
  type: 'init';
  strings: GraphsUiStrings;
  /** Where the graph comes from (kept in the webview's state). */
  source: { uri: string; kind: 'capture' | 'log' };
  conn: GraphConn;
  kind: GraphKind;
  dir: 0 | 1;
}
export interface GraphsSeriesReply {
  type: 'series';
  id: number;
  series: SeriesData;
}
/** The source selected packet `index`; `t` is its time in the graph, -1 when it is not in it. */
export interface GraphsSelectMessage {
  type: 'select';
  index: number;
  t: number;
}
export interface GraphsNoticeMessage {
  type: 'notice';
  severity: 'info' | 'error';
  text: string;
}
export type GraphsToWebview = GraphsInitMessage | GraphsSeriesReply | GraphsSelectMessage | GraphsNoticeMessage;

// ---------------------------------------------------------------------------------------------
// Webview → host

export interface GraphsReadyMessage {
  type: 'ready';
}
export interface GraphsSeriesRequest {
  type: 'series';
  id: number;
  request: SeriesRequest;
}
/** The user chose the point of packet `index` (0-based). */
export interface GraphsChooseMessage {
  type: 'choose';
  index: number;
}
/** Save the graph: SVG text, or a PNG as a data: URL. */
export interface GraphsExportMessage {
  type: 'export';
  format: 'svg' | 'png';
  data: string;
}
export type GraphsFromWebview = GraphsReadyMessage | GraphsSeriesRequest | GraphsChooseMessage | GraphsExportMessage;

export const GRAPHS_REPLIES = { series: 'series' } as const satisfies { [K in GraphsFromWebview['type']]?: GraphsToWebview['type'] };
export type GraphsReplies = typeof GRAPHS_REPLIES;

// ---------------------------------------------------------------------------------------------
// Runtime validation of what the webview sends: data until checked.

/** Largest export accepted (a PNG of a 4,096-pixel-wide graph is a few MB; an SVG of 8,192 px of points ~2 MB). */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;
/** Times in a request: seconds since the connection's first packet, within ±10^9 s. */
const MAX_ABS_TIME = 1e9;

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isInt(x: unknown, min = 0): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= min;
}
function isTime(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= MAX_ABS_TIME;
}

/** A well-formed series request (kind known, direction 0/1, t0 < t1, width 1 … MAX_WIDTH), else null. */
export function parseSeriesRequest(r: unknown): SeriesRequest | null {
  if (!isObj(r)) return null;
  if (typeof r.kind !== 'string' || !(GRAPH_KINDS as readonly string[]).includes(r.kind)) return null;
  if (r.dir !== 0 && r.dir !== 1) return null;
  if (!isTime(r.t0) || !isTime(r.t1) || !(r.t1 > r.t0)) return null;
  if (!isInt(r.width, 1) || r.width > MAX_WIDTH) return null;
  return { kind: r.kind as GraphKind, dir: r.dir, t0: r.t0, t1: r.t1, width: r.width };
}

export function parseFromWebview(m: unknown): GraphsFromWebview | null {
  if (!isObj(m) || typeof m.type !== 'string') return null;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'series': {
      if (!isInt(m.id)) return null;
      const request = parseSeriesRequest(m.request);
      return request ? { type: 'series', id: m.id, request } : null;
    }
    case 'choose':
      return isInt(m.index) ? { type: 'choose', index: m.index } : null;
    case 'export': {
      if ((m.format !== 'svg' && m.format !== 'png') || typeof m.data !== 'string' || m.data.length > MAX_EXPORT_CHARS) return null;
      if (m.format === 'png' && !m.data.startsWith('data:image/png;base64,')) return null;
      if (m.format === 'svg' && !m.data.startsWith('<svg')) return null;
      return { type: 'export', format: m.format, data: m.data };
    }
    default:
      return null;
  }
}
