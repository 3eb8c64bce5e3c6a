import * as vscode from 'vscode';
import { parseSockets } from '../../core/sockets/parse';
import { looksLikeSockets } from '../../core/sockets/outline';
import { socketsAtPacket, socketsAtPacketText } from '../../core/sockets/fromCapture';
import type { LogModels } from '../tcpdump/models';
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

/**
 * "Capture Lens: Sockets at This Packet" in a tcpdump text document: the tables netstat -nat would
 * have shown on each host right after the packet at the cursor (both ends' states from the TCP
 * engine), opened beside as a netstat document, so its hovers and lenses explain it in netstat's
 * words. (The capture editor's button for the same table belongs to its webview.)
 */
async function socketsAtCursor(logs: LogModels): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'tcpdump') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on a packet of a tcpdump document first.'));
    return;
  }
  const m = logs.get(editor.document);
  const line = editor.selection.active.line;
  let at = line < m.log.packetOfLine.length ? m.log.packetOfLine[line] : -1;
  // between packets (a banner, a blank line): the last packet above the cursor
  for (let l = line; at < 0 && l >= 0; l--) at = l < m.log.packetOfLine.length ? m.log.packetOfLine[l] : -1;
  if (at < 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on a packet of a tcpdump document first.'));
    return;
  }
  const times = m.log.packets.map((p) => p.tsSec + p.tsNsec / 1e9);
  const text = socketsAtPacketText(socketsAtPacket(m.engine, m.summaries, at, times), vscode.l10n.t).join('\n') + '\n';
  const doc = await vscode.workspace.openTextDocument({ language: NETSTAT_LANGUAGE, content: text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

export function registerSocketsCommands(logs: LogModels): vscode.Disposable {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return vscode.Disposable.from(
    vscode.commands.registerCommand('captureLens.pasteSockets', pasteSockets),
    vscode.commands.registerCommand('captureLens.socketsAtPacket', () => socketsAtCursor(logs)),
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
