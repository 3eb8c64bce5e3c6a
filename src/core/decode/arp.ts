import { ipv4String, macString, u16be } from '../bytes';
import { FieldSink } from './fields';
import { DecodedPacket, NET_ARP } from './packet';
import { IPERR_TRUNC } from './ip';

/** Fixed part of an ARP header: hardware type, protocol type, their lengths, opcode. */
export const ARP_FIXED_LEN = 8;

/**
 * ARP / RARP (RFC 826). Fills pkt.net with kind NET_ARP; for IPv4-over-anything ARP the
 * sender/target protocol addresses become net.src/net.dst. Never reads past the captured bytes.
 */
export function decodeArp(pkt: DecodedPacket, off: number, length: number, sink: FieldSink | null): void {
  const d = pkt.data;
  const net = pkt.net;
  net.kind = NET_ARP;
  net.off = off;
  net.wireLen = length;
  const avail = pkt.caplen - off;
  if (avail < ARP_FIXED_LEN) {
    net.err = IPERR_TRUNC;
    pkt.markTruncated('ARP header cut short: ' + (avail < 0 ? 0 : avail) + ' of ' + ARP_FIXED_LEN + ' bytes captured');
    if (sink) sink.note('error', pkt.problem, off, avail < 0 ? 0 : avail);
    return;
  }
  const hrd = u16be(d, off);
  const pro = u16be(d, off + 2);
  const hln = d[off + 4];
  const pln = d[off + 5];
  const op = u16be(d, off + 6);
  const hdrLen = ARP_FIXED_LEN + 2 * hln + 2 * pln;
  net.hdrLen = hdrLen;
  net.totalLen = hdrLen;
  const sha = off + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  const complete = avail >= hdrLen;
  if (complete && pln === 4 && pro === 0x0800) net.setAddresses(d, spa, tpa, 4);
  if (sink) {
    sink.open('arp', 'Address Resolution Protocol (' + arpOpName(op) + ')', off, complete ? hdrLen : avail);
    sink.field('arp.hw.type', 'Hardware type', off, 2, hrd, String(hrd));
    sink.field('arp.proto.type', 'Protocol type', off + 2, 2, pro, '0x' + pro.toString(16).padStart(4, '0'));
    sink.field('arp.hw.size', 'Hardware size', off + 4, 1, hln, String(hln));
    sink.field('arp.proto.size', 'Protocol size', off + 5, 1, pln, String(pln));
    sink.field('arp.opcode', 'Opcode', off + 6, 2, op, arpOpName(op) + ' (' + op + ')');
    if (complete) {
      if (hln === 6) {
        sink.field('arp.src.hw_mac', 'Sender MAC address', sha, 6, macString(d, sha), macString(d, sha));
        sink.field('arp.dst.hw_mac', 'Target MAC address', tha, 6, macString(d, tha), macString(d, tha));
      }
      if (pln === 4) {
        sink.field('arp.src.proto_ipv4', 'Sender IP address', spa, 4, ipv4String(d, spa), ipv4String(d, spa));
        sink.field('arp.dst.proto_ipv4', 'Target IP address', tpa, 4, ipv4String(d, tpa), ipv4String(d, tpa));
      }
    } else {
      sink.note('error', 'ARP addresses cut short: ' + avail + ' of ' + hdrLen + ' bytes captured', off, avail);
    }
    sink.close();
  }
  if (!complete) {
    net.err = IPERR_TRUNC;
    pkt.markTruncated('ARP addresses cut short: ' + avail + ' of ' + hdrLen + ' bytes captured');
  }
}

/** tcpdump's arpop_values. */
export function arpOpName(op: number): string {
  switch (op) {
    case 1: return 'Request';
    case 2: return 'Reply';
    case 3: return 'Reverse Request';
    case 4: return 'Reverse Reply';
    case 8: return 'Inverse Request';
    case 9: return 'Inverse Reply';
    case 10: return 'NACK Reply';
    default: return 'Unknown (' + op + ')';
  }
}
