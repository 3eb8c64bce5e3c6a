/**
 * Node-side entry point for reading a capture file: used by the CLI, the tests and the worker.
 *
 *     const reading = readCaptureFile('x.pcap', { onInfo(info) {...}, onRecord(rec) {...} });
 *     // reading.pause() / reading.resume() for backpressure (e.g. while stdout is full)
 *     const { info, packets, error } = await reading.done;   // never rejects
 *
 * - The format is detected from the magic number, not the file name:
 *     pcapng (0a 0d 0d 0a)           → our own streaming `PcapngParser`;
 *     classic pcap, µs or ns, LE/BE  → the npm package `pcap-parser` (required by the product card);
 *     gzip (1f 8b)                   → decompressed on the fly with node:zlib, then detected again.
 * - The file is streamed in chunks (1 MiB by default): memory does not grow with the file size.
 * - Records are delivered synchronously from the read loop. The record object (and its `data` view)
 *   is only valid during the `onRecord` call: copy what you keep.
 * - `fileOffset`s of a gzip-compressed capture are offsets in the decompressed data.
 *
 * pcap-parser and its limits, worked around here without patching it:
 * - It only knows the microsecond magic. For nanosecond files we hand it a stream whose first 4 bytes
 *   are rewritten to the microsecond magic of the same byte order and read its `timestampMicroseconds`
 *   as nanoseconds.
 * - It never reports a record cut off by the end of the file: we track record offsets ourselves and
 *   report such a record as 'truncated' after the last byte.
 * - It buffers a whole record before emitting it: a header claiming a huge captured length would make
 *   it swallow the rest of the file. We check each record header as it is parsed and stop, like
 *   libpcap, at a captured length above the maximum for the link type (262144 for most).
 * - It uses the deprecated `new Buffer()`. Node reports that (DEP0005) when the calling code does not
 *   sit in node_modules, which is the case once bundled. We silence exactly that warning, and only
 *   while pcap-parser is running.
 */

import * as fs from 'node:fs';
import { EventEmitter } from 'node:events';
import { pipeline, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';

import { PcapngParser } from '../core/capture/pcapng';
import type { CaptureError, CaptureInfo, CaptureRecord, CaptureSink } from '../core/capture/types';

export interface ReadOptions {
  /** Bytes read from the file at a time (default 1 MiB). */
  chunkSize?: number;
}

export interface ReadSummary {
  /** What the reader learnt about the file (null when it is not a capture or could not be read). */
  info: CaptureInfo | null;
  /** Records delivered. */
  packets: number;
  /** Why reading stopped early, or null when the whole file was read (or reading was cancelled). */
  error: CaptureError | null;
  /** True when `cancel()` ended the reading. */
  cancelled?: boolean;
  /** True when the file was gzip-compressed (then `fileOffset`s are offsets in the decompressed data). */
  compressed?: boolean;
  /** When a sink callback threw, what it threw (reading stopped; `error` has kind 'io'). */
  thrown?: unknown;
}

export interface CaptureReading {
  /**
   * Stop delivering records as soon as possible: at most the rest of the current 64 KiB slice of input
   * is still delivered (synchronously, before the current callback returns to the read loop).
   */
  pause(): void;
  /** Continue after `pause()`. */
  resume(): void;
  /** Stop reading for good: no record is delivered after this call; `done` resolves with `cancelled: true`. */
  cancel(): void;
  /** Resolves once reading is over. Never rejects. */
  done: Promise<ReadSummary>;
}

/** Bytes handed to a parser at a time, so that `pause()` takes effect quickly. */
const SLICE = 64 * 1024;
const DEFAULT_CHUNK = 1024 * 1024;

const PCAPNG_MAGIC = 0x0a0d0d0a;
const PCAP_US_BE = 0xa1b2c3d4; // as read big-endian from the first 4 bytes
const PCAP_US_LE = 0xd4c3b2a1;
const PCAP_NS_BE = 0xa1b23c4d;
const PCAP_NS_LE = 0x4d3cb2a1;
const PCAP_KUZNETZOV_BE = 0xa1b2cd34;
const PCAP_KUZNETZOV_LE = 0x34cdb2a1;

/**
 * Read a capture file and push its records into `sink`. See the module comment.
 */
export function readCaptureFile(filePath: string, sink: CaptureSink, opts: ReadOptions = {}): CaptureReading {
  const reader = new CaptureFileReader(filePath, sink, opts);
  return {
    pause: () => reader.pause(),
    resume: () => reader.resume(),
    cancel: () => reader.cancel(),
    done: reader.run(),
  };
}

/** What both parsers look like to the read loop. */
interface Feeder {
  /** Feed the next bytes; false once the parser has stopped. */
  push(chunk: Buffer): boolean;
  /** End of input: the error that stopped reading, or null. */
  end(): CaptureError | null;
  readonly info: CaptureInfo | null;
}

class CaptureFileReader {
  private paused = false;
  private cancelled = false;
  private wake: (() => void) | null = null;
  private readonly name: string;
  private readonly chunkSize: number;
  private readonly sink: SinkGuard;

  constructor(
    private readonly filePath: string,
    sink: CaptureSink,
    opts: ReadOptions,
  ) {
    this.name = filePath;
    this.sink = new SinkGuard(sink);
    this.chunkSize = Math.max(1, Math.floor(opts.chunkSize ?? DEFAULT_CHUNK));
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wakeUp();
  }

  cancel(): void {
    this.cancelled = true;
    this.sink.cancelled = true;
    this.wakeUp();
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    if (w) w();
  }

  private waitForResume(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  async run(): Promise<ReadSummary> {
    const summary: ReadSummary = { info: null, packets: 0, error: null };
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(this.filePath, 'r');
    } catch (e) {
      summary.error = ioError(`cannot open ${this.name}: ${reason(e)}`);
      return summary;
    }

    let feeder: Feeder | null = null;
    let stream: Readable | null = null;
    try {
      const st = await fh.stat();
      if (st.isDirectory()) {
        summary.error = ioError(`cannot read ${this.name}: it is a directory`);
        return summary;
      }
      // Sniff for gzip on the raw bytes.
      const head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      const gzip = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
      if (gzip) summary.compressed = true;

      const raw = fh.createReadStream({ start: 0, highWaterMark: this.chunkSize, autoClose: false });
      stream = gzip ? pipeline(raw, zlib.createGunzip({ chunkSize: Math.max(this.chunkSize, 64 * 1024) }), () => {}) : raw;

      let pending: Buffer | null = null; // first bytes, until we have enough to recognise the format
      let total = 0; // bytes (decompressed) seen so far
      let streamError: unknown = null;

      try {
        outer: for await (const piece of stream as AsyncIterable<Buffer>) {
          total += piece.length;
          let chunk: Buffer = piece;
          if (!feeder) {
            pending = pending ? Buffer.concat([pending, piece]) : piece;
            if (pending.length < 4) continue;
            chunk = pending;
            pending = null;
            const made = this.makeFeeder(chunk, gzip);
            if ('kind' in made) {
              summary.error = made;
              break;
            }
            feeder = made;
          }
          for (let off = 0; off < chunk.length; off += SLICE) {
            while (this.paused && !this.cancelled) await this.waitForResume();
            if (this.cancelled) break outer;
            const end = Math.min(off + SLICE, chunk.length);
            if (!feeder.push(off === 0 && end === chunk.length ? chunk : chunk.subarray(off, end))) break outer;
          }
        }
      } catch (e) {
        if (e instanceof SinkError) throw e;
        streamError = e;
      }

      if (this.cancelled) {
        summary.cancelled = true;
      } else if (!summary.error) {
        if (!feeder) {
          // The stream ended (or failed) before 4 bytes were seen.
          const got = pending ? pending.length : 0;
          if (streamError) summary.error = this.streamFailure(streamError, gzip, total, null);
          else if (got === 0) summary.error = notACapture(`${this.name} is empty: it is not a pcap or pcapng capture file`);
          else summary.error = notACapture(`${this.name} is not a pcap or pcapng capture file (it is only ${got} byte${got === 1 ? '' : 's'} long)`);
        } else {
          const parseError = feeder.end();
          summary.error = streamError ? this.streamFailure(streamError, gzip, total, parseError) : parseError;
        }
      }
    } catch (e) {
      if (e instanceof SinkError) {
        summary.error = ioError(`reading ${this.name} stopped: the record handler threw: ${reason(e.thrown)}`);
        summary.thrown = e.thrown;
      } else {
        summary.error = ioError(`cannot read ${this.name}: ${reason(e)}`);
      }
    } finally {
      if (stream) stream.destroy();
      await fh.close().catch(() => undefined);
    }
    if (feeder) summary.info = feeder.info;
    summary.packets = this.sink.delivered;
    return summary;
  }

  /** Recognise the format from the first bytes (at least 4) and build the matching parser. */
  private makeFeeder(first: Buffer, gzip: boolean): Feeder | CaptureError {
    const magic = first.readUInt32BE(0);
    const sink = this.sink;
    switch (magic) {
      case PCAPNG_MAGIC:
        return new PcapngFeeder(sink);
      case PCAP_US_BE:
      case PCAP_US_LE:
      case PCAP_NS_BE:
      case PCAP_NS_LE:
        return new PcapFeeder(sink, first);
      case PCAP_KUZNETZOV_BE:
      case PCAP_KUZNETZOV_LE:
        return notACapture(`${this.name} uses the old "modified pcap" (Kuznetzov) format, which is not supported`);
      default: {
        const bytes = Array.from(first.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
        return notACapture(
          gzip
            ? `${this.name} is gzip-compressed, but what it holds is not a pcap or pcapng capture (starts with ${bytes})`
            : `${this.name} is not a pcap or pcapng capture file (starts with ${bytes})`,
        );
      }
    }
  }

  /** The read stream failed: a gzip problem, or a read error. */
  private streamFailure(e: unknown, gzip: boolean, total: number, parseError: CaptureError | null): CaptureError {
    const code = (e as { code?: string } | null)?.code ?? '';
    if (gzip && code.startsWith('Z_')) {
      const truncated = code === 'Z_BUF_ERROR';
      const what = truncated ? 'the gzip-compressed data ends early' : `the gzip-compressed data is damaged (${reason(e)})`;
      if (parseError) {
        // The parser's verdict says which record is cut off; add why.
        return { ...parseError, message: `${parseError.message} (${what})` };
      }
      return {
        kind: truncated ? 'truncated' : 'corrupt',
        offset: total,
        message: `${this.name}: ${what}, after ${total} bytes of capture data`,
      };
    }
    return ioError(`cannot read ${this.name}: ${reason(e)}`);
  }
}

// -------------------------------------------------------------------------------------------------
// Sinks

/** Wraps an exception thrown by the caller's sink so the read loop can tell it from a read error. */
class SinkError extends Error {
  constructor(readonly thrown: unknown) {
    super('sink callback threw');
  }
}

/**
 * Stands between the parsers and the caller's sink: counts delivered records, drops those that
 * arrive after `cancel()` (the rest of the current slice), and turns exceptions thrown by the
 * caller's callbacks into `SinkError`s.
 */
class SinkGuard implements CaptureSink {
  delivered = 0;
  cancelled = false;
  constructor(private readonly sink: CaptureSink) {}

  onInfo(info: CaptureInfo): void {
    if (this.cancelled || !this.sink.onInfo) return;
    try {
      this.sink.onInfo(info);
    } catch (e) {
      throw new SinkError(e);
    }
  }

  onRecord(rec: CaptureRecord): void {
    if (this.cancelled) return;
    this.delivered++;
    try {
      this.sink.onRecord(rec);
    } catch (e) {
      throw new SinkError(e);
    }
  }
}

// -------------------------------------------------------------------------------------------------
// pcapng

class PcapngFeeder implements Feeder {
  private readonly parser: PcapngParser;
  constructor(sink: CaptureSink) {
    this.parser = new PcapngParser(sink);
  }
  push(chunk: Buffer): boolean {
    return this.parser.push(chunk);
  }
  end(): CaptureError | null {
    return this.parser.end();
  }
  get info(): CaptureInfo | null {
    return this.parser.info;
  }
}

// -------------------------------------------------------------------------------------------------
// Classic pcap, through pcap-parser

/** The parts of pcap-parser 0.2.1 we use (lib/pcap-parser.js; it ships no type definitions). */
interface PcapGlobalHeader {
  magicNumber: number;
  majorVersion: number;
  minorVersion: number;
  gmtOffset: number;
  timestampAccuracy: number;
  snapshotLength: number;
  linkLayerType: number;
}
interface PcapPacketHeader {
  timestampSeconds: number;
  /** Microseconds, or nanoseconds in a nanosecond file (see the magic rewrite). */
  timestampMicroseconds: number;
  capturedLength: number;
  originalLength: number;
}
interface PcapParserInstance extends EventEmitter {
  on(event: 'globalHeader', cb: (h: PcapGlobalHeader) => void): this;
  on(event: 'packetHeader', cb: (h: PcapPacketHeader) => void): this;
  on(event: 'packetData', cb: (data: Buffer) => void): this;
  on(event: 'error', cb: (err: Error) => void): this;
  on(event: 'end', cb: () => void): this;
}
interface PcapParserModule {
  parse(input: string | NodeJS.ReadableStream | EventEmitter): PcapParserInstance;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pcapParser: PcapParserModule = require('pcap-parser');

/**
 * The "stream" pcap-parser reads from. It only needs `on`, `pause` and `resume`; we emit 'data'
 * ourselves, synchronously, so we know exactly which bytes it has seen when `push` returns.
 */
class FeedStream extends EventEmitter {
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
}

const LINKTYPE_DBUS = 231;
const LINKTYPE_USBPCAP = 249;
const LINKTYPE_EBHSCR = 279;
/** libpcap's MAXIMUM_SNAPLEN. */
const MAXIMUM_SNAPLEN = 262144;

/** libpcap's max_snaplen_for_dlt(): the largest captured length that is not considered damage. */
function maxSnaplenForLinkType(linkType: number): number {
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

const PCAP_FILE_HEADER = 24;
const PCAP_RECORD_HEADER = 16;

class PcapFeeder implements Feeder {
  private readonly stream = new FeedStream();
  private readonly parser: PcapParserInstance;
  private readonly nano: boolean;
  private readonly le: boolean;
  private readonly rec: CaptureRecord;

  private _info: CaptureInfo | null = null;
  private _packets = 0;
  private error: CaptureError | null = null;
  private stopped = false;
  private ended = false;
  private first = true;

  /** Bytes handed to pcap-parser so far. */
  private fed = 0;
  /** File offset of the next record (header) not yet delivered. */
  private next = PCAP_FILE_HEADER;
  /** Caplen claimed by the header of the record at `next`, once pcap-parser has parsed it (else -1). */
  private pendingCaplen = -1;
  private pendingSec = 0;
  private pendingSub = 0;
  private pendingOrig = 0;

  // From the file header
  private linkType = 0;
  /** libpcap's adjusted snapshot length: longer records are cut to it. */
  private snapshot = MAXIMUM_SNAPLEN;
  private maxCaplen = MAXIMUM_SNAPLEN;

  constructor(
    private readonly sink: CaptureSink,
    first: Buffer,
  ) {
    const magic = first.readUInt32BE(0);
    this.nano = magic === PCAP_NS_BE || magic === PCAP_NS_LE;
    this.le = magic === PCAP_US_LE || magic === PCAP_NS_LE;
    this.rec = {
      index: 0,
      data: new Uint8Array(0),
      origLen: 0,
      tsSec: 0,
      tsNsec: 0,
      tsPrecision: this.nano ? 9 : 6,
      linkType: 0,
      interfaceId: 0,
      fileOffset: 0,
      fileLength: 0,
      comments: undefined,
      epbFlags: undefined,
      blockType: 'pcap',
    };
    this.parser = pcapParser.parse(this.stream);
    this.parser.on('globalHeader', (h) => this.onGlobalHeader(h));
    this.parser.on('packetHeader', (h) => this.onPacketHeader(h));
    this.parser.on('packetData', (d) => this.onPacketData(d));
    this.parser.on('error', (err) => this.fail('corrupt', 0, `not a readable pcap file: ${err.message}`));
  }

  get info(): CaptureInfo | null {
    return this._info;
  }

  push(chunk: Buffer): boolean {
    if (this.stopped || this.ended) return false;
    if (this.first) {
      this.first = false;
      // Our own checks on the file header, before pcap-parser sees it (chunk has >= 4 bytes; the
      // version is checked in onGlobalHeader once pcap-parser has 24 bytes).
      if (this.nano) {
        // pcap-parser only knows the µs magic: give it the µs magic of the same byte order.
        // (We own this buffer: it was freshly read from the file.)
        chunk.writeUInt32BE(this.le ? PCAP_US_LE : PCAP_US_BE, 0);
      }
    }
    this.fed += chunk.length;
    feedQuietly(this.stream, chunk);
    return !this.stopped;
  }

  end(): CaptureError | null {
    if (this.ended) return this.error;
    this.ended = true;
    if (this.stopped) return this.error;
    if (this.fed < PCAP_FILE_HEADER) {
      this.fail('truncated', 0, `the file ends inside the 24-byte pcap file header (it has only ${this.fed} bytes)`);
    } else if (this.fed > this.next) {
      // pcap-parser silently keeps a record that the end of the file cut off: report it.
      const have = this.fed - this.next;
      const n = this._packets + 1;
      if (this.pendingCaplen < 0 || have < PCAP_RECORD_HEADER) {
        this.fail(
          'truncated',
          this.next,
          `the file ends ${have} byte${have === 1 ? '' : 's'} into the 16-byte header of record ${n} at byte ${this.next}`,
        );
      } else {
        const got = have - PCAP_RECORD_HEADER;
        this.fail(
          'truncated',
          this.next,
          `record ${n} at byte ${this.next} claims ${this.pendingCaplen} captured bytes, but the file ends after ${got} of them`,
        );
      }
    }
    return this.error;
  }

  private onGlobalHeader(h: PcapGlobalHeader): void {
    if (this.stopped) return;
    if (h.majorVersion !== 2) {
      this.fail('corrupt', 4, `the pcap file header has version ${h.majorVersion}.${h.minorVersion}; only version 2.x is supported`);
      return;
    }
    // The upper bits of the link-type field carry FCS information (LT_FCS_DATABITS): LT_LINKTYPE().
    this.linkType = h.linkLayerType & 0x03ffffff;
    const snaplen = h.snapshotLength >>> 0;
    this.maxCaplen = maxSnaplenForLinkType(this.linkType);
    // libpcap's pcap_adjust_snapshot(): 0 or absurd values mean "the maximum for the link type".
    this.snapshot = snaplen === 0 || snaplen > this.maxCaplen ? this.maxCaplen : snaplen;
    const tsUnitsPerSec = this.nano ? 1e9 : 1e6;
    this._info = {
      format: 'pcap',
      byteOrder: this.le ? 'LE' : 'BE',
      tsPrecision: this.nano ? 9 : 6,
      linkType: this.linkType,
      snaplen,
      interfaces: [{ id: 0, section: 0, linkType: this.linkType, snaplen, tsUnitsPerSec, tsOffset: 0 }],
      names: [],
    };
    this.rec.linkType = this.linkType;
    if (this.sink.onInfo) this.sink.onInfo(this._info);
  }

  private onPacketHeader(h: PcapPacketHeader): void {
    if (this.stopped) return;
    const caplen = h.capturedLength;
    if (caplen > this.maxCaplen) {
      // Stop here: otherwise pcap-parser would buffer up to `caplen` bytes of what follows.
      this.fail(
        'corrupt',
        this.next,
        `record ${this._packets + 1} at byte ${this.next} claims ${caplen} captured bytes, more than the maximum of ${this.maxCaplen}`,
      );
      return;
    }
    this.pendingCaplen = caplen;
    this.pendingSec = h.timestampSeconds;
    this.pendingSub = h.timestampMicroseconds;
    this.pendingOrig = h.originalLength;
  }

  private onPacketData(data: Buffer): void {
    if (this.stopped) return;
    const rec = this.rec;
    const caplen = this.pendingCaplen;
    rec.index = this._packets++;
    // Like libpcap, hand on at most the snapshot length.
    rec.data = caplen > this.snapshot ? data.subarray(0, this.snapshot) : data;
    rec.origLen = this.pendingOrig;
    rec.tsSec = this.pendingSec;
    rec.tsNsec = this.nano ? this.pendingSub : this.pendingSub * 1000;
    rec.fileOffset = this.next;
    rec.fileLength = PCAP_RECORD_HEADER + caplen;
    this.next += PCAP_RECORD_HEADER + caplen;
    this.pendingCaplen = -1;
    this.sink.onRecord(rec);
  }

  private fail(kind: CaptureError['kind'], offset: number, message: string): void {
    this.stopped = true;
    if (!this.error) this.error = { kind, offset, message };
  }
}

// -------------------------------------------------------------------------------------------------
// DEP0005

type EmitWarning = typeof process.emitWarning;
let savedEmitWarning: EmitWarning | null = null;

/** process.emitWarning, minus the "Buffer() is deprecated" warning (DEP0005). */
function emitWarningButDep0005(this: unknown, warning: string | Error, ...rest: unknown[]): void {
  const opt = rest[0];
  const code = typeof opt === 'object' && opt !== null ? (opt as { code?: unknown }).code : rest[1];
  if (code === 'DEP0005') return;
  (savedEmitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
}

/** Hand a chunk to pcap-parser with DEP0005 silenced for the duration of the call. */
function feedQuietly(stream: FeedStream, chunk: Buffer): void {
  const original = process.emitWarning;
  savedEmitWarning = original;
  process.emitWarning = emitWarningButDep0005 as EmitWarning;
  try {
    stream.emit('data', chunk);
  } finally {
    process.emitWarning = original;
    savedEmitWarning = null;
  }
}

// -------------------------------------------------------------------------------------------------
// Errors

function ioError(message: string): CaptureError {
  return { kind: 'io', offset: 0, message };
}

function notACapture(message: string): CaptureError {
  return { kind: 'not-a-capture', offset: 0, message };
}

/** A short, lower-case reason for a Node error ("no such file", "permission denied", ...). */
function reason(e: unknown): string {
  const err = e as { code?: string; message?: string } | null;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    default:
      return err?.message ? String(err.message).split('\n')[0] : String(e);
  }
}
