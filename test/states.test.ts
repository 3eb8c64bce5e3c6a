/**
 * TCP endpoint states, handshake/teardown steps, Zeek conn_state/history and problems
 * (src/core/tcp/states.ts, summary.ts, engine.ts, json.ts).
 *
 * Each scenario is a small capture built in code and run through TcpEngine; EVERY packet's
 * step, client state and server state is checked (after finish(), i.e. with the corrections for
 * packets found not delivered), and the connection's final states, conn_state, history and
 * problem kinds.
 */
import * as assert from 'node:assert/strict';

import { TcpEngine } from '../src/core/tcp/engine';
import { connJson, formatConnsTable, packetJson } from '../src/core/tcp/json';
import { ConnectionSummary, PacketResult, Problem, SegmentInput, TCP_STATES } from '../src/core/tcp/types';
import { formatEn } from '../src/core/explain/l10n';
import { problemText } from '../src/core/explain/problems';
import { zhCn } from '../src/node/l10n';
import { segmentFromPacket } from '../src/core/tcp/fromPacket';
import { tcpFrame, opt } from '../src/core/synth/frames';
import { DecodedPacket, decodeFrame } from '../src/core/decode';

// ------------------------------------------------------------------------------------------------
// A tiny capture builder: keeps each side's next sequence number and what it has seen of the peer.
// ------------------------------------------------------------------------------------------------

/** A problem's sentence in English and in Simplified Chinese (the zh-cn bundle). */
const english = (p: Problem): string => problemText(p, formatEn);
const chinese = (p: Problem): string => problemText(p, zhCn());

const FL: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };
function flagBits(s: string): number {
  let f = 0;
  for (const ch of s) f |= FL[ch];
  return f;
}

interface SendOpts {
  len?: number;
  /** Re-send the side's last SYN / FIN (same sequence number), or its last data segment. */
  retx?: boolean;
  seq?: number;
  ack?: number;
  win?: number;
}

class Side {
  next: number;
  /** Highest sequence of the peer this side acknowledges. */
  seen = 0;
  lastSeq = 0;
  lastLen = 0;
  constructor(
    readonly addr: string,
    readonly port: number,
    isn: number,
  ) {
    this.next = isn;
  }
}

class Cap {
  readonly segs: SegmentInput[] = [];
  readonly c: Side;
  readonly s: Side;
  private t = 0;
  constructor(cport = 40000, caddr = '10.0.0.1', saddr = '10.0.0.2', sport = 80, cisn = 1000, sisn = 900000) {
    this.c = new Side(caddr, cport, cisn);
    this.s = new Side(saddr, sport, sisn);
  }
  /** A mid-stream start: both sides have already exchanged data. */
  midStream(): this {
    this.c.next += 5000;
    this.s.next += 7000;
    this.c.seen = this.s.next;
    this.s.seen = this.c.next;
    return this;
  }
  send(from: 'c' | 's', flags: string, o: SendOpts = {}): this {
    const me = from === 'c' ? this.c : this.s;
    const peer = from === 'c' ? this.s : this.c;
    const f = flagBits(flags);
    const len = o.len ?? (o.retx ? me.lastLen : 0);
    let seq: number;
    if (o.seq !== undefined) seq = o.seq;
    else if (o.retx) seq = me.lastSeq;
    else seq = me.next;
    const used = len + (f & 0x02 ? 1 : 0) + (f & 0x01 ? 1 : 0);
    if (!o.retx && o.seq === undefined) me.next = (me.next + used) >>> 0;
    me.lastSeq = seq;
    me.lastLen = len;
    const ack = o.ack ?? (f & 0x10 ? me.seen : 0);
    // Delivered: the peer now acknowledges up to the end of this segment.
    if (((seq + used - peer.seen) | 0) > 0 && !(f & 0x04)) peer.seen = (seq + used) >>> 0;
    this.t++;
    this.segs.push({
      index: this.segs.length,
      tsSec: 1591780863,
      tsNsec: 720289000 + this.t * 1000,
      src: me.addr,
      dst: peer.addr,
      sport: me.port,
      dport: peer.port,
      flags: f,
      seq: seq >>> 0,
      ack: ack >>> 0,
      win: o.win ?? 64240,
      len,
      mss: -1,
      wscale: -1,
      sackOk: false,
      tsVal: -1,
      tsEcr: -1,
    });
    return this;
  }
  /** Client / server shorthands. */
  C(flags: string, o?: SendOpts): this {
    return this.send('c', flags, o);
  }
  S(flags: string, o?: SendOpts): this {
    return this.send('s', flags, o);
  }
  /** Standard three-way handshake. */
  handshake(): this {
    return this.C('S').S('SA').C('A');
  }
}

interface Run {
  engine: TcpEngine;
  rows: PacketResult[];
  sums: ConnectionSummary[];
}

function run(segs: SegmentInput[], engine = new TcpEngine()): Run {
  for (const s of segs) engine.add(s);
  engine.finish();
  const rows = segs.map((s) => engine.result(s.index)!);
  return { engine, rows, sums: engine.summaries() };
}

/** Expected row: "step | CLIENT SERVER" ("-" for no step). */
function checkRows(r: Run, expected: string[], streamFilter?: number): void {
  const got = r.rows
    .filter((x) => streamFilter === undefined || x.stream === streamFilter)
    .map((x) => `${x.step === '' ? '-' : x.step} | ${TCP_STATES[x.clientState]} ${TCP_STATES[x.serverState]}`);
  assert.deepEqual(got, expected);
}

function checkSummary(
  s: ConnectionSummary,
  e: { client: string; server: string; connState: string; history: string; problems: string[] },
): void {
  assert.deepEqual(
    { client: s.clientState, server: s.serverState, connState: s.connState, history: s.history, problems: s.problems.map((p) => p.kind) },
    e,
  );
}

const PAYLOAD = { len: 100 };

// ------------------------------------------------------------------------------------------------

describe('TCP states: handshake and closes', () => {
  it('three-way handshake, data both ways, four-way close', () => {
    const cap = new Cap().handshake().C('PA', PAYLOAD).S('A').S('PA', { len: 300 }).C('A').C('FA').S('A').S('FA').C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/4 | FIN_WAIT_2 CLOSE_WAIT',
      'teardown 3/4 | TIME_WAIT LAST_ACK',
      'teardown 4/4 | TIME_WAIT CLOSED',
    ]);
    assert.ok(r.rows.every((x) => !x.inferred));
    checkSummary(r.sums[0], { client: 'TIME_WAIT', server: 'CLOSED', connState: 'SF', history: 'ShADadFf', problems: [] });
    const s = r.sums[0];
    assert.deepEqual(s.packets, { client: 6, server: 5 });
    assert.deepEqual(s.bytes, { client: 100, server: 300 });
    assert.equal(s.start, '1591780863.720290000');
    assert.equal(s.duration, 0.00001);
    assert.equal(s.firstPacket, 0);
    assert.equal(s.lastPacket, 10);
    assert.equal(s.roleBy, 'syn');
  });

  it('three-packet close: FIN+ACK answered by FIN+ACK', () => {
    const cap = new Cap().handshake().C('PA', PAYLOAD).S('PA', PAYLOAD).C('FA').S('FA').C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      'teardown 1/3 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/3 | TIME_WAIT LAST_ACK',
      'teardown 3/3 | TIME_WAIT CLOSED',
    ]);
    checkSummary(r.sums[0], { client: 'TIME_WAIT', server: 'CLOSED', connState: 'SF', history: 'ShADdFf', problems: [] });
  });

  it('three-packet close started by the server', () => {
    const cap = new Cap().handshake().S('FA').C('FA').S('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/3 | CLOSE_WAIT FIN_WAIT_1',
      'teardown 2/3 | LAST_ACK TIME_WAIT',
      'teardown 3/3 | CLOSED TIME_WAIT',
    ]);
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'TIME_WAIT', connState: 'SF', history: 'ShAfFa', problems: [] });
  });

  it('simultaneous close: both FIN_WAIT_1 → CLOSING → TIME_WAIT', () => {
    const cap = new Cap().handshake();
    const cFinAck = cap.c.seen;
    const sFinAck = cap.s.seen;
    cap.C('FA', { ack: cFinAck }).S('FA', { ack: sFinAck }).C('A').S('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      // The server's FIN does not acknowledge the client's: they crossed. The client's FIN reached
      // the server only after it had sent its own (the server passes FIN_WAIT_1 in row 4).
      'simultaneous close 1/4 | FIN_WAIT_1 ESTABLISHED',
      'simultaneous close 2/4 | CLOSING CLOSING',
      'simultaneous close 3/4 | CLOSING TIME_WAIT',
      'simultaneous close 4/4 | TIME_WAIT TIME_WAIT',
    ]);
    checkSummary(r.sums[0], { client: 'TIME_WAIT', server: 'TIME_WAIT', connState: 'SF', history: 'ShAFfa', problems: [] });
  });

  it('half-close: the server keeps sending after the client’s FIN', () => {
    const cap = new Cap().handshake().C('PA', PAYLOAD).C('FA').S('A').S('PA', { len: 500 }).C('A').S('PA', { len: 500 }).C('A').S('FA').C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/4 | FIN_WAIT_2 CLOSE_WAIT',
      '- | FIN_WAIT_2 CLOSE_WAIT',
      '- | FIN_WAIT_2 CLOSE_WAIT',
      '- | FIN_WAIT_2 CLOSE_WAIT',
      '- | FIN_WAIT_2 CLOSE_WAIT',
      'teardown 3/4 | TIME_WAIT LAST_ACK',
      'teardown 4/4 | TIME_WAIT CLOSED',
    ]);
    checkSummary(r.sums[0], { client: 'TIME_WAIT', server: 'CLOSED', connState: 'SF', history: 'ShADFadf', problems: [] });
    assert.deepEqual(r.sums[0].bytes, { client: 100, server: 1000 });
  });

  it('simultaneous open', () => {
    const cap = new Cap();
    cap.C('S');
    cap.S('S', { ack: 0 });
    cap.C('SA').S('SA');
    const r = run(cap.segs);
    checkRows(r, [
      // Server side: it opened actively (its SYN crossed the client's): CLOSED, not LISTEN.
      'simultaneous open 1/4 | SYN_SENT CLOSED',
      'simultaneous open 2/4 | SYN_RCVD SYN_RCVD',
      'simultaneous open 3/4 | SYN_RCVD ESTABLISHED',
      'simultaneous open 4/4 | ESTABLISHED ESTABLISHED',
    ]);
    // Zeek: the responder's bare SYN establishes both (its "simultaneous_open" weird); the
    // SYN+ACKs re-base the ISN (relative seq 0 again), so no 'H'/'h' letter.
    checkSummary(r.sums[0], { client: 'ESTABLISHED', server: 'ESTABLISHED', connState: 'S1', history: 'Ss', problems: [] });
  });

  it('a connection seen mid-stream starts ESTABLISHED, inferred', () => {
    const cap = new Cap().midStream().C('PA', PAYLOAD).S('A').S('PA', PAYLOAD).C('FA').S('FA').C('A');
    const r = run(cap.segs);
    checkRows(r, [
      '- | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      'teardown 1/3 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/3 | TIME_WAIT LAST_ACK',
      'teardown 3/3 | TIME_WAIT CLOSED',
    ]);
    assert.ok(r.rows.every((x) => x.inferred));
    assert.equal(r.sums[0].roleBy, 'port');
    checkSummary(r.sums[0], { client: 'TIME_WAIT', server: 'CLOSED', connState: 'SF', history: 'DadFfA', problems: [] });
  });

  it('a connection whose SYN was missed: first packet SYN+ACK', () => {
    const cap = new Cap();
    cap.c.next += 1; // the SYN we did not capture
    cap.s.seen = cap.c.next;
    cap.S('SA').C('A').C('PA', PAYLOAD).S('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
    ]);
    assert.ok(r.rows.every((x) => x.inferred));
    // Zeek: no SYN seen, SYN+ACK then ACK: both established; '^' as the roles were flipped.
    checkSummary(r.sums[0], { client: 'ESTABLISHED', server: 'ESTABLISHED', connState: 'S1', history: '^hADa', problems: [] });
  });
});

describe('TCP states: retransmissions never advance twice', () => {
  it('retransmitted SYN: the unanswered first copy does not move the server', () => {
    const cap = new Cap().C('S').C('S', { retx: true }).S('SA').C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT LISTEN',
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
    ]);
    assert.ok(r.rows[1].analysis & 1, 'second SYN flagged retransmission');
    checkSummary(r.sums[0], { client: 'ESTABLISHED', server: 'ESTABLISHED', connState: 'S1', history: 'ShA', problems: [] });
  });

  it('retransmitted SYN+ACK after the final ACK was lost', () => {
    const cap = new Cap().C('S').S('SA');
    const synAck = cap.s.lastSeq;
    cap.C('A').S('SA', { seq: synAck }).C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      // The server re-sent its SYN+ACK: it never got this ACK, stays SYN_RCVD.
      'handshake 3/3 | ESTABLISHED SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
    ]);
    checkSummary(r.sums[0], { client: 'ESTABLISHED', server: 'ESTABLISHED', connState: 'S1', history: 'ShA', problems: [] });
  });

  it('retransmitted SYN+ACK that the client never got, then got', () => {
    const cap = new Cap().C('S').S('SA');
    const synAck = cap.s.lastSeq;
    cap.S('SA', { seq: synAck }).C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
    ]);
  });

  it('retransmitted FIN: the first copy was not delivered', () => {
    const cap = new Cap().handshake().C('FA').C('FA', { retx: true }).S('A').S('FA').C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/4 | FIN_WAIT_2 CLOSE_WAIT',
      'teardown 3/4 | TIME_WAIT LAST_ACK',
      'teardown 4/4 | TIME_WAIT CLOSED',
    ]);
    checkSummary(r.sums[0], { client: 'TIME_WAIT', server: 'CLOSED', connState: 'SF', history: 'ShAFaf', problems: [] });
  });

  it('retransmitted last FIN after the final ACK was lost', () => {
    const cap = new Cap().handshake().C('FA').S('A').S('FA').C('A').S('FA', { retx: true }).C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/4 | FIN_WAIT_2 CLOSE_WAIT',
      'teardown 3/4 | TIME_WAIT LAST_ACK',
      'teardown 4/4 | TIME_WAIT LAST_ACK',
      'teardown 3/4 | TIME_WAIT LAST_ACK',
      'teardown 4/4 | TIME_WAIT CLOSED',
    ]);
    checkSummary(r.sums[0], { client: 'TIME_WAIT', server: 'CLOSED', connState: 'SF', history: 'ShAFaf', problems: [] });
  });

  it('retransmitted data: Zeek T letters at the 1st and 10th', () => {
    const cap = new Cap().handshake().C('PA', PAYLOAD);
    for (let i = 0; i < 10; i++) cap.C('PA', { retx: true });
    cap.S('A');
    const r = run(cap.segs);
    assert.equal(r.sums[0].history, 'ShADTTa');
    assert.deepEqual(
      r.sums[0].problems.map((p) => [p.kind, p.packet, p.severity]),
      [['retransmissions', 4, 'error']],
    );
  });
});

describe('TCP states: resets', () => {
  it('SYN answered by RST: connection refused', () => {
    const cap = new Cap().C('S').S('RA', { seq: 0 });
    const r = run(cap.segs);
    checkRows(r, ['handshake 1/3 | SYN_SENT CLOSED', 'reset by server | CLOSED CLOSED']);
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'REJ', history: 'Sr', problems: ['refused'] });
    const p = r.sums[0].problems[0];
    assert.equal(p.packet, 1);
    assert.equal(p.severity, 'error');
    assert.match(english(p), /refused/);
    assert.match(chinese(p), /拒绝/);
  });

  it('client gives up in SYN_SENT (RST after an unanswered SYN)', () => {
    const cap = new Cap().C('S').C('R');
    const r = run(cap.segs);
    checkRows(r, ['handshake 1/3 | SYN_SENT LISTEN', 'reset by client | CLOSED CLOSED']);
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'RSTOS0', history: 'SR', problems: ['no-answer', 'reset'] });
  });

  // Zeek's own baseline (testing/btest/.../conn_state-RST-behavior): R → OTH, SR → RSTOS0,
  // SaR → RSTOS0, SaFR → OTH.
  it('Zeek RST baselines: R, SaR, SaFR', () => {
    const r1 = run(new Cap().midStream().C('R').segs);
    checkRows(r1, ['reset by client | CLOSED CLOSED']);
    assert.ok(r1.rows[0].inferred);
    checkSummary(r1.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'OTH', history: 'R', problems: ['reset'] });

    const r2 = run(new Cap().C('S').S('A', { ack: 1001 }).C('R').segs);
    checkRows(r2, ['handshake 1/3 | SYN_SENT SYN_RCVD', '- | SYN_SENT SYN_RCVD', 'reset by client | CLOSED CLOSED']);
    checkSummary(r2.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'RSTOS0', history: 'SaR', problems: ['reset'] });

    const r3 = run(new Cap().C('S').S('A', { ack: 1001 }).C('F').C('R').segs);
    checkRows(r3, ['handshake 1/3 | SYN_SENT SYN_RCVD', '- | SYN_SENT SYN_RCVD', 'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT', 'reset by client | CLOSED CLOSED']);
    checkSummary(r3.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'OTH', history: 'SaFR', problems: ['reset'] });
  });

  it('client resets while the server is in SYN_RCVD', () => {
    const cap = new Cap().C('S').S('SA').C('R');
    const r = run(cap.segs);
    checkRows(r, ['handshake 1/3 | SYN_SENT SYN_RCVD', 'handshake 2/3 | ESTABLISHED SYN_RCVD', 'reset by client | CLOSED CLOSED']);
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'RSTO', history: 'ShR', problems: ['reset'] });
    assert.match(english(r.sums[0].problems[0]), /client .* in ESTABLISHED/);
  });

  it('server resets in ESTABLISHED', () => {
    const cap = new Cap().handshake().C('PA', PAYLOAD).S('RA');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      'reset by server | CLOSED CLOSED',
    ]);
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'RSTR', history: 'ShADr', problems: ['reset'] });
    assert.match(english(r.sums[0].problems[0]), /server .* in ESTABLISHED/);
    assert.equal(r.sums[0].problems[0].severity, 'warning');
  });

  it('server resets a client in FIN_WAIT_1', () => {
    const cap = new Cap().handshake().C('FA').S('RA');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'reset by server | CLOSED CLOSED',
    ]);
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'RSTR', history: 'ShAFr', problems: ['reset'] });
    assert.match(english(r.sums[0].problems[0]), /server .* in CLOSE_WAIT/);
  });

  it('client in FIN_WAIT_2 resets', () => {
    const cap = new Cap().handshake().C('FA').S('A').C('R');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/4 | FIN_WAIT_2 CLOSE_WAIT',
      'reset by client | CLOSED CLOSED',
    ]);
    // Zeek: the originator is CLOSED by its FIN; its RST then moves it to RESET because the
    // responder is not CLOSED (UpdateClosedState): RSTO.
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'RSTO', history: 'ShAFaR', problems: ['reset'] });
    assert.match(english(r.sums[0].problems[0]), /client .* in FIN_WAIT_2/);
  });

  it('server in CLOSE_WAIT resets', () => {
    const cap = new Cap().handshake().C('FA').S('A').S('PA', PAYLOAD).C('A').S('RA');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/4 | FIN_WAIT_2 CLOSE_WAIT',
      '- | FIN_WAIT_2 CLOSE_WAIT',
      '- | FIN_WAIT_2 CLOSE_WAIT',
      'reset by server | CLOSED CLOSED',
    ]);
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'RSTR', history: 'ShAFadr', problems: ['reset'] });
    assert.match(english(r.sums[0].problems[0]), /server .* in CLOSE_WAIT/);
  });

  it('RST after both FINs (client in TIME_WAIT, server in LAST_ACK) is only informational', () => {
    const cap = new Cap().handshake().C('FA').S('A').S('FA').C('R');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/4 | FIN_WAIT_2 CLOSE_WAIT',
      'teardown 3/4 | TIME_WAIT LAST_ACK',
      'reset by client | CLOSED CLOSED',
    ]);
    // Zeek: both CLOSED by their FINs; a RST then changes nothing.
    checkSummary(r.sums[0], { client: 'CLOSED', server: 'CLOSED', connState: 'SF', history: 'ShAFafR', problems: ['reset'] });
    assert.equal(r.sums[0].problems[0].severity, 'info');
    assert.match(english(r.sums[0].problems[0]), /client .* in TIME_WAIT/);
  });
});

describe('TCP states: problems left at the end of the capture', () => {
  it('no answer to the SYN: the server never moves', () => {
    const cap = new Cap().C('S').C('S', { retx: true }).C('S', { retx: true });
    const r = run(cap.segs);
    checkRows(r, ['handshake 1/3 | SYN_SENT LISTEN', 'handshake 1/3 | SYN_SENT LISTEN', 'handshake 1/3 | SYN_SENT LISTEN']);
    checkSummary(r.sums[0], { client: 'SYN_SENT', server: 'LISTEN', connState: 'S0', history: 'S', problems: ['no-answer'] });
    assert.match(english(r.sums[0].problems[0]), /3 SYNs/);
  });

  it('stuck in CLOSE_WAIT (and the peer left in FIN_WAIT_2)', () => {
    const cap = new Cap().handshake().C('PA', PAYLOAD).S('PA', PAYLOAD).C('FA').S('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      '- | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 CLOSE_WAIT',
      'teardown 2/4 | FIN_WAIT_2 CLOSE_WAIT',
    ]);
    checkSummary(r.sums[0], { client: 'FIN_WAIT_2', server: 'CLOSE_WAIT', connState: 'S2', history: 'ShADdFa', problems: ['close-wait', 'fin-wait-2'] });
    const [cw, fw] = r.sums[0].problems;
    assert.deepEqual([cw.packet, cw.severity, fw.packet, fw.severity], [5, 'warning', 6, 'info']);
    assert.match(english(cw), /server \(10\.0\.0\.2:80\) never closed/);
    assert.match(chinese(cw), /CLOSE_WAIT/);
  });

  it('FIN_WAIT_2 left hanging on the server side', () => {
    const cap = new Cap().handshake().S('FA').C('A');
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | CLOSE_WAIT FIN_WAIT_1',
      'teardown 2/4 | CLOSE_WAIT FIN_WAIT_2',
    ]);
    checkSummary(r.sums[0], { client: 'CLOSE_WAIT', server: 'FIN_WAIT_2', connState: 'S3', history: 'ShAf', problems: ['close-wait', 'fin-wait-2'] });
  });

  it('FIN unanswered to the end: the server is gone, the client stays FIN_WAIT_1', () => {
    const cap = new Cap().handshake().C('FA').C('FA', { retx: true }).C('FA', { retx: true });
    const r = run(cap.segs);
    checkRows(r, [
      'handshake 1/3 | SYN_SENT SYN_RCVD',
      'handshake 2/3 | ESTABLISHED SYN_RCVD',
      'handshake 3/3 | ESTABLISHED ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 ESTABLISHED',
      'teardown 1/4 | FIN_WAIT_1 ESTABLISHED',
    ]);
    checkSummary(r.sums[0], { client: 'FIN_WAIT_1', server: 'ESTABLISHED', connState: 'S2', history: 'ShAF', problems: ['retransmissions'] });
  });

  it('zero window advertised by the client', () => {
    const cap = new Cap().handshake().S('PA', PAYLOAD).C('A', { win: 0 }).S('A').C('A', { win: 8192 });
    const r = run(cap.segs);
    checkSummary(r.sums[0], { client: 'ESTABLISHED', server: 'ESTABLISHED', connState: 'S1', history: 'ShAdWa', problems: ['zero-window'] });
    assert.equal(r.sums[0].problems[0].packet, 4);
    assert.match(english(r.sums[0].problems[0]), /client .* zero window/);
  });

  it('segments lost at the capture start', () => {
    const cap = new Cap().midStream();
    cap.C('PA', PAYLOAD);
    cap.c.next += 500; // a segment the capture missed
    cap.C('PA', PAYLOAD).S('A');
    const r = run(cap.segs);
    assert.ok(r.rows[1].analysis & (1 << 4), 'lost_segment');
    assert.deepEqual(
      r.sums[0].problems.map((p) => [p.kind, p.packet, p.severity]),
      [['lost-at-start', 1, 'info']],
    );
  });

  it('SYN flood: many half-open connections to one port', () => {
    const segs: SegmentInput[] = [];
    const N = 12;
    for (let i = 0; i < N; i++) {
      const cap = new Cap(30000 + i, `198.51.100.${i + 1}`);
      cap.C('S').S('SA');
      const sa = cap.s.lastSeq;
      cap.S('SA', { seq: sa }).S('SA', { seq: sa });
      for (const s of cap.segs) segs.push({ ...s, index: segs.length });
    }
    const r = run(segs);
    assert.equal(r.sums.length, N);
    for (let i = 0; i < N; i++) {
      checkRows(
        r,
        [
          'handshake 1/3 | SYN_SENT SYN_RCVD',
          // None of the SYN+ACKs got an answer: the client never got them, it stays SYN_SENT.
          'handshake 2/3 | SYN_SENT SYN_RCVD',
          'handshake 2/3 | SYN_SENT SYN_RCVD',
          'handshake 2/3 | SYN_SENT SYN_RCVD',
        ],
        i,
      );
      // Zeek logs such a connection as S1 ("Sh": the responder's SYN+ACK establishes both).
      checkSummary(r.sums[i], { client: 'SYN_SENT', server: 'SYN_RCVD', connState: 'S1', history: 'Sh', problems: ['syn-flood', 'half-open'] });
      const flood = r.sums[i].problems.find((p) => p.kind === 'syn-flood')!;
      assert.equal(flood.severity, 'error');
      assert.match(english(flood), /12 connections to 10\.0\.0\.2:80/);
      assert.match(chinese(flood), /SYN 洪泛/);
    }
    assert.deepEqual(
      r.engine.synFloods().map((f) => [f.server.addr, f.server.port, f.halfOpen]),
      [['10.0.0.2', 80, 12]],
    );
  });

  it('add() shows the provisional state; result() the corrected one', () => {
    const cap = new Cap().C('S').S('SA');
    const sa = cap.s.lastSeq;
    cap.S('SA', { seq: sa });
    const engine = new TcpEngine();
    const live = cap.segs.map((seg) => {
      const o = engine.add(seg);
      return `${TCP_STATES[o.clientState]} ${TCP_STATES[o.serverState]}`;
    });
    // As known when each packet arrived: every SYN+ACK looked delivered.
    assert.deepEqual(live, ['SYN_SENT SYN_RCVD', 'ESTABLISHED SYN_RCVD', 'ESTABLISHED SYN_RCVD']);
    // The re-sent SYN+ACK proves the first one was not delivered; the end of the capture settles the second.
    assert.equal(TCP_STATES[engine.result(1)!.clientState], 'SYN_SENT');
    assert.equal(TCP_STATES[engine.result(2)!.clientState], 'ESTABLISHED');
    engine.finish();
    assert.equal(TCP_STATES[engine.result(2)!.clientState], 'SYN_SENT');
    assert.equal(engine.summaries()[0].clientState, 'SYN_SENT');
  });

  it('a few half-open connections are not a flood', () => {
    const segs: SegmentInput[] = [];
    for (let i = 0; i < 3; i++) {
      const cap = new Cap(30000 + i).C('S').S('SA');
      for (const s of cap.segs) segs.push({ ...s, index: segs.length });
    }
    const r = run(segs);
    for (const s of r.sums) {
      // A single SYN+ACK with no evidence against it: delivered, the client is ESTABLISHED.
      checkSummary(s, { client: 'ESTABLISHED', server: 'SYN_RCVD', connState: 'S1', history: 'Sh', problems: ['half-open'] });
    }
    assert.deepEqual(r.engine.synFloods(), []);
  });
});

describe('TCP engine: pipeline, storage and CLI contract', () => {
  it('decodes real frames (tcpFrame → decodeFrame → segmentFromPacket) and runs them', () => {
    const c = '2001:db8::1';
    const s = '2001:db8::2';
    const frames = [
      tcpFrame({ src: c, dst: s, sport: 51000, dport: 443, seq: 100, flags: 0x02, options: [...opt.mss(1440), ...opt.nop(), ...opt.wscale(7)] }),
      tcpFrame({ src: s, dst: c, sport: 443, dport: 51000, seq: 7000, ack: 101, flags: 0x12, options: [...opt.mss(1440), ...opt.nop(), ...opt.wscale(8)] }),
      tcpFrame({ src: c, dst: s, sport: 51000, dport: 443, seq: 101, ack: 7001, flags: 0x10, win: 502 }),
      tcpFrame({ src: c, dst: s, sport: 51000, dport: 443, seq: 101, ack: 7001, flags: 0x18, win: 502, payload: 20 }),
      tcpFrame({ src: s, dst: c, sport: 443, dport: 51000, seq: 7001, ack: 121, flags: 0x19, win: 300 }),
      tcpFrame({ src: c, dst: s, sport: 51000, dport: 443, seq: 121, ack: 7002, flags: 0x11, win: 502 }),
      tcpFrame({ src: s, dst: c, sport: 443, dport: 51000, seq: 7002, ack: 122, flags: 0x10, win: 300 }),
    ];
    const engine = new TcpEngine();
    const pkt = new DecodedPacket();
    const segs: SegmentInput[] = [];
    frames.forEach((f, i) => {
      decodeFrame(pkt, f, f.length, 1);
      const seg = segmentFromPacket(pkt, { index: i, tsSec: 1700000000, tsNsec: i * 1000 })!;
      assert.ok(seg, `frame ${i} is TCP`);
      segs.push(seg);
      const out = engine.add(seg);
      assert.equal(out.stream, 0);
    });
    engine.finish();
    const rows = segs.map((x) => engine.result(x.index)!);
    assert.deepEqual(
      rows.map((x) => `${x.step} | ${TCP_STATES[x.clientState]} ${TCP_STATES[x.serverState]}`),
      [
        'handshake 1/3 | SYN_SENT SYN_RCVD',
        'handshake 2/3 | ESTABLISHED SYN_RCVD',
        'handshake 3/3 | ESTABLISHED ESTABLISHED',
        ' | ESTABLISHED ESTABLISHED',
        'teardown 1/3 | CLOSE_WAIT FIN_WAIT_1',
        'teardown 2/3 | LAST_ACK TIME_WAIT',
        'teardown 3/3 | CLOSED TIME_WAIT',
      ],
    );
    const sum = engine.summaries()[0];
    checkSummary(sum, { client: 'CLOSED', server: 'TIME_WAIT', connState: 'SF', history: 'ShADfFa', problems: [] });

    // packets --json
    const pj = packetJson({ index: 4, tsSec: 1700000000, tsNsec: 4000, src: s, dst: c, sport: 443, dport: 51000, proto: 6 }, segs[4], rows[4]);
    assert.deepEqual(pj, {
      no: 5,
      time: '1700000000.000004000',
      src: s,
      dst: c,
      sport: 443,
      dport: 51000,
      proto: 'tcp',
      stream: 0,
      flags: 'FP.',
      seq: 1,
      ack: 21,
      seqRaw: 7001,
      ackRaw: 121,
      win: 300,
      winScaled: 76800,
      len: 0,
      analysis: [],
      step: 'teardown 1/3',
      states: { client: 'CLOSE_WAIT', server: 'FIN_WAIT_1' },
      inferred: false,
    });
    assert.equal(packetJson({ index: 0, tsSec: 1, tsNsec: 5, src: c, dst: s, proto: 6 }, segs[0], rows[0]).flags, 'S');
    assert.equal(packetJson({ index: 1, tsSec: 1, tsNsec: 5, src: s, dst: c, proto: 6 }, segs[1], rows[1]).flags, 'S.');
    const udp = packetJson({ index: 9, tsSec: 1591780863, tsNsec: 720289000, src: '10.0.0.1', dst: '10.0.0.2', sport: 53, dport: 5353, proto: 17 });
    assert.deepEqual(udp, { no: 10, time: '1591780863.720289000', src: '10.0.0.1', dst: '10.0.0.2', sport: 53, dport: 5353, proto: 'udp' });

    // conns --json
    const cj = connJson(sum, zhCn());
    assert.equal(cj.client, '[2001:db8::1]:51000');
    assert.equal(cj.server, '[2001:db8::2]:443');
    assert.equal(cj.firstPacket, 1);
    assert.equal(cj.lastPacket, 7);
    assert.equal(cj.start, '1700000000.000000000');
    assert.equal(cj.duration, 0.000006);
    assert.deepEqual(cj.packets, { client: 4, server: 3 });
    assert.deepEqual(cj.bytes, { client: 20, server: 0 });
    assert.equal(cj.connState, 'SF');
    assert.deepEqual(cj.problems, []);
    assert.doesNotThrow(() => JSON.stringify(cj));
  });

  it('conns JSON problems carry both languages; the table is readable', () => {
    const r = run(new Cap().C('S').S('RA', { seq: 0 }).segs);
    const cj = connJson(r.sums[0], zhCn());
    assert.equal(cj.problems.length, 1);
    assert.equal(cj.problems[0].kind, 'refused');
    assert.equal(cj.problems[0].packet, 2);
    assert.match(cj.problems[0].message, /refused/);
    assert.match(cj.problems[0].messageZh, /连接被拒绝/);
    const table = formatConnsTable(r.sums);
    const lines = table.split('\n');
    assert.match(lines[0], /^STREAM\s+CLIENT\s+SERVER\s+PKTS C\/S\s+BYTES C\/S\s+DURATION\s+CLIENT STATE\s+SERVER STATE\s+CONN\s+HISTORY\s+PROBLEMS$/);
    assert.match(lines[1], /^\s+0\s+10\.0\.0\.1:40000\s+10\.0\.0\.2:80\s+1\/1\s+0\/0\s+0\.000001\s+CLOSED\s+CLOSED\s+REJ\s+Sr\s+refused$/);
    assert.match(table, /stream 0, packet 2, error refused: Connection refused/);
    assert.match(formatConnsTable(r.sums, { t: zhCn() }), /流 0，第 2 个包，错误 refused：连接被拒绝/);
  });

  it('stores at most 64 bytes a packet; add() returns a reused object; unknown indexes are undefined', () => {
    const engine = new TcpEngine();
    assert.ok(engine.bytesPerPacket() <= 64, `${engine.bytesPerPacket()} bytes`);
    const segs = new Cap().handshake().segs.map((s) => ({ ...s, index: s.index * 2 })); // odd indexes: not TCP
    const a = engine.add(segs[0]);
    const b = engine.add(segs[1]);
    assert.equal(a, b);
    engine.add(segs[2]);
    engine.finish();
    assert.equal(engine.result(1), undefined);
    assert.equal(engine.result(99), undefined);
    assert.equal(engine.result(4)!.step, 'handshake 3/3');
    assert.throws(() => engine.add(segs[0]));
  });

  it('keepSeqAck: false keeps every result but relSeq / relAck / winScaled (0) in 12 bytes a packet less; finish() drops the 4 of prev', () => {
    const segs = new Cap()
      .handshake()
      .C('PA', { len: 100, win: 501 })
      .C('PA', { len: 100, retx: true })
      .S('A', { win: 300 })
      .S('A', { win: 300 })
      .S('A', { win: 300 })
      .C('FA')
      .S('FA')
      .C('A').segs;
    const full = new TcpEngine();
    const lean = new TcpEngine({ keepSeqAck: false });
    assert.equal(full.bytesPerPacket(), 26);
    assert.equal(lean.bytesPerPacket(), 14);
    // performance measurement is opt-in: 8 bytes a packet more (ack_rtt, bytes in flight)
    assert.equal(new TcpEngine({ perf: true }).bytesPerPacket(), 34);
    for (const seg of segs) {
      const a = { ...full.add(seg) };
      const b = { ...lean.add(seg) };
      assert.deepEqual(b, a, 'add() returns the same result either way');
    }
    full.finish();
    lean.finish();
    assert.equal(full.bytesPerPacket(), 22);
    assert.equal(lean.bytesPerPacket(), 10);
    let seqs = 0;
    for (const seg of segs) {
      const a = full.result(seg.index)!;
      const b = lean.result(seg.index)!;
      if (a.relSeq !== 0) seqs++;
      assert.deepEqual(b, { ...a, relSeq: 0, relAck: 0, winScaled: 0 }, `packet ${seg.index}`);
    }
    assert.ok(seqs > 3 && segs.some((seg) => full.result(seg.index)!.analysis !== 0), 'the scenario has relative numbers and analysis');
    assert.deepEqual(lean.summaries(), full.summaries());
    // finish() let the conversations go (the summaries are built): the count stays
    assert.equal(full.connectionCount, 1);
    assert.equal(full.summaries().length, 1);
  });

  it('survives random segments (fuzz): every row and summary stays well-formed', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const flagSet = ['S', 'SA', 'A', 'PA', 'FA', 'F', 'R', 'RA', 'SF', 'FRA', 'SR'];
    const segs: SegmentInput[] = [];
    const caps = [new Cap(40000), new Cap(40001), new Cap(40002, '10.0.0.3')];
    for (let i = 0; i < 3000; i++) {
      const cap = caps[rnd(3)];
      const from = rnd(2) === 0 ? 'c' : 's';
      const f = flagSet[rnd(flagSet.length)];
      const o: SendOpts = { len: rnd(3) === 0 ? rnd(200) : 0 };
      if (rnd(4) === 0) o.retx = true;
      if (rnd(8) === 0) o.ack = rnd(0x7fffffff);
      if (rnd(20) === 0) o.seq = rnd(0x7fffffff);
      cap.send(from, f, o);
      const s = cap.segs[cap.segs.length - 1];
      segs.push({ ...s, index: segs.length, tsNsec: segs.length });
    }
    const r = run(segs);
    const steps = new Set<string>(['', ...r.rows.map((x) => x.step)]);
    for (const x of r.rows) {
      assert.ok(x.clientState >= 0 && x.clientState < TCP_STATES.length);
      assert.ok(x.serverState >= 0 && x.serverState < TCP_STATES.length);
    }
    assert.ok(steps.size > 3);
    for (const s of r.sums) {
      assert.ok(['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'].includes(s.connState));
      assert.match(s.history, /^\^?[sShHaAdDfFrRtTwWgGiIqQ]*$/);
      for (const p of s.problems) assert.ok(p.packet >= 0 && p.packet < segs.length && english(p).length > 0 && chinese(p).length > 0);
      assert.doesNotThrow(() => JSON.stringify(connJson(s, zhCn())));
    }
    assert.ok(formatConnsTable(r.sums).length > 0);
  });

  it('2 000 complete conversations of 100 packets each all end SF with no problems', () => {
    // (speed is measured by npm run bench, not here)
    const segs: SegmentInput[] = [];
    for (let c = 0; c < 2000; c++) {
      const cap = new Cap(1024 + (c % 60000), `10.${(c >> 8) & 255}.${c & 255}.1`);
      cap.handshake();
      for (let k = 0; k < 45; k++) cap.C('PA', PAYLOAD).S('A');
      cap.C('FA').S('FA').C('A');
      for (const s of cap.segs) segs.push({ ...s, index: segs.length });
    }
    const engine = new TcpEngine();
    for (const s of segs) engine.add(s);
    engine.finish();
    assert.equal(engine.summaries().length, 2000);
    assert.ok(engine.summaries().every((s) => s.connState === 'SF' && s.problems.length === 0));
  });
});
