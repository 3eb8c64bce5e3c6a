/**
 * The zh-cn bundle outside VS Code: the CLI (`conns --zh`) and the worker (ConnJson.messageZh)
 * read the same l10n/bundle.l10n.zh-cn.json the extension gets through vscode.l10n.t, so a
 * sentence has one translation wherever it is shown.
 *
 * Where the bundle is: l10n/ at the package root, beside dist/ (dist/cli.js, dist/worker.js,
 * dist/extension.js: one level up) or, for the compiled tests, out/src/node/ (three levels up).
 * We look in l10n/ of each directory above this file, nearest first, and stop at the first hit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bundleTranslator, type Translate } from '../core/explain/l10n';

const ZH_CN = 'bundle.l10n.zh-cn.json';

/** The path of l10n/<file> of the package, or null when no directory above this file has it. */
function findBundle(file: string): string | null {
  let dir = __dirname;
  for (;;) {
    const p = path.join(dir, 'l10n', file);
    if (fs.existsSync(p)) return p;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

let zh: Translate | undefined;

/**
 * The Simplified Chinese translator: vscode.l10n.t's lookup (English template → translation,
 * then {n} filled in) over the zh-cn bundle. Throws when the package has no bundle (a broken
 * install: it ships in l10n/), rather than printing English where Chinese was asked for.
 */
export function zhCn(): Translate {
  if (zh === undefined) {
    const p = findBundle(ZH_CN);
    if (p === null) throw new Error(`the Chinese messages (l10n/${ZH_CN}) are missing from this installation`);
    zh = bundleTranslator(JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, string>);
  }
  return zh;
}
