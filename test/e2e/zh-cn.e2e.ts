/**
 * Simplified Chinese in a real VS Code: code-server runs with --locale zh-cn (and a minimal
 * language pack, see test/e2e/harness/index.ts), so vscode.env.language is zh-cn. The hovers, the
 * TCP-state CodeLens, the capture editor, the flow graph (l10n/bundle.l10n.zh-cn.json) and the
 * walkthrough (package.nls.zh-cn.json) speak Chinese, while packet-derived text (addresses,
 * flags, state names) stays as tcpdump and the RFC write it. Screenshots need a CJK font
 * (scripts/e2e-setup.sh installs fonts-wqy-microhei); the DOM has the text either way.
 * Run by `npm run test:e2e`; harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import { openCapture, Session, startSession } from './harness';

describe('e2e: Simplified Chinese (code-server --locale zh-cn)', function () {
  this.timeout(60_000);
  let s: Session;

  before(async function () {
    this.timeout(120_000);
    s = await startSession({ locale: 'zh-cn' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) {
      await s.screenshot(`failed-zh-cn-${this.currentTest.title}`).catch(() => undefined);
    }
    await s?.page.keyboard.press('Escape').catch(() => undefined);
    await s?.page.mouse.move(5, 5).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
  });

  it('the CodeLens speaks Chinese: the handshake step and the flow graph lens', async () => {
    await s.openFile('handshake-data-teardown.tcpdump');
    const lenses = await s.codeLensTexts({ timeout: 10_000 });
    assert.ok(lenses.some((l) => l.includes('握手 2/3') && l.includes('SYN_RCVD')), JSON.stringify(lenses));
    assert.ok(lenses.includes('流图'), JSON.stringify(lenses));
  });

  it('the hover on [S.] explains step 2 of the handshake in Chinese', async () => {
    const text = await s.hoverWord('[S.]');
    assert.match(text, /三次握手第 2 步/, text);
    assert.match(text, /SYN_RCVD/, text);
    await s.screenshot('zh-cn-hover-syn-ack');
  });
  it('the "流图" lens opens the flow graph with Chinese labels around the packets', async () => {
    await s.clickCodeLens('流图');
    const f = await s.webviewFrame('.flow-body');
    await f.locator('.flow-row .flow-label').first().waitFor({ timeout: 15_000 });
    assert.equal((await f.locator('[data-action="exportSvg"]').innerText()).trim(), '导出 SVG…');
    assert.equal((await f.locator('[data-action="copyText"]').innerText()).trim(), '复制为文本');
    assert.deepEqual(await f.locator('.flow-bracket-label').allInnerTexts(), ['三次握手', '四次挥手']);
    // what the packets say stays as tcpdump and the RFC write it
    assert.deepEqual((await f.locator('.flow-row .flow-label').allInnerTexts()).slice(0, 3), ['SYN', 'SYN, ACK', 'ACK']);
    assert.ok((await f.locator('.flow-state[data-state="TIME_WAIT"]').count()) > 0);
    await s.screenshot('zh-cn-flow-graph');
  });
  it('the capture editor labels its views in Chinese', async () => {
    await openCapture(s, 'handshake-data-teardown.pcap');
    const f = await s.webviewFrame('#packet-grid');
    await f.locator('#flow-graph').waitFor({ timeout: 15_000 });
    assert.equal((await f.locator('#flow-graph').innerText()).trim(), '流图');
    const tabs = await f.locator('[role="tab"]').allInnerTexts();
    assert.ok(tabs.some((t) => t.trim() === '数据包详情'), JSON.stringify(tabs));
    await s.screenshot('zh-cn-capture-editor');
    // issue 14: the Connections tab's "Limited by" column and the one connection's performance section
    await f.locator('#tab-conns').click();
    await f.locator('#conn-perf h3').filter({ hasText: '连接 0 的性能' }).first().waitFor({ timeout: 15_000 });
    assert.ok((await f.locator('table.conns thead').innerText()).includes('受限于'));
    await f.locator('#conn-perf .verdict-none, #conn-perf .verdict').first().waitFor({ timeout: 15_000 });
    assert.match(await f.locator('#conn-perf').innerText(), /结论：这里测得的各项都没有拖慢连接。|如何改进：/);
  });
  it('the walkthrough is in Chinese: its title, its four steps and the first step\'s page', async () => {
    await s.runCommand('Welcome: Open Walkthrough...');
    await s.quickPick('Capture Lens', 'Capture Lens 入门');
    const details = '.gettingStartedSlideDetails';
    await s.page.locator(`${details} h2.category-title`).filter({ hasText: 'Capture Lens 入门' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    const steps = (await s.page.locator(`${details} .getting-started-step .step-title`).allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(steps, ['打开抓包文件', '在 tcpdump 日志里悬停标志位', '看懂 TCP 状态提示', '打开流图']);
    const button = s.page.locator(`${details} .getting-started-step.expanded .button-container .monaco-button`).first();
    assert.equal((await button.innerText()).trim(), '打开示例抓包');
    await s.screenshot('zh-cn-walkthrough');
  });
});
