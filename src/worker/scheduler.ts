/**
 * The decoding worker's scheduling (issue 16): indexing runs in time-bounded slices, and the
 * editor's requests — rows (a scroll) and details (a selection) — come before it.
 *
 * The worker has one thread. Indexing (src/worker/indexRun.ts) delivers records synchronously, so a
 * request that arrives meanwhile waits for the slice in progress to end; and a request that awaits
 * file reads (rows and details are decoded again from positional reads) gave the thread back to
 * indexing at every await, so it waited for one more slice per read. With slices of 15 ms, following
 * 50,000 packets/s, the last 256 rows took 7.5 ms median but 28.6 ms at the 95th percentile
 * (scripts/bench-follow.ts --issue); one frame is 16.7 ms. Now:
 *
 * - a slice ends after SLICE_MS (4 ms: a queued request then waits at most about that, plus the rest
 *   of the reader's 64 KiB piece in progress, well inside a frame with the request's own ~7 ms);
 * - between slices the worker takes one turn of the event loop, which dispatches the messages that
 *   arrived (Node runs a MessagePort's messages in the poll phase, before setImmediate's callbacks);
 * - a request run through `urgent()` holds indexing at its next slice boundary until it has replied,
 *   so its reads and decoding are not interleaved with indexing slices. A hold lasts at most
 *   MAX_HOLD_MS, so a request that waits on indexing (none should) cannot stop it for good.
 *
 * Throughput is kept: a turn of the event loop costs microseconds against 4 ms of indexing, and a
 * hold is only as long as one request's work (rows every 100 ms while scrolling: ~7 % of a core).
 */

/** Longest stretch of indexing before the worker looks at its messages (ms). */
export const SLICE_MS = 4;
/** Longest an urgent request holds indexing (ms); it is answered well before (a page of rows: ~7 ms). */
export const MAX_HOLD_MS = 250;

/** One turn of the event loop: setImmediate in Node; in a browser's Web Worker a message to itself (setTimeout(0) waits 4 ms once nested). */
export const nextTurn: (f: () => void) => void =
  typeof setImmediate === 'function'
    ? (f) => void setImmediate(f)
    : (f) => {
        const c = new MessageChannel();
        c.port1.onmessage = () => {
          c.port1.close();
          f();
        };
        c.port2.postMessage(0);
      };

export class Scheduler {
  /** Urgent requests not yet answered. */
  private held = 0;
  /** Indexing runs waiting for the urgent requests to end. */
  private waiting: (() => void)[] = [];

  constructor(
    /** Longest indexing slice (ms); tests lower it. */
    readonly sliceMs = SLICE_MS,
    private readonly maxHoldMs = MAX_HOLD_MS,
  ) {}

  /** True while an urgent request is being answered (indexing waits at its next slice boundary). */
  get holding(): boolean {
    return this.held > 0;
  }

  /** Runs an editor request that must not wait for indexing: indexing stays paused until it settles. */
  async urgent<T>(work: () => T | Promise<T>): Promise<T> {
    this.held++;
    try {
      return await work();
    } finally {
      if (--this.held === 0) this.release();
    }
  }

  /**
   * Between two slices of indexing: one turn of the event loop (the messages that arrived are
   * dispatched, an urgent request among them takes its hold), then as long as urgent requests hold.
   */
  between(resume: () => void): void {
    nextTurn(() => {
      if (this.held === 0) {
        resume();
        return;
      }
      let done = false;
      const go = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resume();
      };
      const timer = setTimeout(go, this.maxHoldMs);
      this.waiting.push(go);
    });
  }

  /**
   * The last urgent request settled: indexing goes on after a turn, not at once — the request's reply
   * is posted in a microtask after it settles, and a reader resumed now would run a slice before it.
   */
  private release(): void {
    nextTurn(() => {
      if (this.held > 0) return; // another request took the hold meanwhile
      const w = this.waiting;
      this.waiting = [];
      for (const go of w) go();
    });
  }
}
