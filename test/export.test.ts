/**
 * Export Packets (src/core/capture/export.ts, src/worker/exporter.ts): the packets of a filter
 * view, a stream or a list written as pcap or pcapng read back with our reader as the same packets
 * (data, lengths, times, link types, comments), and tcpdump reads them when it is installed; what a
 * format cannot hold is refused with the reason, leaving no file behind.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CaptureExporter } from '../src/core/capture/export';
import type { CaptureRecord } from '../src/core/capture/types';
import { pcapngEPB, pcapngIDB, pcapngSHB } from '../src/core/synth/writers';
import { conversations } from '../src/core/synth/conversations';
import { readCaptureFile } from '../src/node/captureFile';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { exportPackets } from '../src/worker/exporter';
import { samplesDir } from './helpers/generated';
import { needTool } from './helpers/tools';
import { rethrown } from './helpers/reading';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-export-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Kept = Pick<CaptureRecord, 'origLen' | 'tsSec' | 'tsNsec' | 'linkType' | 'comments'> & { data: number[] };

async function records(file: string): Promise<{ recs: Kept[]; error: string | null; format: string | undefined }> {
  const recs: Kept[] = [];
  const s = await readCaptureFile(file, {
    onRecord: (r) => recs.push({ data: [...r.data], origLen: r.origLen, tsSec: r.tsSec, tsNsec: r.tsNsec, linkType: r.linkType, comments: r.comments }),
  }).done;
  rethrown(s);
  return { recs, error: s.error?.message ?? null, format: s.info?.format };
}

async function open(file: string): Promise<CaptureIndex> {
  const idx = new CaptureIndex(fileInput(file));
  await idx.start();
  return idx;
}

function mixed(): string {
  // two interfaces (Ethernet µs, raw IP ns), comments and flags on some packets
  const parts: Uint8Array[] = [pcapngSHB(), pcapngIDB(1, 65535, 6), pcapngIDB(101, 65535, 9)];
  let k = 0;
  for (const p of conversations({ connections: 4, packets: 80, concurrency: 2, seed: 5 })) {
    const raw = k % 3 === 2;
    const frame = raw ? p.frame.subarray(14) : p.frame;
    const units = raw ? BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec) + 7n : BigInt(p.tsSec) * 1_000_000n + BigInt(Math.floor(p.tsNsec / 1000));
    parts.push(pcapngEPB(raw ? 1 : 0, units, frame, frame.length, k % 10 === 0 ? [`note ${k}`, '第二条'] : undefined, k % 10 === 0 ? 1 : undefined));
    k++;
  }
  const f = path.join(tmp, 'mixed.pcapng');
  fs.writeFileSync(f, Buffer.concat(parts));
  return f;
}

describe('Export Packets: a view, a stream or a list as pcap or pcapng', function () {
  this.timeout(60000);

  it('all packets of every sample, as pcap and as pcapng, read back as the same packets', async () => {
    const dir = samplesDir();
    for (const name of fs.readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f))) {
      const src = path.join(dir, name);
      const before = await records(src);
      const idx = await open(src);
      for (const format of ['pcap', 'pcapng'] as const) {
        const out = path.join(tmp, `${name}.all.${format}`);
        const linkTypes = new Set(before.recs.map((r) => r.linkType));
        if (format === 'pcap' && linkTypes.size > 1) {
          await assert.rejects(exportPackets(idx, out, format, { view: 0 }), /a pcap file holds one link type; save as pcapng/);
          assert.equal(fs.existsSync(out), false, 'nothing left behind');
          continue;
        }
        const r = await exportPackets(idx, out, format, { view: 0 });
        assert.equal(r.packets, before.recs.length);
        assert.equal(r.bytes, fs.statSync(out).size);
        const after = await records(out);
        assert.equal(after.error, null, `${name} → ${format}`);
        assert.equal(after.format, format);
        // times at the precision the source had (a µs pcap of ns packets would lose the ns: only when the first is ns is the file ns)
        assert.deepEqual(after.recs.map((x) => ({ ...x, comments: undefined })), before.recs.map((x) => ({ ...x, comments: undefined })), `${name} → ${format}`);
      }
      await idx.close();
    }
  });

  it('a filter view and one stream: exactly their packets, in capture order', async () => {
    const src = path.join(samplesDir(), 'retransmissions.pcap');
    const idx = await open(src);
    const before = await records(src);
    const f = await idx.filter('tcp.flags.syn == 1');
    assert.ok(f.ok);
    if (!f.ok) return;
    const out = path.join(tmp, 'syn.pcapng');
    const r = await exportPackets(idx, out, 'pcapng', { view: f.view });
    const want = idx.viewIndices(0, f.count, f.view);
    assert.equal(r.packets, f.count);
    assert.ok(r.packets >= 2);
    assert.deepEqual((await records(out)).recs.map((x) => x.data), want.map((i) => before.recs[i].data));

    const stream = idx.stream(want[0]);
    const out2 = path.join(tmp, 'stream.pcap');
    const r2 = await exportPackets(idx, out2, 'pcap', { stream });
    const ofStream = before.recs.map((_, i) => i).filter((i) => idx.stream(i) === stream);
    assert.equal(r2.packets, ofStream.length);
    assert.deepEqual((await records(out2)).recs.map((x) => x.data), ofStream.map((i) => before.recs[i].data));
    await idx.close();
  });

  it('pcapng keeps two interfaces, nanosecond times, comments and flags; pcap refuses the mix', async () => {
    const src = mixed();
    const before = await records(src);
    assert.equal(new Set(before.recs.map((r) => r.linkType)).size, 2);
    const ex = new CaptureExporter('pcapng');
    const parts: Uint8Array[] = [];
    const errors: string[] = [];
    rethrown(
      await readCaptureFile(src, {
        onRecord: (r) => {
          const x = ex.add(r);
          if ('bytes' in x) parts.push(...x.bytes);
          else errors.push(x.error);
        },
      }).done,
    );
    assert.deepEqual(errors, []);
    const out = path.join(tmp, 'mixed-out.pcapng');
    fs.writeFileSync(out, Buffer.concat(parts));
    assert.deepEqual((await records(out)).recs, before.recs);

    const idx = await open(src);
    await assert.rejects(exportPackets(idx, path.join(tmp, 'mixed.pcap'), 'pcap', { view: 0 }), /link type 101.*save as pcapng/);
    assert.equal(fs.existsSync(path.join(tmp, 'mixed.pcap')), false);
    await idx.close();
  });

  it('an empty selection writes a valid capture of no packets; a pcap time beyond 2106 is refused', async () => {
    const idx = await open(path.join(samplesDir(), 'reset.pcap'));
    const out = path.join(tmp, 'none.pcap');
    assert.deepEqual(await exportPackets(idx, out, 'pcap', { indices: [] }), { packets: 0, bytes: 24 });
    assert.equal((await records(out)).error, null);
    await idx.close();
    const ex = new CaptureExporter('pcap');
    const r = ex.add({ data: new Uint8Array(20), origLen: 20, tsSec: 2 ** 33, tsNsec: 0, tsPrecision: 6, linkType: 1 });
    assert.ok('error' in r && /does not fit a pcap file's 32-bit seconds/.test(r.error));
  });

  it('tcpdump reads what we export, packet for packet', async function () {
    needTool(this, 'tcpdump');
    const src = path.join(samplesDir(), 'zero-window.pcap');
    const idx = await open(src);
    for (const format of ['pcap', 'pcapng'] as const) {
      const out = path.join(tmp, `zw.${format}`);
      await exportPackets(idx, out, format, { view: 0 });
      const a = spawnSync('tcpdump', ['-n', '-tt', '-r', src], { encoding: 'utf8' });
      const b = spawnSync('tcpdump', ['-n', '-tt', '-r', out], { encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
      assert.equal(b.stdout, a.stdout);
    }
    await idx.close();
  });
});
