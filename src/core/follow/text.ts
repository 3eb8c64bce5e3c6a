/**
 * Follow TCP Stream over tcpdump text (payload bytes from its hex dumps, or read back from -A's ASCII), and what a follow run
 * produces (FollowSource): used by the CLI's `follow` (src/node/follow.ts, which re-exports them)
 * and by the extension's Follow panel for a tcpdump document, in both extension hosts.
 */
import { decodeFrame, DecodedPacket } from '../decode/index';
import { TcpEngine } from '../tcp/engine';
import { emptyResult, TCP_STATES } from '../tcp/types';
import { FollowReassembler } from './reassembler';
import { payloadOf, type PayloadRef } from './payload';
import type { FollowStream, FrameAccessor } from './stream';
import type { StatesAccessor, StreamRoles } from './render';
import { parseTcpdumpText, toSegmentInput } from '../text/index';
import { LK_BANNER, LK_PROMPT, type TextPacket } from '../text/model';
import { looksLikeAsciiDump } from '../text/lines';
import { asciiDumpPayload } from './asciiDump';

/** What a follow run produced: the stream (undefined when it does not exist), its accessors, and why reading stopped. */
export interface FollowSource {
  stream: FollowStream | undefined;
  frame: FrameAccessor;
  roles: StreamRoles | undefined;
  states: StatesAccessor;
  /** Number of TCP streams in the file. */
  streamCount: number;
  /** A read error (damage after some packets, or an unreadable file); null when the whole file was read. */
  error: string | null;
  /** true when nothing could be read at all (not a capture, missing file). */
  fatal: boolean;
  /** Bytes came from tcpdump -A text: every byte but printable ASCII is a "." (lost). */
  lossy?: boolean;
  close(): void;
}

export function statesOf(engine: TcpEngine): StatesAccessor {
  const r = emptyResult();
  return (p) => (engine.resultInto(p, r) ? { client: TCP_STATES[r.clientState], server: TCP_STATES[r.serverState] } : undefined);
}

export function rolesOf(engine: TcpEngine, stream: number): StreamRoles | undefined {
  const s = engine.summaries().find((c) => c.stream === stream);
  return s ? { client: s.client, server: s.server } : undefined;
}

/**
 * The bytes of a tcpdump hex dump (-x, -xx, -X, -XX) as printed under a packet line: "\t0x0010:  4500 0034 …"
 * (then, for -X, two spaces and the ASCII column). Lines that do not read as such end the dump.
 */
export function hexDumpBytes(lines: readonly string[]): Uint8Array {
  const out: number[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0 || !/^\s*0x[0-9a-fA-F]+$/.test(line.slice(0, colon))) break;
    // the hex columns are 8 groups of 4 digits, one space apart (39 characters) after two spaces; -X pads a short
    // last line to that width before its ASCII column, so reading 40 characters never reaches the ASCII
    const cols = line.slice(colon + 1, colon + 1 + 2 + 40);
    for (const group of cols.trim().split(' ')) {
      if (group === '') break; // two spaces: the ASCII column follows
      if (!/^[0-9a-fA-F]{2}(?:[0-9a-fA-F]{2})?$/.test(group)) break;
      for (let k = 0; k < group.length; k += 2) out.push(parseInt(group.slice(k, k + 2), 16));
    }
  }
  return Uint8Array.from(out);
}

/** Follow stream `n` of tcpdump text: payload bytes come from the hex dumps (-x/-xx/-X/-XX); without them, bytes are "not captured". */
export function followText(text: string, n: number): FollowSource {
  const log = parseTcpdumpText(text);
  const engine = new TcpEngine();
  const follow = new FollowReassembler({ streams: [n], skipUncaptured: false });
  const frames = new Map<number, Uint8Array>();
  const pkt = new DecodedPacket();
  const pl: PayloadRef = { off: 0, capLen: 0, tapped: false };
  const packets: TextPacket[] = log.packets;
  const segs = packets.map((p, i) => toSegmentInput(p, i));
  for (let i = 0; i < packets.length; i++) {
    const seg = segs[i];
    if (!seg) continue;
    engine.add(seg);
  }
  engine.finish();
  const r = emptyResult();
  let lines: string[] | undefined;
  let lossy = false;
  for (let i = 0; i < packets.length; i++) {
    const seg = segs[i];
    if (!seg || !engine.resultInto(i, r) || r.stream !== n) continue;
    const hex = packets[i].hex;
    pl.off = 0;
    pl.capLen = 0;
    pl.tapped = true;
    if (!hex && seg.len > 0) {
      // -A: the packet's bytes as ASCII on the lines up to the next packet line
      lines ??= text.split('\n');
      const dump = asciiLines(lines, log.kinds, packets[i].line + 1, i + 1 < packets.length ? packets[i + 1].line : lines.length);
      const bytes = dump ? asciiDumpPayload(dump, seg.len) : null;
      if (bytes) {
        frames.set(i, bytes);
        pl.capLen = bytes.length;
        lossy = true;
      }
    } else if (hex && hex.length) {
      const bytes = hexDumpBytes(hex);
      // -x/-X dump from the IP header, -xx/-XX from the link header (Ethernet here)
      const raw = bytes.length > 0 && (bytes[0] >> 4 === 4 || bytes[0] >> 4 === 6);
      decodeFrame(pkt, bytes, Math.max(bytes.length, 262144), raw ? 101 : 1);
      const where = payloadOf(pkt, pl);
      if (where.tapped) frames.set(i, bytes);
      else pl.tapped = true; // the dump did not decode: the engine's segment still counts, its bytes were not captured
    }
    follow.add(seg, r, pl);
  }
  follow.finish();
  return {
    stream: follow.stream(n),
    frame: (p) => frames.get(p),
    roles: rolesOf(engine, n),
    states: statesOf(engine),
    streamCount: engine.connectionCount,
    error: null,
    fatal: false,
    ...(lossy ? { lossy } : {}),
    close: () => undefined,
  };
}

/**
 * The -A dump under a packet line: lines [from, to) (up to the next packet line), when the first one reads
 * as an IP header in ASCII; banners and prompts at its end (the last packet's) are not part of it. A text
 * file's own CR LF line ends are taken off (tcpdump writes a payload CR before an LF not at all).
 */
function asciiLines(lines: readonly string[], kinds: ArrayLike<number>, from: number, to: number): string[] | null {
  if (from >= to || !looksLikeAsciiDump(lines[from])) return null;
  while (to > from + 1 && (kinds[to - 1] === LK_BANNER || kinds[to - 1] === LK_PROMPT)) to--;
  const out: string[] = [];
  for (let l = from; l < to; l++) {
    const s = lines[l];
    out.push(s.endsWith('\r') ? s.slice(0, -1) : s);
  }
  return out;
}
