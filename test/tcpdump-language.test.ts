/**
 * The tcpdump language contribution in package.json: its firstLine pattern (VS Code tests it, as a
 * JavaScript RegExp, on the first line of files whose extension says nothing) and the files it names.
 * Token scopes are tested by `npm run test:grammar` (test/grammar/*.test.tcpdump).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { needCorpus } from './helpers/corpus';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

interface LanguageContribution { id: string; aliases?: string[]; extensions?: string[]; firstLine?: string; configuration?: string }
interface GrammarContribution { language: string; scopeName: string; path: string }

describe('tcpdump language contribution', () => {
  const lang: LanguageContribution = pkg.contributes.languages.find((l: LanguageContribution) => l.id === 'tcpdump');
  const grammar: GrammarContribution = pkg.contributes.grammars.find((g: GrammarContribution) => g.language === 'tcpdump');
  const firstLine = new RegExp(lang.firstLine ?? '(?!)');

  it('declares the language, its grammar and its activation', () => {
    assert.deepEqual(lang.aliases, ['tcpdump', 'tcpdump output']);
    assert.deepEqual(lang.extensions, ['.tcpdump']);
    assert.equal(grammar.scopeName, 'source.tcpdump');
    assert.ok(pkg.activationEvents.includes('onLanguage:tcpdump'));
    const g = JSON.parse(fs.readFileSync(path.join(ROOT, grammar.path), 'utf8'));
    assert.equal(g.scopeName, grammar.scopeName);
    const conf = JSON.parse(fs.readFileSync(path.join(ROOT, lang.configuration!), 'utf8'));
    assert.deepEqual(conf.brackets, [['[', ']'], ['(', ')']]);
  });

  it('ships the grammar and the language configuration (.vscodeignore keeps syntaxes/)', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const file of [grammar.path, lang.configuration!]) {
      const dir = path.posix.normalize(file).split('/')[0];
      assert.ok(ignore.includes(`!${dir}/**`) || ignore.includes(`!${path.posix.normalize(file)}`), `${file} would not be packaged`);
    }
  });

  const firstLines = [
    'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
    'tcpdump: verbose output suppressed, use -v or -vv for full protocol decode',
    'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
    'reading from file handshake.pcap, link-type EN10MB (Ethernet), snapshot length 65535',
    '17:23:09.889821 IP 192.168.1.63.53198 > 192.168.1.64.ssh: Flags [S], seq 481914174, win 29200, length 0',
    '17:23:09.889821123 IP6 ::1.443 > ::1.55000: Flags [.], ack 1, win 512, length 0',
    'IP 131.155.215.69.46656 > 137.116.81.94.80: tcp 0',
    '1418145369.924505 IP 131.155.215.69.46656 > 137.116.81.94.80: tcp 0',
    ' 00:00:00.000000 IP 131.155.215.69.46656 > 137.116.81.94.80: tcp 0',
    '2014-12-09 17:16:09.924505 IP 131.155.215.69.46656 > 137.116.81.94.80: tcp 0',
    '    1  17:16:09.924505 IP 131.155.215.69.46656 > 137.116.81.94.80: tcp 0',
    '    1  IP 131.155.215.69.46656 > 137.116.81.94.80: tcp 0',
    '    1  2013-02-25 15:40:42.767916 ARP, Request who-has 10.2.1.2 tell 10.2.1.1, length 28',
    '17:38:17.816221 52:54:00:12:34:56 > fe:ee:ff:ff:ff:ff, ethertype IPv4 (0x0800), length 74: 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 2, length 0',
    '2013-02-26 22:03:19.190965 IP (tos 0x20, ttl 243, id 8243, offset 0, flags [DF], proto TCP (6), length 98)',
  ];
  for (const line of firstLines) {
    it(`recognises ${JSON.stringify(line.slice(0, 60))}`, () => assert.match(line, firstLine));
  }

  for (const line of ['', 'hello world', '# Notes on TCP', '{ "a": 1 }', 'time,src,dst', '12:00 lunch', '2024-01-01 meeting', '1. IP addresses > names']) {
    it(`does not claim ${JSON.stringify(line)}`, () => assert.doesNotMatch(line, firstLine));
  }

  it('recognises the first line of every tcpdump output in the corpus', function () {
    const dir = path.join(needCorpus(this), 'tcpdump');
    const outs = fs.readdirSync(dir).filter((f) => f.endsWith('.out'));
    assert.ok(outs.length > 0);
    const missed = outs.filter((f) => !firstLine.test(fs.readFileSync(path.join(dir, f), 'latin1').split('\n')[0]));
    assert.deepEqual(missed, []);
  });
});
