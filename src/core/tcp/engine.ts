/**
 * TcpEngine: one pass over the TCP segments of a capture, in capture order.
 *   ConversationTable.find → analyzeSegment → advanceStates → accumulate (summary)
 *
 * Per-packet results are kept in typed arrays (struct of arrays) indexed by packet index, grown by
 * doubling: 26 bytes a packet while packets are added (see bytesPerPacket), 22 once finished (the
 * `prev` links that revisions walk are dropped then). An engine made with `keepSeqAck: false` (the
 * capture editor's, which re-derives them for the few packets it draws) keeps no relSeq / relAck /
 * winScaled: 14 bytes, then 10. Nothing is allocated or retained per packet; per-connection objects
 * live in `conv.ext`.
 *
 * `add` returns ONE REUSED PacketResult object: read it before the next call (copy it if you keep
 * it). Its states are the states as known when the packet was added; a few rows are corrected
 * later (a SYN / SYN+ACK / FIN found not delivered, a close re-labelled as simultaneous or
 * three-packet): `result(index)` reads the corrected rows, and after `finish()` they are final.
 */

import { ConversationTable, analyzeSegment } from './analysis';
import type { Conversation, PerfConversation } from './analysis';
import { STEP_NAMES, StateRevisions, advanceStates, connStates, finishStates } from './states';
import { ParamsCache, SynFloodFinding, accumulate, detectSynFlood, summarize, SYN_FLOOD_MIN } from './summary';
import { emptyResult, type ConnectionSummary, type PacketResult, type SegmentInput } from './types';
import { PerfColumns, PerfConn, PerfStore, perfAdd, perfFinish, SampleLog, type PerfPacket } from '../perf/index';

const F_DIR = 1;
const F_INFERRED = 2;
/** Longest backward walk of a revision (the states module confirms rows beyond 64 anyway). */
const MAX_WALK = 4096;

export interface TcpEngineOptions {
  /** Half-open connections to one server port that make a SYN-flood suspicion (default 10). */
  synFloodMin?: number;
  /**
   * Keep each packet's relSeq, relAck and winScaled for resultInto (default true: 12 bytes a
   * packet). Without them resultInto reports 0 for the three; `add` still returns them.
   */
  keepSeqAck?: boolean;
  /**
   * Measure performance (src/core/perf): per-packet ack_rtt and bytes in flight as tshark computes
   * them (8 bytes a packet), per-connection RTT, throughput, loss and zero-window figures, and keep
   * the conversations after finish() for them (default false).
   */
  perf?: boolean;
}

export class TcpEngine {
  private readonly table = new ConversationTable();
  private cap = 0;
  private maxIndex = -1;
  private stream: Int32Array = new Int32Array(0);
  private relSeq: Uint32Array = new Uint32Array(0);
  private relAck: Uint32Array = new Uint32Array(0);
  private win: Int32Array = new Int32Array(0);
  /**
   * Duplicate ACKs are the exception: their number and the packet they duplicate are kept by
   * packet index only for them (two numbers a dup ACK instead of eight bytes for every packet).
   */
  private readonly dupAcks = new Map<number, number>();
  private analysis: Uint16Array = new Uint16Array(0);
  private cState: Uint8Array = new Uint8Array(0);
  private sState: Uint8Array = new Uint8Array(0);
  private bits: Uint8Array = new Uint8Array(0);
  private stepIx: Uint8Array = new Uint8Array(0);
  /** Previous packet of the same stream (-1 for a stream's first): walks revision ranges. */
  private prev: Int32Array = new Int32Array(0);
  /** Last packet of each stream so far. */
  private lastOfStream: Int32Array = new Int32Array(256).fill(-1);
  private readonly out: PacketResult = emptyResult();
  private readonly revisions: StateRevisions;
  private finished = false;
  private sums: ConnectionSummary[] = [];
  private floods: SynFloodFinding[] = [];
  private readonly synFloodMin: number;
  private readonly keepSeqAck: boolean;
  /** Connections, once finish() has released the table. */
  private connections = 0;
  /**
   * Performance measurement (src/core/perf, opt-in with `perf: true`): ack_rtt / bytes_in_flight
   * columns, 8 bytes a packet, each connection's numbers in one shared PerfStore and its samples in
   * one shared SampleLog. Off by default: it costs about +50–56 % of decode + engine on the 2 M-packet
   * bench files (median of 5 runs, scripts/bench-perf.ts; issue 14 asks for at most +20 %) and 13–19
   * bytes a packet once finished (the goal is 8), so only `capture-lens perf`, `conns --json` and the
   * editor's on-demand replays (src/worker/perfGraph.ts) pay for it until it is cheaper.
   */
  private readonly perf: boolean;
  private readonly perfCols = new PerfColumns();
  private readonly perfOut: PerfPacket = { ackRttNs: 0, acksFrame: -1, bytesInFlight: 0 };
  private lastNs = 0;
  /** Each conversation's PerfConn by stream number (also in conv.ext.perf): one array load a packet. */
  private readonly perfs: PerfConn[] = [];
  /** Every connection's perf numbers in one Float64Array (src/core/perf/layout.ts). */
  private readonly perfStore = new PerfStore();
  /** Every connection's RTT and other samples, logged in order and handed to their lists in batches (src/core/perf/samples.ts). */
  private readonly perfLog = new SampleLog();
  /**
   * What perf readers need of the conversations, kept after finish() when `perf` is on: addresses and
   * the perf state; the analysis and state objects go (~1.8 KB a connection: half the heap the
   * measurement kept on the bench's 10,000 connections).
   */
  private kept: readonly PerfConversation[] = [];

  constructor(opts: TcpEngineOptions = {}) {
    this.synFloodMin = opts.synFloodMin ?? SYN_FLOOD_MIN;
    this.keepSeqAck = opts.keepSeqAck ?? true;
    this.perf = opts.perf ?? false;
    this.revisions = {
      state: (first: number, last: number, side: 0 | 1, state: number): void => {
        const col = side === 0 ? this.cState : this.sState;
        for (let i = last, n = 0; i >= first && i <= this.maxIndex && n < MAX_WALK; i = this.prev[i], n++) col[i] = state;
      },
      step: (first: number, last: number, from: number, to: number): void => {
        const col = this.stepIx;
        for (let i = last, n = 0; i >= first && i <= this.maxIndex && n < MAX_WALK; i = this.prev[i], n++) if (col[i] === from) col[i] = to;
      },
    };
  }

  /** Bytes of typed-array storage per packet (now: `prev` is dropped by finish()). */
  bytesPerPacket(): number {
    return (
      Int32Array.BYTES_PER_ELEMENT + // stream
      (this.finished ? 0 : Int32Array.BYTES_PER_ELEMENT) + // prev
      (this.keepSeqAck ? Int32Array.BYTES_PER_ELEMENT + Uint32Array.BYTES_PER_ELEMENT * 2 : 0) + // win, relSeq, relAck
      Uint16Array.BYTES_PER_ELEMENT + // analysis
      Uint8Array.BYTES_PER_ELEMENT * 4 + // states, bits, step
      (this.perf ? PerfColumns.BYTES_PER_PACKET : 0)
    );
  }

  /** Number of packet slots in use (highest index added + 1). */
  get packetCount(): number {
    return this.maxIndex + 1;
  }

  private grow(need: number): void {
    let cap = this.cap === 0 ? 1024 : this.cap;
    while (cap < need) cap *= 2;
    const old = this.cap;
    const g32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const u32 = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(cap);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    this.stream = g32(this.stream);
    this.stream.fill(-1, old);
    if (this.keepSeqAck) {
      this.relSeq = u32(this.relSeq);
      this.relAck = u32(this.relAck);
      this.win = g32(this.win);
    }
    const an = new Uint16Array(cap);
    an.set(this.analysis);
    this.analysis = an;
    this.cState = u8(this.cState);
    this.sState = u8(this.sState);
    this.bits = u8(this.bits);
    this.stepIx = u8(this.stepIx);
    this.prev = g32(this.prev);
    if (this.perf) this.perfCols.grow(cap);
    this.cap = cap;
  }

  /** Analyse one TCP segment (capture order). Returns a reused object: see the header. */
  add(seg: SegmentInput): PacketResult {
    if (this.finished) throw new Error('TcpEngine.add after finish()');
    const table = this.table;
    const conv = table.find(seg);
    const dir = table.dir;
    const out = this.out;
    analyzeSegment(conv, dir, seg, out);
    advanceStates(conv, dir, seg, out, this.revisions);
    accumulate(conv, dir, seg, out);
    const i = seg.index;
    if (i >= this.cap) this.grow(i + 1);
    if (this.perf) {
      let perf = this.perfs[conv.stream];
      if (perf === undefined) {
        perf = new PerfConn(this.perfStore, this.perfLog);
        this.perfs[conv.stream] = perf;
        conv.ext.perf = perf;
      }
      perfAdd(conv, dir, seg, out.analysis, this.perfOut, perf);
      this.perfCols.set(i, this.perfOut);
      this.lastNs = seg.tsSec * 1e9 + seg.tsNsec;
    }
    if (i > this.maxIndex) this.maxIndex = i;
    this.stream[i] = out.stream;
    if (this.keepSeqAck) {
      this.relSeq[i] = out.relSeq;
      this.relAck[i] = out.relAck;
      this.win[i] = out.winScaled;
    }
    // dupAckNum < 2^21 and dupAckOf ≥ -1 fit one exact double: num * 2^32 + (of + 1)
    if (out.dupAckNum !== 0) this.dupAcks.set(i, out.dupAckNum * 4294967296 + (out.dupAckOf + 1));
    this.analysis[i] = out.analysis;
    this.cState[i] = out.clientState;
    this.sState[i] = out.serverState;
    this.bits[i] = (dir === 1 ? F_DIR : 0) | (out.inferred ? F_INFERRED : 0);
    this.stepIx[i] = connStates(conv)!.stepId;
    const sn = out.stream;
    if (sn >= this.lastOfStream.length) {
      let n = this.lastOfStream.length * 2;
      while (n <= sn) n *= 2;
      const b = new Int32Array(n).fill(-1);
      b.set(this.lastOfStream);
      this.lastOfStream = b;
    }
    this.prev[i] = this.lastOfStream[sn];
    this.lastOfStream[sn] = i;
    return out;
  }

  /** Fill `out` with packet `index`'s result; false when it was not a TCP segment added here. */
  resultInto(index: number, out: PacketResult): boolean {
    if (index < 0 || index > this.maxIndex || this.stream[index] < 0) return false;
    const b = this.bits[index];
    out.stream = this.stream[index];
    out.dir = (b & F_DIR) as 0 | 1;
    if (this.keepSeqAck) {
      out.relSeq = this.relSeq[index];
      out.relAck = this.relAck[index];
      out.winScaled = this.win[index];
    } else {
      out.relSeq = 0;
      out.relAck = 0;
      out.winScaled = 0;
    }
    out.analysis = this.analysis[index];
    const dup = this.dupAcks.get(index);
    if (dup === undefined) {
      out.dupAckNum = 0;
      out.dupAckOf = -1;
    } else {
      out.dupAckNum = Math.floor(dup / 4294967296);
      out.dupAckOf = (dup % 4294967296) - 1;
    }
    out.clientState = this.cState[index];
    out.serverState = this.sState[index];
    out.inferred = (b & F_INFERRED) !== 0;
    out.step = STEP_NAMES[this.stepIx[index]];
    return true;
  }

  /** A new object with packet `index`'s result, or undefined when it was not a TCP segment. */
  result(index: number): PacketResult | undefined {
    const r: PacketResult = emptyResult();
    return this.resultInto(index, r) ? r : undefined;
  }

  /** End of the capture: settle provisional states, build the summaries, run capture-level checks. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const list: Conversation[] = this.table.list;
    for (const conv of list) finishStates(conv, this.revisions);
    if (this.perf) {
      for (const conv of list) perfFinish(conv, this.lastNs);
      this.perfStore.trim();
      this.perfLog.pack();
    }
    const cache: ParamsCache = new Map();
    this.sums = list.map((conv) => summarize(conv, cache));
    this.floods = detectSynFlood(this.sums, this.synFloodMin);
    // the conversations' analysis and state objects are not read after this (the summaries are
    // built): let them go, ~1.8 KB a connection (the capture editor holds its engine for as long
    // as the capture is open: 9 bytes a packet of its benchmark's capture)
    this.connections = list.length;
    if (this.perf) {
      this.kept = list.map((c) => ({
        stream: c.stream, clientAddr: c.clientAddr, clientPort: c.clientPort, serverAddr: c.serverAddr, serverPort: c.serverPort, ext: { perf: c.ext.perf },
      }));
    }
    this.table.clear();
    this.trim();
  }

  /**
   * Drop the growth slack of the per-packet arrays once no packet can be added, and the `prev`
   * links (only revisions walk them, and none come after finish: 4 bytes a packet).
   */
  private trim(): void {
    this.prev = new Int32Array(0);
    const n = this.maxIndex + 1;
    if (n >= this.cap) return;
    this.stream = this.stream.slice(0, n);
    if (this.keepSeqAck) {
      this.relSeq = this.relSeq.slice(0, n);
      this.relAck = this.relAck.slice(0, n);
      this.win = this.win.slice(0, n);
    }
    this.analysis = this.analysis.slice(0, n);
    this.cState = this.cState.slice(0, n);
    this.sState = this.sState.slice(0, n);
    this.bits = this.bits.slice(0, n);
    this.stepIx = this.stepIx.slice(0, n);
    if (this.perf) this.perfCols.trim(n);
    this.cap = n;
  }

  /** The last packet's performance values (tshark's ack_rtt, acks_frame, bytes_in_flight): reused, like add's result. */
  get perfPacket(): Readonly<PerfPacket> {
    return this.perfOut;
  }

  /** Packet `index`'s tcp.analysis.ack_rtt in ns (0: none). */
  ackRttNs(index: number): number {
    return !this.perf || index > this.maxIndex ? 0 : this.perfCols.ackRttNs(index);
  }

  /** Packet `index`'s tcp.analysis.bytes_in_flight (0: none). */
  bytesInFlight(index: number): number {
    return !this.perf || index > this.maxIndex ? 0 : this.perfCols.bytesInFlight(index);
  }

  /** The conversations in stream order (their perf state: conv.ext.perf, src/core/perf); after finish() only what perf readers need. */
  conversations(): readonly PerfConversation[] {
    return this.finished ? this.kept : this.table.list;
  }

  /** Per-connection summaries in stream order (call finish() first). */
  summaries(): ConnectionSummary[] {
    if (!this.finished) throw new Error('TcpEngine.summaries before finish()');
    return this.sums;
  }

  /**
   * Per-connection summaries of the packets added so far, without finishing (a capture followed
   * while it is written, issue 16): states as of the last packet, problems as they stand (a
   * connection still open may show CLOSE_WAIT that its next packet ends). After finish(), summaries().
   */
  liveSummaries(): ConnectionSummary[] {
    if (this.finished) return this.sums;
    const cache: ParamsCache = new Map();
    return this.table.list.map((conv) => summarize(conv, cache));
  }

  /** SYN-flood findings of finish(). */
  synFloods(): SynFloodFinding[] {
    return this.floods;
  }

  /** Number of connections seen so far. */
  get connectionCount(): number {
    return this.finished ? this.connections : this.table.size;
  }
}
