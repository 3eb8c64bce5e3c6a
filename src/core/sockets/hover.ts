/**
 * Hover, summary and report of netstat / ss output: built from the parsed rows and the
 * diagnosis, in the reader's language (Translate), Markdown escaped like the tcpdump hovers.
 */
import {
  explainCount,
  explainInfo,
  explainSocketSpan,
  explainSsSummary,
  findingText,
  portsLensText,
  summaryLensText,
  diffLensText,
  ssSummaryLensText,
} from '../explain/sockets';
import { toMarkdown, toPlainText } from '../explain/explanation';
import { severityText } from '../explain/problems';
import type { Translate } from '../explain/l10n';
import type { SocketsDiagnosis } from './diagnose';
import type { SocketsDoc, Span } from './parse';

export interface SocketsHover {
  markdown: string;
  range: { line: number; start: number; end: number };
}

function spanAtCol(spans: Span[], col: number): Span | null {
  for (const s of spans) if (col >= s.start && col < s.end) return s;
  // the end of a word (a click just after it) counts too
  for (const s of spans) if (col === s.end) return s;
  return null;
}

/** The explanation of the field under the cursor; `lineText` is the document's line. */
export function socketsHoverAt(
  doc: SocketsDoc,
  line: number,
  col: number,
  lineText: string,
  t: Translate,
): SocketsHover | null {
  if (line < 0 || line >= doc.itemOfLine.length) return null;
  const sum = doc.summaryOfLine[line];
  if (sum >= 0) {
    // ss -s: the word and its number, or a Transport row's label or cell
    const spans = doc.summaries[sum].spans.filter((x) => x.line === line);
    const s = spans.find((x) => col >= x.start && col < x.end) ?? spans.find((x) => col === x.end);
    if (!s) return null;
    return {
      markdown: toMarkdown(explainSsSummary(s.key, doc.summaries[sum].values.get(s.key), t)),
      range: { line, start: s.start, end: s.end },
    };
  }
  const item = doc.itemOfLine[line];
  if (item === -1) return null;
  if (item <= -2) {
    const c = doc.counts[-2 - item];
    const s = spanAtCol(c.spans, col);
    if (!s) return null;
    return {
      markdown: toMarkdown(explainCount(c.state, c.stateText, c.count, t)),
      range: { line, start: s.start, end: s.end },
    };
  }
  const row = doc.rows[item];
  if (line === row.infoLine) {
    const s = spanAtCol(row.infoSpans, col);
    if (!s || s.key === undefined) return null;
    return {
      markdown: toMarkdown(explainInfo(s.key, row.info.get(s.key) ?? '', t)),
      range: { line, start: s.start, end: s.end },
    };
  }
  const s = spanAtCol(row.spans, col);
  if (!s) return null;
  return {
    markdown: toMarkdown(explainSocketSpan(row, s, lineText.slice(s.start, s.end), t)),
    range: { line, start: s.start, end: s.end },
  };
}

/** The CLI's report: per snapshot the summary, the ports, the changes and the findings with their lines. */
export function socketsReportLines(doc: SocketsDoc, d: SocketsDiagnosis, t: Translate): string[] {
  const out: string[] = [];
  for (const s of d.snapshots) {
    const findings = d.findings.filter((f) => lineSnapshot(doc, f.line) === s.snapshot);
    if (d.snapshots.length > 1) out.push(t('Snapshot {0} (line {1})', s.snapshot + 1, s.line + 1));
    out.push(summaryLensText(s, findings.length, t));
    if (s.ports.length > 0) out.push(portsLensText(s, t));
    const diff = d.diffs.find((x) => x.snapshot === s.snapshot);
    if (diff) out.push(diffLensText(diff, t));
    for (const f of findings)
      out.push(t('line {0}', f.line + 1) + ': ' + severityText(f.severity, t) + ': ' + findingText(f, t));
    out.push('');
  }
  for (const sum of doc.summaries) {
    const lines = new Set(sum.spans.map((x) => x.line));
    const findings = d.findings.filter((f) => lines.has(f.line));
    out.push(t('line {0}', sum.line + 1) + ': ' + ssSummaryLensText(sum.values, findings.length, t));
    for (const f of findings)
      out.push(t('line {0}', f.line + 1) + ': ' + severityText(f.severity, t) + ': ' + findingText(f, t));
    out.push('');
  }
  if (doc.unreadable.length > 0)
    out.push(
      t(
        '{0} lines look like socket lines but could not be read: {1}',
        doc.unreadable.length,
        doc.unreadable
          .slice(0, 10)
          .map((n) => n + 1)
          .join(', '),
      ),
    );
  return out;
}

function lineSnapshot(doc: SocketsDoc, line: number): number {
  let k = 0;
  for (let i = 0; i < doc.snapshotLines.length; i++) if (doc.snapshotLines[i] <= line) k = i;
  return k;
}

export { toPlainText };
