/**
 * Skipping with a reason. A test that needs something this machine may lack (the shared corpus,
 * tcpdump, tshark) calls skipBecause(this, why): the reason is printed where mocha prints the
 * test, and again, with every other skip, in one list at the end of the run (root hook below,
 * loaded by .mocharc.json and test/e2e/mocharc.json), so a newcomer sees in one place what did
 * not run and why.
 */

interface Skip {
  where: string;
  tests: number;
  reason: string;
}

const skips: Skip[] = [];

/** Prints the reason, records it for the final list and skips the test (in a hook: the whole suite). */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const r = ctx.test;
  const inHook = (r as { type?: string } | undefined)?.type === 'hook';
  const suite = r?.parent;
  const where = inHook ? (suite?.fullTitle() ?? '') : (r?.fullTitle() ?? '');
  const tests = inHook ? (suite?.total() ?? 0) : 1;
  console.log(`${inHook ? '    ' : '      '}(skipped: ${reason})`);
  skips.push({ where, tests, reason });
  ctx.skip();
}

/** The skips recorded so far (for the final list; a test of this helper reads it too). */
export function recordedSkips(): readonly Skip[] {
  return skips;
}

/** Mocha root hook plugin: after all suites, one line per skip with its reason. */
export const mochaHooks = {
  afterAll(): void {
    if (skips.length === 0) return;
    const total = skips.reduce((n, s) => n + s.tests, 0);
    const byReason = new Map<string, Skip[]>();
    for (const s of skips) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
    const lines = ['', `  Skipped: ${total} test${total === 1 ? '' : 's'}, each needing something this machine lacks`];
    for (const [reason, list] of byReason) {
      const n = list.reduce((k, s) => k + s.tests, 0);
      lines.push(`    ${n} test${n === 1 ? '' : 's'}: ${reason}`);
      for (const s of list) lines.push(`      - ${s.where}${s.tests > 1 ? ` (${s.tests} tests)` : ''}`);
    }
    console.log(lines.join('\n'));
  },
};
