/**
 * FilterColumns over records held in memory: the whole interface (index columns, engine results,
 * time, lengths, frames), built in one pass as the capture index builds its own. For tests and
 * for tools that filter a capture they have read whole (a future `capture-lens print -Y`); the
 * capture editor's index (src/worker) implements the same interface over its own columns.
 * Pure TypeScript.
 */
import { u32be, ipv6String } from '../bytes';
import type { CaptureRecord } from '../capture/types';
import { decodeFrame } from '../decode/index';
import {
  DecodedPacket,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  NET_ARP,
  NET_IPV4,
  NET_IPV6,
} from '../decode/packet';
import { TcpEngine } from '../tcp/engine';
import { DnsMatcher, type DnsPair } from '../decode/app/dnsMatch';
import { segmentFromPacket, scratchSegment } from '../tcp/fromPacket';
import { emptyResult, type PacketResult } from '../tcp/types';
import {
  KIND_BAD,
  KIND_FLAGS,
  KIND_PROTO_SHIFT,
  PC_ARP,
  PC_ICMP,
  PC_ICMP6,
  PC_IP4,
  PC_IP6,
  PC_OTHER,
  PC_TCP4,
  PC_TCP6,
  PC_UDP4,
  PC_UDP6,
  type FilterColumns,
  type FrameRef,
} from './eval';
import { parseIPv6Text, type Address } from './parse';

/** The protocol class (PC_*) of a decoded packet, as the index keeps it in bits 12..15 of its kind word. */
export function protoClass(pkt: DecodedPacket): number {
  const net = pkt.net;
  if (net.kind === NET_IPV4 || net.kind === NET_IPV6) {
    const v4 = net.kind === NET_IPV4;
    switch (pkt.l4.proto) {
      case IPPROTO_TCP:
        return v4 ? PC_TCP4 : PC_TCP6;
      case IPPROTO_UDP:
        return v4 ? PC_UDP4 : PC_UDP6;
      case IPPROTO_ICMP:
        return PC_ICMP;
      case IPPROTO_ICMPV6:
        return PC_ICMP6;
      default:
        return v4 ? PC_IP4 : PC_IP6;
    }
  }
  return net.kind === NET_ARP ? PC_ARP : PC_OTHER;
}

export class RecordColumns implements FilterColumns {
  readonly count: number;
  readonly kind: Uint16Array;
  readonly sport: Uint16Array;
  readonly dport: Uint16Array;
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  private readonly v4Ids = new Map<number, number>();
  private readonly v6Ids = new Map<string, number>();
  private readonly byId: Address[] = [];
  private readonly engine = new TcpEngine();
  private readonly dns = new DnsMatcher();
  private readonly streamProblem = new Set<number>();

  constructor(private readonly records: readonly CaptureRecord[]) {
    const n = records.length;
    this.count = n;
    this.kind = new Uint16Array(n);
    this.sport = new Uint16Array(n);
    this.dport = new Uint16Array(n);
    this.src = new Uint32Array(n);
    this.dst = new Uint32Array(n);
    const pkt = new DecodedPacket();
    const scratch = scratchSegment();
    for (let i = 0; i < n; i++) {
      const rec = records[i];
      decodeFrame(pkt, rec.data, rec.origLen, rec.linkType);
      const pc = protoClass(pkt);
      const net = pkt.net;
      if (net.addrLen === 4 && net.srcOff + 4 <= pkt.caplen && net.dstOff + 4 <= pkt.caplen) {
        this.src[i] = this.intern4(u32be(pkt.data, net.srcOff));
        this.dst[i] = this.intern4(u32be(pkt.data, net.dstOff));
      } else if (net.addrLen === 16) {
        if (net.src) this.src[i] = this.intern6(net.src);
        if (net.dst) this.dst[i] = this.intern6(net.dst);
      }
      if (pc >= PC_TCP4 && pc <= PC_UDP6) {
        this.sport[i] = pkt.l4.sport;
        this.dport[i] = pkt.l4.dport;
      }
      let flags = pkt.l4.proto === IPPROTO_TCP ? pkt.l4.flags & KIND_FLAGS : 0;
      const seg = segmentFromPacket(pkt, { ...rec, index: i }, scratch);
      if (seg) {
        flags = seg.flags & KIND_FLAGS;
        this.engine.add(seg);
      }
      this.kind[i] = flags | (pkt.truncated || pkt.malformed ? KIND_BAD : 0) | (pc << KIND_PROTO_SHIFT);
      this.dns.add(i, pkt, rec.tsSec, rec.tsNsec);
    }
    this.engine.finish();
    for (const s of this.engine.summaries()) if (s.problems.length > 0) this.streamProblem.add(s.stream);
  }

  private intern4(v: number): number {
    let id = this.v4Ids.get(v);
    if (id === undefined) {
      id = this.byId.length + 1;
      this.v4Ids.set(v, id);
      this.byId.push({ family: 4, v4: v, text: '' });
    }
    return id;
  }

  private intern6(text: string): number {
    let id = this.v6Ids.get(text);
    if (id === undefined) {
      id = this.byId.length + 1;
      this.v6Ids.set(text, id);
      this.byId.push({ family: 6, v6: parseIPv6Text(text) ?? new Uint8Array(16), text });
    }
    return id;
  }

  addressId(a: Address): number {
    return (a.family === 4 ? this.v4Ids.get(a.v4) : this.v6Ids.get(ipv6String(a.v6, 0))) ?? -1;
  }

  addressOf(id: number): Address | undefined {
    return this.byId[id - 1];
  }

  private readonly res = emptyResult();

  stream(i: number): number {
    return this.engine.resultInto(i, this.res) ? this.res.stream : -1;
  }

  problem(i: number): boolean {
    if (!this.engine.resultInto(i, this.res)) return false;
    return this.res.analysis !== 0 || this.streamProblem.has(this.res.stream);
  }

  tcpResult(i: number, out: PacketResult): boolean {
    return this.engine.resultInto(i, out);
  }

  origLen(i: number): number {
    return this.records[i].origLen;
  }

  caplen(i: number): number {
    return this.records[i].data.length;
  }

  relTime(i: number): number {
    const a = this.records[0];
    const b = this.records[i];
    return b.tsSec - a.tsSec + (b.tsNsec - a.tsNsec) / 1e9;
  }

  dnsPair(i: number): DnsPair | undefined {
    return this.dns.pair(i);
  }

  frameInto(i: number, out: FrameRef): boolean {
    const r = this.records[i];
    if (!r) return false;
    out.data = r.data;
    out.origLen = r.origLen;
    out.linkType = r.linkType;
    return true;
  }
}
