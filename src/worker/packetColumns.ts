/**
 * PacketColumns: the capture editor's per-packet columns (struct of arrays, grown by doubling from
 * 1024, trimmed when indexing ends), with their checkpoints and sparse overflow maps, and the small
 * tables their ids point into (interface classes, addresses). Part of CaptureIndex
 * (src/worker/captureIndex.ts); filled by the indexing run (src/worker/indexRun.ts).
 *
 * Per packet:
 *
 *   gap       Uint16  distance in the file from the previous packet's record (offsets are rebuilt
 *                     from a Float64 checkpoint every 32 packets, with that packet's time stamp:
 *                     0.75 byte a packet). Only created when many records are not where the
 *                     previous one's header and length put them (pcapng blocks with options, other
 *                     blocks between packets, cut records): until then the few that are not go to
 *                     a sparse map, and the others cost nothing
 *   caplen    Uint16  captured length      } 0xFFFF = look in a sparse overflow map
 *   origLen   Uint16  length on the wire   } (only created once a packet's differs from its caplen)
 *   time      Uint32  time after the checkpoint's packet, in the packet's unit (µs or ns); out of
 *                     range, backwards or damaged time stamps go to a sparse map, exact
 *   ifc       Uint8   interface class (link type + time precision); only created once a packet's
 *                     differs from the first packet's
 *   kind      Uint16  TCP flags | bad | frame-header kind | protocol class (src/core/filter/eval.ts)
 *   sport/dport Uint16 ×2
 *   src/dst   Uint16 ×2 (Uint32 once more than 65,535 addresses): ids into a small address table
 *
 * i.e. 16.75 bytes (+2 with the gap column, +2 when lengths on the wire differ, +1 with several
 * interface classes, +4 with wide address ids).
 */
import { KIND_HDR_SHIFT } from '../core/filter/eval';
import { parseIPv6Text, type Address } from '../core/filter/parse';
import { ipv6String } from '../core/bytes';
import { IntIdMap } from '../core/intMaps';

/** Frame header kinds (bits 10..11 of the kind word): where the frame starts in its record. */
/** What addRecord keeps of a record (src/worker/packetFacts.ts has it). */
export interface RecordPlace {
  fileOffset: number;
  caplen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  tsPrecision: 6 | 9;
  linkType: number;
}

export const HDR_PCAP = 0; // 16-byte pcap record header
export const HDR_EPB = 1; // pcapng EPB / PB: 28 bytes
export const HDR_SPB = 2; // pcapng SPB: 12 bytes
const HDR_LEN = [16, 28, 12, 0];

const BIG = 0xffff;
/** Records out of place (see `gapX`) tolerated before the gap column is created: 4096 + 1 in 64 packets. */
const GAP_EXCEPTIONS = 4096;
export const CKPT_SHIFT = 5; // a Float64 offset checkpoint every 32 packets
/** tdA value meaning "the time is in bigTime". */
const TIME_BIG = 0xffffffff;

/** An interface class: link type and time precision. */
export interface Ifc {
  linkType: number;
  precision: 6 | 9;
}

export class PacketColumns {
  /** Packets the arrays have room for. */
  cap = 0;
  /** Packets stored (indices 0 .. n-1). */
  n = 0;
  /** null while records follow each other as their headers say (gapX holds the exceptions). */
  private gap: Uint16Array | null = null;
  /** Without the gap column: gaps that differ from the previous record's plain length (plainLength). */
  private gapX = new Map<number, number>();
  private ckpt = new Float64Array(0);
  private caplenA = new Uint16Array(0);
  /** null while every packet's length on the wire equals its captured length (the common case). */
  private origA: Uint16Array | null = null;
  /** Time of each checkpoint's packet (seconds, nanoseconds). */
  private ckSec = new Float64Array(0);
  private ckNsec = new Float64Array(0);
  /** Time after the checkpoint's, in the packet's own unit (µs or ns); TIME_BIG = look in bigTime. */
  private tdA = new Uint32Array(0);
  /** null while every packet has interface class 0 (one link type and precision: nearly every capture). */
  private ifcA: Uint8Array | null = null;
  kind = new Uint16Array(0);
  sport = new Uint16Array(0);
  dport = new Uint16Array(0);
  src: Uint16Array | Uint32Array = new Uint16Array(0);
  dst: Uint16Array | Uint32Array = new Uint16Array(0);
  private readonly bigGap = new Map<number, number>();
  private readonly bigCaplen = new Map<number, number>();
  private readonly bigOrig = new Map<number, number>();
  private readonly bigTime = new Map<number, { sec: number; nsec: number }>();
  private lastOff = 0;

  /** Interface classes: link type and time precision. */
  private readonly ifcs: Ifc[] = [];
  private readonly ifcIds = new Map<number, number>();
  private readonly v4Ids = new IntIdMap();
  private readonly v6Ids = new Map<string, number>();
  private addrCount = 0;
  /** The address of each id (id - 1): CIDR and ordered comparisons of ip.addr & co. (one object a distinct address). */
  private readonly addrById: Address[] = [];
  private lastIfcKey = -1;
  private lastIfc = 0;

  constructor() {
    this.grow(1024);
  }

  // -----------------------------------------------------------------------------------------------
  // Growth

  /** Room for at least `need` packets (doubling). */
  grow(need: number): void {
    let cap = this.cap === 0 ? 1024 : this.cap;
    while (cap < need) cap *= 2;
    this.resize(cap);
  }

  private resize(cap: number): void {
    const g16 = (a: Uint16Array) => {
      const b = new Uint16Array(cap);
      b.set(a.subarray(0, Math.min(a.length, cap)));
      return b;
    };
    const g32 = (a: Uint32Array) => {
      const b = new Uint32Array(cap);
      b.set(a.subarray(0, Math.min(a.length, cap)));
      return b;
    };
    const gAddr = (a: Uint16Array | Uint32Array) => {
      const b = a instanceof Uint32Array ? new Uint32Array(cap) : new Uint16Array(cap);
      b.set(a.subarray(0, Math.min(a.length, cap)));
      return b;
    };
    if (this.gap) this.gap = g16(this.gap);
    const ck = new Float64Array((cap >> CKPT_SHIFT) + 1);
    ck.set(this.ckpt.subarray(0, Math.min(this.ckpt.length, ck.length)));
    this.ckpt = ck;
    const cs = new Float64Array(ck.length);
    cs.set(this.ckSec.subarray(0, Math.min(this.ckSec.length, cs.length)));
    this.ckSec = cs;
    const cn = new Float64Array(ck.length);
    cn.set(this.ckNsec.subarray(0, Math.min(this.ckNsec.length, cn.length)));
    this.ckNsec = cn;
    this.caplenA = g16(this.caplenA);
    if (this.origA) this.origA = g16(this.origA);
    this.tdA = g32(this.tdA);
    if (this.ifcA) {
      const ifc = new Uint8Array(cap);
      ifc.set(this.ifcA.subarray(0, Math.min(this.ifcA.length, cap)));
      this.ifcA = ifc;
    }
    this.kind = g16(this.kind);
    this.sport = g16(this.sport);
    this.dport = g16(this.dport);
    this.src = gAddr(this.src);
    this.dst = gAddr(this.dst);
    this.cap = cap;
  }

  /** Shrink the columns to the packets stored (indexing is over). */
  trim(): void {
    if (this.cap > this.n) this.resize(Math.max(1, this.n));
  }

  // -----------------------------------------------------------------------------------------------
  // Filling (indexing, in packet order)

  /**
   * Store where record `rec` (packet i = n) is and its lengths, time and interface class; the packet's
   * other columns are set by `setPacket`, which ends it.
   */
  addRecord(i: number, rec: RecordPlace): void {
    if (i >= this.cap) this.grow(i + 1);
    const off = rec.fileOffset;
    const ck = i & ((1 << CKPT_SHIFT) - 1);
    if (ck === 0) this.ckpt[i >> CKPT_SHIFT] = off;
    else {
      const g = off - this.lastOff;
      if (this.gap === null && g !== this.plainLength(i - 1)) {
        this.gapX.set(i, g);
        if (this.gapX.size > GAP_EXCEPTIONS + (i >> 6)) this.makeGapColumn(i);
      } else if (this.gap !== null) this.setGap(i, g);
    }
    this.lastOff = off;
    const caplen = rec.caplen;
    if (caplen < BIG) this.caplenA[i] = caplen;
    else {
      this.caplenA[i] = BIG;
      this.bigCaplen.set(i, caplen);
    }
    if (rec.origLen !== caplen || this.origA !== null) this.setOrig(i, rec.origLen);
    this.setTime(i, ck, rec.tsSec, rec.tsNsec, rec.tsPrecision);
    const ifc = this.ifcId(rec.linkType, rec.tsPrecision);
    if (ifc !== 0 && this.ifcA === null) this.ifcA = new Uint8Array(this.cap); // the packets before are all class 0
    if (this.ifcA !== null) this.ifcA[i] = ifc;
  }

  /**
   * Length of packet j's record when nothing else lies between it and the next one: its header, its
   * frame (pcapng: padded to 4 bytes), pcapng's trailing length, no options.
   */
  private plainLength(j: number): number {
    const hdr = (this.kind[j] >>> KIND_HDR_SHIFT) & 3;
    const c = this.caplen(j);
    return hdr === HDR_PCAP ? 16 + c : hdr === HDR_EPB ? 32 + ((c + 3) & ~3) : hdr === HDR_SPB ? 16 + ((c + 3) & ~3) : -1;
  }

  private setGap(i: number, g: number): void {
    if (g >= 0 && g < BIG) this.gap![i] = g;
    else {
      this.gap![i] = BIG;
      this.bigGap.set(i, g);
    }
  }

  /** Too many records out of place: keep every gap (packets before i included) in a column. */
  private makeGapColumn(i: number): void {
    const col = new Uint16Array(this.cap);
    for (let j = 1; j <= i; j++) {
      if ((j & ((1 << CKPT_SHIFT) - 1)) === 0) continue;
      const g = this.gapOf(j); // read while there is no column yet
      if (g >= 0 && g < BIG) col[j] = g;
      else {
        col[j] = BIG;
        this.bigGap.set(j, g);
      }
    }
    this.gap = col;
    this.gapX.clear();
  }

  /** Distance from packet j-1's record to packet j's (j not a checkpoint's packet). */
  private gapOf(j: number): number {
    if (this.gap !== null) {
      const g = this.gap[j];
      return g === BIG ? this.bigGap.get(j)! : g;
    }
    return this.gapX.get(j) ?? this.plainLength(j - 1);
  }

  /** The filter columns of packet i (after addRecord); packet i is then stored. */
  setPacket(i: number, kind: number, sport: number, dport: number, src: number, dst: number): void {
    this.kind[i] = kind;
    this.sport[i] = sport;
    this.dport[i] = dport;
    this.src[i] = src;
    this.dst[i] = dst;
    this.n = i + 1;
  }

  /** Id of an address in the table, or -1 when no packet has it (FilterColumns). */
  addressId(a: Address): number {
    return a.family === 4 ? this.internId(a.v4, '', false) : this.internId(0, ipv6String(a.v6, 0), false);
  }

  /** The address with id `id` (FilterColumns.addressOf). */
  addressOf(id: number): Address | undefined {
    return this.addrById[id - 1];
  }

  /** Id of an IPv4 address (v6 === '') or an IPv6 one (its text), added when `add`. */
  internId(v4: number, v6: string, add: boolean): number {
    const id = v6 === '' ? this.v4Ids.get(v4) : this.v6Ids.get(v6) ?? 0;
    if (id !== 0) return id;
    if (!add) return -1;
    const nid = ++this.addrCount;
    if (v6 === '') {
      this.v4Ids.set(v4, nid);
      this.addrById.push({ family: 4, v4, text: '' });
    } else {
      this.v6Ids.set(v6, nid);
      this.addrById.push({ family: 6, v6: parseIPv6Text(v6) ?? new Uint8Array(16), text: v6 });
    }
    if (nid === 0x10000 && this.src instanceof Uint16Array) {
      this.src = Uint32Array.from(this.src);
      this.dst = Uint32Array.from(this.dst);
    }
    return nid;
  }

  private ifcId(linkType: number, precision: 6 | 9): number {
    const key = linkType * 16 + precision;
    if (key === this.lastIfcKey) return this.lastIfc;
    let id = this.ifcIds.get(key);
    if (id === undefined) {
      id = this.ifcs.length;
      if (id > 255) id = 255; // more than 256 (link type, precision) pairs: not seen in practice
      else {
        this.ifcs.push({ linkType, precision });
        this.ifcIds.set(key, id);
      }
    }
    this.lastIfcKey = key;
    this.lastIfc = id;
    return id;
  }

  /**
   * Keep packet i's time as an offset from its checkpoint's packet (4 bytes instead of 8): in µs
   * for µs captures (71 minutes of range), ns for ns ones (4.2 s). Times out of range, earlier than
   * the checkpoint's, or with a damaged sub-second field go to a sparse map, exact.
   */
  private setTime(i: number, ck: number, sec: number, nsec: number, precision: 6 | 9): void {
    const c = i >> CKPT_SHIFT;
    if (ck === 0) {
      this.ckSec[c] = sec;
      this.ckNsec[c] = nsec;
      this.tdA[i] = 0;
      return;
    }
    const cn = this.ckNsec[c];
    const unit = precision === 9 ? 1 : 1000;
    const dns = (sec - this.ckSec[c]) * 1e9 + (nsec - cn);
    const d = dns / unit;
    if (nsec >= 0 && nsec < 1e9 && cn < 1e9 && d > 0 && d < TIME_BIG && d === Math.floor(d)) this.tdA[i] = d;
    else if (dns === 0) this.tdA[i] = 0;
    else {
      this.tdA[i] = TIME_BIG;
      this.bigTime.set(i, { sec, nsec });
    }
  }

  /** The first packet whose wire length differs from its captured length creates the column. */
  private setOrig(i: number, orig: number): void {
    if (this.origA === null) {
      const a = new Uint16Array(this.cap);
      for (let j = 0; j < i; j++) {
        const c = this.caplen(j);
        a[j] = c < BIG ? c : BIG;
        if (c >= BIG) this.bigOrig.set(j, c);
      }
      this.origA = a;
    }
    if (orig < BIG) this.origA[i] = orig;
    else {
      this.origA[i] = BIG;
      this.bigOrig.set(i, orig);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Reading

  /** File offset of packet i's record. */
  recordOffset(i: number): number {
    const c = i >> CKPT_SHIFT;
    let off = this.ckpt[c];
    for (let j = (c << CKPT_SHIFT) + 1; j <= i; j++) off += this.gapOf(j);
    return off;
  }

  /** File offset of packet i's frame (after its record or block header). */
  dataOffset(i: number): number {
    return this.recordOffset(i) + HDR_LEN[(this.kind[i] >>> KIND_HDR_SHIFT) & 3];
  }

  caplen(i: number): number {
    const v = this.caplenA[i];
    return v === BIG ? this.bigCaplen.get(i) ?? v : v;
  }

  origLen(i: number): number {
    if (this.origA === null) return this.caplen(i);
    const v = this.origA[i];
    return v === BIG ? this.bigOrig.get(i) ?? v : v;
  }

  /** Time stamp of packet i: seconds. */
  sec(i: number): number {
    const d = this.tdA[i];
    if (d === 0) return this.ckSec[i >> CKPT_SHIFT];
    if (d === TIME_BIG) return this.bigTime.get(i)?.sec ?? 0;
    const total = this.ckNsec[i >> CKPT_SHIFT] + d * this.nsPerUnit(i);
    return this.ckSec[i >> CKPT_SHIFT] + Math.floor(total / 1e9);
  }

  /** Time stamp of packet i: nanoseconds (as the file says, even when 1e9 or more: tcpdump's "invalid"). */
  nsec(i: number): number {
    const d = this.tdA[i];
    if (d === 0) return this.ckNsec[i >> CKPT_SHIFT];
    if (d === TIME_BIG) return this.bigTime.get(i)?.nsec ?? 0;
    const total = this.ckNsec[i >> CKPT_SHIFT] + d * this.nsPerUnit(i);
    return total - Math.floor(total / 1e9) * 1e9;
  }

  private nsPerUnit(i: number): number {
    return this.ifcs[this.ifcA === null ? 0 : this.ifcA[i]]?.precision === 9 ? 1 : 1000;
  }

  /** Interface class of packet i (undefined only past the 256th class). */
  ifc(i: number): Ifc | undefined {
    return this.ifcs[this.ifcA === null ? 0 : this.ifcA[i]];
  }

  // -----------------------------------------------------------------------------------------------
  // Memory

  /**
   * Typed-array bytes a packet at capacity (the overflow maps are in heapBytes). The gap column is
   * counted from 1024 exceptions on: it cannot be created before the next check of the ceiling
   * (4096 packets later, src/worker/indexRun.ts) otherwise.
   */
  bytesPerPacket(): number {
    return (this.gap !== null || this.gapX.size > 1024 ? 2 : 0) + 2 + (this.origA ? 2 : 0) + 4 + (this.ifcA ? 1 : 0) + 2 + 2 + 2 + 2 * this.src.BYTES_PER_ELEMENT;
  }

  /** Bytes of the checkpoint arrays for a capacity of `cap` packets. */
  checkpointBytes(cap: number): number {
    return 3 * 8 * ((cap >> CKPT_SHIFT) + 1);
  }

  /** Bytes the typed arrays hold now. */
  arrayBytes(): number {
    const arrays = [this.gap ?? new Uint8Array(0), this.ckpt, this.ckSec, this.ckNsec, this.caplenA, this.origA ?? new Uint8Array(0), this.tdA, this.ifcA ?? new Uint8Array(0), this.kind, this.sport, this.dport, this.src, this.dst];
    return arrays.reduce((s, a) => s + a.byteLength, 0);
  }

  /** V8 heap the overflow maps and the address table hold (estimates: ~48 bytes a Map entry, objects ~100 more). */
  heapBytes(): number {
    return (this.gapX.size + this.bigGap.size + this.bigCaplen.size + this.bigOrig.size) * 48 + this.bigTime.size * 100 + this.addrCount * 80 + this.v6Ids.size * 200; // + addrById: ~48 bytes a v4 Address, ~130 a v6 one (its Uint8Array)
  }
}
