/**
 * Text forms of a followed stream. Generators of text pieces, so a caller can write a 1 GB stream
 * with back-pressure and hold no more than one chunk's text at a time.
 *
 *   tsharkFollow(s, 'raw' | 'hex' | 'ascii', frame)  — exactly `tshark -q -z follow,tcp,MODE,N` (Wireshark 4.0,
 *                                                       ui/cli/tap-follow.c: follow_draw, follow_print_hex)
 *   annotatedFollow(s, frame, states)                 — ours: every chunk with its packet, the marks tshark cannot
 *                                                       show (bytes not captured, retransmitted copies and whether
 *                                                       they differ, out-of-order segments put in place, SYN/FIN/RST
 *                                                       with both ends' states)
 */
import type { StreamMessage } from './messages';
import { K_DATA, K_MISSING, K_OUT_OF_ORDER, K_RETRANSMISSION, K_SEPARATOR, separatorName, type FollowStream, type FrameAccessor } from './stream';

export type TsharkMode = 'raw' | 'hex' | 'ascii';

export interface RenderOptions {
  /** Only this engine direction (0 client → server, 1 server → client); both when absent. */
  dir?: 0 | 1;
  /** Application messages (a StreamDecoder's answer): the annotated form names each where it starts. */
  messages?: { protocol: string; list: StreamMessage[] };
}

const SEPARATOR = '===================================================================\n';
const HEX = '0123456789abcdef';

/** The text tshark puts in place of a gap the other side acknowledged, with its NUL (strlen + 1 bytes). */
export function missingText(gap: number): Uint8Array {
  const s = '[' + (gap | 0) + ' bytes missing in capture file]';
  const b = new Uint8Array(s.length + 1);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

function endpointText(e: { addr: string; port: number }, v6: boolean): string {
  return (v6 ? '[' + e.addr + ']' : e.addr) + ':' + e.port;
}

/** The chunk bytes tshark prints for chunk i (a gap as its "[N bytes missing…]" text); null when unreadable. */
function tsharkBytes(s: FollowStream, i: number, frame: FrameAccessor): Uint8Array | null {
  return s.kindOf(i) === K_MISSING ? missingText(s.lengthOf(i)) : s.bytes(i, frame);
}

/** `tshark -q -z follow,tcp,MODE,N`, piece by piece. */
export function* tsharkFollow(s: FollowStream, mode: TsharkMode, frame: FrameAccessor, opts: RenderOptions = {}): Generator<string> {
  const v6 = s.node0.addr.includes(':');
  yield '\n' + SEPARATOR + 'Follow: tcp,' + mode + '\nFilter: tcp.stream eq ' + s.stream + '\n' + 'Node 0: ' + endpointText(s.node0, v6) + '\n' + 'Node 1: ' + endpointText(s.node1, v6) + '\n';
  const offset = [0, 0];
  for (let i = 0; i < s.chunkCount; i++) {
    if (!s.inTshark(i)) continue;
    const node = s.nodeOf(i);
    const bytes = tsharkBytes(s, i, frame) ?? new Uint8Array(0);
    if (opts.dir !== undefined && s.dirOf(i) !== opts.dir) {
      offset[node] += bytes.length;
      continue;
    }
    if (mode === 'raw') {
      let t = node ? '\t' : '';
      for (let k = 0; k < bytes.length; k++) t += HEX[bytes[k] >> 4] + HEX[bytes[k] & 15];
      yield t + '\n';
    } else if (mode === 'ascii') {
      let t = (node ? '\t' : '') + bytes.length + '\n';
      for (let k = 0; k < bytes.length; k++) {
        const c = bytes[k];
        t += c === 13 || c === 10 || (c >= 0x20 && c < 0x7f) ? String.fromCharCode(c) : '.';
      }
      yield t + '\n';
    } else {
      yield hexDump(node ? '\t' : '', offset[node], bytes);
    }
    offset[node] += bytes.length;
  }
  yield SEPARATOR;
}

/** follow_print_hex: 16 bytes a line, "%08X" offset, an extra space after the 8th byte, ASCII column. */
export function hexDump(prefix: string, offset: number, data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 16) {
    let hex = '';
    let asc = '';
    const end = Math.min(data.length, i + 16);
    for (let k = i; k < end; k++) {
      const v = data[k];
      hex += HEX[v >> 4] + HEX[v & 15] + ' ';
      asc += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
      if (k - i === 7) {
        hex += ' ';
        asc += ' ';
      }
    }
    // tshark drops one trailing space of the ASCII column (the one after the 8th byte, or a printed space)
    if (asc.endsWith(' ')) asc = asc.slice(0, -1);
    const off = ((offset + i) >>> 0).toString(16).toUpperCase().padStart(8, '0');
    out += prefix + off + '  ' + hex.padEnd(50, ' ') + asc + '\n';
  }
  return out;
}

/** "1,448". */
export function grouped(n: number): string {
  const s = String(Math.trunc(n));
  let out = '';
  for (let i = 0; i < s.length; i++) out += (i > 0 && (s.length - i) % 3 === 0 && s[i - 1] !== '-' ? ',' : '') + s[i];
  return out;
}

/** Both ends' states after a packet, as names ("ESTABLISHED"); undefined when unknown. */
export type StatesAccessor = (packet: number) => { client: string; server: string } | undefined;

/** Client and server endpoints of the stream, by engine direction (0: the client sends). */
export interface StreamRoles {
  client: { addr: string; port: number };
  server: { addr: string; port: number };
}

/**
 * Our annotated form: one header line per chunk ("> client #4, 58 bytes"; "<" and a tab for the server),
 * then its text (printable ASCII, line breaks kept, other bytes as "."), and the marks:
 *   [1,448 bytes not captured]                      a gap (acknowledged, cut by the snaplen, or never filled)
 *   … retransmission, same bytes / DIFFERS …         a copy of bytes already delivered (a differing copy is shown)
 *   … out of order, put in place                    a segment that arrived before the bytes preceding it
 *   -- SYN #1: client SYN_SENT, server LISTEN        a SYN/FIN/RST with both ends' states after it
 * Packet numbers are 1-based, as tcpdump -# and Wireshark number them.
 */
export function* annotatedFollow(s: FollowStream, frame: FrameAccessor, roles: StreamRoles | undefined, states?: StatesAccessor, opts: RenderOptions = {}): Generator<string> {
  const r = roles ?? (s.node0Dir === 1 ? { client: s.node1, server: s.node0 } : { client: s.node0, server: s.node1 });
  const v6 = r.client.addr.includes(':');
  yield 'Follow TCP stream ' + s.stream + ': client ' + endpointText(r.client, v6) + ', server ' + endpointText(r.server, v6) + '\n';
  const sums: string[] = [];
  for (const d of [0, 1] as const) {
    if (opts.dir !== undefined && d !== opts.dir) continue;
    let t = (d === 0 ? 'client → server: ' : 'server → client: ') + grouped(s.delivered[d]) + ' bytes';
    if (s.missing[d]) t += ', ' + grouped(s.missing[d]) + ' not captured';
    if (s.retransmitted[d]) t += ', ' + grouped(s.retransmitted[d]) + ' retransmitted cop' + (s.retransmitted[d] === 1 ? 'y' : 'ies');
    sums.push(t);
  }
  yield sums.join('; ') + '\n\n';
  // messages by direction, in stream order: each is named before the first chunk that reaches its start
  const msgs: StreamMessage[][] = [[], []];
  for (const m of opts.messages?.list ?? []) msgs[m.dir].push(m);
  for (const l of msgs) l.sort((a, b) => a.pos - b.pos);
  const nextMsg = [0, 0];
  for (let i = 0; i < s.chunkCount; i++) {
    const dir = s.dirOf(i);
    if (opts.dir !== undefined && dir !== opts.dir) continue;
    const k = s.kindOf(i);
    const ind = dir ? '\t' : '';
    if (k === K_DATA || k === K_OUT_OF_ORDER || k === K_MISSING) {
      const l = msgs[dir];
      while (nextMsg[dir] < l.length && l[nextMsg[dir]].pos < s.posOf(i) + s.lengthOf(i)) {
        yield ind + '== ' + opts.messages!.protocol + ' ' + l[nextMsg[dir]].title + '\n';
        nextMsg[dir]++;
      }
    }
    const who = (dir ? '< server #' : '> client #') + (s.packetOf(i) + 1);
    const len = s.lengthOf(i);
    if (k === K_SEPARATOR) {
      const st = states?.(s.packetOf(i));
      yield ind + '-- ' + separatorName(s.flagsOf(i)) + ' #' + (s.packetOf(i) + 1) + (st ? ': client ' + st.client + ', server ' + st.server : '') + '\n';
    } else if (k === K_MISSING) {
      yield ind + '[' + grouped(len) + ' byte' + (len === 1 ? '' : 's') + ' not captured]\n';
    } else if (k === K_RETRANSMISSION) {
      const d = s.differs(i, frame);
      const at = d === true ? s.firstDifference(i, frame) : null;
      const hex2 = (b: number): string => '0x' + HEX[b >> 4] + HEX[b & 15];
      const where = at && at.pos >= 0 ? ', first at offset ' + grouped(at.pos) + ' (' + hex2(at.was) + ' → ' + hex2(at.now) + ')' : '';
      const what = d === true ? 'retransmission, DIFFERS from the original' + where : d === false ? 'retransmission, same bytes' : 'retransmission (not compared: bytes not captured)';
      yield ind + who + ', ' + grouped(len) + ' byte' + (len === 1 ? '' : 's') + ' at offset ' + grouped(s.posOf(i)) + ': ' + what + '\n';
      if (d === true) yield textLines(s.bytes(i, frame), ind);
    } else {
      const ooo = k === K_OUT_OF_ORDER ? ', out of order, put in place' + (s.inTshark(i) ? '' : ' (the bytes before it never came: tshark drops it)') : '';
      yield ind + who + ', ' + grouped(len) + ' byte' + (len === 1 ? '' : 's') + ooo + '\n';
      if (k === K_DATA || k === K_OUT_OF_ORDER) yield textLines(s.bytes(i, frame), ind);
    }
  }
}

/** Bytes as text lines: printable ASCII kept, CR LF / LF end a line, other bytes as ".". */
function textLines(b: Uint8Array | null, indent: string): string {
  if (!b) return indent + '(bytes unavailable)\n';
  let out = '';
  let line = '';
  for (let k = 0; k < b.length; k++) {
    const c = b[k];
    if (c === 10) {
      out += indent + line + '\n';
      line = '';
    } else if (c === 13 && b[k + 1] === 10) continue;
    else line += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  if (line || !out) out += indent + line + '\n';
  return out;
}

/** One direction's bytes in stream order (data and out-of-order chunks; gaps skipped): for "save as". */
export function* directionBytes(s: FollowStream, dir: 0 | 1, frame: FrameAccessor): Generator<Uint8Array> {
  for (let i = 0; i < s.chunkCount; i++) {
    const k = s.kindOf(i);
    if (s.dirOf(i) !== dir || (k !== K_DATA && k !== K_OUT_OF_ORDER)) continue;
    const b = s.bytes(i, frame);
    if (b) yield b;
  }
}
