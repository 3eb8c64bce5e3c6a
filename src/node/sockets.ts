/**
 * `capture-lens sockets FILE [--json] [--zh]`: a saved netstat / ss / lsof output, read and
 * diagnosed (summary per snapshot, changes between snapshots, findings with advice).
 * `capture-lens sockets CAPTURE --at N [--json] [--zh]`: the tables netstat -nat would have shown
 * on each host right after packet N of a capture (N counts from 1, as `print -#` does).
 */
import * as fs from 'node:fs';
import { UsageError } from '../core/print/args';
import { parseSockets } from '../core/sockets/parse';
import { diagnoseSockets } from '../core/sockets/diagnose';
import { socketsReportLines } from '../core/sockets/hover';
import { socketsAtPacket, socketsAtPacketText, NETSTAT_WORDS } from '../core/sockets/fromCapture';
import { findingText } from '../core/explain/sockets';
import { formatEn, type Translate } from '../core/explain/l10n';
import { TCP_STATES } from '../core/tcp/types';
import { partialRead } from '../core/capture/types';
import { errorMessage } from '../core/errors';
import { analyzeCaptureFile } from './analyze';
import { zhCn } from './l10n';

/** The largest text file read (a netstat of 100 000 sockets is ~10 MB). */
const MAX_TEXT = 64 << 20;

function fail(message: string): number {
  process.stderr.write(`capture-lens: ${message}\n`);
  return 1;
}

export async function cmdSockets(args: string[]): Promise<number> {
  let file: string | undefined;
  let at: number | undefined;
  let json = false;
  let zh = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--zh') zh = true;
    else if (a === '--at') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 1) throw new UsageError('--at needs a packet number (1, 2, …)');
      at = n;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (file === undefined) throw new UsageError('missing FILE (netstat / ss output, or a capture with --at N)');
  const t: Translate = zh ? zhCn() : formatEn;
  return at === undefined ? socketsOfText(file, json, t) : socketsOfCapture(file, at, json, t);
}

function socketsOfText(file: string, json: boolean, t: Translate): number {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (st.size > MAX_TEXT) return fail(`${file} is larger than ${MAX_TEXT >> 20} MB: not a netstat or ss output`);
    const buf = fs.readFileSync(file);
    if (buf.includes(0)) return fail(`${file} is not text (a capture? use --at N to see its sockets)`);
    text = buf.toString('utf8');
  } catch (err) {
    return fail(`cannot read ${file}: ${errorMessage(err)}`);
  }
  const doc = parseSockets(text);
  if (doc.rows.length === 0 && doc.counts.length === 0 && doc.summaries.length === 0)
    return fail(`${file} has no netstat, ss or lsof socket line`);
  const d = diagnoseSockets(doc);
  if (json) {
    const obj = {
      snapshots: d.snapshots.map((s) => ({
        line: s.line + 1,
        total: s.total,
        udp: s.udp,
        states: Object.fromEntries(s.byState.map((n, i) => [TCP_STATES[i], n]).filter(([, n]) => (n as number) > 0)),
        ports: s.ports.map((p) => ({ port: p.port, side: p.side, total: p.total })),
      })),
      changes: d.diffs.map((x) => ({
        line: x.line + 1,
        delta: Object.fromEntries(x.delta.map((n, i) => [TCP_STATES[i], n]).filter(([, n]) => n !== 0)),
        appeared: x.appeared,
        gone: x.gone,
        changed: x.changed,
        recvQGrew: x.recvGrew,
        sendQGrew: x.sendGrew,
      })),
      ssSummaries: doc.summaries.map((x) => ({ line: x.line + 1, ...Object.fromEntries(x.values) })),
      findings: d.findings.map((f) => ({
        kind: f.kind,
        severity: f.severity,
        line: f.line + 1,
        count: f.count,
        where: f.where,
        program: f.program,
        message: findingText(f, t),
      })),
      unreadable: doc.unreadable.map((n) => n + 1),
    };
    process.stdout.write(JSON.stringify(obj, null, 2) + '\n');
  } else {
    process.stdout.write(socketsReportLines(doc, d, t).join('\n') + '\n');
  }
  return 0;
}

async function socketsOfCapture(file: string, at: number, json: boolean, t: Translate): Promise<number> {
  const times: number[] = [];
  const { engine, read } = await analyzeCaptureFile(file, (rec) => {
    times[rec.index] = rec.tsSec + rec.tsNsec / 1e9;
  });
  if (read.error && !partialRead(read.error)) return fail(read.error.message);
  if (times.length === 0) return fail(`${file} has no packets`);
  if (at > times.length)
    return fail(`${file} has ${times.length} packet${times.length === 1 ? '' : 's'}: there is no packet ${at}`);
  const s = socketsAtPacket(engine, engine.summaries(), at - 1, times);
  if (json) {
    const obj = {
      packet: at,
      expiredTimeWait: s.expired,
      hosts: s.hosts.map((h) => ({
        addr: h.addr,
        sockets: h.sockets.map((x) => ({
          local: x.local.addr + ':' + x.local.port,
          peer: x.peer ? x.peer.addr + ':' + x.peer.port : null,
          state: NETSTAT_WORDS[x.state],
          stream: x.stream >= 0 ? x.stream : null,
        })),
      })),
    };
    process.stdout.write(JSON.stringify(obj, null, 2) + '\n');
  } else {
    const lines = socketsAtPacketText(s, t);
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (read.error) return fail(read.error.message);
  return 0;
}
