// Bundles every runtime entry point into dist/ with esbuild.
//   node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

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

const builds = [
  // Extension host (Node): vscode is provided by the editor at run time.
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, platform: 'node', format: 'cjs', outdir: 'dist', external: ['vscode'] },
  // Decoding worker (worker_threads in the extension host).
  { ...common, entryPoints: { worker: 'src/worker/worker.ts' }, platform: 'node', format: 'cjs', outdir: 'dist' },
  // Command-line interface; main() runs when it is the entry module (bin/capture-lens.js requires it).
  // `capture-lens --version` prints package.json's version, fixed here so the CLI reads no file for it.
  { ...common, entryPoints: { cli: 'src/cli.ts' }, platform: 'node', format: 'cjs', outdir: 'dist', define: { CAPTURE_LENS_VERSION: JSON.stringify(version) } },
];
// Webview bundles (browser), when present.
for (const [name, entry] of [['webview', 'media/main.ts'], ['capture', 'media/capture/main.ts'], ['flow', 'media/flow/main.ts']]) {
  if (existsSync(entry)) builds.push({ ...common, entryPoints: { [name]: entry }, platform: 'browser', format: 'iife', outdir: 'dist', target: 'es2022' });
}
// Webview style sheets (the capture editor's: dist/capture.css).
for (const [name, entry] of [['capture', 'media/capture/capture.css'], ['flow', 'media/flow/flow.css']]) {
  if (existsSync(entry)) builds.push({ ...common, entryPoints: { [name]: entry }, outdir: 'dist', target: 'chrome120' });
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
