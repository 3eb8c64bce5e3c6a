import * as vscode from 'vscode';
import { parseSockets } from '../../core/sockets/parse';
import { looksLikeSockets } from '../../core/sockets/outline';
import { socketsAtPacket, socketsAtPacketText, type SocketsAtPacket } from '../../core/sockets/fromCapture';
import { errorMessage } from '../../core/errors';
import type { CaptureEditorProvider } from '../capture/editorProvider';
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

/** The tables as an untitled netstat document beside the source (its hovers, lenses and diagnostics explain them). */
async function showSockets(s: SocketsAtPacket): Promise<void> {
  const text = socketsAtPacketText(s, vscode.l10n.t).join('\n') + '\n';
  const doc = await vscode.workspace.openTextDocument({ language: NETSTAT_LANGUAGE, content: text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

/**
 * "Capture Lens: Sockets at This Packet" in a tcpdump text document: the tables netstat -nat would
 * have shown on each host right after the packet at the cursor (both ends' states from the TCP
 * engine), opened beside as a netstat document, so its hovers and lenses explain it in netstat's
 * words.
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
  await showSockets(socketsAtPacket(m.engine, m.summaries, at, times));
}

/**
 * The same in the capture editor (its toolbar button, or the palette while it is active): the
 * decoding worker computes the tables from its index (request `sockets`, src/worker/messages.ts)
 * once the capture is read to the end, for the selected packet.
 */
async function socketsInCapture(captures: CaptureEditorProvider, uri?: vscode.Uri, index?: number): Promise<boolean> {
  const editor = uri instanceof vscode.Uri ? captures.editorFor(uri) : captures.activeEditor();
  if (!editor) return false;
  const at = typeof index === 'number' && Number.isInteger(index) ? index : editor.selectedPacket;
  if (at < 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select a packet in the capture first.'));
    return true;
  }
  try {
    const s = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Sockets at packet {0}…', at + 1) },
      () => editor.session.socketsAt(at),
    );
    await showSockets(s);
  } catch (e) {
    void vscode.window.showErrorMessage(errorMessage(e));
  }
  return true;
}

export function registerSocketsCommands(logs: LogModels, captures?: CaptureEditorProvider): vscode.Disposable {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return vscode.Disposable.from(
    vscode.commands.registerCommand('captureLens.pasteSockets', pasteSockets),
    vscode.commands.registerCommand('captureLens.socketsAtPacket', async (uri?: unknown, index?: unknown) => {
      // a capture editor's button names its capture and packet; from the palette: the tcpdump
      // text editor at hand, else the capture editor in view
      const fromCapture = uri instanceof vscode.Uri;
      if (!fromCapture && vscode.window.activeTextEditor?.document.languageId === 'tcpdump') return socketsAtCursor(logs);
      if (captures && (await socketsInCapture(captures, fromCapture ? uri : undefined, typeof index === 'number' ? index : undefined)))
        return;
      return socketsAtCursor(logs);
    }),
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
