/**
 * The print-only command line (dist/cli-print.js): what `capture-lens print` runs. dist/cli.js
 * (src/cliLauncher.ts) loads it instead of the whole CLI for print, the command timed against tcpdump.
 * Errors and exit statuses are src/cli.ts's: 2 and "(try "capture-lens help")" for bad usage, else 1.
 */
import { UsageError } from './core/print/args';
import { errorMessage } from './core/errors';
import { cmdPrint } from './node/printCommand';
import { fail, runAsProcess } from './node/cliProcess';

/** `print FILE [options]` (argv[0] is "print"), as src/cli.ts's main runs it. */
export async function mainPrint(argv: string[]): Promise<number> {
  try {
    return await cmdPrint(argv.slice(1), fail);
  } catch (err) {
    if (err instanceof UsageError) {
      fail(`${err.message} (try "capture-lens help")`);
      return 2;
    }
    fail(errorMessage(err));
    return 1;
  }
}

/** Run `print` as the process. */
export function run(argv: string[]): void {
  runAsProcess(mainPrint, argv);
}
