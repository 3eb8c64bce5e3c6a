/**
 * The Follow TCP Stream panel (webview media/follow/, protocol ./messages.ts). One panel per
 * (capture or document, stream); opening it again reveals it. The host keeps no chunk: it passes the
 * webview's page requests on to the stream's data (./source.ts: the capture's worker, or tcpdump
 * text) and links chunks and packets both ways — a chosen chunk selects its packet in the capture
 * editor (or puts the cursor on its line of the log), a packet selected there scrolls the panel to
 * its chunk. While the worker is still reading a long stream, the meta is sent again every
 * META_POLL_MS so the webview's list grows.
 */
import * as vscode from 'vscode';
import { MessageHandler } from '../../core/messaging';
import { errorMessage } from '../../core/errors';
import type { ChunkView, FollowMeta } from '../../core/follow/page';
import { httpProblemText } from '../../core/explain/httpFollow';
import type { FlowSource } from '../flow/source';
import { webviewHtml } from '../webviewHtml';
import { platform } from '../platform';
import { FOLLOW_REPLIES, parseFromWebview, type FollowReplies, type FollowUiStrings, type FromWebview, type ToWebview } from './messages';
import type { StreamData } from './source';

export const FOLLOW_PANEL_VIEW_TYPE = 'captureLens.followStream';
const META_POLL_MS = 300;

/** What a panel follows: a stream of a capture or a document, with the source its packets link to. */
export interface FollowTarget {
  uri: vscode.Uri;
  title: string;
  stream: number;
  /** Selection both ways (CaptureFlowSource / LogFlowSource: the flow graph's links); disposed with the panel. */
  link: FlowSource & { dispose(): void };
  data: StreamData;
  /** A tcpdump document's data read again after an edit (the link's onDidChange); absent for captures. */
  reload?: () => StreamData;
}

function strings(): FollowUiStrings {
  const t = vscode.l10n.t;
  return {
    title: t('Follow TCP Stream {0}'),
    loading: t('Reading the stream…'),
    modeLabel: t('Show as'),
    modeText: t('Text'),
    modeHex: t('Hex dump'),
    modeRaw: t('Raw'),
    modeHttp: t('HTTP messages'),
    httpPackets: t('packets {0}'),
    httpBody: t('body: {0} bytes ({1} on the wire, {2})'),
    httpDecoded: t('{0} decoded'),
    httpNoBody: t('no body'),
    httpBinary: t('(binary, {0} bytes)'),
    httpBodyCut: t('{0} more bytes of the body not shown'),
    httpBudget: t('body not kept: the bodies of this stream shown so far pass {0}'),
    httpWithin: t('part of the message above'),
    asciiLossy: t('From tcpdump -A: bytes other than printable ASCII were written as "." and are lost; use -X for the real bytes.'),
    dirLabel: t('Direction'),
    dirBoth: t('Both directions'),
    dirClient: t('Client → server only'),
    dirServer: t('Server → client only'),
    saveClient: t('Save client bytes…'),
    saveServer: t('Save server bytes…'),
    client: t('client {0}'),
    server: t('server {0}'),
    summary: t('{0} → {1}: {2} bytes'),
    summaryMissing: t(', {0} not captured'),
    summaryRetrans: t(', {0} retransmitted copies'),
    chunk: t('#{0} {1}, {2} bytes'),
    sideClient: t('client'),
    sideServer: t('server'),
    notCaptured: t('[{0} bytes not captured]'),
    outOfOrder: t('out of order, put in place'),
    retrans: t('retransmitted copy of {0} bytes at offset {1}'),
    retransSame: t('same bytes'),
    retransDiffers: t('DIFFERS from the original, first at offset {0} ({1} → {2})'),
    retransUnknown: t('not compared: the original was not captured'),
    separator: t('{0} · packet {1} · client {2}, server {3}'),
    cut: t('{0} more bytes not shown (save the direction to get them all)'),
    listLabel: t('Stream contents'),
    chooseHint: t('Choose a chunk to select its packet.'),
    empty: t('This stream carries no bytes.'),
    reading: t('Reading the stream: {0} chunks so far…'),
  };
}

/** The sentences of the HTTP messages' problems, in the user's language (the worker keeps them as data). */
function withNotes(chunks: ChunkView[]): ChunkView[] {
  for (const c of chunks) if (c.head?.problems) c.head.notes = c.head.problems.map((p) => httpProblemText(p, vscode.l10n.t));
  return chunks;
}

const panels = new Map<string, FollowPanel>();

/** Opens (or reveals) the Follow panel of `target`; an already open one keeps its own target. */
export function showFollowPanel(context: vscode.ExtensionContext, target: FollowTarget): FollowPanel {
  const key = target.uri.toString() + '#' + target.stream;
  const have = panels.get(key);
  if (have) {
    target.link.dispose();
    target.data.close();
    have.reveal();
    return have;
  }
  const p = new FollowPanel(context, target, () => panels.delete(key));
  panels.set(key, p);
  return p;
}

export class FollowPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly subs: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private poll: NodeJS.Timeout | undefined;
  private readonly channel = new MessageHandler<ToWebview, FromWebview, FollowReplies>({
    post: (m) => this.post(m),
    replies: FOLLOW_REPLIES,
    validate: parseFromWebview,
    onError: (e) => this.post({ type: 'notice', severity: 'error', text: errorMessage(e) }),
  });

  constructor(
    context: vscode.ExtensionContext,
    private readonly target: FollowTarget,
    onDispose: () => void,
  ) {
    const title = vscode.l10n.t('Follow TCP Stream {0}', target.stream) + ' · ' + target.title;
    this.panel = vscode.window.createWebviewPanel(FOLLOW_PANEL_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, context.extensionUri, { script: 'follow.js', style: 'follow.css', title: 'Follow TCP Stream' });
    this.subs.push(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.channel.receive(raw)),
      target.link.onDidSelect((packet) => void this.revealPacket(packet)),
      target.link.onDidDispose(() => this.panel.dispose()),
    );
    const changed = target.link.onDidChange;
    if (changed && target.reload) {
      const reload = target.reload;
      // an edited tcpdump document: its packets are read again and the view starts over
      this.subs.push(
        changed(() => {
          this.target.data.close();
          this.target.data = reload();
          void this.sendInit();
        }),
      );
    }
    this.panel.onDidDispose(() => {
      this.disposed = true;
      if (this.poll) clearTimeout(this.poll);
      for (const s of this.subs) s.dispose();
      this.channel.close('the panel was closed');
      target.data.close();
      target.link.dispose();
      onDispose();
    });
    this.handle();
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private post(m: ToWebview): void {
    if (!this.disposed && this.ready) void this.panel.webview.postMessage(m);
  }

  /** The stream's meta and the strings: the webview (re)starts from them. */
  private async sendInit(): Promise<void> {
    const meta = await this.target.data.meta();
    if (!meta) {
      this.post({ type: 'notice', severity: 'error', text: vscode.l10n.t('{0} has no TCP stream {1}.', this.target.title, this.target.stream) });
      return;
    }
    this.post({ type: 'init', strings: strings(), source: this.target.title, meta });
    this.pollMeta(meta);
  }

  private handle(): void {
    this.channel
      .on('ready', async () => {
        this.ready = true;
        await this.sendInit();
      })
      .on('page', async (m) => ({ from: m.from, chunks: withNotes(await this.target.data.page(m.from, m.count, m.http === true)) }))
      .on('select', (m) => this.target.link.reveal(m.packet))
      .on('save', async (m) => this.save(m.dir));
  }

  /** Sends the meta again while the stream is still being read. */
  private pollMeta(meta: FollowMeta): void {
    if (meta.done || this.disposed) return;
    this.poll = setTimeout(() => {
      this.poll = undefined;
      void this.target.data.meta().then(
        (m) => {
          if (!m || this.disposed) return;
          this.post({ type: 'meta', meta: m });
          this.pollMeta(m);
        },
        () => undefined,
      );
    }, META_POLL_MS);
  }

  private async revealPacket(packet: number): Promise<void> {
    const chunk = await this.target.data.chunkOf(packet).catch(() => -1);
    if (chunk >= 0) this.post({ type: 'reveal', chunk });
  }

  private async save(dir: 0 | 1): Promise<void> {
    const base = this.target.title.replace(/\.[^.]*$/, '');
    const name = `${base}-stream${this.target.stream}-${dir === 0 ? 'client' : 'server'}.bin`;
    const folder = this.target.uri.scheme === 'file' ? vscode.Uri.joinPath(this.target.uri, '..') : undefined;
    const to = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      title: dir === 0 ? vscode.l10n.t('Save client bytes…') : vscode.l10n.t('Save server bytes…'),
    });
    if (!to) return;
    // a local file is written by the worker, streamed; any other target (remote, virtual, VS Code for the Web)
    // gets the bytes through vscode.workspace.fs
    const local = to.scheme === 'file' && platform().localFiles !== undefined;
    const n = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving the bytes of stream {0}…', this.target.stream) }, async () => {
      if (local) return this.target.data.save(dir, to.fsPath);
      const bytes = await this.target.data.bytes(dir);
      await vscode.workspace.fs.writeFile(to, bytes);
      return bytes.length;
    });
    this.post({ type: 'notice', severity: 'info', text: vscode.l10n.t('Saved {0} bytes to {1}.', n.toLocaleString(), to.path.split('/').pop() ?? '') });
  }
}
