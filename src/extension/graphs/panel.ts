/**
 * The Graphs panel (issue 14): a webview (media/graphs/, bundled to dist/graphs.js + graphs.css)
 * that draws one connection's time-sequence (tcptrace / Stevens), throughput, RTT and window /
 * bytes-in-flight graphs, and its host-side controller.
 *
 * - One panel per source (capture or tcpdump document); showing another connection of the same
 *   source re-targets it. It closes with its source.
 * - The webview asks for the series of what it shows (kind, direction, time range, width): the
 *   capture's worker or the host builds them, decimated to at most four points a pixel a layer
 *   (src/core/perf/series.ts), so a million-packet connection never crosses the channel whole.
 * - Selection both ways: a chosen point calls `source.reveal(packet)`; a packet the user selects in
 *   the source is located in the graph (`select`, with its time) and highlighted.
 * - Exports: the webview makes the SVG (colours inlined) and the PNG (the SVG drawn on a canvas);
 *   the host asks where to save and writes the file.
 *
 * Strict CSP (nonce script, no remote resources), localResourceRoots = dist/ only. UI strings go
 * through vscode.l10n.t here; packet-derived strings are set as text by the webview.
 */
import * as vscode from 'vscode';
import { MessageHandler } from '../../core/messaging';
import { errorMessage } from '../../core/errors';
import type { GraphKind } from '../../core/perf/series';
import { webviewHtml } from '../webviewHtml';
import { GRAPHS_REPLIES, parseFromWebview, type GraphConn, type GraphsFromWebview, type GraphsReplies, type GraphsToWebview } from './messages';
import { graphsUiStrings } from './strings';
import type { GraphSource } from './source';
import { base64Bytes } from '../base64';

export const GRAPHS_VIEW_TYPE = 'captureLens.graphs';

const panels = new Map<string, GraphsPanel>();

/** Opens (or reveals) the Graphs panel of `source` on connection `stream`. */
export function showGraphs(context: vscode.ExtensionContext, source: GraphSource, stream: number, kind: GraphKind = 'tseq'): GraphsPanel {
  const key = source.uri.toString();
  const have = panels.get(key);
  if (have && have.source === source) {
    have.show(stream, kind);
    return have;
  }
  have?.panel.dispose();
  const p = new GraphsPanel(context, source, stream, kind);
  panels.set(key, p);
  p.onDidDispose(() => {
    if (panels.get(key) === p) panels.delete(key);
  });
  return p;
}

/** The open Graphs panels (tests). */
export function graphsPanels(): GraphsPanel[] {
  return [...panels.values()];
}

export class GraphsPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly subs: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private gone = false;
  private ready = false;
  private conn: GraphConn | undefined;
  private loading: Promise<void> = Promise.resolve();
  /** The packet the source selected last (highlighted again after a re-target or a reload). */
  private selected = -1;
  /** Packets chosen in the graph (tests read them) */
  readonly chosen: number[] = [];
  private readonly channel = new MessageHandler<GraphsToWebview, GraphsFromWebview, GraphsReplies>({
    post: (m) => this.post(m),
    replies: GRAPHS_REPLIES,
    validate: parseFromWebview,
    onError: (e) => this.post({ type: 'notice', severity: 'error', text: errorMessage(e) }),
  });

  constructor(
    context: vscode.ExtensionContext,
    readonly source: GraphSource,
    private stream: number,
    private kind: GraphKind,
  ) {
    this.panel = vscode.window.createWebviewPanel(GRAPHS_VIEW_TYPE, this.title(), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
      retainContextWhenHidden: false,
    });
    this.panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    this.panel.webview.html = webviewHtml(this.panel.webview, context.extensionUri, { script: 'graphs.js', style: 'graphs.css', title: 'Graphs' });
    this.subs.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.channel.receive(m)),
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) this.ready = false; // the webview is gone until shown again
      }),
      source.onDidDispose(() => this.panel.dispose()),
      source.onDidSelect((index) => void this.sourceSelected(index)),
    );
    if (source.onDidChange) this.subs.push(source.onDidChange(() => this.show(this.stream, this.kind)));
    this.handle();
    this.load();
  }

  get currentStream(): number {
    return this.stream;
  }

  private title(): string {
    return vscode.l10n.t('Graphs: {0} #{1}', this.source.title, this.stream);
  }

  /** Draw connection `stream` (re-reads it when it changed). */
  show(stream: number, kind: GraphKind = this.kind): void {
    this.stream = stream;
    this.kind = kind;
    this.panel.title = this.title();
    this.panel.reveal(undefined, false);
    this.load();
  }

  private load(): void {
    this.conn = undefined;
    const stream = this.stream;
    this.loading = this.loading
      .then(async () => {
        const conn = await this.source.conn(stream);
        if (this.gone || stream !== this.stream) return;
        this.conn = conn;
        this.sendInit();
      })
      .catch((e: unknown) => {
        void vscode.window.showErrorMessage(vscode.l10n.t('The graphs could not be drawn: {0}', errorMessage(e)));
        this.panel.dispose();
      });
  }

  private sendInit(): void {
    const conn = this.conn;
    if (!conn || !this.ready) return;
    // start on the direction that sent more data
    const dir = conn.bytes[1] > conn.bytes[0] ? 1 : 0;
    this.post({ type: 'init', strings: graphsUiStrings(vscode.l10n.t), source: { uri: this.source.uri.toString(), kind: this.source.kind }, conn, kind: this.kind, dir });
    if (this.selected >= 0) void this.sourceSelected(this.selected);
  }

  private async sourceSelected(index: number): Promise<void> {
    this.selected = index;
    if (!this.conn) return;
    const t = await this.source.locate(this.stream, index).catch(() => -1);
    this.post({ type: 'select', index, t });
  }

  private handle(): void {
    this.channel
      .on('ready', () => {
        this.ready = true;
        this.sendInit();
      })
      .on('series', async (m) => ({ series: await this.source.series(this.stream, m.request) }))
      .on('choose', (m) => {
        this.chosen.push(m.index);
        this.source.reveal(m.index);
        // the source leaves out the selection its reveal makes: highlight the chosen packet here
        void this.sourceSelected(m.index);
      })
      .on('export', async (m) => {
        const base = this.source.title.replace(/\.[^.]*$/, '') || 'graph';
        const name = `${base}.stream${this.stream}.${m.format}`;
        const folder = this.source.uri.scheme === 'file' ? vscode.Uri.joinPath(this.source.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
        const target = await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
          filters: m.format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] },
        });
        if (!target) return;
        const bytes = m.format === 'svg' ? new TextEncoder().encode(m.data) : base64Bytes(m.data.slice(m.data.indexOf(',') + 1));
        await vscode.workspace.fs.writeFile(target, bytes);
        this.post({ type: 'notice', severity: 'info', text: vscode.l10n.t('Saved {0}.', target.path.split('/').pop() ?? '') });
      });
  }

  private post(m: GraphsToWebview): void {
    if (!this.ready || this.gone) return;
    void this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (this.gone) return;
    this.gone = true;
    this.channel.close('closed');
    for (const s of this.subs) s.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}
