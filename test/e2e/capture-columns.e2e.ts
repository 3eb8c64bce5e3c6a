/**
 * The capture editor's packet list in a real VS Code (code-server + Chromium), issue 13 "Every row
 * says which connection it is": the ports in the rows (Source / Destination as `addr:port`, read from
 * the row's DOM text), the Info wording switched to Wireshark's (`[SYN]`, relative Seq) and back,
 * and a column hidden with the column chooser that stays hidden after the editor is reopened (the
 * host keeps it in the workspace's state). Uses the generated demo samples: no corpus needed.
 * Screenshots: test-results/e2e/columns-*.png. Run by `npm run test:e2e`; harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type FrameLoc, Session, sessionHelpers, startSession, until } from './harness';
import { writeSamples } from '../../src/node/samples';

const CAPTURE = 'columns-handshake.pcap';

describe('e2e: the packet list\'s ports, Info wording and columns', function () {
  this.timeout(90_000);
  let s: Session;
  let scratch = '';
  const { view, openCapture } = sessionHelpers(() => s);

  /** The text of the first row's cell of a column (once the row is loaded). */
  function firstRowCell(v: FrameLoc, cls: string): Promise<string> {
    return until(
      `the first row's ${cls}`,
      async () => ((await v.locator('.rows .row[aria-rowindex="2"]:not(.loading) ' + cls).count()) > 0 ? v.locator('.rows .row[aria-rowindex="2"] ' + cls).innerText() : ''),
      (t) => t !== '',
    );
  }

  async function headerColumns(v: FrameLoc): Promise<string[]> {
    return (await v.locator('#packet-grid .header-row .cell').allInnerTexts()).map((t) => t.trim());
  }

  before(async function () {
    this.timeout(150_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-columns-e2e-'));
    writeSamples(path.join(scratch, 'samples'));
    fs.copyFileSync(path.join(scratch, 'samples', 'handshake-data-teardown.pcap'), path.join(scratch, CAPTURE));
    s = await startSession({ extraFiles: [path.join(scratch, CAPTURE)] });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-columns-${this.currentTest.title}`).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('every TCP row shows its ports: Source and Destination as addr:port', async () => {
    const v = await openCapture(CAPTURE, { grid: true });
    const src = await firstRowCell(v, '.c-src');
    const dst = await firstRowCell(v, '.c-dst');
    assert.match(src, /^\d+\.\d+\.\d+\.\d+:\d{1,5}$/, src);
    assert.match(dst, /^\d+\.\d+\.\d+\.\d+:\d{1,5}$/, dst);
    // the row's own text (what a screen reader reads) carries both endpoints
    const row = (await v.locator('.rows .row[aria-rowindex="2"]').innerText()).replace(/\s+/g, ' ');
    assert.ok(row.includes(src) && row.includes(dst), row);
    // the server's reply: the same two endpoints, swapped
    const reply = (await v.locator('.rows .row[aria-rowindex="3"]').innerText()).replace(/\s+/g, ' ');
    assert.ok(reply.includes(dst + ' ' + src), reply);
    await s.screenshot('columns-ports');
  });

  it('the Info wording switches to Wireshark\'s ([SYN], relative Seq) and back to tcpdump\'s', async () => {
    const v = view();
    assert.match(await firstRowCell(v, '.c-info'), /^Flags \[S\], seq \d+/);
    await v.locator('#info-style').selectOption('wireshark');
    const ws = await until('the Info column in Wireshark\'s words', () => v.locator('.rows .row[aria-rowindex="2"] .c-info').innerText(), (t) => t.includes('[SYN]'));
    assert.match(ws, /^\d+ \u2192 \d+ \[SYN\] Seq=0 Win=\d+ Len=0/, ws);
    const ack = await v.locator('.rows .row[aria-rowindex="4"] .c-info').innerText();
    assert.match(ack, /\[ACK\] Seq=1 Ack=1 /, ack);
    await s.screenshot('columns-wireshark-info');
    await v.locator('#info-style').selectOption('tcpdump');
    const back = await until('the Info column in tcpdump\'s words', () => v.locator('.rows .row[aria-rowindex="2"] .c-info').innerText(), (t) => t.startsWith('Flags [S]'));
    assert.match(back, /^Flags \[S\]/, back);
  });

  it('a column hidden (and one shown) with the chooser stays so after the editor is reopened', async () => {
    let v = view();
    const before = await headerColumns(v);
    assert.ok(before.includes('Protocol') && !before.includes('Stream'), before.join('|'));
    await v.locator('#columns-button').click();
    await v.locator('#columns-panel').waitFor({ state: 'visible', timeout: 5_000 });
    await v.locator('#col-toggle-proto').click();
    await v.locator('#col-toggle-stream').click();
    await s.screenshot('columns-chooser');
    let cols = await until('the header without Protocol, with Stream', () => headerColumns(v), (c) => !c.includes('Protocol') && c.includes('Stream'));
    assert.ok(!cols.includes('Protocol') && cols.includes('Stream'), cols.join('|'));
    assert.equal(await v.locator('.rows .row:not([hidden]) .c-proto').count(), 0);
    assert.equal(await firstRowCell(v, '.c-stream'), '0');
    await s.page.keyboard.press('Escape');
    // reopen: the workspace remembers
    await s.runCommand('View: Close All Editors');
    await s.page.waitForTimeout(500);
    v = await openCapture(CAPTURE, { grid: true });
    cols = await until('the reopened header with Stream', () => headerColumns(v), (c) => c.includes('Stream'));
    assert.ok(!cols.includes('Protocol') && cols.includes('Stream'), cols.join('|'));
    assert.equal(await v.locator('.rows .row:not([hidden]) .c-proto').count(), 0);
    assert.equal(await firstRowCell(v, '.c-stream'), '0');
    await s.screenshot('columns-reopened');
  });
});
