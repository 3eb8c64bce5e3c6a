/**
 * Issue 14's verdicts where the user looks, in a real VS Code (code-server + Chromium), on a
 * real-kernel capture (test/fixtures/perf/zerowin.pcap: a receiver reading 4 kB every 300 ms behind an
 * 8 kB SO_RCVBUF) and on the same capture as tcpdump text: the Connections tab's "Limited by" cell
 * names the receiver window with its share, the performance section under the table shows the
 * verdicts, and an evidence packet's button selects that packet; in the log, the connection's
 * CodeLens says why it is slow and the verdicts are diagnostics in the Problems view with the advice.
 * The screenshots test-results/e2e/perf-connections.png and perf-problems.png are the README's
 * (media/screenshots/). The Graphs panel on a capture and on a log is graphs.e2e.ts's.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeCaptureFile } from '../../src/node/analyze';
import { perfJson, type PerfJson } from '../../src/core/perf/summary';
import { defaultPrintOptions } from '../../src/core/print/options';
import { PacketPrinter } from '../../src/core/print/packet';
import { readAll } from '../helpers/corpus';
import { findTool } from '../helpers/tools';
import { repoRoot, Session, sessionHelpers, startSession, until } from './harness';

describe('e2e: performance verdicts in the Connections tab and as diagnostics', function () {
  this.timeout(90_000);
  let s: Session;
  let scratch = '';
  let want: PerfJson;
  const { page, capture, openCapture } = sessionHelpers(() => s);

  /** A README screenshot: the part of the window in `clip` (CSS px of the 1920 × 1000 window), into test-results/e2e/. */
  async function shot(name: string, clip: { x: number; y: number; width: number; height: number }): Promise<void> {
    const dir = path.join(repoRoot(), 'test-results', 'e2e');
    fs.mkdirSync(dir, { recursive: true });
    await s.page.waitForTimeout(400);
    await (s.page as unknown as { screenshot(o: { path: string; clip: typeof clip }): Promise<unknown> }).screenshot({ path: path.join(dir, name + '.png'), clip });
  }

  before(async function () {
    this.timeout(150_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-e2e-'));
    const src = path.join(repoRoot(), 'test', 'fixtures', 'perf', 'zerowin.pcap');
    const pcap = path.join(scratch, 'slow-reader.pcap');
    fs.copyFileSync(src, pcap);
    const { engine } = await analyzeCaptureFile(pcap, () => undefined, { perf: true });
    want = perfJson(engine.conversations()[0])!;
    // the log as tcpdump -n prints it (our printer, the same text, when tcpdump is not installed)
    let text: string;
    if (findTool('tcpdump')) text = execFileSync('tcpdump', ['-n', '-r', pcap], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    else {
      const printer = new PacketPrinter(defaultPrintOptions());
      text = (await readAll(pcap)).records.map((r) => printer.print(r)).join('');
    }
    const log = path.join(scratch, 'slow-reader.tcpdump');
    fs.writeFileSync(log, text);
    s = await startSession({ viewport: { width: 1920, height: 1000 }, extraFiles: [pcap, log] });
    await page().locator('.part.editor').first().click();
    await s.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-perf-${this.currentTest.title.slice(0, 60)}`).catch(() => undefined);
    await s?.page.keyboard.press('Escape').catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('capture: the Connections tab shows "Limited by" and the verdicts; an evidence packet selects its row', async () => {
    assert.deepEqual([...new Set(want.verdicts.map((v) => v.kind))].sort(), ['receiver-limited', 'zero-window']);
    await openCapture('slow-reader.pcap');
    const cap = await capture();
    await until('capture rows', () => cap.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n > 10);
    await cap.locator('#tab-conns').click();
    const limit = await until('the Limited by cell', () => cap.locator('tr[data-stream="0"] td[data-perf="limit"]').innerText(), (t) => t !== '…');
    const share = Math.round(want.clientToServer.limits.shares.rwnd * 100);
    assert.equal(limit, `receiver window ${share} %`);
    assert.ok((await cap.locator('table.conns thead').innerText()).includes('Limited by'));
    assert.equal(await until('the section\'s limit line', () => cap.locator('#conn-perf .verdict-limit').innerText(), (t) => t.length > 0), `Limited by: receiver window ${share} % (client → server)`);
    // the one connection's section shows without choosing it: both verdicts, with their advice
    const kinds = await until('the verdicts', () => cap.locator('#conn-perf .verdict').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind ?? '')), (v) => v.length > 0);
    assert.deepEqual(kinds, want.verdicts.map((v) => v.kind));
    const zw = cap.locator('#conn-perf .verdict[data-kind="zero-window"]');
    const text = await zw.innerText();
    assert.match(text, /client → server: Zero-window stalls/);
    assert.match(text, /What to change: The receiving application stopped reading/);
    assert.match(await cap.locator('#conn-perf .verdict[data-kind="receiver-limited"]').innerText(), new RegExp(`held the sender back ${share} %`));
    // the Connections tab and its performance section (the bottom pane)
    await shot('perf-connections', { x: 45, y: 640, width: 1875, height: 345 });
    // choosing the evidence packet selects it in the packet list
    const packet = want.verdicts.find((v) => v.kind === 'zero-window')!.packets[0];
    await zw.locator(`button.verdict-packet[data-packet="${packet}"]`).click();
    const sel = await until(
      'the selected row',
      () => cap.locator('.rows .row[aria-selected="true"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.index ?? '')),
      (v) => v.length === 1 && v[0] === String(packet - 1),
    );
    assert.deepEqual(sel, [String(packet - 1)]);
    await s.runCommand('View: Close All Editors');
    await s.page.waitForTimeout(500);
  });

  it('log: the connection\'s CodeLens says why it is slow, and the verdicts are diagnostics with their advice', async () => {
    await s.openFile('slow-reader.tcpdump');
    const lenses = await until('the verdict lens', () => s.codeLensTexts({ timeout: 10_000 }), (v) => v.some((t) => t.startsWith('Why slow:')));
    assert.ok(lenses.includes('Why slow: Limited by the receiver · Zero-window stalls'), JSON.stringify(lenses));
    let problems: string[] = [];
    const zero = () => problems.find((p) => /client → server: Zero-window stalls\./.test(p));
    const rwnd = () => problems.find((p) => /client → server: Limited by the receiver\./.test(p));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      problems = await s.problems();
      if (zero() && rwnd()) break;
      await s.page.waitForTimeout(300);
    }
    assert.ok(zero(), JSON.stringify(problems, null, 1));
    assert.ok(rwnd(), JSON.stringify(problems, null, 1));
    assert.match(zero()!, /What to change: The receiving application stopped reading/);
    assert.match(zero()!, /Warning/i);
    assert.match(rwnd()!, /Info/i);
    // the lenses of the first lines and the Problems view: the panel dragged up to leave the editor its first lines
    const box = await page().locator('.part.panel').first().evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    const mouse = s.page.mouse as unknown as { move(x: number, y: number, o?: { steps?: number }): Promise<void>; down(): Promise<void>; up(): Promise<void> };
    await mouse.move(900, box[0] - 1);
    await mouse.down();
    await mouse.move(900, 330, { steps: 8 });
    await mouse.up();
    await shot('perf-problems', { x: 45, y: 72, width: 1500, height: 450 });
  });
});
