/**
 * What both halves of the printer's byte path (fast.ts: TCP lines; fastOther.ts: the others) write
 * alike: constant texts as ASCII bytes and IP addresses from the packet's bytes. Its own module because
 * fast.ts imports fastOther.ts (linkNetType, putLinkPrefix): fastOther.ts importing these from fast.ts
 * would be an import cycle.
 */

import { u16be } from '../bytes';
import type { LineBytes } from './fast';

/** ASCII bytes of a constant. */
export function ascii(s: string): Uint8Array {
  const a = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
  return a;
}

export const IP_ = ascii('IP ');
export const IP6_ = ascii('IP6 ');
export const GT = ascii(' > ');
/** Lower-case hex digits. */
export const HEX = ascii('0123456789abcdef');
const V4MAPPED = ascii('::ffff:');
const COLONS = ascii('::');

/** An IPv4 address from 4 bytes ("10.0.0.1"). */
export function putIPv4(out: LineBytes, d: Uint8Array, o: number): void {
  out.num(d[o]);
  out.buf[out.pos++] = 0x2e;
  out.num(d[o + 1]);
  out.buf[out.pos++] = 0x2e;
  out.num(d[o + 2]);
  out.buf[out.pos++] = 0x2e;
  out.num(d[o + 3]);
}

/**
 * An IPv6 address from 16 bytes as ipv6String (glibc's inet_ntop) writes it ("fe80::1",
 * "::ffff:10.0.0.1"), at most 45 bytes: the caller has made room.
 */
export function putIPv6(out: LineBytes, d: Uint8Array, o: number): void {
  // the longest run of zero words (the first of equal ones), when 2 words or more
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (d[o + 2 * i] !== 0 || d[o + 2 * i + 1] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && d[o + 2 * j] === 0 && d[o + 2 * j + 1] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  const b = out.buf;
  if (bestStart === 0 && (bestLen === 6 || (bestLen === 5 && d[o + 10] === 0xff && d[o + 11] === 0xff))) {
    // IPv4-mapped and IPv4-compatible forms; '::' and '::1' are not the latter
    if (!(bestLen === 6 && d[o + 12] === 0 && d[o + 13] === 0 && d[o + 14] === 0 && d[o + 15] <= 1)) {
      out.bytes(bestLen === 5 ? V4MAPPED : COLONS);
      putIPv4(out, d, o + 12);
      return;
    }
  }
  let p = out.pos;
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      b[p++] = 0x3a;
      if (i === 0) b[p++] = 0x3a;
      i += bestLen - 1;
      continue;
    }
    // the word in lower-case hex without leading zeros
    const w = (d[o + 2 * i] << 8) | d[o + 2 * i + 1];
    if (w >= 0x1000) b[p++] = HEX[w >> 12];
    if (w >= 0x100) b[p++] = HEX[(w >> 8) & 15];
    if (w >= 0x10) b[p++] = HEX[(w >> 4) & 15];
    b[p++] = HEX[w & 15];
    if (i < 7) b[p++] = 0x3a;
  }
  out.pos = p;
}

/**
 * printIPv4's checks, in its order, before it prints "IP " and the transport (without -v): true when the
 * IPv4 header at `off` of `d` (wire length `length`, `cap` bytes captured) passes them and its own header
 * says it is no later fragment. Anything else goes to the string printer.
 */
export function plainIPv4(d: Uint8Array, off: number, length: number, cap: number): boolean {
  if (length < 20 || cap - off < 20 || d[off] >> 4 !== 4) return false;
  const hlen = (d[off] & 15) * 4;
  if (hlen < 20) return false;
  const len = u16be(d, off + 2);
  if (len > length || len < hlen) return false;
  const capEnd = off + len < cap ? off + len : cap;
  return (u16be(d, off + 6) & 0x1fff) === 0 && off + hlen <= capEnd;
}
