/** The CLI's contract: output, exit codes and one-line errors. Runs the built dist/cli.js. */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parsePrintArgs } from '../src/cli';
import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../src/core/decode/packet';
import { tcpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { FLOW_MAX_LIFELINES } from '../src/core/flow/model';
import { generated } from './helpers/generated';
import { analyzeCaptureFile } from '../src/node/analyze';
import { connJson, formatConnsTable } from '../src/core/tcp/json';
import { formatEn } from '../src/core/explain/l10n';
import { zhCn } from '../src/node/l10n';
import { perfJson } from '../src/core/perf/summary';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

function run(args: string[], nodeArgs: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 256 * 1024 * 1024 });
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

  it('print writes the same bytes to a file and to /dev/null as through a pipe, over many 64 KiB chunks; a full disk is an error', function () {
    // 4,000 lines of ~90 bytes: five 64 KiB chunks and a rest, written to a file straight from one reused buffer
    const recs = [pcapHeader()];
    for (let i = 0; i < 4000; i++) {
      const frame = tcpFrame({ src: `10.0.${i >> 8}.${i & 255}`, dst: '192.168.1.1', sport: 1024 + i, dport: 443, seq: i * 1000, ack: 1, flags: TH_ACK, win: 500 + i });
      recs.push(pcapRecord(1700000000 + (i >> 4), i * 61, frame));
    }
    const cap = path.join(dir, 'many.pcap');
    fs.writeFileSync(cap, Buffer.concat(recs));
    const piped = run(['print', cap]);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout.split('\n').length, 4001);
    assert.ok(piped.stdout.length > 5 * 65536, `${piped.stdout.length} bytes`);
    const toFile = (target: string): { code: number | null; stderr: string } => {
      const fd = fs.openSync(target, 'w');
      try {
        const r = spawnSync(process.execPath, [CLI, 'print', cap], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
        return { code: r.status, stderr: r.stderr };
      } finally {
        fs.closeSync(fd);
      }
    };
    const out = path.join(dir, 'many.txt');
    const r = toFile(out);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(out, 'utf8'), piped.stdout);
    if (fs.existsSync('/dev/null')) assert.deepEqual(toFile('/dev/null'), { code: 0, stderr: '' });
    if (fs.existsSync('/dev/full')) {
      const full = toFile('/dev/full');
      assert.equal(full.code, 1);
      assert.match(full.stderr, /^capture-lens: .*ENOSPC.*\n$/);
    }
  });

  it('print into a pipe its reader closes early (`| head -1`) exits 0 and says nothing, file read directly or gunzipped', async function () {
    // 4,000 lines of ~90 bytes (~360 KB): more than a pipe holds, so print is still writing when the pipe closes
    const recs = [pcapHeader()];
    for (let i = 0; i < 4000; i++) {
      const frame = tcpFrame({ src: `10.1.${i >> 8}.${i & 255}`, dst: '192.168.1.1', sport: 1024 + i, dport: 443, seq: i, ack: 1, flags: TH_ACK, win: 500 });
      recs.push(pcapRecord(1700000000 + i, 0, frame));
    }
    const cap = path.join(dir, 'closed-early.pcap');
    fs.writeFileSync(cap, Buffer.concat(recs));
    fs.writeFileSync(cap + '.gz', zlib.gzipSync(Buffer.concat(recs)));
    for (const file of [cap, cap + '.gz']) {
      const child = spawn(process.execPath, [CLI, 'print', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      // the first line read, the pipe closed, as head -1 does
      child.stdout.once('data', (d: Buffer) => {
        assert.match(d.toString('utf8'), /^\d\d:\d\d:\d\d\.\d{6} IP 10\.1\.0\.0\.1024 > /);
        child.stdout.destroy();
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      assert.deepEqual({ code, stderr }, { code: 0, stderr: '' }, file);
    }
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

  it('conns (and packets of a log) write line by line the same JSON and table as in one piece', async function () {
    const f = generated().pcap;
    const { engine } = await analyzeCaptureFile(f, undefined, { perf: true });
    const sums = engine.summaries();
    assert.equal(sums.length, 40);
    const j = run(['conns', f, '--json']);
    assert.equal(j.code, 0, j.stderr);
    const convs = engine.conversations();
    assert.equal(j.stdout, JSON.stringify(sums.map((s, i) => ({ ...connJson(s, zhCn()), perf: perfJson(convs[i]) })), null, 2) + '\n');
    for (const lang of ['en', 'zh'] as const) {
      const t = run(lang === 'zh' ? ['conns', f, '--zh'] : ['conns', f]);
      assert.equal(t.code, 0, t.stderr);
      assert.equal(t.stdout, formatConnsTable(sums, { t: lang === 'zh' ? zhCn() : formatEn }));
    }
    // and a log's packets as one JSON array
    const log = path.join(dir, 'gen.tcpdump');
    const printed = run(['print', f]).stdout;
    fs.writeFileSync(log, printed);
    const p = run(['packets', log, '--json']);
    assert.equal(p.code, 0, p.stderr);
    const arr: unknown[] = JSON.parse(p.stdout);
    assert.equal(arr.length, printed.trimEnd().split('\n').length);
    assert.equal(p.stdout, '[\n' + arr.map((o) => JSON.stringify(o)).join(',\n') + '\n]\n'); // one object a line
  });

  it('perf: a report per connection (text, --zh, --json, --stream N); a missing stream is said', async function () {
    const f = path.join(dir, 'perf-retrans.pcap');
    // handshake (10 ms), a request sent at 20 ms, sent again at 320 ms, acknowledged at 321 ms
    const c = '10.0.0.1';
    const s = '10.0.0.2';
    const at = (ms: number, frame: Uint8Array) => pcapRecord(1_700_000_000, ms * 1000, frame);
    const cs = (seq: number, ack: number, flags: number, payload?: Uint8Array) => tcpFrame({ src: c, dst: s, sport: 40000, dport: 80, seq, ack, flags, win: 1000, payload });
    const sc = (seq: number, ack: number, flags: number) => tcpFrame({ src: s, dst: c, sport: 80, dport: 40000, seq, ack, flags, win: 1000 });
    const data = new Uint8Array(100);
    fs.writeFileSync(f, Buffer.concat([pcapHeader(1, false), at(0, cs(1000, 0, TH_SYN)), at(10, sc(5000, 1001, TH_SYN | TH_ACK)), at(11, cs(1001, 5001, TH_ACK)),
      at(20, cs(1001, 5001, TH_ACK, data)), at(320, cs(1001, 5001, TH_ACK, data)), at(321, sc(5001, 1101, TH_ACK))]));
    const en = run(['perf', f]);
    assert.equal(en.code, 0, en.stderr);
    assert.match(en.stdout, /Handshake RTT 11\.0 ms \(SYN → SYN\/ACK 10\.0 ms, SYN\/ACK → ACK 1\.0 ms\): captured near the client\./);
    assert.match(en.stdout, /Retransmitted 100 bytes in 1 segments \(50 % of the bytes sent\)\./);
    assert.match(en.stdout, /Loss episodes: 0 fast retransmit, 1 timeout; 300 ms waited for timeouts\./);
    // the verdict, its evidence (the retransmission is frame 5) and what to change
    assert.match(en.stdout, /Verdicts:\n {4}client → server: Retransmission timeout stalls\.\n {6}Retransmission timeouts \(1\) stopped the sender for 300 ms in all \(the longest 300 ms; packets 5\)\.\n {6}What to change: /);
    const zh = run(['perf', f, '--zh']);
    assert.match(zh.stdout, /握手 RTT 11\.0 ms/);
    assert.match(zh.stdout, /结论：\n {4}客户端 → 服务器：重传超时停顿。\n {6}重传超时（1 次）共让发送方停下 300 ms/);
    assert.doesNotMatch(zh.stdout, /Handshake|Loss episodes/);
    const j = run(['perf', f, '--json', '--stream', '0']);
    const arr = JSON.parse(j.stdout) as { stream: number; perf: { handshake: { capturedNear: string }; clientToServer: { retransmittedBytes: number } } }[];
    assert.deepEqual([arr.length, arr[0].stream, arr[0].perf.handshake.capturedNear, arr[0].perf.clientToServer.retransmittedBytes], [1, 0, 'client', 100]);
    const verdicts = (JSON.parse(j.stdout) as { perf: { verdicts: { kind: string; packets: number[] }[] } }[])[0].perf.verdicts;
    assert.deepEqual(verdicts.map((v) => [v.kind, v.packets]), [['rto-stalls', [5]]]);
    const missing = run(['perf', f, '--stream', '7']);
    assert.match(missing.stderr, /no TCP stream 7/);
    assert.equal(missing.code, 1);
    assert.equal(run(['perf', f, '--bogus']).code, 2);
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

  it('packets --json, conns and flow refuse a file that is not a capture (text, PNG, zip, empty) with print\'s reason', function () {
    const files: [string, Buffer][] = [
      ['notes.txt', Buffer.from('hello, this is not a capture\nnor a tcpdump log\n')],
      ['image.png', Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex')],
      ['archive.zip', Buffer.from('504b0304140000000800' + '00'.repeat(20), 'hex')],
      ['empty.pcap', Buffer.alloc(0)],
    ];
    for (const [name, bytes] of files) {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      const p = run(['print', f]);
      assert.equal(p.code, 1, name);
      assert.equal(p.stderr.split('\n').length, 2, name); // one line
      for (const cmd of [['packets', f, '--json'], ['conns', f], ['conns', f, '--json'], ['flow', f], ['flow', f, '--svg']]) {
        const r = run(cmd);
        assert.equal(r.code, 1, cmd.join(' '));
        assert.equal(r.stdout, '', cmd.join(' '));
        assert.equal(r.stderr, p.stderr, cmd.join(' '));
      }
    }
  });

  it('packets, conns and flow still read tcpdump text', function () {
    const f = path.join(dir, 'hs.tcpdump');
    fs.writeFileSync(f, run(['print', good]).stdout);
    const c = run(['conns', f]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /10\.0\.0\.1:40000\s+10\.0\.0\.2:80/);
    assert.equal(JSON.parse(run(['packets', f, '--json']).stdout).length, 2);
    assert.match(run(['flow', f]).stdout, /\|-+SYN-+>\|/);
  });

  it('flow on a cut-short capture draws the rows before the damage, then exits 1 with the byte offset (as print and conns)', function () {
    const f = path.join(dir, 'cut-flow.pcap');
    const whole = fs.readFileSync(good);
    fs.writeFileSync(f, whole.subarray(0, whole.length - 10));
    const p = run(['print', f]);
    assert.match(p.stderr, /at byte \d+/);
    for (const args of [['flow', f], ['flow', f, '--svg'], ['conns', f]]) {
      const r = run(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, p.stderr, args.join(' '));
    }
    const t = run(['flow', f]);
    assert.match(t.stdout, /\|-+SYN-+>\|/);
    assert.doesNotMatch(t.stdout, /SYN, ACK/);
  });

  it('a gzip bomb: packets, conns and flow show what was unpacked before the limit, then exit 1 with print\'s reason', function () {
    // the two-packet handshake, then 24 MiB of zeros (empty records): ~25 KB of gzip that would inflate 1000-fold;
    // reading stops at the 16 MiB floor of src/node/gzipLimits.ts
    const f = path.join(dir, 'bomb.pcap.gz');
    fs.writeFileSync(f, zlib.gzipSync(Buffer.concat([fs.readFileSync(good), Buffer.alloc(24 << 20)]), { level: 9 }));
    const p = run(['print', f]);
    assert.equal(p.code, 1);
    assert.match(p.stderr, /decompression bomb/);
    const conns = run(['conns', f]);
    assert.equal(conns.code, 1, conns.stderr);
    assert.equal(conns.stderr, p.stderr);
    assert.match(conns.stdout, /10\.0\.0\.1/);
    const json = run(['packets', '--json', f]);
    assert.equal(json.code, 1, json.stderr);
    assert.equal(json.stderr, p.stderr);
    assert.equal((JSON.parse(json.stdout) as { src: string }[])[0].src, '10.0.0.1');
    const flow = run(['flow', f]);
    assert.equal(flow.code, 1, flow.stderr);
    assert.match(flow.stdout, /SYN, ACK/);
  });

  it('flow --stream N for a stream that does not exist says so and exits 1', function () {
    const r = run(['flow', good, '--stream', '7']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').length, 2);
    assert.match(r.stderr, /no TCP stream 7 \(its only TCP stream is 0\)/);
    assert.equal(run(['flow', good, '--stream', '0', '--stream', '3', '--svg']).code, 1);
    assert.equal(run(['flow', good, '--stream', '0']).code, 0);
  });

  it('conns prints the table of a 100,000-connection SYN scan (no argument spread of the rows)', function () {
    // 100,000 SYNs to 100,000 (address, port) pairs: one connection and one problem line each.
    // The CLI runs with a 500 KB stack (default ~1 MB) so that the old Math.max(...widths) /
    // push(...lines) overflow here as they did at ~70,000 connections on a deeper stack.
    const f = path.join(dir, 'syn-scan.pcap');
    const n = 100_000;
    const parts: Uint8Array[] = [pcapHeader()];
    for (let i = 0; i < n; i++) {
      const syn = tcpFrame({ src: '10.0.0.1', dst: `10.1.${(i >> 8) & 255}.${i & 255}`, sport: 40000, dport: 1 + (i % 1024), seq: i, flags: TH_SYN, win: 1024 });
      parts.push(pcapRecord(1700000000 + Math.floor(i / 1000), (i % 1000) * 1000, syn));
    }
    fs.writeFileSync(f, Buffer.concat(parts));
    const r = run(['conns', f], ['--stack-size=500']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^STREAM\s+CLIENT/);
    assert.match(lines[n], /^\s*99999\s+10\.0\.0\.1:40000\s+10\.1\.134\.159:672\s/);
    assert.ok(lines.filter((l) => l.startsWith('  stream ')).length >= n, 'a problem line per connection');
  });

  it(`flow draws at most ${FLOW_MAX_LIFELINES} lifelines at once, says so and suggests --stream`, function () {
    // 40 interleaved connections: 80 endpoints, which the old flow drew side by side
    const f = generated().pcap;
    const t = run(['flow', f]);
    assert.equal(t.code, 0, t.stderr);
    const lines = t.stdout.split('\n');
    assert.match(lines[0], /^Note: \d+ of 40 connections drawn: .*at most 32 endpoints.*--stream N/);
    const header = lines.find((l) => l.startsWith('Conv  Time'))!;
    const lifelines = header.trim().split(/\s+/).length - 2;
    assert.ok(lifelines > 2 && lifelines <= FLOW_MAX_LIFELINES, `${lifelines} lifelines`);
    const widest = Math.max(0, ...lines.slice(0, 50).map((l) => l.length)); // 50 lines: a fixed-size spread
    for (const l of lines) assert.ok(l.length <= widest + 200, `a line of ${l.length} characters`);
    assert.ok(widest < (FLOW_MAX_LIFELINES + 2) * 40, `${widest} columns`);
    const svg = run(['flow', f, '--svg']);
    assert.equal(svg.code, 0);
    assert.match(svg.stderr, /^capture-lens: note: \d+ of 40 connections drawn.*--stream N/);
    assert.match(svg.stdout, /<desc>\d+ of 40 connections drawn/);
    // one stream asked for: drawn whole, no note
    const one = run(['flow', f, '--stream', '39']);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /^Time /);
  });

  it('print runs from the print-only bundle and says what the whole CLI says (output, usage, damage, missing file)', function () {
    const dist = path.dirname(CLI);
    // the launcher's print bundle leaves out what print never runs (the TCP engine, perf, ...): texts of theirs that
    // minifying (build --production) keeps
    const printOnly = fs.readFileSync(path.join(dist, 'cli-print.js'), 'utf8');
    const whole = fs.readFileSync(path.join(dist, 'cli-main.js'), 'utf8');
    assert.ok(printOnly.length < 0.7 * whole.length, `${printOnly.length} bytes against ${whole.length}`);
    for (const name of ['TcpEngine.add after finish()', 'packets needs --json']) {
      assert.ok(whole.includes(name), `${name} in cli-main.js`);
      assert.ok(!printOnly.includes(name), `${name} not in cli-print.js`);
    }
    const cut = path.join(dir, 'cut2.pcap');
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const viaMain = (args: string[]) => {
      const r = spawnSync(process.execPath, [path.join(dist, 'cli-main.js'), ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    for (const args of [['print', good], ['print', '-e', '-vv', '-tttt', good], ['print'], ['print', '-Z', good], ['print', cut], ['print', path.join(dir, 'nope.pcap')]]) {
      assert.deepEqual(run(args), viaMain(args), args.join(' '));
    }
  });

  it('print loads its bundle with the code cache the build made, and never with a stale or damaged one', function () {
    const dist = path.dirname(CLI);
    const loaded = (d: string): string => {
      const js = `const l = require(${JSON.stringify(path.join(d, 'cli.js'))}); l.loadPrint(); process.stdout.write(l.printLoaded);`;
      return spawnSync(process.execPath, ['-e', js], { encoding: 'utf8' }).stdout;
    };
    assert.equal(loaded(dist), 'code cache');
    // a copy whose print bundle differs in one byte, same length: V8 checks only the length, so the old cache
    // would run the old code; the launcher compares the bytes and compiles the new file
    const copy = fs.mkdtempSync(path.join(dir, 'dist-'));
    fs.copyFileSync(CLI, path.join(copy, 'cli.js'));
    fs.copyFileSync(path.join(dist, 'cli-print.cache'), path.join(copy, 'cli-print.cache'));
    const source = fs.readFileSync(path.join(dist, 'cli-print.js'), 'utf8');
    assert.ok(source.includes('capture-lens help'));
    fs.writeFileSync(path.join(copy, 'cli-print.js'), source.replace('capture-lens help', 'capture-lens hElp'));
    assert.equal(loaded(copy), 'compiled');
    const usage = spawnSync(process.execPath, [path.join(copy, 'cli.js'), 'print', '-Z', good], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /capture-lens hElp/);
    // a cut or missing cache: compiled as usual, prints as ever
    fs.copyFileSync(path.join(dist, 'cli-print.js'), path.join(copy, 'cli-print.js'));
    const cache = fs.readFileSync(path.join(dist, 'cli-print.cache'));
    for (const cut of [2, 100, cache.length - 1000]) {
      fs.writeFileSync(path.join(copy, 'cli-print.cache'), cache.subarray(0, cut));
      assert.equal(loaded(copy), 'compiled', `cache cut at ${cut}`);
    }
    fs.rmSync(path.join(copy, 'cli-print.cache'));
    assert.equal(loaded(copy), 'compiled');
    const printed = spawnSync(process.execPath, [path.join(copy, 'cli.js'), 'print', good], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    assert.equal(printed.stdout, run(['print', good]).stdout);
  });

  it('print compiles its bundle once, whatever its code cache: a foreign or cut one is not compiled over again', function () {
    const dist = path.dirname(CLI);
    const copy = fs.mkdtempSync(path.join(dir, 'dist-'));
    for (const f of ['cli.js', 'cli-print.js', 'cli-print.cache']) fs.copyFileSync(path.join(dist, f), path.join(copy, f));
    const target = path.join(copy, 'cli-print.js');
    // counts every compile of the print bundle: by require (Module's _compile) and by the launcher's vm.Script
    const js = `
      const Module = require('node:module'); const vm = require('node:vm'); const target = ${JSON.stringify(target)};
      let n = 0;
      const compile = Module.prototype._compile;
      Module.prototype._compile = function (content, filename) { if (filename === target) n++; return compile.apply(this, arguments); };
      const Script = vm.Script;
      vm.Script = class extends Script { constructor(code, opts) { super(code, opts); if (opts && opts.filename === target) n++; } };
      const l = require(${JSON.stringify(path.join(copy, 'cli.js'))});
      const exported = typeof l.loadPrint().run;
      process.stdout.write(l.printLoaded + ' ' + n + ' ' + exported);`;
    // --stack-size is one of the flags V8 keeps in a code cache: with another, V8 refuses the cache as it would
    // refuse one made by another node version (an npm-installed CLI run by a node that is not the packer's)
    const loaded = (flags: string[]): string => spawnSync(process.execPath, [...flags, '-e', js], { encoding: 'utf8' }).stdout;
    assert.equal(loaded([]), 'code cache 1 function');
    assert.equal(loaded(['--stack-size=2000']), 'compiled 1 function');
    const cache = fs.readFileSync(path.join(copy, 'cli-print.cache'));
    fs.writeFileSync(path.join(copy, 'cli-print.cache'), cache.subarray(0, cache.length - 1000));
    assert.equal(loaded([]), 'compiled 1 function');
    fs.rmSync(path.join(copy, 'cli-print.cache'));
    assert.equal(loaded([]), 'compiled 1 function');
    // and the foreign cache prints as ever
    fs.writeFileSync(path.join(copy, 'cli-print.cache'), cache);
    const r = spawnSync(process.execPath, ['--stack-size=2000', path.join(copy, 'cli.js'), 'print', good], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, run(['print', good]).stdout);
  });

  it('exits 2 for bad usage', function () {
    assert.equal(run([]).code, 2);
    assert.equal(run(['print']).code, 2);
    assert.equal(run(['print', '-Z', good]).code, 2);
    assert.equal(run(['frobnicate']).code, 2);
  });
});
