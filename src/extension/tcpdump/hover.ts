import * as vscode from 'vscode';
import { hoverAt } from '../../core/log/hover';
import { logAckInFlightText } from '../../core/perf/ackInFlight';
import { ackRttText } from '../../core/perf/logGraph';
import { spanAt } from '../../core/text/model';
import { LogModels, TCPDUMP_SELECTOR } from './models';

class TcpdumpHover implements vscode.HoverProvider {
  constructor(private readonly models: LogModels) {}
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | null {
    const m = this.models.get(doc);
    const h = hoverAt(m, pos.line, pos.character, vscode.l10n.t);
    if (!h) return null;
    const md = new vscode.MarkdownString(h.markdown + ackRttLine(m, pos.line, pos.character));
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, new vscode.Range(h.range.line, h.range.start, h.range.line, h.range.end));
  }
}

/** On an `ack` field: the RTT sample that ACK gives and what it leaves in flight (issue 14), as paragraphs after the explanation. */
function ackRttLine(m: ReturnType<LogModels['get']>, line: number, col: number): string {
  const i = line >= 0 && line < m.log.packetOfLine.length ? m.log.packetOfLine[line] : -1;
  if (i < 0 || spanAt(m.log.packets[i], line, col)?.name !== 'ack') return '';
  try {
    const lines = [ackRttText(m, i, vscode.l10n.t), logAckInFlightText(m, i, vscode.l10n.t)].filter((x): x is string => x !== null);
    return lines.map((x) => '\n\n' + x).join('');
  } catch {
    return '';
  }
}

export function registerHover(models: LogModels): vscode.Disposable {
  return vscode.languages.registerHoverProvider(TCPDUMP_SELECTOR, new TcpdumpHover(models));
}
