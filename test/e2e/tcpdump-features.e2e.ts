/**
 * The tcpdump-text features in a real VS Code (code-server 4.96.4 + Chromium), on the logs and
 * captures of samples/ (`npm run samples`): language mode and grammar colours, hovers, the
 * TCP-state CodeLens and its connection details, diagnostics in the Problems view, and the
 * "Paste tcpdump Output" and "Open Capture as tcpdump Text" commands. Every check reads the
 * workbench's DOM; screenshots go to test-results/e2e/. One code-server session for the file.
 * Run by `npm run test:e2e`; harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, Session, startSession, tokenAfter } from './harness';

const SAMPLES = path.join(repoRoot(), 'samples');
const sample = (name: string): string => fs.readFileSync(path.join(SAMPLES, name), 'utf8');

const SYN_ACK_LENS = 'client SYN_SENT → ESTABLISHED · server SYN_RCVD · handshake 2/3';
const CONN_LENS = '10.23.185.135:48096 → 106.53.211.6:8888 · SF · 11 packets · 26 bytes';

describe('e2e: tcpdump logs in code-server (samples/)', function () {
  this.timeout(60_000);
  let s: Session;

  before(async function () {
    this.timeout(120_000);
    s = await startSession({}); // opens samples/ itself (made by `npm run samples` when missing)
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) {
      await s.screenshot(`failed-features-${this.currentTest.title}`).catch(() => undefined);
    }
    // No hover, menu or quick input left over for the next test.
    await s?.page.keyboard.press('Escape').catch(() => undefined);
    await s?.page.mouse.move(5, 5).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
  });

  it('opens handshake-data-teardown.tcpdump in the tcpdump language mode', async () => {
    await s.openFile('handshake-data-teardown.tcpdump');
    assert.equal(await s.languageMode(), 'tcpdump');
  });

  it('colours a flag letter and a seq number unlike plain text', async () => {
    const toks = await s.colouredTokens('Flags [S.], seq 1884202731');
    const plain = tokenAfter(toks, ', ', ']');
    const syn = tokenAfter(toks, 'S', '[');
    const seq = tokenAfter(toks, '1884202731');
    const report = JSON.stringify({ plain: plain.color, syn: syn.color, seq: seq.color });
    assert.notEqual(syn.color, plain.color, `S flag has the plain colour: ${report}`);
    assert.notEqual(seq.color, plain.color, `seq number has the plain colour: ${report}`);
    await s.screenshot('features-colours');
  });

  it('hover on [S.] of the SYN+ACK: step 2 of the three-way handshake, server in SYN_RCVD', async () => {
    // The lenses move the lines: let them arrive before aiming the mouse.
    assert.ok((await s.codeLensTexts({ timeout: 10_000 })).length > 0, 'no CodeLens');
    const text = await s.hoverWord('[S.]');
    assert.match(text, /Step 2 of the three-way handshake/i, text);
    assert.match(text, /server SYN_RCVD/, text);
    assert.match(text, /SYN\+ACK/, text);
    await s.screenshot('features-hover-syn-ack');
  });

  it('CodeLens: TCP states above the SYN+ACK line and the connection summary', async () => {
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    assert.ok(lenses.includes(SYN_ACK_LENS), `no "${SYN_ACK_LENS}" in ${JSON.stringify(lenses)}`);
    assert.ok(lenses.includes(CONN_LENS), `no "${CONN_LENS}" in ${JSON.stringify(lenses)}`);
    assert.ok(lenses.includes('client CLOSED → SYN_SENT · server LISTEN → SYN_RCVD · handshake 1/3'), JSON.stringify(lenses));
    assert.ok(lenses.includes('client ESTABLISHED · server SYN_RCVD → ESTABLISHED · handshake 3/3'), JSON.stringify(lenses));
    await s.screenshot('features-codelens');
  });

  it('clicking the connection lens opens its details document', async () => {
    await s.clickCodeLens(CONN_LENS);
    await s.waitForActiveTab('connection-0.md');
    let text = '';
    const deadline = Date.now() + 10_000;
    while (!text.includes('Final states') && Date.now() < deadline) {
      await s.page.waitForTimeout(100);
      text = await s.editorText();
    }
    assert.match(text, /# 10\.23\.185\.135:48096 → 106\.53\.211\.6:8888/, text);
    assert.match(text, /Packets \(client \/ server\) \| 6 \/ 5/, text);
    assert.match(text, /Zeek conn_state \/ history \| SF \//, text);
    assert.match(text, /No problems found\./, text);
    await s.screenshot('features-connection-details');
    await s.runCommand('View: Close All Editor Groups');
  });

  it('hover on "win 0" in zero-window.tcpdump mentions the zero window', async () => {
    await s.openFile('zero-window.tcpdump');
    assert.ok((await s.codeLensTexts({ timeout: 10_000 })).length > 0, 'no CodeLens');
    const text = await s.hoverWord('win 0');
    assert.match(text, /Window: 0/, text);
    assert.match(text, /Zero window/i, text);
    await s.screenshot('features-hover-zero-window');
  });

  it('diagnostics in the Problems view: reset (warning) and refused connection', async () => {
    await s.openFile('reset.tcpdump');
    await s.openFile('refused.tcpdump');
    // The refused connection's summary lens names Zeek's REJ state. Read before opening the panel:
    // code-server 4.96.4 leaves out the lenses (ours and the built-in merge-conflict ones alike)
    // of an editor whose layout changes before they first arrive, until the next layout change.
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    assert.ok(lenses.includes('10.23.185.135:48100 → 106.53.211.6:9999 · REJ · 2 packets · 0 bytes'), JSON.stringify(lenses));
    let problems: string[] = [];
    const deadline = Date.now() + 10_000;
    const reset = () => problems.find((p) => /Reset by the server \(106\.53\.211\.6:8888\) in ESTABLISHED/.test(p));
    const refused = () => problems.find((p) => /Connection refused: 106\.53\.211\.6:9999 answered the SYN with a reset/.test(p));
    while (Date.now() < deadline) {
      problems = await s.problems();
      if (reset() && refused()) break;
      await s.page.waitForTimeout(300);
    }
    assert.ok(reset(), `no reset problem in ${JSON.stringify(problems, null, 1)}`);
    assert.ok(refused(), `no refused problem in ${JSON.stringify(problems, null, 1)}`);
    // The row's label names the severity, the source and the line.
    assert.match(reset()!, /Warning/i, reset());
    assert.match(reset()!, /Capture Lens/, reset());
    // Severity: the reset is a Warning (the Problems view shows a warning icon on its row).
    const warnings = await s.page.locator('.markers-panel .monaco-list-row .marker-icon.codicon-warning, .markers-panel .monaco-list-row .codicon-warning').count();
    assert.ok(warnings >= 2, `expected warning rows (reset, refused), saw ${warnings}`);
    await s.screenshot('features-problems');
    await s.page.keyboard.press('Control+Shift+M'); // close the panel again
  });

  it('"Paste tcpdump Output": the clipboard in a new tcpdump editor with lenses', async () => {
    const text = sample('close-three-packets.tcpdump');
    await s.setClipboard(text);
    const before = await s.waitForActiveTab(() => true);
    await s.runCommand('Capture Lens: Paste tcpdump Output');
    // An untitled tab is labelled by its first line: "08:00:10.000000 IP … • Untitled-1".
    await s.waitForActiveTab((l) => /Untitled-\d+/.test(l) && l !== before);
    assert.equal(await s.languageMode(), 'tcpdump');
    const shown = await s.editorText();
    const first = text.split('\n')[0];
    assert.ok(shown.includes(first), `first line "${first}" not in\n${shown}`);
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    assert.ok(lenses.some((l) => l.includes('handshake 1/3')), JSON.stringify(lenses));
    assert.ok(lenses.some((l) => /^10\.\S+ → \S+ · \w+ · \d+ packets · \d+ bytes$/.test(l)), JSON.stringify(lenses));
    await s.screenshot('features-paste');
  });

  it('"Open Capture as tcpdump Text" from the explorer on a .pcap', async () => {
    const before = await s.waitForActiveTab(() => true);
    await s.explorerMenu('handshake-data-teardown.pcap', 'Open Capture as tcpdump Text');
    const expected = sample('handshake-data-teardown.tcpdump').split('\n')[0];
    await s.waitForActiveTab((l) => /Untitled-\d+/.test(l) && l !== before);
    let shown = '';
    const deadline = Date.now() + 10_000;
    while (!shown.includes(expected) && Date.now() < deadline) {
      await s.page.waitForTimeout(100);
      shown = await s.editorText();
    }
    assert.equal(shown.split('\n')[0], expected);
    assert.equal(await s.languageMode(), 'tcpdump');
    await s.screenshot('features-open-capture');
  });
});
