/**
 * Flow graphs of a capture file or a tcpdump text log (Node side: file access). A capture is read
 * twice, like `capture-lens packets`: the engine's pass first, then each TCP packet with its
 * final (settled) result.
 */
import { buildFlowGraph, type FlowGraph, type FlowOptions, type FlowPacket } from '../core/flow/model';
import { analyzeLog } from '../core/log/model';
import { toSegmentInput } from '../core/text/index';
import { emptyResult, type SegmentInput } from '../core/tcp/types';
import type { TcpEngine } from '../core/tcp/engine';
import { analyzeCaptureFile, visitCaptureFile } from './analyze';

function flowPacket(seg: SegmentInput, engine: TcpEngine): FlowPacket | null {
  const r = emptyResult();
  if (!engine.resultInto(seg.index, r)) return null;
  return {
    index: seg.index,
    tsSec: seg.tsSec,
    tsNsec: seg.tsNsec,
    src: seg.src,
    dst: seg.dst,
    sport: seg.sport,
    dport: seg.dport,
    flags: seg.flags,
    seq: r.relSeq,
    ack: r.relAck,
    seqRaw: seg.seq,
    ackRaw: seg.ack,
    win: r.winScaled,
    len: seg.len,
    result: r,
  };
}

/** The flow graph of a capture file (all streams, or those given). Read errors after the first packets are tolerated (a cut capture still draws). */
export async function flowOfCapture(file: string, streams?: number[], opts: Omit<FlowOptions, 'streams'> = {}): Promise<FlowGraph> {
  const { engine, read } = await analyzeCaptureFile(file);
  if (read.error && read.error.kind !== 'truncated' && read.error.kind !== 'corrupt') throw new Error(read.error.message);
  const want = streams ? new Set(streams) : null;
  const packets: FlowPacket[] = [];
  const r = emptyResult();
  await visitCaptureFile(file, (_rec, _pkt, seg) => {
    if (seg === null || !engine.resultInto(seg.index, r)) return;
    if (want && !want.has(r.stream)) return;
    const fp = flowPacket(seg, engine);
    if (fp) packets.push(fp);
  });
  return buildFlowGraph(packets, { ...opts, streams });
}

/** The flow graph of a tcpdump text log (all streams, or those given). */
export function flowOfLog(text: string, streams?: number[], opts: Omit<FlowOptions, 'streams'> = {}): FlowGraph {
  const m = analyzeLog(text);
  const packets: FlowPacket[] = [];
  m.log.packets.forEach((p, i) => {
    const seg = toSegmentInput(p, i);
    if (seg === null) return;
    const fp = flowPacket(seg, m.engine);
    if (fp) packets.push(fp);
  });
  return buildFlowGraph(packets, { ...opts, streams });
}
