/**
 * Following a capture that is being written, in tests (test/follow-ring.test.ts, the ring limit;
 * test/follow-file-ring.test.ts, the ring of files): the records a test writer appends, the wait for
 * the index's progress to reach a state, and a fresh folder for each test's files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { conversations } from '../../src/core/synth/conversations';
import { pcapRecord } from '../../src/core/synth/writers';
import type { IndexProgress } from '../../src/worker/api';

/** `n` pcap records of generated conversations (about 100 packets each, 120-byte segments: many records a file). */
export function pcapRecords(n: number, seed: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of conversations({ connections: Math.ceil(n / 100), packets: n, seed, segmentSize: 120 })) {
    out.push(pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame));
    if (out.length === n) break;
  }
  return out;
}

/** Resolves once `ok` holds for the latest progress report (checked every 10 ms, 20 s at most). */
export function untilLatest(reports: IndexProgress[], ok: (p: IndexProgress) => boolean, what: string): Promise<IndexProgress> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 20000;
    const check = () => {
      const p = reports.at(-1);
      if (p && ok(p)) resolve(p);
      else if (Date.now() > deadline) reject(new Error(`no progress report with ${what}; last: ${JSON.stringify(p)}`));
      else setTimeout(check, 10);
    };
    check();
  });
}

/** A new temporary folder for each test of the calling `describe` (removed after it); the getter gives the current one. */
export function tempDirEach(prefix: string): () => string {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
