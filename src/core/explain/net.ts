/**
 * Explanations of the rest of a tcpdump line: the -v IPv4 / IPv6 header fields, checksums,
 * addresses and ports (with well-known services), the ">" direction, the time column, the -e link
 * header, "[|tcp]" and the other notes tcpdump prints. Pure TypeScript.
 */

import { A_RETRANSMISSION } from '../tcp/types';
import { Explanation, PacketContext, clip, formatDuration, known } from './explanation';
import { Translate } from './l10n';

function ex(title: string, text: string[], here: string[] = []): Explanation {
  return { title, text, here };
}

function num(re: RegExp, s: string, hex = false): number {
  const m = re.exec(s);
  if (m === null) return -1;
  const v = hex ? parseInt(m[1], 16) : Number(m[1]);
  return Number.isFinite(v) ? v : -1;
}

// ---------------------------------------------------------------------------------------------
// IP header fields (tcpdump -v)

export type IpFieldName =
  | 'header'
  | 'tos'
  | 'ttl'
  | 'id'
  | 'offset'
  | 'flags'
  | 'proto'
  | 'length'
  | 'cksum'
  | 'class'
  | 'flowlabel'
  | 'hlim'
  | 'nextHeader'
  | 'payloadLength';

export const IP_FIELD_NAMES: readonly IpFieldName[] = ['header', 'tos', 'ttl', 'id', 'offset', 'flags', 'proto', 'length', 'cksum', 'class', 'flowlabel', 'hlim', 'nextHeader', 'payloadLength'];

/**
 * One -v IP header field, from its text as tcpdump prints it ("ttl 64", "tos 0x2,ECT(0)",
 * "flags [DF]", "bad cksum 1234 (->5678)!", "flowlabel 0x1a2b3", "next-header TCP (6)", …).
 */
export function explainIpField(name: IpFieldName | string, text: string, t: Translate): Explanation {
  const s = text.trim();
  switch (name) {
    case 'header':
      return ex(t('IP header'), [t('The IP header fields tcpdump prints with -v: type of service, TTL, identification, fragment offset, flags, protocol and total length (IPv6: traffic class, flow label, hop limit, next header, payload length).')]);
    case 'tos': {
      const v = num(/0x([0-9a-fA-F]+)/, s, true);
      const here: string[] = [];
      if (v >= 0) here.push(t('DSCP {0} (the traffic class for QoS; 0 is best effort).', v >> 2));
      const ecn = v >= 0 ? v & 3 : -1;
      if (/CE/.test(s) || ecn === 3) here.push(t('ECN: CE, congestion experienced. A router on the way was congested and marked the packet instead of dropping it.'));
      else if (/ECT/.test(s) || ecn === 1 || ecn === 2) here.push(t('ECN: ECT, the sender supports Explicit Congestion Notification; routers may mark the packet instead of dropping it.'));
      else if (ecn === 0) here.push(t('ECN: not used by this packet.'));
      return ex(t('Type of service: {0}', clip(s.replace(/^tos /, ''), 24)), [t('The upper six bits are the DSCP (priority class for QoS), the lower two bits are ECN (congestion notification).')], here);
    }
    case 'ttl':
    case 'hlim': {
      const v = num(/(\d+)/, s);
      const text1 = name === 'ttl'
        ? t('Time to live: how many more routers may forward the packet. Each router subtracts 1 and drops the packet at 0.')
        : t('Hop limit: the IPv6 name of the TTL. Each router subtracts 1 and drops the packet at 0.');
      return ex(name === 'ttl' ? t('TTL {0}', v >= 0 ? v : '?') : t('Hop limit {0}', v >= 0 ? v : '?'), [text1], v >= 0 ? ttlGuess(v, t) : []);
    }
    case 'id':
      return ex(t('IP identification'), [t('A number the sender gives the packet so the pieces can be put together again if it is fragmented. With DF set it has no use; many systems then send 0 or a simple counter.')]);
    case 'offset': {
      const v = num(/(\d+)/, s);
      const here = v > 0 ? [t('Offset {0}: this is a later fragment of a larger packet.', v)] : v === 0 ? [t('0: a whole packet, or the first fragment.')] : [];
      return ex(t('Fragment offset'), [t('Where this fragment\'s data belongs in the original packet, in bytes.')], here);
    }
    case 'flags': {
      const here: string[] = [];
      if (/DF/.test(s)) here.push(t('DF (don\'t fragment): a router that cannot forward the packet whole must drop it and report back; path MTU discovery relies on this.'));
      if (/\+/.test(s)) here.push(t('+ (MF, more fragments): more fragments of this packet follow.'));
      if (/none/.test(s)) here.push(t('none: no flag is set; routers may fragment this packet.'));
      return ex(t('IP flags: {0}', clip(s.replace(/^flags /, ''), 16)), [t('Fragmentation control bits of the IPv4 header.')], here);
    }
    case 'proto':
    case 'nextHeader': {
      const v = num(/\((\d+)\)/, s);
      const text1 = name === 'proto'
        ? t('The protocol carried inside the IP packet: TCP is 6, UDP 17, ICMP 1.')
        : t('What follows the IPv6 header: TCP (6), UDP (17), ICMPv6 (58), or an extension header such as hop-by-hop options (0) or fragment (44).');
      const title = name === 'proto' ? t('Protocol: {0}', clip(s.replace(/^proto /, ''), 24)) : t('Next header: {0}', clip(s.replace(/^next-header /, ''), 24));
      return ex(title, [text1], v === 6 ? [t('6: this packet carries TCP.')] : []);
    }
    case 'length': {
      const v = num(/(\d+)/, s);
      const here: string[] = [];
      if (/presumed TSO/.test(s)) here.push(t('The length field was 0: usual for a capture on the sending host with TCP segmentation offload; tcpdump used the captured size.'));
      return ex(v >= 0 ? t('IP length: {0} bytes', v) : t('IP length'), [t('Total length of the IP packet, IP header included (the TCP payload is this minus the IP and TCP headers).')], here);
    }
    case 'payloadLength': {
      const v = num(/(\d+)/, s);
      return ex(v >= 0 ? t('Payload length: {0} bytes', v) : t('Payload length'), [t('Bytes after the 40-byte IPv6 header: extension headers, the TCP header and the data.')]);
    }
    case 'cksum':
      return explainChecksum(s, t, true);
    case 'class': {
      const v = num(/0x([0-9a-fA-F]+)/, s, true);
      const here = v >= 0 ? [t('DSCP {0}, ECN {1}.', v >> 2, v & 3)] : [];
      return ex(t('Traffic class'), [t('IPv6 traffic class: the same as IPv4\'s type of service, a DSCP priority and two ECN bits.')], here);
    }
    case 'flowlabel':
      return ex(t('Flow label'), [t('A 20-bit value the sender puts on all packets of one flow, so routers and load balancers can keep them on the same path. 0 means not set.')]);
    default:
      return ex(t('IP header field'), [t('A field of the IP header as printed by tcpdump -v.')]);
  }
}

/** What a TTL / hop limit tells about the sender. */
function ttlGuess(v: number, t: Translate): string[] {
  if (v > 255) return [];
  const init = v <= 64 ? 64 : v <= 128 ? 128 : 255;
  const hops = init - v;
  const out: string[] = [];
  out.push(hops === 0
    ? t('{0} is a usual starting value: the packet was captured before any router, on the sender or its local network.', v)
    : t('{0} suggests a starting value of {1}, so the sender is about {2} hops away.', v, init, hops));
  if (init === 64) out.push(t('A start of 64 is typical of Linux, macOS and other Unix-like systems.'));
  else if (init === 128) out.push(t('A start of 128 is typical of Windows.'));
  else out.push(t('A start of 255 is typical of routers and other network devices.'));
  return out;
}

/** An IP header checksum ("bad cksum 1234 (->5678)!") or TCP checksum ("cksum 0x1234 (correct)" / "(incorrect -> 0x5678)"). */
export function explainChecksum(text: string, t: Translate, ip = false): Explanation {
  const s = text.trim();
  const bad = /bad|incorrect/.test(s);
  const good = /correct/.test(s) && !bad;
  const should = /->\s*(?:0x)?([0-9a-fA-F]+)/.exec(s);
  const title = ip ? t('IP header checksum') : t('TCP checksum');
  const text1 = ip
    ? t('A checksum over the IPv4 header, recomputed by every router.')
    : t('A checksum over the TCP header, the data and the IP addresses, checked by the receiver.');
  const here: string[] = [];
  if (good) here.push(t('Correct: the bytes arrived as sent.'));
  if (bad) {
    here.push(should !== null ? t('Wrong: it should be 0x{0}.', should[1]) : t('Wrong.'));
    here.push(t('On the sending host this is normal: with checksum offload the network card fills in the checksum after tcpdump saw the packet. Elsewhere it means the packet was damaged and the receiver drops it.'));
  }
  return ex(title, [text1], here);
}

// ---------------------------------------------------------------------------------------------
// Addresses, ports, direction

/** Well-known TCP service names (IANA assignments and common practice). */
export const WELL_KNOWN_PORTS: Readonly<Record<number, string>> = {
  20: 'FTP-DATA', 21: 'FTP', 22: 'SSH', 23: 'Telnet', 25: 'SMTP', 53: 'DNS', 80: 'HTTP', 88: 'Kerberos',
  110: 'POP3', 111: 'rpcbind', 119: 'NNTP', 135: 'MS RPC', 139: 'NetBIOS', 143: 'IMAP', 179: 'BGP',
  389: 'LDAP', 443: 'HTTPS', 445: 'SMB', 465: 'SMTPS', 514: 'syslog', 587: 'SMTP (STARTTLS)', 636: 'LDAPS',
  853: 'DNS over TLS', 873: 'rsync', 993: 'IMAPS', 995: 'POP3S', 1080: 'SOCKS', 1194: 'OpenVPN',
  1433: 'Microsoft SQL Server', 1521: 'Oracle Database', 1883: 'MQTT', 2049: 'NFS', 2181: 'ZooKeeper',
  2379: 'etcd', 3128: 'Squid', 3306: 'MySQL', 3389: 'RDP', 5060: 'SIP', 5222: 'XMPP', 5432: 'PostgreSQL',
  5672: 'AMQP (RabbitMQ)', 5900: 'VNC', 6379: 'Redis', 6443: 'Kubernetes API', 8080: 'HTTP',
  8443: 'HTTPS', 8883: 'MQTT over TLS', 9090: 'Prometheus',
  9092: 'Kafka', 9200: 'Elasticsearch', 9300: 'Elasticsearch', 11211: 'Memcached', 15672: 'RabbitMQ',
  27017: 'MongoDB',
};

/** Service names tcpdump prints without -n (its /etc/services names) → port. */
const SERVICE_PORTS: Readonly<Record<string, number>> = {
  'ftp-data': 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, www: 80, 'www-http': 80, kerberos: 88,
  pop3: 110, sunrpc: 111, nntp: 119, 'epmap': 135, 'netbios-ssn': 139, imap: 143, imap2: 143, bgp: 179, ldap: 389,
  https: 443, 'microsoft-ds': 445, submissions: 465, smtps: 465, urd: 465, submission: 587, ldaps: 636, 'domain-s': 853, rsync: 873,
  imaps: 993, pop3s: 995, socks: 1080, openvpn: 1194, 'ms-sql-s': 1433, ncube_lm: 1521, 'ncube-lm': 1521, nfs: 2049, mysql: 3306,
  'ms-wbt-server': 3389, sip: 5060, postgresql: 5432, amqp: 5672, redis: 6379, 'http-alt': 8080, webcache: 8080, 'pcsync-https': 8443,
  'wap-wsp': 9200, mongodb: 27017,
};

/** A port as printed ("443", "https", "http-alt") → number, -1 when unknown. */
export function portNumber(text: string): number {
  const s = text.trim();
  if (/^\d{1,5}$/.test(s)) {
    const n = Number(s);
    return n <= 65535 ? n : -1;
  }
  const p = SERVICE_PORTS[s.toLowerCase()];
  return p === undefined ? -1 : p;
}

/**
 * A port. `role`: whose port it is (the client's or the server's side of the connection), when
 * known. `text`: the port as printed, when it is a service name (tcpdump without -nn).
 */
export function explainPort(port: number, t: Translate, role?: 'client' | 'server', text?: string): Explanation {
  const printed = text !== undefined ? text.trim() : '';
  const p = known(port) ? port : printed !== '' ? portNumber(printed) : -1;
  const service = p >= 0 ? WELL_KNOWN_PORTS[p] : undefined;
  const title = p >= 0 ? (service !== undefined ? t('Port {0} ({1})', p, service) : t('Port {0}', p)) : t('Port {0}', clip(printed === '' ? '?' : printed, 24));
  const text1: string[] = [];
  if (service !== undefined) text1.push(t('Port {0} is commonly used by {1}.', p, service));
  else if (p >= 49152) text1.push(t('A port in the dynamic range (49152–65535): usually a temporary port the operating system picked for a client.'));
  else if (p >= 32768) text1.push(t('A port in Linux\'s default ephemeral range (32768–60999): usually a temporary client port.'));
  else if (p >= 1024) text1.push(t('A registered port (1024–49151): a server application, or a client port on systems with a wider ephemeral range.'));
  else if (p >= 0) text1.push(t('A well-known port (below 1024), reserved for system services.'));
  else text1.push(t('A TCP port: it names the application end on each host.'));
  const here: string[] = [];
  if (role === 'client') here.push(t('This is the client\'s port: normally a temporary (ephemeral) port chosen for this connection.'));
  else if (role === 'server') here.push(t('This is the server\'s port: the service the client connected to.'));
  if (printed !== '' && !/^\d+$/.test(printed)) here.push(t('tcpdump printed a service name instead of the number; run it with -nn to see port numbers.'));
  return ex(title, text1, here);
}

/** Source or destination host as printed. `role`: whose address it is, when known. */
export function explainAddress(side: 'src' | 'dst', host: string, t: Translate, role?: 'client' | 'server'): Explanation {
  const h = host.trim();
  const title = side === 'src' ? t('Source: {0}', clip(h, 64)) : t('Destination: {0}', clip(h, 64));
  const text1 = side === 'src' ? t('The address the packet comes from.') : t('The address the packet goes to.');
  const here: string[] = [];
  if (role === 'client') here.push(t('This is the client, the side that opened the connection.'));
  else if (role === 'server') here.push(t('This is the server, the side that accepted the connection.'));
  const kind = addressKind(h, t);
  if (kind !== '') here.push(kind);
  return ex(title, [text1], here);
}

function addressKind(h: string, t: Translate): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (m !== null) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a === 127) return t('A loopback address: the packet never left the host.');
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return t('A private address (RFC 1918): inside a local network, or before NAT.');
    if (a === 100 && b >= 64 && b <= 127) return t('A shared address (100.64.0.0/10): carrier-grade NAT or a cloud internal network.');
    if (a === 169 && b === 254) return t('A link-local address: the host got no address from DHCP, or a cloud metadata service.');
    if (a >= 224 && a <= 239) return t('A multicast address: TCP never uses one; the line is probably damaged.');
    return '';
  }
  if (h.indexOf(':') >= 0) {
    const l = h.toLowerCase();
    if (l === '::1') return t('A loopback address: the packet never left the host.');
    if (l.startsWith('fe80:')) return t('A link-local IPv6 address: valid only on this network segment.');
    if (/^f[cd][0-9a-f]{2}:/.test(l)) return t('A unique local IPv6 address (fc00::/7): a private network.');
    if (l.startsWith('::ffff:')) return t('An IPv4-mapped IPv6 address: an IPv4 peer seen through an IPv6 socket.');
    return '';
  }
  if (/[a-zA-Z]/.test(h)) return t('A host name: tcpdump looked the address up in DNS. Run it with -n to see addresses (and to avoid slow lookups).');
  return '';
}

/** The ">" between the addresses. */
export function explainDirection(ctx: PacketContext, t: Translate): Explanation {
  const here: string[] = [];
  if (ctx.senderRole === 'client') here.push(t('From the client to the server.'));
  else if (ctx.senderRole === 'server') here.push(t('From the server to the client.'));
  return ex(t('Direction'), [t('The packet travels from the address and port on the left to the address and port on the right.')], here);
}

// ---------------------------------------------------------------------------------------------
// Time, link header, protocol words, notes

export type TimeKindName = 'none' | 'time' | 'epoch' | 'delta' | 'date';

/** The time column. `deltaFromFirst`: -ttttt (delta from the first packet) rather than -ttt. */
export function explainTime(kind: TimeKindName | string, ctx: PacketContext, t: Translate, deltaFromFirst = false): Explanation {
  let text1: string;
  switch (kind) {
    case 'time': text1 = t('Time of day when the packet was captured, by the clock of the capturing host (the default tcpdump format).'); break;
    case 'epoch': text1 = t('Capture time in seconds since 1970-01-01 UTC (tcpdump -tt).'); break;
    case 'date': text1 = t('Date and time of the capture (tcpdump -tttt).'); break;
    case 'delta': text1 = deltaFromFirst
      ? t('Time since the first packet of the capture (tcpdump -ttttt).')
      : t('Time since the previous packet of the capture (tcpdump -ttt).'); break;
    default: text1 = t('When the packet was captured.');
  }
  const here: string[] = [];
  if (ctx.gapSec !== undefined && Number.isFinite(ctx.gapSec) && ctx.gapSec >= 0) {
    here.push(t('{0} since the previous packet of this connection.', formatDuration(ctx.gapSec)));
    const retx = known(ctx.analysis) && (ctx.analysis & A_RETRANSMISSION) !== 0;
    if (retx && ctx.gapSec >= 0.2) here.push(t('The pause before this retransmission is the sender\'s retransmission timeout (RTO): at least 200 ms on Linux, doubling with each new try.'));
    else if (ctx.gapSec >= 1) here.push(t('A long pause in this connection: one side was idle or waiting (for the user, a slow application or server, or a timeout).'));
  }
  if (ctx.prevLineGapSec !== undefined && Number.isFinite(ctx.prevLineGapSec) && ctx.prevLineGapSec >= 0) {
    here.push(t('{0} since the previous packet in the log.', formatDuration(ctx.prevLineGapSec)));
  }
  return ex(t('Time'), [text1], here);
}

export type LinkFieldName = 'ifname' | 'direction' | 'link' | 'srcMac' | 'dstMac' | 'ethertype' | 'frameLength' | 'number';

/** Link-layer parts of the line (tcpdump -e, -i any) and the -# packet number. */
export function explainLinkField(name: LinkFieldName | string, text: string, t: Translate): Explanation {
  const s = text.trim();
  switch (name) {
    case 'ifname':
      return ex(t('Interface: {0}', clip(s, 32)), [t('The network interface the packet was captured on (shown when capturing on several interfaces, tcpdump -i any).')]);
    case 'direction': {
      let d: string;
      switch (s) {
        case 'In': d = t('In: received by this host.'); break;
        case 'Out': d = t('Out: sent by this host.'); break;
        case 'B': d = t('B: a broadcast received by this host.'); break;
        case 'M': d = t('M: a multicast received by this host.'); break;
        case 'P': d = t('P: addressed to another host, seen because the interface is in promiscuous mode.'); break;
        default: d = t('How the packet passed the interface.');
      }
      return ex(t('Packet direction'), [d]);
    }
    case 'link':
      return ex(t('Link-layer header'), [t('The Ethernet (or Linux cooked) header printed with tcpdump -e: MAC addresses, EtherType and the frame length.')]);
    case 'srcMac':
      return ex(t('Source MAC: {0}', clip(s, 32)), [t('The hardware address of the sender on this link: the host itself, or the last router before the capture point.')]);
    case 'dstMac':
      return ex(t('Destination MAC: {0}', clip(s, 32)), [t('The hardware address of the receiver on this link: the host itself, or the next router (the gateway).')]);
    case 'ethertype':
      return ex(t('EtherType: {0}', clip(s, 32)), [t('What the frame carries: 0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP, 0x8100 a VLAN tag.')]);
    case 'frameLength':
      return ex(t('Frame length'), [t('Size of the whole frame on the link, link header included.')]);
    case 'number':
      return ex(t('Packet number'), [t('The packet\'s position in the capture, counted from 1 (tcpdump -#).')]);
    default:
      return ex(t('Link layer'), [t('A link-layer detail of the packet.')]);
  }
}

/** The protocol word at the start of the line ("IP", "IP6", "ARP,") or before a non-TCP payload ("UDP", "ICMP"). */
export function explainProtocolWord(word: string, t: Translate, l4 = false): Explanation {
  const w = word.replace(/,$/, '').trim();
  if (w === '') return ex(t('Protocol'), [t('The protocol of the packet, as tcpdump names it.')]);
  if (!l4 && w === 'IP') return ex('IPv4', [t('The packet is IPv4; tcpdump prints "IP" for IPv4 and "IP6" for IPv6.')]);
  if (!l4 && w === 'IP6') return ex('IPv6', [t('The packet is IPv6; tcpdump prints "IP" for IPv4 and "IP6" for IPv6.')]);
  if (!l4 && w === 'ARP') return ex('ARP', [t('Address Resolution Protocol: finds the MAC address that belongs to an IPv4 address on the local network.')]);
  return ex(clip(w, 24), [t('This packet is not TCP ({0}); Capture Lens explains TCP in detail.', clip(w, 24))]);
}

/** Notes tcpdump writes into the line: "[|tcp]", "[bad hdr length …]", "[RST …]", "[was 0, presumed TSO]", … */
export function explainNote(text: string, t: Translate): Explanation | null {
  const s = text.trim();
  if (/\[\|[\w-]*\]/.test(s) || /\[remaining caplen/.test(s)) {
    return ex(t('Capture cut the packet'), [t('The capture stopped inside the header: the snapshot length (tcpdump -s) was too small, so the rest of the packet was not saved. Capture with -s 0 (the default in recent tcpdump) to keep whole packets.')]);
  }
  if (/bad hdr length/.test(s)) return ex(t('Bad TCP header length'), [t('The TCP header length field is impossible (shorter than 20 bytes or longer than the packet): the packet is damaged or not really TCP.')]);
  if (/bad-len/.test(s)) return ex(t('Bad length'), [t('A length field does not match the real size of the packet: the packet is damaged or was cut by the capture.')]);
  if (/truncated-ip/.test(s)) return ex(t('Truncated IP packet'), [t('The packet is shorter than its IP length field says: cut by the capture or damaged.')]);
  if (/presumed TSO/.test(s)) return ex(t('Length presumed (TSO)'), [t('The IP length field was 0: usual for a capture on the sending host with TCP segmentation offload; tcpdump used the captured size.')]);
  if (/presumed BIG TCP/.test(s)) return ex(t('Length presumed (BIG TCP)'), [t('The packet is larger than 64 KB: Linux BIG TCP offload on the capturing host; the network card will split it.')]);
  if (/^\[!?RST/.test(s)) return ex(t('Reset payload'), [t('Text carried inside the reset. Some stacks and middleboxes put a reason there; "!" means the capture cut it.')]);
  if (/\[bad opt\]/.test(s)) return ex(t('Bad options'), [t('The TCP options could not be read: the header is malformed or damaged.')]);
  if (/invalid sack/.test(s)) return ex(t('Invalid SACK'), [t('The SACK option has an impossible length: the header is malformed or damaged.')]);
  return null;
}

/** Text tcpdump printed after "length N" (application data it decoded, or a note). */
export function explainApp(text: string, t: Translate): Explanation {
  const note = explainNote(text, t);
  if (note !== null) return note;
  return ex(t('Decoded payload'), [t('What tcpdump decoded from the data, for example an HTTP request line. It comes from the packet: read it as data, not as a verdict.')]);
}

/** A note the writer of the log added (" (1)", "<-- SYN"). */
export function explainAnnotation(t: Translate): Explanation {
  return ex(t('Note'), [t('A remark added to this log by whoever wrote it; tcpdump does not print it.')]);
}
