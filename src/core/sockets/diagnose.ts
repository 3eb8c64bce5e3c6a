/**
 * From the socket rows to a diagnosis: counts per state and per local port (the summary lens),
 * findings with advice (the diagnostics), and what changed between two snapshots pasted one after
 * the other. Findings carry a kind and parameters, no text: src/core/explain/sockets.ts says them
 * in the reader's language (as src/core/explain/problems.ts does for a capture's problems).
 *
 * Thresholds (a pile is "many" from here): a few sockets in CLOSE_WAIT / FIN_WAIT are moments of
 * a normal close, 3 on one port at one instant are not (the tutorial's "CLOSE_WAIT 1" stays
 * quiet). SYN_RECV: 5 on one port (a healthy server answers within one round trip, so even a busy
 * one shows 0–2). TIME_WAIT: 500 toward one destination — 60 s of TIME_WAIT at 8 closes a second,
 * and 1.8 % of Linux's 28 232 ephemeral ports (32768–60999); below that it is the normal price of
 * active closes. Queues: 4096 bytes (a few segments) still waiting is no longer a moment's lag.
 * ss -s orphans (sockets closed by their program, still sending their FIN or unsent data): 100 at
 * one instant — an orphan normally lives one round trip, so even 1 000 closes a second over a
 * 10 ms path keep about 10; 100 means peers or paths that stopped taking data, each orphan still
 * holding its send buffer, until net.ipv4.tcp_max_orphans ("too many orphaned sockets": resets).
 * ss -s timewait uses the TIME_WAIT threshold above (the count is host-wide).
 */
import {
  S_CLOSE_WAIT,
  S_ESTABLISHED,
  S_FIN_WAIT_1,
  S_FIN_WAIT_2,
  S_LISTEN,
  S_SYN_RCVD,
  S_SYN_SENT,
  S_TIME_WAIT,
  TCP_STATES,
} from '../tcp/types';
import type { CountLine, SocketRow, SocketsDoc, SsSummary } from './parse';

export interface Thresholds {
  closeWait: number;
  finWait1: number;
  finWait2: number;
  synRecv: number;
  synSent: number;
  timeWait: number;
  queueBytes: number;
  orphaned: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  closeWait: 3,
  finWait1: 3,
  finWait2: 3,
  synRecv: 5,
  synSent: 3,
  timeWait: 500,
  queueBytes: 4096,
  orphaned: 100,
};

export type FindingKind =
  | 'close-wait'
  | 'time-wait'
  | 'syn-recv'
  | 'syn-sent'
  | 'accept-queue'
  | 'recv-q'
  | 'send-q'
  | 'fin-wait-1'
  | 'fin-wait-2'
  | 'orphaned';

export interface Finding {
  kind: FindingKind;
  severity: 'error' | 'warning' | 'info';
  /** Line and columns the diagnostic sits on (the first row of the pile, its state or queue). */
  line: number;
  start: number;
  end: number;
  /** How many sockets (or, for a queue, bytes). */
  count: number;
  /** Local or remote endpoint the pile is about ("10.0.0.1:9000", ":8080"), '' for a count line. */
  where: string;
  /** The program(s) holding the sockets, when -p / lsof showed them ('' otherwise). */
  program: string;
  /** accept-queue: the limit (-1 unknown); recv-q / send-q: the previous snapshot's bytes (-1 none). */
  limit: number;
  /** Every line of the pile (for related information). */
  lines: number[];
  /** recv-q / send-q: how many connections share the trouble (1: `where` is the connection itself). */
  connections: number;
}

export interface PortCount {
  port: number;
  /** 'local' when the port is a local listening port (a service here), 'remote' for connections out. */
  side: 'local' | 'remote';
  total: number;
  byState: number[];
}

export interface SnapshotSummary {
  snapshot: number;
  line: number;
  /** Sockets per S_* state (index), TCP only. */
  byState: number[];
  total: number;
  udp: number;
  ports: PortCount[];
  /** From counting lines (STATE COUNT / uniq -c) rather than rows. */
  fromCounts: boolean;
}

export interface SnapshotDiff {
  /** The later snapshot and its first line. */
  snapshot: number;
  line: number;
  /** Per S_* state: count now minus count before. */
  delta: number[];
  appeared: number;
  gone: number;
  /** Connections (same addresses and ports) whose state changed. */
  changed: number;
  /** Connections whose Recv-Q / Send-Q grew. */
  recvGrew: number;
  sendGrew: number;
}

export interface SocketsDiagnosis {
  snapshots: SnapshotSummary[];
  findings: Finding[];
  diffs: SnapshotDiff[];
}

function zeros(): number[] {
  return new Array<number>(TCP_STATES.length).fill(0);
}

function ep(addr: string, portText: string): string {
  return (addr.indexOf(':') >= 0 ? '[' + addr + ']' : addr) + ':' + portText;
}

function spanOf(row: SocketRow, field: 'state' | 'recvq' | 'sendq'): { start: number; end: number } {
  for (const s of row.spans) if (s.field === field) return s;
  for (const s of row.spans) if (s.field === 'localAddr') return s;
  return { start: 0, end: 0 };
}

function programs(rows: SocketRow[]): string {
  const names: string[] = [];
  for (const r of rows) {
    if (r.program === '' && r.pid < 0) continue;
    const n = r.program !== '' ? (r.pid >= 0 ? r.program + ' (' + r.pid + ')' : r.program) : 'PID ' + r.pid;
    if (!names.includes(n)) names.push(n);
    if (names.length >= 3) break;
  }
  return names.join(', ');
}

/** Group rows by a key, keeping first-seen order. */
function groupBy(rows: SocketRow[], key: (r: SocketRow) => string): Map<string, SocketRow[]> {
  const m = new Map<string, SocketRow[]>();
  for (const r of rows) {
    const k = key(r);
    const g = m.get(k);
    if (g) g.push(r);
    else m.set(k, [r]);
  }
  return m;
}

function pile(
  kind: FindingKind,
  severity: Finding['severity'],
  rows: SocketRow[],
  where: string,
  field: 'state' | 'recvq' | 'sendq' = 'state',
  limit = -1,
  count = rows.length,
): Finding {
  const s = spanOf(rows[0], field);
  return {
    kind,
    severity,
    line: rows[0].line,
    start: s.start,
    end: s.end,
    count,
    where,
    program: programs(rows),
    limit,
    lines: rows.map((r) => r.line),
    connections: 1,
  };
}

/** Findings of one snapshot's rows (the previous snapshot, when given, tells which queues grew). */
function rowFindings(rows: SocketRow[], th: Thresholds, prev: Map<string, SocketRow> | null): Finding[] {
  const out: Finding[] = [];
  const tcp = rows.filter((r) => r.proto === 'tcp');
  const listening = new Set<number>();
  for (const r of tcp) if (r.state === S_LISTEN && r.local.port >= 0) listening.add(r.local.port);
  const inState = (s: number): SocketRow[] => tcp.filter((r) => r.state === s);
  const byLocal = (r: SocketRow): string =>
    listening.has(r.local.port) ? ':' + r.local.portText : ep(r.local.addr, r.local.portText);
  const byPeer = (r: SocketRow): string => ep(r.peer.addr, r.peer.portText);
  // the side a pile is on: a listening port here → the server side; else the remote service
  const serviceOf = (r: SocketRow): string =>
    listening.has(r.local.port) ? ep(r.local.addr, r.local.portText) : byPeer(r);

  for (const [where, g] of groupBy(inState(S_CLOSE_WAIT), (r) => serviceOf(r))) {
    if (g.length >= th.closeWait) out.push(pile('close-wait', 'warning', g, where));
  }
  for (const [where, g] of groupBy(inState(S_FIN_WAIT_2), (r) => serviceOf(r))) {
    if (g.length >= th.finWait2) out.push(pile('fin-wait-2', 'info', g, where));
  }
  for (const [where, g] of groupBy(inState(S_FIN_WAIT_1), (r) => serviceOf(r))) {
    if (g.length >= th.finWait1) out.push(pile('fin-wait-1', 'warning', g, where));
  }
  for (const [, g] of groupBy(inState(S_SYN_RCVD), byLocal)) {
    if (g.length < th.synRecv) continue;
    const listener = tcp.find((r) => r.state === S_LISTEN && r.local.port === g[0].local.port && r.format === 'ss');
    out.push(
      pile('syn-recv', 'warning', g, ep(g[0].local.addr, g[0].local.portText), 'state', listener ? listener.sendQ : -1),
    );
  }
  for (const [where, g] of groupBy(inState(S_SYN_SENT), byPeer)) {
    if (g.length >= th.synSent) out.push(pile('syn-sent', 'warning', g, where));
  }
  // TIME_WAIT on the connecting side: local ports that are not a service here, per destination
  for (const [where, g] of groupBy(
    inState(S_TIME_WAIT).filter((r) => !listening.has(r.local.port)),
    byPeer,
  )) {
    if (g.length >= th.timeWait) out.push(pile('time-wait', 'info', g, where));
  }
  for (const r of tcp) {
    if (r.state !== S_LISTEN || r.recvQ <= 0) continue;
    // ss: Recv-Q is the accept queue, Send-Q its limit (the listen() backlog capped by somaxconn);
    // Linux holds one more than the limit, so "at the limit" is Recv-Q ≥ Send-Q. netstat prints
    // Send-Q 0 for a listener: the limit is unknown there, the waiting connections are not.
    const limit = r.format === 'ss' ? r.sendQ : -1;
    const full = limit >= 0 && r.recvQ >= limit;
    out.push(
      pile(
        'accept-queue',
        full ? 'error' : 'warning',
        [r],
        ep(r.local.addr, r.local.portText),
        'recvq',
        limit,
        r.recvQ,
      ),
    );
  }
  // queues: one finding per connection, or one per service when several of its connections have
  // the same trouble (the largest queue is the count, every line is related)
  for (const field of ['recvq', 'sendq'] as const) {
    const kind = field === 'recvq' ? 'recv-q' : 'send-q';
    const queued = tcp.filter(
      (r) =>
        (r.state === S_ESTABLISHED || r.state === S_CLOSE_WAIT || r.state === S_FIN_WAIT_1) &&
        (field === 'recvq' ? r.recvQ : r.sendQ) >= th.queueBytes,
    );
    for (const [where, g] of groupBy(queued, serviceOf)) {
      const q = (r: SocketRow): number => (field === 'recvq' ? r.recvQ : r.sendQ);
      if (g.length === 1) {
        const r = g[0];
        const before = prev?.get(connKey(r));
        out.push(
          pile(
            kind,
            'warning',
            g,
            ep(r.local.addr, r.local.portText) + ' ↔ ' + byPeer(r),
            field,
            before ? q(before) : -1,
            q(r),
          ),
        );
      } else {
        const largest = g.reduce((a, r) => (q(r) > q(a) ? r : a), g[0]);
        const f = pile(kind, 'warning', [largest, ...g.filter((r) => r !== largest)], where, field, -1, q(largest));
        f.connections = g.length;
        out.push(f);
      }
    }
  }
  return out;
}

function countFindings(counts: CountLine[], th: Thresholds): Finding[] {
  const out: Finding[] = [];
  for (const c of counts) {
    const s = c.spans[0].field === 'state' ? c.spans[0] : c.spans[1];
    const f = (kind: FindingKind, severity: Finding['severity']): void => {
      out.push({
        kind,
        severity,
        line: c.line,
        start: s.start,
        end: s.end,
        count: c.count,
        where: '',
        program: '',
        limit: -1,
        lines: [c.line],
        connections: 1,
      });
    };
    if (c.state === S_CLOSE_WAIT && c.count >= th.closeWait) f('close-wait', 'warning');
    else if (c.state === S_FIN_WAIT_2 && c.count >= th.finWait2) f('fin-wait-2', 'info');
    else if (c.state === S_FIN_WAIT_1 && c.count >= th.finWait1) f('fin-wait-1', 'warning');
    else if (c.state === S_SYN_RCVD && c.count >= th.synRecv) f('syn-recv', 'warning');
    else if (c.state === S_SYN_SENT && c.count >= th.synSent) f('syn-sent', 'warning');
    else if (c.state === S_TIME_WAIT && c.count >= th.timeWait) f('time-wait', 'info');
  }
  return out;
}

/** ss -s: the host's TIME_WAIT and orphan counts (and SYN_RECV, which older versions print). */
function summaryFindings(sums: SsSummary[], th: Thresholds): Finding[] {
  const out: Finding[] = [];
  for (const sum of sums) {
    const f = (key: string, kind: FindingKind, severity: Finding['severity'], min: number): void => {
      const n = sum.values.get(key);
      const at = sum.spans.find((x) => x.key === key);
      if (n === undefined || at === undefined || n < min) return;
      out.push({
        kind,
        severity,
        line: at.line,
        start: at.start,
        end: at.end,
        count: n,
        where: '',
        program: '',
        limit: -1,
        lines: [at.line],
        connections: 1,
      });
    };
    f('orphaned', 'orphaned', 'warning', th.orphaned);
    f('timewait', 'time-wait', 'info', th.timeWait);
    f('synrecv', 'syn-recv', 'warning', th.synRecv);
  }
  return out;
}

/** One connection's identity across snapshots. */
export function connKey(r: SocketRow): string {
  return r.proto + ' ' + ep(r.local.addr, r.local.portText) + ' ' + ep(r.peer.addr, r.peer.portText);
}

function summarize(snapshot: number, line: number, rows: SocketRow[], counts: CountLine[]): SnapshotSummary {
  const byState = zeros();
  let total = 0;
  let udp = 0;
  const listening = new Set<number>();
  for (const r of rows) if (r.proto === 'tcp' && r.state === S_LISTEN && r.local.port >= 0) listening.add(r.local.port);
  const ports = new Map<string, PortCount>();
  for (const r of rows) {
    if (r.proto === 'udp') {
      udp++;
      continue;
    }
    total++;
    if (r.state >= 0) byState[r.state]++;
    const local = listening.has(r.local.port) || r.peer.port < 0;
    const port = local ? r.local.port : r.peer.port;
    if (port < 0) continue;
    const k = (local ? 'l' : 'r') + port;
    let pc = ports.get(k);
    if (!pc) ports.set(k, (pc = { port, side: local ? 'local' : 'remote', total: 0, byState: zeros() }));
    pc.total++;
    if (r.state >= 0) pc.byState[r.state]++;
  }
  for (const c of counts) {
    if (c.state < 0) continue;
    byState[c.state] += c.count;
    total += c.count;
  }
  const list = [...ports.values()].sort((a, b) => b.total - a.total || a.port - b.port);
  return { snapshot, line, byState, total, udp, ports: list, fromCounts: rows.length === 0 && counts.length > 0 };
}

function diff(before: SocketRow[], after: SocketRow[], a: SnapshotSummary, b: SnapshotSummary): SnapshotDiff {
  const old = new Map<string, SocketRow>();
  for (const r of before) old.set(connKey(r), r);
  const seen = new Set<string>();
  let appeared = 0;
  let changed = 0;
  let recvGrew = 0;
  let sendGrew = 0;
  for (const r of after) {
    const k = connKey(r);
    seen.add(k);
    const o = old.get(k);
    if (!o) {
      appeared++;
      continue;
    }
    if (o.state !== r.state) changed++;
    if (r.recvQ > o.recvQ && o.recvQ >= 0) recvGrew++;
    if (r.sendQ > o.sendQ && o.sendQ >= 0) sendGrew++;
  }
  let gone = 0;
  for (const k of old.keys()) if (!seen.has(k)) gone++;
  return {
    snapshot: b.snapshot,
    line: b.line,
    delta: b.byState.map((n, i) => n - a.byState[i]),
    appeared,
    gone,
    changed,
    recvGrew,
    sendGrew,
  };
}

/** The whole diagnosis of a parsed document. */
export function diagnoseSockets(doc: SocketsDoc, th: Thresholds = DEFAULT_THRESHOLDS): SocketsDiagnosis {
  const n = doc.snapshotLines.length;
  const rowsOf: SocketRow[][] = Array.from({ length: n }, () => []);
  const countsOf: CountLine[][] = Array.from({ length: n }, () => []);
  for (const r of doc.rows) rowsOf[r.snapshot]?.push(r);
  for (const c of doc.counts) countsOf[c.snapshot]?.push(c);
  const snapshots: SnapshotSummary[] = [];
  const findings: Finding[] = [];
  const diffs: SnapshotDiff[] = [];
  let prevRows: SocketRow[] | null = null;
  let prevSummary: SnapshotSummary | null = null;
  for (let i = 0; i < n; i++) {
    if (rowsOf[i].length === 0 && countsOf[i].length === 0) continue;
    const s = summarize(i, doc.snapshotLines[i], rowsOf[i], countsOf[i]);
    snapshots.push(s);
    let prevMap: Map<string, SocketRow> | null = null;
    if (prevRows !== null && prevSummary !== null && rowsOf[i].length > 0) {
      diffs.push(diff(prevRows, rowsOf[i], prevSummary, s));
      prevMap = new Map(prevRows.map((r) => [connKey(r), r]));
    }
    findings.push(...rowFindings(rowsOf[i], th, prevMap), ...countFindings(countsOf[i], th));
    if (rowsOf[i].length > 0) {
      prevRows = rowsOf[i];
      prevSummary = s;
    }
  }
  findings.push(...summaryFindings(doc.summaries, th));
  return { snapshots, findings, diffs };
}
