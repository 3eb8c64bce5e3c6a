/**
 * Printers for the layers that carry another packet, as tcpdump 4.99 prints them: PPPoE session
 * + PPP (print-pppoe.c, print-ppp.c), MPLS (print-mpls.c), IP-in-IP / 6in4 (print-ip.c's demux),
 * GRE version 0 (print-gre.c) and VXLAN (print-vxlan.c). Each prints only its own header: what
 * follows is the network layer (PPPoE, MPLS: printed by the link printer from pkt.net) or the
 * inner packet (tunnels: they set ctx.innerFollows and printLink prints pkt.inner). So no printer
 * here calls back into the link printer, and the print modules have no import cycle.
 */

import { hex2, hexPad, u16be, u32be } from '../bytes';
import { DecodedPacket, NET_IPV6 } from '../decode/packet';
import { ETHERTYPE_NAMES } from '../decode/link';
import { PPP_IP, PPP_IPV6, readPpp } from '../decode/pppoe';
import { mplsPayloadType } from '../decode/mpls';
import { GRE_AP, GRE_CP, GRE_KP, GRE_RP, GRE_SP, GRE_VERS_MASK, greInnerLinkType, VXLAN_HDR_LEN } from '../decode/tunnel';
import { ETHERTYPE_PPP } from '../decode/numbers';
import { l4CapEnd, l4Length } from '../decode/tcp';
import { PrintContext } from './context';
import { hexDump } from './hexdump';

/** Prints a link-level layer at `off` (`length` wire bytes from there); the network layer follows when pkt.net has one. */
export type EtherTypePrinter = (pkt: DecodedPacket, ctx: PrintContext, off: number, length: number) => string;

/** tcpdump's pppoecode2str. */
function pppoeCodeName(code: number): string {
  switch (code) {
    case 0x00: return '';
    case 0x07: return 'PADO';
    case 0x09: return 'PADI';
    case 0x19: return 'PADR';
    case 0x65: return 'PADS';
    case 0xa7: return 'PADT';
    default: return 'PAD-' + code.toString(16);
  }
}

/** "PPPoE  [ses 0x1a2b] " (and with -e "IP (0x0021), length 46: "): pppoe_print, then ppp_print up to the payload. */
export function printPppoe(pkt: DecodedPacket, ctx: PrintContext, off: number, length: number): string {
  const d = pkt.data;
  if (length < 6) return 'truncated-pppoe ' + length;
  if (off + 6 > pkt.caplen) return ' [|pppoe]';
  length -= 6;
  const ver = d[off] >> 4;
  const type = d[off] & 15;
  const code = d[off + 1];
  const sid = u16be(d, off + 2);
  let plen = u16be(d, off + 4);
  let s = '';
  if (ver !== 1) s += ' [ver ' + ver + ']';
  if (type !== 1) s += ' [type ' + type + ']';
  s += 'PPPoE ' + pppoeCodeName(code);
  if (code === 0x09 && plen > 1484 - 6) s += ' [len ' + plen + '!]';
  if (plen > length) {
    s += ' [len ' + plen + ' > ' + length + '!]';
    plen = length;
  }
  if (sid) s += ' [ses 0x' + sid.toString(16) + ']';
  // discovery tags are not printed (no TCP there)
  if (code !== 0) return s;
  return s + ' ' + printPpp(pkt, ctx, off + 6, plen);
}

/**
 * ppp_print up to the payload for a PPP header at `p` (`plen` bytes from there): with -e
 * "IP (0x0021), length 46: ". IPv4/IPv6 follow (printed from pkt.net by the caller); other
 * protocols (LCP, IPCP, …) print as unknown with their bytes, which is tcpdump's text only for
 * the protocols it does not decode either.
 */
export function printPpp(pkt: DecodedPacket, ctx: PrintContext, p: number, plen: number): string {
  const d = pkt.data;
  const ppp = ctx.ppp;
  if (!readPpp(d, p, plen, pkt.caplen, ppp)) return ' [|ppp]';
  const proto = ppp.proto;
  const name = proto === PPP_IP ? 'IP' : proto === PPP_IPV6 ? 'IPV6' : '';
  let s = '';
  if (ctx.opts.linkHeader) {
    s += (name || 'unknown') + ' (0x' + hexPad(proto, 4) + '), length ' + plen;
    if (!name) return s;
    s += ': ';
  }
  if (!name) return s + 'unknown PPP protocol (0x' + hexPad(proto, 4) + ') ' + (ctx.opts.hex !== 0 ? '' : hexDump(d, ppp.payloadOff, Math.min(pkt.caplen, p + plen), false));
  return s;
}

/** tcpdump's mpls_labelname (labels 0-15). */
const MPLS_LABEL_NAMES = ['IPv4 explicit NULL', 'router alert', 'IPv6 explicit NULL', 'implicit NULL'];

/** "MPLS (label 100, tc 0, ttl 64) (label 200, tc 0, [S], ttl 64) " as mpls_print; with -v one label a line. */
export function printMpls(pkt: DecodedPacket, ctx: PrintContext, off: number, length: number): string {
  const d = pkt.data;
  const v = ctx.opts.verbose;
  let s = 'MPLS';
  let p = off;
  let depth = 0;
  let entry = 0;
  do {
    if (length < 4) return s + ' (invalid)';
    if (p + 4 > pkt.caplen) return s + ' [|mpls]';
    entry = u32be(d, p);
    const label = entry >>> 12;
    s += (depth && v ? '\n\t' : ' ') + '(label ' + label;
    depth++;
    if (v && label < 16) s += ' (' + (MPLS_LABEL_NAMES[label] ?? 'rsvd') + ')';
    s += ', tc ' + ((entry >>> 9) & 7);
    if (entry & 0x100) s += ', [S]';
    s += ', ttl ' + (entry & 255) + ')';
    p += 4;
    length -= 4;
  } while ((entry & 0x100) === 0);
  const label = entry >>> 12;
  const explicit = label === 0 || label === 2 || label === 3;
  if (!explicit && (length < 1 || p >= pkt.caplen)) return s + (length < 1 ? '' : ' [|mpls]');
  if (mplsPayloadType(label, explicit ? 0 : d[p]) < 0) {
    return s + (ctx.opts.hex !== 0 ? '' : hexDump(d, p, Math.min(pkt.caplen, p + length), true));
  }
  return s + (v ? '\n\t' : ' ');
}

/** "src > dst: " as ip_print puts it before a protocol other than TCP/UDP (none after IPv6 extension headers). */
function addrs(pkt: DecodedPacket): string {
  const net = pkt.net;
  if (net.kind === NET_IPV6 && net.hdrProto !== net.proto) return '';
  return net.src + ' > ' + net.dst + ': ';
}

/** IP protocols 4 and 41: the addresses, then the inner packet (printed by printLink). */
export function printIpInIp(pkt: DecodedPacket, ctx: PrintContext): string {
  if (pkt.inner === null) return addrs(pkt) + ' ip-proto-' + pkt.net.proto + ' ' + pkt.net.payloadLen;
  ctx.innerFollows = true;
  return addrs(pkt);
}

/** bittok2str(gre_flag_values, "none", flags). */
function greFlags(flags: number): string {
  const names: string[] = [];
  if (flags & GRE_CP) names.push('checksum present');
  if (flags & GRE_RP) names.push('routing present');
  if (flags & GRE_KP) names.push('key present');
  if (flags & GRE_SP) names.push('sequence# present');
  if (flags & 0x0800) names.push('strict source route');
  if (flags & GRE_AP) names.push('ack present');
  return names.length ? names.join(', ') : 'none';
}

/** GRE as gre_print / gre_print_0: "GREv0, key=0x2a, seq 7, length 56: " then the payload. */
export function printGre(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const o = ctx.opts;
  let p = pkt.net.payloadOff;
  const length = l4Length(pkt);
  const capEnd = l4CapEnd(pkt);
  let s = addrs(pkt);
  if (p + 2 > capEnd || length < 2) return s + ' [|gre]';
  const flags = u16be(d, p);
  const vers = flags & GRE_VERS_MASK;
  s += 'GREv' + vers;
  if (vers === 1) return s + printGreV1(pkt, ctx, p, length, capEnd, flags);
  if (vers !== 0) return s + ' ERROR: unknown-version';
  if (o.verbose) s += ', Flags [' + greFlags(flags) + ']';
  let len = length - 2;
  p += 2;
  if (p + 2 > capEnd || len < 2) return s + ' [|gre]';
  const proto = u16be(d, p);
  len -= 2;
  p += 2;
  if (flags & (GRE_CP | GRE_RP)) {
    if (p + 2 > capEnd || len < 2) return s + ' [|gre]';
    if (o.verbose) s += ', sum 0x' + u16be(d, p).toString(16);
    p += 2;
    len -= 2;
    if (p + 2 > capEnd || len < 2) return s + ' [|gre]';
    s += ', off 0x' + u16be(d, p).toString(16);
    p += 2;
    len -= 2;
  }
  if (flags & GRE_KP) {
    if (p + 4 > capEnd || len < 4) return s + ' [|gre]';
    s += ', key=0x' + u32be(d, p).toString(16);
    p += 4;
    len -= 4;
  }
  if (flags & GRE_SP) {
    if (p + 4 > capEnd || len < 4) return s + ' [|gre]';
    s += ', seq ' + u32be(d, p);
    p += 4;
    len -= 4;
  }
  // source routing entries are not decoded
  if (flags & GRE_RP) return s + ' [|gre]';
  if (o.linkHeader) s += ', proto ' + (ETHERTYPE_NAMES.get(proto) ?? 'unknown') + ' (0x' + hexPad(proto, 4) + ')';
  s += ', length ' + length + (o.verbose < 1 ? ': ' : '\n\t');
  if (greInnerLinkType(proto) < 0) return s + 'gre-proto-0x' + proto.toString(16);
  if (pkt.inner !== null) ctx.innerFollows = true;
  return s;
}

/** PPTP's enhanced GRE after "GREv1" (gre_print_1): ", call 5, seq 1, length 52: " then the PPP frame. */
function printGreV1(pkt: DecodedPacket, ctx: PrintContext, p: number, length: number, capEnd: number, flags: number): string {
  const d = pkt.data;
  const o = ctx.opts;
  let s = '';
  let len = length - 2;
  p += 2;
  if (o.verbose) s += ', Flags [' + greFlags(flags) + ']';
  if (len < 2 || p + 2 > capEnd) return s + ' [|gre]';
  const proto = u16be(d, p);
  len -= 2;
  p += 2;
  if (flags & GRE_KP) {
    if (len < 4 || p + 4 > capEnd) return s + ' [|gre]';
    s += ', call ' + (u32be(d, p) & 0xffff);
    len -= 4;
    p += 4;
  }
  if (flags & GRE_SP) {
    if (len < 4 || p + 4 > capEnd) return s + ' [|gre]';
    s += ', seq ' + u32be(d, p);
    len -= 4;
    p += 4;
  }
  if (flags & GRE_AP) {
    if (len < 4 || p + 4 > capEnd) return s + ' [|gre]';
    s += ', ack ' + u32be(d, p);
    len -= 4;
    p += 4;
  }
  if ((flags & GRE_SP) === 0) s += ', no-payload';
  if (o.linkHeader) s += ', proto ' + (ETHERTYPE_NAMES.get(proto) ?? 'unknown') + ' (0x' + hexPad(proto, 4) + ')';
  s += ', length ' + length;
  if ((flags & GRE_SP) === 0) return s;
  s += o.verbose < 1 ? ': ' : '\n\t';
  if (proto !== ETHERTYPE_PPP) return s + 'gre-proto-0x' + proto.toString(16);
  if (pkt.inner !== null) ctx.innerFollows = true;
  return s;
}

/** "VXLAN, flags [I] (0x08), vni 5001\n" and then the inner Ethernet frame (printed by printLink). */
export function printVxlan(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number): string {
  const d = pkt.data;
  const capEnd = l4CapEnd(pkt);
  let s = 'VXLAN';
  if (len < VXLAN_HDR_LEN) return s + ' (invalid)';
  if (off + 1 > capEnd) return s + ' [|vxlan]';
  const flags = d[off];
  s += ', flags [' + (flags & 0x08 ? 'I' : '.') + '] (0x' + hex2(flags) + '), ';
  if (off + 7 > capEnd) return s + ' [|vxlan]';
  s += 'vni ' + ((d[off + 4] << 16) | (d[off + 5] << 8) | d[off + 6]) + '\n';
  // the inner frame is opened once the whole 8-byte header was captured (decodeVxlan)
  if (pkt.inner !== null) ctx.innerFollows = true;
  else s += ' [|vxlan]';
  return s;
}
