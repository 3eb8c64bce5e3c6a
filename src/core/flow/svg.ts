/**
 * A flow graph (or a range of its rows) as a standalone SVG document: endpoint headers and
 * lifelines, one arrow per packet with its label above and its comment at the right, state boxes
 * on the lifelines where a state changes, brackets over the handshake and the teardown, and
 * analysis markers. Colours are CSS custom properties with fallbacks (the webview can theme them
 * with --vscode-* values; standalone, the fallbacks apply). Every packet-derived string is
 * XML-escaped. Pure.
 */
import { bracketsIn, forEachRowIn, lifelineTitle, markersIn, stateBoxesIn, timeText, type FlowArrow, type FlowBracket, type FlowGraph, type FlowLifeline, type FlowMarker, type FlowMarkerKind, type FlowStateBox, type FlowTimeMode } from './model';
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

/**
 * The SVG a few elements at a time: head() once, row() per row in order, end() with the brackets.
 * State boxes are drawn with their row, so nothing but the brackets (one or two per connection)
 * waits for the end: a caller can write the picture out as it comes.
 */
export class FlowSvgWriter {
  private readonly col: number;
  private readonly left: number;
  private readonly commentX: number;
  private readonly width: number;
  private readonly height: number;

  /** `rows`: how many rows will come; `first`: the number of the first (rows are placed from it). */
  constructor(
    private readonly lifelines: readonly FlowLifeline[],
    rows: number,
    private readonly first = 0,
  ) {
    const L = FLOW_SVG_LAYOUT;
    let col: number = L.minColumn;
    for (const l of lifelines) col = Math.max(col, lifelineTitle(l).length * L.charWidth + 24);
    this.col = col;
    this.left = L.timeWidth + L.bracketWidth;
    this.commentX = this.left + lifelines.length * col + 12;
    this.width = this.commentX + L.commentWidth;
    this.height = L.headerHeight + Math.max(0, rows) * L.rowHeight + 12;
  }

  private cx(i: number): number {
    return this.left + i * this.col + this.col / 2;
  }

  private rowTop(r: number): number {
    return FLOW_SVG_LAYOUT.headerHeight + (r - this.first) * FLOW_SVG_LAYOUT.rowHeight;
  }

  private arrowY(r: number): number {
    return this.rowTop(r) + 16;
  }

  /** The svg element, its style, background and the lifelines with their headers; `note` (if any) as its description. */
  head(note?: string): string {
    const L = FLOW_SVG_LAYOUT;
    const { width, height, col } = this;
    const out: string[] = [];
    out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
    if (note) out.push(`<desc>${xmlEscape(note)}</desc>`);
    out.push(`<style>${STYLE}</style>`);
    out.push(`<rect class="bg" x="0" y="0" width="${width}" height="${height}"/>`);
    out.push(`<text class="hdt" x="6" y="${L.headerHeight / 2 + 4}">Time</text>`);
    for (let i = 0; i < this.lifelines.length; i++) {
      const l = this.lifelines[i];
      const x = this.cx(i);
      out.push(`<line class="ll" x1="${x}" y1="${L.headerHeight - 6}" x2="${x}" y2="${height}"/>`);
      out.push(`<rect class="hd" x="${x - col / 2 + 6}" y="6" width="${col - 12}" height="${L.headerHeight - 12}" rx="4"/>`);
      out.push(`<text class="hdt" x="${x}" y="${L.headerHeight / 2 + 4}" text-anchor="middle">${xmlEscape(lifelineTitle(l))}</text>`);
    }
    return out.join('\n') + '\n';
  }

  /** One row: its arrow, label, time, comment and markers, then its state boxes. */
  row(a: FlowArrow, states: readonly FlowStateBox[], markers: readonly FlowMarker[], time: string): string {
    const out: string[] = [];
    const r = a.row;
    const y = this.arrowY(r);
    const x0 = this.cx(a.from);
    const x1 = this.cx(a.to);
    const rst = (a.flags & 0x04) !== 0 ? ' rst' : '';
    out.push(`<g data-row="${r}" data-index="${a.index}" data-stream="${a.stream}">`);
    out.push(`<text class="tm" x="6" y="${y + 4}">${xmlEscape(time)}</text>`);
    if (x0 !== x1) {
      const dirn = x1 > x0 ? 1 : -1;
      const tip = x1 - dirn * 1;
      out.push(`<line class="ar${rst}" x1="${x0}" y1="${y}" x2="${tip - dirn * 7}" y2="${y}"/>`);
      out.push(`<polygon class="ah${rst}" points="${tip},${y} ${tip - dirn * 9},${y - 4} ${tip - dirn * 9},${y + 4}"/>`);
    }
    out.push(`<text class="lb" x="${(x0 + x1) / 2}" y="${y - 5}" text-anchor="middle">${xmlEscape(a.label)}</text>`);
    const ks: string[] = [];
    for (const m of markers) {
      ks.push(m.kind);
      out.push(`<circle class="mk ${cls(m.kind)}" cx="${this.cx(m.lifeline)}" cy="${y}" r="4"/>`);
    }
    out.push(`<text class="cm" x="${this.commentX}" y="${y + 4}">${xmlEscape(a.comment)}${ks.length ? `<tspan class="mt" dx="8">${xmlEscape(ks.join(', '))}</tspan>` : ''}</text>`);
    out.push('</g>');
    for (const b of states) {
      const x = this.cx(b.lifeline);
      const text = b.state;
      const w = text.length * 6.5 + 10;
      const by = this.rowTop(b.row) + 22;
      out.push(`<g class="state" data-row="${b.row}" data-lifeline="${b.lifeline}"><rect class="sb" x="${x - w / 2}" y="${by}" width="${w}" height="15" rx="3"/><text class="st" x="${x}" y="${by + 11}" text-anchor="middle">${xmlEscape(text)}</text></g>`);
    }
    return out.join('\n') + '\n';
  }

  /** The brackets (clipped to rows first..last) and the end of the svg element. */
  end(brackets: Iterable<FlowBracket>, last: number): string {
    const out: string[] = [];
    for (const b of brackets) {
      if (b.lastRow < this.first || b.firstRow > last) continue;
      const y1 = this.arrowY(Math.max(this.first, b.firstRow)) - 6;
      const y2 = this.arrowY(Math.min(last, b.lastRow)) + 6;
      const x = FLOW_SVG_LAYOUT.timeWidth + 18;
      out.push(`<g class="bracket" data-stream="${b.stream}" data-kind="${b.kind}"><path class="br" d="M${x + 6} ${y1} H${x} V${y2} H${x + 6}"/><text class="bt" transform="translate(${x - 4} ${(y1 + y2) / 2}) rotate(-90)" text-anchor="middle">${xmlEscape(b.label)}</text></g>`);
    }
    out.push('</svg>');
    return out.join('\n') + '\n';
  }
}

export function flowSvg(g: FlowGraph, opts: FlowSvgOptions = {}): string {
  const mode = opts.time ?? 'relative';
  const first = Math.max(0, opts.first ?? 0);
  const last = Math.min(g.arrows.length - 1, opts.last ?? g.arrows.length - 1);
  const rows = Math.max(0, last - first + 1);
  const writer = new FlowSvgWriter(g.lifelines, rows, first);
  const parts: string[] = [writer.head()];
  const states = rows ? stateBoxesIn(g, first, last) : [];
  const marks = rows ? markersIn(g, first, last) : [];
  forEachRowIn(first, last, states, marks, (r, rs, rm) => parts.push(writer.row(g.arrows[r], rs, rm, timeText(g, r, mode))));
  parts.push(writer.end(rows ? bracketsIn(g, first, last) : [], last));
  return parts.join('');
}
