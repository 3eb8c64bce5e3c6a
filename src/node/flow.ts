/**
 * Flow graphs of a capture file or a tcpdump text log (Node side: file access). A capture is read
 * twice, like `capture-lens packets`: the engine's pass first, then each TCP packet with its
 * final (settled) result.
 */
import { buildFlowGraph, type FlowGraph, type FlowOptions, type FlowPacket } from '../core/flow/model';
import { analyzeLog } from '../core/log/model';
import { emptyResult } from '../core/tcp/types';
import { flowPacket, logFlowPackets } from '../core/flow/packets';
import { analyzeCaptureFile, visitCaptureFile } from './analyze';

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
    packets.push(flowPacket(seg, r));
  });
  return buildFlowGraph(packets, { ...opts, streams });
}

/** The flow graph of a tcpdump text log (all streams, or those given). */
export function flowOfLog(text: string, streams?: number[], opts: Omit<FlowOptions, 'streams'> = {}): FlowGraph {
  return buildFlowGraph(logFlowPackets(analyzeLog(text)), { ...opts, streams });
}
