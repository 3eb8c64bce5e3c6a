/**
 * Follow TCP Stream in a real VS Code (code-server + Chromium), on an HTTP capture written by our own
 * frame and pcap writers (test/helpers/followCaptures.ts: GET /index.html, a response whose second
 * 1,448-byte body segment is missing from the capture). From the capture editor's selected packet, the
 * "Follow TCP Stream" button opens the panel; checked in its webview DOM: the request line, the
 * "[1,448 bytes not captured]" mark, choosing a chunk selects its packet in the capture editor, and
 * selecting a packet there selects its chunk; hex dump mode. The same view from the capture printed as
 * `tcpdump -X` (the command with the cursor on the request's line), from the Connections tab's Follow
 * button and from a double click on a flow-graph arrow. HTTP mode on a second capture (a DNS exchange, a
 * plain and a gzip HTTP connection): the gzip body decoded and shown as text, on stream 1. The screenshots
 * (test-results/e2e/follow-stream.png, follow-http.png and packet-list-apps.png: the list with ports, the
 * App column and Wireshark's Info) are copied to media/screenshots/ for the README.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, Session, sessionHelpers, startSession, until, type WebviewFrame as Frame } from './harness';
import { httpGapPcap } from '../helpers/followCaptures';
import { rethrown } from '../helpers/reading';
import { bytes, concat, gzip, HttpConn, page as htmlPage, pcapOf } from '../helpers/httpCaptures';
import { udpFrame } from '../../src/core/synth/frames';
import { parsePrintArgs } from '../../src/core/print/args';
import { PacketPrinter } from '../../src/core/print/packet';
import { readCaptureFile } from '../../src/node/captureFile';

const NAME = 'http-gap.pcap';
const TEXT = 'http-gap-X.tcpdump';
const APPS = 'http-dns-gzip.pcap';

/** A DNS query and its answer, then two HTTP connections: GET / (text), GET /news (a gzip body). Stream 1 is the gzip one. */
function appsPcap(): { pcap: Uint8Array; gzipGet: number } {
  const q = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...bytes('example'), 3, ...bytes('com'), 0, 0, 1, 0, 1];
  const a = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, ...q.slice(12), 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 93, 184, 216, 34];
  const dns = [udpFrame({ src: '10.0.0.1', dst: '10.0.0.53', sport: 53000, dport: 53, payload: q }), udpFrame({ src: '10.0.0.53', dst: '10.0.0.1', sport: 53, dport: 53000, payload: a })];
  const hello = 'hello, world\n';
  const c0 = new HttpConn(41000).data(0, bytes('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n')).data(1, bytes(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${hello.length}\r\n\r\n${hello}`)).close();
  const gz = gzip(htmlPage(6000));
  const c1 = new HttpConn(41001)
    .data(0, bytes('GET /news HTTP/1.1\r\nHost: example.com\r\nAccept-Encoding: gzip\r\n\r\n'))
    .data(1, concat(bytes(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`), gz), [400])
    .close();
  return { pcap: pcapOf([...dns, ...c0.frames, ...c1.frames]), gzipGet: dns.length + c0.frames.length + 3 };
}

describe('e2e: Follow TCP Stream in code-server (a generated HTTP capture with a gap)', function () {
  this.timeout(120_000);
  let s: Session;
  let scratch = '';
  /** 1-based line of the request's packet in the -X text. */
  let textLine = 0;
  /** 0-based packet of the gzip connection's GET in APPS. */
  let gzipGet = 0;
  const { page, frameWith, openCapture } = sessionHelpers(() => s);

  const selectedRows = (cap: Frame): Promise<string[]> =>
    cap.locator('.rows .row[aria-selected="true"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.index ?? ''));
  const followText = async (f: Frame): Promise<string> => (await f.locator('.follow-body').innerText()).replace(/\u00a0/g, ' ');

  before(async function () {
    this.timeout(150_000);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'follow-e2e-'));
    fs.writeFileSync(path.join(scratch, NAME), httpGapPcap());
    // the same capture as `tcpdump -X` prints it (our printer, equal to tcpdump's: test/tcpdump-oracle.test.ts)
    const printer = new PacketPrinter(parsePrintArgs([path.join(scratch, NAME), '-X']).opts);
    let text = '';
    rethrown(await readCaptureFile(path.join(scratch, NAME), { onRecord: (rec) => (text += printer.print(rec)) }).done);
    fs.writeFileSync(path.join(scratch, TEXT), text);
    const apps = appsPcap();
    fs.writeFileSync(path.join(scratch, APPS), apps.pcap);
    gzipGet = apps.gzipGet;
    textLine = text.split('\n').findIndex((l) => l.includes('length 91')) + 1;
    s = await startSession({ extraFiles: [path.join(scratch, NAME), path.join(scratch, TEXT), path.join(scratch, APPS)], viewport: { width: 1600, height: 1000 } });
    // room for the capture editor and the Follow panel side by side (and the README's screenshot)
    await page().locator('.part.editor').first().click();
    await s.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`failed-follow-${this.currentTest.title.slice(0, 60)}`).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('from the selected packet: the request line and the missing-bytes mark; a chosen chunk selects its packet, and back', async () => {
    await openCapture(NAME);
    const cap = await frameWith('#packet-grid');
    await until('capture rows', () => cap.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n === 11);
    // packet 4: the GET request
    await cap.locator('.rows .row[data-index="3"]').click();
    await until('capture selection', () => selectedRows(cap), (v) => v.length === 1 && v[0] === '3');
    await cap.locator('#follow-stream').click();

    const f = await frameWith('.follow-body');
    const text = await until('follow text', () => followText(f), (t) => t.includes('[1,448 bytes not captured]') && t.includes('GET /index.html HTTP/1.1'));
    assert.match(text, /HTTP GET \/index\.html HTTP\/1\.1/, 'the request is named as such');
    assert.match(text, /HTTP HTTP\/1\.1 200 OK/, 'and the response');
    assert.match(text, /Host: example\.com/);
    assert.match(text, /SYN · packet 1 · client SYN_SENT/, 'the SYN separator with both ends\' states');
    const summary = await f.locator('.follow-summary').innerText();
    assert.match(summary, /192\.168\.1\.10:51000/);
    assert.match(summary, /1,448/);

    // choose the response head's chunk (packet 5, index 4): the capture editor selects packet 5
    await f.locator('.chunk[data-packet="4"]').first().click();
    await until('capture editor follows the chosen chunk', () => selectedRows(cap), (v) => v.length === 1 && v[0] === '4');
    await s.page.waitForTimeout(300);
    await s.screenshot('follow-stream');
    fs.mkdirSync(path.join(repoRoot(), 'media', 'screenshots'), { recursive: true });
    fs.copyFileSync(path.join(repoRoot(), 'test-results', 'e2e', 'follow-stream.png'), path.join(repoRoot(), 'media', 'screenshots', 'follow-stream.png'));

    // and back: selecting packet 6 (the first body segment) in the list selects its chunk
    await cap.locator('.rows .row[data-index="5"]').click();
    const sel = await until(
      'follow view follows the packet list',
      () => f.locator('.chunk.selected').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.packet ?? '')),
      (v) => v.length === 1 && v[0] === '5',
    );
    assert.deepEqual(sel, ['5']);
  });

  it('hex dump mode shows the bytes 16 a line with stream offsets', async () => {
    const f = await frameWith('.follow-body');
    await f.locator('#follow-mode').evaluateAll((els) => {
      const sel = els[0] as HTMLSelectElement;
      sel.value = 'hex';
      sel.dispatchEvent(new Event('change'));
    });
    const text = await until('hex text', () => followText(f), (t) => /00000000 {2}47 45 54 20 2f 69 6e 64 {2}65 78 2e 68 74 6d 6c 20 {2}GET \/index\.html/.test(t));
    // the response head's header lines are listed in hex mode (the bytes no longer read as text)
    assert.match(text, /HTTP HTTP\/1\.1 200 OK\n {2}Content-Type: text\/plain\n {2}Content-Length: 4344\n/);
    // the first body segment's dump starts at its offset in the server's byte stream (67 bytes of head before it)
    assert.match(text, /\n00000043 {2}61 61 /);
  });

  it('from a tcpdump -X document: the command on a packet line follows its stream, with the same marks', async () => {
    await s.runCommand('View: Close All Editors');
    await s.openFile(TEXT);
    await s.page.keyboard.press('Control+G');
    await s.page.keyboard.type(String(textLine));
    await s.page.keyboard.press('Enter');
    await s.page.waitForTimeout(300);
    await s.runCommand('Capture Lens: Follow TCP Stream');
    const f = await frameWith('.follow-body');
    const text = await until('follow text', () => followText(f), (t) => t.includes('[1,448 bytes not captured]') && t.includes('HTTP GET /index.html HTTP/1.1'));
    assert.match(text, /#7 server, 1,448 bytes, out of order, put in place/);
  });

  it('from a row of the Connections tab, and from an arrow of the flow graph', async () => {
    await s.runCommand('View: Close All Editors');
    await openCapture(NAME);
    let cap = await frameWith('#packet-grid');
    await cap.locator('#tab-conns').click();
    await cap.locator('button.conn-follow[data-follow="0"]').click();
    let f = await frameWith('.follow-body');
    await until('follow text (connections)', () => followText(f), (t) => t.includes('HTTP GET /index.html HTTP/1.1'));

    await s.runCommand('View: Close All Editors');
    await openCapture(NAME);
    cap = await frameWith('#packet-grid');
    await until('capture rows', () => cap.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n === 11);
    await cap.locator('#flow-graph').click();
    const flow = await frameWith('.flow-body');
    const arrow = flow.locator('.flow-row[data-index="4"] .flow-label');
    await arrow.waitFor({ state: 'visible', timeout: 15_000 });
    await arrow.dblclick({ force: true });
    f = await frameWith('.follow-body');
    await until('follow text (flow graph)', () => followText(f), (t) => t.includes('[1,448 bytes not captured]'));
  });
  it('HTTP mode: a gzip response of stream 1 shown with its decoded body; the list with ports, App and Wireshark\'s Info', async () => {
    await s.runCommand('View: Close All Editors');
    await openCapture(APPS);
    const cap = await frameWith('#packet-grid');
    await until('capture rows', () => cap.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n >= 20);
    // the list as the README shows it: the App column on, Wireshark's Info wording
    await cap.locator('#columns-button').click();
    await cap.locator('#columns-panel').waitFor({ state: 'visible', timeout: 5_000 });
    await cap.locator('#col-toggle-app').click();
    // App after Protocol (it is added last): up past States, Info and Length
    for (let k = 0; k < 3; k++) await cap.locator('[data-col="app"] .col-move').first().click();
    await cap.locator('#columns-button').click();
    await cap.locator('#columns-panel').waitFor({ state: 'hidden', timeout: 5_000 });
    await cap.locator('#info-style').selectOption('wireshark');
    const get = await until('the GET row in Wireshark\'s words', () => cap.locator(`.rows .row[data-index="${gzipGet}"]`).innerText(), (t) => t.includes('GET /news HTTP/1.1'));
    assert.match(get, /10\.0\.0\.1:41001/, 'the source with its port');
    assert.match(get, /HTTP/, 'the App column');
    const dnsRow = await cap.locator('.rows .row[data-index="1"]').innerText();
    assert.match(dnsRow, /Standard query response 0x1234 A example\.com A 93\.184\.216\.34/);
    await s.screenshot('packet-list-apps');
    fs.copyFileSync(path.join(repoRoot(), 'test-results', 'e2e', 'packet-list-apps.png'), path.join(repoRoot(), 'media', 'screenshots', 'packet-list-apps.png'));

    await cap.locator(`.rows .row[data-index="${gzipGet}"]`).click();
    await until('capture selection', () => selectedRows(cap), (v) => v.length === 1 && v[0] === String(gzipGet));
    await cap.locator('#follow-stream').click();
    const f = await frameWith('.follow-body');
    await until('follow text', () => followText(f), (t) => t.includes('GET /news HTTP/1.1'));
    await f.locator('#follow-mode').evaluateAll((els) => {
      const sel = els[0] as HTMLSelectElement;
      sel.value = 'http';
      sel.dispatchEvent(new Event('change'));
    });
    const text = await until('decoded body', () => followText(f), (t) => t.includes('<p>line 0: the quick brown fox</p>'));
    assert.match(text, /HTTP HTTP\/1\.1 200 OK\n {2}Content-Type: text\/html\n {2}Content-Encoding: gzip\n/);
    assert.match(text, /body: 6,000 bytes \([\d,]+ on the wire, content-length\), gzip decoded/);
    assert.match(text, /packets #16 · no body/, 'the request: its packet, no body');
    const summary = await f.locator('.follow-summary').innerText();
    assert.match(summary, /10\.0\.0\.1:41001/, 'stream 1 is followed');
    await s.page.waitForTimeout(300);
    await s.screenshot('follow-http');
    fs.copyFileSync(path.join(repoRoot(), 'test-results', 'e2e', 'follow-http.png'), path.join(repoRoot(), 'media', 'screenshots', 'follow-http.png'));
  });
});
