/**
 * Keybindings a test adds to the profile, to run a command with arguments: a keybinding's `args` are the command's
 * argument, which the palette cannot pass (a target path for an export, a row's context object). Three files wrote
 * them and reloaded the window the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Session } from './index';

export interface Keybinding {
  /** As keybindings.json writes it, e.g. 'ctrl+shift+alt+f10'. */
  key: string;
  command: string;
  args?: unknown;
}

/**
 * Writes `bindings` as the profile's keybindings.json and reloads the window ("Developer: Reload Window"): VS Code
 * reads the file when the window loads. Waits (30 s) for the workbench and the explorer's first row, then 1 s more,
 * as each copy did: the extension host starts again after the reload and registers its commands.
 */
export async function setKeybindings(s: Session, bindings: Keybinding[]): Promise<void> {
  const file = path.join(s.runDir, 'user-data', 'User', 'keybindings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(bindings, null, 2));
  await s.runCommand('Developer: Reload Window');
  await s.page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 30_000 });
  await s.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
  await s.page.waitForTimeout(1000);
}
