/**
 * Decoding worker of the capture editor (a worker_threads worker of the extension host, one per
 * open document). It wraps a CaptureIndex (src/worker/captureIndex.ts) and speaks the protocol of
 * src/worker/messages.ts. The message handler never throws: a failed request is answered with
 * an `error` message carrying its id.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { CaptureIndex } from './captureIndex';
import { flowPackets } from './flowPackets';
import type { FromWorker, ToWorker } from './messages';
import { errorMessage } from '../core/errors';

const port = parentPort;
let index: CaptureIndex | undefined;
let opening: Promise<CaptureIndex> | undefined;
let closing = false;

function post(msg: FromWorker, transfer?: TransferListItem[]): void {
  try {
    port?.postMessage(msg, transfer);
  } catch {
    // the host is gone
  }
}

async function open(msg: Extract<ToWorker, { type: 'open' }>): Promise<CaptureIndex> {
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
  const idx: CaptureIndex = new CaptureIndex(file, {
    progressMs: msg.progressMs,
    onProgress(p) {
      const info = idx.captureInfo;
      if (info && (!infoSent || p.done)) {
        infoSent = true;
        post({ type: 'info', info });
      }
      post({ type: 'progress', progress: p });
    },
  });
  if (temp) idx.ownTempFile(temp);
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

async function need(): Promise<CaptureIndex> {
  if (index) return index;
  if (opening) return opening;
  throw new Error('no capture is open');
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'open': {
      if (opening) throw new Error('a capture is already open in this worker');
      opening = open(msg);
      await opening;
      return;
    }
    case 'rows': {
      const idx = await need();
      const rows = await idx.rows(msg.start, msg.count, msg.view ?? 0);
      post({ type: 'rows', id: msg.id, rows, total: idx.viewCount(msg.view ?? 0) });
      return;
    }
    case 'filter': {
      const idx = await need();
      post({ type: 'filter', id: msg.id, result: idx.filter(msg.expr) });
      return;
    }
    case 'dropView':
      index?.dropView(msg.view);
      return;
    case 'details': {
      const idx = await need();
      const details = await idx.details(msg.index);
      post({ type: 'details', id: msg.id, details }, [details.bytes.buffer as ArrayBuffer]);
      return;
    }
    case 'conns': {
      const idx = await need();
      post({ type: 'conns', id: msg.id, conns: await idx.connections() });
      return;
    }
    case 'lines': {
      const idx = await need();
      post({ type: 'lines', id: msg.id, lines: await idx.lines(msg.indices) });
      return;
    }
    case 'flowPackets': {
      const idx = await need();
      post({ type: 'flowPackets', id: msg.id, packets: await flowPackets(idx, msg.streams, msg.limit ?? Infinity) });
      return;
    }
    case 'cancel':
      if (index) index.cancel();
      else if (opening) (await opening).cancel();
      return;
    case 'stats': {
      collectGarbage();
      const mem = index?.memoryBytes() ?? { columns: 0, engine: 0, perPacket: 0 };
      const pu = process.memoryUsage();
      post({
        type: 'stats',
        id: msg.id,
        heapUsed: v8.getHeapStatistics().used_heap_size,
        arrayBuffers: pu.arrayBuffers,
        rss: pu.rss,
        indexBytes: mem.columns + mem.engine,
        perPacket: mem.perPacket,
        packets: index?.count ?? 0,
      });
      return;
    }
    case 'close': {
      if (closing) return;
      closing = true;
      const idx = index ?? (opening ? await opening.catch(() => undefined) : undefined);
      if (idx) await idx.close();
      post({ type: 'closed' });
      port?.close();
      return;
    }
    default:
      throw new Error(`unknown request type ${(msg as { type?: unknown }).type}`);
  }
}

port?.on('message', (msg: ToWorker) => {
  let p: Promise<void>;
  try {
    p = handle(msg);
  } catch (e) {
    p = Promise.reject(e);
  }
  p.catch((e: unknown) => {
    const id = msg && typeof msg === 'object' && 'id' in msg && typeof msg.id === 'number' ? msg.id : undefined;
    post({ type: 'error', id, message: errorMessage(e) });
  });
});
