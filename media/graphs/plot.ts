/**
 * The Graphs panel's plot: one <svg> drawn with DOM APIs (axes, grid, one <path> a layer from
 * layerPath — src/core/perf/series.ts —, the selected packet's line and ring), its zoom and pan
 * (wheel / drag, + − 0 and Shift+arrows) and the choice of a point (click, or arrows then Enter).
 * Colours are CSS classes over --vscode-* variables (graphs.css); the SVG export inlines them.
 */
import { layerPath, type SeriesData } from '../../src/core/perf/series';
import type { GraphsUiStrings } from '../../src/extension/graphs/messages';
import { fill, ticks, timeText, valueText } from './format';

const NS = 'http://www.w3.org/2000/svg';
const M = { left: 76, right: 12, top: 12, bottom: 40 };
/** A click counts as a drag past this many pixels; a point is chosen within this distance. */
const DRAG_PX = 3;
const PICK_PX = 12;

export interface PlotHooks {
  /** The user zoomed or panned: draw [t0, t1]. */
  view(t0: number, t1: number): void;
  /** The user chose the point of packet `index`. */
  choose(index: number): void;
  /** Text for the status line (the point under the keyboard cursor). */
  status(text: string): void;
}

interface Pt {
  t: number;
  lo: number;
  hi: number;
  packet: number;
  layer: string;
}

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, cls?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (cls) e.setAttribute('class', cls);
  return e;
}

export class Plot {
  readonly svg = svgEl('svg', {}, 'plot');
  private series: SeriesData | undefined;
  private S: GraphsUiStrings | undefined;
  private w = 600;
  private h = 300;
  private points: Pt[] = [];
  private cursor = -1;
  private selIndex = -1;
  private selT = -1;
  /** The whole connection's time range (zoom out stops there). */
  full: [number, number] = [0, 1];

  constructor(private readonly hooks: PlotHooks) {
    this.svg.setAttribute('tabindex', '0');
    this.svg.setAttribute('role', 'img');
    this.svg.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    this.svg.addEventListener('pointerdown', (e) => this.down(e));
    this.svg.addEventListener('keydown', (e) => this.key(e));
  }

  /** Plot box width in pixels (what a series request asks for). */
  get plotWidth(): number {
    return Math.max(16, Math.floor(this.w - M.left - M.right));
  }

  resize(width: number, height: number): void {
    this.w = Math.max(200, Math.floor(width));
    this.h = Math.max(160, Math.floor(height));
  }

  private get box() {
    return { x0: M.left, y0: M.top, width: this.w - M.left - M.right, height: this.h - M.top - M.bottom };
  }

  private x(t: number): number {
    const s = this.series!;
    const b = this.box;
    return b.x0 + ((t - s.t0) / (s.t1 - s.t0)) * b.width;
  }
  private y(v: number): number {
    const s = this.series!;
    const b = this.box;
    return b.y0 + b.height - ((v - s.yMin) / (s.yMax - s.yMin)) * b.height;
  }
  private tAt(px: number): number {
    const s = this.series!;
    const b = this.box;
    return s.t0 + ((px - b.x0) / b.width) * (s.t1 - s.t0);
  }

  draw(s: SeriesData, S: GraphsUiStrings, label: string): void {
    this.series = s;
    this.S = S;
    const svg = this.svg;
    svg.textContent = '';
    svg.setAttribute('width', String(this.w));
    svg.setAttribute('height', String(this.h));
    svg.setAttribute('viewBox', `0 0 ${this.w} ${this.h}`);
    svg.setAttribute('aria-label', label);
    svg.setAttribute('aria-description', S.keys);
    svg.append(svgEl('rect', { x: 0, y: 0, width: this.w, height: this.h }, 'bg'));
    const b = this.box;
    const grid = svgEl('g', {}, 'grid');
    const axis = svgEl('g', {}, 'axis');
    for (const t of ticks(s.t0, s.t1, Math.max(2, Math.floor(b.width / 90)))) {
      const x = this.x(t);
      grid.append(svgEl('line', { x1: x, x2: x, y1: b.y0, y2: b.y0 + b.height }));
      const tx = svgEl('text', { x, y: b.y0 + b.height + 16, 'text-anchor': 'middle' });
      tx.textContent = timeText(t, s.t1 - s.t0);
      axis.append(tx);
    }
    for (const v of ticks(s.yMin, s.yMax, Math.max(2, Math.floor(b.height / 50)))) {
      const y = this.y(v);
      grid.append(svgEl('line', { x1: b.x0, x2: b.x0 + b.width, y1: y, y2: y }));
      const tx = svgEl('text', { x: b.x0 - 6, y: y + 4, 'text-anchor': 'end' });
      tx.textContent = valueText(v, s.unit);
      axis.append(tx);
    }
    const xTitle = svgEl('text', { x: b.x0 + b.width / 2, y: this.h - 6, 'text-anchor': 'middle' }, 'title');
    xTitle.textContent = S.time;
    axis.append(xTitle);
    axis.append(svgEl('rect', { x: b.x0, y: b.y0, width: b.width, height: b.height }, 'frame'));
    svg.append(grid, axis);
    // layers, clipped to the plot box
    const clipId = 'clip-plot';
    const defs = svgEl('defs');
    const clip = svgEl('clipPath', { id: clipId });
    clip.append(svgEl('rect', { x: b.x0, y: b.y0 - 4, width: b.width, height: b.height + 8 }));
    defs.append(clip);
    svg.append(defs);
    const layers = svgEl('g', { 'clip-path': `url(#${clipId})` });
    const pts: Pt[] = [];
    for (const l of s.layers) {
      if (l.data.length === 0) continue;
      const p = svgEl('path', { d: layerPath(s, l, b) }, `layer layer-${l.name} shape-${l.shape}`);
      const title = svgEl('title');
      title.textContent = S.layers[l.name] ?? l.name;
      p.append(title);
      layers.append(p);
      for (let i = 0; i < l.data.length; i += l.stride) {
        const packet = l.data[i + l.stride - 1];
        if (packet < 0) continue;
        pts.push({ t: l.data[i], lo: l.data[i + 1], hi: l.stride === 4 ? l.data[i + 2] : l.data[i + 1], packet, layer: l.name });
      }
    }
    svg.append(layers);
    pts.sort((a, c) => a.t - c.t);
    this.points = pts;
    this.cursor = -1;
    this.marks();
  }

  /** The source selected packet `index` at time `t` (-1: not in this connection). */
  select(index: number, t: number): void {
    this.selIndex = index;
    this.selT = t;
    if (this.series) this.marks();
  }

  private marks(): void {
    this.svg.querySelectorAll('.sel, .cursor').forEach((e) => e.remove());
    const s = this.series;
    if (!s) return;
    const b = this.box;
    if (this.selT >= s.t0 && this.selT <= s.t1) {
      const x = this.x(this.selT);
      this.svg.append(svgEl('line', { x1: x, x2: x, y1: b.y0, y2: b.y0 + b.height }, 'sel'));
      const p = this.points.find((q) => q.packet === this.selIndex);
      if (p) this.svg.append(svgEl('circle', { cx: this.x(p.t), cy: this.y(p.hi), r: 5 }, 'sel'));
    }
    const c = this.points[this.cursor];
    if (c) this.svg.append(svgEl('circle', { cx: this.x(c.t), cy: this.y(c.hi), r: 6 }, 'cursor'));
  }

  private clampView(t0: number, t1: number): [number, number] {
    const [f0, f1] = this.full;
    const fullSpan = Math.max(1e-6, f1 - f0);
    let span = Math.min(fullSpan, Math.max(1e-6, t1 - t0));
    let a = t0;
    if (span >= fullSpan) {
      a = f0;
      span = fullSpan;
    }
    a = Math.max(f0, Math.min(a, f0 + fullSpan - span));
    return [a, a + span];
  }

  /** Zoom by `factor` (< 1: in) around time `at`. */
  zoom(factor: number, at?: number): void {
    const s = this.series;
    if (!s) return;
    const a = at ?? (s.t0 + s.t1) / 2;
    const [t0, t1] = this.clampView(a - (a - s.t0) * factor, a + (s.t1 - a) * factor);
    this.hooks.view(t0, t1);
  }

  pan(fraction: number): void {
    const s = this.series;
    if (!s) return;
    const d = (s.t1 - s.t0) * fraction;
    const [t0, t1] = this.clampView(s.t0 + d, s.t1 + d);
    this.hooks.view(t0, t1);
  }

  reset(): void {
    this.hooks.view(this.full[0], this.full[1]);
  }

  private local(e: MouseEvent): [number, number] {
    const r = this.svg.getBoundingClientRect();
    return [((e.clientX - r.left) * this.w) / Math.max(1, r.width), ((e.clientY - r.top) * this.h) / Math.max(1, r.height)];
  }

  private wheel(e: WheelEvent): void {
    if (!this.series) return;
    e.preventDefault();
    const [px] = this.local(e);
    this.zoom(e.deltaY > 0 ? 1.25 : 0.8, this.tAt(px));
  }

  private down(e: PointerEvent): void {
    if (!this.series || e.button !== 0) return;
    const [x0, y0] = this.local(e);
    const s = this.series;
    let moved = false;
    const perPx = (s.t1 - s.t0) / this.box.width;
    const move = (ev: PointerEvent): void => {
      const [x] = this.local(ev);
      if (!moved && Math.abs(x - x0) < DRAG_PX) return;
      moved = true;
      const [t0, t1] = this.clampView(s.t0 - (x - x0) * perPx, s.t1 - (x - x0) * perPx);
      this.hooks.view(t0, t1);
    };
    const up = (): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      if (!moved) this.pick(x0, y0);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  /** The point nearest (x, y) within PICK_PX, chosen. */
  private pick(x: number, y: number): void {
    let best = -1;
    let bestD = PICK_PX;
    this.points.forEach((p, i) => {
      const px = this.x(p.t);
      if (Math.abs(px - x) > bestD) return;
      const yHi = this.y(p.hi);
      const yLo = this.y(p.lo);
      const dy = y < yHi ? yHi - y : y > yLo ? y - yLo : 0;
      const d = Math.hypot(px - x, dy);
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    });
    if (best < 0) return;
    this.cursor = best;
    this.marks();
    this.announce();
    this.hooks.choose(this.points[best].packet);
  }

  private announce(): void {
    const p = this.points[this.cursor];
    const s = this.series;
    if (!p || !s || !this.S) return;
    const v = p.lo === p.hi ? valueText(p.hi, s.unit) : valueText(p.lo, s.unit) + ' – ' + valueText(p.hi, s.unit);
    this.hooks.status(fill(this.S.point, p.packet + 1, (this.S.layers[p.layer] ?? p.layer) + ' ' + v, timeText(p.t, s.t1 - s.t0)));
  }

  private key(e: KeyboardEvent): void {
    if (!this.series) return;
    const k = e.key;
    let handled = true;
    if (k === '+' || k === '=') this.zoom(0.8);
    else if (k === '-' || k === '_') this.zoom(1.25);
    else if (k === '0' || k === 'Home') this.reset();
    else if ((k === 'ArrowLeft' || k === 'ArrowRight') && e.shiftKey) this.pan(k === 'ArrowLeft' ? -0.1 : 0.1);
    else if (k === 'ArrowLeft' || k === 'ArrowRight') {
      const n = this.points.length;
      if (n > 0) {
        this.cursor = this.cursor < 0 ? (k === 'ArrowRight' ? 0 : n - 1) : Math.max(0, Math.min(n - 1, this.cursor + (k === 'ArrowRight' ? 1 : -1)));
        this.marks();
        this.announce();
      }
    } else if (k === 'Enter' || k === ' ') {
      const p = this.points[this.cursor];
      if (p) this.hooks.choose(p.packet);
    } else handled = false;
    if (handled) e.preventDefault();
  }

  /** A standalone SVG document of what is drawn (colours from the theme inlined). */
  exportSvg(): string {
    const copy = this.svg.cloneNode(true) as SVGSVGElement;
    const src = this.svg.querySelectorAll('*');
    const dst = copy.querySelectorAll('*');
    src.forEach((el, i) => {
      const cs = getComputedStyle(el);
      const d = dst[i] as SVGElement;
      for (const prop of ['stroke', 'fill', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-size', 'font-family']) {
        const v = cs.getPropertyValue(prop);
        if (v) d.style.setProperty(prop, v);
      }
      d.removeAttribute('class');
    });
    copy.setAttribute('xmlns', NS);
    copy.removeAttribute('tabindex');
    return new XMLSerializer().serializeToString(copy);
  }

  /** The PNG of the export SVG, as a data: URL. */
  async exportPng(): Promise<string> {
    const url = URL.createObjectURL(new Blob([this.exportSvg()], { type: 'image/svg+xml' }));
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = this.w;
      c.height = this.h;
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(img, 0, 0, this.w, this.h);
      return c.toDataURL('image/png');
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}
