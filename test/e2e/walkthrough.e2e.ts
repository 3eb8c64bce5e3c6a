/**
 * The "Get Started with Capture Lens" walkthrough in a real VS Code (code-server 4.96.4 +
 * Chromium), installed from the .vsix:
 * - in a workspace without samples/: "Welcome: Open Walkthrough..." opens it, its four steps are
 *   listed with their titles, and the first step's button opens a sample capture in the capture
 *   editor — written into the extension's global storage, as for someone who only installed the
 *   .vsix — and ticks the step; the last step's button opens a flow graph;
 * - as `npm run demo` runs it (samples/ and CAPTURE_LENS_OPEN_WALKTHROUGH=1): the URL the demo
 *   prints opens on the walkthrough, over the sample log it opened.
 * Screenshots: test-results/e2e/walkthrough-*.png. Run by `npm run test:e2e`; harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { walkthroughUrl } from '../../scripts/demo';
import { Session, startSession, waitStatus, type WebviewFrame as Frame } from './harness';

const TITLE = 'Get Started with Capture Lens';
const STEPS = ['Open a capture', 'Hover a flag in a tcpdump log', 'Read the TCP-state lens', 'Open the flow graph'];
const EXT_ID = 'capture-lens.capture-lens';
const WALKTHROUGH = `${EXT_ID}#captureLens.gettingStarted`;

const DETAILS = '.gettingStartedSlideDetails';

/** Waits until the walkthrough's page is shown; returns its title and its steps' titles. */
async function walkthroughShown(s: Session): Promise<{ title: string; steps: string[] }> {
  const title = s.page.locator(`${DETAILS} h2.category-title`).filter({ hasText: TITLE }).first();
  await title.waitFor({ state: 'visible', timeout: 20_000 });
  const steps = (await s.page.locator(`${DETAILS} .getting-started-step .step-title`).allInnerTexts()).map((t) => t.trim());
  return { title: (await title.innerText()).trim(), steps };
}

/** The webview frame of the capture editor showing #packet-grid, once it has its rows. */
async function captureEditorFrame(s: Session, timeoutMs = 30_000): Promise<Frame> {
  return s.webviewFrame('#packet-grid .header-row .cell', { timeout: timeoutMs });
}

/** Waits until a step's media page (markdown, rendered in a webview frame) shows `text`. */
async function mediaShowing(s: Session, text: string, timeoutMs = 20_000): Promise<void> {
  const page = s.page;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      try {
        if ((await f.locator('body').filter({ hasText: text }).count()) > 0) return;
      } catch {
        /* a frame that went away */
      }
    }
    if (Date.now() > deadline) throw new Error(`no walkthrough media page shows "${text}"`);
    await s.page.waitForTimeout(250);
  }
}

async function stepDone(s: Session, step: string, timeoutMs = 10_000): Promise<boolean> {
  const box = s.page.locator(`${DETAILS} [x-dispatch="toggleStepCompletion:${WALKTHROUGH}#${step}"]`).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cls = (await box.getAttribute('class')) ?? '';
    if (cls.includes('codicon-getting-started-step-checked')) return true;
    if (Date.now() > deadline) return false;
    await s.page.waitForTimeout(200);
  }
}

describe('e2e: the walkthrough, installed from the .vsix in a workspace without samples', function () {
  this.timeout(90_000);
  let s: Session | undefined;
  let scratch = '';

  before(async function () {
    this.timeout(150_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'walkthrough-e2e-'));
    fs.writeFileSync(path.join(scratch, 'notes.txt'), 'No captures here.\n');
    s = await startSession({ workspace: scratch });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-walkthrough-${this.currentTest.title}`).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('"Welcome: Open Walkthrough..." opens it with its four steps', async () => {
    await s!.runCommand('Welcome: Open Walkthrough...');
    await s!.quickPick('Capture Lens', TITLE);
    const shown = await walkthroughShown(s!);
    assert.equal(shown.title, TITLE);
    assert.deepEqual(shown.steps, STEPS);
    // the first step is open, with its button and its media page
    const button = s!.page.locator(`${DETAILS} .getting-started-step.expanded .button-container .monaco-button`).first();
    assert.equal((await button.innerText()).trim(), 'Open a sample capture');
    await mediaShowing(s!, 'Every row also shows both ends');
    await s!.screenshot('walkthrough');
  });

  it('the first step\'s button opens a sample capture in the capture editor and ticks the step', async () => {
    await s!.page.locator(`${DETAILS} .getting-started-step.expanded .button-container .monaco-button`).filter({ hasText: 'Open a sample capture' }).first().click();
    await s!.page.locator('.tabs-container .tab[aria-label^="handshake-data-teardown.pcap"]').first().waitFor({ state: 'visible', timeout: 20_000 });
    const f = await captureEditorFrame(s!);
    assert.equal(await waitStatus(f, /^11 packets$/), '11 packets');
    for (let k = 0; k < 50 && (await f.locator('.rows .row.loading:not([hidden])').count()) > 0; k++) await s!.page.waitForTimeout(100);
    const rows = (await f.locator('.rows .row:not([hidden])').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.match(rows[0] ?? '', /^1 0\.000000 10\.23\.185\.135:\d+ 106\.53\.211\.6:\d+ TCP \d+ Flags \[S\]/, rows[0]);
    // no samples/ in the workspace: written into the extension's global storage
    const stored = path.join(s!.runDir, 'user-data', 'User', 'globalStorage', EXT_ID);
    const written = fs.existsSync(stored) ? fs.readdirSync(stored).filter((d) => d.startsWith('samples-')) : [];
    assert.equal(written.length, 1, `samples in ${stored}: ${written.join(', ')}`);
    assert.ok(fs.existsSync(path.join(stored, written[0], 'handshake-data-teardown.pcap')));
    assert.ok(!fs.existsSync(path.join(s!.workspace, 'samples')), 'samples/ written into the workspace');
    assert.ok(await stepDone(s!, 'openCapture'), 'step "Open a capture" not ticked');
    await s!.screenshot('walkthrough-open-sample');
  });

  it('the last step\'s button opens the flow graph of a sample log', async () => {
    await s!.page.locator(`${DETAILS} .getting-started-step`).filter({ hasText: 'Open the flow graph' }).first().click();
    const button = s!.page.locator(`${DETAILS} .getting-started-step.expanded .button-container .monaco-button`).filter({ hasText: 'Open a flow graph' }).first();
    await button.waitFor({ state: 'visible', timeout: 10_000 });
    await button.click();
    // the flow graph panel of the sample log (its tab: "Flow: handshake-data-teardown.tcpdump")
    await s!.page.locator('.tabs-container .tab').filter({ hasText: /Flow.*handshake-data-teardown\.tcpdump/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await s!.screenshot('walkthrough-flow-graph');
    // back on the walkthrough, the step is ticked (completion event: the flow graph panel became active)
    await s!.page.locator('.tabs-container .tab').filter({ hasText: 'Walkthrough' }).first().click();
    assert.ok(await stepDone(s!, 'flowGraph', 20_000), 'step "Open the flow graph" not ticked');
  });
});

describe('e2e: the walkthrough as `npm run demo` opens it', function () {
  this.timeout(90_000);
  let s: Session | undefined;

  before(async function () {
    this.timeout(150_000);
    const saved = process.env.CAPTURE_LENS_OPEN_WALKTHROUGH;
    process.env.CAPTURE_LENS_OPEN_WALKTHROUGH = '1'; // as scripts/demo.ts sets it for code-server
    try {
      s = await startSession({}); // samples/, as the demo
    } finally {
      if (saved === undefined) delete process.env.CAPTURE_LENS_OPEN_WALKTHROUGH;
      else process.env.CAPTURE_LENS_OPEN_WALKTHROUGH = saved;
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-walkthrough-demo-${this.currentTest.title}`).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
  });

  it('the URL the demo prints opens on the walkthrough, over a sample log', async () => {
    const folderUrl = `${s!.url}?folder=${encodeURIComponent(s!.workspace).replace(/%2F/g, '/')}`;
    await s!.page.goto(walkthroughUrl(folderUrl, s!.port, s!.workspace), { waitUntil: 'domcontentloaded', timeout: 30_000 });
    await s!.page.locator('.tabs-container .tab[aria-label^="handshake-data-teardown.tcpdump"]').first().waitFor({ state: 'attached', timeout: 30_000 });
    const shown = await walkthroughShown(s!);
    assert.deepEqual(shown.steps, STEPS);
    // the first step's page (media/walkthrough/open-capture.md, a webview) replaces whatever was shown before
    await mediaShowing(s!, 'Every row also shows both ends');
    await s!.screenshot('walkthrough-demo');
  });
});
