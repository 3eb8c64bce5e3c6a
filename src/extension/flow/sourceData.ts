/**
 * The pure parts of the flow graph's sources (no vscode import, unit-tested in
 * test/flow-sources.test.ts): the FlowPackets of a tcpdump log model, the mapping between a log's
 * packet numbers and its lines, the connection list of the panel's filter, and the items of the
 * "which connections?" QuickPick of captureLens.showFlowGraph.
 */
import type { Translate } from '../../core/explain/l10n';
import type { LogModel } from '../../core/log/model';
import { connJson, type ConnJson } from '../../core/tcp/json';
import type { FlowConnInfo } from './source';

export { logFlowPackets } from '../../core/flow/packets';

/** The first line (0-based) of packet `index` of the log, -1 when there is no such packet. */
export function lineOfPacket(m: LogModel, index: number): number {
  const p = Number.isInteger(index) && index >= 0 ? m.log.packets[index] : undefined;
  return p ? p.line : -1;
}

/**
 * The packet (0-based number in the log) whose lines include `line` (its continuation and hex
 * lines too), when the engine took it as a TCP segment; -1 otherwise (prose, banners, UDP…).
 */
export function packetOfLine(m: LogModel, line: number): number {
  if (!Number.isInteger(line) || line < 0 || line >= m.log.packetOfLine.length) return -1;
  const i = m.log.packetOfLine[line];
  return i >= 0 && m.streamOf[i] >= 0 ? i : -1;
}

/**
 * The connections of a log model as JSON objects (the same as `capture-lens conns --json`); `zh`
 * renders their problems' messageZh (src/node/l10n.ts zhCn()).
 */
export function logConnections(m: LogModel, zh: Translate): ConnJson[] {
  return m.summaries.map((s) => connJson(s, zh));
}

/** A connection as the panel's connection filter lists it. */
export function connInfo(c: ConnJson): FlowConnInfo {
  const info: FlowConnInfo = { stream: c.stream, client: c.client, server: c.server, packets: c.packets.client + c.packets.server, problems: c.problems.length };
  if (c.app) info.app = c.app;
  return info;
}

export interface ConnPickItem {
  label: string;
  description?: string;
  detail?: string;
  /** undefined: the "All connections" item. */
  stream?: number;
  picked?: boolean;
}

/**
 * The items of the "which connections?" QuickPick: "All connections" first, then one item per
 * connection — "client → server", its conn_state and packets, and its problems when it has some.
 * `preselect` streams are picked; with none, "All connections" is.
 */
export function connectionPickItems(conns: readonly ConnJson[], t: Translate, preselect: readonly number[] = []): ConnPickItem[] {
  const packets = conns.reduce((n, c) => n + c.packets.client + c.packets.server, 0);
  const items: ConnPickItem[] = [
    { label: t('All connections'), description: t('{0} connections · {1} packets', conns.length, packets), picked: preselect.length === 0 },
  ];
  for (const c of conns) {
    const n = c.packets.client + c.packets.server;
    items.push({
      label: `${c.client} → ${c.server}`,
      description: `${c.connState} · ${t('{0} packets', n)}`,
      detail: c.problems.length > 0 ? t('Stream {0} · {1}', c.stream, c.problems.map((p) => p.kind).join(', ')) : t('Stream {0}', c.stream),
      stream: c.stream,
      picked: preselect.includes(c.stream),
    });
  }
  return items;
}

/**
 * The streams to draw for what was picked: undefined (every connection) when "All connections"
 * was picked, or every connection was; null when nothing was picked (the user gave up).
 */
export function pickedStreams(picked: readonly ConnPickItem[], connCount: number): number[] | undefined | null {
  if (picked.length === 0) return null;
  if (picked.some((p) => p.stream === undefined)) return undefined;
  const streams = [...new Set(picked.map((p) => p.stream as number))].sort((a, b) => a - b);
  return streams.length >= connCount ? undefined : streams;
}

/** The stream of a capture-editor filter that is exactly `stream N`, else undefined. */
export function streamOfFilter(expr: string): number | undefined {
  const m = /^\s*stream\s+(\d+)\s*$/i.exec(expr);
  return m ? Number(m[1]) : undefined;
}
