/**
 * TLS (src/core/decode/app/tls.ts): records and handshake messages built in the test (ClientHello
 * with SNI, ALPN, supported_versions, GREASE; ServerHello; Certificate with DER names; alerts; CCS;
 * application data; encrypted handshake records; a record split over two segments), their fields and
 * byte ranges, Wireshark's Info, hostile bytes (every truncation, random mutations), tcpdump printing
 * nothing after "length N" for TLS, and the tshark field check (tls.handshake.type,
 * tls.handshake.extensions_server_name, tls.handshake.extensions_alpn_str, tls.alert_message.desc) on
 * a generated capture and on every corpus capture carrying TLS, with the differences listed in
 * test/tls-tshark-differences.tsv (one reason per line).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DecodedPacket, FieldNode, TreeSink, decodeFrame, findField } from '../src/core/decode/index';
import { TH_ACK, TH_PUSH } from '../src/core/decode/packet';
import {
  TlsSummary,
  decodeTls,
  decodeTlsBytes,
  newTlsSummary,
  readCertificateNames,
  tlsInfo,
  tlsInfoText,
  tlsProtocolName,
} from '../src/core/decode/app/tls';
import { tcpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import { explainResetAfterAlert, explainTlsAlert } from '../src/core/explain/app';
import { needTool } from './helpers/tools';
import { needCorpus, readAll } from './helpers/corpus';

const enc = new TextEncoder();

// ------------------------------------------------------------------------------------------------
// Builders
// ------------------------------------------------------------------------------------------------

const u16 = (v: number): number[] => [(v >> 8) & 255, v & 255];
const u24 = (v: number): number[] => [(v >> 16) & 255, (v >> 8) & 255, v & 255];
const str = (s: string): number[] => Array.from(enc.encode(s));

function record(ct: number, body: number[], version = 0x0303): number[] {
  return [ct, ...u16(version), ...u16(body.length), ...body];
}
function handshake(type: number, body: number[]): number[] {
  return [type, ...u24(body.length), ...body];
}
function ext(type: number, body: number[]): number[] {
  return [...u16(type), ...u16(body.length), ...body];
}
function sniExt(host: string): number[] {
  const name = [0, ...u16(host.length), ...str(host)];
  return ext(0, [...u16(name.length), ...name]);
}
function alpnExt(protos: string[]): number[] {
  const list = protos.flatMap((p) => [p.length, ...str(p)]);
  return ext(16, [...u16(list.length), ...list]);
}
function clientHello(host: string, alpn: string[], suites: number[]): number[] {
  const exts = [...ext(0x0a0a, []), ...sniExt(host), ...alpnExt(alpn), ...ext(43, [6, ...u16(0x2a2a), ...u16(0x0304), ...u16(0x0303)]), ...ext(10, [0, 2, 0, 29])];
  const suitesB = suites.flatMap(u16);
  return handshake(1, [...u16(0x0303), ...new Array(32).fill(7), 32, ...new Array(32).fill(9), ...u16(suitesB.length), ...suitesB, 1, 0, ...u16(exts.length), ...exts]);
}
function serverHello(suite: number, alpn: string | null, tls13: boolean): number[] {
  const exts = [...(alpn ? alpnExt([alpn]) : []), ...(tls13 ? ext(43, u16(0x0304)) : [])];
  return handshake(2, [...u16(0x0303), ...new Array(32).fill(5), 0, ...u16(suite), 0, ...u16(exts.length), ...exts]);
}

/** DER: tag, length (short or long form), value. */
function der(tag: number, body: number[]): number[] {
  const n = body.length;
  const len = n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 255];
  return [tag, ...len, ...body];
}
function name(attrs: [number, number, string][]): number[] {
  // [attribute number under 2.5.4, string tag, value]
  return der(0x30, attrs.flatMap(([a, tag, v]) => der(0x31, der(0x30, [...der(0x06, [0x55, 0x04, a]), ...der(tag, str(v))]))));
}
function certificate(subject: number[], issuer: number[]): number[] {
  const tbs = der(0x30, [
    ...der(0xa0, der(0x02, [2])),
    ...der(0x02, [0x01, 0x23]),
    ...der(0x30, der(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b])),
    ...issuer,
    ...der(0x30, [...der(0x17, str('250101000000Z')), ...der(0x17, str('260101000000Z'))]),
    ...subject,
    // subjectPublicKeyInfo: rsaEncryption, a toy modulus (tshark stops at a malformed one)
    ...der(0x30, [...der(0x30, [...der(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), 0x05, 0x00]), ...der(0x03, [0, ...der(0x30, [...der(0x02, [0x00, 0xc1, 0x02, 0x03]), ...der(0x02, [1, 0, 1])])])]),
  ]);
  const sigAlg = der(0x30, [...der(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), 0x05, 0x00]);
  return der(0x30, [...tbs, ...sigAlg, ...der(0x03, [0, 1, 2, 3])]);
}
function certificateMsg(certs: number[][]): number[] {
  const list = certs.flatMap((c) => [...u24(c.length), ...c]);
  return handshake(11, [...u24(list.length), ...list]);
}

const LEAF = certificate(name([[6, 0x13, 'US'], [10, 0x0c, 'Example Inc'], [3, 0x0c, 'example.com']]), name([[6, 0x13, 'US'], [3, 0x13, 'Example CA']]));
const CA = certificate(name([[3, 0x13, 'Example CA']]), name([[3, 0x13, 'Example CA']]));
const CH = record(22, clientHello('example.com', ['h2', 'http/1.1'], [0x1301, 0xc02f, 0x0a0a, 0x1234]));
const SH_FLIGHT = [...record(22, serverHello(0xc02f, 'h2', false)), ...record(22, certificateMsg([LEAF, CA])), ...record(22, handshake(14, []))];
const SH13 = [...record(22, serverHello(0x1301, null, true)), ...record(20, [1]), ...record(23, new Array(60).fill(0x33))];
const ALERT = record(21, [2, 40]);
const ENC_HS = record(22, [0, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0x11, 0x22, 0x33, ...new Array(28).fill(0x5c)]);
const CKE = [...record(22, handshake(16, [32, ...new Array(32).fill(4)])), ...record(20, [1]), ...ENC_HS];
const ENC_ALERT = record(21, new Array(26).fill(0x71));

/** Payloads of the generated connection, in order: [from client?, bytes]. */
const FLOW: [boolean, number[]][] = [
  [true, CH],
  [false, SH_FLIGHT],
  [true, CKE],
  [false, [...record(20, [1]), ...ENC_HS]],
  [true, record(23, new Array(100).fill(0x42))],
  [false, ALERT],
];
/** A second connection (TLS 1.3 server flight, then an encrypted alert). */
const FLOW13: [boolean, number[]][] = [
  [true, CH],
  [false, SH13],
  [false, ENC_ALERT],
];

function tlsFrames(flow: [boolean, number[]][], cport = 50000, port = 443): Uint8Array[] {
  let cseq = 1000;
  let sseq = 9000;
  return flow.map(([c, b]) => {
    const payload = Uint8Array.from(b);
    const f = c
      ? tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: cport, dport: port, seq: cseq, ack: sseq, flags: TH_PUSH | TH_ACK, payload })
      : tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: port, dport: cport, seq: sseq, ack: cseq, flags: TH_PUSH | TH_ACK, payload });
    if (c) cseq += payload.length;
    else sseq += payload.length;
    return f;
  });
}

function run(b: number[] | Uint8Array, sink: TreeSink | null = new TreeSink(), end = b.length, wireEnd = b.length): { s: TlsSummary; tree: FieldNode } {
  const d = Uint8Array.from(b);
  const s = decodeTlsBytes(d, 0, end, wireEnd, sink, newTlsSummary());
  return { s, tree: sink ? sink.root : { name: '', label: '', offset: 0, length: 0 } };
}

function all(n: FieldNode, name: string, out: FieldNode[] = []): FieldNode[] {
  if (n.name === name) out.push(n);
  for (const c of n.children ?? []) all(c, name, out);
  return out;
}

// ------------------------------------------------------------------------------------------------

describe('TLS decoder: fields and byte ranges', () => {
  it('reads a ClientHello: SNI, ALPN, supported versions, cipher suites, with their bytes', () => {
    const { s, tree } = run(CH);
    assert.deepEqual(s.handshakeTypes, [1]);
    assert.equal(s.sni, 'example.com');
    assert.deepEqual(s.alpn, ['h2', 'http/1.1']);
    assert.deepEqual(s.supportedVersions, [0x2a2a, 0x0304, 0x0303]);
    assert.deepEqual(s.cipherSuites, [0x1301, 0xc02f, 0x0a0a, 0x1234]);
    assert.equal(tlsInfoText(s), 'Client Hello (SNI=example.com)');
    const sni = findField(tree, 'tls.handshake.extensions_server_name')!;
    assert.equal(new TextDecoder().decode(Uint8Array.from(CH).subarray(sni.offset, sni.offset + sni.length)), 'example.com');
    const alpn = all(tree, 'tls.handshake.extensions_alpn_str').map((n) => new TextDecoder().decode(Uint8Array.from(CH).subarray(n.offset, n.offset + n.length)));
    assert.deepEqual(alpn, ['h2', 'http/1.1']);
    assert.deepEqual(all(tree, 'tls.handshake.ciphersuite').map((n) => n.display), ['TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'Reserved (GREASE)', 'Unknown']);
    const ct = findField(tree, 'tls.record.content_type')!;
    assert.deepEqual([ct.offset, ct.length, ct.value], [0, 1, 22]);
    const ht = findField(tree, 'tls.handshake.type')!;
    assert.deepEqual([ht.offset, ht.length, ht.value], [5, 1, 1]);
    assert.equal(all(tree, 'tls.handshake.extension.type')[0].display, 'Reserved (GREASE) (2570)');
  });

  it('reads a server flight: Server Hello, Certificate (subject and issuer names), Server Hello Done', () => {
    const { s, tree } = run(SH_FLIGHT);
    assert.deepEqual(s.handshakeTypes, [2, 11, 14]);
    assert.equal(tlsInfoText(s), 'Server Hello, Certificate, Server Hello Done');
    assert.equal(s.cipherSuite, 0xc02f);
    assert.deepEqual(s.alpn, ['h2']);
    assert.deepEqual(s.certificates, [
      { subject: 'C=US, O=Example Inc, CN=example.com', issuer: 'C=US, CN=Example CA' },
      { subject: 'CN=Example CA', issuer: 'CN=Example CA' },
    ]);
    const cn = all(tree, 'x509sat.uTF8String').map((n) => n.value);
    assert.deepEqual(cn, ['Example Inc', 'example.com']);
    const subj = all(tree, 'x509af.subject')[0];
    const d = Uint8Array.from(SH_FLIGHT);
    assert.equal(d[subj.offset], 0x30);
    assert.equal(tlsProtocolName(s), 'TLSv1.2');
  });

  it('reads a TLS 1.3 Server Hello (selected version), CCS and application data', () => {
    const { s } = run(SH13);
    assert.equal(s.selectedVersion, 0x0304);
    assert.equal(tlsProtocolName(s), 'TLSv1.3');
    assert.equal(tlsInfoText(s), 'Server Hello, Change Cipher Spec, Application Data');
  });

  it('reads alerts with level and description, and tells encrypted ones', () => {
    const { s, tree } = run(ALERT);
    assert.equal(tlsInfoText(s), 'Alert (Level: Fatal, Description: Handshake Failure)');
    const desc = findField(tree, 'tls.alert_message.desc')!;
    assert.deepEqual([desc.offset, desc.length, desc.value], [6, 1, 40]);
    assert.equal(findField(tree, 'tls.alert_message.level')?.value, 2);
    assert.equal(tlsInfoText(run(ENC_ALERT).s), 'Encrypted Alert');
  });

  it('tells an encrypted handshake record from a plaintext one', () => {
    const { s } = run(CKE);
    assert.deepEqual(s.handshakeTypes, [16]);
    assert.equal(tlsInfoText(s), 'Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message');
  });

  it('decodes a record split over two segments: the first part marked, the second a continuation', () => {
    const cut = 60;
    const first = run(SH_FLIGHT.slice(0, cut), new TreeSink(), cut, cut);
    assert.equal(first.s.reassemblyNeeded, true);
    assert.deepEqual(first.s.handshakeTypes, [2]);
    assert.ok(JSON.stringify(first.tree).includes('reassembly needed'));
    const second = run(SH_FLIGHT.slice(cut));
    assert.equal(second.s.continuation, true);
    assert.equal(tlsInfoText(second.s), 'Continuation Data');
  });

  it('reads names from a certificate cut short, and returns null for non-certificates', () => {
    const leaf = Uint8Array.from(LEAF);
    const full = readCertificateNames(leaf, 0, leaf.length, null);
    assert.deepEqual(full, { subject: 'C=US, O=Example Inc, CN=example.com', issuer: 'C=US, CN=Example CA' });
    assert.equal(readCertificateNames(Uint8Array.from([1, 2, 3, 4]), 0, 4, null), null);
  });

  it('explains alerts in English and Chinese, and a reset right after one', () => {
    const bundle = JSON.parse(fs.readFileSync(path.resolve('l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const zh = bundleTranslator(bundle);
    const e = explainTlsAlert(2, 48, formatEn);
    assert.equal(e.title, 'TLS alert: Unknown CA (Fatal)');
    assert.match(e.text.join(' '), /certificate authority/);
    assert.match(explainTlsAlert(2, 48, zh).text[0], /[\u4e00-\u9fff]/);
    assert.match(explainResetAfterAlert(40, formatEn), /Handshake Failure/);
    assert.match(explainResetAfterAlert(-1, zh), /[\u4e00-\u9fff]/);
  });
});

describe('TLS decoder: hostile bytes', () => {
  const samples = [CH, SH_FLIGHT, SH13, ALERT, CKE, ENC_ALERT];

  it('never throws on any truncation, and keeps every field inside the bytes', () => {
    for (const b of samples) {
      for (let end = 0; end <= b.length; end++) {
        const { tree } = run(b, new TreeSink(), end, b.length);
        const walk = (n: FieldNode): void => {
          if (n.name !== 'frame') assert.ok(n.offset >= 0 && n.offset + n.length <= end, n.name + ' [' + n.offset + ',' + n.length + '] past ' + end);
          for (const c of n.children ?? []) walk(c);
        };
        walk(tree);
      }
    }
  });

  it('never throws on random mutations, and stays bounded', () => {
    let seed = 11;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 16777216;
    for (let round = 0; round < 600; round++) {
      const b = Uint8Array.from(samples[round % samples.length]);
      const flips = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < flips; i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const { s } = run(b);
      assert.ok(s.records <= 64 && s.info.length <= 64 * 512 + 2);
    }
    // many empty records: the record cap holds
    const many = new Uint8Array(5 * 1000);
    for (let i = 0; i < many.length; i += 5) many.set([23, 3, 3, 0, 0], i);
    assert.equal(run(many, null).s.records, 64);
  });
});

// ------------------------------------------------------------------------------------------------
// Oracles
// ------------------------------------------------------------------------------------------------

describe('TLS against tcpdump and tshark', function () {
  this.timeout(120000);
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-tls-'));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function writeFlow(): string {
    const file = path.join(dir, 'tls.pcap');
    const fl = [...tlsFrames(FLOW), ...tlsFrames(FLOW13, 50001)];
    fs.writeFileSync(file, Buffer.concat([pcapHeader(1, false), ...fl.map((f, i) => pcapRecord(1000 + i, 0, f))]));
    return file;
  }

  it('tcpdump 4.99.x prints nothing for TLS after "length N"', function () {
    needTool(this, 'tcpdump');
    const file = writeFlow();
    const r = spawnSync('tcpdump', ['-n', '-r', file], { encoding: 'latin1', env: { ...process.env, TZ: 'GMT0' } });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const flows = [...FLOW, ...FLOW13];
    assert.equal(lines.length, flows.length);
    lines.forEach((l, i) => assert.ok(l.endsWith('length ' + flows[i][1].length), l));
  });

  it('matches tshark field by field on a generated capture', function () {
    needTool(this, 'tshark');
    const file = writeFlow();
    const theirs = tsharkRows(file, []);
    const fl = [...tlsFrames(FLOW), ...tlsFrames(FLOW13, 50001)];
    // no compared field in three frames: CCS + encrypted Finished, application data, encrypted alert
    assert.equal(theirs.size, fl.length - 3, 'tshark found TLS fields in ' + theirs.size + ' frames');
    const diffs: string[] = [];
    fl.forEach((f, i) => {
      const ours = ourRow(f, f.length, 1);
      const t = theirs.get(i + 1) ?? EMPTY;
      if (ours !== t) diffs.push(i + 1 + ': tshark ' + t + ' ours ' + ours);
    });
    assert.deepEqual(diffs, []);
  });

  it('matches tshark on every corpus capture carrying TLS (differences listed in tls-tshark-differences.tsv)', async function () {
    const corpus = needCorpus(this);
    needTool(this, 'tshark');
    const listed = readDifferences();
    const found: string[] = [];
    let frames = 0;
    let same = 0;
    let withValues = 0;
    for (const rel of CORPUS_TLS) {
      const file = path.join(corpus, rel.file);
      if (!fs.existsSync(file)) continue;
      const theirs = tsharkRows(file, rel.decodeAs);
      const { records } = await readAll(file);
      records.forEach((rec, i) => {
        const pkt = new DecodedPacket();
        decodeFrame(pkt, rec.data, rec.origLen, rec.linkType);
        const l4 = pkt.l4;
        if (l4.proto !== 6 || l4.payloadLen <= 0 || !(rel.ports.includes(l4.sport) || rel.ports.includes(l4.dport))) return;
        frames++;
        const ours = ourRow(rec.data, rec.data.length, rec.linkType);
        const t = theirs.get(i + 1) ?? EMPTY;
        if (t !== EMPTY) withValues++;
        if (ours === t) same++;
        else found.push([rel.file, String(i + 1), t, ours].join('\t'));
      });
    }
    console.log('      TLS vs tshark on the corpus: ' + same + '/' + frames + ' frames equal (' + withValues + ' with tshark values); ' + found.length + ' listed differences');
    assert.ok(frames >= 90, 'only ' + frames + ' TLS frames found in the corpus');
    assert.ok(withValues >= 10, 'only ' + withValues + ' frames with handshake types, SNI, ALPN or alerts');
    assert.deepEqual(found, listed);
  });
});

/** Corpus captures carrying TLS (found with `tshark -Y tls` over the corpus), with the server ports to decode. */
const CORPUS_TLS: { file: string; ports: number[]; decodeAs: string[] }[] = [
  { file: 'tcpdump/nfs-write-verf-cookie.pcapng', ports: [993], decodeAs: [] },
  { file: 'wireshark/dmgr.pcapng', ports: [9131], decodeAs: [] },
  { file: 'wireshark/http2-data-reassembly.pcap', ports: [8443], decodeAs: [] },
  { file: 'wireshark/many_interfaces.pcapng.1', ports: [443], decodeAs: [] },
  { file: 'wireshark/tls-renegotiation.pcap', ports: [4433], decodeAs: [] },
];

const TS_FIELDS = ['tls.handshake.type', 'tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str', 'tls.alert_message.desc'];
const EMPTY = '|||';

function tsharkRows(file: string, decodeAs: string[]): Map<number, string> {
  const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number', ...TS_FIELDS.flatMap((f) => ['-e', f])];
  for (const d of decodeAs) args.push('-d', d);
  const r = spawnSync('tshark', args, { encoding: 'latin1' });
  const rows = new Map<number, string>();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const cells = line.split('\t');
    const row = cells.slice(1).join('|');
    if (row !== EMPTY) rows.set(Number(cells[0]), row);
  }
  return rows;
}

/** Our values in tshark's form: every handshake type, the SNI, every ALPN string, the alert description. */
function ourRow(frame: Uint8Array, caplen: number, linkType: number): string {
  const pkt = new DecodedPacket();
  decodeFrame(pkt, frame.subarray(0, caplen), frame.length, linkType);
  const sink = new TreeSink();
  decodeTls(pkt, pkt.l4.payloadOff, pkt.l4.payloadLen, sink, 6);
  tlsInfo(pkt, pkt.l4.payloadOff, pkt.l4.payloadLen, 6);
  return TS_FIELDS.map((n) => all(sink.root, n).map((f) => String(f.value)).join(',')).join('|');
}

/** test/tls-tshark-differences.tsv: file, frame, tshark's values, ours, reason. */
function readDifferences(): string[] {
  const text = fs.readFileSync(path.resolve('test', 'tls-tshark-differences.tsv'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('file\t'))
    .map((l) => l.split('\t').slice(0, 4).join('\t'));
}
