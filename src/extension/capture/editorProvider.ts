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
import { addPerfNode, connPerfViews } from './perfDetails';
import { buildDetails } from './details';
import { CaptureSession } from './session';
import { platform } from '../platform';
import { MessageHandler } from '../../core/messaging';
import {
  CAPTURE_REPLIES,
  DEFAULT_COLUMNS,
  parseColumns,
  packetOfContext,
  parseFromWebview,
  type CaptureReplies,
  type ColumnId,
  type FromWebview,
  type InfoStyle,
  type TimeFormat,
  type ToWebview,
  type UiStrings,
} from './webviewMessages';
import { errorMessage } from '../../core/errors';
import { connectionFilter } from '../../core/filter/connection';
import type { FindProblem } from '../../core/find/query';

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

function infoStyle(): InfoStyle {
  return vscode.workspace.getConfiguration('captureLens').get<string>('infoStyle', 'tcpdump') === 'wireshark' ? 'wireshark' : 'tcpdump';
}

/** workspaceState key of the packet list's columns (shown ones, in order). */
const COLUMNS_KEY = 'captureLens.captureEditor.columns';

/** The columns remembered for this workspace, checked like a message (the stored value is data too). */
function savedColumns(state: vscode.Memento): ColumnId[] {
  return parseColumns(state.get<unknown>(COLUMNS_KEY)) ?? [...DEFAULT_COLUMNS];
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
    colDelta: t('Delta time'),
    colStream: t('Stream'),
    colStates: t('States (client · server)'),
    colApp: t('Application'),
    columns: t('Columns…'),
    columnsTitle: t('Columns: show, hide and order them (remembered for this workspace)'),
    moveUp: t('Move up'),
    moveDown: t('Move down'),
    infoStyle: t('Info wording'),
    infoStyleTcpdump: t('Info: tcpdump'),
    infoStyleWireshark: t('Info: Wireshark'),
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
    sockets: t('Sockets at this packet'),
    socketsHint: t('The tables netstat -nat would have shown on each host right after the selected packet, as a netstat document'),
    cancel: t('Cancel'),
    indexing: t('Reading: {0} packets, {1} packets/s'),
    following: t('Following: {0} packets so far, the file is still being written'),
    stopFollowing: t('Stop following'),
    followingRing: t('Following: the last {0} packets are kept, {1} older ones were dropped (ring limit); the file is still being written'),
    ringDropped: t('{0} packets kept; the {1} before them were dropped by the ring limit (numbers are the file\'s)'),
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
    graphs: t('Graphs'),
    graphsHint: t('Time-sequence, throughput, RTT and window graphs of the selected connection'),
    connRtt: t('RTT'),
    connThroughput: t('Throughput'),
    connRetx: t('Retransmitted'),
    connGraphsOf: t('Graphs of connection {0}'),
    connLimitedBy: t('Limited by'),
    connPerfTitle: t('Performance of connection {0}'),
    connPerfHint: t('Choose a connection to see what limited its speed, with the evidence and what to change.'),
    connPerfPending: t('Measuring the connections…'),
    connPerfNone: t('Verdict: nothing measured here held the connection back.'),
    connPerfAdvice: t('What to change: {0}'),
    connPerfPacket: t('packet {0}'),
    followStream: t('Follow TCP Stream'),
    followHint: t('Show the connection of the selected packet as the bytes both ends sent'),
    find: t('Find'),
    findHint: t('Find a string, hex bytes or a regular expression in the packets (Ctrl+F)'),
    findPlaceholder: t('Find in packets'),
    findHexPlaceholder: t('Hex bytes: de ad be ef or deadbeef'),
    findRegexPlaceholder: t('Regular expression (RE2 syntax), e.g. GET /\\w+'),
    findModeText: t('Text'),
    findModeHex: t('Hex bytes'),
    findModeRegex: t('Regular expression'),
    findScopeBytes: t('Packet bytes'),
    findScopeInfo: t('Info column'),
    findCase: t('Match case'),
    findNext: t('Next (Enter, F3)'),
    findPrev: t('Previous (Shift+Enter, Shift+F3)'),
    findClose: t('Close (Escape)'),
    findSearching: t('Searching… {0} %'),
    findNotFound: t('No match in {0} packets.'),
    findWrappedEnd: t('Passed the end of the list: continued from the top.'),
    findWrappedStart: t('Passed the top of the list: continued from the end.'),
    findNoProblem: t('No packet here is marked as a problem.'),
    marked: t('marked'),
    findCancelled: t('Search cancelled.'),
  };
}

/** Why a find query cannot run, in the reader's language (src/core/find/query.ts FindProblem). */
export function findProblemText(p: FindProblem, t: (message: string, ...args: (string | number)[]) => string): string {
  switch (p.kind) {
    case 'empty':
      return t('Type what to find.');
    case 'tooLong':
      return t('The pattern is longer than {0} characters.', p.max);
    case 'hexDigit':
      return t('Not a hex digit at character {0}: write bytes as "de ad be ef" or "deadbeef".', p.at + 1);
    case 'hexOdd':
      return t('An odd number of hex digits at character {0}: a byte takes two.', p.at + 1);
    case 'regex':
      return t('Not a regular expression the linear engine (RE2 syntax) runs: {0}', p.message);
  }
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
    const editor = new CaptureEditor(document, panel, this.context.extensionUri, (index) => this.selected.fire({ uri: document.uri, index }), {
      state: this.context.workspaceState,
      columnsChanged: (from) => this.columnsChanged(from),
    });
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
    for (const e of this.editors) e.post({ type: 'settings', timeFormat: timeFormat(), infoStyle: infoStyle() });
  }

  /** One editor changed the columns: the others of this workspace follow. */
  private columnsChanged(from: CaptureEditor): void {
    const columns = savedColumns(this.context.workspaceState);
    for (const e of this.editors) if (e !== from) e.post({ type: 'settings', timeFormat: timeFormat(), infoStyle: infoStyle(), columns });
  }

  dispose(): void {
    this.selected.dispose();
    this.closed.dispose();
  }
}

/** Export Packets' arguments when run from a keybinding (or a test): no questions asked. */
interface ExportArgs {
  target?: string;
  which?: 'displayed' | 'selected' | 'marked' | 'connection' | 'all';
}

function exportArgs(a: unknown): ExportArgs | undefined {
  if (typeof a !== 'object' || a === null) return undefined;
  const o = a as Record<string, unknown>;
  const which = typeof o.which === 'string' && ['displayed', 'selected', 'marked', 'connection', 'all'].includes(o.which) ? (o.which as ExportArgs['which']) : undefined;
  const target = typeof o.target === 'string' && o.target.length > 0 ? o.target : undefined;
  return { target, which };
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
  /** Marked packets (Wireshark's Ctrl+M), 0-based; for this editor's life, like Wireshark's marks. */
  private readonly marked = new Set<number>();
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
    /** Where the columns are remembered (the workspace's state) and whom to tell when they change. */
    private readonly columnStore?: { state: vscode.Memento; columnsChanged(from: CaptureEditor): void },
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

  /** The packet selected last (0-based), -1 when none. */
  /** Mark packet `index`, or unmark it when it is marked (Wireshark's Ctrl+M). */
  async toggleMark(index: number): Promise<void> {
    if (this.marked.has(index)) this.marked.delete(index);
    else this.marked.add(index);
    this.postMarks();
  }

  private postMarks(): void {
    this.post({ type: 'marks', indices: [...this.marked].sort((a, b) => a - b) });
  }

  get selectedPacket(): number {
    return this.selectedIndex;
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

  /**
   * Export Packets… (Wireshark's "Export Specified Packets"): the displayed (filtered) packets, the
   * selected one, its connection, or all, saved as pcap or pcapng. Written by the worker to a local
   * file; for a non-file target (a remote or virtual workspace) to a temporary file copied there
   * through workspace.fs.
   */
  async exportPackets(args?: ExportArgs): Promise<void> {
    const t = vscode.l10n.t;
    const s = this.session;
    type Pick = vscode.QuickPickItem & { which: { view?: number; stream?: number; indices?: number[] }; name: string };
    const picks: Pick[] = [];
    if (this.view !== 0) picks.push({ label: t('Displayed packets ({0})', s.count(this.view)), description: this.filterExpr, which: { view: this.view }, name: 'filtered' });
    if (this.selectedIndex >= 0) {
      const row = await this.rowOf(this.selectedIndex);
      picks.push({ label: t('Selected packet (No. {0})', this.selectedIndex + 1), which: { indices: [this.selectedIndex] }, name: `packet-${this.selectedIndex + 1}` });
      if (row?.stream !== undefined) picks.push({ label: t('Its connection (stream {0})', row.stream), which: { stream: row.stream }, name: `stream-${row.stream}` });
    }
    if (this.marked.size > 0) picks.push({ label: t('Marked packets ({0})', this.marked.size), which: { indices: [...this.marked] }, name: 'marked' });
    picks.push({ label: t('All packets ({0})', s.count()), which: { view: 0 }, name: 'all' });
    const wanted = args?.which === 'displayed' ? 'filtered' : args?.which === 'selected' ? `packet-${this.selectedIndex + 1}` : args?.which === 'connection' ? 'stream-' : args?.which;
    const pick = wanted
      ? picks.find((p) => p.name === wanted || (wanted === 'stream-' && p.name.startsWith('stream-')))
      : picks.length === 1
        ? picks[0]
        : await vscode.window.showQuickPick(picks, { placeHolder: t('Which packets to export') });
    if (!pick) {
      if (wanted) void vscode.window.showErrorMessage(t('Export Packets failed: {0}', t('there are no such packets here ({0})', String(args?.which))));
      return;
    }
    const base = this.document.uri.path.split('/').pop()?.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '') ?? 'capture';
    const target = args?.target
      ? vscode.Uri.file(args.target)
      : await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(this.document.uri, '..', `${base}-${pick.name}.pcapng`),
      filters: { pcapng: ['pcapng'], pcap: ['pcap'] },
      title: t('Export Packets'),
    });
    if (!target) return;
    const format = /\.pcap$/i.test(target.path) ? 'pcap' : 'pcapng';
    const scratch = platform().scratch;
    if (!scratch) {
      // VS Code for the Web: the worker has no file system; it hands the file's bytes back (bounded by the
      // capture, read whole there) and they are written through vscode.workspace.fs
      try {
        const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Exporting packets…') }, async () => {
          const out = await s.exportBytes(format, pick.which);
          await vscode.workspace.fs.writeFile(target, out.data);
          return out;
        });
        void vscode.window.showInformationMessage(t('Exported {0} packets to {1}', r.packets, vscode.workspace.asRelativePath(target)));
      } catch (e) {
        void vscode.window.showErrorMessage(t('Export Packets failed: {0}', errorMessage(e)));
      }
      return;
    }
    // on the desktop the worker writes a local file: the target itself, or a scratch file copied to a remote or virtual target
    const local = target.scheme === 'file' && platform().localFiles ? target.fsPath : scratch.path(format);
    try {
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Exporting packets…') }, () => s.exportPackets(local, format, pick.which));
      if (local !== target.fsPath) await vscode.workspace.fs.writeFile(target, await scratch.take(local));
      void vscode.window.showInformationMessage(t('Exported {0} packets to {1}', r.packets, vscode.workspace.asRelativePath(target)));
    } catch (e) {
      void vscode.window.showErrorMessage(t('Export Packets failed: {0}', errorMessage(e)));
      if (local !== target.fsPath) await scratch.take(local).catch(() => undefined);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The packet rows' context menu (issue 17): the commands get the row's data-vscode-context

  /** Copy a row as the list shows it: No., time, source, destination, protocol, length, Info (tab-separated). */
  async copyRow(index: number): Promise<void> {
    const row = await this.rowOf(index);
    if (!row) return;
    const ep = (a: string, p?: number): string => (p === undefined || a === '' ? a : a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
    const info = infoStyle() === 'wireshark' ? (row.wsInfo ?? row.info) : row.info;
    const text = [row.index + 1, row.rel.toFixed(6), ep(row.src, row.sport), ep(row.dst, row.dport), row.proto, row.length, info].join('\t');
    await vscode.env.clipboard.writeText(text);
    this.post({ type: 'notice', severity: 'info', text: vscode.l10n.t('Copied packet {0}.', row.index + 1) });
  }

  /** The display filter of the packet's connection (src/core/filter/connection.ts), null when the packet is not there. */
  async connectionFilterOf(index: number): Promise<string | null> {
    const row = await this.rowOf(index);
    return row ? connectionFilter(row) : null;
  }

  async copyFilter(index: number): Promise<void> {
    const expr = await this.connectionFilterOf(index);
    if (expr === null) return;
    await vscode.env.clipboard.writeText(expr);
    this.post({ type: 'notice', severity: 'info', text: vscode.l10n.t('Copied the filter {0}', expr) });
  }

  /** "Filter on this connection": the filter goes into the box (the user sees and can edit it) and is applied. */
  async filterConnection(index: number): Promise<void> {
    const expr = await this.connectionFilterOf(index);
    if (expr !== null) this.post({ type: 'setFilter', expr });
  }

  async followPacket(index: number): Promise<void> {
    const row = await this.rowOf(index);
    await vscode.commands.executeCommand('captureLens.followStream', this.document.uri, row?.stream ?? null, index);
  }

  async flowGraphOf(index: number): Promise<void> {
    const row = await this.rowOf(index);
    await vscode.commands.executeCommand('captureLens.flowGraph.open', this.document.uri, row?.stream !== undefined ? [row.stream] : null);
  }

  async socketsAt(index: number): Promise<void> {
    await vscode.commands.executeCommand('captureLens.socketsAtPacket', this.document.uri, index);
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

  /** Give the page the keyboard focus, then post (the find bar puts the focus in its box). */
  focusAndPost(msg: ToWebview): void {
    if (this.disposed) return;
    this.panel.reveal(this.panel.viewColumn, false);
    this.post(msg);
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
          infoStyle: infoStyle(),
          columns: this.columnStore ? savedColumns(this.columnStore.state) : [...DEFAULT_COLUMNS],
          progress: s.progress,
          count: s.count(),
        });
        if (this.marked.size > 0) this.postMarks();
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
        const tree = addPerfNode(buildDetails(d.tree, row, vscode.l10n.t), d.perf, vscode.l10n.t);
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
      .on('conns', async () => {
        this.post({ type: 'conns', conns: await s.connections() });
        // issue 14's columns come after (one more pass over the file, once): the table shows first
        this.post({ type: 'connsPerf', cells: connPerfViews(await s.perfConns(), vscode.l10n.t) });
      })
      .on('cancel', () => s.cancel())
      .on('find', async (m) => {
        const t = vscode.l10n.t;
        const opts = { view: m.view, from: m.from, backwards: m.backwards, infoStyle: infoStyle() };
        try {
          const result = await s.find(m.query, opts, (searched, total) => this.post({ type: 'findProgress', seq: m.seq, searched, total }));
          const error = result.status === 'invalid' ? findProblemText(result.problem, t) : undefined;
          this.post({ type: 'findResult', seq: m.seq, view: m.view, result, error });
        } catch (e) {
          // the worker failed the request (a view dropped meanwhile, the capture closed): the find bar says why
          this.post({ type: 'findResult', seq: m.seq, view: m.view, result: { status: 'cancelled', searched: 0 }, error: errorMessage(e) });
        }
      })
      .on('findCancel', () => s.findCancel())
      .on('copy', async (m) => {
        const lines = await s.tcpdumpLines(m.indices);
        await vscode.env.clipboard.writeText(lines.join('\n') + '\n');
        this.post({ type: 'notice', severity: 'info', text: vscode.l10n.t('Copied {0} packets as tcpdump lines.', lines.length) });
      })
      .on('timeFormat', async (m) => {
        await vscode.workspace.getConfiguration('captureLens').update('editor.timeFormat', m.value, vscode.ConfigurationTarget.Global);
      })
      .on('infoStyle', async (m) => {
        await vscode.workspace.getConfiguration('captureLens').update('infoStyle', m.value, vscode.ConfigurationTarget.Global);
      })
      .on('columns', async (m) => {
        if (!this.columnStore) return;
        await this.columnStore.state.update(COLUMNS_KEY, m.columns);
        this.columnStore.columnsChanged(this);
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
          case 'graphs':
            await vscode.commands.executeCommand('captureLens.showGraphs', this.document.uri, m.stream ?? (await this.currentStreams())?.[0]);
            return;
          case 'socketsAtPacket':
            // src/extension/sockets/commands.ts: the palette's command, told which capture and packet
            await vscode.commands.executeCommand('captureLens.socketsAtPacket', this.document.uri, this.selectedIndex);
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
      if (e.affectsConfiguration('captureLens.editor.timeFormat') || e.affectsConfiguration('captureLens.infoStyle')) provider.settingsChanged();
    }),
    // args (keybindings, tests): { target: a file path, which: displayed | selected | connection | all } skip the questions
    vscode.commands.registerCommand('captureLens.captureEditor.exportPackets', async (args?: unknown) => {
      const editor = provider.activeEditor();
      if (editor) await editor.exportPackets(exportArgs(args));
      else void vscode.window.showInformationMessage(vscode.l10n.t('Open a capture in the capture editor first.'));
    }),
    // Find (Ctrl+F) and next / previous problem (F8, Shift+F8): the webview searches from its selection
    // from the title bar or the palette the focus is elsewhere: the page takes it, then its find box
    vscode.commands.registerCommand('captureLens.captureEditor.find', () => provider.activeEditor()?.focusAndPost({ type: 'findOpen' })),
    vscode.commands.registerCommand('captureLens.captureEditor.findNext', () => provider.activeEditor()?.post({ type: 'findStep', backwards: false })),
    vscode.commands.registerCommand('captureLens.captureEditor.findPrevious', () => provider.activeEditor()?.post({ type: 'findStep', backwards: true })),
    vscode.commands.registerCommand('captureLens.captureEditor.nextProblem', () =>
      provider.activeEditor()?.post({ type: 'findStep', backwards: false, problem: true }),
    ),
    vscode.commands.registerCommand('captureLens.captureEditor.previousProblem', () =>
      provider.activeEditor()?.post({ type: 'findStep', backwards: true, problem: true }),
    ),
    // the rows' context menu: the argument is the row's data-vscode-context ({ webviewSection, packet, stream })
    ...(
      [
        ['captureLens.packet.copyRow', (e, i) => e.copyRow(i)],
        ['captureLens.packet.copyFilter', (e, i) => e.copyFilter(i)],
        ['captureLens.packet.filterConnection', (e, i) => e.filterConnection(i)],
        ['captureLens.packet.followStream', (e, i) => e.followPacket(i)],
        ['captureLens.packet.flowGraph', (e, i) => e.flowGraphOf(i)],
        ['captureLens.packet.socketsAtPacket', (e, i) => e.socketsAt(i)],
        ['captureLens.packet.toggleMark', (e, i) => e.toggleMark(i)],
      ] as const satisfies readonly (readonly [string, (e: CaptureEditor, index: number) => Promise<void>])[]
    ).map(([id, run]) =>
      vscode.commands.registerCommand(id, async (ctx?: unknown) => {
        const editor = provider.activeEditor();
        const index = packetOfContext(ctx) ?? editor?.selectedPacket ?? -1;
        if (editor && index >= 0) await run(editor, index);
      }),
    ),
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
