/**
 * A push-based reader for classic pcap files (libpcap's format: a 24-byte file header, then records
 * of a 16-byte header and the captured bytes), microsecond or nanosecond time stamps, either byte
 * order. Pure TypeScript: no Node APIs, no `Buffer`, only Uint8Array/DataView.
 *
 *     const parser = new PcapParser(sink);
 *     for (const chunk of chunks) if (!parser.push(chunk)) break;   // false once it had to stop
 *     const error = parser.end();                                     // null when the file was whole
 *
 * It mirrors PcapngParser (./pcapng.ts): chunks may split records anywhere; a record that lies in one
 * chunk is handed on in place, only one that straddles a boundary is copied (into a reused carry
 * buffer); ONE `CaptureRecord` object is reused for every packet, valid only during `onRecord`.
 *
 * It replaced the npm package pcap-parser on every path (see README, "Stack changes"): that package
 * costs about 0.55 µs a record in event dispatch and Buffer slices, knows only the microsecond magic,
 * never reports a record cut off by the end of the file, and would buffer the rest of the file for a
 * header claiming a huge length. pcap-parser stays a test dependency: test/capture.test.ts reads
 * every classic pcap of the corpus with both and compares the records.
 *
 * Damage never throws, and follows libpcap (sf-pcap.c): a record whose captured length is above the
 * maximum for the link type stops reading ('corrupt'); a record longer than the snapshot length is
 * cut to it; the end of the file inside a record is reported ('truncated') with every packet before
 * it already delivered.
 */
import { plainBytes } from '../bytes';
import { blankRecord, type CaptureError, type CaptureInfo, type CaptureRecord, type CaptureSink } from './types';
import { CarryBuffer } from './carry';

/** The first four bytes of a classic pcap file, read big-endian. */
export const PCAP_US_BE = 0xa1b2c3d4;
export const PCAP_US_LE = 0xd4c3b2a1;
export const PCAP_NS_BE = 0xa1b23c4d;
export const PCAP_NS_LE = 0x4d3cb2a1;

const LINKTYPE_DBUS = 231;
const LINKTYPE_USBPCAP = 249;
const LINKTYPE_EBHSCR = 279;
/** libpcap's MAXIMUM_SNAPLEN. */
const MAXIMUM_SNAPLEN = 262144;

/** libpcap's max_snaplen_for_dlt(): the largest captured length that is not considered damage. */
export function maxSnaplenForLinkType(linkType: number): number {
  switch (linkType) {
    case LINKTYPE_DBUS:
      return 128 * 1024 * 1024;
    case LINKTYPE_EBHSCR:
      return 8 * 1024 * 1024;
    case LINKTYPE_USBPCAP:
      return 1024 * 1024;
    default:
      return MAXIMUM_SNAPLEN;
  }
}

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

/** True when `magic` (the first four bytes, big-endian) starts a classic pcap file this parser reads. */
export function isPcapMagic(magic: number): boolean {
  return magic === PCAP_US_BE || magic === PCAP_US_LE || magic === PCAP_NS_BE || magic === PCAP_NS_LE;
}

export class PcapParser {
  private readonly sink: CaptureSink;
  private readonly rec: CaptureRecord;

  private _info: CaptureInfo | null = null;
  private _error: CaptureError | null = null;
  private stopped = false;
  private ended = false;
  private _packets = 0;

  /** Set from the magic once the first 4 bytes are in. */
  private le = true;
  private nano = false;
  private nsPerUnit = 1000;
  private snapshot = MAXIMUM_SNAPLEN;
  private maxCaplen = MAXIMUM_SNAPLEN;

  /** File offset of the next record (or of the file header while it is not read). */
  private offset = 0;
  /** Bytes pushed so far. */
  private fed = 0;

  // Carry: the beginning of the file header or of a record that straddles chunk boundaries.
  private readonly carry = new CarryBuffer();

  constructor(sink: CaptureSink) {
    this.sink = sink;
    this.rec = blankRecord('pcap');
  }

  /** What the file header said (null until its 24 bytes are in). */
  get info(): CaptureInfo | null {
    return this._info;
  }
  /** Packets delivered so far. */
  get packets(): number {
    return this._packets;
  }
  /** The error that stopped the parser, if any (`end()` may add a truncation error). */
  get error(): CaptureError | null {
    return this._error;
  }
  /**
   * Bytes pushed but not yet delivered: the beginning of the file header or of a record that the
   * last chunk cut (a file still being written holds its last record here; src/core/capture/follow.ts).
   */
  get pending(): number {
    return this.carry.length;
  }

  /**
   * Feed the next bytes of the file. Returns false once the parser has stopped (damage found);
   * further chunks are then ignored. The chunk is only read during this call.
   */
  push(bytes: Uint8Array): boolean {
    if (this.stopped || this.ended) return false;
    const chunk = plainBytes(bytes);
    this.fed += chunk.length;
    const n = chunk.length;
    let p = 0;

    if (this.carry.length > 0 || this._info === null) {
      // Complete the carried header / record first.
      p = this.fromCarry(chunk);
      if (this.stopped) return false;
      if (p < 0) return true; // chunk used up, still incomplete
    }

    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const le = this.le;
    while (p < n) {
      const avail = n - p;
      if (avail < RECORD_HEADER) {
        this.carry.append(chunk, p, avail);
        return true;
      }
      const caplen = dv.getUint32(p + 8, le);
      if (caplen > this.maxCaplen) {
        this.failCaplen(caplen);
        return false;
      }
      const len = RECORD_HEADER + caplen;
      if (len > avail) {
        this.carry.append(chunk, p, avail);
        return true;
      }
      this.record(chunk, dv, p, caplen);
      p += len;
      if (this.stopped) return false;
    }
    return true;
  }

  /**
   * Signal the end of the file. Returns the error that stopped reading, or a 'truncated' error when
   * the file ends inside its header or a record, or null. Idempotent.
   */
  end(): CaptureError | null {
    if (this.ended) return this._error;
    this.ended = true;
    if (this.stopped) return this._error;
    if (this._info === null) {
      this.fail('truncated', 0, `the file ends inside the 24-byte pcap file header (it has only ${this.fed} bytes)`);
    } else if (this.carry.length > 0) {
      const have = this.carry.length;
      const n = this._packets + 1;
      if (have < RECORD_HEADER) {
        this.fail('truncated', this.offset, `the file ends ${have} byte${have === 1 ? '' : 's'} into the 16-byte header of record ${n} at byte ${this.offset}`);
      } else {
        const caplen = this.carry.view.getUint32(8, this.le);
        this.fail(
          'truncated',
          this.offset,
          `record ${n} at byte ${this.offset} claims ${caplen} captured bytes, but the file ends after ${have - RECORD_HEADER} of them`,
        );
      }
    }
    return this._error;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Adds the start of `chunk` to the carried bytes until the file header or the carried record is
   * complete, and handles it. Returns where in `chunk` reading goes on, or -1 when the chunk was
   * used up with the carried part still incomplete.
   */
  private fromCarry(chunk: Uint8Array): number {
    let p = 0;
    if (this._info === null) {
      const take = Math.min(FILE_HEADER - this.carry.length, chunk.length);
      this.carry.append(chunk, 0, take);
      p = take;
      if (this.carry.length < FILE_HEADER) return -1;
      this.fileHeader(this.carry.view);
      this.carry.clear();
      if (this.stopped) return -1;
      this.offset = FILE_HEADER;
      return p;
    }
    // A record straddling chunks: first its header, then its data.
    if (this.carry.length < RECORD_HEADER) {
      const take = Math.min(RECORD_HEADER - this.carry.length, chunk.length);
      this.carry.append(chunk, 0, take);
      p = take;
      if (this.carry.length < RECORD_HEADER) return -1;
    }
    const caplen = this.carry.view.getUint32(8, this.le);
    if (caplen > this.maxCaplen) {
      this.failCaplen(caplen);
      return -1;
    }
    const need = RECORD_HEADER + caplen - this.carry.length;
    const take = Math.min(need, chunk.length - p);
    this.carry.append(chunk, p, take);
    p += take;
    if (take < need) return -1;
    this.carry.clear();
    this.record(this.carry.bytes, this.carry.view, 0, caplen);
    return p;
  }

  private fileHeader(dv: DataView): void {
    const magic = dv.getUint32(0, false);
    if (!isPcapMagic(magic)) {
      this.fail('not-a-capture', 0, `the file is not a classic pcap capture (starts with 0x${magic.toString(16).padStart(8, '0')})`);
      return;
    }
    this.nano = magic === PCAP_NS_BE || magic === PCAP_NS_LE;
    this.le = magic === PCAP_US_LE || magic === PCAP_NS_LE;
    this.nsPerUnit = this.nano ? 1 : 1000;
    const le = this.le;
    const major = dv.getUint16(4, le);
    const minor = dv.getUint16(6, le);
    if (major !== 2) {
      this.fail('corrupt', 4, `the pcap file header has version ${major}.${minor}; only version 2.x is supported`);
      return;
    }
    const snaplen = dv.getUint32(16, le);
    // The upper bits of the link-type field carry FCS information (LT_FCS_DATABITS): LT_LINKTYPE().
    const linkType = dv.getUint32(20, le) & 0x03ffffff;
    this.maxCaplen = maxSnaplenForLinkType(linkType);
    // libpcap's pcap_adjust_snapshot(): 0 or absurd values mean "the maximum for the link type".
    this.snapshot = snaplen === 0 || snaplen > this.maxCaplen ? this.maxCaplen : snaplen;
    const tsPrecision = this.nano ? 9 : 6;
    this._info = {
      format: 'pcap',
      byteOrder: le ? 'LE' : 'BE',
      tsPrecision,
      linkType,
      snaplen,
      interfaces: [{ id: 0, section: 0, linkType, snaplen, tsUnitsPerSec: this.nano ? 1e9 : 1e6, tsOffset: 0 }],
      names: [],
    };
    this.rec.linkType = linkType;
    this.rec.tsPrecision = tsPrecision;
    if (this.sink.onInfo) this.sink.onInfo(this._info);
  }

  /** Deliver the record whose header is at `o` in `d` (complete: header + caplen bytes). */
  private record(d: Uint8Array, dv: DataView, o: number, caplen: number): void {
    const le = this.le;
    const rec = this.rec;
    rec.index = this._packets++;
    rec.tsSec = dv.getUint32(o, le);
    rec.tsNsec = dv.getUint32(o + 4, le) * this.nsPerUnit;
    rec.origLen = dv.getUint32(o + 12, le);
    // Like libpcap, hand on at most the snapshot length.
    const start = o + RECORD_HEADER;
    rec.data = d.subarray(start, start + (caplen > this.snapshot ? this.snapshot : caplen));
    rec.fileOffset = this.offset;
    rec.fileLength = RECORD_HEADER + caplen;
    this.offset += RECORD_HEADER + caplen;
    this.sink.onRecord(rec);
  }


  private failCaplen(caplen: number): void {
    // Stop here: reading on would mean buffering up to `caplen` bytes of what follows.
    this.fail(
      'corrupt',
      this.offset,
      `record ${this._packets + 1} at byte ${this.offset} claims ${caplen} captured bytes, more than the maximum of ${this.maxCaplen}`,
    );
  }

  private fail(kind: CaptureError['kind'], offset: number, message: string): void {
    this.stopped = true;
    if (!this._error) this._error = { kind, offset, message };
  }
}
