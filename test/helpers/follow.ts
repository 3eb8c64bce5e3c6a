/** Following streams in tests: a whole capture in memory through decoder → engine → reassembler, and tshark's answers. */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { decodeRecord, DecodedPacket } from '../../src/core/decode/index';
import { FollowReassembler } from '../../src/core/follow/reassembler';
import { payloadOf } from '../../src/core/follow/payload';
import { tsharkFollow, type TsharkMode } from '../../src/core/follow/render';
import type { FollowStream } from '../../src/core/follow/stream';
import { scratchSegment, segmentFromPacket } from '../../src/core/tcp/fromPacket';
import { TcpEngine } from '../../src/core/tcp/engine';
import { readAll } from './corpus';

export interface Followed {
  follow: FollowReassembler;
  engine: TcpEngine;
  frames: Map<number, Uint8Array>;
  frame: (p: number) => Uint8Array | undefined;
  streamCount: number;
}

/** Every stream of a capture, followed (frames kept in memory: test captures are small). */
export async function followAll(file: string): Promise<Followed> {
  const { records } = await readAll(file);
  const engine = new TcpEngine();
  const follow = new FollowReassembler();
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const frames = new Map<number, Uint8Array>();
  for (const rec of records) {
    decodeRecord(pkt, rec);
    const seg = segmentFromPacket(pkt, rec, scratch);
    if (!seg) continue;
    const res = engine.add(seg);
    follow.add(seg, res, payloadOf(pkt));
    frames.set(rec.index, rec.data);
  }
  engine.finish();
  follow.finish();
  return { follow, engine, frames, frame: (p) => frames.get(p), streamCount: engine.connectionCount };
}

/** Our tshark form of stream n ('' header-only form for a stream we never saw, as tshark prints it). */
export function ourTshark(f: Followed, n: number, mode: TsharkMode): string {
  const s: FollowStream | undefined = f.follow.stream(n);
  if (!s) return '';
  return [...tsharkFollow(s, mode, f.frame)].join('');
}

let tsharkChecked: boolean | undefined;
/** true when a tshark runs here. */
export function haveTshark(): boolean {
  if (tsharkChecked === undefined) {
    const r = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
    tsharkChecked = r.status === 0;
  }
  return tsharkChecked;
}

/** tshark's `-q -z follow,tcp,MODE,N` for the given streams and modes, one run; "MODE N" → its block. */
export async function tsharkFollowBlocks(file: string, modes: TsharkMode[], streams: number[]): Promise<Map<string, string>> {
  const args = ['-n', '-r', file, '-q'];
  for (const mode of modes) for (const n of streams) args.push('-z', `follow,tcp,${mode},${n}`);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('tshark', args, { encoding: 'latin1', maxBuffer: 1 << 28 }, (err, out, errText) => (err ? reject(new Error(`tshark failed on ${file}: ${errText}`)) : resolve(out))),
  );
  const out = new Map<string, string>();
  // each block: "\n====…\nFollow: …\nFilter: tcp.stream eq N\n…====…\n"
  const sep = '===================================================================\n';
  const parts = stdout.split('\n' + sep + 'Follow: ');
  for (const p of parts.slice(1)) {
    const m = /^tcp,(\w+)\nFilter: tcp\.stream eq (\d+)\n/.exec(p);
    if (m) out.set(m[1] + ' ' + m[2], '\n' + sep + 'Follow: ' + p);
  }
  return out;
}

/** Streams in which tshark saw TCP payload, from the corpus's reference `CAPTURE.tshark.tsv` (undefined without one). */
export function tsharkPayloadStreams(file: string): Set<number> | undefined {
  const ref = file + '.tshark.tsv';
  if (!fs.existsSync(ref)) return undefined;
  const lines = fs.readFileSync(ref, 'utf8').split('\n');
  const head = lines[0].split('\t');
  const s = head.indexOf('tcp.stream');
  const len = head.indexOf('tcp.len');
  const out = new Set<number>();
  for (const l of lines.slice(1)) {
    const c = l.split('\t');
    if (c[s] !== undefined && c[s] !== '' && Number(c[len]) > 0) out.add(Number(c[s]));
  }
  return out;
}

/** Capture files under a folder (by magic number: pcap, pcapng, gzip), sorted. */
export function captureFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = d + '/' + e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && isCapture(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function isCapture(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    if (fs.readSync(fd, b, 0, 4, 0) < 4) return false;
    const m = b.readUInt32BE(0);
    return [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a].includes(m) || (b[0] === 0x1f && b[1] === 0x8b);
  } finally {
    fs.closeSync(fd);
  }
}
