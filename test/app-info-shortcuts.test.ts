/**
 * The Info shortcuts of TLS and HTTP (a segment in the middle of a record or a body, told at its first
 * bytes without the full decoding) give what the full decoding gives, on every TLS and HTTP segment of
 * the bench's realistic capture and on damaged copies of them.
 */
import * as assert from 'node:assert/strict';
import { decodeFrame, DecodedPacket, TreeSink } from '../src/core/decode/index';
import { decodeTlsBytes, newTlsSummary, tlsInfo, tlsInfoText } from '../src/core/decode/app/tls';
import { decodeHttp, httpInfo } from '../src/core/decode/app/http';
import { prng } from '../src/core/synth/conversations';
import { realisticTraffic } from '../src/core/synth/realistic';

describe('application Info shortcuts (TLS continuation, HTTP body)', function () {
  this.timeout(60000);

  it('equal the full decoding on realistic TLS and HTTP segments, whole and damaged', function () {
    const rnd = prng(21);
    const pkt = new DecodedPacket();
    let tls = 0;
    let http = 0;
    let shortcuts = 0;
    for (const p of realisticTraffic({ packets: 8000, seed: 5 })) {
      for (const damaged of [false, true]) {
        const f = p.frame.slice();
        if (damaged) f[54 + Math.floor(rnd() * Math.max(1, f.length - 54))] = Math.floor(rnd() * 256);
        decodeFrame(pkt, f, f.length, 1);
        const l4 = pkt.l4;
        if (l4.proto !== 6 || l4.payloadLen <= 0) continue;
        const off = l4.payloadOff;
        const len = l4.payloadLen;
        if (l4.sport === 443 || l4.dport === 443) {
          tls++;
          const end = Math.min(off + len, pkt.caplen);
          const full = tlsInfoText(decodeTlsBytes(pkt.data, off, end, off + len, null, newTlsSummary()));
          const got = tlsInfo(pkt, off, len, 6);
          assert.equal(got, full, `TLS segment at packet ${tls}`);
          if (got === 'Continuation Data') shortcuts++;
        } else if (l4.sport === 80 || l4.dport === 80) {
          http++;
          const sink = new TreeSink();
          decodeHttp(pkt, off, len, sink, 6);
          const continuation = JSON.stringify(sink.root).includes('http.continuation');
          assert.equal(httpInfo(pkt, off, len, 6) === 'Continuation', continuation, `HTTP segment at packet ${http}`);
        }
      }
    }
    assert.ok(tls > 1000 && http > 200 && shortcuts > 500, `${tls} TLS, ${http} HTTP segments, ${shortcuts} TLS continuations`);
  });
});
