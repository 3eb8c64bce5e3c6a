/** The capture editor's filter language (src/core/filter): parser, error messages with offsets, evaluator. */
import * as assert from 'node:assert/strict';
import {
  compileFilter,
  KIND_PROTO_SHIFT,
  parseFilter,
  parseIPv4Text,
  parseIPv6Text,
  PC_ARP,
  PC_ICMP,
  PC_TCP4,
  PC_TCP6,
  PC_UDP4,
  tryParseFilter,
  type Address,
  type FilterColumns,
} from '../src/core/filter/index';

function err(expr: string): { error: string; at: number } {
  const r = tryParseFilter(expr);
  assert.equal(r.ok, false, `${expr} should not parse`);
  return r.ok ? { error: '', at: -1 } : { error: r.error, at: r.at };
}

/** A small table of packets as the worker keeps them. */
interface P {
  proto: number;
  flags?: number;
  sport?: number;
  dport?: number;
  src?: string;
  dst?: string;
  stream?: number;
  problem?: boolean;
}

function columns(ps: P[]): FilterColumns {
  const addrs = new Map<string, number>();
  const id = (a?: string) => {
    if (!a) return 0;
    if (!addrs.has(a)) addrs.set(a, addrs.size + 1);
    return addrs.get(a)!;
  };
  const keyOf = (a: Address) => (a.family === 4 ? 'v4:' + a.v4 : 'v6:' + Buffer.from(a.v6).toString('hex'));
  const norm = (t?: string) => {
    if (!t) return undefined;
    const v4 = parseIPv4Text(t);
    if (v4 !== null) return 'v4:' + v4;
    return 'v6:' + Buffer.from(parseIPv6Text(t)!).toString('hex');
  };
  const src = new Uint16Array(ps.map((p) => id(norm(p.src))));
  const dst = new Uint16Array(ps.map((p) => id(norm(p.dst))));
  return {
    count: ps.length,
    kind: new Uint16Array(ps.map((p) => (p.flags ?? 0) | (p.proto << KIND_PROTO_SHIFT))),
    sport: new Uint16Array(ps.map((p) => p.sport ?? 0)),
    dport: new Uint16Array(ps.map((p) => p.dport ?? 0)),
    src,
    dst,
    addressId: (a) => addrs.get(keyOf(a)) ?? -1,
    stream: (i) => ps[i].stream ?? -1,
    problem: (i) => ps[i].problem ?? false,
  };
}

const S = 0x02;
const A = 0x10;
const F = 0x01;
const R = 0x04;
const P_ = 0x08;

const PACKETS: P[] = [
  { proto: PC_TCP4, flags: S, sport: 40000, dport: 80, src: '10.0.0.1', dst: '10.0.0.2', stream: 0 }, // 0
  { proto: PC_TCP4, flags: S | A, sport: 80, dport: 40000, src: '10.0.0.2', dst: '10.0.0.1', stream: 0 }, // 1
  { proto: PC_TCP4, flags: A, sport: 40000, dport: 80, src: '10.0.0.1', dst: '10.0.0.2', stream: 0 }, // 2
  { proto: PC_UDP4, sport: 5353, dport: 53, src: '10.0.0.1', dst: '8.8.8.8' }, // 3
  { proto: PC_ICMP, src: '10.0.0.9', dst: '10.0.0.1' }, // 4
  { proto: PC_ARP, src: '10.0.0.1', dst: '10.0.0.254' }, // 5
  { proto: PC_TCP4, flags: R | A, sport: 443, dport: 50000, src: '10.0.0.3', dst: '10.0.0.1', stream: 1, problem: true }, // 6
  { proto: PC_TCP6, flags: P_ | A | F, sport: 22, dport: 60000, src: 'fe80::1', dst: 'fe80::2', stream: 2 }, // 7
];

function matches(expr: string, ps: P[] = PACKETS): number[] {
  const cols = columns(ps);
  const pred = compileFilter(parseFilter(expr), cols);
  const out: number[] = [];
  for (let i = 0; i < cols.count; i++) if (pred(i)) out.push(i);
  return out;
}

describe('capture editor: filter language', () => {
  describe('parser', () => {
    it('builds the expected trees', () => {
      assert.deepEqual(parseFilter(''), { k: 'all' });
      assert.deepEqual(parseFilter('  '), { k: 'all' });
      assert.deepEqual(parseFilter('port 80'), { k: 'port', dir: 'any', port: 80 });
      assert.deepEqual(parseFilter('dst port 53'), { k: 'port', dir: 'dst', port: 53 });
      assert.deepEqual(parseFilter('stream 12'), { k: 'stream', stream: 12 });
      assert.deepEqual(parseFilter('flags S.'), { k: 'flags', mask: S | A });
      assert.deepEqual(parseFilter('flags FP.'), { k: 'flags', mask: F | P_ | A });
      assert.deepEqual(parseFilter('flags eEW'), { k: 'flags', mask: 0x100 | 0x40 | 0x80 });
      assert.deepEqual(parseFilter('PROBLEM'), { k: 'problem' });
      assert.deepEqual(parseFilter('tcp port 80'), { k: 'and', a: { k: 'proto', proto: 'tcp' }, b: { k: 'port', dir: 'any', port: 80 } });
      const h = parseFilter('src host 10.0.0.1');
      assert.equal(h.k, 'host');
      if (h.k === 'host') {
        assert.equal(h.dir, 'src');
        assert.equal(h.addr.family, 4);
      }
    });

    it('precedence: not > and > or; symbols and words mix', () => {
      assert.deepEqual(parseFilter('tcp or udp and not arp'), {
        k: 'or',
        a: { k: 'proto', proto: 'tcp' },
        b: { k: 'and', a: { k: 'proto', proto: 'udp' }, b: { k: 'not', a: { k: 'proto', proto: 'arp' } } },
      });
      assert.deepEqual(parseFilter('(tcp||udp)&&!arp'), {
        k: 'and',
        a: { k: 'or', a: { k: 'proto', proto: 'tcp' }, b: { k: 'proto', proto: 'udp' } },
        b: { k: 'not', a: { k: 'proto', proto: 'arp' } },
      });
      assert.deepEqual(parseFilter('not not tcp'), { k: 'not', a: { k: 'not', a: { k: 'proto', proto: 'tcp' } } });
    });

    it('IPv4 and IPv6 addresses', () => {
      assert.equal(parseIPv4Text('10.0.0.1'), 0x0a000001);
      assert.equal(parseIPv4Text('256.0.0.1'), null);
      assert.equal(parseIPv4Text('1.2.3'), null);
      assert.deepEqual([...parseIPv6Text('::1')!], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      assert.deepEqual([...parseIPv6Text('fe80::1:2')!].slice(0, 2), [0xfe, 0x80]);
      assert.deepEqual([...parseIPv6Text('::ffff:10.0.0.1')!].slice(10), [0xff, 0xff, 10, 0, 0, 1]);
      assert.deepEqual([...parseIPv6Text('1:2:3:4:5:6:7:8')!].slice(14), [0, 8]);
      assert.equal(parseIPv6Text('1:2:3'), null);
      assert.equal(parseIPv6Text('1::2::3'), null);
      assert.equal(parseIPv6Text('12345::1'), null);
      assert.equal(parseFilter('host fe80::1').k, 'host');
    });

    it('precise errors with the offset of the problem', () => {
      assert.deepEqual(err('port'), { error: 'expected a number after "port", found the end of the filter', at: 4 });
      assert.deepEqual(err('port http'), { error: 'expected a number after "port", found "http"', at: 5 });
      assert.deepEqual(err('port 70000'), { error: 'port 70000 is out of range (0 to 65535)', at: 5 });
      assert.deepEqual(err('host'), { error: 'expected an IPv4 or IPv6 address after "host", found the end of the filter', at: 4 });
      assert.deepEqual(err('host example.com'), { error: '"example.com" is not an IPv4 or IPv6 address (host names are not resolved)', at: 5 });
      assert.deepEqual(err('host 10.0.0.300'), { error: '"10.0.0.300" is not an IPv4 or IPv6 address (host names are not resolved)', at: 5 });
      assert.deepEqual(err('tcp and'), { error: 'the filter ends where a condition was expected', at: 7 });
      assert.deepEqual(err('and tcp'), { error: '"and" needs a condition before it', at: 0 });
      assert.deepEqual(err('(tcp or udp'), { error: 'expected ")" to close the "(" at 0, found the end of the filter', at: 11 });
      assert.deepEqual(err('tcp)'), { error: 'unmatched ")"', at: 3 });
      assert.deepEqual(err('tcp udp'), { error: 'expected "and" or "or" before "udp"', at: 4 });
      assert.deepEqual(err('tcp & udp'), { error: '"&" must be doubled: use "&&" or "and"', at: 4 });
      assert.deepEqual(err('tcp | udp'), { error: '"|" must be doubled: use "||" or "or"', at: 4 });
      assert.deepEqual(err('tcp = 1'), { error: '"=" was unexpected in this context: compare with "=="', at: 4 });
      assert.deepEqual(err('flags SX'), { error: '"X" is not a TCP flag letter: use F S R P . U E W e (case matters: E = ECE, e = AE)', at: 7 });
      assert.deepEqual(err('flags'), { error: 'expected TCP flag letters after "flags" (F S R P . U E W e), found the end of the filter', at: 5 });
      assert.deepEqual(err('src'), { error: 'expected "host" or "port" after "src", found the end of the filter', at: 3 });
      assert.deepEqual(err('dst tcp'), { error: 'expected "host" or "port" after "dst", found "tcp"', at: 4 });
      assert.deepEqual(err('10.0.0.1'), { error: 'an address needs a qualifier: write "host 10.0.0.1"', at: 0 });
      assert.deepEqual(err('tcp and 80'), { error: 'a number needs a qualifier: write "port 80" or "stream 80"', at: 8 });
      assert.deepEqual(err('tcp and foo'), {
        error: 'unknown word "foo": expected host, port, src, dst, tcp, udp, icmp, arp, stream, flags, problem, not or "("',
        at: 8,
      });
      assert.deepEqual(err('()'), { error: 'unexpected ")": a condition was expected', at: 1 });
      assert.deepEqual(err('stream -1'), { error: 'expected a number after "stream", found "-1"', at: 7 });
    });
  });

  describe('evaluator over typed columns', () => {
    it('protocols', () => {
      assert.deepEqual(matches('tcp'), [0, 1, 2, 6, 7]);
      assert.deepEqual(matches('udp'), [3]);
      assert.deepEqual(matches('icmp'), [4]);
      assert.deepEqual(matches('arp'), [5]);
      assert.deepEqual(matches('ip6'), [7]);
      assert.deepEqual(matches('ip'), [0, 1, 2, 3, 4, 6]);
    });

    it('hosts and ports with src/dst', () => {
      assert.deepEqual(matches('host 10.0.0.1'), [0, 1, 2, 3, 4, 5, 6]);
      assert.deepEqual(matches('src host 10.0.0.1'), [0, 2, 3, 5]);
      assert.deepEqual(matches('dst 10.0.0.1'), [1, 4, 6]);
      assert.deepEqual(matches('host fe80::2'), [7]);
      assert.deepEqual(matches('host 192.0.2.1'), []);
      assert.deepEqual(matches('port 80'), [0, 1, 2]);
      assert.deepEqual(matches('src port 80'), [1]);
      assert.deepEqual(matches('dst port 80'), [0, 2]);
      assert.deepEqual(matches('udp port 53'), [3]);
      assert.deepEqual(matches('tcp port 53'), []);
      // ICMP and ARP have no ports even when a column holds a stale value
      assert.deepEqual(matches('port 0'), []);
    });

    it('flags: packets having all the given flags', () => {
      assert.deepEqual(matches('flags S'), [0, 1]);
      assert.deepEqual(matches('flags S.'), [1]);
      assert.deepEqual(matches('flags .'), [1, 2, 6, 7]);
      assert.deepEqual(matches('flags R'), [6]);
      assert.deepEqual(matches('flags FP'), [7]);
      assert.deepEqual(matches('flags none'), []);
    });

    it('stream, problem, and/or/not, parentheses', () => {
      assert.deepEqual(matches('stream 0'), [0, 1, 2]);
      assert.deepEqual(matches('stream 5'), []);
      assert.deepEqual(matches('problem'), [6]);
      assert.deepEqual(matches('not tcp'), [3, 4, 5]);
      assert.deepEqual(matches('!tcp && host 10.0.0.1'), [3, 4, 5]);
      assert.deepEqual(matches('udp or arp'), [3, 5]);
      assert.deepEqual(matches('host 10.0.0.1 and (udp || problem)'), [3, 6]);
      assert.deepEqual(matches('host 10.0.0.1 and udp || problem'), [3, 6]);
      assert.deepEqual(matches('not (tcp or udp) and not arp'), [4]);
      assert.deepEqual(matches(''), [0, 1, 2, 3, 4, 5, 6, 7]);
    });
  });
});
