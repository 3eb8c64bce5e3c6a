/**
 * What limited the sender and the verdicts, on small hand-built connections whose answers are derived
 * in the comments (the real-kernel scenarios are in perf-scenarios.test.ts); the SACK rule of tshark's
 * bytes in flight; and the words of every verdict in English and Chinese.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import { verdictLines } from '../src/core/explain/perf';
import { perfJson, perfReportLines, type PerfJson } from '../src/core/perf/summary';
import type { Verdict, VerdictKind } from '../src/core/perf/verdicts';
import { TcpEngine } from '../src/core/tcp/engine';
import type { SegmentInput } from '../src/core/tcp/types';

const FLAG: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };
const C = 1000;
const S = 5000;
const MSS = 1448;

/** One segment: ms, from the client?, flags, seq, ack, len, window (raw, no scaling), SACK blocks, MSS option. */
interface Seg {
  ms: number;
  c: boolean;
  f: string;
  seq: number;
  ack: number;
  len?: number;
  win?: number;
  sack?: number[];
  mss?: number;
}

function run(list: Seg[]): { engine: TcpEngine; bif: number[]; j: PerfJson } {
  const engine = new TcpEngine({ perf: true });
  const bif: number[] = [];
  list.forEach((s, i) => {
    let flags = 0;
    for (const ch of s.f) flags |= FLAG[ch];
    const us = Math.round(s.ms * 1000);
    const seg: SegmentInput = {
      index: i, tsSec: 1_700_000_000 + Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000,
      src: s.c ? '10.0.0.1' : '10.0.0.2', dst: s.c ? '10.0.0.2' : '10.0.0.1', sport: s.c ? 40000 : 80, dport: s.c ? 80 : 40000,
      flags, seq: s.seq >>> 0, ack: s.ack >>> 0, win: s.win ?? 65535, len: s.len ?? 0, mss: s.mss ?? -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1, sack: s.sack,
    };
    engine.add(seg);
    bif.push(engine.perfPacket.bytesInFlight);
  });
  engine.finish();
  return { engine, bif, j: perfJson(engine.conversations()[0])! };
}

/** Handshake at 0 / 20 / 20 ms (RTT 20 ms, captured near the client), both sides announcing MSS 1460. */
const HS: Seg[] = [
  { ms: 0, c: true, f: 'S', seq: C, ack: 0, mss: 1460 },
  { ms: 20, c: false, f: 'SA', seq: S, ack: C + 1, mss: 1460 },
  { ms: 20.01, c: true, f: 'A', seq: C + 1, ack: S + 1 },
];

const kinds = (j: PerfJson): VerdictKind[] => j.verdicts.map((v) => v.kind);

describe('perf: what limited the sender (hand-built)', () => {
  it('a window held closed, then used at once: busy and receiver-limited all along (the kernel counts its queued data)', () => {
    // 2 segments fill a 2896-byte window; the ACK at 40 ms closes it (win 0) until 540 ms; the client
    // sends at once, and everything is acknowledged at 560 ms. Busy 520 ms: 20 waiting for the first ACK
    // with the window full (rwnd), 500 held by the zero window (rwnd), 20 for the last ACK (network).
    const { j } = run([
      ...HS,
      { ms: 20.02, c: true, f: 'A', seq: C + 1, ack: S + 1, len: MSS, win: 65535 },
      { ms: 20.03, c: true, f: 'PA', seq: C + 1 + MSS, ack: S + 1, len: MSS },
      { ms: 21, c: false, f: 'A', seq: S + 1, ack: C + 1, win: 2896 },
      { ms: 40, c: false, f: 'A', seq: S + 1, ack: C + 1 + 2 * MSS, win: 0 },
      { ms: 540, c: false, f: 'A', seq: S + 1, ack: C + 1 + 2 * MSS, win: 2896 },
      { ms: 540.1, c: true, f: 'A', seq: C + 1 + 2 * MSS, ack: S + 1, len: MSS },
      { ms: 560, c: false, f: 'A', seq: S + 1, ack: C + 1 + 3 * MSS, win: 2896 },
    ]);
    const l = j.clientToServer.limits;
    assert.equal(Math.round(l.busyMs), 540);
    assert.ok(l.rwndLimitedMs >= 519 && l.rwndLimitedMs <= 521, String(l.rwndLimitedMs));
    assert.ok(kinds(j).includes('receiver-limited'));
    assert.ok(kinds(j).includes('zero-window'));
  });

  it('a window that opened with nothing following: the hold is taken back (idle, not busy)', () => {
    // Same start, but when the window opens at 540 ms the client sends nothing until 2000 ms: it had
    // nothing more to send once everything was acknowledged at 40 ms.
    const { j } = run([
      ...HS,
      { ms: 20.02, c: true, f: 'A', seq: C + 1, ack: S + 1, len: MSS },
      { ms: 20.03, c: true, f: 'PA', seq: C + 1 + MSS, ack: S + 1, len: MSS },
      { ms: 21, c: false, f: 'A', seq: S + 1, ack: C + 1, win: 2896 },
      { ms: 40, c: false, f: 'A', seq: S + 1, ack: C + 1 + 2 * MSS, win: 0 },
      { ms: 540, c: false, f: 'A', seq: S + 1, ack: C + 1 + 2 * MSS, win: 2896 },
      { ms: 2000, c: true, f: 'PA', seq: C + 1 + 2 * MSS, ack: S + 1, len: 100 },
      { ms: 2020, c: false, f: 'A', seq: S + 1, ack: C + 1 + 2 * MSS + 100, win: 2896 },
    ]);
    const l = j.clientToServer.limits;
    // busy: 20.02 → 40 (the first flight) and 2000 → 2020
    assert.equal(Math.round(l.busyMs), 40);
    assert.ok(l.rwndLimitedMs < 21, String(l.rwndLimitedMs));
  });

  /** ACK-clocked bulk data: each ACK at t lets `burst` full segments go 0.05 ms later; in flight stays at `flight` segments. */
  function clocked(rounds: number, flight: (r: number) => number, rttMs: number, win: number): Seg[] {
    const out: Seg[] = [...HS];
    let next = C + 1;
    let t = 20.02;
    let una = C + 1;
    const sent: number[] = [];
    for (let k = 0; k < flight(0); k++) {
      out.push({ ms: t, c: true, f: 'A', seq: next, ack: S + 1, len: MSS });
      sent.push(next);
      next += MSS;
    }
    for (let r = 1; r <= rounds; r++) {
      t += rttMs;
      una = next;
      out.push({ ms: t, c: false, f: 'A', seq: S + 1, ack: una, win });
      for (let k = 0; k < flight(r); k++) {
        out.push({ ms: t + 0.05, c: true, f: 'A', seq: next, ack: S + 1, len: MSS });
        next += MSS;
      }
    }
    t += rttMs;
    out.push({ ms: t, c: false, f: 'A', seq: S + 1, ack: next, win });
    return out;
  }

  /**
   * A writer blocked on its send buffer, paced: each round `flight` segments leave 0.05 ms apart; their
   * ACKs come back `rttMs(r)` later, one per 2 segments, 3 ms apart, and the sender stays silent until
   * the last ACK but one (the kernel wakes the writer once a third of the buffer is free, then the
   * pacing timer sends what it copied): the first ACKs give room that goes unused.
   */
  function buffered(rounds: number, flight: number, rttMs: (r: number) => number, win: number): Seg[] {
    const out: Seg[] = [];
    let next = C + 1;
    let t = 20.02;
    const acks = flight / 2;
    for (let r = 0; r <= rounds; r++) {
      for (let k = 0; k < flight; k++) out.push({ ms: t + k * 0.05, c: true, f: 'A', seq: next + k * MSS, ack: S + 1, len: MSS });
      next += flight * MSS;
      // this round's ACKs: each acknowledges 2 more segments
      for (let k = 1; k <= acks; k++) out.push({ ms: t + rttMs(r) + (k - 1) * 3, c: false, f: 'A', seq: S + 1, ack: next - (acks - k) * 2 * MSS, win });
      t += rttMs(r) + (acks - 2) * 3 + 0.05;
    }
    return [...HS, ...out.sort((x, y) => x.ms - y.ms)];
  }

  it('a flat ceiling, ACKs whose room the sender left unused, no loss, no queue: the sender\'s own buffer (sndbuf-limited)', () => {
    // 8 segments a round, ACKs 20, 23, 26, 29 ms after them, the next 8 after the third: 26.05 ms a round,
    // of which the sender waits 25.7 (from its last segment to the third ACK), for 40 rounds, against a
    // 65535-byte window
    const { j } = run(buffered(40, 8, () => 20, 65535));
    const l = j.clientToServer.limits;
    assert.ok(l.shares.sndbuf >= 0.9, JSON.stringify(l));
    assert.equal(l.ceilingBytes, 10 * MSS); // the 8 sent, and 2 whose ACK comes after them
    assert.ok(kinds(j).includes('sndbuf-limited'));
  });

  it('a flat ceiling where the sender answers every ACK at once: the network (an unpaced buffer the kernel does not count)', () => {
    // 8 segments in flight every round trip, sent right after the round's one ACK: a congestion window
    // looks the same, and so does an unpaced writer on a small buffer (its data has all left before it
    // blocks: the kernel's sndbuf_limited stays 0, the sndbuf-unpaced scenario)
    const { j } = run(clocked(40, () => 8, 20, 65535));
    const l = j.clientToServer.limits;
    assert.equal(l.shares.sndbuf, 0);
    assert.ok(l.shares.network >= 0.9, JSON.stringify(l));
    assert.ok(!kinds(j).includes('sndbuf-limited'));
  });

  it('ACKs left unused but RTT samples rising (a queue building): the network, not the buffer', () => {
    // the same paced sender, with its ACKs coming 20, 21, … 60 ms later: p95 RTT ≥ 1.5 × the minimum + 5 ms
    const { j } = run(buffered(40, 8, (r) => 20 + r, 65535));
    const l = j.clientToServer.limits;
    assert.ok(j.clientToServer.dataRtt!.p95Ms > 1.5 * j.clientToServer.dataRtt!.minMs + 5, JSON.stringify(j.clientToServer.dataRtt));
    assert.equal(l.shares.sndbuf, 0);
  });

  it('a ceiling that grows every round trip (slow start): the network, not the buffer', () => {
    const { j } = run(clocked(4, (r) => 2 ** (r + 1), 20, 65535)); // 2 … 32 segments: below the window
    const l = j.clientToServer.limits;
    assert.equal(l.shares.sndbuf, 0);
    assert.ok(l.shares.network >= 0.9, JSON.stringify(l));
    assert.ok(!kinds(j).includes('sndbuf-limited'));
  });
});

describe('perf: verdicts (hand-built)', () => {
  it('Nagle with a 200 ms delayed ACK (other stacks): each short second write waits for it', () => {
    // write-write-read, 3 times: 100 bytes, ACK 220 ms later (RTT 20 + 200 delayed), then 200 bytes at once
    const list: Seg[] = [...HS];
    let t = 30;
    let seq = C + 1;
    let sseq = S + 1;
    for (let k = 0; k < 3; k++) {
      list.push({ ms: t, c: true, f: 'PA', seq, ack: sseq, len: 100 });
      list.push({ ms: t + 220, c: false, f: 'A', seq: sseq, ack: seq + 100 });
      list.push({ ms: t + 220.05, c: true, f: 'PA', seq: seq + 100, ack: sseq, len: 200 });
      list.push({ ms: t + 240.05, c: false, f: 'PA', seq: sseq, ack: seq + 300, len: 50 });
      seq += 300;
      sseq += 50;
      t += 300;
    }
    const { j } = run(list);
    const n = j.clientToServer.nagle;
    assert.equal(n.stalls, 3);
    // the late ACK came 220 ms after a segment whose path RTT is 20 ms (the handshake's): 200 ms delay
    assert.ok(Math.abs(n.medianDelayMs - 200) < 0.01, String(n.medianDelayMs));
    const v = j.verdicts.find((x) => x.kind === 'nagle-delayed-ack')!;
    assert.deepEqual(v.packets, [6, 5]); // the held segment and the late ACK (1-based frames)
  });

  it('RTO stalls: a segment sent again after 1 s of silence', () => {
    const { j } = run([
      ...HS,
      { ms: 30, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100 },
      { ms: 1030, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100 },
      { ms: 1050, c: false, f: 'A', seq: S + 1, ack: C + 101 },
    ]);
    const v = j.verdicts.find((x) => x.kind === 'rto-stalls')!;
    assert.deepEqual([v.figures.count, v.figures.waitedMs, v.packets], [1, 1000, [5]]);
    assert.ok(!kinds(j).includes('loss-limited'), 'one segment is not a loss rate');
  });

  it('slow handshake: the SYN sent again after 1 s', () => {
    const { j } = run([
      { ms: 0, c: true, f: 'S', seq: C, ack: 0 },
      { ms: 1000, c: true, f: 'S', seq: C, ack: 0 },
      { ms: 1020, c: false, f: 'SA', seq: S, ack: C + 1 },
      { ms: 1020.05, c: true, f: 'A', seq: C + 1, ack: S + 1 },
    ]);
    const v = j.verdicts.find((x) => x.kind === 'slow-handshake')!;
    assert.deepEqual([v.figures.syns, v.figures.connectMs, v.packets], [2, 1020, [1, 3]]);
  });

  it('slow server: 500 ms from the request to the answer, less the 20 ms round trip', () => {
    const { j } = run([
      ...HS,
      { ms: 30, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 300 },
      { ms: 50, c: false, f: 'A', seq: S + 1, ack: C + 301 },
      { ms: 530, c: false, f: 'PA', seq: S + 1, ack: C + 301, len: 1000 },
      { ms: 550, c: true, f: 'A', seq: C + 301, ack: S + 1001 },
    ]);
    const v = j.verdicts.find((x) => x.kind === 'slow-server')!;
    assert.deepEqual([v.figures.gapMs, v.figures.rttMs, v.figures.serverMs, v.packets], [500, 20, 480, [4, 6]]);
  });

  it('a quick exchange gives no verdict', () => {
    const { j } = run([
      ...HS,
      { ms: 30, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 300 },
      { ms: 50, c: false, f: 'PA', seq: S + 1, ack: C + 301, len: 1000 },
      { ms: 70, c: true, f: 'A', seq: C + 301, ack: S + 1001 },
    ]);
    assert.deepEqual(j.verdicts, []);
    assert.ok(perfReportLines('c', j, formatEn).some((l) => l.includes('Verdict: nothing measured here held the connection back.')));
  });
});

describe('perf: bytes in flight less the peer\'s SACK blocks (tshark 4.0)', () => {
  it('subtracts the first 3 blocks of the peer\'s latest packet; a packet without SACK clears them', () => {
    const { bif } = run([
      ...HS,
      { ms: 21, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 1000 },
      { ms: 22, c: true, f: 'A', seq: C + 1001, ack: S + 1, len: 1000 },
      { ms: 23, c: true, f: 'A', seq: C + 2001, ack: S + 1, len: 1000 },
      // the first segment is lost: a duplicate ACK with SACK 1001–3001 (2000 bytes)
      { ms: 41, c: false, f: 'A', seq: S + 1, ack: C + 1, sack: [C + 1001, C + 3001] },
      { ms: 42, c: true, f: 'A', seq: C + 3001, ack: S + 1, len: 1000 },
      // four blocks: only the first three count (100 + 100 + 100)
      { ms: 43, c: false, f: 'A', seq: S + 1, ack: C + 1, sack: [C + 1001, C + 1101, C + 1201, C + 1301, C + 1401, C + 1501, C + 1601, C + 3001] },
      { ms: 44, c: true, f: 'A', seq: C + 4001, ack: S + 1, len: 1000 },
      { ms: 45, c: false, f: 'A', seq: S + 1, ack: C + 1 },
      { ms: 46, c: true, f: 'A', seq: C + 5001, ack: S + 1, len: 1000 },
    ]);
    // spans: 4000 − 2000; 5000 − 300; 6000 with the SACK cleared by the plain duplicate ACK
    assert.deepEqual([bif[3], bif[4], bif[5], bif[7], bif[9], bif[11]], [1000, 2000, 3000, 2000, 4700, 6000]);
  });
});

describe('perf: the verdicts\' words', () => {
  const ROOT = path.resolve(__dirname, '..', '..');
  const zh = bundleTranslator(JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>);
  const ALL: Verdict[] = [
    { kind: 'bufferbloat', dir: 'clientToServer', packets: [10, 20], figures: { minRttMs: 20, p95RttMs: 200, maxRttMs: 250, queueMs: 180, queueBytes: 180000 } },
    { kind: 'bottleneck', dir: 'clientToServer', packets: [20], figures: { rate: 1e6, networkShare: 0.9 } },
    { kind: 'receiver-limited', dir: 'clientToServer', packets: [], figures: { share: 0.9, rwndMs: 900, busyMs: 1000, minWindow: 0, maxWindow: 8688 } },
    { kind: 'zero-window', dir: 'clientToServer', packets: [17], figures: { episodes: 3, zeroMs: 600 } },
    { kind: 'loss-limited', dir: 'clientToServer', packets: [5], figures: { rate: 0.02, bytes: 4000, fast: 2, rto: 1, standingQueue: 0 } },
    { kind: 'loss-limited', dir: 'clientToServer', packets: [5], figures: { rate: 0.02, bytes: 4000, fast: 2, rto: 1, standingQueue: 1 } },
    { kind: 'rto-stalls', dir: 'serverToClient', packets: [5, 9], figures: { count: 2, waitedMs: 1400, longestMs: 1000 } },
    { kind: 'application-limited', dir: 'clientToServer', packets: [], figures: { share: 0.9, idleMs: 10, segments: 100, shortSegments: 99, averageBytes: 200 } },
    { kind: 'sndbuf-limited', dir: 'clientToServer', packets: [], figures: { share: 0.9, ceiling: 11584, maxWindow: 65535 } },
    { kind: 'nagle-delayed-ack', dir: 'clientToServer', packets: [12, 11], figures: { stalls: 39, medianDelayMs: 40, lostMs: 1600 } },
    { kind: 'slow-server', dir: null, packets: [4, 6], figures: { serverMs: 480, gapMs: 500, rttMs: 20, answers: 1 } },
    { kind: 'slow-handshake', dir: null, packets: [1, 3], figures: { syns: 2, connectMs: 1020 } },
  ];

  it('every kind is worded, with its figures, in English and in Chinese (no English sentence left)', () => {
    const seen = new Set<string>();
    for (const v of ALL) {
      seen.add(v.kind);
      const en = verdictLines(v, formatEn);
      const cn = verdictLines(v, zh);
      assert.ok(en.length >= 3 && cn.length === en.length, v.kind);
      for (const l of [...en, ...cn]) assert.doesNotMatch(l, /\{\d+\}/, `${v.kind}: a placeholder left: ${l}`);
      for (const l of cn) assert.doesNotMatch(l.replace(/[A-Za-z_]+(?:[./][A-Za-z_0-9]+)*\(?\)?/g, (w) => (w.length < 12 ? '' : w)), /\b[a-z]{4,} [a-z]{4,} [a-z]{4,}\b/, `${v.kind}: English in Chinese: ${l}`);
      assert.ok(en[en.length - 1].includes('What to change: '), v.kind);
    }
    assert.equal(seen.size, 11, 'all verdict kinds');
    // the two losses say different things
    assert.notEqual(verdictLines(ALL[4], formatEn).join(), verdictLines(ALL[5], formatEn).join());
  });
});
