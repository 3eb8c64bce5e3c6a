/**
 * Demo: a real VS Code (code-server 4.96.4) in your browser with Capture Lens installed and
 * samples/ open. Builds nothing: `npm run demo` runs the e2e setup, the build and the sample
 * generator first; this script makes samples/ only if it is missing, packages the extension and
 * starts code-server exactly as the e2e harness does (startServer in test/e2e/harness/index.ts), without
 * a browser, and runs until Ctrl+C (or SIGTERM/SIGHUP), or until the shell that started it is gone,
 * which ends code-server and every process it started.
 *
 * The printed URL opens on the "Get Started with Capture Lens" walkthrough: its `payload` opens a
 * sample tcpdump log (which activates the extension), and the extension host runs with
 * CAPTURE_LENS_OPEN_WALKTHROUGH=1, on which the extension opens its walkthrough once
 * (src/extension/walkthrough.ts). Nothing else in the browser is scripted.
 *
 *   node scripts/run-ts.mjs scripts/demo.ts [--host ADDR] [--port N]
 *     --port N, or $PORT      the port; default a free one
 *     --host ADDR, or $HOST   the address to listen on; default 127.0.0.1 (this machine only).
 *                             0.0.0.0 (or ::) opens it to other machines: then code-server asks
 *                             for a password ($PASSWORD, else a random one printed here), since
 *                             whoever opens it gets a VS Code with a terminal on this machine.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { alive, ancestors, hostInUrl, startServer } from '../test/e2e/harness';

export interface DemoOptions {
  host: string;
  port?: number;
}

/** --host/--port, else $HOST/$PORT, else 127.0.0.1 and a free port. Throws on a bad value. */
export function demoOptions(argv: string[], env: NodeJS.ProcessEnv): DemoOptions {
  let host = env.HOST || '127.0.0.1';
  let portText = env.PORT || undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(host|port)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown option ${a} (the demo takes --host ADDR and --port N)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`${a} needs a value`);
    if (m[1] === 'host') host = value;
    else portText = value;
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new Error(`port ${portText} is not a port number (1-65535)`);
  }
  return { host, port };
}

/** Only this machine can connect: a loopback address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The addresses other machines may use for a server listening on `host` (every interface for 0.0.0.0/::). */
function reachableAddresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4' || (host === '::' && a.family === 'IPv6' && !a.address.startsWith('fe80'))) out.push(a.address);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const log = (line: string) => process.stderr.write(`[demo +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  const { host, port } = demoOptions(process.argv.slice(2), process.env);
  const open = !isLoopback(host);
  const password = open ? process.env.PASSWORD || randomBytes(12).toString('base64url') : undefined;
  // Inherited by code-server and its extension host: the extension opens the walkthrough once.
  process.env.CAPTURE_LENS_OPEN_WALKTHROUGH = '1';
  const server = await startServer({ port, host, password, log });
  const local = walkthroughUrl(server.folderUrl, server.port, server.workspace);
  const remote = open ? reachableAddresses(host) : [];

  // `npm run demo` → sh → run-ts.mjs → this script: when one of them is killed alone (not the whole
  // process group, as Ctrl+C does), or the terminal's shell exits, the others don't pass the signal
  // on. Stop when any ancestor is gone rather than live on as an orphan holding the port.
  const chain = ancestors();
  const watch = setInterval(() => {
    const gone = chain.find((p) => !alive(p));
    if (gone && !server.stopping) {
      clearInterval(watch);
      log(`parent process ${gone.pid} gone: stopping`);
      void server.stop().finally(() => process.exit(0));
    }
  }, 1000);
  void server.exited.then(() => {
    if (server.stopping) return; // Ctrl+C or kill: startServer's handler ends the process
    clearInterval(watch);
    log(`code-server ended by itself; log: ${server.logFile}`);
    void server.stop().finally(() => process.exit(1));
  });

  const bar = '='.repeat(72);
  const at = (a: string): string => walkthroughUrl(folderUrlAt(a, server.port, server.workspace), server.port, server.workspace, a);
  const anyAddress = host === '0.0.0.0' || host === '::';
  const lines = [
    '',
    bar,
    '  Capture Lens demo: VS Code (code-server) with the extension and samples/',
    `  Listening on ${hostInUrl(host)}:${server.port}${open ? '' : ' (this machine only; --host 0.0.0.0 opens it to others)'}`,
    '',
    '  Open this URL (it starts on the "Get Started with Capture Lens" walkthrough):',
    '',
    `  ${open && !anyAddress ? at(host) : local}`,
    '',
  ];
  if (anyAddress && remote.length) {
    lines.push('  From another machine, one of:', '');
    for (const a of remote) lines.push(`  ${at(a)}`);
    lines.push('');
  }
  if (password) lines.push(`  Password: ${password}${process.env.PASSWORD ? ' (from $PASSWORD)' : ''}`, '');
  lines.push(
    `  The plain folder, without the walkthrough: ${server.folderUrl}`,
    '  The walkthrough again later: F1 → "Welcome: Open Walkthrough..." → Capture Lens.',
    '  Try: open a .pcap (capture editor) or a .tcpdump file (hovers, CodeLens, Problems),',
    '  F1 → "Capture Lens: Show Flow Graph", F1 → "Capture Lens: Paste tcpdump Output".',
    `  Logs:  ${server.runDir}`,
    '  Stop:  Ctrl+C (it also stops when the shell that started it exits)',
    bar,
    '',
  );
  process.stdout.write(lines.join('\n') + '\n');
}

/** The URL that opens the workspace folder on a server reached at host:port. */
export function folderUrlAt(host: string, port: number, workspace: string): string {
  return `http://${hostInUrl(host)}:${port}/?folder=${encodeURIComponent(workspace).replace(/%2F/g, '/')}`;
}

/**
 * The folder URL plus a `payload` that opens a sample tcpdump log: opening it activates the
 * extension, which then opens its walkthrough (CAPTURE_LENS_OPEN_WALKTHROUGH). The file is named
 * by a vscode-remote URI whose authority is the address the browser uses (default 127.0.0.1:PORT).
 */
export function walkthroughUrl(folderUrl: string, port: number, workspace: string, host = '127.0.0.1'): string {
  const file = `vscode-remote://${hostInUrl(host)}:${port}${workspace.split('/').map(encodeURIComponent).join('/')}/handshake-data-teardown.tcpdump`;
  return `${folderUrl}&payload=${encodeURIComponent(JSON.stringify([['openFile', file]]))}`;
}

// Only as the script itself (bundled by run-ts.mjs into .cache/demo.js), not when a test imports walkthroughUrl.
if (require.main === module && /(^|[\\/])demo\.(ts|js)$/.test(process.argv[1] ?? '')) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
