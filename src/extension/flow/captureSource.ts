/**
 * The flow graph's source for a capture open in the capture editor: packets come from the
 * document's decoding worker (request `flowPackets`, src/worker/flowPackets.ts, answered once
 * indexing is over, so the states drawn are final), connections from its connections table.
 * `reveal` selects the packet in the capture editor (showing it, without taking the focus, when it
 * is hidden); `onDidSelect` follows the rows the user selects there (the editor leaves out the
 * selections `reveal` caused, so the two views do not ping-pong). The source goes away with the
 * capture editor.
 */
import * as vscode from 'vscode';
import type { FlowPacket } from '../../core/flow/model';
import type { ConnJson } from '../../core/tcp/json';
import type { CaptureEditorProvider } from '../capture/editorProvider';
import type { CaptureSession } from '../capture/session';
import { FLOW_PACKET_LIMIT, type FlowConnInfo, type FlowSource } from './source';
import { connInfo } from './sourceData';

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.toString(true);
}

export class CaptureFlowSource implements FlowSource, vscode.Disposable {
  readonly kind = 'capture';
  readonly title: string;
  private readonly selected = new vscode.EventEmitter<number>();
  private readonly disposed = new vscode.EventEmitter<void>();
  private readonly subs: vscode.Disposable[] = [];
  private gone = false;
  readonly onDidSelect: vscode.Event<number> = this.selected.event;
  readonly onDidDispose: vscode.Event<void> = this.disposed.event;

  constructor(
    private readonly provider: CaptureEditorProvider,
    readonly uri: vscode.Uri,
  ) {
    this.title = basename(uri);
    const key = uri.toString();
    this.subs.push(
      provider.onDidSelectPacket((e) => {
        if (e.uri.toString() === key) this.selected.fire(e.index);
      }),
      provider.onDidCloseEditor((u) => {
        if (u.toString() === key) this.dispose();
      }),
    );
  }

  /** Whether the capture editor is still open. */
  get alive(): boolean {
    return !this.gone && this.provider.editorFor(this.uri) !== undefined;
  }

  private session(): CaptureSession {
    const editor = this.gone ? undefined : this.provider.editorFor(this.uri);
    if (!editor) throw new Error(vscode.l10n.t('The capture {0} is no longer open.', this.title));
    return editor.session;
  }

  async packets(streams: readonly number[] | undefined, token?: vscode.CancellationToken): Promise<FlowPacket[]> {
    const answer = this.session().flowPackets(streams, FLOW_PACKET_LIMIT);
    if (!token) return answer;
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    // the worker finishes the request anyway; a cancelled caller just stops waiting for it
    let sub: vscode.Disposable | undefined;
    const cancelled = new Promise<never>((_resolve, reject) => {
      sub = token.onCancellationRequested(() => reject(new vscode.CancellationError()));
    });
    try {
      return await Promise.race([answer, cancelled]);
    } finally {
      sub?.dispose();
    }
  }

  /** The capture's connections as the capture editor's connections table has them (once indexing is over). */
  conns(): Promise<ConnJson[]> {
    return this.session().connections();
  }

  async connections(): Promise<FlowConnInfo[]> {
    return (await this.conns()).map(connInfo);
  }

  reveal(index: number): void {
    this.provider.editorFor(this.uri)?.reveal(index);
  }

  /**
   * Ends the source. `quiet` (the extension shutting down, e.g. for a window reload): its panels
   * are not told, so they stay open for VS Code to restore.
   */
  dispose(quiet = false): void {
    if (this.gone) return;
    this.gone = true;
    for (const s of this.subs) s.dispose();
    if (!quiet) this.disposed.fire();
    this.selected.dispose();
    this.disposed.dispose();
  }
}
