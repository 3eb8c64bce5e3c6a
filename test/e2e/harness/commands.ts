/**
 * A palette command run until the palette lists it: the palette lists an extension's commands only once its host
 * has read them, which takes seconds on a loaded machine. live.e2e.ts (twice) and scripts/e2e-screenshots.ts each
 * retried it the same way.
 */
import type { Session } from './index';

/** Runs `title` from the palette; after a failure, Escape, 2 s and again, 4 tries in all (the last failure thrown). */
export async function runCommandRetried(s: Session, title: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await s.runCommand(title);
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await s.page.keyboard.press('Escape');
      await s.page.waitForTimeout(2000);
    }
  }
}
