/**
 * The "Get started with Capture Lens" walkthrough (contributes.walkthroughs in package.json, step
 * media in media/walkthrough/) and its one command:
 *
 * - `captureLens.openSample [name] [{ flowGraph: true }]`: opens one of the demo samples
 *   (src/core/synth/sampleFiles.ts; default handshake-data-teardown.pcap, which lands in the capture editor).
 *   It looks in the workspace first — the demo opens samples/ itself, a clone has it at samples/ —
 *   and otherwise writes the samples once into the extension's global storage (through
 *   vscode.workspace.fs: also in VS Code for the Web) and opens them from there, so the walkthrough
 *   works for someone who only installed the .vsix. With `flowGraph`
 *   it then opens the flow graph of that file (the walkthrough's last step: when the walkthrough
 *   is the active editor there is no "active capture" for captureLens.showFlowGraph to take).
 *
 * When the extension host runs with CAPTURE_LENS_OPEN_WALKTHROUGH=1 (set by `npm run demo`), the
 * walkthrough opens once on activation.
 */
import * as vscode from 'vscode';
import { platform } from './platform';
import { errorMessage } from '../core/errors';

export const WALKTHROUGH_ID = 'captureLens.gettingStarted';
export const OPEN_SAMPLE_COMMAND = 'captureLens.openSample';
const DEFAULT_SAMPLE = 'handshake-data-teardown.pcap';
const SHOWN_KEY = 'captureLens.walkthrough.shownByDemo';

/** A sample's file name: no folders, one of our extensions. */
function sampleName(arg: unknown): string | undefined {
  if (arg === undefined || arg === null || arg === '') return DEFAULT_SAMPLE;
  if (typeof arg !== 'string' || !/^[\w.-]+\.(?:pcap|pcapng|tcpdump)$/.test(arg)) return undefined;
  return arg;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The sample in the workspace (`samples/NAME`, or NAME in a folder that is the samples folder). */
async function inWorkspace(name: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const uri of [vscode.Uri.joinPath(folder.uri, 'samples', name), vscode.Uri.joinPath(folder.uri, name)]) {
      if (await exists(uri)) return uri;
    }
  }
  return undefined;
}

/** The sample in global storage, written there (for this version of the extension) when missing. */
async function inStorage(context: vscode.ExtensionContext, name: string): Promise<vscode.Uri | undefined> {
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0');
  const dir = vscode.Uri.joinPath(context.globalStorageUri, `samples-${version}`);
  const file = vscode.Uri.joinPath(dir, name);
  if (await exists(file)) return file;
  await vscode.workspace.fs.createDirectory(dir);
  for (const f of platform().sampleFiles()) {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, f.name), typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data);
  }
  return (await exists(file)) ? file : undefined;
}

export async function openSample(context: vscode.ExtensionContext, nameArg?: unknown, options?: unknown): Promise<vscode.Uri | undefined> {
  const name = sampleName(nameArg);
  if (!name) {
    void vscode.window.showErrorMessage(vscode.l10n.t('There is no sample called {0}.', String(nameArg)));
    return undefined;
  }
  let uri = await inWorkspace(name);
  if (!uri) {
    try {
      uri = await inStorage(context, name);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The samples could not be written: {0}', errorMessage(e)));
      return undefined;
    }
  }
  if (!uri) {
    void vscode.window.showErrorMessage(vscode.l10n.t('There is no sample called {0}.', name));
    return undefined;
  }
  const flowGraph = typeof options === 'object' && options !== null && (options as { flowGraph?: unknown }).flowGraph === true;
  // A log's flow graph reads the document itself (and reveals it when an arrow is chosen); a
  // capture's needs its capture editor open. vscode.open picks the default editor: the capture
  // editor for .pcap/.pcapng, text for .tcpdump.
  if (!flowGraph || !name.endsWith('.tcpdump')) await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
  if (flowGraph) await vscode.commands.executeCommand('captureLens.showFlowGraph', uri);
  return uri;
}

export function registerWalkthrough(context: vscode.ExtensionContext): vscode.Disposable {
  const command = vscode.commands.registerCommand(OPEN_SAMPLE_COMMAND, (name?: unknown, options?: unknown) => openSample(context, name, options));
  // no `process` in a browser's extension host (issue 17)
  if (typeof process !== 'undefined' && process.env.CAPTURE_LENS_OPEN_WALKTHROUGH === '1' && !context.globalState.get<boolean>(SHOWN_KEY)) {
    void context.globalState.update(SHOWN_KEY, true);
    void vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
  }
  return command;
}
