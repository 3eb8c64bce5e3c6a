/**
 * CaptureIndex: the decoding side of the capture editor, usable in-process (tests) and wrapped by
 * the worker (src/worker/worker.ts), one per open document.
 *
 * One streaming pass (readCaptureFile: the file is read in chunks, never whole) fills per-packet
 * columns (struct of arrays, grown by doubling, trimmed when indexing ends) and runs the TcpEngine
 * in the same pass. Per packet (besides the engine's own 26 bytes):
 *
 *   gap       Uint16  distance in the file from the previous packet's record (offsets are rebuilt
 *                     from a Float64 checkpoint every 32 packets, with that packet's time stamp:
 *                     0.75 byte a packet)
 *   caplen    Uint16  captured length      } 0xFFFF = look in a sparse overflow map
 *   origLen   Uint16  length on the wire   } (only created once a packet's differs from its caplen)
 *   time      Uint32  time after the checkpoint's packet, in the packet's unit (µs or ns); out of
 *                     range, backwards or damaged time stamps go to a sparse map, exact
 *   ifc       Uint8   interface class (link type + time precision)
 *   kind      Uint16  TCP flags | bad | frame-header kind | protocol class (src/core/filter/eval.ts)
 *   sport/dport Uint16 ×2
 *   src/dst   Uint16 ×2 (Uint32 once more than 65,535 addresses): ids into a small address table
 *
 * i.e. 19.75 bytes (+2 when lengths on the wire differ, +4 with wide address ids) + the engine's
 * 26. Rows, details and tcpdump lines are decoded on demand from positional reads
 * (FileHandle.read at the record's offset).
 *
 * tcpdump's relative sequence numbers depend on earlier packets (print-tcp.c bases them on the
 * conversation's last SYN+ACK, or its first packet with ACK; src/worker/seqBases.ts finds it):
 * rows and lines are printed with a fresh print context seeded by that packet, so the text equals what `tcpdump -n -r` / `capture-lens print`
 * print for the whole file.
 *
 * States: before indexing ends, rows show the engine's provisional states; once it ends the engine
 * is finished, cached rows are dropped and the final progress says `statesFinal: true` (the UI
 * re-requests the rows it shows).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import type { CaptureError, CaptureInfo, CaptureRecord } from '../core/capture/types';
import { decodeFrame, DecodedPacket, TreeSink } from '../core/decode/index';
import {
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  NET_ARP,
  NET_IPV4,
  NET_IPV6,
  TH_ACK,
  TH_FIN,
  TH_RST,
  TH_SYN,
} from '../core/decode/packet';
import { ETHERTYPE_NAMES, LINKTYPE_ETHERNET } from '../core/decode/link';
import { macString, u32be, ipv6String } from '../core/bytes';
import { PrintContext } from '../core/print/context';
import { printLink } from '../core/print/link';
import { PacketPrinter } from '../core/print/packet';
import { defaultPrintOptions } from '../core/print/options';
import { TcpEngine } from '../core/tcp/engine';
import { scratchSegment, segmentFromPacket } from '../core/tcp/fromPacket';
import { connJson, type ConnJson } from '../core/tcp/json';
import { timeText } from '../core/tcp/summary';
import {
  A_DUPLICATE_ACK,
  A_WINDOW_UPDATE,
  ANALYSIS_NAMES,
  analysisNames,
  emptyResult,
  TCP_STATES,
  type PacketResult,
} from '../core/tcp/types';
import { readCaptureFile, type CaptureReading } from '../node/captureFile';
import { gzipAllowance, gzipLimitMessage, gzipLimits, type GzipLimits } from '../node/gzipLimits';
import {
  compileFilter,
  KIND_BAD,
  KIND_FLAGS,
  KIND_HDR_SHIFT,
  KIND_PROTO_SHIFT,
  PC_ARP,
  PC_ICMP,
  PC_ICMP6,
  PC_IP4,
  PC_IP6,
  PC_OTHER,
  PC_TCP4,
  PC_TCP6,
  PC_UDP4,
  PC_UDP6,
  type FilterColumns,
  type Predicate,
} from '../core/filter/eval';
import { tryParseFilter, type Address } from '../core/filter/parse';
import { IntIdMap } from '../core/intMaps';
import { SeqBases } from './seqBases';
import type { FilterResult, IndexProgress, PacketDetails, PacketRow } from './api';

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
}

/**
 * Memory ceiling of one capture's index: 1 GiB, accounted by `accountedBytes()` — the typed arrays
 * exactly at their allocated capacity (they live outside the V8 heap, so the worker's
 * resourceLimits do not bound them), the Maps and the engine's connections estimated. The arrays
 * take ~47 bytes a packet and double at powers of two, so indexing stops at 16.7 M packets (2^24:
 * the next doubling, to 1.5 GiB, does not fit), or at 8.4 M when the capture also has more than
 * ~130,000 connections (1.8 KB each). With the worker's 2 GiB heap limit (WORKER_RESOURCE_LIMITS)
 * and the views' 256 MiB a worker stays under about 3.3 GiB. A capture that would need more stops
 * at the ceiling with a 'limit' error: the packets before it stay available, nothing is dropped
 * silently.
 */
export const INDEX_MAX_BYTES = 1024 * 1024 * 1024;
/**
 * V8 heap an engine connection costs (measured: 1,777 bytes for a SYN / RST-ACK pair, Node 20,
 * after gc); a port scan has one per packet pair, so they count against the ceiling.
 */
const CONNECTION_BYTES = 1800;
/** Packets between two checks of the ceiling (the columns and the engine grow by doubling from 1024: a check covers the next growth). */
const BUDGET_STEP = 4096;

/** Frame header kinds (bits 10..11 of the kind word): where the frame starts in its record. */
const HDR_PCAP = 0; // 16-byte pcap record header
const HDR_EPB = 1; // pcapng EPB / PB: 28 bytes
const HDR_SPB = 2; // pcapng SPB: 12 bytes
const HDR_LEN = [16, 28, 12, 0];

const BIG = 0xffff;
const CKPT_SHIFT = 5; // a Float64 offset checkpoint every 32 packets
/** tdA value meaning "the time is in bigTime". */
const TIME_BIG = 0xffffffff;
/** Packets indexed before the first progress report is sent (a first screenful). */
const FIRST_ROWS = 256;
/** Longest stretch of indexing without serving requests (ms). */
const YIELD_MS = 15;
/** Most rows one `rows` call returns (the editor asks for pages of 256; its host clamps to 1024). */
const MAX_ROWS = 4096;
/** Packets whose frames `lines` reads at a time. */
const LINES_BATCH = 512;
/** Filter views kept (the oldest is dropped beyond). */
const MAX_VIEWS = 16;
/**
 * Bytes the filter views' index arrays may hold together (4 bytes a matching packet): beyond it the
 * oldest views are dropped, the newest is always kept (the editor uses one view at a time). With
 * the 1 GiB index ceiling that is at most ~1.3 GiB of typed arrays for one capture.
 */
const VIEWS_MAX_BYTES = 256 * 1024 * 1024;

const PROTO_NAMES = ['', 'TCP', 'TCP', 'UDP', 'UDP', 'ICMP', 'ICMPv6', 'ARP', 'IPv4', 'IPv6'];

/** Wireshark's expert-info column texts for tcp.analysis.* bits (bit order of ANALYSIS_NAMES). */
const MARKERS: Record<(typeof ANALYSIS_NAMES)[number], string> = {
  retransmission: '[TCP Retransmission]',
  fast_retransmission: '[TCP Fast Retransmission]',
  spurious_retransmission: '[TCP Spurious Retransmission]',
  out_of_order: '[TCP Out-Of-Order]',
  lost_segment: '[TCP Previous segment not captured]',
  ack_lost_segment: '[TCP ACKed unseen segment]',
  duplicate_ack: '[TCP Dup ACK]',
  zero_window: '[TCP ZeroWindow]',
  zero_window_probe: '[TCP ZeroWindowProbe]',
  zero_window_probe_ack: '[TCP ZeroWindowProbeAck]',
  keep_alive: '[TCP Keep-Alive]',
  keep_alive_ack: '[TCP Keep-Alive ACK]',
  window_update: '[TCP Window Update]',
  window_full: '[TCP Window Full]',
  reused_ports: '[TCP Port numbers reused]',
};

interface View {
  id: number;
  match: Predicate;
  idx: Int32Array;
  n: number;
  /** Packets evaluated so far. */
  upto: number;
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class CaptureIndex implements FilterColumns {
  // ---- per-packet columns
  private cap = 0;
  private n = 0;
  private gap = new Uint16Array(0);
  private ckpt = new Float64Array(0);
  private caplenA = new Uint16Array(0);
  /** null while every packet's length on the wire equals its captured length (the common case). */
  private origA: Uint16Array | null = null;
  /** Time of each checkpoint's packet (seconds, nanoseconds). */
  private ckSec = new Float64Array(0);
  private ckNsec = new Float64Array(0);
  /** Time after the checkpoint's, in the packet's own unit (µs or ns); TIME_BIG = look in bigTime. */
  private tdA = new Uint32Array(0);
  private ifcA = new Uint8Array(0);
  kind = new Uint16Array(0);
  sport = new Uint16Array(0);
  dport = new Uint16Array(0);
  src: Uint16Array | Uint32Array = new Uint16Array(0);
  dst: Uint16Array | Uint32Array = new Uint16Array(0);
  private readonly bigGap = new Map<number, number>();
  private readonly bigCaplen = new Map<number, number>();
  private readonly bigOrig = new Map<number, number>();
  private readonly bigTime = new Map<number, { sec: number; nsec: number }>();
  private lastOff = 0;

  // ---- small tables
  /** Interface classes: link type and time precision. */
  private readonly ifcs: { linkType: number; precision: 6 | 9 }[] = [];
  private readonly ifcIds = new Map<number, number>();
  private readonly v4Ids = new IntIdMap();
  private readonly v6Ids = new Map<string, number>();
  private addrCount = 0;
  /** Which packet sets each packet's relative sequence numbers (tcpdump's conversation table). */
  private readonly seqBases = new SeqBases();
  private streamProblem: Uint8Array | null = null;

  // ---- engine and state
  private readonly engine = new TcpEngine();
  private readonly pkt = new DecodedPacket();
  private readonly res = emptyResult();
  private reading: CaptureReading | null = null;
  private info: CaptureInfo | null = null;
  private error: CaptureError | undefined;
  private done = false;
  private cancelled = false;
  private finished = false;
  private startTime = 0;
  private totalBytes = 0;
  private bytesRead = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly whenDone: Promise<void>;
  private resolveDone!: () => void;
  private fh: Promise<fs.promises.FileHandle> | null = null;
  /** Path actually read (a decompressed temporary copy for gzip files). */
  private readPath: string;
  private readonly temps: string[] = [];
  private readonly views = new Map<number, View>();
  private nextView = 1;
  private readonly rowCache = new Map<number, PacketRow>();
  private readonly rowCacheMax: number;
  private closed = false;
  /** Stops decompressing a gzip capture on cancel. */
  private readonly abort = new AbortController();
  /** Set when the index ceiling stopped indexing: the error to report. */
  private limited: CaptureError | null = null;
  private readonly maxBytes: number;

  constructor(
    readonly filePath: string,
    private readonly opts: CaptureIndexOptions = {},
  ) {
    this.readPath = filePath;
    this.rowCacheMax = opts.rowCache ?? 4096;
    this.maxBytes = opts.maxIndexBytes ?? INDEX_MAX_BYTES;
    this.whenDone = new Promise((r) => (this.resolveDone = r));
    this.grow(1024);
  }

  /** Number of packets indexed so far. */
  get count(): number {
    return this.n;
  }

  /** Resolves once indexing is over (done, damaged, cancelled or failed). Never rejects. */
  get indexed(): Promise<void> {
    return this.whenDone;
  }

  get captureInfo(): CaptureInfo | null {
    return this.info;
  }

  /** Start indexing; resolves when indexing is over (same as `indexed`). Never rejects. */
  start(): Promise<void> {
    this.startTime = performance.now();
    this.run().catch((e: unknown) => {
      // not expected (the reader never rejects): end with what is indexed and say why
      this.error ??= { kind: 'io', offset: this.bytesRead, message: `indexing stopped: ${reason(e)}` };
      this.end();
    });
    return this.whenDone;
  }

  /** Register a file this index owns (deleted on close): a temporary copy. */
  ownTempFile(p: string): void {
    this.temps.push(p);
  }

  private async run(): Promise<void> {
    /** Why decompressing a gzip capture stopped early (what was decompressed is indexed). */
    let gzipError: string | null = null;
    /** Decompression stopped at its limit (src/node/gzipLimits.ts). */
    let gzipLimit: CaptureError | null = null;
    try {
      const st = await fs.promises.stat(this.filePath);
      this.totalBytes = st.size;
      if (!st.isDirectory() && (await this.isGzip())) {
        // fileOffsets of a gzip capture are offsets in the decompressed data, which cannot be read
        // by position: decompress it (streaming) to a temporary file once, then index that.
        const tmp = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'capture-lens-')), 'capture');
        this.temps.push(tmp);
        try {
          const limit = await this.gunzip(tmp, st.size);
          if (limit) gzipLimit = limit;
        } catch (e) {
          if (this.cancelled) {
            this.end();
            return;
          }
          const code = (e as { code?: string } | null)?.code ?? '';
          gzipError = code === 'Z_BUF_ERROR' ? 'the gzip-compressed data ends early' : `the gzip-compressed data is damaged (${reason(e)})`;
        }
        if (this.cancelled) {
          this.end();
          return;
        }
        this.readPath = tmp;
        this.totalBytes = (await fs.promises.stat(tmp)).size;
      }
    } catch {
      // a missing or unreadable file: readCaptureFile says so in its own words
    }
    if (this.cancelled) {
      this.end();
      return;
    }
    const progressMs = this.opts.progressMs ?? 100;
    this.timer = setInterval(() => this.emitProgress(), progressMs);
    this.reading = readCaptureFile(
      this.readPath,
      {
        onInfo: (info) => {
          this.info = info;
        },
        onRecord: (rec) => this.add(rec),
      },
      { chunkSize: this.opts.chunkSize ?? 512 * 1024 },
    );
    const summary = await this.reading.done;
    this.reading = null;
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
      await this.closeHandle();
    }
    this.end();
  }

  /**
   * Decompress the capture into `tmp`, at most the allowance of src/node/gzipLimits.ts; the 'limit'
   * error when it stopped there (what came before is in `tmp`), null when the data ended first.
   * Throws zlib's error for damaged data (what was decompressed before it is in `tmp`).
   */
  private async gunzip(tmp: string, compressed: number): Promise<CaptureError | null> {
    const limits = gzipLimits(this.opts.gzipLimits);
    const allowance = gzipAllowance(compressed, limits);
    const src = fs.createReadStream(this.filePath, { signal: this.abort.signal });
    const gz = src.pipe(zlib.createGunzip());
    src.on('error', (e) => gz.destroy(e));
    const out = await fs.promises.open(tmp, 'w');
    let total = 0;
    try {
      for await (const piece of gz as AsyncIterable<Buffer>) {
        if (this.cancelled) return null;
        const room = allowance - total;
        const part = piece.length > room ? piece.subarray(0, room) : piece;
        for (let off = 0; off < part.length; ) off += (await out.write(part, off, part.length - off)).bytesWritten;
        total += part.length;
        if (piece.length > room) return { kind: 'limit', offset: allowance, message: gzipLimitMessage(this.filePath, compressed, allowance, limits) };
      }
      return null;
    } finally {
      gz.destroy();
      src.destroy();
      await out.close();
    }
  }

  private async isGzip(): Promise<boolean> {
    const fh = await fs.promises.open(this.filePath, 'r');
    try {
      const b = Buffer.alloc(2);
      const { bytesRead } = await fh.read(b, 0, 2, 0);
      return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
    } finally {
      await fh.close();
    }
  }

  /** Indexing is over: settle the engine, trim the columns, re-evaluate views, report. */
  private end(): void {
    if (this.done) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      this.engine.finish();
      this.finished = true;
      const sums = this.engine.summaries();
      const sp = new Uint8Array(sums.length);
      for (const s of sums) if (s.problems.length > 0 && s.stream < sp.length) sp[s.stream] = 1;
      this.streamProblem = sp;
    } catch (e) {
      this.error ??= { kind: 'io', offset: 0, message: `connection analysis failed: ${reason(e)}` };
    }
    this.trim();
    this.rowCache.clear();
    for (const v of this.views.values()) {
      v.n = 0;
      v.upto = 0;
    }
    this.extendViews();
    this.done = true;
    if (!this.error && !this.cancelled) this.bytesRead = this.totalBytes;
    this.emitProgress();
    this.resolveDone();
  }

  // -----------------------------------------------------------------------------------------------
  // Indexing

  private grow(need: number): void {
    let cap = this.cap === 0 ? 1024 : this.cap;
    while (cap < need) cap *= 2;
    this.resize(cap);
  }

  private resize(cap: number): void {
    const g16 = (a: Uint16Array) => {
      const b = new Uint16Array(cap);
      b.set(a.subarray(0, Math.min(a.length, cap)));
      return b;
    };
    const g32 = (a: Uint32Array) => {
      const b = new Uint32Array(cap);
      b.set(a.subarray(0, Math.min(a.length, cap)));
      return b;
    };
    const gAddr = (a: Uint16Array | Uint32Array) => {
      const b = a instanceof Uint32Array ? new Uint32Array(cap) : new Uint16Array(cap);
      b.set(a.subarray(0, Math.min(a.length, cap)));
      return b;
    };
    this.gap = g16(this.gap);
    const ck = new Float64Array((cap >> CKPT_SHIFT) + 1);
    ck.set(this.ckpt.subarray(0, Math.min(this.ckpt.length, ck.length)));
    this.ckpt = ck;
    const cs = new Float64Array(ck.length);
    cs.set(this.ckSec.subarray(0, Math.min(this.ckSec.length, cs.length)));
    this.ckSec = cs;
    const cn = new Float64Array(ck.length);
    cn.set(this.ckNsec.subarray(0, Math.min(this.ckNsec.length, cn.length)));
    this.ckNsec = cn;
    this.caplenA = g16(this.caplenA);
    if (this.origA) this.origA = g16(this.origA);
    this.tdA = g32(this.tdA);
    const ifc = new Uint8Array(cap);
    ifc.set(this.ifcA.subarray(0, Math.min(this.ifcA.length, cap)));
    this.ifcA = ifc;
    this.kind = g16(this.kind);
    this.sport = g16(this.sport);
    this.dport = g16(this.dport);
    this.src = gAddr(this.src);
    this.dst = gAddr(this.dst);
    this.cap = cap;
  }

  /** Shrink the columns to the packets indexed (indexing is over). */
  private trim(): void {
    if (this.cap > this.n) this.resize(Math.max(1, this.n));
    this.seqBases.seal();
  }

  /** Id of an address in the table, or -1 when no packet has it (FilterColumns). */
  addressId(a: Address): number {
    return a.family === 4 ? this.internId(a.v4, '', false) : this.internId(0, ipv6String(a.v6, 0), false);
  }

  /** Id of an IPv4 address (v6 === '') or an IPv6 one (its text), added when `add`. */
  private internId(v4: number, v6: string, add: boolean): number {
    const id = v6 === '' ? this.v4Ids.get(v4) : this.v6Ids.get(v6) ?? 0;
    if (id !== 0) return id;
    if (!add) return -1;
    const nid = ++this.addrCount;
    if (v6 === '') this.v4Ids.set(v4, nid);
    else this.v6Ids.set(v6, nid);
    if (nid === 0x10000 && this.src instanceof Uint16Array) {
      this.src = Uint32Array.from(this.src);
      this.dst = Uint32Array.from(this.dst);
    }
    return nid;
  }

  private lastIfcKey = -1;
  private lastIfc = 0;

  private ifcId(linkType: number, precision: 6 | 9): number {
    const key = linkType * 16 + precision;
    if (key === this.lastIfcKey) return this.lastIfc;
    let id = this.ifcIds.get(key);
    if (id === undefined) {
      id = this.ifcs.length;
      if (id > 255) id = 255; // more than 256 (link type, precision) pairs: not seen in practice
      else {
        this.ifcs.push({ linkType, precision });
        this.ifcIds.set(key, id);
      }
    }
    this.lastIfcKey = key;
    this.lastIfc = id;
    return id;
  }

  private add(rec: CaptureRecord): void {
    const i = this.n;
    if (this.limited) return;
    if (i % BUDGET_STEP === 0 && this.accountedBytes(i + BUDGET_STEP) > this.maxBytes) {
      this.stopAtCeiling(rec);
      return;
    }
    if (i >= this.cap) this.grow(i + 1);
    const off = rec.fileOffset;
    const ck = i & ((1 << CKPT_SHIFT) - 1);
    if (ck === 0) {
      this.ckpt[i >> CKPT_SHIFT] = off;
      this.gap[i] = 0;
    } else {
      const g = off - this.lastOff;
      if (g >= 0 && g < BIG) this.gap[i] = g;
      else {
        this.gap[i] = BIG;
        this.bigGap.set(i, g);
      }
    }
    this.lastOff = off;
    this.bytesRead = off + rec.fileLength;
    const caplen = rec.data.length;
    if (caplen < BIG) this.caplenA[i] = caplen;
    else {
      this.caplenA[i] = BIG;
      this.bigCaplen.set(i, caplen);
    }
    if (rec.origLen !== caplen || this.origA !== null) this.setOrig(i, rec.origLen);
    this.setTime(i, ck, rec.tsSec, rec.tsNsec, rec.tsPrecision);
    this.ifcA[i] = this.ifcId(rec.linkType, rec.tsPrecision);
    const hdr = rec.blockType === 'pcap' ? HDR_PCAP : rec.blockType === 'SPB' ? HDR_SPB : HDR_EPB;

    const pkt = decodeFrame(this.pkt, rec.data, rec.origLen, rec.linkType);
    const net = pkt.net;
    const l4 = pkt.l4;
    let pc = PC_OTHER;
    let s = 0;
    let d = 0;
    let sp = 0;
    let dp = 0;
    if (net.kind === NET_IPV4 || net.kind === NET_IPV6) {
      const v4 = net.kind === NET_IPV4;
      switch (l4.proto) {
        case IPPROTO_TCP:
          pc = v4 ? PC_TCP4 : PC_TCP6;
          sp = l4.sport;
          dp = l4.dport;
          break;
        case IPPROTO_UDP:
          pc = v4 ? PC_UDP4 : PC_UDP6;
          sp = l4.sport;
          dp = l4.dport;
          break;
        case IPPROTO_ICMP:
          pc = PC_ICMP;
          break;
        case IPPROTO_ICMPV6:
          pc = PC_ICMP6;
          break;
        default:
          pc = v4 ? PC_IP4 : PC_IP6;
      }
    } else if (net.kind === NET_ARP) pc = PC_ARP;
    if (net.addrLen === 4 && net.srcOff + 4 <= pkt.caplen && net.dstOff + 4 <= pkt.caplen) {
      s = this.internId(u32be(pkt.data, net.srcOff), '', true);
      d = this.internId(u32be(pkt.data, net.dstOff), '', true);
    } else if (net.addrLen === 16) {
      const a = net.src;
      const b = net.dst;
      if (a) s = this.internId(0, a, true);
      if (b) d = this.internId(0, b, true);
    }
    let flags = 0;
    let bad = pkt.truncated || pkt.malformed;
    try {
      flags = this.addSegment(pkt, rec, i);
    } catch {
      // an analysis bug must not stop indexing: the packet is shown as damaged
      bad = true;
      flags = l4.proto === IPPROTO_TCP ? l4.flags & KIND_FLAGS : 0;
    }
    this.kind[i] = flags | (bad ? KIND_BAD : 0) | (hdr << KIND_HDR_SHIFT) | (pc << KIND_PROTO_SHIFT);
    this.sport[i] = sp;
    this.dport[i] = dp;
    this.src[i] = s;
    this.dst[i] = d;
    this.n = i + 1;
    if (this.n === FIRST_ROWS) this.emitProgress();
    if ((i & 255) === 0) this.maybeYield();
  }

  /**
   * Bytes the index will hold with `packets` packets: every typed array at the capacity it will have
   * then (columns and engine grow by doubling from 1024), the Maps and the engine's connections as
   * now (estimated; they grow by at most BUDGET_STEP entries between two checks). Views are bounded
   * on their own (VIEWS_MAX_BYTES).
   */
  private accountedBytes(packets: number): number {
    let cap = 1024;
    while (cap < packets) cap *= 2;
    const perPacket = 2 + 2 + (this.origA ? 2 : 0) + 4 + 1 + 2 + 2 + 2 + 2 * this.src.BYTES_PER_ELEMENT + this.engine.bytesPerPacket();
    const checkpoints = 3 * 8 * ((cap >> CKPT_SHIFT) + 1);
    return cap * perPacket + checkpoints + this.seqBases.bytes() + this.heapEstimate();
  }

  /** V8 heap the index's Maps and the engine's connections hold (estimates: ~48 bytes a Map entry, objects ~100 more). */
  private heapEstimate(): number {
    return (
      (this.bigGap.size + this.bigCaplen.size + this.bigOrig.size) * 48 +
      this.bigTime.size * 100 +
      this.addrCount * 32 +
      this.v6Ids.size * 120 +
      this.engine.connectionCount * CONNECTION_BYTES
    );
  }

  /** The index ceiling is reached at record `rec`: stop reading; the packets before it stay indexed. */
  private stopAtCeiling(rec: CaptureRecord): void {
    const n = this.n;
    const mib = Math.round(this.maxBytes / (1024 * 1024));
    const per = n > 0 ? Math.round(this.accountedBytes(n) / n) : 0;
    this.limited = {
      kind: 'limit',
      offset: rec.fileOffset,
      message:
        `${this.filePath}: this capture has more than ${n} packets, more than the editor's index holds (${mib} MiB, ` +
        `about ${per} bytes a packet here). The editor shows the first ${n} (up to byte ${rec.fileOffset}); ` +
        'use `capture-lens print` or `tcpdump -r` for the rest',
    };
    this.reading?.cancel();
  }

  /** Run the TCP engine on packet i; its TCP flags (those of the inner segment for VXLAN). */
  /** One SegmentInput refilled for every packet (the engine keeps nothing of its input). */
  private readonly scratch = scratchSegment();

  private addSegment(pkt: DecodedPacket, rec: CaptureRecord, i: number): number {
    let flags = 0;
    const seg = segmentFromPacket(pkt, rec, this.scratch);
    if (seg) {
      flags = seg.flags & KIND_FLAGS;
      const r = this.engine.add(seg);
      // printTcp takes relative numbers only from packets with ACK whose header length is ≥ 20
      // (it stops at "[bad hdr length …]" before); VXLAN's inner header is not looked at here
      const l4 = pkt.l4;
      const shortHdr = l4.proto === IPPROTO_TCP && l4.off + 12 < pkt.caplen && pkt.data[l4.off + 12] >> 4 < 5;
      this.seqBases.note(i, r.stream, seg, (seg.flags & TH_ACK) !== 0 && !shortHdr);
    } else if (pkt.l4.proto === IPPROTO_TCP) {
      flags = pkt.l4.flags & KIND_FLAGS;
    }
    return flags;
  }

  private lastYield = 0;
  private yielding = false;

  /**
   * The reader delivers a whole chunk synchronously: every YIELD_MS pause it for one turn of the
   * event loop, so that requests (first rows, details) are served while indexing continues.
   */
  private maybeYield(): void {
    const now = performance.now();
    if (this.yielding || now - this.lastYield < YIELD_MS || !this.reading) return;
    this.lastYield = now;
    this.yielding = true;
    const reading = this.reading;
    reading.pause();
    setImmediate(() => {
      this.yielding = false;
      reading.resume();
    });
  }

  // -----------------------------------------------------------------------------------------------
  // Progress

  progress(): IndexProgress {
    const elapsedMs = performance.now() - this.startTime;
    const p: IndexProgress = {
      packets: this.n,
      bytesRead: this.bytesRead,
      totalBytes: this.totalBytes,
      rate: elapsedMs > 0 ? Math.round((this.n * 1000) / elapsedMs) : 0,
      done: this.done,
      elapsedMs: Math.round(elapsedMs),
    };
    if (this.error) p.error = this.error;
    if (this.cancelled) p.cancelled = true;
    if (this.done) p.statesFinal = true;
    if (this.views.size > 0) p.views = [...this.views.values()].map((v) => ({ view: v.id, count: v.n }));
    return p;
  }

  private emitProgress(): void {
    if (!this.done) this.extendViews();
    if (this.opts.onProgress) {
      try {
        this.opts.onProgress(this.progress());
      } catch {
        // a listener's problem is not the index's
      }
    }
  }

  /** Stop indexing at once (what is indexed stays available) and close the file. */
  cancel(): void {
    if (this.done) {
      void this.closeHandle();
      return;
    }
    this.cancelled = true;
    this.abort.abort();
    this.reading?.cancel();
    void this.closeHandle();
  }

  /** Cancel, close the file and delete temporary copies. The index is unusable afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancel();
    await this.whenDone;
    await this.closeHandle();
    for (const t of this.temps) {
      await fs.promises.rm(path.dirname(t), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Columns for filters

  stream(i: number): number {
    return this.engine.resultInto(i, this.res) ? this.res.stream : -1;
  }

  problem(i: number): boolean {
    if (!this.engine.resultInto(i, this.res)) return false;
    if (this.res.analysis !== 0) return true;
    const sp = this.streamProblem;
    return sp !== null && this.res.stream < sp.length && sp[this.res.stream] === 1;
  }

  // -----------------------------------------------------------------------------------------------
  // Views

  filter(expr: string): FilterResult {
    const parsed = tryParseFilter(expr);
    if (!parsed.ok) return parsed;
    if (this.closed) return { ok: false, error: 'the capture is closed', at: 0 };
    const v: View = { id: this.nextView++, match: compileFilter(parsed.node, this), idx: new Int32Array(1024), n: 0, upto: 0 };
    this.views.set(v.id, v);
    // keep the 16 most recent views (a UI that never drops its old filters does not pile them up)
    while (this.views.size > MAX_VIEWS) this.views.delete(this.views.keys().next().value as number);
    this.extendView(v);
    this.boundViews();
    return { ok: true, view: v.id, count: v.n };
  }

  dropView(view: number): void {
    this.views.delete(view);
  }

  /** Packets in a view (0 = all packets). */
  viewCount(view = 0): number {
    if (!view) return this.n;
    const v = this.views.get(view);
    if (!v) return 0;
    this.extendView(v);
    return v.n;
  }

  private extendViews(): void {
    for (const v of this.views.values()) this.extendView(v);
    this.boundViews();
  }

  /** Drop the oldest views while the views hold more than VIEWS_MAX_BYTES (the newest stays). */
  private boundViews(): void {
    let bytes = 0;
    for (const v of this.views.values()) bytes += v.idx.byteLength;
    while (bytes > VIEWS_MAX_BYTES && this.views.size > 1) {
      const oldest = this.views.values().next().value as View;
      bytes -= oldest.idx.byteLength;
      this.views.delete(oldest.id);
    }
  }

  private extendView(v: View): void {
    const end = this.n;
    let idx = v.idx;
    let n = v.n;
    const match = v.match;
    for (let i = v.upto; i < end; i++) {
      if (!match(i)) continue;
      if (n === idx.length) {
        // never beyond the packets there can be (a view of every packet holds 4 bytes a packet, no more)
        const b = new Int32Array(Math.max(n + 1, Math.min(idx.length * 2, this.cap)));
        b.set(idx);
        idx = b;
      }
      idx[n++] = i;
    }
    v.idx = idx;
    v.n = n;
    v.upto = end;
  }

  /** Packet indices of positions start .. start+count-1 of a view (clipped). */
  private indicesOf(start: number, count: number, view: number): number[] {
    const out: number[] = [];
    start = Math.max(0, Math.floor(start));
    count = Math.max(0, Math.floor(count));
    if (!view) {
      const end = Math.min(this.n, start + count);
      for (let i = start; i < end; i++) out.push(i);
      return out;
    }
    const v = this.views.get(view);
    if (!v) throw new Error(`unknown view ${view}`);
    this.extendView(v);
    const end = Math.min(v.n, start + count);
    for (let k = start; k < end; k++) out.push(v.idx[k]);
    return out;
  }

  // -----------------------------------------------------------------------------------------------
  // Reading frames by position

  private handle(): Promise<fs.promises.FileHandle> {
    if (this.closed) return Promise.reject(new Error('the capture is closed'));
    if (!this.fh) {
      const p = fs.promises.open(this.readPath, 'r');
      this.fh = p;
      p.catch(() => {
        if (this.fh === p) this.fh = null;
      });
    }
    return this.fh;
  }

  /** Closes of the row reader's file handle still under way (a second caller waits for the first's). */
  private closing: Promise<void> = Promise.resolve();

  private closeHandle(): Promise<void> {
    const p = this.fh;
    this.fh = null;
    if (p) {
      const prev = this.closing;
      this.closing = Promise.all([prev, p.then((h) => h.close()).catch(() => undefined)]).then(() => undefined);
    }
    return this.closing;
  }

  /** File offset of packet i's record. */
  recordOffset(i: number): number {
    const c = i >> CKPT_SHIFT;
    let off = this.ckpt[c];
    for (let j = (c << CKPT_SHIFT) + 1; j <= i; j++) {
      const g = this.gap[j];
      off += g === BIG ? this.bigGap.get(j)! : g;
    }
    return off;
  }

  caplen(i: number): number {
    const v = this.caplenA[i];
    return v === BIG ? this.bigCaplen.get(i) ?? v : v;
  }

  /** Time stamp of packet i: seconds. */
  private sec(i: number): number {
    const d = this.tdA[i];
    if (d === 0) return this.ckSec[i >> CKPT_SHIFT];
    if (d === TIME_BIG) return this.bigTime.get(i)?.sec ?? 0;
    const total = this.ckNsec[i >> CKPT_SHIFT] + d * this.nsPerUnit(i);
    return this.ckSec[i >> CKPT_SHIFT] + Math.floor(total / 1e9);
  }

  /** Time stamp of packet i: nanoseconds (as the file says, even when 1e9 or more: tcpdump's "invalid"). */
  private nsec(i: number): number {
    const d = this.tdA[i];
    if (d === 0) return this.ckNsec[i >> CKPT_SHIFT];
    if (d === TIME_BIG) return this.bigTime.get(i)?.nsec ?? 0;
    const total = this.ckNsec[i >> CKPT_SHIFT] + d * this.nsPerUnit(i);
    return total - Math.floor(total / 1e9) * 1e9;
  }

  private nsPerUnit(i: number): number {
    return this.ifcs[this.ifcA[i]]?.precision === 9 ? 1 : 1000;
  }

  /**
   * Keep packet i's time as an offset from its checkpoint's packet (4 bytes instead of 8): in µs
   * for µs captures (71 minutes of range), ns for ns ones (4.2 s). Times out of range, earlier than
   * the checkpoint's, or with a damaged sub-second field go to a sparse map, exact.
   */
  private setTime(i: number, ck: number, sec: number, nsec: number, precision: 6 | 9): void {
    const c = i >> CKPT_SHIFT;
    if (ck === 0) {
      this.ckSec[c] = sec;
      this.ckNsec[c] = nsec;
      this.tdA[i] = 0;
      return;
    }
    const cn = this.ckNsec[c];
    const unit = precision === 9 ? 1 : 1000;
    const dns = (sec - this.ckSec[c]) * 1e9 + (nsec - cn);
    const d = dns / unit;
    if (nsec >= 0 && nsec < 1e9 && cn < 1e9 && d > 0 && d < TIME_BIG && d === Math.floor(d)) this.tdA[i] = d;
    else if (dns === 0) this.tdA[i] = 0;
    else {
      this.tdA[i] = TIME_BIG;
      this.bigTime.set(i, { sec, nsec });
    }
  }

  origLen(i: number): number {
    if (this.origA === null) return this.caplen(i);
    const v = this.origA[i];
    return v === BIG ? this.bigOrig.get(i) ?? v : v;
  }

  /** The first packet whose wire length differs from its captured length creates the column. */
  private setOrig(i: number, orig: number): void {
    if (this.origA === null) {
      const a = new Uint16Array(this.cap);
      for (let j = 0; j < i; j++) {
        const c = this.caplen(j);
        a[j] = c < BIG ? c : BIG;
        if (c >= BIG) this.bigOrig.set(j, c);
      }
      this.origA = a;
    }
    if (orig < BIG) this.origA[i] = orig;
    else {
      this.origA[i] = BIG;
      this.bigOrig.set(i, orig);
    }
  }

  private dataOffset(i: number): number {
    return this.recordOffset(i) + HDR_LEN[(this.kind[i] >>> KIND_HDR_SHIFT) & 3];
  }

  /** Read the frames of the given packets (positional reads, nearby frames in one read). */
  private async readFrames(indices: Iterable<number>): Promise<Map<number, Uint8Array>> {
    const list = [...new Set(indices)].filter((i) => i >= 0 && i < this.n).sort((a, b) => a - b);
    const out = new Map<number, Uint8Array>();
    if (list.length === 0) return out;
    const spans: { start: number; end: number; items: { i: number; off: number; len: number }[] }[] = [];
    for (const i of list) {
      const off = this.dataOffset(i);
      const len = this.caplen(i);
      const last = spans[spans.length - 1];
      if (last && off >= last.start && off - last.end < 16384 && off + len - last.start < 4 << 20) {
        last.end = Math.max(last.end, off + len);
        last.items.push({ i, off, len });
      } else spans.push({ start: off, end: off + len, items: [{ i, off, len }] });
    }
    const fh = await this.handle();
    for (const sp of spans) {
      const buf = Buffer.allocUnsafe(sp.end - sp.start);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, sp.start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      for (const it of sp.items) {
        const a = it.off - sp.start;
        out.set(it.i, new Uint8Array(buf.buffer, buf.byteOffset + a, Math.max(0, Math.min(it.len, got - a))));
      }
    }
    return out;
  }

  private record(i: number, data: Uint8Array): CaptureRecord {
    const ifc = this.ifcs[this.ifcA[i]] ?? { linkType: 1, precision: 6 };
    return {
      index: i,
      data,
      origLen: this.origLen(i),
      tsSec: this.sec(i),
      tsNsec: this.nsec(i),
      tsPrecision: ifc.precision,
      linkType: ifc.linkType,
      interfaceId: 0,
      fileOffset: this.recordOffset(i),
      fileLength: 0,
      blockType: 'pcap',
    };
  }

  /**
   * The packet that sets the relative numbers packet i is printed with (src/worker/seqBases.ts:
   * the last packet of its tcpdump conversation — not its Wireshark stream — that re-based them);
   * i itself when it is not a segment or has no ACK (then it is printed with raw numbers).
   */
  private seqBase(i: number): number {
    if ((this.kind[i] & TH_ACK) === 0) return i;
    if (!this.engine.resultInto(i, this.res)) return i;
    return this.seqBases.base(i, this.res.stream);
  }

  // -----------------------------------------------------------------------------------------------
  // Rows, details, lines, connections

  /** Rows at positions start .. start+count-1 of a view (0 = all packets); fewer at the end. */
  async rows(start: number, count: number, view = 0): Promise<PacketRow[]> {
    const idx = this.indicesOf(start, Math.min(count, MAX_ROWS), view);
    const got = new Map<number, PacketRow>();
    const missing: number[] = [];
    for (const i of idx) {
      const r = this.rowCache.get(i);
      if (r) {
        // LRU: move to the most recent end
        this.rowCache.delete(i);
        this.rowCache.set(i, r);
        got.set(i, r);
      } else missing.push(i);
    }
    if (missing.length > 0) {
      const bases = new Map<number, number>();
      for (const i of missing) bases.set(i, this.seqBase(i));
      const frames = await this.readFrames([...missing, ...bases.values()]);
      // built after the read: the states are those known now (end() drops rows cached before it)
      for (const i of missing) {
        const row = this.buildRow(i, frames.get(i) ?? new Uint8Array(0), bases.get(i)!, frames);
        got.set(i, row);
        this.cacheRow(i, row);
      }
    }
    return idx.map((i) => got.get(i)!);
  }

  private cacheRow(i: number, row: PacketRow): void {
    this.rowCache.set(i, row);
    while (this.rowCache.size > this.rowCacheMax) {
      const k = this.rowCache.keys().next().value as number;
      this.rowCache.delete(k);
    }
  }

  private readonly rowPkt = new DecodedPacket();
  private readonly basePkt = new DecodedPacket();

  /** The tcpdump text of packet i after the time stamp, with a print context seeded by its base. */
  private body(i: number, data: Uint8Array, base: number, frames: Map<number, Uint8Array>): { pkt: DecodedPacket; body: string } {
    const ctx = new PrintContext(defaultPrintOptions());
    const bd = base !== i ? frames.get(base) : undefined;
    if (bd) {
      const ifc = this.ifcs[this.ifcA[base]];
      decodeFrame(this.basePkt, bd, this.origLen(base), ifc ? ifc.linkType : 1);
      try {
        printLink(this.basePkt, ctx);
      } catch {
        // only the base matters
      }
    }
    const ifc = this.ifcs[this.ifcA[i]];
    const pkt = decodeFrame(this.rowPkt, data, this.origLen(i), ifc ? ifc.linkType : 1);
    let body: string;
    try {
      body = printLink(pkt, ctx);
    } catch (e) {
      body = '[printer error: ' + reason(e) + ']';
    }
    return { pkt, body };
  }

  private buildRow(i: number, data: Uint8Array, base: number, frames: Map<number, Uint8Array>): PacketRow {
    const { pkt, body } = this.body(i, data, base, frames);
    const net = pkt.net;
    const pc = this.kind[i] >>> KIND_PROTO_SHIFT;
    let src = '';
    let dst = '';
    if (net.addrLen > 0) {
      src = net.src;
      dst = net.dst;
    } else if (pkt.link.linkType === LINKTYPE_ETHERNET && pkt.caplen >= 12) {
      src = macString(pkt.data, 6);
      dst = macString(pkt.data, 0);
    }
    let proto = PROTO_NAMES[pc];
    if (!proto) {
      const et = pkt.link.etherType;
      proto = et >= 0 && !pkt.link.unsupported ? ETHERTYPE_NAMES.get(et) ?? '0x' + et.toString(16).padStart(4, '0') : 'link-' + pkt.link.linkType;
    }
    // the text after the addresses
    let info = body;
    if (body.startsWith('IP ') || body.startsWith('IP6 ')) {
      const c = body.indexOf(': ');
      if (c >= 0) info = body.slice(c + 2);
    } else if (body.startsWith('ARP, ')) info = body.slice(5);
    const ns = this.nsec(i);
    const sec = this.sec(i);
    const rel = sec - this.sec(0) + (ns - this.nsec(0)) / 1e9;
    const delta = i === 0 ? 0 : sec - this.sec(i - 1) + (ns - this.nsec(i - 1)) / 1e9;
    const k = this.kind[i];
    const row: PacketRow = {
      index: i,
      time: timeText(sec, ns),
      rel,
      delta,
      src,
      dst,
      proto,
      length: this.origLen(i),
      info,
      kind: '',
    };
    let analysis = 0;
    if (this.engine.resultInto(i, this.res)) {
      const r = this.res;
      analysis = r.analysis;
      row.stream = r.stream;
      row.states = { client: TCP_STATES[r.clientState], server: TCP_STATES[r.serverState] };
      if (r.step) row.step = r.step;
      if (analysis !== 0) {
        const names = analysisNames(analysis);
        row.analysis = names;
        const marks: string[] = [];
        for (const name of names) {
          if (name === 'duplicate_ack' && analysis & A_DUPLICATE_ACK) marks.push(`[TCP Dup ACK ${r.dupAckOf + 1}#${r.dupAckNum}]`);
          else marks.push(MARKERS[name]);
        }
        row.info = marks.join(' ') + ' ' + info;
      }
    }
    const flags = k & KIND_FLAGS;
    const tcp = pc === PC_TCP4 || pc === PC_TCP6;
    if (k & KIND_BAD) row.kind = 'bad';
    else if ((analysis & ~A_WINDOW_UPDATE) !== 0) row.kind = 'warn';
    else if (tcp && flags & TH_RST) row.kind = 'rst';
    else if (tcp && flags & TH_SYN) row.kind = 'syn';
    else if (tcp && flags & TH_FIN) row.kind = 'fin';
    return row;
  }

  /** The details of one packet: field tree, bytes, tcpdump line. */
  async details(index: number): Promise<PacketDetails> {
    if (!Number.isInteger(index) || index < 0 || index >= this.n) throw new Error(`no packet ${index} (${this.n} packets indexed)`);
    const base = this.seqBase(index);
    const frames = await this.readFrames([index, base]);
    const data = frames.get(index)!.slice();
    const sink = new TreeSink();
    const ifc = this.ifcs[this.ifcA[index]];
    const pkt = new DecodedPacket();
    decodeFrame(pkt, data, this.origLen(index), ifc ? ifc.linkType : 1, sink);
    const root = sink.root;
    root.length = data.length;
    root.label = `Frame ${index + 1}: ${this.origLen(index)} bytes on wire, ${data.length} bytes captured`;
    if (pkt.problem) (root.notes ??= []).push({ severity: pkt.malformed ? 'error' : 'warning', message: pkt.problem, offset: 0, length: 0 });
    const [tcpdump] = this.printLines([index], new Map([[index, data], ...(base !== index ? [[base, frames.get(base)!] as [number, Uint8Array]] : [])]), new Map([[index, base]]));
    return { index, tree: root, bytes: data, tcpdump };
  }

  /** tcpdump lines (as `capture-lens print FILE` prints them, without the newline). */
  async lines(indices: number[]): Promise<string[]> {
    const ok = indices.filter((i) => Number.isInteger(i) && i >= 0 && i < this.n);
    if (ok.length !== indices.length) throw new Error(`packet index out of range (${this.n} packets indexed)`);
    // in batches: "Copy as tcpdump" of 100,000 packets must not hold all their frames at once
    // (100,000 × 64 KiB TSO frames would be 6 GiB); 512 frames of at most 256 KiB are 128 MiB
    const out: string[] = [];
    for (let b = 0; b < ok.length; b += LINES_BATCH) {
      const batch = ok.slice(b, b + LINES_BATCH);
      const bases = new Map<number, number>();
      for (const i of batch) bases.set(i, this.seqBase(i));
      const frames = await this.readFrames([...batch, ...bases.values()]);
      for (const line of this.printLines(batch, frames, bases)) out.push(line);
    }
    return out;
  }

  private printLines(indices: number[], frames: Map<number, Uint8Array>, bases: Map<number, number>): string[] {
    const out: string[] = [];
    for (const i of indices) {
      const printer = new PacketPrinter(defaultPrintOptions());
      const b = bases.get(i) ?? i;
      const bd = b !== i ? frames.get(b) : undefined;
      if (bd) printer.print(this.record(b, bd));
      const line = printer.print(this.record(i, frames.get(i) ?? new Uint8Array(0)));
      out.push(line.endsWith('\n') ? line.slice(0, -1) : line);
    }
    return out;
  }

  /**
   * The records of the given packets (frames read by position, nearby ones in one read) with their
   * engine results, in ascending index order; `result` is null for packets the engine did not take.
   * The result object is reused between calls of `visit`: copy what you keep. For the flow graph
   * (src/worker/flowPackets.ts).
   */
  async visitRecords(indices: readonly number[], visit: (rec: CaptureRecord, result: PacketResult | null) => void): Promise<void> {
    const frames = await this.readFrames(indices);
    const r = emptyResult();
    for (const [i, data] of frames) visit(this.record(i, data), this.engine.resultInto(i, r) ? r : null);
  }

  /** The connections (waits for indexing to end: summaries need the whole capture). */
  async connections(): Promise<ConnJson[]> {
    await this.whenDone;
    if (!this.finished) return [];
    return this.engine.summaries().map(connJson);
  }

  /** Bytes held by the typed arrays: columns (with the sequence bases and filter views) and the engine (its arrays). */
  memoryBytes(): { columns: number; engine: number; perPacket: number } {
    const arrays = [this.gap, this.ckpt, this.ckSec, this.ckNsec, this.caplenA, this.origA ?? new Uint8Array(0), this.tdA, this.ifcA, this.kind, this.sport, this.dport, this.src, this.dst];
    let views = 0;
    for (const v of this.views.values()) views += v.idx.byteLength;
    const columns = arrays.reduce((s, a) => s + a.byteLength, 0) + this.seqBases.bytes() + views;
    const engine = this.engine.bytesPerPacket() * this.engine.packetCount;
    return { columns, engine, perPacket: this.n > 0 ? (columns + engine) / this.n : 0 };
  }
}
