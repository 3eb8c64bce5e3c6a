/**
 * A tcpdump text log run through the same TCP engine as a capture: parse, feed every TCP packet
 * to the engine, finish, and keep what the editor features need (CodeLens, diagnostics, outline,
 * folding, hovers). Pure TypeScript; one pass over the packets.
 */
import { parseTcpdumpText, scratchSegment, toSegmentInput } from '../text/index';
import type { ParsedLog, ParseOptions, TextPacket } from '../text/model';
import { TcpEngine } from '../tcp/engine';
import { emptyResult as blankResult, S_CLOSED, S_LISTEN, type ConnectionSummary } from '../tcp/types';

export interface LogModel {
  log: ParsedLog;
  engine: TcpEngine;
  /** Connection summaries in stream order (after the SYN-flood check). */
  summaries: ConnectionSummary[];
  /** Per text packet: its stream, or -1 when it is not a TCP segment the engine took. */
  streamOf: Int32Array;
  /** Per text packet: the previous packet (text index) of the same stream, -1 for a stream's first. */
  prevInStream: Int32Array;
  /** Per stream: its first and last text packet. */
  firstOfStream: Int32Array;
  lastOfStream: Int32Array;
}

/** Parse a log and run its TCP packets through the engine. */
export function analyzeLog(text: string, options: ParseOptions = {}): LogModel {
  const log = parseTcpdumpText(text, options);
  return analyzeParsedLog(log);
}

export function analyzeParsedLog(log: ParsedLog): LogModel {
  const engine = new TcpEngine();
  const n = log.packets.length;
  // one input object for every packet: the engine reads it and keeps nothing of it
  const scratch = scratchSegment();
  const packets = log.packets;
  for (let i = 0; i < n; i++) {
    const seg = toSegmentInput(packets[i], i, scratch);
    if (seg !== null) engine.add(seg);
  }
  engine.finish();
  const summaries = engine.summaries();
  const streamOf = new Int32Array(n).fill(-1);
  const prevInStream = new Int32Array(n).fill(-1);
  const firstOfStream = new Int32Array(summaries.length).fill(-1);
  const lastOfStream = new Int32Array(summaries.length).fill(-1);
  const r = blankResult();
  for (let i = 0; i < n; i++) {
    if (!engine.resultInto(i, r)) continue;
    const s = r.stream;
    streamOf[i] = s;
    if (s >= firstOfStream.length) continue;
    if (firstOfStream[s] < 0) firstOfStream[s] = i;
    prevInStream[i] = lastOfStream[s];
    lastOfStream[s] = i;
  }
  return { log, engine, summaries, streamOf, prevInStream, firstOfStream, lastOfStream };
}

export { emptyResult as blankResult } from '../tcp/types';

/**
 * Both endpoints' states before packet `i` (after the previous packet of its stream). Before a
 * stream's first packet the client is CLOSED and the server LISTEN — unless the engine found that
 * nothing listened (a refused SYN, a simultaneous open): then the server was CLOSED too.
 */
export function statesBefore(m: LogModel, i: number): { client: number; server: number } {
  const prev = m.prevInStream[i];
  const r = blankResult();
  if (prev < 0) {
    const listened = !(m.engine.resultInto(i, r) && r.serverState === S_CLOSED);
    return { client: S_CLOSED, server: listened ? S_LISTEN : S_CLOSED };
  }
  m.engine.resultInto(prev, r);
  return { client: r.clientState, server: r.serverState };
}

/** The text packet at a line (a packet's continuation and hex lines included), or null. */
export function packetAtLine(m: LogModel, line: number): TextPacket | null {
  if (line < 0 || line >= m.log.packetOfLine.length) return null;
  const i = m.log.packetOfLine[line];
  return i >= 0 ? m.log.packets[i] : null;
}
