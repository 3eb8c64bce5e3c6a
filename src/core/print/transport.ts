import { DecodedPacket, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IPIP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP } from '../decode/packet';
import { PrintContext } from './context';
import { printTcp } from './tcp';
import { printUdp } from './udp';
import { printIcmp, printIcmp6 } from './icmp';
import { printGre, printIpInIp } from './encap';

/** Prints the layer after IP, starting with the addresses as tcpdump does. */
export type IpPayloadPrinter = (pkt: DecodedPacket, ctx: PrintContext) => string;

/**
 * IP protocol number → printer: the printing side of decode/transport.ts's IPPROTO_DECODERS, an
 * array indexed by the 8-bit protocol. Add a protocol by adding an entry.
 */
export const IPPROTO_PRINTERS: readonly (IpPayloadPrinter | undefined)[] = ((): (IpPayloadPrinter | undefined)[] => {
  const t: (IpPayloadPrinter | undefined)[] = new Array(256).fill(undefined);
  t[IPPROTO_TCP] = printTcp;
  t[IPPROTO_UDP] = printUdp;
  t[IPPROTO_ICMP] = printIcmp;
  t[IPPROTO_ICMPV6] = printIcmp6;
  t[IPPROTO_IPIP] = printIpInIp;
  t[IPPROTO_IPV6] = printIpInIp;
  t[IPPROTO_GRE] = printGre;
  return t;
})();

/**
 * Print the transport part of a line exactly as tcpdump does, starting with the addresses
 * ("10.0.0.1.80 > 10.0.0.2.5000: Flags [S.], ..."). Called by the IP printer.
 * Reads the frame bytes directly (pkt.net must be filled), so it works whether or not
 * decodeTransport ran (tunnels print the packet they carry only when it was decoded into
 * pkt.inner). Application layers are not decoded: lines stop at "length N".
 */
export function printTransport(pkt: DecodedPacket, ctx: PrintContext): string {
  const net = pkt.net;
  if (net.isFragment && net.fragOffset !== 0) {
    // not the first fragment: no transport header (tcpdump's ip_print with -n)
    return net.src + ' > ' + net.dst + ': ip-proto-' + net.proto;
  }
  const pr = net.proto >= 0 ? IPPROTO_PRINTERS[net.proto & 255] : undefined;
  if (pr !== undefined) return pr(pkt, ctx);
  // tcpdump's ip_demux_print for protocols it has no printer for (note the two spaces)
  return net.src + ' > ' + net.dst + ':  ip-proto-' + net.proto + ' ' + net.payloadLen;
}
