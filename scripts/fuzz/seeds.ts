/**
 * The fuzzer's seeds. Captures: every .pcap/.pcapng/.cap(.gz) of the shared corpus (found by the
 * tests' locator, test/helpers/corpus.ts, which honours CAPTURE_LENS_CORPUS; gzip files are
 * unpacked, and kept as they are for the index target, which reads files as the editor does) plus captures from our own generators, so a fresh clone without the corpus still
 * fuzzes. Text: the corpus's expected tcpdump outputs (*.out) plus logs our printer writes for the
 * generated captures with several option sets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import type { CaptureRecord } from '../../src/core/capture/types';
import { defaultPrintOptions, type PrintOptions } from '../../src/core/print/options';
import { PacketPrinter } from '../../src/core/print/packet';
import { conversations } from '../../src/core/synth/conversations';
import { pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from '../../src/core/synth/writers';
import { parseTcpdumpText, synthesizeFrame } from '../../src/core/text/index';
import { CORPUS } from '../../test/helpers/corpus';
import { generated, samplesDir } from '../../test/helpers/generated';
import type { Seeds } from './engine';

/** Seed files beyond this are left out (2 MiB: every corpus file is smaller; bigger ones only slow each input). */
const MAX_SEED = 2 << 20;

export interface SeedSet extends Seeds {
  /** Where they came from, for the summary. */
  origin: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const enc = new TextEncoder();

/** A pcap of the records, with the records' own link type (of the first). */
function pcapOf(recs: { data: Uint8Array; origLen: number; tsSec: number; tsNsec: number; linkType: number }[], nano = false): Uint8Array {
  const parts: Uint8Array[] = [pcapHeader(recs[0]?.linkType ?? 1, nano)];
  for (const r of recs) parts.push(pcapRecord(r.tsSec, nano ? r.tsNsec : Math.floor(r.tsNsec / 1000), r.data, r.origLen));
  return Buffer.concat(parts);
}

function printed(recs: CaptureRecord[], opts: Partial<PrintOptions>): Uint8Array {
  const pr = new PacketPrinter({ ...defaultPrintOptions(), ...opts });
  return enc.encode(recs.map((r) => pr.print(r)).join(''));
}

/** Seeds made by our own generators (no corpus needed): small, so each input runs fast. */
export function generatedSeeds(): Seeds {
  const capture: Uint8Array[] = [];
  const text: Uint8Array[] = [];
  // test/helpers/generated.ts: 40 interleaved conversations (the first 300 packets: the whole is 2,000)
  const big = new Uint8Array(fs.readFileSync(generated().pcap));
  let end = 24;
  for (let k = 0; k < 300 && end + 16 <= big.length; k++) end += 16 + new DataView(big.buffer, big.byteOffset).getUint32(end + 8, true);
  capture.push(big.subarray(0, Math.min(end, big.length)));
  // conversations with ns time stamps, and as pcapng on two interfaces with a comment
  const recs: CaptureRecord[] = [];
  for (const p of conversations({ connections: 6, packets: 120, concurrency: 3, seed: 11, segmentSize: 60 })) {
    recs.push({ index: recs.length, data: p.frame, origLen: p.frame.length, tsSec: p.tsSec, tsNsec: p.tsNsec, tsPrecision: 9, linkType: 1, interfaceId: 0, fileOffset: 0, fileLength: 0, blockType: 'pcap' });
  }
  capture.push(pcapOf(recs, true));
  const ng: Uint8Array[] = [pcapngSHB(), pcapngIDB(1, 262144, 6, 'eth0'), pcapngIDB(1, 65535, 9, 'eth1')];
  recs.forEach((r, i) => ng.push(pcapngEPB(i % 2, i % 2 ? BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNsec) : BigInt(r.tsSec) * 1_000_000n + BigInt(Math.floor(r.tsNsec / 1000)), r.data, r.data.length, i === 3 ? 'a comment' : undefined)));
  capture.push(Buffer.concat(ng));
  // logs printed from them with the option sets tcpdump users use most
  for (const o of [{}, { verbose: 1, number: true }, { linkHeader: true, timeFormat: 4 }, { hex: 1, absoluteSeq: true }, { quiet: true, timeFormat: 3 }, { nano: true, timeFormat: 2 }]) text.push(printed(recs.slice(0, 60), o));
  // the samples (scripts/samples.ts writes the same): one story per capture, its log, the two-interface pcapng
  const dir = samplesDir();
  for (const f of fs.readdirSync(dir).sort()) {
    const b = new Uint8Array(fs.readFileSync(path.join(dir, f)));
    if (f.endsWith('.pcap') || f.endsWith('.pcapng')) capture.push(b);
    else if (f.endsWith('.tcpdump')) text.push(b);
  }
  // src/core/text/synth.ts: frames rebuilt from the verbose sample log (IPv4 options, checksums as printed)
  const verbose = fs.readdirSync(dir).find((f) => f.endsWith('-verbose.tcpdump'));
  if (verbose) {
    const log = parseTcpdumpText(fs.readFileSync(path.join(dir, verbose), 'utf8'));
    const frames = log.packets.map(synthesizeFrame).filter((f): f is NonNullable<typeof f> => f !== null);
    if (frames.length) capture.push(pcapOf(frames));
  }
  return { capture, text, gzip: [capture[1], capture[2]].map((b) => new Uint8Array(zlib.gzipSync(b))) };
}

/** The corpus's captures and expected outputs (empty when there is no corpus). */
export function corpusSeeds(root: string): Seeds {
  const capture: Uint8Array[] = [];
  const text: Uint8Array[] = [];
  const gzip: Uint8Array[] = [];
  for (const f of walk(root).sort()) {
    const st = fs.statSync(f);
    if (st.size === 0 || st.size > MAX_SEED) continue;
    if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(f) || f.endsWith('.gz')) {
      let b = new Uint8Array(fs.readFileSync(f));
      if (b[0] === 0x1f && b[1] === 0x8b) {
        gzip.push(b);
        try {
          b = new Uint8Array(zlib.gunzipSync(b, { maxOutputLength: MAX_SEED }));
        } catch {
          continue;
        }
      }
      capture.push(b);
    } else if (f.endsWith('.out')) text.push(new Uint8Array(fs.readFileSync(f)));
  }
  return { capture, text, gzip };
}

export function loadSeeds(): SeedSet {
  const gen = generatedSeeds();
  if (!CORPUS) return { ...gen, origin: `generated only (no corpus: set CAPTURE_LENS_CORPUS or put it at ../shared/corpus)` };
  const c = corpusSeeds(CORPUS);
  return {
    capture: [...c.capture, ...gen.capture],
    text: [...c.text, ...gen.text],
    gzip: [...c.gzip, ...gen.gzip],
    origin: `corpus ${path.relative(process.cwd(), CORPUS) || CORPUS} (${c.capture.length} captures of which ${c.gzip.length} gzipped, ${c.text.length} tcpdump outputs) + generated (${gen.capture.length} captures, ${gen.text.length} logs)`,
  };
}
