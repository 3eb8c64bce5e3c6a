/** Our per-packet performance values of a capture file, as tshark prints them (tests only). */
import * as assert from 'node:assert/strict';

import { decodeRecord, DecodedPacket } from '../../src/core/decode/index';
import { TcpEngine } from '../../src/core/tcp/engine';
import { segmentFromPacket } from '../../src/core/tcp/fromPacket';
import { readAll } from './corpus';

export interface PerfRow {
  ackRtt: string;
  acksFrame: string;
  bif: string;
}

/** Our values for every TCP packet of a capture, by 1-based frame number. */
export async function ourPerf(file: string): Promise<Map<number, PerfRow>> {
  const { records } = await readAll(file);
  const pkt = new DecodedPacket();
  const engine = new TcpEngine({ perf: true });
  const out = new Map<number, PerfRow>();
  for (const rec of records) {
    decodeRecord(pkt, rec);
    const seg = segmentFromPacket(pkt, rec);
    if (!seg) continue;
    engine.add(seg);
    const p = engine.perfPacket;
    out.set(rec.index + 1, {
      ackRtt: p.ackRttNs ? String(p.ackRttNs) : '',
      acksFrame: p.acksFrame >= 0 && p.ackRttNs ? String(p.acksFrame + 1) : '',
      bif: p.bytesInFlight ? String(p.bytesInFlight) : '',
    });
    // The stored columns give back what add returned.
    assert.equal(engine.ackRttNs(rec.index), p.ackRttNs);
    assert.equal(engine.bytesInFlight(rec.index), p.bytesInFlight);
  }
  return out;
}

