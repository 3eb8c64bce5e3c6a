import * as vscode from 'vscode';
import { parseSockets } from '../../core/sockets/parse';
import { looksLikeSockets } from '../../core/sockets/outline';
import { NETSTAT_LANGUAGE } from './models';

/** "Capture Lens: Paste netstat/ss Output": the clipboard into a new netstat document. */
async function pasteSockets(): Promise<vscode.TextEditor> {
  const text = await vscode.env.clipboard.readText();
  const doc = await vscode.workspace.openTextDocument({ language: NETSTAT_LANGUAGE, content: text });
  return vscode.window.showTextDocument(doc);
}

/** Largest plain-text document looked at for netstat output (a paste, not a log file). */
const DETECT_MAX = 1 << 20;

/**
 * Detection beyond package.json's firstLine: an untitled plain-text document whose content is
 * mostly netstat / ss / lsof lines (a paste without its header, a grep-ed subset, counting
 * pipelines) switches to the netstat language. Only untitled documents: a saved file keeps the
 * language its name gives it.
 */
function detect(doc: vscode.TextDocument): void {
  if (doc.languageId !== 'plaintext' || !doc.isUntitled) return;
  const text = doc.getText();
  if (text.length === 0 || text.length > DETECT_MAX) return;
  if (looksLikeSockets(parseSockets(text), text)) void vscode.languages.setTextDocumentLanguage(doc, NETSTAT_LANGUAGE);
}

export function registerSocketsCommands(): vscode.Disposable {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return vscode.Disposable.from(
    vscode.commands.registerCommand('captureLens.pasteSockets', pasteSockets),
    vscode.workspace.onDidOpenTextDocument(detect),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const key = e.document.uri.toString();
      clearTimeout(timers.get(key));
      timers.set(
        key,
        setTimeout(() => detect(e.document), 500),
      );
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
