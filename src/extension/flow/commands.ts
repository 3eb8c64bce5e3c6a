/**
 * Entry points of the flow graph (the panel itself is ./panel.ts):
 *
 * - `captureLens.showFlowGraph` (command palette, tcpdump editor title button and context menu):
 *   for the active capture editor or tcpdump document, asks which connections to draw
 *   ("All connections" first; the connection the user looks at is preselected) and opens the panel;
 * - `captureLens.flowGraph.open` (uri, streams | null), internal: opens the panel at once — the
 *   capture editor's "Flow graph" button (the connection it is filtered to or the selected packet's)
 *   and the "Flow graph" CodeLens beside each connection's summary in a tcpdump document;
 * - the panel's own commands (export SVG/PNG, copy as text: registerFlowPanelCommands);
 * - a panel serializer: after a window reload VS Code hands back the flow panels it showed, with
 *   their webviews' saved state (source, options), and they are drawn again — the capture reopened
 *   in the capture editor if its tab was not restored with it.
 *
 * One source per capture / document is kept while it is open, so panels opened for it share it.
 */
import * as vscode from 'vscode';
import { CAPTURE_EDITOR_VIEW_TYPE, type CaptureEditorProvider } from '../capture/editorProvider';
import type { LogModels } from '../tcpdump/models';
import { CaptureFlowSource } from './captureSource';
import { LogFlowSource } from './logSource';
import { parseOptions } from './messages';
import { FLOW_PANEL_VIEW_TYPE, registerFlowPanelCommands, restoreFlowGraph, showFlowGraph } from './panel';
import { connectionPickItems, pickedStreams, type ConnPickItem } from './sourceData';
import { errorMessage } from '../../core/errors';

type Source = CaptureFlowSource | LogFlowSource;

export function registerFlowGraph(context: vscode.ExtensionContext, models: LogModels, captureProvider: CaptureEditorProvider): vscode.Disposable {
  const sources = new Map<string, Source>();

  function keep<T extends Source>(src: T): T {
    const key = src.uri.toString();
    sources.set(key, src);
    src.onDidDispose(() => {
      if (sources.get(key) === src) sources.delete(key);
    });
    return src;
  }

  function captureSource(uri: vscode.Uri): CaptureFlowSource | undefined {
    const have = sources.get(uri.toString());
    if (have instanceof CaptureFlowSource && have.alive) return have;
    if (!captureProvider.editorFor(uri)) return undefined;
    return keep(new CaptureFlowSource(captureProvider, uri));
  }

  function logSource(doc: vscode.TextDocument): LogFlowSource {
    const have = sources.get(doc.uri.toString());
    if (have instanceof LogFlowSource && have.document === doc) return have;
    return keep(new LogFlowSource(models, doc));
  }

  /** The source for `uri` (an open capture editor, else an open text document), or the active one. */
  async function sourceFor(uri?: vscode.Uri): Promise<Source | undefined> {
    if (uri instanceof vscode.Uri) {
      let cap = captureSource(uri);
      if (!cap && /\.(pcap|pcapng|cap)$/i.test(uri.path)) {
        // a capture that is not open: open it in the capture editor, whose worker serves the packets
        await vscode.commands.executeCommand('vscode.openWith', uri, CAPTURE_EDITOR_VIEW_TYPE);
        cap = captureSource(uri);
        if (!cap) throw new Error(vscode.l10n.t('The capture {0} is no longer open.', uri.path.split('/').pop() ?? ''));
      }
      if (cap) return cap;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
      return logSource(doc);
    }
    const text = vscode.window.activeTextEditor;
    if (text && text.document.languageId === 'tcpdump') return logSource(text.document);
    const editor = captureProvider.activeEditor();
    if (editor) return captureSource(editor.uri);
    return undefined;
  }

  /**
   * The connections preselected in the QuickPick: those the capture editor is filtered to or whose
   * packet is selected there. In a log the cursor is always somewhere (line 1 of a log just
   * opened): nothing is preselected there, "All connections" is.
   */
  async function current(src: Source): Promise<number[]> {
    if (src instanceof CaptureFlowSource) return (await captureProvider.editorFor(src.uri)?.currentStreams()) ?? [];
    return [];
  }

  async function open(src: Source, streams: readonly number[] | undefined): Promise<void> {
    await showFlowGraph(context, src, streams);
  }

  async function showWithPick(uri?: vscode.Uri): Promise<void> {
    const src = await sourceFor(uri);
    if (!src) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a capture or a tcpdump log to see its flow graph.'));
      return;
    }
    // a capture's connections are known once it is read to the end
    const conns = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the connections of {0}…', src.title) },
      () => src.conns(),
    );
    if (conns.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No TCP connections in {0}.', src.title));
      return;
    }
    if (conns.length === 1) {
      await open(src, undefined);
      return;
    }
    const items = connectionPickItems(conns, vscode.l10n.t, await current(src));
    const qp = vscode.window.createQuickPick<ConnPickItem & vscode.QuickPickItem>();
    qp.title = vscode.l10n.t('Flow graph of {0}', src.title);
    qp.placeholder = vscode.l10n.t('Which connections? (several can be chosen)');
    qp.canSelectMany = true;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.items = items;
    qp.selectedItems = items.filter((i) => i.picked);
    const picked = await new Promise<readonly ConnPickItem[] | undefined>((resolve) => {
      qp.onDidAccept(() => {
        resolve(qp.selectedItems);
        qp.hide();
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!picked) return;
    const streams = pickedStreams(picked, conns.length);
    if (streams === null) return;
    await open(src, streams);
  }

  async function openDirect(uri?: vscode.Uri, streams?: readonly number[] | null): Promise<void> {
    const src = await sourceFor(uri);
    if (!src) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a capture or a tcpdump log to see its flow graph.'));
      return;
    }
    await open(src, Array.isArray(streams) ? streams.filter((s) => Number.isInteger(s) && s >= 0) : undefined);
  }

  /** A panel VS Code restored after a reload: draw its source again, or close it when that is gone. */
  async function restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = (typeof state === 'object' && state !== null ? state : {}) as { source?: { uri?: unknown }; options?: unknown };
    const uri = typeof saved.source?.uri === 'string' ? vscode.Uri.parse(saved.source.uri) : undefined;
    let src: Source | undefined;
    try {
      src = uri ? await sourceFor(uri) : undefined;
    } catch {
      src = undefined;
    }
    if (!src) {
      panel.dispose();
      return;
    }
    restoreFlowGraph(context, src, panel, parseOptions(saved.options));
  }

  const report = (e: unknown): void => {
    if (e instanceof vscode.CancellationError) return;
    void vscode.window.showErrorMessage(vscode.l10n.t('The flow graph could not be opened: {0}', errorMessage(e)));
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('captureLens.showFlowGraph', (uri?: vscode.Uri) => showWithPick(uri).catch(report)),
    vscode.commands.registerCommand('captureLens.flowGraph.open', (uri?: vscode.Uri, streams?: readonly number[] | null) => openDirect(uri, streams).catch(report)),
    registerFlowPanelCommands(context),
    vscode.window.registerWebviewPanelSerializer(FLOW_PANEL_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => restore(panel, state) }),
    {
      dispose: () => {
        // the extension is shutting down (window reload, exit): keep the panels for VS Code to restore
        for (const s of [...sources.values()]) s.dispose(true);
        sources.clear();
      },
    },
  );
}
