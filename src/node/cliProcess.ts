/**
 * What every CLI entry shares (src/cli.ts, and the print-only src/cliPrint.ts): the one-line error and
 * running a command's main as the process.
 */
import { errorMessage } from '../core/errors';

/** One line on stderr, never a stack trace. */
export function fail(message: string): void {
  process.stderr.write(`capture-lens: ${message}\n`);
}

/** Runs `main(argv)` as the process: wires stdout errors and sets the exit code. */
export function runAsProcess(main: (argv: string[]) => Promise<number>, argv: string[]): void {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      fail(errorMessage(err));
      process.exitCode = 1;
    },
  );
}
