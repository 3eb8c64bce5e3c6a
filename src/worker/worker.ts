/**
 * Decoding worker of the capture editor (a worker_threads worker of the extension host, one per
 * open document). It wraps a CaptureIndex (src/worker/captureIndex.ts) and speaks the protocol of
 * src/worker/messages.ts through src/core/messaging.ts: one handler per request type, whose result
 * is posted as the reply. A failed request is answered with an `error` message carrying its id.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parentPort, type TransferListItem } from 'node:worker_threads';
import type { CaptureIndex } from './captureIndex';
import { LiveIndex } from './liveIndex';
import { MessageHandler } from '../core/messaging';
import { exportPackets } from './exporter';
import { flowPackets } from './flowPackets';
import { PerfGraphs } from './perfGraph';
import { graphConnInfo, rowOfPacket } from '../core/perf/connPackets';
import { buildSeries } from '../core/perf/series';
import { FollowService } from './follow';
import { parseFollowRequest } from './followMessages';
import { WORKER_REPLIES, type FromWorker, type ToWorker, type WorkerReplies } from './messages';
import { errorMessage } from '../core/errors';
import { isDecodeAheadThread } from './decodeAhead';

const port = parentPort;
/** The open capture: a LiveIndex, whose `current` window is a CaptureIndex (the whole file unless a ring limit drops packets). */
let index: LiveIndex | undefined;
let opening: Promise<LiveIndex> | undefined;
let closing = false;

/** Posts to the host; the frame bytes of a `details` reply are transferred, not copied. */
function post(msg: FromWorker): void {
  const transfer: TransferListItem[] | undefined = msg.type === 'details' ? [msg.details.bytes.buffer as ArrayBuffer] : undefined;
  try {
    port?.postMessage(msg, transfer);
  } catch {
    // the host is gone
  }
}


async function open(msg: Extract<ToWorker, { type: 'open' }>): Promise<LiveIndex> {
  let file = msg.path;
  let temp: string | undefined;
  if (msg.bytes) {
    // A document that is not on disk: keep it in a temporary file, then index it like any file.
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'capture-lens-'));
    temp = path.join(dir, path.basename(msg.name ?? 'capture').replace(/[^\w.-]/g, '_') || 'capture');
    await fs.promises.writeFile(temp, new Uint8Array(msg.bytes));
    file = temp;
  }
  if (!file) throw new Error('open: neither a path nor bytes');
  let infoSent = false;
  const idx: LiveIndex = new LiveIndex(file, {
    progressMs: msg.progressMs,
    ringPackets: msg.ringPackets,
    // this bundle also runs the decode-ahead producer (started by its workerData)
    decodeAheadScript: __filename,
    follow: msg.follow === true && !msg.bytes,
    onProgress(p) {
      const info = idx.current.captureInfo;
      // a new window (ring limit, re-following): what was computed from the old one is stale
      if (graphs && graphsOf !== idx.current) graphs = undefined;
      if (follow && followOf_ !== idx.current) follow = undefined;
      if (info && (!infoSent || p.done)) {
        infoSent = true;
        post({ type: 'info', info });
      }
      post({ type: 'progress', progress: p });
    },
  });
  if (temp) idx.current.ownTempFile(temp);
  index = idx;
  void idx.start();
  return idx;
}

/** A full GC before measuring (stats are for benchmarks): V8's gc, exposed on demand. */
function collectGarbage(): void {
  try {
    let g = (globalThis as { gc?: () => void }).gc;
    if (!g) {
      v8.setFlagsFromString('--expose-gc');
      g = vm.runInNewContext('gc') as () => void;
    }
    g();
    g();
  } catch {
    // measure without
  }
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

/** The follow service of the open capture, and the request checked at run time (a malformed one fails with an error reply). */
async function followOf<T extends { type: string }>(msg: T): Promise<[FollowService, T]> {
  const checked = parseFollowRequest(msg);
  if (!checked || checked.type !== msg.type) throw new Error(`malformed ${msg.type} request`);
  const idx = await need();
  if (!follow || followOf_ !== idx) {
    follow = new FollowService(idx);
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
    if (p && (p.rttMs > 0 || p.bytesInFlight > 0)) details.perf = p;
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
    return await exportPackets(live.current, msg.path, msg.format, { view: msg.view, stream: msg.stream, indices });
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
    return f.page(m.stream, m.from, m.count);
  })
  .on('followChunkOf', async (msg) => {
    const [f, m] = await followOf(msg);
    return { chunk: await f.chunkOf(m.stream, m.packet - (await needLive()).base) };
  })
  .on('followSave', async (msg) => {
    const [f, m] = await followOf(msg);
    return { bytes: await f.save(m.stream, m.dir, m.path) };
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
    collectGarbage();
    const mem = index?.current.memoryBytes() ?? { columns: 0, engine: 0, perPacket: 0 };
    const pu = process.memoryUsage();
    return {
      heapUsed: v8.getHeapStatistics().used_heap_size,
      arrayBuffers: pu.arrayBuffers,
      rss: pu.rss,
      indexBytes: mem.columns + mem.engine,
      perPacket: mem.perPacket,
      packets: index?.count ?? 0,
    };
  })
  .on('close', async () => {
    if (closing) return;
    closing = true;
    const idx = index ?? (opening ? await opening.catch(() => undefined) : undefined);
    if (idx) await idx.close();
    post({ type: 'closed' });
    port?.close();
  });

// the same bundle runs as a decode-ahead producer (src/worker/decodeAhead.ts): that thread speaks no protocol
if (!isDecodeAheadThread()) port?.on('message', (msg: unknown) => void channel.receive(msg));
