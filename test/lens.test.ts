/** The words of the TCP-state CodeLens on the demo logs. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeLog } from '../src/core/log/model';
import { connectionLensText, packetLensText } from '../src/core/log/lens';
import { connectionSymbols, foldingRanges } from '../src/core/log/outline';
import { samplesDir } from './helpers/generated';

function lenses(name: string): string[] {
  const m = analyzeLog(fs.readFileSync(path.join(samplesDir(), name), 'utf8'));
  return m.log.packets.map((_, i) => packetLensText(m, i) ?? '');
}

describe('TCP-state CodeLens texts', function () {
  it('handshake and four-way teardown: each transition and step', function () {
    const l = lenses('handshake-data-teardown.tcpdump');
    assert.equal(l[0], 'client CLOSED → SYN_SENT · server LISTEN → SYN_RCVD · handshake 1/3');
    assert.equal(l[1], 'client SYN_SENT → ESTABLISHED · server SYN_RCVD · handshake 2/3');
    assert.equal(l[2], 'client ESTABLISHED · server SYN_RCVD → ESTABLISHED · handshake 3/3');
    assert.equal(l[7], 'client ESTABLISHED → FIN_WAIT_1 · server ESTABLISHED → CLOSE_WAIT · teardown 1/4');
    assert.equal(l[10], 'client TIME_WAIT · server LAST_ACK → CLOSED · teardown 4/4');
  });

  it('a refused SYN: the server never listened', function () {
    const l = lenses('refused.tcpdump');
    assert.match(l[0], /^client CLOSED → SYN_SENT · server CLOSED( · |$)/);
    assert.match(l[1], /client SYN_SENT → CLOSED/);
  });

  it('the connection summary above the first line', function () {
    const m = analyzeLog(fs.readFileSync(path.join(samplesDir(), 'handshake-data-teardown.tcpdump'), 'utf8'));
    assert.equal(connectionLensText(m.summaries[0]), '10.23.185.135:48096 → 106.53.211.6:8888 · SF · 11 packets · 26 bytes');
  });
});

describe('outline and folding by connection', function () {
  const two = () => {
    const a = fs.readFileSync(path.join(samplesDir(), 'handshake-data-teardown.tcpdump'), 'utf8');
    const b = fs.readFileSync(path.join(samplesDir(), 'reset.tcpdump'), 'utf8');
    return analyzeLog('$ sudo tcpdump -nn -i eth0 port 8888\n' + a + '\nlater on:\n' + b);
  };

  it('lists each connection with its lines', function () {
    const syms = connectionSymbols(two());
    assert.equal(syms.length, 2);
    assert.equal(syms[0].name, '10.23.185.135:48096 → 106.53.211.6:8888');
    assert.equal(syms[0].detail, 'SF · 11 packets · 26 bytes');
    assert.deepEqual([syms[0].startLine, syms[0].endLine], [1, 11]);
    assert.equal(syms[1].name, '10.23.185.135:48101 → 106.53.211.6:8888');
    assert.match(syms[1].detail, /^RSTR · /);
    assert.equal(syms[1].startLine, 14);
  });

  it('folds each connection block, and multi-line -v packets', function () {
    const folds = foldingRanges(two()).filter((f) => f.kind === 'connection');
    assert.deepEqual(folds.map((f) => [f.start, f.end]), [[1, 11], [14, 14 + lenses('reset.tcpdump').length - 1]]);
    const v = analyzeLog(fs.readFileSync(path.join(samplesDir(), 'handshake-data-teardown-verbose.tcpdump'), 'utf8'));
    const packetFolds = foldingRanges(v).filter((f) => f.kind === 'packet');
    assert.equal(packetFolds.length, 11);
    assert.deepEqual([packetFolds[0].start, packetFolds[0].end], [0, 1]);
  });

  it('interleaved connections do not make overlapping folds', function () {
    const m = analyzeLog(fs.readFileSync(path.join(samplesDir(), 'syn-flood.tcpdump'), 'utf8'));
    const folds = foldingRanges(m).filter((f) => f.kind === 'connection');
    for (let i = 1; i < folds.length; i++) assert.ok(folds[i].start > folds[i - 1].end);
  });
});
