/**
 * CaptureSession: the host-side client of one document's decoding worker (dist/worker.js, a
 * worker_threads worker; in VS Code for the Web dist/web/worker.js, a Web Worker: started by the
 * host platform, src/extension/platform.ts; protocol in src/worker/messages.ts). The capture editor's provider owns
 * one per document and disposes it when the document closes (the worker then closes the file
 * and exits; it is terminated if it does not within 2 s).
 *
 * Files on disk (file: URIs on the desktop) are read by the worker in pages, never whole. For other
 * schemes (vscode-remote, vscode-vfs, memfs…) and for every file in a browser, the host reads the
 * whole file once with vscode.workspace.fs.readFile (it has no partial reads) and transfers the
 * bytes to the worker, which indexes and reads them from memory (src/worker/bytesInput.ts). That
 * costs the file's size in memory, so a file above WHOLE_FILE_MAX_BYTES is refused with a sentence
 * before it is read (readWhole: src/extension/capture/wholeFile.ts).
 */
import * as vscode from 'vscode';
import type { FlowPacket } from '../../core/flow/model';
import type { ChunkView, FollowMeta } from '../../core/follow/page';
import type { ConnJson } from '../../core/tcp/json';
import type { GraphConnInfo } from '../../core/perf/connPackets';
import type { SeriesData, SeriesRequest } from '../../core/perf/series';
import type { ConnPerfCells } from '../../worker/api';
import type { SocketsAtPacket } from '../../core/sockets/fromCapture';
import type { FilterResult, FindResult, IndexProgress, PacketDetails, PacketRow } from '../../worker/api';
import { WorkerClient, type WorkerPort } from '../../worker/client';
import { platform } from '../platform';
import { readWhole } from './wholeFile';
import type { FindQuery } from '../../core/find/query';

export class CaptureSession implements vscode.Disposable {
  /** Start the worker for `uri` and begin indexing at once. */
  static open(uri: vscode.Uri, extensionUri: vscode.Uri): CaptureSession {
    return new CaptureSession(uri, platform().startWorker(extensionUri));
  }

  private readonly client: WorkerClient;
  private readonly emitter = new vscode.EventEmitter<IndexProgress>();
  private disposed = false;
  /** Follow mode (issue 16): watches the file while it is still being written. */
  private watcher: (vscode.Disposable & { settle(final?: boolean): void }) | undefined;
  /** Fires with every progress report (about every 100 ms while indexing, then once with `done`). */
  readonly onProgress: vscode.Event<IndexProgress> = this.emitter.event;

  private constructor(
    readonly uri: vscode.Uri,
    worker: WorkerPort,
  ) {
    this.client = new WorkerClient(worker);
    this.client.onProgress((p) => {
      if (!this.disposed) this.emitter.fire(p);
    });
    const local = platform().localFiles;
    if (uri.scheme === 'file' && local) {
      const follow = local.shouldFollow(uri);
      // a ring of files is read as one capture whether it is still written or not
      this.client.openPath(uri.fsPath, undefined, follow, follow ? local.ringOf(uri.fsPath) : 0, local.ringFilesOf(uri.fsPath));
      if (follow) {
        this.watcher = local.watch(
          uri.fsPath,
          () => this.client.grow(),
          () => this.client.settle(),
          () => this.client.refollow(),
        );
      }
    } else {
      const name = uri.path.split('/').pop() ?? 'capture';
      void readWhole(uri).then((r) => {
        if (this.disposed) return;
        if ('bytes' in r) this.client.openBytes(r.bytes, name);
        else this.client.openFailed(r.message);
      });
    }
  }

  /** The latest progress. */
  get progress(): IndexProgress {
    return this.client.progress;
  }

  /** Rows at positions start .. start+count-1 of a view (all packets when view is absent or 0). */
  rows(start: number, count: number, view?: number): Promise<PacketRow[]> {
    return this.client.rows(start, count, view);
  }

  /** Packets indexed so far, or in a filter view (updated with every progress report). */
  count(view?: number): number {
    return this.client.count(view);
  }

  /** Create a filter view (it grows while indexing continues); parse errors come back with their offset. */
  filter(expr: string): Promise<FilterResult> {
    return this.client.filter(expr);
  }

  /** Forget a filter view (the worker also keeps only the 16 most recent). */
  dropView(view: number): void {
    this.client.dropView(view);
  }

  details(index: number): Promise<PacketDetails> {
    return this.client.details(index);
  }

  /** The TCP connections (resolves once indexing is over). */
  connections(): Promise<ConnJson[]> {
    return this.client.connections();
  }

  /** The TCP packets of some streams (all when undefined) with their final engine results, for the flow graph (once indexing is over). */
  flowPackets(streams?: readonly number[], limit?: number): Promise<FlowPacket[]> {
    return this.client.flowPackets(streams, limit);
  }

  /** The Graphs panel's requests and the Connections tab's performance cells (src/worker/perfGraph.ts). */
  graphInfo(stream: number): Promise<GraphConnInfo> {
    return this.client.graphInfo(stream);
  }

  graphSeries(stream: number, request: SeriesRequest): Promise<SeriesData> {
    return this.client.graphSeries(stream, request);
  }

  graphLocate(stream: number, index: number): Promise<number> {
    return this.client.graphLocate(stream, index);
  }

  perfConns(): Promise<ConnPerfCells[]> {
    return this.client.perfConns();
  }

  /** The sockets of each host right after packet `index` (0-based), once indexing is over. */
  socketsAt(index: number): Promise<SocketsAtPacket> {
    return this.client.socketsAt(index);
  }

  /** tcpdump lines of the given packets (0-based indices), as `capture-lens print` prints them. */
  tcpdumpLines(indices: number[]): Promise<string[]> {
    return this.client.lines(indices);
  }

  /** Write packets (a view, a TCP stream or a list) to a local file as pcap or pcapng (once indexing is over). */
  exportPackets(path: string, format: 'pcap' | 'pcapng', which: { view?: number; stream?: number; indices?: number[] }): Promise<{ packets: number; bytes: number }> {
    return this.client.exportPackets(path, format, which);
  }

  exportBytes(format: 'pcap' | 'pcapng', which: { view?: number; stream?: number; indices?: number[] }): Promise<{ packets: number; data: Uint8Array }> {
    return this.client.exportBytes(format, which);
  }

  /** Follow TCP Stream, served by the worker by pages (src/worker/follow.ts): start following stream n. */
  followOpen(stream: number): Promise<FollowMeta | null> {
    return this.client.followOpen(stream);
  }

  followPage(stream: number, from: number, count: number, http = false): Promise<{ meta: FollowMeta; chunks: ChunkView[] }> {
    return this.client.followPage(stream, from, count, http);
  }

  followChunkOf(stream: number, packet: number): Promise<number> {
    return this.client.followChunkOf(stream, packet);
  }

  followSave(stream: number, dir: 0 | 1, path: string): Promise<number> {
    return this.client.followSave(stream, dir, path);
  }

  followBytes(stream: number, dir: 0 | 1): Promise<Uint8Array> {
    return this.client.followBytes(stream, dir);
  }

  followClose(stream: number): void {
    this.client.followClose(stream);
  }

  /** Find (src/worker/find.ts): the next / previous match (no query: problem packet) in a view; a newer one cancels it. */
  find(
    query: FindQuery | undefined,
    o: { view: number; from: number; backwards: boolean; infoStyle: 'tcpdump' | 'wireshark' },
    onProgress?: (searched: number, total: number) => void,
  ): Promise<FindResult> {
    return this.client.find(query, o, onProgress);
  }

  findCancel(): void {
    this.client.findCancel();
  }

  /** Stop indexing now; the packets indexed so far stay available. A followed file stops being followed and settles. */
  cancel(): void {
    if (this.watcher && this.client.progress.following) this.watcher.settle(true);
    else this.client.cancel();
  }

  /** True while the file is followed as it grows. */
  get following(): boolean {
    return this.client.progress.following === true;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.watcher?.dispose();
    void this.client.close();
    this.emitter.dispose();
  }
}
