/**
 * Where limits.ts keeps its state (issue 14's cost budget): the request → response gaps are counted,
 * not kept as a sample list, and what only the pass needs sits in the PerfStore's pass array, which
 * the engine drops at finish() while the summary still reads every kept number.
 */
import * as assert from 'node:assert/strict';

import { CONN_SIZE, PASS_SIZE } from '../src/core/perf/layout';
import { perfJson } from '../src/core/perf/summary';
import type { PerfConn } from '../src/core/perf/tracker';
import { TcpEngine } from '../src/core/tcp/engine';
import type { SegmentInput } from '../src/core/tcp/types';

const FLAG: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };

/** [ms, client→server?, flags, seq, ack, len] */
type Seg = [number, boolean, string, number, number, number];

function segments(list: Seg[]): SegmentInput[] {
  return list.map(([ms, c, f, seq, ack, len], i) => {
    let flags = 0;
    for (const ch of f) flags |= FLAG[ch];
    const us = Math.round(ms * 1000);
    return {
      index: i, tsSec: 1_700_000_000 + Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000,
      src: c ? '10.0.0.1' : '10.0.0.2', dst: c ? '10.0.0.2' : '10.0.0.1', sport: c ? 40000 : 80, dport: c ? 80 : 40000,
      flags, seq: seq >>> 0, ack: ack >>> 0, win: 65535, len, mss: -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1,
    };
  });
}

const C = 1000;
const S = 5000;
/** Three requests; the second answer comes 100 ms after its request and in two segments. */
const EXCHANGES: Seg[] = [
  [0, true, 'S', C, 0, 0],
  [10, false, 'SA', S, C + 1, 0],
  [10.5, true, 'A', C + 1, S + 1, 0],
  [20, true, 'PA', C + 1, S + 1, 100], // 4: request 1
  [50, false, 'PA', S + 1, C + 101, 200], // 5: answer 1, 30 ms
  [51, true, 'A', C + 101, S + 201, 0],
  [60, true, 'PA', C + 101, S + 201, 100], // 7: request 2
  [160, false, 'PA', S + 201, C + 201, 200], // 8: answer 2, 100 ms
  [161, false, 'PA', S + 401, C + 201, 200], // more of answer 2: not a new answer
  [162, true, 'A', C + 201, S + 601, 0],
  [170, true, 'PA', C + 201, S + 601, 100], // 11: request 3
  [180, false, 'PA', S + 601, C + 301, 200], // 12: answer 3, 10 ms
  [181, true, 'A', C + 301, S + 801, 0],
];

describe('perf: where the limits state lives', () => {
  it('counts each request → first response byte gap (answers) and names the slowest', () => {
    const engine = new TcpEngine({ perf: true });
    for (const s of segments(EXCHANGES)) engine.add(s);
    engine.finish();
    const a = perfJson(engine.conversations()[0])!.slowestAnswer!;
    assert.deepEqual([a.answers, a.gapMs, a.requestPacket, a.responsePacket], [3, 100, 7, 8]);
  });

  it('drops the pass state at finish() and keeps CONN_SIZE numbers a connection that the summary reads', () => {
    const engine = new TcpEngine({ perf: true });
    for (const s of segments(EXCHANGES)) engine.add(s);
    const store = (engine.conversations()[0].ext.perf as PerfConn).store;
    assert.ok(store.l.length >= PASS_SIZE, 'the pass state is there while packets come');
    engine.finish();
    const p = engine.conversations()[0].ext.perf as PerfConn;
    assert.equal(p.store.l.length, 0);
    assert.equal(p.store.f.length, CONN_SIZE);
    // busy: the client from each request to its answer (30 + 100 + 10 ms), the server from each answer to its ACK (1 + 2 + 1 ms)
    const j = perfJson(engine.conversations()[0])!;
    assert.equal(j.clientToServer.limits.busyMs, 140);
    assert.equal(j.serverToClient.limits.busyMs, 4);
    assert.deepEqual([j.clientToServer.limits.dataSegments, j.serverToClient.limits.dataSegments], [3, 4]);
  });
});
