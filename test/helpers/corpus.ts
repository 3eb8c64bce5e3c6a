/**
 * Access to the shared corpus (../shared/corpus next to the repository), read in place.
 * Tests that need it skip with a printed reason when it is absent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureError, CaptureInfo, CaptureRecord } from '../../src/core/capture/types';
import { readCaptureFile } from '../../src/node/captureFile';

function findCorpus(): string | undefined {
  const candidates = [
    process.env.CAPTURE_LENS_CORPUS,
    path.resolve(process.cwd(), '..', 'shared', 'corpus'),
    path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus'),
  ];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'README.md'))) return c;
  return undefined;
}

export const CORPUS = findCorpus();

export function corpusPath(...parts: string[]): string {
  if (!CORPUS) throw new Error('corpus not found');
  return path.join(CORPUS, ...parts);
}

/** Rows of a MANIFEST.tsv as objects keyed by the header's column names. */
export function readManifest(rel: string): Record<string, string>[] {
  const text = fs.readFileSync(corpusPath(rel), 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    return row;
  });
}

export interface ReadAll {
  records: CaptureRecord[];
  info: CaptureInfo | null;
  error: CaptureError | null;
}

/** Read every record of a capture, copying each frame (records are views valid only in the callback). */
export async function readAll(file: string): Promise<ReadAll> {
  const records: CaptureRecord[] = [];
  const reading = readCaptureFile(file, {
    onRecord(rec) {
      records.push({ ...rec, data: rec.data.slice() });
    },
  });
  const summary = await reading.done;
  return { records, info: summary.info, error: summary.error };
}
