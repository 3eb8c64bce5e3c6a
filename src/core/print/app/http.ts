/**
 * HTTP as tcpdump 4.99 prints it (print-http.c: txtproto_print with the request methods and the
 * status code as the second token): ": HTTP: GET / HTTP/1.1", with -v ": HTTP, length: 202" and the
 * header lines on "\t" lines.
 */

import type { AppTransport } from '../../decode/app/index';
import type { DecodedPacket } from '../../decode/packet';
import type { PrintContext } from '../context';
import { printTxtProto, RESP_CODE_SECOND_TOKEN } from './txtproto';

/** print-http.c's httpcmds (RFC 2616, 5789, 2518, 3253, 3648, 3744, 5323, 5842). */
export const HTTP_CMDS: ReadonlySet<string> = new Set([
  'OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL',
  'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'VERSION-CONTROL', 'REPORT', 'CHECKOUT', 'CHECKIN', 'UNCHECKOUT', 'MKWORKSPACE',
  'UPDATE', 'LABEL', 'MERGE', 'BASELINE-CONTROL', 'MKACTIVITY', 'ORDERPATCH', 'ACL', 'SEARCH', 'BIND', 'UNBIND', 'REBIND',
]);

export function printHttp(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, _transport: AppTransport): string {
  return ': ' + printTxtProto(pkt, ctx, off, len, 'http', HTTP_CMDS, RESP_CODE_SECOND_TOKEN);
}
