/**
 * VS Code for the Web's platform (./platform.ts, issue 17). The decoding worker is a Web Worker
 * (dist/web/worker.js). It is started from a blob: URL of the script's text, read through
 * vscode.workspace.fs: the extension's files are served from another origin than the extension
 * host's, and `new Worker(url)` accepts only its own origin. Every capture is read whole through
 * vscode.workspace.fs (no localFiles), and the worker writes no files (no scratch).
 */
import * as vscode from 'vscode';
import type { WorkerPort } from '../worker/client';
import { errorMessage } from '../core/errors';
import type { HostPlatform } from './platform';
import { bundleTranslator, type Translate } from '../core/explain/l10n';
import { sampleFiles } from '../core/synth/sampleFiles';

/** l10n/bundle.l10n.zh-cn.json, put in by scripts/build.mjs (read once here, not fetched). */
declare const CAPTURE_LENS_ZH_BUNDLE: Record<string, string>;
let zh: Translate | undefined;

/** The worker script's text, read once per extension host. */
let script: Promise<string> | undefined;

/**
 * A Web Worker as a WorkerPort. It starts once its script is read; messages posted before wait in
 * order. A Web Worker has no exit event: `exit` fires after its `closed` message, on terminate, or
 * when it could not start.
 */
export function webWorkerPort(start: () => Promise<Worker>): WorkerPort {
  const pending: [unknown, ArrayBuffer[] | undefined][] = [];
  const onMessage: ((m: unknown) => void)[] = [];
  const onError: ((e: unknown) => void)[] = [];
  const onExit: ((code: number) => void)[] = [];
  let worker: Worker | undefined;
  let exited = false;
  const exit = (code: number): void => {
    if (exited) return;
    exited = true;
    worker?.terminate();
    for (const l of onExit) l(code);
  };
  start().then(
    (w) => {
      if (exited) {
        w.terminate();
        return;
      }
      worker = w;
      w.onmessage = (e: MessageEvent) => {
        for (const l of onMessage) l(e.data);
        if ((e.data as { type?: unknown } | null)?.type === 'closed') exit(0);
      };
      w.onerror = (e: ErrorEvent) => {
        for (const l of onError) l(new Error(e.message || 'the Web Worker failed'));
      };
      for (const [m, t] of pending.splice(0)) w.postMessage(m, t ?? []);
    },
    (e: unknown) => {
      for (const l of onError) l(new Error(`cannot start the decoding worker: ${errorMessage(e)}`));
      exit(1);
    },
  );
  return {
    postMessage(msg, transfer) {
      if (exited) return;
      if (worker) worker.postMessage(msg, transfer ?? []);
      else pending.push([msg, transfer]);
    },
    onMessage: (l) => void onMessage.push(l),
    onError: (l) => void onError.push(l),
    onExit: (l) => void onExit.push(l),
    terminate: () => exit(1),
  };
}

export const webPlatform: HostPlatform = {
  kind: 'web',
  zh: () => (zh ??= bundleTranslator(CAPTURE_LENS_ZH_BUNDLE)),
  sampleFiles,
  startWorker(extensionUri) {
    return webWorkerPort(async () => {
      script ??= Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'worker.js'))).then((b) => new TextDecoder().decode(b));
      const url = URL.createObjectURL(new Blob([await script], { type: 'text/javascript' }));
      try {
        return new Worker(url, { name: 'Capture Lens decoding worker' });
      } finally {
        // the worker has fetched it by the time it runs; a later revoke would only keep the blob alive
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
    });
  },
};
