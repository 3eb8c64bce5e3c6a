/**
 * Issue 14's figures in the capture editor, computed on demand in the decoding worker so the index
 * keeps nothing more per packet (0 bytes: the index's engine runs without `perf`):
 *
 * - `connPackets(stream)`: the stream's packets re-read by position, decoded and replayed through a
 *   ConnRecorder (src/core/perf/connPackets.ts) — the columns the Graphs panel draws from. The
 *   last GRAPH_CACHE connections stay cached (at most 2 × 82 MB for two 2 M-packet connections).
 * - `packetPerf(index)`: tshark's ack_rtt and bytes_in_flight of one packet (the details tree's
 *   line), from its stream's columns — only when they are cached or the stream is small enough to
 *   replay at once (DETAILS_REPLAY_MAX), so selecting a packet never waits on a big replay.
 * - `perfConns()`: per connection RTT, throughput, retransmission share, the dominant limit and the
 *   verdicts (the Connections tab's columns and its performance section), from one more pass over the TCP packets with a perf engine; cached. While it runs the
 *   engine holds 34 bytes a packet, released when it ends.
 */
import { decodeRecord, DecodedPacket } from '../core/decode/index';
import { TcpOptCursor } from '../core/decode/tcpOptions';
import { ConnRecorder, rowOfPacket, sackEdges, type ConnPackets } from '../core/perf/connPackets';
import { peerInFlightAfterAck } from '../core/perf/ackInFlight';
import { dominantLimit } from '../core/perf/limitedBy';
import { perfJson } from '../core/perf/summary';
import { TcpEngine } from '../core/tcp/engine';
import { scratchSegment, segmentFromPacket } from '../core/tcp/fromPacket';
import type { CaptureIndex } from './captureIndex';
import type { ConnPerfCells } from './api';

/** Packets re-read per batch (bounded memory for the frames read at once). */
const BATCH = 4096;
/** Connections whose columns stay cached (the graph drawn and the one before). */
const GRAPH_CACHE = 2;
/** A stream this small is replayed for the details line of one of its packets (~50 ms). */
export const DETAILS_REPLAY_MAX = 20_000;

export class PerfGraphs {
  private readonly cache: { stream: number; conn: Promise<ConnPackets> }[] = [];
  private conns: Promise<ConnPerfCells[]> | undefined;

  constructor(private readonly idx: CaptureIndex) {}

  /** Packets of `stream` in the index (a scan of the stream column: ~5 ms for 2 M packets). */
  private packetsOf(stream: number): number[] {
    const out: number[] = [];
    const n = this.idx.count;
    for (let i = 0; i < n; i++) if (this.idx.stream(i) === stream) out.push(i);
    return out;
  }

  /** The graph columns of one stream (replayed once, then cached). */
  connPackets(stream: number): Promise<ConnPackets> {
    const have = this.cache.find((c) => c.stream === stream);
    if (have) return have.conn;
    const conn = this.replay(stream);
    this.cache.unshift({ stream, conn });
    if (this.cache.length > GRAPH_CACHE) this.cache.length = GRAPH_CACHE;
    conn.catch(() => {
      const k = this.cache.findIndex((c) => c.conn === conn);
      if (k >= 0) this.cache.splice(k, 1);
    });
    return conn;
  }

  private async replay(stream: number): Promise<ConnPackets> {
    await this.idx.indexed;
    const list = this.packetsOf(stream);
    if (list.length === 0) throw new Error(`no TCP connection ${stream}`);
    const rec = new ConnRecorder();
    const pkt = new DecodedPacket();
    const seg = scratchSegment();
    const cur = new TcpOptCursor();
    let full = false;
    for (let k = 0; k < list.length && !full; k += BATCH) {
      await this.idx.visitRecords(list.slice(k, k + BATCH), (r) => {
        const s = full ? null : segmentFromPacket(decodeRecord(pkt, r), r, seg);
        if (s === null) return;
        s.sack = sackEdges(pkt, cur);
        if (!rec.add(s)) full = true;
      });
    }
    return rec.finish();
  }

  /**
   * ack_rtt (ms, 0: none), bytes in flight (0: none) and, for an ACK, the peer's bytes it leaves
   * unacknowledged (-1: no ACK) of packet `index`, or null when not computed now.
   */
  async packetPerf(index: number): Promise<{ rttMs: number; bytesInFlight: number; peerInFlight: number } | null> {
    const stream = this.idx.stream(index);
    if (stream < 0) return null;
    let have = this.cache.find((c) => c.stream === stream)?.conn;
    if (!have) {
      if (!this.idx.progress().done) return null; // a replay waits for indexing: the details do not
      let n = 0;
      const total = this.idx.count;
      for (let i = 0; i < total && n <= DETAILS_REPLAY_MAX; i++) if (this.idx.stream(i) === stream) n++;
      if (n > DETAILS_REPLAY_MAX) return null;
      have = this.connPackets(stream);
    }
    const c = await have;
    const row = rowOfPacket(c, index);
    if (row < 0) return null;
    return { rttMs: c.rttMs[row], bytesInFlight: c.bif[row], peerInFlight: peerInFlightAfterAck(c, row) };
  }

  /** The Connections tab's performance cells, one per stream (computed once, after indexing). */
  perfConns(): Promise<ConnPerfCells[]> {
    this.conns ??= this.measureAll();
    return this.conns;
  }

  private async measureAll(): Promise<ConnPerfCells[]> {
    await this.idx.indexed;
    const engine = new TcpEngine({ perf: true, keepSeqAck: false });
    const pkt = new DecodedPacket();
    const seg = scratchSegment();
    const n = this.idx.count;
    let batch: number[] = [];
    let replayed = 0;
    const flush = async (): Promise<void> => {
      const list = batch;
      batch = [];
      await this.idx.visitRecords(list, (r) => {
        const s = segmentFromPacket(decodeRecord(pkt, r), r, seg);
        if (s === null) return;
        s.index = replayed++; // the engine's arrays: one slot a TCP packet
        engine.add(s);
      });
    };
    for (let i = 0; i < n; i++) {
      if (this.idx.stream(i) < 0) continue;
      batch.push(i);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    engine.finish();
    return engine.conversations().map((conv) => cellsOf(conv.stream, perfJson(conv)));
  }
}

function cellsOf(stream: number, p: ReturnType<typeof perfJson>): ConnPerfCells {
  if (!p) return { stream, rttMs: null, throughput: [0, 0], retx: [0, 0], limitedBy: null, verdicts: [] };
  const a = p.clientToServer;
  const b = p.serverToClient;
  const data = (a.bytes >= b.bytes ? a : b).dataRtt ?? a.dataRtt ?? b.dataRtt;
  return {
    stream,
    rttMs: p.handshake ? p.handshake.rttMs : data ? data.medianMs : null,
    throughput: [a.throughput, b.throughput],
    retx: [a.retransmissionRate, b.retransmissionRate],
    limitedBy: dominantLimit(p),
    verdicts: p.verdicts,
  };
}
