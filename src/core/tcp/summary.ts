/**
 * Per-connection accumulation and ConnectionSummary: counts, Zeek's conn_state and history, and the
 * problems found (kind and parameters; src/core/explain/problems.ts says them in the user's language).
 * Pure TypeScript, O(1) per packet, no allocation per packet (the history string grows only when Zeek
 * would add a letter).
 *
 * Choices:
 *  - start: the first packet's time as "<seconds>.<9 digits>" (exact: seconds and nanoseconds are
 *    printed as integers, no floating point). duration: last packet minus first packet, in seconds
 *    (a number, rounded to the ns). Zeek's duration leaves out trailing non-productive packets; ours
 *    does not.
 *  - bytes: TCP payload bytes each way as the IP lengths say, retransmissions included.
 *  - conn_state / history follow Zeek's TCP analyzer (src/packet_analysis/protocol/tcp/
 *    TCPSessionAdapter.cc: update_history, update_window, update_last_seq, UpdateStateMachine; and
 *    base/protocols/conn/main.zeek: conn_state) with Zeek's originator = our client. Approximations:
 *    '^' is written when the connection's first packet came from our server (Zeek flips roles by
 *    its port heuristic; we flip by ours); 'G'/'g' (content gap) counts packets flagged
 *    ack_lost_segment (an ACK for data the capture never showed) against the side whose data is
 *    missing; 'C'/'c' (bad checksum) is never written (SegmentInput carries no checksum verdict);
 *    the payload sizes the REJ rule tests are counted bytes, not Zeek's sequence-number span.
 *    'c', 'g', 't', 'w' are written at the 1st, 10th, 100th… event of a side, as Zeek does.
 *
 * Problems (Problem.packet is where it shows):
 *  - refused (error): the client's SYN answered by the server's RST (at the RST).
 *  - no-answer (warning): the client sent SYN(s), the server sent nothing at all (first SYN).
 *  - reset (warning; info when both sides had already sent FIN): who reset and its state then.
 *  - half-open (warning): the server is left in SYN_RCVD (its last SYN+ACK).
 *  - syn-flood (error, capture level, detectSynFlood): ≥ SYN_FLOOD_MIN (10) connections to one
 *    server address and port left half-open or unanswered (each one's first packet).
 *  - close-wait (warning): a side ends in CLOSE_WAIT after acknowledging the peer's FIN (the FIN).
 *  - fin-wait-2 (warning; info when the peer's CLOSE_WAIT is reported too): a side ends in
 *    FIN_WAIT_2 (the ACK of its FIN).
 *  - retransmissions (warning ≥ 2 %, error ≥ 10 %, at least 2): segments with payload or FIN
 *    flagged retransmission (Wireshark's bits: fast and spurious ones included), SYNs left out.
 *  - zero-window (warning): the first zero window each side advertised.
 *  - lost-at-start (info): lost_segment / ack_lost_segment within a connection's first 4 packets.
 */

import {
  A_ACK_LOST_SEGMENT,
  A_LOST_SEGMENT,
  A_RETRANSMISSION,
  A_ZERO_WINDOW,
  ConnectionSummary,
  PacketResult,
  Problem,
  S_CLOSE_WAIT,
  S_CLOSED,
  S_FIN_WAIT_2,
  S_LISTEN,
  S_SYN_RCVD,
  S_SYN_SENT,
  SegmentInput,
  Side,
  TCP_STATES,
} from './types';
import type { Conversation } from './analysis';
import { ConnStates } from './states';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

/** Zeek's TCP endpoint states (analyzer::tcp::EndpointState). */
export const Z_INACTIVE = 0;
export const Z_SYN_SENT = 1;
export const Z_SYN_ACK_SENT = 2;
export const Z_PARTIAL = 3;
export const Z_ESTABLISHED = 4;
export const Z_CLOSED = 5;
export const Z_RESET = 6;

/** History masks (one bit a letter kind; the responder's are shifted by 16, as in Zeek). */
const HIST_SYN = 0x1;
const HIST_FIN = 0x2;
const HIST_RST = 0x4;
const HIST_FIN_RST = 0x8;
const HIST_DATA = 0x10;
const HIST_ACK = 0x20;
const HIST_MULTI = 0x40;

const TOO_LARGE_SEQ_DELTA = 1048576;

/** Thresholds for the retransmission problem. */
export const RETX_MIN_COUNT = 2;
export const RETX_WARN_RATE = 0.02;
export const RETX_ERROR_RATE = 0.1;
/** Half-open connections to one server port that make a SYN-flood suspicion. */
export const SYN_FLOOD_MIN = 10;
/** Packets at the start of a connection in which missing segments count as "lost at start". */
const LOST_AT_START_WINDOW = 4;

/** One side of ConnAccumulator (Zeek's TCP_Endpoint, plus counts). */
export class EndpointAcc {
  pkts = 0;
  bytes = 0;
  /** Zeek endpoint state, previous state, start / last sequence numbers, payload size. */
  z = Z_INACTIVE;
  zPrev = Z_INACTIVE;
  zStart = 0;
  zLast = 0;
  zSize = 0;
  histLastSyn = 0;
  histLastFin = 0;
  histLastRst = 0;
  rxmtCnt = 0;
  rxmtThresh = 1;
  win0Cnt = 0;
  win0Thresh = 1;
  gapCnt = 0;
  gapThresh = 1;
  zeroWinIdx = -1;
}

/** Per-connection accumulator (conv.ext.sum). e[0] = client (Zeek's originator), e[1] = server. */
export class ConnAccumulator {
  readonly e: [EndpointAcc, EndpointAcc] = [new EndpointAcc(), new EndpointAcc()];
  lastPacket = -1;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  count = 0;
  histSeen = 0;
  history = '';
  synCount = 0;
  retx = 0;
  dataSegs = 0;
  firstRetx = -1;
  lostStartIdx = -1;
}

function acc(conv: Conversation): ConnAccumulator {
  let a = conv.ext.sum as ConnAccumulator | undefined;
  if (a === undefined) {
    a = new ConnAccumulator();
    conv.ext.sum = a;
  }
  return a;
}

function zSet(a: ConnAccumulator, e: number, s: number): void {
  if (a.e[e].z !== s) {
    a.e[e].zPrev = a.e[e].z;
    a.e[e].z = s;
  }
}

function addHist(a: ConnAccumulator, e: number, code: string): void {
  a.history += e === 0 ? code : code.toLowerCase();
}

/** Zeek's CheckHistory: adds the letter the first time; returns true when seen before. */
function checkHist(a: ConnAccumulator, e: number, mask: number, code: string): boolean {
  const m = e === 0 ? mask : mask << 16;
  if ((a.histSeen & m) === 0) {
    a.histSeen |= m;
    addHist(a, e, code);
    return false;
  }
  return true;
}

/** Zeek's ScaledHistoryEntry with base 10: the 1st, 10th, 100th… event adds the letter. */
function scaled(a: ConnAccumulator, e: number, code: string, n: number, thr: number): number {
  if (n === thr) {
    addHist(a, e, code);
    return thr * 10;
  }
  return thr;
}

/** Add one packet of `conv` (after analyzeSegment and advanceStates filled `res`). */
export function accumulate(conv: Conversation, dir: 0 | 1, seg: SegmentInput, res: PacketResult): void {
  const a = acc(conv);
  const e = dir;
  const p = e ^ 1;
  const F = seg.flags;
  const syn = (F & TH_SYN) !== 0;
  const fin = (F & TH_FIN) !== 0;
  const rst = (F & TH_RST) !== 0;
  const ackf = (F & TH_ACK) !== 0;
  const len = seg.len;
  const seq = seg.seq >>> 0;
  const bits = res.analysis;

  if (a.count === 0) {
    a.firstSec = seg.tsSec;
    a.firstNsec = seg.tsNsec;
    if (dir === 1) a.history = '^';
  }
  if (bits & (A_LOST_SEGMENT | A_ACK_LOST_SEGMENT) && a.count < LOST_AT_START_WINDOW && a.lostStartIdx < 0) a.lostStartIdx = seg.index;
  a.count++;
  a.lastPacket = seg.index;
  a.lastSec = seg.tsSec;
  a.lastNsec = seg.tsNsec;
  a.e[e].pkts++;
  a.e[e].bytes += len;
  if (!rst) a.e[e].zSize += len;
  if (syn && !ackf && e === 0) a.synCount++;
  if (!syn && (len > 0 || fin)) {
    a.dataSegs++;
    if (bits & A_RETRANSMISSION) {
      a.retx++;
      if (a.firstRetx < 0) a.firstRetx = seg.index;
    }
  }
  if (bits & A_ZERO_WINDOW && a.e[e].zeroWinIdx < 0) a.e[e].zeroWinIdx = seg.index;

  // ---- Zeek: init_endpoint ----
  const segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0) - (rst ? len : 0);
  const onePast = (seq + segLen) >>> 0;
  switch (a.e[e].z) {
    case Z_INACTIVE:
      if (syn) {
        a.e[e].zStart = seq;
        a.e[e].zLast = onePast;
      } else {
        a.e[e].zStart = (seq - 1) >>> 0;
        a.e[e].zLast = seq;
      }
      break;
    case Z_SYN_SENT:
    case Z_SYN_ACK_SENT:
      if (syn && seq !== a.e[e].zStart) {
        a.e[e].zStart = seq;
        a.e[e].zLast = onePast;
      }
      break;
    case Z_ESTABLISHED:
    case Z_PARTIAL:
      if (syn) {
        a.e[e].zStart = seq;
        a.e[e].zLast = onePast;
      }
      break;
    case Z_RESET:
      if (syn && a.e[e].zPrev === Z_INACTIVE) {
        a.e[e].zStart = seq;
        a.e[e].zLast = onePast;
      }
      break;
  }
  const rel = (seq - a.e[e].zStart) | 0;

  // ---- Zeek: update_history ----
  const nbits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
  if (nbits > 1) {
    if (fin && rst) checkHist(a, e, HIST_FIN_RST, 'I');
    else checkHist(a, e, HIST_MULTI, 'Q');
  } else if (nbits === 1) {
    if (syn) {
      const code = ackf ? 'H' : 'S';
      if (checkHist(a, e, HIST_SYN, code) && rel !== a.e[e].histLastSyn) addHist(a, e, code);
      a.e[e].histLastSyn = rel;
    }
    if (fin) {
      const f = (rel + len) | 0;
      if (checkHist(a, e, HIST_FIN, 'F') && f !== a.e[e].histLastFin) addHist(a, e, 'F');
      a.e[e].histLastFin = f;
    }
    if (rst) {
      if (checkHist(a, e, HIST_RST, 'R') && rel !== a.e[e].histLastRst) addHist(a, e, 'R');
      a.e[e].histLastRst = rel;
    }
  } else if (len > 0) checkHist(a, e, HIST_DATA, 'D');
  else if (ackf) checkHist(a, e, HIST_ACK, 'A');

  // ---- Zeek: update_window (zero window) ----
  if (seg.win === 0 && !rst && a.e[p].z !== Z_CLOSED && a.e[e].z !== Z_RESET) {
    const x = a.e[e];
    x.win0Thresh = scaled(a, e, 'W', ++x.win0Cnt, x.win0Thresh);
  }

  // ---- Zeek: update_last_seq (retransmission) ----
  const delta = (onePast - a.e[e].zLast) | 0;
  if ((syn || rst) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) {
    // distrusted
  } else if (fin && a.e[e].zLast === ((a.e[e].zStart + 1) >>> 0)) a.e[e].zLast = onePast;
  else if (a.e[e].z === Z_RESET) {
    // sequence numbers after a RST are not trusted
  } else if (delta > 0) a.e[e].zLast = onePast;
  else if (len > 0) {
    const x = a.e[e];
    x.rxmtThresh = scaled(a, e, 'T', ++x.rxmtCnt, x.rxmtThresh);
  }

  // ---- Zeek: UpdateStateMachine ----
  zeekStateMachine(a, e, p, seg, syn, fin, rst, ackf, len);

  // ---- content gap: this ACK covers data of the peer the capture never showed ----
  if (bits & A_ACK_LOST_SEGMENT) {
    const x = a.e[p];
    x.gapThresh = scaled(a, p, 'G', ++x.gapCnt, x.gapThresh);
  }
}

function zeekStateMachine(
  a: ConnAccumulator,
  e: number,
  p: number,
  seg: SegmentInput,
  syn: boolean,
  fin: boolean,
  rst: boolean,
  ackf: boolean,
  len: number,
): void {
  const isOrig = e === 0;
  switch (a.e[e].z) {
    case Z_INACTIVE: {
      if (syn) {
        if (isOrig) zSet(a, e, ackf ? Z_SYN_ACK_SENT : Z_SYN_SENT);
        else {
          if (!ackf && a.e[p].z === Z_SYN_ACK_SENT && (seg.seq >>> 0) === a.e[e].zStart) zSet(a, p, Z_ESTABLISHED);
          if (a.e[p].z === Z_SYN_SENT) zSet(a, p, Z_ESTABLISHED);
          zSet(a, e, Z_ESTABLISHED);
        }
      }
      if (fin) zSet(a, e, Z_CLOSED);
      if (rst) zSet(a, e, Z_RESET);
      if (a.e[e].z === Z_INACTIVE) {
        if (!isOrig && len === 0 && a.e[0].z === Z_SYN_SENT) {
          // an ACK of the SYN before the SYN+ACK: not a partial connection
        } else if (ackf && a.e[p].z === Z_ESTABLISHED) zSet(a, e, Z_ESTABLISHED);
        else zSet(a, e, Z_PARTIAL);
      }
      break;
    }
    case Z_SYN_SENT:
    case Z_SYN_ACK_SENT:
      if (fin) zSet(a, e, Z_CLOSED);
      if (rst) zSet(a, e, Z_RESET);
      break;
    case Z_ESTABLISHED:
    case Z_PARTIAL:
      if (syn && a.e[e].z === Z_PARTIAL && a.e[p].z === Z_INACTIVE && !ackf) zSet(a, e, Z_SYN_SENT);
      if (fin && !rst) {
        zSet(a, e, Z_CLOSED);
        if (a.e[p].z === Z_RESET && a.e[p].zPrev === Z_CLOSED) zSet(a, p, Z_CLOSED);
      }
      if (rst) zSet(a, e, Z_RESET);
      break;
    case Z_CLOSED:
      if (rst && a.e[p].z !== Z_CLOSED) zSet(a, e, Z_RESET);
      break;
    default:
      break;
  }
}

/** Zeek's conn_state (base/protocols/conn/main.zeek) from the emulated endpoint states. */
export function zeekConnState(a: ConnAccumulator): ConnectionSummary['connState'] {
  const os = a.e[0].z;
  const rs = a.e[1].z;
  const oInactive = os === Z_INACTIVE || os === Z_PARTIAL;
  const rInactive = rs === Z_INACTIVE || rs === Z_PARTIAL;
  if (rs === Z_RESET) {
    if (os === Z_SYN_SENT || os === Z_SYN_ACK_SENT || (os === Z_RESET && a.e[0].zSize === 0 && a.e[1].zSize === 0)) return 'REJ';
    if (oInactive) return 'RSTRH';
    return 'RSTR';
  }
  if (os === Z_RESET) {
    if (rInactive) return /^\^?S[^HAFGIQ]*R.*$/.test(a.history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === Z_CLOSED && os === Z_CLOSED) return 'SF';
  if (os === Z_CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === Z_CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === Z_SYN_SENT && rs === Z_INACTIVE) return 'S0';
  if (os === Z_ESTABLISHED && rs === Z_ESTABLISHED) return 'S1';
  return 'OTH';
}

// ---------------------------------------------------------------------------------------------
// Problems

const SIDES: readonly Side[] = [0, 1];
const NO_PARAMS: Readonly<Record<string, never>> = {};

export function endpointText(addr: string, port: number): string {
  return addr.includes(':') ? '[' + addr + ']:' + port : addr + ':' + port;
}

/**
 * Parameters shared by many connections (floods, scans): one object per distinct problem, so a
 * capture of 100 000 unanswered SYNs to one port holds one { server, syns } (pass one Map for a
 * whole capture).
 */
export type ParamsCache = Map<string, object>;

function shared<T extends object>(cache: ParamsCache | undefined, key: string, make: () => T): T {
  if (cache === undefined) return make();
  let m = cache.get(key) as T | undefined;
  if (m === undefined) cache.set(key, (m = make()));
  return m;
}

/**
 * Build the summary of one connection (after finishStates). `cache` lets connections with the
 * same problem share one parameters object (pass one Map for a whole capture).
 */
export function summarize(conv: Conversation, cache?: ParamsCache): ConnectionSummary {
  const a = acc(conv);
  const st = conv.ext.states as ConnStates | undefined;
  const cs = st ? st.e[0].state : S_CLOSED;
  const ss = st ? st.e[1].state : S_LISTEN;
  const ep = [endpointText(conv.clientAddr, conv.clientPort), endpointText(conv.serverAddr, conv.serverPort)];
  const problems: Problem[] = [];

  if (st !== undefined) {
    // Resets and refusals.
    if (st.resetBy >= 0) {
      const w = st.resetBy as Side;
      const before = st.e[w].resetPrev;
      if (w === 1 && st.firstOpener === 0 && st.e[0].resetPrev === S_SYN_SENT && !st.e[1].synSent) {
        problems.push({ kind: 'refused', packet: st.resetIdx, severity: 'error', params: { server: ep[1] } });
      } else {
        const afterFin = st.e[0].finSent && st.e[1].finSent;
        problems.push({
          kind: 'reset',
          packet: st.resetIdx,
          severity: afterFin ? 'info' : 'warning',
          params: { side: w, endpoint: ep[w], state: TCP_STATES[before], afterFin },
        });
      }
    }
    // No answer to the SYN.
    if (st.firstSynIdx >= 0 && st.firstOpener === 0 && !st.e[1].sentAny) {
      const syns = a.synCount;
      const server = ep[1];
      const params = shared(cache, 'no-answer ' + server + ' ' + syns, () => ({ server, syns }));
      problems.push({ kind: 'no-answer', packet: st.firstSynIdx, severity: 'warning', params });
    }
    // Half-open.
    if (ss === S_SYN_RCVD && st.lastSynAckIdx >= 0) {
      const server = ep[1];
      problems.push({ kind: 'half-open', packet: st.lastSynAckIdx, severity: 'warning', params: shared(cache, 'half-open ' + server, () => ({ server })) });
    }
    // CLOSE_WAIT and FIN_WAIT_2 left at the end.
    const fin = [cs, ss];
    for (const w of SIDES) {
      const o = w ^ 1;
      // Only when this side acknowledged the peer's FIN: then it surely got it.
      if (fin[w] === S_CLOSE_WAIT && st.e[o].finAckIdx >= 0) {
        problems.push({ kind: 'close-wait', packet: st.e[o].finIdx, severity: 'warning', params: { side: w, endpoint: ep[w] } });
      }
      if (fin[w] === S_FIN_WAIT_2) {
        problems.push({
          kind: 'fin-wait-2',
          packet: st.e[w].fw2Idx >= 0 ? st.e[w].fw2Idx : st.e[w].finIdx,
          severity: fin[o] === S_CLOSE_WAIT ? 'info' : 'warning',
          params: { side: w, endpoint: ep[w] },
        });
      }
    }
  }
  // Retransmissions.
  if (a.retx >= RETX_MIN_COUNT && a.dataSegs > 0 && a.retx / a.dataSegs >= RETX_WARN_RATE) {
    problems.push({
      kind: 'retransmissions',
      packet: a.firstRetx,
      severity: a.retx / a.dataSegs >= RETX_ERROR_RATE ? 'error' : 'warning',
      params: { retransmitted: a.retx, segments: a.dataSegs },
    });
  }
  // Zero window.
  for (const w of SIDES) {
    if (a.e[w].zeroWinIdx < 0) continue;
    problems.push({ kind: 'zero-window', packet: a.e[w].zeroWinIdx, severity: 'warning', params: { side: w, endpoint: ep[w] } });
  }
  // Lost at the capture start.
  if (a.lostStartIdx >= 0) {
    problems.push({ kind: 'lost-at-start', packet: a.lostStartIdx, severity: 'info', params: NO_PARAMS });
  }
  problems.sort((x, y) => x.packet - y.packet);

  const dur = a.lastSec - a.firstSec + (a.lastNsec - a.firstNsec) / 1e9;
  return {
    stream: conv.stream,
    client: { addr: conv.clientAddr, port: conv.clientPort },
    server: { addr: conv.serverAddr, port: conv.serverPort },
    roleBy: conv.roleBy,
    firstPacket: conv.firstPacket,
    lastPacket: a.lastPacket,
    start: timeText(a.firstSec, a.firstNsec),
    duration: Math.round(dur * 1e9) / 1e9,
    packets: { client: a.e[0].pkts, server: a.e[1].pkts },
    bytes: { client: a.e[0].bytes, server: a.e[1].bytes },
    clientState: TCP_STATES[cs],
    serverState: TCP_STATES[ss],
    connState: zeekConnState(a),
    history: a.history,
    problems,
  };
}

/** Seconds and nanoseconds as "<sec>.<9 digits>", exactly. */
export function timeText(sec: number, nsec: number): string {
  const n = String(nsec);
  return sec + '.' + '000000000'.slice(n.length) + n;
}

/** States that count a connection as half-open for the SYN-flood check. */
function halfOpen(s: ConnectionSummary): boolean {
  if (s.roleBy !== 'syn') return false;
  if (s.connState === 'REJ' || s.connState.startsWith('RST')) return false;
  return s.serverState === TCP_STATES[S_SYN_RCVD] || (s.clientState === TCP_STATES[S_SYN_SENT] && s.serverState === TCP_STATES[S_LISTEN]);
}

export interface SynFloodFinding {
  server: { addr: string; port: number };
  halfOpen: number;
  streams: number[];
}

/**
 * Capture-level check: when `minHalfOpen` or more connections to one server address and port were
 * left half-open (the client's SYN got a SYN+ACK, or nothing, and the handshake never completed),
 * add a 'syn-flood' problem (at each one's first packet) to each of them and return the findings.
 */
export function detectSynFlood(summaries: ConnectionSummary[], minHalfOpen = SYN_FLOOD_MIN): SynFloodFinding[] {
  const groups = new Map<string, ConnectionSummary[]>();
  for (const s of summaries) {
    if (!halfOpen(s)) continue;
    const key = s.server.addr + ' ' + s.server.port;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(s);
  }
  const out: SynFloodFinding[] = [];
  for (const g of groups.values()) {
    if (g.length < minHalfOpen) continue;
    const n = g.length;
    // One parameters object for the whole group (there may be very many connections).
    const params = { server: endpointText(g[0].server.addr, g[0].server.port), halfOpen: n };
    for (const s of g) {
      s.problems.push({ kind: 'syn-flood', packet: s.firstPacket, severity: 'error', params });
      s.problems.sort((x, y) => x.packet - y.packet);
    }
    out.push({ server: { ...g[0].server }, halfOpen: n, streams: g.map((s) => s.stream) });
  }
  return out;
}
