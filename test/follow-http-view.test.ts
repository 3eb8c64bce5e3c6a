/**
 * The Follow view's HTTP mode (issue 13: "HTTP shown as requests and responses with decoded bodies" in the
 * editor): the decoding worker's pages with `http` carry each message's head, packets, problems and decoded
 * body (chunked, gzip, deflate; the CLI's cap on bombs) on the chunk where it starts, chunks inside a message
 * are marked, bodies are cut for the view (src/core/follow/httpView.ts), the tcpdump-text source does the
 * same, the requests are checked at run time, and the webview's lines show a decoded body's text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { httpMessages } from '../src/core/follow/http';
import { httpViewMessages } from '../src/core/follow/httpView';
import type { ChunkView } from '../src/core/follow/page';
import { nodeInflate } from '../src/node/httpInflate';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { FollowService } from '../src/worker/follow';
import { parseFollowRequest } from '../src/worker/followMessages';
import { parseFromWebview, type FollowUiStrings } from '../src/extension/follow/messages';
import { chunkLines } from '../media/follow/lines';
import { followAll, type Followed } from './helpers/follow';
import { httpCases } from './helpers/httpCaptures';

const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('latin1');

const S = {
  chunk: '#{0} {1}, {2} bytes', sideClient: 'client', sideServer: 'server', notCaptured: '[{0} bytes not captured]', outOfOrder: 'out of order',
  cut: '{0} more', httpPackets: 'packets {0}', httpBody: 'body: {0} bytes ({1} on the wire, {2})', httpDecoded: '{0} decoded', httpNoBody: 'no body',
  httpBinary: '(binary, {0} bytes)', httpBodyCut: '{0} more bytes of the body not shown', httpBudget: 'not kept ({0})', httpWithin: 'part of the message above',
} as unknown as FollowUiStrings;

describe('Follow view: HTTP mode', function () {
  let dir: string;
  let pcap: string;
  let texts: Record<string, string>;
  let idx: CaptureIndex;
  let svc: FollowService;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-httpview-'));
    pcap = path.join(dir, 'http.pcap');
    const c = httpCases();
    texts = c.texts;
    fs.writeFileSync(pcap, c.pcap);
    idx = new CaptureIndex(fileInput(pcap));
    await idx.start();
    svc = new FollowService(idx, undefined, nodeInflate);
  });
  after(async function () {
    await idx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const heads = (chunks: ChunkView[]): ChunkView[] => chunks.filter((c) => c.head);

  it('the worker follows any stream, not only stream 0 (its replay numbers the stream 0: regression)', async function () {
    const m = await svc.open(3);
    assert.equal(m?.stream, 3);
    assert.equal(m?.client.port, 40003);
  });

  it('the worker pages a gzip (chunked) and a deflate response with their decoded bodies, packets linked', async function () {
    const { chunks } = await svc.page(2, 0, 256, true);
    const h = heads(chunks);
    assert.deepEqual(
      h.map((c) => c.head!.title),
      ['GET /gz HTTP/1.1', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'],
      'the three pipelined requests are in one segment: its chunk shows the first; the three responses each on their chunk',
    );
    const gz = h[1].head!;
    assert.equal(text(gz.body), texts.gz, 'the gzip body, de-chunked and inflated');
    assert.deepEqual(gz.bodyInfo?.decoded, ['gzip']);
    assert.equal(gz.bodyInfo?.framing, 'chunked');
    assert.equal(gz.bodyInfo?.length, texts.gz.length);
    assert.ok(gz.packets && gz.packets[0] === h[1].packet && gz.packets[1] > gz.packets[0], 'the message spans packets from its head chunk on');
    assert.equal(text(h[2].head!.body), texts.def, 'the deflate body');
    const within = chunks.filter((c) => c.within);
    assert.ok(within.length >= 2, 'the chunks of the gzip body after its head are marked as inside the message');
    assert.ok(within.every((c) => c.dir === 1 && !c.head));
  });

  it('pages without `http` carry no decoded body (the per-chunk heads only)', async function () {
    const { chunks } = await svc.page(2, 0, 256);
    assert.ok(heads(chunks).length > 0);
    assert.ok(chunks.every((c) => c.head?.body === undefined && c.within === undefined));
  });

  it('a gzip bomb stops at the cap: no body, the problem as data', async function () {
    const { chunks } = await svc.page(4, 0, 256, true);
    const resp = heads(chunks).find((c) => c.dir === 1)!.head!;
    assert.deepEqual(resp.problems?.map((p) => p.kind), ['decode-capped']);
    assert.equal(resp.bodyInfo?.decoded.length, 0);
    assert.ok((resp.body?.length ?? 0) < 64 * 1024, 'the compressed bytes only, never the 10 MiB');
  });

  it('a stream that is not HTTP keeps the other modes\' pages (no messages, no marks)', async function () {
    const a = await svc.page(5, 0, 256, true);
    const b = await svc.page(5, 0, 256);
    assert.deepEqual(
      a.chunks.map((c) => ({ ...c, bytes: text(c.bytes) })),
      b.chunks.map((c) => ({ ...c, bytes: text(c.bytes) })),
    );
  });

  it('bodies are cut for the view: per message and per stream', async function () {
    const f: Followed = await followAll(pcap);
    const s = f.follow.stream(2)!;
    const all = httpMessages(s, f.frame, { inflate: nodeInflate });
    const cut = httpViewMessages(s, f.frame, { inflate: nodeInflate }, { bodyMax: 1000, streamBudget: 1500 });
    assert.equal(cut.length, all.length);
    const gz = cut.find((m) => m.bodyInfo.decoded[0] === 'gzip')!;
    assert.equal(gz.body!.length, 1000);
    assert.equal(gz.bodyInfo.length, texts.gz.length);
    assert.equal(text(gz.body), texts.gz.slice(0, 1000));
    const def = cut.find((m) => m.bodyInfo.decoded[0] === 'deflate')!;
    assert.equal(def.body!.length, 500, 'the stream\'s budget (1,500) is spent after 1,000 + 500 bytes');
    assert.equal(def.bodyInfo.overBudget, true);
    assert.ok(def.body!.buffer.byteLength === 500, 'a copy, not a view of the direction\'s whole buffer');
  });

  it('the webview draws a message whole in HTTP mode: head, headers, packets, decoded body; a chunk inside it is one line', async function () {
    const { chunks } = await svc.page(2, 0, 256, true);
    const gz = heads(chunks)[1];
    const lines = chunkLines(gz, 'http', 'both', S).map((l) => l.text);
    assert.equal(lines[1], 'HTTP HTTP/1.1 200 OK');
    assert.ok(lines.includes('  Content-Encoding: gzip'));
    assert.ok(lines.some((l) => /^packets #\d+–#\d+ · body: 20,000 bytes \([\d,]+ on the wire, chunked\), gzip decoded$/.test(l)), lines.slice(0, 6).join('\n'));
    assert.ok(lines.includes(texts.gz.split('\n')[0]), 'the decoded text is shown');
    const inside = chunks.find((c) => c.within)!;
    assert.deepEqual(chunkLines(inside, 'http', 'both', S).length, 1);
    assert.ok(chunkLines(inside, 'text', 'both', S).length > 1, 'in text mode the same chunk shows its bytes');
  });

  it('page requests with `http` are checked at run time (worker and panel)', function () {
    assert.deepEqual(parseFollowRequest({ type: 'followPage', id: 1, stream: 0, from: 0, count: 5, http: true }), { type: 'followPage', id: 1, stream: 0, from: 0, count: 5, http: true });
    assert.equal(parseFollowRequest({ type: 'followPage', id: 1, stream: 0, from: 0, count: 5, http: 'yes' }), null);
    assert.equal(parseFromWebview({ type: 'page', id: 1, from: 0, count: 5, http: 1 }), null);
    assert.deepEqual(parseFromWebview({ type: 'page', id: 1, from: 0, count: 5 }), { type: 'page', id: 1, from: 0, count: 5 });
  });
});
