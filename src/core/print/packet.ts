import { CaptureRecord } from '../capture/types';
import { decodeRecord } from '../decode/index';
import { DecodedPacket } from '../decode/packet';
import { PrintContext } from './context';
import { hexDump } from './hexdump';
import { printLink } from './link';
import { PrintOptions } from './options';
import { TimeFormatter } from './time';
import { errorMessage } from '../errors';

/**
 * Prints records one by one exactly as `tcpdump -n -r FILE` with the same options does
 * (tcpdump's pretty_print_packet): optional packet number, time stamp, the decoded layers,
 * then the optional hex dump. Holds only per-connection sequence bases, never the packets.
 */
export class PacketPrinter {
  private readonly ctx: PrintContext;
  private readonly time: TimeFormatter;
  private readonly pkt = new DecodedPacket();

  constructor(readonly opts: PrintOptions) {
    this.ctx = new PrintContext(opts);
    this.time = new TimeFormatter(opts);
  }

  /** The text for one record, ending with a newline. */
  print(rec: CaptureRecord): string {
    const pkt = decodeRecord(this.pkt, rec);
    return this.printDecoded(rec, pkt);
  }

  /** As `print`, for a record already decoded into `pkt`. */
  printDecoded(rec: CaptureRecord, pkt: DecodedPacket): string {
    const o = this.opts;
    let line = '';
    if (o.number) {
      const n = String(rec.index + 1);
      line = (n.length < 5 ? '     '.slice(n.length) + n : n) + '  ';
    }
    line += this.time.format(rec.tsSec, rec.tsNsec, rec.tsPrecision);
    let body: string;
    try {
      body = printLink(pkt, this.ctx);
    } catch (err) {
      body = '[printer error: ' + errorMessage(err) + ']';
    }
    line += body;
    if (o.hex !== 0) {
      const full = o.hex === 2 || o.hex === 4;
      const ascii = o.hex >= 3;
      const start = full ? 0 : pkt.link.hdrLen;
      if (rec.data.length > start) line += hexDump(rec.data, start, rec.data.length, ascii);
    }
    return line + '\n';
  }
}
