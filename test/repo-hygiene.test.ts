/**
 * What a fresh clone needs from the repository itself: every test that cannot run here says why
 * (through test/helpers/skip.ts, so the reason is printed and listed at the end), the shared corpus
 * is found in one place (test/helpers/corpus.ts), and no file names a path of a development machine.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { skipBecause } from './helpers/skip';

const ROOT = path.resolve(__dirname, '..', '..');

/** The repository's tracked files (relative paths), or null outside a git checkout. */
function trackedFiles(): string[] | null {
  const r = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) return null;
  return r.stdout.split('\0').filter((f) => f && fs.existsSync(path.join(ROOT, f)));
}

function testSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(path.join(ROOT, 'test'));
  return out;
}

describe('repository: what a fresh clone needs', function () {
  it('every skip in the tests prints its reason (skipBecause, needCorpus, needTool; no bare skip())', function () {
    const bare: string[] = [];
    for (const f of testSources()) {
      if (f.endsWith(path.join('helpers', 'skip.ts'))) continue;
      fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        if (/\.skip\(\)/.test(line)) bare.push(`${path.relative(ROOT, f)}:${i + 1}`);
      });
    }
    assert.deepEqual(bare, []);
  });

  it('only test/helpers/corpus.ts locates the shared corpus', function () {
    const own: string[] = [];
    for (const f of testSources()) {
      if (f.endsWith(path.join('helpers', 'corpus.ts')) || path.basename(f) === 'repo-hygiene.test.ts') continue;
      const text = fs.readFileSync(f, 'utf8');
      if (/CAPTURE_LENS_CORPUS|'shared',\s*'corpus'/.test(text)) own.push(path.relative(ROOT, f));
    }
    assert.deepEqual(own, []);
  });

  it('no tracked file names an absolute path of a development machine', function () {
    const files = trackedFiles();
    if (!files) skipBecause(this, 'not a git checkout (git ls-files failed)');
    // Home and work folders as absolute paths: a slash before them, not part of a longer word or URL path.
    const machinePath = new RegExp(String.raw`(?<![\w.~/-])/(?:${['work', 'home', 'root', 'Users'].join('|')})/[\w.-]`);
    const hits: string[] = [];
    for (const f of files) {
      const buf = fs.readFileSync(path.join(ROOT, f));
      if (buf.includes(0)) continue; // binary (screenshots, icon)
      buf.toString('utf8').split('\n').forEach((line, i) => {
        if (machinePath.test(line)) hits.push(`${f}:${i + 1}: ${line.trim().slice(0, 100)}`);
      });
    }
    assert.deepEqual(hits, []);
  });
});
