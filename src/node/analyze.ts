/**
 * Runs a capture file through decoder and TCP engine (Node side: file access). Used by the CLI's
 * `packets` and `conns` commands and by the benchmark.
 */
import type { CaptureRecord } from '../core/capture/types';
import { decodeRecord, DecodedPacket, NET_ARP, NET_IPV4, NET_IPV6 } from '../core/decode/index';
import { scratchSegment, segmentFromPacket } from '../core/tcp/fromPacket';
import { TcpEngine, type TcpEngineOptions } from '../core/tcp/engine';
import type { SegmentInput } from '../core/tcp/types';
import { readCaptureFile, ReadSummary } from './captureFile';

export interface AnalyzedFile {
  engine: TcpEngine;
  read: ReadSummary;
}

/** Called for every packet: the record, its decoded form and its TCP segment (null when not TCP; all three are reused: copy what you keep). */
export type PacketVisitor = (rec: CaptureRecord, pkt: DecodedPacket, seg: SegmentInput | null) => void;

/** One pass: every TCP segment goes through a fresh engine, which is finished at the end. */
export async function analyzeCaptureFile(file: string, visit?: PacketVisitor, opts: TcpEngineOptions = {}): Promise<AnalyzedFile> {
  const engine = new TcpEngine(opts);
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const reading = readCaptureFile(file, {
    onRecord(rec) {
      decodeRecord(pkt, rec);
      const seg = segmentFromPacket(pkt, rec, scratch);
      if (seg) engine.add(seg);
      visit?.(rec, pkt, seg);
    },
  });
  const read = await reading.done;
  engine.finish();
  return { engine, read };
}

/** A pass that only visits (no engine): for a second pass over a file already analysed. */
export async function visitCaptureFile(file: string, visit: PacketVisitor, onPause?: (reading: { pause(): void; resume(): void }) => void): Promise<ReadSummary> {
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const reading = readCaptureFile(file, {
    onRecord(rec) {
      decodeRecord(pkt, rec);
      visit(rec, pkt, segmentFromPacket(pkt, rec, scratch));
    },
  });
  onPause?.(reading);
  return reading.done;
}

/** The network-level description of a packet for JSON output. */
export function packetHeader(rec: CaptureRecord, pkt: DecodedPacket): { src: string; dst: string; sport: number | null; dport: number | null; proto: number | string } {
  const net = pkt.net;
  if (net.kind === NET_IPV4 || net.kind === NET_IPV6) {
    const hasPorts = pkt.l4.proto === 6 || pkt.l4.proto === 17;
    return { src: net.src, dst: net.dst, sport: hasPorts ? pkt.l4.sport : null, dport: hasPorts ? pkt.l4.dport : null, proto: net.proto >= 0 ? net.proto : net.kind === NET_IPV4 ? 'ip' : 'ip6' };
  }
  if (net.kind === NET_ARP) return { src: net.src, dst: net.dst, sport: null, dport: null, proto: 'arp' };
  return { src: '', dst: '', sport: null, dport: null, proto: pkt.link.unsupported ? 'link-' + rec.linkType : 'other' };
}
