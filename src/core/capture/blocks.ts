/**
 * Block builders for classic pcap (µs or ns) and pcapng, little-endian: Export Packets
 * (./export.ts), the tests, the benchmark generator and the demo samples (src/core/synth/writers.ts
 * re-exports them). Pure: each call returns the bytes to append.
 */

import { LINKTYPE_ETHERNET } from '../decode/numbers';
export { LINKTYPE_ETHERNET };

export function pcapHeader(linkType = LINKTYPE_ETHERNET, nano = false, snaplen = 262144): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(0, nano ? 0xa1b23c4d : 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, snaplen, true);
  v.setUint32(20, linkType, true);
  return b;
}

/** One classic pcap record. `frac` is µs or ns according to the file's header. */
export function pcapRecord(sec: number, frac: number, frame: Uint8Array, origLen = frame.length): Uint8Array {
  const b = new Uint8Array(16 + frame.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, sec, true);
  v.setUint32(4, frac, true);
  v.setUint32(8, frame.length, true);
  v.setUint32(12, origLen, true);
  b.set(frame, 16);
  return b;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Section Header Block (little-endian, section length unknown). */
export function pcapngSHB(): Uint8Array {
  const b = new Uint8Array(28);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x0a0d0d0a, true);
  v.setUint32(4, 28, true);
  v.setUint32(8, 0x1a2b3c4d, true);
  v.setUint16(12, 1, true);
  v.setUint16(14, 0, true);
  v.setInt32(16, -1, true);
  v.setInt32(20, -1, true);
  v.setUint32(24, 28, true);
  return b;
}

/** Interface Description Block; `tsresol` as the raw if_tsresol byte (6 = µs, 9 = ns). */
export function pcapngIDB(linkType: number, snaplen = 262144, tsresol = 6, name?: string): Uint8Array {
  const nameBytes = name ? new TextEncoder().encode(name) : new Uint8Array(0);
  const opts: number[] = [];
  const pushOpt = (code: number, data: Uint8Array) => {
    opts.push(code & 255, code >> 8, data.length & 255, data.length >> 8);
    for (const b of data) opts.push(b); // not push(...data): every byte would be an argument on the stack
    while (opts.length % 4) opts.push(0);
  };
  if (name) pushOpt(2, nameBytes);
  if (tsresol !== 6) pushOpt(9, new Uint8Array([tsresol]));
  if (opts.length) opts.push(0, 0, 0, 0);
  const len = 20 + opts.length;
  const b = new Uint8Array(len);
  const v = new DataView(b.buffer);
  v.setUint32(0, 1, true);
  v.setUint32(4, len, true);
  v.setUint16(8, linkType, true);
  v.setUint32(12, snaplen, true);
  b.set(opts, 16);
  v.setUint32(len - 4, len, true);
  return b;
}

/**
 * Enhanced Packet Block; `units` is the timestamp in the interface's resolution (a bigint).
 * `comment`: opt_comment (one, or several); `flags`: epb_flags.
 */
export function pcapngEPB(iface: number, units: bigint, frame: Uint8Array, origLen = frame.length, comment?: string | readonly string[], flags?: number): Uint8Array {
  const texts = comment === undefined ? [] : typeof comment === 'string' ? (comment ? [comment] : []) : comment;
  const enc = new TextEncoder();
  const cs = texts.map((t) => enc.encode(t)).filter((c) => c.length <= 0xffff);
  const optLen = cs.length || flags !== undefined ? cs.reduce((n, c) => n + 4 + pad4(c.length), 0) + (flags !== undefined ? 8 : 0) + 4 : 0;
  const len = 28 + pad4(frame.length) + optLen + 4;
  const b = new Uint8Array(len);
  const v = new DataView(b.buffer);
  v.setUint32(0, 6, true);
  v.setUint32(4, len, true);
  v.setUint32(8, iface, true);
  v.setUint32(12, Number(units >> 32n), true);
  v.setUint32(16, Number(units & 0xffffffffn), true);
  v.setUint32(20, frame.length, true);
  v.setUint32(24, origLen, true);
  b.set(frame, 28);
  let o = 28 + pad4(frame.length);
  for (const c of cs) {
    v.setUint16(o, 1, true);
    v.setUint16(o + 2, c.length, true);
    b.set(c, o + 4);
    o += 4 + pad4(c.length);
  }
  if (flags !== undefined) {
    v.setUint16(o, 2, true);
    v.setUint16(o + 2, 4, true);
    v.setUint32(o + 4, flags >>> 0, true);
    o += 8;
  }
  // opt_endofopt (zeros) closes the options when there are any
  v.setUint32(len - 4, len, true);
  return b;
}
