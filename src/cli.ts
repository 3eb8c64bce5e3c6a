/**
 * capture-lens — the command-line face of the decoding core.
 *
 *   capture-lens print FILE [tcpdump options]   print packets exactly as `tcpdump -n -r FILE` would
 *
 * Exit status: 0 success; 1 missing, unreadable, unknown or damaged file (after printing every
 * packet before the damage); 2 bad usage. Errors are one line on stderr, never a stack trace.
 */
import { parsePrintArgs, UsageError } from './core/print/args';
import { readCaptureFile } from './node/captureFile';
import { partialRead } from './core/capture/types';
import { BufferedOutput } from './node/output';
import { cmdPrint } from './node/printCommand';
import { fail, runAsProcess } from './node/cliProcess';
import { analyzeCaptureFile, packetHeader, visitCaptureFile } from './node/analyze';
import { connJson, connsTableLines, packetJson } from './core/tcp/json';
import { FtpDataTracker, ftpDataLabels } from './core/decode/app/ftpData';
import { emptyResult, type ConnectionSummary } from './core/tcp/types';
import { analyzeLog, blankResult, type LogModel } from './core/log/model';
import { toSegmentInput } from './core/text/index';
import * as fs from 'node:fs';
import { captureFlowSource, logFlowSource, writeFlow, type FlowSource } from './node/flow';
import { FLOW_MAX_LIFELINES, planFlowStreams } from './core/flow/model';
import { errorMessage } from './core/errors';
import { formatEn, type Translate } from './core/explain/l10n';
import { zhCn } from './node/l10n';
import { cmdFollow } from './node/follow';
import { parsePerfArgs, PerfUsageError, runPerf } from './node/perf';
import { perfJson } from './core/perf/summary';
import type { PerfConversation } from './core/tcp/analysis';
import { cmdSockets } from './node/sockets';

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
  packets FILE --json    (FILE: a capture, or tcpdump text output; anything else is an error)
                         one JSON object per packet: addresses, and for TCP the stream, flags,
                         relative and raw seq/ack, window, length, Wireshark's analysis flags,
                         the handshake/teardown step and both endpoints' states after it
  conns FILE [--json] [--zh]
                         one line (or JSON object) per TCP connection: endpoints, packets and
                         bytes each way, final states, Zeek's conn_state and history, problems
                         (--zh: the table and its problems in Simplified Chinese; --json: with
                         a perf object, as below)
  perf FILE [--stream N]... [--json] [--zh]
                         why is it slow: per connection, handshake RTT and where the capture was
                         taken, RTT min/median/p95/max (data, Karn's rule; timestamp echo),
                         throughput and goodput, retransmissions, loss episodes (fast retransmit
                         or timeout, time waited), spurious retransmissions, zero-window time
  flow FILE [--stream N]... [--svg] [--absolute]
                         the connections as a sequence diagram: one lifeline per endpoint, an
                         arrow per packet with its flags, Seq/Ack/Win, and the states as they
                         change (--svg: an SVG picture instead of text; FILE: capture or log);
                         at most ${FLOW_MAX_LIFELINES} endpoints at once: a note says which connections are left
                         out, draw them with --stream N
  follow FILE --stream N [--hex|--raw|--ascii|--http] [--direction client|server]
                         the bytes of one TCP stream, both directions in capture order, with what
                         only the engine knows: bytes not captured, retransmitted copies (and
                         whether they differ), out-of-order segments put in place, SYN/FIN/RST
                         with both ends' states (--hex, --raw, --ascii: exactly as
                         "tshark -q -z follow,tcp,MODE,N"; FILE: capture, or text with hex dumps;
                         --http [--zh]: HTTP/1.x requests and responses rebuilt across segments,
                         chunked and gzip/deflate/br bodies decoded, at most 16 MiB each)
  sockets FILE [--json] [--zh]
                         a saved netstat / ss / lsof output: states per snapshot, ports, what
                         changed between snapshots, and findings with advice (CLOSE_WAIT piles,
                         SYN_RECV floods, full accept queues, growing Recv-Q / Send-Q …)
  sockets CAPTURE --at N [--json] [--zh]
                         the tables "netstat -nat" would have shown on each host right after
                         packet N of the capture (both ends' states from the TCP engine)
  help                   show this text
  --version              print the version
`;

// package.json's version, put in by scripts/build.mjs (esbuild `define`) when it bundles dist/cli-main.js and dist/cli-print.js.
declare const CAPTURE_LENS_VERSION: string | undefined;

/** The version, or 'unknown' when this module was compiled without the bundler (tsc for the unit tests). */
export function version(): string {
  return typeof CAPTURE_LENS_VERSION === 'string' ? CAPTURE_LENS_VERSION : 'unknown';
}

/** Magic numbers of the formats the capture reader takes (pcap µs/ns both byte orders, pcapng); gzip is sniffed apart. */
const CAPTURE_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a];
/** Bytes looked at to tell text from binary: tcpdump text never holds a NUL; PNG, zip and most binaries do early. */
const SNIFF_BYTES = 64 * 1024;

/**
 * 'capture' for a pcap, pcapng or gzip magic number (and for a file we cannot open: the capture
 * reader then says why), 'binary' when the first 64 KiB hold a NUL byte, else 'text'.
 */
function sniff(file: string): 'capture' | 'binary' | 'text' {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, b, 0, SNIFF_BYTES, 0);
    if (n >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'capture';
    if (n >= 4 && CAPTURE_MAGICS.includes(b.readUInt32BE(0))) return 'capture';
    return b.subarray(0, n).includes(0) ? 'binary' : 'text';
  } catch {
    return 'capture'; // let the capture reader say what is wrong with the file
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Why FILE is not a capture, in the words `print` uses: the capture reader's own error (one
 * function for every command). It stops at the first bytes of a file that is not a capture.
 */
async function notACaptureReason(file: string): Promise<string> {
  const { error } = await readCaptureFile(file, { onRecord() {} }).done;
  return error ? error.message : `${file} is not a pcap or pcapng capture file`;
}

/** A tcpdump text log, parsed and run through the engine; null (after an error line) when unreadable. */
function readLog(file: string): LogModel | null {
  try {
    return analyzeLog(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`cannot read ${file}: ${errorMessage(err)}`);
    return null;
  }
}

type Input = { kind: 'capture' } | { kind: 'log'; model: LogModel };

/**
 * What `packets`, `conns` and `flow` read: a capture (or a file the capture reader will explain),
 * or tcpdump text output. Anything else — empty, binary (PNG, zip), text without one tcpdump line —
 * fails here (one line on stderr, null) with the reason `print` gives, instead of an empty result.
 */
async function openInput(file: string): Promise<Input | null> {
  const kind = sniff(file);
  if (kind === 'capture') return { kind: 'capture' };
  if (kind === 'text') {
    const model = readLog(file);
    if (!model) return null;
    const log = model.log;
    if (log.packets.length || log.banners.length || log.prompts.length || log.unreadable.length) return { kind: 'log', model };
  }
  fail(await notACaptureReason(file));
  return null;
}

/** `packets LOG --json` for tcpdump text: the same objects as for the capture the log came from. */
async function packetsOfLog(m: LogModel): Promise<number> {
  const res = blankResult();
  const out = new BufferedOutput(process.stdout);
  const packets = m.log.packets;
  out.write(packets.length ? '[' : '[]\n');
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i];
    const seg = toSegmentInput(p, i);
    const hasRes = seg !== null && m.engine.resultInto(i, res);
    const obj = packetJson({ index: i, tsSec: p.tsSec, tsNsec: p.tsNsec, src: p.srcHost, dst: p.dstHost, sport: p.sport >= 0 ? p.sport : null, dport: p.dport >= 0 ? p.dport : null, proto: p.l4 }, seg, hasRes ? res : null);
    out.write((i === 0 ? '\n' : ',\n') + JSON.stringify(obj));
    if (out.blocked) await out.room();
  }
  if (packets.length) out.write('\n]\n');
  await out.end();
  return 0;
}

/** `packets FILE --json`: pass 1 runs the engine, pass 2 writes each packet with its final states. */
async function cmdPackets(args: string[]): Promise<number> {
  const { file, flags } = fileAndFlags(args, ['--json']);
  if (!flags.has('--json')) throw new UsageError('packets needs --json (the text form is "capture-lens print")');
  const input = await openInput(file);
  if (!input) return 1;
  if (input.kind === 'log') return packetsOfLog(input.model);
  const first = await analyzeCaptureFile(file);
  if (first.read.error && !partialRead(first.read.error)) {
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

/**
 * The connections as JSON (the text of JSON.stringify(list, null, 2)) or as the table, a line at a
 * time: one string of 100,000 connections would be ~100 MB, and a few million pass V8's limit.
 */
async function writeConns(sums: readonly ConnectionSummary[], json: boolean, t: Translate, convs?: readonly PerfConversation[], labels?: ReadonlyMap<number, string>): Promise<void> {
  const out = new BufferedOutput(process.stdout);
  if (json) {
    const zh = zhCn();
    if (sums.length === 0) out.write('[]\n');
    else {
      for (let i = 0; i < sums.length; i++) {
        const app = labels?.get(sums[i].stream);
        const base = app !== undefined ? { ...connJson(sums[i], zh), app } : connJson(sums[i], zh);
        const obj = convs ? { ...base, perf: perfJson(convs[i]) } : base;
        out.write((i === 0 ? '[\n  ' : ',\n  ') + JSON.stringify(obj, null, 2).replace(/\n/g, '\n  '));
        if (out.blocked) await out.room();
      }
      out.write('\n]\n');
    }
  } else {
    for (const line of connsTableLines(sums, { t, labels })) {
      out.write(line + '\n');
      if (out.blocked) await out.room();
    }
  }
  await out.end();
}

/** `conns FILE [--json] [--zh]`. */
async function cmdConns(args: string[]): Promise<number> {
  const { file, flags } = fileAndFlags(args, ['--json', '--zh']);
  const t = flags.has('--zh') ? zhCn() : formatEn;
  const input = await openInput(file);
  if (!input) return 1;
  if (input.kind === 'log') {
    const m = input.model;
    await writeConns(m.summaries, flags.has('--json'), t);
    return 0;
  }
  // the JSON carries each connection's perf object: measured only then (see TcpEngineOptions.perf)
  const json = flags.has('--json');
  // FTP data connections are named from the control connection's PORT / PASV / EPRT / EPSV lines
  const ftpData = new FtpDataTracker();
  const { engine, read } = await analyzeCaptureFile(file, (rec, pkt) => ftpData.observe(pkt, rec.index), { perf: json });
  if (read.error && !partialRead(read.error)) {
    fail(read.error.message);
    return 1;
  }
  const sums = engine.summaries();
  await writeConns(sums, json, t, json ? engine.conversations() : undefined, ftpDataLabels(ftpData, sums));
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
  const input = await openInput(file);
  if (!input) return 1;
  let source: FlowSource;
  let damage: string | null = null;
  if (input.kind === 'capture') {
    const first = await captureFlowSource(file);
    const err = first.read.error;
    if (err && !partialRead(err)) {
      fail(err.message);
      return 1;
    }
    // a cut-short or damaged capture still draws what comes before the damage, then exits 1 (as print and conns)
    if (err) damage = err.message;
    source = first.source;
  } else source = logFlowSource(input.model);
  const plan = planFlowStreams(source.conns, streams.length ? streams : undefined);
  if (plan.missing.length) {
    const n = source.conns.length;
    const has = n === 0 ? 'it has no TCP stream' : n === 1 ? 'its only TCP stream is 0' : `its TCP streams are 0 to ${n - 1}`;
    fail(`${file}: no TCP stream ${plan.missing.join(', ')} (${has})`);
    return 1;
  }
  let note: string | undefined;
  if (plan.omitted) {
    const total = plan.streams.length + plan.omitted;
    note =
      `${plan.streams.length} of ${total} connections drawn: a diagram shows at most ${FLOW_MAX_LIFELINES} endpoints at once. ` +
      `Draw others with --stream N (their numbers: capture-lens conns ${file}).`;
    // the SVG keeps the note in its <desc>, which no viewer shows: say it on stderr too
    if (flags.has('--svg')) process.stderr.write(`capture-lens: note: ${note}\n`);
  }
  await writeFlow(source, plan, process.stdout, { svg: flags.has('--svg'), absolute: flags.has('--absolute'), note });
  if (damage) {
    fail(damage);
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

export { parsePrintArgs };

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'print':
        return await cmdPrint(rest, fail);
      case 'packets':
        return await cmdPackets(rest);
      case 'conns':
        return await cmdConns(rest);
      case 'flow':
        return await cmdFlow(rest);
      case 'follow':
        return await cmdFollow(rest, fail);
      case 'perf':
        return await runPerf(parsePerfArgs(rest), (s) => process.stdout.write(s), fail);
      case 'sockets':
        return await cmdSockets(rest);
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      case '--version':
        process.stdout.write(`${version()}\n`);
        return 0;
      case undefined:
        process.stderr.write(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof PerfUsageError) {
      fail(`${err.message} (try "capture-lens help")`);
      return 2;
    }
    fail(errorMessage(err));
    return 1;
  }
}

/** Run the CLI as a process: wires stdout errors and sets the exit code. */
export function run(argv: string[] = process.argv.slice(2)): void {
  runAsProcess(main, argv);
}

if (require.main === module) run();
