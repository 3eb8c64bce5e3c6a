/**
 * The display-filter field registry: every field the Wireshark-syntax filter knows, with its type,
 * where its value comes from, and a one-line description (English and Simplified Chinese, for
 * completion and hover). Pure TypeScript.
 *
 * Names are Wireshark's (tshark 4.0), the same names the decoders report through FieldSink
 * (src/core/decode/*.ts). Where a value comes from, cheapest first:
 *   'index'  — the capture index's per-packet columns (addresses, ports, TCP flags, lengths, time):
 *              no decoding;
 *   'engine' — the TCP engine's per-packet results (stream, relative numbers, analysis flags);
 *   'dns'    — the index's DNS query → response pairs (dns.time, dns.response_in/to: filter/dnsFields.ts);
 *   'decode' — the frame is decoded (with a FieldSink that keeps only the fields the filter names):
 *              the value is what the decoders report under `from` (default: the field's own name),
 *              or what `read` takes from the decoded packet.
 *
 * A decoder that reports a new field registers it with ONE entry: registerFields([{ name: 'http.host',
 * type: 'string', en: '…', zh: '…' }]) next to its decoder, and reports it through sink.field(name, …)
 * (strings as the value; numbers, booleans; addresses and bytes by their offset and length).
 */
import type { DecodedPacket } from '../decode/packet';
import { IPPROTO_TCP } from '../decode/packet';

/**
 * Value types (Wireshark's FT_* families). 'proto' is a protocol (existence, bytes from its start);
 * 'reltime' is seconds (a number); addresses compare as addresses (CIDR allowed), 'ether' and
 * 'bytes' as byte strings.
 */
export type FieldType =
  'proto' | 'bool' | 'uint' | 'int' | 'float' | 'reltime' | 'ipv4' | 'ipv6' | 'ether' | 'bytes' | 'string';

export type FieldSource = 'index' | 'engine' | 'decode' | 'dns';

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Unsigned integers: width in bits (the largest literal allowed is 2^bits - 1). */
  bits?: number;
  /** Where the value comes from (default 'decode'): see the header. */
  src?: FieldSource;
  /** Decoded fields: the FieldSink names whose values make this field's (aliases: ip.addr = ip.src, ip.dst). */
  from?: readonly string[];
  /** Decoded fields not reported through FieldSink: the value from the decoded packet, null when absent. */
  read?: (pkt: DecodedPacket) => number | null;
  /** One line for completion/hover. */
  en: string;
  zh: string;
}

export interface FieldDef extends FieldSpec {
  src: FieldSource;
  from: readonly string[];
}

const registry = new Map<string, FieldDef>();

/** Register fields (a decoder's, at module load). A name registered twice keeps the later entry. */
export function registerFields(specs: readonly FieldSpec[]): void {
  for (const s of specs) registry.set(s.name, { ...s, src: s.src ?? 'decode', from: s.from ?? [s.name] });
}

/** Remove fields (tests; a decoder that is unloaded). */
export function unregisterFields(names: readonly string[]): void {
  for (const n of names) registry.delete(n);
}

export function lookupField(name: string): FieldDef | undefined {
  return registry.get(name);
}

/** Every registered field, in registration order (for completion). */
export function allFields(): FieldDef[] {
  return [...registry.values()];
}

/**
 * Protocols Wireshark decodes and Capture Lens does not (yet): a field of one of them is named in the
 * error ("http.host" is a field of HTTP, which is not decoded yet) instead of "neither a field nor a
 * protocol name". An application decoder that registers its fields makes them valid.
 */
export const UNDECODED_PROTOCOLS: Record<string, string> = {
  http: 'HTTP',
  http2: 'HTTP/2',
  dns: 'DNS',
  mdns: 'mDNS',
  tls: 'TLS',
  ssl: 'TLS',
  ftp: 'FTP',
  'ftp-data': 'FTP data',
  smtp: 'SMTP',
  imap: 'IMAP',
  pop: 'POP',
  ssh: 'SSH',
  telnet: 'Telnet',
  quic: 'QUIC',
  dhcp: 'DHCP',
  bootp: 'DHCP',
  ntp: 'NTP',
  sip: 'SIP',
  rtp: 'RTP',
  smb: 'SMB',
  smb2: 'SMB2',
  ldap: 'LDAP',
  kerberos: 'Kerberos',
  snmp: 'SNMP',
  bgp: 'BGP',
  mqtt: 'MQTT',
  websocket: 'WebSocket',
  grpc: 'gRPC',
  data: 'data',
  nbns: 'NetBIOS',
  llmnr: 'LLMNR',
  syslog: 'Syslog',
  radius: 'RADIUS',
  mysql: 'MySQL',
  pgsql: 'PostgreSQL',
  redis: 'Redis',
  resp: 'Redis',
};

function tcpOnly(pkt: DecodedPacket): boolean {
  return pkt.l4.proto === IPPROTO_TCP;
}

const n = (name: string, type: FieldType, en: string, zh: string, more: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type,
  en,
  zh,
  ...more,
});
const u = (name: string, bits: number, en: string, zh: string, more: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type: 'uint',
  bits,
  en,
  zh,
  ...more,
});
const b = (name: string, en: string, zh: string, more: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type: 'bool',
  en,
  zh,
  ...more,
});

/** tcp.analysis.* flags: [name, English, Chinese] in the engine's bit order (ANALYSIS_NAMES). */
export const ANALYSIS_FIELDS: readonly [string, string, string][] = [
  ['retransmission', 'A retransmission (data sent again)', '重传（数据再次发送）'],
  ['fast_retransmission', 'A fast retransmission (after duplicate ACKs)', '快速重传（重复确认之后）'],
  ['spurious_retransmission', 'A retransmission of data already acknowledged', '伪重传（数据已被确认）'],
  ['out_of_order', 'A segment that arrived out of order', '乱序到达的报文段'],
  ['lost_segment', 'A previous segment was not captured', '前一个报文段未被捕获'],
  ['ack_lost_segment', 'Acknowledges a segment that was not captured', '确认了未被捕获的报文段'],
  ['duplicate_ack', 'A duplicate acknowledgement', '重复确认'],
  ['zero_window', 'The receiver advertises a zero window', '接收方通告零窗口'],
  ['zero_window_probe', 'A zero-window probe', '零窗口探测'],
  ['zero_window_probe_ack', 'The acknowledgement of a zero-window probe', '零窗口探测的确认'],
  ['keep_alive', 'A keep-alive segment', '保活报文段'],
  ['keep_alive_ack', 'The acknowledgement of a keep-alive', '保活报文段的确认'],
  ['window_update', 'A window update', '窗口更新'],
  ['window_full', 'The sender filled the receive window', '发送方填满了接收窗口'],
  ['reused_ports', 'A new connection reuses the ports of an old one', '新连接重用了旧连接的端口'],
];

registerFields([
  // ---- frame
  n(
    'frame',
    'proto',
    'The whole frame (frame contains "x", frame matches "re")',
    '整个帧（frame contains "x"、frame matches "re"）',
    { src: 'index' },
  ),
  u('frame.number', 32, 'Frame number (1 = the first packet)', '帧编号（第一个包为 1）', { src: 'index' }),
  u('frame.len', 32, 'Frame length on the wire (bytes)', '线路上的帧长度（字节）', { src: 'index' }),
  u('frame.cap_len', 32, 'Captured frame length (bytes)', '捕获的帧长度（字节）', { src: 'index' }),
  n('frame.time_relative', 'reltime', 'Seconds since the first packet', '自第一个包以来的秒数', { src: 'index' }),
  n('frame.time_delta', 'reltime', 'Seconds since the previous packet', '自上一个包以来的秒数', { src: 'index' }),
  // ---- link layers
  n('eth', 'proto', 'Ethernet II', '以太网 II'),
  n('eth.dst', 'ether', 'Destination MAC address', '目的 MAC 地址'),
  n('eth.src', 'ether', 'Source MAC address', '源 MAC 地址'),
  n('eth.addr', 'ether', 'Source or destination MAC address', '源或目的 MAC 地址', { from: ['eth.src', 'eth.dst'] }),
  u('eth.type', 16, 'EtherType', '以太网类型'),
  n('vlan', 'proto', '802.1Q virtual LAN tag', '802.1Q 虚拟局域网标签'),
  u('vlan.priority', 3, 'VLAN priority', 'VLAN 优先级'),
  u('vlan.dei', 1, 'VLAN drop eligible indicator', 'VLAN 可丢弃指示'),
  u('vlan.id', 12, 'VLAN identifier', 'VLAN 标识'),
  u('vlan.etype', 16, 'EtherType after the VLAN tag', 'VLAN 标签后的以太网类型'),
  n('sll', 'proto', 'Linux cooked capture', 'Linux cooked 捕获头'),
  u('sll.pkttype', 16, 'Packet type (0 = to us, 4 = sent by us)', '包类型（0 = 发往本机，4 = 本机发出）'),
  u('sll.hatype', 16, 'Link-layer address type', '链路层地址类型'),
  u('sll.halen', 16, 'Link-layer address length', '链路层地址长度'),
  n('sll.src.eth', 'ether', 'Source MAC address', '源 MAC 地址'),
  u('sll.etype', 16, 'Protocol (EtherType)', '协议（以太网类型）'),
  u('sll.ltype', 16, 'Protocol (Linux type)', '协议（Linux 类型）'),
  u('sll.ifindex', 32, 'Interface index', '接口索引'),
  n('null', 'proto', 'BSD loopback header', 'BSD 环回头'),
  u('null.family', 32, 'Address family', '地址族'),
  // ---- ARP
  n('arp', 'proto', 'Address Resolution Protocol', '地址解析协议', { src: 'index' }),
  u('arp.hw.type', 16, 'Hardware type', '硬件类型'),
  u('arp.proto.type', 16, 'Protocol type', '协议类型'),
  u('arp.hw.size', 8, 'Hardware address size', '硬件地址长度'),
  u('arp.proto.size', 8, 'Protocol address size', '协议地址长度'),
  u('arp.opcode', 16, 'Opcode (1 = request, 2 = reply)', '操作码（1 = 请求，2 = 应答）'),
  n('arp.src.hw_mac', 'ether', 'Sender MAC address', '发送方 MAC 地址'),
  n('arp.dst.hw_mac', 'ether', 'Target MAC address', '目标 MAC 地址'),
  n('arp.src.proto_ipv4', 'ipv4', 'Sender IP address', '发送方 IP 地址'),
  n('arp.dst.proto_ipv4', 'ipv4', 'Target IP address', '目标 IP 地址'),
  // ---- IPv4
  n('ip', 'proto', 'Internet Protocol version 4', 'IPv4 协议', { src: 'index' }),
  u('ip.version', 4, 'IP version', 'IP 版本'),
  u('ip.hdr_len', 8, 'Header length (bytes)', '首部长度（字节）'),
  u('ip.dsfield', 8, 'Differentiated services field', '区分服务字段'),
  u('ip.dsfield.dscp', 6, 'Differentiated services codepoint', '区分服务码点'),
  u('ip.dsfield.ecn', 2, 'Explicit congestion notification', '显式拥塞通知'),
  u('ip.len', 16, 'Total length', '总长度'),
  u('ip.id', 16, 'Identification', '标识'),
  u('ip.flags', 8, 'Flags', '标志'),
  b('ip.flags.rb', 'Reserved bit', '保留位'),
  b('ip.flags.df', "Don't fragment", '不分片'),
  b('ip.flags.mf', 'More fragments', '更多分片'),
  u('ip.frag_offset', 16, 'Fragment offset (bytes)', '分片偏移（字节）'),
  u('ip.ttl', 8, 'Time to live', '生存时间'),
  u('ip.proto', 8, 'Protocol (6 = TCP, 17 = UDP, 1 = ICMP)', '协议（6 = TCP，17 = UDP，1 = ICMP）'),
  u('ip.checksum', 16, 'Header checksum', '首部校验和'),
  n('ip.src', 'ipv4', 'Source address', '源地址', { src: 'index' }),
  n('ip.dst', 'ipv4', 'Destination address', '目的地址', { src: 'index' }),
  n('ip.addr', 'ipv4', 'Source or destination address', '源或目的地址', { src: 'index', from: ['ip.src', 'ip.dst'] }),
  u('ip.opt.type', 8, 'IP option type', 'IP 选项类型'),
  // ---- IPv6
  n('ipv6', 'proto', 'Internet Protocol version 6', 'IPv6 协议', { src: 'index' }),
  u('ipv6.version', 4, 'IP version', 'IP 版本'),
  u('ipv6.tclass', 8, 'Traffic class', '流量类别'),
  u('ipv6.flow', 20, 'Flow label', '流标签'),
  u('ipv6.plen', 16, 'Payload length', '载荷长度'),
  u('ipv6.nxt', 8, 'Next header', '下一个首部'),
  u('ipv6.hlim', 8, 'Hop limit', '跳数限制'),
  n('ipv6.src', 'ipv6', 'Source address', '源地址', { src: 'index' }),
  n('ipv6.dst', 'ipv6', 'Destination address', '目的地址', { src: 'index' }),
  n('ipv6.addr', 'ipv6', 'Source or destination address', '源或目的地址', {
    src: 'index',
    from: ['ipv6.src', 'ipv6.dst'],
  }),
  u('ipv6.fragment.offset', 16, 'Fragment offset', '分片偏移'),
  b('ipv6.fragment.more', 'More fragments', '更多分片'),
  u('ipv6.fragment.id', 32, 'Fragment identification', '分片标识'),
  u('ipv6.routing.type', 8, 'Routing header type', '路由首部类型'),
  u('ipv6.routing.segleft', 8, 'Segments left', '剩余段数'),
  // ---- ICMP
  n('icmp', 'proto', 'Internet Control Message Protocol', 'ICMP 协议', { src: 'index' }),
  u(
    'icmp.type',
    8,
    'Type (8 = echo request, 0 = echo reply, 3 = unreachable)',
    '类型（8 = 回显请求，0 = 回显应答，3 = 不可达）',
  ),
  u('icmp.code', 8, 'Code', '代码'),
  u('icmp.checksum', 16, 'Checksum', '校验和'),
  u('icmp.ident', 16, 'Identifier', '标识符'),
  u('icmp.seq', 16, 'Sequence number', '序列号'),
  n('icmpv6', 'proto', 'ICMP for IPv6', 'ICMPv6 协议', { src: 'index' }),
  u(
    'icmpv6.type',
    8,
    'Type (128 = echo request, 129 = echo reply, 135/136 = neighbour discovery)',
    '类型（128 = 回显请求，129 = 回显应答，135/136 = 邻居发现）',
  ),
  u('icmpv6.code', 8, 'Code', '代码'),
  u('icmpv6.checksum', 16, 'Checksum', '校验和'),
  // ---- UDP
  n('udp', 'proto', 'User Datagram Protocol', 'UDP 协议', { src: 'index' }),
  u('udp.srcport', 16, 'Source port', '源端口', { src: 'index' }),
  u('udp.dstport', 16, 'Destination port', '目的端口', { src: 'index' }),
  u('udp.port', 16, 'Source or destination port', '源或目的端口', {
    src: 'index',
    from: ['udp.srcport', 'udp.dstport'],
  }),
  u('udp.length', 16, 'Length', '长度'),
  u('udp.checksum', 16, 'Checksum', '校验和'),
  n('udp.payload', 'bytes', 'UDP payload', 'UDP 载荷'),
  // ---- TCP
  n('tcp', 'proto', 'Transmission Control Protocol', 'TCP 协议', { src: 'index' }),
  u('tcp.srcport', 16, 'Source port', '源端口', { src: 'index' }),
  u('tcp.dstport', 16, 'Destination port', '目的端口', { src: 'index' }),
  u('tcp.port', 16, 'Source or destination port', '源或目的端口', {
    src: 'index',
    from: ['tcp.srcport', 'tcp.dstport'],
  }),
  u('tcp.stream', 32, 'Stream index (the connection, numbered from 0)', '流编号（连接，从 0 开始）', { src: 'engine' }),
  u('tcp.len', 32, 'TCP segment length (payload bytes)', 'TCP 段长度（载荷字节数）', {
    read: (p) => (tcpOnly(p) ? p.l4.payloadLen : null),
  }),
  u('tcp.seq', 32, 'Sequence number (relative)', '序列号（相对）', { src: 'engine' }),
  u('tcp.ack', 32, 'Acknowledgment number (relative)', '确认号（相对）', { src: 'engine' }),
  u('tcp.seq_raw', 32, 'Sequence number (raw)', '序列号（原始）'),
  u('tcp.ack_raw', 32, 'Acknowledgment number (raw)', '确认号（原始）'),
  u('tcp.hdr_len', 8, 'Header length (bytes)', '首部长度（字节）'),
  u('tcp.flags', 12, 'Flags (0x002 = SYN, 0x012 = SYN+ACK)', '标志（0x002 = SYN，0x012 = SYN+ACK）', { src: 'index' }),
  u('tcp.flags.res', 3, 'Reserved bits', '保留位'),
  // the flag bits are in the index's kind word: 'index'
  b('tcp.flags.fin', 'FIN: no more data from the sender', 'FIN：发送方没有更多数据', { src: 'index' }),
  b('tcp.flags.syn', 'SYN: synchronize sequence numbers (opens a connection)', 'SYN：同步序列号（建立连接）', {
    src: 'index',
  }),
  b('tcp.flags.reset', 'RST: reset the connection', 'RST：重置连接', { src: 'index' }),
  b('tcp.flags.push', 'PSH: push the data to the application', 'PSH：将数据推送给应用', { src: 'index' }),
  b('tcp.flags.ack', 'ACK: the acknowledgment number is valid', 'ACK：确认号有效', { src: 'index' }),
  b('tcp.flags.urg', 'URG: the urgent pointer is valid', 'URG：紧急指针有效', { src: 'index' }),
  b('tcp.flags.ece', 'ECE: ECN echo', 'ECE：ECN 回显', { src: 'index' }),
  b('tcp.flags.cwr', 'CWR: congestion window reduced', 'CWR：拥塞窗口已减小', { src: 'index' }),
  b('tcp.flags.ae', 'AE: accurate ECN', 'AE：精确 ECN', { src: 'index' }),
  u('tcp.window_size_value', 16, 'Window (raw header value)', '窗口（首部原始值）'),
  u('tcp.window_size', 32, 'Window size (scaled)', '窗口大小（已缩放）', { src: 'engine' }),
  u('tcp.checksum', 16, 'Checksum', '校验和'),
  u('tcp.urgent_pointer', 16, 'Urgent pointer', '紧急指针'),
  n('tcp.payload', 'bytes', 'TCP payload', 'TCP 载荷'),
  u('tcp.option_kind', 8, 'Option kind', '选项类型'),
  u('tcp.option_len', 8, 'Option length', '选项长度'),
  u('tcp.options.mss_val', 16, 'Maximum segment size', '最大报文段长度'),
  u('tcp.options.wscale.shift', 8, 'Window scale shift count', '窗口缩放位移'),
  u('tcp.options.sack_le', 32, 'SACK left edge', 'SACK 左边界'),
  u('tcp.options.sack_re', 32, 'SACK right edge', 'SACK 右边界'),
  u('tcp.options.timestamp.tsval', 32, 'Timestamp value', '时间戳值'),
  u('tcp.options.timestamp.tsecr', 32, 'Timestamp echo reply', '时间戳回显应答'),
  u('tcp.options.mptcp.subtype', 4, 'Multipath TCP subtype', '多路径 TCP 子类型'),
  // ---- the engine's analysis
  // as in Wireshark, window updates count (hence the common "tcp.analysis.flags && !tcp.analysis.window_update")
  n('tcp.analysis.flags', 'proto', 'Any TCP analysis flag', '任一 TCP 分析标志', { src: 'engine' }),
  ...ANALYSIS_FIELDS.map(([f, en, zh]) => n('tcp.analysis.' + f, 'proto', en, zh, { src: 'engine' })),
  u('tcp.analysis.duplicate_ack_num', 32, 'Duplicate ACK number (1, 2, …)', '重复确认序号（1、2……）', {
    src: 'engine',
  }),
  u('tcp.analysis.duplicate_ack_frame', 32, 'Frame the duplicate ACK repeats', '重复确认所重复的帧', { src: 'engine' }),
]);

// ---- SSH, SMTP, POP3, IMAP, telnet, DHCP, NTP, SSDP (src/core/decode/app/{ssh,mail,telnet,dhcp,ntp,ssdp}.ts):
// decoded fields, reported through the FieldSink when the frame is decoded for the filter
registerFields([
  n('ssh', 'proto', 'SSH (port 22)', 'SSH（端口 22）'),
  n('ssh.protocol', 'string', 'SSH version line (SSH-2.0-…)', 'SSH 版本行（SSH-2.0-…）'),
  u('ssh.message_code', 8, 'SSH message number (20 = KEXINIT, 21 = NEWKEYS)', 'SSH 消息编号（20 = KEXINIT，21 = NEWKEYS）'),
  u('ssh.packet_length', 32, 'SSH packet length', 'SSH 包长度'),
  n('ssh.kex_algorithms', 'string', 'SSH key exchange algorithms offered', 'SSH 提供的密钥交换算法'),
  n('ssh.server_host_key_algorithms', 'string', 'SSH host key algorithms offered', 'SSH 提供的主机密钥算法'),
  n('ssh.encryption_algorithms_client_to_server', 'string', 'SSH ciphers, client to server', 'SSH 加密算法（客户端到服务器）'),
  n('ssh.encryption_algorithms_server_to_client', 'string', 'SSH ciphers, server to client', 'SSH 加密算法（服务器到客户端）'),
  n('smtp', 'proto', 'SMTP (ports 25, 587)', 'SMTP（端口 25、587）'),
  n('smtp.req.command', 'string', 'SMTP command (EHLO, MAIL, RCPT, DATA…)', 'SMTP 命令（EHLO、MAIL、RCPT、DATA 等）'),
  n('smtp.req.parameter', 'string', 'SMTP command parameter', 'SMTP 命令参数'),
  u('smtp.response.code', 16, 'SMTP reply code', 'SMTP 应答码'),
  n('smtp.rsp.parameter', 'string', 'SMTP reply text', 'SMTP 应答文本'),
  n('pop', 'proto', 'POP3 (port 110)', 'POP3（端口 110）'),
  n('pop.request.command', 'string', 'POP3 command (USER, PASS, RETR…)', 'POP3 命令（USER、PASS、RETR 等）'),
  n('pop.request.parameter', 'string', 'POP3 command parameter', 'POP3 命令参数'),
  n('pop.response.indicator', 'string', 'POP3 status (+OK, -ERR)', 'POP3 状态（+OK、-ERR）'),
  n('pop.response.description', 'string', 'POP3 status text', 'POP3 状态文本'),
  n('imap', 'proto', 'IMAP (port 143)', 'IMAP（端口 143）'),
  b('imap.isrequest', 'IMAP: the segment is a request', 'IMAP：该报文段是请求'),
  n('imap.request', 'string', 'IMAP request line', 'IMAP 请求行'),
  n('imap.request_tag', 'string', 'IMAP request tag', 'IMAP 请求标签'),
  n('imap.request.command', 'string', 'IMAP command (LOGIN, SELECT, FETCH…)', 'IMAP 命令（LOGIN、SELECT、FETCH 等）'),
  n('imap.response', 'string', 'IMAP tagged reply line', 'IMAP 带标签的应答行'),
  n('imap.response.status', 'string', 'IMAP reply status (OK, NO, BAD)', 'IMAP 应答状态（OK、NO、BAD）'),
  n('telnet', 'proto', 'Telnet (port 23)', 'Telnet（端口 23）'),
  u('telnet.cmd', 8, 'Telnet command after IAC (251 WILL … 254 DONT, 250 SB)', 'IAC 之后的 Telnet 命令（251 WILL … 254 DONT，250 SB）'),
  u('telnet.subcmd', 8, 'Telnet option (1 ECHO, 24 TERMINAL TYPE, 31 NAWS…)', 'Telnet 选项（1 ECHO、24 TERMINAL TYPE、31 NAWS 等）'),
  n('telnet.data', 'string', 'Telnet data (typed or shown text)', 'Telnet 数据（输入或显示的文本）'),
  n('dhcp', 'proto', 'DHCP / BOOTP (ports 67, 68)', 'DHCP / BOOTP（端口 67、68）'),
  u('dhcp.type', 8, 'BOOTP op (1 request, 2 reply)', 'BOOTP 操作码（1 请求，2 应答）'),
  u('dhcp.id', 32, 'DHCP transaction ID', 'DHCP 事务 ID'),
  n('dhcp.hw.mac_addr', 'string', 'DHCP client MAC address (text, 00:0c:29:…)', 'DHCP 客户端 MAC 地址（文本，00:0c:29:…）'),
  n('dhcp.ip.client', 'ipv4', 'DHCP client address (ciaddr)', 'DHCP 客户端地址（ciaddr）'),
  n('dhcp.ip.your', 'ipv4', 'DHCP address given to the client (yiaddr)', 'DHCP 分配给客户端的地址（yiaddr）'),
  n('dhcp.ip.server', 'ipv4', 'DHCP next server address (siaddr)', 'DHCP 下一服务器地址（siaddr）'),
  n('dhcp.ip.relay', 'ipv4', 'DHCP relay agent address (giaddr)', 'DHCP 中继代理地址（giaddr）'),
  u('dhcp.option.type', 8, 'DHCP option code', 'DHCP 选项代码'),
  u('dhcp.option.dhcp', 8, 'DHCP message type (1 Discover, 2 Offer, 3 Request, 5 ACK, 6 NAK…)', 'DHCP 消息类型（1 Discover、2 Offer、3 Request、5 ACK、6 NAK 等）'),
  n('dhcp.option.hostname', 'string', 'DHCP host name', 'DHCP 主机名'),
  n('dhcp.option.requested_ip_address', 'ipv4', 'DHCP requested address', 'DHCP 请求的地址'),
  n('dhcp.option.dhcp_server_id', 'ipv4', 'DHCP server identifier', 'DHCP 服务器标识'),
  u('dhcp.option.ip_address_lease_time', 32, 'DHCP lease time (seconds)', 'DHCP 租期（秒）'),
  n('dhcp.option.router', 'ipv4', 'DHCP router', 'DHCP 路由器'),
  n('dhcp.option.domain_name_server', 'ipv4', 'DHCP DNS server', 'DHCP DNS 服务器'),
  n('ntp', 'proto', 'NTP (port 123)', 'NTP（端口 123）'),
  u('ntp.flags.li', 2, 'NTP leap indicator', 'NTP 闰秒指示'),
  u('ntp.flags.vn', 3, 'NTP version', 'NTP 版本'),
  u('ntp.flags.mode', 3, 'NTP mode (3 client, 4 server, 5 broadcast, 6 control)', 'NTP 模式（3 客户端、4 服务器、5 广播、6 控制）'),
  u('ntp.stratum', 8, 'NTP stratum', 'NTP 层级'),
  n('ssdp', 'proto', 'SSDP (UPnP discovery, port 1900)', 'SSDP（UPnP 发现，端口 1900）'),
  n('ssdp.nt', 'string', 'SSDP notification type (NT)', 'SSDP 通告类型（NT）'),
  n('ssdp.st', 'string', 'SSDP search target (ST)', 'SSDP 搜索目标（ST）'),
  n('ssdp.usn', 'string', 'SSDP unique service name (USN)', 'SSDP 唯一服务名（USN）'),
  n('ssdp.location', 'string', 'SSDP description URL (LOCATION)', 'SSDP 描述文件 URL（LOCATION）'),
]);
