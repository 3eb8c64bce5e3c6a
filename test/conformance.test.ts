/**
 * Conformance with tcpdump: runs our printer over every test of tcpdump's own suite
 * (../shared/corpus/tcpdump, MANIFEST.tsv) whose options we support, the way its harness runs
 * tcpdump (`TZ=GMT0 tcpdump -# -n -r CAPTURE -tttt OPTIONS`), and compares for every TCP packet:
 *  - the line holding "Flags [" (or "tcp N" under -q) up to and including its first "length N",
 *  - the -v IPv4 line above it,
 *  - the hex-dump lines.
 * Application-layer text after "length N" is compared separately, as whole packets, for the protocols
 * of the application port tables (src/core/print/app: DNS, HTTP, …): a packet to or from such a port
 * whose expected line goes on after "length N". Prints the pass rate per test and in total; asserts
 * at least 98 % of TCP packets identical, and every application packet identical. Set CONFORMANCE_DIFFS=1 to see every
 * difference.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, corpusPath, needCorpus, readAll, readManifest } from './helpers/corpus';
import { parsePrintArgs } from '../src/cli';
import { PacketPrinter } from '../src/core/print/packet';
import { comparable, splitPackets } from './helpers/tcpdumpText';
import { TCP_APP_PRINTERS } from '../src/core/print/app/index';

const showDiffs = !!process.env.CONFORMANCE_DIFFS;

interface TestResult {
  name: string;
  tcp: number;
  same: number;
}

/** Application packets compared per protocol (by the TCP port table's printer). */
const appCounts = new Map<string, { total: number; same: number; diffs: string[] }>();
const APP_NAMES = new Map<number, string>([[53, 'DNS over TCP'], [80, 'HTTP over TCP'], [8080, 'HTTP over TCP'], [22, 'SSH'], [23, 'telnet'], [25, 'SMTP']]);

/** The application protocol of an expected packet (ports of its "Flags [" line), or '' when none / no app text. */
function appOf(lines: string[]): string {
  for (const line of lines) {
    const f = line.indexOf(': Flags [');
    if (f < 0 || line.startsWith('\t')) continue;
    // a reset's data is the TCP printer's ("[RST …]"), not an application's
    if (line.startsWith(': Flags [R', f)) return '';
    const lm = /, length \d+/g;
    lm.lastIndex = f;
    const m = lm.exec(line);
    if (!m || m.index + m[0].length === line.length) return '';
    const ports = /\.(\d{1,5}) > [0-9a-f.:]{1,60}\.(\d{1,5}): Flags \[/.exec(line);
    if (!ports) return '';
    const sport = Number(ports[1]);
    const dport = Number(ports[2]);
    if (!TCP_APP_PRINTERS.has(sport) && !TCP_APP_PRINTERS.has(dport)) return '';
    return APP_NAMES.get(dport) ?? APP_NAMES.get(sport) ?? 'port ' + (TCP_APP_PRINTERS.has(dport) ? dport : sport);
  }
  return '';
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
        if (!exp.isTcp) {
          // DNS over UDP (port 53/5353, not TCP): compared whole
          if (!opts.quiet && lines[0] && /\.(?:53|5353)(?: >|:) /.test(lines[0]) && !lines[0].includes('Flags [')) {
            const c = appCounts.get('DNS over UDP') ?? { total: 0, same: 0, diffs: [] };
            appCounts.set('DNS over UDP', c);
            c.total++;
            if ((ours.get(no) ?? []).join('\n') === lines.join('\n')) c.same++;
            else c.diffs.push(`${name} #${no}`);
          }
          continue;
        }
        const app = opts.quiet ? '' : appOf(lines);
        if (app !== '') {
          const c = appCounts.get(app) ?? { total: 0, same: 0, diffs: [] };
          appCounts.set(app, c);
          c.total++;
          const mine = (ours.get(no) ?? []).join('\n');
          if (mine === lines.join('\n')) c.same++;
          else c.diffs.push(`${name} #${no}`);
        }
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
    for (const [app, c] of appCounts) console.log(`    ${app}: ${c.same}/${c.total} packets identical, application text included${c.diffs.length ? ' (differ: ' + c.diffs.join(', ') + ')' : ''}`);
  });

  it('prints every application packet (DNS over UDP and TCP, HTTP) exactly as tcpdump, application text included', function () {
    const bad = [...appCounts].flatMap(([app, c]) => c.diffs.map((d) => app + ': ' + d));
    assert.ok([...appCounts.values()].reduce((a, c) => a + c.total, 0) > 0, 'no application packets found in the corpus');
    assert.deepEqual(bad, []);
  });

  it('≥ 98 % of TCP packets print identically', function () {
    // runs after the per-test cases above (mocha keeps declaration order)
    const tcp = results.reduce((a, r) => a + r.tcp, 0);
    const same = results.reduce((a, r) => a + r.same, 0);
    assert.ok(tcp >= 900, `expected at least 900 TCP packets in the corpus, saw ${tcp}`);
    assert.ok(same / tcp >= 0.98, `only ${same}/${tcp} TCP packets identical`);
  });
});
