/**
 * Pure parts of the flow-graph panel and its webview: the webview's geometry (media/flow/layout.ts:
 * columns, zoom, visible rows and columns, label placement), the graph views (src/core/flow/view.ts:
 * problems-only sub-graph, bracket lanes, row and marker colours, export ranges, PNG size), the
 * message protocol's validation (src/extension/flow/messages.ts) and the host-side builders
 * (src/extension/flow/graphMessages.ts: windows of rows, the graph message, localized strings in
 * English and Chinese).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { LANE_WIDTH, MAX_LANES, ROW_MARGIN, arrowBox, clampZoom, flowLayout, labelCenter, lifelineX, rowWindow, stepZoom, visibleColumns, zoomTop } from '../media/flow/layout';
import { MAX_SCROLL_PX } from '../media/common/scroll';
import { buildFlowGraph, type FlowGraph, type FlowPacket } from '../src/core/flow/model';
import { FLOW_SVG_LAYOUT } from '../src/core/flow/svg';
import { bracketLanes, exportRange, isProblemRow, markerTone, pngSize, problemsOnly, rowKind, subGraph } from '../src/core/flow/view';
import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import { MAX_ROWS_PER_REQUEST, parseFromWebview, parseOptions } from '../src/extension/flow/messages';
import { graphMessage, markerHelp, rowsWindow, stateHelp, uiStrings } from '../src/extension/flow/graphMessages';
import { flowOfCapture } from '../src/node/flow';
import { A_DUPLICATE_ACK, A_RETRANSMISSION, A_WINDOW_UPDATE, emptyResult, S_CLOSED, S_ESTABLISHED, S_SYN_RCVD, S_SYN_SENT } from '../src/core/tcp/types';
import { samplesDir } from './helpers/generated';

/** The repository (compiled tests run from out/test/, or from another --outDir: then the working directory). */
const ROOT = [path.resolve(__dirname, '..', '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'l10n', 'bundle.l10n.zh-cn.json'))) ?? process.cwd();

function sample(name: string): string {
  return path.join(samplesDir(), name);
}

/** A small hand-made packet list: one connection's handshake, then a retransmitted segment and a reset. */
function packets(): FlowPacket[] {
  const mk = (index: number, dir: 0 | 1, flags: number, analysis: number, c: number, s: number, step = ''): FlowPacket => {
    const result = { ...emptyResult(), stream: 0, dir, analysis, clientState: c, serverState: s, step };
    const [src, dst, sport, dport] = dir === 0 ? ['10.0.0.1', '10.0.0.2', 5000, 80] : ['10.0.0.2', '10.0.0.1', 80, 5000];
    return { index, tsSec: 100, tsNsec: index * 1000, src, dst, sport, dport, flags, seq: index, ack: 1, seqRaw: 1000 + index, ackRaw: 2000, win: 100, len: 0, result };
  };
  return [
    mk(0, 0, 0x02, 0, S_SYN_SENT, S_SYN_RCVD, 'handshake 1/3'),
    mk(1, 1, 0x12, 0, S_ESTABLISHED, S_SYN_RCVD, 'handshake 2/3'),
    mk(2, 0, 0x10, 0, S_ESTABLISHED, S_ESTABLISHED, 'handshake 3/3'),
    mk(3, 0, 0x18, 0, S_ESTABLISHED, S_ESTABLISHED),
    mk(4, 0, 0x18, A_RETRANSMISSION, S_ESTABLISHED, S_ESTABLISHED),
    mk(5, 1, 0x10, A_WINDOW_UPDATE, S_ESTABLISHED, S_ESTABLISHED),
    mk(6, 1, 0x10, A_DUPLICATE_ACK, S_ESTABLISHED, S_ESTABLISHED),
    mk(7, 0, 0x04, 0, S_CLOSED, S_CLOSED),
  ];
}

describe('flow panel: webview layout', () => {
  it('places the time column, the gutter, the lifelines and the comment column on the SVG grid', () => {
    const l = flowLayout(3, 10, 2, 1);
    assert.equal(l.rowHeight, FLOW_SVG_LAYOUT.rowHeight);
    assert.equal(l.timeWidth, FLOW_SVG_LAYOUT.timeWidth);
    assert.equal(l.gutterWidth, 2 * LANE_WIDTH);
    assert.equal(l.columnsLeft, l.timeWidth + l.gutterWidth);
    assert.equal(l.colWidth, FLOW_SVG_LAYOUT.minColumn);
    assert.equal(lifelineX(l, 0), l.columnsLeft + l.colWidth / 2);
    assert.equal(lifelineX(l, 2) - lifelineX(l, 1), l.colWidth);
    assert.ok(l.commentLeft > lifelineX(l, 2) + l.colWidth / 2 - 1, 'comments right of the last column');
    assert.equal(l.width, l.commentLeft + l.commentWidth);
    assert.equal(flowLayout(3, 10, 99, 1).gutterWidth, MAX_LANES * LANE_WIDTH, 'gutter capped');
  });

  it('scales rows and columns with the zoom, but never narrows a column below its label', () => {
    const a = flowLayout(2, 12, 1, 1);
    const b = flowLayout(2, 12, 1, 2);
    assert.equal(b.rowHeight, 2 * a.rowHeight);
    assert.equal(b.colWidth, 2 * a.colWidth);
    const long = flowLayout(2, 45, 1, 0.5); // "[2001:db8:…]:443"-like labels
    assert.ok(long.colWidth >= 45 * FLOW_SVG_LAYOUT.charWidth + 24);
    assert.equal(long.colWidth % 2, 0, 'even column width: lifelines on whole pixels');
  });

  it('steps and clamps the zoom', () => {
    assert.equal(stepZoom(1, 1), 1.1);
    assert.equal(stepZoom(1, -1), 0.9);
    assert.equal(stepZoom(2, 1), 2);
    assert.equal(stepZoom(0.5, -1), 0.5);
    assert.equal(stepZoom(1.05, 1), 1.1, 'from between two steps');
    assert.equal(clampZoom(9), 2);
    assert.equal(clampZoom(Number.NaN), 1);
    assert.equal(zoomTop(400, 40, 80), 800, 'same row at the top after zooming');
  });

  it('finds the lifelines in view for a horizontal scroll offset', () => {
    const l = flowLayout(100, 10, 1, 1);
    assert.deepEqual(visibleColumns(l, 0, 600, 0), [0, Math.floor((600 - l.columnsLeft) / l.colWidth)]);
    const [a, b] = visibleColumns(l, 50 * l.colWidth, 800, 1);
    assert.ok(a <= 49 && a >= 47 && b >= 53 && b <= 56, `${a}..${b}`);
    assert.deepEqual(visibleColumns(l, 1e9, 800), [0, -1], 'past the end');
    assert.deepEqual(visibleColumns(flowLayout(0, 0, 1, 1), 0, 800), [0, -1]);
  });

  it('draws arrows between lifeline centres in both directions', () => {
    const l = flowLayout(4, 10, 1, 1);
    assert.deepEqual(arrowBox(l, 0, 2), { left: lifelineX(l, 0), width: 2 * l.colWidth, right: true });
    assert.deepEqual(arrowBox(l, 3, 1), { left: lifelineX(l, 1), width: 2 * l.colWidth, right: false });
  });

  it('keeps a long arrow’s label inside the visible part of the arrow', () => {
    assert.equal(labelCenter(100, 900, 0, 2000), 500, 'whole arrow in view: its middle');
    assert.equal(labelCenter(100, 900, 600, 2000), 750, 'left part scrolled away');
    assert.equal(labelCenter(900, 100, 0, 300), 200, 'right-to-left arrow, right part out of view');
    assert.equal(labelCenter(100, 900, 1000, 2000), 500, 'not in view at all');
  });

  it('draws only the rows in view plus a margin, also for 100,000 and 10,000,000 rows', () => {
    const g = { count: 100_000, rowHeight: 40, viewport: 800 };
    const w = rowWindow(0, g);
    assert.equal(w.first, 0);
    assert.equal(w.visibleCount, 21);
    assert.equal(w.count, 21 + ROW_MARGIN);
    const mid = rowWindow(40 * 50_000 + 10, g);
    assert.equal(mid.visibleFirst, 50_000);
    assert.equal(mid.first, 50_000 - ROW_MARGIN);
    assert.equal(mid.offset, -10 - ROW_MARGIN * 40, 'offset of the first drawn row');
    const end = rowWindow(1e12, g);
    assert.equal(end.first + end.count, 100_000, 'clamped to the last row');
    assert.ok(end.count <= 21 + ROW_MARGIN);
    const huge = rowWindow(1e12, { count: 10_000_000, rowHeight: 40, viewport: 800 });
    assert.equal(huge.first + huge.count, 10_000_000);
    assert.ok(huge.count < 40);
    assert.ok(MAX_SCROLL_PX < 33_000_000);
    assert.deepEqual(rowWindow(0, { count: 0, rowHeight: 40, viewport: 800 }), { first: 0, count: 0, offset: 0, visibleFirst: 0, visibleCount: 0 });
  });
});

describe('flow panel: graph views', () => {
  it('colours rows and markers like the packet list', () => {
    assert.equal(rowKind(0x02, 0), 'syn');
    assert.equal(rowKind(0x11, 0), 'fin');
    assert.equal(rowKind(0x14, 0), 'rst');
    assert.equal(rowKind(0x02, A_RETRANSMISSION), 'warn', 'a warning wins over the flags');
    assert.equal(rowKind(0x10, A_WINDOW_UPDATE), '', 'a window update is no warning');
    assert.equal(markerTone('rst'), 'rst');
    assert.equal(markerTone('duplicate_ack'), 'warn');
    assert.equal(markerTone('window_update'), 'note');
    assert.equal(isProblemRow({ flags: 0x10, analysis: A_WINDOW_UPDATE }), false);
    assert.equal(isProblemRow({ flags: 0x04, analysis: 0 }), true);
  });

  it('keeps only the problem rows, with their states, markers and renumbered rows', () => {
    const g = buildFlowGraph(packets());
    const p = problemsOnly(g);
    assert.deepEqual(p.arrows.map((a) => a.index), [4, 6, 7]);
    assert.deepEqual(p.arrows.map((a) => a.row), [0, 1, 2]);
    assert.equal(p.arrows[1].deltaNs, 2000, 'delta between the kept rows');
    assert.equal(p.arrows[0].relNs, 4000, 'relative time still from the first packet');
    assert.deepEqual(p.markers.map((m) => [m.row, m.kind]), [[0, 'retransmission'], [1, 'duplicate_ack'], [2, 'rst']]);
    assert.deepEqual(p.stateBoxes.map((b) => [b.row, b.state]), [[2, 'CLOSED'], [2, 'CLOSED']], 'the reset closes both ends');
    assert.equal(p.brackets.length, 0, 'the handshake has no problem rows');
    assert.equal(p.lifelines.length, 2);
    assert.ok(p.ordered);
  });

  it('shrinks brackets to the rows kept and drops lifelines no kept row uses', () => {
    const g = buildFlowGraph(packets());
    assert.equal(g.brackets.length, 1);
    const s = subGraph(g, (a) => a.index !== 1);
    assert.deepEqual(s.brackets.map((b) => [b.firstRow, b.lastRow]), [[0, 1]]);
    const one = subGraph(g, (a) => a.index === 0);
    assert.equal(one.lifelines.length, 2);
    assert.equal(subGraph(g, () => false).lifelines.length, 0);
  });

  it('gives overlapping brackets different lanes, and none beyond the cap', () => {
    const lanes = bracketLanes(
      [
        { firstRow: 0, lastRow: 10 },
        { firstRow: 2, lastRow: 4 },
        { firstRow: 5, lastRow: 20 },
        { firstRow: 6, lastRow: 7 },
        { firstRow: 11, lastRow: 12 },
      ],
      3,
    );
    assert.deepEqual(lanes, [0, 1, 1, 2, 0]);
    assert.deepEqual(bracketLanes([{ firstRow: 0, lastRow: 9 }, { firstRow: 1, lastRow: 9 }], 1), [0, -1]);
  });

  it('exports everything when small and a capped window from the first row in view when big', () => {
    assert.deepEqual(exportRange(100, 50, 400), { first: 0, last: 99, clipped: false });
    assert.deepEqual(exportRange(100_000, 5000, 400), { first: 5000, last: 5399, clipped: true });
    assert.deepEqual(exportRange(100_000, 99_990, 400), { first: 99_600, last: 99_999, clipped: true }, 'ends at the last row');
    assert.deepEqual(exportRange(0, 0, 400), { first: 0, last: -1, clipped: false });
  });

  it('sizes PNGs within canvas limits, sharp when small', () => {
    assert.deepEqual(pngSize(800, 600), { scale: 2, width: 1600, height: 1200 });
    const tall = pngSize(1000, 200_000);
    assert.ok(tall.height <= 16384 && tall.width >= 1);
    const big = pngSize(10_000, 10_000);
    assert.ok(big.width * big.height <= 64e6 + 1);
    assert.equal(pngSize(0, 10).width, 0);
  });
});

describe('flow panel: messages', () => {
  it('accepts well-formed webview messages and clamps row counts', () => {
    assert.deepEqual(parseFromWebview({ type: 'rows', id: 3, version: 1, start: 200, count: 1e9 }), { type: 'rows', id: 3, version: 1, start: 200, count: MAX_ROWS_PER_REQUEST });
    assert.deepEqual(parseFromWebview({ type: 'reveal', index: 7 }), { type: 'reveal', index: 7 });
    assert.deepEqual(parseFromWebview({ type: 'export', format: 'png' }), { type: 'export', format: 'png' });
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready', selIndex: -1, topIndex: -1, options: null });
    assert.deepEqual(parseFromWebview({ type: 'png', id: 1, base64: 'iVBORw0KGgo=' }), { type: 'png', id: 1, base64: 'iVBORw0KGgo=' });
    const o = parseFromWebview({ type: 'options', options: { streams: [3, 1, 3], problemsOnly: true, time: 'delta', absolute: false }, selIndex: 4, topIndex: 2 });
    assert.deepEqual(o, { type: 'options', options: { streams: [1, 3], problemsOnly: true, time: 'delta', absolute: false }, selIndex: 4, topIndex: 2 });
  });

  it('rejects malformed ones', () => {
    for (const bad of [
      null,
      'rows',
      [],
      { type: 'nope' },
      { type: 'rows', id: -1, version: 1, start: 0, count: 10 },
      { type: 'rows', id: 1, version: 1, start: 0.5, count: 10 },
      { type: 'reveal', index: '3' },
      { type: 'export', format: 'pdf' },
      { type: 'options', options: { streams: ['1'], problemsOnly: false, time: 'relative', absolute: false } },
      { type: 'options', options: { streams: null, problemsOnly: false, time: 'epoch', absolute: false } },
      { type: 'png', id: 'x' },
    ]) {
      assert.equal(parseFromWebview(bad), null, JSON.stringify(bad));
    }
    assert.deepEqual(parseFromWebview({ type: 'png', id: 2, base64: '<svg>' }), { type: 'png', id: 2, error: 'no data' }, 'not base64: an error answer');
    assert.equal(parseOptions({ streams: null, problemsOnly: 1, time: 'relative', absolute: false }), null);
  });

  it('serves windows of rows with their states, markers and laned brackets', async () => {
    const g = await flowOfCapture(sample('handshake-data-teardown.pcap'));
    const lanes = bracketLanes(g.brackets, 4);
    const w = rowsWindow(g, lanes, 0, 3, 'relative', formatEn);
    assert.deepEqual(w.rows.map((r) => r.label), ['SYN', 'SYN, ACK', 'ACK']);
    assert.deepEqual(w.rows.map((r) => r.kind), ['syn', 'syn', '']);
    assert.equal(w.rows[0].time, '0.000000');
    assert.match(w.rows[1].comment, /^Seq = 0 Ack = 1 Win = \d+$/);
    assert.deepEqual(w.states.filter((s) => s.row === 0).map((s) => s.state), ['SYN_SENT', 'SYN_RCVD']);
    assert.deepEqual(w.brackets.map((b) => [b.kind, b.label, b.lane]), [['handshake', 'Three-way handshake', 0]]);
    const tail = rowsWindow(g, lanes, g.arrows.length - 2, 100, 'delta', formatEn);
    assert.equal(tail.rows.length, 2, 'clipped at the end');
    assert.ok(tail.states.some((s) => s.state === 'TIME_WAIT'), 'the active closer ends in TIME_WAIT');
    assert.equal(tail.brackets[0].label, 'Four-way teardown');
    assert.deepEqual(rowsWindow(g, lanes, 10_000, 10, 'relative', formatEn).rows, []);
    const zh = bundleTranslator(JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>);
    assert.equal(rowsWindow(g, lanes, 0, 3, 'relative', zh).brackets[0].label, '三次握手');
  });

  it('finds the rows of the selected and top packets for a new graph', async () => {
    const g: FlowGraph = await flowOfCapture(sample('handshake-data-teardown.pcap'));
    const opts = { streams: null, problemsOnly: false, time: 'relative' as const, absolute: false };
    const m = graphMessage(g, [0, 0], 4, opts, g.arrows[5].index, g.arrows[3].index);
    assert.equal(m.count, g.arrows.length);
    assert.equal(m.selRow, 5);
    assert.equal(m.topRow, 3);
    assert.equal(m.lanes, 1);
    assert.deepEqual(m.lifelines.map((l) => l.label), g.lifelines.map((l) => l.label));
    assert.equal(m.lifelines[0].port, String(g.lifelines[0].port));
    const none = graphMessage(g, [], 1, opts, 99_999, -1);
    assert.equal(none.selRow, -1);
    assert.equal(none.topRow, -1);
  });

  it('has every UI string, state and marker text in English and Chinese', () => {
    const en = uiStrings(formatEn);
    assert.ok(Object.values(en).every((s) => typeof s === 'string' && s.length > 0));
    const zh = bundleTranslator(JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>);
    const cn = uiStrings(zh);
    const cjk = /[\u4e00-\u9fff]/;
    for (const [k, v] of Object.entries(cn)) {
      if (/[a-z]{4,}/.test(en[k as keyof typeof en])) assert.match(v, cjk, k);
    }
    assert.match(stateHelp(formatEn).TIME_WAIT, /^TIME_WAIT\n/);
    assert.match(stateHelp(zh).TIME_WAIT, cjk);
    assert.equal(markerHelp(formatEn).retransmission[0], 'Retransmission');
    assert.ok(markerHelp(zh).rst[1].length > 0);
  });
});
