/**
 * Issue 17: every colour the webviews draw is ours to theme. package.json contributes each as
 * `captureLens.<name>` with a default for the light, dark, high-contrast and high-contrast-light
 * themes and a description in English and Chinese; media/ reads them as `--vscode-captureLens-<name>`
 * (VS Code puts every registered colour into a webview under that name), so a user's
 * `workbench.colorCustomizations` reaches the views. The high-contrast defaults are solid (no alpha),
 * and the packet rows' keep the theme's text readable on them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const THEMES = ['light', 'dark', 'highContrast', 'highContrastLight'] as const;

interface ColorContribution {
  id: string;
  description: string;
  defaults: Record<string, string>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { colors?: ColorContribution[] } };
const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsZh = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
const colors = pkg.contributes.colors ?? [];

/** Every file of media/ (style sheets and scripts) with its text. */
function mediaSources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(css|ts)$/.test(e.name)) out.push({ file: path.relative(ROOT, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(ROOT, 'media'));
  return out;
}

/** WCAG 2 relative luminance of #RRGGBB. */
function luminance(hex: string): number {
  const ch = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = ch.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('theme colours (issue 17)', function () {
  it('package.json contributes captureLens.* colours', function () {
    assert.ok(colors.length >= 20, `only ${colors.length} colours contributed`);
    for (const c of colors) assert.match(c.id, /^captureLens\.[a-z][A-Za-z]+$/, c.id);
    assert.equal(new Set(colors.map((c) => c.id)).size, colors.length, 'a colour id is contributed twice');
  });

  it('every contributed colour has all four theme defaults, each a colour or a colour id', function () {
    for (const c of colors) {
      assert.deepEqual(Object.keys(c.defaults ?? {}).sort(), [...THEMES].sort(), `${c.id}: defaults ${JSON.stringify(c.defaults)}`);
      for (const t of THEMES) {
        assert.match(c.defaults[t], /^(#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*)$/, `${c.id}.${t}: ${c.defaults[t]}`);
      }
    }
  });

  it('every contributed colour has a description in English and in Chinese', function () {
    for (const c of colors) {
      const m = /^%(.+)%$/.exec(c.description ?? '');
      assert.ok(m, `${c.id}: the description "${c.description}" is not a package.nls key`);
      const en = nls[m[1]];
      const zh = nlsZh[m[1]];
      assert.ok(en && en.length > 10, `${c.id}: no English description for ${m[1]}`);
      assert.ok(zh && /[\u4e00-\u9fff]/.test(zh), `${c.id}: no Chinese description for ${m[1]}`);
      assert.notEqual(zh, en, `${c.id}: the Chinese description is the English one`);
    }
  });

  it('high-contrast defaults are solid: no alpha in a high-contrast hex colour', function () {
    for (const c of colors) {
      for (const t of ['highContrast', 'highContrastLight'] as const) {
        const v = c.defaults[t];
        if (!v.startsWith('#')) continue; // a theme colour id: the theme's own high-contrast value
        assert.ok(v.length === 4 || v.length === 7 || /ff$/i.test(v), `${c.id}.${t} is translucent: ${v}`);
      }
    }
  });

  it("packet-row backgrounds in high contrast: the theme's text at 7:1 or more (WCAG AAA), and unlike the editor's background", function () {
    // VS Code's high-contrast themes: foreground #FFFFFF on #000000, and #292929 on #FFFFFF.
    const themes = { highContrast: { fg: '#FFFFFF', bg: '#000000' }, highContrastLight: { fg: '#292929', bg: '#FFFFFF' } } as const;
    const rows = ['synBackground', 'finBackground', 'rstBackground', 'warningBackground', 'malformedBackground'];
    for (const name of rows) {
      const c = colors.find((x) => x.id === 'captureLens.' + name);
      assert.ok(c, `captureLens.${name} is not contributed`);
      for (const [t, { fg, bg }] of Object.entries(themes)) {
        const v = c.defaults[t];
        assert.match(v, /^#[0-9a-fA-F]{6}$/, `${c.id}.${t} must be a solid #RRGGBB colour, not ${v}`);
        assert.ok(contrast(fg, v) >= 7, `${c.id}.${t} ${v}: text contrast ${contrast(fg, v).toFixed(2)}:1`);
        assert.ok(contrast(bg, v) >= 1.2, `${c.id}.${t} ${v} is hard to tell from the background ${bg}`);
      }
    }
    // and the five kinds differ from each other in each theme
    for (const t of Object.keys(themes)) {
      const values = rows.map((n) => colors.find((x) => x.id === 'captureLens.' + n)?.defaults[t]?.toLowerCase());
      assert.equal(new Set(values).size, rows.length, `${t}: ${values.join(' ')}`);
    }
  });

  it('every --vscode-captureLens-* used in media/ is contributed, and every contributed colour is used', function () {
    const contributed = new Set(colors.map((c) => '--vscode-' + c.id.replace(/\./g, '-')));
    const used = new Map<string, string>();
    for (const { file, text } of mediaSources()) {
      for (const m of text.matchAll(/--vscode-captureLens-[A-Za-z0-9-]+/g)) if (!used.has(m[0])) used.set(m[0], file);
    }
    for (const [v, file] of used) assert.ok(contributed.has(v), `${file} uses ${v}, which package.json does not contribute`);
    for (const v of contributed) assert.ok(used.has(v), `${v} is contributed but no view in media/ uses it`);
  });
});
