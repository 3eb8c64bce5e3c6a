/**
 * Find in the capture and the rows' context menu in a real VS Code (code-server + Chromium), issue 17:
 * Ctrl+F opens the capture editor's find bar, a string present in one payload typed and Enter selects
 * that packet, Enter again goes to the following match and Shift+Enter back; a right-click on a row
 * shows the row menu (webview/context) and its "Filter on This Connection" filters the list to the
 * row's connection; the same command run with a row's context object as its argument (a keybinding
 * with args, as VS Code passes the row's data-vscode-context) does too. F8 goes to the next problem packet.
 * Run by `npm run test:e2e`; harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type FrameLoc, Session, sessionHelpers, setKeybindings, startSession } from './harness';
import { TH_ACK, TH_PUSH, TH_SYN } from '../../src/core/decode/packet';
import { tcpFrame } from '../../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../../src/core/synth/writers';

const C = '10.0.0.1';
const S = '10.0.0.2';
/** Key of the keybinding that runs the context-menu command with a row's context object. */
const ROW_KEY = 'Control+Shift+Alt+F10';
/** Packet 12 (index 11): the second connection's SYN+ACK. */
const ROW_CONTEXT = { webviewSection: 'packetRow', packet: 11, hasStream: true, stream: 1 };

/** 13 packets: stream 0 with "needle" in packets 4 and 8 (9 retransmits 8), stream 1 a handshake (11–13). */
function capture(): Buffer {
  const f = (sport: number, dir: 0 | 1, flags: number, seq: number, ack: number, payload?: string): Uint8Array =>
    tcpFrame({
      src: dir === 0 ? C : S,
      dst: dir === 0 ? S : C,
      sport: dir === 0 ? sport : 8080,
      dport: dir === 0 ? 8080 : sport,
      seq,
      ack,
      flags,
      payload: payload === undefined ? undefined : Uint8Array.from(Buffer.from(payload, 'latin1')),
    });
  const frames = [
    f(40000, 0, TH_SYN, 100, 0),
    f(40000, 1, TH_SYN | TH_ACK, 500, 101),
    f(40000, 0, TH_ACK, 101, 501),
    f(40000, 0, TH_ACK | TH_PUSH, 101, 501, 'hello needle one'), // 4 (16 bytes)
    f(40000, 1, TH_ACK, 501, 117),
    f(40000, 1, TH_ACK | TH_PUSH, 501, 117, 'plain reply'), // 6 (11 bytes)
    f(40000, 0, TH_ACK, 117, 512),
    f(40000, 0, TH_ACK | TH_PUSH, 117, 512, 'second needle two'), // 8 (17 bytes)
    f(40000, 0, TH_ACK | TH_PUSH, 117, 512, 'second needle two'), // 9: retransmission
    f(40000, 1, TH_ACK, 512, 134),
    f(40001, 0, TH_SYN, 7000, 0),
    f(40001, 1, TH_SYN | TH_ACK, 9000, 7001),
    f(40001, 0, TH_ACK, 7001, 9001),
  ];
  return Buffer.concat([pcapHeader(1, false), ...frames.map((fr, i) => pcapRecord(1700000000 + i, 0, fr))]);
}

describe('e2e: Find in the capture and the rows context menu (issue 17)', function () {
  this.timeout(90_000);
  let s: Session;
  let scratch = '';
  const { view, openCapture, waitStatus } = sessionHelpers(() => s);

  async function selectedNo(v: FrameLoc, no: number): Promise<void> {
    await v
      .locator('.rows .row[aria-selected="true"] .c-no')
      .filter({ hasText: new RegExp(`^${no}$`) })
      .waitFor({ state: 'visible', timeout: 10_000 });
  }

  before(async function () {
    this.timeout(150_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'find-e2e-'));
    const file = path.join(scratch, 'find-needles.pcap');
    fs.writeFileSync(file, capture());
    s = await startSession({ extraFiles: [file] });
    // a row's context object as the command's argument, as VS Code passes it from the row menu
    await setKeybindings(s, [{ key: 'ctrl+shift+alt+f10', command: 'captureLens.packet.filterConnection', args: ROW_CONTEXT }]);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s)
      await s.screenshot(`failed-find-${this.currentTest.title.slice(0, 60)}`).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('Ctrl+F, a string present in payloads: Enter selects the first packet holding it, Enter the next, Shift+Enter back', async () => {
    await openCapture('find-needles.pcap');
    const v = view();
    await v.locator('#packet-grid .header-row .cell').first().waitFor({ state: 'visible', timeout: 20_000 });
    await waitStatus(v, /^13 packets$/);
    // the focus in the list, packet 1 selected: the search starts after it
    await v.locator('.rows .row[data-index="0"]').click();
    await selectedNo(v, 1);
    await s.page.keyboard.press('Control+F');
    const box = v.locator('#find-input');
    await box.waitFor({ state: 'visible', timeout: 5_000 });
    await box.fill('needle');
    await box.press('Enter');
    await selectedNo(v, 4);
    await box.press('Enter');
    await selectedNo(v, 8);
    await box.press('Shift+Enter');
    await selectedNo(v, 4);
    // the details follow the selection, as with a click
    await v.locator('#find-status').waitFor({ state: 'attached', timeout: 2_000 });
    await s.screenshot('find-needle');
    // not there: the bar says so, the selection stays
    await box.fill('no such text');
    await box.press('Enter');
    await v
      .locator('#find-status')
      .filter({ hasText: /No match in 13 packets/ })
      .waitFor({ state: 'visible', timeout: 10_000 });
    await selectedNo(v, 4);
    await box.press('Escape');
    await v.locator('#find-bar').waitFor({ state: 'hidden', timeout: 5_000 });
    // F8 (the keybinding): the next packet the list marks as a problem, the retransmission
    await s.page.keyboard.press('F8');
    await selectedNo(v, 9);
  });

  it('a right-click on a row shows the row menu; "Filter on This Connection" filters to its connection', async () => {
    const v = view();
    await v.locator('.rows .row[data-index="11"]').click({ button: 'right' });
    const item = s.page
      .locator('.context-view .monaco-menu .action-item .action-label')
      .filter({ hasText: 'Filter on This Connection' })
      .first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    for (const other of [
      'Copy Row',
      'Copy as Filter',
      'Follow TCP Stream',
      'Flow Graph of This Connection',
      'Sockets at This Packet',
    ]) {
      await s.page
        .locator('.context-view .monaco-menu .action-item .action-label')
        .filter({ hasText: other })
        .first()
        .waitFor({ state: 'visible', timeout: 2_000 });
    }
    await s.screenshot('find-row-menu');
    await item.hover();
    await s.page.waitForTimeout(150);
    await s.page.keyboard.press('Enter');
    await waitStatus(v, /^3 of 13 packets shown$/);
    assert.equal(await v.locator('#filter').inputValue(), 'tcp.stream eq 1');
  });

  it("the menu's command run with a row's context object as its argument filters on that row's connection", async () => {
    const v = view();
    const filter = v.locator('#filter');
    await filter.fill('');
    await filter.press('Enter');
    await waitStatus(v, /^13 packets$/);
    // the key goes to the workbench (the capture editor stays the active one)
    await s.page.locator('.part.editor .tabs-container .tab.active').first().click();
    await s.page.keyboard.press(ROW_KEY);
    await waitStatus(v, /^3 of 13 packets shown$/);
    assert.equal(await filter.inputValue(), 'tcp.stream eq 1');
  });

  it("the editor title's Find action opens the bar with the focus in its box (the workbench had it)", async () => {
    const v = view();
    const filter = v.locator('#filter');
    await filter.fill('');
    await filter.press('Enter');
    await waitStatus(v, /^13 packets$/);
    await s.page.locator('.part.editor .tabs-container .tab.active').first().click();
    await s.page.locator('.editor-actions .action-label[aria-label^="Find in Packets"]').first().click();
    await v.locator('#find-bar').waitFor({ state: 'visible', timeout: 5_000 });
    await s.page.waitForTimeout(300);
    // typed without clicking the box: the keys land there (the text typed replaces the selected old one)
    await s.page.keyboard.type('second');
    assert.equal(await v.locator('#find-input').inputValue(), 'second');
    await s.page.keyboard.press('Enter');
    await selectedNo(v, 8);
  });
});
