/**
 * Captures with TCP inside each encapsulation we decode, built with our own writers: one plain
 * conversation, one inside the tunnel, another plain one, interleaved, so that stream numbers
 * after the tunnelled conversation show whether it was counted (tshark counts it).
 */
import { Encapsulation, tcpFrame, TcpSegmentSpec, tunnelFrame } from '../../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../../src/core/synth/writers';

export const TUNNELS: Record<string, Encapsulation> = {
  pppoe: { kind: 'pppoe', session: 0x1a2b },
  mpls: { kind: 'mpls', labels: [100, 200] },
  ipip: { kind: 'ipip', src: '192.0.2.1', dst: '192.0.2.2' },
  '6in4': { kind: '6in4', src: '192.0.2.1', dst: '192.0.2.2' },
  gre: { kind: 'gre', src: '192.0.2.1', dst: '192.0.2.2' },
  'gre-key-seq': { kind: 'gre', src: '192.0.2.1', dst: '192.0.2.2', key: 42, seq: 7 },
  'gre-ethernet': { kind: 'gre', src: '192.0.2.1', dst: '192.0.2.2', ethernet: true },
  'gre-mpls': { kind: 'gre', src: '192.0.2.1', dst: '192.0.2.2', mpls: [100] },
  pptp: { kind: 'pptp', src: '192.0.2.1', dst: '192.0.2.2', call: 5 },
  // source port 12345: tcpdump 4.99 reads UDP port 49152 (our writer's default) as BCM-LI first
  vxlan: { kind: 'vxlan', src: '192.0.2.1', dst: '192.0.2.2', vni: 5001, sport: 12345 },
};

/** Handshake and one data segment of a conversation client:40000+n → server:50080 (no tcpdump application printer there). */
function conversation(c: string, s: string, n: number): TcpSegmentSpec[] {
  const cp = 40000 + n;
  return [
    { src: c, dst: s, sport: cp, dport: 50080, seq: 1000, flags: 0x02, options: [2, 4, 5, 0xb4] },
    { src: s, dst: c, sport: 50080, dport: cp, seq: 5000, ack: 1001, flags: 0x12 },
    { src: c, dst: s, sport: cp, dport: 50080, seq: 1001, ack: 5001, flags: 0x18, payload: 10 },
  ];
}

/** Frames in capture order: plain A, tunnelled B, plain C; A and B interleave, then B and C. */
export function tunnelFrames(name: string): Uint8Array[] {
  const e = TUNNELS[name];
  const v6 = e.kind === '6in4';
  const a = conversation('10.0.0.1', '10.0.0.2', 1).map((g) => tcpFrame(g));
  const b = conversation(v6 ? '2001:db8::1' : '10.1.0.1', v6 ? '2001:db8::2' : '10.1.0.2', 2).map((g) => tunnelFrame(g, e));
  const c = conversation('10.0.0.1', '10.0.0.2', 3).map((g) => tcpFrame(g));
  return [a[0], b[0], a[1], b[1], c[0], b[2], c[1], a[2], c[2]];
}

/** A classic pcap (Ethernet, µs) of tunnelFrames(name), one second apart from 2023-11-14 22:13:20 UTC. */
export function tunnelPcap(name: string): Uint8Array {
  const parts = [pcapHeader(1)];
  tunnelFrames(name).forEach((f, i) => parts.push(pcapRecord(1700000000 + i, 0, f)));
  return Buffer.concat(parts);
}
