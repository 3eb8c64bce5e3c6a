/**
 * A parsed tcpdump text packet as the TCP engine's input (same contract as a decoded capture
 * packet through src/core/tcp/fromPacket.ts).
 */

import type { SegmentInput } from '../tcp/types';
import type { TextPacket } from './model';
import { portStandIn } from './services';
import { endpointsOf, fillSegment } from './store';

/**
 * The engine's view of a text packet, or null when it is not a TCP segment whose ports and flags
 * were read. Sequence numbers are the raw ones rebuilt by the parser (`absSeq`/`absAck`); a port
 * shown as an unknown service name gets a stable stand-in number (49152..65535).
 *
 * `into`: an object to fill instead of a new one (the engine does not keep its inputs, so one
 * object can carry every packet); its optional fields are then set to undefined / false when the
 * packet has none.
 */
export function toSegmentInput(p: TextPacket, index: number = p.index, into?: SegmentInput): SegmentInput | null {
  const ep = endpointsOf(p);
  if (into !== undefined && ep !== null) {
    // a packet of the parser, into a given object: straight from the packet's row
    if (ep.srcPortText === '' || ep.dstPortText === '') return null;
    const sport = ep.sport >= 0 ? ep.sport : portStandIn(ep.srcPortText);
    const dport = ep.dport >= 0 ? ep.dport : portStandIn(ep.dstPortText);
    if (ep.srcNum !== ep.srcNum) {
      ep.srcNum = ipv4Number(ep.srcHost);
      ep.dstNum = ep.srcNum >= 0 ? ipv4Number(ep.dstHost) : -1;
    }
    return fillSegment(p, index, into, ep, sport, dport) ? into : null;
  }
  if (p.l4 !== 'tcp' || p.flags < 0) return null;
  const srcPortText = ep !== null ? ep.srcPortText : p.srcPortText;
  const dstPortText = ep !== null ? ep.dstPortText : p.dstPortText;
  if (srcPortText === '' || dstPortText === '') return null;
  const src = ep !== null ? ep.srcHost : p.srcHost;
  const dst = ep !== null ? ep.dstHost : p.dstHost;
  const sp = ep !== null ? ep.sport : p.sport;
  const dp = ep !== null ? ep.dport : p.dport;
  const sport = sp >= 0 ? sp : portStandIn(srcPortText);
  const dport = dp >= 0 ? dp : portStandIn(dstPortText);
  const length = p.length;
  let len = length >= 0 ? length : 0;
  if (length < 0) {
    const seqEnd = p.seqEnd;
    const seq = p.seq;
    if (seqEnd >= 0 && seq >= 0) len = (seqEnd - seq) >>> 0;
  }
  // dotted IPv4 hosts: numeric endpoint keys, so the engine finds conversations without string keys
  let a: number;
  let b: number;
  if (ep !== null) {
    if (ep.srcNum !== ep.srcNum) {
      ep.srcNum = ipv4Number(src);
      ep.dstNum = ep.srcNum >= 0 ? ipv4Number(dst) : -1;
    }
    a = ep.srcNum;
    b = ep.dstNum;
  } else {
    a = ipv4Number(src);
    b = a >= 0 ? ipv4Number(dst) : -1;
  }
  const absSeq = p.absSeq;
  const absAck = p.absAck;
  const win = p.win;
  const absSack = p.absSack;
  const damaged = p.cutShort || p.truncated || p.problem !== '';
  if (into !== undefined) {
    into.index = index;
    into.tsSec = p.tsSec;
    into.tsNsec = p.tsNsec;
    into.src = src;
    into.dst = dst;
    into.sport = sport;
    into.dport = dport;
    into.flags = p.flags;
    into.seq = absSeq >= 0 ? absSeq : 0;
    into.ack = absAck >= 0 ? absAck : 0;
    into.win = win >= 0 ? win : 0;
    into.len = len;
    into.mss = p.mss;
    into.wscale = p.wscale;
    into.sackOk = p.sackOk;
    into.tsVal = p.tsVal;
    into.tsEcr = p.tsEcr;
    into.sack = absSack !== null && absSack.length > 0 ? absSack : undefined;
    into.damaged = damaged;
    if (b >= 0) {
      into.srcKey = a * 65536 + sport;
      into.dstKey = b * 65536 + dport;
    } else {
      into.srcKey = undefined;
      into.dstKey = undefined;
    }
    return into;
  }
  const seg: SegmentInput = {
    index,
    tsSec: p.tsSec,
    tsNsec: p.tsNsec,
    src,
    dst,
    sport,
    dport,
    flags: p.flags,
    seq: absSeq >= 0 ? absSeq : 0,
    ack: absAck >= 0 ? absAck : 0,
    win: win >= 0 ? win : 0,
    len,
    mss: p.mss,
    wscale: p.wscale,
    sackOk: p.sackOk,
    tsVal: p.tsVal,
    tsEcr: p.tsEcr,
  };
  if (absSack !== null && absSack.length > 0) seg.sack = absSack;
  if (damaged) seg.damaged = true;
  if (b >= 0) {
    seg.srcKey = a * 65536 + sport;
    seg.dstKey = b * 65536 + dport;
  }
  return seg;
}

/** A SegmentInput to pass to toSegmentInput as `into` (every field present, so its shape never changes). */
export function scratchSegment(): SegmentInput {
  return {
    index: 0, tsSec: 0, tsNsec: 0, src: '', dst: '', sport: 0, dport: 0, flags: 0, seq: 0, ack: 0, win: 0, len: 0,
    mss: -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1, sack: undefined, srcKey: undefined, dstKey: undefined, damaged: false,
  };
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
