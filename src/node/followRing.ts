/**
 * A ring of capture files, as `tcpdump -w BASE -C SIZE -W COUNT` writes it (issue 16, "keep the last
 * N MB"), followed as one capture. tcpdump 4.99.3 names the files BASE0 … BASE{COUNT-1}, the number
 * zero-padded to the digits of COUNT − 1 (`-W 8`: BASE0..BASE7; `-W 12`: BASE00..BASE11); before
 * writing a packet it checks whether the current file is larger than SIZE × 1,000,000 bytes and, if
 * so, closes it and opens the next name with fopen("w"): the file is truncated in place (same inode),
 * so a new generation of a name is told from the old one by its bytes, not by its inode (checked with
 * tcpdump 4.99.3 on lo: files of 1,001,064 bytes for -C 1 with 1,442-byte records; a file is 0
 * bytes between the truncation and its first flush).
 *
 * RingFiles numbers the files tcpdump wrote in order (sequence 0, 1, 2, … across wrap-arounds) and
 * gives each sequence a place in one logical byte space: sequence s occupies [start(s), end(s)),
 * end(s) = start(s+1), each file whole (its own pcap header included), so a packet's record offset
 * in that space (what the index stores) says which file holds it and where. One RingFiles is shared
 * by every window of a LiveIndex (src/worker/liveIndex.ts): they agree on the numbering.
 *
 * A sequence is complete once the next one exists: tcpdump closes a file before it opens the next.
 * Sequence s + COUNT overwrites sequence s: its packets can no longer be read (`onDisk`).
 * `followRing` follows the ring: one FileFollower (./followFile.ts) for the file being read; when a
 * newer sequence exists it reads the current file to its end (its last complete record) and goes on
 * with the next. Only COUNT + 2 sequences' places are kept, so memory does not grow with the capture.
 */
import * as fs from 'node:fs';

import type { CaptureSink } from '../core/capture/types';
import type { CaptureRing } from '../worker/input';
import type { ReadSummary } from './captureFile';
import { followCaptureFile, followReading, type Follower, type FollowFrom, type FollowReading } from './followFile';

/** Bytes compared to tell a new generation of a name from the old one: the pcap header and the first record's header and bytes. */
const SIG_BYTES = 64;

/** tcpdump's name of file `i` of a ring of `files` (MakeFilename in tcpdump.c: the digits of files − 1). */
export function ringFileName(base: string, files: number, i: number): string {
  const digits = String(Math.max(1, files - 1)).length;
  return base + String(i).padStart(digits, '0');
}

/** The BASE of a ring from its first file's name (BASE0, BASE00, …), or null when it is not one. */
export function ringBaseOf(first: string, files: number): string | null {
  const zero = ringFileName('', files, 0);
  return first.endsWith(zero) ? first.slice(0, first.length - zero.length) : null;
}

interface Seq {
  seq: number;
  /** Which file (0 … files − 1). */
  phys: number;
  start: number;
  /** -1 while tcpdump may still write it. */
  end: number;
  /** Its first bytes once complete (to tell the next generation of its name). */
  sig: Buffer | null;
}

function statSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return -1;
  }
}

function headOf(p: string, n: number): Buffer {
  let fd = -1;
  try {
    fd = fs.openSync(p, 'r');
    const b = Buffer.alloc(n);
    const got = fs.readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/** The first record's time stamp (seconds; its fraction as a fraction) of a pcap file's head, Infinity without one. */
function firstTime(head: Buffer): number {
  if (head.length < 32) return Infinity;
  const magic = head.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const be = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!le && !be) return Infinity;
  const sec = le ? head.readUInt32LE(24) : head.readUInt32BE(24);
  const frac = le ? head.readUInt32LE(28) : head.readUInt32BE(28);
  return sec + frac / (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 ? 1e6 : 1e9);
}

export class RingFiles implements CaptureRing {
  private readonly seqs: Seq[] = [];

  constructor(
    readonly base: string,
    readonly files: number,
  ) {
    // files already there (an editor opened after the capture wrapped): oldest first by their first
    // packet's time stamp (modification times tie when files are written within the file system's
    // clock tick, a few ms); a file without a packet yet is the newest
    const have: { phys: number; time: number }[] = [];
    for (let i = 0; i < files; i++) {
      const head = headOf(this.fileOf(i), 32);
      if (statSize(this.fileOf(i)) >= 0) have.push({ phys: i, time: firstTime(head) });
    }
    have.sort((a, b) => a.time - b.time || a.phys - b.phys);
    for (const h of have) this.add(h.phys);
  }

  /** The path of file `phys`. */
  fileOf(phys: number): string {
    return ringFileName(this.base, this.files, phys);
  }

  /** The newest sequence found (-1: none yet). */
  get newest(): number {
    return this.seqs.length > 0 ? this.seqs[this.seqs.length - 1].seq : -1;
  }

  /** The oldest sequence whose place is known (-1: none). */
  get oldest(): number {
    return this.seqs.length > 0 ? this.seqs[0].seq : -1;
  }

  private get(seq: number): Seq | undefined {
    const first = this.seqs[0];
    return first ? this.seqs[seq - first.seq] : undefined;
  }

  /** The file of sequence `seq`, or null when unknown. */
  pathOf(seq: number): string | null {
    const s = this.get(seq);
    return s ? this.fileOf(s.phys) : null;
  }

  startOf(seq: number): number {
    return this.get(seq)?.start ?? -1;
  }

  /** The end of sequence `seq` in the logical space, -1 while it may grow. */
  endOf(seq: number): number {
    return this.get(seq)?.end ?? -1;
  }

  /** The sequence holding logical offset `off` (-1 before the oldest known). */
  seqOf(off: number): number {
    for (let i = this.seqs.length - 1; i >= 0; i--) if (this.seqs[i].start <= off) return this.seqs[i].seq;
    return -1;
  }

  /** Its file still holds it: a sequence `files` newer has not overwritten it (as far as `advance` has seen). */
  onDisk(seq: number): boolean {
    return seq >= 0 && seq <= this.newest && seq > this.newest - this.files;
  }

  /** Look for files tcpdump opened since: each new one completes the one before. True when one was found. */
  advance(): boolean {
    let found = false;
    while (this.probeNext()) found = true;
    return found;
  }

  private probeNext(): boolean {
    const last = this.seqs[this.seqs.length - 1];
    const phys = last ? (last.phys + 1) % this.files : 0;
    const p = this.fileOf(phys);
    const size = statSize(p);
    if (size < 0) return false;
    if (last) {
      // a name written before (a generation `files` older) is new once it is shorter or starts otherwise
      const old = this.get(last.seq + 1 - this.files);
      if (old?.sig) {
        const fresh = size < old.end - old.start || !headOf(p, old.sig.length).equals(old.sig);
        if (!fresh) return false;
      } else if (phys === this.seqs[0].phys) return false; // its old generation is unknown: wait for it
    }
    this.add(phys);
    return true;
  }

  private add(phys: number): void {
    const last = this.seqs[this.seqs.length - 1];
    if (last) {
      // tcpdump closed it before opening the next file: its size is final
      const size = Math.max(0, statSize(this.fileOf(last.phys)));
      last.end = last.start + size;
      last.sig = headOf(this.fileOf(last.phys), SIG_BYTES);
    }
    this.seqs.push({ seq: last ? last.seq + 1 : 0, phys, start: last ? last.end : 0, end: -1, sig: null });
    // the places of the overwritten sequences are needed no longer (two kept for offsets read late)
    while (this.seqs.length > this.files + 2) this.seqs.shift();
  }

  /** The files on disk, oldest first (Save As). */
  pathsInOrder(): string[] {
    this.advance();
    return this.seqs.filter((s) => this.onDisk(s.seq)).map((s) => this.fileOf(s.phys));
  }
}

/**
 * Follow a ring from its oldest file on disk, or from logical offset `from.offset` (its file's head,
 * then the records from there): the records' offsets are logical (RingFiles). The FollowReading's
 * `grow` also looks for the next file; `stop` reads to the end of the newest.
 */
export function followRing(ring: RingFiles, sink: CaptureSink, from?: FollowFrom): FollowReading {
  return followReading(new RingFollower(ring, sink, from));
}

class RingFollower implements Follower {
  private seq = -1;
  private cur: FollowReading | null = null;
  private first = true;
  private packets = 0;
  private info: ReadSummary['info'] = null;
  private paused = false;
  private stopping = false;
  private cancelled = false;
  private finished = false;
  private running: Promise<void> | null = null;
  private again = false;
  readonly done: Promise<ReadSummary>;
  private resolve!: (s: ReadSummary) => void;

  constructor(
    private readonly ring: RingFiles,
    private readonly sink: CaptureSink,
    private readonly from?: FollowFrom,
  ) {
    this.done = new Promise((r) => (this.resolve = r));
  }

  get fed(): number {
    return this.cur ? Math.max(0, this.ring.startOf(this.seq)) + this.cur.fed : 0;
  }

  get size(): number {
    return this.cur ? Math.max(0, this.ring.startOf(this.seq)) + this.cur.size : 0;
  }

  pause(): void {
    this.paused = true;
    this.cur?.pause();
  }

  resume(): void {
    this.paused = false;
    this.cur?.resume();
  }

  cancel(): void {
    this.cancelled = true;
    this.cur?.cancel();
    this.finish(null);
  }

  stop(): void {
    this.stopping = true;
    void this.pass();
  }

  /** One step (serialized): open the first file, move on to newer files, grow or stop the current one. */
  pass(): Promise<void> {
    if (this.finished) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.step();
        } while (this.again && !this.finished);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async step(): Promise<void> {
    this.ring.advance();
    if (!this.cur && !this.open()) {
      if (this.stopping) this.finish(null);
      return;
    }
    while (!this.finished && this.seq < this.ring.newest) {
      // tcpdump opened a newer file, so this one is complete: read it to its end, then the next
      const sum = await this.close();
      if (this.finished) return;
      if (sum.error && sum.error.kind !== 'truncated') {
        this.finish(sum.error);
        return;
      }
      // a record cut at a complete file's end (a full disk, a killed writer) is lost; the next file is whole
      this.seq++;
      this.openSeq(undefined);
    }
    if (this.finished) return;
    if (this.stopping) this.finish((await this.close()).error);
    else this.cur?.grow();
  }

  /** The first file: the one holding `from.offset`, or the oldest on disk. */
  private open(): boolean {
    const seq = this.from ? this.ring.seqOf(this.from.offset) : Math.max(this.ring.oldest, this.ring.newest - this.ring.files + 1);
    if (seq < 0 || this.ring.newest < 0) {
      if (this.from) {
        this.finish({ kind: 'io', offset: this.from.offset, message: `${this.ring.base}: the file holding offset ${this.from.offset} of the ring is no longer known` });
      }
      return false;
    }
    this.seq = seq;
    const start = this.ring.startOf(seq);
    this.openSeq(this.from ? { prefixEnd: this.from.prefixEnd, offset: this.from.offset - start } : undefined);
    return true;
  }

  private openSeq(from: FollowFrom | undefined): void {
    const start = this.ring.startOf(this.seq);
    const path = this.ring.pathOf(this.seq) ?? this.ring.base;
    const first = this.first;
    this.first = false;
    this.cur = followCaptureFile(
      path,
      {
        onInfo: first && this.sink.onInfo ? (i) => this.sink.onInfo?.(i) : undefined,
        onRecord: (rec) => {
          if (this.cancelled) return;
          this.packets++;
          rec.fileOffset += start;
          this.sink.onRecord(rec);
        },
      },
      from,
    );
    if (this.paused) this.cur.pause();
  }

  /** Ends the current file's follower; its summary with the error's offset made logical. */
  private async close(): Promise<ReadSummary> {
    const cur = this.cur;
    if (!cur) return { info: this.info, packets: 0, error: null };
    cur.stop();
    const sum = await cur.done;
    this.info ??= sum.info;
    const start = Math.max(0, this.ring.startOf(this.seq));
    if (sum.error) sum.error = { ...sum.error, offset: sum.error.offset + start };
    return sum;
  }

  private finish(error: ReadSummary['error']): void {
    if (this.finished) return;
    this.finished = true;
    const s: ReadSummary = { info: this.info, packets: this.packets, error };
    if (this.cancelled) s.cancelled = true;
    this.resolve(s);
  }
}
