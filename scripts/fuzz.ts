/**
 * npm run fuzz — random-mutation fuzzing of the readers, decoders, printer, TCP engine, flow graph,
 * the capture editor's index, the tcpdump text parser and the log model (scripts/fuzz/targets.ts).
 *
 *   npm run fuzz                                   every target, about 60 s in all, seed 1
 *   npm run fuzz -- --seconds 300 --seed 7         longer, other inputs
 *   npm run fuzz -- --target print,text            some targets only (--list names them)
 *   npm run fuzz -- --inputs 500                   a fixed number of inputs per target (no clock)
 *   npm run fuzz -- --replay .fuzz/crashes/F.bin   run one saved input again (target from its name, or --target)
 *
 * Inputs are seeds (scripts/fuzz/seeds.ts) with stacked mutations (scripts/fuzz/engine.ts); the
 * same --seed gives the same inputs. Each target runs in a worker thread with a heap limit
 * (--heap-mb, 512) under a watchdog: an input running longer than --input-ms (3,000) is a hang,
 * the worker is terminated and the input reported; so is an input that runs the worker out of heap,
 * or the process's memory (typed arrays included: resident set) beyond --rss-mb (1,536). Oracles:
 * no exception escapes, no NaN/Infinity/`undefined` in any text or number produced, readers agree
 * with themselves whatever the chunking. One input per distinct failure is saved in .fuzz/crashes/
 * (git-ignored) with a .txt beside it. Exit status 1 when something was found.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

import { failureOf, hashString, inputStream, mutate, poolOf, runInput, signatureOf, type Failure, type FailureKind, type Target } from './fuzz/engine';
import { setTempDir, targetByName, TARGETS } from './fuzz/targets';

const CRASH_DIR = path.join('.fuzz', 'crashes');

interface Options {
  seed: number;
  seconds: number;
  inputs: number;
  targets: Target[];
  inputMs: number;
  heapMb: number;
  rssMb: number;
  replay?: string;
}

const USAGE = `usage: npm run fuzz -- [--seconds N] [--seed N] [--target a,b] [--inputs N] [--input-ms N] [--heap-mb N] [--rss-mb N] [--replay FILE] [--list]`;

function parseArgs(argv: string[]): Options {
  const o: Options = { seed: 1, seconds: 60, inputs: 0, targets: TARGETS, inputMs: 3000, heapMb: 512, rssMb: 1536 };
  let named: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--seed') o.seed = num() >>> 0;
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--inputs') o.inputs = Math.floor(num());
    else if (a === '--input-ms') o.inputMs = num();
    else if (a === '--heap-mb') o.heapMb = num();
    else if (a === '--rss-mb') o.rssMb = num();
    else if (a === '--target') named = argv[++i];
    else if (a === '--replay') o.replay = argv[++i];
    else if (a === '--list') {
      for (const t of TARGETS) console.log(`${t.name.padEnd(8)} ${t.input.padEnd(8)} ${t.what}`);
      process.exit(0);
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (named) {
    o.targets = named.split(',').map((n) => {
      const t = targetByName(n.trim());
      if (!t) throw new Error(`no target "${n}" (targets: ${TARGETS.map((x) => x.name).join(', ')})`);
      return t;
    });
  }
  if (o.replay && !named) {
    const t = targetByName(path.basename(o.replay).split('-')[0]);
    if (!t) throw new Error(`cannot tell the target from the name ${o.replay}: add --target`);
    o.targets = [t];
  }
  return o;
}

// -------------------------------------------------------------------------------------------------
// Worker side: runs the inputs of a batch one by one, saying in shared memory which one runs since when.

interface BatchMessage {
  batch: number;
  target: string;
  inputs: Uint8Array[];
  from: number;
}

type FromWorker = { type: 'failure'; batch: number; i: number; failure: Failure } | { type: 'done'; batch: number };

function workerMain(): void {
  const now = new Float64Array(workerData.shared as SharedArrayBuffer);
  setTempDir(workerData.tmp as string);
  let batch = -1;
  let target: Target | undefined;
  // an exception thrown later by what an input started (a timer, a promise nobody awaits) belongs to
  // the input that started last: report it, and keep the worker
  const late = (err: unknown): void => {
    const f = failureOf(target?.name ?? '?', err);
    const failure: Failure = { ...f, kind: 'crash', message: 'Uncaught (after the target returned): ' + f.message, signature: signatureOf(f.target, 'crash', 'Uncaught: ' + f.message, f.stack) };
    parentPort!.postMessage({ type: 'failure', batch, i: now[0], failure } satisfies FromWorker);
  };
  process.on('uncaughtException', late);
  process.on('unhandledRejection', late);
  parentPort!.on('message', async (m: BatchMessage) => {
    batch = m.batch;
    target = targetByName(m.target)!;
    for (let i = m.from; i < m.inputs.length; i++) {
      now[0] = i;
      now[1] = Date.now();
      const f = await runInput(target, m.inputs[i]);
      now[1] = 0;
      if (f) parentPort!.postMessage({ type: 'failure', batch: m.batch, i, failure: f } satisfies FromWorker);
    }
    parentPort!.postMessage({ type: 'done', batch: m.batch } satisfies FromWorker);
  });
}

// -------------------------------------------------------------------------------------------------
// Main side: a watched worker

type Found = (i: number, f: Failure) => void;
type Stop = { i: number; kind: FailureKind; message: string; stack?: string };

/**
 * One worker at a time, with a heap limit, watched every 25 ms: an input running longer than
 * --input-ms, or the process's resident memory beyond --rss-mb, stops it; so does its death (out of
 * heap). The input it was on is reported and the batch goes on in a fresh worker after it.
 */
class Watched {
  private worker: Worker | null = null;
  private readonly shared = new SharedArrayBuffer(16);
  private readonly now = new Float64Array(this.shared);
  /** The workers' temporary files (the index target's captures): removed by close(), even after a hang. */
  private readonly tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-fuzz-'));
  private batchId = 0;
  /** Reporters of the current and the previous batch (a late failure may arrive after its batch's end). */
  private readonly reporters = new Map<number, Found>();
  /** Settles the batch running now. */
  private settle: ((stop: Stop | null) => void) | null = null;

  constructor(private readonly o: Options) {}

  private spawn(): Worker {
    this.now[0] = 0;
    this.now[1] = 0;
    const w = new Worker(__filename, { workerData: { shared: this.shared, tmp: this.tmp }, resourceLimits: { maxOldGenerationSizeMb: this.o.heapMb } });
    w.unref();
    // listeners for the worker's whole life: an error with no listener would end the fuzzer
    w.on('message', (m: FromWorker) => {
      if (w !== this.worker) return;
      if (m.type === 'failure') this.reporters.get(m.batch)?.(m.i, m.failure);
      else if (m.batch === this.batchId) this.settle?.(null);
    });
    w.on('error', (err: Error & { code?: string }) => {
      if (w !== this.worker) return;
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const i = this.now[0];
      this.settle?.({ i, kind: oom ? 'memory' : 'crash', message: oom ? `Memory: the worker ran out of its ${this.o.heapMb} MB heap` : `Crash: ${String(err.message).split('\n')[0]}`, stack: err.stack });
      this.worker = null;
    });
    w.on('exit', (code) => {
      if (w !== this.worker) return;
      this.settle?.({ i: this.now[0], kind: 'crash', message: `Crash: the worker exited (code ${code})` });
      this.worker = null;
    });
    return w;
  }

  /** Run a batch; calls `found` for each failing input (a hang, a memory blow-up or a crash included). */
  async run(target: Target, inputs: Uint8Array[], found: Found): Promise<void> {
    let from = 0;
    while (from < inputs.length) {
      const w = (this.worker ??= this.spawn());
      const id = ++this.batchId;
      this.reporters.set(id, found);
      this.reporters.delete(id - 2);
      const stop = await new Promise<Stop | null>((resolve) => {
        const timer = setInterval(() => {
          const started = this.now[1];
          const rss = process.memoryUsage.rss() / 1048576;
          const i = Math.max(from, this.now[0]);
          if (started > 0 && Date.now() - started > this.o.inputMs) this.settle?.({ i, kind: 'hang', message: `Hang: still running after ${this.o.inputMs} ms` });
          else if (rss > this.o.rssMb) this.settle?.({ i, kind: 'memory', message: `Memory: the process reached ${Math.round(rss)} MB (ceiling ${this.o.rssMb} MB)` });
        }, 25);
        this.settle = (v) => {
          this.settle = null;
          clearInterval(timer);
          resolve(v);
        };
        w.postMessage({ batch: id, target: target.name, inputs, from } satisfies BatchMessage);
      });
      if (stop === null) return;
      // the worker is stuck or dead: drop it, report the input it was on, go on after it
      if (this.worker === w) this.worker = null;
      await w.terminate().catch(() => undefined);
      found(stop.i, { target: target.name, kind: stop.kind, message: stop.message, stack: stop.stack, signature: signatureOf(target.name, stop.kind, stop.message, stop.stack) });
      from = stop.i + 1;
    }
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate().catch(() => undefined);
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

// -------------------------------------------------------------------------------------------------
// Saving and replaying

function save(f: Failure, input: Uint8Array, o: Options): string {
  fs.mkdirSync(CRASH_DIR, { recursive: true });
  const base = path.join(CRASH_DIR, `${f.target}-${f.kind}-${hashString(f.signature).toString(16).padStart(8, '0')}`);
  // a defect found again keeps the input saved first (a replay command written down stays valid)
  if (fs.existsSync(base + '.bin')) return base + '.bin';
  fs.writeFileSync(base + '.bin', input);
  const about = [
    `target:    ${f.target}`,
    `kind:      ${f.kind}`,
    `message:   ${f.message}`,
    `signature: ${f.signature}`,
    `found by:  npm run fuzz -- --seed ${o.seed} --target ${f.target}`,
    `replay:    npm run fuzz -- --replay ${base}.bin`,
    '',
    f.stack ?? '',
  ];
  fs.writeFileSync(base + '.txt', about.join('\n') + '\n');
  return base + '.bin';
}

async function replay(o: Options): Promise<number> {
  const input = new Uint8Array(fs.readFileSync(o.replay!));
  const target = o.targets[0];
  const w = new Watched(o);
  const found: Failure[] = [];
  const t0 = Date.now();
  await w.run(target, [input], (_i, f) => found.push(f));
  // what the input left behind (a timer, a promise) may still throw
  await new Promise((r) => setTimeout(r, 200));
  await w.close();
  console.log(`replayed ${o.replay} (${input.length} bytes) through ${target.name} in ${Date.now() - t0} ms`);
  if (found.length === 0) {
    console.log('no failure');
    return 0;
  }
  for (const f of found) console.log(`${f.kind}: ${f.message}\n${f.stack ?? ''}`);
  return 1;
}

// -------------------------------------------------------------------------------------------------

interface Row {
  target: Target;
  inputs: number;
  ms: number;
  found: Map<string, { failure: Failure; file: string; count: number }>;
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  if (o.replay) return replay(o);
  const { loadSeeds } = await import('./fuzz/seeds');
  const seeds = loadSeeds();
  const perTarget = o.seconds / o.targets.length;
  console.log(`fuzz: seed ${o.seed}, ${o.inputs ? `${o.inputs} inputs` : `${o.seconds} s`} over ${o.targets.length} targets, ${o.inputMs} ms an input, heap ${o.heapMb} MB; seeds: ${seeds.origin}`);
  const rows: Row[] = [];
  const w = new Watched(o);
  for (const target of o.targets) {
    const pool = poolOf(seeds, target);
    const rng = inputStream(o.seed, target.name);
    const row: Row = { target, inputs: 0, ms: 0, found: new Map() };
    rows.push(row);
    const t0 = Date.now();
    let batch = 8;
    while (o.inputs ? row.inputs < o.inputs : Date.now() - t0 < perTarget * 1000) {
      const n = o.inputs ? Math.min(batch, o.inputs - row.inputs) : batch;
      const inputs = Array.from({ length: n }, () => mutate(rng, pool, target.input));
      const b0 = Date.now();
      await w.run(target, inputs, (i, f) => {
        const seen = row.found.get(f.signature);
        if (seen) seen.count++;
        else {
          const file = save(f, inputs[i], o);
          row.found.set(f.signature, { failure: f, file, count: 1 });
          console.log(`  [${target.name}] ${f.kind}: ${f.message.slice(0, 200)}  → ${file}`);
        }
      });
      row.inputs += n;
      // batches of about half a second: the clock is checked often, messages stay few
      const took = Date.now() - b0;
      batch = Math.max(1, Math.min(500, Math.round(took < 250 ? batch * 2 : took > 1000 ? batch / 2 : batch)));
    }
    row.ms = Date.now() - t0;
  }
  await w.close();

  console.log('');
  console.log(`${'target'.padEnd(8)} ${'inputs'.padStart(8)} ${'inputs/s'.padStart(9)} ${'failures'.padStart(8)}  what`);
  let total = 0;
  let distinct = 0;
  for (const r of rows) {
    total += r.inputs;
    distinct += r.found.size;
    const failing = [...r.found.values()].reduce((s, f) => s + f.count, 0);
    console.log(`${r.target.name.padEnd(8)} ${String(r.inputs).padStart(8)} ${(r.inputs / Math.max(0.001, r.ms / 1000)).toFixed(1).padStart(9)} ${String(r.found.size).padStart(8)}  ${r.target.what}${failing ? ` (${failing} failing inputs)` : ''}`);
  }
  console.log(`${'total'.padEnd(8)} ${String(total).padStart(8)} ${''.padStart(9)} ${String(distinct).padStart(8)}`);
  if (distinct === 0) {
    console.log('\nno failure found');
    return 0;
  }
  console.log(`\n${distinct} distinct failure${distinct === 1 ? '' : 's'} (one input each in ${CRASH_DIR}/, details in the .txt beside it):`);
  for (const r of rows) for (const { failure, file } of r.found.values()) console.log(`  ${file}  ${failure.kind}: ${failure.message.slice(0, 160)}`);
  const first = [...rows.flatMap((r) => [...r.found.values()])][0];
  console.log(`\nreplay one: npm run fuzz -- --replay ${first.file}`);
  return 1;
}

if (!isMainThread && workerData && (workerData as { shared?: unknown }).shared) workerMain();
else if (require.main === module)
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`fuzz: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    },
  );
