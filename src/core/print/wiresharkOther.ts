/**
 * Wireshark's Info column for rows that are not TCP or UDP (tshark 4.0's `_ws.col.Info`): ARP, ICMP and
 * ICMPv6, beside wiresharkInfo.ts's TCP/UDP wording (setting `captureLens.infoStyle`):
 *
 *   Who has 10.2.1.2? Tell 10.2.1.1                    10.2.1.2 is at d6:06:3c:4a:35:7a
 *   Echo (ping) request  id=0x0200, seq=2304/9, ttl=128
 *   Destination unreachable (Port unreachable)         Time-to-live exceeded (Time to live exceeded in transit)
 *   Echo (ping) request id=0x7b20, seq=0, hop limit=64 Neighbor Solicitation for fe80::1 from 00:60:97:07:69:ea
 *   Neighbor Advertisement fe80::1 (rtr, sol, ovr) is at 00:60:97:07:69:ea
 *
 * Followed from Wireshark 4.0's packet-arp.c, packet-icmp.c (the type padded to 20 characters, the code's
 * words in parentheses, echo's id, seq as big- and little-endian, the TTL) and packet-icmpv6.c (NDP's target,
 * flags and link-layer address options). What tshark adds from other packets — "(request in N)" on an echo
 * reply, found by its own request/response tracking over the whole capture — is not here: rows are made a
 * page at a time (test/info-tshark-differences.tsv lists it). IGMP and other protocols keep tcpdump's text.
 *
 * Pure; one string per call; every read is bounded by the captured bytes.
 */
import { ipv4String, ipv6String, macString, u16be } from '../bytes';
import { DecodedPacket, innermost, IPPROTO_ICMP, IPPROTO_ICMPV6, NET_ARP, NET_IPV4, NET_IPV6 } from '../decode/packet';

const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
};

const ICMP_CODES: Record<number, Record<number, string>> = {
  3: {
    0: 'Network unreachable',
    1: 'Host unreachable',
    2: 'Protocol unreachable',
    3: 'Port unreachable',
    4: 'Fragmentation needed',
    5: 'Source route failed',
    6: 'Destination network unknown',
    7: 'Destination host unknown',
    8: 'Source host isolated',
    9: 'Network administratively prohibited',
    10: 'Host administratively prohibited',
    11: 'Network unreachable for TOS',
    12: 'Host unreachable for TOS',
    13: 'Communication administratively filtered',
    14: 'Host precedence violation',
    15: 'Precedence cutoff in effect',
  },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
};

const ICMPV6_TYPES: Record<number, string> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  143: 'Multicast Listener Report Message v2',
};

const ICMPV6_CODES: Record<number, Record<number, string>> = {
  1: {
    0: 'no route to destination',
    1: 'Administratively prohibited',
    2: 'Beyond scope of source address',
    3: 'Address unreachable',
    4: 'Port unreachable',
    5: 'Source address failed ingress/egress policy',
    6: 'Reject route to destination',
    7: 'Error in Source Routing Header',
  },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered' },
};

function pad20(s: string): string {
  return s.length >= 20 ? s : s + ' '.repeat(20 - s.length);
}

/** ARP (packet-arp.c): requests, replies, probes, announcements and gratuitous ARP, for IPv4 over Ethernet. */
function arpInfo(pkt: DecodedPacket): string {
  const d = pkt.data;
  const o = pkt.net.off;
  if (o + 28 > pkt.caplen || u16be(d, o + 2) !== 0x0800 || d[o + 4] !== 6 || d[o + 5] !== 4) return '';
  const op = u16be(d, o + 6);
  const sha = o + 8;
  const spa = o + 14;
  const tha = o + 18;
  const tpa = o + 24;
  const sender = ipv4String(d, spa);
  const target = ipv4String(d, tpa);
  let zeroTha = true;
  for (let i = 0; i < 6; i++) if (d[tha + i] !== 0) zeroTha = false;
  const zeroSpa = d[spa] === 0 && d[spa + 1] === 0 && d[spa + 2] === 0 && d[spa + 3] === 0;
  if (sender === target && !zeroSpa) {
    // gratuitous: the sender asks for (or announces) its own address
    if (op === 1) return zeroTha ? 'ARP Announcement for ' + sender : 'Gratuitous ARP for ' + sender + ' (Request)';
    if (op === 2) return 'Gratuitous ARP for ' + sender + ' (Reply)';
  }
  if (op === 1) return zeroSpa ? 'Who has ' + target + '? (ARP Probe)' : 'Who has ' + target + '? Tell ' + sender;
  if (op === 2) return sender + ' is at ' + macString(d, sha);
  return '';
}

function icmpInfo(pkt: DecodedPacket): string {
  const l4 = pkt.l4;
  const d = pkt.data;
  const t = l4.icmpType;
  const c = l4.icmpCode;
  if (t < 0 || c < 0) return '';
  const name = ICMP_TYPES[t];
  if (name === undefined) return '';
  let s = pad20(name);
  const code = ICMP_CODES[t]?.[c];
  if (code !== undefined) s += ' (' + code + ')';
  // echo, timestamp, information and address mask messages carry an identifier and a sequence number
  if ((t === 0 || t === 8 || (t >= 13 && t <= 18)) && l4.off + 8 <= pkt.caplen) {
    const id = u16be(d, l4.off + 4);
    const seq = u16be(d, l4.off + 6);
    s += ' id=0x' + id.toString(16).padStart(4, '0') + ', seq=' + seq + '/' + (((seq & 0xff) << 8) | (seq >> 8));
    if (pkt.net.kind === NET_IPV4 && pkt.net.off + 9 <= pkt.caplen) s += ', ttl=' + d[pkt.net.off + 8];
  }
  return s;
}

/** The MAC address of an NDP link-layer address option (type 1 source, 2 target) from `off` on, or ''. */
function ndpLinkAddress(pkt: DecodedPacket, off: number, want: number): string {
  const d = pkt.data;
  const end = Math.min(pkt.caplen, pkt.l4.off + pkt.l4.hdrLen + pkt.l4.payloadLen);
  // each option is at least 8 bytes: at most (end - off) / 8 steps
  while (off + 2 <= end) {
    const type = d[off];
    const len = d[off + 1] * 8;
    if (len === 0) return '';
    if (type === want && len >= 8 && off + 8 <= end) return macString(d, off + 2);
    off += len;
  }
  return '';
}

function icmpv6Info(pkt: DecodedPacket): string {
  const l4 = pkt.l4;
  const d = pkt.data;
  const t = l4.icmpType;
  const c = l4.icmpCode;
  const o = l4.off;
  if (t < 0 || c < 0) return '';
  const name = ICMPV6_TYPES[t];
  if (name === undefined) return '';
  let s = name;
  const code = ICMPV6_CODES[t]?.[c];
  if (code !== undefined) s += ' (' + code + ')';
  if ((t === 128 || t === 129) && o + 8 <= pkt.caplen) {
    s += ' id=0x' + u16be(d, o + 4).toString(16).padStart(4, '0') + ', seq=' + u16be(d, o + 6);
    if (pkt.net.kind === NET_IPV6 && pkt.net.off + 8 <= pkt.caplen) s += ', hop limit=' + d[pkt.net.off + 7];
  } else if (t === 135 && o + 24 <= pkt.caplen) {
    s += ' for ' + ipv6String(d, o + 8);
    const mac = ndpLinkAddress(pkt, o + 24, 1);
    if (mac) s += ' from ' + mac;
  } else if (t === 136 && o + 24 <= pkt.caplen) {
    s += ' ' + ipv6String(d, o + 8);
    const f = d[o + 4];
    const flags = [f & 0x80 ? 'rtr' : '', f & 0x40 ? 'sol' : '', f & 0x20 ? 'ovr' : ''].filter((x) => x !== '');
    s += ' (' + (flags.length > 0 ? flags.join(', ') : 'none') + ')';
    const mac = ndpLinkAddress(pkt, o + 24, 2);
    if (mac) s += ' is at ' + mac;
  } else if (t === 133 || t === 134) {
    const mac = ndpLinkAddress(pkt, o + (t === 133 ? 8 : 16), 1);
    if (mac) s += ' from ' + mac;
  }
  return s;
}

/** Wireshark's Info for an ARP, ICMP or ICMPv6 packet; '' for others (the caller keeps tcpdump's text). */
export function wiresharkOtherInfo(outer: DecodedPacket): string {
  const pkt = innermost(outer);
  if (pkt.net.kind === NET_ARP) return arpInfo(pkt);
  if (pkt.net.isFragment) return '';
  if (pkt.l4.proto === IPPROTO_ICMP) return icmpInfo(pkt);
  if (pkt.l4.proto === IPPROTO_ICMPV6) return icmpv6Info(pkt);
  return '';
}
