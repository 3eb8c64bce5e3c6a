/**
 * DNS query → response pairing across a capture, as Wireshark 4.0 does it (packet-dns.c,
 * dissect_dns_common): per conversation (both endpoints and ports, UDP or TCP) and transaction ID,
 *   - a query opens a transaction (its frame and time) unless the last one with that ID is still
 *     unanswered and younger than 5 s: then it is a retransmitted query of that transaction;
 *   - a response answers the last transaction with its ID (the first response is its `response_in`;
 *     later ones are retransmitted responses);
 *   - the first query shows `dns.response_in`, the first response `dns.response_to` and `dns.time` (its
 *     time − the first query's time); retransmitted copies show none of them (checked with tshark -2).
 * Fed in capture order (`add` per packet after decodeFrame, without a sink: it reads only the 12-byte
 * headers), then read by packet. Over TCP each message after its 2-byte length is one message; a
 * message split across segments is taken in the segment where it starts (tshark: where it ends).
 *
 * Cost: one port test per TCP/UDP packet, one Map entry per DNS message; memory grows with DNS messages
 * only (about 100 bytes each), as Wireshark's table does.
 */
import { u16be } from '../../bytes';
import type { FieldNode } from '../fields';
import { DecodedPacket, IPPROTO_TCP, IPPROTO_UDP } from '../packet';
import { DNS, DNS_HDR_LEN } from './dns';
import { appProtocolOf } from './index';

/** Wireshark's retransmission_timer: a query repeated within 5 s of an unanswered one is a retransmission. */
export const DNS_RETRANSMISSION_SECONDS = 5;
/** DNS messages read per TCP segment (a 64 KiB segment holds at most ~4,700 empty 14-byte messages). */
const MAX_TCP_MESSAGES = 4096;

interface Txn {
  /** The first query's packet (0-based). */
  req: number;
  /** The first response's packet + 1 (Wireshark's rep_frame, 1-based): 0 until one is seen. */
  rep: number;
  sec: number;
  nsec: number;
}

/** What pairing says about one packet (packet numbers 0-based). */
export interface DnsPair {
  /** Queries: the packet of the first response, when one came. */
  responseIn?: number;
  /** Responses: the packet of the query they answer, and the time since it in nanoseconds. */
  responseTo?: number;
  timeNs?: number;
  /**
   * A query sent again before any answer (within 5 s), or a second response to one query: the packet of
   * the first copy. Wireshark 4.0 shows no response_in / response_to / time for these, and neither do we.
   */
  retransmissionOf?: number;
}

export class DnsMatcher {
  /** "conversation|id" → the last transaction with that ID. */
  private readonly last = new Map<string, Txn>();
  /** packet → [transaction, isResponse] for the packet's first DNS message. */
  private readonly byPacket = new Map<number, { t: Txn; resp: boolean; retx: boolean; sec: number; nsec: number }>();

  get size(): number {
    return this.byPacket.size;
  }

  /** Packet i (decoded, sink or not), captured at tsSec.tsNsec. */
  add(i: number, pkt: DecodedPacket, tsSec: number, tsNsec: number): void {
    const l4 = pkt.l4;
    if ((l4.proto !== IPPROTO_UDP && l4.proto !== IPPROTO_TCP) || pkt.net.isFragment || l4.payloadLen <= 0) return;
    if (appProtocolOf(l4.proto, l4.sport, l4.dport) !== DNS) return;
    const d = pkt.data;
    const end = Math.min(pkt.caplen, l4.payloadOff + l4.payloadLen);
    const a = (pkt.net.src ?? '') + ':' + l4.sport;
    const b = (pkt.net.dst ?? '') + ':' + l4.dport;
    const conv = l4.proto + '|' + (a < b ? a + '|' + b : b + '|' + a);
    if (l4.proto === IPPROTO_UDP) {
      if (end - l4.payloadOff >= DNS_HDR_LEN) this.message(i, conv, u16be(d, l4.payloadOff), (d[l4.payloadOff + 2] & 0x80) !== 0, tsSec, tsNsec);
      return;
    }
    let p = l4.payloadOff;
    for (let n = 0; n < MAX_TCP_MESSAGES && p + 2 + DNS_HDR_LEN <= end; n++) {
      const len = u16be(d, p);
      if (len < DNS_HDR_LEN) break;
      this.message(i, conv, u16be(d, p + 2), (d[p + 4] & 0x80) !== 0, tsSec, tsNsec);
      p += 2 + len;
    }
  }

  private message(i: number, conv: string, id: number, resp: boolean, sec: number, nsec: number): void {
    const key = conv + '|' + id;
    let t = this.last.get(key);
    let retx = false;
    if (!resp) {
      const fresh = t === undefined || t.rep > 0 || sec - t.sec + (nsec - t.nsec) / 1e9 >= DNS_RETRANSMISSION_SECONDS;
      if (fresh) {
        t = { req: i, rep: 0, sec, nsec };
        this.last.set(key, t);
      } else retx = true;
    } else if (t && t.rep === 0) t.rep = i + 1;
    else if (t) retx = true;
    if (t && !this.byPacket.has(i)) this.byPacket.set(i, { t, resp, retx, sec, nsec });
  }

  /** The pairing of packet i; undefined when it is not a paired DNS message. */
  pair(i: number): DnsPair | undefined {
    const e = this.byPacket.get(i);
    if (!e) return undefined;
    if (e.retx) return { retransmissionOf: e.resp ? e.t.rep - 1 : e.t.req };
    if (!e.resp) return e.t.rep > 0 ? { responseIn: e.t.rep - 1 } : undefined;
    return { responseTo: e.t.req, timeNs: (e.sec - e.t.sec) * 1e9 + (e.nsec - e.t.nsec) };
  }
}

/** "0.012345000": seconds with nine decimals, as tshark prints dns.time. */
export function dnsTimeText(ns: number): string {
  const neg = ns < 0;
  const v = Math.abs(Math.round(ns));
  const s = Math.floor(v / 1e9);
  return (neg ? '-' : '') + s + '.' + String(v - s * 1e9).padStart(9, '0');
}

/**
 * Adds the pairing of packet i to a details tree (under its DNS node, as Wireshark's generated fields,
 * 1-based frame numbers): "[Response In: 12]", or "[Request In: 11]" and "[Time: 0.012345000 seconds]".
 */
export function addDnsPairFields(root: FieldNode, pair: DnsPair | undefined): void {
  if (!pair) return;
  const dns = findNode(root, 'dns');
  if (!dns) return;
  const kids = (dns.children ??= []);
  const at = (label: string, name: string, value: number, display: string): void => {
    kids.push({ name, label, offset: dns.offset, length: 0, value, display });
  };
  if (pair.responseIn !== undefined) at('[Response In: ' + (pair.responseIn + 1) + ']', 'dns.response_in', pair.responseIn + 1, String(pair.responseIn + 1));
  if (pair.responseTo !== undefined) at('[Request In: ' + (pair.responseTo + 1) + ']', 'dns.response_to', pair.responseTo + 1, String(pair.responseTo + 1));
  if (pair.timeNs !== undefined) at('[Time: ' + dnsTimeText(pair.timeNs) + ' seconds]', 'dns.time', pair.timeNs / 1e9, dnsTimeText(pair.timeNs));
}

function findNode(n: FieldNode, name: string): FieldNode | undefined {
  if (n.name === name) return n;
  for (const c of n.children ?? []) {
    const f = findNode(c, name);
    if (f) return f;
  }
  return undefined;
}
