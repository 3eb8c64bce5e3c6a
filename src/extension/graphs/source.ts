/**
 * What the Graphs panel (./panel.ts) draws from: a capture open in the capture editor (its decoding
 * worker replays the connection and builds the series: src/worker/perfGraph.ts) or a tcpdump text
 * document (the host replays it from the log model: src/core/perf/logGraph.ts). Selection both ways
 * goes through the flow graph's sources (reveal the packet / its line; follow the user's selection).
 */
import type * as vscode from 'vscode';
import { graphConnInfo, rowOfPacket } from '../../core/perf/connPackets';
import { logConnPackets } from '../../core/perf/logGraph';
import { buildSeries, type SeriesData, type SeriesRequest } from '../../core/perf/series';
import type { ConnJson } from '../../core/tcp/json';
import type { CaptureEditorProvider } from '../capture/editorProvider';
import type { CaptureFlowSource } from '../flow/captureSource';
import type { LogFlowSource } from '../flow/logSource';
import { packetOfLine } from '../flow/sourceData';
import type { GraphConn } from './messages';

export interface GraphSource {
  readonly title: string;
  readonly uri: vscode.Uri;
  readonly kind: 'capture' | 'log';
  /** The connections (for the pick and the endpoints). */
  conns(): Promise<ConnJson[]>;
  /** Replays `stream` (once) and says what it holds. */
  conn(stream: number): Promise<GraphConn>;
  series(stream: number, request: SeriesRequest): Promise<SeriesData>;
  /** Packet `index`'s time in the graph of `stream`, -1 when it is not one of its packets. */
  locate(stream: number, index: number): Promise<number>;
  /** Select packet `index` in the source (capture editor row, log line). */
  reveal(index: number): void;
  readonly onDidSelect: vscode.Event<number>;
  readonly onDidDispose: vscode.Event<void>;
  readonly onDidChange?: vscode.Event<void>;
}

async function withEnds(s: GraphSource, stream: number, info: Omit<GraphConn, 'client' | 'server'>): Promise<GraphConn> {
  const c = (await s.conns()).find((x) => x.stream === stream);
  return { ...info, client: c?.client ?? '?', server: c?.server ?? '?' };
}

export class CaptureGraphSource implements GraphSource {
  readonly kind = 'capture';
  constructor(
    private readonly provider: CaptureEditorProvider,
    private readonly flow: CaptureFlowSource,
  ) {}

  get title(): string {
    return this.flow.title;
  }
  get uri(): vscode.Uri {
    return this.flow.uri;
  }
  get onDidSelect(): vscode.Event<number> {
    return this.flow.onDidSelect;
  }
  get onDidDispose(): vscode.Event<void> {
    return this.flow.onDidDispose;
  }

  private session() {
    const e = this.provider.editorFor(this.flow.uri);
    if (!e) throw new Error(`the capture ${this.flow.title} is no longer open`);
    return e.session;
  }

  conns(): Promise<ConnJson[]> {
    return this.flow.conns();
  }
  async conn(stream: number): Promise<GraphConn> {
    return withEnds(this, stream, await this.session().graphInfo(stream));
  }
  series(stream: number, request: SeriesRequest): Promise<SeriesData> {
    return this.session().graphSeries(stream, request);
  }
  locate(stream: number, index: number): Promise<number> {
    return this.session().graphLocate(stream, index);
  }
  reveal(index: number): void {
    this.flow.reveal(index);
  }
}

export class LogGraphSource implements GraphSource {
  readonly kind = 'log';
  constructor(private readonly flow: LogFlowSource) {}

  get title(): string {
    return this.flow.title;
  }
  get uri(): vscode.Uri {
    return this.flow.uri;
  }
  get document(): vscode.TextDocument {
    return this.flow.document;
  }
  get onDidSelect(): vscode.Event<number> {
    return this.flow.onDidSelect;
  }
  get onDidDispose(): vscode.Event<void> {
    return this.flow.onDidDispose;
  }
  get onDidChange(): vscode.Event<void> {
    return this.flow.onDidChange;
  }

  conns(): Promise<ConnJson[]> {
    return this.flow.conns();
  }
  async conn(stream: number): Promise<GraphConn> {
    return withEnds(this, stream, graphConnInfo(logConnPackets(this.flow.model(), stream), stream));
  }
  async series(stream: number, request: SeriesRequest): Promise<SeriesData> {
    return buildSeries(logConnPackets(this.flow.model(), stream), request);
  }
  async locate(stream: number, index: number): Promise<number> {
    const c = logConnPackets(this.flow.model(), stream);
    const row = rowOfPacket(c, index);
    return row < 0 ? -1 : c.t[row];
  }
  reveal(index: number): void {
    this.flow.reveal(index);
  }
  /** The stream of the packet on `line` (-1: none). */
  streamAtLine(line: number): number {
    const m = this.flow.model();
    const i = packetOfLine(m, line);
    return i >= 0 ? m.streamOf[i] : -1;
  }
}
