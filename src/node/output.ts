import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import * as tty from 'node:tty';

/**
 * Buffers text and writes it to a stream in large chunks, telling the producer to pause when
 * the stream is full, so memory stays flat however long the output is.
 */
export class BufferedOutput {
  private buf = '';
  private isBlocked = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly stream: Writable, private readonly chunk = 1 << 16, private readonly onPause?: () => void, private readonly onResume?: () => void) {
    stream.on('drain', () => {
      this.isBlocked = false;
      this.onResume?.();
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
  }

  /** True while the stream is full (after a write it refused): a producer that is not paused should wait for room(). */
  get blocked(): boolean {
    return this.isBlocked;
  }

  /** Resolves at once when the stream takes more, else once it has drained. */
  async room(): Promise<void> {
    if (this.isBlocked) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  write(text: string): void {
    this.buf += text;
    if (this.buf.length >= this.chunk) this.flush();
  }

  /** Bytes ready to go (the printer's LineBytes chunks): written at once, after any text still buffered. */
  writeBytes(bytes: Uint8Array): void {
    this.flush();
    if (!this.stream.write(bytes) && !this.isBlocked) {
      this.isBlocked = true;
      this.onPause?.();
    }
  }

  flush(): void {
    if (!this.buf) return;
    const ok = this.stream.write(this.buf);
    this.buf = '';
    if (!ok && !this.isBlocked) {
      this.isBlocked = true;
      this.onPause?.();
    }
  }

  /** Flush what is left and wait until the stream has taken it. */
  async end(): Promise<void> {
    this.flush();
    if (this.isBlocked) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/**
 * True when `fd` is a regular file or a character device that is not a terminal (/dev/null): a write
 * to it with fs.writeSync blocks until done, so a buffer can be written and reused at once. Not for
 * pipes, sockets or terminals: node makes a pipe's descriptor non-blocking (a full pipe gives EAGAIN),
 * so those go through the stream (BufferedOutput), which waits for 'drain'.
 */
export function writesSynchronously(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    return st.isFile() || (st.isCharacterDevice() && !tty.isatty(fd));
  } catch {
    return false;
  }
}

/** Writes bytes[0, n) to `fd` (for which writesSynchronously is true) before returning; a write may take part. */
export function writeAllSync(fd: number, bytes: Uint8Array, n: number): void {
  for (let off = 0; off < n; ) off += fs.writeSync(fd, bytes, off, n - off);
}
