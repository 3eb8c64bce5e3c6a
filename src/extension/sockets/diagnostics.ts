import * as vscode from 'vscode';
import { findingText } from '../../core/explain/sockets';
import type { Finding } from '../../core/sockets/diagnose';
import { registerLanguageDiagnostics } from '../languageDiagnostics';
import { NETSTAT_LANGUAGE, SocketsModels, type SocketsModel } from './models';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Related lines shown under a pile's diagnostic (the first of them is the diagnostic's own line). */
const MAX_RELATED = 20;

/** The findings of netstat / ss output on their lines, with the pile's other lines as related information; unreadable lines. */
export function socketsDiagnosticsOf(doc: vscode.TextDocument, m: SocketsModel): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const f of m.diagnosis.findings) {
    if (f.line >= doc.lineCount) continue;
    const range = f.end > f.start ? new vscode.Range(f.line, f.start, f.line, f.end) : doc.lineAt(f.line).range;
    const d = new vscode.Diagnostic(range, findingText(f, vscode.l10n.t), SEVERITY[f.severity]);
    d.source = 'Capture Lens';
    d.code = f.kind;
    if (f.lines.length > 1) {
      d.relatedInformation = f.lines
        .slice(1, MAX_RELATED)
        .filter((l) => l < doc.lineCount)
        .map(
          (l) =>
            new vscode.DiagnosticRelatedInformation(
              new vscode.Location(doc.uri, doc.lineAt(l).range),
              vscode.l10n.t('line {0}', l + 1),
            ),
        );
    }
    out.push(d);
  }
  for (const line of m.doc.unreadable) {
    if (line >= doc.lineCount) continue;
    const d = new vscode.Diagnostic(
      doc.lineAt(line).range,
      vscode.l10n.t('This line looks like a netstat or ss socket line but cannot be read.'),
      vscode.DiagnosticSeverity.Information,
    );
    d.source = 'Capture Lens';
    d.code = 'unreadable';
    out.push(d);
  }
  return out;
}

export function registerSocketsDiagnostics(models: SocketsModels): vscode.Disposable {
  return registerLanguageDiagnostics('capture-lens-sockets', NETSTAT_LANGUAGE, (doc) => socketsDiagnosticsOf(doc, models.get(doc)));
}
