/**
 * The capture editor (a custom editor, captureLens.captureEditor) as a test drives it: opening a capture, waiting for
 * its status line, closing the editors. Session.openFile cannot open a capture: it waits for a text editor's lines,
 * which a custom editor never shows.
 */
import type { FrameLoc, PwLocator, Session } from './index';
import { until } from './poll';
import { captureView } from './webviews';
import { cssString } from './workbench';

export interface OpenCaptureOptions {
  /**
   * Also wait (20 s) for the packet grid's header in captureView(), the one webview shown; default false. Not where
   * a panel stands beside the capture editor: the frame locator would match two webviews.
   */
  grid?: boolean;
}

/**
 * Opens a workspace file by quick open (Ctrl+P) and waits for its editor tab; returns captureView(). On a loaded
 * machine the quick open can miss (its row slow to come, the keys landing in a webview that just lost its
 * document, a webview taking the focus back and closing the quick input): up to three tries, each after closing
 * what is open and focusing the workbench, and then the explorer (a double click opens the file pinned).
 * The row asked for is taken even when another row has the focus (Session.quickPick).
 */
export async function openCapture(s: Session, name: string, options: OpenCaptureOptions = {}): Promise<FrameLoc> {
  const page = s.page;
  let failure: unknown;
  let opened = false;
  for (let attempt = 0; attempt < 3 && !opened; attempt++) {
    if (attempt > 0) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
      await page.locator('.part.editor .tabs-container').first().click({ timeout: 2_000 }).catch(() => undefined);
    }
    try {
      await page.keyboard.press('Control+P');
      await s.quickPick(name);
      opened = true;
    } catch (e) {
      failure = e;
    }
  }
  if (!opened) {
    const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: name }).first();
    await row.dblclick({ timeout: 10_000 }).catch((e: unknown) => {
      throw new Error(`openCapture ${name}: quick open failed three times (${String(failure)}), and the explorer: ${String(e)}`);
    });
  }
  await page.locator(`.tabs-container .tab.active[aria-label^="${cssString(name)}"]`).first().waitFor({ state: 'visible', timeout: 10_000 });
  const v = captureView(s);
  if (options.grid) await v.locator('#packet-grid .header-row .cell').first().waitFor({ state: 'visible', timeout: 20_000 });
  return v;
}

/** Waits (20 s) until the capture editor's status line (the packet count) matches `re`; returns its text. */
export function waitStatus(v: { locator(selector: string): PwLocator }, re: RegExp, timeout = 20_000): Promise<string> {
  return until(`the status line matching ${re}`, async () => ((await v.locator('#status-text').textContent()) ?? '').trim(), (t) => re.test(t), timeout);
}

/** "View: Close All Editors", then 500 ms for the editors' webviews to go (the longer of the two copies' waits). */
export async function closeEditors(s: Session): Promise<void> {
  await s.runCommand('View: Close All Editors');
  await s.page.waitForTimeout(500);
}
