/**
 * A capture that looks like a real host's traffic, for the benchmark (beside conversations.ts,
 * whose 10,000 clients 10.0.x.y and servers 192.168.x.y all share the first two octets):
 *  - a LAN (192.168.1.0/24, 200 hosts) talking to ~5,000 servers spread over the IPv4 space, and
 *    ~20,000 outside clients talking to one server of the LAN (192.168.1.10);
 *  - ephemeral ports as Linux hands them out (32768–60999, each client counting up from its own start);
 *  - TLS (443, ~60 % of connections: hello, certificate flight, application records of many sizes),
 *    HTTP/1.1 (80: a text request, a response head then body segments), SSH (22: banners, key
 *    exchange, many small interactive packets), DNS over UDP (53: queries and answers, ~1 exchange in 4);
 *  - Linux's SYN options (mss, sackOK, TS, nop, wscale), nop,nop,TS on every later segment, one ACK
 *    per two full segments, FIN teardowns by either side, ~5 % resets, ~0.3 % of data segments sent
 *    again later (retransmissions).
 * Pure and deterministic for a seed; frames are built with frames.ts.
 */
import { TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN } from '../decode/packet';
import { prng, type SynthPacket } from './conversations';
import { opt, tcpFrame, udpFrame } from './frames';
import { concatBytes } from './writers';

export interface RealisticPlan {
  /** Packets to yield (exactly). */
  packets: number;
  seed?: number;
  startSec?: number;
  /** Connections open at once (default 300). */
  concurrency?: number;
}

const MSS = 1448;
const LAN_HOSTS = 200;
const OUR_SERVER = '192.168.1.10';
const RESOLVER = '192.168.1.1';
const GATEWAY_MAC = '00:1a:2b:3c:4d:5e';
const DNS_NAMES = [
  'www.example.com', 'api.github.com', 'fonts.gstatic.com', 'update.debian.org', 'cdn.jsdelivr.net', 'mail.example.org',
  'login.microsoftonline.com', 'www.wikipedia.org', 'ocsp.digicert.com', 'time.cloudflare.com', 'registry.npmjs.org', 'static.example.net',
];
const HTTP_PATHS = ['/', '/index.html', '/api/v1/items?page=2', '/static/app.js', '/images/logo.png', '/favicon.ico', '/feed.xml'];
const AGENTS = ['curl/7.88.1', 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', 'Wget/1.21.3', 'python-requests/2.31.0'];

/** One endpoint pair of a connection, and what each side sends next. */
interface Side {
  ip: string;
  port: number;
  mac: string;
  seq: number;
  ts: number;
  win: number;
  ttl: number;
  ipId: number;
}

/** A connection (or a DNS exchange): a generator of frames, advanced one packet at a time. */
type Flow = Generator<Uint8Array, void, void>;

export function* realisticTraffic(plan: RealisticPlan): Generator<SynthPacket> {
  const rnd = prng(plan.seed ?? 11);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  // a skewed size: mostly small, sometimes large (a log-uniform draw)
  const size = (lo: number, hi: number): number => Math.round(lo * Math.pow(hi / lo, rnd() * rnd()));
  // public addresses: first octet from the unicast space without 10, 127, 169, 172 and 192
  const publicIp = (): string => {
    let a = int(1, 223);
    while (a === 10 || a === 127 || a === 169 || a === 172 || a === 192) a = int(1, 223);
    return `${a}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  };
  const servers = Array.from({ length: 5000 }, publicIp);
  const outside = Array.from({ length: 20000 }, publicIp);
  const nextPort = new Map<string, number>();
  const ephemeral = (ip: string): number => {
    let p = nextPort.get(ip) ?? int(32768, 60999);
    p += int(1, 7);
    if (p > 60999) p = 32768 + (p - 61000);
    nextPort.set(ip, p);
    return p;
  };
  const lanMac = (host: number): string => `52:54:00:12:${(host >> 8).toString(16).padStart(2, '0')}:${(host & 255).toString(16).padStart(2, '0')}`;
  // payload bytes: views into one random pool (encrypted records, compressed bodies)
  const pool = new Uint8Array(1 << 17);
  for (let i = 0; i < pool.length; i++) pool[i] = Math.floor(rnd() * 256);
  const random = (n: number): Uint8Array => {
    const o = int(0, pool.length - n - 1);
    return pool.subarray(o, o + n);
  };
  const text = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

  function side(ip: string, port: number, mac: string): Side {
    return { ip, port, mac, seq: Math.floor(rnd() * 0xffffffff), ts: int(1, 0x7fffffff), win: int(500, 2000), ttl: pick([64, 63, 57, 52, 118, 128]), ipId: int(0, 65535) };
  }

  function seg(from: Side, to: Side, flags: number, payload?: Uint8Array, options?: number[]): Uint8Array {
    from.ts = (from.ts + int(0, 40)) >>> 0;
    from.ipId = (from.ipId + 1) & 0xffff;
    const f = tcpFrame({
      src: from.ip, dst: to.ip, sport: from.port, dport: to.port, seq: from.seq, ack: flags & TH_ACK ? to.seq : 0, flags,
      win: from.win, ttl: from.ttl, ipId: from.ipId, srcMac: from.mac, dstMac: to.mac,
      options: options ?? [...opt.nop(), ...opt.nop(), ...opt.ts(from.ts, to.ts)], payload,
    });
    from.seq = (from.seq + (payload?.length ?? 0) + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    return f;
  }

  /** `bytes` from `from` to `to` in segments of at most MSS, the receiver acknowledging every second one. */
  function* send(from: Side, to: Side, bytes: number, head?: Uint8Array): Flow {
    let sent = 0;
    let unacked = 0;
    while (sent < bytes) {
      const n = Math.min(MSS, bytes - sent);
      const payload = sent === 0 && head ? (head.length >= n ? head.subarray(0, n) : concatBytes([head, random(n - head.length)])) : random(n);
      const seq = from.seq;
      const frame = seg(from, to, TH_ACK | (sent + n >= bytes ? TH_PUSH : 0), payload);
      yield frame;
      // a retransmission: the same segment again a little later (its ACK comes after)
      if (rnd() < 0.003) {
        const again = from.seq;
        from.seq = seq;
        yield seg(from, to, TH_ACK | (sent + n >= bytes ? TH_PUSH : 0), payload);
        from.seq = again;
      }
      sent += n;
      if (++unacked >= 2 || sent >= bytes) {
        yield seg(to, from, TH_ACK);
        unacked = 0;
      }
    }
  }

  function* tcp(c: Side, s: Side, kind: 'tls' | 'http' | 'ssh'): Flow {
    const synOpts = (a: Side, b: Side): number[] => [...opt.mss(1460), ...opt.sackOk(), ...opt.ts(a.ts, a === c ? 0 : b.ts), ...opt.nop(), ...opt.wscale(7)];
    c.win = 64240;
    yield seg(c, s, TH_SYN, undefined, synOpts(c, s));
    s.win = 65160;
    yield seg(s, c, TH_SYN | TH_ACK, undefined, synOpts(s, c));
    c.win = int(500, 502);
    s.win = int(500, 509);
    yield seg(c, s, TH_ACK);
    if (kind === 'http') {
      for (let r = int(1, 4); r > 0; r--) {
        const req = text(`GET ${pick(HTTP_PATHS)} HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: ${pick(AGENTS)}\r\nAccept: */*\r\n\r\n`);
        yield* send(c, s, req.length, req);
        const body = size(200, 200_000);
        const head = text(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body}\r\nServer: nginx\r\n\r\n`);
        yield* send(s, c, head.length + body, head);
      }
    } else if (kind === 'tls') {
      yield* send(c, s, 517, tlsRecord(22, 512));
      yield* send(s, c, int(2800, 4600), tlsRecord(22, 2700));
      yield* send(c, s, int(64, 126), tlsRecord(20, 1));
      for (let r = int(1, 12); r > 0; r--) {
        yield* send(c, s, size(40, 1400), tlsRecord(23, 36));
        yield* send(s, c, size(40, 300_000), tlsRecord(23, 1400));
      }
    } else {
      yield* send(c, s, 32, text('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
      yield* send(s, c, 41, text('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.4\r\n'));
      yield* send(c, s, int(1400, 1600));
      yield* send(s, c, int(1000, 1200));
      for (let r = int(5, 80); r > 0; r--) {
        // interactive: a keystroke (36 bytes of ciphertext) and its echo
        yield* send(c, s, 36);
        yield* send(s, c, pick([36, 44, 52, 100, 380]));
      }
    }
    const end = rnd();
    if (end < 0.05) {
      const [a, b] = rnd() < 0.5 ? [c, s] : [s, c];
      yield seg(a, b, TH_RST | TH_ACK);
      return;
    }
    const [a, b] = end < 0.55 ? [c, s] : [s, c];
    yield seg(a, b, TH_FIN | TH_ACK);
    yield seg(b, a, TH_FIN | TH_ACK);
    yield seg(a, b, TH_ACK);
  }

  function* dns(client: string, port: number): Flow {
    const id = int(0, 65535);
    const name = pick(DNS_NAMES);
    const aaaa = rnd() < 0.3;
    const q = dnsQuery(id, name, aaaa ? 28 : 1);
    yield udpFrame({ src: client, dst: RESOLVER, sport: port, dport: 53, payload: q, ttl: 64, ipId: int(0, 65535) });
    yield udpFrame({ src: RESOLVER, dst: client, sport: 53, dport: port, payload: dnsAnswer(q, aaaa, int(1, 3), rnd), ttl: 64, ipId: int(0, 65535) });
  }

  function start(): Flow {
    const r = rnd();
    // LAN hosts 2..201 but our server's 10
    let host = int(2, LAN_HOSTS + 1);
    if (host === 10) host = LAN_HOSTS + 2;
    const lan = `192.168.1.${host}`;
    if (r < 0.25) return dns(lan, ephemeral(lan));
    const kind = r < 0.7 ? 'tls' : r < 0.85 ? 'http' : 'ssh';
    const port = kind === 'tls' ? 443 : kind === 'http' ? 80 : 22;
    if (rnd() < 0.6) {
      // a LAN host to a server outside
      return tcp(side(lan, ephemeral(lan), lanMac(host)), side(pick(servers), port, GATEWAY_MAC), kind);
    }
    // a client outside to our server
    const ip = pick(outside);
    return tcp(side(ip, ephemeral(ip), GATEWAY_MAC), side(OUR_SERVER, port, lanMac(10)), kind);
  }

  const active: Flow[] = [];
  const concurrency = plan.concurrency ?? 300;
  let sec = plan.startSec ?? 1_700_000_000;
  let nsec = 0;
  let n = 0;
  while (n < plan.packets) {
    while (active.length < concurrency) active.push(start());
    const k = Math.floor(rnd() * active.length);
    const next = active[k].next();
    if (next.done) {
      active[k] = active[active.length - 1];
      active.pop();
      continue;
    }
    nsec += int(1_000, 60_000);
    if (nsec >= 1e9) {
      sec += Math.floor(nsec / 1e9);
      nsec %= 1e9;
    }
    n++;
    yield { tsSec: sec, tsNsec: nsec, frame: next.value };
  }
}

/** The first bytes of a TLS 1.2 record: content type, version 3.3, length. */
function tlsRecord(type: number, length: number): Uint8Array {
  return Uint8Array.from([type, 3, 3, length >> 8, length & 255]);
}

function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) out.push(label.length, ...Array.from(label, (c) => c.charCodeAt(0)));
  out.push(0);
  return out;
}

/** A recursive query for `name`, type A (1) or AAAA (28). */
function dnsQuery(id: number, name: string, type: number): Uint8Array {
  return Uint8Array.from([id >> 8, id & 255, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...dnsName(name), 0, type, 0, 1]);
}

/** The answer to `q`: `count` records of its type, the name compressed (a pointer to offset 12). */
function dnsAnswer(q: Uint8Array, aaaa: boolean, count: number, rnd: () => number): Uint8Array {
  const out = Array.from(q);
  out[2] = 0x81;
  out[3] = 0x80;
  out[7] = count;
  for (let i = 0; i < count; i++) {
    const ttl = Math.floor(rnd() * 3600);
    const data = aaaa ? [0x26, 0x06, 0x47, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x68, 0x12, Math.floor(rnd() * 256), Math.floor(rnd() * 256)] : [93, 184, Math.floor(rnd() * 256), Math.floor(rnd() * 256)];
    out.push(0xc0, 12, 0, aaaa ? 28 : 1, 0, 1, ttl >>> 24, (ttl >> 16) & 255, (ttl >> 8) & 255, ttl & 255, 0, data.length, ...data);
  }
  return Uint8Array.from(out);
}
