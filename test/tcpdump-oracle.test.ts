/**
 * (Server ports are ones tcpdump has no application decoder for: we stop at "length N".)
 *
 * tcpdump as an oracle, when it is installed (Debian's tcpdump 4.99.x): our printer and tcpdump
 * read the same generated captures with the same options and must print the same text.
 * Skips with a printed reason where tcpdump is absent.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readAll } from './helpers/corpus';
import { needTool } from './helpers/tools';
import { parsePrintArgs } from '../src/cli';
import { PacketPrinter } from '../src/core/print/packet';
import { conversations } from '../src/core/synth/conversations';
import { pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from '../src/core/synth/writers';

describe('same text as the installed tcpdump', function () {
  this.timeout(60000);
  let dir: string;
  const files: Record<string, string> = {};
  let savedTz: string | undefined;

  before(function () {
    needTool(this, 'tcpdump');
    savedTz = process.env.TZ;
    process.env.TZ = 'GMT0';
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-oracle-'));
    const pcap: Uint8Array[] = [pcapHeader(1, false)];
    const nano: Uint8Array[] = [pcapHeader(1, true)];
    const ng: Uint8Array[] = [pcapngSHB(), pcapngIDB(1, 262144, 9, 'eth0')];
    for (const p of conversations({ connections: 40, packets: 2000, concurrency: 8, seed: 3, segmentSize: 100, serverPorts: [8888, 9000, 9443, 10000] })) {
      pcap.push(pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame));
      nano.push(pcapRecord(p.tsSec, p.tsNsec, p.frame));
      ng.push(pcapngEPB(0, BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec), p.frame));
    }
    files.pcap = path.join(dir, 'c.pcap');
    files.nano = path.join(dir, 'c-ns.pcap');
    files.pcapng = path.join(dir, 'c.pcapng');
    fs.writeFileSync(files.pcap, Buffer.concat(pcap));
    fs.writeFileSync(files.nano, Buffer.concat(nano));
    fs.writeFileSync(files.pcapng, Buffer.concat(ng));
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  const cases: [string, string[]][] = [
    ['pcap', []],
    ['pcap', ['-S', '-#']],
    ['pcap', ['-v', '-tttt']],
    ['pcap', ['-vv', '-e', '-tt']],
    ['pcap', ['-q', '-ttt']],
    ['nano', ['--nano', '-ttttt']],
    ['nano', ['-X']],
    ['pcapng', ['-xx', '-#']],
    ['pcapng', ['-XX', '-S', '-v']],
  ];
  for (const [which, opts] of cases) {
    it(`${which} ${opts.join(' ') || '(no options)'}`, async function () {
      const file = files[which];
      const tcpdump = spawnSync('tcpdump', ['-n', '-r', file, ...opts], { encoding: 'utf8', env: { ...process.env, TZ: 'GMT0' }, maxBuffer: 1 << 28 });
      assert.equal(tcpdump.status, 0, tcpdump.stderr);
      const { opts: po } = parsePrintArgs([file, ...opts]);
      const printer = new PacketPrinter(po);
      const { records } = await readAll(file);
      const ours = records.map((r) => printer.print(r)).join('');
      const a = ours.split('\n');
      const b = tcpdump.stdout.split('\n');
      const firstDiff = a.findIndex((l, i) => l !== b[i]);
      assert.equal(firstDiff === -1 && a.length === b.length, true, `line ${firstDiff + 1} differs:\n  ours:    ${a[firstDiff]}\n  tcpdump: ${b[firstDiff]}`);
    });
  }
});
