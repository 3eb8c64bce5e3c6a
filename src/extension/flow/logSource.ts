/**
 * The flow graph's source for a tcpdump text document: packets and connections come from the
 * shared parse + engine cache (LogModels, one run per document version); a packet's index is its
 * 0-based number in the log, and the parsed log knows each packet's lines.
 *
 * `reveal` shows the packet's first line in a text editor of the document — the visible one, else
 * the tab that holds it, else a new editor beside — and puts the cursor there without taking the
 * focus. `onDidSelect` fires (debounced) when the cursor moves onto a TCP packet line of the
 * document; the selection changes `reveal` itself makes are left out, so the two views do not
 * ping-pong. `onDidChange` fires, debounced, when the text
 * changes: the panel then asks for the packets again. The source goes away when the document
 * closes.
 */
import * as vscode from 'vscode';
import type { FlowPacket } from '../../core/flow/model';
import type { LogModel } from '../../core/log/model';
import type { ConnJson } from '../../core/tcp/json';
import { platform } from '../platform';
import type { LogModels } from '../tcpdump/models';
import { FLOW_PACKET_LIMIT, type FlowConnInfo, type FlowSource } from './source';
import { connInfo, lineOfPacket, logConnections, logFlowPackets, packetOfLine } from './sourceData';

/** Cursor moves are reported once they settle for this long (arrow keys held down). */
const SELECT_DEBOUNCE_MS = 120;
/** Edits are reported once typing pauses for this long. */
const CHANGE_DEBOUNCE_MS = 300;

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString(true);
}

export class LogFlowSource implements FlowSource, vscode.Disposable {
  readonly kind = 'log';
  readonly title: string;
  readonly uri: vscode.Uri;
  private readonly selected = new vscode.EventEmitter<number>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposed = new vscode.EventEmitter<void>();
  private readonly subs: vscode.Disposable[] = [];
  private selectTimer: NodeJS.Timeout | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  /** The line our own reveal put the cursor on (its selection event is not the user's), until when. */
  private echoLine = -1;
  private echoUntil = 0;
  /** The packet reported last (moving within one packet's lines reports nothing new). */
  private lastReported = -1;
  private gone = false;
  readonly onDidSelect: vscode.Event<number> = this.selected.event;
  /** The document's text changed (debounced): packets and connections may be different now. */
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  readonly onDidDispose: vscode.Event<void> = this.disposed.event;

  constructor(
    private readonly models: LogModels,
    private readonly doc: vscode.TextDocument,
  ) {
    this.uri = doc.uri;
    this.title = basename(doc.uri);
    this.subs.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== this.doc || e.contentChanges.length === 0) return;
        this.lastReported = -1;
        if (this.changeTimer) clearTimeout(this.changeTimer);
        this.changeTimer = setTimeout(() => {
          this.changeTimer = undefined;
          if (!this.gone) this.changed.fire();
        }, CHANGE_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.doc) this.dispose();
      }),
    );
  }

  /** The document shown. */
  get document(): vscode.TextDocument {
    return this.doc;
  }

  /** The parse + engine run of the document's current text. */
  model(): LogModel {
    if (this.gone || this.doc.isClosed) throw new Error(vscode.l10n.t('The document {0} is closed.', this.title));
    return this.models.get(this.doc);
  }

  async packets(streams: readonly number[] | undefined, token?: vscode.CancellationToken): Promise<FlowPacket[]> {
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    return logFlowPackets(this.model(), streams, FLOW_PACKET_LIMIT);
  }

  /** The log's connections (as `capture-lens conns --json` has them). */
  async conns(): Promise<ConnJson[]> {
    return logConnections(this.model(), platform().zh());
  }

  async connections(): Promise<FlowConnInfo[]> {
    return (await this.conns()).map(connInfo);
  }

  reveal(index: number): void {
    if (this.gone || this.doc.isClosed) return;
    const line = lineOfPacket(this.model(), index);
    if (line < 0) return;
    void this.revealLine(line);
  }

  private async revealLine(line: number): Promise<void> {
    let editor = vscode.window.visibleTextEditors.find((e) => e.document === this.doc);
    if (!editor) {
      // a tab of the document in some group (hidden behind another tab), else a new editor beside
      let column: vscode.ViewColumn = vscode.ViewColumn.Beside;
      const key = this.doc.uri.toString();
      for (const g of vscode.window.tabGroups.all) {
        if (g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key)) {
          column = g.viewColumn;
          break;
        }
      }
      editor = await vscode.window.showTextDocument(this.doc, { viewColumn: column, preserveFocus: true, preview: false });
    }
    const pos = new vscode.Position(line, 0);
    this.echoLine = line;
    this.echoUntil = Date.now() + 1500;
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    if (this.gone || e.textEditor.document !== this.doc || e.selections.length === 0) return;
    const line = e.selections[0].active.line;
    if (line === this.echoLine && Date.now() < this.echoUntil) {
      // the cursor move our reveal made: the panel already shows that packet
      this.echoLine = -1;
      this.lastReported = packetOfLine(this.model(), line);
      return;
    }
    if (this.selectTimer) clearTimeout(this.selectTimer);
    this.selectTimer = setTimeout(() => {
      this.selectTimer = undefined;
      if (this.gone || this.doc.isClosed) return;
      const i = packetOfLine(this.model(), line);
      if (i < 0 || i === this.lastReported) return;
      this.lastReported = i;
      this.selected.fire(i);
    }, SELECT_DEBOUNCE_MS);
  }

  /**
   * Ends the source. `quiet` (the extension shutting down, e.g. for a window reload): its panels
   * are not told, so they stay open for VS Code to restore.
   */
  dispose(quiet = false): void {
    if (this.gone) return;
    this.gone = true;
    if (this.selectTimer) clearTimeout(this.selectTimer);
    if (this.changeTimer) clearTimeout(this.changeTimer);
    for (const s of this.subs) s.dispose();
    if (!quiet) this.disposed.fire();
    this.selected.dispose();
    this.changed.dispose();
    this.disposed.dispose();
  }
}
