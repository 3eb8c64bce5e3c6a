/**
 * Performance measurement of TCP connections (issue 14, "Why is it slow?"), fed in the engine's one
 * pass right after analyzeSegment (it reads that packet's analysis flags and the per-direction
 * FlowState: base sequence number). Pure TypeScript.
 *
 * Per packet (own typed arrays, 8 bytes a packet): tshark's tcp.analysis.ack_rtt (ns, Uint32, 0 = none;
 * a sample ≥ 2^32 − 1 ns ≈ 4.3 s goes to a Map, as rare as the engine's duplicate ACKs) and
 * tcp.analysis.bytes_in_flight (Uint32, 0 = none), computed with Wireshark 4.0's rules
 * (see unacked.ts and `add` below).
 *
 * Per connection (PerfConn, in conv.ext.perf): handshake times (the latest SYN, as Wireshark's
 * ts_mru_syn), RTT samples (data, Karn's rule; timestamp echo), bytes and retransmitted bytes (so
 * throughput and goodput), loss episodes, spurious retransmissions, zero-window and window-full time.
 * RTT samples are values only (their times are the per-packet column's); a list is bounded: past
 * MAX_SAMPLES it keeps every second sample (quantiles then come from the kept half). Not in the pass
 * yet: throughput over time (a series would come from a second look at the packets).
 */

import type { Conversation } from '../tcp/analysis';
import {
  A_FAST_RETRANSMISSION,
  A_LOST_SEGMENT,
  A_OUT_OF_ORDER,
  A_RETRANSMISSION,
  A_SPURIOUS_RETRANSMISSION,
  A_WINDOW_FULL,
  type SegmentInput,
} from '../tcp/types';
import { ConnPatterns, LimitState, limitsAdd, limitsFinish } from './limits';
import { Samples } from './samples';
import { UnackedList, type AckMatch } from './unacked';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

export { MAX_SAMPLES, Samples } from './samples';

export interface LossEpisode {
  /** 'fast': began with a fast retransmission; 'rto': with a retransmission after a timeout. */
  kind: 'fast' | 'rto';
  /** Packet index of the first retransmission. */
  packet: number;
  /** For 'rto': time from the oldest unacknowledged segment to the retransmission (Wireshark's tcp.analysis.rto), ns. */
  waitedNs: number;
  /** Retransmitted segments and bytes in the episode. */
  segments: number;
  bytes: number;
}

/** One direction's measurements (the sender's view: data it sent, samples its data gave). */
export class PerfDir {
  readonly unacked = new UnackedList();
  /** Wireshark's valid_bif: cleared by a lost segment, set again by an ACK from the peer. */
  validBif = true;
  segments = 0;
  /** Payload bytes sent, and those in segments flagged as retransmissions (fast / spurious included). */
  bytes = 0;
  retxBytes = 0;
  retxSegments = 0;
  spuriousSegments = 0;
  spuriousBytes = 0;
  firstNs = -1;
  lastNs = -1;
  /** tshark's ack_rtt samples the peer's ACKs gave (count; the values are in the per-packet column). */
  ackRttSamples = 0;
  /** RTT samples of this direction's data, Karn-clean (a segment sent once, with data). */
  readonly dataRtt = new Samples();
  /** Timestamp-echo samples: this side's TSval echoed back by the peer. */
  readonly tsRtt = new Samples();
  maxInFlight = 0;
  readonly episodes: LossEpisode[] = [];
  /** Highest next-seq when the current loss episode began (retransmissions below it belong to it). */
  recoverSeq = 0;
  inEpisode = false;
  /** This side advertised a zero window since (ns), or -1; total zero-window time (ns). */
  zeroSinceNs = -1;
  zeroNs = 0;
  zeroEpisodes = 0;
  /** This side filled the peer's window at (ns), or -1; total window-full time (ns) and events. */
  fullSinceNs = -1;
  fullNs = 0;
  fullEvents = 0;
  /** The latest distinct TSval this side sent and when it was first sent (ns; -1 once echoed), for TS-echo samples. */
  tsVal = -1;
  tsValNs = -1;
  /**
   * The SACK blocks this side sent last, as tshark keeps them for bytes_in_flight: their total length
   * (mod 2^32) and count (the first 3 blocks of this side's latest packet: packet-tcp.c
   * dissect_tcpopt_sack stores at most 3; a packet without the option clears them).
   */
  sackBytes = 0;
  sackCount = 0;
  /** The first packet advertising a zero window (-1 none). */
  zeroFirstPkt = -1;
  /** What limited this sender (limits.ts). */
  readonly lim = new LimitState();
}

/** Per-connection performance state (conv.ext.perf). */
export class PerfConn {
  readonly dirs: [PerfDir, PerfDir] = [new PerfDir(), new PerfDir()];
  /** Handshake times (ns since the epoch as doubles: µs-exact, ample for RTTs), -1 when not seen. */
  synNs = -1;
  synAckNs = -1;
  ackNs = -1;
  /** SYN retries, request → response gaps (limits.ts). */
  readonly pat = new ConnPatterns();
}

/** Result of `add` for one packet (reused object). */
export interface PerfPacket {
  /** tcp.analysis.ack_rtt in ns (0: none) and tcp.analysis.acks_frame (0-based index, -1: none). */
  ackRttNs: number;
  acksFrame: number;
  /** tcp.analysis.bytes_in_flight (0: none). */
  bytesInFlight: number;
}

const match: AckMatch = { frame: -1, sec: 0, nsec: 0, matches: 0, marked: false, len: 0 };

export function perfOf(conv: Conversation): PerfConn {
  let p = conv.ext.perf as PerfConn | undefined;
  if (p === undefined) {
    p = new PerfConn();
    conv.ext.perf = p;
  }
  return p;
}

/**
 * One segment, after analyzeSegment filled `analysis` for it. Reproduces, from packet-tcp.c 4.0
 * (tcp_analyze_sequence_number): the segment (data, SYN or FIN) joins its direction's unacked list;
 * this packet's ACK number then clears the peer's list, and when it equals a listed segment's end the
 * time since that segment is ack_rtt; bytes in flight (data segments only, while valid_bif) is the span
 * of this direction's list, minus 1 for SYN/FIN, shown when in (0, 2·10^9).
 */
export function perfAdd(conv: Conversation, dir: 0 | 1, seg: SegmentInput, analysis: number, out: PerfPacket, perf: PerfConn = perfOf(conv)): void {
  const fwd = perf.dirs[dir];
  const rev = perf.dirs[dir ^ 1];
  const flags = seg.flags;
  const seq = seg.seq >>> 0;
  const ack = seg.ack >>> 0;
  const len = seg.len >>> 0;
  const sec = seg.tsSec;
  const nsec = seg.tsNsec;
  const tNs = sec * 1e9 + nsec;
  out.ackRttNs = 0;
  out.acksFrame = -1;
  out.bytesInFlight = 0;

  // valid_bif: an ACK re-enables the peer's count; a lost segment disables this side's.
  if (flags & TH_ACK) rev.validBif = true;
  if (analysis & A_LOST_SEGMENT) fwd.validBif = false;

  // Loss episodes and RTO wait, before this segment joins the list (the oldest listed is what timed out).
  const isRetx = (analysis & A_RETRANSMISSION) !== 0;
  if (isRetx && len > 0 && (analysis & A_SPURIOUS_RETRANSMISSION) === 0) {
    const ep = fwd.episodes[fwd.episodes.length - 1];
    if (fwd.inEpisode && ep !== undefined && ((seq - fwd.recoverSeq) | 0) < 0) {
      ep.segments++;
      ep.bytes += len;
    } else {
      const fast = (analysis & A_FAST_RETRANSMISSION) !== 0;
      const flow = conv.flows[dir];
      const old = fwd.unacked.oldestNs();
      const refNs = old >= 0 ? old : flow.nextSeqSec * 1e9 + flow.nextSeqNsec;
      fwd.episodes.push({ kind: fast ? 'fast' : 'rto', packet: seg.index, waitedNs: fast ? 0 : Math.max(0, tNs - refNs), segments: 1, bytes: len });
      fwd.inEpisode = true;
      fwd.recoverSeq = flow.nextSeq;
    }
  }

  // The segment joins this direction's list.
  const synFin = flags & (TH_SYN | TH_FIN) ? 1 : 0;
  if (len > 0 || synFin) {
    const marked = (analysis & (A_RETRANSMISSION | A_OUT_OF_ORDER)) !== 0;
    fwd.unacked.pushSeg(seg, synFin, marked);
  }

  // This packet's ACK number against the peer's list.
  rev.unacked.ackSeg(seg, match);
  if (match.frame >= 0) {
    const rtt = (sec - match.sec) * 1e9 + (nsec - match.nsec);
    if (rtt !== 0) {
      out.ackRttNs = rtt;
      rev.ackRttSamples++;
      // Karn: a sample only from a segment sent once (one copy listed, not a retransmission), with data.
      if (match.matches === 1 && !match.marked && match.len > 1 && rtt > 0) rev.dataRtt.addMs(rtt);
    }
    out.acksFrame = match.frame;
  }
  if (rev.inEpisode && gtSeqOrEq(ack, rev.recoverSeq) && flags & TH_ACK) rev.inEpisode = false;

  // This side's SACK blocks (they count for the peer's bytes in flight).
  const sack = seg.sack;
  if (sack !== undefined && sack.length >= 2) {
    let n = 0;
    let sum = 0;
    for (let i = 0; i + 1 < sack.length && n < 3; i += 2, n++) sum = (sum + ((sack[i + 1] - sack[i]) >>> 0)) >>> 0;
    fwd.sackBytes = sum;
    fwd.sackCount = n;
  } else fwd.sackCount = 0;

  // Bytes in flight of this direction (historical, payload-based method: Wireshark 4.0's default; a RST
  // carrying data counts too, as in tshark), less the bytes of the SACK blocks the peer sent last, in
  // tshark's unsigned 32-bit arithmetic (more SACKed than spanned wraps past 2·10^9: none shown).
  if (len > 0 && fwd.validBif && fwd.unacked.count > 0) {
    let span = fwd.unacked.spanFrom(conv.flows[dir]);
    if (rev.sackCount > 0) span = (span - rev.sackBytes) >>> 0;
    if (span > 0 && span < 2_000_000_000) {
      out.bytesInFlight = synFin ? span - 1 : span;
      if (out.bytesInFlight > fwd.maxInFlight) fwd.maxInFlight = out.bytesInFlight;
    }
  }

  // Handshake.
  const sa = flags & (TH_SYN | TH_ACK);
  if (sa === TH_SYN) perf.synNs = tNs;
  else if (sa === (TH_SYN | TH_ACK) && perf.synAckNs < 0) perf.synAckNs = tNs;
  else if (sa === TH_ACK && perf.synAckNs >= 0 && perf.ackNs < 0 && dir !== 1) perf.ackNs = tNs;

  // Volume, retransmissions, throughput.
  fwd.segments++;
  if (fwd.firstNs < 0) fwd.firstNs = tNs;
  fwd.lastNs = tNs;
  if (len > 0) {
    fwd.bytes += len;
    if (isRetx) {
      fwd.retxBytes += len;
      fwd.retxSegments++;
    }
    if (analysis & A_SPURIOUS_RETRANSMISSION) {
      fwd.spuriousSegments++;
      fwd.spuriousBytes += len;
    }
  }

  // Zero window (advertised by this side) and window full (this side filled the peer's window).
  if ((flags & (TH_SYN | TH_RST)) === 0) {
    if (seg.win === 0) {
      if (fwd.zeroSinceNs < 0) {
        fwd.zeroSinceNs = tNs;
        fwd.zeroEpisodes++;
        if (fwd.zeroFirstPkt < 0) fwd.zeroFirstPkt = seg.index;
      }
    } else if (fwd.zeroSinceNs >= 0) {
      fwd.zeroNs += Math.max(0, tNs - fwd.zeroSinceNs);
      fwd.zeroSinceNs = -1;
    }
  }
  if (analysis & A_WINDOW_FULL) {
    fwd.fullEvents++;
    if (fwd.fullSinceNs < 0) fwd.fullSinceNs = tNs;
  }
  if (rev.fullSinceNs >= 0 && flags & TH_ACK) {
    rev.fullNs += Math.max(0, tNs - rev.fullSinceNs);
    rev.fullSinceNs = -1;
  }

  // Timestamp echo (RFC 7323's measurement): the peer's first echo of this side's latest new TSval.
  if (seg.tsEcr > 0 && flags & TH_ACK && seg.tsEcr === rev.tsVal && rev.tsValNs >= 0) {
    const rtt = tNs - rev.tsValNs;
    if (rtt >= 0) rev.tsRtt.addMs(rtt);
    rev.tsValNs = -1; // one sample per TSval
  }
  if (seg.tsVal >= 0 && seg.tsVal !== fwd.tsVal) {
    fwd.tsVal = seg.tsVal;
    fwd.tsValNs = tNs;
  }

  limitsAdd(conv, dir, seg, isRetx, out.ackRttNs, match.frame >= 0 ? match.len : 0, perf);
}

function gtSeqOrEq(x: number, y: number): boolean {
  return ((x - y) | 0) >= 0;
}

/** End of capture: close open zero-window / window-full periods at each direction's last packet. */
export function perfFinish(conv: Conversation, endNs: number): void {
  const p = conv.ext.perf as PerfConn | undefined;
  if (!p) return;
  limitsFinish(p, endNs);
  // what only the pass needs goes, the rest is trimmed: the engine keeps its conversations after finish
  p.pat.answerMs.compact();
  for (const d of p.dirs) {
    d.unacked.release();
    d.dataRtt.compact();
    d.tsRtt.compact();
    d.lim.ceiling.compact();
    d.lim.nagleDelays.compact();
    if (d.zeroSinceNs >= 0) {
      d.zeroNs += Math.max(0, endNs - d.zeroSinceNs);
      d.zeroSinceNs = -1;
    }
    if (d.fullSinceNs >= 0) {
      d.fullNs += Math.max(0, endNs - d.fullSinceNs);
      d.fullSinceNs = -1;
    }
  }
}
