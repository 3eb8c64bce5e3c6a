/**
 * The details tree's performance line of a packet (issue 14): "RTT sample / bytes in flight", as
 * tshark shows tcp.analysis.ack_rtt and tcp.analysis.bytes_in_flight, appended to the TCP layer as
 * a node without bytes. The worker adds the figures when the packet's connection replay is at hand
 * (src/worker/perfGraph.ts). Pure: the provider passes vscode.l10n.t.
 */
import type { Translate } from '../../core/explain/l10n';
import { limitedByText, verdictView } from '../../core/explain/perf';
import type { ConnPerfCells, PacketDetails } from '../../worker/api';
import type { ConnPerfView, DetailNode } from './webviewMessages';

function ms(x: number): string {
  return x >= 100 ? x.toFixed(1) : x >= 1 ? x.toFixed(3) : x.toFixed(6);
}

/**
 * `root` with the performance nodes under its TCP layer (or at the end), when `perf` says anything:
 * the RTT sample / bytes in flight line, and for an ACK (one that gave an RTT sample, or carries no
 * data of its own) the peer's bytes it leaves unacknowledged — a pure ACK has no bytes_in_flight of
 * its own, so that is the in-flight figure an ACK can show.
 */
export function addPerfNode(root: DetailNode, perf: PacketDetails['perf'], t: Translate): DetailNode {
  if (!perf) return root;
  const nodes: DetailNode[] = [];
  if (perf.rttMs > 0 || perf.bytesInFlight > 0) {
    const rtt = perf.rttMs > 0 ? t('{0} ms', ms(perf.rttMs)) : '–';
    const bif = perf.bytesInFlight > 0 ? String(perf.bytesInFlight) : '–';
    nodes.push({
      name: 'tcp.analysis.perf',
      label: t('[RTT sample / bytes in flight: {0} / {1}]', rtt, bif),
      offset: 0,
      length: 0,
      explain: t(
        'RTT sample: the time from the data segment this ACK acknowledges to the ACK (tshark’s tcp.analysis.ack_rtt). Bytes in flight: the data this side had sent and not yet seen acknowledged when this segment left (tcp.analysis.bytes_in_flight).',
      ),
    });
  }
  const peer = perf.peerInFlight ?? -1;
  if (peer >= 0 && (perf.rttMs > 0 || !(perf.bytesInFlight > 0))) {
    nodes.push({
      name: 'tcp.analysis.perf.peer_in_flight',
      label: t('[Still in flight after this ACK: {0} bytes of the other side]', peer),
      offset: 0,
      length: 0,
      explain: t(
        'The bytes the other side had sent before this ACK (its highest sequence number so far) that this ACK does not yet acknowledge: what remains in flight towards this side once the ACK arrives. 0: this ACK acknowledged everything sent so far.',
      ),
    });
  }
  if (nodes.length === 0) return root;
  const tcp = root.children?.find((c) => c.name === 'tcp');
  if (tcp) tcp.children = [...(tcp.children ?? []), ...nodes];
  else root.children = [...(root.children ?? []), ...nodes];
  return root;
}

/** The Connections tab's performance cells, worded: the "Limited by" text and each verdict's sentences. */
export function connPerfViews(cells: ConnPerfCells[], t: Translate): ConnPerfView[] {
  return cells.map((c) => ({
    ...c,
    limitedByText: c.limitedBy ? limitedByText(c.limitedBy, t) : '-',
    limitedByWho: c.limitedBy ? (c.limitedBy.dir === 'clientToServer' ? t('client → server') : t('server → client')) : '',
    verdictViews: c.verdicts.map((v) => verdictView(v, t)),
  }));
}
