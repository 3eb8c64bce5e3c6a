/**
 * The e2e harness's processes. code-server's extension host can outlive it when killed while starting, so its
 * descendants are recorded (pid + start time, against pid reuse) while it runs and ended by id (never by name).
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

export interface ProcId { pid: number; start: string }

export function procStat(pid: number): { ppid: number; start: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return null;
  }
}

function descendants(root: number): ProcId[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(name));
    children.set(st.ppid, list);
  }
  const out: ProcId[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    const st = procStat(pid);
    if (st) out.push({ pid, start: st.start });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Whether that very process (same pid and start time) still runs. */
export function alive(p: ProcId): boolean {
  const st = procStat(p.pid);
  return st !== null && st.start === p.start;
}

/** This process's ancestors (parent first), up to but without pid 1. */
export function ancestors(): ProcId[] {
  const out: ProcId[] = [];
  for (let pid = process.ppid; pid > 1 && out.length < 64; ) {
    const st = procStat(pid);
    if (!st) break;
    out.push({ pid, start: st.start });
    pid = st.ppid;
  }
  return out;
}

export function findByCmdline(marker: string): ProcId[] {
  const out: ProcId[] = [];
  for (const p of descendants(process.pid)) {
    try {
      if (fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(marker)) out.push(p);
    } catch {
      /* gone */
    }
  }
  return out;
}

export function killStragglers(procs: ProcId[]): void {
  for (const p of procs) {
    if (!alive(p)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export class ProcessTracker {
  private readonly seen = new Map<number, ProcId>();
  private timer: NodeJS.Timeout | undefined;
  private root = 0;

  watch(pid: number): void {
    this.root = pid;
    this.timer = setInterval(() => this.snapshot(), 500);
    this.timer.unref();
  }

  private snapshot(): void {
    for (const p of descendants(this.root)) this.seen.set(p.pid, p);
  }

  async stop(server: ChildProcess): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.snapshot();
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((r) => server.once('exit', () => r()));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGKILL');
        await Promise.race([exited, sleep(2000)]);
      }
    }
    for (const p of this.seen.values()) {
      if (alive(p)) {
        try {
          process.kill(p.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
    }
    await sleep(300);
    killStragglers([...this.seen.values()]);
  }

  killAllNow(serverPid: number): void {
    this.snapshot();
    try {
      process.kill(serverPid, 'SIGKILL');
    } catch {
      /* gone */
    }
    killStragglers([...this.seen.values()]);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

