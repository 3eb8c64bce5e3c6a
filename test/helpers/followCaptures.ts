/**
 * Small generated captures for Follow TCP Stream: one stream per mark the engine shows.
 *   stream 0  loss        a client segment missing from the capture, acknowledged by the server
 *   stream 1  retransmit  a copy with the same bytes, a copy with different bytes, a copy with a new tail
 *   stream 2  reorder     the second segment captured before the first
 *   stream 3  cut         a segment cut by the snaplen, then one after a gap nobody acknowledges
 *   stream 4  reset       a request answered by a RST
 * Written by our own frame builder (src/core/synth), deterministic; tshark's follow output for them is kept
 * in test/fixtures/follow/ (captured once from tshark 4.0.17).
 */
import { TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN } from '../../src/core/decode/packet';
import { tcpFrame } from '../../src/core/synth/frames';
import { concatBytes, pcapHeader, pcapRecord } from '../../src/core/synth/writers';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Rec {
  frame: Uint8Array;
  /** Bytes kept in the capture (snaplen); the whole frame when absent. */
  caplen?: number;
}

class Conn {
  readonly recs: Rec[] = [];
  private seq: [number, number];
  constructor(
    private readonly c: string,
    private readonly cport: number,
    private readonly s: string,
    isn: [number, number],
  ) {
    this.seq = [isn[0], isn[1]];
  }
  /** side 0 client, 1 server; `at` sends at that relative seq without moving the side's next seq; `drop` leaves it out of the capture. */
  send(side: 0 | 1, flags: number, payload?: Uint8Array, o: { at?: number; drop?: boolean; caplen?: number } = {}): this {
    const [src, dst, sport, dport] = side === 0 ? [this.c, this.s, this.cport, 80] : [this.s, this.c, 80, this.cport];
    const len = payload?.length ?? 0;
    const seq = o.at !== undefined ? (this.isn(side) + o.at) >>> 0 : this.seq[side];
    const frame = tcpFrame({ src, dst, sport, dport, seq, ack: flags & TH_ACK ? this.seq[1 - side] : 0, flags, payload });
    if (!o.drop) this.recs.push({ frame, caplen: o.caplen });
    if (o.at === undefined) this.seq[side] = (seq + len + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    return this;
  }
  private readonly isns: [number, number] = [0, 0];
  private isn(side: 0 | 1): number {
    return this.isns[side];
  }
  handshake(): this {
    this.isns[0] = this.seq[0];
    this.isns[1] = this.seq[1];
    return this.send(0, TH_SYN).send(1, TH_SYN | TH_ACK).send(0, TH_ACK);
  }
  close(): this {
    return this.send(0, TH_FIN | TH_ACK).send(1, TH_FIN | TH_ACK).send(0, TH_ACK);
  }
}

const fill = (ch: string, n: number): Uint8Array => text(ch.repeat(n));

/** The four streams, in capture order one after the other; frames with their snaplen. */
export function followMarksRecords(): Rec[] {
  const loss = new Conn('10.0.0.1', 40000, '10.0.0.2', [1000, 5000])
    .handshake()
    .send(0, TH_PUSH | TH_ACK, text('GET /big HTTP/1.1\r\nHost: a\r\n\r\n'))
    .send(1, TH_PUSH | TH_ACK, fill('a', 100))
    .send(1, TH_PUSH | TH_ACK, fill('b', 100), { drop: true })
    .send(1, TH_PUSH | TH_ACK, fill('c', 100))
    .send(0, TH_ACK) // acknowledges all 300 bytes: the 100 in between were seen by the client, not by the capture
    .close();
  const retx = new Conn('10.0.0.1', 40001, '10.0.0.2', [2000, 6000])
    .handshake()
    .send(0, TH_PUSH | TH_ACK, text('hello world\n'))
    .send(0, TH_PUSH | TH_ACK, text('hello world\n'), { at: 1 })
    .send(0, TH_PUSH | TH_ACK, text('HELLO world\n'), { at: 1 })
    .send(0, TH_PUSH | TH_ACK, text('world\nmore\n'), { at: 7 })
    .send(1, TH_PUSH | TH_ACK, text('ok\n'));
  // the client's next seq is still after "hello world\n": move it past the new tail "more\n"
  retx.send(0, TH_PUSH | TH_ACK, text('more\n'), { drop: true });
  retx.send(1, TH_ACK).close();
  const reorder = new Conn('10.0.0.1', 40002, '10.0.0.2', [3000, 7000]).handshake();
  reorder.send(0, TH_PUSH | TH_ACK, text('first\n'), { drop: true }).send(0, TH_PUSH | TH_ACK, text('second\n'));
  reorder.send(0, TH_PUSH | TH_ACK, text('first\n'), { at: 1 }).send(1, TH_ACK).send(1, TH_PUSH | TH_ACK, text('reply\n')).close();
  const cut = new Conn('10.0.0.1', 40003, '10.0.0.2', [4000, 8000]).handshake();
  // 200 payload bytes on the wire, 50 of them captured (14 + 20 + 20 header bytes + 50)
  cut.send(0, TH_PUSH | TH_ACK, fill('x', 200), { caplen: 14 + 20 + 20 + 50 });
  cut.send(0, TH_PUSH | TH_ACK, fill('y', 30), { drop: true }).send(0, TH_PUSH | TH_ACK, fill('z', 20));
  const reset = new Conn('10.0.0.1', 40004, '10.0.0.2', [5000, 9000]).handshake().send(0, TH_PUSH | TH_ACK, text('QUIT\n')).send(1, TH_RST | TH_ACK);
  return [...loss.recs, ...retx.recs, ...reorder.recs, ...cut.recs, ...reset.recs];
}

/** The capture as pcap bytes (one record a millisecond). */
export function followMarksPcap(): Uint8Array {
  const parts: Uint8Array[] = [pcapHeader(1, false, 65535)];
  followMarksRecords().forEach((r, i) => {
    const data = r.caplen !== undefined ? r.frame.subarray(0, r.caplen) : r.frame;
    parts.push(pcapRecord(1700000000, i * 1000, data, r.frame.length));
  });
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** A body segment's size: one Ethernet MSS (1,460 − 12 bytes of timestamps), as the "[1,448 bytes not captured]". */
export const HTTP_SEGMENT = 1448;

/**
 * An HTTP exchange with a gap, for the Follow view (unit and e2e tests): GET /index.html, a response of
 * three 1,448-byte body segments whose second is missing from the capture (acknowledged by the client),
 * then the close. Stream 0; packets (1-based): 1-3 handshake, 4 request, 5 response head, 6 and 7 body
 * (the 2nd body segment dropped), 8 the client's ACK past the gap, 9-11 close.
 */
export function httpGapPcap(): Uint8Array {
  const body = (ch: string): Uint8Array => fill(ch, HTTP_SEGMENT);
  const c = new Conn('192.168.1.10', 51000, '93.184.216.34', [100000, 900000])
    .handshake()
    .send(0, TH_PUSH | TH_ACK, text('GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: capture-lens-test\r\nAccept: */*\r\n\r\n'))
    .send(1, TH_PUSH | TH_ACK, text('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ' + 3 * HTTP_SEGMENT + '\r\n\r\n'))
    .send(1, TH_ACK, body('a'))
    .send(1, TH_ACK, body('b'), { drop: true })
    .send(1, TH_PUSH | TH_ACK, body('c'))
    .send(0, TH_ACK)
    .close();
  const parts: Uint8Array[] = [pcapHeader(1, false, 65535)];
  c.recs.forEach((r, i) => parts.push(pcapRecord(1700000000, i * 1000, r.frame)));
  return concatBytes(parts);
}
