/**
 * The desktop extension host's entry (package.json "main": dist/extension.js): the Node platform
 * (./nodePlatform.ts), every shared feature (./features.ts), and what needs a process — live
 * capture (issue 16: tcpdump into a followed capture file or a tcpdump document). VS Code for the
 * Web's entry is ./web.ts.
 */
import type * as vscode from 'vscode';
import { registerLiveCapture } from './capture/live';
import { activateShared } from './features';
import { nodePlatform } from './nodePlatform';
import { setPlatform } from './platform';

export function activate(context: vscode.ExtensionContext): void {
  setPlatform(nodePlatform);
  activateShared(context);
  context.subscriptions.push(registerLiveCapture());
}

export function deactivate(): void {
  // nothing to clean up: everything is in context.subscriptions
}
