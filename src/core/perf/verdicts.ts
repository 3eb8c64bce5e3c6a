/**
 * Verdicts ("why is it slow?") from a connection's measurements: kind, direction, evidence packets
 * (1-based frame numbers, as Wireshark, tcpdump -# and the problems' `packet` count them) and the
 * figures the sentence needs. No text here: src/core/explain/perf.ts words them (English, Chinese)
 * and says what to change, as the engine's problems are worded by explain/problems.ts.
 *
 * Thresholds (each says why it is that number):
 * - a share "limited" by something: ≥ 50 % of the sender's busy time (the main cause), 20 % for the
 *   receiver's window (a window that stops the sender a fifth of the time already caps throughput);
 * - a bottleneck: the network held the sender ≥ 50 % of its busy time, ≥ 100 kB sent, and a standing
 *   queue: the median RTT ≥ max(2 ms, 25 % of the minimum) above the minimum — a saturated link keeps
 *   a queue, random loss does not (on the 2 % loss scenario the median stays within 0.5 ms);
 * - bufferbloat: the 95th-percentile RTT ≥ 2.5 × the minimum and ≥ 20 ms above it, with ≥ 100 kB
 *   sent (under load): a queue that adds a round trip's worth of delay or more;
 * - loss-limited: ≥ 1 % of the bytes retransmitted, in ≥ 3 segments (one tail-loss probe in a short
 *   transfer is not a loss rate); Mathis et al.: throughput ∝ 1/√p, at 1 % a 20 ms path cannot pass
 *   ~7 Mbit/s with 1448-byte segments;
 * - RTO stalls: timeouts that waited ≥ 200 ms in all (Linux's minimum RTO);
 * - Nagle/delayed ACK: ≥ 2 stalls (one can be chance);
 * - application-limited: ≥ 10 data segments (one request is not a pattern), and not a request/response
 *   exchange (there each side waits for the other by design);
 * - slow server: the longest request → first response byte, minus the network round trip, ≥ 200 ms;
 * - slow handshake: the SYN sent more than once (the retry comes after 1 s, RFC 6298, or 3 s on
 *   older stacks).
 */
import type { PerfDirJson, PerfJson } from './summary';

export type VerdictKind =
  | 'bufferbloat'
  | 'bottleneck'
  | 'receiver-limited'
  | 'zero-window'
  | 'loss-limited'
  | 'rto-stalls'
  | 'application-limited'
  | 'sndbuf-limited'
  | 'nagle-delayed-ack'
  | 'slow-server'
  | 'slow-handshake';

export interface Verdict {
  kind: VerdictKind;
  /** The sender concerned, null for the connection as a whole. */
  dir: 'clientToServer' | 'serverToClient' | null;
  /** Evidence: 1-based frame numbers. */
  packets: number[];
  /** Figures the explanation quotes (ms, bytes, bytes a second, shares 0..1, counts). */
  figures: Record<string, number>;
}

export const SHARE_MAIN = 0.5;
export const SHARE_RWND = 0.2;
export const BLOAT_RATIO = 2.5;
export const BLOAT_MS = 20;
export const BLOAT_BYTES = 100_000;
export const LOSS_RATE = 0.01;
export const LOSS_SEGMENTS = 3;
export const STANDING_MS = 2;
export const STANDING_RATIO = 0.25;
export const RTO_MS = 200;
export const NAGLE_STALLS = 2;
export const SLOW_SERVER_MS = 200;
export const APP_SEGMENTS = 10;

function dirVerdicts(name: 'clientToServer' | 'serverToClient', d: PerfDirJson, turns: number): Verdict[] {
  const out: Verdict[] = [];
  const l = d.limits;
  const rtt = d.dataRtt;
  const v = (kind: VerdictKind, packets: number[], figures: Record<string, number>) => out.push({ kind, dir: name, packets: packets.filter((p) => p > 0), figures });
  if (rtt && d.bytes >= BLOAT_BYTES && rtt.p95Ms >= BLOAT_RATIO * rtt.minMs && rtt.p95Ms - rtt.minMs >= BLOAT_MS) {
    const rate = l.deliveryRate;
    v('bufferbloat', [d.rttMinPacket, d.rttMaxPacket], {
      minRttMs: rtt.minMs, p95RttMs: rtt.p95Ms, maxRttMs: rtt.maxMs, queueMs: Math.round(rtt.p95Ms - rtt.minMs), queueBytes: Math.round(((rtt.p95Ms - rtt.minMs) / 1000) * rate),
    });
  }
  const lossRate = Math.max(d.retransmissionRate, l.resentRate);
  const loss = d.bytes > 0 && lossRate >= LOSS_RATE && Math.max(d.retransmittedSegments, l.resentSegments) >= LOSS_SEGMENTS;
  // A standing queue: the median RTT sits well above the minimum (a saturated bottleneck keeps one).
  const queue = rtt !== null && rtt.medianMs - rtt.minMs >= Math.max(STANDING_MS, STANDING_RATIO * rtt.minMs);
  if (l.busyMs > 0 && l.shares.network >= SHARE_MAIN && queue && d.bytes >= BLOAT_BYTES && l.deliveryRate > 0) {
    v('bottleneck', [d.rttMaxPacket], { rate: l.deliveryRate, networkShare: l.shares.network });
  }
  if (l.busyMs > 0 && l.shares.rwnd >= SHARE_RWND) {
    v('receiver-limited', [], { share: l.shares.rwnd, rwndMs: l.rwndLimitedMs, busyMs: l.busyMs, minWindow: l.peerWindowMin, maxWindow: l.peerWindowMax });
  }
  if (loss) {
    const first = d.lossEpisodes.list[0];
    v('loss-limited', [first ? first.packet + 1 : 0], {
      rate: lossRate, bytes: Math.max(d.retransmittedBytes, l.resentBytes), fast: d.lossEpisodes.fast, rto: d.lossEpisodes.rto, standingQueue: queue ? 1 : 0,
    });
  }
  if (d.lossEpisodes.rto > 0 && d.lossEpisodes.rtoWaitMs >= RTO_MS) {
    const rtos = d.lossEpisodes.list.filter((e) => e.kind === 'rto');
    const longest = rtos.reduce((a, b) => (b.waitedMs > a.waitedMs ? b : a), rtos[0]);
    v('rto-stalls', rtos.slice(0, 5).map((e) => e.packet + 1), { count: rtos.length, waitedMs: d.lossEpisodes.rtoWaitMs, longestMs: longest.waitedMs });
  }
  // In a request/response exchange (a turn for at least a quarter of the segments) each side waits for
  // the other by design: that is the exchange's shape, not an application holding data back.
  const exchange = turns >= 2 && turns * 4 >= l.dataSegments;
  if (l.busyMs > 0 && l.shares.application >= SHARE_MAIN && !exchange && l.dataSegments >= APP_SEGMENTS) {
    v('application-limited', [], { share: l.shares.application, idleMs: l.idleMs, segments: l.dataSegments, shortSegments: l.shortSegments, averageBytes: l.dataSegments ? Math.round(d.bytes / l.dataSegments) : 0 });
  }
  if (l.busyMs > 0 && l.shares.sndbuf >= SHARE_MAIN) {
    v('sndbuf-limited', [], { share: l.shares.sndbuf, ceiling: l.ceilingBytes, maxWindow: l.peerWindowMax });
  }
  if (d.nagle.stalls >= NAGLE_STALLS) {
    v('nagle-delayed-ack', [d.nagle.heldPacket, d.nagle.ackPacket], { stalls: d.nagle.stalls, medianDelayMs: d.nagle.medianDelayMs, lostMs: d.nagle.totalDelayMs });
  }
  return out;
}

/** The verdicts of one connection, the connection-wide ones first. */
export function perfVerdicts(j: Omit<PerfJson, 'verdicts'>): Verdict[] {
  const out: Verdict[] = [];
  const hs = j.synRetries;
  if (hs && hs.syns > 1) {
    out.push({ kind: 'slow-handshake', dir: null, packets: [hs.firstSynPacket, hs.synAckPacket].filter((p) => p > 0), figures: { syns: hs.syns, connectMs: hs.connectMs } });
  }
  const a = j.slowestAnswer;
  if (a && a.serverMs >= SLOW_SERVER_MS) {
    out.push({ kind: 'slow-server', dir: null, packets: [a.requestPacket, a.responsePacket], figures: { serverMs: a.serverMs, gapMs: a.gapMs, rttMs: a.rttMs, answers: a.answers } });
  }
  // zero windows stall the other side's sending: reported on the sender concerned
  for (const [name, d, peer] of [['clientToServer', j.clientToServer, j.serverToClient], ['serverToClient', j.serverToClient, j.clientToServer]] as const) {
    out.push(...dirVerdicts(name, d, a ? a.answers : 0));
    if (peer.zeroWindowEpisodes > 0) {
      out.push({ kind: 'zero-window', dir: name, packets: [peer.zeroWindowFirstPacket].filter((p) => p > 0), figures: { episodes: peer.zeroWindowEpisodes, zeroMs: peer.zeroWindowMs } });
    }
  }
  return out;
}
