/**
 * Views of a flow graph for the flow-graph panel (src/extension/flow/panel.ts) and its webview
 * (media/flow/): the "problems only" sub-graph, the lanes of the handshake/teardown brackets in
 * the bracket gutter, the colour class of a row and of an analysis marker (the same kinds as the
 * capture editor's packet list: syn, fin, rst, warn), and the rows an export takes when the graph
 * is too big to export whole. Pure TypeScript (no vscode, no DOM).
 */
import { TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import { A_WINDOW_UPDATE } from '../tcp/types';
import type { FlowArrow, FlowBracket, FlowGraph, FlowLifeline, FlowMarkerKind } from './model';

/** Colour class of a row, as the capture editor's packet list colours it ('' = plain). */
export type FlowRowKind = '' | 'syn' | 'fin' | 'rst' | 'warn';

/** Analysis bits that are not worth a warning colour (the packet list ignores them too). */
const QUIET_ANALYSIS = A_WINDOW_UPDATE;

/** Like the capture editor's row kinds: analysis warning first, then RST, SYN, FIN. */
export function rowKind(flags: number, analysis: number): FlowRowKind {
  if ((analysis & ~QUIET_ANALYSIS) !== 0) return 'warn';
  if (flags & TH_RST) return 'rst';
  if (flags & TH_SYN) return 'syn';
  if (flags & TH_FIN) return 'fin';
  return '';
}

/** A row the "problems only" filter keeps: an analysis warning or a reset. */
export function isProblemRow(a: Pick<FlowArrow, 'flags' | 'analysis'>): boolean {
  return (a.analysis & ~QUIET_ANALYSIS) !== 0 || (a.flags & TH_RST) !== 0;
}

/** Colour class of an analysis marker: 'rst' (red), 'warn' (yellow) or 'note' (window update: no warning). */
export function markerTone(kind: FlowMarkerKind): 'rst' | 'warn' | 'note' {
  if (kind === 'rst') return 'rst';
  if (kind === 'window_update') return 'note';
  return 'warn';
}

/**
 * The graph of the rows `keep` accepts: rows renumbered, delta times between the kept rows, the
 * lifelines the kept rows use (renumbered, hosts with them), the state boxes and markers of the
 * kept rows (a state box still says the endpoint's state after that packet and before it), and
 * the brackets that keep at least one row, shrunk to their kept rows.
 */
export function subGraph(g: FlowGraph, keep: (a: FlowArrow) => boolean): FlowGraph {
  const newRow = new Int32Array(g.arrows.length).fill(-1);
  const kept: FlowArrow[] = [];
  for (const a of g.arrows) {
    if (!keep(a)) continue;
    newRow[a.row] = kept.length;
    kept.push(a);
  }
  // lifelines in use, in their old order
  const used = new Uint8Array(g.lifelines.length);
  for (const a of kept) used[a.from] = used[a.to] = 1;
  const newLl = new Int32Array(g.lifelines.length).fill(-1);
  const lifelines: FlowLifeline[] = [];
  const hosts: FlowGraph['hosts'] = [];
  for (const h of g.hosts) {
    const ids: number[] = [];
    for (const id of h.lifelines) {
      if (!used[id]) continue;
      newLl[id] = lifelines.length;
      ids.push(lifelines.length);
      lifelines.push({ ...g.lifelines[id], id: lifelines.length, host: hosts.length });
    }
    if (ids.length) hosts.push({ addr: h.addr, lifelines: ids });
  }
  let prev = 0;
  const arrows = kept.map((a, r): FlowArrow => {
    const out: FlowArrow = { ...a, row: r, from: newLl[a.from], to: newLl[a.to], deltaNs: r === 0 ? 0 : a.relNs - prev };
    prev = a.relNs;
    return out;
  });
  const stateBoxes = g.stateBoxes.filter((b) => newRow[b.row] >= 0).map((b) => ({ ...b, row: newRow[b.row], lifeline: newLl[b.lifeline] }));
  const markers = g.markers.filter((m) => newRow[m.row] >= 0).map((m) => ({ ...m, row: newRow[m.row], lifeline: newLl[m.lifeline] }));
  const brackets: FlowBracket[] = [];
  for (const b of g.brackets) {
    let first = -1;
    let last = -1;
    for (let r = b.firstRow; r <= b.lastRow; r++) {
      if (newRow[r] < 0 || g.arrows[r].stream !== b.stream) continue;
      if (first < 0) first = newRow[r];
      last = newRow[r];
    }
    if (first >= 0) brackets.push({ ...b, firstRow: first, lastRow: last });
  }
  const streams = [...new Set(arrows.map((a) => a.stream))].sort((a, b) => a - b);
  return { ...g, hosts, lifelines, arrows, stateBoxes, markers, brackets, streams };
}

/** The rows with problems (analysis warnings, resets). */
export function problemsOnly(g: FlowGraph): FlowGraph {
  return subGraph(g, isProblemRow);
}

/**
 * A lane (0 = nearest the time column) for each bracket so that brackets whose rows overlap sit
 * side by side; -1 for a bracket that finds no free lane among `maxLanes` (many connections
 * interleaved: the arrows' step texts still say "handshake 2/3"). Brackets sorted by first row.
 */
export function bracketLanes(brackets: readonly Pick<FlowBracket, 'firstRow' | 'lastRow'>[], maxLanes: number): number[] {
  const laneEnd: number[] = []; // last row of the bracket in each lane
  return brackets.map((b) => {
    for (let l = 0; l < laneEnd.length; l++) {
      if (laneEnd[l] < b.firstRow) {
        laneEnd[l] = b.lastRow;
        return l;
      }
    }
    if (laneEnd.length < maxLanes) {
      laneEnd.push(b.lastRow);
      return laneEnd.length - 1;
    }
    return -1;
  });
}

/**
 * Rows an export takes: all of them when there are at most `cap`, otherwise `cap` rows from
 * `anchor` (the first row in view), moved back so that the range ends at the last row.
 */
export function exportRange(count: number, anchor: number, cap: number): { first: number; last: number; clipped: boolean } {
  if (count <= 0) return { first: 0, last: -1, clipped: false };
  if (count <= cap) return { first: 0, last: count - 1, clipped: false };
  const first = Math.max(0, Math.min(Math.floor(anchor), count - cap));
  return { first, last: first + cap - 1, clipped: true };
}

/**
 * PNG size for an SVG of width × height: a scale (at most 2, for sharp text) that keeps each side
 * within `maxSide` px and the area within `maxArea` px² (canvas limits), and the resulting size.
 */
export function pngSize(width: number, height: number, maxSide = 16384, maxArea = 64e6): { scale: number; width: number; height: number } {
  if (width <= 0 || height <= 0) return { scale: 1, width: 0, height: 0 };
  const scale = Math.min(2, maxSide / width, maxSide / height, Math.sqrt(maxArea / (width * height)));
  return { scale, width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}
