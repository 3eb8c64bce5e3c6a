/**
 * Application printers: well-known TCP/UDP port → printer of the transport payload, the printing side
 * of decode/app/index.ts (as tcpdump's tcp_print/udp_print dispatch on ports).
 *
 * Adding a protocol: write src/core/print/app/<proto>.ts exporting an AppPrinter and add one entry per
 * port to TCP_APP_PRINTERS and/or UDP_APP_PRINTERS below.
 */

import type { DecodedPacket } from '../../decode/packet';
import type { AppTransport } from '../../decode/app/index';
import type { PrintContext } from '../context';
import { DNS_PORT, MDNS_PORT } from '../../decode/app/dns';
import { printDns } from './dns';
import { HTTP_ALT_PORT, HTTP_PORT } from '../../decode/app/http';
import { printHttp } from './http';
import { FTP_PORT } from '../../decode/app/ftp';
import { printFtp } from './ftp';
import { SSH_PORT } from '../../decode/app/ssh';
import { printSsh } from './ssh';
import { SMTP_PORT } from '../../decode/app/mail';
import { printSmtp } from './smtp';
import { TELNET_PORT } from '../../decode/app/telnet';
import { printTelnet } from './telnet';
import { BOOTPC_PORT, BOOTPS_PORT } from '../../decode/app/dhcp';
import { printBootp } from './bootp';
import { NTP_PORT } from '../../decode/app/ntp';
import { printNtp } from './ntp';

/**
 * Prints an application payload of `len` bytes at `off` (`len` as the transport header claims; bound
 * every read by pkt.caplen, as tcpdump's ND_TCHECK does, and print tcpdump's " [|proto]" when cut).
 *
 * TCP (transport 6): returns what tcpdump prints after ", length N" — with its own leading separator,
 * because tcpdump's printers differ (": HTTP: GET / HTTP/1.1", " 4660+ A? example.com. (29)"); '' to
 * print nothing more. Called only when the TCP payload length > 0 and -q is off.
 * UDP (transport 17): returns what tcpdump prints after "src.port > dst.port: " in place of
 * "UDP, length N" ("4660+ A? example.com. (29)"). Called only when neither -q nor a fragment.
 *
 * Lines after the first (tcpdump -v's HTTP headers) are joined with '\n'. Never throws.
 */
export type AppPrinter = (pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, transport: AppTransport) => string;

/** TCP well-known port → printer (either port matches, destination first). */
export const TCP_APP_PRINTERS: ReadonlyMap<number, AppPrinter> = new Map<number, AppPrinter>([
  [DNS_PORT, printDns],
  [HTTP_PORT, printHttp],
  [HTTP_ALT_PORT, printHttp],
  // TLS (443) has no entry: tcpdump prints nothing after `length N` for it
  [FTP_PORT, printFtp],
  [SSH_PORT, printSsh],
  // telnet prints " [telnet …]" with its own leading space; SMTP only on 25 (tcpdump has no 587, POP3
  // or IMAP printer: those print nothing after "length N")
  [TELNET_PORT, printTelnet],
  [SMTP_PORT, printSmtp],
]);
/** UDP well-known port → printer (either port; consulted after print/udp.ts's UDP_PORT_PRINTERS). */
export const UDP_APP_PRINTERS: ReadonlyMap<number, AppPrinter> = new Map<number, AppPrinter>([
  [DNS_PORT, printDns],
  [MDNS_PORT, printDns],
  [BOOTPS_PORT, printBootp],
  [BOOTPC_PORT, printBootp],
  [NTP_PORT, printNtp],
  // SSDP (1900): tcpdump 4.99.3 prints "UDP, length N", as without an entry
]);
