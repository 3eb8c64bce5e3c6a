/**
 * The flow-graph webview's one state object, its channel to the host and its row cache. Every
 * module of the view (body, header, lanes, rows, toolbar, export) reads and writes `state`; each
 * owns its own DOM. Protocol: src/extension/flow/messages.ts.
 */
import type {
  FlowBracketData,
  FlowConnItem,
  FlowFromWebview,
  FlowHostData,
  FlowLifelineData,
  FlowMarkerData,
  FlowOptionsState,
  FlowReplies,
  FlowRowData,
  FlowSourceRef,
  FlowStateData,
  FlowToWebview,
  FlowUiStrings,
} from '../../src/extension/flow/messages';
import { webviewChannel } from '../common/channel';
import { PageCache } from '../common/pageCache';
import { savedState } from '../common/vscode';
import { clampZoom, type FlowLayout } from './layout';

/** What the view keeps with setState across a hide or a reload. */
export interface SavedState {
  /** What the graph is drawn from (read back by the panel serializer after a window reload). */
  source?: FlowSourceRef;
  options: FlowOptionsState | null;
  zoom: number;
  selIndex: number;
  topIndex: number;
  scrollLeft: number;
}

export const saved = savedState<SavedState>();

/** Rows per request / cache page, and pages kept. */
export const PAGE = 200;
export const MAX_PAGES = 40;

export const state = {
  /** The host's translated strings (from `init`). */
  S: undefined as FlowUiStrings | undefined,
  conns: [] as FlowConnItem[],
  options: (saved.options ?? { streams: null, problemsOnly: false, time: 'relative', absolute: false }) as FlowOptionsState,
  source: saved.source as FlowSourceRef | undefined,
  zoom: clampZoom(typeof saved.zoom === 'number' ? saved.zoom : 1),
  stateHelp: {} as Record<string, string>,
  markerHelp: {} as Record<string, [string, string]>,

  /** The graph drawn: its version (rows of another are dropped), rows, hosts, lifelines, bracket lanes. */
  version: -1,
  count: 0,
  hosts: [] as FlowHostData[],
  lifelines: [] as FlowLifelineData[],
  lanes: 1,
  /** Where everything goes at the current zoom (media/flow/layout.ts). */
  L: undefined as FlowLayout | undefined,
  loading: true,

  /** Selected row and its packet, the packet at the top (kept across rebuilds), and where to scroll once drawn. */
  selRow: -1,
  selIndex: typeof saved.selIndex === 'number' ? saved.selIndex : -1,
  topIndex: typeof saved.topIndex === 'number' ? saved.topIndex : -1,
  pendingTopRow: -1,
  pendingLeft: typeof saved.scrollLeft === 'number' ? saved.scrollLeft : 0,
};

export const channel = webviewChannel<FlowFromWebview, FlowToWebview, FlowReplies>({ rows: 'rows', renderPng: 'png' });

export function post(m: FlowFromWebview): void {
  channel.send(m);
}

/** A page of rows with its state boxes and markers by row, and the brackets overlapping it. */
export interface Page {
  rows: FlowRowData[];
  states: Map<number, FlowStateData[]>;
  markers: Map<number, FlowMarkerData[]>;
  brackets: FlowBracketData[];
}

/** Pages of rows of the current graph version (cleared with every new graph). */
export const rows = new PageCache<Page>(PAGE, MAX_PAGES);

export const app = document.getElementById('app') ?? document.body;
