/**
 * "Sockets at this packet": from a capture run through the TCP engine, the table `netstat -nat`
 * would have printed on each host right after packet N — both ends' states come from the engine
 * (the same RFC 9293 machine as the capture's state lenses), so a reader of a netstat tutorial can
 * put the two views side by side. Only what a capture can know: no queue sizes (netstat's Recv-Q
 * and Send-Q are the hosts' buffers, which a capture does not see: shown as "-"), a CLOSED side
 * has no row, and a listener is assumed on every server port that completed a handshake.
 * TIME_WAIT rows older than 60 s (Linux's TCP_TIMEWAIT_LEN) at packet N's time are left out, as
 * the kernel would have removed them.
 */
import { emptyResult, S_CLOSED, S_LISTEN, S_TIME_WAIT, S_SYN_SENT, type ConnectionSummary } from '../tcp/types';
import type { TcpEngine } from '../tcp/engine';
import { socketsAtPacketTitle } from '../explain/sockets';
import type { Translate } from '../explain/l10n';

/** netstat's spelling of each S_* state (Linux net-tools). */
export const NETSTAT_WORDS = [
  'CLOSE',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'CLOSING',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
] as const;

/** Linux keeps a socket in TIME_WAIT for 60 s. */
export const TIME_WAIT_SEC = 60;

export interface CaptureSocket {
  local: { addr: string; port: number };
  peer: { addr: string; port: number } | null;
  state: number;
  /** The connection (stream) this socket belongs to; -1 for a listener. */
  stream: number;
}

export interface HostSockets {
  addr: string;
  sockets: CaptureSocket[];
}

export interface SocketsAtPacket {
  packet: number;
  hosts: HostSockets[];
  /** TIME_WAIT sockets left out because their 60 s had passed. */
  expired: number;
}

/**
 * Sockets at packet `at` (0-based index). `times`: seconds of each packet, as an array or a
 * function of the index (the editor's index keeps its times in columns, and an array of 8 bytes a
 * packet would cost 80 MB for 10 M packets); optional, without it no TIME_WAIT expires. Only
 * differences between times are used, so relative times do. The engine must be finished (its
 * rows are final then).
 */
export function socketsAtPacket(
  engine: TcpEngine,
  summaries: readonly ConnectionSummary[],
  at: number,
  times?: ArrayLike<number> | ((i: number) => number),
): SocketsAtPacket {
  const timeOf = times === undefined ? undefined : typeof times === 'function' ? times : (i: number) => times[i];
  const last = new Map<number, { client: number; server: number; time: number }>();
  const r = emptyResult();
  const n = Math.min(at, engine.packetCount - 1);
  for (let i = 0; i <= n; i++) {
    if (!engine.resultInto(i, r)) continue;
    last.set(r.stream, { client: r.clientState, server: r.serverState, time: timeOf ? timeOf(i) : 0 });
  }
  // a packet after the last TCP one (a UDP or ARP packet the user selected) sees the last TCP
  // states, and the clock of its own time
  const now = timeOf && at >= 0 ? timeOf(at) : 0;
  const byHost = new Map<string, CaptureSocket[]>();
  const add = (addr: string, s: CaptureSocket): void => {
    const list = byHost.get(addr);
    if (list) list.push(s);
    else byHost.set(addr, [s]);
  };
  const listeners = new Set<string>();
  let expired = 0;
  for (const sum of summaries) {
    const st = last.get(sum.stream);
    if (!st) continue;
    const key = sum.server.addr + ' ' + sum.server.port;
    // the server listened unless the engine found nobody there (a refused SYN)
    if (!listeners.has(key) && (st.server !== S_CLOSED || st.client !== S_SYN_SENT)) {
      if (sum.connState !== 'REJ') {
        listeners.add(key);
        add(sum.server.addr, { local: sum.server, peer: null, state: S_LISTEN, stream: -1 });
      }
    }
    const sides: [number, { addr: string; port: number }, { addr: string; port: number }][] = [
      [st.client, sum.client, sum.server],
      [st.server, sum.server, sum.client],
    ];
    for (const [state, local, peer] of sides) {
      if (state === S_CLOSED || state === S_LISTEN) continue;
      if (state === S_TIME_WAIT && timeOf && now - st.time > TIME_WAIT_SEC) {
        expired++;
        continue;
      }
      add(local.addr, { local, peer, state, stream: sum.stream });
    }
  }
  const hosts = [...byHost.entries()].map(([addr, sockets]) => ({
    addr,
    sockets: sockets.sort((a, b) => (a.state === S_LISTEN ? 0 : 1) - (b.state === S_LISTEN ? 0 : 1)),
  }));
  return { packet: Math.max(at, 0), hosts, expired };
}

function ep(a: { addr: string; port: number }): string {
  return a.addr + ':' + a.port;
}

function wildcard(addr: string): string {
  return addr.indexOf(':') >= 0 ? ':::*' : '0.0.0.0:*';
}

/** One host's sockets in netstat -nat's layout (which the sockets parser reads back). */
export function netstatLines(h: HostSockets): string[] {
  const out = ['Proto Recv-Q Send-Q Local Address           Foreign Address         State      '];
  for (const s of h.sockets) {
    const proto = s.local.addr.indexOf(':') >= 0 ? 'tcp6' : 'tcp ';
    const local = ep(s.local).padEnd(23);
    const peer = (s.peer ? ep(s.peer) : wildcard(s.local.addr)).padEnd(23);
    out.push(proto + '       -      - ' + local + ' ' + peer + ' ' + NETSTAT_WORDS[s.state]);
  }
  return out;
}

/** The whole text: per host its title and table, then what is not shown (CLI and editor). */
export function socketsAtPacketText(s: SocketsAtPacket, t: Translate): string[] {
  const lines: string[] = [];
  for (const h of s.hosts) lines.push(socketsAtPacketTitle(s.packet + 1, h.addr, t), ...netstatLines(h), '');
  if (s.hosts.length === 0) lines.push(t('No TCP connection has started by packet {0}.', s.packet + 1));
  if (s.expired > 0) lines.push(t('{0} sockets had left TIME_WAIT (60 s) by then.', s.expired));
  return lines;
}
