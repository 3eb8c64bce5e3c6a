/**
 * DNS (src/core/decode/app/dns.ts, src/core/print/app/dns.ts): decoder fields and byte ranges on
 * generated messages (compression, EDNS, TCP's length prefix), hostile names (pointer loops, label
 * floods, lying counts) that must neither hang nor throw, the Info text, the printer against the
 * corpus's stored tcpdump text and against the installed tcpdump on generated captures, and the
 * fields against tshark on every corpus capture carrying DNS on port 53/5353.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CORPUS, corpusPath, needCorpus } from './helpers/corpus';
import { needTool } from './helpers/tools';
import { dnsMessage, ipv4, Message, ptr, tcpDns, txt } from './helpers/dnsMsg';
import { carriesPorts, compareWithTshark, corpusCaptures, FieldDiff, fieldValues, printBoth, readDiffTsv, tree, writePcap } from './helpers/appCheck';
import { tcpFrame, udpFrame } from '../src/core/synth/frames';
import { TH_ACK, TH_PUSH } from '../src/core/decode/packet';
import { findField, FieldNode } from '../src/core/decode/fields';
import { appInfo, appFields } from '../src/core/decode/app/index';
import { decodeFrame } from '../src/core/decode/index';
import { DecodedPacket } from '../src/core/decode/packet';
import { DNS_FIELDS, readName } from '../src/core/decode/app/dns';

const Q = 0x0100; // RD
const R = 0x8180; // QR RD RA

const aaaa = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
/** Generated messages: [label, message, transport]. */
const MESSAGES: [string, Message][] = [
  ['query A', { id: 0x1234, flags: Q, qd: [{ name: 'example.com', type: 1 }] }],
  ['response A (compressed)', { id: 0x1234, flags: R, qd: [{ name: 'example.com', type: 1 }], an: [{ name: ptr(12), type: 1, rdata: ipv4('93.184.216.34') }] }],
  ['response CNAME + A, authoritative', { id: 7, flags: R | 0x400, qd: [{ name: 'www.example.org', type: 1 }], an: [{ name: ptr(12), type: 5, rdata: [3, 0x77, 0x65, 0x62, ...ptr(16)] }, { name: [3, 0x77, 0x65, 0x62, ...ptr(16)], type: 1, rdata: ipv4('10.1.2.3') }] }],
  ['query AAAA', { id: 65535, flags: Q, qd: [{ name: 'ipv6.example.net', type: 28 }] }],
  ['response AAAA', { id: 65535, flags: R, qd: [{ name: 'ipv6.example.net', type: 28 }], an: [{ name: ptr(12), type: 28, ttl: 3725, rdata: aaaa }] }],
  ['response MX', { id: 2, flags: R, qd: [{ name: 'example.com', type: 15 }], an: [{ name: ptr(12), type: 15, rdata: [0, 10, 4, 0x6d, 0x61, 0x69, 0x6c, ...ptr(12)] }] }],
  ['response TXT', { id: 3, flags: R, qd: [{ name: 'example.com', type: 16 }], an: [{ name: ptr(12), type: 16, rdata: txt('v=spf1 -all', 'x y') }] }],
  ['response SRV', { id: 4, flags: R, qd: [{ name: '_sip._tcp.example.com', type: 33 }], an: [{ name: ptr(12), type: 33, rdata: [0, 10, 0, 60, 0x13, 0xc4, 3, 0x73, 0x69, 0x70, ...ptr(22)] }] }],
  ['response PTR', { id: 5, flags: R, qd: [{ name: '4.3.2.1.in-addr.arpa', type: 12 }], an: [{ name: ptr(12), type: 12, rdata: [4, 0x68, 0x6f, 0x73, 0x74, 0] }] }],
  ['NXDomain with SOA', { id: 6, flags: R | 3, qd: [{ name: 'nope.example.com', type: 1 }], ns: [{ name: ptr(17), type: 6, rdata: [2, 0x6e, 0x73, ...ptr(17), 4, 0x72, 0x6f, 0x6f, 0x74, ...ptr(17), 0, 0, 0, 1, 0, 0, 0x0e, 0x10, 0, 0, 7, 8, 0, 9, 0x3a, 0x80, 0, 0, 1, 0x2c] }] }],
  ['query with EDNS DO + cookie', { id: 8, flags: Q | 0x20, qd: [{ name: 'example.com', type: 1 }], ar: [{ name: [0], type: 41, cls: 1232, ttl: 0x8000, rdata: [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8] }] }],
  ['response NS, ServFail, truncated flag', { id: 9, flags: 0x8382, qd: [{ name: 'example.com', type: 2 }], an: [{ name: ptr(12), type: 2, rdata: [1, 0x61, ...ptr(12)] }] }],
  ['two questions, class CHAOS, unknown type', { id: 10, flags: 0, qd: [{ name: 'version.bind', type: 16, cls: 3 }, { name: 'x.example', type: 65280 }] }],
  ['inverse query', { id: 11, flags: 0x0800, qd: [], an: [{ name: [0], type: 1, rdata: ipv4('1.2.3.4') }] }],
  ['forward pointer (bad)', { id: 12, flags: R, qd: [{ name: 'example.com', type: 1 }], an: [{ name: ptr(40), type: 1, rdata: ipv4('1.1.1.1') }] }],
  ['self pointer loop', { id: 13, flags: Q, qd: [{ name: ptr(12), type: 1 }] }],
  ['counts lie', { id: 14, flags: R, qd: [{ name: 'example.com', type: 1 }], counts: [1, 65535, 65535, 65535] }],
  ['response with all sections', { id: 15, flags: R, qd: [{ name: 'example.com', type: 1 }], an: [{ name: ptr(12), type: 1, rdata: ipv4('1.2.3.4') }], ns: [{ name: ptr(12), type: 2, rdata: [2, 0x6e, 0x73, ...ptr(12)] }], ar: [{ name: [2, 0x6e, 0x73, ...ptr(12)], type: 1, rdata: ipv4('5.6.7.8') }, { name: [0], type: 41, cls: 4096, ttl: 0, rdata: [] }] }],
];

function udp(msg: Uint8Array, sport = 33000, dport = 53): Uint8Array {
  return udpFrame({ src: '192.0.2.1', dst: '192.0.2.53', sport, dport, payload: msg });
}
function tcp(payload: Uint8Array, sport = 33001, dport = 53): Uint8Array {
  return tcpFrame({ src: '192.0.2.1', dst: '192.0.2.53', sport, dport, seq: 1000, ack: 2000, flags: TH_ACK | TH_PUSH, payload });
}

function all(root: FieldNode, name: string, out: FieldNode[] = []): FieldNode[] {
  if (root.name === name) out.push(root);
  for (const c of root.children ?? []) all(c, name, out);
  return out;
}

describe('DNS decoder', () => {
  it('reports header, flags, question and answer with their byte ranges', () => {
    const frame = udp(dnsMessage(MESSAGES[1][1]));
    const { root } = tree(frame);
    const base = 14 + 20 + 8;
    const id = findField(root, 'dns.id')!;
    assert.deepEqual([id.offset, id.length, id.value], [base, 2, 0x1234]);
    const resp = findField(root, 'dns.flags.response')!;
    assert.deepEqual([resp.offset, resp.length, resp.value, resp.bitmask], [base + 2, 2, true, 0x8000]);
    assert.equal(findField(root, 'dns.flags.rcode')!.value, 0);
    const qn = findField(root, 'dns.qry.name')!;
    assert.deepEqual([qn.offset, qn.length, qn.value], [base + 12, 13, 'example.com']);
    assert.deepEqual([findField(root, 'dns.qry.type')!.offset, findField(root, 'dns.qry.type')!.value], [base + 25, 1]);
    const rn = findField(root, 'dns.resp.name')!;
    // a compressed name covers only its 2-byte pointer in place
    assert.deepEqual([rn.offset, rn.length, rn.value], [base + 29, 2, 'example.com']);
    const a = findField(root, 'dns.a')!;
    assert.deepEqual([a.offset, a.length, a.value], [base + 29 + 12, 4, '93.184.216.34']);
    assert.equal(findField(root, 'dns.resp.ttl')!.value, 300);
  });

  it('follows pointers inside record data (CNAME, MX, SRV, SOA) and reads AAAA and TXT', () => {
    const names = new Set(['dns.cname', 'dns.a', 'dns.aaaa', 'dns.mx.mail_exchange', 'dns.mx.preference', 'dns.txt', 'dns.srv.target', 'dns.srv.port', 'dns.soa.mname', 'dns.soa.rname', 'dns.soa.serial_number', 'dns.flags.rcode']);
    const got = (i: number): Record<string, string[]> => Object.fromEntries(fieldValues(tree(udp(dnsMessage(MESSAGES[i][1]))).root, names));
    assert.deepEqual(got(2), { 'dns.flags.rcode': ['0'], 'dns.cname': ['web.www.example.org'.replace('web.www', 'web')], 'dns.a': ['10.1.2.3'] });
    assert.deepEqual(got(4)['dns.aaaa'], ['2001:db8::1']);
    assert.deepEqual(got(5)['dns.mx.mail_exchange'], ['mail.example.com']);
    assert.deepEqual(got(5)['dns.mx.preference'], ['10']);
    assert.deepEqual(got(6)['dns.txt'], ['v=spf1 -all', 'x y']);
    assert.deepEqual([got(7)['dns.srv.target'], got(7)['dns.srv.port']], [['sip.example.com'], ['5060']]);
    assert.deepEqual([got(9)['dns.flags.rcode'], got(9)['dns.soa.mname'], got(9)['dns.soa.rname'], got(9)['dns.soa.serial_number']], [['3'], ['ns.example.com'], ['root.example.com'], ['1']]);
  });

  it('reads DNS over TCP after the 2-byte length, offsets shifted by 2', () => {
    const msg = dnsMessage(MESSAGES[0][1]);
    const { root } = tree(tcp(tcpDns(msg)));
    const base = 14 + 20 + 20;
    assert.deepEqual([findField(root, 'dns.length')!.offset, findField(root, 'dns.length')!.value], [base, msg.length]);
    assert.equal(findField(root, 'dns.id')!.offset, base + 2);
    assert.equal(findField(root, 'dns.qry.name')!.value, 'example.com');
  });

  it('stops on pointer loops, forward junk and lying counts without throwing, with a note', () => {
    const loop = tree(udp(dnsMessage(MESSAGES[15][1]))).root;
    const qn = findField(loop, 'dns.qry.name')!;
    assert.ok(JSON.stringify(loop).includes('compression pointer loop'), JSON.stringify(qn));
    const lie = tree(udp(dnsMessage(MESSAGES[16][1]))).root;
    assert.equal(all(lie, 'dns.qry').length, 1);
    assert.equal(all(lie, 'dns.rr').length, 0);
    // a name of 300 one-byte labels: cut at MAX_LABELS, not read to the end
    const flood: number[] = [];
    for (let i = 0; i < 300; i++) flood.push(1, 0x61);
    flood.push(0);
    const n = readName(Uint8Array.from(flood), 0, 0, flood.length);
    assert.equal(n.next, -1);
    assert.match(n.err, /labels/);
  });

  it('notes a message cut by the capture, with the same packet verdict as the fast path', () => {
    const f = udp(dnsMessage(MESSAGES[17][1]));
    const cut = f.slice(0, 14 + 20 + 8 + 40);
    const { pkt, root } = tree(cut, f.length);
    assert.match(JSON.stringify(root), /DNS message cut short by the capture: 40 of \d+ bytes/);
    const fast = decodeFrame(new DecodedPacket(), cut, f.length, 1);
    assert.deepEqual([pkt.truncated, pkt.malformed, pkt.problem], [fast.truncated, fast.malformed, fast.problem]);
  });

  it('never throws on random bytes after a DNS header (fuzz, 2000 cases)', () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
    for (let i = 0; i < 2000; i++) {
      const len = 12 + (rnd() % 80);
      const m = new Uint8Array(len);
      for (let k = 0; k < len; k++) m[k] = rnd();
      // make names likely: pointers and short labels
      for (let k = 12; k < len; k += 7) m[k] = rnd() & 1 ? 0xc0 : rnd() & 7;
      const f = i & 1 ? udp(m) : tcp(tcpDns(m));
      tree(f, f.length);
      tree(f.slice(0, 14 + 20 + 8 + (i % len)), f.length);
    }
  });

  it('exports its filter fields, found in the registry list', () => {
    const names = new Set(appFields().map((f) => f.name));
    for (const f of ['dns.id', 'dns.flags.response', 'dns.flags.rcode', 'dns.qry.name', 'dns.qry.type', 'dns.a', 'dns.aaaa', 'dns.cname']) assert.ok(names.has(f), f);
    assert.equal(DNS_FIELDS.length, new Set(DNS_FIELDS.map((f) => f.name)).size);
  });
});

describe('DNS Info text (Wireshark style)', () => {
  const info = (m: Message, t: 'udp' | 'tcp' = 'udp'): string => appInfo(tree(t === 'udp' ? udp(dnsMessage(m)) : tcp(tcpDns(dnsMessage(m)))).pkt);
  it('names the query and the answers', () => {
    assert.equal(info(MESSAGES[0][1]), 'Standard query 0x1234 A example.com');
    assert.equal(info(MESSAGES[1][1]), 'Standard query response 0x1234 A example.com A 93.184.216.34');
    assert.equal(info(MESSAGES[2][1]), 'Standard query response 0x0007 A www.example.org CNAME web.example.org A 10.1.2.3');
    assert.equal(info(MESSAGES[9][1]), 'Standard query response 0x0006 No such name A nope.example.com SOA ns.example.com');
    assert.equal(info(MESSAGES[10][1]), 'Standard query 0x0008 A example.com OPT');
    assert.equal(info(MESSAGES[0][1], 'tcp'), 'Standard query 0x1234 A example.com');
  });
});

describe('DNS printer', () => {
  for (const [test, opts] of [['dns_tcp', []], ['dns_tcp-v', ['-v']], ['dns_tcp-vv', ['-vv']]] as [string, string[]][]) {
    it(`prints the corpus's ${test} exactly as the stored tcpdump text`, async function () {
      needCorpus(this);
      const { PacketPrinter } = await import('../src/core/print/packet');
      const { parsePrintArgs } = await import('../src/cli');
      const { readAll } = await import('./helpers/corpus');
      const file = corpusPath('tcpdump', 'dns_tcp.pcap');
      const saved = process.env.TZ;
      process.env.TZ = 'GMT0';
      try {
        const { opts: po } = parsePrintArgs(['-#', '-n', '-tttt', ...opts, file]);
        const printer = new PacketPrinter(po);
        const { records } = await readAll(file);
        const ours = records.map((r) => printer.print(r)).join('');
        assert.equal(ours, fs.readFileSync(corpusPath('tcpdump', test + '.out'), 'utf8'));
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  }

  describe('same text as the installed tcpdump on generated DNS', function () {
    this.timeout(30000);
    let file = '';
    let dir = '';
    before(function () {
      needTool(this, 'tcpdump');
      const frames: { frame: Uint8Array; caplen?: number }[] = [];
      for (const [, m] of MESSAGES) {
        const msg = dnsMessage(m);
        frames.push({ frame: udp(msg) });
        frames.push({ frame: tcp(tcpDns(msg)) });
      }
      const resp = dnsMessage(MESSAGES[17][1]);
      // cut by the capture in the answer section, and in the header
      frames.push({ frame: udp(resp), caplen: 14 + 20 + 8 + 40 });
      frames.push({ frame: udp(resp), caplen: 14 + 20 + 8 + 6 });
      frames.push({ frame: tcp(tcpDns(resp)), caplen: 14 + 20 + 20 + 50 });
      // a TCP length prefix that disagrees, a message shorter than a header
      frames.push({ frame: tcp(tcpDns(resp, resp.length + 5)) });
      frames.push({ frame: udp(resp.slice(0, 5)) });
      // mDNS: QU question, cache-flush answer; IPv6
      frames.push({ frame: udpFrame({ src: '192.0.2.1', dst: '224.0.0.251', sport: 5353, dport: 5353, payload: dnsMessage({ id: 0, flags: 0, qd: [{ name: 'printer.local', type: 12, cls: 0x8001 }] }) }) });
      frames.push({ frame: udpFrame({ src: '192.0.2.9', dst: '224.0.0.251', sport: 5353, dport: 5353, payload: dnsMessage({ id: 0, flags: 0x8400, an: [{ name: 'printer.local', type: 1, cls: 0x8001, ttl: 120, rdata: ipv4('192.0.2.9') }] }) }) });
      frames.push({ frame: udpFrame({ src: '2001:db8::1', dst: '2001:db8::53', sport: 40000, dport: 53, payload: dnsMessage(MESSAGES[3][1]) }) });
      ({ file, dir } = writePcap(frames));
    });
    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
    for (const opts of [[], ['-v'], ['-vv'], ['-vvv']]) {
      it(opts.join(' ') || '(no options)', async () => {
        const [a, b] = await printBoth(file, opts);
        const diffs = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
        assert.equal(a.length, b.length);
        assert.deepEqual(diffs, []);
      });
    }
  });
});

describe('DNS fields against tshark on the corpus', function () {
  this.timeout(120000);
  it('dns.qry.name/type, dns.flags.rcode, dns.id, dns.a, dns.aaaa, dns.cname: equal, or listed in test/app-tshark-differences.tsv', async function () {
    needCorpus(this);
    needTool(this, 'tshark');
    const known = readDiffTsv('app-tshark-differences.tsv');
    let compared = 0;
    let files = 0;
    const diffs: FieldDiff[] = [];
    for (const rel of corpusCaptures(CORPUS!)) {
      // only captures where our port table finds DNS go to tshark
      if (!(await carriesPorts(corpusPath(rel), [17, 6], [53, 5353]))) continue;
      files++;
      const r = await compareWithTshark(corpusPath(rel), 'dns', ['dns.id', 'dns.flags.response', 'dns.flags.rcode', 'dns.qry.name', 'dns.qry.type', 'dns.a', 'dns.aaaa', 'dns.cname'], rel);
      compared += r.compared;
      diffs.push(...r.diffs);
    }
    const unexplained = diffs.filter((d) => !known.has(d.capture + '#' + d.frame + ' ' + d.field));
    console.log(`      DNS vs tshark: ${files} captures, ${compared - diffs.length}/${compared} field values equal; ${diffs.length} listed differences`);
    if (process.env.APP_TSHARK_DIFFS) for (const d of unexplained) console.log([d.capture, d.frame, d.field, d.ours, d.tshark, ''].join('\t'));
    assert.deepEqual(unexplained, []);
  });
});
