/**
 * Flow graph (sequence diagram) of TCP connections: one lifeline per endpoint (address:port), one
 * arrow per packet labelled like Wireshark's Flow Graph ("SYN", "SYN, ACK", "PSH, ACK - Len: 10")
 * with a "Seq = … Ack = … Win = …" comment, state boxes where an endpoint's state changes,
 * brackets over the handshake and the teardown, and analysis markers. Pure TypeScript (no
 * vscode, no Buffer): the webview, the text and SVG exports all read this model.
 *
 * Rows are indexable: row r is `graph.arrows[r]` (packets in the order given), and
 * `rowOfIndex(graph, packetIndex)` finds the row of a packet, so a virtualized view can draw any
 * window of rows; `stateBoxesIn`, `markersIn` and `bracketsIn` give the decorations of a window.
 */
import { TH_ACK, TH_AE, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN, TH_URG } from '../decode/packet';
import { analysisNames, S_CLOSED, S_LISTEN, TCP_STATES, type PacketResult, type SegmentInput, type TcpStateName } from '../tcp/types';

/**
 * One TCP packet as the flow graph needs it: the engine's input fields (addresses, ports, flags,
 * payload length, time), with seq/ack as the engine made them relative, the raw ones beside them,
 * the window as shown (scaled when the scale is known) and the engine's final result.
 */
export interface FlowPacket extends Pick<SegmentInput, 'index' | 'tsSec' | 'tsNsec' | 'src' | 'dst' | 'sport' | 'dport' | 'flags' | 'seq' | 'ack' | 'win' | 'len'> {
  seqRaw: number;
  ackRaw: number;
  result: PacketResult;
}

export interface FlowHost {
  addr: string;
  /** Its lifelines, left to right (indexes into graph.lifelines). */
  lifelines: number[];
}

export interface FlowLifeline {
  /** Position, left to right (0-based; = index in graph.lifelines). */
  id: number;
  addr: string;
  port: number;
  /** "10.0.0.1:443", "[fe80::1]:443". */
  label: string;
  /** Index in graph.hosts. */
  host: number;
  /** The role this endpoint played in the first connection it appeared in. */
  role: 'client' | 'server';
  /**
   * The application of its connection when another part of the capture named it ("FTP-DATA": a data
   * connection announced by PORT/PASV/EPRT/EPSV, src/core/decode/app/ftpData.ts); absent otherwise.
   */
  app?: string;
}

export interface FlowArrow {
  /** Row number (= index in graph.arrows). */
  row: number;
  /** Packet number in the capture / log. */
  index: number;
  stream: number;
  /** Lifelines of the sender and the receiver. */
  from: number;
  to: number;
  /** 0: client to server, 1: server to client. */
  dir: 0 | 1;
  tsSec: number;
  tsNsec: number;
  /** Nanoseconds since the graph's first row, and since the previous row. */
  relNs: number;
  deltaNs: number;
  /** Wireshark's Flow Graph label: "SYN, ACK", "PSH, ACK - Len: 13". */
  label: string;
  /** "Seq = 0 Ack = 1 Win = 65160" (relative, or raw with `absolute`). */
  comment: string;
  flags: number;
  /** A_* analysis bits. */
  analysis: number;
  /** The handshake/teardown step ("handshake 2/3"), '' when none. */
  step: string;
}

export interface FlowStateBox {
  row: number;
  lifeline: number;
  stream: number;
  /** The endpoint's state after the packet of this row. */
  state: TcpStateName;
  /** Its state before. */
  from: TcpStateName;
  /** true when the engine inferred the states (connection seen mid-stream). */
  inferred: boolean;
}

export interface FlowBracket {
  stream: number;
  kind: 'handshake' | 'teardown';
  /** "Three-way handshake", "Handshake (not completed)", "Simultaneous open", "Four-way teardown", "Three-way teardown", "Simultaneous close". */
  label: string;
  firstRow: number;
  lastRow: number;
}

export type FlowMarkerKind = ReturnType<typeof analysisNames>[number] | 'rst';

export interface FlowMarker {
  row: number;
  /** The sender's lifeline. */
  lifeline: number;
  kind: FlowMarkerKind;
}

export interface FlowGraph {
  hosts: FlowHost[];
  lifelines: FlowLifeline[];
  arrows: FlowArrow[];
  /** Sorted by row (then lifeline). */
  stateBoxes: FlowStateBox[];
  /** Sorted by first row. */
  brackets: FlowBracket[];
  /** Sorted by row. */
  markers: FlowMarker[];
  /** Streams shown, ascending. */
  streams: number[];
  /** Time of the first row (the origin of relative times). */
  t0Sec: number;
  t0Nsec: number;
  /** Whether the comments show raw (absolute) sequence numbers. */
  absolute: boolean;
  /** true when the rows' packet numbers increase (capture order): rowOfIndex is then a binary search. */
  ordered: boolean;
}

export interface FlowOptions {
  /** Only these streams (default: all). */
  streams?: readonly number[];
  /** Raw sequence numbers in the comments (default: relative). */
  absolute?: boolean;
  /** Application labels by stream ("FTP-DATA"), shown with the connection's lifelines. */
  apps?: ReadonlyMap<number, string>;
}

export type FlowTimeMode = 'relative' | 'absolute' | 'delta';

const FLAG_NAMES: [number, string][] = [
  [TH_FIN, 'FIN'],
  [TH_SYN, 'SYN'],
  [TH_RST, 'RST'],
  [TH_PUSH, 'PSH'],
  [TH_ACK, 'ACK'],
  [TH_URG, 'URG'],
  [TH_ECE, 'ECE'],
  [TH_CWR, 'CWR'],
  [TH_AE, 'AE'],
];

/** Flags as Wireshark's Flow Graph names them: "SYN, ACK"; "<None>" when no flag is set. */
export function flagsText(flags: number): string {
  const out: string[] = [];
  for (const [bit, name] of FLAG_NAMES) if (flags & bit) out.push(name);
  return out.length ? out.join(', ') : '<None>';
}

/** The arrow label: flags, and " - Len: N" when the packet carries data. */
export function arrowLabel(flags: number, len: number): string {
  const f = flagsText(flags);
  return len > 0 ? `${f} - Len: ${len}` : f;
}

/** The arrow comment: "Seq = 0 Ack = 1 Win = 65160" ("Ack" only when the ACK flag is set, as Wireshark). */
export function arrowComment(p: FlowPacket, absolute = false): string {
  const seq = absolute ? p.seqRaw : p.seq;
  const ack = absolute ? p.ackRaw : p.ack;
  return (p.flags & TH_ACK ? `Seq = ${seq >>> 0} Ack = ${ack >>> 0}` : `Seq = ${seq >>> 0}`) + ` Win = ${p.win}`;
}

/** A lifeline's header: "10.0.0.2:5001 (FTP-DATA)" when its connection is labelled, else its endpoint. */
export function lifelineTitle(l: Pick<FlowLifeline, 'label' | 'app'>): string {
  return l.app ? `${l.label} (${l.app})` : l.label;
}

/** "10.0.0.1:80", "[fe80::1]:80". */
export function endpointLabel(addr: string, port: number): string {
  return (addr.includes(':') ? `[${addr}]` : addr) + ':' + port;
}

function stateName(s: number): TcpStateName {
  return TCP_STATES[s] ?? 'CLOSED';
}

function bracketOf(step: string): { kind: 'handshake' | 'teardown'; label: string } | null {
  // a handshake is labelled as such once its last step is seen; before, it is an attempt
  if (step === 'handshake 3/3') return { kind: 'handshake', label: 'Three-way handshake' };
  if (step === 'simultaneous open 4/4') return { kind: 'handshake', label: 'Simultaneous open' };
  if (step.startsWith('handshake') || step.startsWith('simultaneous open')) return { kind: 'handshake', label: 'Handshake (not completed)' };
  if (step.startsWith('simultaneous close')) return { kind: 'teardown', label: 'Simultaneous close' };
  if (step.startsWith('teardown')) return { kind: 'teardown', label: step.endsWith('/3') ? 'Three-way teardown' : 'Four-way teardown' };
  return null;
}

/** A connection's two endpoints as its first packet shows them, the client told by the engine's direction. */
export interface FlowConn {
  stream: number;
  client: { addr: string; port: number };
  server: { addr: string; port: number };
  /** The application named elsewhere in the capture ("FTP-DATA"), when any. */
  app?: string;
}

/** The FlowConn of a stream from its first packet (`dir` is the engine's: 0 = sent by the client). */
export function flowConnOf(p: Pick<FlowPacket, 'src' | 'sport' | 'dst' | 'dport'>, stream: number, dir: number): FlowConn {
  const a = { addr: p.src, port: p.sport };
  const b = { addr: p.dst, port: p.dport };
  return dir === 0 ? { stream, client: a, server: b } : { stream, client: b, server: a };
}

/**
 * Hosts and lifelines of these connections (in the order given): per connection its client then
 * its server endpoint, each endpoint once, lifelines grouped by host in order of first appearance.
 */
export function flowEndpoints(conns: Iterable<FlowConn>): { hosts: FlowHost[]; lifelines: FlowLifeline[] } {
  const hostIx = new Map<string, number>();
  const hostOrder: { addr: string; eps: { key: string; port: number; role: 'client' | 'server'; app?: string }[] }[] = [];
  const seenEp = new Map<string, { app?: string }>();
  const addEp = (addr: string, port: number, role: 'client' | 'server', app: string | undefined): void => {
    const key = endpointLabel(addr, port);
    const had = seenEp.get(key);
    if (had) {
      // an endpoint in several connections: the first label found names it
      had.app ??= app;
      return;
    }
    let h = hostIx.get(addr);
    if (h === undefined) {
      h = hostOrder.length;
      hostIx.set(addr, h);
      hostOrder.push({ addr, eps: [] });
    }
    const ep = { key, port, role, app };
    seenEp.set(key, ep);
    hostOrder[h].eps.push(ep);
  };
  for (const c of conns) {
    addEp(c.client.addr, c.client.port, 'client', c.app);
    addEp(c.server.addr, c.server.port, 'server', c.app);
  }
  const hosts: FlowHost[] = [];
  const lifelines: FlowLifeline[] = [];
  for (const h of hostOrder) {
    const host: FlowHost = { addr: h.addr, lifelines: [] };
    for (const e of h.eps) {
      const id = lifelines.length;
      const l: FlowLifeline = { id, addr: h.addr, port: e.port, label: e.key, host: hosts.length, role: e.role };
      if (e.app) l.app = e.app;
      lifelines.push(l);
      host.lifelines.push(id);
    }
    hosts.push(host);
  }
  return { hosts, lifelines };
}

/**
 * Lifelines a graph shows at most when drawn whole (the CLI's `flow`). Each lifeline is a column
 * of 28+ characters in the text diagram (170+ px in the SVG), and every row is as wide as all of
 * them: 714 connections made 28,000-character lines. 32 lifelines are ~900 columns, already more
 * than a screen; past that a sequence diagram is no longer read, so the rest is left to `--stream`.
 */
export const FLOW_MAX_LIFELINES = 32;

export interface FlowStreamPlan {
  /** Streams drawn, ascending. */
  streams: number[];
  /** Their connections (in stream order): what flowEndpoints lays out. */
  conns: FlowConn[];
  /** Streams asked for that do not exist. */
  missing: number[];
  /** Streams asked for (or all) left out because their endpoints would pass the lifeline cap. */
  omitted: number;
}

/**
 * Which streams to draw: those asked for (all by default), in stream order, as long as their
 * endpoints fit in `maxLifelines` lifelines; a later stream whose endpoints are already drawn is
 * still taken. `conns` are all the streams of the source (any order).
 */
export function planFlowStreams(conns: readonly FlowConn[], want: readonly number[] | undefined, maxLifelines = FLOW_MAX_LIFELINES): FlowStreamPlan {
  const byStream = new Map<number, FlowConn>();
  for (const c of conns) byStream.set(c.stream, c);
  const missing: number[] = [];
  let asked: number[];
  if (want) {
    const set = new Set<number>();
    for (const s of want) if (byStream.has(s)) set.add(s);
    else if (!missing.includes(s)) missing.push(s);
    asked = Array.from(set).sort((a, b) => a - b);
  } else asked = Array.from(byStream.keys()).sort((a, b) => a - b);
  const eps = new Set<string>();
  const streams: number[] = [];
  const shown: FlowConn[] = [];
  let omitted = 0;
  for (const s of asked) {
    const c = byStream.get(s)!;
    const a = endpointLabel(c.client.addr, c.client.port);
    const b = endpointLabel(c.server.addr, c.server.port);
    const added = (eps.has(a) ? 0 : 1) + (eps.has(b) || a === b ? 0 : 1);
    if (eps.size + added > maxLifelines && streams.length > 0) {
      omitted++;
      continue;
    }
    eps.add(a);
    eps.add(b);
    streams.push(s);
    shown.push(c);
  }
  return { streams, conns: shown, missing, omitted };
}

/** One row as it is built: its arrow, the state boxes and markers on it. */
export interface FlowRow {
  arrow: FlowArrow;
  /** Sorted by lifeline. */
  states: FlowStateBox[];
  markers: FlowMarker[];
}

/**
 * Builds the rows of a graph one packet at a time (capture order), keeping per stream only its
 * last states and open brackets: buildFlowGraph stores the rows, a streamed export writes each
 * as it comes (memory does not grow with the rows).
 */
export class FlowRowBuilder {
  /** Handshake / teardown brackets so far, by first row; a bracket's lastRow grows while its phase goes on. */
  readonly brackets: FlowBracket[] = [];
  /** Streams seen, in order of their first row. */
  readonly streams: number[] = [];
  private readonly lifelineOf = new Map<string, number>();
  /** Per stream: states after its last row, and its handshake / teardown brackets. */
  private readonly last = new Map<number, { c: number; s: number; hs: FlowBracket | null; td: FlowBracket | null }>();
  private row = 0;
  private t0Sec = 0;
  private t0Nsec = 0;
  private prevNs = 0;

  constructor(
    lifelines: readonly FlowLifeline[],
    private readonly absolute = false,
  ) {
    for (const l of lifelines) this.lifelineOf.set(l.label, l.id);
  }

  /** The row of the next packet. Its endpoints must be lifelines given to the constructor. */
  add(p: FlowPacket): FlowRow {
    const row = this.row++;
    if (row === 0) {
      this.t0Sec = p.tsSec;
      this.t0Nsec = p.tsNsec;
    }
    const r = p.result;
    const from = this.lifelineOf.get(endpointLabel(p.src, p.sport))!;
    const to = this.lifelineOf.get(endpointLabel(p.dst, p.dport))!;
    const relNs = (p.tsSec - this.t0Sec) * 1e9 + (p.tsNsec - this.t0Nsec);
    const arrow: FlowArrow = {
      row,
      index: p.index,
      stream: r.stream,
      from,
      to,
      dir: r.dir,
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      relNs,
      deltaNs: row === 0 ? 0 : relNs - this.prevNs,
      label: arrowLabel(p.flags, p.len),
      comment: arrowComment(p, this.absolute),
      flags: p.flags,
      analysis: r.analysis,
      step: r.step,
    };
    this.prevNs = relNs;

    // states: before = after the stream's previous row (CLOSED / LISTEN before its first, CLOSED
    // for the server too when the engine found nothing listened)
    let st = this.last.get(r.stream);
    if (!st) {
      st = { c: S_CLOSED, s: r.serverState === S_CLOSED ? S_CLOSED : S_LISTEN, hs: null, td: null };
      this.last.set(r.stream, st);
      this.streams.push(r.stream);
    }
    const clientLl = r.dir === 0 ? from : to;
    const serverLl = r.dir === 0 ? to : from;
    const states: FlowStateBox[] = [];
    if (r.clientState !== st.c) states.push({ row, lifeline: clientLl, stream: r.stream, state: stateName(r.clientState), from: stateName(st.c), inferred: r.inferred });
    if (r.serverState !== st.s) states.push({ row, lifeline: serverLl, stream: r.stream, state: stateName(r.serverState), from: stateName(st.s), inferred: r.inferred });
    if (states.length === 2 && states[1].lifeline < states[0].lifeline) states.reverse();
    st.c = r.clientState;
    st.s = r.serverState;

    // brackets: consecutive rows (of this stream) whose steps belong to the same phase
    const b = bracketOf(r.step);
    if (b) {
      const open = b.kind === 'handshake' ? st.hs : st.td;
      if (open) {
        open.lastRow = row;
        if (b.kind === 'handshake') open.label = b.label;
      } else {
        const nb: FlowBracket = { stream: r.stream, kind: b.kind, label: b.label, firstRow: row, lastRow: row };
        if (b.kind === 'handshake') st.hs = nb;
        else st.td = nb;
        this.brackets.push(nb);
      }
    }

    // markers
    const markers: FlowMarker[] = [];
    for (const name of analysisNames(r.analysis)) markers.push({ row, lifeline: from, kind: name });
    if (p.flags & TH_RST) markers.push({ row, lifeline: from, kind: 'rst' });
    return { arrow, states, markers };
  }
}

/**
 * Build the flow graph of `packets` (capture order; each with its engine result), for the
 * streams asked for (all by default).
 */
export function buildFlowGraph(packets: readonly FlowPacket[], opts: FlowOptions = {}): FlowGraph {
  const want = opts.streams ? new Set(opts.streams) : null;
  const absolute = opts.absolute === true;
  const list = want ? packets.filter((p) => want.has(p.result.stream)) : packets;

  // endpoints: per connection in order of first appearance, client then server
  const conns: FlowConn[] = [];
  const streamsSeen = new Set<number>();
  for (const p of list) {
    const s = p.result.stream;
    if (streamsSeen.has(s)) continue;
    streamsSeen.add(s);
    const c = flowConnOf(p, s, p.result.dir);
    const app = opts.apps?.get(s);
    if (app) c.app = app;
    conns.push(c);
  }
  const { hosts, lifelines } = flowEndpoints(conns);

  const builder = new FlowRowBuilder(lifelines, absolute);
  const arrows: FlowArrow[] = new Array(list.length);
  const stateBoxes: FlowStateBox[] = [];
  const markers: FlowMarker[] = [];
  let ordered = true;
  for (let row = 0; row < list.length; row++) {
    if (row > 0 && list[row].index <= list[row - 1].index) ordered = false;
    const r = builder.add(list[row]);
    arrows[row] = r.arrow;
    for (const b of r.states) stateBoxes.push(b);
    for (const m of r.markers) markers.push(m);
  }
  const brackets = builder.brackets;
  brackets.sort((a, b) => a.firstRow - b.firstRow || a.stream - b.stream);
  const t0Sec = list.length ? list[0].tsSec : 0;
  const t0Nsec = list.length ? list[0].tsNsec : 0;
  return { hosts, lifelines, arrows, stateBoxes, brackets, markers, streams: Array.from(streamsSeen).sort((a, b) => a - b), t0Sec, t0Nsec, absolute, ordered };
}

/** The row of a packet (by its capture / log number), -1 when it is not in the graph. */
export function rowOfIndex(g: FlowGraph, index: number): number {
  const a = g.arrows;
  if (!g.ordered) {
    for (let i = 0; i < a.length; i++) if (a[i].index === index) return i;
    return -1;
  }
  const r = rowAtOrAfter(g, index);
  return r < a.length && a[r].index === index ? r : -1;
}

/**
 * The first row whose packet number is ≥ `index` (arrows.length when none): where a view
 * scrolls to for a packet that is not in the graph (not TCP, another stream). Needs `ordered`.
 */
export function rowAtOrAfter(g: FlowGraph, index: number): number {
  const a = g.arrows;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid].index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstAtOrAfter<T extends { row: number }>(list: readonly T[], row: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].row < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** State boxes of rows first..last (inclusive). */
export function stateBoxesIn(g: FlowGraph, first: number, last: number): FlowStateBox[] {
  const out: FlowStateBox[] = [];
  for (let i = firstAtOrAfter(g.stateBoxes, first); i < g.stateBoxes.length && g.stateBoxes[i].row <= last; i++) out.push(g.stateBoxes[i]);
  return out;
}

/** Markers of rows first..last (inclusive). */
export function markersIn(g: FlowGraph, first: number, last: number): FlowMarker[] {
  const out: FlowMarker[] = [];
  for (let i = firstAtOrAfter(g.markers, first); i < g.markers.length && g.markers[i].row <= last; i++) out.push(g.markers[i]);
  return out;
}

/**
 * Each row of first..last with its own state boxes and markers, taken from the window's lists (`stateBoxesIn`,
 * `markersIn`: sorted by row) in one walk: what the text and SVG writers draw a row from.
 */
export function forEachRowIn(
  first: number,
  last: number,
  states: FlowStateBox[],
  marks: FlowMarker[],
  row: (r: number, states: FlowStateBox[], marks: FlowMarker[]) => void,
): void {
  let si = 0;
  let mi = 0;
  for (let r = first; r <= last; r++) {
    const s0 = si;
    while (si < states.length && states[si].row === r) si++;
    const m0 = mi;
    while (mi < marks.length && marks[mi].row === r) mi++;
    row(r, states.slice(s0, si), marks.slice(m0, mi));
  }
}

/** Brackets overlapping rows first..last. */
export function bracketsIn(g: FlowGraph, first: number, last: number): FlowBracket[] {
  return g.brackets.filter((b) => b.firstRow <= last && b.lastRow >= first);
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** Nanoseconds as seconds "S.ffffff" (9 digits when the time has sub-microsecond parts). */
export function secText(ns: number): string {
  const neg = ns < 0;
  const a = Math.abs(Math.round(ns));
  const s = Math.floor(a / 1e9);
  const frac = a - s * 1e9;
  const f = frac % 1000 === 0 ? pad(frac / 1000, 6) : pad(frac, 9);
  return (neg ? '-' : '') + s + '.' + f;
}

/**
 * Time column text of a row: 'relative' seconds since the first row ("0.030150"), 'delta'
 * seconds since the previous row, 'absolute' UTC time of day ("08:00:00.030150").
 */
export function timeText(g: FlowGraph, row: number, mode: FlowTimeMode = 'relative'): string {
  return arrowTimeText(g.arrows[row], mode);
}

/** timeText of an arrow (a row built by FlowRowBuilder, before any graph holds it). */
export function arrowTimeText(a: Pick<FlowArrow, 'relNs' | 'deltaNs' | 'tsSec' | 'tsNsec'>, mode: FlowTimeMode = 'relative'): string {
  if (mode === 'relative') return secText(a.relNs);
  if (mode === 'delta') return secText(a.deltaNs);
  const day = ((a.tsSec % 86400) + 86400) % 86400;
  const frac = a.tsNsec % 1000 === 0 ? pad(Math.floor(a.tsNsec / 1000), 6) : pad(a.tsNsec, 9);
  return `${pad(Math.floor(day / 3600), 2)}:${pad(Math.floor(day / 60) % 60, 2)}:${pad(day % 60, 2)}.${frac}`;
}
