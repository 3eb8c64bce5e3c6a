/**
 * The fuzzer's engine (no product code here): a seeded PRNG, the mutators (bytes and tcpdump
 * text), the oracles every target's output goes through, and `runInput`, which runs one input
 * through one target in-process and says what went wrong. scripts/fuzz.ts drives it under a
 * watchdog (worker threads); test/fuzz.test.ts drives it directly.
 */

// -------------------------------------------------------------------------------------------------
// Random numbers

/** A small seeded PRNG (mulberry32): the same seed gives the same inputs on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** 0 .. n-1 */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A size biased towards small values: 1 .. max, log-uniform. */
  size(max: number): number {
    return Math.max(1, Math.min(max, Math.floor(Math.exp(this.next() * Math.log(max + 1)))));
  }
}

/** FNV-1a of bytes: names saved inputs and seeds per-input choices (chunk splits) so a replay repeats them. */
export function hashBytes(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

export function hashString(s: string): number {
  return hashBytes(new TextEncoder().encode(s));
}

// -------------------------------------------------------------------------------------------------
// Targets and failures

export interface Target {
  name: string;
  /** What it mutates: capture bytes, or tcpdump text. */
  input: 'capture' | 'text';
  /** Also gzip-compressed captures (for what reads files: the capture editor unpacks them). */
  gzip?: boolean;
  /** One line for --list and the summary. */
  what: string;
  /** Runs one input; throws (an Error, or an OracleError from the Checker) when something is wrong. */
  run(input: Uint8Array, check: Checker): void | Promise<void>;
}

export type FailureKind = 'exception' | 'oracle' | 'hang' | 'memory' | 'crash';

export interface Failure {
  target: string;
  kind: FailureKind;
  /** First line of the message. */
  message: string;
  stack?: string;
  /** Same signature = same defect (kind, message with numbers blanked, innermost frame of our code). */
  signature: string;
}

/** A broken invariant found by a Checker (not an exception of the product code). */
export class OracleError extends Error {
  override name = 'OracleError';
  /** What the signature is made of when the message quotes the output (which varies from input to input). */
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message);
  }
}

/** Words that must never reach a user's screen unless the input itself contains them. */
const BAD_TEXT = /NaN|Infinity|undefined|\[object Object\]|\[printer error/;

/**
 * The oracles on what a target produced. Text is bad when it shows NaN, Infinity, `undefined`,
 * `[object Object]` or a caught printer error that the input does not itself contain (a payload
 * printed by -X may spell anything); numbers are bad when not finite.
 */
export class Checker {
  private inputText: string | undefined;
  /** Texts and values checked (the harness test uses it to see that a target produced something). */
  checked = 0;
  constructor(readonly input: Uint8Array) {}

  private source(): string {
    // latin1: every byte is one character, so a payload "NaN" is found whatever the encoding
    if (this.inputText === undefined) {
      let s = '';
      for (let i = 0; i < this.input.length; i += 8192) s += String.fromCharCode(...this.input.subarray(i, i + 8192));
      this.inputText = s;
    }
    return this.inputText;
  }

  text(label: string, s: unknown): void {
    this.checked++;
    if (typeof s !== 'string') throw new OracleError(`${label}: not a string (${typeof s})`);
    const m = BAD_TEXT.exec(s);
    if (m && !this.source().includes(m[0])) {
      const at = m.index;
      throw new OracleError(`${label} shows "${m[0]}": …${s.slice(Math.max(0, at - 60), at + 40).replace(/\n/g, '\\n')}…`, `${label} shows ${m[0]}`);
    }
  }

  number(label: string, v: unknown): void {
    this.checked++;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new OracleError(`${label} is ${String(v)}`);
  }

  /** Every string and number inside a value (objects, arrays; typed arrays are skipped), at most `limit` leaves. */
  value(label: string, v: unknown, limit = 20000): void {
    let left = limit;
    const seen = new Set<unknown>();
    const walk = (x: unknown, path: string): void => {
      if (left-- <= 0) return;
      if (typeof x === 'string') this.text(path, x);
      else if (typeof x === 'number') this.number(path, x);
      else if (x && typeof x === 'object') {
        if (seen.has(x) || ArrayBuffer.isView(x)) return;
        seen.add(x);
        if (Array.isArray(x)) x.forEach((e, i) => walk(e, `${path}[${i}]`));
        else if (x instanceof Map) for (const [k, e] of x) walk(e, `${path}.${String(k)}`);
        else for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], `${path}.${k}`);
      }
    };
    walk(v, label);
  }

  assert(ok: boolean, message: string): void {
    this.checked++;
    if (!ok) throw new OracleError(message);
  }
}

/** The signature of a failure: numbers and quoted text blanked, plus the innermost frame in src/. */
export function signatureOf(target: string, kind: FailureKind, message: string, stack?: string): string {
  const msg = message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/0x[0-9a-f]+/gi, 'N')
    .replace(/\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, 'N')
    .slice(0, 120);
  let frame = '';
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /(src[\\/][\w/\\.-]+\.ts):\d+/.exec(line);
    if (m) {
      const fn = /at (?:new )?([\w.$<>]+) /.exec(line);
      frame = `${m[1].replace(/\\/g, '/')}${fn ? ' ' + fn[1] : ''}`;
      break;
    }
  }
  return `${target}|${kind}|${msg}|${frame}`;
}

export function failureOf(target: string, err: unknown): Failure {
  const kind: FailureKind = err instanceof OracleError ? 'oracle' : 'exception';
  const e = err as { message?: unknown; stack?: unknown; name?: unknown } | null;
  const message = (e && typeof e.message === 'string' ? `${String(e.name ?? 'Error')}: ${e.message}` : String(err)).split('\n')[0].slice(0, 500);
  const stack = e && typeof e.stack === 'string' ? e.stack : undefined;
  const key = err instanceof OracleError && err.key !== undefined ? 'OracleError: ' + err.key : message;
  return { target, kind, message, stack, signature: signatureOf(target, kind, key, stack) };
}

/** Run one input through a target in this thread: null when all is well. */
export async function runInput(target: Target, input: Uint8Array): Promise<Failure | null> {
  try {
    await target.run(input, new Checker(input));
    return null;
  } catch (err) {
    return failureOf(target.name, err);
  }
}

// -------------------------------------------------------------------------------------------------
// Mutators: bytes

/** Inputs never grow beyond this (1 MiB): a mutation that would is cut back. */
export const MAX_INPUT = 1 << 20;

const I8 = [0, 1, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40, 0x0f, 0xf0];
const I16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0x00ff, 0x0100, 1500, 9000, 0xfffe];
const I32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x40000, 0x40001, 0x1000000, 0x1000001, 999_999_999, 1_000_000_000, 0xfffffffe, 16, 24, 28, 32];

function clampInput(b: Uint8Array): Uint8Array {
  return b.length > MAX_INPUT ? b.subarray(0, MAX_INPUT) : b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function put(b: Uint8Array, off: number, size: 1 | 2 | 4, v: number, le: boolean): void {
  if (off < 0 || off + size > b.length) return;
  for (let i = 0; i < size; i++) {
    const shift = le ? i * 8 : (size - 1 - i) * 8;
    b[off + i] = (v >>> shift) & 0xff;
  }
}

function get32(b: Uint8Array, off: number, le: boolean): number {
  if (off < 0 || off + 4 > b.length) return 0;
  return le ? (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0 : ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

/** A value for a length field: interesting constants, or the current value nudged, doubled, or the bytes left. */
function lengthValue(rng: Rng, current: number, left: number): number {
  switch (rng.int(6)) {
    case 0:
      return rng.pick(I32);
    case 1:
      return (current + rng.pick([1, -1, 2, -2, 4, -4, 8, -8])) >>> 0;
    case 2:
      return (current * 2) >>> 0;
    case 3:
      return Math.max(0, left) >>> 0;
    case 4:
      return (Math.max(0, left) + rng.pick([1, 4, -1, -4])) >>> 0;
    default:
      return rng.int(current + 64);
  }
}

export interface Block {
  /** Offset of the record header / block in the file. */
  off: number;
  /** Total length in the file (pcap: 16 + caplen). */
  len: number;
  le: boolean;
  /** 'pcap' record, or the pcapng block type. */
  type: number | 'pcap';
  /** Where the frame starts, -1 when the block holds none. */
  frame: number;
}

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xa1b23c4d]);

/** The records of a classic pcap or the blocks of a pcapng file, walked as far as they make sense (at most 20,000). */
export function blocksOf(b: Uint8Array): Block[] {
  const out: Block[] = [];
  const be = get32(b, 0, false);
  const leMagic = get32(b, 0, true);
  if (PCAP_MAGICS.has(be) || PCAP_MAGICS.has(leMagic)) {
    const le = PCAP_MAGICS.has(leMagic);
    for (let off = 24; off + 16 <= b.length && out.length < 20000; ) {
      const caplen = get32(b, off + 8, le);
      if (caplen > b.length) break;
      out.push({ off, len: 16 + caplen, le, type: 'pcap', frame: off + 16 });
      off += 16 + caplen;
    }
  } else if (be === 0x0a0d0d0a) {
    let le = true;
    for (let off = 0; off + 12 <= b.length && out.length < 20000; ) {
      if (get32(b, off, false) === 0x0a0d0d0a) le = get32(b, off + 8, true) === 0x1a2b3c4d;
      const type = get32(b, off, le);
      const len = get32(b, off + 4, le);
      if (len < 12 || off + len > b.length) break;
      out.push({ off, len, le, type, frame: type === 6 || type === 2 ? off + 28 : type === 3 ? off + 12 : -1 });
      off += len;
    }
  }
  return out;
}

/** Offsets of what look like IPv4/IPv6 headers (after an Ethernet type, or at a frame start). */
function ipHeaders(b: Uint8Array, blocks: Block[]): number[] {
  const out: number[] = [];
  for (const bl of blocks) if (bl.frame >= 0 && bl.frame < b.length && (b[bl.frame] >> 4 === 4 || b[bl.frame] >> 4 === 6)) out.push(bl.frame);
  for (let p = 2; p < b.length && out.length < 4000; p++) {
    if ((b[p - 2] === 0x08 && b[p - 1] === 0x00 && b[p] >> 4 === 4 && (b[p] & 15) >= 5) || (b[p - 2] === 0x86 && b[p - 1] === 0xdd && b[p] >> 4 === 6)) out.push(p);
  }
  return out;
}

/** Fiddle with a header length: pcap caplen/len/time, pcapng block lengths and EPB fields, IPv4/IPv6/TCP lengths and options. */
function fiddleHeader(rng: Rng, src: Uint8Array): Uint8Array {
  const b = src.slice();
  const blocks = blocksOf(b);
  const choice = rng.int(3);
  if (choice < 2 && blocks.length > 0) {
    const bl = rng.pick(blocks);
    const left = b.length - bl.off;
    if (bl.type === 'pcap') {
      const field = rng.pick([8, 8, 12, 12, 4, 0]); // caplen, len, usec, sec
      const v = field === 4 ? rng.pick([999_999, 1_000_000, 999_999_999, 1_000_000_000, 0xffffffff]) : field === 0 ? rng.pick(I32) : lengthValue(rng, get32(b, bl.off + field, bl.le), left - 16);
      put(b, bl.off + field, 4, v, bl.le);
    } else {
      // pcapng: block total length (front or back), EPB caplen/origlen/timestamps, an option length, an SHB section length
      const r = rng.int(6);
      if (r === 0) put(b, bl.off + 4, 4, lengthValue(rng, bl.len, left), bl.le);
      else if (r === 1) put(b, bl.off + bl.len - 4, 4, lengthValue(rng, bl.len, left), bl.le);
      else if (r === 2 && (bl.type === 6 || bl.type === 2)) put(b, bl.off + rng.pick([20, 24]), 4, lengthValue(rng, get32(b, bl.off + 20, bl.le), bl.len - 32), bl.le);
      else if (r === 3 && (bl.type === 6 || bl.type === 2)) put(b, bl.off + rng.pick([12, 16]), 4, rng.pick(I32), bl.le);
      else if (r === 4 && bl.type === 0x0a0d0d0a) put(b, bl.off + rng.pick([16, 20]), 4, rng.pick(I32), bl.le);
      else {
        // an option: somewhere after the fixed part, a 2-byte length
        const at = bl.off + 8 + 2 * rng.int(Math.max(1, (bl.len - 12) / 2));
        put(b, at + 2, 2, rng.chance(0.5) ? rng.pick(I16) : rng.int(64), bl.le);
        if (rng.chance(0.3)) put(b, at, 2, rng.pick([0, 1, 2, 3, 4, 9, 10, 11, 14, 15, 0x8000]), bl.le); // code (if_tsresol is 9)
      }
    }
    return b;
  }
  const ips = ipHeaders(b, blocks);
  if (ips.length === 0) return b;
  const p = rng.pick(ips);
  if (b[p] >> 4 === 4) {
    const ihl = (b[p] & 15) * 4;
    const tcp = p + ihl;
    switch (rng.int(7)) {
      case 0:
        b[p] = (b[p] & 0xf0) | rng.int(16);
        break;
      case 1:
        put(b, p + 2, 2, rng.chance(0.5) ? rng.pick(I16) : lengthValue(rng, (b[p + 2] << 8) | b[p + 3], 0) & 0xffff, false);
        break;
      case 2:
        put(b, p + 6, 2, rng.pick([0x2000, 0x4000, 0x1fff, 0x0001, 0x3fff, 0xffff]), false); // MF / DF / fragment offset
        break;
      case 3:
        if (p + 9 < b.length) b[p + 9] = rng.pick([6, 17, 1, 58, 0, 41, 47, 50, 132, 255]);
        break;
      case 4:
        if (tcp + 12 < b.length) b[tcp + 12] = (rng.int(16) << 4) | (b[tcp + 12] & 15); // TCP data offset
        break;
      case 5:
        if (tcp + 13 < b.length) b[tcp + 13] = rng.int(256); // TCP flags
        break;
      default: {
        // a TCP option's kind or length byte
        const at = tcp + 20 + rng.int(40);
        if (at < b.length) b[at] = rng.chance(0.5) ? rng.pick([0, 1, 2, 3, 4, 5, 8, 19, 28, 29, 30, 34, 254]) : rng.pick(I8.concat([2, 3, 6, 10, 18, 40]));
      }
    }
  } else {
    if (rng.chance(0.5)) put(b, p + 4, 2, rng.chance(0.5) ? rng.pick(I16) : rng.int(200), false);
    else if (p + 6 < b.length) b[p + 6] = rng.pick([0, 6, 17, 43, 44, 50, 51, 58, 59, 60, 135, 139, 140, 253]);
  }
  return b;
}

export type ByteMutator = (rng: Rng, b: Uint8Array, other: Uint8Array) => Uint8Array;

export const BYTE_MUTATORS: Record<string, ByteMutator> = {
  bitflip(rng, src) {
    if (src.length === 0) return src;
    const b = src.slice();
    for (let n = rng.size(8); n > 0; n--) b[rng.int(b.length)] ^= 1 << rng.int(8);
    return b;
  },
  interesting(rng, src) {
    if (src.length === 0) return src;
    const b = src.slice();
    const size = rng.pick([1, 1, 2, 4] as const);
    const v = size === 1 ? rng.pick(I8) : size === 2 ? rng.pick(I16) : rng.pick(I32);
    put(b, rng.int(Math.max(1, b.length - size + 1)), size, v, rng.chance(0.5));
    return b;
  },
  duplicate(rng, b) {
    if (b.length === 0) return b;
    const at = rng.int(b.length);
    const len = Math.min(rng.size(4096), b.length - at);
    const chunk = b.subarray(at, at + len);
    const times = rng.chance(0.1) ? rng.size(64) : 1;
    const parts: Uint8Array[] = [b.subarray(0, at + len)];
    for (let i = 0; i < times; i++) parts.push(chunk);
    parts.push(b.subarray(at + len));
    return clampInput(concat(...parts));
  },
  delete(rng, b) {
    if (b.length < 2) return b;
    const at = rng.int(b.length);
    const len = Math.min(rng.size(4096), b.length - at);
    return concat(b.subarray(0, at), b.subarray(at + len));
  },
  insert(rng, b) {
    const at = rng.int(b.length + 1);
    const len = rng.size(256);
    const ins = new Uint8Array(len);
    const fill = rng.int(3);
    for (let i = 0; i < len; i++) ins[i] = fill === 0 ? 0 : fill === 1 ? 0xff : rng.int(256);
    return clampInput(concat(b.subarray(0, at), ins, b.subarray(at)));
  },
  splice(rng, a, other) {
    const cutA = rng.int(a.length + 1);
    const cutB = rng.int(other.length + 1);
    return clampInput(concat(a.subarray(0, cutA), other.subarray(cutB)));
  },
  truncate(rng, b) {
    return b.length === 0 ? b : b.subarray(0, rng.int(b.length));
  },
  header: fiddleHeader,
};

const BYTE_WEIGHTS: [string, number][] = [
  ['bitflip', 4],
  ['interesting', 4],
  ['header', 6],
  ['duplicate', 2],
  ['delete', 2],
  ['insert', 1],
  ['splice', 2],
  ['truncate', 1],
];

function weighted(rng: Rng, w: [string, number][]): string {
  let total = 0;
  for (const [, n] of w) total += n;
  let r = rng.next() * total;
  for (const [k, n] of w) if ((r -= n) < 0) return k;
  return w[w.length - 1][0];
}

// -------------------------------------------------------------------------------------------------
// Mutators: tcpdump text

const TOKENS = [
  'Flags', '[S]', '[S.]', '[.]', '[P.]', '[F.]', '[R]', '[R.]', '[SEW]', '[|tcp]', 'seq', 'ack', 'win', 'urg', 'options', '[nop,nop,TS', 'val',
  'ecr', 'mss', 'wscale', 'sackOK', 'sack', 'TS', 'length', 'IP', 'IP6', 'ARP,', 'ICMP', 'UDP,', 'tcp', '>', ':', '(tos', 'ttl', 'id', 'offset',
  'flags', '[DF],', 'proto', 'TCP', '(6),', 'cksum', '0xffff', '(incorrect', '->', '(correct),', 'In', 'Out', 'ethertype', 'IPv4', '(0x0800),',
  '00:00:00:00:00:00', 'eth0', '0x0000:', '4500', '::1', '10.0.0.1.80', '1.2.3.4.65535', 'fe80::1.22', 'reading', 'from', 'file', 'listening',
  'tcpdump:', '$', '#', '12:34:56.123456', '1970-01-01', '00:00:00.000000', '2038-01-19', '03:14:08.000000', '9999-12-31', '-1', 'NaN',
];
const LONG = ['(', ' > ', 'a', ' ', ':', '[', '.', '0', '9', 'Flags [', 'options [', ',', '\t', 'x ', '1.', '::', '> ', ' (', 'seq '];
const UNICODE = ['\u0000', '\uFFFD', 'é', '中文', '😀', '\u202E', '\u0301', '\uD800', '\r', '\r\n', '\t', '\u00A0', '\u2028', '\u200B', '\uFEFF', 'İ', 'ß'];
const NUMBERS = ['0', '-1', '4294967295', '4294967296', '9007199254740993', '18446744073709551616', '1e308', '65535', '65536', '999999999', '1000000000', '00000000000000000001'];

function lines(s: string): string[] {
  return s.split('\n');
}

export type TextMutator = (rng: Rng, s: string, other: string) => string;

export const TEXT_MUTATORS: Record<string, TextMutator> = {
  /** lines of another log inserted, or lines of this one duplicated, dropped or swapped */
  lines(rng, s, other) {
    const a = lines(s);
    const at = rng.int(a.length + 1);
    switch (rng.int(4)) {
      case 0: {
        const b = lines(other);
        const from = rng.int(b.length);
        a.splice(at, 0, ...b.slice(from, from + rng.size(20)));
        break;
      }
      case 1:
        if (a.length > 0) a.splice(at, 0, ...Array(rng.size(8)).fill(a[Math.min(at, a.length - 1)]));
        break;
      case 2:
        a.splice(at, rng.size(10));
        break;
      default: {
        const j = rng.int(a.length);
        const i = Math.min(at, a.length - 1);
        [a[i], a[j]] = [a[j], a[i]];
      }
    }
    return a.join('\n');
  },
  /** a number replaced by a run of digits or a value at a boundary */
  digits(rng, s) {
    const re = /\d+/g;
    const spots: number[] = [];
    for (let m = re.exec(s); m && spots.length < 5000; m = re.exec(s)) spots.push(m.index);
    if (spots.length === 0) return s;
    const at = rng.pick(spots);
    let end = at;
    while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
    const v = rng.chance(0.5) ? rng.pick(NUMBERS) : rng.pick(['9', '0', '1', '5']).repeat(rng.size(400));
    return s.slice(0, at) + v + s.slice(end);
  },
  /** a long run of one token (up to 100,000 characters: super-linear paths show) */
  long(rng, s) {
    const at = rng.int(s.length + 1);
    const tok = rng.pick(LONG);
    return s.slice(0, at) + tok.repeat(Math.ceil(rng.size(100_000) / tok.length)) + s.slice(at);
  },
  unicode(rng, s) {
    const at = rng.int(s.length + 1);
    let ins = '';
    for (let n = rng.size(8); n > 0; n--) ins += rng.pick(UNICODE);
    return s.slice(0, at) + ins + s.slice(at);
  },
  /** a word replaced by a word tcpdump prints */
  token(rng, s) {
    const re = /\S+/g;
    const spots: [number, number][] = [];
    for (let m = re.exec(s); m && spots.length < 20000; m = re.exec(s)) spots.push([m.index, m.index + m[0].length]);
    const tok = rng.pick(TOKENS);
    if (spots.length === 0) return s + tok;
    const [a, b] = rng.pick(spots);
    return rng.chance(0.7) ? s.slice(0, a) + tok + s.slice(b) : s.slice(0, a) + tok + ' ' + s.slice(a);
  },
  /** a span of characters deleted or repeated */
  span(rng, s) {
    if (s.length === 0) return s;
    const at = rng.int(s.length);
    const len = Math.min(rng.size(200), s.length - at);
    return rng.chance(0.5) ? s.slice(0, at) + s.slice(at + len) : s.slice(0, at + len) + s.slice(at, at + len) + s.slice(at + len);
  },
  truncate(rng, s) {
    return s.slice(0, rng.int(s.length + 1));
  },
};

const TEXT_WEIGHTS: [string, number][] = [
  ['lines', 4],
  ['digits', 4],
  ['token', 4],
  ['span', 3],
  ['unicode', 2],
  ['long', 1],
  ['truncate', 1],
];

// -------------------------------------------------------------------------------------------------
// Inputs

export interface Seeds {
  capture: Uint8Array[];
  text: Uint8Array[];
  /** gzip-compressed captures, as they are in the corpus (and two of ours). */
  gzip: Uint8Array[];
}

/** The seeds a target mutates. */
export function poolOf(seeds: Seeds, t: Pick<Target, 'input' | 'gzip'>): Uint8Array[] {
  return t.input === 'text' ? seeds.text : t.gzip ? [...seeds.capture, ...seeds.gzip] : seeds.capture;
}

const utf8 = new TextDecoder('utf-8');
const enc = new TextEncoder();

/**
 * The next input for a target: a seed with 1..6 stacked mutations (havoc style); for text, text
 * mutations with now and then a byte-level one (invalid UTF-8, stray bytes). `used` gets the
 * names of the mutators applied.
 */
export function mutate(rng: Rng, seeds: readonly Uint8Array[], kind: 'capture' | 'text', used?: string[]): Uint8Array {
  if (seeds.length === 0) throw new Error('no seeds');
  let b = rng.pick(seeds);
  const n = rng.chance(0.5) ? 1 : 1 + rng.size(5);
  if (kind === 'text') {
    let s: string | undefined;
    for (let i = 0; i < n; i++) {
      if (rng.chance(0.1)) {
        if (s !== undefined) b = enc.encode(s);
        const m = weighted(rng, BYTE_WEIGHTS.filter(([k]) => k !== 'header'));
        used?.push('bytes.' + m);
        b = BYTE_MUTATORS[m](rng, b, rng.pick(seeds));
        s = undefined;
      } else {
        s ??= utf8.decode(b);
        const m = weighted(rng, TEXT_WEIGHTS);
        used?.push('text.' + m);
        s = TEXT_MUTATORS[m](rng, s, utf8.decode(rng.pick(seeds)));
        if (s.length > MAX_INPUT) s = s.slice(0, MAX_INPUT);
      }
    }
    return s !== undefined ? clampInput(enc.encode(s)) : b;
  }
  for (let i = 0; i < n; i++) {
    const m = weighted(rng, BYTE_WEIGHTS);
    used?.push(m);
    b = BYTE_MUTATORS[m](rng, b, rng.pick(seeds));
  }
  return b;
}

/** The generator of a target's inputs: seeded by the run's seed and the target's name. */
export function inputStream(seed: number, target: string): Rng {
  return new Rng((seed ^ hashString(target)) >>> 0);
}

/** Equal bytes? */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface FuzzStats {
  target: string;
  inputs: number;
  ms: number;
  failures: { failure: Failure; input: Uint8Array }[];
  /** Inputs identical to a seed (a mutation that changed nothing). */
  unchanged: number;
}

/**
 * Fuzz one target in this thread for `count` inputs (no watchdog: for tests and replays; the CLI
 * runs targets in a worker). Failures are deduplicated by signature; the first input of each is kept.
 */
export async function fuzzInProcess(target: Target, seeds: readonly Uint8Array[], opts: { seed: number; count: number }): Promise<FuzzStats> {
  const rng = inputStream(opts.seed, target.name);
  const stats: FuzzStats = { target: target.name, inputs: 0, ms: 0, failures: [], unchanged: 0 };
  const seen = new Set<string>();
  const t0 = Date.now();
  for (let i = 0; i < opts.count; i++) {
    const input = mutate(rng, seeds, target.input);
    if (seeds.some((s) => sameBytes(s, input))) stats.unchanged++;
    stats.inputs++;
    const f = await runInput(target, input);
    if (f && !seen.has(f.signature)) {
      seen.add(f.signature);
      stats.failures.push({ failure: f, input });
    }
  }
  stats.ms = Date.now() - t0;
  return stats;
}
