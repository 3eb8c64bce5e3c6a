/**
 * Outline and folding of a tcpdump log, by connection (pure: the editor maps these to
 * DocumentSymbol and FoldingRange).
 */
import { endpointText } from '../tcp/summary';
import { connectionLensText } from './lens';
import type { Translate } from '../explain/l10n';
import type { LogModel } from './model';

export interface ConnectionSymbol {
  stream: number;
  /** "10.0.0.1:40000 → 10.0.0.2:80" */
  name: string;
  /** "SF · 11 packets · 26 bytes" */
  detail: string;
  /** First line of the connection's first packet, last line of its last packet (0-based). */
  startLine: number;
  endLine: number;
}

export function connectionSymbols(m: LogModel, t?: Translate): ConnectionSymbol[] {
  const out: ConnectionSymbol[] = [];
  for (const s of m.summaries) {
    const a = m.firstOfStream[s.stream];
    const b = m.lastOfStream[s.stream];
    if (a < 0) continue;
    const name = endpointText(s.client.addr, s.client.port) + ' → ' + endpointText(s.server.addr, s.server.port);
    out.push({ stream: s.stream, name, detail: connectionLensText(s, t).slice(name.length + 3), startLine: m.log.packets[a].line, endLine: m.log.packets[b].endLine });
  }
  return out;
}

export interface FoldRange {
  start: number;
  end: number;
  /** 'connection' (a connection's lines) or 'packet' (a multi-line packet: -v, hex dump). */
  kind: 'connection' | 'packet';
}

/**
 * A connection's lines fold when they form one block not cut by another connection's block
 * (typical of logs of one conversation at a time); a multi-line packet always folds.
 */
export function foldingRanges(m: LogModel): FoldRange[] {
  const out: FoldRange[] = [];
  let lastEnd = -1;
  const order = m.summaries.map((s) => s.stream).filter((s) => m.firstOfStream[s] >= 0).sort((x, y) => m.firstOfStream[x] - m.firstOfStream[y]);
  for (const s of order) {
    const start = m.log.packets[m.firstOfStream[s]].line;
    const end = m.log.packets[m.lastOfStream[s]].endLine;
    if (end > start && start > lastEnd) {
      out.push({ start, end, kind: 'connection' });
      lastEnd = end;
    }
  }
  for (const p of m.log.packets) if (p.endLine > p.line) out.push({ start: p.line, end: p.endLine, kind: 'packet' });
  return out;
}
