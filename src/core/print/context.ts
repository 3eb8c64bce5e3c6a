import { PppHeader } from '../decode/scratch';
import { Ip6PrintWalk } from './ip6';
import { PrintOptions } from './options';
import type { TcpPrintState } from './tcp';

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
  /** The TCP printer's tables and scratch objects (print/tcp.ts makes it on first use). */
  tcp: TcpPrintState | null = null;
  /** The IPv6 printer's extension-header walk, reused from packet to packet. */
  readonly ip6Walk = new Ip6PrintWalk();
  /** The PPP printer's header (print/encap.ts printPpp), reused from packet to packet. */
  readonly ppp = new PppHeader();
  /**
   * Set by a printer that has printed an encapsulation header (IP-in-IP, GRE, VXLAN) and wants the
   * packet it carries (pkt.inner) printed next; printLink reads and clears it.
   */
  innerFollows = false;
  constructor(readonly opts: PrintOptions) {}
}
