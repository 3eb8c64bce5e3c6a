/**
 * Decoding worker of the capture editor in the desktop extension host (a worker_threads worker,
 * one per open document): the shared handlers of ./serve.ts with what only Node has — a file on
 * disk by path (./fileInput.ts), Export Packets and Follow's Save to local files, V8's figures.
 * Bytes sent by the host (a remote or virtual file system read through vscode.workspace.fs) are
 * indexed from memory (./bytesInput.ts), as in the browser. The browser's entry is ./webWorker.ts.
 */
import * as fs from 'node:fs';
import { nodeInflate } from '../node/httpInflate';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { zhCn } from '../node/l10n';
import { BytesInput } from './bytesInput';
import { isDecodeAheadThread } from './decodeAhead';
import { exportPackets } from './exporter';
import { fileInput } from './fileInput';
import { ringInput } from './ringInput';
import { RingFiles, ringBaseOf } from '../node/followRing';
import type { OpenRequest } from './messages';

/** The ring of files of an `open` request (one for all its windows: they share its numbering of the files). */
const rings = new WeakMap<OpenRequest, RingFiles>();
function ringOf(msg: OpenRequest): RingFiles | undefined {
  if (!msg.path || !msg.ringFiles || msg.bytes) return undefined;
  let r = rings.get(msg);
  const base = ringBaseOf(msg.path, msg.ringFiles);
  if (!r && base !== null) {
    r = new RingFiles(base, msg.ringFiles);
    rings.set(msg, r);
  }
  return r;
}
import { serve } from './serve';

const port = parentPort;

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

const receive = serve({
  post: (msg, transfer) => port?.postMessage(msg, transfer as TransferListItem[] | undefined),
  exit: () => port?.close(),
  input(msg) {
    if (msg.bytes) return new BytesInput(new Uint8Array(msg.bytes), msg.name ?? 'capture', zhCn());
    if (!msg.path) throw new Error('open: neither a path nor bytes');
    const ring = ringOf(msg);
    return ring ? ringInput(ring, msg.path) : fileInput(msg.path);
  },
  fileRing: ringOf,
  // this bundle also runs the decode-ahead producer (started by its workerData)
  decodeAheadScript: __filename,
  exportPackets,
  saveFile: (p) => fs.promises.open(p, 'w'),
  inflate: nodeInflate,
  stats(index) {
    collectGarbage();
    const mem = index?.memoryBytes() ?? { columns: 0, engine: 0, perPacket: 0 };
    const pu = process.memoryUsage();
    return {
      heapUsed: v8.getHeapStatistics().used_heap_size,
      arrayBuffers: pu.arrayBuffers,
      rss: pu.rss,
      indexBytes: mem.columns + mem.engine,
      perPacket: mem.perPacket,
      packets: index?.count ?? 0,
    };
  },
});

// the same bundle runs as a decode-ahead producer (src/worker/decodeAhead.ts): that thread speaks no protocol
if (!isDecodeAheadThread()) port?.on('message', (msg: unknown) => receive(msg));
