/**
 * The TCP options of a packet line: "options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]",
 * item by item (mss, wscale, sackOK, sack blocks, TS; others kept as text).
 */

import * as M from './model';
import type { TextOption, TextPacket } from './model';
import type { Scanner } from './scanner';

/** "options [...]" at a: returns the position after "]" (or -1 when the rest of the line was used). */
export function scanOptions(sc: Scanner, p: TextPacket, a: number): number {
  const s = sc.s;
  const n = s.length;
  const line = sc.line;
  const sp = sc.sp;
  const b0 = a + 9;
  // fast path for the most common list: "nop,nop,TS val A ecr B]"
  if (!sp.on && s.startsWith('nop,nop,TS val ', b0)) {
    const v = sc.uint(s, b0 + 15);
    if (v >= 0 && s.startsWith(' ecr ', sc.end)) {
      const e = sc.uint(s, sc.end + 5);
      if (e >= 0 && s.charCodeAt(sc.end) === 93) {
        p.tsVal = v;
        p.tsEcr = e;
        p.optStart = b0;
        p.optEnd = sc.end;
        return sc.end + 1;
      }
    }
  }
  // matching ']' with [] and {} nesting; items split by ',' at depth 0
  let depth = 0;
  let close = -1;
  const opts: TextOption[] | null = sc.sp.on ? [] : null;
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
      option(sc, p, opts, st, k);
      st = k + 1;
    }
  }
  const end = close >= 0 ? close : n;
  if (st < end || st === b0) option(sc, p, opts, st, end);
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

export function option(sc: Scanner, p: TextPacket, opts: TextOption[] | null, a: number, b: number): void {
  const s = sc.s;
  const line = sc.line;
  const sp = sc.sp;
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
      p.tsVal = sc.uint(s, e + 5);
      if (p.tsVal >= 0) sp.add(M.F_OPTION_VALUE, line, e + 5, sc.end);
      if (s.startsWith(' ecr ', sc.end)) {
        const q = sc.end + 5;
        p.tsEcr = sc.uint(s, q);
        if (p.tsEcr >= 0) sp.add(M.F_OPTION_VALUE, line, q, sc.end);
      }
    }
  } else if (len === 3 && s.startsWith('mss', a)) {
    p.mss = sc.uint(s, e + 1);
    if (p.mss >= 0) sp.add(M.F_OPTION_VALUE, line, e + 1, sc.end);
  } else if (len === 6 && s.startsWith('wscale', a)) {
    p.wscale = sc.uint(s, e + 1);
    if (p.wscale >= 0) sp.add(M.F_OPTION_VALUE, line, e + 1, sc.end);
  } else if (len === 6 && s.startsWith('sackOK', a)) {
    p.sackOk = true;
  } else if (len === 4 && s.startsWith('sack', a)) {
    const blocks: number[] = [];
    let k = s.indexOf('{', e);
    while (k >= 0 && k < b) {
      const l = sc.uint(s, k + 1);
      if (l < 0 || s.charCodeAt(sc.end) !== 58) break;
      const r = sc.uint(s, sc.end + 1);
      if (r < 0 || s.charCodeAt(sc.end) !== 125) break;
      blocks.push(l, r);
      sp.add(M.F_OPTION_VALUE, line, k, sc.end + 1);
      k = sc.end + 1;
      if (s.charCodeAt(k) !== 123) break;
    }
    p.sack = blocks;
  } else if (len === 3 && s.startsWith('eol', a)) {
    return;
  } else if (e < b) {
    sp.add(M.F_OPTION_VALUE, line, e + (s.charCodeAt(e) === 32 ? 1 : 0), b);
  }
}
