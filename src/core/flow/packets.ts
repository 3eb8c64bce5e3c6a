/**
 * FlowPackets: what the flow graph draws from, made one way for every source — a capture read
 * whole (src/node/flow.ts), the capture editor's worker re-reading chosen packets
 * (src/worker/flowPackets.ts) and a tcpdump log's model (the editor's log source, the CLI).
 */
import type { LogModel } from '../log/model';
import { scratchSegment, toSegmentInput } from '../text/index';
import { emptyResult, type PacketResult, type SegmentInput } from '../tcp/types';
import type { FlowPacket } from './model';

/** The FlowPacket of a segment and its final engine result (copied: engines refill theirs). */
export function flowPacket(seg: SegmentInput, r: PacketResult): FlowPacket {
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
    result: { ...r },
  };
}

/**
 * The TCP packets of a log model for the streams asked for (all when undefined), in log order, at
 * most `limit` (the first ones). A packet's `index` is its 0-based number in the log.
 */
export function logFlowPackets(m: LogModel, streams?: readonly number[], limit = Infinity): FlowPacket[] {
  const want = streams ? new Set(streams) : null;
  const out: FlowPacket[] = [];
  const scratch = scratchSegment();
  const r = emptyResult();
  const packets = m.log.packets;
  for (let i = 0; i < packets.length && out.length < limit; i++) {
    const s = m.streamOf[i];
    if (s < 0 || (want !== null && !want.has(s))) continue;
    const seg = toSegmentInput(packets[i], i, scratch);
    if (seg !== null && m.engine.resultInto(i, r)) out.push(flowPacket(seg, r));
  }
  return out;
}
