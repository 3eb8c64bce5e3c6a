/**
 * The e2e harness's VS Code UI helpers: a Session (see index.ts) on a workbench page that startSession
 * opened — quick open, commands, hovers, editors, webviews, screenshots — in workbench terms, so the
 * tests read as what a person does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PwPage, Session } from './index';

export function makeSession(s: {
  page: PwPage; port: number; url: string; workspace: string; runDir: string; root: string;
  log: (l: string) => void; close: () => Promise<void>;
}): Session {
  const { page, log } = s;
  /** The active editor group's editor (a second group, e.g. a document opened beside, is left out). */
  const EDITOR = '.part.editor .editor-group-container.active .editor-instance .monaco-editor';
  const quickInput = page.locator('.quick-input-widget .quick-input-box input');
  const quickRows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

  /** Types into the open quick input, waits for a row with `rowText`, accepts it, and waits until the
   *  input is gone or shows something else (a command may open a quick pick of its own). */
  async function pick(prefix: string, text: string, rowText: string): Promise<void> {
    await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await quickInput.fill(prefix + text);
    const row = quickRows.filter({ hasText: rowText }).first();
    // 15 s: a file search on the shared, loaded machine once took over 10 s to list its row (find.e2e.ts waited 15)
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(150); // the list may still be filtering
    // Enter takes the focused row, which is not always the one asked for: with equal scores the palette
    // sorts by label ("Go to Next Problem Packet" before "Go to Packet…" for "Go to Packet"); then click it
    const focused = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused').first();
    const focusedText = (await focused.innerText({ timeout: 1_000 }).catch(() => null)) ?? '';
    if (focusedText.includes(rowText)) await page.keyboard.press('Enter');
    else await row.click();
    await page.waitForFunction(
      (typed) => {
        const input = document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input');
        const widget = document.querySelector<HTMLElement>('.quick-input-widget');
        return !input || !widget || widget.style.display === 'none' || input.offsetParent === null || input.value !== typed;
      },
      prefix + text,
      { timeout: 10_000, polling: 50 },
    );
  }

  const session: Session = {
    page,
    port: s.port,
    url: s.url,
    workspace: s.workspace,
    runDir: s.runDir,

    async openFile(name) {
      await page.keyboard.press('Control+P');
      await pick('', name, name);
      await page.locator(`.tabs-container .tab.active[aria-label^="${cssString(name)}"]`).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.locator(`${EDITOR} .view-lines .view-line`).first().waitFor({ state: 'visible', timeout: 10_000 });
      log(`opened ${name}`);
    },

    async runCommand(title) {
      await page.keyboard.press('F1');
      await pick('>', title, title);
      log(`ran "${title}"`);
    },

    async quickPick(text, rowText = text) {
      await pick('', text, rowText);
    },

    async explorerMenu(fileName, item) {
      const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(fileName)}\\s*$`) }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await row.click({ button: 'right' });
      const entry = page.locator('.context-view .monaco-menu .action-item .action-label').filter({ hasText: item }).first();
      await entry.waitFor({ state: 'visible', timeout: 10_000 });
      // A mouse click on the menu, right after it opened, is sometimes lost; focus the item and press Enter.
      await entry.hover();
      await page.waitForTimeout(150);
      await page.keyboard.press('Enter');
      await entry.waitFor({ state: 'hidden', timeout: 10_000 });
      log(`explorer: "${item}" on ${fileName}`);
    },

    async waitForActiveTab(label, options = {}) {
      const tab = page.locator('.part.editor .editor-group-container.active .tabs-container .tab.active').first();
      const deadline = Date.now() + (options.timeout ?? 10_000);
      for (;;) {
        const text = ((await tab.getAttribute('aria-label').catch(() => null)) ?? '').trim();
        if (typeof label === 'string' ? text.startsWith(label) : typeof label === 'function' ? label(text) : label.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`waitForActiveTab: the active tab is "${text}", not ${String(label)}`);
        await page.waitForTimeout(100);
      }
    },

    async hoverWord(word, options = {}) {
      // Lenses and decorations arriving late move the lines: measure until the word stays put.
      let rect = await measure();
      for (let k = 0, still = 0; k < 30 && still < 2; k++) {
        await page.waitForTimeout(150);
        const again = await measure();
        still = rect && again && Math.abs(rect.x - again.x) < 1 && Math.abs(rect.y - again.y) < 1 ? still + 1 : 0;
        rect = again;
      }
      if (!rect) throw new Error(`hoverWord: "${word}" is not on a visible line of the active editor`);
      await page.mouse.move(5, 5);
      await page.waitForTimeout(100);
      await page.mouse.move(rect.x, rect.y, { steps: 3 });
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents').first();
      await hover.waitFor({ state: 'visible', timeout: options.timeout ?? 10_000 });
      await page.waitForTimeout(150); // contents from slow providers arrive after the first paint
      return (await hover.innerText()).trim();

      function measure() {
        return page.evaluate(
          ({ word, occurrence, editor }) => {
            const lines = Array.from(document.querySelectorAll(`${editor} .view-lines .view-line`));
            lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
            let seen = 0;
            for (const line of lines) {
              const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
              const nodes: Text[] = [];
              for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
              const text = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
              let at = text.indexOf(word);
              while (at >= 0 && seen < occurrence) {
                seen++;
                at = text.indexOf(word, at + 1);
              }
              if (at < 0) continue;
              // Map the character range onto the text nodes (Monaco splits lines at arbitrary points).
              const range = document.createRange();
              let offset = 0;
              let startSet = false;
              for (const n of nodes) {
                const len = n.data.length;
                if (!startSet && at < offset + len) {
                  range.setStart(n, at - offset);
                  startSet = true;
                }
                if (startSet && at + word.length <= offset + len) {
                  range.setEnd(n, at + word.length - offset);
                  break;
                }
                offset += len;
              }
              const r = range.getBoundingClientRect();
              return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
            }
            return null;
          },
          { word, occurrence: options.occurrence ?? 0, editor: EDITOR },
        );
      }
    },

    async codeLensTexts(options = {}) {
      // One line's lenses share a decoration ("a | b"): each lens is a child <a> (with a command) or <span>.
      const lenses = page.locator(`${EDITOR} .codelens-decoration > a, ${EDITOR} .codelens-decoration > span`);
      try {
        await page.locator(`${EDITOR} .codelens-decoration`).first().waitFor({ state: 'visible', timeout: options.timeout ?? 5_000 });
      } catch {
        return [];
      }
      // Lenses are resolved (given their words) after they are placed: wait for non-blank texts.
      const deadline = Date.now() + (options.timeout ?? 5_000);
      let texts: string[] = [];
      for (;;) {
        texts = (await lenses.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').trim());
        if (texts.every((t) => t.length > 0) || Date.now() > deadline) break;
        await page.waitForTimeout(100);
      }
      return texts.filter((t) => t.length > 0 && t !== '|'); // "|": the separator between a line's lenses
    },

    async clickCodeLens(text) {
      const lens = page.locator(`${EDITOR} .codelens-decoration > a`).filter({ hasText: text }).first();
      await lens.waitFor({ state: 'visible', timeout: 10_000 });
      await lens.click();
      log(`clicked the CodeLens "${text}"`);
    },

    async problems() {
      const panel = page.locator('.markers-panel');
      if (!(await panel.first().isVisible())) {
        await page.keyboard.press('Control+Shift+M'); // View: Problems (toggles)
      }
      await panel.first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(300);
      const rows = panel.first().locator('.monaco-list-row');
      const n = await rows.count();
      const result: string[] = [];
      for (let i = 0; i < n; i++) result.push((await rows.nth(i).getAttribute('aria-label')) ?? (await rows.nth(i).innerText()));
      return result;
    },

    async languageMode() {
      const item = page.locator('[id="status.editor.mode"]').first();
      await item.waitFor({ state: 'visible', timeout: 10_000 });
      return (await item.innerText()).trim();
    },

    async editorText() {
      return page.evaluate((editor) => {
        const lines = Array.from(document.querySelectorAll(`${editor} .view-lines .view-line`));
        lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
        return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
      }, EDITOR);
    },

    async lineTokens(lineIncludes) {
      return page.evaluate(({ needle, editor }) => {
        const lines = Array.from(document.querySelectorAll(`${editor} .view-lines .view-line`));
        const line = lines.find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(needle));
        if (!line) return [];
        return Array.from(line.querySelectorAll('span > span')).map((span) => {
          const cs = getComputedStyle(span);
          return { text: (span.textContent ?? '').replace(/\u00a0/g, ' '), color: cs.color, fontStyle: cs.fontStyle, fontWeight: cs.fontWeight };
        });
      }, { needle: lineIncludes, editor: EDITOR });
    },

    async colouredTokens(lineIncludes, options = {}) {
      // Tokenizing is asynchronous: wait until the line's spans carry the grammar's colours.
      const deadline = Date.now() + (options.timeout ?? 15_000);
      for (;;) {
        const toks = await session.lineTokens(lineIncludes);
        if (new Set(toks.map((t) => t.color)).size >= (options.minColors ?? 4) || Date.now() > deadline) return toks;
        await page.waitForTimeout(250);
      }
    },

    async setClipboard(text) {
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      const back = await page.evaluate(() => navigator.clipboard.readText(), null);
      if (back !== text) throw new Error('setClipboard: the clipboard did not take the text');
    },

    async outputChannel(name) {
      await session.runCommand('Output: Show Output Channels...');
      await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
      await pick('', name, name);
      const view = page.locator('.panel .monaco-editor .view-lines').first();
      await view.waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(300);
      return (await view.innerText()).replace(/\u00a0/g, ' ');
    },

    async screenshot(name) {
      const dir = path.join(s.root, 'test-results', 'e2e');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.waitForTimeout(400); // animations
      await page.screenshot({ path: file });
      log(`screenshot ${path.relative(s.root, file)}`);
      return file;
    },

    async webviewFrame(selector, options = {}) {
      const deadline = Date.now() + (options.timeout ?? 20_000);
      for (;;) {
        for (const f of page.frames()) {
          if (f.isDetached()) continue;
          try {
            if ((await f.locator(selector).count()) > 0) return f;
          } catch {
            // a frame going away
          }
        }
        if (Date.now() > deadline) throw new Error(`no webview with ${selector}`);
        await page.waitForTimeout(200);
      }
    },

    close: s.close,
  };
  return session;
}

// ---------------------------------------------------------------------------------------------
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A string as it goes between double quotes in a CSS attribute selector. */
export function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}

