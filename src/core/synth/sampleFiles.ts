/**
 * The demo samples (issue 17: shared by the CLI's `npm run samples`, src/node/samples.ts, and the
 * walkthrough in both extension hosts): one capture per story in ./scenarios.ts (classic pcap),
 * the same conversations as tcpdump text, a pcapng holding them all on two interfaces, and a log
 * printed with -v. Text times are printed in the runtime's time zone: the Node writer sets UTC.
 */
import type { CaptureRecord } from '../capture/types';
import { PacketPrinter } from '../print/packet';
import { defaultPrintOptions, type PrintOptions } from '../print/options';
import { scenarios, type TimedFrame } from './scenarios';
import { concatBytes, pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from './writers';

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

export interface SampleFile {
  name: string;
  data: Uint8Array | string;
}

/** Every sample file, by name. */
export function sampleFiles(): SampleFile[] {
  const out: SampleFile[] = [];
  const all = scenarios();
  const ng: Uint8Array[] = [pcapngSHB(), pcapngIDB(1, 262144, 6, 'eth0'), pcapngIDB(1, 262144, 9, 'eth1')];
  let start = 0;
  for (const [k, sc] of all.entries()) {
    const recs = records(sc.frames, start);
    out.push({ name: `${sc.name}.pcap`, data: concatBytes([pcapHeader(), ...recs.map((r) => pcapRecord(r.tsSec, r.tsNsec / 1000, r.data))]) });
    out.push({ name: `${sc.name}.tcpdump`, data: text(recs) });
    // the pcapng: odd scenarios on eth1 (nanosecond clock), even ones on eth0 (µs)
    const iface = k % 2;
    for (const r of recs) ng.push(pcapngEPB(iface, iface === 0 ? BigInt(r.tsSec) * 1_000_000n + BigInt(r.tsNsec / 1000) : BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNsec), r.data, r.data.length, k === 0 && r.index === 0 ? sc.title : undefined));
    start += 10_000_000;
    if (k === 0) out.push({ name: `${sc.name}-verbose.tcpdump`, data: text(recs, { verbose: 1, number: true }) });
  }
  out.push({ name: 'all-two-interfaces.pcapng', data: concatBytes(ng) });
  const index = ['# Capture Lens samples', '', 'Made by `npm run samples` with our own generators. Each capture has its tcpdump text beside it.', '', ...all.map((s) => `- \`${s.name}.pcap\` / \`${s.name}.tcpdump\` — ${s.title}`), '- `all-two-interfaces.pcapng` — every conversation above in one pcapng, on two interfaces (µs and ns clocks)', '- `handshake-data-teardown-verbose.tcpdump` — the first conversation printed with `-v -#`', ''];
  out.push({ name: 'README.md', data: index.join('\n') });
  return out;
}

/** The number of scenarios (the CLI's summary line). */
export function sampleCount(): number {
  return scenarios().length;
}
