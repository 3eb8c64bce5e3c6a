/**
 * Flow graph (src/core/flow/model.ts, text.ts, svg.ts; src/node/flow.ts) over the demo samples
 * (capture and tcpdump log of each conversation) and a corpus capture checked against tshark's
 * fields when the corpus is present.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Writable } from 'node:stream';
import { arrowLabel, buildFlowGraph, flagsText, planFlowStreams, rowAtOrAfter, rowOfIndex, stateBoxesIn, timeText, FLOW_MAX_LIFELINES, type FlowGraph, type FlowPacket } from '../src/core/flow/model';
import { flowText, trimEndSpaces } from '../src/core/flow/text';
import { flowSvg, xmlEscape } from '../src/core/flow/svg';
import { captureFlowSource, flowOfCapture, flowOfLog, logFlowSource, writeFlow, type FlowSource } from '../src/node/flow';
import { analyzeLog } from '../src/core/log/model';
import { PacketPrinter } from '../src/core/print/packet';
import { defaultPrintOptions } from '../src/core/print/options';
import { readCaptureFile } from '../src/node/captureFile';
import { emptyResult, S_CLOSED, S_ESTABLISHED, S_SYN_RCVD, S_SYN_SENT } from '../src/core/tcp/types';
import { generated, samplesDir } from './helpers/generated';
import { corpusPath, needCorpus } from './helpers/corpus';
import { skipBecause } from './helpers/skip';
import { rethrown } from './helpers/reading';

function sample(name: string): string {
  return path.join(samplesDir(), name);
}

async function both(name: string): Promise<{ cap: FlowGraph; log: FlowGraph }> {
  const cap = await flowOfCapture(sample(name + '.pcap'));
  const log = flowOfLog(fs.readFileSync(sample(name + '.tcpdump'), 'utf8'));
  return { cap, log };
}

/** The graph without absolute clock values (a log's times are times of day on 1970-01-01). */
function comparable(g: FlowGraph): unknown {
  return {
    hosts: g.hosts,
    lifelines: g.lifelines,
    arrows: g.arrows.map(({ tsSec: _s, tsNsec: _n, ...rest }) => rest),
    stateBoxes: g.stateBoxes,
    brackets: g.brackets,
    markers: g.markers,
    streams: g.streams,
    t0Nsec: g.t0Nsec,
    times: g.arrows.map((_a, r) => [timeText(g, r, 'relative'), timeText(g, r, 'delta'), timeText(g, r, 'absolute')]),
  };
}

/** Minimal XML well-formedness: balanced tags, quoted attributes, no raw '<' or bare '&' in text. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const text = svg.slice(i, lt < 0 ? svg.length : lt);
    assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(text), `bare & in text: ${JSON.stringify(text.slice(0, 80))}`);
    assert.ok(!text.includes('>'), `raw > in text: ${JSON.stringify(text.slice(0, 80))}`);
    if (lt < 0) break;
    const gt = svg.indexOf('>', lt);
    assert.ok(gt > lt, 'unterminated tag');
    const tag = svg.slice(lt + 1, gt);
    assert.ok(!tag.includes('<'), `'<' inside a tag: ${tag}`);
    const m = /^(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)$/.exec(tag);
    assert.ok(m, `malformed tag <${tag}>`);
    const [, close, name, , self] = m!;
    if (close) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else if (!self) stack.push(name);
    i = gt + 1;
  }
  assert.deepEqual(stack, [], 'unclosed tags');
}

describe('flow graph', () => {
  it('labels flags like Wireshark', () => {
    assert.equal(flagsText(0x02), 'SYN');
    assert.equal(flagsText(0x12), 'SYN, ACK');
    assert.equal(flagsText(0x18), 'PSH, ACK');
    assert.equal(flagsText(0x11), 'FIN, ACK');
    assert.equal(flagsText(0x14), 'RST, ACK');
    assert.equal(flagsText(0x19), 'FIN, PSH, ACK');
    assert.equal(flagsText(0), '<None>');
    assert.equal(arrowLabel(0x18, 10), 'PSH, ACK - Len: 10');
    assert.equal(arrowLabel(0x10, 0), 'ACK');
  });

  it('handshake-data-teardown: lifelines, arrows, brackets, states', async () => {
    const { cap: g } = await both('handshake-data-teardown');
    assert.deepEqual(
      g.lifelines.map((l) => [l.label, l.role]),
      [
        ['10.23.185.135:48096', 'client'],
        ['106.53.211.6:8888', 'server'],
      ],
    );
    assert.equal(g.hosts.length, 2);
    assert.equal(g.arrows.length, 11);
    assert.deepEqual(
      g.arrows.slice(0, 3).map((a) => [a.label, a.from, a.to]),
      [
        ['SYN', 0, 1],
        ['SYN, ACK', 1, 0],
        ['ACK', 0, 1],
      ],
    );
    assert.equal(g.arrows[0].comment, 'Seq = 0 Win = 64240');
    assert.equal(g.arrows[1].comment, 'Seq = 0 Ack = 1 Win = 65160');
    assert.equal(g.arrows[3].label, 'PSH, ACK - Len: 13');
    assert.equal(g.arrows[7].label, 'FIN, ACK');
    assert.deepEqual(
      g.brackets.map((b) => [b.kind, b.firstRow, b.lastRow]),
      [
        ['handshake', 0, 2],
        ['teardown', 7, 10],
      ],
    );
    const client = 0;
    const server = 1;
    const states = (ll: number): string[] => g.stateBoxes.filter((b) => b.lifeline === ll).map((b) => b.state);
    assert.deepEqual(states(client), ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    assert.ok(states(server).includes('CLOSE_WAIT'));
    assert.ok(states(server).includes('SYN_RCVD'));
    assert.ok(!states(server).includes('TIME_WAIT'), 'the passive closer does not reach TIME_WAIT');
    // the TIME_WAIT box is on the row of the server's FIN
    const tw = g.stateBoxes.find((b) => b.state === 'TIME_WAIT')!;
    assert.equal(g.arrows[tw.row].label, 'FIN, ACK');
    assert.equal(g.arrows[tw.row].from, server);
    assert.equal(g.markers.length, 0);
    // rows are indexable
    for (const a of g.arrows) assert.equal(rowOfIndex(g, a.index), a.row);
    assert.equal(rowOfIndex(g, 999), -1);
    assert.equal(g.ordered, true);
    assert.equal(rowAtOrAfter(g, 3), 3);
    assert.equal(rowAtOrAfter(g, 999), g.arrows.length);
    assert.deepEqual(
      stateBoxesIn(g, 7, 7).map((b) => b.state),
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
    );
    // time forms
    assert.equal(timeText(g, 0), '0.000000');
    assert.equal(timeText(g, 1, 'relative'), '0.030000');
    assert.equal(timeText(g, 2, 'delta'), '0.000150');
    assert.equal(timeText(g, 1, 'absolute'), '08:00:00.030000');
    // absolute sequence numbers on request
    const abs = await flowOfCapture(sample('handshake-data-teardown.pcap'), undefined, { absolute: true });
    assert.equal(abs.arrows[1].comment, 'Seq = 1884202731 Ack = 3021458138 Win = 65160');
  });

  it('markers: RST on the sender (reset, refused), retransmission, zero window; refused handshake', async () => {
    for (const { cap: g, log } of [await both('reset')]) {
      for (const gg of [g, log]) {
        const rst = gg.markers.filter((m) => m.kind === 'rst');
        assert.equal(rst.length, 1);
        const a = gg.arrows[rst[0].row];
        assert.equal(a.label, 'RST, ACK');
        assert.equal(rst[0].lifeline, a.from);
        assert.equal(gg.lifelines[a.from].role, 'server');
      }
    }
    const { cap: refused } = await both('refused');
    assert.ok(refused.markers.some((m) => m.kind === 'rst'));
    assert.deepEqual(
      refused.brackets.map((b) => [b.label, b.firstRow, b.lastRow]),
      [['Handshake (not completed)', 0, 0]],
    );
    // nothing listened: the server's lifeline gets no state box, the client's goes SYN_SENT → CLOSED
    assert.deepEqual(
      refused.stateBoxes.map((b) => [b.lifeline, b.from, b.state]),
      [
        [0, 'CLOSED', 'SYN_SENT'],
        [0, 'SYN_SENT', 'CLOSED'],
      ],
    );
    const { cap: retx } = await both('retransmissions');
    assert.equal(retx.markers.filter((m) => m.kind === 'retransmission').length, 2);
    const { cap: zw } = await both('zero-window');
    assert.ok(zw.markers.some((m) => m.kind === 'zero_window'));
  });

  it('close variants: CLOSE_WAIT stuck, simultaneous close', async () => {
    const { cap: cw } = await both('stuck-close-wait');
    const serverLl = cw.lifelines.findIndex((l) => l.role === 'server');
    assert.deepEqual(
      cw.stateBoxes.filter((b) => b.lifeline === serverLl).map((b) => b.state).slice(-1),
      ['CLOSE_WAIT'],
    );
    const { cap: sim } = await both('close-simultaneous');
    assert.deepEqual(
      sim.brackets.map((b) => b.label),
      ['Three-way handshake', 'Simultaneous close'],
    );
    assert.ok(sim.stateBoxes.filter((b) => b.state === 'CLOSING').length === 2);
  });

  it('stream selection and several connections (pcapng)', async () => {
    const all = await flowOfCapture(sample('all-two-interfaces.pcapng'));
    assert.ok(all.streams.length > 5);
    const two = await flowOfCapture(sample('all-two-interfaces.pcapng'), [0, 5]);
    assert.deepEqual(two.streams, [0, 5]);
    assert.ok(two.arrows.every((a) => a.stream === 0 || a.stream === 5));
    // endpoints grouped by host: the client host's ports first, then the server
    assert.deepEqual(
      two.hosts.map((h) => h.lifelines.length),
      [2, 1],
    );
    assert.deepEqual(
      two.lifelines.map((l) => l.host),
      [0, 0, 1],
    );
    const txt = flowText(two);
    assert.ok(txt.split('\n')[0].startsWith('Conv  Time'));
    assert.ok(txt.includes('\n' + '-'.repeat(20)), 'a separator between conversations');
  });

  it('40 interleaved connections: lifelines, rows and windows agree', async () => {
    const g = await flowOfCapture(generated().pcap);
    assert.equal(g.streams.length, 40);
    assert.ok(g.arrows.length > 1000);
    const seen = new Set<string>();
    for (const l of g.lifelines) {
      assert.ok(!seen.has(l.label), 'one lifeline per endpoint');
      seen.add(l.label);
      assert.ok(g.hosts[l.host].lifelines.includes(l.id));
    }
    // hosts grouped: each host's lifelines are contiguous
    for (const h of g.hosts) for (let k = 1; k < h.lifelines.length; k++) assert.equal(h.lifelines[k], h.lifelines[k - 1] + 1);
    for (const a of g.arrows) assert.equal(rowOfIndex(g, a.index), a.row);
    // every stream that starts with a SYN has its handshake bracket
    const hs = new Set(g.brackets.filter((b) => b.kind === 'handshake').map((b) => b.stream));
    for (const s of g.streams) {
      const firstRow = g.arrows.find((a) => a.stream === s)!;
      if (firstRow.label === 'SYN') assert.ok(hs.has(s), `stream ${s}`);
    }
    // a window of rows renders on its own
    assertWellFormed(flowSvg(g, { first: 500, last: 560 }));
    const txt = flowText(g, { first: 500, last: 560 });
    assert.ok(txt.split('\n').filter((l) => /[<>]/.test(l)).length === 61);
  });

  it('capture and its tcpdump log give the same graph', async () => {
    const names = fs
      .readdirSync(samplesDir())
      .filter((f) => f.endsWith('.pcap'))
      .map((f) => f.slice(0, -5));
    assert.ok(names.length >= 8);
    for (const name of names) {
      const { cap, log } = await both(name);
      assert.ok(cap.arrows.length > 0, name);
      assert.deepEqual(comparable(log), comparable(cap), name);
      assert.equal(flowText(log), flowText(cap), name);
    }
  });

  it('text diagram: header, arrow lines, state lines', async () => {
    const { cap: g } = await both('handshake-data-teardown');
    const lines = flowText(g).split('\n');
    assert.match(lines[0], /^Time\s+10\.23\.185\.135:48096\s+106\.53\.211\.6:8888$/);
    // the lifelines sit under the middle of their labels
    const c0 = lines[1].indexOf('|');
    const c1 = lines[1].lastIndexOf('|');
    assert.ok(Math.abs(lines[0].indexOf('10.23') + '10.23.185.135:48096'.length / 2 - c0) <= 1);
    assert.ok(Math.abs(lines[0].indexOf('106.53') + '106.53.211.6:8888'.length / 2 - c1) <= 1);
    const syn = lines[2];
    assert.ok(syn.startsWith('0.000000 '));
    assert.match(syn, /\|-+SYN-+>\|\s+Seq = 0 Win = 64240  \(handshake 1\/3\)$/);
    assert.equal(syn.indexOf('|'), c0);
    assert.match(lines[3], /\[SYN_SENT\].*\[SYN_RCVD\]/);
    assert.match(lines[4], /^0\.030000 +\|<-+SYN, ACK-+\|/);
    assert.ok(lines.some((l) => /\[TIME_WAIT\]/.test(l)));
    // a row range
    const part = flowText(g, { first: 7, last: 7, time: 'delta' }).split('\n');
    assert.equal(part.length, 5); // header, lifelines, the FIN, its states, ''
    assert.match(part[2], /^0\.005000 .*FIN, ACK/);
  });

  it('the well-formedness check catches broken markup', () => {
    assert.throws(() => assertWellFormed('<svg><g></svg>'));
    assert.throws(() => assertWellFormed('<svg><text>a<b</text></svg>'));
    assert.throws(() => assertWellFormed('<svg><text>a & b</text></svg>'));
    assert.throws(() => assertWellFormed('<svg><text x="1>a</text></svg>'));
    assertWellFormed('<svg><text x="1">a &amp; b &lt;</text><g/></svg>');
  });

  it('SVG: well-formed, escaped, complete', async () => {
    const { cap: g } = await both('handshake-data-teardown');
    const svg = flowSvg(g);
    assertWellFormed(svg);
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.equal((svg.match(/<polygon /g) ?? []).length, 11);
    assert.ok(svg.includes('>SYN, ACK</text>'));
    assert.ok(svg.includes('>TIME_WAIT</text>'));
    assert.ok(svg.includes('>Three-way handshake</text>'));
    assert.ok(svg.includes('>Four-way teardown</text>'));
    assert.ok(/var\(--flow-arrow,#[0-9a-f]{6}\)/.test(svg), 'colours are custom properties with fallbacks');
    // a row range
    const part = flowSvg(g, { first: 0, last: 2 });
    assertWellFormed(part);
    assert.equal((part.match(/<polygon /g) ?? []).length, 3);
    assert.ok(part.includes('>Three-way handshake</text>'));
    assert.ok(!part.includes('teardown</text>'));
    const { cap: reset } = await both('reset');
    assertWellFormed(flowSvg(reset));
    assert.ok(flowSvg(reset).includes('class="mk rst"'));
  });

  it('SVG and text keep hostile names as text', () => {
    const evil = 'evil<host>&"x\'';
    const r = (stream: number, dir: 0 | 1, c: number, s: number, step: string) => ({ ...emptyResult(), stream, dir, clientState: c, serverState: s, step });
    const base = { tsSec: 100, tsNsec: 0, seq: 0, ack: 0, seqRaw: 7, ackRaw: 0, win: 1000, len: 0 };
    const pkts: FlowPacket[] = [
      { ...base, index: 0, src: evil, dst: '10.0.0.2', sport: 1234, dport: 80, flags: 0x02, result: r(0, 0, S_SYN_SENT, S_SYN_RCVD, 'handshake 1/3') },
      { ...base, index: 1, tsNsec: 1000, src: '10.0.0.2', dst: evil, sport: 80, dport: 1234, flags: 0x12, ack: 1, result: r(0, 1, S_ESTABLISHED, S_SYN_RCVD, 'handshake 2/3') },
      { ...base, index: 2, tsNsec: 2000, src: evil, dst: '10.0.0.2', sport: 1234, dport: 80, flags: 0x14, seq: 1, result: r(0, 0, S_CLOSED, S_CLOSED, '') },
    ];
    const g = buildFlowGraph(pkts);
    assert.equal(g.lifelines[0].label, evil + ':1234');
    const svg = flowSvg(g);
    assertWellFormed(svg);
    assert.ok(!svg.includes('evil<'));
    assert.ok(svg.includes(xmlEscape(evil + ':1234')));
    assert.ok(svg.includes('evil&lt;host&gt;&amp;&quot;x&#39;:1234'));
    assert.ok(flowText(g).startsWith('Time'));
    assert.deepEqual(
      g.markers.map((m) => [m.row, m.kind]),
      [[2, 'rst']],
    );
    assert.deepEqual(
      g.brackets.map((b) => [b.kind, b.firstRow, b.lastRow]),
      [['handshake', 0, 1]],
    );
  });

  it('corpus capture: labels and comments as tshark computes them', async function () {
    needCorpus(this);
    const file = corpusPath('other', 'simple_http.pcap');
    const tsv = corpusPath('other', 'simple_http.pcap.tshark-analysis.tsv');
    if (!fs.existsSync(file) || !fs.existsSync(tsv)) {
      skipBecause(this, 'other/simple_http.pcap and its tshark analysis are not in this corpus');
    }
    const g = await flowOfCapture(file);
    const rows = fs.readFileSync(tsv, 'utf8').split('\n').filter((l) => l.length > 0);
    const head = rows[0].split('\t');
    const col = (name: string): number => head.indexOf(name);
    let checked = 0;
    for (const line of rows.slice(1)) {
      const c = line.split('\t');
      const frame = Number(c[col('frame.number')]);
      const row = rowOfIndex(g, frame - 1);
      if (row < 0) continue;
      const fs12 = c[col('tcp.flags.str')];
      // tcp.flags.str: 12 characters, FIN last
      let flags = 0;
      for (let k = 0; k < 9; k++) if (fs12[11 - k] !== '·') flags |= 1 << k;
      const a = g.arrows[row];
      assert.equal(a.flags & 0x1ff, flags, `frame ${frame} flags`);
      assert.equal(a.label, arrowLabel(flags, Number(c[col('tcp.len')])), `frame ${frame}`);
      const ackPart = flags & 0x10 ? ` Ack = ${c[col('tcp.ack')]}` : '';
      assert.equal(a.comment, `Seq = ${c[col('tcp.seq')]}${ackPart} Win = ${c[col('tcp.window_size')]}`, `frame ${frame}`);
      checked++;
    }
    assert.ok(checked > 10);
    assert.equal(g.brackets[0].kind, 'handshake');
    assertWellFormed(flowSvg(g));
  });

  it('streamed (the CLI): the same text and SVG as flowText / flowSvg of the whole graph, for captures and logs', async () => {
    const sources: [string, FlowSource, FlowGraph, number[] | undefined][] = [];
    for (const f of fs.readdirSync(samplesDir())) {
      if (f.endsWith('.pcap') || f.endsWith('.pcapng')) sources.push([f, (await captureFlowSource(sample(f))).source, await flowOfCapture(sample(f)), undefined]);
      else if (f.endsWith('.tcpdump')) {
        const text = fs.readFileSync(sample(f), 'utf8');
        sources.push([f, logFlowSource(analyzeLog(text)), flowOfLog(text), undefined]);
      }
    }
    const pcapng = sample('all-two-interfaces.pcapng');
    sources.push(['pcapng, streams 5 and 0', (await captureFlowSource(pcapng)).source, await flowOfCapture(pcapng, [0, 5]), [5, 0]]);
    sources.push(['40 connections', (await captureFlowSource(generated().pcap)).source, await flowOfCapture(generated().pcap), undefined]);
    assert.ok(sources.length > 20);
    for (const [name, source, g, want] of sources) {
      const plan = planFlowStreams(source.conns, want, Infinity);
      assert.deepEqual(plan.streams, g.streams, name);
      for (const svg of [false, true]) {
        const sink = new Sink();
        await writeFlow(source, plan, sink, { svg });
        assert.equal(sink.text(), svg ? flowSvg(g) : flowText(g), `${name}${svg ? ' (svg)' : ''}`);
      }
    }
  });

  it(`streamed: at most ${FLOW_MAX_LIFELINES} lifelines, written in bounded chunks, waiting while the reader is slow`, async function () {
    this.timeout(60000);
    // 40 interleaved connections (80 endpoints), as a capture and as its tcpdump text
    const printer = new PacketPrinter(defaultPrintOptions());
    let log = '';
    rethrown(await readCaptureFile(generated().pcap, { onRecord: (rec) => (log += printer.print(rec)) }).done);
    const sources: [string, FlowSource][] = [
      ['capture', (await captureFlowSource(generated().pcap)).source],
      ['log', logFlowSource(analyzeLog(log))],
    ];
    for (const [name, source] of sources) {
      const plan = planFlowStreams(source.conns, undefined);
      assert.equal(plan.streams.length + plan.omitted, 40, name);
      assert.ok(plan.omitted > 0, name);
      const sink = new Sink(true);
      const chunk = 16384;
      await writeFlow(source, plan, sink, { note: 'a note', chunk });
      const text = sink.text();
      assert.ok(text.startsWith('Note: a note\n\nConv  Time'), name);
      const lines = text.split('\n');
      assert.ok(lines[2].trim().split(/\s+/).length - 2 <= FLOW_MAX_LIFELINES, name);
      // short endpoint names: 28 columns a lifeline, plus the time, stream and comment columns
      for (const l of lines) assert.ok(l.length <= FLOW_MAX_LIFELINES * 28 + 200, `${name}: a line of ${l.length}`);
      assert.ok(text.length > 20 * chunk, name);
      assert.ok(sink.chunks.length >= text.length / (chunk + 4096), `${name}: ${sink.chunks.length} chunks`);
      for (const c of sink.chunks) assert.ok(c.length <= chunk + 4096, `${name}: a chunk of ${c.length}`);
      // the log is drawn from memory: it waits for room after every row it writes, so at most the
      // stream's buffer and one chunk are queued; a capture stops within a 64 KiB slice of input
      if (name === 'log') assert.ok(sink.maxQueued <= 16384 + chunk + 4096, `${name}: ${sink.maxQueued} queued`);
      else assert.ok(sink.maxQueued < text.length, `${name}: ${sink.maxQueued} queued`);
    }
  });

  it('the text diagram grows linearly with a long host name (its lines are trimmed without a regex)', () => {
    // "Copy as text" runs in the extension host; /\s+$/ on a line with a 64 K-column lifeline took 10 s
    const graphOf = (len: number): FlowGraph => {
      const host = 'h'.repeat(len);
      const packets: FlowPacket[] = [];
      for (let i = 0; i < 4; i++) {
        const result = { ...emptyResult(), stream: 0, dir: (i % 2) as 0 | 1, clientState: i % 2 ? S_ESTABLISHED : S_SYN_SENT, serverState: i % 2 ? S_SYN_RCVD : S_ESTABLISHED };
        const base = { index: i, tsSec: 1, tsNsec: i * 1000, seq: 0, ack: 0, seqRaw: 0, ackRaw: 0, win: 1, len: 0, result };
        packets.push(i % 2 ? { ...base, src: '10.0.0.2', sport: 80, dst: host, dport: 1, flags: 0x12 } : { ...base, src: host, sport: 1, dst: '10.0.0.2', dport: 80, flags: 0x02 });
      }
      return buildFlowGraph(packets);
    };
    const best = (f: () => void, runs: number): number => {
      let b = Infinity;
      for (let k = 0; k < runs; k++) {
        const t = process.hrtime.bigint();
        f();
        b = Math.min(b, Number(process.hrtime.bigint() - t));
      }
      return b;
    };
    // a lifeline line: a name, then a run of spaces as wide as a 16 K-character name's column, then "|"
    const line = 'x' + ' '.repeat(16384) + '|';
    assert.equal(trimEndSpaces(line + '   '), line);
    assert.equal(trimEndSpaces('   '), '');
    const scan = best(() => line.indexOf('|'), 9); // one linear pass over the line
    const trim = best(() => trimEndSpaces(line + ' '), 9);
    assert.ok(trim < 20 * scan + 20000, `trimming took ${trim} ns, a scan of the line ${scan} ns`);
    // the whole export: 32 times the name (the lines' width) costs ~32-80 times as much, not ~1,000 times
    const small = graphOf(512);
    const big = graphOf(16384);
    best(() => flowText(small), 3); // warm up
    const ratio = best(() => flowText(big), 5) / best(() => flowText(small), 5);
    assert.ok(ratio < 400, `32x the host name took ${ratio.toFixed(0)}x the time`);
  });
});

/** A Writable that keeps what it is given; `slow`: takes each chunk on a later turn, so writes queue up. */
class Sink extends Writable {
  chunks: string[] = [];
  maxQueued = 0;
  constructor(private readonly slow = false) {
    super({ highWaterMark: 16384, decodeStrings: false });
  }
  override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(String(chunk));
    this.maxQueued = Math.max(this.maxQueued, this.writableLength);
    if (this.slow) setImmediate(cb);
    else cb();
  }
  text(): string {
    return this.chunks.join('');
  }
}

