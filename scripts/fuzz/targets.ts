/**
 * What the fuzzer runs: each target takes one (mutated) input and drives a part of the product
 * the way its users drive it, handing everything it produces to the Checker.
 *
 *   readers  PcapParser / PcapngParser, fed whole and in random pieces (the records and the verdict must agree)
 *   decode   decodeRecord with and without a field sink (same addresses, sane byte ranges)
 *   print    PacketPrinter (what `capture-lens print` uses) with several tcpdump option sets
 *   engine   TcpEngine: every segment, finish, results, summaries, JSON and the conns table (en, zh)
 *   flow     the flow graph of the engine's results, as text and SVG, its views
 *   index    the capture editor's CaptureIndex (src/worker/captureIndex.ts) on a temporary file (gzip ones too)
 *   text     parseTcpdumpText, spans, the frames synthesised back from the text and printed
 *   log      the log model (analyzeLog): CodeLens, hovers, outline, folding, flow graph, conns
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { PcapParser, isPcapMagic } from '../../src/core/capture/pcap';
import { PcapngParser } from '../../src/core/capture/pcapng';
import type { CaptureError, CaptureRecord } from '../../src/core/capture/types';
import { decodeRecord, DecodedPacket, TreeSink, type FieldNode } from '../../src/core/decode/index';
import { formatEn } from '../../src/core/explain/l10n';
import { buildFlowGraph, timeText as flowTimeText, type FlowGraph, type FlowPacket } from '../../src/core/flow/model';
import { flowPacket, logFlowPackets } from '../../src/core/flow/packets';
import { flowSvg } from '../../src/core/flow/svg';
import { flowText } from '../../src/core/flow/text';
import { problemsOnly } from '../../src/core/flow/view';
import { hoverAt } from '../../src/core/log/hover';
import { connectionLensText, packetLensText } from '../../src/core/log/lens';
import { analyzeParsedLog } from '../../src/core/log/model';
import { connectionSymbols, foldingRanges } from '../../src/core/log/outline';
import { defaultPrintOptions, type PrintOptions } from '../../src/core/print/options';
import { PacketPrinter } from '../../src/core/print/packet';
import { TcpEngine } from '../../src/core/tcp/engine';
import { scratchSegment, segmentFromPacket } from '../../src/core/tcp/fromPacket';
import { connJson, formatConnsTable, packetJson } from '../../src/core/tcp/json';
import { emptyResult } from '../../src/core/tcp/types';
import { packetSpans, parseTcpdumpText, printOptionsFor, synthesizeFrame, toSegmentInput } from '../../src/core/text/index';
import { CaptureIndex } from '../../src/worker/captureIndex';
import { fileInput } from '../../src/worker/fileInput';
import { Checker, hashBytes, Rng, type Target } from './engine';
import { zhCn } from '../../src/node/l10n';

/** Records handed on to the later stages of one input (more only slow a run down: the engine's paths show early). */
const MAX_RECORDS = 3000;

interface Read {
  records: CaptureRecord[];
  error: CaptureError | null;
  packets: number;
}

/** The parser the file's magic asks for (as src/node/captureFile.ts picks it); both, one after the other, when none. */
function parsersFor(input: Uint8Array): ('pcap' | 'pcapng')[] {
  if (input.length < 4) return ['pcap', 'pcapng'];
  const be = ((input[0] << 24) | (input[1] << 16) | (input[2] << 8) | input[3]) >>> 0;
  if (be === 0x0a0d0d0a) return ['pcapng'];
  if (isPcapMagic(be)) return ['pcap'];
  return ['pcap', 'pcapng'];
}

/** Read a capture held in memory with the pure parsers, `pieces` giving the sizes of the chunks pushed. */
function readBytes(input: Uint8Array, which: 'pcap' | 'pcapng', pieces: (left: number) => number, keep: boolean): Read {
  const records: CaptureRecord[] = [];
  let packets = 0;
  const sink = {
    onRecord(rec: CaptureRecord) {
      packets++;
      if (keep && records.length < MAX_RECORDS) records.push({ ...rec, data: rec.data.slice(), comments: rec.comments?.slice() });
      else if (!keep) records.push({ ...rec, data: new Uint8Array(0) }); // the fields, to compare
    },
  };
  const parser = which === 'pcap' ? new PcapParser(sink) : new PcapngParser(sink);
  for (let off = 0; off < input.length; ) {
    const n = Math.max(1, Math.min(input.length - off, pieces(input.length - off)));
    // a fresh copy of each piece, as a stream hands fresh buffers: nothing may be read after push returns
    const chunk = input.slice(off, off + n);
    const more = parser.push(chunk);
    chunk.fill(0xee);
    off += n;
    if (!more) break;
  }
  const error = parser.end();
  return { records, error, packets };
}

function checkError(c: Checker, label: string, e: CaptureError | null, size: number): void {
  if (!e) return;
  c.assert(['truncated', 'corrupt', 'not-a-capture', 'io'].includes(e.kind), `${label}: error kind ${String(e.kind)}`);
  c.number(`${label}.offset`, e.offset);
  c.assert(e.offset >= 0 && e.offset <= size, `${label}: error offset ${e.offset} outside the ${size}-byte file`);
  c.text(`${label}.message`, e.message);
  c.assert(e.message.length > 0 && e.message.length < 1000 && !e.message.includes('\n'), `${label}: error message is not one short line`);
}

function checkRecord(c: Checker, r: CaptureRecord, size: number, label: string): void {
  c.number(`${label}.tsSec`, r.tsSec);
  c.number(`${label}.tsNsec`, r.tsNsec);
  c.number(`${label}.origLen`, r.origLen);
  c.assert(r.tsPrecision === 6 || r.tsPrecision === 9, `${label}: tsPrecision ${r.tsPrecision}`);
  c.assert(r.origLen >= 0 && r.tsNsec >= 0, `${label}: negative length or time (${r.origLen}, ${r.tsNsec})`);
  c.assert(r.fileOffset >= 0 && r.fileOffset + r.fileLength <= size, `${label}: record at ${r.fileOffset}+${r.fileLength} outside the ${size}-byte file`);
  c.assert(r.data.length <= r.fileLength, `${label}: ${r.data.length} captured bytes in a ${r.fileLength}-byte record`);
  for (const s of r.comments ?? []) c.text(`${label}.comment`, s);
}

/** The input read with the parser its magic asks for, in one piece and again in pieces of random sizes: both readings must agree. */
function readCapture(input: Uint8Array, c: Checker): Read {
  const which = parsersFor(input);
  let last: Read | null = null;
  for (const w of which) {
    const whole = readBytes(input, w, (left) => left, true);
    const rng = new Rng(hashBytes(input));
    const pieces = readBytes(input, w, () => (rng.chance(0.2) ? rng.size(8) : rng.size(70000)), false);
    checkError(c, `${w} error`, whole.error, input.length);
    c.assert(whole.packets === pieces.packets, `${w}: ${whole.packets} records read in one piece, ${pieces.packets} in pieces`);
    c.assert(
      (whole.error?.kind ?? '') === (pieces.error?.kind ?? '') && (whole.error?.offset ?? -1) === (pieces.error?.offset ?? -1),
      `${w}: in one piece the reader says "${whole.error?.message ?? 'ok'}", in pieces "${pieces.error?.message ?? 'ok'}"`,
    );
    whole.records.forEach((r, i) => {
      checkRecord(c, r, input.length, `record ${i}`);
      const p = pieces.records[i];
      c.assert(p.fileOffset === r.fileOffset && p.origLen === r.origLen && p.tsSec === r.tsSec && p.tsNsec === r.tsNsec && p.linkType === r.linkType, `${w}: record ${i} differs when read in pieces`);
    });
    last = whole;
    if (whole.packets > 0) break;
  }
  return last!;
}

function checkTree(c: Checker, node: FieldNode, caplen: number, label: string, depth = 0): void {
  c.number(`${label}.offset`, node.offset);
  c.number(`${label}.length`, node.length);
  c.assert(node.offset >= 0 && node.length >= 0, `field ${node.name}: negative range ${node.offset}+${node.length}`);
  // a field that was not captured is a zero-length mark where it would start (tcp.payload of a cut frame)
  c.assert(node.length === 0 || node.offset + node.length <= caplen, `field ${node.name}: bytes ${node.offset}..${node.offset + node.length} beyond the ${caplen} captured`);
  c.text(`${label}.label`, node.label);
  if (typeof node.display === 'string') c.text(`${label}.display`, node.display);
  if (typeof node.value === 'number') c.number(`${label}.value`, node.value);
  if (typeof node.value === 'string') c.text(`${label}.value`, node.value);
  for (const n of node.notes ?? []) {
    c.text(`${label}.note`, n.message);
    c.assert(n.offset >= 0 && n.length >= 0 && Number.isFinite(n.offset + n.length), `note of ${node.name}: range ${n.offset}+${n.length}`);
  }
  c.assert(depth < 64, `field tree deeper than 64 at ${node.name}`);
  for (const ch of node.children ?? []) checkTree(c, ch, caplen, `${label}.${ch.name}`, depth + 1);
}

/** tcpdump option sets the printer is run with (the default, and the ones with the most paths). */
const PRINT_OPTIONS: Partial<PrintOptions>[] = [
  {},
  { verbose: 1, linkHeader: true, number: true, timeFormat: 4, hex: 1 },
  { verbose: 3, absoluteSeq: true, timeFormat: 3, nano: true, hex: 4 },
  { quiet: true, timeFormat: 5, hex: 3 },
  { verbose: 2, timeFormat: 2 },
];

interface Analysed {
  engine: TcpEngine;
  flow: FlowPacket[];
}

function runEngine(c: Checker, recs: CaptureRecord[]): Analysed {
  const engine = new TcpEngine();
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const segs: ReturnType<typeof scratchSegment>[] = [];
  for (const rec of recs) {
    decodeRecord(pkt, rec);
    const seg = segmentFromPacket(pkt, rec, scratch);
    if (seg) {
      const r = engine.add(seg);
      c.number('provisional stream', r.stream);
      segs.push({ ...seg });
    }
  }
  engine.finish();
  const res = emptyResult();
  const flow: FlowPacket[] = [];
  let jsonLeft = 500;
  for (const seg of segs) {
    if (!engine.resultInto(seg.index, res)) continue;
    c.number('relSeq', res.relSeq);
    c.number('relAck', res.relAck);
    flow.push(flowPacket(seg, res));
    if (jsonLeft-- > 0) c.value('packetJson', packetJson({ index: seg.index, tsSec: seg.tsSec, tsNsec: seg.tsNsec, src: seg.src, dst: seg.dst, sport: seg.sport, dport: seg.dport, proto: 6 }, seg, res));
  }
  const sums = engine.summaries();
  c.value('connJson', sums.slice(0, 200).map((s) => connJson(s, zhCn())));
  c.text('conns table', formatConnsTable(sums));
  c.text('conns table (zh)', formatConnsTable(sums, { t: zhCn() }));
  c.value('synFloods', engine.synFloods());
  return { engine, flow };
}

function checkFlow(c: Checker, g: FlowGraph): void {
  c.value('flow graph', { hosts: g.hosts, lifelines: g.lifelines, arrows: g.arrows.slice(0, 300), markers: g.markers.slice(0, 300), t0Sec: g.t0Sec, t0Nsec: g.t0Nsec });
  for (const time of ['relative', 'absolute', 'delta'] as const) {
    c.text(`flow text (${time})`, flowText(g, { time }));
    for (let r = 0; r < Math.min(g.arrows.length, 50); r++) c.text(`flow time (${time})`, flowTimeText(g, r, time));
  }
  c.text('flow svg', flowSvg(g));
  const p = problemsOnly(g);
  c.text('flow text (problems)', flowText(p));
}

let tmpDir: string | undefined;
let tmpCount = 0;
/** Where the index target writes its inputs (the CLI gives each worker its folder and removes it). */
export function setTempDir(dir: string): void {
  tmpDir = dir;
}
function tmpFile(): string {
  if (tmpDir === undefined) {
    const dir = (tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-fuzz-')));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return path.join(tmpDir, `input-${process.pid}-${tmpCount++}.pcap`);
}

async function runIndex(input: Uint8Array, c: Checker): Promise<void> {
  const file = tmpFile();
  fs.writeFileSync(file, input);
  const idx = new CaptureIndex(fileInput(file), { progressMs: 1e9, chunkSize: 64 * 1024 });
  try {
    await idx.start();
    const p = idx.progress();
    c.value('progress', p);
    c.assert(p.done, 'indexing ended without done');
    const n = idx.count;
    const rows = await idx.rows(0, Math.min(n, 400));
    c.value('rows', rows);
    if (n > 400) c.value('last rows', await idx.rows(n - 50, 50));
    const pick = [...new Set([0, 1, 2, n - 1, Math.floor(n / 2)].filter((i) => i >= 0 && i < n))];
    for (const i of pick) {
      const d = await idx.details(i);
      checkTree(c, d.tree, d.bytes.length, 'details');
      c.text('details.tcpdump', d.tcpdump);
    }
    c.value('lines', await idx.lines(pick));
    for (const expr of ['tcp', 'problem', 'not arp and port 80', 'flags S']) {
      const f = await idx.filter(expr);
      c.value(`filter ${expr}`, f);
      if (f.ok) c.value(`rows of ${expr}`, await idx.rows(0, Math.min(f.count, 100), f.view));
    }
    c.value('connections', (await idx.connections()).slice(0, 300));
  } finally {
    await idx.close();
    fs.rmSync(file, { force: true });
  }
}

const utf8 = new TextDecoder('utf-8');

function runText(input: Uint8Array, c: Checker): void {
  const log = parseTcpdumpText(utf8.decode(input));
  c.assert(log.kinds.length === log.lineCount && log.packetOfLine.length === log.lineCount, 'line tables do not match the line count');
  const printer = new PacketPrinter(printOptionsFor(log));
  let left = 2000;
  for (const p of log.packets) {
    if (left-- <= 0) break;
    c.assert(p.line >= 0 && p.line <= p.endLine && p.endLine < log.lineCount, `packet ${p.index}: lines ${p.line}..${p.endLine} of ${log.lineCount}`);
    c.number('text tsSec', p.tsSec);
    c.number('text tsNsec', p.tsNsec);
    const spans = packetSpans(p);
    for (let k = 0; k < spans.length; k++) c.assert(Number.isInteger(spans[k]), `packet ${p.index}: span value ${spans[k]}`);
    const seg = toSegmentInput(p, p.index);
    if (seg) c.value('text segment', seg);
    const f = synthesizeFrame(p);
    if (f) {
      const rec: CaptureRecord = { index: p.index, data: f.data, origLen: f.origLen, tsSec: f.tsSec, tsNsec: f.tsNsec, tsPrecision: f.tsPrecision, linkType: f.linkType, interfaceId: 0, fileOffset: 0, fileLength: 0, blockType: 'pcap' };
      c.text('printed synthesised frame', printer.print(rec));
    }
  }
  for (const u of log.unreadable.slice(0, 100)) c.value('unreadable', u);
}

function runLog(input: Uint8Array, c: Checker): void {
  const log = parseTcpdumpText(utf8.decode(input));
  const m = analyzeParsedLog(log);
  const res = emptyResult();
  let left = 500;
  for (const p of log.packets) {
    if (left-- <= 0) break;
    const lens = packetLensText(m, p.index);
    if (lens !== null) c.text('packet lens', lens);
    for (const col of [0, 5, 16, 30, 45, 60, 80, 120]) {
      const h = hoverAt(m, p.addrLine, col, formatEn);
      if (h) c.value('hover', h);
    }
    const seg = toSegmentInput(p, p.index);
    const has = seg !== null && m.engine.resultInto(p.index, res);
    c.value('packet json', packetJson({ index: p.index, tsSec: p.tsSec, tsNsec: p.tsNsec, src: p.srcHost, dst: p.dstHost, sport: p.sport >= 0 ? p.sport : null, dport: p.dport >= 0 ? p.dport : null, proto: p.l4 }, seg, has ? res : null));
  }
  for (const s of m.summaries.slice(0, 200)) c.text('connection lens', connectionLensText(s));
  c.value('outline', connectionSymbols(m).slice(0, 200));
  c.value('folding', foldingRanges(m).slice(0, 500));
  c.text('conns table', formatConnsTable(m.summaries));
  c.value('conns json', m.summaries.slice(0, 200).map((s) => connJson(s, zhCn())));
  checkFlow(c, buildFlowGraph(logFlowPackets(m, undefined, 3000)));
}

export const TARGETS: Target[] = [
  {
    name: 'readers',
    input: 'capture',
    what: 'pcap and pcapng readers, fed whole and in random pieces (records and verdict must agree)',
    run(input, c) {
      readCapture(input, c);
    },
  },
  {
    name: 'decode',
    input: 'capture',
    what: 'decoders with a field sink (ranges, labels) and without (same addresses and ports)',
    run(input, c) {
      const { records } = readCapture(input, c);
      const fast = new DecodedPacket();
      const full = new DecodedPacket();
      for (const rec of records) {
        decodeRecord(fast, rec);
        const sink = new TreeSink();
        decodeRecord(full, rec, sink);
        c.assert(fast.net.src === full.net.src && fast.net.dst === full.net.dst && fast.l4.sport === full.l4.sport && fast.l4.dport === full.l4.dport && fast.problem === full.problem, `packet ${rec.index}: decoded differently with a field sink`);
        c.text('problem', fast.problem);
        checkTree(c, sink.root, rec.data.length, 'frame');
      }
    },
  },
  {
    name: 'print',
    input: 'capture',
    what: 'PacketPrinter (capture-lens print) with -v -e -# -x, -vvv -S --nano -XX -ttt, -q -ttttt -X, -vv -tt',
    run(input, c) {
      const { records } = readCapture(input, c);
      for (const o of PRINT_OPTIONS) {
        const printer = new PacketPrinter({ ...defaultPrintOptions(), ...o });
        for (const rec of records) {
          const line = printer.print(rec);
          c.text(`print ${JSON.stringify(o)}`, line);
          c.assert(line.endsWith('\n'), 'a printed packet does not end with a newline');
        }
      }
    },
  },
  {
    name: 'engine',
    input: 'capture',
    what: 'TcpEngine: results, summaries, packet and connection JSON, conns table (en, zh)',
    run(input, c) {
      runEngine(c, readCapture(input, c).records);
    },
  },
  {
    name: 'flow',
    input: 'capture',
    what: 'flow graph of the engine results: text (3 time modes), SVG, problems-only view',
    run(input, c) {
      const { flow } = runEngine(c, readCapture(input, c).records);
      checkFlow(c, buildFlowGraph(flow));
      checkFlow(c, buildFlowGraph(flow, { absolute: true }));
    },
  },
  {
    name: 'index',
    input: 'capture',
    gzip: true,
    what: "the capture editor's CaptureIndex on a file: rows, details, lines, filters, connections",
    run: runIndex,
  },
  {
    name: 'text',
    input: 'text',
    what: 'parseTcpdumpText: lines, spans, segments, frames synthesised back and printed',
    run: runText,
  },
  {
    name: 'log',
    input: 'text',
    what: 'log model: CodeLens, hovers, packet/conn JSON, outline, folding, conns table, flow graph',
    run: runLog,
  },
];

export function targetByName(name: string): Target | undefined {
  return TARGETS.find((t) => t.name === name);
}
