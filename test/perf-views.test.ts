/**
 * Issue 14's verdicts where the user looks: the Connections tab's "Limited by" cell and performance
 * section (the worker's cells, worded by the host), an ACK's in-flight figure in the details, and for
 * tcpdump text the verdicts as diagnostics and in the connection's CodeLens — from logs of the
 * real-kernel captures of test/fixtures/perf printed by tcpdump (-n; -n -S; -n -tttt) when it is
 * installed, else by our printer with the same options.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import { limitedByText, verdictSeverity, verdictView } from '../src/core/explain/perf';
import { logPerf, logShownProblems, logVerdictNotes, verdictLensText } from '../src/core/log/perf';
import { analyzeLog } from '../src/core/log/model';
import { logAckInFlightText, peerInFlightAfterAck } from '../src/core/perf/ackInFlight';
import { logConnPackets } from '../src/core/perf/logGraph';
import type { ConnPackets } from '../src/core/perf/connPackets';
import { dominantLimit } from '../src/core/perf/limitedBy';
import { perfJson, type PerfJson } from '../src/core/perf/summary';
import { defaultPrintOptions, type PrintOptions } from '../src/core/print/options';
import { PacketPrinter } from '../src/core/print/packet';
import { addPerfNode, connPerfViews } from '../src/extension/capture/perfDetails';
import type { DetailNode } from '../src/extension/capture/webviewMessages';
import { analyzeCaptureFile } from '../src/node/analyze';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { PerfGraphs } from '../src/worker/perfGraph';
import { readAll } from './helpers/corpus';
import { samplesDir } from './helpers/generated';
import { findTool } from './helpers/tools';

const ROOT = path.resolve(__dirname, '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures', 'perf');
const SCENARIOS = ['bloat', 'shortq', 'slowrecv', 'zerowin', 'trickle', 'loss2', 'nagle', 'nodelay', 'sndbuf', 'sndbuf-unpaced', 'slowsrv', 'synretry'];
const zh = bundleTranslator(JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>);

async function capturePerf(name: string): Promise<PerfJson> {
  const { engine } = await analyzeCaptureFile(path.join(FIX, name + '.pcap'), () => undefined, { perf: true });
  return perfJson(engine.conversations()[0])!;
}

/** The capture as tcpdump text with these flags: tcpdump itself when installed, else our printer. */
async function logOf(name: string, flags: string[]): Promise<{ text: string; by: string }> {
  const file = path.join(FIX, name + '.pcap');
  if (findTool('tcpdump')) {
    const text = execFileSync('tcpdump', ['-r', file, ...flags], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    return { text, by: 'tcpdump ' + flags.join(' ') };
  }
  const o: PrintOptions = { ...defaultPrintOptions(), absoluteSeq: flags.includes('-S'), timeFormat: flags.includes('-tttt') ? 4 : 0 };
  const printer = new PacketPrinter(o);
  const { records } = await readAll(file);
  return { text: records.map((r) => printer.print(r)).join(''), by: 'our printer ' + flags.join(' ') };
}

describe('issue 14 in the views: the Connections tab', function () {
  this.timeout(60_000);

  it('"Limited by" names the main sender\'s largest share: the receiver for slowrecv, the application for trickle, the network for bloat, the send buffer for sndbuf', async () => {
    const want: Record<string, string> = { slowrecv: 'rwnd', zerowin: 'rwnd', trickle: 'application', bloat: 'network', shortq: 'network', sndbuf: 'sndbuf' };
    for (const [name, kind] of Object.entries(want)) {
      const j = await capturePerf(name);
      const d = dominantLimit(j)!;
      assert.equal(d.kind, kind, `${name}: ${JSON.stringify(j.clientToServer.limits.shares)}`);
      // the client sends in every scenario, and the share is the largest of the four
      assert.equal(d.dir, 'clientToServer');
      const shares = j.clientToServer.limits.shares;
      assert.equal(d.share, Math.max(shares.rwnd, shares.sndbuf, shares.application, shares.network));
    }
  });

  it('"Limited by" is empty without data, and worded in English and Chinese', () => {
    const j = { clientToServer: { bytes: 0, limits: { busyMs: 0, shares: { rwnd: 0, sndbuf: 0, application: 0, network: 0 } } }, serverToClient: { bytes: 0, limits: { busyMs: 0, shares: { rwnd: 0, sndbuf: 0, application: 0, network: 0 } } } };
    assert.equal(dominantLimit(j as unknown as PerfJson), null);
    // the direction that sent more is the one described, also when it is the server
    j.serverToClient.bytes = 10;
    j.serverToClient.limits = { busyMs: 5, shares: { rwnd: 0.1, sndbuf: 0, application: 0.2, network: 0.7 } };
    assert.deepEqual(dominantLimit(j as unknown as PerfJson), { dir: 'serverToClient', kind: 'network', share: 0.7 });
    assert.equal(limitedByText({ dir: 'clientToServer', kind: 'rwnd', share: 0.72 }, formatEn), 'receiver window 72 %');
    assert.equal(limitedByText({ dir: 'clientToServer', kind: 'rwnd', share: 0.72 }, zh), '接收窗口 72 %');
    assert.equal(limitedByText({ dir: 'clientToServer', kind: 'application', share: 0.05 }, formatEn), 'application 5.0 %');
  });

  it('the worker\'s cells carry the dominant limit and the verdicts of the capture\'s perf summary; the host words them', async () => {
    for (const name of ['zerowin', 'nagle']) {
      const j = await capturePerf(name);
      const idx = new CaptureIndex(fileInput(path.join(FIX, name + '.pcap')));
      await idx.start();
      try {
        const cells = await new PerfGraphs(idx).perfConns();
        assert.equal(cells.length, 1);
        assert.deepEqual(cells[0].limitedBy, dominantLimit(j));
        assert.deepEqual(cells[0].verdicts, j.verdicts);
        const [en] = connPerfViews(cells, formatEn);
        const [cn] = connPerfViews(cells, zh);
        assert.equal(en.limitedByText, limitedByText(dominantLimit(j)!, formatEn));
        assert.equal(en.limitedByWho, 'client → server');
        assert.deepEqual(en.verdictViews.map((v) => v.kind), j.verdicts.map((v) => v.kind));
        for (let k = 0; k < en.verdictViews.length; k++) {
          const v = en.verdictViews[k];
          assert.ok(v.title.length > 0 && v.advice.length > 0 && v.evidence.length > 0);
          // the evidence packets are the verdict's own, and they are named in its sentences
          assert.deepEqual(v.packets, [...new Set(j.verdicts[k].packets)]);
          for (const p of v.packets) assert.ok(v.evidence.join(' ').includes(String(p)), `${v.kind}: packet ${p} in ${v.evidence.join(' ')}`);
          assert.match(cn.verdictViews[k].title + cn.verdictViews[k].advice, /[\u4e00-\u9fff]/);
          assert.notEqual(cn.verdictViews[k].advice, v.advice);
        }
      } finally {
        await idx.close();
      }
    }
  });

  it('severity: faults are warnings, the bound of a healthy transfer is information', () => {
    assert.equal(verdictSeverity('zero-window'), 'warning');
    assert.equal(verdictSeverity('loss-limited'), 'warning');
    assert.equal(verdictSeverity('receiver-limited'), 'information');
    assert.equal(verdictSeverity('bottleneck'), 'information');
    const v = verdictView({ kind: 'rto-stalls', dir: 'serverToClient', packets: [5, 9, 5], figures: { count: 2, waitedMs: 600, longestMs: 400 } }, formatEn);
    assert.deepEqual(v.packets, [5, 9]);
    assert.equal(v.who, 'server → client');
  });
});

describe('issue 14 in the views: an ACK\'s in-flight figure', () => {
  /** SYN, SYN/ACK, ACK, two 100-byte segments, an ACK of the first, an ACK of both, a FIN and its ACK. */
  function conn(): ConnPackets {
    const rows: [number, number, number, number, number][] = [
      // dir, flags, seq, len, ack
      [0, 0x02, 0, 0, 0],
      [1, 0x12, 0, 0, 1],
      [0, 0x10, 1, 0, 1],
      [0, 0x18, 1, 100, 1],
      [0, 0x18, 101, 100, 1],
      [1, 0x10, 1, 0, 101],
      [1, 0x10, 1, 0, 201],
      [0, 0x11, 201, 0, 1],
      [1, 0x10, 1, 0, 202],
    ];
    const n = rows.length;
    const c = {
      n, index: Int32Array.from(rows.map((_, i) => i)), t: new Float64Array(n), dir: Uint8Array.from(rows.map((r) => r[0])), flags: Uint16Array.from(rows.map((r) => r[1])),
      seq: Uint32Array.from(rows.map((r) => r[2])), len: Uint32Array.from(rows.map((r) => r[3])), ack: Uint32Array.from(rows.map((r) => r[4])),
      win: new Uint32Array(n), analysis: new Uint16Array(n), rttMs: new Float32Array(n), bif: new Uint32Array(n), sack: new Map(), startSec: 0, truncated: false, perf: null,
    };
    return c;
  }

  it('is what the other side sent and this ACK leaves unacknowledged (SYN and FIN count one)', () => {
    const c = conn();
    assert.equal(peerInFlightAfterAck(c, 0), -1); // a SYN carries no ACK
    assert.equal(peerInFlightAfterAck(c, 1), 0); // the SYN/ACK acknowledges the SYN
    assert.equal(peerInFlightAfterAck(c, 5), 100); // 200 bytes out, the first 100 acknowledged
    assert.equal(peerInFlightAfterAck(c, 6), 0);
    assert.equal(peerInFlightAfterAck(c, 8), 0); // the FIN's one
    assert.equal(peerInFlightAfterAck(c, 99), -1);
  });

  it('shows under TCP for an ACK, not for a data segment that gave no RTT sample', () => {
    const tree = (): DetailNode => ({ name: 'frame', label: 'Frame', offset: 0, length: 60, explain: '', children: [{ name: 'tcp', label: 'TCP', offset: 34, length: 20, explain: '', children: [] }] });
    const ack = addPerfNode(tree(), { rttMs: 20.5, bytesInFlight: 0, peerInFlight: 1448 }, formatEn).children![0].children!;
    assert.deepEqual(ack.map((n) => n.label), ['[RTT sample / bytes in flight: 20.500 ms / –]', '[Still in flight after this ACK: 1448 bytes of the other side]']);
    const pure = addPerfNode(tree(), { rttMs: 0, bytesInFlight: 0, peerInFlight: 0 }, zh).children![0].children!;
    assert.equal(pure.length, 1);
    assert.match(pure[0].label, /对方的 0 字节/);
    const data = addPerfNode(tree(), { rttMs: 0, bytesInFlight: 2896, peerInFlight: 0 }, formatEn).children![0].children!;
    assert.deepEqual(data.map((n) => n.label), ['[RTT sample / bytes in flight: – / 2896]']);
  });

  it('the worker gives it for the packets of a capture: every ACK of the receiver in slowrecv', async () => {
    const idx = new CaptureIndex(fileInput(path.join(FIX, 'slowrecv.pcap')));
    await idx.start();
    try {
      const g = new PerfGraphs(idx);
      const c = await g.connPackets(0);
      let acks = 0;
      let outstanding = 0;
      for (let r = 0; r < c.n; r++) {
        if (c.dir[r] !== 1 || c.len[r] !== 0 || (c.flags[r] & 0x10) === 0) continue;
        const p = await g.packetPerf(c.index[r]);
        assert.ok(p !== null);
        assert.equal(p.peerInFlight, peerInFlightAfterAck(c, r));
        assert.ok(p.peerInFlight >= 0);
        acks++;
        if (p.peerInFlight > 0) outstanding++;
      }
      // a window-limited sender keeps data out past most ACKs
      assert.ok(acks > 10 && outstanding > acks / 2, `${acks} ACKs, ${outstanding} with data still out`);
    } finally {
      await idx.close();
    }
  });
});

describe('issue 14 in the views: the `ack` hover of a log', function () {
  this.timeout(60_000);

  it('says what each ACK leaves in flight, the same figures as the capture it was printed from', async () => {
    const idx = new CaptureIndex(fileInput(path.join(FIX, 'slowrecv.pcap')));
    await idx.start();
    try {
      const cap = await new PerfGraphs(idx).connPackets(0);
      const { text } = await logOf('slowrecv', ['-n', '-S']);
      const m = analyzeLog(text);
      const log = logConnPackets(m, 0);
      assert.equal(log.n, cap.n);
      let said = 0;
      for (let r = 0; r < cap.n; r++) {
        const want = peerInFlightAfterAck(cap, r);
        const got = logAckInFlightText(m, cap.index[r], formatEn);
        if (want < 0) assert.equal(got, null);
        else {
          assert.equal(got, `Still in flight after this ACK: ${want} bytes the other side sent that it does not acknowledge yet.`);
          said++;
        }
      }
      assert.ok(said > cap.n / 2, `${said} of ${cap.n}`);
      assert.match(logAckInFlightText(m, cap.index[cap.n - 1], zh)!, /此 ACK 之后仍在途中/);
      assert.equal(logAckInFlightText(analyzeLog('hello\n'), 0, formatEn), null);
    } finally {
      await idx.close();
    }
  });
});

describe('issue 14 in the views: tcpdump text diagnostics and CodeLens', function () {
  this.timeout(120_000);

  for (const flags of [['-n'], ['-n', '-S'], ['-n', '-tttt']]) {
    it(`every scenario's log (${flags.join(' ')}) gives the capture's verdicts as notes on their evidence lines`, async () => {
      let notes = 0;
      for (const name of SCENARIOS) {
        const want = await capturePerf(name);
        const { text, by } = await logOf(name, flags);
        const m = analyzeLog(text, { spans: true });
        const got = logVerdictNotes(m, formatEn);
        assert.deepEqual(got.map((n) => n.view.kind), want.verdicts.map((v) => v.kind), `${name} (${by})`);
        const lines = text.split('\n');
        for (let k = 0; k < got.length; k++) {
          const n = got[k];
          const v = want.verdicts[k];
          assert.equal(n.stream, 0);
          // the evidence packets are the capture's, each on its own line in the log
          assert.deepEqual(n.related.map((r) => r.packet), [...new Set(v.packets)], `${name}: ${n.view.kind}`);
          for (const r of n.related) assert.equal(m.log.packets[r.packet - 1].addrLine, r.line);
          assert.equal(n.line, n.related.length > 0 ? n.related[0].line : m.log.packets[m.firstOfStream[0]].addrLine);
          assert.match(lines[n.line], /Flags \[/);
          // who, title, evidence and the advice in one message
          assert.ok(n.message.startsWith('client → server: ') || n.message.startsWith('server → client: ') || n.message.startsWith('connection: '), n.message);
          assert.ok(n.message.includes(n.view.title) && n.message.includes('What to change: ' + n.view.advice), n.message);
          notes++;
        }
        const lens = verdictLensText(m, 0, formatEn);
        if (want.verdicts.length === 0) assert.equal(lens, null, name);
        else for (const v of got) assert.ok(lens!.includes(v.view.title), `${name}: ${lens}`);
      }
      assert.ok(notes >= 12, `${notes} notes`); // test/perf-scenarios.test.ts's EXPECTED: 12 verdicts over the 11 scenarios
    });
  }

  it('a zero-window stall is one entry in the Problems panel: the verdict (advice, on the zero window\'s line), not the engine\'s problem too', async () => {
    const zwSample = async (): Promise<{ text: string; by: string }> => {
      const printer = new PacketPrinter(defaultPrintOptions());
      const { records } = await readAll(path.join(samplesDir(), 'zero-window.pcap'));
      return { text: records.map((r) => printer.print(r)).join(''), by: 'the zero-window sample, our printer -n' };
    };
    for (const { text, by } of [await logOf('zerowin', ['-n']), await zwSample()]) {
      const m = analyzeLog(text);
      const engine = m.summaries.flatMap((s) => s.problems);
      const zw = engine.filter((p) => p.kind === 'zero-window');
      // the engine sees the event (without it there would be nothing to report twice)
      assert.ok(zw.length > 0, `${by}: the engine's zero-window problem`);
      const shown = logShownProblems(m);
      for (const lang of [formatEn, zh]) {
        const notes = logVerdictNotes(m, lang).filter((n) => n.view.kind === 'zero-window');
        assert.equal(notes.length, zw.length, `${by}: one verdict per side that advertised a zero window`);
        // once: the verdict's note on the zero window's own line, and not the engine's problem of the same event
        for (const p of zw) {
          const line = m.log.packets[p.packet].addrLine;
          assert.equal(notes.filter((n) => n.line === line).length, 1, `${by}: the verdict on line ${line + 1}`);
        }
        assert.equal(shown.filter((s) => s.problem.kind === 'zero-window').length, 0, `${by}: the engine's zero window is not shown too`);
        for (const n of notes) assert.ok(n.message.includes(n.view.advice), n.message);
      }
      // every other problem is still shown, on its packet's line
      assert.deepEqual(
        shown.map((s) => [s.problem.kind, s.line]),
        engine.filter((p) => p.kind !== 'zero-window').map((p) => [p.kind, m.log.packets[p.packet].addrLine]),
        by,
      );
    }
  });

  it('speaks Chinese, and caches one perf pass per model', async () => {
    const { text } = await logOf('zerowin', ['-n']);
    const m = analyzeLog(text);
    assert.equal(logPerf(m), logPerf(m));
    const en = logVerdictNotes(m, formatEn);
    const cn = logVerdictNotes(m, zh);
    assert.equal(cn.length, en.length);
    for (let k = 0; k < cn.length; k++) {
      assert.match(cn[k].message, /[\u4e00-\u9fff]/);
      assert.ok(cn[k].message.includes('如何改进：'), cn[k].message);
      assert.deepEqual(cn[k].related, en[k].related);
    }
    assert.match(verdictLensText(m, 0, zh)!, /受接收方限制/);
    // a stream that is not there, and a log without TCP, have no verdicts
    assert.equal(verdictLensText(m, 5, formatEn), null);
    assert.deepEqual(logVerdictNotes(analyzeLog('hello\n'), formatEn), []);
  });
});
