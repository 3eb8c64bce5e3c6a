/**
 * A tcpdump -nn log gives the same TCP answers as the capture it came from: flags, relative
 * seq/ack, window, length, stream and both endpoints' states, packet by packet. The logs are
 * printed by our own printer (proven identical to tcpdump by the conformance tests).
 */
import * as assert from 'node:assert/strict';
import { CORPUS, corpusPath, needCorpus, readAll, readManifest } from './helpers/corpus';
import { analyzeLog, blankResult } from '../src/core/log/model';
import { decodeRecord, DecodedPacket } from '../src/core/decode/index';
import { PacketPrinter } from '../src/core/print/packet';
import { defaultPrintOptions } from '../src/core/print/options';
import { segmentFromPacket } from '../src/core/tcp/fromPacket';
import { TcpEngine } from '../src/core/tcp/engine';
import { toSegmentInput } from '../src/core/text/index';
import { packetJson } from '../src/core/tcp/json';
import { generated } from './helpers/generated';

const FIELDS = ['flags', 'seq', 'ack', 'win', 'len', 'stream', 'states', 'step'] as const;

async function compare(file: string): Promise<{ tcp: number; same: number; diffs: string[] }> {
  const { records } = await readAll(file);
  // the capture
  const pkt = new DecodedPacket();
  const engine = new TcpEngine();
  const segs = records.map((r) => {
    decodeRecord(pkt, r);
    const s = segmentFromPacket(pkt, r);
    if (s) engine.add({ ...s });
    return s ? { ...s } : null;
  });
  engine.finish();
  // the log: what tcpdump -nn prints for it (one line per packet)
  const printer = new PacketPrinter({ ...defaultPrintOptions() });
  const text = records.map((r) => printer.print(r)).join('');
  const m = analyzeLog(text);
  assert.equal(m.log.packets.length, records.length, 'one text packet per record');
  let tcp = 0;
  let same = 0;
  const diffs: string[] = [];
  const r1 = blankResult();
  const r2 = blankResult();
  for (let i = 0; i < records.length; i++) {
    const seg = segs[i];
    if (!seg || !engine.resultInto(i, r1)) continue;
    tcp++;
    const a = packetJson({ index: i, tsSec: 0, tsNsec: 0, src: '', dst: '', proto: 6 }, seg, r1) as unknown as Record<string, unknown>;
    const tseg = toSegmentInput(m.log.packets[i], i);
    const b = (tseg && m.engine.resultInto(i, r2) ? packetJson({ index: i, tsSec: 0, tsNsec: 0, src: '', dst: '', proto: 6 }, tseg, r2) : {}) as unknown as Record<string, unknown>;
    const bad = FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
    if (bad.length === 0) same++;
    else diffs.push(`#${i + 1} ${bad.map((f) => `${f}: capture ${JSON.stringify(a[f])} log ${JSON.stringify(b[f])}`).join('; ')}`);
  }
  return { tcp, same, diffs };
}

describe('tcpdump text gives the same TCP answers as its capture', function () {
  this.timeout(60000);

  it('generated conversations (handshakes, data, teardowns)', async function () {
    const { tcp, same, diffs } = await compare(generated().pcap);
    assert.ok(tcp > 500);
    assert.deepEqual(diffs, []);
    assert.equal(same, tcp);
  });

  const rows = CORPUS ? readManifest('tcpdump/MANIFEST.tsv').filter((r) => !/malformed|truncated/.test(r.notes) && r.tcpdump_options.trim() === '') : [];
  // Without the corpus there is nothing to list one test per capture from: one test says so.
  if (!CORPUS) it('corpus captures (one test each)', function () {
    needCorpus(this);
  });
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.capture_file)) continue;
    seen.add(row.capture_file);
    it(`corpus ${row.capture_file}`, async function () {
      const { tcp, same, diffs } = await compare(corpusPath('tcpdump', row.capture_file));
      console.log(`      ${same}/${tcp} TCP packets agree`);
      assert.deepEqual(diffs, []);
    });
  }
});
