/**
 * Per-packet performance values against tshark 4.0.17: tcp.analysis.ack_rtt (with acks_frame) and
 * tcp.analysis.bytes_in_flight, for every TCP capture of the shared corpus (tshark run here, with the
 * preferences of the corpus references: relative sequence numbers, one pass). Differences are listed,
 * with a reason, in test/perf-tshark-differences.tsv; the test checks that list is exactly what differs.
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { TcpEngine } from '../src/core/tcp/engine';
import type { SegmentInput } from '../src/core/tcp/types';

import { CORPUS, needCorpus } from './helpers/corpus';
import { ourPerf, type PerfRow } from './helpers/perf';
import { randomScenario, scenarioSegments, writePcap } from './helpers/randomTcp';
import { needTool } from './helpers/tools';

const DIFF_FILE = [
  path.resolve(process.cwd(), 'test', 'perf-tshark-differences.tsv'),
  path.resolve(__dirname, '..', '..', 'test', 'perf-tshark-differences.tsv'),
].find((p) => fs.existsSync(p)) ?? path.resolve(process.cwd(), 'test', 'perf-tshark-differences.tsv');

/** tshark's ack_rtt text (seconds, 9 decimals) → ns. */
function rttNs(s: string): string {
  if (s === '') return '';
  const neg = s.startsWith('-');
  const [a, b = ''] = (neg ? s.slice(1) : s).split('.');
  const ns = BigInt(a) * 1_000_000_000n + BigInt((b + '000000000').slice(0, 9));
  return (neg ? '-' : '') + ns.toString();
}

function tsharkPerf(file: string): Map<number, PerfRow> {
  const text = cp.execFileSync('tshark', ['-n', '-r', file, '-o', 'tcp.relative_sequence_numbers:TRUE', '-T', 'fields', '-E', 'separator=/t',
    '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'tcp.analysis.ack_rtt', '-e', 'tcp.analysis.acks_frame', '-e', 'tcp.analysis.bytes_in_flight'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 << 20, timeout: 60_000 });
  const out = new Map<number, PerfRow>();
  for (const line of text.split('\n')) {
    const c = line.split('\t');
    if (c.length < 5 || c[1] === '') continue;
    const rtt = rttNs(c[2]);
    out.set(Number(c[0]), { ackRtt: rtt, acksFrame: rtt ? c[3] : '', bif: c[4] });
  }
  return out;
}

function readTsv(file: string): Record<string, string>[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const r: Record<string, string> = {};
    header.forEach((h, i) => (r[h] = cells[i] ?? ''));
    return r;
  });
}

describe('performance: ack_rtt and bytes_in_flight against tshark 4.0.17 over the corpus', function () {
  this.timeout(600_000);

  it('equals tshark packet by packet; every difference is listed in test/perf-tshark-differences.tsv', async function () {
    needCorpus(this);
    needTool(this, 'tshark');
    const corpus = CORPUS!;
    const captures: string[] = [];
    for (const dir of ['tcpdump', 'wireshark', 'other']) {
      const d = path.join(corpus, dir);
      if (!fs.existsSync(d)) continue;
      for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.tshark.tsv')) captures.push(path.join(dir, f.slice(0, -'.tshark.tsv'.length)));
    }
    const diffs: string[] = [];
    const agree = { ack_rtt: [0, 0], acks_frame: [0, 0], bytes_in_flight: [0, 0] };
    for (const cap of captures) {
      const file = path.join(corpus, cap);
      const theirs = tsharkPerf(file);
      const ours = await ourPerf(file);
      for (const [frame, t] of theirs) {
        const o = ours.get(frame);
        if (!o) continue; // a packet only tshark decodes as TCP: test/tshark-differences.tsv lists it
        const pairs: [keyof typeof agree, string, string][] = [['ack_rtt', o.ackRtt, t.ackRtt], ['acks_frame', o.acksFrame, t.acksFrame], ['bytes_in_flight', o.bif, t.bif]];
        for (const [f, a, b] of pairs) {
          if (a === '' && b === '') continue;
          agree[f][1]++;
          if (a === b) agree[f][0]++;
          else diffs.push([cap, frame, f, a || '-', b || '-'].join('\t'));
        }
      }
    }
    if (process.env.PERF_DIFFS_OUT) fs.writeFileSync(process.env.PERF_DIFFS_OUT, diffs.join('\n') + '\n');
    console.log(`      ${captures.length} captures`);
    for (const [f, [a, n]] of Object.entries(agree)) console.log(`      ${f.padEnd(16)} ${a}/${n} equal (${n ? ((100 * a) / n).toFixed(3) : 'n/a'} %)`);
    const known = readTsv(DIFF_FILE);
    for (const k of known) assert.ok(k.reason && k.reason.trim(), `difference without a reason: ${k.capture} ${k.frame}`);
    const knownKeys = new Set(known.map((k) => [k.capture, k.frame, k.field, k.ours, k.tshark].join('\t')));
    const found = new Set(diffs);
    assert.deepEqual(diffs.filter((d) => !knownKeys.has(d)).slice(0, 30), [], 'differences not listed in test/perf-tshark-differences.tsv');
    assert.deepEqual([...knownKeys].filter((k) => !found.has(k)), [], 'listed differences that no longer occur');
  });
});

describe('performance: ack_rtt and bytes_in_flight against tshark on the real-kernel scenarios (test/fixtures/perf)', function () {
  this.timeout(120_000);

  it('equals tshark packet by packet; every difference is listed in test/perf-tshark-differences.tsv', async function () {
    needTool(this, 'tshark');
    const dir = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'perf');
    const captures = fs.readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort();
    assert.ok(captures.length >= 10, 'the scenario captures are there');
    const diffs: string[] = [];
    let compared = 0;
    for (const f of captures) {
      const theirs = tsharkPerf(path.join(dir, f));
      const ours = await ourPerf(path.join(dir, f));
      for (const [frame, t] of theirs) {
        const o = ours.get(frame);
        assert.ok(o, `${f} frame ${frame}: TCP for tshark, not for us`);
        const pairs: [string, string, string][] = [['ack_rtt', o.ackRtt, t.ackRtt], ['acks_frame', o.acksFrame, t.acksFrame], ['bytes_in_flight', o.bif, t.bif]];
        for (const [field, a, b] of pairs) {
          if (a === '' && b === '') continue;
          compared++;
          if (a !== b) diffs.push(['fixtures/perf/' + f, frame, field, a || '-', b || '-'].join('\t'));
        }
      }
    }
    console.log(`      ${captures.length} captures, ${compared} values, ${diffs.length} differences`);
    const known = new Set(readTsv(DIFF_FILE).filter((k) => k.capture.startsWith('fixtures/perf/')).map((k) => [k.capture, k.frame, k.field, k.ours, k.tshark].join('\t')));
    assert.deepEqual(diffs.filter((d) => !known.has(d)).slice(0, 30), [], 'differences not listed in test/perf-tshark-differences.tsv');
    assert.deepEqual([...known].filter((k) => !diffs.includes(k)), [], 'listed differences that no longer occur');
  });
});

describe('performance: random conversations against a local tshark (optional)', function () {
  this.timeout(120_000);
  it('equals tshark on every packet (holes, retransmissions, zero windows, sequence wrap, port reuse)', function () {
    needTool(this, 'tshark');
    const segs: SegmentInput[] = [];
    for (let k = 0; k < 300; k++) {
      for (const seg of scenarioSegments({ name: 'random', segs: randomScenario(5000 + k, 20000 + k, k * 100_000), flags: {} })) segs.push({ ...seg, index: segs.length });
    }
    const file = path.join(os.tmpdir(), `capture-lens-perf-${process.pid}.pcap`);
    writePcap(file, segs);
    let text: string;
    try {
      text = cp.execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', '-e', 'tcp.analysis.ack_rtt', '-e', 'tcp.analysis.acks_frame', '-e', 'tcp.analysis.bytes_in_flight'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20, timeout: 100_000 });
    } finally {
      fs.rmSync(file, { force: true });
    }
    const rows = text.split('\n');
    const engine = new TcpEngine({ perf: true });
    const bad: string[] = [];
    let withValues = 0;
    segs.forEach((s, i) => {
      engine.add(s);
      const p = engine.perfPacket;
      const [r, f, b] = rows[i].split('\t');
      const theirs = `${r ? rttNs(r) : ''}|${r ? f : ''}|${b}`;
      const ours = `${p.ackRttNs || ''}|${p.ackRttNs ? p.acksFrame + 1 : ''}|${p.bytesInFlight || ''}`;
      if (theirs !== '||') withValues++;
      if (theirs !== ours) bad.push(`frame ${i + 1}: tshark ${theirs} / ours ${ours}`);
    });
    console.log(`      ${segs.length} packets, ${withValues} with ack_rtt or bytes_in_flight, ${bad.length} differences`);
    assert.ok(withValues > 1000, 'the random conversations exercise the measurements');
    assert.deepEqual(bad.slice(0, 20), []);
  });
});
