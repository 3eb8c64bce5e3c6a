import * as vscode from 'vscode';
import { findingText } from '../../core/explain/sockets';
import type { Finding } from '../../core/sockets/diagnose';
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
  const collection = vscode.languages.createDiagnosticCollection('capture-lens-sockets');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const update = (doc: vscode.TextDocument) => {
    if (doc.languageId !== NETSTAT_LANGUAGE) {
      collection.delete(doc.uri);
      return;
    }
    collection.set(doc.uri, socketsDiagnosticsOf(doc, models.get(doc)));
  };
  const later = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => update(doc), 300),
    );
  };
  vscode.workspace.textDocuments.forEach(update);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
