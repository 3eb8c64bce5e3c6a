/**
 * Live capture (issue 16): "Capture Lens: Start Capture…" runs `tcpdump -U -w FILE …` (an argument
 * vector, never a shell; src/node/tcpdump.ts) and opens FILE in the capture editor, which follows
 * it as it grows (./follow.ts); "Capture to tcpdump Text" streams `tcpdump -l -n …` into a tcpdump
 * document whose lenses update as lines arrive. Pause (SIGSTOP), Resume, Stop (SIGINT), Save As
 * (pcap or pcapng) from the status bar item or the palette.
 *
 * One capture at a time. The process never outlives the extension: stopped when the extension is
 * disposed (deactivate, window closed) and killed when the extension host exits; a text capture
 * also stops when its document closes. Not offered in untrusted workspaces (it starts a process
 * named by a setting): the manifest's when clauses and a check here.
 *
 * The commands take an optional options object instead of asking ({ interface, filter, snaplen,
 * packetLimit, ringPackets, ringMB }; Save As: { path, format }), for scripts and the end-to-end tests.
 *
 * Ring limit, two kinds:
 * - `ringPackets` N: the editor keeps the last N to 2N packets of an endless capture and drops older
 *   ones (src/worker/liveIndex.ts), so its memory stays bounded; the file on disk holds every packet.
 * - `ringMB` N: tcpdump writes a ring of RING_FILES files (-C/-W, sizes from ringFileSize in
 *   src/node/tcpdump.ts) holding at most N MB on disk; the editor opens the first file, reads the
 *   ring as one capture (src/node/followRing.ts) and keeps at least half of it. Save As writes the
 *   ring's files on disk, oldest first, as one capture.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { errorMessage } from '../../core/errors';
import { saveCaptureAs } from '../../node/saveCapture';
import { captureArgs, checkFilter, listInterfaces, RING_FILES, ringFileSize, ringMinMB, TcpdumpProcess, textArgs, type CaptureOptions, type RingFiles as RingArgs, type TcpdumpFailure } from '../../node/tcpdump';
import { RingFiles, ringFileName } from '../../node/followRing';
import { CAPTURE_EDITOR_VIEW_TYPE } from './editorProvider';
import { RING_MIN_PACKETS } from '../../worker/api';
import { registerLiveFile } from './follow';
import { failureText } from './liveErrors';

/** How long tcpdump may take to say "listening on" before we call the start failed. */
const START_MS = 10000;
/** Lines a text capture appends at most (then it stops, saying so): a document is not a ring. */
const TEXT_MAX_LINES = 200000;
/** A text capture appends what arrived this often (one edit per batch, not one per line). */
const TEXT_FLUSH_MS = 250;

export interface LiveArgs {
  interface?: string;
  filter?: string;
  snaplen?: number;
  packetLimit?: number;
  /** The editor keeps the last N to 2N packets (0 or absent: all). */
  ringPackets?: number;
  /** tcpdump keeps at most N MB (1,000,000 bytes) on disk in a ring of files; the editor at least half (0 or absent: one file). */
  ringMB?: number;
}

/** The ring limit asked for: packets the editor keeps, or MB on disk (0: none). */
interface RingChoice {
  packets: number;
  mb: number;
}

interface Running {
  proc: TcpdumpProcess;
  opts: CaptureOptions;
  /** The ring limit (packets the editor keeps at least; 0: all). */
  ring: number;
  mode: 'file' | 'text';
  /** The capture file (file mode; the ring's first file) and its temporary folder. */
  file?: string;
  /** "Keep the last N MB": the name given to tcpdump -w and its -C/-W. */
  fileRing?: { base: string; args: RingArgs };
  dir?: string;
  paused: boolean;
  stopping: boolean;
  disposables: vscode.Disposable[];
}

function tcpdumpPath(): string {
  return vscode.workspace.getConfiguration('captureLens').get<string>('capture.tcpdumpPath', 'tcpdump') || 'tcpdump';
}

export class LiveCaptures implements vscode.Disposable {
  private current: Running | undefined;
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  /** Temporary folders of finished captures (their files may still be open or saved): removed on dispose. */
  private readonly dirs: string[] = [];
  private readonly onExit = () => this.current?.proc.kill();

  constructor() {
    this.status.command = 'captureLens.captureActions';
    // the extension host may exit without disposing us (a crash, a reload): never leave tcpdump running
    process.once('exit', this.onExit);
  }

  /** The current capture's file (file mode), while it runs. */
  get file(): string | undefined {
    return this.current?.proc.running ? this.current.file : undefined;
  }

  async start(mode: 'file' | 'text', args?: LiveArgs): Promise<void> {
    const t = vscode.l10n.t;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(t('Live capture runs tcpdump, so it is not offered in an untrusted workspace. Trust the workspace to capture.'));
      return;
    }
    if (this.current?.proc.running) {
      void vscode.window.showInformationMessage(t('A capture is already running on {0}: stop it first.', this.current.opts.iface));
      return;
    }
    const tcpdump = tcpdumpPath();
    const asked = args && args.interface ? await this.fromArgs(tcpdump, args) : await this.ask(tcpdump, mode);
    if (!asked) return;
    const [opts, ring] = asked;
    if (mode === 'file') await this.startFile(tcpdump, opts, ring);
    else await this.startText(tcpdump, opts);
  }

  /** Options given by a caller: the filter is checked as when asked. */
  private async fromArgs(tcpdump: string, a: LiveArgs): Promise<[CaptureOptions, RingChoice] | undefined> {
    const opts: CaptureOptions = { iface: a.interface ?? '', filter: a.filter ?? '', snaplen: a.snaplen ?? 0, packetLimit: a.packetLimit ?? 0 };
    const bad = await checkFilter(tcpdump, opts.iface, opts.filter);
    if (bad) {
      this.showFailure(bad, opts.iface);
      return undefined;
    }
    return [opts, { packets: Math.max(0, Math.floor(a.ringPackets ?? 0)), mb: Math.max(0, Math.floor(a.ringMB ?? 0)) }];
  }

  /** Interface, filter (checked with tcpdump -d before anything starts), snap length, packet limit, ring limit (file mode). */
  private async ask(tcpdump: string, mode: 'file' | 'text'): Promise<[CaptureOptions, RingChoice] | undefined> {
    const t = vscode.l10n.t;
    const list = await listInterfaces(tcpdump);
    if (!Array.isArray(list)) {
      this.showFailure(list);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      list.map((i) => ({ label: i.name, description: i.description, detail: i.flags.join(', '), iface: i.name })),
      { title: t('Capture on which interface?'), placeHolder: t('Interfaces from tcpdump -D') },
    );
    if (!pick) return undefined;
    const filter = await this.askFilter(tcpdump, pick.iface);
    if (filter === undefined) return undefined;
    const snap = await vscode.window.showInputBox({
      title: t('Snap length'),
      prompt: t('Bytes kept of each packet (tcpdump -s); 262144 keeps whole packets, 128 keeps the headers'),
      value: '262144',
      validateInput: (s) => (/^\d{1,6}$/.test(s.trim()) ? undefined : t('A number of bytes, 0 to 262144')),
    });
    if (snap === undefined) return undefined;
    const limit = await vscode.window.showInputBox({
      title: t('Packet limit'),
      prompt: t('Stop after this many packets (tcpdump -c); empty for no limit'),
      value: '',
      validateInput: (s) => (/^\d{0,9}$/.test(s.trim()) ? undefined : t('A number of packets, or empty')),
    });
    if (limit === undefined) return undefined;
    const opts: CaptureOptions = { iface: pick.iface, filter, snaplen: Math.min(262144, Number(snap.trim())), packetLimit: Number(limit.trim() || '0') };
    const ring = mode === 'file' ? await this.askRing(opts.snaplen) : { packets: 0, mb: 0 };
    return ring ? [opts, ring] : undefined;
  }

  /** Keep every packet, the last N packets (in the editor) or the last N MB (on disk, a ring of files). */
  private async askRing(snaplen: number): Promise<RingChoice | undefined> {
    const t = vscode.l10n.t;
    const kind = await vscode.window.showQuickPick(
      [
        { label: t('Keep every packet'), description: t('tcpdump writes one growing file'), limit: 'all' as const },
        { label: t('Keep the last N packets'), description: t('in the editor; the file on disk keeps every packet'), limit: 'packets' as const },
        { label: t('Keep the last N MB'), description: t('on disk: tcpdump writes a ring of {0} files (-C/-W); the editor keeps at least half of it', RING_FILES), limit: 'mb' as const },
      ],
      { title: t('Ring limit') },
    );
    if (!kind) return undefined;
    if (kind.limit === 'all') return { packets: 0, mb: 0 };
    if (kind.limit === 'packets') {
      const r = await vscode.window.showInputBox({
        title: t('Ring limit'),
        prompt: t('Keep the last N packets in the editor (it shows N to 2N; older ones are dropped, their numbers kept); empty keeps every packet'),
        value: '',
        validateInput: (s) => (/^\d{0,9}$/.test(s.trim()) && (s.trim() === '' || Number(s.trim()) >= RING_MIN_PACKETS) ? undefined : t('A number of packets, at least {0}, or empty', RING_MIN_PACKETS)),
      });
      return r === undefined ? undefined : { packets: Number(r.trim() || '0'), mb: 0 };
    }
    const min = ringMinMB(snaplen);
    const r = await vscode.window.showInputBox({
      title: t('Ring limit in MB'),
      prompt: t('Keep at most N MB (1,000,000 bytes) on disk, in {0} files that tcpdump overwrites in turn; the editor shows the packets of at least half of them (older ones are dropped, their numbers kept)', RING_FILES),
      value: String(Math.max(min, 100)),
      validateInput: (s) => (/^\d{1,7}$/.test(s.trim()) && Number(s.trim()) >= min ? undefined : t('A number of megabytes, at least {0} with this snap length', min)),
    });
    return r === undefined ? undefined : { packets: 0, mb: Number(r.trim()) };
  }

  /** The filter box: on Enter tcpdump -d compiles it; its message stays under the box until the filter is good. */
  private askFilter(tcpdump: string, iface: string): Promise<string | undefined> {
    const t = vscode.l10n.t;
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = t('Capture filter (BPF)');
      box.prompt = t('A tcpdump filter such as "tcp port 443" or "host 10.0.0.1"; empty captures every packet');
      box.placeholder = 'tcp port 443';
      let done = false;
      box.onDidChangeValue(() => (box.validationMessage = undefined));
      box.onDidAccept(async () => {
        box.busy = true;
        const bad = await checkFilter(tcpdump, iface, box.value);
        box.busy = false;
        if (bad && bad.kind === 'filter') {
          box.validationMessage = failureText(bad, iface);
          return;
        }
        if (bad) this.showFailure(bad, iface);
        done = true;
        box.hide();
        resolve(bad ? undefined : box.value);
      });
      box.onDidHide(() => {
        box.dispose();
        if (!done) resolve(undefined);
      });
      box.show();
    });
  }

  private async startFile(tcpdump: string, opts: CaptureOptions, choice: RingChoice): Promise<void> {
    const t = vscode.l10n.t;
    const ringArgs = choice.mb > 0 ? ringFileSize(choice.mb, opts.snaplen) : null;
    if (choice.mb > 0 && !ringArgs) {
      void vscode.window.showErrorMessage(t('A ring limit of {0} MB is too small: at least {1} MB with this snap length.', choice.mb, ringMinMB(opts.snaplen)));
      return;
    }
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'capture-lens-live-'));
    this.dirs.push(dir);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const base = path.join(dir, `${opts.iface.replace(/[^\w.-]/g, '_')}-${stamp}.pcap`);
    // a ring: tcpdump writes BASE0 … BASE7; the editor opens the first and follows the others
    const file = ringArgs ? ringFileName(base, ringArgs.files, 0) : base;
    const ring = choice.packets;
    const live = registerLiveFile(file, ring, ringArgs?.files ?? 0);
    const proc = new TcpdumpProcess(tcpdump, captureArgs(base, opts, ringArgs ?? undefined, os.userInfo().username));
    const run: Running = { proc, opts, ring, mode: 'file', file, dir, paused: false, stopping: false, disposables: [] };
    if (ringArgs) run.fileRing = { base, args: ringArgs };
    this.current = run;
    void proc.exited.then(() => {
      live.ended();
      this.exited(run);
    });
    if (!(await this.waitStarted(run))) return;
    // tcpdump creates the file as it starts listening; the editor opens it once it is there
    for (let i = 0; i < 50 && !fs.existsSync(file) && proc.running; i++) await new Promise((r) => setTimeout(r, 100));
    this.updateStatus();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), CAPTURE_EDITOR_VIEW_TYPE);
    void vscode.window.setStatusBarMessage(t('Capturing on {0} into {1}', opts.iface, file), 5000);
  }

  private async startText(tcpdump: string, opts: CaptureOptions): Promise<void> {
    const t = vscode.l10n.t;
    const doc = await vscode.workspace.openTextDocument({ language: 'tcpdump', content: '' });
    await vscode.window.showTextDocument(doc, { preview: false });
    let buffered = '';
    let lines = 0;
    const proc = new TcpdumpProcess(tcpdump, textArgs(opts), (text) => {
      if (buffered.length < 8 * 1024 * 1024) buffered += text;
    });
    const run: Running = { proc, opts, ring: 0, mode: 'text', paused: false, stopping: false, disposables: [] };
    this.current = run;
    let flushing = false;
    const flush = async () => {
      const cut = buffered.lastIndexOf('\n');
      if (flushing || cut < 0 || doc.isClosed) return;
      flushing = true;
      const text = buffered.slice(0, cut + 1);
      buffered = buffered.slice(cut + 1);
      lines += text.split('\n').length - 1;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, doc.lineAt(doc.lineCount - 1).range.end, text);
      await vscode.workspace.applyEdit(edit);
      flushing = false;
      if (lines >= TEXT_MAX_LINES && proc.running) {
        void vscode.window.showInformationMessage(t('The capture stopped after {0} lines: a text document is not a ring buffer. Use Start Capture… for long captures.', lines));
        void this.stop();
      }
    };
    const timer = setInterval(() => void flush(), TEXT_FLUSH_MS);
    run.disposables.push(
      { dispose: () => clearInterval(timer) },
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === doc && proc.running) void this.stop();
      }),
    );
    void proc.exited.then(async () => {
      await flush();
      this.exited(run);
    });
    if (!(await this.waitStarted(run))) return;
    this.updateStatus();
  }

  /** Waits for "listening on"; false (the failure shown) when tcpdump exited or did not start in time. */
  private async waitStarted(run: Running): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, START_MS)));
    await Promise.race([run.proc.started, late]);
    clearTimeout(timer);
    if (run.proc.running && run.proc.stderr.includes('listening on')) return true;
    if (run.proc.running) {
      void run.proc.stop();
      this.showFailure({ kind: 'other', message: vscode.l10n.t('tcpdump did not start listening within {0} seconds', START_MS / 1000) });
      return false;
    }
    await run.proc.exited;
    this.showFailure(run.proc.failure(), run.opts.iface);
    return false;
  }

  /** tcpdump exited: say so when it was not asked to (the interface went away, a limit was reached). */
  private exited(run: Running): void {
    for (const d of run.disposables) d.dispose();
    run.disposables = [];
    if (this.current === run) this.updateStatus();
    const t = vscode.l10n.t;
    if (run.stopping || !run.proc.stderr.includes('listening on')) return;
    const f = run.proc.failure();
    if (run.proc.exitCode === 0 && run.opts.packetLimit > 0) {
      void vscode.window.showInformationMessage(t('The capture on {0} stopped after {1} packets (the packet limit).', run.opts.iface, run.opts.packetLimit));
    } else if (run.proc.exitCode !== 0) {
      this.showFailure(f.kind === 'other' && f.message === '' ? { kind: 'interface', message: t('tcpdump exited with code {0}', String(run.proc.exitCode ?? run.proc.exitSignal)) } : f, run.opts.iface);
    }
  }

  pause(): void {
    const c = this.current;
    if (!c?.proc.running || c.paused) return;
    c.proc.pause();
    c.paused = true;
    this.updateStatus();
  }

  resume(): void {
    const c = this.current;
    if (!c?.proc.running || !c.paused) return;
    c.proc.resume();
    c.paused = false;
    this.updateStatus();
  }

  /** Stop the capture; resolves once tcpdump has exited (the followed file then settles). */
  async stop(): Promise<void> {
    const c = this.current;
    if (!c) return;
    c.stopping = true;
    c.paused = false;
    await c.proc.stop();
    this.updateStatus();
  }

  /** Save the last file capture as pcap or pcapng (asks where unless told). */
  async saveAs(args?: { path?: string; format?: 'pcap' | 'pcapng' }): Promise<void> {
    const t = vscode.l10n.t;
    const c = this.current;
    const file = c?.mode === 'file' ? c.file : undefined;
    if (!file) {
      void vscode.window.showInformationMessage(t('There is no live capture file to save: start one with Capture Lens: Start Capture….'));
      return;
    }
    let dest = args?.path;
    let format = args?.format;
    if (!dest) {
      const uri = await vscode.window.showSaveDialog({
        title: t('Save the capture as'),
        defaultUri: vscode.Uri.file(path.join(os.homedir(), path.basename(file))),
        filters: { [t('pcap capture')]: ['pcap'], [t('pcapng capture')]: ['pcapng'] },
      });
      if (!uri) return;
      dest = uri.fsPath;
    }
    format ??= dest.toLowerCase().endsWith('.pcapng') ? 'pcapng' : 'pcap';
    try {
      // rewritten record by record even as pcap: a record tcpdump is still writing is left out, not cut
      const ring = c?.fileRing;
      const n = await saveCaptureAs(ring ? new RingFiles(ring.base, ring.args.files).pathsInOrder() : file, dest, format);
      void vscode.window.showInformationMessage(t('Saved {0} packets to {1}.', n, dest));
    } catch (e) {
      void vscode.window.showErrorMessage(t('Could not save the capture: {0}', errorMessage(e)));
    }
  }

  /** Pause, Resume, Stop, Save As: a menu from the status bar item. */
  async actions(): Promise<void> {
    const t = vscode.l10n.t;
    const c = this.current;
    const items: { label: string; command: string }[] = [];
    if (c?.proc.running) {
      items.push(c.paused ? { label: '$(debug-continue) ' + t('Resume capture'), command: 'captureLens.resumeCapture' } : { label: '$(debug-pause) ' + t('Pause capture'), command: 'captureLens.pauseCapture' });
      items.push({ label: '$(debug-stop) ' + t('Stop capture'), command: 'captureLens.stopCapture' });
    }
    if (c?.mode === 'file') items.push({ label: '$(save-as) ' + t('Save capture as…'), command: 'captureLens.saveCaptureAs' });
    const pick = await vscode.window.showQuickPick(items, { title: t('Live capture') });
    if (pick) await vscode.commands.executeCommand(pick.command);
  }

  private updateStatus(): void {
    const t = vscode.l10n.t;
    const c = this.current;
    void vscode.commands.executeCommand('setContext', 'captureLens.capturing', c?.proc.running === true);
    void vscode.commands.executeCommand('setContext', 'captureLens.capturePaused', c?.proc.running === true && c.paused);
    if (!c?.proc.running) {
      this.status.hide();
      return;
    }
    this.status.text = c.paused ? `$(debug-pause) ${t('Capture paused on {0}', c.opts.iface)}` : `$(record) ${t('Capturing on {0}', c.opts.iface)}`;
    this.status.tooltip = t('Pause, stop or save the live capture');
    this.status.show();
  }

  private showFailure(f: TcpdumpFailure, iface?: string): void {
    void vscode.window.showErrorMessage(failureText(f, iface));
  }

  dispose(): void {
    process.removeListener('exit', this.onExit);
    const c = this.current;
    if (c?.proc.running) {
      c.stopping = true;
      c.proc.kill();
    }
    for (const d of c?.disposables ?? []) d.dispose();
    this.status.dispose();
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** The live capture commands; the lead adds `registerLiveCapture()` to activate(). */
export function registerLiveCapture(): vscode.Disposable {
  const live = new LiveCaptures();
  return vscode.Disposable.from(
    live,
    vscode.commands.registerCommand('captureLens.startCapture', (args?: LiveArgs) => live.start('file', args)),
    vscode.commands.registerCommand('captureLens.captureToText', (args?: LiveArgs) => live.start('text', args)),
    vscode.commands.registerCommand('captureLens.pauseCapture', () => live.pause()),
    vscode.commands.registerCommand('captureLens.resumeCapture', () => live.resume()),
    vscode.commands.registerCommand('captureLens.stopCapture', () => live.stop()),
    vscode.commands.registerCommand('captureLens.saveCaptureAs', (args?: { path?: string; format?: 'pcap' | 'pcapng' }) => live.saveAs(args)),
    vscode.commands.registerCommand('captureLens.captureActions', () => live.actions()),
  );
}
