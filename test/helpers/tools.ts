/**
 * The oracle programs some tests compare with (tcpdump, tshark). They are optional: a test that
 * needs one calls needTool(this, 'tcpdump') and skips, saying why, when it is not on PATH.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { skipBecause } from './skip';

const INSTALL: Record<string, string> = {
  tcpdump: 'apt-get install tcpdump',
  tshark: 'apt-get install tshark',
};

/** The program's path when an executable of that name is on PATH (looked up like a shell does, without one). */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Skips the test (or, in a hook, the suite) with a printed reason unless `name` is on PATH. */
export function needTool(ctx: Mocha.Context, name: string): void {
  if (findTool(name)) return;
  skipBecause(ctx, `${name} not found on PATH; ${INSTALL[name] ?? `install ${name}`} to run ${(ctx.test as { type?: string } | undefined)?.type === 'hook' ? 'these' : 'this'}`);
}
