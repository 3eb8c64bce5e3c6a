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
  // dotted IPv4 hosts: numeric endpoint keys, so the engine finds conversations without string keys
  const a = ipv4Number(p.srcHost);
  const b = a >= 0 ? ipv4Number(p.dstHost) : -1;
  if (b >= 0) {
    seg.srcKey = a * 65536 + sport;
    seg.dstKey = b * 65536 + dport;
  }
  return seg;
}

/** "10.0.0.1" → its 32-bit value; -1 for anything else (names, IPv6). */
function ipv4Number(s: string): number {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + part;
}
