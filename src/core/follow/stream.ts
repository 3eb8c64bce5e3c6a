/**
 * One followed TCP stream: its chunks in display order, kept as typed arrays (struct of arrays,
 * 29 bytes a chunk), never the bytes themselves. A chunk's bytes are read back from its packet's
 * frame through an accessor, so a 1 GB stream costs ~21 MB of metadata (one chunk per 1,448-byte
 * segment) and any page of it can be shown after positional reads of the frames it names.
 *
 *     const s = reassembler.stream(0)!;
 *     const page = s.chunks(from, 100);              // metadata
 *     const need = s.packetsFor(from, 100);          // frames to read (originals of retransmissions too)
 *     const bytes = s.bytes(k, (p) => frames.get(p)); // sync, once the frames are at hand
 *
 * Order of chunks: as Wireshark's follow builds its list (packet-tcp.c, follow_tcp_tap_listener):
 * in capture order, except that a segment that arrives early waits until the bytes before it come
 * (or are acknowledged, then the gap is a `missing` chunk) and is then put in place (`out-of-order`).
 * Our own chunks (retransmitted copies, snaplen-cut bytes, SYN/FIN/RST separators, segments still
 * waiting at the end of the capture) are interleaved where they happen and marked `tshark: false`.
 */
import { TH_FIN, TH_RST, TH_SYN } from '../decode/packet';

export const K_DATA = 0;
export const K_OUT_OF_ORDER = 1;
export const K_MISSING = 2;
export const K_RETRANSMISSION = 3;
export const K_SEPARATOR = 4;

export type ChunkKind = 'data' | 'out-of-order' | 'missing' | 'retransmission' | 'retransmission-differs' | 'separator';
const KIND_NAMES: ChunkKind[] = ['data', 'out-of-order', 'missing', 'retransmission', 'separator'];

// meta byte: kind (bits 0-2) | dir (bit 3) | shown by tshark (bit 4) | comparison state (bits 5-6)
const M_KIND = 7;
const M_DIR = 8;
const M_TSHARK = 16;
const CMP_SHIFT = 5;
const CMP_UNCHECKED = 0;
const CMP_SAME = 1;
const CMP_DIFFERS = 2;
/** Nothing of the original was captured (it lies in a missing stretch): nothing to compare with. */
const CMP_UNKNOWN = 3;

/** Reads a packet's frame (the capture record's bytes) by 0-based packet index; undefined when unavailable. */
export type FrameAccessor = (packet: number) => Uint8Array | undefined;

export interface Endpoint {
  addr: string;
  port: number;
}

/** One chunk, as a plain object (a copy of its row). */
export interface FollowChunk {
  /** Position in the stream's chunk list. */
  index: number;
  kind: ChunkKind;
  /** Engine direction: 0 client → server, 1 server → client. */
  dir: 0 | 1;
  /** Wireshark's node: 0 is the sender of the stream's first segment, 1 the other end. */
  node: 0 | 1;
  /** 0-based packet the bytes come from (missing: the packet whose ACK showed the gap, or the next data). */
  packet: number;
  /** Relative sequence number of the first byte (separators: of the packet). */
  seq: number;
  /** Offset of the first byte in this direction's byte stream (retransmissions: of the bytes they repeat). */
  pos: number;
  /** Bytes (missing: bytes not captured; separators: 0). */
  length: number;
  /** Part of tshark's `follow,tcp` output. */
  tshark: boolean;
  /** Separators: the packet's TCP flags (TH_*); 0 otherwise. */
  flags: number;
}

const GROW_MIN = 16;

export class FollowStream {
  /** Wireshark's Node 0 (the sender of the stream's first segment) and Node 1. */
  node0: Endpoint = { addr: '', port: 0 };
  node1: Endpoint = { addr: '', port: 0 };
  /** Engine direction of Node 0's segments (-1 until the first segment). */
  node0Dir = -1;
  /** Bytes delivered (data + out-of-order) per engine direction, and bytes missing. */
  readonly delivered = [0, 0];
  readonly missing = [0, 0];
  /** Retransmitted copies per direction. */
  readonly retransmitted = [0, 0];

  private n = 0;
  private cap = 0;
  private pktA = new Int32Array(0);
  private offA = new Int32Array(0);
  private lenA = new Float64Array(0);
  private seqA = new Uint32Array(0);
  private posA = new Float64Array(0);
  private metaA = new Uint8Array(0);
  /** Chunks that carry a direction's stream (data, out-of-order, missing), in pos order: built on demand. */
  private inStream: [Int32Array, Int32Array] | null = null;
  /** Chunk indices sorted by packet, built on demand (packet → chunk). */
  private byPacket: Int32Array | null = null;

  constructor(readonly stream: number) {}

  get chunkCount(): number {
    return this.n;
  }

  /** Bytes of typed-array storage per chunk. */
  static bytesPerChunk(): number {
    return 4 + 4 + 8 + 4 + 8 + 1;
  }

  /** @internal Append a chunk (the reassembler's call). */
  push(kind: number, dir: number, tshark: boolean, packet: number, off: number, length: number, seq: number, pos: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.pktA[i] = packet;
    this.offA[i] = off;
    this.lenA[i] = length;
    this.seqA[i] = seq >>> 0;
    this.posA[i] = pos;
    this.metaA[i] = kind | (dir ? M_DIR : 0) | (tshark ? M_TSHARK : 0);
    if (kind === K_DATA || kind === K_OUT_OF_ORDER) this.delivered[dir] += length;
    else if (kind === K_MISSING) this.missing[dir] += length;
    else if (kind === K_RETRANSMISSION) this.retransmitted[dir]++;
    this.inStream = null;
    this.byPacket = null;
  }

  private grow(): void {
    const cap = Math.max(GROW_MIN, this.cap * 2);
    const g = <T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.pktA = g(this.pktA, new Int32Array(cap));
    this.offA = g(this.offA, new Int32Array(cap));
    this.lenA = g(this.lenA, new Float64Array(cap));
    this.seqA = g(this.seqA, new Uint32Array(cap));
    this.posA = g(this.posA, new Float64Array(cap));
    this.metaA = g(this.metaA, new Uint8Array(cap));
    this.cap = cap;
  }

  /** Drop the growth slack once nothing more is added. */
  trim(): void {
    const n = this.n;
    if (n === this.cap) return;
    this.pktA = this.pktA.slice(0, n);
    this.offA = this.offA.slice(0, n);
    this.lenA = this.lenA.slice(0, n);
    this.seqA = this.seqA.slice(0, n);
    this.posA = this.posA.slice(0, n);
    this.metaA = this.metaA.slice(0, n);
    this.cap = n;
  }

  kindOf(i: number): number {
    return this.metaA[i] & M_KIND;
  }
  dirOf(i: number): 0 | 1 {
    return this.metaA[i] & M_DIR ? 1 : 0;
  }
  /** Wireshark's node of chunk i (0: the sender of the stream's first segment). */
  nodeOf(i: number): 0 | 1 {
    return this.dirOf(i) === this.node0Dir ? 0 : 1;
  }
  inTshark(i: number): boolean {
    return (this.metaA[i] & M_TSHARK) !== 0;
  }
  packetOf(i: number): number {
    return this.pktA[i];
  }
  lengthOf(i: number): number {
    return this.lenA[i];
  }
  posOf(i: number): number {
    return this.posA[i];
  }
  /** Separators: the TCP flags of their packet. */
  flagsOf(i: number): number {
    return this.kindOf(i) === K_SEPARATOR ? this.offA[i] : 0;
  }

  /** Chunk i as an object; `retransmission-differs` once a comparison (bytes / differs) found a difference. */
  chunk(i: number): FollowChunk {
    const k = this.kindOf(i);
    const cmp = (this.metaA[i] >> CMP_SHIFT) & 3;
    return {
      index: i,
      kind: k === K_RETRANSMISSION && cmp === CMP_DIFFERS ? 'retransmission-differs' : KIND_NAMES[k],
      dir: this.dirOf(i),
      node: this.nodeOf(i),
      packet: this.pktA[i],
      seq: this.seqA[i],
      pos: this.posA[i],
      length: this.lenA[i],
      tshark: this.inTshark(i),
      flags: this.flagsOf(i),
    };
  }

  /** A page of chunks. */
  chunks(from: number, count: number): FollowChunk[] {
    const out: FollowChunk[] = [];
    const end = Math.min(this.n, from + count);
    for (let i = Math.max(0, from); i < end; i++) out.push(this.chunk(i));
    return out;
  }

  /** The packets whose frames `bytes` and `differs` need for chunks [from, from + count): read them first. */
  packetsFor(from: number, count: number): number[] {
    const set = new Set<number>();
    const end = Math.min(this.n, from + count);
    for (let i = Math.max(0, from); i < end; i++) {
      const k = this.kindOf(i);
      if (k === K_DATA || k === K_OUT_OF_ORDER) set.add(this.pktA[i]);
      else if (k === K_RETRANSMISSION) {
        set.add(this.pktA[i]);
        this.originals(i, (j) => set.add(this.pktA[j]));
      }
    }
    return [...set].sort((a, b) => a - b);
  }

  /** The captured bytes of chunk i (data, out-of-order, retransmission); null for missing bytes and separators. */
  bytes(i: number, frame: FrameAccessor): Uint8Array | null {
    const k = this.kindOf(i);
    if (k === K_MISSING || k === K_SEPARATOR) return null;
    const f = frame(this.pktA[i]);
    if (!f) return null;
    const off = this.offA[i];
    const end = Math.min(f.length, off + this.lenA[i]);
    return f.subarray(Math.min(off, end), end);
  }

  /**
   * For a retransmitted copy: whether its bytes differ from the bytes first delivered for the same
   * sequence numbers (true), are the same (false), or cannot be compared (null: the original was not
   * captured, or i is not a retransmission). The answer is kept in the chunk (its kind becomes
   * `retransmission-differs`).
   */
  differs(i: number, frame: FrameAccessor): boolean | null {
    if (this.kindOf(i) !== K_RETRANSMISSION) return null;
    let cmp = (this.metaA[i] >> CMP_SHIFT) & 3;
    if (cmp === CMP_UNCHECKED) {
      cmp = this.compare(i, frame);
      if (cmp === -1) return null; // a frame could not be read: ask again later
      this.metaA[i] = (this.metaA[i] & ~(3 << CMP_SHIFT)) | (cmp << CMP_SHIFT);
    }
    return cmp === CMP_DIFFERS ? true : cmp === CMP_SAME ? false : null;
  }

  private compare(i: number, frame: FrameAccessor): number {
    const d = this.firstDifference(i, frame);
    return d === undefined ? -1 : d === null ? CMP_UNKNOWN : d.pos < 0 ? CMP_SAME : CMP_DIFFERS;
  }

  /**
   * Where retransmission i first differs from the original: its stream offset and both bytes ({ pos: -1 } when
   * the bytes it shares with captured originals are the same); null when there is nothing to compare with (not
   * a retransmission, or the original was not captured); undefined when a frame could not be read.
   */
  firstDifference(i: number, frame: FrameAccessor): { pos: number; was: number; now: number } | null | undefined {
    if (this.kindOf(i) !== K_RETRANSMISSION) return null;
    const mine = this.bytes(i, frame);
    if (!mine) return undefined;
    const start = this.posA[i];
    let compared = 0;
    let found: { pos: number; was: number; now: number } | null = null;
    let unreadable = false;
    this.originals(i, (j) => {
      if (found || unreadable || this.kindOf(j) === K_MISSING) return;
      const orig = this.bytes(j, frame);
      if (!orig) {
        unreadable = true;
        return;
      }
      const a = Math.max(start, this.posA[j]);
      const b = Math.min(start + mine.length, this.posA[j] + orig.length);
      for (let p = a; p < b; p++) {
        const now = mine[p - start];
        const was = orig[p - this.posA[j]];
        if (now !== was) {
          found = { pos: p, was, now };
          return;
        }
        compared++;
      }
    });
    if (found) return found;
    if (unreadable) return undefined;
    return compared > 0 ? { pos: -1, was: 0, now: 0 } : null;
  }

  /** Calls `visit` with each chunk of the same direction whose stream bytes overlap retransmission i's. */
  private originals(i: number, visit: (j: number) => void): void {
    const list = this.streamChunks()[this.dirOf(i)];
    const start = this.posA[i];
    const end = start + this.lenA[i];
    // last chunk starting at or before `start`
    let lo = 0;
    let hi = list.length - 1;
    let first = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.posA[list[mid]] <= start) {
        first = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let m = first; m < list.length; m++) {
      const j = list[m];
      const p = this.posA[j];
      if (p >= end) break;
      // the bytes a copy repeats were delivered (or found missing) before it came: originals precede it
      if (j < i && p + this.lenA[j] > start) visit(j);
    }
  }

  private streamChunks(): [Int32Array, Int32Array] {
    if (this.inStream) return this.inStream;
    const counts = [0, 0];
    for (let i = 0; i < this.n; i++) {
      const k = this.kindOf(i);
      if (k === K_DATA || k === K_OUT_OF_ORDER || k === K_MISSING) counts[this.dirOf(i)]++;
    }
    const lists: [Int32Array, Int32Array] = [new Int32Array(counts[0]), new Int32Array(counts[1])];
    const fill = [0, 0];
    for (let i = 0; i < this.n; i++) {
      const k = this.kindOf(i);
      if (k === K_DATA || k === K_OUT_OF_ORDER || k === K_MISSING) lists[this.dirOf(i)][fill[this.dirOf(i)]++] = i;
    }
    // positions only grow along a direction, except after Wireshark's restart of a direction at
    // sequence 0 (see the reassembler): keep the binary search honest then
    for (const l of lists) if (!isSortedBy(l, this.posA)) l.sort((a, b) => this.posA[a] - this.posA[b] || a - b);
    this.inStream = lists;
    return lists;
  }

  /** The first chunk that comes from packet p (its bytes, or its separator), or -1. */
  chunkOfPacket(p: number): number {
    if (!this.byPacket) {
      const a = new Int32Array(this.n);
      for (let i = 0; i < this.n; i++) a[i] = i;
      a.sort((x, y) => this.pktA[x] - this.pktA[y] || x - y);
      this.byPacket = a;
    }
    const a = this.byPacket;
    let lo = 0;
    let hi = a.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.pktA[a[mid]];
      if (v < p) lo = mid + 1;
      else {
        if (v === p) found = a[mid];
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Index of the first chunk at or after `pos` in direction `dir`'s byte stream (for "go to offset"), or -1. */
  chunkAtPos(dir: 0 | 1, pos: number): number {
    const list = this.streamChunks()[dir];
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const j = list[mid];
      if (this.posA[j] + this.lenA[j] > pos) {
        found = j;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return found;
  }
}

function isSortedBy(list: Int32Array, key: Float64Array): boolean {
  for (let m = 1; m < list.length; m++) if (key[list[m]] < key[list[m - 1]]) return false;
  return true;
}

/** "SYN", "SYN+ACK", "FIN", "RST" … for a separator. */
export function separatorName(flags: number): string {
  const parts: string[] = [];
  if (flags & TH_SYN) parts.push('SYN');
  if (flags & TH_FIN) parts.push('FIN');
  if (flags & TH_RST) parts.push('RST');
  if (flags & 0x10) parts.push('ACK');
  return parts.join('+');
}
