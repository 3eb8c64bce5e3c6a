/**
 * Where a Follow panel's chunks come from: a capture open in the capture editor (its decoding worker
 * builds and pages the stream, src/worker/follow.ts) or a tcpdump text document carrying payload
 * (-x, -xx, -X, -XX; followText of src/node/follow.ts, in the extension host: the text is in memory
 * already). Both answer with the same pages (src/core/follow/page.ts).
 */
import * as fs from 'node:fs';
import { httpHeads } from '../../core/follow/heads';
import { httpViewMessages, type HttpViewMessage } from '../../core/follow/httpView';
import { followMeta, followPage, type ChunkView, type FollowMeta } from '../../core/follow/page';
import { directionBytes } from '../../core/follow/render';
import { followText, type FollowSource } from '../../node/follow';
import { nodeInflate } from '../../node/httpInflate';
import type { CaptureSession } from '../capture/session';

export interface StreamData {
  /** The stream's meta so far (null: no such stream). */
  meta(): Promise<FollowMeta | null>;
  /** `http`: HTTP mode (messages with decoded bodies on the chunks where they start). */
  page(from: number, count: number, http?: boolean): Promise<ChunkView[]>;
  /** The first chunk of packet `packet` (-1: none). */
  chunkOf(packet: number): Promise<number>;
  /** Writes one direction's bytes to `path`, streamed; resolves with the bytes written. */
  save(dir: 0 | 1, path: string): Promise<number>;
  close(): void;
}

/** A stream of a capture, served by its editor's worker. */
export class WorkerStreamData implements StreamData {
  constructor(
    private readonly session: () => CaptureSession,
    private readonly stream: number,
  ) {}
  meta(): Promise<FollowMeta | null> {
    return this.session().followOpen(this.stream);
  }
  async page(from: number, count: number, http = false): Promise<ChunkView[]> {
    return (await this.session().followPage(this.stream, from, count, http)).chunks;
  }
  chunkOf(packet: number): Promise<number> {
    return this.session().followChunkOf(this.stream, packet);
  }
  save(dir: 0 | 1, path: string): Promise<number> {
    return this.session().followSave(this.stream, dir, path);
  }
  close(): void {
    try {
      this.session().followClose(this.stream);
    } catch {
      // the capture is closed: its worker is gone with the stream
    }
  }
}

/** A stream of tcpdump text (bytes from its hex dumps; without them every byte is "not captured"). */
export class TextStreamData implements StreamData {
  private readonly src: FollowSource;
  /** HTTP mode's messages, made at the first HTTP page (the text is parsed whole already). */
  private http: HttpViewMessage[] | undefined;
  constructor(text: string, stream: number) {
    this.src = followText(text, stream);
  }
  async meta(): Promise<FollowMeta | null> {
    const s = this.src.stream;
    if (!s) return null;
    const m = followMeta(s, this.src.roles, true);
    if (this.src.lossy) m.lossy = true;
    return m;
  }
  async page(from: number, count: number, http = false): Promise<ChunkView[]> {
    const s = this.src.stream;
    if (!s) return [];
    if (http) this.http ??= httpViewMessages(s, this.src.frame, { inflate: nodeInflate });
    const messages = http ? { protocol: 'HTTP', list: this.http! } : undefined;
    return followPage(s, from, count, this.src.frame, this.src.states, { heads: httpHeads, messages });
  }
  async chunkOf(packet: number): Promise<number> {
    return this.src.stream ? this.src.stream.chunkOfPacket(packet) : -1;
  }
  async save(dir: 0 | 1, path: string): Promise<number> {
    const s = this.src.stream;
    const out = fs.createWriteStream(path);
    let n = 0;
    try {
      if (s) {
        for (const b of directionBytes(s, dir, this.src.frame)) {
          n += b.length;
          if (!out.write(b)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
    return n;
  }
  close(): void {
    this.src.close();
  }
}
