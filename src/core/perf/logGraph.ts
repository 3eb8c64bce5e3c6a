/**
 * Issue 14's per-packet figures for a tcpdump text log: one connection's ConnPackets
 * (./connPackets.ts) replayed from the log model's packets on demand and cached with the model (a
 * new model per document version), so the log's own engine run stays as it is (no `perf`). The
 * Graphs panel draws from it and the `ack` hover reads its RTT sample.
 */
import { scratchSegment, toSegmentInput } from '../text/index';
import type { Translate } from '../explain/l10n';
import type { LogModel } from '../log/model';
import { ConnRecorder, rowOfPacket, type ConnPackets } from './connPackets';

const cache = new WeakMap<LogModel, Map<number, ConnPackets>>();
/** Connections kept per model (the graph drawn, the hovers around it). */
const PER_MODEL = 4;

/** The columns of one stream of a log (throws when the log has no such connection). */
export function logConnPackets(m: LogModel, stream: number): ConnPackets {
  let map = cache.get(m);
  if (!map) cache.set(m, (map = new Map()));
  const have = map.get(stream);
  if (have) return have;
  if (!Number.isInteger(stream) || stream < 0 || stream >= m.firstOfStream.length || m.firstOfStream[stream] < 0) throw new Error(`no TCP connection ${stream}`);
  const rec = new ConnRecorder();
  const scratch = scratchSegment();
  const last = m.lastOfStream[stream];
  for (let i = m.firstOfStream[stream]; i <= last; i++) {
    if (m.streamOf[i] !== stream) continue;
    const seg = toSegmentInput(m.log.packets[i], i, scratch);
    if (seg !== null && !rec.add(seg)) break;
  }
  const c = rec.finish();
  if (map.size >= PER_MODEL) map.delete(map.keys().next().value as number);
  map.set(stream, c);
  return c;
}

/** tshark's ack_rtt (ms) of log packet `i`, 0 when it gave none (or is not TCP). */
export function logAckRttMs(m: LogModel, i: number): number {
  const stream = i >= 0 && i < m.streamOf.length ? m.streamOf[i] : -1;
  if (stream < 0) return 0;
  const c = logConnPackets(m, stream);
  const row = rowOfPacket(c, i);
  return row < 0 ? 0 : c.rttMs[row];
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3);
}

/** The hover's line for an `ack` field: the RTT sample this ACK gives, or null when it gives none. */
export function ackRttText(m: LogModel, i: number, t: Translate): string | null {
  const rtt = logAckRttMs(m, i);
  if (!(rtt > 0)) return null;
  return t('RTT sample: {0} ms — this ACK came {0} ms after the data segment it acknowledges (tshark\'s tcp.analysis.ack_rtt).', ms(rtt));
}
