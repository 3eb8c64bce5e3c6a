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
import * as path from 'node:path';
import * as vscode from 'vscode';

import { GrowthWatch } from '../../core/capture/follow';
import { ringBaseOf, ringFileName } from '../../node/followRing';

/** A file modified this recently when opened may still be written (tcpdump -U flushes each packet). */
export const RECENT_MS = 5000;
/**
 * A followed file not written by our own capture settles after this long without growth. 5 s:
 * longer than tcpdump's buffering without -U (a 4 KiB stdio buffer fills in well under a second
 * on any busy link) and short enough that a finished file soon shows its final states.
 */
export const QUIET_MS = 5000;
const POLL_MS = 500;
/** A settled file is looked at this often for growth (re-following): a stat a second costs nothing. */
export const REGROW_POLL_MS = 1000;

/** Live captures' files (fsPath → fires when the capture process exited). */
const live = new Map<string, vscode.EventEmitter<void>>();
/** The ring limit of a live capture's file (packets the editor keeps at least; src/worker/liveIndex.ts). */
const rings = new Map<string, number>();
/** Live captures written as a ring of files (tcpdump -C/-W): the first file's fsPath → the number of files. */
const fileRings = new Map<string, number>();

/**
 * A live capture writes `fsPath` until `ended` is called; `ringPackets`: its editor keeps the last N to
 * 2N packets; `ringFiles`: `fsPath` is the first file (BASE0) of a ring of that many files.
 */
export function registerLiveFile(fsPath: string, ringPackets = 0, ringFiles = 0): { ended(): void } {
  const em = new vscode.EventEmitter<void>();
  live.set(fsPath, em);
  if (ringPackets > 0) rings.set(fsPath, ringPackets);
  if (ringFiles > 0) fileRings.set(fsPath, ringFiles);
  return {
    ended: () => {
      if (live.get(fsPath) === em) live.delete(fsPath);
      em.fire();
      em.dispose();
    },
  };
}

/** The ring limit asked for when the live capture of `fsPath` started (0: none). */
export function ringOf(fsPath: string): number {
  return rings.get(fsPath) ?? 0;
}

/** The number of files when `fsPath` is the first file of a live capture's ring (0: a single file). */
export function ringFilesOf(fsPath: string): number {
  return fileRings.get(fsPath) ?? 0;
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
 * Watches one followed file: `onGrow` when its size went up, `onSettle` (the live capture exited,
 * or QUIET_MS without growth for other files, or the file shrank: the worker reports that). With
 * `onRegrow`, a settled file is still looked at every REGROW_POLL_MS: when it grows again (a
 * tcpdump restarted with -A on the same file, a writer that paused longer than QUIET_MS) `onRegrow`
 * is called and the file is followed again until it settles once more.
 */
export class FileGrowthWatcher implements vscode.Disposable {
  private readonly growth: GrowthWatch;
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private liveSub: vscode.Disposable | undefined;
  private settled = false;
  private disposed = false;
  private checking = false;
  /** A ring of files (tcpdump -C/-W): its files' sizes and times at the last look, and how often they changed. */
  private readonly ring: { names: string[]; key: string; changes: number } | null;

  constructor(
    private readonly fsPath: string,
    private readonly onGrow: () => void,
    private readonly onSettle: () => void,
    quietMs = QUIET_MS,
    private readonly onRegrow?: () => void,
  ) {
    this.growth = new GrowthWatch(quietMs);
    const files = ringFilesOf(fsPath);
    const base = files > 0 ? ringBaseOf(fsPath, files) : null;
    this.ring = base !== null ? { names: [...Array(files).keys()].map((i) => ringFileName(base, files, i)), key: '', changes: 0 } : null;
    const em = live.get(fsPath);
    if (em) this.liveSub = em.event(() => this.settle());
    try {
      this.watcher = fs.watch(this.watched, { persistent: false }, () => void this.check());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // no watcher here: the poll alone
    }
    this.timer = setInterval(() => void this.check(), POLL_MS);
    void this.check();
  }

  /** What fs.watch watches: the file, or a ring's folder (its files are truncated and written again in turn). */
  private get watched(): string {
    return this.ring ? path.dirname(this.fsPath) : this.fsPath;
  }

  /**
   * The size the growth watch sees: the file's, or for a ring a count of the looks at which any of its
   * files changed (size or time): a ring's bytes on disk go down when a file is truncated, yet it grew.
   */
  private async observedSize(): Promise<number> {
    const ring = this.ring;
    if (!ring) return (await fs.promises.stat(this.fsPath)).size;
    const parts = await Promise.all(ring.names.map((n) => fs.promises.stat(n).then((s) => `${s.size}@${s.mtimeMs}`, () => '-')));
    const key = parts.join(' ');
    if (key !== ring.key) {
      ring.key = key;
      ring.changes++;
    }
    return ring.changes;
  }

  private async check(): Promise<void> {
    if (this.disposed || (this.settled && !this.onRegrow) || this.checking) return;
    this.checking = true;
    try {
      const size = await this.observedSize();
      const now = Date.now();
      const change = this.growth.observe(size, now);
      if (this.settled) {
        if (change === 'grew' && !this.disposed) {
          this.settled = false;
          this.watchAgain();
          this.onRegrow?.();
        }
        return;
      }
      if (change === 'grew') this.onGrow();
      else if (change === 'shrank') {
        this.onGrow(); // the worker sees the shorter file and says it was replaced
        this.settle();
      } else if (!isLiveFile(this.fsPath) && this.growth.settled(now)) this.settle();
    } catch {
      if (!this.settled) this.settle(); // deleted or unreadable: what was read stays
    } finally {
      this.checking = false;
    }
  }

  /**
   * Stop watching (with onRegrow: but for a slow poll) and tell the worker the file is complete.
   * `final` (the user's Stop following): no re-following afterwards either.
   */
  settle(final = false): void {
    if (final) this.disposed = true;
    if (this.settled) {
      if (final) this.stopWatching();
      return;
    }
    this.settled = true;
    this.stopWatching();
    if (this.onRegrow && !this.disposed) this.timer = setInterval(() => void this.check(), REGROW_POLL_MS);
    this.onSettle();
  }

  /** Following again: the watcher and the fast poll. */
  private watchAgain(): void {
    this.stopWatching();
    try {
      this.watcher = fs.watch(this.watched, { persistent: false }, () => void this.check());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // no watcher here: the poll alone
    }
    this.timer = setInterval(() => void this.check(), POLL_MS);
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
    this.disposed = true;
    this.settled = true;
    this.stopWatching();
  }
}
