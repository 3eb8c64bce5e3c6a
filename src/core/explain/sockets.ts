/**
 * Explanations of netstat / ss / lsof output (src/core/sockets parses and diagnoses it): the
 * state of a socket row (the capture's RFC 9293 story of src/core/explain/tcp.ts, then which side
 * is in it, how long it lasts and the kernel setting that governs it), the queues (and their other
 * meaning on a LISTEN line), the ss -i internals, the findings with their advice, and the words of
 * the summary and snapshot-difference lenses. Localised like the rest of src/core/explain: every
 * t() takes a string literal, the English template is the zh-cn bundle's key.
 *
 * Longer than our 600-line guide: it is a catalogue (one t() sentence per state, queue, ss -i field
 * and finding, about 150 in all); split by topic it would scatter what a translator reads in one go.
 */
import {
  S_CLOSED,
  S_CLOSE_WAIT,
  S_CLOSING,
  S_ESTABLISHED,
  S_FIN_WAIT_1,
  S_FIN_WAIT_2,
  S_LAST_ACK,
  S_LISTEN,
  S_SYN_RCVD,
  S_SYN_SENT,
  S_TIME_WAIT,
  TCP_STATES,
} from '../tcp/types';
import type { Finding, SnapshotDiff, SnapshotSummary } from '../sockets/diagnose';
import type { SocketRow, Span } from '../sockets/parse';
import { clip, type Explanation } from './explanation';
import type { Translate } from './l10n';
import { explainPort, WELL_KNOWN_PORTS } from './net';
import { explainState } from './tcp';

/** Which side is in a state, how it got there, how long it stays and what governs it. */
export function stateLifeSentences(state: number, t: Translate): string[] {
  switch (state) {
    case S_LISTEN:
      return [
        t('The server side, after socket(), bind() and listen(); it stays until the program closes the socket.'),
        t(
          'Completed connections wait in its accept queue until the program calls accept(); the queue is limited by the listen() backlog, capped by net.core.somaxconn.',
        ),
      ];
    case S_SYN_SENT:
      return [
        t('The connecting (client) side, right after connect() sent the SYN.'),
        t(
          'Normally it lasts one round trip; without an answer the SYN is sent again net.ipv4.tcp_syn_retries times (6 by default: about 127 s) before connect() fails.',
        ),
      ];
    case S_SYN_RCVD:
      return [
        t('The listening (server) side, after a SYN arrived and it answered with SYN+ACK; netstat calls it SYN_RECV.'),
        t(
          'Normally it lasts one round trip; without the final ACK the SYN+ACK is resent net.ipv4.tcp_synack_retries times (5 by default: about 63 s). These entries are limited by net.ipv4.tcp_max_syn_backlog and the listen() backlog; with net.ipv4.tcp_syncookies the server keeps answering when that queue is full.',
        ),
      ];
    case S_ESTABLISHED:
      return [
        t(
          'Both sides, once the three-way handshake is done; it lasts as long as the connection is open. Idle connections are only probed when the program enabled keep-alive (net.ipv4.tcp_keepalive_time, 7200 s by default).',
        ),
      ];
    case S_FIN_WAIT_1:
      return [
        t(
          'The side that closed first (the active close): its program called close() or shutdown() and the FIN is on its way.',
        ),
        t(
          'Normally it lasts one round trip; it stays longer when data is still queued in front of the FIN or the peer does not answer. A closed socket gives up after net.ipv4.tcp_orphan_retries retransmissions.',
        ),
      ];
    case S_FIN_WAIT_2:
      return [
        t('The side that closed first, once the peer acknowledged its FIN; it now waits for the peer\'s FIN.'),
        t(
          'A socket the program has closed waits at most net.ipv4.tcp_fin_timeout (60 s by default); one only shut down for writing waits as long as the peer keeps its side open.',
        ),
      ];
    case S_CLOSING:
      return [
        t(
          'Both sides closed at the same time; each waits for the acknowledgment of its FIN. It lasts one round trip; if it stays, the ACKs are being lost.',
        ),
      ];
    case S_TIME_WAIT:
      return [
        t(
          'The side that closed first, after the last ACK; on a busy client this is the connecting side, on a server that closes first the server.',
        ),
        t(
          'It lasts 60 s on Linux (fixed in the kernel, TCP_TIMEWAIT_LEN; net.ipv4.tcp_fin_timeout does not change it). net.ipv4.tcp_tw_reuse lets new outgoing connections reuse such a port, net.ipv4.tcp_max_tw_buckets caps their number.',
        ),
      ];
    case S_CLOSE_WAIT:
      return [
        t('The side that did not close first (the passive close): the peer\'s FIN arrived and was acknowledged.'),
        t(
          'It lasts until the program calls close(): the kernel has no timeout for it, so a socket stays here as long as the program forgets it.',
        ),
      ];
    case S_LAST_ACK:
      return [
        t(
          'The passive side, after its program called close() in CLOSE_WAIT: its FIN is sent and it waits for the last ACK. It lasts one round trip.',
        ),
      ];
    case S_CLOSED:
      return [t('Neither side: the socket is gone or not connected yet (Linux netstat prints CLOSE).')];
    default:
      return [];
  }
}

/** A state word of netstat / ss / lsof / Windows ("ESTAB", "SYN_RECV", "LISTENING"). */
export function explainSocketState(state: number, printed: string, t: Translate): Explanation {
  if (state < 0) {
    return {
      title: clip(printed, 24),
      text: [t('An unconnected UDP socket (ss prints UNCONN): UDP has no connection states.')],
      here: [],
    };
  }
  const base = explainState(state, t);
  const canonical = TCP_STATES[state];
  const here = stateLifeSentences(state, t);
  if (printed !== '' && printed.toUpperCase() !== canonical)
    here.push(t('{0} is how this tool prints {1}.', clip(printed, 24), canonical));
  return { title: base.title, text: base.text, here };
}

/** Recv-Q / Send-Q of a row (their meaning differs on a LISTEN line). */
export function explainQueue(which: 'recvq' | 'sendq', row: SocketRow, t: Translate): Explanation {
  const n = which === 'recvq' ? row.recvQ : row.sendQ;
  if (row.state === S_LISTEN) {
    if (which === 'recvq') {
      return {
        title: t('Recv-Q on a listening socket: {0}', n),
        text: [
          t(
            'On a LISTEN line Recv-Q is the accept queue: connections that completed the handshake and wait for the program to call accept().',
          ),
        ],
        here: [
          n > 0
            ? t('{0} connections are waiting: the program is slow to accept, or not accepting at all.', n)
            : t('Nobody is waiting: the program accepts as fast as connections arrive.'),
        ],
      };
    }
    return {
      title: t('Send-Q on a listening socket: {0}', n),
      text: [
        row.format === 'ss'
          ? t(
              'On a LISTEN line ss prints the accept queue\'s limit here: the listen() backlog, capped by net.core.somaxconn. Linux accepts one more than this number before it drops new handshakes.',
            )
          : t(
              'Linux netstat prints 0 here for a listening socket; ss -ltn shows the accept queue\'s limit in this column.',
            ),
      ],
      here: [],
    };
  }
  if (which === 'recvq') {
    return {
      title: t('Recv-Q: {0} bytes', n),
      text: [t('Bytes that arrived and were acknowledged, but that the program has not read yet.')],
      here: [
        n > 0
          ? t(
              'A value that stays or grows from one snapshot to the next means the program is not reading (blocked, busy or stuck); the peer will soon see a zero window.',
            )
          : t('Zero: the program reads everything that arrives.'),
      ],
    };
  }
  return {
    title: t('Send-Q: {0} bytes', n),
    text: [
      t(
        'Bytes the program wrote that the peer has not acknowledged yet (sent and in flight, or still waiting to be sent).',
      ),
    ],
    here: [
      row.state === S_SYN_SENT && n === 1
        ? t('In SYN_SENT the 1 is the SYN itself, waiting for its answer.')
        : n > 0
          ? t(
              'A value that stays or grows means the peer is not reading (its window is closed) or the path is losing packets.',
            )
          : t('Zero: everything sent has been acknowledged.'),
    ],
  };
}

/** What an ss -i / -m key means (one sentence; the value follows in the hover). */
function infoWhat(key: string, t: Translate): string {
  switch (key) {
    case 'rtt':
      return t('Smoothed round-trip time / its variation, in milliseconds.');
    case 'rto':
      return t('Retransmission timeout in milliseconds: how long the kernel waits for an ACK before sending again.');
    case 'ato':
      return t('Delayed-ACK timeout in milliseconds.');
    case 'minrtt':
      return t('The smallest round-trip time measured, in milliseconds.');
    case 'mss':
      return t('Maximum segment size used for sending, in bytes.');
    case 'pmtu':
      return t('Path MTU: the largest IP packet the path carries, in bytes.');
    case 'rcvmss':
      return t('The receiver\'s estimate of the peer\'s segment size, in bytes.');
    case 'advmss':
      return t('The MSS this side announced in its SYN, in bytes.');
    case 'cwnd':
      return t('Congestion window, in segments: how many unacknowledged segments may be in flight.');
    case 'ssthresh':
      return t(
        'Slow-start threshold, in segments: above it the congestion window grows slowly. Its presence means loss was seen at least once.',
      );
    case 'bytes_sent':
      return t('Bytes sent on this connection, retransmissions included.');
    case 'bytes_acked':
      return t('Bytes sent and acknowledged by the peer.');
    case 'bytes_received':
      return t('Bytes received from the peer.');
    case 'bytes_retrans':
      return t('Bytes sent again (retransmitted).');
    case 'segs_out':
      return t('Segments sent.');
    case 'segs_in':
      return t('Segments received.');
    case 'data_segs_out':
      return t('Segments sent that carried data.');
    case 'data_segs_in':
      return t('Segments received that carried data.');
    case 'send':
      return t('The sending rate the congestion window allows (cwnd × MSS / RTT).');
    case 'pacing_rate':
      return t('The rate at which the kernel spaces out the packets it sends.');
    case 'delivery_rate':
      return t('The rate at which data was recently delivered to the peer.');
    case 'lastsnd':
      return t('Milliseconds since the last data was sent.');
    case 'lastrcv':
      return t('Milliseconds since the last data was received.');
    case 'lastack':
      return t('Milliseconds since the last ACK was received.');
    case 'retrans':
      return t(
        'Retransmissions: segments not yet acknowledged that were sent again / all retransmissions of the connection.',
      );
    case 'lost':
      return t('Segments the kernel considers lost right now.');
    case 'sacked':
      return t('Segments the peer acknowledged selectively (SACK) beyond a gap.');
    case 'reordering':
      return t('How far out of order packets arrive, in segments (3 by default).');
    case 'reord_seen':
      return t('Times reordering was detected.');
    case 'dsack_dups':
      return t('Duplicate segments the peer reported with D-SACK: retransmissions that were not needed.');
    case 'rcv_space':
      return t('The receive buffer space the kernel tunes automatically, in bytes.');
    case 'rcv_ssthresh':
      return t('The current limit of the advertised receive window, in bytes.');
    case 'rcv_rtt':
      return t('The round-trip time measured by the receiver, in milliseconds.');
    case 'snd_wnd':
      return t('The peer\'s advertised receive window, in bytes.');
    case 'rcv_wnd':
      return t('The receive window this side advertises, in bytes.');
    case 'busy':
      return t('Milliseconds the connection has been busy sending data.');
    case 'rwnd_limited':
      return t(
        'Time (and share of the busy time) the sender was held back by the peer\'s receive window: the receiving program or its buffer is the bottleneck.',
      );
    case 'sndbuf_limited':
      return t(
        'Time (and share of the busy time) the sender was held back by its own send buffer (net.ipv4.tcp_wmem).',
      );
    case 'cwnd_limited':
      return t(
        'Time (and share of the busy time) the sender was held back by its congestion window: the network path is the bottleneck.',
      );
    case 'unacked':
      return t('Segments in flight, not yet acknowledged (on a listener: connections in its queue).');
    case 'delivered':
      return t('Segments delivered to the peer.');
    case 'delivered_ce':
      return t('Delivered segments that carried an ECN congestion mark.');
    case 'app_limited':
      return t('The program, not the network, limits the sending rate: it has not given enough data to send.');
    case 'notsent':
      return t('Bytes written by the program and not sent yet.');
    case 'backoff':
      return t('How many times the retransmission timer has been doubled (exponential backoff) for the current loss.');
    case 'wscale':
      return t('Window scale factors: the peer\'s (send) and ours (receive), as agreed in the handshake.');
    case 'ts':
      return t('TCP timestamps are in use.');
    case 'sack':
      return t('Selective acknowledgments (SACK) are in use.');
    case 'ecn':
      return t('Explicit congestion notification (ECN) is in use.');
    case 'ecnseen':
      return t('Packets with an ECN mark were received.');
    case 'fastopen':
      return t('TCP Fast Open was used.');
    case 'skmem':
      return t(
        'Socket memory: r receive queue, rb receive buffer limit, t transmit queue, tb transmit buffer limit, f cached forward memory, w queued for writing, o option memory, bl backlog, d drops (all bytes, d a count).',
      );
    case 'timer':
      return t(
        'The timer running on the socket (on, keepalive, timewait, persist), the time left and the retries so far.',
      );
    case 'cubic':
    case 'bbr':
    case 'bbr2':
    case 'reno':
    case 'dctcp':
    case 'vegas':
    case 'westwood':
    case 'htcp':
      return t('The congestion control algorithm of this connection (net.ipv4.tcp_congestion_control).');
    default:
      return t('A TCP internal shown by ss -i (see man ss).');
  }
}

/** An ss -i key with its value. */
export function explainInfo(key: string, value: string, t: Translate): Explanation {
  const here: string[] = [];
  if (key === 'rwnd_limited' || key === 'sndbuf_limited' || key === 'cwnd_limited') {
    here.push(t('Here: {0}.', clip(value, 40)));
  } else if (key === 'retrans' && value !== '') {
    const slash = value.indexOf('/');
    const total = slash >= 0 ? Number(value.slice(slash + 1)) : Number(value);
    if (total > 0)
      here.push(t('This connection has retransmitted {0} times: packets were lost or delayed on the path.', total));
  }
  return { title: value === '' ? key : key + ' ' + clip(value, 60), text: [infoWhat(key, t)], here };
}

/** The hover of a span of a socket row. */
export function explainSocketSpan(row: SocketRow, span: Span, spanText: string, t: Translate): Explanation {
  switch (span.field) {
    case 'state':
      return explainSocketState(row.state, row.stateText, t);
    case 'recvq':
    case 'sendq':
      return explainQueue(span.field, row, t);
    case 'localPort':
    case 'peerPort': {
      const local = span.field === 'localPort';
      const e =
        row.state === S_LISTEN || (local && row.peer.port < 0)
          ? explainPort(row.local.port, t, 'server', row.local.portText)
          : explainPort(
              local ? row.local.port : row.peer.port,
              t,
              undefined,
              local ? row.local.portText : row.peer.portText,
            );
      if ((local ? row.local.portText : row.peer.portText) === '*')
        return { title: t('Any port'), text: [t('"*": no port yet (a listener\'s peer) or any port.')], here: [] };
      return e;
    }
    case 'localAddr':
    case 'peerAddr':
      return explainSocketAddress(
        span.field === 'localAddr' ? row.local.addr : row.peer.addr,
        span.field === 'localAddr',
        t,
      );
    case 'process':
      return {
        title: t('Process: {0}', clip(spanText, 60)),
        text: [
          t(
            'The program that holds the socket (netstat -p, ss -p, lsof); "-" when it belongs to no process (a connection not yet accepted, a socket in TIME_WAIT) or you lack the rights to see it.',
          ),
        ],
        here: [],
      };
    case 'proto':
      return {
        title: clip(spanText, 12),
        text: [
          row.proto === 'udp'
            ? t('UDP: datagrams, no connection and no states.')
            : t('TCP over IPv4 or IPv6 (tcp6, tcp46: IPv6 sockets, which may also carry IPv4).'),
        ],
        here: [],
      };
    default:
      return { title: clip(spanText, 40), text: [], here: [] };
  }
}

function explainSocketAddress(addr: string, local: boolean, t: Translate): Explanation {
  const title = local ? t('Local address: {0}', clip(addr, 64)) : t('Foreign address: {0}', clip(addr, 64));
  const text: string[] = [];
  if (addr === '0.0.0.0' || addr === '::' || addr === '*')
    text.push(t('The wildcard address: every address of this host (on a listener), or no peer yet.'));
  else if (addr.startsWith('127.') || addr === '::1')
    text.push(t('The loopback address: a connection inside this host.'));
  else if (addr.startsWith('::ffff:'))
    text.push(t('An IPv4 address written as IPv6 (an IPv6 socket that carries IPv4).'));
  else
    text.push(
      local
        ? t('The address of this host the socket is bound to.')
        : t('The address of the other end of the connection.'),
    );
  return { title, text, here: [] };
}

/** A counting line ("TIME_WAIT 814", "  814 TIME_WAIT"). */
export function explainCount(state: number, printed: string, count: number, t: Translate): Explanation {
  const e = explainSocketState(state, printed, t);
  return { title: t('{0} sockets in {1}', count, e.title), text: e.text, here: e.here };
}

// ---------------------------------------------------------------------------------------------
// Findings

/** The sentence and advice of a finding. */
export function findingText(f: Finding, t: Translate): string {
  const who = f.program;
  switch (f.kind) {
    case 'close-wait':
      if (f.where === '')
        return t(
          '{0} sockets in CLOSE_WAIT: their peers closed, but the program here has not closed its side. CLOSE_WAIT has no timeout, so this is a socket leak in the application (a code path that forgets close(), or a blocked thread); find the program with netstat -p or ss -p and fix its closing.',
          f.count,
        );
      return who !== ''
        ? t(
            '{0} sockets in CLOSE_WAIT on {1}, held by {2}: the peers closed, but this program has not closed its side. CLOSE_WAIT has no timeout, so this is a socket leak in the program (a code path that forgets close(), or a blocked thread); fix its closing.',
            f.count,
            f.where,
            who,
          )
        : t(
            '{0} sockets in CLOSE_WAIT on {1}: the peers closed, but the program here has not closed its side. CLOSE_WAIT has no timeout, so this is a socket leak in the application; run netstat -p or ss -p to see which program, and fix its closing.',
            f.count,
            f.where,
          );
    case 'time-wait':
      return f.where === ''
        ? t(
            '{0} sockets in TIME_WAIT. Each lasts 60 s; on the connecting side every one holds an ephemeral port (net.ipv4.ip_local_port_range, 32768–60999 by default: 28 232 ports per destination). Reuse connections (keep-alive, pooling), or set net.ipv4.tcp_tw_reuse=1 and widen the port range if connect() starts failing.',
            f.count,
          )
        : t(
            '{0} sockets in TIME_WAIT toward {1}, on this (connecting) side. Each holds an ephemeral port for 60 s; net.ipv4.ip_local_port_range gives 28 232 ports per destination by default, so at this pace new connections can fail with EADDRNOTAVAIL. Reuse connections (keep-alive, pooling), or set net.ipv4.tcp_tw_reuse=1 and widen the port range.',
            f.count,
            f.where,
          );
    case 'syn-recv':
      if (f.limit >= 0 && f.count >= f.limit)
        return t(
          '{0} half-open connections (SYN_RECV) on {1}, as many as its backlog ({2}): the SYN queue is full and new handshakes are dropped or answered with SYN cookies. A SYN flood, or clients whose final ACKs are lost. Check net.ipv4.tcp_syncookies (1), raise the listen() backlog, net.core.somaxconn and net.ipv4.tcp_max_syn_backlog, and filter the sources.',
          f.count,
          f.where,
          f.limit,
        );
      return f.where === ''
        ? t(
            '{0} half-open connections (SYN_RECV): the server answered SYNs but the final ACKs do not arrive. A SYN flood, or a path that loses the clients\' ACKs. Keep net.ipv4.tcp_syncookies on, raise net.ipv4.tcp_max_syn_backlog and the listen() backlog, and look at the sources.',
            f.count,
          )
        : t(
            '{0} half-open connections (SYN_RECV) on {1}: the server answered SYNs but the final ACKs do not arrive. A SYN flood, or a path that loses the clients\' ACKs. Keep net.ipv4.tcp_syncookies on, raise net.ipv4.tcp_max_syn_backlog and the listen() backlog, and look at the sources.',
            f.count,
            f.where,
          );
    case 'syn-sent':
      return f.where === ''
        ? t(
            '{0} connections in SYN_SENT: the SYNs get no answer. The destination is down or unreachable, or a firewall drops the SYNs (or its accept queue is full and it drops them). Many toward many addresses can also be a scan or malware.',
            f.count,
          )
        : t(
            '{0} connections to {1} in SYN_SENT: the SYNs get no answer. That host is down or unreachable, a firewall drops the SYNs, or its accept queue is full and it drops them.',
            f.count,
            f.where,
          );
    case 'accept-queue':
      return f.limit >= 0
        ? t(
            'The accept queue of {0} is full: {1} connections wait for accept(), its limit is {2}. New handshakes are dropped (clients see timeouts). The program does not call accept() fast enough or has stopped accepting; raise the listen() backlog and net.core.somaxconn only if the program is merely slow.',
            f.where,
            f.count,
            f.limit,
          )
        : t(
            '{0} connections wait in the accept queue of {1}: the program has not accepted them. If the number stays, the program has stopped accepting; ss -ltn shows the queue\'s limit (Send-Q).',
            f.count,
            f.where,
          );
    case 'recv-q':
      if (f.connections > 1) return t('{0} connections of {1} have data waiting in Recv-Q (up to {2} bytes): the program is not reading what arrives. Look at what the program is blocked on (a lock, a slow disk, a full worker pool); its peers will soon see a zero window.', f.connections, f.where, f.count);
      return f.limit >= 0 && f.count > f.limit
        ? t(
            'Recv-Q on {0} grew from {1} to {2} bytes: the program is not reading what arrives. Look at what the program is blocked on (a lock, a slow disk, a full worker pool).',
            f.where,
            f.limit,
            f.count,
          )
        : t(
            '{0} bytes wait in Recv-Q on {1}: the program is not reading what arrives (or reads slowly). If it stays or grows, look at what the program is blocked on; its peer will soon see a zero window.',
            f.count,
            f.where,
          );
    case 'send-q':
      if (f.connections > 1) return t('{0} connections with {1} have data waiting in Send-Q (up to {2} bytes), not acknowledged: the peers are not reading (their windows are closed) or the path is slow or losing packets. Compare with the peers\' Recv-Q and look for retransmissions (ss -ti).', f.connections, f.where, f.count);
      return f.limit >= 0 && f.count > f.limit
        ? t(
            'Send-Q on {0} grew from {1} to {2} bytes: the peer is not taking the data (its window is closed: its program is not reading) or the path is losing packets.',
            f.where,
            f.limit,
            f.count,
          )
        : t(
            '{0} bytes wait in Send-Q on {1}, not acknowledged by the peer: the peer is not reading (its window is closed) or the path is slow or losing packets. Compare with the peer\'s Recv-Q and look for retransmissions (ss -ti).',
            f.count,
            f.where,
          );
    case 'fin-wait-1':
      return f.where === ''
        ? t(
            '{0} sockets in FIN_WAIT1: this side closed, but the FINs are not acknowledged. Typical after a server shut down with many clients connected that are gone, or with data still queued to peers that do not read. They give up after net.ipv4.tcp_orphan_retries retransmissions.',
            f.count,
          )
        : t(
            '{0} sockets in FIN_WAIT1 on {1}: this side closed, but the FINs are not acknowledged. Typical after a server shut down with many clients connected that are gone, or with data still queued to peers that do not read. They give up after net.ipv4.tcp_orphan_retries retransmissions.',
            f.count,
            f.where,
          );
    case 'fin-wait-2':
      return f.where === ''
        ? t(
            '{0} sockets in FIN_WAIT2: this side closed and the peers acknowledged, but they never close their side (they are in CLOSE_WAIT). Closed sockets give up after net.ipv4.tcp_fin_timeout (60 s); the fix is on the peer\'s side.',
            f.count,
          )
        : t(
            '{0} sockets in FIN_WAIT2 with {1}: this side closed and the peer acknowledged, but it never closes its side (it is in CLOSE_WAIT there). Closed sockets give up after net.ipv4.tcp_fin_timeout (60 s); the fix is in the peer\'s program.',
            f.count,
            f.where,
          );
    case 'orphaned':
      return t(
        '{0} orphaned TCP sockets (ss -s): their programs closed them, and the kernel is still trying to deliver their FIN or unsent data, usually to peers that stopped reading or answering (FIN_WAIT1 behind a full send queue). Each still holds its send buffer; above net.ipv4.tcp_max_orphans the kernel resets them and logs "too many orphaned sockets". Find the peers with ss -tn state fin-wait-1, and lower net.ipv4.tcp_orphan_retries to release them sooner.',
        f.count,
      );
  }
}

/** ss -s's Transport rows, in words. */
function transportWhat(row: string, t: Translate): string {
  switch (row) {
    case 'RAW':
      return t('Raw sockets (ping, routing daemons, packet tools).');
    case 'UDP':
      return t('UDP sockets.');
    case 'TCP':
      return t(
        'TCP sockets in the kernel\'s lookup tables: listening, connecting, connected or closing (TIME_WAIT not included).',
      );
    case 'INET':
      return t('RAW + UDP + TCP: every Internet socket in the rows above.');
    case 'FRAG':
      return t('IP fragments waiting to be reassembled into packets (not sockets).');
    default:
      return t('Every socket the kernel has allocated (older ss versions).');
  }
}

/** A number (or a row label) of an `ss -s` summary: what the kernel counted, and where it comes from. */
export function explainSsSummary(key: string, value: number | undefined, t: Translate): Explanation {
  const v = value === undefined ? '' : String(value);
  const dot = key.indexOf('.');
  if (dot > 0) {
    const row = key.slice(0, dot);
    const col = key.slice(dot + 1);
    const family = col === 'ip' ? t('IPv4') : col === 'ipv6' ? t('IPv6') : t('IPv4 and IPv6');
    return { title: t('{0} ({1}): {2}', row, family, v), text: [transportWhat(row, t)], here: [] };
  }
  switch (key) {
    case 'total':
      return {
        title: t('{0} sockets in all', v),
        text: [
          t(
            'Every socket the kernel has in use, of every family (TCP, UDP, Unix, netlink…): the "sockets: used" line of /proc/net/sockstat.',
          ),
        ],
        here: [],
      };
    case 'kernel':
      return { title: t('{0} sockets allocated by the kernel', v), text: [t('Printed by older ss versions beside the total.')], here: [] };
    case 'tcp':
      return {
        title: t('{0} TCP sockets', v),
        text: [
          t(
            'Every TCP socket the kernel has allocated, plus those in TIME_WAIT (/proc/net/sockstat: alloc + tw). It equals the Transport table\'s TCP total plus "closed".',
          ),
        ],
        here: [],
      };
    case 'estab':
      return {
        title: t('{0} established', v),
        text: [
          t(
            'The kernel\'s CurrEstab counter (/proc/net/snmp): connections in ESTABLISHED and in CLOSE_WAIT, the states in which this side still sends.',
          ),
        ],
        here: [],
      };
    case 'closed':
      return {
        title: t('{0} closed', v),
        text: [
          t(
            'Not a state but a difference (allocated + TIME_WAIT − in the lookup tables): TCP sockets in no table — created and never bound or connected, held by a program after their connection ended — and, as ss computes it, the TIME_WAIT ones.',
          ),
        ],
        here: [],
      };
    case 'orphaned':
      return {
        title: t('{0} orphaned', v),
        text: [
          t(
            'TCP sockets no program holds any more: closed by their program while the kernel still finishes the close (FIN_WAIT1 with unsent data, FIN_WAIT2, CLOSING, LAST_ACK). Limited by net.ipv4.tcp_max_orphans; beyond it the kernel resets them ("too many orphaned sockets").',
          ),
        ],
        here: [],
      };
    case 'synrecv':
      return {
        title: t('{0} in SYN_RECV', v),
        text: [t('Half-open connections waiting for the client\'s final ACK (printed by older ss versions).')],
        here: [],
      };
    case 'timewait':
      return {
        title: t('{0} in TIME_WAIT', v),
        text: [
          t(
            'TIME_WAIT sockets (/proc/net/sockstat\'s tw): 60 s each after an active close. Linux keeps FIN_WAIT2 sockets their program has closed in the same small structure, so they count here too. Limited by net.ipv4.tcp_max_tw_buckets.',
          ),
        ],
        here: [],
      };
    case 'ports':
      return { title: t('{0} local ports bound', v), text: [t('Printed by older ss versions.')], here: [] };
    case 'Transport':
      return {
        title: t('ss -s: sockets per transport'),
        text: [
          t(
            'Total, IPv4 (IP) and IPv6 sockets per protocol, from /proc/net/sockstat and sockstat6. TCP counts only the sockets in the lookup tables; the line above counts them all.',
          ),
        ],
        here: [],
      };
    default:
      // a Transport row's label ("TCP", "RAW"): the protocol's own name
      return { title: key, text: [transportWhat(key, t)], here: [] };
  }
}

// ---------------------------------------------------------------------------------------------
// Lenses

/** What is normal for a state in a snapshot (the word after its count in the summary). */
function unusual(state: number, n: number): boolean {
  switch (state) {
    case S_CLOSE_WAIT:
    case S_FIN_WAIT_1:
    case S_FIN_WAIT_2:
    case S_SYN_SENT:
      return n >= 3;
    case S_SYN_RCVD:
      return n >= 5;
    case S_CLOSING:
    case S_LAST_ACK:
      return n >= 10;
    default:
      return false;
  }
}

/** "23 TCP sockets: 9 SYN_RECV (unusual), 5 LISTEN, …" */
export function summaryLensText(s: SnapshotSummary, findings: number, t: Translate): string {
  const parts: string[] = [];
  const order = s.byState
    .map((n, i) => [i, n])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  for (const [i, n] of order)
    parts.push(unusual(i, n) ? t('{0} {1} (unusual)', n, TCP_STATES[i]) : t('{0} {1}', n, TCP_STATES[i]));
  let text =
    (s.total === 1 ? t('1 TCP socket') : t('{0} TCP sockets', s.total)) +
    (parts.length > 0 ? ': ' + parts.join(', ') : '');
  if (s.udp > 0) text += ' · ' + t('{0} UDP', s.udp);
  text +=
    ' · ' + (findings === 0 ? t('nothing unusual') : findings === 1 ? t('1 finding') : t('{0} findings', findings));
  return text;
}

/** "ports: :8081 (12), → 9001 (30) …" — the busiest local services and remote destinations. */
export function portsLensText(s: SnapshotSummary, t: Translate, max = 5): string {
  const parts: string[] = [];
  for (const p of s.ports.slice(0, max)) {
    const name = WELL_KNOWN_PORTS[p.port];
    const label = (p.side === 'local' ? ':' + p.port : '→ ' + p.port) + (name !== undefined ? ' ' + name : '');
    parts.push(label + ' (' + p.total + ')');
  }
  if (s.ports.length > max) parts.push(t('{0} more', s.ports.length - max));
  return t('ports: {0}', parts.join(', '));
}

/** "since the previous snapshot: +3 TIME_WAIT, −1 ESTABLISHED · 2 new, 1 gone · Recv-Q grew on 2" */
export function diffLensText(d: SnapshotDiff, t: Translate): string {
  const parts: string[] = [];
  d.delta.forEach((n, i) => {
    if (n !== 0) parts.push((n > 0 ? '+' : '−') + Math.abs(n) + ' ' + TCP_STATES[i]);
  });
  let s = t('since the previous snapshot: {0}', parts.length > 0 ? parts.join(', ') : t('same counts'));
  s += ' · ' + t('{0} new, {1} gone, {2} changed state', d.appeared, d.gone, d.changed);
  if (d.recvGrew > 0) s += ' · ' + t('Recv-Q grew on {0}', d.recvGrew);
  if (d.sendGrew > 0) s += ' · ' + t('Send-Q grew on {0}', d.sendGrew);
  return s;
}

/** Above an ss -s summary: "ss -s: 852 TCP sockets (120 established, 120 orphaned, 600 in TIME_WAIT) · 2 findings". */
export function ssSummaryLensText(values: ReadonlyMap<string, number>, findings: number, t: Translate): string {
  const parts: string[] = [];
  const add = (key: string, say: (n: number) => string): void => {
    const n = values.get(key);
    if (n !== undefined) parts.push(say(n));
  };
  add('estab', (n) => t('{0} established', n));
  add('orphaned', (n) => t('{0} orphaned', n));
  add('timewait', (n) => t('{0} in TIME_WAIT', n));
  const tcp = values.get('tcp');
  let text = 'ss -s: ' + (tcp !== undefined ? t('{0} TCP sockets', tcp) : t('socket totals'));
  if (parts.length > 0) text += ' (' + parts.join(', ') + ')';
  text += ' · ' + (findings === 0 ? t('nothing unusual') : findings === 1 ? t('1 finding') : t('{0} findings', findings));
  return text;
}

/** Title of the sockets table built from a capture (CLI and editor). */
export function socketsAtPacketTitle(packet: number, host: string, t: Translate): string {
  return t('Sockets on {0} after packet {1} (as netstat -nat would show them)', host, packet);
}
