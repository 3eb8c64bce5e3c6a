/**
 * The decoders' and printers' scratch state is owned by the run, not the module (issue 12): each
 * DecodedPacket has its own DecodeScratch (IPv6 walk, PPP header, TCP option cursor), each
 * PrintContext its own printer scratch. Here a tunnelled packet whose outer and inner layers both
 * use that scratch (IPv6 extension headers outside and inside, PPPoE inside GRE, TCP options inside)
 * is decoded and printed, and the outer layer's fields, scratch and text must be what they are on
 * their own: the inner decode (a different inner with other headers and options) changes none of them.
 * With one module-level walk (the old `walk6`) the outer packet's walk read back the inner's.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeFrame, DecodedPacket, innermost, NET_IPV6 } from '../src/core/decode/index';
import { blankRecord } from '../src/core/capture/types';
import { PacketPrinter } from '../src/core/print/packet';
import { parsePrintArgs } from '../src/core/print/args';
import { opt, parseIPv6, tcpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { needTool } from './helpers/tools';

const HOPOPTS = 0;
const DSTOPTS = 60;
const GRE = 47;
const TH_SYN = 0x02;

/** An IPv6 packet (header + upper layer) with 8-byte extension headers `exts` (each a PadN of 4) inserted after the header. */
function withExt(ip6: Uint8Array, exts: number[]): Uint8Array {
  const out = new Uint8Array(ip6.length + 8 * exts.length);
  out.set(ip6.subarray(0, 40), 0);
  const upper = ip6[6];
  out[6] = exts.length ? exts[0] : upper;
  const plen = ((ip6[4] << 8) | ip6[5]) + 8 * exts.length;
  out[4] = plen >> 8;
  out[5] = plen & 255;
  exts.forEach((_, i) => out.set([i + 1 < exts.length ? exts[i + 1] : upper, 0, 1, 4, 0, 0, 0, 0], 40 + 8 * i));
  out.set(ip6.subarray(40), 40 + 8 * exts.length);
  return out;
}

function ip6Header(nh: number, payloadLen: number): number[] {
  return [0x60, 0, 0, 0, payloadLen >> 8, payloadLen & 255, nh, 64, ...parseIPv6('2001:db8::1'), ...parseIPv6('2001:db8::2')];
}

const eth = (type: number, src = 0x11, dst = 0x12): number[] => [2, 0, 0, 0, 0, dst, 2, 0, 0, 0, 0, src, type >> 8, type & 255];

/** The inner IPv6 TCP SYN; `variant` 1 and 2 differ in their extension header and option values, not in their lengths. */
function innerIp(variant: 1 | 2): Uint8Array {
  const options = variant === 1
    ? [...opt.mss(1400), ...opt.sackOk(), ...opt.ts(7, 0), ...opt.nop(), ...opt.wscale(7)]
    : [...opt.mss(536), ...opt.nop(), ...opt.nop(), ...opt.ts(99, 5), ...opt.nop(), ...opt.wscale(2)];
  const ip = tcpFrame({ src: '2001:db8:1::1', dst: '2001:db8:1::2', sport: 40000, dport: 443, seq: 1000, flags: TH_SYN, options }).subarray(14);
  return withExt(ip, [variant === 1 ? DSTOPTS : HOPOPTS]);
}

/** Ethernet, IPv6 with hop-by-hop and destination options, GRE (`proto`), then `payload`. */
function outerFrame(proto: number, payload: Uint8Array | number[]): Uint8Array {
  const gre = [0, 0, proto >> 8, proto & 255];
  const ip = withExt(Uint8Array.from([...ip6Header(GRE, gre.length + payload.length), ...gre, ...payload]), [HOPOPTS, DSTOPTS]);
  return Uint8Array.from([...eth(0x86dd), ...ip]);
}

/** IPv6 in GRE (EtherType 0x86dd) inside IPv6 with extension headers. */
const greIp6 = (v: 1 | 2): Uint8Array => outerFrame(0x86dd, innerIp(v));
/** Ethernet in GRE (0x6558) carrying PPPoE session + PPP (IPv6) inside IPv6 with extension headers. */
function grePppoe(v: 1 | 2): Uint8Array {
  const ip = innerIp(v);
  const len = ip.length + 2;
  return outerFrame(0x6558, [...eth(0x8864, 0x21, 0x22), 0x11, 0, 0x1a, 0x2b, len >> 8, len & 255, 0, 0x57, ...ip]);
}

const OUTER_EXT = 14 + 40 + 16; // GRE header offset: Ethernet, IPv6, hop-by-hop, destination options

interface Outer { hdrLen: number; proto: number; payloadOff: number; payloadLen: number; jumbo: number; walkNh: number; walkCp: number; walkLen: number }
function outerOf(p: DecodedPacket): Outer {
  const w = p.scratch.ip6Walk;
  return { hdrLen: p.net.hdrLen, proto: p.net.proto, payloadOff: p.net.payloadOff, payloadLen: p.net.payloadLen, jumbo: p.net.jumbo, walkNh: w.nh, walkCp: w.cp, walkLen: w.len };
}

function print(frames: Uint8Array[], args: string[]): string[] {
  const pr = new PacketPrinter(parsePrintArgs(['x.pcap', '-t', ...args]).opts);
  return frames.map((f, i) => pr.print({ ...blankRecord('pcap'), index: i, tsSec: 1700000000 + i, data: f, origLen: f.length, linkType: 1 }));
}

describe('scratch state belongs to the run: nested encapsulation cannot corrupt the outer layer', () => {
  for (const [name, build, depth] of [['IPv6 in GRE in IPv6', greIp6, 1], ['PPPoE in Ethernet in GRE in IPv6', grePppoe, 1]] as const) {
    it(`${name}: the outer IPv6 walk, fields and text are the same whatever the inner packet holds`, () => {
      const pkt = new DecodedPacket();
      decodeFrame(pkt, build(1), build(1).length, 1);
      assert.ok(pkt.inner, 'the tunnel opens an inner packet');
      assert.equal(pkt.inner.depth, depth);
      // the outer level, read after the inner decode: its own walk (GRE after 16 bytes of extension headers)
      const outer = outerOf(pkt);
      assert.equal(pkt.net.kind, NET_IPV6);
      assert.deepEqual(outer, {
        hdrLen: 56, proto: GRE, payloadOff: OUTER_EXT, payloadLen: build(1).length - OUTER_EXT, jumbo: -1,
        walkNh: GRE, walkCp: OUTER_EXT, walkLen: build(1).length - OUTER_EXT,
      });
      assert.notEqual(pkt.inner.scratch, pkt.scratch, 'each level has its own scratch');
      // the inner level: its own walk and options
      const inner = innermost(pkt);
      assert.equal(inner.net.kind, NET_IPV6);
      assert.equal(inner.net.hdrLen, 48);
      assert.equal(inner.scratch.ip6Walk.nh, 6);
      assert.deepEqual([inner.l4.mss, inner.l4.sackOk, inner.l4.tsVal, inner.l4.wscale], [1400, true, 7, 7]);
      assert.equal(pkt.truncated || pkt.malformed || inner.truncated || inner.malformed, false, pkt.problem + inner.problem);
      // another inner packet (other extension header, other option values, same lengths): the outer is untouched
      decodeFrame(pkt, build(2), build(2).length, 1);
      assert.deepEqual(outerOf(pkt), outer);
      assert.deepEqual([innermost(pkt).l4.mss, innermost(pkt).l4.tsVal, innermost(pkt).l4.wscale], [536, 99, 2]);
    });

    it(`${name}: printed, the outer layers' text does not depend on the inner packet`, () => {
      for (const args of [[], ['-v'], ['-e', '-v']]) {
        const [a, b] = print([build(1), build(2)], args);
        // the text up to the inner IPv6 header is the outer layers' (with -e the inner Ethernet of PPPoE too)
        const cut = (s: string): string => s.slice(0, Math.max(s.lastIndexOf('IP6 '), s.lastIndexOf('(hlim')));
        assert.ok(cut(a).includes('2001:db8::1'), a);
        assert.equal(cut(a), cut(b), args.join(' '));
        assert.match(a, /options \[mss 1400,sackOK,TS val 7 ecr 0,nop,wscale 7\]/);
        assert.match(b, /options \[mss 536,nop,nop,TS val 99 ecr 5,nop,wscale 2\]/);
      }
    });
  }

  it('prints these frames as tcpdump does (when installed)', function () {
    needTool(this, 'tcpdump');
    const frames = [greIp6(1), greIp6(2), grePppoe(1), grePppoe(2)];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-'));
    try {
      const file = path.join(dir, 'n.pcap');
      const parts = [pcapHeader(), ...frames.map((f, i) => pcapRecord(1700000000 + i, 0, f))];
      fs.writeFileSync(file, Buffer.concat(parts));
      for (const args of [[], ['-v']]) {
        const r = spawnSync('tcpdump', ['-n', '-t', ...args, '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'GMT0' } });
        // tcpdump 4.99.3's -v IPv6 head "next-header Options (0) payload length: 24)" is printed the later way, as
        // the conformance suite has it (../shared/corpus/tcpdump/bigtcp-ipv6-hbh.out): "next-header HBH (0), payload length 24)"
        const want: string = r.stdout.replace(/\) payload length: (\d+)\)/g, '), payload length $1)').replace(/next-header Options \(0\)/g, 'next-header HBH (0)');
        assert.equal(print(frames, args).join(''), want, args.join(' '));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
