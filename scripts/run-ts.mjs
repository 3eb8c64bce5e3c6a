// Runs a TypeScript script of ours: bundles it (with the core it imports) by esbuild into
// .cache/ and runs it with the remaining arguments.   node scripts/run-ts.mjs scripts/bench.ts [args]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

const [entry, ...args] = process.argv.slice(2);
const out = path.join('.cache', path.basename(entry).replace(/\.ts$/, '.js'));
mkdirSync('.cache', { recursive: true });
await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'warning', sourcemap: true });
const r = spawnSync(process.execPath, ['--enable-source-maps', out, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
