import { DecodedPacket, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IPIP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP } from './packet';
import { FieldSink } from './fields';
import { decodeTcp } from './tcp';
import { decodeUdp } from './udp';
import { decodeIcmp } from './icmp';
import { errorMessage } from '../errors';
import { decodeGre, decodeIpInIp } from './tunnel';

/** Decodes the layer after IP: reads pkt.net (proto, payloadOff, payloadLen), fills pkt.l4 or opens pkt.inner. */
export type IpPayloadDecoder = (pkt: DecodedPacket, sink: FieldSink | null) => void;

/**
 * IP protocol number → decoder, an array indexed by the 8-bit protocol (one load per packet, no
 * hashing on the hot path). Add a protocol by adding an entry.
 */
export const IPPROTO_DECODERS: readonly (IpPayloadDecoder | undefined)[] = ((): (IpPayloadDecoder | undefined)[] => {
  const t: (IpPayloadDecoder | undefined)[] = new Array(256).fill(undefined);
  t[IPPROTO_TCP] = decodeTcp;
  t[IPPROTO_UDP] = decodeUdp;
  t[IPPROTO_ICMP] = (pkt, sink) => decodeIcmp(pkt, sink, false);
  t[IPPROTO_ICMPV6] = (pkt, sink) => decodeIcmp(pkt, sink, true);
  t[IPPROTO_IPIP] = decodeIpInIp;
  t[IPPROTO_IPV6] = decodeIpInIp;
  t[IPPROTO_GRE] = decodeGre;
  return t;
})();

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
  const dec = net.proto >= 0 ? IPPROTO_DECODERS[net.proto & 255] : undefined;
  if (dec === undefined) return;
  try {
    dec(pkt, sink);
  } catch (err) {
    pkt.markMalformed('transport decoder error: ' + errorMessage(err));
  }
}
