/**
 * The Graphs panel (issue 14) in a real VS Code (code-server + Chromium), on a bulk transfer made by
 * src/core/synth/bulk.ts (a loss with SACK blocks and a fast retransmission, a zero window), as a
 * capture and as the tcpdump text printed from it. Checked in the panel's webview DOM: it opens from
 * the capture editor's "Graphs" button and from a log's "Graphs" CodeLens, draws the connection
 * (heading, summary table with the retransmission and the zero window), a point chosen with the
 * keyboard selects its packet in the capture editor / puts the cursor on its line of the log, and a
 * row selected in the capture editor is highlighted in the graph. The screenshot
 * test-results/e2e/graphs.png is the README's (media/screenshots/graphs.png).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeLog } from '../../src/core/log/model';
import { defaultPrintOptions } from '../../src/core/print/options';
import { PacketPrinter } from '../../src/core/print/packet';
import { bulkTransfer } from '../../src/core/synth/bulk';
import { pcapHeader, pcapRecord } from '../../src/core/synth/writers';
import { Session, sessionHelpers, startSession, until, type WebviewFrame as Frame } from './harness';

const T0 = 1_763_712_000;

describe('e2e: the Graphs panel in code-server', function () {
  this.timeout(90_000);
  let s: Session;
  let scratch = '';
  let logText = '';
  const { page, graphs, capture, openCapture } = sessionHelpers(() => s);

  /** Drawn points and the summary table's series names, once the graph is drawn. */
  async function drawn(f: Frame): Promise<{ points: number; series: string[] }> {
    const points = Number((await f.locator('body').getAttribute('data-points')) ?? '0');
    const series = await f.locator('table.summary tbody th').allInnerTexts();
    return { points, series };
  }

  /** Moves the graph's keyboard cursor `steps` points right, chooses it; returns the packet number (1-based) the status line names. */
  async function choosePoint(f: Frame, steps: number): Promise<number> {
    await f.locator('svg.plot').focus();
    for (let i = 0; i < steps; i++) await f.locator('svg.plot').press('ArrowRight');
    const status = await until('status line', () => f.locator('.status').innerText(), (t) => /\d/.test(t));
    const no = Number(/(\d+)/.exec(status)![1]);
    await f.locator('svg.plot').press('Enter');
    return no;
  }

  before(async function () {
    this.timeout(150_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'graphs-e2e-'));
    const frames = bulkTransfer();
    const pcap = path.join(scratch, 'bulk-transfer.pcap');
    fs.writeFileSync(pcap, Buffer.concat([pcapHeader(1, false), ...frames.map((f) => pcapRecord(T0 + Math.floor(f.us / 1e6), f.us % 1e6, f.frame))]));
    const saved = process.env.TZ;
    process.env.TZ = 'UTC';
    const printer = new PacketPrinter(defaultPrintOptions());
    logText = frames
      .map((f, index) => printer.print({ index, data: f.frame, origLen: f.frame.length, tsSec: T0 + Math.floor(f.us / 1e6), tsNsec: (f.us % 1e6) * 1000, tsPrecision: 6, linkType: 1, interfaceId: 0, fileOffset: 0, fileLength: 0, blockType: 'pcap' }))
      .join('');
    process.env.TZ = saved;
    const log = path.join(scratch, 'bulk-transfer.tcpdump');
    fs.writeFileSync(log, logText);
    s = await startSession({ viewport: { width: 1600, height: 1000 }, extraFiles: [pcap, log] });
    await page().locator('.part.editor').first().click();
    await s.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-graphs-${this.currentTest.title.slice(0, 60)}`).catch(() => undefined);
    await s?.page.keyboard.press('Escape').catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('capture: the "Graphs" button opens the time-sequence graph with its summary table', async () => {
    await openCapture('bulk-transfer.pcap');
    const cap = await capture();
    await until('capture rows', () => cap.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n > 10);
    await cap.locator('#graphs').click();
    const f = await graphs();
    const d = await until('the drawn graph', () => drawn(f), (v) => v.points > 100 && v.series.length >= 5);
    for (const name of ['Segments sent', 'Retransmissions', 'SACK blocks', 'ACK line', 'Zero window']) assert.ok(d.series.includes(name), JSON.stringify(d.series));
    assert.match(await f.locator('.heading').innerText(), /10\.0\.0\.1:40000 → 10\.0\.0\.2:5001/);
    assert.equal(await f.locator('.kind[aria-selected="true"]').innerText(), 'Time-sequence');
    await s.page.waitForTimeout(400);
    await s.screenshot('graphs');
  });

  it('capture: a point chosen in the graph selects its packet in the capture editor', async () => {
    const f = await graphs();
    const no = await choosePoint(f, 6);
    const cap = await capture();
    const sel = await until(
      'capture editor selection',
      () => cap.locator('.rows .row[aria-selected="true"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.index ?? '')),
      (v) => v.length === 1 && v[0] === String(no - 1),
    );
    assert.deepEqual(sel, [String(no - 1)]);
  });

  it('capture: a row selected in the capture editor is highlighted in the graph; the other graph kinds draw', async () => {
    const cap = await capture();
    await cap.locator('.rows .row[data-index="4"]').click();
    const f = await graphs();
    await until('highlight', () => f.locator('svg.plot line.sel').count(), (n) => n === 1);
    for (const [kind, name] of [['rtt', 'RTT samples (ack_rtt)'], ['window', 'Bytes in flight'], ['throughput', 'Throughput']]) {
      await f.locator(`.kind[data-kind="${kind}"]`).click();
      const d = await until(`the ${kind} graph`, () => drawn(f), (v) => v.points > 0 && v.series.includes(name));
      assert.ok(d.points > 0);
    }
    await s.runCommand('View: Close All Editors');
    await s.page.waitForTimeout(500);
  });

  it('log: the "Graphs" CodeLens opens the connection; a chosen point puts the cursor on its line', async () => {
    await s.openFile('bulk-transfer.tcpdump');
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    assert.ok(lenses.includes('Graphs'), JSON.stringify(lenses));
    await s.clickCodeLens('Graphs');
    const f = await graphs();
    await until('the drawn graph', () => drawn(f), (v) => v.points > 100 && v.series.includes('Retransmissions'));
    const no = await choosePoint(f, 9);
    const want = analyzeLog(logText).log.packets[no - 1].line + 1;
    const line = await until(
      'cursor line',
      async () => {
        const t = await page().locator('.part.editor .editor-instance .monaco-editor .margin-view-overlays .active-line-number').first().textContent().catch(() => null);
        return t ? Number(t.trim()) : -1;
      },
      (v) => v === want,
    );
    assert.equal(line, want);
    await s.screenshot('graphs-log');
  });
});
