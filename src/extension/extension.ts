import * as vscode from 'vscode';

/**
 * Activation. Language features (tcpdump text), the capture editor and the flow graph register
 * here as later milestones land; for now the extension only announces itself in its output channel.
 */
export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Capture Lens');
  context.subscriptions.push(channel);
  channel.appendLine('Capture Lens activated');
}

export function deactivate(): void {
  // nothing to clean up: everything is in context.subscriptions
}
