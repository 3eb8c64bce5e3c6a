/**
 * Capture editor benchmark: drives the built decoding worker (dist/worker.js) through WorkerClient,
 * exactly as CaptureSession does for an open editor, and returns lines to print (never asserts).
 *
 *   - first rows: time from starting the worker (and from the open request) until rows(0, 60)
 *     requested on the first progress report has answered; goal < 300 ms whatever the file size;
 *   - full index: time until the progress says done; goal < 2 s for 2,000,000 packets, < 8 s for 10,000,000;
 *   - memory beyond the file's page cache: growth of the host's and the worker's V8 heaps plus the
 *     process's ArrayBuffers (typed arrays) after a full GC, divided by the packets (goal ≤ 48
 *     bytes a packet), and the process RSS growth;
 *   - rows(...) latency for random pages of 60 rows (not cached), details and two filters.
 *
 * Usage from scripts/bench.ts:  for (const l of await benchEditor(file)) console.log(l);
 * (also measures the 200,000-packet capture beside it when it exists, for the first-rows figure).
 * Standalone: node scripts/run-ts.mjs scripts/bench-editor.ts [FILE] [--only]  (--only: not the 200,000-packet file)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { WORKER_RESOURCE_LIMITS } from '../src/worker/api';
import { WorkerClient } from '../src/worker/client';

const ROOT = [path.resolve(__dirname, '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'dist', 'worker.js'))) ?? path.resolve(__dirname, '..');
const WORKER = path.join(ROOT, 'dist', 'worker.js');

function gc(): void {
  try {
    let g = (globalThis as { gc?: () => void }).gc;
    if (!g) {
      v8.setFlagsFromString('--expose-gc');
      g = vm.runInNewContext('gc') as () => void;
    }
    g();
    g(); // a second pass frees what the first one's finalizers released
  } catch {
    // measure without
  }
}

function ms(x: number): string {
  return x.toFixed(0) + ' ms';
}

function mb(x: number): string {
  return (x / 1048576).toFixed(1) + ' MB';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

interface Run {
  packets: number;
  firstProgressMs: number;
  firstRowsMs: number;
  firstRowsFromOpenMs: number;
  fullMs: number;
  rate: number;
  lines: string[];
}

async function runOnce(file: string, full: boolean): Promise<Run> {
  const lines: string[] = [];
  gc();
  const host0 = process.memoryUsage();
  const t0 = performance.now();
  const client = new WorkerClient(new Worker(WORKER, { resourceLimits: WORKER_RESOURCE_LIMITS }));
  const w0 = await client.stats();
  const tOpen = performance.now();
  let firstProgressMs = -1;
  let rowsAsked = false;
  let firstRowsMs = -1;
  let firstRowsFromOpenMs = -1;
  let firstRowsCount = 0;
  const firstRows = new Promise<void>((resolve, reject) => {
    client.onProgress((p) => {
      if (firstProgressMs < 0) firstProgressMs = performance.now() - t0;
      if (!rowsAsked && p.packets > 0) {
        rowsAsked = true;
        client.rows(0, 60).then((rows) => {
          const t = performance.now();
          firstRowsMs = t - t0;
          firstRowsFromOpenMs = t - tOpen;
          firstRowsCount = rows.length;
          resolve();
        }, reject);
      }
    });
  });
  client.openPath(file);
  const done = await client.whenDone();
  const fullMs = performance.now() - t0;
  await firstRows;
  if (done.error) lines.push(`  error: ${done.error.message}`);
  const packets = done.packets;
  const run: Run = { packets, firstProgressMs, firstRowsMs, firstRowsFromOpenMs, fullMs, rate: done.rate, lines };
  lines.push(
    `  first rows (${firstRowsCount}): ${ms(firstRowsMs)} after starting the worker (${ms(firstRowsFromOpenMs)} after open; first progress at ${ms(firstProgressMs)})  [goal < 300 ms]`,
  );
  lines.push(`  full index: ${ms(fullMs)} for ${packets.toLocaleString('en-US')} packets (${Math.round(done.rate).toLocaleString('en-US')} packets/s in the worker)  [goal < ${packets > 5e6 ? 8 : 2} s]`);
  if (full) {
    // memory right after indexing (before the requests below), after a full GC in both threads
    const ws = await client.stats();
    gc();
    const host1 = process.memoryUsage();
    const hostHeap = host1.heapUsed - host0.heapUsed;
    const workerHeap = ws.heapUsed - w0.heapUsed;
    const buffers = ws.arrayBuffers - w0.arrayBuffers;
    const total = hostHeap + workerHeap + buffers;
    lines.push(
      `  memory: ${(total / packets).toFixed(1)} bytes a packet = ${mb(total)} (worker heap ${mb(workerHeap)}, host heap ${mb(hostHeap)}, ArrayBuffers ${mb(buffers)})  [goal ≤ 48]`,
    );
    lines.push(
      `          typed arrays of the index: ${ws.perPacket.toFixed(1)} bytes a packet (columns + TCP engine); RSS ${mb(ws.rss)} (+${mb(ws.rss - host0.rss)} since before the worker started)`,
    );
    // random pages (not cached), details, filters
    const lat: number[] = [];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 30; k++) {
      const start = Math.floor(rnd() * Math.max(1, packets - 60));
      const t = performance.now();
      await client.rows(start, 60);
      lat.push(performance.now() - t);
    }
    lines.push(`  rows(random start, 60): median ${lat.length ? median(lat).toFixed(1) : '-'} ms, p95 ${lat.length ? p95(lat).toFixed(1) : '-'} ms (30 pages)`);
    const dl: number[] = [];
    for (let k = 0; k < 10; k++) {
      const t = performance.now();
      await client.details(Math.floor(rnd() * packets));
      dl.push(performance.now() - t);
    }
    lines.push(`  details(random): median ${median(dl).toFixed(1)} ms`);
    for (const expr of ['tcp port 8080 and flags S', 'problem']) {
      const t = performance.now();
      const r = await client.filter(expr);
      lines.push(`  filter "${expr}": ${ms(performance.now() - t)} → ${r.ok ? r.count.toLocaleString('en-US') + ' packets' : 'error ' + r.error}`);
    }
    const t = performance.now();
    const conns = await client.connections();
    lines.push(`  connections(): ${ms(performance.now() - t)} → ${conns.length.toLocaleString('en-US')} connections (not counted in the memory above)`);
  }
  await client.close();
  return run;
}

/** Lines to print for the capture editor's figures on `file` (and the 200,000-packet capture beside it). */
export async function benchEditor(file: string, alone = false): Promise<string[]> {
  const out: string[] = [];
  if (!fs.existsSync(WORKER)) return [`capture editor: ${WORKER} not built (npm run build)`];
  const files = [file];
  const small = file.replace(/synth-\d+/, 'synth-200000');
  if (!alone && small !== file && fs.existsSync(small)) files.push(small);
  for (const f of files) {
    out.push(`capture editor (worker) — ${path.relative(process.cwd(), f) || f}, ${mb(fs.statSync(f).size)}:`);
    // a first untimed run warms the page cache, as for a file opened before
    if (f === file) await runOnce(f, false);
    const r = await runOnce(f, f === file);
    out.push(...r.lines);
  }
  return out;
}

if (require.main === module) {
  const file = process.argv[2] ?? path.join(ROOT, '.bench', 'synth-2000000.pcap');
  benchEditor(file, process.argv.includes('--only')).then(
    (lines) => {
      for (const l of lines) console.log(l);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
