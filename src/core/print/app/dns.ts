/**
 * DNS as tcpdump 4.99 prints it (print-domain.c domain_print): queries "4660+ A? example.com. (29)",
 * responses "4660 1/0/0 A 93.184.216.34 (45)"; -v adds the record names, -vv the question, authority
 * and additional sections, -vvv the TTLs. Over TCP the message follows a 2-byte length and the text
 * starts with a space after "length N" (tcpdump prints " " there, not ": ").
 *
 * Bounded like tcpdump: a compression pointer must point strictly backwards (else "<BAD PTR>"), so a
 * name costs at most one pass over the message; every section loop stops at the captured end.
 */

import { hex2, ipv4String, ipv6String, u16be, u32be } from '../../bytes';
import type { AppTransport } from '../../decode/app/index';
import { DNS_TYPE_NAMES, MDNS_PORT, T_A, T_AAAA, T_CNAME, T_DNAME, T_MX, T_NS, T_OPT, T_PTR, T_SOA, T_SRV, T_TXT } from '../../decode/app/dns';
import type { DecodedPacket } from '../../decode/packet';
import { l4CapEnd } from '../../decode/tcp';
import type { PrintContext } from '../context';

const T_UNSPECA = 104;
const T_TSIG = 250;
const T_A6 = 38;

const NS_OPS = [
  '', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA', ' updateD', ' updateDA', ' updateM',
  ' updateMA', ' zoneInit', ' zoneRef',
];
const NS_RESP = [
  '', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth', ' NotZone',
  ' Resp11', ' Resp12', ' Resp13', ' Resp14', ' Resp15', ' BadVers', ' BadKey', ' BadTime', ' BadMode', ' BadName', ' BadAlg',
  ' BadTrunc', ' BadCookie',
];
const CLASS2STR = new Map<number, string>([[1, 'IN'], [3, 'CHAOS'], [4, 'HS'], [255, 'ANY']]);
const EDNS_OPTS = new Map<number, string>([
  [1, 'LLQ'], [2, 'UL'], [3, 'NSID'], [5, 'DAU'], [6, 'DHU'], [7, 'N3U'], [8, 'ECS'], [9, 'EXPIRE'], [10, 'COOKIE'],
  [11, 'KEEPALIVE'], [12, 'PADDING'], [13, 'CHAIN'], [14, 'KEY-TAG'], [16, 'CLIENT-TAG'], [17, 'SERVER-TAG'],
]);

const C_IN = 1;
const C_QU = 0x8000;

function typeStr(t: number): string {
  return DNS_TYPE_NAMES.get(t) ?? 'Type' + t;
}
function classStr(c: number): string {
  return CLASS2STR.get(c) ?? '(Class ' + c + ')';
}

/** tcpdump's fn_print_char: "M-" for bytes ≥ 0x80, "^X" for control characters. */
function printChar(c: number): string {
  let s = '';
  if (c >= 0x80) {
    c &= 0x7f;
    s = 'M-';
  }
  if (c < 0x20 || c === 0x7f) return s + '^' + String.fromCharCode(c ^ 0x40);
  return s + String.fromCharCode(c);
}

/** Printer state for one message: output so far, bytes, message start, captured end. */
class DnsOut {
  s = '';
  constructor(
    readonly d: Uint8Array,
    readonly bp: number,
    readonly snapend: number,
    readonly v: number,
    readonly mdns: boolean,
  ) {}

  /** ns_nskip: offset after the name in place, -1 when not captured. */
  nskip(cp: number): number {
    const { d, snapend } = this;
    if (cp >= snapend) return -1;
    let i = d[cp++];
    // each step moves cp forward by ≥ 1: bounded by the capture
    while (i !== 0) {
      const kind = i & 0xc0;
      if (kind === 0xc0) return cp + 1;
      if (kind === 0x40) {
        if (i !== 0x41 || cp >= snapend) return -1;
        const bitlen = d[cp++] || 256;
        cp += (bitlen + 7) >> 3;
      } else cp += i;
      if (cp >= snapend) return -1;
      i = d[cp++];
    }
    return cp;
  }

  /** labellen: bytes of the label at cp (bit labels: their data + 1), -1 when unknown or not captured. */
  private labellen(cp: number): number {
    const { d, snapend } = this;
    if (cp >= snapend) return -1;
    const i = d[cp];
    if ((i & 0xc0) === 0x40) {
      if ((i & 0x3f) !== 1) {
        this.s += '<ELT ' + (i & 0x3f) + '>';
        return -1;
      }
      if (cp + 1 >= snapend) return -1;
      const bitlen = d[cp + 1] || 256;
      return ((bitlen + 7) >> 3) + 1;
    }
    return i;
  }

  /** fqdn_print: prints the name at cp; offset after it in place, or -1 (truncated / bad pointer). */
  name(cp: number): number {
    const { d, bp, snapend } = this;
    let maxOffset = cp - bp;
    let l = this.labellen(cp);
    if (l < 0) return -1;
    let i = d[cp++];
    let compress = false;
    let rp = -1;
    if ((i & 0xc0) !== 0xc0) rp = cp + l;
    if (i === 0) {
      this.s += '.';
      return rp;
    }
    let labels = 0;
    let hops = 0;
    while (i !== 0 && cp < snapend) {
      if ((i & 0xc0) === 0xc0) {
        if (!compress) {
          rp = cp + 1;
          compress = true;
        }
        if (cp >= snapend) return -1;
        const offset = ((i << 8) | d[cp]) & 0x3fff;
        // must move backwards (BIND's rule, tcpdump's loop guard): at most one pass over the message
        if (offset >= maxOffset) {
          this.s += '<BAD PTR>';
          return -1;
        }
        // a hop chain could still walk the whole message once per name (quadratic over a message of
        // names): 255 hops is past any real name (127 labels)
        if (++hops > 255) {
          this.s += '<BAD PTR>';
          return -1;
        }
        maxOffset = offset;
        cp = bp + offset;
        if (cp >= snapend) return -1;
        i = d[cp];
        l = this.labellen(cp);
        if (l < 0) return -1;
        cp++;
        continue;
      }
      if ((i & 0xc0) === 0x40) {
        if (!this.bitLabel(cp)) return -1;
      } else {
        const stop = cp + l;
        for (let k = cp; k < stop; k++) {
          if (k >= snapend) return -1;
          this.s += printChar(d[k]);
        }
      }
      cp += l;
      this.s += '.';
      // real names have ≤ 127 labels; past 255 the bytes are junk (tcpdump would go on: only absurd input differs)
      if (++labels > 255) return -1;
      if (cp >= snapend) return -1;
      l = this.labellen(cp);
      if (l < 0) return -1;
      i = d[cp++];
      if (!compress) rp += l + 1;
    }
    return rp;
  }

  /** blabel_print (EDNS0 bit label "\[x…/n]"); false when cut. */
  private bitLabel(cp: number): boolean {
    const { d, snapend } = this;
    if (cp >= snapend) return false;
    const bitlen = d[cp] || 256;
    const slen = (bitlen + 7) >> 3;
    if (cp + 1 + slen > snapend) return false;
    this.s += '\\[x';
    let b = bitlen;
    let p = cp + 1;
    for (; b > 8; b -= 8, p++) this.s += hex2(d[p]);
    const tc = d[p];
    if (b > 4) this.s += hex2(tc & (0xff << (8 - b)));
    else this.s += ((tc >> 4) & 0x0f & (0x0f << (4 - b))).toString(16);
    this.s += '/' + bitlen + ']';
    return true;
  }

  /** ns_qprint: " A? name." (with mDNS QU/QM); offset after the question or -1. */
  question(cp: number): number {
    const np = cp;
    cp = this.nskip(cp);
    if (cp < 0 || cp + 4 > this.snapend) return -1;
    const d = this.d;
    this.s += ' ' + typeStr(u16be(d, cp));
    const i = u16be(d, cp + 2);
    const cls = this.mdns ? i & ~C_QU : i;
    if (cls !== C_IN) this.s += ' ' + classStr(cls);
    if (this.mdns) this.s += i & C_QU ? ' (QU)' : ' (QM)';
    this.s += '? ';
    const e = this.name(np);
    return e < 0 ? -1 : e + 4;
  }

  /** ns_rprint: one record; offset after it, `snapend` when its fixed part is not captured, -1 when cut. */
  record(cp: number): number {
    const { d, snapend, v } = this;
    if (v) {
      this.s += ' ';
      cp = this.name(cp);
      if (cp < 0) return -1;
    } else cp = this.nskip(cp);
    if (cp < 0 || cp + 10 > snapend) return snapend;
    const typ = u16be(d, cp);
    const i = u16be(d, cp + 2);
    const cls = this.mdns ? i & 0x7fff : i;
    if (cls !== C_IN && typ !== T_OPT) this.s += ' ' + classStr(cls);
    if (this.mdns && i & 0x8000) this.s += ' (Cache flush)';
    let optFlags = 0;
    if (typ === T_OPT) optFlags = u16be(d, cp + 6);
    else if (v > 2) this.s += ' [' + relts(u32be(d, cp + 4)) + ']';
    const len = u16be(d, cp + 8);
    cp += 10;
    const rp = cp + len;
    this.s += ' ' + typeStr(typ);
    if (rp > snapend) return -1;
    switch (typ) {
      case T_A:
        if (cp + 4 > snapend) return -1;
        this.s += ' ' + ipv4String(d, cp);
        break;
      case T_NS:
      case T_CNAME:
      case T_PTR:
      case T_DNAME:
        this.s += ' ';
        if (this.name(cp) < 0) return -1;
        break;
      case T_SOA: {
        if (!v) break;
        this.s += ' ';
        let p = this.name(cp);
        if (p < 0) return -1;
        this.s += ' ';
        p = this.name(p);
        if (p < 0 || p + 20 > snapend) return -1;
        for (let k = 0; k < 5; k++) this.s += ' ' + u32be(d, p + 4 * k);
        break;
      }
      case T_MX:
        this.s += ' ';
        if (cp + 2 > snapend) return -1;
        if (this.name(cp + 2) < 0) return -1;
        this.s += ' ' + u16be(d, cp);
        break;
      case T_TXT: {
        let p = cp;
        // each string moves p forward by ≥ 1 byte (its length byte)
        while (p < rp) {
          this.s += ' "';
          if (p >= snapend) return -1;
          const n = d[p++];
          for (let k = 0; k < n; k++) {
            if (p + k >= snapend) return -1;
            this.s += printChar(d[p + k]);
          }
          p += n;
          this.s += '"';
        }
        break;
      }
      case T_SRV:
        this.s += ' ';
        if (cp + 6 > snapend) return -1;
        if (this.name(cp + 6) < 0) return -1;
        this.s += ':' + u16be(d, cp + 4) + ' ' + u16be(d, cp) + ' ' + u16be(d, cp + 2);
        break;
      case T_AAAA:
        if (cp + 16 > snapend) return -1;
        this.s += ' ' + ipv6String(d, cp);
        break;
      case T_A6: {
        if (cp >= snapend) return -1;
        const pbit = d[cp];
        const pbyte = (pbit & ~7) >> 3;
        if (pbit > 128) {
          this.s += ' ' + pbit + '(bad plen)';
          break;
        }
        if (pbit < 128) {
          if (cp + 1 + 16 - pbyte > snapend) return -1;
          const a = new Uint8Array(16);
          a.set(d.subarray(cp + 1, cp + 1 + 16 - pbyte), pbyte);
          this.s += ' ' + pbit + ' ' + ipv6String(a, 0);
        }
        if (pbit > 0) {
          this.s += ' ';
          if (this.name(cp + 1 + 16 - pbyte) < 0) return -1;
        }
        break;
      }
      case T_OPT: {
        this.s += ' UDPsize=' + cls;
        if (optFlags & 0x8000) this.s += ' DO';
        if (cp < rp) {
          this.s += ' [';
          let p = cp;
          while (p < rp) {
            p = this.ednsOption(p);
            if (p < 0) return -1;
            if (p < rp) this.s += ',';
          }
          this.s += ']';
        }
        break;
      }
      case T_UNSPECA:
        for (let k = cp; k < rp; k++) this.s += printChar(d[k]);
        break;
      case T_TSIG: {
        if (!v) break;
        this.s += ' ';
        let p = this.name(cp);
        if (p < 0) return -1;
        p += 6;
        if (p + 2 > snapend) return -1;
        this.s += ' fudge=' + u16be(d, p);
        p += 2;
        if (p + 2 > snapend) return -1;
        this.s += ' maclen=' + u16be(d, p);
        p += 2 + u16be(d, p);
        if (p + 2 > snapend) return -1;
        this.s += ' origid=' + u16be(d, p);
        p += 2;
        if (p + 2 > snapend) return -1;
        this.s += ' error=' + u16be(d, p);
        p += 2;
        if (p + 2 > snapend) return -1;
        this.s += ' otherlen=' + u16be(d, p);
        break;
      }
      default:
        break;
    }
    return rp;
  }

  /** eopt_print: one EDNS option ("COOKIE 0123456789abcdef"); offset after it or -1. */
  private ednsOption(cp: number): number {
    const { d, snapend } = this;
    if (cp + 2 > snapend) return -1;
    const opt = u16be(d, cp);
    this.s += EDNS_OPTS.get(opt) ?? 'Opt' + opt;
    if (cp + 4 > snapend) return -1;
    const n = u16be(d, cp + 2);
    cp += 4;
    if (cp + n > snapend) return -1;
    if (n > 0) {
      this.s += ' ';
      if (opt === 10) {
        if (n < 8 || (n > 8 && n < 16) || n > 40) this.s += ' (invalid)';
        else for (let k = 0; k < n; k++) this.s += (k === 8 ? ' ' : '') + hex2(d[cp + k]);
      } else if (opt === 11) {
        this.s += n !== 2 ? ' (invalid)' : (u16be(d, cp) / 10).toFixed(1) + ' sec';
      } else if (opt === 9) {
        this.s += n !== 4 ? ' (invalid)' : u32be(d, cp) + ' sec';
      } else if (opt === 12) {
        this.s += '(' + n + ')';
      } else if (opt === 14) {
        if (n % 2 !== 0) this.s += ' (invalid)';
        else for (let k = 0; k < n; k += 2) this.s += (k > 0 ? ' ' : '') + u16be(d, cp + k);
      } else if (opt === 8) {
        this.s += ecs(d, cp, n);
      } else for (let k = 0; k < n; k++) this.s += hex2(d[cp + k]);
    }
    return cp + n;
  }
}

/** print_eopt_ecs: "1.2.3.0/24/0" (family 1) or "2001:db8::/56/0" (family 2). */
function ecs(d: Uint8Array, cp: number, n: number): string {
  if (n < 4) return ' (invalid)';
  const family = u16be(d, cp);
  const src = d[cp + 2];
  const scope = d[cp + 3];
  const alen = family === 1 ? 4 : family === 2 ? 16 : 0;
  if (alen === 0 || src > alen * 8 || scope > alen * 8) return ' (invalid)';
  const need = (src + 7) >> 3;
  if (n - 4 !== need) return ' (invalid)';
  const a = new Uint8Array(16);
  a.set(d.subarray(cp + 4, cp + 4 + need), 0);
  return (family === 1 ? ipv4String(a, 0) : ipv6String(a, 0)) + '/' + src + '/' + scope;
}

/** unsigned_relts_print: "1h2m3s", "0s". */
function relts(secs: number): string {
  if (secs === 0) return '0s';
  const units: [number, string][] = [[31536000, 'y'], [604800, 'w'], [86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']];
  let s = '';
  for (const [n, u] of units) {
    if (secs >= n) {
      s += Math.floor(secs / n) + u;
      secs %= n;
    }
  }
  return s;
}

const TRUNC = ' [|domain]';

/** tcpdump's domain_print. */
export function printDns(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, transport: AppTransport): string {
  const d = pkt.data;
  const snapend = l4CapEnd(pkt);
  const mdns = transport === 17 && (pkt.l4.sport === MDNS_PORT || pkt.l4.dport === MDNS_PORT) && pkt.l4.sport !== 53 && pkt.l4.dport !== 53;
  let pre = '';
  let length = len;
  let bp = off;
  if (transport === 6) {
    if (length < 2) return ' [DNS over TCP: length ' + length + ' < 2] (invalid)';
    length -= 2;
    if (off + 2 > snapend) return TRUNC;
    const b2 = u16be(d, off);
    if (b2 !== length) return ' [prefix length(' + b2 + ') != length(' + length + ')] (invalid)';
    bp += 2;
    pre = ' ';
  }
  if (length < 12) return pre + 'domain [length ' + length + ' < 12] (invalid)';
  if (bp + 12 > snapend) return pre + TRUNC;
  const o = new DnsOut(d, bp, snapend, ctx.opts.verbose, mdns);
  const flags = u16be(d, bp + 2);
  let qd = u16be(d, bp + 4);
  const an = u16be(d, bp + 6);
  const ns = u16be(d, bp + 8);
  const ar = u16be(d, bp + 10);
  const opcode = (flags >> 11) & 15;
  // the OPT record's extended rcode (upper 8 bits): found by skipping to the additional section
  let rcode = flags & 15;
  scan: {
    let cp = bp + 12;
    for (let i = 0; i < qd; i++) {
      cp = o.nskip(cp);
      if (cp < 0) break scan;
      cp += 4;
      if (cp >= snapend) break scan;
    }
    for (let i = 0; i < an + ns; i++) {
      cp = o.nskip(cp);
      if (cp < 0) break scan;
      cp += 8;
      if (cp + 2 > snapend) break scan;
      cp += 2 + u16be(d, cp);
      if (cp >= snapend) break scan;
    }
    for (let i = 0; i < ar; i++) {
      cp = o.nskip(cp);
      if (cp < 0 || cp + 2 > snapend) break scan;
      const type = u16be(d, cp);
      cp += 4;
      if (cp + 1 > snapend) break scan;
      if (type === T_OPT) {
        rcode |= d[cp] << 4;
        break scan;
      }
      cp += 4;
      if (cp + 2 > snapend) break scan;
      cp += 2 + u16be(d, cp);
      if (cp >= snapend) break scan;
    }
  }
  const v = ctx.opts.verbose;
  const trunc = (): string => pre + o.s + TRUNC;
  let cp = bp + 12;
  /**
   * One record section as tcpdump's ns_rprint loop prints it: `label`, the records joined by ',',
   * stopping at the captured end; false when a record is cut or records are left (the caller
   * prints the truncation mark). `guarded`: the section starts only while bytes remain.
   */
  const section = (n: number, label: string, guarded: boolean): boolean => {
    if (n && (!guarded || cp < snapend)) {
      o.s += label;
      cp = o.record(cp);
      if (cp < 0) return false;
      n--;
      while (cp < snapend && n) {
        o.s += ',';
        cp = o.record(cp);
        if (cp < 0) return false;
        n--;
      }
    }
    return n === 0;
  };
  if (flags & 0x8000) {
    o.s += u16be(d, bp) + NS_OPS[opcode] + (rcode < NS_RESP.length ? NS_RESP[rcode] : ' Resp' + (rcode & 0xfff));
    o.s += (flags & 0x400 ? '*' : '') + (flags & 0x80 ? '' : '-') + (flags & 0x200 ? '|' : '') + (flags & 0x20 ? '$' : '');
    if (qd !== 1) o.s += ' [' + qd + 'q]';
    for (let i = 0; i < qd; i++) {
      if (i !== 0) o.s += ',';
      if (v > 1) {
        o.s += ' q:';
        cp = o.question(cp);
        if (cp < 0) return trunc();
      } else {
        cp = o.nskip(cp);
        if (cp < 0) return trunc();
        cp += 4;
      }
    }
    o.s += ' ' + an + '/' + ns + '/' + ar;
    if (!section(an, '', false)) return trunc();
    if (v > 1) {
      if (!section(ns, ' ns:', true)) return trunc();
      if (!section(ar, ' ar:', true)) return trunc();
    }
  } else {
    o.s += u16be(d, bp) + NS_OPS[opcode] + (flags & 0x100 ? '+' : '') + (flags & 0x10 ? '%' : '');
    if (flags & 0x6cf) o.s += ' [b2&3=0x' + flags.toString(16) + ']';
    if (opcode === 1) {
      if (qd) o.s += ' [' + qd + 'q]';
      if (an !== 1) o.s += ' [' + an + 'a]';
    } else {
      if (an) o.s += ' [' + an + 'a]';
      if (qd !== 1) o.s += ' [' + qd + 'q]';
    }
    if (ns) o.s += ' [' + ns + 'n]';
    if (ar) o.s += ' [' + ar + 'au]';
    if (qd) {
      cp = o.question(cp);
      if (cp < 0) return trunc();
      qd--;
      while (cp < snapend && qd) {
        cp = o.question(cp);
        if (cp < 0) return trunc();
        qd--;
      }
    }
    if (qd) return trunc();
    if (v > 1) {
      // (no " an:" label here: tcpdump 4.99 prints a request's answers bare, as after inv_q)
      if (!section(an, '', false)) return trunc();
      if (!section(ns, ' ns:', true)) return trunc();
      if (!section(ar, ' ar:', true)) return trunc();
    }
  }
  return pre + o.s + ' (' + length + ')';
}
