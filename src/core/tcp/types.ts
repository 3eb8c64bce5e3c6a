/**
 * Contract of the TCP connection engine (issue: "TCP connection engine"). Pure TypeScript.
 *
 * Pipeline, one pass over the packets in capture order:
 *   SegmentInput (from a decoded capture packet or a parsed tcpdump text line)
 *     → conversation lookup / stream numbering + sequence analysis   (src/core/tcp/analysis.ts)
 *     → endpoint state machines, handshake/teardown steps            (src/core/tcp/states.ts)
 *     → per-connection summary: Zeek conn_state/history, problems     (src/core/tcp/summary.ts)
 * orchestrated by TcpEngine (src/core/tcp/engine.ts), which keeps per-packet results in typed
 * arrays (struct of arrays, ≤ 64 bytes a packet) and per-connection objects.
 */

/** One TCP segment as the engine sees it. */
export interface SegmentInput {
  /** 0-based packet number in the capture (frames that are not TCP are numbered too). */
  index: number;
  /** Time: seconds since the epoch and nanoseconds. */
  tsSec: number;
  tsNsec: number;
  /** Network addresses as text ("10.0.0.1", "fe80::1") and ports. */
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** TH_* flag bits (src/core/decode/packet.ts), AE = 0x100 included. */
  flags: number;
  /** Raw (absolute) 32-bit sequence and acknowledgement numbers. */
  seq: number;
  ack: number;
  /** Raw window field. */
  win: number;
  /** TCP payload length (what the IP lengths say, even when the capture cut it). */
  len: number;
  /** Options the analysis needs; -1 / false when absent. */
  mss: number;
  wscale: number;
  sackOk: boolean;
  tsVal: number;
  tsEcr: number;
  /** SACK blocks (left, right pairs, raw numbers), when present. */
  sack?: number[];
  /**
   * Optional numeric endpoint keys, address × 65536 + port, for IPv4 segments read from a
   * capture: the engine then finds the conversation without building a string key. Both or none.
   */
  srcKey?: number;
  dstKey?: number;
  /** true when the segment's headers were damaged/cut (analysis should stay conservative). */
  damaged?: boolean;
}

/** Wireshark's tcp.analysis.* flags, as bits. */
export const A_RETRANSMISSION = 1 << 0;
export const A_FAST_RETRANSMISSION = 1 << 1;
export const A_SPURIOUS_RETRANSMISSION = 1 << 2;
export const A_OUT_OF_ORDER = 1 << 3;
export const A_LOST_SEGMENT = 1 << 4;
export const A_ACK_LOST_SEGMENT = 1 << 5;
export const A_DUPLICATE_ACK = 1 << 6;
export const A_ZERO_WINDOW = 1 << 7;
export const A_ZERO_WINDOW_PROBE = 1 << 8;
export const A_ZERO_WINDOW_PROBE_ACK = 1 << 9;
export const A_KEEP_ALIVE = 1 << 10;
export const A_KEEP_ALIVE_ACK = 1 << 11;
export const A_WINDOW_UPDATE = 1 << 12;
export const A_WINDOW_FULL = 1 << 13;
export const A_REUSED_PORTS = 1 << 14;

/** Names used in JSON output and tests, in bit order (Wireshark's field names without "tcp.analysis."). */
export const ANALYSIS_NAMES = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'lost_segment',
  'ack_lost_segment',
  'duplicate_ack',
  'zero_window',
  'zero_window_probe',
  'zero_window_probe_ack',
  'keep_alive',
  'keep_alive_ack',
  'window_update',
  'window_full',
  'reused_ports',
] as const;
export type AnalysisName = (typeof ANALYSIS_NAMES)[number];

export function analysisNames(bits: number): AnalysisName[] {
  const out: AnalysisName[] = [];
  for (let i = 0; i < ANALYSIS_NAMES.length; i++) if (bits & (1 << i)) out.push(ANALYSIS_NAMES[i]);
  return out;
}

/** Endpoint states (RFC 9293), as small integers for typed arrays. */
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RCVD',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSING',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
] as const;
export type TcpStateName = (typeof TCP_STATES)[number];
export const S_CLOSED = 0;
export const S_LISTEN = 1;
export const S_SYN_SENT = 2;
export const S_SYN_RCVD = 3;
export const S_ESTABLISHED = 4;
export const S_FIN_WAIT_1 = 5;
export const S_FIN_WAIT_2 = 6;
export const S_CLOSING = 7;
export const S_TIME_WAIT = 8;
export const S_CLOSE_WAIT = 9;
export const S_LAST_ACK = 10;

/** Direction of a packet within its connection. */
export const DIR_CLIENT_TO_SERVER = 0;
export const DIR_SERVER_TO_CLIENT = 1;

/** What the engine found for one TCP packet (a view over the engine's typed arrays, or a plain object). */
export interface PacketResult {
  stream: number;
  dir: 0 | 1;
  /** Relative seq/ack as Wireshark computes them (SYN = 0); raw values are in the input. */
  relSeq: number;
  relAck: number;
  /**
   * Window as Wireshark's tcp.window_size: raw << the sender's scale once both sides' wscale
   * were seen in the handshake; the raw value when the scale is unknown or unused (the
   * conversation's flow state says which).
   */
  winScaled: number;
  /** A_* bits. */
  analysis: number;
  /** For duplicate_ack: its number (1, 2, …) and the packet index it duplicates; 0/-1 otherwise. */
  dupAckNum: number;
  dupAckOf: number;
  /** States after this packet (S_* values), client's and server's. */
  clientState: number;
  serverState: number;
  /** true when the states shown are inferred (connection seen mid-stream). */
  inferred: boolean;
  /** The step this packet plays, e.g. "handshake 2/3", "teardown 3/4", "" when none. */
  step: string;
}

/** A PacketResult to fill (engine.resultInto) or reuse. */
export function emptyResult(): PacketResult {
  return { stream: 0, dir: 0, relSeq: 0, relAck: 0, winScaled: 0, analysis: 0, dupAckNum: 0, dupAckOf: -1, clientState: 0, serverState: 0, inferred: false, step: '' };
}

/** 0: the client, 1: the server (the `dir` of PacketResult, the index of ConnStates.e). */
export type Side = 0 | 1;

/**
 * What each kind of problem says, as data: its sentence (explanation and advice) is rendered from
 * these by src/core/explain/problems.ts in the user's language. Endpoints are "ip:port" /
 * "[ip6]:port" (summary.ts endpointText).
 */
export interface ProblemParams {
  /** The client's SYN answered by the server's RST. */
  refused: { server: string };
  /** The client sent `syns` SYNs and the server sent nothing at all. */
  'no-answer': { server: string; syns: number };
  /** `side` reset the connection while it was in `state`; `afterFin`: both sides had sent FIN. */
  reset: { side: Side; endpoint: string; state: TcpStateName; afterFin: boolean };
  /** The server is left in SYN_RCVD. */
  'half-open': { server: string };
  /** `halfOpen` connections to `server` were left half-open (capture level). */
  'syn-flood': { server: string; halfOpen: number };
  /** `side` (at `endpoint`) ends in CLOSE_WAIT after acknowledging the peer's FIN. */
  'close-wait': { side: Side; endpoint: string };
  /** `side` (at `endpoint`) ends in FIN_WAIT_2: the peer acknowledged its FIN but sent none. */
  'fin-wait-2': { side: Side; endpoint: string };
  /** `retransmitted` of `segments` data segments were retransmitted. */
  retransmissions: { retransmitted: number; segments: number };
  /** `side` (at `endpoint`) advertised a zero window. */
  'zero-window': { side: Side; endpoint: string };
  /** Segments missing within the connection's first packets. */
  'lost-at-start': Record<string, never>;
}

export type ProblemKind = keyof ProblemParams;

const KINDS: Readonly<Record<ProblemKind, true>> = {
  refused: true,
  'no-answer': true,
  reset: true,
  'half-open': true,
  'syn-flood': true,
  'close-wait': true,
  'fin-wait-2': true,
  retransmissions: true,
  'zero-window': true,
  'lost-at-start': true,
};

/** Every problem kind (the compiler checks the list is complete: KINDS is a Record over them). */
export const PROBLEM_KINDS = Object.keys(KINDS) as readonly ProblemKind[];

/**
 * A problem found on a connection: shown as a diagnostic with advice. It carries no text: render
 * it with problemText(p, t) (src/core/explain/problems.ts).
 */
export type Problem = {
  [K in ProblemKind]: {
    kind: K;
    /** 0-based packet index where it shows. */
    packet: number;
    severity: 'error' | 'warning' | 'info';
    params: Readonly<ProblemParams[K]>;
  };
}[ProblemKind];

/** Per-connection summary. */
export interface ConnectionSummary {
  stream: number;
  client: { addr: string; port: number };
  server: { addr: string; port: number };
  /** How the roles were decided: 'syn' (sender of the first SYN), 'syn-ack', 'port' (higher port is the client), … */
  roleBy: 'syn' | 'syn-ack' | 'port' | 'first-packet';
  firstPacket: number;
  lastPacket: number;
  /** Start time (seconds, as a decimal string with full precision) and duration in seconds. */
  start: string;
  duration: number;
  packets: { client: number; server: number };
  bytes: { client: number; server: number };
  clientState: TcpStateName;
  serverState: TcpStateName;
  /** Zeek's conn_state and history. */
  connState: 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';
  history: string;
  problems: Problem[];
}
