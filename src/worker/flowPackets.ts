/**
 * The flow graph's packets of a capture, served by the decoding worker (request `flowPackets`,
 * src/worker/messages.ts). Once indexing is over (the engine's results are then final), the TCP
 * packets of the streams asked for are re-read by position from the file, in batches, decoded
 * again and turned into FlowPackets like src/node/flow.ts's whole-file pass (src/core/flow/packets.ts;
 * the unit tests compare both).
 */
import { decodeRecord, DecodedPacket } from '../core/decode/index';
import type { FlowPacket } from '../core/flow/model';
import { flowPacket } from '../core/flow/packets';
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
  await idx.indexed;
  const want = streams ? new Set(streams) : null;
  const out: FlowPacket[] = [];
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const n = idx.count;
  let batch: number[] = [];
  const flush = async (): Promise<void> => {
    const list = batch;
    batch = [];
    await idx.visitRecords(list, (rec, r) => {
      if (r === null || out.length >= limit) return;
      const seg = segmentFromPacket(decodeRecord(pkt, rec), rec, scratch);
      if (seg === null) return;
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
