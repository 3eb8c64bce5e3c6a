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
import { fileInput } from '../src/worker/fileInput';
import { FollowService } from '../src/worker/follow';
import { parseFollowRequest } from '../src/worker/followMessages';
import { WorkerClient } from '../src/worker/client';
import { followCapture } from '../src/node/follow';
import { readCaptureFile } from '../src/node/captureFile';
import { parsePrintArgs } from '../src/core/print/args';
import { PacketPrinter } from '../src/core/print/packet';
import { TextStreamData } from '../src/extension/follow/source';
import { tcpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { TH_ACK, TH_SYN } from '../src/core/decode/packet';
import { followMarksPcap, httpGapPcap, HTTP_SEGMENT } from './helpers/followCaptures';
import { rethrown } from './helpers/reading';
import type { ChunkView } from '../src/core/follow/page';
import { FOLLOW_VIEW_PAGE, parseFromWebview as parseFollowPanelMessage, type FollowUiStrings } from '../src/extension/follow/messages';
import { parseFromWebview as parseCaptureMessage } from '../src/extension/capture/webviewMessages';
import { parseFromWebview as parseFlowMessage } from '../src/extension/flow/messages';
import { chunkLines, TEXT_COLS } from '../media/follow/lines';
import { Heights } from '../media/follow/heights';

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
    const idx = new CaptureIndex(fileInput(file));
    await idx.start();
    const svc = new FollowService(idx, (p) => fs.promises.open(p, 'w'));
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

  it('the worker answers the first page while a long stream is still being read (paged, not whole)', async function () {
    // 3 handshake packets + 6,000 data segments: three batches of 2,048 packets to read
    const parts: Uint8Array[] = [pcapHeader(1, false, 65535)];
    const add = (f: Uint8Array, i: number): void => void parts.push(pcapRecord(1700000000, i, f));
    const c = { src: '10.1.0.1', dst: '10.1.0.2', sport: 40000, dport: 80 };
    const s = { src: c.dst, dst: c.src, sport: c.dport, dport: c.sport };
    add(tcpFrame({ ...c, seq: 0, flags: TH_SYN }), 0);
    add(tcpFrame({ ...s, seq: 0, ack: 1, flags: TH_SYN | TH_ACK }), 1);
    add(tcpFrame({ ...c, seq: 1, ack: 1, flags: TH_ACK }), 2);
    for (let k = 0; k < 6000; k++) add(tcpFrame({ ...c, seq: 1 + k * 100, ack: 1, flags: TH_ACK, payload: enc(String(k).padStart(100, '.')) }), 3 + k);
    const big = path.join(dir, 'long.pcap');
    fs.writeFileSync(big, Buffer.concat(parts));
    const idx = new CaptureIndex(fileInput(big));
    await idx.start();
    const svc = new FollowService(idx, (p) => fs.promises.open(p, 'w'));
    try {
      const first = await svc.open(0);
      assert.ok(first && !first.done && first.chunkCount < 6000, 'answered after the first batch: ' + JSON.stringify(first && { done: first.done, n: first.chunkCount }));
      const p = await svc.page(0, 5000, 3);
      assert.equal(Buffer.from(p.chunks[0].bytes!).toString('latin1').replace(/^\.+/, ''), '4998', 'a page far down waits for its chunks, then comes (chunks 0 and 1 are the SYN and SYN+ACK)');
      const last = await svc.page(0, 6000, 10);
      assert.equal(last.meta.done, true);
      assert.equal(last.meta.chunkCount, 6002);
      assert.equal(last.meta.delivered[0], 600_000);
    } finally {
      await idx.close();
    }
  });

  it('tcpdump text with -X and -XX gives the view the same pages as the capture; without dumps, bytes are not captured', async function () {
    const src = await followCapture(file, 0);
    const ref = followPage(src.stream!, 0, 256, src.frame, src.states, { heads: httpHeads });
    src.close();
    const norm = (l: ChunkView[]): unknown[] => l.map((c) => ({ ...c, states: undefined, bytes: c.bytes && Buffer.from(c.bytes).toString('hex') }));
    for (const opt of ['-X', '-XX', '']) {
      const { opts } = parsePrintArgs(opt ? [file, opt] : [file]);
      const printer = new PacketPrinter(opts);
      let text = '';
      rethrown(await readCaptureFile(file, { onRecord: (rec) => (text += printer.print(rec)) }).done);
      const data = new TextStreamData(text, 0, (p, b) => fs.promises.writeFile(p, b));
      const page = await data.page(0, 256);
      if (opt) {
        assert.deepEqual(norm(page), norm(ref), opt);
        const out = path.join(dir, 'client' + opt + '.bin');
        assert.equal(await data.save(0, out), 91);
        assert.ok(fs.readFileSync(out, 'latin1').startsWith('GET /index.html HTTP/1.1\r\n'));
      } else {
        assert.equal(page.filter((c) => c.bytes).length, 0, 'no hex dump: no bytes');
        assert.ok(page.some((c) => c.kind === 'missing' && c.length === 91), 'the request\'s 91 bytes are "not captured"');
      }
      data.close();
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

describe('Follow view: messages from the webviews are checked', function () {
  it('the Follow panel takes only well-formed messages, page counts clamped', function () {
    assert.deepEqual(parseFollowPanelMessage({ type: 'page', id: 3, from: 128, count: 1e6 }), { type: 'page', id: 3, from: 128, count: FOLLOW_VIEW_PAGE });
    assert.equal(parseFollowPanelMessage({ type: 'page', id: 3, from: -1, count: 4 }), null);
    assert.equal(parseFollowPanelMessage({ type: 'page', id: 3, from: 0, count: 0 }), null);
    assert.deepEqual(parseFollowPanelMessage({ type: 'select', packet: 9 }), { type: 'select', packet: 9 });
    assert.equal(parseFollowPanelMessage({ type: 'select', packet: '9' }), null);
    assert.deepEqual(parseFollowPanelMessage({ type: 'save', dir: 1 }), { type: 'save', dir: 1 });
    assert.equal(parseFollowPanelMessage({ type: 'save', dir: 'server' }), null);
    assert.equal(parseFollowPanelMessage({ type: 'eval', code: 'x' }), null);
  });
  it('the capture editor\'s and the flow graph\'s "follow" messages', function () {
    assert.deepEqual(parseCaptureMessage({ type: 'follow', stream: 2 }), { type: 'follow', stream: 2 });
    assert.deepEqual(parseCaptureMessage({ type: 'follow', packet: 5 }), { type: 'follow', packet: 5 });
    assert.deepEqual(parseCaptureMessage({ type: 'follow' }), { type: 'follow' });
    assert.equal(parseCaptureMessage({ type: 'follow', stream: -2 }), null);
    assert.equal(parseCaptureMessage({ type: 'follow', packet: 1.5 }), null);
    assert.deepEqual(parseFlowMessage({ type: 'follow', index: 4 }), { type: 'follow', index: 4 });
    assert.equal(parseFlowMessage({ type: 'follow', index: -4 }), null);
  });
});

describe('Follow view: lines and heights (media/follow)', function () {
  const S = {
    chunk: '#{0} {1}, {2} bytes', sideClient: 'client', sideServer: 'server', notCaptured: '[{0} bytes not captured]', outOfOrder: 'out of order',
    retrans: 'copy of {0} bytes at offset {1}', retransSame: 'same', retransDiffers: 'DIFFERS at {0} ({1} → {2})', retransUnknown: '?',
    separator: '{0} · packet {1} · client {2}, server {3}', cut: '{0} more',
  } as unknown as FollowUiStrings;
  const data = (bytes: string, over: Partial<ChunkView> = {}): ChunkView => ({
    index: 0, kind: 'data', dir: 0, packet: 3, pos: 16, length: bytes.length, tshark: true, flags: 0, bytes: enc(bytes), ...over,
  });

  it('text: lines break at LF (CR LF) and wrap at TEXT_COLS; a head adds its start line', function () {
    const c = data('GET / HTTP/1.1\r\nHost: a\r\n\r\n' + 'x'.repeat(TEXT_COLS + 5));
    c.head = httpHeads(c.bytes!, 0)!;
    const l = chunkLines(c, 'text', 'both', S);
    assert.deepEqual(l.map((x) => x.text), ['#4 client, ' + c.length + ' bytes', 'HTTP GET / HTTP/1.1', 'GET / HTTP/1.1', 'Host: a', '', 'x'.repeat(TEXT_COLS), 'xxxxx']);
    assert.deepEqual(chunkLines(c, 'text', 1, S), [], 'the other direction only: no lines');
  });
  it('hex: 16 bytes a line, offsets in the direction\'s stream; raw: 32 bytes a line', function () {
    const c = data('ABCDEFGHIJKLMNOPQ');
    const hex = chunkLines(c, 'hex', 'both', S).map((x) => x.text);
    assert.equal(hex.length, 3);
    assert.equal(hex[1], '00000010  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  ABCDEFGHIJKLMNOP');
    assert.ok(hex[2].startsWith('00000020  51 '));
    assert.equal(chunkLines(data('a'.repeat(33)), 'raw', 'both', S).length, 3);
  });
  it('marks: bytes not captured, a differing copy, a separator with both states', function () {
    assert.deepEqual(chunkLines({ ...data(''), kind: 'missing', bytes: undefined, length: 1448 }, 'text', 'both', S).map((x) => x.text), ['[1,448 bytes not captured]']);
    const copy = chunkLines({ ...data('HELLO'), kind: 'retransmission-differs', differs: true, firstDiff: { pos: 16, was: 0x68, now: 0x48 } }, 'text', 'both', S);
    assert.deepEqual(copy.map((x) => x.text), ['#4 client, copy of 5 bytes at offset 16: DIFFERS at 16 (0x68 → 0x48)', 'HELLO']);
    const sep = chunkLines({ ...data(''), kind: 'separator', flags: 0x02, bytes: undefined, states: { client: 'SYN_SENT', server: 'SYN_RCVD' } }, 'text', 'both', S);
    assert.deepEqual(sep.map((x) => x.text), ['── SYN · packet 4 · client SYN_SENT, server SYN_RCVD ──']);
  });
  it('Heights: prefix sums and the chunk holding a line, with zero-height chunks skipped', function () {
    const h = new Heights();
    h.reset(5, (i) => [2, 0, 3, 1, 4][i]);
    assert.equal(h.total, 10);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 9, 50].map((l) => h.find(l)), [0, 0, 2, 2, 2, 3, 4, 4, 4]);
    h.set(1, 5);
    assert.equal(h.prefix(2), 7);
    assert.equal(h.find(2), 1);
  });
});
