/**
 * The capture editor webview's one state object, its channel to the host and its row cache. Every
 * module of the view (list, details, bytes, connections, status, filter) reads and writes `state`;
 * each owns its own DOM. Protocol: src/extension/capture/webviewMessages.ts.
 */
import type { CaptureReplies, ColumnId, FromWebview, InfoStyle, TimeFormat, ToWebview, UiStrings } from '../../src/extension/capture/webviewMessages';
import type { ConnJson } from '../../src/core/tcp/json';
import type { IndexProgress, PacketRow } from '../../src/worker/api';
import { webviewChannel } from '../common/channel';
import type { FlatField } from './fields';
import { PageCache } from '../common/pageCache';
import { savedState } from '../common/vscode';

export type Tab = 'details' | 'conns';

/** What the view keeps with setState across a hide or a reload. */
export interface SavedState {
  filter: string;
  selPos: number;
  selIndex: number;
  topRow: number;
  tab: Tab;
}

export const saved = savedState<SavedState>();

/** Rows per `rows` request and cache page, pages kept, row height (px), bytes drawn at most. */
export const ROW_H = 22;
export const PAGE = 256;
export const MAX_PAGES = 64;
export const MAX_BYTES_SHOWN = 16384;

/** The columns before the host's init says which (the host's DEFAULT_COLUMNS; the webview may import only types). */
export const INITIAL_COLUMNS: readonly ColumnId[] = ['no', 'time', 'src', 'dst', 'proto', 'length', 'info', 'states'];

export const state = {
  /** The host's translated strings (from `init`). */
  S: undefined as UiStrings | undefined,
  timeFormat: 'relative' as TimeFormat,
  /** The Info column's wording and the columns shown, in order (from `init`, `settings` and the chooser). */
  infoStyle: 'tcpdump' as InfoStyle,
  columns: [...INITIAL_COLUMNS] as ColumnId[],
  progress: undefined as IndexProgress | undefined,
  /** Packets in the file so far. */
  total: 0,
  /** 0: all packets; else the filter view rows come from. */
  view: 0,
  /** Rows of the current view. */
  viewCount: 0,
  appliedFilter: '',
  /** Selected position in the view, the packet index there, and the other end of a Shift range (-1: none). */
  selPos: -1,
  selIndex: -1,
  anchorPos: -1,
  cancelled: false,
  /** Scroll position and selection to restore (from the saved state) once their view has rows. */
  pendingTopRow: typeof saved.topRow === 'number' ? saved.topRow : -1,
  pendingSelPos: typeof saved.selPos === 'number' ? saved.selPos : -1,
  /** A packet number to go to once the cleared filter's result is in. */
  pendingGoTo: -1,
  /** Marked packets (0-based indices, from the host's `marks`). */
  marked: new Set<number>(),
  filterRestored: false,
  tab: (saved.tab === 'conns' ? 'conns' : 'details') as Tab,
  conns: undefined as ConnJson[] | undefined,
  connsRequested: false,
  /** The selected packet's fields (depth first), its bytes, and for each byte the deepest field holding it. */
  fields: [] as FlatField[],
  frame: new Uint8Array(0) as Uint8Array,
  owners: new Int32Array(0) as Int32Array,
  /** The chosen field (index in `fields`, -1: none). */
  activeField: -1,
};

export const channel = webviewChannel<FromWebview, ToWebview, CaptureReplies>({ rows: 'rows' });

export function post(m: FromWebview): void {
  channel.send(m);
}

/** Pages of rows of the current view (cleared when the view changes or the states become final). */
export const rows = new PageCache<{ rows: PacketRow[] }>(PAGE, MAX_PAGES);

/** The saved scroll position and selection belong to the saved filter's view: wait until it is applied. */
export function savedViewReady(): boolean {
  return state.appliedFilter === (typeof saved.filter === 'string' ? saved.filter.trim() : '');
}

export const app = document.getElementById('app') ?? document.body;

/**
 * Rows of a view (0: all packets) dropped by the ring limit so far (IndexProgress.dropped): the
 * first kept packet's number in the file is this + 1 in view 0.
 */
export function droppedIn(p: IndexProgress | undefined, view: number): number {
  if (!p) return 0;
  if (view === 0) return p.dropped ?? 0;
  return p.views?.find((v) => v.view === view)?.dropped ?? 0;
}
