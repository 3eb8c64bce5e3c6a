/**
 * RowPresenter: what the capture editor shows of indexed packets — rows (with Wireshark's
 * expert-info markers), details and tcpdump lines — decoded on demand from positional reads of the
 * file (FileHandle.read at the record's offset, nearby frames in one read). Part of CaptureIndex
 * (src/worker/captureIndex.ts).
 *
 * tcpdump's relative sequence numbers depend on earlier packets (print-tcp.c bases them on the
 * conversation's last SYN+ACK, or its first packet with ACK; src/worker/seqBases.ts finds it):
 * rows and lines are printed with a fresh print context seeded by that packet, so the text equals
 * what `tcpdump -n -r` / `capture-lens print` print for the whole file.
 */
import { FTP_DATA_LABEL } from '../core/decode/app/ftpData';
import { FTP_DATA_PORT } from '../core/decode/app/ftp';

import type { CaptureRecord } from '../core/capture/types';
import { decodeFrame, DecodedPacket, TreeSink } from '../core/decode/index';
import { addDnsPairFields, type DnsMatcher } from '../core/decode/app/dnsMatch';
import { appInfo, appProtocolOf } from '../core/decode/app/index';
import { innermost, IPPROTO_TCP, IPPROTO_UDP, TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../core/decode/packet';
import { ETHERTYPE_NAMES, LINKTYPE_ETHERNET } from '../core/decode/link';
import { macString } from '../core/bytes';
import { errorMessage } from '../core/errors';
import { KIND_BAD, KIND_FLAGS, KIND_PROTO_SHIFT, PC_TCP4, PC_TCP6 } from '../core/filter/eval';
import { PrintContext } from '../core/print/context';
import { printLink } from '../core/print/link';
import { PacketPrinter } from '../core/print/packet';
import { wiresharkInfo, type WsTcpNumbers } from '../core/print/wiresharkInfo';
import { defaultPrintOptions } from '../core/print/options';
import type { TcpEngine } from '../core/tcp/engine';
import { timeText } from '../core/tcp/summary';
import { A_DUPLICATE_ACK, A_WINDOW_UPDATE, ANALYSIS_NAMES, analysisNames, emptyResult, TCP_STATES, type PacketResult } from '../core/tcp/types';
import type { PacketColumns } from './packetColumns';
import type { SeqBases } from './seqBases';
import type { WsNumbers } from './wsNumbers';
import type { PacketDetails, PacketRow } from './api';
import type { PositionalReader } from './input';

/** Packets whose frames `lines` reads at a time. */
const LINES_BATCH = 512;

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

/** What the presenter reads: the index's columns, engine and sequence bases, and the file. */
export interface PresenterSource {
  readonly cols: PacketColumns;
  readonly engine: TcpEngine;
  readonly seqBases: SeqBases;
  /** DNS pairs: the details of a DNS packet show its response / query and the time between them. */
  readonly dns?: DnsMatcher;
  readonly wsNumbers: WsNumbers;
  /** A new reader of the frames (./input.ts: a file, or bytes in memory). */
  reader(): PositionalReader;
  /** The index is closed: no more reads. */
  isClosed(): boolean;
  /** A stream's application when another part of the capture names it ("FTP-DATA"); undefined while indexing. */
  appOfStream?(stream: number): string | undefined;
}

export class RowPresenter {
  private readonly rowCache = new Map<number, PacketRow>();
  private readonly res = emptyResult();
  private readonly rowPkt = new DecodedPacket();
  private readonly basePkt = new DecodedPacket();
  private fh: PositionalReader | null = null;
  /** Closes of the file handle still under way (a second caller waits for the first's). */
  private closing: Promise<void> = Promise.resolve();

  constructor(
    private readonly src: PresenterSource,
    private readonly rowCacheMax: number,
  ) {}

  /** Forget cached rows (the engine's states became final). */
  clearCache(): void {
    this.rowCache.clear();
  }

  // -----------------------------------------------------------------------------------------------
  // Reading frames by position

  private handle(): Promise<PositionalReader> {
    if (this.src.isClosed()) return Promise.reject(new Error('the capture is closed'));
    this.fh ??= this.src.reader();
    return Promise.resolve(this.fh);
  }

  closeHandle(): Promise<void> {
    const p = this.fh;
    this.fh = null;
    if (p) {
      const prev = this.closing;
      this.closing = Promise.all([prev, p.close().catch(() => undefined)]).then(() => undefined);
    }
    return this.closing;
  }

  /** Read the frames of the given packets (positional reads, nearby frames in one read). */
  private async readFrames(indices: Iterable<number>): Promise<Map<number, Uint8Array>> {
    const cols = this.src.cols;
    const list = [...new Set(indices)].filter((i) => i >= 0 && i < cols.n).sort((a, b) => a - b);
    const out = new Map<number, Uint8Array>();
    if (list.length === 0) return out;
    const spans: { start: number; end: number; items: { i: number; off: number; len: number }[] }[] = [];
    for (const i of list) {
      const off = cols.dataOffset(i);
      const len = cols.caplen(i);
      const last = spans[spans.length - 1];
      if (last && off >= last.start && off - last.end < 16384 && off + len - last.start < 4 << 20) {
        last.end = Math.max(last.end, off + len);
        last.items.push({ i, off, len });
      } else spans.push({ start: off, end: off + len, items: [{ i, off, len }] });
    }
    const fh = await this.handle();
    // the spans at once (a page of rows reads its own span and ~60 sequence bases apart: read one after
    // the other they were one round trip to the I/O threads each)
    const reads = await Promise.all(
      spans.map(async (sp) => {
        const buf = new Uint8Array(sp.end - sp.start);
        return { buf, got: await fh.read(buf, sp.start) };
      }),
    );
    // filled in index order whatever read finished first: visitRecords walks the map in its order, and
    // its callers (flowPackets' replay engine) need the packets in capture order
    spans.forEach((sp, k) => {
      const { buf, got } = reads[k];
      for (const it of sp.items) {
        const a = it.off - sp.start;
        out.set(it.i, new Uint8Array(buf.buffer, buf.byteOffset + a, Math.max(0, Math.min(it.len, got - a))));
      }
    });
    return out;
  }

  private record(i: number, data: Uint8Array): CaptureRecord {
    const cols = this.src.cols;
    const ifc = cols.ifc(i) ?? { linkType: 1, precision: 6 };
    return {
      index: i,
      data,
      origLen: cols.origLen(i),
      tsSec: cols.sec(i),
      tsNsec: cols.nsec(i),
      tsPrecision: ifc.precision,
      linkType: ifc.linkType,
      interfaceId: 0,
      fileOffset: cols.recordOffset(i),
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
    if ((this.src.cols.kind[i] & TH_ACK) === 0) return i;
    if (!this.src.engine.resultInto(i, this.res)) return i;
    return this.src.seqBases.base(i, this.res.stream);
  }

  // -----------------------------------------------------------------------------------------------
  // Rows

  /**
   * The rows of packets `idx` (cached ones from the LRU cache). `cache` false: built rows are not
   * kept (Find reads every packet's Info once: it must not push the rows on screen out of the cache).
   */
  async rows(idx: number[], cache = true): Promise<PacketRow[]> {
    const got = new Map<number, PacketRow>();
    const missing: number[] = [];
    for (const i of idx) {
      const r = cache ? this.rowCache.get(i) : undefined;
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
      // built after the read: the states are those known now (the end of indexing drops rows cached before it)
      for (const i of missing) {
        const row = this.buildRow(i, frames.get(i) ?? new Uint8Array(0), bases.get(i)!, frames);
        got.set(i, row);
        if (cache) this.cacheRow(i, row);
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

  /** The tcpdump text of packet i after the time stamp, with a print context seeded by its base. */
  private body(i: number, data: Uint8Array, base: number, frames: Map<number, Uint8Array>): { pkt: DecodedPacket; body: string } {
    const cols = this.src.cols;
    const ctx = new PrintContext(defaultPrintOptions());
    const bd = base !== i ? frames.get(base) : undefined;
    if (bd) {
      const ifc = cols.ifc(base);
      decodeFrame(this.basePkt, bd, cols.origLen(base), ifc ? ifc.linkType : 1);
      try {
        printLink(this.basePkt, ctx);
      } catch {
        // only the base matters
      }
    }
    const ifc = cols.ifc(i);
    const pkt = decodeFrame(this.rowPkt, data, cols.origLen(i), ifc ? ifc.linkType : 1);
    let body: string;
    try {
      body = printLink(pkt, ctx);
    } catch (e) {
      body = '[printer error: ' + errorMessage(e) + ']';
    }
    return { pkt, body };
  }

  private buildRow(i: number, data: Uint8Array, base: number, frames: Map<number, Uint8Array>): PacketRow {
    const cols = this.src.cols;
    const { pkt, body } = this.body(i, data, base, frames);
    const net = pkt.net;
    const pc = cols.kind[i] >>> KIND_PROTO_SHIFT;
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
    const ns = cols.nsec(i);
    const sec = cols.sec(i);
    const rel = sec - cols.sec(0) + (ns - cols.nsec(0)) / 1e9;
    const delta = i === 0 ? 0 : sec - cols.sec(i - 1) + (ns - cols.nsec(i - 1)) / 1e9;
    const k = cols.kind[i];
    const row: PacketRow = {
      index: i,
      time: timeText(sec, ns),
      rel,
      delta,
      src,
      dst,
      proto,
      length: cols.origLen(i),
      info,
      wsInfo: info,
      kind: '',
    };
    // ports of the layer whose addresses are shown (a tunnel's outer UDP for VXLAN)
    const l4 = pkt.l4;
    if ((l4.proto === IPPROTO_TCP || l4.proto === IPPROTO_UDP) && net.addrLen > 0) {
      row.sport = l4.sport;
      row.dport = l4.dport;
    }
    // the application summary (the rows of a page only: never on the indexing path)
    const inner = innermost(pkt);
    const app = appInfo(inner);
    if (app !== '') row.app = appProtocolOf(inner.l4.proto as 6 | 17, inner.l4.sport, inner.l4.dport)?.name;
    let nums: WsTcpNumbers | null = null;
    let analysis = 0;
    let marks = '';
    if (this.src.engine.resultInto(i, this.res)) {
      const r = this.res;
      analysis = r.analysis;
      row.stream = r.stream;
      // a data connection announced on FTP's control connection (PASV, EPSV, PORT, EPRT) is FTP-DATA in the list too
      if (row.app === undefined) {
        const named = this.src.appOfStream?.(r.stream) ?? (l4.sport === FTP_DATA_PORT || l4.dport === FTP_DATA_PORT ? FTP_DATA_LABEL : undefined);
        if (named !== undefined) row.app = named;
      }
      row.states = { client: TCP_STATES[r.clientState], server: TCP_STATES[r.serverState] };
      if (r.step) row.step = r.step;
      const ws = this.src.wsNumbers;
      if (ws.has(r.stream)) {
        nums = { relative: true, seqBase: ws.seqBase(r.stream, r.dir), ackBase: ws.seqBase(r.stream, (r.dir ^ 1) as 0 | 1), winShift: ws.winShift(r.stream, r.dir) };
      }
      if (analysis !== 0) {
        const names = analysisNames(analysis);
        row.analysis = names;
        const list: string[] = [];
        for (const name of names) {
          if (name === 'duplicate_ack' && analysis & A_DUPLICATE_ACK) list.push(`[TCP Dup ACK ${r.dupAckOf + 1}#${r.dupAckNum}]`);
          else list.push(MARKERS[name]);
        }
        marks = list.join(' ') + ' ';
        row.info = marks + info;
      }
    }
    const ws = wiresharkInfo(pkt, nums, app);
    row.wsInfo = ws !== '' ? marks + ws : row.info;
    const flags = k & KIND_FLAGS;
    const tcp = pc === PC_TCP4 || pc === PC_TCP6;
    if (k & KIND_BAD) row.kind = 'bad';
    else if ((analysis & ~A_WINDOW_UPDATE) !== 0) row.kind = 'warn';
    else if (tcp && flags & TH_RST) row.kind = 'rst';
    else if (tcp && flags & TH_SYN) row.kind = 'syn';
    else if (tcp && flags & TH_FIN) row.kind = 'fin';
    return row;
  }

  // -----------------------------------------------------------------------------------------------
  // Details, lines, records

  /** The details of one packet (index checked by the caller): field tree, bytes, tcpdump line. */
  async details(index: number): Promise<PacketDetails> {
    const cols = this.src.cols;
    const base = this.seqBase(index);
    const frames = await this.readFrames([index, base]);
    const data = frames.get(index)!.slice();
    const sink = new TreeSink();
    const ifc = cols.ifc(index);
    const pkt = new DecodedPacket();
    decodeFrame(pkt, data, cols.origLen(index), ifc ? ifc.linkType : 1, sink);
    const root = sink.root;
    root.length = data.length;
    root.label = `Frame ${index + 1}: ${cols.origLen(index)} bytes on wire, ${data.length} bytes captured`;
    if (pkt.problem) (root.notes ??= []).push({ severity: pkt.malformed ? 'error' : 'warning', message: pkt.problem, offset: 0, length: 0 });
    addDnsPairFields(root, this.src.dns?.pair(index));
    const [tcpdump] = this.printLines([index], new Map([[index, data], ...(base !== index ? [[base, frames.get(base)!] as [number, Uint8Array]] : [])]), new Map([[index, base]]));
    return { index, tree: root, bytes: data, tcpdump };
  }

  /** tcpdump lines of packets (indices checked by the caller), as `capture-lens print FILE` prints them. */
  async lines(ok: number[]): Promise<string[]> {
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

  /** See CaptureIndex.visitRecords. */
  async visitRecords(indices: readonly number[], visit: (rec: CaptureRecord, result: PacketResult | null) => void): Promise<void> {
    const frames = await this.readFrames(indices);
    const r = emptyResult();
    for (const [i, data] of frames) visit(this.record(i, data), this.src.engine.resultInto(i, r) ? r : null);
  }
}
