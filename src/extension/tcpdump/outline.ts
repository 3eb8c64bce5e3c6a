import * as vscode from 'vscode';
import { connectionSymbols, foldingRanges } from '../../core/log/outline';
import { LogModels, TCPDUMP_SELECTOR } from './models';

/** Outline: one symbol per connection, spanning its first to last packet line. */
class ConnectionSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly models: LogModels) {}
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    return connectionSymbols(this.models.get(doc), vscode.l10n.t).map((c) => {
      const range = new vscode.Range(c.startLine, 0, c.endLine, doc.lineAt(c.endLine).text.length);
      return new vscode.DocumentSymbol(c.name, c.detail, vscode.SymbolKind.Event, range, doc.lineAt(c.startLine).range);
    });
  }
}

/** Folding: a connection's block of lines, and each multi-line packet (-v, hex dump). */
class ConnectionFolding implements vscode.FoldingRangeProvider {
  constructor(private readonly models: LogModels) {}
  provideFoldingRanges(doc: vscode.TextDocument): vscode.FoldingRange[] {
    return foldingRanges(this.models.get(doc)).map((r) => new vscode.FoldingRange(r.start, r.end, r.kind === 'connection' ? vscode.FoldingRangeKind.Region : undefined));
  }
}

export function registerOutline(models: LogModels): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentSymbolProvider(TCPDUMP_SELECTOR, new ConnectionSymbols(models), { label: 'Capture Lens' }),
    vscode.languages.registerFoldingRangeProvider(TCPDUMP_SELECTOR, new ConnectionFolding(models)),
  );
}
