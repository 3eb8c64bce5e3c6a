/**
 * Demo: a real VS Code (code-server 4.96.4) in your browser with Capture Lens installed and
 * samples/ open. Builds nothing: `npm run demo` runs the e2e setup, the build and the sample
 * generator first; this script makes samples/ only if it is missing, packages the extension and
 * starts code-server exactly as the e2e harness does (startServer in scripts/e2e-run.ts), without
 * a browser, and runs until Ctrl+C (or SIGTERM/SIGHUP), which ends code-server and every process
 * it started.
 *
 *   node scripts/run-ts.mjs scripts/demo.ts          port from $PORT, else a free one
 */
import { alive, ancestors, startServer } from './e2e-run';

async function main(): Promise<void> {
  const t0 = Date.now();
  const log = (line: string) => process.stderr.write(`[demo +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  let port: number | undefined;
  if (process.env.PORT) {
    port = Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT=${process.env.PORT} is not a port number`);
  }
  const server = await startServer({ port, log });

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

  const bar = '='.repeat(Math.max(72, server.folderUrl.length + 12));
  process.stdout.write(
    [
      '',
      bar,
      '  Capture Lens demo: VS Code (code-server) with the extension and samples/',
      '',
      `  Open:  ${server.folderUrl}`,
      '',
      '  Try: open a .tcpdump file (hovers, CodeLens, Problems), right-click a .pcap →',
      '  "Open Capture as tcpdump Text", F1 → "Capture Lens: Paste tcpdump Output".',
      `  Logs:  ${server.runDir}`,
      '  Stop:  Ctrl+C',
      bar,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
