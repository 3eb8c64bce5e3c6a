/**
 * DNS query → response pairing (src/core/decode/app/dnsMatch.ts): dns.time, dns.response_in and
 * dns.response_to on generated captures (UDP, TCP with two messages in a segment, a retransmitted query,
 * a repeated ID after the answer, an unanswered query, two clients with the same ID), in the details
 * tree and the filter, and equal to tshark's on every corpus capture carrying DNS (differences in
 * test/dns-time-differences.tsv with their reasons).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { CaptureRecord } from '../src/core/capture/types';
import { decodeFrame, DecodedPacket, TreeSink } from '../src/core/decode/index';
import { addDnsPairFields, DnsMatcher, dnsTimeText } from '../src/core/decode/app/dnsMatch';
import { TH_ACK, TH_PUSH } from '../src/core/decode/packet';
import { explainAppField } from '../src/core/explain/dnsHttp';
import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import { RecordColumns } from '../src/core/filter/columns';
import { compileFilter } from '../src/core/filter/eval';
import { parseFilter } from '../src/core/filter/parse';
import { tcpFrame, udpFrame } from '../src/core/synth/frames';
import { CORPUS, corpusPath, needCorpus, readAll } from './helpers/corpus';
import { corpusCaptures, readDiffTsv } from './helpers/appCheck';
import { needTool } from './helpers/tools';
import * as os from 'node:os';
import * as path from 'node:path';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';

/** A DNS message: header (id, flags) + one question for "a.example" type A. */
function dnsMsg(id: number, response: boolean): Uint8Array {
  const q = [1, 0x61, 7, ...Buffer.from('example'), 0, 0, 1, 0, 1];
  return new Uint8Array([id >> 8, id & 255, response ? 0x81 : 0x01, response ? 0x80 : 0, 0, 1, 0, 0, 0, 0, 0, 0, ...q]);
}
const tcpDns = (...m: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(m.flatMap((x) => [Buffer.from([x.length >> 8, x.length & 255]), Buffer.from(x)])));

function rec(i: number, frame: Uint8Array, sec: number, nsec: number): CaptureRecord {
  return { index: i, data: frame, origLen: frame.length, linkType: 1, tsSec: sec, tsNsec: nsec } as CaptureRecord;
}

/** The generated capture: [frame, seconds, nanoseconds] in capture order. */
function cases(): CaptureRecord[] {
  const c = '10.0.0.1';
  const s = '10.0.0.53';
  const q = (id: number, sport = 40000, src = c): Uint8Array => udpFrame({ src, dst: s, sport, dport: 53, payload: dnsMsg(id, false) });
  const r = (id: number, dport = 40000, dst = c): Uint8Array => udpFrame({ src: s, dst, sport: 53, dport, payload: dnsMsg(id, true) });
  const list: [Uint8Array, number, number][] = [
    [q(1), 100, 0], // 0  query
    [r(1), 100, 12_345_678], // 1  its response: 0.012345678 s
    [q(2), 101, 0], // 2  query, unanswered for 1 s
    [q(2), 102, 0], // 3  the same query again within 5 s: a retransmission of packet 2
    [r(2), 102, 500_000_000], // 4  answers packet 2: 1.5 s after it
    [q(2), 103, 0], // 5  ID 2 again after the answer: a new transaction
    [r(2), 103, 1000], // 6  answers packet 5
    [q(3), 104, 0], // 7  never answered
    [q(4, 40000, '10.0.0.2'), 105, 0], // 8  another client, same server, ID 4
    [q(4), 105, 100], // 9  our client, ID 4: another conversation
    [r(4, 40000, '10.0.0.2'), 105, 200], // 10 answers packet 8 only
    [r(9), 106, 0], // 11 a response nobody asked for
  ];
  // TCP: two queries in one segment, their answers in one segment
  const tq = tcpFrame({ src: c, dst: s, sport: 40001, dport: 53, seq: 1, ack: 1, flags: TH_ACK | TH_PUSH, payload: tcpDns(dnsMsg(7, false), dnsMsg(8, false)) });
  const tr = tcpFrame({ src: s, dst: c, sport: 53, dport: 40001, seq: 1, ack: 1 + 2 * (2 + 27), flags: TH_ACK | TH_PUSH, payload: tcpDns(dnsMsg(7, true)) });
  list.push([tq, 107, 0], [tr, 107, 2000]); // 12, 13
  list.push([r(1), 108, 0]); // 14 a second response to packet 0 (a retransmitted response)
  return list.map(([f, sec, nsec], i) => rec(i, f, sec, nsec));
}

function matchAll(records: readonly CaptureRecord[]): DnsMatcher {
  const m = new DnsMatcher();
  const pkt = new DecodedPacket();
  for (const r of records) {
    decodeFrame(pkt, r.data, r.origLen, r.linkType);
    m.add(r.index, pkt, r.tsSec, r.tsNsec);
  }
  return m;
}

describe('DNS query → response time (generated)', function () {
  const recs = cases();
  const m = matchAll(recs);

  it('pairs a response with its query and gives the time between them to the nanosecond', function () {
    assert.deepEqual(m.pair(0), { responseIn: 1 });
    assert.deepEqual(m.pair(1), { responseTo: 0, timeNs: 12_345_678 });
    assert.equal(dnsTimeText(m.pair(1)!.timeNs!), '0.012345678');
  });

  it('a query repeated within 5 s is the same transaction (time from the first); after the answer the ID starts a new one', function () {
    assert.deepEqual(m.pair(2), { responseIn: 4 });
    assert.deepEqual(m.pair(3), { retransmissionOf: 2 }, 'a retransmitted query: no response_in (as tshark -2)');
    assert.deepEqual(m.pair(4), { responseTo: 2, timeNs: 1_500_000_000 });
    assert.deepEqual(m.pair(5), { responseIn: 6 });
    assert.deepEqual(m.pair(6), { responseTo: 5, timeNs: 1000 });
  });

  it('a second response to an answered query is a retransmission: no time, no response_to', function () {
    assert.deepEqual(m.pair(14), { retransmissionOf: 1 });
    assert.deepEqual(m.pair(0), { responseIn: 1 });
  });

  it('unanswered queries and unsolicited responses have no pair; the same ID from another client is another conversation', function () {
    assert.equal(m.pair(7), undefined);
    assert.equal(m.pair(11), undefined);
    assert.deepEqual(m.pair(8), { responseIn: 10 });
    assert.equal(m.pair(9), undefined);
    assert.deepEqual(m.pair(10), { responseTo: 8, timeNs: 200 });
  });

  it('over TCP: messages after their 2-byte length, several in one segment', function () {
    assert.deepEqual(m.pair(12), { responseIn: 13 });
    assert.deepEqual(m.pair(13), { responseTo: 12, timeNs: 2000 });
  });

  it('the details tree shows [Response In], [Request In] and [Time] under DNS, explained in English and Chinese', function () {
    const sink = new TreeSink();
    decodeFrame(new DecodedPacket(), recs[1].data, recs[1].origLen, 1, sink);
    addDnsPairFields(sink.root, m.pair(1));
    const dns = sink.root.children!.find((n) => n.name === 'udp')?.children?.find((n) => n.name === 'dns') ?? findDeep(sink.root, 'dns')!;
    const labels = dns.children!.map((n) => n.label);
    assert.ok(labels.includes('[Request In: 1]'), labels.join(' | '));
    assert.ok(labels.includes('[Time: 0.012345678 seconds]'));
    const bundle = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    assert.match(explainAppField('dns.time', 0.012345678, formatEn)!.text.join(' '), /query/);
    assert.match(explainAppField('dns.time', 0.012345678, bundleTranslator(bundle))!.text.join(' '), /查询/);
    assert.ok(explainAppField('dns.response_in', 2, bundleTranslator(bundle)));
    assert.ok(explainAppField('dns.response_to', 1, bundleTranslator(bundle)));
  });

  it('filters: dns.time, dns.response_in, dns.response_to', function () {
    const cols = new RecordColumns(recs);
    const run = (expr: string): number[] => {
      const f = compileFilter(parseFilter(expr), cols);
      const out: number[] = [];
      for (let i = 0; i < cols.count; i++) if (f(i)) out.push(i);
      return out;
    };
    assert.deepEqual(run('dns.time > 1'), [4]);
    assert.deepEqual(run('dns.time'), [1, 4, 6, 10, 13]);
    assert.deepEqual(run('dns.response_in == 5'), [2]);
    assert.deepEqual(run('dns.response_to == 13'), [13]);
    assert.deepEqual(run('udp.port == 53 && !dns.response_in && !dns.response_to'), [3, 7, 9, 11, 14], 'unanswered, other conversation, unsolicited, retransmitted copies');
  });
});

describe('DNS query → response time: the generated capture against tshark', function () {
  it('every packet\'s dns.time, dns.response_in and dns.response_to equal tshark -2\'s', function () {
    needTool(this, 'tshark');
    const recs = cases();
    const m = matchAll(recs);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-dns-'));
    try {
      const file = path.join(dir, 'dns.pcap');
      fs.writeFileSync(file, Buffer.concat([pcapHeader(1, true), ...recs.map((r) => pcapRecord(r.tsSec, r.tsNsec, r.data))]));
      const ts = spawnSync('tshark', ['-2', '-n', '-r', file, '-T', 'fields', '-E', 'occurrence=f', '-e', 'frame.number', '-e', 'dns.time', '-e', 'dns.response_in', '-e', 'dns.response_to'], { encoding: 'utf8' });
      assert.equal(ts.status, 0, ts.stderr);
      const theirs = ts.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t').slice(1).join('|'));
      const ours = recs.map((_r, i) => {
        const p = m.pair(i);
        return [p?.timeNs !== undefined ? dnsTimeText(p.timeNs) : '', p?.responseIn !== undefined ? p.responseIn + 1 : '', p?.responseTo !== undefined ? p.responseTo + 1 : ''].join('|');
      });
      assert.deepEqual(ours, theirs);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DNS query → response time in the capture editor\'s index (worker)', function () {
  it('details of a response show [Time]; the filter box takes dns.time and dns.response_in', async function () {
    const { CaptureIndex } = await import('../src/worker/captureIndex');
    const { fileInput } = await import('../src/worker/fileInput');
    const recs = cases();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-dns-'));
    const file = path.join(dir, 'dns.pcap');
    fs.writeFileSync(file, Buffer.concat([pcapHeader(1, true), ...recs.map((r) => pcapRecord(r.tsSec, r.tsNsec, r.data))]));
    const idx = new CaptureIndex(fileInput(file));
    try {
      await idx.start();
      const d = await idx.details(4);
      const dns = findDeep(d.tree, 'dns')!;
      assert.ok(dns.children!.some((n) => n.name === 'dns.time' && n.label === '[Time: 1.500000000 seconds]'));
      assert.ok(dns.children!.some((n) => n.name === 'dns.response_to' && n.value === 3));
      const r = await idx.filter('dns.time > 1');
      assert.ok(r.ok && r.count === 1, JSON.stringify(r));
      const rows = await idx.rows(0, 10, r.ok ? r.view : 0);
      assert.deepEqual(rows.map((x) => x.index), [4]);
      const q = await idx.filter('dns.response_in == 14');
      assert.ok(q.ok && q.count === 1);
    } finally {
      await idx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function findDeep(n: import('../src/core/decode/fields').FieldNode, name: string): import('../src/core/decode/fields').FieldNode | undefined {
  if (n.name === name) return n;
  for (const c of n.children ?? []) {
    const f = findDeep(c, name);
    if (f) return f;
  }
  return undefined;
}

describe('DNS query → response time against tshark on the corpus', function () {
  this.timeout(120000);
  it('dns.time, dns.response_in, dns.response_to equal tshark\'s on every corpus DNS capture, or listed in test/dns-time-differences.tsv', async function () {
    needCorpus(this);
    needTool(this, 'tshark');
    const known = readDiffTsv('dns-time-differences.tsv');
    let files = 0;
    let compared = 0;
    let timed = 0;
    const diffs: string[] = [];
    for (const rel of corpusCaptures(CORPUS!)) {
      const { records } = await readAll(corpusPath(rel));
      const m = matchAll(records);
      if (m.size === 0) continue;
      files++;
      const ts = spawnSync('tshark', ['-2', '-n', '-r', corpusPath(rel), '-Y', 'dns', '-T', 'fields', '-E', 'occurrence=f', '-e', 'frame.number', '-e', 'dns.time', '-e', 'dns.response_in', '-e', 'dns.response_to'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(ts.status, 0, ts.stderr);
      const seen = new Set<number>();
      const check = (frame: number, theirs: string[]): void => {
        const p = m.pair(frame - 1);
        const ours = [p?.timeNs !== undefined ? dnsTimeText(p.timeNs) : '', p?.responseIn !== undefined ? String(p.responseIn + 1) : '', p?.responseTo !== undefined ? String(p.responseTo + 1) : ''];
        const names = ['dns.time', 'dns.response_in', 'dns.response_to'];
        compared++;
        if (ours[0]) timed++;
        for (let k = 0; k < 3; k++) if (ours[k] !== theirs[k] && !known.has(rel + '#' + frame + ' ' + names[k])) diffs.push([rel, frame, names[k], ours[k], theirs[k]].join('\t'));
      };
      for (const line of ts.stdout.split('\n')) {
        if (!line) continue;
        const [frame, time, rin, rto] = line.split('\t');
        seen.add(Number(frame));
        check(Number(frame), [time, rin, rto]);
      }
      // packets we pair that tshark does not show as DNS at all
      for (let i = 0; i < records.length; i++) if (m.pair(i) && !seen.has(i + 1)) check(i + 1, ['', '', '']);
    }
    console.log(`      DNS time vs tshark: ${files} captures, ${compared} DNS packets (${timed} responses timed)`);
    if (process.env.DNS_TIME_DIFFS) for (const d of diffs) console.log(d + '\t');
    assert.deepEqual(diffs, []);
  });
});
