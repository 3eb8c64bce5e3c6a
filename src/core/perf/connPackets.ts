/**
 * One connection's packets as the graphs read them (issue 14, "Graphs"): columns, capture order, one
 * row a TCP packet of the stream, built by replaying the stream's segments through a fresh
 * TcpEngine({ perf: true }) — the capture editor's worker (src/worker/perfGraph.ts) and the tcpdump
 * document's host (src/extension/graphs/logSource.ts) both feed a ConnRecorder, so nothing is kept
 * per packet in the editor's index: the figures are computed on demand for the connection drawn.
 *
 * Replaying a stream alone gives the index's numbers: relative sequence numbers, scaled windows,
 * analysis flags and tshark's ack_rtt / bytes_in_flight depend only on the stream's own packets from
 * its first one on (the reasoning of src/worker/flowPackets.ts).
 *
 * Memory: 41 bytes a row (index 4, time 8, seq 4, len 4, ack 4, window 4, RTT 4, in flight 4,
 * flags 2, analysis 2, direction 1) plus the SACK blocks of the packets that carry them; the
 * columns grow by doubling and stop at MAX_GRAPH_PACKETS (`truncated` then says so): 2 M rows
 * are 82 MB, the most one graph holds. While replaying, the engine's own columns add 34 bytes a
 * row; they are let go by finish().
 */
import { innermost, IPPROTO_TCP, type DecodedPacket } from '../decode/packet';
import { nextTcpOption, OPT_OK, TCPOPT_EOL, TCPOPT_SACK, TcpOptCursor } from '../decode/tcpOptions';
import { u32be } from '../bytes';
import { TcpEngine } from '../tcp/engine';
import type { SegmentInput } from '../tcp/types';
import { perfJson, type PerfJson } from './summary';

/** Rows one connection's graph keeps at most (the first ones; see the header for the memory). */
export const MAX_GRAPH_PACKETS = 2_000_000;

/** The columns (length ≥ n; rows 0 … n-1 are valid). */
export interface ConnPackets {
  n: number;
  /** The packet's number in the capture / log (0-based), increasing. */
  index: Int32Array;
  /** Seconds since the connection's first packet. */
  t: Float64Array;
  /** 0: client → server, 1: server → client. */
  dir: Uint8Array;
  /** Relative sequence number (Wireshark's), payload length, relative ACK number (0 without ACK). */
  seq: Uint32Array;
  len: Uint32Array;
  ack: Uint32Array;
  /** Wireshark's calculated window (the raw field when the scale is unknown). */
  win: Uint32Array;
  flags: Uint16Array;
  /** A_* analysis bits. */
  analysis: Uint16Array;
  /** tshark's ack_rtt in ms (0: none) and bytes_in_flight (0: none). */
  rttMs: Float32Array;
  bif: Uint32Array;
  /** SACK blocks by row, relative to the acknowledged direction's base: left, right pairs. */
  sack: Map<number, number[]>;
  /** Capture time of row 0 (seconds since the epoch, as a double: µs-exact). */
  startSec: number;
  /** More packets came than MAX_GRAPH_PACKETS: only the first ones are here. */
  truncated: boolean;
  /** The connection's summary (capture-lens perf's figures), after finish(). */
  perf: PerfJson | null;
}

function grown<T extends Int32Array | Float64Array | Uint8Array | Uint32Array | Uint16Array | Float32Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/** Feeds one stream's segments, in capture order, to a fresh engine and keeps what the graphs draw. */
export class ConnRecorder {
  private engine: TcpEngine | null;
  private cap = 0;
  private readonly out: ConnPackets;
  /** Raw base sequence number of each direction (raw − relative of its first packet), -1 until seen. */
  private readonly base: [number, number] = [-1, -1];
  private sec0 = 0;
  private nsec0 = 0;
  private finished = false;

  constructor(private readonly limit = MAX_GRAPH_PACKETS) {
    this.engine = new TcpEngine({ perf: true, keepSeqAck: false });
    this.out = {
      n: 0,
      index: new Int32Array(0),
      t: new Float64Array(0),
      dir: new Uint8Array(0),
      seq: new Uint32Array(0),
      len: new Uint32Array(0),
      ack: new Uint32Array(0),
      win: new Uint32Array(0),
      flags: new Uint16Array(0),
      analysis: new Uint16Array(0),
      rttMs: new Float32Array(0),
      bif: new Uint32Array(0),
      sack: new Map(),
      startSec: 0,
      truncated: false,
      perf: null,
    };
  }

  get count(): number {
    return this.out.n;
  }

  private grow(): void {
    const cap = Math.min(this.limit, this.cap === 0 ? 1024 : this.cap * 2);
    const o = this.out;
    o.index = grown(o.index, cap);
    o.t = grown(o.t, cap);
    o.dir = grown(o.dir, cap);
    o.seq = grown(o.seq, cap);
    o.len = grown(o.len, cap);
    o.ack = grown(o.ack, cap);
    o.win = grown(o.win, cap);
    o.flags = grown(o.flags, cap);
    o.analysis = grown(o.analysis, cap);
    o.rttMs = grown(o.rttMs, cap);
    o.bif = grown(o.bif, cap);
    this.cap = cap;
  }

  /**
   * One segment of the stream (all of them must belong to one connection: the replay's stream 0).
   * `seg.index` is the packet's number in the source; `seg.sack`, when present, holds raw SACK edges.
   * Returns false once the limit is reached (the caller may stop feeding).
   */
  add(seg: SegmentInput): boolean {
    if (this.finished) return false;
    const o = this.out;
    const row = o.n;
    if (row >= this.limit) {
      o.truncated = true;
      return false;
    }
    const orig = seg.index;
    // the replay numbers its packets 0, 1, …: its arrays hold this connection's rows, not the capture's
    seg.index = row;
    const engine = this.engine!;
    const r = engine.add(seg);
    seg.index = orig;
    if (r.stream !== 0) return true; // not this connection (a caller's mistake): skip, keep the columns one connection's
    if (row >= this.cap) this.grow();
    const p = engine.perfPacket;
    if (row === 0) {
      this.sec0 = seg.tsSec;
      this.nsec0 = seg.tsNsec;
      o.startSec = seg.tsSec + seg.tsNsec / 1e9;
    }
    const dir = r.dir;
    if (this.base[dir] < 0) this.base[dir] = (seg.seq - r.relSeq) >>> 0;
    o.index[row] = orig;
    o.t[row] = seg.tsSec - this.sec0 + (seg.tsNsec - this.nsec0) / 1e9; // apart: ns since the epoch as one double is 256 ns coarse
    o.dir[row] = dir;
    o.seq[row] = r.relSeq;
    o.len[row] = seg.len;
    o.ack[row] = r.relAck;
    o.win[row] = r.winScaled >= 0 ? r.winScaled : seg.win;
    o.flags[row] = seg.flags;
    o.analysis[row] = r.analysis;
    o.rttMs[row] = p.ackRttNs / 1e6;
    o.bif[row] = p.bytesInFlight;
    const sack = seg.sack;
    if (sack !== undefined && sack.length >= 2) {
      // SACK edges are in the peer's sequence space: relative to the peer's base (ACK-relative when unseen)
      const peerBase = this.base[dir ^ 1] >= 0 ? this.base[dir ^ 1] : (seg.ack - r.relAck) >>> 0;
      const rel: number[] = [];
      for (let k = 0; k + 1 < sack.length && k < 8; k += 2) rel.push((sack[k] - peerBase) >>> 0, (sack[k + 1] - peerBase) >>> 0);
      o.sack.set(row, rel);
    }
    o.n = row + 1;
    return true;
  }

  /** The columns, trimmed, with the connection's summary. */
  finish(): ConnPackets {
    const o = this.out;
    if (this.finished) return o;
    this.finished = true;
    const engine = this.engine!;
    engine.finish();
    const conv = engine.conversations()[0];
    o.perf = conv ? perfJson(conv) : null;
    this.engine = null; // its per-packet columns (34 bytes a row) are not read again
    return o;
  }
}

/** The row of packet `index` (binary search on the increasing index column), or -1. */
export function rowOfPacket(c: ConnPackets, index: number): number {
  let lo = 0;
  let hi = c.n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = c.index[mid];
    if (v === index) return mid;
    if (v < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The first row at or after time `t` (n when none). */
export function rowAtTime(c: ConnPackets, t: number): number {
  let lo = 0;
  let hi = c.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.t[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The raw SACK edges of a decoded capture packet's TCP options (left, right pairs; at most 4 blocks,
 * what 40 bytes of options hold), or undefined. The engine's fast path does not read SACK blocks
 * (segmentFromPacket leaves `sack` unset), so the graphs' replay reads them here, with the
 * decoder's bounded option walker.
 */
export function sackEdges(pkt: DecodedPacket, c: TcpOptCursor = new TcpOptCursor()): number[] | undefined {
  if (pkt.inner !== null) pkt = innermost(pkt);
  const l4 = pkt.l4;
  if (l4.proto !== IPPROTO_TCP || l4.optLen <= 0) return undefined;
  const d = pkt.data;
  const end = l4.optOff + l4.optLen;
  const capEnd = Math.min(d.length, end);
  let out: number[] | undefined;
  for (let pos = l4.optOff; pos < end; ) {
    if (nextTcpOption(d, pos, end, capEnd, c) !== OPT_OK || c.kind === TCPOPT_EOL) break;
    if (c.kind === TCPOPT_SACK && c.dataOff + c.dataLen <= capEnd) {
      for (let k = 0; k + 8 <= c.dataLen && k < 32; k += 8) (out ??= []).push(u32be(d, c.dataOff + k), u32be(d, c.dataOff + k + 4));
    }
    pos += c.len;
  }
  return out;
}

/** What the Graphs panel learns about the connection when it opens (the columns stay with whoever built them). */
export interface GraphConnInfo {
  stream: number;
  /** Rows (packets) in the graph, and whether the connection had more (MAX_GRAPH_PACKETS). */
  packets: number;
  truncated: boolean;
  /** Seconds from the first to the last packet. */
  duration: number;
  /** Capture time of the first packet (s since the epoch). */
  startSec: number;
  /** Payload bytes each direction sent (the panel starts on the direction that sent more). */
  bytes: [number, number];
  perf: PerfJson | null;
}

export function graphConnInfo(c: ConnPackets, stream: number): GraphConnInfo {
  const bytes: [number, number] = [0, 0];
  for (let r = 0; r < c.n; r++) bytes[c.dir[r]] += c.len[r];
  return { stream, packets: c.n, truncated: c.truncated, duration: c.n > 0 ? c.t[c.n - 1] : 0, startSec: c.startSec, bytes, perf: c.perf };
}
