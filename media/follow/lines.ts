/**
 * What a chunk looks like in each mode, as lines (pure, no DOM): the view's heights come from here, so
 * a chunk takes exactly as many lines as it draws. Every line is text the view sets with textContent.
 *
 *   header   "#4 client, 93 bytes" (+ marks: out of order, retransmitted copy and whether it differs)
 *   head     an application message's start line, and in hex/raw its header lines
 *   text     printable ASCII, a line break at LF (CR LF), other bytes as ".", wrapped at TEXT_COLS
 *   hex      "00000000  47 45 54 20 …  GET …": 16 bytes a line, offsets in the direction's byte stream
 *   raw      64 hex digits a line
 *   http     a message's start line, headers, packets, body (decoded: chunked, gzip, deflate, br) and
 *            problems on the chunk where it starts; a chunk inside a message is one line; other bytes as text
 */
import type { ChunkView } from '../../src/core/follow/page';
import type { FollowUiStrings } from '../../src/extension/follow/messages';
import { isText } from '../../src/core/follow/httpText';
import { STREAM_BODY_BUDGET } from '../../src/core/follow/httpView';
import { grouped } from '../../src/core/follow/render';
import { separatorName } from '../../src/core/follow/stream';
import { fmt } from '../common/text';
import type { DirFilter, Mode } from './state';

/** Characters per text line before it wraps (long binary runs stay readable). */
export const TEXT_COLS = 120;

export type LineKind = 'header' | 'head' | 'headers' | 'body' | 'mark' | 'sep';
export interface Line {
  kind: LineKind;
  text: string;
}

const HEX = '0123456789abcdef';

/** Estimated lines of a chunk whose page has not come yet (a typical segment in each mode). */
export function estimate(mode: Mode): number {
  return mode === 'hex' ? 12 : mode === 'raw' ? 6 : mode === 'http' ? 2 : 4;
}

export function shown(c: ChunkView, dir: DirFilter): boolean {
  return dir === 'both' || c.dir === dir;
}

function textLines(b: Uint8Array, out: Line[]): void {
  let line = '';
  const push = (): void => {
    out.push({ kind: 'body', text: line });
    line = '';
  };
  for (let k = 0; k < b.length; k++) {
    const c = b[k];
    if (c === 10) {
      push();
      continue;
    }
    if (c === 13 && b[k + 1] === 10) continue;
    line += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    if (line.length >= TEXT_COLS) push();
  }
  if (line !== '') push();
}

function hexLines(b: Uint8Array, base: number, out: Line[]): void {
  for (let i = 0; i < b.length; i += 16) {
    let hex = '';
    let asc = '';
    const end = Math.min(b.length, i + 16);
    for (let k = i; k < i + 16; k++) {
      if (k < end) {
        const v = b[k];
        hex += HEX[v >> 4] + HEX[v & 15] + ' ';
        asc += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
      } else hex += '   ';
      if (k - i === 7) hex += ' ';
    }
    out.push({ kind: 'body', text: (base + i).toString(16).padStart(8, '0') + '  ' + hex + ' ' + asc });
  }
}

function rawLines(b: Uint8Array, out: Line[]): void {
  for (let i = 0; i < b.length; i += 32) {
    let t = '';
    const end = Math.min(b.length, i + 32);
    for (let k = i; k < end; k++) t += HEX[b[k] >> 4] + HEX[b[k] & 15];
    out.push({ kind: 'body', text: t });
  }
}

function packetsText(p: [number, number]): string {
  if (p[0] < 0) return '–';
  return p[1] > p[0] ? '#' + (p[0] + 1) + '–#' + (p[1] + 1) : '#' + (p[0] + 1);
}

/** HTTP mode: the message starting in this chunk, whole (head, packets and body details, body, problems). */
function messageLines(h: NonNullable<ChunkView['head']>, S: FollowUiStrings, out: Line[]): void {
  out.push({ kind: 'head', text: h.protocol + ' ' + h.title });
  for (const l of h.headers) out.push({ kind: 'headers', text: '  ' + l });
  const info = h.bodyInfo;
  let about = h.packets ? fmt(S.httpPackets, packetsText(h.packets)) : '';
  if (info) {
    let b = info.length === 0 && info.wire === 0 ? S.httpNoBody : fmt(S.httpBody, grouped(info.length), grouped(info.wire), info.framing);
    if (info.decoded.length > 0) b += ', ' + fmt(S.httpDecoded, info.decoded.join(', '));
    about += (about ? ' · ' : '') + b;
  }
  if (about) out.push({ kind: 'mark', text: about });
  const body = h.body;
  if (body && body.length > 0) {
    if (isText(body)) textLines(body, out);
    else out.push({ kind: 'body', text: fmt(S.httpBinary, grouped(info?.length ?? body.length)) });
  }
  if (info && info.kept < info.length) {
    if (info.overBudget && info.kept === 0) out.push({ kind: 'mark', text: fmt(S.httpBudget, STREAM_BODY_BUDGET / (1 << 20) + ' MiB') });
    else if (isText(body ?? new Uint8Array(0))) out.push({ kind: 'mark', text: fmt(S.httpBodyCut, grouped(info.length - info.kept)) });
  }
  for (const n of h.notes ?? []) out.push({ kind: 'mark', text: '! ' + n });
}

function content(b: Uint8Array, base: number, mode: Mode, out: Line[]): void {
  if (mode === 'text' || mode === 'http') textLines(b, out);
  else if (mode === 'hex') hexLines(b, base, out);
  else rawLines(b, out);
}

/** The lines of chunk `c` in `mode` ([] when its direction is filtered out). */
export function chunkLines(c: ChunkView, mode: Mode, dir: DirFilter, S: FollowUiStrings): Line[] {
  if (!shown(c, dir)) return [];
  const side = c.dir === 0 ? S.sideClient : S.sideServer;
  const pkt = c.packet >= 0 ? String(c.packet + 1) : '–';
  const out: Line[] = [];
  switch (c.kind) {
    case 'separator': {
      const st = c.states ? fmt(S.separator, separatorName(c.flags), pkt, c.states.client, c.states.server) : separatorName(c.flags) + ' · #' + pkt;
      out.push({ kind: 'sep', text: '── ' + st + ' ──' });
      return out;
    }
    case 'missing':
      out.push({ kind: 'mark', text: fmt(S.notCaptured, grouped(c.length)) });
      return out;
    case 'retransmission':
    case 'retransmission-differs': {
      const what = c.differs === true ? fmt(S.retransDiffers, grouped(c.firstDiff?.pos ?? c.pos), hex2(c.firstDiff?.was), hex2(c.firstDiff?.now)) : c.differs === false ? S.retransSame : S.retransUnknown;
      out.push({ kind: 'mark', text: '#' + pkt + ' ' + side + ', ' + fmt(S.retrans, grouped(c.length), grouped(c.pos)) + ': ' + what });
      if (c.differs === true && c.bytes) content(c.bytes, c.pos, mode, out);
      return out;
    }
    default: {
      let h = fmt(S.chunk, pkt, side, grouped(c.length));
      if (c.kind === 'out-of-order') h += ', ' + S.outOfOrder;
      if (mode === 'http' && c.within) {
        out.push({ kind: 'header', text: h + ' · ' + S.httpWithin });
        return out;
      }
      out.push({ kind: 'header', text: h });
      if (mode === 'http' && c.head) {
        messageLines(c.head, S, out);
        return out;
      }
      if (c.head) {
        out.push({ kind: 'head', text: c.head.protocol + ' ' + c.head.title });
        if (mode !== 'text') for (const l of c.head.headers) out.push({ kind: 'headers', text: '  ' + l });
      }
      if (c.bytes) {
        content(c.bytes, c.pos, mode, out);
        if (c.bytes.length < c.length) out.push({ kind: 'mark', text: fmt(S.cut, grouped(c.length - c.bytes.length)) });
      }
      return out;
    }
  }
}

function hex2(b: number | undefined): string {
  return b === undefined ? '?' : '0x' + HEX[b >> 4] + HEX[b & 15];
}
