/**
 * The host side of the worker protocol without vscode: request ids, pending answers, progress and
 * view counts. CaptureSession (src/extension/capture/session.ts) wraps it for the editor; tests
 * and the benchmark drive dist/worker.js through it exactly as the editor does.
 */
import type { Worker } from 'node:worker_threads';
import type { ConnJson } from '../core/tcp/json';
import type { CaptureInfo } from '../core/capture/types';
import type { FlowPacket } from '../core/flow/model';
import type { FilterResult, IndexProgress, PacketDetails, PacketRow } from './api';
import type { FromWorker, StatsReply, ToWorker } from './messages';
import { errorMessage } from '../core/errors';

type Pending = { resolve(v: FromWorker): void; reject(e: Error): void; type: string };

/** Distributive Omit over the request union. */
type RequestBody<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export function initialProgress(): IndexProgress {
  return { packets: 0, bytesRead: 0, totalBytes: 0, rate: 0, done: false, elapsedMs: 0 };
}

export class WorkerClient {
  progress: IndexProgress = initialProgress();
  info: CaptureInfo | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly viewCounts = new Map<number, number>();
  private readonly listeners = new Set<(p: IndexProgress) => void>();
  private ready: Promise<void>;
  private markReady!: () => void;
  private stopped: string | null = null;
  private closedResolve: (() => void) | null = null;
  private readonly closed: Promise<void>;

  constructor(private readonly worker: Worker) {
    this.ready = new Promise((r) => (this.markReady = r));
    this.closed = new Promise((r) => (this.closedResolve = r));
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.fail(`the decoding worker failed: ${errorMessage(e)}`));
    worker.on('exit', (code) => {
      this.closedResolve?.();
      if (!this.stopped) this.fail(`the decoding worker stopped (exit code ${code})`);
    });
  }

  /** Index a file on disk. */
  openPath(path: string, progressMs?: number): void {
    this.post({ type: 'open', id: this.nextId++, path, progressMs });
    this.markReady();
  }

  /** Index bytes that are not on disk (transferred: `bytes` is unusable afterwards). */
  openBytes(bytes: Uint8Array, name: string): void {
    const buf =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
        ? bytes.buffer
        : bytes.slice().buffer;
    this.post({ type: 'open', id: this.nextId++, bytes: buf, name }, [buf]);
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
    const r = await this.request<'rows'>({ type: 'rows', start, count, view: view ?? 0 });
    if (view) this.viewCounts.set(view, r.total);
    return r.rows;
  }

  async filter(expr: string): Promise<FilterResult> {
    const r = await this.request<'filter'>({ type: 'filter', expr });
    if (r.result.ok) this.viewCounts.set(r.result.view, r.result.count);
    return r.result;
  }

  dropView(view: number): void {
    this.viewCounts.delete(view);
    void this.ready.then(() => this.post({ type: 'dropView', view }));
  }

  async details(index: number): Promise<PacketDetails> {
    return (await this.request<'details'>({ type: 'details', index })).details;
  }

  async connections(): Promise<ConnJson[]> {
    return (await this.request<'conns'>({ type: 'conns' })).conns;
  }

  async lines(indices: number[]): Promise<string[]> {
    return (await this.request<'lines'>({ type: 'lines', indices })).lines;
  }

  /** The TCP packets of some streams (all when undefined) with their final engine results (answered once indexing is over). */
  async flowPackets(streams?: readonly number[], limit?: number): Promise<FlowPacket[]> {
    return (await this.request<'flowPackets'>({ type: 'flowPackets', streams: streams ? [...streams] : undefined, limit })).packets;
  }

  /** Memory figures of the worker (answered before `open` too). */
  async stats(): Promise<StatsReply> {
    return this.request<'stats'>({ type: 'stats' }, false);
  }

  cancel(): void {
    void this.ready.then(() => this.post({ type: 'cancel' }));
  }

  /** Ask the worker to close the file and exit; terminate it if it has not within `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.stopped) return;
    this.stopped = 'the capture was closed';
    this.post({ type: 'close' });
    for (const p of this.pending.values()) p.reject(new Error(this.stopped));
    this.pending.clear();
    const timer = setTimeout(() => void this.worker.terminate(), graceMs);
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

  private async request<T extends FromWorker['type']>(body: RequestBody<ToWorker>, afterOpen = true): Promise<Extract<FromWorker, { type: T }>> {
    if (afterOpen) await this.ready;
    if (this.stopped) throw new Error(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: FromWorker) => void, reject, type: body.type });
      this.post({ ...body, id } as ToWorker);
    });
  }

  private post(msg: ToWorker, transfer?: ArrayBuffer[]): void {
    try {
      this.worker.postMessage(msg, transfer);
    } catch (e) {
      this.fail(`cannot reach the decoding worker: ${errorMessage(e)}`);
    }
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'progress':
        this.setProgress(m.progress);
        return;
      case 'info':
        this.info = m.info;
        return;
      case 'closed':
        return;
      case 'error': {
        if (m.id === undefined) return;
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        p.reject(new Error(m.message));
        return;
      }
      default: {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        p.resolve(m);
      }
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
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    if (!this.progress.done) this.setProgress({ ...this.progress, done: true, error: this.progress.error ?? { kind: 'io', offset: 0, message } });
  }
}
