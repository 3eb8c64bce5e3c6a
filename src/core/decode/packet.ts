/**
 * The decoded view of one frame. One instance is reused for every packet on the fast path
 * (call `reset()` before decoding the next frame), so decoders must overwrite every field they own.
 * Layers are views over the frame bytes (offsets), not copies.
 *
 * Ownership: `link` — link-layer decoders (src/core/decode/link.ts);
 * `net` — ARP/IPv4/IPv6 (src/core/decode/ip.ts, arp.ts);
 * `l4` — TCP/UDP/ICMP/ICMPv6 (src/core/decode/tcp.ts, udp.ts, icmp.ts);
 * `scratch` — per-call scratch of the decoders (src/core/decode/scratch.ts);
 * `inner` — the packet an encapsulation carries (IP-in-IP, 6in4, GRE, VXLAN: src/core/decode/tunnel.ts),
 * opened by the encapsulating decoder and decoded by decodeFrame (src/core/decode/index.ts).
 */

import { ipv4String, ipv6String } from '../bytes';
import { DecodeScratch } from './scratch';

/** Network-layer kinds (`net.kind`). */
export const NET_NONE = 0;
export const NET_IPV4 = 4;
export const NET_IPV6 = 6;
export const NET_ARP = 0x806;
/** A link payload we do not decode (other EtherType, unsupported link type). */
export const NET_OTHER = -1;

/** IP protocol numbers we decode (`l4.proto`, `net.proto`). */
export const IPPROTO_ICMP = 1;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_GRE = 47;
export const IPPROTO_ICMPV6 = 58;

/**
 * How deep encapsulations are followed (outer frame = depth 0). Each level costs at least 20 bytes,
 * so a 64 KiB frame could nest ~3,000 levels; real captures carry 1 (a tunnel) or 2 (VXLAN over a
 * GRE underlay). Past this depth the payload is left undecoded, as a bounded loop should.
 */
export const MAX_ENCAP_DEPTH = 4;

/** TCP flag bits as in the header's 12 low bits of the flags word (NS/AE = 0x100). */
export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PUSH = 0x08;
export const TH_ACK = 0x10;
export const TH_URG = 0x20;
export const TH_ECE = 0x40;
export const TH_CWR = 0x80;
export const TH_AE = 0x100;

export class LinkInfo {
  /** LINKTYPE_* of the frame. */
  linkType = 0;
  /** Bytes of link-layer header(s) before the network layer, VLAN tags included. */
  hdrLen = 0;
  /** EtherType (or equivalent protocol number) of the payload; -1 when none. */
  etherType = -1;
  /** 802.1Q/802.1ad tags, outermost first: TPID * 65536 + TCI (non-negative). Length is `vlanCount`. */
  vlans: number[] = [];
  vlanCount = 0;
  /** true when the link type is not one we decode: the frame shows "unsupported link type N". */
  unsupported = false;
  /**
   * Where the link layer was cut short, as tcpdump names the protocol in " [|ether]"
   * ('ether', 'vlan', 'null', 'sll', 'sll2', 'raw'); '' when the link header is complete.
   */
  trunc = '';
  /**
   * Set by a link-level layer that names the next one (PPPoE session, MPLS): the EtherType found
   * at `net.off`; the EtherType dispatch (decode/link.ts) continues with it. -1 when none.
   */
  next = -1;
  reset(): void {
    this.next = -1;
    this.linkType = 0;
    this.hdrLen = 0;
    this.etherType = -1;
    this.vlanCount = 0;
    this.unsupported = false;
    this.trunc = '';
  }
}

export class NetInfo {
  /** NET_* kind. */
  kind = NET_NONE;
  /** Offset of the network header in the frame. */
  off = 0;
  /** Header length (IPv4 IHL*4; IPv6 40 + extension headers walked). */
  hdrLen = 0;
  /** Length the header claims for the whole packet (IPv4 total length; IPv6 40 + payload length); 0 if unknown. */
  totalLen = 0;
  /**
   * Addresses as tcpdump prints them ("10.0.0.1", "fe80::1"); '' when absent. Formatted lazily
   * from the frame bytes on first read (no string is built on the fast path), so read them while
   * `pkt.data` still holds this frame.
   */
  get src(): string {
    if (this._src === null) this._src = this.fmt(this.srcOff);
    return this._src;
  }
  set src(v: string) {
    this._src = v;
  }
  get dst(): string {
    if (this._dst === null) this._dst = this.fmt(this.dstOff);
    return this._dst;
  }
  set dst(v: string) {
    this._dst = v;
  }
  /** Offsets of the raw address bytes and their length (4 or 16) — for flow keys without strings. */
  srcOff = 0;
  dstOff = 0;
  addrLen = 0;
  /** Upper-layer protocol after extension headers (IPPROTO_*), -1 when none. */
  proto = -1;
  /**
   * The protocol field of the fixed header (IPv4 ip_p, IPv6 ip6_nxt); -1 when none. Differs from
   * `proto` when IPv6 extension headers were walked: tcpdump then prints "src > dst: " before the
   * extension headers, and the TCP/UDP printers print only the ports.
   */
  hdrProto = -1;
  /** Fragment offset in bytes (IPv4 offset field * 8; IPv6 fragment header offset field). */
  fragOffset = 0;
  /** More-fragments flag set, or a non-first fragment: upper layer not decoded as a whole segment. */
  isFragment = false;
  /** Offset and claimed length of the upper-layer payload (bounded by the header's lengths, not by caplen). */
  payloadOff = 0;
  payloadLen = 0;
  /**
   * tcpdump's `length` for this layer: bytes on the wire from the network header on (frame
   * length minus link headers). The IP lengths are checked against it.
   */
  wireLen = 0;
  /** 0, or why the network layer stopped early (IPERR_* in decode/ip.ts); A/B: the numbers in the message. */
  err = 0;
  errA = 0;
  errB = 0;
  /** Length 0 in the header, real length taken from the frame: 1 = presumed TSO, 2 = presumed BIG TCP. */
  presumed = 0;
  /** IPv6 Jumbo Payload option value, -1 when none. */
  jumbo = -1;

  private _src: string | null = '';
  private _dst: string | null = '';
  private _data: Uint8Array | null = null;

  /** Point src/dst at address bytes in `data`; the strings are built on first read. */
  setAddresses(data: Uint8Array, srcOff: number, dstOff: number, addrLen: number): void {
    this._data = data;
    this.srcOff = srcOff;
    this.dstOff = dstOff;
    this.addrLen = addrLen;
    this._src = null;
    this._dst = null;
  }

  private fmt(off: number): string {
    const d = this._data;
    if (d === null || off + this.addrLen > d.length) return '';
    if (this.addrLen === 4) return ipv4String(d, off);
    if (this.addrLen === 16) return ipv6String(d, off);
    return '';
  }

  reset(): void {
    this.kind = NET_NONE;
    this.off = 0;
    this.hdrLen = 0;
    this.totalLen = 0;
    this._src = '';
    this._dst = '';
    this._data = null;
    this.srcOff = 0;
    this.dstOff = 0;
    this.addrLen = 0;
    this.proto = -1;
    this.hdrProto = -1;
    this.fragOffset = 0;
    this.isFragment = false;
    this.payloadOff = 0;
    this.payloadLen = 0;
    this.wireLen = 0;
    this.err = 0;
    this.errA = 0;
    this.errB = 0;
    this.presumed = 0;
    this.jumbo = -1;
  }
}

export class L4Info {
  /** IPPROTO_* of the decoded transport layer; -1 when none. */
  proto = -1;
  off = 0;
  /** Header length (TCP data offset * 4; UDP 8; ICMP 8). */
  hdrLen = 0;
  sport = 0;
  dport = 0;
  /** TCP: flags word (TH_* bits incl. TH_AE); seq/ack as unsigned 32-bit numbers. */
  flags = 0;
  seq = 0;
  ack = 0;
  win = 0;
  urp = 0;
  /** TCP options bytes: offset and length (0 when none). */
  optOff = 0;
  optLen = 0;
  /** TCP option values the engine needs; -1 when the option is absent. */
  mss = -1;
  wscale = -1;
  sackOk = false;
  tsVal = -1;
  tsEcr = -1;
  /** ICMP/ICMPv6 type and code; -1 when absent. */
  icmpType = -1;
  icmpCode = -1;
  /** Upper-layer payload: offset and length as the IP lengths say (may extend past caplen). */
  payloadOff = 0;
  payloadLen = 0;
  reset(): void {
    this.proto = -1;
    this.off = 0;
    this.hdrLen = 0;
    this.sport = 0;
    this.dport = 0;
    this.flags = 0;
    this.seq = 0;
    this.ack = 0;
    this.win = 0;
    this.urp = 0;
    this.optOff = 0;
    this.optLen = 0;
    this.mss = -1;
    this.wscale = -1;
    this.sackOk = false;
    this.tsVal = -1;
    this.tsEcr = -1;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.payloadOff = 0;
    this.payloadLen = 0;
  }
}

export class DecodedPacket {
  /** The frame (caplen bytes). */
  data: Uint8Array = new Uint8Array(0);
  caplen = 0;
  origLen = 0;
  readonly link = new LinkInfo();
  readonly net = new NetInfo();
  readonly l4 = new L4Info();
  /** Some header was cut short by the capture length. */
  truncated = false;
  /** Some header makes no sense (bad length, bad version, bad option). */
  malformed = false;
  /** First reason for `truncated`/`malformed`, in plain words ("TCP header cut short: 12 of 20 bytes"). */
  problem = '';
  /**
   * The packet this one's payload carries (tunnels: IP-in-IP, 6in4, GRE, VXLAN), or null. Its
   * `data` is a view of this frame's bytes starting at `base`; its layers are decoded after this
   * packet's (decodeFrame), printed after its text (printLink) and read by the engine (innermost).
   */
  inner: DecodedPacket | null = null;
  /** Offset of `data` in the outermost frame: 0 for the frame itself (field offsets add it). */
  base = 0;
  /** Encapsulation level: 0 for the frame itself. */
  depth = 0;
  /**
   * The decoders' scratch objects (IPv6 walk, PPP header, TCP option cursor) of this packet only:
   * an inner packet is its own DecodedPacket with its own scratch, so decoding it cannot overwrite
   * the outer level's. Made once with the packet and reused (decoders overwrite what they read).
   */
  readonly scratch = new DecodeScratch();
  /** The reused inner packet: one per level, allocated the first time a tunnel is seen. */
  private innerSlot: DecodedPacket | null = null;

  reset(data: Uint8Array, origLen: number, linkType: number): void {
    this.data = data;
    this.caplen = data.length;
    this.origLen = origLen;
    this.link.reset();
    this.link.linkType = linkType;
    this.net.reset();
    this.l4.reset();
    this.truncated = false;
    this.malformed = false;
    this.problem = '';
    this.inner = null;
    this.base = 0;
    this.depth = 0;
  }

  /**
   * Open the packet carried at [off, end) of this frame (`wireLen` bytes on the wire, of link type
   * `linkType`): resets the reused inner packet and sets `inner`; decodeFrame decodes it next.
   * Null past MAX_ENCAP_DEPTH. The only allocation is the view over the bytes, and only for tunnels.
   */
  openInner(off: number, end: number, wireLen: number, linkType: number): DecodedPacket | null {
    if (this.depth >= MAX_ENCAP_DEPTH || off > end) return null;
    const p = (this.innerSlot ??= new DecodedPacket());
    p.reset(this.data.subarray(off, end), wireLen, linkType);
    p.base = this.base + off;
    p.depth = this.depth + 1;
    this.inner = p;
    return p;
  }

  markTruncated(reason: string): void {
    this.truncated = true;
    if (!this.problem) this.problem = reason;
  }
  markMalformed(reason: string): void {
    this.malformed = true;
    if (!this.problem) this.problem = reason;
  }
}

/** The innermost packet of a chain of encapsulations (`pkt` itself when it carries none). */
export function innermost(pkt: DecodedPacket): DecodedPacket {
  let p = pkt;
  while (p.inner !== null) p = p.inner;
  return p;
}
