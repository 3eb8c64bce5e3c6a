/**
 * FrameReader: synchronous positional reads of frames for filters that decode (FilterColumns.frameInto).
 * The filter evaluator is synchronous, so this uses fs.readSync on a lazily opened descriptor. Views
 * are evaluated in file order, so one read fills a 1 MiB window that serves the next few thousand
 * frames (~1,000 of 1,000 bytes: one read instead of a thousand). Part of CaptureIndex.
 */
import * as fs from 'node:fs';

/** Read-ahead window: 1 MiB (a frame larger than this gets its own buffer, up to its caplen). */
const WINDOW = 1024 * 1024;

export class FrameReader {
  private fd = -1;
  private openPath = '';
  private buf = new Uint8Array(WINDOW);
  /** File offset of buf[0] and bytes valid in buf. */
  private bufOff = 0;
  private bufLen = 0;

  /** @param readPath the file to read (it changes once, when a gzip capture has been decompressed to a copy) */
  constructor(private readonly readPath: () => string) {}

  /**
   * The `len` bytes at `off`, a view into a reused buffer (valid until the next call); null when the
   * file cannot be read or is shorter.
   */
  read(off: number, len: number): Uint8Array | null {
    const p = this.readPath();
    if (this.fd < 0 || p !== this.openPath) {
      this.close();
      try {
        this.fd = fs.openSync(p, 'r');
      } catch {
        return null;
      }
      this.openPath = p;
    }
    if (off >= this.bufOff && off + len <= this.bufOff + this.bufLen) return this.buf.subarray(off - this.bufOff, off - this.bufOff + len);
    if (len > this.buf.length) this.buf = new Uint8Array(len);
    let got = 0;
    try {
      // fill the window from `off`: the next frames follow in the file
      const want = Math.max(len, Math.min(this.buf.length, WINDOW));
      while (got < want) {
        const r = fs.readSync(this.fd, this.buf, got, want - got, off + got);
        if (r <= 0) break;
        got += r;
      }
    } catch {
      got = 0;
    }
    this.bufOff = off;
    this.bufLen = got;
    if (got < len) return null;
    return this.buf.subarray(0, len);
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed: nothing to release
      }
    }
    this.fd = -1;
    this.openPath = '';
    this.bufLen = 0;
  }
}
