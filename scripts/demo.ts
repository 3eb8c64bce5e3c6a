/**
 * Demo: a real VS Code (code-server 4.96.4) in your browser with Capture Lens installed and
 * samples/ open. Builds nothing: `npm run demo` runs the e2e setup, the build and the sample
 * generator first; this script makes samples/ only if it is missing, packages the extension and
 * starts code-server exactly as the e2e harness does (startServer in test/e2e/harness/index.ts), without
 * a browser, and runs until Ctrl+C (or SIGTERM/SIGHUP), which ends code-server and every process
 * it started.
 *
 * The printed URL opens on the "Get Started with Capture Lens" walkthrough: its `payload` opens a
 * sample tcpdump log (which activates the extension), and the extension host runs with
 * CAPTURE_LENS_OPEN_WALKTHROUGH=1, on which the extension opens its walkthrough once
 * (src/extension/walkthrough.ts). Nothing else in the browser is scripted: the URL works in any
 * browser pointed at this machine's 127.0.0.1.
 *
 *   node scripts/run-ts.mjs scripts/demo.ts          port from $PORT, else a free one
 */
import { alive, ancestors, startServer } from '../test/e2e/harness';

async function main(): Promise<void> {
  const t0 = Date.now();
  const log = (line: string) => process.stderr.write(`[demo +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  let port: number | undefined;
  if (process.env.PORT) {
    port = Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT=${process.env.PORT} is not a port number`);
  }
  // Inherited by code-server and its extension host: the extension opens the walkthrough once.
  process.env.CAPTURE_LENS_OPEN_WALKTHROUGH = '1';
  const server = await startServer({ port, log });
  const url = walkthroughUrl(server.folderUrl, server.port, server.workspace);

  // `npm run demo` → sh → run-ts.mjs → this script: when one of them is killed alone (not the whole
  // process group, as Ctrl+C does), the others don't pass the signal on. Stop when any ancestor is
  // gone rather than live on as an orphan holding the port.
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
  process.stdout.write(
    [
      '',
      bar,
      '  Capture Lens demo: VS Code (code-server) with the extension and samples/',
      '',
      '  Open this URL (it starts on the "Get Started with Capture Lens" walkthrough):',
      '',
      `  ${url}`,
      '',
      `  The plain folder, without the walkthrough: ${server.folderUrl}`,
      '  The walkthrough again later: F1 → "Welcome: Open Walkthrough..." → Capture Lens.',
      '  Try: open a .pcap (capture editor) or a .tcpdump file (hovers, CodeLens, Problems),',
      '  F1 → "Capture Lens: Show Flow Graph", F1 → "Capture Lens: Paste tcpdump Output".',
      `  Logs:  ${server.runDir}`,
      '  Stop:  Ctrl+C',
      bar,
      '',
    ].join('\n') + '\n',
  );
}

/**
 * The folder URL plus a `payload` that opens a sample tcpdump log: opening it activates the
 * extension, which then opens its walkthrough (CAPTURE_LENS_OPEN_WALKTHROUGH). The file is named
 * by a vscode-remote URI whose authority is the address the browser uses, 127.0.0.1:PORT.
 */
export function walkthroughUrl(folderUrl: string, port: number, workspace: string): string {
  const file = `vscode-remote://127.0.0.1:${port}${workspace.split('/').map(encodeURIComponent).join('/')}/handshake-data-teardown.tcpdump`;
  return `${folderUrl}&payload=${encodeURIComponent(JSON.stringify([['openFile', file]]))}`;
}

// Only as the script itself (bundled by run-ts.mjs into .cache/demo.js), not when a test imports walkthroughUrl.
if (require.main === module && /(^|[\\/])demo\.(ts|js)$/.test(process.argv[1] ?? '')) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
