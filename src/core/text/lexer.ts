/**
 * The small readers every scanner of the text parser uses: character classes, numbers, tokens,
 * brackets, and the span buffer they write to. A `Lexer` is owned by one parse (the run's
 * `Scanner` is one), so no reader keeps state at module level.
 */

import { TH_ACK, TH_AE, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN, TH_URG } from '../decode/packet';

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
/** Characters of a host/port token as tcpdump prints it (addresses, names, service names). */
export function isHostChar(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45 || c === 95 || c === 37 || c === 43;
}
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 126) return false;
  return true;
}

/** t[i..] starts with l (what t.startsWith(l, i) says, as a loop the compiler inlines). */
export function lit(t: string, i: number, l: string): boolean {
  for (let j = 0; j < l.length; j++) if (t.charCodeAt(i + j) !== l.charCodeAt(j)) return false;
  return true;
}

/** Two digits at t[i..i+2) as a number, -1 when not. */
export function d2(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

export const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

/** TH_* bit of a flag letter of "Flags [...]" (F S R P . U E W e), 0 when none. */
export function flagBit(c: number): number {
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

/** Result codes of a packet-line scan (Scanner.scan, scanAddresses): prose, a packet, a packet line that does not read. */
export const NOT_PACKET = 0;
export const PACKET = 1;
export const UNREADABLE = 2;

// ------------------------------------------------------------------------------------------------
// spans: one growable buffer, sliced per packet

export class SpanBuf {
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

// ------------------------------------------------------------------------------------------------
// the lexer

/**
 * The line being read and the readers over it.
 *
 * A number reader returns the value and leaves where it stopped in `end` (a field of this
 * object, which the parse owns). Why not return both: the readers run several times a packet
 * line (a million lines a second on the fast path); a `{ value, end }` per call would allocate on
 * the hottest path, and one reused cursor object would be the same as this field with one more
 * indirection. Packing both into one double does not fit either (a value may need all 32 bits).
 * So: value returned, end in `end`, read right after the call (the next reader overwrites it).
 */
export class Lexer {
  /** The line being read (the fast path reads the document instead, passed as `t`). */
  s = '';
  /** The line's index in the document (what spans name). */
  line = 0;
  /** Where the last reader (uint, hex) stopped. */
  end = 0;
  readonly sp: SpanBuf;

  constructor(sp: SpanBuf) {
    this.sp = sp;
  }

  /** Digits at s[i..] as a number; `end` after them. -1 when none. */
  uint(s: string, i: number): number {
    let v = 0;
    let j = i;
    const n = s.length;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      j++;
    }
    this.end = j;
    // tcpdump prints no number above 2^32 - 1 (seq, ack, win, length, options, epoch seconds are all 32-bit
    // %u): a longer run of digits is not tcpdump's (hundreds of digits made Infinity, a window of
    // Infinity, a frame length of 1e17 to allocate), so it reads as no number at all
    return j === i || v > 0xffffffff ? -1 : v;
  }

  /** Hex digits at s[i..] as a number; `end` after them. -1 when none. */
  hex(s: string, i: number): number {
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
    this.end = j;
    return j === i ? -1 : v;
  }

  /** Host/port characters only in s[a, b). */
  validToken(a: number, b: number): boolean {
    const s = this.s;
    for (let k = a; k < b; k++) if (!isHostChar(s.charCodeAt(k))) return false;
    return b > a;
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
}
