/**
 * The IPv4 and IPv6 layers as tcpdump prints them (ip_print, ip6_print): the "IP"/"IP6" word, -v
 * headers with tos/ttl/id/flags/options and checksums, then what follows through printTransport.
 * printNet (link.ts) chooses between them and ARP.
 */
import { hexPad, ipv4String, u16be, u32be } from '../bytes';
import { DecodedPacket } from '../decode/packet';
import { IP_OPTION_NAMES, ipProtoName, IPPROTO_DCCP, IPPROTO_SCTP, W_UPPER } from '../decode/ip';
import { cksumShouldBe, ipv4HeaderCksum } from '../decode/l4cksum';
import { printIp6Ext } from './ip6';
import { PrintContext } from './context';
import { printTransport } from './transport';
/** bittok2str(ip_frag_values, "none", off & 0xe000). */
function fragFlags(offField: number): string {
  let s = '';
  if (offField & 0x2000) s = '+';
  if (offField & 0x4000) s += (s ? ', ' : '') + 'DF';
  if (offField & 0x8000) s += (s ? ', ' : '') + 'rsvd';
  return s || 'none';
}

export function printIPv4(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const net = pkt.net;
  const off = net.off;
  const length = net.wireLen;
  const cap = pkt.caplen;
  const avail = cap - off;
  const v = ctx.opts.verbose;
  let s = ctx.opts.linkHeader ? '' : 'IP ';
  if (length < 20) return s + ' [length ' + length + ' < 20] (invalid)';
  if (avail < 1) return s + ' [|ip]';
  const ver = d[off] >> 4;
  if (ver !== 4) return s + ' [version ' + ver + ' != 4] (invalid)';
  const hlen = (d[off] & 15) * 4;
  if (hlen < 20) return s + ' [header length ' + hlen + ' < 20] (invalid)';
  if (avail < 4) return s + ' [|ip]';
  const claimed = u16be(d, off + 2);
  let len = claimed;
  if (len > length) {
    s += '[total length ' + len + ' > length ' + length + '] (invalid) ';
    len = length;
  }
  let presumed = 0;
  if (len < hlen) {
    if (len === 0) {
      if (avail < 10) return s + ' [|ip]';
      const p = d[off + 9];
      if (p === 6 || p === 17) {
        len = length;
        presumed = length > 65535 ? 2 : 1;
      }
    }
    if (len < hlen) return s + ' [total length ' + len + ' < ' + hlen + '] (invalid)';
  }
  if (avail < 20) return s + ' [|ip]';
  const capEnd = off + len < cap ? off + len : cap;
  const offField = u16be(d, off + 6);
  const proto = d[off + 9];
  if (v) {
    const tos = d[off + 1];
    s += '(tos 0x' + tos.toString(16);
    switch (tos & 3) {
      case 1: s += ',ECT(1)'; break;
      case 2: s += ',ECT(0)'; break;
      case 3: s += ',CE'; break;
    }
    const ttl = d[off + 8];
    if (ttl >= 1) s += ', ttl ' + ttl;
    s += ', id ' + u16be(d, off + 4) + ', offset ' + (offField & 0x1fff) * 8 + ', flags [' + fragFlags(offField) + '], proto ' + ipProtoName(proto) + ' (' + proto + ')';
    if (presumed) s += ', length ' + len + (presumed === 2 ? ' [was 0, presumed BIG TCP]' : ' [was 0, presumed TSO]');
    else s += ', length ' + claimed;
    let truncated = false;
    if (hlen > 20) {
      s += ', options (';
      const r = ipOptions(d, off + 20, hlen - 20, capEnd);
      s += r.text;
      if (r.status === OPT_LONGJMP) return s + ' [|ip]';
      if (r.status === OPT_TRUNC) {
        s += ' [truncated-option]';
        truncated = true;
      }
      s += ')';
    }
    if (off + hlen <= capEnd) {
      const c = ipv4HeaderCksum(d, off, hlen);
      if (c !== 0) {
        const field = u16be(d, off + 10);
        s += ', bad cksum ' + field.toString(16) + ' (->' + cksumShouldBe(field, c).toString(16) + ')!';
      }
    }
    s += ')\n    ';
    if (truncated) return s + ipv4String(d, off + 12) + ' > ' + ipv4String(d, off + 16) + ':  [|ip]';
  }
  if ((offField & 0x1fff) === 0) {
    if (off + hlen > capEnd) {
      if (proto !== 6 && proto !== 17 && proto !== IPPROTO_SCTP && proto !== IPPROTO_DCCP) {
        s += ipv4String(d, off + 12) + ' > ' + ipv4String(d, off + 16) + ': ';
      }
      return s + ' [remaining caplen(' + (capEnd - off) + ') < header length(' + hlen + ')] [|ip]';
    }
    return s + printTransport(pkt, ctx);
  }
  // not the first fragment: no upper-layer header here
  return s + ipv4String(d, off + 12) + ' > ' + ipv4String(d, off + 16) + ': ip-proto-' + proto;
}

const OPT_OK = 0;
const OPT_TRUNC = 1;
const OPT_LONGJMP = 2;

/** tcpdump's ip_optprint: "NOP,NOP,RR 1.2.3.4, …". */
function ipOptions(d: Uint8Array, p: number, length: number, capEnd: number): { text: string; status: number } {
  let t = '';
  let sep = '';
  while (length > 0) {
    t += sep;
    sep = ',';
    if (p >= capEnd) return { text: t, status: OPT_LONGJMP };
    const code = d[p];
    t += IP_OPTION_NAMES.get(code) ?? 'unknown ' + code;
    let ol: number;
    if (code === 0 || code === 1) ol = 1;
    else {
      if (p + 1 >= capEnd) return { text: t, status: OPT_LONGJMP };
      ol = d[p + 1];
      if (ol < 2) return { text: t + ' [bad length ' + ol + ']', status: OPT_OK };
    }
    if (ol > length) return { text: t + ' [bad length ' + ol + ']', status: OPT_OK };
    if (p + ol > capEnd) return { text: t, status: OPT_TRUNC };
    switch (code) {
      case 0:
        return { text: t, status: OPT_OK };
      case 68: {
        const r = ipTimestamp(d, p, ol, capEnd);
        t += r.text;
        if (r.status !== OPT_OK) return { text: t, status: OPT_TRUNC };
        break;
      }
      case 7:
      case 131:
      case 137: {
        const r = ipRoute(d, p, ol, capEnd);
        t += r.text;
        if (r.status !== OPT_OK) return { text: t, status: OPT_TRUNC };
        break;
      }
      case 148:
        if (ol < 4) t += ' [bad length ' + ol + ']';
        else if (u16be(d, p + 2) !== 0) t += ' value ' + u16be(d, p + 2);
        break;
    }
    p += ol;
    length -= ol;
  }
  return { text: t, status: OPT_OK };
}

function ipRoute(d: Uint8Array, cp: number, length: number, capEnd: number): { text: string; status: number } {
  if (length < 3) return { text: ' [bad length ' + length + ']', status: OPT_OK };
  let t = '';
  if ((length + 1) & 3) t += ' [bad length ' + length + ']';
  const ptr = d[cp + 2] - 1;
  if (ptr < 3 || ((ptr + 1) & 3) || ptr > length + 1) t += ' [bad ptr ' + d[cp + 2] + ']';
  for (let len = 3; len < length; len += 4) {
    if (cp + len + 4 > capEnd) return { text: t, status: OPT_TRUNC };
    t += ' ' + ipv4String(d, cp + len);
    if (ptr > len) t += ',';
  }
  return { text: t, status: OPT_OK };
}

function ipTimestamp(d: Uint8Array, cp: number, length: number, capEnd: number): { text: string; status: number } {
  if (length < 4) return { text: '[bad length ' + length + ']', status: OPT_OK };
  let t = ' TS{';
  const flg = d[cp + 3];
  const hoplen = (flg & 0xf) !== 0 ? 8 : 4;
  if ((length - 4) & (hoplen - 1)) t += '[bad length ' + length + ']';
  const ptr = d[cp + 2] - 1;
  let len = 0;
  if (ptr < 4 || ((ptr - 4) & (hoplen - 1)) || ptr > length + 1) t += '[bad ptr ' + d[cp + 2] + ']';
  let ok = true;
  switch (flg & 0xf) {
    case 0: t += 'TSONLY'; break;
    case 1: t += 'TS+ADDR'; break;
    case 2: t += 'PRESPEC2.0'; break;
    case 3: t += 'PRESPEC'; break;
    default:
      t += '[bad ts type ' + (flg & 0xf) + ']';
      ok = false;
  }
  if (ok) {
    let type = ' ';
    for (len = 4; len < length; len += hoplen) {
      if (ptr === len) type = ' ^ ';
      if (cp + len + hoplen > capEnd) return { text: t, status: OPT_TRUNC };
      t += type + u32be(d, cp + len + hoplen - 4) + '@' + (hoplen !== 8 ? '' : ipv4String(d, cp + len));
      type = ' ';
    }
  }
  t += ptr === len ? ' ^ ' : '';
  t += flg >> 4 ? ' [' + (flg >> 4) + ' hops not recorded]} ' : '}';
  return { text: t, status: OPT_OK };
}

export function printIPv6(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const net = pkt.net;
  const off = net.off;
  const length = net.wireLen;
  const avail = pkt.caplen - off;
  const v = ctx.opts.verbose;
  let s = ctx.opts.linkHeader ? '' : 'IP6 ';
  if (length < 40) return s + ' [length ' + length + ' < 40] (invalid)';
  if (avail < 1) return s + ' [|ip6]';
  const ver = d[off] >> 4;
  if (ver !== 6) return s + ' [version ' + ver + ' != 6] (invalid)';
  if (avail < 6) return s + ' [|ip6]';
  const plen = u16be(d, off + 4);
  if (plen !== 0 && plen + 40 > length) return s + ' [header+payload length ' + (plen + 40) + ' > length ' + length + '] (invalid)';
  if (avail < 7) return s + ' [|ip6]';
  const nh = d[off + 6];
  if (v) {
    if (avail < 8) return s + ' [|ip6]';
    const flow = u32be(d, off);
    s += '(';
    if (flow & 0x0ff00000) s += 'class 0x' + hexPad((flow & 0x0ff00000) >>> 20, 2) + ', ';
    if (flow & 0x000fffff) s += 'flowlabel 0x' + hexPad(flow & 0x000fffff, 5) + ', ';
    s += 'hlim ' + d[off + 7] + ', next-header ' + ipProtoName(nh) + ' (' + nh + '), payload length ' + plen + ') ';
  }
  if (avail < 40) return s + ' [|ip6]';
  const w = printIp6Ext(d, off, length, pkt.caplen, v, ctx.ip6Walk);
  s += w.out;
  if (w.status !== W_UPPER) return s;
  return s + printTransport(pkt, ctx);
}

/** ARP as tcpdump's arp_print prints it. */
