/**
 * Follow TCP Stream (issue 13): the reassembler's marks on generated captures (loss, retransmissions with
 * the same and with different bytes, reordering, a snaplen cut, a segment after a gap never filled), tshark's
 * forms against outputs captured once from tshark 4.0.17 (test/fixtures/follow/), the paging API, tcpdump
 * text with hex dumps as a source, and the `follow` command's contract.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCaptureFile } from '../src/node/captureFile';
import { annotatedFollow, directionBytes, hexDump, missingText, tsharkFollow, type TsharkMode } from '../src/core/follow/render';
import { FollowStream } from '../src/core/follow/stream';
import { parsePrintArgs } from '../src/core/print/args';
import { PacketPrinter } from '../src/core/print/packet';
import { followCapture, followText, hexDumpBytes } from '../src/node/follow';
import { CORPUS, needCorpus } from './helpers/corpus';
import { needTool } from './helpers/tools';
import { captureFiles, followAll, ourTshark, tsharkFollowBlocks, type Followed } from './helpers/follow';
import { followMarksPcap } from './helpers/followCaptures';
import { rethrown } from './helpers/reading';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
function fixture(name: string): string {
  const candidates = [path.resolve(process.cwd(), 'test', 'fixtures', 'follow', name), path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'follow', name)];
  return fs.readFileSync(candidates.find((c) => fs.existsSync(c)) ?? candidates[0], 'latin1');
}
function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'latin1' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('Follow TCP Stream: marks on generated captures', function () {
  let dir: string;
  let pcap: string;
  let f: Followed;
  const kinds = (n: number): string[] => f.follow.stream(n)!.chunks(0, 1000).map((c) => c.kind + (c.tshark ? '' : '*'));
  const annotated = (n: number): string => [...annotatedFollow(f.follow.stream(n)!, f.frame, undefined, (p) => ({ client: 'C' + p, server: 'S' + p }))].join('');

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-follow-'));
    pcap = path.join(dir, 'marks.pcap');
    fs.writeFileSync(pcap, followMarksPcap());
    f = await followAll(pcap);
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loss: the gap the other side acknowledged is a missing chunk, "[100 bytes not captured]", tshark\'s dummy text', function () {
    const s = f.follow.stream(0)!;
    assert.deepEqual(kinds(0), ['separator*', 'separator*', 'data', 'data', 'missing', 'out-of-order', 'separator*', 'separator*']);
    const gap = s.chunk(4);
    assert.equal(gap.length, 100);
    assert.equal(gap.dir, 1);
    assert.equal(gap.packet, 6, 'numbered by the client ACK (packet 7, index 6) that showed the gap, as tshark');
    assert.equal(gap.pos, 100);
    assert.equal(s.missing[1], 100);
    assert.match(annotated(0), /\n\t\[100 bytes not captured\]\n/);
    assert.equal(Buffer.from(missingText(100)).toString('latin1'), '[100 bytes missing in capture file]\0');
    // after the gap, the third segment is at stream offset 200
    assert.equal(s.chunk(5).pos, 200);
  });

  it('retransmission: copies are marked; the one with different bytes is flagged, the others not', function () {
    const s = f.follow.stream(1)!;
    assert.deepEqual(kinds(1), ['separator*', 'separator*', 'data', 'retransmission*', 'retransmission*', 'retransmission*', 'data', 'data', 'separator*', 'separator*']);
    assert.equal(s.differs(3, f.frame), false, 'same bytes');
    assert.equal(s.differs(4, f.frame), true, '"HELLO" differs from "hello"');
    assert.equal(s.differs(5, f.frame), false, 'the repeated "world\\n" of a copy with a new tail');
    assert.equal(s.chunk(4).kind, 'retransmission-differs');
    assert.equal(s.chunk(5).pos, 6);
    assert.equal(s.chunk(5).length, 6);
    assert.equal(s.chunk(6).packet, s.chunk(5).packet, 'the new tail "more\\n" comes from the same packet');
    const text = annotated(1);
    assert.match(text, /> client #16, 12 bytes at offset 0: retransmission, DIFFERS from the original, first at offset 0 \(0x68 → 0x48\)\nHELLO world\n/);
    assert.deepEqual(s.firstDifference(4, f.frame), { pos: 0, was: 0x68, now: 0x48 });
    assert.deepEqual(s.firstDifference(3, f.frame), { pos: -1, was: 0, now: 0 });
    assert.match(text, /> client #15, 12 bytes at offset 0: retransmission, same bytes\n/);
    // the client's bytes as delivered: the original, then the new tail
    assert.equal(Buffer.concat([...directionBytes(s, 0, f.frame)]).toString(), 'hello world\nmore\n');
  });

  it('a differing copy is found when only one byte differs, and when the original spans two segments', function () {
    // a hand-made stream: two data chunks of 4 bytes (packets 0, 1), then one copy over both (packet 2)
    const frames = new Map<number, Uint8Array>([
      [0, Uint8Array.from([1, 2, 3, 4])],
      [1, Uint8Array.from([5, 6, 7, 8])],
      [2, Uint8Array.from([3, 4, 5, 6])],
      [3, Uint8Array.from([3, 4, 5, 9])],
    ]);
    const s = new FollowStream(0);
    s.node0Dir = 0;
    s.push(0, 0, true, 0, 0, 4, 1, 0);
    s.push(0, 0, true, 1, 0, 4, 5, 4);
    s.push(3, 0, false, 2, 0, 4, 3, 2);
    s.push(3, 0, false, 3, 0, 4, 3, 2);
    const fr = (p: number): Uint8Array | undefined => frames.get(p);
    assert.deepEqual(s.packetsFor(2, 2), [0, 1, 2, 3], 'a page of copies needs the originals\' frames too');
    assert.equal(s.differs(2, fr), false);
    assert.equal(s.differs(3, fr), true);
    assert.equal(s.differs(0, fr), null, 'not a copy');
  });

  it('reordering: the segment captured early is put in place and marked', function () {
    const s = f.follow.stream(2)!;
    assert.deepEqual(kinds(2), ['separator*', 'separator*', 'data', 'out-of-order', 'data', 'separator*', 'separator*']);
    assert.equal(s.chunk(2).packet, 26, '"first\\n" (packet 27) comes first');
    assert.equal(s.chunk(3).packet, 25, '"second\\n" (packet 26, captured before it) is put after it');
    assert.match(annotated(2), /> client #27, 6 bytes\nfirst\n> client #26, 7 bytes, out of order, put in place\nsecond\n/);
  });

  it('snaplen and an unfilled gap: ours only (tshark drops both silently)', function () {
    const s = f.follow.stream(3)!;
    assert.deepEqual(kinds(3), ['separator*', 'separator*', 'data', 'missing*', 'missing*', 'out-of-order*']);
    assert.equal(s.chunk(2).length, 50);
    assert.equal(s.chunk(3).length, 150, 'the 150 bytes the snaplen cut');
    assert.equal(s.chunk(4).length, 30, 'the segment nobody acknowledged, never captured');
    const text = annotated(3);
    assert.match(text, /\n\[150 bytes not captured\]\n\[30 bytes not captured\]\n> client #37, 20 bytes, out of order, put in place \(the bytes before it never came: tshark drops it\)\n/);
  });

  it('separators carry both ends\' states after their packet', function () {
    const text = annotated(0);
    assert.match(text, /^-- SYN #1: client C0, server S0$/m);
    assert.match(text, /^\t-- SYN\+ACK #2: client C1, server S1$/m);
    assert.match(text, /^-- FIN\+ACK #8: client C7, server S7$/m);
    assert.deepEqual(kinds(4), ['separator*', 'separator*', 'data', 'separator*']);
    assert.match(annotated(4), /> client #41, 5 bytes\nQUIT\n\t-- RST\+ACK #42: client C41, server S41\n$/);
  });

  for (const mode of ['raw', 'hex', 'ascii'] as TsharkMode[]) {
    it(`--${mode}: equals tshark 4.0.17's output kept in test/fixtures/follow/marks.${mode}.txt`, function () {
      const ours = [0, 1, 2, 3, 4].map((n) => ourTshark(f, n, mode)).join('');
      assert.equal(ours, fixture(`marks.${mode}.txt`));
    });
  }

  it('the same with a tshark here (skipped without one)', async function () {
    needTool(this, 'tshark');
    const theirs = await tsharkFollowBlocks(pcap, ['raw', 'hex', 'ascii'], [0, 1, 2, 3, 4]);
    for (const mode of ['raw', 'hex', 'ascii'] as TsharkMode[]) for (const n of [0, 1, 2, 3, 4]) assert.equal(ourTshark(f, n, mode), theirs.get(mode + ' ' + n), `${mode} ${n}`);
  });

  it('--direction: only one side\'s records, hex offsets still counted per side', function () {
    const s = f.follow.stream(0)!;
    const server = [...tsharkFollow(s, 'raw', f.frame, { dir: 1 })].join('');
    assert.ok(!/\n[0-9a-f]/.test(server.split('Node 1:')[1].split('\n').slice(1).join('\n')), 'no client line');
    assert.equal((server.match(/\n\t[0-9a-f]+/g) ?? []).length, 3);
    const client = [...annotatedFollow(s, f.frame, undefined, undefined, { dir: 0 })].join('');
    assert.ok(!client.includes('aaaa'));
    assert.ok(client.includes('GET /big'));
  });

  it('paging: chunks(from, count), packetsFor, chunkOfPacket, chunkAtPos; 29 bytes a chunk', function () {
    const s = f.follow.stream(1)!;
    assert.deepEqual(
      s.chunks(3, 2).map((c) => c.index),
      [3, 4],
    );
    assert.deepEqual(s.chunks(9, 5).length, 1);
    assert.deepEqual(s.packetsFor(3, 1), [13, 14], 'a copy and its original');
    assert.equal(s.chunkOfPacket(16), 5, 'the first chunk of packet 17 (its repeated part)');
    assert.equal(s.chunkOfPacket(18), -1, 'a pure ACK has no chunk');
    assert.equal(s.chunkAtPos(0, 13), 6, 'offset 13 of the client\'s bytes is in "more\\n"');
    assert.equal(FollowStream.bytesPerChunk(), 29);
  });

  it('the decoder hook: messages placed by stream offset are named where they start', function () {
    const s = f.follow.stream(0)!;
    const list = [
      { dir: 0 as const, pos: 0, length: 30, title: 'GET /big HTTP/1.1' },
      { dir: 1 as const, pos: 150, length: 150, title: '(a message starting in the gap)' },
    ];
    const text = [...annotatedFollow(s, f.frame, undefined, undefined, { messages: { protocol: 'HTTP', list } })].join('');
    assert.match(text, /\n== HTTP GET \/big HTTP\/1\.1\n> client #4, 30 bytes\n/);
    assert.match(text, /\n\t== HTTP \(a message starting in the gap\)\n\t\[100 bytes not captured\]\n/);
    assert.equal(s.chunkAtPos(1, 150), 4, 'and the message links to its chunk');
  });

  it('hex form: tshark\'s line layout (offset, extra space after 8 bytes, trailing space of the ASCII column dropped)', function () {
    assert.equal(hexDump('', 0, Uint8Array.from([0x41, 0x20])), '00000000  41 20                                             A\n');
    assert.equal(hexDump('\t', 16, new Uint8Array(8).fill(0x61)), '\t00000010  61 61 61 61 61 61 61 61                           aaaaaaaa\n');
  });

  it('tcpdump text with hex dumps (-x, -xx, -X, -XX) gives the same stream as the capture', async function () {
    for (const opt of ['-x', '-xx', '-X', '-XX']) {
      const { opts } = parsePrintArgs([pcap, opt]);
      const printer = new PacketPrinter(opts);
      let text = '';
      rethrown(await readCaptureFile(pcap, { onRecord: (rec) => (text += printer.print(rec)) }).done);
      for (const n of [0, 1, 2, 3, 4]) {
        const src = followText(text, n);
        const ours = [...tsharkFollow(src.stream!, 'raw', src.frame)].join('');
        assert.equal(ours, ourTshark(f, n, 'raw'), `${opt} stream ${n}`);
      }
    }
  });

  it('tcpdump text without hex dumps: the bytes are "not captured"', async function () {
    const { opts } = parsePrintArgs([pcap]);
    const printer = new PacketPrinter(opts);
    let text = '';
    rethrown(await readCaptureFile(pcap, { onRecord: (rec) => (text += printer.print(rec)) }).done);
    const src = followText(text, 2);
    const out = [...annotatedFollow(src.stream!, src.frame, src.roles, src.states)].join('');
    assert.match(out, /\[6 bytes not captured\]\n\[7 bytes not captured\]\n/);
    const retx = [...annotatedFollow(followText(text, 1).stream!, src.frame, undefined)].join('');
    assert.equal((retx.match(/retransmission \(not compared: bytes not captured\)/g) ?? []).length, 3, retx);
  });

  it('hexDumpBytes reads tcpdump hex lines and stops at the ASCII column', function () {
    const b = hexDumpBytes(['\t0x0000:  4500 0034 abcd  E..4..', '\t0x0010:  41']);
    assert.deepEqual([...b], [0x45, 0x00, 0x00, 0x34, 0xab, 0xcd, 0x41]);
  });

  describe('capture-lens follow', function () {
    this.timeout(60000); // a dozen node processes on a busy machine
    it('--raw prints exactly tshark\'s text; the default is the annotated form', function () {
      const r = run(['follow', pcap, '--stream', '1', '--raw']);
      assert.equal(r.code, 0, r.stderr);
      const sep = '\n===================================================================\nFollow: ';
      const blocks = fixture('marks.raw.txt').split(sep).slice(1).map((b) => sep + b);
      assert.equal(blocks.length, 5);
      assert.equal(r.stdout, blocks[1]);
      const a = run(['follow', pcap, '--stream', '0', '--direction', 'server']);
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, /\[100 bytes not captured\]/);
      assert.doesNotMatch(a.stdout, /GET \/big/);
    });

    it('exit 1 with one line for a stream that does not exist, a missing or a damaged file; 2 for bad usage', function () {
      const none = run(['follow', pcap, '--stream', '9']);
      assert.equal(none.code, 1);
      assert.equal(none.stderr, `capture-lens: ${pcap} has no TCP stream 9 (its streams are 0 to 4)\n`);
      const missing = run(['follow', path.join(dir, 'nope.pcap'), '--stream', '0']);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr.split('\n').length, 2);
      const cut = path.join(dir, 'cut.pcap');
      const whole = fs.readFileSync(pcap);
      fs.writeFileSync(cut, whole.subarray(0, whole.length - 10));
      const damaged = run(['follow', cut, '--stream', '0', '--raw']);
      assert.equal(damaged.code, 1);
      assert.match(damaged.stdout, /Follow: tcp,raw/, 'what was read before the damage is printed');
      assert.equal(damaged.stderr.split('\n').length, 2);
      const notCapture = path.join(dir, 'x.bin');
      fs.writeFileSync(notCapture, Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 1]));
      assert.equal(run(['follow', notCapture, '--stream', '0']).code, 1);
      assert.equal(run(['follow', pcap]).code, 2);
      assert.equal(run(['follow', pcap, '--stream', 'x']).code, 2);
      assert.equal(run(['follow', pcap, '--stream', '0', '--raw', '--hex']).code, 2);
      assert.equal(run(['follow', pcap, '--stream', '0', '--direction', 'up']).code, 2);
    });
  });
});

describe('Follow TCP Stream: marks on real captures of the corpus', function () {
  it('a BGP NOTIFICATION sent twice with a different subcode is flagged (tcpdump/bgp-shutdown-communication.pcapng)', async function () {
    needCorpus(this);
    const f = await followAll(path.join(CORPUS!, 'tcpdump', 'bgp-shutdown-communication.pcapng'));
    const s = f.follow.stream(0)!;
    const copies = s.chunks(0, 100).filter((c) => c.kind.startsWith('retransmission'));
    assert.equal(copies.length, 1);
    assert.equal(s.differs(copies[0].index, f.frame), true);
    // byte 20 of the BGP message (its Cease subcode) is 2 in packet 1 and 4 in packet 2, as tshark -x shows
    assert.deepEqual(s.firstDifference(copies[0].index, f.frame), { pos: 20, was: 2, now: 4 });
  });

  it('Wireshark\'s reordering sample: out-of-order segments put in place, a retransmission of the same bytes (wireshark/http-ooo.pcap)', async function () {
    needCorpus(this);
    const f = await followAll(path.join(CORPUS!, 'wireshark', 'http-ooo.pcap'));
    const s = f.follow.stream(0)!;
    const kinds = s.chunks(0, 1000).map((c) => c.kind);
    assert.equal(kinds.filter((k) => k === 'out-of-order').length, 4);
    const copy = kinds.indexOf('retransmission');
    assert.ok(copy >= 0);
    assert.equal(s.differs(copy, f.frame), false);
    // put in place: the client's bytes read as the requests were sent
    const text = Buffer.concat([...directionBytes(s, 0, f.frame)]).toString('latin1');
    assert.match(text, /^PUT \/1 HTTP\/1\.1\r\nContent-Length: 4\r\n\r\n1\n2\nGET \/2 HTTP\/1\.1\r\n/);
  });
});

describe('Follow TCP Stream: the CLI reads chunk bytes back from the file by position', function () {
  this.timeout(120000);
  it('on every corpus stream with payload (pcap, pcapng, gzip-compressed), the same text as from frames in memory', async function () {
    needCorpus(this);
    let compared = 0;
    for (const dir of ['tcpdump', 'wireshark', 'other', 'pcapng']) {
      for (const file of captureFiles(path.join(CORPUS!, dir))) {
        const f = await followAll(file);
        for (let n = 0; n < f.streamCount; n++) {
          const s = f.follow.stream(n);
          if (!s || (s.delivered[0] === 0 && s.delivered[1] === 0)) continue;
          const src = await followCapture(file, n);
          try {
            const fromFile = [...tsharkFollow(src.stream!, 'raw', src.frame)].join('') + [...annotatedFollow(src.stream!, src.frame, src.roles)].join('');
            const inMemory = ourTshark(f, n, 'raw') + [...annotatedFollow(s, f.frame, src.roles)].join('');
            assert.equal(fromFile, inMemory, `${file} stream ${n}`);
            compared++;
          } finally {
            src.close();
          }
        }
      }
    }
    assert.ok(compared >= 50, `only ${compared} streams compared`);
  });
});
