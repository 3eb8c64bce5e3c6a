import * as vscode from 'vscode';
import { socketsHoverAt } from '../../core/sockets/hover';
import { NETSTAT_SELECTOR, SocketsModels } from './models';

/** Hover on a state, a queue, an address, a port, a process or an ss -i field of netstat / ss output. */
class SocketsHover implements vscode.HoverProvider {
  constructor(private readonly models: SocketsModels) {}
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | null {
    const h = socketsHoverAt(
      this.models.get(doc).doc,
      pos.line,
      pos.character,
      doc.lineAt(pos.line).text,
      vscode.l10n.t,
    );
    if (!h) return null;
    const md = new vscode.MarkdownString(h.markdown);
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, new vscode.Range(h.range.line, h.range.start, h.range.line, h.range.end));
  }
}

export function registerSocketsHover(models: SocketsModels): vscode.Disposable {
  return vscode.languages.registerHoverProvider(NETSTAT_SELECTOR, new SocketsHover(models));
}
