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
import { analyzeCaptureFile, packetHeader, visitCaptureFile } from './node/analyze';
import { connJson, formatConnsTable, packetJson } from './core/tcp/json';
import type { PacketResult } from './core/tcp/types';

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
  packets FILE --json    one JSON object per packet: addresses, and for TCP the stream, flags,
                         relative and raw seq/ack, window, length, Wireshark's analysis flags,
                         the handshake/teardown step and both endpoints' states after it
  conns FILE [--json] [--zh]
                         one line (or JSON object) per TCP connection: endpoints, packets and
                         bytes each way, final states, Zeek's conn_state and history, problems
                         (--zh: problems explained in Simplified Chinese)
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

/** `packets FILE --json`: pass 1 runs the engine, pass 2 writes each packet with its final states. */
async function cmdPackets(args: string[]): Promise<number> {
  const { file, flags } = fileAndFlags(args, ['--json']);
  if (!flags.has('--json')) throw new UsageError('packets needs --json (the text form is "capture-lens print")');
  const first = await analyzeCaptureFile(file);
  if (first.read.error && first.read.error.kind !== 'truncated' && first.read.error.kind !== 'corrupt') {
    fail(first.read.error.message);
    return 1;
  }
  const engine = first.engine;
  const res: PacketResult = { stream: 0, dir: 0, relSeq: 0, relAck: 0, winScaled: 0, analysis: 0, dupAckNum: 0, dupAckOf: -1, clientState: 0, serverState: 0, inferred: false, step: '' };
  let reading: { pause(): void; resume(): void } | undefined;
  const out = new BufferedOutput(process.stdout, 1 << 16, () => reading?.pause(), () => reading?.resume());
  let n = 0;
  out.write('[');
  const summary = await visitCaptureFile(
    file,
    (rec, pkt, seg) => {
      const hasRes = seg !== null && engine.resultInto(rec.index, res);
      const obj = packetJson({ index: rec.index, tsSec: rec.tsSec, tsNsec: rec.tsNsec, ...packetHeader(rec, pkt) }, seg, hasRes ? res : null);
      out.write((n++ === 0 ? '\n' : ',\n') + JSON.stringify(obj));
    },
    (r) => (reading = r),
  );
  out.write(n ? '\n]\n' : ']\n');
  await out.end();
  if (summary.error) {
    fail(summary.error.message);
    return 1;
  }
  return 0;
}

/** `conns FILE [--json] [--zh]`. */
async function cmdConns(args: string[]): Promise<number> {
  const { file, flags } = fileAndFlags(args, ['--json', '--zh']);
  const { engine, read } = await analyzeCaptureFile(file);
  if (read.error && read.error.kind !== 'truncated' && read.error.kind !== 'corrupt') {
    fail(read.error.message);
    return 1;
  }
  const sums = engine.summaries();
  const text = flags.has('--json') ? JSON.stringify(sums.map(connJson), null, 2) + '\n' : formatConnsTable(sums, { lang: flags.has('--zh') ? 'zh' : 'en' });
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  if (read.error) {
    fail(read.error.message);
    return 1;
  }
  return 0;
}

/** One FILE argument plus the listed flags. */
function fileAndFlags(args: string[], allowed: string[]): { file: string; flags: Set<string> } {
  let file: string | undefined;
  const flags = new Set<string>();
  for (const a of args) {
    if (a.startsWith('-')) {
      if (!allowed.includes(a)) throw new UsageError(`unknown option ${a}`);
      flags.add(a);
    } else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (file === undefined) throw new UsageError('missing capture FILE');
  return { file, flags };
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
      case 'packets':
        return await cmdPackets(rest);
      case 'conns':
        return await cmdConns(rest);
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
