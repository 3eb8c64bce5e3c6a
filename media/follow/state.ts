/**
 * The Follow view's one state object, its channel to the host and its page cache of chunks.
 * Protocol: src/extension/follow/messages.ts.
 */
import type { ChunkView, FollowMeta } from '../../src/core/follow/page';
import type { FollowReplies, FollowUiStrings, FromWebview, ToWebview } from '../../src/extension/follow/messages';
import { webviewChannel } from '../common/channel';
import { PageCache } from '../common/pageCache';
import { savedState } from '../common/vscode';

/** 'http': requests and responses with their decoded bodies (pages asked for with `http`). */
export type Mode = 'text' | 'hex' | 'raw' | 'http';
/** 'both', or only the client's (0) / the server's (1) bytes. */
export type DirFilter = 'both' | 0 | 1;

export interface SavedState {
  mode: Mode;
  dir: DirFilter;
  /** The chunk at the top and the chosen chunk. */
  topChunk: number;
  selChunk: number;
}
export const saved = savedState<SavedState>();

/** Chunks per page (FOLLOW_VIEW_PAGE), pages kept, line height (px). */
export const PAGE = 64;
export const MAX_PAGES = 48;
export const LINE_H = 18;

export const state = {
  S: undefined as FollowUiStrings | undefined,
  meta: undefined as FollowMeta | undefined,
  source: '',
  mode: (saved.mode === 'hex' || saved.mode === 'raw' || saved.mode === 'http' ? saved.mode : 'text') as Mode,
  dir: (saved.dir === 0 || saved.dir === 1 ? saved.dir : 'both') as DirFilter,
  /** The chosen chunk (-1: none). */
  selChunk: typeof saved.selChunk === 'number' ? saved.selChunk : -1,
  /** A chunk to scroll to once its page is here (-1: none). */
  pendingReveal: -1,
};

export const channel = webviewChannel<FromWebview, ToWebview, FollowReplies>({ page: 'page' });

export function post(m: FromWebview): void {
  channel.send(m);
}

export const pages = new PageCache<{ rows: ChunkView[] }>(PAGE, MAX_PAGES);

export const app = document.getElementById('app') ?? document.body;
