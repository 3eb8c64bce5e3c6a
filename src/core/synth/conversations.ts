/**
 * Generates many interleaved TCP conversations (handshake, data both ways, FIN teardown) as
 * frames with time stamps: the benchmark's 2 M-packet capture and the demo samples use it.
 * Deterministic for a given seed.
 */
import { TH_ACK, TH_FIN, TH_PUSH, TH_SYN } from '../decode/packet';
import { opt, tcpFrame } from './frames';

export interface SynthPacket {
  tsSec: number;
  tsNsec: number;
  frame: Uint8Array;
}

export interface ConversationPlan {
  /** Number of connections. */
  connections: number;
  /** Total packets wanted (approximate: whole connections are generated). */
  packets: number;
  /** Payload bytes per data segment. */
  segmentSize?: number;
  /** Connections open at the same time (interleaving). */
  concurrency?: number;
  seed?: number;
  startSec?: number;
  /** Server ports to cycle through (default 80, 443, 8080, 5432). */
  serverPorts?: number[];
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ConnState {
  client: string;
  server: string;
  cport: number;
  sport: number;
  cseq: number;
  sseq: number;
  step: number;
  dataSegments: number;
}

/**
 * Yields packets of `plan.connections` conversations, `plan.concurrency` at a time, each with a
 * three-way handshake, alternating request/response data, and a four-way teardown.
 */
export function* conversations(plan: ConversationPlan): Generator<SynthPacket> {
  const rnd = prng(plan.seed ?? 1);
  const size = plan.segmentSize ?? 64;
  const perConn = Math.max(10, Math.floor(plan.packets / plan.connections));
  // handshake 3 + teardown 4 + data segments each followed by an ACK (2 packets a segment)
  const dataSegments = Math.max(1, Math.floor((perConn - 7) / 2));
  const concurrency = Math.max(1, plan.concurrency ?? 64);
  let nsec = 0;
  let sec = plan.startSec ?? 1_700_000_000;
  const tick = () => {
    nsec += 1000 + Math.floor(rnd() * 20000);
    if (nsec >= 1e9) {
      sec += Math.floor(nsec / 1e9);
      nsec %= 1e9;
    }
  };
  const ports = plan.serverPorts ?? [80, 443, 8080, 5432];
  const active: ConnState[] = [];
  let started = 0;
  const start = (): ConnState => {
    const i = started++;
    return {
      client: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) || 1}`,
      server: `192.168.${(i >> 8) & 3}.${1 + (i % 200)}`,
      cport: 1024 + (i % 60000),
      sport: ports[i % ports.length],
      cseq: Math.floor(rnd() * 0xffffffff),
      sseq: Math.floor(rnd() * 0xffffffff),
      step: 0,
      dataSegments,
    };
  };
  while (started < plan.connections || active.length) {
    while (active.length < concurrency && started < plan.connections) active.push(start());
    const k = Math.floor(rnd() * active.length);
    const c = active[k];
    const frame = nextFrame(c, size);
    tick();
    if (frame) yield { tsSec: sec, tsNsec: nsec, frame };
    else active.splice(k, 1);
  }
}

function nextFrame(c: ConnState, size: number): Uint8Array | null {
  const s = c.step++;
  const C = { src: c.client, dst: c.server, sport: c.cport, dport: c.sport };
  const S = { src: c.server, dst: c.client, sport: c.sport, dport: c.cport };
  const tsOpts = [...opt.nop(), ...opt.nop(), ...opt.ts(1000 + s, 2000 + s)];
  if (s === 0) return tcpFrame({ ...C, seq: c.cseq, flags: TH_SYN, win: 64240, options: [...opt.mss(1460), ...opt.sackOk(), ...opt.ts(1000, 0), ...opt.nop(), ...opt.wscale(7)] });
  if (s === 1) return tcpFrame({ ...S, seq: c.sseq, ack: c.cseq + 1, flags: TH_SYN | TH_ACK, win: 65160, options: [...opt.mss(1460), ...opt.sackOk(), ...opt.ts(2000, 1000), ...opt.nop(), ...opt.wscale(7)] });
  if (s === 2) {
    c.cseq++;
    c.sseq++;
    return tcpFrame({ ...C, seq: c.cseq, ack: c.sseq, flags: TH_ACK, win: 502, options: tsOpts });
  }
  const d = s - 3;
  if (d < 2 * c.dataSegments) {
    const fromClient = (d >> 1) % 2 === 0;
    if (d % 2 === 0) {
      // data segment
      const f = fromClient
        ? tcpFrame({ ...C, seq: c.cseq, ack: c.sseq, flags: TH_PUSH | TH_ACK, win: 502, options: tsOpts, payload: size })
        : tcpFrame({ ...S, seq: c.sseq, ack: c.cseq, flags: TH_PUSH | TH_ACK, win: 509, options: tsOpts, payload: size });
      if (fromClient) c.cseq = (c.cseq + size) >>> 0;
      else c.sseq = (c.sseq + size) >>> 0;
      return f;
    }
    // its acknowledgement
    return fromClient
      ? tcpFrame({ ...S, seq: c.sseq, ack: c.cseq, flags: TH_ACK, win: 509, options: tsOpts })
      : tcpFrame({ ...C, seq: c.cseq, ack: c.sseq, flags: TH_ACK, win: 502, options: tsOpts });
  }
  const t = d - 2 * c.dataSegments;
  switch (t) {
    case 0:
      return tcpFrame({ ...C, seq: c.cseq, ack: c.sseq, flags: TH_FIN | TH_ACK, win: 502, options: tsOpts });
    case 1:
      return tcpFrame({ ...S, seq: c.sseq, ack: c.cseq + 1, flags: TH_ACK, win: 509, options: tsOpts });
    case 2:
      return tcpFrame({ ...S, seq: c.sseq, ack: c.cseq + 1, flags: TH_FIN | TH_ACK, win: 509, options: tsOpts });
    case 3:
      return tcpFrame({ ...C, seq: c.cseq + 1, ack: c.sseq + 1, flags: TH_ACK, win: 502, options: tsOpts });
    default:
      return null;
  }
}
