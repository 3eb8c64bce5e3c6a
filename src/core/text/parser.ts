/**
 * Tolerant parser of tcpdump text (what people paste: `tcpdump -n`, `-nn`, with names, `-v`,
 * `-e`, `-#`, every `-t` form, `--nano`, `-x`/`-X`, `-i any`), amid shell prompts, banners and
 * prose. Pure TypeScript: one pass over the lines with a hand-written scanner (no regex that can
 * backtrack on a long line), then a pass over the packets that rebuilds times and raw sequence
 * numbers (rebuild.ts).
 *
 * This file is the line loop: each line is a blank, a hex dump line, a -v continuation, a packet
 * (fast.ts, else scanner.ts and its layer files), a banner, a prompt, an application line of the
 * packet above, or prose (lines.ts). The packets live in one store (store.ts).
 */

import { TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import * as M from './model';
import type { BannerLine, ParsedLog, ParseOptions, PromptLine, TextPacket, UnreadableLine } from './model';
import { rebuildLog } from './rebuild';
import { isAscii, isDigit, NOT_PACKET, PACKET, SpanBuf, UNREADABLE } from './lexer';
import { endpointsOf, newPacket, PacketStore, retryPacket, timeKindCode, TIME_KINDS, viaStore } from './store';
import type { Endpoints, TextPacketImpl } from './store';
import { classifyBanner, continuationUnindented, isHexLine, looksLikeAsciiDump, promptCommand } from './lines';
import { Scanner } from './scanner';
import { scanAddresses } from './endpoints';
import { fastLine } from './fast';

// what other modules take from the parser (segment.ts; the package's index.ts)
export { endpointsOf, fillSegment, plainPacket } from './store';
export type { Endpoints } from './store';

/**
 * Parses tcpdump text. Never throws: lines it cannot place are prose, or, when they look like a
 * packet, listed in `unreadable` with a reason.
 */
export function parseTcpdumpText(text: string, options: ParseOptions = {}): ParsedLog {
  const wantSpans = options.spans === true;
  const sp = new SpanBuf();
  sp.on = wantSpans;
  const sc = new Scanner(sp);
  // number of lines (a last line without its line break counts)
  let lineCount = 0;
  if (text.length > 0) {
    lineCount = 1;
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lineCount++;
    if (text.charCodeAt(text.length - 1) === 10) lineCount--;
  }
  const kinds = new Uint8Array(lineCount);
  const packetOfLine = new Int32Array(lineCount).fill(-1);
  const packets: TextPacket[] = [];
  const unreadable: UnreadableLine[] = [];
  const banners: BannerLine[] = [];
  const prompts: PromptLine[] = [];
  const st = new PacketStore(text, lineCount + 1);
  let cur: TextPacketImpl | null = null;
  let curSpanStart = 0;
  let awaitCont = false;
  let prevKind = M.LK_BLANK;
  let pos = 0;
  let probe = newPacket(st, 0, 0);
  /** sp.n before the current line's scan (spans of a line are written from here). */
  let spanMark = 0;

  const closePacket = (end: number): void => {
    if (cur !== null && wantSpans) cur.spans = sp.buf.slice(curSpanStart, end);
  };

  for (let ln = 0; ln < lineCount; ln++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (!wantSpans && !awaitCont) {
      // the common TCP line: read from the document without a line string
      const f0 = text.charCodeAt(pos);
      if (f0 >= 48 && f0 <= 57) {
        if (fastLine(sc, probe, text, pos, end)) {
          probe.index = packets.length;
          probe.line = probe.endLine = probe.addrLine = ln;
          probe.setTextRange(pos, end);
          packets.push(probe);
          cur = probe;
          packetOfLine[ln] = probe.index;
          probe = newPacket(st, packets.length, ln + 1);
          kinds[ln] = M.LK_PACKET;
          prevKind = M.LK_PACKET;
          pos = nl + 1;
          continue;
        }
        probe = retryPacket(st, packets.length, ln);
      }
    }
    let s = text.slice(pos, end);
    const lineStart = pos;
    /** s is still the document's [lineStart, end) */
    let clean = true;
    // no-break spaces from a web page: at the start here, elsewhere when the line does not read
    if (s.charCodeAt(0) === 0xa0) {
      s = s.replace(/\u00a0/g, ' ');
      clean = false;
    }
    pos = nl + 1;
    let kind = M.LK_PROSE;
    const c0 = s.charCodeAt(0);
    // blank
    let blank = true;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c !== 32 && c !== 9) {
        blank = false;
        break;
      }
    }
    if (blank) {
      kind = M.LK_BLANK;
      awaitCont = false;
    } else if (cur !== null && (c0 === 9 || c0 === 32) && isHexLine(s) && prevKind !== M.LK_BLANK && prevKind !== M.LK_PROSE) {
      kind = M.LK_HEX;
      (cur.hex ??= []).push(s);
      cur.endLine = ln;
      packetOfLine[ln] = cur.index;
    } else if (awaitCont && cur !== null && (c0 === 32 || c0 === 9 || continuationUnindented(sc, s))) {
      // second line of a -v IPv4 packet
      let k = 0;
      while (k < s.length && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9)) k++;
      sc.s = s;
      sc.line = ln;
      const r = scanAddresses(sc, cur, k, true);
      cur.appendLine(s, lineStart, end, clean);
      cur.endLine = ln;
      packetOfLine[ln] = cur.index;
      kind = M.LK_CONTINUATION;
      if (r === UNREADABLE) {
        cur.problem = sc.reason;
        unreadable.push({ line: ln, reason: sc.reason, text: s });
      }
      awaitCont = false;
    } else {
      awaitCont = false;
      // packet?
      probe.line = probe.endLine = probe.addrLine = ln;
      let r = sc.scan(probe, s, ln);
      if (r !== PACKET && s.indexOf('\u00a0') >= 0) {
        s = s.replace(/\u00a0/g, ' ');
        clean = false;
        sp.n = spanMark;
        probe = retryPacket(st, packets.length, ln);
        r = sc.scan(probe, s, ln);
      }
      let inner = false;
      if (r === PACKET && probe.timeKind === 'none' && probe.number < 0 && cur !== null && (cur.timeKind !== 'none' || cur.number >= 0) && cur.l4 !== 'tcp' &&
          (prevKind === M.LK_PACKET || prevKind === M.LK_CONTINUATION || prevKind === M.LK_APP || prevKind === M.LK_HEX) && kinds[ln - 1] !== M.LK_BLANK) {
        // a line without time right below a non-TCP packet of a log that has times: what tcpdump
        // printed for that packet (the packet a VXLAN/GRE/… header carries), not a packet of its own
        r = NOT_PACKET;
        inner = true;
      }
      if (r === PACKET) {
        closePacket(spanMark);
        // this line's spans were written from spanMark on: move them to the buffer's start
        if (spanMark > 0) {
          sp.buf.copyWithin(0, spanMark, sp.n);
          sp.n -= spanMark;
        }
        curSpanStart = 0;
        probe.index = packets.length;
        probe.line = probe.endLine = ln;
        if (clean) probe.setTextRange(lineStart, end);
        else probe.text = s;
        packets.push(probe);
        cur = probe;
        kind = M.LK_PACKET;
        packetOfLine[ln] = probe.index;
        awaitCont = sc.awaitCont;
        probe = newPacket(st, packets.length, ln);
      } else {
        sp.n = spanMark; // drop spans of a failed attempt
        probe = retryPacket(st, packets.length, ln);
        if (r === UNREADABLE) {
          kind = M.LK_UNREADABLE;
          unreadable.push({ line: ln, reason: sc.reason, text: s });
        } else {
          const t = s.trimStart();
          const bk = classifyBanner(sc, t);
          if (bk !== '') {
            kind = M.LK_BANNER;
            const cnt = sc.uint(t, 0);
            banners.push({ line: ln, kind: bk, text: s, count: bk === 'captured' || bk === 'received' || bk === 'dropped' ? cnt : -1 });
          } else {
            const cmd = promptCommand(s);
            if (cmd !== null) {
              kind = M.LK_PROMPT;
              prompts.push({ line: ln, command: cmd, text: s });
            } else if (
              cur !== null &&
              (prevKind === M.LK_PACKET || prevKind === M.LK_CONTINUATION || prevKind === M.LK_APP || prevKind === M.LK_HEX) &&
              // indented text, or (-A payload) plain ASCII right below the packet
              (inner || c0 === 9 || (c0 === 32 && s.startsWith('  ')) ||
                (kinds[ln - 1] !== M.LK_BLANK && isAscii(s) && (kinds[ln - 1] === M.LK_APP || looksLikeAsciiDump(s))))
            ) {
              kind = M.LK_APP;
              (cur.appLines ??= []).push(s.trim());
              cur.endLine = ln;
              packetOfLine[ln] = cur.index;
            }
          }
        }
      }
    }
    spanMark = sp.n;
    kinds[ln] = kind;
    if (kind !== M.LK_BLANK) prevKind = kind;
  }
  closePacket(sp.n);
  const log: ParsedLog = { lineCount, kinds, packetOfLine, packets, unreadable, banners, prompts, format: detectFormat(packets) };
  rebuildLog(log, viaStore);
  return log;
}

function detectFormat(packets: TextPacket[]): M.DetectedFormat {
  const f: M.DetectedFormat = { timeFormat: 0, nano: false, verbose: 0, linkHeader: false, number: false, absoluteSeq: false, quiet: false, hex: 0, names: false };
  // packets of each time kind (by TIME_KINDS index), and the kinds in the order first seen
  const counts = [0, 0, 0, 0, 0];
  const order: number[] = [];
  let nano = 0;
  let timed = 0;
  let namesSeen: Endpoints | null = null;
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i];
    const tk = p.timeKind;
    const kc = timeKindCode(tk);
    if (counts[kc]++ === 0) order.push(kc);
    if (tk !== 'none') {
      timed++;
      if (p.timeDigits === 9) nano++;
    }
    if (p.ip4 !== null || p.ip6 !== null || p.cksumState !== '') f.verbose = Math.max(f.verbose, 1);
    const fl = p.flags;
    if (fl >= 0 && (fl & (TH_SYN | TH_FIN | TH_RST)) === 0 && p.length === 0 && p.seq >= 0) f.verbose = 2;
    if (p.link !== null && p.link.frameLength >= 0) f.linkHeader = true;
    if (p.number >= 0) f.number = true;
    if (p.quietLength >= 0) f.quiet = true;
    if (p.hex !== null) {
      f.hex = Math.max(f.hex, 1);
      // -x lines end after at most 8 groups of 4 hex digits (49 columns); -X adds the ASCII column
      for (const h of p.hex) if (h.replace(/^\s+/, '\t').length > 50) f.hex = 3;
    }
    if (!f.names) {
      // once a flow (a packet's shared endpoints)
      const ep = endpointsOf(p);
      if (ep === null || ep !== namesSeen) {
        namesSeen = ep;
        if ((p.srcPortText !== '' && !isDigit(p.srcPortText.charCodeAt(0))) || (p.srcHost !== '' && !p.numericHosts)) f.names = true;
      }
    }
  }
  let best = 'time';
  let bestN = -1;
  for (const kc of order) if (kc !== 0 && counts[kc] > bestN) {
    best = TIME_KINDS[kc];
    bestN = counts[kc];
  }
  if (timed === 0) f.timeFormat = 1;
  else if (best === 'epoch') f.timeFormat = 2;
  else if (best === 'date') f.timeFormat = 4;
  else if (best === 'delta') {
    // -ttttt (since the first packet) never decreases; -ttt (since the previous one) does, mostly
    let mono = true;
    let prev = -Infinity;
    let seen = 0;
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i];
      if (p.timeKind !== 'delta') continue;
      seen++;
      if (p.relSec < prev) {
        mono = false;
        break;
      }
      prev = p.relSec;
    }
    f.timeFormat = mono && seen >= 3 ? 5 : 3;
  } else f.timeFormat = 0;
  f.nano = nano > 0 && nano * 2 >= timed;
  return f;
}

/**
 * The spans of one packet, found by reading its line(s) again (for logs parsed without spans):
 * what hovers and the editor ask for one packet at a time.
 */
export function packetSpans(p: TextPacket): Int32Array {
  if (p.spans !== null) return p.spans;
  const again = parseTcpdumpText(p.text, { spans: true });
  const q = again.packets[0];
  const sp = q !== undefined && q.spans !== null ? q.spans.slice() : new Int32Array(0);
  for (let i = 1; i < sp.length; i += 4) sp[i] += p.line;
  p.spans = sp;
  return sp;
}
M.spanSource.get = packetSpans;
