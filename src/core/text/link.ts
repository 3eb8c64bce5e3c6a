/**
 * The link layer of a packet line: the SLL2 "eth0  In  " prefix of `-i any` (with -e: "ifindex N
 * mac ethertype …"), the SLL v1 -e header ("In mac ethertype …"), and the Ethernet -e header
 * ("mac > mac, ethertype IPv4 (0x0800), length N: ").
 */

import * as M from './model';
import type { TextLink, TextPacket } from './model';
import { isHex } from './lexer';
import type { Scanner } from './scanner';

const DIRECTIONS = ['In', 'Out', 'B', 'M', 'P'];

/** "eth0  In  " (SLL2) prefix. */
export function scanIfPrefix(sc: Scanner, p: TextPacket, i: number): number {
  const s = sc.s;
  const n = s.length;
  let e = i;
  while (e < n && e - i < 20) {
    const c = s.charCodeAt(e);
    if (c === 32 || c > 126) break;
    e++;
  }
  if (e === i || e >= n || e - i >= 20) return i;
  if (s.charCodeAt(i) === 73 && s.charCodeAt(i + 1) === 80 && (e - i === 2 || (e - i === 3 && s.charCodeAt(i + 2) === 54))) return i; // IP, IP6
  let k = e;
  while (k < n && s.charCodeAt(k) === 32) k++;
  const dir = directionAt(s, k);
  const word = s.slice(i, e);
  if (dir === '') {
    // SLL v1 with -e: " In 00:11:22:33:44:55 ethertype IPv4 (0x0800), length 74: " (direction first)
    if (DIRECTIONS.includes(word) && scanSllLink(sc, p, k, word)) return sc.end;
    return i;
  }
  p.ifname = word;
  p.direction = dir;
  sc.sp.add(M.F_IFNAME, sc.line, i, e);
  sc.sp.add(M.F_DIRECTION, sc.line, k, k + dir.length);
  k += dir.length;
  while (k < n && s.charCodeAt(k) === 32) k++;
  // SLL2 with -e: "ifindex 2 00:11:… ethertype IPv4 (0x0800), length 74: "
  if (s.startsWith('ifindex ', k)) {
    const link: TextLink = { kind: 'sll2', srcMac: '', dstMac: '', etherType: -1, frameLength: -1, vlans: [] };
    const j = scanLinkTail(sc, link, k);
    if (j > 0) {
      p.link = link;
      return j;
    }
  }
  p.link = { kind: 'sll2', srcMac: '', dstMac: '', etherType: -1, frameLength: -1, vlans: [] };
  return k;
}

function scanSllLink(sc: Scanner, p: TextPacket, k: number, dir: string): boolean {
  const link: TextLink = { kind: 'sll', srcMac: '', dstMac: '', etherType: -1, frameLength: -1, vlans: [] };
  const j = scanLinkTail(sc, link, k);
  if (j < 0) return false;
  p.direction = dir;
  p.link = link;
  sc.end = j;
  return true;
}

/** "[ifindex N ][mac ]ethertype X (0xNNNN)[, vlan …], length N: " → position after it, or -1. */
function scanLinkTail(sc: Scanner, link: TextLink, k: number): number {
  const s = sc.s;
  const line = sc.line;
  const start = k;
  if (s.startsWith('ifindex ', k)) {
    sc.uint(s, k + 8);
    k = sc.end + 1;
  }
  const m = macAt(s, k);
  if (m > 0) {
    link.srcMac = s.slice(k, m);
    sc.sp.add(M.F_SRC_MAC, line, k, m);
    k = m + 1;
  }
  const lenAt = s.indexOf(', length ', k);
  if (lenAt < 0) return -1;
  const fl = sc.uint(s, lenAt + 9);
  if (fl < 0 || s.charCodeAt(sc.end) !== 58) return -1;
  link.frameLength = fl;
  const end = sc.end;
  sc.sp.add(M.F_FRAME_LENGTH, line, lenAt + 2, end);
  etherTypes(sc, link, k, lenAt);
  sc.sp.add(M.F_LINK, line, start, end + 2);
  return end + 2;
}

function etherTypes(sc: Scanner, link: TextLink, a: number, b: number): void {
  const s = sc.s;
  let k = a;
  for (;;) {
    const e = s.indexOf('(0x', k);
    if (e < 0 || e >= b) break;
    const v = sc.hex(s, e + 3);
    if (v >= 0 && s.charCodeAt(sc.end) === 41) {
      link.etherType = v;
      const w = s.lastIndexOf('ethertype ', e);
      sc.sp.add(M.F_ETHERTYPE, sc.line, w >= a ? w : e, sc.end + 1);
    }
    k = e + 3;
  }
  k = a;
  for (;;) {
    const e = s.indexOf('vlan ', k);
    if (e < 0 || e >= b) break;
    const v = sc.uint(s, e + 5);
    if (v >= 0) link.vlans.push(v);
    k = e + 5;
  }
}

/** "aa:bb:cc:dd:ee:ff > 11:22:33:44:55:66, ethertype IPv4 (0x0800), length 74: " */
export function scanEtherLink(sc: Scanner, p: TextPacket, i: number): number {
  const s = sc.s;
  const m1 = macAt(s, i);
  if (m1 < 0 || !s.startsWith(' > ', m1)) return -1;
  const m2 = macAt(s, m1 + 3);
  if (m2 < 0) return -1;
  const link: TextLink = { kind: 'ether', srcMac: s.slice(i, m1), dstMac: s.slice(m1 + 3, m2), etherType: -1, frameLength: -1, vlans: [] };
  sc.sp.add(M.F_SRC_MAC, sc.line, i, m1);
  sc.sp.add(M.F_DST_MAC, sc.line, m1 + 3, m2);
  const lenAt = s.indexOf(', length ', m2);
  if (lenAt < 0) return -1;
  const fl = sc.uint(s, lenAt + 9);
  if (fl < 0 || s.charCodeAt(sc.end) !== 58) return -1;
  link.frameLength = fl;
  const end = sc.end;
  sc.sp.add(M.F_FRAME_LENGTH, sc.line, lenAt + 2, end);
  etherTypes(sc, link, m2, lenAt);
  sc.sp.add(M.F_LINK, sc.line, i, end + 2);
  p.link = link;
  return s.charCodeAt(end + 1) === 32 ? end + 2 : end + 1;
}

/** The SLL packet-type word at k followed by a space ("In", "Out", "B", "M", "P"), or ''. */
function directionAt(s: string, k: number): string {
  const c = s.charCodeAt(k);
  if (c === 73) return s.charCodeAt(k + 1) === 110 && s.charCodeAt(k + 2) === 32 ? 'In' : '';
  if (c === 79) return s.startsWith('Out ', k) ? 'Out' : '';
  if ((c === 66 || c === 77 || c === 80) && s.charCodeAt(k + 1) === 32) return c === 66 ? 'B' : c === 77 ? 'M' : 'P';
  return '';
}

/** End of a MAC address "aa:bb:cc:dd:ee:ff" at i, or -1. */
function macAt(s: string, i: number): number {
  for (let g = 0; g < 6; g++) {
    const k = i + g * 3;
    if (!isHex(s.charCodeAt(k)) || !isHex(s.charCodeAt(k + 1))) return -1;
    if (g < 5 && s.charCodeAt(k + 2) !== 58) return -1;
  }
  const e = i + 17;
  return isHex(s.charCodeAt(e)) || s.charCodeAt(e) === 58 ? -1 : e;
}
