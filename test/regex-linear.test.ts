/**
 * Every regular expression that sees packet or log text runs in time linear in its input (issue 11).
 *
 * A ratio, not a time: each case runs on a 10 K and a 100 K input of a pathological family (long runs
 * of what a pattern backtracks on) and fails when time(100 K) / time(10 K) is clearly super-linear
 * (> 30; linear is ~10, quadratic ~100). Times are the minimum of several runs, repeated on a bad
 * ratio, so a loaded machine does not fail it; a 1 K → 10 K ratio is checked first, so a quadratic
 * case fails in a second instead of running its 100 K input for minutes.
 *
 * - The grammar (syntaxes/tcpdump.tmLanguage.json): every match/begin/end pattern, with the engine
 *   VS Code and vscode-tmgrammar-test use (vscode-oniguruma; JS RegExp differs), searched along the
 *   line as the tokenizer does, and whole lines tokenized by vscode-textmate.
 * - Every regex literal in src/ (found by reading the sources, so a new one is tested too) and the
 *   package.json firstLine pattern, on every family and on each family after the pattern's literal lead.
 * - The real functions on pathological lines: parser + engine, hovers, frame synthesis, flow SVG/text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as onig from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { formatEn } from '../src/core/explain/l10n';
import { buildFlowGraph } from '../src/core/flow/model';
import { logFlowPackets } from '../src/core/flow/packets';
import { flowSvg } from '../src/core/flow/svg';
import { flowText } from '../src/core/flow/text';
import { compileRegex, tryParseFilter } from '../src/core/filter';
import { hoverAt } from '../src/core/log/hover';
import { analyzeLog } from '../src/core/log/model';
import { synthesizeFrame } from '../src/core/text/synth';

const ROOT = path.resolve(__dirname, '..', '..');
const LIMIT = 30;

/** CPU time in ns (user + system): on a loaded machine wall time measures the other processes too. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** CPU ns of one call of fn: the minimum over `runs` timings of `reps` calls. */
function timeOf(fn: () => void, runs: number, reps: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = cpuNow();
    for (let k = 0; k < reps; k++) fn();
    best = Math.min(best, (cpuNow() - t0) / reps);
  }
  return best;
}

/** How many calls of fn take ~2 ms (so the clock's resolution does not decide a ratio). */
function repsFor(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  const ns = Number(process.hrtime.bigint() - t0);
  return Math.max(1, Math.min(2000, Math.ceil(2e6 / Math.max(ns, 1))));
}

/**
 * time(10 n) / time(n) for run(make(size)): the smallest of up to three measurements (a busy
 * machine only makes a ratio look worse once in a while, a super-linear case every time).
 */
function ratio(a: string, b: string, run: (s: string) => void): { ratio: number; small: number; big: number } {
  run(a); // warm up (JIT)
  const reps = repsFor(() => run(a));
  let best = { ratio: Infinity, small: 0, big: 0 };
  for (let attempt = 0; attempt < 3 && best.ratio > LIMIT; attempt++) {
    const small = timeOf(() => run(a), 3, reps);
    const big = timeOf(() => run(b), 2, Math.max(1, Math.ceil(reps / 10)));
    const r = big / Math.max(small, 1000);
    if (r < best.ratio) best = { ratio: r, small, big };
  }
  return best;
}

/**
 * Fails when run is clearly super-linear on the family, 10 K → 100 K characters. A quick look at
 * 1 K → 10 K first: a quadratic case fails there in a second instead of running 100 K for minutes.
 */
function assertLinear(what: string, make: (n: number) => string, run: (s: string) => void): void {
  const ms = (ns: number) => (ns / 1e6).toFixed(2) + ' ms';
  const k1 = make(1000);
  const k10 = make(10000);
  run(k1);
  const quick =
    timeOf(() => run(k10), 1, 1) /
    Math.max(
      timeOf(() => run(k1), 2, Math.ceil(repsFor(() => run(k1)) / 3)),
      1000,
    );
  const stages: [string, string, number][] = quick > LIMIT ? [[k1, k10, 1000]] : [];
  stages.push([k10, make(100000), 10000]);
  for (const [a, b, n] of stages) {
    const r = ratio(a, b, run);
    assert.ok(
      r.ratio <= LIMIT,
      `${what}: ${n} → ${10 * n} characters took ${ms(r.small)} → ${ms(r.big)} of CPU (×${r.ratio.toFixed(0)}, linear is ×10)`,
    );
  }
}

/** Inputs that make backtracking patterns slow: runs of what they repeat, ended by what they do not expect. */
const FAMILIES: Record<string, (n: number) => string> = {
  spaces: (n) => 'a' + ' '.repeat(n) + 'x',
  tabs: (n) => '\t'.repeat(n) + 'x',
  digits: (n) => '1'.repeat(n) + 'x',
  zeros: (n) => '0'.repeat(n) + '1',
  word: (n) => 'a'.repeat(n) + '!',
  hex: (n) => 'f'.repeat(n) + 'g',
  // a line terminator JS's "." does not cross (lines are split at \n only)
  wordLS: (n) => 'a'.repeat(n) + '\u2028b',
  wordCR: (n) => 'a'.repeat(n) + '\rb',
  spacesLS: (n) => 'a' + ' '.repeat(n) + '\u2028b',
  dots: (n) => '.'.repeat(n) + 'x',
  digitDots: (n) => '1.'.repeat(n / 2) + 'x',
  wordDots: (n) => 'a.'.repeat(n / 2) + '!',
  colons: (n) => ':'.repeat(n) + 'g',
  digitColons: (n) => '1:'.repeat(n / 2) + 'x',
  hexColons: (n) => 'ab:'.repeat(n / 3) + 'g',
  words: (n) => 'a '.repeat(n / 2) + '!',
  numbers: (n) => '1 '.repeat(n / 2) + 'x',
  commas: (n) => ', '.repeat(n / 2) + 'x',
  dashes: (n) => 'a-'.repeat(n / 2) + '!',
  // the issue's endpoints input: 20,000 "(" then " > "
  parens: (n) => '('.repeat(n) + ' > ',
  parenWords: (n) => '(a'.repeat(n / 2) + ' > ',
  arrows: (n) => 'a > '.repeat(n / 4) + ':',
  gts: (n) => '>'.repeat(n),
  brackets: (n) => '['.repeat(n),
  bracketPipes: (n) => '[|'.repeat(n / 2),
  badBrackets: (n) => '[bad '.repeat(n / 5),
  invalidBrackets: (n) => '[invalid'.repeat(n / 8),
  braces: (n) => '{1:'.repeat(n / 3),
  arrowSpaces: (n) => '-> ' + ' '.repeat(n) + 'g',
  svgTag: (n) => '<svg' + ' width="1"'.repeat(n / 10),
  nbsp: (n) => '\u00a0'.repeat(n) + 'x',
  circled: (n) => '\u2460'.repeat(n) + 'x',
  ideographicSpaces: (n) => '\u3000'.repeat(n) + 'x',
  hexdump: (n) => '\t0x0000:  ' + '4500 '.repeat(n / 5) + '   z',
  hexdumpSpaces: (n) => '\t0x0000:  4500 0034' + ' '.repeat(n) + 'z',
  resets: (n) => 'S' + 'R'.repeat(n) + '\u2028',
};

/**
 * The literal text a pattern starts with ("Flags [", "mptcp ", "[bad "): families after it reach
 * the part of an anchored pattern that repeats. Skips ^, \b and lookbehinds, enters groups; stops at
 * the first character class, quantifier, alternation or optional group.
 */
function leadOf(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '^' || (c === '\\' && (src[i + 1] === 'b' || src[i + 1] === 'G'))) {
      i += c === '^' ? 1 : 2;
    } else if (src.startsWith('(?<=', i) || src.startsWith('(?<!', i)) {
      let depth = 0;
      for (; i < src.length; i++) {
        if (src[i] === '\\') i++;
        else if (src[i] === '(') depth++;
        else if (src[i] === ')' && --depth === 0) break;
      }
      i++;
    } else if (c === '(') {
      i += src.startsWith('(?:', i) ? 3 : src[i + 1] === '?' ? Infinity : 1;
    } else if (c === ')') {
      if (/[*+?{]/.test(src[i + 1] ?? '')) break;
      i++;
    } else {
      let lit: string;
      if (c === '\\') {
        if (!/[[\]().|\\/{}*+?^$ \-:>#=!<,]/.test(src[i + 1] ?? '')) break;
        lit = src[i + 1];
        i += 2;
      } else if (/[[\].|*+?{}$]/.test(c)) break;
      else {
        lit = c;
        i++;
      }
      if (/[*+?{]/.test(src[i] ?? '')) break;
      out += lit;
    }
  }
  return out;
}

/** Every family, and every family after the pattern's lead. */
function familiesFor(source: string): [string, (n: number) => string][] {
  const lead = leadOf(source);
  const all = Object.entries(FAMILIES);
  if (lead === '') return all;
  return [
    ...all,
    ...all.map(
      ([k, f]) => [`${JSON.stringify(lead)} + ${k}`, (n: number) => lead + f(n)] as [string, (n: number) => string],
    ),
  ];
}

/**
 * Whether a pattern repeats without bound (*, +, {n,}). One that does not tries each start position
 * in time bounded by its own length, so its search is linear by construction and is not timed.
 */
function repeatsWithoutBound(source: string): boolean {
  const bare = source.replace(/\\./g, 'x').replace(/\[(?:[^\]\\]|\\.)*\]/g, 'x');
  return /[*+]|\{\d*,\}/.test(bare);
}

/** The two families a pattern spends most time on at 2 K (where it backtracks, if anywhere). */
function worstFamilies(source: string, run: (s: string) => void): [string, (n: number) => string][] {
  const scored = familiesFor(source).map(([k, f]) => {
    const s = f(2000);
    run(s);
    const t0 = process.hrtime.bigint();
    run(s);
    return { k, f, t: Number(process.hrtime.bigint() - t0) };
  });
  scored.sort((a, b) => b.t - a.t);
  return scored.slice(0, 2).map((x) => [x.k, x.f]);
}

// --- the grammar ------------------------------------------------------------------------------

interface GrammarPattern {
  where: string;
  source: string;
}

function grammarPatterns(g: unknown): GrammarPattern[] {
  const out: GrammarPattern[] = [];
  const walk = (o: unknown, where: string): void => {
    if (Array.isArray(o)) o.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (o && typeof o === 'object') {
      const r = o as Record<string, unknown>;
      for (const k of ['match', 'begin', 'end', 'while'])
        if (typeof r[k] === 'string') out.push({ where: `${where}.${k}`, source: r[k] as string });
      for (const [k, v] of Object.entries(r)) if (v && typeof v === 'object') walk(v, `${where}.${k}`);
    }
  };
  walk(g, '');
  return out;
}

// the tcpdump grammar and the netstat / ss grammar (issue 15): the same checks, with the fewest patterns each should have
for (const [language, minPatterns] of [
  ['tcpdump', 50],
  ['netstat', 20],
] as const) {
  const grammarFile = path.join(ROOT, 'syntaxes', `${language}.tmLanguage.json`);
  const grammarJson = JSON.parse(fs.readFileSync(grammarFile, 'utf8')) as { repository: unknown };

  describe(`linear time: the ${language} grammar (Oniguruma, as VS Code runs it)`, function () {
    this.timeout(120000);
    before(async function () {
      const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
      await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    });

    /** Searches the whole line as the tokenizer does: from each match's end (vscode-textmate appends \n). */
    function searchAlong(scanner: onig.OnigScanner): (s: string) => void {
      return (s) => {
        const os = onig.createOnigString(s + '\n');
        try {
          for (let pos = 0; pos <= s.length;) {
            const m = scanner.findNextMatchSync(os, pos);
            if (!m) break;
            const end = m.captureIndices[0].end;
            pos = end > pos ? end : pos + 1;
          }
        } finally {
          os.dispose();
        }
      };
    }

    const patterns = grammarPatterns(grammarJson.repository);
    it('has its patterns (the walk found them)', function () {
      assert.ok(patterns.length >= minPatterns, String(patterns.length));
    });
    for (const p of patterns) {
      it(`${p.where}  ${p.source.length > 70 ? p.source.slice(0, 70) + '…' : p.source}`, function () {
        if (!repeatsWithoutBound(p.source)) return;
        const scanner = new onig.OnigScanner([p.source]);
        try {
          const run = searchAlong(scanner);
          for (const [k, f] of worstFamilies(p.source, run)) assertLinear(`${p.where} on ${k}`, f, run);
        } finally {
          scanner.dispose();
        }
      });
    }

    it('the issue\'s lines, tokenized whole by vscode-textmate: "(" × n then " > ", and "[bad " × n', async function () {
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (s: string[]) => new onig.OnigScanner(s),
          createOnigString: (s: string) => onig.createOnigString(s),
        }),
        loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarFile, 'utf8'), grammarFile),
      });
      const grammar = await registry.loadGrammar(`source.${language}`);
      assert.ok(grammar);
      const run = (s: string) => {
        grammar.tokenizeLine(s, vsctm.INITIAL);
      };
      assertLinear('tokenizeLine parens', FAMILIES.parens, run);
      assertLinear('tokenizeLine bad brackets', FAMILIES.badBrackets, run);
      assertLinear('tokenizeLine after a packet front', (n) => '12:00:00.000000 IP ' + '('.repeat(n) + ' > ', run);
    });
  });
}

// --- JS regular expressions in src/ ------------------------------------------------------------

/** Regex literals of a TypeScript source (after = ( , : ! & | ? or return), skipping comment lines. */
const LITERAL = /(?<=(?:[=(,:!&|?]|return|^)\s*)\/(?![/*])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+\/[dgimsuy]*/gm;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

interface Literal {
  where: string;
  re: RegExp;
}

function regexLiterals(): Literal[] {
  const out: Literal[] = [];
  const seen = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
      for (const m of line.matchAll(LITERAL)) {
        const text = m[0];
        if (seen.has(text)) continue;
        seen.add(text);
        const close = text.lastIndexOf('/');
        out.push({
          where: `${path.relative(ROOT, file)}:${i + 1} ${text}`,
          re: new RegExp(text.slice(1, close), text.slice(close + 1)),
        });
      }
    });
  }
  return out;
}

/**
 * Literals that never see packet or log text, with the reason. A literal here is still timed when
 * its input can be long; these are listed because a generic family makes them slow on input they
 * cannot get.
 */
const NOT_PACKET_TEXT: Record<string, string> = {
  // Zeek history letters built by the engine ("ShADadFf"): no line terminator, so ".*$" never backtracks
  '/^\\^?S[^HAFGIQ]*R.*$/': 'src/core/tcp/summary.ts: our own history string',
  // trims Number.toFixed output (at most 25 characters)
  '/0+$/': 'src/core/explain/explanation.ts: a formatted number',
  // the first tag of our own SVG (flowSvg writes its attributes; names from the log are in the body, escaped)
  '/<svg[^>]*\\swidth="([\\d.]+)"[^>]*\\sheight="([\\d.]+)"/': 'src/extension/flow/panel.ts: the root tag of our SVG',
};

const runLiteral = (re: RegExp) => (s: string) => {
  if (re.global) s.replace(re, '');
  else re.exec(s);
};

describe('linear time: every regular expression literal in src/, and package.json firstLine', function () {
  this.timeout(120000);
  const literals = regexLiterals();

  it('finds the regular expressions (the inventory is not empty)', function () {
    assert.ok(literals.length >= 100, String(literals.length));
  });
  for (const lit of literals) {
    const key = lit.where.slice(lit.where.indexOf(' ') + 1);
    const skip = NOT_PACKET_TEXT[key];
    (skip ? it.skip : it)(`${lit.where}${skip ? ` (${skip})` : ''}`, function () {
      if (!repeatsWithoutBound(lit.re.source)) return;
      const run = runLiteral(lit.re);
      for (const [k, f] of worstFamilies(lit.re.source, run)) assertLinear(`${lit.where} on ${k}`, f, run);
    });
  }

  it('package.json contributes.languages[].firstLine', function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { languages: { firstLine?: string }[] };
    };
    const lines = pkg.contributes.languages.map((l) => l.firstLine).filter((x): x is string => typeof x === 'string');
    assert.ok(lines.length >= 1);
    for (const src of lines) {
      const re = new RegExp(src);
      const run = (s: string) => {
        re.test(s);
      };
      const fams: [string, (n: number) => string][] = [
        ...worstFamilies(src, run),
        ['IP + word', (n) => 'IP ' + 'a'.repeat(n)],
        ['time + digits', (n) => '1.000000 ' + '1'.repeat(n)],
        ['number + spaces', (n) => '1' + ' '.repeat(n) + 'x'],
      ];
      for (const [k, f] of fams) assertLinear(`firstLine on ${k}`, f, run);
    }
  });
});

// --- the real functions on pathological lines ---------------------------------------------------

const FRONT = '12:00:00.000000 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], seq 1, win 65535';
/** Whole log lines with a long run where the parser, the explanations or synthesis look. */
const LINES: Record<string, (n: number) => string> = {
  'long host name': (n) =>
    `12:00:00.000000 IP ${'h'.repeat(n)}.1000 > 10.0.0.2.80: Flags [S], seq 1, win 65535, length 0`,
  'parens then " > "': (n) => '('.repeat(n) + ' > ',
  'packet then parens': (n) => `${FRONT}, length 0 ${'('.repeat(n)}`,
  'packet then spaces': (n) => `${FRONT}, length 0${' '.repeat(n)}x`,
  'packet then no-break spaces': (n) => `${FRONT}, length 0${'\u00a0'.repeat(n)}x`,
  'mptcp option with a line separator': (n) => `${FRONT}, options [mptcp 1 ${'a'.repeat(n)}\u2028b], length 0`,
  'mss digits': (n) => `${FRONT}, options [mss ${'1'.repeat(n)}], length 0`,
  'sack blocks': (n) => `${FRONT}, options [sack 1 ${'{1:2}'.repeat(n / 5)}], length 0`,
  'many options': (n) => `${FRONT}, options [${'nop,'.repeat(n / 4)}nop], length 0`,
  'TS val digits': (n) => `${FRONT}, options [TS val ${'1'.repeat(n)} ecr], length 0`,
  'bad lengths': (n) => `${FRONT}, options [${'[len '.repeat(n / 5)}], length 0`,
  'checksum arrow spaces': (n) =>
    `12:00:00.000000 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], cksum 0x1234 (incorrect -> ${' '.repeat(n)}g), seq 1, win 1, length 0`,
  'epoch digits': (n) =>
    `${'1'.repeat(n)}.000000 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], seq 1, win 65535, length 0`,
  'app text commas': (n) => `${FRONT}, length 0${', '.repeat(n / 2)}x`,
  'damage brackets': (n) => `${FRONT}, length 0 ${'[|'.repeat(n / 2)}`,
  'hex dump words': (n) => `${FRONT}, length 0\n\t0x0000:  ${'4500 '.repeat(n / 5)}  x`,
  'command line spaces': (n) => `sudo${' '.repeat(n)}tcpdump -n\n${FRONT}, length 0`,
};

describe('linear time: parser, hovers, frames and flow exports on pathological lines', function () {
  this.timeout(120000);

  const analyzeAndHover = (s: string) => {
    const m = analyzeLog(s);
    for (let line = 0; line < m.log.packetOfLine.length; line++) {
      const len = s.split('\n')[line]?.length ?? 0;
      // a fixed number of places, so the count of hovers does not grow with the line
      for (const col of [0, 1, 5, 16, 19, 25, 40, 60, 80, 100, len >> 1, len - 20, len - 2, len - 1])
        if (col >= 0) hoverAt(m, line, col, formatEn);
    }
    for (const p of m.log.packets) synthesizeFrame(p);
    flowSvg(buildFlowGraph(logFlowPackets(m)));
  };

  for (const [name, make] of Object.entries(LINES)) {
    it(`${name}: parse, engine, hovers, frame synthesis, flow graph SVG`, function () {
      assertLinear(name, make, analyzeAndHover);
    });
  }

  it('long host name: flow graph text ("Copy as text")', function () {
    assertLinear('flow text', LINES['long host name'], (s) => {
      flowText(buildFlowGraph(logFlowPackets(analyzeLog(s))));
    });
  });

  it('filter expressions', function () {
    const run = (s: string) => {
      tryParseFilter(s);
    };
    assertLinear('host word', (n) => 'host ' + 'a'.repeat(n), run);
    assertLinear('host dots', (n) => 'host ' + '1.'.repeat(n / 2), run);
    assertLinear('stream spaces', (n) => 'stream 1' + ' '.repeat(n) + 'x', run);
    assertLinear('many terms', (n) => 'tcp and '.repeat(n / 8) + 'tcp', run);
    // Wireshark syntax: strings, sets, unknown field names (the "did you mean" search), patterns
    assertLinear('quoted string', (n) => 'frame contains "' + 'a\\x41'.repeat(n / 5) + '"', run);
    assertLinear('unterminated string', (n) => 'frame contains "' + 'a'.repeat(n), run);
    assertLinear('set', (n) => 'tcp.port in {' + '1, '.repeat(n / 3) + '1}', run);
    assertLinear('unknown field', (n) => 'tcp.' + 'a'.repeat(n) + ' == 1', run);
    assertLinear('bytes', (n) => 'frame contains ' + 'aa:'.repeat(n / 3) + 'aa', run);
  });

  it('the filter\'s "matches" (a Pike VM: linear in the value whatever the pattern)', function () {
    for (const [pattern, family] of [
      ['(a+)+b', 'word'],
      ['(a|aa)*c', 'word'],
      ['(?i)(x*)*y', 'word'],
      ['^(\\d+)*$', 'digits'],
      ['( +)+x$', 'spaces'],
    ] as const) {
      const re = compileRegex(pattern);
      assertLinear(`matches "${pattern}"`, FAMILIES[family], (s) => {
        re.testString(s);
      });
    }
  });
});
