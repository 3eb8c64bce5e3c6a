/** The bracket gutter: handshake and teardown brackets of the rows in the window, one lane each. */
import { el } from '../common/dom';
import type { ScrollGeometry } from '../common/scroll';
import { gutter } from './body';
import { LANE_WIDTH } from './layout';
import { PAGE, rows, state } from './state';

const bracketEls = new Map<number, HTMLDivElement>();

/** Removes every bracket (a new graph). */
export function clearBrackets(): void {
  for (const e of bracketEls.values()) e.remove();
  bracketEls.clear();
}

/** Brackets of the rows in the window, in the gutter (one lane each). */
export function renderBrackets(first: number, n: number, top: number, g: ScrollGeometry): void {
  const L = state.L;
  if (!L) return;
  const last = first + n - 1;
  const seen = new Set<number>();
  for (let p = Math.floor(first / PAGE) * PAGE; p <= last; p += PAGE) {
    const page = rows.page(p);
    if (!page) continue;
    for (const b of page.brackets) {
      if (seen.has(b.id) || b.lastRow < first || b.firstRow > last) continue;
      seen.add(b.id);
      let e = bracketEls.get(b.id);
      if (!e) {
        e = el('div', 'flow-bracket ' + b.kind);
        e.dataset.kind = b.kind;
        e.dataset.stream = String(b.stream);
        e.title = b.label;
        e.append(el('span', 'flow-bracket-label', b.label));
        gutter.append(e);
        bracketEls.set(b.id, e);
      }
      const y1 = Math.max(-g.rowHeight, b.firstRow * g.rowHeight - top + L.arrowY - 7);
      const y2 = Math.min(g.viewport + g.rowHeight, b.lastRow * g.rowHeight - top + L.arrowY + 7);
      e.style.top = y1 + 'px';
      e.style.height = Math.max(4, y2 - y1) + 'px';
      e.style.left = b.lane * LANE_WIDTH + 3 + 'px';
      e.style.width = LANE_WIDTH - 5 + 'px';
    }
  }
  for (const [id, e] of bracketEls) {
    if (!seen.has(id)) {
      e.remove();
      bracketEls.delete(id);
    }
  }
}
