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
 *   blocked on its buffer) looks like "network" from outside: an ACK lets the next segments go. Here
 *   the candidate is kept apart (D.SndNs): of the "network" time, the waits for ACKs (silent for more
 *   than "right after" since the last send, then set going by an ACK) from the first "unused" wait on —
 *   one where an earlier ACK since the last send had already given room for a full segment, more than
 *   "right after" before the ACK the sender answered. A congestion- or window-limited sender answers
 *   each ACK that gives room at once; a writer blocked on its buffer wakes only when a third of the
 *   buffer is free (sk_stream_write_space). Whether the candidate was the buffer is decided at the end,
 *   per direction (summary.ts, limitsJson): the unused waits recur (≥ 5, and ≥ 25 % of the waits), the
 *   in-flight ceiling stayed flat (median ≥ 70 % of its 90th percentile over ≥ 20 ACK-clocked bursts)
 *   and at most half the peer's largest window, nothing was retransmitted and no queue built up (p95
 *   RTT ≤ 1.5 × the minimum + 5 ms); otherwise it is network time.
 *
 * State: the numbers the summary reads are in the PerfStore's kept array (layout.ts D, C), what only the
 * pass needs in its pass array (layout.ts L, LC), dropped at the end of the capture.
 */
import type { Conversation } from '../tcp/analysis';
import type { SegmentInput } from '../tcp/types';
import { C, D, dirBase, L, LC, passBase, passDirBase, S } from './layout';
import type { PerfConn } from './tracker';

const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

/** A send within 2 ms (plus the capture point's turn-around) of an ACK was triggered by it: scheduling jitter on a loaded host stays below it. */
export const DELTA_NS = 2_000_000;
/** An ACK that came at least 25 ms later than the path's RTT was delayed (Linux delays up to 40 ms, TCP_DELACK_MIN; Windows and BSD 200 ms). */
export const DELAYED_ACK_NS = 25_000_000;

/*
 * The per-direction state of the split is in the PerfStore (layout.ts: kept, D.MinPeerWin … D.ResentSegs;
 * the pass's, L), the connection's patterns too (C.Syns … C.Answers; LC). A few words on the less obvious
 * fields:
 * - BurstMax: the peak bytes in flight of each ACK-clocked burst (full-sized segments sent right after an
 *   ACK and right after each other), recorded at the next ACK that gives room as the sender's ceiling
 *   (sample list S.Ceiling; sndbuf-limited).
 * - ResentBytes: payload bytes sent again (a segment ending at or below the highest byte already sent).
 *   Wider than the retransmission flag: at the sender, Wireshark calls a retransmission that follows new
 *   data within its out-of-order threshold "out-of-order", which only a path can do, not a sending host.
 * - HeldSinceNs: everything sent is acknowledged but the peer's window leaves no room for a full segment:
 *   the kernel's write queue still holds data (busy, rwnd-limited) — if the sender uses the window as soon
 *   as it opens. HeldRwndNs is D.RwndNs when the hold began, to take the hold back when the window opened
 *   and nothing followed (the sender had nothing more to send).
 *
 * GT_SEQ(x, y) is written out where it is used, ((y - x) | 0) < 0: limitsAdd is too large for V8 to
 * inline a helper into it, and a call boxes sequence numbers above 2^30 as heap numbers (garbage a packet).
 */

/** Time from the capture point to this sender and back (ns), from the handshake; 0 when unknown. */
function turnaroundNs(f: Float64Array, cb: number, dir: 0 | 1): number {
  const syn = f[cb + C.SynNs];
  const synAck = f[cb + C.SynAckNs];
  if (syn < 0 || synAck < syn) return 0;
  if (dir === 1) return synAck - syn;
  const ack = f[cb + C.AckNs];
  return ack >= synAck ? ack - synAck : 0;
}

/** `account` at a packet's time, read from the segment here (a double argument to a call V8 does not inline is boxed: a heap number a packet). */
function accountAt(f: Float64Array, o: number, l: Float64Array, lo: number, seg: SegmentInput): void {
  account(f, o, l, lo, seg.tsSec * 1e9 + seg.tsNsec);
}

/** Busy time up to `tNs` to its class: `o` the sender's direction base in the kept numbers, `lo` in the pass state (layout.ts). */
function account(f: Float64Array, o: number, l: Float64Array, lo: number, tNs: number): void {
  const dt = tNs - l[lo + L.CursorNs];
  if (dt > 0 && l[lo + L.Busy] !== 0) {
    if (l[lo + L.Rwnd] !== 0) f[o + D.RwndNs] += dt;
    else l[lo + L.OpenNs] += dt;
  }
  if (tNs > l[lo + L.CursorNs]) l[lo + L.CursorNs] = tNs;
}

/**
 * A full-sized segment: at least the announced MSS less 40 bytes of options (1460 → 1420: a 1448-byte
 * segment with timestamps is full), or the largest segment seen when the path allows less (PMTU) — but
 * never below 536 bytes (RFC 879's default MSS): a 200-byte request is short even when it is the largest.
 * `o`: the sender's direction base (layout.ts). Kept in D.Full, recomputed when D.Mss or D.MssCap
 * changes (a SYN's MSS, a larger segment: a few times a connection) instead of at each of the 2–3 reads
 * a packet (~9 % of limitsAdd's samples on the synthetic bench).
 */
function setFullSize(l: Float64Array, lo: number): void {
  const seen = Math.max(l[lo + L.Mss], 536);
  const cap = l[lo + L.MssCap];
  l[lo + L.Full] = cap > 0 ? Math.min(cap - 40, seen) : seen;
}

function updateRwnd(l: Float64Array, lo: number): void {
  const mss = l[lo + L.Mss];
  if (l[lo + L.Busy] === 0 || l[lo + L.PeerWin] < 0 || mss === 0) {
    l[lo + L.Rwnd] = 0;
    return;
  }
  const room = ((l[lo + L.Una] + l[lo + L.PeerWin] - l[lo + L.Nxt]) | 0);
  l[lo + L.Rwnd] = room < Math.min(l[lo + L.Full], mss) ? 1 : 0;
}

/**
 * One packet (after perfAdd's own bookkeeping): `dir` sent it, `ackRttNs` is the RTT sample it gave
 * (0: none) and `ackedLen` the length of the segment it acknowledged exactly (0: none). One function:
 * the ACK part was a call of its own for nearly every packet, ~18 % of the time spent here on the
 * synthetic bench (V8 does not inline it: too large).
 */
export function limitsAdd(conv: Conversation, dir: 0 | 1, seg: SegmentInput, retx: boolean, ackRttNs: number, ackedLen: number, perf: PerfConn): void {
  // recomputed rather than passed: a double argument is boxed (a heap number a packet) when the call is not inlined
  const tNs = seg.tsSec * 1e9 + seg.tsNsec;
  const f = perf.store.f;
  const cb = perf.base;
  const s = dirBase(cb, dir);
  const p = dirBase(cb, dir ^ 1);
  const l = perf.store.l;
  const lb = passBase(cb);
  const ls = passDirBase(lb, dir);
  const lp = passDirBase(lb, dir ^ 1);
  const flags = seg.flags;
  const len = seg.len >>> 0;
  const seq = seg.seq >>> 0;

  // Handshake retries and request → response gaps (client = dir 0).
  if (flags & TH_SYN && seg.mss > 0) {
    l[lp + L.MssCap] = seg.mss;
    setFullSize(l, lp);
  }
  if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && dir === 0) {
    if (f[cb + C.FirstSynNs] < 0) {
      f[cb + C.FirstSynNs] = tNs;
      f[cb + C.FirstSynPkt] = seg.index;
    }
    f[cb + C.Syns]++;
  } else if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && f[cb + C.SynAckPkt] < 0) f[cb + C.SynAckPkt] = seg.index;
  if (len > 0 && !retx) {
    if (dir === 0) {
      l[lb + LC.ReqNs] = tNs;
      l[lb + LC.ReqPkt] = seg.index;
    } else if (l[lb + LC.ReqNs] >= 0) {
      const gap = tNs - l[lb + LC.ReqNs];
      f[cb + C.Answers]++;
      if (gap > f[cb + C.MaxAnswerNs]) {
        f[cb + C.MaxAnswerNs] = gap;
        f[cb + C.MaxAnswerReqPkt] = l[lb + LC.ReqPkt];
        f[cb + C.MaxAnswerRespPkt] = seg.index;
      }
      l[lb + LC.ReqNs] = -1;
    }
  }

  // RTT extremes of the peer's data (this packet acknowledges it).
  if (ackRttNs > 0 && ackedLen > 1) {
    if (f[p + D.MinRttPkt] < 0 || ackRttNs < l[lp + L.MinRttNs]) {
      l[lp + L.MinRttNs] = ackRttNs;
      f[p + D.MinRttPkt] = seg.index;
    }
    if (ackRttNs > l[lp + L.MaxRttNs]) {
      l[lp + L.MaxRttNs] = ackRttNs;
      f[p + D.MaxRttPkt] = seg.index;
    }
  }

  // This packet as an ACK (and window) for the peer's data, once the peer has sent data.
  if (flags & TH_ACK && (flags & (TH_SYN | TH_RST)) === 0 && l[lp + L.Started] !== 0) {
    accountAt(f, p, l, lp, seg);
    const ws = conv.flows[dir].winScale;
    const win = seg.win * (ws > 0 ? 1 << ws : 1);
    const ack = seg.ack >>> 0;
    const oldEdge = (l[lp + L.Una] + Math.max(0, l[lp + L.PeerWin])) | 0;
    if (((l[lp + L.Una] - ack) | 0) < 0) l[lp + L.Una] = ack; // gt(ack, una)
    l[lp + L.PeerWin] = win;
    const busy = l[lp + L.Busy] !== 0;
    if (busy) {
      if (f[p + D.MinPeerWin] < 0 || win < f[p + D.MinPeerWin]) f[p + D.MinPeerWin] = win;
      if (win > f[p + D.MaxPeerWin]) f[p + D.MaxPeerWin] = win;
    }
    const edge = (l[lp + L.Una] + win) | 0;
    if (edge !== oldEdge && ((oldEdge - edge) | 0) < 0) {
      // room for a full segment that the sender then leaves unused: a cwnd- or window-limited sender
      // answers such an ACK at once (Linux from the ACK's own softirq), a writer blocked on its send
      // buffer only once a third of the buffer is free (sk_stream_write_space: wspace ≥ queued / 2)
      if (busy && l[lp + L.UnusedAckNs] < 0 && ((l[lp + L.Una] + win - l[lp + L.Nxt]) | 0) >= l[lp + L.Full]) l[lp + L.UnusedAckNs] = tNs;
      l[lp + L.TrigAckNs] = tNs;
      if (l[lp + L.BurstMax] > 0) perf.sampleList(S.Ceiling + (dir ^ 1)).add(l[lp + L.BurstMax]);
      l[lp + L.BurstMax] = 0;
    }
    if (busy && l[lp + L.HeldSinceNs] < 0 && ((l[lp + L.Una] - l[lp + L.Nxt]) | 0) >= 0) {
      // everything acknowledged: its unclassified tail waited on the network when the last segment was
      // full-sized (a bulk transfer's last round trip), else on the application
      if (l[lp + L.LastSendFull] !== 0) f[p + D.NetNs] += l[lp + L.OpenNs];
      else f[p + D.AppNs] += l[lp + L.OpenNs];
      l[lp + L.OpenNs] = 0;
      if (win < l[lp + L.Full] && l[lp + L.LastSendFull] !== 0) {
        l[lp + L.HeldSinceNs] = tNs;
        l[lp + L.HeldRwndNs] = f[p + D.RwndNs];
      } else {
        f[p + D.BusyNs] += tNs - l[lp + L.BusySinceNs];
        l[lp + L.Busy] = 0;
      }
    }
    updateRwnd(l, lp);
    if (len === 0) {
      l[lp + L.PureAckNs] = tNs;
      l[lp + L.PureAckRttNs] = ackRttNs;
      l[lp + L.PureAckPkt] = seg.index;
      l[lp + L.PureAckSmall] = ackedLen > 0 && ackedLen < l[lp + L.Full] ? 1 : 0;
    } else l[lp + L.PureAckNs] = -1;
  }

  // This packet as data from `dir`.
  if (len > 0) {
    if (l[ls + L.Started] === 0) {
      l[ls + L.Started] = 1;
      l[ls + L.Nxt] = seq;
      l[ls + L.Una] = seq;
      l[ls + L.CursorNs] = tNs;
    }
    accountAt(f, s, l, ls, seg);
    if (len > l[ls + L.Mss]) {
      l[ls + L.Mss] = len;
      setFullSize(l, ls);
    }
    const full = len >= l[ls + L.Full];
    f[s + D.DataSegs]++;
    if (!full) f[s + D.ShortSegs]++;
    const end = (seq + len) >>> 0;
    const isNew = ((l[ls + L.Nxt] - end) | 0) < 0; // gt(end, nxt)
    if (!isNew) {
      f[s + D.ResentBytes] += len;
      f[s + D.ResentSegs]++;
    }
    const delta = DELTA_NS + 1.5 * turnaroundNs(f, cb, dir);
    if (l[ls + L.HeldSinceNs] >= 0 && ((l[ls + L.Una] + l[ls + L.PeerWin] - l[ls + L.Nxt]) | 0) > 0) {
      if (l[ls + L.TrigAckNs] >= 0 && tNs - l[ls + L.TrigAckNs] <= delta) {
        l[ls + L.HeldSinceNs] = -1; // the window opened and the sender used it at once: it was held all along
      } else {
        // the window opened and nothing followed: the sender was idle since everything was acknowledged
        f[s + D.RwndNs] = l[ls + L.HeldRwndNs];
        l[ls + L.OpenNs] = 0;
        f[s + D.BusyNs] += l[ls + L.HeldSinceNs] - l[ls + L.BusySinceNs];
        l[ls + L.Busy] = 0;
        l[ls + L.HeldSinceNs] = -1;
      }
    }
    if (l[ls + L.Busy] === 0) {
      l[ls + L.Busy] = 1;
      l[ls + L.BusySinceNs] = tNs;
      l[ls + L.OpenNs] = 0;
    } else if (l[ls + L.OpenNs] > 0) {
      const ref = Math.max(l[ls + L.TrigAckNs], l[ls + L.LastSendNs]);
      // a segment sent again is loss recovery: the network's doing, whatever Wireshark calls it
      const triggered = retx || !isNew || (full && ref >= 0 && tNs - ref <= delta);
      if (triggered && !retx && isNew && l[ls + L.TrigAckNs] >= 0 && tNs - l[ls + L.LastSendNs] > delta) {
        // a wait for ACKs: when the buffer is the limit, the kernel's sndbuf_limited chrono runs from the
        // last send (write queue empty: tcp_cwnd_validate) to the ACK that frees a third of the buffer
        // (tcp_check_space), right before this send
        f[s + D.Waits]++;
        if (l[ls + L.UnusedAckNs] >= 0 && l[ls + L.TrigAckNs] - l[ls + L.UnusedAckNs] > delta) f[s + D.UnusedWaits]++;
        if (f[s + D.UnusedWaits] > 0) f[s + D.SndNs] += l[ls + L.OpenNs];
        else f[s + D.NetNs] += l[ls + L.OpenNs];
      } else if (triggered) f[s + D.NetNs] += l[ls + L.OpenNs];
      else f[s + D.AppNs] += l[ls + L.OpenNs];
      l[ls + L.OpenNs] = 0;
    }
    // Nagle held this short segment until the peer's late ACK of the previous short one.
    if (!full && !retx && l[ls + L.PureAckNs] >= 0 && l[ls + L.PureAckSmall] !== 0 && tNs - l[ls + L.PureAckNs] <= delta) nagleAdd(f, cb, l, ls, dir, seg, perf);
    l[ls + L.PureAckNs] = -1;
    if (isNew) l[ls + L.Nxt] = end;
    const since = Math.max(l[ls + L.TrigAckNs], l[ls + L.LastSendNs]);
    if (full && isNew && since >= 0 && tNs - since <= delta) {
      const inFlight = (l[ls + L.Nxt] - l[ls + L.Una]) >>> 0;
      if (inFlight < 2_000_000_000 && inFlight > l[ls + L.BurstMax]) l[ls + L.BurstMax] = inFlight;
    }
    l[ls + L.LastSendNs] = tNs;
    l[ls + L.LastSendFull] = full ? 1 : 0;
    l[ls + L.TrigAckNs] = -1;
    l[ls + L.UnusedAckNs] = -1;
    updateRwnd(l, ls);
  }
}

/** A short segment sent right after the peer's pure ACK of a short one: a stall when that ACK came late. */
function nagleAdd(f: Float64Array, cb: number, l: Float64Array, ls: number, dir: 0 | 1, seg: SegmentInput, perf: PerfConn): void {
  const s = dirBase(cb, dir);
  // the path's RTT: the smallest data sample so far, or the handshake's when smaller (or the only one)
  const syn = f[cb + C.SynNs];
  const synAck = f[cb + C.SynAckNs];
  const hs = syn >= 0 && synAck > syn ? synAck - syn + turnaroundNs(f, cb, 0) : 0;
  const min = l[ls + L.MinRttNs];
  const base = min > 0 && (hs === 0 || min < hs) ? min : hs;
  const late = l[ls + L.PureAckRttNs];
  if (base > 0 && late >= base + DELAYED_ACK_NS) {
    f[s + D.NagleStalls]++;
    perf.sampleList(S.Nagle + dir).addMs(late - base);
    if (f[s + D.NagleHeldPkt] < 0) {
      f[s + D.NagleHeldPkt] = seg.index;
      f[s + D.NagleAckPkt] = l[ls + L.PureAckPkt];
    }
  }
}

/**
 * End of capture: close a busy period still open (its unclassified time counts as network). A hold
 * whose window never reopened stays counted: the zero window was still in force.
 */
export function limitsFinish(perf: PerfConn, endNs: number): void {
  const f = perf.store.f;
  const l = perf.store.l;
  for (let dir = 0; dir < 2; dir++) {
    const o = dirBase(perf.base, dir);
    const lo = passDirBase(passBase(perf.base), dir);
    if (l[lo + L.Busy] === 0) continue;
    account(f, o, l, lo, endNs);
    if (l[lo + L.HeldSinceNs] >= 0 && ((l[lo + L.Una] + l[lo + L.PeerWin] - l[lo + L.Nxt]) | 0) >= l[lo + L.Full]) {
      f[o + D.RwndNs] = l[lo + L.HeldRwndNs];
      l[lo + L.OpenNs] = 0;
      f[o + D.BusyNs] += l[lo + L.HeldSinceNs] - l[lo + L.BusySinceNs];
      l[lo + L.Busy] = 0;
      l[lo + L.HeldSinceNs] = -1;
      continue;
    }
    f[o + D.NetNs] += l[lo + L.OpenNs];
    l[lo + L.OpenNs] = 0;
    f[o + D.BusyNs] += endNs - l[lo + L.BusySinceNs];
    l[lo + L.Busy] = 0;
  }
}
