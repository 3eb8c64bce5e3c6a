/** Small generated captures shared by tests (written once per test run into a temp folder). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conversations } from '../../src/core/synth/conversations';
import { pcapHeader, pcapRecord } from '../../src/core/synth/writers';
import { writeSamples } from '../../src/node/samples';

let cache: { pcap: string } | undefined;

/** 40 interleaved conversations, 2,000 packets, on ports tcpdump has no decoder for. */
export function generated(): { pcap: string } {
  if (cache) return cache;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-gen-'));
  const parts: Uint8Array[] = [pcapHeader(1, false)];
  for (const p of conversations({ connections: 40, packets: 2000, concurrency: 8, seed: 3, segmentSize: 100, serverPorts: [8888, 9000, 9443, 10000] })) {
    parts.push(pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame));
  }
  const pcap = path.join(dir, 'conversations.pcap');
  fs.writeFileSync(pcap, Buffer.concat(parts));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  cache = { pcap };
  return cache;
}

let samplesCache: string | undefined;

/** The demo samples (src/node/samples.ts), written once per test run into a temp folder. */
export function samplesDir(): string {
  if (samplesCache) return samplesCache;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-samples-'));
  writeSamples(dir);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  samplesCache = dir;
  return dir;
}
