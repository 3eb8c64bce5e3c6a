/**
 * The flow-graph panel: a webview (media/flow/, bundled to dist/flow.js + dist/flow.css) that
 * draws the sequence diagram of a FlowSource's connections (./source.ts: a capture editor or a
 * tcpdump document), and its host-side controller.
 *
 * - One panel per source uri (`showFlowGraph` reveals it again); it closes with its source.
 * - The host builds the graph (src/core/flow/model.ts) from `source.packets(streams)` — with a
 *   cancellable progress notification when that takes a while — and rebuilds it when the user
 *   changes the connection filter, "problems only" or relative/absolute sequence numbers. The
 *   webview asks for windows of rows (./messages.ts) and draws only what is in view, so 100,000
 *   packets never cross the channel at once.
 * - Selection both ways: a click or Enter on an arrow calls `source.reveal(index)`;
 *   `source.onDidSelect(index)` selects and scrolls to that packet's row.
 * - Exports act on the active panel through commands that tests can call without a dialog:
 *   captureLens.flowGraph.exportSvg [uri], captureLens.flowGraph.exportPng [uri],
 *   captureLens.flowGraph.copyText (registerFlowPanelCommands). The PNG is rendered by the webview
 *   (the SVG drawn on an offscreen canvas) and written by the host. Big graphs export a capped
 *   window of rows starting at the first row in view.
 *
 * No retainContextWhenHidden: the webview saves its scroll position, selection, zoom and options
 * with setState and restores them on `ready`; the host keeps the graph meanwhile. The saved state
 * also names the source, so after a window reload the serializer (./commands.ts) can draw a
 * restored panel again (`restoreFlowGraph`).
 * Strict CSP (nonce script, no remote resources), localResourceRoots = dist/ only. Every UI string
 * goes through vscode.l10n.t here; packet-derived strings are set as text by the webview.
 */
import { webviewHtml } from '../webviewHtml';
import * as vscode from 'vscode';
import { buildFlowGraph, rowAtOrAfter, rowOfIndex, type FlowGraph, type FlowPacket } from '../../core/flow/model';
import { flowSvg } from '../../core/flow/svg';
import { flowText } from '../../core/flow/text';
import { bracketLanes, exportRange, pngSize, problemsOnly } from '../../core/flow/view';
import { MessageHandler, RequestTimeout } from '../../core/messaging';
import { graphMessage, markerHelp, rowsWindow, stateHelp, uiStrings } from './graphMessages';
import {
  FLOW_MAX_LANES,
  FLOW_REPLIES,
  parseFromWebview,
  type FlowConnItem,
  type FlowFromWebview,
  type FlowOptionsState,
  type FlowReplies,
  type FlowToWebview,
} from './messages';
import { FLOW_PACKET_LIMIT, type FlowSource } from './source';
import { errorMessage } from '../../core/errors';
import { base64Bytes } from '../base64';

export const FLOW_PANEL_VIEW_TYPE = 'captureLens.flowGraph';
export const FLOW_COMMANDS = {
  exportSvg: 'captureLens.flowGraph.exportSvg',
  exportPng: 'captureLens.flowGraph.exportPng',
  copyText: 'captureLens.flowGraph.copyText',
} as const;

/** Rows an SVG export or a text copy takes at most (from the first row in view when the graph has more). */
export const SVG_MAX_ROWS = 20_000;
export const TEXT_MAX_ROWS = 20_000;
/** Rows a PNG takes at most (its height stays within canvas limits). */
export const PNG_MAX_ROWS = 400;
/** A progress notification appears when reading the packets takes longer than this. */
const PROGRESS_DELAY_MS = 400;

/** Whether packets of `loaded` streams (null: all) contain every packet of `wanted` (null: all). */
function covers(loaded: readonly number[] | null, wanted: readonly number[] | null): boolean {
  if (loaded === null) return true;
  if (wanted === null) return false;
  const have = new Set(loaded);
  return wanted.every((s) => have.has(s));
}

/** The width and height attributes of an SVG document's root element. */
function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : { width: 0, height: 0 };
}

/** "capture.pcap" → "capture.flow.svg", beside the source when it is a file. */
function defaultTarget(source: FlowSource, ext: string): vscode.Uri | undefined {
  const base = source.title.replace(/\.[^.]*$/, '') || 'flow';
  const name = `${base}.flow.${ext}`;
  if (source.uri.scheme === 'file' || source.uri.scheme === 'vscode-remote') return vscode.Uri.joinPath(source.uri, '..', name);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

const panels = new Map<string, FlowPanel>();
let active: FlowPanel | undefined;

function setActive(p: FlowPanel | undefined): void {
  active = p;
  void vscode.commands.executeCommand('setContext', 'captureLens.flowGraphActive', p !== undefined);
}

/** The flow panel the user looked at last (the target of the export commands), if it is still open. */
export function activeFlowPanel(): FlowPanel | undefined {
  return active;
}

/** Opens (or reveals) the flow graph of `source`, for these streams (all when undefined). */
export function showFlowGraph(context: vscode.ExtensionContext, source: FlowSource, streams?: readonly number[]): FlowPanel {
  const key = source.uri.toString();
  const existing = panels.get(key);
  if (existing) {
    existing.reveal(streams);
    return existing;
  }
  return track(key, new FlowPanel(context, source, streams));
}

/**
 * Draws `source` again in a panel VS Code restored after a window reload (the panel serializer in
 * ./commands.ts found its source from the webview's saved state).
 */
export function restoreFlowGraph(context: vscode.ExtensionContext, source: FlowSource, panel: vscode.WebviewPanel, options: FlowOptionsState | null): FlowPanel {
  const key = source.uri.toString();
  panels.get(key)?.panel.dispose();
  return track(key, new FlowPanel(context, source, options?.streams ?? undefined, panel, options ?? undefined));
}

function track(key: string, p: FlowPanel): FlowPanel {
  panels.set(key, p);
  p.onDidDispose(() => {
    if (panels.get(key) === p) panels.delete(key);
    if (active === p) setActive([...panels.values()].find((x) => x.visible));
  });
  return p;
}

/** One flow-graph webview panel on one source. */
export class FlowPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private isDisposed = false;

  private options: FlowOptionsState;
  /** Packets read from the source, and the streams they cover (null: all). */
  private packets: FlowPacket[] | undefined;
  private loadedStreams: number[] | null = null;
  private graph: FlowGraph | undefined;
  private lanes: number[] = [];
  private version = 0;
  private conns: FlowConnItem[] = [];
  private webviewReady = false;
  private readyWaiters: (() => void)[] = [];
  /** Packet numbers the webview has selected and at its top, to keep the place across rebuilds. */
  private selIndex = -1;
  private topIndex = -1;
  private viewFirst = 0;
  /** Every message from the webview is checked (parseFromWebview) before its handler sees it; `renderPng` waits for its `png`. */
  private readonly channel = new MessageHandler<FlowToWebview, FlowFromWebview, FlowReplies>({
    post: (msg) => this.post(msg),
    replies: FLOW_REPLIES,
    validate: parseFromWebview,
    onError: (e) => this.post({ type: 'notice', severity: 'error', text: errorMessage(e) }),
    setTimer: (fn, ms) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
  });
  /** Serializes graph builds (a later filter waits for the current read). */
  private building: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly source: FlowSource,
    streams?: readonly number[],
    restored?: vscode.WebviewPanel,
    restoredOptions?: FlowOptionsState,
  ) {
    this.options = restoredOptions ?? { streams: streams ? [...new Set(streams)].sort((a, b) => a - b) : null, problemsOnly: false, time: 'relative', absolute: false };
    const options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')], retainContextWhenHidden: false };
    if (restored) {
      this.panel = restored;
      this.panel.title = vscode.l10n.t('Flow: {0}', source.title);
      this.panel.webview.options = options;
    } else {
      this.panel = vscode.window.createWebviewPanel(FLOW_PANEL_VIEW_TYPE, vscode.l10n.t('Flow: {0}', source.title), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, options);
    }
    this.panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    this.panel.webview.html = this.html(this.panel.webview);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.channel.receive(m)),
      this.panel.onDidChangeViewState(() => {
        if (this.panel.active) setActive(this);
        if (!this.panel.visible) this.webviewReady = false; // hidden: the webview is gone until shown again
      }),
      this.panel.onDidDispose(() => this.dispose()),
      source.onDidDispose(() => this.panel.dispose()),
      source.onDidSelect((index) => this.sourceSelected(index)),
    );
    if (source.onDidChange) {
      this.disposables.push(
        source.onDidChange(() => {
          // an edited tcpdump document: read its packets and connections again
          this.packets = undefined;
          void this.loadConnections();
          this.rebuild();
        }),
      );
    }
    this.handleMessages();
    setActive(this);
    void this.loadConnections();
    this.rebuild();
  }

  get visible(): boolean {
    return !this.isDisposed && this.panel.visible;
  }

  /** The graph drawn now (after filters), for tests and exports. */
  get currentGraph(): FlowGraph | undefined {
    return this.graph;
  }

  /** Shows the panel again; with `streams`, filters it to them. */
  reveal(streams?: readonly number[]): void {
    this.panel.reveal(undefined, false);
    if (streams) {
      const want = [...new Set(streams)].sort((a, b) => a - b);
      if (this.options.streams === null || want.join(',') !== this.options.streams.join(',')) {
        this.options = { ...this.options, streams: want };
        this.rebuild();
      }
    }
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.channel.close('closed');
    for (const d of this.disposables) d.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }

  private post(msg: FlowToWebview): void {
    if (!this.webviewReady || this.isDisposed) return;
    void this.panel.webview.postMessage(msg);
  }

  private async loadConnections(): Promise<void> {
    try {
      const list = await this.source.connections();
      this.conns = list.map((c) => ({ stream: c.stream, client: c.client, server: c.server, packets: c.packets, problems: c.problems, ...(c.app ? { app: c.app } : {}) }));
      if (this.webviewReady) this.sendInit();
      // a graph drawn before the connections came lacks their application labels (FTP-DATA lifelines)
      if (this.graph && this.conns.some((c) => c.app)) this.rebuild();
    } catch {
      this.conns = [];
    }
  }

  // -------------------------------------------------------------------------------------------
  // Building the graph

  /** Rebuilds the graph for the current options (reading packets from the source when needed), then sends it. */
  private rebuild(): void {
    this.building = this.building.then(() => this.doRebuild()).catch((e: unknown) => {
      this.post({ type: 'notice', severity: 'error', text: errorMessage(e) });
    });
  }

  private async doRebuild(): Promise<void> {
    if (this.isDisposed) return;
    const o = this.options;
    if (!this.packets || !covers(this.loadedStreams, o.streams)) {
      const got = await this.fetch(o.streams);
      if (this.isDisposed) return;
      if (!got) {
        // cancelled: keep what was drawn; nothing drawn yet: close
        if (!this.graph) this.panel.dispose();
        else this.post({ type: 'notice', severity: 'info', text: vscode.l10n.t('Reading the packets was cancelled.') });
        return;
      }
      this.packets = got;
      this.loadedStreams = o.streams;
      this.limitNotice =
        got.length >= FLOW_PACKET_LIMIT
          ? vscode.l10n.t('Showing the first {0} packets only: choose fewer connections to see the rest.', FLOW_PACKET_LIMIT.toLocaleString())
          : undefined;
    }
    const apps = new Map<number, string>();
    for (const c of this.conns) if (c.app) apps.set(c.stream, c.app);
    let g = buildFlowGraph(this.packets, { streams: o.streams ?? undefined, absolute: o.absolute, apps });
    if (o.problemsOnly) g = problemsOnly(g);
    this.graph = g;
    this.lanes = bracketLanes(g.brackets, FLOW_MAX_LANES);
    this.version++;
    this.sendGraph();
  }

  /** Said once a graph is drawn from FLOW_PACKET_LIMIT packets (what the source hands over at most). */
  private limitNotice: string | undefined;

  /** The source's packets of these streams, with a cancellable progress notification when it takes a while; undefined when cancelled. */
  private async fetch(streams: number[] | null): Promise<FlowPacket[] | undefined> {
    const cts = new vscode.CancellationTokenSource();
    const reading = this.source.packets(streams ?? undefined, cts.token);
    let finished = false;
    const timer = setTimeout(() => {
      if (finished) return;
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the packets of {0} for the flow graph…', this.source.title), cancellable: true },
        async (_progress, token) => {
          const sub = token.onCancellationRequested(() => cts.cancel());
          try {
            await reading;
          } catch {
            // reported below
          } finally {
            sub.dispose();
          }
        },
      );
    }, PROGRESS_DELAY_MS);
    try {
      const packets = await reading;
      return cts.token.isCancellationRequested ? undefined : packets;
    } catch (e) {
      if (cts.token.isCancellationRequested) return undefined;
      throw e;
    } finally {
      finished = true;
      clearTimeout(timer);
      cts.dispose();
    }
  }

  private sendInit(): void {
    const t = vscode.l10n.t;
    this.post({ type: 'init', source: { uri: this.source.uri.toString(), kind: this.source.kind }, strings: uiStrings(t), conns: this.conns, options: this.options, stateHelp: stateHelp(t), markerHelp: markerHelp(t) });
  }

  private sendGraph(): void {
    const g = this.graph;
    if (!g || !this.webviewReady) return;
    this.post(graphMessage(g, this.lanes, this.version, this.options, this.selIndex, this.topIndex));
    if (this.limitNotice) this.post({ type: 'notice', severity: 'info', text: this.limitNotice });
  }

  // -------------------------------------------------------------------------------------------
  // Messages

  /** One handler per message of the webview (the `rows` handler's result is the reply). */
  private handleMessages(): void {
    this.channel
      .on('ready', (m) => {
        this.webviewReady = true;
        if (m.selIndex >= 0) this.selIndex = m.selIndex;
        if (m.topIndex >= 0) this.topIndex = m.topIndex;
        this.sendInit();
        this.sendGraph();
        const waiters = this.readyWaiters;
        this.readyWaiters = [];
        for (const w of waiters) w();
      })
      .on('rows', (m) => {
        const g = this.graph;
        if (!g || m.version !== this.version) return undefined; // an old graph: the webview asks again
        return { version: m.version, ...rowsWindow(g, this.lanes, m.start, m.count, this.options.time, vscode.l10n.t) };
      })
      .on('reveal', (m) => {
        this.selIndex = m.index;
        this.source.reveal(m.index);
      })
      .on('selected', (m) => {
        this.selIndex = m.index;
      })
      .on('follow', async (m) => {
        await vscode.commands.executeCommand('captureLens.followStream', this.source.uri, null, m.index);
      })
      .on('options', (m) => {
        this.selIndex = m.selIndex;
        this.topIndex = m.topIndex;
        const o = this.options;
        const n = m.options;
        const same = o.problemsOnly === n.problemsOnly && o.absolute === n.absolute && (o.streams ?? []).join(',') === (n.streams ?? []).join(',') && (o.streams === null) === (n.streams === null);
        this.options = n;
        if (!same) this.rebuild();
        else if (o.time !== n.time) {
          // times only: same rows, new texts
          this.version++;
          this.sendGraph();
        }
      })
      .on('viewport', (m) => {
        this.viewFirst = m.first;
      })
      .on('export', async (m) => {
        if (m.format === 'svg') await this.exportSvg();
        else if (m.format === 'png') await this.exportPng();
        else await this.copyText();
      });
  }

  private sourceSelected(index: number): void {
    const g = this.graph;
    if (!g) return;
    let row = rowOfIndex(g, index);
    const exact = row >= 0;
    if (!exact) {
      if (!g.ordered || g.arrows.length === 0) return;
      row = Math.min(rowAtOrAfter(g, index), g.arrows.length - 1);
    } else this.selIndex = index;
    this.post({ type: 'select', version: this.version, index, row, exact });
  }

  // -------------------------------------------------------------------------------------------
  // Exports

  private rangeNotice(count: number, first: number, last: number): void {
    void vscode.window.showInformationMessage(vscode.l10n.t('The graph has {0} rows: exported rows {1} to {2} (from the first row in view).', count, first + 1, last + 1));
  }

  private async target(given: vscode.Uri | undefined, ext: 'svg' | 'png'): Promise<vscode.Uri | undefined> {
    if (given) return given;
    const filters: Record<string, string[]> = ext === 'svg' ? { [vscode.l10n.t('SVG image')]: ['svg'] } : { [vscode.l10n.t('PNG image')]: ['png'] };
    return vscode.window.showSaveDialog({ defaultUri: defaultTarget(this.source, ext), filters, saveLabel: vscode.l10n.t('Export') });
  }

  /** Writes the graph (the rows of the current filters; capped at SVG_MAX_ROWS) as an SVG file. Returns the file, undefined when cancelled. */
  async exportSvg(given?: vscode.Uri): Promise<vscode.Uri | undefined> {
    await this.building;
    const g = this.graph;
    if (!g) return undefined;
    const r = exportRange(g.arrows.length, this.viewFirst, SVG_MAX_ROWS);
    const uri = await this.target(given, 'svg');
    if (!uri) return undefined;
    const svg = flowSvg(g, { time: this.options.time, first: r.first, last: r.last });
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(svg));
    if (r.clipped) this.rangeNotice(g.arrows.length, r.first, r.last);
    if (!given) void vscode.window.showInformationMessage(vscode.l10n.t('Flow graph saved to {0}.', uri.fsPath || uri.toString()));
    return uri;
  }

  /** Writes the graph (at most PNG_MAX_ROWS rows) as a PNG file rendered by the webview. Returns the file, undefined when cancelled. */
  async exportPng(given?: vscode.Uri): Promise<vscode.Uri | undefined> {
    await this.building;
    const g = this.graph;
    if (!g) return undefined;
    const r = exportRange(g.arrows.length, this.viewFirst, PNG_MAX_ROWS);
    const uri = await this.target(given, 'png');
    if (!uri) return undefined;
    const svg = flowSvg(g, { time: this.options.time, first: r.first, last: r.last });
    const size = svgSize(svg);
    const px = pngSize(size.width, size.height);
    if (px.width === 0) throw new Error(vscode.l10n.t('Nothing to export.'));
    await this.whenReady();
    let answer: { base64?: string; error?: string };
    try {
      answer = await this.channel.request('renderPng', { svg, width: px.width, height: px.height }, { timeoutMs: 30_000 });
    } catch (e) {
      answer = { error: e instanceof RequestTimeout ? 'timeout' : errorMessage(e) };
    }
    if (!answer.base64) throw new Error(vscode.l10n.t('The PNG could not be rendered: {0}', answer.error ?? ''));
    await vscode.workspace.fs.writeFile(uri, base64Bytes(answer.base64));
    if (r.clipped) this.rangeNotice(g.arrows.length, r.first, r.last);
    if (!given) void vscode.window.showInformationMessage(vscode.l10n.t('Flow graph saved to {0}.', uri.fsPath || uri.toString()));
    return uri;
  }

  /** Copies the graph (capped at TEXT_MAX_ROWS rows) as a text diagram (like tshark -z flow,tcp,network) and returns it. */
  async copyText(): Promise<string> {
    await this.building;
    const g = this.graph;
    if (!g) return '';
    const r = exportRange(g.arrows.length, this.viewFirst, TEXT_MAX_ROWS);
    const text = flowText(g, { time: this.options.time, first: r.first, last: r.last });
    await vscode.env.clipboard.writeText(text);
    if (r.clipped) this.rangeNotice(g.arrows.length, r.first, r.last);
    else void vscode.window.showInformationMessage(vscode.l10n.t('Copied the flow graph ({0} rows) as text.', r.last - r.first + 1));
    return text;
  }

  /** Resolves once the webview listens (shows the panel, without taking the focus, when it is hidden). */
  private whenReady(): Promise<void> {
    if (this.webviewReady) return Promise.resolve();
    if (!this.panel.visible) this.panel.reveal(undefined, true);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(vscode.l10n.t('The flow graph view did not start.'))), 15_000);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.context.extensionUri, { script: 'flow.js', style: 'flow.css', title: 'Flow graph' });
  }
}

/** A command's target argument: a Uri, or a path / uri string (tests); undefined asks with a dialog. */
function asUri(x: unknown): vscode.Uri | undefined {
  if (x instanceof vscode.Uri) return x;
  if (typeof x === 'string' && x !== '') return /^[a-z][\w+.-]+:/i.test(x) && !/^[a-z]:[\\/]/i.test(x) ? vscode.Uri.parse(x) : vscode.Uri.file(x);
  return undefined;
}

async function onActive<T>(fn: (p: FlowPanel) => Promise<T>): Promise<T | undefined> {
  const p = active ?? [...panels.values()].find((x) => x.visible);
  if (!p) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a flow graph first.'));
    return undefined;
  }
  try {
    return await fn(p);
  } catch (e) {
    void vscode.window.showErrorMessage(errorMessage(e));
    return undefined;
  }
}

/**
 * The export commands, acting on the active flow panel; an optional target uri skips the save
 * dialog (tests). exportSvg / exportPng return the written file's uri, copyText the text.
 */
export function registerFlowPanelCommands(_context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(FLOW_COMMANDS.exportSvg, (target?: unknown) => onActive((p) => p.exportSvg(asUri(target)))),
    vscode.commands.registerCommand(FLOW_COMMANDS.exportPng, (target?: unknown) => onActive((p) => p.exportPng(asUri(target)))),
    vscode.commands.registerCommand(FLOW_COMMANDS.copyText, () => onActive((p) => p.copyText())),
  );
}
