/**
 * The series the Graphs panel draws for one connection and one direction of data (issue 14): pure
 * functions of a ConnPackets (./connPackets.ts) and a view (kind, direction, time range, width in
 * pixels).
 *
 * - time-sequence (tcptrace / Stevens): the sender's segments as sequence ranges over time (first
 *   transmissions and retransmissions apart), the receiver's ACK line and receive-window line
 *   (ACK + window), its SACK blocks, and its zero windows marked on the ACK line;
 * - throughput: bytes a second of the sender's payload (all, and without retransmissions: goodput),
 *   over a sliding window;
 * - RTT: tshark's ack_rtt samples the receiver's ACKs gave the sender's data;
 * - window: the sender's bytes in flight and the receiver's advertised window.
 *
 * Decimation keeps every extreme: rows are put in pixel-wide buckets of the time range; a line keeps
 * per bucket its first, lowest, highest and last point (M4), a range layer the union of the
 * bucket's ranges (lowest start, highest end). So a bucket drawn from a million rows and one drawn
 * from each row show the same envelope, and a lone spike never disappears. Output is at most four
 * points a pixel a layer, whatever the connection's size: a 1 M-packet connection's series build
 * in one pass over the rows in view (`npm run bench` measures it), and the webview draws a few
 * thousand points. Statistics of each layer (count, min, max and when) are exact over the rows in
 * view, not over the decimated points: they fill the summary table beside each graph.
 */
import { A_RETRANSMISSION } from '../tcp/types';
import { rowAtTime, type ConnPackets } from './connPackets';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

export type GraphKind = 'tseq' | 'throughput' | 'rtt' | 'window';
export const GRAPH_KINDS: readonly GraphKind[] = ['tseq', 'throughput', 'rtt', 'window'];

/**
 * Layers: `bars` hold [t, low, high, packet] quadruples (a range a point), the others [t, value,
 * packet] triples (packet -1: a computed point, e.g. throughput). `step` lines hold their value
 * until the next point (ACK and window lines); `dots` are unconnected samples.
 */
export type LayerShape = 'bars' | 'step' | 'line' | 'dots' | 'marks';
export type LayerName = 'data' | 'retx' | 'sack' | 'ack' | 'rwin' | 'zerowin' | 'throughput' | 'goodput' | 'rtt' | 'bif' | 'awin';

export interface LayerStats {
  /** Rows (or samples) in view that the layer drew from. */
  count: number;
  /** Smallest and largest value (a range layer: lowest start, highest end), NaN when count is 0, and when they occur (s). */
  min: number;
  max: number;
  tMin: number;
  tMax: number;
}

export interface SeriesLayer {
  name: LayerName;
  shape: LayerShape;
  /** Numbers a point: 4 for bars, 3 otherwise. */
  stride: 3 | 4;
  data: number[];
  stats: LayerStats;
}

export interface SeriesRequest {
  kind: GraphKind;
  /** The direction whose data is drawn: 0 client → server, 1 server → client. */
  dir: 0 | 1;
  /** Time range, seconds since the connection's first packet (t1 > t0). */
  t0: number;
  t1: number;
  /** Pixel buckets across (clamped to [MIN_WIDTH, MAX_WIDTH]). */
  width: number;
}

export interface SeriesData {
  kind: GraphKind;
  dir: 0 | 1;
  t0: number;
  t1: number;
  /** Vertical extent of what is drawn (0 … 1 when empty). */
  yMin: number;
  yMax: number;
  /** 'seq': relative sequence numbers (bytes), 'Bps': bytes a second, 'ms', 'bytes'. */
  unit: 'seq' | 'Bps' | 'ms' | 'bytes';
  layers: SeriesLayer[];
}

export const MIN_WIDTH = 16;
export const MAX_WIDTH = 8192;
/** Rows looked at before the range for the line that enters it from the left (the ACK line's last value). */
const LOOK_BACK = 4096;

function emptyStats(): LayerStats {
  return { count: 0, min: NaN, max: NaN, tMin: NaN, tMax: NaN };
}

function note(s: LayerStats, t: number, lo: number, hi: number): void {
  if (s.count++ === 0 || lo < s.min) {
    s.min = lo;
    s.tMin = t;
  }
  if (s.count === 1 || hi > s.max) {
    s.max = hi;
    s.tMax = t;
  }
}

/** M4 decimation of a line: per bucket the first, lowest, highest and last point, in time order. */
class M4 {
  readonly data: number[] = [];
  readonly stats = emptyStats();
  private b = NaN;
  // first, min, max, last: row, t, value, packet
  private fr = 0; private ft = 0; private fv = 0; private fp = 0;
  private nr = 0; private nt = 0; private nv = 0; private np = 0;
  private xr = 0; private xt = 0; private xv = 0; private xp = 0;
  private lr = 0; private lt = 0; private lv = 0; private lp = 0;

  constructor(
    private readonly t0: number,
    private readonly scale: number,
  ) {}

  /** A point outside the range (continuity at the edge): drawn, not counted. */
  edge(row: number, t: number, v: number, p: number): void {
    this.flush();
    this.data.push(t, v, p);
    this.b = NaN;
    void row;
  }

  push(row: number, t: number, v: number, p: number): void {
    note(this.stats, t, v, v);
    const b = Math.floor((t - this.t0) * this.scale);
    if (b !== this.b) {
      this.flush();
      this.b = b;
      this.fr = this.nr = this.xr = this.lr = row;
      this.ft = this.nt = this.xt = this.lt = t;
      this.fv = this.nv = this.xv = this.lv = v;
      this.fp = this.np = this.xp = this.lp = p;
      return;
    }
    if (v < this.nv) {
      this.nr = row; this.nt = t; this.nv = v; this.np = p;
    }
    if (v > this.xv) {
      this.xr = row; this.xt = t; this.xv = v; this.xp = p;
    }
    this.lr = row; this.lt = t; this.lv = v; this.lp = p;
  }

  flush(): void {
    if (Number.isNaN(this.b)) return;
    const d = this.data;
    d.push(this.ft, this.fv, this.fp);
    // min and max in row order, each once, then the last
    const lo = this.nr <= this.xr;
    const aR = lo ? this.nr : this.xr;
    const bR = lo ? this.xr : this.nr;
    if (aR !== this.fr && aR !== this.lr) d.push(lo ? this.nt : this.xt, lo ? this.nv : this.xv, lo ? this.np : this.xp);
    if (bR !== this.fr && bR !== this.lr && bR !== aR) d.push(lo ? this.xt : this.nt, lo ? this.xv : this.nv, lo ? this.xp : this.np);
    if (this.lr !== this.fr) d.push(this.lt, this.lv, this.lp);
    this.b = NaN;
  }
}

/** Range decimation: per bucket the union of the ranges (lowest start, highest end) at the bucket's first time and packet. */
class Ranges {
  readonly data: number[] = [];
  readonly stats = emptyStats();
  private b = NaN;
  private t = 0;
  private lo = 0;
  private hi = 0;
  private p = 0;

  constructor(
    private readonly t0: number,
    private readonly scale: number,
  ) {}

  push(t: number, lo: number, hi: number, p: number): void {
    note(this.stats, t, lo, hi);
    const b = Math.floor((t - this.t0) * this.scale);
    if (b !== this.b) {
      this.flush();
      this.b = b;
      this.t = t;
      this.lo = lo;
      this.hi = hi;
      this.p = p;
      return;
    }
    if (lo < this.lo) this.lo = lo;
    if (hi > this.hi) this.hi = hi;
  }

  flush(): void {
    if (Number.isNaN(this.b)) return;
    this.data.push(this.t, this.lo, this.hi, this.p);
    this.b = NaN;
  }
}

function lineLayer(name: LayerName, shape: LayerShape, m: M4): SeriesLayer {
  m.flush();
  return { name, shape, stride: 3, data: m.data, stats: m.stats };
}

function rangeLayer(name: LayerName, r: Ranges): SeriesLayer {
  r.flush();
  return { name, shape: 'bars', stride: 4, data: r.data, stats: r.stats };
}

/** Clamp a request to sane numbers (a webview sends them). */
export function clampRequest(c: ConnPackets, req: SeriesRequest): SeriesRequest {
  const end = c.n > 0 ? c.t[c.n - 1] : 0;
  let t0 = Number.isFinite(req.t0) ? req.t0 : 0;
  let t1 = Number.isFinite(req.t1) ? req.t1 : end;
  if (t1 <= t0) t1 = t0 + Math.max(1e-6, end - t0);
  t0 = Math.max(-1e9, t0);
  t1 = Math.min(1e9, t1);
  const width = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, Math.floor(Number.isFinite(req.width) ? req.width : 800)));
  return { kind: req.kind, dir: req.dir === 1 ? 1 : 0, t0, t1, width };
}

/** Build the series of one view. */
export function buildSeries(c: ConnPackets, request: SeriesRequest): SeriesData {
  const req = clampRequest(c, request);
  const { t0, t1, dir, width } = req;
  const scale = width / (t1 - t0);
  const from = rowAtTime(c, t0);
  const to = rowAtTime(c, t1 + 1e-12); // rows with t ≤ t1
  let layers: SeriesLayer[];
  let unit: SeriesData['unit'];
  switch (req.kind) {
    case 'tseq':
      layers = timeSequence(c, dir, from, to, t0, scale);
      unit = 'seq';
      break;
    case 'throughput':
      layers = throughput(c, dir, t0, t1, width);
      unit = 'Bps';
      break;
    case 'rtt':
      layers = rtt(c, dir, from, to, t0, scale);
      unit = 'ms';
      break;
    case 'window':
      layers = windows(c, dir, from, to, t0, scale);
      unit = 'bytes';
      break;
  }
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const l of layers) {
    const d = l.data;
    const hiOff = l.stride === 4 ? 2 : 1;
    for (let i = 0; i < d.length; i += l.stride) {
      if (d[i + 1] < yMin) yMin = d[i + 1];
      if (d[i + hiOff] > yMax) yMax = d[i + hiOff];
    }
  }
  if (!(yMax >= yMin)) {
    yMin = 0;
    yMax = 1;
  } else if (unit !== 'seq') yMin = Math.min(0, yMin); // rates, times and sizes from zero
  if (yMax === yMin) yMax = yMin + 1;
  return { kind: req.kind, dir, t0, t1, yMin, yMax, unit, layers };
}

function timeSequence(c: ConnPackets, dir: number, from: number, to: number, t0: number, scale: number): SeriesLayer[] {
  const data = new Ranges(t0, scale);
  const retx = new Ranges(t0, scale);
  const sack = new Ranges(t0, scale);
  const ack = new M4(t0, scale);
  const rwin = new M4(t0, scale);
  const zero = new M4(t0, scale);
  // the receiver's last ACK before the range: the ACK and window lines enter from the left edge
  for (let r = from - 1; r >= 0 && r >= from - LOOK_BACK; r--) {
    if (c.dir[r] !== dir && c.flags[r] & TH_ACK) {
      ack.edge(r, c.t[r], c.ack[r], c.index[r]);
      rwin.edge(r, c.t[r], c.ack[r] + c.win[r], c.index[r]);
      break;
    }
  }
  for (let r = from; r < to; r++) {
    const t = c.t[r];
    const f = c.flags[r];
    if (c.dir[r] === dir) {
      const len = c.len[r] + (f & (TH_SYN | TH_FIN) ? 1 : 0);
      if (len === 0) continue;
      const lo = c.seq[r];
      (c.analysis[r] & A_RETRANSMISSION ? retx : data).push(t, lo, lo + len, c.index[r]);
    } else if (f & TH_ACK) {
      const a = c.ack[r];
      const p = c.index[r];
      ack.push(r, t, a, p);
      rwin.push(r, t, a + c.win[r], p);
      if (c.win[r] === 0 && (f & (TH_SYN | TH_RST)) === 0) zero.push(r, t, a, p);
      const s = c.sack.size > 0 ? c.sack.get(r) : undefined;
      if (s) for (let k = 0; k + 1 < s.length; k += 2) sack.push(t, s[k], s[k + 1], p);
    }
  }
  return [
    rangeLayer('data', data),
    rangeLayer('retx', retx),
    rangeLayer('sack', sack),
    lineLayer('ack', 'step', ack),
    lineLayer('rwin', 'step', rwin),
    lineLayer('zerowin', 'marks', zero),
  ];
}

/**
 * Payload bytes a second of `dir`, sampled at `samples` evenly spaced times over a trailing window of
 * max(2 samples, 1/50 of the range): two pointers over the rows, one pass.
 */
function throughput(c: ConnPackets, dir: number, t0: number, t1: number, width: number): SeriesLayer[] {
  const samples = Math.max(8, Math.min(2000, Math.floor(width / 2)));
  const step = (t1 - t0) / samples;
  const w = Math.max(2 * step, (t1 - t0) / 50);
  const all: number[] = [];
  const good: number[] = [];
  const sAll = emptyStats();
  const sGood = emptyStats();
  let head = rowAtTime(c, t0 - w); // next row to enter the window
  let tail = head; // oldest row still in it
  let bytes = 0;
  let goodBytes = 0;
  for (let k = 0; k <= samples; k++) {
    const x = t0 + k * step;
    while (head < c.n && c.t[head] <= x) {
      if (c.dir[head] === dir) {
        bytes += c.len[head];
        if ((c.analysis[head] & A_RETRANSMISSION) === 0) goodBytes += c.len[head];
      }
      head++;
    }
    while (tail < head && c.t[tail] <= x - w) {
      if (c.dir[tail] === dir) {
        bytes -= c.len[tail];
        if ((c.analysis[tail] & A_RETRANSMISSION) === 0) goodBytes -= c.len[tail];
      }
      tail++;
    }
    const a = bytes / w;
    const g = goodBytes / w;
    all.push(x, a, -1);
    good.push(x, g, -1);
    note(sAll, x, a, a);
    note(sGood, x, g, g);
  }
  return [
    { name: 'throughput', shape: 'line', stride: 3, data: all, stats: sAll },
    { name: 'goodput', shape: 'line', stride: 3, data: good, stats: sGood },
  ];
}

function rtt(c: ConnPackets, dir: number, from: number, to: number, t0: number, scale: number): SeriesLayer[] {
  // the RTT of `dir`'s data is on the receiver's ACKs
  const m = new M4(t0, scale);
  for (let r = from; r < to; r++) if (c.dir[r] !== dir && c.rttMs[r] > 0) m.push(r, c.t[r], c.rttMs[r], c.index[r]);
  return [lineLayer('rtt', 'dots', m)];
}

function windows(c: ConnPackets, dir: number, from: number, to: number, t0: number, scale: number): SeriesLayer[] {
  const bif = new M4(t0, scale);
  const awin = new M4(t0, scale);
  for (let r = from - 1; r >= 0 && r >= from - LOOK_BACK; r--) {
    if (c.dir[r] !== dir && (c.flags[r] & TH_RST) === 0) {
      awin.edge(r, c.t[r], c.win[r], c.index[r]);
      break;
    }
  }
  for (let r = from; r < to; r++) {
    if (c.dir[r] === dir) {
      if (c.bif[r] > 0) bif.push(r, c.t[r], c.bif[r], c.index[r]);
    } else if ((c.flags[r] & TH_RST) === 0) awin.push(r, c.t[r], c.win[r], c.index[r]);
  }
  return [lineLayer('bif', 'line', bif), lineLayer('awin', 'step', awin)];
}

/** Points of a series (all layers): what the webview draws. */
export function seriesPoints(s: SeriesData): number {
  let n = 0;
  for (const l of s.layers) n += l.data.length / l.stride;
  return n;
}

/** Maps a series' time and value to pixels. */
export interface PlotScale {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * The SVG path (`d`) of one layer in a plot box: a polyline, steps, short vertical bars or small
 * marks. Pure string building, shared by the webview (its DOM paths) and the SVG export; one
 * command a point, numbers to 0.1 px.
 */
export function layerPath(s: SeriesData, l: SeriesLayer, box: PlotScale): string {
  const kx = box.width / (s.t1 - s.t0);
  const ky = box.height / (s.yMax - s.yMin);
  const X = (t: number): number => Math.round((box.x0 + (t - s.t0) * kx) * 10) / 10;
  const Y = (v: number): number => Math.round((box.y0 + box.height - (v - s.yMin) * ky) * 10) / 10;
  const d = l.data;
  const parts: string[] = [];
  if (l.shape === 'bars') {
    for (let i = 0; i < d.length; i += 4) {
      const x = X(d[i]);
      const y1 = Y(d[i + 1]);
      let y2 = Y(d[i + 2]);
      if (y1 - y2 < 1) y2 = y1 - 1; // a range thinner than a pixel is drawn one pixel tall
      parts.push(`M${x} ${y1}V${y2}`);
    }
  } else if (l.shape === 'dots' || l.shape === 'marks') {
    const r = l.shape === 'marks' ? 3 : 1.5;
    for (let i = 0; i < d.length; i += 3) {
      const x = X(d[i]);
      const y = Y(d[i + 1]);
      parts.push(`M${x - r} ${y}h${2 * r}M${x} ${y - r}v${2 * r}`);
    }
  } else {
    for (let i = 0; i < d.length; i += 3) {
      const x = X(d[i]);
      const y = Y(d[i + 1]);
      if (i === 0) parts.push(`M${x} ${y}`);
      else if (l.shape === 'step') parts.push(`H${x}V${y}`);
      else parts.push(`L${x} ${y}`);
    }
  }
  return parts.join('');
}
