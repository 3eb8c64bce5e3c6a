import * as vscode from 'vscode';
import { analyzeLog, type LogModel } from '../../core/log/model';

/**
 * One parse + engine run per document version, shared by hovers, CodeLens, diagnostics, outline
 * and folding (the pattern of VS Code's TypeScript extension: a cache keyed by URI and version).
 */
export class LogModels implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; model: LogModel }>();
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.subs.push(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
  }

  get(doc: vscode.TextDocument): LogModel {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.model;
    // spans are kept for every packet: hovers on a 100,000-line log answer without re-reading
    const model = analyzeLog(doc.getText(), { spans: true });
    this.cache.set(key, { version: doc.version, model });
    return model;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.cache.clear();
  }
}

export const TCPDUMP_SELECTOR: vscode.DocumentSelector = [{ language: 'tcpdump' }];
