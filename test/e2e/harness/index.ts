/**
 * End-to-end harness: a real VS Code (code-server) driven by Debian's Chromium through playwright-core,
 * on a machine without internet (the workarounds are in scripts/e2e-setup.sh). Both tools live in .e2e/tools/,
 * installed by scripts/e2e-setup.sh, outside the repository's node_modules; playwright-core is loaded
 * at run time, so this file type-checks without it (only the small part of its API used here is typed).
 *
 * Library:   const s = await startSession({ workspace, extraFiles }); try { await s.openFile('a.tcpdump'); … }
 *            finally { await s.close(); }      — or withSession(options, async (s) => { … })
 *            startServer(options) is the code-server part alone (no browser); scripts/demo.ts uses it.
 * Command:   node scripts/run-ts.mjs scripts/e2e-screenshots.ts [--folder] [--workspace DIR] [--extra FILE]… [--theme NAME] [FILE…]
 *            opens each FILE by quick open and saves a screenshot of each into test-results/e2e/.
 *
 * Every session gets a scratch HOME/XDG tree, user-data and extensions directories under .e2e/runs/,
 * a free 127.0.0.1 port and a Chromium that may only reach 127.0.0.1. close() ends Chromium, code-server
 * and every process code-server started (recorded while it runs), also when a test failed or the
 * process is interrupted (SIGINT/SIGTERM/SIGHUP) or exits.
 *
 * This file starts code-server and the browser; workbench.ts has the Session's VS Code UI helpers and
 * processes.ts the bookkeeping of what code-server started. The helpers the test files share, one module a concern:
 * poll.ts (until: waiting for what the UI shows), webviews.ts (reaching a webview's document), capture.ts (the
 * capture editor: opening a capture, its status line), keybindings.ts (a command run with arguments), commands.ts (a command
 * retried until the palette lists it) and suite.ts (those bound to a suite's session). A helper
 * two files need goes there, not into a copy: `duplicates` (the tool library) finds copies.
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { alive, findByCmdline, killStragglers, ProcessTracker, procStat, sleep } from './processes';
import { makeSession } from './workbench';

export { alive, ancestors } from './processes';
export type { ProcId } from './processes';
export { until } from './poll';
export { captureView, WEBVIEW, webviewWith } from './webviews';
export { closeEditors, openCapture, waitStatus, type OpenCaptureOptions } from './capture';
export { sessionHelpers, type SessionHelpers } from './suite';
export { setKeybindings, type Keybinding } from './keybindings';
export { runCommandRetried } from './commands';

// ---------------------------------------------------------------------------------------------
// The part of playwright-core's API used here: one typing for the page's locators and the webviews' (frames and
// frame locators), so a test file needs no interface of its own (each file used to declare the subset it used).
export interface PwLocator {
  first(): PwLocator;
  last(): PwLocator;
  nth(index: number): PwLocator;
  filter(options: { hasText?: string | RegExp }): PwLocator;
  locator(selector: string): PwLocator;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  press(key: string, options?: { timeout?: number }): Promise<void>;
  focus(options?: { timeout?: number }): Promise<void>;
  click(options?: { timeout?: number; button?: 'left' | 'right'; force?: boolean; position?: { x: number; y: number } }): Promise<void>;
  dblclick(options?: { timeout?: number; force?: boolean }): Promise<void>;
  hover(options?: { timeout?: number }): Promise<void>;
  selectOption(value: string): Promise<unknown>;
  innerText(options?: { timeout?: number }): Promise<string>;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
  isChecked(): Promise<boolean>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  evaluateAll<R>(fn: (els: Element[]) => R): Promise<R>;
}
/** A frame of the page (a webview's document lives in one). */
export interface WebviewFrame {
  locator(selector: string): PwLocator;
  isDetached(): boolean;
  url(): string;
}
/** A frame locator: a frame reached by selectors (resolved at each use, so it follows a webview that reloads). */
export interface FrameLoc {
  frameLocator(selector: string): FrameLoc;
  locator(selector: string): PwLocator;
}
export interface PwPage {
  frames(): WebviewFrame[];
  frameLocator(selector: string): FrameLoc;
  goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded'; timeout?: number }): Promise<unknown>;
  locator(selector: string): PwLocator;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  mouse: { move(x: number, y: number, options?: { steps?: number }): Promise<void> };
  evaluate<R, A>(fn: (arg: A) => R, arg: A): Promise<R>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options?: { timeout?: number; polling?: number }): Promise<unknown>;
  setDefaultTimeout(ms: number): void;
  on(event: 'console' | 'pageerror', listener: (x: { text?: () => string; message?: string }) => void): void;
}
interface PwRoute {
  request(): { url(): string };
  abort(): Promise<void>;
  continue(): Promise<void>;
}
interface PwContext {
  pages(): PwPage[];
  newPage(): Promise<PwPage>;
  route(url: string | RegExp, handler: (route: PwRoute) => unknown): Promise<void>;
  grantPermissions(permissions: string[], options?: { origin?: string }): Promise<void>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: {
    launchPersistentContext(
      userDataDir: string,
      options: { executablePath: string; headless: boolean; args: string[]; viewport?: { width: number; height: number }; env?: NodeJS.ProcessEnv },
    ): Promise<PwContext>;
  };
}

// ---------------------------------------------------------------------------------------------
export interface ServerOptions {
  /** Folder to open; default samples/ (made by `npm run samples` when missing). */
  workspace?: string;
  /** Files copied, with the workspace's own files, into a scratch workspace that is opened instead. */
  extraFiles?: string[];
  /** How the extension gets in: a .vsix from `vsce package` (default) or the folder copied into the extensions dir. */
  install?: 'vsix' | 'folder';
  /**
   * Install the folder with only its `browser` entry (package.json without "main", issue 17): VS Code can then
   * run it only in the browser's web-worker extension host. Implies install: 'folder'.
   */
  webOnly?: boolean;
  /** User settings added to (or overriding) the recipe's. */
  settings?: Record<string, unknown>;
  /** Port; default a free one. */
  port?: number;
  /**
   * Address code-server listens on; default 127.0.0.1 (this machine only). The demo takes another
   * (e.g. 0.0.0.0) to be opened from other machines; the tests' browser only reaches loopback.
   */
  host?: string;
  /** When set, code-server asks for this password (auth: password) instead of letting anyone in. */
  password?: string;
  /**
   * Display language (e.g. 'zh-cn'): code-server starts with --locale and a minimal language pack
   * for it (no translations of VS Code itself, which would need the Marketplace), enough for
   * vscode.env.language — and so our l10n bundle — to follow.
   */
  locale?: string;
  /** Progress lines; default: to stderr with a time offset. */
  log?: (line: string) => void;
}

export interface SessionOptions extends ServerOptions {
  /** Browser window size; default 1400×900. */
  viewport?: { width: number; height: number };
}

/** A running code-server with the extension installed, in its own scratch directories. */
export interface Server {
  readonly port: number;
  /** The address code-server listens on (options.host). */
  readonly host: string;
  /** http://127.0.0.1:PORT/ (or the listening address, when it is one address other than loopback) */
  readonly url: string;
  /** The URL that opens the workspace folder: http://127.0.0.1:PORT/?folder=… */
  readonly folderUrl: string;
  /** The folder opened in the workbench. */
  readonly workspace: string;
  /** This server's scratch directory (logs, profile, extensions). */
  readonly runDir: string;
  /** code-server's log file (in runDir). */
  readonly logFile: string;
  /** The environment code-server runs with (scratch HOME and XDG directories). */
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when code-server ends (by itself or by stop()). */
  readonly exited: Promise<void>;
  /** True once stop() has begun (on purpose or on a signal). */
  readonly stopping: boolean;
  /** Registers work done first by stop() (also on Ctrl+C or kill), e.g. closing a browser. */
  onStop(fn: () => Promise<void> | void): void;
  /** Ends what onStop registered, code-server and every process it started. Safe to call twice. */
  stop(): Promise<void>;
}

export interface Session {
  readonly page: PwPage;
  readonly port: number;
  readonly url: string;
  /** The folder opened in the workbench. */
  readonly workspace: string;
  /** This session's scratch directory (logs, profile, extensions). */
  readonly runDir: string;
  /** Opens a file of the workspace by quick open (Ctrl+P) and waits for its editor. */
  openFile(name: string): Promise<void>;
  /** Runs a command by its palette title (F1, `>title`, Enter). */
  runCommand(title: string): Promise<void>;
  /**
   * In the quick input already open (Ctrl+P, or a command's own pick): types `text`, waits for a row showing `rowText`
   * (default `text`) and takes that row — clicked when another row has the focus, as Enter would take that one.
   */
  quickPick(text: string, rowText?: string): Promise<void>;
  /** Right-clicks a file in the explorer and picks `item` from its context menu. */
  explorerMenu(fileName: string, item: string): Promise<void>;
  /** Waits until the active editor tab's label starts with `label` (e.g. "Untitled-1"), matches it, or passes it; returns the label. */
  waitForActiveTab(label: string | RegExp | ((label: string) => boolean), options?: { timeout?: number }): Promise<string>;
  /** Moves the mouse onto the first occurrence of `word` in the active editor; returns the hover's text. */
  hoverWord(word: string, options?: { occurrence?: number; timeout?: number }): Promise<string>;
  /** Texts of the CodeLenses shown in the active editor (waits up to `timeout` ms for the first; [] if none). */
  codeLensTexts(options?: { timeout?: number }): Promise<string[]>;
  /** Clicks the first CodeLens of the active editor whose text contains `text`. */
  clickCodeLens(text: string): Promise<void>;
  /** The Problems view's entries (their accessible labels), after opening the view. */
  problems(): Promise<string[]>;
  /** The language indicator in the status bar (e.g. "tcpdump"). */
  languageMode(): Promise<string>;
  /** Text of the visible lines of the active editor (Monaco renders only what is on screen). */
  editorText(): Promise<string>;
  /** Computed styles of the token spans of the first visible line containing `lineIncludes`. */
  lineTokens(lineIncludes: string): Promise<Token[]>;
  /** lineTokens once tokenizing has coloured the line (at least `minColors` colours, default 4; waits up to `timeout` ms). */
  colouredTokens(lineIncludes: string, options?: { minColors?: number; timeout?: number }): Promise<Token[]>;
  /** Puts text on the system clipboard (through the page; the context has clipboard permissions). */
  setClipboard(text: string): Promise<void>;
  /** Lines shown for an output channel, picked by "Output: Show Output Channels…". */
  outputChannel(name: string): Promise<string>;
  /** Saves a PNG into test-results/e2e/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** The frame of the (first) webview whose document has an element matching `selector`: the capture editor, the flow graph, a walkthrough page. */
  webviewFrame(selector: string, options?: { timeout?: number }): Promise<WebviewFrame>;
  /** Ends Chromium, code-server and the processes code-server started. Safe to call twice. */
  close(): Promise<void>;
}

export type Token = { text: string; color: string; fontStyle: string; fontWeight: string };

/** The first token with exactly `text`, looking only after the first token that contains `after`. */
export function tokenAfter<T extends { text: string }>(toks: T[], text: string, after?: string): T {
  let from = 0;
  if (after) from = toks.findIndex((t) => t.text.includes(after)) + 1;
  const t = toks.slice(from).find((x) => x.text === text);
  if (!t) throw new Error(`no span "${text}"${after ? ` after "${after}"` : ''} in ${JSON.stringify(toks.map((x) => x.text))}`);
  return t;
}

const CODE_SERVER_VERSION = '4.96.4';
const CHROMIUM = '/usr/bin/chromium';

export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'capture-lens') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export async function withSession<T>(options: SessionOptions, body: (s: Session) => Promise<T>): Promise<T> {
  const s = await startSession(options);
  try {
    return await body(s);
  } finally {
    await s.close();
  }
}

function defaultLog(): (line: string) => void {
  const t0 = Date.now();
  return (line: string) => process.stderr.write(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
}

/**
 * Starts code-server with the packaged (or copied) extension on 127.0.0.1 (or options.host), in scratch HOME/XDG,
 * user-data and extensions directories under .e2e/runs/, and waits for /healthz. Used by
 * startSession (tests) and scripts/demo.ts. Ctrl+C, kill or the process's exit end code-server and
 * everything it started; stop() does it on purpose.
 */
export async function startServer(options: ServerOptions = {}): Promise<Server> {
  const log = options.log ?? defaultLog();
  const root = repoRoot();
  const tools = path.join(root, '.e2e', 'tools', 'node_modules');
  const entry = path.join(tools, 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error('code-server missing: run `bash scripts/e2e-setup.sh` first');
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing: run `npm run build` first');
  const host = options.host ?? '127.0.0.1';
  // Where this process reaches the server: any address (0.0.0.0, ::) includes loopback.
  const probe = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  if (options.port !== undefined) await assertPortFree(options.port, host);

  const runs = path.join(root, '.e2e', 'runs');
  fs.mkdirSync(runs, { recursive: true });
  pruneOldRuns(runs, 4);
  const runDir = fs.mkdtempSync(path.join(runs, `${new Date().toISOString().replace(/[:.]/g, '-')}-`));
  // A live run (a demo left running, a parallel test) is never pruned by another.
  fs.writeFileSync(path.join(runDir, 'owner'), `${process.pid} ${procStat(process.pid)?.start ?? ''}\n`);
  const dirs = {
    home: path.join(runDir, 'home'),
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // Chromium keeps a socket under TMPDIR; a deep run folder (a long clone path) would pass the
  // 108-byte limit of a socket path, so temporary files go to a short folder of their own.
  const shortTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    TMPDIR: shortTmp,
  };
  const config = path.join(runDir, 'code-server.yaml');
  fs.writeFileSync(config, options.password ? `auth: password\npassword: ${JSON.stringify(options.password)}\ncert: false\n` : 'auth: none\ncert: false\n');

  // Workspace.
  let workspace = path.resolve(root, options.workspace ?? 'samples');
  if (!options.workspace && !fs.existsSync(workspace)) {
    log('samples/ missing: npm run samples');
    const r = spawnSync('npm', ['run', '--silent', 'samples'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run samples failed');
  }
  if (options.extraFiles?.length) {
    const scratch = path.join(runDir, 'workspace');
    fs.mkdirSync(scratch, { recursive: true });
    if (fs.existsSync(workspace)) fs.cpSync(workspace, scratch, { recursive: true });
    for (const f of options.extraFiles) fs.copyFileSync(path.resolve(root, f), path.join(scratch, path.basename(f)));
    workspace = scratch;
  }

  // User settings.
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(
    settingsFile,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'editor.hover.delay': 100,
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        // The scratch workspace lies inside this repository: no "open the parent repository?" toast.
        'git.openRepositoryInParentFolders': 'never',
        'git.autoRepositoryDetection': false,
        ...options.settings,
      },
      null,
      2,
    ),
  );

  const csArgs = [
    '--config', config,
    '--auth', options.password ? 'password' : 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    ...(options.locale ? ['--locale', options.locale] : []),
  ];
  const csLog = path.join(runDir, 'code-server.log');

  // Extension.
  const install = options.webOnly ? 'folder' : (options.install ?? (process.env.E2E_INSTALL === 'folder' ? 'folder' : 'vsix'));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  if (install === 'vsix') {
    const vsix = path.join(runDir, `${pkg.name}-${pkg.version}.vsix`);
    log('packaging the extension (vsce package)');
    run(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], root, process.env, csLog);
    log('installing the .vsix into the scratch extensions dir');
    run(process.execPath, [entry, ...csArgs, '--install-extension', vsix], root, env, csLog);
  } else {
    const dest = path.join(dirs.extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    copyExtensionFolder(root, dest);
    if (options.webOnly) {
      const manifest = JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8')) as Record<string, unknown>;
      delete manifest.main;
      fs.writeFileSync(path.join(dest, 'package.json'), JSON.stringify(manifest, null, 2));
    }
    log(`copied the extension folder to ${path.relative(root, dest)}${options.webOnly ? ' (browser entry only)' : ''}`);
  }

  if (options.locale) {
    writeLanguagePack(dirs.extensions, dirs.userData, options.locale);
    log(`wrote a minimal ${options.locale} language pack`);
  }

  // code-server.
  const port = options.port ?? (await freePort(host));
  const url = `http://${hostInUrl(probe)}:${port}/`;
  const tracker = new ProcessTracker();
  const out = fs.openSync(csLog, 'a');
  const server: ChildProcess = spawn(process.execPath, [entry, ...csArgs, '--bind-addr', `${hostInUrl(host)}:${port}`, workspace], {
    cwd: root,
    env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  tracker.watch(server.pid!);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  const beforeStop: Array<() => Promise<void> | void> = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.off('exit', onExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
      for (const fn of beforeStop.reverse()) {
        try {
          await fn();
        } catch {
          /* keep stopping */
        }
      }
      await tracker.stop(server);
      // Anything of ours still naming this run (a browser, a helper) goes too.
      killStragglers(findByCmdline(runDir));
      fs.rmSync(shortTmp, { recursive: true, force: true });
      log(`stopped (logs in ${path.relative(root, runDir)})`);
    })());
  const onExit = (): void => {
    // Last resort when the process ends without stop(): synchronous kills by recorded id.
    killStragglers(findByCmdline(runDir));
    tracker.killAllNow(server.pid!);
  };
  // Interrupted (Ctrl+C, kill, closed terminal): end what we started, then die as the signal asked.
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
    setTimeout(() => process.exit(code), 10_000).unref(); // stop() hangs: onExit kills by id
    void stop().finally(() => process.exit(code));
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);

  try {
    log(`code-server ${CODE_SERVER_VERSION} starting on ${url}`);
    await waitForHealthz(probe, port, server, 30_000, csLog);
    log('code-server ready (/healthz)');
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    port,
    host,
    url,
    folderUrl: `${url}?folder=${encodeURIComponent(workspace).replace(/%2F/g, '/')}`,
    workspace,
    runDir,
    logFile: csLog,
    env,
    exited,
    get stopping() {
      return stopping !== undefined;
    },
    onStop: (fn) => void beforeStop.push(fn),
    stop,
  };
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const log = options.log ?? defaultLog();
  const root = repoRoot();
  const tools = path.join(root, '.e2e', 'tools', 'node_modules');
  if (!fs.existsSync(path.join(tools, 'playwright-core'))) throw new Error('playwright-core missing: run `bash scripts/e2e-setup.sh` first');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run \`bash scripts/e2e-setup.sh\` first`);

  const server = await startServer({ ...options, log });
  const { port, url, workspace, runDir, env } = server;
  const browserProfile = path.join(runDir, 'browser-profile');
  fs.mkdirSync(browserProfile, { recursive: true });
  let context: PwContext | undefined;
  server.onStop(async () => {
    if (context) await Promise.race([context.close().catch(() => undefined), sleep(5000)]);
    killStragglers(findByCmdline(browserProfile));
  });
  const close = (): Promise<void> => server.stop();

  try {
    const pw = require(path.join(tools, 'playwright-core')) as PlaywrightCore;
    context = await pw.chromium.launchPersistentContext(browserProfile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: options.viewport ?? { width: 1400, height: 900 },
      env,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // The page only talks to our server: everything else (open-vsx.org, marketplace, CDNs) is aborted.
    await context.route(/.*/, (route) => {
      const host = new URL(route.request().url()).hostname;
      return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1' ? route.continue() : route.abort();
    });
    // Paste/copy tests: the clipboard API without a prompt.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url.replace(/\/$/, '') });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e.message ?? e)));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    log('workbench ready');

    const session = makeSession({ page, port, url, workspace, runDir, root, log, close });
    return session;
  } catch (e) {
    await close();
    throw e;
  }
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): void {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  fs.appendFileSync(logFile, `$ ${path.basename(cmd)} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args[0]} failed (${r.status ?? r.signal}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`.slice(0, 4000));
}

/**
 * A language pack extension for `locale` with no translations, and the user-data cache that points
 * at it (VS Code writes languagepacks.json only after it has scanned the extensions, too late for
 * the first start): VS Code then runs in that language, its own texts staying English.
 */
function writeLanguagePack(extensionsDir: string, userDataDir: string, locale: string): void {
  const id = `capture-lens-test.language-pack-${locale}`;
  const dir = path.join(extensionsDir, `${id}-0.0.1`);
  fs.mkdirSync(path.join(dir, 'translations'), { recursive: true });
  const manifest = {
    name: `language-pack-${locale}`,
    publisher: 'capture-lens-test',
    version: '0.0.1',
    engines: { vscode: '*' },
    categories: ['Language Packs'],
    contributes: { localizations: [{ languageId: locale, languageName: locale, localizedLanguageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
  };
  const translations = path.join(dir, 'translations', 'main.i18n.json');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.mkdirSync(userDataDir, { recursive: true });
  const cache = { [locale]: { hash: 'capture-lens-test-0.0.1', extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }], translations: { vscode: translations }, label: locale } };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(cache, null, 2));
}

/** What .vscodeignore lets ship, for the folder install (the .vsix route asks vsce itself). */
function copyExtensionFolder(root: string, dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  for (const name of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (fs.existsSync(path.join(root, name))) fs.copyFileSync(path.join(root, name), path.join(dest, name));
  }
  for (const name of fs.readdirSync(root)) {
    if (/^package\.nls.*\.json$/.test(name)) fs.copyFileSync(path.join(root, name), path.join(dest, name));
  }
  for (const dir of ['media', 'syntaxes', 'l10n']) {
    if (fs.existsSync(path.join(root, dir))) fs.cpSync(path.join(root, dir), path.join(dest, dir), { recursive: true });
  }
  fs.mkdirSync(path.join(dest, 'dist'), { recursive: true });
  for (const name of fs.readdirSync(path.join(root, 'dist'))) {
    if (/^(extension|worker|webview|capture)\.js$|\.css$/.test(name)) fs.copyFileSync(path.join(root, 'dist', name), path.join(dest, 'dist', name));
  }
  // the browser entry (package.json "browser", issue 17)
  if (fs.existsSync(path.join(root, 'dist', 'web'))) fs.cpSync(path.join(root, 'dist', 'web'), path.join(dest, 'dist', 'web'), { recursive: true, filter: (f) => !f.endsWith('.map') });
}

/** Keeps the newest `keep` runs, and every run whose owner process is still alive. */
function pruneOldRuns(dir: string, keep: number): void {
  const runs = fs.readdirSync(dir).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - keep))) {
    if (ownerAlive(path.join(dir, old))) continue;
    fs.rmSync(path.join(dir, old), { recursive: true, force: true });
  }
}

function ownerAlive(runDir: string): boolean {
  try {
    const [pid, start] = fs.readFileSync(path.join(runDir, 'owner'), 'utf8').trim().split(' ');
    return alive({ pid: Number(pid), start: start ?? '' });
  } catch {
    return false;
  }
}

/** An address as it goes into a URL or --bind-addr: IPv6 in brackets. */
export function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use` : `port ${port} on ${host}: ${e.message}`)),
    );
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealthz(host: string, port: number, server: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`code-server exited (${server.exitCode ?? server.signalCode}); log:\n${tail(logFile)}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host, port, path: '/healthz', timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; log:\n${tail(logFile)}`);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
