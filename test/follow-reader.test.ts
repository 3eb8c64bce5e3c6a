/**
 * The follow reader (src/core/capture/follow.ts): a capture read while it is still being written,
 * in chunks of random sizes (seeded), gives exactly the records of the whole file read at once;
 * a record cut by the current end waits instead of being damage; end() tells a truncated file
 * from a whole one; GrowthWatch tells "still growing" from "settled" with times passed in.
 */
import * as assert from 'node:assert/strict';

import { FollowReader, GrowthWatch } from '../src/core/capture/follow';
import { PcapParser } from '../src/core/capture/pcap';
import { PcapngParser } from '../src/core/capture/pcapng';
import type { CaptureRecord, CaptureSink } from '../src/core/capture/types';
import { conversations, prng } from '../src/core/synth/conversations';
import { concatBytes, LINKTYPE_ETHERNET, pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from '../src/core/synth/writers';

/** A capture of a few interleaved conversations, in both formats. */
function capture(format: 'pcap' | 'pcapng', packets = 300): { bytes: Uint8Array; records: number } {
  const parts: Uint8Array[] = format === 'pcap' ? [pcapHeader()] : [pcapngSHB(), pcapngIDB(LINKTYPE_ETHERNET)];
  let records = 0;
  for (const p of conversations({ connections: 12, packets, seed: 7, segmentSize: 300 })) {
    parts.push(
      format === 'pcap'
        ? pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame)
        : pcapngEPB(0, BigInt(p.tsSec) * 1000000n + BigInt(Math.floor(p.tsNsec / 1000)), p.frame),
    );
    records++;
  }
  return { bytes: concatBytes(parts), records };
}

/** A record copied out of the callback as one comparable string. */
function key(r: CaptureRecord): string {
  return [r.index, r.tsSec, r.tsNsec, r.origLen, r.fileOffset, r.fileLength, Buffer.from(r.data).toString('hex')].join(' ');
}

function collector(): { sink: CaptureSink; got: string[] } {
  const got: string[] = [];
  return { sink: { onRecord: (r) => got.push(key(r)) }, got };
}

/** The records of the whole file read at once by the ordinary reader. */
function wholeRead(format: 'pcap' | 'pcapng', bytes: Uint8Array): string[] {
  const { sink, got } = collector();
  const p = format === 'pcap' ? new PcapParser(sink) : new PcapngParser(sink);
  assert.ok(p.push(bytes));
  assert.equal(p.end(), null);
  return got;
}

for (const format of ['pcap', 'pcapng'] as const) {
  describe(`FollowReader: a ${format} file read while it is written`, () => {
    const { bytes, records } = capture(format);

    for (const seed of [1, 2, 3, 42, 1234]) {
      it(`gives exactly the whole file's packets when written in random-sized chunks (seed ${seed})`, () => {
        const want = wholeRead(format, bytes);
        assert.equal(want.length, records);
        const rnd = prng(seed);
        const { sink, got } = collector();
        const f = new FollowReader(sink);
        let off = 0;
        let waited = 0;
        while (off < bytes.length) {
          // 1 byte up to ~3 records: many records are cut between two chunks
          const n = Math.min(bytes.length - off, 1 + Math.floor(rnd() * 1200));
          assert.ok(f.push(bytes.subarray(off, off + n)));
          off += n;
          const st = f.state;
          // never damage while the file grows; a cut record waits at the offset after the last delivered one
          assert.ok(st.kind === 'waiting' || st.kind === 'idle', `state ${st.kind} after ${off} bytes`);
          if (st.kind === 'waiting') {
            waited++;
            assert.equal(st.offset + st.have, off);
            assert.equal(f.pending, st.have);
          }
          // every record wholly written so far has been delivered
          assert.equal(got.length, f.packets);
        }
        assert.ok(waited > 10, `records were cut between chunks (${waited} times)`);
        assert.deepEqual(f.state, { kind: 'idle' });
        assert.equal(f.end(), null);
        assert.deepEqual(got, want);
        assert.equal(f.format, format);
      });
    }

    it('keeps a record cut by the end waiting (no error) and calls it truncated once the file stops', () => {
      const { sink, got } = collector();
      const f = new FollowReader(sink);
      const cut = bytes.length - 37; // inside the last record
      f.push(bytes.subarray(0, cut));
      const st = f.state;
      assert.equal(st.kind, 'waiting');
      assert.equal(got.length, records - 1);
      // the same bytes, but the writer is gone: truncated at the last record's offset
      const err = f.end();
      assert.ok(err);
      assert.equal(err.kind, 'truncated');
      assert.equal(st.kind === 'waiting' && err.offset, st.offset);
      assert.deepEqual(f.state, { kind: 'ended', error: err });
      assert.equal(f.push(bytes.subarray(cut)), false, 'nothing is read after end()');
      assert.equal(got.length, records - 1);
    });

    it('completes the waiting record when the rest arrives', () => {
      const { sink, got } = collector();
      const f = new FollowReader(sink);
      f.push(bytes.subarray(0, bytes.length - 5));
      assert.equal(f.state.kind, 'waiting');
      f.push(bytes.subarray(bytes.length - 5));
      assert.equal(f.state.kind, 'idle');
      assert.equal(got.length, records);
      assert.equal(f.end(), null);
    });

    it('reports damage found while growing at once (growing cannot mend it)', () => {
      const bad = bytes.slice();
      const { sink, got } = collector();
      // the first record's length field: pcap caplen at 24 + 8; pcapng EPB total length at 28 + 20 + 4
      const at = format === 'pcap' ? 24 + 8 : 28 + 20 + 4;
      new DataView(bad.buffer).setUint32(at, 0x7ffffff0, true);
      const f = new FollowReader(sink);
      assert.equal(f.push(bad.subarray(0, 200)), false);
      const st = f.state;
      assert.equal(st.kind, 'damaged');
      assert.equal(st.kind === 'damaged' && st.error.kind, 'corrupt');
      assert.equal(got.length, 0);
    });
  });
}

describe('FollowReader: the first bytes', () => {
  it('waits for the magic and the file header before it knows anything', () => {
    const f = new FollowReader({ onRecord: () => undefined });
    const header = pcapHeader();
    f.push(header.subarray(0, 3));
    assert.deepEqual(f.state, { kind: 'empty' });
    f.push(header.subarray(3, 10));
    assert.deepEqual(f.state, { kind: 'waiting', offset: 0, have: 10 });
    f.push(header.subarray(10));
    assert.deepEqual(f.state, { kind: 'idle' });
    assert.equal(f.info?.format, 'pcap');
    assert.equal(f.end(), null, 'a header without records is a whole (empty) capture');
  });

  it('says a gzip file cannot be followed, and what another file is', () => {
    const g = new FollowReader({ onRecord: () => undefined });
    assert.equal(g.push(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0])), false);
    const st = g.state;
    assert.equal(st.kind === 'damaged' && st.error.kind, 'not-a-capture');
    assert.match(st.kind === 'damaged' ? st.error.message : '', /gzip/);
    const t = new FollowReader({ onRecord: () => undefined });
    assert.equal(t.push(new TextEncoder().encode('hello world')), false);
    assert.match(t.end()?.message ?? '', /starts with 68 65 6c 6c/);
  });

  it('calls a file that never got its magic not a capture once it stops', () => {
    const f = new FollowReader({ onRecord: () => undefined });
    f.push(new Uint8Array([0xd4, 0xc3]));
    assert.equal(f.end()?.kind, 'not-a-capture');
  });
});

describe('GrowthWatch: still being written or settled', () => {
  it('is growing while the size rises and settles after the quiet time', () => {
    const w = new GrowthWatch(2000);
    assert.equal(w.observe(24, 0), 'grew');
    assert.equal(w.settled(1999), false);
    assert.equal(w.observe(124, 1500), 'grew');
    assert.equal(w.settled(3000), false, 'the growth at 1500 restarted the quiet time');
    assert.equal(w.observe(124, 3400), 'same');
    assert.equal(w.settled(3499), false);
    assert.equal(w.settled(3500), true);
  });

  it('tells a replaced (shorter) file apart', () => {
    const w = new GrowthWatch(1000);
    w.observe(5000, 0);
    assert.equal(w.observe(24, 10), 'shrank');
    assert.equal(w.settled(500), false);
  });
});
