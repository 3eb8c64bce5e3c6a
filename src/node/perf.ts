/**
 * `capture-lens perf FILE [--stream N]... [--json] [--zh]`: a performance report per connection
 * (src/core/perf): handshake RTT and capture point, RTT statistics, throughput and goodput,
 * retransmissions and loss episodes, zero-window and window-full time.
 */
import { formatEn, type Translate } from '../core/explain/l10n';
import { perfJson, perfReportLines } from '../core/perf/summary';
import { analyzeCaptureFile } from './analyze';
import { zhCn } from './l10n';

export class PerfUsageError extends Error {}

export interface PerfArgs {
  file: string;
  streams: number[];
  json: boolean;
  zh: boolean;
}

export function parsePerfArgs(args: string[]): PerfArgs {
  let file: string | undefined;
  const streams: number[] = [];
  let json = false;
  let zh = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--stream') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 0) throw new PerfUsageError('--stream needs a stream number');
      streams.push(n);
    } else if (a === '--json') json = true;
    else if (a === '--zh') zh = true;
    else if (a.startsWith('-')) throw new PerfUsageError(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new PerfUsageError(`unexpected argument ${a}`);
  }
  if (file === undefined) throw new PerfUsageError('missing capture FILE');
  return { file, streams, json, zh };
}

/** Writes the report; returns the exit code (1 when the capture could not be read, or was cut short). */
export async function runPerf(args: PerfArgs, write: (s: string) => void, fail: (message: string) => void): Promise<number> {
  const t: Translate = args.zh ? zhCn() : formatEn;
  const { engine, read } = await analyzeCaptureFile(args.file, undefined, { perf: true });
  if (read.error && engine.packetCount === 0) {
    fail(read.error.message);
    return 1;
  }
  const want = args.streams.length ? new Set(args.streams) : null;
  const convs = engine.conversations().filter((c) => want === null || want.has(c.stream));
  let missing = false;
  if (want) {
    for (const s of want) {
      if (convs.some((c) => c.stream === s)) continue;
      fail(`no TCP stream ${s} in ${args.file} (${engine.connectionCount} streams)`);
      missing = true;
    }
  }
  if (args.json) {
    write(JSON.stringify(convs.map((c) => ({ stream: c.stream, client: `${c.clientAddr}:${c.clientPort}`, server: `${c.serverAddr}:${c.serverPort}`, perf: perfJson(c) })), null, 2) + '\n');
  } else {
    for (const c of convs) {
      const j = perfJson(c);
      if (!j) continue;
      write(perfReportLines(t('Connection {0}: {1}:{2} → {3}:{4}', c.stream, c.clientAddr, c.clientPort, c.serverAddr, c.serverPort), j, t).join('\n') + '\n\n');
    }
  }
  if (read.error) {
    fail(read.error.message);
    return 1;
  }
  return missing ? 1 : 0;
}
