import { DecodedPacket, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from './packet';
import { FieldSink } from './fields';
import { decodeTcp } from './tcp';
import { decodeUdp } from './udp';
import { decodeIcmp } from './icmp';
import { errorMessage } from '../errors';

/**
 * Decode the upper layer of an IP packet: reads pkt.net.proto / payloadOff / payloadLen,
 * fills pkt.l4, reports fields to `sink` when given. Never throws (a decoder bug is recorded
 * on the packet as malformed).
 * Non-first fragments carry no transport header: they are left undecoded.
 */
export function decodeTransport(pkt: DecodedPacket, sink: FieldSink | null): void {
  const net = pkt.net;
  if (net.isFragment && net.fragOffset !== 0) return;
  if (net.payloadOff > pkt.caplen) return;
  try {
    switch (net.proto) {
      case IPPROTO_TCP:
        decodeTcp(pkt, sink);
        break;
      case IPPROTO_UDP:
        decodeUdp(pkt, sink);
        break;
      case IPPROTO_ICMP:
        decodeIcmp(pkt, sink, false);
        break;
      case IPPROTO_ICMPV6:
        decodeIcmp(pkt, sink, true);
        break;
    }
  } catch (err) {
    pkt.markMalformed('transport decoder error: ' + errorMessage(err));
  }
}
