/**
 * Wireshark's Info wording for rows that are not TCP or UDP (src/core/print/wiresharkOther.ts): ARP
 * (request, reply, probe, announcement, gratuitous), ICMP (echo, unreachable, time exceeded, redirect,
 * parameter problem, timestamp) and ICMPv6 (echo, errors, NDP with and without link-layer address options,
 * MLD) on generated frames, each compared with the installed tshark's `_ws.col.Info` (skipped with a reason
 * without tshark), and the rows' wsInfo through the editor's index. The corpus's rows are compared in
 * test/info-tshark.test.ts.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseIPv4, parseIPv6 } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { needTool } from './helpers/tools';

const MAC_A = [0x00, 0x60, 0x97, 0x07, 0x69, 0xea];
const MAC_B = [0xd6, 0x06, 0x3c, 0x4a, 0x35, 0x7a];
const BCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function eth(dst: number[], src: number[], type: number, body: number[]): Uint8Array {
  return Uint8Array.from([...dst, ...src, type >> 8, type & 255, ...body]);
}

function cksum(b: number[], acc = 0): number {
  for (let i = 0; i + 1 < b.length; i += 2) acc += (b[i] << 8) | b[i + 1];
  if (b.length % 2) acc += b[b.length - 1] << 8;
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return ~acc & 0xffff;
}

function arp(op: number, sha: number[], spa: string, tha: number[], tpa: string): Uint8Array {
  return eth(op === 1 ? BCAST : MAC_A, sha, 0x0806, [0, 1, 8, 0, 6, 4, 0, op, ...sha, ...parseIPv4(spa), ...tha, ...parseIPv4(tpa)]);
}

function icmp4(type: number, code: number, rest: number[], data: number[] = [], ttl = 64): Uint8Array {
  const m = [type, code, 0, 0, ...rest, ...data];
  const c = cksum(m);
  m[2] = c >> 8;
  m[3] = c & 255;
  const len = 20 + m.length;
  const ip = [0x45, 0, len >> 8, len & 255, 0, 1, 0, 0, ttl, 1, 0, 0, ...parseIPv4('10.0.0.1'), ...parseIPv4('10.0.0.2')];
  const ic = cksum(ip);
  ip[10] = ic >> 8;
  ip[11] = ic & 255;
  return eth(MAC_B, MAC_A, 0x0800, [...ip, ...m]);
}

function icmp6(type: number, code: number, body: number[], hlim = 255, src = 'fe80::1', dst = 'fe80::2'): Uint8Array {
  const m = [type, code, 0, 0, ...body];
  const s = parseIPv6(src);
  const d = parseIPv6(dst);
  const pseudo = [...s, ...d, 0, 0, m.length >> 8, m.length & 255, 0, 0, 0, 58];
  const c = cksum([...pseudo, ...m]);
  m[2] = c >> 8;
  m[3] = c & 255;
  const ip = [0x60, 0, 0, 0, m.length >> 8, m.length & 255, 58, hlim, ...s, ...d];
  return eth(MAC_B, MAC_A, 0x86dd, [...ip, ...m]);
}

const echo = (id: number, seq: number): number[] => [id >> 8, id & 255, seq >> 8, seq & 255];
/** An IPv4/UDP header as the quoted packet of an ICMP error. */
const quoted = [0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, ...parseIPv4('10.0.0.2'), ...parseIPv4('10.0.0.1'), 0x30, 0x39, 0, 53, 0, 8, 0, 0];
const quoted6 = [0x60, 0, 0, 0, 0, 8, 17, 64, ...parseIPv6('fe80::2'), ...parseIPv6('fe80::1'), 0x30, 0x39, 0, 53, 0, 8, 0, 0];
const target = parseIPv6('fe80::200:86ff:fe05:80da');

function frames(): Uint8Array[] {
  return [
    arp(1, MAC_A, '10.2.1.1', [0, 0, 0, 0, 0, 0], '10.2.1.2'),
    arp(2, MAC_B, '10.2.1.2', MAC_A, '10.2.1.1'),
    arp(1, MAC_A, '0.0.0.0', [0, 0, 0, 0, 0, 0], '10.2.1.9'),
    arp(1, MAC_A, '10.2.1.1', [0, 0, 0, 0, 0, 0], '10.2.1.1'),
    arp(1, MAC_A, '10.2.1.1', BCAST, '10.2.1.1'),
    arp(2, MAC_A, '10.2.1.1', BCAST, '10.2.1.1'),
    icmp4(8, 0, echo(0x0200, 2304), [1, 2, 3, 4], 128),
    icmp4(0, 0, echo(0x0200, 2304), [1, 2, 3, 4], 255),
    icmp4(3, 3, [0, 0, 0, 0], quoted),
    icmp4(3, 1, [0, 0, 0, 0], quoted),
    icmp4(3, 13, [0, 0, 0, 0], quoted),
    icmp4(11, 0, [0, 0, 0, 0], quoted),
    icmp4(5, 1, parseIPv4('10.0.0.254'), quoted),
    icmp4(12, 0, [20, 0, 0, 0], quoted),
    icmp4(13, 0, [0, 7, 0, 1], [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    icmp4(14, 0, [0, 7, 0, 2], [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]),
    icmp4(17, 0, [0, 7, 0, 3], [0, 0, 0, 0]),
    icmp4(3, 0, [0, 0, 0, 0], quoted),
    icmp4(3, 4, [0, 0, 5, 0xdc], quoted),
    icmp4(11, 1, [0, 0, 0, 0], quoted),
    icmp6(1, 0, [0, 0, 0, 0, ...quoted6]),
    icmp6(1, 1, [0, 0, 0, 0, ...quoted6]),
    icmp6(1, 5, [0, 0, 0, 0, ...quoted6]),
    icmp6(1, 2, [0, 0, 0, 0, ...quoted6]),
    icmp6(1, 6, [0, 0, 0, 0, ...quoted6]),
    icmp6(1, 7, [0, 0, 0, 0, ...quoted6]),
    icmp6(4, 0, [0, 0, 0, 4, ...quoted6]),
    icmp6(4, 2, [0, 0, 0, 40, ...quoted6]),
    icmp6(3, 1, [0, 0, 0, 0, ...quoted6]),
    icmp6(4, 1, [0, 0, 0, 40, ...quoted6]),
    icmp6(132, 0, [0, 0, 0, 0, ...parseIPv6('ff02::fb')], 1, 'fe80::1', 'ff02::2'),
    icmp6(128, 0, [...echo(0x7b20, 256), 9, 9], 64),
    icmp6(129, 0, [...echo(0x7b20, 256), 9, 9], 59),
    icmp6(1, 4, [0, 0, 0, 0, ...quoted6]),
    icmp6(1, 3, [0, 0, 0, 0, ...quoted6]),
    icmp6(3, 0, [0, 0, 0, 0, ...quoted6]),
    icmp6(2, 0, [0, 0, 5, 0xdc, ...quoted6]),
    icmp6(135, 0, [0, 0, 0, 0, ...target, 1, 1, ...MAC_A]),
    icmp6(135, 0, [0, 0, 0, 0, ...target], 255, '::', 'ff02::1:ff05:80da'),
    icmp6(136, 0, [0xe0, 0, 0, 0, ...target, 2, 1, ...MAC_A]),
    icmp6(136, 0, [0x40, 0, 0, 0, ...target]),
    icmp6(136, 0, [0x00, 0, 0, 0, ...target]),
    icmp6(133, 0, [0, 0, 0, 0]),
    icmp6(133, 0, [0, 0, 0, 0, 1, 1, ...MAC_A]),
    icmp6(134, 0, [64, 0, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, ...MAC_A]),
    icmp6(143, 0, [0, 0, 0, 1, 4, 0, 0, 0, ...parseIPv6('ff02::fb')], 1, 'fe80::1', 'ff02::16'),
    icmp6(130, 0, [0, 100, 0, 0, ...parseIPv6('::')], 1, 'fe80::1', 'ff02::1'),
  ];
}

describe('Wireshark Info for ARP, ICMP and ICMPv6 rows', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-info-other-'));
    file = path.join(dir, 'other.pcap');
    fs.writeFileSync(file, Buffer.concat([pcapHeader(1, false), ...frames().map((f, i) => pcapRecord(1700000000 + i, 0, f))]));
  });
  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function ours(): Promise<string[]> {
    const idx = new CaptureIndex(fileInput(file));
    try {
      await idx.start();
      await idx.indexed;
      return (await idx.rows(0, idx.count)).map((r) => r.wsInfo ?? r.info);
    } finally {
      await idx.close();
    }
  }

  it('words every row as tshark 4.0 does', async function () {
    needTool(this, 'tshark');
    const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', '_ws.col.Info'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const theirs = r.stdout.split('\n').slice(0, frames().length);
    // tshark pairs an echo reply with its request over the whole capture ("(request in N)"); rows are made a page at a time
    const want = theirs.map((t) => t.replace(/ \(request in \d+\)$/, ''));
    assert.deepEqual(await ours(), want);
    assert.match(theirs[7], / \(request in 7\)$/, 'the reply names its request in tshark');
  });

  it('the wording without tshark: ARP, an echo and an NDP advertisement', async function () {
    const rows = await ours();
    assert.equal(rows[0], 'Who has 10.2.1.2? Tell 10.2.1.1');
    assert.equal(rows[1], '10.2.1.2 is at d6:06:3c:4a:35:7a');
    assert.equal(rows[6], 'Echo (ping) request  id=0x0200, seq=2304/9, ttl=128');
    assert.equal(rows[39], 'Neighbor Advertisement fe80::200:86ff:fe05:80da (rtr, sol, ovr) is at 00:60:97:07:69:ea');
  });
});
