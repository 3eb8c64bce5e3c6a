/**
 * The time stamp at the front of a packet line, in every form tcpdump prints: -t none, default
 * HH:MM:SS.frac, -tt epoch, -ttt/-ttttt deltas, -tttt dates; microseconds or --nano.
 */

import * as M from './model';
import type { TextPacket } from './model';
import { isDigit, POW10 } from './lexer';
import type { Scanner } from './scanner';
import type { TextPacketImpl } from './store';

/** Time at s[i..]: sets p's time fields and sc.end. `spaced`: a space before it (-ttt/-ttttt). */
export function scanTime(sc: Scanner, p: TextPacket, i: number, spaced: boolean): boolean {
  const s = sc.s;
  const start = i;
  let neg = false;
  if (s.charCodeAt(i) === 45 && isDigit(s.charCodeAt(i + 1))) {
    neg = true;
    i++;
  }
  const a = sc.uint(s, i);
  if (a < 0) return false;
  let j = sc.end;
  const c = s.charCodeAt(j);
  let kind: M.TimeKind;
  let sec = 0;
  if (c === 45 && j - i === 4 && !neg) {
    // date: YYYY-MM-DD HH:MM:SS.frac
    const mo = sc.uint(s, j + 1);
    if (mo < 0 || s.charCodeAt(sc.end) !== 45) return false;
    const d = sc.uint(s, sc.end + 1);
    if (d < 0 || s.charCodeAt(sc.end) !== 32) return false;
    const hms = readHms(sc, sc.end + 1);
    if (hms < 0) return false;
    j = sc.end;
    sec = Date.UTC(a, mo - 1, d) / 1000 + hms;
    kind = 'date';
  } else if (c === 58) {
    const hms = readHms(sc, i);
    if (hms < 0) return false;
    j = sc.end;
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
  const frac = sc.uint(s, fs);
  const digits = sc.end - fs;
  if (frac < 0 || digits < 1 || digits > 10 || (digits > 9 && !s.startsWith(' (invalid', sc.end))) return false;
  const after = s.charCodeAt(sc.end);
  if (sc.end < s.length && after !== 32) return false;
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
  (p as TextPacketImpl).timeEnd = sc.end;
  sc.sp.add(M.F_TIME, sc.line, start, sc.end);
  return true;
}

/** HH:MM:SS at i (no fraction) → seconds, sc.end after SS; -1 when not one. */
function readHms(sc: Scanner, i: number): number {
  const s = sc.s;
  const h = sc.uint(s, i);
  if (h < 0 || s.charCodeAt(sc.end) !== 58) return -1;
  const m = sc.uint(s, sc.end + 1);
  if (m < 0 || sc.end - i < 4 || s.charCodeAt(sc.end) !== 58) return -1;
  const mStart = sc.end;
  const sec = sc.uint(s, sc.end + 1);
  if (sec < 0 || sc.end - mStart !== 3) return -1;
  return h * 3600 + m * 60 + sec;
}
