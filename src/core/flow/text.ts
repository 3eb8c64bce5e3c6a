/**
 * A flow graph as plain text, in the manner of `tshark -z flow,tcp,network`: a header naming the
 * endpoints (one column each, its lifeline drawn as "|"), then one line per packet — the time,
 * an arrow "-------SYN------>" / "<----SYN, ACK-----" between the two lifelines (the label after
 * the diagram when the arrow is too short for it), then the label, the comment, the step and the
 * analysis markers. Under a packet whose row changes an endpoint's state, a line names the new
 * state on that lifeline ("[ESTABLISHED]"). Pure.
 */
import { forEachRowIn, lifelineTitle, markersIn, stateBoxesIn, timeText, type FlowArrow, type FlowGraph, type FlowLifeline, type FlowMarker, type FlowStateBox, type FlowTimeMode } from './model';

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

/** Trailing spaces off, in one backward scan (the lines hold only spaces as blanks; a regex like /\s+$/ retries every run of spaces and was quadratic: 10 s for a 64 K-character host name). */
export function trimEndSpaces(s: string): string {
  let e = s.length;
  while (e > 0) {
    const c = s.charCodeAt(e - 1);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    e--;
  }
  return e === s.length ? s : s.slice(0, e);
}

/** What a FlowTextWriter needs before its first row. */
export interface FlowTextLayout {
  lifelines: readonly FlowLifeline[];
  /** More than one stream: a "Conv" column and a separator line between conversations. */
  several: boolean;
  /** Width of the time column: flowTextTimeWidth of the longest time text. */
  timeWidth: number;
  /** State lines under the packets (default true). */
  states?: boolean;
}

/** The time column's width for the longest time text of the rows. */
export function flowTextTimeWidth(longestTime: number): number {
  return Math.max(10, longestTime + 2);
}

/**
 * The text diagram a few lines at a time: head() once, then row() per row in order. Each call
 * returns whole lines (each ending "\n"), so a caller can write them out as they come.
 */
export class FlowTextWriter {
  private readonly w: number;
  private readonly n: number;
  private readonly tw: number;
  private readonly several: boolean;
  private readonly showStates: boolean;
  private prevStream = -1;

  constructor(private readonly layout: FlowTextLayout) {
    this.n = layout.lifelines.length;
    let w = 28;
    for (const l of layout.lifelines) w = Math.max(w, lifelineTitle(l).length + 4);
    if (w % 2) w++;
    this.w = w;
    this.tw = layout.timeWidth;
    this.several = layout.several;
    this.showStates = layout.states !== false;
  }

  private conv(s: string): string {
    return this.several ? s.padEnd(6) : '';
  }

  private centerOf(i: number): number {
    return i * this.w + this.w / 2;
  }

  private blank(): string[] {
    const c = new Array<string>(this.n * this.w).fill(' ');
    for (let i = 0; i < this.n; i++) c[this.centerOf(i)] = '|';
    return c;
  }

  /** The header: the endpoints' names over their lifelines, and an empty row. */
  head(): string {
    const { n, w, tw } = this;
    const head = new Array<string>(n * w).fill(' ');
    for (let i = 0; i < n; i++) put(head, i * w, center(lifelineTitle(this.layout.lifelines[i]), w));
    return trimEndSpaces(this.conv('Conv') + 'Time'.padEnd(tw) + head.join('')) + '\n' + trimEndSpaces(this.conv('') + ' '.repeat(tw) + this.blank().join('')) + '\n';
  }

  /** The lines of one row: its arrow (after a separator when the conversation changes), and its state line. */
  row(a: FlowArrow, states: readonly FlowStateBox[], markers: readonly FlowMarker[], time: string): string {
    const { n, w, tw } = this;
    let out = '';
    if (this.several && this.prevStream !== -1 && a.stream !== this.prevStream) out += '-'.repeat(6 + tw + n * w) + '\n';
    this.prevStream = a.stream;
    const c = this.blank();
    const x0 = this.centerOf(a.from);
    const x1 = this.centerOf(a.to);
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
    const ks: string[] = [];
    for (const m of markers) ks.push(m.kind);
    if (ks.length) extra.push('[' + ks.join(', ') + ']');
    out += this.conv(String(a.stream)) + time.padEnd(tw) + c.join('') + '  ' + extra.join('  ') + '\n';
    if (this.showStates && states.length) {
      const sc = this.blank();
      for (const b of states) {
        const t = `[${b.state}]`;
        put(sc, this.centerOf(b.lifeline) - Math.floor(t.length / 2), t);
      }
      out += trimEndSpaces(this.conv('') + ' '.repeat(tw) + sc.join('')) + '\n';
    }
    return out;
  }
}

export function flowText(g: FlowGraph, opts: FlowTextOptions = {}): string {
  const mode = opts.time ?? 'relative';
  const first = Math.max(0, opts.first ?? 0);
  const last = Math.min(g.arrows.length - 1, opts.last ?? g.arrows.length - 1);
  let longest = 0;
  for (let r = first; r <= last; r++) longest = Math.max(longest, timeText(g, r, mode).length);
  const writer = new FlowTextWriter({ lifelines: g.lifelines, several: g.streams.length > 1, timeWidth: flowTextTimeWidth(longest), states: opts.states });
  const parts: string[] = [writer.head()];
  const states = opts.states !== false && last >= first ? stateBoxesIn(g, first, last) : [];
  const marks = last >= first ? markersIn(g, first, last) : [];
  forEachRowIn(first, last, states, marks, (r, rs, rm) => parts.push(writer.row(g.arrows[r], rs, rm, timeText(g, r, mode))));
  return parts.join('');
}
