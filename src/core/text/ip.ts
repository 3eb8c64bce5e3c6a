/**
 * The -v network-layer header in parentheses: IPv4 "(tos 0x0, ttl 64, id 1, offset 0, flags [DF],
 * proto TCP (6), length 60)" and IPv6 "(flowlabel 0x…, hlim 64, next-header TCP (6), payload
 * length 40)" (4.99.3's wording too).
 */

import * as M from './model';
import type { TextIPv4, TextIPv6, TextPacket } from './model';
import type { Scanner } from './scanner';

export function scanIp4Header(sc: Scanner, p: TextPacket, a: number, b: number): void {
  const s = sc.s;
  const sp = sc.sp;
  const line = sc.line;
  const ip: TextIPv4 = { tos: -1, ecn: '', ttl: -1, id: -1, offset: -1, flags: '', protoName: '', proto: -1, length: -1, lengthNote: '', options: '', badCksum: -1, cksumShouldBe: -1 };
  const it = sc.items(a, b);
  for (let q = 0; q < it.length; q += 2) {
    const x = it[q];
    const y = it[q + 1];
    if (s.startsWith('tos 0x', x)) {
      ip.tos = sc.hex(s, x + 6);
      if (s.charCodeAt(sc.end) === 44) ip.ecn = s.slice(sc.end + 1, y);
      sp.add(M.F_IP_TOS, line, x, y);
    } else if (s.startsWith('ttl ', x)) {
      ip.ttl = sc.uint(s, x + 4);
      sp.add(M.F_IP_TTL, line, x, y);
    } else if (s.startsWith('id ', x)) {
      ip.id = sc.uint(s, x + 3);
      sp.add(M.F_IP_ID, line, x, y);
    } else if (s.startsWith('offset ', x)) {
      ip.offset = sc.uint(s, x + 7);
      sp.add(M.F_IP_OFFSET, line, x, y);
    } else if (s.startsWith('flags [', x)) {
      ip.flags = s.slice(x + 7, s.charCodeAt(y - 1) === 93 ? y - 1 : y);
      sp.add(M.F_IP_FLAGS, line, x, y);
    } else if (s.startsWith('proto ', x)) {
      const o = s.indexOf(' (', x + 6);
      if (o > 0 && o < y) {
        ip.protoName = s.slice(x + 6, o);
        ip.proto = sc.uint(s, o + 2);
      } else ip.protoName = s.slice(x + 6, y);
      sp.add(M.F_IP_PROTO, line, x, y);
    } else if (s.startsWith('length ', x)) {
      ip.length = sc.uint(s, x + 7);
      if (sc.end < y) ip.lengthNote = s.slice(sc.end, y).trim();
      sp.add(M.F_IP_LENGTH, line, x, y);
    } else if (s.startsWith('options (', x)) {
      ip.options = s.slice(x + 9, s.charCodeAt(y - 1) === 41 ? y - 1 : y);
    } else if (s.startsWith('bad cksum ', x)) {
      ip.badCksum = sc.hex(s, x + 10);
      const o = s.indexOf('(->', x);
      if (o > 0 && o < y) ip.cksumShouldBe = sc.hex(s, o + 3);
      sp.add(M.F_IP_CKSUM, line, x, y);
    }
  }
  p.ip4 = ip;
}

export function scanIp6Header(sc: Scanner, p: TextPacket, a: number, b: number): void {
  const s = sc.s;
  const sp = sc.sp;
  const line = sc.line;
  const ip: TextIPv6 = { cls: -1, flowlabel: -1, hlim: -1, nextHeaderName: '', nextHeader: -1, payloadLength: -1, oldWording: false, lengthNote: '' };
  const it = sc.items(a, b);
  for (let q = 0; q < it.length; q += 2) {
    const x = it[q];
    const y = it[q + 1];
    if (s.startsWith('class 0x', x)) {
      ip.cls = sc.hex(s, x + 8);
      sp.add(M.F_IP6_CLASS, line, x, y);
    } else if (s.startsWith('flowlabel 0x', x)) {
      ip.flowlabel = sc.hex(s, x + 12);
      sp.add(M.F_IP6_FLOWLABEL, line, x, y);
    } else if (s.startsWith('hlim ', x)) {
      ip.hlim = sc.uint(s, x + 5);
      sp.add(M.F_IP6_HLIM, line, x, y);
    } else if (s.startsWith('next-header ', x)) {
      const o = s.indexOf(' (', x + 12);
      let e = y;
      if (o > 0 && o < y) {
        ip.nextHeaderName = s.slice(x + 12, o);
        ip.nextHeader = sc.uint(s, o + 2);
        e = s.indexOf(')', o) + 1;
      } else ip.nextHeaderName = s.slice(x + 12, y);
      sp.add(M.F_IP6_NEXT_HEADER, line, x, e);
      // 4.99.3: "next-header TCP (6) payload length: 40"
      const pl = s.indexOf(' payload length: ', e - 1);
      if (pl >= 0 && pl < y) {
        ip.oldWording = true;
        ip.payloadLength = sc.uint(s, pl + 17);
        sp.add(M.F_IP6_PAYLOAD_LENGTH, line, pl + 1, y);
      }
    } else if (s.startsWith('payload length ', x)) {
      ip.payloadLength = sc.uint(s, x + 15);
      sp.add(M.F_IP6_PAYLOAD_LENGTH, line, x, y);
    }
  }
  p.ip6 = ip;
}
