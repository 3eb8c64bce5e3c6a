/**
 * Pure logic of the capture editor's webview and host side: the virtual scroller's maths (a capped
 * scroll range mapped onto millions of rows), byte ↔ field mapping of the details tree, the Time
 * column formats, and the details tree built from a real decoded packet with explanations
 * (English and Chinese through the l10n bundle).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { atEnd, endTop, FineScroll, MAX_SCROLL_PX, ScrollGeometry, contentHeight, pageRows, pagesFor, realTop, revealTop, scrollTopFor, spacerHeight, visibleRange, visibleRangeAt } from '../media/common/scroll';
import { asciiChar, byteOwners, fieldPath, fieldRange, flatten, hex2, offsetLabel, toBytes } from '../media/capture/fields';
import { fmt, group, parsePacketNumber, rate, seconds, timeColumn, timeOfDay } from '../media/capture/format';
import { RowRequests } from '../media/capture/rowRequests';
import { buildDetails } from '../src/extension/capture/details';
import { MAX_COPY_PACKETS, MAX_ROWS_PER_REQUEST, parseFromWebview, type DetailNode } from '../src/extension/capture/webviewMessages';
import { TreeSink, decodeFrame, DecodedPacket } from '../src/core/decode/index';
import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import type { PacketRow } from '../src/worker/api';

const ROOT = path.resolve(__dirname, '..', '..');

describe('capture webview: virtual scroller', () => {
  const big: ScrollGeometry = { count: 5_000_000, rowHeight: 22, viewport: 440 };
  const small: ScrollGeometry = { count: 100, rowHeight: 22, viewport: 440 };

  it('follow mode: tells a list shown at its end from one scrolled away, and where its end is', () => {
    const g: ScrollGeometry = { count: 1000, rowHeight: 22, viewport: 440 };
    assert.equal(endTop(g), 22000 - 440);
    assert.equal(atEnd(endTop(g), g), true);
    assert.equal(atEnd(endTop(g) - 5, g), true, 'within half a row');
    assert.equal(atEnd(endTop(g) - 22, g), false, 'one row up: the user scrolled away');
    assert.equal(atEnd(0, { ...g, count: 0 }), true);
    assert.equal(atEnd(0, small), false);
    assert.equal(atEnd(0, { ...small, count: 10 }), true, 'a list shorter than the view');
    assert.equal(endTop({ ...small, count: 10 }), 0);
    assert.equal(endTop(big), 110_000_000 - 440);
  });

  it('caps the spacer for millions of rows and keeps small lists 1:1', () => {
    assert.equal(contentHeight(big), 110_000_000);
    assert.equal(spacerHeight(big), MAX_SCROLL_PX);
    assert.equal(spacerHeight(small), 2200);
    assert.equal(realTop(123, small), 123);
    assert.equal(scrollTopFor(123, small), 123);
  });

  it('maps the ends of the scrollbar onto the first and the last rows', () => {
    assert.deepEqual(visibleRange(0, big), { first: 0, offset: 0, count: 21 });
    const end = visibleRange(MAX_SCROLL_PX - big.viewport, big);
    assert.equal(end.first + end.count, big.count, JSON.stringify(end));
    // the last row ends exactly at the bottom of the viewport
    assert.equal(end.offset + (big.count - end.first) * big.rowHeight, big.viewport);
    // beyond the end is clamped
    assert.deepEqual(visibleRange(1e12, big), end);
  });

  it('round-trips scrollTop ↔ real offset within one bar pixel and stays monotonic', () => {
    let prev = -1;
    for (const st of [0, 1, 2, 1000, 4_000_000, 7_999_000, MAX_SCROLL_PX - 440]) {
      const top = realTop(st, big);
      assert.ok(top >= prev, `not monotonic at ${st}`);
      prev = top;
      assert.ok(Math.abs(scrollTopFor(top, big) - st) < 1e-6, `round trip at ${st}`);
    }
  });

  it('reveals a row with the least movement and pages by whole rows', () => {
    assert.equal(revealTop(5, 0, small), 0); // already visible
    assert.equal(revealTop(30, 0, small), 31 * 22 - 440); // scrolled down just enough
    assert.equal(revealTop(2, 200, small), 44); // scrolled up to the row
    assert.equal(pageRows(small), 19);
    const r = visibleRangeAt(revealTop(4_999_990, 0, big), big);
    assert.ok(r.first <= 4_999_990 && 4_999_990 < r.first + r.count);
  });

  it('asks for the visible pages first, then one page on each side', () => {
    assert.deepEqual(pagesFor(300, 25, 10_000, 256), [256, 512, 0]);
    assert.deepEqual(pagesFor(0, 25, 100, 256), [0]);
    assert.deepEqual(pagesFor(0, 0, 100, 256), []);
    assert.deepEqual(pagesFor(9990, 20, 10_000, 256), [9984, 9728]);
  });

  it('keeps the exact offset it scrolled to, until the user scrolls elsewhere', () => {
    // the element rounds scrollTop to whole pixels, as a browser does
    let raw = 0;
    const el = {
      get scrollTop(): number {
        return raw;
      },
      set scrollTop(v: number) {
        raw = Math.round(v);
      },
    };
    const fine = new FineScroll(el);
    const px = 2_500_000 * 22 + 7; // a real offset one scrollbar pixel cannot hit exactly
    fine.set(px, big);
    assert.notEqual(realTop(el.scrollTop, big), px, 'the rounded scrollTop alone loses the offset');
    assert.equal(fine.top(big), px);
    raw += 40; // the user scrolls
    assert.equal(fine.top(big), realTop(raw, big));
    fine.set(1e12, big); // beyond the end: clamped to the last screenful
    assert.equal(fine.top(big), contentHeight(big) - big.viewport);
  });

  it('handles an empty list', () => {
    const g = { count: 0, rowHeight: 22, viewport: 300 };
    assert.deepEqual(visibleRange(0, g), { first: 0, offset: 0, count: 0 });
    assert.equal(spacerHeight(g), 0);
  });
});

describe('capture webview: rows requests while following (issue 16)', () => {
  it('asks one page at a time while following, and renders again for the page it put off', () => {
    const r = new RowRequests();
    assert.equal(r.allowed(true), true);
    r.start();
    // the end moved by 4 pages at the next progress report: those pages wait for the answer
    assert.equal(r.allowed(true), false);
    assert.equal(r.allowed(true), false);
    assert.equal(r.pending, 1);
    assert.equal(r.end(), true, 'a page was put off: the list renders again and asks for the page then on screen');
    assert.equal(r.allowed(true), true);
    r.start();
    assert.equal(r.end(), false, 'nothing put off: no extra render');
  });

  it('asks every page at once when not following', () => {
    const r = new RowRequests();
    for (let i = 0; i < 3; i++) {
      assert.equal(r.allowed(false), true);
      r.start();
    }
    assert.equal(r.pending, 3);
    for (let i = 0; i < 3; i++) assert.equal(r.end(), false);
    assert.equal(r.pending, 0);
  });
});

describe('capture webview: bytes ↔ fields', () => {
  const tree: DetailNode = {
    name: 'frame', label: 'Frame', offset: 0, length: 20, explain: '',
    children: [
      { name: 'eth', label: 'Ethernet II', offset: 0, length: 14, explain: '', children: [
        { name: 'eth.dst', label: 'Destination: a', offset: 0, length: 6, explain: '' },
        { name: 'eth.src', label: 'Source: b', offset: 6, length: 6, explain: '' },
        { name: 'eth.type', label: 'Type: IPv4', offset: 12, length: 2, explain: '' },
      ] },
      { name: 'ip', label: 'IPv4', offset: 14, length: 6, explain: '', children: [
        { name: 'ip.version', label: 'Version: 4', offset: 14, length: 1, explain: '' },
        { name: 'ip.hdr_len', label: 'Header Length', offset: 14, length: 1, explain: '' },
        { name: 'tcp.engine', label: '[Stream 0]', offset: 0, length: 0, explain: '' },
      ] },
    ],
  };

  it('names the deepest field of every byte (the later one when two share a byte)', () => {
    const flat = flatten(tree);
    assert.deepEqual(flat.map((f) => f.node.name), ['frame', 'eth', 'eth.dst', 'eth.src', 'eth.type', 'ip', 'ip.version', 'ip.hdr_len', 'tcp.engine']);
    const owners = byteOwners(flat, 22);
    const name = (k: number): string => (owners[k] >= 0 ? flat[owners[k]].node.name : '-');
    assert.equal(name(0), 'eth.dst');
    assert.equal(name(7), 'eth.src');
    assert.equal(name(13), 'eth.type');
    assert.equal(name(14), 'ip.hdr_len');
    assert.equal(name(15), 'ip');
    assert.equal(name(21), '-'); // past the tree
    assert.equal(fieldPath(flat, owners[13]), 'Ethernet II › Type: IPv4');
  });

  it('clips a field range to the frame', () => {
    assert.deepEqual(fieldRange({ name: 'x', label: '', offset: 10, length: 100, explain: '' }, 20), [10, 20]);
    assert.deepEqual(fieldRange({ name: 'x', label: '', offset: 30, length: 4, explain: '' }, 20), [20, 20]);
  });

  it('formats hex, ASCII and offsets, and takes bytes in any shape postMessage gives them', () => {
    assert.equal(hex2(0), '00');
    assert.equal(hex2(0xab), 'ab');
    assert.equal(asciiChar(0x41), 'A');
    assert.equal(asciiChar(0x0a), '.');
    assert.equal(asciiChar(0x7f), '.');
    assert.equal(offsetLabel(0x10), '0010');
    assert.equal(offsetLabel(0x12345), '12345');
    assert.deepEqual([...toBytes(new Uint8Array([1, 2]))], [1, 2]);
    assert.deepEqual([...toBytes([3, 4])], [3, 4]);
    assert.deepEqual([...toBytes({ 0: 5, 1: 6 })], [5, 6]);
    assert.deepEqual([...toBytes(new Uint8Array([9, 8, 7]).buffer)], [9, 8, 7]);
    assert.equal(toBytes(null).length, 0);
  });
});

describe('capture webview: text formats', () => {
  const row: PacketRow = { index: 1, time: '1591780863.846908000', rel: 0.126619, delta: 0.000152, src: 'a', dst: 'b', proto: 'TCP', length: 60, info: '', kind: '' };

  it('shows the Time column relative, absolute (UTC) or as a delta', () => {
    assert.equal(timeColumn(row, 'relative'), '0.126619');
    assert.equal(timeColumn(row, 'delta'), '0.000152');
    assert.equal(timeColumn(row, 'absolute'), '09:21:03.846908');
    assert.equal(timeOfDay('1362000000.924505488'), '21:20:00.924505488');
    assert.equal(seconds(0.127521774), '0.127521774');
    assert.equal(seconds(0), '0.000000');
    assert.equal(timeOfDay('garbage'), 'garbage');
  });

  it('fills placeholders and formats counts, rates and packet numbers', () => {
    assert.equal(fmt('{0} of {1} packets shown', 2, 11), '2 of 11 packets shown');
    assert.equal(fmt('{0} {2}', 'a'), 'a {2}');
    assert.equal(group(1234567), '1,234,567');
    assert.equal(rate(950), '950');
    assert.equal(rate(12_345), '12 k');
    assert.equal(rate(1_200_000), '1.2 M');
    assert.equal(parsePacketNumber(' 42 '), 42);
    assert.equal(parsePacketNumber('#7'), 7);
    assert.equal(parsePacketNumber('0'), -1);
    assert.equal(parsePacketNumber('x1'), -1);
  });
});

describe('capture editor: details tree with explanations', () => {
  // dns_tcp.pcap packet 1: Ethernet / IPv4 / TCP SYN with options (tcpdump -X):
  const hex =
    '00112233446600112233445508004500' +
    '003c9b28400040061376c0a8010bd157' +
    'f91283f3003523fec80c00000000a002' +
    'faf00c410000020405b40402080a79e2' +
    'ca9a0000000001030307';
  const data = Uint8Array.from(hex.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
  const sink = new TreeSink();
  decodeFrame(new DecodedPacket(), data, data.length, 1, sink);
  const row: PacketRow = {
    index: 0, time: '1591780863.720289000', rel: 0, delta: 0, src: '192.168.1.11', dst: '209.87.249.18', proto: 'TCP', length: 74,
    info: 'Flags [S]', kind: 'syn', stream: 0, states: { client: 'SYN_SENT', server: 'LISTEN' }, step: 'handshake 1/3', analysis: ['retransmission'],
  };

  function find(n: DetailNode, pred: (n: DetailNode) => boolean): DetailNode | undefined {
    if (pred(n)) return n;
    for (const c of n.children ?? []) {
      const f = find(c, pred);
      if (f) return f;
    }
    return undefined;
  }

  it('explains IP and TCP fields in English, with their bytes', () => {
    const t = buildDetails(sink.root, row, formatEn);
    const ttl = find(t, (n) => n.name === 'ip.ttl')!;
    assert.equal(ttl.label, 'Time to Live: 64');
    assert.equal(ttl.offset, 22);
    assert.equal(ttl.length, 1);
    assert.match(ttl.explain, /^TTL 64\n/);
    assert.match(find(t, (n) => n.name === 'tcp.dstport')!.explain, /DNS/);
    assert.match(find(t, (n) => n.name === 'tcp.flags')!.explain, /SYN/);
    assert.match(find(t, (n) => n.name === 'tcp.option.mss')!.explain, /1460/);
    assert.match(find(t, (n) => n.name === 'tcp.options.mss_val')!.explain, /1460/, 'an option value is explained by its option');
    assert.match(find(t, (n) => n.name === 'tcp.window_size_value')!.explain, /[Ww]indow/);
  });

  it('adds the engine verdicts (stream, step, states, analysis) to the TCP layer, without bytes', () => {
    const t = buildDetails(sink.root, row, formatEn);
    const tcp = find(t, (n) => n.name === 'tcp')!;
    const extra = tcp.children!.filter((c) => c.name === 'tcp.engine');
    assert.deepEqual(extra.map((c) => c.label), [
      '[Stream index: 0]',
      '[Connection step: handshake 1/3]',
      '[Client state after this packet: SYN_SENT]',
      '[Server state after this packet: LISTEN]',
      '[Analysis: retransmission]',
    ]);
    assert.ok(extra.every((c) => c.length === 0));
    assert.match(extra[1].explain, /handshake/i);
    assert.match(extra[4].explain, /[Rr]etransmission/);
    assert.equal(extra[4].severity, 'warning');
  });

  it('speaks Chinese with the zh-cn bundle', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const t = buildDetails(sink.root, row, bundleTranslator(bundle));
    const CJK = /[\u4e00-\u9fff]/;
    assert.match(find(t, (n) => n.name === 'ip.ttl')!.explain, CJK);
    assert.match(find(t, (n) => n.name === 'ip.version')!.explain, CJK);
    assert.ok(find(t, (n) => n.label === '[流编号：0]'), 'the stream verdict is not translated');
  });

  it('never throws on a truncated frame', () => {
    const s2 = new TreeSink();
    decodeFrame(new DecodedPacket(), data.subarray(0, 40), 74, 1, s2);
    const t = buildDetails(s2.root, null, formatEn);
    assert.ok(flatten(t).length > 3);
  });
});

describe('capture editor: messages from the webview are checked (issue 11)', () => {
  it('passes well-formed messages and clamps rows.count to a page bound', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'rows', id: 4, view: 0, start: 512, count: 256 }), { type: 'rows', id: 4, view: 0, start: 512, count: 256 });
    // the editor used to pass any count to the worker: 1e9 rows asked for at once
    assert.deepEqual(parseFromWebview({ type: 'rows', id: 5, view: 2, start: 0, count: 1e9 }), { type: 'rows', id: 5, view: 2, start: 0, count: MAX_ROWS_PER_REQUEST });
    assert.deepEqual(parseFromWebview({ type: 'select', index: 7 }), { type: 'select', index: 7 });
    assert.deepEqual(parseFromWebview({ type: 'filter', expr: 'tcp port 80' }), { type: 'filter', expr: 'tcp port 80' });
    assert.deepEqual(parseFromWebview({ type: 'copy', indices: [3, 1] }), { type: 'copy', indices: [3, 1] });
    assert.deepEqual(parseFromWebview({ type: 'command', command: 'flowGraph' }), { type: 'command', command: 'flowGraph' });
    assert.deepEqual(parseFromWebview({ type: 'command', command: 'socketsAtPacket' }), { type: 'command', command: 'socketsAtPacket' });
    for (const value of ['relative', 'absolute', 'delta']) assert.deepEqual(parseFromWebview({ type: 'timeFormat', value }), { type: 'timeFormat', value });
    const many = parseFromWebview({ type: 'copy', indices: Array.from({ length: MAX_COPY_PACKETS + 5 }, (_, i) => i) });
    assert.equal(many?.type === 'copy' && many.indices.length, MAX_COPY_PACKETS);
  });

  it('rejects unknown types, wrong field types, non-finite or negative numbers and unknown settings values', () => {
    const bad: unknown[] = [
      null,
      42,
      'ready',
      [],
      {},
      { type: 'nope' },
      { type: 7 },
      { type: 'rows', id: 1, view: 0, start: 0 },
      { type: 'rows', id: 1, view: 0, start: 0, count: '256' },
      { type: 'rows', id: 1, view: 0, start: -1, count: 10 },
      { type: 'rows', id: 1, view: 0, start: 0, count: Infinity },
      { type: 'rows', id: 1, view: 0, start: NaN, count: 10 },
      { type: 'rows', id: 1.5, view: 0, start: 0, count: 10 },
      { type: 'rows', id: 1, view: -2, start: 0, count: 10 },
      { type: 'select', index: -1 },
      { type: 'select', index: 2 ** 60 },
      { type: 'select' },
      { type: 'filter', expr: 3 },
      { type: 'filter', expr: 'x'.repeat(100_000) },
      { type: 'copy', indices: 'all' },
      { type: 'copy', indices: [] },
      { type: 'copy', indices: [1, -2] },
      { type: 'copy', indices: [1, 0.5] },
      { type: 'command', command: 'workbench.action.quit' },
      { type: 'timeFormat', value: 'weekly' },
      { type: 'timeFormat', value: { toString: () => 'relative' } },
      { type: 'timeFormat' },
    ];
    for (const m of bad) assert.equal(parseFromWebview(m), null, JSON.stringify(m) ?? String(m));
  });
});
