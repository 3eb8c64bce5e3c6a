import * as vscode from 'vscode';
import { diffLensText, portsLensText, ssSummaryLensText, summaryLensText } from '../../core/explain/sockets';
import { NETSTAT_SELECTOR, SocketsModels } from './models';

/**
 * Above each snapshot (a pasted netstat / ss output): the counts per state with the unusual ones
 * marked and the number of findings, the busiest ports, and — from the second snapshot on — what
 * changed since the previous one. A click on the summary opens the Problems view.
 */
class SocketsLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly models: SocketsModels) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const { doc: parsed, diagnosis } = this.models.get(doc);
    const lenses: vscode.CodeLens[] = [];
    const snapshotOfLine = (line: number): number => {
      let k = 0;
      for (let i = 0; i < parsed.snapshotLines.length; i++) if (parsed.snapshotLines[i] <= line) k = i;
      return k;
    };
    for (const s of diagnosis.snapshots) {
      const range = new vscode.Range(s.line, 0, s.line, 0);
      const findings = diagnosis.findings.filter((f) => snapshotOfLine(f.line) === s.snapshot).length;
      lenses.push(
        new vscode.CodeLens(range, {
          title: summaryLensText(s, findings, vscode.l10n.t),
          command: findings > 0 ? 'workbench.actions.view.problems' : '',
        }),
      );
      if (s.ports.length > 0)
        lenses.push(new vscode.CodeLens(range, { title: portsLensText(s, vscode.l10n.t), command: '' }));
      const d = diagnosis.diffs.find((x) => x.snapshot === s.snapshot);
      if (d) lenses.push(new vscode.CodeLens(range, { title: diffLensText(d, vscode.l10n.t), command: '' }));
    }
    // ss -s: the totals and the findings on them (they belong to no snapshot of socket rows)
    for (const sum of parsed.summaries) {
      const lines = new Set(sum.spans.map((x) => x.line));
      const findings = diagnosis.findings.filter((f) => lines.has(f.line)).length;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(sum.line, 0, sum.line, 0), {
          title: ssSummaryLensText(sum.values, findings, vscode.l10n.t),
          command: findings > 0 ? 'workbench.actions.view.problems' : '',
        }),
      );
    }
    return lenses;
  }
}

export function registerSocketsCodeLens(models: SocketsModels): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(NETSTAT_SELECTOR, new SocketsLensProvider(models));
}
