/**
 * Writes samples/ with our own generators (nothing copied from elsewhere): one capture per story
 * in src/core/synth/scenarios.ts (classic pcap), the same conversations as tcpdump text
 * (`.tcpdump`, printed by our printer exactly as `tcpdump -nn -r` would), a pcapng holding them
 * all on two interfaces, and a log printed with -v.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureRecord } from '../core/capture/types';
import { PacketPrinter } from '../core/print/packet';
import { defaultPrintOptions, type PrintOptions } from '../core/print/options';
import { scenarios, type TimedFrame } from '../core/synth/scenarios';
import { pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from '../core/synth/writers';

/** 2025-11-21 08:00:00 UTC: the samples' clock. */
const T0 = 1_763_712_000;

function records(frames: TimedFrame[], startUs: number): CaptureRecord[] {
  return frames.map((f, index) => {
    const us = startUs + f.us;
    return { index, data: f.frame, origLen: f.frame.length, tsSec: T0 + Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000, tsPrecision: 6, linkType: 1, interfaceId: 0, fileOffset: 0, fileLength: 0, blockType: 'pcap' };
  });
}

function text(recs: CaptureRecord[], opts: Partial<PrintOptions> = {}): string {
  const printer = new PacketPrinter({ ...defaultPrintOptions(), ...opts });
  return recs.map((r) => printer.print(r)).join('');
}

/**
 * Write the samples into `dir`; returns a one-line summary. Text is printed in UTC (the TZ of the
 * process is set for the duration and put back).
 */
export function writeSamples(DIR: string): string {
  const savedTz = process.env.TZ;
  process.env.TZ = 'UTC';
  fs.mkdirSync(DIR, { recursive: true });
  const all = scenarios();
  const ng: Uint8Array[] = [pcapngSHB(), pcapngIDB(1, 262144, 6, 'eth0'), pcapngIDB(1, 262144, 9, 'eth1')];
  let start = 0;
  for (const [k, sc] of all.entries()) {
    const recs = records(sc.frames, start);
    const pcap = [pcapHeader(), ...recs.map((r) => pcapRecord(r.tsSec, r.tsNsec / 1000, r.data))];
    fs.writeFileSync(path.join(DIR, `${sc.name}.pcap`), Buffer.concat(pcap));
    fs.writeFileSync(path.join(DIR, `${sc.name}.tcpdump`), text(recs));
    // the pcapng: odd scenarios on eth1 (nanosecond clock), even ones on eth0 (µs)
    const iface = k % 2;
    for (const r of recs) ng.push(pcapngEPB(iface, iface === 0 ? BigInt(r.tsSec) * 1_000_000n + BigInt(r.tsNsec / 1000) : BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNsec), r.data, r.data.length, k === 0 && r.index === 0 ? sc.title : undefined));
    start += 10_000_000;
    if (k === 0) fs.writeFileSync(path.join(DIR, `${sc.name}-verbose.tcpdump`), text(recs, { verbose: 1, number: true }));
  }
  fs.writeFileSync(path.join(DIR, 'all-two-interfaces.pcapng'), Buffer.concat(ng));
  const index = ['# Capture Lens samples', '', 'Made by `npm run samples` with our own generators. Each capture has its tcpdump text beside it.', '', ...all.map((s) => `- \`${s.name}.pcap\` / \`${s.name}.tcpdump\` — ${s.title}`), '- `all-two-interfaces.pcapng` — every conversation above in one pcapng, on two interfaces (µs and ns clocks)', '- `handshake-data-teardown-verbose.tcpdump` — the first conversation printed with `-v -#`', ''];
  fs.writeFileSync(path.join(DIR, 'README.md'), index.join('\n'));
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
  return `wrote ${all.length} captures, ${all.length + 1} tcpdump logs and a pcapng to ${path.relative(process.cwd(), DIR) || DIR}/`;
}
