/**
 * The explanations catalogue (src/core/explain): bundle completeness (every English literal passed
 * to t() has a zh-cn entry with the same placeholders, no stale entries), Markdown escaping, the
 * "here" text for handshake / teardown / reset contexts, both languages for every flag letter,
 * option and IP field, every problem kind and severity, generic text for unknown input, and speed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as M from '../src/core/text/model';
import { parseTcpdumpText } from '../src/core/text/parser';
import { toSegmentInput } from '../src/core/text/segment';
import { TcpEngine } from '../src/core/tcp/engine';
import {
  A_DUPLICATE_ACK,
  A_RETRANSMISSION,
  A_ZERO_WINDOW,
  ANALYSIS_NAMES,
  PacketResult,
  S_CLOSE_WAIT,
  S_CLOSED,
  S_ESTABLISHED,
  S_FIN_WAIT_1,
  S_LISTEN,
  S_SYN_RCVD,
  S_SYN_SENT,
  TCP_STATES,
  PROBLEM_KINDS,
  type Problem,
  type ProblemKind,
  type ProblemParams,
} from '../src/core/tcp/types';
import { STEP_NAMES } from '../src/core/tcp/states';
import { TH_ACK, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN } from '../src/core/decode/packet';
import {
  Explanation,
  IP_FIELD_NAMES,
  Translate,
  bundleTranslator,
  escapeMarkdown,
  explainAck,
  explainAddress,
  explainAnalysis,
  explainFlagLetter,
  explainFlags,
  explainGeneric,
  explainIpField,
  explainLength,
  explainOption,
  explainOptionValue,
  explainPort,
  explainSeq,
  explainState,
  explainStep,
  explainTextField,
  explainTime,
  explainWindow,
  flagsFromText,
  formatDuration,
  formatEn,
  packetContext,
  problemText,
  severityText,
  toMarkdown,
  toPlainText,
} from '../src/core/explain/catalog';

const ROOT = process.cwd();
const BUNDLE_PATH = path.resolve(ROOT, 'l10n', 'bundle.l10n.zh-cn.json');
const bundle = JSON.parse(fs.readFileSync(BUNDLE_PATH, 'utf8')) as Record<string, string>;
const en: Translate = formatEn;
const zh: Translate = bundleTranslator(bundle);
const CJK = /[\u4e00-\u9fff]/;

// ------------------------------------------------------------------------------------------------
// Extraction of the keys from the sources
// ------------------------------------------------------------------------------------------------

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Source without comments (strings kept). */
function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const j = src.indexOf('*/', i + 2);
      i = j < 0 ? src.length : j + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const EXPLAIN_DIR = path.join(ROOT, 'src', 'core', 'explain');

/**
 * Keys of the bundle in the sources. `catalog`: t() literals of src/core/explain and of the files
 * importing it (these must be literals). `other`: t() / vscode.l10n.t() literals elsewhere in src
 * (other features share the one zh-cn bundle).
 */
function sourceKeys(): { catalog: Map<string, string>; other: Map<string, string>; nonLiteral: string[] } {
  const catalog = new Map<string, string>();
  const other = new Map<string, string>();
  const nonLiteral: string[] = [];
  for (const file of listTs(path.join(ROOT, 'src'))) {
    const src = stripComments(fs.readFileSync(file, 'utf8'));
    const rel = path.relative(ROOT, file);
    const usesCatalog = file.startsWith(EXPLAIN_DIR + path.sep) || /from\s+'[^']*\/explain(?:\/[\w]+)?'/.test(src);
    const call = /(?<![\w$])(?:l10n\.)?t\(\s*/g;
    let m: RegExpExecArray | null;
    while ((m = call.exec(src)) !== null) {
      if (src[m.index - 1] === '.' && !m[0].startsWith('l10n.')) continue; // obj.t(…) of something else
      const at = m.index + m[0].length;
      const lit = /^'((?:[^'\\\n]|\\.)*)'/.exec(src.slice(at));
      if (lit === null) {
        if (usesCatalog) nonLiteral.push(rel + ': ' + src.slice(m.index, m.index + 50).replace(/\s+/g, ' '));
        continue;
      }
      const key = lit[1].replace(/\\(.)/g, (_s, ch: string) => (ch === 'n' ? '\n' : ch));
      const into = usesCatalog ? catalog : other;
      if (!into.has(key)) into.set(key, rel);
    }
  }
  return { catalog, other, nonLiteral };
}

function placeholders(s: string): string {
  return [...new Set(s.match(/\{\d+\}/g) ?? [])].sort().join(',');
}

function allText(e: Explanation): string {
  return [e.title, ...e.text, ...e.here].join(' ');
}

describe('explain: l10n bundle', () => {
  const { catalog, other, nonLiteral } = sourceKeys();

  function check(keys: Map<string, string>): void {
    const missing: string[] = [];
    const wrong: string[] = [];
    for (const [k, file] of keys) {
      const v = bundle[k];
      if (typeof v !== 'string' || v === '') missing.push(file + ': ' + k);
      else if (placeholders(v) !== placeholders(k)) wrong.push(k + ' → ' + v);
    }
    assert.deepEqual(missing, []);
    assert.deepEqual(wrong, []);
  }

  it('finds the catalogue strings', () => {
    assert.ok(catalog.size > 300, 'only ' + catalog.size + ' keys found');
  });

  it('calls t() with string literals only in the catalogue', () => {
    assert.deepEqual(nonLiteral, []);
  });

  it('has a zh-cn entry with the same placeholders for every catalogue key', () => {
    check(catalog);
  });

  it('has a zh-cn entry for the other t() / vscode.l10n.t() literals in src', () => {
    check(other);
  });

  it('has no stale entries', () => {
    assert.deepEqual(Object.keys(bundle).filter((k) => !catalog.has(k) && !other.has(k)), []);
  });

  it('uses braces only for {n} placeholders, and translates every sentence', () => {
    const bad: string[] = [];
    for (const [k, v] of Object.entries(bundle)) {
      if (/\{(?!\d+\})|(?<!\{\d+)\}/.test(k.replace(/\{\d+\}/g, ''))) bad.push('key braces: ' + k);
      if (/\{(?!\d+\})/.test(v.replace(/\{\d+\}/g, ''))) bad.push('value braces: ' + v);
      if (/\b[a-z]{4,}\b/.test(k.replace(/\{\d+\}/g, '')) && !CJK.test(v)) bad.push('untranslated: ' + k);
    }
    assert.deepEqual(bad, []);
  });

  it('formats placeholders like vscode.l10n.t', () => {
    assert.equal(formatEn('a {0} b {1} {0} {2}', 'x', 2), 'a x b 2 x {2}');
    assert.equal(formatEn('no placeholders'), 'no placeholders');
    const tr = bundleTranslator({ 'Port {0}': '端口 {0}' });
    assert.equal(tr('Port {0}', 443), '端口 443');
    assert.equal(tr('Missing {0}', 1), 'Missing 1');
    assert.equal(bundleTranslator({})('toString'), 'toString');
  });
});

// ------------------------------------------------------------------------------------------------
// Markdown
// ------------------------------------------------------------------------------------------------

describe('explain: markdown escaping', () => {
  it('escapes Markdown and HTML in untrusted values', () => {
    const evil = '[click](command:workbench.action.quit) <img src=x onerror=alert(1)> **b** `c` # h\n- item\n\n|t|';
    const s = escapeMarkdown(evil);
    assert.ok(!/\n/.test(s));
    // every special character is preceded by a backslash
    for (let i = 0; i < s.length; i++) {
      if ('[]()<>*`#|-!_'.includes(s[i])) assert.equal(s[i - 1], '\\', 'unescaped ' + s[i] + ' at ' + i + ' in ' + s);
    }
    assert.equal(escapeMarkdown('plain text 123'), 'plain text 123');
  });

  it('renders a bold title and escapes packet values in hovers', () => {
    const e = explainAddress('src', '[x](http://evil)', en, 'client');
    const md = toMarkdown(e);
    assert.ok(md.startsWith('**'));
    assert.ok(!md.includes('[x](http'), md);
    assert.ok(md.includes('\\[x\\]\\(http\\:'), md);
    const o = toMarkdown(explainOption('unknown-99 <b>*</b>', {}, en));
    assert.ok(!o.includes('<b>'));
    const p = toPlainText(explainFlags(TH_SYN, {}, en));
    assert.ok(p.startsWith('TCP flags SYN\n'));
  });

  it('keeps untrusted text short', () => {
    const e = explainAddress('dst', 'h'.repeat(5000), en);
    assert.ok(e.title.length < 100);
  });
});

// ------------------------------------------------------------------------------------------------
// Flags, steps and states in context
// ------------------------------------------------------------------------------------------------

describe('explain: flags in context', () => {
  it('SYN, step 1 of the handshake', () => {
    const e = explainFlags(TH_SYN, { step: 'handshake 1/3', clientState: S_SYN_SENT, serverState: S_SYN_RCVD, senderRole: 'client', len: 0 }, en);
    assert.equal(e.title, 'SYN from the client');
    const here = e.here.join(' ');
    assert.match(here, /Step 1 of the three-way handshake/);
    assert.match(here, /client SYN_SENT, server SYN_RCVD/);
    const z = allText(explainFlags(TH_SYN, { step: 'handshake 1/3', clientState: S_SYN_SENT, serverState: S_SYN_RCVD, senderRole: 'client' }, zh));
    assert.match(z, /三次握手第 1 步/);
    assert.match(z, /客户端 SYN_SENT，服务端 SYN_RCVD/);
  });

  it('SYN+ACK, step 2: the server is in SYN_RCVD', () => {
    const e = explainFlags(TH_SYN | TH_ACK, { step: 'handshake 2/3', clientState: S_ESTABLISHED, serverState: S_SYN_RCVD, senderRole: 'server' }, en);
    assert.equal(e.title, 'SYN+ACK from the server');
    assert.match(e.text.join(' '), /accepts a connection/);
    assert.match(e.here.join(' '), /Step 2 of the three-way handshake/);
    assert.match(e.here.join(' '), /server SYN_RCVD/);
    assert.match(allText(explainFlags(TH_SYN | TH_ACK, { step: 'handshake 2/3', senderRole: 'server' }, zh)), /半连接队列/);
  });

  it('ACK, step 3: established, accept queue', () => {
    const e = explainFlags(TH_ACK, { step: 'handshake 3/3', clientState: S_ESTABLISHED, serverState: S_ESTABLISHED, senderRole: 'client', len: 0 }, en);
    assert.match(e.text.join(' '), /pure acknowledgment/);
    assert.match(e.here.join(' '), /Step 3 of the three-way handshake/);
    assert.match(e.here.join(' '), /client ESTABLISHED, server ESTABLISHED/);
    assert.match(allText(explainFlags(TH_ACK, { step: 'handshake 3/3' }, zh)), /全连接队列/);
  });

  it('FIN+ACK from the client: teardown 1/4, FIN_WAIT_1 and CLOSE_WAIT', () => {
    const ctx = { step: 'teardown 1/4', clientState: S_FIN_WAIT_1, serverState: S_CLOSE_WAIT, senderRole: 'client' as const, len: 0 };
    const e = explainFlags(TH_FIN | TH_ACK, ctx, en);
    assert.equal(e.title, 'FIN+ACK from the client');
    assert.match(e.here.join(' '), /Step 1 of the four-way teardown/);
    assert.match(e.here.join(' '), /client FIN_WAIT_1, server CLOSE_WAIT/);
    const z = explainFlags(TH_FIN | TH_ACK, ctx, zh);
    assert.equal(z.title, '客户端发出的 FIN+ACK');
    assert.match(z.here.join(' '), /四次挥手第 1 步/);
    assert.match(z.here.join(' '), /FIN_WAIT_1/);
  });

  it('every step string has its own sentence in both languages', () => {
    for (const step of STEP_NAMES) {
      if (step === '') continue;
      const e = explainStep(step, en);
      const z = explainStep(step, zh);
      assert.ok(e.text[0].length > 20 && !e.text[0].startsWith('Step "'), step);
      assert.ok(CJK.test(z.text[0]) && z.text[0] !== e.text[0], step);
      const n = /(\d)\/\d$/.exec(step);
      if (n !== null) assert.ok(e.text[0].includes(n[1]), step + ': ' + e.text[0]);
    }
    assert.match(explainStep('teardown 2/3', en).title, /Three-packet teardown/);
    assert.match(explainStep('simultaneous close 2/4', en).text[0], /CLOSING/);
  });

  it('explains retransmitted SYNs and analysis bits here', () => {
    const e = explainFlags(TH_SYN, { step: 'handshake 1/3', analysis: A_RETRANSMISSION, senderRole: 'client' }, en);
    assert.match(e.here.join(' '), /SYN is sent again/);
    const d = explainFlags(TH_PUSH | TH_ACK, { len: 100, analysis: A_RETRANSMISSION }, en);
    assert.match(d.here.join(' '), /same bytes were sent before/);
    const dup = explainAck({ ack: 1001, analysis: A_DUPLICATE_ACK, dupAckNum: 2, dupAckOf: 17 }, en);
    assert.match(dup.here.join(' '), /Duplicate ACK #2 of packet 17/);
  });

  it('RST: refused, abort, during close, unknown', () => {
    const refused = explainFlags(TH_RST | TH_ACK, { step: 'reset by server', senderRole: 'server', prevClientState: S_SYN_SENT, prevServerState: S_LISTEN, clientState: S_CLOSED, serverState: S_CLOSED }, en);
    assert.match(refused.here.join(' '), /Connection refused/);
    assert.match(refused.here.join(' '), /nothing listens/);
    const abort = explainFlags(TH_RST, { senderRole: 'client', prevClientState: S_ESTABLISHED, prevServerState: S_ESTABLISHED }, en);
    assert.match(abort.here.join(' '), /client aborted an established connection/);
    assert.match(abort.here.join(' '), /firewall/);
    const closing = explainFlags(TH_RST, { senderRole: 'server', prevClientState: S_FIN_WAIT_1, prevServerState: S_CLOSE_WAIT }, en);
    assert.match(closing.here.join(' '), /during the close/);
    const z = explainFlags(TH_RST | TH_ACK, { step: 'reset by server', senderRole: 'server', prevClientState: S_SYN_SENT }, zh);
    assert.match(z.here.join(' '), /连接被拒绝/);
    const unknown = explainFlags(TH_RST, {}, en);
    assert.match(unknown.here.join(' '), /connection was reset/);
  });

  it('names the flag combinations', () => {
    const cases: [number, RegExp][] = [
      [TH_SYN, /^SYN: a request/],
      [TH_SYN | TH_ACK, /^SYN\+ACK/],
      [TH_ACK, /^ACK: a pure/],
      [TH_PUSH | TH_ACK, /^PSH\+ACK/],
      [TH_FIN | TH_ACK, /^FIN\+ACK/],
      [TH_RST, /^RST:/],
      [TH_RST | TH_ACK, /^RST\+ACK/],
      [0, /No flags at all/],
      [TH_SYN | TH_FIN, /unusual/],
    ];
    for (const [f, re] of cases) assert.match(explainFlags(f, { len: f === (TH_PUSH | TH_ACK) ? 10 : 0 }, en).text[0], re, String(f));
    assert.match(explainFlags(TH_SYN | TH_ECE | TH_CWR, {}, en).text.join(' '), /Explicit Congestion Notification/);
    assert.match(explainFlags(TH_ACK | TH_ECE, {}, en).text.join(' '), /congestion mark/);
    assert.equal(flagsFromText('Flags [S.]'), TH_SYN | TH_ACK);
    assert.equal(flagsFromText('none'), 0);
    assert.equal(flagsFromText('Flags [X]'), -1);
  });
});

describe('explain: seq, ack, win, length', () => {
  it('seq a:b gives the byte count, relative numbers are explained', () => {
    const e = explainSeq({ seq: 1, seqEnd: 1449, len: 1448, relative: true, flags: TH_ACK | TH_PUSH }, en);
    assert.match(e.here.join(' '), /1448 bytes: from 1 up to, but not including, 1449/);
    assert.match(e.here.join(' '), /Relative numbers/);
    assert.match(explainSeq({ seq: 123456, flags: TH_SYN }, en).here.join(' '), /initial sequence number/);
    assert.match(explainSeq({ seq: 100, flags: TH_FIN | TH_ACK, len: 0 }, en).here.join(' '), /ack 101/);
    assert.match(explainSeq({ seq: 1, seqEnd: 11 }, en, 'end').title, /End: 11/);
  });

  it('ack names the acknowledged packet and the handshake +1', () => {
    const e = explainAck({ ack: 1, acksPacket: 3, step: 'handshake 3/3', relative: true }, en);
    assert.match(e.text[0], /Everything before 1 has arrived/);
    assert.match(e.here.join(' '), /packet 3/);
    assert.match(e.here.join(' '), /ISN \+ 1/);
  });

  it('win: scaled value, unknown scale, zero window', () => {
    assert.match(explainWindow({ win: 502, scale: 7, flags: TH_ACK }, en).here.join(' '), /502 × 2\^7 = 64256 bytes/);
    assert.match(explainWindow({ win: 502, flags: TH_ACK }, en).here.join(' '), /scale is unknown/);
    const z = explainWindow({ win: 0, flags: TH_ACK, analysis: A_ZERO_WINDOW }, en);
    assert.match(z.here.join(' '), /Zero window/);
    assert.match(explainWindow({ win: 0, flags: TH_ACK }, zh).here.join(' '), /零窗口/);
    assert.match(explainWindow({ win: 65535, flags: TH_SYN }, en).here.join(' '), /never scaled/);
  });

  it('length: zero, offload', () => {
    assert.match(explainLength({ len: 0 }, en).here.join(' '), /No payload/);
    assert.match(explainLength({ len: 26064, flags: TH_ACK }, en).here.join(' '), /segmentation offload/);
  });

  it('time gaps', () => {
    const e = explainTime('time', { gapSec: 1.0021, prevLineGapSec: 0.000123, analysis: A_RETRANSMISSION }, en);
    assert.match(e.here.join(' '), /1\.002 s since the previous packet of this connection/);
    assert.match(e.here.join(' '), /retransmission timeout/);
    assert.match(e.here.join(' '), /123 µs since the previous packet in the log/);
    assert.equal(formatDuration(0.0125), '12.5 ms');
  });
});

// ------------------------------------------------------------------------------------------------
// Coverage in both languages
// ------------------------------------------------------------------------------------------------

function bothLanguages(what: string, f: (t: Translate) => Explanation): void {
  const e = f(en);
  const z = f(zh);
  assert.ok(e.title.length > 0 && e.text.length > 0 && e.text[0].length > 10, what + ': ' + JSON.stringify(e));
  assert.ok(CJK.test(z.text.join('')), what + ' zh: ' + JSON.stringify(z));
  assert.notEqual(z.text.join(''), e.text.join(''), what);
}

describe('explain: every flag letter, option, IP field, state, analysis flag in both languages', () => {
  it('flag letters', () => {
    for (const ch of 'SFRP.UEWe') {
      bothLanguages(ch, (t) => explainFlagLetter(ch, t));
      assert.ok(!/Unknown flag/.test(explainFlagLetter(ch, en).title), ch);
    }
  });

  it('options', () => {
    const opts = [
      'mss 1460', 'wscale 7', 'sackOK', 'sack 1 {2897:4345}', 'TS val 1234 ecr 5678', 'nop', 'eol', 'tfo cookiereq',
      'tfo cookie 0a0b0c0d', 'exp-tfo cookiereq', 'mptcp 12 capable v1 flags [A] {0x1}', 'mptcp 20 dss ack 1 seq 2 subseq 3 len 4',
      "md5 shared secret not supplied with -M, can't check - 00112233445566778899aabbccddeeff", 'tcp-ao keyid 1 rnextkeyid 2 mac 0x0102',
      'uto 0x258 300', 'exp-acc0', 'exp-acc1', 'exp-abcd', 'unknown-99 0x0102', 'echo 1', 'cc 2',
    ];
    const generic = explainOption('zzz', {}, en).text[0];
    for (const o of opts) {
      bothLanguages(o, (t) => explainOption(o, { flags: TH_SYN }, t));
      assert.notEqual(explainOption(o, {}, en).text[0], generic, o);
    }
    assert.match(explainOption('mss 1460', { flags: TH_SYN }, en).here.join(' '), /1500-byte MTU/);
    assert.match(explainOption('wscale 7', {}, en).here.join(' '), /multiplied by 128/);
    assert.match(explainOption('mptcp 12 join id 1', {}, en).here.join(' '), /MP_JOIN/);
    assert.match(explainOptionValue('TS val 10 ecr 0', '0', {}, en, 1).here.join(' '), /first SYN/);
    assert.match(explainOptionValue('TS val 10 ecr 20', '10', {}, en).title, /TS val 10/);
    assert.match(explainOptionValue('TS val 10 ecr 20', '20', {}, en).title, /TS ecr 20/);
    const sb = explainOptionValue('sack 2 {2897:4345}{5793:7241}', '{2897:4345}', { ack: 1449 }, en);
    assert.match(sb.here.join(' '), /1448 bytes arrived past a gap/);
    assert.match(sb.here.join(' '), /Still missing: from 1449 up to, but not including, 2897/);
    const sb2 = explainOptionValue('sack 2 {2897:4345}{5793:7241}', '{5793:7241}', { ack: 1449 }, en);
    assert.ok(!/Still missing/.test(sb2.here.join(' ')));
  });

  it('IP fields', () => {
    const samples: Record<string, string> = {
      header: '(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)', tos: 'tos 0x2,ECT(0)', ttl: 'ttl 64', id: 'id 4242',
      offset: 'offset 0', flags: 'flags [DF]', proto: 'proto TCP (6)', length: 'length 60', cksum: 'bad cksum 1234 (->5678)!',
      class: 'class 0x00', flowlabel: 'flowlabel 0x1a2b3', hlim: 'hlim 64', nextHeader: 'next-header TCP (6)', payloadLength: 'payload length 40',
    };
    const generic = explainIpField('bogus', 'x', en).text[0];
    for (const name of IP_FIELD_NAMES) {
      bothLanguages(name, (t) => explainIpField(name, samples[name], t));
      assert.notEqual(explainIpField(name, samples[name], en).text[0], generic, name);
    }
    assert.match(explainIpField('ttl', 'ttl 117', en).here.join(' '), /starting value of 128, so the sender is about 11 hops away/);
    assert.match(explainIpField('ttl', 'ttl 64', en).here.join(' '), /Linux/);
    assert.match(explainIpField('tos', 'tos 0x3,CE', en).here.join(' '), /congestion experienced/);
    assert.match(explainIpField('cksum', 'bad cksum 1234 (->5678)!', en).here.join(' '), /offload/);
  });

  it('states, analysis flags, ports', () => {
    for (let s = 0; s < TCP_STATES.length; s++) {
      bothLanguages(TCP_STATES[s], (t) => explainState(s, t));
      assert.equal(explainState(TCP_STATES[s], en).title, TCP_STATES[s]);
    }
    assert.match(explainState('CLOSE_WAIT', en).text[0], /local application/);
    assert.match(explainState('time-wait', en).text[0], /2×MSL/);
    for (const name of ANALYSIS_NAMES) {
      bothLanguages(name, (t) => explainAnalysis(name, t));
      assert.equal(explainAnalysis(name, en).text.length, 3, name);
    }
    assert.equal(explainAnalysis(A_RETRANSMISSION, en).title, 'Retransmission');
    assert.match(explainPort(3306, en, 'server').title, /MySQL/);
    assert.match(explainPort(-1, en, 'client', 'https').title, /443 \(HTTPS\)/);
    assert.match(explainPort(51234, en, 'client').here.join(' '), /client's port/);
    for (const p of [20, 21, 22, 23, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995, 1433, 1521, 3306, 3389, 5432, 6379, 8080, 8443, 9200, 27017]) {
      assert.match(explainPort(p, en).title, /\(/, String(p));
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Unknown input, text model fields, speed
// ------------------------------------------------------------------------------------------------

describe('explain: problem sentences', () => {
  const v4 = '10.0.0.2:80';
  const v6 = '[2001:db8::1]:51000';
  /** Parameters for every variant of every kind's sentence (a mapped type: a new kind must be added here). */
  const SAMPLES: { [K in ProblemKind]: ProblemParams[K][] } = {
    refused: [{ server: v4 }],
    'no-answer': [
      { server: v4, syns: 1 },
      { server: v6, syns: 3 },
    ],
    reset: [0, 1].flatMap((side) => [false, true].map((afterFin) => ({ side: side as 0 | 1, endpoint: v6, state: 'FIN_WAIT_1' as const, afterFin }))),
    'half-open': [{ server: v4 }],
    'syn-flood': [{ server: v4, halfOpen: 12 }],
    'close-wait': [0, 1].map((side) => ({ side: side as 0 | 1, endpoint: v4 })),
    'fin-wait-2': [0, 1].map((side) => ({ side: side as 0 | 1, endpoint: v4 })),
    retransmissions: [
      { retransmitted: 3, segments: 40 },
      { retransmitted: 7, segments: 21 },
    ],
    'zero-window': [0, 1].map((side) => ({ side: side as 0 | 1, endpoint: v6 })),
    'lost-at-start': [{}],
  };
  const problemOf = (kind: ProblemKind, params: object): Problem => ({ kind, packet: 0, severity: 'warning', params }) as Problem;

  it('has an English and a Chinese sentence for every kind, each with all its parameters', () => {
    assert.equal(PROBLEM_KINDS.length, 10);
    for (const kind of PROBLEM_KINDS) {
      const variants = SAMPLES[kind] as object[];
      const seen = { en: new Set<string>(), zh: new Set<string>() };
      for (const params of variants) {
        const p = problemOf(kind, params);
        const e = problemText(p, en);
        const c = problemText(p, zh);
        const what = kind + ' ' + JSON.stringify(params);
        assert.ok(e.length > 40 && !CJK.test(e) && !/\{\d+\}/.test(e), what + ': ' + e);
        assert.ok(CJK.test(c) && !/\{\d+\}/.test(c), what + ': ' + c);
        for (const [k, v] of Object.entries(params)) {
          if (k === 'side' || typeof v === 'boolean') continue;
          assert.ok(e.includes(String(v)), `${what}: ${k} missing from "${e}"`);
          assert.ok(c.includes(String(v)), `${what}: ${k} missing from "${c}"`);
        }
        seen.en.add(e);
        seen.zh.add(c);
      }
      // every variant (client or server, one SYN or several, after FIN or not) reads differently
      assert.equal(seen.en.size, variants.length, kind);
      assert.equal(seen.zh.size, variants.length, kind);
    }
  });

  it('names the side in both languages and gives the retransmission rate', () => {
    const zw = (side: 0 | 1) => problemOf('zero-window', { side, endpoint: v4 });
    assert.match(problemText(zw(0), en), /^The client \(10\.0\.0\.2:80\) advertised a zero window/);
    assert.match(problemText(zw(1), zh), /^服务器（10\.0\.0\.2:80）通告了零窗口/);
    assert.match(problemText(problemOf('retransmissions', { retransmitted: 3, segments: 40 }), en), /^3 of 40 data segments were retransmitted \(7\.5%\)/);
    assert.match(problemText(problemOf('retransmissions', { retransmitted: 7, segments: 21 }), zh), /^21 个数据段中有 7 个被重传（33%）/);
  });

  it('has the severities in both languages', () => {
    for (const s of ['error', 'warning', 'info'] as const) {
      assert.equal(severityText(s, en), s);
      assert.ok(CJK.test(severityText(s, zh)), s);
    }
  });
});

describe('explain: robustness', () => {
  it('unknown inputs give generic text, never throw', () => {
    const g = explainGeneric(en);
    assert.deepEqual(explainTextField(9999, {}, en), g);
    assert.match(explainFlagLetter('Z', en).title, /Unknown flag Z/);
    assert.match(explainFlagLetter('Z', zh).title, /未知标志/);
    assert.equal(explainState(42, en).title, 'TCP state');
    assert.equal(explainState('NOPE', zh).title, 'TCP 状态');
    assert.match(explainStep('bogus', en).text[0], /bogus/);
    assert.equal(explainStep('', en).text[0], 'This packet plays no part in opening or closing the connection.');
    assert.equal(explainAnalysis('nonsense', en).title, 'TCP analysis');
    assert.equal(explainAnalysis(3, en).title, 'TCP analysis');
    assert.match(explainOption('unknown-200 0xff', {}, zh).title, /未知选项类型 200/);
    assert.match(explainOption('', {}, en).title, /TCP option/);
    assert.equal(explainPort(-1, en).title, 'Port ?');
    assert.ok(explainFlags(-1, {}, en).text.length > 0);
    assert.ok(explainSeq({}, en).text.length > 0);
    assert.ok(explainWindow({ win: NaN }, en).text.length > 0);
    for (let f = 0; f <= 50; f++) {
      const e = explainTextField(f, {}, zh);
      assert.ok(e.title.length > 0, String(f));
      explainTextField(f, { packet: {} as never, text: '\u0000' }, en);
      explainTextField(f, { packet: null, text: '' }, en);
    }
  });

  it('explains every span of parsed tcpdump text, with the engine rows', () => {
    const text = [
      '10:00:00.000000 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)',
      '    10.0.0.1.51234 > 10.0.0.2.80: Flags [S], cksum 0x1234 (incorrect -> 0x5678), seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0',
      '10:00:00.000100 IP 10.0.0.2.80 > 10.0.0.1.51234: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460,sackOK,TS val 2 ecr 1,nop,wscale 7], length 0',
      '10:00:00.000200 IP 10.0.0.1.51234 > 10.0.0.2.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 3 ecr 2], length 0',
      '10:00:00.000300 IP 10.0.0.1.51234 > 10.0.0.2.80: Flags [P.], seq 1:79, ack 1, win 502, options [nop,nop,TS val 4 ecr 2], length 78: HTTP: GET / HTTP/1.1',
      '10:00:00.000400 IP 10.0.0.2.80 > 10.0.0.1.51234: Flags [.], ack 79, win 509, options [nop,nop,TS val 5 ecr 4,nop,nop,sack 1 {1:2}], length 0',
      '10:00:00.000500 IP 10.0.0.1.51234 > 10.0.0.2.80: Flags [F.], seq 79, ack 1, win 502, length 0',
      '10:00:00.000600 IP 10.0.0.2.80 > 10.0.0.1.51234: Flags [.], ack 80, win 509, length 0',
      '10:00:00.000700 IP6 fe80::1.443 > fe80::2.50000: Flags [R], seq 1, win 0, length 0',
      '10:00:00.000800 IP 10.0.0.1.51234 > 10.0.0.2.80: tcp 0',
      '10:00:00.000900 IP 10.0.0.1.51234 > 10.0.0.2.80: [|tcp]',
    ].join('\n');
    const log = parseTcpdumpText(text);
    const eng = new TcpEngine();
    const segIdx: number[] = [];
    for (const p of log.packets) {
      const seg = toSegmentInput(p);
      if (seg !== null) {
        eng.add(seg);
        segIdx[p.index] = seg.index;
      }
    }
    eng.finish();
    const lines = text.split('\n');
    const generic = explainGeneric(en).text[0];
    let spans = 0;
    const seen = new Set<number>();
    for (const p of log.packets) {
      const row: PacketResult | undefined = segIdx[p.index] !== undefined ? eng.result(segIdx[p.index]) : undefined;
      const base = packetContext(p, row ?? null);
      for (const s of M.spansOf(p)) {
        const spanText = lines[s.line].slice(s.startCol, s.endCol);
        for (const t of [en, zh]) {
          const e = explainTextField(s.field, { ...base, packet: p, text: spanText, span: s }, t);
          assert.ok(e.title.length > 0);
          if (t === en) assert.notEqual(e.text[0], generic, s.name + ' "' + spanText + '"');
          assert.ok(toMarkdown(e).length > 0);
        }
        seen.add(s.field);
        spans++;
      }
    }
    assert.ok(spans > 50, 'spans: ' + spans);
    for (const f of [M.F_TIME, M.F_IP_TTL, M.F_SRC_HOST, M.F_DST_PORT, M.F_ARROW, M.F_FLAGS, M.F_FLAG, M.F_SEQ, M.F_ACK, M.F_WIN, M.F_OPTION, M.F_OPTION_VALUE, M.F_LENGTH]) {
      assert.ok(seen.has(f), 'no span for ' + M.FIELD_NAMES[f]);
    }
    // the SYN+ACK hover names the handshake step and the states the engine found
    const synAck = log.packets[1];
    const r = eng.result(segIdx[synAck.index]);
    assert.ok(r !== undefined);
    const e = explainTextField(M.F_FLAGS, { ...packetContext(synAck, r), packet: synAck, text: 'Flags [S.]' }, en);
    assert.equal(e.title, 'SYN+ACK from the server');
    assert.match(e.here.join(' '), /Step 2 of the three-way handshake/);
    assert.match(e.here.join(' '), new RegExp('server ' + TCP_STATES[r.serverState]));
    assert.equal(r.serverState, S_SYN_RCVD);
    // option values find their option through the span: TS val / ecr of the SYN
    const syn = log.packets[0];
    const vals = M.spansOf(syn).filter((s) => s.field === M.F_OPTION_VALUE).map((s) =>
      explainTextField(M.F_OPTION_VALUE, { packet: syn, text: lines[s.line].slice(s.startCol, s.endCol), span: s }, en).title);
    assert.deepEqual(vals, ['MSS 1460', 'TS val 1', 'TS ecr 0', 'Window scale 7']);
    // the window of the third packet is scaled by 2^7 (both SYNs carried wscale 7)
    const ack3 = log.packets[2];
    const w = explainTextField(M.F_WIN, { ...packetContext(ack3, eng.result(segIdx[ack3.index])), packet: ack3, text: 'win 502' }, en);
    assert.match(w.here.join(' '), /502 × 2\^7 = 64256 bytes/);
  });

  it('packetContext: states before, time gaps', () => {
    const log = parseTcpdumpText([
      '10:00:00.000000 IP 10.0.0.9.40000 > 10.0.0.2.81: Flags [S], seq 1, win 64240, length 0',
      '10:00:00.250000 IP 10.0.0.2.81 > 10.0.0.9.40000: Flags [R.], seq 0, ack 2, win 0, length 0',
    ].join('\n'));
    const eng = new TcpEngine();
    for (const p of log.packets) eng.add(toSegmentInput(p)!);
    eng.finish();
    const [a, b] = log.packets;
    const ctx = packetContext(b, eng.result(1), { row: eng.result(0), packet: a, linePacket: a });
    assert.equal(ctx.prevClientState, S_SYN_SENT);
    assert.equal(ctx.gapSec, 0.25);
    const e = explainTextField(M.F_FLAGS, { ...ctx, packet: b, text: 'Flags [R.]' }, en);
    assert.equal(e.title, 'RST+ACK from the server');
    assert.match(e.here.join(' '), /Connection refused/);
    assert.match(explainTextField(M.F_TIME, { ...ctx, packet: b }, en).here.join(' '), /250 ms since the previous packet of this connection/);
  });

  it('is fast enough for hovers', () => {
    const ctx = { flags: TH_FIN | TH_ACK, step: 'teardown 1/4', clientState: S_FIN_WAIT_1, serverState: S_CLOSE_WAIT, senderRole: 'client' as const, analysis: A_RETRANSMISSION, len: 0 };
    const n = 5000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      toMarkdown(explainTextField(M.F_FLAGS, ctx, zh));
      toMarkdown(explainTextField(M.F_OPTION, { ...ctx, text: 'TS val 1 ecr 2' }, zh));
      toMarkdown(explainTextField(M.F_IP_TTL, { text: 'ttl 57' }, zh));
    }
    const perCall = Number(process.hrtime.bigint() - t0) / 1e6 / (3 * n);
    assert.ok(perCall < 0.1, perCall + ' ms per explanation');
  });
});
