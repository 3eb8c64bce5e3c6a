/**
 * Evaluates a parsed filter over per-packet columns (typed arrays kept by the capture index):
 * no packet is decoded. Pure TypeScript.
 */
import type { Address, FilterNode } from './parse';

/** Protocol classes kept per packet (bits 12..15 of the kind word). */
export const PC_OTHER = 0;
export const PC_TCP4 = 1;
export const PC_TCP6 = 2;
export const PC_UDP4 = 3;
export const PC_UDP6 = 4;
export const PC_ICMP = 5;
export const PC_ICMP6 = 6;
export const PC_ARP = 7;
/** IPv4 / IPv6 with another (or no decoded) upper layer, fragments included. */
export const PC_IP4 = 8;
export const PC_IP6 = 9;

/** The packed per-packet kind word: TCP flags (TH_* bits, AE included) in bits 0..8. */
export const KIND_FLAGS = 0x1ff;
/** The packet is truncated or malformed. */
export const KIND_BAD = 0x200;
/** Bits 10..11: how the record's frame sits in its block (used by the reader, not by filters). */
export const KIND_HDR_SHIFT = 10;
export const KIND_PROTO_SHIFT = 12;

export interface FilterColumns {
  /** Packets that can be evaluated (indices 0 .. count-1). */
  readonly count: number;
  readonly kind: Uint16Array;
  readonly sport: Uint16Array;
  readonly dport: Uint16Array;
  /** Address ids (0 = none), as given by addressId. */
  readonly src: Uint16Array | Uint32Array;
  readonly dst: Uint16Array | Uint32Array;
  /** Id of an address in the table, or -1 when no packet has it. */
  addressId(a: Address): number;
  /** TCP stream of a packet, -1 when it is not a TCP segment. */
  stream(i: number): number;
  /** Analysis flags or a connection problem. */
  problem(i: number): boolean;
}

export type Predicate = (i: number) => boolean;

function protoOf(c: FilterColumns, i: number): number {
  return c.kind[i] >>> KIND_PROTO_SHIFT;
}

function hasPorts(p: number): boolean {
  return p >= PC_TCP4 && p <= PC_UDP6;
}

/** Compile a filter into a predicate over packet indices of `cols` (re-read on every call, so columns may grow). */
export function compileFilter(node: FilterNode, cols: FilterColumns): Predicate {
  switch (node.k) {
    case 'all':
      return () => true;
    case 'and': {
      const a = compileFilter(node.a, cols);
      const b = compileFilter(node.b, cols);
      return (i) => a(i) && b(i);
    }
    case 'or': {
      const a = compileFilter(node.a, cols);
      const b = compileFilter(node.b, cols);
      return (i) => a(i) || b(i);
    }
    case 'not': {
      const a = compileFilter(node.a, cols);
      return (i) => !a(i);
    }
    case 'host': {
      const id = cols.addressId(node.addr);
      if (id <= 0) return () => false;
      if (node.dir === 'src') return (i) => cols.src[i] === id;
      if (node.dir === 'dst') return (i) => cols.dst[i] === id;
      return (i) => cols.src[i] === id || cols.dst[i] === id;
    }
    case 'port': {
      const p = node.port;
      if (node.dir === 'src') return (i) => hasPorts(protoOf(cols, i)) && cols.sport[i] === p;
      if (node.dir === 'dst') return (i) => hasPorts(protoOf(cols, i)) && cols.dport[i] === p;
      return (i) => hasPorts(protoOf(cols, i)) && (cols.sport[i] === p || cols.dport[i] === p);
    }
    case 'proto':
      switch (node.proto) {
        case 'tcp':
          return (i) => {
            const p = protoOf(cols, i);
            return p === PC_TCP4 || p === PC_TCP6;
          };
        case 'udp':
          return (i) => {
            const p = protoOf(cols, i);
            return p === PC_UDP4 || p === PC_UDP6;
          };
        case 'icmp':
          return (i) => protoOf(cols, i) === PC_ICMP;
        case 'icmp6':
          return (i) => protoOf(cols, i) === PC_ICMP6;
        case 'arp':
          return (i) => protoOf(cols, i) === PC_ARP;
        case 'ip':
          return (i) => {
            const p = protoOf(cols, i);
            return p === PC_TCP4 || p === PC_UDP4 || p === PC_ICMP || p === PC_IP4;
          };
        case 'ip6':
          return (i) => {
            const p = protoOf(cols, i);
            return p === PC_TCP6 || p === PC_UDP6 || p === PC_ICMP6 || p === PC_IP6;
          };
      }
      return () => false;
    case 'stream': {
      const s = node.stream;
      return (i) => cols.stream(i) === s;
    }
    case 'flags': {
      const m = node.mask;
      if (m === 0) {
        // "flags none": TCP segments with no flag at all
        return (i) => {
          const p = protoOf(cols, i);
          return (p === PC_TCP4 || p === PC_TCP6) && (cols.kind[i] & KIND_FLAGS) === 0;
        };
      }
      return (i) => (cols.kind[i] & m) === m;
    }
    case 'problem':
      return (i) => cols.problem(i);
  }
}
