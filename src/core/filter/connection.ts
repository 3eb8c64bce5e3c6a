/**
 * "Filter on this connection" and "Copy as filter" of a packet row (issue 17's context menu): the
 * display filter of the packet's conversation, in Wireshark's syntax so that it works in our filter
 * box, in tshark -Y and in Wireshark alike (our stream numbers are Wireshark's):
 *
 *   TCP                        tcp.stream eq N
 *   UDP (ports known)          ip.addr == A && ip.addr == B && udp.port == P && udp.port == Q
 *   other IP                   ip.addr == A && ip.addr == B          (ipv6.addr for IPv6)
 *   anything else              frame.number == N                     (the packet itself)
 */

/** What a row says of its packet (src/worker/api.ts PacketRow has these fields). */
export interface RowEndpoints {
  /** 0-based packet index. */
  index: number;
  proto: string;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  stream?: number;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

/** The filter field of an address as rows show it; a MAC address (5 colons) is none: IPv6 text has '::' or 7 colons. */
function addrField(a: string): string | null {
  if (IPV4.test(a)) return 'ip.addr';
  if (IPV6.test(a) && (a.includes('::') || a.split(':').length === 8)) return 'ipv6.addr';
  return null;
}

export function connectionFilter(r: RowEndpoints): string {
  if (r.stream !== undefined && r.stream >= 0) return `tcp.stream eq ${r.stream}`;
  const fa = addrField(r.src);
  const fb = addrField(r.dst);
  if (fa === null || fa !== fb) return `frame.number == ${r.index + 1}`;
  const hosts = `${fa} == ${r.src} && ${fa} == ${r.dst}`;
  if (r.proto.startsWith('UDP') && r.sport !== undefined && r.dport !== undefined)
    return `${hosts} && udp.port == ${r.sport} && udp.port == ${r.dport}`;
  return hosts;
}
