/**
 * Follow mode's ring limit and re-following (issue 16, src/worker/liveIndex.ts): an endless
 * capture keeps the last N to 2N packets with the file's numbers, filters keep their ids and count
 * what they dropped, the kept rows and details are those of the same packets in the whole file, a
 * dropped packet is refused with a sentence, memory stays bounded; a file that settled and grows
 * again is followed again without the list ever going back.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { conversations } from '../src/core/synth/conversations';
import { pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB } from '../src/core/synth/writers';
import { LINKTYPE_ETHERNET } from '../src/core/decode/numbers';
import type { IndexProgress } from '../src/worker/api';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { LiveIndex } from '../src/worker/liveIndex';
import { pcapRecords, tempDirEach, untilLatest } from './helpers/following';

describe('follow mode: the ring limit and re-following (LiveIndex)', function () {
  const tmp = tempDirEach('cl-ring-');

  it('keeps the last N to 2N packets with the file numbers; filters, details and memory stay coherent', async () => {
    const RING = 1000;
    const recs = pcapRecords(9000, 5);
    const file = path.join(tmp(), 'ring.pcap');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, pcapHeader());
    const reports: IndexProgress[] = [];
    const live = new LiveIndex(() => fileInput(file), { follow: true, progressMs: 10, ringPackets: RING, onProgress: (p) => reports.push(p) });
    void live.start();
    // a view made before anything is dropped keeps its id through every replacement of the window
    const f = await live.filter('port 443');
    assert.ok(f.ok);
    let written = 0;
    let maxKept = 0;
    const BATCH = 250;
    while (written < recs.length) {
      fs.writeSync(fd, Buffer.concat(recs.slice(written, written + BATCH)));
      written = Math.min(recs.length, written + BATCH);
      live.grow();
      // once a replacement window has caught up (it reads N packets again while more arrive)
      const p = await untilLatest(reports, (r) => (r.dropped ?? 0) + r.packets === written && !live.replacing, `${written} packets read`);
      maxKept = Math.max(maxKept, p.packets);
    }
    fs.closeSync(fd);
    const p = reports.at(-1)!;
    assert.ok(p.following, 'still following');
    const dropped = p.dropped ?? 0;
    assert.ok(dropped > 0, 'the ring limit dropped packets');
    assert.ok(live.count >= RING && live.count <= 2 * RING + BATCH, `kept ${live.count} packets`);
    // memory bounded: never more than 2N packets and one batch in the window once a replacement is
    // in, whatever was written (9N)
    assert.ok(maxKept <= 2 * RING + BATCH, `at most ${maxKept} packets kept`);
    const mem = live.current.memoryBytes();
    assert.ok(mem.columns + mem.engine < (4 * RING) * 40, `index bytes ${mem.columns + mem.engine}`);

    // rows keep the file's numbers and are those packets' rows (time, addresses, lengths)
    const whole = new CaptureIndex(fileInput(file));
    await whole.start();
    assert.equal(whole.count, recs.length);
    const kept = await live.rows(0, 50);
    assert.equal(kept[0].index, dropped, 'the first kept row is packet dropped + 1');
    const same = await whole.rows(dropped, 50);
    assert.deepEqual(
      kept.map((r) => [r.index, r.time, r.src, r.dst, r.sport, r.dport, r.length]),
      same.map((r) => [r.index, r.time, r.src, r.dst, r.sport, r.dport, r.length]),
    );
    const last = (await live.rows(live.count - 1, 1))[0];
    assert.equal(last.index, recs.length - 1, 'the last row is the file last packet');
    // details by the file's number: the same bytes as the whole file's
    const d = await live.details(dropped + 7);
    assert.equal(d.index, dropped + 7);
    assert.deepEqual(d.bytes, (await whole.details(dropped + 7)).bytes);
    await assert.rejects(() => live.details(dropped - 1), /dropped by the ring limit/);
    // tcpdump's line of the same packet; its sequence numbers are relative to what the window saw of
    // the connection (absolute when it began before the window), as `tcpdump -r` prints a ring file
    const cut = (l: string) => l.replace(/, (seq|ack) [\d:]+/g, '');
    assert.deepEqual((await live.lines([dropped + 3])).map(cut), (await whole.lines([dropped + 3])).map(cut));

    // the filter view: same id, its members dropped counted, its rows the matching packets kept
    assert.ok(f.ok);
    const view = p.views?.find((v) => v.view === f.view);
    assert.ok(view, 'the view made before the drops is still reported under its id');
    const wf = await whole.filter('port 443');
    assert.ok(wf.ok);
    assert.equal((view.dropped ?? 0) + live.viewCount(f.view), wf.count, 'dropped + kept members = the whole file matches');
    const vrows = await live.rows(0, 20, f.view);
    const wrows = await whole.rows(view.dropped ?? 0, 20, wf.view);
    assert.deepEqual(vrows.map((r) => r.index), wrows.map((r) => r.index), 'the view rows are the same packets');
    assert.ok(vrows.every((r) => r.sport === 443 || r.dport === 443));

    live.settle();
    await untilLatest(reports, (r) => r.done, 'done');
    assert.equal((reports.at(-1)!.dropped ?? 0) + live.count, recs.length);
    await whole.close();
    await live.close();
  });

  it('pcapng: a new window reads the section and interface blocks, then its first kept block', async () => {
    const RING = 1000;
    const blocks: Uint8Array[] = [];
    for (const p of conversations({ connections: 40, packets: 4000, seed: 8, segmentSize: 90 })) {
      blocks.push(pcapngEPB(0, BigInt(p.tsSec) * 1000000n + BigInt(Math.floor(p.tsNsec / 1000)), p.frame));
    }
    const file = path.join(tmp(), 'ring.pcapng');
    fs.writeFileSync(file, Buffer.concat([pcapngSHB(), pcapngIDB(LINKTYPE_ETHERNET)]));
    const reports: IndexProgress[] = [];
    const live = new LiveIndex(() => fileInput(file), { follow: true, progressMs: 10, ringPackets: RING, onProgress: (p) => reports.push(p) });
    void live.start();
    let written = 0;
    while (written < blocks.length) {
      const next = Math.min(blocks.length, written + 500);
      fs.appendFileSync(file, Buffer.concat(blocks.slice(written, next)));
      written = next;
      live.grow();
      await untilLatest(reports, (r) => (r.dropped ?? 0) + r.packets === written && !live.replacing, `${written} packets read`);
    }
    const dropped = reports.at(-1)!.dropped ?? 0;
    assert.ok(dropped > 0 && live.count <= 2 * RING + 500, `${dropped} dropped, ${live.count} kept`);
    assert.equal(reports.at(-1)!.error, undefined);
    const whole = new CaptureIndex(fileInput(file));
    await whole.start();
    const kept = await live.rows(0, 30);
    const same = await whole.rows(dropped, 30);
    assert.deepEqual(kept.map((r) => [r.index, r.time, r.length, r.src]), same.map((r) => [r.index, r.time, r.length, r.src]));
    assert.deepEqual((await live.details(dropped)).bytes, (await whole.details(dropped)).bytes);
    await whole.close();
    await live.close();
  });

  it('a settled file that grows again is followed again; the list never goes back meanwhile', async () => {
    const recs = pcapRecords(600, 5);
    assert.ok(recs.length > 400);
    const file = path.join(tmp(), 'again.pcap');
    fs.writeFileSync(file, Buffer.concat([pcapHeader(), ...recs.slice(0, 200)]));
    const reports: IndexProgress[] = [];
    const live = new LiveIndex(() => fileInput(file), { follow: true, progressMs: 10, onProgress: (p) => reports.push(p) });
    void live.start();
    await untilLatest(reports, (p) => p.packets === 200 && p.following === true, '200 packets while following');
    live.settle();
    await untilLatest(reports, (p) => p.done, 'settled');
    assert.equal(live.following, false);

    const from = reports.length;
    fs.appendFileSync(file, Buffer.concat(recs.slice(200, 400)));
    live.refollow();
    await untilLatest(reports, (p) => p.packets === 400 && p.following === true && !p.done, '400 packets, following again');
    assert.ok(reports.slice(from).every((p) => p.packets >= 200), 'the settled index served until the new one caught up');
    assert.equal(live.following, true);
    // it follows: more growth is read at grow()
    fs.appendFileSync(file, Buffer.concat(recs.slice(400)));
    live.grow();
    await untilLatest(reports, (p) => p.packets === recs.length, `${recs.length} packets`);
    live.settle();
    const end = await untilLatest(reports, (p) => p.done, 'settled again');
    assert.equal(end.statesFinal, true);
    assert.equal(end.error, undefined);
    const whole = new CaptureIndex(fileInput(file));
    await whole.start();
    assert.equal(live.count, recs.length);
    assert.deepEqual(await live.rows(0, recs.length), await whole.rows(0, recs.length));
    assert.deepEqual(await live.current.connections(), await whole.connections());
    await whole.close();
    await live.close();
  });
});
