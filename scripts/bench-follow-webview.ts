/**
 * The capture editor's webview while following (issue 16), measured in a browser page: bench-follow.ts
 * runs it with --issue or --webview (prints figures, never asserts them). The real webview bundle
 * (dist/capture.js + dist/capture.css) runs in headless Debian Chromium through playwright-core
 * (installed by scripts/e2e-setup.sh into .e2e/tools/), as scripts/bench-flow.ts runs the flow graph's,
 * in a page whose fake `acquireVsCodeApi` takes the webview's messages to this process. This process
 * answers them as the editor's host does (src/extension/capture/editorProvider.ts): `rows` from the
 * real decoding worker (dist/worker.js, WorkerClient) over a generated capture, `select` with the
 * worker's details and row turned into the details tree (buildDetails, addPerfNode). The page itself
 * plays the worker's progress while following: every 20 ms (the worker's report interval) the packet
 * count grows by 1,000 (50,000 packets/s), with `following: true`, so the list sticks to its end and
 * asks for the rows that arrive.
 *
 * Measured in the page, on its main thread, with performance.now():
 * - a message: from the start of the webview's `message` handler (the data's deserialization
 *   included) to the end of the promise continuations it started, plus the style and layout it left (forced by reading the
 *   layout once at the end) — a `rows` reply (the rows go into the page cache) and a `details` reply
 *   (the tree, the bytes and the fields are built: renderDetails);
 * - a frame: the work of the webview's requestAnimationFrame callbacks in one frame (render(): the
 *   rows' text into the pooled DOM rows), plus the style and layout they left;
 * - a scroll while following: one scroll step a frame for 2 s, the frame interval (median, p95,
 *   worst) and frames per second; paint and compositing are not in the figures above, but they are
 *   in the frame interval.
 * Long tasks (PerformanceObserver 'longtask', 50 ms or more) are counted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { pcapHeader } from '../src/core/synth/writers';
import { formatEn } from '../src/core/explain/l10n';
import { buildDetails } from '../src/extension/capture/details';
import { addPerfNode } from '../src/extension/capture/perfDetails';
import { DEFAULT_COLUMNS, type FromWebview, type ToWebview } from '../src/extension/capture/webviewMessages';
import { WORKER_RESOURCE_LIMITS } from '../src/worker/api';
import { WorkerClient } from '../src/worker/client';
import { browserMissing, figures, FRAME_MS, launchChromium, liveRecords, pct, servePage } from './bench-shared';

/** Packets already in the list when the page opens, and those the page's progress adds every 20 ms (50,000/s). */
const FIRST = 20_000;
const PER_TICK = 1_000;
/** Packets in the generated capture: the count the page's progress reaches after about 7 s of following. */
const PACKETS = 400_000;

/** What this process served the page, and the worker's round trips for it (ms). */
interface Served {
  rows: number;
  details: number;
  rowsMs: number[];
  detailsMs: number[];
}

/** What the page measured (milliseconds). */
interface PageFigures {
  rows: number[];
  details: number[];
  frames: number[];
  scrollIntervals: number[];
  scrollSecs: number;
  longTasks: number;
  longest: number;
  selections: number;
  /** details replies for a packet no longer selected (not drawn). */
  stale: number;
  count: number;
  rowsOnScreen: number;
  loadingOnScreen: number;
  detailRows: number;
}

/**
 * The English UI strings, read from the host's uiStrings() (editorProvider.ts imports vscode, which
 * this process cannot load): each `key: t('text')` line (a key made otherwise is left out: the page shows nothing for it).
 */
function uiStrings(root: string): Record<string, string> {
  const src = fs.readFileSync(path.join(root, 'src', 'extension', 'capture', 'editorProvider.ts'), 'utf8');
  const body = src.slice(src.indexOf('function uiStrings()'), src.indexOf('\n}\n', src.indexOf('function uiStrings()')));
  const out: Record<string, string> = {};
  for (const line of body.split('\n')) {
    // one key and one quoted text a line: [^']* cannot backtrack past its line
    const m = /^\s*(\w+): t\('([^']*)'/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

const PAGE_HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<link rel="stylesheet" href="/capture.css">
<style>
/* a dark theme's variables, as VS Code injects them into a webview */
:root { --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; --vscode-foreground: #cccccc;
  --vscode-editor-background: #1e1e1e; --vscode-descriptionForeground: #9d9d9d; --vscode-panel-border: #444;
  --vscode-list-activeSelectionBackground: #04395e; --vscode-list-inactiveSelectionBackground: #37373d; --vscode-list-hoverBackground: #2a2d2e;
  --vscode-focusBorder: #007fd4; --vscode-editorWidget-background: #252526; --vscode-button-secondaryBackground: #3a3d41; }
html, body { height: 100%; margin: 0; }
</style>
<script>
window.__m = { rows: [], details: [], frames: [], longTasks: 0, longest: 0, stale: 0 };
window.__state = null;
try {
  new PerformanceObserver(function (l) { for (const e of l.getEntries()) { window.__m.longTasks++; window.__m.longest = Math.max(window.__m.longest, e.duration); } })
    .observe({ type: 'longtask', buffered: true });
} catch (e) { /* no longtask entries in this browser */ }
// the end of the promise continuations a handler started (the channel's reply → the page cache → scheduleRender:
// 4 steps deep): a microtask queued 16 times over runs after every continuation less deep, before the next task
function afterContinuations(f) { let n = 16; const step = function () { if (--n > 0) queueMicrotask(step); else f(); }; queueMicrotask(step); }
// the webview's message handler (media/common/channel.ts: window.addEventListener('message', …)), timed
const add = window.addEventListener.bind(window);
window.addEventListener = function (type, fn, opts) {
  if (type !== 'message') return add(type, fn, opts);
  return add(type, function (e) {
    const t0 = performance.now();
    const kind = e.data && e.data.type; // reading the data deserializes it: counted
    const tree = document.querySelector('.tnode');
    fn.call(this, e);
    if (kind === 'rows' || kind === 'details') afterContinuations(function () {
      document.documentElement.getBoundingClientRect(); // the style and layout it left
      // a details reply for a packet no longer selected is dropped: counted apart (its tree is not drawn anew)
      if (kind === 'details' && document.querySelector('.tnode') === tree) window.__m.stale++;
      else window.__m[kind].push(performance.now() - t0);
    });
  }, opts);
};
// the webview's requestAnimationFrame callbacks (render()), timed per frame with the layout they left
const raf = window.requestAnimationFrame.bind(window);
window.__raf = raf;
let frameAt = -1;
let frameWork = 0;
window.requestAnimationFrame = function (cb) {
  return raf(function (ts) {
    const t0 = performance.now();
    cb(ts);
    document.documentElement.getBoundingClientRect();
    if (ts !== frameAt) { if (frameAt >= 0) window.__m.frames.push(frameWork); frameAt = ts; frameWork = 0; }
    frameWork += performance.now() - t0;
  });
};
window.acquireVsCodeApi = function () {
  return {
    postMessage: function (m) {
      window.__host(JSON.stringify(m)).then(function (out) { for (const r of JSON.parse(out)) window.postMessage(r, '*'); });
    },
    getState: function () { return window.__state; },
    setState: function (s) { window.__state = s; },
  };
};
</script>
</head><body><div id="app"></div><script src="/capture.js"></script></body></html>`;

/** The capture the host's answers come from: PACKETS generated packets, indexed by the real worker. */
async function indexedCapture(root: string, dir: string): Promise<WorkerClient> {
  const file = path.join(dir, 'webview.pcap');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, pcapHeader());
  let batch: Uint8Array[] = [];
  for (const rec of liveRecords(PACKETS)) {
    batch.push(rec);
    if (batch.length === 4096) {
      fs.writeSync(fd, Buffer.concat(batch));
      batch = [];
    }
  }
  fs.writeSync(fd, Buffer.concat(batch));
  fs.closeSync(fd);
  const client = new WorkerClient(new Worker(path.join(root, 'dist', 'worker.js'), { resourceLimits: WORKER_RESOURCE_LIMITS }));
  client.openPath(file, 20, false);
  await client.whenDone();
  return client;
}

/** The editor's host for the page: answers `ready`, `rows` and `select` as editorProvider.ts does. */
function hostAnswer(client: WorkerClient, strings: Record<string, string>, served: Served) {
  return async (m: FromWebview): Promise<ToWebview[]> => {
    if (m.type === 'ready') {
      const progress = { packets: FIRST, bytesRead: 0, totalBytes: 0, rate: 50_000, done: false, elapsedMs: 0, following: true };
      return [{ type: 'init', fileName: 'live.pcap', strings: { ...strings } as never, timeFormat: 'relative', infoStyle: 'tcpdump', columns: [...DEFAULT_COLUMNS], progress, count: FIRST }];
    }
    if (m.type === 'rows') {
      const t0 = performance.now();
      const rows = await client.rows(m.start, m.count).catch(() => []);
      served.rows += rows.length;
      served.rowsMs.push(performance.now() - t0);
      return [{ type: 'rows', id: m.id, view: m.view, start: m.start, rows }];
    }
    if (m.type === 'select') {
      const t0 = performance.now();
      const [d, row] = await Promise.all([client.details(m.index), client.rows(m.index, 1)]);
      served.detailsMs.push(performance.now() - t0);
      const tree = addPerfNode(buildDetails(d.tree, row[0] ?? null, formatEn), d.perf, formatEn);
      const bytes = d.bytes instanceof Uint8Array ? d.bytes : new Uint8Array(d.bytes as ArrayLike<number>);
      served.details++;
      // JSON between this process and the page: the bytes as numbers (the webview's toBytes takes them)
      return [{ type: 'details', index: d.index, tree, bytes: Array.from(bytes) as never, tcpdump: d.tcpdump }];
    }
    return [];
  };
}

/** Runs the page (following for about 7 s: stuck to the end, then selections, then a scroll) and prints the figures. */
export async function webviewBench(root: string): Promise<void> {
  console.log("  the capture editor's webview while following (headless Chromium, the real dist/capture.js):");
  const missing = browserMissing(root, 'capture');
  if (missing) {
    console.log(`    skipped: ${missing} (bash scripts/e2e-setup.sh installs Chromium and playwright-core)`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-bench-webview-'));
  const client = await indexedCapture(root, dir);
  const { server, url } = await servePage(root, PAGE_HTML, 'capture');
  const browser = await launchChromium(root);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e.message ?? e)));
    const served: Served = { rows: 0, details: 0, rowsMs: [], detailsMs: [] };
    const answer = hostAnswer(client, uiStrings(root), served);
    await page.exposeFunction('__host', async (s: string) => JSON.stringify(await answer(JSON.parse(s) as FromWebview)));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('.row[data-index]:not([data-index=""])') !== null, null, { timeout: 60_000 });
    const f = await page.evaluate(
      ({ perTick, max }) =>
        new Promise<PageFigures>((resolve) => {
          const w = window as unknown as { __m: { rows: number[]; details: number[]; frames: number[]; longTasks: number; longest: number; stale: number }; __raf: typeof requestAnimationFrame };
          // measure from here: the first page and its rows are the open, not following
          w.__m.rows.length = 0;
          w.__m.details.length = 0;
          w.__m.frames.length = 0;
          w.__m.stale = 0;
          let count = (document.querySelector('#packet-grid')?.getAttribute('aria-rowcount') ?? '1') as unknown as number;
          count = Number(count) - 1;
          const progress = (): void => {
            count = Math.min(max, count + perTick);
            const p = { packets: count, bytesRead: 0, totalBytes: 0, rate: 50_000, done: false, elapsedMs: 0, following: true };
            window.postMessage({ type: 'progress', progress: p, count }, '*');
          };
          const ticker = window.setInterval(progress, 20);
          const scroller = document.querySelector('.scroller') as HTMLElement;
          let selections = 0;
          const grid = document.querySelector('#packet-grid') as HTMLElement;
          // End: the newest packet is selected (its details asked for 60 ms later, as when a key is held)
          const selectLast = (): void => {
            grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, cancelable: true }));
            selections++;
          };
          // 2 s stuck to the end; 2 s with a selection of the last row every 200 ms; 2 s of scrolling up
          window.setTimeout(() => {
            const sel = window.setInterval(selectLast, 200);
            window.setTimeout(() => {
              window.clearInterval(sel);
              const intervals: number[] = [];
              let prev = -1;
              const t0 = performance.now();
              const step = (now: number): void => {
                if (prev >= 0) intervals.push(now - prev);
                prev = now;
                scroller.scrollBy(0, -66); // three rows a frame, 180 rows a second
                if (now - t0 < 2000) w.__raf(step);
                else {
                  window.clearInterval(ticker);
                  // the last frames and replies
                  window.setTimeout(() => {
                    resolve({
                      rows: w.__m.rows,
                      details: w.__m.details,
                      frames: w.__m.frames,
                      scrollIntervals: intervals,
                      scrollSecs: (now - t0) / 1000,
                      longTasks: w.__m.longTasks,
                      longest: w.__m.longest,
                      selections,
                      stale: w.__m.stale,
                      count,
                      rowsOnScreen: document.querySelectorAll('.rows .row:not([hidden])').length,
                      loadingOnScreen: document.querySelectorAll('.rows .row.loading:not([hidden])').length,
                      detailRows: document.querySelectorAll('.bottom *').length,
                    });
                  }, 300);
                }
              };
              w.__raf(step);
            }, 2000);
          }, 2000);
        }),
      { perTick: PER_TICK, max: PACKETS },
    );
    const iv = [...f.scrollIntervals].sort((a, b) => a - b);
    console.log(
      `    following at 50,000 packets/s (progress every 20 ms, the list stuck to its end, then End every 200 ms for 2 s, then a scroll), to ${f.count.toLocaleString('en')} packets; ` +
        `goal: p95 under one frame, ${FRAME_MS} ms, of the page's main thread:`,
    );
    console.log('      ' + figures('rows reply — handler, its promise continuations and the layout it left', f.rows));
    console.log('      ' + figures('frame — render() of the rows on screen (requestAnimationFrame) and its layout', f.frames));
    console.log('      ' + figures(`selection — details reply: tree, bytes, fields and layout (End pressed ${f.selections} times; ${f.stale} replies came after the selection had moved on)`, f.details));
    console.log(
      `      scroll while following (three rows a frame for ${f.scrollSecs.toFixed(1)} s): ${((iv.length * 1000) / (f.scrollSecs * 1000)).toFixed(1)} frames/s, ` +
        `frame interval median ${pct(iv, 0.5).toFixed(1)} ms, p95 ${pct(iv, 0.95).toFixed(1)} ms, worst ${(iv.at(-1) ?? 0).toFixed(1)} ms (paint included)`,
    );
    console.log(
      `      long tasks (50 ms or more): ${f.longTasks}${f.longTasks ? `, the longest ${f.longest.toFixed(0)} ms` : ''}; at the end ${f.rowsOnScreen} rows drawn, ` +
        `${f.loadingOnScreen} still loading; ${served.rows.toLocaleString('en')} rows and ${served.details} details served`,
    );
    console.log(
      '      the page\'s requests through this process to the worker (not the page\'s work; bench-follow measures the host\'s): ' +
        figures('rows round trip', served.rowsMs).replace(/ —.*/, '') + '; ' + figures('details + row round trip', served.detailsMs).replace(/ —.*/, ''),
    );
    if (errors.length) console.log('      page errors: ' + errors.slice(0, 3).join(' | '));
  } finally {
    await browser.close();
    server.close();
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
