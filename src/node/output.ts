import { Writable } from 'node:stream';

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
