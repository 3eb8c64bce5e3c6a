/**
 * Find in the capture (issue 17) and next/previous problem (F8), run by the decoding worker over the
 * packets of a view in the order the list shows them: from the packet after the selected one (before
 * it, going backwards) to the end, then round from the other end (`visitOrder`,
 * src/core/find/query.ts). Bytes are read synchronously through the index's 1 MiB read-ahead
 * (CaptureIndex.frameInto), Info texts a batch at a time like rows.
 *
 * The worker never blocks on a search: it looks at BATCH packets, and after SLICE_MS of work yields
 * a turn of the event loop so that rows, details and a cancel are answered meanwhile. One search at
 * a time: a new one, or `cancel`, ends the one under way (it answers `cancelled`). Progress is
 * reported about every PROGRESS_MS.
 */
import type { FrameRef } from '../core/filter/eval';
import { visitOrder, type FindQuery } from '../core/find/query';
import type { FindResult } from './api';
import type { CaptureIndex } from './captureIndex';
import { compileFind } from './findMatcher';

/**
 * Packets looked at between two looks at the clock: 256 Info texts take ~2–5 ms to build, 256 frames
 * of 1,500 bytes well under 1 ms to search.
 */
const BATCH = 256;
/** Work before a turn of the event loop: 40 ms keeps the worker's other answers under a frame or two. */
const SLICE_MS = 40;
/** Between two progress reports (the status line shows them). */
const PROGRESS_MS = 100;

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What to look for: a query, or the next packet the list marks as a problem. */
export type FindTarget = { kind: 'query'; query: FindQuery } | { kind: 'problem' };

export interface FindOptions {
  /** The view searched (0: every packet) and the selected position in it (-1: none). */
  view: number;
  from: number;
  backwards: boolean;
  /** The Info wording the list shows (an Info search reads that one). */
  infoStyle: 'tcpdump' | 'wireshark';
}

export class FindService {
  /** Bumped by every search and every cancel: a search whose number is no longer current stops. */
  private generation = 0;

  constructor(
    private readonly idx: CaptureIndex,
    private readonly tuning: { batch?: number; sliceMs?: number; progressMs?: number } = {},
  ) {}

  /** Ends the search under way, if any (it answers `cancelled`). */
  cancel(): void {
    this.generation++;
  }

  async find(
    target: FindTarget,
    o: FindOptions,
    onProgress?: (searched: number, total: number) => void,
  ): Promise<FindResult> {
    const gen = ++this.generation;
    const idx = this.idx;
    let test: (indices: number[]) => number | Promise<number>;
    if (target.kind === 'problem') {
      test = (indices) => indices.findIndex((i) => idx.isProblemPacket(i));
    } else {
      const c = compileFind(target.query);
      if (!c.ok) return { status: 'invalid', problem: c.problem };
      const m = c.matcher;
      if (m.scope === 'bytes') {
        const ref: FrameRef = { data: new Uint8Array(0), origLen: 0, linkType: 1 };
        test = (indices) => indices.findIndex((i) => idx.frameInto(i, ref) && m.bytes(ref.data));
      } else {
        test = async (indices) => (await idx.infoTexts(indices, o.infoStyle)).findIndex((s) => m.text(s));
      }
    }
    const total = idx.viewCount(o.view);
    const order = visitOrder(total, o.from, o.backwards);
    const batch = this.tuning.batch ?? BATCH;
    const sliceMs = this.tuning.sliceMs ?? SLICE_MS;
    const progressMs = this.tuning.progressMs ?? PROGRESS_MS;
    let k = 0;
    let sliceStart = Date.now();
    let reported = sliceStart;
    while (k < total) {
      const first = order.at(k);
      // a run of positions that does not cross the wrap
      const len = Math.min(batch, total - k, o.backwards ? first.pos + 1 : total - first.pos);
      const lo = o.backwards ? first.pos - len + 1 : first.pos;
      const indices = idx.viewIndices(lo, len, o.view);
      if (indices.length === 0) break;
      if (o.backwards) indices.reverse();
      const hit = await test(indices);
      if (gen !== this.generation) return { status: 'cancelled', searched: k };
      if (hit >= 0) {
        const position = o.backwards ? first.pos - hit : first.pos + hit;
        return { status: 'found', position, index: indices[hit], wrapped: first.wrapped, searched: k + hit + 1 };
      }
      k += indices.length;
      const now = Date.now();
      if (onProgress && now - reported >= progressMs) {
        reported = now;
        onProgress(k, total);
      }
      if (now - sliceStart >= sliceMs) {
        await yieldTurn();
        if (gen !== this.generation) return { status: 'cancelled', searched: k };
        sliceStart = Date.now();
      }
    }
    return { status: 'notFound', searched: k };
  }
}
