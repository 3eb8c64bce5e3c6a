/**
 * SSH (RFC 4253) in one TCP segment: the protocol version line ("SSH-2.0-OpenSSH_8.9p1") and the
 * clear-text binary packets before encryption starts, KEXINIT above all: its ten name-lists (key
 * exchange, host key, ciphers, MACs, compression in each direction) are what a person asks about
 * ("which algorithms did they agree on?"). Wireshark's field names (ssh.protocol, ssh.message_code,
 * ssh.kex_algorithms …) so the tshark check compares them.
 *
 * Stateless: a packet is decoded when its header is plausible (packet_length 5..35000, padding ≥ 4
 * and < packet_length, as RFC 4253 §6 requires); otherwise it is reported as encrypted. Name-lists
 * are bounded by the packet; nothing is read past the captured bytes. Never throws.
 */

import type { FieldSink } from '../fields';
import type { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';
import { ftpRaw, ftpText } from './ftp';

export const SSH_PORT = 22;

/** RFC 4253 §6.1: implementations must handle packets of 35000 bytes; more is not a clear-text header. */
const MAX_PACKET = 35000;
/** Longest version line (RFC 4253 §4.2: 255 characters including CR LF). */
const MAX_BANNER = 255;

/** Message numbers (RFC 4250 §4.1.2) → Wireshark's names. */
export const SSH_MESSAGES: ReadonlyMap<number, string> = new Map([
  [1, 'Disconnect'],
  [2, 'Ignore'],
  [3, 'Unimplemented'],
  [4, 'Debug'],
  [5, 'Service Request'],
  [6, 'Service Accept'],
  [7, 'Extension Info'],
  [20, 'Key Exchange Init'],
  [21, 'New Keys'],
  [30, 'Elliptic Curve Diffie-Hellman Key Exchange Init'],
  [31, 'Elliptic Curve Diffie-Hellman Key Exchange Reply'],
  [50, 'User Authentication Request'],
  [51, 'User Authentication Failure'],
  [52, 'User Authentication Success'],
  [53, 'User Authentication Banner'],
  [80, 'Global Request'],
  [90, 'Channel Open'],
  [94, 'Channel Data'],
  [97, 'Channel Close'],
]);

/** KEXINIT's name-lists in order (RFC 4253 §7.1), as Wireshark names them. */
export const KEX_LIST_FIELDS: readonly [string, string][] = [
  ['ssh.kex_algorithms', 'kex_algorithms'],
  ['ssh.server_host_key_algorithms', 'server_host_key_algorithms'],
  ['ssh.encryption_algorithms_client_to_server', 'encryption_algorithms_client_to_server'],
  ['ssh.encryption_algorithms_server_to_client', 'encryption_algorithms_server_to_client'],
  ['ssh.mac_algorithms_client_to_server', 'mac_algorithms_client_to_server'],
  ['ssh.mac_algorithms_server_to_client', 'mac_algorithms_server_to_client'],
  ['ssh.compression_algorithms_client_to_server', 'compression_algorithms_client_to_server'],
  ['ssh.compression_algorithms_server_to_client', 'compression_algorithms_server_to_client'],
  ['ssh.languages_client_to_server', 'languages_client_to_server'],
  ['ssh.languages_server_to_client', 'languages_server_to_client'],
];

function u32(d: Uint8Array, o: number): number {
  return ((d[o] << 24) >>> 0) + (d[o + 1] << 16) + (d[o + 2] << 8) + d[o + 3];
}

function capEnd(pkt: DecodedPacket, off: number, len: number): number {
  const e = off + len;
  return e < pkt.caplen ? e : pkt.caplen;
}

/** The version line's text end (before CR LF / LF), or -1 when the segment holds no whole version line. */
export function sshBannerEnd(d: Uint8Array, off: number, end: number): number {
  if (end - off < 4 || d[off] !== 0x53 || d[off + 1] !== 0x53 || d[off + 2] !== 0x48 || d[off + 3] !== 0x2d) return -1;
  for (let i = off + 4; i < end && i - off < MAX_BANNER; i++) {
    if (d[i] === 0x0a) return i > off && d[i - 1] === 0x0d ? i - 1 : i;
  }
  return -1;
}

/** Who sent the segment: the side on port 22 is the server. */
function side(pkt: DecodedPacket): 'Client' | 'Server' {
  return pkt.l4.dport === SSH_PORT || pkt.l4.sport !== SSH_PORT ? 'Client' : 'Server';
}

/** A plausible clear-text packet header at p: its packet_length, or -1. */
function packetLength(d: Uint8Array, p: number, end: number): number {
  if (end - p < 6) return -1;
  const plen = u32(d, p);
  const pad = d[p + 4];
  if (plen < 5 || plen > MAX_PACKET || pad < 4 || pad >= plen) return -1;
  return plen;
}

export function decodeSsh(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _t: AppTransport): void {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return;
  sink.open('ssh', 'SSH Protocol', off, end - off);
  const be = sshBannerEnd(d, off, end);
  if (be >= 0) {
    const shown = ftpText(d, off, be - off);
    sink.field('ssh.protocol', 'Protocol: ' + shown, off, be - off, ftpRaw(d, off, be - off), shown);
    sink.close();
    return;
  }
  if (d[off] === 0x53 && end - off < MAX_BANNER && (end - off < 4 || d[off + 1] === 0x53)) {
    sink.note('info', 'the version line has no line end here: it goes on in the next segment', off, end - off);
    sink.close();
    return;
  }
  // clear-text binary packets one after another (at most one per 10 bytes: the loop is bounded)
  let p = off;
  while (p < end) {
    const plen = packetLength(d, p, end);
    if (plen < 0) {
      sink.field('ssh.encrypted_packet', 'Encrypted packet (' + (end - p) + ' bytes)', p, end - p, end - p, String(end - p));
      sink.note('info', 'not a clear-text SSH packet: after New Keys everything is encrypted', p, end - p);
      break;
    }
    const pend = p + 4 + plen;
    const code = d[p + 5];
    const name = SSH_MESSAGES.get(code) ?? 'Unknown (' + code + ')';
    sink.open('ssh.packet', 'Packet: ' + name, p, Math.min(pend, end) - p);
    sink.field('ssh.packet_length', 'Packet Length: ' + plen, p, 4, plen, String(plen));
    sink.field('ssh.padding_length', 'Padding Length: ' + d[p + 4], p + 4, 1, d[p + 4], String(d[p + 4]));
    sink.field('ssh.message_code', 'Message Code: ' + name + ' (' + code + ')', p + 5, 1, code, name);
    if (code === 20) kexinit(d, p + 6, Math.min(pend - d[p + 4], end), sink);
    if (pend > end) sink.note('info', 'the packet goes on in the next segment', p, end - p);
    sink.close();
    p = pend;
  }
  sink.close();
}

/** KEXINIT body from `p` (after the message code) to `end` (start of the padding, or the segment's end). */
function kexinit(d: Uint8Array, p: number, end: number, sink: FieldSink): void {
  if (p + 16 > end) return;
  sink.field('ssh.cookie', 'Cookie', p, 16, null, '');
  p += 16;
  for (const [name, label] of KEX_LIST_FIELDS) {
    if (p + 4 > end) return;
    const n = u32(d, p);
    sink.field(name + '_length', label + '_length: ' + n, p, 4, n, String(n));
    p += 4;
    if (n > end - p) {
      sink.note('warning', label + ' runs past the packet', p - 4, end - p + 4);
      return;
    }
    const shown = ftpText(d, p, n);
    sink.field(name, label + ': ' + shown, p, n, ftpRaw(d, p, n), shown);
    p += n;
  }
  if (p < end) sink.field('ssh.first_kex_packet_follows', 'First KEX Packet Follows: ' + d[p], p, 1, d[p], String(d[p]));
}

/**
 * "Client: Encrypted packet (len=36)": most packets of a session, with few distinct lengths. The texts
 * below 2048 bytes are kept, each built once (pure constants, not run state: at most 2 × 2048 strings);
 * building them was a third of application Info's cost on the bench's realistic capture. The tables
 * are filled with `undefined` up front: an empty array first written at index 1500 turns into a
 * dictionary (a hash lookup per packet), a filled one stays a plain array (an indexed load).
 */
const CLIENT_ENCRYPTED: (string | undefined)[] = new Array<string | undefined>(2048).fill(undefined);
const SERVER_ENCRYPTED: (string | undefined)[] = new Array<string | undefined>(2048).fill(undefined);

function encryptedInfo(client: boolean, len: number): string {
  if (len >= 2048) return (client ? 'Client' : 'Server') + ': Encrypted packet (len=' + len + ')';
  const texts = client ? CLIENT_ENCRYPTED : SERVER_ENCRYPTED;
  return (texts[len] ??= (client ? 'Client' : 'Server') + ': Encrypted packet (len=' + len + ')');
}

export function sshInfo(pkt: DecodedPacket, off: number, len: number, _t: AppTransport): string {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return '';
  const s = side(pkt);
  const be = sshBannerEnd(d, off, end);
  if (be >= 0) return s + ': Protocol (' + ftpText(d, off, be - off) + ')';
  const plen = packetLength(d, off, end);
  if (plen < 0) return encryptedInfo(s === 'Client', end - off);
  const code = d[off + 5];
  const name = SSH_MESSAGES.get(code) ?? 'Unknown (' + code + ')';
  // KEXINIT's algorithms are in the details, not in Info: "Client: Key Exchange Init" as tshark 4.0 says it
  return s + ': ' + name;
}

export const SSH_FIELDS: readonly AppField[] = [
  { name: 'ssh.protocol', type: 'string', description: 'SSH version line (SSH-2.0-software)' },
  { name: 'ssh.packet_length', type: 'uint', description: 'SSH packet length' },
  { name: 'ssh.padding_length', type: 'uint', description: 'SSH padding length' },
  { name: 'ssh.message_code', type: 'uint', description: 'SSH message number (20 = KEXINIT, 21 = NEWKEYS, …)' },
  ...KEX_LIST_FIELDS.map(([name, label]): AppField => ({ name, type: 'string', description: 'SSH KEXINIT ' + label })),
];

export const SSH: AppProtocol = { name: 'SSH', decode: decodeSsh, info: sshInfo, fields: SSH_FIELDS };
