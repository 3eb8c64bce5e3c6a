/**
 * The performance measurement's results, all of them, pinned (issue 14's cost budget reworked its state
 * into typed arrays: nothing it reports may change). For each capture: every TCP packet's ack_rtt,
 * acks_frame and bytes in flight, then every connection's perfJson (RTT statistics, loss episodes,
 * limits, Nagle, verdicts …), hashed (FNV-1a) and compared with test/perf-results.tsv, which holds
 * what the measurement gave before the rework. A changed result names its capture.
 *
 * Regenerate (only for an intended change, saying why in the commit): PERF_RESULTS_OUT=file npm test.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { decodeRecord, DecodedPacket } from '../src/core/decode/index';
import { perfJson } from '../src/core/perf/summary';
import { TcpEngine } from '../src/core/tcp/engine';
import { segmentFromPacket } from '../src/core/tcp/fromPacket';
import type { SegmentInput } from '../src/core/tcp/types';
import { CORPUS, needCorpus, readAll } from './helpers/corpus';
import { generated, samplesDir } from './helpers/generated';
import { randomScenario, scenarioSegments } from './helpers/randomTcp';

const REPO = path.resolve(__dirname, '..', '..');
const TSV = path.join(REPO, 'test', 'perf-results.tsv');

function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Packets, connections and the hash of everything the measurement gives for these segments. */
function resultsOf(segs: Iterable<SegmentInput>): string {
  const engine = new TcpEngine({ perf: true });
  let h = 0x811c9dc5;
  let packets = 0;
  for (const seg of segs) {
    engine.add(seg);
    const p = engine.perfPacket;
    h = fnv1a(`${seg.index}:${p.ackRttNs}:${p.acksFrame}:${p.bytesInFlight};`, h);
    packets++;
  }
  engine.finish();
  const convs = engine.conversations();
  for (const conv of convs) h = fnv1a(JSON.stringify(perfJson(conv)) + '\n', h);
  return `${packets}\t${convs.length}\t${h.toString(16).padStart(8, '0')}`;
}

async function fileSegments(file: string): Promise<SegmentInput[]> {
  const { records } = await readAll(file);
  const pkt = new DecodedPacket();
  const out: SegmentInput[] = [];
  for (const rec of records) {
    const seg = segmentFromPacket(decodeRecord(pkt, rec), rec);
    if (seg) out.push(seg);
  }
  return out;
}

function randomSegments(): SegmentInput[] {
  const segs: SegmentInput[] = [];
  for (let k = 0; k < 300; k++) {
    for (const seg of scenarioSegments({ name: 'random', segs: randomScenario(5000 + k, 20000 + k, k * 100_000), flags: {} })) segs.push({ ...seg, index: segs.length });
  }
  return segs;
}

function stored(): Map<string, string> {
  const m = new Map<string, string>();
  if (!fs.existsSync(TSV)) return m;
  for (const line of fs.readFileSync(TSV, 'utf8').split('\n').slice(1)) {
    const c = line.split('\t');
    if (c.length === 4) m.set(c[0], c.slice(1).join('\t'));
  }
  return m;
}

const got = new Map<string, string>();

function check(name: string, value: string): void {
  got.set(name, value);
  if (process.env.PERF_RESULTS_OUT) return; // writing the file anew: nothing to compare with
  const want = stored().get(name);
  assert.ok(want !== undefined, `${name}: not in test/perf-results.tsv`);
  assert.equal(value, want, `${name}: packets, connections, hash`);
}

describe('performance: every result of the measurement equals the stored one (test/perf-results.tsv)', function () {
  this.timeout(300_000);

  after(() => {
    const out = process.env.PERF_RESULTS_OUT;
    if (!out || got.size === 0) return;
    const lines = ['capture\tpackets\tconnections\thash', ...[...got].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k}\t${v}`)];
    fs.writeFileSync(out, lines.join('\n') + '\n');
  });

  it('the real-kernel scenarios (test/fixtures/perf)', async () => {
    const dir = path.join(REPO, 'test', 'fixtures', 'perf');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort();
    assert.ok(files.length >= 10);
    for (const f of files) check(`fixtures/perf/${f}`, resultsOf(await fileSegments(path.join(dir, f))));
  });

  it('the demo samples and 40 generated conversations', async () => {
    const dir = samplesDir();
    for (const f of fs.readdirSync(dir).filter((x) => /\.pcap(ng)?$/.test(x)).sort()) check(`samples/${f}`, resultsOf(await fileSegments(path.join(dir, f))));
    check('generated/conversations.pcap', resultsOf(await fileSegments(generated().pcap)));
  });

  it('300 random conversations (holes, retransmissions, zero windows, sequence wrap, port reuse)', () => {
    check('random/300', resultsOf(randomSegments()));
  });

  it('every TCP capture of the shared corpus', async function () {
    needCorpus(this);
    let n = 0;
    for (const dir of ['tcpdump', 'wireshark', 'other']) {
      const d = path.join(CORPUS!, dir);
      if (!fs.existsSync(d)) continue;
      for (const f of fs.readdirSync(d).sort()) {
        if (!f.endsWith('.tshark.tsv')) continue;
        const cap = f.slice(0, -'.tshark.tsv'.length);
        check(`corpus/${dir}/${cap}`, resultsOf(await fileSegments(path.join(d, cap))));
        n++;
      }
    }
    assert.ok(n > 50, 'the corpus captures were read');
  });
});
