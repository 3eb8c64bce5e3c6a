/**
 * The marketplace page and the release notes (issue 17): what the manifest says about the extension
 * where people find it, and that the CHANGELOG's newest release is the version package.json ships,
 * with a date.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsZh = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;

describe('marketplace page and release notes', () => {
  it('categories that fit (not Other), the keywords people search, a gallery banner', () => {
    const cats = pkg.categories as string[];
    assert.ok(!cats.includes('Other'), 'Other says nothing');
    for (const c of ['Programming Languages', 'Visualization', 'Education']) assert.ok(cats.includes(c), c);
    const kw = pkg.keywords as string[];
    for (const k of ['packet capture', 'pcap viewer', 'tshark', 'network', 'tcp state', 'netstat', '抓包']) assert.ok(kw.includes(k), k);
    // the marketplace shows at most 30 keywords (vsce refuses more)
    assert.ok(kw.length <= 30);
    const banner = pkg.galleryBanner as { color: string; theme: string };
    assert.match(banner.color, /^#[0-9a-fA-F]{6}$/);
    assert.ok(['dark', 'light'].includes(banner.theme));
  });

  it('a display name with a descriptive suffix, in English and Chinese', () => {
    assert.equal(pkg.displayName, '%displayName%');
    for (const name of [nls.displayName, nlsZh.displayName]) assert.match(name, /^Capture Lens — \S/);
  });

  it('the CHANGELOG names the version package.json ships, with a real date, newest first', () => {
    const text = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    const releases = [...text.matchAll(/^## (\d+\.\d+\.\d+) — (\d{4})-(\d{2})-(\d{2})$/gm)];
    assert.ok(releases.length > 0, 'no dated release');
    const [, version, y, m, d] = releases[0];
    assert.equal(version, pkg.version);
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    assert.equal(date.getUTCDate(), Number(d), 'a date that exists');
    // newest first: each release's date is not after the one above it
    for (let i = 1; i < releases.length; i++) assert.ok(releases[i][0].slice(-10) <= releases[i - 1][0].slice(-10));
  });
});
