/**
 * Wireshark's Info column for TCP and UDP packets (tshark 4.0's `_ws.col.Info`), the capture editor's
 * second Info wording beside tcpdump's (setting `captureLens.infoStyle`):
 *
 *   34220 → 61001 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=1 TSecr=0 WS=128
 *   53 → 33779 Len=42
 *
 * Followed from packet-tcp.c / packet-udp.c of Wireshark 4.0: ports joined by " → " (U+2192), the
 * flag names in bit order inside brackets ("<None>" without flags), relative Seq/Ack (the caller
 * passes the bases the TCP engine numbered the stream with: Wireshark's tcp.seq / tcp.ack), Win as
 * tcp.window_size (the raw window shifted by the sender's scale once the handshake showed it; a SYN's
 * window is never scaled), Urp with URG, Len = the segment's payload, then the options in header
 * order (MSS, SACK_PERM, TSval/TSecr, WS as the multiplier, SLE/SRE relative to the peer's base).
 * When the application decoder recognises the payload, its summary replaces all this as Wireshark's
 * does ("GET / HTTP/1.1", "Standard query 0x1234 A example.com"). Analysis markers
 * ("[TCP Retransmission] ") are prefixed by the caller, which knows them.
 *
 * Pure and allocation-light: one string per call. Differences from tshark with their reasons are
 * listed in test/info-tshark-differences.tsv.
 */
import { appInfo, appProtocolOf } from '../decode/app/index';
import { wiresharkOtherInfo } from './wiresharkOther';
import { DecodedPacket, innermost, IPPROTO_TCP, IPPROTO_UDP, TH_ACK, TH_RST, TH_SYN, TH_URG } from '../decode/packet';

/** How a TCP segment's numbers are shown: relative to the stream's bases, or raw (`relative` false). */
export interface WsTcpNumbers {
  relative: boolean;
  /** Base of this packet's sender (Seq = seq − seqBase) and of its peer (Ack = ack − ackBase). */
  seqBase: number;
  ackBase: number;
  /** The sender's window shift (0..14), or -1 when unknown or not in use (the raw window is shown). */
  winShift: number;
}

/** Wireshark 4.0's flag names in bit order (FIN is bit 0; bit 8, once NS, is AE in tshark 4.0.17). */
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
/** The three reserved bits (0x0e00 of the flags word): Wireshark adds "Reserved". */
const TH_RES = 0xe00;
const ARROW = ' \u2192 ';

/** The bracketed flags text without brackets: "SYN, ACK", "<None>". */
export function wsFlagsText(flags: number): string {
  let s = '';
  for (let b = 0; b < FLAG_NAMES.length; b++) {
    if (flags & (1 << b)) s += (s ? ', ' : '') + FLAG_NAMES[b];
  }
  if (flags & TH_RES) s += (s ? ', ' : '') + 'Reserved';
  return s || '<None>';
}

function u16(d: Uint8Array, o: number): number {
  return (d[o] << 8) | d[o + 1];
}
function u32(d: Uint8Array, o: number): number {
  return ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
}

/** The options part (" MSS=1460 SACK_PERM …"): walked in header order, bounded by the header and the captured bytes. */
function optionsText(pkt: DecodedPacket, nums: WsTcpNumbers | null): string {
  const l4 = pkt.l4;
  const d = pkt.data;
  const end = Math.min(l4.optOff + l4.optLen, pkt.caplen);
  let s = '';
  let o = l4.optOff;
  // every step advances by at least one byte: at most 40 steps (the options area is ≤ 40 bytes)
  while (o < end) {
    const kind = d[o];
    if (kind === 0) break;
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const len = d[o + 1];
    if (len < 2 || o + len > end) break;
    if (kind === 2 && len === 4) s += ' MSS=' + u16(d, o + 2);
    else if (kind === 3 && len === 3) s += ' WS=' + (1 << Math.min(d[o + 2], 14));
    else if (kind === 4 && len === 2) s += ' SACK_PERM';
    else if (kind === 8 && len === 10) s += ' TSval=' + u32(d, o + 2) + ' TSecr=' + u32(d, o + 6);
    // TCP Fast Open: cookie request / cookie, as option 34 or as the experimental option 254 (magic 0xF989)
    else if (kind === 34) s += len === 2 ? ' TFO=R' : ' TFO=C';
    else if (kind === 254 && len >= 4 && u16(d, o + 2) === 0xf989) s += len === 4 ? ' TFO=R' : ' TFO=C';
    else if (kind === 5 && len >= 10) {
      const base = nums?.relative ? nums.ackBase : 0;
      for (let b = o + 2; b + 8 <= o + len; b += 8) s += ' SLE=' + ((u32(d, b) - base) >>> 0) + ' SRE=' + ((u32(d, b + 4) - base) >>> 0);
    }
    o += len;
  }
  return s;
}

/** TCP's own Info (without the application summary). */
export function wsTcpInfo(pkt: DecodedPacket, nums: WsTcpNumbers | null): string {
  const l4 = pkt.l4;
  // packet-tcp.c shows the ports alone when the header is cut before its flags
  if (l4.off + 14 > pkt.caplen) return l4.sport + ARROW + l4.dport;
  // the three reserved bits are not in l4.flags (byte 12's 0x0e): Wireshark names them "Reserved"
  const flags = l4.flags | ((pkt.data[l4.off + 12] & 0x0e) << 8);
  const rel = nums !== null && nums.relative;
  const seq = rel ? (l4.seq - nums.seqBase) >>> 0 : l4.seq >>> 0;
  let s = l4.sport + ARROW + l4.dport + ' [' + wsFlagsText(flags) + '] Seq=' + seq;
  if (flags & TH_ACK) s += ' Ack=' + (rel ? (l4.ack - nums.ackBase) >>> 0 : l4.ack >>> 0);
  const shift = nums !== null && (flags & TH_SYN) === 0 ? nums.winShift : -1;
  s += ' Win=' + (shift >= 0 ? l4.win * (1 << shift) : l4.win);
  if (flags & TH_URG) s += ' Urg=' + l4.urp;
  s += ' Len=' + l4.payloadLen;
  return s + optionsText(pkt, nums);
}

/** UDP's own Info: "sport → dport Len=N" (N: the length field less the header, as packet-udp.c). */
export function wsUdpInfo(pkt: DecodedPacket): string {
  const l4 = pkt.l4;
  const ulen = l4.off + 6 <= pkt.caplen ? u16(pkt.data, l4.off + 4) : l4.payloadLen + 8;
  return l4.sport + ARROW + l4.dport + ' Len=' + (ulen >= 8 ? ulen - 8 : l4.payloadLen);
}

/**
 * Wireshark's Info for a decoded TCP or UDP packet (its innermost packet for tunnels): the application
 * summary when the payload's protocol is recognised (`app`, computed here unless the caller has it),
 * otherwise the transport's text. ARP, ICMP and ICMPv6 get theirs from wiresharkOther.ts; '' for other packets
 * (and IP fragments): the caller keeps its own text.
 */
export function wiresharkInfo(pkt: DecodedPacket, nums: WsTcpNumbers | null, app = appInfo(innermost(pkt))): string {
  const p = innermost(pkt);
  const proto = p.l4.proto;
  if ((proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) || p.net.isFragment) return wiresharkOtherInfo(pkt);
  // Wireshark does not hand a RST's payload to the application, and with reassembly on (its default)
  // an HTTP body segment is part of the PDU, never "Continuation": both keep TCP's text
  if (app !== '' && app !== 'Continuation' && !(proto === IPPROTO_TCP && p.l4.flags & TH_RST)) {
    // packet-http.c writes the first line followed by a space
    return appProtocolOf(proto, p.l4.sport, p.l4.dport)?.name === 'HTTP' ? app + ' ' : app;
  }
  return proto === IPPROTO_TCP ? wsTcpInfo(p, nums) : wsUdpInfo(p);
}
