import { defaultPrintOptions, PrintOptions } from './options';

/** A command line that does not make sense: the CLI exits 2 with this message. */
export class UsageError extends Error {}

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

