/**
 * Line kinds of a tcpdump text other than the packet line itself: tcpdump's banners, shell
 * prompts, hex (-x/-X) and ASCII (-A) dump lines, -v continuation lines whose indentation a
 * paste lost. parser.ts asks these in that order when a line is not a packet.
 */

import type { BannerLine } from './model';
import { isHex } from './lexer';
import type { Lexer } from './lexer';

const BANNERS: [string, BannerLine['kind']][] = [
  ['listening on ', 'listening'],
  ['tcpdump: listening on ', 'listening'],
  ['reading from file ', 'reading'],
  ['tcpdump: verbose output suppressed', 'verbose'],
  ['tcpdump: WARNING', 'warning'],
  ['tcpdump: ', 'other'],
  ['dropped privs to ', 'other'],
];

/** The kind of a tcpdump banner line (t without its indentation), or ''. */
export function classifyBanner(lx: Lexer, t: string): BannerLine['kind'] | '' {
  for (const [p, k] of BANNERS) if (t.startsWith(p)) return k;
  // "N packets captured", "N packets received by filter", "N packets dropped by kernel", "… by interface"
  const n = lx.uint(t, 0);
  const e = lx.end;
  if (n >= 0 && t.startsWith(' packet', e)) {
    if (t.indexOf('captured', e) > 0) return 'captured';
    if (t.indexOf('received by filter', e) > 0) return 'received';
    if (t.indexOf('dropped by', e) > 0) return 'dropped';
  }
  return '';
}

/**
 * A shell prompt (with its command) or a bare tcpdump command: "[root@VM_0_9_centos ~]# tcpdump …",
 * "root@host:/path# …", "t@aaa du]# …", "$ sudo tcpdump …", "# tcpdump …", "tcpdump -n …".
 * Returns the command, or null.
 */
export function promptCommand(t: string): string | null {
  const s = t.trimStart();
  if (s.length === 0) return null;
  const c0 = s.charCodeAt(0);
  if ((c0 === 36 || c0 === 35 || c0 === 37) && s.charCodeAt(1) === 32) return s.slice(2).trim(); // "$ ", "# ", "% "
  if (/^(?:sudo\s+)?(?:tcpdump|tshark|tcpflow|ngrep)(?:\s|$)/.test(s)) return s.trim();
  // user@host…# / …]$ : a prompt ends at the first "# "/"$ " after an '@' or a ']' (within 80 chars)
  const limit = Math.min(s.length, 100);
  let sawAt = false;
  for (let i = 0; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === 64 || c === 93) sawAt = true; // '@' or ']'
    else if ((c === 35 || c === 36) && sawAt && (i + 1 === s.length || s.charCodeAt(i + 1) === 32)) {
      return s.slice(i + 1).trim();
    } else if (c > 126) return null;
  }
  return null;
}

/** A hex dump line (-x/-X). */
export function isHexLine(s: string): boolean {
  // "\t0x0000:  4500 ..." (or spaces instead of the tab when pasted)
  let i = 0;
  const n = s.length;
  while (i < n && (s.charCodeAt(i) === 9 || s.charCodeAt(i) === 32)) i++;
  if (i === 0 && !s.startsWith('0x')) return false;
  if (!s.startsWith('0x', i)) return false;
  let j = i + 2;
  while (j < n && isHex(s.charCodeAt(j))) j++;
  return j > i + 2 && s.charCodeAt(j) === 58;
}


/** "addr.port > addr.port: …" at column 0: a -v continuation line whose indentation was lost in a paste. */
export function continuationUnindented(lx: Lexer, s: string): boolean {
  const k = s.indexOf(' > ');
  if (k <= 0 || k > 60) return false;
  lx.s = s;
  return lx.looksLikeHost(0, k) && s.indexOf(': ', k) > 0;
}

/** The first line of a -A/-AA dump: the IP header as text ("E..<.h@.@.!R…"), or mostly dots. */
export function looksLikeAsciiDump(s: string): boolean {
  if ((s.charCodeAt(0) === 69 || s.charCodeAt(0) === 96) && s.charCodeAt(1) === 46) return true;
  let dots = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 46) dots++;
  return s.length >= 8 && dots * 4 >= s.length;
}

