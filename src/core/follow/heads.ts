/**
 * Message heads in a followed stream, per chunk: the view's "HTTP shown as requests and responses".
 *
 * `httpHeads` reads an HTTP/1.x request line or status line and the header lines after it when a
 * chunk's bytes start with one (RFC 9112 §2.1: a message starts with its start line; a client sends
 * a request in the first bytes of a segment in practice, and so does a server its response). That
 * covers what the Follow view shows without reassembly: the start line and headers of each message
 * whose head begins a segment. Bodies, heads split across segments, chunked and gzip bodies are the
 * job of a whole-stream decoder (a StreamDecoder, messages.ts) — the page builder (page.ts) takes its
 * messages, placed by stream offset, and prefers them to these per-chunk heads: that is the hook.
 *
 * Hostile bytes: one forward pass, at most MAX_HEAD_LINES lines of at most MAX_LINE_CHARS characters;
 * no regular expressions.
 */
import { HTTP_METHODS } from '../decode/app/http';
import type { HttpProblem } from './http';
import type { BodyInfo } from './httpView';

/** The head of one application message as the Follow view shows it. */
export interface MessageHead {
  /** "HTTP". */
  protocol: string;
  /** 'request' (client → server) or 'response'. */
  role: 'request' | 'response';
  /** The start line: "GET /index.html HTTP/1.1", "HTTP/1.1 200 OK". */
  title: string;
  /** The header lines after it, as sent (without CR LF). */
  headers: string[];
  /** Bytes of the head in the chunk (start line, headers and the empty line when present). */
  length: number;
  /** The body after transfer and content decoding, when a stream decoder gave one (not from httpHeads). */
  body?: Uint8Array;
  /** A whole-stream decoder's message: its first and last packet (0-based). */
  packets?: [number, number];
  /** What the body was (length decoded, on the wire, codings undone, bytes kept). */
  bodyInfo?: BodyInfo;
  /** Its problems as data (sentences: src/core/explain/httpFollow.ts); the host puts them into `notes`. */
  problems?: HttpProblem[];
  /** The problems' sentences in the user's language (added by the extension host before a page is posted). */
  notes?: string[];
}

/** Reads a message head at the start of a chunk's bytes; null when the bytes do not start one. */
export type HeadReader = (bytes: Uint8Array, dir: 0 | 1) => MessageHead | null;

/** Header lines kept per head (a real message has tens; more is junk). */
export const MAX_HEAD_LINES = 100;
/** Characters kept per line (a longer line is cut, with "…"). */
export const MAX_LINE_CHARS = 2000;

function text(b: Uint8Array, a: number, e: number): string {
  let s = '';
  const stop = Math.min(e, a + MAX_LINE_CHARS);
  for (let i = a; i < stop; i++) {
    const c = b[i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : c === 9 ? '\t' : '.';
  }
  return e > stop ? s + '…' : s;
}

function isStartLine(b: Uint8Array, a: number, e: number): 'request' | 'response' | null {
  if (e - a >= 12 && b[a] === 0x48 && b[a + 1] === 0x54 && b[a + 2] === 0x54 && b[a + 3] === 0x50 && b[a + 4] === 0x2f) {
    // "HTTP/1.1 200": version, a space, three digits
    let sp = a + 5;
    while (sp < e && sp < a + 12 && b[sp] !== 0x20) sp++;
    const d = sp + 1;
    return d + 3 <= e && b[sp] === 0x20 && isDigit(b[d]) && isDigit(b[d + 1]) && isDigit(b[d + 2]) ? 'response' : null;
  }
  let sp = a;
  while (sp < e && sp < a + 20 && b[sp] !== 0x20) sp++;
  if (sp === a || sp >= e || b[sp] !== 0x20) return null;
  let m = '';
  for (let i = a; i < sp; i++) m += String.fromCharCode(b[i]);
  if (!HTTP_METHODS.has(m)) return null;
  // the last token is the version
  let v = e;
  while (v > sp && b[v - 1] !== 0x20) v--;
  return e - v >= 8 && b[v] === 0x48 && b[v + 1] === 0x54 && b[v + 2] === 0x54 && b[v + 3] === 0x50 && b[v + 4] === 0x2f ? 'request' : null;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** HTTP/1.x: the start line and headers at the start of `bytes` (the headers present in this chunk). */
export const httpHeads: HeadReader = (bytes) => {
  const n = bytes.length;
  let p = 0;
  const lines: string[] = [];
  let role: 'request' | 'response' | null = null;
  while (p < n && lines.length <= MAX_HEAD_LINES) {
    let e = p;
    while (e < n && bytes[e] !== 0x0a) e++;
    const lineEnd = e > p && bytes[e - 1] === 0x0d ? e - 1 : e;
    const next = e < n ? e + 1 : n;
    if (role === null) {
      role = isStartLine(bytes, p, lineEnd);
      if (!role) return null;
    } else if (lineEnd === p) {
      p = next; // the empty line ends the head
      break;
    }
    lines.push(text(bytes, p, lineEnd));
    p = next;
  }
  if (!role) return null;
  return { protocol: 'HTTP', role, title: lines[0], headers: lines.slice(1, MAX_HEAD_LINES + 1), length: p };
};
