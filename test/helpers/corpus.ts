/**
 * The one locator of the shared corpus for every test (unit and e2e), read in place, never copied:
 * $CAPTURE_LENS_CORPUS when set, else ../shared/corpus beside the repository. Tests that need it
 * call needCorpus(this), which skips them with a printed reason when it is absent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureError, CaptureInfo, CaptureRecord } from '../../src/core/capture/types';
import { readCaptureFile } from '../../src/node/captureFile';
import { rethrown } from './reading';
import { skipBecause } from './skip';

/** The repository's root: this file runs as out/test/helpers/corpus.js. */
const REPO = path.resolve(__dirname, '..', '..', '..');
const BESIDE = path.resolve(REPO, '..', 'shared', 'corpus');

/** A folder is the corpus when it holds the corpus's README.md. */
function isCorpus(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'README.md'));
}

function findCorpus(): { dir?: string; missing: string } {
  const env = process.env.CAPTURE_LENS_CORPUS;
  if (env) {
    return isCorpus(env)
      ? { dir: path.resolve(env), missing: '' }
      : { missing: `CAPTURE_LENS_CORPUS=${env} is not the shared corpus (no README.md there)` };
  }
  if (isCorpus(BESIDE)) return { dir: BESIDE, missing: '' };
  return { missing: 'shared corpus not found at ../shared/corpus beside the repository (set CAPTURE_LENS_CORPUS=DIR to use another place)' };
}

const found = findCorpus();

/** The corpus folder, or undefined when absent. */
export const CORPUS = found.dir;

/** Why the corpus is absent ('' when present). */
export const CORPUS_MISSING = found.missing;

/** Skips the test (or, in a hook, the suite) with a printed reason when the corpus is absent. */
export function needCorpus(ctx: Mocha.Context): string {
  if (!CORPUS) skipBecause(ctx, CORPUS_MISSING);
  return CORPUS;
}

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
  const summary = rethrown(await reading.done);
  return { records, info: summary.info, error: summary.error };
}
