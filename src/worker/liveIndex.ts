/**
 * LiveIndex: the capture editor's index of a followed file (issue 16), with the ring limit and
 * re-following. It holds one CaptureIndex (src/worker/captureIndex.ts) — the window of packets
 * the editor shows — and replaces it by a new one in two cases:
 *
 * - Ring limit (`ringPackets` = N): once the window holds 2N packets, a new index reads the file's
 *   head and the records from packet count − N on (src/node/followFile.ts, `from`); when it has
 *   caught up with the file it replaces the old one, whose first packets are dropped. The window
 *   thus holds between N and 2N packets (plus what arrives while the new one catches up), so the
 *   worker's memory is bounded by about 2N × 30 bytes however long the capture runs; each packet
 *   is indexed about twice (once as it arrives, once in the replacement), which at 50,000 packets/s
 *   is ~0.1 s of a core a second. The engine of the new window starts afresh at its first packet,
 *   as Wireshark's analysis of one file of a ring buffer does: connections that began before it are
 *   seen from the middle and their stream numbers restart at 0.
 * - File ring (`fileRing`, "keep the last N MB": tcpdump -C/-W writes a ring of files, read as one
 *   capture through src/worker/ringInput.ts): before tcpdump overwrites a file the window still holds,
 *   a new index reads from the first kept file on (`fileRingCut` says when and which) and replaces it
 *   the same way.
 * - Re-following (`refollow()`): a file that settled (QUIET_MS without growth) and grows again is
 *   indexed anew in follow mode from the window's first packet; the settled index serves until the
 *   new one has caught up.
 *
 * Numbers stay the file's: a row's `index` and the indices of `details`, `lines` and `socketsAt`
 * count every packet of the file, dropped ones included (`dropped` + the index in the window), as
 * Wireshark numbers the frames of a ring buffer's files. Filter views keep their ids across a
 * replacement (each is evaluated again in the new window), and each view's dropped members are
 * counted, so the editor moves its selection and scroll position by what left the top of its list.
 */
import type { FollowFrom } from '../node/followFile';
import { CaptureIndex, type CaptureIndexOptions } from './captureIndex';
import type { CaptureRing, IndexInput } from './input';
import { RING_MIN_PACKETS, type FilterResult, type IndexProgress, type PacketDetails, type PacketRow } from './api';
import type { SocketsAtPacket } from '../core/sockets/fromCapture';

export interface LiveIndexOptions extends CaptureIndexOptions {
  /** Keep at least this many packets and at most twice as many (0 or absent: keep every packet). */
  ringPackets?: number;
  /** A ring of files (tcpdump -C/-W, "keep the last N MB"): drop the packets of files it is about to overwrite. */
  fileRing?: CaptureRing;
}

/**
 * The file ring's drop: the window's first packet of the first file kept, or -1 for no drop now.
 *
 * tcpdump overwrites file s − W when it opens file s (W = `ring.files`), and a replacement window needs
 * time to read what it keeps, so the window must be rid of a file two files before that happens: when
 * its first file is s + 2 − W (s the newest), it drops all but the W/2 files before the newest (and the
 * newest, partly written). The replacement then has two files' writing time to catch up, and the
 * window holds between W/2 and W − 1 files: with W = 8, at least half of the disk's N MB, at most 7/8,
 * and each byte is indexed about twice (4 files read again every 2 files written), like the packet ring.
 */
export function fileRingCut(ring: CaptureRing, count: number, offsetOf: (i: number) => number): number {
  if (count === 0 || ring.newest < 0) return -1;
  const first = ring.seqOf(offsetOf(0));
  if (first < 0 || first > ring.newest + 2 - ring.files) return -1;
  const keep = ring.startOf(ring.newest - Math.floor(ring.files / 2));
  if (keep < 0) return -1;
  // the first packet at or after `keep` (offsets grow with the packet number)
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsetOf(mid) < keep) lo = mid + 1;
    else hi = mid;
  }
  // none of the kept files read yet (the window is behind the writer): nothing to drop before it
  return lo > 0 && lo < count ? lo : -1;
}


export class LiveIndex {
  /** The window of packets the editor shows. */
  current: CaptureIndex;
  /** The replacement being built (ring limit or re-following), until it has caught up. */
  private next: CaptureIndex | null = null;
  /** Its first packet's number in the file. */
  private nextBase = 0;
  /** Packets of the file before the window (dropped by the ring limit). */
  base = 0;
  /** The file's head: bytes before the first packet's record (pcap's header, pcapng's first blocks). */
  private prefixEnd = -1;
  /** Filter views by id, with their expression (made again in a replacement) and their dropped members. */
  private readonly views = new Map<number, { expr: string; dropped: number }>();
  private settled = false;
  private closed = false;
  private swapping = false;
  private readonly ring: number;

  constructor(
    /** A new input over the capture (./input.ts), one for each window: each reads the file on its own. */
    private readonly input: () => IndexInput,
    private readonly opts: LiveIndexOptions = {},
  ) {
    this.ring = opts.ringPackets && opts.ringPackets > 0 ? Math.max(RING_MIN_PACKETS, Math.floor(opts.ringPackets)) : 0;
    this.current = this.make(undefined);
  }

  private make(from: FollowFrom | undefined, follow = this.opts.follow): CaptureIndex {
    const idx: CaptureIndex = new CaptureIndex(this.input(), {
      ...this.opts,
      follow,
      followFrom: from,
      onProgress: (p) => this.progressOf(idx, p),
    });
    return idx;
  }

  start(): Promise<void> {
    return this.current.start();
  }

  /** Resolves once the current window's indexing is over (a replacement may start another). */
  get indexed(): Promise<void> {
    return this.current.indexed;
  }

  get following(): boolean {
    return this.current.following || this.next !== null;
  }

  /** True while a replacement window is being read (until it has caught up with the file). */
  get replacing(): boolean {
    return this.next !== null;
  }

  /** Packets in the window. */
  get count(): number {
    return this.current.count;
  }

  /**
   * The file grew. While a replacement is read the current window is not told: it stops where it is,
   * so the replacement, which reads the same bytes and N packets more, catches up with it (when the
   * worker is behind the writer, two readers going on would keep the same distance for as long as
   * the capture runs: measured with scripts/bench-follow.ts, a 10,000-packet ring kept 48,853 at
   * 20,000 packets/s). The window's rows stop growing for the replacement's time: N packets read
   * again, ~0.2 s for N = 100,000.
   */
  grow(): void {
    if (this.next) this.next.grow();
    else this.current.grow();
  }

  settle(): void {
    this.settled = true;
    this.current.settle();
    this.next?.settle();
  }

  /**
   * The file grew after it settled: follow it again. A new index reads it in follow mode from the
   * window's first packet and replaces the settled one once it has caught up.
   */
  refollow(): void {
    if (this.closed) return;
    if (this.current.following || this.next) {
      this.grow();
      return;
    }
    this.settled = false;
    this.replace(this.base, this.base > 0 ? this.current.recordOffset(0) : -1);
  }

  /** Start a replacement whose first packet is packet `base` of the file, at record offset `offset` (-1: the file's start). */
  private replace(base: number, offset: number): void {
    if (this.prefixEnd < 0 && offset >= 0) return; // the head is not known yet: no replacement without it
    this.nextBase = base;
    this.next = this.make(offset >= 0 ? { prefixEnd: this.prefixEnd, offset } : undefined, true);
    void this.next.start();
  }

  private progressOf(idx: CaptureIndex, p: IndexProgress): void {
    if (this.closed) return;
    if (idx === this.current) {
      if (this.prefixEnd < 0 && idx.count > 0 && this.base === 0) this.prefixEnd = idx.recordOffset(0);
      if (this.ring > 0 && !this.next && !this.settled && idx.following && idx.count >= 2 * this.ring) {
        const shift = idx.count - this.ring;
        this.replace(this.base + shift, idx.recordOffset(shift));
      }
      const files = this.opts.fileRing;
      if (files && !this.next && !this.settled && idx.following) {
        const shift = fileRingCut(files, idx.count, (i) => idx.recordOffset(i));
        if (shift > 0) this.replace(this.base + shift, idx.recordOffset(shift));
      }
      this.opts.onProgress?.(this.translate(p));
    } else if (idx === this.next && !this.swapping) {
      // caught up: the replacement has read as far as the window (both read the same file)
      const cur = this.current;
      if (p.error && p.done) {
        // it could not read the file (replaced meanwhile): keep the window as it is
        this.next = null;
        void idx.close();
      } else if (idx.bytesRead >= cur.bytesRead && (idx.following || p.done)) void this.swap(idx);
    }
  }

  /** The replacement has caught up: make its filter views (same ids), count what each view drops, then switch. */
  private async swap(next: CaptureIndex): Promise<void> {
    this.swapping = true;
    try {
      for (const [id, v] of this.views) {
        const r = await next.filter(v.expr, id);
        if (!r.ok) this.views.delete(id);
      }
      if (this.closed || this.next !== next) return;
      const old = this.current;
      const shift = this.nextBase - this.base;
      for (const [id, v] of this.views) v.dropped += old.countBelow(id, shift);
      this.base = this.nextBase;
      this.current = next;
      this.next = null;
      if (this.settled) next.settle();
      void old.close();
      this.opts.onProgress?.(this.translate(next.progress()));
    } finally {
      this.swapping = false;
    }
  }

  /** Progress as the editor sees it: `dropped` and each view's dropped members when the ring dropped packets. */
  private translate(p: IndexProgress): IndexProgress {
    const out: IndexProgress = this.next && !p.done ? { ...p, following: true } : { ...p };
    if (this.next && p.done && this.settled === false) {
      // the settled window is being replaced by a followed one: it is not final
      out.done = false;
      out.statesFinal = undefined;
      out.following = true;
    }
    if (this.base > 0) {
      out.dropped = this.base;
      if (p.views) out.views = p.views.map((v) => ({ ...v, dropped: this.views.get(v.view)?.dropped ?? 0 }));
    }
    return out;
  }

  progress(): IndexProgress {
    return this.translate(this.current.progress());
  }

  // -----------------------------------------------------------------------------------------------
  // The editor's requests, in the file's packet numbers

  async rows(start: number, count: number, view = 0): Promise<PacketRow[]> {
    const base = this.base;
    const rows = await this.current.rows(start, count, view);
    // copies: the window's row cache keeps its own rows (their index in the window)
    return base > 0 ? rows.map((r) => ({ ...r, index: r.index + base })) : rows;
  }

  /** The window's index of packet `i` of the file; throws for a packet the ring limit dropped. */
  local(i: number): number {
    if (i < this.base) throw new Error(`packet ${i + 1} was dropped by the ring limit (the first ${this.base} packets are no longer kept)`);
    return i - this.base;
  }

  async details(index: number): Promise<PacketDetails> {
    const base = this.base;
    const d = await this.current.details(this.local(index));
    return base > 0 ? { ...d, index: d.index + base } : d;
  }

  lines(indices: number[]): Promise<string[]> {
    return this.current.lines(indices.map((i) => this.local(i)));
  }

  socketsAt(index: number): Promise<SocketsAtPacket> {
    return this.current.socketsAt(this.local(index));
  }

  async filter(expr: string): Promise<FilterResult> {
    const r = await this.current.filter(expr);
    if (r.ok) this.views.set(r.view, { expr, dropped: 0 });
    return r;
  }

  dropView(view: number): void {
    this.views.delete(view);
    this.current.dropView(view);
  }

  viewCount(view = 0): number {
    return this.current.viewCount(view);
  }

  cancel(): void {
    this.next?.cancel();
    this.current.cancel();
  }

  async close(): Promise<void> {
    this.closed = true;
    const next = this.next;
    this.next = null;
    if (next) await next.close();
    await this.current.close();
  }
}
