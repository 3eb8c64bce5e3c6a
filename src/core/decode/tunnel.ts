import { hexPad, u16be, u32be } from '../bytes';
import { FieldSink } from './fields';
import { DecodedPacket } from './packet';
import {
  ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_MPLS, ETHERTYPE_PPP, ETHERTYPE_TEB, LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6,
  LINKTYPE_MPLS, LINKTYPE_PPP,
} from './numbers';
import { l4CapEnd, l4Length } from './tcp';

/**
 * Tunnels: layers whose payload is a whole packet. Each decoder reads its own header, then opens
 * the carried packet with pkt.openInner (a view of the same bytes, decoded next by decodeFrame):
 * the printers, the TCP engine and the details tree all read that one inner packet.
 *   - IP-in-IP (IP protocol 4, RFC 2003) and IPv6-in-IPv4 (41, RFC 4213 "6in4"): the payload is the packet;
 *   - GRE (47, RFC 2784/2890): 4 bytes + optional checksum/offset, key and sequence words, then an
 *     IPv4, IPv6, MPLS or Ethernet (TEB) payload;
 *   - VXLAN (UDP port 4789, RFC 7348): 8 bytes, then an Ethernet frame.
 */

export const GRE_CP = 0x8000;
export const GRE_RP = 0x4000;
export const GRE_KP = 0x2000;
export const GRE_SP = 0x1000;
/** Version 1 (PPTP, RFC 2637): an acknowledgment number follows the sequence number. */
export const GRE_AP = 0x0080;
export const GRE_VERS_MASK = 0x0007;
/** UDP port of VXLAN (RFC 7348), which tcpdump and Wireshark both open without being told. */
export const VXLAN_PORT = 4789;
export const VXLAN_HDR_LEN = 8;

/** IP protocols 4 and 41: the IP payload is an IPv4 / IPv6 packet. */
export function decodeIpInIp(pkt: DecodedPacket, sink: FieldSink | null): void {
  void sink;
  const off = pkt.net.payloadOff;
  pkt.openInner(off, l4CapEnd(pkt), l4Length(pkt), pkt.net.proto === 41 ? LINKTYPE_IPV6 : LINKTYPE_IPV4);
}

/** GRE header length for these flags (the routing field, RFC 1701, is not followed: -1). */
export function greHeaderLen(flags: number): number {
  if ((flags & GRE_RP) !== 0) return -1;
  return 4 + ((flags & GRE_CP) !== 0 ? 4 : 0) + ((flags & GRE_KP) !== 0 ? 4 : 0) + ((flags & GRE_SP) !== 0 ? 4 : 0);
}

/** Header length of PPTP's enhanced GRE (version 1): key (payload length + call id), sequence, ack words. */
export function greV1HeaderLen(flags: number): number {
  return 4 + ((flags & GRE_KP) !== 0 ? 4 : 0) + ((flags & GRE_SP) !== 0 ? 4 : 0) + ((flags & GRE_AP) !== 0 ? 4 : 0);
}

/** The link type of what a GRE protocol number carries, -1 when we do not decode it. */
export function greInnerLinkType(proto: number): number {
  switch (proto) {
    case ETHERTYPE_IP: return LINKTYPE_IPV4;
    case ETHERTYPE_IPV6: return LINKTYPE_IPV6;
    case ETHERTYPE_TEB: return LINKTYPE_ETHERNET;
    case ETHERTYPE_MPLS: return LINKTYPE_MPLS;
    default: return -1;
  }
}

export function decodeGre(pkt: DecodedPacket, sink: FieldSink | null): void {
  const d = pkt.data;
  const off = pkt.net.payloadOff;
  const length = l4Length(pkt);
  const end = l4CapEnd(pkt);
  const avail = end - off;
  if (avail < 4 || length < 4) {
    pkt.markTruncated('GRE header cut short: ' + Math.max(0, Math.min(avail, length)) + ' of 4 bytes');
    if (sink) {
      sink.open('gre', 'Generic Routing Encapsulation', off, Math.max(0, avail));
      sink.note('error', pkt.problem, off, Math.max(0, avail));
      sink.close();
    }
    return;
  }
  const flags = u16be(d, off);
  const proto = u16be(d, off + 2);
  const version = flags & GRE_VERS_MASK;
  // version 1 is PPTP's enhanced GRE: PPP inside, and only when a sequence number says there is a payload
  const hlen = version === 0 ? greHeaderLen(flags) : version === 1 ? greV1HeaderLen(flags) : -1;
  const shown = hlen > 0 && hlen <= avail ? hlen : 4;
  if (sink) {
    sink.open('gre', 'Generic Routing Encapsulation (' + (ETHERTYPE_LABELS.get(proto) ?? '0x' + hexPad(proto, 4)) + ')', off, shown);
    sink.field('gre.flags_and_version', 'Flags and Version', off, 2, flags, '0x' + hexPad(flags, 4));
    sink.field('gre.flags.checksum', 'Checksum Bit', off, 2, (flags & GRE_CP) !== 0, (flags & GRE_CP) !== 0 ? 'Yes' : 'No', GRE_CP);
    sink.field('gre.flags.routing', 'Routing Bit', off, 2, (flags & GRE_RP) !== 0, (flags & GRE_RP) !== 0 ? 'Yes' : 'No', GRE_RP);
    sink.field('gre.flags.key', 'Key Bit', off, 2, (flags & GRE_KP) !== 0, (flags & GRE_KP) !== 0 ? 'Yes' : 'No', GRE_KP);
    sink.field('gre.flags.sequence_number', 'Sequence Number Bit', off, 2, (flags & GRE_SP) !== 0, (flags & GRE_SP) !== 0 ? 'Yes' : 'No', GRE_SP);
    sink.field('gre.flags.version', 'Version', off, 2, version, String(version), GRE_VERS_MASK);
    sink.field('gre.proto', 'Protocol Type', off + 2, 2, proto, (ETHERTYPE_LABELS.get(proto) ?? 'Unknown') + ' (0x' + hexPad(proto, 4) + ')');
  }
  if (hlen < 0) {
    if (sink) {
      sink.note('info', version !== 0 ? 'GRE version ' + version + ' not decoded' : 'GRE routing field not decoded', off, 2);
      sink.close();
    }
    return;
  }
  if (hlen > avail || hlen > length) {
    pkt.markTruncated('GRE header cut short: ' + Math.min(avail, length) + ' of ' + hlen + ' bytes');
    if (sink) {
      sink.note('error', pkt.problem, off, Math.min(avail, length));
      sink.close();
    }
    return;
  }
  if (sink) {
    let p = off + 4;
    if ((flags & GRE_CP) !== 0) {
      sink.field('gre.checksum', 'Checksum', p, 2, u16be(d, p), '0x' + hexPad(u16be(d, p), 4));
      sink.field('gre.offset', 'Offset', p + 2, 2, u16be(d, p + 2), String(u16be(d, p + 2)));
      p += 4;
    }
    if ((flags & GRE_KP) !== 0) {
      sink.field('gre.key', 'Key', p, 4, u32be(d, p), '0x' + hexPad(u32be(d, p), 8));
      p += 4;
    }
    if ((flags & GRE_SP) !== 0) sink.field('gre.sequence_number', 'Sequence Number', p, 4, u32be(d, p), String(u32be(d, p)));
    sink.close();
  }
  const lt = version === 0 ? greInnerLinkType(proto) : proto === ETHERTYPE_PPP && (flags & GRE_SP) !== 0 ? LINKTYPE_PPP : -1;
  if (lt >= 0) pkt.openInner(off + hlen, end, length - hlen, lt);
}

const ETHERTYPE_LABELS: ReadonlyMap<number, string> = new Map<number, string>([
  [ETHERTYPE_IP, 'IPv4'],
  [ETHERTYPE_IPV6, 'IPv6'],
  [ETHERTYPE_TEB, 'Transparent Ethernet bridging'],
  [ETHERTYPE_MPLS, 'MPLS label switched packet'],
  [ETHERTYPE_PPP, 'PPP'],
]);

/**
 * VXLAN after a UDP header: `off` is the UDP payload, `len` its length as the UDP header says.
 * The inner Ethernet frame is opened when the 8-byte header was captured.
 */
export function decodeVxlan(pkt: DecodedPacket, off: number, len: number, sink: FieldSink | null): void {
  const d = pkt.data;
  const end = l4CapEnd(pkt);
  if (len < VXLAN_HDR_LEN || off + VXLAN_HDR_LEN > end) {
    if (len < VXLAN_HDR_LEN) pkt.markMalformed('VXLAN payload of ' + len + ' bytes is shorter than its 8-byte header');
    else pkt.markTruncated('VXLAN header cut short: ' + Math.max(0, end - off) + ' of 8 bytes captured');
    if (sink) sink.note('error', pkt.problem, off, Math.max(0, end - off));
    return;
  }
  if (sink) {
    const vni = (d[off + 4] << 16) | (d[off + 5] << 8) | d[off + 6];
    sink.open('vxlan', 'Virtual eXtensible Local Area Network', off, VXLAN_HDR_LEN);
    sink.field('vxlan.flags', 'Flags', off, 2, u16be(d, off), '0x' + hexPad(u16be(d, off), 4));
    sink.field('vxlan.vni', 'VXLAN Network Identifier (VNI)', off + 4, 3, vni, String(vni));
    sink.close();
  }
  pkt.openInner(off + VXLAN_HDR_LEN, end, len - VXLAN_HDR_LEN, LINKTYPE_ETHERNET);
}
