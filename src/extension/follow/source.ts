/**
 * Where a Follow panel's chunks come from: a capture open in the capture editor (its decoding worker
 * builds and pages the stream, src/worker/follow.ts) or a tcpdump text document carrying payload
 * (-x, -xx, -X, -XX, -A; followText of src/core/follow/text.ts, in the extension host: the text is in memory
 * already). Both answer with the same pages (src/core/follow/page.ts).
 */
import { httpHeads } from '../../core/follow/heads';
import { httpViewMessages, type HttpViewMessage } from '../../core/follow/httpView';
import { followMeta, followPage, type ChunkView, type FollowMeta } from '../../core/follow/page';
import { directionBytes } from '../../core/follow/render';
import type { Inflate } from '../../core/follow/http';
import { followText, type FollowSource } from '../../core/follow/text';
import type { CaptureSession } from '../capture/session';

export interface StreamData {
  /** The stream's meta so far (null: no such stream). */
  meta(): Promise<FollowMeta | null>;
  /** `http`: HTTP mode (messages with decoded bodies on the chunks where they start). */
  page(from: number, count: number, http?: boolean): Promise<ChunkView[]>;
  /** The first chunk of packet `packet` (-1: none). */
  chunkOf(packet: number): Promise<number>;
  /** Writes one direction's bytes to the local file `path`, streamed; resolves with the bytes written. */
  save(dir: 0 | 1, path: string): Promise<number>;
  /** One direction's bytes in memory, for a target written through vscode.workspace.fs (remote, virtual, the Web). */
  bytes(dir: 0 | 1): Promise<Uint8Array>;
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
  bytes(dir: 0 | 1): Promise<Uint8Array> {
    return this.session().followBytes(this.stream, dir);
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
  /**
   * @param write writes a file (the panel passes vscode.workspace.fs.writeFile)
   * @param inflate undoes HTTP content codings (the platform's; none in a browser)
   */
  constructor(
    text: string,
    stream: number,
    private readonly write: (path: string, bytes: Uint8Array) => PromiseLike<void>,
    private readonly inflate?: Inflate,
  ) {
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
    if (http) this.http ??= httpViewMessages(s, this.src.frame, { inflate: this.inflate });
    const messages = http ? { protocol: 'HTTP', list: this.http! } : undefined;
    return followPage(s, from, count, this.src.frame, this.src.states, { heads: httpHeads, messages });
  }
  async chunkOf(packet: number): Promise<number> {
    return this.src.stream ? this.src.stream.chunkOfPacket(packet) : -1;
  }
  async save(dir: 0 | 1, path: string): Promise<number> {
    // whole, through `write` (vscode.workspace.fs, issue 17): the log is in memory already, and so are its bytes
    const out = await this.bytes(dir);
    await this.write(path, out);
    return out.length;
  }
  async bytes(dir: 0 | 1): Promise<Uint8Array> {
    const s = this.src.stream;
    const parts = s ? [...directionBytes(s, dir, this.src.frame)] : [];
    const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    let off = 0;
    for (const b of parts) {
      out.set(b, off);
      off += b.length;
    }
    return out;
  }
  close(): void {
    this.src.close();
  }
}
