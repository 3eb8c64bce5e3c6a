/**
 * Decoding worker of the capture editor in VS Code for the Web (issue 17): a Web Worker started by
 * the browser extension host (src/extension/capture/workerTransport.ts), running the same handlers
 * (./serve.ts) and the same index as the desktop's worker_threads worker (./worker.ts). The host
 * sends the whole file (read with vscode.workspace.fs, at most WHOLE_FILE_MAX_BYTES): it is indexed
 * and read by position from memory (./bytesInput.ts). No decode-ahead thread, no export to local
 * files, no Follow Save: those requests fail with a sentence. Built by scripts/build.mjs for
 * platform "browser", where an import of node:* fails the build.
 */
import { bundleTranslator } from '../core/explain/l10n';
import { BytesInput } from './bytesInput';
import { serve } from './serve';

/** l10n/bundle.l10n.zh-cn.json, put in by scripts/build.mjs (a browser reads no file of the extension). */
declare const CAPTURE_LENS_ZH_BUNDLE: Record<string, string>;

interface WorkerScope {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  close(): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

const zh = bundleTranslator(CAPTURE_LENS_ZH_BUNDLE);

const receive = serve({
  post: (msg, transfer) => scope.postMessage(msg, transfer),
  exit: () => scope.close(),
  input(msg) {
    if (!msg.bytes) throw new Error('open: a browser worker indexes bytes only (the host reads the file through vscode.workspace.fs)');
    return new BytesInput(new Uint8Array(msg.bytes), msg.name ?? 'capture', zh);
  },
});

// setImmediate is Node's: the index's filters and Follow yield with it (src/worker/filterViews.ts,
// src/worker/follow.ts). A message to ourselves is one turn of the event loop without setTimeout's 4 ms clamp.
const g = globalThis as { setImmediate?: (f: () => void) => void };
g.setImmediate ??= (f: () => void): void => {
  const c = new MessageChannel();
  c.port1.onmessage = () => {
    c.port1.close();
    f();
  };
  c.port2.postMessage(0);
};

scope.addEventListener('message', (e) => receive(e.data));
