/**
 * Running tcpdump for a live capture (issue 16): the interface list (`tcpdump -D`), the filter
 * check (`tcpdump -d`, which compiles the filter and prints BPF instead of capturing), the argument
 * vector of a capture, and what tcpdump's complaints mean. Always spawned with an argument vector,
 * never through a shell: a filter such as `port 80; rm -rf ~` is one argument tcpdump rejects.
 *
 * The words for people live in the extension (src/extension/capture/liveErrors.ts, English and
 * Chinese); here a failure is data: its kind and tcpdump's own message.
 */
import { spawn } from 'node:child_process';

export interface TcpdumpInterface {
  /** The number `tcpdump -D` gives (tcpdump -i accepts it too). */
  index: number;
  name: string;
  description?: string;
  /** The bracketed flags: Up, Running, Loopback, Wireless, Connected, none… */
  flags: string[];
}

/**
 * What went wrong: tcpdump is not installed; it may not capture (not root, no capability); the
 * interface does not exist (any more) or is down; the filter does not compile; anything else.
 */
export type TcpdumpFailureKind = 'missing' | 'permission' | 'interface' | 'filter' | 'other';

export interface TcpdumpFailure {
  kind: TcpdumpFailureKind;
  /** tcpdump's own words (its stderr, trimmed), or the system's for a failed start. */
  message: string;
}

/** Most bytes of tcpdump's stderr kept (its messages are a few lines; a flood must not grow memory). */
const STDERR_MAX = 16 * 1024;

/** Reads `tcpdump -D` output: "3.lo [Up, Running, Loopback]", "2.any (Pseudo-device …) [Up, Running]". */
export function parseInterfaces(text: string): TcpdumpInterface[] {
  const out: TcpdumpInterface[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const dot = line.indexOf('.');
    if (dot <= 0) continue;
    const index = Number(line.slice(0, dot));
    if (!Number.isInteger(index)) continue;
    let rest = line.slice(dot + 1);
    let flags: string[] = [];
    if (rest.endsWith(']')) {
      const open = rest.lastIndexOf(' [');
      if (open >= 0) {
        flags = rest
          .slice(open + 2, -1)
          .split(',')
          .map((f) => f.trim())
          .filter((f) => f !== '');
        rest = rest.slice(0, open);
      }
    }
    let description: string | undefined;
    const paren = rest.indexOf(' (');
    if (paren >= 0 && rest.endsWith(')')) {
      description = rest.slice(paren + 2, -1);
      rest = rest.slice(0, paren);
    }
    if (rest === '') continue;
    const itf: TcpdumpInterface = { index, name: rest, flags };
    if (description !== undefined) itf.description = description;
    out.push(itf);
  }
  return out;
}

/**
 * What tcpdump's stderr (or a failed spawn's error code) means. Plain substring tests, in the
 * order that matters: libpcap says "permission" and "no such device" in several wordings.
 */
export function classifyFailure(stderr: string, spawnCode?: string, program = 'tcpdump'): TcpdumpFailure {
  if (spawnCode === 'ENOENT') return { kind: 'missing', message: `${program}: no such program` };
  const message = cleanStderr(stderr);
  const low = message.toLowerCase();
  if (spawnCode === 'EACCES') return { kind: 'missing', message: `${program}: not executable` };
  if (low.includes("don't have permission") || low.includes('operation not permitted') || low.includes('permission denied') || low.includes('socket: operation not permitted')) {
    return { kind: 'permission', message };
  }
  if (low.includes('no such device') || low.includes("doesn't exist") || low.includes('is not up') || low.includes('network is down') || low.includes('no suitable device')) {
    return { kind: 'interface', message };
  }
  if (low.includes('filter expression') || low.includes('syntax error') || low.includes('illegal token') || low.includes('unknown host') || low.includes('unknown port') || low.includes('illegal qualifier')) {
    return { kind: 'filter', message };
  }
  return { kind: 'other', message };
}

/** tcpdump's stderr without its chatter (listening…, packet counts), at most a few lines. */
export function cleanStderr(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('listening on') && !l.startsWith('tcpdump: listening on') && !/^\d+ packets? /.test(l))
    .slice(0, 6)
    .join('\n');
}

export interface CaptureOptions {
  /** Interface name (or tcpdump -D number). */
  iface: string;
  /** BPF capture filter ('' = every packet). */
  filter: string;
  /** Snap length in bytes (0 = tcpdump's default, 262144). */
  snaplen: number;
  /** Stop after this many packets (0 = no limit). */
  packetLimit: number;
}

/** Files in a capture ring ("keep the last N MB"): see ringFileSize. */
export const RING_FILES = 8;

/** The smallest MB limit for a snap length: RING_FILES files of at least 1 MB (tcpdump's -C unit) and a whole record over each (11 MB for 262,144). */
export function ringMinMB(snaplen: number): number {
  return Math.ceil((RING_FILES * (1e6 + 16 + (snaplen > 0 ? snaplen : 262144))) / 1e6);
}

/** A ring of files for tcpdump: -C `size` (millions of bytes) -W `files`. */
export interface RingFiles {
  size: number;
  files: number;
}

/**
 * -C and -W for "keep at most `mb` MB (1,000,000 bytes) on disk", or null below ringMinMB.
 *
 * tcpdump checks the size before writing each packet and starts the next file once the current one
 * is LARGER than -C (checked with 4.99.3: -C 1 gave files of 1,001,064 bytes), so a file can exceed
 * -C by one record (16 + snap length bytes). Eight files: the editor drops a file's packets two
 * files before the ring overwrites it and then keeps at least half of the files (src/worker/liveIndex.ts,
 * fileRingCut), so with 8 it shows between 4 and 7 of them, between about half and 7/8 of the N MB
 * (fewer files would keep less than half; more would only make each file smaller). -C takes whole
 * millions of bytes in 4.99.3 (no k/m suffix), so each file is at least 1 MB: with the default snap
 * length of 262,144 bytes, 8 × (1 MB + 0.26 MB) needs 11 MB.
 */
export function ringFileSize(mb: number, snaplen: number): RingFiles | null {
  const over = 16 + (snaplen > 0 ? snaplen : 262144);
  const size = Math.floor((mb * 1e6) / RING_FILES - over) / 1e6;
  return size >= 1 ? { size: Math.floor(size), files: RING_FILES } : null;
}

/**
 * The argument vector of `tcpdump -U -w FILE …` (-U: every packet is flushed as it comes, for follow
 * mode). With `ring`: -C/-W (tcpdump writes FILE0 … FILE{W−1}, src/node/followRing.ts) and -Z `user`:
 * tcpdump run as root drops to its own user before opening the files after the first of -C (to
 * "tcpdump" on Debian), who may not write in our private folder; -Z with the user that runs us keeps
 * it (tried with 4.99.3 as root: without it, "FILE0: Permission denied"); tcpdump.c drops privileges
 * only when it runs as root, so -Z changes nothing otherwise.
 */
export function captureArgs(file: string, o: CaptureOptions, ring?: RingFiles, user?: string): string[] {
  const args = ['-U', '-w', file, '-i', o.iface];
  if (ring) args.push('-C', String(ring.size), '-W', String(ring.files));
  if (ring && user) args.push('-Z', user);
  if (o.snaplen > 0) args.push('-s', String(o.snaplen));
  if (o.packetLimit > 0) args.push('-c', String(o.packetLimit));
  args.push('--');
  if (o.filter.trim() !== '') args.push(o.filter);
  return args;
}

/** The argument vector of `tcpdump -l -n …` (line-buffered text for a tcpdump document). */
export function textArgs(o: CaptureOptions): string[] {
  const args = ['-l', '-n', '-i', o.iface];
  if (o.snaplen > 0) args.push('-s', String(o.snaplen));
  if (o.packetLimit > 0) args.push('-c', String(o.packetLimit));
  args.push('--');
  if (o.filter.trim() !== '') args.push(o.filter);
  return args;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The spawn's error code (ENOENT: not installed) when it could not start. */
  spawnError?: string;
}

/** Run tcpdump to completion (for -D and -d), its output bounded; killed after `timeoutMs`. */
export function runTcpdump(tcpdump: string, args: string[], timeoutMs = 10000): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (r: RunResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(tcpdump, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      if (stdout.length < 1024 * 1024) stdout += b.toString('utf8');
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < STDERR_MAX) stderr += b.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, stdout, stderr, spawnError: e.code ?? 'ERROR' }));
    child.on('close', (code) => finish({ code, stdout, stderr }));
  });
}

/** The interfaces tcpdump can capture on, or why it cannot say. */
export async function listInterfaces(tcpdump: string): Promise<TcpdumpInterface[] | TcpdumpFailure> {
  const r = await runTcpdump(tcpdump, ['-D']);
  if (r.spawnError || r.code !== 0) return classifyFailure(r.stderr, r.spawnError, tcpdump);
  return parseInterfaces(r.stdout);
}

/**
 * Compile `filter` for `iface` without capturing (`tcpdump -d`): null when it is good, else
 * tcpdump's own message (a typo: "can't parse filter expression: syntax error").
 */
export async function checkFilter(tcpdump: string, iface: string, filter: string): Promise<TcpdumpFailure | null> {
  if (filter.trim() === '') return null;
  const r = await runTcpdump(tcpdump, ['-d', '-i', iface, '--', filter]);
  if (!r.spawnError && r.code === 0) return null;
  return classifyFailure(r.stderr, r.spawnError, tcpdump);
}

/** A running tcpdump: its exit, its stderr so far, pause (SIGSTOP), resume, stop (SIGINT, then SIGKILL). */
export class TcpdumpProcess {
  private readonly child;
  stderr = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  spawnError: string | undefined;
  readonly exited: Promise<void>;
  private killTimer: NodeJS.Timeout | undefined;
  private listening!: () => void;
  /** Resolves once tcpdump says "listening on" (or exits: check `exitCode`). */
  readonly started: Promise<void>;

  constructor(
    private readonly tcpdump: string,
    args: string[],
    onStdout?: (text: string) => void,
  ) {
    this.started = new Promise((r) => (this.listening = r));
    this.child = spawn(tcpdump, args, { stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'], shell: false });
    if (onStdout) {
      this.child.stdout?.setEncoding('utf8');
      this.child.stdout?.on('data', (s: string) => onStdout(s));
    }
    this.child.stderr?.on('data', (b: Buffer) => {
      if (this.stderr.length < STDERR_MAX) this.stderr += b.toString('utf8');
      if (this.stderr.includes('listening on')) this.listening();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e: NodeJS.ErrnoException) => {
        this.spawnError = e.code ?? 'ERROR';
        resolve();
      });
      this.child.on('close', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      });
    });
    void this.exited.then(() => {
      if (this.killTimer) clearTimeout(this.killTimer);
      this.listening();
    });
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null && this.spawnError === undefined && this.child.pid !== undefined;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The capture stops writing (the kernel's buffer keeps what it can until resume). */
  pause(): void {
    if (this.running) this.child.kill('SIGSTOP');
  }

  resume(): void {
    if (this.running) this.child.kill('SIGCONT');
  }

  /** SIGINT (tcpdump flushes and prints its counts), SIGKILL after `graceMs`. Resolves on exit. */
  stop(graceMs = 2000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGCONT');
      this.child.kill('SIGINT');
      this.killTimer = setTimeout(() => this.kill(), graceMs);
    }
    return this.exited;
  }

  /** At once (the window is closing). */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  /** Why it failed, from its stderr and exit. */
  failure(): TcpdumpFailure {
    return classifyFailure(this.stderr, this.spawnError, this.tcpdump);
  }
}
