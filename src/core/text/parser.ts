/**
 * Tolerant parser of tcpdump text (what people paste: `tcpdump -n`, `-nn`, with names, `-v`,
 * `-e`, `-#`, every `-t` form, `--nano`, `-x`/`-X`, `-i any`), amid shell prompts, banners and
 * prose. Pure TypeScript: one pass over the lines with a hand-written scanner (no regex that can
 * backtrack on a long line), then a pass over the packets that rebuilds times and raw sequence
 * numbers (rebuild.ts).
 */

import { TH_ACK, TH_AE, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN, TH_URG } from '../decode/packet';
import * as M from './model';
import type { BannerLine, ParsedLog, ParseOptions, PromptLine, TextIPv4, TextIPv6, TextLink, TextOption, TextPacket, UnreadableLine } from './model';
import { tcpFlagString } from '../decode/tcp';
import { REL_INFERRED, REL_RELATIVE, newTcpColumns, rebuildLog } from './rebuild';
import type { TcpColumnsIO } from './rebuild';
import { servicePort } from './services';
import type { SegmentInput } from '../tcp/types';

// ------------------------------------------------------------------------------------------------
// character helpers

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
/** Characters of a host/port token as tcpdump prints it (addresses, names, service names). */
function isHostChar(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45 || c === 95 || c === 37 || c === 43;
}

/** Digits at s[i..] as a number; end position in `numEnd`. -1 when none. */
let numEnd = 0;
function readUint(s: string, i: number): number {
  let v = 0;
  let j = i;
  const n = s.length;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    j++;
  }
  numEnd = j;
  return j === i ? -1 : v;
}
function readHex(s: string, i: number): number {
  let v = 0;
  let j = i;
  const n = s.length;
  while (j < n) {
    const c = s.charCodeAt(j);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else break;
    v = v * 16 + d;
    j++;
  }
  numEnd = j;
  return j === i ? -1 : v;
}

/** TH_* bit of a flag letter of "Flags [...]" (F S R P . U E W e), 0 when none. */
function flagBit(c: number): number {
  switch (c) {
    case 70: return TH_FIN;
    case 83: return TH_SYN;
    case 82: return TH_RST;
    case 80: return TH_PUSH;
    case 46: return TH_ACK;
    case 85: return TH_URG;
    case 69: return TH_ECE;
    case 87: return TH_CWR;
    case 101: return TH_AE;
    default: return 0;
  }
}

// ------------------------------------------------------------------------------------------------
// spans: one growable buffer, sliced per packet

class SpanBuf {
  buf = new Int32Array(1024);
  n = 0;
  on = true;
  add(field: number, line: number, a: number, b: number): void {
    if (!this.on) return;
    if (this.n + 4 > this.buf.length) {
      const nb = new Int32Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    const k = this.n;
    this.buf[k] = field;
    this.buf[k + 1] = line;
    this.buf[k + 2] = a;
    this.buf[k + 3] = b;
    this.n = k + 4;
  }
}

/** The address part of a packet line, shared by every packet of the same flow. */
export interface Endpoints {
  srcHost: string;
  dstHost: string;
  srcPortText: string;
  dstPortText: string;
  sport: number;
  dport: number;
  numericHosts: boolean;
  /** offsets of the port dots in the source and destination tokens (-1: no port) */
  ks: number;
  kd: number;
  /** length of the source token */
  srcLen: number;
  /** conversation number (both directions of a flow share it) and direction within it */
  conv: number;
  dir: number;
  /** "src.port > dst.port" as first printed */
  flow: string;
  /** For the engine (segment.ts): the hosts as IPv4 numbers, -1 when not both dotted IPv4; NaN until asked (a double from the start, so the field never changes representation). */
  srcNum: number;
  dstNum: number;
  /** Index in the PacketStore.eps of the parse that made it (-1 until a packet takes it). */
  id: number;
}
const NO_ENDPOINTS: Endpoints = { srcHost: '', dstHost: '', srcPortText: '', dstPortText: '', sport: -1, dport: -1, numericHosts: false, ks: -1, kd: -1, srcLen: 0, conv: -1, dir: 0, flow: '', srcNum: NaN, dstNum: NaN, id: 0 };

/** The endpoints a parsed packet shares with its flow (null for a packet not made by this parser). */
export function endpointsOf(p: TextPacket): Endpoints | null {
  return p instanceof TextPacketImpl ? p.ep : null;
}

/**
 * segment.ts for a packet of this parser: fills the engine's input from the packet's row (what
 * the getters give, without them); false when the packet is not a TCP segment with flags.
 * `ep`: the packet's endpoints, with srcNum/dstNum known; `sport`/`dport` as the engine takes them.
 */
export function fillSegment(p: TextPacket, index: number, into: SegmentInput, ep: Endpoints, sport: number, dport: number): boolean {
  const v = p as TextPacketImpl;
  const st = v._st;
  const row = v.index;
  const D = st.d;
  const I = st.n;
  const B = st.b;
  const od = row * ND;
  const oi = row * NI;
  const ob = row * NB;
  if (B[ob + B_L4] !== 1) return false; // 'tcp'
  const flags = I[oi + I_FLAGS] - 1;
  if (flags < 0) return false;
  let len = 0;
  const lenCell = I[oi + I_LENGTH];
  if (lenCell === BIG) len = v.length;
  else if (lenCell > 0) len = lenCell - 1;
  else {
    const seqEnd = D[od + D_SEQ_END] - 1;
    const seq = D[od + D_SEQ] - 1;
    if (seqEnd >= 0 && seq >= 0) len = (seqEnd - seq) >>> 0;
  }
  const absSeq = D[od + D_ABS_SEQ] - 1;
  const absAck = D[od + D_ABS_ACK] - 1;
  const winCell = I[oi + I_WIN];
  const win = winCell === BIG ? v.win : winCell - 1;
  into.index = index;
  into.tsSec = D[od + D_TS_SEC];
  into.tsNsec = D[od + D_TS_NSEC];
  into.src = ep.srcHost;
  into.dst = ep.dstHost;
  into.sport = sport;
  into.dport = dport;
  into.flags = flags;
  into.seq = absSeq >= 0 ? absSeq : 0;
  into.ack = absAck >= 0 ? absAck : 0;
  into.win = win >= 0 ? win : 0;
  into.len = len;
  const mssCell = I[oi + I_MSS];
  into.mss = mssCell === BIG ? v.mss : mssCell - 1;
  const wsCell = I[oi + I_WSCALE];
  into.wscale = wsCell === BIG ? v.wscale : wsCell - 1;
  into.sackOk = (B[ob + B_BITS] & BIT_SACK_OK) !== 0;
  into.tsVal = D[od + D_TS_VAL] - 1;
  into.tsEcr = D[od + D_TS_ECR] - 1;
  const absSack = v.absSack;
  into.sack = absSack !== null && absSack.length > 0 ? absSack : undefined;
  into.damaged = (B[ob + B_BITS] & BIT_CUT_SHORT) !== 0 || v.truncated || v.problem !== '';
  if (ep.dstNum >= 0) {
    into.srcKey = ep.srcNum * 65536 + sport;
    into.dstKey = ep.dstNum * 65536 + dport;
  } else {
    into.srcKey = undefined;
    into.dstKey = undefined;
  }
  return true;
}

/**
 * Packet storage: struct of arrays. A log's packet fields live in three typed arrays shared by
 * all its packets (one row a packet, sized by the line count, so they never grow); a TextPacket is
 * a small view (its row and the store: two fields) whose fields are getters and setters on the
 * prototype. Strings are kept as codes or offsets: `text` is sliced from the document when asked,
 * `flagsText` is tcpdump's spelling of `flags` unless the text spelled it otherwise. Fields that
 * most packets never set (link, ip4, options, …) are prototype defaults that become own
 * properties of the packets that have them.
 */
// Float64 columns: numbers that may not fit an int32
const D_SEQ = 0, D_SEQ_END = 1, D_ACK = 2, D_ABS_SEQ = 3, D_ABS_ACK = 4, D_TS_VAL = 5, D_TS_ECR = 6, D_TS_SEC = 7, D_REL_SEC = 8, D_TS_NSEC = 9;
const ND = 10;
// Int32 columns
const I_LINE = 0, I_END_LINE = 1, I_ADDR_LINE = 2, I_NUMBER = 3, I_TIME_START = 4, I_TIME_END = 5, I_WIN = 6, I_LENGTH = 7,
  I_MSS = 8, I_WSCALE = 9, I_OPT_START = 10, I_OPT_END = 11, I_FLAGS = 12, I_TEXT_START = 13, I_TEXT_END = 14, I_EP = 15;
const NI = 16;
/** Int32 cell of a number read from the text that does not fit: the value is in PacketStore.big. */
const BIG = -0x80000000;
// Uint8 columns
const B_TIME_KIND = 0, B_IP_VERSION = 1, B_L4 = 2, B_BITS = 3, B_PROTO = 4, B_FLAGS_TEXT = 5, B_TIME_DIGITS = 6;
const NB = 8;
const BIT_RELATIVE = 1, BIT_SEQ_INFERRED = 2, BIT_SACK_OK = 4, BIT_CUT_SHORT = 8;
/** Code of a string kept in PacketStore.strs (by row and column). */
const OTHER = 255;

const TIME_KINDS: M.TimeKind[] = ['none', 'time', 'epoch', 'delta', 'date'];
function timeKindCode(k: M.TimeKind): number {
  switch (k) {
    case 'none': return 0;
    case 'time': return 1;
    case 'epoch': return 2;
    case 'delta': return 3;
    case 'date': return 4;
    default: return 0;
  }
}
const L4S = ['other', 'tcp', 'udp', 'icmp', 'icmp6', 'arp'];
function l4Code(v: string): number {
  switch (v) {
    case 'other': return 0;
    case 'tcp': return 1;
    case 'udp': return 2;
    case 'icmp': return 3;
    case 'icmp6': return 4;
    case 'arp': return 5;
    default: return OTHER;
  }
}
const PROTOS = ['', 'IP', 'IP6', 'ARP'];
function protoCode(v: string): number {
  switch (v) {
    case '': return 0;
    case 'IP': return 1;
    case 'IP6': return 2;
    case 'ARP': return 3;
    default: return OTHER;
  }
}

class PacketStore {
  readonly d: Float64Array;
  readonly n: Int32Array;
  readonly b: Uint8Array;
  /** Endpoints by id (I_EP); 0 is "none". */
  readonly eps: Endpoints[] = [NO_ENDPOINTS];
  /** Texts that are not one slice of the document (a line rewritten, lines joined across "\r\n"), by row. */
  textOver: Map<number, string> | null = null;
  /** Strings without a code (an l4/proto word, flags spelt otherwise), by row * 8 + column. */
  strs: Map<number, string> | null = null;
  /** Int32 cells holding BIG, by row * NI + column. */
  big: Map<number, number> | null = null;
  /** SACK blocks as printed, by row (few packets have them). */
  sacks: Map<number, number[]> | null = null;
  constructor(readonly src: string, rows: number) {
    this.d = new Float64Array(rows * ND);
    this.n = new Int32Array(rows * NI);
    this.b = new Uint8Array(rows * NB);
  }

  /** Clears row i (for another attempt at the same line). */
  reset(i: number): void {
    this.d.fill(0, i * ND, i * ND + ND);
    this.n.fill(0, i * NI, i * NI + NI);
    this.b.fill(0, i * NB, i * NB + NB);
    if (this.textOver !== null) this.textOver.delete(i);
    if (this.sacks !== null) this.sacks.delete(i);
    if (this.strs !== null) for (let c = 0; c < 8; c++) this.strs.delete(i * 8 + c);
    if (this.big !== null) for (let c = 0; c < NI; c++) this.big.delete(i * NI + c);
  }

  getStr(i: number, col: number): string {
    return this.strs!.get(i * 8 + col)!;
  }
  setStr(i: number, col: number, v: string): void {
    (this.strs ??= new Map()).set(i * 8 + col, v);
  }
  /** An Int32 cell that may hold any number. */
  getInt(k: number): number {
    const v = this.n[k];
    return v !== BIG ? v : this.big!.get(k)!;
  }
  setInt(k: number, v: number): void {
    if ((v | 0) === v && v !== BIG) this.n[k] = v;
    else {
      this.n[k] = BIG;
      (this.big ??= new Map()).set(k, v);
    }
  }
}

/*
 * Rows start as zeros (a fresh store, or `reset`): numbers whose "not shown" value is -1 are kept
 * as value + 1 (seq, ack, win, …), so a fresh row reads as a packet with nothing shown.
 */
class TextPacketImpl implements TextPacket {
  /** The packet's row in the store (do not change it). */
  index: number;
  readonly _st: PacketStore;
  declare timeInvalid: TextPacket['timeInvalid'];
  declare ifname: TextPacket['ifname'];
  declare direction: TextPacket['direction'];
  declare link: TextPacket['link'];
  declare ip4: TextPacket['ip4'];
  declare ip6: TextPacket['ip6'];
  declare cksum: TextPacket['cksum'];
  declare cksumState: TextPacket['cksumState'];
  declare cksumShouldBe: TextPacket['cksumShouldBe'];
  declare urg: TextPacket['urg'];
  declare options: TextPacket['options'];
  declare absSack: TextPacket['absSack'];
  declare quietLength: TextPacket['quietLength'];
  declare app: TextPacket['app'];
  declare appLines: TextPacket['appLines'];
  declare annotation: TextPacket['annotation'];
  declare hex: TextPacket['hex'];
  declare truncated: TextPacket['truncated'];
  declare problem: TextPacket['problem'];
  declare spans: TextPacket['spans'];

  /** A packet on row `index` of `st` (a zero row: see above). */
  constructor(st: PacketStore, index: number, line: number) {
    this.index = index;
    this._st = st;
    const o = index * NI;
    st.n[o] = line;
    st.n[o + 1] = line;
    st.n[o + 2] = line;
  }

  get seq(): number { return this._st.d[this.index * ND + D_SEQ] - 1; }
  set seq(v: number) { this._st.d[this.index * ND + D_SEQ] = v + 1; }
  get seqEnd(): number { return this._st.d[this.index * ND + D_SEQ_END] - 1; }
  set seqEnd(v: number) { this._st.d[this.index * ND + D_SEQ_END] = v + 1; }
  get ack(): number { return this._st.d[this.index * ND + D_ACK] - 1; }
  set ack(v: number) { this._st.d[this.index * ND + D_ACK] = v + 1; }
  get absSeq(): number { return this._st.d[this.index * ND + D_ABS_SEQ] - 1; }
  set absSeq(v: number) { this._st.d[this.index * ND + D_ABS_SEQ] = v + 1; }
  get absAck(): number { return this._st.d[this.index * ND + D_ABS_ACK] - 1; }
  set absAck(v: number) { this._st.d[this.index * ND + D_ABS_ACK] = v + 1; }
  get tsVal(): number { return this._st.d[this.index * ND + D_TS_VAL] - 1; }
  set tsVal(v: number) { this._st.d[this.index * ND + D_TS_VAL] = v + 1; }
  get tsEcr(): number { return this._st.d[this.index * ND + D_TS_ECR] - 1; }
  set tsEcr(v: number) { this._st.d[this.index * ND + D_TS_ECR] = v + 1; }
  get tsSec(): number { return this._st.d[this.index * ND + D_TS_SEC]; }
  set tsSec(v: number) { this._st.d[this.index * ND + D_TS_SEC] = v; }
  get relSec(): number { return this._st.d[this.index * ND + D_REL_SEC]; }
  set relSec(v: number) { this._st.d[this.index * ND + D_REL_SEC] = v; }
  get tsNsec(): number { return this._st.d[this.index * ND + D_TS_NSEC]; }
  set tsNsec(v: number) { this._st.d[this.index * ND + D_TS_NSEC] = v; }

  get line(): number { return this._st.n[this.index * NI + I_LINE]; }
  set line(v: number) { this._st.n[this.index * NI + I_LINE] = v; }
  get endLine(): number { return this._st.n[this.index * NI + I_END_LINE]; }
  set endLine(v: number) { this._st.n[this.index * NI + I_END_LINE] = v; }
  get addrLine(): number { return this._st.n[this.index * NI + I_ADDR_LINE]; }
  set addrLine(v: number) { this._st.n[this.index * NI + I_ADDR_LINE] = v; }
  get timeStart(): number { return this._st.n[this.index * NI + I_TIME_START]; }
  set timeStart(v: number) { this._st.n[this.index * NI + I_TIME_START] = v; }
  get timeEnd(): number { return this._st.n[this.index * NI + I_TIME_END]; }
  set timeEnd(v: number) { this._st.n[this.index * NI + I_TIME_END] = v; }
  get optStart(): number { return this._st.n[this.index * NI + I_OPT_START] - 1; }
  set optStart(v: number) { this._st.n[this.index * NI + I_OPT_START] = v + 1; }
  get optEnd(): number { return this._st.n[this.index * NI + I_OPT_END] - 1; }
  set optEnd(v: number) { this._st.n[this.index * NI + I_OPT_END] = v + 1; }
  get flags(): number { return this._st.n[this.index * NI + I_FLAGS] - 1; }
  set flags(v: number) { this._st.n[this.index * NI + I_FLAGS] = v + 1; }
  // numbers as the text says them (any size): value + 1, or BIG
  get number(): number { return this._st.getInt(this.index * NI + I_NUMBER) - 1; }
  set number(v: number) { this._st.setInt(this.index * NI + I_NUMBER, v + 1); }
  get win(): number { return this._st.getInt(this.index * NI + I_WIN) - 1; }
  set win(v: number) { this._st.setInt(this.index * NI + I_WIN, v + 1); }
  get length(): number { return this._st.getInt(this.index * NI + I_LENGTH) - 1; }
  set length(v: number) { this._st.setInt(this.index * NI + I_LENGTH, v + 1); }
  get mss(): number { return this._st.getInt(this.index * NI + I_MSS) - 1; }
  set mss(v: number) { this._st.setInt(this.index * NI + I_MSS, v + 1); }
  get wscale(): number { return this._st.getInt(this.index * NI + I_WSCALE) - 1; }
  set wscale(v: number) { this._st.setInt(this.index * NI + I_WSCALE, v + 1); }

  get ep(): Endpoints { return this._st.eps[this._st.n[this.index * NI + I_EP]]; }
  set ep(e: Endpoints) {
    const st = this._st;
    let id = e.id;
    if (id < 0 || id >= st.eps.length || st.eps[id] !== e) {
      id = st.eps.length;
      st.eps.push(e);
      e.id = id;
    }
    st.n[this.index * NI + I_EP] = id;
  }

  get timeKind(): M.TimeKind { return TIME_KINDS[this._st.b[this.index * NB + B_TIME_KIND]]; }
  set timeKind(v: M.TimeKind) { this._st.b[this.index * NB + B_TIME_KIND] = timeKindCode(v); }
  get timeDigits(): number { return this._st.b[this.index * NB + B_TIME_DIGITS]; }
  set timeDigits(v: number) { this._st.b[this.index * NB + B_TIME_DIGITS] = v; }
  get ipVersion(): number { return this._st.b[this.index * NB + B_IP_VERSION]; }
  set ipVersion(v: number) { this._st.b[this.index * NB + B_IP_VERSION] = v; }
  get l4(): string {
    const c = this._st.b[this.index * NB + B_L4];
    return c !== OTHER ? L4S[c] : this._st.getStr(this.index, B_L4);
  }
  set l4(v: string) {
    const c = l4Code(v);
    if (c === OTHER) this._st.setStr(this.index, B_L4, v);
    this._st.b[this.index * NB + B_L4] = c;
  }
  get proto(): string {
    const c = this._st.b[this.index * NB + B_PROTO];
    return c !== OTHER ? PROTOS[c] : this._st.getStr(this.index, B_PROTO);
  }
  set proto(v: string) {
    const c = protoCode(v);
    if (c === OTHER) this._st.setStr(this.index, B_PROTO, v);
    this._st.b[this.index * NB + B_PROTO] = c;
  }
  /** 0: '', 1: tcpFlagString(flags), OTHER: as stored. */
  get flagsText(): string {
    const c = this._st.b[this.index * NB + B_FLAGS_TEXT];
    return c === 0 ? '' : c === 1 ? tcpFlagString(this.flags) : this._st.getStr(this.index, B_FLAGS_TEXT);
  }
  set flagsText(v: string) {
    let c = 0;
    if (v === '') c = 0;
    else if (this.flags >= 0 && v === tcpFlagString(this.flags)) c = 1;
    else {
      c = OTHER;
      this._st.setStr(this.index, B_FLAGS_TEXT, v);
    }
    this._st.b[this.index * NB + B_FLAGS_TEXT] = c;
  }
  /** Sets flags and flagsText = tcpFlagString(flags). */
  setFlagsPrinted(flags: number): void {
    this._st.n[this.index * NI + I_FLAGS] = flags + 1;
    this._st.b[this.index * NB + B_FLAGS_TEXT] = 1;
  }
  private bit(m: number): boolean { return (this._st.b[this.index * NB + B_BITS] & m) !== 0; }
  private setBit(m: number, v: boolean): void {
    const k = this.index * NB + B_BITS;
    const b = this._st.b;
    b[k] = v ? b[k] | m : b[k] & ~m;
  }
  get sack(): number[] | null {
    const m = this._st.sacks;
    if (m === null) return null;
    const v = m.get(this.index);
    return v !== undefined ? v : null;
  }
  set sack(v: number[] | null) {
    if (v !== null) (this._st.sacks ??= new Map()).set(this.index, v);
    else if (this._st.sacks !== null) this._st.sacks.delete(this.index);
  }
  get relative(): boolean { return this.bit(BIT_RELATIVE); }
  set relative(v: boolean) { this.setBit(BIT_RELATIVE, v); }
  get seqInferred(): boolean { return this.bit(BIT_SEQ_INFERRED); }
  set seqInferred(v: boolean) { this.setBit(BIT_SEQ_INFERRED, v); }
  get sackOk(): boolean { return this.bit(BIT_SACK_OK); }
  set sackOk(v: boolean) { this.setBit(BIT_SACK_OK, v); }
  get cutShort(): boolean { return this.bit(BIT_CUT_SHORT); }
  set cutShort(v: boolean) { this.setBit(BIT_CUT_SHORT, v); }

  /** The packet's text: a slice of the document [start, end), unless set otherwise. */
  get text(): string {
    const st = this._st;
    if (st.textOver !== null) {
      const t = st.textOver.get(this.index);
      if (t !== undefined) return t;
    }
    const o = this.index * NI;
    return st.src.slice(st.n[o + I_TEXT_START], st.n[o + I_TEXT_END]);
  }
  set text(v: string) {
    (this._st.textOver ??= new Map()).set(this.index, v);
  }
  /** The text is the document's [a, b). */
  setTextRange(a: number, b: number): void {
    const st = this._st;
    const o = this.index * NI;
    st.n[o + I_TEXT_START] = a;
    st.n[o + I_TEXT_END] = b;
    if (st.textOver !== null) st.textOver.delete(this.index);
  }
  /** Appends "\n" + line to the text; the line is the document's [a, b) when `clean`. */
  appendLine(line: string, a: number, b: number, clean: boolean): void {
    const st = this._st;
    const o = this.index * NI;
    const over = st.textOver !== null && st.textOver.has(this.index);
    const e = st.n[o + I_TEXT_END];
    if (!over && clean && a === e + 1 && st.src.charCodeAt(e) === 10) st.n[o + I_TEXT_END] = b;
    else this.text = this.text + '\n' + line;
  }

  get timeText(): string { return this.timeEnd > this.timeStart ? this.text.slice(this.timeStart, this.timeEnd) : ''; }
  get srcHost(): string { return this.ep.srcHost; }
  get dstHost(): string { return this.ep.dstHost; }
  get srcPortText(): string { return this.ep.srcPortText; }
  get dstPortText(): string { return this.ep.dstPortText; }
  get sport(): number { return this.ep.sport; }
  get dport(): number { return this.ep.dport; }
  get numericHosts(): boolean { return this.ep.numericHosts; }
  get flow(): string { return this.ep.flow; }
  get conv(): number { return this.ep.conv; }
  get dir(): number { return this.ep.dir; }

  /**
   * A plain object with every field of the model (what JSON.stringify gives): use it to send a
   * packet elsewhere (postMessage copies own fields only, and would copy the whole store).
   */
  toJSON(): TextPacket {
    const o: Record<string, unknown> = {};
    for (const k of PACKET_KEYS) o[k] = (this as unknown as Record<string, unknown>)[k];
    return o as unknown as TextPacket;
  }
}

// fields most packets never set: defaults on the prototype keep instances small
Object.assign(TextPacketImpl.prototype, {
  timeInvalid: false,
  ifname: '',
  direction: '',
  link: null,
  ip4: null,
  ip6: null,
  cksum: -1,
  cksumState: '',
  cksumShouldBe: -1,
  urg: -1,
  options: null,
  absSack: null,
  quietLength: -1,
  app: '',
  appLines: null,
  annotation: '',
  hex: null,
  truncated: false,
  problem: '',
  spans: null,
});

const PACKET_KEYS: (keyof TextPacket)[] = [
  'index', 'line', 'endLine', 'addrLine', 'number', 'timeKind', 'timeText', 'timeDigits', 'tsSec', 'tsNsec', 'relSec',
  'timeInvalid', 'ifname', 'direction', 'link', 'proto', 'ipVersion', 'ip4', 'ip6', 'l4', 'srcHost', 'dstHost',
  'srcPortText', 'dstPortText', 'sport', 'dport', 'conv', 'dir', 'numericHosts', 'flags', 'flagsText', 'cksum',
  'cksumState', 'cksumShouldBe', 'seq', 'seqEnd', 'ack', 'win', 'urg', 'relative', 'absSeq', 'absAck', 'seqInferred',
  'options', 'optStart', 'optEnd', 'mss', 'wscale', 'sackOk', 'tsVal', 'tsEcr', 'sack', 'absSack', 'length',
  'quietLength', 'app', 'appLines', 'annotation', 'hex', 'truncated', 'cutShort', 'problem', 'text', 'flow', 'spans',
];

/** A plain copy of a packet (every model field as an own property), e.g. for postMessage. */
export function plainPacket(p: TextPacket): TextPacket {
  return p instanceof TextPacketImpl ? p.toJSON() : { ...p };
}

/** A packet on a fresh (zero) row. */
function newPacket(st: PacketStore, index: number, line: number): TextPacketImpl {
  return new TextPacketImpl(st, index, line);
}

/** A packet on a row a failed attempt may have written. */
function retryPacket(st: PacketStore, index: number, line: number): TextPacketImpl {
  st.reset(index);
  return new TextPacketImpl(st, index, line);
}

// ------------------------------------------------------------------------------------------------
// line classification helpers

const BANNERS: [string, BannerLine['kind']][] = [
  ['listening on ', 'listening'],
  ['tcpdump: listening on ', 'listening'],
  ['reading from file ', 'reading'],
  ['tcpdump: verbose output suppressed', 'verbose'],
  ['tcpdump: WARNING', 'warning'],
  ['tcpdump: ', 'other'],
  ['dropped privs to ', 'other'],
];

function classifyBanner(t: string): BannerLine['kind'] | '' {
  for (const [p, k] of BANNERS) if (t.startsWith(p)) return k;
  // "N packets captured", "N packets received by filter", "N packets dropped by kernel", "… by interface"
  const n = readUint(t, 0);
  if (n >= 0 && t.startsWith(' packet', numEnd)) {
    if (t.indexOf('captured', numEnd) > 0) return 'captured';
    if (t.indexOf('received by filter', numEnd) > 0) return 'received';
    if (t.indexOf('dropped by', numEnd) > 0) return 'dropped';
  }
  return '';
}

/**
 * A shell prompt (with its command) or a bare tcpdump command: "[root@VM_0_9_centos ~]# tcpdump …",
 * "root@host:/path# …", "t@aaa du]# …", "$ sudo tcpdump …", "# tcpdump …", "tcpdump -n …".
 * Returns the command, or null.
 */
function promptCommand(t: string): string | null {
  const s = t.trimStart();
  if (s.length === 0) return null;
  const c0 = s.charCodeAt(0);
  if ((c0 === 36 || c0 === 35 || c0 === 37) && s.charCodeAt(1) === 32) return s.slice(2).trim(); // "$ ", "# ", "% "
  if (/^(?:sudo\s+)?(?:tcpdump|tshark|tcpflow|ngrep)(?:\s|$)/.test(s)) return s.trim();
  // user@host…# / …]$ : a prompt ends at the first "# "/"$ " after an '@' or a ']' (within 80 chars)
  const limit = Math.min(s.length, 100);
  let sawAt = false;
  for (let i = 0; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === 64 || c === 93) sawAt = true; // '@' or ']'
    else if ((c === 35 || c === 36) && sawAt && (i + 1 === s.length || s.charCodeAt(i + 1) === 32)) {
      return s.slice(i + 1).trim();
    } else if (c > 126) return null;
  }
  return null;
}

function isHexLine(s: string): boolean {
  // "\t0x0000:  4500 ..." (or spaces instead of the tab when pasted)
  let i = 0;
  const n = s.length;
  while (i < n && (s.charCodeAt(i) === 9 || s.charCodeAt(i) === 32)) i++;
  if (i === 0 && !s.startsWith('0x')) return false;
  if (!s.startsWith('0x', i)) return false;
  let j = i + 2;
  while (j < n && isHex(s.charCodeAt(j))) j++;
  return j > i + 2 && s.charCodeAt(j) === 58;
}

// ------------------------------------------------------------------------------------------------
// the packet-line scanner

/** Result codes of scanPacket. */
const NOT_PACKET = 0;
const PACKET = 1;
const UNREADABLE = 2;

class Scanner {
  s = '';
  line = 0;
  sp: SpanBuf;
  reason = '';
  /** Set by the last scan: the -v IPv4 header was read and the addresses follow on the next line. */
  awaitCont = false;
  /** Address parts already split, by flow text (with / without ports). */
  epPorts = new Map<string, Endpoints>();
  epNoPorts = new Map<string, Endpoints>();
  /** conversation number and direction by flow text */
  convs = new Map<string, { conv: number; dir: number }>();
  lastFlow1 = '';
  lastPorts1 = false;
  lastEp1: Endpoints = NO_ENDPOINTS;
  lastFlow2 = '';
  lastPorts2 = false;
  lastEp2: Endpoints = NO_ENDPOINTS;
  constructor(sp: SpanBuf) {
    this.sp = sp;
  }

  /**
   * Reads a packet line into p. Returns NOT_PACKET (prose), PACKET, or UNREADABLE (with `reason`).
   */
  scan(p: TextPacket, s: string, line: number): number {
    this.s = s;
    this.line = line;
    this.awaitCont = false;
    const n = s.length;
    const sp = this.sp;
    let i = 0;
    while (i < n && s.charCodeAt(i) === 32) i++;
    const lead = i;
    // -# number: digits followed by two spaces
    let c = s.charCodeAt(i);
    if (isDigit(c)) {
      const num = readUint(s, i);
      if (s.charCodeAt(numEnd) === 32 && s.charCodeAt(numEnd + 1) === 32 && numEnd + 2 < n) {
        const after = s.charCodeAt(numEnd + 2);
        if (isDigit(after) || after === 32 || after === 45 || (after >= 65 && after <= 122)) {
          p.number = num;
          sp.add(M.F_NUMBER, line, i, numEnd);
          i = numEnd + 2;
        }
      }
    }
    // time
    let spaces = 0;
    while (i < n && s.charCodeAt(i) === 32) {
      i++;
      spaces++;
    }
    const hasTime = this.scanTime(p, i, p.number >= 0 ? spaces > 0 : lead > 0);
    if (hasTime) {
      i = numEnd;
      if (s.startsWith(' (invalid', i)) {
        const e = s.indexOf(')', i);
        if (e > 0) {
          p.timeInvalid = true;
          i = e + 1;
        }
      }
      if (s.charCodeAt(i) !== 32) {
        // a lone time stamp (or a time glued to prose): not a packet
        return NOT_PACKET;
      }
      i++;
    }
    const rest = i;
    // nothing, or prose after the time
    let k = rest;
    while (k < n && s.charCodeAt(k) === 32) k++;
    if (k >= n) return NOT_PACKET;
    c = s.charCodeAt(k);
    if (c > 126) return NOT_PACKET;
    if (!hasTime && p.number < 0 && lead > 8) return NOT_PACKET;

    // SLL2 "eth0  In  " prefix (-i any on Linux, tcpdump ≥ 4.99); SLL -e "  P 00:11:…" (right-aligned)
    while (i < n && s.charCodeAt(i) === 32) i++;
    i = this.scanIfPrefix(p, i);
    // -e link header
    let etherType = -1;
    if (p.link === null) {
      const j = this.scanEtherLink(p, i);
      if (j > 0) {
        i = j;
        etherType = p.link!.etherType;
      }
    } else etherType = p.link.etherType;

    // protocol word
    let proto = '';
    if (etherType >= 0 || (p.link !== null && p.link.kind !== 'sll2')) {
      proto = etherType === 0x86dd ? 'IP6' : etherType === 0x0806 ? 'ARP' : etherType === 0x0800 ? 'IP' : '';
      p.proto = proto;
      if (proto === '' && etherType >= 0) {
        p.app = s.slice(i);
        return PACKET;
      }
    } else {
      if (s.startsWith('IP6 ', i)) proto = 'IP6';
      else if (s.startsWith('IP ', i)) proto = 'IP';
      else if (s.startsWith('ARP, ', i)) proto = 'ARP';
      if (proto !== '') {
        sp.add(M.F_PROTO, line, i, i + proto.length);
        p.proto = proto;
        i += proto.length + 1;
        if (proto === 'ARP') i++;
      } else if (!hasTime) {
        // no time, no protocol word: accept only "addr.port > addr.port: Flags [" (pasted without the front)
        const j = s.indexOf(' > ', i);
        if (j < 0 || s.indexOf(': Flags [', j) < 0) return NOT_PACKET;
        if (!this.looksLikeHost(i, j)) return NOT_PACKET;
      } else {
        // another protocol word after a time stamp: a packet we do not read further
        let e = i;
        while (e < n && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 44) e++;
        if (e === i) return NOT_PACKET;
        // tcpdump's protocol words: "STP", "LLDP", "802.1Q", "CDPv2", a MAC address, "ethertype …";
        // a lowercase word after a time is prose ("12:00:00.000000 is when it started")
        const c0 = s.charCodeAt(i);
        if (!((c0 >= 65 && c0 <= 90) || isDigit(c0) || OTHER_WORDS.has(s.slice(i, e)))) return NOT_PACKET;
        p.proto = s.slice(i, e);
        sp.add(M.F_PROTO, line, i, e);
        p.app = s.slice(e).replace(/^[, ]+/, '');
        if (p.app !== '') sp.add(M.F_APP, line, n - p.app.length, n);
        return PACKET;
      }
    }
    if (proto === 'ARP') {
      p.l4 = 'arp';
      p.app = s.slice(i);
      if (p.app !== '') sp.add(M.F_APP, line, i, n);
      return PACKET;
    }
    if (proto === 'IP') p.ipVersion = 4;
    else if (proto === 'IP6') p.ipVersion = 6;
    // tcpdump's notes before the header: "IP [total length 62 > length 50] (invalid) (tos …"
    while (p.ipVersion !== 0 && s.charCodeAt(i) === 91) {
      const e = s.indexOf(']', i);
      if (e < 0) break;
      let j = e + 1;
      if (s.startsWith(' (invalid)', j)) j += 10;
      while (j < n && s.charCodeAt(j) === 32) j++;
      if (s.charCodeAt(j) !== 40 || !s.startsWith('(tos ', j)) break;
      p.problem = s.slice(i, e + 1);
      i = j;
    }
    // -v IP header
    if (s.charCodeAt(i) === 40) {
      const close = this.matchParen(i);
      if (close < 0) {
        if (!hasTime) return NOT_PACKET;
        this.reason = 'IP header "(…" is not closed';
        return UNREADABLE;
      }
      sp.add(M.F_IP_HEADER, line, i, close + 1);
      const isV6 = proto === 'IP6' || s.startsWith('flowlabel', i + 1) || s.startsWith('hlim', i + 1) || s.startsWith('class', i + 1);
      if (isV6) {
        p.ipVersion = 6;
        this.scanIp6Header(p, i + 1, close);
      } else {
        p.ipVersion = 4;
        this.scanIp4Header(p, i + 1, close);
      }
      i = close + 1;
      while (i < n && s.charCodeAt(i) === 32) i++;
      if (p.ip6 !== null && s.startsWith('[real length ', i)) {
        const e = s.indexOf(']', i);
        if (e > 0) {
          p.ip6.lengthNote = s.slice(i, e + 1);
          i = e + 1;
          while (i < n && s.charCodeAt(i) === 32) i++;
        }
      }
      if (i >= n) {
        if (p.ipVersion === 4) {
          this.awaitCont = true;
          return PACKET;
        }
        p.cutShort = true;
        return PACKET;
      }
    }
    // without a time stamp or a number, "IP …" is a packet only when the addresses read
    const r = this.scanAddresses(p, i, hasTime || p.number >= 0);
    return r;
  }

  /** Host/port characters only in s[a, b). */
  validToken(a: number, b: number): boolean {
    const s = this.s;
    for (let k = a; k < b; k++) if (!isHostChar(s.charCodeAt(k))) return false;
    return b > a;
  }

  /** s[a, b) is a flow already seen (so its characters were checked). */
  knownFlow(a: number, b: number): boolean {
    const s = this.s;
    const l1 = this.lastFlow1;
    if (l1.length === b - a && s.startsWith(l1, a)) return true;
    const l2 = this.lastFlow2;
    return l2.length === b - a && s.startsWith(l2, a);
  }

  looksLikeHost(a: number, b: number): boolean {
    const s = this.s;
    if (b - a < 3) return false;
    let dot = false;
    for (let k = a; k < b; k++) {
      const c = s.charCodeAt(k);
      if (!isHostChar(c)) return false;
      if (c === 46) dot = true;
    }
    return dot;
  }

  /** Time at s[i..]: sets p's time fields and numEnd. `spaced`: a space before it (-ttt/-ttttt). */
  scanTime(p: TextPacket, i: number, spaced: boolean): boolean {
    const s = this.s;
    const start = i;
    let neg = false;
    if (s.charCodeAt(i) === 45 && isDigit(s.charCodeAt(i + 1))) {
      neg = true;
      i++;
    }
    const a = readUint(s, i);
    if (a < 0) return false;
    let j = numEnd;
    const c = s.charCodeAt(j);
    let kind: M.TimeKind;
    let sec = 0;
    if (c === 45 && j - i === 4 && !neg) {
      // date: YYYY-MM-DD HH:MM:SS.frac
      const mo = readUint(s, j + 1);
      if (mo < 0 || s.charCodeAt(numEnd) !== 45) return false;
      const d = readUint(s, numEnd + 1);
      if (d < 0 || s.charCodeAt(numEnd) !== 32) return false;
      const hms = this.hms(numEnd + 1);
      if (hms < 0) return false;
      j = numEnd;
      sec = Date.UTC(a, mo - 1, d) / 1000 + hms;
      kind = 'date';
    } else if (c === 58) {
      const hms = this.hms(i);
      if (hms < 0) return false;
      j = numEnd;
      sec = hms;
      kind = spaced || neg ? 'delta' : 'time';
    } else if (c === 46 && !neg) {
      // epoch seconds; a dotted address is not a time (a.b.c.d)
      sec = a;
      kind = 'epoch';
    } else return false;
    // a time no tcpdump prints (hundreds of digits read as Infinity, a 2^53 s epoch) is no time: JSON and SVG
    // would show Infinity/NaN; a raw "(invalid)" fraction has at most 10 digits (%u), else rebuild's loop never ends
    if (!(sec <= Number.MAX_SAFE_INTEGER) || s.charCodeAt(j) !== 46) return false;
    const fs = j + 1;
    const frac = readUint(s, fs);
    const digits = numEnd - fs;
    if (frac < 0 || digits < 1 || digits > 10 || (digits > 9 && !s.startsWith(' (invalid', numEnd))) return false;
    const after = s.charCodeAt(numEnd);
    if (numEnd < s.length && after !== 32) return false;
    p.timeKind = kind;
    p.timeDigits = digits;
    // a damaged record's sub-second field is printed raw ("(invalid us)"): keep it as it is
    const nsec = digits <= 9 ? frac * POW10[9 - digits] : frac;
    if (kind === 'delta') {
      p.relSec = (neg ? -1 : 1) * (sec + nsec / 1e9);
      p.tsSec = sec;
      p.tsNsec = nsec;
    } else {
      p.tsSec = sec;
      p.tsNsec = nsec;
    }
    (p as TextPacketImpl).timeStart = start;
    (p as TextPacketImpl).timeEnd = numEnd;
    this.sp.add(M.F_TIME, this.line, start, numEnd);
    return true;
  }

  /** HH:MM:SS at i (no fraction) → seconds, numEnd after SS; -1 when not one. */
  hms(i: number): number {
    const s = this.s;
    const h = readUint(s, i);
    if (h < 0 || s.charCodeAt(numEnd) !== 58) return -1;
    const m = readUint(s, numEnd + 1);
    if (m < 0 || numEnd - i < 4 || s.charCodeAt(numEnd) !== 58) return -1;
    const mStart = numEnd;
    const sec = readUint(s, numEnd + 1);
    if (sec < 0 || numEnd - mStart !== 3) return -1;
    return h * 3600 + m * 60 + sec;
  }

  /** "eth0  In  " (SLL2) prefix. */
  scanIfPrefix(p: TextPacket, i: number): number {
    const s = this.s;
    const n = s.length;
    let e = i;
    while (e < n && e - i < 20) {
      const c = s.charCodeAt(e);
      if (c === 32 || c > 126) break;
      e++;
    }
    if (e === i || e >= n || e - i >= 20) return i;
    if (s.charCodeAt(i) === 73 && s.charCodeAt(i + 1) === 80 && (e - i === 2 || (e - i === 3 && s.charCodeAt(i + 2) === 54))) return i; // IP, IP6
    let k = e;
    while (k < n && s.charCodeAt(k) === 32) k++;
    const dir = directionAt(s, k);
    const word = s.slice(i, e);
    if (dir === '') {
      // SLL v1 with -e: " In 00:11:22:33:44:55 ethertype IPv4 (0x0800), length 74: " (direction first)
      if (DIRECTIONS.includes(word) && this.scanSllLink(p, k, word)) return numEnd;
      return i;
    }
    p.ifname = word;
    p.direction = dir;
    this.sp.add(M.F_IFNAME, this.line, i, e);
    this.sp.add(M.F_DIRECTION, this.line, k, k + dir.length);
    k += dir.length;
    while (k < n && s.charCodeAt(k) === 32) k++;
    // SLL2 with -e: "ifindex 2 00:11:… ethertype IPv4 (0x0800), length 74: "
    if (s.startsWith('ifindex ', k)) {
      const link: TextLink = { kind: 'sll2', srcMac: '', dstMac: '', etherType: -1, frameLength: -1, vlans: [] };
      const j = this.scanLinkTail(link, k);
      if (j > 0) {
        p.link = link;
        return j;
      }
    }
    p.link = { kind: 'sll2', srcMac: '', dstMac: '', etherType: -1, frameLength: -1, vlans: [] };
    return k;
  }

  scanSllLink(p: TextPacket, k: number, dir: string): boolean {
    const link: TextLink = { kind: 'sll', srcMac: '', dstMac: '', etherType: -1, frameLength: -1, vlans: [] };
    const j = this.scanLinkTail(link, k);
    if (j < 0) return false;
    p.direction = dir;
    p.link = link;
    numEnd = j;
    return true;
  }

  /** "[ifindex N ][mac ]ethertype X (0xNNNN)[, vlan …], length N: " → position after it, or -1. */
  scanLinkTail(link: TextLink, k: number): number {
    const s = this.s;
    const line = this.line;
    const start = k;
    if (s.startsWith('ifindex ', k)) {
      readUint(s, k + 8);
      k = numEnd + 1;
    }
    const m = macAt(s, k);
    if (m > 0) {
      link.srcMac = s.slice(k, m);
      this.sp.add(M.F_SRC_MAC, line, k, m);
      k = m + 1;
    }
    const lenAt = s.indexOf(', length ', k);
    if (lenAt < 0) return -1;
    const fl = readUint(s, lenAt + 9);
    if (fl < 0 || s.charCodeAt(numEnd) !== 58) return -1;
    link.frameLength = fl;
    const end = numEnd;
    this.sp.add(M.F_FRAME_LENGTH, line, lenAt + 2, end);
    this.etherTypes(link, k, lenAt);
    this.sp.add(M.F_LINK, line, start, end + 2);
    return end + 2;
  }

  etherTypes(link: TextLink, a: number, b: number): void {
    const s = this.s;
    let k = a;
    for (;;) {
      const e = s.indexOf('(0x', k);
      if (e < 0 || e >= b) break;
      const v = readHex(s, e + 3);
      if (v >= 0 && s.charCodeAt(numEnd) === 41) {
        link.etherType = v;
        const w = s.lastIndexOf('ethertype ', e);
        this.sp.add(M.F_ETHERTYPE, this.line, w >= a ? w : e, numEnd + 1);
      }
      k = e + 3;
    }
    k = a;
    for (;;) {
      const e = s.indexOf('vlan ', k);
      if (e < 0 || e >= b) break;
      const v = readUint(s, e + 5);
      if (v >= 0) link.vlans.push(v);
      k = e + 5;
    }
  }

  /** "aa:bb:cc:dd:ee:ff > 11:22:33:44:55:66, ethertype IPv4 (0x0800), length 74: " */
  scanEtherLink(p: TextPacket, i: number): number {
    const s = this.s;
    const m1 = macAt(s, i);
    if (m1 < 0 || !s.startsWith(' > ', m1)) return -1;
    const m2 = macAt(s, m1 + 3);
    if (m2 < 0) return -1;
    const link: TextLink = { kind: 'ether', srcMac: s.slice(i, m1), dstMac: s.slice(m1 + 3, m2), etherType: -1, frameLength: -1, vlans: [] };
    this.sp.add(M.F_SRC_MAC, this.line, i, m1);
    this.sp.add(M.F_DST_MAC, this.line, m1 + 3, m2);
    const lenAt = s.indexOf(', length ', m2);
    if (lenAt < 0) return -1;
    const fl = readUint(s, lenAt + 9);
    if (fl < 0 || s.charCodeAt(numEnd) !== 58) return -1;
    link.frameLength = fl;
    const end = numEnd;
    this.sp.add(M.F_FRAME_LENGTH, this.line, lenAt + 2, end);
    this.etherTypes(link, m2, lenAt);
    this.sp.add(M.F_LINK, this.line, i, end + 2);
    p.link = link;
    return s.charCodeAt(end + 1) === 32 ? end + 2 : end + 1;
  }

  matchParen(i: number): number {
    const s = this.s;
    let depth = 0;
    for (let k = i; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c === 40) depth++;
      else if (c === 41 && --depth === 0) return k;
    }
    return -1;
  }

  /** Items of "a, b (c, d), e [f, g]" between [a, b): start/end pairs. */
  items(a: number, b: number): number[] {
    const s = this.s;
    const out: number[] = [];
    let depth = 0;
    let st = a;
    for (let k = a; k < b; k++) {
      const c = s.charCodeAt(k);
      if (c === 40 || c === 91) depth++;
      else if (c === 41 || c === 93) depth--;
      else if (c === 44 && depth === 0 && s.charCodeAt(k + 1) === 32) {
        out.push(st, k);
        st = k + 2;
        k++;
      }
    }
    out.push(st, b);
    return out;
  }

  scanIp4Header(p: TextPacket, a: number, b: number): void {
    const s = this.s;
    const sp = this.sp;
    const line = this.line;
    const ip: TextIPv4 = { tos: -1, ecn: '', ttl: -1, id: -1, offset: -1, flags: '', protoName: '', proto: -1, length: -1, lengthNote: '', options: '', badCksum: -1, cksumShouldBe: -1 };
    const it = this.items(a, b);
    for (let q = 0; q < it.length; q += 2) {
      const x = it[q];
      const y = it[q + 1];
      if (s.startsWith('tos 0x', x)) {
        ip.tos = readHex(s, x + 6);
        if (s.charCodeAt(numEnd) === 44) ip.ecn = s.slice(numEnd + 1, y);
        sp.add(M.F_IP_TOS, line, x, y);
      } else if (s.startsWith('ttl ', x)) {
        ip.ttl = readUint(s, x + 4);
        sp.add(M.F_IP_TTL, line, x, y);
      } else if (s.startsWith('id ', x)) {
        ip.id = readUint(s, x + 3);
        sp.add(M.F_IP_ID, line, x, y);
      } else if (s.startsWith('offset ', x)) {
        ip.offset = readUint(s, x + 7);
        sp.add(M.F_IP_OFFSET, line, x, y);
      } else if (s.startsWith('flags [', x)) {
        ip.flags = s.slice(x + 7, s.charCodeAt(y - 1) === 93 ? y - 1 : y);
        sp.add(M.F_IP_FLAGS, line, x, y);
      } else if (s.startsWith('proto ', x)) {
        const o = s.indexOf(' (', x + 6);
        if (o > 0 && o < y) {
          ip.protoName = s.slice(x + 6, o);
          ip.proto = readUint(s, o + 2);
        } else ip.protoName = s.slice(x + 6, y);
        sp.add(M.F_IP_PROTO, line, x, y);
      } else if (s.startsWith('length ', x)) {
        ip.length = readUint(s, x + 7);
        if (numEnd < y) ip.lengthNote = s.slice(numEnd, y).trim();
        sp.add(M.F_IP_LENGTH, line, x, y);
      } else if (s.startsWith('options (', x)) {
        ip.options = s.slice(x + 9, s.charCodeAt(y - 1) === 41 ? y - 1 : y);
      } else if (s.startsWith('bad cksum ', x)) {
        ip.badCksum = readHex(s, x + 10);
        const o = s.indexOf('(->', x);
        if (o > 0 && o < y) ip.cksumShouldBe = readHex(s, o + 3);
        sp.add(M.F_IP_CKSUM, line, x, y);
      }
    }
    p.ip4 = ip;
  }

  scanIp6Header(p: TextPacket, a: number, b: number): void {
    const s = this.s;
    const sp = this.sp;
    const line = this.line;
    const ip: TextIPv6 = { cls: -1, flowlabel: -1, hlim: -1, nextHeaderName: '', nextHeader: -1, payloadLength: -1, oldWording: false, lengthNote: '' };
    const it = this.items(a, b);
    for (let q = 0; q < it.length; q += 2) {
      const x = it[q];
      const y = it[q + 1];
      if (s.startsWith('class 0x', x)) {
        ip.cls = readHex(s, x + 8);
        sp.add(M.F_IP6_CLASS, line, x, y);
      } else if (s.startsWith('flowlabel 0x', x)) {
        ip.flowlabel = readHex(s, x + 12);
        sp.add(M.F_IP6_FLOWLABEL, line, x, y);
      } else if (s.startsWith('hlim ', x)) {
        ip.hlim = readUint(s, x + 5);
        sp.add(M.F_IP6_HLIM, line, x, y);
      } else if (s.startsWith('next-header ', x)) {
        const o = s.indexOf(' (', x + 12);
        let e = y;
        if (o > 0 && o < y) {
          ip.nextHeaderName = s.slice(x + 12, o);
          ip.nextHeader = readUint(s, o + 2);
          e = s.indexOf(')', o) + 1;
        } else ip.nextHeaderName = s.slice(x + 12, y);
        sp.add(M.F_IP6_NEXT_HEADER, line, x, e);
        // 4.99.3: "next-header TCP (6) payload length: 40"
        const pl = s.indexOf(' payload length: ', e - 1);
        if (pl >= 0 && pl < y) {
          ip.oldWording = true;
          ip.payloadLength = readUint(s, pl + 17);
          sp.add(M.F_IP6_PAYLOAD_LENGTH, line, pl + 1, y);
        }
      } else if (s.startsWith('payload length ', x)) {
        ip.payloadLength = readUint(s, x + 15);
        sp.add(M.F_IP6_PAYLOAD_LENGTH, line, x, y);
      }
    }
    p.ip6 = ip;
  }

  /**
   * "src > dst: …" from i. `committed`: the front of the line already says packet (a time stamp,
   * a number, IP/IP6), so failing here makes the line unreadable rather than prose.
   */
  scanAddresses(p: TextPacket, i: number, committed: boolean): number {
    const s = this.s;
    const n = s.length;
    const line = this.line;
    const sp = this.sp;
    p.addrLine = line;
    // source token (its characters are checked once per flow, in splitHostPort)
    let e = s.indexOf(' ', i);
    if (e < 0) e = n;
    if (e > i && !s.startsWith(' > ', e)) {
      // "addr.port >" glued or a stray character: fall back to the character class
      e = i;
      while (e < n && isHostChar(s.charCodeAt(e))) e++;
    }
    if (e === i || !s.startsWith(' > ', e)) {
      if (e === n && e > i && !this.validToken(i, e)) e = i;
      if (!committed) return NOT_PACKET;
      // tcpdump's own notes after "IP ": "[total length …] (invalid)", " [|ip]", "bad-len 0" (4.99.3), …
      if (p.proto !== '' && (s.charCodeAt(i) === 91 || s.charCodeAt(i) === 32 || s.startsWith('bad-len ', i) || s.startsWith('truncated-ip', i))) {
        p.problem = s.slice(i).trim();
        p.app = s.slice(i);
        p.truncated = s.indexOf('[|', i) >= 0;
        return PACKET;
      }
      if (e >= n) {
        if (e > i) {
          (p as TextPacketImpl).ep = { ...NO_ENDPOINTS, srcHost: s.slice(i, e), id: -1 };
          p.cutShort = true;
          return PACKET;
        }
      }
      this.reason = e === i ? 'no source address where the line should have one' : 'no " > " after the source address';
      return UNREADABLE;
    }
    const srcA = i;
    const srcB = e;
    const dstA = e + 3;
    let f = s.indexOf(' ', dstA);
    if (f < 0) f = n;
    let dstB = f;
    let colon = false;
    if (dstB > dstA && s.charCodeAt(dstB - 1) === 58) {
      colon = true;
      dstB--;
    }
    if (dstB === dstA) {
      if (!committed) return NOT_PACKET;
      this.reason = 'no destination address';
      return UNREADABLE;
    }
    if (!committed && !this.looksLikeHost(srcA, srcB)) return NOT_PACKET;
    let k = f + 1; // after ": "
    const restStart = k;
    // what follows decides whether names carry ports
    const flagsNext = colon && s.startsWith('Flags [', k);
    if (!this.knownFlow(srcA, dstB) && (!this.validToken(srcA, srcB) || !this.validToken(dstA, dstB))) {
      if (!committed) return NOT_PACKET;
      this.reason = 'the addresses are not readable';
      return UNREADABLE;
    }
    sp.add(M.F_ARROW, line, srcB + 1, srcB + 2);
    const truncNext = colon && (s.startsWith('[|tcp]', k) || s.startsWith(' [|tcp]', k) || s.startsWith(' [|tcp]', k - 1));
    const tcpish = flagsNext || truncNext || (colon && (s.startsWith('tcp ', k) || s.startsWith('UDP', k)));
    this.splitHostPort(p, srcA, srcB, dstA, dstB, tcpish || !colon);
    if (!colon) {
      // "IP a.b > c.d" pasted without the rest
      p.cutShort = true;
      if (p.sport >= 0 || p.srcPortText !== '') p.l4 = 'tcp';
      if (f < n) this.tail(p, f);
      return PACKET;
    }
    if (k > n) k = n;
    if (flagsNext) {
      p.l4 = 'tcp';
      this.scanTcp(p, k);
    } else if (s.startsWith('tcp ', k)) {
      p.l4 = 'tcp';
      p.quietLength = readUint(s, k + 4);
      sp.add(M.F_QUIET_LENGTH, line, k, numEnd);
      this.tail(p, numEnd);
    } else if (truncNext) {
      p.l4 = 'tcp';
      p.truncated = true;
      const a = s.indexOf('[|tcp]', k - 1);
      sp.add(M.F_TRUNC, line, a, a + 6);
      this.tail(p, a + 6);
    } else if (s.startsWith('UDP, ', k) || s.startsWith('UDP ', k)) {
      p.l4 = 'udp';
      sp.add(M.F_L4_PROTO, line, k, k + 3);
      const l = s.indexOf('length ', k);
      if (l >= 0) {
        p.length = readUint(s, l + 7);
        if (p.length >= 0) {
          sp.add(M.F_LENGTH, line, l, numEnd);
          this.tail(p, numEnd);
        }
      }
    } else if (s.startsWith('ICMP6', k)) {
      p.l4 = 'icmp6';
      sp.add(M.F_L4_PROTO, line, k, k + 5);
      this.appRest(p, k);
    } else if (s.startsWith('ICMP', k)) {
      p.l4 = 'icmp';
      sp.add(M.F_L4_PROTO, line, k, k + 4);
      this.appRest(p, k);
    } else {
      // application decoders (DNS over UDP, …) or other protocols
      p.l4 = 'other';
      this.appRest(p, restStart);
    }
    return PACKET;
  }

  appRest(p: TextPacket, k: number): void {
    const s = this.s;
    if (k < s.length) {
      p.app = s.slice(k);
      this.sp.add(M.F_APP, this.line, k, s.length);
    }
  }

  splitHostPort(p: TextPacket, sa: number, sb: number, da: number, db: number, portsLikely: boolean): void {
    const s = this.s;
    const flow = s.slice(sa, db);
    let ep: Endpoints | undefined;
    // consecutive packets mostly alternate between the two directions of one connection
    if (flow === this.lastFlow1 && portsLikely === this.lastPorts1) ep = this.lastEp1;
    else if (flow === this.lastFlow2 && portsLikely === this.lastPorts2) ep = this.lastEp2;
    else {
      ep = this.flowEndpoints(flow, s, sa, sb, da, db, portsLikely);
      this.lastFlow2 = this.lastFlow1;
      this.lastPorts2 = this.lastPorts1;
      this.lastEp2 = this.lastEp1;
      this.lastFlow1 = flow;
      this.lastPorts1 = portsLikely;
      this.lastEp1 = ep;
    }
    (p as TextPacketImpl).ep = ep;
    const line = this.line;
    if (ep.ks >= 0) {
      this.sp.add(M.F_SRC_HOST, line, sa, sa + ep.ks);
      this.sp.add(M.F_SRC_PORT, line, sa + ep.ks + 1, sb);
      this.sp.add(M.F_DST_HOST, line, da, da + ep.kd);
      this.sp.add(M.F_DST_PORT, line, da + ep.kd + 1, db);
    } else {
      this.sp.add(M.F_SRC_HOST, line, sa, sb);
      this.sp.add(M.F_DST_HOST, line, da, db);
    }
    if (p.ipVersion === 0) p.ipVersion = ep.srcHost.indexOf(':') >= 0 ? 6 : 4;
  }

  /** The endpoints of flow text s[sa, db) (= `flow`; source s[sa, sb), destination s[da, db)), made once a flow. */
  flowEndpoints(flow: string, s: string, sa: number, sb: number, da: number, db: number, portsLikely: boolean): Endpoints {
    const cache = portsLikely ? this.epPorts : this.epNoPorts;
    let ep = cache.get(flow);
    if (ep === undefined) {
      ep = endpoints(s.slice(sa, sb), s.slice(da, db), portsLikely);
      cache.set(flow, ep);
      // conversation: shared with the reverse flow
      const rev = flow.slice(sb - sa + 3) + ' > ' + flow.slice(0, sb - sa);
      const other = this.convs.get(rev);
      if (other !== undefined) {
        ep.conv = other.conv;
        ep.dir = other.dir ^ 1;
      } else {
        const mine = this.convs.get(flow);
        ep.conv = mine !== undefined ? mine.conv : this.convs.size;
        ep.dir = mine !== undefined ? mine.dir : 0;
      }
      if (!this.convs.has(flow)) this.convs.set(flow, { conv: ep.conv, dir: ep.dir });
    }
    return ep;
  }

  // ----------------------------------------------------------------------------------------------
  // fast path: the most common TCP line, read straight from the document (no line string, no
  // flow string), when parsing without spans. Anything it does not expect makes it give up, and
  // the line is read again by the general scanner above; what it fills is what `scan` fills.

  /** Flows seen by the fast path: open addressing on a hash of the flow's characters. */
  private fHash = new Int32Array(4096);
  private fSlot = new Int32Array(4096); // 1 + index in fEps, 0 when empty
  private fEps: Endpoints[] = [];
  /** The flows' characters (digits, dots, " > "), one after another: fAt[k] is where flow k starts. */
  private fPool = new Uint8Array(1 << 16);
  private fPoolUsed = 0;
  private fAt: number[] = [];
  private fLen: number[] = [];

  /**
   * "HH:MM:SS.frac IP a.b.c.d.p > e.f.g.h.q: Flags [..], seq a:b, ack c, win w, options [..], length n"
   * at t[a, n) (keys in any order, as scanTcp takes them). true when read into p; false (p then
   * partly written) when the line is anything else.
   */
  fastLine(p: TextPacketImpl, t: string, a: number, n: number): boolean {
    if (n - a < 40) return false;
    // time of day HH:MM:SS.frac
    const h = d2(t, a);
    const m = d2(t, a + 3);
    const sec = d2(t, a + 6);
    if (h < 0 || m < 0 || sec < 0 || t.charCodeAt(a + 2) !== 58 || t.charCodeAt(a + 5) !== 58 || t.charCodeAt(a + 8) !== 46) return false;
    const frac = readUint(t, a + 9);
    const digits = numEnd - a - 9;
    if (frac < 0 || digits > 9) return false;
    let i = numEnd;
    // " IP "
    if (t.charCodeAt(i) !== 32 || t.charCodeAt(i + 1) !== 73 || t.charCodeAt(i + 2) !== 80 || t.charCodeAt(i + 3) !== 32) return false;
    // the row is a zero row: write what differs (as the setters store it, see TextPacketImpl)
    const st = p._st;
    const D = st.d;
    const I = st.n;
    const B = st.b;
    const row = p.index;
    const od = row * ND;
    const oi = row * NI;
    const ob = row * NB;
    B[ob + B_TIME_KIND] = 1; // 'time'
    B[ob + B_TIME_DIGITS] = digits;
    D[od + D_TS_SEC] = h * 3600 + m * 60 + sec;
    D[od + D_TS_NSEC] = frac * POW10[9 - digits];
    I[oi + I_TIME_END] = i - a;
    B[ob + B_PROTO] = 1; // 'IP'
    B[ob + B_IP_VERSION] = 4;
    // addresses: digits and dots, " > ", digits and dots, ": "
    const sa = i + 4;
    let k = sa;
    let hash = 0x811c9dc5;
    let c = t.charCodeAt(k);
    while ((c >= 48 && c <= 57) || c === 46) {
      hash = Math.imul(hash ^ c, 0x01000193);
      c = t.charCodeAt(++k);
    }
    const sb = k;
    if (sb === sa || c !== 32 || t.charCodeAt(k + 1) !== 62 || t.charCodeAt(k + 2) !== 32) return false;
    hash = Math.imul(hash ^ 62, 0x01000193);
    const da = k + 3;
    k = da;
    c = t.charCodeAt(k);
    while ((c >= 48 && c <= 57) || c === 46) {
      hash = Math.imul(hash ^ c, 0x01000193);
      c = t.charCodeAt(++k);
    }
    const db = k;
    if (db === da || c !== 58 || t.charCodeAt(k + 1) !== 32) return false;
    k += 2;
    // "Flags ["
    if (!isFlagsAt(t, k)) return false;
    p.ep = this.fastEndpoints(t, sa, sb, da, db, hash);
    B[ob + B_L4] = 1; // 'tcp'
    // flags
    let flags = 0;
    let q = k + 7;
    for (; q < n; q++) {
      const ch = t.charCodeAt(q);
      if (ch === 93) break;
      const b = flagBit(ch);
      if (b === 0) return false;
      flags |= b;
    }
    if (q >= n) return false;
    const ft = tcpFlagString(flags);
    if (ft.length !== q - k - 7) return false;
    for (let j = 0; j < ft.length; j++) if (ft.charCodeAt(j) !== t.charCodeAt(k + 7 + j)) return false;
    I[oi + I_FLAGS] = flags + 1;
    B[ob + B_FLAGS_TEXT] = 1; // tcpFlagString(flags)
    i = q + 1;
    for (;;) {
      if (i >= n || t.charCodeAt(i) !== 44) return false;
      let b = i + 1;
      while (b < n && t.charCodeAt(b) === 32) b++;
      if (b >= n) return false;
      const c1 = t.charCodeAt(b);
      if (c1 === 115 && t.charCodeAt(b + 1) === 101 && t.charCodeAt(b + 2) === 113 && t.charCodeAt(b + 3) === 32) {
        const v = readUint(t, b + 4);
        if (v < 0) return false;
        D[od + D_SEQ] = v + 1;
        if (t.charCodeAt(numEnd) === 58) {
          const w = readUint(t, numEnd + 1);
          if (w < 0) return false;
          D[od + D_SEQ_END] = w + 1;
        }
        i = numEnd;
      } else if (c1 === 97 && t.charCodeAt(b + 1) === 99 && t.charCodeAt(b + 2) === 107 && t.charCodeAt(b + 3) === 32) {
        const v = readUint(t, b + 4);
        if (v < 0) return false;
        D[od + D_ACK] = v + 1;
        i = numEnd;
      } else if (c1 === 119 && t.charCodeAt(b + 1) === 105 && t.charCodeAt(b + 2) === 110 && t.charCodeAt(b + 3) === 32) {
        const v = readUint(t, b + 4);
        if (v < 0) return false;
        if (v < 0x7fffffff) I[oi + I_WIN] = v + 1;
        else p.win = v;
        i = numEnd;
      } else if (c1 === 108 && isLengthAt(t, b)) {
        const v = readUint(t, b + 7);
        // nothing after the length (else the general scanner reads the application text)
        if (v < 0 || numEnd !== n) return false;
        if (v < 0x7fffffff) I[oi + I_LENGTH] = v + 1;
        else p.length = v;
        return true;
      } else if (c1 === 111 && isOptionsAt(t, b)) {
        i = this.fastOptions(p, t, b + 9, n, a);
        if (i < 0) return false;
      } else return false;
    }
  }

  /** Options from t[b0, …] up to the closing ']' (before n): the position after it, or -1. */
  fastOptions(p: TextPacketImpl, t: string, b0: number, n: number, lineStart: number): number {
    // the most common list: "nop,nop,TS val A ecr B]"
    if (isNopNopTsAt(t, b0)) {
      const v = readUint(t, b0 + 15);
      if (v >= 0 && isEcrAt(t, numEnd)) {
        const e = readUint(t, numEnd + 5);
        if (e >= 0 && t.charCodeAt(numEnd) === 93) {
          const st = p._st;
          const od = p.index * ND;
          const oi = p.index * NI;
          st.d[od + D_TS_VAL] = v + 1;
          st.d[od + D_TS_ECR] = e + 1;
          st.n[oi + I_OPT_START] = b0 - lineStart + 1;
          st.n[oi + I_OPT_END] = numEnd - lineStart + 1;
          return numEnd + 1;
        }
      }
    }
    let depth = 0;
    let close = -1;
    for (let k = b0; k < n; k++) {
      const c = t.charCodeAt(k);
      if (c === 91) {
        if (lit(t, k, '[bad opt]')) return -1;
        depth++;
      } else if (c === 123) depth++;
      else if (c === 125) depth--;
      else if (c === 93) {
        if (depth === 0) {
          close = k;
          break;
        }
        depth--;
      }
    }
    if (close < 0) return -1;
    this.s = t;
    let st = b0;
    depth = 0;
    for (let k = b0; k < close; k++) {
      const c = t.charCodeAt(k);
      if (c === 91 || c === 123) depth++;
      else if (c === 125 || c === 93) depth--;
      else if (c === 44 && depth === 0 && t.charCodeAt(k + 1) !== 32) {
        this.option(p, null, st, k);
        st = k + 1;
      }
    }
    if (st < close || st === b0) this.option(p, null, st, close);
    p.optStart = b0 - lineStart;
    p.optEnd = close - lineStart;
    return close + 1;
  }

  fastEndpoints(t: string, sa: number, sb: number, da: number, db: number, hash: number): Endpoints {
    const len = db - sa;
    let mask = this.fHash.length - 1;
    let slot = hash & mask;
    for (;;) {
      const e = this.fSlot[slot];
      if (e === 0) break;
      if (this.fHash[slot] === hash && this.fLen[e - 1] === len) {
        const at = this.fAt[e - 1];
        const pool = this.fPool;
        let j = 0;
        while (j < len && pool[at + j] === t.charCodeAt(sa + j)) j++;
        if (j === len) return this.fEps[e - 1];
      }
      slot = (slot + 1) & mask;
    }
    const ep = this.flowEndpoints(t.slice(sa, db), t, sa, sb, da, db, true);
    this.fEps.push(ep);
    if (this.fPoolUsed + len > this.fPool.length) {
      const np = new Uint8Array(Math.max(this.fPool.length * 2, this.fPoolUsed + len));
      np.set(this.fPool);
      this.fPool = np;
    }
    // (the characters are ASCII: digits, dots, " > ")
    for (let j = 0; j < len; j++) this.fPool[this.fPoolUsed + j] = t.charCodeAt(sa + j);
    this.fAt.push(this.fPoolUsed);
    this.fPoolUsed += len;
    this.fLen.push(len);
    this.fHash[slot] = hash;
    this.fSlot[slot] = this.fEps.length;
    if (this.fEps.length * 2 > this.fHash.length) {
      // grow: re-insert every flow
      const size = this.fHash.length * 2;
      const oh = this.fHash;
      const os = this.fSlot;
      this.fHash = new Int32Array(size);
      this.fSlot = new Int32Array(size);
      mask = size - 1;
      for (let k = 0; k < oh.length; k++) {
        if (os[k] === 0) continue;
        let s2 = oh[k] & mask;
        while (this.fSlot[s2] !== 0) s2 = (s2 + 1) & mask;
        this.fHash[s2] = oh[k];
        this.fSlot[s2] = os[k];
      }
    }
    return ep;
  }

  /** "Flags [S.], cksum …, seq …, ack …, win …, urg …, options […], length N…" */
  scanTcp(p: TextPacket, k: number): void {
    const s = this.s;
    const n = s.length;
    const sp = this.sp;
    const line = this.line;
    const fb = s.indexOf(']', k + 7);
    if (fb < 0) {
      p.cutShort = true;
      return;
    }
    sp.add(M.F_FLAGS, line, k, fb + 1);
    let flags = 0;
    if (!s.startsWith('none]', k + 7)) {
      for (let q = k + 7; q < fb; q++) {
        const b = flagBit(s.charCodeAt(q));
        if (b === 0) {
          p.problem = `unknown TCP flag "${s[q]}"`;
          continue;
        }
        flags |= b;
        sp.add(M.F_FLAG, line, q, q + 1);
      }
    }
    p.flags = flags;
    // the text as tcpdump would print these flags (shared strings); as printed when it differs
    const ft = tcpFlagString(flags);
    p.flagsText = ft.length === fb - k - 7 && s.startsWith(ft, k + 7) ? ft : s.slice(k + 7, fb);
    let i = fb + 1;
    for (;;) {
      if (i >= n) {
        p.cutShort = true;
        return;
      }
      if (s.charCodeAt(i) === 44) {
        // ", key value"
        let a = i + 1;
        while (a < n && s.charCodeAt(a) === 32) a++;
        if (a >= n) {
          p.cutShort = true;
          return;
        }
        const c1 = s.charCodeAt(a);
        if (c1 === 115 && s.startsWith('seq ', a)) {
          const v = readUint(s, a + 4);
          if (v < 0) return this.bad(p, a);
          p.seq = v;
          sp.add(M.F_SEQ_START, line, a + 4, numEnd);
          if (s.charCodeAt(numEnd) === 58) {
            const st = numEnd + 1;
            const w = readUint(s, st);
            if (w < 0) return this.bad(p, a);
            p.seqEnd = w;
            sp.add(M.F_SEQ_END, line, st, numEnd);
          }
          sp.add(M.F_SEQ, line, a, numEnd);
          i = numEnd;
        } else if (c1 === 97 && s.startsWith('ack ', a)) {
          const v = readUint(s, a + 4);
          if (v < 0) return this.bad(p, a);
          p.ack = v;
          sp.add(M.F_ACK, line, a, numEnd);
          i = numEnd;
        } else if (c1 === 119 && s.startsWith('win ', a)) {
          const v = readUint(s, a + 4);
          if (v < 0) return this.bad(p, a);
          p.win = v;
          sp.add(M.F_WIN, line, a, numEnd);
          i = numEnd;
        } else if (c1 === 108 && s.startsWith('length ', a)) {
          const v = readUint(s, a + 7);
          if (v < 0) return this.bad(p, a);
          p.length = v;
          sp.add(M.F_LENGTH, line, a, numEnd);
          this.tail(p, numEnd);
          return;
        } else if (c1 === 111 && s.startsWith('options [', a)) {
          i = this.scanOptions(p, a);
          if (i < 0) return;
        } else if (c1 === 99 && s.startsWith('cksum 0x', a)) {
          p.cksum = readHex(s, a + 8);
          let e = numEnd;
          if (s.startsWith(' (correct)', e)) {
            p.cksumState = 'correct';
            e += 10;
          } else if (s.startsWith(' (incorrect -> 0x', e)) {
            p.cksumState = 'incorrect';
            p.cksumShouldBe = readHex(s, e + 17);
            e = numEnd + 1;
          } else if (s.startsWith(' (incorrect', e)) {
            p.cksumState = 'incorrect';
            const c = s.indexOf(')', e);
            e = c > 0 ? c + 1 : n;
          }
          sp.add(M.F_CKSUM, line, a, e);
          i = e;
        } else if (c1 === 117 && s.startsWith('urg ', a)) {
          const v = readUint(s, a + 4);
          if (v < 0) return this.bad(p, a);
          p.urg = v;
          sp.add(M.F_URG, line, a, numEnd);
          i = numEnd;
        } else return this.bad(p, a);
      } else {
        // " [|tcp]", " [bad hdr length …]", annotations after a line cut short
        const t = s.indexOf('[|', i);
        if (t >= 0 && t <= i + 1) {
          p.truncated = true;
          sp.add(M.F_TRUNC, line, t, t + 6);
          this.tail(p, s.indexOf(']', t) + 1);
          return;
        }
        if (s.startsWith(' [bad hdr length', i)) {
          p.problem = 'bad header length';
          p.app = s.slice(i + 1);
          sp.add(M.F_APP, line, i + 1, n);
          return;
        }
        p.cutShort = true;
        this.annotationOrApp(p, i, true);
        return;
      }
    }
  }

  bad(p: TextPacket, a: number): void {
    const s = this.s;
    p.problem = `unexpected text "${s.slice(a, a + 20)}" in the TCP fields`;
    p.app = s.slice(a);
    this.sp.add(M.F_APP, this.line, a, s.length);
  }

  /** After "length N" (or the end of what was read): application text and/or an annotation. */
  tail(p: TextPacket, i: number): void {
    this.annotationOrApp(p, i, false);
  }

  annotationOrApp(p: TextPacket, i: number, cut: boolean): void {
    const s = this.s;
    const n = s.length;
    if (i < 0 || i >= n) return;
    if (s.startsWith(' [|', i)) p.truncated = true; // "length 58 [|tcp]": the payload was cut
    let e = n;
    while (e > i && (s.charCodeAt(e - 1) === 32 || s.charCodeAt(e - 1) === 9)) e--;
    if (e <= i) return;
    // an annotation at the end: " (1)", " ①", "<-- SYN", "# …", "// …" (after application
    // text only the unmistakable ones: "(29)" ends many DNS lines)
    const ann = annotationStart(s, i, e, cut, s.charCodeAt(i) === 58 || s.startsWith(' [', i));
    if (ann < e) {
      let a = ann;
      while (a < e && s.charCodeAt(a) === 32) a++;
      p.annotation = s.slice(a, e);
      this.sp.add(M.F_ANNOTATION, this.line, a, e);
      e = ann;
    }
    if (e > i) {
      p.app = s.slice(i, e);
      this.sp.add(M.F_APP, this.line, i, e);
    }
  }

  /** "options [...]" at a: returns the position after "]" (or -1 when the rest of the line was used). */
  scanOptions(p: TextPacket, a: number): number {
    const s = this.s;
    const n = s.length;
    const line = this.line;
    const sp = this.sp;
    const b0 = a + 9;
    // fast path for the most common list: "nop,nop,TS val A ecr B]"
    if (!sp.on && s.startsWith('nop,nop,TS val ', b0)) {
      const v = readUint(s, b0 + 15);
      if (v >= 0 && s.startsWith(' ecr ', numEnd)) {
        const e = readUint(s, numEnd + 5);
        if (e >= 0 && s.charCodeAt(numEnd) === 93) {
          p.tsVal = v;
          p.tsEcr = e;
          p.optStart = b0;
          p.optEnd = numEnd;
          return numEnd + 1;
        }
      }
    }
    // matching ']' with [] and {} nesting; items split by ',' at depth 0
    let depth = 0;
    let close = -1;
    const opts: TextOption[] | null = this.sp.on ? [] : null;
    let st = b0;
    for (let k = b0; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c === 91 || c === 123) depth++;
      else if (c === 125) depth--;
      else if (c === 93) {
        if (depth === 0) {
          close = k;
          break;
        }
        depth--;
      } else if (c === 44 && depth === 0 && s.charCodeAt(k + 1) !== 32) {
        // options are separated by a bare ','; ", " belongs to an option's text (md5)
        this.option(p, opts, st, k);
        st = k + 1;
      }
    }
    const end = close >= 0 ? close : n;
    if (st < end || st === b0) this.option(p, opts, st, end);
    p.options = opts;
    p.optStart = b0;
    p.optEnd = end;
    sp.add(M.F_OPTIONS, line, a, close >= 0 ? close + 1 : n);
    const bad = s.indexOf('[bad opt]', a);
    if (bad >= 0 && (close < 0 || bad < close)) {
      // tcpdump stops at an option it cannot read: the line ends there on purpose
      p.problem = 'bad TCP option';
      return -1;
    }
    if (close < 0) {
      const t = s.indexOf('[|tcp]', a);
      if (t >= 0) p.truncated = true;
      else p.cutShort = true;
      return -1;
    }
    return close + 1;
  }

  option(p: TextPacket, opts: TextOption[] | null, a: number, b: number): void {
    const s = this.s;
    const line = this.line;
    const sp = this.sp;
    while (a < b && s.charCodeAt(a) === 32) a++;
    if (a >= b) return;
    let e = a;
    while (e < b && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 91) e++;
    if (opts !== null) opts.push({ name: s.slice(a, e), text: s.slice(a, b), line, start: a, end: b });
    sp.add(M.F_OPTION, line, a, b);
    const len = e - a;
    if (len === 3 && s.startsWith('nop', a)) return;
    if (len === 2 && s.startsWith('TS', a)) {
      if (s.startsWith(' val ', e)) {
        p.tsVal = readUint(s, e + 5);
        if (p.tsVal >= 0) sp.add(M.F_OPTION_VALUE, line, e + 5, numEnd);
        if (s.startsWith(' ecr ', numEnd)) {
          const q = numEnd + 5;
          p.tsEcr = readUint(s, q);
          if (p.tsEcr >= 0) sp.add(M.F_OPTION_VALUE, line, q, numEnd);
        }
      }
    } else if (len === 3 && s.startsWith('mss', a)) {
      p.mss = readUint(s, e + 1);
      if (p.mss >= 0) sp.add(M.F_OPTION_VALUE, line, e + 1, numEnd);
    } else if (len === 6 && s.startsWith('wscale', a)) {
      p.wscale = readUint(s, e + 1);
      if (p.wscale >= 0) sp.add(M.F_OPTION_VALUE, line, e + 1, numEnd);
    } else if (len === 6 && s.startsWith('sackOK', a)) {
      p.sackOk = true;
    } else if (len === 4 && s.startsWith('sack', a)) {
      const blocks: number[] = [];
      let k = s.indexOf('{', e);
      while (k >= 0 && k < b) {
        const l = readUint(s, k + 1);
        if (l < 0 || s.charCodeAt(numEnd) !== 58) break;
        const r = readUint(s, numEnd + 1);
        if (r < 0 || s.charCodeAt(numEnd) !== 125) break;
        blocks.push(l, r);
        sp.add(M.F_OPTION_VALUE, line, k, numEnd + 1);
        k = numEnd + 1;
        if (s.charCodeAt(k) !== 123) break;
      }
      p.sack = blocks;
    } else if (len === 3 && s.startsWith('eol', a)) {
      return;
    } else if (e < b) {
      sp.add(M.F_OPTION_VALUE, line, e + (s.charCodeAt(e) === 32 ? 1 : 0), b);
    }
  }
}

/** Lowercase first words of tcpdump lines for other link/network protocols. */
const OTHER_WORDS = new Set(['ethertype', 'vlan', 'unsupported', 'unknown', 'llc', 'aarp', 'arp', 'ipx', 'loopback', 'truncated-ip', 'ip-proto-17']);

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];
const DIRECTIONS = ['In', 'Out', 'B', 'M', 'P'];

/** The SLL packet-type word at k followed by a space ("In", "Out", "B", "M", "P"), or ''. */
function directionAt(s: string, k: number): string {
  const c = s.charCodeAt(k);
  if (c === 73) return s.charCodeAt(k + 1) === 110 && s.charCodeAt(k + 2) === 32 ? 'In' : '';
  if (c === 79) return s.startsWith('Out ', k) ? 'Out' : '';
  if ((c === 66 || c === 77 || c === 80) && s.charCodeAt(k + 1) === 32) return c === 66 ? 'B' : c === 77 ? 'M' : 'P';
  return '';
}

/** "addr.port > addr.port: …" at column 0: a -v continuation line whose indentation was lost in a paste. */
function continuationUnindented(sc: Scanner, s: string): boolean {
  const k = s.indexOf(' > ');
  if (k <= 0 || k > 60) return false;
  sc.s = s;
  return sc.looksLikeHost(0, k) && s.indexOf(': ', k) > 0;
}

/** The first line of a -A/-AA dump: the IP header as text ("E..<.h@.@.!R…"), or mostly dots. */
function looksLikeAsciiDump(s: string): boolean {
  if ((s.charCodeAt(0) === 69 || s.charCodeAt(0) === 96) && s.charCodeAt(1) === 46) return true;
  let dots = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 46) dots++;
  return s.length >= 8 && dots * 4 >= s.length;
}

/** t.startsWith('Flags [', i), spelt out. */
function isFlagsAt(t: string, i: number): boolean {
  return (
    t.charCodeAt(i) === 70 &&
    t.charCodeAt(i + 1) === 108 &&
    t.charCodeAt(i + 2) === 97 &&
    t.charCodeAt(i + 3) === 103 &&
    t.charCodeAt(i + 4) === 115 &&
    t.charCodeAt(i + 5) === 32 &&
    t.charCodeAt(i + 6) === 91
  );
}

/** t.startsWith('length ', i), spelt out. */
function isLengthAt(t: string, i: number): boolean {
  return (
    t.charCodeAt(i) === 108 &&
    t.charCodeAt(i + 1) === 101 &&
    t.charCodeAt(i + 2) === 110 &&
    t.charCodeAt(i + 3) === 103 &&
    t.charCodeAt(i + 4) === 116 &&
    t.charCodeAt(i + 5) === 104 &&
    t.charCodeAt(i + 6) === 32
  );
}

/** t.startsWith('options [', i), spelt out. */
function isOptionsAt(t: string, i: number): boolean {
  return (
    t.charCodeAt(i) === 111 &&
    t.charCodeAt(i + 1) === 112 &&
    t.charCodeAt(i + 2) === 116 &&
    t.charCodeAt(i + 3) === 105 &&
    t.charCodeAt(i + 4) === 111 &&
    t.charCodeAt(i + 5) === 110 &&
    t.charCodeAt(i + 6) === 115 &&
    t.charCodeAt(i + 7) === 32 &&
    t.charCodeAt(i + 8) === 91
  );
}

/** t.startsWith('nop,nop,TS val ', i), spelt out. */
function isNopNopTsAt(t: string, i: number): boolean {
  return (
    t.charCodeAt(i) === 110 &&
    t.charCodeAt(i + 1) === 111 &&
    t.charCodeAt(i + 2) === 112 &&
    t.charCodeAt(i + 3) === 44 &&
    t.charCodeAt(i + 4) === 110 &&
    t.charCodeAt(i + 5) === 111 &&
    t.charCodeAt(i + 6) === 112 &&
    t.charCodeAt(i + 7) === 44 &&
    t.charCodeAt(i + 8) === 84 &&
    t.charCodeAt(i + 9) === 83 &&
    t.charCodeAt(i + 10) === 32 &&
    t.charCodeAt(i + 11) === 118 &&
    t.charCodeAt(i + 12) === 97 &&
    t.charCodeAt(i + 13) === 108 &&
    t.charCodeAt(i + 14) === 32
  );
}

/** t.startsWith(' ecr ', i), spelt out. */
function isEcrAt(t: string, i: number): boolean {
  return (
    t.charCodeAt(i) === 32 &&
    t.charCodeAt(i + 1) === 101 &&
    t.charCodeAt(i + 2) === 99 &&
    t.charCodeAt(i + 3) === 114 &&
    t.charCodeAt(i + 4) === 32
  );
}

/** t[i..] starts with l (what t.startsWith(l, i) says, as a loop the compiler inlines). */
function lit(t: string, i: number, l: string): boolean {
  for (let j = 0; j < l.length; j++) if (t.charCodeAt(i + j) !== l.charCodeAt(j)) return false;
  return true;
}

/** Two digits at t[i..i+2) as a number, -1 when not. */
function d2(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 126) return false;
  return true;
}

/** End of a MAC address "aa:bb:cc:dd:ee:ff" at i, or -1. */
function macAt(s: string, i: number): number {
  for (let g = 0; g < 6; g++) {
    const k = i + g * 3;
    if (!isHex(s.charCodeAt(k)) || !isHex(s.charCodeAt(k + 1))) return -1;
    if (g < 5 && s.charCodeAt(k + 2) !== 58) return -1;
  }
  const e = i + 17;
  return isHex(s.charCodeAt(e)) || s.charCodeAt(e) === 58 ? -1 : e;
}

function endpoints(src: string, dst: string, portsLikely: boolean): Endpoints {
  const ks = portSplit(src);
  const kd = portSplit(dst);
  // numeric tokens decide; names follow the protocol
  const srcNum = numericKind(src);
  const dstNum = numericKind(dst);
  let ports = portsLikely;
  if (srcNum === 2 || dstNum === 2) ports = true;
  else if ((srcNum === 1 && dstNum !== 0) || (dstNum === 1 && srcNum !== 0)) ports = false;
  let ep: Endpoints;
  if (ports && ks > 0 && kd > 0) {
    const spt = src.slice(ks + 1);
    const dpt = dst.slice(kd + 1);
    ep = { srcHost: src.slice(0, ks), dstHost: dst.slice(0, kd), srcPortText: spt, dstPortText: dpt, sport: portNumber(spt), dport: portNumber(dpt), numericHosts: false, ks, kd, srcLen: src.length, conv: -1, dir: 0, flow: src + ' > ' + dst, srcNum: NaN, dstNum: NaN, id: -1 };
  } else {
    ep = { srcHost: src, dstHost: dst, srcPortText: '', dstPortText: '', sport: -1, dport: -1, numericHosts: false, ks: -1, kd: -1, srcLen: src.length, conv: -1, dir: 0, flow: src + ' > ' + dst, srcNum: NaN, dstNum: NaN, id: -1 };
  }
  ep.numericHosts = isNumericHost(ep.srcHost) && isNumericHost(ep.dstHost);
  return ep;
}

/** Index of the '.' that separates the port, or -1. */
function portSplit(tok: string): number {
  const k = tok.lastIndexOf('.');
  return k > 0 && k < tok.length - 1 ? k : -1;
}

/** 0: a name; 1: numeric address without port; 2: numeric address with a port. */
function numericKind(tok: string): number {
  if (tok.indexOf(':') >= 0) {
    // IPv6: hex groups; dots: 0 → no port; 1 → port; 3 → embedded IPv4 no port; 4 → port
    let dots = 0;
    for (let i = 0; i < tok.length; i++) {
      const c = tok.charCodeAt(i);
      if (c === 46) dots++;
      else if (!(isHex(c) || c === 58 || c === 37)) return 0;
    }
    return dots === 1 || dots === 4 ? 2 : dots === 0 || dots === 3 ? 1 : 0;
  }
  let dots = 0;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (c === 46) dots++;
    else if (!isDigit(c)) return dots === 4 ? 2 : 0; // "1.2.3.4.http"
  }
  return dots === 4 ? 2 : dots === 3 ? 1 : 0;
}

function isNumericHost(h: string): boolean {
  if (h.indexOf(':') >= 0) {
    for (let i = 0; i < h.length; i++) {
      const c = h.charCodeAt(i);
      if (!(isHex(c) || c === 58 || c === 46)) return false;
    }
    return true;
  }
  let dots = 0;
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c === 46) dots++;
    else if (!isDigit(c)) return false;
  }
  return dots === 3;
}

function portNumber(t: string): number {
  const v = readUint(t, 0);
  if (v >= 0 && numEnd === t.length) return v <= 65535 ? v : -1;
  return servicePort(t);
}

/**
 * Where a writer's annotation starts in s[i, e), or e when none. Recognised: "(1)", "( 1)", "①"…,
 * "<-- …", "<- …", "# …", "// …", and, after a line cut short, any text after spaces.
 */
function annotationStart(s: string, i: number, e: number, cut: boolean, app: boolean): number {
  // look at the last space-separated group(s)
  const arrow = s.indexOf('<-', i);
  if (arrow >= 0 && arrow < e && (arrow === i || s.charCodeAt(arrow - 1) === 32)) return arrow;
  const hash = s.indexOf(' # ', i);
  if (hash >= 0 && hash < e) return hash;
  const sl = s.indexOf(' //', i);
  if (sl >= 0 && sl < e) return sl;
  const last = s.charCodeAt(e - 1);
  // "(1)", "( 1)", "(a)", "①" as the whole tail
  let a = i;
  while (a < e && s.charCodeAt(a) === 32) a++;
  if (a > i && !app) {
    const tail = s.slice(a, e);
    if (/^\(\s?(\d{1,3}|[a-zA-Z])\)$/.test(tail) || /^[\u2460-\u24ff\u2776-\u2793]+$/.test(tail)) return a - 1;
  }
  if (cut && s.charCodeAt(i) === 32) return i;
  if (last > 126 && s.charCodeAt(i) === 32) {
    // prose glued after the packet (non-ASCII at the end): from the first non-ASCII word
    for (let k = i; k < e; k++) if (s.charCodeAt(k) > 126) {
      let a = k;
      while (a > i && s.charCodeAt(a - 1) !== 32) a--;
      return a > i ? a - 1 : a;
    }
  }
  return e;
}

// ------------------------------------------------------------------------------------------------
// the log

/**
 * Parses tcpdump text. Never throws: lines it cannot place are prose, or, when they look like a
 * packet, listed in `unreadable` with a reason.
 */
export function parseTcpdumpText(text: string, options: ParseOptions = {}): ParsedLog {
  const wantSpans = options.spans === true;
  const sp = new SpanBuf();
  sp.on = wantSpans;
  const sc = new Scanner(sp);
  // number of lines (a last line without its line break counts)
  let lineCount = 0;
  if (text.length > 0) {
    lineCount = 1;
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lineCount++;
    if (text.charCodeAt(text.length - 1) === 10) lineCount--;
  }
  const kinds = new Uint8Array(lineCount);
  const packetOfLine = new Int32Array(lineCount).fill(-1);
  const packets: TextPacket[] = [];
  const unreadable: UnreadableLine[] = [];
  const banners: BannerLine[] = [];
  const prompts: PromptLine[] = [];
  const st = new PacketStore(text, lineCount + 1);
  let cur: TextPacketImpl | null = null;
  let curSpanStart = 0;
  let awaitCont = false;
  let prevKind = M.LK_BLANK;
  let pos = 0;
  let probe = newPacket(st, 0, 0);
  /** sp.n before the current line's scan (spans of a line are written from here). */
  let spanMark = 0;

  const closePacket = (end: number): void => {
    if (cur !== null && wantSpans) cur.spans = sp.buf.slice(curSpanStart, end);
  };

  for (let ln = 0; ln < lineCount; ln++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (!wantSpans && !awaitCont) {
      // the common TCP line: read from the document without a line string
      const f0 = text.charCodeAt(pos);
      if (f0 >= 48 && f0 <= 57) {
        if (sc.fastLine(probe, text, pos, end)) {
          probe.index = packets.length;
          probe.line = probe.endLine = probe.addrLine = ln;
          probe.setTextRange(pos, end);
          packets.push(probe);
          cur = probe;
          packetOfLine[ln] = probe.index;
          probe = newPacket(st, packets.length, ln + 1);
          kinds[ln] = M.LK_PACKET;
          prevKind = M.LK_PACKET;
          pos = nl + 1;
          continue;
        }
        probe = retryPacket(st, packets.length, ln);
      }
    }
    let s = text.slice(pos, end);
    const lineStart = pos;
    /** s is still the document's [lineStart, end) */
    let clean = true;
    // no-break spaces from a web page: at the start here, elsewhere when the line does not read
    if (s.charCodeAt(0) === 0xa0) {
      s = s.replace(/\u00a0/g, ' ');
      clean = false;
    }
    pos = nl + 1;
    let kind = M.LK_PROSE;
    const c0 = s.charCodeAt(0);
    // blank
    let blank = true;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c !== 32 && c !== 9) {
        blank = false;
        break;
      }
    }
    if (blank) {
      kind = M.LK_BLANK;
      awaitCont = false;
    } else if (cur !== null && (c0 === 9 || c0 === 32) && isHexLine(s) && prevKind !== M.LK_BLANK && prevKind !== M.LK_PROSE) {
      kind = M.LK_HEX;
      (cur.hex ??= []).push(s);
      cur.endLine = ln;
      packetOfLine[ln] = cur.index;
    } else if (awaitCont && cur !== null && (c0 === 32 || c0 === 9 || continuationUnindented(sc, s))) {
      // second line of a -v IPv4 packet
      let k = 0;
      while (k < s.length && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9)) k++;
      sc.s = s;
      sc.line = ln;
      const r = sc.scanAddresses(cur, k, true);
      cur.appendLine(s, lineStart, end, clean);
      cur.endLine = ln;
      packetOfLine[ln] = cur.index;
      kind = M.LK_CONTINUATION;
      if (r === UNREADABLE) {
        cur.problem = sc.reason;
        unreadable.push({ line: ln, reason: sc.reason, text: s });
      }
      awaitCont = false;
    } else {
      awaitCont = false;
      // packet?
      probe.line = probe.endLine = probe.addrLine = ln;
      let r = sc.scan(probe, s, ln);
      if (r !== PACKET && s.indexOf('\u00a0') >= 0) {
        s = s.replace(/\u00a0/g, ' ');
        clean = false;
        sp.n = spanMark;
        probe = retryPacket(st, packets.length, ln);
        r = sc.scan(probe, s, ln);
      }
      let inner = false;
      if (r === PACKET && probe.timeKind === 'none' && probe.number < 0 && cur !== null && (cur.timeKind !== 'none' || cur.number >= 0) && cur.l4 !== 'tcp' &&
          (prevKind === M.LK_PACKET || prevKind === M.LK_CONTINUATION || prevKind === M.LK_APP || prevKind === M.LK_HEX) && kinds[ln - 1] !== M.LK_BLANK) {
        // a line without time right below a non-TCP packet of a log that has times: what tcpdump
        // printed for that packet (the packet a VXLAN/GRE/… header carries), not a packet of its own
        r = NOT_PACKET;
        inner = true;
      }
      if (r === PACKET) {
        closePacket(spanMark);
        // this line's spans were written from spanMark on: move them to the buffer's start
        if (spanMark > 0) {
          sp.buf.copyWithin(0, spanMark, sp.n);
          sp.n -= spanMark;
        }
        curSpanStart = 0;
        probe.index = packets.length;
        probe.line = probe.endLine = ln;
        if (clean) probe.setTextRange(lineStart, end);
        else probe.text = s;
        packets.push(probe);
        cur = probe;
        kind = M.LK_PACKET;
        packetOfLine[ln] = probe.index;
        awaitCont = sc.awaitCont;
        probe = newPacket(st, packets.length, ln);
      } else {
        sp.n = spanMark; // drop spans of a failed attempt
        probe = retryPacket(st, packets.length, ln);
        if (r === UNREADABLE) {
          kind = M.LK_UNREADABLE;
          unreadable.push({ line: ln, reason: sc.reason, text: s });
        } else {
          const t = s.trimStart();
          const bk = classifyBanner(t);
          if (bk !== '') {
            kind = M.LK_BANNER;
            const cnt = readUint(t, 0);
            banners.push({ line: ln, kind: bk, text: s, count: bk === 'captured' || bk === 'received' || bk === 'dropped' ? cnt : -1 });
          } else {
            const cmd = promptCommand(s);
            if (cmd !== null) {
              kind = M.LK_PROMPT;
              prompts.push({ line: ln, command: cmd, text: s });
            } else if (
              cur !== null &&
              (prevKind === M.LK_PACKET || prevKind === M.LK_CONTINUATION || prevKind === M.LK_APP || prevKind === M.LK_HEX) &&
              // indented text, or (-A payload) plain ASCII right below the packet
              (inner || c0 === 9 || (c0 === 32 && s.startsWith('  ')) ||
                (kinds[ln - 1] !== M.LK_BLANK && isAscii(s) && (kinds[ln - 1] === M.LK_APP || looksLikeAsciiDump(s))))
            ) {
              kind = M.LK_APP;
              (cur.appLines ??= []).push(s.trim());
              cur.endLine = ln;
              packetOfLine[ln] = cur.index;
            }
          }
        }
      }
    }
    spanMark = sp.n;
    kinds[ln] = kind;
    if (kind !== M.LK_BLANK) prevKind = kind;
  }
  closePacket(sp.n);
  const log: ParsedLog = { lineCount, kinds, packetOfLine, packets, unreadable, banners, prompts, format: detectFormat(packets) };
  rebuildLog(log, viaStore);
  return log;
}


/** rebuild.ts's TCP columns read and written straight from the store (a parse's packets share it; row = index). */
const viaStore: TcpColumnsIO = {
  gather(packets) {
    const c = newTcpColumns(packets.length);
    if (packets.length === 0) return c;
    const st = (packets[0] as TextPacketImpl)._st;
    const D = st.d;
    const I = st.n;
    const B = st.b;
    const sacks = st.sacks;
    let nt = 0;
    for (let i = 0; i < packets.length; i++) {
      if (B[i * NB + B_L4] !== 1) continue; // 'tcp'
      const fl = I[i * NI + I_FLAGS] - 1;
      if (fl < 0) continue;
      const ep = st.eps[I[i * NI + I_EP]];
      const cv = ep.conv;
      if (cv < 0) continue;
      c.idx[nt] = i;
      c.conv[nt] = cv;
      c.dir[nt] = ep.dir;
      c.flags[nt] = fl;
      c.seq[nt] = D[i * ND + D_SEQ] - 1;
      c.ack[nt] = D[i * ND + D_ACK] - 1;
      c.len[nt] = st.getInt(i * NI + I_LENGTH) - 1;
      c.sack[nt] = sacks !== null && sacks.has(i) ? 1 : 0;
      nt++;
    }
    c.n = nt;
    return c;
  },
  store(packets, c) {
    if (c.n === 0) return;
    const st = (packets[0] as TextPacketImpl)._st;
    const D = st.d;
    const B = st.b;
    for (let n = 0; n < c.n; n++) {
      const row = c.idx[n];
      D[row * ND + D_ABS_SEQ] = c.absSeq[n] + 1;
      D[row * ND + D_ABS_ACK] = c.absAck[n] + 1;
      const k = row * NB + B_BITS;
      const r = c.bits[n];
      B[k] = (B[k] & ~(BIT_RELATIVE | BIT_SEQ_INFERRED)) | ((r & REL_RELATIVE) !== 0 ? BIT_RELATIVE : 0) | ((r & REL_INFERRED) !== 0 ? BIT_SEQ_INFERRED : 0);
    }
  },
};

function detectFormat(packets: TextPacket[]): M.DetectedFormat {
  const f: M.DetectedFormat = { timeFormat: 0, nano: false, verbose: 0, linkHeader: false, number: false, absoluteSeq: false, quiet: false, hex: 0, names: false };
  // packets of each time kind (by TIME_KINDS index), and the kinds in the order first seen
  const counts = [0, 0, 0, 0, 0];
  const order: number[] = [];
  let nano = 0;
  let timed = 0;
  let namesSeen: Endpoints | null = null;
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i];
    const tk = p.timeKind;
    const kc = timeKindCode(tk);
    if (counts[kc]++ === 0) order.push(kc);
    if (tk !== 'none') {
      timed++;
      if (p.timeDigits === 9) nano++;
    }
    if (p.ip4 !== null || p.ip6 !== null || p.cksumState !== '') f.verbose = Math.max(f.verbose, 1);
    const fl = p.flags;
    if (fl >= 0 && (fl & (TH_SYN | TH_FIN | TH_RST)) === 0 && p.length === 0 && p.seq >= 0) f.verbose = 2;
    if (p.link !== null && p.link.frameLength >= 0) f.linkHeader = true;
    if (p.number >= 0) f.number = true;
    if (p.quietLength >= 0) f.quiet = true;
    if (p.hex !== null) {
      f.hex = Math.max(f.hex, 1);
      // -x lines end after at most 8 groups of 4 hex digits (49 columns); -X adds the ASCII column
      for (const h of p.hex) if (h.replace(/^\s+/, '\t').length > 50) f.hex = 3;
    }
    if (!f.names) {
      // once a flow (a packet's shared endpoints)
      const ep = endpointsOf(p);
      if (ep === null || ep !== namesSeen) {
        namesSeen = ep;
        if ((p.srcPortText !== '' && !isDigit(p.srcPortText.charCodeAt(0))) || (p.srcHost !== '' && !p.numericHosts)) f.names = true;
      }
    }
  }
  let best = 'time';
  let bestN = -1;
  for (const kc of order) if (kc !== 0 && counts[kc] > bestN) {
    best = TIME_KINDS[kc];
    bestN = counts[kc];
  }
  if (timed === 0) f.timeFormat = 1;
  else if (best === 'epoch') f.timeFormat = 2;
  else if (best === 'date') f.timeFormat = 4;
  else if (best === 'delta') {
    // -ttttt (since the first packet) never decreases; -ttt (since the previous one) does, mostly
    let mono = true;
    let prev = -Infinity;
    let seen = 0;
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i];
      if (p.timeKind !== 'delta') continue;
      seen++;
      if (p.relSec < prev) {
        mono = false;
        break;
      }
      prev = p.relSec;
    }
    f.timeFormat = mono && seen >= 3 ? 5 : 3;
  } else f.timeFormat = 0;
  f.nano = nano > 0 && nano * 2 >= timed;
  return f;
}

/**
 * The spans of one packet, found by reading its line(s) again (for logs parsed without spans):
 * what hovers and the editor ask for one packet at a time.
 */
export function packetSpans(p: TextPacket): Int32Array {
  if (p.spans !== null) return p.spans;
  const again = parseTcpdumpText(p.text, { spans: true });
  const q = again.packets[0];
  const sp = q !== undefined && q.spans !== null ? q.spans.slice() : new Int32Array(0);
  for (let i = 1; i < sp.length; i += 4) sp[i] += p.line;
  p.spans = sp;
  return sp;
}
M.spanSource.get = packetSpans;
