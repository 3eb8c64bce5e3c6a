import * as vscode from 'vscode';
import { diagnoseSockets, type SocketsDiagnosis } from '../../core/sockets/diagnose';
import { parseSockets, type SocketsDoc } from '../../core/sockets/parse';

export interface SocketsModel {
  doc: SocketsDoc;
  diagnosis: SocketsDiagnosis;
}

/** One parse + diagnosis per document version, shared by hover, CodeLens, diagnostics and outline (as LogModels does for tcpdump text). */
export class SocketsModels implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; model: SocketsModel }>();
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.subs.push(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
  }

  get(doc: vscode.TextDocument): SocketsModel {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.model;
    const parsed = parseSockets(doc.getText());
    const model = { doc: parsed, diagnosis: diagnoseSockets(parsed) };
    this.cache.set(key, { version: doc.version, model });
    return model;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.cache.clear();
  }
}

export const NETSTAT_LANGUAGE = 'netstat';
export const NETSTAT_SELECTOR: vscode.DocumentSelector = [{ language: NETSTAT_LANGUAGE }];
