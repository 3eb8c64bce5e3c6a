/**
 * A ring of capture files (tcpdump -C/-W, "keep the last N MB") as an IndexInput (./input.ts): the
 * desktop worker (./worker.ts) and the tests. Records and positional reads use the logical offsets
 * of src/node/followRing.ts (the files one after the other, in the order tcpdump wrote them); a read
 * of a file the ring has overwritten since fails with a sentence instead of returning another
 * packet's bytes.
 */
import * as fs from 'node:fs';

import type { Translate } from '../core/explain/l10n';
import { followRing, type RingFiles } from '../node/followRing';
import { zhCn } from '../node/l10n';
import type { IndexInput, InputSink, PositionalReader, PreparedInput, ReadRequest } from './input';

export function ringInput(ring: RingFiles, name: string): IndexInput {
  return new RingInput(ring, name);
}

class RingInput implements IndexInput {
  constructor(
    private readonly ring: RingFiles,
    readonly name: string,
  ) {}

  async prepare(): Promise<PreparedInput> {
    this.ring.advance();
    const newest = this.ring.newest;
    let total = 0;
    const p = this.ring.pathOf(newest);
    if (p) total = Math.max(0, this.ring.startOf(newest)) + (await fs.promises.stat(p).then((s) => s.size, () => 0));
    return { totalBytes: total, gzipError: null, gzipLimit: null };
  }

  read(sink: InputSink, req: ReadRequest): ReturnType<IndexInput['read']> {
    const f = followRing(this.ring, { onInfo: (i) => sink.onInfo(i), onRecord: (r) => sink.onRecord(r) }, req.followFrom);
    // not followed (the capture had ended when the editor opened): read every file on disk, then end
    if (!req.follow) f.stop();
    return { reading: f, follower: req.follow ? f : undefined };
  }

  reader(): PositionalReader {
    return new RingReader(this.ring);
  }

  zh(): Translate {
    return zhCn();
  }

  async dispose(): Promise<void> {
    // nothing made
  }
}

/**
 * Positional reads across the ring's files. Synchronous underneath (frames and the 1 MiB windows of
 * ./frameReader.ts are small reads); a read runs on into the next file when it reaches its end.
 */
class RingReader implements PositionalReader {
  /** Descriptors by file path: tcpdump truncates a name in place, so a descriptor stays valid. */
  private readonly fds = new Map<string, number>();
  private closed = false;

  constructor(private readonly ring: RingFiles) {}

  readSync(buf: Uint8Array, pos: number): number {
    if (this.closed) throw new Error('the capture is closed');
    let got = 0;
    while (got < buf.length) {
      const at = pos + got;
      const seq = this.ring.seqOf(at);
      if (!this.ring.onDisk(seq)) {
        if (got > 0) break;
        throw new Error(`the ring's file holding offset ${at} was overwritten by tcpdump (-W): its packets are no longer on disk`);
      }
      const path = this.ring.pathOf(seq) as string;
      let fd = this.fds.get(path);
      if (fd === undefined) {
        fd = fs.openSync(path, 'r');
        this.fds.set(path, fd);
      }
      const start = this.ring.startOf(seq);
      const end = this.ring.endOf(seq);
      const want = end >= 0 ? Math.min(buf.length - got, end - at) : buf.length - got;
      const r = want > 0 ? fs.readSync(fd, buf, got, want, at - start) : 0;
      got += r;
      if (r < want || end < 0) break; // the file's current end (still being written)
    }
    return got;
  }

  async read(buf: Uint8Array, pos: number): Promise<number> {
    return this.readSync(buf, pos);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const fd of this.fds.values()) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
    this.fds.clear();
  }
}
