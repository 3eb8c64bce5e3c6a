/**
 * Find in the capture (issue 17, Wireshark's Ctrl+F): what the user asks for and the pure, linear
 * parts of answering it. A query is a pattern in one of three modes — text, hex bytes
 * (`de ad be ef`, `dead beef`, `de:ad:be:ef`) or a regular expression — looked for in one of two
 * scopes: the packet's bytes (the whole frame, as Wireshark's "Packet bytes") or its Info text.
 *
 * Text and hex patterns are found with Knuth–Morris–Pratt (`Needle`): O(haystack + pattern) for any
 * input, where String.prototype.indexOf promises nothing. Regular expressions are compiled in the
 * worker (src/worker/findMatcher.ts) with a linear engine; a JavaScript RegExp would backtrack.
 * Bytes are matched as bytes: a text pattern is looked for as its UTF-8 bytes, case folded in
 * ASCII only (a payload has no declared encoding, so only ASCII letters fold for sure).
 *
 * Errors are data: `checkFindQuery` says what is wrong and where, it never throws.
 */

export type FindMode = 'text' | 'hex' | 'regex';
export type FindScope = 'bytes' | 'info';
export const FIND_MODES: readonly FindMode[] = ['text', 'hex', 'regex'];
export const FIND_SCOPES: readonly FindScope[] = ['bytes', 'info'];

export interface FindQuery {
  pattern: string;
  mode: FindMode;
  scope: FindScope;
  /** Off: ASCII letters fold in text and bytes, the regex engine's case folding for a regex. */
  caseSensitive: boolean;
}

/**
 * Longest pattern (UTF-16 units): a search pattern is typed by hand, 1,000 characters is beyond any
 * real one, and it bounds what a pattern costs — the KMP table (4 bytes a unit) and a regex's
 * program (the engine also refuses a repetition count above 1,000).
 */
export const FIND_MAX_PATTERN = 1000;

/** Why a query cannot run: `at` is the offending character of the pattern. */
export type FindProblem =
  | { kind: 'empty'; at: 0 }
  | { kind: 'tooLong'; at: number; max: number }
  | { kind: 'hexDigit'; at: number }
  | { kind: 'hexOdd'; at: number }
  | { kind: 'regex'; at: number; message: string };

/**
 * The bytes of a hex pattern: pairs of hex digits, optionally apart by spaces, ':' '-' or '.'
 * (`de ad be ef`, `deadbeef`, `de:ad:be:ef`), an optional leading `0x`. A single digit between
 * separators is one byte (`0 1` is 00 01, as `a:b` in a MAC address); an odd run of digits is refused.
 */
export function parseHexBytes(s: string): { ok: true; bytes: Uint8Array } | { ok: false; problem: FindProblem } {
  const out: number[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 58 || c === 45 || c === 46 || c === 44) {
      i++;
      continue;
    }
    if (c === 48 && (s[i + 1] === 'x' || s[i + 1] === 'X') && hexVal(s.charCodeAt(i + 2)) >= 0) i += 2;
    const start = i;
    while (i < n && hexVal(s.charCodeAt(i)) >= 0) i++;
    if (i === start) return { ok: false, problem: { kind: 'hexDigit', at: i } };
    const run = i - start;
    if (run === 1) out.push(hexVal(s.charCodeAt(start)));
    else if (run % 2 === 1) return { ok: false, problem: { kind: 'hexOdd', at: start } };
    else for (let k = start; k < i; k += 2) out.push((hexVal(s.charCodeAt(k)) << 4) | hexVal(s.charCodeAt(k + 1)));
  }
  if (out.length === 0) return { ok: false, problem: { kind: 'empty', at: 0 } };
  return { ok: true, bytes: Uint8Array.from(out) };
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** The bounds every mode shares (the regex's own syntax is the worker's engine's to check). */
export function checkFindQuery(q: FindQuery): FindProblem | null {
  if (q.pattern.length === 0) return { kind: 'empty', at: 0 };
  if (q.pattern.length > FIND_MAX_PATTERN) return { kind: 'tooLong', at: FIND_MAX_PATTERN, max: FIND_MAX_PATTERN };
  if (q.mode === 'hex') {
    const h = parseHexBytes(q.pattern);
    if (!h.ok) return h.problem;
  }
  return null;
}

/** ASCII lower case of one code unit (the folding of bytes, where only ASCII is known to be text). */
function foldAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * A fixed pattern found by Knuth–Morris–Pratt: each haystack unit is looked at a bounded number
 * of times (amortized twice), so a search costs O(haystack) after an O(pattern) table — 4 bytes a
 * pattern unit. Units are bytes (a Uint8Array haystack) or UTF-16 code units (a string).
 */
export class Needle {
  private readonly p: Uint32Array;
  private readonly fail: Int32Array;

  /**
   * @param units the pattern (bytes or UTF-16 code units), not empty
   * @param fold fold ASCII letters (the pattern is folded here, the haystack as it is read)
   */
  constructor(
    units: ArrayLike<number>,
    private readonly fold: boolean,
  ) {
    const m = units.length;
    this.p = new Uint32Array(m);
    for (let i = 0; i < m; i++) this.p[i] = fold ? foldAscii(units[i]) : units[i];
    this.fail = new Int32Array(m);
    let k = 0;
    for (let i = 1; i < m; i++) {
      while (k > 0 && this.p[i] !== this.p[k]) k = this.fail[k - 1];
      if (this.p[i] === this.p[k]) k++;
      this.fail[i] = k;
    }
  }

  /** Offset of the first occurrence in `hay` (bytes), -1 when none. */
  inBytes(hay: Uint8Array): number {
    // the loop written out twice (bytes, text): a unit read through a closure costs about half the speed
    const p = this.p;
    const fail = this.fail;
    const m = p.length;
    const fold = this.fold;
    let k = 0;
    for (let i = 0, n = hay.length; i < n; i++) {
      const c = fold ? foldAscii(hay[i]) : hay[i];
      while (k > 0 && c !== p[k]) k = fail[k - 1];
      if (c === p[k] && ++k === m) return i - m + 1;
    }
    return m === 0 ? 0 : -1;
  }

  /** Offset (UTF-16 units) of the first occurrence in `hay`, -1 when none. */
  inText(hay: string): number {
    const p = this.p;
    const fail = this.fail;
    const m = p.length;
    const fold = this.fold;
    let k = 0;
    for (let i = 0, n = hay.length; i < n; i++) {
      const u = hay.charCodeAt(i);
      const c = fold ? foldAscii(u) : u;
      while (k > 0 && c !== p[k]) k = fail[k - 1];
      if (c === p[k] && ++k === m) return i - m + 1;
    }
    return m === 0 ? 0 : -1;
  }
}

/** The UTF-8 bytes of a text pattern (what it looks like in a payload). */
export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/**
 * The positions of a view a search visits, in order: from the one after `from` (before it, going
 * backwards) to the end of the view, then from the other end round to `from` itself (so that the
 * only match is found again, wrapped, as in Wireshark). `from` -1: from the first position (the
 * last, backwards). Returns the k-th position and whether reaching it wrapped.
 */
export function visitOrder(
  count: number,
  from: number,
  backwards: boolean,
): { start: number; at(k: number): { pos: number; wrapped: boolean } } {
  const start = from < 0 || from >= count ? (backwards ? count - 1 : 0) : backwards ? from - 1 : from + 1;
  return {
    start,
    at(k: number) {
      if (!backwards) {
        const p = start + k;
        return p >= count ? { pos: p - count, wrapped: true } : { pos: p, wrapped: false };
      }
      const p = start - k;
      return p < 0 ? { pos: p + count, wrapped: true } : { pos: p, wrapped: false };
    },
  };
}
