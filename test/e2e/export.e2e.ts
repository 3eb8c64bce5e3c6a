/**
 * Keys and Export Packets in a real VS Code (code-server + Chromium): Ctrl+G goes to a packet; a generated capture (the demo's SYN
 * flood) opened in the capture editor, a Wireshark-syntax filter typed in its filter box, then
 * "Export Packets…" run by a keybinding whose arguments name the target file and "the displayed
 * packets" (the interactive path asks both). The file must hold exactly the filtered packets, read
 * back with our reader, and tcpdump must read it when it is installed.
 * Run by `npm run test:e2e`; harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Session, sessionHelpers, setKeybindings, startSession } from './harness';
import { readAll } from '../helpers/corpus';
import { findTool } from '../helpers/tools';
import { RecordColumns } from '../../src/core/filter/columns';
import { tryCompileFilter } from '../../src/core/filter/eval';
import { writeSamples } from '../../src/node/samples';

const EXPORT_KEY = 'Control+Shift+Alt+F9';
const EXPORT_MARKED_KEY = 'Control+Shift+Alt+F10';
const EXPR = 'tcp.flags.syn == 1 && tcp.flags.ack == 0';

describe('e2e: Ctrl+G and Export Packets in the capture editor', function () {
  this.timeout(90_000);
  let s: Session;
  let scratch = '';
  let target = '';
  let markedTarget = '';
  let source = '';
  const { view, openCapture, waitStatus } = sessionHelpers(() => s);

  before(async function () {
    this.timeout(150_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'export-e2e-'));
    writeSamples(path.join(scratch, 'samples'));
    source = path.join(scratch, 'export-syn-flood.pcap');
    fs.copyFileSync(path.join(scratch, 'samples', 'syn-flood.pcap'), source);
    target = path.join(scratch, 'exported-syns.pcapng');
    markedTarget = path.join(scratch, 'exported-marked.pcap');
    s = await startSession({ extraFiles: [source] });
    await setKeybindings(s, [
      { key: 'ctrl+shift+alt+f9', command: 'captureLens.captureEditor.exportPackets', args: { target, which: 'displayed' } },
      { key: 'ctrl+shift+alt+f10', command: 'captureLens.captureEditor.exportPackets', args: { target: markedTarget, which: 'marked' } },
    ]);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-export-${this.currentTest.title.slice(0, 60)}`).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('Ctrl+G goes to a packet, as in Wireshark (the keybinding of the capture editor)', async () => {
    const v = await openCapture('export-syn-flood.pcap');
    await v.locator('#packet-grid .header-row .cell').first().waitFor({ state: 'visible', timeout: 20_000 });
    await waitStatus(v, /^\d+ packets$/);
    await s.page.locator('.part.editor .tabs-container .tab.active').first().click();
    await s.page.keyboard.press('Control+G');
    const box = s.page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor({ state: 'visible', timeout: 5_000 });
    await box.fill('7');
    await s.page.keyboard.press('Enter');
    await v.locator('.rows .row[aria-selected="true"] .c-no').filter({ hasText: /^7$/ }).waitFor({ state: 'visible', timeout: 10_000 });
  });

  it('the filtered packets, exported as pcapng, read back as exactly those packets (and tcpdump reads them)', async () => {
    const all = (await readAll(source)).records;
    const ref = new RecordColumns(all);
    const c = tryCompileFilter(EXPR, ref);
    assert.ok(c.ok);
    const want: number[] = [];
    for (let i = 0; i < ref.count; i++) if (c.ok && c.match(i)) want.push(i);
    assert.ok(want.length > 1 && want.length < ref.count, `${want.length} of ${ref.count}`);

    const v = view();
    await waitStatus(v, new RegExp(`^${ref.count} packets$`));
    const filter = v.locator('#filter');
    await filter.fill(EXPR);
    await filter.press('Enter');
    await waitStatus(v, new RegExp(`^${want.length} of ${ref.count} packets shown$`));

    // the key goes to the workbench (the capture editor stays the active one)
    await s.page.locator('.part.editor .tabs-container .tab.active').first().click();
    await s.page.keyboard.press(EXPORT_KEY);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(target) && Date.now() < deadline) await s.page.waitForTimeout(200);
    assert.ok(fs.existsSync(target), 'the export was written');
    await s.page.locator('.notifications-toasts').filter({ hasText: `Exported ${want.length} packets` }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await s.screenshot('export-packets-done');

    const back = await readAll(target);
    assert.equal(back.error, null);
    assert.deepEqual(
      back.records.map((r) => [...r.data]),
      want.map((i) => [...all[i].data]),
    );
    assert.deepEqual(
      back.records.map((r) => [r.tsSec, r.tsNsec]),
      want.map((i) => [all[i].tsSec, all[i].tsNsec]),
    );
    if (findTool('tcpdump')) {
      const t = spawnSync('tcpdump', ['-n', '-r', target], { encoding: 'utf8' });
      assert.equal(t.status, 0, t.stderr);
      assert.equal(t.stdout.trim().split('\n').length, want.length);
    } else console.log('      (tcpdump is not installed: the tcpdump read-back is skipped)');
  });

  it('Ctrl+M marks packets (a marked row is drawn and described as such), and the marked packets export as pcap', async () => {
    const all = (await readAll(source)).records;
    const v = view();
    const filter = v.locator('#filter');
    await filter.fill('');
    await filter.press('Enter');
    await waitStatus(v, new RegExp(`^${all.length} packets$`));
    // mark packets 3 and 6, unmark 3 again, mark 5: packets 5 and 6 stay marked
    const row = (no: number) => `.rows .row[aria-rowindex="${no + 1}"]`;
    for (const [no, marked] of [[3, true], [6, true], [3, false], [5, true]] as const) {
      await v.locator(row(no)).click();
      await v.locator(`${row(no)}[aria-selected="true"]`).waitFor({ state: 'visible', timeout: 5_000 });
      await v.locator('#packet-grid').press('Control+M');
      await v.locator(`${row(no)}${marked ? '.marked' : ':not(.marked)'}`).waitFor({ state: 'attached', timeout: 5_000 });
    }
    // a marked row is said to be so (aria-description), an unmarked one is not
    for (const no of [5, 6]) await v.locator(`${row(no)}.marked[aria-description="marked"]`).waitFor({ state: 'attached', timeout: 5_000 });
    for (const no of [3, 4, 7]) await v.locator(`${row(no)}:not(.marked):not([aria-description])`).waitFor({ state: 'attached', timeout: 5_000 });
    await s.screenshot('export-marked-rows');

    await s.page.locator('.part.editor .tabs-container .tab.active').first().click();
    await s.page.keyboard.press(EXPORT_MARKED_KEY);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(markedTarget) && Date.now() < deadline) await s.page.waitForTimeout(200);
    assert.ok(fs.existsSync(markedTarget), 'the export was written');
    await s.page.locator('.notifications-toasts').filter({ hasText: 'Exported 2 packets' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const back = await readAll(markedTarget);
    assert.equal(back.error, null);
    assert.deepEqual(
      back.records.map((r) => [...r.data]),
      [4, 5].map((i) => [...all[i].data]),
    );
    if (findTool('tcpdump')) {
      const t = spawnSync('tcpdump', ['-n', '-r', markedTarget], { encoding: 'utf8' });
      assert.equal(t.status, 0, t.stderr);
      assert.equal(t.stdout.trim().split('\n').length, 2);
    }
  });
});
