/**
 * The printer's byte path: the commonest line — Ethernet, IPv4 or IPv6, TCP, no -e/-v/-q/-x — written as
 * ASCII bytes straight into one growing buffer, byte for byte what the string printer
 * (printLink → printIPv4 → printTcp) makes of the same packet. Anything else goes through the string
 * printer and is copied in. Why: building each line as a dozen small strings and encoding them again
 * for the output cost about 2 µs a packet (CPU profile of `print -n` over 500,000 packets: 18 % in the
 * garbage collector, the rest in concatenation and number formatting), which made `print` slower than
 * tcpdump (1.3 µs a packet on realistic captures); writing bytes costs a fraction of it.
 *
 * Equality with the string printer is checked packet by packet on every corpus capture and on the
 * bench's generators (test/print-fast.test.ts).
 */

import { u16be, u32be } from '../bytes';
import { DecodedPacket, IPPROTO_TCP, NET_IPV4, NET_IPV6, TH_ACK, TH_FIN, TH_RST, TH_SYN, TH_URG } from '../decode/packet';
import { LINKTYPE_ETHERNET } from '../decode/link';
import { l4CapEnd, l4Length, tcpFlagString } from '../decode/tcp';
import { PrintContext } from './context';
import { PrintOptions } from './options';
import { TCP_APP_PRINTERS } from './app/index';
import { OPT_RES_BAD, OPT_RES_TRUNC, OPT_RES_TRUNC_GT, printOptions, relativeSeq, relativeSeq4, SeqState, stateOf } from './tcp';
import { TimeFormatter } from './time';
import { TCPOPT_EOL, TCPOPT_MSS, TCPOPT_NOP, TCPOPT_SACK, TCPOPT_SACKOK, TCPOPT_TIMESTAMP, TCPOPT_WSCALE } from '../decode/tcpOptions';
import { errorMessage } from '../errors';
import { linkNetType, putLinkPrefix } from './fastOther';

/** Room kept free after every write of unknown length: more than any fixed part of a line needs (~200 bytes). */
const HEADROOM = 512;

/**
 * Bytes of printed lines, appended to one buffer that grows when a line needs it. The owner takes
 * the bytes out (`take`) whenever it likes, e.g. every 64 KiB.
 */
export class LineBytes {
  buf: Uint8Array;
  pos = 0;
  private readonly encoder = new TextEncoder();

  /**
   * `alloc` makes each new buffer: the CLI passes Node's Buffer.allocUnsafe (no zero fill: every byte
   * handed out was written first; 3 % of `print` went to filling buffers with zeros).
   */
  constructor(
    private readonly capacity = 1 << 17,
    private readonly alloc: (n: number) => Uint8Array = (n) => new Uint8Array(n),
    /**
     * Writes a string as UTF-8 at `pos` of a buffer from `alloc` and returns the bytes written (Node:
     * Buffer#write). Used for strings of 32 characters and more, which the loop in str() copied at
     * 12 % of `print` over real captures (their option and application texts).
     */
    private readonly encode: ((s: string, buf: Uint8Array, pos: number) => number) | null = null,
  ) {
    this.buf = alloc(capacity);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = this.alloc(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** The bytes written so far (a view the caller now owns); the buffer starts empty again. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = this.alloc(this.capacity);
    this.pos = 0;
    return out;
  }

  /** A string as UTF-8 (the string printer's lines are ASCII; anything else is encoded as Node's stream would). */
  str(s: string): void {
    const n = s.length;
    this.ensure(3 * n + HEADROOM);
    const b = this.buf;
    let p = this.pos;
    if (n >= 32 && this.encode !== null) {
      this.pos = p + this.encode(s, b, p);
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // not ASCII (rare): the rest as UTF-8, at most 3 bytes a UTF-16 unit, which ensure() allowed for
        const rest = this.encoder.encode(s.slice(i));
        b.set(rest, p);
        this.pos = p + rest.length;
        return;
      }
      b[p++] = c;
    }
    this.pos = p;
  }

  /** Bytes prepared once (a cached prefix, a flag text). */
  bytes(a: Uint8Array): void {
    this.pos = putBytes(this.buf, this.pos, a);
  }

  /** An unsigned integer below 2^32 in decimal. */
  num(n: number): void {
    this.pos = putNum(this.buf, this.pos, n);
  }

  /** `n` in decimal with leading zeros to `width` digits (time fractions). */
  padded(n: number, width: number): void {
    const b = this.buf;
    let p = this.pos + width;
    this.pos = p;
    for (let i = 0; i < width; i++) {
      const q = Math.floor(n / 10);
      b[--p] = 48 + n - q * 10;
      n = q;
    }
  }
}

// The writers below take the buffer and a position and return the position after what they wrote:
// the line's hot path keeps both in locals (about a third faster than going through LineBytes' fields).

/** Bytes prepared once, copied by hand (TypedArray.set costs more for a few bytes). */
function putBytes(b: Uint8Array, p: number, a: Uint8Array): number {
  for (let i = 0; i < a.length; i++) b[p++] = a[i];
  return p;
}

/** An unsigned integer below 2^32 in decimal, two digits a step. */
function putNum(b: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    b[p] = 48 + n;
    return p + 1;
  }
  const len = n < 100 ? 2 : n < 1000 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
  const end = p + len;
  p = end;
  while (n >= 100) {
    const q = Math.floor(n / 100);
    const r = 2 * (n - q * 100);
    b[--p] = PAIRS[r + 1];
    b[--p] = PAIRS[r];
    n = q;
  }
  if (n >= 10) {
    b[--p] = PAIRS[2 * n + 1];
    b[--p] = PAIRS[2 * n];
  } else b[--p] = 48 + n;
  return end;
}

/**
 * The decimal digits of 0…65535, 5 bytes an entry, and their counts: octets, ports, windows and
 * lengths (12 of a line's ~16 numbers) are copied from here. Made on first use (~1 ms, 384 KiB); in a
 * profile of `print` over 200,000 realistic packets, formatting those numbers digit by digit was 18 %.
 */
let smallDigits: Uint8Array | null = null;
let smallLengths: Uint8Array | null = null;

function makeSmall(): void {
  const digits = new Uint8Array(65536 * 5);
  const lengths = new Uint8Array(65536);
  for (let n = 0; n < 65536; n++) lengths[n] = putNum(digits, 5 * n, n) - 5 * n;
  smallDigits = digits;
  smallLengths = lengths;
}

/** An integer 0…65535 in decimal. */
function putSmall(b: Uint8Array, p: number, n: number, digits: Uint8Array, lengths: Uint8Array): number {
  const len = lengths[n];
  let o = 5 * n;
  b[p] = digits[o];
  if (len > 1) {
    const end = p + len;
    for (p++, o++; p < end; p++, o++) b[p] = digits[o];
    return end;
  }
  return p + 1;
}

/** An IPv4 address from 4 bytes ("10.0.0.1"), then a dot and the port. */
function putAddrPort(b: Uint8Array, p: number, d: Uint8Array, o: number, port: number, digits: Uint8Array, lengths: Uint8Array): number {
  p = putSmall(b, p, d[o], digits, lengths);
  b[p++] = 0x2e;
  p = putSmall(b, p, d[o + 1], digits, lengths);
  b[p++] = 0x2e;
  p = putSmall(b, p, d[o + 2], digits, lengths);
  b[p++] = 0x2e;
  p = putSmall(b, p, d[o + 3], digits, lengths);
  b[p++] = 0x2e;
  return putSmall(b, p, port, digits, lengths);
}

/**
 * The option block holds only whole nop, eol, mss, wscale, sackOK, TS and sack options of their usual
 * lengths, all captured (what Linux and most stacks send): putOptions then writes what printOptions
 * would, without its strings. Any other block goes to printOptions.
 */
function plainOptions(d: Uint8Array, pos: number, end: number, capEnd: number): boolean {
  if (end > capEnd) return false;
  while (pos < end) {
    const kind = d[pos];
    if (kind === TCPOPT_EOL) return true;
    if (kind === TCPOPT_NOP) {
      pos++;
      continue;
    }
    if (pos + 1 >= end) return false;
    const len = d[pos + 1];
    if (len > end - pos) return false;
    switch (kind) {
      case TCPOPT_MSS:
        if (len !== 4) return false;
        break;
      case TCPOPT_WSCALE:
        if (len !== 3) return false;
        break;
      case TCPOPT_SACKOK:
        if (len !== 2) return false;
        break;
      case TCPOPT_TIMESTAMP:
        if (len !== 10) return false;
        break;
      case TCPOPT_SACK:
        if (len < 10 || (len - 2) % 8 !== 0) return false;
        break;
      default:
        return false;
    }
    pos += len;
  }
  return true;
}

/** ", options [...]" of a block plainOptions accepted; sack edges relative as printOptions makes them. */
function putOptions(b: Uint8Array, p: number, d: Uint8Array, pos: number, end: number, st: SeqState | null, digits: Uint8Array, lengths: Uint8Array): number {
  p = putBytes(b, p, OPTIONS);
  let first = true;
  while (pos < end) {
    if (!first) b[p++] = 0x2c; // ','
    first = false;
    const kind = d[pos];
    if (kind === TCPOPT_EOL) {
      p = putBytes(b, p, OPT_EOL);
      break;
    }
    if (kind === TCPOPT_NOP) {
      p = putBytes(b, p, OPT_NOP);
      pos++;
      continue;
    }
    const len = d[pos + 1];
    switch (kind) {
      case TCPOPT_MSS:
        p = putBytes(b, p, OPT_MSS);
        p = putSmall(b, p, u16be(d, pos + 2), digits, lengths);
        break;
      case TCPOPT_WSCALE:
        p = putBytes(b, p, OPT_WSCALE);
        p = putSmall(b, p, d[pos + 2], digits, lengths);
        break;
      case TCPOPT_SACKOK:
        p = putBytes(b, p, OPT_SACKOK);
        break;
      case TCPOPT_TIMESTAMP:
        p = putBytes(b, p, OPT_TS);
        p = putNum(b, p, u32be(d, pos + 2));
        p = putBytes(b, p, ECR);
        p = putNum(b, p, u32be(d, pos + 6));
        break;
      default: {
        // sack: "sack N {s:e}{s:e}…"
        p = putBytes(b, p, OPT_SACK);
        const n = (len - 2) / 8;
        p = putSmall(b, p, n, digits, lengths);
        b[p++] = 0x20;
        const base = st === null ? 0 : st.rev ? st.thseq : st.thack;
        for (let i = pos + 2; i < pos + len; i += 8) {
          b[p++] = 0x7b; // '{'
          p = putNum(b, p, (u32be(d, i) - base) >>> 0);
          b[p++] = 0x3a;
          p = putNum(b, p, (u32be(d, i + 4) - base) >>> 0);
          b[p++] = 0x7d; // '}'
        }
      }
    }
    pos += len;
  }
  b[p++] = 0x5d; // ']'
  return p;
}

/** "00" … "99" as 200 ASCII digits. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** ASCII bytes of a constant. */
function ascii(s: string): Uint8Array {
  const a = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
  return a;
}

const IP_ = ascii('IP ');
const IP6_ = ascii('IP6 ');
const DOT = ascii('.');
const GT = ascii(' > ');
const FLAGS = ascii(': Flags [');
const SEQ = ascii(', seq ');
const ACK = ascii(', ack ');
const WIN = ascii(', win ');
const URG = ascii(', urg ');
const LENGTH = ascii(', length ');
const TS_OPT = ascii(', options [nop,nop,TS val ');
const ECR = ascii(' ecr ');
const TRUNC = ' [|tcp]';
const OPTIONS = ascii(', options [');
const OPT_EOL = ascii('eol');
const OPT_NOP = ascii('nop');
const OPT_MSS = ascii('mss ');
const OPT_WSCALE = ascii('wscale ');
const OPT_SACKOK = ascii('sackOK');
const OPT_TS = ascii('TS val ');
const OPT_SACK = ascii('sack ');
/** Flag texts as bytes, by the 9 flag bits ("S.", "P.", "none"). */
const FLAG_BYTES: Uint8Array[] = Array.from({ length: 512 }, (_, f) => ascii(tcpFlagString(f)));

/**
 * The byte path of one printing run: a PacketPrinter makes one and asks it first for every packet.
 * Shares the run's PrintContext with the string printer, so relative sequence numbers carry over
 * whichever path printed the packets before.
 */
export class FastPrinter {
  /** The options allow the byte path at all (no -e, -v, -q, -x/-X: their lines are rare enough for strings). */
  readonly enabled: boolean;
  /** Lines printed from the frame's bytes alone (raw) and from the decoded packet (body): for tests and the bench. */
  rawLines = 0;
  decodedLines = 0;
  private readonly cacheSecs: number[] = new Array<number>(64).fill(NaN);
  private readonly cachePrefixes: Uint8Array[] = new Array<Uint8Array>(64).fill(new Uint8Array(0));
  private cachePrefix: Uint8Array = new Uint8Array(0);
  private readonly fracDigits: number;

  constructor(private readonly opts: PrintOptions, private readonly ctx: PrintContext, private readonly time: TimeFormatter) {
    this.enabled = !opts.linkHeader && opts.verbose === 0 && !opts.quiet && opts.hex === 0;
    this.fracDigits = opts.nano ? 9 : 6;
  }

  /**
   * The time column. The default form ("HH:MM:SS.ffffff ") is the whole-second text, cached as bytes
   * (it changes at most once a second), and the fraction; other forms are the formatter's string.
   */
  time_(out: LineBytes, tsSec: number, tsNsec: number, precision: 6 | 9): void {
    const o = this.opts;
    if (o.timeFormat === 0) {
      // the fraction at the printing precision, as TimeFormatter.format computes it
      const raw = precision === 9 ? tsNsec : Math.floor(tsNsec / 1000);
      if (raw < (precision === 9 ? 1e9 : 1e6)) {
        const frac = o.nano ? (precision === 9 ? raw : raw * 1000) : precision === 9 ? Math.floor(raw / 1000) : raw;
        // 64 seconds' texts, by the second's low bits: a file whose packets jump between seconds (several
        // captures replayed, reordered records) formats each second once, not once a jump (localtime via Date)
        const slot = tsSec & 63;
        if (this.cacheSecs[slot] !== tsSec) {
          const t = this.time.format(tsSec, 0, precision);
          const cut = t.length - this.fracDigits - 1;
          // '[Error converting time] ' has no fraction: not cached, printed as it is below
          this.cachePrefixes[slot] = t.charCodeAt(cut - 1) === 0x2e ? ascii(t.slice(0, cut)) : new Uint8Array(0);
          this.cacheSecs[slot] = tsSec;
        }
        this.cachePrefix = this.cachePrefixes[slot];
        if (this.cachePrefix.length > 0) {
          out.bytes(this.cachePrefix);
          out.padded(frac, this.fracDigits);
          out.buf[out.pos++] = 0x20;
          return;
        }
      }
    }
    out.str(this.time.format(tsSec, tsNsec, precision));
  }

  /**
   * Writes what printLink would return for `pkt` (no newline) and returns true, or writes nothing
   * and returns false when the packet is not one the byte path prints.
   */
  body(pkt: DecodedPacket, out: LineBytes): boolean {
    if (!this.enabled || pkt.inner !== null) return false;
    const net = pkt.net;
    const d = pkt.data;
    // Ethernet, Linux cooked, raw IP, loopback … straight to IP (fastOther.ts), as an EtherType
    const type = linkNetType(pkt);
    const off = net.off;
    const length = net.wireLen;
    const cap = pkt.caplen;
    if (net.kind === NET_IPV4 && type === 0x0800) {
      // printIPv4's checks, in its order: only the path that prints "IP " and the transport goes here
      if (length < 20 || cap - off < 20 || d[off] >> 4 !== 4) return false;
      const hlen = (d[off] & 15) * 4;
      if (hlen < 20) return false;
      const len = u16be(d, off + 2);
      if (len > length || len < hlen) return false;
      const capEnd = off + len < cap ? off + len : cap;
      if ((u16be(d, off + 6) & 0x1fff) !== 0 || off + hlen > capEnd) return false;
      if (net.proto !== IPPROTO_TCP || (net.isFragment && net.fragOffset !== 0)) return false;
    } else if (net.kind === NET_IPV6 && type === 0x86dd) {
      // printIPv6's checks, then printIp6Ext's walk when TCP follows the fixed header at once (nothing printed)
      if (length < 40 || cap - off < 40 || d[off] >> 4 !== 6) return false;
      const plen = u16be(d, off + 4);
      if (plen === 0 || plen + 40 > length || d[off + 6] !== IPPROTO_TCP || net.proto !== IPPROTO_TCP) return false;
    } else return false;
    // printTcp's checks before it prints anything but the addresses, and before it touches the
    // relative-sequence table (a packet that leaves here must not have changed it)
    const t = net.payloadOff;
    const tcpCapEnd = l4CapEnd(pkt);
    if (t + 20 > tcpCapEnd) return false;
    const thlen = (d[t + 12] >> 4) * 4;
    if (thlen < 20) return false;
    const start = out.pos;
    putLinkPrefix(pkt, out);
    out.ensure(HEADROOM);
    this.decodedLines++;
    try {
      this.tcp(d, pkt, net.srcOff, net.dstOff, t, thlen, l4Length(pkt), tcpCapEnd, out);
    } catch (err) {
      // what printDecoded prints when the string printer throws
      out.pos = start;
      out.str('[printer error: ' + errorMessage(err) + ']');
    }
    return true;
  }

  /**
   * The line of an Ethernet + IPv4 + TCP frame read from its bytes alone, without decoding it first
   * (decodeRecord was 10 % of `print`): for frames the checks below find plain — no VLAN, no IP
   * fragment, lengths that agree, TCP options none or nop,nop,TS, no application printer to run.
   * Returns false, having written and changed nothing, for any other frame.
   */
  raw(d: Uint8Array, origLen: number, linkType: number, out: LineBytes): boolean {
    const cap = d.length;
    if (!this.enabled || linkType !== LINKTYPE_ETHERNET || cap < 54 || d[12] !== 0x08 || d[13] !== 0x00) return false;
    // decodeIPv4 and printIPv4 with every check passing (net.wireLen = origLen - 14)
    const ip = 14;
    if (d[ip] >> 4 !== 4 || d[ip + 9] !== IPPROTO_TCP) return false;
    const ihl = (d[ip] & 15) * 4;
    const len = u16be(d, ip + 2);
    if (ihl < 20 || len < ihl || len > origLen - ip || (u16be(d, ip + 6) & 0x3fff) !== 0) return false;
    const ipCapEnd = ip + len < cap ? ip + len : cap;
    if (ip + ihl > ipCapEnd) return false;
    // the TCP header: l4Length is len - ihl here (the wire holds at least `len` bytes)
    const t = ip + ihl;
    const l4len = len - ihl;
    const capEnd = t + l4len < cap ? t + l4len : cap;
    if (t + 20 > capEnd) return false;
    const thlen = (d[t + 12] >> 4) * 4;
    if (thlen < 20 || thlen > l4len) return false;
    if (thlen !== 20 && !plainOptions(d, t + 20, t + thlen, capEnd)) return false;
    if (l4len > thlen) {
      if (t + thlen > capEnd) return false;
      const sport = u16be(d, t);
      const dport = u16be(d, t + 2);
      if ((d[t + 13] & TH_RST) === 0 && (TCP_APP_PRINTERS.has(dport) || TCP_APP_PRINTERS.has(sport))) return false;
    }
    out.ensure(HEADROOM);
    this.rawLines++;
    // nothing below throws (no application printer, no options printer): no try as in body()
    this.tcp(d, null, ip + 12, ip + 16, t, thlen, l4len, capEnd, out);
    return true;
  }

  /**
   * printTcp from "IP src.sport > dst.dport: Flags [..]" on (IPv4, not -q, header length ≥ 20 captured).
   * `pkt` is null on the raw path, whose checks keep it from the options and application printers.
   */
  private tcp(d: Uint8Array, pkt: DecodedPacket | null, srcOff: number, dstOff: number, off: number, hlen: number, length: number, capEnd: number, out: LineBytes): void {
    const ctx = this.ctx;
    const sport = u16be(d, off);
    const dport = u16be(d, off + 2);
    let seq = u32be(d, off + 4);
    let ack = u32be(d, off + 8);
    const flags = ((d[off + 12] & 1) << 8) | d[off + 13];
    // the fixed part of the line fits the HEADROOM ensured by body(): written through locals
    if (smallDigits === null) makeSmall();
    const digits = smallDigits as Uint8Array;
    const lengths = smallLengths as Uint8Array;
    const v6 = pkt !== null && pkt.net.addrLen === 16;
    if (v6) {
      // IPv6: the addresses' text from the decoded packet (inet_ntop's form), through str()
      out.bytes(IP6_);
      out.str(pkt.net.src);
      out.pos = putSmall(out.buf, putBytes(out.buf, out.pos, DOT), sport, digits, lengths);
      out.bytes(GT);
      out.str(pkt.net.dst);
      out.pos = putSmall(out.buf, putBytes(out.buf, out.pos, DOT), dport, digits, lengths);
    }
    // str() may have moved to a new buffer: taken only now
    const b = out.buf;
    let p = out.pos;
    if (!v6) {
      p = putBytes(b, p, IP_);
      p = putAddrPort(b, p, d, srcOff, sport, digits, lengths);
      p = putBytes(b, p, GT);
      p = putAddrPort(b, p, d, dstOff, dport, digits, lengths);
    }
    p = putBytes(b, p, FLAGS);
    p = putBytes(b, p, FLAG_BYTES[flags]);
    b[p++] = 0x5d; // ']'
    let st: SeqState | null = null;
    if (!this.opts.absoluteSeq && flags & TH_ACK) {
      st = v6 ? relativeSeq(pkt, ctx, sport, dport, flags, seq, ack) : relativeSeq4(ctx, d, srcOff, dstOff, sport, dport, flags, seq, ack);
      seq = st.seq;
      ack = st.ack;
    }
    if (hlen > length) {
      out.pos = p;
      out.str(' [bad hdr length ' + hlen + ' - too long, > ' + length + ']');
      return;
    }
    length -= hlen;
    if (length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
      p = putBytes(b, p, SEQ);
      p = putNum(b, p, seq);
      if (length > 0) {
        b[p++] = 0x3a; // ':'
        p = putNum(b, p, (seq + length) >>> 0);
      }
    }
    if (flags & TH_ACK) {
      p = putBytes(b, p, ACK);
      p = putNum(b, p, ack);
    }
    p = putBytes(b, p, WIN);
    p = putSmall(b, p, u16be(d, off + 14), digits, lengths);
    if (flags & TH_URG) {
      p = putBytes(b, p, URG);
      p = putSmall(b, p, u16be(d, off + 18), digits, lengths);
    }
    out.pos = p;
    if (hlen > 20) {
      const o = off + 20;
      if (hlen === 32 && o + 12 <= capEnd && d[o] === 1 && d[o + 1] === 1 && d[o + 2] === 8 && d[o + 3] === 10) {
        // nop,nop,TS: most segments of a connection with time stamps (printOptions' own fast case)
        p = putBytes(b, p, TS_OPT);
        p = putNum(b, p, u32be(d, o + 4));
        p = putBytes(b, p, ECR);
        p = putNum(b, p, u32be(d, o + 8));
        b[p++] = 0x5d;
        out.pos = p;
      } else if (plainOptions(d, o, off + hlen, capEnd)) {
        // a plain block has at most 40 bytes: its text fits the HEADROOM too (< 200 bytes)
        out.pos = putOptions(b, p, d, o, off + hlen, st, digits, lengths);
      } else if (pkt !== null) {
        const state = stateOf(ctx);
        const opt = state.opt;
        const r = printOptions(pkt, o, hlen - 20, capEnd, flags, st, off + hlen + length, opt, state.cursor);
        out.str(opt.s);
        if (r === OPT_RES_BAD) {
          out.str(opt.ch !== '' ? '[bad opt]]' : '[bad opt]');
          return;
        }
        if (r === OPT_RES_TRUNC) {
          out.str(TRUNC);
          return;
        }
        if (r === OPT_RES_TRUNC_GT) {
          out.str(opt.ch !== '' ? TRUNC + '>' : TRUNC);
          return;
        }
      }
    }
    // str() may have moved to a new buffer: from here on through `out` again
    out.bytes(LENGTH);
    out.pos = length < 65536 ? putSmall(out.buf, out.pos, length, digits, lengths) : putNum(out.buf, out.pos, length);
    if (length === 0) return;
    if (off + hlen > capEnd) {
      out.str(' [remaining caplen(' + (capEnd - off) + ') < header length(' + hlen + ')]' + TRUNC);
      return;
    }
    // as printTcp: no application text after a reset's data (and no -v here, so no RST text either)
    if (flags & TH_RST) return;
    const app = TCP_APP_PRINTERS.get(dport) ?? TCP_APP_PRINTERS.get(sport);
    if (app !== undefined && pkt !== null) out.str(app(pkt, ctx, off + hlen, length, IPPROTO_TCP));
  }
}
