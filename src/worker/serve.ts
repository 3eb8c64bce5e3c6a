/**
 * The decoding worker's request handlers, shared by both hosts (issue 17): the Node entry
 * (./worker.ts, a worker_threads worker of the desktop extension host) and the browser entry
 * (./webWorker.ts, a Web Worker of VS Code for the Web). It wraps a CaptureIndex
 * (./captureIndex.ts) and speaks the protocol of ./messages.ts through src/core/messaging.ts: one
 * handler per request type, whose result is posted as the reply; a failed request is answered with
 * an `error` message carrying its id. What only Node can do (write files, V8's statistics, the
 * input of a path) comes in a WorkerHost; a browser's host leaves it out and those requests fail
 * with a sentence saying so.
 */
import { CaptureIndex } from './captureIndex';
import { MessageHandler } from '../core/messaging';
import { flowPackets } from './flowPackets';
import { PerfGraphs } from './perfGraph';
import { graphConnInfo, rowOfPacket } from '../core/perf/connPackets';
import { buildSeries } from '../core/perf/series';
import { FollowService, type SaveFile } from './follow';
import { FindService } from './find';
import { LiveIndex } from './liveIndex';
import { parseFollowRequest } from './followMessages';
import { WORKER_REPLIES, type FromWorker, type OpenRequest, type StatsReply, type ToWorker, type WorkerReplies } from './messages';
import { errorMessage } from '../core/errors';
import type { ExportFormat } from '../core/capture/export';
import { exportToBytes, type ExportResult, type ExportWhich } from './exportRun';
import type { CaptureRing, IndexInput } from './input';
import type { Inflate } from '../core/follow/http';

export interface WorkerHost {
  /** Post to the extension host (the frame bytes of a `details` reply are transferred, not copied). */
  post(msg: FromWorker, transfer?: ArrayBuffer[]): void;
  /** The worker is done (after `closed` was posted). */
  exit(): void;
  /** Where an `open` request's bytes come from; throws when this host cannot read them. */
  input(msg: OpenRequest): IndexInput;
  /** The ring of files an `open` request names (tcpdump -C/-W; Node only), shared by its windows. */
  fileRing?(msg: OpenRequest): CaptureRing | undefined;
  /** The script that runs the decode-ahead producer (Node only). */
  decodeAheadScript?: string;
  /** Export Packets to a local file (Node only). */
  exportPackets?(idx: CaptureIndex, path: string, format: ExportFormat, which: ExportWhich): Promise<ExportResult>;
  /** Open a local file for Follow TCP Stream's Save (Node only). */
  saveFile?: SaveFile;
  /** Undoes HTTP content codings for Follow's HTTP mode (Node's zlib; a browser has none: bodies stay encoded). */
  inflate?: Inflate;
  /** Memory figures for the `stats` request (Node only: V8 and the process). */
  stats?(idx: CaptureIndex | undefined): Omit<StatsReply, 'type' | 'id'>;
}

/** A sentence for what a browser cannot do. */
const NOT_HERE = 'is not available in VS Code for the Web (it needs the desktop extension host)';

/** Serve the protocol: returns the function that takes each incoming message. */
export function serve(host: WorkerHost): (msg: unknown) => void {
  /** Posts to the host; the frame bytes of a `details` reply are transferred, not copied. */
  function post(msg: FromWorker): void {
    try {
      const data = msg.type === 'details' ? msg.details.bytes : msg.type === 'exported' || msg.type === 'followSaved' ? msg.data : undefined;
      host.post(msg, data ? [data.buffer as ArrayBuffer] : undefined);
    } catch {
      // the host is gone
    }
  }

  /** The open capture: a LiveIndex, whose `current` window is a CaptureIndex (the whole file unless a ring limit drops packets). */
  let index: LiveIndex | undefined;
  let opening: Promise<LiveIndex> | undefined;
  let closing = false;

  async function open(msg: OpenRequest): Promise<LiveIndex> {
    let infoSent = false;
    const idx: LiveIndex = new LiveIndex(() => host.input(msg), {
      progressMs: msg.progressMs,
      ringPackets: msg.ringPackets,
      fileRing: host.fileRing?.(msg),
      decodeAheadScript: host.decodeAheadScript,
      follow: msg.follow === true && !msg.bytes,
      onProgress(p) {
        const info = idx.current.captureInfo;
        // a new window (ring limit, re-following): what was computed from the old one is stale
        if (graphs && graphsOf !== idx.current) graphs = undefined;
        if (follow && followOf_ !== idx.current) follow = undefined;
        if (finder && finderOf !== idx.current) finder = undefined;
        if (info && (!infoSent || p.done)) {
          infoSent = true;
          post({ type: 'info', info });
        }
        post({ type: 'progress', progress: p });
      },
    });
    index = idx;
    void idx.start();
    return idx;
  }

  let graphs: PerfGraphs | undefined;
  let graphsOf: CaptureIndex | undefined;
  /** The Graphs panel's and the Connections tab's figures (src/worker/perfGraph.ts), made on first use. */
  async function perf(): Promise<PerfGraphs> {
    const idx = await need();
    if (!graphs || graphsOf !== idx) {
      graphs = new PerfGraphs(idx);
      graphsOf = idx;
    }
    return graphs;
  }

  let follow: FollowService | undefined;
  let followOf_: CaptureIndex | undefined;
  let finder: FindService | undefined;
  let finderOf: CaptureIndex | undefined;

  /** The follow service of the open capture, and the request checked at run time (a malformed one fails with an error reply). */
  async function followOf<T extends { type: string }>(msg: T): Promise<[FollowService, T]> {
    const checked = parseFollowRequest(msg);
    if (!checked || checked.type !== msg.type) throw new Error(`malformed ${msg.type} request`);
    const idx = await need();
    if (!follow || followOf_ !== idx) {
      follow = new FollowService(idx, host.saveFile, host.inflate);
      followOf_ = idx;
    }
    return [follow, checked as unknown as T];
  }

  /** The open capture's LiveIndex. */
  async function needLive(): Promise<LiveIndex> {
    if (index) return index;
    if (opening) return opening;
    throw new Error('no capture is open');
  }

  /** Its current window (the requests that do not take the file's packet numbers: flow graph, graphs, Follow, export). */
  async function need(): Promise<CaptureIndex> {
    return (await needLive()).current;
  }

  function idOf(msg: ToWorker): number | undefined {
    return 'id' in msg && typeof msg.id === 'number' ? msg.id : undefined;
  }

  const channel = new MessageHandler<FromWorker, ToWorker, WorkerReplies>({
    post,
    replies: WORKER_REPLIES,
    // a failed request is answered with `error` and its id; the worker keeps serving
    onError: (e, msg) => post({ type: 'error', id: idOf(msg), message: errorMessage(e) }),
    onUnhandled: (msg) => post({ type: 'error', id: idOf(msg), message: `unknown request type ${String(msg.type)}` }),
  });

  channel
    .on('open', async (msg) => {
      if (opening) throw new Error('a capture is already open in this worker');
      opening = open(msg);
      await opening;
    })
    .on('find', async (msg) => {
      const live = await needLive();
      const idx = live.current;
      if (!finder || finderOf !== idx) {
        finder?.cancel();
        finder = new FindService(idx);
        finderOf = idx;
      }
      const base = live.base;
      const target = msg.query ? { kind: 'query' as const, query: msg.query } : { kind: 'problem' as const };
      const opts = { view: msg.view, from: msg.from, backwards: msg.backwards, infoStyle: msg.infoStyle };
      const result = await finder.find(target, opts, (searched, total) => post({ type: 'findProgress', search: msg.search, searched, total }));
      // positions are the window's (as the rows'), the packet is numbered as in the file (the ring limit's dropped packets)
      return { result: result.status === 'found' && base > 0 ? { ...result, index: result.index + base } : result };
    })
    .on('findCancel', () => {
      finder?.cancel();
    })
    .on('rows', async (msg) => {
      const idx = await needLive();
      const rows = await idx.rows(msg.start, msg.count, msg.view ?? 0);
      return { rows, total: idx.viewCount(msg.view ?? 0) };
    })
    .on('filter', async (msg) => ({ result: await (await needLive()).filter(msg.expr) }))
    .on('dropView', (msg) => {
      index?.dropView(msg.view);
    })
    .on('details', async (msg) => {
      const live = await needLive();
      const details = await live.details(msg.index);
      // an ACK's RTT sample and bytes in flight (issue 14): from its connection's replay, when cheap now
      const p = await (await perf()).packetPerf(msg.index - live.base).catch(() => null);
      if (p && (p.rttMs > 0 || p.bytesInFlight > 0 || p.peerInFlight >= 0)) details.perf = p;
      return { details };
    })
    .on('conns', async () => ({ conns: await (await need()).connections() }))
    .on('lines', async (msg) => ({ lines: await (await needLive()).lines(msg.indices) }))
    .on('flowPackets', async (msg) => {
      const live = await needLive();
      const base = live.base;
      const packets = await flowPackets(live.current, msg.streams, msg.limit ?? Infinity);
      // the file's packet numbers (the ring limit's dropped packets before the window)
      if (base > 0) for (const p of packets) p.index += base;
      return { packets };
    })
    .on('export', async (msg) => {
      const live = await needLive();
      await live.indexed;
      const indices = msg.indices?.filter((i) => i >= live.base).map((i) => i - live.base);
      const which = { view: msg.view, stream: msg.stream, indices };
      // no path: the bytes go back to the host, which writes them through vscode.workspace.fs
      if (msg.path === undefined) return await exportToBytes(live.current, msg.format, which);
      if (!host.exportPackets) throw new Error(`Export Packets to a local path ${NOT_HERE}`);
      return await host.exportPackets(live.current, msg.path, msg.format, which);
    })
    .on('graphInfo', async (msg) => ({ info: graphConnInfo(await (await perf()).connPackets(msg.stream), msg.stream) }))
    .on('graphSeries', async (msg) => ({ series: buildSeries(await (await perf()).connPackets(msg.stream), msg.request) }))
    .on('graphLocate', async (msg) => {
      const c = await (await perf()).connPackets(msg.stream);
      const row = rowOfPacket(c, msg.index - (await needLive()).base);
      return { t: row < 0 ? -1 : c.t[row] };
    })
    .on('perfConns', async () => ({ conns: await (await perf()).perfConns() }))
    .on('sockets', async (msg) => ({ sockets: await (await needLive()).socketsAt(msg.index) }))
    .on('followOpen', async (msg) => {
      const [f, m] = await followOf(msg);
      return { meta: await f.open(m.stream) };
    })
    .on('followPage', async (msg) => {
      const [f, m] = await followOf(msg);
      return f.page(m.stream, m.from, m.count, m.http === true);
    })
    .on('followChunkOf', async (msg) => {
      const [f, m] = await followOf(msg);
      return { chunk: await f.chunkOf(m.stream, m.packet - (await needLive()).base) };
    })
    .on('followSave', async (msg) => {
      const [f, m] = await followOf(msg);
      if (m.path !== undefined) return { bytes: await f.save(m.stream, m.dir, m.path) };
      const data = await f.saveBytes(m.stream, m.dir);
      return { bytes: data.length, data };
    })
    .on('followClose', async (msg) => {
      const [f, m] = await followOf(msg);
      f.close(m.stream);
    })
    .on('cancel', async () => {
      if (index) index.cancel();
      else if (opening) (await opening).cancel();
    })
    .on('grow', () => {
      index?.grow();
    })
    .on('refollow', () => {
      index?.refollow();
    })
    .on('settle', async () => {
      if (index) index.settle();
      else if (opening) (await opening).settle();
    })
    .on('stats', () => {
      const cur = index?.current;
      if (host.stats) return host.stats(cur);
      const mem = cur?.memoryBytes() ?? { columns: 0, engine: 0, perPacket: 0 };
      return { heapUsed: 0, arrayBuffers: 0, rss: 0, indexBytes: mem.columns + mem.engine, perPacket: mem.perPacket, packets: cur?.count ?? 0 };
    })
    .on('close', async () => {
      if (closing) return;
      closing = true;
      const idx = index ?? (opening ? await opening.catch(() => undefined) : undefined);
      if (idx) await idx.close();
      post({ type: 'closed' });
      host.exit();
    });

  return (msg: unknown) => void channel.receive(msg);
}
