/**
 * What an ACK leaves in flight (issue 14: "details of an ACK show its RTT sample and in-flight
 * bytes"). tshark's bytes_in_flight is a property of data segments only — a pure ACK has none — so
 * for an ACK the useful figure is the other side's: the bytes it had sent (sequence space, SYN and
 * FIN counted as one each, as relative numbers count them) that this ACK still leaves unacknowledged.
 */
import { TH_ACK, TH_FIN, TH_SYN } from '../decode/packet';
import type { Translate } from '../explain/l10n';
import type { LogModel } from '../log/model';
import { rowOfPacket, type ConnPackets } from './connPackets';
import { logConnPackets } from './logGraph';

/**
 * Bytes of the peer still unacknowledged after row `row`'s ACK: the highest sequence number the peer
 * sent before it minus this ACK number; -1 when the row carries no ACK or the peer sent nothing yet.
 * One backward walk over the connection's rows (at most MAX_GRAPH_PACKETS: a few ms for one click).
 */
export function peerInFlightAfterAck(c: ConnPackets, row: number): number {
  if (row < 0 || row >= c.n || (c.flags[row] & TH_ACK) === 0) return -1;
  const d = c.dir[row];
  let end = -1;
  for (let r = row - 1; r >= 0; r--) {
    if (c.dir[r] === d) continue;
    const f = c.flags[r];
    const e = c.seq[r] + c.len[r] + (f & TH_SYN ? 1 : 0) + (f & TH_FIN ? 1 : 0);
    if (e > end) end = e;
  }
  if (end < 0) return -1;
  return Math.max(0, end - c.ack[row]);
}

/** The `ack` hover's second line for log packet `i`: what this ACK leaves in flight, or null (no ACK, not TCP). */
export function logAckInFlightText(m: LogModel, i: number, t: Translate): string | null {
  const stream = i >= 0 && i < m.streamOf.length ? m.streamOf[i] : -1;
  if (stream < 0) return null;
  const c = logConnPackets(m, stream);
  const left = peerInFlightAfterAck(c, rowOfPacket(c, i));
  return left < 0 ? null : t('Still in flight after this ACK: {0} bytes the other side sent that it does not acknowledge yet.', left);
}
