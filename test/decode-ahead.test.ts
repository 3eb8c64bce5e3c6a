/**
 * Decode-ahead (src/worker/decodeAhead.ts): the index built with the decoding in a second thread
 * equals the index built in one thread, packet by packet — rows, TCP results, connections,
 * addresses, filters, errors — on the samples, generated captures (pcap and pcapng, IPv6, every
 * tunnel), damaged and cut files, and every corpus capture when ../shared/corpus is there. Also:
 * PacketFacts survive the trip through a ring slot unchanged; cancel and the index ceiling behave
 * as in one thread; the producer thread ends with the reading.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { decodeRecord, DecodedPacket } from '../src/core/decode/index';
import { conversations } from '../src/core/synth/conversations';
import { tcpFrame, udpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from '../src/core/synth/writers';
import { emptyResult } from '../src/core/tcp/types';
import { readCaptureFile } from '../src/node/captureFile';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { PacketFacts, SLOT_WORDS } from '../src/worker/packetFacts';
import type { IndexProgress } from '../src/worker/api';
import { corpusPath, needCorpus } from './helpers/corpus';
import { generated, samplesDir } from './helpers/generated';
import { skipBecause } from './helpers/skip';
import { rethrown } from './helpers/reading';
import { TUNNELS, tunnelPcap } from './helpers/tunnels';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-ahead-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function build(file: string, mode: 'on' | 'off', extra: ConstructorParameters<typeof CaptureIndex>[1] = {}): Promise<{ idx: CaptureIndex; last: IndexProgress }> {
  let last: IndexProgress | undefined;
  const idx = new CaptureIndex(fileInput(file), { ...extra, decodeAhead: mode, onProgress: (p) => (last = p) });
  await idx.start();
  return { idx, last: last! };
}

/** Everything a user can see of an index, as comparable data. */
async function snapshot(idx: CaptureIndex, last: IndexProgress): Promise<unknown> {
  const n = idx.count;
  const rows = [];
  for (let s = 0; s < n; s += 1000) rows.push(...(await idx.rows(s, 1000)));
  const tcp = [];
  const r = emptyResult();
  for (let i = 0; i < n; i++) tcp.push(idx.tcpResult(i, r) ? JSON.stringify(r) : null);
  const filters: Record<string, unknown> = {};
  for (const f of ['tcp', 'udp', 'ip6', 'tcp.analysis.retransmission', 'problem', 'tcp.flags.syn == 1 and tcp.port == 80', 'dns.time >= 0', 'dns.response_in']) {
    const res = await idx.filter(f);
    filters[f] = res.ok ? await idx.rows(0, 50, res.view).then((x) => [res.count, x.map((y) => y.index)]) : res.error;
  }
  const { rate: _rate, elapsedMs: _elapsed, ...progress } = last;
  return { n, progress, info: idx.captureInfo, rows, tcp, conns: await idx.connections(), filters, mem: idx.memoryBytes() };
}

async function same(file: string): Promise<number> {
  const a = await build(file, 'off');
  const b = await build(file, 'on');
  try {
    assert.deepEqual(await snapshot(b.idx, b.last), await snapshot(a.idx, a.last), path.basename(file));
    return a.idx.count;
  } finally {
    await a.idx.close();
    await b.idx.close();
  }
}

function write(name: string, parts: Uint8Array[]): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, Buffer.concat(parts));
  return f;
}

/**
 * Generated conversations as classic pcap and as pcapng (nanosecond interface), over IPv4 or IPv6,
 * with some variety: every 97th packet sent twice (retransmissions), every 89th cut to 40 bytes
 * (damaged), a UDP datagram every 50 packets.
 */
function synth(name: string, ipv6: boolean): { pcap: string; pcapng: string } {
  const pkt = new DecodedPacket();
  const out: { sec: number; nsec: number; frame: Uint8Array; orig: number }[] = [];
  let k = 0;
  const v6 = (a: string) => '2001:db8::' + a.split('.').map((x) => Number(x).toString(16)).join(':');
  for (const p of conversations({ connections: 30, packets: 3000, concurrency: 6, seed: 11, segmentSize: 120 })) {
    let frame = p.frame;
    if (ipv6) {
      decodeRecord(pkt, { data: frame, origLen: frame.length, linkType: 1 } as Parameters<typeof decodeRecord>[1]);
      const l4 = pkt.l4;
      frame = tcpFrame({ src: v6(pkt.net.src), dst: v6(pkt.net.dst), sport: l4.sport, dport: l4.dport, seq: l4.seq, ack: l4.ack, flags: l4.flags, win: l4.win, payload: Math.max(0, l4.payloadLen) });
    }
    k++;
    out.push({ sec: p.tsSec, nsec: p.tsNsec, frame, orig: frame.length });
    if (k % 97 === 0) out.push({ sec: p.tsSec, nsec: p.tsNsec + 1000, frame, orig: frame.length });
    if (k % 89 === 0) out.push({ sec: p.tsSec, nsec: p.tsNsec + 2000, frame: frame.subarray(0, 40), orig: frame.length });
    if (k % 50 === 0) out.push({ sec: p.tsSec, nsec: p.tsNsec + 3000, frame: udpFrame({ src: ipv6 ? '2001:db8::53' : '192.0.2.53', dst: ipv6 ? '2001:db8::1' : '192.0.2.1', sport: 53, dport: 40000 + k, payload: new Uint8Array(12) }), orig: 0 });
  }
  for (const o of out) if (o.orig === 0) o.orig = o.frame.length;
  const pcap = write(`${name}.pcap`, [pcapHeader(1, false), ...out.map((o) => pcapRecord(o.sec, Math.floor(o.nsec / 1000), o.frame, o.orig))]);
  const pcapng = write(`${name}.pcapng`, [pcapngSHB(), pcapngIDB(1, 262144, 9, 'eth0'), ...out.map((o) => pcapngEPB(0, BigInt(o.sec) * 1_000_000_000n + BigInt(o.nsec), o.frame, o.orig))]);
  return { pcap, pcapng };
}

/** test/fixtures/perf: real-kernel captures (scripts/perf-scenarios.sh). */
function perfFixtures(): string {
  const dir = [path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'perf'), path.resolve(process.cwd(), 'test', 'fixtures', 'perf')].find((d) => fs.existsSync(d));
  assert.ok(dir, 'test/fixtures/perf');
  return dir;
}

describe('decode-ahead: the index decoded in a second thread equals the one-thread index', function () {
  this.timeout(120000);

  it('a slot carries every fact of every packet unchanged (samples, IPv6, tunnels)', async () => {
    const files = [
      ...fs.readdirSync(samplesDir()).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => path.join(samplesDir(), f)),
      synth('v6', true).pcapng,
      ...Object.keys(TUNNELS).map((t) => write(`tunnel-${t}.pcap`, [tunnelPcap(t)])),
      ...['loss2.pcap', 'shortq.pcap'].map((f) => path.join(perfFixtures(), f)), // SACK blocks
    ];
    const ring = new Float64Array(SLOT_WORDS * 4);
    const bytes = new Uint8Array(ring.buffer);
    const pkt = new DecodedPacket();
    let checked = 0;
    for (const f of files) {
      const a = new PacketFacts();
      const b = new PacketFacts();
      // an assertion thrown in onRecord stops the reading and comes back as `thrown`: rethrow it
      const read = await readCaptureFile(f, {
        onRecord(rec) {
          decodeRecord(pkt, rec);
          a.fromPacket(rec, pkt);
          a.writeSlot(ring, bytes, checked & 3);
          b.readSlot(ring, bytes, checked & 3, rec.index);
          const plain = (x: PacketFacts) => {
            const o: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(x)) if (!k.startsWith('seg')) o[k] = v;
            // unused fields of the other family keep older values: compare what the family says is there
            if (x.srcFam !== 1) delete o.src4;
            if (x.dstFam !== 1) delete o.dst4;
            if (x.srcFam !== 2) delete o.src6;
            if (x.dstFam !== 2) delete o.dst6;
            return o;
          };
          assert.deepEqual(plain(b), plain(a), `${path.basename(f)} #${rec.index + 1}`);
          assert.equal(b.hasSeg, a.hasSeg);
          if (a.hasSeg) assert.deepEqual({ ...b.seg, index: 0 }, { ...a.seg, index: 0 }, `${path.basename(f)} #${rec.index + 1} segment`);
          checked++;
        },
      }).done;
      rethrown(read);
      assert.equal(read.error, null, path.basename(f));
    }
    assert.ok(checked > 500, `${checked} packets`);
  });

  it('the samples and generated captures (pcap and pcapng, IPv4 and IPv6)', async () => {
    let n = 0;
    for (const f of fs.readdirSync(samplesDir()).filter((x) => /\.pcap(ng)?$/.test(x))) n += await same(path.join(samplesDir(), f));
    n += await same(generated().pcap);
    for (const v6 of [false, true]) {
      const s = synth(v6 ? 'six' : 'four', v6);
      n += await same(s.pcap);
      n += await same(s.pcapng);
    }
    assert.ok(n > 10000, `${n} packets compared`);
  });

  it('the built worker bundle (dist/worker.js) runs the producer, as the editor starts it', async function () {
    const bundle = [path.resolve(__dirname, '..', '..', 'dist', 'worker.js'), path.resolve(process.cwd(), 'dist', 'worker.js')].find((f) => fs.existsSync(f));
    if (!bundle) return skipBecause(this, 'dist/worker.js is not built (npm run build)');
    const s = synth('bundle', false);
    const a = await build(s.pcapng, 'off');
    const b = await build(s.pcapng, 'on', { decodeAheadScript: bundle });
    assert.deepEqual(await snapshot(b.idx, b.last), await snapshot(a.idx, a.last));
    await a.idx.close();
    await b.idx.close();
  });

  it('the real-kernel scenario captures (SACK blocks, loss, zero windows: test/fixtures/perf)', async () => {
    const dir = perfFixtures();
    let sacks = 0;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pcap'));
    assert.ok(files.length >= 5);
    for (const f of files) {
      await same(path.join(dir, f));
      rethrown(
        await readCaptureFile(path.join(dir, f), {
          onRecord: (rec) => {
            const pkt = new DecodedPacket();
            decodeRecord(pkt, rec);
            const x = new PacketFacts();
            x.fromPacket(rec, pkt);
            if (x.hasSeg && x.seg.sack) sacks++;
          },
        }).done,
      );
    }
    assert.ok(sacks > 0, 'some segments carry SACK blocks');
  });

  it('an FTP session: the FTP-DATA label of its data connection (the tracker reads port-21 segments)', async () => {
    const enc = new TextEncoder();
    const C = '10.0.0.1';
    const S = '10.0.0.2';
    const frames = [
      tcpFrame({ src: C, dst: S, sport: 40000, dport: 21, seq: 99, flags: 0x02 }),
      tcpFrame({ src: S, dst: C, sport: 21, dport: 40000, seq: 899, ack: 100, flags: 0x12 }),
      tcpFrame({ src: C, dst: S, sport: 40000, dport: 21, seq: 100, ack: 900, flags: 0x18, payload: enc.encode('PASV\r\n') }),
      tcpFrame({ src: S, dst: C, sport: 21, dport: 40000, seq: 900, ack: 106, flags: 0x18, payload: enc.encode('227 Entering Passive Mode (10,0,0,2,19,137).\r\n') }),
      tcpFrame({ src: C, dst: S, sport: 41000, dport: 5001, seq: 1, flags: 0x02 }),
    ];
    const f = write('ftp.pcap', [pcapHeader(1, false), ...frames.map((fr, i) => pcapRecord(1000 + i, 0, fr))]);
    await same(f);
    const b = await build(f, 'on');
    assert.match(JSON.stringify(await b.idx.connections()), /FTP-DATA/);
    await b.idx.close();
  });

  it('every tunnel (PPPoE, MPLS, IP-in-IP, 6in4, GRE, PPTP, VXLAN)', async () => {
    for (const t of Object.keys(TUNNELS)) await same(write(`t-${t}.pcap`, [tunnelPcap(t)]));
  });

  it('a file cut inside a record and a damaged one: the same packets and the same error', async () => {
    const s = synth('cut', false);
    const whole = fs.readFileSync(s.pcapng);
    for (const cut of [whole.length - 7, Math.floor(whole.length / 2) + 3]) {
      const f = write(`cut-${cut}.pcapng`, [whole.subarray(0, cut)]);
      const a = await build(f, 'off');
      const b = await build(f, 'on');
      assert.equal(b.idx.count, a.idx.count);
      assert.ok(a.last.error, 'the cut is reported');
      assert.deepEqual(b.last.error, a.last.error);
      await a.idx.close();
      await b.idx.close();
    }
    const bad = Buffer.from(whole);
    bad.writeUInt32LE(0xdeadbeef, Math.floor(bad.length / 3) & ~3); // somewhere inside a block: a wrong length or trailer
    const f = write('damaged.pcapng', [bad]);
    const a = await build(f, 'off');
    const b = await build(f, 'on');
    assert.equal(b.idx.count, a.idx.count);
    assert.deepEqual(b.last.error, a.last.error);
    await a.idx.close();
    await b.idx.close();
  });

  it('the index ceiling stops at the same packet with the same message', async () => {
    const s = synth('ceiling', false);
    const a = await build(s.pcap, 'off', { maxIndexBytes: 64 << 10 });
    const b = await build(s.pcap, 'on', { maxIndexBytes: 64 << 10 });
    assert.equal(a.last.error?.kind, 'limit');
    assert.equal(b.idx.count, a.idx.count);
    assert.deepEqual(b.last.error, a.last.error);
    await a.idx.close();
    await b.idx.close();
  });

  it('cancel stops the reading and the producer thread; what was indexed stays', async () => {
    const s = synth('cancel', false);
    let last: IndexProgress | undefined;
    let asked = false;
    const idx: CaptureIndex = new CaptureIndex(fileInput(s.pcap), {
      decodeAhead: 'on',
      chunkSize: 4096,
      progressMs: 1,
      onProgress: (p) => {
        last = p;
        if (!asked && p.packets > 0 && !p.done) {
          asked = true;
          idx.cancel();
        }
      },
    });
    await idx.start();
    assert.ok(last?.done);
    assert.ok(last?.cancelled || idx.count > 3000, 'cancelled (or the file was read before the cancel arrived)');
    const rows = await idx.rows(0, 5);
    assert.equal(rows.length, Math.min(5, idx.count));
    await idx.close();
  });

  it('every corpus capture', async function () {
    const dir = needCorpus(this);
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(pcap|pcapng|cap)$/i.test(e.name) && fs.statSync(p).size < 8 << 20) files.push(p);
      }
    };
    walk(dir);
    assert.ok(files.length > 50, `${files.length} corpus captures under ${corpusPath()}`);
    let n = 0;
    for (const f of files) n += await same(f);
    console.log(`      (${files.length} corpus captures, ${n} packets: the same index either way)`);
  });
});
