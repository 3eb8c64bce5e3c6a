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

import { ipv4String, ipv6String, u16be, u32be } from '../bytes';
import { DecodedPacket, IPPROTO_TCP, NET_IPV4, NET_IPV6, TH_ACK, TH_FIN, TH_RST, TH_SYN, TH_URG } from '../decode/packet';
import { LINKTYPE_ETHERNET } from '../decode/link';
import { l4CapEnd, l4Length, tcpFlagString } from '../decode/tcp';
import { PrintContext } from './context';
import { PrintOptions } from './options';
import { TCP_APP_PRINTERS } from './app/index';
import { OPT_RES_BAD, OPT_RES_OK, OPT_RES_TRUNC, OPT_RES_TRUNC_GT, relativeSeq4, relativeSeq6, SeqState } from './tcp';
import { localOffset, TimeFormatter } from './time';
import {
  nextTcpOption, tcpOptionName, TcpOptCursor, OPT_BAD_LEN, OPT_OK,
  TCPOPT_CC, TCPOPT_CCECHO, TCPOPT_CCNEW, TCPOPT_ECHO, TCPOPT_ECHOREPLY, TCPOPT_EOL, TCPOPT_EXPERIMENT2,
  TCPOPT_FASTOPEN, TCPOPT_MPTCP, TCPOPT_MSS, TCPOPT_NOP, TCPOPT_SACK, TCPOPT_SCPS, TCPOPT_SACKOK,
  TCPOPT_SIGNATURE, TCPOPT_TCPAO, TCPOPT_TIMESTAMP, TCPOPT_UTO, TCPOPT_WSCALE, TCP_SIGLEN,
} from '../decode/tcpOptions';
import { errorMessage } from '../errors';
import { linkNetType, putLinkPrefix } from './fastOther';
import { ascii, GT, HEX, IP_, IP6_, plainIPv4, putIPv6 } from './byteText';
import { appBytesKnown, putAppBytes } from './fastApp';

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

/** "00" … "99" as 200 ASCII digits. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

const DOT = ascii('.');
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
/** Flag texts as bytes, by the 9 flag bits ("S.", "P.", "none"). */
const FLAG_BYTES: Uint8Array[] = Array.from({ length: 512 }, (_, f) => ascii(tcpFlagString(f)));

// ---- TCP options as bytes: every kind printOptions (tcp.ts) prints, in its words and its order ----
// On the real file of the bench a third of the packets carry MPTCP options (the corpus's mptcp-v0
// capture): printed as strings they cost about 9 % of `print` (printOptions, printMptcp and the
// garbage collector behind their strings). The writers below put the same text straight into the line.

/** Room for an option block's text: at most 40 bytes of options, at most ~10 characters a byte (e.g. rem-addr's " 255"). */
const OPTIONS_ROOM = 1024;

/** A constant ASCII text (option names, rare words: cheaper than keeping a byte copy of each). */
function putAscii(b: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

/** Two lower-case hex digits (hex2). */
function putHex2(b: Uint8Array, p: number, v: number): number {
  b[p] = HEX[(v >> 4) & 15];
  b[p + 1] = HEX[v & 15];
  return p + 2;
}

/** An unsigned 32-bit value in lower-case hex without leading zeros (Number#toString(16)); `width` pads with zeros. */
function putHex(b: Uint8Array, p: number, v: number, width = 1): number {
  let n = 1;
  while (n < 8 && v >>> (4 * n) !== 0) n++;
  if (n < width) n = width;
  for (let i = n - 1; i >= 0; i--) b[p++] = HEX[(v >>> (4 * i)) & 15];
  return p;
}

/** %PRIx64 of 8 big-endian bytes (tcp.ts's hex64). */
function putHex64(b: Uint8Array, p: number, d: Uint8Array, o: number): number {
  const hi = u32be(d, o);
  const lo = u32be(d, o + 4);
  if (hi === 0) return putHex(b, p, lo);
  return putHex(b, putHex(b, p, hi), lo, 8);
}

/**
 * %PRIu64 of 8 big-endian bytes (tcp.ts's dec64) without BigInt: MPTCP's 64-bit data sequence numbers
 * (every dss option of the corpus's mptcp-v0 capture) are above 2^53, where dec64 makes a BigInt and
 * its string each time. Long division of the four 16-bit parts by 10^9 — each step's dividend is below
 * 10^9 · 2^16 < 2^46, exact in a double — gives the low 9 digits and a quotient below 2^64 / 10^9 < 2^35.
 */
function putDec64(b: Uint8Array, p: number, d: Uint8Array, o: number): number {
  const hi = u32be(d, o);
  const lo = u32be(d, o + 4);
  if (hi === 0) return putNum(b, p, lo);
  let x = hi >>> 16;
  const q3 = Math.floor(x / 1e9);
  x = (x - q3 * 1e9) * 65536 + (hi & 0xffff);
  const q2 = Math.floor(x / 1e9);
  x = (x - q2 * 1e9) * 65536 + (lo >>> 16);
  const q1 = Math.floor(x / 1e9);
  x = (x - q1 * 1e9) * 65536 + (lo & 0xffff);
  const q0 = Math.floor(x / 1e9);
  const low = x - q0 * 1e9;
  const q = ((q3 * 65536 + q2) * 65536 + q1) * 65536 + q0;
  const top = Math.floor(q / 1e9);
  const mid = q - top * 1e9;
  if (top > 0) p = put9(b, putNum(b, p, top), mid);
  else p = putNum(b, p, mid);
  return put9(b, p, low);
}

/** 0 … 999,999,999 as exactly 9 digits. */
function put9(b: Uint8Array, p: number, n: number): number {
  for (let i = p + 8; i >= p; i--) {
    const q = Math.floor(n / 10);
    b[i] = 48 + n - q * 10;
    n = q;
  }
  return p + 9;
}

// the words of MPTCP's dss option and of time stamps, as bytes: every packet of an MPTCP connection has them
const DSS_FIN = ascii(' fin');
const DSS_ACK = ascii(' ack ');
const DSS_SEQ = ascii(' seq ');
const DSS_SUBSEQ = ascii(' subseq ');
const DSS_LEN = ascii(' len ');
const DSS_CSUM = ascii(' csum 0x');
const TS_VAL = ascii(' val ');
const TS_OPT_IN = ascii('nop,nop,TS val ');
const MPTCP_SUBTYPES = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'tcprst', 'unknown'].map((s) => ascii(' ' + s));
const CAPABLE_BITS = 'ABCDEFGH';
const TCPRST_BITS = 'UVWT';
const TCPRST_WHY = ['Unspecified error', 'MPTCP-specific error', 'Lack of resources', 'Administratively prohibited', 'Too much outstanding data', 'Unacceptable performance', 'Middlebox interference'];

/** tcp.ts's bitString: the names of the set bits, high bit first, or "none". */
function putBits(b: Uint8Array, p: number, v: number, names: string): number {
  const n = names.length;
  const start = p;
  for (let i = 0; i < n; i++) if (v & (1 << (n - 1 - i))) b[p++] = names.charCodeAt(i);
  return p === start ? putAscii(b, p, 'none') : p;
}

/** Option names as bytes by kind (tcpOptionName), made on first use of each kind. */
const OPT_NAMES: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(256);
function optName(kind: number): Uint8Array {
  return (OPT_NAMES[kind] ??= ascii(tcpOptionName(kind)));
}

/**
 * The MPTCP option at `o` (its kind byte; `len` bytes, all captured) after "mptcp": tcp.ts's
 * printMptcp as bytes. Returns the position after the text, bitwise-negated (< 0) when tcpdump ends
 * the block with "[bad opt]" there (what was written stays, as printMptcp's text does).
 */
function putMptcp(b: Uint8Array, p: number, d: Uint8Array, o: number, len: number, flags: number): number {
  if (len < 3) return ~p;
  b[p++] = 0x20;
  p = putNum(b, p, len);
  let sub = d[o + 2] >> 4;
  if (sub > 9) sub = 9;
  p = putBytes(b, p, MPTCP_SUBTYPES[sub]);
  switch (sub) {
    case 0: {
      // capable
      if (!(((len === 12 || len === 4) && flags & TH_SYN) || ((len === 20 || len === 22 || len === 24) && (flags & (TH_SYN | TH_ACK)) === TH_ACK))) return ~p;
      const ver = d[o + 2] & 0xf;
      if (ver > 1) {
        p = putAscii(b, p, ' Unknown Version (');
        p = putNum(b, p, ver);
        b[p++] = 0x29; // ')'
        return p;
      }
      p = putAscii(b, p, ' v');
      p = putNum(b, p, ver);
      const f = d[o + 3];
      p = putAscii(b, p, ' flags [');
      p = putBits(b, p, f, CAPABLE_BITS);
      b[p++] = 0x5d;
      const csum = (f & 0x80) !== 0;
      if (csum) p = putAscii(b, p, ' csum');
      if (len >= 12) {
        p = putAscii(b, p, ' {0x');
        p = putHex64(b, p, d, o + 4);
        if (len >= 20) {
          p = putAscii(b, p, ',0x');
          p = putHex64(b, p, d, o + 12);
        }
        if ((len === 22 && !csum) || len === 24) {
          p = putAscii(b, p, ',data_len=');
          p = putNum(b, p, u16be(d, o + 20));
        }
        b[p++] = 0x7d; // '}'
      }
      return p;
    }
    case 1: {
      // join
      if (!((len === 12 && flags & TH_SYN) || (len === 16 && (flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) || (len === 24 && flags & TH_ACK))) return ~p;
      if (len !== 24) {
        if (d[o + 2] & 1) p = putAscii(b, p, ' backup');
        p = putAscii(b, p, ' id ');
        p = putNum(b, p, d[o + 3]);
      }
      if (len === 12) {
        p = putHex(b, putAscii(b, p, ' token 0x'), u32be(d, o + 4));
        p = putHex(b, putAscii(b, p, ' nonce 0x'), u32be(d, o + 8));
      } else if (len === 16) {
        p = putHex64(b, putAscii(b, p, ' hmac 0x'), d, o + 4);
        p = putHex(b, putAscii(b, p, ' nonce 0x'), u32be(d, o + 12));
      } else {
        p = putAscii(b, p, ' hmac 0x');
        for (let i = 0; i < 20; i++) p = putHex2(b, p, d[o + 4 + i]);
      }
      return p;
    }
    case 2: {
      // dss: the data ACK and the data sequence number are 8 bytes when their flag says so, else 4
      if (len < 4 || flags & TH_SYN) return ~p;
      const f = d[o + 3];
      let q = o + 4;
      let left = len - 4;
      if (f & 0x10) p = putBytes(b, p, DSS_FIN);
      if (f & 0x01) {
        const wide = (f & 0x02) !== 0;
        if (left < (wide ? 8 : 4)) return ~p;
        p = putBytes(b, p, DSS_ACK);
        p = wide ? putDec64(b, p, d, q) : putNum(b, p, u32be(d, q));
        q += wide ? 8 : 4;
        left -= wide ? 8 : 4;
      }
      if (f & 0x04) {
        const wide = (f & 0x08) !== 0;
        if (left < (wide ? 8 : 4)) return ~p;
        p = putBytes(b, p, DSS_SEQ);
        p = wide ? putDec64(b, p, d, q) : putNum(b, p, u32be(d, q));
        q += wide ? 8 : 4;
        left -= wide ? 8 : 4;
        if (left < 4) return ~p;
        p = putNum(b, putBytes(b, p, DSS_SUBSEQ), u32be(d, q));
        q += 4;
        left -= 4;
        if (left < 2) return ~p;
        p = putNum(b, putBytes(b, p, DSS_LEN), u16be(d, q));
        q += 2;
        left -= 2;
        if (left >= 2) {
          p = putHex(b, putBytes(b, p, DSS_CSUM), u16be(d, q));
          left -= 2;
        }
      }
      return left === 0 ? p : ~p;
    }
    case 3: {
      // add-addr
      if (!(len === 8 || len === 10 || len === 16 || len === 18 || len === 20 || len === 22 || len === 28 || len === 30)) return ~p;
      const e = d[o + 2] & 0xf;
      p = putAscii(b, p, e === 6 ? ' v0-ip6' : e === 4 ? ' v0-ip4' : e === 1 ? ' v1-echo' : e === 0 ? ' v1' : ' [bad version/echo]');
      p = putNum(b, putAscii(b, p, ' id '), d[o + 3]);
      b[p++] = 0x20;
      if (len <= 18) {
        p = putAscii(b, p, ipv4String(d, o + 4));
        if (len === 10 || len === 18) p = putNum(b, putAscii(b, p, ':'), u16be(d, o + 8));
        if (len === 16) p = putHex64(b, putAscii(b, p, ' hmac 0x'), d, o + 8);
        if (len === 18) p = putHex64(b, putAscii(b, p, ' hmac 0x'), d, o + 10);
      } else {
        p = putAscii(b, p, ipv6String(d, o + 4));
        if (len === 22 || len === 30) p = putNum(b, putAscii(b, p, ':'), u16be(d, o + 20));
        if (len === 28) p = putHex64(b, putAscii(b, p, ' hmac 0x'), d, o + 20);
        if (len === 30) p = putHex64(b, putAscii(b, p, ' hmac 0x'), d, o + 22);
      }
      return p;
    }
    case 4:
      // rem-addr
      if (len < 4) return ~p;
      p = putAscii(b, p, ' id');
      for (let i = 3; i < len; i++) {
        b[p++] = 0x20;
        p = putNum(b, p, d[o + i]);
      }
      return p;
    case 5:
      // prio
      if (len !== 3 && len !== 4) return ~p;
      p = putAscii(b, p, d[o + 2] & 1 ? ' backup' : ' non-backup');
      if (len === 4) p = putNum(b, putAscii(b, p, ' id '), d[o + 3]);
      return p;
    case 6:
      // fail
      if (len !== 12) return ~p;
      return putDec64(b, putAscii(b, p, ' seq '), d, o + 4);
    case 7:
      // fast-close
      if (len !== 12) return ~p;
      return putHex64(b, putAscii(b, p, ' key 0x'), d, o + 4);
    case 8: {
      // tcprst
      if (len !== 4) return ~p;
      p = putAscii(b, p, ' flags [');
      p = putBits(b, p, d[o + 2] & 0xf, TCPRST_BITS);
      p = putAscii(b, p, '] reason ');
      const r = d[o + 3];
      if (r < TCPRST_WHY.length) return putAscii(b, p, TCPRST_WHY[r]);
      p = putHex2(b, putAscii(b, p, 'unknown (0x'), r);
      b[p++] = 0x29;
      return p;
    }
    default:
      return p;
  }
}

/** tcp.ts's printFastOpen: "tfo" (experimental form), then " cookiereq", " (invalid)" or " cookie HEX". */
function putFastOpen(b: Uint8Array, p: number, d: Uint8Array, q: number, datalen: number, exp: boolean): number {
  if (exp) p = putAscii(b, p, 'tfo');
  if (datalen === 0) return putAscii(b, p, ' cookiereq');
  if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) return putAscii(b, p, ' (invalid)');
  p = putAscii(b, p, ' cookie ');
  for (let i = 0; i < datalen; i++) p = putHex2(b, p, d[q + i]);
  return p;
}

/** What putTcpOptions ended with: OPT_RES_* of printOptions and whether an option was printed (its `ch`). */
class OptEnd {
  res = OPT_RES_OK;
  ch = false;
}

/** tcp.ts's lenCheck. */
function optCheck(l: number, hlen: number, p: number, capEnd: number): number {
  if (l > hlen) return OPT_RES_BAD;
  if (p + l > capEnd) return OPT_RES_TRUNC_GT;
  return OPT_RES_OK;
}

/**
 * ", options [...]" for any option block: printOptions (tcp.ts) as bytes, step for step — its
 * "[len N]" notes, its advance by the data it printed, and where it stops (`e.res`; the caller
 * writes the "[bad opt]" / " [|tcp]" ends as printTcp does). `b` has OPTIONS_ROOM bytes free at `p`.
 */
function putTcpOptions(b: Uint8Array, p: number, d: Uint8Array, optOff: number, optLen: number, capEnd: number, flags: number, st: SeqState | null, segEnd: number, c: TcpOptCursor, e: OptEnd): number {
  const end = optOff + optLen;
  let pos = optOff;
  e.ch = false;
  e.res = OPT_RES_OK;
  p = putBytes(b, p, OPTIONS);
  if (pos + 12 <= end && pos + 12 <= capEnd && d[pos] === 1 && d[pos + 1] === 1 && d[pos + 2] === 8 && d[pos + 3] === 10) {
    // nop,nop,TS first (Linux puts it before MPTCP's and SACK's options): what the loop below prints for them
    p = putBytes(b, p, TS_OPT_IN);
    p = putNum(b, p, u32be(d, pos + 4));
    p = putBytes(b, p, ECR);
    p = putNum(b, p, u32be(d, pos + 8));
    pos += 12;
    e.ch = true;
  }
  let res = OPT_RES_OK;
  while (pos < end) {
    if (e.ch) b[p++] = 0x2c; // ','
    const r = nextTcpOption(d, pos, end, capEnd, c);
    if (r !== OPT_OK) {
      e.res = r === OPT_BAD_LEN ? OPT_RES_BAD : OPT_RES_TRUNC;
      return p;
    }
    const opt = c.kind;
    const zl = opt === TCPOPT_EOL || opt === TCPOPT_NOP;
    const len = zl ? 1 : c.len;
    let q = zl ? pos + 1 : pos + 2;
    const hlen = end - q;
    let datalen = 0;
    p = putBytes(b, p, optName(opt));
    switch (opt) {
      case TCPOPT_MSS:
        datalen = 2;
        if ((res = optCheck(2, hlen, q, capEnd)) !== OPT_RES_OK) break;
        b[p++] = 0x20;
        p = putNum(b, p, u16be(d, q));
        break;
      case TCPOPT_WSCALE:
        datalen = 1;
        if ((res = optCheck(1, hlen, q, capEnd)) !== OPT_RES_OK) break;
        b[p++] = 0x20;
        p = putNum(b, p, d[q]);
        break;
      case TCPOPT_SACK:
        datalen = len - 2;
        if (datalen % 8 !== 0) p = putAscii(b, p, ' invalid sack');
        else {
          b[p++] = 0x20;
          p = putNum(b, p, datalen / 8);
          b[p++] = 0x20;
          const base = st === null ? 0 : st.rev ? st.thseq : st.thack;
          for (let i = 0; i < datalen; i += 8) {
            if ((res = optCheck(i + 4, hlen, q, capEnd)) !== OPT_RES_OK) break;
            const s = (u32be(d, q + i) - base) >>> 0;
            if ((res = optCheck(i + 8, hlen, q, capEnd)) !== OPT_RES_OK) break;
            b[p++] = 0x7b; // '{'
            p = putNum(b, p, s);
            b[p++] = 0x3a;
            p = putNum(b, p, (u32be(d, q + i + 4) - base) >>> 0);
            b[p++] = 0x7d;
          }
        }
        break;
      case TCPOPT_CC:
      case TCPOPT_CCNEW:
      case TCPOPT_CCECHO:
      case TCPOPT_ECHO:
      case TCPOPT_ECHOREPLY:
        datalen = 4;
        if ((res = optCheck(4, hlen, q, capEnd)) !== OPT_RES_OK) break;
        b[p++] = 0x20;
        p = putNum(b, p, u32be(d, q));
        break;
      case TCPOPT_TIMESTAMP:
        datalen = 8;
        if ((res = optCheck(8, hlen, q, capEnd)) !== OPT_RES_OK) break;
        p = putBytes(b, p, TS_VAL);
        p = putNum(b, p, u32be(d, q));
        p = putBytes(b, p, ECR);
        p = putNum(b, p, u32be(d, q + 4));
        break;
      case TCPOPT_SIGNATURE:
        datalen = TCP_SIGLEN;
        if ((res = optCheck(datalen, hlen, q, capEnd)) !== OPT_RES_OK) break;
        // tcpdump built with libcrypto, no -M secret: it cannot check the signature
        p = putAscii(b, p, segEnd > capEnd ? ' snaplen too short, ' : ' shared secret not supplied with -M, ');
        p = putAscii(b, p, "can't check - ");
        for (let i = 0; i < TCP_SIGLEN; i++) p = putHex2(b, p, d[q + i]);
        break;
      case TCPOPT_SCPS:
        datalen = 2;
        if ((res = optCheck(2, hlen, q, capEnd)) !== OPT_RES_OK) break;
        p = putHex2(b, putAscii(b, p, ' cap '), d[q]);
        p = putNum(b, putAscii(b, p, ' id '), d[q + 1]);
        break;
      case TCPOPT_TCPAO:
        datalen = len - 2;
        if (datalen < 2) p = putAscii(b, p, ' (invalid)');
        else {
          if ((res = optCheck(1, hlen, q, capEnd)) !== OPT_RES_OK) break;
          p = putNum(b, putAscii(b, p, ' keyid '), d[q]);
          if ((res = optCheck(2, hlen, q, capEnd)) !== OPT_RES_OK) break;
          p = putNum(b, putAscii(b, p, ' rnextkeyid '), d[q + 1]);
          if (datalen > 2) {
            p = putAscii(b, p, ' mac 0x');
            for (let i = 2; i < datalen; i++) {
              if ((res = optCheck(i + 1, hlen, q, capEnd)) !== OPT_RES_OK) break;
              p = putHex2(b, p, d[q + i]);
            }
          }
        }
        break;
      case TCPOPT_EOL:
      case TCPOPT_NOP:
      case TCPOPT_SACKOK:
        break;
      case TCPOPT_UTO: {
        datalen = 2;
        if ((res = optCheck(2, hlen, q, capEnd)) !== OPT_RES_OK) break;
        let v = u16be(d, q);
        p = putHex(b, putAscii(b, p, ' 0x'), v);
        if (v & 1) v = (v >> 1) * 60;
        else v >>= 1;
        b[p++] = 0x20;
        p = putNum(b, p, v);
        break;
      }
      case TCPOPT_MPTCP: {
        datalen = len - 2;
        if ((res = optCheck(datalen, hlen, q, capEnd)) !== OPT_RES_OK) break;
        const m = putMptcp(b, p, d, pos, len, flags);
        if (m < 0) {
          p = ~m;
          res = OPT_RES_BAD;
        } else p = m;
        break;
      }
      case TCPOPT_FASTOPEN:
        datalen = len - 2;
        if ((res = optCheck(datalen, hlen, q, capEnd)) !== OPT_RES_OK) break;
        b[p++] = 0x20;
        p = putFastOpen(b, p, d, q, datalen, false);
        break;
      case TCPOPT_EXPERIMENT2: {
        datalen = len - 2;
        if ((res = optCheck(datalen, hlen, q, capEnd)) !== OPT_RES_OK) break;
        if (datalen < 2) {
          res = OPT_RES_BAD;
          break;
        }
        const magic = u16be(d, q);
        b[p++] = 0x2d; // '-'
        if (magic === 0xf989) p = putFastOpen(b, p, d, q + 2, datalen - 2, true);
        else if (magic === 0xacc0) p = putAscii(b, p, 'acc0');
        else if (magic === 0xacc1) p = putAscii(b, p, 'acc1');
        else p = putHex(b, p, magic, 4);
        break;
      }
      default:
        datalen = len - 2;
        if (datalen) p = putAscii(b, p, ' 0x');
        for (let i = 0; i < datalen; i++) {
          if ((res = optCheck(i + 1, hlen, q, capEnd)) !== OPT_RES_OK) break;
          p = putHex2(b, p, d[q + i]);
        }
        break;
    }
    if (res !== OPT_RES_OK) {
      // printOptions returns here, before its separator state changes
      e.res = res;
      return p;
    }
    q += datalen;
    let expect = datalen + 1;
    if (!zl) expect++;
    if (expect !== len) {
      p = putAscii(b, p, '[len ');
      p = putNum(b, p, len);
      b[p++] = 0x5d;
    }
    e.ch = true;
    if (opt === TCPOPT_EOL) break;
    pos = q;
  }
  b[p++] = 0x5d; // ']'
  return p;
}

/**
 * The application text tcp() writes after "length N" for this segment can be written from its bytes:
 * no printer for these ports, or one putAppBytes writes (SSH, SMTP, FTP). A quarter of the bench's real
 * file is SSH data (the corpus's ssh and mptcp-v0 captures); without this it went through decodeRecord.
 */
function appFromBytes(d: Uint8Array, t: number): boolean {
  const app = TCP_APP_PRINTERS.get(u16be(d, t + 2)) ?? TCP_APP_PRINTERS.get(u16be(d, t));
  return app === undefined || appBytesKnown(app);
}

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
  /** The 15-minute block (tsSec / 900) whose local offset is known, and that offset; NaN when it changes inside the block. */
  private offBlock = NaN;
  private blockOffset = NaN;
  /** The options writer's cursor and ending, reused from line to line. */
  private readonly cursor = new TcpOptCursor();
  private readonly optEnd = new OptEnd();

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
        // below 2^31 (what tcpdump converts), the time of day from the second and the local offset,
        // digit by digit: the bench's real file changes second 26,160 times in 200,000 packets, and
        // formatting each new second through TimeFormatter (a Date, strings) was 10 % of `print`
        if (tsSec >= 0 && tsSec < 0x80000000) {
          const block = Math.floor(tsSec / 900);
          if (block !== this.offBlock) {
            // the zone's offset at both ends of the block: equal, it holds all through (two changes
            // within 15 minutes do not happen); different, the block's seconds go the slow way below
            this.offBlock = block;
            const first = localOffset(block * 900);
            this.blockOffset = first === localOffset(block * 900 + 899) ? first : NaN;
          }
          const off = this.blockOffset;
          if (off === off) {
            const t = tsSec + off;
            const sod = t - Math.floor(t / 86400) * 86400;
            const h = Math.floor(sod / 3600);
            const m = Math.floor(sod / 60) - h * 60;
            out.ensure(32);
            const b = out.buf;
            const p = out.pos;
            b[p] = PAIRS[2 * h];
            b[p + 1] = PAIRS[2 * h + 1];
            b[p + 2] = 0x3a;
            b[p + 3] = PAIRS[2 * m];
            b[p + 4] = PAIRS[2 * m + 1];
            b[p + 5] = 0x3a;
            const sec = sod - 60 * Math.floor(sod / 60);
            b[p + 6] = PAIRS[2 * sec];
            b[p + 7] = PAIRS[2 * sec + 1];
            b[p + 8] = 0x2e;
            out.pos = p + 9;
            out.padded(frac, this.fracDigits);
            out.buf[out.pos++] = 0x20;
            return;
          }
        }
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
      // only the path that prints "IP " and the transport goes here
      if (!plainIPv4(d, off, length, cap)) return false;
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
      this.tcp(d, pkt, net.addrLen === 16, net.srcOff, net.dstOff, t, thlen, l4Length(pkt), tcpCapEnd, out);
    } catch (err) {
      // what printDecoded prints when the string printer throws
      out.pos = start;
      out.str('[printer error: ' + errorMessage(err) + ']');
    }
    return true;
  }

  /**
   * The line of an Ethernet + IPv4 (or IPv6: raw6) + TCP frame read from its bytes alone, without
   * decoding it first (decodeRecord was 10 % of `print`): for frames the checks below find plain — no
   * VLAN, no IP fragment, lengths that agree, no application text or one fastApp.ts writes
   * (appFromBytes); any TCP options.
   * Returns false, having written and changed nothing, for any other frame.
   */
  raw(d: Uint8Array, origLen: number, linkType: number, out: LineBytes): boolean {
    const cap = d.length;
    if (!this.enabled || linkType !== LINKTYPE_ETHERNET || cap < 54) return false;
    if (d[12] === 0x86 && d[13] === 0xdd) return this.raw6(d, origLen, out);
    if (d[12] !== 0x08 || d[13] !== 0x00) return false;
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
    if (l4len > thlen) {
      if (t + thlen > capEnd) return false;
      if ((d[t + 13] & TH_RST) === 0 && !appFromBytes(d, t)) return false;
    }
    out.ensure(HEADROOM);
    this.rawLines++;
    // nothing below throws (no application printer; the options writer reads only captured bytes): no try as in body()
    this.tcp(d, null, false, ip + 12, ip + 16, t, thlen, l4len, capEnd, out);
    return true;
  }

  /**
   * raw() for Ethernet + IPv6 + TCP right after the fixed header (decodeIPv6 and printIPv6 with every
   * check passing, no extension header): the real file's SMTP-over-IPv6 connection (4,726 of its
   * 200,000 packets) cost ~1.4 µs a line through decodeRecord and body(), against ~0.5 µs here.
   */
  private raw6(d: Uint8Array, origLen: number, out: LineBytes): boolean {
    const cap = d.length;
    const ip = 14;
    // net.wireLen = origLen - 14; printIPv6's checks; the payload length bounds the transport
    const length = origLen - ip;
    if (cap < ip + 60 || length < 40 || d[ip] >> 4 !== 6 || d[ip + 6] !== IPPROTO_TCP) return false;
    const plen = u16be(d, ip + 4);
    if (plen === 0 || plen + 40 > length) return false;
    const t = ip + 40;
    const capEnd = t + plen < cap ? t + plen : cap;
    if (t + 20 > capEnd) return false;
    const thlen = (d[t + 12] >> 4) * 4;
    if (thlen < 20 || thlen > plen) return false;
    if (plen > thlen) {
      if (t + thlen > capEnd) return false;
      if ((d[t + 13] & TH_RST) === 0 && !appFromBytes(d, t)) return false;
    }
    out.ensure(HEADROOM);
    this.rawLines++;
    this.tcp(d, null, true, ip + 8, ip + 24, t, thlen, plen, capEnd, out);
    return true;
  }

  /**
   * printTcp from "IP src.sport > dst.dport: Flags [..]" on (IPv4, or IPv6 when `v6`; not -q, header length ≥ 20 captured).
   * `pkt` is null on the raw path, whose checks keep it from the options and application printers.
   */
  private tcp(d: Uint8Array, pkt: DecodedPacket | null, v6: boolean, srcOff: number, dstOff: number, off: number, hlen: number, length: number, capEnd: number, out: LineBytes): void {
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
    if (v6) {
      // IPv6: the addresses in inet_ntop's form from their bytes (at most 45 bytes each: within HEADROOM)
      out.bytes(IP6_);
      putIPv6(out, d, srcOff);
      out.pos = putSmall(out.buf, putBytes(out.buf, out.pos, DOT), sport, digits, lengths);
      out.bytes(GT);
      putIPv6(out, d, dstOff);
      out.pos = putSmall(out.buf, putBytes(out.buf, out.pos, DOT), dport, digits, lengths);
    }
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
      st = v6 ? relativeSeq6(ctx, d, srcOff, dstOff, sport, dport, flags, seq, ack) : relativeSeq4(ctx, d, srcOff, dstOff, sport, dport, flags, seq, ack);
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
      } else {
        // any other block (MPTCP, SACK, TFO, md5, unknown kinds, damaged ones): printOptions as bytes
        out.pos = p;
        out.ensure(OPTIONS_ROOM);
        const e = this.optEnd;
        out.pos = putTcpOptions(out.buf, out.pos, d, o, hlen - 20, capEnd, flags, st, off + hlen + length, this.cursor, e);
        if (e.res === OPT_RES_BAD) {
          out.str(e.ch ? '[bad opt]]' : '[bad opt]');
          return;
        }
        if (e.res === OPT_RES_TRUNC) {
          out.str(TRUNC);
          return;
        }
        if (e.res === OPT_RES_TRUNC_GT) {
          out.str(e.ch ? TRUNC + '>' : TRUNC);
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
    if (app === undefined) return;
    // SSH, SMTP and FTP from the payload's bytes (the raw path's checks let only these and none through)
    if (!putAppBytes(out, app, d, off + hlen, length, capEnd) && pkt !== null) out.str(app(pkt, ctx, off + hlen, length, IPPROTO_TCP));
  }
}
