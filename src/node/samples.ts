/**
 * Writes samples/ with our own generators (src/core/synth/sampleFiles.ts; nothing copied from
 * elsewhere). Text is printed in UTC (the TZ of the process is set for the duration and put back).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleCount, sampleFiles, type SampleFile } from '../core/synth/sampleFiles';

/** The sample files, their text printed in UTC. */
export function utcSampleFiles(): SampleFile[] {
  const savedTz = process.env.TZ;
  process.env.TZ = 'UTC';
  try {
    return sampleFiles();
  } finally {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  }
}

/** Write the samples into `dir`; returns a one-line summary. */
export function writeSamples(DIR: string): string {
  fs.mkdirSync(DIR, { recursive: true });
  for (const f of utcSampleFiles()) fs.writeFileSync(path.join(DIR, f.name), f.data);
  const n = sampleCount();
  return `wrote ${n} captures, ${n + 1} tcpdump logs and a pcapng to ${path.relative(process.cwd(), DIR) || DIR}/`;
}
