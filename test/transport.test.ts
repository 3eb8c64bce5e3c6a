/**
 * Transport layer: TCP/UDP/ICMP decoders (fields, offsets, damage) and tcpdump-exact printers.
 * Frames are built in code; a small private pcap/pcapng walker and a minimal link/IP filler let
 * the tests compare against tcpdump's own outputs in the shared corpus without depending on the
 * link/IP decoders (they fill pkt.net the way the contract in packet.ts describes).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ipv4String, ipv6String } from '../src/core/bytes';
import { DecodedPacket, NET_IPV4, NET_IPV6, TH_ACK, TH_AE, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN, TH_URG } from '../src/core/decode/packet';
import { FieldNode, TreeSink, findField } from '../src/core/decode/fields';
import { decodeTransport } from '../src/core/decode/transport';
import { tcpFlagString } from '../src/core/decode/tcp';
import { scanTcpOptions, nextTcpOption, TcpOptCursor, OPT_OK, OPT_BAD_LEN, OPT_TRUNC_KIND, OPT_TRUNC_LEN } from '../src/core/decode/tcpOptions';
import { printTransport } from '../src/core/print/transport';
import { PrintContext } from '../src/core/print/context';
import { defaultPrintOptions, PrintOptions } from '../src/core/print/options';
import { needCorpus } from './helpers/corpus';

// ---------------------------------------------------------------- frame building

function sum16(b: Uint8Array, off: number, len: number, s: number): number {
  for (let i = 0; i < len; i += 2) s += (b[off + i] << 8) | (i + 1 < len ? b[off + i + 1] : 0);
  return s;
}
function finish(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

interface TcpSpec {
  v6?: boolean;
  src?: number[];
  dst?: number[];
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  win?: number;
  urp?: number;
  options?: number[];
  /** data offset override (words) */
  doff?: number;
  payload?: number[];
  badCksum?: boolean;
  proto?: number;
}

const SRC4 = [192, 168, 1, 11];
const DST4 = [209, 87, 249, 18];
const SRC6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const DST6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

/** Ethernet + IPv4/IPv6 + TCP frame with correct checksums (unless badCksum). */
function buildTcp(t: TcpSpec): Uint8Array {
  const opts = t.options ?? [];
  const payload = t.payload ?? [];
  const hl = 20 + opts.length;
  const doff = t.doff ?? hl / 4;
  const tcp = new Uint8Array(hl + payload.length);
  const w16 = (o: number, v: number) => { tcp[o] = (v >> 8) & 0xff; tcp[o + 1] = v & 0xff; };
  const w32 = (o: number, v: number) => { w16(o, (v >>> 16) & 0xffff); w16(o + 2, v & 0xffff); };
  const flags = t.flags ?? TH_SYN;
  w16(0, t.sport ?? 33779);
  w16(2, t.dport ?? 53);
  w32(4, t.seq ?? 603899916);
  w32(8, t.ack ?? 0);
  tcp[12] = (doff << 4) | ((flags >> 8) & 1);
  tcp[13] = flags & 0xff;
  w16(14, t.win ?? 64240);
  w16(18, t.urp ?? 0);
  tcp.set(opts, 20);
  tcp.set(payload, hl);
  return wrapIp(tcp, t.v6 ?? false, t.proto ?? 6, t.src, t.dst, 16, t.badCksum ?? false);
}

function wrapIp(l4: Uint8Array, v6: boolean, proto: number, src?: number[], dst?: number[], ckOff = 16, badCksum = false): Uint8Array {
  const s = src ?? (v6 ? SRC6 : SRC4);
  const dd = dst ?? (v6 ? DST6 : DST4);
  // checksum over pseudo-header
  let sum = 0;
  const sa = Uint8Array.from(s);
  const da = Uint8Array.from(dd);
  sum = sum16(sa, 0, sa.length, sum);
  sum = sum16(da, 0, da.length, sum);
  sum += proto + l4.length;
  if (proto !== 1 && ckOff >= 0) {
    l4[ckOff] = 0;
    l4[ckOff + 1] = 0;
    let c = finish(sum16(l4, 0, l4.length, sum));
    if (proto === 17 && c === 0) c = 0xffff;
    if (badCksum) c ^= 0x1111;
    l4[ckOff] = c >> 8;
    l4[ckOff + 1] = c & 0xff;
  }
  const eth = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, v6 ? 0x86 : 0x08, v6 ? 0xdd : 0x00];
  let ip: number[];
  if (v6) {
    ip = [0x60, 0, 0, 0, (l4.length >> 8) & 0xff, l4.length & 0xff, proto, 64, ...s, ...dd];
  } else {
    const tl = 20 + l4.length;
    ip = [0x45, 0, (tl >> 8) & 0xff, tl & 0xff, 0, 1, 0x40, 0, 64, proto, 0, 0, ...s, ...dd];
    const c = finish(sum16(Uint8Array.from(ip), 0, 20, 0));
    ip[10] = c >> 8;
    ip[11] = c & 0xff;
  }
  const f = new Uint8Array(eth.length + ip.length + l4.length);
  f.set(eth, 0);
  f.set(ip, eth.length);
  f.set(l4, eth.length + ip.length);
  return f;
}

// ---------------------------------------------------------------- minimal link/IP filler

/** Fill pkt.link/pkt.net for the link types of the corpus; returns false when not IP. */
function fillNet(pkt: DecodedPacket, linkType: number): boolean {
  const d = pkt.data;
  const n = pkt.caplen;
  let off = 0;
  let et = -1;
  let ver = 0;
  switch (linkType) {
    case 1: {
      if (n < 14) return false;
      off = 12;
      et = (d[off] << 8) | d[off + 1];
      off += 2;
      while ((et === 0x8100 || et === 0x88a8) && off + 4 <= n) {
        et = (d[off + 2] << 8) | d[off + 3];
        off += 4;
      }
      break;
    }
    case 113:
      if (n < 16) return false;
      et = (d[14] << 8) | d[15];
      off = 16;
      break;
    case 276:
      if (n < 20) return false;
      et = (d[0] << 8) | d[1];
      off = 20;
      break;
    case 0: {
      if (n < 4) return false;
      const fam = d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24);
      const fam2 = (d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3];
      const f = fam < 256 ? fam : fam2;
      et = f === 2 ? 0x800 : f === 24 || f === 28 || f === 30 ? 0x86dd : -1;
      off = 4;
      break;
    }
    case 101:
    case 12:
    case 14:
    case 228:
    case 229:
      off = 0;
      if (n < 1) return false;
      ver = d[0] >> 4;
      et = linkType === 228 ? 0x800 : linkType === 229 ? 0x86dd : ver === 4 ? 0x800 : ver === 6 ? 0x86dd : -1;
      break;
    default:
      return false;
  }
  pkt.link.hdrLen = off;
  pkt.link.etherType = et;
  const net = pkt.net;
  if (et === 0x800) {
    if (off + 20 > n || d[off] >> 4 !== 4) return false;
    const hl = (d[off] & 15) * 4;
    let tl = (d[off + 2] << 8) | d[off + 3];
    if (tl === 0) tl = n - off;
    net.kind = NET_IPV4;
    net.off = off;
    net.hdrLen = hl;
    net.totalLen = tl;
    net.srcOff = off + 12;
    net.dstOff = off + 16;
    net.addrLen = 4;
    net.src = ipv4String(d, off + 12);
    net.dst = ipv4String(d, off + 16);
    net.proto = d[off + 9];
    const fo = ((d[off + 6] << 8) | d[off + 7]) & 0x1fff;
    net.fragOffset = fo * 8;
    net.isFragment = fo !== 0 || (d[off + 6] & 0x20) !== 0;
    net.payloadOff = off + hl;
    net.payloadLen = tl - hl;
    return true;
  }
  if (et === 0x86dd) {
    if (off + 40 > n || d[off] >> 4 !== 6) return false;
    const plen = (d[off + 4] << 8) | d[off + 5];
    net.kind = NET_IPV6;
    net.off = off;
    net.srcOff = off + 8;
    net.dstOff = off + 24;
    net.addrLen = 16;
    net.src = ipv6String(d, off + 8);
    net.dst = ipv6String(d, off + 24);
    let nh = d[off + 6];
    let p = off + 40;
    let total = plen === 0 ? n - off : 40 + plen;
    for (;;) {
      if (nh === 0 || nh === 43 || nh === 60) {
        if (p + 2 > n) return false;
        if (nh === 0 && plen === 0) {
          // jumbo payload option
          for (let q = p + 2; q + 6 <= p + (d[p + 1] + 1) * 8; ) {
            if (d[q] === 0xc2) {
              total = 40 + (((d[q + 2] << 24) | (d[q + 3] << 16) | (d[q + 4] << 8) | d[q + 5]) >>> 0);
              break;
            }
            q += d[q] === 0 ? 1 : 2 + d[q + 1];
          }
        }
        const l = (d[p + 1] + 1) * 8;
        nh = d[p];
        p += l;
      } else if (nh === 44) {
        if (p + 8 > n) return false;
        const fo = ((d[p + 2] << 8) | d[p + 3]) & 0xfff8;
        net.isFragment = true;
        net.fragOffset = fo;
        nh = d[p];
        p += 8;
      } else break;
    }
    net.hdrLen = p - off;
    net.totalLen = total;
    net.proto = nh;
    net.payloadOff = p;
    net.payloadLen = total - (p - off);
    return true;
  }
  return false;
}

function decodeFrame(pkt: DecodedPacket, data: Uint8Array, linkType: number, sink: TreeSink | null = null, origLen?: number): boolean {
  pkt.reset(data, origLen ?? data.length, linkType);
  if (!fillNet(pkt, linkType)) return false;
  decodeTransport(pkt, sink);
  return true;
}

function opts(o: Partial<PrintOptions> = {}): PrintOptions {
  return { ...defaultPrintOptions(), ...o };
}

function line(frame: Uint8Array, o: Partial<PrintOptions> = {}, ctx?: PrintContext): string {
  const pkt = new DecodedPacket();
  assert.ok(decodeFrame(pkt, frame, 1));
  return printTransport(pkt, ctx ?? new PrintContext(opts(o)));
}

// ---------------------------------------------------------------- capture walker

interface Rec { data: Uint8Array; linkType: number; origLen: number }

function readCapture(file: string): Rec[] {
  const b = fs.readFileSync(file);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Rec[] = [];
  const magic = dv.getUint32(0, true);
  if (magic === 0x0a0d0d0a) {
    let le = true;
    const ifLink: number[] = [];
    let o = 0;
    while (o + 12 <= b.length) {
      if (dv.getUint32(o, true) === 0x0a0d0d0a) le = dv.getUint32(o + 8, true) === 0x1a2b3c4d;
      const t = dv.getUint32(o, le);
      const l = dv.getUint32(o + 4, le);
      if (l < 12 || o + l > b.length) break;
      if (t === 0x0a0d0d0a) ifLink.length = 0;
      else if (t === 1) ifLink.push(dv.getUint16(o + 8, le));
      else if (t === 6) {
        const cl = dv.getUint32(o + 20, le);
        out.push({ data: new Uint8Array(b.subarray(o + 28, o + 28 + cl)), linkType: ifLink[dv.getUint32(o + 8, le)] ?? 1, origLen: dv.getUint32(o + 24, le) });
      } else if (t === 3) {
        const ol = dv.getUint32(o + 8, le);
        const cl = Math.min(ol, l - 16);
        out.push({ data: new Uint8Array(b.subarray(o + 12, o + 12 + cl)), linkType: ifLink[0] ?? 1, origLen: ol });
      }
      o += l;
    }
    return out;
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const lt = dv.getUint32(20, le) & 0x0fffffff;
  const snap = dv.getUint32(16, le);
  let o = 24;
  while (o + 16 <= b.length) {
    const cl = dv.getUint32(o + 8, le);
    const ol = dv.getUint32(o + 12, le);
    if (o + 16 + cl > b.length) break;
    // libpcap cuts a record longer than the file's snapshot length down to it
    const keep = snap > 0 && cl > snap ? snap : cl;
    out.push({ data: new Uint8Array(b.subarray(o + 16, o + 16 + keep)), linkType: lt, origLen: ol });
    o += 16 + cl;
  }
  return out;
}


// ================================================================== tests

describe('transport: TCP flags', () => {
  it('prints every flag combination in tcpdump order FSRP.UEWe, "none" when empty', () => {
    const order: [number, string][] = [[TH_FIN, 'F'], [TH_SYN, 'S'], [TH_RST, 'R'], [TH_PUSH, 'P'], [TH_ACK, '.'], [TH_URG, 'U'], [TH_ECE, 'E'], [TH_CWR, 'W'], [TH_AE, 'e']];
    for (let f = 0; f < 512; f++) {
      let want = '';
      for (const [b, c] of order) if (f & b) want += c;
      assert.equal(tcpFlagString(f), want || 'none');
    }
    assert.equal(tcpFlagString(0xff), 'FSRP.UEW');
    assert.equal(tcpFlagString(TH_SYN | TH_ECE | TH_CWR | TH_AE), 'SEWe');
  });

  it('decodes every flag combination into l4.flags and the Flags [...] text', () => {
    const pkt = new DecodedPacket();
    const ctx = new PrintContext(opts({ absoluteSeq: true }));
    for (let f = 0; f < 512; f++) {
      const fr = buildTcp({ flags: f, urp: 7 });
      assert.ok(decodeFrame(pkt, fr, 1));
      assert.equal(pkt.l4.flags, f);
      const s = printTransport(pkt, ctx);
      assert.ok(s.includes('Flags [' + tcpFlagString(f) + ']'), s);
      assert.equal(s.includes(', urg 7'), (f & TH_URG) !== 0);
      assert.equal(s.includes(', ack '), (f & TH_ACK) !== 0);
      assert.equal(s.includes(', seq '), (f & (TH_SYN | TH_FIN | TH_RST)) !== 0);
    }
  });

  it('matches the tcpdump SYN line byte for byte', () => {
    const fr = buildTcp({ options: [2, 4, 5, 0xb4, 4, 2, 8, 10, 0x79, 0xe2, 0xca, 0x9a, 0, 0, 0, 0, 1, 3, 3, 7], seq: 603899916, win: 64240 });
    // TS val 2044906138 = 0x79e2ca9a
    assert.equal(line(fr), '192.168.1.11.33779 > 209.87.249.18.53: Flags [S], seq 603899916, win 64240, options [mss 1460,sackOK,TS val 2044906138 ecr 0,nop,wscale 7], length 0');
    assert.equal(line(fr, { quiet: true }), '192.168.1.11.33779 > 209.87.249.18.53: tcp 0');
    assert.equal(line(fr, { verbose: 1 }).includes(', cksum 0x'), true);
    assert.match(line(fr, { verbose: 1 }), /cksum 0x[0-9a-f]{4} \(correct\), seq/);
  });
});

describe('transport: TCP options (printer and engine values)', () => {
  const cases: [number[], string][] = [
    [[2, 4, 5, 0xb4], 'mss 1460'],
    [[1, 3, 3, 14], 'nop,wscale 14'],
    [[4, 2, 1, 1], 'sackOK,nop,nop'],
    [[8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1], 'TS val 1 ecr 2,nop,nop'],
    [[0, 0, 0, 0], 'eol'],
    [[1, 0, 1, 1], 'nop,eol'],
    [[6, 6, 0, 0, 0, 9], 'echo 9,eol'],
    [[7, 6, 0, 0, 0, 9], 'echoreply 9,eol'],
    [[11, 6, 0, 0, 0, 9], 'cc 9,eol'],
    [[19, 18, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 0], "md5 shared secret not supplied with -M, can't check - 0102030405060708090a0b0c0d0e0f10,eol"],
    [[20, 4, 0x80, 3], 'scps cap 80 id 3'],
    [[28, 4, 0x81, 0x2d], 'uto 0x812d 992040'],
    [[28, 4, 0x02, 0x58], 'uto 0x258 300'],
    [[29, 4, 7, 9], 'tcp-ao keyid 7 rnextkeyid 9'],
    [[29, 8, 7, 9, 0xaa, 0xbb, 0xcc, 0xdd], 'tcp-ao keyid 7 rnextkeyid 9 mac 0xaabbccdd'],
    [[29, 3, 7, 0], 'tcp-ao (invalid),eol'],
    [[34, 2, 1, 1], 'tfo  cookiereq,nop,nop'],
    [[34, 6, 1, 2, 3, 4, 1, 1], 'tfo  cookie 01020304,nop,nop'],
    [[34, 5, 1, 2, 3, 0], 'tfo  (invalid),eol'],
    [[254, 4, 0xf9, 0x89], 'exp-tfo cookiereq'],
    [[254, 10, 0xf9, 0x89, 9, 9, 9, 9, 0, 0, 1, 1], 'exp-tfo cookie 090909090000,nop,nop'],
    [[254, 13, 0xac, 0xc0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'exp-acc0,eol'],
    [[254, 4, 0x12, 0x34], 'exp-1234'],
    [[99, 4, 0xde, 0xad], 'unknown-99 0xdead'],
    [[99, 2, 1, 1], 'unknown-99,nop,nop'],
    [[2, 6, 5, 0xb4, 1, 1, 1, 1], 'mss 1460[len 6],nop,nop,nop,nop'],
    [[4, 3, 0, 1], 'sackOK[len 3],eol,nop'.slice(0, 0) + 'sackOK[len 3],eol'],
    [[5, 10, 0, 0, 0, 1, 0, 0, 0, 5, 1, 1], 'sack 1 {1:5},nop,nop'],
    [[5, 5, 0, 0, 0, 1, 1, 1], 'sack invalid sack[len 5],eol,nop,nop,nop,nop'.slice(0, 0) + 'sack invalid sack'],
    [[30, 4, 0x01, 0x01], 'mptcp 4 capable v1 flags [H]'],
    [[30, 12, 0x00, 0x81, 0, 0, 0, 0, 0, 0, 0, 0x2a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 12), 'mptcp 12 capable v0 flags [AH] csum {0x2a}'],
  ];
  for (const [o, want] of cases) {
    it('prints ' + JSON.stringify(want), () => {
      const padded = o.slice();
      while (padded.length % 4) padded.push(0);
      const s = line(buildTcp({ options: padded, flags: TH_SYN }), { absoluteSeq: true });
      const i = s.indexOf('options [');
      assert.ok(i >= 0, s);
      const got = s.slice(i + 9, s.lastIndexOf(']', s.indexOf(', length') >= 0 ? s.indexOf(', length') : s.length));
      if (want === 'sack invalid sack') assert.ok(got.startsWith('sack invalid sack'), got);
      else assert.equal(got, want);
    });
  }

  it('takes mss/wscale/sackOK/TS for the engine without allocating a cursor per option', () => {
    const pkt = new DecodedPacket();
    decodeFrame(pkt, buildTcp({ options: [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1, 3, 3, 7] }), 1);
    assert.equal(pkt.l4.mss, 1460);
    assert.equal(pkt.l4.sackOk, true);
    assert.equal(pkt.l4.tsVal, 5);
    assert.equal(pkt.l4.tsEcr, 6);
    assert.equal(pkt.l4.wscale, 7);
    assert.equal(pkt.l4.hdrLen, 40);
    assert.equal(pkt.l4.optOff, 14 + 20 + 20);
    assert.equal(pkt.l4.optLen, 20);
    assert.equal(pkt.malformed, false);
    assert.equal(pkt.truncated, false);
    // absent options stay -1
    decodeFrame(pkt, buildTcp({}), 1);
    assert.equal(pkt.l4.mss, -1);
    assert.equal(pkt.l4.wscale, -1);
    assert.equal(pkt.l4.sackOk, false);
    assert.equal(pkt.l4.tsVal, -1);
  });

  it('walker statuses', () => {
    const c = new TcpOptCursor();
    const d = Uint8Array.from([2, 4, 5, 0xb4, 3, 1, 8]);
    assert.equal(nextTcpOption(d, 0, 4, 7, c), OPT_OK);
    assert.equal(c.kind, 2);
    assert.equal(c.len, 4);
    assert.equal(nextTcpOption(d, 4, 7, 7, c), OPT_BAD_LEN);
    assert.equal(nextTcpOption(d, 6, 8, 7, c), OPT_TRUNC_LEN);
    assert.equal(nextTcpOption(d, 7, 8, 7, c), OPT_TRUNC_KIND);
    const v = { mss: -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1 };
    assert.equal(scanTcpOptions(Uint8Array.from([2, 3, 5, 0]), 0, 4, 4, v, c), OPT_BAD_LEN);
    assert.equal(v.mss, -1);
  });

  it('bad option lengths: "[bad opt]" as tcpdump', () => {
    // len 0 on the first option: no closing bracket
    assert.ok(line(buildTcp({ options: [99, 0, 0, 0] })).endsWith('options [unknown-99[bad opt]'.slice(0, -('unknown-99[bad opt]'.length)) + '[bad opt]'));
    // the scps case from scps_invalid: length runs past the header
    const s = line(buildTcp({ options: [2, 4, 5, 0xac, 1, 3, 3, 2, 1, 1, 0x14, 2] }));
    assert.ok(s.endsWith('options [mss 1452,nop,wscale 2,nop,nop,scps[bad opt]]'), s);
    // option length longer than the header
    const t = line(buildTcp({ options: [1, 8, 10, 0] }));
    assert.ok(t.endsWith('options [nop,[bad opt]]'), t);
    // mptcp dss with length 3 (mptcp-dss-oobr)
    const u = line(buildTcp({ options: [1, 1, 30, 3, 0x20, 0, 0, 0] }));
    assert.ok(u.endsWith('options [nop,nop,mptcp 3 dss[bad opt]]'), u);
    const pkt = new DecodedPacket();
    decodeFrame(pkt, buildTcp({ options: [1, 8, 10, 0] }), 1);
    assert.equal(pkt.malformed, true);
  });
});

describe('transport: MPTCP options', () => {
  const mp = (flags: number, body: number[]) => {
    const o = [30, body.length + 2, ...body];
    while (o.length % 4) o.push(1);
    const s = line(buildTcp({ flags, options: o, ack: 5 }), { absoluteSeq: true });
    return s.slice(s.indexOf('options [') + 9, s.indexOf('], length'));
  };
  it('dss, add-addr, rem-addr, fast-close, tcprst, join, prio, fail', () => {
    assert.equal(mp(TH_ACK, [0x20, 0x01, 0xd5, 0x2a, 0x03, 0x5b]), 'mptcp 8 dss ack 3576300379,nop,nop'.replace(',nop,nop', ''));
    assert.equal(mp(TH_ACK, [0x20, 0x15, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 4]), 'mptcp 18 dss fin ack 1 seq 2 subseq 3 len 4,nop,nop');
    assert.equal(mp(TH_ACK, [0x20, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 4, 0x08, 0x2f]), 'mptcp 20 dss ack 1 seq 2 subseq 3 len 4 csum 0x82f');
    assert.equal(mp(TH_ACK, [0x34, 1, 10, 1, 2, 2]), 'mptcp 8 add-addr v0-ip4 id 1 10.1.2.2');
    assert.equal(mp(TH_ACK, [0x40, 0]), 'mptcp 4 rem-addr id 0');
    assert.equal(mp(TH_ACK, [0x70, 0, 0xd0, 0x05, 0xb1, 0xab, 0x34, 0xba, 0xd3, 0x44]), 'mptcp 12 fast-close key 0xd005b1ab34bad344');
    assert.equal(mp(TH_RST | TH_ACK, [0x81, 0x01]), 'mptcp 4 tcprst flags [T] reason MPTCP-specific error');
    assert.equal(mp(TH_RST | TH_ACK, [0x80, 0x00]), 'mptcp 4 tcprst flags [none] reason Unspecified error');
    assert.equal(mp(TH_SYN, [0x10, 0, 0xe4, 0x7f, 0x01, 0x42, 0x1b, 0x66, 0x5a, 0x18]), 'mptcp 12 join id 0 token 0xe47f0142 nonce 0x1b665a18');
    assert.equal(mp(TH_ACK, [0x51, 3]), 'mptcp 4 prio backup id 3');
    assert.equal(mp(TH_ACK, [0x60, 0, 0, 0, 0, 0, 0, 0, 0, 9]), 'mptcp 12 fail seq 9');
    assert.equal(mp(TH_ACK, [0x20, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'mptcp 12 dss ack 18446744073709551615');
  });
});

describe('transport: truncation and malformed headers', () => {
  it('truncated at each byte of the TCP header and options: never throws, "[|tcp]" where tcpdump puts it', () => {
    const full = buildTcp({ options: [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1, 3, 3, 7], payload: [1, 2, 3], flags: TH_ACK | TH_PUSH, ack: 9 });
    const pkt = new DecodedPacket();
    const ipOff = 14;
    for (let cut = ipOff + 20; cut < full.length; cut++) {
      const fr = full.slice(0, cut);
      decodeFrame(pkt, fr, 1, new TreeSink(), full.length);
      const s = printTransport(pkt, new PrintContext(opts({ verbose: 2 })));
      const t = cut - ipOff - 20; // TCP bytes captured
      if (t < 4) assert.equal(s, '192.168.1.11 > 209.87.249.18: [|tcp]');
      else if (t < 20) {
        assert.equal(s, '192.168.1.11.33779 > 209.87.249.18.53:  [|tcp]');
        assert.equal(pkt.truncated, true);
      } else if (t < 40) {
        // tcpdump: option data past the capture prints " [|tcp]" and, after the first option, its old ">"
        assert.ok(s.endsWith(' [|tcp]') || s.endsWith(' [|tcp]>'), s);
        assert.ok(!s.includes('cksum'), s);
      } else {
        assert.ok(s.includes(', length 3'), s);
        assert.ok(!s.includes('cksum'), s);
      }
    }
  });

  it('bad header lengths', () => {
    assert.equal(line(buildTcp({ doff: 4 })), '192.168.1.11.33779 > 209.87.249.18.53:  tcp 4 [bad hdr length 16 - too short, < 20]');
    assert.equal(line(buildTcp({ doff: 8, options: [1, 1, 1, 1] })), '192.168.1.11.33779 > 209.87.249.18.53: Flags [S] [bad hdr length 32 - too long, > 24]');
    assert.equal(line(buildTcp({ doff: 8, options: [1, 1, 1, 1] }), { quiet: true }), '192.168.1.11.33779 > 209.87.249.18.53: tcp 4294967288 [bad hdr length 32 - too long, > 24]');
    const pkt = new DecodedPacket();
    decodeFrame(pkt, buildTcp({ doff: 4 }), 1);
    assert.equal(pkt.malformed, true);
    assert.match(pkt.problem, /header length 16/);
  });

  it('fuzz: random truncations and byte flips never throw', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const bases = [
      buildTcp({ options: [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1, 3, 3, 7], payload: [1, 2, 3, 4], flags: TH_ACK | TH_RST, ack: 3 }),
      buildTcp({ v6: true, options: [30, 20, 0x20, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 4, 8, 0x2f], flags: TH_ACK, ack: 1 }),
      buildTcp({ options: [5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 1, 1], flags: TH_ACK, ack: 1 }),
      wrapIp(Uint8Array.from([0, 53, 0, 53, 0, 12, 0, 0, 1, 2, 3, 4]), false, 17),
      wrapIp(Uint8Array.from([8, 0, 0, 0, 0, 1, 0, 1, 1, 2, 3, 4]), false, 1, undefined, undefined, 2),
      wrapIp(Uint8Array.from([128, 0, 0, 0, 0, 1, 0, 1, 1, 2, 3, 4]), true, 58, undefined, undefined, 2),
      wrapIp(Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 53]), false, 1, undefined, undefined, 2),
    ];
    const pkt = new DecodedPacket();
    for (let i = 0; i < 20000; i++) {
      const b = bases[i % bases.length];
      const cut = 14 + Math.floor(rnd() * (b.length - 14 + 1));
      const f = b.slice(0, cut);
      const flips = Math.floor(rnd() * 4);
      for (let k = 0; k < flips; k++) f[34 + Math.floor(rnd() * Math.max(1, f.length - 34))] = Math.floor(rnd() * 256);
      const sink = i % 3 === 0 ? new TreeSink() : null;
      if (!decodeFrame(pkt, f, 1, sink, i % 2 ? b.length : f.length)) continue;
      const o = opts({ verbose: i % 4, quiet: i % 7 === 0, absoluteSeq: i % 5 === 0 });
      const s = printTransport(pkt, new PrintContext(o));
      assert.equal(typeof s, 'string');
    }
  });
});

describe('transport: fields and offsets (TreeSink)', () => {
  it('reports TCP fields with frame offsets and lengths', () => {
    const fr = buildTcp({ options: [2, 4, 5, 0xb4, 1, 3, 3, 7, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1, 1], flags: TH_SYN | TH_ECE | TH_CWR | TH_AE });
    const pkt = new DecodedPacket();
    const sink = new TreeSink();
    decodeFrame(pkt, fr, 1, sink);
    const root = sink.root;
    const t = 34;
    const f = (n: string) => { const x = findField(root, n); assert.ok(x, n); return x as FieldNode; };
    assert.deepEqual([f('tcp').offset, f('tcp').length], [t, 40]);
    assert.deepEqual([f('tcp.srcport').offset, f('tcp.srcport').length, f('tcp.srcport').value], [t, 2, 33779]);
    assert.deepEqual([f('tcp.dstport').offset, f('tcp.dstport').length], [t + 2, 2]);
    assert.deepEqual([f('tcp.seq_raw').offset, f('tcp.seq_raw').length], [t + 4, 4]);
    assert.deepEqual([f('tcp.ack_raw').offset, f('tcp.ack_raw').length], [t + 8, 4]);
    assert.deepEqual([f('tcp.hdr_len').offset, f('tcp.hdr_len').value, f('tcp.hdr_len').bitmask], [t + 12, 40, 0xf0]);
    assert.deepEqual([f('tcp.flags').offset, f('tcp.flags').length], [t + 12, 2]);
    assert.equal(f('tcp.flags.ae').value, true);
    assert.equal(f('tcp.flags.ae').bitmask, 0x100);
    assert.equal(f('tcp.flags.syn').value, true);
    assert.equal(f('tcp.flags.ack').value, false);
    assert.deepEqual([f('tcp.window_size_value').offset, f('tcp.window_size_value').length], [t + 14, 2]);
    assert.deepEqual([f('tcp.checksum').offset, f('tcp.checksum').length], [t + 16, 2]);
    assert.deepEqual([f('tcp.urgent_pointer').offset, f('tcp.urgent_pointer').length], [t + 18, 2]);
    assert.deepEqual([f('tcp.options').offset, f('tcp.options').length], [t + 20, 20]);
    assert.deepEqual([f('tcp.option.mss').offset, f('tcp.option.mss').length], [t + 20, 4]);
    assert.deepEqual([f('tcp.options.mss_val').offset, f('tcp.options.mss_val').length, f('tcp.options.mss_val').value], [t + 22, 2, 1460]);
    assert.deepEqual([f('tcp.option.wscale').offset, f('tcp.option.wscale').length], [t + 25, 3]);
    assert.deepEqual([f('tcp.options.timestamp.tsval').offset, f('tcp.options.timestamp.tsval').value], [t + 30, 5]);
    assert.deepEqual([f('tcp.options.timestamp.tsecr').offset, f('tcp.options.timestamp.tsecr').value], [t + 34, 6]);
  });

  it('reports UDP and ICMP fields', () => {
    const pkt = new DecodedPacket();
    const sink = new TreeSink();
    decodeFrame(pkt, wrapIp(Uint8Array.from([0x30, 0x39, 0, 53, 0, 12, 0, 0, 1, 2, 3, 4]), false, 17), 1, sink);
    assert.equal(findField(sink.root, 'udp.srcport')?.value, 12345);
    assert.equal(findField(sink.root, 'udp.length')?.offset, 38);
    assert.equal(pkt.l4.payloadLen, 4);
    const s2 = new TreeSink();
    decodeFrame(pkt, wrapIp(Uint8Array.from([8, 0, 0, 0, 0, 1, 0, 2, 1, 2, 3, 4]), false, 1), 1, s2);
    assert.equal(findField(s2.root, 'icmp.type')?.value, 8);
    assert.equal(findField(s2.root, 'icmp.seq')?.value, 2);
    assert.equal(pkt.l4.icmpType, 8);
    assert.equal(pkt.l4.icmpCode, 0);
  });

  it('notes a truncated header', () => {
    const fr = buildTcp({}).slice(0, 14 + 20 + 10);
    const pkt = new DecodedPacket();
    const sink = new TreeSink();
    decodeFrame(pkt, fr, 1, sink, 54);
    const tcp = findField(sink.root, 'tcp')!;
    assert.equal(tcp.notes?.[0].severity, 'error');
    assert.equal(pkt.truncated, true);
    assert.match(pkt.problem, /TCP header cut short: 10 of 20/);
  });
});

describe('transport: IPv6 and verbosity details', () => {
  it('IPv6 with an extension header prints ports only (tcpdump: ip6_nxt != TCP)', () => {
    const fr = buildTcp({ v6: true, flags: TH_ACK, ack: 1, seq: 7 });
    // insert a hop-by-hop header (8 bytes, PadN) between the IPv6 header and TCP
    const ipOff = 14;
    const tcp = fr.slice(ipOff + 40);
    const out = new Uint8Array(fr.length + 8);
    out.set(fr.slice(0, ipOff + 40), 0);
    out[ipOff + 6] = 0; // next header: HBH
    const plen = tcp.length + 8;
    out[ipOff + 4] = plen >> 8;
    out[ipOff + 5] = plen & 0xff;
    out.set([6, 0, 1, 4, 0, 0, 0, 0], ipOff + 40);
    out.set(tcp, ipOff + 48);
    const s = line(out, { verbose: 1, absoluteSeq: true });
    assert.match(s, /^33779 > 53: Flags \[\.\], cksum 0x[0-9a-f]{4} \(correct\), ack 1, win 64240, length 0$/);
  });
  it('-vv prints seq on a pure ACK; AE shows as "e"', () => {
    const fr = buildTcp({ flags: TH_ACK | TH_URG | TH_AE, ack: 1, seq: 5, urp: 3 });
    assert.equal(line(fr, { verbose: 2, absoluteSeq: true }).replace(/cksum 0x[0-9a-f]{4}/, 'cksum X'), '192.168.1.11.33779 > 209.87.249.18.53: Flags [.Ue], cksum X (correct), seq 5, ack 1, win 64240, urg 3, length 0');
  });
  it('payload not captured: header cut after an EOL option -> "[remaining caplen(N) < header length(M)]"', () => {
    const full = buildTcp({ flags: TH_ACK, ack: 1, options: [0, 0, 0, 0, 0, 0, 0, 0], payload: [1, 2, 3, 4] });
    const pkt = new DecodedPacket();
    decodeFrame(pkt, full.slice(0, 14 + 20 + 24), 1, null, full.length);
    const s = printTransport(pkt, new PrintContext(opts({ absoluteSeq: true })));
    assert.ok(s.endsWith('options [eol], length 4 [remaining caplen(24) < header length(28)] [|tcp]'), s);
  });
});

describe('transport: relative sequence numbers (tcpdump tcp_seq_hash)', () => {
  it('handshake, data, teardown; -S keeps absolute numbers', () => {
    const A = { src: [10, 0, 0, 1], dst: [10, 0, 0, 2], sport: 40000, dport: 80 };
    const B = { src: [10, 0, 0, 2], dst: [10, 0, 0, 1], sport: 80, dport: 40000 };
    const frames = [
      buildTcp({ ...A, flags: TH_SYN, seq: 1000 }),
      buildTcp({ ...B, flags: TH_SYN | TH_ACK, seq: 5000, ack: 1001 }),
      buildTcp({ ...A, flags: TH_ACK, seq: 1001, ack: 5001 }),
      buildTcp({ ...A, flags: TH_ACK | TH_PUSH, seq: 1001, ack: 5001, payload: [1, 2, 3, 4, 5] }),
      buildTcp({ ...B, flags: TH_ACK, seq: 5001, ack: 1006, options: [1, 1, 5, 10, 0, 0, 0x03, 0xf0, 0, 0, 0x03, 0xf8] }),
      buildTcp({ ...A, flags: TH_FIN | TH_ACK, seq: 1006, ack: 5001 }),
    ];
    const ctx = new PrintContext(opts());
    const got = frames.map((f) => line(f, {}, ctx));
    assert.equal(got[0], '10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, length 0');
    assert.equal(got[1], '10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 64240, length 0');
    assert.equal(got[2], '10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 64240, length 0');
    // port 80: tcpdump's HTTP printer names the protocol even when the bytes are not a request line
    assert.equal(got[3], '10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:6, ack 1, win 64240, length 5: HTTP');
    assert.equal(got[4], '10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 6, win 64240, options [nop,nop,sack 1 {8:16}], length 0');
    assert.equal(got[5], '10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 6, ack 1, win 64240, length 0');
    const abs = new PrintContext(opts({ absoluteSeq: true }));
    assert.equal(line(frames[3], {}, abs), '10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1006, ack 5001, win 64240, length 5: HTTP');
  });

  it('first ACK-bearing packet of a tuple is printed absolute (mid-stream start)', () => {
    const ctx = new PrintContext(opts());
    const a = buildTcp({ flags: TH_RST | TH_ACK, seq: 1, ack: 2176696966, sport: 55739, dport: 8080 });
    const b = buildTcp({ flags: TH_RST | TH_ACK, seq: 1, ack: 2176696966, sport: 55739, dport: 8080 });
    assert.ok(line(a, {}, ctx).includes('seq 1, ack 2176696966'));
    assert.ok(line(b, {}, ctx).includes('seq 0, ack 1'));
  });
});

describe('transport: checksums', () => {
  it('TCP over IPv4 and IPv6: correct / incorrect -> expected', () => {
    for (const v6 of [false, true]) {
      const good = buildTcp({ v6, payload: [1, 2, 3], flags: TH_ACK | TH_PUSH, ack: 1 });
      const bad = buildTcp({ v6, payload: [1, 2, 3], flags: TH_ACK | TH_PUSH, ack: 1, badCksum: true });
      const off = v6 ? 14 + 40 + 16 : 14 + 20 + 16;
      const right = ((good[off] << 8) | good[off + 1]).toString(16).padStart(4, '0');
      const wrong = ((bad[off] << 8) | bad[off + 1]).toString(16).padStart(4, '0');
      assert.ok(line(good, { verbose: 1, absoluteSeq: true }).includes(', cksum 0x' + right + ' (correct), seq'));
      assert.ok(line(bad, { verbose: 1, absoluteSeq: true }).includes(', cksum 0x' + wrong + ' (incorrect -> 0x' + right + '), seq'));
    }
  });
  it('UDP and ICMP', () => {
    const u = wrapIp(Uint8Array.from([0x30, 0x39, 0x30, 0x3a, 0, 12, 0, 0, 1, 2, 3, 4]), false, 17, undefined, undefined, 6);
    assert.equal(line(u), '192.168.1.11.12345 > 209.87.249.18.12346: UDP, length 4');
    assert.equal(line(u, { verbose: 2 }), '192.168.1.11.12345 > 209.87.249.18.12346: [udp sum ok] UDP, length 4');
    const u6 = wrapIp(Uint8Array.from([0x30, 0x39, 0x30, 0x3a, 0, 12, 0, 0, 1, 2, 3, 4]), true, 17, undefined, undefined, 6);
    assert.equal(line(u6, { verbose: 1 }), '2001:db8::1.12345 > 2001:db8::2.12346: [udp sum ok] UDP, length 4');
    u6[u6.length - 1] ^= 1;
    assert.match(line(u6, { verbose: 1 }), /\[bad udp cksum 0x[0-9a-f]{4} -> 0x[0-9a-f]{4}!\] UDP, length 4$/);
    const icmp = Uint8Array.from([8, 0, 0, 0, 0, 1, 0, 1, 1, 2, 3, 4]);
    let s = 0;
    for (let i = 0; i < icmp.length; i += 2) s += (icmp[i] << 8) | icmp[i + 1];
    const c = finish(s);
    icmp[2] = c >> 8;
    icmp[3] = c & 0xff;
    assert.equal(line(wrapIp(icmp, false, 1)), '192.168.1.11 > 209.87.249.18: ICMP echo request, id 1, seq 1, length 12');
    assert.equal(line(wrapIp(icmp, false, 1), { verbose: 1 }), '192.168.1.11 > 209.87.249.18: ICMP echo request, id 1, seq 1, length 12');
    const e6 = wrapIp(Uint8Array.from([128, 0, 0, 0, 0, 1, 0, 1, 1, 2, 3, 4]), true, 58, undefined, undefined, 2);
    assert.equal(line(e6), '2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 1, seq 1, length 12');
    assert.equal(line(e6, { verbose: 1 }), '2001:db8::1 > 2001:db8::2: [icmp6 sum ok] ICMP6, echo request, id 1, seq 1');
    const unr = Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 53]);
    assert.equal(line(wrapIp(unr, false, 1)), '192.168.1.11 > 209.87.249.18: ICMP 5.6.7.8 udp port 53 unreachable, length 32');
  });
  it('RST payload text with -v', () => {
    const p = Array.from(Buffer.from('BIG-IP: [0x11c5672:3045] {peer} reset'));
    const s = line(buildTcp({ flags: TH_RST | TH_ACK, ack: 1, payload: p }), { verbose: 1, absoluteSeq: true });
    assert.ok(s.endsWith(', length 37 [RST+ BIG-IP: [0x11c5672:3045] {peer]'), s);
  });
});

// ---------------------------------------------------------------- corpus comparison

describe('transport: corpus (tcpdump .out files, TCP lines)', function () {
  this.timeout(120000);
  it('TCP lines match tcpdump up to the first "length N"', function () {
    const dir = path.join(needCorpus(this), 'tcpdump');
    const rows = fs.readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
    const hdr = rows[0].split('\t');
    let total = 0;
    let same = 0;
    const diffs: string[] = [];
    for (const r of rows.slice(1)) {
      const c = r.split('\t');
      const row: Record<string, string> = {};
      hdr.forEach((h, i) => (row[h] = c[i]));
      const o = row.tcpdump_options.split(/\s+/);
      if (o.includes('-e') || o.includes('-T')) continue;
      const po = opts({
        verbose: o.includes('-vvv') ? 3 : o.includes('-vv') ? 2 : o.includes('-v') ? 1 : 0,
        quiet: o.includes('-q'),
        absoluteSeq: o.includes('-S'),
      });
      const recs = readCapture(path.join(dir, row.capture_file));
      const out = fs.readFileSync(path.join(dir, row.expected_output_file), 'utf8');
      // split by packet number prefix "   N  "
      const blocks: string[] = [];
      for (const l of out.split('\n')) {
        const m = /^ {0,4}(\d+)  /.exec(l);
        if (m && Number(m[1]) === blocks.length + 1) blocks.push(l);
        else if (blocks.length) blocks[blocks.length - 1] += '\n' + l;
      }
      const ctx = new PrintContext(po);
      const pkt = new DecodedPacket();
      recs.forEach((rec, i) => {
        if (!decodeFrame(pkt, rec.data, rec.linkType, null, rec.origLen)) return;
        if (pkt.net.proto !== 6) return;
        if (pkt.net.isFragment && pkt.net.fragOffset !== 0) return;
        const mine = printTransport(pkt, ctx);
        const exp = blocks[i] ?? '';
        total++;
        const li = mine.indexOf(', length ');
        let cmp = mine;
        if (li >= 0) {
          let e = li + 9;
          while (e < mine.length && mine.charCodeAt(e) >= 48 && mine.charCodeAt(e) <= 57) e++;
          cmp = mine.slice(0, e);
        } else if (po.quiet) cmp = mine;
        const at = exp.indexOf(cmp);
        const ok = at >= 0 && (li >= 0 || po.quiet ? true : exp.slice(at + cmp.length, at + cmp.length + 1) !== ',');
        if (ok) same++;
        else diffs.push(row.test_name + ' #' + (i + 1) + '\n  mine: ' + mine + '\n  want: ' + exp.split('\n').slice(0, 2).join(' | '));
      });
    }
    if (process.env.TRANSPORT_DIFFS) console.log(diffs.join('\n'));
    console.log(`      corpus TCP lines: ${same}/${total} identical (${((100 * same) / Math.max(1, total)).toFixed(2)} %)`);
    assert.ok(total > 500);
    assert.ok(same / total >= 0.98, `${same}/${total}; set TRANSPORT_DIFFS=1 to list`);
  });
});
