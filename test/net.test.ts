/**
 * Link, IPv4/IPv6 and ARP decoding and printing: link types, VLAN stacks, IPv6 extension
 * headers, field offsets, damaged frames (fuzzed corpus frames must neither throw nor read past
 * the frame), and the network-layer text compared with tcpdump's own expected output.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeFrame } from '../src/core/decode/index';
import { DecodedPacket, NET_ARP, NET_IPV4, NET_IPV6, NET_OTHER } from '../src/core/decode/packet';
import { FieldNode, findField, TreeSink } from '../src/core/decode/fields';
import { IPERR_FRAGMENT, IPERR_HDR_CAPLEN, IPERR_LENGTH, IPERR_PLEN, IPERR_TOTLEN, IPERR_TRUNC, IPERR_VERSION } from '../src/core/decode/ip';
import { printLink } from '../src/core/print/link';
import { PrintContext } from '../src/core/print/context';
import { defaultPrintOptions, PrintOptions } from '../src/core/print/options';
import { CORPUS, needCorpus } from './helpers/corpus';
import { concatBytes } from '../src/core/synth/writers';

// ---------------------------------------------------------------------------------------------
// helpers

function hex(s: string): Uint8Array {
  const t = s.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}
function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  return concatBytes(parts);
}
function be16(n: number): number[] {
  return [(n >> 8) & 255, n & 255];
}
function be32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}
function le32(n: number): number[] {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
}
function ipCksum(h: Uint8Array): number {
  let s = 0;
  for (let i = 0; i + 1 < h.length; i += 2) s += (h[i] << 8) | h[i + 1];
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const MAC_DST = hex('00 11 22 33 44 55');
const MAC_SRC = hex('66 77 88 99 aa bb');
function eth(type: number): Uint8Array {
  return cat(MAC_DST, MAC_SRC, be16(type));
}
function vlanTag(tci: number, inner: number): number[] {
  return [...be16(tci), ...be16(inner)];
}
/** An IPv4 header (checksum filled in) + payload. */
function ipv4(opts: { proto?: number; payload?: Uint8Array; options?: number[]; ttl?: number; id?: number; flagsOff?: number; totalLen?: number; tos?: number; badCksum?: boolean } = {}): Uint8Array {
  const options = opts.options ?? [];
  const payload = opts.payload ?? new Uint8Array(0);
  const hlen = 20 + options.length;
  const total = opts.totalLen ?? hlen + payload.length;
  const h = new Uint8Array(hlen);
  h[0] = 0x40 | (hlen >> 2);
  h[1] = opts.tos ?? 0;
  h.set(be16(total), 2);
  h.set(be16(opts.id ?? 1), 4);
  h.set(be16(opts.flagsOff ?? 0x4000), 6);
  h[8] = opts.ttl ?? 64;
  h[9] = opts.proto ?? 6;
  h.set([10, 0, 0, 1], 12);
  h.set([10, 0, 0, 2], 16);
  h.set(options, 20);
  const c = ipCksum(h);
  h.set(be16(opts.badCksum ? c ^ 0x1111 : c), 10);
  return cat(h, payload);
}
/** An IPv6 header + payload (payload length = payload bytes unless given). */
function ipv6(nh: number, payload: Uint8Array, plen?: number, flow = 0x6001234f): Uint8Array {
  const h = new Uint8Array(40);
  h.set(be32(flow), 0);
  h.set(be16(plen ?? payload.length), 4);
  h[6] = nh;
  h[7] = 64;
  h.set(hex('2001 0db8 0000 0000 0000 0000 0000 0001'), 8);
  h.set(hex('2001 0db8 0000 0000 0000 0000 0000 0002'), 24);
  return cat(h, payload);
}
/** A 20-byte TCP header (SYN), no options. */
function tcp(sport = 1234, dport = 80): Uint8Array {
  return cat(be16(sport), be16(dport), be32(1000), be32(0), [0x50, 0x02], be16(65535), [0, 0], [0, 0]);
}
const ARP_REQUEST = cat(be16(1), be16(0x0800), [6, 4], be16(1), MAC_SRC, [10, 0, 0, 1], new Uint8Array(6), [10, 0, 0, 2]);
const ARP_REPLY = cat(be16(1), be16(0x0800), [6, 4], be16(2), MAC_SRC, [10, 0, 0, 2], MAC_DST, [10, 0, 0, 1]);

function decode(data: Uint8Array, linkType: number, origLen = data.length, sink: TreeSink | null = null): DecodedPacket {
  return decodeFrame(new DecodedPacket(), data, origLen, linkType, sink);
}
function ctxOf(o: Partial<PrintOptions> = {}): PrintContext {
  return new PrintContext({ ...defaultPrintOptions(), ...o });
}
function print(data: Uint8Array, linkType: number, o: Partial<PrintOptions> = {}, origLen = data.length): string {
  return printLink(decode(data, linkType, origLen), ctxOf(o));
}
function field(root: FieldNode, name: string): FieldNode {
  const f = findField(root, name);
  assert.ok(f, 'field ' + name + ' reported');
  return f;
}

// ---------------------------------------------------------------------------------------------
// a tiny classic-pcap walker (test-only; the real readers live in src/core/capture)

interface Rec {
  data: Uint8Array;
  origLen: number;
}
function readPcap(file: string): { linkType: number; recs: Rec[] } | null {
  const b = new Uint8Array(fs.readFileSync(file));
  if (b.length < 24) return null;
  const m = (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
  let le: boolean;
  if (m === (0xd4c3b2a1 | 0) || m === 0x4d3cb2a1) le = true;
  else if (m === (0xa1b2c3d4 | 0) || m === (0xa1b23c4d | 0)) le = false;
  else return null;
  const u32 = (o: number): number => (le ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0 : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0);
  const linkType = u32(20) & 0x0fffffff;
  const recs: Rec[] = [];
  let o = 24;
  while (o + 16 <= b.length) {
    const incl = u32(o + 8);
    const orig = u32(o + 12);
    if (o + 16 + incl > b.length) break;
    recs.push({ data: b.slice(o + 16, o + 16 + incl), origLen: orig });
    o += 16 + incl;
  }
  return { linkType, recs };
}


/** Rows of tcpdump/MANIFEST.tsv. */
function manifest(): Record<string, string>[] {
  if (!CORPUS) return [];
  const lines = fs.readFileSync(path.join(CORPUS, 'tcpdump', 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l);
  const head = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const r: Record<string, string> = {};
    head.forEach((h, i) => (r[h] = cells[i] ?? ''));
    return r;
  });
}

/** Expected packets of a tcpdump -# .out file: number → its lines. */
function expectedPackets(file: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let cur: string[] | undefined;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^ {0,4}(\d+)  /.exec(line);
    if (m) {
      cur = [line];
      out.set(Number(m[1]), cur);
    } else if (cur && line) cur.push(line);
  }
  return out;
}

/** Wrap a frame so that any read outside [0, length) throws (Uint8Array would return undefined). */
function strict(data: Uint8Array): Uint8Array {
  return new Proxy(data, {
    get(t, p) {
      if (typeof p === 'string' && /^-?\d+$/.test(p)) {
        const i = Number(p);
        if (i < 0 || i >= t.length) throw new Error('read out of bounds at ' + i + ' (length ' + t.length + ')');
        return t[i];
      }
      const v = Reflect.get(t, p, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

// ---------------------------------------------------------------------------------------------

describe('link layers', () => {
  it('Ethernet IPv4: offsets, addresses, lengths', () => {
    const f = cat(eth(0x0800), ipv4({ payload: tcp() }));
    const sink = new TreeSink();
    const p = decode(f, 1, f.length, sink);
    assert.equal(p.link.hdrLen, 14);
    assert.equal(p.link.etherType, 0x0800);
    assert.equal(p.net.kind, NET_IPV4);
    assert.equal(p.net.off, 14);
    assert.equal(p.net.src, '10.0.0.1');
    assert.equal(p.net.dst, '10.0.0.2');
    assert.equal(p.net.srcOff, 26);
    assert.equal(p.net.dstOff, 30);
    assert.equal(p.net.addrLen, 4);
    assert.equal(p.net.proto, 6);
    assert.equal(p.net.payloadOff, 34);
    assert.equal(p.net.payloadLen, 20);
    assert.equal(p.truncated || p.malformed, false);
    const r = sink.root;
    assert.deepEqual([field(r, 'eth.dst').offset, field(r, 'eth.dst').length], [0, 6]);
    assert.deepEqual([field(r, 'eth.src').offset, field(r, 'eth.src').length], [6, 6]);
    assert.deepEqual([field(r, 'eth.type').offset, field(r, 'eth.type').length, field(r, 'eth.type').value], [12, 2, 0x0800]);
    assert.deepEqual([field(r, 'ip.ttl').offset, field(r, 'ip.ttl').length, field(r, 'ip.ttl').value], [22, 1, 64]);
    assert.deepEqual([field(r, 'ip.version').offset, field(r, 'ip.version').bitmask], [14, 0xf0]);
    assert.deepEqual([field(r, 'ip.hdr_len').offset, field(r, 'ip.hdr_len').value], [14, 20]);
    assert.deepEqual([field(r, 'ip.len').offset, field(r, 'ip.len').length], [16, 2]);
    assert.deepEqual([field(r, 'ip.id').offset, field(r, 'ip.flags.df').offset, field(r, 'ip.flags.df').value], [18, 20, true]);
    assert.deepEqual([field(r, 'ip.frag_offset').offset, field(r, 'ip.proto').offset, field(r, 'ip.checksum').offset], [20, 23, 24]);
    assert.match(String(field(r, 'ip.checksum').display), /\[correct\]/);
    assert.deepEqual([field(r, 'ip.src').offset, field(r, 'ip.src').length, field(r, 'ip.src').value], [26, 4, '10.0.0.1']);
    assert.deepEqual([field(r, 'ip.dst').offset, field(r, 'ip.dst').length], [30, 4]);
  });

  it('802.1Q / 802.1ad / 0x9100 stacks', () => {
    const f = cat(eth(0x88a8), vlanTag(0x2064, 0x8100), vlanTag(0xb0a5, 0x9100), vlanTag(0x000e, 0x0800), ipv4({ payload: tcp() }));
    const sink = new TreeSink();
    const p = decode(f, 1, f.length, sink);
    assert.equal(p.link.vlanCount, 3);
    assert.deepEqual(p.link.vlans.slice(0, 3), [0x88a8 * 65536 + 0x2064, 0x8100 * 65536 + 0xb0a5, 0x9100 * 65536 + 0x000e]);
    assert.equal(p.link.hdrLen, 26);
    assert.equal(p.net.kind, NET_IPV4);
    assert.equal(field(sink.root, 'ip.ttl').offset, 26 + 8);
    assert.equal(field(sink.root, 'vlan.id').value, 100);
    assert.equal(field(sink.root, 'vlan.id').offset, 14);
    const line = print(f, 1, { linkHeader: true });
    assert.equal(
      line.slice(0, line.indexOf('10.0.0.1')),
      '66:77:88:99:aa:bb > 00:11:22:33:44:55, ethertype 802.1Q-QinQ (0x88a8), length ' + f.length + ': vlan 100, p 1, ' +
        'ethertype 802.1Q (0x8100), vlan 165, p 5, DEI, ethertype 802.1Q-9100 (0x9100), vlan 14, p 0, ethertype IPv4 (0x0800), ',
    );
    // without -e the tags are not printed
    assert.ok(print(f, 1).startsWith('IP 10.0.0.1.1234 > 10.0.0.2.80: '));
  });

  it('NULL and LOOP in both byte orders, every IPv6 AF value', () => {
    const v4 = ipv4({ payload: tcp() });
    const v6 = ipv6(6, tcp());
    for (const lt of [0, 108]) {
      for (const hdr of [le32(2), be32(2)]) {
        const p = decode(cat(hdr, v4), lt);
        assert.equal(p.net.kind, NET_IPV4, 'AF 2 on ' + lt);
        assert.equal(p.net.off, 4);
      }
      for (const af of [24, 28, 30]) {
        for (const hdr of [le32(af), be32(af)]) {
          const p = decode(cat(hdr, v6), lt);
          assert.equal(p.net.kind, NET_IPV6, 'AF ' + af + ' on ' + lt);
          assert.equal(p.net.src, '2001:db8::1');
        }
      }
    }
    const odd = decode(cat(le32(7), v4), 0);
    assert.equal(odd.net.kind, NET_OTHER);
    assert.equal(print(cat(le32(2), v4), 0, { linkHeader: true }).slice(0, 24), 'AF IPv4 (2), length 44: ');
    assert.equal(print(cat(be32(30), v6), 0, { linkHeader: true }).slice(0, 25), 'AF IPv6 (30), length 64: ');
    assert.ok(print(cat(le32(7), v4), 0).startsWith('AF ISO (7), length 44: \n\t0x0000:  4500'));
  });

  it('raw IP (101, 12, 14), IPV4 (228), IPV6 (229)', () => {
    const v4 = ipv4({ payload: tcp() });
    const v6 = ipv6(6, tcp());
    for (const lt of [101, 12, 14]) {
      assert.equal(decode(v4, lt).net.kind, NET_IPV4);
      assert.equal(decode(v6, lt).net.kind, NET_IPV6);
      assert.equal(decode(v6, lt).link.hdrLen, 0);
    }
    assert.equal(decode(v4, 228).net.kind, NET_IPV4);
    assert.equal(decode(v6, 229).net.kind, NET_IPV6);
    // the link type decides, not the nibble
    const p = decode(v6, 228);
    assert.equal(p.net.kind, NET_IPV4);
    assert.equal(p.net.err, IPERR_VERSION);
    assert.equal(printLink(p, ctxOf()), 'IP  [version 6 != 4] (invalid)');
    assert.equal(print(v4, 101, { linkHeader: true }).slice(0, 4), 'ip: ');
    assert.equal(print(hex('50 00'), 101), 'unknown ip 5');
  });

  it('Linux cooked v1 and v2', () => {
    const sll = cat(be16(4), be16(1), be16(6), MAC_SRC, [0, 0], be16(0x0800), ipv4({ payload: tcp() }));
    const sink = new TreeSink();
    const p = decode(sll, 113, sll.length, sink);
    assert.equal(p.link.hdrLen, 16);
    assert.equal(p.net.kind, NET_IPV4);
    assert.equal(field(sink.root, 'sll.pkttype').value, 4);
    assert.equal(field(sink.root, 'sll.src.eth').value, '66:77:88:99:aa:bb');
    assert.deepEqual([field(sink.root, 'sll.etype').offset, field(sink.root, 'ip.ttl').offset], [14, 24]);
    assert.equal(print(sll, 113, { linkHeader: true }).slice(0, 61), 'Out 66:77:88:99:aa:bb ethertype IPv4 (0x0800), length 56: 10.');
    const sllIn = sll.slice();
    sllIn[1] = 0;
    assert.equal(print(sllIn, 113, { linkHeader: true }).slice(0, 4), ' In ');
    assert.ok(print(sll, 113).startsWith('IP 10.0.0.1.1234 > '));

    const sll2 = cat(be16(0x86dd), [0, 0], be32(1), be16(1), [0, 6], MAC_SRC, [0, 0], ipv6(6, tcp()));
    const s2 = new TreeSink();
    const q = decode(sll2, 276, sll2.length, s2);
    assert.equal(q.link.hdrLen, 20);
    assert.equal(q.net.kind, NET_IPV6);
    assert.deepEqual([field(s2.root, 'sll.ifindex').offset, field(s2.root, 'sll.ifindex').value], [4, 1]);
    assert.deepEqual([field(s2.root, 'ipv6.hlim').offset, field(s2.root, 'ipv6.hlim').length], [27, 1]);
    assert.ok(print(sll2, 276).startsWith('lo    In  IP6 2001:db8::1.1234 > 2001:db8::2.80: '));
    assert.ok(print(sll2, 276, { linkHeader: true }).startsWith('lo    In  ifindex 1 66:77:88:99:aa:bb ethertype IPv6 (0x86dd), length 80: '));
  });

  it('unsupported link types and unknown EtherTypes', () => {
    const p = decode(hex('00 01 02 03'), 147);
    assert.equal(p.link.unsupported, true);
    assert.equal(printLink(p, ctxOf()), 'unsupported link type 147, length 4');
    const f = cat(eth(0x1234), hex('de ad be ef'));
    const q = decode(f, 1);
    assert.equal(q.net.kind, NET_OTHER);
    assert.equal(q.link.etherType, 0x1234);
    assert.equal(printLink(q, ctxOf()), '66:77:88:99:aa:bb > 00:11:22:33:44:55, ethertype Unknown (0x1234), length 18: \n\t0x0000:  dead beef                                ....');
    assert.equal(printLink(q, ctxOf({ hex: 1 })), '66:77:88:99:aa:bb > 00:11:22:33:44:55, ethertype Unknown (0x1234), length 18: ');
    assert.equal(printLink(q, ctxOf({ linkHeader: true, hex: 1 })), '66:77:88:99:aa:bb > 00:11:22:33:44:55, ethertype Unknown (0x1234), length 18: ');
    assert.equal(printLink(q, ctxOf({ quiet: true, hex: 1 })), '66:77:88:99:aa:bb > 00:11:22:33:44:55, Unknown Ethertype (0x1234), length 18: ');
  });

  it('short frames are marked, not thrown', () => {
    for (const [lt, n, proto] of [[1, 13, 'ether'], [0, 3, 'null'], [113, 15, 'sll'], [276, 19, 'sll2']] as const) {
      const p = decode(new Uint8Array(n), lt, 100);
      assert.equal(p.truncated, true);
      assert.equal(p.link.trunc, proto);
      assert.ok(p.problem.length > 0);
      assert.equal(printLink(p, ctxOf()), ' [|' + proto + ']');
    }
    const v = decode(cat(eth(0x8100), [0, 1]), 1, 60);
    assert.equal(v.link.trunc, 'vlan');
    assert.equal(printLink(v, ctxOf()), ' [|vlan]');
  });
});

describe('IPv4', () => {
  it('-v header line, flags, ECN, checksum', () => {
    const f = cat(eth(0x0800), ipv4({ payload: tcp(), tos: 0x02, id: 4321 }));
    const line = print(f, 1, { verbose: 1 });
    assert.ok(line.startsWith('IP (tos 0x2,ECT(0), ttl 64, id 4321, offset 0, flags [DF], proto TCP (6), length 40)\n    10.0.0.1.1234 > 10.0.0.2.80: '), line);
    const bad = print(cat(eth(0x0800), ipv4({ payload: tcp(), badCksum: true, flagsOff: 0xe000 })), 1, { verbose: 1 });
    assert.match(bad, /^IP \(tos 0x0, ttl 64, id 1, offset 0, flags \[\+, DF, rsvd\], proto TCP \(6\), length 40, bad cksum [0-9a-f]+ \(->[0-9a-f]+\)!\)\n {4}/);
    const e = print(f, 1, { verbose: 1, linkHeader: true });
    assert.ok(e.startsWith('66:77:88:99:aa:bb > 00:11:22:33:44:55, ethertype IPv4 (0x0800), length 54: (tos 0x2,ECT(0), ttl 64'), e);
  });

  it('options', () => {
    const opts = [1, 1, 7, 7, 4, 1, 2, 3, 4, 0x94, 4, 0, 0, 0, 0, 0];
    const f = cat(eth(0x0800), ipv4({ payload: tcp(), options: opts }));
    const p = decode(f, 1);
    assert.equal(p.net.hdrLen, 36);
    assert.equal(p.net.payloadOff, 14 + 36);
    assert.ok(print(f, 1, { verbose: 1 }).startsWith('IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 56, options (NOP,NOP,RR 1.2.3.4,RA,EOL))\n'));
  });

  it('fragments', () => {
    const first = decode(cat(eth(0x0800), ipv4({ payload: tcp(), flagsOff: 0x2000 })), 1);
    assert.equal(first.net.isFragment, true);
    assert.equal(first.net.fragOffset, 0);
    assert.equal(first.l4.proto === -1 || first.l4.proto === 6, true);
    const later = cat(eth(0x0800), ipv4({ payload: new Uint8Array(16), flagsOff: 0x00b9 }));
    const p = decode(later, 1);
    assert.equal(p.net.isFragment, true);
    assert.equal(p.net.fragOffset, 0xb9 * 8);
    assert.equal(p.net.err, IPERR_FRAGMENT);
    assert.equal(p.l4.proto, -1);
    assert.equal(printLink(p, ctxOf()), 'IP 10.0.0.1 > 10.0.0.2: ip-proto-6');
    assert.ok(printLink(p, ctxOf({ verbose: 1 })).startsWith('IP (tos 0x0, ttl 64, id 1, offset 1480, flags [none], proto TCP (6), length 36)\n    10.0.0.1 > 10.0.0.2: ip-proto-6'));
  });

  it('bad lengths and versions', () => {
    const t = (ip: Uint8Array, origLen?: number): DecodedPacket => decode(cat(eth(0x0800), ip), 1, origLen === undefined ? undefined : origLen + 14);
    const short = t(ipv4({ payload: tcp() }).slice(0, 12), 12);
    assert.equal(short.net.err, IPERR_LENGTH);
    assert.equal(printLink(short, ctxOf()), 'IP  [length 12 < 20] (invalid)');
    const hl = ipv4({ payload: tcp() });
    hl[0] = 0x44;
    assert.equal(printLink(t(hl), ctxOf()), 'IP  [header length 16 < 20] (invalid)');
    const tl = ipv4({ payload: tcp(), totalLen: 19 });
    assert.equal(t(tl).net.err, IPERR_TOTLEN);
    assert.equal(printLink(t(tl), ctxOf()), 'IP  [total length 19 < 20] (invalid)');
    const v6in4 = ipv4({ payload: tcp() });
    v6in4[0] = 0x65;
    assert.equal(printLink(t(v6in4), ctxOf()), 'IP  [version 6 != 4] (invalid)');
    // total length larger than the frame: reported, then decoded with the frame's length
    const long = t(ipv4({ payload: tcp(), totalLen: 100 }));
    assert.equal(long.malformed, true);
    assert.equal(long.net.payloadLen, 20);
    assert.ok(printLink(long, ctxOf({ verbose: 1 })).startsWith('IP [total length 100 > length 40] (invalid) (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 100)\n    10.0.0.1.1234 > '));
    // caplen shorter than the header
    const cut = t(ipv4({ payload: tcp() }).slice(0, 10), 40);
    assert.equal(cut.net.err, IPERR_TRUNC);
    assert.equal(cut.truncated, true);
    assert.equal(printLink(cut, ctxOf()), 'IP  [|ip]');
    const opt = t(ipv4({ payload: tcp(), options: [1, 1, 1, 0] }).slice(0, 22), 44);
    assert.equal(opt.net.err, IPERR_HDR_CAPLEN);
    assert.equal(printLink(opt, ctxOf()), 'IP  [remaining caplen(22) < header length(24)] [|ip]');
  });

  it('total length 0: presumed TSO / BIG TCP', () => {
    const f = cat(eth(0x0800), ipv4({ payload: cat(tcp(), new Uint8Array(100)), totalLen: 0 }));
    const p = decode(f, 1);
    assert.equal(p.net.presumed, 1);
    assert.equal(p.net.payloadLen, 120);
    assert.ok(printLink(p, ctxOf({ verbose: 1 })).includes(', length 140 [was 0, presumed TSO])\n    '));
    const big = decode(f, 1, 70000);
    assert.equal(big.net.presumed, 2);
    assert.equal(big.net.payloadLen, 70000 - 14 - 20);
    assert.ok(printLink(big, ctxOf({ verbose: 1 })).includes(', length 69986 [was 0, presumed BIG TCP]'));
    const icmp = decode(cat(eth(0x0800), ipv4({ proto: 1, payload: new Uint8Array(8), totalLen: 0 })), 1);
    assert.equal(icmp.net.presumed, 0);
    assert.equal(printLink(icmp, ctxOf()), 'IP  [total length 0 < 20] (invalid)');
  });
});

describe('IPv6', () => {
  it('-v header and addresses', () => {
    const f = cat(eth(0x86dd), ipv6(6, tcp()));
    const sink = new TreeSink();
    const p = decode(f, 1, f.length, sink);
    assert.equal(p.net.kind, NET_IPV6);
    assert.equal(p.net.hdrLen, 40);
    assert.equal(p.net.proto, 6);
    assert.equal(p.net.payloadOff, 54);
    assert.equal(p.net.payloadLen, 20);
    assert.deepEqual([p.net.srcOff, p.net.dstOff, p.net.addrLen], [22, 38, 16]);
    assert.deepEqual([field(sink.root, 'ipv6.flow').offset, field(sink.root, 'ipv6.plen').offset, field(sink.root, 'ipv6.nxt').offset, field(sink.root, 'ipv6.hlim').offset], [15, 18, 20, 21]);
    assert.ok(print(f, 1, { verbose: 1 }).startsWith('IP6 (flowlabel 0x1234f, hlim 64, next-header TCP (6), payload length 20) 2001:db8::1.1234 > 2001:db8::2.80: '));
    const g = cat(eth(0x86dd), ipv6(6, tcp(), undefined, 0x6ab00000));
    assert.ok(print(g, 1, { verbose: 1 }).startsWith('IP6 (class 0xab, hlim 64, '));
  });

  it('walks hop-by-hop, destination, routing and fragment headers', () => {
    const frag = cat([6, 0], be16(0x0000), be32(0xdeadbeef));
    const rt = cat([44, 2, 0, 1], be32(0), hex('2001 0db8 0000 0000 0000 0000 0000 0099'));
    const dst = [43, 0, 1, 4, 0, 0, 0, 0];
    const hbh = [60, 0, 1, 4, 0, 0, 0, 0];
    const payload = cat(hbh, dst, rt, frag, tcp());
    const f = cat(eth(0x86dd), ipv6(0, payload));
    const sink = new TreeSink();
    const p = decode(f, 1, f.length, sink);
    assert.deepEqual([field(sink.root, 'ipv6.hopopts').offset, field(sink.root, 'ipv6.hopopts').length], [54, 8]);
    assert.deepEqual([field(sink.root, 'ipv6.dstopts').offset, field(sink.root, 'ipv6.routing').length], [62, 24]);
    assert.deepEqual([field(sink.root, 'ipv6.routing.segleft').offset, field(sink.root, 'ipv6.routing.segleft').value], [73, 1]);
    assert.deepEqual([field(sink.root, 'ipv6.fragment.id').offset, field(sink.root, 'ipv6.fragment.id').length, field(sink.root, 'ipv6.fragment.id').value], [98, 4, 0xdeadbeef]);
    assert.equal(p.net.proto, 6);
    assert.equal(p.net.hdrProto, 0);
    assert.equal(p.net.hdrLen, 40 + 8 + 8 + 24 + 8);
    assert.equal(p.net.payloadOff, 14 + 88);
    assert.equal(p.net.payloadLen, 20);
    assert.equal(p.net.isFragment, true);
    const line = print(f, 1, { verbose: 1 });
    assert.ok(
      line.startsWith('IP6 (flowlabel 0x1234f, hlim 64, next-header HBH (0), payload length 68) 2001:db8::1 > 2001:db8::2: HBH (padn) DSTOPT (padn) srcrt (len=2, type=0, segleft=1, rsv=0x0, [0]2001:db8::99) frag (0xdeadbeef:0|20) 1234 > 80: '),
      line,
    );
    const plain = print(f, 1);
    assert.ok(plain.startsWith('IP6 2001:db8::1 > 2001:db8::2: HBH DSTOPT srcrt (len=2, type=0, segleft=1, [0]2001:db8::99) frag (0|20) 1234 > 80: '), plain);
  });

  it('non-first fragment stops the walk', () => {
    const frag = cat([6, 0], be16(0x05a8), be32(7));
    const f = cat(eth(0x86dd), ipv6(44, cat(frag, new Uint8Array(16))));
    const p = decode(f, 1);
    assert.equal(p.net.err, IPERR_FRAGMENT);
    assert.equal(p.net.fragOffset, 1448);
    assert.equal(p.net.isFragment, true);
    assert.equal(printLink(p, ctxOf()), 'IP6 2001:db8::1 > 2001:db8::2: frag (1448|16)');
  });

  it('jumbo payload option and BIG TCP', () => {
    const jumbo = 70000;
    const hbh = [6, 0, 0xc2, 4, ...be32(jumbo)];
    const body = cat(hbh, tcp());
    const f = cat(eth(0x86dd), ipv6(0, body, 0));
    const origLen = 14 + 40 + jumbo;
    const p = decode(f, 1, origLen);
    assert.equal(p.net.jumbo, jumbo);
    assert.equal(p.net.proto, 6);
    assert.equal(p.net.payloadLen, jumbo - 8);
    assert.ok(printLink(p, ctxOf({ verbose: 1 })).includes('payload length 0) 2001:db8::1 > 2001:db8::2: HBH (jumbo: 70000)  1234 > 80: '));
    const noJumbo = decode(cat(eth(0x86dd), ipv6(0, cat([6, 0, 1, 4, 0, 0, 0, 0], tcp()), 0)), 1, origLen);
    assert.equal(noJumbo.malformed, true);
    assert.ok(printLink(noJumbo, ctxOf()).endsWith('HBH [No valid Jumbo Payload Hop-by-Hop option found] (invalid)'));
    const big = decode(cat(eth(0x86dd), ipv6(6, tcp(), 0)), 1, 14 + 80040);
    assert.equal(big.net.presumed, 2);
    assert.equal(big.net.payloadLen, 80000);
    assert.ok(printLink(big, ctxOf({ verbose: 1 })).includes('payload length 0) [real length 80040, presumed BIG TCP] 2001:db8::1.1234 > '));
  });

  it('bad versions and lengths', () => {
    const v = ipv6(6, tcp());
    v[0] = 0x30;
    assert.equal(print(v, 229), 'IP6  [version 3 != 6] (invalid)');
    const p = decode(ipv6(6, tcp(), 100), 229);
    assert.equal(p.net.err, IPERR_PLEN);
    assert.equal(printLink(p, ctxOf()), 'IP6  [header+payload length 140 > length 60] (invalid)');
    assert.equal(print(ipv6(6, tcp()).slice(0, 30), 229, {}, 30), 'IP6  [length 30 < 40] (invalid)');
    assert.equal(print(ipv6(6, tcp()).slice(0, 30), 229, {}, 60), 'IP6  [|ip6]');
  });
});

describe('ARP', () => {
  it('request and reply', () => {
    const req = cat(eth(0x0806), ARP_REQUEST);
    const sink = new TreeSink();
    const p = decode(req, 1, req.length, sink);
    assert.equal(p.net.kind, NET_ARP);
    assert.equal(p.net.src, '10.0.0.1');
    assert.equal(p.net.dst, '10.0.0.2');
    assert.deepEqual([field(sink.root, 'arp.opcode').offset, field(sink.root, 'arp.src.proto_ipv4').offset, field(sink.root, 'arp.dst.proto_ipv4').offset], [20, 28, 38]);
    assert.equal(printLink(p, ctxOf()), 'ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28');
    assert.equal(print(cat(eth(0x0806), ARP_REPLY), 1), 'ARP, Reply 10.0.0.2 is-at 66:77:88:99:aa:bb, length 28');
    assert.equal(print(cat(eth(0x0806), ARP_REQUEST), 1, { verbose: 1 }), 'ARP, Ethernet (len 6), IPv4 (len 4), Request who-has 10.0.0.2 tell 10.0.0.1, length 28');
    assert.equal(print(cat(eth(0x0806), ARP_REQUEST), 1, { linkHeader: true }), '66:77:88:99:aa:bb > 00:11:22:33:44:55, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.2 tell 10.0.0.1, length 28');
    assert.equal(print(cat(eth(0x0806), ARP_REQUEST.slice(0, 20)), 1, {}, 42), ' [|arp]');
  });
});

describe('lazy addresses', () => {
  it('formats only when read, and follows the frame', () => {
    const p = new DecodedPacket();
    decodeFrame(p, cat(eth(0x0800), ipv4({ payload: tcp() })), 54, 1);
    assert.equal(p.net.src, '10.0.0.1');
    decodeFrame(p, cat(eth(0x86dd), ipv6(6, tcp())), 74, 1);
    assert.equal(p.net.dst, '2001:db8::2');
    decodeFrame(p, cat(eth(0x1234), [1, 2]), 16, 1);
    assert.equal(p.net.src, '');
  });
});

// ---------------------------------------------------------------------------------------------
// corpus

describe('network layer against tcpdump (corpus)', function () {
  this.timeout(60000);
  const rows = manifest().filter((r) => r.capture_file.endsWith('.pcap'));

  before(function () {
    needCorpus(this);
  });

  it('prints the IP / IP6 / ARP part of every first line like tcpdump, up to the transport text', function () {
    let compared = 0;
    const bad: string[] = [];
    for (const r of rows) {
      const opts = r.tcpdump_options.replace('SPECIAL_t', '').trim().split(/\s+/).filter(Boolean);
      if (opts.some((o) => !['-v', '-vv', '-vvv', '-e', '-q', '-t', '-tt', '-ttt', '-tttt', '-ttttt', '--nano', '-x', '-xx', '-X', '-XX'].includes(o))) continue;
      const o: Partial<PrintOptions> = {
        verbose: opts.filter((x) => /^-v+$/.test(x)).reduce((a, x) => a + x.length - 1, 0),
        linkHeader: opts.includes('-e'),
        quiet: opts.includes('-q'),
        hex: opts.includes('-x') ? 1 : opts.includes('-xx') ? 2 : opts.includes('-X') ? 3 : opts.includes('-XX') ? 4 : 0,
      };
      const cap = readPcap(path.join(CORPUS!, 'tcpdump', r.capture_file));
      if (!cap) continue;
      const exp = expectedPackets(path.join(CORPUS!, 'tcpdump', r.expected_output_file));
      const ctx = ctxOf(o);
      const pkt = new DecodedPacket();
      cap.recs.forEach((rec, i) => {
        const lines = exp.get(i + 1);
        if (!lines) return;
        decodeFrame(pkt, rec.data, rec.origLen, cap.linkType);
        const k = pkt.net.kind;
        if (k !== NET_IPV4 && k !== NET_IPV6 && k !== NET_ARP) return;
        const ours = printLink(pkt, ctx).split('\n');
        // the expected first line, after number and time stamp: find where our text starts
        const first = lines[0];
        const cut = ours[0].length > 8 ? first.indexOf(ours[0].slice(0, 8)) : -1;
        const theirs = cut >= 0 ? first.slice(cut) : first;
        // compare the network-layer part: up to the transport text (ports / addresses of the upper layer)
        const n = netPartLength(ours[0], pkt);
        compared++;
        if (theirs.slice(0, n) !== ours[0].slice(0, n)) bad.push(r.test_name + ' #' + (i + 1) + '\n   tcpdump: ' + theirs.slice(0, n + 20) + '\n   ours:    ' + ours[0].slice(0, n + 20));
        // the -v IPv4 line is a line of its own
        if (o.verbose && k === NET_IPV4 && ours.length > 1 && lines.length > 1 && lines[1].startsWith('    ')) {
          const addrs = ours[1].slice(4, 4 + Math.max(8, pkt.net.src.length));
          if (!lines[1].startsWith('    ' + addrs)) bad.push(r.test_name + ' #' + (i + 1) + ' (second line)\n   tcpdump: ' + lines[1].slice(0, 60) + '\n   ours:    ' + ours[1].slice(0, 60));
        }
      });
    }
    assert.ok(compared > 700, 'compared ' + compared + ' packets');
    assert.deepEqual(bad, []);
  });

  it('decodes and prints fuzzed corpus frames without throwing or reading past the frame', function () {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const ctxs = [ctxOf(), ctxOf({ verbose: 3, linkHeader: true }), ctxOf({ quiet: true, hex: 1 })];
    const pkt = new DecodedPacket();
    let runs = 0;
    const linkTypes = [0, 1, 12, 101, 108, 113, 228, 229, 276];
    for (const r of rows) {
      const cap = readPcap(path.join(CORPUS!, 'tcpdump', r.capture_file));
      if (!cap) continue;
      for (const rec of cap.recs.slice(0, 40)) {
        for (let k = 0; k < 12; k++) {
          let d = rec.data.slice(0, k % 3 === 0 ? rnd(rec.data.length + 1) : rec.data.length);
          if (k % 3 !== 1) {
            d = d.slice();
            for (let j = 0, flips = 1 + rnd(4); j < flips && d.length; j++) d[rnd(Math.min(d.length, 80))] = rnd(256);
          }
          const lt = k === 11 ? linkTypes[rnd(linkTypes.length)] : cap.linkType;
          const origLen = k % 4 === 2 ? rnd(rec.origLen + 100) : rec.origLen;
          const s = strict(d);
          decodeFrame(pkt, s, origLen, lt, k % 4 === 3 ? new TreeSink() : null);
          assert.equal(pkt.problem.startsWith('decoder error'), false, r.capture_file + ': ' + pkt.problem);
          const text = printLink(pkt, ctxs[k % 3]);
          assert.equal(typeof text, 'string');
          runs++;
        }
      }
    }
    assert.ok(runs > 1000);
  });
});

/** Length of the network-layer text at the start of a printed line (before the transport part). */
function netPartLength(line: string, pkt: DecodedPacket): number {
  const net = pkt.net;
  if (net.kind === NET_ARP) return line.length;
  if (net.kind === NET_IPV4) {
    const nl = line.indexOf('\n');
    if (nl >= 0) return nl;
    const at = net.src ? line.indexOf(net.src) : -1;
    return at >= 0 ? at : line.length;
  }
  const at = net.src ? line.indexOf(net.src) : -1;
  if (at < 0) return line.length;
  // "IP6 (...) " up to the addresses, or through "src > dst: ext headers" when the IPv6 printer printed them
  const ports = line.indexOf(' > ', at + net.src.length + 4);
  return net.hdrProto !== net.proto && ports > 0 ? line.lastIndexOf(' ', ports - 1) : at;
}
