/**
 * FrameReader: synchronous positional reads of frames for filters that decode (FilterColumns.frameInto).
 * The filter evaluator is synchronous, so this uses the input's synchronous positional reads (a
 * descriptor for a file: ./fileInput.ts; a copy from memory: ./bytesInput.ts), opened lazily. Views
 * are evaluated in file order, so one read fills a 1 MiB window that serves the next few thousand
 * frames (~1,000 of 1,000 bytes: one read instead of a thousand). Part of CaptureIndex.
 */
import type { PositionalReader } from './input';

/** Read-ahead window: 1 MiB (a frame larger than this gets its own buffer, up to its caplen). */
const WINDOW = 1024 * 1024;

export class FrameReader {
  private reader: PositionalReader | null = null;
  private buf = new Uint8Array(WINDOW);
  /** File offset of buf[0] and bytes valid in buf. */
  private bufOff = 0;
  private bufLen = 0;

  /** @param open a reader of the capture (asked once indexing has begun: a gzip capture is decompressed by then) */
  constructor(private readonly open: () => PositionalReader) {}

  /**
   * The `len` bytes at `off`, a view into a reused buffer (valid until the next call); null when the
   * file cannot be read or is shorter.
   */
  read(off: number, len: number): Uint8Array | null {
    this.reader ??= this.open();
    if (off >= this.bufOff && off + len <= this.bufOff + this.bufLen) return this.buf.subarray(off - this.bufOff, off - this.bufOff + len);
    if (len > this.buf.length) this.buf = new Uint8Array(len);
    let got = 0;
    try {
      // fill the window from `off`: the next frames follow in the file
      const want = Math.max(len, Math.min(this.buf.length, WINDOW));
      got = this.reader.readSync(this.buf.subarray(0, want), off);
    } catch {
      got = 0;
    }
    this.bufOff = off;
    this.bufLen = got;
    if (got < len) return null;
    return this.buf.subarray(0, len);
  }

  close(): void {
    void this.reader?.close();
    this.reader = null;
    this.bufLen = 0;
  }
}
