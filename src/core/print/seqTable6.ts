/**
 * IPv6 conversations' sequence bases for the TCP printer's relative numbers, keyed by (address,
 * address, ports) in canonical order — SeqTable4's open addressing (print/tcp.ts) with the two 16-byte
 * addresses read straight from the packet. Why: the text key it replaces (both addresses' inet_ntop
 * text and the ports, joined, looked up in a Map) cost about 1 µs an IPv6 TCP line — the addresses'
 * text made only for the key, the key, the garbage — half of such a line on the bench's real file.
 * Equal addresses have equal bytes and equal text (inet_ntop's form is canonical): same conversations.
 */

import { u32be } from '../bytes';

/** Words a key: 4 + 4 address words, then (port a << 16 | port b). */
const W = 9;

export class SeqTable6 {
  private keys = new Uint32Array(W * 256);
  private used = new Uint8Array(256);
  /** The bases of each slot. */
  seq = new Uint32Array(256);
  ack = new Uint32Array(256);
  private count = 0;

  /** The slot of the key (addresses at `a` and `b` of `d`), or -1. */
  find(d: Uint8Array, a: number, b: number, ports: number): number {
    const mask = this.used.length - 1;
    const k = this.keys;
    for (let i = hash(d, a, b, ports) & mask; ; i = (i + 1) & mask) {
      if (this.used[i] === 0) return -1;
      const o = W * i;
      if (
        k[o + 8] === ports && k[o] === u32be(d, a) && k[o + 1] === u32be(d, a + 4) && k[o + 2] === u32be(d, a + 8) && k[o + 3] === u32be(d, a + 12) &&
        k[o + 4] === u32be(d, b) && k[o + 5] === u32be(d, b + 4) && k[o + 6] === u32be(d, b + 8) && k[o + 7] === u32be(d, b + 12)
      )
        return i;
    }
  }

  /** A new slot for a key that is not in the table (the table stays at most half full). */
  add(d: Uint8Array, a: number, b: number, ports: number): number {
    if (2 * (this.count + 1) > this.used.length) this.grow();
    this.count++;
    const i = this.slot(hash(d, a, b, ports));
    const o = W * i;
    for (let j = 0; j < 4; j++) {
      this.keys[o + j] = u32be(d, a + 4 * j);
      this.keys[o + 4 + j] = u32be(d, b + 4 * j);
    }
    this.keys[o + 8] = ports;
    return i;
  }

  /** The first free slot from hash `h` on, marked used. */
  private slot(h: number): number {
    const mask = this.used.length - 1;
    let i = h & mask;
    while (this.used[i] !== 0) i = (i + 1) & mask;
    this.used[i] = 1;
    return i;
  }

  private grow(): void {
    const { keys, used, seq, ack } = this;
    const n = used.length * 2;
    this.keys = new Uint32Array(W * n);
    this.used = new Uint8Array(n);
    this.seq = new Uint32Array(n);
    this.ack = new Uint32Array(n);
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 0) continue;
      const j = this.slot(hashWords(keys, W * i));
      this.keys.set(keys.subarray(W * i, W * i + W), W * j);
      this.seq[j] = seq[i];
      this.ack[j] = ack[i];
    }
  }
}

/** The hash of a key read from the packet; equal to hashWords of the same key stored. */
function hash(d: Uint8Array, a: number, b: number, ports: number): number {
  let h = Math.imul(ports, 0xc2b2ae35);
  for (let j = 0; j < 16; j += 4) {
    h = Math.imul(h ^ u32be(d, a + j), 0x9e3779b1);
    h = Math.imul(h ^ u32be(d, b + j), 0x85ebca6b);
  }
  return mix(h);
}

function hashWords(k: Uint32Array, o: number): number {
  let h = Math.imul(k[o + 8], 0xc2b2ae35);
  for (let j = 0; j < 4; j++) {
    h = Math.imul(h ^ k[o + j], 0x9e3779b1);
    h = Math.imul(h ^ k[o + 4 + j], 0x85ebca6b);
  }
  return mix(h);
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}
