/**
 * `capture-lens follow FILE --stream N [--hex|--raw|--ascii|--http] [--direction client|server]` (Node side).
 * --http: the stream's HTTP/1.x requests and responses with decoded bodies (src/core/follow/http.ts).
 *
 * A capture is read once (decoder → TcpEngine → FollowReassembler for stream N only), remembering where
 * each of the stream's frames lies in the file; the text is then written chunk by chunk, each chunk's
 * bytes read back from the file by position (a few frames cached), so memory stays at the chunks'
 * metadata however long the stream is. A gzip-compressed capture cannot be read by position: the
 * stream's frames are kept in memory then. FILE may also be tcpdump text with hex dumps (-x, -xx, -X, -XX).
 */
import * as fs from 'node:fs';
import { UsageError } from '../core/print/args';
import { decodeRecord, DecodedPacket } from '../core/decode/index';
import { scratchSegment, segmentFromPacket } from '../core/tcp/fromPacket';
import { TcpEngine } from '../core/tcp/engine';
import { FollowReassembler } from '../core/follow/reassembler';
import { payloadOf, type PayloadRef } from '../core/follow/payload';
import type { FrameAccessor } from '../core/follow/stream';
import { annotatedFollow, tsharkFollow, type TsharkMode } from '../core/follow/render';
import { readCaptureFile, type ReadSummary } from './captureFile';
import { followText, hexDumpBytes, rolesOf, statesOf, type FollowSource } from '../core/follow/text';
import { httpMessages } from '../core/follow/http';
import { httpFollowText } from '../core/follow/httpText';
import { nodeInflate } from './httpInflate';
import { zhCn } from './l10n';

// tcpdump text and the source type live in core (the extension's Follow panel uses them in a browser too, issue 17)
export { followText, hexDumpBytes, type FollowSource };

export type FollowMode = 'annotated' | 'http' | TsharkMode;

export interface FollowArgs {
  file: string;
  stream: number;
  mode: FollowMode;
  /** Engine direction to show (0 client → server, 1 server → client), both when absent. */
  dir?: 0 | 1;
  /** --zh: problems in Simplified Chinese (--http). */
  zh?: boolean;
}

/** Parse `follow` arguments; throws UsageError. */
export function parseFollowArgs(args: string[]): FollowArgs {
  let file: string | undefined;
  let stream: number | undefined;
  let mode: FollowMode = 'annotated';
  let dir: 0 | 1 | undefined;
  let zh = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--stream') {
      const v = args[++i];
      const n = Number(v);
      if (v === undefined || v === '' || !Number.isInteger(n) || n < 0) throw new UsageError('--stream needs a stream number (0, 1, …)');
      stream = n;
    } else if (a === '--hex' || a === '--raw' || a === '--ascii' || a === '--http') {
      if (mode !== 'annotated') throw new UsageError('give only one of --hex, --raw, --ascii, --http');
      mode = a.slice(2) as TsharkMode | 'http';
    } else if (a === '--zh') {
      zh = true;
    } else if (a === '--direction') {
      const v = args[++i];
      if (v !== 'client' && v !== 'server') throw new UsageError('--direction needs "client" or "server"');
      dir = v === 'client' ? 0 : 1;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (file === undefined) throw new UsageError('missing capture FILE');
  if (stream === undefined) throw new UsageError('follow needs --stream N (the stream numbers are those of "capture-lens conns")');
  return { file, stream, mode, dir, zh };
}

const HDR_LEN: Record<string, number> = { pcap: 16, EPB: 28, PB: 28, SPB: 12 };

function isGzip(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(2);
    return fs.readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } catch {
    return false; // the capture reader reports what is wrong with the file
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Capture files start with a pcap, pcapng or gzip magic number; anything else is read as tcpdump text. */
function looksLikeCapture(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(4);
    const n = fs.readSync(fd, b, 0, 4, 0);
    if (n < 4) return n >= 2 && b[0] === 0x1f && b[1] === 0x8b;
    const m = b.readUInt32BE(0);
    return [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a].includes(m) || (b[0] === 0x1f && b[1] === 0x8b);
  } catch {
    return true; // let the capture reader say what is wrong with the file
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Follow stream `n` of a capture file. */
export async function followCapture(file: string, n: number): Promise<FollowSource> {
  const engine = new TcpEngine();
  const follow = new FollowReassembler({ streams: [n] });
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const pl: PayloadRef = { off: 0, capLen: 0, tapped: false };
  const inMemory = isGzip(file);
  // the stream's frames: packet index → file offset of the frame and its length (sorted by packet)
  let count = 0;
  let pk = new Int32Array(64);
  let offs = new Float64Array(64);
  let lens = new Int32Array(64);
  const kept = new Map<number, Uint8Array>();
  const reading = readCaptureFile(file, {
    onRecord(rec) {
      decodeRecord(pkt, rec);
      const seg = segmentFromPacket(pkt, rec, scratch);
      if (!seg) return;
      const res = engine.add(seg);
      if (res.stream !== n) return;
      follow.add(seg, res, payloadOf(pkt, pl));
      if (inMemory) kept.set(rec.index, rec.data.slice());
      else {
        if (count === pk.length) {
          const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
          pk = grow(pk, new Int32Array(count * 2));
          offs = grow(offs, new Float64Array(count * 2));
          lens = grow(lens, new Int32Array(count * 2));
        }
        pk[count] = rec.index;
        offs[count] = rec.fileOffset + (HDR_LEN[rec.blockType] ?? 0);
        lens[count] = rec.data.length;
        count++;
      }
    },
  });
  const read: ReadSummary = await reading.done;
  engine.finish();
  follow.finish();
  let fd: number | undefined;
  const cache = new Map<number, Uint8Array>();
  const frame: FrameAccessor = (p) => {
    if (inMemory) return kept.get(p);
    const hit = cache.get(p);
    if (hit) return hit;
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (pk[mid] < p) lo = mid + 1;
      else if (pk[mid] > p) hi = mid - 1;
      else {
        try {
          fd ??= fs.openSync(file, 'r');
          const b = Buffer.alloc(lens[mid]);
          const got = fs.readSync(fd, b, 0, b.length, offs[mid]);
          const f = new Uint8Array(b.buffer, b.byteOffset, got);
          // a small cache: a retransmission and its original are read together, pages revisit frames
          if (cache.size >= 256) cache.delete(cache.keys().next().value as number);
          cache.set(p, f);
          return f;
        } catch {
          return undefined; // the renderers say "(bytes unavailable)"
        }
      }
    }
    return undefined;
  };
  const fatal = read.error !== null && (read.info === null || read.packets === 0) && read.error.kind !== 'truncated';
  return {
    stream: follow.stream(n),
    frame,
    roles: rolesOf(engine, n),
    states: statesOf(engine),
    streamCount: engine.connectionCount,
    error: read.error ? read.error.message : null,
    fatal: fatal || (read.error !== null && read.info === null),
    close: () => {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}

/** Said (stderr) when a stream's bytes come from tcpdump -A text; the same words as the Follow view's. */
const LOSSY_NOTE = 'From tcpdump -A: bytes other than printable ASCII were written as "." and are lost; use -X for the real bytes.';

/** Write generated text to stdout with back-pressure (64 KiB pieces). */
async function writeAll(pieces: Iterable<string>): Promise<void> {
  let buf = '';
  const flush = async (): Promise<void> => {
    if (!buf) return;
    const ok = process.stdout.write(buf);
    buf = '';
    if (!ok) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  };
  for (const p of pieces) {
    buf += p;
    if (buf.length >= 1 << 16) await flush();
  }
  await flush();
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
}

/** The `follow` command: 0 done; 1 (after a one-line reason on stderr) for a missing/unknown/damaged file or a stream that does not exist. */
export async function cmdFollow(args: string[], fail: (message: string) => void): Promise<number> {
  const a = parseFollowArgs(args);
  let src: FollowSource;
  if (looksLikeCapture(a.file)) {
    src = await followCapture(a.file, a.stream);
    if (src.fatal) {
      src.close();
      fail(src.error ?? `cannot read ${a.file}`);
      return 1;
    }
  } else {
    let text: string;
    try {
      text = fs.readFileSync(a.file, 'utf8');
    } catch (err) {
      fail(`cannot read ${a.file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      return 1;
    }
    src = followText(text, a.stream);
  }
  try {
    const s = src.stream;
    if (!s || a.stream >= src.streamCount) {
      const have = src.streamCount === 0 ? 'it has no TCP stream' : `its streams are 0 to ${src.streamCount - 1}`;
      fail(`${a.file} has no TCP stream ${a.stream} (${have})${src.error ? '; ' + src.error : ''}`);
      return 1;
    }
    const pieces =
      a.mode === 'http'
        ? httpFollowText(s.stream, httpMessages(s, src.frame, { inflate: nodeInflate }), src.roles, { dir: a.dir, t: a.zh ? zhCn() : undefined })
        : a.mode === 'annotated'
          ? annotatedFollow(s, src.frame, src.roles, src.states, { dir: a.dir })
          : tsharkFollow(s, a.mode, src.frame, { dir: a.dir });
    await writeAll(pieces);
    // stderr: the bytes on stdout stay the stream's (as far as -A kept them)
    if (src.lossy) process.stderr.write((a.zh ? zhCn() : (m: string) => m)(LOSSY_NOTE) + '\n');
    if (src.error) {
      fail(src.error);
      return 1;
    }
    return 0;
  } finally {
    src.close();
  }
}
