/**
 * The flow graph in a real VS Code (code-server 4.96.4 + Chromium), on samples/ (`npm run
 * samples`): opened for a capture from the capture editor's "Flow graph" button and for a tcpdump
 * log from the connection CodeLens and from the command palette. Checked in the panel's webview
 * DOM: the two lifelines, the labels of the handshake's three arrows, the TIME_WAIT state box on
 * the active closer's lifeline, clicking an arrow selects the packet in the capture editor (its
 * row) and puts the cursor on the packet's line of the log, and the other way round (a row / a
 * line selected there selects the flow row), and the SVG export (the command called with a target
 * path through a keybinding's args) writes an SVG with the handshake labels. Screenshots go to
 * test-results/e2e/ (flow-graph-capture.png is the README's). Harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeLog } from '../../src/core/log/model';
import { repoRoot, Session, sessionHelpers, setKeybindings, startSession, until, type WebviewFrame as Frame } from './harness';

const SAMPLES = path.join(repoRoot(), 'samples');
const CLIENT = '10.23.185.135:48096';
const SERVER = '106.53.211.6:8888';
/** The keybindings (written to the profile's keybindings.json) that run the SVG and PNG exports with a target path. */
const EXPORT_KEY = 'Control+Shift+Alt+F10';
const EXPORT_PNG_KEY = 'Control+Shift+Alt+F11';

describe('e2e: the flow graph in code-server (samples/)', function () {
  this.timeout(90_000);
  let s: Session;
  let scratch = '';
  let svgTarget = '';
  let pngTarget = '';
  const { page, frameWith, flow, capture, openCapture, closeEditors } = sessionHelpers(() => s);

  /** Lifeline headers of the flow graph: their endpoint labels and roles. */
  async function lifelines(f: Frame): Promise<{ label: string; role: string; id: string }[]> {
    return f.locator('.flow-lifeline-header').evaluateAll((els) =>
      els.map((e) => ({ label: (e as HTMLElement).dataset.label ?? '', role: e.classList.contains('client') ? 'client' : e.classList.contains('server') ? 'server' : '', id: (e as HTMLElement).dataset.lifeline ?? '' })),
    );
  }

  /** Arrow labels of the loaded flow rows, by row. */
  async function arrowLabels(f: Frame): Promise<string[]> {
    return f.locator('.flow-row:not(.loading)').evaluateAll((els) =>
      els
        .map((e) => ({ row: Number((e as HTMLElement).dataset.row), label: e.querySelector('.flow-label')?.textContent ?? '' }))
        .sort((a, b) => a.row - b.row)
        .map((x) => x.label),
    );
  }

  /** The packet indices (0-based) of the flow rows marked aria-selected. */
  async function selectedFlowPackets(f: Frame): Promise<string[]> {
    return f.locator('.flow-row[aria-selected="true"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.index ?? ''));
  }

  /** State boxes of the flow graph: state and lifeline. */
  async function stateBoxes(f: Frame): Promise<{ state: string; lifeline: string }[]> {
    return f.locator('.flow-state').evaluateAll((els) => els.map((e) => ({ state: (e as HTMLElement).dataset.state ?? '', lifeline: (e as HTMLElement).dataset.lifeline ?? '' })));
  }

  /** The 1-based line number of the cursor in the (only) visible text editor, from its line-number gutter. */
  async function cursorLine(): Promise<number> {
    const t = await page()
      .locator('.part.editor .editor-instance .monaco-editor .margin-view-overlays .active-line-number')
      .first()
      .textContent()
      .catch(() => null);
    return t ? Number(t.trim()) : -1;
  }

  /**
   * Clicks the arrow of packet `index` (its label). Forced: at narrow widths the panel draws the
   * row's comment over the label (playwright would wait for the label to be uncovered); the click
   * still lands in the arrow's row, which is what selects it.
   */
  async function clickArrow(f: Frame, index: number): Promise<void> {
    await f.locator(`.flow-row[data-index="${index}"] .flow-label`).click({ force: true });
  }

  before(async function () {
    this.timeout(150_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-graph-e2e-'));
    svgTarget = path.join(scratch, 'exported-flow.svg');
    pngTarget = path.join(scratch, 'exported-flow.png');
    s = await startSession({ viewport: { width: 1600, height: 1000 } });
    // The export command with a target path: a keybinding's args are the command's argument.
    await setKeybindings(s, [
      { key: 'ctrl+shift+alt+f10', command: 'captureLens.flowGraph.exportSvg', args: svgTarget },
      { key: 'ctrl+shift+alt+f11', command: 'captureLens.flowGraph.exportPng', args: pngTarget },
    ]);
    // room for the capture editor and the flow panel side by side
    await page().locator('.part.editor').first().click();
    await s.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) {
      await s.screenshot(`failed-flow-${this.currentTest.title.slice(0, 60)}`).catch(() => undefined);
    }
    await s?.page.keyboard.press('Escape').catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  // ---------------------------------------------------------------------------------------------
  // A capture, from the capture editor's button

  it('capture: the "Flow graph" button opens the panel: two lifelines, SYN / SYN, ACK / ACK, TIME_WAIT on the active closer', async () => {
    await openCapture('handshake-data-teardown.pcap');
    const cap = await capture();
    await until('capture rows', () => cap.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n === 11);
    await cap.locator('#flow-graph').click();
    const f = await flow();
    const lls = await until('lifelines', () => lifelines(f), (l) => l.length === 2);
    assert.deepEqual(lls.map((l) => l.label), [CLIENT, SERVER]);
    const labels = await until('arrow labels', () => arrowLabels(f), (l) => l.length === 11);
    assert.deepEqual(labels.slice(0, 3), ['SYN', 'SYN, ACK', 'ACK']);
    const boxes = await stateBoxes(f);
    const clientId = lls.find((l) => l.label === CLIENT)!.id;
    assert.ok(boxes.some((b) => b.state === 'TIME_WAIT' && b.lifeline === clientId), JSON.stringify(boxes));
    assert.ok(!boxes.some((b) => b.state === 'TIME_WAIT' && b.lifeline !== clientId), 'TIME_WAIT on the passive closer: ' + JSON.stringify(boxes));
    assert.ok(boxes.some((b) => b.state === 'SYN_SENT' && b.lifeline === clientId), JSON.stringify(boxes));
    await s.page.waitForTimeout(400);
    await s.screenshot('flow-graph-capture');
  });

  it('capture: clicking an arrow selects its packet in the capture editor', async () => {
    const f = await flow();
    // packet 4: the client's first data segment
    await clickArrow(f, 3);
    assert.deepEqual(await until('flow selection', () => selectedFlowPackets(f), (v) => v.length === 1), ['3']);
    const cap = await capture();
    const sel = await until(
      'capture editor selection',
      () => cap.locator('.rows .row[aria-selected="true"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.index ?? '')),
      (v) => v.length === 1 && v[0] === '3',
    );
    assert.deepEqual(sel, ['3']);
  });

  it('capture: selecting a row in the capture editor selects its arrow', async () => {
    const cap = await capture();
    await cap.locator('.rows .row[data-index="7"]').click(); // packet 8: the client's FIN
    const f = await flow();
    assert.deepEqual(await until('flow selection', () => selectedFlowPackets(f), (v) => v.length === 1 && v[0] === '7'), ['7']);
    assert.equal(await f.locator('.flow-row[data-index="7"] .flow-label').innerText(), 'FIN, ACK');
    await s.screenshot('flow-graph-capture-synced');
  });

  it('capture: the SVG export writes the graph to the path given to the command', async () => {
    if (fs.existsSync(svgTarget)) fs.rmSync(svgTarget);
    await flow();
    // the keys go to the workbench (the flow panel stays the export's target)
    await page().locator('.part.editor .tabs-container .tab.active').last().click();
    await s.page.keyboard.press(EXPORT_KEY);
    await until('the exported file', async () => fs.existsSync(svgTarget) && fs.statSync(svgTarget).size > 0, (v) => v, 15_000);
    const svg = fs.readFileSync(svgTarget, 'utf8');
    assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    assert.match(svg, /<\/svg>\s*$/);
    for (const label of ['>SYN<', '>SYN, ACK<', '>ACK<']) assert.ok(svg.includes(label), `no ${label} in the SVG`);
    assert.ok(svg.includes(CLIENT) && svg.includes(SERVER), 'the lifelines are not named');
  });

  it('capture: the PNG export renders the graph into the path given to the command', async () => {
    if (fs.existsSync(pngTarget)) fs.rmSync(pngTarget);
    await flow();
    await page().locator('.part.editor .tabs-container .tab.active').last().click();
    await s.page.keyboard.press(EXPORT_PNG_KEY);
    await until('the exported PNG', async () => fs.existsSync(pngTarget) && fs.statSync(pngTarget).size > 0, (v) => v, 20_000);
    const png = fs.readFileSync(pngTarget);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
    // IHDR: width and height of a drawing of 11 rows and two lifelines, not an empty canvas
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    assert.ok(width >= 300 && height >= 11 * 20, `${width}×${height}`);
    await closeEditors();
  });

  it('capture: filtered to a stream, the button draws that connection; an arrow selects its row in the filtered list', async () => {
    await openCapture('syn-flood.pcap');
    const cap = await capture();
    await until('capture rows', () => cap.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n > 4);
    await cap.locator('#filter').fill('stream 3');
    await cap.locator('#filter').press('Enter');
    await until('filtered rows', () => cap.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n === 4);
    await cap.locator('#flow-graph').click();
    const f = await flow();
    const lls = await until('lifelines', () => lifelines(f), (l) => l.length === 2);
    assert.deepEqual(lls.map((l) => l.label), ['198.51.100.13:40051', '106.53.211.6:80']);
    const rows = await until(
      'flow rows',
      () => f.locator('.flow-row:not(.loading)').evaluateAll((els) => els.map((e) => ({ index: (e as HTMLElement).dataset.index ?? '', stream: (e as HTMLElement).dataset.stream ?? '' }))),
      (r) => r.length === 4,
    );
    assert.ok(rows.every((r) => r.stream === '3'), JSON.stringify(rows));
    // the last SYN, ACK (a retransmission): selected in the capture editor, which keeps its filter
    const last = rows[rows.length - 1].index;
    await clickArrow(f, Number(last));
    const cap2 = await capture();
    await until(
      'capture editor selection',
      () => cap2.locator('.rows .row[aria-selected="true"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.index ?? '')),
      (v) => v.length === 1 && v[0] === last,
    );
    assert.equal(await cap2.locator('#filter').inputValue(), 'stream 3');
    assert.equal(await cap2.locator('.rows .row:not(.loading):not([hidden])').count(), 4);
    await s.screenshot('flow-graph-capture-stream');
    await closeEditors();
  });

  // ---------------------------------------------------------------------------------------------
  // A tcpdump log, from the connection CodeLens and the command palette

  // read when a test runs: on a fresh clone samples/ is only written when the session starts
  const lineOf = (i: number): number => analyzeLog(fs.readFileSync(path.join(SAMPLES, 'handshake-data-teardown.tcpdump'), 'utf8')).log.packets[i].line + 1;

  it('log: the "Flow graph" CodeLens opens the connection\'s graph', async () => {
    await closeEditors();
    await s.openFile('handshake-data-teardown.tcpdump');
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    assert.ok(lenses.includes('Flow graph'), JSON.stringify(lenses));
    assert.ok(lenses.includes(`${CLIENT} → ${SERVER} · SF · 11 packets · 26 bytes`), JSON.stringify(lenses));
    await s.clickCodeLens('Flow graph');
    const f = await flow();
    const lls = await until('lifelines', () => lifelines(f), (l) => l.length === 2);
    assert.deepEqual(lls.map((l) => l.label), [CLIENT, SERVER]);
    const labels = await until('arrow labels', () => arrowLabels(f), (l) => l.length === 11);
    assert.deepEqual(labels.slice(0, 3), ['SYN', 'SYN, ACK', 'ACK']);
    const clientId = lls.find((l) => l.label === CLIENT)!.id;
    assert.ok((await stateBoxes(f)).some((b) => b.state === 'TIME_WAIT' && b.lifeline === clientId));
    await s.page.waitForTimeout(400);
    await s.screenshot('flow-graph-log');
  });

  it('log: clicking an arrow puts the cursor on the packet\'s line', async () => {
    const f = await flow();
    await clickArrow(f, 5); // packet 6: the server's data
    assert.equal(await until('cursor line', cursorLine, (l) => l === lineOf(5)), lineOf(5));
    await clickArrow(f, 1);
    assert.equal(await until('cursor line', cursorLine, (l) => l === lineOf(1)), lineOf(1));
  });

  it('log: arrow keys move through the packets, Enter shows the packet\'s line', async () => {
    const f = await flow();
    assert.deepEqual(await selectedFlowPackets(f), ['1']);
    await f.locator('.flow-body').focus();
    await f.locator('.flow-body').press('ArrowDown');
    await f.locator('.flow-body').press('ArrowDown');
    assert.deepEqual(await until('flow selection', () => selectedFlowPackets(f), (v) => v[0] === '3'), ['3']);
    await f.locator('.flow-body').press('Enter');
    assert.equal(await until('cursor line', cursorLine, (l) => l === lineOf(3)), lineOf(3));
  });

  it('log: putting the cursor on a packet line selects its arrow', async () => {
    const line = page()
      .locator('.part.editor .editor-instance .monaco-editor .view-lines .view-line')
      .filter({ hasText: '08:00:00.096250' })
      .first();
    await line.click({ position: { x: 40, y: 6 } }); // the line's left end: its right part lies under the flow panel
    const f = await flow();
    assert.deepEqual(await until('flow selection', () => selectedFlowPackets(f), (v) => v.length === 1 && v[0] === '9'), ['9']);
    assert.equal(await f.locator('.flow-row[data-index="9"] .flow-label').innerText(), 'FIN, ACK');
    await s.screenshot('flow-graph-log-synced');
    await closeEditors();
  });

  it('log: "Capture Lens: Show Flow Graph" asks which connections, "All connections" first', async () => {
    await closeEditors();
    await s.openFile('syn-flood.tcpdump');
    await s.page.keyboard.press('F1');
    const input = page().locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await s.page.keyboard.type('>Capture Lens: Show Flow Graph');
    await page().locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'Show Flow Graph' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await s.page.waitForTimeout(200);
    await s.page.keyboard.press('Enter');
    const first = page().locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'All connections' }).first();
    await first.waitFor({ state: 'visible', timeout: 10_000 });
    const rows = await page().locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts();
    assert.match(rows[0], /All connections/);
    assert.ok(rows.some((r) => r.includes('198.51.100.10:40000 → 106.53.211.6:80') && /S1/.test(r)), JSON.stringify(rows));
    await s.screenshot('flow-graph-pick');
    await s.page.keyboard.press('Enter'); // "All connections" is picked
    const f = await flow();
    // every connection: 12 clients, one server, 48 packets (lifeline headers are drawn for the columns in view only)
    await until('status', async () => (await f.locator('.flow-status').textContent()) ?? '', (t) => /\b48\b/.test(t));
    const lls = await until('lifelines', () => lifelines(f), (l) => l.length >= 3);
    assert.deepEqual(lls.slice(0, 3).map((l) => l.label), ['198.51.100.10:40000', '106.53.211.6:80', '198.51.100.11:40017']);
    assert.match((await f.locator('.flow-conns-summary').textContent()) ?? '', /12/);
    await closeEditors();
  });

  it('after a window reload the flow panels come back, drawn again from their capture and their log', async () => {
    await openCapture('handshake-data-teardown.pcap');
    await (await capture()).locator('#flow-graph').click();
    await until('capture graph', async () => arrowLabels(await flow()), (l) => l.length === 11);
    await s.openFile('syn-flood.tcpdump');
    await s.clickCodeLens('Flow graph');
    await until('log graph tab', () => page().locator('.tab').filter({ hasText: 'Flow: syn-flood.tcpdump' }).count(), (n) => n === 1);
    await frameWith('.flow-lifeline-header[data-label="198.51.100.10:40000"]');
    await s.page.waitForTimeout(500); // the webview saves its state (what it draws from) a moment after drawing
    // "Reload Window" (not a page reload: the workbench saves its editors on the way out); the keys
    // must go to the workbench, not to a webview: click into the log's text first
    await page().locator('.part.editor .editor-instance .monaco-editor .view-lines .view-line').first().click({ position: { x: 40, y: 6 } });
    await s.runCommand('Developer: Reload Window');
    await page().locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 30_000 });
    // both panels are tabs again, each drawn again from its source when shown
    await until('restored tabs', () => page().locator('.tab').filter({ hasText: /^Flow: / }).allInnerTexts(), (t) => t.length === 2, 30_000);
    for (const [tab, first] of [
      ['Flow: syn-flood.tcpdump', '198.51.100.10:40000'],
      ['Flow: handshake-data-teardown.pcap', CLIENT],
    ]) {
      await page().locator('.tab').filter({ hasText: tab }).first().click();
      const f = await frameWith(`.flow-lifeline-header[data-label="${first}"]`, 30_000);
      const labels = await until(`${tab}: arrows`, () => arrowLabels(f), (l) => l.length > 0, 30_000);
      assert.deepEqual(labels.slice(0, 2), ['SYN', 'SYN, ACK'], tab);
    }
    await s.screenshot('flow-graph-restored');
    await closeEditors();
  });
});
