/**
 * BOOTP and DHCP for IPv4 (RFC 951, RFC 2131, options RFC 2132) on UDP ports 67 and 68: the fixed
 * header (op, addresses, client hardware address, server name, boot file) and the options after the
 * magic cookie, each with its byte range and Wireshark's field name (dhcp.option.dhcp for the message
 * type, dhcp.option.requested_ip_address …), so the tshark check compares them.
 *
 * Options are walked once, each step at least one byte, never past the captured bytes or the UDP
 * length; an option whose length runs past the end is reported and ends the walk. Never throws.
 */

import type { FieldSink } from '../fields';
import type { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';
import { ftpRaw, ftpText } from './ftp';

export const BOOTPS_PORT = 67;
export const BOOTPC_PORT = 68;
export const DHCP_MAGIC = 0x63825363;
/** Offset of the options (after the 4-byte magic cookie at 236). */
const OPTIONS_OFF = 240;

/** DHCP message types (option 53), Wireshark's words. */
export const DHCP_MESSAGE_TYPES: readonly string[] = [
  '', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NAK', 'Release', 'Inform', 'Force Renew', 'Lease query', 'Lease Unassigned',
  'Lease Unknown', 'Lease Active',
];

export function dhcpMessageName(t: number): string {
  return t > 0 && t < DHCP_MESSAGE_TYPES.length ? DHCP_MESSAGE_TYPES[t] : 'Unknown (' + t + ')';
}

/** Options with a field of their own: code → [Wireshark field, label, kind]. */
const OPTION_FIELDS: ReadonlyMap<number, [string, string, 'ip' | 'ips' | 'u32' | 'u16' | 'text' | 'u8']> = new Map([
  [1, ['dhcp.option.subnet_mask', 'Subnet Mask', 'ip']],
  [3, ['dhcp.option.router', 'Router', 'ips']],
  [6, ['dhcp.option.domain_name_server', 'Domain Name Server', 'ips']],
  [12, ['dhcp.option.hostname', 'Host Name', 'text']],
  [15, ['dhcp.option.domain_name', 'Domain Name', 'text']],
  [42, ['dhcp.option.ntp_server', 'NTP Server', 'ips']],
  [50, ['dhcp.option.requested_ip_address', 'Requested IP Address', 'ip']],
  [51, ['dhcp.option.ip_address_lease_time', 'IP Address Lease Time', 'u32']],
  [53, ['dhcp.option.dhcp', 'DHCP', 'u8']],
  [54, ['dhcp.option.dhcp_server_id', 'DHCP Server Identifier', 'ip']],
  [56, ['dhcp.option.message', 'Message', 'text']],
  [57, ['dhcp.option.dhcp_max_message_size', 'Maximum DHCP Message Size', 'u16']],
  [58, ['dhcp.option.renewal_time_value', 'Renewal Time Value', 'u32']],
  [59, ['dhcp.option.rebinding_time_value', 'Rebinding Time Value', 'u32']],
  [60, ['dhcp.option.vendor_class_id', 'Vendor class identifier', 'text']],
]);

/** Option names for the tree (RFC 2132 and IANA), for the ones without a field of their own. */
const OPTION_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'Padding'], [2, 'Time Offset'], [4, 'Time Server'], [28, 'Broadcast Address'], [31, 'Perform Router Discover'],
  [33, 'Static Route'], [43, 'Vendor-Specific Information'], [44, 'NetBIOS over TCP/IP Name Server'], [46, 'NetBIOS over TCP/IP Node Type'],
  [55, 'Parameter Request List'], [61, 'Client identifier'], [66, 'TFTP Server Name'], [67, 'Bootfile name'], [81, 'Client Fully Qualified Domain Name'],
  [82, 'Agent Information Option'], [119, 'Domain Search'], [121, 'Classless Static Route'], [255, 'End'],
]);

export function dhcpOptionName(code: number): string {
  return OPTION_FIELDS.get(code)?.[1] ?? OPTION_NAMES.get(code) ?? 'Unknown';
}

function capEnd(pkt: DecodedPacket, off: number, len: number): number {
  const e = off + len;
  return e < pkt.caplen ? e : pkt.caplen;
}

function ip(d: Uint8Array, o: number): string {
  return d[o] + '.' + d[o + 1] + '.' + d[o + 2] + '.' + d[o + 3];
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o] << 24) >>> 0) + (d[o + 1] << 16) + (d[o + 2] << 8) + d[o + 3];
}

export function macText(d: Uint8Array, o: number, n = 6): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ':' : '') + d[o + i].toString(16).padStart(2, '0');
  return s;
}

/** NUL-terminated text of at most n bytes at o ('' when the first byte is NUL). */
function zText(d: Uint8Array, o: number, n: number): { len: number } {
  let i = 0;
  while (i < n && d[o + i] !== 0) i++;
  return { len: i };
}

function hex32(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}

/** The DHCP message type (option 53) of the message at [off, end), or 0 when none. */
export function dhcpMessageType(d: Uint8Array, off: number, end: number): number {
  if (end - off < OPTIONS_OFF || u32(d, off + 236) !== DHCP_MAGIC) return 0;
  let p = off + OPTIONS_OFF;
  while (p < end) {
    const code = d[p];
    if (code === 255) return 0;
    if (code === 0) {
      p++;
      continue;
    }
    if (p + 1 >= end) return 0;
    const n = d[p + 1];
    if (code === 53 && n >= 1 && p + 2 < end) return d[p + 2];
    p += 2 + n;
  }
  return 0;
}

export function decodeDhcp(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _t: AppTransport): void {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return;
  sink.open('dhcp', 'Dynamic Host Configuration Protocol', off, end - off);
  // a capture cut inside the fixed header still shows every field it holds whole (as Wireshark does)
  const has = (o: number, n: number): boolean => off + o + n <= end;
  if (end - off < 236) sink.note('warning', 'BOOTP message cut short: ' + (end - off) + ' of at least 236 bytes captured', off, end - off);
  const op = d[off];
  sink.field('dhcp.type', 'Message type: ' + opName(op) + ' (' + op + ')', off, 1, op, opName(op));
  if (has(1, 1)) sink.field('dhcp.hw.type', 'Hardware type: ' + (d[off + 1] === 1 ? 'Ethernet' : d[off + 1]), off + 1, 1, d[off + 1], String(d[off + 1]));
  if (has(2, 1)) sink.field('dhcp.hw.len', 'Hardware address length: ' + d[off + 2], off + 2, 1, d[off + 2], String(d[off + 2]));
  if (has(3, 1)) sink.field('dhcp.hops', 'Hops: ' + d[off + 3], off + 3, 1, d[off + 3], String(d[off + 3]));
  if (has(4, 4)) {
    const xid = u32(d, off + 4);
    sink.field('dhcp.id', 'Transaction ID: ' + hex32(xid), off + 4, 4, xid, hex32(xid));
  }
  if (has(8, 2)) {
    const secs = (d[off + 8] << 8) | d[off + 9];
    sink.field('dhcp.secs', 'Seconds elapsed: ' + secs, off + 8, 2, secs, String(secs));
  }
  if (has(10, 2)) {
    const flags = (d[off + 10] << 8) | d[off + 11];
    sink.field('dhcp.flags', 'Bootp flags: 0x' + flags.toString(16).padStart(4, '0') + (flags & 0x8000 ? ' (Broadcast)' : ' (Unicast)'), off + 10, 2, flags, String(flags));
  }
  const addrs: [string, string, number][] = [['dhcp.ip.client', 'Client IP address', 12], ['dhcp.ip.your', 'Your (client) IP address', 16], ['dhcp.ip.server', 'Next server IP address', 20], ['dhcp.ip.relay', 'Relay agent IP address', 24]];
  for (const [name, label, o] of addrs) if (has(o, 4)) sink.field(name, label + ': ' + ip(d, off + o), off + o, 4, ip(d, off + o), ip(d, off + o));
  if (has(28, 6) && d[off + 1] === 1 && d[off + 2] === 6) {
    const mac = macText(d, off + 28);
    sink.field('dhcp.hw.mac_addr', 'Client MAC address: ' + mac, off + 28, 6, mac, mac);
  }
  if (end - off < 236) {
    sink.close();
    return;
  }
  const sname = zText(d, off + 44, 64);
  if (sname.len > 0) sink.field('dhcp.server', 'Server host name: ' + ftpText(d, off + 44, sname.len), off + 44, sname.len, ftpRaw(d, off + 44, sname.len), ftpText(d, off + 44, sname.len));
  const file = zText(d, off + 108, 128);
  if (file.len > 0) sink.field('dhcp.file', 'Boot file name: ' + ftpText(d, off + 108, file.len), off + 108, file.len, ftpRaw(d, off + 108, file.len), ftpText(d, off + 108, file.len));
  if (end - off >= OPTIONS_OFF && u32(d, off + 236) === DHCP_MAGIC) {
    sink.field('dhcp.cookie', 'Magic cookie: DHCP', off + 236, 4, DHCP_MAGIC, 'DHCP');
    options(d, off + OPTIONS_OFF, end, sink);
  }
  sink.close();
}

function opName(op: number): string {
  return op === 1 ? 'Boot Request' : op === 2 ? 'Boot Reply' : 'Unknown';
}

function options(d: Uint8Array, p: number, end: number, sink: FieldSink): void {
  while (p < end) {
    const code = d[p];
    if (code === 0) {
      p++;
      continue;
    }
    if (code === 255) {
      sink.field('dhcp.option.end', 'Option: (255) End', p, 1, 255, 'End');
      return;
    }
    if (p + 1 >= end) {
      sink.note('warning', 'option ' + code + ' cut short', p, end - p);
      return;
    }
    const n = d[p + 1];
    const v = p + 2;
    const name = dhcpOptionName(code);
    sink.open('dhcp.option', 'Option: (' + code + ') ' + name, p, Math.min(end, v + n) - p);
    sink.field('dhcp.option.type', 'Option: (' + code + ') ' + name, p, 1, code, String(code));
    sink.field('dhcp.option.length', 'Length: ' + n, p + 1, 1, n, String(n));
    if (v + n > end) {
      sink.note('warning', 'option ' + code + ' runs past the end of the message', p, end - p);
      sink.close();
      return;
    }
    optionValue(d, code, v, n, sink);
    sink.close();
    p = v + n;
  }
}

function optionValue(d: Uint8Array, code: number, v: number, n: number, sink: FieldSink): void {
  const f = OPTION_FIELDS.get(code);
  if (f !== undefined) {
    const [name, label, kind] = f;
    switch (kind) {
      case 'ip':
        if (n === 4) sink.field(name, label + ': ' + ip(d, v), v, 4, ip(d, v), ip(d, v));
        return;
      case 'ips':
        for (let i = 0; i + 4 <= n; i += 4) sink.field(name, label + ': ' + ip(d, v + i), v + i, 4, ip(d, v + i), ip(d, v + i));
        return;
      case 'u32':
        if (n === 4) sink.field(name, label + ': ' + u32(d, v), v, 4, u32(d, v), String(u32(d, v)));
        return;
      case 'u16':
        if (n === 2) sink.field(name, label + ': ' + ((d[v] << 8) | d[v + 1]), v, 2, (d[v] << 8) | d[v + 1], String((d[v] << 8) | d[v + 1]));
        return;
      case 'u8':
        if (n === 1) sink.field(name, label + ': ' + dhcpMessageName(d[v]) + ' (' + d[v] + ')', v, 1, d[v], dhcpMessageName(d[v]));
        return;
      case 'text':
        sink.field(name, label + ': ' + ftpText(d, v, n), v, n, ftpRaw(d, v, n), ftpText(d, v, n));
        return;
    }
  }
  if (code === 55) {
    for (let i = 0; i < n; i++) sink.field('dhcp.option.request_list_item', 'Parameter Request List Item: (' + d[v + i] + ') ' + dhcpOptionName(d[v + i]), v + i, 1, d[v + i], dhcpOptionName(d[v + i]));
  } else if (code === 61 && n === 7 && d[v] === 1) {
    const mac = macText(d, v + 1);
    sink.field('dhcp.hw.mac_addr', 'Client MAC address: ' + mac, v + 1, 6, mac, mac);
  } else if (n > 0) sink.field('dhcp.option.value', 'Value', v, n, null, '');
}

export function dhcpInfo(pkt: DecodedPacket, off: number, len: number, _t: AppTransport): string {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (end - off < 8) return '';
  const xid = u32(d, off + 4);
  const t = dhcpMessageType(d, off, end);
  // Wireshark: "DHCP Discover - Transaction ID 0x3903f326"; plain BOOTP: "Boot Request from 00:0c:…"
  if (t !== 0) return 'DHCP ' + dhcpMessageName(t) + ' - Transaction ID 0x' + xid.toString(16);
  if (end - off >= 34 && d[off] === 1) return 'Boot Request from ' + macText(d, off + 28);
  return opName(d[off]) === 'Unknown' ? 'BOOTP' : opName(d[off]);
}

export const DHCP_FIELDS: readonly AppField[] = [
  { name: 'dhcp.type', type: 'uint', description: 'BOOTP op: 1 request, 2 reply' },
  { name: 'dhcp.id', type: 'uint', description: 'DHCP transaction ID' },
  { name: 'dhcp.hw.mac_addr', type: 'string', description: 'DHCP client MAC address' },
  { name: 'dhcp.ip.client', type: 'ipv4', description: 'DHCP client IP address (ciaddr)' },
  { name: 'dhcp.ip.your', type: 'ipv4', description: 'DHCP address offered to the client (yiaddr)' },
  { name: 'dhcp.ip.server', type: 'ipv4', description: 'DHCP next server address (siaddr)' },
  { name: 'dhcp.ip.relay', type: 'ipv4', description: 'DHCP relay agent address (giaddr)' },
  { name: 'dhcp.option.type', type: 'uint', description: 'DHCP option code' },
  { name: 'dhcp.option.dhcp', type: 'uint', description: 'DHCP message type (1 Discover, 2 Offer, 3 Request, 5 ACK, 6 NAK, …)' },
  { name: 'dhcp.option.hostname', type: 'string', description: 'DHCP host name option' },
  { name: 'dhcp.option.requested_ip_address', type: 'ipv4', description: 'DHCP requested IP address' },
  { name: 'dhcp.option.dhcp_server_id', type: 'ipv4', description: 'DHCP server identifier' },
  { name: 'dhcp.option.ip_address_lease_time', type: 'uint', description: 'DHCP lease time (seconds)' },
  { name: 'dhcp.option.subnet_mask', type: 'ipv4', description: 'DHCP subnet mask' },
  { name: 'dhcp.option.router', type: 'ipv4', description: 'DHCP router (default gateway)' },
  { name: 'dhcp.option.domain_name_server', type: 'ipv4', description: 'DHCP DNS server' },
  { name: 'dhcp.option.domain_name', type: 'string', description: 'DHCP domain name' },
];

export const DHCP: AppProtocol = { name: 'DHCP', decode: decodeDhcp, info: dhcpInfo, fields: DHCP_FIELDS };
