// Bundles every runtime entry point into dist/ with esbuild.
//   node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { Buffer } from 'node:buffer';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as vm from 'node:vm';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  target: 'node20',
};

// l10n/bundle.l10n.zh-cn.json, for the browser's decoding worker (it reads no file of the extension)
const zhBundle = readFileSync(new URL('../l10n/bundle.l10n.zh-cn.json', import.meta.url), 'utf8');

const builds = [
  // Extension host (Node): vscode is provided by the editor at run time.
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, platform: 'node', format: 'cjs', outdir: 'dist', external: ['vscode'] },
  // Decoding worker (worker_threads in the extension host).
  { ...common, entryPoints: { worker: 'src/worker/worker.ts' }, platform: 'node', format: 'cjs', outdir: 'dist' },
  // Command-line interface: dist/cli.js is a small launcher (src/cliLauncher.ts; bin/capture-lens.js requires it)
  // that loads dist/cli-print.js (src/cliPrint.ts: print only, 400 KB) for `print` and dist/cli-main.js (src/cli.ts:
  // every command, 760 KB) for the rest — V8 compiles all of a file it loads, 10 ms less before print's first packet.
  // `capture-lens --version` prints package.json's version, fixed here so the CLI reads no file for it.
  { ...common, entryPoints: { cli: 'src/cliLauncher.ts' }, platform: 'node', format: 'cjs', outdir: 'dist', external: ['./cli-main.js', './cli-print.js'] },
  { ...common, entryPoints: { 'cli-main': 'src/cli.ts', 'cli-print': 'src/cliPrint.ts' }, platform: 'node', format: 'cjs', outdir: 'dist', define: { CAPTURE_LENS_VERSION: JSON.stringify(version) } },
];
// VS Code for the Web (issue 17, package.json "browser"): the extension for the browser's extension host and the
// decoding worker as a Web Worker. Platform "browser": esbuild fails on any node:* import, which is the check that
// nothing of Node reached them (test/web-bundle.test.ts also reads the built files).
const web = { ...common, platform: 'browser', target: 'es2022', outdir: 'dist/web', metafile: true };
builds.push(
  { ...web, entryPoints: { extension: 'src/extension/web.ts' }, format: 'cjs', external: ['vscode'], define: { CAPTURE_LENS_ZH_BUNDLE: zhBundle } },
  { ...web, entryPoints: { worker: 'src/worker/webWorker.ts' }, format: 'iife', define: { CAPTURE_LENS_ZH_BUNDLE: zhBundle } },
);
// Webview bundles (browser). They may bundle media/ and the pure core, never host code (src/extension, src/worker,
// src/node): a type import from there vanishes, a value import would ship host code into the page — checked below.
for (const [name, entry] of [['capture', 'media/capture/main.ts'], ['flow', 'media/flow/main.ts'], ['graphs', 'media/graphs/main.ts'], ['follow', 'media/follow/main.ts']]) {
  builds.push({ ...common, entryPoints: { [name]: entry }, platform: 'browser', format: 'iife', outdir: 'dist', target: 'es2022', metafile: true });
}
// Webview style sheets (dist/capture.css, dist/flow.css, dist/graphs.css, dist/follow.css).
for (const [name, entry] of [['capture', 'media/capture/capture.css'], ['flow', 'media/flow/flow.css'], ['graphs', 'media/graphs/graphs.css'], ['follow', 'media/follow/follow.css']]) {
  builds.push({ ...common, entryPoints: { [name]: entry }, outdir: 'dist', target: 'chrome120' });
}

/**
 * dist/cli-print.cache: V8's code cache of dist/cli-print.js (what compiling it leaves, made here so that `print`
 * need not compile it at each start: 9 ms of its 30 ms over node's own start-up), after the source it was made
 * from: [source length, u32 LE][source][cache]. dist/cli.js (src/cliLauncher.ts) uses it only when that source
 * is byte for byte the file beside it, and V8 only when this node version and its flags made it; else the file
 * is compiled as usual. A watch build leaves it stale: then it is not used.
 */
function writeCodeCache(js, cacheFile) {
  const source = readFileSync(js);
  // the wrapper src/cliLauncher.ts puts around it (WRAP_HEAD, WRAP_TAIL: node's Module.wrap)
  const wrapped = '(function (exports, require, module, __filename, __dirname) { ' + source.toString('utf8') + '\n});';
  const data = new vm.Script(wrapped, { filename: js }).createCachedData();
  const head = Buffer.alloc(4);
  head.writeUInt32LE(source.length);
  writeFileSync(cacheFile + '.part', Buffer.concat([head, source, data]));
  renameSync(cacheFile + '.part', cacheFile);
}

/** The inputs of a webview bundle that are neither media/ nor src/core/ (esbuild's metafile). */
function hostInputs(metafile) {
  return Object.keys(metafile.inputs).filter((f) => !f.startsWith('media/') && !f.startsWith('src/core/'));
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const bad = results.flatMap((r, i) => (r.metafile && !builds[i].outdir.startsWith('dist/web') ? hostInputs(r.metafile).map((f) => `${Object.keys(builds[i].entryPoints)[0]}: ${f}`) : []));
  if (bad.length) {
    console.error(`build: a webview bundle takes code that is not media/ or src/core/ (import it as \`import type\`, or move it to src/core/):\n  ${bad.join('\n  ')}`);
    process.exit(1);
  }
  writeCodeCache('dist/cli-print.js', 'dist/cli-print.cache');
}
