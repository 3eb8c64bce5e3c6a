/**
 * Scratch objects the decoders fill and read within one call (the IPv6 extension-header walk, the
 * PPP header, the TCP option cursor), and DecodeScratch, the set of them one DecodedPacket owns.
 *
 * Why here: they used to be module-level singletons in ip.ts, pppoe.ts and tcpOptions.ts, shared by
 * every DecodedPacket and every encapsulation level. Owning them per packet means the inner packet
 * of a tunnel (its own DecodedPacket, see DecodedPacket.openInner) cannot overwrite the outer
 * packet's scratch, whatever order a future decoder runs the levels in. They live in this file, which
 * imports nothing, so packet.ts can own them without importing ip.ts (ip.ts imports packet.ts).
 * No allocation per packet: one DecodeScratch is made with each DecodedPacket, which is reused.
 */

/** Where the IPv6 extension-header walk ended (ip.ts re-exports these). */
export const W_UPPER = 0;
export const W_TRUNC = 1;
export const W_INVALID = 2;
/** Stopped without damage: a non-first fragment, a first fragment with nothing after it, mobility. */
export const W_STOP = 3;

/**
 * Result of walkIPv6 (ip.ts). One instance a DecodedPacket (pkt.scratch.ip6Walk) and one a
 * PrintContext (ctx.ip6Walk, print/ip6.ts), reused from packet to packet. On W_UPPER, `nh`/`cp`/`len` give
 * the upper-layer protocol, its offset and its length; `capEnd` is tcpdump's snapend there.
 */
export class Ip6Walk {
  status = W_UPPER;
  nh = -1;
  cp = 0;
  len = 0;
  capEnd = 0;
  fragmented = false;
  fragOffset = 0;
  presumed = 0;
  jumbo = -1;
  /** For problems: a short reason. */
  why = '';
  /** Scratch of the options check: a valid Jumbo Payload option was found, and its value. */
  foundJumbo = false;
  jumboVal = 0;
  /** Protocol name for " [|name]" on W_TRUNC. */
  truncProto = '';
}

/** Where the PPP payload starts and what it is, as ppp_print finds it (pppoe.ts readPpp; shared with the printer). */
export class PppHeader {
  /** Offset of the PPP payload; bytes of PPP header = `payloadOff - off`. */
  payloadOff = 0;
  proto = -1;
}

/** Cursor filled by nextTcpOption (tcpOptions.ts; reuse one instance: no allocation per option). */
export class TcpOptCursor {
  /** Offset of the option's kind byte. */
  off = 0;
  kind = 0;
  /** Total length including kind (and length byte): 1 for EOL/NOP. */
  len = 0;
  /** Offset and length of the option data (after kind/len). */
  dataOff = 0;
  dataLen = 0;
}

/** The decoders' scratch objects of one DecodedPacket (pkt.scratch): each encapsulation level has its own. */
export class DecodeScratch {
  /** decodeIPv6's extension-header walk. */
  readonly ip6Walk = new Ip6Walk();
  /** The PPP header of a PPPoE session or a bare PPP frame (GRE version 1). */
  readonly ppp = new PppHeader();
  /** scanTcpOptions's cursor (decodeTcp's fast path). */
  readonly tcpOpt = new TcpOptCursor();
}
