import { hexPad, u16be, u32be } from '../bytes';
import { FieldSink } from './fields';
import { DecodedPacket, IPPROTO_TCP, IPPROTO_UDP, NET_IPV4, NET_IPV6 } from './packet';
import { decodeTransport } from './transport';
import * as scratch from './scratch';
import { cksumShouldBe, ipv4HeaderCksum } from './l4cksum';

/**
 * IPv4 and IPv6 (RFC 791, RFC 8200), checked the way tcpdump's ip_print / ip6_print check them,
 * so that the decoder and the printer agree on where the network layer stops. `length` is
 * tcpdump's length: bytes on the wire from the IP header on (the frame may hold fewer).
 */

/** net.err: why the network layer stopped early. */
export const IPERR_NONE = 0;
/** Cut short by the capture length (tcpdump " [|ip]"). */
export const IPERR_TRUNC = 1;
/** Wire length below the fixed header ("[length A < B]"). */
export const IPERR_LENGTH = 2;
/** Version field is not 4 / 6 ("[version A != B]"). */
export const IPERR_VERSION = 3;
/** IPv4 IHL*4 below 20 ("[header length A < 20]"). */
export const IPERR_HDRLEN = 4;
/** IPv4 total length below the header length ("[total length A < B]"). */
export const IPERR_TOTLEN = 5;
/** IPv4 options not all captured ("[remaining caplen(A) < header length(B)]"). */
export const IPERR_HDR_CAPLEN = 6;
/** IPv6 40 + payload length exceeds the wire length ("[header+payload length A > length B]"). */
export const IPERR_PLEN = 7;
/** Not the first fragment: no upper-layer header here (not damage). */
export const IPERR_FRAGMENT = 8;
/** IPv6 extension headers: invalid, cut short, or a header we do not walk (mobility). */
export const IPERR_EXT = 9;

export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_ROUTING = 43;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_DSTOPTS = 60;
export const IPPROTO_MOBILITY_OLD = 62;
export const IPPROTO_MOBILITY = 135;
export const IPPROTO_DCCP = 33;
export const IPPROTO_SCTP = 132;

const IP6_HDRLEN = 40;
const IP_HDRLEN = 20;

// ---------------------------------------------------------------------------------------------
// IPv4

export function decodeIPv4(pkt: DecodedPacket, off: number, length: number, sink: FieldSink | null): void {
  const d = pkt.data;
  const net = pkt.net;
  net.kind = NET_IPV4;
  net.off = off;
  net.wireLen = length;
  const avail = pkt.caplen - off;
  if (length < IP_HDRLEN) return ipFail(pkt, sink, IPERR_LENGTH, length, IP_HDRLEN, 'IPv4 packet length ' + length + ' < 20', false);
  if (avail < 1) return ipFail(pkt, sink, IPERR_TRUNC, avail, IP_HDRLEN, 'IPv4 header cut short: 0 of 20 bytes captured', true);
  const ver = d[off] >> 4;
  if (ver !== 4) return ipFail(pkt, sink, IPERR_VERSION, ver, 4, 'IP version ' + ver + ' in an IPv4 packet', false);
  const hlen = (d[off] & 15) * 4;
  if (hlen < IP_HDRLEN) return ipFail(pkt, sink, IPERR_HDRLEN, hlen, IP_HDRLEN, 'IPv4 header length ' + hlen + ' < 20', false);
  if (avail < 4) return ipFail(pkt, sink, IPERR_TRUNC, avail, IP_HDRLEN, 'IPv4 header cut short: ' + avail + ' of 20 bytes captured', true);
  const claimed = u16be(d, off + 2);
  let len = claimed;
  if (len > length) {
    pkt.markMalformed('IPv4 total length ' + len + ' > ' + length + ' bytes on the wire');
    len = length;
  }
  if (len < hlen) {
    if (len === 0) {
      if (avail < 10) return ipFail(pkt, sink, IPERR_TRUNC, avail, IP_HDRLEN, 'IPv4 header cut short: ' + avail + ' of 20 bytes captured', true);
      const p = d[off + 9];
      if (p === IPPROTO_TCP || p === IPPROTO_UDP) {
        // segmentation offload: the kernel left the length 0, the frame has the real one
        len = length;
        net.presumed = length > 65535 ? 2 : 1;
      }
    }
    if (len < hlen) return ipFail(pkt, sink, IPERR_TOTLEN, len, hlen, 'IPv4 total length ' + len + ' < header length ' + hlen, false);
  }
  if (avail < IP_HDRLEN) return ipFail(pkt, sink, IPERR_TRUNC, avail, IP_HDRLEN, 'IPv4 header cut short: ' + avail + ' of 20 bytes captured', true);

  const offField = u16be(d, off + 6);
  const proto = d[off + 9];
  net.hdrLen = hlen;
  net.totalLen = net.presumed ? len : claimed;
  net.setAddresses(d, off + 12, off + 16, 4);
  net.proto = proto;
  net.hdrProto = proto;
  net.fragOffset = (offField & 0x1fff) * 8;
  net.isFragment = (offField & 0x2000) !== 0 || net.fragOffset !== 0;
  net.payloadOff = off + hlen;
  net.payloadLen = len - hlen;
  if (sink) ipv4Fields(pkt, sink, off, hlen, len);
  if (net.fragOffset !== 0) {
    net.err = IPERR_FRAGMENT;
    return;
  }
  if (off + hlen > pkt.caplen) {
    net.err = IPERR_HDR_CAPLEN;
    net.errA = pkt.caplen - off;
    net.errB = hlen;
    pkt.markTruncated('IPv4 options cut short: ' + (pkt.caplen - off) + ' of ' + hlen + ' header bytes captured');
    return;
  }
  decodeTransport(pkt, sink);
}

function ipFail(pkt: DecodedPacket, sink: FieldSink | null, err: number, a: number, b: number, why: string, trunc: boolean): void {
  const net = pkt.net;
  net.err = err;
  net.errA = a;
  net.errB = b;
  if (trunc) pkt.markTruncated(why);
  else pkt.markMalformed(why);
  if (sink) {
    const avail = pkt.caplen - net.off;
    sink.open(net.kind === NET_IPV6 ? 'ipv6' : 'ip', net.kind === NET_IPV6 ? 'Internet Protocol Version 6' : 'Internet Protocol Version 4', net.off, avail > 0 ? avail : 0);
    sink.note(trunc ? 'error' : 'error', why, net.off, avail > 0 ? avail : 0);
    sink.close();
  }
}

function ipv4Fields(pkt: DecodedPacket, sink: FieldSink, off: number, hlen: number, len: number): void {
  const d = pkt.data;
  const net = pkt.net;
  const tos = d[off + 1];
  const offField = u16be(d, off + 6);
  const hdrCap = Math.min(hlen, pkt.caplen - off);
  sink.open('ip', 'Internet Protocol Version 4, Src: ' + net.src + ', Dst: ' + net.dst, off, hdrCap);
  sink.field('ip.version', 'Version', off, 1, 4, '4', 0xf0);
  sink.field('ip.hdr_len', 'Header Length', off, 1, hlen, hlen + ' bytes (' + (hlen >> 2) + ')', 0x0f);
  sink.field('ip.dsfield', 'Differentiated Services Field', off + 1, 1, tos, '0x' + hexPad(tos, 2));
  sink.field('ip.dsfield.dscp', 'Differentiated Services Codepoint', off + 1, 1, tos >> 2, String(tos >> 2), 0xfc);
  sink.field('ip.dsfield.ecn', 'Explicit Congestion Notification', off + 1, 1, tos & 3, String(tos & 3), 0x03);
  const claimed = u16be(d, off + 2);
  sink.field('ip.len', 'Total Length', off + 2, 2, claimed, net.presumed ? claimed + ' (presumed ' + len + ')' : String(claimed));
  if (claimed > net.wireLen) sink.note('warning', 'total length ' + claimed + ' > ' + net.wireLen + ' bytes on the wire', off + 2, 2);
  sink.field('ip.id', 'Identification', off + 4, 2, u16be(d, off + 4), '0x' + hexPad(u16be(d, off + 4), 4) + ' (' + u16be(d, off + 4) + ')');
  sink.field('ip.flags', 'Flags', off + 6, 1, offField >> 13, '0x' + (offField >> 13).toString(16), 0xe0);
  sink.field('ip.flags.rb', 'Reserved bit', off + 6, 2, (offField & 0x8000) !== 0, (offField & 0x8000) !== 0 ? 'Set' : 'Not set', 0x8000);
  sink.field('ip.flags.df', "Don't fragment", off + 6, 2, (offField & 0x4000) !== 0, (offField & 0x4000) !== 0 ? 'Set' : 'Not set', 0x4000);
  sink.field('ip.flags.mf', 'More fragments', off + 6, 2, (offField & 0x2000) !== 0, (offField & 0x2000) !== 0 ? 'Set' : 'Not set', 0x2000);
  sink.field('ip.frag_offset', 'Fragment Offset', off + 6, 2, (offField & 0x1fff) * 8, String((offField & 0x1fff) * 8), 0x1fff);
  sink.field('ip.ttl', 'Time to Live', off + 8, 1, d[off + 8], String(d[off + 8]));
  sink.field('ip.proto', 'Protocol', off + 9, 1, d[off + 9], ipProtoName(d[off + 9]) + ' (' + d[off + 9] + ')');
  const field = u16be(d, off + 10);
  let ck = '0x' + hexPad(field, 4);
  if (hdrCap === hlen) {
    const c = ipv4HeaderCksum(d, off, hlen);
    ck += c === 0 ? ' [correct]' : ' [incorrect, should be 0x' + hexPad(cksumShouldBe(field, c), 4) + ']';
  }
  sink.field('ip.checksum', 'Header Checksum', off + 10, 2, field, ck);
  sink.field('ip.src', 'Source Address', off + 12, 4, net.src, net.src);
  sink.field('ip.dst', 'Destination Address', off + 16, 4, net.dst, net.dst);
  if (hlen > IP_HDRLEN) {
    sink.open('ip.options', 'Options: (' + (hlen - IP_HDRLEN) + ' bytes)', off + IP_HDRLEN, hdrCap - IP_HDRLEN);
    if (hdrCap < hlen) sink.note('error', 'options cut short: ' + (hdrCap - IP_HDRLEN) + ' of ' + (hlen - IP_HDRLEN) + ' bytes captured', off + IP_HDRLEN, hdrCap - IP_HDRLEN);
    let p = off + IP_HDRLEN;
    const end = off + hdrCap;
    while (p < end) {
      const code = d[p];
      if (code === 0 || code === 1) {
        sink.field('ip.opt.type', IP_OPTION_NAMES.get(code)!, p, 1, code, IP_OPTION_NAMES.get(code)!);
        p++;
        if (code === 0) break;
        continue;
      }
      if (p + 1 >= end) break;
      const ol = d[p + 1];
      const name = IP_OPTION_NAMES.get(code) ?? 'unknown ' + code;
      if (ol < 2 || p + ol > off + hlen) {
        sink.note('warning', name + ': bad length ' + ol, p, end - p);
        break;
      }
      sink.field('ip.opt.type', name, p, Math.min(ol, end - p), code, name + ' (' + ol + ' bytes)');
      p += ol;
    }
    sink.close();
  }
  if (net.presumed) sink.note('info', net.presumed === 2 ? 'total length was 0, presumed BIG TCP' : 'total length was 0, presumed TSO', off + 2, 2);
  sink.close();
}

/** tcpdump's ip_option_values. */
export const IP_OPTION_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'EOL'],
  [1, 'NOP'],
  [68, 'timestamp'],
  [130, 'security'],
  [7, 'RR'],
  [137, 'SSRR'],
  [131, 'LSRR'],
  [148, 'RA'],
  [82, 'traceroute'],
]);

/** tcpdump's ipproto_values (the names printed in "proto TCP (6)" / "next-header TCP (6)"). */
const IPPROTO_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'HBH'],
  [1, 'ICMP'],
  [2, 'IGMP'],
  [4, 'IPIP'],
  [6, 'TCP'],
  [8, 'EGP'],
  [9, 'IGRP'],
  [17, 'UDP'],
  [33, 'DCCP'],
  [41, 'IPv6'],
  [43, 'Routing'],
  [44, 'Fragment'],
  [46, 'RSVP'],
  [47, 'GRE'],
  [50, 'ESP'],
  [51, 'AH'],
  [55, 'Mobile IP'],
  [58, 'ICMPv6'],
  [62, 'Mobile IP (old)'],
  [88, 'EIGRP'],
  [89, 'OSPF'],
  [103, 'PIM'],
  [108, 'Compressed IP'],
  [112, 'VRRP'],
  [113, 'PGM'],
  [132, 'SCTP'],
  [135, 'Mobility'],
]);

export function ipProtoName(p: number): string {
  return IPPROTO_NAMES.get(p) ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------
// IPv6

// The walk's result type and its W_* statuses live in scratch.ts (each DecodedPacket owns one walk).
// Re-exported as data, not with `export { … } from './scratch'`: TypeScript compiles that to getters on this
// module's exports object, and a module object with accessors made decodeFrame 2.5 to 3 times slower (about 30 →
// 90 ms for 278,000 frames, measured while moving these classes into scratch.ts).
export const Ip6Walk = scratch.Ip6Walk;
export type Ip6Walk = scratch.Ip6Walk;
export const W_UPPER = scratch.W_UPPER;
export const W_TRUNC = scratch.W_TRUNC;
export const W_INVALID = scratch.W_INVALID;
export const W_STOP = scratch.W_STOP;

/**
 * Walk IPv6 extension headers as tcpdump's ip6_print does (hop-by-hop with the Jumbo Payload
 * option, destination options, routing, fragment). `off`: IPv6 header (40 bytes captured);
 * `length`: wire length from `off`; `cap`: captured end of the frame. Text-free: the printer's
 * twin (print/ip6.ts printIp6Ext) walks the same way and prints what tcpdump prints.
 */
export function walkIPv6(d: Uint8Array, off: number, length: number, cap: number, w: Ip6Walk): Ip6Walk {
  const plen = u16be(d, off + 4);
  let len = plen !== 0 ? plen + IP6_HDRLEN : length + IP6_HDRLEN;
  let capEnd = off + (length < len ? length : len);
  if (capEnd > cap) capEnd = cap;
  let nh = d[off + 6];
  let ph = 255;
  let cp = off;
  let advance = IP6_HDRLEN;
  let total = 0;
  let foundExt = false;
  let foundJumbo = false;
  let foundHbh = false;
  let payloadLen = plen;
  w.status = W_UPPER;
  w.fragmented = false;
  w.fragOffset = 0;
  w.presumed = 0;
  w.jumbo = -1;
  w.why = '';
  w.truncProto = '';
  for (;;) {
    if (len < advance) return walkEnd(w, W_TRUNC, 'ip6', 'IPv6 extension headers longer than the payload');
    cp += advance;
    len -= advance;
    total += advance;
    switch (nh) {
      case IPPROTO_HOPOPTS:
      case IPPROTO_DSTOPTS: {
        const hbh = nh === IPPROTO_HOPOPTS;
        const pname = hbh ? 'hbhopt' : 'dstopt';
        if (hbh) {
          if (foundHbh) return walkInvalid(w, '[The Hop-by-Hop Options header was already found]');
          if (ph !== 255) return walkInvalid(w, "[The Hop-by-Hop Options header don't follow the IPv6 header]");
        }
        if (cp + 2 > capEnd) return walkEnd(w, W_TRUNC, pname, (hbh ? 'hop-by-hop' : 'destination') + ' options header cut short');
        const hl = (d[cp + 1] + 1) << 3;
        if (cp + hl > capEnd) return walkEnd(w, W_TRUNC, pname, (hbh ? 'hop-by-hop' : 'destination') + ' options header cut short');
        w.foundJumbo = false;
        w.jumboVal = 0;
        const r = ip6Options(d, cp + 2, hl - 2, w, hbh ? payloadLen : -1);
        if (hbh && w.foundJumbo) {
          foundJumbo = true;
          payloadLen = w.jumboVal;
          w.jumbo = w.jumboVal;
        }
        if (r < 0) return walkEnd(w, W_TRUNC, pname, 'bad option in ' + (hbh ? 'hop-by-hop' : 'destination') + ' options header');
        if (hbh && payloadLen === 0 && !foundJumbo) return walkInvalid(w, '[No valid Jumbo Payload Hop-by-Hop option found]');
        foundExt = true;
        if (hbh) foundHbh = true;
        nh = d[cp];
        advance = hl;
        break;
      }
      case IPPROTO_FRAGMENT: {
        if (cp + 4 > capEnd) return walkEnd(w, W_TRUNC, 'frag6', 'fragment header cut short');
        const fo = u16be(d, cp + 2) & 0xfff8;
        w.fragmented = true;
        w.fragOffset = fo;
        if (cp + 1 <= capEnd) w.nh = d[cp];
        w.cp = cp + 8;
        if (fo !== 0) return walkEnd(w, W_STOP, '', '');
        advance = 8;
        if (capEnd <= cp + advance) return walkEnd(w, W_STOP, '', '');
        foundExt = true;
        nh = d[cp];
        break;
      }
      case IPPROTO_MOBILITY_OLD:
      case IPPROTO_MOBILITY:
        // mobility header (RFC 6275): not decoded; tcpdump stops after it as well
        return walkEnd(w, W_STOP, '', 'mobility header not decoded');
      case IPPROTO_ROUTING: {
        if (cp + 1 > capEnd) return walkEnd(w, W_TRUNC, 'ip6', 'routing header cut short');
        const a = routingHeader(d, cp, capEnd);
        if (a < 0) return walkEnd(w, W_TRUNC, 'rt6', 'routing header cut short or of an unknown type');
        foundExt = true;
        nh = d[cp];
        advance = a;
        break;
      }
      default: {
        if (foundJumbo) {
          len = payloadLen + IP6_HDRLEN;
          if (len < total) return walkEnd(w, W_TRUNC, 'ip6', 'jumbo payload length shorter than the headers');
          if (len > length) return walkInvalid(w, '');
          capEnd = off + len < cap ? off + len : cap;
          len -= total;
        } else if (plen === 0) {
          if (foundExt) return walkInvalid(w, '');
          if ((nh === IPPROTO_TCP || nh === IPPROTO_UDP) && length > 65535) {
            // BIG TCP without the hop-by-hop jumbo option: the frame has the real length
            w.presumed = 2;
            len = length - IP6_HDRLEN;
            capEnd = off + length < cap ? off + length : cap;
          } else {
            len = 0;
            capEnd = off + IP6_HDRLEN < cap ? off + IP6_HDRLEN : cap;
          }
        }
        w.status = W_UPPER;
        w.nh = nh;
        w.cp = cp;
        w.len = len;
        w.capEnd = capEnd;
        return w;
      }
    }
    ph = nh;
  }
}

function walkEnd(w: Ip6Walk, status: number, proto: string, why: string): Ip6Walk {
  w.status = status;
  w.truncProto = proto;
  w.why = why;
  return w;
}

function walkInvalid(w: Ip6Walk, msg: string): Ip6Walk {
  w.status = W_INVALID;
  w.why = msg ? msg.slice(1, -1) : 'invalid IPv6 extension headers';
  return w;
}

/**
 * Checks the options of a hop-by-hop / destination options header as tcpdump's ip6_opt_process
 * does. `payloadLen`: the IPv6 payload length for hop-by-hop (jumbo checks), -1 for destination
 * options. Sets w.foundJumbo/w.jumboVal for a valid Jumbo Payload option (the first one, with a
 * payload length of 0 and a value of at least 65536). Returns -1 when an option is cut short or bad.
 */
function ip6Options(d: Uint8Array, p: number, len: number, w: Ip6Walk, payloadLen: number): number {
  let seen = false;
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const type = d[p + i];
    if (type === 0) optlen = 1;
    else if (i + 1 < len) optlen = d[p + i + 1] + 2;
    else return -1;
    if (i + optlen > len) return -1;
    switch (type) {
      case 0x00:
        break;
      case 0x01:
        if (len - i < 2) return -1;
        break;
      case 0x05:
        if (len - i < 4 || d[p + i + 1] !== 2) return -1;
        break;
      case 0xc2:
        if (len - i < 6 || d[p + i + 1] !== 4) return -1;
        if (!seen) {
          seen = true;
          const val = u32be(d, p + i + 2);
          if (payloadLen === 0 && val >= 65536) {
            w.foundJumbo = true;
            w.jumboVal = val;
          }
        }
        break;
      case 0xc9:
        if (len - i < 18 || d[p + i + 1] < 16) return -1;
        break;
      default:
        if (len - i < 2) return -1;
    }
  }
  return 0;
}

/** Length of the routing header at `cp` (types 0, 2 and 4, as tcpdump's rt6_print), or -1 when cut short / unknown. */
function routingHeader(d: Uint8Array, cp: number, capEnd: number): number {
  if (cp + 4 > capEnd) return -1;
  const hl = d[cp + 1];
  const type = d[cp + 2];
  if (type === 0 || type === 2) {
    if (cp + 8 > capEnd || hl % 2 === 1) return -1;
    // hl / 2 addresses of 16 bytes, all captured
    return cp + 8 + (hl >> 1) * 16 > capEnd ? -1 : (hl + 1) << 3;
  }
  if (type === 4) {
    if (cp + 8 > capEnd) return -1;
    // segments 0 .. last-entry, 16 bytes each
    return cp + 8 + (d[cp + 4] + 1) * 16 > capEnd ? -1 : (hl + 1) << 3;
  }
  return -1;
}

export function decodeIPv6(pkt: DecodedPacket, off: number, length: number, sink: FieldSink | null): void {
  const d = pkt.data;
  const net = pkt.net;
  net.kind = NET_IPV6;
  net.off = off;
  net.wireLen = length;
  const avail = pkt.caplen - off;
  if (length < IP6_HDRLEN) return ipFail(pkt, sink, IPERR_LENGTH, length, IP6_HDRLEN, 'IPv6 packet length ' + length + ' < 40', false);
  if (avail < 1) return ipFail(pkt, sink, IPERR_TRUNC, 0, IP6_HDRLEN, 'IPv6 header cut short: 0 of 40 bytes captured', true);
  const ver = d[off] >> 4;
  if (ver !== 6) return ipFail(pkt, sink, IPERR_VERSION, ver, 6, 'IP version ' + ver + ' in an IPv6 packet', false);
  if (avail < 6) return ipFail(pkt, sink, IPERR_TRUNC, avail, IP6_HDRLEN, 'IPv6 header cut short: ' + avail + ' of 40 bytes captured', true);
  const plen = u16be(d, off + 4);
  if (plen !== 0 && plen + IP6_HDRLEN > length) {
    return ipFail(pkt, sink, IPERR_PLEN, plen + IP6_HDRLEN, length, 'IPv6 payload length ' + plen + ' + 40 > ' + length + ' bytes on the wire', false);
  }
  if (avail < IP6_HDRLEN) return ipFail(pkt, sink, IPERR_TRUNC, avail, IP6_HDRLEN, 'IPv6 header cut short: ' + avail + ' of 40 bytes captured', true);
  const nh = d[off + 6];
  net.hdrProto = nh;
  net.totalLen = plen + IP6_HDRLEN;
  net.setAddresses(d, off + 8, off + 24, 16);
  if (sink) ipv6Fields(pkt, sink, off);
  const w = walkIPv6(d, off, length, pkt.caplen, pkt.scratch.ip6Walk);
  net.isFragment = w.fragmented;
  net.fragOffset = w.fragOffset;
  net.jumbo = w.jumbo;
  if (w.status === W_UPPER) {
    net.hdrLen = w.cp - off;
    net.proto = w.nh;
    net.payloadOff = w.cp;
    net.payloadLen = w.len;
    net.presumed = w.presumed;
    if (w.jumbo >= 0) net.totalLen = w.jumbo + IP6_HDRLEN;
    if (w.presumed) net.totalLen = length;
    if (sink && net.hdrLen > IP6_HDRLEN) ipv6ExtFields(d, off, w.cp, sink);
    decodeTransport(pkt, sink);
    return;
  }
  if (w.fragmented && w.status === W_STOP) {
    // a fragment whose upper-layer header is not here
    net.err = IPERR_FRAGMENT;
    net.proto = w.nh;
    net.hdrLen = w.cp - off;
    net.payloadOff = w.cp;
    const end = plen + IP6_HDRLEN + off - w.cp;
    net.payloadLen = end > 0 ? end : 0;
    return;
  }
  net.err = IPERR_EXT;
  if (sink) ipv6ExtFields(d, off, Math.min(pkt.caplen, off + length), sink);
  if (w.status === W_TRUNC) pkt.markTruncated('IPv6 ' + w.why);
  else if (w.status === W_INVALID) pkt.markMalformed('IPv6 ' + w.why);
  if (sink && w.why) sink.note(w.status === W_STOP ? 'info' : 'error', w.why, off + IP6_HDRLEN, Math.max(0, Math.min(pkt.caplen, off + length) - off - IP6_HDRLEN));
}

function ipv6Fields(pkt: DecodedPacket, sink: FieldSink, off: number): void {
  const d = pkt.data;
  const net = pkt.net;
  const flow = u32be(d, off);
  const tc = (flow >>> 20) & 0xff;
  sink.open('ipv6', 'Internet Protocol Version 6, Src: ' + net.src + ', Dst: ' + net.dst, off, IP6_HDRLEN);
  sink.field('ipv6.version', 'Version', off, 1, 6, '6', 0xf0);
  sink.field('ipv6.tclass', 'Traffic Class', off, 2, tc, '0x' + hexPad(tc, 2), 0x0ff0);
  sink.field('ipv6.flow', 'Flow Label', off + 1, 3, flow & 0xfffff, '0x' + hexPad(flow & 0xfffff, 5), 0x0fffff);
  sink.field('ipv6.plen', 'Payload Length', off + 4, 2, u16be(d, off + 4), String(u16be(d, off + 4)));
  sink.field('ipv6.nxt', 'Next Header', off + 6, 1, d[off + 6], ipProtoName(d[off + 6]) + ' (' + d[off + 6] + ')');
  sink.field('ipv6.hlim', 'Hop Limit', off + 7, 1, d[off + 7], String(d[off + 7]));
  sink.field('ipv6.src', 'Source Address', off + 8, 16, net.src, net.src);
  sink.field('ipv6.dst', 'Destination Address', off + 24, 16, net.dst, net.dst);
  sink.close();
}

/** Report the extension headers between the IPv6 header at `off` and `end` (fields stay inside the captured bytes). */
function ipv6ExtFields(d: Uint8Array, off: number, end: number, sink: FieldSink): void {
  let nh = d[off + 6];
  let p = off + IP6_HDRLEN;
  if (end > d.length) end = d.length;
  while (p + 2 <= end) {
    let hl: number;
    let name: string;
    let label: string;
    if (nh === IPPROTO_HOPOPTS || nh === IPPROTO_DSTOPTS) {
      hl = (d[p + 1] + 1) << 3;
      name = nh === IPPROTO_HOPOPTS ? 'ipv6.hopopts' : 'ipv6.dstopts';
      label = nh === IPPROTO_HOPOPTS ? 'IPv6 Hop-by-Hop Option' : 'Destination Options for IPv6';
    } else if (nh === IPPROTO_ROUTING) {
      hl = (d[p + 1] + 1) << 3;
      name = 'ipv6.routing';
      label = 'Routing Header for IPv6';
    } else if (nh === IPPROTO_FRAGMENT) {
      hl = 8;
      name = 'ipv6.fragment';
      label = 'Fragment Header for IPv6';
    } else return;
    const shown = p + hl <= end ? hl : end - p;
    sink.open(name, label, p, shown);
    sink.field(name + '.nxt', 'Next Header', p, 1, d[p], ipProtoName(d[p]) + ' (' + d[p] + ')');
    if (nh === IPPROTO_FRAGMENT) {
      if (p + 8 <= end) {
        const offlg = u16be(d, p + 2);
        sink.field('ipv6.fragment.offset', 'Offset', p + 2, 2, offlg & 0xfff8, String(offlg & 0xfff8), 0xfff8);
        sink.field('ipv6.fragment.more', 'More Fragments', p + 2, 2, (offlg & 1) !== 0, (offlg & 1) !== 0 ? 'Yes' : 'No', 0x0001);
        sink.field('ipv6.fragment.id', 'Identification', p + 4, 4, u32be(d, p + 4), '0x' + hexPad(u32be(d, p + 4), 8));
      }
    } else {
      sink.field(name + '.len', 'Length', p + 1, 1, d[p + 1], d[p + 1] + ' (' + hl + ' bytes)');
      if (nh === IPPROTO_ROUTING && p + 4 <= end) {
        sink.field('ipv6.routing.type', 'Type', p + 2, 1, d[p + 2], String(d[p + 2]));
        sink.field('ipv6.routing.segleft', 'Segments Left', p + 3, 1, d[p + 3], String(d[p + 3]));
      }
    }
    if (shown < hl) sink.note('error', label + ' cut short: ' + shown + ' of ' + hl + ' bytes captured', p, shown);
    sink.close();
    if (shown < hl) return;
    nh = d[p];
    p += hl;
    if (name === 'ipv6.fragment' && (u16be(d, p - 6) & 0xfff8) !== 0) return;
  }
}
