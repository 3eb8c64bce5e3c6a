/**
 * Issue 14's cost budget (part of `npm run bench`; prints, never asserts): decode + TCP engine with the
 * performance measurement off and on (`TcpEngine({ perf })`), same file, same run, each run in a fresh
 * process, alternated (off, on, off, on, …) and the fastest of each kept; then the overhead in % of the
 * engine-only time (goal ≤ 20 %) and the bytes a packet the perf columns add to the engine (goal ≤ 8).
 *
 * Two kinds of file (under .bench/, made once):
 *   - synth: the 2,000,000-packet capture of scripts/bench.ts (10,000 short request/response connections);
 *   - real: the real-kernel captures of test/fixtures/perf (bulk transfers through a bottleneck, random
 *     loss, zero windows, Nagle stalls, SYN retries), each copied many times with its own client port,
 *     started 40 ms apart and with its times stretched by 0.5–4× (so RTTs vary), merged in time order
 *     until the same packet count: the unacknowledged lists are long (up to ~700 segments in flight),
 *     SACK blocks and retransmissions are frequent.
 *
 *   node scripts/run-ts.mjs scripts/bench-perf.ts [--runs N]      (BENCH_PACKETS overrides 2,000,000)
 *   node scripts/run-ts.mjs scripts/bench-perf.ts --child FILE on|off   (one measurement, JSON)
 *   node scripts/run-ts.mjs scripts/bench-perf.ts --results FILE...     (FNV-1a of every result: each packet's
 *       ack_rtt, acks_frame and bytes in flight, every connection's perfJson; a rework of the measurement
 *       must leave it as it was — test/perf-results.test.ts does the same on the small captures)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeRecord, DecodedPacket } from '../src/core/decode/index';
import { readCaptureFile } from '../src/node/captureFile';
import { scratchSegment, segmentFromPacket } from '../src/core/tcp/fromPacket';
import { TcpEngine } from '../src/core/tcp/engine';
import { perfJson } from '../src/core/perf/summary';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';

const ROOT = [path.resolve(__dirname, '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'test', 'fixtures', 'perf'))) ?? process.cwd();
const DIR = path.join(ROOT, '.bench');
const PACKETS = Number(process.env.BENCH_PACKETS ?? 2_000_000);
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'perf');

/** Child: read + decode + engine (perf on or off); packets, seconds, the engine's bytes a packet, heap after finish. */
async function child(file: string, perf: boolean): Promise<void> {
  const pkt = new DecodedPacket();
  const engine = new TcpEngine({ perf });
  const scratch = scratchSegment();
  let packets = 0;
  const t0 = process.hrtime.bigint();
  await readCaptureFile(file, {
    onRecord(rec) {
      decodeRecord(pkt, rec);
      packets++;
      const seg = segmentFromPacket(pkt, rec, scratch);
      if (seg) engine.add(seg);
    },
  }).done;
  engine.finish();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  // what the finished engine keeps (off: the summaries and columns; on: also its perf columns, the conversations' addresses
  // and their perf state): the V8 heap, and the typed arrays' backing stores, which V8 keeps outside it (columns, PerfStore)
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  const heap = mem.heapUsed;
  const buffers = mem.arrayBuffers;
  process.stdout.write(JSON.stringify({ packets, secs, bytesPerPacket: engine.bytesPerPacket(), connections: engine.connectionCount, heap, buffers, kept: engine.summaries().length }));
}

function fnv1a(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The hash of everything the measurement gives on `file` (see the header). */
async function results(file: string): Promise<void> {
  const pkt = new DecodedPacket();
  const engine = new TcpEngine({ perf: true });
  const scratch = scratchSegment();
  let h = 0x811c9dc5;
  await readCaptureFile(file, {
    onRecord(rec) {
      decodeRecord(pkt, rec);
      const seg = segmentFromPacket(pkt, rec, scratch);
      if (!seg) return;
      engine.add(seg);
      const p = engine.perfPacket;
      h = fnv1a(`${seg.index}:${p.ackRttNs}:${p.acksFrame}:${p.bytesInFlight};`, h);
    },
  }).done;
  engine.finish();
  for (const c of engine.conversations()) h = fnv1a(JSON.stringify(perfJson(c)) + '\n', h);
  console.log(`${path.basename(file)}: ${engine.conversations().length} connections, results ${h.toString(16).padStart(8, '0')}`);
}

interface Rec {
  ns: number;
  data: Uint8Array;
  /** Length on the wire (the fixtures keep 128 bytes of each frame: tcpdump -s 128). */
  wire: number;
  /** Offset of the client's port in the frame (-1: not a TCP/IPv4 frame of the client). */
  portOff: number;
}

/** The records of a classic little-endian pcap (the fixtures' form), with where the client's port sits. */
function readFixture(file: string): Rec[] {
  const b = fs.readFileSync(file);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${file}: not a little-endian µs pcap`);
  const out: Rec[] = [];
  let clientPort = -1;
  for (let o = 24; o + 16 <= b.length; ) {
    const ns = b.readUInt32LE(o) * 1e9 + b.readUInt32LE(o + 4) * 1000;
    const cap = b.readUInt32LE(o + 8);
    const wire = b.readUInt32LE(o + 12);
    const data = b.subarray(o + 16, o + 16 + cap);
    o += 16 + cap;
    let portOff = -1;
    // Ethernet + IPv4 + TCP: the SYN's source port is the client's
    if (data.length >= 34 + 4 && data.readUInt16BE(12) === 0x0800 && data[23] === 6) {
      const l4 = 14 + (data[14] & 15) * 4;
      const sport = data.readUInt16BE(l4);
      const dport = data.readUInt16BE(l4 + 2);
      if (clientPort < 0 && (data[l4 + 13] & 0x12) === 0x02) clientPort = sport;
      portOff = sport === clientPort ? l4 : dport === clientPort ? l4 + 2 : -1;
    }
    out.push({ ns, data, wire, portOff });
  }
  return out;
}

/** The real-kernel captures copied and merged until `packets` (see the header); written once. */
function realistic(packets: number): string {
  const file = path.join(DIR, `perf-real-${packets}.pcap`);
  if (fs.existsSync(file)) return file;
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pcap')).sort().map((f) => readFixture(path.join(FIXTURES, f)));
  const copies: { recs: Rec[]; startNs: number; stretch: number; port: number }[] = [];
  let total = 0;
  let seed = 7;
  const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let k = 0; total < packets; k++) {
    const recs = fixtures[k % fixtures.length];
    copies.push({ recs, startNs: 1_700_000_000e9 + k * 40e6, stretch: 0.5 + 3.5 * rnd(), port: 10000 + (k % 55000) });
    total += recs.length;
  }
  // merge by time: (time, copy, record) triples sorted
  const order: number[][] = [];
  copies.forEach((c, ci) => {
    const t0 = c.recs[0].ns;
    c.recs.forEach((r, ri) => order.push([c.startNs + Math.round((r.ns - t0) * c.stretch), ci, ri]));
  });
  order.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  fs.mkdirSync(DIR, { recursive: true });
  const fd = fs.openSync(file + '.part', 'w');
  const parts: Uint8Array[] = [pcapHeader(1, false, 128)];
  let size = 0;
  for (let i = 0; i < packets && i < order.length; i++) {
    const [ns, ci, ri] = order[i];
    const r = copies[ci].recs[ri];
    const frame = Buffer.from(r.data);
    if (r.portOff >= 0) frame.writeUInt16BE(copies[ci].port, r.portOff);
    const rec = pcapRecord(Math.floor(ns / 1e9), Math.floor((ns % 1e9) / 1000), frame, r.wire);
    parts.push(rec);
    size += rec.length;
    if (size > 1 << 22) {
      fs.writeSync(fd, Buffer.concat(parts));
      parts.length = 0;
      size = 0;
    }
  }
  fs.writeSync(fd, Buffer.concat(parts));
  fs.closeSync(fd);
  fs.renameSync(file + '.part', file);
  return file;
}

interface Measure {
  packets: number;
  secs: number;
  bytesPerPacket: number;
  connections: number;
  heap: number;
  buffers: number;
}

function measure(file: string, perf: boolean): Measure | null {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', file, perf ? 'on' : 'off'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    console.log(`  failed: ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
    return null;
  }
  return JSON.parse(r.stdout) as Measure;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4] === 'on');
  if (process.argv[2] === '--results') {
    for (const f of process.argv.slice(3)) await results(f);
    return;
  }
  const ri = process.argv.indexOf('--runs');
  const runs = ri > 0 ? Math.max(1, Number(process.argv[ri + 1])) : 3;
  const synth = path.join(DIR, `synth-${PACKETS}.pcap`);
  if (!fs.existsSync(synth)) spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.mjs'), 'scripts/bench.ts', '--generate', String(PACKETS), 'pcap'], { cwd: ROOT, stdio: 'inherit' });
  const files: [string, string][] = [
    ['synthetic (bench.ts)', synth],
    ['real-kernel fixtures, merged', realistic(PACKETS)],
  ];
  console.log(`\nPerformance measurement's cost (issue 14: ≤ 20 % of decode + engine, ≤ 8 bytes a packet), fastest of ${runs} runs each:`);
  for (const [label, file] of files) {
    const off: Measure[] = [];
    const on: Measure[] = [];
    for (let k = 0; k < runs; k++) {
      const a = measure(file, false);
      const b = measure(file, true);
      if (!a || !b) break;
      off.push(a);
      on.push(b);
    }
    if (off.length === 0) continue;
    const best = (xs: Measure[]): Measure => xs.reduce((x, y) => (y.secs < x.secs ? y : x));
    const a = best(off);
    const b = best(on);
    const pct = ((b.secs - a.secs) / a.secs) * 100;
    const heap = (b.heap - a.heap) / a.packets;
    const buffers = (b.buffers - a.buffers) / a.packets;
    const all = heap + buffers;
    const cols = b.bytesPerPacket - a.bytesPerPacket;
    const met = (ok: boolean): string => (ok ? 'goal met' : 'goal not met');
    console.log(
      `  ${label}, ${a.packets.toLocaleString('en')} packets, ${a.connections.toLocaleString('en')} connections: decode + engine ${a.secs.toFixed(2)} s, with perf ${b.secs.toFixed(2)} s: +${pct.toFixed(1)} % (${met(pct <= 20)}: ≤ 20 %)`,
    );
    console.log(
      `    once finished +${all.toFixed(1)} bytes a packet in all (${met(all <= 8)}: ≤ 8): +${buffers.toFixed(1)} in typed arrays (the ${cols} bytes a packet of the perf columns, the PerfStore), +${heap.toFixed(1)} in the V8 heap (what the perf engine keeps of the conversations, sample lists, loss episodes); ${((b.heap + b.buffers - a.heap - a.buffers) / a.connections / 1024).toFixed(2)} KB a connection`,
    );
  }
}

void main();
