/**
 * Follow TCP Stream against tshark 4.0.17 over the shared corpus: `tshark -q -z follow,tcp,raw,N`
 * for every stream with TCP payload of every capture (tcpdump/, wireshark/, other/, pcapng/), byte
 * for byte. Streams that still differ are listed with a reason in test/follow-differences.tsv; the
 * test checks the list is exactly what differs. Skips (with the reason) without tshark or the corpus.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, needCorpus } from './helpers/corpus';
import { needTool } from './helpers/tools';
import { captureFiles, followAll, ourTshark, tsharkFollowBlocks, tsharkPayloadStreams } from './helpers/follow';
import type { TsharkMode } from '../src/core/follow/render';

const DIFF_FILE = [path.resolve(process.cwd(), 'test', 'follow-differences.tsv'), path.resolve(__dirname, '..', '..', 'test', 'follow-differences.tsv')].find((p) => fs.existsSync(p)) ?? path.resolve(process.cwd(), 'test', 'follow-differences.tsv');

function listedDifferences(): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(DIFF_FILE)) return out;
  const lines = fs.readFileSync(DIFF_FILE, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  for (const l of lines.slice(1)) {
    const [capture, stream, mode, reason] = l.split('\t');
    out.set(capture + '\t' + stream + '\t' + mode, reason ?? '');
  }
  return out;
}

const MODES: TsharkMode[] = ['raw', 'hex', 'ascii'];

describe('Follow TCP Stream: --raw (and --hex, --ascii) equal tshark 4.0.17 on every corpus stream', function () {
  this.timeout(300000);

  it('every stream with TCP payload; differences listed in test/follow-differences.tsv', async function () {
    needCorpus(this);
    needTool(this, 'tshark');
    const listed = listedDifferences();
    const found = new Map<string, string>();
    let compared = 0;
    // ours in-process first, then tshark four at a time: a tshark start (~0.3 s of CPU, seconds of wall time on a
    // busy machine) per capture is most of this test's time
    const jobs: { rel: string; streams: number[]; ours: Map<string, string> }[] = [];
    for (const dir of ['tcpdump', 'wireshark', 'other', 'pcapng']) {
      for (const file of captureFiles(path.join(CORPUS!, dir))) {
        const f = await followAll(file);
        if (f.streamCount === 0) continue;
        // tshark runs only for the streams with payload, ours or (from the corpus's reference) tshark's
        const ref = tsharkPayloadStreams(file);
        const streams = Array.from({ length: f.streamCount }, (_, i) => i).filter((n) => !ref || ref.has(n) || (f.follow.stream(n)?.delivered.some((b) => b > 0) ?? false));
        if (streams.length === 0) continue;
        const ours = new Map<string, string>();
        for (const n of streams) for (const mode of MODES) ours.set(mode + ' ' + n, ourTshark(f, n, mode));
        jobs.push({ rel: path.relative(CORPUS!, file), streams, ours });
      }
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const theirs = await tsharkFollowBlocks(path.join(CORPUS!, job.rel), MODES, job.streams);
        for (const n of job.streams) {
          for (const mode of MODES) {
            const t = theirs.get(mode + ' ' + n) ?? '';
            const ours = job.ours.get(mode + ' ' + n) ?? '';
            // only streams with payload on either side (a header-only block has 7 lines)
            const payload = (s: string): boolean => s.split('\n').length > 8;
            if (!payload(t) && !payload(ours)) continue;
            if (mode === 'raw') compared++;
            if (t !== ours) found.set(job.rel + '\t' + n + '\t' + mode, process.env.FOLLOW_DIFF ? `ours:\n${ours.slice(0, 3000)}\ntshark:\n${t.slice(0, 3000)}` : '');
          }
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    console.log(`      ${compared} streams with payload compared, ${found.size} differ (listed: ${listed.size})`);
    const unlisted = [...found.keys()].filter((k) => !listed.has(k));
    const stale = [...listed.keys()].filter((k) => !found.has(k));
    if (process.env.FOLLOW_DIFF) for (const k of unlisted) console.log(k, found.get(k));
    assert.deepEqual(unlisted, [], 'streams that differ from tshark but are not in test/follow-differences.tsv');
    assert.deepEqual(stale, [], 'streams listed in test/follow-differences.tsv that no longer differ');
    assert.ok(compared >= 50, `only ${compared} streams compared`);
  });
});
