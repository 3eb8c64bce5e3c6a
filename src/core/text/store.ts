/**
 * The packet store of a parse: the one place that knows its layout (struct of arrays, one row a
 * packet) and its "value + 1" convention. The packet view (`TextPacketImpl`), the fast path's row
 * writers, the engine's reader (`fillSegment`) and rebuild.ts's columns (`viaStore`) all live
 * here, so no other file indexes the arrays.
 */

import * as M from './model';
import type { TextPacket } from './model';
import { tcpFlagString } from '../decode/tcp';
import { REL_INFERRED, REL_RELATIVE, newTcpColumns } from './rebuild';
import type { TcpColumnsIO } from './rebuild';
import type { SegmentInput } from '../tcp/types';

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
export const NO_ENDPOINTS: Endpoints = { srcHost: '', dstHost: '', srcPortText: '', dstPortText: '', sport: -1, dport: -1, numericHosts: false, ks: -1, kd: -1, srcLen: 0, conv: -1, dir: 0, flow: '', srcNum: NaN, dstNum: NaN, id: 0 };

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

export const TIME_KINDS: M.TimeKind[] = ['none', 'time', 'epoch', 'delta', 'date'];
export function timeKindCode(k: M.TimeKind): number {
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

export class PacketStore {
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

  // Row writers of the fast path (fast.ts): what the packet's setters store, on a zero row, in
  // fewer steps (no packet view, no string codes to look up).

  /** timeKind 'time' with its digits, tsSec/tsNsec, and timeStart 0 … timeEnd. */
  setTimeOfDay(row: number, digits: number, sec: number, nsec: number, timeEnd: number): void {
    this.b[row * NB + B_TIME_KIND] = 1; // 'time'
    this.b[row * NB + B_TIME_DIGITS] = digits;
    this.d[row * ND + D_TS_SEC] = sec;
    this.d[row * ND + D_TS_NSEC] = nsec;
    this.n[row * NI + I_TIME_END] = timeEnd;
  }
  /** proto 'IP', ipVersion 4. */
  setIPv4(row: number): void {
    this.b[row * NB + B_PROTO] = 1; // 'IP'
    this.b[row * NB + B_IP_VERSION] = 4;
  }
  /** l4 'tcp'. */
  setTcp(row: number): void {
    this.b[row * NB + B_L4] = 1; // 'tcp'
  }
  /** flags, and flagsText as tcpFlagString(flags) (what setFlagsPrinted does). */
  setFlagsPrinted(row: number, flags: number): void {
    this.n[row * NI + I_FLAGS] = flags + 1;
    this.b[row * NB + B_FLAGS_TEXT] = 1;
  }
  setSeq(row: number, v: number): void { this.d[row * ND + D_SEQ] = v + 1; }
  setSeqEnd(row: number, v: number): void { this.d[row * ND + D_SEQ_END] = v + 1; }
  setAck(row: number, v: number): void { this.d[row * ND + D_ACK] = v + 1; }
  setWin(row: number, v: number): void { this.setInt(row * NI + I_WIN, v + 1); }
  setLength(row: number, v: number): void { this.setInt(row * NI + I_LENGTH, v + 1); }
  /** tsVal/tsEcr of a "TS val A ecr B" option. */
  setTimestamps(row: number, val: number, ecr: number): void {
    this.d[row * ND + D_TS_VAL] = val + 1;
    this.d[row * ND + D_TS_ECR] = ecr + 1;
  }
  /** optStart/optEnd (offsets in the packet's text). */
  setOptRange(row: number, a: number, b: number): void {
    this.n[row * NI + I_OPT_START] = a + 1;
    this.n[row * NI + I_OPT_END] = b + 1;
  }
}

/*
 * Rows start as zeros (a fresh store, or `reset`): numbers whose "not shown" value is -1 are kept
 * as value + 1 (seq, ack, win, …), so a fresh row reads as a packet with nothing shown.
 */
export class TextPacketImpl implements TextPacket {
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
export function newPacket(st: PacketStore, index: number, line: number): TextPacketImpl {
  return new TextPacketImpl(st, index, line);
}

/** A packet on a row a failed attempt may have written. */
export function retryPacket(st: PacketStore, index: number, line: number): TextPacketImpl {
  st.reset(index);
  return new TextPacketImpl(st, index, line);
}

/** rebuild.ts's TCP columns read and written straight from the store (a parse's packets share it; row = index). */
export const viaStore: TcpColumnsIO = {
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

