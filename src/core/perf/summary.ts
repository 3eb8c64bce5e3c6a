/**
 * Per-connection performance summary (the `perf` object of `conns --json` and `capture-lens perf`),
 * built from a conversation's PerfConn after the pass. Times in ms, rates in bytes a second.
 */
import type { Conversation } from '../tcp/analysis';
import type { Translate } from '../explain/l10n';
import { limitsLine, verdictLines } from '../explain/perf';
import { C, D, S } from './layout';
import type { Samples } from './samples';
import type { PerfConn } from './tracker';
import { perfVerdicts, type Verdict } from './verdicts';

export interface RttStats {
  samples: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface PerfDirJson {
  segments: number;
  bytes: number;
  /** Bytes in segments flagged as retransmissions (fast and spurious included) and their share of bytes. */
  retransmittedBytes: number;
  retransmittedSegments: number;
  retransmissionRate: number;
  spuriousRetransmissions: number;
  spuriousBytes: number;
  /** Payload bytes a second over the direction's active time, all / without retransmissions. */
  throughput: number;
  goodput: number;
  /** tshark ack_rtt samples the peer's ACKs gave; RTT of Karn-clean data samples and of TS-echo samples. */
  ackRttSamples: number;
  dataRtt: RttStats | null;
  tsRtt: RttStats | null;
  maxBytesInFlight: number;
  lossEpisodes: { fast: number; rto: number; rtoWaitMs: number; list: { kind: 'fast' | 'rto'; packet: number; waitedMs: number; segments: number; bytes: number }[] };
  /** Time this side advertised a zero window, and how often it started. */
  zeroWindowMs: number;
  zeroWindowEpisodes: number;
  /** Time from this side filling the peer's window to the peer's next ACK, and the window-full segments. */
  windowFullMs: number;
  windowFullEvents: number;
  /** 1-based frames: the ACKs that gave the smallest and the largest data RTT sample, the first zero window (0: none). */
  rttMinPacket: number;
  rttMaxPacket: number;
  zeroWindowFirstPacket: number;
  /** What limited this sender (limits.ts): its busy time split the way the kernel's `ss -ti` splits it. */
  limits: PerfLimitsJson;
  /** Short segments held back until a late (delayed) ACK: Nagle meeting delayed ACK. */
  nagle: { stalls: number; medianDelayMs: number; totalDelayMs: number; heldPacket: number; ackPacket: number };
}

export interface PerfLimitsJson {
  /** Time with data out and unacknowledged, and its split (ms; they add up to busyMs). */
  busyMs: number;
  rwndLimitedMs: number;
  sndbufLimitedMs: number;
  applicationLimitedMs: number;
  networkLimitedMs: number;
  /** Shares of busyMs (0..1). */
  shares: { rwnd: number; sndbuf: number; application: number; network: number };
  /** Between this side's first and last segment, time with nothing outstanding. */
  idleMs: number;
  /** Bytes in flight the sender kept reaching (90th percentile after ACK-clocked sends), 0 when unknown. */
  ceilingBytes: number;
  /** The peer's smallest and largest advertised window while this side was busy (bytes, scaled). */
  peerWindowMin: number;
  peerWindowMax: number;
  /** Bytes delivered (sent once) per second of busy time. */
  deliveryRate: number;
  dataSegments: number;
  /** Payload bytes sent again, and their share of the bytes sent (retransmissions, also those Wireshark calls out-of-order). */
  resentBytes: number;
  resentSegments: number;
  resentRate: number;
  /** Data segments shorter than the largest one (the sender's MSS as seen). */
  shortSegments: number;
}

export interface PerfJson {
  /** SYN → SYN/ACK, SYN/ACK → ACK and their sum (ms), null when the handshake was not seen whole. */
  handshake: { synToSynAckMs: number; synAckToAckMs: number; rttMs: number; capturedNear: 'client' | 'server' | 'middle' } | null;
  /** Per direction: client → server, server → client (the sender's data and the RTT its ACKs gave). */
  clientToServer: PerfDirJson;
  serverToClient: PerfDirJson;
  /** SYNs the client sent (more than 1: retried), the time to the SYN/ACK, 1-based frames; null when no SYN was seen. */
  synRetries: { syns: number; connectMs: number; firstSynPacket: number; synAckPacket: number } | null;
  /**
   * The longest wait from a request (the client's last data segment) to the server's first data after it,
   * and that minus the network round trip from the capture point to the server (SYN → SYN/ACK, else the
   * client's smallest data RTT); null when the server never answered data.
   */
  slowestAnswer: { gapMs: number; rttMs: number; serverMs: number; answers: number; requestPacket: number; responsePacket: number } | null;
  /** What the measurements say, with evidence (verdicts.ts; worded by src/core/explain/perf.ts). */
  verdicts: Verdict[];
}

/** One side of the handshake at least 4 times longer than the other: the capture was taken near that side's opposite end. */
const NEAR_RATIO = 4;
/**
 * Waits for ACKs in which an earlier ACK had given room the sender left unused: at least 5, and a quarter
 * of all its waits (see limitsJson: 81 % on `sndbuf`, under 1 % on the cwnd-limited scenarios).
 */
const UNUSED_WAITS_MIN = 5;
const UNUSED_WAITS_SHARE = 0.25;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k];
}

export function rttStats(s: Samples): RttStats | null {
  const v = s.values();
  if (v.length === 0) return null;
  v.sort((a, b) => a - b);
  return { samples: s.seen, minMs: round3(v[0]), medianMs: round3(quantile(v, 0.5)), p95Ms: round3(quantile(v, 0.95)), maxMs: round3(v[v.length - 1]) };
}

/**
 * The split of busy time. The sender's own buffer (sndbuf-limited) looks like the network from outside
 * (an ACK lets the next segments go); limits.ts keeps its candidate apart (the waits for ACKs from the
 * first one where an ACK's room went unused) and it is the buffer's here when, over the whole
 * direction: the ceiling of bytes in flight stayed flat (median ≥ 70 % of the 90th percentile over
 * ≥ 20 ACK-clocked sends) and at most half the peer's largest window; nothing was retransmitted and no
 * queue built up (p95 RTT ≤ 1.5 × the minimum + 5 ms) — loss recovery and a growing queue leave ACKs
 * unanswered too; and the unused waits recur (UNUSED_WAITS_*). On the `sndbuf` scenario 91 of 112
 * waits were unused; on the cwnd-limited ones at most 3 of 373 (shortq) and 2 of 640 (bloat), on the
 * unpaced `sndbuf-unpaced` (where the kernel counts 0 %) 4 of 19, with a ceiling that was not flat.
 * Otherwise the candidate is network time.
 */
function limitsJson(p: PerfConn, dir: 0 | 1, rtt: RttStats | null): PerfLimitsJson {
  const g = (k: D): number => p.get(k, dir);
  const c = p.samplesOf(S.Ceiling + dir).values().sort((a, b) => a - b);
  const ceiling = c.length ? quantile(c, 0.9) : 0;
  const flat = c.length >= 20 && quantile(c, 0.5) >= 0.7 * ceiling;
  const quiet = g(D.RetxBytes) === 0 && rtt !== null && rtt.p95Ms <= 1.5 * rtt.minMs + 5;
  const unusedWaits = g(D.UnusedWaits);
  const unused = unusedWaits >= UNUSED_WAITS_MIN && unusedWaits >= UNUSED_WAITS_SHARE * g(D.Waits);
  const buffer = flat && quiet && unused && g(D.MaxPeerWin) >= 2 * ceiling;
  const sndbuf = buffer ? g(D.SndNs) : 0;
  const net = buffer ? g(D.NetNs) : g(D.NetNs) + g(D.SndNs);
  const busy = g(D.BusyNs);
  const share = (x: number) => (busy > 0 ? round3(x / busy) : 0);
  const first = g(D.FirstNs);
  const last = g(D.LastNs);
  const span = first >= 0 && last > first ? last - first : 0;
  const bytes = g(D.Bytes);
  return {
    busyMs: round3(busy / 1e6),
    rwndLimitedMs: round3(g(D.RwndNs) / 1e6),
    sndbufLimitedMs: round3(sndbuf / 1e6),
    applicationLimitedMs: round3(g(D.AppNs) / 1e6),
    networkLimitedMs: round3(net / 1e6),
    shares: { rwnd: share(g(D.RwndNs)), sndbuf: share(sndbuf), application: share(g(D.AppNs)), network: share(net) },
    idleMs: round3(Math.max(0, span - busy) / 1e6),
    ceilingBytes: Math.round(ceiling),
    peerWindowMin: Math.max(0, g(D.MinPeerWin)),
    peerWindowMax: g(D.MaxPeerWin),
    deliveryRate: busy > 0 ? Math.round((bytes - g(D.RetxBytes)) / (busy / 1e9)) : 0,
    dataSegments: g(D.DataSegs),
    resentBytes: g(D.ResentBytes),
    resentSegments: g(D.ResentSegs),
    resentRate: bytes ? round3(g(D.ResentBytes) / bytes) : 0,
    shortSegments: g(D.ShortSegs),
  };
}

function dirJson(p: PerfConn, dir: 0 | 1): PerfDirJson {
  const g = (k: D): number => p.get(k, dir);
  const first = g(D.FirstNs);
  const last = g(D.LastNs);
  const bytes = g(D.Bytes);
  const retx = g(D.RetxBytes);
  const activeS = first >= 0 && last > first ? (last - first) / 1e9 : 0;
  const episodes = (p.episodes ?? []).filter((e) => e.dir === dir);
  const rto = episodes.filter((e) => e.kind === 'rto');
  const dataRtt = rttStats(p.samplesOf(S.DataRtt + dir));
  const nd = p.samplesOf(S.Nagle + dir).values().sort((a, b) => a - b);
  return {
    segments: g(D.Segments),
    bytes,
    retransmittedBytes: retx,
    retransmittedSegments: g(D.RetxSegments),
    retransmissionRate: bytes ? round3(retx / bytes) : 0,
    spuriousRetransmissions: g(D.SpuriousSegments),
    spuriousBytes: g(D.SpuriousBytes),
    throughput: activeS ? Math.round(bytes / activeS) : 0,
    goodput: activeS ? Math.round((bytes - retx) / activeS) : 0,
    ackRttSamples: g(D.AckRttSamples),
    dataRtt,
    tsRtt: rttStats(p.samplesOf(S.TsRtt + dir)),
    maxBytesInFlight: g(D.MaxInFlight),
    lossEpisodes: {
      fast: episodes.length - rto.length,
      rto: rto.length,
      rtoWaitMs: round3(rto.reduce((n, e) => n + e.waitedNs, 0) / 1e6),
      list: episodes.map((e) => ({ kind: e.kind, packet: e.packet, waitedMs: round3(e.waitedNs / 1e6), segments: e.segments, bytes: e.bytes })),
    },
    zeroWindowMs: round3(g(D.ZeroNs) / 1e6),
    zeroWindowEpisodes: g(D.ZeroEpisodes),
    windowFullMs: round3(g(D.FullNs) / 1e6),
    windowFullEvents: g(D.FullEvents),
    rttMinPacket: g(D.MinRttPkt) + 1,
    rttMaxPacket: g(D.MaxRttPkt) + 1,
    zeroWindowFirstPacket: g(D.ZeroFirstPkt) + 1,
    limits: limitsJson(p, dir, dataRtt),
    nagle: {
      stalls: g(D.NagleStalls),
      medianDelayMs: nd.length ? round3(quantile(nd, 0.5)) : 0,
      totalDelayMs: round3(nd.reduce((a, b) => a + b, 0)),
      heldPacket: g(D.NagleHeldPkt) + 1,
      ackPacket: g(D.NagleAckPkt) + 1,
    },
  };
}

/** The summary of one conversation (after TcpEngine.finish()). */
export function perfJson(conv: Pick<Conversation, 'ext'>): PerfJson | null {
  const p = conv.ext.perf as PerfConn | undefined;
  if (!p) return null;
  const synNs = p.get(C.SynNs);
  const synAckNs = p.get(C.SynAckNs);
  const ackNs = p.get(C.AckNs);
  let handshake: PerfJson['handshake'] = null;
  if (synNs >= 0 && synAckNs >= synNs && ackNs >= synAckNs) {
    const a = (synAckNs - synNs) / 1e6;
    const b = (ackNs - synAckNs) / 1e6;
    // Near the client, SYN → SYN/ACK is the whole path and SYN/ACK → ACK only the client's turn-around.
    const near = a >= NEAR_RATIO * b ? 'client' : b >= NEAR_RATIO * a ? 'server' : 'middle';
    handshake = { synToSynAckMs: round3(a), synAckToAckMs: round3(b), rttMs: round3(a + b), capturedNear: near };
  }
  const c2s = dirJson(p, 0);
  const s2c = dirJson(p, 1);
  const syns = p.get(C.Syns);
  const firstSynNs = p.get(C.FirstSynNs);
  const synRetries = syns > 0
    ? { syns, connectMs: synAckNs >= firstSynNs ? round3((synAckNs - firstSynNs) / 1e6) : 0, firstSynPacket: p.get(C.FirstSynPkt) + 1, synAckPacket: p.get(C.SynAckPkt) + 1 }
    : null;
  let slowestAnswer: PerfJson['slowestAnswer'] = null;
  const maxAnswerNs = p.get(C.MaxAnswerNs);
  if (maxAnswerNs >= 0) {
    const rtt = synNs >= 0 && synAckNs >= synNs ? (synAckNs - synNs) / 1e6 : (c2s.dataRtt?.minMs ?? 0);
    const gap = maxAnswerNs / 1e6;
    slowestAnswer = {
      gapMs: round3(gap), rttMs: round3(rtt), serverMs: round3(Math.max(0, gap - rtt)), answers: p.get(C.Answers),
      requestPacket: p.get(C.MaxAnswerReqPkt) + 1, responsePacket: p.get(C.MaxAnswerRespPkt) + 1,
    };
  }
  const j = { handshake, clientToServer: c2s, serverToClient: s2c, synRetries, slowestAnswer };
  return { ...j, verdicts: perfVerdicts(j) };
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3);
}

function rate(bps: number): string {
  return bps >= 1e6 ? (bps / 1e6).toFixed(2) + ' MB/s' : bps >= 1e3 ? (bps / 1e3).toFixed(1) + ' kB/s' : bps + ' B/s';
}

/** The text report of one connection (`capture-lens perf`), through Translate. */
export function perfReportLines(title: string, j: PerfJson, t: Translate): string[] {
  const lines = [title];
  const h = j.handshake;
  if (h) {
    const where = h.capturedNear === 'client' ? t('captured near the client') : h.capturedNear === 'server' ? t('captured near the server') : t('captured between the two');
    lines.push('  ' + t('Handshake RTT {0} ms (SYN → SYN/ACK {1} ms, SYN/ACK → ACK {2} ms): {3}.', ms(h.rttMs), ms(h.synToSynAckMs), ms(h.synAckToAckMs), where));
  } else lines.push('  ' + t('Handshake not seen whole: no handshake RTT.'));
  const dirs: [string, PerfDirJson][] = [[t('client → server'), j.clientToServer], [t('server → client'), j.serverToClient]];
  for (const [name, d] of dirs) {
    lines.push('  ' + t('{0}: {1} segments, {2} bytes, throughput {3}, goodput {4}.', name, d.segments, d.bytes, rate(d.throughput), rate(d.goodput)));
    const stat = (label: string, s: RttStats | null) => {
      if (s) lines.push('    ' + t('{0} RTT: min {1} ms, median {2} ms, p95 {3} ms, max {4} ms ({5} samples).', label, ms(s.minMs), ms(s.medianMs), ms(s.p95Ms), ms(s.maxMs), s.samples));
    };
    stat(t('Data'), d.dataRtt);
    stat(t('Timestamp-echo'), d.tsRtt);
    if (d.maxBytesInFlight) lines.push('    ' + t('At most {0} bytes in flight.', d.maxBytesInFlight));
    if (d.retransmittedBytes) {
      lines.push('    ' + t('Retransmitted {0} bytes in {1} segments ({2} % of the bytes sent).', d.retransmittedBytes, d.retransmittedSegments, round3(d.retransmissionRate * 100)));
    }
    const l = d.lossEpisodes;
    if (l.fast || l.rto) lines.push('    ' + t('Loss episodes: {0} fast retransmit, {1} timeout; {2} ms waited for timeouts.', l.fast, l.rto, ms(l.rtoWaitMs)));
    if (d.spuriousRetransmissions) lines.push('    ' + t('{0} spurious retransmissions ({1} bytes already acknowledged).', d.spuriousRetransmissions, d.spuriousBytes));
    if (d.zeroWindowEpisodes) lines.push('    ' + t('Advertised a zero window {0} times, {1} ms in all.', d.zeroWindowEpisodes, ms(d.zeroWindowMs)));
    if (d.windowFullEvents) lines.push('    ' + t('Filled the receive window {0} times, waited {1} ms for it to open.', d.windowFullEvents, ms(d.windowFullMs)));
    if (d.limits.busyMs > 0) lines.push('    ' + limitsLine(d.limits, t));
  }
  if (j.verdicts.length === 0) lines.push('  ' + t('Verdict: nothing measured here held the connection back.'));
  else {
    lines.push('  ' + t('Verdicts:'));
    for (const v of j.verdicts) for (const l of verdictLines(v, t)) lines.push('    ' + l);
  }
  return lines;
}
