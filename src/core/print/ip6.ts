import { hexPad, ipv6String, u16be, u32be } from '../bytes';
import { IPPROTO_TCP, IPPROTO_UDP } from '../decode/packet';
import {
  Ip6Walk, IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS, IPPROTO_MOBILITY, IPPROTO_MOBILITY_OLD, IPPROTO_ROUTING, W_INVALID,
  W_STOP, W_TRUNC, W_UPPER,
} from '../decode/ip';

/**
 * The text tcpdump prints between an IPv6 header and its upper layer (print-ip6.c, print-ip6opts.c,
 * print-frag6.c, print-rt6.c): "HBH (jumbo: 70000) ", "frag (0|1448) ", "srcrt (len=2, …) ", and
 * the " [|hbhopt]" / "(invalid)" endings. It walks the headers as decode/ip.ts's walkIPv6 does
 * (same statuses in the same places), so the decoder builds no text; the one difference is
 * tcpdump's own: with -v the fragment header is read whole (8 bytes), without it 4.
 */

/** walkIPv6's result plus the text. One per PrintContext (ctx.ip6Walk). */
export class Ip6PrintWalk extends Ip6Walk {
  out = '';
}

const IP6_HDRLEN = 40;

/**
 * Walk IPv6 extension headers as tcpdump's ip6_print does (hop-by-hop with the Jumbo Payload
 * option, destination options, routing, fragment). `off`: IPv6 header (40 bytes captured);
 * `length`: wire length from `off`; `cap`: captured end of the frame. Sets w.out to the text
 * tcpdump prints between the IPv6 header and the upper layer (v = -v count).
 */
export function printIp6Ext(d: Uint8Array, off: number, length: number, cap: number, v: number, w: Ip6PrintWalk): Ip6PrintWalk {
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
  w.out = '';
  w.truncProto = '';
  for (;;) {
    if (len < advance) return walkEnd(w, W_TRUNC, 'ip6', 'IPv6 extension headers longer than the payload');
    cp += advance;
    len -= advance;
    total += advance;
    if (cp === off + IP6_HDRLEN && isWalkedExt(nh)) {
      w.out += ipv6String(d, off + 8) + ' > ' + ipv6String(d, off + 24) + ': ';
    }
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
        w.out += hbh ? 'HBH ' : 'DSTOPT ';
        w.foundJumbo = false;
        w.jumboVal = 0;
        const r = ip6Options(d, cp + 2, hl - 2, v, w, hbh ? payloadLen : -1);
        if (hbh && w.foundJumbo) {
          foundJumbo = true;
          payloadLen = w.jumboVal;
          w.jumbo = w.jumboVal;
        }
        if (r < 0) {
          walkEnd(w, W_TRUNC, pname, 'bad option in ' + (hbh ? 'hop-by-hop' : 'destination') + ' options header');
          if (hbh && payloadLen === 0 && !foundJumbo) w.out += '[No valid Jumbo Payload Hop-by-Hop option found] (invalid)';
          return w;
        }
        if (hbh && payloadLen === 0 && !foundJumbo) return walkInvalid(w, '[No valid Jumbo Payload Hop-by-Hop option found]');
        foundExt = true;
        if (hbh) foundHbh = true;
        nh = d[cp];
        advance = hl;
        break;
      }
      case IPPROTO_FRAGMENT: {
        if (cp + (v ? 8 : 4) > capEnd) return walkEnd(w, W_TRUNC, 'frag6', 'fragment header cut short');
        const fo = u16be(d, cp + 2) & 0xfff8;
        {
          const rest = (IP6_HDRLEN + plen - (cp - off) - 8) >>> 0;
          w.out += v ? 'frag (0x' + hexPad(u32be(d, cp + 4), 8) + ':' + fo + '|' + rest + ')' : 'frag (' + fo + '|' + rest + ')';
        }
        w.fragmented = true;
        w.fragOffset = fo;
        if (cp + 1 <= capEnd) w.nh = d[cp];
        w.cp = cp + 8;
        if (fo !== 0) return walkEnd(w, W_STOP, '', '');
        w.out += ' ';
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
        const a = routingHeader(d, cp, capEnd, v, w);
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
          if (len > length) {
            w.out += ' [header+payload length ' + len + ' > length ' + length + ']';
            return walkInvalid(w, '');
          }
          capEnd = off + len < cap ? off + len : cap;
          len -= total;
        } else if (plen === 0) {
          if (foundExt) return walkInvalid(w, '');
          if ((nh === IPPROTO_TCP || nh === IPPROTO_UDP) && length > 65535) {
            // BIG TCP without the hop-by-hop jumbo option: the frame has the real length
            w.out += '[real length ' + length + ', presumed BIG TCP] ';
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

function isWalkedExt(nh: number): boolean {
  return nh === IPPROTO_HOPOPTS || nh === IPPROTO_DSTOPTS || nh === IPPROTO_FRAGMENT || nh === IPPROTO_ROUTING || nh === IPPROTO_MOBILITY || nh === IPPROTO_MOBILITY_OLD;
}

function walkEnd(w: Ip6PrintWalk, status: number, proto: string, why: string): Ip6PrintWalk {
  w.status = status;
  w.truncProto = proto;
  w.why = why;
  if (status === W_TRUNC) w.out += ' [|' + proto + ']';
  return w;
}

function walkInvalid(w: Ip6PrintWalk, msg: string): Ip6PrintWalk {
  w.status = W_INVALID;
  w.why = msg ? msg.slice(1, -1) : 'invalid IPv6 extension headers';
  w.out += msg + ' (invalid)';
  return w;
}

/**
 * Options of a hop-by-hop / destination options header (tcpdump's ip6_opt_process).
 * `payloadLen`: the IPv6 payload length for hop-by-hop (jumbo checks), -1 for destination options.
 * Sets w.foundJumbo/w.jumboVal for a valid Jumbo Payload option. Returns -1 when cut short.
 */
function ip6Options(d: Uint8Array, p: number, len: number, v: number, w: Ip6PrintWalk, payloadLen: number): number {
  if (len === 0) return 0;
  let seen = false;
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const type = d[p + i];
    if (type === 0) optlen = 1;
    else if (i + 1 < len) optlen = d[p + i + 1] + 2;
    else return optTrunc(v, w);
    if (i + optlen > len) return optTrunc(v, w);
    switch (type) {
      case 0x00:
        if (v) w.out += '(pad1)';
        break;
      case 0x01:
        if (len - i < 2) {
          w.out += '(padn: trunc)';
          return optTrunc(v, w);
        }
        if (v) w.out += '(padn)';
        break;
      case 0x05:
        if (len - i < 4) {
          w.out += '(rtalert: trunc)';
          return optTrunc(v, w);
        }
        if (d[p + i + 1] !== 2) {
          w.out += '(rtalert: invalid len ' + d[p + i + 1] + ')';
          return optTrunc(v, w);
        }
        if (v) w.out += '(rtalert: 0x' + hexPad(u16be(d, p + i + 2), 4) + ') ';
        break;
      case 0xc2: {
        if (len - i < 6) {
          w.out += '(jumbo: trunc)';
          return optTrunc(v, w);
        }
        if (d[p + i + 1] !== 4) {
          w.out += '(jumbo: invalid len ' + d[p + i + 1] + ')';
          return optTrunc(v, w);
        }
        const val = u32be(d, p + i + 2);
        let note = '';
        if (seen) note = ' - already seen';
        else {
          seen = true;
          if (payloadLen < 0) note = ' - not a hop-by-hop option';
          else if (payloadLen !== 0) note = ' - payload len != 0';
          else if (val < 65536) note = ' - < 65536';
          else {
            w.foundJumbo = true;
            w.jumboVal = val;
          }
        }
        if (v) w.out += '(jumbo: ' + val + note + ') ';
        break;
      }
      case 0xc9:
        if (len - i < 18) {
          w.out += '(homeaddr: trunc)';
          return optTrunc(v, w);
        }
        if (d[p + i + 1] < 16) {
          w.out += '(homeaddr: invalid len ' + d[p + i + 1] + ')';
          return optTrunc(v, w);
        }
        if (v) w.out += '(homeaddr: ' + ipv6String(d, p + i + 2) + ')';
        break;
      default:
        if (len - i < 2) {
          w.out += '(type ' + type + ': trunc)';
          return optTrunc(v, w);
        }
        if (v) w.out += '(opt_type 0x' + hexPad(type, 2) + ': len=' + d[p + i + 1] + ')';
    }
  }
  if (v) w.out += ' ';
  return 0;
}

function optTrunc(v: number, w: Ip6PrintWalk): number {
  if (v) w.out += '[trunc] ';
  return -1;
}

/** Routing header (tcpdump's rt6_print). Returns the header length, or -1 when cut short / unknown. */
function routingHeader(d: Uint8Array, cp: number, capEnd: number, v: number, w: Ip6PrintWalk): number {
  if (cp + 4 > capEnd) return -1;
  const hl = d[cp + 1];
  const type = d[cp + 2];
  w.out += 'srcrt (len=' + hl + ', type=' + type + ', segleft=' + d[cp + 3];
  if (type === 0 || type === 2) {
    if (cp + 8 > capEnd) return -1;
    const rsv = u32be(d, cp + 4);
    if ((rsv !== 0 || v)) w.out += ', rsv=0x' + rsv.toString(16);
    if (hl % 2 === 1) return -1;
    const n = hl >> 1;
    let a = cp + 8;
    for (let i = 0; i < n; i++, a += 16) {
      if (a + 16 > capEnd) return -1;
      w.out += ', [' + i + ']' + ipv6String(d, a);
    }
    w.out += ') ';
    return (hl + 1) << 3;
  }
  if (type === 4) {
    if (cp + 8 > capEnd) return -1;
    const last = d[cp + 4];
    const flags = d[cp + 5];
    {
      w.out += ', last-entry=' + last;
      if (flags !== 0 || v) w.out += ', flags=0x' + flags.toString(16);
      w.out += ', tag=' + u16be(d, cp + 6).toString(16);
    }
    let a = cp + 8;
    for (let i = 0; i <= last; i++, a += 16) {
      if (a + 16 > capEnd) return -1;
      w.out += ', [' + i + ']' + ipv6String(d, a);
    }
    w.out += ') ';
    return (hl + 1) << 3;
  }
  return -1;
}
