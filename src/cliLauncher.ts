/**
 * dist/cli.js, the command line's entry (bin/capture-lens.js requires it; `node dist/cli.js` runs it):
 * it loads the print-only bundle (dist/cli-print.js, src/cliPrint.ts) for `print` and the whole CLI
 * (dist/cli-main.js, src/cli.ts) for every other command. V8 compiles (pre-parses) all of a file it
 * loads, and print is the command timed against tcpdump, whose whole run on the bench's real 200,000
 * packets takes 0.22 s: loading the whole 760 KB bundle took 38 ms over node's own start-up (60 ms on the
 * bench machine), the 400 KB print bundle 28 ms.
 */
type WholeCli = typeof import('./cli');
type PrintCli = typeof import('./cliPrint');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const whole = (): WholeCli => require('./cli-main.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const printOnly = (): PrintCli => require('./cli-print.js');

/** Run the CLI as a process (src/cli.ts's run, or for `print` src/cliPrint.ts's). */
export function run(argv: string[] = process.argv.slice(2)): void {
  if (argv[0] === 'print') printOnly().run(argv);
  else whole().run(argv);
}

/** src/cli.ts's main: the exit status of one command. */
export function main(argv: string[]): Promise<number> {
  return whole().main(argv);
}

if (require.main === module) run();
