/**
 * dist/cli.js, the command line's entry (bin/capture-lens.js requires it; `node dist/cli.js` runs it):
 * it loads the print-only bundle (dist/cli-print.js, src/cliPrint.ts) for `print` and the whole CLI
 * (dist/cli-main.js, src/cli.ts) for every other command. V8 compiles (pre-parses) all of a file it
 * loads, and print is the command timed against tcpdump, whose whole run on the bench's real 200,000
 * packets takes 0.22 s: loading the whole 760 KB bundle took 38 ms over node's own start-up (60 ms on the
 * bench machine), the 400 KB print bundle 28 ms, and with its code cache (dist/cli-print.cache, made by
 * scripts/build.mjs) about 20 ms.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * The CommonJS wrapper around a module's source, as node's Module.wrap writes it (importing node:module for it
 * took 2.3 ms of print's start-up). scripts/build.mjs makes the cache from the same text: V8 refuses a cache made
 * from a source of another length, so a wrapper that differs there makes the test of the cache fail.
 */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';

type WholeCli = typeof import('./cli');
type PrintCli = typeof import('./cliPrint');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const whole = (): WholeCli => require('./cli-main.js');

/** How the print bundle was loaded: from its code cache, or compiled as usual (no cache, a stale one, or V8 refused it). */
export let printLoaded: 'code cache' | 'compiled' | null = null;

/**
 * dist/cli-print.js, compiled with its code cache when dist/cli-print.cache was made from exactly these bytes
 * (see writeCodeCache in scripts/build.mjs), else required as any module. A cache V8 refuses (another node
 * version or flags: an npm-installed CLI whose node is not the packer's; a cut cache) leaves the script compiled
 * as require would have: it is run as it is, not required again (that compiled the 400 KB twice, 36 ms against
 * require's 25 ms).
 */
export function loadPrint(dir: string = __dirname): PrintCli {
  const file = path.join(dir, 'cli-print.js');
  let script: vm.Script | null = null;
  try {
    const source = fs.readFileSync(file);
    const cache = fs.readFileSync(path.join(dir, 'cli-print.cache'));
    const n = cache.length >= 4 ? cache.readUInt32LE(0) : -1;
    if (n === source.length && cache.length > 4 + n && source.equals(cache.subarray(4, 4 + n))) {
      script = new vm.Script(WRAP_HEAD + source.toString('utf8') + WRAP_TAIL, { filename: file, cachedData: cache.subarray(4 + n) });
    }
  } catch {
    // no cache (or no source: the require below says so)
  }
  if (!script) {
    printLoaded = 'compiled';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file);
  }
  // run outside the try: a module that throws as it loads must not be loaded a second time by the require above
  printLoaded = script.cachedDataRejected ? 'compiled' : 'code cache';
  const mod = { exports: {} as PrintCli };
  script.runInThisContext()(mod.exports, require, mod, file, dir);
  return mod.exports;
}

/** Run the CLI as a process (src/cli.ts's run, or for `print` src/cliPrint.ts's). */
export function run(argv: string[] = process.argv.slice(2)): void {
  if (argv[0] === 'print') loadPrint().run(argv);
  else whole().run(argv);
}

/** src/cli.ts's main: the exit status of one command. */
export function main(argv: string[]): Promise<number> {
  return whole().main(argv);
}

if (require.main === module) run();
