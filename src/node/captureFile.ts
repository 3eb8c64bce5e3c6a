/**
 * Node-side entry point for reading a capture file: used by the CLI, the tests and the worker.
 *
 *     const reading = readCaptureFile('x.pcap', { onInfo(info) {...}, onRecord(rec) {...} });
 *     // reading.pause() / reading.resume() for backpressure (e.g. while stdout is full)
 *     const { info, packets, error } = await reading.done;   // never rejects
 *
 * - The format is detected from the magic number, not the file name:
 *     pcapng (0a 0d 0d 0a)           → our own streaming `PcapngParser`;
 *     classic pcap, µs or ns, LE/BE  → our own streaming `PcapParser` (src/core/capture/pcap.ts);
 *     gzip (1f 8b)                   → decompressed on the fly with node:zlib, then detected again;
 *                                      bounded by size and ratio (src/node/gzipLimits.ts): 'limit' error.
 * - The file is streamed in chunks (1 MiB by default): memory does not grow with the file size.
 * - Records are delivered synchronously from the read loop. The record object (and its `data` view)
 *   is only valid during the `onRecord` call: copy what you keep.
 * - `fileOffset`s of a gzip-compressed capture are offsets in the decompressed data.
 */

import * as fs from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';

import { captureFeeder, tooShort, type CaptureFeeder } from '../core/capture/detect';
import type { CaptureError, CaptureInfo, CaptureRecord, CaptureSink } from '../core/capture/types';
import { gzipAllowance, gzipLimitMessage, gzipLimits, type GzipLimits } from './gzipLimits';
import { errorMessage } from '../core/errors';
import { plainBytes } from '../core/bytes';

export interface ReadOptions {
  /** Bytes read from the file at a time (default 1 MiB). */
  chunkSize?: number;
  /** How far a gzip-compressed file is decompressed (default GZIP_LIMITS, src/node/gzipLimits.ts; tests lower them). */
  gzipLimits?: Partial<GzipLimits>;
  /**
   * Read a regular, uncompressed file with synchronous reads into ONE buffer, reused for every chunk,
   * instead of a read stream that allocates a new chunk for each read. For a process that has nothing
   * else to do meanwhile (the CLI's `print`): it blocks the event loop for each read (1 MiB from the page
   * cache: ~0.1 ms), and records' `data` views are overwritten by the next read, so a sink must not keep
   * them past `onRecord` (which the contract above forbids anyway). On the real replayed capture of the
   * bench (.bench/corpus-200000.pcap, 77 MB) reading alone took 74 ms over node's start-up with the
   * stream and 33 ms so (page faults and scavenges of 77 fresh 1 MiB buffers, a thread-pool round trip
   * per read). gzip files, pipes and devices are read by the stream whatever this says.
   */
  syncReads?: boolean;
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

type Feeder = CaptureFeeder;

class CaptureFileReader {
  private paused = false;
  private cancelled = false;
  private wake: (() => void) | null = null;
  private readonly name: string;
  private readonly chunkSize: number;
  private readonly sink: SinkGuard;
  private readonly gzipLimits: GzipLimits;
  private readonly syncReads: boolean;

  constructor(
    private readonly filePath: string,
    sink: CaptureSink,
    opts: ReadOptions,
  ) {
    this.gzipLimits = gzipLimits(opts.gzipLimits);
    this.name = filePath;
    this.sink = new SinkGuard(sink);
    this.chunkSize = Math.max(1, Math.floor(opts.chunkSize ?? DEFAULT_CHUNK));
    this.syncReads = opts.syncReads === true;
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
      summary.error = ioError(`cannot open ${this.name}: ${errorMessage(e)}`);
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

      let pieces: AsyncIterable<Buffer>;
      if (this.syncReads && !gzip && st.isFile()) pieces = syncChunks(fh.fd, this.chunkSize);
      else {
        const raw = fh.createReadStream({ start: 0, highWaterMark: this.chunkSize, autoClose: false });
        stream = gzip ? pipeline(raw, zlib.createGunzip({ chunkSize: Math.max(this.chunkSize, 64 * 1024) }), () => {}) : raw;
        pieces = stream as AsyncIterable<Buffer>;
      }

      let pending: Buffer | null = null; // first bytes, until we have enough to recognise the format
      let total = 0; // bytes (decompressed) seen so far
      let streamError: unknown = null;
      // a gzip file is decompressed up to this many bytes (a bomb must not run on, issue 11)
      const allowance = gzip ? gzipAllowance(st.size, this.gzipLimits) : Infinity;
      let limited: CaptureError | null = null;

      try {
        outer: for await (const whole of pieces) {
          let piece = whole;
          if (total + piece.length > allowance) {
            piece = piece.subarray(0, allowance - total);
            limited = { kind: 'limit', offset: allowance, message: gzipLimitMessage(this.name, st.size, allowance, this.gzipLimits) };
          }
          total += piece.length;
          // a plain Uint8Array view: its 64 KiB slices are made by the typed array's own subarray, not Buffer's
          // (a JS function building a FastBuffer), and the parsers' plainBytes() has nothing left to do
          let chunk: Uint8Array = plainBytes(piece);
          if (!feeder) {
            pending = pending ? Buffer.concat([pending, piece]) : piece;
            if (pending.length < 4) {
              // kept across a read: a copy, the next synchronous read reuses the buffer (syncReads)
              pending = Buffer.from(pending);
              continue;
            }
            chunk = plainBytes(pending);
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
          if (limited) break;
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
          else summary.error = tooShort(this.name, got);
        } else {
          const parseError = feeder.end();
          // at the limit, a record cut by it is not damage: say why reading stopped
          summary.error = limited && (!parseError || parseError.kind === 'truncated') ? limited : streamError ? this.streamFailure(streamError, gzip, total, parseError) : parseError;
        }
      }
    } catch (e) {
      if (e instanceof SinkError) {
        summary.error = ioError(`reading ${this.name} stopped: the record handler threw: ${errorMessage(e.thrown)}`);
        summary.thrown = e.thrown;
      } else {
        summary.error = ioError(`cannot read ${this.name}: ${errorMessage(e)}`);
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
  private makeFeeder(first: Uint8Array, gzip: boolean): Feeder | CaptureError {
    return captureFeeder(first, this.sink, this.name, gzip);
  }

  /** The read stream failed: a gzip problem, or a read error. */
  private streamFailure(e: unknown, gzip: boolean, total: number, parseError: CaptureError | null): CaptureError {
    const code = (e as { code?: string } | null)?.code ?? '';
    if (gzip && code.startsWith('Z_')) {
      const truncated = code === 'Z_BUF_ERROR';
      const what = truncated ? 'the gzip-compressed data ends early' : `the gzip-compressed data is damaged (${errorMessage(e)})`;
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
    return ioError(`cannot read ${this.name}: ${errorMessage(e)}`);
  }
}

/**
 * The file's bytes from its start, read synchronously into one buffer of `size` bytes that every chunk
 * reuses (ReadOptions.syncReads): each chunk is valid until the next is asked for.
 */
async function* syncChunks(fd: number, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  for (let pos = 0; ; ) {
    const n = fs.readSync(fd, buf, 0, size, pos);
    if (n === 0) return;
    pos += n;
    yield n === size ? buf : buf.subarray(0, n);
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
// Errors

function ioError(message: string): CaptureError {
  return { kind: 'io', offset: 0, message };
}
