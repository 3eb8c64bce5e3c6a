/**
 * The flow graph's packets of a capture, served by the decoding worker (request `flowPackets`,
 * src/worker/messages.ts). Once indexing is over (the engine's results are then final), the TCP
 * packets of the streams asked for are re-read by position from the file, in batches, decoded
 * again and turned into FlowPackets like src/node/flow.ts's whole-file pass (src/core/flow/packets.ts;
 * the unit tests compare both).
 *
 * The index's engine keeps no relative sequence / ack numbers or scaled windows (12 bytes a packet
 * the editor would hold for the flow graph alone): they are got by running a fresh TcpEngine over
 * the packets drawn, in capture order. That gives the index's numbers: they depend only on the
 * packet's own conversation (its base sequence numbers and window scale, set from its first
 * packets), a stream's packets are all of its conversation's from its first one on, and a stream's
 * first packet starts a conversation in both engines. States, analysis and dup-ACK numbers come
 * from the index's engine (they may be revised by later packets, and port reuse needs the
 * streams before).
 */
import { decodeRecord, DecodedPacket } from '../core/decode/index';
import type { FlowPacket } from '../core/flow/model';
import { flowPacket } from '../core/flow/packets';
import { TcpEngine } from '../core/tcp/engine';
import { scratchSegment, segmentFromPacket } from '../core/tcp/fromPacket';
import type { CaptureIndex } from './captureIndex';

/** Packets re-read per batch (bounded memory for the frames read at once). */
const BATCH = 4096;

/**
 * The TCP packets of `streams` (all when undefined), in capture order, with their final engine
 * results. Waits for indexing to end; a capture whose indexing was cancelled or stopped by damage
 * answers with what was indexed. At most `limit` packets (the first ones) when given.
 */
export async function flowPackets(idx: CaptureIndex, streams?: readonly number[], limit = Infinity): Promise<FlowPacket[]> {
  // a file still being written (follow mode, issue 16) is answered at once with what is indexed, states as of now
  if (!idx.following) await idx.indexed;
  const want = streams ? new Set(streams) : null;
  const out: FlowPacket[] = [];
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const replay = new TcpEngine({ keepSeqAck: false });
  let replayed = 0;
  const n = idx.count;
  let batch: number[] = [];
  const flush = async (): Promise<void> => {
    const list = batch;
    batch = [];
    await idx.visitRecords(list, (rec, r) => {
      if (r === null || out.length >= limit) return;
      const seg = segmentFromPacket(decodeRecord(pkt, rec), rec, scratch);
      if (seg === null) return;
      // numbered 0, 1, … in the replay: its arrays hold the packets drawn, not the whole capture
      seg.index = replayed++;
      const again = replay.add(seg);
      r.relSeq = again.relSeq;
      r.relAck = again.relAck;
      r.winScaled = again.winScaled;
      seg.index = rec.index;
      out.push(flowPacket(seg, r));
    });
  };
  for (let i = 0; i < n && out.length + batch.length < limit; i++) {
    const s = idx.stream(i);
    if (s < 0 || (want !== null && !want.has(s))) continue;
    batch.push(i);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  return out;
}
