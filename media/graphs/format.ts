/** Numbers of the Graphs panel as people read them (axis ticks, the summary table, the status line). */
import type { SeriesData } from '../../src/core/perf/series';

function si(v: number, unit: string): string {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(a >= 1e10 ? 1 : 2) + ' G' + unit;
  if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 1 : 2) + ' M' + unit;
  if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 1 : 2) + ' k' + unit;
  return (Number.isInteger(v) ? String(v) : v.toFixed(2)) + (unit ? ' ' + unit : '');
}

/** A value of a series in its unit. */
export function valueText(v: number, unit: SeriesData['unit']): string {
  if (!Number.isFinite(v)) return '–';
  switch (unit) {
    case 'seq':
      return si(Math.round(v), '');
    case 'Bps':
      return si(v, 'B/s');
    case 'ms':
      return (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3)) + ' ms';
    case 'bytes':
      return si(Math.round(v), 'B');
  }
}

/** Seconds with as many decimals as the visible range needs. */
export function timeText(t: number, span: number): string {
  const d = span >= 100 ? 1 : span >= 1 ? 3 : span >= 0.01 ? 5 : 7;
  return t.toFixed(d);
}

/** About `count` round tick values covering [a, b]. */
export function ticks(a: number, b: number, count: number): number[] {
  const span = b - a;
  if (!(span > 0)) return [a];
  const raw = span / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  // integer multiples of the step, rounded to 12 digits: 0.6, not 0.6000000000000001
  for (let k = Math.ceil(a / step - 1e-9); k * step <= b + step * 1e-9 && out.length < 50; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** "{0} of {1}"-style templates filled in (the host sends them translated). */
export function fill(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d)\}/g, (m, k: string) => (Number(k) < args.length ? String(args[Number(k)]) : m));
}
