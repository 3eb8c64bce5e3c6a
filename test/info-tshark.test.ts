/**
 * The capture editor's Wireshark Info wording (PacketRow.wsInfo: src/core/print/wiresharkInfo.ts,
 * wiresharkOther.ts, src/worker/wsNumbers.ts) against the installed tshark's `_ws.col.Info`, row by row,
 * on every TCP, UDP, ARP, ICMP or ICMPv6 packet of the demo samples and of the shared corpus's TCP
 * captures (those with a .tshark.tsv). The samples must agree on every row; corpus differences are listed with a reason in
 * test/info-tshark-differences.tsv, and an entry that no longer matches a difference fails too.
 * Kinds: `app` — tshark shows the summary of an application protocol we do not decode (or find only by
 * heuristics) and we show the transport's text; `suffix` — tshark's text is ours followed by the
 * `tshark` column (reassembly notes and the like); `exact` — both texts given; `request-in` — an echo
 * reply whose request tshark names ("(request in N)", from its tracking over the whole capture).
 * Skips with a printed reason without tshark or the corpus.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import type { PacketRow } from '../src/worker/api';
import { CORPUS, needCorpus } from './helpers/corpus';
import { samplesDir } from './helpers/generated';
import { needTool } from './helpers/tools';

/** Rows of a capture, a page at a time as the editor asks for them. */
async function rowsOf(file: string): Promise<PacketRow[]> {
  const idx = new CaptureIndex(fileInput(file));
  await idx.start();
  const out: PacketRow[] = [];
  try {
    for (let s = 0; s < idx.count; s += 256) out.push(...(await idx.rows(s, 256)));
  } finally {
    await idx.close();
  }
  return out;
}

/** tshark's Info by frame number. */
function tsharkInfo(file: string): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const p = spawn('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => {
      const m = new Map<number, string>();
      for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
        const tab = line.indexOf('\t');
        if (tab > 0) m.set(Number(line.slice(0, tab)), line.slice(tab + 1));
      }
      resolve(m);
    });
  });
}

interface Diff {
  capture: string;
  frame: number;
  ours: string;
  tshark: string;
}

/** Rows whose Wireshark wording is ours (others keep tcpdump's text). */
const WORDED = new Set(['TCP', 'UDP', 'ARP', 'ICMP', 'ICMPv6']);

/** The TCP/UDP/ARP/ICMP/ICMPv6 rows whose Wireshark Info differs from tshark's, and how many were compared. */
async function compare(file: string, name: string): Promise<{ compared: number; diffs: Diff[] }> {
  const [rows, theirs] = await Promise.all([rowsOf(file), tsharkInfo(file)]);
  let compared = 0;
  const diffs: Diff[] = [];
  for (const r of rows) {
    if (!WORDED.has(r.proto)) continue;
    const t = theirs.get(r.index + 1);
    if (t === undefined) continue;
    compared++;
    const ours = r.wsInfo ?? r.info;
    if (ours !== t) diffs.push({ capture: name, frame: r.index + 1, ours, tshark: t });
  }
  return { compared, diffs };
}

interface Listed {
  capture: string;
  frames: '*' | Set<number>;
  kind: 'app' | 'suffix' | 'exact' | 'reassembly' | 'tcp' | 'prefix' | 'request-in';
  ours: string;
  tshark: string;
  used: boolean;
}

function readListed(): Listed[] {
  const text = fs.readFileSync(path.resolve(__dirname, '..', '..', 'test', 'info-tshark-differences.tsv'), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [capture, frames, kind, ours, tshark] = l.split('\t');
      return { capture, frames: frames === '*' ? '*' : new Set(frames.split(',').map(Number)), kind: kind as Listed['kind'], ours, tshark, used: false };
    });
}

const MARKERS = /^(\[TCP [^\]]*\] )+/;
const PORTS = /^\d+ \u2192 \d+ /;

function explains(e: Listed, d: Diff): boolean {
  if (e.capture !== d.capture || (e.frames !== '*' && !e.frames.has(d.frame))) return false;
  switch (e.kind) {
    case 'app':
      return PORTS.test(d.ours.replace(MARKERS, '')) && !PORTS.test(d.tshark.replace(MARKERS, ''));
    case 'suffix':
      return d.tshark === d.ours + e.tshark;
    case 'exact':
      return d.ours === e.ours && d.tshark === e.tshark;
    case 'tcp':
      // tshark shows TCP's text where we show the application summary (a retransmission tshark does not dissect)
      return !PORTS.test(d.ours.replace(MARKERS, '')) && PORTS.test(d.tshark.replace(MARKERS, ''));
    case 'prefix':
      // tshark's text stops short of ours (a name its dissector has not)
      return d.tshark.length > 0 && d.ours.startsWith(d.tshark);
    case 'request-in':
      return d.tshark.startsWith(d.ours + ' (request in ') && /^ \(request in \d+\)$/.test(d.tshark.slice(d.ours.length));
    case 'reassembly':
      // tshark shows a segment before the end of an application PDU as TCP (its reassembly); we show the application summary
      return !PORTS.test(d.ours.replace(MARKERS, '')) && d.tshark.endsWith('[TCP segment of a reassembled PDU]');
  }
}

describe('Wireshark Info wording against tshark', function () {
  this.timeout(300_000);

  it('equals tshark on every TCP/UDP/ARP/ICMP/ICMPv6 row of the demo samples', async function () {
    needTool(this, 'tshark');
    const dir = samplesDir();
    let compared = 0;
    const diffs: Diff[] = [];
    for (const f of fs.readdirSync(dir).filter((n) => /\.pcap(ng)?$/.test(n))) {
      const r = await compare(path.join(dir, f), f);
      compared += r.compared;
      diffs.push(...r.diffs);
    }
    assert.deepEqual(diffs, []);
    assert.ok(compared >= 250, `only ${compared} rows compared`);
  });

  it('equals tshark on the corpus TCP captures but for the differences listed in test/info-tshark-differences.tsv', async function () {
    needTool(this, 'tshark');
    needCorpus(this);
    const files: string[] = [];
    for (const sub of ['tcpdump', 'other', 'wireshark']) {
      const dir = path.join(CORPUS!, sub);
      if (!fs.existsSync(dir)) continue;
      for (const n of fs.readdirSync(dir).sort()) if (n.endsWith('.tshark.tsv')) files.push(sub + '/' + n.slice(0, -'.tshark.tsv'.length));
    }
    const listed = readListed();
    let compared = 0;
    const unexplained: Diff[] = [];
    let differing = 0;
    // two tshark processes at a time (the machine is shared; tshark's start-up dominates)
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const rel = files[next++];
        const r = await compare(path.join(CORPUS!, rel), rel);
        compared += r.compared;
        differing += r.diffs.length;
        for (const d of r.diffs) {
          const hit = listed.filter((e) => explains(e, d));
          for (const e of hit) e.used = true;
          if (hit.length === 0) unexplained.push(d);
        }
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(`      ${compared} TCP/UDP/ARP/ICMP/ICMPv6 rows of ${files.length} captures compared, ${compared - differing} equal to tshark, ${differing} listed differences`);
    assert.deepEqual(unexplained, [], 'rows that differ from tshark but are not explained by test/info-tshark-differences.tsv');
    const stale = listed.filter((e) => !e.used).map((e) => `${e.capture} ${e.frames === '*' ? '*' : [...e.frames].join(',')} ${e.kind}`);
    assert.deepEqual(stale, [], 'entries of test/info-tshark-differences.tsv that explain no difference any more');
    assert.ok(compared >= 1000, `only ${compared} rows compared`);
  });
});
