/**
 * "Keep the last N MB" (issue 16): tcpdump -C/-W writes a ring of files (src/node/followRing.ts), the
 * editor follows it across the files (src/worker/ringInput.ts) and drops the packets of a file before
 * the ring overwrites it (src/worker/liveIndex.ts, fileRingCut). A writer of our own plays tcpdump
 * (files BASE0 … BASE7, the next opened once the current one is larger than the limit, truncated in
 * place when the ring wraps, records written in pieces); the index must hold exactly the packets of a
 * run of whole files ending with the newest packet, never one of a file overwritten, with the file's
 * numbers, rows, details and filter counts of the same packets in one file holding them all. One test
 * runs the real tcpdump with -C/-W on lo (skipped with the reason without tcpdump or root).
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { pcapHeader } from '../src/core/synth/writers';
import { readCaptureFile } from '../src/node/captureFile';
import { RingFiles, ringBaseOf, ringFileName } from '../src/node/followRing';
import { saveCaptureAs } from '../src/node/saveCapture';
import { captureArgs, RING_FILES, ringFileSize, ringMinMB } from '../src/node/tcpdump';
import type { IndexProgress } from '../src/worker/api';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { fileRingCut, LiveIndex } from '../src/worker/liveIndex';
import { ringInput } from '../src/worker/ringInput';
import { pcapRecords, tempDirEach, untilLatest } from './helpers/following';
import { skipBecause } from './helpers/skip';

/** tcpdump's ring as 4.99.3 writes it: before each packet, a file larger than `limit` is closed and the next name truncated. */
class RingWriter {
  private fd = -1;
  private size = 0;
  seq = -1;
  /** The first packet of each sequence (its number in the capture). */
  readonly firstOf: number[] = [];
  packets = 0;

  constructor(
    private readonly base: string,
    private readonly files: number,
    private readonly limit: number,
  ) {
    this.next();
  }

  private next(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.seq++;
    this.fd = fs.openSync(ringFileName(this.base, this.files, this.seq % this.files), 'w');
    fs.writeSync(this.fd, pcapHeader());
    this.size = 24;
  }

  /** One record, written in two pieces when `cut` (a reader may see the first alone). */
  write(rec: Uint8Array, cut = false): void {
    if (this.size > this.limit) this.next();
    if (this.firstOf.length === this.seq) this.firstOf.push(this.packets);
    if (cut) {
      fs.writeSync(this.fd, rec.subarray(0, 10));
      fs.writeSync(this.fd, rec.subarray(10));
    } else fs.writeSync(this.fd, rec);
    this.size += rec.length;
    this.packets++;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

describe('follow mode: a ring of files (tcpdump -C/-W, keep the last N MB)', function () {
  const tmp = tempDirEach('cl-fring-');

  it('names the files as tcpdump 4.99.3 does, and finds the base again from the first file', () => {
    assert.deepEqual([0, 7].map((i) => ringFileName('/t/x.pcap', 8, i)), ['/t/x.pcap0', '/t/x.pcap7']);
    assert.deepEqual([0, 11].map((i) => ringFileName('x', 12, i)), ['x00', 'x11']);
    assert.equal(ringBaseOf('/t/x.pcap0', 8), '/t/x.pcap');
    assert.equal(ringBaseOf('/t/x.pcap1', 8), null);
  });

  it('chooses -C/-W so the disk holds at most N MB and the editor keeps at least about half', () => {
    for (const [mb, snap] of [[11, 0], [100, 0], [100, 128], [1000, 262144], [37, 1500]]) {
      const r = ringFileSize(mb, snap);
      assert.ok(r, `${mb} MB`);
      const record = 16 + (snap || 262144);
      // each file may exceed -C by one record (tcpdump rotates once a file is larger than -C)
      assert.ok(r.files * (r.size * 1e6 + record) <= mb * 1e6, `${mb} MB: ${r.files} × ${r.size} MB`);
      // the editor keeps at least files/2 whole files: about half of N (within a file's rounding)
      assert.ok((r.files / 2) * r.size * 1e6 >= mb * 1e6 / 2 - (r.files / 2) * (1e6 + record), `${mb} MB keeps ${(r.files / 2) * r.size} MB`);
      assert.deepEqual(captureArgs('/t/x.pcap', { iface: 'lo', filter: 'tcp', snaplen: snap, packetLimit: 0 }, r, 'root').slice(0, 11), [
        '-U', '-w', '/t/x.pcap', '-i', 'lo', '-C', String(r.size), '-W', String(r.files), '-Z', 'root',
      ]);
    }
    assert.equal(ringFileSize(10, 0), null, '10 MB cannot hold 8 files of 1 MB with a whole packet over each');
    for (const snap of [0, 128, 1500, 65535]) {
      assert.ok(ringFileSize(ringMinMB(snap), snap), `the smallest limit offered works (snap ${snap})`);
      assert.equal(ringFileSize(ringMinMB(snap) - 1, snap), null, `below it does not (snap ${snap})`);
    }
    assert.deepEqual(captureArgs('/t/x.pcap', { iface: 'lo', filter: '', snaplen: 0, packetLimit: 0 }), ['-U', '-w', '/t/x.pcap', '-i', 'lo', '--']);
  });

  it('tells a name that the ring truncated and wrote again from its old generation', () => {
    const base = path.join(tmp(), 'g.pcap');
    const recs = pcapRecords(400, 11);
    const w = new RingWriter(base, 3, 3000);
    const ring = new RingFiles(base, 3);
    let i = 0;
    const seen: number[] = [];
    while (w.seq < 7) {
      w.write(recs[i++]);
      ring.advance();
      seen.push(ring.newest);
      assert.equal(ring.newest, w.seq, `after packet ${i}: sequence ${w.seq} is written`);
    }
    // the places: each sequence starts where the one before ended, the overwritten ones are not on disk
    assert.equal(ring.startOf(ring.newest), ring.endOf(ring.newest - 1));
    assert.ok(ring.onDisk(w.seq - 2) && !ring.onDisk(w.seq - 3));
    w.close();
  });

  it('follows the files in order and holds exactly the packets of the newest whole files', async () => {
    const FILES = RING_FILES;
    const base = path.join(tmp(), 'lo.pcap');
    const recs = pcapRecords(5000, 11);
    // ~100 records a file: 5000 records wrap the 8 files about 6 times
    const w = new RingWriter(base, FILES, 100 * recs[0].length);
    w.write(recs[0]);
    const ring = new RingFiles(base, FILES);
    const reports: IndexProgress[] = [];
    const live = new LiveIndex(() => ringInput(ring, ringFileName(base, FILES, 0)), { follow: true, progressMs: 10, fileRing: ring, onProgress: (p) => reports.push(p) });
    void live.start();
    const f = await live.filter('port 443');
    assert.ok(f.ok);
    let written = 1;
    let drops = 0;
    const BATCH = 37;
    while (written < recs.length) {
      const end = Math.min(recs.length, written + BATCH);
      // the batch's last record in two writes: a reader may meet its first half alone
      for (; written < end; written++) w.write(recs[written], written === end - 1);
      live.grow();
      const p = await untilLatest(reports, (r) => (r.dropped ?? 0) + r.packets === written && !live.replacing, `${written} packets read`);
      const dropped = p.dropped ?? 0;
      // never a packet of a file the ring overwrote: everything held is on disk
      const oldestOnDisk = w.firstOf[Math.max(0, w.seq - FILES + 1)];
      assert.ok(dropped >= oldestOnDisk, `packets from ${dropped} held, the oldest on disk is ${oldestOnDisk}`);
      // drops are whole files, and at least half of the files stay (the newest partly written)
      if (dropped > 0) {
        const first = w.firstOf.indexOf(dropped);
        assert.ok(first >= 0, `the first packet held (${dropped}) begins a file`);
        assert.ok(w.seq - first >= FILES / 2, `files ${first}..${w.seq} held`);
        drops++;
      }
    }
    w.close();
    assert.ok(drops > 0 && (reports.at(-1)?.dropped ?? 0) > 0, 'the ring dropped packets');

    // one file with every packet written: the same packets under the same numbers
    const allFile = path.join(tmp(), 'all.pcap');
    fs.writeFileSync(allFile, Buffer.concat([pcapHeader(), ...recs]));
    const whole = new CaptureIndex(fileInput(allFile));
    await whole.start();
    const dropped = reports.at(-1)?.dropped ?? 0;
    assert.equal(dropped + live.count, recs.length);
    const pick = (r: { index: number; time: string; src: string; dst: string; length: number }) => [r.index, r.time, r.src, r.dst, r.length];
    assert.deepEqual((await live.rows(0, live.count)).map(pick), (await whole.rows(dropped, live.count)).map(pick));
    // details read by position across the files: the same bytes, the first kept packet and the last
    for (const i of [dropped, dropped + Math.floor(live.count / 2), recs.length - 1]) {
      assert.deepEqual((await live.details(i)).bytes, (await whole.details(i)).bytes, `packet ${i + 1}`);
    }
    await assert.rejects(() => live.details(dropped - 1), /dropped by the ring limit/);
    // the view kept its id; its dropped and kept members are the whole file's matches
    const view = reports.at(-1)?.views?.find((v) => v.view === f.view);
    assert.ok(view && f.ok);
    const wf = await whole.filter('port 443');
    assert.ok(wf.ok);
    assert.equal((view.dropped ?? 0) + live.viewCount(f.view), wf.count);

    live.settle();
    const done = await untilLatest(reports, (r) => r.done, 'done');
    assert.equal(done.error, undefined);
    assert.equal((done.dropped ?? 0) + live.count, recs.length);
    await whole.close();
    await live.close();
  });

  it('an editor opened once the ring has wrapped reads the files on disk, oldest first', async () => {
    const base = path.join(tmp(), 'late.pcap');
    const recs = pcapRecords(1500, 11);
    const w = new RingWriter(base, 4, 60 * recs[0].length);
    for (const r of recs) w.write(r);
    w.close();
    assert.ok(w.seq >= 6, `${w.seq + 1} files written`);
    const first = w.firstOf[w.seq - 3];
    const idx = new CaptureIndex(ringInput(new RingFiles(base, 4), ringFileName(base, 4, 0)));
    await idx.start();
    assert.equal(idx.count, recs.length - first);
    const allFile = path.join(tmp(), 'all.pcap');
    fs.writeFileSync(allFile, Buffer.concat([pcapHeader(), ...recs.slice(first)]));
    const whole = new CaptureIndex(fileInput(allFile));
    await whole.start();
    assert.deepEqual(await idx.rows(0, idx.count), await whole.rows(0, whole.count));
    // Save As of the ring: its files on disk, oldest first, as one capture (both formats)
    const paths = new RingFiles(base, 4).pathsInOrder();
    assert.equal(paths.length, 4);
    const expect: string[] = [];
    await readCaptureFile(allFile, { onRecord: (r) => expect.push(`${r.tsSec}.${r.tsNsec} ${Buffer.from(r.data).toString('hex')}`) }).done;
    for (const format of ['pcap', 'pcapng'] as const) {
      const dest = path.join(tmp(), `saved.${format}`);
      assert.equal(await saveCaptureAs(paths, dest, format), recs.length - first);
      const got: string[] = [];
      const s = await readCaptureFile(dest, { onRecord: (r) => got.push(`${r.tsSec}.${r.tsNsec} ${Buffer.from(r.data).toString('hex')}`) }).done;
      assert.equal(s.error, null);
      assert.deepEqual(got, expect, format);
    }
    await idx.close();
    await whole.close();
  });

  it('follows the real tcpdump -C/-W on lo across its files', async function () {
    this.timeout(60000);
    const v = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' });
    if (v.error) skipBecause(this, 'tcpdump is not installed');
    if (process.getuid?.() !== 0) skipBecause(this, `capturing needs root (this test runs as uid ${String(process.getuid?.())})`);
    const base = path.join(tmp(), 'lo.pcap');
    const ringArgs = { size: 1, files: RING_FILES };
    const port = 40000 + (process.pid % 20000);
    const args = captureArgs(base, { iface: 'lo', filter: `udp port ${port}`, snaplen: 2000, packetLimit: 0 }, ringArgs, os.userInfo().username);
    const proc = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((r) => proc.on('exit', () => r()));
    for (let i = 0; i < 100 && !stderr.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(stderr.includes('listening on'), stderr);
    for (let i = 0; i < 100 && !fs.existsSync(base + '0'); i++) await new Promise((r) => setTimeout(r, 20));
    const ring = new RingFiles(base, RING_FILES);
    const reports: IndexProgress[] = [];
    const live = new LiveIndex(() => ringInput(ring, base + '0'), { follow: true, progressMs: 20, fileRing: ring, onProgress: (p) => reports.push(p) });
    void live.start();
    // ~12 MB of 1,400-byte datagrams at ~4 MB/s: the ring of 8 × 1 MB wraps once and a half
    const sock = dgram.createSocket('udp4');
    for (let i = 0; i < 8600; i++) {
      // a buffer each: send copies it later
      const payload = Buffer.alloc(1400, 0x61);
      payload.writeUInt32BE(i, 0);
      sock.send(payload, port, '127.0.0.1');
      if (i % 100 === 99) {
        await new Promise((r) => setTimeout(r, 30));
        live.grow();
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    sock.close();
    proc.kill('SIGINT');
    await exited;
    live.grow();
    live.settle();
    const done = await untilLatest(reports, (r) => r.done, 'done');
    assert.equal(done.error, undefined, JSON.stringify(done.error));
    // tcpdump's names: lo.pcap0 … lo.pcap7, nothing more
    assert.deepEqual(fs.readdirSync(tmp()).sort(), [...Array(RING_FILES).keys()].map((i) => `lo.pcap${i}`));
    assert.ok((done.dropped ?? 0) > 0, 'the ring wrapped and the editor dropped packets');
    // what the editor holds is the end of what is on disk, in order: the datagrams' numbers
    const onDisk: number[] = [];
    for (const p of ring.pathsInOrder()) {
      const s = await readCaptureFile(p, { onRecord: (r) => onDisk.push(Buffer.from(r.data).readUInt32BE(r.data.length - 1400)) }).done;
      assert.equal(s.error, null);
    }
    const held: number[] = [];
    for (let i = 0; i < live.count; i++) {
      const d = await live.details((done.dropped ?? 0) + i);
      held.push(Buffer.from(d.bytes).readUInt32BE(d.bytes.length - 1400));
    }
    assert.ok(held.length >= onDisk.length / 2, `${held.length} held of ${onDisk.length} on disk`);
    assert.deepEqual(held, onDisk.slice(onDisk.length - held.length));
    assert.deepEqual(held, held.map((_, i) => held[0] + i), 'consecutive datagrams');
    await live.close();
  });

  it('fileRingCut: drops when the first file is two files from being overwritten, keeping half', () => {
    // 8 files, packet i at offset 1000 i, each sequence 10 packets (10,000 bytes)
    const ring = { files: 8, newest: 7, seqOf: (off: number) => Math.floor(off / 10000), startOf: (s: number) => s * 10000 };
    const off = (i: number) => i * 1000;
    assert.equal(fileRingCut({ ...ring, newest: 5 }, 55, off), -1, 'files 0..5: file 0 is overwritten at file 8, three files away');
    assert.equal(fileRingCut({ ...ring, newest: 6 }, 65, off), 20, 'files 0..6: two files away, keep 2..6');
    assert.equal(fileRingCut(ring, 75, off), 30, 'files 0..7: keep 3..7 (4 whole and the newest)');
    assert.equal(fileRingCut(ring, 25, off), -1, 'the window has not read file 3 yet');
  });
});
