import * as vscode from 'vscode';
import { CaptureEditorProvider, registerCaptureEditor } from './capture/editorProvider';
import { registerFlowGraph } from './flow/commands';
import { registerGraphs } from './graphs/commands';
import { registerFollowStream } from './follow/commands';
import { registerCodeLens } from './tcpdump/codeLens';
import { registerCommands } from './tcpdump/commands';
import { registerDiagnostics } from './tcpdump/diagnostics';
import { registerHover } from './tcpdump/hover';
import { LogModels } from './tcpdump/models';
import { registerOutline } from './tcpdump/outline';
import { registerWalkthrough } from './walkthrough';
import { registerSocketsCodeLens } from './sockets/codeLens';
import { registerSocketsCommands } from './sockets/commands';
import { registerSocketsDiagnostics } from './sockets/diagnostics';
import { registerSocketsHover } from './sockets/hover';
import { SocketsModels } from './sockets/models';
import { registerSocketsOutline } from './sockets/outline';

/**
 * What both extension hosts register (issue 17): the desktop's entry (./node.ts, package.json
 * "main") adds what needs a process (live capture); VS Code for the Web's (./web.ts, "browser")
 * adds nothing. The platform (./platform.ts) must be set before this runs.
 *
 * Activation: the tcpdump-text language features (hovers, TCP-state CodeLens, diagnostics,
 * outline and folding) share one parse + engine cache; commands paste tcpdump output and print
 * captures as tcpdump text; the capture editor and the flow graph (from captures and logs) share
 * the capture editor provider. netstat / ss output (language "netstat") gets hovers, a summary
 * CodeLens, diagnostics and an outline of its own. Everything registered goes into context.subscriptions.
 */
export function activateShared(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Capture Lens');
  const models = new LogModels();
  const sockets = new SocketsModels();
  const captureProvider = new CaptureEditorProvider(context);
  context.subscriptions.push(
    channel,
    models,
    registerHover(models),
    registerCodeLens(models),
    registerDiagnostics(models),
    registerOutline(models),
    registerCommands(models),
    registerCaptureEditor(context, captureProvider),
    registerFlowGraph(context, models, captureProvider),
    registerGraphs(context, models, captureProvider),
    registerFollowStream(context, models, captureProvider),
    registerWalkthrough(context),
    // netstat / ss output: the same kinds of features over its own parse cache (src/extension/sockets)
    sockets,
    registerSocketsHover(sockets),
    registerSocketsCodeLens(sockets),
    registerSocketsDiagnostics(sockets),
    registerSocketsOutline(sockets),
    registerSocketsCommands(models, captureProvider),
  );
  channel.appendLine('Capture Lens activated');
}
