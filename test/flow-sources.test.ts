/**
 * The pure parts of the flow graph's sources: the worker's `flowPackets` answer (in-process
 * CaptureIndex and the built dist/worker.js through WorkerClient) against the whole-file pass of
 * src/node/flow.ts, the log source's packets against flowOfLog, the mapping between a log's packet
 * numbers and its lines, and the "which connections?" QuickPick's items and answers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN } from '../src/core/decode/packet';
import { buildFlowGraph, type FlowPacket } from '../src/core/flow/model';
import { flowPacket } from '../src/core/flow/packets';
import { opt, tcpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { emptyResult } from '../src/core/tcp/types';
import { analyzeLog } from '../src/core/log/model';
import { formatEn } from '../src/core/explain/l10n';
import type { ConnJson } from '../src/core/tcp/json';
import { flowOfCapture, flowOfLog } from '../src/node/flow';
import { analyzeCaptureFile, visitCaptureFile } from '../src/node/analyze';
import { connectionPickItems, connInfo, lineOfPacket, logConnections, logFlowPackets, packetOfLine, pickedStreams, streamOfFilter } from '../src/extension/flow/sourceData';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import type { PositionalReader } from '../src/worker/input';
import { WorkerClient } from '../src/worker/client';
import { flowPackets } from '../src/worker/flowPackets';
import { corpusPath, needCorpus } from './helpers/corpus';
import { generated, samplesDir } from './helpers/generated';
import { skipBecause } from './helpers/skip';
import { rethrown } from './helpers/reading';
import { zhCn } from '../src/node/l10n';

function repoFile(...parts: string[]): string {
  const candidates = [path.resolve(process.cwd(), ...parts), path.resolve(__dirname, '..', ...parts), path.resolve(__dirname, '..', '..', ...parts)];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
}

async function indexed(file: string): Promise<CaptureIndex> {
  const idx = new CaptureIndex(fileInput(file));
  await idx.start();
  return idx;
}

/** Packet numbers of the TCP segments of a capture (a pass of its own, no engine). */
async function tcpIndices(file: string): Promise<number[]> {
  const out: number[] = [];
  rethrown(
    await visitCaptureFile(file, (rec, _pkt, seg) => {
      if (seg) out.push(rec.index);
    }),
  );
  return out;
}

describe('flow sources: the worker\'s flowPackets (CaptureIndex in-process)', () => {
  it('draws the same graph as flowOfCapture, for every stream and for some', async () => {
    const file = generated().pcap;
    const idx = await indexed(file);
    try {
      const all = await flowPackets(idx);
      assert.deepEqual(all.map((p) => p.index), await tcpIndices(file));
      assert.deepEqual(buildFlowGraph(all), await flowOfCapture(file));
      const some = await flowPackets(idx, [3, 17]);
      assert.ok(some.length > 0);
      assert.ok(some.every((p) => p.result.stream === 3 || p.result.stream === 17));
      assert.deepEqual(some, all.filter((p) => p.result.stream === 3 || p.result.stream === 17));
      assert.deepEqual(buildFlowGraph(some, { streams: [3, 17] }), await flowOfCapture(file, [3, 17]));
      assert.deepEqual(await flowPackets(idx, [9999]), []);
      assert.deepEqual(await flowPackets(idx, undefined, 5), all.slice(0, 5));
    } finally {
      await idx.close();
    }
  });

  it('visits records in capture order whatever file read finishes first (the replay engine needs that order)', async () => {
    // every later read finishes sooner (as the I/O threads may): packets far apart are read as separate
    // spans at once, and a map filled as the reads came back gave them to flowPackets out of order
    const file = generated().pcap;
    const inner = fileInput(file);
    let calls = 0;
    const slow = (r: PositionalReader): PositionalReader => ({
      readSync: (buf, pos) => r.readSync(buf, pos),
      read: async (buf, pos) => {
        await new Promise((res) => setTimeout(res, Math.max(0, 40 - 10 * calls++)));
        return r.read(buf, pos);
      },
      close: () => r.close(),
    });
    const input = new Proxy(inner, {
      get(t, k) {
        if (k === 'reader') return () => slow(t.reader());
        const v = Reflect.get(t, k) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    const idx = new CaptureIndex(input);
    await idx.start();
    await idx.indexed;
    try {
      const n = idx.count;
      assert.ok(n > 400, `${n} packets`);
      const want = [0, Math.floor(n / 4), Math.floor(n / 2), n - 1];
      const seen: number[] = [];
      await idx.visitRecords(want, (rec) => seen.push(rec.index));
      assert.deepEqual(seen, want);
    } finally {
      await idx.close();
    }
  });

  it('gives each packet its final states (a sample whose active closer ends in TIME_WAIT)', async () => {
    const file = path.join(samplesDir(), 'handshake-data-teardown.pcap');
    const idx = await indexed(file);
    try {
      const pk = await flowPackets(idx);
      const g = buildFlowGraph(pk);
      assert.deepEqual(g.arrows.slice(0, 3).map((a) => a.label), ['SYN', 'SYN, ACK', 'ACK']);
      assert.ok(g.stateBoxes.some((b) => b.state === 'TIME_WAIT'), JSON.stringify(g.stateBoxes.map((b) => b.state)));
      assert.deepEqual(g, await flowOfCapture(file));
    } finally {
      await idx.close();
    }
  });
});

/** The FlowPackets of the whole-file pass (src/node/flow.ts's flowOfCapture before it draws): the reference. */
async function wholeFilePackets(file: string): Promise<FlowPacket[]> {
  const { engine } = await analyzeCaptureFile(file);
  const out: FlowPacket[] = [];
  const r = emptyResult();
  rethrown(
    await visitCaptureFile(file, (_rec, _pkt, seg) => {
      if (seg !== null && engine.resultInto(seg.index, r)) out.push(flowPacket(seg, r));
    }),
  );
  return out;
}

/** Every stream's flowPackets (and all of them at once) equal the whole-file pass's packets, relative numbers and windows included. */
async function assertSameAsWholeFile(file: string): Promise<number> {
  const want = await wholeFilePackets(file);
  const idx = await indexed(file);
  try {
    assert.deepEqual(await flowPackets(idx), want);
    const streams = [...new Set(want.map((p) => p.result.stream))];
    for (const s of streams) assert.deepEqual(await flowPackets(idx, [s]), want.filter((p) => p.result.stream === s), `stream ${s}`);
    return streams.length;
  } finally {
    await idx.close();
  }
}

describe('flow sources: relative numbers and windows of the worker\'s flowPackets (the index keeps none: replayed)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-flow-test-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('port reuse, a re-based SYN+ACK, window scaling and a mid-stream start, streams asked one by one (generated)', async () => {
    const c = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
    const s = { src: c.dst, dst: c.src, sport: c.dport, dport: c.sport };
    const m = { src: '10.9.0.1', dst: '10.9.0.2', sport: 5555, dport: 22 };
    const frames = [
      tcpFrame({ ...c, seq: 1000, flags: TH_SYN, win: 64240, options: opt.wscale(7) }),
      tcpFrame({ ...m, seq: 777000, ack: 123000, flags: TH_ACK | TH_PUSH, win: 300, payload: 40 }), // mid-stream: no SYN seen
      tcpFrame({ ...s, seq: 5000, ack: 1001, flags: TH_SYN | TH_ACK, win: 65160, options: opt.wscale(8) }),
      tcpFrame({ ...c, seq: 1001, ack: 5001, flags: TH_ACK, win: 502 }),
      tcpFrame({ ...c, seq: 1001, ack: 5001, flags: TH_ACK | TH_PUSH, win: 502, payload: 100 }),
      tcpFrame({ ...s, seq: 5001, ack: 1101, flags: TH_ACK, win: 250 }),
      tcpFrame({ ...m, seq: 777040, ack: 123000, flags: TH_ACK, win: 300, payload: 20 }),
      tcpFrame({ ...c, seq: 1101, ack: 5001, flags: TH_FIN | TH_ACK, win: 502 }),
      tcpFrame({ ...s, seq: 5001, ack: 1102, flags: TH_FIN | TH_ACK, win: 250 }),
      tcpFrame({ ...c, seq: 1102, ack: 5002, flags: TH_ACK, win: 502 }),
      // the same ports again with a new ISN: a new stream (reused_ports), no window scaling this time
      tcpFrame({ ...c, seq: 90000, flags: TH_SYN, win: 29200 }),
      tcpFrame({ ...s, seq: 7000, ack: 90001, flags: TH_SYN | TH_ACK, win: 28960 }),
      // the server answers again with another ISN: its relative numbers are re-based
      tcpFrame({ ...s, seq: 8000, ack: 90001, flags: TH_SYN | TH_ACK, win: 28960 }),
      tcpFrame({ ...c, seq: 90001, ack: 8001, flags: TH_ACK | TH_PUSH, win: 229, payload: 10 }),
      tcpFrame({ ...m, seq: 777060, ack: 123050, flags: TH_ACK, win: 301 }),
      tcpFrame({ ...s, seq: 8001, ack: 90011, flags: TH_ACK | TH_PUSH, win: 227, payload: 30 }),
      tcpFrame({ ...c, seq: 90011, ack: 8031, flags: TH_RST | TH_ACK, win: 0 }),
    ];
    const file = path.join(dir, 'reuse-rebase-wscale.pcap');
    fs.writeFileSync(file, Buffer.concat([pcapHeader(1), ...frames.map((f, i) => pcapRecord(1700000000, i * 1000, f))]));
    const want = await wholeFilePackets(file);
    // the capture has what this is about: numbers that differ from the raw ones, scaled windows, three streams
    assert.ok(want.some((p) => p.seq !== p.seqRaw && p.seq > 0) && want.some((p) => p.win === 250 * 256), JSON.stringify(want.map((p) => [p.seq, p.win])));
    assert.equal(await assertSameAsWholeFile(file), 3);
  });

  it('corpus captures, streams asked one by one', async function () {
    needCorpus(this);
    for (const name of ['tcp-badsegments.pcap', 'http-ooo.pcap', 'tls-renegotiation.pcap', 'dmgr.pcapng']) {
      assert.ok((await assertSameAsWholeFile(corpusPath('wireshark', name))) > 0, name);
    }
  });
});

describe('flow sources: the worker\'s flowPackets (dist/worker.js through WorkerClient)', () => {
  const workerJs = repoFile('dist', 'worker.js');
  let client: WorkerClient | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });
  before(function () {
    if (!fs.existsSync(workerJs)) {
      skipBecause(this, 'dist/worker.js not built; run npm run build');
    }
  });

  it('answers once indexing is over, with the packets flowOfCapture draws', async () => {
    const file = generated().pcap;
    client = new WorkerClient(new Worker(workerJs));
    client.openPath(file);
    // asked at once: the worker waits for the end of indexing before it answers
    const all = await client.flowPackets();
    assert.equal(client.progress.done, true);
    assert.deepEqual(buildFlowGraph(all), await flowOfCapture(file));
    const one: FlowPacket[] = await client.flowPackets([5]);
    assert.deepEqual(buildFlowGraph(one, { streams: [5] }), await flowOfCapture(file, [5]));
    assert.deepEqual(one.map((p) => p.index), all.filter((p) => p.result.stream === 5).map((p) => p.index));
  });
});

describe('flow sources: a tcpdump log', () => {
  const read = (name: string): string => fs.readFileSync(path.join(samplesDir(), name), 'utf8');

  it('gives the packets flowOfLog draws, for every stream and for one', () => {
    for (const name of ['handshake-data-teardown.tcpdump', 'retransmissions.tcpdump', 'syn-flood.tcpdump', 'handshake-data-teardown-verbose.tcpdump']) {
      const text = read(name);
      const m = analyzeLog(text);
      assert.deepEqual(buildFlowGraph(logFlowPackets(m)), flowOfLog(text), name);
      assert.deepEqual(buildFlowGraph(logFlowPackets(m, [0]), { streams: [0] }), flowOfLog(text, [0]), name);
    }
  });

  it('hands over at most `limit` packets: the first ones of the streams asked for', () => {
    const m = analyzeLog(read('syn-flood.tcpdump'));
    const all = logFlowPackets(m);
    assert.ok(all.length > 10);
    assert.deepEqual(logFlowPackets(m, undefined, 7), all.slice(0, 7));
    const one = logFlowPackets(m, [2]);
    assert.deepEqual(logFlowPackets(m, [2], 1), one.slice(0, 1));
  });

  it('the same graph from a capture and from its log', async () => {
    const g = buildFlowGraph(logFlowPackets(analyzeLog(read('handshake-data-teardown.tcpdump'))));
    const c = await flowOfCapture(path.join(samplesDir(), 'handshake-data-teardown.pcap'));
    assert.deepEqual(g.arrows.map((a) => [a.label, a.comment, a.from, a.to]), c.arrows.map((a) => [a.label, a.comment, a.from, a.to]));
    assert.deepEqual(g.stateBoxes, c.stateBoxes);
  });

  it('maps packet numbers to lines and back (prose, banners and -v continuation lines included)', () => {
    const text = 'Some prose before the output.\n' + read('handshake-data-teardown-verbose.tcpdump') + '\nand after\n';
    const m = analyzeLog(text);
    const lines = text.split('\n');
    assert.equal(packetOfLine(m, 0), -1, 'prose is no packet');
    let seen = 0;
    for (let i = 0; i < m.log.packets.length; i++) {
      const p = m.log.packets[i];
      const line = lineOfPacket(m, i);
      assert.equal(line, p.line);
      if (m.streamOf[i] < 0) continue;
      seen++;
      // every line of the packet (the -v header line and its continuation) leads back to it
      for (let l = p.line; l <= p.endLine; l++) assert.equal(packetOfLine(m, l), i, `line ${l + 1}: ${lines[l]}`);
    }
    assert.ok(seen >= 10, `only ${seen} TCP packets`);
    assert.ok(m.log.packets.some((p) => p.endLine > p.line), 'no two-line -v packet in the sample');
    assert.equal(lineOfPacket(m, m.log.packets.length), -1);
    assert.equal(lineOfPacket(m, -1), -1);
    assert.equal(packetOfLine(m, lines.length + 5), -1);
    assert.equal(packetOfLine(m, lines.length - 2), -1, 'the trailing prose');
  });

  it('lists the connections as the panel filter and the QuickPick show them', () => {
    const m = analyzeLog(read('refused.tcpdump'));
    const conns = logConnections(m, zhCn());
    assert.ok(conns.length >= 1);
    const info = conns.map(connInfo);
    assert.deepEqual(
      info.map((c) => c.packets),
      m.summaries.map((s) => s.packets.client + s.packets.server),
    );
    assert.ok(info.some((c) => c.problems > 0), 'the refused connection has a problem');
  });
});

describe('flow sources: choosing connections', () => {
  const conn = (stream: number, connState: ConnJson['connState'], client: number, server: number, problems: string[] = []): ConnJson => ({
    stream,
    client: `10.0.0.1:${40000 + stream}`,
    server: '10.0.0.2:443',
    roleBy: 'syn',
    firstPacket: 1,
    lastPacket: 2,
    packets: { client, server },
    bytes: { client: 0, server: 0 },
    start: '0.000000000',
    duration: 0,
    clientState: 'TIME_WAIT',
    serverState: 'CLOSED',
    connState,
    history: 'ShADadFf',
    problems: problems.map((kind) => ({ kind, packet: 1, severity: 'warning', message: '', messageZh: '' })),
  });
  const conns = [conn(0, 'SF', 6, 5), conn(1, 'REJ', 1, 1, ['refused']), conn(2, 'S0', 3, 0, ['no-answer'])];

  it('offers "All connections" first, then each connection with client → server, conn_state and packets', () => {
    const items = connectionPickItems(conns, formatEn);
    assert.deepEqual(
      items.map((i) => [i.label, i.description, i.detail, i.stream, i.picked]),
      [
        ['All connections', '3 connections · 16 packets', undefined, undefined, true],
        ['10.0.0.1:40000 → 10.0.0.2:443', 'SF · 11 packets', 'Stream 0', 0, false],
        ['10.0.0.1:40001 → 10.0.0.2:443', 'REJ · 2 packets', 'Stream 1 · refused', 1, false],
        ['10.0.0.1:40002 → 10.0.0.2:443', 'S0 · 3 packets', 'Stream 2 · no-answer', 2, false],
      ],
    );
    const pre = connectionPickItems(conns, formatEn, [2]);
    assert.deepEqual(pre.map((i) => i.picked), [false, false, false, true]);
  });

  it('turns what was picked into streams', () => {
    const items = connectionPickItems(conns, formatEn);
    assert.equal(pickedStreams([], 3), null, 'nothing picked: the user gave up');
    assert.equal(pickedStreams([items[0], items[2]], 3), undefined, '"All connections" wins');
    assert.deepEqual(pickedStreams([items[3], items[1]], 3), [0, 2]);
    assert.equal(pickedStreams([items[1], items[2], items[3]], 3), undefined, 'every connection is all of them');
  });

  it('reads the stream of the capture editor\'s filter', () => {
    assert.equal(streamOfFilter('stream 7'), 7);
    assert.equal(streamOfFilter('  stream   12 '), 12);
    assert.equal(streamOfFilter('stream 7 and port 80'), undefined);
    assert.equal(streamOfFilter('port 80'), undefined);
    assert.equal(streamOfFilter(''), undefined);
  });
});
