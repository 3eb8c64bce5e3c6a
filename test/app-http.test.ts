/**
 * HTTP/1.x (src/core/decode/app/http.ts, src/core/print/app/http.ts + txtproto.ts): request/status
 * line and header fields with byte ranges on generated segments, the Info text, the printer against
 * the corpus's stored tcpdump text and the installed tcpdump, and the fields against tshark on every
 * corpus capture carrying HTTP on port 80/8080.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, corpusPath, needCorpus, readAll } from './helpers/corpus';
import { needTool } from './helpers/tools';
import { carriesPorts, compareWithTshark, corpusCaptures, FieldDiff, printBoth, readDiffTsv, tree, writePcap } from './helpers/appCheck';
import { tcpFrame } from '../src/core/synth/frames';
import { DecodedPacket, TH_ACK, TH_PUSH } from '../src/core/decode/packet';
import { decodeFrame } from '../src/core/decode/index';
import { findField } from '../src/core/decode/fields';
import { appInfo } from '../src/core/decode/app/index';

const enc = (s: string): Uint8Array => Uint8Array.from(Array.from(s, (c) => c.charCodeAt(0)));
function seg(payload: string | Uint8Array, dport = 80, sport = 40000): Uint8Array {
  return tcpFrame({ src: '192.0.2.1', dst: '192.0.2.80', sport, dport, seq: 1, ack: 1, flags: TH_ACK | TH_PUSH, payload: typeof payload === 'string' ? enc(payload) : payload });
}
const BASE = 14 + 20 + 20;
const GET = 'GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n';
const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nServer: test\r\n\r\nhello';

describe('HTTP decoder', () => {
  it('reports the request line and headers with their byte ranges', () => {
    const { root } = tree(seg(GET));
    const m = findField(root, 'http.request.method')!;
    assert.deepEqual([m.offset, m.length, m.value], [BASE, 3, 'GET']);
    const u = findField(root, 'http.request.uri')!;
    assert.deepEqual([u.offset, u.length, u.value], [BASE + 4, 15, '/index.html?q=1']);
    const v = findField(root, 'http.request.version')!;
    assert.deepEqual([v.offset, v.length, v.value], [BASE + 20, 8, 'HTTP/1.1']);
    const h = findField(root, 'http.host')!;
    assert.deepEqual([h.offset, h.length, h.value], [BASE + 30 + 6, 11, 'example.com']);
    assert.equal(findField(root, 'http.user_agent')!.value, 'curl/8.0');
    assert.ok(findField(root, 'http.end_of_headers'));
  });

  it('reports the status line, content type and length, and the body in the segment', () => {
    const { root } = tree(seg(OK, 40000, 80));
    const c = findField(root, 'http.response.code')!;
    assert.deepEqual([c.offset, c.length, c.value], [BASE + 9, 3, 200]);
    assert.equal(findField(root, 'http.response.phrase')!.value, 'OK');
    assert.equal(findField(root, 'http.response.version')!.value, 'HTTP/1.1');
    assert.equal(findField(root, 'http.content_type')!.value, 'text/html');
    assert.equal(findField(root, 'http.content_length')!.value, 5);
    const body = findField(root, 'http.file_data')!;
    assert.deepEqual([body.offset, body.length], [BASE + OK.length - 5, 5]);
  });

  it('calls a segment that starts with neither a request nor a status line a continuation', () => {
    const { root } = tree(seg('<html>body</html>'));
    assert.equal(findField(root, 'http.request.method'), undefined);
    assert.ok(findField(root, 'http.continuation'));
  });

  it('stops at the captured end and never throws on random bytes (2000 cases)', () => {
    const f = seg(GET);
    const cut = tree(f.slice(0, BASE + 10), f.length).root;
    assert.equal(findField(cut, 'http.request.method'), undefined); // first line incomplete: no version seen
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
    for (let i = 0; i < 2000; i++) {
      const p = enc(i & 1 ? GET : OK);
      for (let k = 0; k < 4; k++) p[rnd() % p.length] = rnd();
      const fr = seg(p);
      tree(fr.slice(0, BASE + (i % p.length)), fr.length);
      tree(fr);
    }
  });

  it('gives Wireshark-like Info text', () => {
    assert.equal(appInfo(tree(seg(GET)).pkt), 'GET /index.html?q=1 HTTP/1.1');
    assert.equal(appInfo(tree(seg(OK, 40000, 80)).pkt), 'HTTP/1.1 200 OK');
    assert.equal(appInfo(tree(seg('xyz')).pkt), 'Continuation');
    // the fast path (no sink) leaves Info to appInfo, which decodes on demand
    const pkt = decodeFrame(new DecodedPacket(), seg(GET), seg(GET).length, 1);
    assert.equal(appInfo(pkt), 'GET /index.html?q=1 HTTP/1.1');
  });
});

describe('HTTP printer', () => {
  it("prints the corpus's print-x capture's HTTP lines as the stored tcpdump text", async function () {
    needCorpus(this);
    const { PacketPrinter } = await import('../src/core/print/packet');
    const { parsePrintArgs } = await import('../src/cli');
    const saved = process.env.TZ;
    process.env.TZ = 'GMT0';
    try {
      for (const [test, file, opts] of [['print-x', 'print-flags.pcap', ['-x']], ['ipv4_tcp_http_xml', 'ipv4_tcp_http_xml.pcap', ['-v']]] as [string, string, string[]][]) {
        const capture = corpusPath('tcpdump', file);
        const { opts: po } = parsePrintArgs(['-#', '-n', '-tttt', ...opts, capture]);
        const printer = new PacketPrinter(po);
        const { records } = await readAll(capture);
        assert.equal(records.map((r) => printer.print(r)).join(''), fs.readFileSync(corpusPath('tcpdump', test + '.out'), 'utf8'), test);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  describe('same text as the installed tcpdump on generated HTTP', function () {
    this.timeout(30000);
    let file = '';
    let dir = '';
    before(function () {
      needTool(this, 'tcpdump');
      // every payload ends with a line ending (or is cut by the capture): at a payload's end without one,
      // tcpdump 4.99.3 prints " [|http]" and HEAD (the corpus's .out files, our target) does not
      const frames: { frame: Uint8Array; caplen?: number }[] = [
        { frame: seg(GET) },
        { frame: seg(OK + '\r\n', 40000, 80) },
        { frame: seg('POST /api HTTP/1.0\r\nContent-Length: 4\r\n\r\n{}\r\n', 8080) },
        { frame: seg('get / HTTP/1.1\r\n\r\n') },
        { frame: seg('HTTP/1.1 404\r\n\r\n', 40000, 80) },
        { frame: seg('HTTP/1.1 2000 Nope\r\n', 40000, 80) },
        { frame: seg('FOO / HTTP/1.1\r\n') },
        { frame: seg('GET /\rX HTTP/1.1\r\n') },
        { frame: seg('GET /a\nHost: x\n\n') },
        { frame: seg('<html>\r\n<body>\r\n') },
        { frame: seg(Uint8Array.from([1, 2, 3, 4, 5])) },
        { frame: seg('OPTIONS * HTTP/1.1\r\nHost:\tx\r\n\r\n\x01binary') },
        { frame: seg(GET), caplen: BASE + 10 },
        { frame: seg(GET), caplen: BASE + 40 },
        { frame: seg(GET), caplen: BASE + 2 },
      ];
      ({ file, dir } = writePcap(frames));
    });
    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
    for (const opts of [[], ['-v'], ['-vv']]) {
      it(opts.join(' ') || '(no options)', async () => {
        const [a, b] = await printBoth(file, opts);
        assert.deepEqual(a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y), []);
        assert.equal(a.length, b.length);
      });
    }
  });
});

describe('HTTP fields against tshark on the corpus', function () {
  this.timeout(120000);
  it('http.request.method/uri/version, http.host, http.response.code/phrase: equal, or listed in test/app-tshark-differences.tsv', async function () {
    needCorpus(this);
    needTool(this, 'tshark');
    const known = readDiffTsv('app-tshark-differences.tsv');
    let compared = 0;
    let files = 0;
    const diffs: FieldDiff[] = [];
    for (const rel of corpusCaptures(CORPUS!)) {
      if (!(await carriesPorts(corpusPath(rel), [6], [80, 8080]))) continue;
      files++;
      const r = await compareWithTshark(corpusPath(rel), 'http.request or http.response', ['http.request.method', 'http.request.uri', 'http.request.version', 'http.host', 'http.response.code', 'http.response.phrase'], rel);
      compared += r.compared;
      diffs.push(...r.diffs);
    }
    const unexplained = diffs.filter((d) => !known.has(d.capture + '#' + d.frame + ' ' + d.field));
    console.log(`      HTTP vs tshark: ${files} captures, ${compared - diffs.length}/${compared} field values equal; ${diffs.length} listed differences`);
    if (process.env.APP_TSHARK_DIFFS) for (const d of unexplained) console.log([d.capture, d.frame, d.field, d.ours, d.tshark, ''].join('\t'));
    assert.deepEqual(unexplained, []);
  });
});

describe('DNS and HTTP explanations (English and Chinese)', () => {
  it('explain the main fields in both languages, with the meaning of the value where it has one', async () => {
    const { explainAppField, bundleTranslator, formatEn } = await import('../src/core/explain/catalog');
    const bundle = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const zh = bundleTranslator(bundle);
    const names = ['dns', 'dns.id', 'dns.flags.response', 'dns.flags.rcode', 'dns.qry.name', 'dns.qry.type', 'dns.a', 'dns.aaaa', 'dns.cname', 'dns.resp.ttl', 'http', 'http.request.method', 'http.request.uri', 'http.host', 'http.response.code', 'http.content_type'];
    for (const n of names) {
      const en = explainAppField(n, null, formatEn)!;
      const cn = explainAppField(n, null, zh)!;
      assert.ok(en && en.text.length > 0, n);
      assert.ok(/[\u4e00-\u9fff]/.test(cn.text.join('')), n + ': ' + cn.text.join(''));
    }
    assert.match(explainAppField('dns.flags.rcode', 3, formatEn)!.text.join(' '), /NXDOMAIN/);
    assert.match(explainAppField('http.response.code', 404, zh)!.text.join(' '), /客户端错误/);
    assert.equal(explainAppField('tcp.flags', null, formatEn), null);
  });
});
