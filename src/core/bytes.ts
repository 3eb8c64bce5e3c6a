/**
 * Byte helpers shared by every decoder. Pure: no Node `Buffer`, only `Uint8Array`.
 * All readers assume the caller has checked bounds (see `has`).
 */

export function u8(d: Uint8Array, o: number): number {
  return d[o];
}
export function u16be(d: Uint8Array, o: number): number {
  return (d[o] << 8) | d[o + 1];
}
export function u16le(d: Uint8Array, o: number): number {
  return d[o] | (d[o + 1] << 8);
}
export function u24be(d: Uint8Array, o: number): number {
  return (d[o] << 16) | (d[o + 1] << 8) | d[o + 2];
}
/** Unsigned 32-bit big-endian, as a non-negative JS number. */
export function u32be(d: Uint8Array, o: number): number {
  return ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
}
export function u32le(d: Uint8Array, o: number): number {
  return (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
}

const HEX = '0123456789abcdef';
/** Two lower-case hex digits. */
export function hex2(b: number): string {
  return HEX[(b >> 4) & 15] + HEX[b & 15];
}
/** `n` as lower-case hex with at least `width` digits. */
export function hexPad(n: number, width: number): string {
  let s = (n >>> 0).toString(16);
  while (s.length < width) s = '0' + s;
  return s;
}

export function ipv4String(d: Uint8Array, o: number): string {
  return d[o] + '.' + d[o + 1] + '.' + d[o + 2] + '.' + d[o + 3];
}

/** IPv6 text form as inet_ntop prints it (RFC 5952: longest zero run compressed, lower case, dotted quad for v4-mapped/compat). */
export function ipv6String(d: Uint8Array, o: number): string {
  const w: number[] = new Array(8);
  for (let i = 0; i < 8; i++) w[i] = u16be(d, o + 2 * i);
  // find the longest run of zero words (length >= 2)
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms, as glibc's inet_ntop prints them
  if (bestStart === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
    if (bestLen === 6 && w[6] === 0 && w[7] <= 1) {
      // '::' and '::1' are not IPv4-compatible addresses
    } else {
      return (bestLen === 5 ? '::ffff:' : '::') + ipv4String(d, o + 12);
    }
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += w[i].toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

export function macString(d: Uint8Array, o: number): string {
  return (
    hex2(d[o]) + ':' + hex2(d[o + 1]) + ':' + hex2(d[o + 2]) + ':' +
    hex2(d[o + 3]) + ':' + hex2(d[o + 4]) + ':' + hex2(d[o + 5])
  );
}

/** Decode bytes as UTF-8 text, replacing invalid sequences (pcapng options, comments). */
const utf8 = new TextDecoder('utf-8', { fatal: false });
export function utf8String(d: Uint8Array, o: number, len: number): string {
  return utf8.decode(d.subarray(o, o + len));
}

/**
 * `a` as a plain Uint8Array over the same memory (`a` itself when it is one). Readers call it once
 * per chunk, so that the per-packet `subarray()` views they hand on are plain Uint8Arrays: on a
 * Node Buffer, subarray() makes a Buffer, slower to create, and the decoders would see two kinds
 * of arrays.
 */
export function plainBytes(a: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(a) === Uint8Array.prototype ? a : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
