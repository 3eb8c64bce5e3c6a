/**
 * A capture file on disk as an IndexInput (./input.ts): the desktop extension host's decoding
 * worker and the tests. The file is never read whole: one streaming pass (src/node/captureFile.ts,
 * or the decode-ahead thread of ./decodeAhead.ts for files of DECODE_AHEAD_MIN and more, or
 * src/node/followFile.ts for a file still being written) and positional reads of single frames.
 * This is why file: URIs keep their own path instead of vscode.workspace.fs, which has no partial
 * reads: a 10 GB capture opens here with about 30 bytes of memory a packet (see captureIndex.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import type { CaptureError } from '../core/capture/types';
import { errorMessage } from '../core/errors';
import type { Translate } from '../core/explain/l10n';
import { readCaptureFile } from '../node/captureFile';
import { followCaptureFile } from '../node/followFile';
import { gzipAllowance, gzipLimitMessage, gzipLimits, type GzipLimits } from '../node/gzipLimits';
import { zhCn } from '../node/l10n';
import { readDecodedAhead } from './decodeAhead';
import type { IndexInput, InputSink, PositionalReader, PreparedInput, ReadRequest } from './input';

/**
 * Files from this size on are decoded in a second thread (decode-ahead). Below it, starting a
 * thread (about 40 ms: it loads the worker's bundle again) costs more than it saves: a 64 MiB
 * capture indexes in about 0.5 s on one thread.
 */
export const DECODE_AHEAD_MIN = 64 * 1024 * 1024;

/** The producer script beside this module (tests run the compiled modules from out/), or undefined. */
function defaultAheadScript(): string | undefined {
  const p = path.join(__dirname, 'decodeAhead.js');
  return fs.existsSync(p) ? p : undefined;
}

/** A file on disk, by path. */
export function fileInput(filePath: string): IndexInput {
  return new FileInput(filePath);
}

class FileInput implements IndexInput {
  /** Path actually read (a decompressed temporary copy for gzip files). */
  private readPath: string;
  private readonly temps: string[] = [];
  private totalBytes = 0;

  constructor(readonly name: string) {
    this.readPath = name;
  }

  async prepare(limitsOver: Partial<GzipLimits> | undefined, signal: AbortSignal, cancelled: () => boolean): Promise<PreparedInput> {
    const out: PreparedInput = { totalBytes: 0, gzipError: null, gzipLimit: null };
    try {
      const st = await fs.promises.stat(this.name);
      out.totalBytes = st.size;
      if (!st.isDirectory() && (await this.isGzip())) {
        // fileOffsets of a gzip capture are offsets in the decompressed data, which cannot be read
        // by position: decompress it (streaming) to a temporary file once, then index that.
        const tmp = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'capture-lens-')), 'capture');
        this.temps.push(tmp);
        try {
          out.gzipLimit = await this.gunzip(tmp, st.size, gzipLimits(limitsOver), signal, cancelled);
        } catch (e) {
          if (cancelled()) return out;
          const code = (e as { code?: string } | null)?.code ?? '';
          out.gzipError = code === 'Z_BUF_ERROR' ? 'the gzip-compressed data ends early' : `the gzip-compressed data is damaged (${errorMessage(e)})`;
        }
        if (cancelled()) return out;
        this.readPath = tmp;
        out.totalBytes = (await fs.promises.stat(tmp)).size;
      }
    } catch {
      // a missing or unreadable file: readCaptureFile says so in its own words
    }
    this.totalBytes = out.totalBytes;
    return out;
  }

  read(sink: InputSink, req: ReadRequest): ReturnType<IndexInput['read']> {
    if (req.follow && this.readPath === this.name) {
      // a file still being written: read in this thread as it grows (its growth is slow beside decoding)
      const f = followCaptureFile(this.readPath, { onInfo: (i) => sink.onInfo(i), onRecord: (r) => sink.onRecord(r) }, req.followFrom);
      return { reading: f, follower: f };
    }
    const script = req.decodeAheadScript ?? defaultAheadScript();
    const mode = req.decodeAhead;
    const ahead = script !== undefined && typeof SharedArrayBuffer === 'function' && (mode === 'on' || (mode === 'auto' && this.totalBytes >= DECODE_AHEAD_MIN));
    const reading = ahead
      ? readDecodedAhead(this.readPath, { onInfo: (i) => sink.onInfo(i), onFacts: (f) => sink.onFacts(f) }, { script, chunkSize: req.chunkSize })
      : readCaptureFile(this.readPath, { onInfo: (i) => sink.onInfo(i), onRecord: (r) => sink.onRecord(r) }, { chunkSize: req.chunkSize });
    return { reading };
  }

  reader(): PositionalReader {
    return new FileReader(this.readPath);
  }

  zh(): Translate {
    return zhCn();
  }

  async dispose(): Promise<void> {
    for (const t of this.temps) await fs.promises.rm(path.dirname(t), { recursive: true, force: true }).catch(() => undefined);
  }

  /**
   * Decompress the capture into `tmp`, at most the allowance of src/node/gzipLimits.ts; the 'limit'
   * error when it stopped there (what came before is in `tmp`), null when the data ended first.
   * Throws zlib's error for damaged data (what was decompressed before it is in `tmp`).
   */
  private async gunzip(tmp: string, compressed: number, limits: GzipLimits, signal: AbortSignal, cancelled: () => boolean): Promise<CaptureError | null> {
    const allowance = gzipAllowance(compressed, limits);
    const src = fs.createReadStream(this.name, { signal });
    const gz = src.pipe(zlib.createGunzip());
    src.on('error', (e) => gz.destroy(e));
    const out = await fs.promises.open(tmp, 'w');
    let total = 0;
    try {
      for await (const piece of gz as AsyncIterable<Buffer>) {
        if (cancelled()) return null;
        const room = allowance - total;
        const part = piece.length > room ? piece.subarray(0, room) : piece;
        for (let off = 0; off < part.length; ) off += (await out.write(part, off, part.length - off)).bytesWritten;
        total += part.length;
        if (piece.length > room) return { kind: 'limit', offset: allowance, message: gzipLimitMessage(this.name, compressed, allowance, limits) };
      }
      return null;
    } finally {
      gz.destroy();
      src.destroy();
      await out.close();
    }
  }

  private async isGzip(): Promise<boolean> {
    const fh = await fs.promises.open(this.name, 'r');
    try {
      const b = Buffer.alloc(2);
      const { bytesRead } = await fh.read(b, 0, 2, 0);
      return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
    } finally {
      await fh.close();
    }
  }
}

/**
 * Positional reads, opened on first use: a descriptor for the synchronous reads (filters that decode
 * frames, FrameReader) and a FileHandle for the asynchronous ones (rows, details: RowPresenter).
 */
class FileReader implements PositionalReader {
  private fd: number | null = null;
  private fh: Promise<fs.promises.FileHandle> | null = null;
  private closed = false;

  constructor(private readonly file: string) {}

  readSync(buf: Uint8Array, pos: number): number {
    if (this.closed) throw new Error('the capture is closed');
    this.fd ??= fs.openSync(this.file, 'r');
    let got = 0;
    while (got < buf.length) {
      const r = fs.readSync(this.fd, buf, got, buf.length - got, pos + got);
      if (r <= 0) break;
      got += r;
    }
    return got;
  }

  async read(buf: Uint8Array, pos: number): Promise<number> {
    if (this.closed) throw new Error('the capture is closed');
    if (!this.fh) {
      const p = fs.promises.open(this.file, 'r');
      this.fh = p;
      p.catch(() => {
        if (this.fh === p) this.fh = null;
      });
    }
    const fh = await this.fh;
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got;
  }

  async close(): Promise<void> {
    this.closed = true;
    const fd = this.fd;
    const fh = this.fh;
    this.fd = null;
    this.fh = null;
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed: nothing to release
      }
    }
    if (fh) await fh.then((h) => h.close()).catch(() => undefined);
  }
}
