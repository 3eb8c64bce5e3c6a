/**
 * Live capture in a real VS Code (issue 16): "Capture Lens: Start Capture…" on lo with a filter on
 * a port chosen here, a small Node server and client make one connection, its rows appear in the
 * capture editor while tcpdump runs (SYN_SENT, ESTABLISHED), the client closes and TIME_WAIT
 * appears, "Stop Capture" settles the view, "Save Capture As…" writes a pcapng; "Capture to
 * tcpdump Text" streams lines into a tcpdump document with its lenses; without tcpdump (a
 * tcpdumpPath naming no program) the install advice shows; a mistyped
 * filter shows tcpdump's own message under the filter box; "Keep the last N MB" makes tcpdump write a
 * ring of files (-C/-W) whose rows the editor shows. Needs tcpdump and root (CI has both):
 * skipped with the reason otherwise. Screenshots: test-results/e2e/live-*.png.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { runCommandRetried, Session, startSession, type WebviewFrame } from './harness';
import { skipBecause } from '../helpers/skip';
import { readCaptureFile } from '../../src/node/captureFile';

const INPUT = '.quick-input-widget .quick-input-box input';

function whyNot(): string | null {
  if (spawnSync('tcpdump', ['--version']).error) return 'tcpdump is not installed (CI installs it)';
  if (process.getuid?.() !== 0) return 'live capture needs root (CI runs the e2e tests as root)';
  return null;
}

describe('e2e: live capture on lo (tcpdump)', function () {
  this.timeout(120_000);
  let s: Session;
  let scratch = '';

  before(async function () {
    const why = whyNot();
    if (why) skipBecause(this, why);
    this.timeout(120_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-live-e2e-'));
    s = await startSession({});
  });

  afterEach(async function () {
    this.timeout(60_000);
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-live-${this.currentTest.title.slice(0, 40)}`).catch(() => undefined);
    // one capture at a time: a capture left running by a test that failed half-way would make every
    // later Start Capture… answer "A capture is already running" (a cascade of failures)
    // (a hook that throws would skip the tests after it: a capture that cannot be stopped is said, not thrown)
    if (s) await stopAnyCapture().catch((e: unknown) => console.log(`      could not stop the capture after "${this.currentTest?.title}": ${String(e)}`));
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** Starts "Start Capture…" (or `title`), picks lo and types `filter` into the filter box (Enter). */
  async function startOnLo(filter: string, title = 'Capture Lens: Start Capture…'): Promise<void> {
    const page = s.page;
    await command(title);
    const lo = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'Loopback' }).first();
    await lo.waitFor({ state: 'visible', timeout: 15_000 });
    await lo.click();
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Capture filter' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator(INPUT).fill(filter);
    await page.keyboard.press('Enter');
  }

  /** Runs a palette command; retried, as the palette lists an extension's commands only once its host has read them. */
  function command(title: string): Promise<void> {
    return runCommandRetried(s, title);
  }

  /** Presses Enter in the input box titled `title` (its default value). */
  async function acceptBox(title: string): Promise<void> {
    await s.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await s.page.waitForTimeout(150);
    await s.page.keyboard.press('Enter');
  }

  /** The status bar item of a running capture ("Capturing on lo", or "Capture paused on lo" while paused). */
  function captureStatus() {
    return s.page.locator('.statusbar-item').filter({ hasText: /(Capturing|Capture paused) on \S+$/ }).first();
  }

  /** Closes an input box a test left open and stops a capture still running; resolves once tcpdump is gone. */
  async function stopAnyCapture(): Promise<void> {
    await s.page.keyboard.press('Escape').catch(() => undefined);
    if ((await captureStatus().count()) === 0) return;
    await command('Capture Lens: Stop Capture');
    await captureStatus().waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** A server on 127.0.0.1 (a free port) that answers each read with "pong" and ends when its client does. */
  async function pongServer(): Promise<{ server: net.Server; port: number }> {
    const server = net.createServer((sock) => {
      sock.on('data', () => sock.write('pong'));
      sock.on('end', () => sock.end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, port: (server.address() as net.AddressInfo).port };
  }

  /** A client of `port` that has sent "ping" and read the answer: the handshake and one exchange are on the wire. */
  async function pingedClient(port: number): Promise<net.Socket> {
    const client = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    client.write('ping');
    await new Promise<void>((r) => client.once('data', () => r()));
    return client;
  }

  /**
   * Start Capture… on lo with `filter` into the capture editor: the default snap length and packet
   * limit, then every packet kept (`ring` 'all') or "Keep the last N MB" at its default (`ring` 'mb');
   * resolves with the editor's frame once the capture runs and the editor follows its file.
   */
  async function startFileCapture(filter: string, ring: 'all' | 'mb'): Promise<WebviewFrame> {
    await startOnLo(filter);
    await acceptBox('Snap length');
    await acceptBox('Packet limit');
    if (ring === 'all') await acceptBox('Ring limit'); // empty: every packet is kept
    else {
      await s.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Ring limit' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await s.page.locator(INPUT).fill('Keep the last N MB');
      await s.page.waitForTimeout(300);
      await s.page.keyboard.press('Enter');
      await acceptBox('Ring limit in MB'); // its default, 100 MB: tcpdump -C 12 -W 8
    }
    const frame = await s.webviewFrame('#packet-grid', { timeout: 30_000 });
    await captureStatus().waitFor({ state: 'visible', timeout: 10_000 });
    await frame.locator('.status-text').filter({ hasText: 'still being written' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    return frame;
  }

  /** The info-column texts (with states) of the capture editor's rows on screen. */
  async function rowTexts(frame: WebviewFrame): Promise<string> {
    return (await frame.locator('#packet-grid .row:not(.loading)').allInnerTexts()).join('\n');
  }

  async function until(frame: WebviewFrame, ok: (text: string) => boolean, what: string, timeout = 20_000): Promise<string> {
    const deadline = Date.now() + timeout;
    let text = '';
    while (Date.now() < deadline) {
      text = await rowTexts(frame).catch(() => '');
      if (ok(text)) return text;
      await s.page.waitForTimeout(250);
    }
    throw new Error(`${what} did not appear; rows:\n${text}`);
  }

  it("a mistyped filter: tcpdump's own message under the filter box, nothing starts", async () => {
    await startOnLo('tcp prot 80');
    const msg = s.page.locator('.quick-input-widget .quick-input-message').filter({ hasText: 'syntax error' }).first();
    await msg.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await msg.innerText();
    assert.match(text, /tcpdump does not accept the capture filter: tcpdump: can't parse filter expression: syntax error/);
    await s.screenshot('live-bad-filter');
    await s.page.keyboard.press('Escape');
    assert.equal(await s.page.locator('.statusbar-item').filter({ hasText: 'Capturing on' }).count(), 0);
  });

  it('"Capture to tcpdump Text": tcpdump -l lines stream into a tcpdump document and its lenses follow', async () => {
    const { server, port } = await pongServer();
    try {
      await startOnLo(`tcp port ${port}`, 'Capture Lens: Capture to tcpdump Text…');
      await acceptBox('Snap length');
      await acceptBox('Packet limit');
      await s.waitForActiveTab(/Untitled-\d+/, { timeout: 15_000 });
      await s.page.locator('.statusbar-item').filter({ hasText: 'Capturing on lo' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      const client = await pingedClient(port);
      const closed = new Promise<void>((r) => client.once('close', () => r()));
      client.end();
      await closed;
      let text = '';
      for (let i = 0; i < 60 && !(text.includes('Flags [S]') && text.includes('Flags [F.]')); i++) {
        await s.page.waitForTimeout(250);
        text = await s.editorText();
      }
      assert.match(text, new RegExp(`127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.${port}: Flags \\[S\\]`), text);
      const lenses = await s.codeLensTexts({ timeout: 10_000 });
      assert.ok(lenses.some((l) => l.includes('SYN_SENT')), JSON.stringify(lenses));
      await s.screenshot('live-text');
      await command('Capture Lens: Stop Capture');
      await s.page.locator('.statusbar-item').filter({ hasText: 'Capturing on lo' }).first().waitFor({ state: 'hidden', timeout: 10_000 });
      await command('View: Revert and Close Editor');
    } finally {
      server.close();
    }
  });

  it('captures a connection on lo: rows appear with SYN_SENT, ESTABLISHED, then TIME_WAIT; stop; save as pcapng', async () => {
    const { server, port } = await pongServer();
    try {
      const frame = await startFileCapture(`tcp port ${port}`, 'all');

      // the connection, opened and kept open
      const client = await pingedClient(port);
      const open = await until(frame, (t) => t.includes('SYN_SENT') && t.includes('ESTABLISHED'), 'SYN_SENT and ESTABLISHED');
      assert.match(open, /Flags \[S\]/, 'the SYN is among the rows');
      await s.screenshot('live-established');

      // the client closes first: its side ends in TIME_WAIT
      const closed = new Promise<void>((r) => client.once('close', () => r()));
      client.end();
      await closed;
      await until(frame, (t) => t.includes('TIME_WAIT'), 'TIME_WAIT');
      await s.screenshot('live-time-wait');

      await command('Capture Lens: Stop Capture');
      // the file stopped growing: the editor settles to the normal view ("N packets")
      await frame.locator('.status-text').filter({ hasText: /^\d+ packets$/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
      const count = Number((await frame.locator('.status-text').first().innerText()).split(' ')[0]);
      assert.ok(count >= 7, `${count} packets: handshake, data, teardown`);

      // Save As through the simple file dialog of code-server: the path typed into its box
      const dest = path.join(scratch, 'saved.pcapng');
      await command('Capture Lens: Save Capture As…');
      await s.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Save the capture as' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      // the dialog fills in its default path a moment after it shows: type ours after that
      await s.page.waitForTimeout(1500);
      await s.page.locator(INPUT).fill(dest);
      await s.page.waitForTimeout(700);
      await s.page.keyboard.press('Enter');
      for (let i = 0; i < 40 && !fs.existsSync(dest); i++) await s.page.waitForTimeout(250);
      assert.ok(fs.existsSync(dest), 'the saved file exists');
      await s.page.waitForTimeout(500);
      assert.equal(fs.readFileSync(dest).readUInt32BE(0), 0x0a0d0d0a, 'pcapng');
      const sum = await readCaptureFile(dest, { onRecord: () => undefined }).done;
      assert.equal(sum.error, null);
      assert.equal(sum.packets, count);
    } finally {
      server.close();
    }
  });

  it('"Keep the last N MB": tcpdump writes a ring of files (-C/-W) and the editor follows it with rows', async () => {
    const { server, port } = await pongServer();
    try {
      // the capture editor of the test before is closed: the frame found below is this capture's
      await command('View: Close All Editors');
      const frame = await startFileCapture(`tcp port ${port}`, 'mb');
      const client = await pingedClient(port);
      await until(frame, (t) => t.includes('SYN_SENT') && t.includes('ESTABLISHED'), 'SYN_SENT and ESTABLISHED from the ring');
      await s.screenshot('live-ring-mb');
      client.end();
      await command('Capture Lens: Stop Capture');
      await frame.locator('.status-text').filter({ hasText: /^\d+ packets$/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
    } finally {
      server.close();
    }
  });
});

describe('e2e: live capture without tcpdump', function () {
  this.timeout(120_000);
  let s: Session;

  before(async function () {
    this.timeout(120_000);
    // tcpdumpPath naming no program stands for a machine without tcpdump (runs anywhere, root or not)
    s = await startSession({ settings: { 'captureLens.capture.tcpdumpPath': 'capture-lens-no-such-tcpdump' } });
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
  });

  it('Start Capture… says tcpdump is not installed and how to install it', async () => {
    await runCommandRetried(s, 'Capture Lens: Start Capture…');
    const toast = s.page.locator('.notifications-toasts').filter({ hasText: 'apt-get install tcpdump' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 }); // the extension may still be activating on a loaded machine
    assert.match(await toast.innerText(), /tcpdump is not installed \(or not on the PATH\)/);
    await s.screenshot('live-no-tcpdump');
  });
});
