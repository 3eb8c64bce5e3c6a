/**
 * capture-lens — the command-line face of the decoding core.
 *
 *   capture-lens print FILE [tcpdump options]   print packets exactly as `tcpdump -n -r FILE` would
 *
 * Exit status: 0 success; 1 missing, unreadable, unknown or damaged file (after printing every
 * packet before the damage); 2 bad usage. Errors are one line on stderr, never a stack trace.
 */
import { parsePrintArgs, UsageError } from './core/print/args';
import { PacketPrinter } from './core/print/packet';
import { readCaptureFile } from './node/captureFile';
import { BufferedOutput } from './node/output';
import { analyzeCaptureFile, packetHeader, visitCaptureFile } from './node/analyze';
import { connJson, formatConnsTable, packetJson } from './core/tcp/json';
import { emptyResult } from './core/tcp/types';
import { analyzeLog, blankResult, type LogModel } from './core/log/model';
import { toSegmentInput } from './core/text/index';
import * as fs from 'node:fs';
import { flowOfCapture, flowOfLog } from './node/flow';
import { flowText } from './core/flow/text';
import { flowSvg } from './core/flow/svg';
import { cmdFollow } from './node/follow';

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
  packets FILE --json    (FILE: a capture, or tcpdump text output)
                         one JSON object per packet: addresses, and for TCP the stream, flags,
                         relative and raw seq/ack, window, length, Wireshark's analysis flags,
                         the handshake/teardown step and both endpoints' states after it
  conns FILE [--json] [--zh]
                         one line (or JSON object) per TCP connection: endpoints, packets and
                         bytes each way, final states, Zeek's conn_state and history, problems
                         (--zh: problems explained in Simplified Chinese)
  flow FILE [--stream N]... [--svg] [--absolute]
                         the connections as a sequence diagram: one lifeline per endpoint, an
                         arrow per packet with its flags, Seq/Ack/Win, and the states as they
                         change (--svg: an SVG picture instead of text; FILE: capture or log)
  follow FILE --stream N [--hex|--raw|--ascii] [--direction client|server]
                         the bytes of one TCP stream, both directions in capture order, with what
                         only the engine knows: bytes not captured, retransmitted copies (and
                         whether they differ), out-of-order segments put in place, SYN/FIN/RST
                         with both ends' states (--hex, --raw, --ascii: exactly as
                         "tshark -q -z follow,tcp,MODE,N"; FILE: capture, or text with hex dumps)
  help                   show this text
`;

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

/** Capture files start with a pcap, pcapng or gzip magic number; anything else is read as tcpdump text. */
function looksLikeCapture(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(4);
    const n = fs.readSync(fd, b, 0, 4, 0);
    if (n < 4) return n >= 2 && b[0] === 0x1f && b[1] === 0x8b;
    const m = b.readUInt32BE(0);
    return [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a].includes(m) || (b[0] === 0x1f && b[1] === 0x8b);
  } catch {
    return true; // let the capture reader say what is wrong with the file
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A tcpdump text log, parsed and run through the engine; null (after an error line) when unreadable. */
function readLog(file: string): LogModel | null {
  try {
    return analyzeLog(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    return null;
  }
}

/** `packets LOG --json` for tcpdump text: the same objects as for the capture the log came from. */
async function packetsOfLog(file: string): Promise<number> {
  const m = readLog(file);
  if (!m) return 1;
  const res = blankResult();
  const objs = m.log.packets.map((p, i) => {
    const seg = toSegmentInput(p, i);
    const hasRes = seg !== null && m.engine.resultInto(i, res);
    return JSON.stringify(packetJson({ index: i, tsSec: p.tsSec, tsNsec: p.tsNsec, src: p.srcHost, dst: p.dstHost, sport: p.sport >= 0 ? p.sport : null, dport: p.dport >= 0 ? p.dport : null, proto: p.l4 }, seg, hasRes ? res : null));
  });
  await new Promise<void>((resolve) => process.stdout.write(objs.length ? '[\n' + objs.join(',\n') + '\n]\n' : '[]\n', () => resolve()));
  return 0;
}

/** `packets FILE --json`: pass 1 runs the engine, pass 2 writes each packet with its final states. */
async function cmdPackets(args: string[]): Promise<number> {
  const { file, flags } = fileAndFlags(args, ['--json']);
  if (!flags.has('--json')) throw new UsageError('packets needs --json (the text form is "capture-lens print")');
  if (!looksLikeCapture(file)) return packetsOfLog(file);
  const first = await analyzeCaptureFile(file);
  if (first.read.error && first.read.error.kind !== 'truncated' && first.read.error.kind !== 'corrupt') {
    fail(first.read.error.message);
    return 1;
  }
  const engine = first.engine;
  const res = emptyResult();
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
  const lang = flags.has('--zh') ? 'zh' : 'en';
  if (!looksLikeCapture(file)) {
    const m = readLog(file);
    if (!m) return 1;
    const text = flags.has('--json') ? JSON.stringify(m.summaries.map(connJson), null, 2) + '\n' : formatConnsTable(m.summaries, { lang });
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return 0;
  }
  const { engine, read } = await analyzeCaptureFile(file);
  if (read.error && read.error.kind !== 'truncated' && read.error.kind !== 'corrupt') {
    fail(read.error.message);
    return 1;
  }
  const sums = engine.summaries();
  const text = flags.has('--json') ? JSON.stringify(sums.map(connJson), null, 2) + '\n' : formatConnsTable(sums, { lang });
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  if (read.error) {
    fail(read.error.message);
    return 1;
  }
  return 0;
}

/** `flow FILE [--stream N]... [--svg] [--absolute]`. */
async function cmdFlow(args: string[]): Promise<number> {
  const streams: number[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--stream') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 0) throw new UsageError('--stream needs a stream number');
      streams.push(n);
    } else rest.push(args[i]);
  }
  const { file, flags } = fileAndFlags(rest, ['--svg', '--absolute']);
  const opts = { absolute: flags.has('--absolute') };
  let graph;
  if (looksLikeCapture(file)) {
    try {
      graph = await flowOfCapture(file, streams.length ? streams : undefined, opts);
    } catch (err) {
      fail((err as Error).message);
      return 1;
    }
  } else {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      return 1;
    }
    graph = flowOfLog(text, streams.length ? streams : undefined, opts);
  }
  const out = flags.has('--svg') ? flowSvg(graph) : flowText(graph);
  await new Promise<void>((resolve) => process.stdout.write(out.endsWith('\n') ? out : out + '\n', () => resolve()));
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

export { parsePrintArgs };

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
      case 'flow':
        return await cmdFlow(rest);
      case 'follow':
        return await cmdFollow(rest, fail);
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
