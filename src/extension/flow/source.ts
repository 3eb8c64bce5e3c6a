/**
 * The contract between the flow-graph panel (panel.ts, media/flow/) and what it draws from: a
 * capture open in the capture editor (its worker) or a tcpdump text document (the log model).
 * The panel builds the graph (src/core/flow/model.ts) from the packets a source gives, serves
 * windows of rows to its webview, and keeps the selection in sync both ways through `reveal`
 * and `onDidSelect`.
 */
import type * as vscode from 'vscode';
import type { FlowPacket } from '../../core/flow/model';

/**
 * Most packets a source hands over for one graph (the first ones of the streams asked for). The
 * webview draws any number of rows, but the host keeps every packet and its graph in memory: a
 * multi-million-packet capture is drawn a few connections at a time. The panel says so when hit.
 */
export const FLOW_PACKET_LIMIT = 200_000;

/** One connection as the panel's connection filter lists it. */
export interface FlowConnInfo {
  stream: number;
  /** "10.0.0.1:51234", "[fe80::1]:443". */
  client: string;
  server: string;
  packets: number;
  /** Number of problems the engine found on it (0 = none). */
  problems: number;
  /** Its application when the capture names it elsewhere ("FTP-DATA", from the FTP control connection). */
  app?: string;
}

export interface FlowSource {
  /** Shown in the panel's title: the capture's or the document's file name. */
  readonly title: string;
  /** The capture file or the tcpdump document. */
  readonly uri: vscode.Uri;
  /** 'capture' (capture editor) or 'log' (tcpdump text document). */
  readonly kind: 'capture' | 'log';
  /** The TCP packets of these streams (all when undefined), in capture order, with their final engine results; at most FLOW_PACKET_LIMIT. */
  packets(streams: readonly number[] | undefined, token?: vscode.CancellationToken): Promise<FlowPacket[]>;
  /** The connections, for the panel's connection filter. */
  connections(): Promise<FlowConnInfo[]>;
  /** The user chose packet `index` (FlowPacket.index) in the flow graph: select it in the capture editor / reveal its line. */
  reveal(index: number): void;
  /** Fires with a packet index when the user selects a packet in the source (capture editor row, cursor on a tcpdump line). */
  readonly onDidSelect: vscode.Event<number>;
  /** Fires when the source goes away (document or editor closed). */
  readonly onDidDispose: vscode.Event<void>;
  /** Fires when the packets changed (an edited tcpdump document); the panel reads them again. */
  readonly onDidChange?: vscode.Event<void>;
}
