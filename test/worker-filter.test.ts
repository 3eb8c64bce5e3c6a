/**
 * The capture editor's filter box with Wireshark display-filter syntax: filters evaluated by the
 * worker index (src/worker/captureIndex.ts: columns, engine, frames read by position) keep exactly
 * the packets the in-memory reference (RecordColumns, src/core/filter/columns.ts) keeps, packet for
 * packet; errors come back at the token; decoding filters are evaluated in slices.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { RecordColumns } from '../src/core/filter/columns';
import { tryCompileFilter, type FilterColumns } from '../src/core/filter/eval';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { WorkerClient } from '../src/worker/client';
import { corpusPath, needCorpus, readAll } from './helpers/corpus';
import { generated, samplesDir } from './helpers/generated';
import { skipBecause } from './helpers/skip';

/** Packet indices a filter keeps, by the reference. */
function reference(cols: FilterColumns, expr: string): number[] {
  const c = tryCompileFilter(expr, cols);
  assert.ok(c.ok, `${expr}: ${!c.ok ? c.error : ''}`);
  const out: number[] = [];
  if (c.ok) for (let i = 0; i < cols.count; i++) if (c.match(i)) out.push(i);
  return out;
}

/** Packet indices of a view of the index, read back as rows. */
async function viewOf(idx: CaptureIndex, expr: string): Promise<number[]> {
  const r = await idx.filter(expr);
  assert.ok(r.ok, `${expr}: ${!r.ok ? r.error : ''}`);
  if (!r.ok) return [];
  const rows = await idx.rows(0, r.count + 10, r.view);
  assert.equal(rows.length, r.count, `${expr}: count = rows`);
  return rows.map((x) => x.index);
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Filters on a capture, the text ones built from its content so that they match something. */
function filtersFor(ref: RecordColumns, records: { data: Uint8Array }[]): string[] {
  const a = ref.addressOf(ref.src[0] || 1);
  const host = a && a.family === 4 ? [a.v4 >>> 24, (a.v4 >>> 16) & 255, (a.v4 >>> 8) & 255, a.v4 & 255].join('.') : '10.0.0.1';
  const net8 = host.split('.')[0] + '.0.0.0/8';
  const last = records[records.length - 1].data;
  const tail = last.subarray(Math.max(0, last.length - 4));
  return [
    'ip.ttl == 64',
    'ip.ttl != 64',
    'tcp.analysis.retransmission',
    'tcp.analysis.flags && !tcp.analysis.window_update',
    'ip.addr == 10.0.0.0/8',
    `ip.addr == ${net8}`,
    `ip.src == ${host}/24 && ip.dst > ${host}`,
    'frame.time_relative > 0.5',
    'frame.time_relative <= 0.5 && frame.time_delta > 0',
    `frame contains ${hex(tail)}`,
    'frame contains "GET"',
    'tcp.len > 0',
    'tcp.flags.syn == 1 && tcp.flags.ack == 0',
    `host ${host} && tcp.len > 0`,
    'port 8888 or ip.ttl < 64',
    'not tcp and frame.len > 60',
    'tcp.stream eq 3 && tcp.payload',
    'tcp.seq_raw > 1000 and tcp.window_size_value > 0',
    'frame matches "[A-Z]{3} /"',
  ];
}

async function compareAll(file: string, opts: ConstructorParameters<typeof CaptureIndex>[1] = {}): Promise<void> {
  const { records } = await readAll(file);
  const ref = new RecordColumns(records);
  const idx = new CaptureIndex(fileInput(file), opts);
  await idx.start();
  try {
    assert.equal(idx.count, records.length);
    let nonEmpty = 0;
    for (const f of filtersFor(ref, records)) {
      const want = reference(ref, f);
      assert.deepEqual(await viewOf(idx, f), want, f);
      if (want.length > 0 && want.length < records.length) nonEmpty++;
    }
    // the comparisons are not all vacuous (no filter keeping nothing, or everything)
    assert.ok(nonEmpty >= 6, `only ${nonEmpty} filters select a proper subset`);
  } finally {
    await idx.close();
  }
}

describe('capture editor: Wireshark display filters over the worker index', () => {
  it('generated conversations: every filter keeps what the in-memory reference keeps', async () => {
    await compareAll(generated().pcap);
  });

  it('a capture with retransmissions (tcp.analysis.* from the index engine)', async () => {
    const file = path.join(samplesDir(), 'retransmissions.pcap');
    const ref = new RecordColumns((await readAll(file)).records);
    const want = reference(ref, 'tcp.analysis.retransmission');
    assert.ok(want.length > 0, 'the sample has retransmissions');
    await compareAll(file);
  });

  it('corpus captures (IPv6, UDP, ICMP, HTTP, pcapng)', async function () {
    this.timeout(60000);
    needCorpus(this);
    for (const f of ['communityid.pcap', 'http-ooo.pcap', 'dmgr.pcapng']) {
      const file = corpusPath('wireshark', f);
      assert.ok(fs.existsSync(file), `${f} is in the corpus`);
      await compareAll(file);
    }
  });

  it('errors at the token, as the reference reports them; tcp.seq refused', async () => {
    const idx = new CaptureIndex(fileInput(generated().pcap));
    await idx.start();
    try {
      for (const f of ['tcp.prot == 80', 'port 80 && ip.ttl == "x"', 'tcp.port == 80 &&', 'ip.addr == 10.0.0.0/33']) {
        const r = await idx.filter(f);
        assert.equal(r.ok, false, f);
        const ref = tryCompileFilter(f, idx);
        assert.ok(!ref.ok);
        assert.deepEqual(r, { ok: false, error: ref.error, at: ref.at }, f);
      }
      const typo = await idx.filter('port 80 && tcp.prot == 80');
      assert.ok(!typo.ok && typo.at === 11 && /tcp\.prot/.test(typo.error), JSON.stringify(typo));
      const seq = await idx.filter('tcp.ack > 1');
      assert.ok(!seq.ok && seq.at === 0 && /tcp\.ack_raw/.test(seq.error), JSON.stringify(seq));
    } finally {
      await idx.close();
    }
  });

  it('a decoding filter runs in slices: other requests are answered meanwhile', async () => {
    const file = generated().pcap;
    const ref = new RecordColumns((await readAll(file)).records);
    const idx = new CaptureIndex(fileInput(file), { filterSlice: 100 });
    await idx.start();
    try {
      const order: string[] = [];
      const f = idx.filter('ip.ttl == 64 && tcp.len > 0').then((r) => (order.push('filter'), r));
      const rows = idx.rows(0, 3).then((r) => (order.push('rows'), r));
      const [r] = await Promise.all([f, rows]);
      assert.deepEqual(order, ['rows', 'filter'], 'the rows were answered between slices');
      assert.ok(r.ok && r.count === reference(ref, 'ip.ttl == 64 && tcp.len > 0').length);
      // a column-only filter is answered at once (no slices)
      const order2: string[] = [];
      const g = idx.filter('tcp.port == 8888').then(() => order2.push('filter'));
      const rows2 = idx.rows(0, 3).then(() => order2.push('rows'));
      await Promise.all([g, rows2]);
      assert.deepEqual(order2, ['filter', 'rows']);
    } finally {
      await idx.close();
    }
  });

  it('a filter made while the capture is still indexing: the view grows and ends right', async () => {
    const file = generated().pcap;
    const { records } = await readAll(file);
    const ref = new RecordColumns(records);
    const exprs = ['ip.ttl == 64 && tcp.len > 0', 'tcp.analysis.flags || frame.time_relative > 0.5', 'ip.addr == 10.0.0.0/8 && tcp.port == 9000'];
    let views: Promise<{ ok: boolean; view?: number }>[] = [];
    let midCount = -1;
    const idx = new CaptureIndex(fileInput(file), {
      chunkSize: 4096,
      progressMs: 0,
      filterSlice: 50,
      onProgress: (p) => {
        if (views.length === 0 && p.packets > 0 && !p.done) {
          midCount = p.packets;
          views = exprs.map((e) => idx.filter(e));
        }
      },
    });
    await idx.start();
    assert.ok(midCount > 0 && midCount < records.length, `filtered at ${midCount} of ${records.length} packets`);
    const made = await Promise.all(views);
    for (let k = 0; k < exprs.length; k++) {
      const v = made[k];
      assert.ok(v.ok && v.view !== undefined, exprs[k]);
      const rows = await idx.rows(0, records.length, v.view);
      assert.deepEqual(rows.map((x) => x.index), reference(ref, exprs[k]), exprs[k]);
      assert.equal(idx.viewCount(v.view), rows.length);
    }
    await idx.close();
  });
});

describe('capture editor: a Wireshark filter through the built worker (dist/worker.js)', () => {
  // out/test/ → the repository's dist/ (mocha runs from the repository)
  const workerJs = path.resolve(process.cwd(), 'dist', 'worker.js');

  it('a decoding filter gives the reference packets, an error comes back at its token', async function () {
    if (!fs.existsSync(workerJs)) skipBecause(this, 'dist/worker.js not built; run npm run build');
    const file = generated().pcap;
    const ref = new RecordColumns((await readAll(file)).records);
    const c = new WorkerClient(new Worker(workerJs));
    try {
      c.openPath(file);
      await c.whenDone();
      const expr = 'ip.ttl == 64 && tcp.len > 0 && tcp.port == 9000';
      const want = reference(ref, expr);
      assert.ok(want.length > 0);
      const f = await c.filter(expr);
      assert.ok(f.ok, JSON.stringify(f));
      if (f.ok) {
        assert.equal(f.count, want.length);
        assert.deepEqual((await c.rows(0, want.length + 5, f.view)).map((r) => r.index), want);
      }
      const bad = await c.filter('tcp.prot == 80');
      assert.ok(!bad.ok && bad.at === 0, JSON.stringify(bad));
    } finally {
      await c.close();
    }
  });
});
