/**
 * NTP (RFC 5905; RFC 1305 for v3, RFC 1119 for v2) on UDP port 123: leap indicator, version and mode,
 * stratum, poll, precision, root delay and dispersion, reference ID and the four timestamps, with
 * Wireshark's field names (ntp.flags.mode …). Mode 6 (control messages) gets its header only.
 * Fixed offsets, every read bounded by the captured bytes. Never throws.
 */

import type { FieldSink } from '../fields';
import type { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';

export const NTP_PORT = 123;
/** Seconds from the NTP era 0 origin (1900-01-01) to the Unix epoch. */
export const NTP_UNIX_OFFSET = 2208988800;

/** Modes in Wireshark's words (Info column). */
export const NTP_MODES: readonly string[] = ['reserved', 'symmetric active', 'symmetric passive', 'client', 'server', 'broadcast', 'control', 'private'];
const LEAP: readonly string[] = ['no warning', 'last minute of the day has 61 seconds', 'last minute of the day has 59 seconds', 'unknown (clock unsynchronized)'];

function capEnd(pkt: DecodedPacket, off: number, len: number): number {
  const e = off + len;
  return e < pkt.caplen ? e : pkt.caplen;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o] << 24) >>> 0) + (d[o + 1] << 16) + (d[o + 2] << 8) + d[o + 3];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An NTP timestamp as Wireshark shows it ("Mar 20, 2024 02:01:20.500000000 UTC"; the fraction
 * truncated to nanoseconds), or "NULL" for 0 (Wireshark's word for an unset timestamp).
 */
export function ntpTimeText(sec: number, frac: number): string {
  if (sec === 0 && frac === 0) return 'NULL';
  const t = new Date((sec - NTP_UNIX_OFFSET) * 1000);
  const ns = Math.floor((frac * 1e9) / 4294967296);
  const p2 = (v: number): string => String(v).padStart(2, '0');
  return MONTHS[t.getUTCMonth()] + ' ' + p2(t.getUTCDate()) + ', ' + t.getUTCFullYear() + ' ' + p2(t.getUTCHours()) + ':' + p2(t.getUTCMinutes()) + ':' + p2(t.getUTCSeconds()) + '.' + String(ns).padStart(9, '0') + ' UTC';
}

export function decodeNtp(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _t: AppTransport): void {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return;
  sink.open('ntp', 'Network Time Protocol', off, end - off);
  const b = d[off];
  const li = b >> 6;
  const vn = (b >> 3) & 7;
  const mode = b & 7;
  sink.open('ntp.flags', 'Flags: 0x' + b.toString(16).padStart(2, '0') + ', ' + 'version ' + vn + ', ' + NTP_MODES[mode], off, 1);
  sink.field('ntp.flags.li', 'Leap Indicator: ' + LEAP[li] + ' (' + li + ')', off, 1, li, LEAP[li], 0xc0);
  sink.field('ntp.flags.vn', 'Version number: NTP Version ' + vn + ' (' + vn + ')', off, 1, vn, String(vn), 0x38);
  sink.field('ntp.flags.mode', 'Mode: ' + NTP_MODES[mode] + ' (' + mode + ')', off, 1, mode, NTP_MODES[mode], 0x07);
  sink.close();
  if (mode === 6 || mode === 7) {
    sink.note('info', mode === 6 ? 'control message (ntpq): its header and data are not decoded here' : 'private message (ntpdc)', off, end - off);
    sink.close();
    return;
  }
  // a message cut short (by the capture or the sender) still shows every field it holds whole
  const has = (o: number, n: number): boolean => off + o + n <= end;
  if (end - off < 48) sink.note('warning', 'NTP message cut short: ' + (end - off) + ' of 48 bytes', off, end - off);
  const stratum = has(1, 1) ? d[off + 1] : -1;
  if (stratum >= 0) sink.field('ntp.stratum', 'Peer Clock Stratum: ' + stratumText(stratum) + ' (' + stratum + ')', off + 1, 1, stratum, stratumText(stratum));
  if (has(2, 1)) {
    const poll = d[off + 2];
    sink.field('ntp.ppoll', 'Peer Polling Interval: ' + ((poll << 24) >> 24) + ' (' + 2 ** ((poll << 24) >> 24) + ' seconds)', off + 2, 1, poll, String(poll));
  }
  if (has(3, 1)) {
    const prec = d[off + 3];
    sink.field('ntp.precision', 'Peer Clock Precision: ' + 2 ** ((prec << 24) >> 24) + ' seconds', off + 3, 1, prec, String(prec));
  }
  if (has(4, 4)) {
    const rd = u32(d, off + 4);
    sink.field('ntp.rootdelay', 'Root Delay: ' + (rd / 65536).toFixed(6) + ' seconds', off + 4, 4, rd, String(rd));
  }
  if (has(8, 4)) {
    const rdisp = u32(d, off + 8);
    sink.field('ntp.rootdispersion', 'Root Dispersion: ' + (rdisp / 65536).toFixed(6) + ' seconds', off + 8, 4, rdisp, String(rdisp));
  }
  if (has(12, 4)) {
    let hex = '';
    for (let i = 0; i < 4; i++) hex += d[off + 12 + i].toString(16).padStart(2, '0');
    const refText = stratum <= 1 ? refAscii(d, off + 12) : d[off + 12] + '.' + d[off + 13] + '.' + d[off + 14] + '.' + d[off + 15];
    sink.field('ntp.refid', 'Reference ID: ' + refText, off + 12, 4, hex, refText);
  }
  const ts: [string, string, number][] = [['ntp.reftime', 'Reference Timestamp', 16], ['ntp.org', 'Origin Timestamp', 24], ['ntp.rec', 'Receive Timestamp', 32], ['ntp.xmt', 'Transmit Timestamp', 40]];
  for (const [name, label, o] of ts) {
    if (!has(o, 8)) break;
    const text = ntpTimeText(u32(d, off + o), u32(d, off + o + 4));
    sink.field(name, label + ': ' + text, off + o, 8, text, text);
  }
  if (end - off > 48) sink.field('ntp.more', (end - off - 48) + ' more bytes (extension fields, key ID, digest)', off + 48, end - off - 48, null, '');
  sink.close();
}

function stratumText(s: number): string {
  if (s === 0) return 'unspecified or invalid';
  if (s === 1) return 'primary reference';
  if (s <= 15) return 'secondary reference';
  return s === 16 ? 'unsynchronized' : 'reserved';
}

/** A stratum 0/1 reference ID: four ASCII characters (a kiss code or a clock source, "GPS"). */
function refAscii(d: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 4 && d[o + i] !== 0; i++) s += d[o + i] >= 0x20 && d[o + i] < 0x7f ? String.fromCharCode(d[o + i]) : '.';
  return s;
}

export function ntpInfo(pkt: DecodedPacket, off: number, len: number, _t: AppTransport): string {
  const end = capEnd(pkt, off, len);
  if (off >= end) return '';
  const b = pkt.data[off];
  const mode = b & 7;
  return 'NTP Version ' + ((b >> 3) & 7) + ', ' + (mode === 6 ? 'control' : mode === 7 ? 'private' : NTP_MODES[mode]);
}

export const NTP_FIELDS: readonly AppField[] = [
  { name: 'ntp.flags.li', type: 'uint', description: 'NTP leap indicator' },
  { name: 'ntp.flags.vn', type: 'uint', description: 'NTP version' },
  { name: 'ntp.flags.mode', type: 'uint', description: 'NTP mode (3 client, 4 server, 5 broadcast, 6 control)' },
  { name: 'ntp.stratum', type: 'uint', description: 'NTP stratum (distance from the reference clock)' },
  { name: 'ntp.ppoll', type: 'uint', description: 'NTP poll interval (log2 seconds)' },
  { name: 'ntp.precision', type: 'uint', description: 'NTP clock precision (log2 seconds, as a byte)' },
  { name: 'ntp.rootdelay', type: 'uint', description: 'NTP root delay (1/65536 s)' },
  { name: 'ntp.rootdispersion', type: 'uint', description: 'NTP root dispersion (1/65536 s)' },
];

export const NTP: AppProtocol = { name: 'NTP', decode: decodeNtp, info: ntpInfo, fields: NTP_FIELDS };
