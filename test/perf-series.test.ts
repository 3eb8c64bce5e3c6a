/**
 * The Graphs panel's core (src/core/perf/connPackets.ts, series.ts): a connection replayed into
 * columns, the layers of each graph kind, and decimation that never drops an extreme.
 */
import * as assert from 'node:assert/strict';

import { ConnRecorder, rowAtTime, rowOfPacket, sackEdges, type ConnPackets } from '../src/core/perf/connPackets';
import { buildSeries, layerPath, seriesPoints, type SeriesLayer } from '../src/core/perf/series';
import { decodeFrame, DecodedPacket } from '../src/core/decode/index';
import { opt, tcpFrame } from '../src/core/synth/frames';
import { A_RETRANSMISSION, type SegmentInput } from '../src/core/tcp/types';

const FLAG: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };

/** [ms, client→server?, flags, seq, ack, len, win?, sack?] */
type Seg = [number, boolean, string, number, number, number, number?, number[]?];

function seg([ms, c, f, seq, ack, len, win, sack]: Seg, index: number): SegmentInput {
  let flags = 0;
  for (const ch of f) flags |= FLAG[ch];
  const us = Math.round(ms * 1000);
  return {
    index, tsSec: 1_700_000_000 + Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000,
    src: c ? '10.0.0.1' : '10.0.0.2', dst: c ? '10.0.0.2' : '10.0.0.1', sport: c ? 40000 : 80, dport: c ? 80 : 40000,
    flags, seq: seq >>> 0, ack: ack >>> 0, win: win ?? 1000, len, mss: -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1, sack,
  };
}

function record(list: Seg[], firstIndex = 10): ConnPackets {
  const rec = new ConnRecorder();
  list.forEach((s, i) => rec.add(seg(s, firstIndex + 2 * i)));
  return rec.finish();
}

const C = 1000;
const S = 5000;
/** Handshake, 3 segments of 100 (the 2nd lost, SACKed, retransmitted), a zero window, FIN. */
const CONN: Seg[] = [
  [0, true, 'S', C, 0, 0],
  [10, false, 'SA', S, C + 1, 0],
  [10.5, true, 'A', C + 1, S + 1, 0],
  [11, true, 'PA', C + 1, S + 1, 100],
  [11.2, true, 'PA', C + 101, S + 1, 100],
  [11.4, true, 'PA', C + 201, S + 1, 100],
  [21, false, 'A', S + 1, C + 101, 0, 1000],
  [21.4, false, 'A', S + 1, C + 101, 0, 1000, [C + 201, C + 301]],
  [40, true, 'PA', C + 101, S + 1, 100],
  [50, false, 'A', S + 1, C + 301, 0, 0],
  [60, false, 'A', S + 1, C + 301, 0, 2000],
  [61, true, 'FA', C + 301, S + 1, 0],
];

describe('perf series: the connection replayed into columns', () => {
  it('keeps relative numbers, packet numbers, times, RTT samples and SACK blocks relative to the data direction', () => {
    const c = record(CONN);
    assert.equal(c.n, CONN.length);
    assert.deepEqual(Array.from(c.index.subarray(0, 3)), [10, 12, 14]);
    assert.equal(c.seq[3], 1); // first data byte: relative 1
    assert.equal(c.ack[6], 101);
    assert.ok(Math.abs(c.t[6] - 0.021) < 1e-9);
    // the ACK at 21 ms covers the segment sent at 11 ms: tshark's ack_rtt 10 ms
    assert.ok(Math.abs(c.rttMs[6] - 10) < 1e-3);
    assert.deepEqual(c.sack.get(7), [201, 301]);
    assert.ok(c.analysis[8] & A_RETRANSMISSION);
    assert.ok(c.bif[5] > 0);
    assert.ok(c.perf !== null);
    assert.equal(rowOfPacket(c, 16), 3);
    assert.equal(rowOfPacket(c, 17), -1);
    assert.equal(rowAtTime(c, 0.0111), 4);
  });

  it('stops at its limit and says so', () => {
    const rec = new ConnRecorder(5);
    CONN.forEach((s, i) => rec.add(seg(s, i)));
    const c = rec.finish();
    assert.equal(c.n, 5);
    assert.equal(c.truncated, true);
  });

  it('reads the SACK blocks of a capture packet', () => {
    const frame = tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000, flags: 0x10, seq: 1, ack: 2, options: [...opt.nop(), ...opt.nop(), ...opt.sack([[10, 20], [256, 512]])] });
    const pkt = decodeFrame(new DecodedPacket(), frame, frame.length, 1);
    assert.deepEqual(sackEdges(pkt), [10, 20, 256, 512]);
  });
});

function layer(s: { layers: SeriesLayer[] }, name: string): SeriesLayer {
  const l = s.layers.find((x) => x.name === name);
  assert.ok(l, name);
  return l;
}

describe('perf series: graph layers', () => {
  const c = record(CONN);
  const all = { t0: 0, t1: 0.062, width: 1000 };

  it('time-sequence: first transmissions and retransmissions apart, ACK and window lines, SACK, zero window', () => {
    const s = buildSeries(c, { kind: 'tseq', dir: 0, ...all });
    const data = layer(s, 'data');
    const retx = layer(s, 'retx');
    // SYN (0..1), three segments and the FIN; the retransmission alone in its layer
    assert.equal(data.data.length / 4, 5);
    assert.deepEqual(retx.data.slice(1, 4), [101, 201, 26]);
    assert.deepEqual(layer(s, 'sack').data.slice(1, 3), [201, 301]);
    const ack = layer(s, 'ack');
    assert.equal(ack.stats.max, 301);
    assert.equal(layer(s, 'rwin').stats.max, 301 + 2000);
    const zero = layer(s, 'zerowin');
    assert.equal(zero.data.length / 3, 1);
    assert.equal(zero.data[2], 28); // packet number of the zero-window ACK
    assert.ok(s.yMin <= 0 && s.yMax >= 2301);
  });

  it('RTT and window: the samples of the receiver\'s ACKs, the sender\'s bytes in flight', () => {
    const r = buildSeries(c, { kind: 'rtt', dir: 0, ...all });
    const rtt = layer(r, 'rtt');
    assert.ok(rtt.stats.count >= 1);
    assert.ok(Math.abs(rtt.stats.min - 10) < 1e-3);
    const w = buildSeries(c, { kind: 'window', dir: 0, ...all });
    assert.equal(layer(w, 'bif').stats.max, 300);
    assert.equal(layer(w, 'awin').stats.min, 0);
  });

  it('throughput: a steady sender measures its rate', () => {
    // 1,000 segments of 1,000 bytes, one a millisecond: 1 MB/s
    const list: Seg[] = [];
    for (let i = 0; i < 1000; i++) list.push([i, true, 'A', C + 1 + i * 1000, S + 1, 1000]);
    const steady = record(list);
    const s = buildSeries(steady, { kind: 'throughput', dir: 0, t0: 0, t1: 0.999, width: 400 });
    const tp = layer(s, 'throughput');
    // away from the edges every sample is 1 MB/s within one segment of the window (1/50 of 1 s = 20 ms: ±5 %)
    const mid = [];
    for (let i = 0; i < tp.data.length; i += 3) if (tp.data[i] > 0.1 && tp.data[i] < 0.9) mid.push(tp.data[i + 1]);
    assert.ok(mid.length > 100);
    for (const v of mid) assert.ok(Math.abs(v - 1e6) <= 0.05e6, String(v));
    assert.deepEqual(layer(s, 'goodput').data, tp.data);
  });
});

describe('perf series: decimation keeps every extreme', () => {
  /** 200,000 ACKs with RTT samples: a smooth 10–20 ms wave and one 900 ms spike, one 0.5 ms dip. */
  function synthetic(n: number): ConnPackets {
    const rec = new ConnRecorder();
    const c = rec.finish();
    c.n = n;
    c.index = Int32Array.from({ length: n }, (_, i) => i);
    c.t = Float64Array.from({ length: n }, (_, i) => i * 1e-4);
    c.dir = new Uint8Array(n).fill(1);
    c.seq = new Uint32Array(n);
    c.len = new Uint32Array(n);
    c.ack = Uint32Array.from({ length: n }, (_, i) => i * 100);
    c.win = new Uint32Array(n).fill(65535);
    c.flags = new Uint16Array(n).fill(0x10);
    c.analysis = new Uint16Array(n);
    c.rttMs = Float32Array.from({ length: n }, (_, i) => 15 + 5 * Math.sin(i / 1000));
    c.bif = new Uint32Array(n);
    c.rttMs[123_457] = 900;
    c.rttMs[77_777] = 0.5;
    return c;
  }
  const big = synthetic(200_000);

  it('a 100-pixel view of 200,000 samples keeps the spike and the dip, at most 4 points a pixel', () => {
    const s = buildSeries(big, { kind: 'rtt', dir: 0, t0: 0, t1: 20, width: 100 });
    const l = layer(s, 'rtt');
    assert.equal(l.stats.count, 200_000);
    assert.ok(l.data.length / 3 <= 4 * 101);
    const values = l.data.filter((_, i) => i % 3 === 1);
    const packets = l.data.filter((_, i) => i % 3 === 2);
    assert.equal(Math.max(...values), 900);
    assert.ok(Math.abs(Math.min(...values) - 0.5) < 1e-6);
    assert.ok(packets.includes(123_457) && packets.includes(77_777));
    // the exact statistics, not the decimated points', fill the summary
    assert.equal(l.stats.max, 900);
    assert.ok(Math.abs(l.stats.tMax - 12.3457) < 1e-9);
  });

  it('a view with more pixels than rows keeps every row, in time order', () => {
    const s = buildSeries(big, { kind: 'rtt', dir: 0, t0: 1, t1: 1.01, width: 4000 });
    const l = layer(s, 'rtt');
    assert.equal(l.data.length / 3, l.stats.count);
    for (let i = 3; i < l.data.length; i += 3) assert.ok(l.data[i] > l.data[i - 3]);
  });

  it('a time-sequence view keeps the highest ACK of every bucket, and the line enters from the left edge', () => {
    const s = buildSeries(big, { kind: 'tseq', dir: 0, t0: 5, t1: 6, width: 50 });
    const ack = layer(s, 'ack');
    assert.equal(ack.data[0] < 5, true); // the last ACK before the view
    assert.equal(ack.stats.max, 60_000 * 100);
    assert.ok(seriesPoints(s) < 4 * 51 * 3 + 2);
    const d = layerPath(s, ack, { x0: 0, y0: 0, width: 500, height: 100 });
    assert.match(d, /^M-?[\d.]+ [\d.]+(H[\d.]+V[\d.]+)+$/);
  });
});
