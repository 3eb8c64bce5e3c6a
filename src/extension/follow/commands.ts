/**
 * `captureLens.followStream` (uri?, stream?, packet?): opens the Follow TCP Stream panel.
 *   - from the capture editor's toolbar (the selected packet's stream) and its Connections tab (a row's stream);
 *   - from the flow graph (an arrow's packet, double click or F);
 *   - from the command palette and the tcpdump editor's title and context menu: the stream of the selected
 *     packet (capture editor) or of the packet under the cursor (tcpdump text), else a pick of connections.
 * A tcpdump document gives bytes when it carries hex dumps (-x, -xx, -X, -XX); -A alone prints no offsets to
 * read bytes from, so its bytes are "not captured" (said in the view).
 */
import * as vscode from 'vscode';
import { platform } from '../platform';
import { errorMessage } from '../../core/errors';
import { CAPTURE_EDITOR_VIEW_TYPE, type CaptureEditorProvider } from '../capture/editorProvider';
import { CaptureFlowSource } from '../flow/captureSource';
import { LogFlowSource } from '../flow/logSource';
import { packetOfLine } from '../flow/sourceData';
import type { LogModels } from '../tcpdump/models';
import { showFollowPanel } from './panel';
import { TextStreamData, WorkerStreamData } from './source';

/** A tcpdump document's stream is saved through vscode.workspace.fs (issue 17). */
const writeFile = (path: string, bytes: Uint8Array): Thenable<void> => vscode.workspace.fs.writeFile(vscode.Uri.file(path), bytes);

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString(true);
}

interface ConnItem extends vscode.QuickPickItem {
  stream: number;
}

async function pickStream(conns: { stream: number; client: string; server: string }[], title: string): Promise<number | undefined> {
  if (conns.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No TCP connections in {0}.', title));
    return undefined;
  }
  if (conns.length === 1) return conns[0].stream;
  const items: ConnItem[] = conns.map((c) => ({ stream: c.stream, label: `#${c.stream}  ${c.client} → ${c.server}` }));
  const got = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Follow TCP Stream of {0}', title), placeHolder: vscode.l10n.t('Which connection?') });
  return got?.stream;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

export function registerFollowStream(context: vscode.ExtensionContext, models: LogModels, captures: CaptureEditorProvider): vscode.Disposable {
  async function followCapture(uri: vscode.Uri, stream?: number, packet?: number): Promise<void> {
    let editor = captures.editorFor(uri);
    if (!editor) {
      await vscode.commands.executeCommand('vscode.openWith', uri, CAPTURE_EDITOR_VIEW_TYPE);
      editor = captures.editorFor(uri);
      if (!editor) throw new Error(vscode.l10n.t('The capture {0} is no longer open.', basename(uri)));
    }
    const session = editor.session;
    if (stream === undefined && packet !== undefined) {
      const rows = await session.rows(packet, 1);
      stream = rows.find((r) => r.index === packet)?.stream;
    }
    if (stream === undefined) stream = (await editor.currentStreams())?.[0];
    if (stream === undefined) stream = await pickStream(await session.connections(), basename(uri));
    if (stream === undefined) return;
    const getSession = (): typeof session => {
      const e = captures.editorFor(uri);
      if (!e) throw new Error(vscode.l10n.t('The capture {0} is no longer open.', basename(uri)));
      return e.session;
    };
    showFollowPanel(context, { uri, title: basename(uri), stream, link: new CaptureFlowSource(captures, uri), data: new WorkerStreamData(getSession, stream) });
  }

  async function followDocument(doc: vscode.TextDocument, stream?: number, packet?: number): Promise<void> {
    const model = models.get(doc);
    if (stream === undefined && packet !== undefined && packet < model.streamOf.length && model.streamOf[packet] >= 0) stream = model.streamOf[packet];
    if (stream === undefined) {
      const editor = vscode.window.activeTextEditor;
      if (editor && editor.document === doc) {
        const p = packetOfLine(model, editor.selection.active.line);
        if (p >= 0) stream = model.streamOf[p];
      }
    }
    if (stream === undefined) {
      const conns = model.summaries.map((s) => ({ stream: s.stream, client: `${s.client.addr}:${s.client.port}`, server: `${s.server.addr}:${s.server.port}` }));
      stream = await pickStream(conns, basename(doc.uri));
    }
    if (stream === undefined) return;
    const n = stream;
    showFollowPanel(context, {
      uri: doc.uri,
      title: basename(doc.uri),
      stream,
      link: new LogFlowSource(models, doc),
      data: new TextStreamData(doc.getText(), n, writeFile, platform().inflate),
      reload: () => new TextStreamData(doc.getText(), n, writeFile, platform().inflate),
    });
  }

  async function follow(uri?: unknown, stream?: unknown, packet?: unknown): Promise<void> {
    const s = isInt(stream) ? stream : undefined;
    const p = isInt(packet) ? packet : undefined;
    if (uri instanceof vscode.Uri) {
      if (captures.editorFor(uri) || /\.(pcap|pcapng|cap)(\.gz)?$/i.test(uri.path)) return followCapture(uri, s, p);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
      return followDocument(doc, s, p);
    }
    const text = vscode.window.activeTextEditor;
    if (text && text.document.languageId === 'tcpdump') return followDocument(text.document, s, p);
    const editor = captures.activeEditor();
    if (editor) return followCapture(editor.uri, s, p);
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a capture or a tcpdump log to follow a TCP stream.'));
  }

  return vscode.commands.registerCommand('captureLens.followStream', (uri?: unknown, stream?: unknown, packet?: unknown) =>
    follow(uri, stream, packet).catch((e: unknown) => {
      void vscode.window.showErrorMessage(vscode.l10n.t('Follow TCP Stream could not be opened: {0}', errorMessage(e)));
    }),
  );
}
