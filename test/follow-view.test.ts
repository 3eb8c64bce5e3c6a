/**
 * Follow TCP Stream in the editor (issue 13): the message heads the view shows for HTTP, the page builder
 * (bytes, marks, states, heads, bounds), the decoding worker serving a stream by pages (in process and
 * through dist/worker.js, whose follow requests are checked at run time), saving one direction streamed to
 * a file, and the tcpdump-text source of the same view.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { httpHeads, MAX_HEAD_LINES } from '../src/core/follow/heads';
import { followPage, FOLLOW_PAGE_MAX } from '../src/core/follow/page';
import { CaptureIndex } from '../src/worker/captureIndex';
import { FollowService } from '../src/worker/follow';
import { parseFollowRequest } from '../src/worker/followMessages';
import { WorkerClient } from '../src/worker/client';
import { followCapture } from '../src/node/follow';
import { followMarksPcap, httpGapPcap, HTTP_SEGMENT } from './helpers/followCaptures';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Follow view: HTTP message heads', function () {
  it('reads a request line and its headers, up to the empty line', function () {
    const h = httpHeads(enc('GET /a?b=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\nbody'), 0)!;
    assert.equal(h.role, 'request');
    assert.equal(h.title, 'GET /a?b=1 HTTP/1.1');
    assert.deepEqual(h.headers, ['Host: x', 'Accept: */*']);
    assert.equal(h.length, 'GET /a?b=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n'.length);
  });
  it('reads a status line; bytes that do not start a message are not one', function () {
    assert.equal(httpHeads(enc('HTTP/1.1 404 Not Found\r\nServer: s\r\n\r\n'), 1)?.title, 'HTTP/1.1 404 Not Found');
    assert.equal(httpHeads(enc('HTTP/1.1 abc\r\n'), 1), null);
    assert.equal(httpHeads(enc('hello world\r\n'), 0), null);
    assert.equal(httpHeads(enc('GET / FTP/1.0\r\n'), 0), null);
    assert.equal(httpHeads(enc('FOO / HTTP/1.1\r\n'), 0), null);
  });
  it('keeps at most MAX_HEAD_LINES header lines and shows control bytes as "."', function () {
    const many = 'GET / HTTP/1.1\r\n' + 'X: \u0001y\r\n'.repeat(MAX_HEAD_LINES * 3);
    const h = httpHeads(enc(many), 0)!;
    assert.equal(h.headers.length, MAX_HEAD_LINES);
    assert.equal(h.headers[0], 'X: .y');
  });
});

describe('Follow view: pages of a stream', function () {
  let dir: string;
  let file: string;
  let marks: string;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-followview-'));
    file = path.join(dir, 'http-gap.pcap');
    fs.writeFileSync(file, httpGapPcap());
    marks = path.join(dir, 'marks.pcap');
    fs.writeFileSync(marks, followMarksPcap());
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('followPage: request and response heads, the missing chunk, separators with both states', async function () {
    const src = await followCapture(file, 0);
    try {
      const s = src.stream!;
      const page = followPage(s, 0, 100, src.frame, src.states, { heads: httpHeads });
      const kinds = page.map((c) => c.kind);
      assert.deepEqual(kinds, ['separator', 'separator', 'data', 'data', 'data', 'missing', 'out-of-order', 'separator', 'separator']);
      assert.equal(page[2].head?.title, 'GET /index.html HTTP/1.1');
      assert.deepEqual(page[2].head?.headers, ['Host: example.com', 'User-Agent: capture-lens-test', 'Accept: */*']);
      assert.equal(page[3].head?.title, 'HTTP/1.1 200 OK');
      assert.equal(page[4].head, undefined, 'a body segment starts no message');
      assert.equal(page[5].length, HTTP_SEGMENT);
      assert.equal(page[5].dir, 1);
      assert.equal(page[5].bytes, undefined);
      assert.equal(Buffer.from(page[2].bytes!).toString('latin1').split('\r\n')[0], 'GET /index.html HTTP/1.1');
      assert.equal(page[2].packet, 3);
      assert.deepEqual(page[0].states, { client: 'SYN_SENT', server: 'SYN_RCVD' });
      assert.equal(page[8].states?.client, 'TIME_WAIT');
      // bounds: a page is at most FOLLOW_PAGE_MAX chunks, and past the end it is empty
      assert.equal(followPage(s, 9, 10, src.frame).length, 0);
      assert.ok(followPage(s, 0, FOLLOW_PAGE_MAX * 4, src.frame).length <= FOLLOW_PAGE_MAX);
    } finally {
      src.close();
    }
  });

  it('followPage: a retransmitted copy that differs carries its first difference', async function () {
    const src = await followCapture(marks, 1);
    try {
      const page = followPage(src.stream!, 0, 100, src.frame);
      const differing = page.filter((c) => c.kind === 'retransmission-differs');
      assert.equal(differing.length, 1);
      assert.equal(differing[0].differs, true);
      assert.deepEqual(differing[0].firstDiff, { pos: 0, was: 0x68, now: 0x48 });
      assert.equal(page.filter((c) => c.kind === 'retransmission' && c.differs === false).length, 2);
    } finally {
      src.close();
    }
  });

  it('the worker serves pages equal to the CLI path, links packets to chunks, and saves one direction', async function () {
    const idx = new CaptureIndex(file);
    await idx.start();
    const svc = new FollowService(idx);
    try {
      const meta = await svc.open(0);
      assert.ok(meta);
      assert.equal(meta.client.port, 51000);
      assert.equal(meta.server.addr, '93.184.216.34');
      assert.deepEqual(meta.missing, [0, HTTP_SEGMENT]);
      const { chunks } = await svc.page(0, 0, 256);
      const src = await followCapture(file, 0);
      const ref = followPage(src.stream!, 0, 256, src.frame, src.states, { heads: httpHeads });
      src.close();
      assert.deepEqual(
        chunks.map((c) => ({ ...c, bytes: c.bytes && Buffer.from(c.bytes).toString('hex') })),
        ref.map((c) => ({ ...c, bytes: c.bytes && Buffer.from(c.bytes).toString('hex') })),
      );
      assert.equal(await svc.chunkOf(0, 4), 3, 'packet 5 (the response head) is chunk 3');
      assert.equal(await svc.chunkOf(0, 7), 5, 'the client ACK that showed the gap links to the missing chunk');
      assert.equal(await svc.chunkOf(0, 100), -1, 'no such packet');
      assert.equal(await svc.open(7), null, 'no stream 7');
      const out = path.join(dir, 'server.bin');
      const n = await svc.save(0, 1, out);
      const saved = fs.readFileSync(out, 'latin1');
      assert.equal(n, saved.length);
      assert.ok(saved.startsWith('HTTP/1.1 200 OK\r\n'));
      assert.ok(saved.endsWith('a'.repeat(HTTP_SEGMENT) + 'c'.repeat(HTTP_SEGMENT)), 'the gap is skipped, both body segments are there');
    } finally {
      await idx.close();
    }
  });

  it('follow requests are checked at run time (parseFollowRequest)', function () {
    assert.deepEqual(parseFollowRequest({ type: 'followPage', id: 1, stream: 0, from: 0, count: 1e9 }), { type: 'followPage', id: 1, stream: 0, from: 0, count: FOLLOW_PAGE_MAX });
    assert.equal(parseFollowRequest({ type: 'followPage', id: 1, stream: -1, from: 0, count: 1 }), null);
    assert.equal(parseFollowRequest({ type: 'followPage', id: 1, stream: 0, from: 0.5, count: 1 }), null);
    assert.equal(parseFollowRequest({ type: 'followSave', id: 1, stream: 0, dir: 2, path: '/x' }), null);
    assert.equal(parseFollowRequest({ type: 'followSave', id: 1, stream: 0, dir: 0, path: 'a\0b' }), null);
    assert.equal(parseFollowRequest({ type: 'followChunkOf', id: 1, stream: 0, packet: '3' }), null);
    assert.equal(parseFollowRequest(['followOpen']), null);
  });

  it('dist/worker.js answers follow pages, and a malformed follow request with an error', async function () {
    this.timeout(20_000);
    const worker = new Worker(path.resolve(__dirname, '..', '..', 'dist', 'worker.js'));
    const client = new WorkerClient(worker);
    try {
      client.openPath(file);
      await client.whenDone();
      const meta = await client.followOpen(0);
      assert.equal(meta?.chunkCount, 9);
      const page = await client.followPage(0, 2, 2);
      assert.deepEqual(page.chunks.map((c) => c.head?.title), ['GET /index.html HTTP/1.1', 'HTTP/1.1 200 OK']);
      assert.equal(await client.followChunkOf(0, 3), 2);
      await assert.rejects(client.followPage(0, -5, 2), /malformed followPage/);
    } finally {
      await client.close();
    }
  });
});
