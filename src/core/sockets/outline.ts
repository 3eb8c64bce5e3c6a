/**
 * Outline of a netstat / ss document: one symbol per local port (the services of this host and
 * the client ports' destinations are both "ports" to a reader of netstat), and the test that says
 * a document is netstat / ss output (for switching a plain-text paste to the netstat language).
 */
import { WELL_KNOWN_PORTS } from '../explain/net';
import { TCP_STATES, S_LISTEN } from '../tcp/types';
import type { SocketsDoc } from './parse';

export interface PortSymbol {
  /** ":8080 HTTP" for a listening port, "→ 10.0.0.2:443" for connections out. */
  name: string;
  /** "4 sockets: 3 ESTABLISHED, 1 LISTEN" (state names are the same in every language). */
  states: string;
  count: number;
  startLine: number;
  endLine: number;
  lines: number[];
}

/** One symbol per listening local port, and per remote endpoint of the other connections. */
export function portSymbols(doc: SocketsDoc): PortSymbol[] {
  const listening = new Set<number>();
  for (const r of doc.rows) if (r.state === S_LISTEN && r.local.port >= 0) listening.add(r.local.port);
  const groups = new Map<string, { name: string; byState: number[]; lines: number[] }>();
  for (const r of doc.rows) {
    const local = listening.has(r.local.port) || r.peer.port < 0;
    const port = local ? r.local.port : r.peer.port;
    const service = port >= 0 ? WELL_KNOWN_PORTS[port] : undefined;
    const name = local
      ? ':' + r.local.portText + (service ? ' ' + service : '')
      : '→ ' + r.peer.addr + ':' + r.peer.portText + (service ? ' ' + service : '');
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { name, byState: new Array<number>(TCP_STATES.length).fill(0), lines: [] }));
    if (r.state >= 0) g.byState[r.state]++;
    g.lines.push(r.line);
    if (r.infoLine >= 0) g.lines.push(r.infoLine);
  }
  const out: PortSymbol[] = [];
  for (const g of groups.values()) {
    const parts = g.byState
      .map((n, i) => [i, n])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([i, n]) => n + ' ' + TCP_STATES[i]);
    out.push({
      name: g.name,
      states: parts.join(', '),
      count: g.lines.length,
      startLine: Math.min(...g.lines),
      endLine: Math.max(...g.lines),
      lines: g.lines,
    });
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}

/**
 * Does this text look like netstat / ss / lsof output? At least 2 socket rows, count lines or ss -s lines, and
 * they make at least a third of the non-blank lines (a tutorial with one netstat line in its prose
 * stays plain text; a paste with a prompt, headers and rows does not).
 */
export function looksLikeSockets(doc: SocketsDoc, text: string): boolean {
  let items = doc.rows.length + doc.counts.length;
  // an ss -s paste: its lines count when it has the distinctive "TCP: N (estab …)" line
  const withTcp = new Set<number>();
  doc.summaries.forEach((x, i) => x.values.has('tcp') && withTcp.add(i));
  for (let ln = 0; ln < doc.summaryOfLine.length; ln++) if (withTcp.has(doc.summaryOfLine[ln])) items++;
  if (items < 2) return false;
  let nonBlank = 0;
  let i = 0;
  while (i <= text.length) {
    const nl = text.indexOf('\n', i);
    const end = nl < 0 ? text.length : nl;
    if (text.slice(i, end).trim() !== '') nonBlank++;
    if (nl < 0) break;
    i = nl + 1;
  }
  return items * 3 >= nonBlank;
}
