import * as vscode from 'vscode';
import { hoverAt } from '../../core/log/hover';
import { LogModels, TCPDUMP_SELECTOR } from './models';

class TcpdumpHover implements vscode.HoverProvider {
  constructor(private readonly models: LogModels) {}
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | null {
    const h = hoverAt(this.models.get(doc), pos.line, pos.character, vscode.l10n.t);
    if (!h) return null;
    const md = new vscode.MarkdownString(h.markdown);
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, new vscode.Range(h.range.line, h.range.start, h.range.line, h.range.end));
  }
}

export function registerHover(models: LogModels): vscode.Disposable {
  return vscode.languages.registerHoverProvider(TCPDUMP_SELECTOR, new TcpdumpHover(models));
}
