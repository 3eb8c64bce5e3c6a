/**
 * A flow graph (or a range of its rows) as a standalone SVG document: endpoint headers and
 * lifelines, one arrow per packet with its label above and its comment at the right, state boxes
 * on the lifelines where a state changes, brackets over the handshake and the teardown, and
 * analysis markers. Colours are CSS custom properties with fallbacks (the webview can theme them
 * with --vscode-* values; standalone, the fallbacks apply). Every packet-derived string is
 * XML-escaped. Pure.
 */
import { bracketsIn, markersIn, stateBoxesIn, timeText, type FlowGraph, type FlowMarkerKind, type FlowTimeMode } from './model';
import { FLOW_SVG_LAYOUT } from './grid';

export interface FlowSvgOptions {
  time?: FlowTimeMode;
  /** Rows first..last (inclusive; default all). */
  first?: number;
  last?: number;
}

// Defined with the grid (grid.ts, which the webview imports alone); still exported here for the SVG's importers.
export { FLOW_SVG_LAYOUT };

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

const STYLE = `
.bg{fill:var(--flow-background,#ffffff)}
.hd{fill:var(--flow-header-background,#eef2f7);stroke:var(--flow-lifeline,#8a94a6);stroke-width:1}
.hdt{fill:var(--flow-foreground,#1f2328);font:600 12px var(--flow-font,monospace)}
.ll{stroke:var(--flow-lifeline,#8a94a6);stroke-width:1;stroke-dasharray:4 3}
.ar{stroke:var(--flow-arrow,#1f6feb);stroke-width:1.5}
.ah{fill:var(--flow-arrow,#1f6feb)}
.ar.rst{stroke:var(--flow-error,#cf222e)}
.ah.rst{fill:var(--flow-error,#cf222e)}
.lb{fill:var(--flow-foreground,#1f2328);font:12px var(--flow-font,monospace)}
.cm{fill:var(--flow-muted,#57606a);font:11px var(--flow-font,monospace)}
.tm{fill:var(--flow-muted,#57606a);font:11px var(--flow-font,monospace)}
.sb{fill:var(--flow-state-background,#fff8c5);stroke:var(--flow-state-border,#9a6700);stroke-width:1}
.st{fill:var(--flow-state-foreground,#4d2d00);font:10px var(--flow-font,monospace)}
.br{fill:none;stroke:var(--flow-bracket,#8250df);stroke-width:1.5}
.bt{fill:var(--flow-bracket,#8250df);font:10px var(--flow-font,monospace)}
.mk{fill:var(--flow-warning,#bf8700)}
.mk.rst,.mk.retransmission,.mk.fast_retransmission,.mk.zero_window,.mk.lost_segment{fill:var(--flow-error,#cf222e)}
.mt{fill:var(--flow-warning,#bf8700);font:600 10px var(--flow-font,monospace)}
`;

function cls(kind: FlowMarkerKind): string {
  return kind.replace(/[^a-z_]/g, '');
}

export function flowSvg(g: FlowGraph, opts: FlowSvgOptions = {}): string {
  const L = FLOW_SVG_LAYOUT;
  const mode = opts.time ?? 'relative';
  const first = Math.max(0, opts.first ?? 0);
  const last = Math.min(g.arrows.length - 1, opts.last ?? g.arrows.length - 1);
  const rows = Math.max(0, last - first + 1);
  let col: number = L.minColumn;
  for (const l of g.lifelines) col = Math.max(col, l.label.length * L.charWidth + 24);
  const left = L.timeWidth + L.bracketWidth;
  const n = g.lifelines.length;
  const commentX = left + n * col + 12;
  const width = commentX + L.commentWidth;
  const height = L.headerHeight + rows * L.rowHeight + 12;
  const cx = (i: number): number => left + i * col + col / 2;
  const rowTop = (r: number): number => L.headerHeight + (r - first) * L.rowHeight;
  const arrowY = (r: number): number => rowTop(r) + 16;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push(`<style>${STYLE}</style>`);
  out.push(`<rect class="bg" x="0" y="0" width="${width}" height="${height}"/>`);
  out.push(`<text class="hdt" x="6" y="${L.headerHeight / 2 + 4}">Time</text>`);
  for (let i = 0; i < n; i++) {
    const l = g.lifelines[i];
    const x = cx(i);
    out.push(`<line class="ll" x1="${x}" y1="${L.headerHeight - 6}" x2="${x}" y2="${height}"/>`);
    out.push(`<rect class="hd" x="${x - col / 2 + 6}" y="6" width="${col - 12}" height="${L.headerHeight - 12}" rx="4"/>`);
    out.push(`<text class="hdt" x="${x}" y="${L.headerHeight / 2 + 4}" text-anchor="middle">${xmlEscape(l.label)}</text>`);
  }
  const marks = rows ? markersIn(g, first, last) : [];
  let mi = 0;
  for (let r = first; r <= last; r++) {
    const a = g.arrows[r];
    const y = arrowY(r);
    const x0 = cx(a.from);
    const x1 = cx(a.to);
    const rst = (a.flags & 0x04) !== 0 ? ' rst' : '';
    out.push(`<g data-row="${r}" data-index="${a.index}" data-stream="${a.stream}">`);
    out.push(`<text class="tm" x="6" y="${y + 4}">${xmlEscape(timeText(g, r, mode))}</text>`);
    if (x0 !== x1) {
      const dirn = x1 > x0 ? 1 : -1;
      const tip = x1 - dirn * 1;
      out.push(`<line class="ar${rst}" x1="${x0}" y1="${y}" x2="${tip - dirn * 7}" y2="${y}"/>`);
      out.push(`<polygon class="ah${rst}" points="${tip},${y} ${tip - dirn * 9},${y - 4} ${tip - dirn * 9},${y + 4}"/>`);
    }
    out.push(`<text class="lb" x="${(x0 + x1) / 2}" y="${y - 5}" text-anchor="middle">${xmlEscape(a.label)}</text>`);
    const ks: string[] = [];
    while (mi < marks.length && marks[mi].row < r) mi++;
    for (; mi < marks.length && marks[mi].row === r; mi++) {
      const m = marks[mi];
      ks.push(m.kind);
      out.push(`<circle class="mk ${cls(m.kind)}" cx="${cx(m.lifeline)}" cy="${y}" r="4"/>`);
    }
    out.push(`<text class="cm" x="${commentX}" y="${y + 4}">${xmlEscape(a.comment)}${ks.length ? `<tspan class="mt" dx="8">${xmlEscape(ks.join(', '))}</tspan>` : ''}</text>`);
    out.push('</g>');
  }
  if (rows) {
    for (const b of stateBoxesIn(g, first, last)) {
      const x = cx(b.lifeline);
      const text = b.state;
      const w = text.length * 6.5 + 10;
      const y = rowTop(b.row) + 22;
      out.push(`<g class="state" data-row="${b.row}" data-lifeline="${b.lifeline}"><rect class="sb" x="${x - w / 2}" y="${y}" width="${w}" height="15" rx="3"/><text class="st" x="${x}" y="${y + 11}" text-anchor="middle">${xmlEscape(text)}</text></g>`);
    }
    for (const b of bracketsIn(g, first, last)) {
      const y1 = arrowY(Math.max(first, b.firstRow)) - 6;
      const y2 = arrowY(Math.min(last, b.lastRow)) + 6;
      const x = L.timeWidth + 18;
      out.push(`<g class="bracket" data-stream="${b.stream}" data-kind="${b.kind}"><path class="br" d="M${x + 6} ${y1} H${x} V${y2} H${x + 6}"/><text class="bt" transform="translate(${x - 4} ${(y1 + y2) / 2}) rotate(-90)" text-anchor="middle">${xmlEscape(b.label)}</text></g>`);
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
