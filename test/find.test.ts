/**
 * Find in the capture (issue 17): the query's pure parts (src/core/find/query.ts: hex patterns, bounds,
 * KMP, the visiting order), the compiled matchers (src/worker/findMatcher.ts: text, hex, re2js regex
 * over bytes as latin1 and over Info), and the worker's search over a capture's views
 * (src/worker/find.ts: next / previous from the selected packet, wrapping, filtered order, problems,
 * cancel). A pathological regex stays linear (a ratio, as test/regex-linear.test.ts measures).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  checkFindQuery,
  FIND_MAX_PATTERN,
  Needle,
  parseHexBytes,
  visitOrder,
  type FindQuery,
} from '../src/core/find/query';
import { TH_ACK, TH_PUSH, TH_SYN } from '../src/core/decode/packet';
import { tcpFrame, udpFrame } from '../src/core/synth/frames';
import { connectionFilter } from '../src/core/filter/connection';
import { packetOfContext, parseFromWebview } from '../src/extension/capture/webviewMessages';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { FindService } from '../src/worker/find';
import { compileFind, latin1 } from '../src/worker/findMatcher';

const q = (
  pattern: string,
  mode: FindQuery['mode'] = 'text',
  scope: FindQuery['scope'] = 'bytes',
  caseSensitive = false,
): FindQuery => ({
  pattern,
  mode,
  scope,
  caseSensitive,
});

function matcher(query: FindQuery) {
  const c = compileFind(query);
  assert.ok(c.ok, `${query.pattern}: ${!c.ok ? JSON.stringify(c.problem) : ''}`);
  return c.ok ? c.matcher : (undefined as never);
}

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('find: patterns and bounds (src/core/find/query.ts)', () => {
  it('reads hex bytes with spaces, colons, 0x or nothing between them', () => {
    for (const s of ['de ad be ef', 'deadbeef', 'DE:AD:BE:EF', '0xdeadbeef', 'dead beef', ' de-ad-be-ef ']) {
      const h = parseHexBytes(s);
      assert.ok(h.ok, s);
      if (h.ok) assert.deepEqual([...h.bytes], [0xde, 0xad, 0xbe, 0xef], s);
    }
    const one = parseHexBytes('0 1 a');
    assert.ok(one.ok);
    if (one.ok) assert.deepEqual([...one.bytes], [0, 1, 10]);
  });

  it('refuses what is not hex bytes, saying where', () => {
    assert.deepEqual(parseHexBytes('de zz'), { ok: false, problem: { kind: 'hexDigit', at: 3 } });
    assert.deepEqual(parseHexBytes('dead bee'), { ok: false, problem: { kind: 'hexOdd', at: 5 } });
    assert.deepEqual(parseHexBytes('  '), { ok: false, problem: { kind: 'empty', at: 0 } });
    assert.equal(compileFind(q('dea', 'hex')).ok, false);
  });

  it('bounds the pattern: empty and longer than FIND_MAX_PATTERN are refused', () => {
    assert.deepEqual(checkFindQuery(q('')), { kind: 'empty', at: 0 });
    assert.equal(checkFindQuery(q('a'.repeat(FIND_MAX_PATTERN))), null);
    assert.deepEqual(checkFindQuery(q('a'.repeat(FIND_MAX_PATTERN + 1), 'regex')), {
      kind: 'tooLong',
      at: FIND_MAX_PATTERN,
      max: FIND_MAX_PATTERN,
    });
    const c = compileFind(q('a'.repeat(FIND_MAX_PATTERN + 1), 'regex'));
    assert.equal(c.ok, false);
  });

  it('KMP finds the first occurrence exactly where indexOf does (random strings over a small alphabet)', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let t = 0; t < 2000; t++) {
      const hay = Array.from({ length: rnd(40) }, () => 'ab'[rnd(2)]).join('');
      const pat = Array.from({ length: 1 + rnd(5) }, () => 'ab'[rnd(2)]).join('');
      assert.equal(new Needle(Buffer.from(pat), false).inBytes(Buffer.from(hay)), hay.indexOf(pat), `${pat} in ${hay}`);
      assert.equal(
        new Needle(
          [...pat].map((c) => c.charCodeAt(0)),
          false,
        ).inText(hay),
        hay.indexOf(pat),
      );
    }
  });

  it('visits from the one after the selected position to the end, then wraps round to it (backwards too)', () => {
    const seq = (count: number, from: number, back: boolean): string =>
      Array.from({ length: count }, (_, k) => visitOrder(count, from, back).at(k))
        .map((x) => `${x.pos}${x.wrapped ? 'w' : ''}`)
        .join(' ');
    assert.equal(seq(5, 2, false), '3 4 0w 1w 2w');
    assert.equal(seq(5, 2, true), '1 0 4w 3w 2w');
    assert.equal(seq(4, -1, false), '0 1 2 3');
    assert.equal(seq(4, -1, true), '3 2 1 0');
  });
});

describe('find: matchers (src/worker/findMatcher.ts)', () => {
  it('text: as UTF-8 bytes in the payload, ASCII case folded unless asked', () => {
    const d = bytes('\x00\x01GET /Index.html HTTP/1.1\r\n');
    assert.equal(matcher(q('index.HTML')).bytes(d), true);
    assert.equal(matcher(q('index.HTML', 'text', 'bytes', true)).bytes(d), false);
    assert.equal(matcher(q('Index.html', 'text', 'bytes', true)).bytes(d), true);
    assert.equal(matcher(q('POST')).bytes(d), false);
    assert.equal(matcher(q('é')).bytes(Uint8Array.from([0x41, 0xc3, 0xa9])), true);
  });

  it('hex: the bytes, anywhere in the frame', () => {
    const d = Uint8Array.from([1, 2, 0xde, 0xad, 0xbe, 0xef, 3]);
    assert.equal(matcher(q('de ad be ef', 'hex')).bytes(d), true);
    assert.equal(matcher(q('dead beef', 'hex')).bytes(d), true);
    assert.equal(matcher(q('adde', 'hex')).bytes(d), false);
  });

  it('regex over bytes: latin1, so every byte is one character (\\xff, \\x00, classes of bytes)', () => {
    const d = Uint8Array.from([0x10, 0xff, 0x00, 0x41, 0x80]);
    assert.equal(latin1(d), '\u0010\u00ff\u0000A\u0080');
    // longer than one 8 KiB step, every byte value: equal to Node's latin1 (the Web Worker has no Buffer)
    const big = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff);
    assert.equal(latin1(big), Buffer.from(big).toString('latin1'));
    assert.equal(matcher(q('\\xff\\x00A', 'regex')).bytes(d), true);
    assert.equal(matcher(q('[\\x80-\\xff]$', 'regex')).bytes(d), true);
    assert.equal(matcher(q('^\\x10.\\x00', 'regex')).bytes(d), true);
    assert.equal(matcher(q('\\xfe', 'regex')).bytes(d), false);
    assert.equal(matcher(q('get /\\w+', 'regex')).bytes(bytes('GET /x')), true);
    assert.equal(matcher(q('get /\\w+', 'regex', 'bytes', true)).bytes(bytes('GET /x')), false);
  });

  it('Info scope: text, regex and case on the Info string', () => {
    const info = 'Flags [S.], seq 0, ack 1, win 65160, length 0';
    assert.equal(matcher(q('flags [s.]', 'text', 'info')).text(info), true);
    assert.equal(matcher(q('flags [s.]', 'text', 'info', true)).text(info), false);
    assert.equal(matcher(q('win \\d{5},', 'regex', 'info')).text(info), true);
    assert.equal(matcher(q('win \\d{6}', 'regex', 'info')).text(info), false);
  });

  it('a regex the linear engine cannot run (back-reference, look-ahead) or a broken one is an error, not a throw', () => {
    for (const p of ['(a)\\1', '(?=a)b', '(a', 'a{2000}']) {
      const c = compileFind(q(p, 'regex'));
      assert.equal(c.ok, false, p);
      if (!c.ok) assert.equal(c.problem.kind, 'regex', p);
    }
  });

  it('(a*)*b over 100 kB of "a" stays linear: time(100 kB) / time(10 kB) well under quadratic', function () {
    const m = matcher(q('(a*)*b', 'regex'));
    const m2 = matcher(q('(x+x+)+y', 'regex'));
    const small = bytes('a'.repeat(10_000));
    const big = bytes('a'.repeat(100_000));
    const smallX = bytes('x'.repeat(10_000));
    const bigX = bytes('x'.repeat(100_000));
    const cpu = (f: () => void, reps: number): number => {
      let best = Infinity;
      for (let r = 0; r < 3; r++) {
        const t0 = process.cpuUsage();
        for (let k = 0; k < reps; k++) f();
        const u = process.cpuUsage(t0);
        best = Math.min(best, (u.user + u.system) / reps);
      }
      return best;
    };
    for (const [mm, a, b] of [
      [m, small, big],
      [m2, smallX, bigX],
    ] as const) {
      assert.equal(mm.bytes(b), false);
      const ts = cpu(() => mm.bytes(a), 20);
      const tb = cpu(() => mm.bytes(b), 2);
      // linear is ~10, quadratic ~100 (the limit of test/regex-linear.test.ts); a floor of 100 µs for the clock
      const ratio = tb / Math.max(ts, 100);
      assert.ok(ratio < 30, `ratio ${ratio.toFixed(1)} (10 kB ${ts} µs, 100 kB ${tb} µs)`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The search over a capture

const C = '10.0.0.1';
const S = '10.0.0.2';
/** Payloads of a small conversation (packet numbers 1-based in the comments), with a retransmission. */
function conversation(): Uint8Array[] {
  const f = (dir: 0 | 1, flags: number, seq: number, ack: number, payload?: string): Uint8Array =>
    tcpFrame({
      src: dir === 0 ? C : S,
      dst: dir === 0 ? S : C,
      sport: dir === 0 ? 40000 : 8080,
      dport: dir === 0 ? 8080 : 40000,
      seq,
      ack,
      flags,
      payload: payload === undefined ? undefined : Uint8Array.from(Buffer.from(payload, 'latin1')),
    });
  return [
    f(0, TH_SYN, 100, 0), // 1
    f(1, TH_SYN | TH_ACK, 500, 101), // 2
    f(0, TH_ACK, 101, 501), // 3
    f(0, TH_ACK | TH_PUSH, 101, 501, 'hello needle one\xde\xad\xbe\xef'), // 4 (20 bytes)
    f(1, TH_ACK, 501, 121), // 5
    f(1, TH_ACK | TH_PUSH, 501, 121, 'plain reply'), // 6 (11 bytes)
    f(0, TH_ACK, 121, 512), // 7
    f(0, TH_ACK | TH_PUSH, 121, 512, 'second NEEDLE two'), // 8 (17 bytes)
    f(0, TH_ACK | TH_PUSH, 121, 512, 'second NEEDLE two'), // 9: a retransmission
    f(1, TH_ACK, 512, 138), // 10
    udp('10.0.0.1', '10.0.0.3', 5000, 6000, 'udp one'), // 11
    udp('10.0.0.3', '10.0.0.1', 6000, 5000, 'udp two'), // 12
    udp('10.0.0.1', '10.0.0.3', 5001, 6000, 'other port'), // 13
    tcpFrame({ src: C, dst: S, sport: 40001, dport: 8080, seq: 7, flags: TH_SYN }), // 14: stream 1
    udp('fd00::1', 'fd00::2', 53000, 53, 'six'), // 15
  ];
}
function udp(src: string, dst: string, sport: number, dport: number, text: string): Uint8Array {
  return udpFrame({ src, dst, sport, dport, payload: Uint8Array.from(Buffer.from(text, 'latin1')) });
}

describe('find: searching a capture (src/worker/find.ts)', function () {
  this.timeout(20_000);
  let dir = '';
  let idx: CaptureIndex;
  let finder: FindService;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'find-test-'));
    const file = path.join(dir, 'find.pcap');
    const parts = [pcapHeader(1, false), ...conversation().map((fr, i) => pcapRecord(1000 + i, 0, fr))];
    fs.writeFileSync(file, Buffer.concat(parts));
    idx = new CaptureIndex(fileInput(file));
    await idx.start();
    finder = new FindService(idx, { batch: 3 });
  });

  after(async () => {
    await idx?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const all = { view: 0, backwards: false, infoStyle: 'tcpdump' as const };

  it('finds a string in a payload from the selected packet, then the next one, then wraps round', async () => {
    const first = await finder.find({ kind: 'query', query: q('needle') }, { ...all, from: -1 });
    assert.deepEqual(first, { status: 'found', position: 3, index: 3, wrapped: false, searched: 4 });
    const second = await finder.find({ kind: 'query', query: q('needle') }, { ...all, from: 3 });
    assert.equal(second.status === 'found' && second.index, 7);
    const third = await finder.find({ kind: 'query', query: q('needle') }, { ...all, from: 7 });
    assert.equal(third.status === 'found' && third.index, 8);
    const wrapped = await finder.find({ kind: 'query', query: q('needle') }, { ...all, from: 8 });
    assert.deepEqual(wrapped.status === 'found' && [wrapped.index, wrapped.wrapped], [3, true]);
    const back = await finder.find({ kind: 'query', query: q('needle') }, { ...all, from: 7, backwards: true });
    assert.deepEqual(back.status === 'found' && [back.index, back.wrapped], [3, false]);
    const backWrap = await finder.find({ kind: 'query', query: q('needle') }, { ...all, from: 3, backwards: true });
    assert.deepEqual(backWrap.status === 'found' && [backWrap.index, backWrap.wrapped], [8, true]);
  });

  it('case, hex and regex modes over the bytes; nothing found says how many packets were looked at', async () => {
    const cs = await finder.find({ kind: 'query', query: q('needle', 'text', 'bytes', true) }, { ...all, from: -1 });
    assert.equal(cs.status === 'found' && cs.index, 3);
    const csUpper = await finder.find(
      { kind: 'query', query: q('NEEDLE', 'text', 'bytes', true) },
      { ...all, from: -1 },
    );
    assert.equal(csUpper.status === 'found' && csUpper.index, 7);
    const hex = await finder.find({ kind: 'query', query: q('de ad be ef', 'hex') }, { ...all, from: 5 });
    assert.deepEqual(hex.status === 'found' && [hex.index, hex.wrapped], [3, true]);
    const re = await finder.find({ kind: 'query', query: q('second\\s+\\w+\\s+two', 'regex') }, { ...all, from: -1 });
    assert.equal(re.status === 'found' && re.index, 7);
    assert.deepEqual(await finder.find({ kind: 'query', query: q('absent') }, { ...all, from: 2 }), {
      status: 'notFound',
      searched: 15,
    });
  });

  it('Info scope reads the Info text shown (tcpdump or Wireshark wording), not the bytes', async () => {
    // "length 11" is in tcpdump's Info of packet 6 only; the payload's text is not in any Info
    const tcpdumpInfo = await finder.find(
      { kind: 'query', query: q('length 11', 'text', 'info') },
      { ...all, from: -1 },
    );
    assert.equal(tcpdumpInfo.status === 'found' && tcpdumpInfo.index, 5);
    assert.equal(
      (await finder.find({ kind: 'query', query: q('needle', 'text', 'info') }, { ...all, from: -1 })).status,
      'notFound',
    );
    const ws = await finder.find(
      { kind: 'query', query: q('Len=11', 'text', 'info') },
      { ...all, from: -1, infoStyle: 'wireshark' },
    );
    assert.equal(ws.status === 'found' && ws.index, 5);
    assert.equal(
      (await finder.find({ kind: 'query', query: q('Len=11', 'text', 'info') }, { ...all, from: -1 })).status,
      'notFound',
    );
  });

  it('searches the filtered view in its order and answers positions in it', async () => {
    const f = await idx.filter('tcp.len > 0');
    assert.ok(f.ok);
    if (!f.ok) return;
    assert.equal(f.count, 4); // packets 4, 6, 8, 9
    const r = await finder.find(
      { kind: 'query', query: q('needle') },
      { view: f.view, from: 0, backwards: false, infoStyle: 'tcpdump' },
    );
    assert.deepEqual(r.status === 'found' && [r.position, r.index], [2, 7]);
  });

  it('next / previous problem: the packets the list marks (the retransmission)', async () => {
    const next = await finder.find({ kind: 'problem' }, { ...all, from: 0 });
    assert.equal(next.status === 'found' && next.index, 8);
    const prev = await finder.find({ kind: 'problem' }, { ...all, from: 8, backwards: true });
    assert.deepEqual(prev.status === 'found' && [prev.index, prev.wrapped], [8, true]);
  });

  it("a row's connection filter (context menu) keeps exactly its conversation: TCP stream, UDP ports, IPv6", async () => {
    const rows = await idx.rows(0, 20);
    const want: [number, string, number[]][] = [
      [3, 'tcp.stream eq 0', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
      [13, 'tcp.stream eq 1', [13]],
      [10, 'ip.addr == 10.0.0.1 && ip.addr == 10.0.0.3 && udp.port == 5000 && udp.port == 6000', [10, 11]],
      [14, 'ipv6.addr == fd00::1 && ipv6.addr == fd00::2 && udp.port == 53000 && udp.port == 53', [14]],
    ];
    for (const [i, expr, kept] of want) {
      assert.equal(connectionFilter(rows[i]), expr);
      const v = await idx.filter(expr);
      assert.ok(v.ok, expr);
      if (v.ok)
        assert.deepEqual(
          (await idx.rows(0, 20, v.view)).map((r) => r.index),
          kept,
          expr,
        );
    }
    assert.equal(
      connectionFilter({ index: 6, proto: 'ARP', src: '00:11:22:33:44:55', dst: 'ff:ff:ff:ff:ff:ff' }),
      'frame.number == 7',
    );
  });

  it('reports progress as it goes (searched of total), for the status line', async () => {
    const seen: [number, number][] = [];
    const chatty = new FindService(idx, { batch: 2, progressMs: 0 });
    const r = await chatty.find({ kind: 'query', query: q('absent', 'text', 'info') }, { ...all, from: -1 }, (a, b) =>
      seen.push([a, b]),
    );
    assert.equal(r.status, 'notFound');
    assert.deepEqual(
      seen.map(([a]) => a),
      [2, 4, 6, 8, 10, 12, 14, 15],
    );
    assert.ok(seen.every(([, b]) => b === 15));
  });

  it('an invalid query comes back as data; a newer search or cancel ends the one under way', async () => {
    assert.deepEqual(await finder.find({ kind: 'query', query: q('zz', 'hex') }, { ...all, from: -1 }), {
      status: 'invalid',
      problem: { kind: 'hexDigit', at: 0 },
    });
    // one packet a batch and a yield after each: the first search is still under way when cancelled
    const slow = new FindService(idx, { batch: 1, sliceMs: 0 });
    const pending = slow.find({ kind: 'query', query: q('absent', 'text', 'info') }, { ...all, from: -1 });
    slow.cancel();
    assert.equal((await pending).status, 'cancelled');
    const first = slow.find({ kind: 'query', query: q('absent', 'text', 'info') }, { ...all, from: -1 });
    const second = slow.find({ kind: 'query', query: q('needle') }, { ...all, from: -1 });
    assert.equal((await first).status, 'cancelled');
    assert.equal((await second).status, 'found');
  });
});

describe('find: what the webview may send (parseFromWebview) and the context menu argument', () => {
  const query = { pattern: 'needle', mode: 'text', scope: 'bytes', caseSensitive: false };
  it('takes a well-formed find and refuses a malformed one', () => {
    assert.deepEqual(parseFromWebview({ type: 'find', seq: 1, view: 0, from: -1, backwards: false, query }), {
      type: 'find',
      seq: 1,
      view: 0,
      from: -1,
      backwards: false,
      query,
    });
    assert.deepEqual(parseFromWebview({ type: 'find', seq: 2, view: 3, from: 5, backwards: true }), {
      type: 'find',
      seq: 2,
      view: 3,
      from: 5,
      backwards: true,
    });
    for (const bad of [
      { type: 'find', seq: 1, view: 0, from: -2, backwards: false },
      { type: 'find', seq: 1, view: 0, from: 0.5, backwards: false },
      { type: 'find', seq: 1, view: 0, from: 0, backwards: 'no' },
      { type: 'find', seq: 1, view: 0, from: 0, backwards: false, query: { ...query, mode: 'glob' } },
      { type: 'find', seq: 1, view: 0, from: 0, backwards: false, query: { ...query, scope: 'details' } },
      { type: 'find', seq: 1, view: 0, from: 0, backwards: false, query: { ...query, caseSensitive: 1 } },
      { type: 'find', seq: 1, view: 0, from: 0, backwards: false, query: { ...query, pattern: 'x'.repeat(70_000) } },
    ]) {
      assert.equal(parseFromWebview(bad), null, JSON.stringify(bad).slice(0, 120));
    }
    assert.deepEqual(parseFromWebview({ type: 'findCancel', extra: 1 }), { type: 'findCancel' });
  });

  it("reads the packet of a row's data-vscode-context", () => {
    assert.equal(packetOfContext({ webviewSection: 'packetRow', packet: 12, stream: 0 }), 12);
    assert.equal(packetOfContext({ webviewSection: 'packetRow', packet: -1 }), undefined);
    assert.equal(packetOfContext({ packet: '3' }), undefined);
    assert.equal(packetOfContext(undefined), undefined);
  });
});

describe("find: the capture editor's words in Chinese", () => {
  it('every string editorProvider.ts translates (the find bar, its errors, the row menu) has a zh-cn entry with the same placeholders', () => {
    const root = path.resolve(__dirname, '..', '..');
    const src = fs.readFileSync(path.join(root, 'src', 'extension', 'capture', 'editorProvider.ts'), 'utf8');
    const zh = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<
      string,
      string
    >;
    const keys = [...src.matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
    assert.ok(keys.includes('Find in packets') && keys.includes('Copied the filter {0}'), `${keys.length} keys read`);
    const holes = (x: string): string =>
      [...x.matchAll(/\{\d\}/g)]
        .map((m) => m[0])
        .sort()
        .join();
    for (const k of keys) {
      assert.ok(k in zh, `no zh-cn entry for: ${k}`);
      assert.equal(holes(zh[k]), holes(k), k);
    }
  });
});
