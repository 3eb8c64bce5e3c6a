/**
 * Generated HTTP captures for src/core/follow/http.ts, written by our own frame builder (src/core/synth):
 * one TCP connection per case, the messages cut into segments where the case needs them (a body over
 * three segments, chunk-size lines split between segments), a segment left out of the capture for a
 * gap, gzip/deflate bodies made with node:zlib.
 */
import * as zlib from 'node:zlib';
import { TH_ACK, TH_FIN, TH_PUSH, TH_SYN } from '../../src/core/decode/packet';
import { tcpFrame } from '../../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../../src/core/synth/writers';

export const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
export const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** One connection: the client at 10.0.0.1:port, the server at 10.0.0.2:80. */
export class HttpConn {
  readonly frames: Uint8Array[] = [];
  private readonly next: [number, number] = [1000, 5000];
  constructor(private readonly port: number) {
    this.send(0, TH_SYN).send(1, TH_SYN | TH_ACK).send(0, TH_ACK);
  }
  /** Side 0 client, 1 server; `drop`: the segment is sent (the sequence moves) but not captured. */
  send(side: 0 | 1, flags: number, payload?: Uint8Array, drop = false): this {
    const [src, dst, sport, dport] = side === 0 ? ['10.0.0.1', '10.0.0.2', this.port, 80] : ['10.0.0.2', '10.0.0.1', 80, this.port];
    const seq = this.next[side];
    const frame = tcpFrame({ src, dst, sport, dport, seq, ack: flags & TH_ACK ? this.next[1 - side] : 0, flags, payload });
    if (!drop) this.frames.push(frame);
    this.next[side] = (seq + (payload?.length ?? 0) + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    return this;
  }
  /** Data in segments cut at the given sizes (the last takes the rest), each acknowledged by the peer; `drop`: indices left out. */
  data(side: 0 | 1, b: Uint8Array, cuts: number[] = [], drop: number[] = []): this {
    let off = 0;
    const parts: Uint8Array[] = [];
    for (const c of cuts) {
      parts.push(b.subarray(off, off + c));
      off += c;
    }
    parts.push(b.subarray(off));
    parts.forEach((p, i) => {
      if (p.length) this.send(side, TH_PUSH | TH_ACK, p, drop.includes(i));
    });
    return this.send(side === 0 ? 1 : 0, TH_ACK);
  }
  close(): this {
    return this.send(0, TH_FIN | TH_ACK).send(1, TH_FIN | TH_ACK).send(0, TH_ACK);
  }
}

/** Frames → pcap bytes (one record a millisecond). */
export function pcapOf(frames: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [pcapHeader(1, false)];
  frames.forEach((f, i) => parts.push(pcapRecord(1700000000 + Math.floor(i / 1000), (i % 1000) * 1000, f)));
  return concat(...parts);
}

/** A text of `n` bytes that compresses as HTML does (words repeated with numbers). */
export function page(n: number): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `<p>line ${i}: the quick brown fox</p>\n`;
  return s.slice(0, n);
}

/** "Transfer-Encoding: chunked" body of `b` in chunks of the given sizes, then a trailer. */
export function chunked(b: Uint8Array, sizes: number[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let off = 0;
  for (const s of sizes) {
    parts.push(bytes(s.toString(16) + ';ext=1\r\n'), b.subarray(off, off + s), bytes('\r\n'));
    off += s;
  }
  if (off < b.length) parts.push(bytes((b.length - off).toString(16) + '\r\n'), b.subarray(off), bytes('\r\n'));
  parts.push(bytes('0\r\nX-Trailer: yes\r\n\r\n'));
  return concat(...parts);
}

export const gzip = (b: Uint8Array | string): Uint8Array => new Uint8Array(zlib.gzipSync(typeof b === 'string' ? Buffer.from(b) : b));

/**
 * The capture of the tests, streams:
 *   0  a POST whose body spans three segments (Content-Length), and its 200 with a body in two segments
 *   1  GET → chunked response, chunk-size lines split across segments, with a trailer
 *   2  GET → gzip body, chunked; then GET → deflate (zlib) body; then HEAD → Content-Length, no body
 *   3  GET → 100-byte body whose middle segment was not captured (gap), then a second response still read
 *   4  GET → gzip bomb (10 MiB of zeros: ~10 KB on the wire)
 *   5  not HTTP (an SSH banner on port 80)
 *   6  GET → gzip body with a segment not captured
 */
export function httpCases(): { pcap: Uint8Array; texts: Record<string, string> } {
  const texts: Record<string, string> = { post: 'a'.repeat(1000) + 'b'.repeat(1000) + 'c'.repeat(500), ok: 'hello, ' + 'world '.repeat(200), chunk: page(3000), gz: page(20000), def: page(5000) };
  const c0 = new HttpConn(40000)
    .data(0, bytes(`POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: ${texts.post.length}\r\n\r\n` + texts.post), [30, 1000])
    .data(1, bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${texts.ok.length}\r\nContent-Type: text/plain\r\n\r\n` + texts.ok), [500])
    .close();
  const ch = chunked(bytes(texts.chunk), [1000, 1500]);
  const head1 = bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
  // cut inside the first chunk-size line ("3e8;ext=1") and inside the second one
  const c1 = new HttpConn(40001).data(0, bytes('GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n')).data(1, concat(head1, ch), [head1.length + 2, 1015]).close();
  const gz = gzip(texts.gz);
  const gzCh = chunked(gz, [Math.floor(gz.length / 2)]);
  const def = new Uint8Array(zlib.deflateSync(Buffer.from(texts.def)));
  const c2 = new HttpConn(40002)
    .data(0, bytes('GET /gz HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\nGET /def HTTP/1.1\r\nHost: a\r\n\r\nHEAD /h HTTP/1.1\r\nHost: a\r\n\r\n'))
    .data(1, concat(bytes('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n'), gzCh), [100, 400])
    .data(1, concat(bytes(`HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: ${def.length}\r\n\r\n`), def))
    .data(1, bytes('HTTP/1.1 200 OK\r\nContent-Length: 12345\r\n\r\n'))
    .close();
  const h3 = bytes('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n');
  const c3 = new HttpConn(40003)
    .data(0, bytes('GET /gap HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n'))
    .data(1, concat(h3, bytes('x'.repeat(40) + 'y'.repeat(30) + 'z'.repeat(30))), [h3.length + 40, 30], [1])
    .data(1, bytes('HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope'))
    .close();
  const bomb = gzip(new Uint8Array(10 << 20));
  const c4 = new HttpConn(40004)
    .data(0, bytes('GET /bomb HTTP/1.1\r\nHost: a\r\n\r\n'))
    .data(1, concat(bytes(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`), bomb), [1000, 1448, 1448, 1448, 1448, 1448])
    .close();
  const c5 = new HttpConn(40005).data(1, bytes('SSH-2.0-OpenSSH_9.6\r\n')).data(0, bytes('SSH-2.0-client\r\n')).close();
  const gz6 = gzip(page(8000));
  const c6 = new HttpConn(40006)
    .data(0, bytes('GET /gzgap HTTP/1.1\r\nHost: a\r\n\r\n'))
    .data(1, concat(bytes(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gz6.length}\r\n\r\n`), gz6), [200, 200], [1])
    .close();
  return { pcap: pcapOf([c0, c1, c2, c3, c4, c5, c6].flatMap((c) => c.frames)), texts };
}
