/**
 * VS Code for the Web's entry (package.json "browser": dist/web/extension.js, issue 17): the
 * browser platform (./webPlatform.ts: a Web Worker decodes, every file is read through
 * vscode.workspace.fs) and the shared features (./features.ts): the capture editor, the tcpdump
 * and netstat/ss languages, the flow graph, the graphs, Follow TCP Stream, the walkthrough. What
 * needs a process (live capture, "Capture to tcpdump Text", the CLI) is not registered, and its
 * commands are hidden by the context key captureLens.web (package.json: `!captureLens.web` in their
 * `when` and `enablement`). A negative key, so that the desktop shows them before activation as
 * before (code-server, a Node extension host in a browser, has isWeb set: `!isWeb` would hide them
 * there); the price is that in a browser they are listed until the extension activates.
 */
import * as vscode from 'vscode';
import { activateShared } from './features';
import { setPlatform } from './platform';
import { webPlatform } from './webPlatform';

export function activate(context: vscode.ExtensionContext): void {
  setPlatform(webPlatform);
  void vscode.commands.executeCommand('setContext', 'captureLens.web', true);
  activateShared(context);
}

export function deactivate(): void {
  // nothing to clean up: everything is in context.subscriptions
}
