/**
 * What limited each sender, measured in the engine's pass (called from perfAdd), and the per-packet
 * patterns the verdicts need (Nagle/delayed-ACK stalls, request → response gaps, SYN retries).
 *
 * The split follows the Linux kernel's own chronographs (tcp_chrono_*, printed by `ss -ti` as
 * busy / rwnd_limited / sndbuf_limited), rebuilt from what a capture shows:
 * - busy: the sender has data out and unacknowledged (from a data segment sent with nothing
 *   outstanding to the ACK that covers everything sent). The kernel also counts data still queued
 *   unsent, which a capture cannot see (the first segment leaves within microseconds of the write).
 * - rwnd-limited: busy while the room the peer's window leaves (its last ACK + window − the highest
 *   byte sent) is smaller than one full segment: the kernel's tcp_snd_wnd_test fails the same way.
 * - the rest of busy is split at each new data segment: the time since the previous one counts as
 *   "network" when the segment is full-sized and left right after an ACK (or right after the previous
 *   segment) — the sender had data and waited for the network (cwnd, pacing, loss recovery) — and as
 *   "application" otherwise: a short segment, or one sent on the application's own clock, says the
 *   sender had nothing more to send. "Right after" is DELTA_NS plus 1.5 times the time from the
 *   capture point to the sender and back (from the handshake), so a capture near the sender and one
 *   near the receiver are read alike.
 * - sndbuf-limited (the kernel's tcp_cwnd_validate: everything sent, not cwnd-limited, the writer
 *   blocked on its buffer) looks like "network" from outside; it is told apart at the end, per
 *   direction (summary.ts): the in-flight ceiling stayed flat, well below the peer's window, with no
 *   loss and no queue building up — a congestion window would have grown.
 */
import type { Conversation } from '../tcp/analysis';
import type { SegmentInput } from '../tcp/types';
import type { PerfConn, PerfDir } from './tracker';
import { Samples } from './samples';

const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

/** A send within 2 ms (plus the capture point's turn-around) of an ACK was triggered by it: scheduling jitter on a loaded host stays below it. */
export const DELTA_NS = 2_000_000;
/** An ACK that came at least 25 ms later than the path's RTT was delayed (Linux delays up to 40 ms, TCP_DELACK_MIN; Windows and BSD 200 ms). */
export const DELAYED_ACK_NS = 25_000_000;

/** The per-direction state of the split (in PerfDir.lim). */
export class LimitState {
  started = false;
  /** Highest sequence number sent + 1 and the peer's highest ACK (sequence space). */
  nxt = 0;
  una = 0;
  /** The peer's last advertised window (scaled), -1 before the first. */
  peerWin = -1;
  minPeerWin = -1;
  maxPeerWin = 0;
  /** Largest payload seen from this sender, and the MSS the peer announced in its SYN (0: none). */
  mss = 0;
  mssCap = 0;
  busy = false;
  busySinceNs = 0;
  /** Accounted up to this time. */
  cursorNs = 0;
  rwnd = false;
  /** Busy time not yet classified (waiting to see how the next data segment leaves). */
  openNs = 0;
  lastSendNs = -1;
  lastSendFull = false;
  /** The last ACK that gave the sender room since its last send, -1 none. */
  trigAckNs = -1;
  busyNs = 0;
  rwndNs = 0;
  netNs = 0;
  appNs = 0;
  /**
   * The send-buffer candidate (summary.ts decides whether it was the buffer): of the "network" time,
   * the waits for ACKs (silent since the last send for more than DELTA_NS, then set going by an ACK)
   * from the first "unused" one on. A wait is unused when an ACK had given room for a full segment more
   * than DELTA_NS before the one the sender answered (`unusedAckNs`: the first such ACK since the last
   * send, -1 none): a congestion window answers every ACK that frees it at once, so the window is no
   * longer the limit; the waits before (slow start, the flight doubling each round) stay "network".
   * `waits` counts them all, `unusedWaits` the unused ones.
   */
  sndNs = 0;
  unusedAckNs = -1;
  waits = 0;
  unusedWaits = 0;
  /**
   * The peak bytes in flight of each ACK-clocked burst (full-sized segments sent right after an ACK and
   * right after each other), recorded at the next ACK that gives room: the sender's ceiling (sndbuf-limited).
   */
  readonly ceiling = new Samples();
  burstMax = 0;
  /** The peer's last pure ACK: time, its ack_rtt (ns), packet, whether the segment it acked was short. */
  pureAckNs = -1;
  pureAckRttNs = 0;
  pureAckPkt = -1;
  pureAckSmall = false;
  /** Nagle/delayed-ACK stalls: count, delays (ms) and the first stall's packets (held segment, the late ACK). */
  nagleStalls = 0;
  readonly nagleDelays = new Samples();
  nagleHeldPkt = -1;
  nagleAckPkt = -1;
  /** Smallest RTT sample so far (ns), for "the ACK came late". */
  minRttNs = 0;
  minRttPkt = -1;
  maxRttNs = 0;
  maxRttPkt = -1;
  /** Data segments, and those shorter than mss. */
  dataSegs = 0;
  shortSegs = 0;
  /**
   * Payload bytes sent again (a segment ending at or below the highest byte already sent). Wider than
   * the retransmission flag: at the sender, Wireshark calls a retransmission that follows new data
   * within its out-of-order threshold "out-of-order", which only a path can do, not a sending host.
   */
  resentBytes = 0;
  resentSegs = 0;
  /**
   * Everything sent is acknowledged but the peer's window leaves no room for a full segment: the
   * kernel's write queue still holds data (busy, rwnd-limited) — if the sender uses the window as soon
   * as it opens. `heldSinceNs` (-1: not held) and the counters when the hold began, to take the hold
   * back when the window opened and nothing followed (the sender had nothing more to send).
   */
  heldSinceNs = -1;
  heldRwndNs = 0;
}

/** Connection-level patterns (PerfConn.pat). */
export class ConnPatterns {
  /** SYNs (without ACK) seen from the client, the first one's time and packet; the SYN/ACK's packet. */
  syns = 0;
  firstSynNs = -1;
  firstSynPkt = -1;
  synAckPkt = -1;
  /** The client's data waiting for an answer: time and packet of its last segment, -1 none. */
  reqNs = -1;
  reqPkt = -1;
  /** Request → first response byte gaps (ms) and the longest one's packets. */
  readonly answerMs = new Samples();
  maxAnswerNs = -1;
  maxAnswerReqPkt = -1;
  maxAnswerRespPkt = -1;
}

/**
 * GT_SEQ(x, y) is written out where it is used, ((y - x) | 0) < 0: limitsAdd is too large for V8 to
 * inline a helper into it, and a call boxes sequence numbers above 2^30 as heap numbers (garbage a packet).
 */

/** Time from the capture point to this sender and back (ns), from the handshake; 0 when unknown. */
function turnaroundNs(perf: PerfConn, dir: 0 | 1): number {
  if (perf.synNs < 0 || perf.synAckNs < perf.synNs) return 0;
  if (dir === 1) return perf.synAckNs - perf.synNs;
  return perf.ackNs >= perf.synAckNs ? perf.ackNs - perf.synAckNs : 0;
}

/** `account` at a packet's time, read from the segment here (a double argument to a call V8 does not inline is boxed: a heap number a packet). */
function accountAt(l: LimitState, seg: SegmentInput): void {
  account(l, seg.tsSec * 1e9 + seg.tsNsec);
}

function account(l: LimitState, tNs: number): void {
  const dt = tNs - l.cursorNs;
  if (dt > 0 && l.busy) {
    if (l.rwnd) l.rwndNs += dt;
    else l.openNs += dt;
  }
  if (tNs > l.cursorNs) l.cursorNs = tNs;
}

/**
 * A full-sized segment: at least the announced MSS less 40 bytes of options (1460 → 1420: a 1448-byte
 * segment with timestamps is full), or the largest segment seen when the path allows less (PMTU) — but
 * never below 536 bytes (RFC 879's default MSS): a 200-byte request is short even when it is the largest.
 */
export function fullSize(l: LimitState): number {
  const seen = Math.max(l.mss, 536);
  return l.mssCap > 0 ? Math.min(l.mssCap - 40, seen) : seen;
}

function updateRwnd(l: LimitState): void {
  if (!l.busy || l.peerWin < 0 || l.mss === 0) {
    l.rwnd = false;
    return;
  }
  const room = ((l.una + l.peerWin - l.nxt) | 0);
  l.rwnd = room < Math.min(fullSize(l), l.mss);
}

/**
 * One packet (after perfAdd's own bookkeeping): `dir` sent it, `ackRttNs` is the RTT sample it gave
 * (0: none) and `ackedLen` the length of the segment it acknowledged exactly (0: none).
 */
export function limitsAdd(conv: Conversation, dir: 0 | 1, seg: SegmentInput, retx: boolean, ackRttNs: number, ackedLen: number, perf: PerfConn): void {
  // recomputed rather than passed: a double argument is boxed (a heap number a packet) when the call is not inlined
  const tNs = seg.tsSec * 1e9 + seg.tsNsec;
  const me: PerfDir = perf.dirs[dir];
  const peer: PerfDir = perf.dirs[dir ^ 1];
  const s = me.lim;
  const p = peer.lim;
  const flags = seg.flags;
  const len = seg.len >>> 0;
  const seq = seg.seq >>> 0;

  // Handshake retries and request → response gaps (client = dir 0).
  const pat = perf.pat;
  if (flags & TH_SYN && seg.mss > 0) p.mssCap = seg.mss;
  if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && dir === 0) {
    if (pat.firstSynNs < 0) {
      pat.firstSynNs = tNs;
      pat.firstSynPkt = seg.index;
    }
    pat.syns++;
  } else if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && pat.synAckPkt < 0) pat.synAckPkt = seg.index;
  if (len > 0 && !retx) {
    if (dir === 0) {
      pat.reqNs = tNs;
      pat.reqPkt = seg.index;
    } else if (pat.reqNs >= 0) {
      const gap = tNs - pat.reqNs;
      pat.answerMs.addMs(gap);
      if (gap > pat.maxAnswerNs) {
        pat.maxAnswerNs = gap;
        pat.maxAnswerReqPkt = pat.reqPkt;
        pat.maxAnswerRespPkt = seg.index;
      }
      pat.reqNs = -1;
    }
  }

  // RTT extremes of the peer's data (this packet acknowledges it).
  if (ackRttNs > 0 && ackedLen > 1) {
    if (p.minRttPkt < 0 || ackRttNs < p.minRttNs) {
      p.minRttNs = ackRttNs;
      p.minRttPkt = seg.index;
    }
    if (ackRttNs > p.maxRttNs) {
      p.maxRttNs = ackRttNs;
      p.maxRttPkt = seg.index;
    }
  }

  // This packet as an ACK (and window) for the peer's data.
  if (flags & TH_ACK && (flags & (TH_SYN | TH_RST)) === 0 && p.started) {
    accountAt(p, seg);
    const win = seg.win * (conv.flows[dir].winScale > 0 ? 1 << conv.flows[dir].winScale : 1);
    const ack = seg.ack >>> 0;
    const oldEdge = (p.una + Math.max(0, p.peerWin)) | 0;
    if (((p.una - ack) | 0) < 0) p.una = ack; // gt(ack, una)
    p.peerWin = win;
    if (p.busy) {
      if (p.minPeerWin < 0 || win < p.minPeerWin) p.minPeerWin = win;
      if (win > p.maxPeerWin) p.maxPeerWin = win;
    }
    if (((p.una + win) | 0) !== oldEdge && ((oldEdge - ((p.una + win) | 0)) | 0) < 0) {
      // room for a full segment that the sender then leaves unused: a cwnd- or window-limited sender
      // answers such an ACK at once (Linux from the ACK's own softirq), a writer blocked on its send
      // buffer only once a third of the buffer is free (sk_stream_write_space: wspace ≥ queued / 2)
      if (p.busy && p.unusedAckNs < 0 && ((p.una + win - p.nxt) | 0) >= fullSize(p)) p.unusedAckNs = tNs;
      p.trigAckNs = tNs;
      if (p.burstMax > 0) p.ceiling.add(p.burstMax);
      p.burstMax = 0;
    }
    if (p.busy && p.heldSinceNs < 0 && ((p.una - p.nxt) | 0) >= 0) {
      // everything acknowledged: its unclassified tail waited on the network when the last segment was
      // full-sized (a bulk transfer's last round trip), else on the application
      if (p.lastSendFull) p.netNs += p.openNs;
      else p.appNs += p.openNs;
      p.openNs = 0;
      if (win < fullSize(p) && p.lastSendFull) {
        p.heldSinceNs = tNs;
        p.heldRwndNs = p.rwndNs;
      } else {
        p.busyNs += tNs - p.busySinceNs;
        p.busy = false;
      }
    }
    updateRwnd(p);
    if (len === 0) {
      p.pureAckNs = tNs;
      p.pureAckRttNs = ackRttNs;
      p.pureAckPkt = seg.index;
      p.pureAckSmall = ackedLen > 0 && ackedLen < fullSize(p);
    } else p.pureAckNs = -1;
  }

  // This packet as data from `dir`.
  if (len > 0) {
    if (!s.started) {
      s.started = true;
      s.nxt = seq;
      s.una = seq;
      s.cursorNs = tNs;
    }
    accountAt(s, seg);
    if (len > s.mss) s.mss = len;
    const full = len >= fullSize(s);
    s.dataSegs++;
    if (!full) s.shortSegs++;
    const end = (seq + len) >>> 0;
    const isNew = ((s.nxt - end) | 0) < 0; // gt(end, nxt)
    if (!isNew) {
      s.resentBytes += len;
      s.resentSegs++;
    }
    const delta = DELTA_NS + 1.5 * turnaroundNs(perf, dir);
    if (s.heldSinceNs >= 0 && ((s.una + s.peerWin - s.nxt) | 0) > 0) {
      if (s.trigAckNs >= 0 && tNs - s.trigAckNs <= delta) {
        s.heldSinceNs = -1; // the window opened and the sender used it at once: it was held all along
      } else {
        // the window opened and nothing followed: the sender was idle since everything was acknowledged
        s.rwndNs = s.heldRwndNs;
        s.openNs = 0;
        s.busyNs += s.heldSinceNs - s.busySinceNs;
        s.busy = false;
        s.heldSinceNs = -1;
      }
    }
    if (!s.busy) {
      s.busy = true;
      s.busySinceNs = tNs;
      s.openNs = 0;
    } else if (s.openNs > 0) {
      const ref = Math.max(s.trigAckNs, s.lastSendNs);
      // a segment sent again is loss recovery: the network's doing, whatever Wireshark calls it
      const triggered = retx || !isNew || (full && ref >= 0 && tNs - ref <= delta);
      if (triggered && !retx && isNew && s.trigAckNs >= 0 && tNs - s.lastSendNs > delta) {
        // a wait for ACKs: when the buffer is the limit, the kernel's sndbuf_limited chrono runs from the
        // last send (write queue empty: tcp_cwnd_validate) to the ACK that frees a third of the buffer
        // (tcp_check_space), right before this send
        s.waits++;
        if (s.unusedAckNs >= 0 && s.trigAckNs - s.unusedAckNs > delta) s.unusedWaits++;
        if (s.unusedWaits > 0) s.sndNs += s.openNs;
        else s.netNs += s.openNs;
      } else if (triggered) s.netNs += s.openNs;
      else s.appNs += s.openNs;
      s.openNs = 0;
    }
    // Nagle held this short segment until the peer's late ACK of the previous short one.
    if (!full && !retx && s.pureAckNs >= 0 && s.pureAckSmall && tNs - s.pureAckNs <= delta) {
      // the path's RTT: the smallest data sample so far, or the handshake's when smaller (or the only one)
      const hs = perf.synNs >= 0 && perf.synAckNs > perf.synNs ? perf.synAckNs - perf.synNs + turnaroundNs(perf, 0) : 0;
      const base = s.minRttNs > 0 && (hs === 0 || s.minRttNs < hs) ? s.minRttNs : hs;
      if (base > 0 && s.pureAckRttNs >= base + DELAYED_ACK_NS) {
        s.nagleStalls++;
        s.nagleDelays.addMs(s.pureAckRttNs - base);
        if (s.nagleHeldPkt < 0) {
          s.nagleHeldPkt = seg.index;
          s.nagleAckPkt = s.pureAckPkt;
        }
      }
    }
    s.pureAckNs = -1;
    if (isNew) s.nxt = end;
    if (full && isNew && Math.max(s.trigAckNs, s.lastSendNs) >= 0 && tNs - Math.max(s.trigAckNs, s.lastSendNs) <= delta) {
      const inFlight = (s.nxt - s.una) >>> 0;
      if (inFlight < 2_000_000_000 && inFlight > s.burstMax) s.burstMax = inFlight;
    }
    s.lastSendNs = tNs;
    s.lastSendFull = full;
    s.trigAckNs = -1;
    s.unusedAckNs = -1;
    updateRwnd(s);
  }
}

/**
 * End of capture: close a busy period still open (its unclassified time counts as network). A hold
 * whose window never reopened stays counted: the zero window was still in force.
 */
export function limitsFinish(perf: PerfConn, endNs: number): void {
  for (const d of perf.dirs) {
    const l = d.lim;
    if (!l.busy) continue;
    account(l, endNs);
    if (l.heldSinceNs >= 0 && ((l.una + l.peerWin - l.nxt) | 0) >= fullSize(l)) {
      l.rwndNs = l.heldRwndNs;
      l.openNs = 0;
      l.busyNs += l.heldSinceNs - l.busySinceNs;
      l.busy = false;
      l.heldSinceNs = -1;
      continue;
    }
    l.netNs += l.openNs;
    l.openNs = 0;
    l.busyNs += endNs - l.busySinceNs;
    l.busy = false;
  }
}
