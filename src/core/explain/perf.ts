/**
 * Words for the performance verdicts (src/core/perf/verdicts.ts): for each, what was seen (with the
 * figures and packet numbers that show it) and what to change. Localised like the rest of
 * src/core/explain: every t() takes a string literal, the English template is the zh-cn bundle's key.
 */
import type { DominantLimit, LimitKind } from '../perf/limitedBy';
import type { PerfLimitsJson } from '../perf/summary';
import type { Verdict, VerdictKind } from '../perf/verdicts';
import type { Translate } from './l10n';

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3);
}

function pct(share: number): string {
  return share === 0 ? '0' : (share * 100).toFixed(share >= 0.1 ? 0 : 1);
}

function mbit(bytesPerS: number): string {
  const m = (bytesPerS * 8) / 1e6;
  return m >= 10 ? m.toFixed(0) : m.toFixed(1);
}

function pkts(list: number[]): string {
  return list.join(', ');
}

/** "client → server" / "server → client" / "connection". */
export function verdictWho(v: Verdict, t: Translate): string {
  return v.dir === 'clientToServer' ? t('client → server') : v.dir === 'serverToClient' ? t('server → client') : t('connection');
}

/** The verdict's name. */
export function verdictTitle(v: Verdict, t: Translate): string {
  switch (v.kind) {
    case 'bufferbloat':
      return t('Bufferbloat');
    case 'bottleneck':
      return t('Bottleneck rate');
    case 'receiver-limited':
      return t('Limited by the receiver');
    case 'zero-window':
      return t('Zero-window stalls');
    case 'loss-limited':
      return t('Limited by loss');
    case 'rto-stalls':
      return t('Retransmission timeout stalls');
    case 'application-limited':
      return t('Limited by the sending application');
    case 'sndbuf-limited':
      return t('Limited by the send buffer');
    case 'nagle-delayed-ack':
      return t('Nagle / delayed-ACK stalls');
    case 'slow-server':
      return t('Slow server');
    case 'slow-handshake':
      return t('Slow handshake');
  }
}

/** What was seen: one or two sentences with the figures and packets. */
export function verdictEvidence(v: Verdict, t: Translate): string[] {
  const f = v.figures;
  const p = v.packets;
  switch (v.kind) {
    case 'bufferbloat':
      return [
        t(
          'The round-trip time grew from {0} ms (ACK at packet {1}) to {2} ms at the 95th percentile and {3} ms at most (packet {4}) while the sender kept data in flight: about {5} ms, {6} bytes, waited in a queue.',
          ms(f.minRttMs), p[0] ?? '-', ms(f.p95RttMs), ms(f.maxRttMs), p[1] ?? '-', ms(f.queueMs), f.queueBytes,
        ),
      ];
    case 'bottleneck':
      return [
        t('The path delivered about {0} Mbit/s ({1} bytes a second); the network held the sender {2} % of its busy time, with a queue standing in front of the bottleneck.', mbit(f.rate), f.rate, pct(f.networkShare)),
      ];
    case 'receiver-limited':
      return [
        t('The receiver\'s window held the sender back {0} % of its busy time ({1} ms of {2} ms); it advertised between {3} and {4} bytes.', pct(f.share), ms(f.rwndMs), ms(f.busyMs), f.minWindow, f.maxWindow),
      ];
    case 'zero-window':
      return [t('Zero windows from the receiver ({0}) stopped the sender for {1} ms in all (the first at packet {2}).', f.episodes, ms(f.zeroMs), p[0] ?? '-')];
    case 'loss-limited':
      return [
        t('{0} % of the bytes were sent again ({1} bytes; {2} fast retransmissions, {3} timeouts; first at packet {4}).', pct(f.rate), f.bytes, f.fast, f.rto, p[0] ?? '-'),
        f.standingQueue
          ? t('The RTT stood above its minimum: the losses come from a full queue at the bottleneck.')
          : t('The RTT stayed near its minimum: the losses look random (a faulty link, radio, a policer), not a full queue.'),
      ];
    case 'rto-stalls':
      return [t('Retransmission timeouts ({0}) stopped the sender for {1} ms in all (the longest {2} ms; packets {3}).', f.count, ms(f.waitedMs), ms(f.longestMs), pkts(p))];
    case 'application-limited':
      return [
        t(
          'The sender had nothing more to send {0} % of its busy time, although the window and the network would have taken more: {1} segments averaging {2} bytes, {3} of them short.',
          pct(f.share), f.segments, f.averageBytes, f.shortSegments,
        ),
      ];
    case 'sndbuf-limited':
      return [
        t(
          'The sender\'s own buffer held it back {0} % of its busy time: about {1} bytes in flight at most, while the receiver offered up to {2} bytes, ACKs freed room it left unused, and the RTT stayed near its minimum.',
          pct(f.share), f.ceiling, f.maxWindow,
        ),
      ];
    case 'nagle-delayed-ack':
      return [
        t(
          '{0} short segments waited for a delayed ACK: {1} ms beyond the RTT in the median, {2} ms in all (first: packet {3} left right after the late ACK at packet {4}).',
          f.stalls, ms(f.medianDelayMs), ms(f.lostMs), p[0] ?? '-', p[1] ?? '-',
        ),
      ];
    case 'slow-server':
      return [
        t(
          'The server took {0} ms to answer: the request ended at packet {1}, the first byte of the answer is packet {2}, {3} ms later, of which {4} ms is the network round trip ({5} answers in all).',
          ms(f.serverMs), p[0] ?? '-', p[1] ?? '-', ms(f.gapMs), ms(f.rttMs), f.answers,
        ),
      ];
    case 'slow-handshake':
      return [t('Connecting took {0} ms: the client sent its SYN {1} times (first at packet {2}, answered at packet {3}).', ms(f.connectMs), f.syns, p[0] ?? '-', p[1] ?? '-')];
  }
}

/** What to change. */
export function verdictAdvice(v: Verdict, t: Translate): string {
  switch (v.kind) {
    case 'bufferbloat':
      return t('Shorten the queue at the bottleneck: an AQM such as fq_codel or cake on the router, or a smaller buffer or shaper limit; a delay-based congestion control (BBR) on the sender also keeps it short.');
    case 'bottleneck':
      return t('The path is full: more throughput needs a faster link or less competing traffic; keep the queue in front of it short so it does not add delay.');
    case 'receiver-limited':
      return t('Let the receiving application read faster, and give it a bigger receive buffer: do not set a small SO_RCVBUF (that turns autotuning off), or raise net.ipv4.tcp_rmem.');
    case 'zero-window':
      return t('The receiving application stopped reading: find out why it stalls (busy, blocked, too slow), or give it a bigger buffer.');
    case 'loss-limited':
      if (v.figures.standingQueue) {
        return t('The bottleneck\'s queue overflows: a managed queue with ECN (fq_codel, cake) signals congestion without dropping, and a paced sender (BBR, or the fq qdisc) avoids the bursts that overflow it.');
      }
      return t('Find the lossy hop (interface error counters, duplex, radio) or a policer dropping bursts; a loss-tolerant congestion control (BBR) suffers less from random loss, and it does not wait for a full queue to slow down.');
    case 'rto-stalls':
      return t('Timeouts follow the loss of a whole flight or of its last segments, or of the ACKs: keep SACK and tail-loss probes on (Linux\'s defaults), and find what drops bursts on the path.');
    case 'application-limited':
      return t('Look at the sending application: write bigger blocks (buffer the data, writev, MSG_MORE) and find what it waits for between writes; the network is not the limit.');
    case 'sndbuf-limited':
      return t('Raise the send buffer: do not set a small SO_SNDBUF (that turns autotuning off), or raise net.ipv4.tcp_wmem; it must hold at least one bandwidth-delay product.');
    case 'nagle-delayed-ack':
      return t('Nagle\'s algorithm held each short segment until the previous one was acknowledged, and the receiver delayed that ACK (40 ms on Linux, 200 ms on Windows): set TCP_NODELAY on the sender, or send each request in one write (writev, or TCP_CORK and uncork).');
    case 'slow-server':
      return t('The time is spent in the server, not the network: look at its processing (database, locks, a slow backend, a full worker pool).');
    case 'slow-handshake':
      return t('SYN retries come after 1 s, then 2 s, 4 s …: the SYNs or SYN/ACKs were lost or ignored (a full listen backlog, a firewall, a lossy path). Check the server\'s accept queue (ss -lnt) and the path.');
  }
}

/** The verdict as report lines: "who: title", the evidence, then what to change. */
export function verdictLines(v: Verdict, t: Translate): string[] {
  return [t('{0}: {1}.', verdictWho(v, t), verdictTitle(v, t)), ...verdictEvidence(v, t).map((s) => '  ' + s), '  ' + t('What to change: {0}', verdictAdvice(v, t))];
}

/** One line: the sender's busy time and what limited it. */
export function limitsLine(l: PerfLimitsJson, t: Translate): string {
  return t(
    'Busy {0} ms (idle {1} ms): limited by the receiver window {2} %, the send buffer {3} %, the application {4} %, the network {5} %.',
    ms(l.busyMs), ms(l.idleMs), pct(l.shares.rwnd), pct(l.shares.sndbuf), pct(l.shares.application), pct(l.shares.network),
  );
}

/** The name of a part of the sender's busy time (the Connections tab's "Limited by" column). */
export function limitKindText(kind: LimitKind, t: Translate): string {
  switch (kind) {
    case 'rwnd':
      return t('receiver window');
    case 'sndbuf':
      return t('send buffer');
    case 'application':
      return t('application');
    case 'network':
      return t('network');
  }
}

/** "receiver window 72 %": the main sender's dominant limit and its share of the busy time. */
export function limitedByText(d: DominantLimit, t: Translate): string {
  return limitKindText(d.kind, t) + ' ' + pct(d.share) + ' %';
}

/**
 * How much a verdict should catch the eye. Warnings: something went wrong on the way (losses, timeouts,
 * a stalled receiver, retried SYNs, a bloated queue, Nagle's stalls, a slow server). Information: what
 * bounded an otherwise healthy transfer (every transfer is bounded by something: a full path, the
 * receiver's window, the sender's buffer or application).
 */
export function verdictSeverity(kind: VerdictKind): 'warning' | 'information' {
  return kind === 'bottleneck' || kind === 'receiver-limited' || kind === 'sndbuf-limited' || kind === 'application-limited' ? 'information' : 'warning';
}

/** A verdict worded for a view: who, title, evidence sentences, advice, and its evidence packets (1-based). */
export interface VerdictView {
  kind: VerdictKind;
  severity: 'warning' | 'information';
  who: string;
  title: string;
  evidence: string[];
  advice: string;
  packets: number[];
}

export function verdictView(v: Verdict, t: Translate): VerdictView {
  return {
    kind: v.kind,
    severity: verdictSeverity(v.kind),
    who: verdictWho(v, t),
    title: verdictTitle(v, t),
    evidence: verdictEvidence(v, t),
    advice: verdictAdvice(v, t),
    packets: [...new Set(v.packets)],
  };
}
