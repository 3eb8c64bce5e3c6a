/**
 * Contract between the capture editor's UI side (webview + CustomReadonlyEditorProvider) and its
 * decoding side (a worker_threads worker per document, driven through CaptureSession in
 * src/extension/capture/session.ts). Pure types: no vscode, no Node.
 */
import type { CaptureError } from '../core/capture/types';
import type { FieldNode } from '../core/decode/fields';
import type { FindProblem } from '../core/find/query';
import type { DominantLimit } from '../core/perf/limitedBy';
import type { Verdict } from '../core/perf/verdicts';

/** One row of the packet list (what the webview shows; all strings are packet-derived: escape them). */
export interface PacketRow {
  /** 0-based index in the file. */
  index: number;
  /** Capture time: seconds since the epoch as a decimal string with all nine digits. */
  time: string;
  /** Seconds since the first packet and since the previous packet (displayed per the time setting). */
  rel: number;
  delta: number;
  src: string;
  dst: string;
  /**
   * TCP/UDP: the ports of `src` and `dst` (the webview shows `addr:port`, `[v6addr]:port`). Kept apart
   * from the addresses so that other readers of rows keep plain addresses.
   */
  sport?: number;
  dport?: number;
  /** "TCP", "UDP", "ICMP", "ICMPv6", "ARP", "IPv4", "IPv6", "link-N", … */
  proto: string;
  /** Frame length on the wire. */
  length: number;
  /** tcpdump-like summary (the text after the addresses), with Wireshark's analysis markers such as "[TCP Retransmission]". */
  info: string;
  /**
   * Wireshark's Info wording (tshark's _ws.col.Info: "34220 → 61001 [SYN] Seq=0 Win=65495 Len=0 …",
   * the application summary when there is one), with the same analysis markers; for packets that are
   * not TCP or UDP the same text as `info`. Shown when the setting captureLens.infoStyle is 'wireshark'.
   */
  wsInfo?: string;
  /** The application protocol recognised in the payload ("HTTP", "DNS", "TLS", "FTP"), when any. */
  app?: string;
  /** Row colouring keys: 'syn' | 'fin' | 'rst' | 'warn' (analysis) | 'bad' (malformed/truncated) | ''. */
  kind: '' | 'syn' | 'fin' | 'rst' | 'warn' | 'bad';
  /** TCP only: stream, both states after the packet, the step. */
  stream?: number;
  states?: { client: string; server: string };
  step?: string;
  /** Analysis flag names (Wireshark's tcp.analysis.*). */
  analysis?: string[];
}

/** Progress of indexing. */
export interface IndexProgress {
  packets: number;
  bytesRead: number;
  totalBytes: number;
  /** packets per second so far. */
  rate: number;
  done: boolean;
  /** Set when the file is damaged (every packet before `offset` is indexed) or not a capture. */
  error?: CaptureError;
  /** Milliseconds since the open request. */
  elapsedMs: number;
  /** True when indexing was stopped by cancel (the packets indexed so far stay available). */
  cancelled?: boolean;
  /**
   * True once indexing is over and the TCP states, analysis flags and `problem` filters are final.
   * Rows fetched earlier may show provisional states: re-request the rows on screen when it turns true.
   */
  statesFinal?: boolean;
  /**
   * Follow mode (issue 16): the file is still being written and indexing goes on as it grows;
   * states, connections and problems are provisional until `done`.
   */
  following?: boolean;
  /** Packet counts of the live filter views (they grow while indexing continues; recomputed when done). */
  views?: { view: number; count: number; /** members dropped by the ring limit so far */ dropped?: number }[];
  /**
   * Follow mode with a ring limit (src/worker/liveIndex.ts): packets of the file no longer kept.
   * Positions in the list start after them; rows keep the file's numbers (`PacketRow.index`).
   */
  dropped?: number;
}

/** A filtered view of the packet list. */
export type FilterResult =
  | { ok: true; view: number; count: number }
  | { ok: false; error: string; /** character offset of the problem in the expression */ at: number };

export interface PacketDetails {
  index: number;
  /** Every layer and field with its byte offset and length (FieldNode from TreeSink). */
  tree: FieldNode;
  /** The frame's bytes. */
  bytes: Uint8Array;
  /** tcpdump's line for this packet (as `capture-lens print` prints it). */
  tcpdump: string;
  /**
   * tshark's ack_rtt (ms) and bytes_in_flight of this packet (0: none), when its connection's
   * replay was at hand (src/worker/perfGraph.ts): absent otherwise.
   */
  perf?: { rttMs: number; bytesInFlight: number; peerInFlight?: number };
}

/**
 * resourceLimits of the decoding worker (the capture editor's session and the bench use the same).
 * Its heap is sized from the extension host's by default, which some hosts keep small, so ask for
 * room explicitly (V8 reserves it lazily: nothing is used until needed). These limits do not cover
 * typed arrays (ArrayBuffers live outside the V8 heap): the index accounts for those itself and
 * stops at INDEX_MAX_BYTES (1 GiB, src/worker/captureIndex.ts), its Maps and the engine's
 * connections included; its filter views hold at most 256 MiB more. 2 GiB of heap leaves the rows,
 * details and garbage collection at least 1 GiB beside the index's heap share, so one worker stays
 * under about 3.3 GiB in all.
 */
export const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 2048 } as const;

/** The Connections tab's performance cells of one connection (null: not measured). */
export interface ConnPerfCells {
  stream: number;
  /** Handshake RTT, else the median data RTT of the direction that sent more (ms). */
  rttMs: number | null;
  /** Payload bytes a second, client → server and server → client. */
  throughput: [number, number];
  /** Retransmitted share of the bytes sent (0 … 1), each direction. */
  retx: [number, number];
  /** What held the main sender back most, with its share of its busy time (null: no data, never busy). */
  limitedBy: DominantLimit | null;
  /** The connection's performance verdicts (data; the host words them). */
  verdicts: Verdict[];
}

/**
 * What a Find (issue 17: a query, or the next/previous problem packet) came to. `position` is the
 * match's position in the view searched and `index` its packet (0-based); `wrapped`: the search went
 * past the end (the start, going backwards) to reach it. `searched`: packets looked at.
 */
export type FindResult =
  | { status: 'found'; position: number; index: number; wrapped: boolean; searched: number }
  | { status: 'notFound'; searched: number }
  | { status: 'cancelled'; searched: number }
  | { status: 'invalid'; problem: FindProblem };

/**
 * The smallest ring limit (packets the editor keeps at least while following, src/worker/liveIndex.ts):
 * each replacement of the window re-reads N packets, so below 1,000 they would come many times a
 * second at 50,000 packets/s for little memory saved (1,000 packets are ~30 KB of index).
 */
export const RING_MIN_PACKETS = 1000;
