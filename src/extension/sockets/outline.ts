import * as vscode from 'vscode';
import { portSymbols } from '../../core/sockets/outline';
import { NETSTAT_SELECTOR, SocketsModels } from './models';

/** Outline: one symbol per local (listening) port and per remote destination, its lines as children. */
class PortSymbolsProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly models: SocketsModels) {}
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    return portSymbols(this.models.get(doc).doc).map((p) => {
      const end = doc.lineAt(Math.min(p.endLine, doc.lineCount - 1));
      const range = new vscode.Range(p.startLine, 0, end.lineNumber, end.text.length);
      return new vscode.DocumentSymbol(
        p.name,
        p.states,
        vscode.SymbolKind.Interface,
        range,
        doc.lineAt(p.startLine).range,
      );
    });
  }
}

export function registerSocketsOutline(models: SocketsModels): vscode.Disposable {
  return vscode.languages.registerDocumentSymbolProvider(NETSTAT_SELECTOR, new PortSymbolsProvider(models), {
    label: 'Capture Lens',
  });
}
