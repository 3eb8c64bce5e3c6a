/**
 * TCP line exactly as `tcpdump -n` prints it (print-tcp.c, current version):
 * "10.0.0.1.80 > 10.0.0.2.5000: Flags [S.], cksum 0x1234 (correct), seq 1:2, ack 3, win 4, urg 0, options [...], length N"
 * followed, with -v, by the RST payload text. Application layers are not decoded here.
 */

import { hex2, ipv4String, ipv6String, u16be, u32be } from '../bytes';
import { DecodedPacket, NET_IPV4, NET_IPV6, IPPROTO_TCP, TH_ACK, TH_FIN, TH_RST, TH_SYN, TH_URG } from '../decode/packet';
import { cksumShouldBe, verifyL4Checksum } from '../decode/l4cksum';
import { l4CapEnd, l4Length, tcpFlagString } from '../decode/tcp';
import {
  nextTcpOption, tcpOptionName, TcpOptCursor, OPT_BAD_LEN, OPT_OK,
  TCPOPT_CC, TCPOPT_CCECHO, TCPOPT_CCNEW, TCPOPT_ECHO, TCPOPT_ECHOREPLY, TCPOPT_EOL, TCPOPT_EXPERIMENT2,
  TCPOPT_FASTOPEN, TCPOPT_MPTCP, TCPOPT_MSS, TCPOPT_NOP, TCPOPT_SACK, TCPOPT_SACKOK, TCPOPT_SCPS,
  TCPOPT_SIGNATURE, TCPOPT_TCPAO, TCPOPT_TIMESTAMP, TCPOPT_UTO, TCPOPT_WSCALE, TCP_SIGLEN,
} from '../decode/tcpOptions';
import { PrintContext } from './context';
import { SeqTable6 } from './seqTable6';
import { TCP_APP_PRINTERS } from './app/index';

const TRUNC = ' [|tcp]';
const MAX_RST_DATA_LEN = 30;

/** "addr.port > addr.port: " or, for IPv6 with extension headers, "port > port: " (tcpdump's tcp_print). */
function addrPorts(pkt: DecodedPacket, sport: number, dport: number): string {
  const net = pkt.net;
  if (net.kind === NET_IPV6 && pkt.data[net.off + 6] !== 6) return sport + ' > ' + dport + ': ';
  return net.src + '.' + sport + ' > ' + net.dst + '.' + dport + ': ';
}

/** Relative sequence numbers: tcpdump's tcp_seq_hash. Returns [rev, thseq, thack] through `st`. */
export class SeqState {
  rev = false;
  thseq = 0;
  thack = 0;
  seq = 0;
  ack = 0;
}

function compareAddrs(d: Uint8Array, a: number, b: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const x = d[a + i];
    const y = d[b + i];
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * IPv4 conversations' sequence bases, keyed by (address, address, ports) in canonical order: open
 * addressing over typed arrays, so a lookup allocates nothing and hashes three 32-bit words (the
 * two-level Map of double keys it replaces cost 8 % of `print`). IPv6 ones use SeqTable6
 * (print/seqTable6.ts), the same with the addresses' 16 bytes. One table per PrintContext, like tcpdump's per-process tcp_seq_hash4 / tcp_seq_hash6.
 */
export class SeqTable4 {
  /** 3 words a slot: address a, address b, (port a << 16 | port b); a slot is used when used[i] is 1. */
  private keys = new Uint32Array(3 * 1024);
  private used = new Uint8Array(1024);
  /** The bases of each slot. */
  seq = new Uint32Array(1024);
  ack = new Uint32Array(1024);
  private count = 0;

  /** The slot of the key, or -1. */
  find(a: number, b: number, ports: number): number {
    const mask = this.used.length - 1;
    for (let i = hash3(a, b, ports) & mask; ; i = (i + 1) & mask) {
      if (this.used[i] === 0) return -1;
      const k = 3 * i;
      if (this.keys[k] === a && this.keys[k + 1] === b && this.keys[k + 2] === ports) return i;
    }
  }

  /** A new slot for a key that is not in the table (the table stays at most half full). */
  add(a: number, b: number, ports: number): number {
    if (2 * (this.count + 1) > this.used.length) this.grow();
    this.count++;
    return this.place(a, b, ports);
  }

  private place(a: number, b: number, ports: number): number {
    const mask = this.used.length - 1;
    let i = hash3(a, b, ports) & mask;
    while (this.used[i] !== 0) i = (i + 1) & mask;
    this.used[i] = 1;
    this.keys[3 * i] = a;
    this.keys[3 * i + 1] = b;
    this.keys[3 * i + 2] = ports;
    return i;
  }

  private grow(): void {
    const { keys, used, seq, ack } = this;
    const n = used.length * 2;
    this.keys = new Uint32Array(3 * n);
    this.used = new Uint8Array(n);
    this.seq = new Uint32Array(n);
    this.ack = new Uint32Array(n);
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 0) continue;
      const j = this.place(keys[3 * i], keys[3 * i + 1], keys[3 * i + 2]);
      this.seq[j] = seq[i];
      this.ack[j] = ack[i];
    }
  }
}

function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

/**
 * The TCP printer's state for one printing run (one per PrintContext, made on first use): the
 * IPv4 relative-sequence tables and the scratch objects reused from packet to packet. Kept on the
 * run's context, not at module level, so two runs (or an inner packet printed inside an outer
 * one) never share them.
 */
export class TcpPrintState {
  readonly v4 = new SeqTable4();
  /** IPv6 conversations (print/seqTable6.ts). */
  readonly v6 = new SeqTable6();
  readonly seq = new SeqState();
  readonly opt = new OptOut();
  readonly cursor = new TcpOptCursor();
}

export function stateOf(ctx: PrintContext): TcpPrintState {
  return (ctx.tcp ??= new TcpPrintState());
}

/** relativeSeq for IPv4 addresses at srcOff/dstOff of `d` (the printer's byte path calls it without a decoded packet). */
export function relativeSeq4(ctx: PrintContext, d: Uint8Array, srcOff: number, dstOff: number, sport: number, dport: number, flags: number, seq: number, ack: number): SeqState {
  const state = stateOf(ctx);
  const st = state.seq;
  let rev = false;
  if (sport > dport) rev = true;
  else if (sport === dport && compareAddrs(d, srcOff, dstOff, 4) > 0) rev = true;
  const table = state.v4;
  const a = u32be(d, rev ? dstOff : srcOff);
  const b = u32be(d, rev ? srcOff : dstOff);
  const ports = (((rev ? dport : sport) << 16) | (rev ? sport : dport)) >>> 0;
  let i = table.find(a, b, ports);
  const fresh = i < 0 || (flags & TH_SYN) !== 0;
  if (i < 0) i = table.add(a, b, ports);
  return againstBases(st, table, i, fresh, rev, seq, ack);
}

/**
 * This packet's numbers against slot i's bases. `fresh`: a new conversation (or a new SYN) — remember
 * the bases and print this packet's numbers as they are.
 */
function againstBases(st: SeqState, table: { seq: Uint32Array; ack: Uint32Array }, i: number, fresh: boolean, rev: boolean, seq: number, ack: number): SeqState {
  const bs = table.seq;
  const ba = table.ack;
  if (fresh) {
    if (rev) {
      ba[i] = seq;
      bs[i] = (ack - 1) >>> 0;
    } else {
      bs[i] = seq;
      ba[i] = (ack - 1) >>> 0;
    }
  } else if (rev) {
    seq = (seq - ba[i]) >>> 0;
    ack = (ack - bs[i]) >>> 0;
  } else {
    seq = (seq - bs[i]) >>> 0;
    ack = (ack - ba[i]) >>> 0;
  }
  st.thseq = bs[i];
  st.thack = ba[i];
  st.rev = rev;
  st.seq = seq;
  st.ack = ack;
  return st;
}

/**
 * relativeSeq for IPv6 addresses at srcOff/dstOff of `d` (16 bytes each): SeqTable6, keyed by the
 * addresses' bytes (the printer's byte path calls it without a decoded packet).
 */
export function relativeSeq6(ctx: PrintContext, d: Uint8Array, srcOff: number, dstOff: number, sport: number, dport: number, flags: number, seq: number, ack: number): SeqState {
  const state = stateOf(ctx);
  const st = state.seq;
  let rev = false;
  if (sport > dport) rev = true;
  else if (sport === dport && compareAddrs(d, srcOff, dstOff, 16) > 0) rev = true;
  const table = state.v6;
  const a = rev ? dstOff : srcOff;
  const b = rev ? srcOff : dstOff;
  const ports = (((rev ? dport : sport) << 16) | (rev ? sport : dport)) >>> 0;
  let i = table.find(d, a, b, ports);
  const fresh = i < 0 || (flags & TH_SYN) !== 0;
  if (i < 0) i = table.add(d, a, b, ports);
  return againstBases(st, table, i, fresh, rev, seq, ack);
}

export function relativeSeq(pkt: DecodedPacket, ctx: PrintContext, sport: number, dport: number, flags: number, seq: number, ack: number): SeqState {
  const net = pkt.net;
  if (net.addrLen === 4) return relativeSeq4(ctx, pkt.data, net.srcOff, net.dstOff, sport, dport, flags, seq, ack);
  if (net.addrLen === 16) return relativeSeq6(ctx, pkt.data, net.srcOff, net.dstOff, sport, dport, flags, seq, ack);
  const st = stateOf(ctx).seq;
  const d = pkt.data;
  let rev = false;
  if (sport > dport) rev = true;
  else if (sport === dport && net.addrLen > 0 && compareAddrs(d, net.srcOff, net.dstOff, net.addrLen) > 0) rev = true;
  // anything else: a text key in ctx.tcpSeq
  const key = rev ? net.dst + ' ' + net.src + ' ' + (dport * 65536 + sport) : net.src + ' ' + net.dst + ' ' + (sport * 65536 + dport);
  let th = ctx.tcpSeq.get(key);
  if (th === undefined || (flags & TH_SYN) !== 0) {
    if (th === undefined) {
      th = { seq: 0, ack: 0 };
      ctx.tcpSeq.set(key, th);
    }
    if (rev) {
      th.ack = seq;
      th.seq = (ack - 1) >>> 0;
    } else {
      th.seq = seq;
      th.ack = (ack - 1) >>> 0;
    }
  } else if (rev) {
    seq = (seq - th.ack) >>> 0;
    ack = (ack - th.seq) >>> 0;
  } else {
    seq = (seq - th.seq) >>> 0;
    ack = (ack - th.ack) >>> 0;
  }
  st.thseq = th.seq;
  st.thack = th.ack;
  st.rev = rev;
  st.seq = seq;
  st.ack = ack;
  return st;
}

/** tcpdump's fn_print_char. */
export function printableChar(c: number): string {
  let s = '';
  if (c > 0x7f) {
    c &= 0x7f;
    s = 'M-';
  }
  if (c < 0x20 || c > 0x7e) {
    c ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(c);
}

function hexRun(d: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += hex2(d[off + i]);
  return s;
}

/** %PRIx64 of 8 big-endian bytes. */
function hex64(d: Uint8Array, off: number): string {
  const hi = u32be(d, off);
  const lo = u32be(d, off + 4);
  if (hi === 0) return lo.toString(16);
  let l = lo.toString(16);
  while (l.length < 8) l = '0' + l;
  return hi.toString(16) + l;
}
/** %PRIu64 of 8 big-endian bytes. */
function dec64(d: Uint8Array, off: number): string {
  const hi = u32be(d, off);
  const lo = u32be(d, off + 4);
  if (hi === 0) return String(lo);
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

export const OPT_RES_OK = 0;
export const OPT_RES_BAD = 1;
export const OPT_RES_TRUNC = 2;
/** Option data past the capture after the first option: tcpdump prints " [|tcp]>" there. */
export const OPT_RES_TRUNC_GT = 12;

/** tcpdump's LENCHECK(l): beyond the header is "[bad opt]", beyond the capture "[|tcp]". */
function lenCheck(l: number, hlen: number, p: number, capEnd: number): number {
  if (l > hlen) return OPT_RES_BAD;
  if (p + l > capEnd) return OPT_RES_TRUNC_GT;
  return 0;
}
/** Result holder for printOptions. */
export class OptOut {
  s = '';
  /** separator state (tcpdump's `ch`): '' before the first option, ',' after */
  ch = '';
}

const CAPABLE_FLAGS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
const TCPRST_FLAGS = ['U', 'V', 'W', 'T'];
const TCPRST_REASONS = ['Unspecified error', 'MPTCP-specific error', 'Lack of resources', 'Administratively prohibited', 'Too much outstanding data', 'Unacceptable performance', 'Middlebox interference'];
const MPTCP_NAMES = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'tcprst', 'unknown'];

function bitString(v: number, names: string[]): string {
  let s = '';
  const n = names.length;
  for (let i = 0; i < n; i++) if (v & (1 << (n - 1 - i))) s += names[i];
  return s === '' ? 'none' : s;
}

/**
 * MPTCP option body (print-mptcp.c). `o` is the option's kind byte offset, `len` its length
 * (all of it captured). Returns false for "[bad opt]".
 */
function printMptcp(d: Uint8Array, o: number, len: number, flags: number, out: OptOut): boolean {
  if (len < 3) return false;
  out.s += ' ' + len;
  let sub = d[o + 2] >> 4;
  if (sub > 9) sub = 9;
  out.s += ' ' + MPTCP_NAMES[sub];
  switch (sub) {
    case 0: { // capable
      if (!(((len === 12 || len === 4) && flags & TH_SYN) || ((len === 20 || len === 22 || len === 24) && (flags & (TH_SYN | TH_ACK)) === TH_ACK))) return false;
      const ver = d[o + 2] & 0xf;
      if (ver > 1) {
        out.s += ' Unknown Version (' + ver + ')';
        return true;
      }
      out.s += ' v' + ver;
      const f = d[o + 3];
      out.s += ' flags [' + bitString(f, CAPABLE_FLAGS) + ']';
      const csum = (f & 0x80) !== 0;
      if (csum) out.s += ' csum';
      if (len >= 12) {
        out.s += ' {0x' + hex64(d, o + 4);
        if (len >= 20) out.s += ',0x' + hex64(d, o + 12);
        if ((len === 22 && !csum) || len === 24) out.s += ',data_len=' + u16be(d, o + 20);
        out.s += '}';
      }
      return true;
    }
    case 1: { // join
      if (!((len === 12 && flags & TH_SYN) || (len === 16 && (flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) || (len === 24 && flags & TH_ACK))) return false;
      if (len !== 24) {
        if (d[o + 2] & 1) out.s += ' backup';
        out.s += ' id ' + d[o + 3];
      }
      if (len === 12) out.s += ' token 0x' + u32be(d, o + 4).toString(16) + ' nonce 0x' + u32be(d, o + 8).toString(16);
      else if (len === 16) out.s += ' hmac 0x' + hex64(d, o + 4) + ' nonce 0x' + u32be(d, o + 12).toString(16);
      else out.s += ' hmac 0x' + hexRun(d, o + 4, 20);
      return true;
    }
    case 2: { // dss
      if (len < 4) return false;
      if (flags & TH_SYN) return false;
      const f = d[o + 3];
      let p = o + 4;
      let left = len - 4;
      if (f & 0x10) out.s += ' fin';
      // the data ACK and the data sequence number: 8 bytes when their flag says so, else 4
      const number = (name: string, wide: boolean): boolean => {
        const n = wide ? 8 : 4;
        if (left < n) return false;
        out.s += name + (wide ? dec64(d, p) : u32be(d, p));
        p += n;
        left -= n;
        return true;
      };
      if (f & 0x01 && !number(' ack ', (f & 0x02) !== 0)) return false;
      if (f & 0x04) {
        if (!number(' seq ', (f & 0x08) !== 0)) return false;
        if (left < 4) return false;
        out.s += ' subseq ' + u32be(d, p);
        p += 4;
        left -= 4;
        if (left < 2) return false;
        out.s += ' len ' + u16be(d, p);
        p += 2;
        left -= 2;
        if (left >= 2) {
          out.s += ' csum 0x' + u16be(d, p).toString(16);
          left -= 2;
        }
      }
      return left === 0;
    }
    case 3: { // add-addr
      if (!(len === 8 || len === 10 || len === 16 || len === 18 || len === 20 || len === 22 || len === 28 || len === 30)) return false;
      const e = d[o + 2] & 0xf;
      out.s += ' ' + (e === 6 ? 'v0-ip6' : e === 4 ? 'v0-ip4' : e === 1 ? 'v1-echo' : e === 0 ? 'v1' : '[bad version/echo]');
      out.s += ' id ' + d[o + 3];
      if (len <= 18) {
        out.s += ' ' + ipv4String(d, o + 4);
        if (len === 10 || len === 18) out.s += ':' + u16be(d, o + 8);
        if (len === 16) out.s += ' hmac 0x' + hex64(d, o + 8);
        if (len === 18) out.s += ' hmac 0x' + hex64(d, o + 10);
      } else {
        out.s += ' ' + ipv6String(d, o + 4);
        if (len === 22 || len === 30) out.s += ':' + u16be(d, o + 20);
        if (len === 28) out.s += ' hmac 0x' + hex64(d, o + 20);
        if (len === 30) out.s += ' hmac 0x' + hex64(d, o + 22);
      }
      return true;
    }
    case 4: { // rem-addr
      if (len < 4) return false;
      out.s += ' id';
      for (let i = 3; i < len; i++) out.s += ' ' + d[o + i];
      return true;
    }
    case 5: // prio
      if (len !== 3 && len !== 4) return false;
      out.s += d[o + 2] & 1 ? ' backup' : ' non-backup';
      if (len === 4) out.s += ' id ' + d[o + 3];
      return true;
    case 6: // fail
      if (len !== 12) return false;
      out.s += ' seq ' + dec64(d, o + 4);
      return true;
    case 7: // fast-close
      if (len !== 12) return false;
      out.s += ' key 0x' + hex64(d, o + 4);
      return true;
    case 8: { // tcprst
      if (len !== 4) return false;
      out.s += ' flags [' + bitString(d[o + 2] & 0xf, TCPRST_FLAGS) + ']';
      const r = d[o + 3];
      out.s += ' reason ' + (r < TCPRST_REASONS.length ? TCPRST_REASONS[r] : 'unknown (0x' + hex2(r) + ')');
      return true;
    }
    default:
      return true;
  }
}

function printFastOpen(d: Uint8Array, p: number, datalen: number, exp: boolean, out: OptOut): void {
  if (exp) out.s += 'tfo';
  if (datalen === 0) out.s += ' cookiereq';
  else if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) out.s += ' (invalid)';
  else out.s += ' cookie ' + hexRun(d, p, datalen);
}

/**
 * The ", options [...]" part, stepping through the header the way tcpdump does (including its
 * "[len N]" and "[bad opt]" reports and its habit of advancing by the data it printed).
 */
export function printOptions(pkt: DecodedPacket, optOff: number, optLen: number, capEnd: number, flags: number, st: SeqState | null, segEnd: number, out: OptOut, c: TcpOptCursor): number {
  const d = pkt.data;
  const end = optOff + optLen;
  // fast path for the most common option block: nop,nop,TS
  if (optLen === 12 && optOff + 12 <= capEnd && d[optOff] === 1 && d[optOff + 1] === 1 && d[optOff + 2] === 8 && d[optOff + 3] === 10) {
    out.ch = ',';
    out.s = ', options [nop,nop,TS val ' + u32be(d, optOff + 4) + ' ecr ' + u32be(d, optOff + 8) + ']';
    return OPT_RES_OK;
  }
  let pos = optOff;
  out.ch = '';
  out.s = ', options [';
  while (pos < end) {
    out.s += out.ch;
    const r = nextTcpOption(d, pos, end, capEnd, c);
    if (r === OPT_BAD_LEN) return OPT_RES_BAD;
    if (r !== OPT_OK) return OPT_RES_TRUNC; // longjmp-style: no closing bracket
    const opt = c.kind;
    const zl = opt === TCPOPT_EOL || opt === TCPOPT_NOP;
    const len = zl ? 1 : c.len;
    let p = zl ? pos + 1 : pos + 2;
    const hlen = end - p; // bytes left after kind (and length)
    let datalen = 0;
    out.s += tcpOptionName(opt);
    let res = 0;
    switch (opt) {
      case TCPOPT_MSS:
        datalen = 2;
        if ((res = lenCheck(2, hlen, p, capEnd)) !== 0) return res;
        out.s += ' ' + u16be(d, p);
        break;
      case TCPOPT_WSCALE:
        datalen = 1;
        if ((res = lenCheck(1, hlen, p, capEnd)) !== 0) return res;
        out.s += ' ' + d[p];
        break;
      case TCPOPT_SACK:
        datalen = len - 2;
        if (datalen % 8 !== 0) out.s += ' invalid sack';
        else {
          out.s += ' ' + datalen / 8 + ' ';
          for (let i = 0; i < datalen; i += 8) {
            if ((res = lenCheck(i + 4, hlen, p, capEnd)) !== 0) return res;
            let s = u32be(d, p + i);
            if ((res = lenCheck(i + 8, hlen, p, capEnd)) !== 0) return res;
            let e = u32be(d, p + i + 4);
            if (st !== null) {
              const base = st.rev ? st.thseq : st.thack;
              s = (s - base) >>> 0;
              e = (e - base) >>> 0;
            }
            out.s += '{' + s + ':' + e + '}';
          }
        }
        break;
      case TCPOPT_CC:
      case TCPOPT_CCNEW:
      case TCPOPT_CCECHO:
      case TCPOPT_ECHO:
      case TCPOPT_ECHOREPLY:
        datalen = 4;
        if ((res = lenCheck(4, hlen, p, capEnd)) !== 0) return res;
        out.s += ' ' + u32be(d, p);
        break;
      case TCPOPT_TIMESTAMP:
        datalen = 8;
        if ((res = lenCheck(8, hlen, p, capEnd)) !== 0) return res;
        out.s += ' val ' + u32be(d, p) + ' ecr ' + u32be(d, p + 4);
        break;
      case TCPOPT_SIGNATURE: {
        datalen = TCP_SIGLEN;
        if ((res = lenCheck(datalen, hlen, p, capEnd)) !== 0) return res;
        out.s += ' ';
        // tcpdump built with libcrypto, no -M secret: it cannot check the signature
        if (segEnd > capEnd) out.s += 'snaplen too short, ';
        else out.s += 'shared secret not supplied with -M, ';
        out.s += "can't check - " + hexRun(d, p, TCP_SIGLEN);
        break;
      }
      case TCPOPT_SCPS:
        datalen = 2;
        if ((res = lenCheck(2, hlen, p, capEnd)) !== 0) return res;
        out.s += ' cap ' + hex2(d[p]) + ' id ' + d[p + 1];
        break;
      case TCPOPT_TCPAO:
        datalen = len - 2;
        if (datalen < 2) out.s += ' (invalid)';
        else {
          if ((res = lenCheck(1, hlen, p, capEnd)) !== 0) return res;
          out.s += ' keyid ' + d[p];
          if ((res = lenCheck(2, hlen, p, capEnd)) !== 0) return res;
          out.s += ' rnextkeyid ' + d[p + 1];
          if (datalen > 2) {
            out.s += ' mac 0x';
            for (let i = 2; i < datalen; i++) {
              if ((res = lenCheck(i + 1, hlen, p, capEnd)) !== 0) return res;
              out.s += hex2(d[p + i]);
            }
          }
        }
        break;
      case TCPOPT_EOL:
      case TCPOPT_NOP:
      case TCPOPT_SACKOK:
        break;
      case TCPOPT_UTO: {
        datalen = 2;
        if ((res = lenCheck(2, hlen, p, capEnd)) !== 0) return res;
        let v = u16be(d, p);
        out.s += ' 0x' + v.toString(16);
        if (v & 1) v = (v >> 1) * 60;
        else v >>= 1;
        out.s += ' ' + v;
        break;
      }
      case TCPOPT_MPTCP:
        datalen = len - 2;
        if ((res = lenCheck(datalen, hlen, p, capEnd)) !== 0) return res;
        if (!printMptcp(d, pos, len, flags, out)) return OPT_RES_BAD;
        break;
      case TCPOPT_FASTOPEN:
        datalen = len - 2;
        if ((res = lenCheck(datalen, hlen, p, capEnd)) !== 0) return res;
        out.s += ' ';
        printFastOpen(d, p, datalen, false, out);
        break;
      case TCPOPT_EXPERIMENT2: {
        datalen = len - 2;
        if ((res = lenCheck(datalen, hlen, p, capEnd)) !== 0) return res;
        if (datalen < 2) return OPT_RES_BAD;
        const magic = u16be(d, p);
        out.s += '-';
        if (magic === 0xf989) printFastOpen(d, p + 2, datalen - 2, true, out);
        else if (magic === 0xacc0) out.s += 'acc0';
        else if (magic === 0xacc1) out.s += 'acc1';
        else {
          let m = magic.toString(16);
          while (m.length < 4) m = '0' + m;
          out.s += m;
        }
        break;
      }
      default:
        datalen = len - 2;
        if (datalen) out.s += ' 0x';
        for (let i = 0; i < datalen; i++) {
          if ((res = lenCheck(i + 1, hlen, p, capEnd)) !== 0) return res;
          out.s += hex2(d[p + i]);
        }
        break;
    }
    p += datalen;
    let expect = datalen + 1;
    if (!zl) expect++;
    if (expect !== len) out.s += '[len ' + len + ']';
    out.ch = ',';
    if (opt === TCPOPT_EOL) break;
    pos = p;
  }
  out.s += ']';
  return OPT_RES_OK;
}

/** The TCP part of a line, from the addresses on. */
export function printTcp(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const net = pkt.net;
  const opts = ctx.opts;
  const off = net.payloadOff;
  let length = l4Length(pkt);
  const capEnd = l4CapEnd(pkt);
  if (off + 4 > capEnd) return net.src + ' > ' + net.dst + ':' + TRUNC;
  const sport = u16be(d, off);
  const dport = u16be(d, off + 2);
  let s = addrPorts(pkt, sport, dport);
  if (off + 20 > capEnd) return s + TRUNC;
  const hlen = (d[off + 12] >> 4) * 4;
  if (hlen < 20) return s + ' tcp ' + ((length - hlen) >>> 0) + ' [bad hdr length ' + hlen + ' - too short, < 20]';
  let seq = u32be(d, off + 4);
  let ack = u32be(d, off + 8);
  const win = u16be(d, off + 14);
  const urp = u16be(d, off + 18);
  if (opts.quiet) {
    s += 'tcp ' + ((length - hlen) >>> 0);
    if (hlen > length) s += ' [bad hdr length ' + hlen + ' - too long, > ' + length + ']';
    return s;
  }
  const flags = ((d[off + 12] & 1) << 8) | d[off + 13];
  s += 'Flags [' + tcpFlagString(flags) + ']';
  let st: SeqState | null = null;
  if (!opts.absoluteSeq && flags & TH_ACK) {
    st = relativeSeq(pkt, ctx, sport, dport, flags, seq, ack);
    seq = st.seq;
    ack = st.ack;
  }
  if (hlen > length) return s + ' [bad hdr length ' + hlen + ' - too long, > ' + length + ']';

  if (opts.verbose && !net.isFragment && off + length <= capEnd && (net.kind === NET_IPV4 || net.kind === NET_IPV6)) {
    const sum = verifyL4Checksum(pkt, off, length, 6);
    const field = u16be(d, off + 16);
    s += ', cksum 0x' + hex4(field);
    s += sum !== 0 ? ' (incorrect -> 0x' + hex4(cksumShouldBe(field, sum)) + ')' : ' (correct)';
  }

  length -= hlen;
  if (opts.verbose > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
    s += ', seq ' + seq;
    if (length > 0) s += ':' + ((seq + length) >>> 0);
  }
  if (flags & TH_ACK) s += ', ack ' + ack;
  s += ', win ' + win;
  if (flags & TH_URG) s += ', urg ' + urp;
  if (hlen > 20) {
    const state = stateOf(ctx);
    const out = state.opt;
    const r = printOptions(pkt, off + 20, hlen - 20, capEnd, flags, st, off + hlen + length, out, state.cursor);
    s += out.s;
    if (r === OPT_RES_BAD) {
      s += '[bad opt]';
      if (out.ch !== '') s += ']';
      return s;
    }
    if (r === OPT_RES_TRUNC) return s + TRUNC;
    if (r === OPT_RES_TRUNC_GT) {
      s += TRUNC;
      if (out.ch !== '') s += '>';
      return s;
    }
  }
  s += ', length ' + length;
  if (length === 0) return s;
  if (off + hlen > capEnd) {
    return s + ' [remaining caplen(' + (capEnd - off) + ') < header length(' + hlen + ')]' + TRUNC;
  }
  if (flags & TH_RST && opts.verbose) return s + rstData(d, off + hlen, length, capEnd);
  // tcp_print's port dispatch (HTTP, DNS, …): the printer returns its text with its own separator.
  // Not for a reset: tcpdump HEAD (the corpus's tcp_rst_data*) prints a reset's data only under -v
  if (flags & TH_RST) return s;
  const app = TCP_APP_PRINTERS.get(dport) ?? TCP_APP_PRINTERS.get(sport);
  if (app !== undefined) s += app(pkt, ctx, off + hlen, length, IPPROTO_TCP);
  return s;
}

/** tcpdump's print_tcp_rst_data: " [RST text]" (at most 30 characters, "+" when cut). */
function rstData(d: Uint8Array, p: number, length: number, capEnd: number): string {
  let s = p + length <= capEnd ? ' [RST' : ' [!RST';
  if (length > MAX_RST_DATA_LEN) {
    length = MAX_RST_DATA_LEN;
    s += '+';
  }
  s += ' ';
  while (length > 0 && p < capEnd) {
    s += printableChar(d[p]);
    p++;
    length--;
  }
  return s + ']';
}

function hex4(v: number): string {
  return hex2(v >> 8) + hex2(v & 0xff);
}
