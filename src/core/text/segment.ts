/**
 * A parsed tcpdump text packet as the TCP engine's input (same contract as a decoded capture
 * packet through src/core/tcp/fromPacket.ts).
 */

import type { SegmentInput } from '../tcp/types';
import type { TextPacket } from './model';
import { portStandIn } from './services';

/**
 * The engine's view of a text packet, or null when it is not a TCP segment whose ports and flags
 * were read. Sequence numbers are the raw ones rebuilt by the parser (`absSeq`/`absAck`); a port
 * shown as an unknown service name gets a stable stand-in number (49152..65535).
 */
export function toSegmentInput(p: TextPacket, index: number = p.index): SegmentInput | null {
  if (p.l4 !== 'tcp' || p.flags < 0 || p.srcPortText === '' || p.dstPortText === '') return null;
  const sport = p.sport >= 0 ? p.sport : portStandIn(p.srcPortText);
  const dport = p.dport >= 0 ? p.dport : portStandIn(p.dstPortText);
  let len = p.length >= 0 ? p.length : 0;
  if (p.length < 0 && p.seqEnd >= 0 && p.seq >= 0) len = (p.seqEnd - p.seq) >>> 0;
  const seg: SegmentInput = {
    index,
    tsSec: p.tsSec,
    tsNsec: p.tsNsec,
    src: p.srcHost,
    dst: p.dstHost,
    sport,
    dport,
    flags: p.flags,
    seq: p.absSeq >= 0 ? p.absSeq : 0,
    ack: p.absAck >= 0 ? p.absAck : 0,
    win: p.win >= 0 ? p.win : 0,
    len,
    mss: p.mss,
    wscale: p.wscale,
    sackOk: p.sackOk,
    tsVal: p.tsVal,
    tsEcr: p.tsEcr,
  };
  if (p.absSack !== null && p.absSack.length > 0) seg.sack = p.absSack;
  if (p.cutShort || p.truncated || p.problem !== '') seg.damaged = true;
  return seg;
}
