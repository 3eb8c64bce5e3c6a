/**
 * Shared by the application-protocol tests (DNS, HTTP): write generated frames to a pcap, print it
 * with our printer and with the installed tcpdump, and compare our decoder's fields with tshark's on
 * corpus captures (those that carry the protocol: `carriesPorts`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readAll } from './corpus';
import { parsePrintArgs } from '../../src/cli';
import { PacketPrinter } from '../../src/core/print/packet';
import { pcapHeader, pcapRecord } from '../../src/core/synth/writers';
import { decodeFrame } from '../../src/core/decode/index';
import { DecodedPacket } from '../../src/core/decode/packet';
import { FieldNode, TreeSink } from '../../src/core/decode/fields';

/** Frames (optionally cut to `caplen`) → a pcap file in a fresh temp dir. */
export function writePcap(frames: { frame: Uint8Array; caplen?: number }[]): { file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-app-'));
  const parts: Uint8Array[] = [pcapHeader(1, false)];
  frames.forEach((f, i) => {
    const data = f.caplen !== undefined ? f.frame.slice(0, f.caplen) : f.frame;
    parts.push(pcapRecord(1700000000 + i, 0, data, f.frame.length));
  });
  const file = path.join(dir, 'app.pcap');
  fs.writeFileSync(file, Buffer.concat(parts));
  return { file, dir };
}

/** Our printer's lines and tcpdump's for the same file and options: [ours, theirs]. */
export async function printBoth(file: string, opts: string[]): Promise<[string[], string[]]> {
  const tcpdump = spawnSync('tcpdump', ['-n', '-r', file, ...opts], { encoding: 'utf8', env: { ...process.env, TZ: 'GMT0' }, maxBuffer: 1 << 26 });
  if (tcpdump.status !== 0) throw new Error(tcpdump.stderr);
  const { opts: po } = parsePrintArgs([file, ...opts]);
  const printer = new PacketPrinter(po);
  const { records } = await readAll(file);
  const ours = records.map((r) => printer.print(r)).join('');
  // tcpdump 4.99.3 prints "next-header UDP (17) payload length: 42" where HEAD (our target, as the
  // corpus's .out files) prints "next-header UDP (17), payload length 42": compare in HEAD's form
  const theirs = tcpdump.stdout.replace(/(next-header [^()\n]{1,40} \(\d+\)) payload length: (\d+)\)/g, '$1, payload length $2)');
  return [ours.split('\n'), theirs.split('\n')];
}

/** Every value of the named fields in a details tree, in tree order. */
export function fieldValues(root: FieldNode, names: ReadonlySet<string>, out = new Map<string, string[]>()): Map<string, string[]> {
  if (names.has(root.name) && root.value !== undefined && root.value !== null) {
    const list = out.get(root.name) ?? [];
    list.push(typeof root.value === 'boolean' ? (root.value ? '1' : '0') : String(root.value));
    out.set(root.name, list);
  }
  for (const c of root.children ?? []) fieldValues(c, names, out);
  return out;
}

/** Decode one frame with a details tree. */
export function tree(data: Uint8Array, origLen = data.length, linkType = 1): { pkt: DecodedPacket; root: FieldNode } {
  const sink = new TreeSink();
  const pkt = decodeFrame(new DecodedPacket(), data, origLen, linkType, sink);
  return { pkt, root: sink.root };
}

export interface FieldDiff {
  capture: string;
  frame: number;
  field: string;
  ours: string;
  tshark: string;
}

/**
 * Compare our decoder's fields with tshark's (`-T fields -E occurrence=a`, values joined by ',') on
 * the frames tshark's display filter selects. Returns the number of (frame, field) pairs compared and
 * the differences.
 */
export async function compareWithTshark(file: string, display: string, fields: string[], label: string): Promise<{ compared: number; diffs: FieldDiff[] }> {
  const ts = spawnSync('tshark', ['-n', '-r', file, '-Y', display, '-T', 'fields', '-E', 'occurrence=a', '-E', 'separator=\t', '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (ts.status !== 0) throw new Error(ts.stderr);
  const { records } = await readAll(file);
  const names = new Set(fields);
  const diffs: FieldDiff[] = [];
  let compared = 0;
  for (const line of ts.stdout.split('\n')) {
    if (!line) continue;
    const cols = line.split('\t');
    const no = Number(cols[0]);
    const rec = records[no - 1];
    if (!rec) continue;
    const { root } = tree(rec.data, rec.origLen, rec.linkType);
    const ours = fieldValues(root, names);
    fields.forEach((f, i) => {
      let theirs = cols[i + 1] ?? '';
      // tshark prints hex-displayed integers (dns.id, dns.flags) as 0x…: compare numbers
      if (/^0x[0-9a-f]{1,8}(,0x[0-9a-f]{1,8})*$/.test(theirs)) theirs = theirs.split(',').map((h) => String(parseInt(h, 16))).join(',');
      const mine = (ours.get(f) ?? []).join(',');
      if (theirs === '' && mine === '') return;
      compared++;
      if (theirs !== mine) diffs.push({ capture: label, frame: no, field: f, ours: mine, tshark: theirs });
    });
  }
  return { compared, diffs };
}

/** test/<name>.tsv rows (capture, frame, field → reason), header skipped. */
export function readDiffTsv(name: string): Map<string, string> {
  const file = path.join(__dirname, '..', '..', '..', 'test', name);
  const out = new Map<string, string>();
  if (!fs.existsSync(file)) return out;
  for (const l of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (!l.trim()) continue;
    const c = l.split('\t');
    out.set(c[0] + '#' + c[1] + ' ' + c[2], c[5] ?? '');
  }
  return out;
}

/**
 * Whether our decoder finds payload over one of `protos` (6 TCP, 17 UDP) to or from one of `ports` in
 * `file`: a cheap pass, so that only the captures of a protocol go to tshark.
 */
export async function carriesPorts(file: string, protos: number[], ports: number[]): Promise<boolean> {
  const { records } = await readAll(file);
  const pkt = new DecodedPacket();
  return records.some((r) => {
    decodeFrame(pkt, r.data, r.origLen, r.linkType);
    const l4 = pkt.l4;
    return protos.includes(l4.proto) && l4.payloadLen > 0 && ports.some((p) => l4.sport === p || l4.dport === p);
  });
}

/** Corpus captures (pcap/pcapng, not compressed copies), relative to the corpus root. */
export function corpusCaptures(corpus: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(corpus, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (/\.(pcap|pcapng|cap)(\.\d+)?$/.test(e.name)) out.push(r);
    }
  };
  walk('.');
  return out.sort();
}
