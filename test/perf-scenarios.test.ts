/**
 * The performance verdicts and the busy-time split on real kernel TCP: the captures of
 * test/fixtures/perf (made by scripts/perf-scenarios.sh in network namespaces; see the README there).
 * Each scenario must give its verdicts (and no others), and the split must agree with what the
 * sender's kernel said about the same connection (`ss -ti`: busy, rwnd_limited, sndbuf_limited, the
 * last poll) within 10 percentage points. The same capture printed as tcpdump text gives the same verdicts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import { verdictLines } from '../src/core/explain/perf';
import { perfJson, type PerfJson } from '../src/core/perf/summary';
import type { VerdictKind } from '../src/core/perf/verdicts';
import { analyzeCaptureFile } from '../src/node/analyze';
import { analyzeLog } from '../src/core/log/model';
import { defaultPrintOptions } from '../src/core/print/options';
import { PacketPrinter } from '../src/core/print/packet';
import { TcpEngine } from '../src/core/tcp/engine';
import { toSegmentInput } from '../src/core/text/index';
import { readAll } from './helpers/corpus';

const ROOT = path.resolve(__dirname, '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures', 'perf');

/** Scenario → the verdicts it must give (sender client → server unless said). */
export const EXPECTED: Record<string, VerdictKind[]> = {
  bloat: ['bufferbloat', 'bottleneck'],
  shortq: ['bottleneck', 'loss-limited'],
  slowrecv: ['receiver-limited'],
  zerowin: ['receiver-limited', 'zero-window'],
  trickle: ['application-limited'],
  loss2: ['loss-limited'],
  nagle: ['nagle-delayed-ack'],
  nodelay: [],
  sndbuf: ['sndbuf-limited'],
  'sndbuf-unpaced': [],
  slowsrv: ['slow-server'],
  synretry: ['slow-handshake'],
};

interface Kernel {
  /** Time of the poll (s since the epoch), and its counters (ms). */
  at: number;
  busy: number;
  rwnd: number;
  sndbuf: number;
}

/** The last `ss -tinmH` poll that shows the connection from `localPort`, with its counters. */
export function lastPoll(ssText: string, localPort: number): Kernel | null {
  let at = 0;
  let last: Kernel | null = null;
  const lines = ssText.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('# ')) {
      at = Number(l.slice(2));
      continue;
    }
    // a socket line ("ESTAB 0 0 10.66.1.1:PORT 10.66.2.1:5201"), then its tab-indented details
    const cols = l.trim().split(/\s+/);
    if (cols.length < 5 || !cols[3].endsWith(':' + localPort)) continue;
    const info = lines[i + 1] ?? '';
    const num = (name: string) => {
      const m = new RegExp('\\b' + name + ':(\\d+)ms').exec(info);
      return m ? Number(m[1]) : 0;
    };
    if (!/\bbusy:/.test(info)) continue;
    last = { at, busy: num('busy'), rwnd: num('rwnd_limited'), sndbuf: num('sndbuf_limited') };
  }
  return last;
}

async function scenario(name: string): Promise<{ j: PerfJson; clientPort: number; synSec: number; kernel: Kernel | null }> {
  const file = path.join(FIX, name + '.pcap');
  let firstSec = -1;
  const { engine, read } = await analyzeCaptureFile(file, (rec) => {
    if (firstSec < 0) firstSec = rec.tsSec + rec.tsNsec / 1e9;
  }, { perf: true });
  assert.equal(read.error ?? null, null);
  const convs = engine.conversations();
  assert.equal(convs.length, 1, `${name}: one connection`);
  const c = convs[0];
  const ss = fs.readFileSync(path.join(FIX, name + '.ss.txt'), 'utf8');
  return { j: perfJson(c)!, clientPort: c.clientPort, synSec: firstSec, kernel: lastPoll(ss, c.clientPort) };
}

describe('perf scenarios: real kernel TCP (test/fixtures/perf)', function () {
  this.timeout(60_000);

  it('has every scenario the generator makes, with its capture, ss polls and command', () => {
    const sh = fs.readFileSync(path.join(ROOT, 'scripts', 'perf-scenarios.sh'), 'utf8');
    const all = /^ALL="([^"]*)"/m.exec(sh)![1].split(' ');
    assert.deepEqual([...all].sort(), Object.keys(EXPECTED).sort());
    for (const n of all) for (const ext of ['.pcap', '.ss.txt', '.cmd.txt']) assert.ok(fs.existsSync(path.join(FIX, n + ext)), n + ext);
  });

  for (const [name, kinds] of Object.entries(EXPECTED)) {
    it(`${name}: ${kinds.length ? kinds.join(', ') : 'no verdict'}`, async () => {
      const { j } = await scenario(name);
      const got = j.verdicts.map((v) => v.kind);
      assert.deepEqual([...new Set(got)].sort(), [...kinds].sort(), JSON.stringify(j.verdicts));
      // every verdict carries its evidence: packet numbers inside the capture, finite figures
      for (const v of j.verdicts) {
        for (const p of v.packets) assert.ok(Number.isInteger(p) && p >= 1, `${v.kind}: packet ${p}`);
        for (const [k, x] of Object.entries(v.figures)) assert.ok(Number.isFinite(x), `${v.kind}.${k}`);
      }
    });
  }

  it('bufferbloat and the bottleneck: figures that match the tbf (8 Mbit/s) and the queue it built', async () => {
    const { j } = await scenario('bloat');
    const b = j.verdicts.find((v) => v.kind === 'bufferbloat')!;
    const r = j.verdicts.find((v) => v.kind === 'bottleneck')!;
    // the base RTT is the TUN program's 2 × 10 ms; the queue adds at least 100 ms at 1 MB/s
    assert.ok(b.figures.minRttMs >= 19 && b.figures.minRttMs < 30, String(b.figures.minRttMs));
    assert.ok(b.figures.p95RttMs > 100, String(b.figures.p95RttMs));
    // tbf 8 Mbit/s = 1 MB/s on the wire; payload goodput within 15 % below it
    assert.ok(r.figures.rate > 0.85e6 && r.figures.rate <= 1.0e6, String(r.figures.rate));
  });

  it('loss: random drops (RTT near its minimum) are told from a full queue (RTT standing above it)', async () => {
    const random = (await scenario('loss2')).j.verdicts.find((v) => v.kind === 'loss-limited')!;
    const queue = (await scenario('shortq')).j.verdicts.find((v) => v.kind === 'loss-limited')!;
    assert.equal(random.figures.standingQueue, 0);
    assert.equal(queue.figures.standingQueue, 1);
    // nftables drops 2 % of the data packets: what was sent again is 1–4 % of the bytes
    assert.ok(random.figures.rate >= 0.01 && random.figures.rate <= 0.04, String(random.figures.rate));
  });

  it('Nagle / delayed ACK: ~40 ms stalls (Linux TCP_DELACK_MIN) with Nagle on, none with TCP_NODELAY', async () => {
    const on = (await scenario('nagle')).j;
    const off = (await scenario('nodelay')).j;
    assert.ok(on.clientToServer.nagle.stalls >= 30, String(on.clientToServer.nagle.stalls)); // 40 requests, the first few get quick ACKs
    assert.ok(on.clientToServer.nagle.medianDelayMs >= 35 && on.clientToServer.nagle.medianDelayMs <= 60, String(on.clientToServer.nagle.medianDelayMs));
    assert.equal(off.clientToServer.nagle.stalls, 0);
  });

  it('send buffer: a flight capped by SO_SNDBUF, named with what to change (SO_SNDBUF, tcp_wmem), in English and Chinese', async () => {
    const { j } = await scenario('sndbuf');
    const v = j.verdicts.find((x) => x.kind === 'sndbuf-limited')!;
    assert.equal(v.dir, 'clientToServer');
    assert.ok(v.figures.share >= 0.5, String(v.figures.share));
    // SO_SNDBUF 64 kB, doubled by the kernel: skmem tb 131072 bytes holds the payload and its skb overhead,
    // so the flight stays below it; and far below the receiver's window (~420 kB)
    assert.ok(v.figures.ceiling >= 40_000 && v.figures.ceiling < 131_072, String(v.figures.ceiling));
    assert.ok(v.figures.maxWindow >= 2 * v.figures.ceiling, String(v.figures.maxWindow));
    const zh = bundleTranslator(JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>);
    const en = verdictLines(v, formatEn).join('\n');
    const cn = verdictLines(v, zh).join('\n');
    assert.match(en, /Limited by the send buffer/);
    assert.match(cn, /受发送缓冲区限制/);
    for (const text of [en, cn]) {
      for (const what of ['SO_SNDBUF', 'net.ipv4.tcp_wmem', String(v.figures.ceiling)]) assert.ok(text.includes(what), `${what} in ${text}`);
    }
    assert.notEqual(cn, en);
  });

  it('slow server and slow handshake: the 300 ms think time and the 1 s SYN retry', async () => {
    const s = (await scenario('slowsrv')).j.slowestAnswer!;
    assert.ok(s.serverMs >= 280 && s.serverMs < 400, String(s.serverMs));
    assert.ok(s.rttMs >= 19 && s.rttMs < 60, String(s.rttMs));
    const h = (await scenario('synretry')).j.synRetries!;
    assert.equal(h.syns, 2);
    assert.ok(h.connectMs >= 1000 && h.connectMs < 1200, String(h.connectMs));
  });

  for (const name of Object.keys(EXPECTED)) {
    it(`${name}: busy, rwnd-limited and sndbuf-limited within 10 percentage points of the kernel's ss -ti`, async () => {
      const { j, kernel, synSec } = await scenario(name);
      assert.ok(kernel, 'the ss polls show the connection with its busy counter');
      // the client is the sender in every scenario; its socket is the one ss polled
      const l = j.clientToServer.limits;
      const share = (x: number, of: number) => (of > 0 ? x / of : 0);
      const pp = (a: number, b: number) => Math.abs(a - b) * 100;
      // busy as a share of the connection's life until the last poll (the kernel's counters are cumulative)
      const lifeMs = (kernel.at - synSec) * 1000;
      assert.ok(lifeMs > 0);
      const diff = {
        busy: pp(share(l.busyMs, lifeMs), share(kernel.busy, lifeMs)),
        rwnd: pp(share(l.rwndLimitedMs, l.busyMs), share(kernel.rwnd, kernel.busy)),
        sndbuf: pp(share(l.sndbufLimitedMs, l.busyMs), share(kernel.sndbuf, kernel.busy)),
      };
      console.log(`      ${name}: busy ${l.busyMs.toFixed(0)}/${kernel.busy} ms, rwnd ${(share(l.rwndLimitedMs, l.busyMs) * 100).toFixed(1)}/${(share(kernel.rwnd, kernel.busy) * 100).toFixed(1)} %, sndbuf ${(share(l.sndbufLimitedMs, l.busyMs) * 100).toFixed(1)}/${(share(kernel.sndbuf, kernel.busy) * 100).toFixed(1)} % (ours/kernel)`);
      for (const [k, d] of Object.entries(diff)) assert.ok(d <= 10, `${k}: ${d.toFixed(1)} percentage points apart`);
    });
  }
});

describe('perf scenarios: the same verdicts from tcpdump text as from the capture', function () {
  this.timeout(60_000);

  for (const [name, kinds] of Object.entries(EXPECTED)) {
    it(`${name}: the log (as tcpdump -n prints it) gives ${kinds.length ? kinds.join(', ') : 'no verdict'}`, async () => {
      const { records } = await readAll(path.join(FIX, name + '.pcap'));
      const printer = new PacketPrinter({ ...defaultPrintOptions() });
      const text = records.map((r) => printer.print(r)).join('');
      const log = analyzeLog(text).log;
      const engine = new TcpEngine({ perf: true });
      log.packets.forEach((p, i) => {
        const seg = toSegmentInput(p, i);
        if (seg) engine.add(seg);
      });
      engine.finish();
      const j = perfJson(engine.conversations()[0])!;
      assert.deepEqual([...new Set(j.verdicts.map((v) => v.kind))].sort(), [...kinds].sort(), JSON.stringify(j.verdicts));
      // the split, from microsecond timestamps, stays within a point of the capture's
      const fromCapture = (await scenario(name)).j.clientToServer.limits;
      assert.ok(Math.abs(j.clientToServer.limits.shares.rwnd - fromCapture.shares.rwnd) <= 0.01);
      assert.ok(Math.abs(j.clientToServer.limits.busyMs - fromCapture.busyMs) <= 0.01 * fromCapture.busyMs + 1);
    });
  }
});
