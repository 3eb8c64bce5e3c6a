/**
 * Text formatting of the packet list (pure, no DOM): the Time column in its three formats,
 * counts and rates, and {n} placeholders of the host's translated strings.
 */
import type { TimeFormat } from '../../src/extension/capture/webviewMessages';
import type { PacketRow } from '../../src/worker/api';

export { fmt } from '../common/text';

/** 1234567 → "1,234,567". */
export function group(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Packets per second, short: "950", "12.3 k", "1.2 M". */
export function rate(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0';
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return (n / 1e3).toFixed(n < 1e4 ? 1 : 0) + ' k';
  return (n / 1e6).toFixed(1) + ' M';
}

/** Seconds with 6 decimals ("0.000123"); 9 when the value needs them. */
export function seconds(s: number): string {
  if (!Number.isFinite(s)) return '';
  const six = s.toFixed(6);
  return Math.abs(Number(six) - s) > 5e-10 ? s.toFixed(9) : six;
}

/** Time of day in UTC from "sec.nnnnnnnnn": "12:34:56.123456" (9 digits when the nanoseconds need them). */
export function timeOfDay(time: string): string {
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(time);
  if (!m) return time;
  const sec = Number(m[1]);
  let frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  if (frac.endsWith('000')) frac = frac.slice(0, 6);
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return time;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${frac}`;
}

/** The Time column of a row. */
export function timeColumn(row: PacketRow, format: TimeFormat): string {
  switch (format) {
    case 'absolute': return timeOfDay(row.time);
    case 'delta': return seconds(row.delta);
    default: return seconds(row.rel);
  }
}

/**
 * A TCP/UDP endpoint as the Source and Destination columns show it: `10.0.0.1:34220`, and
 * `[2001:db8::1]:443` for IPv6 (RFC 5952 §6: the brackets keep the port apart from the address's
 * colons); the address alone without a port. This is how Wireshark itself writes an endpoint
 * (`tshark -z conv,tcp`: "127.0.0.1:32784 <-> 127.0.0.1:56789"; Follow Stream: "Node 0:
 * 127.0.0.1:32784"), so its users read it at once, and it keeps two connections between the same
 * hosts apart in every row without two more columns of width (Wireshark's own Source/Destination
 * show addresses only, with the ports in Info — which tcpdump's wording does not start with).
 */
export function endpoint(addr: string, port: number | undefined): string {
  if (port === undefined || addr === '') return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** "a:1 → b:2" endpoints as shown in the connections table (unchanged, packet-derived). */
export function bytesText(n: number): string {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  if (n < 1024 * 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + ' MiB';
  return (n / 1024 / 1024 / 1024).toFixed(2) + ' GiB';
}

/** Parses a packet number typed by the user ("42", " #42 "); -1 when it is not one. */
export function parsePacketNumber(s: string): number {
  const m = /^\s*#?\s*(\d{1,12})\s*$/.exec(s);
  if (!m) return -1;
  const n = Number(m[1]);
  return n >= 1 ? n : -1;
}
