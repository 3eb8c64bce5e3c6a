/**
 * netstat / ss output in a real VS Code (issue 15): a pasted `netstat -antp` (the real output of
 * test/fixtures/sockets, made by scripts/sockets-fixtures.sh) opens in the netstat language, its
 * CLOSE_WAIT has its hover, the summary CodeLens sits on top and the CLOSE_WAIT pile is a
 * diagnostic in the Problems view. Then "Sockets at this packet" in the capture editor: a sample
 * capture (samples/stuck-close-wait.pcap, made by `npm run samples`) opens in the capture editor,
 * a packet is selected, the toolbar button (and then the palette command) opens the netstat tables
 * of both hosts beside, whose text must equal what our engine computes for that packet (the CLI's
 * pass over the same file), with the netstat language's lens on it.
 * Run by `npm run test:e2e`; harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, Session, sessionHelpers, startSession } from './harness';
import { analyzeCaptureFile } from '../../src/node/analyze';
import { socketsAtPacket, socketsAtPacketText } from '../../src/core/sockets/fromCapture';
import { formatEn } from '../../src/core/explain/l10n';

const OUTPUT = fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'sockets', 'server-netstat-antp.txt'), 'utf8');

describe('e2e: pasted netstat output in code-server', function () {
  this.timeout(60_000);
  let s: Session;
  const { view, openCapture } = sessionHelpers(() => s);

  before(async function () {
    this.timeout(120_000);
    s = await startSession({});
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) {
      await s.screenshot(`failed-sockets-${this.currentTest.title}`).catch(() => undefined);
    }
    await s?.page.keyboard.press('Escape').catch(() => undefined);
    await s?.page.mouse.move(5, 5).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
  });

  it('"Paste netstat/ss Output": the clipboard in a new netstat editor', async () => {
    await s.setClipboard(OUTPUT);
    const before = await s.waitForActiveTab(() => true);
    await s.runCommand('Capture Lens: Paste netstat/ss Output');
    await s.waitForActiveTab((l) => /Untitled-\d+/.test(l) && l !== before);
    assert.equal(await s.languageMode(), 'netstat / ss output');
    assert.ok((await s.editorText()).includes('CLOSE_WAIT'));
  });

  it('the summary CodeLens: counts per state, the unusual ones marked', async () => {
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    const summary = lenses.find((l) => /^\d+ TCP sockets: /.test(l));
    assert.ok(summary, JSON.stringify(lenses));
    assert.match(summary, /4 CLOSE_WAIT \(unusual\)/);
    assert.ok(
      lenses.some((l) => l.startsWith('ports: ')),
      JSON.stringify(lenses),
    );
    await s.screenshot('sockets-codelens');
  });

  it('hover on CLOSE_WAIT: the state, the passive side, no timeout', async () => {
    const text = await s.hoverWord('CLOSE_WAIT');
    assert.match(text, /passive close/, text);
    assert.match(text, /no timeout/, text);
    await s.screenshot('sockets-hover-close-wait');
  });

  it('the CLOSE_WAIT pile in the Problems view, with its program', async () => {
    let problems: string[] = [];
    const found = () => problems.find((p) => /4 sockets in CLOSE_WAIT on 10\.99\.0\.1:9000, held by python3/.test(p));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      problems = await s.problems();
      if (found()) break;
      await s.page.waitForTimeout(300);
    }
    assert.ok(found(), JSON.stringify(problems, null, 1));
    await s.screenshot('sockets-problems');
    await s.page.keyboard.press('Control+Shift+M');
  });

  it('a pasted netstat -nat (no -p): its lens, a hover and the CLOSE_WAIT diagnostic that asks for -p', async () => {
    await s.setClipboard(fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'sockets', 'server-netstat-nat.txt'), 'utf8'));
    await s.runCommand('Capture Lens: Paste netstat/ss Output');
    await s.waitForActiveTab((l) => /netstat -nat/.test(l) && /Untitled-\d+/.test(l));
    assert.equal(await s.languageMode(), 'netstat / ss output');
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    assert.ok(
      lenses.some((l) => /^28 TCP sockets: .*4 CLOSE_WAIT \(unusual\)/.test(l)),
      JSON.stringify(lenses),
    );
    assert.match(await s.hoverWord('SYN_RECV'), /tcp_synack_retries/);
    let problems: string[] = [];
    const found = () => problems.find((p) => /4 sockets in CLOSE_WAIT on 10\.99\.0\.1:9000: .*run netstat -p or ss -p/.test(p));
    // the first paste's problems come first in the list, which draws only the rows it has room for
    await s.problems();
    await s.runCommand('View: Toggle Maximized Panel');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      problems = await s.problems();
      if (found()) break;
      await s.page.waitForTimeout(300);
    }
    await s.runCommand('View: Toggle Maximized Panel');
    assert.ok(found(), JSON.stringify(problems, null, 1));
    await s.page.keyboard.press('Control+Shift+M');
  });

  // ---------------------------------------------------------------------------------------------
  // "Sockets at this packet" in the capture editor

  const CAPTURE = 'stuck-close-wait.pcap';

  /** What our engine says after packet `no` (1-based), as the editor must show it: lines without trailing blanks. */
  async function expected(no: number): Promise<string[]> {
    const file = path.join(s.workspace, CAPTURE);
    const times: number[] = [];
    const { engine } = await analyzeCaptureFile(file, (rec) => {
      times[rec.index] = rec.tsSec + rec.tsNsec / 1e9;
    });
    const lines = socketsAtPacketText(socketsAtPacket(engine, engine.summaries(), no - 1, times), formatEn);
    return lines.map((l) => l.trimEnd()).filter((l) => l !== '');
  }

  async function shownLines(): Promise<string[]> {
    return (await s.editorText())
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l !== '');
  }

  it('capture editor: the "Sockets at this packet" button opens both hosts\' tables at the selected packet', async () => {
    // (no "Close All Editors": the pasted document is unsaved, closing it would ask)
    await s.page.keyboard.press('Escape');
    await openCapture(CAPTURE);
    await s.waitForActiveTab(CAPTURE);
    const v = view();
    await v.locator('.rows .row[aria-rowindex="10"]').waitFor({ state: 'visible', timeout: 20_000 });
    // packet 9: the server acknowledged the client's FIN and never closed
    await v.locator('.rows .row[aria-rowindex="10"]').click();
    assert.equal(await v.locator('.rows .row[aria-rowindex="10"]').getAttribute('aria-selected'), 'true');
    const button = v.locator('#sockets-at-packet');
    assert.equal((await button.innerText()).trim(), 'Sockets at this packet');
    await button.click();
    // an untitled document is named after its first line: the first host's title
    await s.waitForActiveTab((l) => /Untitled-\d+/.test(l) && /after packet 9\b/.test(l), { timeout: 20_000 });
    assert.equal(await s.languageMode(), 'netstat / ss output');
    const want = await expected(9);
    let got: string[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      got = await shownLines();
      if (got.length >= want.length) break;
      await s.page.waitForTimeout(200);
    }
    assert.deepEqual(got, want);
    // both ends, as our engine has them: the server in CLOSE_WAIT, the client in FIN_WAIT2
    assert.match(got.join('\n'), /Sockets on 106\.53\.211\.6 after packet 9\b/);
    assert.ok(got.some((l) => /^tcp +- +- 106\.53\.211\.6:8888 +10\.23\.185\.135:\d+ +CLOSE_WAIT$/.test(l)), got.join('\n'));
    assert.ok(got.some((l) => /^tcp +- +- 10\.23\.185\.135:\d+ +106\.53\.211\.6:8888 +FIN_WAIT2$/.test(l)), got.join('\n'));
    // a netstat document like a pasted one: its summary lens counts the sockets
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    assert.ok(
      lenses.some((l) => /^\d+ TCP sockets: .*CLOSE_WAIT/.test(l)),
      JSON.stringify(lenses),
    );
    await s.screenshot('sockets-at-packet-capture-editor');
  });

  it('capture editor: the same from the command palette, for the packet selected there', async () => {
    // back to the capture editor: select packet 8 (the client's FIN) in its webview
    await s.page.locator(`.tabs-container .tab[aria-label^="${CAPTURE}"]`).first().click();
    const v = view();
    await v.locator('.rows .row[aria-rowindex="9"]').waitFor({ state: 'visible', timeout: 20_000 });
    await v.locator('.rows .row[aria-rowindex="9"]').click();
    await s.waitForActiveTab(CAPTURE);
    await s.runCommand('Capture Lens: Sockets at This Packet (netstat view)');
    await s.waitForActiveTab((l) => /Untitled-\d+/.test(l) && /after packet 8\b/.test(l), { timeout: 20_000 });
    const want = await expected(8);
    let got: string[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      got = await shownLines();
      if (got.some((l) => /after packet 8\b/.test(l)) && got.length >= want.length) break;
      await s.page.waitForTimeout(200);
    }
    assert.deepEqual(got, want);
    assert.ok(got.some((l) => / FIN_WAIT1$/.test(l)), got.join('\n'));
  });
});
