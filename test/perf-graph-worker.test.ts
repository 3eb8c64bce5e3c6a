/**
 * Issue 14's figures in the capture editor's worker (src/worker/perfGraph.ts), computed on demand:
 * a connection's replay gives each packet the same ack_rtt / bytes in flight as a perf engine over
 * the whole file, and the Connections tab's cells equal that engine's per-connection summary.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';

import { decodeRecord, DecodedPacket } from '../src/core/decode/index';
import { perfJson } from '../src/core/perf/summary';
import { TcpEngine } from '../src/core/tcp/engine';
import { segmentFromPacket } from '../src/core/tcp/fromPacket';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';
import { PerfGraphs } from '../src/worker/perfGraph';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { buildSeries } from '../src/core/perf/series';
import { bulkTransfer } from '../src/core/synth/bulk';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { readAll } from './helpers/corpus';
import { generated, samplesDir } from './helpers/generated';

async function reference(file: string): Promise<TcpEngine> {
  const { records } = await readAll(file);
  const engine = new TcpEngine({ perf: true });
  const pkt = new DecodedPacket();
  for (const rec of records) {
    const seg = segmentFromPacket(decodeRecord(pkt, rec), rec);
    if (seg) engine.add(seg);
  }
  engine.finish();
  return engine;
}

async function opened(file: string): Promise<CaptureIndex> {
  const idx = new CaptureIndex(fileInput(file));
  await idx.start();
  return idx;
}

describe('perf graphs in the worker (on demand, nothing kept per packet in the index)', () => {
  for (const file of [() => generated().pcap, () => path.join(samplesDir(), 'retransmissions.pcap'), () => path.join(samplesDir(), 'zero-window.pcap')]) {
    it(`a stream's replay equals a perf engine over the whole file: ${path.basename(file())}`, async () => {
      const f = file();
      const ref = await reference(f);
      const idx = await opened(f);
      try {
        const g = new PerfGraphs(idx);
        let compared = 0;
        let samples = 0;
        const streams = ref.summaries().length;
        for (const stream of [0, Math.floor(streams / 2), streams - 1]) {
          const c = await g.connPackets(stream);
          assert.ok(c.n > 0);
          for (let r = 0; r < c.n; r++) {
            const i = c.index[r];
            assert.equal(idx.stream(i), stream);
            assert.equal(c.bif[r], ref.bytesInFlight(i), `packet ${i + 1} bytes in flight`);
            assert.ok(Math.abs(c.rttMs[r] - ref.ackRttNs(i) / 1e6) < 1e-3, `packet ${i + 1} ack_rtt`);
            if (c.rttMs[r] > 0) samples++;
            const p = await g.packetPerf(i);
            assert.ok(p !== null);
            assert.equal(p.bytesInFlight, c.bif[r]);
            compared++;
          }
        }
        assert.ok(compared > 3 && samples > 0, `${compared} packets, ${samples} RTT samples`);
        const cells = await g.perfConns();
        assert.equal(cells.length, streams);
        ref.conversations().forEach((conv, s) => {
          const j = perfJson(conv)!;
          assert.deepEqual(cells[s].throughput, [j.clientToServer.throughput, j.serverToClient.throughput]);
          assert.deepEqual(cells[s].retx, [j.clientToServer.retransmissionRate, j.serverToClient.retransmissionRate]);
          if (j.handshake) assert.equal(cells[s].rttMs, j.handshake.rttMs);
        });
      } finally {
        await idx.close();
      }
    });
  }

  it('a packet that is not TCP has no performance line', async () => {
    const idx = await opened(path.join(samplesDir(), 'all-two-interfaces.pcapng'));
    try {
      const g = new PerfGraphs(idx);
      let other = -1;
      for (let i = 0; i < idx.count && other < 0; i++) if (idx.stream(i) < 0) other = i;
      if (other >= 0) assert.equal(await g.packetPerf(other), null);
      await assert.rejects(g.connPackets(1_000_000), /no TCP connection/);
    } finally {
      await idx.close();
    }
  });

  it('the bulk transfer of the e2e test and screenshots draws its loss, SACK blocks and zero window', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-bulk-'));
    const file = path.join(dir, 'bulk.pcap');
    fs.writeFileSync(file, Buffer.concat([pcapHeader(1, false), ...bulkTransfer().map((f) => pcapRecord(1_763_712_000 + Math.floor(f.us / 1e6), f.us % 1e6, f.frame))]));
    const idx = await opened(file);
    try {
      const c = await new PerfGraphs(idx).connPackets(0);
      const s = buildSeries(c, { kind: 'tseq', dir: 0, t0: 0, t1: c.t[c.n - 1], width: 1000 });
      const stats = Object.fromEntries(s.layers.map((l) => [l.name, l.stats.count]));
      assert.equal(stats.retx, 1, JSON.stringify(stats));
      // SYN, 400 segments and the FIN; the lost one's copy is the retransmission
      assert.ok(stats.sack >= 3 && stats.zerowin === 1 && stats.data === 402, JSON.stringify(stats));
      const rtt = buildSeries(c, { kind: 'rtt', dir: 0, t0: 0, t1: c.t[c.n - 1], width: 1000 }).layers[0].stats;
      assert.ok(rtt.min >= 19.9 && rtt.count > 300, JSON.stringify(rtt));
    } finally {
      await idx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
