/**
 * TCP conversation table + sequence analysis (src/core/tcp/analysis.ts).
 *
 * (a) Hand-built segment sequences, one scenario per Wireshark analysis flag. The expected
 *     answers are what tshark 4.0.17 printed for the same segments written to a pcap.
 * (b) The tshark comparison over every TCP capture of the shared corpus: our stream, relative
 *     seq/ack, length, scaled window and each analysis flag against tshark's *.tshark.tsv and
 *     *.tshark-analysis.tsv. Remaining differences are listed, with a reason, in
 *     test/tshark-differences.tsv, and the test checks that list is exactly what differs.
 * (c) Optional: random conversations written to a pcap and compared with a local tshark
 *     (skipped when tshark is not installed).
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { analyzeSegment, ConversationTable, flowKey } from '../src/core/tcp/analysis';
import { ANALYSIS_NAMES, analysisNames, emptyResult, PacketResult, SegmentInput } from '../src/core/tcp/types';
import { CORPUS, needCorpus } from './helpers/corpus';
import { skipBecause } from './helpers/skip';
import { needTool } from './helpers/tools';
import { randomScenario, scenarioSegments, writePcap, type Scenario, type ScenarioSeg } from './helpers/randomTcp';

export { scenarioSegments, type Scenario, type ScenarioSeg };

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

function newResult(): PacketResult {
  return {
    stream: -1,
    dir: 0,
    relSeq: 0,
    relAck: 0,
    winScaled: 0,
    analysis: 0,
    dupAckNum: 0,
    dupAckOf: -1,
    clientState: 0,
    serverState: 0,
    inferred: false,
    step: '',
  };
}

function runSegments(segs: SegmentInput[]): { res: PacketResult[]; table: ConversationTable } {
  const table = new ConversationTable();
  const res: PacketResult[] = [];
  for (const seg of segs) {
    const { conv, dir } = table.lookup(seg);
    const out = newResult();
    analyzeSegment(conv, dir, seg, out);
    res.push(out);
  }
  return { res, table };
}

// Client ISN 1000, server ISN 5000 unless a scenario says otherwise.
const C = 1000;
const S = 5000;
/** 3-way handshake at t = 0, 1, 2 ms; client wscale 7 / server wscale 8 unless given. */
function handshake(cws = 7, sws = 8, cwin = 64240, swin = 65160): ScenarioSeg[] {
  return [
    { t: 0, c: true, f: 'S', seq: C, ack: 0, len: 0, win: cwin, ws: cws },
    { t: 1, c: false, f: 'SA', seq: S, ack: C + 1, len: 0, win: swin, ws: sws },
    { t: 2, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 502 },
  ];
}

/**
 * Scenarios; expected values checked against tshark 4.0.17 (`tshark -2 -r X -T fields ...`) on the
 * same segments written as Ethernet/IPv4 frames.
 */
export const SCENARIOS: Scenario[] = [
  {
    name: 'handshake, data, FIN: relative numbers and scaled windows',
    segs: [
      ...handshake(),
      { t: 10, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100, win: 502 },
      { t: 11, c: false, f: 'A', seq: S + 1, ack: C + 101, len: 0, win: 509 },
      { t: 12, c: false, f: 'PA', seq: S + 1, ack: C + 101, len: 300, win: 509 },
      { t: 13, c: true, f: 'FA', seq: C + 101, ack: S + 301, len: 0, win: 501 },
      { t: 14, c: false, f: 'FA', seq: S + 301, ack: C + 102, len: 0, win: 509 },
      { t: 15, c: true, f: 'A', seq: C + 102, ack: S + 302, len: 0, win: 501 },
    ],
    flags: {},
    fields: {
      1: [0, 0, 0, 64240],
      2: [0, 0, 1, 65160],
      3: [0, 1, 1, 502 << 7],
      4: [0, 1, 1, 502 << 7],
      5: [0, 1, 101, 509 << 8],
      6: [0, 1, 101, 509 << 8],
      7: [0, 101, 301, 501 << 7],
      8: [0, 301, 102, 509 << 8],
      9: [0, 102, 302, 501 << 7],
    },
  },
  {
    name: 'retransmission (timeout) and spurious retransmission',
    segs: [
      ...handshake(),
      { t: 10, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100, win: 502 },
      { t: 300, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100, win: 502 },
      { t: 301, c: false, f: 'A', seq: S + 1, ack: C + 101, len: 0, win: 509 },
      { t: 600, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100, win: 502 },
    ],
    flags: { 5: ['retransmission'], 7: ['retransmission', 'spurious_retransmission'] },
  },
  {
    name: 'out of order and lost segment',
    segs: [
      ...handshake(),
      { t: 10, c: true, f: 'PA', seq: C + 101, ack: S + 1, len: 100, win: 502 },
      { t: 10.5, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100, win: 502 },
      { t: 11, c: false, f: 'A', seq: S + 1, ack: C + 201, len: 0, win: 509 },
    ],
    flags: { 4: ['lost_segment'], 5: ['out_of_order'] },
  },
  {
    name: 'duplicate ACKs and fast retransmission',
    segs: [
      ...handshake(),
      { t: 10, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 1000, win: 502 },
      { t: 10.1, c: true, f: 'A', seq: C + 2001, ack: S + 1, len: 1000, win: 502 },
      { t: 10.2, c: true, f: 'A', seq: C + 3001, ack: S + 1, len: 1000, win: 502 },
      { t: 10.3, c: true, f: 'A', seq: C + 4001, ack: S + 1, len: 1000, win: 502 },
      { t: 11, c: false, f: 'A', seq: S + 1, ack: C + 1001, len: 0, win: 509 },
      { t: 11.1, c: false, f: 'A', seq: S + 1, ack: C + 1001, len: 0, win: 509 },
      { t: 11.2, c: false, f: 'A', seq: S + 1, ack: C + 1001, len: 0, win: 509 },
      { t: 11.3, c: false, f: 'A', seq: S + 1, ack: C + 1001, len: 0, win: 509 },
      { t: 12, c: true, f: 'A', seq: C + 1001, ack: S + 1, len: 1000, win: 502 },
      { t: 13, c: false, f: 'A', seq: S + 1, ack: C + 5001, len: 0, win: 509 },
    ],
    flags: {
      5: ['lost_segment'],
      9: ['duplicate_ack'],
      10: ['duplicate_ack'],
      11: ['duplicate_ack'],
      12: ['retransmission', 'fast_retransmission'],
    },
    dup: { 9: [1, 8], 10: [2, 8], 11: [3, 8] },
  },
  {
    name: 'ACKed unseen segment',
    segs: [
      ...handshake(),
      { t: 10, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100, win: 502 },
      { t: 11, c: false, f: 'A', seq: S + 1, ack: C + 301, len: 0, win: 509 },
      { t: 12, c: false, f: 'A', seq: S + 1, ack: C + 401, len: 0, win: 509 },
    ],
    // The second ACK goes further but is not flagged again (the peer's dup-ACK counter was neutralised).
    flags: { 5: ['ack_lost_segment'] },
  },
  {
    name: 'zero window, zero window probe, probe ACK, window update',
    segs: [
      ...handshake(0, 0, 1000, 1000),
      { t: 10, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 1000, win: 1000 },
      { t: 11, c: false, f: 'A', seq: S + 1, ack: C + 1001, len: 0, win: 0 },
      { t: 300, c: true, f: 'A', seq: C + 1001, ack: S + 1, len: 1, win: 1000 },
      { t: 301, c: false, f: 'A', seq: S + 1, ack: C + 1001, len: 0, win: 0 },
      { t: 500, c: false, f: 'A', seq: S + 1, ack: C + 1001, len: 0, win: 2000 },
    ],
    flags: {
      4: ['window_full'],
      5: ['zero_window'],
      6: ['zero_window_probe'],
      7: ['zero_window', 'zero_window_probe_ack'],
      8: ['window_update'],
    },
  },
  {
    name: 'keep-alive and keep-alive ACK',
    segs: [
      ...handshake(),
      { t: 10, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 10, win: 502 },
      { t: 11, c: false, f: 'A', seq: S + 1, ack: C + 11, len: 0, win: 509 },
      { t: 5000, c: true, f: 'A', seq: C + 10, ack: S + 1, len: 0, win: 502 },
      { t: 5001, c: false, f: 'A', seq: S + 1, ack: C + 11, len: 0, win: 509 },
      { t: 9000, c: true, f: 'A', seq: C + 10, ack: S + 1, len: 1, win: 502 },
      { t: 9001, c: false, f: 'A', seq: S + 1, ack: C + 11, len: 0, win: 509 },
    ],
    flags: { 6: ['keep_alive'], 7: ['keep_alive_ack'], 8: ['keep_alive'], 9: ['keep_alive_ack'] },
  },
  {
    name: 'window full',
    segs: [
      ...handshake(2, 2, 1000, 500),
      { t: 3, c: false, f: 'A', seq: S + 1, ack: C + 1, len: 0, win: 500 },
      { t: 10, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 1000, win: 1000 },
      { t: 11, c: true, f: 'PA', seq: C + 1001, ack: S + 1, len: 1000, win: 1000 },
    ],
    flags: { 4: ['duplicate_ack'], 6: ['window_full'] },
    dup: { 4: [1, 2] },
  },
  {
    name: 'port reuse: new SYN after FIN, SYN retransmission',
    segs: [
      ...handshake(),
      { t: 5, c: true, f: 'FA', seq: C + 1, ack: S + 1, len: 0, win: 502 },
      { t: 6, c: false, f: 'FA', seq: S + 1, ack: C + 2, len: 0, win: 509 },
      { t: 7, c: true, f: 'A', seq: C + 2, ack: S + 2, len: 0, win: 502 },
      { t: 2000, c: true, f: 'S', seq: 90000, ack: 0, len: 0, win: 64240, ws: 7 },
      { t: 3000, c: true, f: 'S', seq: 90000, ack: 0, len: 0, win: 64240, ws: 7 },
      { t: 3001, c: false, f: 'SA', seq: 70000, ack: 90001, len: 0, win: 65160, ws: 8 },
      { t: 3002, c: true, f: 'A', seq: 90001, ack: 70001, len: 0, win: 502 },
    ],
    flags: { 7: ['reused_ports'], 8: ['retransmission'] },
    fields: {
      7: [1, 0, 0, 64240],
      8: [1, 0, 0, 64240],
      9: [1, 0, 1, 65160],
      10: [1, 1, 1, 502 << 7],
    },
  },
  {
    name: 'SYN+ACK with a new ISN is re-based and flagged',
    segs: [
      ...handshake(),
      { t: 1000, c: false, f: 'SA', seq: 77000, ack: C + 1, len: 0, win: 65160, ws: 8 },
    ],
    // (tshark -2 also flags frame 2 on its second pass, once the base moved: a two-pass artefact.)
    flags: { 4: ['lost_segment', 'reused_ports'] },
    fields: { 2: [0, 0, 1, 65160], 3: [0, 1, 1, 502 << 7], 4: [0, 0, 1, 65160] },
  },
  {
    name: 'SYN retransmitted with the same ISN after a gap: next seq rewound, no reuse',
    segs: [
      ...handshake(),
      { t: 10, c: true, f: 'PA', seq: C + 1, ack: S + 1, len: 100, win: 502 },
      { t: 11, c: true, f: 'PA', seq: C + 201, ack: S + 1, len: 100, win: 502 },
      { t: 1000, c: true, f: 'S', seq: C, ack: 0, len: 0, win: 64240, ws: 7 },
      { t: 2000, c: true, f: 'PA', seq: C + 101, ack: S + 1, len: 100, win: 502 },
      { t: 3000, c: true, f: 'PA', seq: C + 301, ack: S + 1, len: 100, win: 502 },
    ],
    flags: { 5: ['lost_segment'], 6: ['retransmission'], 8: ['lost_segment'] },
  },
  {
    name: 'ACKed unseen segment across the 32-bit wrap; relative numbers wrap too',
    segs: [
      { t: 0, c: true, f: 'S', seq: 4294967000, ack: 0, len: 0, win: 1000 },
      { t: 1, c: false, f: 'SA', seq: S, ack: 4294967001, len: 0, win: 1000 },
      { t: 2, c: true, f: 'A', seq: 4294967001, ack: S + 1, len: 0, win: 1000 },
      { t: 10, c: true, f: 'PA', seq: 4294967001, ack: S + 1, len: 200, win: 1000 },
      { t: 11, c: true, f: 'PA', seq: 4294967201, ack: S + 1, len: 200, win: 1000 },
      { t: 12, c: true, f: 'PA', seq: 105, ack: S + 1, len: 100, win: 1000 },
      { t: 13, c: false, f: 'A', seq: S + 1, ack: 205, len: 0, win: 1000 },
      { t: 14, c: false, f: 'A', seq: S + 1, ack: 305, len: 0, win: 1000 },
    ],
    flags: { 8: ['ack_lost_segment'] },
    fields: { 6: [0, 401, 1, 1000], 7: [0, 1, 501, 1000], 8: [0, 1, 601, 1000] },
  },
  {
    name: 'duplicate ACKs after an ACKed-unseen mark count from 1 again',
    segs: [
      { t: 0, c: true, f: 'S', seq: C, ack: 0, len: 0, win: 1000 },
      { t: 1, c: false, f: 'SA', seq: S, ack: C + 1, len: 0, win: 1000 },
      { t: 2, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 1000 },
      { t: 3, c: false, f: 'A', seq: S + 1, ack: C + 501, len: 0, win: 1000 },
      { t: 4, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 1000 },
      { t: 5, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 1000 },
      { t: 6, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 1000 },
      { t: 7, c: false, f: 'A', seq: S + 1, ack: C + 601, len: 0, win: 1000 },
      { t: 8, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 1000 },
    ],
    flags: { 4: ['ack_lost_segment'], 5: ['duplicate_ack'], 6: ['duplicate_ack'], 7: ['duplicate_ack'], 9: ['duplicate_ack'] },
    dup: { 5: [1, 3], 6: [2, 3], 7: [3, 3], 9: [1, 3] },
  },
  {
    name: "fast retransmission right after an ACKed-unseen mark (Wireshark's unsigned dup-ACK counter)",
    segs: [
      { t: 0, c: true, f: 'S', seq: C, ack: 0, len: 0, win: 1000 },
      { t: 1, c: false, f: 'SA', seq: S, ack: C + 1, len: 0, win: 1000 },
      { t: 2, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 1000 },
      { t: 3, c: false, f: 'PA', seq: S + 1, ack: C + 1, len: 100, win: 1000 },
      { t: 4, c: false, f: 'A', seq: S + 101, ack: C + 501, len: 0, win: 1000 },
      { t: 5, c: false, f: 'PA', seq: S + 1, ack: C + 501, len: 100, win: 1000 },
    ],
    flags: { 5: ['ack_lost_segment'], 6: ['retransmission', 'fast_retransmission'] },
  },
  {
    name: 'same ISN after FIN and RST: Wireshark 4.0 keeps one stream (SYN = retransmission)',
    segs: [
      { t: 0, c: true, f: 'S', seq: C, ack: 0, len: 0, win: 1000 },
      { t: 1, c: false, f: 'SA', seq: S, ack: C + 1, len: 0, win: 1000 },
      { t: 2, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 1000 },
      { t: 3, c: true, f: 'FA', seq: C + 1, ack: S + 1, len: 0, win: 1000 },
      { t: 4, c: false, f: 'RA', seq: S + 1, ack: C + 2, len: 0, win: 0 },
      { t: 5000, c: true, f: 'S', seq: C, ack: 0, len: 0, win: 1000 },
      { t: 5001, c: false, f: 'SA', seq: 9000, ack: C + 1, len: 0, win: 1000 },
      { t: 5002, c: true, f: 'A', seq: C + 1, ack: 9001, len: 0, win: 1000 },
    ],
    flags: { 6: ['retransmission'], 7: ['lost_segment', 'reused_ports'], 8: ['ack_lost_segment', 'keep_alive'] },
    fields: { 6: [0, 0, 0, 1000], 7: [0, 0, 1, 1000], 8: [0, 1, 1, 1000] },
  },
  {
    name: 'mid-stream: first seq is 1, higher port is the client, window unscaled',
    segs: [
      { t: 0, c: false, f: 'PA', seq: 8000, ack: 3000, len: 50, win: 300 },
      { t: 1, c: true, f: 'A', seq: 3000, ack: 8050, len: 0, win: 400 },
    ],
    flags: {},
    fields: { 1: [0, 1, 1, 300], 2: [0, 1, 51, 400] },
  },
  {
    name: 'SYN without window scale, SYN+ACK with it: no scaling',
    segs: [
      { t: 0, c: true, f: 'S', seq: C, ack: 0, len: 0, win: 64240 },
      { t: 1, c: false, f: 'SA', seq: S, ack: C + 1, len: 0, win: 65160, ws: 8 },
      { t: 2, c: true, f: 'A', seq: C + 1, ack: S + 1, len: 0, win: 502 },
      { t: 3, c: false, f: 'A', seq: S + 1, ack: C + 1, len: 0, win: 509 },
    ],
    flags: { 4: ['window_update'] },
    fields: { 3: [0, 1, 1, 502], 4: [0, 1, 1, 509] },
  },
];

// ------------------------------------------------------------------------------------------------
// (a) hand-built scenarios
// ------------------------------------------------------------------------------------------------

describe('TCP analysis: conversation table', () => {
  it('uses one symmetric key for both directions', () => {
    assert.equal(flowKey('10.0.0.1', 1, '10.0.0.2', 2), flowKey('10.0.0.2', 2, '10.0.0.1', 1));
    assert.notEqual(flowKey('10.0.0.1', 1, '10.0.0.2', 2), flowKey('10.0.0.1', 2, '10.0.0.2', 1));
  });

  it('numbers streams in order of first packet and decides roles', () => {
    const mk = (i: number, src: string, sp: number, dst: string, dp: number, f: number): SegmentInput => ({
      index: i, tsSec: 1, tsNsec: 0, src, dst, sport: sp, dport: dp, flags: f, seq: 100, ack: 200, win: 10,
      len: 0, mss: -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1,
    });
    const t = new ConversationTable();
    const a = t.lookup(mk(0, 'a', 1000, 'b', 80, 0x02));
    const b = t.lookup(mk(1, 'c', 80, 'd', 2000, 0x12));
    const c = t.lookup(mk(2, 'e', 80, 'f', 3000, 0x10));
    const d = t.lookup(mk(3, 'g', 7, 'h', 7, 0x10));
    const a2 = t.lookup(mk(4, 'b', 80, 'a', 1000, 0x12));
    assert.deepEqual([a.conv.stream, b.conv.stream, c.conv.stream, d.conv.stream, a2.conv.stream], [0, 1, 2, 3, 0]);
    assert.deepEqual([a.conv.roleBy, b.conv.roleBy, c.conv.roleBy, d.conv.roleBy], ['syn', 'syn-ack', 'port', 'first-packet']);
    assert.deepEqual([a.conv.clientAddr, a.conv.clientPort, a.dir, a2.dir], ['a', 1000, 0, 1]);
    assert.deepEqual([b.conv.clientAddr, b.conv.clientPort, b.dir], ['d', 2000, 1]);
    assert.deepEqual([c.conv.clientAddr, c.conv.clientPort, c.dir], ['f', 3000, 1]);
    assert.deepEqual([d.conv.clientAddr, d.conv.serverAddr, d.dir], ['g', 'h', 0]);
    assert.equal(t.size, 4);
  });

  it('find gives lookup\'s conversation and direction without a result object (port reuse, both directions)', () => {
    const mk = (i: number, src: string, sp: number, dst: string, dp: number, f: number, seq: number): SegmentInput => ({
      index: i, tsSec: 1, tsNsec: 0, src, dst, sport: sp, dport: dp, flags: f, seq, ack: 200, win: 10,
      len: 0, mss: -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1,
    });
    const segs = [
      mk(0, 'a', 1000, 'b', 80, 0x02, 100), mk(1, 'b', 80, 'a', 1000, 0x12, 500), mk(2, 'a', 1000, 'b', 80, 0x10, 101),
      mk(3, 'b', 80, 'a', 1000, 0x10, 501), mk(4, 'a', 1000, 'b', 80, 0x02, 9000), mk(5, 'b', 80, 'a', 1000, 0x12, 7000),
      mk(6, 'd', 2000, 'c', 80, 0x10, 1),
    ];
    const viaLookup = new ConversationTable();
    const viaFind = new ConversationTable();
    // analyzeSegment records each side's ISN, which the reuse check compares a SYN against
    const out = emptyResult();
    const want = segs.map((s) => {
      const r = viaLookup.lookup(s);
      analyzeSegment(r.conv, r.dir, s, out);
      return [r.conv.stream, r.dir];
    });
    const got = segs.map((s) => {
      const conv = viaFind.find(s);
      analyzeSegment(conv, viaFind.dir, s, out);
      return [conv.stream, viaFind.dir];
    });
    assert.deepEqual(got, want);
    // after a packet in direction 1: the reused ports' SYN (seq 9000) starts stream 1 as its client, a new
    // 4-tuple's first packet (client by port) is direction 0 too
    assert.deepEqual(got.slice(3), [[0, 1], [1, 0], [1, 1], [2, 0]]);
  });
});

describe('TCP analysis: hand-built scenarios (answers from tshark 4.0.17)', () => {
  for (const sc of SCENARIOS) {
    it(sc.name, () => {
      const { res } = runSegments(scenarioSegments(sc));
      res.forEach((r, i) => {
        const frame = i + 1;
        const want = [...(sc.flags[frame] ?? [])].sort();
        assert.deepEqual(analysisNames(r.analysis).sort(), want, `frame ${frame} flags`);
        const f = sc.fields?.[frame];
        if (f) assert.deepEqual([r.stream, r.relSeq, r.relAck, r.winScaled], f, `frame ${frame} stream/seq/ack/window`);
        const d = sc.dup?.[frame];
        if (d) assert.deepEqual([r.dupAckNum, r.dupAckOf + 1], d, `frame ${frame} dup ack`);
      });
    });
  }
});

// ------------------------------------------------------------------------------------------------
// (b) the tshark comparison over the corpus
// ------------------------------------------------------------------------------------------------

const CORPUS_DIR = CORPUS ?? '';
const DIFF_FILE_SRC = [
  path.resolve(process.cwd(), 'test', 'tshark-differences.tsv'),
  path.resolve(__dirname, '..', '..', 'test', 'tshark-differences.tsv'),
].find((p) => fs.existsSync(p)) ?? path.resolve(process.cwd(), 'test', 'tshark-differences.tsv');

type Row = Record<string, string>;

function readTsv(file: string): Row[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const r: Row = {};
    header.forEach((h, i) => (r[h] = cells[i] ?? ''));
    return r;
  });
}

/** Captures whose manifest notes say malformed or truncated. */
function damagedCaptures(): Set<string> {
  const out = new Set<string>();
  const add = (rel: string, fileCol: string) => {
    const p = path.join(CORPUS_DIR, rel);
    if (!fs.existsSync(p)) return;
    for (const r of readTsv(p)) if (/malformed|truncated/i.test(r.notes ?? '')) out.add(path.join(path.dirname(rel), r[fileCol]));
  };
  add('tcpdump/MANIFEST.tsv', 'capture_file');
  add('wireshark/MANIFEST.tsv', 'file');
  add('other/MANIFEST.tsv', 'file');
  return out;
}

interface Diff {
  capture: string;
  frame: number;
  field: string;
  ours: string;
  tshark: string;
}

const CORE_FIELDS = ['stream', 'seq', 'ack', 'len'] as const;
const FIELDS = [...CORE_FIELDS, 'window', ...ANALYSIS_NAMES, 'duplicate_ack_num', 'duplicate_ack_frame'];

describe('TCP analysis: agreement with tshark 4.0.17 over the corpus', function () {
  this.timeout(120_000);

  it('matches tshark field by field; every difference is listed in test/tshark-differences.tsv', async function () {
    needCorpus(this);
    let readAll: typeof import('./helpers/corpus').readAll;
    let decodeRecord: typeof import('../src/core/decode/index').decodeRecord;
    let DecodedPacket: typeof import('../src/core/decode/index').DecodedPacket;
    let segmentFromPacket: typeof import('../src/core/tcp/fromPacket').segmentFromPacket;
    try {
      ({ readAll } = await import('./helpers/corpus'));
      ({ decodeRecord, DecodedPacket } = await import('../src/core/decode/index'));
      ({ segmentFromPacket } = await import('../src/core/tcp/fromPacket'));
    } catch (err) {
      skipBecause(this, `capture reader or decoders not available: ${(err as Error).message}`);
    }

    const damaged = damagedCaptures();
    const captures: string[] = [];
    for (const dir of ['tcpdump', 'wireshark', 'other']) {
      const d = path.join(CORPUS_DIR, dir);
      if (!fs.existsSync(d)) continue;
      for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.tshark.tsv')) captures.push(path.join(dir, f.slice(0, -'.tshark.tsv'.length)));
    }

    const diffs: Diff[] = [];
    const agree: Record<string, [number, number]> = {}; // field → [agree, total] over all captures
    const agreeWell: Record<string, [number, number]> = {}; // over well-formed captures
    for (const f of ['presence', ...FIELDS]) {
      agree[f] = [0, 0];
      agreeWell[f] = [0, 0];
    }
    const count = (field: string, well: boolean, ok: boolean) => {
      agree[field][1]++;
      if (ok) agree[field][0]++;
      if (well) {
        agreeWell[field][1]++;
        if (ok) agreeWell[field][0]++;
      }
    };

    for (const cap of captures) {
      const well = !damaged.has(cap);
      const main = readTsv(path.join(CORPUS_DIR, cap + '.tshark.tsv'));
      const anaFile = path.join(CORPUS_DIR, cap + '.tshark-analysis.tsv');
      const ana = new Map<number, Row>();
      if (fs.existsSync(anaFile)) for (const r of readTsv(anaFile)) ana.set(Number(r['frame.number']), r);

      // Our side.
      const { records } = await readAll(path.join(CORPUS_DIR, cap));
      const pkt = new DecodedPacket();
      const table = new ConversationTable();
      const ours = new Map<number, { r: PacketResult; len: number }>();
      for (const rec of records) {
        decodeRecord(pkt, rec);
        const seg = segmentFromPacket(pkt, rec);
        if (!seg) continue;
        const { conv, dir } = table.lookup(seg);
        const out = newResult();
        analyzeSegment(conv, dir, seg, out);
        ours.set(rec.index + 1, { r: out, len: seg.len });
      }

      for (const row of main) {
        const frame = Number(row['frame.number']);
        const theirsTcp = row['tcp.stream'] !== '';
        const mine = ours.get(frame);
        if (!theirsTcp && !mine) continue;
        const a = ana.get(frame);
        const theirs: Record<string, string> = {};
        if (theirsTcp) {
          theirs.stream = row['tcp.stream'];
          theirs.seq = row['tcp.seq'];
          theirs.ack = row['tcp.ack'];
          theirs.len = row['tcp.len'];
          theirs.window = a ? a['tcp.window_size'] : '';
          for (const n of ANALYSIS_NAMES) theirs[n] = a && a['tcp.analysis.' + n] !== '' ? '1' : '0';
          theirs.duplicate_ack_num = a ? a['tcp.analysis.duplicate_ack_num'] || '0' : '0';
          theirs.duplicate_ack_frame = a ? a['tcp.analysis.duplicate_ack_frame'] || '0' : '0';
        }
        const mineV: Record<string, string> = {};
        if (mine) {
          const r = mine.r;
          mineV.stream = String(r.stream);
          mineV.seq = String(r.relSeq);
          mineV.ack = String(r.relAck);
          mineV.len = String(mine.len);
          mineV.window = String(r.winScaled);
          for (let i = 0; i < ANALYSIS_NAMES.length; i++) mineV[ANALYSIS_NAMES[i]] = r.analysis & (1 << i) ? '1' : '0';
          mineV.duplicate_ack_num = String(r.dupAckNum);
          mineV.duplicate_ack_frame = String(r.dupAckOf + 1);
        }
        // A packet only one side decodes as TCP: one 'presence' difference, fields not compared.
        count('presence', well, !!mine === theirsTcp);
        if (!mine || !theirsTcp) {
          diffs.push({ capture: cap, frame, field: 'presence', ours: mine ? 'tcp' : '-', tshark: theirsTcp ? 'tcp' : '-' });
          continue;
        }
        for (const f of FIELDS) {
          const o = mineV[f];
          const t = theirs[f];
          // A window tshark did not print (no analysis row) is not compared.
          if (f === 'window' && t === '') continue;
          const ok = o === t;
          count(f, well, ok);
          if (!ok) diffs.push({ capture: cap, frame, field: f, ours: o, tshark: t });
        }
      }
    }

    // Report.
    const pct = (x: [number, number]) => (x[1] === 0 ? 'n/a' : ((100 * x[0]) / x[1]).toFixed(3) + ' %');
    if (process.env.ANALYSIS_DIFFS_OUT) {
      fs.writeFileSync(process.env.ANALYSIS_DIFFS_OUT, diffs.map((d) => [d.capture, d.frame, d.field, d.ours, d.tshark].join('\t')).join('\n') + '\n');
    }
    console.log(`      ${captures.length} captures compared (${captures.filter((c) => !damaged.has(c)).length} well-formed)`);
    for (const f of ['presence', ...FIELDS]) {
      console.log(`      ${f.padEnd(24)} all ${pct(agree[f]).padStart(10)} (${agree[f][0]}/${agree[f][1]})   well-formed ${pct(agreeWell[f]).padStart(10)} (${agreeWell[f][0]}/${agreeWell[f][1]})`);
    }

    // The list of known differences must be exactly what differs.
    const known = fs.existsSync(DIFF_FILE_SRC) ? readTsv(DIFF_FILE_SRC) : [];
    const keyOf = (d: { capture: string; frame: number | string; field: string; ours: string; tshark: string }) =>
      [d.capture, d.frame, d.field, d.ours, d.tshark].join('\t');
    const knownKeys = new Set(known.map((k) => keyOf({ capture: k.capture, frame: k.frame, field: k.field, ours: k.ours, tshark: k.tshark })));
    const foundKeys = new Set(diffs.map(keyOf));
    const unexplained = [...foundKeys].filter((k) => !knownKeys.has(k));
    const stale = [...knownKeys].filter((k) => !foundKeys.has(k));
    for (const k of known) assert.ok(k.reason && k.reason.trim().length > 0, `difference without a reason: ${keyOf(k as never)}`);
    assert.deepEqual(unexplained, [], 'differences with tshark not listed in test/tshark-differences.tsv');
    assert.deepEqual(stale, [], 'listed differences that no longer occur (remove them from test/tshark-differences.tsv)');

    // Thresholds.
    for (const f of CORE_FIELDS) assert.equal(agreeWell[f][0], agreeWell[f][1], `${f}: 100 % over well-formed captures`);
    for (const n of ANALYSIS_NAMES) assert.ok(agree[n][0] >= 0.995 * agree[n][1], `${n}: ≥ 99.5 % over all packets`);
  });
});

// ------------------------------------------------------------------------------------------------
// (c) optional: random conversations cross-checked with a local tshark (skipped without one)
// ------------------------------------------------------------------------------------------------

describe('TCP analysis: random conversations against a local tshark (optional)', function () {
  this.timeout(60_000);
  it('agrees with tshark (one pass) on every field of every packet', function () {
    needTool(this, 'tshark');
    const segs: SegmentInput[] = [];
    for (let k = 0; k < 150; k++) {
      const sc: Scenario = { name: 'random', segs: randomScenario(1000 + k, 20000 + k, k * 100_000), flags: {} };
      for (const seg of scenarioSegments(sc)) segs.push({ ...seg, index: segs.length });
    }
    const file = path.join(os.tmpdir(), `capture-lens-analysis-${process.pid}.pcap`);
    writePcap(file, segs);
    const fields = ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.window_size', 'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame',
      ...ANALYSIS_NAMES.map((n) => 'tcp.analysis.' + n)];
    let text: string;
    try {
      text = cp.execFileSync('tshark', ['-n', '-r', file, '-o', 'tcp.relative_sequence_numbers:TRUE', '-T', 'fields', '-E', 'separator=/t',
        ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20, timeout: 50_000 });
    } finally {
      fs.rmSync(file, { force: true });
    }
    const rows = text.split('\n');
    const { res } = runSegments(segs);
    const bad: string[] = [];
    res.forEach((r, i) => {
      const c = rows[i].split('\t');
      const theirs = [c[0], c[1], c[2], c[3], c[4] || '0', c[5] || '0', ...ANALYSIS_NAMES.map((_, j) => (c[6 + j] ? '1' : '0'))].join(' ');
      const ours = [r.stream, r.relSeq, r.relAck, r.winScaled, r.dupAckNum, r.dupAckOf + 1, ...ANALYSIS_NAMES.map((_, j) => (r.analysis & (1 << j) ? '1' : '0'))].join(' ');
      if (theirs !== ours) bad.push(`frame ${i + 1}: tshark ${theirs} / ours ${ours}`);
    });
    console.log(`      ${segs.length} packets in ${res.length ? res[res.length - 1].stream + 1 : 0} streams, ${bad.length} differences`);
    assert.deepEqual(bad.slice(0, 20), []);
  });
});
