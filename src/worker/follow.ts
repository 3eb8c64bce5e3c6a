/**
 * Follow TCP Stream in the decoding worker: one stream's chunks built in the background, served by
 * pages (requests in ./followMessages.ts). Once indexing is over, the stream's packets are re-read by
 * position in batches (CaptureIndex.visitRecords), decoded and replayed through a fresh TcpEngine —
 * its relative seq/ack are the index's (see ./flowPackets.ts for why) — into a FollowReassembler.
 * A page of chunks is answered as soon as the chunks are built (a chunk, once pushed, never changes
 * place), so a 1 GB stream shows its first page after the first batch, and the rest fills in.
 *
 * Memory: the stream's 29 bytes a chunk (no payload: bytes are read back by position for each page,
 * src/core/follow/stream.ts) and the frames of one batch; at most MAX_STREAMS streams kept.
 * "Save" writes a direction's bytes chunk by chunk through a 1 MiB buffer: never the whole stream.
 */
import { decodeRecord, DecodedPacket } from '../core/decode/index';
import type { FrameRef } from '../core/filter/eval';
import { httpHeads } from '../core/follow/heads';
import { httpViewMessages, type HttpViewMessage } from '../core/follow/httpView';
import { followMeta, followPage, type ChunkView, type FollowMeta } from '../core/follow/page';
import { payloadOf, type PayloadRef } from '../core/follow/payload';
import { FollowReassembler } from '../core/follow/reassembler';
import type { StatesAccessor } from '../core/follow/render';
import { K_DATA, K_OUT_OF_ORDER, type FollowStream, type FrameAccessor } from '../core/follow/stream';
import { TcpEngine } from '../core/tcp/engine';
import { scratchSegment, segmentFromPacket } from '../core/tcp/fromPacket';
import { emptyResult, TCP_STATES } from '../core/tcp/types';
import type { Inflate } from '../core/follow/http';
import type { CaptureIndex } from './captureIndex';

/**
 * Opens a local file for writing (Save): the Node worker passes fs.promises.open(path, 'w'); a
 * browser's worker has none (issue 17), and Save then fails with a sentence.
 */
export type SaveFile = (path: string) => Promise<{ write(buf: Uint8Array, off: number, len: number): Promise<{ bytesWritten: number }>; close(): Promise<void> }>;

/** Packets re-read per batch (as flowPackets): bounded memory for the frames read at once. */
const BATCH = 2048;
/** Streams kept at once (one per open Follow panel in practice). */
const MAX_STREAMS = 4;
/** Bytes gathered before a write when saving. */
const SAVE_BUFFER = 1 << 20;

class Built {
  readonly follow: FollowReassembler;
  stream: FollowStream | undefined;
  finished = false;
  /** Forgotten (closed, or evicted by a newer stream): the build stops at its next batch. */
  stopped = false;
  failed: unknown = undefined;
  /** HTTP mode: the stream's messages with decoded bodies, made once the stream is complete (httpView.ts bounds them). */
  http: HttpViewMessage[] | undefined;
  private waiters: { need: number; resolve(): void }[] = [];
  readonly whenDone: Promise<void>;

  constructor(
    readonly n: number,
    private readonly idx: CaptureIndex,
  ) {
    this.follow = new FollowReassembler({ streams: [n] });
    this.whenDone = this.build().catch((e: unknown) => {
      this.failed = e;
    }).finally(() => {
      this.finished = true;
      this.wake();
    });
  }

  get count(): number {
    return this.stream?.chunkCount ?? 0;
  }

  /** Resolves once `need` chunks exist or the stream is complete. */
  until(need: number): Promise<void> {
    if (this.finished || this.count >= need) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ need, resolve }));
  }

  private wake(): void {
    const keep: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.finished || this.count >= w.need) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
  }

  private async build(): Promise<void> {
    const idx = this.idx;
    await idx.indexed;
    const pkt = new DecodedPacket();
    const scratch = scratchSegment();
    const replay = new TcpEngine({ keepSeqAck: false });
    const pl: PayloadRef = { off: 0, capLen: 0, tapped: false };
    let replayed = 0;
    let batch: number[] = [];
    const flush = async (): Promise<void> => {
      const list = batch;
      batch = [];
      await idx.visitRecords(list, (rec, r) => {
        if (r === null) return;
        const seg = segmentFromPacket(decodeRecord(pkt, rec), rec, scratch);
        if (seg === null) return;
        seg.index = replayed++;
        const res = replay.add(seg);
        // the replay sees this stream alone and numbers it 0: the reassembler follows the index's number
        res.stream = this.n;
        seg.index = rec.index;
        this.follow.add(seg, res, payloadOf(pkt, pl));
      });
      this.stream ??= this.follow.stream(this.n);
      this.wake();
      // let page requests in between batches
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    const total = idx.count;
    for (let i = 0; i < total && !this.stopped; i++) {
      if (idx.stream(i) !== this.n) continue;
      batch.push(i);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    this.follow.finish();
    this.stream ??= this.follow.stream(this.n);
  }
}

export class FollowService {
  private readonly built = new Map<number, Built>();
  private readonly res = emptyResult();
  private readonly ref: FrameRef = { data: new Uint8Array(0), origLen: 0, linkType: 1 };

  constructor(
    private readonly idx: CaptureIndex,
    private readonly saveFile?: SaveFile,
    /** Undoes HTTP content codings (the host's; none in a browser). */
    private readonly inflate?: Inflate,
  ) {}

  private get(n: number): Built {
    let b = this.built.get(n);
    if (!b) {
      if (this.built.size >= MAX_STREAMS) this.close(this.built.keys().next().value as number);
      b = new Built(n, this.idx);
      this.built.set(n, b);
    }
    return b;
  }

  private meta(b: Built): FollowMeta | null {
    if (b.failed !== undefined) throw b.failed;
    return b.stream ? followMeta(b.stream, undefined, b.finished) : null;
  }

  /** Starts following stream n; resolves with its meta once the first chunks are built (null: no such stream). */
  async open(n: number): Promise<FollowMeta | null> {
    const b = this.get(n);
    await b.until(1);
    return this.meta(b);
  }

  /**
   * Chunks [from, from + count) once they are built (fewer at the end). `http`: the HTTP mode — a message's
   * head, packets, problems and decoded body on the chunk where it starts; it waits for the whole stream
   * (a message is framed by what follows it), then the messages are made once and kept for the next pages.
   */
  async page(n: number, from: number, count: number, http = false): Promise<{ meta: FollowMeta; chunks: ChunkView[] }> {
    const b = this.get(n);
    await (http ? b.whenDone : b.until(from + count));
    const meta = this.meta(b);
    if (!meta || !b.stream) throw new Error(`no TCP stream ${n} in this capture`);
    const s = b.stream;
    let messages: { protocol: string; list: HttpViewMessage[] } | undefined;
    if (http) {
      // httpMessages copies each chunk's bytes into its direction's buffer at once: the reused frame is fine here
      b.http ??= httpViewMessages(s, (p) => (this.idx.frameInto(p, this.ref) ? this.ref.data : undefined), { inflate: this.inflate });
      messages = { protocol: 'HTTP', list: b.http };
    }
    const frames = this.frames(s.packetsFor(from, count));
    return { meta, chunks: followPage(s, from, count, (p) => frames.get(p), this.states, { heads: httpHeads, messages }) };
  }

  /** The first chunk of packet p, once the stream is built (-1: none). */
  async chunkOf(n: number, packet: number): Promise<number> {
    const b = this.get(n);
    await b.whenDone;
    return b.stream ? b.stream.chunkOfPacket(packet) : -1;
  }

  /**
   * Direction `dir`'s bytes (stream order; gaps skipped) in memory, for a target the host writes itself
   * (vscode.workspace.fs: VS Code for the Web, remote and virtual folders). Bounded by the capture, which
   * such a host reads whole and at most WHOLE_FILE_MAX_BYTES (src/core/capture/wholeFile.ts).
   */
  async saveBytes(n: number, dir: 0 | 1): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let total = 0;
    await this.saveTo(n, dir, async () => ({
      async write(buf: Uint8Array, off: number, len: number) {
        parts.push(buf.slice(off, off + len));
        total += len;
        return { bytesWritten: len };
      },
      async close() {},
    }));
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** Writes direction `dir`'s bytes (stream order; gaps skipped) to `path`; resolves with the bytes written. */
  async save(n: number, dir: 0 | 1, path: string): Promise<number> {
    const saveFile = this.saveFile;
    if (!saveFile) throw new Error('Save to a local path is not available in VS Code for the Web (it needs the desktop extension host)');
    return this.saveTo(n, dir, () => saveFile(path));
  }

  private async saveTo(n: number, dir: 0 | 1, open: () => ReturnType<SaveFile>): Promise<number> {
    const b = this.get(n);
    await b.whenDone;
    if (b.failed !== undefined) throw b.failed;
    const s = b.stream;
    const fh = await open();
    let written = 0;
    try {
      if (!s) return 0;
      let buf = new Uint8Array(SAVE_BUFFER);
      let fill = 0;
      const flush = async (): Promise<void> => {
        let off = 0;
        while (off < fill) off += (await fh.write(buf, off, fill - off)).bytesWritten;
        written += fill;
        fill = 0;
      };
      const frame: FrameAccessor = (p) => (this.idx.frameInto(p, this.ref) ? this.ref.data : undefined);
      for (let i = 0; i < s.chunkCount; i++) {
        const k = s.kindOf(i);
        if (s.dirOf(i) !== dir || (k !== K_DATA && k !== K_OUT_OF_ORDER)) continue;
        const bytes = s.bytes(i, frame);
        if (!bytes) continue;
        if (fill + bytes.length > buf.length) await flush();
        if (bytes.length > buf.length) buf = new Uint8Array(bytes.length);
        buf.set(bytes, fill);
        fill += bytes.length;
      }
      await flush();
      return written;
    } finally {
      await fh.close();
    }
  }

  close(n: number): void {
    const b = this.built.get(n);
    if (b) b.stopped = true;
    this.built.delete(n);
  }

  private readonly states: StatesAccessor = (p) =>
    this.idx.tcpResult(p, this.res) ? { client: TCP_STATES[this.res.clientState], server: TCP_STATES[this.res.serverState] } : undefined;

  /** Copies of the frames of these packets (the index's frame reader reuses one buffer). */
  private frames(packets: readonly number[]): Map<number, Uint8Array> {
    const m = new Map<number, Uint8Array>();
    for (const p of packets) if (this.idx.frameInto(p, this.ref)) m.set(p, this.ref.data.slice());
    return m;
  }
}
