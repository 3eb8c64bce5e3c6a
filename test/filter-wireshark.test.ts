/**
 * Wireshark display-filter syntax in the capture editor's filter box (src/core/filter): parser and
 * errors with positions, the field registry, the linear-time `matches`, evaluation on generated
 * captures, and an oracle test against `tshark -Y` (packet numbers must be equal; skips with a
 * printed reason without tshark or the corpus).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { CaptureRecord } from '../src/core/capture/types';
import {
  allFields,
  compileFilter,
  compileRegex,
  lookupField,
  parseFilter,
  RecordColumns,
  registerFields,
  tryCompileFilter,
  tryParseFilter,
  unregisterFields,
  type FilterColumns,
  type FilterNode,
} from '../src/core/filter/index';
import { prng } from '../src/core/synth/conversations';
import { pcapngEPB, pcapngIDB, pcapngSHB } from '../src/core/synth/writers';
import { A_RETRANSMISSION } from '../src/core/tcp/types';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { corpusPath, needCorpus, readAll } from './helpers/corpus';
import { generated } from './helpers/generated';
import { needTool } from './helpers/tools';

function err(expr: string): { error: string; at: number } {
  const r = tryParseFilter(expr);
  assert.equal(r.ok, false, `${expr} should not parse`);
  return r.ok ? { error: '', at: -1 } : { error: r.error, at: r.at };
}

/** 1-based frame numbers of the packets a filter keeps. */
function run(cols: FilterColumns, expr: string): number[] {
  const pred = compileFilter(parseFilter(expr), cols);
  const out: number[] = [];
  for (let i = 0; i < cols.count; i++) if (pred(i)) out.push(i + 1);
  return out;
}

/** The dotted text of an IPv4 address id. */
function v4Text(cols: RecordColumns, id: number): string {
  const a = cols.addressOf(id);
  assert.ok(a && a.family === 4);
  return [a.v4 >>> 24, (a.v4 >>> 16) & 255, (a.v4 >>> 8) & 255, a.v4 & 255].join('.');
}

describe('filter: Wireshark display-filter syntax', () => {
  describe('parser', () => {
    // the examples (application fields have no decoder yet: they must fail clearly, see below)
    const TCPIP = [
      'tcp.port == 80',
      'ip.addr == 10.0.0.1',
      'tcp.flags.syn == 1',
      'tcp.analysis.retransmission',
      'tcp.stream eq 3',
      'frame contains "abc"',
    ];
    const APP = [
      'http.request.method == "GET"',
      'http.host contains "api"',
      'dns.qry.name == "x.org"',
      'tls.handshake.extensions_server_name == "x"',
      'ftp.request.command == "USER"',
    ];

    it("parses the issue's TCP/IP examples into Wireshark terms", () => {
      const kinds = TCPIP.map((e) => parseFilter(e).k);
      assert.deepEqual(kinds, ['cmp', 'cmp', 'cmp', 'field', 'cmp', 'cmp']);
      const n = parseFilter('tcp.stream eq 3') as Extract<FilterNode, { k: 'cmp' }>;
      assert.equal(n.field.name, 'tcp.stream');
      assert.equal(n.op, '==');
      assert.deepEqual(n.value, { t: 'num', n: 3, hi: 3 });
      const c = parseFilter('frame contains "abc"') as Extract<FilterNode, { k: 'cmp' }>;
      assert.equal(c.op, 'contains');
      assert.deepEqual(c.value, { t: 'bytes', b: Uint8Array.from([0x61, 0x62, 0x63]) });
    });

    it('application fields without a decoder give a clear error at the field', () => {
      for (const e of APP) {
        const r = err(e);
        assert.equal(r.at, 0, e);
        assert.match(r.error, /is a Wireshark field of (HTTP|DNS|TLS|FTP), which Capture Lens does not decode yet/, e);
      }
      assert.match(
        err('tcp.port == 80 and http').error,
        /"http" is a protocol \(HTTP\) Capture Lens does not decode yet/,
      );
    });

    it('a registered application field becomes valid with one table entry', () => {
      assert.equal(lookupField('ftp.request.command'), undefined);
      registerFields([{ name: 'ftp.request.command', type: 'string', en: 'FTP command', zh: 'FTP 命令' }]);
      try {
        const n = parseFilter('ftp.request.command == "USER"') as Extract<FilterNode, { k: 'cmp' }>;
        assert.deepEqual(n.value, { t: 'str', s: 'USER' });
      } finally {
        // the registry as the decoders left it, for the other tests
        unregisterFields(['ftp.request.command']);
      }
    });

    it('every operator spelling, sets, ranges, bit tests, literals by type', () => {
      const op = (e: string) => (parseFilter(e) as Extract<FilterNode, { k: 'cmp' }>).op;
      assert.deepEqual(
        ['==', 'eq', '!=', 'ne', '!==', '~=', '===', '>', 'gt', '<', 'lt', '>=', 'ge', '<=', 'le'].map((o) =>
          op(`tcp.port ${o} 80`),
        ),
        ['==', '==', '!=', '!=', '!=', '~=', '===', '>', '>', '<', '<', '>=', '>=', '<=', '<='],
      );
      const set = parseFilter('tcp.port in {80, 443, 8000..8080}') as Extract<FilterNode, { k: 'in' }>;
      assert.deepEqual(set.values, [
        { t: 'num', n: 80, hi: 80 },
        { t: 'num', n: 443, hi: 443 },
        { t: 'num', n: 8000, hi: 8080 },
      ]);
      assert.equal(parseFilter('tcp.port not in {80}').k, 'not');
      assert.deepEqual(parseFilter('tcp.flags & 0x12'), {
        k: 'bits',
        field: lookupField('tcp.flags'),
        mask: 0x12,
        at: 0,
      });
      assert.deepEqual((parseFilter('tcp.port == 0x50') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'num',
        n: 80,
        hi: 80,
      });
      assert.deepEqual((parseFilter('tcp.port == 0120') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'num',
        n: 80,
        hi: 80,
      });
      assert.deepEqual((parseFilter('ip.addr == 10.0.0.0/8') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'v4',
        addr: 0x0a000000,
        bits: 8,
        text: '10.0.0.0/8',
      });
      assert.equal((parseFilter('ipv6.addr == fe80::/10') as Extract<FilterNode, { k: 'cmp' }>).value.t, 'v6');
      assert.deepEqual((parseFilter('eth.addr == ff:ff:ff:ff:ff:ff') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'bytes',
        b: new Uint8Array(6).fill(255),
      });
      assert.deepEqual((parseFilter('eth.src == 0011.2233.4455') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'bytes',
        b: Uint8Array.from([0, 0x11, 0x22, 0x33, 0x44, 0x55]),
      });
      assert.deepEqual((parseFilter('frame contains aa:bb:cc') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'bytes',
        b: Uint8Array.from([0xaa, 0xbb, 0xcc]),
      });
      assert.deepEqual((parseFilter('frame contains "\\x47E\\124"') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'bytes',
        b: Uint8Array.from([0x47, 0x45, 0x54]),
      });
      assert.deepEqual((parseFilter('tcp.flags.syn == True') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'num',
        n: 1,
        hi: 1,
      });
      // any non-zero value of a boolean is true, as in tshark ("tcp.flags.syn == 2" matches SYNs)
      assert.deepEqual((parseFilter('tcp.flags.syn == 2') as Extract<FilterNode, { k: 'cmp' }>).value, {
        t: 'num',
        n: 1,
        hi: 1,
      });
      assert.equal(parseFilter('frame matches "(?i)user"').k, 'cmp');
    });

    it('mixes with our own syntax where unambiguous; and binds tighter than or, not tighter than and', () => {
      const n = parseFilter('host 10.0.0.1 && tcp.port == 80 or not tcp.flags.syn == 1 and port 22');
      assert.equal(n.k, 'or');
      const o = n as Extract<FilterNode, { k: 'or' }>;
      assert.equal(o.a.k, 'and');
      assert.equal((o.a as Extract<FilterNode, { k: 'and' }>).a.k, 'host');
      assert.equal(o.b.k, 'and');
      assert.equal((o.b as Extract<FilterNode, { k: 'and' }>).a.k, 'not');
      // the shared protocol names: ours alone, Wireshark's with an operator
      assert.deepEqual(parseFilter('tcp'), { k: 'proto', proto: 'tcp' });
      assert.equal(parseFilter('tcp contains 47:45:54').k, 'cmp');
      assert.equal(parseFilter('tcp port 80').k, 'and');
      assert.equal(parseFilter('eth').k, 'field');
      assert.equal(parseFilter('(tcp.port == 80 || udp) && !problem').k, 'and');
    });

    it('errors point at the offending token with Wireshark-like messages', () => {
      assert.deepEqual(err('tcp.prot == 80'), {
        error: '"tcp.prot" is neither a field nor a protocol name. Did you mean "tcp.port"?',
        at: 0,
      });
      assert.deepEqual(err('tcp.port == 80 && ip.adr == 1.2.3.4'), {
        error: '"ip.adr" is neither a field nor a protocol name. Did you mean "ip.addr"?',
        at: 18,
      });
      assert.deepEqual(err('foo.bar'), { error: '"foo.bar" is neither a field nor a protocol name.', at: 0 });
      assert.deepEqual(err('tcp.port == 80x'), { error: '"80x" is not a valid number.', at: 12 });
      assert.deepEqual(err('tcp.port > 70000'), { error: '"70000" too big for this field, maximum 65535.', at: 11 });
      assert.deepEqual(err('tcp.port == "80"'), {
        error: 'tcp.port is an unsigned integer, 16 bits: it cannot be compared with a string ("80")',
        at: 12,
      });
      assert.deepEqual(err('ip.addr == 1.2.3'), { error: '"1.2.3" is not a valid hostname or IPv4 address.', at: 11 });
      assert.deepEqual(err('ip.addr == 10.0.0.0/33'), {
        error: 'Netmask bits in a CIDR IPv4 address should be <= 32, not 33',
        at: 11,
      });
      assert.deepEqual(err('tcp.flags.syn == yes'), {
        error: '"yes" cannot be found among the possible values for tcp.flags.syn (1 / True or 0 / False).',
        at: 17,
      });
      assert.deepEqual(err('tcp.port = 80'), { error: '"=" was unexpected in this context: compare with "=="', at: 9 });
      assert.deepEqual(err('tcp.port == 80)'), { error: 'unmatched ")"', at: 14 });
      assert.deepEqual(err('(tcp.port == 80'), {
        error: 'expected ")" to close the "(" at 0, found the end of the filter',
        at: 15,
      });
      assert.deepEqual(err('tcp.port =='), {
        error: 'the filter ends where a value to compare tcp.port with was expected',
        at: 11,
      });
      assert.deepEqual(err('tcp.port == 80 &&'), { error: 'the filter ends where a condition was expected', at: 17 });
      assert.deepEqual(err('tcp.port 80'), {
        error:
          '"80" was unexpected in this context: after tcp.port comes an operator (==, !=, >, contains, in …), "and", "or" or ")"',
        at: 9,
      });
      assert.deepEqual(err('tcp.port in {80 25}'), {
        error: '"25" was unexpected in this context: separate the values of a set with ","',
        at: 16,
      });
      assert.deepEqual(err('tcp.port contains 50'), {
        error: 'tcp.port (an unsigned integer, 16 bits) cannot participate in "contains" comparison',
        at: 9,
      });
      assert.deepEqual(err('frame contains "abc'), {
        error: 'the string starting here has no closing quote (")',
        at: 15,
      });
      assert.deepEqual(err('frame matches "a(b"'), { error: 'missing ")" in the regular expression', at: 16 });
      assert.deepEqual(err('frame matches "(a)\\\\1"'), {
        error:
          '"\\1" is not supported in the regular expression (back-references and word boundaries need backtracking)',
        at: 18,
      });
      assert.deepEqual(err('frame[0:2] == 00:01'), {
        error: 'slices ("[") are not supported: compare the whole field, or use "contains"',
        at: 5,
      });
      assert.deepEqual(err('ip.src == ip.dst'), {
        error: 'comparing two fields (ip.src == ip.dst) is supported for numbers only: compare with a value',
        at: 10,
      });
      assert.equal(parseFilter('tcp.srcport > tcp.dstport').k, 'cmp2');
      assert.deepEqual(err('tcp.flags.syn > 0'), {
        error: 'tcp.flags.syn is a boolean: compare it with == or !=',
        at: 14,
      });
      // our syntax's errors are unchanged
      assert.deepEqual(err('tcp & udp'), { error: '"&" must be doubled: use "&&" or "and"', at: 4 });
      assert.deepEqual(err('host 10.0.0.1 =='), {
        error: '"==" was unexpected in this context: only a field (like tcp.port) is compared',
        at: 14,
      });
    });

    it('every registered field has a type, a description in both languages, and parses as a term', () => {
      for (const name of [
        'ip.ttl',
        'tcp.window_size_value',
        'eth.src',
        'frame.time_relative',
        'tcp.analysis.duplicate_ack',
        'tcp.len',
        'udp.length',
      ]) {
        const f = lookupField(name)!;
        assert.ok(f, name);
        assert.ok(f.en.length > 3 && f.zh.length > 1, name);
        assert.equal(parseFilter(name).k, 'field');
      }
    });
  });

  describe('matches: a linear-time matcher (Pike VM)', () => {
    it('the supported subset', () => {
      const t = (re: string, s: string) => compileRegex(re).testString(s);
      assert.equal(t('G.T', 'xxGETyy'), true);
      assert.equal(t('^GET', 'xGET'), false);
      assert.equal(t('^GET', 'GET /'), true);
      assert.equal(t('(?i)user', 'USER bob'), true);
      assert.equal(t('a(b|c)+d$', 'xabcbcd'), true);
      assert.equal(t('a(b|c)+d$', 'xabcbcde'), false);
      assert.equal(t('[0-9]{3}-[^a-z]', 'tel 555-X'), true);
      assert.equal(t('[0-9]{3}-[^a-z]', 'tel 555-x'), false);
      assert.equal(t('\\d+\\.\\d+', 'v1.25'), true);
      assert.equal(t('x{2,3}y', 'xy'), false);
      assert.equal(t('x{2,3}y', 'xxxy'), true);
      const bytes = Uint8Array.from([0, 0x47, 0x45, 0x54, 0xff]);
      assert.equal(compileRegex('GET\\xff').testBytes(bytes, 0, bytes.length), true);
      assert.equal(compileRegex('GET\\xff').testBytes(bytes, 0, 4), false);
    });

    it('a pattern that backtracks exponentially in a backtracking engine answers at once', () => {
      // (a+)+b on 5,000 a's: 2^5000 paths for a backtracking engine; the VM steps 5,000 × 8 states
      const re = compileRegex('(a+)+b');
      assert.equal(re.testString('a'.repeat(5000)), false);
      assert.equal(re.testString('a'.repeat(5000) + 'b'), true);
    });
  });

  describe('evaluation on a generated capture', () => {
    let records: CaptureRecord[] = [];
    let cols: RecordColumns;
    before(async () => {
      records = (await readAll(generated().pcap)).records;
      cols = new RecordColumns(records);
    });

    it('ports, addresses (== and Wireshark 4 !=, ~=, CIDR), flags, stream, analysis', () => {
      const all = records.map((_, i) => i + 1);
      const port8888 = run(cols, 'tcp.port == 8888');
      assert.ok(port8888.length > 0 && port8888.length < all.length);
      // the same packets as our syntax, and as srcport or dstport
      assert.deepEqual(port8888, run(cols, 'tcp port 8888'));
      assert.deepEqual(port8888, run(cols, 'tcp.srcport == 8888 || tcp.dstport == 8888'));
      assert.deepEqual(run(cols, 'tcp.port != 8888'), run(cols, 'tcp && !(tcp.port == 8888)'));
      assert.deepEqual(run(cols, 'tcp.port in {8888, 9000}'), run(cols, 'port 8888 or port 9000'));
      assert.deepEqual(
        run(cols, 'tcp.port in {8888..9000}'),
        run(cols, 'tcp.srcport in {8888..9000} or (tcp.dstport >= 8888 and tcp.dstport le 9000)'),
      );
      // a range is tested on each port; two comparisons may hold on different ports (as in Wireshark)
      assert.ok(
        run(cols, 'tcp.port in {8888..9000}').length < run(cols, 'tcp.port >= 8888 and tcp.port <= 9000').length,
      );
      const ip = run(cols, 'frame.number == 1 && ip.src == 0.0.0.0/0');
      assert.deepEqual(ip, [1]);
      // an address from the capture: == is src or dst; != neither; ~= not both
      const first = compileFilter(parseFilter('frame.number == 1'), cols);
      assert.ok(first(0));
      const text = v4Text(cols, cols.src[0]);
      const eq = run(cols, `ip.addr == ${text}`);
      assert.deepEqual(eq, run(cols, `host ${text}`));
      assert.deepEqual(run(cols, `ip.addr != ${text}`), run(cols, `ip and not host ${text}`));
      assert.deepEqual(run(cols, `ip.addr ~= ${text}`), run(cols, 'ip'));
      assert.deepEqual(run(cols, `ip.addr == ${text}/32`), eq);
      assert.deepEqual(run(cols, `ip.src == ${text} || ip.dst == ${text}`), eq);
      // flags from the index equal the decoded ones
      assert.deepEqual(run(cols, 'tcp.flags.syn == 1 && tcp.flags.ack == 0'), run(cols, 'flags S && !flags .'));
      assert.deepEqual(
        run(cols, 'tcp.flags == 0x012'),
        run(
          cols,
          'tcp.flags.syn == 1 && tcp.flags.ack == 1 && tcp.flags.fin == 0 && tcp.flags.push == 0 && tcp.flags.reset == 0',
        ),
      );
      assert.deepEqual(run(cols, 'tcp.flags & 0x02'), run(cols, 'flags S'));
      // engine fields
      assert.deepEqual(run(cols, 'tcp.stream eq 3'), run(cols, 'stream 3'));
      const rtx: number[] = [];
      const r = { analysis: 0 } as Parameters<RecordColumns['tcpResult']>[1];
      for (let i = 0; i < cols.count; i++) if (cols.tcpResult(i, r) && r.analysis & A_RETRANSMISSION) rtx.push(i + 1);
      assert.deepEqual(run(cols, 'tcp.analysis.retransmission'), rtx);
      assert.deepEqual(run(cols, 'frame.number <= 3'), [1, 2, 3]);
    });

    it('decoded fields (the index does not keep them): tcp.len, ip.ttl, frame contains/matches', () => {
      const withData = run(cols, 'tcp.len > 0');
      assert.ok(withData.length > 0);
      assert.deepEqual(run(cols, 'tcp.len == 0 || tcp.len > 0'), run(cols, 'tcp'));
      assert.deepEqual(run(cols, 'ip.ttl > 0'), run(cols, 'ip'));
      // some payload bytes of a data packet are found by contains, as bytes and as a regex
      const i = withData[0] - 1;
      const rec = records[i];
      const needle = Array.from(rec.data.subarray(rec.data.length - 3), (b) => b.toString(16).padStart(2, '0')).join(
        ':',
      );
      assert.ok(run(cols, `frame contains ${needle}`).includes(i + 1));
      assert.ok(run(cols, `tcp.payload contains ${needle}`).includes(i + 1));
      assert.ok(
        run(
          cols,
          `frame matches "${needle
            .split(':')
            .map((h) => '\\x' + h)
            .join('')}$"`,
        ).includes(i + 1),
      );
      assert.deepEqual(run(cols, 'frame contains "this text is in no packet"'), []);
    });

    it('a filter compiled before an address appears still matches it (columns that grow)', () => {
      // columns of the first packet only, then of all: the predicate re-reads the address id
      let count = 1;
      const view: FilterColumns = Object.create(cols, { count: { get: () => count } });
      const ids = new Map<number, number>();
      const lim = (id: number) => (ids.has(id) ? ids.get(id)! : -1);
      view.addressId = (a) => {
        const id = cols.addressId(a);
        // ids are known only once a packet with the address is indexed
        for (let i = 0; i < count; i++) if (cols.src[i] === id || cols.dst[i] === id) ids.set(id, id);
        return lim(id);
      };
      let later = -1;
      for (let i = 1; i < cols.count && later < 0; i++)
        if (cols.src[i] !== cols.src[0] && cols.src[i] !== cols.dst[0]) later = i;
      const text = v4Text(cols, cols.src[later]);
      for (const expr of [`host ${text}`, `ip.src == ${text}`]) {
        count = 1;
        const pred = compileFilter(parseFilter(expr), view);
        assert.equal(pred(0), false, expr);
        count = cols.count;
        assert.equal(pred(later), true, expr);
      }
    });

    it('a field the columns cannot give fails to compile, at the field', () => {
      const bare: FilterColumns = {
        count: cols.count,
        kind: cols.kind,
        sport: cols.sport,
        dport: cols.dport,
        src: cols.src,
        dst: cols.dst,
        addressId: (a) => cols.addressId(a),
        stream: (i) => cols.stream(i),
        problem: (i) => cols.problem(i),
      };
      // what the worker's index gives today works without decoding
      assert.deepEqual(
        run(bare, 'tcp.port == 8888 && tcp.stream == 1 && tcp.flags.ack == 1'),
        run(cols, 'tcp.port == 8888 && tcp.stream == 1 && tcp.flags.ack == 1'),
      );
      assert.throws(
        () => compileFilter(parseFilter('tcp.port == 80 || ip.ttl == 64'), bare),
        (e: Error & { at?: number }) =>
          e.at === 18 && /ip\.ttl cannot be evaluated here: it needs the decoded frame/.test(e.message),
      );
      assert.throws(
        () => compileFilter(parseFilter('tcp.analysis.retransmission'), bare),
        /TCP analysis results are not available/,
      );
    });

    it("the registry's sources are what the evaluator reads: index and engine fields never decode", () => {
      // the full interface but frames: a field marked 'index' or 'engine' compiles, a 'decode' one cannot
      const noFrames: FilterColumns = Object.create(cols, { frameInto: { value: undefined } });
      let cheap = 0;
      for (const f of allFields()) {
        const compile = () => compileFilter(parseFilter(f.name), noFrames);
        if (f.src === 'decode') assert.throws(compile, /needs the decoded frame/, f.name);
        else {
          assert.doesNotThrow(compile, f.name);
          cheap++;
        }
      }
      assert.ok(cheap >= 40, `${cheap} index/engine fields`);
    });
  });

  describe('robustness', () => {
    it('random token soup: an error with a position inside the text, or a filter that evaluates without throwing', async () => {
      const cols = new RecordColumns((await readAll(generated().pcap)).records.slice(0, 200));
      const words = [
        'tcp.port',
        'ip.addr',
        'frame',
        'tcp',
        'eth.src',
        'tcp.len',
        'tcp.analysis.flags',
        'http.host',
        'tcp.prot',
        'host',
        'port',
        '==',
        '!=',
        '~=',
        '===',
        '>',
        '<=',
        'eq',
        'contains',
        'matches',
        'in',
        'not',
        'and',
        'or',
        '&&',
        '||',
        '!',
        '&',
        '(',
        ')',
        '{',
        '}',
        ',',
        '80',
        '0x50',
        '10.0.0.1',
        '10.0.0.0/8',
        'fe80::/10',
        'aa:bb:cc',
        'ff:ff:ff:ff:ff:ff',
        '"GET"',
        '"(a+)+b"',
        '"[x"',
        '1..5',
        '-1',
        '"',
        '=',
        '[',
        '1.5',
      ];
      const rnd = prng(7);
      let ok = 0;
      let bad = 0;
      for (let k = 0; k < 3000; k++) {
        const n = 1 + Math.floor(rnd() * 7);
        const parts: string[] = [];
        for (let j = 0; j < n; j++) parts.push(words[Math.floor(rnd() * words.length)]);
        const expr = parts.join(rnd() < 0.2 ? '' : ' ');
        const r = tryCompileFilter(expr, cols);
        if (!r.ok) {
          assert.ok(r.at >= 0 && r.at <= expr.length, `${expr}: at ${r.at}`);
          assert.ok(r.error.length > 0);
          bad++;
          continue;
        }
        for (let i = 0; i < cols.count; i++) r.match(i);
        ok++;
      }
      // both outcomes were exercised
      assert.ok(ok > 30 && bad > 100, `${ok} valid, ${bad} errors`);
    });
  });

  describe('the capture index (src/worker/captureIndex.ts)', () => {
    it('evaluates the Wireshark fields from its columns, its engine and its frames; tcp.seq & co. are refused at the field', async () => {
      const file = generated().pcap;
      const cols = new RecordColumns((await readAll(file)).records);
      const idx = new CaptureIndex(fileInput(file));
      await idx.start();
      try {
        const host = v4Text(cols, cols.src[0]);
        for (const f of [
          'tcp.port == 8888',
          `ip.addr == ${host}`,
          `ip.addr != ${host} && tcp.port in {9000, 9443}`,
          'tcp.flags.syn == 1 && tcp.stream in {1, 2}',
          'frame.len > 100 || tcp.flags & 0x01',
          'tcp.port != 9000 and not problem',
        ]) {
          const r = await idx.filter(f);
          assert.ok(r.ok, f);
          assert.equal(r.ok && r.count, run(cols, f).length, f);
        }
        // frameInto, tcpResult and addressOf: decoded fields, analysis flags and CIDR compile
        const ttl = tryCompileFilter('tcp.port == 80 || ip.ttl == 64', idx);
        assert.ok(ttl.ok && ttl.decodes);
        assert.ok(tryCompileFilter(`ip.addr == ${host}/24`, idx).ok);
        // its engine keeps no relative numbers (keepSeqAck: false): refused, never matched on zeros
        assert.deepEqual(tryCompileFilter('tcp.port == 80 && tcp.seq > 1', idx), {
          ok: false,
          error: 'tcp.seq cannot be evaluated here: relative numbers and scaled windows are not kept per packet in this view; use tcp.seq_raw',
          at: 18,
        });
        assert.equal(tryCompileFilter('tcp.window_size > 0', idx).ok, false);
        assert.ok(tryCompileFilter('tcp.seq > 1', cols).ok, 'the in-memory reference keeps them');
        // whether a filter reads frames (the index would evaluate those in slices)
        const cheap = tryCompileFilter('tcp.port == 80 && tcp.stream == 1', idx);
        assert.ok(cheap.ok && !cheap.decodes);
        const costly = tryCompileFilter('tcp.port == 80 && ip.ttl == 64', cols);
        assert.ok(costly.ok && costly.decodes);
        assert.ok(tryCompileFilter('tcp.analysis.retransmission', idx).ok);
      } finally {
        await idx.close();
      }
    });
  });

  describe('oracle: tshark -Y', function () {
    // each filter is one tshark run (~0.5 s of start-up): the lists are chosen, not exhaustive
    this.timeout(300000);
    /** TCP/IP filters our decoders and engine answer as tshark does (all run on communityid.pcap: IPv4, IPv6, UDP, ICMP, SCTP). */
    const FILTERS = [
      'tcp.port == 80',
      'tcp.port != 80',
      'tcp.srcport == 80 and tcp',
      'tcp.port in {80, 443, 25}',
      'ip.addr == 192.168.0.1',
      'ip.addr != 192.168.0.1',
      'ip.addr ~= 192.168.0.1',
      'ip.addr == 192.168.0.0/16 && !(tcp.port in {20..30})',
      'ip.src == 192.168.0.0/16 or ip.dst == 10.0.0.0/8',
      'ipv6.addr == 2001:470:e5bf::/48',
      'tcp.flags.syn == 1 && tcp.flags.ack == 0',
      'tcp.flags == 0x012',
      'tcp.flags & 0x05',
      'tcp.len > 0',
      'tcp.stream eq 1',
      'ip.ttl >= 64 && ip.flags.df == 1',
      'frame.len > 1000 || frame.number <= 3',
      'frame.cap_len < frame.len',
      'tcp.srcport > tcp.dstport',
      'tcp.port == tcp.port',
      'frame contains "GET"',
      'frame matches "(?i)^.{54}get"',
      'udp.port == 53',
      'eth.addr == ff:ff:ff:ff:ff:ff',
      'icmp || icmpv6',
      'not tcp and ip',
    ];
    /** For the generated conversations: their streams, ports and retransmissions. */
    const GENERATED = [
      'tcp.port == 8888',
      'tcp.port != 9000',
      'tcp.stream == 5 && tcp.len > 0',
      'tcp.analysis.retransmission',
      'tcp.analysis.flags',
      'frame.time_relative > 1',
    ];
    /**
     * Corpus captures merged with the generated one into one pcapng (one tshark run a filter for
     * all): communityid (IPv4, IPv6, UDP, ICMP, SCTP), http-ooo (out-of-order data), dmgr (Linux
     * cooked v1), tcp-handshake-nano (nanosecond time stamps).
     */
    const MERGED = [
      'wireshark/communityid.pcap',
      'wireshark/http-ooo.pcap',
      'wireshark/dmgr.pcapng',
      'tcpdump/tcp-handshake-nano.pcap',
    ];

    /** Runs of tshark at once (2 cores). */
    const PARALLEL = 2;

    function tshark(file: string, filter: string): Promise<number[]> {
      return new Promise((resolve, reject) => {
        const p = spawn('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let errText = '';
        p.stdout.on('data', (b: Buffer) => (out += b.toString()));
        p.stderr.on('data', (b: Buffer) => (errText += b.toString()));
        p.on('error', reject);
        p.on('close', (code) => {
          if (code !== 0) reject(new Error(`tshark -Y '${filter}' ${file}: ${errText}`));
          else
            resolve(
              out
                .split('\n')
                .filter((l) => l.trim() !== '')
                .map(Number),
            );
        });
      });
    }

    /**
     * ICMP errors quote the IP header and 8 bytes of the packet they answer: tshark decodes the quote
     * (so an ICMPv6 "port unreachable" has udp, udp.port, a second ip.addr …), our decoders do not
     * (tcpdump's line does not either). Those packets are left out of the comparison.
     */
    const QUOTING = 'icmp.type in {3, 4, 5, 11, 12} || icmpv6.type in {1, 2, 3, 4}';

    /** Compares every filter on `file`; returns the differences (empty when all agree) and the count compared. */
    async function compare(file: string, filters: readonly string[]): Promise<{ diffs: string[]; n: number }> {
      const cols = new RecordColumns((await readAll(file)).records);
      const jobs = [QUOTING, ...filters];
      const results: number[][] = new Array<number[]>(jobs.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < jobs.length) {
          const k = next++;
          results[k] = await tshark(file, jobs[k]);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      const quoting = new Set(results[0]);
      const keep = (list: number[]) => list.filter((x) => !quoting.has(x));
      const diffs: string[] = [];
      filters.forEach((f, k) => {
        const ours = keep(run(cols, f));
        const theirs = keep(results[k + 1]);
        if (ours.join() === theirs.join()) return;
        const a = new Set(ours);
        const b = new Set(theirs);
        const only = (x: number[], y: Set<number>) =>
          x
            .filter((v) => !y.has(v))
            .slice(0, 20)
            .join(' ');
        diffs.push(`${path.basename(file)}: ${f}\n  only ours: ${only(ours, b)}\n  only tshark: ${only(theirs, a)}`);
      });
      return { diffs, n: filters.length };
    }

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-filter-'));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** The records of several captures in one pcapng (an interface per link type, nanosecond times). */
    function merge(lists: CaptureRecord[][]): string {
      const parts: Uint8Array[] = [pcapngSHB()];
      const ifaces = new Map<number, number>();
      for (const recs of lists) {
        for (const r of recs) {
          let id = ifaces.get(r.linkType);
          if (id === undefined) {
            id = ifaces.size;
            ifaces.set(r.linkType, id);
            parts.push(pcapngIDB(r.linkType, 262144, 9));
          }
          parts.push(pcapngEPB(id, BigInt(r.tsSec) * 1000000000n + BigInt(r.tsNsec), r.data, r.origLen));
        }
      }
      const file = path.join(tmp, 'merged.pcapng');
      fs.writeFileSync(file, Buffer.concat(parts));
      return file;
    }

    before(function () {
      needTool(this, 'tshark');
    });

    it('corpus captures and a generated one', async function () {
      needCorpus(this);
      const lists: CaptureRecord[][] = [];
      for (const rel of MERGED) lists.push((await readAll(corpusPath(...rel.split('/')))).records);
      lists.push((await readAll(generated().pcap)).records);
      const file = merge(lists);
      const r = await compare(file, [...FILTERS, ...GENERATED]);
      assert.deepEqual(r.diffs, []);
      assert.equal(r.n, FILTERS.length + GENERATED.length);
    });

    it('a generated capture', async () => {
      const r = await compare(generated().pcap, GENERATED.slice(0, 4));
      assert.deepEqual(r.diffs, []);
    });
  });
});
