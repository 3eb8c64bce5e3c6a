/**
 * Follow mode's host side (issue 16): which capture files are still being written, and a watcher
 * that tells the document's decoding worker when one grew and when it stopped.
 *
 * - A file written by our own live capture (src/extension/capture/live.ts) is registered here
 *   while its tcpdump runs: it settles only when that process exits, however quiet the network.
 * - Any other file on disk changed within RECENT_MS before it is opened (tcpdump -w in a terminal)
 *   is followed too, and settles after QUIET_MS without growth.
 *
 * Growth is seen through fs.watch (inotify, FSEvents, ReadDirectoryChangesW) when the platform
 * gives it, and by a stat every POLL_MS in any case: watchers miss events on network and some
 * container file systems, and a stat every half second costs nothing next to decoding.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';

import { GrowthWatch } from '../../core/capture/follow';

/** A file modified this recently when opened may still be written (tcpdump -U flushes each packet). */
export const RECENT_MS = 5000;
/**
 * A followed file not written by our own capture settles after this long without growth. 5 s:
 * longer than tcpdump's buffering without -U (a 4 KiB stdio buffer fills in well under a second
 * on any busy link) and short enough that a finished file soon shows its final states.
 */
export const QUIET_MS = 5000;
const POLL_MS = 500;

/** Live captures' files (fsPath → fires when the capture process exited). */
const live = new Map<string, vscode.EventEmitter<void>>();

/** A live capture writes `fsPath` until `ended` is called. */
export function registerLiveFile(fsPath: string): { ended(): void } {
  const em = new vscode.EventEmitter<void>();
  live.set(fsPath, em);
  return {
    ended: () => {
      if (live.get(fsPath) === em) live.delete(fsPath);
      em.fire();
      em.dispose();
    },
  };
}

/** True when a live capture writes `fsPath` now. */
export function isLiveFile(fsPath: string): boolean {
  return live.has(fsPath);
}

/** Should the capture editor follow this file (see the module comment)? */
export function shouldFollow(uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return false;
  if (isLiveFile(uri.fsPath)) return true;
  try {
    const st = fs.statSync(uri.fsPath);
    return st.isFile() && Date.now() - st.mtimeMs < RECENT_MS;
  } catch {
    return false;
  }
}

/**
 * Watches one followed file: `onGrow` when its size went up, `onSettle` once (the live capture
 * exited, or QUIET_MS without growth for other files, or the file shrank: the worker reports that).
 */
export class FileGrowthWatcher implements vscode.Disposable {
  private readonly growth: GrowthWatch;
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private liveSub: vscode.Disposable | undefined;
  private settled = false;
  private checking = false;

  constructor(
    private readonly fsPath: string,
    private readonly onGrow: () => void,
    private readonly onSettle: () => void,
    quietMs = QUIET_MS,
  ) {
    this.growth = new GrowthWatch(quietMs);
    const em = live.get(fsPath);
    if (em) this.liveSub = em.event(() => this.settle());
    try {
      this.watcher = fs.watch(fsPath, { persistent: false }, () => void this.check());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // no watcher here: the poll alone
    }
    this.timer = setInterval(() => void this.check(), POLL_MS);
    void this.check();
  }

  private async check(): Promise<void> {
    if (this.settled || this.checking) return;
    this.checking = true;
    try {
      const st = await fs.promises.stat(this.fsPath);
      const now = Date.now();
      const change = this.growth.observe(st.size, now);
      if (change === 'grew') this.onGrow();
      else if (change === 'shrank') {
        this.onGrow(); // the worker sees the shorter file and says it was replaced
        this.settle();
      } else if (!isLiveFile(this.fsPath) && this.growth.settled(now)) this.settle();
    } catch {
      this.settle(); // deleted or unreadable: what was read stays
    } finally {
      this.checking = false;
    }
  }

  /** Stop watching and tell the worker the file is complete. */
  settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.stopWatching();
    this.onSettle();
  }

  private stopWatching(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
    this.liveSub?.dispose();
    this.liveSub = undefined;
  }

  dispose(): void {
    this.settled = true;
    this.stopWatching();
  }
}
