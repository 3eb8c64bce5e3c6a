/**
 * Decode-ahead: the capture editor's indexing pass split over two threads. A second worker thread
 * (the producer) reads the file and decodes every packet; the index's worker (the consumer) fills
 * the columns and runs the TCP engine. The producer hands each packet's PacketFacts
 * (src/worker/packetFacts.ts) over in a ring of fixed-size slots in a SharedArrayBuffer; two
 * counters say how far each side is, Atomics wake the side that waits.
 *
 * Why: on 10 M packets the pass took 10 s for a pcapng file on one thread, the goal is 8 s;
 * reading and decoding are about 40 % of the work, the engine and the columns the rest, and a
 * machine with two cores runs both at once. Memory stays flat: the ring holds SLOTS packets
 * (1.7 MB) whatever the file's size; a full ring makes the producer wait.
 *
 * The consumer side is a CaptureReading (as readCaptureFile returns): pause/resume/cancel and a
 * `done` summary that never rejects, so IndexRun drives both paths the same way. A producer that
 * fails (it cannot start, or it crashes) ends the reading with an 'io' error naming the cause;
 * what was indexed stays.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import type { CaptureError, CaptureInfo } from '../core/capture/types';
import { decodeFrame, DecodedPacket } from '../core/decode/index';
import { errorMessage } from '../core/errors';
import { readCaptureFile, type CaptureReading, type ReadSummary } from '../node/captureFile';
import type { GzipLimits } from '../node/gzipLimits';
import { PacketFacts, SLOT_WORDS } from './packetFacts';

/** Slots in the ring (a power of 2): 4096 × 432 bytes = 1.7 MB, about 3 ms of decoding ahead. */
const SLOTS = 4096;
/** The producer publishes its count every this many packets (and when it must wait, and at the end). */
const PUBLISH_EVERY = 128;
/** The consumer publishes its count every this many packets (the producer waits only when the ring is full). */
const RELEASE_EVERY = 512;

// ctrl words (Int32)
const C_WRITE = 0; // packets written by the producer (mod 2^31: compared as differences)
const C_READ = 1; // packets taken by the consumer
const C_GEN = 2; // bumped on every publish and at the end: what the consumer waits on
const C_DONE = 3; // 1 once the producer has written its last packet and posted its summary
const C_CANCEL = 4; // 1: stop reading
const CTRL_WORDS = 5;

/** Atomics.waitAsync (Node 16+; in TypeScript's lib from ES2024, after our ES2022 target). */
type WaitAsync = (a: Int32Array, index: number, value: number, timeoutMs?: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync: WaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

interface ProducerData {
  role: 'capture-lens-decode-ahead';
  file: string;
  ring: SharedArrayBuffer;
  ctrl: SharedArrayBuffer;
  chunkSize?: number;
  gzipLimits?: Partial<GzipLimits>;
}

type FromProducer = { type: 'info'; info: CaptureInfo } | { type: 'summary'; summary: ReadSummary };

export interface DecodeAheadSink {
  onInfo?(info: CaptureInfo): void;
  /** One packet's facts, valid during the call; `index` counts from 0. */
  onFacts(facts: PacketFacts, index: number): void;
}

export interface DecodeAheadOptions {
  /** The script that runs the producer: one that imports this module (it starts when it sees its workerData). */
  script: string;
  chunkSize?: number;
  gzipLimits?: Partial<GzipLimits>;
}

/** Read and decode `file` in a second thread; the sink sees each packet's facts in this one. */
export function readDecodedAhead(file: string, sink: DecodeAheadSink, opts: DecodeAheadOptions): CaptureReading {
  return new AheadReading(file, sink, opts);
}

class AheadReading implements CaptureReading {
  readonly done: Promise<ReadSummary>;
  private resolve!: (s: ReadSummary) => void;
  private readonly ring: Float64Array;
  private readonly bytes: Uint8Array;
  private readonly ctrl: Int32Array;
  private readonly facts = new PacketFacts();
  private readonly worker: Worker | null = null;
  private taken = 0;
  private paused = false;
  private cancelled = false;
  private running = false;
  private ended = false;
  private info: CaptureInfo | null = null;
  private summary: ReadSummary | null = null;
  private failure: string | null = null;

  constructor(
    file: string,
    private readonly sink: DecodeAheadSink,
    opts: DecodeAheadOptions,
  ) {
    this.done = new Promise((r) => (this.resolve = r));
    const ringBuf = new SharedArrayBuffer(SLOTS * SLOT_WORDS * 8);
    const ctrlBuf = new SharedArrayBuffer(CTRL_WORDS * 4);
    this.ring = new Float64Array(ringBuf);
    this.bytes = new Uint8Array(ringBuf);
    this.ctrl = new Int32Array(ctrlBuf);
    const data: ProducerData = { role: 'capture-lens-decode-ahead', file, ring: ringBuf, ctrl: ctrlBuf, chunkSize: opts.chunkSize, gzipLimits: opts.gzipLimits };
    try {
      this.worker = new Worker(opts.script, { workerData: data });
    } catch (e) {
      this.failure = `the decoding thread did not start: ${errorMessage(e)}`;
      queueMicrotask(() => this.finish());
      return;
    }
    this.worker.on('message', (m: FromProducer) => {
      if (m.type === 'info') {
        this.info = m.info;
        this.sink.onInfo?.(m.info);
      } else if (m.type === 'summary') {
        this.summary = m.summary;
        this.pump();
      }
    });
    this.worker.on('error', (e) => {
      this.failure = `the decoding thread failed: ${errorMessage(e)}`;
      this.pump();
    });
    this.worker.on('exit', () => {
      if (!this.summary && !this.failure) this.failure = 'the decoding thread stopped before the end of the file';
      this.pump();
    });
    this.pump();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    Atomics.store(this.ctrl, C_CANCEL, 1);
    Atomics.notify(this.ctrl, C_READ);
    this.pump();
  }

  /** Deliver what the producer has written, then wait for more; one loop at a time. */
  private pump(): void {
    if (this.running || this.ended) return;
    this.running = true;
    void this.loop().finally(() => {
      this.running = false;
    });
  }

  private async loop(): Promise<void> {
    const ctrl = this.ctrl;
    for (;;) {
      if (this.ended) return;
      if (this.cancelled || this.failure !== null) {
        // nothing is delivered after cancel(); end once the producer has said its last word
        if (this.failure !== null || this.summary !== null) this.finish();
        else await this.waitGen(Atomics.load(ctrl, C_GEN), 50);
        if (this.ended) return;
        continue;
      }
      if (this.paused) return;
      const gen = Atomics.load(ctrl, C_GEN);
      const written = Atomics.load(ctrl, C_WRITE);
      if (written !== this.taken) {
        this.deliver(written);
        continue;
      }
      if (Atomics.load(ctrl, C_DONE) === 1 && this.summary !== null) {
        this.finish();
        return;
      }
      // wait for the producer (or, once it is done, for its summary message: a turn of the event loop)
      await this.waitGen(gen, Atomics.load(ctrl, C_DONE) === 1 ? 5 : 200);
    }
  }

  private deliver(written: number): void {
    const { ring, bytes, ctrl, facts, sink } = this;
    let n = 0;
    while (this.taken !== written && !this.paused && !this.cancelled) {
      const index = this.taken;
      facts.readSlot(ring, bytes, index & (SLOTS - 1), index);
      this.taken = (index + 1) | 0;
      try {
        sink.onFacts(facts, index);
      } catch (e) {
        this.failure = `reading stopped: the record handler threw: ${errorMessage(e)}`;
        this.cancel();
        break;
      }
      if (++n === RELEASE_EVERY) {
        n = 0;
        Atomics.store(ctrl, C_READ, this.taken);
        Atomics.notify(ctrl, C_READ);
      }
    }
    Atomics.store(ctrl, C_READ, this.taken);
    Atomics.notify(ctrl, C_READ);
  }

  private async waitGen(gen: number, ms: number): Promise<void> {
    const r = waitAsync(this.ctrl, C_GEN, gen, ms);
    if (r.async) await r.value;
    // a turn of the event loop either way, so that messages (the summary) are received
    else await new Promise<void>((res) => setImmediate(res));
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    const s = this.summary;
    let summary: ReadSummary;
    if (this.failure !== null) {
      const error: CaptureError = { kind: 'io', offset: 0, message: this.failure };
      summary = { info: s?.info ?? this.info, packets: this.taken, error: s?.error ?? error, cancelled: this.cancelled && this.failure === null };
    } else if (s !== null) {
      summary = { ...s, packets: this.taken, cancelled: this.cancelled || s.cancelled };
    } else {
      summary = { info: this.info, packets: this.taken, error: null, cancelled: true };
    }
    void this.worker?.terminate();
    this.resolve(summary);
  }
}

// -------------------------------------------------------------------------------------------------
// The producer (runs in its own worker thread)

function produce(d: ProducerData): void {
  const ring = new Float64Array(d.ring);
  const bytes = new Uint8Array(d.ring);
  const ctrl = new Int32Array(d.ctrl);
  const post = (m: FromProducer) => parentPort!.postMessage(m);
  const pkt = new DecodedPacket();
  const facts = new PacketFacts();
  let written = 0;
  let stop = false;
  const publish = () => {
    Atomics.store(ctrl, C_WRITE, written);
    Atomics.add(ctrl, C_GEN, 1);
    Atomics.notify(ctrl, C_GEN);
  };
  const reading = readCaptureFile(
    d.file,
    {
      onInfo: (info) => post({ type: 'info', info }),
      onRecord: (rec) => {
        if (stop) return;
        // room in the ring? (the consumer releases slots as it goes; waiting here blocks only this thread)
        for (;;) {
          if (Atomics.load(ctrl, C_CANCEL) === 1) {
            stop = true;
            reading.cancel();
            return;
          }
          const taken = Atomics.load(ctrl, C_READ);
          if (((written - taken) | 0) < SLOTS) break;
          publish();
          Atomics.wait(ctrl, C_READ, taken, 100);
        }
        decodeFrame(pkt, rec.data, rec.origLen, rec.linkType);
        facts.fromPacket(rec, pkt);
        facts.writeSlot(ring, bytes, written & (SLOTS - 1));
        written = (written + 1) | 0;
        if (written % PUBLISH_EVERY === 0) publish();
      },
    },
    { chunkSize: d.chunkSize, gzipLimits: d.gzipLimits },
  );
  void reading.done.then((summary) => {
    publish();
    // `thrown` may not survive structured cloning; its message is in `error`
    const { thrown: _thrown, ...plain } = summary;
    post({ type: 'summary', summary: plain });
    Atomics.store(ctrl, C_DONE, 1);
    publish();
  });
}

if (!isMainThread && (workerData as ProducerData | null)?.role === 'capture-lens-decode-ahead') produce(workerData as ProducerData);

/** True when this thread is a decode-ahead producer (worker.ts then starts no index protocol). */
export function isDecodeAheadThread(): boolean {
  return !isMainThread && (workerData as ProducerData | null)?.role === 'capture-lens-decode-ahead';
}
