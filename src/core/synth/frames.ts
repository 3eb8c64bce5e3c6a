/**
 * Builds real frames in code (Ethernet / IPv4 or IPv6 / TCP, UDP) with correct lengths and
 * checksums: for tests, benchmarks and the demo samples. Pure: Uint8Array only.
 */
import { concatBytes } from './writers';

export interface TcpSegmentSpec {
  src: string; // IPv4 dotted quad or IPv6 text
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  /** TCP flag bits (TH_*). */
  flags: number;
  win?: number;
  /** Raw option bytes (padded to a multiple of 4 by the builder). */
  options?: Uint8Array | number[];
  payload?: Uint8Array | number;
  ttl?: number;
  ipId?: number;
  urp?: number;
  srcMac?: string;
  dstMac?: string;
}

export function parseIPv4(s: string): number[] {
  const p = s.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !(n >= 0 && n <= 255))) throw new Error(`bad IPv4 address ${s}`);
  return p;
}

export function parseIPv6(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const words = (x: string | undefined) => (x ? x.split(':').filter((w) => w.length).map((w) => parseInt(w, 16)) : []);
  const h = words(head);
  const t = words(tail);
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill(0);
  const all = [...h, ...fill, ...t];
  if (all.length !== 8) throw new Error(`bad IPv6 address ${s}`);
  const out: number[] = [];
  for (const w of all) out.push((w >> 8) & 255, w & 255);
  return out;
}

function mac(s: string | undefined, dflt: number[]): number[] {
  return s ? s.split(':').map((x) => parseInt(x, 16)) : dflt;
}

function sum16(d: Uint8Array, off: number, len: number, acc = 0): number {
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) acc += (d[i] << 8) | d[i + 1];
  if (i < end) acc += d[i] << 8;
  return acc;
}
function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return ~acc & 0xffff;
}

/**
 * An Ethernet frame with its IPv4 (checksummed; DF when `df`) or IPv6 header for `l4Len` bytes of protocol
 * `proto`, the layer-4 bytes left zero at 14 + 20 (IPv4) or 14 + 40 (IPv6): tcpFrame's and udpFrame's start.
 */
function ipFrame(
  s: { src: string; dst: string; ttl?: number; ipId?: number; srcMac?: string; dstMac?: string },
  proto: number,
  l4Len: number,
  df: boolean,
): Uint8Array {
  const v6 = s.src.includes(':');
  const frame = new Uint8Array(14 + (v6 ? 40 : 20) + l4Len);
  frame.set(mac(s.dstMac, [0x02, 0, 0, 0, 0, 2]), 0);
  frame.set(mac(s.srcMac, [0x02, 0, 0, 0, 0, 1]), 6);
  frame[12] = v6 ? 0x86 : 0x08;
  frame[13] = v6 ? 0xdd : 0x00;
  const ip = 14;
  const src = v6 ? parseIPv6(s.src) : parseIPv4(s.src);
  const dst = v6 ? parseIPv6(s.dst) : parseIPv4(s.dst);
  if (v6) {
    frame[ip] = 0x60;
    frame[ip + 4] = l4Len >> 8;
    frame[ip + 5] = l4Len & 255;
    frame[ip + 6] = proto;
    frame[ip + 7] = s.ttl ?? 64;
    frame.set(src, ip + 8);
    frame.set(dst, ip + 24);
  } else {
    const total = 20 + l4Len;
    frame[ip] = 0x45;
    frame[ip + 2] = total >> 8;
    frame[ip + 3] = total & 255;
    const id = s.ipId ?? 0;
    frame[ip + 4] = (id >> 8) & 255;
    frame[ip + 5] = id & 255;
    if (df) frame[ip + 6] = 0x40;
    frame[ip + 8] = s.ttl ?? 64;
    frame[ip + 9] = proto;
    frame.set(src, ip + 12);
    frame.set(dst, ip + 16);
    const c = fold(sum16(frame, ip, 20));
    frame[ip + 10] = c >> 8;
    frame[ip + 11] = c & 255;
  }
  return frame;
}

/** The sum of the pseudo-header of an ipFrame's layer-4 checksum (addresses, protocol, length), not folded. */
function pseudoSum(frame: Uint8Array, v6: boolean, proto: number, l4Len: number): number {
  return (v6 ? sum16(frame, 14 + 8, 32) : sum16(frame, 14 + 12, 8)) + proto + l4Len;
}

/** Option helpers: return the option's bytes. */
export const opt = {
  nop: (): number[] => [1],
  eol: (): number[] => [0],
  mss: (v: number): number[] => [2, 4, v >> 8, v & 255],
  wscale: (v: number): number[] => [3, 3, v],
  sackOk: (): number[] => [4, 2],
  ts: (val: number, ecr: number): number[] => [8, 10, ...u32(val), ...u32(ecr)],
  sack: (blocks: [number, number][]): number[] => [5, 2 + 8 * blocks.length, ...blocks.flatMap(([a, b]) => [...u32(a), ...u32(b)])],
};
function u32(v: number): number[] {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

/** An Ethernet frame carrying one TCP segment. */
export function tcpFrame(s: TcpSegmentSpec): Uint8Array {
  const v6 = s.src.includes(':');
  const optRaw = s.options ? Array.from(s.options) : [];
  while (optRaw.length % 4) optRaw.push(0);
  const payloadLen = s.payload === undefined ? 0 : typeof s.payload === 'number' ? s.payload : s.payload.length;
  const tcpLen = 20 + optRaw.length + payloadLen;
  const frame = ipFrame(s, 6, tcpLen, true);
  const t = 14 + (v6 ? 40 : 20);
  frame[t] = s.sport >> 8;
  frame[t + 1] = s.sport & 255;
  frame[t + 2] = s.dport >> 8;
  frame[t + 3] = s.dport & 255;
  frame.set(u32(s.seq >>> 0), t + 4);
  frame.set(u32((s.ack ?? 0) >>> 0), t + 8);
  const doff = (20 + optRaw.length) / 4;
  frame[t + 12] = (doff << 4) | ((s.flags >> 8) & 1);
  frame[t + 13] = s.flags & 255;
  const win = s.win ?? 65535;
  frame[t + 14] = win >> 8;
  frame[t + 15] = win & 255;
  frame[t + 18] = ((s.urp ?? 0) >> 8) & 255;
  frame[t + 19] = (s.urp ?? 0) & 255;
  frame.set(optRaw, t + 20);
  if (s.payload !== undefined && typeof s.payload !== 'number') frame.set(s.payload, t + 20 + optRaw.length);
  else for (let i = 0; i < payloadLen; i++) frame[t + 20 + optRaw.length + i] = 0x61 + (i % 26);
  const c = fold(sum16(frame, t, tcpLen, pseudoSum(frame, v6, 6, tcpLen)));
  frame[t + 16] = c >> 8;
  frame[t + 17] = c & 255;
  return frame;
}

/**
 * How `tunnelFrame` carries the segment: each is one of the encapsulations tcpdump and Wireshark
 * open without being told (PPPoE session, MPLS label stack, IP-in-IP, IPv6-in-IPv4, GRE with an
 * IP, MPLS or Ethernet payload, PPTP's GRE version 1 with PPP, VXLAN). Outer addresses are IPv4.
 */
export type Encapsulation =
  | { kind: 'pppoe'; session?: number }
  | { kind: 'mpls'; labels: number[]; ttl?: number }
  | { kind: 'ipip' | '6in4'; src: string; dst: string }
  | { kind: 'gre'; src: string; dst: string; key?: number; seq?: number; ethernet?: boolean; mpls?: number[] }
  | { kind: 'vxlan'; src: string; dst: string; vni: number; sport?: number }
  | { kind: 'pptp'; src: string; dst: string; call: number; seq?: number };

const ETH_HDR = (type: number): number[] => [0x02, 0, 0, 0, 0, 0x12, 0x02, 0, 0, 0, 0, 0x11, type >> 8, type & 255];

/** A 20-byte IPv4 header (DF, ttl 64, correct checksum) for `payloadLen` bytes of protocol `proto`. */
function ipv4Header(src: string, dst: string, proto: number, payloadLen: number, id = 0x1234): Uint8Array {
  const h = new Uint8Array(20);
  const total = 20 + payloadLen;
  h[0] = 0x45;
  h[2] = total >> 8;
  h[3] = total & 255;
  h[4] = id >> 8;
  h[5] = id & 255;
  h[6] = 0x40;
  h[8] = 64;
  h[9] = proto;
  h.set(parseIPv4(src), 12);
  h.set(parseIPv4(dst), 16);
  const c = fold(sum16(h, 0, 20));
  h[10] = c >> 8;
  h[11] = c & 255;
  return h;
}

/** MPLS label stack entries (RFC 3032): label, tc 0, bottom-of-stack on the last, `ttl`. */
function labelStack(labels: number[], ttl: number): number[] {
  const stack: number[] = [];
  labels.forEach((label, i) => {
    const bos = i === labels.length - 1 ? 1 : 0;
    stack.push((label >>> 12) & 255, (label >>> 4) & 255, ((label & 15) << 4) | bos, ttl);
  });
  return stack;
}

/** An Ethernet frame carrying the TCP segment `s` inside the encapsulation `e`. */
export function tunnelFrame(s: TcpSegmentSpec, e: Encapsulation): Uint8Array {
  const innerFrame = tcpFrame(s);
  const ip = innerFrame.subarray(14);
  const v6 = s.src.includes(':');
  switch (e.kind) {
    case 'pppoe': {
      const sid = e.session ?? 1;
      const len = ip.length + 2;
      // PPPoE session header (RFC 2516: ver 1, type 1, code 0), then the PPP protocol number
      return concatBytes([ETH_HDR(0x8864), [0x11, 0, sid >> 8, sid & 255, len >> 8, len & 255, 0, v6 ? 0x57 : 0x21], ip]);
    }
    case 'mpls':
      return concatBytes([ETH_HDR(0x8847), labelStack(e.labels, e.ttl ?? 64), ip]);
    case 'ipip':
    case '6in4':
      return concatBytes([ETH_HDR(0x0800), ipv4Header(e.src, e.dst, e.kind === 'ipip' ? 4 : 41, ip.length), ip]);
    case 'gre': {
      const payload = e.ethernet ? innerFrame : e.mpls ? concatBytes([labelStack(e.mpls, 64), ip]) : ip;
      const flags = (e.key !== undefined ? 0x2000 : 0) | (e.seq !== undefined ? 0x1000 : 0);
      const proto = e.ethernet ? 0x6558 : e.mpls ? 0x8847 : v6 ? 0x86dd : 0x0800;
      const gre: number[] = [flags >> 8, flags & 255, proto >> 8, proto & 255];
      if (e.key !== undefined) gre.push(...u32(e.key >>> 0));
      if (e.seq !== undefined) gre.push(...u32(e.seq >>> 0));
      return concatBytes([ETH_HDR(0x0800), ipv4Header(e.src, e.dst, 47, gre.length + payload.length), gre, payload]);
    }
    case 'pptp': {
      // GRE version 1 (RFC 2637): key present (payload length, call id), sequence present; PPP FF 03 then the protocol
      const ppp = concatBytes([[0xff, 0x03, 0, v6 ? 0x57 : 0x21], ip]);
      const seq = e.seq ?? 1;
      const gre = [0x30, 0x01, 0x88, 0x0b, ppp.length >> 8, ppp.length & 255, (e.call >> 8) & 255, e.call & 255, ...u32(seq >>> 0)];
      return concatBytes([ETH_HDR(0x0800), ipv4Header(e.src, e.dst, 47, gre.length + ppp.length), gre, ppp]);
    }
    case 'vxlan': {
      const ulen = 8 + 8 + innerFrame.length;
      const sport = e.sport ?? 49152;
      const udp = [sport >> 8, sport & 255, 0x12, 0xb5, ulen >> 8, ulen & 255, 0, 0];
      const vx = [0x08, 0, 0, 0, (e.vni >>> 16) & 255, (e.vni >>> 8) & 255, e.vni & 255, 0];
      return concatBytes([ETH_HDR(0x0800), ipv4Header(e.src, e.dst, 17, ulen), udp, vx, innerFrame]);
    }
  }
}

/** What udpFrame builds: one UDP datagram in an Ethernet frame. */
export interface UdpDatagramSpec {
  src: string; // IPv4 dotted quad or IPv6 text
  dst: string;
  sport: number;
  dport: number;
  payload: Uint8Array | number[];
  ttl?: number;
  ipId?: number;
}

/** An Ethernet frame carrying one UDP datagram (lengths and checksums correct). */
export function udpFrame(s: UdpDatagramSpec): Uint8Array {
  const v6 = s.src.includes(':');
  const payload = s.payload instanceof Uint8Array ? s.payload : Uint8Array.from(s.payload);
  const udpLen = 8 + payload.length;
  const frame = ipFrame(s, 17, udpLen, false);
  const u = 14 + (v6 ? 40 : 20);
  frame[u] = s.sport >> 8;
  frame[u + 1] = s.sport & 255;
  frame[u + 2] = s.dport >> 8;
  frame[u + 3] = s.dport & 255;
  frame[u + 4] = udpLen >> 8;
  frame[u + 5] = udpLen & 255;
  frame.set(payload, u + 8);
  let c = fold(sum16(frame, u, udpLen, pseudoSum(frame, v6, 17, udpLen)));
  if (c === 0) c = 0xffff;
  frame[u + 6] = c >> 8;
  frame[u + 7] = c & 255;
  return frame;
}
