/**
 * The addresses of a packet line ("src > dst: "), split into hosts and ports once a flow, and
 * what follows them: TCP (tcp.ts), "tcp N" (-q), UDP, ICMP, or another protocol's text. Flows
 * and conversations are remembered per parse in `Flows` (the run's Scanner owns one).
 */

import * as M from './model';
import type { TextPacket } from './model';
import { isDigit, isHex, isHostChar, NOT_PACKET, PACKET, UNREADABLE } from './lexer';
import type { Lexer } from './lexer';
import type { Scanner } from './scanner';
import { NO_ENDPOINTS } from './store';
import type { Endpoints, TextPacketImpl } from './store';
import { servicePort } from './services';
import { scanTcp, tail } from './tcp';

/** The flows a parse has seen. */
export class Flows {
  /** Address parts already split, by flow text (with / without ports). */
  epPorts = new Map<string, Endpoints>();
  epNoPorts = new Map<string, Endpoints>();
  /** conversation number and direction by flow text */
  convs = new Map<string, { conv: number; dir: number }>();
  // the last two flows: consecutive packets mostly alternate between the two directions of one connection
  lastFlow1 = '';
  lastPorts1 = false;
  lastEp1: Endpoints = NO_ENDPOINTS;
  lastFlow2 = '';
  lastPorts2 = false;
  lastEp2: Endpoints = NO_ENDPOINTS;
}

/**
 * "src > dst: …" from i. `committed`: the front of the line already says packet (a time stamp,
 * a number, IP/IP6), so failing here makes the line unreadable rather than prose.
 */
export function scanAddresses(sc: Scanner, p: TextPacket, i: number, committed: boolean): number {
  const s = sc.s;
  const n = s.length;
  const line = sc.line;
  const sp = sc.sp;
  p.addrLine = line;
  // source token (its characters are checked once per flow, in splitHostPort)
  let e = s.indexOf(' ', i);
  if (e < 0) e = n;
  if (e > i && !s.startsWith(' > ', e)) {
    // "addr.port >" glued or a stray character: fall back to the character class
    e = i;
    while (e < n && isHostChar(s.charCodeAt(e))) e++;
  }
  if (e === i || !s.startsWith(' > ', e)) {
    if (e === n && e > i && !sc.validToken(i, e)) e = i;
    if (!committed) return NOT_PACKET;
    // tcpdump's own notes after "IP ": "[total length …] (invalid)", " [|ip]", "bad-len 0" (4.99.3), …
    if (p.proto !== '' && (s.charCodeAt(i) === 91 || s.charCodeAt(i) === 32 || s.startsWith('bad-len ', i) || s.startsWith('truncated-ip', i))) {
      p.problem = s.slice(i).trim();
      p.app = s.slice(i);
      p.truncated = s.indexOf('[|', i) >= 0;
      return PACKET;
    }
    if (e >= n) {
      if (e > i) {
        (p as TextPacketImpl).ep = { ...NO_ENDPOINTS, srcHost: s.slice(i, e), id: -1 };
        p.cutShort = true;
        return PACKET;
      }
    }
    sc.reason = e === i ? 'no source address where the line should have one' : 'no " > " after the source address';
    return UNREADABLE;
  }
  const srcA = i;
  const srcB = e;
  const dstA = e + 3;
  let f = s.indexOf(' ', dstA);
  if (f < 0) f = n;
  let dstB = f;
  let colon = false;
  if (dstB > dstA && s.charCodeAt(dstB - 1) === 58) {
    colon = true;
    dstB--;
  }
  if (dstB === dstA) {
    if (!committed) return NOT_PACKET;
    sc.reason = 'no destination address';
    return UNREADABLE;
  }
  if (!committed && !sc.looksLikeHost(srcA, srcB)) return NOT_PACKET;
  let k = f + 1; // after ": "
  const restStart = k;
  // what follows decides whether names carry ports
  const flagsNext = colon && s.startsWith('Flags [', k);
  if (!knownFlow(sc, srcA, dstB) && (!sc.validToken(srcA, srcB) || !sc.validToken(dstA, dstB))) {
    if (!committed) return NOT_PACKET;
    sc.reason = 'the addresses are not readable';
    return UNREADABLE;
  }
  sp.add(M.F_ARROW, line, srcB + 1, srcB + 2);
  const truncNext = colon && (s.startsWith('[|tcp]', k) || s.startsWith(' [|tcp]', k) || s.startsWith(' [|tcp]', k - 1));
  const tcpish = flagsNext || truncNext || (colon && (s.startsWith('tcp ', k) || s.startsWith('UDP', k)));
  splitHostPort(sc, p, srcA, srcB, dstA, dstB, tcpish || !colon);
  if (!colon) {
    // "IP a.b > c.d" pasted without the rest
    p.cutShort = true;
    if (p.sport >= 0 || p.srcPortText !== '') p.l4 = 'tcp';
    if (f < n) tail(sc, p, f);
    return PACKET;
  }
  if (k > n) k = n;
  if (flagsNext) {
    p.l4 = 'tcp';
    scanTcp(sc, p, k);
  } else if (s.startsWith('tcp ', k)) {
    p.l4 = 'tcp';
    p.quietLength = sc.uint(s, k + 4);
    sp.add(M.F_QUIET_LENGTH, line, k, sc.end);
    tail(sc, p, sc.end);
  } else if (truncNext) {
    p.l4 = 'tcp';
    p.truncated = true;
    const a = s.indexOf('[|tcp]', k - 1);
    sp.add(M.F_TRUNC, line, a, a + 6);
    tail(sc, p, a + 6);
  } else if (s.startsWith('UDP, ', k) || s.startsWith('UDP ', k)) {
    p.l4 = 'udp';
    sp.add(M.F_L4_PROTO, line, k, k + 3);
    const l = s.indexOf('length ', k);
    if (l >= 0) {
      p.length = sc.uint(s, l + 7);
      if (p.length >= 0) {
        sp.add(M.F_LENGTH, line, l, sc.end);
        tail(sc, p, sc.end);
      }
    }
  } else if (s.startsWith('ICMP6', k)) {
    p.l4 = 'icmp6';
    sp.add(M.F_L4_PROTO, line, k, k + 5);
    appRest(sc, p, k);
  } else if (s.startsWith('ICMP', k)) {
    p.l4 = 'icmp';
    sp.add(M.F_L4_PROTO, line, k, k + 4);
    appRest(sc, p, k);
  } else {
    // application decoders (DNS over UDP, …) or other protocols
    p.l4 = 'other';
    appRest(sc, p, restStart);
  }
  return PACKET;
}

function appRest(sc: Scanner, p: TextPacket, k: number): void {
  const s = sc.s;
  if (k < s.length) {
    p.app = s.slice(k);
    sc.sp.add(M.F_APP, sc.line, k, s.length);
  }
}

/** s[a, b) is a flow already seen (so its characters were checked). */
function knownFlow(sc: Scanner, a: number, b: number): boolean {
  const s = sc.s;
  const l1 = sc.flows.lastFlow1;
  if (l1.length === b - a && s.startsWith(l1, a)) return true;
  const l2 = sc.flows.lastFlow2;
  return l2.length === b - a && s.startsWith(l2, a);
}

function splitHostPort(sc: Scanner, p: TextPacket, sa: number, sb: number, da: number, db: number, portsLikely: boolean): void {
  const s = sc.s;
  const flow = s.slice(sa, db);
  let ep: Endpoints | undefined;
  // consecutive packets mostly alternate between the two directions of one connection
  if (flow === sc.flows.lastFlow1 && portsLikely === sc.flows.lastPorts1) ep = sc.flows.lastEp1;
  else if (flow === sc.flows.lastFlow2 && portsLikely === sc.flows.lastPorts2) ep = sc.flows.lastEp2;
  else {
    ep = flowEndpoints(sc, flow, s, sa, sb, da, db, portsLikely);
    sc.flows.lastFlow2 = sc.flows.lastFlow1;
    sc.flows.lastPorts2 = sc.flows.lastPorts1;
    sc.flows.lastEp2 = sc.flows.lastEp1;
    sc.flows.lastFlow1 = flow;
    sc.flows.lastPorts1 = portsLikely;
    sc.flows.lastEp1 = ep;
  }
  (p as TextPacketImpl).ep = ep;
  const line = sc.line;
  if (ep.ks >= 0) {
    sc.sp.add(M.F_SRC_HOST, line, sa, sa + ep.ks);
    sc.sp.add(M.F_SRC_PORT, line, sa + ep.ks + 1, sb);
    sc.sp.add(M.F_DST_HOST, line, da, da + ep.kd);
    sc.sp.add(M.F_DST_PORT, line, da + ep.kd + 1, db);
  } else {
    sc.sp.add(M.F_SRC_HOST, line, sa, sb);
    sc.sp.add(M.F_DST_HOST, line, da, db);
  }
  if (p.ipVersion === 0) p.ipVersion = ep.srcHost.indexOf(':') >= 0 ? 6 : 4;
}

/** The endpoints of flow text s[sa, db) (= `flow`; source s[sa, sb), destination s[da, db)), made once a flow. */
export function flowEndpoints(sc: Scanner, flow: string, s: string, sa: number, sb: number, da: number, db: number, portsLikely: boolean): Endpoints {
  const cache = portsLikely ? sc.flows.epPorts : sc.flows.epNoPorts;
  let ep = cache.get(flow);
  if (ep === undefined) {
    ep = endpoints(sc, s.slice(sa, sb), s.slice(da, db), portsLikely);
    cache.set(flow, ep);
    // conversation: shared with the reverse flow
    const rev = flow.slice(sb - sa + 3) + ' > ' + flow.slice(0, sb - sa);
    const other = sc.flows.convs.get(rev);
    if (other !== undefined) {
      ep.conv = other.conv;
      ep.dir = other.dir ^ 1;
    } else {
      const mine = sc.flows.convs.get(flow);
      ep.conv = mine !== undefined ? mine.conv : sc.flows.convs.size;
      ep.dir = mine !== undefined ? mine.dir : 0;
    }
    if (!sc.flows.convs.has(flow)) sc.flows.convs.set(flow, { conv: ep.conv, dir: ep.dir });
  }
  return ep;
}

function endpoints(lx: Lexer, src: string, dst: string, portsLikely: boolean): Endpoints {
  const ks = portSplit(src);
  const kd = portSplit(dst);
  // numeric tokens decide; names follow the protocol
  const srcNum = numericKind(src);
  const dstNum = numericKind(dst);
  let ports = portsLikely;
  if (srcNum === 2 || dstNum === 2) ports = true;
  else if ((srcNum === 1 && dstNum !== 0) || (dstNum === 1 && srcNum !== 0)) ports = false;
  let ep: Endpoints;
  if (ports && ks > 0 && kd > 0) {
    const spt = src.slice(ks + 1);
    const dpt = dst.slice(kd + 1);
    ep = { srcHost: src.slice(0, ks), dstHost: dst.slice(0, kd), srcPortText: spt, dstPortText: dpt, sport: portNumber(lx, spt), dport: portNumber(lx, dpt), numericHosts: false, ks, kd, srcLen: src.length, conv: -1, dir: 0, flow: src + ' > ' + dst, srcNum: NaN, dstNum: NaN, id: -1 };
  } else {
    ep = { srcHost: src, dstHost: dst, srcPortText: '', dstPortText: '', sport: -1, dport: -1, numericHosts: false, ks: -1, kd: -1, srcLen: src.length, conv: -1, dir: 0, flow: src + ' > ' + dst, srcNum: NaN, dstNum: NaN, id: -1 };
  }
  ep.numericHosts = isNumericHost(ep.srcHost) && isNumericHost(ep.dstHost);
  return ep;
}

/** Index of the '.' that separates the port, or -1. */
function portSplit(tok: string): number {
  const k = tok.lastIndexOf('.');
  return k > 0 && k < tok.length - 1 ? k : -1;
}

/** 0: a name; 1: numeric address without port; 2: numeric address with a port. */
function numericKind(tok: string): number {
  if (tok.indexOf(':') >= 0) {
    // IPv6: hex groups; dots: 0 → no port; 1 → port; 3 → embedded IPv4 no port; 4 → port
    let dots = 0;
    for (let i = 0; i < tok.length; i++) {
      const c = tok.charCodeAt(i);
      if (c === 46) dots++;
      else if (!(isHex(c) || c === 58 || c === 37)) return 0;
    }
    return dots === 1 || dots === 4 ? 2 : dots === 0 || dots === 3 ? 1 : 0;
  }
  let dots = 0;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (c === 46) dots++;
    else if (!isDigit(c)) return dots === 4 ? 2 : 0; // "1.2.3.4.http"
  }
  return dots === 4 ? 2 : dots === 3 ? 1 : 0;
}

function isNumericHost(h: string): boolean {
  if (h.indexOf(':') >= 0) {
    for (let i = 0; i < h.length; i++) {
      const c = h.charCodeAt(i);
      if (!(isHex(c) || c === 58 || c === 46)) return false;
    }
    return true;
  }
  let dots = 0;
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c === 46) dots++;
    else if (!isDigit(c)) return false;
  }
  return dots === 3;
}

function portNumber(lx: Lexer, t: string): number {
  const v = lx.uint(t, 0);
  if (v >= 0 && lx.end === t.length) return v <= 65535 ? v : -1;
  return servicePort(t);
}
