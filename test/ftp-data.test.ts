/**
 * FTP-DATA (src/core/decode/app/ftpData.ts): the data connections announced on the control connection
 * by PASV (227), EPSV (229), PORT and EPRT are labelled, and only those (and port 20); an announcement
 * made after a connection started does not count; `capture-lens conns` shows the label in an APP
 * column and as "app" in JSON, the editor's index in its connections. Runs the built dist/cli.js for
 * the CLI part.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TH_ACK, TH_PUSH, TH_SYN } from '../src/core/decode/packet';
import { tcpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { decodeFrame } from '../src/core/decode/index';
import { DecodedPacket } from '../src/core/decode/packet';
import { FtpDataTracker, ftpDataLabels, MAX_ANNOUNCEMENTS } from '../src/core/decode/app/ftpData';
import { analyzeCaptureFile } from '../src/node/analyze';
import { skipBecause } from './helpers/skip';
import { rethrown } from './helpers/reading';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { buildFlowGraph, lifelineTitle } from '../src/core/flow/model';
import { flowText } from '../src/core/flow/text';
import { flowOfCapture } from '../src/node/flow';
import { flowPackets } from '../src/worker/flowPackets';
import { connInfo } from '../src/extension/flow/sourceData';
import { graphMessage } from '../src/extension/flow/graphMessages';

const C = '10.0.0.1';
const S = '10.0.0.2';
const enc = new TextEncoder();
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

/** A control connection (40000 → 21) carrying `lines`, in order, each one segment. */
function control(lines: { c: boolean; text: string }[]): Uint8Array[] {
  let cs = 100;
  let ss = 900;
  const out = [tcpFrame({ src: C, dst: S, sport: 40000, dport: 21, seq: cs - 1, flags: TH_SYN }), tcpFrame({ src: S, dst: C, sport: 21, dport: 40000, seq: ss - 1, ack: cs, flags: TH_SYN | TH_ACK })];
  for (const l of lines) {
    const payload = enc.encode(l.text);
    out.push(l.c ? tcpFrame({ src: C, dst: S, sport: 40000, dport: 21, seq: cs, ack: ss, flags: TH_PUSH | TH_ACK, payload }) : tcpFrame({ src: S, dst: C, sport: 21, dport: 40000, seq: ss, ack: cs, flags: TH_PUSH | TH_ACK, payload }));
    if (l.c) cs += payload.length;
    else ss += payload.length;
  }
  return out;
}

/** The opening SYN of a connection from a:ap to b:bp. */
function syn(a: string, ap: number, b: string, bp: number): Uint8Array {
  return tcpFrame({ src: a, dst: b, sport: ap, dport: bp, seq: 1, flags: TH_SYN });
}

/** The session: PASV (→ 10.0.0.2:5001), EPSV (→ :6446), PORT (server → 10.0.0.1:50000), a data connection opened before its EPRT, and an unrelated one. */
function session(): Uint8Array[] {
  const frames = control([
    { c: true, text: 'PASV\r\n' },
    { c: false, text: '227 Entering Passive Mode (10,0,0,2,19,137).\r\n' },
  ]);
  frames.push(syn(C, 41000, S, 5001));
  frames.push(...control([{ c: false, text: '229 Entering Extended Passive Mode (|||6446|)\r\n' }]).slice(2));
  frames.push(syn(C, 41001, S, 6446));
  frames.push(...control([{ c: true, text: 'PORT 10,0,0,1,195,80\r\n' }]).slice(2));
  frames.push(syn(S, 20, C, 50000));
  frames.push(syn(C, 41002, S, 7000));
  frames.push(...control([{ c: true, text: 'EPRT |1|10.0.0.2|7000|\r\n' }]).slice(2));
  frames.push(syn(C, 41003, S, 8080));
  return frames;
}

function writeSession(dir: string): string {
  const file = path.join(dir, 'ftp-session.pcap');
  fs.writeFileSync(file, Buffer.concat([pcapHeader(1, false), ...session().map((f, i) => pcapRecord(1000 + i, 0, f))]));
  return file;
}

describe('FTP-DATA: data connections named from the control connection', function () {
  this.timeout(30000);
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-ftpdata-'));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('labels the connections PASV, EPSV and PORT announced, not one opened before its EPRT, nor others', async () => {
    const tracker = new FtpDataTracker();
    const { engine, read } = await analyzeCaptureFile(writeSession(dir), (rec, pkt) => tracker.observe(pkt, rec.index));
    rethrown(read);
    const sums = engine.summaries();
    const labels = ftpDataLabels(tracker, sums);
    const byServerPort = new Map(sums.map((s) => [s.server.port + '/' + s.client.port, labels.get(s.stream) ?? '']));
    assert.deepEqual(Object.fromEntries(byServerPort), {
      '21/40000': '',
      '5001/41000': 'FTP-DATA',
      '6446/41001': 'FTP-DATA',
      '50000/20': 'FTP-DATA',
      '7000/41002': '',
      '8080/41003': '',
    });
    assert.equal(tracker.size, 4);
    const a = tracker.announcementOf({ addr: C, port: 41000 }, { addr: S, port: 5001 });
    assert.deepEqual([a?.mode, a?.source, a?.control], ['passive', 'PASV', '10.0.0.2:21 > 10.0.0.1:40000']);
  });

  it('the editor\'s index gives the label with its connections (the connections table shows it)', async () => {
    const idx = new CaptureIndex(fileInput(writeSession(dir)));
    try {
      await idx.start();
      const conns = await idx.connections();
      assert.deepEqual(conns.filter((c) => c.app === 'FTP-DATA').map((c) => c.server), ['10.0.0.2:5001', '10.0.0.2:6446', '10.0.0.1:50000']);
      assert.equal(conns.find((c) => c.server === '10.0.0.2:7000')?.app, undefined);
    } finally {
      await idx.close();
    }
  });

  it('the editor\'s list labels the rows of an announced data connection FTP-DATA (and of port 20), not the others', async () => {
    const idx = new CaptureIndex(fileInput(writeSession(dir)));
    try {
      await idx.start();
      await idx.indexed;
      const rows = await idx.rows(0, idx.count);
      const appOf = (port: number): (string | undefined)[] => rows.filter((r) => r.sport === port || r.dport === port).map((r) => r.app);
      assert.deepEqual(appOf(5001), ['FTP-DATA'], 'PASV');
      assert.deepEqual(appOf(6446), ['FTP-DATA'], 'EPSV');
      assert.deepEqual(appOf(50000), ['FTP-DATA'], 'PORT (from port 20)');
      assert.deepEqual(appOf(7000), [undefined], 'opened before its EPRT');
      assert.deepEqual(appOf(8080), [undefined]);
    } finally {
      await idx.close();
    }
  });

  it('the flow graph labels the data connections\' lifelines FTP-DATA (model, text, the panel\'s lifelines and connection list)', async () => {
    const file = writeSession(dir);
    const g = await flowOfCapture(file);
    const titled = g.lifelines.filter((l) => l.app === 'FTP-DATA').map((l) => lifelineTitle(l));
    // lifelines are grouped by host (10.0.0.1's first)
    assert.deepEqual(titled, ['10.0.0.1:41000 (FTP-DATA)', '10.0.0.1:41001 (FTP-DATA)', '10.0.0.1:50000 (FTP-DATA)', '10.0.0.2:5001 (FTP-DATA)', '10.0.0.2:6446 (FTP-DATA)', '10.0.0.2:20 (FTP-DATA)']);
    assert.equal(g.lifelines.find((l) => l.label === '10.0.0.2:7000')?.app, undefined);
    assert.equal(g.lifelines.find((l) => l.label === '10.0.0.2:21')?.app, undefined);
    assert.match(flowText(g).split('\n')[0], /10\.0\.0\.2:5001 \(FTP-DATA\)/);
    const msg = graphMessage(g, [], 1, { streams: null, problemsOnly: false, time: 'relative', absolute: false }, -1, -1);
    assert.equal(msg.lifelines.find((l) => l.label === '10.0.0.2:6446')?.app, 'FTP-DATA');
    // the panel's graph: labels come from the connections (the worker's), passed as `apps`
    const idx = new CaptureIndex(fileInput(file));
    try {
      await idx.start();
      const infos = (await idx.connections()).map(connInfo);
      assert.deepEqual(infos.filter((c) => c.app).map((c) => c.server), ['10.0.0.2:5001', '10.0.0.2:6446', '10.0.0.1:50000']);
      const apps = new Map(infos.filter((c) => c.app).map((c) => [c.stream, c.app!]));
      const panelGraph = buildFlowGraph(await flowPackets(idx), { apps });
      assert.deepEqual(panelGraph.lifelines.map((l) => lifelineTitle(l)), g.lifelines.map((l) => lifelineTitle(l)), 'the same as the whole-file graph');
      assert.equal(buildFlowGraph(await flowPackets(idx)).lifelines.some((l) => l.app), false, 'no label without `apps`');
    } finally {
      await idx.close();
    }
  });

  it('keeps at most its limit of endpoints and counts the rest', () => {
    const limit = 1000;
    const t = new FtpDataTracker(limit);
    assert.ok(MAX_ANNOUNCEMENTS >= 100 * limit);
    const pkt = new DecodedPacket();
    // one PORT frame, its port digits rewritten each time
    const frame = control([{ c: true, text: 'PORT 10,0,0,1,000,000\r\n' }])[2];
    const text = String.fromCharCode(...frame);
    const at = text.indexOf('000,000');
    for (let i = 0; i < limit + 10; i++) {
      const hi = Math.floor(i / 256) % 256;
      const lo = i % 256;
      const host = 1 + Math.floor(i / 65536);
      const digits = String(hi).padStart(3, '0') + ',' + String(lo).padStart(3, '0');
      for (let k = 0; k < 7; k++) frame[at + k] = digits.charCodeAt(k);
      frame[at - 2] = 0x30 + host; // 10,0,0,1 → 10,0,0,2 for the second 65536
      decodeFrame(pkt, frame, frame.length, 1);
      t.observe(pkt, i);
    }
    assert.equal(t.size, limit);
    assert.equal(t.dropped, 10);
  });

  it('capture-lens conns: an APP column and "app" in JSON', function () {
    if (!fs.existsSync(CLI)) skipBecause(this, 'dist/cli.js is not built (npm run build)');
    const file = writeSession(dir);
    const table = spawnSync(process.execPath, [CLI, 'conns', file], { encoding: 'utf8' });
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.split('\n');
    assert.match(lines[0], /^STREAM\s+CLIENT\s+SERVER\s+APP\s+PKTS C\/S/);
    assert.match(lines.find((l) => l.includes('10.0.0.2:5001'))!, /10\.0\.0\.2:5001\s+FTP-DATA\s/);
    assert.match(lines.find((l) => l.includes('10.0.0.2:8080'))!, /10\.0\.0\.2:8080\s+-\s/);
    const json = spawnSync(process.execPath, [CLI, 'conns', file, '--json'], { encoding: 'utf8' });
    const conns = JSON.parse(json.stdout) as { server: string; app?: string }[];
    assert.deepEqual(conns.filter((c) => c.app === 'FTP-DATA').map((c) => c.server), ['10.0.0.2:5001', '10.0.0.2:6446', '10.0.0.1:50000']);
    const zh = spawnSync(process.execPath, [CLI, 'conns', file, '--zh'], { encoding: 'utf8' });
    assert.match(zh.stdout.split('\n')[0], /应用/);
  });

  it('capture-lens flow: the data connections\' lifelines say FTP-DATA', function () {
    if (!fs.existsSync(CLI)) skipBecause(this, 'dist/cli.js is not built (npm run build)');
    const r = spawnSync(process.execPath, [CLI, 'flow', writeSession(dir)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const head = r.stdout.split('\n').find((l) => l.includes('10.0.0.2:21'))!;
    assert.match(head, /10\.0\.0\.2:5001 \(FTP-DATA\)/);
    assert.doesNotMatch(head, /10\.0\.0\.2:7000 \(FTP-DATA\)/);
  });
});
