/**
 * The packet-line scanner: one object a parse (it owns the run's scratch state: the lexer's
 * position, the spans, the flows seen), and `scan`, which reads the front of a line — the -#
 * number, the time (time.ts), the link layer (link.ts), the protocol word, the -v IP header
 * (ip.ts) — and hands the rest to the addresses and what follows them (endpoints.ts, tcp.ts,
 * options.ts). The fast path (fast.ts) reads the common TCP line without it.
 */

import * as M from './model';
import type { TextPacket } from './model';
import { isDigit, Lexer, NOT_PACKET, PACKET, UNREADABLE } from './lexer';
import type { SpanBuf } from './lexer';
import { scanTime } from './time';
import { scanEtherLink, scanIfPrefix } from './link';
import { scanIp4Header, scanIp6Header } from './ip';
import { Flows, scanAddresses } from './endpoints';
import { FastFlows } from './fast';

/** Lowercase first words of tcpdump lines for other link/network protocols. */
const OTHER_WORDS = new Set(['ethertype', 'vlan', 'unsupported', 'unknown', 'llc', 'aarp', 'arp', 'ipx', 'loopback', 'truncated-ip', 'ip-proto-17']);

export class Scanner extends Lexer {
  /** Why the last scan found the line unreadable. */
  reason = '';
  /** Set by the last scan: the -v IPv4 header was read and the addresses follow on the next line. */
  awaitCont = false;
  /** The flows seen by the general scanner, and by the fast path. */
  readonly flows = new Flows();
  readonly fastFlows = new FastFlows();

  constructor(sp: SpanBuf) {
    super(sp);
  }

  /**
   * Reads a packet line into p. Returns NOT_PACKET (prose), PACKET, or UNREADABLE (with `reason`).
   */
  scan(p: TextPacket, s: string, line: number): number {
    this.s = s;
    this.line = line;
    this.awaitCont = false;
    const n = s.length;
    const sp = this.sp;
    let i = 0;
    while (i < n && s.charCodeAt(i) === 32) i++;
    const lead = i;
    // -# number: digits followed by two spaces
    let c = s.charCodeAt(i);
    if (isDigit(c)) {
      const num = this.uint(s, i);
      if (s.charCodeAt(this.end) === 32 && s.charCodeAt(this.end + 1) === 32 && this.end + 2 < n) {
        const after = s.charCodeAt(this.end + 2);
        if (isDigit(after) || after === 32 || after === 45 || (after >= 65 && after <= 122)) {
          p.number = num;
          sp.add(M.F_NUMBER, line, i, this.end);
          i = this.end + 2;
        }
      }
    }
    // time
    let spaces = 0;
    while (i < n && s.charCodeAt(i) === 32) {
      i++;
      spaces++;
    }
    const hasTime = scanTime(this, p, i, p.number >= 0 ? spaces > 0 : lead > 0);
    if (hasTime) {
      i = this.end;
      if (s.startsWith(' (invalid', i)) {
        const e = s.indexOf(')', i);
        if (e > 0) {
          p.timeInvalid = true;
          i = e + 1;
        }
      }
      if (s.charCodeAt(i) !== 32) {
        // a lone time stamp (or a time glued to prose): not a packet
        return NOT_PACKET;
      }
      i++;
    }
    const rest = i;
    // nothing, or prose after the time
    let k = rest;
    while (k < n && s.charCodeAt(k) === 32) k++;
    if (k >= n) return NOT_PACKET;
    c = s.charCodeAt(k);
    if (c > 126) return NOT_PACKET;
    if (!hasTime && p.number < 0 && lead > 8) return NOT_PACKET;

    // SLL2 "eth0  In  " prefix (-i any on Linux, tcpdump ≥ 4.99); SLL -e "  P 00:11:…" (right-aligned)
    while (i < n && s.charCodeAt(i) === 32) i++;
    i = scanIfPrefix(this, p, i);
    // -e link header
    let etherType = -1;
    if (p.link === null) {
      const j = scanEtherLink(this, p, i);
      if (j > 0) {
        i = j;
        etherType = p.link!.etherType;
      }
    } else etherType = p.link.etherType;

    // protocol word
    let proto = '';
    if (etherType >= 0 || (p.link !== null && p.link.kind !== 'sll2')) {
      proto = etherType === 0x86dd ? 'IP6' : etherType === 0x0806 ? 'ARP' : etherType === 0x0800 ? 'IP' : '';
      p.proto = proto;
      if (proto === '' && etherType >= 0) {
        p.app = s.slice(i);
        return PACKET;
      }
    } else {
      if (s.startsWith('IP6 ', i)) proto = 'IP6';
      else if (s.startsWith('IP ', i)) proto = 'IP';
      else if (s.startsWith('ARP, ', i)) proto = 'ARP';
      if (proto !== '') {
        sp.add(M.F_PROTO, line, i, i + proto.length);
        p.proto = proto;
        i += proto.length + 1;
        if (proto === 'ARP') i++;
      } else if (!hasTime) {
        // no time, no protocol word: accept only "addr.port > addr.port: Flags [" (pasted without the front)
        const j = s.indexOf(' > ', i);
        if (j < 0 || s.indexOf(': Flags [', j) < 0) return NOT_PACKET;
        if (!this.looksLikeHost(i, j)) return NOT_PACKET;
      } else {
        // another protocol word after a time stamp: a packet we do not read further
        let e = i;
        while (e < n && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 44) e++;
        if (e === i) return NOT_PACKET;
        // tcpdump's protocol words: "STP", "LLDP", "802.1Q", "CDPv2", a MAC address, "ethertype …";
        // a lowercase word after a time is prose ("12:00:00.000000 is when it started")
        const c0 = s.charCodeAt(i);
        if (!((c0 >= 65 && c0 <= 90) || isDigit(c0) || OTHER_WORDS.has(s.slice(i, e)))) return NOT_PACKET;
        p.proto = s.slice(i, e);
        sp.add(M.F_PROTO, line, i, e);
        p.app = s.slice(e).replace(/^[, ]+/, '');
        if (p.app !== '') sp.add(M.F_APP, line, n - p.app.length, n);
        return PACKET;
      }
    }
    if (proto === 'ARP') {
      p.l4 = 'arp';
      p.app = s.slice(i);
      if (p.app !== '') sp.add(M.F_APP, line, i, n);
      return PACKET;
    }
    if (proto === 'IP') p.ipVersion = 4;
    else if (proto === 'IP6') p.ipVersion = 6;
    // tcpdump's notes before the header: "IP [total length 62 > length 50] (invalid) (tos …"
    while (p.ipVersion !== 0 && s.charCodeAt(i) === 91) {
      const e = s.indexOf(']', i);
      if (e < 0) break;
      let j = e + 1;
      if (s.startsWith(' (invalid)', j)) j += 10;
      while (j < n && s.charCodeAt(j) === 32) j++;
      if (s.charCodeAt(j) !== 40 || !s.startsWith('(tos ', j)) break;
      p.problem = s.slice(i, e + 1);
      i = j;
    }
    // -v IP header
    if (s.charCodeAt(i) === 40) {
      const close = this.matchParen(i);
      if (close < 0) {
        if (!hasTime) return NOT_PACKET;
        this.reason = 'IP header "(…" is not closed';
        return UNREADABLE;
      }
      sp.add(M.F_IP_HEADER, line, i, close + 1);
      const isV6 = proto === 'IP6' || s.startsWith('flowlabel', i + 1) || s.startsWith('hlim', i + 1) || s.startsWith('class', i + 1);
      if (isV6) {
        p.ipVersion = 6;
        scanIp6Header(this, p, i + 1, close);
      } else {
        p.ipVersion = 4;
        scanIp4Header(this, p, i + 1, close);
      }
      i = close + 1;
      while (i < n && s.charCodeAt(i) === 32) i++;
      if (p.ip6 !== null && s.startsWith('[real length ', i)) {
        const e = s.indexOf(']', i);
        if (e > 0) {
          p.ip6.lengthNote = s.slice(i, e + 1);
          i = e + 1;
          while (i < n && s.charCodeAt(i) === 32) i++;
        }
      }
      if (i >= n) {
        if (p.ipVersion === 4) {
          this.awaitCont = true;
          return PACKET;
        }
        p.cutShort = true;
        return PACKET;
      }
    }
    // without a time stamp or a number, "IP …" is a packet only when the addresses read
    const r = scanAddresses(this, p, i, hasTime || p.number >= 0);
    return r;
  }
}
