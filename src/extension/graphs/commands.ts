/**
 * Entry points of the Graphs panel (./panel.ts):
 *
 * - `captureLens.showGraphs` [uri] [stream]: from the palette, the capture editor (its "Graphs"
 *   button and the Connections tab's rows), a tcpdump document's editor title and context menu, and
 *   the "Graphs" CodeLens beside each connection's first line (src/extension/tcpdump/codeLens.ts). Without a stream it
 *   takes the connection the user looks at — the capture editor's `stream N` filter or selected
 *   packet, the packet under the cursor in a log — and asks when there is none.
 *
 * One source per capture / document is kept while it is open, so the panel and its selection
 * follow the same flow-graph source objects (src/extension/flow/captureSource.ts, logSource.ts).
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { CaptureEditorProvider } from '../capture/editorProvider';
import { CaptureFlowSource } from '../flow/captureSource';
import { LogFlowSource } from '../flow/logSource';
import type { LogModels } from '../tcpdump/models';
import { showGraphs } from './panel';
import { CaptureGraphSource, LogGraphSource, type GraphSource } from './source';

export function registerGraphs(context: vscode.ExtensionContext, models: LogModels, captureProvider: CaptureEditorProvider): vscode.Disposable {
  const sources = new Map<string, { src: GraphSource; flow: CaptureFlowSource | LogFlowSource }>();

  function keep(src: GraphSource, flow: CaptureFlowSource | LogFlowSource): GraphSource {
    const key = src.uri.toString();
    sources.set(key, { src, flow });
    flow.onDidDispose(() => {
      if (sources.get(key)?.src === src) sources.delete(key);
    });
    return src;
  }

  function captureSource(uri: vscode.Uri): GraphSource | undefined {
    const have = sources.get(uri.toString());
    if (have && have.flow instanceof CaptureFlowSource && have.flow.alive) return have.src;
    if (!captureProvider.editorFor(uri)) return undefined;
    const flow = new CaptureFlowSource(captureProvider, uri);
    return keep(new CaptureGraphSource(captureProvider, flow), flow);
  }

  function logSource(doc: vscode.TextDocument): LogGraphSource {
    const have = sources.get(doc.uri.toString());
    if (have && have.src instanceof LogGraphSource && have.src.document === doc) return have.src;
    const flow = new LogFlowSource(models, doc);
    return keep(new LogGraphSource(flow), flow) as LogGraphSource;
  }

  async function sourceFor(uri?: vscode.Uri): Promise<GraphSource | undefined> {
    if (uri instanceof vscode.Uri) {
      const cap = captureSource(uri);
      if (cap) return cap;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
      return logSource(doc);
    }
    const text = vscode.window.activeTextEditor;
    if (text && text.document.languageId === 'tcpdump') return logSource(text.document);
    const editor = captureProvider.activeEditor();
    return editor ? captureSource(editor.uri) : undefined;
  }

  /** The connection the user looks at in the source, or undefined. */
  async function current(src: GraphSource): Promise<number | undefined> {
    if (src instanceof LogGraphSource) {
      const ed = vscode.window.visibleTextEditors.find((e) => e.document === src.document);
      const s = ed ? src.streamAtLine(ed.selection.active.line) : -1;
      return s >= 0 ? s : undefined;
    }
    return (await captureProvider.editorFor(src.uri)?.currentStreams())?.[0];
  }

  async function pick(src: GraphSource): Promise<number | undefined> {
    const conns = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the connections of {0}…', src.title) }, () => src.conns());
    if (conns.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No TCP connections in {0}.', src.title));
      return undefined;
    }
    if (conns.length === 1) return conns[0].stream;
    const item = await vscode.window.showQuickPick(
      conns.map((c) => ({ label: `${c.client} → ${c.server}`, description: vscode.l10n.t('Stream {0}', c.stream), detail: vscode.l10n.t('{0} packets', c.packets.client + c.packets.server), stream: c.stream })),
      { title: vscode.l10n.t('Graphs of {0}', src.title), placeHolder: vscode.l10n.t('Which connection?'), matchOnDescription: true },
    );
    return item?.stream;
  }

  async function show(uri?: vscode.Uri, stream?: number): Promise<void> {
    const src = await sourceFor(uri);
    if (!src) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a capture or a tcpdump log to see its graphs.'));
      return;
    }
    let s = typeof stream === 'number' && Number.isInteger(stream) && stream >= 0 ? stream : await current(src);
    s ??= await pick(src);
    if (s === undefined) return;
    showGraphs(context, src, s);
  }

  const report = (e: unknown): void => {
    if (e instanceof vscode.CancellationError) return;
    void vscode.window.showErrorMessage(vscode.l10n.t('The graphs could not be drawn: {0}', errorMessage(e)));
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('captureLens.showGraphs', (uri?: unknown, stream?: unknown) =>
      show(uri instanceof vscode.Uri ? uri : undefined, typeof stream === 'number' ? stream : undefined).catch(report),
    ),
    {
      dispose: () => {
        for (const { flow } of [...sources.values()]) flow.dispose(true);
        sources.clear();
      },
    },
  );
}
