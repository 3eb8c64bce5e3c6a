/**
 * IndexInput: where a CaptureIndex gets its bytes (issue 17). The index itself (indexRun.ts,
 * rowPresenter.ts, frameReader.ts, captureIndex.ts) imports nothing of Node, so the same code runs
 * in a worker_threads worker of the desktop extension host and in a Web Worker of VS Code for the
 * Web; what differs is behind this interface:
 *
 *   fileInput.ts   (Node)  a file on disk: streamed in chunks, positional reads, gzip decompressed to
 *                          a temporary copy, follow mode, decode-ahead in a second thread
 *   bytesInput.ts  (any)   the whole file's bytes (from vscode.workspace.fs.readFile): held in
 *                          memory, read by position from there; gzip through DecompressionStream
 *
 * Contract: `prepare` then `read` are called once each, in that order; `reader()` is asked only for
 * packets already indexed (so after `prepare`); `dispose` last. Nothing here rejects with the
 * file's problems: they come back as CaptureErrors (in `prepare`'s result or the reading's summary).
 */
import type { CaptureError, CaptureInfo, CaptureRecord } from '../core/capture/types';
import type { Translate } from '../core/explain/l10n';
import type { CaptureReading } from '../node/captureFile';
import type { FollowFrom, FollowReading } from '../node/followFile';
import type { GzipLimits } from '../node/gzipLimits';
import type { PacketFacts } from './packetFacts';

/** Positional reads of the (decompressed) capture. */
export interface PositionalReader {
  /** Fills `buf` from file offset `pos` as far as the file goes; the bytes read. Throws when the file cannot be read. */
  readSync(buf: Uint8Array, pos: number): number;
  /** The same, asynchronously. */
  read(buf: Uint8Array, pos: number): Promise<number>;
  close(): Promise<void>;
}

export interface PreparedInput {
  /** Bytes of capture data to index (decompressed size for gzip). */
  totalBytes: number;
  /** Why decompressing stopped early (what was decompressed is indexed), or null. */
  gzipError: string | null;
  /** Decompression stopped at its limit (src/node/gzipLimits.ts), or null. */
  gzipLimit: CaptureError | null;
}

export interface InputSink {
  onInfo(info: CaptureInfo): void;
  /** A record, to decode in this thread. */
  onRecord(rec: CaptureRecord): void;
  /** A packet decoded in a second thread (decode-ahead). */
  onFacts(f: PacketFacts): void;
}

export interface ReadRequest {
  chunkSize: number;
  /** Follow the file as it grows (an input that cannot ignores it). */
  follow: boolean;
  decodeAhead: 'auto' | 'on' | 'off';
  decodeAheadScript?: string;
  /** Follow mode: the file's head, then the records from an offset on (the ring limit, ./liveIndex.ts). */
  followFrom?: FollowFrom;
}

export interface IndexInput {
  /** The name used in messages (the file's path or name). */
  readonly name: string;
  /** Size, decompression; `cancelled` is polled while decompressing, `signal` aborts it. */
  prepare(gzipLimits: Partial<GzipLimits> | undefined, signal: AbortSignal, cancelled: () => boolean): Promise<PreparedInput>;
  /** Start the one streaming pass; `follower` is set when the file is followed as it grows. */
  read(sink: InputSink, req: ReadRequest): { reading: CaptureReading; follower?: FollowReading };
  /** A new positional reader of what `read` reads. */
  reader(): PositionalReader;
  /** The Simplified Chinese translator (ConnJson.messageZh). */
  zh(): Translate;
  /** Release what prepare made (temporary copies). */
  dispose(): Promise<void>;
}

/**
 * A ring of capture files followed as one capture ("keep the last N MB": tcpdump -C/-W; Node's
 * RingFiles in src/node/followRing.ts): record offsets are places in one logical byte space where
 * the files follow each other in the order tcpdump wrote them. The LiveIndex (./liveIndex.ts) asks
 * it which file a packet is in, to drop the packets of files the ring is about to overwrite.
 */
export interface CaptureRing {
  /** Files in the ring (tcpdump -W). */
  readonly files: number;
  /** The newest file's sequence number (files numbered 0, 1, 2, … in the order written; -1: none yet). */
  readonly newest: number;
  /** The sequence holding logical offset `off` (-1: before the oldest known). */
  seqOf(off: number): number;
  /** Where sequence `seq` starts in the logical space (-1: unknown). */
  startOf(seq: number): number;
}
