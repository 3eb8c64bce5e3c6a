/**
 * Issue 14 for tcpdump text (src/core/perf/logGraph.ts): a log's connection replayed on demand gives
 * the same per-packet ack_rtt as the capture it was printed from, and the `ack` hover's RTT line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { formatEn } from '../src/core/explain/l10n';
import { analyzeLog } from '../src/core/log/model';
import { ackRttText, logAckRttMs, logConnPackets } from '../src/core/perf/logGraph';
import { buildSeries } from '../src/core/perf/series';
import { spanAt } from '../src/core/text/model';
import { ourPerf } from './helpers/perf';
import { samplesDir } from './helpers/generated';

describe('perf graphs for tcpdump text', () => {
  for (const name of ['retransmissions', 'zero-window', 'handshake-data-teardown']) {
    it(`a log's RTT samples equal its capture's (${name})`, async () => {
      const dir = samplesDir();
      const m = analyzeLog(fs.readFileSync(path.join(dir, `${name}.tcpdump`), 'utf8'));
      const cap = await ourPerf(path.join(dir, `${name}.pcap`));
      let samples = 0;
      for (let i = 0; i < m.log.packets.length; i++) {
        const want = cap.get(i + 1);
        if (!want || m.streamOf[i] < 0) continue;
        const got = logAckRttMs(m, i);
        const ns = want.ackRtt === '' ? 0 : Number(want.ackRtt);
        assert.ok(Math.abs(got - ns / 1e6) < 1e-3, `packet ${i + 1}: ${got} ms, capture ${ns} ns`);
        if (got > 0) samples++;
        const c = logConnPackets(m, m.streamOf[i]);
        assert.equal(c.bif[Array.from(c.index.subarray(0, c.n)).indexOf(i)], want.bif === '' ? 0 : Number(want.bif));
      }
      assert.ok(samples > 0);
      // the series build from the log's columns like from a capture's
      const c = logConnPackets(m, 0);
      const s = buildSeries(c, { kind: 'rtt', dir: 0, t0: 0, t1: Math.max(1e-3, c.t[c.n - 1]), width: 400 });
      assert.ok(s.layers[0].stats.count >= 0);
    });
  }

  it('the hover on `ack` gives the RTT sample, on other fields nothing', () => {
    const m = analyzeLog(fs.readFileSync(path.join(samplesDir(), 'handshake-data-teardown.tcpdump'), 'utf8'), { spans: true });
    let shown = 0;
    for (let i = 0; i < m.log.packets.length; i++) {
      const p = m.log.packets[i];
      const first = p.text.split('\n')[0];
      const col = first.indexOf(' ack ') + 5;
      if (col < 5) continue;
      assert.equal(spanAt(p, p.line, col)?.name, 'ack');
      const text = ackRttText(m, i, formatEn);
      const rtt = logAckRttMs(m, i);
      if (rtt > 0) {
        assert.ok(text !== null && text.includes(rtt >= 1 ? rtt.toFixed(2) : rtt.toFixed(3)), String(text));
        shown++;
      } else assert.equal(text, null);
    }
    assert.ok(shown > 0);
    assert.throws(() => logConnPackets(m, 99), /no TCP connection 99/);
  });
});
