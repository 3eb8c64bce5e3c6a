import * as vscode from 'vscode';
import { problemText } from '../../core/explain/problems';
import { connJson } from '../../core/tcp/json';
import { TCP_STATES } from '../../core/tcp/types';
import { parsePrintArgs } from '../../core/print/args';
import { PacketPrinter } from '../../core/print/packet';
import { readCaptureFile } from '../../node/captureFile';
import { zhCn } from '../../node/l10n';
import { LogModels } from './models';

const CONN_SCHEME = 'capture-lens-connection';

/** Read-only documents describing one connection (opened from the connection CodeLens). */
class ConnectionDocs implements vscode.TextDocumentContentProvider {
  constructor(private readonly models: LogModels) {}
  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const source = vscode.Uri.parse(q.get('doc') ?? '');
    const stream = Number(q.get('stream'));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
    if (!doc) return vscode.l10n.t('The log this connection came from is closed.');
    const m = this.models.get(doc);
    const s = m.summaries[stream];
    if (!s) return vscode.l10n.t('No connection {0} in this log.', stream);
    const j = connJson(s, zhCn());
    const lines = [
      `# ${j.client} → ${j.server}`,
      '',
      `| | |`,
      `|---|---|`,
      `| ${vscode.l10n.t('Stream')} | ${j.stream} |`,
      `| ${vscode.l10n.t('Packets (client / server)')} | ${j.packets.client} / ${j.packets.server} |`,
      `| ${vscode.l10n.t('Payload bytes (client / server)')} | ${j.bytes.client} / ${j.bytes.server} |`,
      `| ${vscode.l10n.t('Duration')} | ${j.duration} s |`,
      `| ${vscode.l10n.t('Final states (client / server)')} | ${j.clientState} / ${j.serverState} |`,
      `| ${vscode.l10n.t('Zeek conn_state / history')} | ${j.connState} / ${j.history} |`,
      `| ${vscode.l10n.t('Lines')} | ${m.log.packets[m.firstOfStream[stream]].line + 1}–${m.log.packets[m.lastOfStream[stream]].endLine + 1} |`,
      '',
    ];
    if (s.problems.length) {
      lines.push(`## ${vscode.l10n.t('Problems')}`, '');
      for (const p of s.problems) lines.push(`- **${p.kind}** (${vscode.l10n.t('packet {0}', p.packet + 1)}): ${problemText(p, vscode.l10n.t)}`);
    } else lines.push(vscode.l10n.t('No problems found.'));
    lines.push('', vscode.l10n.t('States: {0}', TCP_STATES.join(', ')));
    return lines.join('\n') + '\n';
  }
}

/** "Capture Lens: Paste tcpdump Output": the clipboard into a new tcpdump document. */
async function pasteTcpdump(): Promise<vscode.TextEditor> {
  const text = await vscode.env.clipboard.readText();
  const doc = await vscode.workspace.openTextDocument({ language: 'tcpdump', content: text });
  return vscode.window.showTextDocument(doc);
}

/** Print a capture as tcpdump would (our printer), for a new text document. */
export async function captureAsText(path: string, args: string[], token?: vscode.CancellationToken): Promise<{ text: string; error: string | null }> {
  const { opts } = parsePrintArgs([path, ...args]);
  const printer = new PacketPrinter(opts);
  const parts: string[] = [];
  const reading = readCaptureFile(path, { onRecord: (rec) => void parts.push(printer.print(rec)) });
  token?.onCancellationRequested(() => reading.cancel());
  const summary = await reading.done;
  return { text: parts.join(''), error: summary.error?.message ?? null };
}

/** "Capture Lens: Open Capture as tcpdump Text". */
async function openCaptureAsText(uri?: vscode.Uri): Promise<void> {
  if (!(uri instanceof vscode.Uri)) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Captures')]: ['pcap', 'pcapng', 'cap', 'gz'] } });
    if (!picked?.length) return;
    uri = picked[0];
  }
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Only captures on the local file system can be printed as text.'));
    return;
  }
  const args = vscode.workspace.getConfiguration('captureLens').get<string>('print.options', '-n').split(/\s+/).filter(Boolean);
  const target = uri;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Printing {0}…', vscode.workspace.asRelativePath(target)), cancellable: true },
    (_p, token) => captureAsText(target.fsPath, args, token),
  );
  const doc = await vscode.workspace.openTextDocument({ language: 'tcpdump', content: result.text });
  await vscode.window.showTextDocument(doc);
  if (result.error) void vscode.window.showWarningMessage(vscode.l10n.t('The capture is damaged: {0}. Every packet before the damage is shown.', result.error));
}

export function registerCommands(models: LogModels): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(CONN_SCHEME, new ConnectionDocs(models)),
    vscode.commands.registerCommand('captureLens.showConnection', async (docUri: vscode.Uri, stream: number) => {
      const uri = vscode.Uri.from({ scheme: CONN_SCHEME, path: `/connection-${stream}.md`, query: new URLSearchParams({ doc: docUri.toString(), stream: String(stream) }).toString() });
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.commands.registerCommand('captureLens.pasteTcpdump', pasteTcpdump),
    vscode.commands.registerCommand('captureLens.openCaptureAsText', openCaptureAsText),
  );
}
