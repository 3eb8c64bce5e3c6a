/**
 * The capture editor's packet list, issue 13 "Every row says which connection it is": the ports in
 * every TCP/UDP row (`addr:port`, `[v6]:port`), Wireshark's Info wording with relative Seq/Ack and
 * scaled windows computed per row from the frame (src/worker/wsNumbers.ts keeps 10 bytes a stream,
 * nothing per packet), the application summary, and the column chooser's messages checked by the
 * host. tshark's own Info is compared in test/info-tshark.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { decodeRecord, DecodedPacket, TH_ACK, TH_PUSH, TH_SYN } from '../src/core/decode/index';
import { opt, tcpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { TcpEngine } from '../src/core/tcp/engine';
import { scratchSegment, segmentFromPacket } from '../src/core/tcp/fromPacket';
import { emptyResult } from '../src/core/tcp/types';
import { COLUMN_IDS, parseColumns, parseFromWebview } from '../src/extension/capture/webviewMessages';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { WsNumbers } from '../src/worker/wsNumbers';
import { endpoint } from '../media/capture/format';
import { CORPUS, needCorpus, readAll } from './helpers/corpus';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A client on 34220 opens port 80 (window scale 7 both ways), sends a GET, gets an ACK; a v6 UDP datagram. */
function httpCapture(dir: string): string {
  const c = { src: '192.0.2.1', dst: '192.0.2.80', sport: 34220, dport: 80 };
  const s = { src: '192.0.2.80', dst: '192.0.2.1', sport: 80, dport: 34220 };
  const frames = [
    tcpFrame({ ...c, seq: 1000, flags: TH_SYN, win: 65495, options: [...opt.mss(65495), ...opt.sackOk(), ...opt.nop(), ...opt.wscale(7)] }),
    tcpFrame({ ...s, seq: 5000, ack: 1001, flags: TH_SYN | TH_ACK, win: 65483, options: [...opt.mss(1460), ...opt.nop(), ...opt.wscale(7)] }),
    tcpFrame({ ...c, seq: 1001, ack: 5001, flags: TH_ACK, win: 512 }),
    tcpFrame({ ...c, seq: 1001, ack: 5001, flags: TH_ACK | TH_PUSH, win: 512, payload: enc('GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n') }),
    tcpFrame({ ...s, seq: 5001, ack: 1048, flags: TH_ACK, win: 508 }),
    tcpFrame({ src: '2001:db8::1', dst: '2001:db8::2', sport: 5555, dport: 443, seq: 7, ack: 9, flags: TH_ACK, win: 100 }),
  ];
  const file = path.join(dir, 'http.pcap');
  fs.writeFileSync(file, Buffer.concat([pcapHeader(1, false), ...frames.map((f, i) => pcapRecord(1700000000, i * 1000, f))]));
  return file;
}

describe('capture editor rows: ports, Wireshark Info, application (issue 13)', () => {
  let dir = '';
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-columns-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives every TCP row its ports, both Info wordings and the application', async () => {
    const idx = new CaptureIndex(fileInput(httpCapture(dir)));
    await idx.start();
    try {
      const rows = await idx.rows(0, 10);
      assert.equal(rows.length, 6);
      assert.deepEqual(
        rows.map((r) => [endpoint(r.src, r.sport), endpoint(r.dst, r.dport)]),
        [
          ['192.0.2.1:34220', '192.0.2.80:80'],
          ['192.0.2.80:80', '192.0.2.1:34220'],
          ['192.0.2.1:34220', '192.0.2.80:80'],
          ['192.0.2.1:34220', '192.0.2.80:80'],
          ['192.0.2.80:80', '192.0.2.1:34220'],
          ['[2001:db8::1]:5555', '[2001:db8::2]:443'],
        ],
      );
      // relative numbers from the stream's ISNs, the window scaled after the handshake, options in header order
      assert.equal(rows[0].wsInfo, '34220 \u2192 80 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM WS=128');
      assert.equal(rows[1].wsInfo, '80 \u2192 34220 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=1460 WS=128');
      assert.equal(rows[2].wsInfo, '34220 \u2192 80 [ACK] Seq=1 Ack=1 Win=65536 Len=0');
      assert.equal(rows[4].wsInfo, '80 \u2192 34220 [ACK] Seq=1 Ack=48 Win=65024 Len=0');
      // the application summary replaces TCP's text in Wireshark's wording; tcpdump's keeps its own line
      assert.equal(rows[3].wsInfo, 'GET /index.html HTTP/1.1 ');
      assert.equal(rows[3].app, 'HTTP');
      assert.match(rows[3].info, /length 47: HTTP: GET \/index\.html HTTP\/1\.1$/);
      assert.equal(rows[2].app, undefined);
      assert.match(rows[0].info, /^Flags \[S\], seq 1000, win 65495/);
    } finally {
      await idx.close();
    }
  });

  it('keeps nothing per packet for Wireshark numbers: 10 bytes a stream', () => {
    const ws = new WsNumbers();
    const r = emptyResult();
    const seg = { ...scratchSegment(), seq: 1, ack: 0, flags: TH_ACK, wscale: -1 };
    // 100,000 packets of one stream: the arrays stay at their first size
    for (let i = 0; i < 100_000; i++) ws.note(seg, r);
    assert.equal(ws.bytes(), 512 * 5);
    // 1,000 streams: 2 bases (8 bytes) and 2 shifts (2 bytes) each, grown by doubling
    for (let s = 0; s < 1000; s++) {
      r.stream = s;
      ws.note(seg, r);
    }
    assert.equal(ws.bytes(), 2048 * 5);
  });

  it('scales windows only when both ends offered window scaling, as the engine does (all four handshakes)', () => {
    for (const [cws, sws] of [[7, 7], [7, -1], [-1, 7], [-1, -1]]) {
      const c = { src: '192.0.2.1', dst: '192.0.2.80', sport: 40000, dport: 80 };
      const sv = { src: '192.0.2.80', dst: '192.0.2.1', sport: 80, dport: 40000 };
      const frames = [
        tcpFrame({ ...c, seq: 10, flags: TH_SYN, win: 1000, options: cws >= 0 ? opt.wscale(cws) : [] }),
        tcpFrame({ ...sv, seq: 90, ack: 11, flags: TH_SYN | TH_ACK, win: 2000, options: sws >= 0 ? opt.wscale(sws) : [] }),
        tcpFrame({ ...c, seq: 11, ack: 91, flags: TH_ACK, win: 300 }),
        tcpFrame({ ...sv, seq: 91, ack: 11, flags: TH_ACK | TH_PUSH, win: 400, payload: 5 }),
      ];
      const engine = new TcpEngine();
      const ws = new WsNumbers();
      const pkt = new DecodedPacket();
      const scratch = scratchSegment();
      const seen: number[] = [];
      frames.forEach((frame, i) => {
        const rec = { index: i, data: frame, origLen: frame.length, tsSec: 1, tsNsec: i, tsPrecision: 6 as const, linkType: 1, interfaceId: 0, fileOffset: 0, fileLength: 0, blockType: 'pcap' as const };
        const seg = segmentFromPacket(decodeRecord(pkt, rec), rec, scratch)!;
        ws.note(seg, engine.add(seg));
        seen.push(seg.win, seg.flags);
      });
      engine.finish();
      const r = emptyResult();
      for (let i = 0; i < frames.length; i++) {
        engine.resultInto(i, r);
        const shift = ws.winShift(r.stream, r.dir);
        const win = seen[2 * i + 1] & TH_SYN || shift < 0 ? seen[2 * i] : seen[2 * i] * (1 << shift);
        assert.equal(win, r.winScaled, `client ws ${cws}, server ws ${sws}, packet ${i + 1}`);
      }
      // scaled only with both: 300 × 128 and 400 × 128, else raw
      engine.resultInto(2, r);
      assert.equal(r.winScaled, cws >= 0 && sws >= 0 ? 300 * 128 : 300);
    }
  });

  it('derives the same relative Seq/Ack and window as the engine keeping them per packet, on every corpus TCP packet', async function () {
    needCorpus(this);
    let compared = 0;
    const bad: string[] = [];
    for (const sub of ['tcpdump', 'other', 'wireshark']) {
      const d = path.join(CORPUS!, sub);
      if (!fs.existsSync(d)) continue;
      for (const n of fs.readdirSync(d).filter((f) => f.endsWith('.tshark.tsv'))) {
        const file = path.join(d, n.slice(0, -'.tshark.tsv'.length));
        const { records } = await readAll(file);
        const engine = new TcpEngine();
        const ws = new WsNumbers();
        const pkt = new DecodedPacket();
        const scratch = scratchSegment();
        const segs: { i: number; seq: number; ack: number; win: number; flags: number }[] = [];
        for (const rec of records) {
          const seg = segmentFromPacket(decodeRecord(pkt, rec), rec, scratch);
          if (!seg) continue;
          ws.note(seg, engine.add(seg));
          segs.push({ i: seg.index, seq: seg.seq, ack: seg.ack, win: seg.win, flags: seg.flags });
        }
        engine.finish();
        const r = emptyResult();
        for (const s of segs) {
          if (!engine.resultInto(s.i, r)) continue;
          compared++;
          const relSeq = (s.seq - ws.seqBase(r.stream, r.dir)) >>> 0;
          const relAck = s.flags & TH_ACK ? (s.ack - ws.seqBase(r.stream, (r.dir ^ 1) as 0 | 1)) >>> 0 : s.ack >>> 0;
          const shift = ws.winShift(r.stream, r.dir);
          const win = (s.flags & TH_SYN) === 0 && shift >= 0 ? s.win * (1 << shift) : s.win;
          if (relSeq !== r.relSeq || relAck !== r.relAck || win !== r.winScaled) bad.push(`${sub}/${n} frame ${s.i + 1}: ${relSeq}/${relAck}/${win} vs ${r.relSeq}/${r.relAck}/${r.winScaled}`);
        }
      }
    }
    assert.deepEqual(bad, []);
    assert.ok(compared > 1000, `only ${compared} packets compared`);
  });
});

describe('capture editor: the column chooser\'s messages are checked (issue 13)', () => {
  it('accepts known columns once each, in any order, and the two Info wordings', () => {
    assert.deepEqual(parseFromWebview({ type: 'columns', columns: ['info', 'no', 'src'] }), { type: 'columns', columns: ['info', 'no', 'src'] });
    assert.deepEqual(parseFromWebview({ type: 'columns', columns: [...COLUMN_IDS] }), { type: 'columns', columns: [...COLUMN_IDS] });
    assert.deepEqual(parseFromWebview({ type: 'infoStyle', value: 'wireshark' }), { type: 'infoStyle', value: 'wireshark' });
    assert.deepEqual(parseFromWebview({ type: 'infoStyle', value: 'tcpdump' }), { type: 'infoStyle', value: 'tcpdump' });
  });

  it('rejects unknown, repeated, missing or mistyped columns and unknown wordings', () => {
    for (const columns of [[], ['no', 'no'], ['no', 'ports'], ['no', 3], 'no,info', null, undefined, [...COLUMN_IDS, 'no'], [{}], ['__proto__']]) {
      assert.equal(parseFromWebview({ type: 'columns', columns }), null, JSON.stringify(columns));
    }
    for (const value of ['Wireshark', 'tshark', '', 1, null]) assert.equal(parseFromWebview({ type: 'infoStyle', value }), null, String(value));
    // a stored value is data too: the host reads the workspace's columns through the same check
    assert.equal(parseColumns({ 0: 'no', length: 1 }), null);
    assert.deepEqual(parseColumns(['delta', 'stream', 'states', 'app']), ['delta', 'stream', 'states', 'app']);
  });

  it('writes endpoints as Wireshark does: addr:port, [v6]:port, the address alone without a port', () => {
    assert.equal(endpoint('10.0.0.1', 443), '10.0.0.1:443');
    assert.equal(endpoint('fe80::1', 0), '[fe80::1]:0');
    assert.equal(endpoint('10.0.0.1', undefined), '10.0.0.1');
    assert.equal(endpoint('02:00:00:00:00:01', undefined), '02:00:00:00:00:01');
    assert.equal(endpoint('', 80), '');
  });
});
