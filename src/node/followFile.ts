/**
 * Following a capture file that is still being written (the capture editor's follow mode, issue
 * 16): reads what the file holds now, then, each time it is told the file grew (`grow()`: the
 * host's file watcher or poll), the bytes added since, through the pure FollowReader
 * (src/core/capture/follow.ts), which keeps a record cut by the current end waiting. `stop()`
 * (the file settled, or the capture process exited) reads the last bytes and ends the reader: a
 * record still cut is then 'truncated'. The same CaptureReading shape as readCaptureFile
 * (./captureFile.ts), so IndexRun drives both alike (pause for yielding, cancel, `done`).
 *
 * Positional reads of at most CHUNK bytes, handed on in SLICE pieces (pause takes effect within
 * one); memory does not grow with the file. A file that became shorter was replaced (a rotating
 * writer): following stops with an 'io' error saying so, what was read stays.
 *
 * `from` (the ring limit and re-following, src/worker/liveIndex.ts): read the file's head (its
 * header, up to `from.prefixEnd`: the pcap file header, or pcapng's blocks before the first packet)
 * and then the records from `from.offset` on, skipping those between; records keep their offsets in
 * the file, so positional reads find them.
 */
import * as fs from 'node:fs';

import { FollowReader } from '../core/capture/follow';
import type { CaptureSink } from '../core/capture/types';
import { errorMessage } from '../core/errors';
import type { CaptureReading, ReadSummary } from './captureFile';

const CHUNK = 512 * 1024;
const SLICE = 64 * 1024;

export interface FollowReading extends CaptureReading {
  /** The file grew (or may have): read the new bytes. Cheap to call often: passes do not overlap. */
  grow(): void;
  /** The file will not grow any more: read its last bytes, end the reader; `done` resolves. */
  stop(): void;
  /** Bytes of the file read so far. */
  readonly fed: number;
  /** The file's size at the last look. */
  readonly size: number;
}

/** Where to start reading: the file's head (`[0, prefixEnd)`) then the records from `offset` on. */
export interface FollowFrom {
  prefixEnd: number;
  offset: number;
}

export function followCaptureFile(filePath: string, sink: CaptureSink, from?: FollowFrom): FollowReading {
  return followReading(new FileFollower(filePath, sink, from));
}

/** What a follower does; `followReading` hands it out as a FollowReading (its other members stay inside). */
export interface Follower {
  pause(): void;
  resume(): void;
  cancel(): void;
  /** One reading pass up to the current end (a pass asked for while one runs runs after it). */
  pass(): Promise<void>;
  stop(): void;
  readonly fed: number;
  readonly size: number;
  readonly done: Promise<ReadSummary>;
}

/** The FollowReading of a follower (this file's FileFollower, followRing.ts's RingFollower): starts its first pass. */
export function followReading(f: Follower): FollowReading {
  void f.pass();
  return {
    pause: () => f.pause(),
    resume: () => f.resume(),
    cancel: () => f.cancel(),
    grow: () => void f.pass(),
    stop: () => f.stop(),
    get fed() {
      return f.fed;
    },
    get size() {
      return f.size;
    },
    done: f.done,
  };
}

class FileFollower implements Follower {
  readonly reader: FollowReader;
  size = 0;
  private fh: fs.promises.FileHandle | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private paused = false;
  private wake: (() => void) | null = null;
  private cancelled = false;
  private stopping = false;
  private finished = false;
  private ioError: string | null = null;
  private delivered = 0;
  /** The file offset of the next byte to read (the reader's `fed` plus the bytes skipped). */
  pos = 0;
  /** Bytes of the file read so far (the FollowReading's `fed`). */
  get fed(): number {
    return this.pos;
  }
  /** Bytes skipped between the head and `from.offset` (added to the records' offsets). */
  private skipped = 0;
  readonly done: Promise<ReadSummary>;
  private resolve!: (s: ReadSummary) => void;

  constructor(
    private readonly filePath: string,
    sink: CaptureSink,
    private readonly from?: FollowFrom,
  ) {
    this.done = new Promise((r) => (this.resolve = r));
    this.reader = new FollowReader({
      onInfo: sink.onInfo ? (i) => sink.onInfo?.(i) : undefined,
      onRecord: (rec) => {
        if (this.cancelled) return;
        this.delivered++;
        rec.fileOffset += this.skipped;
        sink.onRecord(rec);
      },
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  cancel(): void {
    this.cancelled = true;
    this.resume();
    void this.finish();
  }

  stop(): void {
    this.stopping = true;
    void this.pass();
  }

  /** One reading pass up to the file's current end (a pass asked for while one runs runs after it). */
  pass(): Promise<void> {
    if (this.finished) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.readToEnd();
        } while (this.again && !this.cancelled && !this.ioError);
      } catch (e) {
        this.ioError = `cannot read ${this.filePath}: ${errorMessage(e)}`;
      } finally {
        this.running = null;
      }
      if (this.cancelled || this.ioError || this.stopping || this.reader.state.kind === 'damaged') await this.finish();
    })();
    return this.running;
  }

  private async readToEnd(): Promise<void> {
    this.fh ??= await fs.promises.open(this.filePath, 'r');
    const st = await this.fh.stat();
    this.size = st.size;
    if (st.size < this.pos) {
      this.ioError = `${this.filePath} became shorter (${st.size} bytes after ${this.pos} were read): it was replaced; reopen it to read the new file`;
      return;
    }
    const buf = Buffer.allocUnsafe(CHUNK);
    while (!this.cancelled && this.pos < this.size) {
      const from = this.from;
      if (from && this.skipped === 0 && this.pos === from.prefixEnd && from.offset > from.prefixEnd) {
        // the head is read: go on at the first record kept
        if (this.size < from.offset) break;
        this.skipped = from.offset - from.prefixEnd;
        this.pos = from.offset;
        continue;
      }
      const end = from && this.skipped === 0 && this.pos < from.prefixEnd ? Math.min(this.size, from.prefixEnd) : this.size;
      const want = Math.min(CHUNK, end - this.pos);
      const { bytesRead } = await this.fh.read(buf, 0, want, this.pos);
      if (bytesRead === 0) break;
      this.pos += bytesRead;
      for (let off = 0; off < bytesRead; off += SLICE) {
        while (this.paused && !this.cancelled) await new Promise<void>((r) => (this.wake = r));
        if (this.cancelled) return;
        if (!this.reader.push(buf.subarray(off, Math.min(off + SLICE, bytesRead)))) return;
      }
    }
  }

  private async finish(): Promise<void> {
    if (this.finished || this.running) return;
    this.finished = true;
    const summary: ReadSummary = { info: this.reader.info, packets: this.delivered, error: null };
    if (this.cancelled) summary.cancelled = true;
    else if (this.ioError) summary.error = { kind: 'io', offset: this.pos - this.reader.pending, message: this.ioError };
    else {
      summary.error = this.reader.end();
      if (summary.error && summary.error.offset >= (this.from?.prefixEnd ?? 0)) summary.error = { ...summary.error, offset: summary.error.offset + this.skipped };
    }
    summary.info = this.reader.info;
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
    this.resolve(summary);
  }
}
