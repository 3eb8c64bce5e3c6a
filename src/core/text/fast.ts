/**
 * The fast path: the most common TCP line ("HH:MM:SS.frac IP a.b.c.d.p > e.f.g.h.q: Flags […],
 * seq …, ack …, win …, options […], length n"), read straight from the document (no line string,
 * no flow string) when parsing without spans, and written through the store's row writers.
 * Anything it does not expect makes it give up, and the line is read again by the general
 * scanner (scanner.ts and the layer files); what it fills is what they fill. The test
 * "the fast path reads lines as the general scanner does" (test/text-parser.test.ts) holds it to that.
 */

import type { Endpoints, TextPacketImpl } from './store';
import { tcpFlagString } from '../decode/tcp';
import { d2, flagBit, lit, POW10 } from './lexer';
import type { Scanner } from './scanner';
import { flowEndpoints } from './endpoints';
import { option } from './options';

/**
 * "HH:MM:SS.frac IP a.b.c.d.p > e.f.g.h.q: Flags [..], seq a:b, ack c, win w, options [..], length n"
 * at t[a, n) (keys in any order, as scanTcp takes them). true when read into p; false (p then
 * partly written) when the line is anything else.
 */
export function fastLine(sc: Scanner, p: TextPacketImpl, t: string, a: number, n: number): boolean {
  if (n - a < 40) return false;
  // time of day HH:MM:SS.frac
  const h = d2(t, a);
  const m = d2(t, a + 3);
  const sec = d2(t, a + 6);
  if (h < 0 || m < 0 || sec < 0 || t.charCodeAt(a + 2) !== 58 || t.charCodeAt(a + 5) !== 58 || t.charCodeAt(a + 8) !== 46) return false;
  const frac = sc.uint(t, a + 9);
  const digits = sc.end - a - 9;
  if (frac < 0 || digits > 9) return false;
  let i = sc.end;
  // " IP "
  if (t.charCodeAt(i) !== 32 || t.charCodeAt(i + 1) !== 73 || t.charCodeAt(i + 2) !== 80 || t.charCodeAt(i + 3) !== 32) return false;
  // the row is a zero row: write what differs, through the store's row writers
  const st = p._st;
  const row = p.index;
  st.setTimeOfDay(row, digits, h * 3600 + m * 60 + sec, frac * POW10[9 - digits], i - a);
  st.setIPv4(row);
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
  p.ep = sc.fastFlows.get(sc, t, sa, sb, da, db, hash);
  st.setTcp(row);
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
  st.setFlagsPrinted(row, flags);
  i = q + 1;
  for (;;) {
    if (i >= n || t.charCodeAt(i) !== 44) return false;
    let b = i + 1;
    while (b < n && t.charCodeAt(b) === 32) b++;
    if (b >= n) return false;
    const c1 = t.charCodeAt(b);
    if (c1 === 115 && t.charCodeAt(b + 1) === 101 && t.charCodeAt(b + 2) === 113 && t.charCodeAt(b + 3) === 32) {
      const v = sc.uint(t, b + 4);
      if (v < 0) return false;
      st.setSeq(row, v);
      if (t.charCodeAt(sc.end) === 58) {
        const w = sc.uint(t, sc.end + 1);
        if (w < 0) return false;
        st.setSeqEnd(row, w);
      }
      i = sc.end;
    } else if (c1 === 97 && t.charCodeAt(b + 1) === 99 && t.charCodeAt(b + 2) === 107 && t.charCodeAt(b + 3) === 32) {
      const v = sc.uint(t, b + 4);
      if (v < 0) return false;
      st.setAck(row, v);
      i = sc.end;
    } else if (c1 === 119 && t.charCodeAt(b + 1) === 105 && t.charCodeAt(b + 2) === 110 && t.charCodeAt(b + 3) === 32) {
      const v = sc.uint(t, b + 4);
      if (v < 0) return false;
      st.setWin(row, v);
      i = sc.end;
    } else if (c1 === 108 && isLengthAt(t, b)) {
      const v = sc.uint(t, b + 7);
      // nothing after the length (else the general scanner reads the application text)
      if (v < 0 || sc.end !== n) return false;
      st.setLength(row, v);
      return true;
    } else if (c1 === 111 && isOptionsAt(t, b)) {
      i = fastOptions(sc, p, t, b + 9, n, a);
      if (i < 0) return false;
    } else return false;
  }
}

/** Options from t[b0, …] up to the closing ']' (before n): the position after it, or -1. */
function fastOptions(sc: Scanner, p: TextPacketImpl, t: string, b0: number, n: number, lineStart: number): number {
  // the most common list: "nop,nop,TS val A ecr B]"
  if (isNopNopTsAt(t, b0)) {
    const v = sc.uint(t, b0 + 15);
    if (v >= 0 && isEcrAt(t, sc.end)) {
      const e = sc.uint(t, sc.end + 5);
      if (e >= 0 && t.charCodeAt(sc.end) === 93) {
        p._st.setTimestamps(p.index, v, e);
        p._st.setOptRange(p.index, b0 - lineStart, sc.end - lineStart);
        return sc.end + 1;
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
  sc.s = t;
  let st = b0;
  depth = 0;
  for (let k = b0; k < close; k++) {
    const c = t.charCodeAt(k);
    if (c === 91 || c === 123) depth++;
    else if (c === 125 || c === 93) depth--;
    else if (c === 44 && depth === 0 && t.charCodeAt(k + 1) !== 32) {
      option(sc, p, null, st, k);
      st = k + 1;
    }
  }
  if (st < close || st === b0) option(sc, p, null, st, close);
  p.optStart = b0 - lineStart;
  p.optEnd = close - lineStart;
  return close + 1;
}

/** Flows seen by the fast path (one table a parse): open addressing on a hash of the flow's characters. */
export class FastFlows {
  private fHash = new Int32Array(4096);
  private fSlot = new Int32Array(4096); // 1 + index in fEps, 0 when empty
  private fEps: Endpoints[] = [];
  /** The flows' characters (digits, dots, " > "), one after another: fAt[k] is where flow k starts. */
  private fPool = new Uint8Array(1 << 16);
  private fPoolUsed = 0;
  private fAt: number[] = [];
  private fLen: number[] = [];

  /** The endpoints of flow t[sa, db) (source t[sa, sb), destination t[da, db); `hash` of its characters). */
  get(sc: Scanner, t: string, sa: number, sb: number, da: number, db: number, hash: number): Endpoints {
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
    const ep = flowEndpoints(sc, t.slice(sa, db), t, sa, sb, da, db, true);
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
}

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

