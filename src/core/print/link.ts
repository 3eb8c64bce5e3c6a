import { hexPad, ipv4String, macString, u16be, u32be } from '../bytes';
import { DecodedPacket, NET_ARP, NET_IPV4, NET_IPV6 } from '../decode/packet';
import {
  bsdAfName, DLT_RAW_12, DLT_RAW_14, ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTI, ETHERTYPE_NAMES, ETHERTYPE_PPPOES, LINKTYPE_ETHERNET,
  LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_LOOP, LINKTYPE_MPLS, LINKTYPE_NULL, LINKTYPE_PPP,
  LINKTYPE_RAW, MAX_ETHERNET_LENGTH_VAL, nullFamily, sllPktTypeName,
} from '../decode/link';
import { arpOpName } from '../decode/arp';
import { PrintContext } from './context';
import { hexDump } from './hexdump';
import { EtherTypePrinter, printMpls, printPpp, printPppoe } from './encap';
import { printIPv4, printIPv6 } from './ip';

/**
 * EtherType → printer for the link-level layers between the link header and the network layer
 * (the decoders' ETHERTYPE_DECODERS entries that set link.next). Add one entry per such protocol.
 */
export const ETHERTYPE_PRINTERS: ReadonlyMap<number, EtherTypePrinter> = new Map<number, EtherTypePrinter>([
  [ETHERTYPE_PPPOES, printPppoe],
  [ETHERTYPE_MPLS, printMpls],
  [ETHERTYPE_MPLS_MULTI, printMpls],
]);

/**
 * Everything tcpdump prints for a packet after the time stamp: the -e link header, then the
 * network and transport layers (calls printTransport for IP payloads). No trailing newline;
 * -v IPv4 output contains the embedded "\n    " exactly as tcpdump prints it.
 * Follows tcpdump's print-ether.c, print-null.c, print-sll.c, print-raw.c, print-ip.c,
 * print-ip6.c, print-ip6opts.c, print-frag6.c, print-rt6.c and print-arp.c.
 */
export function printLink(pkt: DecodedPacket, ctx: PrintContext): string {
  ctx.innerFollows = false;
  let s = printFrame(pkt, ctx);
  // a tunnel printer asked for the packet it carries: print it right after, as tcpdump does
  for (let p = pkt.inner; p !== null && ctx.innerFollows; p = p.inner) {
    ctx.innerFollows = false;
    s += printFrame(p, ctx);
  }
  ctx.innerFollows = false;
  return s;
}

/** One packet's own layers (not the packet a tunnel in it carries). */
function printFrame(pkt: DecodedPacket, ctx: PrintContext): string {
  switch (pkt.link.linkType) {
    case LINKTYPE_ETHERNET:
      return printEthernet(pkt, ctx);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      return printNull(pkt, ctx);
    case LINKTYPE_RAW:
    case DLT_RAW_12:
    case DLT_RAW_14:
      return printRaw(pkt, ctx);
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return printNet(pkt, ctx);
    case LINKTYPE_LINUX_SLL:
      return printSll(pkt, ctx);
    case LINKTYPE_LINUX_SLL2:
      return printSll2(pkt, ctx);
    case LINKTYPE_MPLS:
      // only as what GRE carries (decodeLink): files of this link type are unsupported, as in tcpdump
      if (pkt.depth > 0) return printAfterType(pkt, ctx, ETHERTYPE_MPLS, 0) ?? '';
      return 'unsupported link type ' + pkt.link.linkType + ', length ' + pkt.origLen;
    case LINKTYPE_PPP: {
      // only as what GRE version 1 carries (decodeLink)
      if (pkt.depth === 0) return 'unsupported link type ' + pkt.link.linkType + ', length ' + pkt.origLen;
      const s = printPpp(pkt, ctx, 0, pkt.origLen);
      const k = pkt.net.kind;
      return k === NET_IPV4 || k === NET_IPV6 ? s + printNet(pkt, ctx) : s;
    }
    default:
      return 'unsupported link type ' + pkt.link.linkType + ', length ' + pkt.origLen;
  }
}

// ---------------------------------------------------------------------------------------------
// link layers

/** "ethertype IPv4 (0x0800)", or under -q "IPv4" (tcpdump's ether_type_print). */
function etherTypeText(type: number, quiet: boolean): string {
  const name = ETHERTYPE_NAMES.get(type);
  if (!quiet) return 'ethertype ' + (name ?? 'Unknown') + ' (0x' + hexPad(type, 4) + ')';
  return name ?? 'Unknown Ethertype (0x' + hexPad(type, 4) + ')';
}

/** tcpdump's ieee8021q_tci_string. */
function tciText(tci: number): string {
  return 'vlan ' + (tci & 0xfff) + ', p ' + (tci >> 13) + ((tci & 0x1000) !== 0 ? ', DEI' : '');
}

/** tcpdump's default printer for payloads it does not decode: a hex + ASCII dump (not under -x/-X). */
function defaultPrint(pkt: DecodedPacket, ctx: PrintContext, off: number, end = pkt.caplen): string {
  if (ctx.opts.hex !== 0 || off >= end) return '';
  return hexDump(pkt.data, off, end, true);
}

/** tcpdump's llc_values. */
const LLC_SAP_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x00, 'Null'], [0xff, 'Global'], [0x02, '802.1B I'], [0x03, '802.1B G'], [0x06, 'IP'], [0x04, 'SNA'],
  [0x0e, 'ProWay NM'], [0x42, 'STP'], [0x4e, 'RS511'], [0x7e, 'ISO8208'], [0x8e, 'ProWay'], [0xaa, 'SNAP'],
  [0xe0, 'IPX'], [0xf0, 'NetBeui'], [0xfe, 'OSI'],
]);
/** tcpdump's llc_cmd_values (U frames). */
const LLC_U_CMDS: ReadonlyMap<number, string> = new Map<number, string>([
  [0x03, 'ui'], [0xe3, 'test'], [0xaf, 'xid'], [0x63, 'ua'], [0x43, 'disc'], [0x0f, 'dm'], [0x6f, 'sabme'], [0x87, 'frmr'],
]);
/** tcpdump's llc_flag_values. */
function llcFlags(v: number): string {
  switch (v) {
    case 0: return 'Command';
    case 0x01: return 'Response';
    case 0x10: return 'Poll';
    case 0x11: return 'Final';
    case 0x100: return 'Poll';
    case 0x101: return 'Final';
    default: return '?';
  }
}

/**
 * 802.2 LLC after an 802.3 header (tcpdump's llc_print), for SAPs whose payload is not decoded:
 * "src SSAP > dst DSAP Information, send seq 0, rcv seq 26, Flags [Command], length 52" and the
 * payload as hex. `end`: captured end, already cut to the 802.3 length.
 */
function printLlc(pkt: DecodedPacket, ctx: PrintContext, off: number, length: number, end: number, src: string, dst: string): string {
  const d = pkt.data;
  const e = ctx.opts.linkHeader;
  const macs = e ? '' : src + ' > ' + dst + ', ';
  if (end - off < 3 || length < 3) return (e ? '' : macs) + ' [|llc]' + defaultPrint(pkt, ctx, off, end);
  const dsapField = d[off];
  const ssapField = d[off + 1];
  let control = d[off + 2];
  const isU = (control & 3) === 3;
  let hdrlen = 3;
  if (!isU) {
    if (end - off < 4 || length < 4) return (e ? '' : macs) + ' [|llc]' + defaultPrint(pkt, ctx, off, end);
    control = d[off + 2] | (d[off + 3] << 8);
    hdrlen = 4;
  }
  const dsap = dsapField & 0xfe;
  const ssap = ssapField & 0xfe;
  let s = '';
  if (e) {
    s += 'LLC, dsap ' + (LLC_SAP_NAMES.get(dsap) ?? 'Unknown') + ' (0x' + hexPad(dsap, 2) + ') ' + ((dsapField & 1) !== 0 ? 'Group' : 'Individual') +
      ', ssap ' + (LLC_SAP_NAMES.get(ssap) ?? 'Unknown') + ' (0x' + hexPad(ssap, 2) + ') ' + ((ssapField & 1) !== 0 ? 'Response' : 'Command') +
      (isU ? ', ctrl 0x' + hexPad(control, 2) + ': ' : ', ctrl 0x' + hexPad(control, 4) + ': ');
  }
  const known = (ssapField === 0xff && dsapField === 0xff) || (ssap === dsap && control === 0x03 && (ssap === 0xaa || ssap === 0x42 || ssap === 0x06 || ssap === 0xe0 || ssap === 0xf0 || ssap === 0xfe));
  if (known) {
    // SNAP, STP, IP, IPX, NetBEUI, OSI payloads: not decoded here
    return (e ? s : macs + '802.3, length ' + length + ': ') + defaultPrint(pkt, ctx, off, end);
  }
  if (!e) {
    if (ssap === dsap) s += src + ' > ' + dst + ' ' + (LLC_SAP_NAMES.get(dsap) ?? 'Unknown DSAP 0x' + hexPad(dsap, 2)) + ' ';
    else s += src + ' ' + (LLC_SAP_NAMES.get(ssap) ?? 'Unknown SSAP 0x' + hexPad(ssap, 2)) + ' > ' + dst + ' ' + (LLC_SAP_NAMES.get(dsap) ?? 'Unknown DSAP 0x' + hexPad(dsap, 2)) + ' ';
  }
  if (isU) {
    s += 'Unnumbered, ' + (LLC_U_CMDS.get(control & 0xef) ?? hexPad(control & 0xef, 2)) + ', Flags [' + llcFlags((ssapField & 1) | (control & 0x10)) + '], length ' + length;
  } else if ((control & 3) === 1) {
    const sup = (control >> 2) & 3;
    s += 'Supervisory, ' + (sup === 0 ? 'Receiver Ready' : sup === 1 ? 'Receiver not Ready' : sup === 2 ? 'Reject' : '?') +
      ', rcv seq ' + ((control >> 9) & 0x7f) + ', Flags [' + llcFlags((ssapField & 1) | (control & 0x100)) + '], length ' + length;
    return s;
  } else {
    s += 'Information, send seq ' + ((control >> 1) & 0x7f) + ', rcv seq ' + ((control >> 9) & 0x7f) + ', Flags [' + llcFlags((ssapField & 1) | (control & 0x100)) + '], length ' + length;
  }
  void hdrlen;
  return s + defaultPrint(pkt, ctx, off, end);
}

function printEthernet(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const link = pkt.link;
  const e = ctx.opts.linkHeader;
  const q = ctx.opts.quiet;
  if (link.trunc === 'ether') return ' [|ether]';
  const length = pkt.origLen;
  const macs = macString(d, 6) + ' > ' + macString(d, 0) + ', ';
  let s = e ? macs : '';
  let type = u16be(d, 12);
  let off = 14;
  let printedLength = false;
  for (let i = 0; i < link.vlanCount; i++) {
    const tci = link.vlans[i] & 0xffff;
    if (e) {
      s += etherTypeText(type, q) + (printedLength ? ', ' : ', length ' + length + ': ') + tciText(tci) + ', ';
      printedLength = true;
    }
    type = u16be(d, off + 2);
    off += 4;
  }
  if (link.trunc === 'vlan') return s + ' [|vlan]';
  if (type <= MAX_ETHERNET_LENGTH_VAL) {
    // 802.3: the type field is the payload length, an LLC header follows
    let n = length - off;
    if (type < n) n = type;
    if (e) s += '802.3' + (printedLength ? '' : ', length ' + n + ': ');
    const end = off + n < pkt.caplen ? off + n : pkt.caplen;
    return s + printLlc(pkt, ctx, off, n, end, macString(d, 6), macString(d, 0));
  }
  if (e) s += etherTypeText(type, q) + (printedLength ? ', ' : ', length ' + length + ': ');
  const layered = printAfterType(pkt, ctx, type, off);
  if (layered !== null) return s + layered;
  const k = pkt.net.kind;
  if (k === NET_IPV4 || k === NET_IPV6 || k === NET_ARP) return s + printNet(pkt, ctx);
  if (!e) s += macs + etherTypeText(type, q) + ', length ' + length + ': ';
  return s + defaultPrint(pkt, ctx, off);
}

function nullHeaderText(family: number, length: number, quiet: boolean): string {
  const name = bsdAfName(family);
  const t = quiet ? (name === 'Unknown' ? 'Unknown AF ' + family : name) : 'AF ' + name + ' (' + family + ')';
  return t + ', length ' + length + ': ';
}

function printNull(pkt: DecodedPacket, ctx: PrintContext): string {
  if (pkt.link.trunc === 'null') return ' [|null]';
  const family = nullFamily(pkt.data);
  const e = ctx.opts.linkHeader;
  const hdr = nullHeaderText(family, pkt.origLen, ctx.opts.quiet);
  const k = pkt.net.kind;
  if (k === NET_IPV4 || k === NET_IPV6) return (e ? hdr : '') + printNet(pkt, ctx);
  return hdr + defaultPrint(pkt, ctx, 4);
}

function printRaw(pkt: DecodedPacket, ctx: PrintContext): string {
  const s = ctx.opts.linkHeader ? 'ip: ' : '';
  if (pkt.origLen < 1) return s + 'truncated-ip ' + pkt.origLen;
  if (pkt.link.trunc === 'raw') return s + ' [|ipn]';
  const k = pkt.net.kind;
  if (k === NET_IPV4 || k === NET_IPV6) return s + printNet(pkt, ctx);
  return s + 'unknown ip ' + (pkt.data[0] >> 4);
}

/** "802.2", "ethertype IPv4 (0x0800)" … as in tcpdump's sll_print / sll2_print. */
function sllTypeText(type: number): string {
  if (type <= MAX_ETHERNET_LENGTH_VAL) {
    if (type === 1) return '802.3';
    if (type === 4) return '802.2';
    return 'ethertype Unknown (0x' + hexPad(type, 4) + ')';
  }
  return etherTypeText(type, false);
}

function sllHeaderText(pkt: DecodedPacket, ctx: PrintContext, length: number): string {
  const d = pkt.data;
  let s = sllPktTypeName(u16be(d, 0)).padStart(3, ' ') + ' ';
  if (u16be(d, 4) === 6) s += macString(d, 6) + ' ';
  if (!ctx.opts.quiet) s += sllTypeText(u16be(d, 14)) + ', length ' + length + ': ';
  return s;
}

/** After a cooked header: tags (printed even without -e, as tcpdump does), then the payload. */
function sllRest(pkt: DecodedPacket, ctx: PrintContext, hdrLen: number, typeOff: number, header: (length: number) => string): string {
  const d = pkt.data;
  const link = pkt.link;
  const e = ctx.opts.linkHeader;
  let s = '';
  let type = u16be(d, typeOff);
  let off = hdrLen;
  if (u16be(d, hdrLen === 16 ? 2 : 8) === 803) return s + defaultPrint(pkt, ctx, off);
  for (let i = 0; i < link.vlanCount; i++) {
    const tci = link.vlans[i] & 0xffff;
    if (e) s += tciText(tci) + ', ';
    type = u16be(d, off + 2);
    if (type <= MAX_ETHERNET_LENGTH_VAL) type = 4;
    if (!ctx.opts.quiet) s += 'ethertype ' + (ETHERTYPE_NAMES.get(type) ?? 'Unknown') + ', ';
    off += 4;
  }
  if (link.trunc === 'vlan') return s + ' [|vlan]';
  const layered = type > MAX_ETHERNET_LENGTH_VAL ? printAfterType(pkt, ctx, type, off) : null;
  if (layered !== null) return s + layered;
  const k = pkt.net.kind;
  if (type > MAX_ETHERNET_LENGTH_VAL && (k === NET_IPV4 || k === NET_IPV6 || k === NET_ARP)) return s + printNet(pkt, ctx);
  if (type > MAX_ETHERNET_LENGTH_VAL && !e) s += header(pkt.origLen - (off - hdrLen));
  return s + defaultPrint(pkt, ctx, off);
}

function printSll(pkt: DecodedPacket, ctx: PrintContext): string {
  if (pkt.link.trunc === 'sll') return ' [|sll]';
  const header = (length: number): string => sllHeaderText(pkt, ctx, length);
  return (ctx.opts.linkHeader ? header(pkt.origLen) : '') + sllRest(pkt, ctx, 16, 14, header);
}

/**
 * Interface name for an SLL2 ifindex. tcpdump looks the index up on the machine that reads the
 * file (if_indextoname), so its output depends on that host; index 1 is the loopback ("lo") on
 * Linux, anything else prints as "?" here.
 */
export function sll2InterfaceName(ifindex: number): string {
  return ifindex === 1 ? 'lo' : '?';
}

function printSll2(pkt: DecodedPacket, ctx: PrintContext): string {
  if (pkt.link.trunc === 'sll2') return ' [|sll2]';
  const d = pkt.data;
  const ifindex = u32be(d, 4);
  let s = sll2InterfaceName(ifindex).padEnd(5, ' ') + ' ' + sllPktTypeName(d[10]).padEnd(3, ' ') + ' ';
  const header = (length: number): string => {
    let h = 'ifindex ' + ifindex + ' ';
    if (d[11] === 6) h += macString(d, 12) + ' ';
    if (!ctx.opts.quiet) h += sllTypeText(u16be(d, 0)) + ', length ' + length + ': ';
    return h;
  };
  if (ctx.opts.linkHeader) s += header(pkt.origLen);
  return s + sllRest(pkt, ctx, 20, 0, header);
}

/**
 * A link-level layer from ETHERTYPE_PRINTERS at `off` (PPPoE, MPLS), then the network layer when
 * its decoder handed on to one; null when `type` has no such printer.
 */
function printAfterType(pkt: DecodedPacket, ctx: PrintContext, type: number, off: number): string | null {
  const pr = ETHERTYPE_PRINTERS.get(type);
  if (pr === undefined) return null;
  const s = pr(pkt, ctx, off, pkt.origLen - off);
  const k = pkt.net.kind;
  return k === NET_IPV4 || k === NET_IPV6 ? s + printNet(pkt, ctx) : s;
}

// ---------------------------------------------------------------------------------------------
// network layer

/** The network layer and what follows it: "IP …", "IP6 …", "ARP, …". */
export function printNet(pkt: DecodedPacket, ctx: PrintContext): string {
  switch (pkt.net.kind) {
    case NET_IPV4:
      return printIPv4(pkt, ctx);
    case NET_IPV6:
      return printIPv6(pkt, ctx);
    case NET_ARP:
      return printArp(pkt, ctx);
    default:
      return '';
  }
}

export function printArp(pkt: DecodedPacket, ctx: PrintContext): string {
  const d = pkt.data;
  const net = pkt.net;
  const off = net.off;
  const avail = pkt.caplen - off;
  const v = ctx.opts.verbose;
  if (avail < 8) return ' [|arp]';
  const hrd = u16be(d, off);
  const pro = u16be(d, off + 2);
  const hln = d[off + 4];
  const pln = d[off + 5];
  const op = u16be(d, off + 6);
  if (avail < 8 + 2 * hln + 2 * pln) return ' [|arp]';
  const sha = off + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  let s = ctx.opts.linkHeader ? '' : 'ARP, ';
  const ipLike = pro === 0x0800 || pro === 0x1000;
  if (!ipLike || pln !== 4 || hln === 0 || v) {
    s += (ARPHRD_NAMES.get(hrd) ?? 'Unknown Hardware (' + hrd + ')') + ' (len ' + hln + '), ' +
      (ETHERTYPE_NAMES.get(pro) ?? 'Unknown Protocol (0x' + hexPad(pro, 4) + ')') + ' (len ' + pln + ')';
    if (!v) return s + ', length ' + net.wireLen;
  }
  const paddr = (o: number): string => (!ipLike ? '<wrong proto type>' : pln !== 4 ? '<wrong len>' : ipv4String(d, o));
  const laddr = (o: number): string => linkAddr(d, o, hln);
  s += (v ? ', ' : '') + arpOpName(op) + ' ';
  switch (op) {
    case 1: {
      s += 'who-has ' + paddr(tpa);
      let nz = false;
      for (let i = 0; i < hln; i++) if (d[tha + i] !== 0) nz = true;
      if (nz) s += ' (' + laddr(tha) + ')';
      s += ' tell ' + paddr(spa);
      break;
    }
    case 2:
      s += paddr(spa) + ' is-at ' + laddr(sha);
      break;
    case 3:
    case 8:
      s += 'who-is ' + laddr(tha) + ' tell ' + laddr(sha);
      break;
    case 4:
      s += laddr(tha) + ' at ' + paddr(tpa);
      break;
    case 9:
      s += laddr(sha) + ' at ' + paddr(spa);
      break;
    default:
      return s + defaultPrint(pkt, ctx, off);
  }
  return s + ', length ' + net.wireLen;
}

/** tcpdump's arphrd_values. */
const ARPHRD_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [1, 'Ethernet'],
  [6, 'TokenRing'],
  [7, 'ArcNet'],
  [15, 'FrameRelay'],
  [19, 'ATM'],
  [23, 'Strip'],
  [24, 'IEEE 1394'],
  [32, 'InfiniBand'],
]);

/** linkaddr_string: a MAC for 6 bytes, otherwise hex bytes joined by ':'. */
function linkAddr(d: Uint8Array, o: number, len: number): string {
  if (len === 0) return '<empty>';
  if (len === 6) return macString(d, o);
  let s = '';
  for (let i = 0; i < len; i++) s += (i ? ':' : '') + hexPad(d[o + i], 2);
  return s;
}
