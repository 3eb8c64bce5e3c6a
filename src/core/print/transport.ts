import { DecodedPacket, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../decode/packet';
import { PrintContext } from './context';
import { printTcp } from './tcp';
import { printUdp } from './udp';
import { printIcmp, printIcmp6 } from './icmp';

/**
 * Print the transport part of a line exactly as tcpdump does, starting with the addresses
 * ("10.0.0.1.80 > 10.0.0.2.5000: Flags [S.], ..."). Called by the IP printer.
 * Reads the frame bytes directly (pkt.net must be filled), so it works whether or not
 * decodeTransport ran. Application layers are not decoded: lines stop at "length N".
 */
export function printTransport(pkt: DecodedPacket, ctx: PrintContext): string {
  const net = pkt.net;
  if (net.isFragment && net.fragOffset !== 0) {
    // not the first fragment: no transport header (tcpdump's ip_print with -n)
    return net.src + ' > ' + net.dst + ': ip-proto-' + net.proto;
  }
  switch (net.proto) {
    case IPPROTO_TCP:
      return printTcp(pkt, ctx);
    case IPPROTO_UDP:
      return printUdp(pkt, ctx);
    case IPPROTO_ICMP:
      return printIcmp(pkt, ctx);
    case IPPROTO_ICMPV6:
      return printIcmp6(pkt, ctx);
  }
  // tcpdump's ip_demux_print for protocols it has no printer for (note the two spaces)
  return net.src + ' > ' + net.dst + ':  ip-proto-' + net.proto + ' ' + net.payloadLen;
}
