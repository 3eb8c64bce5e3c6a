import * as vscode from 'vscode';
import { problemText } from '../../core/explain/problems';
import { connJson } from '../../core/tcp/json';
import { TCP_STATES } from '../../core/tcp/types';
import { parsePrintArgs } from '../../core/print/args';
import { PacketPrinter } from '../../core/print/packet';
import { isGzipMagic } from '../../core/capture/detect';
import { gzipAllowance, gzipLimitMessage, GZIP_LIMITS } from '../../node/gzipLimits';
import { inflateGzip, readBytes } from '../../worker/bytesInput';
import { readWhole } from '../capture/wholeFile';
import { platform } from '../platform';
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
    const j = connJson(s, platform().zh());
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

/**
 * Print a capture as tcpdump would (our printer), for a new text document: its bytes, as read
 * through vscode.workspace.fs (a gzip-compressed capture is inflated up to src/node/gzipLimits.ts's
 * allowance); `name` is for messages.
 */
export async function captureAsText(bytes: Uint8Array, name: string, args: string[], token?: vscode.CancellationToken): Promise<{ text: string; error: string | null }> {
  const { opts } = parsePrintArgs([name, ...args]);
  const printer = new PacketPrinter(opts);
  let data = bytes;
  let gzipNote: string | null = null;
  if (isGzipMagic(bytes)) {
    const allowance = gzipAllowance(bytes.length);
    const r = await inflateGzip(bytes, allowance, () => token?.isCancellationRequested === true);
    data = r.bytes;
    gzipNote = r.limited ? gzipLimitMessage(name, bytes.length, allowance, GZIP_LIMITS) : r.error;
  }
  const parts: string[] = [];
  const reading = readBytes(data, { onRecord: (rec) => void parts.push(printer.print(rec)) }, name);
  token?.onCancellationRequested(() => reading.cancel());
  const summary = await reading.done;
  const error = summary.error && gzipNote ? `${summary.error.message} (${gzipNote})` : (summary.error?.message ?? gzipNote);
  return { text: parts.join(''), error };
}

/**
 * "Capture Lens: Open Capture as tcpdump Text". The capture is read through vscode.workspace.fs
 * (issue 17: local, remote and virtual workspaces, and VS Code for the Web alike), whole: it has no
 * partial reads, so the size limit of src/core/capture/wholeFile.ts applies, with its sentence.
 */
async function openCaptureAsText(uri?: vscode.Uri): Promise<void> {
  if (!(uri instanceof vscode.Uri)) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Captures')]: ['pcap', 'pcapng', 'cap', 'gz'] } });
    if (!picked?.length) return;
    uri = picked[0];
  }
  const args = vscode.workspace.getConfiguration('captureLens').get<string>('print.options', '-n').split(/\s+/).filter(Boolean);
  const target = uri;
  const name = target.path.split('/').pop() || target.toString(true);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Printing {0}…', vscode.workspace.asRelativePath(target)), cancellable: true },
    async (_p, token) => {
      const whole = await readWhole(target);
      return 'bytes' in whole ? captureAsText(whole.bytes, name, args, token) : { text: '', error: null, refused: whole.message };
    },
  );
  if ('refused' in result) {
    void vscode.window.showErrorMessage(result.refused);
    return;
  }
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
