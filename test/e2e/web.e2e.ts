/**
 * VS Code for the Web (issue 17) in a real browser: the extension installed with only its `browser`
 * entry (package.json without "main"), so code-server 4.96.4 can run it only in the browser's
 * web-worker extension host — dist/web/extension.js, decoding in a Web Worker (dist/web/worker.js),
 * every file read through vscode.workspace.fs. It opens a sample capture (rows in the capture
 * editor) and a tcpdump log (a hover and a CodeLens). Run by `npm run test:e2e`; harness in
 * test/e2e/harness/ (`webOnly`).
 */
import * as assert from 'node:assert/strict';
import { Session, startSession, type WebviewFrame } from './harness';

describe('e2e: VS Code for the Web — the browser entry alone, in the web-worker extension host', function () {
  this.timeout(90_000);
  let s: Session;

  before(async function () {
    this.timeout(150_000);
    s = await startSession({ webOnly: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-web-${this.currentTest.title}`).catch(() => undefined);
    await s?.page.keyboard.press('Escape').catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
  });

  /** The frame of the capture editor's webview once its rows are there. */
  async function captureRows(timeoutMs: number): Promise<{ frame: WebviewFrame; rows: string[] }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const f of s.page.frames()) {
        if (f.isDetached()) continue;
        const rows = await f
          .locator('#packet-grid .row:not(.loading)')
          .allInnerTexts()
          .catch(() => [] as string[]);
        if (rows.length > 0) return { frame: f, rows };
      }
      if (Date.now() > deadline) throw new Error('no rows in a capture editor');
      await s.page.waitForTimeout(250);
    }
  }

  it('the workbench runs the extension without "main": a capture opens in the capture editor with its rows', async () => {
    await s.openFile('handshake-data-teardown.pcap');
    const { rows } = await captureRows(40_000);
    const text = rows.join('\n');
    assert.ok(rows.length >= 5, text);
    assert.match(text, /10\.23\.185\.135/, text);
    assert.match(text, /\[S\]|SYN/, text);
    await s.screenshot('web-capture-editor');
  });

  it('a tcpdump log: its CodeLens and a hover from the browser entry', async () => {
    await s.openFile('handshake-data-teardown.tcpdump');
    const lenses = await s.codeLensTexts({ timeout: 20_000 });
    assert.ok(lenses.some((l) => l.includes('handshake 2/3')), JSON.stringify(lenses));
    const hover = await s.hoverWord('[S.]');
    assert.match(hover, /Step 2 of the three-way handshake/i, hover);
    await s.screenshot('web-tcpdump-log');
  });
});
