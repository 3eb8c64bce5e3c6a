import { macString, u16be, u32be } from '../bytes';
import { FieldSink } from './fields';
import { DecodedPacket, NET_OTHER } from './packet';
import { decodeIPv4, decodeIPv6 } from './ip';
import { decodeArp } from './arp';

/**
 * Link layers: Ethernet (with 802.1Q/802.1ad tag stacks), BSD NULL/LOOP, raw IP, Linux cooked
 * captures v1/v2. Each finds the network header and its EtherType, then hands on through
 * ETHERTYPE_DECODERS. Every read is bounds-checked against the captured bytes; damage is
 * recorded on the packet (markTruncated / markMalformed, link.trunc), never thrown.
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** DLT_RAW as some systems number it; libpcap maps both to LINKTYPE_RAW. */
export const DLT_RAW_12 = 12;
export const DLT_RAW_14 = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export const ETHERTYPE_IP = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_REVARP = 0x8035;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_8021Q = 0x8100;
export const ETHERTYPE_8021QINQ = 0x88a8;
export const ETHERTYPE_8021Q9100 = 0x9100;
export const ETHERTYPE_8021Q9200 = 0x9200;
/** Type/length values up to this are 802.3 lengths, not EtherTypes. */
export const MAX_ETHERNET_LENGTH_VAL = 1500;

export const ETHER_HDRLEN = 14;
export const NULL_HDRLEN = 4;
export const SLL_HDRLEN = 16;
export const SLL2_HDRLEN = 20;

/** BSD address families in NULL/LOOP headers (tcpdump's bsd_af_values). */
export const BSD_AF_INET = 2;
export const BSD_AF_INET6_BSD = 24;
export const BSD_AF_INET6_FREEBSD = 28;
export const BSD_AF_INET6_DARWIN = 30;

/** Network-layer decoder: header at `off`, `length` = tcpdump's length for that layer (wire bytes from `off`). */
export type NetDecoder = (pkt: DecodedPacket, off: number, length: number, sink: FieldSink | null) => void;

/** Dispatch by EtherType. Add a protocol by adding an entry. */
export const ETHERTYPE_DECODERS: ReadonlyMap<number, NetDecoder> = new Map<number, NetDecoder>([
  [ETHERTYPE_IP, decodeIPv4],
  [ETHERTYPE_IPV6, decodeIPv6],
  [ETHERTYPE_ARP, decodeArp],
  [ETHERTYPE_REVARP, decodeArp],
]);

/** Is this EtherType a VLAN tag that Ethernet unwraps (tcpdump's list)? */
export function isVlanTpid(t: number): boolean {
  return t === ETHERTYPE_8021Q || t === ETHERTYPE_8021QINQ || t === ETHERTYPE_8021Q9100 || t === ETHERTYPE_8021Q9200;
}

/** EtherType of the IP version in the first nibble (raw IP links); -1 when neither 4 nor 6. */
function ipVersionType(nibble: number): number {
  return nibble === 4 ? ETHERTYPE_IP : nibble === 6 ? ETHERTYPE_IPV6 : -1;
}

/**
 * Decode a whole frame from its link layer down: link header(s), then network layer, then
 * transport (via decodeTransport). Reads pkt.data / pkt.link.linkType (set by pkt.reset). Never throws.
 */
export function decodeLink(pkt: DecodedPacket, sink: FieldSink | null): void {
  switch (pkt.link.linkType) {
    case LINKTYPE_ETHERNET:
      decodeEthernet(pkt, sink);
      return;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      decodeNull(pkt, sink);
      return;
    case LINKTYPE_RAW:
    case DLT_RAW_12:
    case DLT_RAW_14:
      decodeRaw(pkt, sink, 0);
      return;
    case LINKTYPE_IPV4:
      decodeRaw(pkt, sink, ETHERTYPE_IP);
      return;
    case LINKTYPE_IPV6:
      decodeRaw(pkt, sink, ETHERTYPE_IPV6);
      return;
    case LINKTYPE_LINUX_SLL:
      decodeSll(pkt, sink);
      return;
    case LINKTYPE_LINUX_SLL2:
      decodeSll2(pkt, sink);
      return;
    default:
      pkt.link.unsupported = true;
      pkt.net.kind = NET_OTHER;
  }
}

/** Hand the payload at `off` to the decoder for `etherType`, or mark it as not decoded. */
function dispatch(pkt: DecodedPacket, etherType: number, off: number, sink: FieldSink | null): void {
  pkt.link.etherType = etherType;
  pkt.link.hdrLen = off;
  const dec = ETHERTYPE_DECODERS.get(etherType);
  if (dec === undefined) {
    pkt.net.kind = NET_OTHER;
    pkt.net.off = off;
    pkt.net.wireLen = pkt.origLen - off;
    return;
  }
  dec(pkt, off, pkt.origLen - off, sink);
}

function linkTrunc(pkt: DecodedPacket, proto: string, what: string, need: number, have: number): void {
  pkt.link.trunc = proto;
  pkt.markTruncated(what + ' cut short: ' + (have < 0 ? 0 : have) + ' of ' + need + ' bytes captured');
}

function decodeEthernet(pkt: DecodedPacket, sink: FieldSink | null): void {
  const d = pkt.data;
  const cap = pkt.caplen;
  if (cap < ETHER_HDRLEN || pkt.origLen < ETHER_HDRLEN) {
    pkt.link.hdrLen = cap < ETHER_HDRLEN ? cap : ETHER_HDRLEN;
    linkTrunc(pkt, 'ether', 'Ethernet header', ETHER_HDRLEN, cap < pkt.origLen ? cap : pkt.origLen);
    if (sink) sink.note('error', pkt.problem, 0, cap);
    return;
  }
  let type = u16be(d, 12);
  if (sink) {
    sink.open('eth', 'Ethernet II, Src: ' + macString(d, 6) + ', Dst: ' + macString(d, 0), 0, ETHER_HDRLEN);
    sink.field('eth.dst', 'Destination', 0, 6, macString(d, 0), macString(d, 0));
    sink.field('eth.src', 'Source', 6, 6, macString(d, 6), macString(d, 6));
    sink.field('eth.type', 'Type', 12, 2, type, etherTypeLabel(type));
    sink.close();
  }
  let off = ETHER_HDRLEN;
  const link = pkt.link;
  while (isVlanTpid(type)) {
    if (cap - off < 4 || pkt.origLen - off < 4) {
      link.hdrLen = off;
      linkTrunc(pkt, 'vlan', 'VLAN tag', 4, (cap < pkt.origLen ? cap : pkt.origLen) - off);
      if (sink) sink.note('error', pkt.problem, off, cap - off);
      return;
    }
    const tci = u16be(d, off);
    const inner = u16be(d, off + 2);
    link.vlans[link.vlanCount++] = type * 65536 + tci;
    if (sink) vlanFields(sink, off, tci, inner);
    type = inner;
    off += 4;
  }
  // 802.3 length field: an LLC header follows; not decoded
  if (type <= MAX_ETHERNET_LENGTH_VAL) return llcPayload(pkt, off);
  dispatch(pkt, type, off, sink);
}

function decodeNull(pkt: DecodedPacket, sink: FieldSink | null): void {
  const d = pkt.data;
  if (pkt.caplen < NULL_HDRLEN) {
    pkt.link.hdrLen = pkt.caplen;
    linkTrunc(pkt, 'null', 'Loopback header', NULL_HDRLEN, pkt.caplen);
    if (sink) sink.note('error', pkt.problem, 0, pkt.caplen);
    return;
  }
  const family = nullFamily(d);
  if (sink) {
    sink.open('null', 'Null/Loopback', 0, NULL_HDRLEN);
    sink.field('null.family', 'Family', 0, 4, family, bsdAfName(family) + ' (' + family + ')');
    sink.close();
  }
  let type = -1;
  if (family === BSD_AF_INET) type = ETHERTYPE_IP;
  else if (family === BSD_AF_INET6_BSD || family === BSD_AF_INET6_FREEBSD || family === BSD_AF_INET6_DARWIN) type = ETHERTYPE_IPV6;
  dispatch(pkt, type, NULL_HDRLEN, sink);
}

/** The AF value of a NULL/LOOP header in either byte order (tcpdump: host order, swapped if the high half is set). */
export function nullFamily(d: Uint8Array): number {
  let f = (d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24)) >>> 0;
  if ((f & 0xffff0000) !== 0) f = ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
  return f;
}

/** tcpdump's bsd_af_values. */
export function bsdAfName(f: number): string {
  switch (f) {
    case 2: return 'IPv4';
    case 6: return 'NS';
    case 7: return 'ISO';
    case 16: return 'Appletalk';
    case 23: return 'IPX';
    case 24: case 28: case 30: return 'IPv6';
    default: return 'Unknown';
  }
}

/** Raw IP: `fixed` = the EtherType the link type implies, or 0 to take it from the version nibble. */
function decodeRaw(pkt: DecodedPacket, sink: FieldSink | null, fixed: number): void {
  let type = fixed;
  if (type === 0) {
    if (pkt.caplen < 1) {
      pkt.link.hdrLen = 0;
      linkTrunc(pkt, 'raw', 'IP header', 1, 0);
      return;
    }
    type = ipVersionType(pkt.data[0] >> 4);
  }
  dispatch(pkt, type, 0, sink);
}

function decodeSll(pkt: DecodedPacket, sink: FieldSink | null): void {
  const d = pkt.data;
  if (pkt.caplen < SLL_HDRLEN) {
    pkt.link.hdrLen = pkt.caplen;
    linkTrunc(pkt, 'sll', 'Linux cooked header', SLL_HDRLEN, pkt.caplen);
    if (sink) sink.note('error', pkt.problem, 0, pkt.caplen);
    return;
  }
  const pktType = u16be(d, 0);
  const hatype = u16be(d, 2);
  const halen = u16be(d, 4);
  const type = u16be(d, 14);
  if (sink) {
    sink.open('sll', 'Linux cooked capture v1', 0, SLL_HDRLEN);
    sink.field('sll.pkttype', 'Packet type', 0, 2, pktType, sllPktTypeLabel(pktType));
    sink.field('sll.hatype', 'Link-layer address type', 2, 2, hatype, String(hatype));
    sink.field('sll.halen', 'Link-layer address length', 4, 2, halen, String(halen));
    if (halen === 6) sink.field('sll.src.eth', 'Source', 6, 6, macString(d, 6), macString(d, 6));
    else sink.field('sll.src.other', 'Source', 6, 8, null, hexBytes(d, 6, halen < 8 ? halen : 8));
    sink.field(type <= MAX_ETHERNET_LENGTH_VAL ? 'sll.ltype' : 'sll.etype', 'Protocol', 14, 2, type, etherTypeLabel(type));
    sink.close();
  }
  sllPayload(pkt, sink, hatype, type, SLL_HDRLEN);
}

function decodeSll2(pkt: DecodedPacket, sink: FieldSink | null): void {
  const d = pkt.data;
  if (pkt.caplen < SLL2_HDRLEN) {
    pkt.link.hdrLen = pkt.caplen;
    linkTrunc(pkt, 'sll2', 'Linux cooked v2 header', SLL2_HDRLEN, pkt.caplen);
    if (sink) sink.note('error', pkt.problem, 0, pkt.caplen);
    return;
  }
  const type = u16be(d, 0);
  const hatype = u16be(d, 8);
  if (sink) {
    const pktType = d[10];
    const halen = d[11];
    sink.open('sll', 'Linux cooked capture v2', 0, SLL2_HDRLEN);
    sink.field(type <= MAX_ETHERNET_LENGTH_VAL ? 'sll.ltype' : 'sll.etype', 'Protocol', 0, 2, type, etherTypeLabel(type));
    sink.field('sll.reserved', 'Reserved', 2, 2, u16be(d, 2), String(u16be(d, 2)));
    sink.field('sll.ifindex', 'Interface index', 4, 4, u32be(d, 4), String(u32be(d, 4)));
    sink.field('sll.hatype', 'Link-layer address type', 8, 2, hatype, String(hatype));
    sink.field('sll.pkttype', 'Packet type', 10, 1, pktType, sllPktTypeLabel(pktType));
    sink.field('sll.halen', 'Link-layer address length', 11, 1, halen, String(halen));
    if (halen === 6) sink.field('sll.src.eth', 'Source', 12, 6, macString(d, 12), macString(d, 12));
    else sink.field('sll.src.other', 'Source', 12, 8, null, hexBytes(d, 12, halen < 8 ? halen : 8));
    sink.close();
  }
  sllPayload(pkt, sink, hatype, type, SLL2_HDRLEN);
}

/** After a cooked header: 802.1Q tags (SLL unwraps only 0x8100), then the protocol. */
function sllPayload(pkt: DecodedPacket, sink: FieldSink | null, hatype: number, type: number, off: number): void {
  const link = pkt.link;
  const d = pkt.data;
  if (hatype === 803) {
    // radiotap inside a cooked capture: not decoded
    link.hdrLen = off;
    pkt.net.kind = NET_OTHER;
    pkt.net.off = off;
    pkt.net.wireLen = pkt.origLen - off;
    return;
  }
  while (type === ETHERTYPE_8021Q) {
    if (pkt.caplen - off < 4) {
      link.hdrLen = off;
      linkTrunc(pkt, 'vlan', 'VLAN tag', 4, pkt.caplen - off);
      if (sink) sink.note('error', pkt.problem, off, pkt.caplen - off);
      return;
    }
    const tci = u16be(d, off);
    const inner = u16be(d, off + 2);
    link.vlans[link.vlanCount++] = type * 65536 + tci;
    if (sink) vlanFields(sink, off, tci, inner);
    type = inner <= MAX_ETHERNET_LENGTH_VAL ? 0x0004 /* LINUX_SLL_P_802_2 */ : inner;
    off += 4;
  }
  if (type <= MAX_ETHERNET_LENGTH_VAL) return llcPayload(pkt, off);
  dispatch(pkt, type, off, sink);
}

/** tcpdump's sll_pkttype_values. */
export function sllPktTypeName(t: number): string {
  switch (t) {
    case 0: return 'In';
    case 1: return 'B';
    case 2: return 'M';
    case 3: return 'P';
    case 4: return 'Out';
    default: return '?';
  }
}

function sllPktTypeLabel(t: number): string {
  switch (t) {
    case 0: return 'Unicast to us (0)';
    case 1: return 'Broadcast (1)';
    case 2: return 'Multicast (2)';
    case 3: return 'Unicast to another host (3)';
    case 4: return 'Sent by us (4)';
    default: return 'Unknown (' + t + ')';
  }
}

function hexBytes(d: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && off + i < d.length; i++) s += (i ? ':' : '') + (d[off + i] < 16 ? '0' : '') + d[off + i].toString(16);
  return s;
}

/** tcpdump's ethertype_values (print-ether.c). */
export const ETHERTYPE_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x0800, 'IPv4'],
  [0x8847, 'MPLS unicast'],
  [0x8848, 'MPLS multicast'],
  [0x86dd, 'IPv6'],
  [0x8100, '802.1Q'],
  [0x9100, '802.1Q-9100'],
  [0x88a8, '802.1Q-QinQ'],
  [0x9200, '802.1Q-9200'],
  [0x88e5, '802.1AE MACsec'],
  [0x0200, 'PUP'],
  [0x0806, 'ARP'],
  [0x8035, 'Reverse ARP'],
  [0x0600, 'NS'],
  [0x0500, 'Sprite'],
  [0x1000, 'Trail'],
  [0x6001, 'MOP DL'],
  [0x6002, 'MOP RC'],
  [0x6003, 'DN'],
  [0x6004, 'LAT'],
  [0x6007, 'SCA'],
  [0x6558, 'TEB'],
  [0x8038, 'Lanbridge'],
  [0x803c, 'DEC DNS'],
  [0x803e, 'DEC DTS'],
  [0x805b, 'VEXP'],
  [0x805c, 'VPROD'],
  [0x809b, 'Appletalk'],
  [0x80f3, 'Appletalk ARP'],
  [0x8137, 'IPX'],
  [0x880b, 'PPP'],
  [0x8808, 'MPCP'],
  [0x8809, 'Slow Protocols'],
  [0x8863, 'PPPoE D'],
  [0x8864, 'PPPoE S'],
  [0x888e, 'EAPOL'],
  [0x8899, 'RRCP'],
  [0x886f, 'MS NLB heartbeat'],
  [0x8870, 'Jumbo'],
  [0x894f, 'NSH'],
  [0x9000, 'Loopback'],
  [0xfefe, 'OSI'],
  [0x00fe, 'GRE-OSI'],
  [0xabcd, 'CFM (old)'],
  [0x8902, 'CFM'],
  [0x893a, 'IEEE1905.1'],
  [0x88cc, 'LLDP'],
  [0x88ca, 'TIPC'],
  [0x0707, 'GeoNet (old)'],
  [0x8947, 'GeoNet'],
  [0x1111, 'CALM FAST'],
  [0x88a2, 'AoE'],
  [0x88f7, 'PTP'],
  [0xd28b, 'Arista Vendor Specific Protocol'],
]);

function etherTypeLabel(t: number): string {
  if (t <= MAX_ETHERNET_LENGTH_VAL) return 'Length ' + t;
  return (ETHERTYPE_NAMES.get(t) ?? 'Unknown') + ' (0x' + (t < 0x1000 ? (t < 0x100 ? '00' : '0') : '') + t.toString(16) + ')';
}

/** The fields of one 802.1Q/802.1ad tag (TCI at `off`, inner EtherType after it). */
function vlanFields(sink: FieldSink, off: number, tci: number, inner: number): void {
  sink.open('vlan', '802.1Q Virtual LAN, PRI: ' + (tci >> 13) + ', DEI: ' + ((tci >> 12) & 1) + ', ID: ' + (tci & 0xfff), off, 4);
  sink.field('vlan.priority', 'Priority', off, 2, tci >> 13, String(tci >> 13), 0xe000);
  sink.field('vlan.dei', 'DEI', off, 2, (tci >> 12) & 1, String((tci >> 12) & 1), 0x1000);
  sink.field('vlan.id', 'ID', off, 2, tci & 0xfff, String(tci & 0xfff), 0x0fff);
  sink.field('vlan.etype', 'Type', off + 2, 2, inner, etherTypeLabel(inner));
  sink.close();
}

/** An 802.2 LLC payload (a length, not an EtherType, after the addresses): kept undecoded. */
function llcPayload(pkt: DecodedPacket, off: number): void {
  pkt.link.hdrLen = off;
  pkt.link.etherType = -1;
  pkt.net.kind = NET_OTHER;
  pkt.net.off = off;
  pkt.net.wireLen = pkt.origLen - off;
}
