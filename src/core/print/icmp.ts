/**
 * ICMP / ICMPv6 one-line summaries as tcpdump -n prints them (print-icmp.c, print-icmp6.c) for
 * the common message types: "10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64",
 * "fe80::1 > fe80::2: ICMP6, echo request, id 1, seq 1, length 64". Error messages show the
 * quoted header summary ("10.0.0.2 udp port 53 unreachable"); the -v dump of the quoted IP
 * packet and the ND option lists are not printed.
 */

import { hex2, ipv4String, ipv6String, u16be, u32be } from '../bytes';
import { DecodedPacket } from '../decode/packet';
import { cksumShouldBe, onesSum, verifyL4Checksum } from '../decode/l4cksum';
import { l4CapEnd, l4Length } from '../decode/tcp';
import { PrintContext } from './context';

const UNREACH_FMT: Record<number, [string, string]> = {
  5: ['', ' unreachable - source route failed'],
  6: ['net ', ' unreachable - unknown'],
  7: ['host ', ' unreachable - unknown'],
  8: ['', ' unreachable - source host isolated'],
  9: ['net ', ' unreachable - admin prohibited'],
  10: ['host ', ' unreachable - admin prohibited'],
  11: ['net ', ' unreachable - tos prohibited'],
  12: ['host ', ' unreachable - tos prohibited'],
  13: ['host ', ' unreachable - admin prohibited filter'],
  14: ['host ', ' unreachable - host precedence violation'],
  15: ['host ', ' unreachable - precedence cutoff'],
};

const ICMP_NAMES: Record<number, string> = {
  0: 'echo reply', 3: 'unreachable', 4: 'source quench', 5: 'redirect', 8: 'echo request',
  9: 'router advertisement', 10: 'router solicitation', 11: 'time exceeded', 12: 'parameter problem',
  13: 'time stamp request', 14: 'time stamp reply', 15: 'information request', 16: 'information reply',
  17: 'address mask request',
};

class Trunc extends Error {}
const TRUNC = new Trunc('truncated');

function need(capEnd: number, end: number): void {
  if (end > capEnd) throw TRUNC;
}

export function printIcmp(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const net = pkt.net;
  const off = net.payloadOff;
  const plen = l4Length(pkt);
  const capEnd = l4CapEnd(pkt);
  let s = net.src + ' > ' + net.dst + ': ';
  try {
    need(capEnd, off + 2);
    const type = d[off];
    const code = d[off + 1];
    let str: string;
    switch (type) {
      case 0:
      case 8:
        need(capEnd, off + 8);
        str = 'echo ' + (type === 8 ? 'request' : 'reply') + ', id ' + u16be(d, off + 4) + ', seq ' + u16be(d, off + 6);
        break;
      case 3: {
        const oip = off + 8;
        need(capEnd, oip + 20);
        const odst = ipv4String(d, oip + 16);
        switch (code) {
          case 0: str = 'net ' + odst + ' unreachable'; break;
          case 1: str = 'host ' + odst + ' unreachable'; break;
          case 2: str = odst + ' protocol ' + d[oip + 9] + ' unreachable'; break;
          case 3: {
            const hl = (d[oip] & 0xf) * 4;
            need(capEnd, oip + hl + 4);
            const dport = u16be(d, oip + hl + 2);
            const p = d[oip + 9];
            if (p === 6) str = odst + ' tcp port ' + dport + ' unreachable';
            else if (p === 17) str = odst + ' udp port ' + dport + ' unreachable';
            else str = odst + ' protocol ' + p + ' port ' + dport + ' unreachable';
            break;
          }
          case 4: {
            const mtu = u16be(d, off + 6);
            str = odst + ' unreachable - need to frag' + (mtu ? ' (mtu ' + mtu + ')' : '');
            break;
          }
          default: {
            const f = UNREACH_FMT[code];
            str = f ? f[0] + odst + f[1] : odst + ' unreachable - #' + code;
          }
        }
        break;
      }
      case 11:
        str = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : 'time exceeded-#' + code;
        break;
      default:
        str = ICMP_NAMES[type] ?? 'type-#' + type;
    }
    s += 'ICMP ' + str + ', length ' + plen;
    if (ctx.opts.verbose && !net.isFragment && off + plen <= capEnd) {
      const sum = ~foldSum(onesSum(d, off, plen, 0)) & 0xffff;
      if (sum !== 0) {
        const field = u16be(d, off + 2);
        s += ' (wrong icmp cksum ' + field.toString(16) + ' (->' + cksumShouldBe(field, sum).toString(16) + ')!)';
      }
    }
    return s;
  } catch (e) {
    if (e instanceof Trunc) return s + ' [|icmp]';
    throw e;
  }
}

function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

const ICMP6_NAMES: Record<number, string> = {
  1: 'destination unreachable', 2: 'packet too big', 3: 'time exceeded in-transit', 4: 'parameter problem',
  128: 'echo request', 129: 'echo reply', 130: 'multicast listener query', 131: 'multicast listener report',
  132: 'multicast listener done', 133: 'router solicitation', 134: 'router advertisement',
  135: 'neighbor solicitation', 136: 'neighbor advertisement', 137: 'redirect', 138: 'router renumbering',
  139: 'who-are-you request', 140: 'who-are-you reply', 141: 'inverse neighbor solicitation',
  142: 'inverse neighbor advertisement', 143: 'multicast listener report v2', 144: 'ha discovery request',
  145: 'ha discovery reply', 146: 'mobile router solicitation', 147: 'mobile router advertisement',
  155: 'RPL', 200: 'mtrace response', 201: 'mtrace message',
};
const UNREACH6: Record<number, string> = {
  0: 'unreachable route', 1: ' unreachable prohibited', 2: 'beyond scope', 3: 'unreachable address', 4: 'unreachable port',
};

export function printIcmp6(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const net = pkt.net;
  const off = net.payloadOff;
  const length = l4Length(pkt);
  const capEnd = l4CapEnd(pkt);
  const v = ctx.opts.verbose;
  let s = net.src + ' > ' + net.dst + ': ';
  if (length === 0) return s + 'ICMP6, length 0 (invalid)';
  try {
    if (v && !net.isFragment && off + length <= capEnd && off + 4 <= capEnd) {
      const field = u16be(d, off + 2);
      const sum = verifyL4Checksum(pkt, off, length, 58);
      s += sum !== 0 ? '[bad icmp6 cksum 0x' + hex2(field >> 8) + hex2(field & 0xff) + ' -> 0x' + hex4(cksumShouldBe(field, sum)) + '!] ' : '[icmp6 sum ok] ';
    }
    need(capEnd, off + 1);
    const type = d[off];
    s += 'ICMP6, ' + (ICMP6_NAMES[type] ?? 'unknown icmp6 type (' + type + ')');
    if (v && (type === 133 || type === 134 || type === 136 || type === 135 || type === 137 || type === 145 || type === 147)) s += ', length ' + length;
    need(capEnd, off + 2);
    const code = d[off + 1];
    const oip = off + 8;
    switch (type) {
      case 1:
        s += ', ' + (UNREACH6[code] ?? 'unknown unreach code (' + code + ')');
        if (code === 0 || code === 1 || code === 3) {
          need(capEnd, oip + 40);
          s += ' ' + ipv6String(d, oip + 24);
        } else if (code === 2) {
          need(capEnd, oip + 40);
          s += ' ' + ipv6String(d, oip + 24) + ', source address ' + ipv6String(d, oip + 8);
        } else if (code === 4) {
          need(capEnd, oip + 40);
          const nh = d[oip + 6];
          need(capEnd, oip + 44);
          const dport = u16be(d, oip + 42);
          if (nh === 6) s += ', ' + ipv6String(d, oip + 24) + ' tcp port ' + dport;
          else if (nh === 17) s += ', ' + ipv6String(d, oip + 24) + ' udp port ' + dport;
          else s += ', ' + ipv6String(d, oip + 24) + ' protocol ' + nh + ' port ' + dport + ' unreachable';
        }
        break;
      case 2:
        need(capEnd, off + 8);
        s += ', mtu ' + u32be(d, off + 4);
        break;
      case 3:
        if (code === 0) {
          need(capEnd, oip + 40);
          s += ' for ' + ipv6String(d, oip + 24);
        } else if (code === 1) s += ' (reassembly)';
        else s += ', unknown code (' + code + ')';
        break;
      case 4: {
        need(capEnd, oip + 40);
        need(capEnd, off + 8);
        const ptr = u32be(d, off + 4);
        s += code === 0 ? ', erroneous - octet ' + ptr : code === 1 ? ', next header - octet ' + ptr : code === 2 ? ', option - octet ' + ptr : code === 3 ? ', incomplete header chain - octet ' + ptr : ', code-#' + code;
        break;
      }
      case 128:
      case 129:
        need(capEnd, off + 8);
        s += ', id ' + u16be(d, off + 4) + ', seq ' + u16be(d, off + 6);
        break;
      case 135:
        need(capEnd, off + 24);
        s += ', who has ' + ipv6String(d, off + 8);
        break;
      case 136:
        need(capEnd, off + 24);
        s += ', tgt is ' + ipv6String(d, off + 8);
        break;
      case 137:
        need(capEnd, off + 40);
        s += ', ' + ipv6String(d, off + 24) + ' to ' + ipv6String(d, off + 8);
        break;
      case 133:
      case 134:
      case 141:
      case 142:
        break;
      default:
        if (ICMP6_NAMES[type] === undefined) return s + ', length ' + length;
        break;
    }
    if (!v) s += ', length ' + length;
    return s;
  } catch (e) {
    if (e instanceof Trunc) return s + ' [|icmp6]';
    throw e;
  }
}

function hex4(v: number): string {
  return hex2(v >> 8) + hex2(v & 0xff);
}
