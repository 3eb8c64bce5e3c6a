/** The CLI's contract: output, exit codes and one-line errors. Runs the built dist/cli.js. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePrintArgs } from '../src/cli';
import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../src/core/decode/packet';
import { tcpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('capture-lens CLI', function () {
  this.timeout(20000);
  let dir: string;
  let good: string;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-cli-'));
    good = path.join(dir, 'hs.pcap');
    const syn = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, seq: 1000, flags: TH_SYN, win: 64240 });
    const synack = tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000, seq: 5000, ack: 1001, flags: TH_SYN | TH_ACK, win: 65160 });
    fs.writeFileSync(good, Buffer.concat([pcapHeader(), pcapRecord(1700000000, 1, syn), pcapRecord(1700000000, 2, synack)]));
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parses combined tcpdump options', function () {
    const { opts, file } = parsePrintArgs(['-nnvvS', '-#', '-tttt', '-XX', 'x.pcap']);
    assert.equal(file, 'x.pcap');
    assert.equal(opts.verbose, 2);
    assert.equal(opts.absoluteSeq, true);
    assert.equal(opts.number, true);
    assert.equal(opts.timeFormat, 4);
    assert.equal(opts.hex, 4);
  });

  it('prints a capture and exits 0', function () {
    const r = run(['print', good]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^22:13:20\.000001 IP 10\.0\.0\.1\.40000 > 10\.0\.0\.2\.80: Flags \[S\], seq 1000, win 64240, length 0$/);
    assert.match(lines[1], /Flags \[S\.\], seq 5000, ack 1001, win 65160, length 0$/);
  });

  it('exits 1 with one line for a missing file', function () {
    const r = run(['print', path.join(dir, 'nope.pcap')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /nope\.pcap/);
  });

  it('exits 1 with one line for a file that is not a capture', function () {
    const f = path.join(dir, 'notes.txt');
    fs.writeFileSync(f, 'hello, this is not a capture\n');
    const r = run(['print', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
  });

  it('prints every packet before the damage of a cut-short file, then exits 1', function () {
    const f = path.join(dir, 'cut.pcap');
    const whole = fs.readFileSync(good);
    fs.writeFileSync(f, whole.subarray(0, whole.length - 10));
    const r = run(['print', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trimEnd().split('\n').length, 1);
    assert.match(r.stdout, /Flags \[S\]/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('packets --json: one object per packet with the engine\'s fields', function () {
    const r = run(['packets', good, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const arr = JSON.parse(r.stdout);
    assert.equal(arr.length, 2);
    assert.deepEqual(
      { no: arr[0].no, time: arr[0].time, flags: arr[0].flags, seq: arr[0].seq, seqRaw: arr[0].seqRaw, stream: arr[0].stream, step: arr[0].step, states: arr[0].states },
      { no: 1, time: '1700000000.000001000', flags: 'S', seq: 0, seqRaw: 1000, stream: 0, step: 'handshake 1/3', states: { client: 'SYN_SENT', server: 'SYN_RCVD' } },
    );
    assert.equal(arr[1].flags, 'S.');
    assert.equal(arr[1].ack, 1);
    assert.equal(arr[1].ackRaw, 1001);
    assert.equal(arr[1].step, 'handshake 2/3');
    for (const k of ['src', 'dst', 'sport', 'dport', 'proto', 'win', 'winScaled', 'len', 'analysis']) assert.ok(k in arr[1], k);
  });

  it('conns: JSON and a readable table', function () {
    const j = run(['conns', good, '--json']);
    assert.equal(j.code, 0, j.stderr);
    const [c] = JSON.parse(j.stdout);
    assert.equal(c.client, '10.0.0.1:40000');
    assert.equal(c.server, '10.0.0.2:80');
    assert.equal(c.connState, 'S1');
    assert.equal(c.history, 'Sh');
    const t = run(['conns', good]);
    assert.equal(t.code, 0);
    assert.match(t.stdout, /10\.0\.0\.1:40000\s+10\.0\.0\.2:80/);
  });

  it('conns --zh: the table, the severities and the problems in Chinese, no English severity word', function () {
    // an error (refused), a warning (no answer) and an info (reset after both FINs)
    const c = '10.0.0.1';
    const s = '10.0.0.2';
    const seg = (from: 'c' | 's', port: number, seq: number, ack: number, flags: number) =>
      from === 'c'
        ? tcpFrame({ src: c, dst: s, sport: port, dport: 80, seq, ack, flags, win: 64240 })
        : tcpFrame({ src: s, dst: c, sport: 80, dport: port, seq, ack, flags, win: 65160 });
    const frames = [
      seg('c', 40001, 1000, 0, TH_SYN),
      seg('s', 40001, 0, 1001, TH_RST | TH_ACK),
      seg('c', 40002, 3000, 0, TH_SYN),
      seg('c', 40003, 2000, 0, TH_SYN),
      seg('s', 40003, 6000, 2001, TH_SYN | TH_ACK),
      seg('c', 40003, 2001, 6001, TH_ACK),
      seg('c', 40003, 2001, 6001, TH_FIN | TH_ACK),
      seg('s', 40003, 6001, 2002, TH_FIN | TH_ACK),
      seg('c', 40003, 2002, 0, TH_RST),
    ];
    const file = path.join(dir, 'problems.pcap');
    fs.writeFileSync(file, Buffer.concat([pcapHeader(), ...frames.map((f, i) => pcapRecord(1700000000, i + 1, f))]));

    const english = run(['conns', file]);
    assert.equal(english.code, 0, english.stderr);
    for (const w of ['error refused', 'warning no-answer', 'info reset']) assert.match(english.stdout, new RegExp(w));

    const zh = run(['conns', file, '--zh']);
    assert.equal(zh.code, 0, zh.stderr);
    assert.doesNotMatch(zh.stdout, /\b(?:error|warning|info)\b/i);
    assert.match(zh.stdout, /^流\s+客户端\s+服务器/);
    assert.match(zh.stdout, /问题：/);
    assert.match(zh.stdout, /流 0，第 2 个包，错误 refused：连接被拒绝：10\.0\.0\.2:80 对 SYN 直接回了 RST。/);
    assert.match(zh.stdout, /流 1，第 3 个包，警告 no-answer：没有应答：客户端向 10\.0\.0\.2:80 发送了 1 个 SYN/);
    assert.match(zh.stdout, /流 2，第 9 个包，信息 reset：连接在双方都已发送 FIN 之后被客户端（10\.0\.0\.1:40003）重置/);

    // the JSON has both languages whatever the flag
    const [refused] = JSON.parse(run(['conns', file, '--json']).stdout);
    assert.match(refused.problems[0].message, /^Connection refused: 10\.0\.0\.2:80 answered the SYN with a reset\./);
    assert.match(refused.problems[0].messageZh, /^连接被拒绝：10\.0\.0\.2:80 对 SYN 直接回了 RST。/);
  });

  it('packets and conns: same errors and exit codes as print', function () {
    assert.equal(run(['packets', path.join(dir, 'nope.pcap'), '--json']).code, 1);
    assert.equal(run(['conns', path.join(dir, 'nope.pcap')]).code, 1);
    assert.equal(run(['packets', good]).code, 2);
    assert.equal(run(['conns', good, '--bogus']).code, 2);
  });

  it('flow: the handshake as a text diagram, or an SVG picture', function () {
    const t = run(['flow', good]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /10\.0\.0\.1:40000\s+10\.0\.0\.2:80/);
    assert.match(t.stdout, /\|-+SYN-+>\|\s+Seq = 0 Win = 64240/);
    assert.match(t.stdout, /\|<-+SYN, ACK-+\|/);
    assert.match(t.stdout, /\[SYN_SENT\]/);
    const svg = run(['flow', good, '--svg']);
    assert.equal(svg.code, 0);
    assert.match(svg.stdout, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg.stdout, /<\/svg>\s*$/);
    assert.equal(run(['flow', good, '--stream', 'x']).code, 2);
    assert.equal(run(['flow', path.join(dir, 'nope.pcap')]).code, 1);
  });

  it('exits 2 for bad usage', function () {
    assert.equal(run([]).code, 2);
    assert.equal(run(['print']).code, 2);
    assert.equal(run(['print', '-Z', good]).code, 2);
    assert.equal(run(['frobnicate']).code, 2);
  });
});
