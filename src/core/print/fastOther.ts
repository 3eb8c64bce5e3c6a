/**
 * The printer's byte path for the lines fast.ts does not write: link layers other than plain Ethernet
 * (Linux cooked SLL/SLL2, raw IP, BSD loopback/null, the IPv4/IPv6 link types) and, on any of them,
 * the IP packets that do not carry TCP (UDP with its application printers, ICMP, ICMPv6, other
 * protocols) and ARP. fast.ts keeps the TCP line; it asks linkNetType/putLinkPrefix below which link
 * layers lead straight to IP, so TCP over SLL or raw IP is written there too.
 *
 * What is written here: the link prefix, "IP "/"IP6 ", the addresses and ports, "UDP, length N" and
 * ICMP echo lines as bytes; the texts of application printers (DNS, DHCP, NTP), of other ICMP/ICMPv6
 * messages, of ARP and of protocols without a printer come from the string printers and are copied
 * in. Why: the string path builds the whole line (the MAC addresses even without -e, the link, IP and
 * transport parts, then the newline) as concatenated strings and encodes them again; in a profile of
 * `print` over the bench's real-capture file the 11 % of packets that took it cost 9 % of the time.
 *
 * Any packet whose line would differ from the happy path checked below (VLAN tags, cut headers,
 * lengths that disagree, IPv6 extension headers, fragments, tunnels) is left to the string printer:
 * body() then writes nothing. Equality with the string printer is checked packet by packet on every
 * corpus capture, the bench's generators and their frames re-wrapped in every link type handled here
 * (test/print-fast.test.ts).
 */

import { u16be, u32be } from '../bytes';
import { DecodedPacket, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, NET_ARP, NET_IPV4, NET_IPV6 } from '../decode/packet';
import {
  DLT_RAW_12, DLT_RAW_14, LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_LOOP,
  LINKTYPE_NULL, LINKTYPE_RAW, sllPktTypeName,
} from '../decode/link';
import { l4CapEnd, l4Length } from '../decode/tcp';
import { errorMessage } from '../errors';
import { UDP_APP_PRINTERS } from './app/index';
import { ascii, GT, HEX, IP_, IP6_, plainIPv4, putIPv4, putIPv6 } from './byteText';
import { PrintContext } from './context';
import type { LineBytes } from './fast';
import { printIcmp, printIcmp6 } from './icmp';
import { printArp, sll2InterfaceName } from './link';
import { IPPROTO_PRINTERS } from './transport';
import { UDP_PORT_PRINTERS } from './udp';

const ETHERTYPE_IP = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_ARP = 0x0806;

/**
 * The network layer a frame's link printer (print/link.ts) goes straight on to, printing nothing
 * before it but putLinkPrefix's text, as an EtherType: 0x0800 (IPv4), 0x86dd (IPv6), 0x0806 (ARP);
 * -1 for any other frame (VLAN tags, a cut link header, PPPoE/MPLS, 802.3, unsupported link types),
 * which the string printer prints. Only under the byte path's options (no -e, -q, -v, -x).
 */
export function linkNetType(pkt: DecodedPacket): number {
  const link = pkt.link;
  if (link.trunc !== '' || link.vlanCount !== 0) return -1;
  const kind = pkt.net.kind;
  const d = pkt.data;
  let type: number;
  switch (link.linkType) {
    case LINKTYPE_ETHERNET:
      type = u16be(d, 12);
      break;
    case LINKTYPE_LINUX_SLL:
      // ARPHRD_IEEE80211_RADIOTAP (803) is dumped as hex, as sllRest does
      if (u16be(d, 2) === 803) return -1;
      type = u16be(d, 14);
      break;
    case LINKTYPE_LINUX_SLL2:
      if (u16be(d, 8) === 803) return -1;
      type = u16be(d, 0);
      break;
    case LINKTYPE_RAW:
    case DLT_RAW_12:
    case DLT_RAW_14:
      if (pkt.origLen < 1) return -1;
      return kind === NET_IPV4 ? ETHERTYPE_IP : kind === NET_IPV6 ? ETHERTYPE_IPV6 : -1;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return kind === NET_IPV4 ? ETHERTYPE_IP : kind === NET_IPV6 ? ETHERTYPE_IPV6 : -1;
    default:
      return -1;
  }
  // Ethernet and cooked: the type names the layer (a PPPoE or MPLS type sets net.kind too, printed by its own printer)
  if (type === ETHERTYPE_IP) return kind === NET_IPV4 ? type : -1;
  if (type === ETHERTYPE_IPV6) return kind === NET_IPV6 ? type : -1;
  if (type === ETHERTYPE_ARP) return kind === NET_ARP ? type : -1;
  return -1;
}

/** Texts of the SLL2 prefix ("lo    In  "), by interface (lo or not) and packet type (0…4, other). */
const SLL2_PREFIXES: string[] = Array.from({ length: 12 }, (_, i) => sll2InterfaceName(i >= 6 ? 1 : 0).padEnd(5, ' ') + ' ' + sllPktTypeName(i % 6).padEnd(3, ' ') + ' ');

/**
 * What the link printer writes before the network layer of a frame linkNetType accepted: nothing,
 * except on SLL2, whose interface name and direction tcpdump prints even without -e.
 */
export function putLinkPrefix(pkt: DecodedPacket, out: LineBytes): void {
  if (pkt.link.linkType !== LINKTYPE_LINUX_SLL2) return;
  const d = pkt.data;
  const t = d[10] < 5 ? d[10] : 5;
  out.str(SLL2_PREFIXES[(u32be(d, 4) === 1 ? 6 : 0) + t]);
}

const UDP_LENGTH = ascii('UDP, length ');
const IP_PROTO = ascii(':  ip-proto-');
const ARP_REQUEST = ascii('ARP, Request who-has ');
const ARP_REPLY = ascii('ARP, Reply ');
const TELL = ascii(' tell ');
const IS_AT = ascii(' is-at ');
const ICMP_ECHO_REQUEST = ascii('ICMP echo request, id ');
const ICMP_ECHO_REPLY = ascii('ICMP echo reply, id ');
const SEQ = ascii(', seq ');
const LENGTH = ascii(', length ');
const ID = ascii(', id ');
const WHO_HAS = ascii(', who has ');
const TGT_IS = ascii(', tgt is ');
/** ": ICMP6, <name>" of the types icmp6() writes, by type. */
const ICMP6_NAMES: Uint8Array[] = ((): Uint8Array[] => {
  const t: Uint8Array[] = new Array<Uint8Array>(256).fill(new Uint8Array(0));
  const names: [number, string][] = [[128, 'echo request'], [129, 'echo reply'], [133, 'router solicitation'], [134, 'router advertisement'], [135, 'neighbor solicitation'], [136, 'neighbor advertisement'], [1, 'destination unreachable'], [3, 'time exceeded in-transit']];
  for (const [k, n] of names) t[k] = ascii(': ICMP6, ' + n);
  return t;
})();

/** icmp.ts's UNREACH6 texts after ", " for the codes icmp6() writes (0 … 4), as bytes; code 1's leading space is tcpdump's. */
const UNREACH6: Uint8Array[] = ['unreachable route', ' unreachable prohibited', 'beyond scope', 'unreachable address', 'unreachable port'].map((t) => ascii(', ' + t));
const FOR = ascii(' for ');
const REASSEMBLY = ascii(' (reassembly)');
const SOURCE_ADDRESS = ascii(', source address ');
const TCP_PORT = ascii(' tcp port ');
const UDP_PORT = ascii(' udp port ');

/**
 * The byte path for the non-TCP lines of one printing run (PacketPrinter.printInto asks it after
 * fast.ts's FastPrinter). Shares the run's PrintContext with the string printer.
 */
export class FastOtherPrinter {
  /** Lines this path wrote (tests and the bench). */
  lines = 0;
  /** Of those, the lines whose text after the link prefix a string printer made (ARP, DNS, rare ICMP …): tests and the bench. */
  copied = 0;

  constructor(private readonly ctx: PrintContext) {}

  /**
   * Writes what printLink would return for `pkt` (no newline) and returns true, or writes nothing
   * and returns false when the packet is not one this path prints. Call only under the byte path's
   * options (FastPrinter.enabled).
   */
  body(pkt: DecodedPacket, out: LineBytes): boolean {
    if (pkt.inner !== null) return false;
    const type = linkNetType(pkt);
    if (type < 0) return false;
    const start = out.pos;
    try {
      let ok: boolean;
      if (type === ETHERTYPE_IP) ok = this.ipv4(pkt, out);
      else if (type === ETHERTYPE_IPV6) ok = this.ipv6(pkt, out);
      else {
        putLinkPrefix(pkt, out);
        if (!this.arp(pkt, out)) {
          out.str(printArp(pkt, this.ctx));
          this.copied++;
        }
        ok = true;
      }
      if (!ok) {
        out.pos = start;
        return false;
      }
    } catch (err) {
      // what PacketPrinter prints when the string printer throws
      out.pos = start;
      out.str('[printer error: ' + errorMessage(err) + ']');
    }
    this.lines++;
    return true;
  }

  /**
   * printArp without -e/-v for its commonest form, a request or a reply between Ethernet and IPv4
   * addresses, whole (1,668 of the real file's 200,000 packets); false, having written nothing, for
   * any other.
   */
  private arp(pkt: DecodedPacket, out: LineBytes): boolean {
    const d = pkt.data;
    const off = pkt.net.off;
    const wire = pkt.net.wireLen;
    if (pkt.caplen - off < 28 || !(wire >= 0 && wire < 2 ** 32)) return false;
    const pro = u16be(d, off + 2);
    const op = u16be(d, off + 6);
    if ((pro !== 0x0800 && pro !== 0x1000) || d[off + 4] !== 6 || d[off + 5] !== 4 || (op !== 1 && op !== 2)) return false;
    // sender hardware and protocol addresses at 8 and 14, target's at 18 and 24
    out.ensure(200);
    if (op === 1) {
      out.bytes(ARP_REQUEST);
      putIPv4(out, d, off + 24);
      if (d[off + 18] | d[off + 19] | d[off + 20] | d[off + 21] | d[off + 22] | d[off + 23]) {
        out.buf[out.pos++] = 0x20;
        out.buf[out.pos++] = 0x28;
        putMac(out, d, off + 18);
        out.buf[out.pos++] = 0x29;
      }
      out.bytes(TELL);
      putIPv4(out, d, off + 14);
    } else {
      out.bytes(ARP_REPLY);
      putIPv4(out, d, off + 14);
      out.bytes(IS_AT);
      putMac(out, d, off + 8);
    }
    out.bytes(LENGTH);
    out.num(wire);
    return true;
  }

  /** printIPv4 without -v when every check passes and the first (or only) fragment follows; else false. */
  private ipv4(pkt: DecodedPacket, out: LineBytes): boolean {
    const d = pkt.data;
    const net = pkt.net;
    const off = net.off;
    if (!plainIPv4(d, off, net.wireLen, pkt.caplen)) return false;
    if (net.isFragment && net.fragOffset !== 0) return false;
    putLinkPrefix(pkt, out);
    out.bytes(IP_);
    return this.transport(pkt, out, true);
  }

  /** printIPv6 without -v when the upper layer follows the fixed header at once; else false. */
  private ipv6(pkt: DecodedPacket, out: LineBytes): boolean {
    const d = pkt.data;
    const net = pkt.net;
    const off = net.off;
    const length = net.wireLen;
    if (length < 40 || pkt.caplen - off < 40 || d[off] >> 4 !== 6) return false;
    const plen = u16be(d, off + 4);
    // no extension header walk (printIp6Ext prints nothing then): UDP or ICMPv6 right after the header
    const nh = d[off + 6];
    if (plen === 0 || plen + 40 > length || nh !== net.proto || (nh !== IPPROTO_UDP && nh !== IPPROTO_ICMPV6)) return false;
    putLinkPrefix(pkt, out);
    out.bytes(IP6_);
    return this.transport(pkt, out, false);
  }

  /** printTransport for what is not TCP (fast.ts's), not a tunnel. */
  private transport(pkt: DecodedPacket, out: LineBytes, v4: boolean): boolean {
    const proto = pkt.net.proto;
    switch (proto) {
      case IPPROTO_UDP:
        return this.udp(pkt, out, v4);
      case IPPROTO_ICMP:
        return this.icmp(pkt, out);
      case IPPROTO_ICMPV6:
        return this.icmp6(pkt, out);
      case IPPROTO_TCP:
        // fast.ts declined it (odd options, a cut header …): the string printer's line
        return false;
      default: {
        // a tunnel (IP-in-IP, GRE) prints the packet it carries after it: left to printLink
        if (proto < 0 || proto === 4 || proto === 41 || proto === 47) return false;
        const pr = IPPROTO_PRINTERS[proto & 255];
        if (pr !== undefined) return false;
        // tcpdump's ip_demux_print for protocols it has no printer for (note the two spaces)
        // (SCTP and RSVP on the bench's real file: 1,668 of its 200,000 packets)
        const net = pkt.net;
        const d = pkt.data;
        const n = net.payloadLen;
        if (!(n >= 0 && n < 2 ** 32)) {
          out.str(net.src + ' > ' + net.dst + ':  ip-proto-' + proto + ' ' + n);
          return true;
        }
        out.ensure(200);
        if (v4) putIPv4(out, d, net.srcOff);
        else putIPv6(out, d, net.srcOff);
        out.bytes(GT);
        if (v4) putIPv4(out, d, net.dstOff);
        else putIPv6(out, d, net.dstOff);
        out.bytes(IP_PROTO);
        out.num(proto);
        out.buf[out.pos++] = 0x20;
        out.num(n);
        return true;
      }
    }
  }

  /** The addresses and ports ("10.0.0.1.53 > 10.0.0.2.40000: "). */
  private addrPorts(pkt: DecodedPacket, out: LineBytes, v4: boolean, sport: number, dport: number): void {
    const d = pkt.data;
    const net = pkt.net;
    if (v4) putIPv4(out, d, net.srcOff);
    else putIPv6(out, d, net.srcOff);
    out.buf[out.pos++] = 0x2e;
    out.num(sport);
    out.bytes(GT);
    if (v4) putIPv4(out, d, net.dstOff);
    else putIPv6(out, d, net.dstOff);
    out.buf[out.pos++] = 0x2e;
    out.num(dport);
    out.buf[out.pos++] = 0x3a;
    out.buf[out.pos++] = 0x20;
  }

  /** printUdp without -v/-q when the header is whole and its length agrees; else false. */
  private udp(pkt: DecodedPacket, out: LineBytes, v4: boolean): boolean {
    const d = pkt.data;
    const net = pkt.net;
    const off = net.payloadOff;
    let length = l4Length(pkt);
    if (off + 8 > l4CapEnd(pkt) || length < 8) return false;
    let ulen = u16be(d, off + 4);
    if (ulen < 8) return false;
    ulen -= 8;
    length -= 8;
    if (ulen > length && !net.isFragment) return false;
    const sport = u16be(d, off);
    const dport = u16be(d, off + 2);
    if (!net.isFragment && (UDP_PORT_PRINTERS.has(dport) || UDP_PORT_PRINTERS.has(sport))) return false;
    out.ensure(200);
    this.addrPorts(pkt, out, v4, sport, dport);
    if (!net.isFragment) {
      const ap = UDP_APP_PRINTERS.get(dport) ?? UDP_APP_PRINTERS.get(sport);
      if (ap !== undefined) {
        out.str(ap(pkt, this.ctx, off + 8, ulen, IPPROTO_UDP));
        this.copied++;
        return true;
      }
    }
    out.bytes(UDP_LENGTH);
    out.num(ulen);
    return true;
  }

  /**
   * printIcmp6 without -v: echo request and reply, neighbour solicitation and advertisement, router
   * solicitation and advertisement (the commonest ICMPv6, 38 of the bench's 48 a round), destination
   * unreachable (codes 0 … 3, and 4 quoting TCP or UDP) and time exceeded (codes 0, 1) — the corpus's
   * traceroute6 replies, 3,600 of the real file's 200,000 packets, at 1.7 µs each through the string
   * printer — as bytes, whole and of the usual lengths; the other messages as its text.
   */
  private icmp6(pkt: DecodedPacket, out: LineBytes): boolean {
    const d = pkt.data;
    const off = pkt.net.payloadOff;
    const type = d[off];
    const length = l4Length(pkt);
    const capEnd = l4CapEnd(pkt);
    const code = off + 2 <= capEnd ? d[off + 1] : -1;
    // the bytes printIcmp6 reads (its need()s) for what is written below; -1: its text
    const need =
      type === 128 || type === 129 ? 8 : type === 135 || type === 136 ? 24 : type === 133 || type === 134 ? 2
      : type === 1 && code >= 0 && code < 4 ? 48
      : type === 1 && code === 4 && off + 48 <= capEnd && (d[off + 14] === 6 || d[off + 14] === 17) ? 52
      : type === 3 && (code === 0 || code === 1) ? (code === 0 ? 48 : 2)
      : -1;
    if (length === 0 || need < 0 || off + need > capEnd) {
      out.str(printIcmp6(pkt, this.ctx));
      this.copied++;
      return true;
    }
    out.ensure(200);
    const net = pkt.net;
    putIPv6(out, d, net.srcOff);
    out.bytes(GT);
    putIPv6(out, d, net.dstOff);
    out.bytes(ICMP6_NAMES[type]);
    // the packet quoted by an error message: its destination address at 24, source at 8
    const oip = off + 8;
    if (type === 128 || type === 129) {
      out.bytes(ID);
      out.num(u16be(d, off + 4));
      out.bytes(SEQ);
      out.num(u16be(d, off + 6));
    } else if (type === 135 || type === 136) {
      out.bytes(type === 135 ? WHO_HAS : TGT_IS);
      putIPv6(out, d, off + 8);
    } else if (type === 1) {
      out.bytes(UNREACH6[code]);
      if (code === 4) {
        out.buf[out.pos++] = 0x2c;
        out.buf[out.pos++] = 0x20;
        putIPv6(out, d, oip + 24);
        // TCP or UDP quoted (checked above)
        out.bytes(d[oip + 6] === 6 ? TCP_PORT : UDP_PORT);
        out.num(u16be(d, oip + 42));
      } else {
        out.buf[out.pos++] = 0x20;
        putIPv6(out, d, oip + 24);
        if (code === 2) {
          out.bytes(SOURCE_ADDRESS);
          putIPv6(out, d, oip + 8);
        }
      }
    } else if (type === 3) {
      if (code === 0) {
        out.bytes(FOR);
        putIPv6(out, d, oip + 24);
      } else out.bytes(REASSEMBLY);
    }
    out.bytes(LENGTH);
    out.num(length);
    return true;
  }

  /** printIcmp without -v: echo request and reply as bytes, the other messages as its text. */
  private icmp(pkt: DecodedPacket, out: LineBytes): boolean {
    const d = pkt.data;
    const off = pkt.net.payloadOff;
    const type = d[off];
    if (off + 8 > l4CapEnd(pkt) || (type !== 0 && type !== 8)) {
      out.str(printIcmp(pkt, this.ctx));
      this.copied++;
      return true;
    }
    out.ensure(200);
    const net = pkt.net;
    putIPv4(out, d, net.srcOff);
    out.bytes(GT);
    putIPv4(out, d, net.dstOff);
    out.buf[out.pos++] = 0x3a;
    out.buf[out.pos++] = 0x20;
    out.bytes(type === 8 ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY);
    out.num(u16be(d, off + 4));
    out.bytes(SEQ);
    out.num(u16be(d, off + 6));
    out.bytes(LENGTH);
    out.num(l4Length(pkt));
    return true;
  }
}

/** A MAC address from 6 bytes ("02:00:00:00:00:01", macString's form). */
function putMac(out: LineBytes, d: Uint8Array, o: number): void {
  const b = out.buf;
  let p = out.pos;
  for (let i = 0; i < 6; i++) {
    if (i > 0) b[p++] = 0x3a;
    b[p++] = HEX[d[o + i] >> 4];
    b[p++] = HEX[d[o + i] & 15];
  }
  out.pos = p;
}
