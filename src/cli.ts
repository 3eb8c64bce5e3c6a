/**
 * capture-lens — the command-line face of the decoding core.
 *
 *   capture-lens print FILE [tcpdump options]   print packets exactly as `tcpdump -n -r FILE` would
 *
 * Exit status: 0 success; 1 missing, unreadable, unknown or damaged file (after printing every
 * packet before the damage); 2 bad usage. Errors are one line on stderr, never a stack trace.
 */
import { defaultPrintOptions, PrintOptions } from './core/print/options';
import { PacketPrinter } from './core/print/packet';
import { readCaptureFile } from './node/captureFile';
import { BufferedOutput } from './node/output';

const USAGE = `Usage: capture-lens <command> [options]

Commands:
  print FILE [options]   print every packet as "tcpdump -n -r FILE" with the same options does
      -S                 absolute TCP sequence numbers
      -q                 quick (terse) output
      -v, -vv, -vvv      more detail (IP header fields, checksums)
      -e                 print the link-level header
      -#                 number each packet
      -t, -tt, -ttt, -tttt, -ttttt
                         no time / epoch / delta / date and time / delta from first
      --nano             nanosecond time stamps
      -x, -xx, -X, -XX   hex dump (without/with link header, with ASCII)
      -n, -nn            accepted for compatibility (names are never resolved)
  help                   show this text
`;

class UsageError extends Error {}

export interface ParsedPrintArgs {
  file: string;
  opts: PrintOptions;
}

/** Parse tcpdump-style options; short flags may be combined ("-nnvS", "-tttt"). */
export function parsePrintArgs(args: string[]): ParsedPrintArgs {
  const opts = defaultPrintOptions();
  let file: string | undefined;
  let t = 0;
  let x = 0;
  let X = 0;
  for (const a of args) {
    if (a === '--nano') opts.nano = true;
    else if (a === '--number') opts.number = true;
    else if (a === '--absolute-tcp-sequence-numbers') opts.absoluteSeq = true;
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        switch (c) {
          case 'S': opts.absoluteSeq = true; break;
          case 'q': opts.quiet = true; break;
          case 'v': opts.verbose++; break;
          case 'e': opts.linkHeader = true; break;
          case '#': opts.number = true; break;
          case 't': t++; break;
          case 'x': x++; break;
          case 'X': X++; break;
          case 'n': break;
          default: throw new UsageError(`unknown option -${c}`);
        }
      }
    } else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (file === undefined) throw new UsageError('missing capture FILE');
  if (t > 5) throw new UsageError('too many -t');
  if (opts.verbose > 3) opts.verbose = 3;
  opts.timeFormat = t;
  opts.hex = X > 0 ? (X > 1 ? 4 : 3) : x > 0 ? (x > 1 ? 2 : 1) : 0;
  return { file, opts };
}

async function cmdPrint(args: string[]): Promise<number> {
  const { file, opts } = parsePrintArgs(args);
  const printer = new PacketPrinter(opts);
  let reading: ReturnType<typeof readCaptureFile> | undefined;
  const out = new BufferedOutput(process.stdout, 1 << 16, () => reading?.pause(), () => reading?.resume());
  reading = readCaptureFile(file, {
    onRecord(rec) {
      out.write(printer.print(rec));
    },
  });
  const summary = await reading.done;
  await out.end();
  if (summary.error) {
    fail(summary.error.message);
    return 1;
  }
  return 0;
}

function fail(message: string): void {
  process.stderr.write(`capture-lens: ${message}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'print':
        return await cmdPrint(rest);
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      case undefined:
        process.stderr.write(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      fail(`${err.message} (try "capture-lens help")`);
      return 2;
    }
    fail(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

/** Run the CLI as a process: wires stdout errors and sets the exit code. */
export function run(argv: string[] = process.argv.slice(2)): void {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      fail(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}

if (require.main === module) run();
