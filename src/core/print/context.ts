import { PrintOptions } from './options';

/**
 * State that lives across packets while printing one capture, like tcpdump's globals.
 * One per printed file.
 */
export class PrintContext {
  /**
   * tcpdump's relative-sequence table (print-tcp.c `tcp_seq_hash`): key built from the
   * address/port tuple in canonical order; value holds the base seq/ack of each direction.
   * Owned by the TCP printer.
   */
  readonly tcpSeq = new Map<string, { seq: number; ack: number }>();
  constructor(readonly opts: PrintOptions) {}
}
