/**
 * Round trip: the frame a tcpdump text line describes (numeric addresses only), built so that
 * PacketPrinter prints the same line back: link header (Ethernet, or Linux cooked v1/v2 when the
 * text shows one), IPv4 (tos, ttl, id, flags, offset, checksum as printed) or IPv6 (class,
 * flow label, hop limit), TCP with the options listed and a payload of `length` zero bytes.
 * A checksum printed as "(incorrect -> 0xY)" is reproduced by choosing a word the line does not
 * show (the urgent pointer, or the payload's first word) so that the right checksum is Y.
 */

import { TH_URG } from '../decode/packet';
import { parseIPv4, parseIPv6 } from '../synth/frames';
import type { PrintOptions } from '../print/options';
import { optionsOf } from './model';
import type { ParsedLog, TextPacket } from './model';

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

/** tcpdump's MAXIMUM_SNAPLEN: the longest frame it captures, so the longest a log can show. */
const MAX_FRAME = 262144;

export interface SynthFrame {
  /** The captured bytes (one byte short of the frame when the text shows a cut capture, see origLen). */
  data: Uint8Array;
  /** Length on the wire. */
  origLen: number;
  linkType: number;
  tsSec: number;
  tsNsec: number;
  /** 9 when the text shows nanoseconds, else 6. */
  tsPrecision: 6 | 9;
}

/** PrintOptions that reproduce the log's look (as far as the text tells). */
export function printOptionsFor(log: ParsedLog): PrintOptions {
  const f = log.format;
  return {
    verbose: f.verbose,
    absoluteSeq: f.absoluteSeq,
    quiet: f.quiet,
    linkHeader: f.linkHeader,
    number: f.number,
    timeFormat: f.timeFormat,
    nano: f.nano,
    hex: 0,
  };
}

function u32(v: number): number[] {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}
function hexBytes(h: string): number[] | null {
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) return null;
  const out: number[] = [];
  for (let i = 0; i < h.length; i += 2) out.push(parseInt(h.slice(i, i + 2), 16));
  return out;
}
function u64(dec: string): number[] {
  const v = BigInt(dec);
  const out: number[] = [];
  for (let i = 7; i >= 0; i--) out.push(Number((v >> BigInt(i * 8)) & 255n));
  return out;
}
function hex64(h: string): number[] {
  return u64(BigInt('0x' + h).toString());
}

const MPTCP_SUB: Record<string, number> = { capable: 0, join: 1, dss: 2, 'add-addr': 3, 'rem-addr': 4, prio: 5, fail: 6, 'fast-close': 7, tcprst: 8 };
const CAPABLE_FLAGS = 'ABCDEFGH';
const TCPRST_FLAGS = 'UVWT';
const TCPRST_REASONS = ['Unspecified error', 'MPTCP-specific error', 'Lack of resources', 'Administratively prohibited', 'Too much outstanding data', 'Unacceptable performance', 'Middlebox interference'];

function bitsOf(text: string, names: string): number {
  if (text === 'none') return 0;
  let v = 0;
  const n = names.length;
  for (const ch of text) {
    const k = names.indexOf(ch);
    if (k < 0) return -1;
    v |= 1 << (n - 1 - k);
  }
  return v;
}

/** Bytes of an MPTCP option as print-mptcp.c prints it ("mptcp 12 capable v1 flags [H] {0x…}"). */
function mptcpBytes(text: string): number[] | null {
  // (?=(\S+))\2 takes the word atomically: with a line separator (U+2028) in the text ".*$" fails, and
  // backtracking into \S+ made that quadratic (25 s for 100 K characters)
  const m = /^mptcp (\d+) (?=(\S+))\2(.*)$/.exec(text);
  if (!m) return null;
  const len = Number(m[1]);
  const sub = MPTCP_SUB[m[2]];
  if (sub === undefined) return null;
  const rest = m[3];
  const b = new Array<number>(len).fill(0);
  b[0] = 30;
  b[1] = len;
  b[2] = sub << 4;
  let r: RegExpExecArray | null;
  switch (sub) {
    case 0: {
      r = /^ v(\d) flags \[(\w+)\]( csum)?(?: \{0x([0-9a-f]+)(?:,0x([0-9a-f]+))?(?:,data_len=(\d+))?\})?$/.exec(rest);
      if (!r) return null;
      b[2] |= Number(r[1]);
      const f = bitsOf(r[2], CAPABLE_FLAGS);
      if (f < 0) return null;
      b[3] = f;
      if (r[4] !== undefined && len >= 12) b.splice(4, 8, ...hex64(r[4]));
      if (r[5] !== undefined && len >= 20) b.splice(12, 8, ...hex64(r[5]));
      if (r[6] !== undefined && len >= 22) {
        const d = Number(r[6]);
        b[20] = d >> 8;
        b[21] = d & 255;
      }
      break;
    }
    case 1: {
      if (len === 24) {
        r = /^ hmac 0x([0-9a-f]{40})$/.exec(rest);
        if (!r) return null;
        b.splice(4, 20, ...hexBytes(r[1])!);
        break;
      }
      r = /^( backup)? id (\d+) (?:token 0x([0-9a-f]+) nonce 0x([0-9a-f]+)|hmac 0x([0-9a-f]+) nonce 0x([0-9a-f]+))$/.exec(rest);
      if (!r) return null;
      if (r[1]) b[2] |= 1;
      b[3] = Number(r[2]);
      if (r[3] !== undefined) {
        b.splice(4, 4, ...u32(parseInt(r[3], 16)));
        b.splice(8, 4, ...u32(parseInt(r[4], 16)));
      } else {
        b.splice(4, 8, ...hex64(r[5]));
        b.splice(12, 4, ...u32(parseInt(r[6], 16)));
      }
      break;
    }
    case 2: {
      r = /^( fin)?(?: ack (\d+))?(?: seq (\d+) subseq (\d+) len (\d+)(?: csum 0x([0-9a-f]+))?)?$/.exec(rest);
      if (!r) return null;
      let f = 0;
      const out = [30, len, 0x20, 0];
      if (r[1]) f |= 0x10;
      if (r[2] !== undefined) {
        f |= 1;
        // 8-byte form when the option is long enough for it
        const seqPart = r[3] !== undefined ? 4 + 4 + 2 + (r[6] !== undefined ? 2 : 0) : 0;
        const ackLen = len - 4 - seqPart;
        const seqLen8 = false;
        if (ackLen === 8 || (ackLen !== 4 && BigInt(r[2]) > 0xffffffffn)) {
          f |= 2;
          out.push(...u64(r[2]));
        } else out.push(...u32(Number(r[2])));
        void seqLen8;
      }
      if (r[3] !== undefined) {
        f |= 4;
        const remain = len - out.length - 4 - 2 - (r[6] !== undefined ? 2 : 0);
        if (remain === 8) {
          f |= 8;
          out.push(...u64(r[3]));
        } else out.push(...u32(Number(r[3])));
        out.push(...u32(Number(r[4])));
        const l = Number(r[5]);
        out.push(l >> 8, l & 255);
        if (r[6] !== undefined) {
          const c = parseInt(r[6], 16);
          out.push(c >> 8, c & 255);
        }
      }
      out[3] = f;
      if (out.length !== len) return null;
      return out;
    }
    case 3: {
      r = /^ (v0-ip6|v0-ip4|v1-echo|v1) id (\d+) (\S+?)(?::(\d+))?(?: hmac 0x([0-9a-f]+))?$/.exec(rest);
      if (!r) return null;
      b[2] |= ({ 'v0-ip6': 6, 'v0-ip4': 4, 'v1-echo': 1, v1: 0 } as Record<string, number>)[r[1]];
      b[3] = Number(r[2]);
      let p = 4;
      try {
        const addr = len <= 18 ? parseIPv4(r[3]) : parseIPv6(r[3]);
        b.splice(p, addr.length, ...addr);
        p += addr.length;
      } catch {
        return null;
      }
      if (r[4] !== undefined) {
        const port = Number(r[4]);
        b[p] = port >> 8;
        b[p + 1] = port & 255;
        p += 2;
      }
      if (r[5] !== undefined) b.splice(p, 8, ...hex64(r[5]));
      break;
    }
    case 4: {
      r = /^ id((?: \d+)*)$/.exec(rest);
      if (!r) return null;
      const ids = r[1].trim().split(' ').filter(Boolean).map(Number);
      for (let i = 0; i < ids.length; i++) b[3 + i] = ids[i];
      break;
    }
    case 5:
      r = /^ (backup|non-backup)(?: id (\d+))?$/.exec(rest);
      if (!r) return null;
      if (r[1] === 'backup') b[2] |= 1;
      if (r[2] !== undefined) b[3] = Number(r[2]);
      break;
    case 6:
      r = /^ seq (\d+)$/.exec(rest);
      if (!r) return null;
      b.splice(4, 8, ...u64(r[1]));
      break;
    case 7:
      r = /^ key 0x([0-9a-f]+)$/.exec(rest);
      if (!r) return null;
      b.splice(4, 8, ...hex64(r[1]));
      break;
    case 8: {
      r = /^ flags \[(\w+)\] reason (.*)$/.exec(rest);
      if (!r) return null;
      const f = bitsOf(r[1], TCPRST_FLAGS);
      if (f < 0) return null;
      b[2] |= f;
      let reason = TCPRST_REASONS.indexOf(r[2]);
      if (reason < 0) {
        const u = /^unknown \(0x([0-9a-f]{2})\)$/.exec(r[2]);
        if (!u) return null;
        reason = parseInt(u[1], 16);
      }
      b[3] = reason;
      break;
    }
  }
  return b.length === len ? b : null;
}

/** Bytes of one option as printed, or null when we cannot rebuild it. */
function optionBytes(name: string, text: string, p: TextPacket, sackAt: { i: number }): number[] | null {
  let r: RegExpExecArray | null;
  switch (name) {
    case 'nop':
      return text === 'nop' ? [1] : null;
    case 'eol':
      return text === 'eol' ? [0] : null;
    case 'mss':
      r = /^mss (\d+)$/.exec(text);
      return r ? [2, 4, (Number(r[1]) >> 8) & 255, Number(r[1]) & 255] : null;
    case 'wscale':
      r = /^wscale (\d+)$/.exec(text);
      return r ? [3, 3, Number(r[1]) & 255] : null;
    case 'sackOK':
      return text === 'sackOK' ? [4, 2] : null;
    case 'TS':
      r = /^TS val (\d+) ecr (\d+)$/.exec(text);
      return r ? [8, 10, ...u32(Number(r[1])), ...u32(Number(r[2]))] : null;
    case 'sack': {
      r = /^sack (\d+) ((?:\{\d+:\d+\})*)$/.exec(text);
      if (!r || p.absSack === null) return null;
      const n = Number(r[1]);
      const out = [5, 2 + 8 * n];
      for (let k = 0; k < n; k++) {
        const i = sackAt.i;
        if (i + 1 >= p.absSack.length) return null;
        out.push(...u32(p.absSack[i]), ...u32(p.absSack[i + 1]));
        sackAt.i += 2;
      }
      return out;
    }
    case 'md5':
      r = /^md5 (?:shared secret not supplied with -M, |snaplen too short, )can't check - ([0-9a-f]{32})$/.exec(text);
      return r ? [19, 18, ...hexBytes(r[1])!] : null;
    case 'echo':
    case 'echoreply':
    case 'cc':
    case 'ccnew': {
      r = /^\S+ (\d+)$/.exec(text);
      const kind = { echo: 6, echoreply: 7, cc: 11, ccnew: 12 }[name];
      return r ? [kind, 6, ...u32(Number(r[1]))] : null;
    }
    case 'scps':
      r = /^scps cap ([0-9a-f]{2}) id (\d+)$/.exec(text);
      return r ? [20, 4, parseInt(r[1], 16), Number(r[2])] : null;
    case 'uto':
      r = /^uto 0x([0-9a-f]+) \d+$/.exec(text);
      return r ? [28, 4, (parseInt(r[1], 16) >> 8) & 255, parseInt(r[1], 16) & 255] : null;
    case 'tcp-ao': {
      r = /^tcp-ao keyid (\d+) rnextkeyid (\d+)(?: mac 0x([0-9a-f]+))?$/.exec(text);
      if (!r) return null;
      const mac = r[3] !== undefined ? hexBytes(r[3]) : [];
      if (mac === null) return null;
      return [29, 4 + mac.length, Number(r[1]), Number(r[2]), ...mac];
    }
    case 'tfo': {
      if (text === 'tfo cookiereq') return [34, 2];
      r = /^tfo cookie ([0-9a-f]+)$/.exec(text);
      const c = r ? hexBytes(r[1]) : null;
      return c ? [34, 2 + c.length, ...c] : null;
    }
    case 'exp-tfo': {
      if (text === 'exp-tfo cookiereq') return [254, 4, 0xf9, 0x89];
      r = /^exp-tfo cookie ([0-9a-f]+)$/.exec(text);
      const c = r ? hexBytes(r[1]) : null;
      return c ? [254, 4 + c.length, 0xf9, 0x89, ...c] : null;
    }
    case 'mptcp':
      return mptcpBytes(text);
    default: {
      if (/^exp-[0-9a-f]{4}$/.test(text)) return [254, 4, parseInt(text.slice(4, 6), 16), parseInt(text.slice(6, 8), 16)];
      r = /^unknown-(\d+)(?: 0x([0-9a-f]+))?$/.exec(text);
      if (r) {
        const data = r[2] !== undefined ? hexBytes(r[2]) : [];
        if (data === null) return null;
        return [Number(r[1]), 2 + data.length, ...data];
      }
      return null;
    }
  }
}

function sum16(d: Uint8Array, off: number, len: number, acc: number): number {
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) acc += (d[i] << 8) | d[i + 1];
  if (i < end) acc += d[i] << 8;
  return acc;
}
function fold16(acc: number): number {
  while (acc > 0xffff) acc = (acc % 0x10000) + Math.floor(acc / 0x10000);
  return acc;
}

const SLL_TYPES: Record<string, number> = { In: 0, B: 1, M: 2, P: 3, Out: 4 };

/**
 * The frame the text packet describes, or null when it cannot be rebuilt (not TCP, names instead
 * of addresses or ports, a line cut short or truncated, an option we cannot encode).
 */
export function synthesizeFrame(p: TextPacket): SynthFrame | null {
  // -q lines ("tcp 0") show no flags: any will do
  const quiet = p.flags < 0 && p.quietLength >= 0;
  if (p.l4 !== 'tcp' || (p.flags < 0 && !quiet) || p.cutShort || p.truncated || p.problem !== '') return null;
  const flags = quiet ? 0x10 : p.flags;
  if (!p.numericHosts || p.sport < 0 || p.dport < 0 || !/^\d+$/.test(p.srcPortText) || !/^\d+$/.test(p.dstPortText)) return null;
  const v6 = p.ipVersion === 6;
  let src: number[];
  let dst: number[];
  try {
    src = v6 ? parseIPv6(p.srcHost) : parseIPv4(p.srcHost);
    dst = v6 ? parseIPv6(p.dstHost) : parseIPv4(p.dstHost);
  } catch {
    return null;
  }
  // options
  const opt: number[] = [];
  const payloadLen = p.length >= 0 ? p.length : p.quietLength >= 0 ? p.quietLength : 0;
  // bytes the IP header says the TCP header + payload take (-1 when not shown)
  let claimed = -1;
  if (p.ip4 !== null && p.ip4.length >= 20 && p.ip4.lengthNote === '') claimed = p.ip4.length - 20;
  else if (p.ip6 !== null && p.ip6.payloadLength > 0) claimed = p.ip6.payloadLength;
  if (p.optStart >= 0) {
    const sackAt = { i: 0 };
    const list = optionsOf(p);
    const bytes: number[][] = [];
    let total = 0;
    for (const o of list) {
      const b = optionBytes(o.name, o.text, p, sackAt);
      if (b === null) return null;
      bytes.push(b);
      total += b.length;
    }
    // an experimental option prints only its magic: give it the bytes the IP length says were there
    const slack = claimed >= 0 ? claimed - payloadLen - 20 - total : 0;
    if (slack > 0) {
      const k = list.findIndex((o) => /^exp-/.test(o.name) && o.name !== 'exp-tfo');
      if (k >= 0) {
        const b = bytes[k];
        for (let i = 0; i < slack; i++) b.push(0);
        b[1] += slack;
      }
    }
    for (const b of bytes) for (const x of b) opt.push(x);
  }
  while (opt.length % 4) opt.push(0);
  if (opt.length > 40) return null;
  const tcpHdr = 20 + opt.length;
  const tcpLen = tcpHdr + payloadLen;
  const ipHdr = v6 ? 40 : 20;
  // link header
  const link = p.link;
  let linkType = LINKTYPE_ETHERNET;
  let lh: number[];
  const etherType = v6 ? 0x86dd : 0x0800;
  const mac = (s: string | undefined, d: number[]): number[] => (s ? s.split(':').map((x) => parseInt(x, 16)) : d);
  const vlans = link !== null ? link.vlans : [];
  if (link !== null && link.kind === 'sll2') {
    linkType = LINKTYPE_LINUX_SLL2;
    const ifindex = p.ifname === 'lo' ? 1 : 2;
    const m = mac(link.srcMac || undefined, [0, 0, 0, 0, 0, 0]);
    lh = [etherType >> 8, etherType & 255, 0, 0, ...u32(ifindex), 0, 1, SLL_TYPES[p.direction] ?? 0, 6, ...m, 0, 0];
  } else if (link !== null && link.kind === 'sll') {
    linkType = LINKTYPE_LINUX_SLL;
    const m = mac(link.srcMac || undefined, [0, 0, 0, 0, 0, 0]);
    lh = [0, SLL_TYPES[p.direction] ?? 0, 0, 1, 0, 6, ...m, 0, 0, etherType >> 8, etherType & 255];
  } else {
    lh = [...mac(link?.dstMac, [0x02, 0, 0, 0, 0, 2]), ...mac(link?.srcMac, [0x02, 0, 0, 0, 0, 1])];
    for (const v of vlans) lh.push(0x81, 0x00, (v >> 8) & 0x0f, v & 255);
    lh.push(etherType >> 8, etherType & 255);
  }
  const ipOff = lh.length;
  let frameLen = ipOff + ipHdr + tcpLen;
  if (link !== null && link.frameLength > frameLen) frameLen = link.frameLength;
  // no frame tcpdump read is longer than its largest snapshot (262,144 bytes): a longer one is not rebuilt
  // rather than allocated (a `length` of 4 G in the text would ask for 4 GB)
  if (frameLen > MAX_FRAME) return null;
  const d = new Uint8Array(frameLen);
  d.set(lh, 0);
  // network header
  const ip = ipOff;
  if (v6) {
    const h = p.ip6;
    const flow = ((h !== null && h.cls >= 0 ? h.cls : 0) << 20) | (h !== null && h.flowlabel >= 0 ? h.flowlabel : 0);
    d.set(u32((0x60000000 | flow) >>> 0), ip);
    const plen = h !== null && h.payloadLength >= 0 && h.lengthNote === '' ? h.payloadLength : h !== null && h.lengthNote !== '' ? 0 : tcpLen;
    d[ip + 4] = (plen >> 8) & 255;
    d[ip + 5] = plen & 255;
    d[ip + 6] = 6;
    d[ip + 7] = h !== null && h.hlim >= 0 ? h.hlim : 64;
    d.set(src, ip + 8);
    d.set(dst, ip + 24);
  } else {
    const h = p.ip4;
    d[ip] = 0x45;
    d[ip + 1] = h !== null && h.tos >= 0 ? h.tos : 0;
    const total = h !== null && h.length >= 0 && h.lengthNote === '' ? h.length : h !== null && h.lengthNote !== '' ? 0 : 20 + tcpLen;
    d[ip + 2] = (total >> 8) & 255;
    d[ip + 3] = total & 255;
    const id = h !== null && h.id >= 0 ? h.id : 0;
    d[ip + 4] = (id >> 8) & 255;
    d[ip + 5] = id & 255;
    let frag = h !== null && h.offset >= 0 ? h.offset >> 3 : 0;
    const fl = h !== null ? h.flags : 'DF';
    if (fl.indexOf('DF') >= 0) frag |= 0x4000;
    if (fl.indexOf('+') >= 0) frag |= 0x2000;
    if (fl.indexOf('rsvd') >= 0) frag |= 0x8000;
    d[ip + 6] = frag >> 8;
    d[ip + 7] = frag & 255;
    d[ip + 8] = h !== null ? (h.ttl >= 0 ? h.ttl : 0) : 64;
    d[ip + 9] = h !== null && h.proto >= 0 ? h.proto : 6;
    d.set(src, ip + 12);
    d.set(dst, ip + 16);
    let c = ~fold16(sum16(d, ip, 20, 0)) & 0xffff;
    if (h !== null && h.badCksum >= 0) c = h.badCksum;
    d[ip + 10] = c >> 8;
    d[ip + 11] = c & 255;
  }
  // TCP header
  const t = ip + ipHdr;
  d[t] = p.sport >> 8;
  d[t + 1] = p.sport & 255;
  d[t + 2] = p.dport >> 8;
  d[t + 3] = p.dport & 255;
  d.set(u32(p.absSeq >= 0 ? p.absSeq : 0), t + 4);
  d.set(u32(p.absAck >= 0 ? p.absAck : 0), t + 8);
  d[t + 12] = ((tcpHdr / 4) << 4) | ((flags >> 8) & 1);
  d[t + 13] = flags & 255;
  const win = p.win >= 0 ? p.win : 0;
  d[t + 14] = (win >> 8) & 255;
  d[t + 15] = win & 255;
  if (flags & TH_URG && p.urg >= 0) {
    d[t + 18] = (p.urg >> 8) & 255;
    d[t + 19] = p.urg & 255;
  }
  d.set(opt, t + 20);
  // checksum: right, or the field printed with the right value printed after "->"
  const segLen = Math.min(tcpLen, d.length - t);
  const pseudo = (): number => {
    let acc = v6 ? sum16(d, ip + 8, 32, 0) : sum16(d, ip + 12, 8, 0);
    acc += 6 + (tcpLen & 0xffff) + (v6 ? Math.floor(tcpLen / 0x10000) : 0);
    return acc;
  };
  // the right checksum: "-> 0xY" when shown incorrect, the field itself when shown correct
  const target = p.cksumState === 'incorrect' ? p.cksumShouldBe : p.cksumState === 'correct' ? p.cksum : -1;
  if (target >= 0 && p.cksum >= 0) {
    // free word: urgent pointer when URG is clear, else the first payload word
    let w = -1;
    if ((flags & TH_URG) === 0) w = t + 18;
    else if (payloadLen >= 2) w = t + tcpHdr;
    if (w >= 0) {
      d[w] = 0;
      d[w + 1] = 0;
      const s0 = fold16(sum16(d, t, segLen, pseudo()));
      // want ~fold(s0 + x) = shouldBe  →  x = ~shouldBe - s0 (ones-complement)
      let x = (~target & 0xffff) + (~s0 & 0xffff);
      x = fold16(x);
      d[w] = x >> 8;
      d[w + 1] = x & 255;
    }
    d[t + 16] = p.cksum >> 8;
    d[t + 17] = p.cksum & 255;
  } else {
    const c = ~fold16(sum16(d, t, segLen, pseudo())) & 0xffff;
    d[t + 16] = c >> 8;
    d[t + 17] = c & 255;
  }
  // -v shows no TCP checksum when the capture cut the segment (snaplen): cut it too
  const cut = (p.ip4 !== null || p.ip6 !== null) && p.cksumState === '' && payloadLen > 0;
  const data = cut ? d.subarray(0, d.length - 1) : d;
  return { data, origLen: d.length, linkType, tsSec: p.tsSec, tsNsec: p.tsNsec, tsPrecision: p.timeDigits === 9 ? 9 : 6 };
}
