/**
 * A capture held whole in memory as an IndexInput (./input.ts): what the host read with
 * vscode.workspace.fs.readFile — VS Code for the Web, and remote or virtual file systems
 * (vscode-remote, vscode-vfs, memfs) on the desktop, which have no partial reads. No Node here:
 * it runs in the Web Worker of the browser bundle and in the desktop worker alike.
 *
 * The host refuses files above WHOLE_FILE_MAX_BYTES (src/core/capture/wholeFile.ts) before reading
 * them. A gzip-compressed capture is inflated with DecompressionStream (a global in browsers and in
 * Node 18+) up to the allowance of src/node/gzipLimits.ts, never further.
 */
import type { CaptureError, CaptureInfo, CaptureRecord, CaptureSink } from '../core/capture/types';
import { captureFeeder, isGzipMagic, tooShort, type CaptureFeeder } from '../core/capture/detect';
import { errorMessage } from '../core/errors';
import type { Translate } from '../core/explain/l10n';
import type { CaptureReading, ReadSummary } from '../node/captureFile';
import { gzipAllowance, gzipLimitMessage, gzipLimits, type GzipLimits } from '../node/gzipLimits';
import type { IndexInput, InputSink, PositionalReader, PreparedInput, ReadRequest } from './input';

/** Bytes handed to a parser at a time, so that pause() takes effect quickly (as src/node/captureFile.ts). */
const SLICE = 64 * 1024;

export class BytesInput implements IndexInput {
  private data: Uint8Array;

  /** @param zhT the Simplified Chinese translator (the worker builds it from l10n/bundle.l10n.zh-cn.json) */
  constructor(
    bytes: Uint8Array,
    readonly name: string,
    private readonly zhT: Translate,
  ) {
    this.data = bytes;
  }

  async prepare(limitsOver: Partial<GzipLimits> | undefined, _signal: AbortSignal, cancelled: () => boolean): Promise<PreparedInput> {
    const out: PreparedInput = { totalBytes: this.data.length, gzipError: null, gzipLimit: null };
    if (!isGzipMagic(this.data)) return out;
    const limits = gzipLimits(limitsOver);
    const r = await inflateGzip(this.data, gzipAllowance(this.data.length, limits), cancelled);
    if (r.limited) out.gzipLimit = { kind: 'limit', offset: r.bytes.length, message: gzipLimitMessage(this.name, this.data.length, r.bytes.length, limits) };
    if (r.error) out.gzipError = r.error;
    this.data = r.bytes;
    out.totalBytes = r.bytes.length;
    return out;
  }

  read(sink: InputSink, req: ReadRequest): { reading: CaptureReading } {
    return { reading: readBytes(this.data, { onInfo: (i) => sink.onInfo(i), onRecord: (r) => sink.onRecord(r) }, this.name, req.chunkSize) };
  }

  reader(): PositionalReader {
    const data = () => this.data;
    const readSync = (buf: Uint8Array, pos: number): number => {
      const d = data();
      const n = Math.max(0, Math.min(buf.length, d.length - pos));
      if (n > 0) buf.set(d.subarray(pos, pos + n));
      return n;
    };
    return { readSync, read: (buf, pos) => Promise.resolve(readSync(buf, pos)), close: () => Promise.resolve() };
  }

  zh(): Translate {
    return this.zhT;
  }

  dispose(): Promise<void> {
    this.data = new Uint8Array(0);
    return Promise.resolve();
  }
}

/**
 * Inflate gzip data with DecompressionStream, stopping at `allowance` bytes of output (`limited`);
 * damaged or cut data ends it with `error` (what came before is kept).
 */
export async function inflateGzip(gz: Uint8Array, allowance: number, cancelled: () => boolean = () => false): Promise<{ bytes: Uint8Array; limited: boolean; error: string | null }> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let limited = false;
  let error: string | null = null;
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  // the write's own promise rejects with the stream's error too: the reader reports it
  writer.write(gz as Uint8Array<ArrayBuffer>).then(() => writer.close()).catch(() => undefined);
  const reader = ds.readable.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || cancelled()) break;
      const room = allowance - total;
      if (value.length > room) {
        parts.push(value.subarray(0, room));
        total += room;
        limited = true;
        break;
      }
      parts.push(value);
      total += value.length;
    }
  } catch (e) {
    const m = errorMessage(e);
    error = /end|trunc|incomplete|unexpected/i.test(m) ? 'the gzip-compressed data ends early' : `the gzip-compressed data is damaged (${m})`;
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  return { bytes, limited, error };
}

/**
 * Feed whole bytes to the capture parsers, a slice at a time, with the reading contract of
 * src/node/captureFile.ts (pause, resume, cancel; `done` never rejects). Every `chunkSize` bytes it
 * waits one turn of the event loop, as a file read would.
 */
export function readBytes(bytes: Uint8Array, sink: CaptureSink, name: string, chunkSize = 1024 * 1024): CaptureReading {
  let paused = false;
  let cancelled = false;
  let wake: (() => void) | null = null;
  const wakeUp = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  let delivered = 0;
  const guard: CaptureSink = {
    onInfo: (i: CaptureInfo) => {
      if (!cancelled) sink.onInfo?.(i);
    },
    onRecord: (r: CaptureRecord) => {
      if (cancelled) return;
      delivered++;
      sink.onRecord(r);
    },
  };
  const run = async (): Promise<ReadSummary> => {
    const summary: ReadSummary = { info: null, packets: 0, error: null };
    // no record before the caller has the reading object (a file read starts with an await too)
    await Promise.resolve();
    if (bytes.length < 4) {
      summary.error = tooShort(name, bytes.length);
      return summary;
    }
    const made = captureFeeder(bytes, guard, name, false);
    if ('kind' in made) {
      summary.error = made;
      return summary;
    }
    const feeder: CaptureFeeder = made;
    let stopped = false;
    try {
      for (let off = 0, sinceTurn = 0; off < bytes.length && !stopped; off += SLICE, sinceTurn += SLICE) {
        if (sinceTurn >= chunkSize) {
          sinceTurn = 0;
          await new Promise<void>((r) => setTimeout(r, 0));
        }
        while (paused && !cancelled) await new Promise<void>((r) => (wake = r));
        if (cancelled) break;
        if (!feeder.push(bytes.subarray(off, Math.min(off + SLICE, bytes.length)))) stopped = true;
      }
      if (cancelled) summary.cancelled = true;
      else summary.error = feeder.end();
    } catch (e) {
      summary.error = ioError(`reading ${name} stopped: the record handler threw: ${errorMessage(e)}`);
      summary.thrown = e;
    }
    summary.info = feeder.info;
    summary.packets = delivered;
    return summary;
  };
  return {
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      wakeUp();
    },
    cancel: () => {
      cancelled = true;
      wakeUp();
    },
    done: run(),
  };
}

function ioError(message: string): CaptureError {
  return { kind: 'io', offset: 0, message };
}
