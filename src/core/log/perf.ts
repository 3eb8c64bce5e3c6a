/**
 * Issue 14's verdicts for a tcpdump text log: every connection's performance summary (perfJson, the
 * figures `capture-lens perf` prints for the capture the log came from) from one more pass over the
 * log's TCP packets with a perf engine, cached with the model (a new model per document version). The
 * model's own engine run stays without `perf` (its hovers, lenses and outline do not need it; perf
 * costs about +50 % of the engine's time). The same engine over the same segments in the same order
 * gives the same stream numbers as the model's.
 *
 * What the diagnostics and the connection's CodeLens show: `logVerdictNotes` (one per verdict, on the
 * line of its first evidence packet, else the connection's first line), `logShownProblems` (the engine's
 * problems beside them, without those a verdict already reports) and `verdictLensText`.
 */
import { verdictLines, verdictView, type VerdictView } from '../explain/perf';
import { formatEn as english, type Translate } from '../explain/l10n';
import { perfJson, type PerfJson } from '../perf/summary';
import { TcpEngine } from '../tcp/engine';
import { scratchSegment, toSegmentInput } from '../text/index';
import type { Problem } from '../tcp/types';
import type { LogModel } from './model';

const cache = new WeakMap<LogModel, (PerfJson | null)[]>();

/** Per stream of the model: its performance summary (null when the engine kept none). */
export function logPerf(m: LogModel): (PerfJson | null)[] {
  const have = cache.get(m);
  if (have) return have;
  const engine = new TcpEngine({ perf: true, keepSeqAck: false });
  const scratch = scratchSegment();
  const packets = m.log.packets;
  for (let i = 0; i < packets.length; i++) {
    const seg = toSegmentInput(packets[i], i, scratch);
    if (seg !== null) engine.add(seg);
  }
  engine.finish();
  const out: (PerfJson | null)[] = new Array<PerfJson | null>(m.firstOfStream.length).fill(null);
  for (const conv of engine.conversations()) if (conv.stream >= 0 && conv.stream < out.length) out[conv.stream] = perfJson(conv);
  cache.set(m, out);
  return out;
}

/** One verdict as a diagnostic: where it goes, how it reads, the lines of its evidence packets. */
export interface LogVerdictNote {
  stream: number;
  view: VerdictView;
  /** The line the diagnostic sits on (0-based): the first evidence packet's address line, else the connection's first. */
  line: number;
  /** Who, title, evidence and what to change, in one paragraph. */
  message: string;
  /** Evidence packets of this connection in the log: 1-based packet number and its address line. */
  related: { packet: number; line: number }[];
}

/** The line of log packet `packet` (1-based) when it belongs to `stream`, else -1. */
function lineOf(m: LogModel, stream: number, packet: number): number {
  const i = packet - 1;
  if (!Number.isInteger(i) || i < 0 || i >= m.log.packets.length || m.streamOf[i] !== stream) return -1;
  return m.log.packets[i].addrLine;
}

/** Every connection's verdicts as notes, in stream order. */
export function logVerdictNotes(m: LogModel, t: Translate = english): LogVerdictNote[] {
  const perf = logPerf(m);
  const out: LogVerdictNote[] = [];
  for (let s = 0; s < perf.length; s++) {
    const p = perf[s];
    const first = m.firstOfStream[s];
    if (!p || first < 0) continue;
    for (const v of p.verdicts) {
      const view = verdictView(v, t);
      const related = view.packets.map((packet) => ({ packet, line: lineOf(m, s, packet) })).filter((r) => r.line >= 0);
      const line = related.length > 0 ? related[0].line : m.log.packets[first].addrLine;
      const message = verdictLines(v, t).map((l) => l.trim()).join(' ');
      out.push({ stream: s, view, line, message, related });
    }
  }
  return out;
}

/** The connection's verdict lens: its verdicts' titles ("Bufferbloat · Bottleneck rate"), or null without any. */
export function verdictLensText(m: LogModel, stream: number, t: Translate = english): string | null {
  const p = logPerf(m)[stream];
  if (!p || p.verdicts.length === 0) return null;
  const titles: string[] = [];
  for (const v of p.verdicts) {
    const view = verdictView(v, t);
    if (!titles.includes(view.title)) titles.push(view.title);
  }
  return titles.join(' · ');
}

/**
 * The engine's problems the diagnostics show beside the verdict notes, each with its packet's line
 * (0-based): all of them but a zero window that the connection's 'zero-window' verdict reports. Both
 * are the same event on the same line (the first zero window a side advertised); shown twice, the
 * Problems panel listed it twice. The verdict's note says more: how many stalls and how long, and what
 * to change.
 */
export function logShownProblems(m: LogModel): { problem: Problem; line: number }[] {
  const perf = logPerf(m);
  const out: { problem: Problem; line: number }[] = [];
  for (const s of m.summaries) {
    const verdicts = perf[s.stream]?.verdicts ?? [];
    for (const p of s.problems) {
      const tp = m.log.packets[p.packet];
      if (!tp) continue;
      // a side's zero window stalls the other side's sending: the verdict is on that sender
      if (p.kind === 'zero-window') {
        const sender = p.params.side === 0 ? 'serverToClient' : 'clientToServer';
        if (verdicts.some((v) => v.kind === 'zero-window' && v.dir === sender)) continue;
      }
      out.push({ problem: p, line: tp.addrLine });
    }
  }
  return out;
}
