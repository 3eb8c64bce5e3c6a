/**
 * The Internet checksum (RFC 1071), one definition for every layer: the IPv4 header's, and an
 * upper-layer segment's over the IPv4/IPv6 pseudo-header (RFC 793/768/8200) computed the way
 * tcpdump's nextproto4_cksum/nextproto6_cksum do. The caller checks that the bytes were captured.
 */

import { DecodedPacket, NET_IPV4, NET_IPV6 } from './packet';

/** Ones-complement sum (not yet folded) of d[off .. off+len), big-endian 16-bit words. */
export function onesSum(d: Uint8Array, off: number, len: number, sum: number): number {
  const end = off + (len & ~1);
  let i = off;
  // unrolled by 8 bytes; sums stay well below 2^53
  for (; i + 8 <= end; i += 8) {
    sum += ((d[i] << 8) | d[i + 1]) + ((d[i + 2] << 8) | d[i + 3]) + ((d[i + 4] << 8) | d[i + 5]) + ((d[i + 6] << 8) | d[i + 7]);
  }
  for (; i < end; i += 2) sum += (d[i] << 8) | d[i + 1];
  if (len & 1) sum += d[off + len - 1] << 8;
  return sum;
}

function fold(sum: number): number {
  // fold to 16 bits (sum may exceed 32 bits for huge segments, so avoid >>> on it directly)
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The checksum verification value: 0 when the segment's checksum is right, otherwise
 * non-zero (as tcpdump's in_cksum over the segment including its checksum field).
 * Returns -1 when the network layer is not IPv4/IPv6.
 */
export function verifyL4Checksum(pkt: DecodedPacket, off: number, len: number, proto: number): number {
  const d = pkt.data;
  const net = pkt.net;
  let sum = 0;
  if (net.kind === NET_IPV4) {
    sum = onesSum(d, net.srcOff, 4, 0);
    sum = onesSum(d, net.dstOff, 4, sum);
    sum += proto + (len & 0xffff);
  } else if (net.kind === NET_IPV6) {
    sum = onesSum(d, net.srcOff, 16, 0);
    sum = onesSum(d, net.dstOff, 16, sum);
    sum += Math.floor(len / 0x10000) + (len & 0xffff) + proto;
  } else {
    return -1;
  }
  sum = onesSum(d, off, len, sum);
  return ~fold(sum) & 0xffff;
}

/** tcpdump's in_cksum over an IPv4 header of `hlen` bytes at `off`: 0 when its checksum is right. */
export function ipv4HeaderCksum(d: Uint8Array, off: number, hlen: number): number {
  return ~fold(onesSum(d, off, hlen, 0)) & 0xffff;
}

/** tcpdump's in_cksum_shouldbe: the checksum field value that would make the sum right. */
export function cksumShouldBe(fieldValue: number, computed: number): number {
  let s = fieldValue + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}
