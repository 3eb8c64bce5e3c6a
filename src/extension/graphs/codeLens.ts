/**
 * A "Graphs" CodeLens on each connection's first line of a tcpdump document (beside the state
 * lenses of src/extension/tcpdump/codeLens.ts): opens that connection in the Graphs panel.
 */
import * as vscode from 'vscode';
import { TCPDUMP_SELECTOR, type LogModels } from '../tcpdump/models';

class GraphsLens extends vscode.CodeLens {
  constructor(range: vscode.Range, uri: vscode.Uri, stream: number) {
    super(range, {
      title: vscode.l10n.t('Graphs'),
      command: 'captureLens.showGraphs',
      arguments: [uri, stream],
      tooltip: vscode.l10n.t('Time-sequence, throughput, RTT and window graphs of this connection'),
    });
  }
}

class GraphsLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly models: LogModels) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const m = this.models.get(doc);
    const out: vscode.CodeLens[] = [];
    for (let s = 0; s < m.firstOfStream.length; s++) {
      const i = m.firstOfStream[s];
      if (i < 0) continue;
      const line = m.log.packets[i].line;
      out.push(new GraphsLens(new vscode.Range(line, 0, line, 0), doc.uri, s));
    }
    return out;
  }
}

export function registerGraphsLens(models: LogModels): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(TCPDUMP_SELECTOR, new GraphsLensProvider(models));
}
