/**
 * Part of `npm run bench`: the Graphs panel on one 1,000,000-packet connection (issue 14 asks that
 * its series build and draw in under a second). Prints figures, never asserts them.
 *
 * The connection is a bulk transfer made in memory (SegmentInputs, no file): 500,000 data segments
 * of 1,448 bytes, one ACK every segment with a window that breathes, a loss every 5,000 segments
 * (three duplicate ACKs with SACK blocks, then the retransmission). Measured:
 *   - the replay into columns (ConnRecorder: a TcpEngine with perf on, what the worker runs once per
 *     connection opened, after reading its packets back from the file);
 *   - each graph kind over the whole connection at 1,200 pixels (buildSeries), plus the SVG path
 *     text of every layer (layerPath: what the webview puts in its <path> elements), and a zoomed
 *     view (a tenth of the time);
 *   - the points drawn.
 *   - the real webview bundle (dist/graphs.js) in headless Chromium when it is installed (as
 *     scripts/bench-flow.ts does): time from the host's `init` to the time-sequence graph drawn, the
 *     series built on the host side included, then one zoom step (wheel) to its redraw.
 * BENCH_GRAPH_PACKETS overrides the packet count.
 */
import * as path from 'node:path';
import { ConnRecorder, graphConnInfo, type ConnPackets } from '../src/core/perf/connPackets';
import { buildSeries, GRAPH_KINDS, layerPath, seriesPoints } from '../src/core/perf/series';
import type { SegmentInput } from '../src/core/tcp/types';
import { graphsUiStrings } from '../src/extension/graphs/strings';
import { formatEn } from '../src/core/explain/l10n';
import { browserMissing, launchChromium, servePage } from './bench-shared';

const ROOT = path.resolve(__dirname, '..');
const PACKETS = Number(process.env.BENCH_GRAPH_PACKETS ?? 1_000_000);
const MSS = 1448;

function seg(index: number, us: number, c: boolean, flags: number, seq: number, ack: number, len: number, win: number, sack?: number[]): SegmentInput {
  return {
    index, tsSec: 1_700_000_000 + Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000,
    src: c ? '10.0.0.1' : '10.0.0.2', dst: c ? '10.0.0.2' : '10.0.0.1', sport: c ? 40000 : 443, dport: c ? 443 : 40000,
    flags, seq: seq >>> 0, ack: ack >>> 0, win, len, mss: -1, wscale: -1, sackOk: false, tsVal: -1, tsEcr: -1, sack,
  };
}

async function main(): Promise<void> {
  const C = 1_000_000;
  const S = 7_000_000;
  const rec = new ConnRecorder();
  let i = 0;
  let us = 0;
  const t0 = process.hrtime.bigint();
  rec.add(seg(i++, us, true, 0x02, C, 0, 0, 65535));
  rec.add(seg(i++, (us += 20_000), false, 0x12, S, C + 1, 0, 65535));
  rec.add(seg(i++, (us += 100), true, 0x10, C + 1, S + 1, 0, 65535));
  let next = C + 1;
  let n = 0;
  while (i < PACKETS - 1) {
    const lost = n > 0 && n % 5000 === 0;
    const s = next;
    rec.add(seg(i++, (us += 80), true, 0x18, s, S + 1, MSS, 65535));
    next += MSS;
    n++;
    if (lost) {
      // the segment at s is lost: three dup ACKs SACKing what follows, then the retransmission
      for (let k = 0; k < 3 && i < PACKETS - 2; k++) {
        rec.add(seg(i++, (us += 80), true, 0x18, next, S + 1, MSS, 65535));
        next += MSS;
        rec.add(seg(i++, (us += 40), false, 0x10, S + 1, s, 0, 30000, [s + MSS, next]));
      }
      rec.add(seg(i++, (us += 40), true, 0x18, s, S + 1, MSS, 65535));
    }
    if (i < PACKETS - 1) rec.add(seg(i++, (us += 40), false, 0x10, S + 1, next, 0, 20000 + ((n * 37) % 40000)));
  }
  const c = rec.finish();
  const replayMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const dur = c.t[c.n - 1];
  console.log(`\nGraphs panel, one ${c.n.toLocaleString('en')}-packet connection (${dur.toFixed(1)} s of capture):`);
  console.log(`  replay into columns (once per connection opened): ${replayMs.toFixed(0)} ms`);
  const box = { x0: 60, y0: 10, width: 1200, height: 400 };
  const views: [string, number, number][] = [
    ['whole connection', 0, dur],
    ['a tenth', dur * 0.45, dur * 0.55],
  ];
  for (const [label, a, b] of views) {
    const parts: string[] = [];
    let total = 0;
    for (const kind of GRAPH_KINDS) {
      const start = process.hrtime.bigint();
      const s = buildSeries(c, { kind, dir: 0, t0: a, t1: b, width: box.width });
      let chars = 0;
      for (const l of s.layers) chars += layerPath(s, l, box).length;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      total += ms;
      parts.push(`${kind} ${ms.toFixed(0)} ms (${seriesPoints(s).toLocaleString('en')} points, ${(chars / 1024).toFixed(0)} KiB of path)`);
    }
    console.log(`  ${label} at ${box.width} px, series + SVG paths: ${parts.join('; ')}; all four ${total.toFixed(0)} ms (goal < 1,000 ms each)`);
  }
  await browserDraw(c);
}

const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><link rel="stylesheet" href="/graphs.css">
<style>:root { --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-foreground: #ccc; --vscode-editor-background: #1e1e1e;
  --vscode-charts-blue: #3794ff; --vscode-charts-red: #f14c4c; --vscode-charts-green: #89d185; --vscode-charts-yellow: #cca700;
  --vscode-charts-purple: #b180d7; --vscode-charts-orange: #d18616; --vscode-panel-border: #444; }</style>
<script>
window.__state = null;
window.acquireVsCodeApi = function () {
  return {
    postMessage: function (m) { window.__host(JSON.stringify(m)).then(function (out) { for (const r of JSON.parse(out)) window.postMessage(r, '*'); }); },
    getState: function () { return window.__state; },
    setState: function (s) { window.__state = s; },
  };
};
</script></head><body><div id="app"></div><script src="/graphs.js"></script></body></html>`;

/** The webview drawing the connection in headless Chromium: init → first time-sequence drawn, and a zoom step. */
async function browserDraw(c: ConnPackets): Promise<void> {
  const missing = browserMissing(ROOT, 'graphs');
  if (missing) {
    console.log(`  webview draw: skipped (${missing})`);
    return;
  }
  const { server, url } = await servePage(ROOT, PAGE, 'graphs');
  const browser = await launchChromium(ROOT);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let initAt = 0;
    const conn = { ...graphConnInfo(c, 0), client: '10.0.0.1:40000', server: '10.0.0.2:443' };
    await page.exposeFunction('__host', (raw: string) => {
      const m = JSON.parse(raw) as { type: string; id?: number; request?: Parameters<typeof buildSeries>[1] };
      if (m.type === 'ready') {
        initAt = Date.now();
        return JSON.stringify([{ type: 'init', strings: graphsUiStrings(formatEn), source: { uri: 'bench', kind: 'capture' }, conn, kind: 'tseq', dir: 0 }]);
      }
      if (m.type === 'series' && m.request) return JSON.stringify([{ type: 'series', id: m.id, series: buildSeries(c, m.request) }]);
      return '[]';
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => Number(document.body.dataset.points ?? 0) > 0, null, { timeout: 60_000 });
    const first = Date.now() - initAt;
    const points = await page.evaluate(() => Number(document.body.dataset.points), null);
    await page.mouse.move(700, 450);
    const t = Date.now();
    await page.evaluate(() => {
      document.body.dataset.points = '';
    }, null);
    await page.mouse.wheel(0, -100);
    await page.waitForFunction(() => Number(document.body.dataset.points ?? 0) > 0, null, { timeout: 60_000 });
    console.log(`  webview (headless Chromium, 1,400 px): time-sequence drawn ${first} ms after init (${points.toLocaleString('en')} points, the host's series included); one wheel zoom redrawn in ${Date.now() - t} ms (goal < 1,000 ms)`);
  } finally {
    await browser.close();
    server.close();
  }
}

void main();
