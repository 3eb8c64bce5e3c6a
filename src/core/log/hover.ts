import { explainTextField, packetContext, toMarkdown, type TextFieldContext, type Translate } from '../explain/catalog';
import { spanAt } from '../text/model';
import { blankResult, type LogModel } from './model';

/**
 * The explanation of the field under the cursor, built from the text model's span at that
 * position, the engine's row for the packet and the packet before it. The Markdown is built
 * from data with every document-derived string escaped, and never trusted (no command links).
 */
export function hoverAt(m: LogModel, line: number, col: number, t: Translate): { markdown: string; range: { line: number; start: number; end: number } } | null {
  if (line < 0 || line >= m.log.packetOfLine.length) return null;
  const i = m.log.packetOfLine[line];
  if (i < 0) return null;
  const p = m.log.packets[i];
  const span = spanAt(p, line, col);
  if (!span) return null;
  const row = blankResult();
  const hasRow = m.engine.resultInto(i, row);
  const prevIndex = m.prevInStream[i];
  const prevRow = blankResult();
  const hasPrev = prevIndex >= 0 && m.engine.resultInto(prevIndex, prevRow);
  const ctx: TextFieldContext = {
    ...packetContext(p, hasRow ? row : null, {
      row: hasPrev ? prevRow : null,
      packet: prevIndex >= 0 ? m.log.packets[prevIndex] : null,
      linePacket: i > 0 ? m.log.packets[i - 1] : null,
    }),
    text: lineText(p.text, span.line - p.line, span.startCol, span.endCol),
    span,
    packet: p,
    deltaFromFirst: m.log.format.timeFormat === 5,
  };
  return { markdown: toMarkdown(explainTextField(span.field, ctx, t)), range: { line: span.line, start: span.startCol, end: span.endCol } };
}

function lineText(text: string, nth: number, a: number, b: number): string {
  let start = 0;
  for (let k = 0; k < nth; k++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  return text.slice(start, nl < 0 ? text.length : nl).slice(a, b);
}

