/**
 * VS Code for the Web (issue 17): the browser bundles (dist/web/, made by `npm run build`) hold no
 * Node; the index gives the same rows, details, tcpdump lines and connections whether it reads a
 * file on disk (src/worker/fileInput.ts) or the whole bytes that vscode.workspace.fs returns
 * (src/worker/bytesInput.ts); the browser's worker bundle (dist/web/worker.js) answers the
 * protocol with no `require`, `Buffer`, `process` or `setImmediate` in reach; and a capture read
 * whole is refused above its size limit before a byte is read.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Worker } from 'node:worker_threads';

import { readWholeFile, WHOLE_FILE_MAX_BYTES } from '../src/core/capture/wholeFile';
import { formatEn } from '../src/core/explain/l10n';
import { CaptureIndex } from '../src/worker/captureIndex';
import { BytesInput } from '../src/worker/bytesInput';
import { fileInput } from '../src/worker/fileInput';
import { WorkerClient } from '../src/worker/client';
import type { IndexProgress } from '../src/worker/api';
import { zhCn } from '../src/node/l10n';
import { samplesDir } from './helpers/generated';
import { conversations } from '../src/core/synth/conversations';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { DECODE_SLICE } from '../src/worker/filterViews';

const ROOT = [process.cwd(), path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')].find((d) => fs.existsSync(path.join(d, 'package.json')))!;
const WEB_EXTENSION = path.join(ROOT, 'dist', 'web', 'extension.js');
const WEB_WORKER = path.join(ROOT, 'dist', 'web', 'worker.js');
const NODE_WORKER = path.join(ROOT, 'dist', 'worker.js');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-web-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Everything a capture editor shows of a capture, from one index. */
async function everything(idx: CaptureIndex): Promise<unknown> {
  const progress: IndexProgress[] = [];
  await idx.start();
  const n = idx.count;
  const rows = await idx.rows(0, n);
  const all = Array.from({ length: n }, (_, i) => i);
  const details = [];
  for (const i of all) {
    const d = await idx.details(i);
    details.push({ ...d, bytes: Buffer.from(d.bytes).toString('hex') });
  }
  const lines = await idx.lines(all);
  const conns = await idx.connections();
  const filter = await idx.filter('tcp.flags.syn == 1 || http');
  const filtered = filter.ok ? await idx.rows(0, idx.viewCount(filter.view), filter.view) : filter;
  const p = idx.progress();
  await idx.close();
  return { n, rows, details, lines, conns, filtered, error: p.error, progress: progress.length >= 0 };
}

function bytesIndex(file: string, bytes = fs.readFileSync(file)): CaptureIndex {
  // a copy: the index keeps the bytes (as the worker keeps what the host transferred)
  return new CaptureIndex(new BytesInput(new Uint8Array(bytes), file, zhCn()));
}

describe('VS Code for the Web: the index over whole bytes and the browser bundles', function () {
  this.timeout(120_000);

  it('the browser bundles hold no Node: only require("vscode") in the extension, no require at all in the worker', function () {
    const ext = fs.readFileSync(WEB_EXTENSION, 'utf8');
    const worker = fs.readFileSync(WEB_WORKER, 'utf8');
    const requires = (s: string) => [...new Set(s.match(/\brequire\(\s*["'][^"']*["']\s*\)/g) ?? [])];
    assert.deepEqual(requires(ext), ['require("vscode")']);
    assert.deepEqual(requires(worker), []);
    for (const [name, s] of [['extension', ext], ['worker', worker]]) {
      assert.doesNotMatch(s, /require\(\s*["'](node:|fs|path|os|zlib|worker_threads|crypto|child_process)/, name);
      // Node's globals are not there in a browser: Buffer, __dirname; process only behind a typeof test
      assert.doesNotMatch(s, /\bBuffer\.(from|alloc|concat)/, `${name}: Buffer`);
      assert.doesNotMatch(s, /\b__dirname\b|\b__filename\b/, `${name}: __dirname`);
      const uses = (s.match(/\bprocess\.\w+/g) ?? []).length;
      const guarded = (s.match(/typeof process !== "undefined" && process\.\w+/g) ?? []).length;
      assert.equal(uses, guarded, `${name}: every use of process is guarded`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { browser?: string; main?: string };
    assert.equal(path.resolve(ROOT, pkg.browser ?? ''), WEB_EXTENSION, 'package.json "browser" names the web bundle');
  });

  it('whole bytes (workspace.fs) and a file on disk give the same rows, details, lines, connections and filter view', async function () {
    const dir = samplesDir();
    const files = fs.readdirSync(dir).filter((f) => /\.(pcap|pcapng)$/.test(f));
    assert.ok(files.length >= 5, `samples: ${files.join(', ')}`);
    for (const f of files) {
      const file = path.join(dir, f);
      const a = await everything(new CaptureIndex(fileInput(file)));
      const b = await everything(bytesIndex(file));
      assert.deepEqual(b, a, f);
      assert.ok((a as { n: number }).n > 0, f);
    }
  });

  it('gzip: DecompressionStream in memory gives what zlib to a temporary copy gives; a cut gzip and a cut capture give the same error', async function () {
    const file = path.join(samplesDir(), 'all-two-interfaces.pcapng');
    const raw = fs.readFileSync(file);
    const gz = path.join(tmp, 'all.pcapng.gz');
    fs.writeFileSync(gz, zlib.gzipSync(raw));
    const a = await everything(new CaptureIndex(fileInput(gz)));
    const b = await everything(bytesIndex(gz));
    assert.deepEqual(b, a);
    assert.deepEqual((b as { rows: unknown[] }).rows, (await everything(new CaptureIndex(fileInput(file))) as { rows: unknown[] }).rows, 'the same rows as uncompressed');

    // a capture cut inside a record: the same packets before it, the same 'truncated' error
    const cut = path.join(tmp, 'cut.pcapng');
    fs.writeFileSync(cut, raw.subarray(0, raw.length - 7));
    const c = (await everything(new CaptureIndex(fileInput(cut)))) as { n: number; error?: { kind: string; offset: number } };
    const d = (await everything(bytesIndex(cut))) as { n: number; error?: { kind: string; offset: number } };
    assert.equal(c.error?.kind, 'truncated');
    assert.deepEqual(d, c);

    // a gzip stream cut short: what was inflated is indexed, and the error says the data ends early
    const gzCut = path.join(tmp, 'cut.pcapng.gz');
    const z = zlib.gzipSync(raw);
    fs.writeFileSync(gzCut, z.subarray(0, Math.floor(z.length * 0.6)));
    const e = (await everything(bytesIndex(gzCut))) as { n: number; error?: { kind: string; message: string } };
    assert.ok(e.n > 0, 'packets before the cut');
    assert.ok(e.error, 'an error');
    assert.match(e.error.message, /gzip-compressed data ends early|damaged/);
  });

  it('not a capture, empty: the same error from bytes as from the file', async function () {
    for (const [name, content] of [
      ['text.pcap', 'hello, this is not a capture\n'],
      ['empty.pcap', ''],
    ] as const) {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, content);
      const a = (await everything(new CaptureIndex(fileInput(file)))) as { error?: { kind: string; message: string } };
      const b = (await everything(bytesIndex(file))) as { error?: { kind: string; message: string } };
      assert.equal(a.error?.kind, 'not-a-capture', name);
      assert.deepEqual(b.error, a.error, name);
    }
  });

  it('the browser worker bundle runs without require, Buffer, process or setImmediate and answers as the Node worker does', async function () {
    const file = path.join(samplesDir(), 'handshake-data-teardown.pcap');
    // The smallest stand-in for a Web Worker: a thread whose globals are postMessage / addEventListener / close,
    // running dist/web/worker.js as a plain script with Node's names shadowed (a use of one is a TypeError).
    const harness = `
      const { parentPort, workerData } = require('node:worker_threads');
      const fs = require('node:fs');
      const vm = require('node:vm');
      delete globalThis.setImmediate;
      globalThis.postMessage = (m, t) => parentPort.postMessage(m, t);
      globalThis.addEventListener = (type, l) => parentPort.on(type, (d) => l({ data: d }));
      globalThis.close = () => parentPort.close();
      const src = fs.readFileSync(workerData, 'utf8');
      vm.runInThisContext('(function (require, Buffer, process, __dirname, __filename, module, exports) {' + src + '\\n})()', { filename: workerData });
    `;
    const web = new WorkerClient(new Worker(harness, { eval: true, workerData: WEB_WORKER }));
    const node = new WorkerClient(new Worker(NODE_WORKER));
    try {
      web.openBytes(new Uint8Array(fs.readFileSync(file)), 'handshake-data-teardown.pcap');
      node.openPath(file);
      const [pw, pn] = await Promise.all([web.whenDone(), node.whenDone()]);
      assert.equal(pw.error, undefined, JSON.stringify(pw.error));
      assert.equal(pw.packets, pn.packets);
      assert.ok(pw.packets > 5);
      assert.deepEqual(await web.rows(0, pw.packets), await node.rows(0, pn.packets));
      assert.deepEqual(await web.connections(), await node.connections());
      const dw = await web.details(3);
      const dn = await node.details(3);
      assert.deepEqual({ ...dw, bytes: [...dw.bytes] }, { ...dn, bytes: [...dn.bytes] });
      assert.deepEqual(await web.lines([0, 1, 2]), await node.lines([0, 1, 2]));
      // a local path is the desktop's; without one the worker hands back the bytes, equal to the Node worker's file
      await assert.rejects(web.exportPackets(path.join(tmp, 'x.pcap'), 'pcap', { view: 0 }), /not available in VS Code for the Web/);
      for (const format of ['pcap', 'pcapng'] as const) {
        const out = path.join(tmp, `node-export.${format}`);
        const fromNode = await node.exportPackets(out, format, { stream: 0 });
        const fromWeb = await web.exportBytes(format, { stream: 0 });
        assert.equal(fromWeb.packets, fromNode.packets);
        assert.ok(fromWeb.packets > 0);
        assert.deepEqual(Buffer.from(fromWeb.data), fs.readFileSync(out), format);
      }
      // Follow's Save: one direction's bytes from the web worker equal what the Node worker writes to a file
      await Promise.all([web.followOpen(0), node.followOpen(0)]);
      for (const dir of [0, 1] as const) {
        const out = path.join(tmp, `node-follow-${dir}.bin`);
        const n = await node.followSave(0, dir, out);
        const b = await web.followBytes(0, dir);
        assert.equal(b.length, n);
        assert.deepEqual(Buffer.from(b), fs.readFileSync(out), `direction ${dir}`);
      }
      assert.ok((await web.followBytes(0, 0)).length > 0, 'the client sent data');
    } finally {
      await Promise.all([web.close(), node.close()]);
    }

    // A filter that decodes frames yields between slices of DECODE_SLICE packets with setImmediate, which a
    // browser lacks (webWorker.ts puts one in): more packets than a slice, in both workers.
    const parts: Uint8Array[] = [pcapHeader(1, false)];
    for (const p of conversations({ connections: 60, packets: DECODE_SLICE + 5000, concurrency: 8, seed: 5, segmentSize: 40, serverPorts: [8888] })) {
      parts.push(pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame));
    }
    const big = path.join(tmp, 'big.pcap');
    fs.writeFileSync(big, Buffer.concat(parts));
    const web2 = new WorkerClient(new Worker(harness, { eval: true, workerData: WEB_WORKER }));
    const node2 = new WorkerClient(new Worker(NODE_WORKER));
    try {
      web2.openBytes(new Uint8Array(fs.readFileSync(big)), 'big.pcap');
      node2.openPath(big);
      const [bw, bn] = await Promise.all([web2.whenDone(), node2.whenDone()]);
      assert.ok(bw.packets > DECODE_SLICE && bw.packets === bn.packets, `${bw.packets} / ${bn.packets}`);
      const fw = await web2.filter('ip.ttl == 64 && tcp.len > 0');
      const fn = await node2.filter('ip.ttl == 64 && tcp.len > 0');
      assert.ok(fw.ok && fn.ok);
      assert.ok(fw.count > 0);
      assert.equal(fw.count, fn.count);
    } finally {
      await Promise.all([web2.close(), node2.close()]);
    }
  });

  it('a capture read whole: refused above the limit before it is read, read below it, and a read failure is a sentence', async function () {
    let reads = 0;
    const memfs = (size: number, fail?: string) => ({
      stat: async () => {
        if (fail === 'stat') throw new Error('ENOENT: no such file');
        return { size };
      },
      readFile: async () => {
        reads++;
        if (fail === 'read') throw new Error('the provider went away');
        return new Uint8Array(size);
      },
    });
    const uri = { scheme: 'memfs', path: '/big.pcap' };
    const big = await readWholeFile(memfs(WHOLE_FILE_MAX_BYTES + 1), uri, 'big.pcap', formatEn);
    assert.ok('message' in big);
    assert.match(big.message, /^big\.pcap is 256\.0 MiB: .* opens up to 256\.0 MiB, because it is read whole into memory/);
    assert.equal(reads, 0, 'nothing read above the limit');
    const small = await readWholeFile(memfs(1000), uri, 'small.pcap', formatEn);
    assert.ok('bytes' in small);
    assert.equal(small.bytes.length, 1000);
    assert.equal(reads, 1);
    const atLimit = await readWholeFile(memfs(64), uri, 'x.pcap', formatEn, 64);
    assert.ok('bytes' in atLimit, 'exactly the limit is read');
    for (const fail of ['stat', 'read']) {
      const r = await readWholeFile(memfs(10, fail), uri, 'gone.pcap', formatEn);
      assert.ok('message' in r);
      assert.match(r.message, /^Cannot read gone\.pcap: /);
    }
    // the sentences are in the Chinese bundle
    const zh = zhCn();
    const zr = await readWholeFile(memfs(WHOLE_FILE_MAX_BYTES * 2), uri, 'big.pcap', zh);
    assert.ok('message' in zr);
    assert.match(zr.message, /big\.pcap 大小为 512\.0 MiB/);
  });
});
