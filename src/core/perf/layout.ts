/**
 * Where the performance measurement keeps its numbers (issue 14's cost budget): every connection's
 * scalar state — the connection's own fields, then two directions of the same layout — in one shared
 * Float64Array (`PerfStore`), CONN_SIZE = C.SIZE + 2 · D.SIZE doubles a connection, at the connection's offset;
 * what limits.ts needs only during the pass in a second one (PASS_SIZE = LC.SIZE + 2 · L.SIZE), dropped at the end.
 *
 * Why: as ~15 objects a connection (PerfConn, two PerfDir, two LimitState, ConnPatterns, nine sample
 * lists …) with ~130 double fields, each field its own heap number (V8 boxes a double field), the
 * state of the bench's 10,000 connections was ~4 KB a connection of small objects that every GC
 * walked: the garbage collector took about as long as perfAdd and limitsAdd together (profiles in
 * scripts/bench-perf.ts). One typed array holds no pointers for the GC to follow.
 *
 * Booleans are 0 / 1; "none" is -1 where the old fields used -1. The values are the same doubles the
 * fields held (sequence numbers, ns times as doubles, counters), so every result is unchanged
 * (test/perf-results.test.ts). Enums: esbuild inlines their values into the hot code (tsc's
 * unit-test build reads them from an object).
 */

/** The connection's own fields (offsets from the connection's base). */
export enum C {
  /** Handshake times (ns since the epoch as doubles: µs-exact, ample for RTTs), -1 when not seen. */
  SynNs,
  SynAckNs,
  AckNs,
  /** SYNs (without ACK) seen from the client, the first one's time and packet; the SYN/ACK's packet (limits.ts). */
  Syns,
  FirstSynNs,
  FirstSynPkt,
  SynAckPkt,
  /** The longest request → first response byte gap (ns) and its packets. */
  MaxAnswerNs,
  MaxAnswerReqPkt,
  MaxAnswerRespPkt,
  // h4, issue 14's cost (limits.ts' state):
  /**
   * Request → response gaps seen (the summary's `answers`): a count, where a sample list kept every gap
   * and only its length was ever read (synthetic bench: 48 gaps a connection, ~1 byte a packet of samples
   * and ~240 bytes a connection of list objects in the V8 heap).
   */
  Answers,
  SIZE,
}

/**
 * One direction's fields (offsets from the direction's base: the sender's view). The ones perfAdd and
 * limitsAdd read or write on most packets come first (24 doubles, 192 bytes: three or four cache lines a
 * direction instead of the six its 43 doubles span): the bench's 10,000 interleaved connections keep
 * 7.8 MB here, far more than a cache, so each line touched a packet is a likely miss.
 */
export enum D {
  /** Wireshark's valid_bif: cleared by a lost segment, set again by an ACK from the peer. */
  ValidBif,
  Segments,
  FirstNs,
  LastNs,
  /** This side's latest SACK blocks as tshark keeps them for bytes_in_flight: total length (mod 2^32), count (≤ 3). */
  SackBytes,
  SackCount,
  /** In a loss episode (RecoverSeq, below, ends it). */
  InEpisode,
  /** This side advertised a zero window since (ns), or -1 (ZeroNs … below). */
  ZeroSinceNs,
  /** This side filled the peer's window at (ns), or -1 (FullNs, FullEvents below). */
  FullSinceNs,
  /** The latest distinct TSval this side sent and when it was first sent (ns; -1 once echoed). */
  TsVal,
  TsValNs,
  /** Payload bytes sent (RetxBytes … below). */
  Bytes,
  MaxInFlight,
  /** Data segments, and those shorter than a full segment (limits.ts). */
  DataSegs,
  ShortSegs,
  /** tshark's ack_rtt samples the peer's ACKs gave (count; the values are in the per-packet column). */
  AckRttSamples,
  // What limited this sender (limits.ts; the header there says what each means). Its state during the
  // pass is apart (L, below): only these are kept once the capture is read.
  /** The peer's smallest and largest advertised window (scaled) while this side was busy, -1 / 0 before. */
  MinPeerWin,
  MaxPeerWin,
  /** Busy time, and its split (ns): receiver's window, network, application (each request → response ends a busy time). */
  BusyNs,
  RwndNs,
  NetNs,
  AppNs,
  /** The ACKs that gave the smallest and the largest RTT sample of this side's data (-1 none; read at every sample). */
  MinRttPkt,
  MaxRttPkt,
  // (the rest: read or written on a few packets only)
  /** Payload bytes and segments flagged as retransmissions (fast / spurious included), and the spurious ones. */
  RetxBytes,
  RetxSegments,
  SpuriousSegments,
  SpuriousBytes,
  /** Highest next-seq when the current loss episode began (retransmissions below it belong to it). */
  RecoverSeq,
  /** Index in PerfConn.episodes of this direction's latest loss episode, -1 none. */
  EpisodeLast,
  /** Total zero-window time (ns), episodes, first packet. */
  ZeroNs,
  ZeroEpisodes,
  ZeroFirstPkt,
  /** Total window-full time (ns) and events. */
  FullNs,
  FullEvents,
  /**
   * The send-buffer candidate (summary.ts decides whether it was the buffer): of the "network" time,
   * the waits for ACKs (silent since the last send for more than DELTA_NS, then set going by an ACK)
   * from the first "unused" one on. A wait is unused when an ACK had given room for a full segment more
   * than DELTA_NS before the one the sender answered (`L.UnusedAckNs`: the first such ACK since the last
   * send, -1 none): a congestion window answers every ACK that frees it at once, so the window is no
   * longer the limit; the waits before (slow start, the flight doubling each round) stay "network".
   * `Waits` counts them all, `UnusedWaits` the unused ones.
   */
  SndNs,
  Waits,
  UnusedWaits,
  /** Nagle/delayed-ACK stalls and the first stall's packets (held segment, the late ACK). */
  NagleStalls,
  NagleHeldPkt,
  NagleAckPkt,
  ResentBytes,
  ResentSegs,
  SIZE,
}

/** Which sample list (PerfConn.samples): per direction (+ dir) or of the connection. */
export enum S {
  /** RTT samples of a direction's data, Karn-clean (a segment sent once, with data). */
  DataRtt = 0,
  /** Timestamp-echo samples: that side's TSval echoed back by the peer. */
  TsRtt = 2,
  /** Peak bytes in flight of each ACK-clocked burst (limits.ts: the sender's ceiling). */
  Ceiling = 4,
  /** Nagle/delayed-ACK stall delays (ms). */
  Nagle = 6,
  /** (8, the request → response gaps, is no longer a list: only their count was read, C.Answers.) */
  COUNT = 8,
}

/** Doubles a connection: its own fields, then direction 0 (client → server), then direction 1. */
export const CONN_SIZE = C.SIZE + 2 * D.SIZE;

/** Offset of direction `dir`'s fields from the connection's base. */
export function dirBase(base: number, dir: number): number {
  return base + C.SIZE + dir * D.SIZE;
}

/** A new connection's values (-1 for "none", valid_bif set, the rest 0). */
const INITIAL = ((): Float64Array => {
  const t = new Float64Array(CONN_SIZE);
  for (const k of [C.SynNs, C.SynAckNs, C.AckNs, C.FirstSynNs, C.FirstSynPkt, C.SynAckPkt, C.MaxAnswerNs, C.MaxAnswerReqPkt, C.MaxAnswerRespPkt]) t[k] = -1;
  for (let dir = 0; dir < 2; dir++) {
    const o = C.SIZE + dir * D.SIZE;
    t[o + D.ValidBif] = 1;
    for (const k of [D.FirstNs, D.LastNs, D.EpisodeLast, D.ZeroSinceNs, D.ZeroFirstPkt, D.FullSinceNs, D.TsVal, D.TsValNs, D.MinPeerWin,
      D.NagleHeldPkt, D.NagleAckPkt, D.MinRttPkt, D.MaxRttPkt]) t[o + k] = -1;
  }
  return t;
})();

// h4, issue 14's cost: limits.ts' state during the pass, apart from the numbers kept.
/*
 * What limits.ts needs only while packets come (the split's cursor, the sender's sequence numbers and
 * window, the last send and ACK …) is in its own array (PerfStore.l), PASS_SIZE doubles a connection,
 * dropped by PerfStore.trim at the end of the capture: the engine keeps its PerfStore for as long as the
 * capture is open, and a connection kept this state with the rest: 146 doubles, 1,168 bytes, before;
 * 97, 776 bytes now (the synthetic bench's 10,000 connections: 2.1 bytes a packet less).
 */

/** The connection's pass state (offsets from its pass base, passBase). */
export enum LC {
  /** The client's data waiting for an answer: time and packet of its last segment, -1 none. */
  ReqNs,
  ReqPkt,
  SIZE,
}

/** One direction's pass state (offsets from passDirBase: the sender's view). */
export enum L {
  Started,
  /** Highest sequence number sent + 1 and the peer's highest ACK (sequence space). */
  Nxt,
  Una,
  /** The peer's last advertised window (scaled), -1 before the first. */
  PeerWin,
  /** Largest payload seen from this sender, and the MSS the peer announced in its SYN (0: none). */
  Mss,
  MssCap,
  /** The full-segment size (limits.ts, setFullSize), recomputed when Mss or MssCap changes; 536 at first. */
  Full,
  Busy,
  BusySinceNs,
  /** Accounted up to this time. */
  CursorNs,
  Rwnd,
  /** Busy time not yet classified. */
  OpenNs,
  LastSendNs,
  LastSendFull,
  /** The last ACK that gave the sender room since its last send, -1 none. */
  TrigAckNs,
  /** The first ACK since the last send that gave room for a full segment, -1 none (D.SndNs says why). */
  UnusedAckNs,
  /** Peak bytes in flight of the current ACK-clocked burst. */
  BurstMax,
  /** The peer's last pure ACK: time, its ack_rtt (ns), packet, whether the segment it acked was short. */
  PureAckNs,
  PureAckRttNs,
  PureAckPkt,
  PureAckSmall,
  /** Smallest and largest RTT sample of this side's data (ns; D.MinRttPkt, D.MaxRttPkt: the ACKs that gave them). */
  MinRttNs,
  MaxRttNs,
  /** Everything acknowledged but no room in the peer's window: since (ns, -1 not held), D.RwndNs then. */
  HeldSinceNs,
  HeldRwndNs,
  SIZE,
}

/** Doubles a connection of pass state. */
export const PASS_SIZE = LC.SIZE + 2 * L.SIZE;

/** A connection's pass base from its base in the kept numbers (the same connection index). */
export function passBase(base: number): number {
  return (base / CONN_SIZE) * PASS_SIZE;
}

/** Offset of direction `dir`'s pass state from the connection's pass base. */
export function passDirBase(lb: number, dir: number): number {
  return lb + LC.SIZE + dir * L.SIZE;
}

/** A new connection's pass state (-1 for "none", a full segment 536 bytes, the rest 0). */
const INITIAL_PASS = ((): Float64Array => {
  const t = new Float64Array(PASS_SIZE);
  t[LC.ReqNs] = t[LC.ReqPkt] = -1;
  for (let dir = 0; dir < 2; dir++) {
    const o = passDirBase(0, dir);
    for (const k of [L.PeerWin, L.LastSendNs, L.TrigAckNs, L.UnusedAckNs, L.PureAckNs, L.PureAckPkt, L.HeldSinceNs]) t[o + k] = -1;
    t[o + L.Full] = 536;
  }
  return t;
})();

/**
 * Every connection's state, one after the other (the engine's, shared by its PerfConns). Grows by
 * doubling, from room for 64 connections (50 KB; 97 doubles, 776 bytes, a connection, and 52 doubles
 * of pass state, `l`, until trim): the bench's 10,000 connections keep 7.8 MB.
 */
export class PerfStore {
  f = new Float64Array(0);
  /** limits.ts' pass state (L, LC), PASS_SIZE doubles a connection; empty after trim. */
  l = new Float64Array(0);
  private n = 0;

  /** Room for one more connection, set to the initial values; its base offset. */
  alloc(): number {
    const base = this.n * CONN_SIZE;
    if (base + CONN_SIZE > this.f.length) {
      const nf = new Float64Array(Math.max(64 * CONN_SIZE, this.f.length * 2));
      nf.set(this.f);
      this.f = nf;
      const nl = new Float64Array((nf.length / CONN_SIZE) * PASS_SIZE);
      nl.set(this.l);
      this.l = nl;
    }
    this.f.set(INITIAL, base);
    this.l.set(INITIAL_PASS, this.n * PASS_SIZE);
    this.n++;
    return base;
  }

  /** Drop the growth slack and the pass state (end of the capture: no connection or packet comes any more). */
  trim(): void {
    const len = this.n * CONN_SIZE;
    if (len < this.f.length) this.f = this.f.slice(0, len);
    this.l = new Float64Array(0);
  }
}
