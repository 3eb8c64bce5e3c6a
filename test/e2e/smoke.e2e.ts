/**
 * Smoke test in a real VS Code (code-server 4.96.4 + Chromium): the packaged extension activates,
 * .tcpdump files get the tcpdump language, and the grammar's scopes reach the screen as colours.
 * Run by `npm run test:e2e` (not by `npm test`); harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import { Session, startSession, tokenAfter } from './harness';

describe('e2e smoke: Capture Lens in code-server', function () {
  this.timeout(60_000);
  let s: Session | undefined;

  before(async function () {
    this.timeout(120_000);
    s = await startSession({ extraFiles: ['test/e2e/fixtures/handshake.tcpdump', 'test/e2e/fixtures/trace'] });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) {
      await s.screenshot(`failed-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
  });

  it('opens a .tcpdump file in the "tcpdump" language mode', async () => {
    await s!.openFile('handshake.tcpdump');
    assert.equal(await s!.languageMode(), 'tcpdump');
  });

  it('colours the flag letters of Flags [S.] and the seq number unlike plain text', async () => {
    const line = 'Flags [S.], seq 1884202731';
    const toks = await s!.colouredTokens(line);
    const find = (text: string, after?: string) => tokenAfter(toks, text, after);
    // Plain text: the editor's default foreground, e.g. the ", " between fields.
    const plain = find(', ', ']');
    const syn = find('S', '[');
    const ack = find('.', 'S');
    const seq = find('1884202731');
    const time = toks[0];
    const report = JSON.stringify({ plain: plain.color, syn: syn.color, ack: ack.color, seq: seq.color, time: time.color });
    assert.notEqual(syn.color, plain.color, `S flag has the plain colour: ${report}`);
    assert.notEqual(ack.color, plain.color, `. flag has the plain colour: ${report}`);
    assert.notEqual(seq.color, plain.color, `seq number has the plain colour: ${report}`);
    assert.notEqual(syn.color, seq.color, `S flag and seq number share a colour: ${report}`);
    assert.equal(time.text, '09:20:00.031000');
    assert.notEqual(time.color, plain.color, `time stamp has the plain colour: ${report}`);
    const file = await s!.screenshot('smoke-handshake');
    assert.ok(file.endsWith('.png'));
  });

  it('recognises tcpdump output without the extension by its first line', async () => {
    await s!.openFile('trace');
    assert.equal(await s!.languageMode(), 'tcpdump');
  });

  it('activates the extension: the "Capture Lens" output channel says so', async () => {
    const text = await s!.outputChannel('Capture Lens');
    assert.match(text, /Capture Lens activated/);
    await s!.screenshot('smoke-output-channel');
  });
});
