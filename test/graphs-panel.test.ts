/**
 * Pure parts of the Graphs panel: what its host accepts from the webview
 * (src/extension/graphs/messages.ts), its strings in English and Chinese (./strings.ts), and the
 * webview's number formatting (media/graphs/format.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import { MAX_EXPORT_CHARS, parseFromWebview } from '../src/extension/graphs/messages';
import { graphsUiStrings } from '../src/extension/graphs/strings';
import { fill, ticks, valueText } from '../media/graphs/format';

const ROOT = [path.resolve(__dirname, '..', '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'l10n', 'bundle.l10n.zh-cn.json'))) ?? process.cwd();

describe('Graphs panel: messages from the webview', () => {
  const ok = { kind: 'tseq', dir: 1, t0: 0, t1: 2.5, width: 800 };

  it('takes well-formed messages', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'series', id: 3, request: ok, extra: 1 }), { type: 'series', id: 3, request: ok });
    assert.deepEqual(parseFromWebview({ type: 'choose', index: 41 }), { type: 'choose', index: 41 });
    assert.deepEqual(parseFromWebview({ type: 'export', format: 'svg', data: '<svg/>' }), { type: 'export', format: 'svg', data: '<svg/>' });
    assert.ok(parseFromWebview({ type: 'export', format: 'png', data: 'data:image/png;base64,AAAA' }));
  });

  it('rejects what could reach the worker or the disk unchecked', () => {
    const bad: unknown[] = [
      null,
      'series',
      { type: 'series', id: -1, request: ok },
      { type: 'series', id: 1, request: { ...ok, kind: 'flow' } },
      { type: 'series', id: 1, request: { ...ok, dir: 2 } },
      { type: 'series', id: 1, request: { ...ok, t0: 3, t1: 2 } },
      { type: 'series', id: 1, request: { ...ok, t1: Infinity } },
      { type: 'series', id: 1, request: { ...ok, t0: NaN } },
      { type: 'series', id: 1, request: { ...ok, width: 0 } },
      { type: 'series', id: 1, request: { ...ok, width: 1e6 } },
      { type: 'series', id: 1, request: { ...ok, width: 10.5 } },
      { type: 'series', id: 1 },
      { type: 'choose', index: -1 },
      { type: 'choose', index: '3' },
      { type: 'export', format: 'pdf', data: '<svg/>' },
      { type: 'export', format: 'svg', data: '<script>' },
      { type: 'export', format: 'png', data: 'data:text/html,<b>' },
      { type: 'export', format: 'svg', data: '<svg' + ' '.repeat(MAX_EXPORT_CHARS) },
      { type: 'open', path: '/etc/passwd' },
    ];
    for (const m of bad) assert.equal(parseFromWebview(m), null, JSON.stringify(m)?.slice(0, 80));
  });
});

describe('Graphs panel: strings and numbers', () => {
  it('every UI string has its Chinese translation', () => {
    const zh = bundleTranslator(JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>);
    const en = graphsUiStrings(formatEn);
    const cn = graphsUiStrings(zh);
    const flat = (s: typeof en): string[] => Object.values(s).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)));
    const a = flat(en);
    const b = flat(cn);
    a.forEach((s, i) => assert.notEqual(b[i], s, `untranslated: ${s}`));
  });

  it('formats values in their unit and makes round ticks', () => {
    assert.equal(valueText(1_500_000, 'Bps'), '1.50 MB/s');
    assert.equal(valueText(12.345, 'ms'), '12.35 ms');
    assert.equal(valueText(0.25, 'ms'), '0.250 ms');
    assert.equal(valueText(65535, 'bytes'), '65.5 kB');
    assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(ticks(0.013, 0.0172, 4), [0.014, 0.016]);
    assert.equal(fill('{0} of {1}', 'a', 2), 'a of 2');
  });
});
