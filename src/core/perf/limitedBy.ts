/**
 * The Connections tab's "Limited by" cell (issue 14): of the connection's main sender (the direction
 * that sent more payload bytes: in a transfer the other side only acknowledges), the part of its busy
 * time (limits.ts) that held it back most, with its share. Data only; src/core/explain/perf.ts words it.
 */
import type { PerfJson } from './summary';

export type LimitKind = 'rwnd' | 'sndbuf' | 'application' | 'network';

export interface DominantLimit {
  dir: 'clientToServer' | 'serverToClient';
  kind: LimitKind;
  /** Share of the sender's busy time, 0..1. */
  share: number;
}

/** Ties go to the first of this order: the receiver's window and the send buffer are the actionable ones. */
const ORDER: LimitKind[] = ['rwnd', 'sndbuf', 'application', 'network'];

/** The main sender's dominant limit, or null when no side sent data or was ever busy. */
export function dominantLimit(j: Pick<PerfJson, 'clientToServer' | 'serverToClient'>): DominantLimit | null {
  const a = j.clientToServer;
  const b = j.serverToClient;
  if (a.bytes === 0 && b.bytes === 0) return null;
  const dir = a.bytes >= b.bytes ? 'clientToServer' : 'serverToClient';
  const l = (dir === 'clientToServer' ? a : b).limits;
  if (!(l.busyMs > 0)) return null;
  let kind: LimitKind = ORDER[0];
  for (const k of ORDER) if (l.shares[k] > l.shares[kind]) kind = k;
  if (!(l.shares[kind] > 0)) return null;
  return { dir, kind, share: l.shares[kind] };
}
