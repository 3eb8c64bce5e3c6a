/**
 * What differs between the desktop extension host (Node) and VS Code for the Web's extension host
 * (a browser's Web Worker), issue 17. The entry points set it once at activation — extension.ts
 * the Node one (./nodePlatform.ts), web.ts the browser one (./webPlatform.ts) — and the shared
 * code (the capture editor, Follow, the walkthrough, "Open Capture as tcpdump Text") asks it
 * instead of importing node:*, so the browser bundle builds (esbuild fails on a node:* import
 * for platform "browser": scripts/build.mjs).
 */
import * as vscode from 'vscode';
import type { Inflate } from '../core/follow/http';
import type { WorkerPort } from '../worker/client';
import type { Translate } from '../core/explain/l10n';
import type { SampleFile } from '../core/synth/sampleFiles';

/** Watches a capture file that is still being written (follow mode, issue 16): desktop only. */
export interface LocalFiles {
  /** Should the capture editor follow this file:// capture as it grows? */
  shouldFollow(uri: vscode.Uri): boolean;
  /** The ring limit asked for when a live capture of this file started (0: none; src/worker/liveIndex.ts). */
  ringOf(fsPath: string): number;
  /** The number of files when this file is the first of a live capture's ring (tcpdump -C/-W; 0: one file). */
  ringFilesOf(fsPath: string): number;
  /**
   * Watch it: `onGrow` when it grew, `onSettle` once it stopped, `onRegrow` when a settled file grows
   * again; `settle()` stops watching and settles now (`final`: no re-following afterwards either).
   */
  watch(fsPath: string, onGrow: () => void, onSettle: () => void, onRegrow?: () => void): vscode.Disposable & { settle(final?: boolean): void };
}

export interface HostPlatform {
  /** 'node' on the desktop (and remote) extension host, 'web' in VS Code for the Web. */
  readonly kind: 'node' | 'web';
  /** Start the capture editor's decoding worker (dist/worker.js, or dist/web/worker.js in a browser). */
  startWorker(extensionUri: vscode.Uri): WorkerPort;
  /**
   * file: captures read by the worker itself, by path and in pieces (desktop): absent in a
   * browser, where every capture is read whole through vscode.workspace.fs.
   */
  readonly localFiles?: LocalFiles;
  /**
   * A local file the worker can write (Export Packets, Follow's Save to a non-file target): a path
   * to write and, once written, its bytes (the file is then removed). Absent in a browser.
   */
  readonly scratch?: { path(ext: string): string; take(path: string): Promise<Uint8Array> };
  /** The Simplified Chinese translator of l10n/bundle.l10n.zh-cn.json (ConnJson.messageZh). */
  zh(): Translate;
  /**
   * Undoes HTTP content codings for Follow's HTTP mode (Node's zlib, bounded: src/node/httpInflate.ts);
   * absent in a browser, where compressed bodies are shown as they are, with a problem saying why.
   */
  readonly inflate?: Inflate;
  /** The walkthrough's samples (their text in UTC on Node; a browser prints in its own time zone). */
  sampleFiles(): SampleFile[];
}

let current: HostPlatform | undefined;

export function setPlatform(p: HostPlatform): void {
  current = p;
}

/** The platform set at activation. */
export function platform(): HostPlatform {
  if (!current) throw new Error('Capture Lens: the host platform was not set at activation');
  return current;
}
