/**
 * Flow graphs of a capture file or a tcpdump text log (Node side: file access). A capture is read
 * twice, like `capture-lens packets`: the engine's pass first, then each TCP packet with its
 * final (settled) result. flowOfCapture / flowOfLog build the whole graph (tests, exports of a
 * window); writeFlow (the CLI's `flow`) writes it row by row instead, so that its memory is the
 * engine's and one output chunk, whatever the number of rows.
 */
import type { Writable } from 'node:stream';
import {
  arrowTimeText,
  buildFlowGraph,
  flowConnOf,
  flowEndpoints,
  FlowRowBuilder,
  secText,
  type FlowConn,
  type FlowGraph,
  type FlowOptions,
  type FlowPacket,
  type FlowRow,
  type FlowStreamPlan,
} from '../core/flow/model';
import { FlowSvgWriter } from '../core/flow/svg';
import { flowTextTimeWidth, FlowTextWriter } from '../core/flow/text';
import { decodeRecord, DecodedPacket } from '../core/decode/index';
import { analyzeLog, type LogModel } from '../core/log/model';
import { scratchSegment, segmentFromPacket } from '../core/tcp/fromPacket';
import { TcpEngine } from '../core/tcp/engine';
import { emptyResult } from '../core/tcp/types';
import { scratchSegment as scratchTextSegment, toSegmentInput } from '../core/text/index';
import { flowPacket, logFlowPackets } from '../core/flow/packets';
import { analyzeCaptureFile, visitCaptureFile } from './analyze';
import { readCaptureFile, type ReadSummary } from './captureFile';
import { BufferedOutput } from './output';
import { partialRead } from '../core/capture/types';
import { FtpDataTracker, ftpDataLabels } from '../core/decode/app/ftpData';

/** The flow graph of a capture file (all streams, or those given). Read errors after the first packets are tolerated (a cut capture still draws). */
export async function flowOfCapture(file: string, streams?: number[], opts: Omit<FlowOptions, 'streams'> = {}): Promise<FlowGraph> {
  // FTP's control connection names its data connections (FTP-DATA), as in `capture-lens conns`
  const ftp = new FtpDataTracker();
  const { engine, read } = await analyzeCaptureFile(file, (rec, pkt) => ftp.observe(pkt, rec.index));
  if (read.error && !partialRead(read.error)) throw new Error(read.error.message);
  const want = streams ? new Set(streams) : null;
  const packets: FlowPacket[] = [];
  const r = emptyResult();
  await visitCaptureFile(file, (_rec, _pkt, seg) => {
    if (seg === null || !engine.resultInto(seg.index, r)) return;
    if (want && !want.has(r.stream)) return;
    packets.push(flowPacket(seg, r));
  });
  const apps = ftpDataLabels(ftp, engine.summaries());
  return buildFlowGraph(packets, { ...opts, streams, ...(apps.size > 0 ? { apps } : {}) });
}

/** The flow graph of a tcpdump text log (all streams, or those given). */
export function flowOfLog(text: string, streams?: number[], opts: Omit<FlowOptions, 'streams'> = {}): FlowGraph {
  return buildFlowGraph(logFlowPackets(analyzeLog(text)), { ...opts, streams });
}

// -------------------------------------------------------------------------------------------------
// Streamed: the CLI's `flow`, in memory that does not grow with the rows

/**
 * The packets a streamed flow graph is drawn from: a capture (analysed once, read again while
 * drawing) or a tcpdump log's model.
 */
export interface FlowSource {
  /** Every stream's connection (as its first packet shows it), in stream order. */
  conns: FlowConn[];
  /** The time of each TCP packet of these streams, in order (to lay out the time column before drawing). */
  forEachTime(want: ReadonlySet<number>, f: (sec: number, nsec: number) => void): void;
  /**
   * Each TCP packet of these streams, in order, with its final result. `onReading` gets the
   * capture's reading, to pause while the output is full; a log waits for `out.room()` itself.
   */
  visit(want: ReadonlySet<number>, f: (p: FlowPacket) => void, out: BufferedOutput, onReading: (r: { pause(): void; resume(): void }) => void): Promise<void>;
}

/** Packet times by packet number, grown as a capture is read (12 bytes a packet, beside the engine's ~40). */
class Times {
  sec = new Float64Array(1024);
  nsec = new Int32Array(1024);
  set(i: number, sec: number, nsec: number): void {
    if (i >= this.sec.length) {
      let n = this.sec.length * 2;
      while (n <= i) n *= 2;
      const s = new Float64Array(n);
      s.set(this.sec);
      const ns = new Int32Array(n);
      ns.set(this.nsec);
      this.sec = s;
      this.nsec = ns;
    }
    this.sec[i] = sec;
    this.nsec[i] = nsec;
  }
}

/** A capture's first pass for a streamed flow graph: the engine, each stream's connection and each packet's time. */
export async function captureFlowSource(file: string): Promise<{ source: FlowSource; read: ReadSummary }> {
  const engine = new TcpEngine();
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const times = new Times();
  const conns = new Map<number, FlowConn>();
  const firstOf = new Map<number, number>();
  const ftp = new FtpDataTracker();
  let maxIndex = -1;
  const read = await readCaptureFile(file, {
    onRecord(rec) {
      decodeRecord(pkt, rec);
      const seg = segmentFromPacket(pkt, rec, scratch);
      if (!seg) return;
      ftp.observe(pkt, rec.index);
      const r = engine.add(seg);
      times.set(seg.index, seg.tsSec, seg.tsNsec);
      if (seg.index > maxIndex) maxIndex = seg.index;
      if (!conns.has(r.stream)) {
        conns.set(r.stream, flowConnOf(seg, r.stream, r.dir));
        firstOf.set(r.stream, seg.index);
      }
    },
  }).done;
  engine.finish();
  // FTP-DATA: the data connections the control connection announced before they opened
  for (const c of conns.values()) {
    const app = ftp.label(c.client, c.server, firstOf.get(c.stream));
    if (app !== '') c.app = app;
  }
  const r = emptyResult();
  const source: FlowSource = {
    conns: Array.from(conns.values()).sort((a, b) => a.stream - b.stream),
    forEachTime(want, f) {
      for (let i = 0; i <= maxIndex; i++) if (engine.resultInto(i, r) && want.has(r.stream)) f(times.sec[i], times.nsec[i]);
    },
    async visit(want, f, _out, onReading) {
      const res = emptyResult();
      await visitCaptureFile(
        file,
        (_rec, _pkt, seg) => {
          if (seg !== null && engine.resultInto(seg.index, res) && want.has(res.stream)) f(flowPacket(seg, res));
        },
        onReading,
      );
    },
  };
  return { source, read };
}

/** A tcpdump log's packets for a streamed flow graph. */
export function logFlowSource(m: LogModel): FlowSource {
  const packets = m.log.packets;
  const scratch = scratchTextSegment();
  const r = emptyResult();
  const conns: FlowConn[] = [];
  for (let s = 0; s < m.firstOfStream.length; s++) {
    const i = m.firstOfStream[s];
    if (i < 0) continue;
    const seg = toSegmentInput(packets[i], i, scratch);
    if (seg !== null && m.engine.resultInto(i, r)) conns.push(flowConnOf(seg, s, r.dir));
  }
  /** Packet i's segment when it is a row of these streams (as logFlowPackets takes them), else null. */
  const rowSeg = (i: number, want: ReadonlySet<number>) => {
    const s = m.streamOf[i];
    if (s < 0 || !want.has(s)) return null;
    const seg = toSegmentInput(packets[i], i, scratch);
    return seg !== null && m.engine.resultInto(i, r) ? seg : null;
  };
  return {
    conns,
    forEachTime(want, f) {
      for (let i = 0; i < packets.length; i++) {
        const seg = rowSeg(i, want);
        if (seg !== null) f(seg.tsSec, seg.tsNsec);
      }
    },
    async visit(want, f, out) {
      for (let i = 0; i < packets.length; i++) {
        const seg = rowSeg(i, want);
        if (seg === null) continue;
        f(flowPacket(seg, r));
        if (out.blocked) await out.room();
      }
    },
  };
}

export interface WriteFlowOptions {
  svg?: boolean;
  absolute?: boolean;
  /** Said at the top of the output (text: a "Note:" line; SVG: its <desc>). */
  note?: string;
  /** Output chunk size (default 64 KiB). */
  chunk?: number;
}

/**
 * Write the flow graph of the planned streams to `stream` as text or SVG, row by row, waiting
 * while the stream is full: memory holds the source's engine and one output chunk, not the rows.
 * The text is the same as flowText / flowSvg of the whole graph (time column: relative).
 */
export async function writeFlow(source: FlowSource, plan: FlowStreamPlan, stream: Writable, opts: WriteFlowOptions = {}): Promise<void> {
  const want = new Set(plan.streams);
  const { lifelines } = flowEndpoints(plan.conns);
  // the layout first: how many rows, and the time column's width (the longest relative time)
  let rows = 0;
  let t0Sec = 0;
  let t0Nsec = 0;
  let longest = 0;
  source.forEachTime(want, (sec, nsec) => {
    if (rows++ === 0) {
      t0Sec = sec;
      t0Nsec = nsec;
    }
    const len = secText((sec - t0Sec) * 1e9 + (nsec - t0Nsec)).length;
    if (len > longest) longest = len;
  });
  let reading: { pause(): void; resume(): void } | undefined;
  const out = new BufferedOutput(stream, opts.chunk ?? 1 << 16, () => reading?.pause(), () => reading?.resume());
  const builder = new FlowRowBuilder(lifelines, opts.absolute === true);
  let row: (r: FlowRow) => string;
  let end: () => string;
  if (opts.svg) {
    const w = new FlowSvgWriter(lifelines, rows);
    out.write(w.head(opts.note));
    row = (r) => w.row(r.arrow, r.states, r.markers, arrowTimeText(r.arrow));
    end = () => w.end(builder.brackets, rows - 1);
  } else {
    const w = new FlowTextWriter({ lifelines, several: plan.streams.length > 1, timeWidth: flowTextTimeWidth(longest) });
    if (opts.note) out.write(`Note: ${opts.note}\n\n`);
    out.write(w.head());
    row = (r) => w.row(r.arrow, r.states, r.markers, arrowTimeText(r.arrow));
    end = () => '';
  }
  await source.visit(want, (p) => out.write(row(builder.add(p))), out, (r) => (reading = r));
  out.write(end());
  await out.end();
}
