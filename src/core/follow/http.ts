/**
 * HTTP/1.x over a followed TCP stream (RFC 9112): requests and responses rebuilt from each direction's
 * byte stream (FollowStream: bytes in order, gaps marked), start line and headers parsed, the body
 * framed by Content-Length, chunked transfer coding or the end of the connection, and gzip / deflate /
 * br content coding decoded through an inflater the caller passes in (the core stays pure: no
 * node:zlib here; src/node/httpInflate.ts gives Node's, bounded).
 *
 *     const msgs = httpMessages(stream, frame, { inflate: nodeInflate });
 *     msgs[0].startLine  // "GET /index.html HTTP/1.1"; .firstPacket/.lastPacket link it to packets
 *
 * Each message knows where it lies in its direction's byte stream (pos, headerLength, bodyPos,
 * bodyWireLength), so the Follow view links it to chunks (FollowStream.chunkAtPos) and packets. Problems
 * are data ({ kind, params }); their sentences are in src/core/explain/httpFollow.ts (English and Chinese).
 *
 * Bounds (hostile or huge streams): a direction is parsed over at most MAX_DIRECTION_BYTES; a header
 * block is at most MAX_HEADER_BYTES and MAX_HEADER_LINES lines; a chunk-size line at most 4 KiB;
 * decoded bodies are capped by HTTP_DECODE_LIMITS (a 10 KB gzip "bomb" inflates to 10 MB). One
 * forward pass per direction, no regular expressions; nothing here throws on bad bytes.
 *
 * Longer than our 600-line guide: the message type and its problem kinds are documented field by field
 * (the Follow view reads them), and framing (start line, headers, Content-Length, chunked, until close),
 * gaps and content decoding belong to one pass over a direction's bytes.
 */
import { HTTP_METHODS, MAX_HEADER_LINES } from '../decode/app/http';
import { K_DATA, K_MISSING, K_OUT_OF_ORDER, type FollowStream, type FrameAccessor } from './stream';
import type { StreamDecoder, StreamMessage } from './messages';

/**
 * Most bytes of one direction that are parsed (64 MiB): the bytes are gathered into one buffer to frame
 * messages across segments. A longer stream (a big download) is parsed up to there and says so.
 */
export const MAX_DIRECTION_BYTES = 64 * 1024 * 1024;
/** A header block longer than this (64 KiB; servers refuse 8–16 KiB) is not HTTP or not worth trusting. */
export const MAX_HEADER_BYTES = 64 * 1024;
const MAX_CHUNK_LINE = 4096;

/**
 * How far a compressed body is decoded. HTML, JSON and text shrink 3–20× under gzip, very repetitive
 * bodies up to about 100×; a "decompression bomb" reaches ~1,000× (gzip's limit on runs of one byte). So:
 * up to `floorBytes` (1 MiB) is always decoded; beyond it at most `maxRatio` (100×) the body's size on the
 * wire; never more than `maxBytes` (16 MiB, what a text view can show). What exceeds it is not decoded and
 * says why (problem `decode-capped`).
 */
export interface HttpDecodeLimits {
  floorBytes: number;
  maxRatio: number;
  maxBytes: number;
}
export const HTTP_DECODE_LIMITS: Readonly<HttpDecodeLimits> = Object.freeze({ floorBytes: 1 << 20, maxRatio: 100, maxBytes: 16 << 20 });

/** Most decoded bytes allowed for `compressed` bytes of body. */
export function httpDecodeAllowance(compressed: number, limits: HttpDecodeLimits = HTTP_DECODE_LIMITS): number {
  return Math.max(0, Math.min(limits.maxBytes, Math.max(limits.floorBytes, compressed * limits.maxRatio)));
}

/** A content coding the inflater is asked to undo ('deflate': zlib-wrapped, or raw as some servers send it). */
export type ContentCoding = 'gzip' | 'deflate' | 'br';

export interface InflateResult {
  /** The decoded bytes (a prefix when the input was cut); absent when capped or on error. */
  bytes?: Uint8Array;
  /** The output would exceed maxOutput: nothing is returned. */
  capped: boolean;
  /** Why decoding failed (damaged data), in plain words. */
  error?: string;
}

/** Decodes `data` with at most `maxOutput` bytes of output; never throws. Node's: src/node/httpInflate.ts. */
export type Inflate = (data: Uint8Array, coding: ContentCoding, maxOutput: number) => InflateResult;

export type HttpProblemKind =
  | 'not-http'
  | 'headers-missing'
  | 'headers-too-long'
  | 'headers-incomplete'
  | 'content-length-bad'
  | 'body-missing'
  | 'body-short'
  | 'chunk-bad'
  | 'chunk-missing'
  | 'chunked-incomplete'
  | 'coding-unsupported'
  | 'not-decoded-missing'
  | 'no-inflate'
  | 'decode-capped'
  | 'decode-error'
  | 'direction-too-long';

/** A problem of a message: a kind and its numbers/words; the sentence is httpProblemText's (explain/httpFollow.ts). */
export interface HttpProblem {
  kind: HttpProblemKind;
  /** Stream offset (in the message's direction) the problem is about. */
  pos: number;
  /** Numbers and words of the sentence, by kind: bytes missing, lengths, the coding, the limit… */
  params: (string | number)[];
}

export interface HttpHeader {
  name: string;
  value: string;
}

export interface HttpMessage {
  direction: 'request' | 'response';
  /** Engine direction: 0 client → server, 1 server → client. */
  dir: 0 | 1;
  /** Offset of the message's first byte in its direction's byte stream, and its length there (headers + body). */
  pos: number;
  length: number;
  /** Bytes of the start line, header fields and the empty line. */
  headerLength: number;
  /** 0-based packets that carry the message's first and last byte. */
  firstPacket: number;
  lastPacket: number;
  /** "GET /index.html HTTP/1.1", "HTTP/1.1 200 OK". */
  startLine: string;
  /** Requests: method and target; responses: status code (0 when not three digits). */
  method?: string;
  uri?: string;
  status?: number;
  headers: HttpHeader[];
  /** How the body is delimited. */
  framing: 'none' | 'content-length' | 'chunked' | 'close';
  /** Stream offset of the body and its bytes on the wire (chunk framing included). */
  bodyPos: number;
  bodyWireLength: number;
  /** The body after transfer decoding (de-chunked); bytes not captured are zeros (see problems and bodyGaps). */
  bodyBytes: Uint8Array;
  /** Stretches of bodyBytes that were not captured, [start, end) offsets in bodyBytes. */
  bodyGaps: number[][];
  /** Content-Encoding's codings in the order applied (lower case), when the header names any. */
  contentCoding?: string[];
  /** The body after content decoding (gzip, deflate, br), when it was decoded. */
  decodedBody?: Uint8Array;
  problems: HttpProblem[];
}

export interface HttpOptions {
  /** Decoder of content codings; without one, compressed bodies stay as they are (problem `no-inflate`). */
  inflate?: Inflate;
  limits?: HttpDecodeLimits;
  /** Bytes of a direction that are parsed (default MAX_DIRECTION_BYTES; tests make it small). */
  maxDirectionBytes?: number;
}

// ---- a direction's bytes ------------------------------------------------------------------------

/** One direction's byte stream gathered in one buffer, with where bytes are missing and which packet carries which. */
class DirBytes {
  data: Uint8Array;
  /** Bytes known (captured or missing) from offset 0; the end of the direction as far as parsed. */
  length = 0;
  /** Parsing stopped at the size limit (at `length`). */
  cut = false;
  /** Missing stretches [pos, end), sorted by pos. */
  readonly gaps: number[][] = [];
  /** Stream pieces (pos, end, packet), sorted by pos: packet links. */
  readonly pieces: number[][] = [];

  constructor(s: FollowStream, dir: 0 | 1, frame: FrameAccessor, max: number) {
    let total = 0;
    for (let i = 0; i < s.chunkCount; i++) {
      const k = s.kindOf(i);
      if (s.dirOf(i) !== dir || (k !== K_DATA && k !== K_OUT_OF_ORDER && k !== K_MISSING)) continue;
      total = Math.max(total, s.posOf(i) + s.lengthOf(i));
    }
    if (total > max) {
      total = max;
      this.cut = true;
    }
    this.length = total;
    this.data = new Uint8Array(total);
    for (let i = 0; i < s.chunkCount; i++) {
      const k = s.kindOf(i);
      if (s.dirOf(i) !== dir || (k !== K_DATA && k !== K_OUT_OF_ORDER && k !== K_MISSING)) continue;
      const pos = s.posOf(i);
      if (pos >= total) continue;
      const end = Math.min(total, pos + s.lengthOf(i));
      this.pieces.push([pos, end, s.packetOf(i)]);
      const b = k === K_MISSING ? null : s.bytes(i, frame);
      if (b) this.data.set(b.subarray(0, end - pos), pos);
      // bytes of the chunk not delivered by its frame (unreadable) count as missing too
      const have = b ? Math.min(b.length, end - pos) : 0;
      if (pos + have < end) this.gaps.push([pos + have, end]);
    }
    this.pieces.sort((a, b) => a[0] - b[0]);
    this.gaps.sort((a, b) => a[0] - b[0]);
  }

  /** Bytes missing in [a, b). */
  missingIn(a: number, b: number): number {
    let lo = 0;
    let hi = this.gaps.length;
    // first gap ending after a
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.gaps[mid][1] <= a) lo = mid + 1;
      else hi = mid;
    }
    let n = 0;
    for (let g = lo; g < this.gaps.length && this.gaps[g][0] < b; g++) n += Math.min(b, this.gaps[g][1]) - Math.max(a, this.gaps[g][0]);
    return n;
  }

  /** The missing stretches within [a, b), as offsets from `base` (appended to `into`). */
  gapsIn(a: number, b: number, base: number, into: number[][]): void {
    for (const g of this.gaps) if (g[1] > a && g[0] < b) into.push([Math.max(a, g[0]) - base, Math.min(b, g[1]) - base]);
  }

  /** The packet carrying byte `pos` (the nearest piece before it when none does); -1 when there are none. */
  packetAt(pos: number): number {
    let lo = 0;
    let hi = this.pieces.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.pieces[mid][0] <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? (this.pieces.length ? this.pieces[0][2] : -1) : this.pieces[found][2];
  }
}

// ---- parsing --------------------------------------------------------------------------------------

function latin1(d: Uint8Array, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b; i++) s += String.fromCharCode(d[i]);
  return s;
}

/** End of the line at p (index of its CR/LF) within [p, end); -1 when no line end comes before `end`. */
function lineEnd(d: Uint8Array, p: number, end: number): number {
  for (let i = p; i < end; i++) if (d[i] === 0x0a) return i > p && d[i - 1] === 0x0d ? i - 1 : i;
  return -1;
}
/** Offset after the line end found at e (CRLF or LF). */
function afterEol(d: Uint8Array, e: number): number {
  return d[e] === 0x0d ? e + 2 : e + 1;
}

interface StartLine {
  kind: 'request' | 'response';
  method?: string;
  uri?: string;
  status?: number;
}

function parseStartLine(line: string): StartLine | null {
  if (line.startsWith('HTTP/')) {
    const s1 = line.indexOf(' ');
    if (s1 < 0) return null;
    const code = line.slice(s1 + 1, s1 + 4);
    let status = 0;
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return { kind: 'response', status: 0 };
      status = status * 10 + c;
    }
    return { kind: 'response', status: code.length === 3 ? status : 0 };
  }
  const s1 = line.indexOf(' ');
  if (s1 <= 0 || s1 > 20 || !HTTP_METHODS.has(line.slice(0, s1))) return null;
  const s2 = line.lastIndexOf(' ');
  if (s2 <= s1 || !line.startsWith('HTTP/', s2 + 1)) return null;
  return { kind: 'request', method: line.slice(0, s1), uri: line.slice(s1 + 1, s2) };
}

function header(m: HttpMessage, name: string): string | undefined {
  for (const h of m.headers) if (h.name.toLowerCase() === name) return h.value;
  return undefined;
}

/** Digits only, at most 15 (2^53 > 10^15): a Content-Length; null otherwise. */
function decimal(v: string): number | null {
  if (v.length === 0 || v.length > 15) return null;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n;
}

class ByteOut {
  buf = new Uint8Array(256);
  n = 0;
  push(src: Uint8Array, a: number, b: number): void {
    const need = this.n + (b - a);
    if (need > this.buf.length) {
      const g = new Uint8Array(Math.max(need, this.buf.length * 2));
      g.set(this.buf.subarray(0, this.n));
      this.buf = g;
    }
    this.buf.set(src.subarray(a, b), this.n);
    this.n = need;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/** What a request tells about its response's body. */
interface Pending {
  method: string;
}

/** Parse one direction; `requests` (responses' direction only) says which method each response answers. */
function parseDirection(db: DirBytes, dir: 0 | 1, requests: Pending[] | null): HttpMessage[] {
  const d = db.data;
  const end = db.length;
  const out: HttpMessage[] = [];
  let p = 0;
  let nextReq = 0;
  while (p < end) {
    // empty lines between messages are allowed (RFC 9112 §2.2)
    let q = p;
    while (q < end && q - p < 16 && (d[q] === 0x0d || d[q] === 0x0a) && db.missingIn(q, q + 1) === 0) q++;
    if (q >= end) break;
    p = q;
    const problems: HttpProblem[] = [];
    const eol = lineEnd(d, p, Math.min(end, p + MAX_HEADER_BYTES));
    const firstMissing = db.missingIn(p, eol < 0 ? Math.min(end, p + MAX_HEADER_BYTES) : eol);
    if (firstMissing > 0) {
      const m = stub(db, dir, p, end, [{ kind: 'headers-missing', pos: p, params: [firstMissing] }]);
      partialStartLine(m, db, p);
      out.push(m);
      break;
    }
    const line = eol < 0 ? '' : latin1(d, p, eol);
    const sl = eol < 0 ? null : parseStartLine(line);
    if (!sl || (sl.kind === 'request') !== (dir === 0)) {
      if (eol < 0 && end - p < MAX_HEADER_BYTES && db.cut === false && parseStartLine(latin1(d, p, end)) !== null) {
        out.push(stub(db, dir, p, end, [{ kind: 'headers-incomplete', pos: p, params: [end - p] }]));
      } else out.push(stub(db, dir, p, end, [{ kind: 'not-http', pos: p, params: [end - p] }]));
      break;
    }
    // header fields up to the empty line
    const headers: HttpHeader[] = [];
    let h = afterEol(d, eol);
    let complete = false;
    let lines = 0;
    const hdrLimit = Math.min(end, p + MAX_HEADER_BYTES);
    while (h < hdrLimit) {
      const e = lineEnd(d, h, hdrLimit);
      if (e < 0) break;
      if (db.missingIn(h, e + 1) > 0) break;
      if (e === h) {
        h = afterEol(d, e);
        complete = true;
        break;
      }
      if (++lines > MAX_HEADER_LINES) break;
      const text = latin1(d, h, e);
      const colon = text.indexOf(':');
      if (colon > 0) headers.push({ name: text.slice(0, colon), value: text.slice(colon + 1).trim() });
      else if ((text.charCodeAt(0) === 0x20 || text.charCodeAt(0) === 0x09) && headers.length > 0) headers[headers.length - 1].value += ' ' + text.trim(); // obsolete line folding
      h = afterEol(d, e);
    }
    if (!complete) {
      const missing = db.missingIn(h, Math.min(end, h + MAX_HEADER_BYTES));
      const kind: HttpProblemKind = missing > 0 ? 'headers-missing' : h >= hdrLimit && hdrLimit === end ? 'headers-incomplete' : 'headers-too-long';
      const m = stub(db, dir, p, end, [{ kind, pos: h, params: [kind === 'headers-missing' ? missing : kind === 'headers-too-long' ? MAX_HEADER_BYTES : end - p] }]);
      m.startLine = line;
      m.headers = headers;
      Object.assign(m, { method: sl.method, uri: sl.uri, status: sl.status, direction: sl.kind });
      out.push(m);
      break;
    }
    const m: HttpMessage = {
      direction: sl.kind,
      dir,
      pos: p,
      length: h - p,
      headerLength: h - p,
      firstPacket: db.packetAt(p),
      lastPacket: db.packetAt(h - 1),
      startLine: line,
      headers,
      framing: 'none',
      bodyPos: h,
      bodyWireLength: 0,
      bodyBytes: new Uint8Array(0),
      bodyGaps: [],
      problems,
    };
    if (sl.method !== undefined) {
      m.method = sl.method;
      m.uri = sl.uri;
    }
    if (sl.status !== undefined) m.status = sl.status;
    // how the body is delimited (RFC 9112 §6.3)
    const status = sl.status ?? 0;
    let answered: Pending | undefined;
    if (requests && !(status >= 100 && status < 200)) answered = requests[nextReq++];
    const te = header(m, 'transfer-encoding');
    const cl = header(m, 'content-length');
    let stop = false;
    if (sl.kind === 'response' && ((status >= 100 && status < 200) || status === 204 || status === 304 || answered?.method === 'HEAD')) {
      m.framing = 'none';
      if (status === 101) stop = true; // the connection speaks another protocol from here (WebSocket, h2c)
    } else if (sl.kind === 'response' && answered?.method === 'CONNECT' && status >= 200 && status < 300) {
      stop = true; // a tunnel: the rest is not HTTP
    } else if (te !== undefined && te.toLowerCase().split(',').pop()!.trim() === 'chunked') {
      m.framing = 'chunked';
    } else if (cl !== undefined) {
      const n = decimal(cl.split(',')[0].trim());
      if (n === null) {
        problems.push({ kind: 'content-length-bad', pos: p, params: [cl.slice(0, 40)] });
        m.framing = sl.kind === 'response' ? 'close' : 'none';
      } else {
        m.framing = 'content-length';
        m.bodyWireLength = n;
      }
    } else m.framing = sl.kind === 'response' ? 'close' : 'none';

    let next = h;
    if (m.framing === 'content-length') {
      const want = m.bodyWireLength;
      const have = Math.min(want, end - h);
      m.bodyBytes = d.slice(h, h + have);
      const missing = db.missingIn(h, h + have);
      if (missing > 0) {
        problems.push({ kind: 'body-missing', pos: h, params: [missing, want] });
        db.gapsIn(h, h + have, h, m.bodyGaps);
      }
      if (have < want) problems.push({ kind: db.cut ? 'direction-too-long' : 'body-short', pos: h + have, params: db.cut ? [end] : [have, want] });
      next = h + have;
    } else if (m.framing === 'close') {
      m.bodyBytes = d.slice(h, end);
      m.bodyWireLength = end - h;
      const missing = db.missingIn(h, end);
      if (missing > 0) {
        problems.push({ kind: 'body-missing', pos: h, params: [missing, end - h] });
        db.gapsIn(h, end, h, m.bodyGaps);
      }
      if (db.cut) problems.push({ kind: 'direction-too-long', pos: end, params: [end] });
      next = end;
    } else if (m.framing === 'chunked') {
      const r = dechunk(db, h, problems, m.bodyGaps);
      m.bodyBytes = r.body;
      m.bodyWireLength = r.end - h;
      next = r.end;
      if (r.stop) stop = true;
    }
    m.length = next - p;
    if (next > p) m.lastPacket = db.packetAt(next - 1);
    out.push(m);
    if (stop || next <= p) break;
    p = next;
  }
  return out;
}

/**
 * The start line of a message whose first line runs into bytes not captured (a snaplen cut it): what
 * can be read before the gap, as tshark reads it ("GET /images/sf.net_box.gif HTT" is still a GET).
 */
function partialStartLine(m: HttpMessage, db: DirBytes, p: number): void {
  let g = p;
  while (g < db.length && g - p < MAX_HEADER_BYTES && db.missingIn(g, g + 1) === 0 && db.data[g] !== 0x0d && db.data[g] !== 0x0a) g++;
  const line = latin1(db.data, p, g);
  const sp = line.indexOf(' ');
  if (line.startsWith('HTTP/') && m.dir === 1) {
    m.startLine = line;
    const code = line.slice(sp + 1, sp + 4);
    if (sp > 0 && code.length === 3 && decimal(code) !== null) m.status = decimal(code)!;
  } else if (sp > 0 && HTTP_METHODS.has(line.slice(0, sp)) && m.dir === 0) {
    m.startLine = line;
    m.method = line.slice(0, sp);
    m.uri = line.slice(sp + 1).split(' ')[0];
  }
}

/** A message that could not be read past its start: everything from p to the end, with its problems. */
function stub(db: DirBytes, dir: 0 | 1, p: number, end: number, problems: HttpProblem[]): HttpMessage {
  return {
    direction: dir === 0 ? 'request' : 'response',
    dir,
    pos: p,
    length: end - p,
    headerLength: 0,
    firstPacket: db.packetAt(p),
    lastPacket: db.packetAt(Math.max(p, end - 1)),
    startLine: '',
    headers: [],
    framing: 'none',
    bodyPos: p,
    bodyWireLength: 0,
    bodyBytes: new Uint8Array(0),
    bodyGaps: [],
    problems,
  };
}

/** Chunked transfer coding (RFC 9112 §7.1) from h: the body, where it ends; stop when the framing is lost. */
function dechunk(db: DirBytes, h: number, problems: HttpProblem[], gaps: number[][]): { body: Uint8Array; end: number; stop: boolean } {
  const d = db.data;
  const end = db.length;
  const out = new ByteOut();
  let p = h;
  const fail = (kind: HttpProblemKind, params: (string | number)[]): { body: Uint8Array; end: number; stop: boolean } => {
    problems.push({ kind, pos: p, params });
    return { body: out.bytes(), end, stop: true };
  };
  for (;;) {
    const lim = Math.min(end, p + MAX_CHUNK_LINE);
    const e = lineEnd(d, p, lim);
    if (db.missingIn(p, e < 0 ? lim : e + 1) > 0) return fail('chunk-missing', [db.missingIn(p, end)]);
    if (e < 0) return lim === end && !db.cut ? fail('chunked-incomplete', [out.n]) : fail(db.cut ? 'direction-too-long' : 'chunk-bad', db.cut ? [end] : [p - h]);
    let size = 0;
    let digits = 0;
    for (let i = p; i < e; i++) {
      const c = d[i];
      const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 87 : c >= 0x41 && c <= 0x46 ? c - 55 : -1;
      if (v < 0) {
        if (c === 0x3b || c === 0x20 || c === 0x09) break; // chunk extensions (and whitespace before them)
        return fail('chunk-bad', [p - h]);
      }
      if (++digits > 13) return fail('chunk-bad', [p - h]); // 16^13 = 4.5e15 bytes: nobody sends that
      size = size * 16 + v;
    }
    if (digits === 0) return fail('chunk-bad', [p - h]);
    p = afterEol(d, e);
    if (size === 0) {
      // trailer fields up to the empty line
      for (let lines = 0; lines <= MAX_HEADER_LINES; lines++) {
        const te = lineEnd(d, p, Math.min(end, p + MAX_HEADER_BYTES));
        if (te < 0) return fail('chunked-incomplete', [out.n]);
        const was = p;
        p = afterEol(d, te);
        if (te === was) return { body: out.bytes(), end: p, stop: false };
      }
      return fail('chunk-bad', [p - h]);
    }
    if (p + size > end) {
      const missing = db.missingIn(p, end);
      if (missing > 0) {
        problems.push({ kind: 'body-missing', pos: p, params: [missing, out.n + end - p] });
        db.gapsIn(p, end, p - out.n, gaps);
      }
      out.push(d, p, end);
      return fail(db.cut ? 'direction-too-long' : 'chunked-incomplete', db.cut ? [end] : [out.n]);
    }
    const missing = db.missingIn(p, p + size);
    if (missing > 0) {
      problems.push({ kind: 'body-missing', pos: p, params: [missing, size] });
      db.gapsIn(p, p + size, p - out.n, gaps);
    }
    out.push(d, p, p + size);
    p += size;
    // the CRLF after the chunk's data
    if (p < end && d[p] === 0x0d) p++;
    if (p < end && d[p] === 0x0a) p++;
    else if (p < end) return fail('chunk-bad', [p - h]);
  }
}

/** Undo the content codings (Content-Encoding, applied in order: undone last first), within the limits. */
function decodeContent(m: HttpMessage, opts: HttpOptions): void {
  const ce = header(m, 'content-encoding');
  if (ce === undefined) return;
  const codings = ce
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return;
  m.contentCoding = codings;
  if (m.bodyBytes.length === 0) return;
  if (m.problems.some((p) => p.kind === 'body-missing' || p.kind === 'chunk-missing')) {
    m.problems.push({ kind: 'not-decoded-missing', pos: m.bodyPos, params: [codings.join(', ')] });
    return;
  }
  const inflate = opts.inflate;
  let body = m.bodyBytes;
  const allowance = httpDecodeAllowance(m.bodyBytes.length, opts.limits);
  for (let i = codings.length - 1; i >= 0; i--) {
    const c = codings[i];
    const coding: ContentCoding | undefined = c === 'gzip' || c === 'x-gzip' ? 'gzip' : c === 'deflate' ? 'deflate' : c === 'br' ? 'br' : undefined;
    if (!coding) {
      m.problems.push({ kind: 'coding-unsupported', pos: m.bodyPos, params: [c] });
      return;
    }
    if (!inflate) {
      m.problems.push({ kind: 'no-inflate', pos: m.bodyPos, params: [c] });
      return;
    }
    let r: InflateResult;
    try {
      r = inflate(body, coding, allowance);
    } catch (err) {
      r = { capped: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (r.capped) {
      m.problems.push({ kind: 'decode-capped', pos: m.bodyPos, params: [c, allowance, m.bodyBytes.length] });
      return;
    }
    if (!r.bytes) {
      m.problems.push({ kind: 'decode-error', pos: m.bodyPos, params: [c, (r.error ?? '').slice(0, 200)] });
      return;
    }
    body = r.bytes;
  }
  m.decodedBody = body;
}

/**
 * The HTTP/1.x requests and responses of a followed stream, requests (client → server) first, then
 * responses, each in stream order; [] when neither direction starts like HTTP.
 */
export function httpMessages(s: FollowStream, frame: FrameAccessor, opts: HttpOptions = {}): HttpMessage[] {
  const max = opts.maxDirectionBytes ?? MAX_DIRECTION_BYTES;
  const reqs = parseDirection(new DirBytes(s, 0, frame, max), 0, null);
  const pending: Pending[] = reqs.filter((m) => m.method !== undefined).map((m) => ({ method: m.method! }));
  const resps = parseDirection(new DirBytes(s, 1, frame, max), 1, pending);
  const all = [...reqs, ...resps];
  // a direction that does not start like HTTP is no HTTP at all, unless the other one is
  if (!all.some((m) => m.startLine !== '')) return [];
  for (const m of all) decodeContent(m, opts);
  return all;
}

/** The same messages in capture order (by first packet; a request before the response it crosses). */
export function inCaptureOrder(msgs: readonly HttpMessage[]): HttpMessage[] {
  return [...msgs].sort((a, b) => a.firstPacket - b.firstPacket || a.dir - b.dir || a.pos - b.pos);
}

/** HTTP as a StreamDecoder (for annotatedFollow's message titles). */
export function httpStreamDecoder(opts: HttpOptions = {}): StreamDecoder {
  return {
    name: 'HTTP',
    decode(s: FollowStream, frame: FrameAccessor): StreamMessage[] {
      return httpMessages(s, frame, opts).map((m) => ({
        dir: m.dir,
        pos: m.pos,
        length: m.length,
        title: m.startLine || '(not HTTP)',
        headers: m.headers.map((h) => h.name + ': ' + h.value),
        body: m.decodedBody ?? m.bodyBytes,
      }));
    },
  };
}
