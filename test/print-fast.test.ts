/**
 * The printer's byte path (src/core/print/fast.ts, PacketPrinter.printInto, what `capture-lens print`
 * writes) against its string path (PacketPrinter.print, what the conformance tests compare with
 * tcpdump): the same bytes for every packet of every corpus capture, of the bench's generators and of
 * damaged copies of their frames, under the options that change the line; its IPv4 sequence table
 * against a Map; the realistic generator's promises; and, where tcpdump is installed, a realistic
 * capture printed by the CLI's path against `tcpdump -nn -r`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS, needCorpus, readAll } from './helpers/corpus';
import { needTool } from './helpers/tools';
import { parsePrintArgs } from '../src/cli';
import type { CaptureRecord } from '../src/core/capture/types';
import { LineBytes } from '../src/core/print/fast';
import { FastOtherPrinter } from '../src/core/print/fastOther';
import { PrintContext } from '../src/core/print/context';
import { decodeRecord } from '../src/core/decode/index';
import { PacketPrinter } from '../src/core/print/packet';
import { SeqTable4 } from '../src/core/print/tcp';
import { SeqTable6 } from '../src/core/print/seqTable6';
import { conversations, prng } from '../src/core/synth/conversations';
import { realisticTraffic } from '../src/core/synth/realistic';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { parseIPv6, tcpFrame, udpFrame } from '../src/core/synth/frames';
import { DecodedPacket, TH_ACK, TH_PUSH, TH_SYN } from '../src/core/decode/packet';
import { dhcpSamples, mdnsSamples, ntpSamples, ssdpSamples } from './helpers/appSamples';
import { dnsMessage } from './helpers/dnsMsg';

/** Option sets that change what the byte path does (time forms, -#, -S) and some that turn it off. */
const OPTION_SETS: string[][] = [[], ['-S'], ['-#', '-tttt'], ['-tt'], ['-ttt'], ['-ttttt', '--nano'], ['-t'], ['-v'], ['-e'], ['-q'], ['-x']];

/** Both paths over the same records with fresh printers: the first differing packet, or null. */
function compare(records: CaptureRecord[], args: string[]): { diff: string | null; printer: PacketPrinter } {
  const { opts } = parsePrintArgs(['f', ...args]);
  const strings = new PacketPrinter(opts);
  const bytes = new PacketPrinter(opts);
  const out = new LineBytes(256);
  for (const rec of records) {
    const want = strings.print(rec);
    const start = out.pos;
    bytes.printInto(rec, out);
    const got = Buffer.from(out.buf.subarray(start, out.pos)).toString('utf8');
    if (got !== want) return { diff: `packet ${rec.index + 1} (${args.join(' ') || 'no options'}):\n  print:     ${JSON.stringify(want)}\n  printInto: ${JSON.stringify(got)}`, printer: bytes };
    if (out.pos > 1 << 16) out.take();
  }
  return { diff: null, printer: bytes };
}

function record(index: number, tsSec: number, tsNsec: number, frame: Uint8Array, precision: 6 | 9 = 6, linkType = 1): CaptureRecord {
  return { index, tsSec, tsNsec, tsPrecision: precision, data: frame, origLen: frame.length, linkType, interfaceId: 0, fileOffset: 0, fileLength: 16 + frame.length, blockType: 'pcap' };
}

/** An Ethernet frame with `payload` after an IPv4 or IPv6 header naming `proto` (lengths right, no checksums). */
function ipFrame(v6: boolean, proto: number, payload: number[]): Uint8Array {
  const f = udpFrame({ src: v6 ? 'fe80::1' : '192.168.1.10', dst: v6 ? 'ff02::1:ff00:2' : '192.168.1.20', sport: 0, dport: 0, payload: payload.slice(8) });
  f.set(payload.slice(0, 8), v6 ? 54 : 34);
  f[v6 ? 20 : 23] = proto;
  return f;
}

/**
 * Ethernet frames of what is not TCP (fastOther.ts): UDP with and without an application printer
 * (DNS over IPv4 and IPv6, mDNS, DHCP, NTP, SSDP, an unknown port), ICMP echo and error messages, ICMPv6
 * echo and neighbour discovery, ARP, a protocol without a printer — and a few TCP segments, which
 * fast.ts prints over every link type.
 */
function otherFrames(): Uint8Array[] {
  const dns = dnsMessage({ id: 0x1234, flags: 0x0100, qd: [{ name: 'example.com', type: 1 }] });
  const answer = dnsMessage({ id: 0x1234, flags: 0x8180, qd: [{ name: 'example.com', type: 1 }], an: [{ name: 'example.com', type: 1, ttl: 300, rdata: [93, 184, 216, 34] }] });
  const target = parseIPv6('fe80::2');
  const quoted = [0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 192, 168, 1, 20, 192, 168, 1, 10, 0x9c, 0x40, 0, 53, 0, 20, 0, 0];
  return [
    udpFrame({ src: '192.168.1.10', dst: '192.168.1.1', sport: 40000, dport: 53, payload: dns }),
    udpFrame({ src: '192.168.1.1', dst: '192.168.1.10', sport: 53, dport: 40000, payload: answer }),
    udpFrame({ src: '2001:db8::10', dst: '2001:db8::1', sport: 40001, dport: 53, payload: dns }),
    udpFrame({ src: '192.168.1.10', dst: '192.168.1.20', sport: 40002, dport: 9999, payload: [1, 2, 3, 4, 5] }),
    udpFrame({ src: 'fe80::1', dst: 'ff02::fb', sport: 40003, dport: 7777, payload: [] }),
    ...[...mdnsSamples(), ...dhcpSamples(), ...ntpSamples(), ...ssdpSamples()].map((x) => x.frame),
    ipFrame(false, 1, [8, 0, 0, 0, 0x12, 0x34, 0, 7, ...new Array<number>(56).fill(0x61)]),
    ipFrame(false, 1, [0, 0, 0, 0, 0x12, 0x34, 0, 7, ...new Array<number>(56).fill(0x61)]),
    ipFrame(false, 1, [3, 3, 0, 0, 0, 0, 0, 0, ...quoted]),
    ipFrame(false, 1, [11, 0, 0, 0, 0, 0, 0, 0, ...quoted]),
    ipFrame(true, 58, [128, 0, 0, 0, 0, 9, 0, 1, 1, 2, 3, 4]),
    ipFrame(true, 58, [129, 0, 0, 0, 0, 9, 0, 1, 1, 2, 3, 4]),
    ipFrame(true, 58, [135, 0, 0, 0, 0, 0, 0, 0, ...target, 1, 1, 2, 0, 0, 0, 0, 1]),
    ipFrame(true, 58, [136, 0, 0, 0, 0x60, 0, 0, 0, ...target]),
    ipFrame(true, 58, [133, 0, 0, 0, 0, 0, 0, 0]),
    ...icmp6ErrorFrames(),
    ipFrame(true, 58, [3, 2, 0, 0, 0, 0, 0, 0, ...quoted6(17)]),
    ipFrame(false, 253, [0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]),
    ...addressFrames(),
    ...arpFrames(),
    tcpFrame({ src: '192.168.1.10', dst: '192.168.1.20', sport: 40004, dport: 443, seq: 1000, ack: 0, flags: TH_SYN }),
    tcpFrame({ src: '192.168.1.10', dst: '192.168.1.20', sport: 40004, dport: 443, seq: 1001, ack: 5001, flags: TH_PUSH | TH_ACK, payload: 3 }),
    tcpFrame({ src: '2001:db8::10', dst: '2001:db8::1', sport: 40005, dport: 22, seq: 7, ack: 9, flags: TH_ACK }),
  ];
}

/**
 * ICMPv6 errors quoting an IPv6 packet (UDP, TCP, ICMPv6 inside) that fastOther.ts writes as bytes: destination
 * unreachable codes 0 … 4, time exceeded 0 and 1. (Unreachable code 5 and up: tcpdump hex-dumps the message; code 4
 * quoting neither TCP nor UDP: tcpdump's " [|icmp6]"; the string printer does neither yet, so they are left out.)
 */
function icmp6ErrorFrames(): Uint8Array[] {
  return [
    ...[17, 6, 58].flatMap((nh) => [0, 1, 2, 3, 4].filter((code) => code < 4 || nh !== 58).map((code) => ipFrame(true, 58, [1, code, 0, 0, 0, 0, 0, 0, ...quoted6(nh)]))),
    ...[0, 1].map((code) => ipFrame(true, 58, [3, code, 0, 0, 0, 0, 0, 0, ...quoted6(17)])),
  ];
}

/** An Ethernet frame with an ARP packet: operation `op`, target hardware address `tha`, protocol type `pro`. */
function arp(op: number, tha: number[], pro = 0x0800): Uint8Array {
  return Uint8Array.from([...[255, 255, 255, 255, 255, 255], ...[2, 0, 0, 0, 0, 1], 8, 6, 0, 1, pro >> 8, pro & 255, 6, 4, 0, op, ...[2, 0, 0, 0, 0, 1], 192, 168, 1, 10, ...tha, 192, 168, 1, 20]);
}

/** ARP requests (target hardware address zero or not) and replies, IPv4 and protocol type 0x1000, that fastOther.ts writes as bytes. */
function arpFrames(): Uint8Array[] {
  return [arp(1, [0, 0, 0, 0, 0, 0]), arp(2, [2, 0, 0, 0, 0, 2]), arp(1, [0xab, 0xcd, 0xef, 0x01, 0x23, 0x45]), arp(1, [0, 0, 0, 0, 0, 0], 0x1000), arp(2, [0, 0, 0, 0, 0, 0], 0x1000)];
}

/** An IPv6 packet as an ICMPv6 error quotes it: its header (next header `nh`) and the first 8 bytes of what follows. */
function quoted6(nh: number): number[] {
  return [0x60, 0, 0, 0, 0, 16, nh, 1, ...parseIPv6('2001:db8::10'), ...parseIPv6('2001:db8:1::20'), 0x9c, 0x41, 0x82, 0x9b, 0, 16, 0, 0];
}

/**
 * ICMPv6 echo requests, neighbour solicitations and UDP datagrams between IPv6 addresses of every form
 * inet_ntop writes ("::", "::1", "::ffff:1.2.3.4", "::1.2.3.4", the first of two equal zero runs, no run,
 * no zero) and random ones with zero words.
 */
function addressFrames(): Uint8Array[] {
  const w = (...words: number[]): number[] => words.flatMap((x) => [x >> 8, x & 255]);
  const addrs = [
    w(0, 0, 0, 0, 0, 0, 0, 0), w(0, 0, 0, 0, 0, 0, 0, 1), w(0, 0, 0, 0, 0, 0, 0, 2), w(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304),
    w(0, 0, 0, 0, 0, 0, 0x0102, 0x0304), w(0, 0, 0, 0, 0, 0, 0, 0x0304), w(1, 0, 0, 2, 0, 0, 0, 3), w(1, 0, 0, 2, 0, 0, 3, 4),
    w(1, 0, 0, 0, 0, 0, 0, 0), w(0xabcd, 0xef01, 0x2345, 0x6789, 0xabcd, 0xef01, 0x2345, 0x6789), w(0, 1, 0, 1, 0, 1, 0, 1),
    w(0, 0, 1, 0, 0, 0, 0, 0), w(0x10, 0x100, 0x1000, 0xf, 0, 0, 0xfff, 0xffff), w(0, 0, 0, 0, 0, 0xfffe, 0x0102, 0x0304),
  ];
  const rnd = prng(17);
  for (let i = 0; i < 40; i++) addrs.push(w(...Array.from({ length: 8 }, () => (rnd() < 0.5 ? 0 : Math.floor(rnd() * 65536)))));
  const out: Uint8Array[] = [];
  addrs.forEach((a, i) => {
    const b = addrs[(i * 7 + 3) % addrs.length];
    for (const f of [ipFrame(true, 58, [128, 0, 0, 0, 0, i, 0, 1]), ipFrame(true, 58, [135, 0, 0, 0, 0, 0, 0, 0, ...b]), udpFrame({ src: '::1', dst: '::2', sport: 40000 + i, dport: 9999, payload: [i] })]) {
      f.set(a, 22);
      f.set(b, 38);
      out.push(f);
    }
  });
  return out;
}

/** Link types an Ethernet frame is re-wrapped in: every one whose printer leads straight to IP or ARP. */
const LINK_TYPES = [1, 113, 276, 101, 12, 14, 0, 108, 228, 229];

/**
 * The same network packet behind another link header (null when that link type cannot carry it):
 * Linux cooked v1 and v2 (their packet type and, for v2, the interface taken from `k`), raw IP, BSD
 * loopback (host and network byte order), the IPv4/IPv6 link types.
 */
function rewrap(eth: Uint8Array, linkType: number, k: number): Uint8Array | null {
  const type = (eth[12] << 8) | eth[13];
  const net = eth.subarray(14);
  const ip = type === 0x0800 || type === 0x86dd;
  const cat = (hdr: number[]): Uint8Array => Uint8Array.from([...hdr, ...net]);
  const mac = [2, 0, 0, 0, 0, 1, 0, 0];
  switch (linkType) {
    case 1:
      return eth;
    case 113:
      return cat([0, k % 6, 0, 1, 0, 6, ...mac, type >> 8, type & 255]);
    case 276:
      return cat([type >> 8, type & 255, 0, 0, 0, 0, 0, 1 + (k & 1), 0, 1, k % 6, 6, ...mac]);
    case 101:
    case 12:
    case 14:
      return ip ? net : null;
    case 0:
      return ip ? cat(type === 0x0800 ? [2, 0, 0, 0] : [24, 0, 0, 0]) : null;
    case 108:
      return ip ? cat(type === 0x0800 ? [0, 0, 0, 2] : [0, 0, 0, 30]) : null;
    case 228:
      return type === 0x0800 ? net : null;
    case 229:
      return type === 0x86dd ? net : null;
    default:
      return null;
  }
}

/** Records of `frames` behind every link type of LINK_TYPES. */
function rewrapped(frames: Uint8Array[]): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  for (const lt of LINK_TYPES) {
    frames.forEach((f, k) => {
      const data = rewrap(f, lt, k);
      if (data !== null) out.push(record(out.length, 1_700_000_000 + out.length, 1000 * k, data, 6, lt));
    });
  }
  return out;
}

function realisticRecords(packets: number, seed = 11): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  for (const p of realisticTraffic({ packets, seed })) out.push(record(out.length, p.tsSec, p.tsNsec - (p.tsNsec % 1000), p.frame));
  return out;
}

/**
 * Ethernet + IPv4/IPv6 + TCP frames whose option blocks are drawn from every kind tcp.ts's
 * printOptions prints (MPTCP with each subtype at its valid lengths and at others, TFO, the
 * experimental option, md5, TCP-AO, UTO, SCPS, CC, echo, SACK, unknown kinds), with lengths that
 * are sometimes wrong and frames sometimes cut inside the options; one connection's addresses, so
 * relative sequence numbers (and SACK edges) apply. Ports 22, 80 and others, some payloads "SSH-…".
 */
function randomOptionRecords(count: number, seed: number): CaptureRecord[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = (n: number) => Array.from({ length: n }, () => (rnd() < 0.2 ? 0 : int(256)));
  const pick = <T,>(a: T[]): T => a[int(a.length)];
  const MPTCP_LENGTHS = [[4, 12, 20, 22, 24], [12, 16, 24], [4, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28], [8, 10, 16, 18, 20, 22, 28, 30], [4, 5, 8], [3, 4], [12], [12], [4], [6]];
  const option = (): number[] => {
    const kind = pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 19, 20, 28, 29, 30, 30, 30, 30, 34, 254, 9, 77, 200]);
    if (kind <= 1) return [kind];
    let len: number;
    let body: number[];
    if (kind === 30) {
      const sub = int(11);
      len = rnd() < 0.9 ? pick(MPTCP_LENGTHS[Math.min(sub, 9)]) : 2 + int(20);
      body = [(sub << 4) | pick([0, 1, 4, 6, int(16)]), pick([0x01, 0x03, 0x04, 0x05, 0x0c, 0x0f, 0x15, 0x1d, 0x81, int(256)]), ...bytes(40)];
    } else if (kind === 254) {
      len = 2 + pick([0, 1, 2, 4, 6, 8, 12, 18]);
      body = [...pick([[0xf9, 0x89], [0xac, 0xc0], [0xac, 0xc1], bytes(2)]), ...bytes(40)];
    } else {
      const usual: Record<number, number[]> = { 2: [4], 3: [3], 4: [2], 5: [10, 18, 26, 34, 7], 6: [6], 7: [6], 8: [10], 11: [6], 12: [6], 13: [6], 19: [18], 20: [4], 28: [4], 29: [2, 3, 4, 8, 16], 34: [2, 4, 5, 10, 18, 20] };
      len = rnd() < 0.85 && usual[kind] ? pick(usual[kind]) : int(12);
      body = bytes(40);
    }
    return [kind, len, ...body.slice(0, Math.max(0, len - 2))];
  };
  const out: CaptureRecord[] = [];
  let seq = 1000;
  for (let i = 0; i < count; i++) {
    let options: number[] = [];
    // Linux's nop,nop,TS first on a third of them (the options writer's shortcut), sometimes cut
    if (rnd() < 0.3) options.push(1, 1, 8, 10, ...bytes(8));
    for (let k = 1 + int(4); k > 0; k--) options.push(...option());
    options = options.slice(0, 40);
    const v6 = rnd() < 0.3;
    const toServer = rnd() < 0.5;
    const server = pick([22, 80, 22, 5001]);
    const payload = rnd() < 0.5 ? 0 : rnd() < 0.2 ? Buffer.from('SSH-2.0-Test\r\n') : rnd() < 0.5 ? Buffer.from(bytes(1 + int(60))) : 1 + int(300);
    seq += 100;
    const frame = tcpFrame({
      src: v6 ? (toServer ? '2001:db8::1' : '2001:db8::2') : toServer ? '10.1.2.3' : '10.9.8.7',
      dst: v6 ? (toServer ? '2001:db8::2' : '2001:db8::1') : toServer ? '10.9.8.7' : '10.1.2.3',
      sport: toServer ? 40000 : server,
      dport: toServer ? server : 40000,
      seq,
      ack: seq + 7,
      flags: pick([0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x30, int(512)]),
      options,
      payload,
    });
    const cut = rnd() < 0.25 ? 54 + int(frame.length - 54) : frame.length;
    out.push(record(i, 1700000000 + i, 0, frame.subarray(0, cut)));
    out[i].origLen = frame.length;
  }
  return out;
}

describe('print: the byte path equals the string path', function () {
  this.timeout(120000);

  it('LineBytes writes numbers and strings as Node writes their text', function () {
    const out = new LineBytes(16);
    const nums = [0, 9, 10, 99, 100, 65535, 65536, 99999, 100000, 999999999, 1000000000, 4294967295];
    const texts = ['a', 'é (not ASCII)', '中文', 'x'.repeat(1000)];
    for (const n of nums) {
      out.num(n);
      out.str(' ');
    }
    for (const t of texts) out.str(t);
    out.padded(42, 6);
    const want = nums.map((n) => n + ' ').join('') + texts.join('') + '000042';
    assert.equal(Buffer.from(out.take()).toString('utf8'), want);
    assert.equal(out.pos, 0);
  });

  it('SeqTable4 finds what a Map finds, across growth', function () {
    const t = new SeqTable4();
    const m = new Map<string, number>();
    const rnd = prng(5);
    for (let i = 0; i < 20000; i++) {
      // few distinct addresses and ports, so keys collide in parts
      const a = (Math.floor(rnd() * 50) * 0x01010101) >>> 0;
      const b = (Math.floor(rnd() * 50) * 0x00ff00ff) >>> 0;
      const ports = ((Math.floor(rnd() * 30) << 16) | Math.floor(rnd() * 30)) >>> 0;
      const k = a + ' ' + b + ' ' + ports;
      const slot = t.find(a, b, ports);
      assert.equal(slot >= 0, m.has(k), `key ${k} after ${i} inserts`);
      if (slot >= 0) assert.equal(t.seq[slot], m.get(k));
      else {
        const s = t.add(a, b, ports);
        t.seq[s] = i;
        m.set(k, i);
      }
    }
    assert.ok(m.size > 5000, `only ${m.size} keys`);
  });

  it('SeqTable6 finds what a Map of the addresses finds, across growth', function () {
    const t = new SeqTable6();
    const m = new Map<string, number>();
    const rnd = prng(6);
    // two 16-byte addresses at 0 and 16: one of 40 base pairs with one or two of their 8 words changed to one of 3
    // values, so many keys differ from another in a single word (any of the 8) and only there
    const bases = Array.from({ length: 40 }, () => Array.from({ length: 8 }, () => Math.floor(rnd() * 2 ** 32)));
    const d = new Uint8Array(32);
    const dv = new DataView(d.buffer);
    for (let i = 0; i < 20000; i++) {
      const words = bases[Math.floor(rnd() * bases.length)].slice();
      for (let k = Math.floor(rnd() * 3); k > 0; k--) words[Math.floor(rnd() * 8)] = Math.floor(rnd() * 3);
      words.forEach((w, j) => dv.setUint32(4 * j, w));
      const ports = ((Math.floor(rnd() * 3) << 16) | Math.floor(rnd() * 3)) >>> 0;
      const k = Array.from(d).join(',') + ' ' + ports;
      const slot = t.find(d, 0, 16, ports);
      assert.equal(slot >= 0, m.has(k), `key ${k} after ${i} inserts`);
      if (slot >= 0) assert.equal(t.seq[slot], m.get(k));
      else {
        const s = t.add(d, 0, 16, ports);
        t.seq[s] = i;
        m.set(k, i);
      }
    }
    assert.ok(m.size > 5000, `only ${m.size} keys`);
  });

  it('on the bench generators (conversations and realistic) under every option set', function () {
    const conv: CaptureRecord[] = [];
    for (const p of conversations({ connections: 60, packets: 3000, concurrency: 16, seed: 3, segmentSize: 100 })) conv.push(record(conv.length, p.tsSec, p.tsNsec, p.frame, 9));
    const real = realisticRecords(6000);
    for (const args of OPTION_SETS) {
      for (const recs of [conv, real]) {
        const r = compare(recs, args);
        assert.equal(r.diff, null, r.diff ?? '');
      }
    }
    // the byte path did the work: most realistic packets from their bytes (HTTP's too: fastApp.ts), nearly
    // all the others through the decoded packet
    const { printer } = compare(real, []);
    const { raw, decoded } = printer.byteLines();
    assert.ok(raw > 0.6 * real.length, `${raw} of ${real.length} lines from the frame's bytes`);
    assert.ok(raw + decoded > 0.95 * real.length, `${raw + decoded} of ${real.length} lines through the byte path`);
  });

  it('on damaged copies of realistic frames (any header byte may change)', function () {
    const rnd = prng(9);
    const recs = realisticRecords(3000, 4).map((r, i) => {
      const f = r.data.slice();
      // 1 to 3 bytes changed in the first 80 (Ethernet, IPv4 and TCP headers, options); sometimes the frame cut short
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) f[Math.floor(rnd() * Math.min(80, f.length))] = Math.floor(rnd() * 256);
      const cut = rnd() < 0.2 ? Math.floor(rnd() * f.length) : f.length;
      return { ...r, index: i, data: f.subarray(0, cut), origLen: rnd() < 0.1 ? Math.floor(rnd() * 2000) : f.length };
    });
    for (const args of [[], ['-S'], ['-#']]) {
      const r = compare(recs, args);
      assert.equal(r.diff, null, r.diff ?? '');
    }
  });

  it('on non-TCP packets and TCP behind every link type the byte path knows (fastOther.ts), whole and damaged', function () {
    const frames = [...otherFrames(), ...realisticRecords(400, 5).map((r) => r.data)];
    const recs = rewrapped(frames);
    for (const args of OPTION_SETS) {
      const r = compare(recs, args);
      assert.equal(r.diff, null, r.diff ?? '');
    }
    // the byte path did the work: every non-TCP line of the generated frames (the damaged ones aside) and
    // TCP behind each link type
    const { printer } = compare(recs, []);
    const { raw, decoded, other } = printer.byteLines();
    const isTcp = (r: CaptureRecord): boolean => {
      const d = r.data;
      const lt = r.linkType;
      const o = lt === 1 ? 14 : lt === 113 ? 16 : lt === 276 ? 20 : lt === 0 || lt === 108 ? 4 : 0;
      return d[o] >> 4 === 4 ? d[o + 9] === 6 : d[o] >> 4 === 6 && d[o + 6] === 6;
    };
    const tcp = recs.filter(isTcp).length;
    const tcpOtherLinks = recs.filter((r) => r.linkType !== 1 && isTcp(r)).length;
    assert.equal(other, recs.length - tcp, `${other} of ${recs.length - tcp} non-TCP lines through fastOther.ts`);
    assert.equal(raw + decoded, tcp, `${raw + decoded} of ${tcp} TCP lines through fast.ts`);
    // fast.ts reads only Ethernet frames without decoding them: the others' TCP lines came through linkNetType
    assert.ok(tcpOtherLinks > 2000 && decoded >= tcpOtherLinks, `${decoded} TCP lines from the decoded packet, ${tcpOtherLinks} behind other link types`);
    // damaged copies: 1 to 3 bytes changed in the first 70 (link, IP, UDP/ICMP headers, the start of DNS), sometimes cut
    const rnd = prng(21);
    const damaged = recs.map((r, i) => {
      const f = r.data.slice();
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) f[Math.floor(rnd() * Math.min(70, f.length))] = Math.floor(rnd() * 256);
      const cut = rnd() < 0.2 ? Math.floor(rnd() * f.length) : f.length;
      return { ...r, index: i, data: f.subarray(0, cut), origLen: rnd() < 0.1 ? Math.floor(rnd() * 2000) : f.length };
    });
    for (const args of [[], ['-S'], ['-#', '-tttt']]) {
      const r = compare(damaged, args);
      assert.equal(r.diff, null, r.diff ?? '');
    }
  });

  it('writes ICMPv6 unreachable and time-exceeded messages and ARP requests and replies from their bytes, without the string printer', function () {
    const other = new FastOtherPrinter(new PrintContext(parsePrintArgs(['f']).opts));
    const pkt = new DecodedPacket();
    const out = new LineBytes();
    const frames = [...icmp6ErrorFrames(), ...arpFrames()];
    for (const [i, f] of frames.entries()) assert.ok(other.body(decodeRecord(pkt, record(i, 0, 0, f)), out), `frame ${i}`);
    assert.equal(other.lines, frames.length);
    assert.equal(other.copied, 0, `${other.copied} of ${frames.length} lines made by printIcmp6 or printArp`);
  });

  it('behind every link type fastOther.ts knows, prints through the CLI path what tcpdump -nn -r prints', function () {
    needTool(this, 'tcpdump');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-links-'));
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'GMT0';
      // DLT_RAW_12/14 are link types of other systems (tcpdump on Linux reads 12 as another one); an SLL2
      // interface other than 1 is named by the reading machine (if_indextoname), so only "lo" here
      for (const lt of LINK_TYPES.filter((t) => t !== 12 && t !== 14)) {
        const recs = rewrapped(otherFrames()).filter((r) => r.linkType === lt && (lt !== 276 || r.data[7] === 1));
        const file = path.join(dir, `${lt}.pcap`);
        fs.writeFileSync(file, Buffer.concat([pcapHeader(lt, false), ...recs.map((r) => pcapRecord(r.tsSec, r.tsNsec / 1000, r.data))]));
        const tcpdump = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'GMT0' } });
        assert.equal(tcpdump.status, 0, tcpdump.stderr);
        const printer = new PacketPrinter(parsePrintArgs([file]).opts);
        const out = new LineBytes();
        for (const r of recs) printer.printInto(r, out);
        const a = Buffer.from(out.take()).toString('utf8').split('\n');
        const b = tcpdump.stdout.split('\n');
        const first = a.findIndex((l, i) => l !== b[i]);
        assert.ok(first === -1 && a.length === b.length, `link type ${lt}, line ${first + 1} differs:\n  ours:    ${a[first]}\n  tcpdump: ${b[first]}`);
        assert.ok(recs.length > 40, `link type ${lt}: ${recs.length} packets`);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on SSH, SMTP, FTP and HTTP texts written from the payload (fastApp.ts): every ending, cut at every byte', function () {
    const payloads = [
      'SSH-2.0-OpenSSH_8.9p1 Ubuntu\r\n', 'SSH-2.0-x\n', 'SSH-2.0-x', 'SSH-2.0-x\r', 'SSH-2.0-x\rA', 'SSH-2.0-\x01x\r\n', 'SSH-2.0-a\tb\r\n', 'SSH-2.0-~\x7f\r\n',
      'SSX-2.0\r\n', 'S', 'SS', 'Sabc', '220 mx.example.com ESMTP ready\r\n', 'EHLO\tx\n250 ok\r\n', 'e', '\r\n', '\n', 'a\r', 'a\rb',
      'abc\x00', '\x80abc\r\n', 'abc~\x7f\r\n', 'MAIL FROM:<a@example.com>\r\n', 'x'.repeat(300) + '\n',
      'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n', 'HTTP/1.1 200 OK\r\nServer: x\r\n', 'get /x?a=b', 'HTTP/1.0 20x OK\r\n', 'FOO / HTTP/1.1\r\n',
      'POST\t /form HTTP/1.1\r\n', 'PUT', 'HTTP/1.1  404 \x01\r\n', 'M-SEARCH * HTTP/1.1\r\n', 'version-control /\r', 'GET ' + 'a'.repeat(140) + ' x\n',
    ];
    const recs: CaptureRecord[] = [];
    let short = 0;
    for (const port of [22, 25, 21, 80, 8080]) {
      for (const v6 of [false, true]) {
        for (const [k, text] of payloads.entries()) {
          const toServer = (k & 1) === 0;
          const frame = tcpFrame({
            src: v6 ? '2001:db8::1' : '10.1.2.3',
            dst: v6 ? '2001:db8:0:0:1::2' : '10.9.8.7',
            sport: toServer ? 40000 + k : port,
            dport: toServer ? port : 40000 + k,
            seq: 1000 * k,
            ack: 77,
            flags: k % 5 === 4 ? TH_ACK | TH_PUSH | 1 : TH_ACK | TH_PUSH,
            payload: Buffer.from(text, 'latin1'),
          });
          // every captured length from the end of the TCP header to the whole frame
          const hdr = frame.length - text.length;
          for (let cut = hdr; cut <= frame.length; cut++) {
            recs.push(record(recs.length, 1700000000 + recs.length, 0, frame.subarray(0, cut)));
            recs[recs.length - 1].origLen = frame.length;
          }
          // and a wire length one byte short of what the IP header claims (the string printer's line, not the raw path's)
          recs.push(record(recs.length, 1700000000 + recs.length, 0, frame));
          recs[recs.length - 1].origLen = frame.length - 1;
          short++;
        }
      }
    }
    for (const args of [[], ['-S'], ['-v']]) {
      const r = compare(recs, args);
      assert.equal(r.diff, null, r.diff ?? '');
    }
    // the texts came from the bytes: every segment, IPv4 and IPv6, straight from the frame (no decoding)
    const { raw, decoded } = compare(recs, []).printer.byteLines();
    assert.equal(raw, recs.length - short, `${raw} raw and ${decoded} decoded lines of ${recs.length}`);
  });

  it('on random TCP option blocks: every kind printOptions knows, MPTCP subtypes, bad lengths, cut frames', function () {
    const recs = randomOptionRecords(6000, 21);
    for (const args of [[], ['-S'], ['-#']]) {
      const r = compare(recs, args);
      assert.equal(r.diff, null, r.diff ?? '');
    }
    // the options writer did the work, mostly straight from the frame (IPv4 and IPv6: raw6), cut headers through the decoded packet
    const { raw, decoded } = compare(recs, []).printer.byteLines();
    assert.ok(raw > 0.8 * recs.length && decoded > 0, `raw ${raw}, decoded ${decoded} of ${recs.length}`);
  });

  it('writes the time of day as TimeFormatter does in zones with DST and odd offsets, across their changes', function () {
    const frame = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 443, seq: 1, ack: 1, flags: 0x10 });
    // seconds around offset changes (New York's DST, Lord Howe's half-hour DST, Monrovia's -0:44:30 to
    // UTC on 1972-01-07 at 00:44:30 UTC, not on a quarter hour), random ones, and the ends of the range
    const around = [1710054000, 1730613600, 1712415600, 1728142200, 63593070, 0, 899, 2147483647, 2147483648, 4294967295];
    const secs: number[] = [];
    for (const a of around) for (let d = -1000; d <= 1000; d += 7) secs.push(a + d);
    const rnd = prng(13);
    for (let i = 0; i < 3000; i++) secs.push(Math.floor(rnd() * 2 ** 32));
    const recs = secs.filter((t) => t >= 0 && t < 2 ** 32).map((t, i) => record(i, t, Math.floor(rnd() * 1e9), frame, 9));
    const saved = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Australia/Lord_Howe', 'Africa/Monrovia', 'Asia/Kathmandu']) {
        process.env.TZ = tz;
        for (const args of [[], ['--nano']]) {
          const r = compare(recs, args);
          assert.equal(r.diff, null, `TZ=${tz}: ${r.diff}`);
        }
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('on every corpus capture', async function () {
    needCorpus(this);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(pcap|pcapng|cap|pcapng\.1|gz)$/.test(e.name) || /^test\d+\.pcapng$/.test(e.name)) files.push(p);
      }
    };
    walk(CORPUS as string);
    let packets = 0;
    for (const f of files) {
      const { records } = await readAll(f);
      packets += records.length;
      for (const args of [[], ['-S'], ['-#', '-tttt'], ['-ttt', '--nano'], ['-v']]) {
        const r = compare(records, args);
        assert.equal(r.diff, null, `${path.basename(f)}: ${r.diff}`);
      }
    }
    assert.ok(files.length > 50 && packets > 1000, `${files.length} files, ${packets} packets`);
  });
});

describe('the realistic generator (src/core/synth/realistic.ts)', function () {
  this.timeout(60000);
  const N = 20000;
  let recs: CaptureRecord[];
  before(() => {
    recs = realisticRecords(N);
  });

  it('gives exactly the packets asked for, deterministically', function () {
    assert.equal(recs.length, N);
    const again = realisticRecords(200);
    for (let i = 0; i < 200; i++) assert.deepEqual(again[i].data, recs[i].data);
  });

  it('spreads addresses and ports like a real host, mixes protocols and has retransmissions', function () {
    const firstOctets = new Set<number>();
    const clients = new Set<string>();
    const ports = new Map<number, number>();
    let udp = 0;
    let syn = 0;
    let fin = 0;
    let rst = 0;
    const seen = new Set<string>();
    let retransmitted = 0;
    for (const r of recs) {
      const d = r.data;
      firstOctets.add(d[26]);
      if (d[23] === 17) {
        udp++;
        continue;
      }
      const t = 14 + (d[14] & 15) * 4;
      const sport = (d[t] << 8) | d[t + 1];
      const dport = (d[t + 2] << 8) | d[t + 3];
      const flags = d[t + 13];
      if (flags & 2 && !(flags & 16)) {
        syn++;
        clients.add(d.subarray(26, 30).join('.'));
        assert.ok(sport >= 32768 && sport <= 60999, `ephemeral port ${sport}`);
        ports.set(dport, (ports.get(dport) ?? 0) + 1);
      }
      if (flags & 1) fin++;
      if (flags & 4) rst++;
      const len = ((d[16] << 8) | d[17]) - (t - 14) - (d[t + 12] >> 4) * 4;
      if (len > 0) {
        const key = d.subarray(26, t + 8).join(',');
        if (seen.has(key)) retransmitted++;
        seen.add(key);
      }
    }
    assert.ok(firstOctets.size > 150, `${firstOctets.size} first octets of source addresses`);
    assert.ok(clients.size > 150, `${clients.size} client addresses`);
    for (const p of [443, 80, 22]) assert.ok((ports.get(p) ?? 0) > 5, `${ports.get(p) ?? 0} connections to port ${p}`);
    assert.ok((ports.get(443) ?? 0) > (ports.get(80) ?? 0), 'TLS is the commonest');
    assert.ok(udp > 50 && udp < N / 10, `${udp} UDP packets`);
    assert.ok(syn > 50 && fin > 50 && rst > 0, `SYN ${syn}, FIN ${fin}, RST ${rst}`);
    assert.ok(retransmitted > 0, 'no retransmitted segment');
  });

  it('prints, through the CLI path, exactly what tcpdump -nn -r prints', function () {
    needTool(this, 'tcpdump');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-real-'));
    try {
      const file = path.join(dir, 'r.pcap');
      fs.writeFileSync(file, Buffer.concat([pcapHeader(1, false), ...recs.map((r) => pcapRecord(r.tsSec, r.tsNsec / 1000, r.data))]));
      const tcpdump = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'GMT0' }, maxBuffer: 1 << 28 });
      assert.equal(tcpdump.status, 0, tcpdump.stderr);
      const saved = process.env.TZ;
      process.env.TZ = 'GMT0';
      let ours: string;
      try {
        const printer = new PacketPrinter(parsePrintArgs([file]).opts);
        const out = new LineBytes();
        for (const r of recs) printer.printInto(r, out);
        ours = Buffer.from(out.take()).toString('utf8');
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
      const a = ours.split('\n');
      const b = tcpdump.stdout.split('\n');
      const first = a.findIndex((l, i) => l !== b[i]);
      assert.ok(first === -1 && a.length === b.length, `line ${first + 1} differs:\n  ours:    ${a[first]}\n  tcpdump: ${b[first]}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
