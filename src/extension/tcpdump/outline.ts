import * as vscode from 'vscode';
import { connectionLensText } from '../../core/log/lens';
import { endpointText } from '../../core/tcp/summary';
import { LogModels, TCPDUMP_SELECTOR } from './models';

/** Outline: one symbol per connection, spanning its first to last packet line. */
class ConnectionSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly models: LogModels) {}
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    const m = this.models.get(doc);
    const out: vscode.DocumentSymbol[] = [];
    for (const s of m.summaries) {
      const a = m.firstOfStream[s.stream];
      const b = m.lastOfStream[s.stream];
      if (a < 0) continue;
      const first = m.log.packets[a];
      const last = m.log.packets[b];
      const range = new vscode.Range(first.line, 0, last.endLine, doc.lineAt(last.endLine).text.length);
      const name = endpointText(s.client.addr, s.client.port) + ' → ' + endpointText(s.server.addr, s.server.port);
      const detail = connectionLensText(s, vscode.l10n.t).slice(name.length + 3);
      out.push(new vscode.DocumentSymbol(name, detail, vscode.SymbolKind.Event, range, doc.lineAt(first.line).range));
    }
    return out;
  }
}

/**
 * Folding: a connection's lines fold when they form one block not cut by another connection's
 * block (typical of logs of one conversation at a time); a multi-line packet (-v, hex dump)
 * always folds.
 */
class ConnectionFolding implements vscode.FoldingRangeProvider {
  constructor(private readonly models: LogModels) {}
  provideFoldingRanges(doc: vscode.TextDocument): vscode.FoldingRange[] {
    const m = this.models.get(doc);
    const out: vscode.FoldingRange[] = [];
    let lastEnd = -1;
    const order = [...m.summaries].sort((x, y) => m.firstOfStream[x.stream] - m.firstOfStream[y.stream]);
    for (const s of order) {
      const a = m.firstOfStream[s.stream];
      if (a < 0) continue;
      const start = m.log.packets[a].line;
      const end = m.log.packets[m.lastOfStream[s.stream]].endLine;
      if (end > start && start > lastEnd) {
        out.push(new vscode.FoldingRange(start, end, vscode.FoldingRangeKind.Region));
        lastEnd = end;
      }
    }
    for (const p of m.log.packets) if (p.endLine > p.line) out.push(new vscode.FoldingRange(p.line, p.endLine));
    return out;
  }
}

export function registerOutline(models: LogModels): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentSymbolProvider(TCPDUMP_SELECTOR, new ConnectionSymbols(models), { label: 'Capture Lens' }),
    vscode.languages.registerFoldingRangeProvider(TCPDUMP_SELECTOR, new ConnectionFolding(models)),
  );
}
