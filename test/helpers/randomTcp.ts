/**
 * Hand-written and random TCP segment sequences for the tests (test/analysis.test.ts, test/perf-tshark.test.ts),
 * and a minimal Ethernet/IPv4 pcap writer so tshark can be asked about the same segments.
 */
import * as fs from 'node:fs';

import type { SegmentInput } from '../../src/core/tcp/types';

const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };

/** One segment of a scenario: time in ms, direction, flags letters, raw seq/ack, payload length, raw window. */
export interface ScenarioSeg {
  t: number;
  /** true: client → server. */
  c: boolean;
  f: string;
  seq: number;
  ack: number;
  len: number;
  win: number;
  ws?: number;
  /** Other ports for this segment (a second connection). */
  cport?: number;
}

export interface Scenario {
  name: string;
  segs: ScenarioSeg[];
  /** Per packet (1-based frame numbers, as tshark): analysis flag names expected; frames not listed: none. */
  flags: Record<number, string[]>;
  /** Optional per-frame checks: [stream, relSeq, relAck, winScaled] as tshark printed them. */
  fields?: Record<number, [number, number, number, number]>;
  /** Optional duplicate ACK details: frame → [num, duplicated frame]. */
  dup?: Record<number, [number, number]>;
}

const CLIENT = '10.0.0.1';
const SERVER = '10.0.0.2';
const BASE_SEC = 1_700_000_000;

export function scenarioSegments(sc: Scenario): SegmentInput[] {
  return sc.segs.map((s, i) => {
    let flags = 0;
    for (const ch of s.f) flags |= FLAG_BITS[ch];
    const cport = s.cport ?? 40000;
    const ms = Math.round(s.t * 1000); // µs
    return {
      index: i,
      tsSec: BASE_SEC + Math.floor(ms / 1_000_000),
      tsNsec: (ms % 1_000_000) * 1000,
      src: s.c ? CLIENT : SERVER,
      dst: s.c ? SERVER : CLIENT,
      sport: s.c ? cport : 80,
      dport: s.c ? 80 : cport,
      flags,
      seq: s.seq >>> 0,
      ack: s.ack >>> 0,
      win: s.win,
      len: s.len,
      mss: -1,
      wscale: s.ws ?? -1,
      sackOk: false,
      tsVal: -1,
      tsEcr: -1,
    };
  });
}

/** Deterministic random conversations: handshake variants, data, holes, retransmissions, dup ACKs,
 *  keep-alives, zero windows and probes, window-edge sends, FIN/RST, SYN/SYN+ACK reuse, seq wrap. */
export function randomScenario(seed: number, cport: number, t0: number): ScenarioSeg[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff), s / 0x7fffffff);
  const ri = (n: number) => Math.floor(rnd() * n);
  const segs: ScenarioSeg[] = [];
  let t = t0;
  const cisn = ri(2) ? (0xffffff00 + ri(200)) >>> 0 : ri(1e9);
  const sisn = ri(1e9);
  const st = [
    { nxt: cisn, ack: 0, win: 1000 + ri(3) * 500, ws: ri(3) ? ri(9) : -1 },
    { nxt: sisn, ack: 0, win: 1000, ws: ri(3) ? ri(9) : -1 },
  ];
  const hist: [number, number][][] = [[], []];
  const push = (c: number, f: string, seq: number, ack: number, len: number, win: number, ws?: number) =>
    segs.push({ t, c: c === 0, f, seq: seq >>> 0, ack: ack >>> 0, len, win, ws: ws !== undefined && ws >= 0 ? ws : undefined, cport });
  const hs = ri(6);
  if (hs === 0) {
    push(1, 'SA', sisn, cisn + 1, 0, st[1].win, st[1].ws);
    st[1].nxt = sisn + 1; st[0].ack = sisn + 1; st[1].ack = cisn + 1; st[0].nxt = cisn + 1; t += 1;
  } else if (hs === 1) {
    push(0, 'S', cisn, 0, 0, st[0].win, st[0].ws);
    st[0].nxt = cisn + 1; t += 1;
    push(0, 'A', cisn + 1, sisn + 1, 0, st[0].win);
    st[0].ack = sisn + 1; st[1].ack = cisn + 1; st[1].nxt = sisn + 1;
  } else if (hs < 5) {
    push(0, 'S', cisn, 0, 0, st[0].win, st[0].ws);
    st[0].nxt = cisn + 1; t += ri(3) + 0.5;
    if (ri(6) === 0) { push(0, 'S', cisn, 0, 0, st[0].win, st[0].ws); t += 1; }
    push(1, 'SA', sisn, cisn + 1, 0, st[1].win, st[1].ws);
    st[1].nxt = sisn + 1; st[0].ack = sisn + 1; st[1].ack = cisn + 1; t += ri(3) + 0.5;
    push(0, 'A', st[0].nxt, st[0].ack, 0, st[0].win); t += 1;
  } else {
    st[0].ack = sisn; st[1].ack = cisn;
  }
  const n = 5 + ri(40);
  for (let i = 0; i < n; i++) {
    const c = ri(2);
    const me = st[c];
    const peer = st[1 - c];
    const r = ri(20);
    t += [0.05, 0.5, 2, 10, 300][ri(5)];
    const win = ri(8) === 0 ? 0 : me.win + (ri(5) === 0 ? ri(5) * 100 : 0);
    if (r < 8) {
      const len = [1, 10, 100, 1000][ri(4)];
      if (ri(6) !== 0) push(c, ri(2) ? 'PA' : 'A', me.nxt, me.ack, len, win); // else: lost
      hist[c].push([me.nxt, len]);
      me.nxt += len;
    } else if (r < 12) {
      peer.ack = (ri(4) === 0 && hist[c].length ? hist[c][ri(hist[c].length)][0] : me.nxt) >>> 0;
      push(1 - c, 'A', peer.nxt, peer.ack, 0, peer.win);
    } else if (r < 14 && hist[c].length) {
      const [seq, len] = hist[c][ri(hist[c].length)];
      push(c, 'PA', seq, me.ack, len, win);
    } else if (r < 15) push(c, 'A', me.nxt - 1, me.ack, ri(2), win);
    else if (r < 16) { push(c, 'A', me.nxt, me.ack, 0, win); push(c, 'A', me.nxt, me.ack, 0, win); }
    else if (r < 17) push(c, 'A', me.nxt, me.ack, 1, win);
    else if (r < 18) { push(c, 'FA', me.nxt, me.ack, 0, win); me.nxt++; }
    else if (r < 19) push(c, 'RA', me.nxt, me.ack, 0, 0);
    else if (ri(2) === 0) {
      const q = ri(4);
      if (q === 0) {
        const sh = peer.ws >= 0 && me.ws >= 0 ? peer.ws : 0;
        const edge = peer.ack + peer.win * 2 ** sh - me.nxt;
        const len = edge > 0 && edge < 5000 ? edge : 10;
        push(c, 'PA', me.nxt, me.ack, len, win);
        me.nxt += len;
      } else if (q === 1) { push(c, 'FPA', me.nxt, me.ack, 5, win); me.nxt += 6; }
      else if (q === 2) push(c, 'A', me.nxt, me.ack, 0, win, ri(9));
      else {
        push(1 - c, 'A', peer.nxt, peer.ack, 0, 0); t += 0.1;
        push(c, 'A', me.nxt, me.ack, 1, win); t += 0.1;
        push(1 - c, 'A', peer.nxt, peer.ack, 0, 0);
      }
    } else {
      const ws = ri(2) ? ri(9) : undefined;
      if (ri(2)) { const isn = ri(1e9); push(0, 'S', isn, 0, 0, 1000, ws); st[0].nxt = isn + 1; }
      else push(1, 'SA', ri(1e9), st[1].ack, 0, 1000, ws);
    }
  }
  return segs;
}

/** Ethernet/IPv4/TCP pcap (ns timestamps) of the segments; payload bytes are zeros. */
export function writePcap(file: string, segs: SegmentInput[]): void {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b23c4d, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6); h.writeUInt32LE(262144, 16); h.writeUInt32LE(1, 20);
  parts.push(h);
  for (const seg of segs) {
    const opts = seg.wscale >= 0 ? [1, 3, 3, seg.wscale] : [];
    const thl = 20 + opts.length;
    const tot = 20 + thl + seg.len;
    const b = Buffer.alloc(14 + tot);
    b.writeUInt16BE(0x0800, 12);
    b[14] = 0x45; b.writeUInt16BE(tot, 16); b[22] = 64; b[23] = 6;
    Buffer.from(seg.src.split('.').map(Number)).copy(b, 26);
    Buffer.from(seg.dst.split('.').map(Number)).copy(b, 30);
    b.writeUInt16BE(seg.sport, 34); b.writeUInt16BE(seg.dport, 36);
    b.writeUInt32BE(seg.seq, 38); b.writeUInt32BE(seg.ack, 42);
    b.writeUInt16BE(((thl / 4) << 12) | seg.flags, 46); b.writeUInt16BE(seg.win, 48);
    Buffer.from(opts).copy(b, 54);
    const r = Buffer.alloc(16);
    r.writeUInt32LE(seg.tsSec, 0); r.writeUInt32LE(seg.tsNsec, 4); r.writeUInt32LE(b.length, 8); r.writeUInt32LE(b.length, 12);
    parts.push(r, b);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

