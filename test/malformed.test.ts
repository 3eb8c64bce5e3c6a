/**
 * The malformed and truncated captures of tcpdump's suite (notes say "malformed" or
 * "truncated"): nothing escapes as an exception, nothing hangs (several are infinite-loop
 * regressions: a 2 s guard each), and every packet tcpdump shows is shown by us too.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CORPUS, corpusPath, needCorpus, readAll, readManifest } from './helpers/corpus';
import { PacketPrinter } from '../src/core/print/packet';
import { defaultPrintOptions } from '../src/core/print/options';
import { splitPackets } from './helpers/tcpdumpText';

const rows = CORPUS ? readManifest('tcpdump/MANIFEST.tsv').filter((r) => /malformed|truncated/.test(r.notes)) : [];

describe('malformed and truncated captures', function () {
  before(function () {
    needCorpus(this);
  });

  it('the corpus has the 20 damaged cases the issue names', function () {
    assert.equal(rows.length, 20);
  });

  for (const row of rows) {
    it(`${row.test_name}: no exception, every packet tcpdump shows is shown`, async function () {
      this.timeout(2000); // a hang guard for the infinite-loop regressions, not a speed test
      const opts = { ...defaultPrintOptions(), number: true, verbose: 1, linkHeader: true, hex: 3 };
      const { records } = await readAll(corpusPath('tcpdump', row.capture_file));
      const printer = new PacketPrinter(opts);
      const text = records.map((r) => printer.print(r)).join('');
      const ours = splitPackets(text);
      const expected = splitPackets(fs.readFileSync(corpusPath('tcpdump', row.expected_output_file), 'utf8'));
      for (const no of expected.keys()) assert.ok(ours.has(no), `packet ${no} shown by tcpdump is missing`);
    });
  }
});
