/**
 * Flow-graph webview benchmark (npm run bench runs it last; prints figures, never asserts them).
 *
 * Builds a 100,000-packet flow graph from synthetic conversations (src/core/synth/), decoded and
 * run through the TCP engine like a capture, then loads the real webview bundle (dist/flow.js +
 * dist/flow.css) in headless Debian Chromium through playwright-core (installed by
 * scripts/e2e-setup.sh into .e2e/tools/) in a plain HTML page whose fake `acquireVsCodeApi`
 * answers the webview's messages from the real graph in this process, with the same builders as
 * the panel (src/extension/flow/graphMessages.ts). Prints:
 *   - the graph build time (Node),
 *   - time to first draw: page start → first arrow label in the DOM, and `ready` → first draw,
 *   - frames per second while scrolling programmatically through the whole list (one scrollTop
 *     step per requestAnimationFrame for a fixed duration; frames counted by rAF), with the
 *     longest frame, then the same at reading speed (a screenful per second),
 *   - DOM nodes in the page and rows drawn, after scrolling.
 * Skips with a reason when Chromium, playwright-core or the bundle are missing.
 *
 *   node scripts/run-ts.mjs scripts/bench-flow.ts [--packets N] [--sample FILE.pcap] [--shot FILE.png] [--width PX]
 * With --sample it draws that capture instead (and --shot saves a screenshot): a quick visual check;
 * --check then also drives the webview (keyboard, click, selection from the host, zoom, PNG
 * rendering, problems-only filter, saved state) and prints what it saw.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildFlowGraph, type FlowGraph, type FlowPacket } from '../src/core/flow/model';
import { bracketLanes, problemsOnly } from '../src/core/flow/view';
import { conversations } from '../src/core/synth/conversations';
import { decodeRecord, DecodedPacket } from '../src/core/decode/index';
import { scratchSegment, segmentFromPacket } from '../src/core/tcp/fromPacket';
import { TcpEngine } from '../src/core/tcp/engine';
import { emptyResult, type SegmentInput } from '../src/core/tcp/types';
import { formatEn } from '../src/core/explain/l10n';
import { analyzeCaptureFile, visitCaptureFile } from '../src/node/analyze';
import type { CaptureRecord } from '../src/core/capture/types';
import { FLOW_MAX_LANES, parseFromWebview, type FlowOptionsState, type FlowToWebview } from '../src/extension/flow/messages';
import { graphMessage, markerHelp, rowsWindow, stateHelp, uiStrings } from '../src/extension/flow/graphMessages';
import { browserMissing, launchChromium, servePage, type PwPage } from './bench-shared';

const ROOT = [path.resolve(__dirname, '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'scripts'))) ?? process.cwd();
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** FlowPackets of synthetic conversations, decoded and analysed as a capture would be. */
function synthPackets(n: number): FlowPacket[] {
  const engine = new TcpEngine();
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const segs: SegmentInput[] = [];
  let i = 0;
  for (const p of conversations({ connections: Math.max(1, Math.round(n / 200)), packets: Math.ceil(n * 1.01), concurrency: 8, seed: 11 })) {
    if (i >= n) break;
    const rec: CaptureRecord = { index: i, data: p.frame, origLen: p.frame.length, tsSec: p.tsSec, tsNsec: p.tsNsec, tsPrecision: 9, linkType: 1, interfaceId: 0, fileOffset: 0, fileLength: 0, blockType: 'pcap' };
    decodeRecord(pkt, rec);
    const seg = segmentFromPacket(pkt, rec, scratch);
    if (seg) {
      engine.add(seg);
      segs.push({ ...seg, sack: undefined });
    }
    i++;
  }
  engine.finish();
  const out: FlowPacket[] = [];
  for (const seg of segs) {
    const r = emptyResult();
    if (!engine.resultInto(seg.index, r)) continue;
    out.push({ index: seg.index, tsSec: seg.tsSec, tsNsec: seg.tsNsec, src: seg.src, dst: seg.dst, sport: seg.sport, dport: seg.dport, flags: seg.flags, seq: r.relSeq, ack: r.relAck, seqRaw: seg.seq, ackRaw: seg.ack, win: r.winScaled, len: seg.len, result: r });
  }
  return out;
}

/** FlowPackets of a capture file (as src/node/flow.ts reads them: the engine's pass, then the results). */
async function capturePackets(file: string): Promise<FlowPacket[]> {
  const { engine } = await analyzeCaptureFile(file);
  const out: FlowPacket[] = [];
  await visitCaptureFile(file, (_rec, _pkt, seg) => {
    const r = emptyResult();
    if (seg === null || !engine.resultInto(seg.index, r)) return;
    out.push({ index: seg.index, tsSec: seg.tsSec, tsNsec: seg.tsNsec, src: seg.src, dst: seg.dst, sport: seg.sport, dport: seg.dport, flags: seg.flags, seq: r.relSeq, ack: r.relAck, seqRaw: seg.seq, ackRaw: seg.ack, win: r.winScaled, len: seg.len, result: r });
  });
  return out;
}

/** The fake host: answers the webview's messages from `packets` like the panel does. */
class FakeHost {
  graph: FlowGraph;
  lanes: number[];
  version = 1;
  options: FlowOptionsState = { streams: null, problemsOnly: false, time: 'relative', absolute: false };
  rowsServed = 0;
  requests = 0;
  /** What the webview sent besides row requests (for --check). */
  log: { type: string; index?: number; base64?: string; error?: string }[] = [];
  constructor(private readonly packets: FlowPacket[]) {
    this.graph = buildFlowGraph(packets);
    this.lanes = bracketLanes(this.graph.brackets, FLOW_MAX_LANES);
  }
  private rebuild(): void {
    let g = buildFlowGraph(this.packets, { streams: this.options.streams ?? undefined, absolute: this.options.absolute });
    if (this.options.problemsOnly) g = problemsOnly(g);
    this.graph = g;
    this.lanes = bracketLanes(g.brackets, FLOW_MAX_LANES);
    this.version++;
  }
  answer(raw: unknown): FlowToWebview[] {
    const m = parseFromWebview(raw);
    if (!m) return [];
    const t = formatEn;
    if (m.type !== 'rows') this.log.push(m);
    switch (m.type) {
      case 'ready': {
        const conns = [...new Set(this.graph.arrows.map((a) => a.stream))].map((s) => ({ stream: s, client: '', server: '', packets: 0, problems: 0 }));
        return [
          { type: 'init', source: { uri: 'file:///bench.pcap', kind: 'capture' }, strings: uiStrings(t), conns, options: this.options, stateHelp: stateHelp(t), markerHelp: markerHelp(t) },
          graphMessage(this.graph, this.lanes, this.version, this.options, m.selIndex, m.topIndex),
        ];
      }
      case 'rows': {
        this.requests++;
        if (m.version !== this.version) return [];
        const w = rowsWindow(this.graph, this.lanes, m.start, m.count, this.options.time, t);
        this.rowsServed += w.rows.length;
        return [{ type: 'rows', id: m.id, version: m.version, ...w }];
      }
      case 'options':
        this.options = m.options;
        this.rebuild();
        return [graphMessage(this.graph, this.lanes, this.version, this.options, m.selIndex, m.topIndex)];
      default:
        return [];
    }
  }
}

const PAGE_HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<link rel="stylesheet" href="/flow.css">
<style>
/* a dark theme's variables, as VS Code injects them into a webview */
:root { --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; --vscode-foreground: #cccccc;
  --vscode-editor-background: #1e1e1e; --vscode-descriptionForeground: #9d9d9d; --vscode-panel-border: #444; --vscode-charts-green: #89d185;
  --vscode-charts-blue: #3794ff; --vscode-charts-red: #f14c4c; --vscode-charts-yellow: #cca700; --vscode-charts-purple: #b180d7;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #fff; --vscode-list-activeSelectionBackground: #04395e;
  --vscode-list-inactiveSelectionBackground: #37373d; --vscode-list-hoverBackground: #2a2d2e; --vscode-focusBorder: #007fd4;
  --vscode-editorGroupHeader-tabsBackground: #252526; --vscode-button-secondaryBackground: #3a3d41; --vscode-button-secondaryForeground: #fff;
  --vscode-editorIndentGuide-background: #404040; --vscode-editorWidget-background: #252526; }
</style>
<script>
window.__t0 = performance.now();
window.__firstDraw = -1;
window.__readyAt = -1;
window.__state = null;
new MutationObserver(function (_m, obs) {
  if (document.querySelector('.flow-row .flow-label')) { window.__firstDraw = performance.now(); obs.disconnect(); }
}).observe(document.documentElement, { childList: true, subtree: true });
window.acquireVsCodeApi = function () {
  return {
    postMessage: function (m) {
      if (m && m.type === 'ready' && window.__readyAt < 0) window.__readyAt = performance.now();
      window.__flowHost(JSON.stringify(m)).then(function (out) { for (const r of JSON.parse(out)) window.postMessage(r, '*'); });
    },
    getState: function () { return window.__state; },
    setState: function (s) { window.__state = s; },
  };
};
</script>
</head><body><div id="app"></div><script src="/flow.js"></script></body></html>`;

async function main(): Promise<void> {
  console.log('\nFlow graph webview (headless Chromium):');
  const missing = browserMissing(ROOT, 'flow');
  if (missing) {
    console.log(`  skipped: ${missing} (bash scripts/e2e-setup.sh installs Chromium and playwright-core)`);
    return;
  }
  const sample = arg('--sample');
  const n = Number(arg('--packets') ?? 100_000);
  if (sample) {
    const host = new FakeHost(await capturePackets(path.resolve(sample)));
    await run(host, host.graph.arrows.length, 0);
    return;
  }
  let t = performance.now();
  const packets = synthPackets(n);
  const synthMs = performance.now() - t;
  t = performance.now();
  const host = new FakeHost(packets);
  const buildMs = performance.now() - t;
  console.log(`  ${packets.length.toLocaleString('en')} packets, ${host.graph.streams.length} connections, ${host.graph.lifelines.length} lifelines (synthesised + analysed in ${(synthMs / 1000).toFixed(1)} s)`);
  console.log(`  build graph (host, buildFlowGraph): ${buildMs.toFixed(0)} ms`);
  await run(host, packets.length, buildMs);
}

async function run(host: FakeHost, rows: number, buildMs: number): Promise<void> {
  const { server, url } = await servePage(ROOT, PAGE_HTML, 'flow');
  const browser = await launchChromium(ROOT);
  try {
    const page = await browser.newPage({ viewport: { width: Number(arg('--width') ?? 1400), height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e.message ?? e)));
    await page.exposeFunction('__flowHost', (s: string) => JSON.stringify(host.answer(JSON.parse(s))));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { __firstDraw: number }).__firstDraw >= 0, null, { timeout: 60_000 });
    const first = await page.evaluate(() => {
      const w = window as unknown as { __firstDraw: number; __readyAt: number; __t0: number };
      return { fromStart: w.__firstDraw - w.__t0, fromReady: w.__firstDraw - w.__readyAt };
    }, null);
    console.log(`  first draw of ${rows.toLocaleString('en')} packets: ${first.fromStart.toFixed(0)} ms from page start (${first.fromReady.toFixed(0)} ms from the webview's ready); with the host's build: ${(first.fromStart + buildMs).toFixed(0)} ms`);
    const shot = arg('--shot');
    if (shot) {
      await page.waitForFunction(() => document.querySelectorAll('.flow-row.loading').length === 0, null, { timeout: 10_000 });
      await page.screenshot({ path: shot });
      console.log(`  screenshot: ${shot}`);
    }
    if (process.argv.includes('--check')) await check(page, host);
    // the whole list in `ms` milliseconds, one scroll step per frame, then a screenful per second
    for (const [label, ms, whole] of [
      ['scroll through all rows in 10 s', 10_000, true],
      ['scroll at a screenful per second for 5 s', 5_000, false],
    ] as const) {
      const r = await page.evaluate(
        ({ ms, whole }) =>
          new Promise<{ frames: number; secs: number; maxFrame: number; long: number; rowsDrawn: number; loading: number; nodes: number }>((resolve) => {
            const body = document.querySelector('.flow-body') as HTMLElement;
            body.scrollTop = 0;
            const max = body.scrollHeight - body.clientHeight;
            const perSec = body.clientHeight;
            let frames = 0;
            let prev = -1;
            let maxFrame = 0;
            let long = 0;
            let loading = 0;
            const t0 = performance.now();
            const step = (now: number): void => {
              if (prev >= 0) {
                maxFrame = Math.max(maxFrame, now - prev);
                if (now - prev > 50) long++;
              }
              prev = now;
              frames++;
              const el = now - t0;
              body.scrollTop = whole ? Math.min(max, (el / ms) * max) : Math.min(max, (el / 1000) * perSec);
              loading += document.querySelectorAll('.flow-row.loading:not([hidden])').length > 0 ? 1 : 0;
              if (el < ms) requestAnimationFrame(step);
              else
                resolve({
                  frames,
                  secs: el / 1000,
                  maxFrame,
                  long,
                  rowsDrawn: document.querySelectorAll('.flow-row:not([hidden])').length,
                  loading,
                  nodes: document.getElementsByTagName('*').length,
                });
            };
            requestAnimationFrame(step);
          }),
        { ms, whole },
      );
      console.log(
        `  ${label}: ${(r.frames / r.secs).toFixed(1)} frames/s (${r.frames} frames, longest ${r.maxFrame.toFixed(0)} ms, ${r.long} over 50 ms; frames with rows still loading: ${r.loading}); DOM: ${r.nodes} nodes, ${r.rowsDrawn} rows drawn`,
      );
    }
    console.log(`  rows served to the webview: ${host.rowsServed.toLocaleString('en')} in ${host.requests} requests`);
    if (errors.length) console.log('  page errors: ' + errors.slice(0, 3).join(' | '));
  } finally {
    await browser.close();
    server.close();
  }
}

/** Drives the webview like a user and prints what it saw (a development check, not a test). */
async function check(page: PwPage, host: FakeHost): Promise<void> {
  const g = host.graph;
  const selected = (): Promise<string> => page.evaluate(() => document.querySelector('.flow-row[aria-selected="true"]')?.getAttribute('data-index') ?? 'none', null);
  const last = (type: string): { index?: number; base64?: string; error?: string } | undefined => [...host.log].reverse().find((x) => x.type === type);
  const say = (what: string, ok: boolean, detail = ''): void => console.log(`  check: ${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ' — ' + detail : ''}`);
  await page.focus('.flow-body');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('j');
  await page.waitForTimeout(100);
  say('ArrowDown, j select rows 0 then 1', (await selected()) === String(g.arrows[1].index), await selected());
  await page.keyboard.press('Enter');
  await page.waitForTimeout(100);
  say('Enter reveals the selected packet', last('reveal')?.index === g.arrows[1].index);
  await page.click(`.flow-row[data-index="${g.arrows[3].index}"] .flow-time`);
  await page.waitForTimeout(100);
  say('click selects and reveals', last('reveal')?.index === g.arrows[3].index && (await selected()) === String(g.arrows[3].index));
  const far = g.arrows.length - 2;
  await page.evaluate((m) => window.postMessage(m, '*'), { type: 'select', version: host.version, index: g.arrows[far].index, row: far, exact: true });
  await page.waitForTimeout(100);
  say('selection from the source', (await selected()) === String(g.arrows[far].index));
  await page.focus('.flow-body');
  await page.keyboard.press('End');
  await page.waitForTimeout(100);
  say('End selects the last packet', (await selected()) === String(g.arrows[g.arrows.length - 1].index));
  const texts = await page.evaluate(
    () => ({
      headers: Array.from(document.querySelectorAll('.flow-lifeline-header')).map((e) => e.textContent),
      labels: Array.from(document.querySelectorAll('.flow-row .flow-label')).slice(0, 3).map((e) => e.textContent),
      states: Array.from(document.querySelectorAll('.flow-state')).map((e) => `${e.getAttribute('data-lifeline')}:${e.textContent}`),
      brackets: Array.from(document.querySelectorAll('.flow-bracket')).map((e) => e.textContent),
      active: document.querySelector('.flow-body')?.getAttribute('aria-activedescendant'),
    }),
    null,
  );
  console.log('  check: ' + JSON.stringify(texts));
  await page.keyboard.press('+');
  await page.waitForTimeout(200);
  const zoom = await page.evaluate(() => document.querySelector('.flow-zoom-level')?.textContent ?? '', null);
  say('+ zooms in', zoom === '110%', zoom);
  await page.evaluate((m) => window.postMessage(m, '*'), { type: 'renderPng', id: 1, svg: '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="red"/><text x="2" y="14">a&amp;b</text></svg>', width: 80, height: 40 });
  await page.waitForFunction(() => true, null);
  for (let i = 0; i < 50 && !last('png'); i++) await page.waitForTimeout(100);
  const png = last('png');
  say('PNG rendered by the webview', !!png?.base64 && Buffer.from(png.base64, 'base64').subarray(1, 4).toString() === 'PNG', png?.error ?? `${png?.base64?.length ?? 0} base64 chars`);
  await page.waitForTimeout(300);
  const state = await page.evaluate(() => JSON.stringify((window as unknown as { __state: unknown }).__state), null);
  say('state saved with setState', /"zoom":1.1/.test(state), state);
  await page.click('.flow-problems');
  await page.waitForTimeout(300);
  const n = await page.evaluate(() => document.querySelector('.flow-status')?.textContent ?? '', null);
  say('problems only rebuilds the graph', host.options.problemsOnly && n === `${host.graph.arrows.length} packets`, n);
  await page.click('.flow-problems');
  await page.waitForTimeout(300);
  const back = await page.evaluate(() => document.querySelectorAll('.flow-row:not([hidden])').length, null);
  const dbg = await page.evaluate(() => ({ status: document.querySelector('.flow-status')?.textContent, top: (document.querySelector('.flow-body') as HTMLElement).scrollTop, h: (document.querySelector('.flow-spacer') as HTMLElement).style.height, rows: document.querySelectorAll('.flow-row').length }), null);
  say('and back', back === g.arrows.length, `${back} rows drawn ${JSON.stringify(dbg)} ${JSON.stringify(host.options)} ${host.graph.arrows.length}`);
}

main().catch((e: unknown) => {
  console.log('  flow benchmark failed: ' + (e instanceof Error ? e.message : String(e)));
});
