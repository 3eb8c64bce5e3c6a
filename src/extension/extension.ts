import * as vscode from 'vscode';
import { registerCaptureEditor } from './capture/editorProvider';
import { registerCodeLens } from './tcpdump/codeLens';
import { registerCommands } from './tcpdump/commands';
import { registerDiagnostics } from './tcpdump/diagnostics';
import { registerHover } from './tcpdump/hover';
import { LogModels } from './tcpdump/models';
import { registerOutline } from './tcpdump/outline';

/**
 * Activation: the tcpdump-text language features (hovers, TCP-state CodeLens, diagnostics,
 * outline and folding) share one parse + engine cache; commands paste tcpdump output and print
 * captures as tcpdump text. Everything registered goes into context.subscriptions.
 */
export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Capture Lens');
  const models = new LogModels();
  context.subscriptions.push(
    channel,
    models,
    registerHover(models),
    registerCodeLens(models),
    registerDiagnostics(models),
    registerOutline(models),
    registerCommands(models),
    registerCaptureEditor(context),
  );
  channel.appendLine('Capture Lens activated');
}

export function deactivate(): void {
  // nothing to clean up: everything is in context.subscriptions
}
