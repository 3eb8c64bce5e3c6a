/**
 * The CLI on its own: `npm pack` makes a tarball with only what the CLI needs (.npmignore), and
 * `npm install -g` of that tarball into a scratch prefix gives a `capture-lens` that runs from any
 * folder — printing a sample as the checkout's CLI does, in English and (its l10n bundle shipped)
 * in Chinese. Offline: the package has no runtime dependencies.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { samplesDir } from './helpers/generated';
import { needTool } from './helpers/tools';
import { skipBecause } from './helpers/skip';

const ROOT = [path.resolve(__dirname, '..', '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'dist', 'cli.js')) && fs.existsSync(path.join(d, 'package.json')));

describe('the CLI on its own: npm pack, npm install -g, capture-lens anywhere', function () {
  this.timeout(120000);
  let dir = '';
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('installs from the packed tarball and prints a sample as the checkout does', function () {
    if (!ROOT) return skipBecause(this, 'dist/cli.js is not built (npm run build)');
    needTool(this, 'npm');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-pack-'));
    // --ignore-scripts: dist/ is built already (pretest); packing must not rebuild it under the other tests
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const info = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info[0].files.map((f) => f.path).sort();
    assert.deepEqual(files.filter((f) => !/^(README(\.zh-cn)?\.md|CHANGELOG\.md|LICENSE|package\.json)$/.test(f)), ['bin/capture-lens.js', 'dist/cli-main.js', 'dist/cli-print.cache', 'dist/cli-print.js', 'dist/cli.js', 'l10n/bundle.l10n.zh-cn.json']);

    const prefix = path.join(dir, 'prefix');
    const inst = spawnSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, path.join(dir, info[0].filename)], { encoding: 'utf8' });
    assert.equal(inst.status, 0, inst.stderr);
    const bin = path.join(prefix, process.platform === 'win32' ? 'capture-lens.cmd' : 'bin/capture-lens');
    assert.ok(fs.existsSync(bin), `${bin} installed`);

    const sample = path.join(samplesDir(), 'reset.pcap'); // samples/ is generated (git-ignored): a fresh clone has none
    const elsewhere = fs.mkdtempSync(path.join(dir, 'cwd-'));
    const theirs = spawnSync(bin, ['print', sample], { cwd: elsewhere, encoding: 'utf8' });
    const ours = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'capture-lens.js'), 'print', sample], { encoding: 'utf8' });
    assert.equal(theirs.status, 0, theirs.stderr);
    assert.ok(theirs.stdout.includes('Flags [S]'), theirs.stdout);
    assert.equal(theirs.stdout, ours.stdout);

    const zh = spawnSync(bin, ['conns', '--zh', sample], { cwd: elsewhere, encoding: 'utf8' });
    assert.equal(zh.status, 0, zh.stderr);
    assert.match(zh.stdout, /客户端/);
    const version = spawnSync(bin, ['--version'], { cwd: elsewhere, encoding: 'utf8' });
    assert.equal(version.stdout.trim().replace(/^capture-lens\s+/, ''), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
});
