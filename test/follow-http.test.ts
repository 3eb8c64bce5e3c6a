/**
 * HTTP/1.x over a followed stream (src/core/follow/http.ts): messages rebuilt across segments on generated
 * captures (a body over three segments, chunked with split size lines, gzip and deflate, HEAD, a gap in a
 * body, a gzip bomb, a stream that is not HTTP), the `follow --http` command, and tshark's
 * http.response.code / http.content_length / http.file_data on the corpus's HTTP captures.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleTranslator } from '../src/core/explain/l10n';
import { httpProblemText } from '../src/core/explain/httpFollow';
import { httpMessages, httpStreamDecoder, type HttpMessage } from '../src/core/follow/http';
import { httpFollowText } from '../src/core/follow/httpText';
import { annotatedFollow } from '../src/core/follow/render';
import { nodeInflate } from '../src/node/httpInflate';
import { CORPUS, corpusPath, needCorpus } from './helpers/corpus';
import { carriesPorts, corpusCaptures, readDiffTsv } from './helpers/appCheck';
import { followAll, type Followed } from './helpers/follow';
import { httpCases } from './helpers/httpCaptures';
import { needTool } from './helpers/tools';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('latin1');

describe('Follow: HTTP messages across segments (generated captures)', function () {
  let dir: string;
  let pcap: string;
  let f: Followed;
  let texts: Record<string, string>;
  const msgs = (n: number): HttpMessage[] => httpMessages(f.follow.stream(n)!, f.frame, { inflate: nodeInflate });

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-http-'));
    pcap = path.join(dir, 'http.pcap');
    const c = httpCases();
    texts = c.texts;
    fs.writeFileSync(pcap, c.pcap);
    f = await followAll(pcap);
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a request body over three segments and a response body over two: whole, with their first and last packets', function () {
    const [req, resp] = msgs(0);
    assert.equal(req.startLine, 'POST /upload HTTP/1.1');
    assert.equal(req.method, 'POST');
    assert.equal(req.uri, '/upload');
    assert.deepEqual(req.headers[0], { name: 'Host', value: 'example.com' });
    assert.equal(req.framing, 'content-length');
    assert.equal(text(req.bodyBytes), texts.post);
    // packets 4, 5, 6 (indices 3..5) carry the request; the server's ACK is index 6
    assert.equal(req.firstPacket, 3);
    assert.equal(req.lastPacket, 5);
    assert.deepEqual(req.problems, []);
    assert.equal(resp.direction, 'response');
    assert.equal(resp.status, 200);
    assert.equal(text(resp.bodyBytes), texts.ok);
    assert.equal(resp.firstPacket, 7);
    assert.equal(resp.lastPacket, 8);
    assert.equal(resp.pos, 0);
    assert.equal(resp.length, resp.headerLength + texts.ok.length);
  });

  it('chunked: size lines split between segments, extensions and a trailer: the body de-chunked', function () {
    const [, resp] = msgs(1);
    assert.equal(resp.framing, 'chunked');
    assert.equal(text(resp.bodyBytes), texts.chunk);
    assert.ok(resp.bodyWireLength > texts.chunk.length);
    assert.equal(resp.pos + resp.length, f.follow.stream(1)!.delivered[1], 'the message ends after the trailer, at the end of the direction');
    assert.deepEqual(resp.problems, []);
    assert.ok(resp.lastPacket > resp.firstPacket);
  });

  it('gzip (chunked) and deflate bodies decoded; a HEAD response has no body; pipelined requests paired in order', function () {
    const m = msgs(2);
    assert.deepEqual(
      m.map((x) => x.startLine),
      ['GET /gz HTTP/1.1', 'GET /def HTTP/1.1', 'HEAD /h HTTP/1.1', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'],
    );
    const [gz, def, head] = m.slice(3);
    assert.deepEqual(gz.contentCoding, ['gzip']);
    assert.equal(text(gz.decodedBody), texts.gz);
    assert.ok(gz.bodyBytes.length < texts.gz.length / 3, 'bodyBytes is what was sent, still compressed');
    assert.equal(text(def.decodedBody), texts.def);
    assert.equal(head.framing, 'none');
    assert.equal(head.bodyBytes.length, 0);
    assert.deepEqual(head.problems, [], 'Content-Length: 12345 of a HEAD response announces no body');
    for (const x of m) assert.deepEqual(x.problems, []);
  });

  it('a gap in a body: reported with its size, zeros in its place, and the next response still read', function () {
    const m = msgs(3);
    const resp = m.find((x) => x.startLine === 'HTTP/1.1 200 OK')!;
    assert.equal(resp.bodyBytes.length, 100);
    assert.equal(text(resp.bodyBytes), 'x'.repeat(40) + '\0'.repeat(30) + 'z'.repeat(30));
    assert.deepEqual(resp.problems.map((p) => [p.kind, p.params[0]]), [['body-missing', 30]]);
    assert.deepEqual(resp.bodyGaps, [[40, 70]]);
    assert.equal(httpProblemText(resp.problems[0], (s, ...a) => s.replace(/\{(\d)\}/g, (_m, i: string) => String(a[+i]))), '30 bytes of the body were not captured (zeros in their place)');
    const next = m.find((x) => x.status === 404)!;
    assert.equal(text(next.bodyBytes), 'nope');
  });

  it('a gzip body with a gap is not decoded, and says why', function () {
    const resp = msgs(6).find((x) => x.dir === 1)!;
    assert.equal(resp.decodedBody, undefined);
    assert.deepEqual(resp.problems.map((p) => p.kind), ['body-missing', 'not-decoded-missing']);
  });

  it('a gzip bomb (10 MiB of zeros in ~10 KB) stops at the cap with a clear message', function () {
    const resp = msgs(4).find((x) => x.dir === 1)!;
    assert.ok(resp.bodyBytes.length < 20000);
    assert.equal(resp.decodedBody, undefined);
    const p = resp.problems.find((x) => x.kind === 'decode-capped');
    assert.ok(p, JSON.stringify(resp.problems));
    const en = httpProblemText(p, (s, ...a) => s.replace(/\{(\d)\}/g, (_m, i: string) => String(a[+i])));
    assert.match(en, /^the body \(gzip\) is not decoded: it would decompress to more than 1 MiB from \d+ bytes, .*"decompression bomb"/);
    // a larger cap lets the same body through: the cap, not damage, stopped it
    const big = httpMessages(f.follow.stream(4)!, f.frame, { inflate: nodeInflate, limits: { floorBytes: 11 << 20, maxRatio: 100, maxBytes: 16 << 20 } });
    assert.equal(big.find((x) => x.dir === 1)!.decodedBody?.length, 10 << 20);
  });

  it('a stream that is not HTTP gives no messages; without an inflater a compressed body says so', function () {
    assert.deepEqual(msgs(5), []);
    const gz = httpMessages(f.follow.stream(2)!, f.frame).find((x) => x.dir === 1)!;
    assert.equal(gz.decodedBody, undefined);
    assert.deepEqual(gz.problems.map((p) => p.kind), ['no-inflate']);
  });

  it('a direction longer than the limit is read up to it and says so', function () {
    const m = httpMessages(f.follow.stream(0)!, f.frame, { maxDirectionBytes: 100 });
    const req = m.find((x) => x.dir === 0)!;
    assert.deepEqual(req.problems.map((p) => p.kind), ['direction-too-long']);
  });

  it('annotatedFollow names the messages where they start (as a StreamDecoder)', function () {
    const s = f.follow.stream(2)!;
    const list = httpStreamDecoder({ inflate: nodeInflate }).decode(s, f.frame);
    const out = [...annotatedFollow(s, f.frame, undefined, undefined, { messages: { protocol: 'HTTP', list } })].join('');
    assert.match(out, /\n== HTTP GET \/gz HTTP\/1\.1\n/);
    assert.match(out, /\n\t== HTTP HTTP\/1\.1 200 OK\n/);
  });

  it('the text form: capture order, decoded body, problems in English and Chinese', function () {
    const s = f.follow.stream(3)!;
    const en = [...httpFollowText(3, msgs(3), undefined)].join('');
    assert.match(en, /^HTTP on TCP stream 3\n2 requests, 2 responses\n/);
    assert.match(en, /\n< HTTP\/1\.1 200 OK {4}\[#\d+–#\d+, offset 0, 140 bytes\]\n/);
    assert.match(en, /\n< \(body: 100 bytes\)\n< x{40}\n< \[30 bytes not captured\]\n< z{30}\n< ! 30 bytes of the body were not captured \(zeros in their place\)\n/);
    const bundle = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const zh = [...httpFollowText(3, httpMessages(s, f.frame), undefined, { t: bundleTranslator(bundle) })].join('');
    assert.match(zh, /\n< ! 消息体有 30 字节未被捕获（以零代替）\n/);
  });

  it('capture-lens follow --http prints requests and responses with decoded bodies; --http with --hex is refused', function () {
    const r = spawnSync(process.execPath, [CLI, 'follow', pcap, '--stream', '2', '--http'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\n> GET \/gz HTTP\/1\.1 {4}\[#/);
    assert.match(r.stdout, /\n< \(body: [\d,]+ bytes, chunked: [\d,]+ on the wire, gzip → 20,000 bytes decoded\)\n< <p>line 0: the quick brown fox<\/p>\n/);
    const bomb = spawnSync(process.execPath, [CLI, 'follow', pcap, '--stream', '4', '--http', '--direction', 'server'], { encoding: 'utf8' });
    assert.equal(bomb.status, 0);
    assert.match(bomb.stdout, /< ! the body \(gzip\) is not decoded: it would decompress to more than 1 MiB/);
    assert.doesNotMatch(bomb.stdout, /^> /m);
    const both = spawnSync(process.execPath, [CLI, 'follow', pcap, '--stream', '2', '--http', '--hex'], { encoding: 'utf8' });
    assert.equal(both.status, 2);
  });
});

describe('Follow HTTP on hostile streams', function () {
  it('random HTTP-like bytes (start lines, chunk sizes, lengths, codings, binary) never throw; messages tile each direction in order', async function () {
    const { HttpConn, pcapOf, bytes, concat, gzip } = await import('./helpers/httpCaptures');
    const { prng } = await import('../src/core/synth/conversations');
    const rnd = prng(13);
    const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
    const pieces = [
      'HTTP/1.1 200 OK\r\n', 'GET / HTTP/1.1\r\n', 'HEAD /x HTTP/1.0\r\n', 'Content-Length: 5\r\n', 'Content-Length: 99999999\r\n', 'Content-Length: x\r\n',
      'Transfer-Encoding: chunked\r\n', 'Content-Encoding: gzip\r\n', 'Content-Encoding: deflate, br\r\n', '\r\n', '\n', 'ffffffffffffff\r\n', '5;a=b\r\n', '0\r\n\r\n',
      'abcde', '\r\n\r\n', 'HTTP/1.1 101 Switching\r\n\r\n', ' folded\r\n',
    ];
    const frames: Uint8Array[] = [];
    for (let c = 0; c < 40; c++) {
      const conn = new HttpConn(41000 + c);
      for (let m = 0; m < 6; m++) {
        // mostly a start line of the right side first, so that parsing goes on past the first message
        const parts: Uint8Array[] = rnd() < 0.8 ? [bytes(m % 2 === 0 ? 'GET / HTTP/1.1\r\n' : 'HTTP/1.1 200 OK\r\n')] : [];
        for (let k = 0, n = 1 + Math.floor(rnd() * 12); k < n; k++) parts.push(rnd() < 0.1 ? gzip(pick(pieces)).subarray(0, 1 + Math.floor(rnd() * 20)) : bytes(pick(pieces)));
        const b = concat(...parts);
        const cuts = [Math.floor(rnd() * b.length)];
        conn.data(m % 2 === 0 ? 0 : 1, b, cuts, rnd() < 0.2 ? [0] : []);
      }
      frames.push(...conn.close().frames);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-http-'));
    try {
      const file = path.join(dir, 'fuzz.pcap');
      fs.writeFileSync(file, pcapOf(frames));
      const f = await followAll(file);
      let total = 0;
      for (let n = 0; n < f.streamCount; n++) {
        const s = f.follow.stream(n)!;
        const msgs = httpMessages(s, f.frame, { inflate: nodeInflate });
        total += msgs.length;
        for (const d of [0, 1] as const) {
          let at = 0;
          for (const m of msgs.filter((x) => x.dir === d)) {
            assert.ok(m.pos >= at && m.length >= 0, `stream ${n}: message at ${m.pos} after ${at}`);
            at = m.pos + m.length;
            assert.ok(at <= s.delivered[d] + s.missing[d], `stream ${n}: message ends past its direction`);
            for (const p of m.problems) assert.equal(typeof httpProblemText(p, (x) => x), 'string');
          }
        }
        [...httpFollowText(n, msgs, undefined)].join('');
      }
      assert.ok(total > 40, 'some messages were read: ' + total);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** tshark's string form of http.file_data (Wireshark 4.0 format_text: C escapes, \xhh for other bytes). */
function tsharkText(b: Uint8Array): string {
  const esc: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  let s = '';
  for (const c of b) s += esc[c] ?? (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\\x' + c.toString(16).padStart(2, '0'));
  return s;
}

describe('Follow HTTP against tshark on the corpus', function () {
  this.timeout(120000);
  it('http.response.code, http.content_length, http.file_data of every message tshark completes: equal, or listed in test/http-follow-differences.tsv', async function () {
    needCorpus(this);
    needTool(this, 'tshark');
    const known = readDiffTsv('http-follow-differences.tsv');
    let files = 0;
    let compared = 0;
    const diffs: string[] = [];
    for (const rel of corpusCaptures(CORPUS!)) {
      if (!(await carriesPorts(corpusPath(rel), [6], [80, 8080]))) continue;
      files++;
      const fields = ['http.request.method', 'http.response.code', 'http.content_length', 'http.file_data'];
      const ts = spawnSync('tshark', ['-n', '-r', corpusPath(rel), '-Y', 'http.request or http.response', '-T', 'fields', '-E', 'occurrence=f', '-e', 'frame.number', ...fields.flatMap((x) => ['-e', x])], { encoding: 'latin1', maxBuffer: 1 << 26 });
      assert.equal(ts.status, 0, ts.stderr);
      const f = await followAll(corpusPath(rel));
      // our messages by the frame that completes them (tshark reports a reassembled message there)
      // (a message cut short by the capture: where it starts, where tshark dissects what there is of it)
      const byFrame = new Map<number, HttpMessage>();
      for (let n = 0; n < f.streamCount; n++) {
        const s = f.follow.stream(n);
        if (s) for (const m of httpMessages(s, f.frame, { inflate: nodeInflate })) if (m.startLine) byFrame.set((m.headerLength === 0 ? m.firstPacket : m.lastPacket) + 1, m);
      }
      for (const line of ts.stdout.split('\n')) {
        if (!line) continue;
        const [frame, method, code, cl, data] = line.split('\t');
        const m = byFrame.get(Number(frame));
        const ours = m ? [m.method ?? '', m.status !== undefined ? String(m.status) : '', m.headers.some((h) => h.name.toLowerCase() === 'content-length') ? String(Number(m.headers.find((h) => h.name.toLowerCase() === 'content-length')!.value)) : '', tsharkText(m.decodedBody ?? (m.contentCoding ? new Uint8Array(0) : m.bodyBytes))] : ['(no message ends here)', '', '', ''];
        const theirs = [method, code, cl, data ?? ''];
        compared++;
        const names = ['method', 'code', 'content_length', 'file_data'];
        for (let k = 0; k < 4; k++) {
          if (ours[k] === theirs[k]) continue;
          const key = rel + '#' + frame + ' ' + names[k];
          if (!known.has(key)) diffs.push([rel, frame, names[k], ours[k].slice(0, 80), theirs[k].slice(0, 80)].join('\t'));
        }
      }
    }
    console.log(`      Follow HTTP vs tshark: ${files} captures, ${compared} messages compared`);
    assert.deepEqual(diffs, []);
  });
});
