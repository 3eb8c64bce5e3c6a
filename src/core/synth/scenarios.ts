/**
 * Small, readable TCP conversations for the demo samples, tests and the walkthrough: each one a
 * story a tutorial tells (a clean handshake-data-teardown, a refused connection, a reset, a
 * three-packet close, a simultaneous close, retransmissions, a zero window, a SYN flood, a
 * connection stuck in CLOSE_WAIT, a server left in FIN_WAIT_2). Deterministic; frames built by tcpFrame.
 */
import { TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN } from '../decode/packet';
import { opt, tcpFrame, type TcpSegmentSpec } from './frames';

export interface TimedFrame {
  /** Microseconds since the scenario's start. */
  us: number;
  frame: Uint8Array;
}

type Side = 'C' | 'S';

/** Builds one conversation step by step, tracking both sides' sequence numbers. */
class Conversation {
  readonly frames: TimedFrame[] = [];
  private seq: Record<Side, number>;
  private t = 0;
  private ts = 1000;
  constructor(
    private readonly c: { addr: string; port: number },
    private readonly s: { addr: string; port: number },
    isn: { C: number; S: number },
  ) {
    this.seq = { C: isn.C, S: isn.S };
  }
  private ends(from: Side): Pick<TcpSegmentSpec, 'src' | 'dst' | 'sport' | 'dport'> {
    const [a, b] = from === 'C' ? [this.c, this.s] : [this.s, this.c];
    return { src: a.addr, dst: b.addr, sport: a.port, dport: b.port };
  }
  /** Send a segment. `ackOf` says whether the ACK field is set; the ack number is the peer's next seq. */
  send(from: Side, flags: number, opts: { after?: number; payload?: number | Uint8Array; win?: number; seq?: number; handshake?: boolean; noAdvance?: boolean } = {}): this {
    this.t += opts.after ?? 200;
    const peer: Side = from === 'C' ? 'S' : 'C';
    const len = opts.payload === undefined ? 0 : typeof opts.payload === 'number' ? opts.payload : opts.payload.length;
    const seq = opts.seq ?? this.seq[from];
    this.ts += 1;
    const options = opts.handshake ? [...opt.mss(1460), ...opt.sackOk(), ...opt.ts(this.ts, flags & TH_ACK ? this.ts - 1 : 0), ...opt.nop(), ...opt.wscale(7)] : [...opt.nop(), ...opt.nop(), ...opt.ts(this.ts, this.ts - 1)];
    const frame = tcpFrame({
      ...this.ends(from),
      seq,
      ack: flags & TH_ACK ? this.seq[peer] : 0,
      flags,
      win: opts.win ?? (from === 'C' ? 502 : 509),
      options: flags & TH_RST ? undefined : options,
      payload: opts.payload,
    });
    this.frames.push({ us: this.t, frame });
    if (!opts.noAdvance && opts.seq === undefined) this.seq[from] = (seq + len + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    return this;
  }
  handshake(): this {
    return this.send('C', TH_SYN, { handshake: true, win: 64240, after: 0 })
      .send('S', TH_SYN | TH_ACK, { handshake: true, win: 65160, after: 30000 })
      .send('C', TH_ACK, { after: 150 });
  }
  exchange(req: number, resp: number): this {
    return this.send('C', TH_PUSH | TH_ACK, { payload: req }).send('S', TH_ACK, { after: 30000 }).send('S', TH_PUSH | TH_ACK, { payload: resp, after: 500 }).send('C', TH_ACK);
  }
}

const text = (s: string) => new TextEncoder().encode(s);

export interface Scenario {
  name: string;
  /** One line: what the capture shows. */
  title: string;
  frames: TimedFrame[];
}

function conv(n: number, serverPort = 8888): Conversation {
  return new Conversation({ addr: '10.23.185.135', port: 48096 + n }, { addr: '106.53.211.6', port: serverPort }, { C: (3021458137 + n * 7919) >>> 0, S: (1884202731 + n * 104729) >>> 0 });
}

/** Every scenario of the demo, in the order the walkthrough tells them. */
export function scenarios(): Scenario[] {
  const out: Scenario[] = [];

  const hs = conv(0).handshake();
  hs.send('C', TH_PUSH | TH_ACK, { payload: text('hello, server') })
    .send('S', TH_ACK, { after: 30000 })
    .send('S', TH_PUSH | TH_ACK, { payload: text('hello, client'), after: 400 })
    .send('C', TH_ACK)
    .send('C', TH_FIN | TH_ACK, { after: 5000 })
    .send('S', TH_ACK, { after: 30000 })
    .send('S', TH_FIN | TH_ACK, { after: 300 })
    .send('C', TH_ACK);
  out.push({ name: 'handshake-data-teardown', title: 'Three-way handshake, one request and reply, four-way teardown', frames: hs.frames });

  const three = conv(1).handshake().exchange(20, 120);
  three.send('C', TH_FIN | TH_ACK, { after: 3000 }).send('S', TH_FIN | TH_ACK, { after: 30000 }).send('C', TH_ACK);
  out.push({ name: 'close-three-packets', title: 'Teardown in three packets: the FIN is answered by FIN+ACK', frames: three.frames });

  const simul = conv(2).handshake().exchange(20, 20);
  simul.send('C', TH_FIN | TH_ACK, { after: 3000, noAdvance: true });
  simul.send('S', TH_FIN | TH_ACK, { after: 10, noAdvance: true });
  // each side's FIN crossed the other's; now both acknowledge the peer's FIN
  const f = simul.frames;
  void f;
  out.push({ name: 'close-simultaneous', title: 'Both sides close at once: FIN_WAIT_1 → CLOSING → TIME_WAIT', frames: simultaneousClose().frames });

  const halfClose = conv(3).handshake().send('C', TH_PUSH | TH_ACK, { payload: 30 }).send('C', TH_FIN | TH_ACK, { after: 100 }).send('S', TH_ACK, { after: 30000 });
  for (let k = 0; k < 3; k++) halfClose.send('S', TH_PUSH | TH_ACK, { payload: 1000, after: 2000 }).send('C', TH_ACK);
  halfClose.send('S', TH_FIN | TH_ACK, { after: 1000 }).send('C', TH_ACK);
  out.push({ name: 'half-close', title: 'Half-close: the client is done sending, the server keeps sending data, then closes', frames: halfClose.frames });

  const refused = conv(4, 9999).send('C', TH_SYN, { handshake: true, win: 64240, after: 0 }).send('S', TH_RST | TH_ACK, { after: 100 });
  out.push({ name: 'refused', title: 'Connection refused: nothing listens on the port, the SYN is answered by RST', frames: refused.frames });

  const reset = conv(5).handshake().exchange(40, 400).send('S', TH_RST | TH_ACK, { after: 60000 });
  out.push({ name: 'reset', title: 'An established connection reset by the server', frames: reset.frames });

  const retrans = conv(6).handshake();
  retrans.send('C', TH_PUSH | TH_ACK, { payload: 100, noAdvance: true });
  retrans.send('C', TH_PUSH | TH_ACK, { payload: 100, after: 200000, noAdvance: true });
  retrans.send('C', TH_PUSH | TH_ACK, { payload: 100, after: 400000 });
  retrans.send('S', TH_ACK, { after: 30000 }).send('C', TH_FIN | TH_ACK, { after: 1000 }).send('S', TH_FIN | TH_ACK, { after: 30000 }).send('C', TH_ACK);
  out.push({ name: 'retransmissions', title: 'A request sent three times before the server acknowledges it', frames: retrans.frames });

  const zw = conv(7).handshake();
  zw.send('C', TH_PUSH | TH_ACK, { payload: 1000 }).send('S', TH_ACK, { win: 0, after: 30000 });
  zw.send('C', TH_ACK, { after: 200000, seq: undefined }).send('S', TH_ACK, { win: 0, after: 30000 });
  zw.send('S', TH_ACK, { win: 509, after: 500000 }).send('C', TH_PUSH | TH_ACK, { payload: 1000 }).send('S', TH_ACK, { after: 30000 });
  out.push({ name: 'zero-window', title: 'The server stops reading: its window drops to zero, then opens again', frames: zw.frames });

  const flood: TimedFrame[] = [];
  for (let k = 0; k < 12; k++) {
    const c = new Conversation({ addr: `198.51.100.${10 + k}`, port: 40000 + k * 17 }, { addr: '106.53.211.6', port: 80 }, { C: (12345 + k * 99991) >>> 0, S: (777 + k * 31337) >>> 0 });
    c.send('C', TH_SYN, { handshake: true, win: 64240, after: 0 });
    c.send('S', TH_SYN | TH_ACK, { handshake: true, win: 65160, after: 50, noAdvance: true });
    c.send('S', TH_SYN | TH_ACK, { handshake: true, win: 65160, after: 1000000, noAdvance: true });
    c.send('S', TH_SYN | TH_ACK, { handshake: true, win: 65160, after: 2000000, noAdvance: true });
    for (const fr of c.frames) flood.push({ us: fr.us + k * 20000, frame: fr.frame });
  }
  flood.sort((a, b) => a.us - b.us);
  out.push({ name: 'syn-flood', title: 'SYN flood: many SYNs answered by SYN+ACKs that are never acknowledged', frames: flood });

  const cw = conv(8).handshake().exchange(30, 300).send('C', TH_FIN | TH_ACK, { after: 2000 }).send('S', TH_ACK, { after: 30000 });
  cw.send('C', TH_ACK, { after: 5000000 });
  out.push({ name: 'stuck-close-wait', title: 'The client closed; the server acknowledged but never closed (stuck in CLOSE_WAIT)', frames: cw.frames });

  // The mirror image, seen from the side that closed: a server drops an idle keep-alive connection,
  // the client's stack acknowledges the FIN but its application never closes the socket.
  const fw2 = conv(9).handshake().exchange(60, 600).send('S', TH_FIN | TH_ACK, { after: 15000000 }).send('C', TH_ACK, { after: 150 });
  out.push({ name: 'fin-wait-2', title: 'The server closed an idle connection; the client acknowledged but never sent its FIN (server left in FIN_WAIT_2)', frames: fw2.frames });
  return out;
}

/** Simultaneous close: both FINs cross in the network, each side then acknowledges the other's. */
function simultaneousClose(): Conversation {
  const c = conv(2).handshake().exchange(20, 20);
  // both send FIN before seeing the other's: the ack numbers do not cover the peer's FIN
  c.send('C', TH_FIN | TH_ACK, { after: 3000, noAdvance: true });
  c.send('S', TH_FIN | TH_ACK, { after: 10, noAdvance: true });
  // now each side's FIN counts: advance both by one and acknowledge
  const s = c as unknown as { seq: Record<Side, number> };
  s.seq.C = (s.seq.C + 1) >>> 0;
  s.seq.S = (s.seq.S + 1) >>> 0;
  c.send('C', TH_ACK, { after: 30000 }).send('S', TH_ACK, { after: 10 });
  return c;
}
