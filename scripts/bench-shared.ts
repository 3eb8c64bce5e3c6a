/**
 * What the benches share (a module, not a command): the headless Chromium that runs a webview's real
 * bundle (scripts/bench-flow.ts, bench-graphs.ts, bench-follow-webview.ts: Debian's chromium driven by
 * playwright-core, both installed by scripts/e2e-setup.sh, playwright-core into .e2e/tools/), the
 * server of its page, the figures of a list of timings, and the generated capture that
 * bench-follow.ts's writer appends and bench-follow-webview.ts indexes.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import { conversations } from '../src/core/synth/conversations';
import { pcapRecord } from '../src/core/synth/writers';

export const CHROMIUM = '/usr/bin/chromium';
/** The editor's frame budget (60 Hz): a request on screen should cost less than this. */
export const FRAME_MS = 16.7;

// The part of playwright-core's API the benches use.
export interface PwPage {
  goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded'; timeout?: number }): Promise<unknown>;
  exposeFunction(name: string, fn: (arg: string) => unknown): Promise<void>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options?: { timeout?: number; polling?: number | 'raf' }): Promise<unknown>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: 'pageerror' | 'console', listener: (x: { message?: string; text?: () => string }) => void): void;
  keyboard: { press(key: string): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void>; wheel(dx: number, dy: number): Promise<void> };
  click(selector: string): Promise<void>;
  focus(selector: string): Promise<void>;
  waitForTimeout(ms: number): Promise<void>;
}
export interface PwBrowser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<PwPage>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<PwBrowser> };
}

function playwrightDir(root: string): string {
  return path.join(root, '.e2e', 'tools', 'node_modules', 'playwright-core');
}

/** Why a page of `bundle` (dist/BUNDLE.js) cannot be measured here, '' when it can. */
export function browserMissing(root: string, bundle: string): string {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} not installed`;
  if (!fs.existsSync(playwrightDir(root))) return 'playwright-core not installed in .e2e/tools';
  if (!fs.existsSync(path.join(root, 'dist', bundle + '.js'))) return `dist/${bundle}.js not built (npm run build)`;
  return '';
}

/** Headless Chromium without the sandbox, the GPU and its background traffic (sync, updates, QUIC). */
export function launchChromium(root: string): Promise<PwBrowser> {
  const pw = require(playwrightDir(root)) as PlaywrightCore;
  return pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serves `html` at / and the built bundle (dist/BUNDLE.js, dist/BUNDLE.css) beside it, on a free port of 127.0.0.1. */
export function servePage(root: string, html: string, bundle: string): Promise<{ server: http.Server; url: string }> {
  const files: Record<string, [string, string]> = {
    '/': [html, 'text/html'],
    [`/${bundle}.js`]: [fs.readFileSync(path.join(root, 'dist', bundle + '.js'), 'utf8'), 'text/javascript'],
    [`/${bundle}.css`]: [fs.readFileSync(path.join(root, 'dist', bundle + '.css'), 'utf8'), 'text/css'],
  };
  const server = http.createServer((req, res) => {
    const f = files[(req.url ?? '/').split('?')[0]];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f[1] + '; charset=utf-8' }).end(f[0]);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

export function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Median, p95 and worst of `xs` (ms), and how many took a frame or more. */
export function figures(name: string, xs: number[]): string {
  const v = [...xs].sort((a, b) => a - b);
  const over = v.filter((x) => x >= FRAME_MS).length;
  const p95 = pct(v, 0.95);
  return (
    `${name}: median ${pct(v, 0.5).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, worst ${(v.at(-1) ?? 0).toFixed(2)} ms, ` +
    `${over} of ${v.length} at ${FRAME_MS} ms or more — p95 ${p95 < FRAME_MS ? 'within' : 'OVER'} one frame`
  );
}

/** The pcap records of a live capture's `total` packets: generated conversations of 200 packets each, made as they are taken. */
export function* liveRecords(total: number): Generator<Uint8Array> {
  for (const p of conversations({ connections: Math.max(1, Math.floor(total / 200)), packets: total, seed: 11 })) {
    yield pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame);
  }
}
