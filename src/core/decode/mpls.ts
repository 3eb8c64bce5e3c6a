import { u32be } from '../bytes';
import { FieldSink } from './fields';
import { DecodedPacket, NET_OTHER } from './packet';
import { ETHERTYPE_IP, ETHERTYPE_IPV6 } from './numbers';

/**
 * MPLS label stack (RFC 3032, EtherTypes 0x8847/0x8848): 4-byte entries up to the one with the
 * bottom-of-stack bit, then a payload that names itself nowhere. As tcpdump's mpls_print: labels
 * 0 and 3 mean IPv4, 2 IPv6, otherwise the first payload byte decides (0x45-0x4f IPv4, 0x60-0x6f
 * IPv6). IP is handed on through the EtherType table (link.next).
 */

export const MPLS_LABEL_LEN = 4;

/** What the payload after the label stack is, as mpls_print guesses it: ETHERTYPE_IP, ETHERTYPE_IPV6 or -1. */
export function mplsPayloadType(lastLabel: number, first: number): number {
  if (lastLabel === 0 || lastLabel === 3) return ETHERTYPE_IP;
  if (lastLabel === 2) return ETHERTYPE_IPV6;
  if (first >= 0x45 && first <= 0x4f) return ETHERTYPE_IP;
  if (first >= 0x60 && first <= 0x6f) return ETHERTYPE_IPV6;
  return -1;
}

export function decodeMpls(pkt: DecodedPacket, off: number, length: number, sink: FieldSink | null): void {
  const d = pkt.data;
  const net = pkt.net;
  net.kind = NET_OTHER;
  net.off = off;
  net.wireLen = length;
  let p = off;
  let entry = 0;
  if (sink) sink.open('mpls', 'MultiProtocol Label Switching Header', off, 0);
  // every entry consumes 4 bytes of the frame: the loop ends with the captured bytes at the latest
  do {
    if (length < MPLS_LABEL_LEN) {
      pkt.markMalformed('MPLS label stack longer than the packet');
      if (sink) {
        sink.note('error', pkt.problem, p, Math.max(0, Math.min(pkt.caplen, off + length) - p));
        sink.close(p - off);
      }
      return;
    }
    if (p + MPLS_LABEL_LEN > pkt.caplen) {
      pkt.link.trunc = 'mpls';
      pkt.markTruncated('MPLS label stack cut short');
      if (sink) {
        sink.note('error', pkt.problem, p, Math.max(0, pkt.caplen - p));
        sink.close(p - off);
      }
      return;
    }
    entry = u32be(d, p);
    if (sink) {
      const label = entry >>> 12;
      sink.field('mpls.label', 'MPLS Label', p, 4, label, label + ', tc ' + ((entry >>> 9) & 7) + ((entry & 0x100) !== 0 ? ', bottom of stack' : '') + ', ttl ' + (entry & 255));
    }
    p += MPLS_LABEL_LEN;
    length -= MPLS_LABEL_LEN;
  } while ((entry & 0x100) === 0);
  if (sink) sink.close(p - off);
  net.off = p;
  net.wireLen = length;
  const label = entry >>> 12;
  const explicit = label === 0 || label === 2 || label === 3;
  // labels 0, 2, 3 say what follows; otherwise its first byte has to be there to guess
  if (!explicit && (length < 1 || p >= pkt.caplen)) {
    if (length >= 1) {
      pkt.link.trunc = 'mpls';
      pkt.markTruncated('MPLS payload not captured');
      if (sink) sink.note('error', pkt.problem, p, 0);
    }
    return;
  }
  const t = mplsPayloadType(label, explicit ? 0 : d[p]);
  if (t >= 0) pkt.link.next = t;
}
