/**
 * Find in the capture: a query (src/core/find/query.ts) compiled into a test of a packet's bytes or
 * of its Info text. Text and hex patterns use the core's KMP `Needle`; a regular expression runs on
 * re2js, the JavaScript port of RE2 (linear in the input: a user's `(a*)*b` on a 64 KiB payload
 * costs what `a` does, where JavaScript's backtracking RegExp would not finish). The display
 * filter's own Pike VM (src/core/filter/regex.ts) covers `matches`'s subset; Find takes RE2's whole
 * syntax (Unicode classes, named groups, flags) from a maintained port with RE2's test suite.
 *
 * Bytes meet a regex as latin1 text: every byte one character (0x00–0xFF), so `\xff`, `.` and
 * classes see bytes, and an ASCII pattern reads a payload as one expects.
 */
import { RE2JS } from 're2js';

import { checkFindQuery, Needle, parseHexBytes, utf8Bytes, type FindProblem, type FindQuery } from '../core/find/query';

export interface FindMatcher {
  /** The scope the query looks in. */
  readonly scope: FindQuery['scope'];
  /** True when the frame's bytes hold a match. */
  bytes(data: Uint8Array): boolean;
  /** True when the text holds a match. */
  text(s: string): boolean;
}

/**
 * latin1 text of bytes: one character a byte, code = byte (TextDecoder's 'latin1' is windows-1252, which
 * maps 0x80–0x9F elsewhere; Buffer is not there in a Web Worker). Built 8 KiB at a time: fromCharCode's
 * arguments stay far below any engine's limit.
 */
export function latin1(data: Uint8Array): string {
  const STEP = 8192;
  if (data.length <= STEP) return String.fromCharCode.apply(null, data as unknown as number[]);
  let s = '';
  for (let i = 0; i < data.length; i += STEP) s += String.fromCharCode.apply(null, data.subarray(i, i + STEP) as unknown as number[]);
  return s;
}

/** The query compiled, or why it cannot be (errors are data). */
export function compileFind(q: FindQuery): { ok: true; matcher: FindMatcher } | { ok: false; problem: FindProblem } {
  const bad = checkFindQuery(q);
  if (bad) return { ok: false, problem: bad };
  const scope = q.scope;
  if (q.mode === 'regex') {
    let re: RE2JS;
    try {
      re = RE2JS.compile(q.pattern, q.caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
    } catch (e) {
      // re2js throws its syntax errors; they are the user's typing, not ours
      const msg = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
      return { ok: false, problem: { kind: 'regex', at: 0, message: msg } };
    }
    return { ok: true, matcher: { scope, bytes: (d) => re.test(latin1(d)), text: (s) => re.test(s) } };
  }
  if (q.mode === 'hex') {
    const h = parseHexBytes(q.pattern);
    if (!h.ok) return { ok: false, problem: h.problem };
    const needle = new Needle(h.bytes, false);
    // Info text holds no bytes: there a hex pattern is looked for as the characters of those codes (latin1)
    return { ok: true, matcher: { scope, bytes: (d) => needle.inBytes(d) >= 0, text: (s) => needle.inText(s) >= 0 } };
  }
  const fold = !q.caseSensitive;
  const inBytes = new Needle(utf8Bytes(q.pattern), fold);
  // a string's units as numbers: Needle reads charCodeAt
  const units: number[] = [];
  const p = fold ? q.pattern.toLowerCase() : q.pattern;
  for (let i = 0; i < p.length; i++) units.push(p.charCodeAt(i));
  const inText = new Needle(units, false);
  return {
    ok: true,
    matcher: {
      scope,
      bytes: (d) => inBytes.inBytes(d) >= 0,
      // folded whole (toLowerCase: Unicode, not only ASCII) — Info is short, a copy is cheap
      text: (s) => inText.inText(fold ? s.toLowerCase() : s) >= 0,
    },
  };
}
