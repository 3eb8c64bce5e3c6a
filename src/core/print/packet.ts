import { CaptureRecord } from '../capture/types';
import { decodeRecord } from '../decode/index';
import { DecodedPacket } from '../decode/packet';
import { PrintContext } from './context';
import { hexDump } from './hexdump';
import { printLink } from './link';
import { PrintOptions } from './options';
import { TimeFormatter } from './time';
import { errorMessage } from '../errors';
import { FastPrinter, LineBytes } from './fast';
import { FastOtherPrinter } from './fastOther';

/**
 * Prints records one by one exactly as `tcpdump -n -r FILE` with the same options does
 * (tcpdump's pretty_print_packet): optional packet number, time stamp, the decoded layers,
 * then the optional hex dump. Holds only per-connection sequence bases, never the packets.
 */
export class PacketPrinter {
  private readonly ctx: PrintContext;
  private readonly time: TimeFormatter;
  private readonly pkt = new DecodedPacket();
  private fast: FastPrinter | null = null;
  private other: FastOtherPrinter | null = null;

  constructor(readonly opts: PrintOptions) {
    this.ctx = new PrintContext(opts);
    this.time = new TimeFormatter(opts);
  }

  /**
   * As `print`, appending the line's UTF-8 bytes to `out` (the CLI's path: the commonest lines are
   * written as bytes, never built as strings; see fast.ts). The bytes equal those of `print`'s text.
   */
  printInto(rec: CaptureRecord, out: LineBytes): void {
    const fast = (this.fast ??= new FastPrinter(this.opts, this.ctx, this.time));
    if (!fast.enabled) {
      out.str(this.print(rec));
      return;
    }
    out.ensure(512);
    if (this.opts.number) out.str(this.numberColumn(rec));
    // the time column once (-ttt and -ttttt move their reference with each call)
    fast.time_(out, rec.tsSec, rec.tsNsec, rec.tsPrecision);
    // most frames are printed from their bytes; the others are decoded first
    if (fast.raw(rec.data, rec.origLen, rec.linkType, out)) {
      out.buf[out.pos++] = 0x0a;
      return;
    }
    const pkt = decodeRecord(this.pkt, rec);
    // TCP lines in fast.ts, the others (UDP, ICMP, ARP …) in fastOther.ts
    if (fast.body(pkt, out) || (this.other ??= new FastOtherPrinter(this.ctx)).body(pkt, out)) out.buf[out.pos++] = 0x0a;
    else out.str(this.afterTime(rec, pkt));
  }

  /**
   * How many lines printInto wrote through its byte path: TCP from the frame's bytes, TCP from the decoded
   * packet (fast.ts), the others (fastOther.ts).
   */
  byteLines(): { raw: number; decoded: number; other: number } {
    return { raw: this.fast?.rawLines ?? 0, decoded: this.fast?.decodedLines ?? 0, other: this.other?.lines ?? 0 };
  }

  /** The text for one record, ending with a newline. */
  print(rec: CaptureRecord): string {
    const pkt = decodeRecord(this.pkt, rec);
    return this.printDecoded(rec, pkt);
  }

  /** As `print`, for a record already decoded into `pkt`. */
  printDecoded(rec: CaptureRecord, pkt: DecodedPacket): string {
    const line = (this.opts.number ? this.numberColumn(rec) : '') + this.time.format(rec.tsSec, rec.tsNsec, rec.tsPrecision);
    return line + this.afterTime(rec, pkt);
  }

  /** -#: the packet number, right-aligned in 5 columns, and two spaces. */
  private numberColumn(rec: CaptureRecord): string {
    const n = String(rec.index + 1);
    return (n.length < 5 ? '     '.slice(n.length) + n : n) + '  ';
  }

  /** What follows the time column: the layers, the hex dump, the newline. */
  private afterTime(rec: CaptureRecord, pkt: DecodedPacket): string {
    const o = this.opts;
    let line = '';
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
