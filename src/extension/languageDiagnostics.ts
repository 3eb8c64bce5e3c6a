import * as vscode from 'vscode';

/** Typing: wait for a pause this long before analysing a document again. */
const EDIT_PAUSE_MS = 300;

/**
 * A language's diagnostics kept up to date (the tcpdump and the netstat/ss languages had a copy each): computed
 * for every open document of `languageId`, again once an edit is followed by a pause, and dropped when the
 * document closes or changes language.
 */
export function registerLanguageDiagnostics(
  name: string,
  languageId: string,
  compute: (doc: vscode.TextDocument) => vscode.Diagnostic[],
): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(name);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const update = (doc: vscode.TextDocument) => {
    if (doc.languageId !== languageId) {
      collection.delete(doc.uri);
      return;
    }
    collection.set(doc.uri, compute(doc));
  };
  const later = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => update(doc), EDIT_PAUSE_MS));
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
