/**
 * SMTP as tcpdump 4.99.3 prints it (print-smtp.c: txtproto_print without a command list, on port 25
 * only; 587 prints nothing): ": SMTP: EHLO host", with -v ": SMTP, length: N" and every line on a
 * "\n\t" line. The same text printer as FTP's (print/app/ftp.ts, tcpdump 4.99.3's behaviour for a
 * line without its end: " [|smtp]"). POP3 (110) and IMAP (143) have no tcpdump printer: nothing.
 */

import type { AppTransport } from '../../decode/app/index';
import type { DecodedPacket } from '../../decode/packet';
import type { PrintContext } from '../context';
import { printTxtLines } from './ftp';

export function printSmtp(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, _t: AppTransport): string {
  return printTxtLines(pkt, ctx.opts.verbose > 0, off, len, 'SMTP', ' [|smtp]');
}
