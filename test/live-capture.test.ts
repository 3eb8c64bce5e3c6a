/**
 * Live capture's Node side (issue 16, src/node/tcpdump.ts and src/node/saveCapture.ts): the
 * interface list, what tcpdump's complaints mean, the argument vectors (never a shell), the filter
 * check and a short capture on lo against the installed tcpdump (skipped with the reason without
 * tcpdump or root), and Save As in both formats read back record for record.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import type { CaptureRecord } from '../src/core/capture/types';
import { conversations } from '../src/core/synth/conversations';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { readCaptureFile } from '../src/node/captureFile';
import { saveCaptureAs } from '../src/node/saveCapture';
import { captureArgs, checkFilter, classifyFailure, listInterfaces, parseInterfaces, TcpdumpProcess, textArgs } from '../src/node/tcpdump';
import { skipBecause } from './helpers/skip';
import { rethrown } from './helpers/reading';

/** `tcpdump -D` of tcpdump 4.99 on Linux, as printed. */
const TCPDUMP_D = `1.eth0 [Up, Running, Connected]
2.any (Pseudo-device that captures on all interfaces) [Up, Running]
3.lo [Up, Running, Loopback]
4.ifb0 [none]
7.nflog (Linux netfilter log (NFLOG) interface) [none]
`;

function tcpdumpUsable(): string | null {
  const v = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' });
  if (v.error) return 'tcpdump is not installed';
  if (process.getuid?.() !== 0) return 'capturing needs root (this test runs as uid ' + String(process.getuid?.()) + ')';
  return null;
}

async function records(file: string): Promise<string[]> {
  const out: string[] = [];
  const s = await readCaptureFile(file, {
    onRecord: (r: CaptureRecord) => out.push([r.tsSec, r.tsNsec, r.origLen, r.linkType, Buffer.from(r.data).toString('hex')].join(' ')),
  }).done;
  rethrown(s);
  assert.equal(s.error, null);
  return out;
}

describe('live capture: tcpdump helpers', () => {
  it('reads the interface list of tcpdump -D (names, descriptions, flags)', () => {
    const list = parseInterfaces(TCPDUMP_D);
    assert.deepEqual(
      list.map((i) => [i.index, i.name, i.description ?? '', i.flags.join('|')]),
      [
        [1, 'eth0', '', 'Up|Running|Connected'],
        [2, 'any', 'Pseudo-device that captures on all interfaces', 'Up|Running'],
        [3, 'lo', '', 'Up|Running|Loopback'],
        [4, 'ifb0', '', 'none'],
        [7, 'nflog', 'Linux netfilter log (NFLOG) interface', 'none'],
      ],
    );
  });

  it("tells tcpdump's complaints apart and keeps its words", () => {
    assert.deepEqual(classifyFailure('', 'ENOENT', '/opt/x/tcpdump'), { kind: 'missing', message: '/opt/x/tcpdump: no such program' });
    const perm = classifyFailure("tcpdump: eth0: You don't have permission to capture on that device\n(socket: Operation not permitted)\n");
    assert.equal(perm.kind, 'permission');
    assert.match(perm.message, /You don't have permission/);
    assert.equal(classifyFailure('tcpdump: nosuch: No such device exists\n(No such device exists)\n').kind, 'interface');
    const f = classifyFailure("tcpdump: can't parse filter expression: syntax error\n");
    assert.deepEqual(f, { kind: 'filter', message: "tcpdump: can't parse filter expression: syntax error" });
    assert.equal(classifyFailure('tcpdump: listening on lo, link-type EN10MB\n0 packets captured\nsomething odd\n').message, 'something odd');
  });

  it('builds argument vectors: the filter is one argument after --, never shell text', () => {
    const filter = 'tcp port 80; touch /tmp/pwned';
    const a = captureArgs('/x/c.pcap', { iface: 'lo', filter, snaplen: 128, packetLimit: 10 });
    assert.deepEqual(a, ['-U', '-w', '/x/c.pcap', '-i', 'lo', '-s', '128', '-c', '10', '--', filter]);
    assert.deepEqual(textArgs({ iface: 'eth0', filter: '', snaplen: 0, packetLimit: 0 }), ['-l', '-n', '-i', 'eth0', '--']);
  });

  it('says tcpdump is missing when the program does not exist', async () => {
    const r = await listInterfaces('capture-lens-no-such-tcpdump');
    assert.ok(!Array.isArray(r));
    assert.equal(r.kind, 'missing');
    const p = new TcpdumpProcess('capture-lens-no-such-tcpdump', ['-D']);
    await p.exited;
    assert.equal(p.running, false);
    assert.equal(p.failure().kind, 'missing');
  });
});

describe('live capture: against the installed tcpdump', function () {
  before(function () {
    const why = tcpdumpUsable();
    if (why) skipBecause(this, why);
  });

  it("checks a filter with tcpdump -d and reports tcpdump's own message for a typo", async () => {
    assert.equal(await checkFilter('tcpdump', 'lo', 'tcp port 80'), null);
    const bad = await checkFilter('tcpdump', 'lo', 'tcp prot 80');
    assert.equal(bad?.kind, 'filter');
    assert.match(bad?.message ?? '', /syntax error/);
    const list = await listInterfaces('tcpdump');
    assert.ok(Array.isArray(list) && list.some((i) => i.name === 'lo'));
    const gone = await checkFilter('tcpdump', 'capture-lens-nosuch0', 'tcp');
    assert.equal(gone?.kind, 'interface');
  });

  it('captures a connection on lo into a file, stops on SIGINT', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-live-'));
    try {
      const server = net.createServer((s) => s.end('hi'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      const file = path.join(dir, 'c.pcap');
      const p = new TcpdumpProcess('tcpdump', captureArgs(file, { iface: 'lo', filter: `tcp port ${port}`, snaplen: 0, packetLimit: 0 }));
      await p.started;
      assert.ok(p.running, p.stderr);
      await new Promise<void>((resolve) => {
        const c = net.connect(port, '127.0.0.1');
        c.on('data', () => undefined);
        c.on('close', () => resolve());
      });
      server.close();
      // -U flushes every packet: the handshake is in the file while tcpdump still runs
      for (let i = 0; i < 50 && (await records(file).catch(() => [])).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
      await p.stop();
      assert.equal(p.running, false);
      assert.ok((await records(file)).length >= 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('live capture: Save As', () => {
  let dir = '';
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-save-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const nano of [false, true]) {
    it(`a ${nano ? 'nanosecond' : 'microsecond'} pcap saved as pcapng and as pcap keeps every record; a cut last record is left out`, async () => {
      const src = path.join(dir, 'live.pcap');
      const parts: Uint8Array[] = [pcapHeader(1, nano)];
      for (const p of conversations({ connections: 3, packets: 40, seed: 5 })) parts.push(pcapRecord(p.tsSec, nano ? p.tsNsec : Math.floor(p.tsNsec / 1000), p.frame));
      const whole = Buffer.concat(parts);
      fs.writeFileSync(src, whole);
      const want = await records(src);
      for (const format of ['pcapng', 'pcap'] as const) {
        const dest = path.join(dir, 'saved.' + format);
        assert.equal(await saveCaptureAs(src, dest, format), want.length);
        assert.deepEqual(await records(dest), want);
        const head = fs.readFileSync(dest).readUInt32BE(0);
        assert.equal(head, format === 'pcapng' ? 0x0a0d0d0a : nano ? 0x4d3cb2a1 : 0xd4c3b2a1);
      }
      // tcpdump still writing: the last record is cut
      fs.writeFileSync(src, whole.subarray(0, whole.length - 7));
      const dest = path.join(dir, 'cut.pcap');
      assert.equal(await saveCaptureAs(src, dest, 'pcap'), want.length - 1);
      assert.deepEqual(await records(dest), want.slice(0, -1));
    });
  }

  it('a write that takes only part of its bytes is followed by the rest (fs.writeSync may write less than asked)', async () => {
    const src = path.join(dir, 'live.pcap');
    const parts: Uint8Array[] = [pcapHeader(1, false)];
    for (const p of conversations({ connections: 3, packets: 40, seed: 6 })) parts.push(pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame));
    fs.writeFileSync(src, Buffer.concat(parts));
    const want = await records(src);
    // every write takes at most 1,000 bytes, as a disk nearly full or a signal can make it
    // the module object itself (the `import * as` namespace has getters only)
    const nodeFs = module.require('node:fs') as { writeSync: typeof fs.writeSync };
    const real = nodeFs.writeSync;
    let calls = 0;
    (nodeFs as { writeSync: unknown }).writeSync = (fd: number, b: Uint8Array, off = 0, len = b.length - off) => {
      calls++;
      return real(fd, b, off, Math.min(len, 1000));
    };
    const dest = path.join(dir, 'saved.pcap');
    try {
      assert.equal(await saveCaptureAs(src, dest, 'pcap'), want.length);
    } finally {
      nodeFs.writeSync = real;
    }
    assert.ok(calls > 1, `${calls} writes`);
    assert.deepEqual(await records(dest), want);
  });
});
