/**
 * IndexRun: the capture editor's indexing pass over one file — the read loop (readCaptureFile: the
 * file is read in chunks, never whole), gzip decompression to a temporary copy, the per-packet
 * decode that fills the columns and runs the TCP engine, the memory ceiling, progress reports and
 * cancel. Part of CaptureIndex (src/worker/captureIndex.ts).
 *
 * States: before indexing ends, rows show the engine's provisional states; once it ends the engine
 * is finished and the final progress says `statesFinal: true` (the UI re-requests the rows it shows).
 */
import type { CaptureError, CaptureInfo, CaptureRecord } from '../core/capture/types';
import { errorMessage } from '../core/errors';
import { decodeFrame, DecodedPacket } from '../core/decode/index';
import { TH_ACK } from '../core/decode/packet';
import { KIND_BAD, KIND_FLAGS, KIND_HDR_SHIFT, KIND_PROTO_SHIFT } from '../core/filter/eval';
import type { FtpDataTracker } from '../core/decode/app/ftpData';
import type { TcpEngine } from '../core/tcp/engine';
import type { DnsMatcher } from '../core/decode/app/dnsMatch';
import type { FrameRef } from '../core/filter/eval';
import type { CaptureReading } from '../node/captureFile';
import type { FollowFrom, FollowReading } from '../node/followFile';
import type { GzipLimits } from '../node/gzipLimits';
import type { IndexInput } from './input';
import type { PacketColumns } from './packetColumns';
import { FAM_V4, FAM_V6, PacketFacts } from './packetFacts';
import type { SeqBases } from './seqBases';
import type { WsNumbers } from './wsNumbers';
import type { IndexProgress } from './api';
import { Scheduler } from './scheduler';

/**
 * V8 heap an engine connection costs (measured: 1,777 bytes for a SYN / RST-ACK pair, Node 20,
 * after gc); a port scan has one per packet pair, so they count against the ceiling.
 */
const CONNECTION_BYTES = 1800;
/** Packets between two checks of the ceiling (the columns and the engine grow by doubling from 1024: a check covers the next growth). */
const BUDGET_STEP = 4096;
/** Packets indexed before the first progress report is sent (a first screenful). */
const FIRST_ROWS = 256;

export interface IndexRunOptions {
  /** Called with every progress report (about every `progressMs`, and once indexing ends). */
  onProgress?(p: IndexProgress): void;
  /** Milliseconds between progress reports (default 100). */
  progressMs?: number;
  /** Bytes read at a time by the indexing pass (default 512 KiB). */
  chunkSize?: number;
  /** How far a gzip-compressed capture is decompressed (default GZIP_LIMITS; tests lower them). */
  gzipLimits?: Partial<GzipLimits>;
  /**
   * Decode in a second thread (src/worker/decodeAhead.ts): 'auto' (the default) for files of
   * DECODE_AHEAD_MIN bytes and more when the producer's script is known, 'on' whenever it is,
   * 'off' never.
   */
  decodeAhead?: 'auto' | 'on' | 'off';
  /** The script that runs the decode-ahead producer (the built worker passes its own file). */
  decodeAheadScript?: string;
  /**
   * Follow mode (issue 16): the file is still being written. Read it up to its last complete
   * record, then read what it gains at each `grow()`, until `settle()` (src/node/followFile.ts).
   * A gzip-compressed file is read once, as without it.
   */
  follow?: boolean;
  /** Follow mode: read the file's head, then the records from an offset on (the ring limit, src/worker/liveIndex.ts). */
  followFrom?: FollowFrom;
  /**
   * The worker's scheduler (src/worker/scheduler.ts), shared by every index of the worker: slices of
   * at most its `sliceMs`, held while the editor's requests are answered. Absent: a scheduler of this
   * run alone (slices without holds).
   */
  scheduler?: Scheduler;
}

/** What the run fills, and what it tells the rest of the index. */
export interface RunTarget {
  readonly cols: PacketColumns;
  readonly engine: TcpEngine;
  readonly seqBases: SeqBases;
  /** DNS query → response pairing (dns.time …), fed every decoded packet. */
  readonly dns?: DnsMatcher;
  /** Packet i's frame read back from the file (it is indexed up to i): DNS packets decoded ahead are decoded again here. */
  frame?(i: number, out: FrameRef): boolean;
  /** Names FTP data connections from the control connection's lines (fed the TCP packets on port 21). */
  readonly ftpData?: FtpDataTracker;
  /** Per stream: Wireshark's bases and window shifts (the rows' Wireshark Info). */
  readonly wsNumbers: WsNumbers;
  /** Most bytes the index may hold. */
  readonly maxBytes: number;
  /** Indexing is over (engine finished, columns trimmed): re-evaluate what depends on the results. */
  ended(): void;
  /** A progress report is about to be made while indexing: bring the views up to date. */
  beforeProgress(): void;
  /** Packets in each filter view, for the progress report (undefined when there are none). */
  viewCounts(): { view: number; count: number }[] | undefined;
  /** Close the row reader's file handle (cancel). */
  closeHandle(): Promise<void>;
}

export class IndexRun {
  private readonly pkt = new DecodedPacket();
  /** The facts of the packet decoded in this thread (refilled for every packet: the engine keeps nothing of its input). */
  private readonly facts = new PacketFacts();
  private readonly frameRef: FrameRef = { data: new Uint8Array(0), origLen: 0, linkType: 1 };
  private reading: CaptureReading | null = null;
  info: CaptureInfo | null = null;
  private error: CaptureError | undefined;
  done = false;
  private cancelled = false;
  /** The engine is finished (its results final, its summaries available). */
  finished = false;
  /** Per TCP stream: 1 when its connection has a problem (set when indexing ends). */
  streamProblem: Uint8Array | null = null;
  private startTime = 0;
  private totalBytes = 0;
  private bytesRead = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  readonly whenDone: Promise<void>;
  private resolveDone!: () => void;
  /** Stops decompressing a gzip capture on cancel. */
  private readonly abort = new AbortController();
  /** Set when the index ceiling stopped indexing: the error to report. */
  private limited: CaptureError | null = null;
  /** When the current slice of indexing began. */
  private sliceStart = 0;
  private yielding = false;
  private readonly sched: Scheduler;
  /** Follow mode: the reading that goes on as the file grows (null otherwise, and once it ended). */
  private follower: FollowReading | null = null;
  /** settle() came before the follower started. */
  private settleAsked = false;

  /** The name of the capture in messages. */
  readonly filePath: string;

  constructor(
    readonly input: IndexInput,
    private readonly opts: IndexRunOptions,
    private readonly t: RunTarget,
  ) {
    this.filePath = input.name;
    this.whenDone = new Promise((r) => (this.resolveDone = r));
    this.sched = opts.scheduler ?? new Scheduler();
  }

  /** Start indexing; resolves when indexing is over. Never rejects. */
  start(): Promise<void> {
    this.startTime = performance.now();
    this.sliceStart = this.startTime;
    this.run().catch((e: unknown) => {
      // not expected (the reader never rejects): end with what is indexed and say why
      this.error ??= { kind: 'io', offset: this.bytesRead, message: `indexing stopped: ${errorMessage(e)}` };
      this.end();
    });
    return this.whenDone;
  }

  private async run(): Promise<void> {
    // size and gzip decompression (a temporary copy, or in memory): ./fileInput.ts, ./bytesInput.ts
    const prep = await this.input.prepare(this.opts.gzipLimits, this.abort.signal, () => this.cancelled);
    /** Why decompressing a gzip capture stopped early (what was decompressed is indexed). */
    const gzipError = prep.gzipError;
    /** Decompression stopped at its limit (src/node/gzipLimits.ts). */
    const gzipLimit = prep.gzipLimit;
    this.totalBytes = prep.totalBytes;
    if (this.cancelled) {
      this.end();
      return;
    }
    const progressMs = this.opts.progressMs ?? 100;
    this.timer = setInterval(() => this.emitProgress(), progressMs);
    const { reading, follower } = this.input.read(
      { onInfo: (info) => (this.info = info), onRecord: (rec: CaptureRecord) => this.add(rec), onFacts: (f) => this.addFacts(f) },
      { chunkSize: this.opts.chunkSize ?? 512 * 1024, follow: this.opts.follow === true, decodeAhead: this.opts.decodeAhead ?? 'auto', decodeAheadScript: this.opts.decodeAheadScript, followFrom: this.opts.followFrom },
    );
    this.reading = reading;
    if (follower) {
      this.follower = follower;
      if (this.settleAsked) follower.stop();
    }
    const summary = await this.reading.done;
    if (this.follower) this.totalBytes = this.follower.size;
    this.reading = null;
    this.follower = null;
    if (summary.info) this.info = summary.info;
    if (summary.error) this.error = summary.error;
    if (this.limited) {
      // the index ceiling stopped the reading (see add): not a cancel
      summary.cancelled = false;
      this.error = this.limited;
    } else if (gzipLimit && !summary.cancelled && (!this.error || this.error.kind === 'truncated')) {
      // the record cut by the decompression limit is not damage in the file
      this.error = gzipLimit;
    }
    if (gzipError && !summary.cancelled && !this.limited) {
      this.error = this.error
        ? { ...this.error, message: `${this.error.message} (${gzipError})` }
        : { kind: 'truncated', offset: this.totalBytes, message: `${this.filePath}: ${gzipError}, after ${this.totalBytes} bytes of capture data` };
    }
    if (summary.cancelled && !this.limited) {
      this.cancelled = true;
      // cancel() started closing the row reader's file handle: finish that before saying "done"
      await this.t.closeHandle();
    }
    this.end();
  }

  /** Indexing is over: settle the engine, trim the columns, let the index re-evaluate, report. */
  private end(): void {
    if (this.done) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      this.t.engine.finish();
      this.finished = true;
      const sums = this.t.engine.summaries();
      const sp = new Uint8Array(sums.length);
      for (const s of sums) if (s.problems.length > 0 && s.stream < sp.length) sp[s.stream] = 1;
      this.streamProblem = sp;
    } catch (e) {
      this.error ??= { kind: 'io', offset: 0, message: `connection analysis failed: ${errorMessage(e)}` };
    }
    this.t.cols.trim();
    this.t.seqBases.seal();
    this.t.ended();
    this.done = true;
    if (!this.error && !this.cancelled) this.bytesRead = this.totalBytes;
    this.emitProgress();
    this.resolveDone();
  }

  // -----------------------------------------------------------------------------------------------
  // One packet

  /** A record read in this thread: decode it here. */
  private add(rec: CaptureRecord): void {
    if (this.limited) return;
    decodeFrame(this.pkt, rec.data, rec.origLen, rec.linkType);
    this.facts.fromPacket(rec, this.pkt);
    this.addFacts(this.facts, this.pkt);
  }

  /** One packet, decoded here (add) or by the decode-ahead thread: the columns and the engine. */
  private addFacts(f: PacketFacts, pkt?: DecodedPacket): void {
    const cols = this.t.cols;
    const i = cols.n;
    if (this.limited) return;
    if (i % BUDGET_STEP === 0 && this.accountedBytes(i + BUDGET_STEP) > this.t.maxBytes) {
      this.stopAtCeiling(f.fileOffset);
      return;
    }
    cols.addRecord(i, f);
    this.bytesRead = f.fileOffset + f.fileLength;
    let s = 0;
    let d = 0;
    if (f.srcFam === FAM_V4) s = cols.internId(f.src4, '', true);
    else if (f.srcFam === FAM_V6) s = cols.internId(0, f.src6, true);
    if (f.dstFam === FAM_V4) d = cols.internId(f.dst4, '', true);
    else if (f.dstFam === FAM_V6) d = cols.internId(0, f.dst6, true);
    let flags = f.tcpFlags;
    let bad = f.bad;
    if (f.hasSeg) {
      const seg = f.seg;
      seg.index = i;
      try {
        flags = seg.flags & KIND_FLAGS;
        const r = this.t.engine.add(seg);
        this.t.seqBases.note(i, r.stream, seg, (seg.flags & TH_ACK) !== 0 && !f.shortHdr);
        this.t.wsNumbers.note(seg, r);
      } catch {
        // an analysis bug must not stop indexing: the packet is shown as damaged
        bad = true;
        flags = f.tcpFlags;
      }
    }
    cols.setPacket(i, flags | (bad ? KIND_BAD : 0) | (f.hdr << KIND_HDR_SHIFT) | (f.pc << KIND_PROTO_SHIFT), f.sport, f.dport, s, d);
    if ((f.dns && this.t.dns) || (f.ftp && this.t.ftpData)) {
      // a DNS message or an FTP control segment (port lookups found them): the DNS matcher and the
      // FTP-DATA tracker read the decoded packet — this thread's own decode, or (decode-ahead) the
      // frame read back and decoded here, as such packets are few in most captures (a DNS server's
      // capture then decodes its packets twice)
      let p: DecodedPacket | null = pkt ?? null;
      if (p === null && this.t.frame?.(i, this.frameRef)) p = decodeFrame(this.pkt, this.frameRef.data, this.frameRef.origLen, this.frameRef.linkType);
      if (p !== null) {
        if (f.ftp) this.t.ftpData?.observe(p, i);
        if (f.dns) this.t.dns?.add(i, p, f.tsSec, f.tsNsec);
      }
    }
    if (cols.n === FIRST_ROWS) this.emitProgress();
    if ((i & 255) === 0) this.maybeYield();
  }

  // -----------------------------------------------------------------------------------------------
  // The memory ceiling

  /**
   * Bytes the index will hold with `packets` packets: every typed array at the capacity it will have
   * then (columns and engine grow by doubling from 1024), the Maps and the engine's connections as
   * now (estimated; they grow by at most BUDGET_STEP entries between two checks). Views are bounded
   * on their own (VIEWS_MAX_BYTES, src/worker/filterViews.ts).
   */
  accountedBytes(packets: number): number {
    let cap = 1024;
    while (cap < packets) cap *= 2;
    const { cols, engine } = this.t;
    const perPacket = cols.bytesPerPacket() + engine.bytesPerPacket();
    return cap * perPacket + cols.checkpointBytes(cap) + this.t.seqBases.bytes() + this.t.wsNumbers.bytes() + cols.heapBytes() + engine.connectionCount * CONNECTION_BYTES;
  }

  /** The index ceiling is reached at record `rec`: stop reading; the packets before it stay indexed. */
  private stopAtCeiling(at: number): void {
    const n = this.t.cols.n;
    const mib = Math.round(this.t.maxBytes / (1024 * 1024));
    const per = n > 0 ? Math.round(this.accountedBytes(n) / n) : 0;
    this.limited = {
      kind: 'limit',
      offset: at,
      message:
        `${this.filePath}: this capture has more than ${n} packets, more than the editor's index holds (${mib} MiB, ` +
        `about ${per} bytes a packet here). The editor shows the first ${n} (up to byte ${at}); ` +
        'use `capture-lens print` or `tcpdump -r` for the rest',
    };
    this.reading?.cancel();
  }

  // -----------------------------------------------------------------------------------------------
  // Yielding, progress, cancel

  /**
   * The reader delivers a whole chunk synchronously: after a slice of the scheduler's `sliceMs`
   * (4 ms) pause it until the scheduler says go on — one turn of the event loop, longer while the
   * editor's rows or details are being answered (src/worker/scheduler.ts). Checked every 256 packets
   * (~0.5 ms); the pause takes effect at the end of the reader's piece in progress (64 KiB).
   */
  private maybeYield(): void {
    if (this.yielding || !this.reading) return;
    // an urgent request taken while the reader awaited the file: stop now, not at the slice's end
    if (!this.sched.holding && performance.now() - this.sliceStart < this.sched.sliceMs) return;
    this.yielding = true;
    const reading = this.reading;
    reading.pause();
    this.sched.between(() => {
      this.yielding = false;
      this.sliceStart = performance.now();
      reading.resume();
    });
  }

  /** Follow mode: the file grew (the host's watcher says so); read what it gained. */
  grow(): void {
    this.follower?.grow();
  }

  /** Follow mode: the file will not grow any more; read its last bytes and end indexing as for a whole file. */
  settle(): void {
    this.settleAsked = true;
    this.follower?.stop();
  }

  /** True while the file is followed (indexing goes on as it grows). */
  get following(): boolean {
    return this.opts.follow === true && !this.done && !this.settleAsked;
  }

  progress(): IndexProgress {
    const elapsedMs = performance.now() - this.startTime;
    const n = this.t.cols.n;
    if (this.follower) this.totalBytes = this.follower.size;
    const p: IndexProgress = {
      packets: n,
      bytesRead: this.bytesRead,
      totalBytes: this.totalBytes,
      rate: elapsedMs > 0 ? Math.round((n * 1000) / elapsedMs) : 0,
      done: this.done,
      elapsedMs: Math.round(elapsedMs),
    };
    if (this.error) p.error = this.error;
    if (this.cancelled) p.cancelled = true;
    if (this.done) p.statesFinal = true;
    if (this.following) p.following = true;
    const views = this.t.viewCounts();
    if (views) p.views = views;
    return p;
  }

  private emitProgress(): void {
    if (!this.done) this.t.beforeProgress();
    if (this.opts.onProgress) {
      try {
        this.opts.onProgress(this.progress());
      } catch {
        // a listener's problem is not the index's
      }
    }
  }

  /** Stop indexing at once (what is indexed stays available). */
  cancel(): void {
    if (this.done) return;
    this.cancelled = true;
    this.abort.abort();
    this.reading?.cancel();
  }
}
