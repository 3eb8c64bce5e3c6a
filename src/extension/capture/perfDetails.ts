/**
 * The details tree's performance line of a packet (issue 14): "RTT sample / bytes in flight", as
 * tshark shows tcp.analysis.ack_rtt and tcp.analysis.bytes_in_flight, appended to the TCP layer as
 * a node without bytes. The worker adds the figures when the packet's connection replay is at hand
 * (src/worker/perfGraph.ts). Pure: the provider passes vscode.l10n.t.
 */
import type { Translate } from '../../core/explain/l10n';
import type { PacketDetails } from '../../worker/api';
import type { DetailNode } from './webviewMessages';

function ms(x: number): string {
  return x >= 100 ? x.toFixed(1) : x >= 1 ? x.toFixed(3) : x.toFixed(6);
}

/** `root` with the performance node under its TCP layer (or at the end), when `perf` says anything. */
export function addPerfNode(root: DetailNode, perf: PacketDetails['perf'], t: Translate): DetailNode {
  if (!perf || (!(perf.rttMs > 0) && !(perf.bytesInFlight > 0))) return root;
  const rtt = perf.rttMs > 0 ? t('{0} ms', ms(perf.rttMs)) : '–';
  const bif = perf.bytesInFlight > 0 ? String(perf.bytesInFlight) : '–';
  const node: DetailNode = {
    name: 'tcp.analysis.perf',
    label: t('[RTT sample / bytes in flight: {0} / {1}]', rtt, bif),
    offset: 0,
    length: 0,
    explain: t(
      'RTT sample: the time from the data segment this ACK acknowledges to the ACK (tshark’s tcp.analysis.ack_rtt). Bytes in flight: the data this side had sent and not yet seen acknowledged when this segment left (tcp.analysis.bytes_in_flight).',
    ),
  };
  const tcp = root.children?.find((c) => c.name === 'tcp');
  if (tcp) tcp.children = [...(tcp.children ?? []), node];
  else root.children = [...(root.children ?? []), node];
  return root;
}
