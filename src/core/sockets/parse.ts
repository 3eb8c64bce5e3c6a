/**
 * netstat / ss / lsof output as text: the socket rows, the counting pipelines' lines, the ss -i
 * internals and where each field sits on its line (for hovers and the grammar's tests). Tolerant
 * like the tcpdump text parser: prose, prompts and cut lines around the output are skipped, and
 * a line is "unreadable" only when it starts like a socket row (a protocol word and then a number
 * or an address) and still could not be read. Pure TypeScript; one pass, whitespace split only.
 *
 * Forms read (every one seen on this machine, or from its documented format):
 *   Linux netstat -nat / -antp / -tulpn / -an   tcp  0  0 10.0.0.1:22  10.0.0.2:5000  ESTABLISHED  123/sshd
 *   macOS / BSD netstat -an -p tcp              tcp4 0  0 10.0.0.1.22  10.0.0.2.5000  ESTABLISHED
 *   Windows netstat -ano                          TCP  0.0.0.0:135  0.0.0.0:0  LISTENING  1234
 *   ss -tan / -tanp / -tani / -tuan             ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000 users:(("sshd",pid=1,fd=3))
 *   ss -tn state close-wait                     7 0 10.0.0.1:9000 10.0.0.2:46736   (state from the command)
 *   lsof -i -n -P                                python3 2292 root 8u IPv4 446194 0t0 TCP a:1->b:2 (CLOSE_WAIT)
 *   counting pipelines                          TIME_WAIT 814   /   814 TIME_WAIT   (uniq -c)
 *   ss -s summaries                             Total: 20 / TCP:   49 (estab 13, closed 30, orphaned 0, timewait 0)
 *                                               and its Transport table (RAW / UDP / TCP / INET / FRAG rows)
 *
 * Longer than our 600-line guide: one line loop reads seven output forms that share the column
 * splitter, the endpoint reader and the field positions; a file per form would repeat that core.
 */
import {
  TCP_STATES,
  S_CLOSED,
  S_CLOSE_WAIT,
  S_CLOSING,
  S_ESTABLISHED,
  S_FIN_WAIT_1,
  S_FIN_WAIT_2,
  S_LAST_ACK,
  S_LISTEN,
  S_SYN_RCVD,
  S_SYN_SENT,
  S_TIME_WAIT,
} from '../tcp/types';

export type SocketFormat = 'netstat' | 'bsd' | 'windows' | 'ss' | 'lsof';

/** What a span of a line is (the hover and the grammar test speak these names). */
export type SocketField =
  | 'proto'
  | 'recvq'
  | 'sendq'
  | 'localAddr'
  | 'localPort'
  | 'peerAddr'
  | 'peerPort'
  | 'state'
  | 'process'
  | 'count'
  | 'info'
  | 'header'
  | 'summary';

export interface Span {
  field: SocketField;
  start: number;
  end: number;
  /**
   * For 'info': the ss -i key ("rtt", "skmem"); for 'header': the column name; for 'summary' (ss -s):
   * "total", "kernel", "tcp", "estab", "closed", "orphaned", "synrecv", "timewait", "ports", or a
   * Transport table cell "TCP.total", "UDP.ipv6" ….
   */
  key?: string;
}

export interface Endpoint {
  addr: string;
  /** -1 for "*" or a port that is not a number. */
  port: number;
  /** The port as printed ("22", "*", "ssh"). */
  portText: string;
}

export interface SocketRow {
  /** 0-based line of the row (ss -i internals sit on the next line: infoLine). */
  line: number;
  format: SocketFormat;
  /** 'tcp' or 'udp' (and 'tcp6' … as printed in `protoText`). */
  proto: 'tcp' | 'udp';
  protoText: string;
  /** S_* value, -1 when the row has none (UDP, an ss state filter we could not read). */
  state: number;
  /** The state as printed ("ESTAB", "SYN_RECV", "LISTENING", "UNCONN"). */
  stateText: string;
  /** -1 when the form has no queues (Windows, lsof). */
  recvQ: number;
  sendQ: number;
  local: Endpoint;
  peer: Endpoint;
  /** "2292/python3", 'users:(("sshd",pid=1,fd=3))', a Windows PID, lsof's COMMAND; '' when absent. */
  process: string;
  /** The program name alone ("python3", "sshd"), '' when unknown. */
  program: string;
  pid: number;
  spans: Span[];
  /** ss -i / -m internals: key → value as printed; line -1 when none. */
  info: Map<string, string>;
  infoLine: number;
  infoSpans: Span[];
  /** Index of the snapshot (0 for the first output) this row belongs to. */
  snapshot: number;
}

export interface CountLine {
  line: number;
  state: number;
  stateText: string;
  count: number;
  spans: Span[];
  snapshot: number;
}

/** One `ss -s` summary: its numbers by key (Span.key's names) and where each is. */
export interface SsSummary {
  snapshot: number;
  /** First line of the summary ("Total: …", or "TCP: …" when Total was cut off). */
  line: number;
  values: Map<string, number>;
  /** Every number's place (line and columns), by key. */
  spans: { key: string; line: number; start: number; end: number }[];
}

export interface SocketsDoc {
  rows: SocketRow[];
  counts: CountLine[];
  /** `ss -s` summaries. */
  summaries: SsSummary[];
  /** The ss -s summary of each line (index into summaries; -1: none). */
  summaryOfLine: Int32Array;
  /** Lines that start like a socket row but could not be read (0-based). */
  unreadable: number[];
  /** First line of each snapshot (a command, a header or the first row after a gap of prose). */
  snapshotLines: number[];
  /** The row or count line of each line (rows: index into rows; counts: -2 - index into counts; -1: none). */
  itemOfLine: Int32Array;
  lineCount: number;
}

/** Every spelling of a TCP state in netstat (Linux, BSD, Windows), ss, lsof and prose → S_* value. */
const STATE_WORDS: Readonly<Record<string, number>> = {
  CLOSED: S_CLOSED,
  CLOSE: S_CLOSED,
  UNCONN: -1,
  LISTEN: S_LISTEN,
  LISTENING: S_LISTEN,
  SYN_SENT: S_SYN_SENT,
  'SYN-SENT': S_SYN_SENT,
  SYN_RECV: S_SYN_RCVD,
  'SYN-RECV': S_SYN_RCVD,
  SYN_RCVD: S_SYN_RCVD,
  SYN_RECEIVED: S_SYN_RCVD,
  'SYN-RECEIVED': S_SYN_RCVD,
  ESTABLISHED: S_ESTABLISHED,
  ESTAB: S_ESTABLISHED,
  FIN_WAIT1: S_FIN_WAIT_1,
  FIN_WAIT_1: S_FIN_WAIT_1,
  'FIN-WAIT-1': S_FIN_WAIT_1,
  FIN_WAIT2: S_FIN_WAIT_2,
  FIN_WAIT_2: S_FIN_WAIT_2,
  'FIN-WAIT-2': S_FIN_WAIT_2,
  CLOSING: S_CLOSING,
  TIME_WAIT: S_TIME_WAIT,
  'TIME-WAIT': S_TIME_WAIT,
  TIMEWAIT: S_TIME_WAIT,
  CLOSE_WAIT: S_CLOSE_WAIT,
  'CLOSE-WAIT': S_CLOSE_WAIT,
  LAST_ACK: S_LAST_ACK,
  'LAST-ACK': S_LAST_ACK,
};

/** S_* value of a state word, -1 for UNCONN, undefined when it is no state word. */
export function stateOfWord(word: string): number | undefined {
  const w = word.toUpperCase();
  return Object.prototype.hasOwnProperty.call(STATE_WORDS, w) ? STATE_WORDS[w] : undefined;
}

/** The name the engine and the explanations use (SYN_RCVD, FIN_WAIT_1 …); '' for -1. */
export function canonicalState(s: number): string {
  return s >= 0 && s < TCP_STATES.length ? TCP_STATES[s] : '';
}

const PROTOS: Readonly<Record<string, 'tcp' | 'udp'>> = {
  tcp: 'tcp',
  tcp4: 'tcp',
  tcp6: 'tcp',
  tcp46: 'tcp',
  udp: 'udp',
  udp4: 'udp',
  udp6: 'udp',
  udp46: 'udp',
  udplite: 'udp',
};

/** Longest line read (a cut paste of megabytes on one line is skipped, not split). */
const MAX_LINE = 8192;

interface Tok {
  s: string;
  start: number;
  end: number;
}

function tokens(line: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const a = i;
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    out.push({ s: line.slice(a, i), start: a, end: i });
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0xa0 || c === 0x3000;
}

function isUint(s: string): boolean {
  if (s.length === 0 || s.length > 12) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Address and port of an endpoint as printed: "10.0.0.1:22", "[::]:22", ":::22", "*:*",
 * "0.0.0.0%lo:53" (colon forms: Linux, ss, Windows) or "10.0.0.1.22", "*.*", "::1.631" (BSD).
 * Returns the offset of the port in the token, or null when it is no endpoint.
 */
export function splitEndpoint(s: string, bsd: boolean): { ep: Endpoint; portAt: number } | null {
  if (s.length < 3 || s.length > 80) return null;
  // the form's separator first, then the other one ("fe80::1%lo0.631" on BSD has both)
  const colon = s.lastIndexOf(':');
  const dot = s.lastIndexOf('.');
  return bsd ? (cutAt(s, dot) ?? cutAt(s, colon)) : (cutAt(s, colon) ?? cutAt(s, dot));
}

function cutAt(s: string, cut: number): { ep: Endpoint; portAt: number } | null {
  if (cut <= 0) return null;
  let addr = s.slice(0, cut);
  const portText = s.slice(cut + 1);
  if (portText !== '*' && !isPortWord(portText)) return null;
  if (addr.length >= 2 && addr[0] === '[' && addr[addr.length - 1] === ']') addr = addr.slice(1, -1);
  if (addr === '' || !isAddressLike(addr)) return null;
  const port = isUint(portText) && Number(portText) <= 65535 ? Number(portText) : -1;
  return { ep: { addr, port, portText }, portAt: cut + 1 };
}

/** A port number or a service name (netstat without -n: "ssh", "http-alt"). */
function isPortWord(s: string): boolean {
  if (s.length === 0 || s.length > 20) return false;
  if (isUint(s)) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}

function isAddressLike(s: string): boolean {
  if (s === '*') return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 57) ||
      (c >= 97 && c <= 122) ||
      (c >= 65 && c <= 90) ||
      c === 46 ||
      c === 58 ||
      c === 37 ||
      c === 45 ||
      c === 95 ||
      c === 91 ||
      c === 93;
    if (!ok) return false;
  }
  return true;
}

/** An ss state filter in a command line ("ss -tn state close-wait", "state established"). */
function stateFilterOf(toks: Tok[]): number | undefined {
  let ss = false;
  for (let i = 0; i < toks.length; i++) {
    const w = toks[i].s;
    if (w === 'ss' || w.endsWith('/ss')) ss = true;
    // "ss -tn state close-wait": one state the rows do not print (state groups like "connected" stay unknown)
    if (ss && w === 'state' && i + 1 < toks.length) {
      const s = stateOfWord(toks[i + 1].s);
      if (s !== undefined) return s;
    }
  }
  return undefined;
}

function isCommandLine(toks: Tok[]): boolean {
  for (const t of toks) {
    const w = t.s;
    if (w === 'netstat' || w === 'ss' || w === 'lsof' || w.endsWith('/netstat') || w.endsWith('/ss')) return true;
  }
  return false;
}

function isHeaderLine(toks: Tok[]): boolean {
  if (toks.length < 2) return false;
  const a = toks[0].s;
  const b = toks[1].s;
  return (
    (a === 'Proto' && (b === 'Recv-Q' || b === 'Local')) ||
    ((a === 'State' || a === 'Netid') && (b === 'Recv-Q' || b === 'State')) ||
    (a === 'Recv-Q' && b === 'Send-Q') ||
    (a === 'COMMAND' && b === 'PID') ||
    (a === 'Active' && (b === 'Internet' || b === 'Connections'))
  );
}

function emptyRow(line: number, format: SocketFormat, snapshot: number): SocketRow {
  return {
    line,
    format,
    proto: 'tcp',
    protoText: '',
    state: -1,
    stateText: '',
    recvQ: -1,
    sendQ: -1,
    local: { addr: '', port: -1, portText: '' },
    peer: { addr: '', port: -1, portText: '' },
    process: '',
    program: '',
    pid: -1,
    spans: [],
    info: new Map(),
    infoLine: -1,
    infoSpans: [],
    snapshot,
  };
}

function endpointSpans(row: SocketRow, tok: Tok, portAt: number, which: 'local' | 'peer'): void {
  const addrEnd = tok.start + portAt - 1;
  const bracket = tok.s[0] === '[' ? 1 : 0;
  row.spans.push({
    field: which === 'local' ? 'localAddr' : 'peerAddr',
    start: tok.start + bracket,
    end: addrEnd - bracket,
  });
  row.spans.push({ field: which === 'local' ? 'localPort' : 'peerPort', start: tok.start + portAt, end: tok.end });
}

function setProcess(row: SocketRow, toks: Tok[], from: number): void {
  if (from >= toks.length) return;
  const a = toks[from];
  const b = toks[toks.length - 1];
  row.process = toks
    .slice(from)
    .map((t) => t.s)
    .join(' ');
  row.spans.push({ field: 'process', start: a.start, end: b.end });
  const p = row.process;
  const slash = p.indexOf('/');
  if (slash > 0 && isUint(p.slice(0, slash))) {
    row.pid = Number(p.slice(0, slash));
    row.program = p.slice(slash + 1).split(' ')[0];
  } else if (p.startsWith('users:((')) {
    // users:(("python3",pid=2292,fd=8),("nginx",pid=…)) — the first program and pid
    const q1 = p.indexOf('"');
    const q2 = q1 >= 0 ? p.indexOf('"', q1 + 1) : -1;
    if (q2 > q1) row.program = p.slice(q1 + 1, q2);
    const pidAt = p.indexOf('pid=');
    if (pidAt >= 0) {
      let k = pidAt + 4;
      while (k < p.length && p.charCodeAt(k) >= 48 && p.charCodeAt(k) <= 57) k++;
      if (k > pidAt + 4) row.pid = Number(p.slice(pidAt + 4, k));
    }
  } else if (isUint(p)) {
    row.pid = Number(p);
  }
}

/** Linux or BSD netstat: proto recvq sendq local foreign [state] [process]. */
function readNetstat(toks: Tok[], line: number, snapshot: number): SocketRow | null {
  if (toks.length < 5 || !isQueue(toks[1].s) || !isQueue(toks[2].s)) return null;
  const protoText = toks[0].s;
  const bsd =
    protoText.endsWith('4') ||
    protoText.endsWith('46') ||
    (toks[3].s.indexOf(':') < 0 && dotCount(toks[3].s) === 4) ||
    toks[3].s.startsWith('*.');
  const l = splitEndpoint(toks[3].s, bsd);
  const f = splitEndpoint(toks[4].s, bsd);
  if (!l || !f) return null;
  const dotted = toks[3].s[l.portAt - 1] === '.' || toks[4].s[f.portAt - 1] === '.';
  const row = emptyRow(line, bsd || dotted ? 'bsd' : 'netstat', snapshot);
  row.proto = PROTOS[protoText.toLowerCase()];
  row.protoText = protoText;
  // "-": a queue nobody knows (the tables built from a capture, src/core/sockets/fromCapture.ts)
  row.recvQ = toks[1].s === '-' ? -1 : Number(toks[1].s);
  row.sendQ = toks[2].s === '-' ? -1 : Number(toks[2].s);
  row.local = l.ep;
  row.peer = f.ep;
  row.spans.push({ field: 'proto', start: toks[0].start, end: toks[0].end });
  row.spans.push({ field: 'recvq', start: toks[1].start, end: toks[1].end });
  row.spans.push({ field: 'sendq', start: toks[2].start, end: toks[2].end });
  endpointSpans(row, toks[3], l.portAt, 'local');
  endpointSpans(row, toks[4], f.portAt, 'peer');
  let next = 5;
  if (toks.length > 5) {
    const st = stateOfWord(toks[5].s);
    if (st !== undefined) {
      row.state = st;
      row.stateText = toks[5].s;
      row.spans.push({ field: 'state', start: toks[5].start, end: toks[5].end });
      next = 6;
    } else if (row.proto === 'tcp') {
      return null;
    }
  } else if (row.proto === 'tcp') {
    return null;
  }
  setProcess(row, toks, next);
  return row;
}

function isQueue(s: string): boolean {
  return s === '-' || isUint(s);
}

function dotCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 46) n++;
  return n;
}

/** Windows netstat -ano: proto local foreign [state] [pid]. */
function readWindows(toks: Tok[], line: number, snapshot: number): SocketRow | null {
  if (toks.length < 3) return null;
  const l = splitEndpoint(toks[1].s, false);
  const f = splitEndpoint(toks[2].s, false);
  if (!l || !f) return null;
  const row = emptyRow(line, 'windows', snapshot);
  row.proto = PROTOS[toks[0].s.toLowerCase()];
  row.protoText = toks[0].s;
  row.local = l.ep;
  row.peer = f.ep;
  row.spans.push({ field: 'proto', start: toks[0].start, end: toks[0].end });
  endpointSpans(row, toks[1], l.portAt, 'local');
  endpointSpans(row, toks[2], f.portAt, 'peer');
  let next = 3;
  if (toks.length > 3) {
    const st = stateOfWord(toks[3].s);
    if (st !== undefined) {
      row.state = st;
      row.stateText = toks[3].s;
      row.spans.push({ field: 'state', start: toks[3].start, end: toks[3].end });
      next = 4;
    }
  }
  if (row.proto === 'tcp' && row.state < 0) return null;
  setProcess(row, toks, next);
  return row;
}

/** ss: [netid] state recvq sendq local peer [process]; or, under a state filter, recvq sendq local peer. */
function readSs(toks: Tok[], line: number, snapshot: number, filterState: number | undefined): SocketRow | null {
  let k = 0;
  const row = emptyRow(line, 'ss', snapshot);
  const netid = PROTOS[toks[0].s.toLowerCase()];
  if (netid !== undefined) {
    row.proto = netid;
    row.protoText = toks[0].s;
    row.spans.push({ field: 'proto', start: toks[0].start, end: toks[0].end });
    k = 1;
  }
  if (k < toks.length && !isUint(toks[k].s)) {
    const st = stateOfWord(toks[k].s);
    if (st === undefined) return null;
    row.state = st;
    row.stateText = toks[k].s;
    row.spans.push({ field: 'state', start: toks[k].start, end: toks[k].end });
    k++;
  } else if (filterState !== undefined) {
    row.state = filterState;
    row.stateText = canonicalState(filterState);
  } else {
    return null;
  }
  if (toks.length < k + 4 || !isUint(toks[k].s) || !isUint(toks[k + 1].s)) return null;
  const l = splitEndpoint(toks[k + 2].s, false);
  const f = splitEndpoint(toks[k + 3].s, false);
  if (!l || !f) return null;
  if (row.protoText === '') {
    row.protoText = 'tcp';
    if (row.stateText === 'UNCONN') row.proto = 'udp';
  }
  row.recvQ = Number(toks[k].s);
  row.sendQ = Number(toks[k + 1].s);
  row.local = l.ep;
  row.peer = f.ep;
  row.spans.push({ field: 'recvq', start: toks[k].start, end: toks[k].end });
  row.spans.push({ field: 'sendq', start: toks[k + 1].start, end: toks[k + 1].end });
  endpointSpans(row, toks[k + 2], l.portAt, 'local');
  endpointSpans(row, toks[k + 3], f.portAt, 'peer');
  setProcess(row, toks, k + 4);
  return row;
}

/** lsof -i: COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME [(STATE)]. */
function readLsof(toks: Tok[], line: number, snapshot: number): SocketRow | null {
  let at = -1;
  for (let i = 2; i < toks.length - 1 && i < 10; i++) {
    if (
      (toks[i].s === 'TCP' || toks[i].s === 'UDP') &&
      (toks[i - 1].s.startsWith('0t') || isUint(toks[i - 1].s) || toks[i - 1].s === '0')
    ) {
      at = i;
      break;
    }
  }
  if (at < 0 || !isUint(toks[1].s)) return null;
  const name = toks[at + 1];
  const arrow = name.s.indexOf('->');
  const row = emptyRow(line, 'lsof', snapshot);
  row.proto = toks[at].s === 'TCP' ? 'tcp' : 'udp';
  row.protoText = toks[at].s;
  row.spans.push({ field: 'proto', start: toks[at].start, end: toks[at].end });
  const localText = arrow < 0 ? name.s : name.s.slice(0, arrow);
  const l = splitEndpoint(localText, false);
  if (!l) return null;
  row.local = l.ep;
  endpointSpans(row, { s: localText, start: name.start, end: name.start + localText.length }, l.portAt, 'local');
  if (arrow >= 0) {
    const peerText = name.s.slice(arrow + 2);
    const f = splitEndpoint(peerText, false);
    if (!f) return null;
    row.peer = f.ep;
    endpointSpans(row, { s: peerText, start: name.start + arrow + 2, end: name.end }, f.portAt, 'peer');
  } else {
    row.peer = { addr: '*', port: -1, portText: '*' };
  }
  if (at + 2 < toks.length) {
    const st = toks[at + 2];
    const w = st.s.length > 2 && st.s[0] === '(' && st.s[st.s.length - 1] === ')' ? st.s.slice(1, -1) : '';
    const s = stateOfWord(w);
    if (s !== undefined) {
      row.state = s;
      row.stateText = w;
      row.spans.push({ field: 'state', start: st.start + 1, end: st.end - 1 });
    }
  }
  row.program = toks[0].s;
  row.pid = Number(toks[1].s);
  row.process = toks[0].s + ' ' + toks[1].s;
  row.spans.push({ field: 'process', start: toks[0].start, end: toks[1].end });
  return row;
}

/** ss -i keys whose value is the next word ("send 1Gbps", "pacing_rate 2Mbps"). */
const SPACED_KEYS = new Set(['send', 'pacing_rate', 'delivery_rate']);

/** ss -i / -m continuation: "\t cubic wscale:7,7 rto:204 rtt:0.1/0.05 … skmem:(r0,rb…)". */
function readInfo(row: SocketRow, toks: Tok[], line: number): void {
  row.infoLine = line;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const colon = t.s.indexOf(':');
    if (colon > 0) {
      const key = t.s.slice(0, colon);
      row.info.set(key, t.s.slice(colon + 1));
      row.infoSpans.push({ field: 'info', key, start: t.start, end: t.end });
    } else if (SPACED_KEYS.has(t.s) && i + 1 < toks.length) {
      row.info.set(t.s, toks[i + 1].s);
      row.infoSpans.push({ field: 'info', key: t.s, start: t.start, end: toks[i + 1].end });
      i++;
    } else {
      row.info.set(t.s, '');
      row.infoSpans.push({ field: 'info', key: t.s, start: t.start, end: t.end });
    }
  }
}

/** Does the line look like ss -i internals (indented, key:value words)? */
function looksLikeInfo(line: string, toks: Tok[]): boolean {
  if (toks.length === 0 || !isSpace(line.charCodeAt(0))) return false;
  let kv = 0;
  for (const t of toks) if (t.s.indexOf(':') > 0 && stateOfWord(t.s) === undefined) kv++;
  return kv > 0 && kv * 2 >= toks.length - 2;
}

/** A line that starts like a socket row (for the "unreadable" count): a protocol word, then a number or an address. */
function startsLikeRow(toks: Tok[]): boolean {
  if (toks.length < 3) return false;
  const p = PROTOS[toks[0].s.toLowerCase()];
  if (p === undefined) return false;
  const b = toks[1].s;
  return isUint(b) || splitEndpoint(b, false) !== null || stateOfWord(b) !== undefined;
}

/** ss -s's Transport table rows (the older iproute2 adds a "*" row: every socket the kernel has). */
const SS_TRANSPORTS = new Set(['*', 'RAW', 'UDP', 'TCP', 'INET', 'FRAG']);
const SS_COLUMNS = ['total', 'ip', 'ipv6'];

/** A number as ss -s prints it: "13", "13," "0)" "5/0" (timewait/… of older versions: the first). */
function ssNumber(tok: Tok): { n: number; start: number; end: number } | null {
  let a = 0;
  let b = tok.s.length;
  while (a < b && tok.s[a] === '(') a++;
  while (b > a && (tok.s[b - 1] === ',' || tok.s[b - 1] === ')')) b--;
  let c = a;
  while (c < b && tok.s.charCodeAt(c) >= 48 && tok.s.charCodeAt(c) <= 57) c++;
  if (c === a || c - a > 12 || (c < b && tok.s[c] !== '/')) return null;
  return { n: Number(tok.s.slice(a, c)), start: tok.start + a, end: tok.start + c };
}

/** The words of an ss -s line after its label: "(estab 13, closed 30, …), ports 0" or "(kernel 1425)". */
function readSsPairs(sum: SsSummary, toks: Tok[], from: number, ln: number): void {
  for (let i = from; i + 1 < toks.length; i++) {
    let w = toks[i].s;
    let lead = 0;
    while (w.startsWith('(')) {
      w = w.slice(1);
      lead++;
    }
    while (w.endsWith(',')) w = w.slice(0, -1);
    if (w.length === 0 || w.length > 12) continue;
    const v = ssNumber(toks[i + 1]);
    if (v === null) continue;
    sum.values.set(w, v.n);
    // the word and its number ("orphaned 120"): what a hover and a diagnostic cover
    sum.spans.push({ key: w, line: ln, start: toks[i].start + lead, end: v.end });
    i++;
  }
}

/** Parse netstat / ss / lsof text (any mix, several snapshots). */
export function parseSockets(text: string): SocketsDoc {
  const rows: SocketRow[] = [];
  const counts: CountLine[] = [];
  const summaries: SsSummary[] = [];
  const unreadable: number[] = [];
  const snapshotLines: number[] = [];
  const lines = text.split('\n');
  const itemOfLine = new Int32Array(lines.length).fill(-1);
  const summaryOfLine = new Int32Array(lines.length).fill(-1);
  // the ss -s summary being read (a blank line ends it after its Transport table)
  let summary: SsSummary | null = null;
  const newSummary = (ln: number): SsSummary => {
    if (snapshot < 0) boundary(ln);
    inSnapshot = true;
    const x: SsSummary = { snapshot, line: ln, values: new Map(), spans: [] };
    summaries.push(x);
    return x;
  };
  let snapshot = -1;
  let inSnapshot = false; // rows since the last boundary
  let filter: number | undefined;
  let lastRow: SocketRow | null = null;
  let inTotals = false;
  const boundary = (line: number): void => {
    if (snapshot < 0 || inSnapshot) {
      snapshot++;
      snapshotLines.push(line);
      inSnapshot = false;
    }
  };
  for (let ln = 0; ln < lines.length; ln++) {
    let line = lines[ln];
    if (line.length > MAX_LINE) {
      lastRow = null;
      continue;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const toks = tokens(line);
    if (toks.length === 0) {
      lastRow = null;
      if (inTotals) summary = null;
      inTotals = false;
      continue;
    }
    if (lastRow !== null && lastRow.format === 'ss' && lastRow.infoLine < 0 && looksLikeInfo(line, toks)) {
      readInfo(lastRow, toks, ln);
      itemOfLine[ln] = rows.length - 1;
      lastRow = null;
      continue;
    }
    lastRow = null;
    if (isCommandLine(toks)) {
      boundary(ln);
      filter = stateFilterOf(toks);
      continue;
    }
    if (isHeaderLine(toks)) {
      // "Active Internet connections" then "Proto Recv-Q …": one boundary for both
      if (inSnapshot || snapshot < 0) boundary(ln);
      if (toks[0].s === 'State' || toks[0].s === 'Netid' || toks[0].s === 'Proto')
        filter = toks[0].s === 'Proto' ? undefined : filter;
      continue;
    }
    // ss -s: "Total: 20", "TCP:   40 (estab 9, closed 26, …)" and its Transport table: totals, not sockets
    if (toks[0].s === 'Total:' && toks.length >= 2 && isUint(toks[1].s)) {
      summary = newSummary(ln);
      const v = ssNumber(toks[1]) as { n: number; start: number; end: number };
      summary.values.set('total', v.n);
      summary.spans.push({ key: 'total', line: ln, start: toks[0].start, end: v.end });
      readSsPairs(summary, toks, 2, ln);
      summaryOfLine[ln] = summaries.length - 1;
      continue;
    }
    if (toks[0].s === 'TCP:' && toks.length >= 3 && isUint(toks[1].s) && toks[2].s.startsWith('(')) {
      if (summary === null || summary.values.has('tcp')) summary = newSummary(ln);
      summary.values.set('tcp', Number(toks[1].s));
      summary.spans.push({ key: 'tcp', line: ln, start: toks[0].start, end: toks[1].end });
      readSsPairs(summary, toks, 2, ln);
      summaryOfLine[ln] = summaries.length - 1;
      continue;
    }
    if (toks[0].s === 'Transport' && toks.length > 1 && toks[1].s === 'Total') {
      inTotals = true;
      if (summary === null) summary = newSummary(ln);
      summary.spans.push({ key: 'Transport', line: ln, start: toks[0].start, end: toks[toks.length - 1].end });
      summaryOfLine[ln] = summaries.length - 1;
      continue;
    }
    if (inTotals) {
      if (summary !== null && SS_TRANSPORTS.has(toks[0].s) && toks.length === 4) {
        summary.spans.push({ key: toks[0].s, line: ln, start: toks[0].start, end: toks[0].end });
        for (let k = 1; k < 4; k++) {
          const v = ssNumber(toks[k]);
          if (v === null) continue; // "-" in the "*" row
          const key = toks[0].s + '.' + SS_COLUMNS[k - 1];
          summary.values.set(key, v.n);
          summary.spans.push({ key, line: ln, start: v.start, end: v.end });
        }
        summaryOfLine[ln] = summaries.length - 1;
      }
      continue;
    }
    // the Unix-socket section of netstat -an: nothing of TCP below it
    if (toks[0].s === 'unix' || (toks[0].s === 'Active' && toks.length > 1 && toks[1].s === 'UNIX')) continue;
    let row: SocketRow | null = null;
    const first = toks[0].s;
    const proto = PROTOS[first.toLowerCase()];
    if (proto !== undefined) {
      if (first === 'TCP' || first === 'UDP') row = readWindows(toks, ln, Math.max(snapshot, 0));
      if (row === null && toks.length > 1 && isQueue(toks[1].s)) row = readNetstat(toks, ln, Math.max(snapshot, 0));
      if (row === null && toks.length > 1 && stateOfWord(toks[1].s) !== undefined)
        row = readSs(toks, ln, Math.max(snapshot, 0), filter);
      if (row === null && toks.length > 1 && toks[0].s === first.toLowerCase())
        row = readWindows(toks, ln, Math.max(snapshot, 0));
    } else if (stateOfWord(first) !== undefined && toks.length === 2 && isUint(toks[1].s)) {
      if (snapshot < 0) boundary(ln);
      const st = stateOfWord(first) as number;
      counts.push({
        line: ln,
        state: st,
        stateText: first,
        count: Number(toks[1].s),
        spans: [
          { field: 'state', start: toks[0].start, end: toks[0].end },
          { field: 'count', start: toks[1].start, end: toks[1].end },
        ],
        snapshot,
      });
      itemOfLine[ln] = -2 - (counts.length - 1);
      inSnapshot = true;
      continue;
    } else if (toks.length === 2 && isUint(first) && stateOfWord(toks[1].s) !== undefined) {
      if (snapshot < 0) boundary(ln);
      const st = stateOfWord(toks[1].s) as number;
      counts.push({
        line: ln,
        state: st,
        stateText: toks[1].s,
        count: Number(first),
        spans: [
          { field: 'count', start: toks[0].start, end: toks[0].end },
          { field: 'state', start: toks[1].start, end: toks[1].end },
        ],
        snapshot,
      });
      itemOfLine[ln] = -2 - (counts.length - 1);
      inSnapshot = true;
      continue;
    } else if (stateOfWord(first) !== undefined && toks.length >= 5) {
      row = readSs(toks, ln, Math.max(snapshot, 0), filter);
    } else if (isUint(first) && filter !== undefined && toks.length >= 4) {
      row = readSs(toks, ln, Math.max(snapshot, 0), filter);
    } else if (toks.length >= 9 && isUint(toks[1].s)) {
      row = readLsof(toks, ln, Math.max(snapshot, 0));
    }
    if (row === null) {
      if (startsLikeRow(toks)) unreadable.push(ln);
      continue;
    }
    if (snapshot < 0) boundary(ln);
    row.snapshot = snapshot;
    rows.push(row);
    itemOfLine[ln] = rows.length - 1;
    inSnapshot = true;
    lastRow = row;
  }
  return { rows, counts, summaries, summaryOfLine, unreadable, snapshotLines, itemOfLine, lineCount: lines.length };
}
