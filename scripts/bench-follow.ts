/**
 * Follow-mode benchmark (issue 16; `npm run bench` runs it after the others; prints figures, never
 * asserts them). A classic pcap is appended to at a set rate while the decoding worker
 * (dist/worker.js, through WorkerClient as the editor drives it) follows it; after each append the
 * bench says `grow`, as the host's file watcher does. Prints the lag from the write of a packet to
 * the progress report that counts it (median, 95th percentile, worst), the packets per second the
 * worker kept up with, and the time from `settle` to the final index.
 *
 *   node scripts/run-ts.mjs scripts/bench-follow.ts [--rate PACKETS_PER_S] [--seconds N]
 *
 * Defaults are small (20,000 packets/s for 3 s) because the machines this runs on are shared; the
 * issue's figure is --rate 50000 --seconds 60.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { conversations } from '../src/core/synth/conversations';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { WORKER_RESOURCE_LIMITS } from '../src/worker/api';
import { WorkerClient } from '../src/worker/client';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

const ROOT = [path.resolve(__dirname, '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'dist', 'worker.js'))) ?? process.cwd();
const RATE = arg('--rate', 20000);
const SECONDS = arg('--seconds', 3);
/** Appends per second (a writer such as tcpdump -U writes each packet; 100 batches a second is close enough and cheap). */
const TICKS = 100;

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function main(): Promise<void> {
  const workerJs = path.join(ROOT, 'dist', 'worker.js');
  if (!fs.existsSync(workerJs)) {
    console.log('bench-follow: skipped (dist/worker.js is missing: npm run build)');
    return;
  }
  const total = Math.round(RATE * SECONDS);
  console.log(`follow: appending ${total} packets at ${RATE} packets/s for ${SECONDS} s`);
  const records: Buffer[] = [];
  for (const p of conversations({ connections: Math.max(1, Math.floor(total / 200)), packets: total, seed: 11 })) {
    records.push(Buffer.from(pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame)));
    if (records.length >= total) break;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-bench-follow-'));
  const file = path.join(dir, 'live.pcap');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, pcapHeader());
  const client = new WorkerClient(new Worker(workerJs, { resourceLimits: WORKER_RESOURCE_LIMITS }));
  /** writtenAt[k]: when the k-th batch was written; batchEnd[k]: packets written after it. */
  const writtenAt: number[] = [];
  const batchEnd: number[] = [];
  const lags: number[] = [];
  client.onProgress((p) => {
    const now = performance.now();
    // the earliest batch whose packets this report counts all of gives the lag of its last packet
    for (let k = 0; k < batchEnd.length && batchEnd[k] <= p.packets; k++) {
      if (writtenAt[k] >= 0) {
        lags.push(now - writtenAt[k]);
        writtenAt[k] = -1;
      }
    }
  });
  const opened = performance.now();
  client.openPath(file, 20, true);
  // the worker's start (a thread, the bundle, the file header) is not lag: the clock starts once it follows
  while (!client.progress.following && performance.now() - opened < 30000) await new Promise((r) => setTimeout(r, 5));
  console.log(`  worker following after ${(performance.now() - opened).toFixed(0)} ms`);
  const start = performance.now();
  let written = 0;
  const perTick = RATE / TICKS;
  for (let tick = 1; written < records.length; tick++) {
    const due = Math.min(records.length, Math.round(perTick * tick));
    if (due > written) {
      fs.writeSync(fd, Buffer.concat(records.slice(written, due)));
      written = due;
      writtenAt.push(performance.now());
      batchEnd.push(written);
      client.grow();
    }
    const next = start + (tick * 1000) / TICKS;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const writeMs = performance.now() - start;
  // wait until everything written is indexed, then settle
  while (client.progress.packets < written && performance.now() - start < writeMs + 60000) await new Promise((r) => setTimeout(r, 5));
  const caughtUp = performance.now() - start;
  const settleAt = performance.now();
  client.settle();
  const last = await client.whenDone();
  const settleMs = performance.now() - settleAt;
  fs.closeSync(fd);
  lags.sort((a, b) => a - b);
  console.log(`  written in ${(writeMs / 1000).toFixed(2)} s (${Math.round((written * 1000) / writeMs)} packets/s); all indexed ${(caughtUp - writeMs).toFixed(0)} ms after the last write`);
  console.log(
    `  lag from write to the progress report counting it (reports every 20 ms): median ${pct(lags, 0.5).toFixed(0)} ms, ` +
      `p95 ${pct(lags, 0.95).toFixed(0)} ms, worst ${(lags.at(-1) ?? 0).toFixed(0)} ms (${lags.length} batches)`,
  );
  console.log(`  settle → final index (engine finished, states final): ${settleMs.toFixed(0)} ms, ${last.packets} packets${last.error ? ', error: ' + last.error.message : ''}`);
  await client.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
