/**
 * Issue 17 in a real VS Code (code-server 4.96.4 + Chromium): the capture editor and the flow graph
 * in "Default High Contrast" and "Default High Contrast Light" (the workbench.colorTheme setting,
 * rewritten in the profile's settings.json while the window runs), on samples/reset.pcap (handshake,
 * data, a reset). Checked by computed styles in the webviews: the SYN and RST rows' backgrounds are
 * the captureLens.* high-contrast defaults of package.json, solid, unlike a plain row's and each
 * other's, with the row's text at 7:1 or more on them; the selected row is outlined; the flow graph's
 * SYN and RST arrows differ from a plain one; and a workbench.colorCustomizations override of
 * captureLens.rstBackground / captureLens.flowRstArrow reaches both webviews, and one of
 * captureLens.graphAck repaints the Graphs panel's already drawn ACK line. Screenshots are copied
 * to media/screenshots/hc-*.png for the README. Harness in test/e2e/harness/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, Session, sessionHelpers, startSession, until, type WebviewFrame as Frame } from './harness';

type Style = { bg: string; color: string; stroke: string; outlineStyle: string; outlineWidth: string; boxShadow: string };

const SAMPLE = 'reset.pcap';
const PLAIN_ROW = '.rows .row:not(.loading):not([hidden]):not(.k-syn):not(.k-fin):not(.k-rst):not(.k-warn):not(.k-bad)';
const PLAIN_ARROW = '.flow-row:not(.loading):not(.k-syn):not(.k-fin):not(.k-rst):not(.k-warn) .flow-arrow';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
  contributes: { colors: { id: string; defaults: Record<string, string> }[] };
};
/** A contributed colour's default in a theme, as getComputedStyle writes it. */
function defaultRgb(id: string, theme: 'highContrast' | 'highContrastLight'): string {
  const hex = pkg.contributes.colors.find((c) => c.id === id)?.defaults[theme] ?? '';
  assert.match(hex, /^#[0-9a-fA-F]{6}$/, `${id}.${theme}`);
  return rgb(hex);
}
function rgb(hex: string): string {
  return `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
}
/** WCAG contrast of two opaque computed colours ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const lum = (c: string): number => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((x) => Number(x) / 255);
    const lin = (v: number): number => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('e2e: high-contrast themes and colour customizations (issue 17)', function () {
  this.timeout(90_000);
  let s: Session;
  const { page, frameWith, capture, flow, openCapture } = sessionHelpers(() => s);

  /** Computed styles of the elements matching `selector` in a webview. */
  function styles(f: Frame, selector: string): Promise<Style[]> {
    return f.locator(selector).evaluateAll((els) =>
      els.map((e) => {
        const cs = getComputedStyle(e);
        return { bg: cs.backgroundColor, color: cs.color, stroke: cs.stroke, outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, boxShadow: cs.boxShadow };
      }),
    );
  }
  async function first(f: Frame, selector: string): Promise<Style> {
    const all = await until(selector, () => styles(f, selector), (v) => v.length > 0);
    return all[0];
  }

  /**
   * Merges `settings` into the user settings as a person does: "Preferences: Open User Settings
   * (JSON)", the whole text replaced by a paste, saved, its tab closed (code-server does not notice
   * a write to the file behind its back).
   */
  async function setUserSettings(settings: Record<string, unknown>): Promise<void> {
    const file = path.join(s.runDir, 'user-data', 'User', 'settings.json');
    const now = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const text = JSON.stringify({ ...now, ...settings }, null, 2);
    await s.runCommand('Preferences: Open User Settings (JSON)');
    await s.waitForActiveTab('settings.json');
    const lines = page().locator('.part.editor .editor-group-container.active .editor-instance .monaco-editor .view-lines').first();
    await lines.waitFor({ state: 'visible', timeout: 10_000 });
    await lines.click();
    await s.setClipboard(text);
    await s.page.keyboard.press('Control+A');
    await s.page.keyboard.press('Control+V');
    await s.page.keyboard.press('Control+S');
    const want = JSON.stringify(settings);
    await until(
      'settings.json saved',
      async () => {
        try {
          const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
          return JSON.stringify(Object.fromEntries(Object.keys(settings).map((k) => [k, saved[k]])));
        } catch {
          return '';
        }
      },
      (v) => v === want,
    );
    // its tab's close button (the palette's "View: Close Editor" can land on "Close All Editors")
    const tab = page().locator('.part.editor .tabs-container .tab').filter({ hasText: 'settings.json' }).first();
    await tab.locator('.tab-actions .action-label').first().click({ force: true });
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
  }
  const bodyClass = async (f: Frame): Promise<string> => (await f.locator('body').getAttribute('class')) ?? '';

  function keepScreenshot(name: string): void {
    const dir = path.join(repoRoot(), 'media', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(repoRoot(), 'test-results', 'e2e', `${name}.png`), path.join(dir, `${name}.png`));
  }

  /** The capture editor's rows in theme `theme`: SYN and RST solid, readable, unlike a plain row. */
  async function checkRows(f: Frame, theme: 'highContrast' | 'highContrastLight'): Promise<void> {
    const syn = await first(f, '.rows .row.k-syn:not(.selected)');
    const rst = await first(f, '.rows .row.k-rst:not(.selected)');
    const plain = await first(f, PLAIN_ROW + ':not(.selected)');
    assert.equal(syn.bg, defaultRgb('captureLens.synBackground', theme), 'SYN row');
    assert.equal(rst.bg, defaultRgb('captureLens.rstBackground', theme), 'RST row');
    assert.notEqual(syn.bg, plain.bg, 'a SYN row looks like a plain one');
    assert.notEqual(rst.bg, plain.bg, 'an RST row looks like a plain one');
    assert.notEqual(syn.bg, rst.bg);
    for (const [name, r] of [['SYN', syn], ['RST', rst]] as const) {
      assert.ok(contrast(r.color, r.bg) >= 7, `${name} row: text ${r.color} on ${r.bg} is ${contrast(r.color, r.bg).toFixed(2)}:1`);
      assert.notEqual(r.boxShadow, 'none', `${name} row has no contrastBorder bar`);
    }
    assert.equal(plain.boxShadow, 'none');
  }

  before(async function () {
    this.timeout(150_000);
    s = await startSession({
      viewport: { width: 1600, height: 1000 },
      settings: {
        'workbench.colorTheme': 'Default High Contrast',
        // the settings editor opened later must not take the place of a capture opened as a preview
        'workbench.editor.enablePreview': false,
      },
    });
    await page().locator('.part.editor').first().click();
    await s.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) {
      await s.screenshot(`failed-theme-${this.currentTest.title.slice(0, 60)}`).catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await s?.close();
  });

  it('Default High Contrast: SYN and RST rows are solid, readable and unlike plain rows; the selected row is outlined', async () => {
    await openCapture(SAMPLE);
    const f = await capture();
    await until('capture rows', () => f.locator('.rows .row:not(.loading):not([hidden])').count(), (n) => n >= 6);
    assert.match(await bodyClass(f), /\bvscode-high-contrast\b/);
    await checkRows(f, 'highContrast');
    // the selection: an outline (the theme leaves list.activeSelectionBackground unset)
    await f.locator(PLAIN_ROW).first().click();
    const sel = await first(f, '.rows .row.selected');
    assert.equal(sel.outlineStyle, 'solid');
    assert.notEqual(sel.outlineWidth, '0px');
    await s.screenshot('hc-capture-editor');
    keepScreenshot('hc-capture-editor');
  });

  it('Default High Contrast: the flow graph draws SYN and RST arrows unlike plain ones', async () => {
    const cap = await capture();
    await cap.locator('#flow-graph').click();
    const f = await flow();
    await until('flow rows', () => f.locator('.flow-row:not(.loading)').count(), (n) => n >= 6);
    const syn = await first(f, '.flow-row.k-syn .flow-arrow');
    const rst = await first(f, '.flow-row.k-rst .flow-arrow');
    const plain = await first(f, PLAIN_ARROW);
    assert.notEqual(syn.color, plain.color);
    assert.notEqual(rst.color, plain.color);
    assert.notEqual(syn.color, rst.color);
    await s.screenshot('hc-flow-graph');
    keepScreenshot('hc-flow-graph');
  });

  it('Default High Contrast Light: the same, with the light high-contrast defaults', async () => {
    await setUserSettings({ 'workbench.colorTheme': 'Default High Contrast Light' });
    const cap = await capture();
    await until('the capture webview in high contrast light', () => bodyClass(cap), (c) => /\bvscode-high-contrast-light\b/.test(c), 20_000);
    await checkRows(cap, 'highContrastLight');
    const f = await flow();
    await until('the flow webview in high contrast light', () => bodyClass(f), (c) => /\bvscode-high-contrast-light\b/.test(c));
    const syn = await first(f, '.flow-row.k-syn .flow-arrow');
    const rst = await first(f, '.flow-row.k-rst .flow-arrow');
    const plain = await first(f, PLAIN_ARROW);
    assert.notEqual(syn.color, plain.color);
    assert.notEqual(rst.color, plain.color);
    await s.screenshot('hc-light-capture-flow');
    keepScreenshot('hc-light-capture-flow');
  });

  it('a workbench.colorCustomizations override reaches both webviews', async () => {
    await setUserSettings({ 'workbench.colorCustomizations': { 'captureLens.rstBackground': '#aa00aa', 'captureLens.flowRstArrow': '#00aa00' } });
    const cap = await capture();
    await until('the RST row in the user\'s colour', async () => (await first(cap, '.rows .row.k-rst:not(.selected)')).bg, (bg) => bg === rgb('#aa00aa'), 20_000);
    const f = await flow();
    await until('the RST arrow in the user\'s colour', async () => (await first(f, '.flow-row.k-rst .flow-arrow')).color, (c) => c === rgb('#00aa00'));
  });

  it('the Graphs panel takes an overridden series colour without being redrawn (SVG styled by captureLens.graph*)', async () => {
    const cap = await capture();
    await cap.locator('#graphs').click();
    const g = await frameWith('svg.plot');
    const layer = 'svg.plot path.layer-ack';
    await until('the ACK line', () => g.locator(layer).count(), (n) => n > 0);
    // mark the drawn path: the check below reads this very element, so no redraw is involved
    await g.locator(layer).evaluateAll((els) => els.forEach((e) => e.setAttribute('data-drawn-before', '')));
    const before = (await first(g, layer + '[data-drawn-before]')).stroke;
    assert.notEqual(before, rgb('#0000aa'));
    // the settings editor opens in the active group: make it the capture editor's, so the graph stays in view
    await page().locator('.part.editor .tabs-container .tab[aria-label^="reset.pcap"]').first().click();
    await setUserSettings({
      'workbench.colorCustomizations': { 'captureLens.rstBackground': '#aa00aa', 'captureLens.flowRstArrow': '#00aa00', 'captureLens.graphAck': '#0000aa' },
    });
    await until('the ACK line in the user\'s colour', async () => (await first(g, layer + '[data-drawn-before]')).stroke, (c) => c === rgb('#0000aa'));
  });
});
