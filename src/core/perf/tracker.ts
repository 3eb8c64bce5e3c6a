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
 * Per connection (PerfConn, in conv.ext.perf; its numbers in the engine's PerfStore, layout.ts): handshake times (the latest SYN, as Wireshark's
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
import { C, D, dirBase, PerfStore, S } from './layout';
import { limitsAdd, limitsFinish } from './limits';
import { SampleLog, Samples } from './samples';
import { UnackedList, type AckMatch } from './unacked';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

export { MAX_SAMPLES, SampleLog, Samples } from './samples';
export { PerfStore, S } from './layout';

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
  /** The direction that retransmitted. */
  dir: 0 | 1;
}

/** A sample list none of whose samples came: reads as empty. */
const NO_SAMPLES = new Samples();

/**
 * Per-connection performance state (conv.ext.perf): its numbers in the engine's PerfStore at `base`
 * (layout.ts), the two unacknowledged lists, the nine sample lists (in the engine's SampleLog, ids
 * `lists` + S: blocks of one Float32Array, no object a list) and the loss episodes (made at the
 * first). Three objects a connection where there were ~15, none holding a double.
 */
export class PerfConn {
  readonly base: number;
  /** Direction 0's and 1's unacknowledged segments. */
  readonly unacked0 = new UnackedList();
  readonly unacked1 = new UnackedList();
  /** Id of this connection's first sample list in `log` (S.COUNT of them). */
  readonly lists: number;
  /** Loss episodes of both directions in the order they began (each names its direction). */
  episodes: LossEpisode[] | null = null;

  constructor(readonly store: PerfStore = new PerfStore(), readonly log: SampleLog = new SampleLog()) {
    this.base = store.alloc();
    this.lists = log.register(S.COUNT);
  }

  /** Where sample `k` (S) goes: `sampleList(k).add(v)` (or addMs) appends it to the engine's log. */
  sampleList(k: number): SampleLog {
    return this.log.to(this.lists + k);
  }

  /** Sample list `k` to read (an empty one when none came; made for the call: read it, do not keep it for later samples). */
  samplesOf(k: number): Samples {
    return this.log.list(this.lists + k) ?? NO_SAMPLES;
  }

  /** A field of the connection (C) or, with a direction, of that direction (D). */
  get(field: number, dir?: 0 | 1): number {
    return this.store.f[dir === undefined ? this.base + field : dirBase(this.base, dir) + field];
  }
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
  const f = perf.store.f;
  const fw = dirBase(perf.base, dir);
  const rv = dirBase(perf.base, dir ^ 1);
  const fwdList = dir === 0 ? perf.unacked0 : perf.unacked1;
  const revList = dir === 0 ? perf.unacked1 : perf.unacked0;
  const flags = seg.flags;
  const ack = seg.ack >>> 0;
  const len = seg.len >>> 0;
  const sec = seg.tsSec;
  const nsec = seg.tsNsec;
  const tNs = sec * 1e9 + nsec;
  out.ackRttNs = 0;
  out.acksFrame = -1;
  out.bytesInFlight = 0;

  // valid_bif: an ACK re-enables the peer's count; a lost segment disables this side's.
  if (flags & TH_ACK) f[rv + D.ValidBif] = 1;
  if (analysis & A_LOST_SEGMENT) f[fw + D.ValidBif] = 0;

  // Loss episodes and RTO wait, before this segment joins the list (the oldest listed is what timed out).
  const isRetx = (analysis & A_RETRANSMISSION) !== 0;
  if (isRetx && len > 0 && (analysis & A_SPURIOUS_RETRANSMISSION) === 0) lossAdd(conv, dir, seg, analysis, perf, fwdList);

  // The segment joins this direction's list.
  const synFin = flags & (TH_SYN | TH_FIN) ? 1 : 0;
  if (len > 0 || synFin) {
    const marked = (analysis & (A_RETRANSMISSION | A_OUT_OF_ORDER)) !== 0;
    fwdList.pushSeg(seg, synFin, marked);
  }

  // This packet's ACK number against the peer's list.
  revList.ackSeg(seg, match);
  if (match.frame >= 0) {
    const rtt = (sec - match.sec) * 1e9 + (nsec - match.nsec);
    if (rtt !== 0) {
      out.ackRttNs = rtt;
      f[rv + D.AckRttSamples]++;
      // Karn: a sample only from a segment sent once (one copy listed, not a retransmission), with data.
      if (match.matches === 1 && !match.marked && match.len > 1 && rtt > 0) perf.sampleList(S.DataRtt + (dir ^ 1)).addMs(rtt);
    }
    out.acksFrame = match.frame;
  }
  if (f[rv + D.InEpisode] !== 0 && ((ack - f[rv + D.RecoverSeq]) | 0) >= 0 && flags & TH_ACK) f[rv + D.InEpisode] = 0;

  // This side's SACK blocks (they count for the peer's bytes in flight).
  const sack = seg.sack;
  if (sack !== undefined && sack.length >= 2) {
    let n = 0;
    let sum = 0;
    for (let i = 0; i + 1 < sack.length && n < 3; i += 2, n++) sum = (sum + ((sack[i + 1] - sack[i]) >>> 0)) >>> 0;
    f[fw + D.SackBytes] = sum;
    f[fw + D.SackCount] = n;
  } else f[fw + D.SackCount] = 0;

  // Bytes in flight of this direction (historical, payload-based method: Wireshark 4.0's default; a RST
  // carrying data counts too, as in tshark), less the bytes of the SACK blocks the peer sent last, in
  // tshark's unsigned 32-bit arithmetic (more SACKed than spanned wraps past 2·10^9: none shown).
  if (len > 0 && f[fw + D.ValidBif] !== 0 && fwdList.count > 0) {
    let span = fwdList.spanFrom(conv.flows[dir]);
    if (f[rv + D.SackCount] > 0) span = (span - f[rv + D.SackBytes]) >>> 0;
    if (span > 0 && span < 2_000_000_000) {
      const bif = synFin ? span - 1 : span;
      out.bytesInFlight = bif;
      if (bif > f[fw + D.MaxInFlight]) f[fw + D.MaxInFlight] = bif;
    }
  }

  // Handshake.
  const cb = perf.base;
  const sa = flags & (TH_SYN | TH_ACK);
  if (sa === TH_SYN) f[cb + C.SynNs] = tNs;
  else if (sa === (TH_SYN | TH_ACK) && f[cb + C.SynAckNs] < 0) f[cb + C.SynAckNs] = tNs;
  else if (sa === TH_ACK && f[cb + C.SynAckNs] >= 0 && f[cb + C.AckNs] < 0 && dir !== 1) f[cb + C.AckNs] = tNs;

  // Volume, retransmissions, throughput.
  f[fw + D.Segments]++;
  if (f[fw + D.FirstNs] < 0) f[fw + D.FirstNs] = tNs;
  f[fw + D.LastNs] = tNs;
  if (len > 0) {
    f[fw + D.Bytes] += len;
    if (isRetx) {
      f[fw + D.RetxBytes] += len;
      f[fw + D.RetxSegments]++;
    }
    if (analysis & A_SPURIOUS_RETRANSMISSION) {
      f[fw + D.SpuriousSegments]++;
      f[fw + D.SpuriousBytes] += len;
    }
  }

  // Zero window (advertised by this side) and window full (this side filled the peer's window).
  if ((flags & (TH_SYN | TH_RST)) === 0) {
    if (seg.win === 0) {
      if (f[fw + D.ZeroSinceNs] < 0) {
        f[fw + D.ZeroSinceNs] = tNs;
        f[fw + D.ZeroEpisodes]++;
        if (f[fw + D.ZeroFirstPkt] < 0) f[fw + D.ZeroFirstPkt] = seg.index;
      }
    } else if (f[fw + D.ZeroSinceNs] >= 0) {
      f[fw + D.ZeroNs] += Math.max(0, tNs - f[fw + D.ZeroSinceNs]);
      f[fw + D.ZeroSinceNs] = -1;
    }
  }
  if (analysis & A_WINDOW_FULL) {
    f[fw + D.FullEvents]++;
    if (f[fw + D.FullSinceNs] < 0) f[fw + D.FullSinceNs] = tNs;
  }
  if (f[rv + D.FullSinceNs] >= 0 && flags & TH_ACK) {
    f[rv + D.FullNs] += Math.max(0, tNs - f[rv + D.FullSinceNs]);
    f[rv + D.FullSinceNs] = -1;
  }

  // Timestamp echo (RFC 7323's measurement): the peer's first echo of this side's latest new TSval.
  if (seg.tsEcr > 0 && flags & TH_ACK && seg.tsEcr === f[rv + D.TsVal] && f[rv + D.TsValNs] >= 0) {
    const rtt = tNs - f[rv + D.TsValNs];
    if (rtt >= 0) perf.sampleList(S.TsRtt + (dir ^ 1)).addMs(rtt);
    f[rv + D.TsValNs] = -1; // one sample per TSval
  }
  if (seg.tsVal >= 0 && seg.tsVal !== f[fw + D.TsVal]) {
    f[fw + D.TsVal] = seg.tsVal;
    f[fw + D.TsValNs] = tNs;
  }

  limitsAdd(conv, dir, seg, isRetx, out.ackRttNs, match.frame >= 0 ? match.len : 0, perf);
}

/**
 * A retransmission with data (not spurious): it joins this direction's loss episode while below the
 * episode's recovery point, else begins one (its wait, for a timeout, from the oldest unacknowledged
 * segment). Rare: out of perfAdd so that perfAdd stays small enough to be optimized whole.
 */
function lossAdd(conv: Conversation, dir: 0 | 1, seg: SegmentInput, analysis: number, perf: PerfConn, list: UnackedList): void {
  const f = perf.store.f;
  const fw = dirBase(perf.base, dir);
  const seq = seg.seq >>> 0;
  const len = seg.len >>> 0;
  const eps = perf.episodes;
  const last = f[fw + D.EpisodeLast];
  if (f[fw + D.InEpisode] !== 0 && eps !== null && last >= 0 && ((seq - f[fw + D.RecoverSeq]) | 0) < 0) {
    const ep = eps[last];
    ep.segments++;
    ep.bytes += len;
    return;
  }
  const fast = (analysis & A_FAST_RETRANSMISSION) !== 0;
  const flow = conv.flows[dir];
  const old = list.oldestNs();
  const refNs = old >= 0 ? old : flow.nextSeqSec * 1e9 + flow.nextSeqNsec;
  const tNs = seg.tsSec * 1e9 + seg.tsNsec;
  const list2 = eps ?? (perf.episodes = []);
  f[fw + D.EpisodeLast] = list2.length;
  list2.push({ kind: fast ? 'fast' : 'rto', packet: seg.index, waitedNs: fast ? 0 : Math.max(0, tNs - refNs), segments: 1, bytes: len, dir });
  f[fw + D.InEpisode] = 1;
  f[fw + D.RecoverSeq] = flow.nextSeq;
}

/** End of capture: close open zero-window / window-full periods at each direction's last packet. */
export function perfFinish(conv: Conversation, endNs: number): void {
  const p = conv.ext.perf as PerfConn | undefined;
  if (!p) return;
  limitsFinish(p, endNs);
  // what only the pass needs goes: the engine keeps its conversations after finish (and packs the
  // sample lists, SampleLog.pack, once every connection is finished)
  p.unacked0.release();
  p.unacked1.release();
  const f = p.store.f;
  for (let dir = 0; dir < 2; dir++) {
    const o = dirBase(p.base, dir);
    if (f[o + D.ZeroSinceNs] >= 0) {
      f[o + D.ZeroNs] += Math.max(0, endNs - f[o + D.ZeroSinceNs]);
      f[o + D.ZeroSinceNs] = -1;
    }
    if (f[o + D.FullSinceNs] >= 0) {
      f[o + D.FullNs] += Math.max(0, endNs - f[o + D.FullSinceNs]);
      f[o + D.FullSinceNs] = -1;
    }
  }
}
