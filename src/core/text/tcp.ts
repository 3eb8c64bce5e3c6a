/**
 * The TCP layer of a packet line: "Flags [S.], cksum 0x… (correct), seq a:b, ack c, win w, urg u,
 * options […], length n", then what tcpdump printed after it (application text, "[|tcp]") and
 * what a writer added (annotations).
 */

import * as M from './model';
import type { TextPacket } from './model';
import { tcpFlagString } from '../decode/tcp';
import { flagBit } from './lexer';
import type { Scanner } from './scanner';
import { scanOptions } from './options';

/** "Flags [S.], cksum …, seq …, ack …, win …, urg …, options […], length N…" */
export function scanTcp(sc: Scanner, p: TextPacket, k: number): void {
  const s = sc.s;
  const n = s.length;
  const sp = sc.sp;
  const line = sc.line;
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
        const v = sc.uint(s, a + 4);
        if (v < 0) return bad(sc, p, a);
        p.seq = v;
        sp.add(M.F_SEQ_START, line, a + 4, sc.end);
        if (s.charCodeAt(sc.end) === 58) {
          const st = sc.end + 1;
          const w = sc.uint(s, st);
          if (w < 0) return bad(sc, p, a);
          p.seqEnd = w;
          sp.add(M.F_SEQ_END, line, st, sc.end);
        }
        sp.add(M.F_SEQ, line, a, sc.end);
        i = sc.end;
      } else if (c1 === 97 && s.startsWith('ack ', a)) {
        const v = sc.uint(s, a + 4);
        if (v < 0) return bad(sc, p, a);
        p.ack = v;
        sp.add(M.F_ACK, line, a, sc.end);
        i = sc.end;
      } else if (c1 === 119 && s.startsWith('win ', a)) {
        const v = sc.uint(s, a + 4);
        if (v < 0) return bad(sc, p, a);
        p.win = v;
        sp.add(M.F_WIN, line, a, sc.end);
        i = sc.end;
      } else if (c1 === 108 && s.startsWith('length ', a)) {
        const v = sc.uint(s, a + 7);
        if (v < 0) return bad(sc, p, a);
        p.length = v;
        sp.add(M.F_LENGTH, line, a, sc.end);
        tail(sc, p, sc.end);
        return;
      } else if (c1 === 111 && s.startsWith('options [', a)) {
        i = scanOptions(sc, p, a);
        if (i < 0) return;
      } else if (c1 === 99 && s.startsWith('cksum 0x', a)) {
        p.cksum = sc.hex(s, a + 8);
        let e = sc.end;
        if (s.startsWith(' (correct)', e)) {
          p.cksumState = 'correct';
          e += 10;
        } else if (s.startsWith(' (incorrect -> 0x', e)) {
          p.cksumState = 'incorrect';
          p.cksumShouldBe = sc.hex(s, e + 17);
          e = sc.end + 1;
        } else if (s.startsWith(' (incorrect', e)) {
          p.cksumState = 'incorrect';
          const c = s.indexOf(')', e);
          e = c > 0 ? c + 1 : n;
        }
        sp.add(M.F_CKSUM, line, a, e);
        i = e;
      } else if (c1 === 117 && s.startsWith('urg ', a)) {
        const v = sc.uint(s, a + 4);
        if (v < 0) return bad(sc, p, a);
        p.urg = v;
        sp.add(M.F_URG, line, a, sc.end);
        i = sc.end;
      } else return bad(sc, p, a);
    } else {
      // " [|tcp]", " [bad hdr length …]", annotations after a line cut short
      const t = s.indexOf('[|', i);
      if (t >= 0 && t <= i + 1) {
        p.truncated = true;
        sp.add(M.F_TRUNC, line, t, t + 6);
        tail(sc, p, s.indexOf(']', t) + 1);
        return;
      }
      if (s.startsWith(' [bad hdr length', i)) {
        p.problem = 'bad header length';
        p.app = s.slice(i + 1);
        sp.add(M.F_APP, line, i + 1, n);
        return;
      }
      p.cutShort = true;
      annotationOrApp(sc, p, i, true);
      return;
    }
  }
}

function bad(sc: Scanner, p: TextPacket, a: number): void {
  const s = sc.s;
  p.problem = `unexpected text "${s.slice(a, a + 20)}" in the TCP fields`;
  p.app = s.slice(a);
  sc.sp.add(M.F_APP, sc.line, a, s.length);
}

/** After "length N" (or the end of what was read): application text and/or an annotation. */
export function tail(sc: Scanner, p: TextPacket, i: number): void {
  annotationOrApp(sc, p, i, false);
}

function annotationOrApp(sc: Scanner, p: TextPacket, i: number, cut: boolean): void {
  const s = sc.s;
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
    sc.sp.add(M.F_ANNOTATION, sc.line, a, e);
    e = ann;
  }
  if (e > i) {
    p.app = s.slice(i, e);
    sc.sp.add(M.F_APP, sc.line, i, e);
  }
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
