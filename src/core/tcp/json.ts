/**
 * CLI contract of the TCP engine: the JSON objects of `capture-lens packets FILE --json` (one per
 * packet) and `capture-lens conns FILE --json` (one per connection), and the text table of
 * `capture-lens conns FILE`. Pure functions.
 *
 * Conventions:
 *  - Packet numbers in JSON and in the table are 1-based, like tcpdump -# and Wireshark's "No."
 *    (`no`, `firstPacket`, `lastPacket`, `problems[].packet`); the engine's API is 0-based.
 *  - `time` / `start`: seconds since the epoch as a decimal string with all 9 digits of the
 *    nanoseconds ("1591780863.720289000"), never a float.
 *  - `seq` / `ack`: relative numbers as Wireshark computes them (SYN = 0); `ack` is 0 when the ACK
 *    flag is not set. `seqRaw` / `ackRaw`: the numbers on the wire. `win`: the raw window field;
 *    `winScaled`: Wireshark's calculated window (-1 unknown scale, -2 no scaling, as Wireshark).
 *  - `flags`: tcpdump's flag string ("S", "S.", "FP.", "R", ".", "none").
 *  - Endpoints as "ip:port", IPv6 as "[addr]:port".
 */

import { TH_ACK } from '../decode/packet';
import { tcpFlagString } from '../decode/tcp';
import { ConnectionSummary, PacketResult, Problem, SegmentInput, TCP_STATES, TcpStateName, analysisNames } from './types';
import { endpointText, timeText } from './summary';
import { formatEn, type Translate } from '../explain/l10n';
import { problemText, severityText } from '../explain/problems';

export interface PacketJsonInput {
  /** 0-based packet index and time stamp. */
  index: number;
  tsSec: number;
  tsNsec: number;
  /** Network addresses (or whatever the packet's source / destination is shown as). */
  src: string;
  dst: string;
  sport?: number | null;
  dport?: number | null;
  /** IP protocol number or a name. */
  proto: number | string;
}

export interface PacketJson {
  no: number;
  time: string;
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
  proto: string;
  stream?: number;
  flags?: string;
  seq?: number;
  ack?: number;
  seqRaw?: number;
  ackRaw?: number;
  win?: number;
  winScaled?: number;
  len?: number;
  analysis?: string[];
  step?: string;
  states?: { client: TcpStateName; server: TcpStateName };
  inferred?: boolean;
}

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 132: 'sctp' };

function protoName(p: number | string): string {
  if (typeof p === 'string') return p.toLowerCase();
  return PROTO_NAMES[p] ?? String(p);
}

/** tcpdump's flag string. */
export function tcpFlags(flags: number): string {
  return tcpFlagString(flags);
}

/**
 * The JSON object of one packet. For a TCP segment pass its SegmentInput and the engine's result
 * (engine.result(index) after finish(), for final states); without a result only the header
 * fields are written.
 */
export function packetJson(p: PacketJsonInput, seg?: SegmentInput | null, res?: PacketResult | null): PacketJson {
  const o: PacketJson = {
    no: p.index + 1,
    time: timeText(p.tsSec, p.tsNsec),
    src: p.src,
    dst: p.dst,
    sport: p.sport ?? null,
    dport: p.dport ?? null,
    proto: protoName(p.proto),
  };
  if (seg == null) return o;
  o.proto = 'tcp';
  if (res != null) o.stream = res.stream;
  o.flags = tcpFlagString(seg.flags);
  const ackSet = (seg.flags & TH_ACK) !== 0;
  if (res != null) {
    o.seq = res.relSeq;
    o.ack = ackSet ? res.relAck : 0;
  }
  o.seqRaw = seg.seq >>> 0;
  o.ackRaw = seg.ack >>> 0;
  o.win = seg.win;
  if (res != null) o.winScaled = res.winScaled;
  o.len = seg.len;
  if (res != null) {
    o.analysis = analysisNames(res.analysis);
    o.step = res.step;
    o.states = { client: TCP_STATES[res.clientState], server: TCP_STATES[res.serverState] };
    o.inferred = res.inferred;
  }
  return o;
}

export interface ConnJson {
  stream: number;
  client: string;
  server: string;
  roleBy: ConnectionSummary['roleBy'];
  firstPacket: number;
  lastPacket: number;
  packets: { client: number; server: number };
  bytes: { client: number; server: number };
  start: string;
  duration: number;
  clientState: TcpStateName;
  serverState: TcpStateName;
  connState: ConnectionSummary['connState'];
  history: string;
  problems: { kind: string; packet: number; severity: string; message: string; messageZh: string }[];
  /** The application the connection carries, when known from elsewhere in the capture ("FTP-DATA"). */
  app?: string;
}

/**
 * Sentences of problems whose parameters are shared (summary.ts ParamsCache, detectSynFlood): a
 * SYN flood of 100 000 connections renders its ~500 bytes of text once, not 100 000 times.
 */
const rendered = new WeakMap<object, { kind: Problem['kind']; zh: Translate; message: string; messageZh: string }>();

function messages(p: Problem, zh: Translate): { message: string; messageZh: string } {
  const r = rendered.get(p.params);
  if (r !== undefined && r.kind === p.kind && r.zh === zh) return { message: r.message, messageZh: r.messageZh };
  const m = { kind: p.kind, zh, message: problemText(p, formatEn), messageZh: problemText(p, zh) };
  rendered.set(p.params, m);
  return { message: m.message, messageZh: m.messageZh };
}

/**
 * The JSON object of one connection. Its problems' `message` is English and `messageZh` is
 * Simplified Chinese by `zh`: the zh-cn bundle's translator (src/node/l10n.ts `zhCn()`, or
 * bundleTranslator over l10n/bundle.l10n.zh-cn.json).
 */
export function connJson(s: ConnectionSummary, zh: Translate): ConnJson {
  return {
    stream: s.stream,
    client: endpointText(s.client.addr, s.client.port),
    server: endpointText(s.server.addr, s.server.port),
    roleBy: s.roleBy,
    firstPacket: s.firstPacket + 1,
    lastPacket: s.lastPacket + 1,
    packets: { client: s.packets.client, server: s.packets.server },
    bytes: { client: s.bytes.client, server: s.bytes.server },
    start: s.start,
    duration: s.duration,
    clientState: s.clientState,
    serverState: s.serverState,
    connState: s.connState,
    history: s.history,
    problems: s.problems.map((p) => ({
      kind: p.kind,
      packet: p.packet + 1,
      severity: p.severity,
      ...messages(p, zh),
    })),
  };
}

export interface ConnsTableOptions {
  /** Language of the headings and problem lines (default English: formatEn). */
  t?: Translate;
  /** List each problem under the table (default true). */
  problems?: boolean;
  /**
   * Application labels by stream ("FTP-DATA" from src/core/decode/app/ftpData.ts): when any is given,
   * an APP column follows SERVER; without labels the table is as before.
   */
  labels?: ReadonlyMap<number, string>;
}

function fmtDuration(d: number): string {
  return d.toFixed(6);
}

/** Display width: CJK characters count double (for aligned columns). */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, w: number, right = false): string {
  const n = w - width(s);
  if (n <= 0) return s;
  return right ? ' '.repeat(n) + s : s + ' '.repeat(n);
}

/** The headings in the reader's language (literal t() calls: the bundle test finds its keys in the source). */
function tableHead(t: Translate): string[] {
  return [
    t('STREAM'),
    t('CLIENT'),
    t('SERVER'),
    t('PKTS C/S'),
    t('BYTES C/S'),
    t('DURATION'),
    t('CLIENT STATE'),
    t('SERVER STATE'),
    t('CONN'),
    t('HISTORY'),
    t('PROBLEMS'),
  ];
}
const TABLE_RIGHT = [true, false, false, true, true, true, false, false, false, false, false];

function tableCells(s: ConnectionSummary): string[] {
  const kinds: string[] = [];
  for (const p of s.problems) if (!kinds.includes(p.kind)) kinds.push(p.kind);
  return [
    String(s.stream),
    endpointText(s.client.addr, s.client.port),
    endpointText(s.server.addr, s.server.port),
    s.packets.client + '/' + s.packets.server,
    s.bytes.client + '/' + s.bytes.server,
    fmtDuration(s.duration),
    s.clientState,
    s.serverState,
    s.connState,
    s.history === '' ? '-' : s.history,
    kinds.length === 0 ? '-' : kinds.join(','),
  ];
}

/**
 * The lines (without "\n") of `capture-lens conns FILE`'s table, one at a time so that a caller can
 * write them out as they come: one line per connection, then (unless opts.problems is false) one
 * line per problem: "stream N, packet P, severity kind: message".
 */
export function* connsTableLines(sums: readonly ConnectionSummary[], opts: ConnsTableOptions = {}): Generator<string> {
  const t = opts.t ?? formatEn;
  const labels = opts.labels !== undefined && opts.labels.size > 0 ? opts.labels : null;
  // the APP column (after SERVER) only when some connection has a label
  const withApp = (r: string[], app: string): string[] => (labels === null ? r : [...r.slice(0, 3), app, ...r.slice(3)]);
  const right = labels === null ? TABLE_RIGHT : withApp(TABLE_RIGHT.map(String), 'false').map((v) => v === 'true');
  const cellsOf = (s: ConnectionSummary): string[] => withApp(tableCells(s), labels?.get(s.stream) ?? '-');
  const head = withApp(tableHead(t), t('APP'));
  // column widths in a first pass, with loops: Math.max(...column) / push(...lines) passed every
  // row as an argument on the stack, which overflowed at ~70,000 connections (a SYN scan)
  const widths = head.map(width);
  for (const s of sums) {
    const cells = cellsOf(s);
    for (let c = 0; c < cells.length; c++) widths[c] = Math.max(widths[c], width(cells[c]));
  }
  const line = (r: string[]): string =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c], right[c])))
      .join('  ')
      .trimEnd();
  yield line(head);
  for (const s of sums) yield line(cellsOf(s));
  if (opts.problems === false) return;
  let first = true;
  for (const s of sums) {
    for (const p of s.problems) {
      if (first) {
        yield '';
        yield t('Problems:');
        first = false;
      }
      yield '  ' + t('stream {0}, packet {1}, {2} {3}: {4}', s.stream, p.packet + 1, severityText(p.severity, t), p.kind, problemText(p, t));
    }
  }
}

/** The whole table of connsTableLines as one string (each line ending "\n"). */
export function formatConnsTable(sums: ConnectionSummary[], opts: ConnsTableOptions = {}): string {
  const lines: string[] = [];
  for (const l of connsTableLines(sums, opts)) lines.push(l);
  return lines.join('\n') + '\n';
}
