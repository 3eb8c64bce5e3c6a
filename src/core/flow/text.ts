/**
 * A flow graph as plain text, in the manner of `tshark -z flow,tcp,network`: a header naming the
 * endpoints (one column each, its lifeline drawn as "|"), then one line per packet — the time,
 * an arrow "-------SYN------>" / "<----SYN, ACK-----" between the two lifelines (the label after
 * the diagram when the arrow is too short for it), then the label, the comment, the step and the
 * analysis markers. Under a packet whose row changes an endpoint's state, a line names the new
 * state on that lifeline ("[ESTABLISHED]"). Pure.
 */
import { markersIn, stateBoxesIn, timeText, type FlowGraph, type FlowTimeMode } from './model';

export interface FlowTextOptions {
  /** Time column: relative (default), absolute or delta. */
  time?: FlowTimeMode;
  /** Rows first..last (inclusive; default all). */
  first?: number;
  last?: number;
  /** State lines under the packets (default true). */
  states?: boolean;
}

function center(text: string, width: number): string {
  if (text.length >= width) return text;
  const left = Math.floor((width - text.length) / 2);
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left);
}

/** Write `text` into `chars` at `at` (clipped at the ends). */
function put(chars: string[], at: number, text: string): void {
  for (let i = 0; i < text.length; i++) if (at + i >= 0 && at + i < chars.length) chars[at + i] = text[i];
}

export function flowText(g: FlowGraph, opts: FlowTextOptions = {}): string {
  const mode = opts.time ?? 'relative';
  const first = Math.max(0, opts.first ?? 0);
  const last = Math.min(g.arrows.length - 1, opts.last ?? g.arrows.length - 1);
  const showStates = opts.states !== false;
  const n = g.lifelines.length;
  let w = 28;
  for (const l of g.lifelines) w = Math.max(w, l.label.length + 4);
  if (w % 2) w++;
  const several = g.streams.length > 1;
  let tw = 10;
  for (let r = first; r <= last; r++) tw = Math.max(tw, timeText(g, r, mode).length + 2);
  const conv = (s: string): string => (several ? s.padEnd(6) : '');
  const centerOf = (i: number): number => i * w + w / 2;
  const blank = (): string[] => {
    const c = new Array<string>(n * w).fill(' ');
    for (let i = 0; i < n; i++) c[centerOf(i)] = '|';
    return c;
  };
  const trimEnd = (s: string): string => s.replace(/\s+$/, '');

  const lines: string[] = [];
  const head = new Array<string>(n * w).fill(' ');
  for (let i = 0; i < n; i++) put(head, i * w, center(g.lifelines[i].label, w));
  lines.push(trimEnd(conv('Conv') + 'Time'.padEnd(tw) + head.join('')));
  lines.push(trimEnd(conv('') + ' '.repeat(tw) + blank().join('')));
  const states = showStates && last >= first ? stateBoxesIn(g, first, last) : [];
  const marks = last >= first ? markersIn(g, first, last) : [];
  let si = 0;
  let mi = 0;
  let prevStream = -1;
  for (let r = first; r <= last; r++) {
    const a = g.arrows[r];
    if (several && prevStream !== -1 && a.stream !== prevStream) lines.push('-'.repeat(6 + tw + n * w));
    prevStream = a.stream;
    const c = blank();
    const x0 = centerOf(a.from);
    const x1 = centerOf(a.to);
    const lo = Math.min(x0, x1);
    const hi = Math.max(x0, x1);
    let arrow: string;
    if (lo === hi) arrow = '';
    else {
      const span = hi - lo - 1;
      const body = new Array<string>(span).fill('-');
      if (x0 < x1) body[span - 1] = '>';
      else body[0] = '<';
      arrow = body.join('');
    }
    let labelInArrow = false;
    if (arrow.length >= a.label.length + 4) {
      const body = arrow.split('');
      put(body, Math.floor((body.length - a.label.length) / 2), a.label);
      arrow = body.join('');
      labelInArrow = true;
    }
    put(c, lo + 1, arrow);
    const extra: string[] = [];
    if (!labelInArrow) extra.push(a.label);
    extra.push(a.comment);
    if (a.step) extra.push(`(${a.step})`);
    while (mi < marks.length && marks[mi].row < r) mi++;
    const ks: string[] = [];
    for (; mi < marks.length && marks[mi].row === r; mi++) ks.push(marks[mi].kind);
    if (ks.length) extra.push('[' + ks.join(', ') + ']');
    lines.push(conv(String(a.stream)) + timeText(g, r, mode).padEnd(tw) + c.join('') + '  ' + extra.join('  '));
    while (si < states.length && states[si].row < r) si++;
    if (si < states.length && states[si].row === r) {
      const sc = blank();
      for (; si < states.length && states[si].row === r; si++) {
        const b = states[si];
        const t = `[${b.state}]`;
        put(sc, centerOf(b.lifeline) - Math.floor(t.length / 2), t);
      }
      lines.push(trimEnd(conv('') + ' '.repeat(tw) + sc.join('')));
    }
  }
  return lines.join('\n') + '\n';
}
