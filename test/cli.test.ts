/** The CLI's contract: output, exit codes and one-line errors. Runs the built dist/cli.js. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePrintArgs } from '../src/cli';
import { TH_ACK, TH_SYN } from '../src/core/decode/packet';
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

  it('--version prints package.json\'s version', function () {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const r = run(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${pkg.version}\n`);
    assert.match(run(['help']).stdout, /--version/);
  });

  it('bin/capture-lens.js runs the built CLI, and says how to build it when dist/ is missing', function () {
    const bin = path.resolve(__dirname, '..', '..', 'bin', 'capture-lens.js');
    const ok = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^\d+\.\d+\.\d+/);
    // the same launcher in a folder with no dist/ beside it: one line naming the fix, no stack trace
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.copyFileSync(bin, path.join(dir, 'bin', 'capture-lens.js'));
    const missing = spawnSync(process.execPath, [path.join(dir, 'bin', 'capture-lens.js'), '--help'], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.match(missing.stderr, /npm run build/);
  });

  it('exits 2 for bad usage', function () {
    assert.equal(run([]).code, 2);
    assert.equal(run(['print']).code, 2);
    assert.equal(run(['print', '-Z', good]).code, 2);
    assert.equal(run(['frobnicate']).code, 2);
  });
});
