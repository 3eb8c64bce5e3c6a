import * as vscode from 'vscode';
import { connectionLensText, packetLensText } from '../../core/log/lens';
import type { LogModel } from '../../core/log/model';
import { logPerf, verdictLensText } from '../../core/log/perf';
import { LK_PACKET } from '../../core/text/model';
import { LogModels, TCPDUMP_SELECTOR } from './models';

/** Settings that shape the lenses. */
function settings(): { perPacket: boolean; maxPacketLines: number } {
  const c = vscode.workspace.getConfiguration('captureLens.codeLens');
  return { perPacket: c.get<boolean>('perPacket', true), maxPacketLines: c.get<number>('maxPacketLines', 5000) };
}

/**
 * The TCP-state CodeLens: above each packet line both endpoints' states after it (with the
 * transition and the handshake/teardown step), and above each connection's first line its
 * summary, whose click shows the connection's details, with a "Flow graph" lens beside it that
 * opens the connection's sequence diagram (src/extension/flow/commands.ts). Ranges are found cheaply in
 * provideCodeLenses; the words are made in resolveCodeLens, for the lenses on screen only.
 */
class TcpStateLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly models: LogModels) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const m = this.models.get(doc);
    const { perPacket, maxPacketLines } = settings();
    const lenses: vscode.CodeLens[] = [];
    // one perf pass per document version, cached with the model (the diagnostics read the same)
    const perf = logPerf(m);
    for (let s = 0; s < m.firstOfStream.length; s++) {
      const i = m.firstOfStream[s];
      if (i < 0) continue;
      const line = m.log.packets[i].line;
      lenses.push(new ConnLens(new vscode.Range(line, 0, line, 0), doc.uri, m, s));
      lenses.push(new FlowLens(new vscode.Range(line, 0, line, 0), doc.uri, s));
      // issue 14: the connection's Graphs panel (src/extension/graphs/); in this provider, so a line's lenses arrive together
      lenses.push(new GraphsLens(new vscode.Range(line, 0, line, 0), doc.uri, s));
      // issue 14: the connection's performance verdicts (their titles; the diagnostics hold the rest)
      if ((perf[s]?.verdicts.length ?? 0) > 0) lenses.push(new VerdictLens(new vscode.Range(line, 0, line, 0), doc.uri, m, s));
    }
    if (!perPacket || m.log.packets.length > maxPacketLines) return lenses;
    for (let i = 0; i < m.log.packets.length; i++) {
      if (m.streamOf[i] < 0) continue;
      const p = m.log.packets[i];
      if (m.log.kinds[p.line] !== LK_PACKET) continue;
      lenses.push(new PacketLens(new vscode.Range(p.line, 0, p.line, 0), doc.uri, m, i));
    }
    return lenses;
  }

  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    // Each lens carries the model its range came from: no look-up of the document by URI, which
    // misses documents VS Code has not (or no longer) listed in workspace.textDocuments.
    if (lens instanceof ConnLens) {
      const s = lens.model.summaries[lens.stream];
      lens.command = s
        ? { title: connectionLensText(s, vscode.l10n.t), command: 'captureLens.showConnection', arguments: [lens.uri, lens.stream], tooltip: vscode.l10n.t('Show this connection') }
        : { title: '', command: '' };
    } else if (lens instanceof FlowLens) {
      lens.command = {
        title: vscode.l10n.t('Flow graph'),
        command: 'captureLens.flowGraph.open',
        arguments: [lens.uri, [lens.stream]],
        tooltip: vscode.l10n.t('Show this connection as a sequence diagram'),
      };
    } else if (lens instanceof GraphsLens) {
      lens.command = {
        title: vscode.l10n.t('Graphs'),
        command: 'captureLens.showGraphs',
        arguments: [lens.uri, lens.stream],
        tooltip: vscode.l10n.t('Time-sequence, throughput, RTT and window graphs of this connection'),
      };
    } else if (lens instanceof VerdictLens) {
      const text = verdictLensText(lens.model, lens.stream, vscode.l10n.t);
      lens.command = text
        ? {
          title: vscode.l10n.t('Why slow: {0}', text),
          command: 'captureLens.showGraphs',
          arguments: [lens.uri, lens.stream],
          tooltip: vscode.l10n.t('The performance verdicts of this connection (details in the Problems view); opens its graphs'),
        }
        : { title: '', command: '' };
    } else if (lens instanceof PacketLens) {
      lens.command = { title: packetLensText(lens.model, lens.packet, vscode.l10n.t) ?? '', command: '' };
    }
    return lens;
  }
}

class PacketLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly model: LogModel, readonly packet: number) {
    super(range);
  }
}
class FlowLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly stream: number) {
    super(range);
  }
}
class GraphsLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly stream: number) {
    super(range);
  }
}
class VerdictLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly model: LogModel, readonly stream: number) {
    super(range);
  }
}
class ConnLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly model: LogModel, readonly stream: number) {
    super(range);
  }
}

export function registerCodeLens(models: LogModels): vscode.Disposable {
  const provider = new TcpStateLensProvider(models);
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider(TCPDUMP_SELECTOR, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('captureLens.codeLens')) provider.refresh();
    }),
  );
}
