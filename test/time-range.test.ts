/**
 * Times out of range (issue 11): pcapng times beyond Date's range (year 275760) or with bit 31 of
 * the low 32 bits set print as tcpdump 4.99.3 prints them, and tcpdump text whose time no tcpdump
 * prints (hundreds of digits) is not read as Infinity, so JSON and SVG never show Infinity/NaN.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readAll } from './helpers/corpus';
import { skipBecause } from './helpers/skip';
import { needTool } from './helpers/tools';
import { parsePrintArgs } from '../src/cli';
import { TH_SYN } from '../src/core/decode/packet';
import { tcpFrame } from '../src/core/synth/frames';
import { pcapngEPB, pcapngIDB, pcapngSHB } from '../src/core/synth/writers';
import { PacketPrinter } from '../src/core/print/packet';
import { civilFromDays, daysFromCivil } from '../src/core/print/time';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const ERR = '[Error converting time]';

const frame = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, seq: 1, flags: TH_SYN });

/** An IDB with if_tsresol (raw byte) and, when given, if_tsoffset. */
function idb(tsresol: number, tsoffset?: bigint): Uint8Array {
  if (tsoffset === undefined) return pcapngIDB(1, 262144, tsresol);
  const opts = new Uint8Array(8 + 12 + 4);
  const ov = new DataView(opts.buffer);
  ov.setUint16(0, 9, true);
  ov.setUint16(2, 1, true);
  opts[4] = tsresol;
  ov.setUint16(8, 14, true);
  ov.setUint16(10, 8, true);
  ov.setBigInt64(12, tsoffset, true);
  const len = 20 + opts.length;
  const b = new Uint8Array(len);
  const v = new DataView(b.buffer);
  v.setUint32(0, 1, true);
  v.setUint32(4, len, true);
  v.setUint16(8, 1, true);
  v.setUint32(12, 262144, true);
  b.set(opts, 16);
  v.setUint32(len - 4, len, true);
  return b;
}

function pcapng(block: Uint8Array, units: bigint[]): Buffer {
  return Buffer.concat([pcapngSHB(), block, ...units.map((u) => pcapngEPB(0, u, frame))]);
}

// The files of the issue and their neighbours. Every expected column below is what
// `TZ=UTC tcpdump -n -r FILE` (4.99.3) printed for the file.
const FILES: Record<string, Buffer> = {
  // 2^63 ns: 2262; (2^64 - 1) ns: 2554; 0
  ns: pcapng(idb(9), [(1n << 64n) - 1n, 1n << 63n, 0n]),
  // 2^63 µs is in year 294247, beyond Date's 275760; 2^64 - 1 µs has bit 31 of its seconds set
  us: pcapng(idb(6), [1n << 63n, (1n << 64n) - 1n]),
  // if_tsresol 1 s (byte 0x00 = 10^0): 2^64 - 1 s is -1 as libpcap's signed time_t
  s: pcapng(idb(0), [1n, 1n << 40n, 1n << 60n, 1n << 63n, (1n << 64n) - 1n]),
  // 2^31 s (bit 31), 25 hours later, then 2^53 s (year 285428751)
  b31: pcapng(idb(0), [1n << 31n, (1n << 31n) + 90000n, 1n << 53n]),
  // if_tsoffset -100000 s: before 1970 (not at 0.000000 exactly, which tcpdump's -ttt takes for
  // "no reference yet" and we do not copy)
  neg: pcapng(idb(0, -100000n), [0n, 100001n, 200000n]),
  // if_tsoffset -2^40 s: year -32873; and year 500 (strftime's %Y has no padding)
  past: pcapng(idb(0, -(1n << 40n)), [0n, (1n << 40n) - 46388678400n]),
};

const EXPECTED: [string, string, string[]][] = [
  ['ns', '-tttt', ['2554-07-21 23:34:33.709551', '2262-04-11 23:47:16.854775', '1970-01-01 00:00:00.000000']],
  ['ns', '-tt', ['1266874889.709551', '633437444.854775', '0.000000']],
  ['ns', '-ttt', [' 00:00:00.000000', '-23:47:16.854776', '-23:47:16.854775']],
  ['ns', '-ttttt', [' 00:00:00.000000', '-23:47:16.854776', '-23:34:33.709551']],
  ['us', '-tttt', ['294247-01-10 04:00:54.775808', ERR]],
  ['us', '', ['04:00:54.775808', ERR]],
  ['us', '-tt', ['2077252342.775808', ERR]],
  ['us', '-ttt', [' 00:00:00.000000', ' 04:00:54.775807']],
  ['s', '-tttt', ['1970-01-01 00:00:01.000000', '36812-02-20 00:36:16.000000', ERR, ERR, ERR]],
  ['s', '-tt', ['1.000000', '0.000000', '0.000000', '0.000000', ERR]],
  ['s', '-ttt', [' 00:00:00.000000', ' ' + ERR, ' ' + ERR, '-' + ERR, ' ' + ERR]],
  ['s', '-ttttt', [' 00:00:00.000000', ' ' + ERR, ' ' + ERR, '-' + ERR, '-00:00:02.000000']],
  ['b31', '-tttt', [ERR, ERR, '285428751-11-12 07:36:32.000000']],
  ['b31', '-tt', [ERR, ERR, '0.000000']],
  ['b31', '-ttt', [' 00:00:00.000000', ' 01:00:00.000000', ' 03:22:24.000000']],
  ['neg', '-tttt', [ERR, '1970-01-01 00:00:01.000000', '1970-01-02 03:46:40.000000']],
  ['neg', '-tt', [ERR, '1.000000', '100000.000000']],
  ['neg', '-ttt', [' 00:00:00.000000', ' 03:46:41.000000', ' 03:46:39.000000']],
  ['neg', '-ttttt', [' 00:00:00.000000', ' 03:46:41.000000', ' 07:33:20.000000']],
  ['past', '-tttt', ['-32873-11-12 23:23:44.000000', '500-01-01 00:00:00.000000']],
];

describe('times out of range', function () {
  this.timeout(20000);
  let dir: string;
  let savedTz: string | undefined;

  before(function () {
    savedTz = process.env.TZ;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-times-'));
    for (const [name, bytes] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name + '.pcapng'), bytes);
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  async function ours(name: string, opts: string[], tz: string): Promise<string[]> {
    process.env.TZ = tz;
    const file = path.join(dir, name + '.pcapng');
    const { opts: po } = parsePrintArgs([file, ...opts]);
    const printer = new PacketPrinter(po);
    const { records } = await readAll(file);
    return records.map((r) => printer.print(r)).join('').split('\n').filter((l) => l !== '');
  }

  for (const [name, opt, columns] of EXPECTED) {
    it(`${name}.pcapng ${opt || '(time of day)'} prints tcpdump's time column`, async function () {
      const lines = await ours(name, opt ? [opt] : [], 'UTC');
      assert.deepEqual(lines.map((l) => l.slice(0, l.indexOf(' IP '))), columns);
      assert.ok(lines.every((l) => !/NaN|Infinity/.test(l)));
    });
  }

  it('proleptic Gregorian day numbers round-trip over ±300 million years', function () {
    for (const y of [-300000000, -271821, -32873, -1, 0, 4, 100, 1969, 1970, 2000, 2100, 275760, 294247, 285428751]) {
      for (const [m, d] of [[1, 1], [2, 28], [3, 1], [12, 31]]) {
        assert.deepEqual(civilFromDays(daysFromCivil(y, m, d)), { y, m, d });
      }
      // a leap day exactly when the Gregorian rule says
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      assert.equal(daysFromCivil(y, 3, 1) - daysFromCivil(y, 2, 28), leap ? 2 : 1);
    }
    assert.equal(daysFromCivil(1970, 1, 1), 0);
    assert.equal(daysFromCivil(2000, 3, 1), Date.UTC(2000, 2, 1) / 86400000);
  });

  // The whole output against the installed tcpdump, in UTC and in a zone with DST (whose rule beyond
  // Date's range, and local mean time far in the past, come from the 400-year repeat of the calendar).
  for (const tz of ['UTC', 'America/New_York']) {
    for (const name of Object.keys(FILES)) {
      it(`${name}.pcapng, every time form, TZ=${tz}: same text as tcpdump`, async function () {
        needTool(this, 'tcpdump');
        if (tz !== 'UTC' && !fs.existsSync(path.join('/usr/share/zoneinfo', tz))) skipBecause(this, `tcpdump's C library has no zone ${tz}`);
        for (const opt of ['', '-tt', '-ttt', '-tttt', '-ttttt', '--nano']) {
          const args = opt ? [opt] : [];
          const t = spawnSync('tcpdump', ['-n', '-r', path.join(dir, name + '.pcapng'), ...args], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
          assert.equal(t.status, 0, t.stderr);
          assert.deepEqual(await ours(name, args, tz), t.stdout.split('\n').filter((l) => l !== ''), `${name} ${opt}`);
        }
      });
    }
  }
});

describe('tcpdump text with a time no tcpdump prints', function () {
  this.timeout(30000);
  let dir: string;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-times-'));
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function cli(args: string[]): { code: number | null; stdout: string } {
    // a time limit: the 30-digit "(invalid ns)" fraction used to loop in the time rebuild for ever
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 15000 });
    return { code: r.status, stdout: r.stdout };
  }

  const syn = 'IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], seq 1, win 65535, length 0';
  const synAck = 'IP 10.0.0.2.80 > 10.0.0.1.1000: Flags [S.], seq 1, ack 2, win 65535, length 0';
  const cases: [string, string][] = [
    ['400-digit epoch seconds first', `${'9'.repeat(400)}.000000 ${syn}\n1.000000 ${synAck}\n`],
    ['400-digit epoch seconds second', `1.000000 ${syn}\n${'9'.repeat(400)}.000000 ${synAck}\n`],
    ['400-digit hours', `${'9'.repeat(400)}:00:00.000000 ${syn}\n00:00:01.000000 ${synAck}\n`],
    ['30-digit invalid fraction in a delta', ` 00:00:00.000000 ${syn}\n 00:00:01.${'9'.repeat(30)} (invalid ns) ${synAck}\n`],
  ];
  for (const [what, text] of cases) {
    it(`${what}: JSON and SVG hold no Infinity or NaN`, function () {
      const file = path.join(dir, 'odd.tcpdump');
      fs.writeFileSync(file, text);
      const json = cli(['packets', '--json', file]);
      assert.equal(json.code, 0);
      const rows = JSON.parse(json.stdout) as { time: string }[];
      assert.ok(rows.length >= 1);
      for (const r of rows) assert.match(r.time, /^-?\d+\.\d{9}$/);
      const svg = cli(['flow', '--svg', file]);
      assert.equal(svg.code, 0);
      assert.ok(svg.stdout.includes('<svg'));
      assert.doesNotMatch(svg.stdout, /NaN|Infinity/);
    });
  }
});
