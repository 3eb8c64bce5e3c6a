/**
 * The capture editor: a CustomReadonlyEditorProvider for *.pcap, *.pcapng and *.cap. One
 * CaptureSession (a decoding worker) per document, disposed when the document closes; one webview
 * per editor, talking the protocol of ./webviewMessages.ts (ready → init, then requests) through
 * src/core/messaging.ts.
 *
 * The webview (media/capture/, bundled to dist/capture.js + dist/capture.css) gets a strict CSP
 * with a nonce, may load only from dist/ and media/, and receives packet data as plain values that
 * it sets as text. Explanations are computed here with vscode.l10n.t and sent as plain strings.
 */
import { webviewHtml } from '../webviewHtml';
import * as vscode from 'vscode';
import type { IndexProgress, PacketRow } from '../../worker/api';
import { streamOfFilter } from '../flow/sourceData';
import { buildDetails } from './details';
import { CaptureSession } from './session';
import { MessageHandler } from '../../core/messaging';
import { CAPTURE_REPLIES, parseFromWebview, type CaptureReplies, type FromWebview, type TimeFormat, type ToWebview, type UiStrings } from './webviewMessages';
import { errorMessage } from '../../core/errors';

export const CAPTURE_EDITOR_VIEW_TYPE = 'captureLens.captureEditor';
const PROGRESS_INTERVAL_MS = 100;

class CaptureDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly session: CaptureSession,
  ) {}
  dispose(): void {
    this.session.dispose();
  }
}

function timeFormat(): TimeFormat {
  const v = vscode.workspace.getConfiguration('captureLens').get<string>('editor.timeFormat', 'relative');
  return v === 'absolute' || v === 'delta' ? v : 'relative';
}

/** Every UI string of the webview, translated. */
function uiStrings(): UiStrings {
  const t = vscode.l10n.t;
  return {
    colNo: t('No.'),
    colTime: t('Time'),
    colSource: t('Source'),
    colDestination: t('Destination'),
    colProtocol: t('Protocol'),
    colLength: t('Length'),
    colInfo: t('Info'),
    filterPlaceholder: t('Filter: host 10.0.0.1 and port 443, stream 3, flags S, problem…'),
    filterApply: t('Apply'),
    filterClear: t('Clear'),
    tabDetails: t('Packet details'),
    tabConnections: t('Connections'),
    openAsText: t('Open as tcpdump text'),
    copyTcpdump: t('Copy as tcpdump'),
    goToPacket: t('Go'),
    goToPlaceholder: t('Packet no.'),
    flowGraph: t('Flow graph'),
    flowGraphHint: t('Show the selected connection (or every connection) as a sequence diagram'),
    cancel: t('Cancel'),
    indexing: t('Reading: {0} packets, {1} packets/s'),
    indexed: t('{0} packets'),
    cancelled: t('Reading cancelled after {0} packets.'),
    packetsShown: t('{0} of {1} packets shown'),
    damaged: t('This capture is damaged: {0} (at byte {1}). The packets before that point are shown.'),
    notCapture: t('This file is not a packet capture: {0}'),
    readFailed: t('Reading stopped: {0}. The packets read so far are shown.'),
    reopenText: t('Reopen with the Text Editor'),
    noSelection: t('Select a packet to see its fields and bytes.'),
    noField: t('Select a field to see what it means and which bytes hold it.'),
    bytesHover: t('Byte {0}: {1}'),
    legendSyn: t('SYN'),
    legendFin: t('FIN'),
    legendRst: t('RST'),
    legendWarn: t('Analysis warning'),
    legendBad: t('Malformed or truncated'),
    timeRelative: t('Seconds since the first packet'),
    timeAbsolute: t('Time of day (UTC)'),
    timeDelta: t('Seconds since the previous packet'),
    connStream: t('Stream'),
    connClient: t('Client'),
    connServer: t('Server'),
    connState: t('conn_state'),
    connHistory: t('History'),
    connFinal: t('Final states'),
    connPackets: t('Packets'),
    connBytes: t('Bytes'),
    connDuration: t('Duration'),
    connProblems: t('Problems'),
    connNone: t('No TCP connections in this capture.'),
    connHint: t('Choose a connection to filter the packet list to it.'),
    states: t('client {0} · server {1}'),
    copied: t('Copied {0} packets as tcpdump lines.'),
    listLabel: t('Packet list'),
    detailsLabel: t('Packet details'),
    bytesLabel: t('Packet bytes'),
    followStream: t('Follow TCP Stream'),
    followHint: t('Show the connection of the selected packet as the bytes both ends sent'),
  };
}

/** A packet the user selected in a capture editor (the flow graph follows it). */
export interface CapturePacketSelection {
  uri: vscode.Uri;
  /** 0-based packet index. */
  index: number;
}

export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument>, vscode.Disposable {
  /** The editor whose webview was active last (target of the palette commands). */
  private active: CaptureEditor | undefined;
  private readonly editors = new Set<CaptureEditor>();
  private readonly selected = new vscode.EventEmitter<CapturePacketSelection>();
  private readonly closed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when the user selects a packet in a capture editor (not when `reveal` selected it). */
  readonly onDidSelectPacket: vscode.Event<CapturePacketSelection> = this.selected.event;
  /** Fires when a capture editor closes (its document, and worker, go with it). */
  readonly onDidCloseEditor: vscode.Event<vscode.Uri> = this.closed.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    return new CaptureDocument(uri, CaptureSession.open(uri, this.context.extensionUri));
  }

  resolveCustomEditor(document: CaptureDocument, panel: vscode.WebviewPanel): void {
    const editor = new CaptureEditor(document, panel, this.context.extensionUri, (index) => this.selected.fire({ uri: document.uri, index }));
    this.editors.add(editor);
    this.active = editor;
    panel.onDidChangeViewState(() => {
      if (panel.active) this.active = editor;
    });
    panel.onDidDispose(() => {
      this.editors.delete(editor);
      if (this.active === editor) this.active = undefined;
      editor.dispose();
      this.closed.fire(document.uri);
    });
  }

  /** The open capture editor of a capture file, if any. */
  editorFor(uri: vscode.Uri): CaptureEditor | undefined {
    const key = uri.toString();
    for (const e of this.editors) if (e.uri.toString() === key) return e;
    return undefined;
  }

  /** The capture editor the user looks at, if any. */
  activeEditor(): CaptureEditor | undefined {
    if (this.active?.visible) return this.active;
    for (const e of this.editors) if (e.visible) return e;
    return undefined;
  }

  settingsChanged(): void {
    for (const e of this.editors) e.post({ type: 'settings', timeFormat: timeFormat() });
  }

  dispose(): void {
    this.selected.dispose();
    this.closed.dispose();
  }
}

/** One webview on one document. */
export class CaptureEditor implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private lastProgress = 0;
  private progressTimer: NodeJS.Timeout | undefined;
  /** The filtered view the webview uses (0: all packets), and its filter expression. */
  private view = 0;
  private filterExpr = '';
  /** The packet selected last (-1: none). */
  private selectedIndex = -1;
  /** A packet `reveal` asked the webview to select: its echo is not reported as the user's selection. */
  private echo = -1;
  private echoUntil = 0;
  /** A packet to reveal once the webview (re)loads (it is discarded while its editor is hidden). */
  private pendingReveal = -1;
  private detailsSeq = 0;
  private disposed = false;
  /** Every message from the webview is checked (parseFromWebview) before its handler sees it. */
  private readonly channel = new MessageHandler<ToWebview, FromWebview, CaptureReplies>({
    post: (msg) => this.post(msg),
    replies: CAPTURE_REPLIES,
    validate: parseFromWebview,
    onError: (e) => this.post({ type: 'notice', severity: 'error', text: errorMessage(e) }),
  });

  constructor(
    private readonly document: CaptureDocument,
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly onUserSelect: (index: number) => void = () => undefined,
  ) {
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    webview.html = this.html(webview);
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.channel.receive(raw)),
      document.session.onProgress((p) => this.onProgress(p)),
    );
    this.handleMessages();
  }

  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  get session(): CaptureSession {
    return this.document.session;
  }

  /**
   * The streams the user is looking at: the stream of a `stream N` filter, else the selected
   * packet's stream; undefined (every connection) when neither says.
   */
  async currentStreams(): Promise<number[] | undefined> {
    const filtered = streamOfFilter(this.filterExpr);
    if (filtered !== undefined) return [filtered];
    if (this.selectedIndex < 0) return undefined;
    const row = await this.rowOf(this.selectedIndex);
    return row?.stream !== undefined ? [row.stream] : undefined;
  }

  /** Select packet `index` in the list (the flow graph chose it); shows the editor, without taking the focus, when hidden. */
  reveal(index: number): void {
    if (this.disposed) return;
    this.echo = index;
    this.echoUntil = Date.now() + 3000;
    if (this.panel.visible && this.ready) {
      this.post({ type: 'reveal', index });
      return;
    }
    this.pendingReveal = index;
    this.panel.reveal(this.panel.viewColumn, true);
  }

  post(msg: ToWebview): void {
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(msg);
  }

  dispose(): void {
    this.disposed = true;
    if (this.progressTimer) clearTimeout(this.progressTimer);
    for (const d of this.disposables) d.dispose();
  }

  /** Progress at most every PROGRESS_INTERVAL_MS, and always the final one. */
  private onProgress(p: IndexProgress): void {
    if (!this.ready) return;
    const now = Date.now();
    if (p.done || now - this.lastProgress >= PROGRESS_INTERVAL_MS) {
      if (this.progressTimer) clearTimeout(this.progressTimer);
      this.progressTimer = undefined;
      this.lastProgress = now;
      this.sendProgress(p);
    } else if (!this.progressTimer) {
      this.progressTimer = setTimeout(() => {
        this.progressTimer = undefined;
        this.lastProgress = Date.now();
        this.sendProgress(this.document.session.progress);
      }, PROGRESS_INTERVAL_MS);
    }
  }

  private sendProgress(p: IndexProgress): void {
    const s = this.document.session;
    const msg: ToWebview = { type: 'progress', progress: p, count: s.count() };
    if (this.view !== 0) {
      msg.view = this.view;
      msg.viewCount = s.count(this.view);
    }
    this.post(msg);
  }

  /** One handler per message of the webview (the `rows` handler's result is the reply). */
  private handleMessages(): void {
    const s = this.document.session;
    this.channel
      .on('ready', () => {
        this.ready = true;
        this.post({
          type: 'init',
          fileName: this.document.uri.path.split('/').pop() ?? '',
          strings: uiStrings(),
          timeFormat: timeFormat(),
          progress: s.progress,
          count: s.count(),
        });
        if (this.pendingReveal >= 0) {
          this.post({ type: 'reveal', index: this.pendingReveal });
          this.pendingReveal = -1;
        }
      })
      .on('rows', async (m) => {
        let rows: PacketRow[];
        try {
          rows = await s.rows(m.start, m.count, m.view === 0 ? undefined : m.view);
        } catch {
          rows = []; // a view dropped meanwhile: the webview has moved on
        }
        return { view: m.view, start: m.start, rows };
      })
      .on('select', async (m) => {
        this.selectedIndex = m.index;
        if (this.echo >= 0 && Date.now() < this.echoUntil) {
          // a reveal is on its way: its echo, or a selection the reloading webview restored before it
          if (m.index === this.echo) this.echo = -1;
        } else this.onUserSelect(m.index);
        const seq = ++this.detailsSeq;
        const [d, row] = await Promise.all([s.details(m.index), this.rowOf(m.index)]);
        if (seq !== this.detailsSeq) return; // a newer selection won
        const tree = buildDetails(d.tree, row, vscode.l10n.t);
        const bytes = d.bytes instanceof Uint8Array ? d.bytes : new Uint8Array(d.bytes as ArrayLike<number>);
        this.post({ type: 'details', index: d.index, tree, bytes, tcpdump: d.tcpdump });
      })
      .on('filter', async (m) => {
        const expr = m.expr.trim();
        if (expr === '') {
          this.dropView();
          this.filterExpr = '';
          this.post({ type: 'filter', expr: '', result: { ok: true, view: 0, count: s.count() } });
          return;
        }
        const result = await s.filter(expr);
        if (result.ok && result.view !== this.view) {
          this.dropView();
          this.view = result.view;
        }
        if (result.ok) this.filterExpr = expr;
        this.post({ type: 'filter', expr: m.expr, result });
      })
      .on('conns', async () => this.post({ type: 'conns', conns: await s.connections() }))
      .on('cancel', () => s.cancel())
      .on('copy', async (m) => {
        const lines = await s.tcpdumpLines(m.indices);
        await vscode.env.clipboard.writeText(lines.join('\n') + '\n');
        this.post({ type: 'notice', severity: 'info', text: vscode.l10n.t('Copied {0} packets as tcpdump lines.', lines.length) });
      })
      .on('timeFormat', async (m) => {
        await vscode.workspace.getConfiguration('captureLens').update('editor.timeFormat', m.value, vscode.ConfigurationTarget.Global);
      })
      .on('follow', async (m) => {
        const packet = m.packet ?? (m.stream === undefined && this.selectedIndex >= 0 ? this.selectedIndex : null);
        await vscode.commands.executeCommand('captureLens.followStream', this.document.uri, m.stream ?? null, packet);
      })
      .on('command', async (m) => {
        switch (m.command) {
          case 'openAsText':
            await vscode.commands.executeCommand('captureLens.openCaptureAsText', this.document.uri);
            return;
          case 'reopenText':
            await vscode.commands.executeCommand('vscode.openWith', this.document.uri, 'default');
            return;
          case 'flowGraph':
            await vscode.commands.executeCommand('captureLens.flowGraph.open', this.document.uri, (await this.currentStreams()) ?? null);
            return;
        }
      });
  }

  /** Forgets the current filter view in the worker (the webview asks for rows of the new one only). */
  private dropView(): void {
    if (this.view !== 0) this.document.session.dropView(this.view);
    this.view = 0;
  }

  private async rowOf(index: number): Promise<PacketRow | null> {
    try {
      const rows = await this.document.session.rows(index, 1);
      return rows.find((r) => r.index === index) ?? null;
    } catch {
      return null;
    }
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.extensionUri, { script: 'capture.js', style: 'capture.css', title: 'Capture' });
  }
}

/**
 * Registers the capture editor, its "Go to Packet…" and "Copy as tcpdump" commands and the
 * settings listener. The lead adds `registerCaptureEditor(context)` to activate().
 */
export function registerCaptureEditor(context: vscode.ExtensionContext, provider = new CaptureEditorProvider(context)): vscode.Disposable {
  return vscode.Disposable.from(
    provider,
    vscode.window.registerCustomEditorProvider(CAPTURE_EDITOR_VIEW_TYPE, provider, {
      supportsMultipleEditorsPerDocument: false,
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('captureLens.editor.timeFormat')) provider.settingsChanged();
    }),
    vscode.commands.registerCommand('captureLens.captureEditor.goToPacket', async () => {
      const editor = provider.activeEditor();
      if (!editor) return;
      const v = await vscode.window.showInputBox({
        prompt: vscode.l10n.t('Packet number'),
        validateInput: (s) => (/^\s*\d+\s*$/.test(s) && Number(s) >= 1 ? undefined : vscode.l10n.t('A packet number from 1 up')),
      });
      if (v !== undefined) editor.post({ type: 'goTo', packet: Number(v.trim()) });
    }),
  );
}
