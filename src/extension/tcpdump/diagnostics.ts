import * as vscode from 'vscode';
import { problemText } from '../../core/explain/problems';
import type { LogModel } from '../../core/log/model';
import { logShownProblems, logVerdictNotes } from '../../core/log/perf';
import type { Problem } from '../../core/tcp/types';
import { registerLanguageDiagnostics } from '../languageDiagnostics';
import { LogModels } from './models';

/** Kinds that are Warnings; every other problem is Information. */
const WARNING_KINDS = new Set<Problem['kind']>(['reset', 'refused', 'zero-window', 'half-open', 'syn-flood', 'close-wait', 'no-answer']);

/** Diagnostics of a log: the engine's problems on the lines where they show, the perf verdicts, and unreadable lines. */
export function diagnosticsOf(doc: vscode.TextDocument, m: LogModel): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  const lineRange = (line: number) => doc.lineAt(Math.min(line, doc.lineCount - 1)).range;
  for (const { problem: p, line } of logShownProblems(m)) {
    const d = new vscode.Diagnostic(
      lineRange(line),
      problemText(p, vscode.l10n.t),
      WARNING_KINDS.has(p.kind) ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
    );
    d.source = 'Capture Lens';
    d.code = p.kind;
    out.push(d);
  }
  // issue 14: each connection's performance verdicts, the advice in the message, the evidence packets related
  for (const n of logVerdictNotes(m, vscode.l10n.t)) {
    const d = new vscode.Diagnostic(
      lineRange(n.line),
      n.message,
      n.view.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
    );
    d.source = 'Capture Lens';
    d.code = 'perf-' + n.view.kind;
    d.relatedInformation = n.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, lineRange(r.line)), vscode.l10n.t('packet {0}', r.packet)),
    );
    out.push(d);
  }
  for (const u of m.log.unreadable) {
    const d = new vscode.Diagnostic(lineRange(u.line), vscode.l10n.t('This line looks like a tcpdump packet but cannot be read: {0}', u.reason), vscode.DiagnosticSeverity.Information);
    d.source = 'Capture Lens';
    d.code = 'unreadable';
    out.push(d);
  }
  return out;
}

export function registerDiagnostics(models: LogModels): vscode.Disposable {
  return registerLanguageDiagnostics('capture-lens', 'tcpdump', (doc) => diagnosticsOf(doc, models.get(doc)));
}
