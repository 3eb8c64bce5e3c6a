/*
 * README — "state after this packet"
 * Each TCP packet shows the RFC 9293 state of both endpoints right AFTER it. The capture point is
 * taken as the moment of delivery: a packet moves its sender (sending a SYN: SYN_SENT; a FIN:
 * FIN_WAIT_1 or LAST_ACK) and its receiver (a SYN: SYN_RCVD; a FIN: CLOSE_WAIT, CLOSING or
 * TIME_WAIT; the ACK of its FIN: FIN_WAIT_2…) in the same row. The server is in LISTEN before its
 * first packet; a connection seen mid-stream starts ESTABLISHED, marked "inferred". A RST closes
 * both sides (a SYN answered by RST: nothing listened, the server shows CLOSED). A packet counts as
 * NOT delivered when the evidence says so: its sender sends the same SYN, SYN+ACK or FIN again
 * before the peer reacts; the peer's next packet shows it never got it (a FIN that does not
 * acknowledge ours: simultaneous close); or the capture ends on a SYN nobody answered or a SYN+ACK
 * re-sent unanswered (SYN flood: the client stays SYN_SENT). Those rows are corrected afterwards,
 * so a retransmission never moves a state twice.
 */

/**
 * TCP endpoint state machines (RFC 9293 §3.3.2) for both sides of a connection, driven by what the
 * capture shows, and the handshake/teardown step each packet plays. Pure TypeScript, O(1) per
 * packet (amortised), no allocation per packet. Per-connection state lives in `conv.ext.states`.
 *
 * Choices (documented here because a capture cannot prove them):
 *  - Transitions are attributed to the packet that causes them; both the sender's and the
 *    receiver's effect are applied in the same row (sender first).
 *  - Provisional delivery. A packet that moves its receiver is "pending" until the receiver reacts.
 *    It is confirmed by any packet from the receiver (for a FIN: one whose ACK covers the FIN), and
 *    refuted when (a) the sender sends the same SYN / SYN+ACK / FIN again first, (b) the receiver
 *    re-sends a control segment of its own that the pending packet had answered (server re-sends
 *    SYN+ACK after the client's ACK; client re-sends its SYN after the SYN+ACK; a side re-sends its
 *    FIN after the peer's ACK of it), or (c) the receiver sends a FIN that does not acknowledge the
 *    pending FIN (simultaneous close) or a bare SYN (simultaneous open). A refuted packet's rows get
 *    the receiver's previous state back through `StateRevisions` (the engine rewrites its arrays).
 *  - At the end of the capture (finishStates), or when the SYN's / SYN+ACK's / FIN's own sender
 *    resets the connection: a pending SYN is refuted (the server never reacted,
 *    it stays LISTEN); a pending SYN+ACK or FIN that is itself a re-send of a refuted copy is
 *    refuted too (the pattern "sent again and again, never answered"); others are confirmed.
 *  - SYN flood / half-open: the client's SYN moved it to SYN_SENT, and since no SYN+ACK ever got an
 *    answer, it stays SYN_SENT. A spoofed source has no socket at all, but the capture only shows
 *    that "it" sent a SYN; SYN_SENT is what a real client that never got the SYN+ACK is in (it
 *    would eventually time out to CLOSED, which the capture does not show).
 *  - Simultaneous close: a FIN that crossed the peer's FIN on the wire (the peer's FIN does not
 *    acknowledge it) is taken as delivered right after the peer sent its own FIN, so both sides
 *    go FIN_WAIT_1 → CLOSING in the peer's FIN row, then TIME_WAIT with each ACK.
 *  - RST: both sides → CLOSED whatever the state (RFC 9293 would send a passive SYN_RCVD back to
 *    LISTEN; we show the connection, not the listening socket). A SYN answered by RST (refused)
 *    found no listener: the server is shown CLOSED from that SYN on, never SYN_RCVD.
 *  - A client shown SYN_SENT that sends an ACK for the server's SYN got the SYN+ACK: ESTABLISHED.
 *  - A provisional delivery still open after 64 more packets of its connection is confirmed (keeps
 *    the corrections O(1) amortised).
 *  - Steps: a re-sent SYN / SYN+ACK / FIN plays the same step as its first copy; the first FIN is
 *    "teardown 1/4" until the peer's answer shows a three-packet close (re-labelled 1/3) or a
 *    simultaneous close (re-labelled "simultaneous close 1/4"); same for a simultaneous open.
 */

import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import {
  PacketResult,
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
  SegmentInput,
} from './types';
import type { Conversation } from './analysis';

/** Step strings; the engine stores the index (a byte a packet). */
export const STEP_NAMES = [
  '',
  'handshake 1/3',
  'handshake 2/3',
  'handshake 3/3',
  'teardown 1/4',
  'teardown 2/4',
  'teardown 3/4',
  'teardown 4/4',
  'teardown 1/3',
  'teardown 2/3',
  'teardown 3/3',
  'simultaneous open 1/4',
  'simultaneous open 2/4',
  'simultaneous open 3/4',
  'simultaneous open 4/4',
  'simultaneous close 1/4',
  'simultaneous close 2/4',
  'simultaneous close 3/4',
  'simultaneous close 4/4',
  'reset by client',
  'reset by server',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export const STEP_NONE = 0;
export const STEP_HS1 = 1;
export const STEP_HS2 = 2;
export const STEP_HS3 = 3;
export const STEP_TD1_4 = 4;
export const STEP_TD2_4 = 5;
export const STEP_TD3_4 = 6;
export const STEP_TD4_4 = 7;
export const STEP_TD1_3 = 8;
export const STEP_TD2_3 = 9;
export const STEP_TD3_3 = 10;
export const STEP_SOPEN_1 = 11;
export const STEP_SOPEN_2 = 12;
export const STEP_SOPEN_3 = 13;
export const STEP_SOPEN_4 = 14;
export const STEP_SCLOSE_1 = 15;
export const STEP_SCLOSE_2 = 16;
export const STEP_SCLOSE_3 = 17;
export const STEP_SCLOSE_4 = 18;
export const STEP_RESET_CLIENT = 19;
export const STEP_RESET_SERVER = 20;

/** Corrections to rows already produced (a packet found not delivered, a close re-labelled). */
export interface StateRevisions {
  /**
   * The packets of this connection from index `first` to index `last` (both included; the
   * engine walks its per-stream chain back from `last`) now show `state` for `side`
   * (0 client, 1 server).
   */
  state(first: number, last: number, side: 0 | 1, state: number): void;
  /** Among the packets of this connection from `first` to `last`, those playing step `from` now play `to`. */
  step(first: number, last: number, from: number, to: number): void;
}

/** Kinds of provisional delivery. */
const K_NONE = 0;
const K_SYN = 1;
const K_SYNACK = 2;
const K_FIN = 3;
const K_ACK = 4;

const CLOSE_NONE = 0;
const CLOSE_4WAY = 1;
const CLOSE_3WAY = 2;
const CLOSE_SIM = 3;

/** Longest run of rows a pending delivery may still rewrite; beyond it, it is confirmed. */
const MAX_PENDING_ROWS = 64;

/** ack acknowledges everything before `end` (sequence arithmetic modulo 2^32). */
function covers(ack: number, end: number): boolean {
  return ((ack - end) | 0) >= 0;
}

/** One endpoint's part of ConnStates (scalar fields: a few hundred bytes a connection in all). */
export class EndpointStates {
  state: number;
  /** Sent a SYN or SYN+ACK, and its sequence number (ISN). */
  synSent = false;
  synSeq = 0;
  /** Sent a FIN; sequence number just after it; index of its first copy; step it plays. */
  finSent = false;
  finEnd = 0;
  finIdx = -1;
  finStep = 0;
  /** This side's FIN has been delivered to the peer (as far as the rows show). */
  finDelivered = false;
  /** Provisional delivery TO this side: kind, state before it, first row showing it, rows, re-sent copy. */
  pKind = K_NONE;
  pPrev = 0;
  pFirst = -1;
  pCount = 0;
  pPattern = false;
  /** Waiting for the peer's ACK of this side's FIN (teardown 2/4), or the final ACK. */
  await2 = false;
  awaitFinal = false;
  /** Packet that moved this side to FIN_WAIT_2; first packet of the peer acknowledging this side's FIN. */
  fw2Idx = -1;
  finAckIdx = -1;
  /** Sent any packet; its state when the connection was reset. */
  sentAny = false;
  resetPrev = 0;
  constructor(state: number) {
    this.state = state;
  }
}

/** Per-connection state-machine state (conv.ext.states). e[0] = client, e[1] = server. */
export class ConnStates {
  readonly e: [EndpointStates, EndpointStates] = [new EndpointStates(S_CLOSED), new EndpointStates(S_LISTEN)];
  inferred = false;
  /** Index of the connection's previous packet (the end of revision ranges). */
  lastIdx = -1;
  /** Steps bookkeeping. */
  stepId = STEP_NONE;
  openSim = false;
  firstOpener = -1;
  synAckFirst = -1;
  await3 = false;
  firstFinDir = -1;
  closeKind = CLOSE_NONE;
  simAcks = 0;
  /** Facts for the summary. */
  firstSynIdx = -1;
  lastSynAckIdx = -1;
  handshakeDone = false;
  resetBy = -1;
  resetIdx = -1;
}

export function connStates(conv: Conversation): ConnStates | undefined {
  return conv.ext.states as ConnStates | undefined;
}

function commit(st: ConnStates, side: number): void {
  const e = st.e[side];
  e.pKind = K_NONE;
  e.pFirst = -1;
  e.pCount = 0;
  e.pPattern = false;
}

/** The provisional delivery to `side` did not happen: its rows get `prev` back. */
function refute(st: ConnStates, side: number, rev: StateRevisions | undefined, prev = st.e[side].pPrev): void {
  const e = st.e[side];
  if (rev !== undefined && e.pFirst >= 0) rev.state(e.pFirst, st.lastIdx, side as 0 | 1, prev);
  e.state = prev;
  if (e.pKind === K_FIN) st.e[side ^ 1].finDelivered = false;
  commit(st, side);
}

function start(st: ConnStates, dir: 0 | 1, flags: number): void {
  const synAck = flags & (TH_SYN | TH_ACK);
  if (synAck === TH_SYN && dir === 0) {
    st.e[0].state = S_CLOSED;
    st.e[1].state = S_LISTEN;
  } else if (synAck === (TH_SYN | TH_ACK) && dir === 1) {
    // The client's SYN was not captured: it must have been in SYN_SENT.
    st.e[0].state = S_SYN_SENT;
    st.e[1].state = S_LISTEN;
    st.inferred = true;
  } else {
    st.e[0].state = S_ESTABLISHED;
    st.e[1].state = S_ESTABLISHED;
    st.inferred = true;
    st.handshakeDone = true;
  }
}

/**
 * Advance both endpoints' states for one packet of `conv` sent in direction `dir` and fill
 * out.clientState / serverState / inferred / step. `rev` receives corrections to earlier rows.
 */
export function advanceStates(conv: Conversation, dir: 0 | 1, seg: SegmentInput, out: PacketResult, rev?: StateRevisions): void {
  let st = conv.ext.states as ConnStates | undefined;
  if (st === undefined) {
    st = new ConnStates();
    conv.ext.states = st;
    start(st, dir, seg.flags);
  }
  const d = dir;
  const r = d ^ 1;
  const F = seg.flags;
  const syn = (F & TH_SYN) !== 0;
  const fin = (F & TH_FIN) !== 0;
  const rst = (F & TH_RST) !== 0;
  const ackf = (F & TH_ACK) !== 0;
  const seq = seg.seq >>> 0;
  const ack = seg.ack >>> 0;
  const finEnd = (seq + (seg.len >>> 0) + (syn ? 1 : 0) + 1) >>> 0;
  const synWasSent = st.e[d].synSent;
  const finWasSent = st.e[d].finSent;
  const isSynRetx = syn && synWasSent && seq === st.e[d].synSeq;
  const isFinRetx = fin && finWasSent;
  const ctlRetx = isSynRetx || isFinRetx;
  const idx = seg.index;
  let crossSyn = false;
  let crossFin = false;
  st.e[d].sentAny = true;

  // (b) The sender was the receiver of a provisional delivery: does this packet confirm it?
  const myKind = st.e[d].pKind;
  if (myKind !== K_NONE) {
    if (rst) {
      // A SYN answered by RST found no listener: that side was CLOSED, never SYN_RCVD.
      if (myKind === K_SYN) refute(st, d, rev, S_CLOSED);
      else commit(st, d);
    } else if (myKind === K_SYN) {
      if (syn && !ackf && !synWasSent) {
        // It opens actively instead of answering: simultaneous open, the SYN crossed ours.
        refute(st, d, rev, S_CLOSED);
        crossSyn = true;
      } else commit(st, d);
    } else if (myKind === K_SYNACK) {
      if (syn && !ackf) refute(st, d, rev);
      else commit(st, d);
    } else if (myKind === K_FIN) {
      if (ackf && covers(ack, st.e[r].finEnd)) commit(st, d);
      else if (fin) {
        refute(st, d, rev);
        crossFin = !finWasSent;
      }
    } else if (ctlRetx) refute(st, d, rev);
    else commit(st, d);
  }

  // (a) The sender re-sends the control segment the peer has only provisionally received.
  const peerKind = st.e[r].pKind;
  let pattern = false;
  if (peerKind !== K_NONE && ctlRetx) {
    if ((peerKind === K_SYN && syn && !ackf) || (peerKind === K_SYNACK && syn && ackf) || (peerKind === K_FIN && fin)) {
      refute(st, r, rev);
      pattern = true;
    }
  }

  // A RST from the sender: the peer never reacted to what it had provisionally received from
  // it; settle that as at the end of the capture.
  if (rst) settle(st, r, rev);

  // Sender's transition.
  let sd = st.e[d].state;
  if (rst) {
    if (st.resetBy < 0) {
      st.resetBy = d;
      st.resetIdx = idx;
      st.e[0].resetPrev = st.e[0].state;
      st.e[1].resetPrev = st.e[1].state;
    }
    sd = S_CLOSED;
  } else {
    if (syn) {
      if (!ackf) {
        if (sd === S_CLOSED || sd === S_LISTEN) sd = S_SYN_SENT;
      } else if (sd === S_CLOSED || sd === S_LISTEN || sd === S_SYN_SENT) sd = S_SYN_RCVD;
      if (!synWasSent) {
        st.e[d].synSent = true;
        st.e[d].synSeq = seq;
      }
    } else if (ackf && sd === S_SYN_SENT && (!st.e[r].synSent || covers(ack, (st.e[r].synSeq + 1) >>> 0))) {
      sd = S_ESTABLISHED;
    }
    if (crossSyn && sd === S_SYN_SENT) sd = S_SYN_RCVD;
    if (fin) {
      if (!finWasSent) {
        if (sd === S_ESTABLISHED || sd === S_SYN_RCVD || sd === S_SYN_SENT) sd = S_FIN_WAIT_1;
        else if (sd === S_CLOSE_WAIT) sd = S_LAST_ACK;
        st.e[d].finSent = true;
        st.e[d].finEnd = finEnd;
        st.e[d].finIdx = idx;
      }
      if (crossFin && sd === S_FIN_WAIT_1) {
        sd = S_CLOSING;
        st.e[r].finDelivered = true;
      }
    }
  }
  st.e[d].state = sd;

  // Receiver's transition.
  const rBefore = st.e[r].state;
  let sr = rBefore;
  let kind = K_NONE;
  if (rst) {
    sr = S_CLOSED;
    commit(st, 0);
    commit(st, 1);
  } else {
    if (ackf && st.e[r].finSent && st.e[r].finAckIdx < 0 && covers(ack, st.e[r].finEnd)) st.e[r].finAckIdx = idx;
    if (ackf) {
      if (sr === S_SYN_RCVD) {
        if (!st.e[r].synSent || covers(ack, (st.e[r].synSeq + 1) >>> 0)) {
          sr = S_ESTABLISHED;
          kind = syn ? K_SYNACK : K_ACK;
        }
      } else if (sr === S_SYN_SENT) {
        if (syn && (!st.e[r].synSent || covers(ack, (st.e[r].synSeq + 1) >>> 0))) {
          sr = S_ESTABLISHED;
          kind = K_SYNACK;
        }
      } else if (st.e[r].finSent && covers(ack, st.e[r].finEnd)) {
        if (sr === S_FIN_WAIT_1) {
          sr = S_FIN_WAIT_2;
          kind = K_ACK;
          st.e[r].fw2Idx = idx;
        } else if (sr === S_CLOSING) {
          sr = S_TIME_WAIT;
          kind = K_ACK;
        } else if (sr === S_LAST_ACK) {
          sr = S_CLOSED;
          kind = K_ACK;
        }
      }
    } else if (syn) {
      if (sr === S_LISTEN || sr === S_SYN_SENT) {
        sr = S_SYN_RCVD;
        kind = K_SYN;
      }
    }
    if (fin && !st.e[d].finDelivered) {
      const f0 = sr;
      if (sr === S_ESTABLISHED || sr === S_SYN_RCVD) sr = S_CLOSE_WAIT;
      else if (sr === S_FIN_WAIT_1) sr = S_CLOSING;
      else if (sr === S_FIN_WAIT_2) sr = S_TIME_WAIT;
      if (sr !== f0) {
        st.e[d].finDelivered = true;
        kind = K_FIN;
      }
    }
    if (sr !== rBefore) {
      if (st.e[r].pKind !== K_NONE) commit(st, r);
      st.e[r].pKind = kind;
      st.e[r].pPrev = rBefore;
      st.e[r].pPattern = pattern || ctlRetx;
      st.e[r].pFirst = idx;
    }
  }
  st.e[r].state = sr;
  if (st.e[0].state === S_ESTABLISHED && st.e[1].state === S_ESTABLISHED) st.handshakeDone = true;

  // Rows showing a provisional state.
  for (let s = 0; s < 2; s++) {
    if (st.e[s].pKind === K_NONE) continue;
    if (++st.e[s].pCount > MAX_PENDING_ROWS) commit(st, s);
  }

  // Step.
  let step = STEP_NONE;
  if (rst) step = d === 0 ? STEP_RESET_CLIENT : STEP_RESET_SERVER;
  else if (syn && !ackf) {
    if (crossSyn) {
      st.openSim = true;
      if (rev !== undefined && st.firstSynIdx >= 0) rev.step(st.firstSynIdx, st.lastIdx, STEP_HS1, STEP_SOPEN_1);
      step = STEP_SOPEN_2;
    } else if (st.openSim) step = d === st.firstOpener ? STEP_SOPEN_1 : STEP_SOPEN_2;
    else {
      step = STEP_HS1;
      if (st.firstOpener < 0) {
        st.firstOpener = d;
        st.firstSynIdx = idx;
      }
    }
  } else if (syn) {
    st.lastSynAckIdx = idx;
    if (st.openSim) {
      if (st.synAckFirst < 0) st.synAckFirst = d;
      step = d === st.synAckFirst ? STEP_SOPEN_3 : STEP_SOPEN_4;
    } else {
      step = STEP_HS2;
      st.await3 = true;
    }
  } else if (fin) {
    if (finWasSent) {
      step = st.e[d].finStep;
      if (d === st.firstFinDir) {
        if (!st.e[r].finSent) st.e[d].await2 = true;
        else if (st.closeKind !== CLOSE_NONE) st.e[d].awaitFinal = true;
      } else st.e[d].awaitFinal = true;
    } else if (st.firstFinDir < 0) {
      st.firstFinDir = d;
      step = STEP_TD1_4;
      st.e[d].await2 = true;
    } else {
      if (crossFin) {
        st.closeKind = CLOSE_SIM;
        if (rev !== undefined) rev.step(st.e[r].finIdx, st.lastIdx, st.e[r].finStep, STEP_SCLOSE_1);
        st.e[r].finStep = STEP_SCLOSE_1;
        step = STEP_SCLOSE_2;
        st.e[r].await2 = false;
        st.e[r].awaitFinal = true;
      } else if (ackf && st.e[r].await2 && covers(ack, st.e[r].finEnd)) {
        st.closeKind = CLOSE_3WAY;
        if (rev !== undefined) rev.step(st.e[r].finIdx, st.lastIdx, st.e[r].finStep, STEP_TD1_3);
        st.e[r].finStep = STEP_TD1_3;
        step = STEP_TD2_3;
        st.e[r].await2 = false;
      } else {
        st.closeKind = CLOSE_4WAY;
        step = STEP_TD3_4;
        st.e[r].await2 = false;
      }
      st.e[d].awaitFinal = true;
    }
    if (!finWasSent) st.e[d].finStep = step;
  } else if (ackf) {
    if (st.await3 && d === 0 && (!st.e[1].synSent || covers(ack, (st.e[1].synSeq + 1) >>> 0))) {
      step = STEP_HS3;
      st.await3 = false;
    } else if (st.e[r].await2 && !st.e[d].finSent && covers(ack, st.e[r].finEnd)) {
      step = STEP_TD2_4;
      st.e[r].await2 = false;
    } else if (st.e[r].awaitFinal && covers(ack, st.e[r].finEnd)) {
      st.e[r].awaitFinal = false;
      if (st.closeKind === CLOSE_3WAY) step = STEP_TD3_3;
      else if (st.closeKind === CLOSE_SIM) step = st.simAcks++ === 0 ? STEP_SCLOSE_3 : STEP_SCLOSE_4;
      else step = STEP_TD4_4;
    }
  }
  st.stepId = step;
  st.lastIdx = idx;

  out.clientState = st.e[0].state;
  out.serverState = st.e[1].state;
  out.inferred = st.inferred;
  out.step = STEP_NAMES[step];
}

/**
 * End of the capture: settle the provisional deliveries still open (see the header). Call once per
 * connection before reading its final states.
 */
export function finishStates(conv: Conversation, rev?: StateRevisions): void {
  const st = conv.ext.states as ConnStates | undefined;
  if (st === undefined) return;
  settle(st, 0, rev);
  settle(st, 1, rev);
}

/** Settle side's provisional delivery when no more reaction can come (end of capture, RST). */
function settle(st: ConnStates, side: number, rev: StateRevisions | undefined): void {
  const k = st.e[side].pKind;
  if (k === K_NONE) return;
  if (k === K_SYN || ((k === K_SYNACK || k === K_FIN) && st.e[side].pPattern)) refute(st, side, rev);
  else commit(st, side);
}
