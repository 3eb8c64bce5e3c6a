/**
 * The text form of a stream's HTTP messages (`capture-lens follow FILE --stream N --http`): each request
 * and response in capture order with its packets, headers, and body as text (decoded when it was
 * compressed), then its problems. Client lines start with "> ", server lines with "< ", as in
 * annotatedFollow. Pure; a generator of pieces, one message at a time.
 */
import { formatEn, type Translate } from '../explain/l10n';
import { httpProblemText } from '../explain/httpFollow';
import { inCaptureOrder, type HttpMessage } from './http';
import { grouped, type StreamRoles } from './render';

/** Share of bytes that may be control bytes (other than TAB CR LF) for a body to be shown as text. */
const BINARY_SHARE = 0.1;

function endpoint(e: { addr: string; port: number }): string {
  return (e.addr.includes(':') ? '[' + e.addr + ']' : e.addr) + ':' + e.port;
}

function packets(m: HttpMessage): string {
  if (m.firstPacket < 0) return '';
  return m.lastPacket > m.firstPacket ? '#' + (m.firstPacket + 1) + '–#' + (m.lastPacket + 1) : '#' + (m.firstPacket + 1);
}

/** A body shown as text (here and in the Follow view's HTTP mode, media/follow/lines.ts), not as "binary". */
export function isText(b: Uint8Array): boolean {
  let ctl = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) ctl++;
  }
  return ctl <= b.length * BINARY_SHARE;
}

/** Body bytes as lines (UTF-8; control bytes as "."), each with the side's prefix. */
function bodyLines(b: Uint8Array, prefix: string): string {
  const text = new TextDecoder('utf-8').decode(b);
  let out = '';
  let line = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      out += prefix + line + '\n';
      line = '';
    } else if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
    else line += c < 0x20 || c === 0x7f ? (c === 9 ? '\t' : '.') : text[i];
  }
  if (line) out += prefix + line + '\n';
  return out;
}

/** The body as text between its gaps ("[30 bytes not captured]"), or "(binary, N bytes)". */
function bodyText(b: Uint8Array, gaps: readonly number[][], p: string): string {
  const pieces: [number, number][] = [];
  let at = 0;
  for (const [g0, g1] of gaps) {
    if (g0 > at) pieces.push([at, g0]);
    pieces.push([-1, g1 - g0]);
    at = g1;
  }
  if (at < b.length) pieces.push([at, b.length]);
  if (!pieces.every(([a, e]) => a < 0 || isText(b.subarray(a, e)))) return p + '(binary, ' + grouped(b.length) + ' bytes)\n';
  let out = '';
  for (const [a, e] of pieces) out += a < 0 ? p + '[' + grouped(e) + ' byte' + (e === 1 ? '' : 's') + ' not captured]\n' : bodyLines(b.subarray(a, e), p);
  return out;
}

/** What the body is: "body: 1,234 bytes, chunked, gzip → 5,678 bytes". */
function bodySummary(m: HttpMessage): string {
  let s = 'body: ' + grouped(m.bodyBytes.length) + ' byte' + (m.bodyBytes.length === 1 ? '' : 's');
  if (m.framing === 'chunked') s += ', chunked: ' + grouped(m.bodyWireLength) + ' on the wire';
  else if (m.framing === 'close') s += ' (until the connection closes)';
  if (m.contentCoding) s += ', ' + m.contentCoding.join(', ') + (m.decodedBody ? ' → ' + grouped(m.decodedBody.length) + ' bytes decoded' : ', not decoded');
  return s;
}

export interface HttpTextOptions {
  /** Only this engine direction (0 client → server, 1 server → client). */
  dir?: 0 | 1;
  /** Sentences of problems (default English). */
  t?: Translate;
}

/** The messages of stream `stream` as text pieces. */
export function* httpFollowText(stream: number, msgs: readonly HttpMessage[], roles: StreamRoles | undefined, opts: HttpTextOptions = {}): Generator<string> {
  const t = opts.t ?? formatEn;
  const reqs = msgs.filter((m) => m.dir === 0 && m.startLine).length;
  const resps = msgs.filter((m) => m.dir === 1 && m.startLine).length;
  yield 'HTTP on TCP stream ' + stream + (roles ? ': client ' + endpoint(roles.client) + ', server ' + endpoint(roles.server) : '') + '\n';
  yield reqs + ' request' + (reqs === 1 ? '' : 's') + ', ' + resps + ' response' + (resps === 1 ? '' : 's') + '\n';
  for (const m of inCaptureOrder(msgs)) {
    if (opts.dir !== undefined && m.dir !== opts.dir) continue;
    const p = m.dir === 0 ? '> ' : '< ';
    let out = '\n' + p + (m.startLine || '(not HTTP)') + '    [' + packets(m) + ', offset ' + grouped(m.pos) + ', ' + grouped(m.length) + ' bytes]\n';
    for (const h of m.headers) out += p + h.name + ': ' + h.value + '\n';
    if (m.startLine && m.headerLength > 0) {
      out += p + '\n';
      if (m.bodyBytes.length > 0 || m.framing === 'chunked' || m.framing === 'content-length') {
        out += p + '(' + bodySummary(m) + ')\n';
        const shown = m.decodedBody ?? (m.contentCoding ? null : m.bodyBytes);
        if (shown && shown.length > 0) out += bodyText(shown, shown === m.bodyBytes ? m.bodyGaps : [], p);
      }
    }
    for (const pr of m.problems) out += p + '! ' + httpProblemText(pr, t) + '\n';
    yield out;
  }
}
