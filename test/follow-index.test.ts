/**
 * The capture editor's index in follow mode (issue 16): a file written piece by piece while it is
 * indexed gets its new packets indexed at each grow(), a record cut by the current end is not
 * reported as damage, connections are answered while following, and settle() ends with the same
 * index (rows, states, connections) as indexing the whole file at once.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { conversations, prng } from '../src/core/synth/conversations';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import type { IndexProgress } from '../src/worker/api';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { flowPackets } from '../src/worker/flowPackets';
import { WorkerClient } from '../src/worker/client';
import { Worker } from 'node:worker_threads';
import { skipBecause } from './helpers/skip';

function records(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of conversations({ connections: 6, packets: 120, seed: 3, segmentSize: 200 })) {
    out.push(pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame));
  }
  return out;
}

/** Resolves with the first progress report that satisfies `ok` (the index reports every 20 ms here). */
function until(reports: IndexProgress[], ok: (p: IndexProgress) => boolean, what: string): Promise<IndexProgress> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 20000;
    const check = () => {
      const p = reports.find(ok);
      if (p) resolve(p);
      else if (Date.now() > deadline) reject(new Error(`no progress report with ${what}; last: ${JSON.stringify(reports.at(-1))}`));
      else setTimeout(check, 10);
    };
    check();
  });
}

describe('capture editor: follow mode (a file still being written)', function () {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-follow-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('indexes what the file gains at each grow(), waits on a cut record, and settles to the whole-file index', async () => {
    const recs = records();
    const file = path.join(dir, 'live.pcap');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, pcapHeader());
    const rnd = prng(9);
    // first third whole, then the next record cut in two
    const third = Math.floor(recs.length / 3);
    for (let i = 0; i < third; i++) fs.writeSync(fd, recs[i]);
    const cutAt = 5 + Math.floor(rnd() * (recs[third].length - 10));
    fs.writeSync(fd, recs[third].subarray(0, cutAt));

    const reports: IndexProgress[] = [];
    const idx = new CaptureIndex(fileInput(file), { follow: true, progressMs: 20, onProgress: (p) => reports.push(p) });
    void idx.start();
    const first = await until(reports, (p) => p.packets === third && p.following === true, `${third} packets while following`);
    assert.equal(first.error, undefined, 'a record cut by the current end is not damage');
    assert.equal(first.done, false);
    assert.equal(idx.following, true);
    const early = await idx.connections();
    assert.ok(early.length > 0, 'connections are answered while following');
    assert.ok(early.every((c) => c.packets.client + c.packets.server > 0));

    // the rest of the cut record and the remaining records, in random pieces, each followed by grow()
    fs.writeSync(fd, recs[third].subarray(cutAt));
    let written = third + 1;
    while (written < recs.length) {
      const n = Math.min(recs.length - written, 1 + Math.floor(rnd() * 20));
      for (let i = 0; i < n; i++) fs.writeSync(fd, recs[written + i]);
      written += n;
      idx.grow();
      await until(reports, (p) => p.packets === written, `${written} packets`);
    }
    fs.closeSync(fd);
    const rowsWhileFollowing = await idx.rows(0, recs.length);
    // the flow graph's packets are answered while following too (not held until the file settles)
    const flowLive = await flowPackets(idx);
    assert.ok(flowLive.length > 0 && flowLive.length <= recs.length);
    assert.equal(rowsWhileFollowing.length, recs.length);
    idx.settle();
    await idx.indexed;
    const last = idx.progress();
    assert.equal(last.done, true);
    assert.equal(last.statesFinal, true);
    assert.equal(last.following, undefined);
    assert.equal(last.error, undefined);
    assert.equal(idx.count, recs.length);

    // the same file indexed at once gives the same rows and connections
    const whole = new CaptureIndex(fileInput(file));
    await whole.start();
    assert.deepEqual(await idx.rows(0, recs.length), await whole.rows(0, recs.length));
    assert.deepEqual(await idx.connections(), await whole.connections());
    await whole.close();
    await idx.close();
  });

  it('a record still cut when the file settles is reported as truncated, the packets before it stay', async () => {
    const recs = records().slice(0, 10);
    const file = path.join(dir, 'cut.pcap');
    const last = recs[9];
    fs.writeFileSync(file, Buffer.concat([pcapHeader(), ...recs.slice(0, 9), last.subarray(0, last.length - 3)]));
    const reports: IndexProgress[] = [];
    const idx = new CaptureIndex(fileInput(file), { follow: true, progressMs: 20, onProgress: (p) => reports.push(p) });
    void idx.start();
    const p = await until(reports, (r) => r.packets === 9 && r.following === true, '9 packets while following');
    assert.equal(p.error, undefined);
    idx.settle();
    await idx.indexed;
    const end = idx.progress();
    assert.equal(end.error?.kind, 'truncated');
    assert.equal(idx.count, 9);
    await idx.close();
  });

  it('through the worker (dist/worker.js): open with follow, grow and settle messages, conns while following', async function () {
    const workerJs = [path.resolve(process.cwd(), 'dist', 'worker.js'), path.resolve(__dirname, '..', '..', 'dist', 'worker.js')].find((f) => fs.existsSync(f));
    if (!workerJs) skipBecause(this, 'dist/worker.js not built; run npm run build');
    const recs = records();
    const file = path.join(dir, 'w.pcap');
    fs.writeFileSync(file, Buffer.concat([pcapHeader(), ...recs.slice(0, 40)]));
    const c = new WorkerClient(new Worker(workerJs));
    const reports: IndexProgress[] = [];
    c.onProgress((p) => reports.push(p));
    try {
      c.openPath(file, 20, true);
      await until(reports, (p) => p.packets === 40 && p.following === true, '40 packets while following');
      assert.ok((await c.connections()).length > 0, 'connections while following');
      fs.appendFileSync(file, Buffer.concat(recs.slice(40)));
      c.grow();
      await until(reports, (p) => p.packets === recs.length, `${recs.length} packets after grow`);
      c.settle();
      const done = await c.whenDone();
      assert.equal(done.packets, recs.length);
      assert.equal(done.statesFinal, true);
      assert.equal(done.following, undefined);
    } finally {
      await c.close();
    }
  });
});
