/**
 * Evaluates a parsed filter over per-packet columns (typed arrays kept by the capture index).
 * Pure TypeScript.
 *
 * A filter is compiled once into a tree of closures over packet indices. Our syntax and the
 * Wireshark fields the index keeps (addresses, ports, TCP flags, lengths, times: FieldSpec.src
 * 'index') or the TCP engine keeps (stream, relative numbers, analysis flags: 'engine') are read
 * from typed arrays without decoding anything and without allocating per packet. Only a Wireshark
 * field the index does not keep (ip.ttl, eth.src, tcp.len, frame contains …) makes the evaluator
 * decode the frame (FilterColumns.frameInto), once per packet whatever the number of such fields,
 * with a FieldSink that keeps only the fields the filter names.
 *
 * Longer than our 600-line guide: the two syntaxes compile to one closure tree and share the
 * occurrence rules (any/all, ==/!=) and the frame access; splitting them would split those rules.
 */
import { decodeFrame } from '../decode/index';
import type { FieldSink } from '../decode/fields';
import { DecodedPacket } from '../decode/packet';
import { emptyResult, type PacketResult } from '../tcp/types';
import type { DnsPair } from '../decode/app/dnsMatch';
import { ANALYSIS_FIELDS, type FieldDef } from './fields';
import { FilterSyntaxError, tryParseFilter, type Address, type CmpOp, type FilterNode, type Literal } from './parse';

/** Protocol classes kept per packet (bits 12..15 of the kind word). */
export const PC_OTHER = 0;
export const PC_TCP4 = 1;
export const PC_TCP6 = 2;
export const PC_UDP4 = 3;
export const PC_UDP6 = 4;
export const PC_ICMP = 5;
export const PC_ICMP6 = 6;
export const PC_ARP = 7;
/** IPv4 / IPv6 with another (or no decoded) upper layer, fragments included. */
export const PC_IP4 = 8;
export const PC_IP6 = 9;

/** The packed per-packet kind word: TCP flags (TH_* bits, AE included) in bits 0..8. */
export const KIND_FLAGS = 0x1ff;
/** The packet is truncated or malformed. */
export const KIND_BAD = 0x200;
/** Bits 10..11: how the record's frame sits in its block (used by the reader, not by filters). */
export const KIND_HDR_SHIFT = 10;
export const KIND_PROTO_SHIFT = 12;

export interface FilterColumns {
  /** Packets that can be evaluated (indices 0 .. count-1). */
  readonly count: number;
  readonly kind: Uint16Array;
  readonly sport: Uint16Array;
  readonly dport: Uint16Array;
  /** Address ids (0 = none), as given by addressId. */
  readonly src: Uint16Array | Uint32Array;
  readonly dst: Uint16Array | Uint32Array;
  /** Id of an address in the table, or -1 when no packet has it. */
  addressId(a: Address): number;
  /** TCP stream of a packet, -1 when it is not a TCP segment. */
  stream(i: number): number;
  /** Analysis flags or a connection problem. */
  problem(i: number): boolean;

  // ---- optional: what the Wireshark syntax needs beyond our own (a filter naming a field whose
  // source is missing fails to compile with an error at the field, it never silently matches nothing)
  /** Length on the wire and captured length (frame.len, frame.cap_len). */
  origLen?(i: number): number;
  caplen?(i: number): number;
  /**
   * Seconds since the first packet (frame.time_relative, frame.time_delta): computed as
   * (sec(i) - sec(0)) + (nsec(i) - nsec(0)) / 1e9 so that nanoseconds survive (an epoch time in a
   * double keeps only ~0.2 µs).
   */
  relTime?(i: number): number;
  /** The TCP engine's result for packet i (TcpEngine.resultInto); false when it is not a TCP segment. */
  tcpResult?(i: number, out: PacketResult): boolean;
  /**
   * False when tcpResult's relSeq, relAck and winScaled are not kept (an engine made with
   * keepSeqAck: false reports 0 for them): tcp.seq, tcp.ack and tcp.window_size are then refused
   * with an error at the field rather than matching on zeros. Absent = kept.
   */
  readonly seqAckKept?: boolean;
  /** The address with id `id` (the inverse of addressId): CIDR and ordered comparisons of ip.addr & co. */
  addressOf?(id: number): Address | undefined;
  /** Packet i's frame into `out` (reused by the caller); false when it cannot be read. For fields the index lacks. */
  frameInto?(i: number, out: FrameRef): boolean;
  /** DNS query → response pairing of packet i (dns.time, dns.response_in, dns.response_to); undefined when none. */
  dnsPair?(i: number): DnsPair | undefined;
}

/** A frame as the decoders take it. */
export interface FrameRef {
  data: Uint8Array;
  origLen: number;
  linkType: number;
}

export type Predicate = (i: number) => boolean;

function protoOf(c: FilterColumns, i: number): number {
  return c.kind[i] >>> KIND_PROTO_SHIFT;
}

function hasPorts(p: number): boolean {
  return p >= PC_TCP4 && p <= PC_UDP6;
}

/**
 * Compile a filter into a predicate over packet indices of `cols` (re-read on every call, so columns
 * may grow). Throws FilterSyntaxError (at the field) when the filter names a field `cols` cannot give.
 */
export function compileFilter(node: FilterNode, cols: FilterColumns): Predicate {
  return compileNode(node, cols, new Decoder(cols));
}

/** compileFilter, and whether the predicate reads frames (µs a packet instead of ns: worth evaluating in slices). */
export function compileFilterInfo(node: FilterNode, cols: FilterColumns): { match: Predicate; decodes: boolean } {
  const dec = new Decoder(cols);
  const match = compileNode(node, cols, dec);
  return { match, decodes: dec.used };
}

/**
 * The id of an address, re-asked while it is unknown and the columns have grown: a filter compiled
 * while the capture is being indexed must match an address first seen later.
 */
function lazyId(cols: FilterColumns, a: Address): () => number {
  let id = cols.addressId(a);
  let seen = cols.count;
  return () => {
    if (id <= 0 && cols.count !== seen) {
      seen = cols.count;
      id = cols.addressId(a);
    }
    return id;
  };
}

function compileNode(node: FilterNode, cols: FilterColumns, dec: Decoder): Predicate {
  const compileFilter = (n: FilterNode, c: FilterColumns): Predicate => compileNode(n, c, dec);
  switch (node.k) {
    case 'all':
      return () => true;
    case 'and': {
      const a = compileFilter(node.a, cols);
      const b = compileFilter(node.b, cols);
      return (i) => a(i) && b(i);
    }
    case 'or': {
      const a = compileFilter(node.a, cols);
      const b = compileFilter(node.b, cols);
      return (i) => a(i) || b(i);
    }
    case 'not': {
      const a = compileFilter(node.a, cols);
      return (i) => !a(i);
    }
    case 'host': {
      const id = lazyId(cols, node.addr);
      if (node.dir === 'src') return (i) => cols.src[i] === id();
      if (node.dir === 'dst') return (i) => cols.dst[i] === id();
      return (i) => {
        const v = id();
        return v > 0 && (cols.src[i] === v || cols.dst[i] === v);
      };
    }
    case 'port': {
      const p = node.port;
      if (node.dir === 'src') return (i) => hasPorts(protoOf(cols, i)) && cols.sport[i] === p;
      if (node.dir === 'dst') return (i) => hasPorts(protoOf(cols, i)) && cols.dport[i] === p;
      return (i) => hasPorts(protoOf(cols, i)) && (cols.sport[i] === p || cols.dport[i] === p);
    }
    case 'proto':
      switch (node.proto) {
        case 'tcp':
          return (i) => {
            const p = protoOf(cols, i);
            return p === PC_TCP4 || p === PC_TCP6;
          };
        case 'udp':
          return (i) => {
            const p = protoOf(cols, i);
            return p === PC_UDP4 || p === PC_UDP6;
          };
        case 'icmp':
          return (i) => protoOf(cols, i) === PC_ICMP;
        case 'icmp6':
          return (i) => protoOf(cols, i) === PC_ICMP6;
        case 'arp':
          return (i) => protoOf(cols, i) === PC_ARP;
        case 'ip':
          return (i) => {
            const p = protoOf(cols, i);
            return p === PC_TCP4 || p === PC_UDP4 || p === PC_ICMP || p === PC_IP4;
          };
        case 'ip6':
          return (i) => {
            const p = protoOf(cols, i);
            return p === PC_TCP6 || p === PC_UDP6 || p === PC_ICMP6 || p === PC_IP6;
          };
      }
      return () => false;
    case 'stream': {
      const s = node.stream;
      return (i) => cols.stream(i) === s;
    }
    case 'flags': {
      const m = node.mask;
      if (m === 0) {
        // "flags none": TCP segments with no flag at all
        return (i) => {
          const p = protoOf(cols, i);
          return (p === PC_TCP4 || p === PC_TCP6) && (cols.kind[i] & KIND_FLAGS) === 0;
        };
      }
      return (i) => (cols.kind[i] & m) === m;
    }
    case 'problem':
      return (i) => cols.problem(i);
    case 'field': {
      // presence needs no value: address ids suffice
      const acc = accessor(node.field, false, cols, dec, node.at, true);
      return (i) => acc.load(i) > 0;
    }
    case 'cmp':
      return compileCmp(node.field, node.op, node.value, cols, dec, node.at);
    case 'in': {
      const needBytes = node.values.some((v) => v.t !== 'num');
      const exact = node.values.every(
        (v) => (v.t === 'v4' && v.bits === 32) || (v.t === 'v6' && v.bits === 128) || v.t === 'num',
      );
      const acc = accessor(node.field, needBytes, cols, dec, node.at, exact);
      const tests = node.values.map((v) => elemTest(acc, '==', v));
      return (i) => {
        const n = acc.load(i);
        for (let k = 0; k < n; k++) for (let t = 0; t < tests.length; t++) if (tests[t](k)) return true;
        return false;
      };
    }
    case 'cmp2': {
      const a = accessor(node.field, false, cols, dec, node.at);
      const b = accessor(node.other, false, cols, dec, node.at2);
      return compilePairs(a, b, node.op);
    }
    case 'bits': {
      const acc = accessor(node.field, false, cols, dec, node.at);
      const m = node.mask;
      return (i) => {
        const n = acc.load(i);
        // masks up to 32 bits: the fields tested this way are at most 32 bits wide
        for (let k = 0; k < n; k++) if ((acc.num[k] & m) !== 0) return true;
        return false;
      };
    }
  }
}

// -------------------------------------------------------------------------------------------------
// Wireshark terms

/**
 * Where a field's occurrences are read, for one packet at a time: `load(i)` fills the first n
 * entries (n returned) of typed arrays owned by the accessor — numbers (integers, booleans 0/1,
 * seconds, IPv4 addresses as 32-bit numbers or, see addrIds, address ids), byte ranges
 * (buf/off/len: addresses, bytes, protocols) and strings.
 */
class Acc {
  num = new Float64Array(4);
  off = new Int32Array(4);
  len = new Int32Array(4);
  buf: Uint8Array[] = [];
  str: string[] = [];
  n = 0;
  /** Numbers are address ids (compare with ids of the literals: exact addresses only). */
  addrIds = false;
  constructor(
    readonly field: FieldDef,
    readonly cols: FilterColumns,
    public load: (i: number) => number,
  ) {}
  /** Room for one more occurrence (grows by doubling: no allocation once a packet's count was seen). */
  room(): void {
    if (this.n < this.num.length) return;
    const grow = <T extends Float64Array | Int32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.num = grow(this.num, new Float64Array(this.num.length * 2));
    this.off = grow(this.off, new Int32Array(this.off.length * 2));
    this.len = grow(this.len, new Int32Array(this.len.length * 2));
  }
  push(num: number, buf: Uint8Array | null, off: number, len: number, str: string | null): void {
    this.room();
    const k = this.n++;
    this.num[k] = num;
    this.off[k] = off;
    this.len[k] = len;
    if (buf !== null) this.buf[k] = buf;
    if (str !== null) this.str[k] = str;
  }
}

const PROTO_CLASSES: Record<string, readonly number[]> = {
  tcp: [PC_TCP4, PC_TCP6],
  udp: [PC_UDP4, PC_UDP6],
  ip: [PC_TCP4, PC_UDP4, PC_ICMP, PC_IP4],
  ipv6: [PC_TCP6, PC_UDP6, PC_ICMP6, PC_IP6],
  icmp: [PC_ICMP],
  icmpv6: [PC_ICMP6],
  arp: [PC_ARP],
};

/** TCP flag fields and their TH_* bits (the index keeps bits 0..8 of the flags word). */
const FLAG_BITS: Record<string, number> = {
  'tcp.flags.fin': 0x01,
  'tcp.flags.syn': 0x02,
  'tcp.flags.reset': 0x04,
  'tcp.flags.push': 0x08,
  'tcp.flags.ack': 0x10,
  'tcp.flags.urg': 0x20,
  'tcp.flags.ece': 0x40,
  'tcp.flags.cwr': 0x80,
  'tcp.flags.ae': 0x100,
};

function classMask(list: readonly number[]): number {
  let m = 0;
  for (const c of list) m |= 1 << c;
  return m;
}

function missing(field: FieldDef, at: number, what: string): never {
  throw new FilterSyntaxError(`${field.name} cannot be evaluated here: ${what}`, at);
}

/**
 * The accessor of `field` over `cols`: from the index or the engine when they keep it (and
 * `needBytes` is false: contains/matches on a protocol read its bytes), else from decoded frames.
 * `exactAddr`: the comparison needs only address equality (ids suffice without addressOf).
 */
function accessor(
  field: FieldDef,
  needBytes: boolean,
  cols: FilterColumns,
  dec: Decoder,
  at: number,
  exactAddr = false,
): Acc {
  const name = field.name;
  const acc = new Acc(field, cols, () => 0);
  const cls = (i: number): number => cols.kind[i] >>> KIND_PROTO_SHIFT;
  if (!needBytes && field.src !== 'decode') {
    // ---- protocols
    if (name === 'frame') {
      acc.push(0, null, 0, 0, null);
      acc.load = () => 1;
      return acc;
    }
    const pcs = PROTO_CLASSES[name];
    if (pcs) {
      const m = classMask(pcs);
      acc.load = (i) => (m >>> cls(i)) & 1;
      return acc;
    }
    // ---- frame
    if (name === 'frame.number') {
      acc.load = (i) => ((acc.num[0] = i + 1), 1);
      return acc;
    }
    if (name === 'frame.len' || name === 'frame.cap_len') {
      const f = name === 'frame.len' ? cols.origLen : cols.caplen;
      if (!f) missing(field, at, 'the index does not give frame lengths');
      acc.load = (i) => ((acc.num[0] = f.call(cols, i)), 1);
      return acc;
    }
    if (name === 'frame.time_relative' || name === 'frame.time_delta') {
      const t = cols.relTime;
      if (!t) missing(field, at, 'the index does not give time stamps');
      acc.load =
        name === 'frame.time_relative'
          ? (i) => ((acc.num[0] = t.call(cols, i)), 1)
          : (i) => ((acc.num[0] = i === 0 ? 0 : t.call(cols, i) - t.call(cols, i - 1)), 1);
      return acc;
    }
    // ---- ports and flags
    const dot = name.indexOf('.');
    const proto = name.slice(0, dot);
    const leaf = name.slice(dot + 1);
    if ((proto === 'tcp' || proto === 'udp') && (leaf === 'srcport' || leaf === 'dstport' || leaf === 'port')) {
      const m = classMask(PROTO_CLASSES[proto]);
      acc.load = (i) => {
        if (((m >>> cls(i)) & 1) === 0) return 0;
        if (leaf === 'dstport') acc.num[0] = cols.dport[i];
        else {
          acc.num[0] = cols.sport[i];
          acc.num[1] = cols.dport[i];
        }
        return leaf === 'port' ? 2 : 1;
      };
      return acc;
    }
    const tcpMask = classMask(PROTO_CLASSES.tcp);
    if (name === 'tcp.flags' || FLAG_BITS[name] !== undefined) {
      const bit = FLAG_BITS[name] ?? 0;
      acc.load = (i) => {
        if (((tcpMask >>> cls(i)) & 1) === 0) return 0;
        const f = cols.kind[i] & KIND_FLAGS;
        acc.num[0] = bit === 0 ? f : (f & bit) !== 0 ? 1 : 0;
        return 1;
      };
      return acc;
    }
    // ---- addresses
    if (field.type === 'ipv4' || field.type === 'ipv6') {
      const m = classMask(PROTO_CLASSES[proto]);
      const which = leaf === 'src' ? 1 : leaf === 'dst' ? 2 : 3;
      const addressOf = cols.addressOf;
      if (addressOf || exactAddr) {
        const v6 = field.type === 'ipv6';
        // per-id values, resolved once per address (ids are few: one per distinct address)
        let cache: Float64Array = new Float64Array(0);
        const bufs: Uint8Array[] = [];
        const put = (id: number): void => {
          if (!addressOf) {
            acc.push(id, null, 0, 0, null);
            return;
          }
          if (id >= cache.length) {
            const c = new Float64Array(Math.max(64, id * 2)).fill(NaN);
            c.set(cache);
            cache = c;
          }
          if (Number.isNaN(cache[id])) {
            const a = addressOf.call(cols, id);
            cache[id] = a === undefined ? -1 : a.family === 4 ? a.v4 : 0;
            if (a !== undefined && a.family === 6) bufs[id] = a.v6;
          }
          if (v6) acc.push(0, bufs[id] ?? EMPTY, 0, bufs[id] ? 16 : 0, null);
          else acc.push(cache[id], null, 0, 4, null);
        };
        if (!addressOf) acc.addrIds = true;
        acc.load = (i) => {
          acc.n = 0;
          if (((m >>> cls(i)) & 1) === 0) return 0;
          const s = cols.src[i];
          const d = cols.dst[i];
          if (which & 1 && s > 0) put(s);
          if (which & 2 && d > 0) put(d);
          return acc.n;
        };
        return acc;
      }
      // CIDR or ordering without addressOf: read the addresses from the frame
    }
    // ---- DNS pairs (the whole capture's: src/core/decode/app/dnsMatch.ts)
    if (field.src === 'dns') {
      const dp = cols.dnsPair;
      if (!dp) missing(field, at, 'DNS queries and responses are not paired in this view');
      acc.load = (i) => {
        const p = dp.call(cols, i);
        const v = p === undefined ? undefined : name === 'dns.time' ? (p.timeNs !== undefined ? p.timeNs / 1e9 : undefined) : name === 'dns.response_in' ? (p.responseIn !== undefined ? p.responseIn + 1 : undefined) : p.responseTo !== undefined ? p.responseTo + 1 : undefined;
        if (v === undefined) return 0;
        acc.num[0] = v;
        return 1;
      };
      return acc;
    }
    // ---- the engine
    if (field.src === 'engine') {
      const tr = cols.tcpResult;
      if (name === 'tcp.stream' && !tr) {
        acc.load = (i) => {
          const s = cols.stream(i);
          acc.num[0] = s;
          return s >= 0 ? 1 : 0;
        };
        return acc;
      }
      if (!tr) missing(field, at, 'the TCP analysis results are not available');
      if (cols.seqAckKept === false && (name === 'tcp.seq' || name === 'tcp.ack' || name === 'tcp.window_size')) {
        const raw = name === 'tcp.window_size' ? 'tcp.window_size_value' : name + '_raw';
        missing(field, at, `relative numbers and scaled windows are not kept per packet in this view; use ${raw}`);
      }
      const r = emptyResult();
      const get = engineGetter(name);
      if (!get) missing(field, at, 'no reader for this engine field');
      acc.load = (i) => {
        if (!tr.call(cols, i, r)) return 0;
        const v = get(r);
        if (v === null) return 0;
        acc.num[0] = v;
        return 1;
      };
      return acc;
    }
  }
  if (!cols.frameInto) missing(field, at, 'it needs the decoded frame, which this index cannot read');
  return dec.want(acc);
}

const EMPTY = new Uint8Array(0);

/** Engine fields: value from a PacketResult, null when absent. */
function engineGetter(name: string): ((r: PacketResult) => number | null) | undefined {
  if (name === 'tcp.stream') return (r) => r.stream;
  if (name === 'tcp.seq') return (r) => r.relSeq;
  if (name === 'tcp.ack') return (r) => r.relAck;
  if (name === 'tcp.window_size') return (r) => r.winScaled;
  if (name === 'tcp.analysis.flags') return (r) => (r.analysis !== 0 ? 1 : null);
  if (name === 'tcp.analysis.duplicate_ack_num') return (r) => (r.dupAckNum > 0 ? r.dupAckNum : null);
  // frame numbers are 1-based
  if (name === 'tcp.analysis.duplicate_ack_frame') return (r) => (r.dupAckNum > 0 ? r.dupAckOf + 1 : null);
  const k = ANALYSIS_FIELDS.findIndex(([f]) => 'tcp.analysis.' + f === name);
  if (k < 0) return undefined;
  const bit = 1 << k;
  return (r) => ((r.analysis & bit) !== 0 ? 1 : null);
}

/**
 * Decodes frames for the fields the index lacks: one DecodedPacket and one sink for the whole
 * filter, each packet decoded at most once however many such fields the filter names.
 */
class Decoder implements FieldSink {
  private readonly pkt = new DecodedPacket();
  private readonly frame: FrameRef = { data: EMPTY, origLen: 0, linkType: 1 };
  private readonly byName = new Map<string, Acc[]>();
  private readonly readers: Acc[] = [];
  /** "frame" (contains/matches): the whole captured frame. */
  private readonly frames: Acc[] = [];
  private readonly all: Acc[] = [];
  private last = -1;
  private ok = false;

  constructor(private readonly cols: FilterColumns) {}

  /** Some field of the filter is read from frames. */
  get used(): boolean {
    return this.all.length > 0;
  }

  want(acc: Acc): Acc {
    this.all.push(acc);
    if (acc.field.name === 'frame') this.frames.push(acc);
    else if (acc.field.read) this.readers.push(acc);
    else
      for (const n of acc.field.from) {
        const list = this.byName.get(n);
        if (list) list.push(acc);
        else this.byName.set(n, [acc]);
      }
    acc.load = (i) => {
      this.decode(i);
      return acc.n;
    };
    return acc;
  }

  private decode(i: number): void {
    if (i === this.last) return;
    this.last = i;
    for (const a of this.all) a.n = 0;
    this.ok = this.cols.frameInto!(i, this.frame);
    if (!this.ok) return;
    const f = this.frame;
    for (const a of this.frames) a.push(1, f.data, 0, f.data.length, null);
    // "frame" needs no decoding; fields read from the decoded packet (tcp.len) need no sink, which
    // is the decoders' fast path (with a sink they also build labels and display strings: about
    // 5x slower: ~2 µs against ~11 µs a packet for "tcp.len > 0" on the generated capture, loaded machine)
    if (this.byName.size === 0 && this.readers.length === 0) return;
    decodeFrame(this.pkt, f.data, f.origLen, f.linkType, this.byName.size > 0 ? this : null);
    for (const a of this.readers) {
      const v = a.field.read!(this.pkt);
      if (v !== null) a.push(v, null, 0, 0, null);
    }
  }

  open(name: string, _label: string, offset: number): void {
    const list = this.byName.get(name);
    if (!list) return;
    // a protocol's bytes run from its start to the end of the frame (what "tcp contains" searches)
    const d = this.pkt.data;
    for (const a of list) a.push(1, d, offset, Math.max(0, d.length - offset), null);
  }

  field(name: string, _label: string, offset: number, length: number, value: string | number | boolean | null): void {
    const list = this.byName.get(name);
    if (!list) return;
    const d = this.pkt.data;
    for (const a of list) {
      const t = a.field.type;
      let num = typeof value === 'number' ? value : value === true ? 1 : 0;
      if (t === 'ipv4') {
        if (length !== 4 || offset + 4 > d.length) continue;
        num = ((d[offset] << 24) >>> 0) + (d[offset + 1] << 16) + (d[offset + 2] << 8) + d[offset + 3];
      }
      const inFrame = offset >= 0 && offset + length <= d.length;
      a.push(
        num,
        inFrame ? d : EMPTY,
        inFrame ? offset : 0,
        inFrame ? length : 0,
        typeof value === 'string' ? value : null,
      );
    }
  }

  close(): void {}
  note(): void {}
}

/** Compare bytes a[ao, ao+al) with b: < 0, 0, > 0 (lexicographic, shorter first on a tie). */
function cmpBytes(a: Uint8Array, ao: number, al: number, b: Uint8Array): number {
  const n = Math.min(al, b.length);
  for (let k = 0; k < n; k++) {
    const d = a[ao + k] - b[k];
    if (d !== 0) return d;
  }
  return al - b.length;
}

function containsBytes(a: Uint8Array, ao: number, al: number, b: Uint8Array): boolean {
  const n = b.length;
  if (n === 0) return true;
  // naive search: O(len × pattern), the pattern being a typed literal (a few bytes)
  const first = b[0];
  for (let k = ao, end = ao + al - n; k <= end; k++) {
    if (a[k] !== first) continue;
    let j = 1;
    while (j < n && a[k + j] === b[j]) j++;
    if (j === n) return true;
  }
  return false;
}

function cmpResult(op: CmpOp, c: number): boolean {
  switch (op) {
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    default:
      return c === 0;
  }
}

/** An IPv6 prefix test: the first `bits` bits of a[ao..] equal those of p. */
function prefixEq(a: Uint8Array, ao: number, al: number, p: Uint8Array, bits: number): boolean {
  if (al < 16) return false;
  const full = bits >> 3;
  for (let k = 0; k < full; k++) if (a[ao + k] !== p[k]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return (a[ao + full] & m) === (p[full] & m);
}

/** A test of occurrence k of `acc` against one literal with an operator other than !=, ~=, ===. */
function elemTest(acc: Acc, op: CmpOp, v: Literal): (k: number) => boolean {
  switch (v.t) {
    case 'num': {
      const lo = v.n;
      const hi = v.hi;
      if (op === '==') return (k) => acc.num[k] >= lo && acc.num[k] <= hi;
      return (k) => cmpResult(op, acc.num[k] < lo ? -1 : acc.num[k] > lo ? 1 : 0);
    }
    case 'v4': {
      if (acc.addrIds) {
        const id = lazyId(acc.cols, { family: 4, v4: v.addr, text: v.text });
        return (k) => acc.num[k] === id();
      }
      const size = 2 ** (32 - v.bits);
      const lo = Math.floor(v.addr / size) * size;
      const hi = lo + size - 1;
      if (op === '==') return (k) => acc.num[k] >= lo && acc.num[k] <= hi;
      return (k) => cmpResult(op, acc.num[k] < lo ? -1 : acc.num[k] > hi ? 1 : 0);
    }
    case 'v6': {
      if (acc.addrIds) {
        const id = lazyId(acc.cols, { family: 6, v6: v.addr, text: v.text });
        return (k) => acc.num[k] === id();
      }
      if (op === '==') return (k) => prefixEq(acc.buf[k], acc.off[k], acc.len[k], v.addr, v.bits);
      return (k) => acc.len[k] === 16 && cmpResult(op, cmpBytes(acc.buf[k], acc.off[k], 16, v.addr));
    }
    case 'bytes': {
      const b = v.b;
      if (op === 'contains') return (k) => containsBytes(acc.buf[k], acc.off[k], acc.len[k], b);
      return (k) => cmpResult(op, cmpBytes(acc.buf[k], acc.off[k], acc.len[k], b));
    }
    case 'str': {
      const s = v.s;
      if (op === 'contains') return (k) => acc.str[k] !== undefined && acc.str[k].includes(s);
      return (k) => acc.str[k] !== undefined && cmpResult(op, acc.str[k] < s ? -1 : acc.str[k] > s ? 1 : 0);
    }
    case 'regex': {
      const re = v.re;
      if (acc.field.type === 'string') return (k) => acc.str[k] !== undefined && re.testString(acc.str[k]);
      return (k) => re.testBytes(acc.buf[k], acc.off[k], acc.off[k] + acc.len[k]);
    }
  }
}

/** Two fields compared, as Wireshark does: any pair of occurrences ("!=": none equal; "===": all equal). */
function compilePairs(a: Acc, b: Acc, op: CmpOp): Predicate {
  const pair = (x: number, y: number): boolean =>
    cmpResult(op === '!=' || op === '~=' || op === '===' ? '==' : op, x < y ? -1 : x > y ? 1 : 0);
  return (i) => {
    const n = a.load(i);
    const m = b.load(i);
    if (n === 0 || m === 0) return false;
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < m; j++) {
        const eq = pair(a.num[k], b.num[j]);
        if (op === '!=' && eq) return false;
        if (op === '===' && !eq) return false;
        if (op === '~=' && !eq) return true;
        if (op !== '!=' && op !== '===' && op !== '~=' && eq) return true;
      }
    }
    return op === '!=' || op === '===';
  };
}

function compileCmp(field: FieldDef, op: CmpOp, v: Literal, cols: FilterColumns, dec: Decoder, at: number): Predicate {
  const exactAddr =
    ((v.t === 'v4' && v.bits === 32) || (v.t === 'v6' && v.bits === 128)) &&
    (op === '==' || op === '!=' || op === '===' || op === '~=');
  const needBytes = v.t === 'bytes' || v.t === 'regex' || v.t === 'str';
  const acc = accessor(field, needBytes, cols, dec, at, exactAddr);
  const eqOp = op === '!=' || op === '===' || op === '~=' ? '==' : op;
  const t = elemTest(acc, eqOp, v);
  switch (op) {
    case '!=':
      // Wireshark 4: present, and no occurrence equals ("ip.addr != X" = neither address is X)
      return (i) => {
        const n = acc.load(i);
        for (let k = 0; k < n; k++) if (t(k)) return false;
        return n > 0;
      };
    case '~=':
      return (i) => {
        const n = acc.load(i);
        for (let k = 0; k < n; k++) if (!t(k)) return true;
        return false;
      };
    case '===':
      return (i) => {
        const n = acc.load(i);
        for (let k = 0; k < n; k++) if (!t(k)) return false;
        return n > 0;
      };
    default:
      return (i) => {
        const n = acc.load(i);
        for (let k = 0; k < n; k++) if (t(k)) return true;
        return false;
      };
  }
}

/**
 * Parse and compile in one step without throwing: what the capture index's `filter(expr)` needs
 * (a field its columns cannot give is an error at the field, like a syntax error).
 */
export function tryCompileFilter(
  expr: string,
  cols: FilterColumns,
): { ok: true; match: Predicate; decodes: boolean } | { ok: false; error: string; at: number } {
  const parsed = tryParseFilter(expr);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, ...compileFilterInfo(parsed.node, cols) };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, error: e.message, at: e.at };
    return { ok: false, error: e instanceof Error ? e.message : String(e), at: 0 };
  }
}
