/**
 * VS Code for the Web (issue 17) in a real browser: the extension installed with only its `browser`
 * entry (package.json without "main"), so code-server 4.96.4 can run it only in the browser's
 * web-worker extension host — dist/web/extension.js, decoding in a Web Worker (dist/web/worker.js),
 * every file read through vscode.workspace.fs. It opens a sample capture (rows in the capture
 * editor) and a tcpdump log (a hover and a CodeLens). Run by `npm run test:e2e`; harness in
 * test/e2e/harness/ (`webOnly`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
          .locator('#packet-grid .rows .row:not(.loading)')
          .allInnerTexts()
          .catch(() => [] as string[]);
        if (rows.length > 0) return { frame: f, rows };
      }
      if (Date.now() > deadline) throw new Error('no rows in a capture editor');
      await s.page.waitForTimeout(250);
    }
  }

  it('the workbench runs the extension without "main": a capture opens in the capture editor, rows and details from the Web Worker', async () => {
    // the harness's openFile (quick open, with its retries) then waits for a text editor, which a capture
    // never gets (it opens in a webview): what counts is that the rows arrive
    await s.openFile('handshake-data-teardown.pcap').catch(() => undefined);
    const { frame, rows } = await captureRows(40_000);
    const text = rows.join('\n');
    assert.equal(rows.length, 11, text);
    assert.match(text, /10\.23\.185\.135:48096/, text);
    assert.match(text, /Flags \[S\.\]/, text);
    // a row's details: decoded again in the worker from its bytes held in memory (bytesInput.ts)
    await frame.locator('#packet-grid .rows .row:not(.loading)').nth(1).click();
    await frame.locator('#details-tree .tnode').filter({ hasText: 'Transmission Control Protocol' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const tree = await frame.locator('#details-tree').innerText();
    assert.match(tree, /Source Port: 8888/, tree);
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

  it('the Node extension host never ran it: its log (remoteexthost.log) never activates the extension', async () => {
    const logs = path.join(s.runDir, 'user-data', 'logs');
    const hostLogs: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name === 'remoteexthost.log') hostLogs.push(path.join(d, e.name));
      }
    };
    walk(logs);
    assert.ok(hostLogs.length > 0, `no remoteexthost.log under ${logs}`);
    for (const f of hostLogs) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(/_doActivateExtension /.test(text), `${f} logs no activation at all: not the log looked for`);
      // the host's roster of installed extensions ("Creating extension host with the following global
      // extensions: …") may name it (code-server lists every extension there, runnable or not): what matters
      // is that it never activated it
      assert.doesNotMatch(text, /_doActivateExtension capture-lens\./i, f);
    }
  });
});
