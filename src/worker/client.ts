/**
 * The host side of the worker protocol without vscode: requests and their replies (through
 * src/core/messaging.ts), progress and view counts. CaptureSession (src/extension/capture/session.ts) wraps it for the editor; tests
 * and the benchmark drive dist/worker.js through it exactly as the editor does.
 */
import type { Worker } from 'node:worker_threads';
import type { ConnJson } from '../core/tcp/json';
import type { CaptureInfo } from '../core/capture/types';
import type { FlowPacket } from '../core/flow/model';
import type { SocketsAtPacket } from '../core/sockets/fromCapture';
import type { ChunkView, FollowMeta } from '../core/follow/page';
import { MessageHandler, type BodyOf, type MessageOf, type RequestType } from '../core/messaging';
import type { ConnPerfCells, FilterResult, FindResult, IndexProgress, PacketDetails, PacketRow } from './api';
import type { FindQuery } from '../core/find/query';
import type { GraphConnInfo } from '../core/perf/connPackets';
import type { SeriesData, SeriesRequest } from '../core/perf/series';

import { WORKER_REPLIES, type FromWorker, type StatsReply, type ToWorker, type WorkerReplies } from './messages';
import { errorMessage } from '../core/errors';

type WorkerRequest = RequestType<ToWorker, FromWorker, WorkerReplies>;

/**
 * The transport to the decoding worker (issue 17): a worker_threads Worker on the desktop (passed
 * as is: nodePort adapts it), a browser's Web Worker in VS Code for the Web
 * (src/extension/webPlatform.ts), or anything else that moves structured-clone messages.
 */
export interface WorkerPort {
  postMessage(msg: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (msg: unknown) => void): void;
  onError(listener: (e: unknown) => void): void;
  /** The worker ended (a Web Worker has no such event: its port fires it after `closed` or terminate). */
  onExit(listener: (code: number) => void): void;
  terminate(): void;
}

/** A worker_threads Worker as a WorkerPort. */
export function nodePort(w: Worker): WorkerPort {
  return {
    postMessage: (msg, transfer) => w.postMessage(msg, transfer),
    onMessage: (l) => void w.on('message', l),
    onError: (l) => void w.on('error', l),
    onExit: (l) => void w.on('exit', l),
    terminate: () => void w.terminate(),
  };
}

export function initialProgress(): IndexProgress {
  return { packets: 0, bytesRead: 0, totalBytes: 0, rate: 0, done: false, elapsedMs: 0 };
}

export class WorkerClient {
  progress: IndexProgress = initialProgress();
  info: CaptureInfo | null = null;
  private readonly channel: MessageHandler<ToWorker, FromWorker, WorkerReplies>;
  private readonly viewCounts = new Map<number, number>();
  private readonly listeners = new Set<(p: IndexProgress) => void>();
  /** Searches (find) under way: their progress listeners by search number. */
  private searches = 0;
  private readonly findProgress = new Map<number, (searched: number, total: number) => void>();
  private ready: Promise<void>;
  private markReady!: () => void;
  private stopped: string | null = null;
  private closedResolve: (() => void) | null = null;
  private readonly closed: Promise<void>;

  private readonly worker: WorkerPort;

  constructor(worker: Worker | WorkerPort) {
    this.worker = 'onMessage' in worker ? worker : nodePort(worker);
    this.ready = new Promise((r) => (this.markReady = r));
    this.closed = new Promise((r) => (this.closedResolve = r));
    this.channel = new MessageHandler<ToWorker, FromWorker, WorkerReplies>({
      post: (msg) => this.post(msg),
      replies: WORKER_REPLIES,
      errorType: 'error',
    })
      .on('progress', (m) => this.setProgress(m.progress))
      .on('info', (m) => {
        this.info = m.info;
      })
      .on('findProgress', (m) => this.findProgress.get(m.search)?.(m.searched, m.total));
    this.worker.onMessage((m) => void this.channel.receive(m));
    this.worker.onError((e) => this.fail(`the decoding worker failed: ${errorMessage(e)}`));
    this.worker.onExit((code) => {
      this.closedResolve?.();
      if (!this.stopped) this.fail(`the decoding worker stopped (exit code ${code})`);
    });
  }

  /** Index a file on disk; with `follow`, go on reading as it grows (grow(), settle()). */
  openPath(path: string, progressMs?: number, follow?: boolean, ringPackets?: number, ringFiles?: number): void {
    this.post({ type: 'open', id: this.channel.newId(), path, progressMs, follow: follow === true ? true : undefined, ringPackets: ringPackets || undefined, ringFiles: ringFiles || undefined });
    this.markReady();
  }

  /** Follow mode: the file grew. */
  grow(): void {
    void this.ready.then(() => this.post({ type: 'grow' }));
  }

  /** Follow mode: a file that settled grows again: follow it again. */
  refollow(): void {
    void this.ready.then(() => this.post({ type: 'refollow' }));
  }

  /** Follow mode: the file stopped growing (or its writer exited): finish indexing. */
  settle(): void {
    void this.ready.then(() => this.post({ type: 'settle' }));
  }

  /** Index bytes that are not on disk (transferred: `bytes` is unusable afterwards). */
  openBytes(bytes: Uint8Array, name: string): void {
    const buf =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
        ? bytes.buffer
        : bytes.slice().buffer;
    this.post({ type: 'open', id: this.channel.newId(), bytes: buf, name }, [buf]);
    this.markReady();
  }

  /** Opening failed before the worker could start (e.g. the virtual file could not be read). */
  openFailed(message: string): void {
    this.setProgress({ ...this.progress, done: true, error: { kind: 'io', offset: 0, message } });
    this.markReady();
  }

  onProgress(listener: (p: IndexProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  count(view?: number): number {
    if (!view) return this.progress.packets;
    return this.viewCounts.get(view) ?? 0;
  }

  async rows(start: number, count: number, view?: number): Promise<PacketRow[]> {
    const r = await this.request('rows', { start, count, view: view ?? 0 });
    if (view) this.viewCounts.set(view, r.total);
    return r.rows;
  }

  async filter(expr: string): Promise<FilterResult> {
    const r = await this.request('filter', { expr });
    if (r.result.ok) this.viewCounts.set(r.result.view, r.result.count);
    return r.result;
  }

  dropView(view: number): void {
    this.viewCounts.delete(view);
    void this.ready.then(() => this.post({ type: 'dropView', view }));
  }

  async details(index: number): Promise<PacketDetails> {
    return (await this.request('details', { index })).details;
  }

  async connections(): Promise<ConnJson[]> {
    return (await this.request('conns', {})).conns;
  }

  async lines(indices: number[]): Promise<string[]> {
    return (await this.request('lines', { indices })).lines;
  }

  /** The TCP packets of some streams (all when undefined) with their final engine results (answered once indexing is over). */
  /** The Graphs panel: one connection's summary (replayed in the worker on first use), a view's series, a packet's time in it. */
  async graphInfo(stream: number): Promise<GraphConnInfo> {
    return (await this.request('graphInfo', { stream })).info;
  }

  async graphSeries(stream: number, request: SeriesRequest): Promise<SeriesData> {
    return (await this.request('graphSeries', { stream, request })).series;
  }

  async graphLocate(stream: number, index: number): Promise<number> {
    return (await this.request('graphLocate', { stream, index })).t;
  }

  /** The Connections tab's RTT / throughput / retransmission cells (one more pass over the file, once). */
  async perfConns(): Promise<ConnPerfCells[]> {
    return (await this.request('perfConns', {})).conns;
  }

  async flowPackets(streams?: readonly number[], limit?: number): Promise<FlowPacket[]> {
    return (await this.request('flowPackets', { streams: streams ? [...streams] : undefined, limit })).packets;
  }

  /** Write packets (a view, a stream or a list) to `path` as pcap or pcapng; answered once written (after indexing). */
  async exportPackets(path: string, format: 'pcap' | 'pcapng', which: { view?: number; stream?: number; indices?: number[] }): Promise<{ packets: number; bytes: number }> {
    const r = await this.request('export', { path, format, ...which });
    return { packets: r.packets, bytes: r.bytes };
  }

  /** Export Packets into memory: the file's bytes (the host writes them through vscode.workspace.fs). */
  async exportBytes(format: 'pcap' | 'pcapng', which: { view?: number; stream?: number; indices?: number[] }): Promise<{ packets: number; data: Uint8Array }> {
    const r = await this.request('export', { format, ...which });
    return { packets: r.packets, data: r.data ?? new Uint8Array(0) };
  }

  /** The sockets of each host right after packet `index` (0-based; answered once indexing is over). */
  async socketsAt(index: number): Promise<SocketsAtPacket> {
    return (await this.request('sockets', { index })).sockets;
  }

  /** Follow TCP Stream (src/worker/follow.ts): start following stream n; null when it has no segment. */
  async followOpen(stream: number): Promise<FollowMeta | null> {
    return (await this.request('followOpen', { stream })).meta;
  }

  /** Chunks [from, from + count) of a followed stream with their bytes (answered once they are built). */
  async followPage(stream: number, from: number, count: number, http = false): Promise<{ meta: FollowMeta; chunks: ChunkView[] }> {
    const r = await this.request('followPage', { stream, from, count, http });
    return { meta: r.meta, chunks: r.chunks };
  }

  /** The first chunk of packet `packet` in a followed stream (-1: none). */
  async followChunkOf(stream: number, packet: number): Promise<number> {
    return (await this.request('followChunkOf', { stream, packet })).chunk;
  }

  /** Writes one direction's bytes of a followed stream to `path` (streamed by the worker); the bytes written. */
  async followSave(stream: number, dir: 0 | 1, path: string): Promise<number> {
    return (await this.request('followSave', { stream, dir, path })).bytes;
  }

  /** One direction's bytes of a followed stream, in memory (the host writes them through vscode.workspace.fs). */
  async followBytes(stream: number, dir: 0 | 1): Promise<Uint8Array> {
    return (await this.request('followSave', { stream, dir })).data ?? new Uint8Array(0);
  }

  followClose(stream: number): void {
    void this.ready.then(() => this.post({ type: 'followClose', stream }));
  }

  /**
   * Find (src/worker/find.ts): the next / previous match of `query` (absent: the next problem packet)
   * in a view after position `from`; `onProgress` hears how far it got. A newer find cancels this one.
   */
  async find(
    query: FindQuery | undefined,
    o: { view: number; from: number; backwards: boolean; infoStyle: 'tcpdump' | 'wireshark' },
    onProgress?: (searched: number, total: number) => void,
  ): Promise<FindResult> {
    const search = ++this.searches;
    if (onProgress) this.findProgress.set(search, onProgress);
    try {
      return (await this.request('find', { search, query, view: o.view, from: o.from, backwards: o.backwards, infoStyle: o.infoStyle })).result;
    } finally {
      this.findProgress.delete(search);
    }
  }

  /** Ends the search under way (it answers `cancelled`). */
  findCancel(): void {
    void this.ready.then(() => this.post({ type: 'findCancel' }));
  }

  /** Memory figures of the worker (answered before `open` too). */
  async stats(): Promise<StatsReply> {
    return this.request('stats', {}, false);
  }

  cancel(): void {
    void this.ready.then(() => this.post({ type: 'cancel' }));
  }

  /** Ask the worker to close the file and exit; terminate it if it has not within `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.stopped) return;
    this.stopped = 'the capture was closed';
    this.post({ type: 'close' });
    this.channel.close(this.stopped);
    const timer = setTimeout(() => this.worker.terminate(), graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  /** Resolves when the progress says done (or the worker failed). */
  whenDone(): Promise<IndexProgress> {
    if (this.progress.done) return Promise.resolve(this.progress);
    return new Promise((resolve) => {
      const off = this.onProgress((p) => {
        if (p.done) {
          off();
          resolve(p);
        }
      });
    });
  }

  private async request<K extends WorkerRequest>(type: K, body: BodyOf<MessageOf<ToWorker, K>>, afterOpen = true): Promise<MessageOf<FromWorker, WorkerReplies[K]>> {
    if (afterOpen) await this.ready;
    if (this.stopped) throw new Error(this.stopped);
    return this.channel.request(type, body);
  }

  private post(msg: ToWorker, transfer?: ArrayBuffer[]): void {
    try {
      this.worker.postMessage(msg, transfer);
    } catch (e) {
      this.fail(`cannot reach the decoding worker: ${errorMessage(e)}`);
    }
  }

  private setProgress(p: IndexProgress): void {
    this.progress = p;
    if (p.views) for (const v of p.views) this.viewCounts.set(v.view, v.count);
    for (const l of [...this.listeners]) {
      try {
        l(p);
      } catch {
        // a listener's problem
      }
    }
  }

  private fail(message: string): void {
    if (this.stopped) return;
    this.stopped = message;
    this.channel.close(message);
    if (!this.progress.done) this.setProgress({ ...this.progress, done: true, error: this.progress.error ?? { kind: 'io', offset: 0, message } });
  }
}
