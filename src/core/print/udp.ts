/**
 * UDP line as tcpdump -n prints it (print-udp.c) for datagrams whose application layer we do
 * not decode: "10.0.0.1.5353 > 10.0.0.2.53: UDP, length 42", with -v the checksum verdict
 * ("[udp sum ok] " / "[bad udp cksum 0x1234 -> 0x5678!] "; IPv4 only from -vv, as tcpdump).
 */

import { hex2, u16be } from '../bytes';
import { DecodedPacket, IPPROTO_UDP, NET_IPV4, NET_IPV6 } from '../decode/packet';
import { cksumShouldBe, verifyL4Checksum } from '../decode/l4cksum';
import { l4CapEnd, l4Length } from '../decode/tcp';
import { PrintContext } from './context';
import { VXLAN_PORT } from '../decode/tunnel';
import { printVxlan } from './encap';
import { UDP_APP_PRINTERS } from './app/index';

/** Prints a UDP payload at `off` (`len` bytes as the UDP header says). */
export type UdpPayloadPrinter = (pkt: DecodedPacket, ctx: PrintContext, off: number, len: number) => string;

/**
 * Well-known port → printer, the printing side of decode/udp.ts's UDP_PORT_DECODERS (either port;
 * only under neither -q nor a fragment, as tcpdump's udp_print). Add a protocol by adding an entry.
 */
export const UDP_PORT_PRINTERS: ReadonlyMap<number, UdpPayloadPrinter> = new Map<number, UdpPayloadPrinter>([
  [VXLAN_PORT, printVxlan],
]);

const TRUNC = ' [|udp]';

function hex4(v: number): string {
  return hex2(v >> 8) + hex2(v & 0xff);
}

function addrPorts(pkt: DecodedPacket, sport: number, dport: number): string {
  const net = pkt.net;
  if (net.kind === NET_IPV6 && pkt.data[net.off + 6] !== 17) return sport + ' > ' + dport + ': ';
  return net.src + '.' + sport + ' > ' + net.dst + '.' + dport + ': ';
}

export function printUdp(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const net = pkt.net;
  const off = net.payloadOff;
  let length = l4Length(pkt);
  const capEnd = l4CapEnd(pkt);
  if (off + 4 > capEnd) {
    if (net.kind === NET_IPV6 && d[net.off + 6] !== 17) return TRUNC;
    return net.src + ' > ' + net.dst + ': ' + TRUNC;
  }
  const sport = u16be(d, off);
  const dport = u16be(d, off + 2);
  if (length < 8) return addrPorts(pkt, sport, dport) + 'truncated-udp ' + length;
  if (off + 6 > capEnd) return addrPorts(pkt, sport, dport) + TRUNC;
  let ulen = u16be(d, off + 4);
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < 8) return addrPorts(pkt, sport, dport) + 'truncated-udplength ' + ulen;
  ulen -= 8;
  length -= 8;
  if (ulen < length) length = ulen;
  let s = addrPorts(pkt, sport, dport);
  if (off + 8 > capEnd) return s + TRUNC;
  const v = ctx.opts.verbose;
  if (v && !net.isFragment) {
    const field = u16be(d, off + 6);
    if (net.kind === NET_IPV4 && v > 1) {
      if (field === 0) s += '[no cksum] ';
      else if (off + 8 + length <= capEnd) {
        const sum = verifyL4Checksum(pkt, off, length + 8, 17);
        s += sum !== 0 ? '[bad udp cksum 0x' + hex4(field) + ' -> 0x' + hex4(cksumShouldBe(field, sum)) + '!] ' : '[udp sum ok] ';
      }
    } else if (net.kind === NET_IPV6) {
      if (off + 8 + length <= capEnd) {
        const sum = verifyL4Checksum(pkt, off, length + 8, 17);
        s += sum !== 0 ? '[bad udp cksum 0x' + hex4(field) + ' -> 0x' + hex4(cksumShouldBe(field, sum)) + '!] ' : '[udp sum ok] ';
      }
    }
  }
  if (ulen > length && !net.isFragment) return s + 'UDP, bad length ' + ulen + ' > ' + length;
  if (!ctx.opts.quiet && !net.isFragment) {
    const app = UDP_PORT_PRINTERS.get(dport) ?? UDP_PORT_PRINTERS.get(sport);
    if (app !== undefined) return s + app(pkt, ctx, off + 8, ulen);
    const ap = UDP_APP_PRINTERS.get(dport) ?? UDP_APP_PRINTERS.get(sport);
    if (ap !== undefined) return s + ap(pkt, ctx, off + 8, ulen, IPPROTO_UDP);
  }
  return s + 'UDP, length ' + ulen;
}
