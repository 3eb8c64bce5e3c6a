/**
 * BOOTP/DHCP as tcpdump prints it (print-bootp.c, UDP ports 67 and 68):
 *   "BOOTP/DHCP, Request from 00:0c:29:12:34:56, length 300"
 * and with -v the header's interesting fields and every RFC 1048 option on its own "\n\t    " line
 * ("DHCP-Message (53), length 1: Discover"), with tcpdump's option names and value formats (its
 * tag2str table: i addresses, l/L 32-bit numbers, s 16-bit, b bytes, x hex, a text, B booleans,
 * p address pairs, $ the special ones). A read past the captured bytes ends the text with " [|bootp]"
 * (tcpdump's longjmp). Checked against the installed tcpdump on generated captures.
 * The option walk moves forward at least one byte a step: linear in the datagram.
 */

import type { AppTransport } from '../../decode/app/index';
import type { DecodedPacket } from '../../decode/packet';
import { l4CapEnd } from '../../decode/tcp';
import type { PrintContext } from '../context';
import { fnPrintChar as printableChar } from './chars';

const TRUNC = ' [|bootp]';

/** tcpdump's tag2str: the first character is the value format, the rest the name. */
const TAGS: ReadonlyMap<number, string> = new Map([
  [0, ' PAD'], [1, 'iSubnet-Mask'], [2, 'LTime-Zone'], [3, 'iDefault-Gateway'], [4, 'iTime-Server'], [5, 'iIEN-Name-Server'],
  [6, 'iDomain-Name-Server'], [7, 'iLOG'], [8, 'iCS'], [9, 'iLPR-Server'], [10, 'iIM'], [11, 'iRL'], [12, 'aHostname'], [13, 'sBS'],
  [255, ' END'], [14, 'aDP'], [15, 'aDomain-Name'], [16, 'iSS'], [17, 'aRP'], [18, 'aEP'], [19, 'BIPF'], [20, 'BSRT'], [21, 'pPF'],
  [22, 'sRSZ'], [23, 'bTTL'], [24, 'lMTU-Timeout'], [25, 'sMTU-Table'], [26, 'sMTU'], [27, 'BLSN'], [28, 'iBR'], [29, 'BMD'],
  [30, 'BMS'], [31, 'BRouter-Discovery'], [32, 'iRSA'], [33, 'pStatic-Route'], [34, 'BUT'], [35, 'lAT'], [36, 'BIE'], [37, 'bTT'],
  [38, 'lKI'], [39, 'BKG'], [40, 'aYD'], [41, 'iYS'], [42, 'iNTP'], [43, 'bVendor-Option'], [44, 'iNetbios-Name-Server'],
  [45, 'iWDD'], [46, '$Netbios-Node'], [47, 'aNetbios-Scope'], [48, 'iXFS'], [49, 'iXDM'], [64, 'sN+D'], [65, 'iN+S'], [68, 'iMH'],
  [69, 'iSMTP'], [70, 'iPOP3'], [71, 'iNNTP'], [72, 'iWWW'], [73, 'iFG'], [74, 'iIRC'], [75, 'iSTS'], [76, 'iSTDA'],
  [50, 'iRequested-IP'], [51, 'lLease-Time'], [52, '$OO'], [66, 'aTFTP'], [67, 'aBF'], [53, ' DHCP-Message'], [54, 'iServer-ID'],
  [55, 'bParameter-Request'], [56, 'aMSG'], [57, 'sMSZ'], [58, 'lRN'], [59, 'lRB'], [60, 'aVendor-Class'], [61, '$Client-ID'],
  [98, 'aUAP'], [116, 'BAuto-Configure'], [78, 'bSLP-DA'], [79, 'bSLP-SCOPE'], [117, 'sNSSEARCH'], [77, '$User-Class'],
  [118, 'iSUBNET'], [121, '$Classless-Static-Route'], [249, '$Classless-Static-Route-Microsoft'], [150, 'iTFTP-Server-Address'],
  [80, 'aSLP-NA'], [81, '$FQDN'], [82, '$Agent-Information'], [83, 'bARMT'], [88, 'aTZSTR'], [89, 'bFQDNS'], [90, 'bAUTH'],
  [91, 'lLast-Transaction-Time'], [92, 'iAssociated-IP'], [93, 'sARCH'], [94, 'bNDI'], [97, 'bGUID'], [95, 'aLDAP'],
  [100, 'aPOSIX-TZ'], [101, 'aTZ-Name'], [112, 'iNI'], [113, 'aNITAG'], [114, 'aURL'],
]);

const DHCP_MSG: readonly string[] = ['', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NACK', 'Release', 'Inform', '', 'LeaseQuery', 'LeaseUnassigned', 'LeaseUnknown', 'LeaseActive'];
const NBO: ReadonlyMap<number, string> = new Map([[1, 'b-node'], [2, 'p-node'], [4, 'm-node'], [8, 'h-node']]);
const OO: ReadonlyMap<number, string> = new Map([[1, 'file'], [2, 'sname'], [3, 'file+sname']]);
const ARP: ReadonlyMap<number, string> = new Map([[1, 'ether'], [6, 'ieee802'], [7, 'arcnet'], [0xf, 'frelay'], [0x17, 'strip'], [0x18, 'ieee1394']]);
const AGENT: ReadonlyMap<number, string> = new Map([[1, 'Circuit-ID'], [2, 'Remote-ID'], [6, 'Subscriber-ID']]);
const FQDN_FLAGS: readonly [number, string][] = [[1, 'S'], [2, 'O'], [4, 'E'], [8, 'N']];

/** Thrown (and caught in printBootp only) when a read passes the captured bytes: tcpdump's longjmp. */
class Trunc {}
const TRUNC_SIGNAL = new Trunc();

/** Bounded reader over the datagram: every read checks the capture end. */
class R {
  constructor(readonly d: Uint8Array, readonly cap: number) {}
  u8(o: number): number {
    if (o >= this.cap) throw TRUNC_SIGNAL;
    return this.d[o];
  }
  u16(o: number): number {
    if (o + 2 > this.cap) throw TRUNC_SIGNAL;
    return (this.d[o] << 8) | this.d[o + 1];
  }
  u32(o: number): number {
    if (o + 4 > this.cap) throw TRUNC_SIGNAL;
    return ((this.d[o] << 24) >>> 0) + (this.d[o + 1] << 16) + (this.d[o + 2] << 8) + this.d[o + 3];
  }
  check(o: number, n: number): void {
    if (o + n > this.cap) throw TRUNC_SIGNAL;
  }
  ip(o: number): string {
    this.check(o, 4);
    const d = this.d;
    return d[o] + '.' + d[o + 1] + '.' + d[o + 2] + '.' + d[o + 3];
  }
  mac(o: number): string {
    this.check(o, 6);
    let s = '';
    for (let i = 0; i < 6; i++) s += (i ? ':' : '') + this.d[o + i].toString(16).padStart(2, '0');
    return s;
  }
  /** nd_printjn: n bytes through fn_print_char. */
  jn(o: number, n: number): string {
    this.check(o, n);
    let s = '';
    for (let i = 0; i < n; i++) s += printableChar(this.d[o + i]);
    return s;
  }
}

/** What the printer wrote so far, kept when a read fails half-way (tcpdump's output is already out). */
interface Out {
  s: string;
}

export function printBootp(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, _t: AppTransport): string {
  const out: Out = { s: '' };
  try {
    bootp(new R(pkt.data, l4CapEnd(pkt)), ctx.opts.verbose, off, len, out);
  } catch (e) {
    if (e !== TRUNC_SIGNAL) throw e;
    out.s += TRUNC;
  }
  return out.s;
}

function bootp(r: R, v: number, off: number, len: number, out: Out): void {
  const op = r.u8(off);
  out.s += 'BOOTP/DHCP, ' + (op === 1 ? 'Request' : op === 2 ? 'Reply' : 'unknown (0x' + op.toString(16).padStart(2, '0') + ')');
  const htype = r.u8(off + 1);
  const hlen = r.u8(off + 2);
  if (htype === 1 && hlen === 6 && op === 1) out.s += ' from ' + r.mac(off + 28);
  out.s += ', length ' + len;
  if (!v) return;
  r.check(off + 8, 2);
  if (htype !== 1) out.s += ', htype ' + htype;
  if (htype !== 1 || hlen !== 6) out.s += ', hlen ' + hlen;
  const hops = r.u8(off + 3);
  if (hops) out.s += ', hops ' + hops;
  const xid = r.u32(off + 4);
  if (xid) out.s += ', xid 0x' + xid.toString(16);
  const secs = r.u16(off + 8);
  if (secs) out.s += ', secs ' + secs;
  const flags = r.u16(off + 10);
  out.s += ', Flags [' + (flags & 0x8000 ? 'Broadcast' : 'none') + ']';
  if (v > 1) out.s += ' (0x' + flags.toString(16).padStart(4, '0') + ')';
  const addr = (o: number, label: string): void => {
    if (r.u32(off + o) !== 0) out.s += '\n\t  ' + label + ' ' + r.ip(off + o);
  };
  addr(12, 'Client-IP');
  addr(16, 'Your-IP');
  addr(20, 'Server-IP');
  addr(24, 'Gateway-IP');
  if (htype === 1 && hlen === 6) out.s += '\n\t  Client-Ethernet-Address ' + r.mac(off + 28);
  for (const [o, n, label] of [[44, 64, 'sname'], [108, 128, 'file']] as [number, number, string][]) {
    if (r.u8(off + o) === 0) continue;
    out.s += '\n\t  ' + label + ' "';
    // nd_printztn: up to the NUL within n bytes; no NUL: the text, '"' and " (invalid)"
    let i = 0;
    for (; i < n; i++) {
      const c = r.u8(off + o + i);
      if (c === 0) break;
      out.s += printableChar(c);
    }
    out.s += '"';
    if (i === n) {
      out.s += ' (invalid)';
      return;
    }
  }
  r.check(off + 236, 4);
  const magic = r.u32(off + 236);
  if (magic === 0x63825363) rfc1048(r, v, off + 236, out);
  else if (magic === 0x434d5500) cmu(r, off + 236, out);
  else if (magic !== 0) out.s += '\n\t  Vendor-#0x' + magic.toString(16);
}

function cmu(r: R, bp: number, out: Out): void {
  out.s += ' vend-cmu';
  const f = r.u8(bp + 4);
  if ((f & ~1) !== 0) out.s += ' F:0x' + f.toString(16);
  const a = (o: number, label: string): void => {
    if (r.u32(bp + o) !== 0) out.s += ' ' + label + ':' + r.ip(bp + o);
  };
  a(12, 'DG');
  a(8, f & 1 ? 'SM' : 'SM*');
  a(16, 'NS1');
  a(20, 'NS2');
  a(24, 'IEN1');
  a(28, 'IEN2');
  a(32, 'TS1');
  a(36, 'TS2');
}

function rfc1048(r: R, v: number, bp: number, out: Out): void {
  out.s += '\n\t  Vendor-rfc1048 Extensions';
  out.s += '\n\t    Magic Cookie 0x' + r.u32(bp).toString(16).padStart(8, '0');
  bp += 4;
  // ND_TTEST_1: while a tag byte is captured (each step moves bp forward)
  while (bp < r.cap) {
    const tag = r.u8(bp++);
    if (tag === 0 && v < 3) continue;
    if (tag === 255 && v < 3) return;
    const entry = TAGS.get(tag) ?? '?Unknown';
    let c = entry[0];
    const name = entry.slice(1);
    let len = 0;
    if (tag !== 0 && tag !== 255) len = r.u8(bp++);
    out.s += '\n\t    ' + name + ' (' + tag + '), length ' + len + (len > 0 ? ': ' : '');
    if (tag === 0 && v > 2) {
      let n = 1;
      while (bp < r.cap && r.d[bp] === 0) {
        bp++;
        n++;
      }
      if (n > 1) out.s += ', occurs ' + n;
    }
    r.check(bp, len);
    if (tag === 53 && len === 1) {
      const m = r.u8(bp++);
      out.s += m < DHCP_MSG.length && DHCP_MSG[m] !== '' ? DHCP_MSG[m] : 'Unknown (' + m + ')';
      continue;
    }
    if (tag === 55) {
      for (let idx = 0; len > 0; idx++, len--) {
        const inner = r.u8(bp++);
        out.s += (idx % 4 === 0 ? '\n\t      ' : ', ') + (TAGS.get(inner) ?? '?Unknown').slice(1) + ' (' + inner + ')';
      }
      continue;
    }
    if (c === '?') c = len & 1 ? 'b' : len & 2 ? 's' : 'l';
    let first = true;
    switch (c) {
      case 'a':
        out.s += '"' + r.jn(bp, len) + '"';
        bp += len;
        len = 0;
        break;
      case 'i':
      case 'l':
      case 'L':
        while (len >= 4) {
          if (!first) out.s += ',';
          out.s += c === 'i' ? r.ip(bp) : c === 'L' ? String(r.u32(bp) | 0) : String(r.u32(bp));
          bp += 4;
          len -= 4;
          first = false;
        }
        break;
      case 'p':
        if (len < 8 || len % 8 !== 0) {
          out.s += (len === 0 ? ' ' : '') + '[length != N x 8 bytes]';
          bp += len;
          len = 0;
          break;
        }
        while (len >= 8) {
          if (!first) out.s += ',';
          out.s += '(' + r.ip(bp) + ':' + r.ip(bp + 4) + ')';
          bp += 8;
          len -= 8;
          first = false;
        }
        break;
      case 's':
        while (len >= 2) {
          if (!first) out.s += ',';
          out.s += String(r.u16(bp));
          bp += 2;
          len -= 2;
          first = false;
        }
        break;
      case 'B': {
        if (len !== 1) {
          out.s += '[length != 1 byte] (invalid)';
          bp += len;
          len = 0;
          break;
        }
        const b = r.u8(bp);
        out.s += b === 0 ? 'N' : b === 1 ? 'Y' : b + '?';
        bp++;
        len--;
        break;
      }
      case '$': {
        const res = special(r, tag, bp, len, out);
        bp = res.bp;
        len = res.len;
        break;
      }
      default:
        while (len !== 0) {
          if (!first) out.s += c === 'x' ? ':' : '.';
          const b = r.u8(bp);
          out.s += c === 'x' ? b.toString(16).padStart(2, '0') : String(b);
          bp++;
          len--;
          first = false;
        }
    }
    if (len) {
      out.s += '\n\t  trailing data length ' + len;
      bp += len;
    }
  }
}

/** The '$' tags (tcpdump's explicit cases); returns where the option's reading ended. */
function special(r: R, tag: number, bp: number, len: number, out: Out): { bp: number; len: number } {
  switch (tag) {
    case 46:
    case 52: {
      if (len < 1) {
        out.s += '[length < 1 byte] (invalid)';
        return { bp, len };
      }
      const t = r.u8(bp);
      out.s += (tag === 46 ? NBO : OO).get(t) ?? '';
      return { bp: bp + 1, len: len - 1 };
    }
    case 81: {
      if (len < 3) {
        out.s += '[length < 3 bytes] (invalid)';
        return { bp: bp + len, len: 0 };
      }
      const f = r.u8(bp);
      if (f & 0xf0) out.s += '[MBZ nibble 0x' + ((f & 0xf0) >> 4).toString(16) + ' != 0] (invalid)';
      if (f & 0x0f) out.s += '[' + FQDN_FLAGS.filter(([b]) => f & b).map(([, n]) => n).join('') + '] ';
      const r1 = r.u8(bp + 1);
      const r2 = r.u8(bp + 2);
      if (r1 || r2) out.s += r1 + '/' + r2 + ' ';
      out.s += '"' + r.jn(bp + 3, len - 3) + '"';
      return { bp: bp + len, len: 0 };
    }
    case 61: {
      if (len < 1) {
        out.s += '[length < 1 byte] (invalid)';
        return { bp, len };
      }
      const type = r.u8(bp);
      bp++;
      len--;
      if (type === 0) {
        out.s += '"' + r.jn(bp, len) + '"';
        return { bp: bp + len, len: 0 };
      }
      out.s += (ARP.get(type) ?? 'hardware-type ' + type + ',') + ' ';
      for (let first = true; len !== 0; first = false) {
        if (!first) out.s += ':';
        out.s += r.u8(bp).toString(16).padStart(2, '0');
        bp++;
        len--;
      }
      return { bp, len };
    }
    case 82: {
      while (len >= 2) {
        const sub = r.u8(bp);
        const sl = r.u8(bp + 1);
        bp += 2;
        len -= 2;
        const name = AGENT.get(sub) ?? 'Unknown';
        if (sl > len) {
          out.s += '\n\t      ' + name + ' SubOption ' + sub + ', length ' + sl + ': length goes past end of option';
          return { bp: bp + len, len: 0 };
        }
        out.s += '\n\t      ' + name + ' SubOption ' + sub + ', length ' + sl + ': ';
        if (AGENT.has(sub)) out.s += r.jn(bp, sl);
        else out.s += unknownData(r, bp, sl);
        len -= sl;
        bp += sl;
      }
      return { bp, len };
    }
    case 121:
    case 249: {
      if (len < 5) {
        out.s += '[length < 5 bytes] (invalid)';
        return { bp: bp + len, len: 0 };
      }
      for (let first = true; len !== 0; first = false) {
        if (!first) out.s += ',';
        const w = r.u8(bp);
        bp++;
        len--;
        if (w > 32) {
          out.s += '[Mask width (' + w + ') > 32] (invalid)';
          return { bp: bp + len, len: 0 };
        }
        const sig = (w + 7) >> 3;
        if (len < sig + 4) {
          out.s += '[Remaining length (' + len + ') < ' + (sig + 4) + ' bytes] (invalid)';
          return { bp: bp + len, len: 0 };
        }
        out.s += '(';
        if (w === 0) out.s += 'default';
        else {
          for (let i = 0; i < sig; i++) out.s += (i > 0 ? '.' : '') + r.u8(bp + i);
          for (let i = sig; i < 4; i++) out.s += '.0';
          out.s += '/' + w;
        }
        bp += sig;
        out.s += ':' + r.ip(bp) + ')';
        bp += 4;
        len -= sig + 4;
      }
      return { bp, len };
    }
    case 77: {
      if (len < 2) {
        out.s += '[length < 2 bytes] (invalid)';
        return { bp: bp + len, len: 0 };
      }
      for (let n = 1; len !== 0; n++) {
        const sl = r.u8(bp);
        bp++;
        len--;
        out.s += '\n\t      instance#' + n + ': ';
        if (sl === 0) {
          out.s += '[suboption length == 0] (invalid)';
          return { bp: bp + len, len: 0 };
        }
        if (len < sl) {
          out.s += '[length ' + len + ' < suboption length ' + sl + ' (invalid)';
          return { bp: bp + len, len: 0 };
        }
        out.s += '"' + r.jn(bp, sl) + '", length ' + sl;
        len -= sl;
        bp += sl;
      }
      return { bp, len };
    }
    default:
      out.s += '[unknown special tag ' + tag + ', size ' + len + ']';
      return { bp: bp + len, len: 0 };
  }
}

/** print_unknown_data with the "\n\t\t" prefix: hex_print lines of 16 bytes. */
function unknownData(r: R, bp: number, n: number): string {
  r.check(bp, n);
  let s = '';
  for (let i = 0; i < n; i += 2) {
    if (i % 16 === 0) s += '\n\t\t0x' + i.toString(16).padStart(4, '0') + ': ';
    s += ' ' + r.d[bp + i].toString(16).padStart(2, '0') + (i + 1 < n ? r.d[bp + i + 1].toString(16).padStart(2, '0') : '');
  }
  return s;
}
