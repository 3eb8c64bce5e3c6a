/**
 * TCP conversation table, stream numbering and sequence analysis: a one-pass port of
 * Wireshark 4.0's epan/dissectors/packet-tcp.c (dissect_tcp's conversation handling,
 * tcp_analyze_sequence_number, window scaling), with tcp.relative_sequence_numbers TRUE and
 * the default preferences (analyze_seq TRUE, fastrt_precedence TRUE, default window scaling
 * "not known").
 *
 * Pure TypeScript, O(1) work per packet, no per-packet allocation except the flow key string.
 * All state is per conversation (two FlowState objects); nothing is kept per packet.
 *
 * Conventions: seq/ack arithmetic is modulo 2^32 (`>>> 0`); Wireshark's "0 means unset"
 * for nextseq / lastack / maxseqtobeacked is kept as is (it matters when a raw number is 0).
 * Packet numbers are our 0-based indexes (Wireshark's frame numbers minus 1).
 */

import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import { PairMap } from '../intMaps';
import {
  A_ACK_LOST_SEGMENT,
  A_DUPLICATE_ACK,
  A_FAST_RETRANSMISSION,
  A_KEEP_ALIVE,
  A_KEEP_ALIVE_ACK,
  A_LOST_SEGMENT,
  A_OUT_OF_ORDER,
  A_RETRANSMISSION,
  A_REUSED_PORTS,
  A_SPURIOUS_RETRANSMISSION,
  A_WINDOW_FULL,
  A_WINDOW_UPDATE,
  A_ZERO_WINDOW,
  A_ZERO_WINDOW_PROBE,
  A_ZERO_WINDOW_PROBE_ACK,
  PacketResult,
  SegmentInput,
} from './types';

/** Wireshark's fast-retransmission window after the last duplicate ACK: 20 ms. */
const FAST_RT_NS = 20_000_000;
/** Out-of-order threshold when no handshake RTT is known: 3 ms. */
const OOO_DEFAULT_NS = 3_000_000;

/** Window scale states, as Wireshark's tcp_flow_t.win_scale. */
export const WSCALE_UNKNOWN = -1;
/** Scaling known not to be used (SYN or SYN+ACK without the option). */
export const WSCALE_NONE = -2;

/** GT_SEQ(x, y): x after y in sequence space. */
function gtSeq(x: number, y: number): boolean {
  return ((y - x) | 0) < 0;
}
/** LT_SEQ(x, y). */
function ltSeq(x: number, y: number): boolean {
  return ((x - y) | 0) < 0;
}
/** LE_SEQ(x, y). */
function leSeq(x: number, y: number): boolean {
  return ((x - y) | 0) <= 0;
}

/** One direction of a conversation (Wireshark's tcp_flow_t + tcp_analyze_seq_flow_info_t). */
export class FlowState {
  /** Relative numbering base (ISN, or first seq − 1 when the SYN was not seen). */
  baseSeq = 0;
  baseSet = false;
  /** This side sent a SYN (without ACK) / a SYN+ACK as its first segment. */
  sawSyn = false;
  sawSynAck = false;
  /** Window shift: 0..14, WSCALE_UNKNOWN (-1) or WSCALE_NONE (-2). */
  winScale = WSCALE_UNKNOWN;
  /** Last raw window field sent by this side (Wireshark starts it at G_MAXUINT32). */
  window = 0xffffffff;
  /** Highest next-sequence seen (0 = none yet), when it was set, and the packet that set it. */
  nextSeq = 0;
  nextSeqSec = 0;
  nextSeqNsec = 0;
  nextSeqPacket = -1;
  /** Highest contiguous next-sequence, for "ACKed unseen segment". */
  maxSeqToBeAcked = 0;
  /** Last ACK number sent by this side and when. */
  lastAck = 0;
  lastAckSec = 0;
  lastAckNsec = 0;
  /** Duplicate-ACK counter (-1: neutralised by an "ACKed unseen segment") and the last packet whose ACK changed. */
  dupAckNum = 0;
  lastNonDupAck = -1;
  /** A_* bits of this side's last segment. */
  lastSegFlags = 0;
  /** A SYN was sent and no pure ACK since (window not yet scaled for "window full"). */
  isFirstAck = false;
}

export type RoleBy = 'syn' | 'syn-ack' | 'port' | 'first-packet';

export interface Conversation {
  /** Wireshark's tcp.stream: 0, 1, … in order of first packet. */
  stream: number;
  clientAddr: string;
  clientPort: number;
  serverAddr: string;
  serverPort: number;
  /** The client's numeric endpoint key (SegmentInput.srcKey/dstKey), -1 when the segments carry none. */
  clientKey: number;
  roleBy: RoleBy;
  /** 0-based index of the conversation's first packet. */
  firstPacket: number;
  /** Per-direction analysis state, indexed by dir (0 = client→server). */
  flows: [FlowState, FlowState];
  /** Time of the most recent SYN (without ACK), 0/0 when none (Wireshark's ts_mru_syn). */
  synSec: number;
  synNsec: number;
  /** Handshake RTT in ns (SYN → first pure ACK), 0 when unknown (Wireshark's ts_first_rtt). */
  firstRttNs: number;
  /** A_* bits decided at lookup time (port reuse) for packet `pendingIndex`. */
  pendingFlags: number;
  pendingIndex: number;
  /** Free slot for other parts of the engine (states, summaries). */
  ext: Record<string, unknown>;
}

/**
 * What a perf engine keeps of a conversation after finish (TcpEngine.conversations()): who talked and
 * its perf state (conv.ext.perf) — not the analysis and state objects (~1.8 KB a connection).
 */
export type PerfConversation = Pick<Conversation, 'stream' | 'clientAddr' | 'clientPort' | 'serverAddr' | 'serverPort' | 'ext'>;

function newConversation(
  stream: number,
  seg: SegmentInput,
  clientIsSrc: boolean,
  roleBy: RoleBy,
): Conversation {
  return {
    stream,
    clientAddr: clientIsSrc ? seg.src : seg.dst,
    clientPort: clientIsSrc ? seg.sport : seg.dport,
    serverAddr: clientIsSrc ? seg.dst : seg.src,
    serverPort: clientIsSrc ? seg.dport : seg.sport,
    clientKey: (clientIsSrc ? seg.srcKey : seg.dstKey) ?? -1,
    roleBy,
    firstPacket: seg.index,
    flows: [new FlowState(), new FlowState()],
    synSec: 0,
    synNsec: 0,
    firstRttNs: 0,
    pendingFlags: 0,
    pendingIndex: -1,
    ext: {},
  };
}

/** The symmetric flow key: both directions of a 4-tuple give the same string. */
export function flowKey(src: string, sport: number, dst: string, dport: number): string {
  if (src < dst || (src === dst && sport <= dport)) return src + ' ' + sport + ' ' + dst + ' ' + dport;
  return dst + ' ' + dport + ' ' + src + ' ' + sport;
}

/**
 * Conversations by 4-tuple, numbered like Wireshark's tcp.stream. A SYN (without ACK) whose
 * sequence number differs from the ISN its side used before starts a new conversation (new
 * stream) flagged reused_ports, as Wireshark 4.0 does; a SYN repeating that ISN stays in the
 * conversation (a retransmission; the sender's next sequence is rewound to its highest contiguous
 * one). A SYN+ACK with a new ISN re-bases the responder's relative numbers and is flagged
 * reused_ports. (No time-based reuse: Wireshark 4.0 has none.)
 */
export class ConversationTable {
  private readonly map = new Map<string, Conversation>();
  /**
   * IPv4 segments that carry numeric endpoint keys (SegmentInput.srcKey/dstKey) are found here
   * instead, without building a string key: {srcKey, dstKey} → stream number (index in `list`).
   */
  private readonly numMap = new PairMap();
  /** Every conversation in stream order (replaced ones included). */
  readonly list: Conversation[] = [];

  get size(): number {
    return this.list.length;
  }

  /** Direction of the segment `find` was last called with (0 = client→server). */
  dir: 0 | 1 = 0;

  /**
   * The conversation of `seg` and its direction (0 = client→server), creating it (next stream
   * number) when the 4-tuple is new or a SYN reuses the ports.
   */
  lookup(seg: SegmentInput): { conv: Conversation; dir: 0 | 1 } {
    const conv = this.find(seg);
    return { conv, dir: this.dir };
  }

  /**
   * `lookup` without its result object: the conversation, its direction left in `dir`. The engine
   * calls this once a packet; the `{conv, dir}` object was 40 bytes a packet (79 MB of short-lived
   * garbage over the 2 M-packet bench, perf on or off).
   */
  find(seg: SegmentInput): Conversation {
    const numeric = seg.srcKey !== undefined && seg.dstKey !== undefined;
    const key = numeric ? '' : flowKey(seg.src, seg.sport, seg.dst, seg.dport);
    let conv = numeric ? this.list[this.numMap.get(seg.srcKey!, seg.dstKey!)] : this.map.get(key);
    const synAck = seg.flags & (TH_SYN | TH_ACK);
    if (conv === undefined) {
      conv = this.create(key, seg);
      this.dir = dirOf(conv, seg);
      return conv;
    }
    let dir = dirOf(conv, seg);
    if (synAck === TH_SYN) {
      const fwd = conv.flows[dir];
      if (fwd.baseSet) {
        if ((seg.seq >>> 0) !== fwd.baseSeq) {
          conv = this.create(key, seg);
          dir = 0;
          conv.pendingFlags = A_REUSED_PORTS;
          conv.pendingIndex = seg.index;
        } else {
          // Same ISN: a retransmitted SYN. Wireshark 4.0 (issue 17616) rewinds nextseq to the
          // highest contiguous seq, as a RST may have been sent with SEQ = the ACK received.
          fwd.nextSeq = fwd.maxSeqToBeAcked;
        }
      }
    } else if (synAck === (TH_SYN | TH_ACK)) {
      const fwd = conv.flows[dir];
      if (fwd.baseSet && (seg.seq >>> 0) !== fwd.baseSeq) {
        // Issue 16944: the responder picked a new ISN; re-base it.
        fwd.baseSeq = seg.seq >>> 0;
        conv.pendingFlags = A_REUSED_PORTS;
        conv.pendingIndex = seg.index;
      }
    }
    this.dir = dir;
    return conv;
  }

  private create(key: string, seg: SegmentInput): Conversation {
    const synAck = seg.flags & (TH_SYN | TH_ACK);
    let clientIsSrc: boolean;
    let roleBy: RoleBy;
    if (synAck === TH_SYN) {
      clientIsSrc = true;
      roleBy = 'syn';
    } else if (synAck === (TH_SYN | TH_ACK)) {
      clientIsSrc = false;
      roleBy = 'syn-ack';
    } else if (seg.sport !== seg.dport) {
      clientIsSrc = seg.sport > seg.dport;
      roleBy = 'port';
    } else {
      clientIsSrc = true;
      roleBy = 'first-packet';
    }
    const conv = newConversation(this.list.length, seg, clientIsSrc, roleBy);
    this.list.push(conv);
    if (seg.srcKey !== undefined && seg.dstKey !== undefined) this.numMap.set(seg.srcKey, seg.dstKey, conv.stream);
    else this.map.set(key, conv);
    return conv;
  }

  clear(): void {
    this.map.clear();
    this.numMap.clear();
    this.list.length = 0;
  }
}

function dirOf(conv: Conversation, seg: SegmentInput): 0 | 1 {
  if (seg.srcKey !== undefined && conv.clientKey >= 0) return seg.srcKey === conv.clientKey ? 0 : 1;
  return seg.src === conv.clientAddr && seg.sport === conv.clientPort ? 0 : 1;
}

/**
 * Analyse one segment of `conv` sent in direction `dir` (as returned by ConversationTable.lookup),
 * in capture order, and fill the analysis part of `out`: stream, dir, relSeq, relAck, winScaled
 * (Wireshark's tcp.window_size), analysis (A_* bits, Wireshark's tcp.analysis.* fields: a fast or
 * spurious retransmission also carries A_RETRANSMISSION, as tshark shows tcp.analysis.retransmission
 * for them), dupAckNum and dupAckOf.
 */
export function analyzeSegment(conv: Conversation, dir: 0 | 1, seg: SegmentInput, out: PacketResult): void {
  const fwd = conv.flows[dir];
  const rev = conv.flows[dir ^ 1];
  const seq = seg.seq >>> 0;
  const ack = seg.ack >>> 0;
  const seglen = seg.len >>> 0;
  const flags = seg.flags;
  const window = seg.win;
  const sec = seg.tsSec;
  const nsec = seg.tsNsec;

  let a = 0;
  if (conv.pendingIndex === seg.index) {
    a = conv.pendingFlags;
    conv.pendingFlags = 0;
    conv.pendingIndex = -1;
  }
  let dupNum = 0;
  let dupOf = -1;

  // ---- tcp_analyze_sequence_number --------------------------------------------------------
  if (!fwd.baseSet) {
    if (flags & TH_SYN) {
      fwd.baseSeq = seq;
      if (flags & TH_ACK) fwd.sawSynAck = true;
      else fwd.sawSyn = true;
    } else {
      fwd.baseSeq = (seq - 1) >>> 0;
    }
    fwd.baseSet = true;
  }
  if (!rev.baseSet && flags & TH_ACK) {
    rev.baseSeq = (ack - 1) >>> 0;
    rev.baseSet = true;
  }

  const noSFR = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
  fwdChecks: {
    // Zero window probe: next expected seq, 1 byte, peer's window 0.
    if (seglen === 1 && seq === fwd.nextSeq && rev.window === 0) {
      a |= A_ZERO_WINDOW_PROBE;
      break fwdChecks;
    }
    // Zero window: window 0 and none of SYN/FIN/RST.
    if (window === 0 && noSFR) a |= A_ZERO_WINDOW;
    // Lost segment: beyond the highest next seq seen (not for RST).
    if (fwd.nextSeq !== 0 && gtSeq(seq, fwd.nextSeq) && (flags & TH_RST) === 0) a |= A_LOST_SEGMENT;
    // Keep-alive: 0 or 1 byte starting one before the next expected seq.
    if (seglen <= 1 && seq === ((fwd.nextSeq - 1) >>> 0) && noSFR) a |= A_KEEP_ALIVE;
    // Window update: empty, same seq/ack as before, new non-zero window.
    if (
      seglen === 0 &&
      window !== 0 &&
      window !== fwd.window &&
      seq === fwd.nextSeq &&
      ack === fwd.lastAck &&
      noSFR
    ) {
      a |= A_WINDOW_UPDATE;
    }
    // Window full: data reaching the right edge of the peer's advertised window.
    if (seglen > 0 && rev.winScale !== WSCALE_UNKNOWN && noSFR) {
      const shift = rev.isFirstAck || rev.winScale === WSCALE_NONE ? 0 : rev.winScale;
      if (((seq + seglen) >>> 0) === ((rev.lastAck + ((rev.window << shift) >>> 0)) >>> 0)) a |= A_WINDOW_FULL;
    }
    const sameAsBefore = seglen === 0 && window === fwd.window && seq === fwd.nextSeq && ack === fwd.lastAck && noSFR;
    // Keep-alive ACK: repeats the previous ACK after a keep-alive from the peer.
    if (sameAsBefore && window !== 0 && rev.lastSegFlags & A_KEEP_ALIVE) {
      a |= A_KEEP_ALIVE_ACK;
      break fwdChecks;
    }
    // Zero window probe ACK: repeats the previous zero-window ACK after a probe from the peer.
    if (sameAsBefore && window === 0 && rev.lastSegFlags & A_ZERO_WINDOW_PROBE) {
      a |= A_ZERO_WINDOW_PROBE_ACK;
      break fwdChecks;
    }
    // Duplicate ACK: empty, same window/seq/ack as this side's previous segment. (Wireshark also
    // skips it when the MPTCP options seen on the connection changed; SegmentInput carries no
    // MPTCP information, so that exception is not modelled.)
    if (sameAsBefore && window !== 0) {
      fwd.dupAckNum = fwd.dupAckNum === -1 ? 1 : fwd.dupAckNum + 1;
      a |= A_DUPLICATE_ACK;
      dupNum = fwd.dupAckNum;
      dupOf = fwd.lastNonDupAck;
    }
  }

  // finished_fwd: a new ACK number resets the duplicate-ACK counter.
  if (ack !== fwd.lastAck) {
    fwd.lastNonDupAck = seg.index;
    fwd.dupAckNum = 0;
  }

  // ACKed unseen segment: acknowledges beyond the peer's highest contiguous seq. If the peer
  // sent more since (a hole), move that mark to its next seq and flag; otherwise flag only once
  // until the peer sends a new ACK (its dup-ACK counter, -1 here, is the "already said" mark).
  // (4.0.17 behaviour, checked with tshark: the mark moves when it is before nextseq.)
  if (rev.maxSeqToBeAcked !== 0 && gtSeq(ack, rev.maxSeqToBeAcked) && flags & TH_ACK) {
    if (ltSeq(rev.maxSeqToBeAcked, rev.nextSeq)) {
      rev.maxSeqToBeAcked = rev.nextSeq;
      a |= A_ACK_LOST_SEGMENT;
    } else {
      if (rev.dupAckNum === 0) a |= A_ACK_LOST_SEGMENT;
      rev.dupAckNum = -1;
    }
  }

  // Retransmission / fast retransmission / spurious retransmission / out of order.
  if ((seglen > 0 || flags & (TH_SYN | TH_FIN)) && (a & A_KEEP_ALIVE) === 0) {
    let notAdvanced = fwd.nextSeq !== 0 && ltSeq(seq, fwd.nextSeq);
    // More than one byte starting right after a (possible) zero window probe: new data.
    if (seglen > 1 && ((fwd.nextSeq - 1) >>> 0) === seq) notAdvanced = false;
    if (seglen > 0 && rev.lastAck !== 0 && leSeq((seq + seglen) >>> 0, rev.lastAck)) {
      a |= A_SPURIOUS_RETRANSMISSION | A_RETRANSMISSION;
    } else {
      const tAck = (sec - rev.lastAckSec) * 1e9 + (nsec - rev.lastAckNsec);
      // (dupacknum is a guint32 in Wireshark: its -1 mark compares as >= 2 here.)
      if (notAdvanced && rev.dupAckNum >>> 0 >= 2 && rev.lastAck === seq && tAck >= 0 && tAck < FAST_RT_NS) {
        a |= A_FAST_RETRANSMISSION | A_RETRANSMISSION;
      } else {
        const tNext = (sec - fwd.nextSeqSec) * 1e9 + (nsec - fwd.nextSeqNsec);
        const rtt = conv.firstRttNs;
        const thres = rtt === 0 ? OOO_DEFAULT_NS : rtt < 0 ? Infinity : rtt;
        const synFin = flags & (TH_SYN | TH_FIN) ? 1 : 0;
        if (notAdvanced && tNext >= 0 && tNext < thres && fwd.nextSeq !== ((seq + seglen + synFin) >>> 0)) {
          a |= A_OUT_OF_ORDER;
        } else if (notAdvanced) {
          a |= A_RETRANSMISSION;
        }
      }
    }
  }

  // finished_checking_retransmission_type: advance nextseq / maxseqtobeacked.
  let nextSeq = (seq + seglen) >>> 0;
  if (flags & (TH_SYN | TH_FIN)) nextSeq = (nextSeq + 1) >>> 0;
  if (gtSeq(nextSeq, fwd.nextSeq) || fwd.nextSeq === 0) {
    if ((a & A_ZERO_WINDOW_PROBE) === 0) {
      fwd.nextSeq = nextSeq;
      fwd.nextSeqSec = sec;
      fwd.nextSeqNsec = nsec;
      fwd.nextSeqPacket = seg.index;
    }
  }
  if (seq === fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked === 0) {
    if ((a & A_ZERO_WINDOW_PROBE) === 0) fwd.maxSeqToBeAcked = fwd.nextSeq;
  }
  fwd.window = window;
  fwd.lastAck = ack;
  fwd.lastAckSec = sec;
  fwd.lastAckNsec = nsec;
  fwd.lastSegFlags = a;

  // ---- dissect_tcp: relative numbers and scaled window ---------------------------------------
  out.stream = conv.stream;
  out.dir = dir;
  out.relSeq = (seq - fwd.baseSeq) >>> 0;
  out.relAck = flags & TH_ACK ? (ack - rev.baseSeq) >>> 0 : ack;
  out.winScaled = (flags & TH_SYN) === 0 && fwd.winScale >= 0 ? window * (1 << fwd.winScale) : window;
  out.analysis = a;
  out.dupAckNum = dupNum;
  out.dupAckOf = dupOf;

  // SYN bookkeeping (first RTT, "is first ack"), then the window scale option and its check.
  const synAck = flags & (TH_SYN | TH_ACK);
  if (flags & TH_SYN) {
    if (synAck === TH_SYN) {
      conv.synSec = sec;
      conv.synNsec = nsec;
    }
    fwd.isFirstAck = true;
  }
  if (synAck === TH_ACK) {
    if ((conv.synSec !== 0 || conv.synNsec !== 0) && conv.firstRttNs === 0) {
      conv.firstRttNs = (sec - conv.synSec) * 1e9 + (nsec - conv.synNsec);
    }
    fwd.isFirstAck = false;
  }
  if (seg.wscale >= 0) fwd.winScale = seg.wscale > 14 ? 14 : seg.wscale;
  if (flags & TH_SYN) {
    if (fwd.winScale === WSCALE_UNKNOWN) {
      fwd.winScale = WSCALE_NONE;
      rev.winScale = WSCALE_NONE;
    } else if (synAck === (TH_SYN | TH_ACK) && rev.winScale === WSCALE_NONE) {
      fwd.winScale = WSCALE_NONE;
    }
  }
}
