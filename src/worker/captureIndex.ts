/**
 * CaptureIndex: the decoding side of the capture editor, usable in-process (tests) and wrapped by
 * the worker (src/worker/worker.ts), one per open document. A façade over five parts:
 *
 *   src/worker/packetColumns.ts  per-packet columns: growth, checkpoints, time/length overflow
 *   src/worker/indexRun.ts       the indexing run: read loop, gzip, decode + TCP engine, ceiling,
 *                                progress, cancel
 *   src/worker/filterViews.ts    filter views (a filter that decodes frames: in slices)
 *   src/worker/frameReader.ts    synchronous frame reads for those filters (a 1 MiB read-ahead)
 *   src/worker/rowPresenter.ts   rows, markers, details, tcpdump lines, records for the flow graph
 *
 * One streaming pass (readCaptureFile: the file is read in chunks, never whole) fills the columns
 * and runs the TcpEngine in the same pass; rows, details and tcpdump lines are decoded on demand
 * from positional reads of the file. Relative sequence numbers: src/worker/seqBases.ts.
 *
 * Memory, bytes a packet once indexed (`npm run bench`'s capture: 200 packets a connection; the
 * figure is the worker's and the host's heap growth plus the ArrayBuffers, after a full GC):
 *
 *                                   before (issue 12)   now
 *   columns (packetColumns.ts)        19.75              16.75  kind 2, ports 4, address ids 4,
 *                                                               caplen 2, time 4, checkpoints 0.75;
 *                                                               no gap column (offsets follow from
 *                                                               the lengths), no interface column
 *   TCP engine (core/tcp/engine.ts)   26                 10     stream 4, analysis 2, states 2,
 *                                                               flags 1, step 1; not kept: relSeq,
 *                                                               relAck, window (12: the flow graph
 *                                                               replays its streams), prev (4:
 *                                                               dropped at finish)
 *   sequence bases (seqBases.ts)       0.2                0.2   16 bytes a base event (~ a connection)
 *   Wireshark numbers (wsNumbers.ts)   –                  0.05  10 bytes a TCP stream (issue 13: the rows'
 *                                                               Wireshark Info), nothing per packet
 *   V8 heap                           ~14                ~4     before: the engine's conversations
 *                                                               (~1.8 KB a connection, kept after
 *                                                               finish) and their summaries (~0.8 KB);
 *                                                               now the summaries alone, and the row
 *                                                               cache
 *   total, measured                    60–61              30–32 (29.9 for 10 M packets, pcap and
 *                                                               pcapng: npm run bench:10m)
 *
 * While indexing, the engine also holds prev (4) and the arrays have their doubling slack (up to
 * 2×); the host keeps nothing per packet (src/extension/capture/session.ts: progress and the rows
 * asked for).
 */
import type { CaptureInfo, CaptureRecord } from '../core/capture/types';
import type { FilterColumns, FrameRef } from '../core/filter/eval';
import type { Address } from '../core/filter/parse';
import { TcpEngine } from '../core/tcp/engine';
import { DnsMatcher, type DnsPair } from '../core/decode/app/dnsMatch';
import { connJson, type ConnJson } from '../core/tcp/json';
import { FtpDataTracker, ftpDataLabels } from '../core/decode/app/ftpData';
import { socketsAtPacket, type SocketsAtPacket } from '../core/sockets/fromCapture';
import { A_WINDOW_UPDATE, emptyResult, type PacketResult } from '../core/tcp/types';
import { KIND_BAD } from '../core/filter/eval';
import type { FollowFrom } from '../node/followFile';
import type { GzipLimits } from '../node/gzipLimits';
import { FilterViews } from './filterViews';
import { FrameReader } from './frameReader';
import { IndexRun } from './indexRun';
import { PacketColumns } from './packetColumns';
import { RowPresenter } from './rowPresenter';
import type { Scheduler } from './scheduler';
import { SeqBases } from './seqBases';
import { WsNumbers } from './wsNumbers';
import type { FilterResult, IndexProgress, PacketDetails, PacketRow } from './api';
import type { IndexInput } from './input';

export interface CaptureIndexOptions {
  /** Called with every progress report (about every `progressMs`, and once indexing ends). */
  onProgress?(p: IndexProgress): void;
  /** Milliseconds between progress reports (default 100). */
  progressMs?: number;
  /** Bytes read at a time by the indexing pass (default 512 KiB). */
  chunkSize?: number;
  /** Decoded rows kept in the LRU cache (default 4096). */
  rowCache?: number;
  /** How far a gzip-compressed capture is decompressed (default GZIP_LIMITS; tests lower them). */
  gzipLimits?: Partial<GzipLimits>;
  /** Most bytes the index may hold (default INDEX_MAX_BYTES; tests lower it). */
  maxIndexBytes?: number;
  /** Packets a filter that decodes frames evaluates per turn of the event loop (default DECODE_SLICE; tests lower it). */
  filterSlice?: number;
  /** Decode in a second thread (IndexRunOptions.decodeAhead, src/worker/indexRun.ts). */
  decodeAhead?: 'auto' | 'on' | 'off';
  /** The script that runs the decode-ahead producer. */
  decodeAheadScript?: string;
  /** Follow mode (issue 16): the file is still being written; see IndexRunOptions.follow, grow() and settle(). */
  follow?: boolean;
  /** Follow mode: the file's head, then the records from an offset on (IndexRunOptions.followFrom). */
  followFrom?: FollowFrom;
  /** The worker's scheduler: indexing slices, held for the editor's requests (IndexRunOptions.scheduler). */
  scheduler?: Scheduler;
}

/**
 * Memory ceiling of one capture's index: 1 GiB, accounted by IndexRun.accountedBytes — the typed
 * arrays exactly at their allocated capacity (they live outside the V8 heap, so the worker's
 * resourceLimits do not bound them), the Maps and the engine's connections estimated. While
 * indexing the arrays take ~30.75 bytes a packet (columns 16.75, engine 14) and double at powers
 * of two, so indexing stops at 33.5 M packets (2^25: 1.03 GB of arrays) when the capture has fewer
 * than ~20,000 connections (~2 KB each: the engine's 1.8 KB and the sequence bases' keys), else at
 * 16.7 M (2^24), or at 8.4 M with more than ~260,000 connections. With the worker's 2 GiB heap limit (WORKER_RESOURCE_LIMITS)
 * and the views' 256 MiB a worker stays under about 3.3 GiB. A capture that would need more stops
 * at the ceiling with a 'limit' error: the packets before it stay available, nothing is dropped
 * silently.
 */
export const INDEX_MAX_BYTES = 1024 * 1024 * 1024;
/** Most rows one `rows` call returns (the editor asks for pages of 256; its host clamps to 1024). */
const MAX_ROWS = 4096;

export class CaptureIndex implements FilterColumns {
  private readonly cols = new PacketColumns();
  /** Without per-packet relSeq / relAck / winScaled: only the flow graph shows them, and it re-derives them (flowPackets). */
  private readonly engine = new TcpEngine({ keepSeqAck: false });
  private readonly seqBases = new SeqBases();
  private readonly dns = new DnsMatcher();
  /** 10 bytes a TCP stream: Wireshark's relative numbers and window shifts for the rows (wsNumbers.ts). */
  private readonly wsNumbers = new WsNumbers();
  private readonly run: IndexRun;
  private readonly views: FilterViews;
  private readonly presenter: RowPresenter;
  private readonly res = emptyResult();
  private readonly frames: FrameReader;
  /** FTP data connections, named while indexing (the connections table's app label). */
  private readonly ftpData = new FtpDataTracker();
  private closed = false;
  /** FilterColumns: the engine keeps no relSeq / relAck / winScaled (keepSeqAck: false above). */
  readonly seqAckKept = false;

  /** The capture's name in messages (its path, for a file). */
  readonly filePath: string;

  /**
   * @param input where the bytes come from (issue 17): `fileInput(path)` (./fileInput.ts, Node) or a
   *   `BytesInput` (./bytesInput.ts, any host); the index itself imports nothing of Node.
   */
  constructor(
    private readonly input: IndexInput,
    opts: CaptureIndexOptions = {},
  ) {
    this.filePath = input.name;
    const maxBytes = opts.maxIndexBytes ?? INDEX_MAX_BYTES;
    this.frames = new FrameReader(() => input.reader());
    this.views = new FilterViews(this, () => this.cols.cap, opts.filterSlice);
    this.run = new IndexRun(input, opts, {
      cols: this.cols,
      engine: this.engine,
      seqBases: this.seqBases,
      dns: this.dns,
      frame: (i, out) => this.frameInto(i, out),
      ftpData: this.ftpData,
      wsNumbers: this.wsNumbers,
      maxBytes,
      ended: () => {
        this.presenter.clearCache();
        this.views.reset();
        this.views.extendViews();
      },
      beforeProgress: () => this.views.extendViews(true),
      viewCounts: () => (this.views.size > 0 ? this.views.counts() : undefined),
      closeHandle: () => this.presenter.closeHandle(),
    });
    this.presenter = new RowPresenter(
      {
        cols: this.cols,
        engine: this.engine,
        seqBases: this.seqBases,
        dns: this.dns,
        wsNumbers: this.wsNumbers,
        reader: () => input.reader(),
        isClosed: () => this.closed,
        appOfStream: (stream) => this.appOfStream(stream),
      },
      opts.rowCache ?? 4096,
    );
  }

  /** Number of packets indexed so far. */
  get count(): number {
    return this.cols.n;
  }

  /** Resolves once indexing is over (done, damaged, cancelled or failed). Never rejects. */
  get indexed(): Promise<void> {
    return this.run.whenDone;
  }

  get captureInfo(): CaptureInfo | null {
    return this.run.info;
  }

  /** Start indexing; resolves when indexing is over (same as `indexed`). Never rejects. */
  start(): Promise<void> {
    return this.run.start();
  }

  progress(): IndexProgress {
    return this.run.progress();
  }

  /** True while a growing file is followed (follow mode): results so far are provisional. */
  get following(): boolean {
    return this.run.following;
  }

  /** File offset of packet i's record (the ring limit starts a new index there). */
  recordOffset(i: number): number {
    return this.cols.recordOffset(i);
  }

  /** Bytes of the file read so far (a record being written not included). */
  get bytesRead(): number {
    return this.run.progress().bytesRead;
  }

  /** Follow mode: the file grew; index what it gained. */
  grow(): void {
    this.run.grow();
  }

  /** Follow mode: the file stopped growing; finish indexing as for a whole file. */
  settle(): void {
    this.run.settle();
  }

  /** Stop indexing at once (what is indexed stays available) and close the file. */
  cancel(): void {
    this.run.cancel();
    this.frames.close();
    void this.presenter.closeHandle();
  }

  /** Cancel, close the file and delete temporary copies. The index is unusable afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancel();
    await this.run.whenDone;
    await this.presenter.closeHandle();
    await this.input.dispose();
  }

  // -----------------------------------------------------------------------------------------------
  // Columns for filters (FilterColumns)

  get kind(): Uint16Array {
    return this.cols.kind;
  }

  get sport(): Uint16Array {
    return this.cols.sport;
  }

  get dport(): Uint16Array {
    return this.cols.dport;
  }

  get src(): Uint16Array | Uint32Array {
    return this.cols.src;
  }

  get dst(): Uint16Array | Uint32Array {
    return this.cols.dst;
  }

  addressId(a: Address): number {
    return this.cols.addressId(a);
  }

  stream(i: number): number {
    return this.engine.resultInto(i, this.res) ? this.res.stream : -1;
  }

  problem(i: number): boolean {
    if (!this.engine.resultInto(i, this.res)) return false;
    if (this.res.analysis !== 0) return true;
    const sp = this.run.streamProblem;
    return sp !== null && this.res.stream < sp.length && sp[this.res.stream] === 1;
  }

  /** Packet indices at positions start .. start+count-1 of a view (0: all packets), unclamped (Export Packets). */
  viewIndices(start: number, count: number, view = 0): number[] {
    return this.views.indicesOf(start, count, view);
  }

  tcpResult(i: number, out: PacketResult): boolean {
    return this.engine.resultInto(i, out);
  }

  addressOf(id: number): Address | undefined {
    return this.cols.addressOf(id);
  }

  origLen(i: number): number {
    return this.cols.origLen(i);
  }

  caplen(i: number): number {
    return this.cols.caplen(i);
  }

  /** Seconds since the first packet, seconds and nanoseconds apart so that nanoseconds survive. */
  relTime(i: number): number {
    const c = this.cols;
    return c.sec(i) - c.sec(0) + (c.nsec(i) - c.nsec(0)) / 1e9;
  }

  /** FilterColumns: DNS query → response pairing (dns.time, dns.response_in, dns.response_to). */
  dnsPair(i: number): DnsPair | undefined {
    return this.dns.pair(i);
  }

  /** Packet i's frame, read synchronously (FrameReader); out.data is valid until the next call. */
  frameInto(i: number, out: FrameRef): boolean {
    const c = this.cols;
    if (this.closed || !Number.isInteger(i) || i < 0 || i >= c.n) return false;
    const data = this.frames.read(c.dataOffset(i), c.caplen(i));
    if (data === null) return false;
    out.data = data;
    out.origLen = c.origLen(i);
    out.linkType = c.ifc(i)?.linkType ?? 1;
    return true;
  }

  // -----------------------------------------------------------------------------------------------
  // Views

  /**
   * A filter view. A filter that decodes frames is evaluated in slices with the event loop turning
   * between them (other requests are answered meanwhile); the result counts every packet indexed.
   */
  filter(expr: string, id?: number): Promise<FilterResult> {
    return this.views.filter(expr, () => this.closed, id);
  }

  /** Members of a view (0: all packets) whose index is below `i`. */
  countBelow(view: number, i: number): number {
    return view ? this.views.countBelow(view, i) : Math.min(i, this.cols.n);
  }

  dropView(view: number): void {
    this.views.dropView(view);
  }

  /** Packets in a view (0 = all packets). */
  viewCount(view = 0): number {
    return this.views.viewCount(view);
  }

  // -----------------------------------------------------------------------------------------------
  // Rows, details, lines, connections

  /** Rows at positions start .. start+count-1 of a view (0 = all packets); fewer at the end. */
  async rows(start: number, count: number, view = 0): Promise<PacketRow[]> {
    return this.presenter.rows(this.views.indicesOf(start, Math.min(count, MAX_ROWS), view));
  }

  /** The details of one packet: field tree, bytes, tcpdump line. */
  async details(index: number): Promise<PacketDetails> {
    const n = this.cols.n;
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new Error(`no packet ${index} (${n} packets indexed)`);
    return this.presenter.details(index);
  }

  /**
   * Find (src/worker/find.ts): the Info texts of packets in the wording shown (tcpdump's or
   * Wireshark's), built like rows but not cached.
   */
  async infoTexts(indices: number[], style: 'tcpdump' | 'wireshark'): Promise<string[]> {
    const rows = await this.presenter.rows(indices, false);
    return rows.map((r) => (style === 'wireshark' ? (r.wsInfo ?? r.info) : r.info));
  }

  /**
   * A packet the list marks as a problem (next/previous problem, F8): an analysis flag other than a
   * window update (Wireshark's "chat" level), or malformed / truncated — the rows' 'warn' and 'bad'.
   */
  isProblemPacket(i: number): boolean {
    if (i < 0 || i >= this.cols.n) return false;
    if (this.cols.kind[i] & KIND_BAD) return true;
    return this.engine.resultInto(i, this.res) && (this.res.analysis & ~A_WINDOW_UPDATE) !== 0;
  }

  /** tcpdump lines (as `capture-lens print FILE` prints them, without the newline). */
  async lines(indices: number[]): Promise<string[]> {
    const n = this.cols.n;
    const ok = indices.filter((i) => Number.isInteger(i) && i >= 0 && i < n);
    if (ok.length !== indices.length) throw new Error(`packet index out of range (${n} packets indexed)`);
    return this.presenter.lines(ok);
  }

  /**
   * The records of the given packets (frames read by position, nearby ones in one read) with their
   * engine results, in ascending index order; `result` is null for packets the engine did not take.
   * The result object is reused between calls of `visit`: copy what you keep. Its relSeq, relAck
   * and winScaled are 0: the index's engine does not keep them (12 bytes a packet), the flow graph
   * (src/worker/flowPackets.ts, the only caller) replays its streams to get them.
   */
  visitRecords(indices: readonly number[], visit: (rec: CaptureRecord, result: PacketResult | null) => void): Promise<void> {
    return this.presenter.visitRecords(indices, visit);
  }

  /** FTP-DATA labels by stream, made once indexing has finished (undefined before). */
  private apps: Map<number, string> | undefined;

  /**
   * The application label of a stream for the list ("FTP-DATA"), the same as the connections table's.
   * Only once indexing has finished: an announcement counts only before the connection's first packet,
   * and the connections' first packets are known then. Without any FTP announcement only port 20 can
   * name a data connection (FtpDataTracker.label; the row presenter sees the ports), so the summaries
   * are not made for captures without FTP.
   */
  appOfStream(stream: number): string | undefined {
    if (!this.run.finished || this.run.following || this.ftpData.size === 0) return undefined;
    this.apps ??= ftpDataLabels(this.ftpData, this.engine.summaries());
    return this.apps.get(stream);
  }

  /**
   * The connections (waits for indexing to end: summaries need the whole capture). While a
   * growing file is followed, the connections so far at once, with their states as of now.
   */
  async connections(): Promise<ConnJson[]> {
    if (this.run.following) return this.engine.liveSummaries().map((s) => connJson(s, this.input.zh()));
    await this.run.whenDone;
    if (!this.run.finished) return [];
    const sums = this.engine.summaries();
    const labels = ftpDataLabels(this.ftpData, sums);
    return sums.map((s) => {
      const j = connJson(s, this.input.zh());
      const app = labels.get(s.stream);
      return app === undefined ? j : { ...j, app };
    });
  }

  /**
   * "Sockets at this packet" (src/core/sockets/fromCapture.ts) right after packet `index`: waits
   * for indexing to end (the engine's states are final then, and the summaries exist). One walk
   * over the engine's rows up to `index`; the times come from the columns (no array of them).
   */
  async socketsAt(index: number): Promise<SocketsAtPacket> {
    await this.run.whenDone;
    const n = this.cols.n;
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new Error(`no packet ${index} (${n} packets indexed)`);
    const summaries = this.run.finished ? this.engine.summaries() : [];
    return socketsAtPacket(this.engine, summaries, index, (i) => this.relTime(i));
  }

  /** Bytes held by the typed arrays: columns (with the sequence bases and filter views) and the engine (its arrays). */
  memoryBytes(): { columns: number; engine: number; perPacket: number } {
    const columns = this.cols.arrayBytes() + this.seqBases.bytes() + this.wsNumbers.bytes() + this.views.bytes();
    const engine = this.engine.bytesPerPacket() * this.engine.packetCount;
    const n = this.cols.n;
    return { columns, engine, perPacket: n > 0 ? (columns + engine) / n : 0 };
  }
}
