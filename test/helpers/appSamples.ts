/**
 * Generated captures of the text and UDP application protocols (SSH, SMTP, POP3, IMAP, telnet, DHCP,
 * NTP, SSDP, mDNS): the same frames feed the decoder tests, the printer's oracle test against the
 * installed tcpdump and the tshark field check (test/app-more.test.ts).
 */
import { tcpFrame, udpFrame } from '../../src/core/synth/frames';
import { TH_ACK, TH_PUSH } from '../../src/core/decode/packet';
import { dnsMessage } from './dnsMsg';

const enc = new TextEncoder();
const CLIENT = '10.0.0.1';
const SERVER = '10.0.0.2';

export interface Sample {
  frame: Uint8Array;
  /** Bytes kept by the capture (default: all). */
  caplen?: number;
}

/** One TCP connection: messages alternate by `fromClient`, sequence numbers follow on. */
export function tcpConversation(port: number, msgs: { c: boolean; b: string | Uint8Array }[], clientPort = 40000): Sample[] {
  let cseq = 1000;
  let sseq = 5000;
  return msgs.map((m) => {
    const payload = typeof m.b === 'string' ? enc.encode(m.b) : m.b;
    const f = m.c
      ? tcpFrame({ src: CLIENT, dst: SERVER, sport: clientPort, dport: port, seq: cseq, ack: sseq, flags: TH_PUSH | TH_ACK, payload })
      : tcpFrame({ src: SERVER, dst: CLIENT, sport: port, dport: clientPort, seq: sseq, ack: cseq, flags: TH_PUSH | TH_ACK, payload });
    if (m.c) cseq += payload.length;
    else sseq += payload.length;
    return { frame: f };
  });
}

const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function nameList(s: string): number[] {
  return [...u32(s.length), ...enc.encode(s)];
}

/** An SSH binary packet carrying KEXINIT (RFC 4253 §7.1) with the given name-lists. */
export function sshKexinit(lists: string[], padding = 4): Uint8Array {
  const body = [20, ...Array.from({ length: 16 }, (_, i) => i * 7), ...lists.flatMap(nameList), 0, 0, 0, 0, 0];
  const len = 1 + body.length + padding;
  return Uint8Array.from([...u32(len), padding, ...body, ...new Array<number>(padding).fill(0)]);
}

export const KEX_LISTS = [
  'curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256',
  'ssh-ed25519,rsa-sha2-512',
  'chacha20-poly1305@openssh.com,aes128-ctr',
  'chacha20-poly1305@openssh.com,aes256-ctr',
  'umac-64-etm@openssh.com,hmac-sha2-256',
  'umac-64-etm@openssh.com,hmac-sha2-512',
  'none,zlib@openssh.com',
  'none',
  '',
  '',
];

export function sshSamples(): Sample[] {
  return tcpConversation(22, [
    { c: false, b: 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n' },
    { c: true, b: 'SSH-2.0-PuTTY_Release_0.78\r\n' },
    { c: true, b: sshKexinit(KEX_LISTS) },
    { c: false, b: sshKexinit(['sntrup761x25519-sha512@openssh.com', 'ssh-rsa', 'aes128-gcm@openssh.com', 'aes128-gcm@openssh.com', 'hmac-sha1', 'hmac-sha1', 'none', 'none', '', '']) },
    { c: true, b: 'SSH-1.99-old\n' },
    { c: true, b: 'SSH-2.0-cut without line end' },
    { c: true, b: Uint8Array.from([0, 0, 0, 12, 10, 21, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) },
    { c: false, b: 'SSH-2.0-bad\rx\r\n' },
  ]);
}

export function smtpSamples(): Sample[] {
  return [
    ...tcpConversation(25, [
      { c: false, b: '220 mail.example.com ESMTP Postfix\r\n' },
      { c: true, b: 'EHLO client.example.org\r\n' },
      { c: false, b: '250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n' },
      { c: true, b: 'MAIL FROM:<alice@example.org>\r\n' },
      { c: false, b: '250 2.1.0 Ok\r\n' },
      { c: true, b: 'RCPT TO:<bob@example.com>\r\n' },
      { c: true, b: 'DATA\r\n' },
      { c: false, b: '354 End data with <CR><LF>.<CR><LF>\r\n' },
      { c: true, b: 'Subject: hi\r\n\r\nHello\r\n.\r\n' },
      { c: true, b: 'QUIT\r\n' },
      { c: true, b: 'AUTH PLAIN\x01\x02\r\n' },
      { c: true, b: 'NOOP no line end' },
    ]),
    ...tcpConversation(587, [
      { c: true, b: 'EHLO submit.example.org\r\n' },
      { c: false, b: '250 OK\r\n' },
    ]),
  ];
}

export function pop3Samples(): Sample[] {
  return tcpConversation(110, [
    { c: false, b: '+OK POP3 server ready\r\n' },
    { c: true, b: 'USER alice\r\n' },
    { c: false, b: '+OK\r\n' },
    { c: true, b: 'PASS secret\r\n' },
    { c: true, b: 'STAT\r\n' },
    { c: false, b: '+OK 2 320\r\n' },
    { c: true, b: 'RETR 1\r\n' },
    { c: false, b: '+OK 120 octets\r\nFrom: a\r\n\r\nbody\r\n.\r\n' },
    { c: true, b: 'XFOO bar\r\n' },
    { c: false, b: '-ERR no such message\r\n' },
    { c: true, b: 'quit\r\n' },
  ]);
}

export function imapSamples(): Sample[] {
  return tcpConversation(143, [
    { c: false, b: '* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n' },
    { c: true, b: 'a001 LOGIN alice secret\r\n' },
    { c: false, b: 'a001 OK Logged in.\r\n' },
    { c: true, b: 'a002 SELECT INBOX\r\n' },
    { c: false, b: '* 18 EXISTS\r\n* FLAGS (\\Seen)\r\na002 OK [READ-WRITE] SELECT completed\r\n' },
    { c: true, b: 'a003 FETCH 1 BODY[]\r\n' },
    { c: true, b: 'a004 LOGOUT\r\n' },
    { c: false, b: '* BYE\r\n' },
    { c: true, b: 'noline' },
  ]);
}

const IAC = 255;
export function telnetSamples(): Sample[] {
  return tcpConversation(23, [
    { c: false, b: Uint8Array.from([IAC, 253, 24, IAC, 253, 32, IAC, 253, 35, IAC, 253, 39]) },
    { c: true, b: Uint8Array.from([IAC, 251, 24, IAC, 251, 31, IAC, 252, 35]) },
    { c: false, b: Uint8Array.from([IAC, 250, 24, 1, IAC, 240]) },
    { c: true, b: Uint8Array.from([IAC, 250, 24, 0, 0x58, 0x54, 0x45, 0x52, 0x4d, IAC, 240]) },
    { c: true, b: Uint8Array.from([IAC, 250, 31, 0, 80, 0, 24, IAC, 240]) },
    { c: false, b: Uint8Array.from([IAC, 251, 1, IAC, 251, 3, 0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x3a, 0x20]) },
    { c: true, b: 'root\r\n' },
    { c: true, b: Uint8Array.from([IAC, 244, IAC, 253, 6]) },
    { c: true, b: Uint8Array.from([IAC, IAC, 0x41]) },
    { c: false, b: Uint8Array.from([IAC, 250, 37, 0, 2, 5, IAC, 240, IAC, 250, 38, 1, 1, IAC, 240]) },
    { c: false, b: Uint8Array.from([IAC, 251, 200, IAC, 250, 24]) },
    { c: false, b: Uint8Array.from([IAC, 100]) },
  ]);
}

function mac(s: string): number[] {
  return s.split(':').map((h) => parseInt(h, 16));
}

export interface BootpSpec {
  op: number;
  xid: number;
  secs?: number;
  flags?: number;
  ciaddr?: number[];
  yiaddr?: number[];
  siaddr?: number[];
  giaddr?: number[];
  chaddr: string;
  sname?: string;
  file?: string;
  /** Options after the magic cookie (without the final END); null: no cookie (plain BOOTP). */
  options: number[] | null;
  /** Pad the message to this size (BOOTP's minimum is 300). */
  size?: number;
}

export function bootp(b: BootpSpec): Uint8Array {
  const out = new Uint8Array(Math.max(b.size ?? 300, 240 + (b.options ? b.options.length + 1 : 0)));
  out[0] = b.op;
  out[1] = 1;
  out[2] = 6;
  out.set(u32(b.xid), 4);
  out[8] = (b.secs ?? 0) >> 8;
  out[9] = (b.secs ?? 0) & 255;
  out[10] = (b.flags ?? 0) >> 8;
  out[11] = (b.flags ?? 0) & 255;
  out.set(b.ciaddr ?? [0, 0, 0, 0], 12);
  out.set(b.yiaddr ?? [0, 0, 0, 0], 16);
  out.set(b.siaddr ?? [0, 0, 0, 0], 20);
  out.set(b.giaddr ?? [0, 0, 0, 0], 24);
  out.set(mac(b.chaddr), 28);
  if (b.sname) out.set(enc.encode(b.sname), 44);
  if (b.file) out.set(enc.encode(b.file), 108);
  if (b.options) {
    out.set([99, 130, 83, 99], 236);
    out.set(b.options, 240);
    out[240 + b.options.length] = 255;
  }
  return out;
}

const CMAC = '00:0c:29:12:34:56';
export function dhcpSamples(): Sample[] {
  const u = (src: string, dst: string, sport: number, dport: number, payload: Uint8Array): Sample => ({ frame: udpFrame({ src, dst, sport, dport, payload }) });
  const name = (s: string): number[] => [...enc.encode(s)];
  return [
    u('0.0.0.0', '255.255.255.255', 68, 67, bootp({ op: 1, xid: 0x3903f326, chaddr: CMAC, flags: 0x8000, options: [53, 1, 1, 61, 7, 1, ...mac(CMAC), 50, 4, 192, 168, 1, 100, 12, 4, ...name('host'), 55, 4, 1, 3, 6, 15] })),
    u('192.168.1.1', '192.168.1.100', 67, 68, bootp({ op: 2, xid: 0x3903f326, chaddr: CMAC, yiaddr: [192, 168, 1, 100], siaddr: [192, 168, 1, 1], options: [53, 1, 2, 54, 4, 192, 168, 1, 1, 51, 4, 0, 1, 81, 128, 1, 4, 255, 255, 255, 0, 3, 4, 192, 168, 1, 1, 6, 8, 8, 8, 8, 8, 8, 8, 4, 4, 15, 11, ...name('example.com')] })),
    u('0.0.0.0', '255.255.255.255', 68, 67, bootp({ op: 1, xid: 0x3903f326, secs: 3, chaddr: CMAC, options: [53, 1, 3, 50, 4, 192, 168, 1, 100, 54, 4, 192, 168, 1, 1, 57, 2, 2, 64] })),
    u('192.168.1.1', '192.168.1.100', 67, 68, bootp({ op: 2, xid: 0x3903f326, chaddr: CMAC, yiaddr: [192, 168, 1, 100], options: [53, 1, 5, 54, 4, 192, 168, 1, 1, 51, 4, 0, 0, 14, 16, 58, 4, 0, 0, 7, 8] })),
    u('192.168.1.100', '192.168.1.1', 68, 67, bootp({ op: 1, xid: 0x11223344, chaddr: CMAC, ciaddr: [192, 168, 1, 100], options: [53, 1, 7] })),
    u('192.168.1.1', '192.168.1.100', 67, 68, bootp({ op: 2, xid: 0x11, chaddr: CMAC, options: [53, 1, 6] })),
    u('10.0.0.9', '10.0.0.1', 67, 67, bootp({ op: 1, xid: 0x55, chaddr: CMAC, giaddr: [10, 0, 0, 9], options: [53, 1, 8, 82, 6, 1, 4, 0, 1, 2, 3] })),
    u('0.0.0.0', '255.255.255.255', 68, 67, bootp({ op: 1, xid: 0x66, chaddr: CMAC, sname: 'srv', file: 'boot.img', options: null })),
    u('0.0.0.0', '255.255.255.255', 68, 67, bootp({ op: 1, xid: 0x77, chaddr: CMAC, options: [53, 1, 4] })),
    u('0.0.0.0', '255.255.255.255', 68, 67, bootp({ op: 3, xid: 0x88, chaddr: CMAC, options: [53, 1, 1] })),
    u('0.0.0.0', '255.255.255.255', 68, 67, bootp({ op: 1, xid: 0x99, chaddr: CMAC, options: [53, 1, 1] }).subarray(0, 100)),
    // booleans, pairs, Client-ID of type 0, FQDN, classless routes, user class, an unknown option, a cut option
    u('0.0.0.0', '255.255.255.255', 68, 67, bootp({ op: 1, xid: 0xaa, chaddr: CMAC, options: [53, 1, 1, 19, 1, 1, 31, 1, 0, 33, 8, 10, 0, 0, 0, 10, 0, 0, 1, 61, 4, 0, 0x61, 0x62, 0x63, 81, 6, 1, 0, 0, ...name('pc'), 121, 8, 24, 192, 168, 2, 192, 168, 1, 1, 77, 4, 3, ...name('abc'), 200, 3, 1, 2, 3, 46, 1, 8, 60, 8, ...name('MSFT 5.0')] })),
    u('0.0.0.0', '255.255.255.255', 68, 67, bootp({ op: 1, xid: 0xbb, chaddr: CMAC, options: [53, 1, 3, 12, 40, ...name('short')] }).subarray(0, 252)),
  ];
}

function ntp(first: number, stratum: number, poll: number, precision: number, refid: number[], ts: number[][]): Uint8Array {
  const out = new Uint8Array(48);
  out[0] = first;
  out[1] = stratum;
  out[2] = poll & 255;
  out[3] = precision & 255;
  out.set([0, 0, 0x01, 0x02], 4);
  out.set([0, 0, 0x03, 0x04], 8);
  out.set(refid, 12);
  ts.forEach((t, i) => out.set([...u32(t[0]), ...u32(t[1])], 16 + 8 * i));
  return out;
}

export function ntpSamples(): Sample[] {
  const u = (src: string, dst: string, sport: number, dport: number, payload: Uint8Array): Sample => ({ frame: udpFrame({ src, dst, sport, dport, payload }) });
  const t0 = 0xe9a4c1f0;
  return [
    u(CLIENT, SERVER, 123, 123, ntp(0x23, 0, 6, -20, [0, 0, 0, 0], [[0, 0], [0, 0], [0, 0], [t0, 0x80000000]])),
    u(SERVER, CLIENT, 123, 123, ntp(0x24, 2, 6, -23, [192, 168, 1, 254], [[t0 - 100, 0x1000], [t0, 0x80000000], [t0 + 1, 0x100], [t0 + 1, 0x200]])),
    u(CLIENT, SERVER, 50000, 123, ntp(0xe3, 0, 3, -6, [0, 0, 0, 0], [[0, 0], [0, 0], [0, 0], [t0, 0x40000000]])),
    u(SERVER, CLIENT, 123, 50000, ntp(0x1c, 1, 3, -20, [0x47, 0x50, 0x53, 0], [[t0, 0], [t0, 0x40000000], [t0, 0x50000000], [t0, 0x60000000]])),
    u(SERVER, '224.0.1.1', 123, 123, ntp(0x25, 3, 10, -18, [10, 0, 0, 1], [[t0, 0], [0, 0], [0, 0], [t0, 0x1]])),
    u(CLIENT, SERVER, 123, 123, ntp(0x16, 0, 0, 0, [0, 0, 0, 0], []).subarray(0, 12)),
    u(CLIENT, SERVER, 123, 123, ntp(0x23, 0, 6, -20, [0, 0, 0, 0], []).subarray(0, 20)),
    // a kiss-o'-death (stratum 0, "RATE"), a key ID + MD5 digest (68 bytes), 8 unknown bytes more
    u(SERVER, CLIENT, 123, 123, ntp(0xe4, 0, 4, -25, [0x52, 0x41, 0x54, 0x45], [[0, 0], [t0, 5], [t0, 9], [t0, 9]])),
    u(CLIENT, SERVER, 123, 123, Uint8Array.from([...ntp(0x1b, 0, 4, -6, [0, 0, 0, 0], [[0, 0], [0, 0], [0, 0], [t0, 7]]), 0, 0, 0, 1, ...new Array<number>(16).fill(0xab)])),
    u(CLIENT, SERVER, 123, 123, Uint8Array.from([...ntp(0x21, 2, 250, -10, [1, 2, 3, 4], [[t0 + 5, 0xffffffff], [t0 + 5, 0xfffffff0], [t0 + 4, 0xffffffff], [t0 + 6, 1]]), 1, 2, 3, 4, 5, 6, 7, 8])),
    u(CLIENT, SERVER, 123, 123, Uint8Array.from([0x36, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4, 0x61, 0x62, 0x63, 0x64])),
  ];
}

export function ssdpSamples(): Sample[] {
  const u = (src: string, dst: string, sport: number, dport: number, s: string): Sample => ({ frame: udpFrame({ src, dst, sport, dport, payload: enc.encode(s) }) });
  return [
    u('192.168.1.10', '239.255.255.250', 50000, 1900, 'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n'),
    u('192.168.1.20', '239.255.255.250', 1900, 1900, 'NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nLOCATION: http://192.168.1.20:80/desc.xml\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n'),
    u('192.168.1.20', '192.168.1.10', 1900, 50000, 'HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n'),
    u('192.168.1.20', '239.255.255.250', 1900, 1900, 'binary\x01data'),
  ];
}

export function mdnsSamples(): Sample[] {
  const u = (src: string, dst: string, payload: Uint8Array): Sample => ({ frame: udpFrame({ src, dst, sport: 5353, dport: 5353, payload }) });
  return [
    u('192.168.1.10', '224.0.0.251', dnsMessage({ id: 0, flags: 0, qd: [{ name: '_googlecast._tcp.local', type: 12, cls: 0x8001 }] })),
    u('192.168.1.20', '224.0.0.251', dnsMessage({ id: 0, flags: 0x8400, an: [{ name: 'tv.local', type: 1, cls: 0x8001, ttl: 120, rdata: [192, 168, 1, 20] }] })),
    u('192.168.1.10', '224.0.0.251', dnsMessage({ id: 0, flags: 0, qd: [{ name: 'printer.local', type: 1 }] })),
  ];
}
