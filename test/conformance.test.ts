/**
 * Conformance with tcpdump: runs our printer over every test of tcpdump's own suite
 * (../shared/corpus/tcpdump, MANIFEST.tsv) whose options we support, the way its harness runs
 * tcpdump (`TZ=GMT0 tcpdump -# -n -r CAPTURE -tttt OPTIONS`), and compares for every TCP packet:
 *  - the line holding "Flags [" (or "tcp N" under -q) up to and including its first "length N",
 *  - the -v IPv4 line above it,
 *  - the hex-dump lines.
 * Application-layer text after "length N" is out of scope. Prints the pass rate per test and in
 * total; asserts at least 98 % of TCP packets identical. Set CONFORMANCE_DIFFS=1 to see every
 * difference.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, corpusPath, needCorpus, readAll, readManifest } from './helpers/corpus';
import { parsePrintArgs } from '../src/cli';
import { PacketPrinter } from '../src/core/print/packet';
import { comparable, splitPackets } from './helpers/tcpdumpText';

const showDiffs = !!process.env.CONFORMANCE_DIFFS;

interface TestResult {
  name: string;
  tcp: number;
  same: number;
}

const manifest = CORPUS ? readManifest('tcpdump/MANIFEST.tsv') : [];
const skipList = new Map<string, string>(
  fs
    .readFileSync(path.join(__dirname, '..', '..', 'test', 'conformance-skipped.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split('\t') as [string, string]),
);

/** Harness options for a test, or a reason to skip it. */
function harnessArgs(row: Record<string, string>): string[] | string {
  const raw = row.tcpdump_options.trim();
  const special = raw.includes('SPECIAL_t');
  const opts = raw.replace('SPECIAL_t', '').trim().split(/\s+/).filter(Boolean);
  const args = ['-#', '-n', corpusPath('tcpdump', row.capture_file), ...(special ? [] : ['-tttt']), ...opts];
  try {
    parsePrintArgs(args);
  } catch (err) {
    return (err as Error).message;
  }
  return args;
}

describe('tcpdump conformance (../shared/corpus/tcpdump)', function () {
  this.timeout(120000);
  const results: TestResult[] = [];
  const skippedHere = new Map<string, string>();

  before(function () {
    needCorpus(this);
    process.env.TZ = 'GMT0';
  });

  for (const row of manifest) {
    const name = row.test_name;
    const args = harnessArgs(row);
    if (typeof args === 'string' || skipList.has(name)) {
      skippedHere.set(name, typeof args === 'string' ? args : skipList.get(name)!);
      continue;
    }
    it(`${name} (${row.tcpdump_options || 'no options'})`, async function () {
      const { file, opts } = parsePrintArgs(args);
      const { records } = await readAll(file);
      const printer = new PacketPrinter(opts);
      const ours = splitPackets(records.map((r) => printer.print(r)).join(''));
      const expected = splitPackets(fs.readFileSync(corpusPath('tcpdump', row.expected_output_file), 'utf8'));
      const res: TestResult = { name, tcp: 0, same: 0 };
      for (const [no, lines] of expected) {
        const exp = comparable(lines, opts.quiet);
        if (!exp.isTcp) continue;
        res.tcp++;
        const got = comparable(ours.get(no) ?? [], opts.quiet);
        const same = got.parts.length === exp.parts.length && got.parts.every((p, i) => p === exp.parts[i]);
        if (same) res.same++;
        else if (showDiffs) {
          console.log(`      ${name} #${no}`);
          for (let i = 0; i < Math.max(got.parts.length, exp.parts.length); i++) {
            if (got.parts[i] !== exp.parts[i]) {
              console.log(`        - ${JSON.stringify(exp.parts[i])}`);
              console.log(`        + ${JSON.stringify(got.parts[i])}`);
            }
          }
        }
      }
      results.push(res);
      console.log(`      ${res.same}/${res.tcp} TCP packets identical`);
    });
  }

  it('lists every skipped test with its reason in test/conformance-skipped.tsv', function () {
    assert.deepEqual([...skippedHere.keys()].sort(), [...skipList.keys()].sort());
  });

  after(function () {
    if (!results.length) return;
    const tcp = results.reduce((a, r) => a + r.tcp, 0);
    const same = results.reduce((a, r) => a + r.same, 0);
    const pct = (100 * same) / tcp;
    console.log(`\n    tcpdump conformance: ${same}/${tcp} TCP packets identical (${pct.toFixed(2)} %) over ${results.length} tests; ${skippedHere.size} tests skipped`);
  });

  it('≥ 98 % of TCP packets print identically', function () {
    // runs after the per-test cases above (mocha keeps declaration order)
    const tcp = results.reduce((a, r) => a + r.tcp, 0);
    const same = results.reduce((a, r) => a + r.same, 0);
    assert.ok(tcp >= 900, `expected at least 900 TCP packets in the corpus, saw ${tcp}`);
    assert.ok(same / tcp >= 0.98, `only ${same}/${tcp} TCP packets identical`);
  });
});
