/**
 * Reading a capture that is still being written (tcpdump -w, our live capture): fed the bytes the
 * file gained since the last look, it hands on every complete record and keeps a record cut by
 * the current end of the file waiting, as the file's next bytes will complete it. Pure TypeScript.
 *
 *     const follow = new FollowReader(sink);
 *     follow.push(newBytes);            // as often as the file grows; records go to sink.onRecord
 *     follow.state;                     // 'waiting' (a record is being written) is not damage
 *     const error = follow.end();       // the file stopped growing: a waiting record is now 'truncated'
 *
 * It is not a second parser: the format is told from the magic (as src/node/captureFile.ts does)
 * and the bytes go to PcapParser or PcapngParser, which already carry a record cut between two
 * chunks (CarryBuffer); what they carry is exactly what the writer has not finished. What changes
 * is only the verdict: a reader of a whole file calls a carried record damage at once, a follower
 * calls it damage only once it is told the file will not grow any more (`end()`), which is
 * GrowthWatch's decision (below) or the capture process's exit.
 *
 * Damage before the end (a record claiming 300 KB, a block whose trailer disagrees) stops the
 * follower for good, as it stops the readers: growing cannot mend it.
 */
import { CarryBuffer } from './carry';
import { isPcapMagic, PcapParser } from './pcap';
import { PcapngParser } from './pcapng';
import type { CaptureError, CaptureInfo, CaptureSink } from './types';

const PCAPNG_MAGIC = 0x0a0d0d0a;

/** Where a followed capture stands after the bytes pushed so far. */
export type FollowState =
  /** Fewer bytes than the 4 of the magic number: nothing is known yet. */
  | { kind: 'empty' }
  /** Every byte pushed is in a delivered record (or the file header): the file ends between records. */
  | { kind: 'idle' }
  /** The file ends inside a header or a record that starts at `offset`, `have` bytes of it are in. */
  | { kind: 'waiting'; offset: number; have: number }
  /** Damage (or not a capture) stopped reading; growing will not mend it. */
  | { kind: 'damaged'; error: CaptureError }
  /** `end()` was called: `error` is null for a whole file, 'truncated' when a record was left waiting. */
  | { kind: 'ended'; error: CaptureError | null };

export class FollowReader {
  private parser: PcapParser | PcapngParser | null = null;
  /** The first bytes, until the 4 of the magic number are in. */
  private readonly head = new CarryBuffer();
  private _fed = 0;
  private failed: CaptureError | null = null;
  private ended = false;
  private endError: CaptureError | null = null;

  constructor(private readonly sink: CaptureSink) {}

  /** Bytes pushed so far: the offset in the file of the next byte to push. */
  get fed(): number {
    return this._fed;
  }
  get packets(): number {
    return this.parser?.packets ?? 0;
  }
  get info(): CaptureInfo | null {
    return this.parser?.info ?? null;
  }
  get format(): 'pcap' | 'pcapng' | null {
    return this.parser instanceof PcapngParser ? 'pcapng' : this.parser ? 'pcap' : null;
  }
  /** Bytes pushed but not yet part of a delivered record: the record being written. */
  get pending(): number {
    return this.parser ? this.parser.pending : this.head.length;
  }

  get state(): FollowState {
    if (this.ended) return { kind: 'ended', error: this.endError };
    const err = this.failed ?? this.parser?.error ?? null;
    if (err) return { kind: 'damaged', error: err };
    if (!this.parser) return { kind: 'empty' };
    const have = this.parser.pending;
    // pcap: the 24-byte file header is carried too (offset 0)
    if (have > 0 || this.parser.info === null) return { kind: 'waiting', offset: this._fed - have, have };
    return { kind: 'idle' };
  }

  /**
   * The bytes the file gained, in order (any size, a record may be cut anywhere). Records are
   * delivered during the call. Returns false once damage stopped reading (further bytes are ignored).
   */
  push(bytes: Uint8Array): boolean {
    if (this.ended || this.failed) return false;
    this._fed += bytes.length;
    if (this.parser) return this.parser.push(bytes);
    // Still telling the format: collect the first 4 bytes.
    const take = Math.min(4 - this.head.length, bytes.length);
    this.head.append(bytes, 0, take);
    if (this.head.length < 4) return true;
    const magic = this.head.view.getUint32(0, false);
    if (magic === PCAPNG_MAGIC) this.parser = new PcapngParser(this.sink);
    else if (isPcapMagic(magic)) this.parser = new PcapParser(this.sink);
    else {
      const hex = Array.from(this.head.bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      this.failed = {
        kind: 'not-a-capture',
        offset: 0,
        message:
          magic >>> 16 === 0x1f8b
            ? 'a gzip-compressed capture cannot be followed while it is written (open it once it is complete)'
            : `the file is not a pcap or pcapng capture (starts with ${hex})`,
      };
      return false;
    }
    // The magic goes to the parser with the rest: the parsers read the file from its first byte.
    if (!this.parser.push(this.head.bytes.subarray(0, 4))) return false;
    this.head.clear();
    return take < bytes.length ? this.parser.push(bytes.subarray(take)) : true;
  }

  /**
   * The file will not grow any more (the writer exited, or GrowthWatch says it settled): a record
   * left waiting is now reported as 'truncated'. Returns the error, or null for a whole file. Idempotent.
   */
  end(): CaptureError | null {
    if (this.ended) return this.endError;
    this.ended = true;
    if (this.failed) this.endError = this.failed;
    else if (this.parser) this.endError = this.parser.end();
    else {
      const n = this.head.length;
      this.endError = {
        kind: 'not-a-capture',
        offset: 0,
        message: n === 0 ? 'the file is empty: it is not a pcap or pcapng capture' : `the file is only ${n} byte${n === 1 ? '' : 's'} long: it is not a pcap or pcapng capture`,
      };
    }
    return this.endError;
  }
}

/**
 * Tells a file that is still being written from one that stopped: fed the file's size at times
 * the caller chooses (a watcher's event, a poll), it says whether the file grew, was replaced by
 * a shorter one (a rotating writer, `tcpdump -C`/`-W`: the follower must start again), or has
 * been quiet for `quietMs`. Time is passed in (ms), so the decision is pure and testable.
 */
export class GrowthWatch {
  private size = -1;
  private changedAt = 0;

  constructor(readonly quietMs: number) {}

  /** The size seen at time `now`. */
  observe(size: number, now: number): 'grew' | 'same' | 'shrank' {
    const before = this.size;
    this.size = size;
    if (before < 0 || size > before) {
      this.changedAt = now;
      return before < 0 && size === 0 ? 'same' : 'grew';
    }
    if (size < before) {
      this.changedAt = now;
      return 'shrank';
    }
    return 'same';
  }

  /** The last size seen (-1 before the first observation). */
  get lastSize(): number {
    return this.size;
  }

  /** True when the size has not changed for `quietMs` up to `now`. */
  settled(now: number): boolean {
    return this.size >= 0 && now - this.changedAt >= this.quietMs;
  }
}
