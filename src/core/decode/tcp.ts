/**
 * TCP header decoder (RFC 9293; AE flag from RFC-to-be AccECN). Fills pkt.l4; reports fields to
 * the sink when one is given. Never reads past the capture and never throws.
 */

import { u16be, u32be, hex2, hexPad } from '../bytes';
import { FieldSink } from './fields';
import { decodeApp } from './app/index';
import {
  DecodedPacket, IPPROTO_TCP, NET_IPV4, TH_ACK, TH_AE, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN, TH_URG,
} from './packet';
import {
  nextTcpOption, scanTcpOptions, tcpOptionFieldName, tcpOptionLabel, TcpOptCursor,
  OPT_BAD_LEN, OPT_OK, OPT_TRUNC_KIND, OPT_TRUNC_LEN,
  TCPOPT_EOL, TCPOPT_MSS, TCPOPT_MPTCP, TCPOPT_SACK, TCPOPT_TIMESTAMP, TCPOPT_WSCALE, TCPOPT_EXPERIMENT2,
  TCPOPT_FASTOPEN, TCPOPT_TCPAO, TCPOPT_UTO, TCPOPT_SIGNATURE, TCPOPT_SACKOK, TCPOPT_NOP,
} from './tcpOptions';

/** Minimum TCP header length. */
export const TCP_HDR_MIN = 20;

/**
 * Length of the IP payload handed to the transport layer, as tcpdump computes it: what the IP
 * header says, except that an IPv4 total length larger than the packet on the wire
 * ("[total length 820 > length 52] (invalid)") is cut to what was on the wire.
 */
export function l4Length(pkt: DecodedPacket): number {
  const net = pkt.net;
  let len = net.payloadLen;
  if (net.kind === NET_IPV4 && pkt.origLen > 0) {
    const wire = pkt.origLen - net.payloadOff;
    if (wire >= 0 && wire < len) len = wire;
  }
  return len;
}

/** End of the bytes usable by the transport layer: the capture, bounded by the IP lengths. */
export function l4CapEnd(pkt: DecodedPacket): number {
  const ipEnd = pkt.net.payloadOff + l4Length(pkt);
  return ipEnd < pkt.caplen ? ipEnd : pkt.caplen;
}

/** Flag letters in tcpdump's order (tcp_flag_values): F S R P . U E W e. */
const FLAG_BITS = [TH_FIN, TH_SYN, TH_RST, TH_PUSH, TH_ACK, TH_URG, TH_ECE, TH_CWR, TH_AE];
const FLAG_CHARS = ['F', 'S', 'R', 'P', '.', 'U', 'E', 'W', 'e'];
const FLAG_FIELDS = ['fin', 'syn', 'reset', 'push', 'ack', 'urg', 'ece', 'cwr', 'ae'];
const FLAG_LABELS = ['Fin', 'Syn', 'Reset', 'Push', 'Acknowledgment', 'Urgent', 'ECN-Echo', 'Congestion Window Reduced', 'Accurate ECN'];

const flagCache: string[] = new Array(512);
/** "S.", "FP.", "none" … exactly as tcpdump's bittok2str_nosep(tcp_flag_values, "none", flags). */
export function tcpFlagString(flags: number): string {
  flags &= 0x1ff;
  let s = flagCache[flags];
  if (s !== undefined) return s;
  s = '';
  for (let i = 0; i < FLAG_BITS.length; i++) if (flags & FLAG_BITS[i]) s += FLAG_CHARS[i];
  if (s === '') s = 'none';
  flagCache[flags] = s;
  return s;
}

export function decodeTcp(pkt: DecodedPacket, sink: FieldSink | null): void {
  const l4 = pkt.l4;
  const d = pkt.data;
  const off = pkt.net.payloadOff;
  const length = l4Length(pkt);
  const capEnd = l4CapEnd(pkt);
  l4.proto = IPPROTO_TCP;
  l4.off = off;
  const avail = capEnd - off;
  if (avail < TCP_HDR_MIN) {
    if (avail >= 4) {
      l4.sport = u16be(d, off);
      l4.dport = u16be(d, off + 2);
    }
    const msg = 'TCP header cut short: ' + (avail > 0 ? avail : 0) + ' of 20 bytes captured';
    pkt.markTruncated(msg);
    if (sink) {
      sink.open('tcp', 'Transmission Control Protocol', off, avail > 0 ? avail : 0);
      if (avail >= 2) sink.field('tcp.srcport', 'Source Port', off, 2, u16be(d, off), String(u16be(d, off)));
      if (avail >= 4) sink.field('tcp.dstport', 'Destination Port', off + 2, 2, l4.dport, String(l4.dport));
      sink.note('error', msg, off, avail > 0 ? avail : 0);
      sink.close();
    }
    return;
  }
  const sport = u16be(d, off);
  const dport = u16be(d, off + 2);
  const seq = u32be(d, off + 4);
  const ack = u32be(d, off + 8);
  const hdrLen = (d[off + 12] >> 4) * 4;
  const flags = ((d[off + 12] & 1) << 8) | d[off + 13];
  const win = u16be(d, off + 14);
  const urp = u16be(d, off + 18);
  l4.sport = sport;
  l4.dport = dport;
  l4.seq = seq;
  l4.ack = ack;
  l4.hdrLen = hdrLen;
  l4.flags = flags;
  l4.win = win;
  l4.urp = urp;

  if (sink) {
    const plen = length - hdrLen;
    sink.open('tcp', 'Transmission Control Protocol, Src Port: ' + sport + ', Dst Port: ' + dport + ', Seq: ' + seq + (flags & TH_ACK ? ', Ack: ' + ack : '') + ', Len: ' + (plen > 0 ? plen : 0), off, hdrLen >= TCP_HDR_MIN ? Math.min(hdrLen, avail) : 20);
    sink.field('tcp.srcport', 'Source Port', off, 2, sport, String(sport));
    sink.field('tcp.dstport', 'Destination Port', off + 2, 2, dport, String(dport));
    sink.field('tcp.seq_raw', 'Sequence Number (raw)', off + 4, 4, seq, String(seq));
    sink.field('tcp.ack_raw', 'Acknowledgment Number (raw)', off + 8, 4, ack, String(ack));
    sink.field('tcp.hdr_len', 'Header Length', off + 12, 1, hdrLen, hdrLen + ' bytes (' + (hdrLen >> 2) + ')', 0xf0);
    sink.open('tcp.flags', 'Flags: 0x' + hexPad(flags, 3) + ' (' + tcpFlagString(flags) + ')', off + 12, 2);
    sink.field('tcp.flags.res', 'Reserved', off + 12, 1, (d[off + 12] >> 1) & 7, String((d[off + 12] >> 1) & 7), 0x0e);
    for (let i = FLAG_BITS.length - 1; i >= 0; i--) {
      const bit = FLAG_BITS[i];
      const set = (flags & bit) !== 0;
      // bitmask relative to the 2-byte field at off+12
      sink.field('tcp.flags.' + FLAG_FIELDS[i], FLAG_LABELS[i], off + 12, 2, set, set ? 'Set' : 'Not set', bit);
    }
    sink.close();
    sink.field('tcp.window_size_value', 'Window', off + 14, 2, win, String(win));
    sink.field('tcp.checksum', 'Checksum', off + 16, 2, u16be(d, off + 16), '0x' + hexPad(u16be(d, off + 16), 4));
    sink.field('tcp.urgent_pointer', 'Urgent Pointer', off + 18, 2, urp, String(urp));
  }

  if (hdrLen < TCP_HDR_MIN) {
    const msg = 'bad TCP header length ' + hdrLen + ' (< 20)';
    pkt.markMalformed(msg);
    if (sink) {
      sink.note('error', msg, off + 12, 1);
      sink.close();
    }
    return;
  }
  if (length < TCP_HDR_MIN) {
    const msg = 'TCP segment length ' + length + ' is shorter than a TCP header';
    pkt.markMalformed(msg);
    if (sink) sink.note('error', msg, off, 20);
  } else if (hdrLen > length) {
    const msg = 'TCP header length ' + hdrLen + ' is longer than the segment (' + length + ')';
    pkt.markMalformed(msg);
    if (sink) sink.note('error', msg, off + 12, 1);
  }

  l4.optOff = off + TCP_HDR_MIN;
  l4.optLen = hdrLen - TCP_HDR_MIN;
  l4.payloadOff = off + hdrLen;
  l4.payloadLen = length > hdrLen ? length - hdrLen : 0;

  if (off + hdrLen > capEnd) {
    const msg = 'TCP header cut short: ' + (capEnd - off) + ' of ' + hdrLen + ' bytes captured';
    pkt.markTruncated(msg);
    if (sink) sink.note('warning', msg, off, capEnd - off);
  }

  if (l4.optLen > 0) {
    const st = scanTcpOptions(d, l4.optOff, l4.optLen, capEnd, l4, pkt.scratch.tcpOpt);
    if (st === OPT_BAD_LEN) pkt.markMalformed('bad TCP option length');
    else if (st !== OPT_OK) pkt.markTruncated('TCP options cut short');
    if (sink) reportTcpOptions(pkt, sink, l4.optOff, l4.optLen, capEnd);
  }
  if (sink) {
    if (l4.payloadLen > 0) {
      const have = capEnd - l4.payloadOff;
      sink.field('tcp.payload', 'TCP payload (' + l4.payloadLen + ' bytes)', l4.payloadOff, have > 0 ? Math.min(have, l4.payloadLen) : 0, l4.payloadLen, l4.payloadLen + ' bytes');
    }
    sink.close();
    // application protocols (HTTP, DNS, …) only for the details tree: never on the indexing fast path
    if (l4.payloadLen > 0 && !pkt.net.isFragment) decodeApp(pkt, IPPROTO_TCP, l4.payloadOff, l4.payloadLen, sink);
  }
}

function hexBytes(d: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += hex2(d[off + i]);
  return s;
}

/** Detailed option fields (slow path only). */
function reportTcpOptions(pkt: DecodedPacket, sink: FieldSink, optOff: number, optLen: number, capEnd: number): void {
  const d = pkt.data;
  const end = optOff + optLen;
  sink.open('tcp.options', 'Options: (' + optLen + ' bytes)', optOff, Math.max(0, Math.min(optLen, capEnd - optOff)));
  const c = new TcpOptCursor();
  let pos = optOff;
  while (pos < end) {
    const r = nextTcpOption(d, pos, end, capEnd, c);
    if (r === OPT_TRUNC_KIND || r === OPT_TRUNC_LEN) {
      sink.note('warning', 'TCP option cut short by the capture', pos, Math.max(0, capEnd - pos));
      break;
    }
    if (r === OPT_BAD_LEN) {
      sink.open(tcpOptionFieldName(c.kind), tcpOptionLabel(c.kind) + ' [bad length ' + c.len + ']', pos, Math.min(2, capEnd - pos));
      sink.field('tcp.option_kind', 'Kind', pos, 1, c.kind, String(c.kind));
      sink.field('tcp.option_len', 'Length', pos + 1, 1, c.len, String(c.len));
      sink.note('error', 'bad TCP option length ' + c.len + (c.len < 2 ? ' (< 2)' : ' (runs past the header, ' + (end - pos) + ' bytes left)'), pos + 1, 1);
      sink.close();
      break;
    }
    const kind = c.kind;
    const dOff = c.dataOff;
    const dl = c.dataLen;
    const have = Math.max(0, Math.min(c.len, capEnd - pos));
    sink.open(tcpOptionFieldName(kind), tcpOptionLabel(kind), pos, have);
    sink.field('tcp.option_kind', 'Kind', pos, 1, kind, String(kind));
    if (kind !== TCPOPT_EOL && kind !== TCPOPT_NOP) sink.field('tcp.option_len', 'Length', pos + 1, 1, c.len, String(c.len));
    const captured = dOff + dl <= capEnd;
    if (!captured) {
      sink.note('warning', 'TCP option data cut short by the capture', dOff, Math.max(0, capEnd - dOff));
    } else {
      switch (kind) {
        case TCPOPT_MSS:
          if (dl === 2) sink.field('tcp.options.mss_val', 'MSS Value', dOff, 2, u16be(d, dOff), String(u16be(d, dOff)));
          else sink.note('error', 'MSS option length ' + c.len + ' (should be 4)', pos + 1, 1);
          break;
        case TCPOPT_WSCALE:
          if (dl === 1) sink.field('tcp.options.wscale.shift', 'Shift count', dOff, 1, d[dOff], String(d[dOff]) + ' (multiply by ' + (d[dOff] <= 14 ? 1 << d[dOff] : 16384) + ')');
          else sink.note('error', 'window scale option length ' + c.len + ' (should be 3)', pos + 1, 1);
          break;
        case TCPOPT_SACKOK:
          if (dl !== 0) sink.note('error', 'SACK permitted option length ' + c.len + ' (should be 2)', pos + 1, 1);
          break;
        case TCPOPT_SACK:
          if (dl % 8 !== 0) sink.note('error', 'SACK option length ' + c.len + ' is not 2 + 8*n', pos + 1, 1);
          for (let i = 0; i + 8 <= dl; i += 8) {
            sink.field('tcp.options.sack_le', 'left edge', dOff + i, 4, u32be(d, dOff + i), String(u32be(d, dOff + i)));
            sink.field('tcp.options.sack_re', 'right edge', dOff + i + 4, 4, u32be(d, dOff + i + 4), String(u32be(d, dOff + i + 4)));
          }
          break;
        case TCPOPT_TIMESTAMP:
          if (dl === 8) {
            sink.field('tcp.options.timestamp.tsval', 'Timestamp value', dOff, 4, u32be(d, dOff), String(u32be(d, dOff)));
            sink.field('tcp.options.timestamp.tsecr', 'Timestamp echo reply', dOff + 4, 4, u32be(d, dOff + 4), String(u32be(d, dOff + 4)));
          } else sink.note('error', 'timestamp option length ' + c.len + ' (should be 10)', pos + 1, 1);
          break;
        case TCPOPT_UTO:
          if (dl === 2) {
            const v = u16be(d, dOff);
            sink.field('tcp.options.utovalue', 'User Timeout', dOff, 2, v, (v & 1 ? (v >> 1) + ' minutes' : (v >> 1) + ' seconds'));
          }
          break;
        case TCPOPT_TCPAO:
          if (dl >= 2) {
            sink.field('tcp.options.tcpao.keyid', 'KeyID', dOff, 1, d[dOff], String(d[dOff]));
            sink.field('tcp.options.tcpao.rnextkeyid', 'RNextKeyID', dOff + 1, 1, d[dOff + 1], String(d[dOff + 1]));
            if (dl > 2) sink.field('tcp.options.tcpao.mac', 'MAC', dOff + 2, dl - 2, hexBytes(d, dOff + 2, dl - 2), '0x' + hexBytes(d, dOff + 2, dl - 2));
          } else sink.note('error', 'TCP-AO option length ' + c.len + ' (< 4)', pos + 1, 1);
          break;
        case TCPOPT_SIGNATURE:
          if (dl === 16) sink.field('tcp.options.md5.digest', 'MD5 digest', dOff, 16, hexBytes(d, dOff, 16), hexBytes(d, dOff, 16));
          else sink.note('error', 'MD5 option length ' + c.len + ' (should be 18)', pos + 1, 1);
          break;
        case TCPOPT_MPTCP:
          if (dl >= 1) sink.field('tcp.options.mptcp.subtype', 'Multipath TCP subtype', dOff, 1, d[dOff] >> 4, String(d[dOff] >> 4), 0xf0);
          if (dl > 1) sink.field('tcp.options.mptcp.data', 'Multipath TCP data', dOff + 1, dl - 1, hexBytes(d, dOff + 1, dl - 1), hexBytes(d, dOff + 1, dl - 1));
          break;
        case TCPOPT_FASTOPEN:
          if (dl > 0) sink.field('tcp.options.tfo.cookie', 'Fast Open Cookie', dOff, dl, hexBytes(d, dOff, dl), hexBytes(d, dOff, dl));
          else sink.field('tcp.options.tfo.request', 'Fast Open Cookie Request', pos, 2, true, 'cookie request');
          break;
        case TCPOPT_EXPERIMENT2:
          if (dl >= 2) {
            const magic = u16be(d, dOff);
            sink.field('tcp.options.experimental.magic_number', 'Magic Number', dOff, 2, magic, '0x' + hexPad(magic, 4));
            if (dl > 2) sink.field('tcp.options.experimental.data', 'Data', dOff + 2, dl - 2, hexBytes(d, dOff + 2, dl - 2), hexBytes(d, dOff + 2, dl - 2));
          } else sink.note('error', 'experimental option without a magic number', pos + 1, 1);
          break;
        default:
          if (kind !== TCPOPT_EOL && kind !== TCPOPT_NOP && dl > 0) sink.field('tcp.option.data', 'Data', dOff, dl, hexBytes(d, dOff, dl), '0x' + hexBytes(d, dOff, dl));
      }
    }
    sink.close();
    if (!captured) break;
    if (kind === TCPOPT_EOL) break;
    pos += c.len;
  }
  sink.close();
}
