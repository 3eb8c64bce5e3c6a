/**
 * TLS: tcpdump 4.99.3 has no TLS printer (print-tcp.c dispatches no port to one; checked on a generated
 * ClientHello to port 443 in test/app-tls.test.ts: the line ends at "length N"). So the printer adds
 * nothing, and TLS shows in the Info column and the details tree only. It exists so the port table
 * can name TLS explicitly and a future "-v TLS summary" option has one place to go.
 */

import type { DecodedPacket } from '../../decode/packet';
import type { AppTransport } from '../../decode/app/index';
import type { PrintContext } from '../context';

export function printTls(_pkt: DecodedPacket, _ctx: PrintContext, _off: number, _len: number, _transport: AppTransport): string {
  return '';
}
