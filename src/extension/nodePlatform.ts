/**
 * The desktop (and remote) extension host's platform (./platform.ts): the decoding worker is a
 * worker_threads worker with its resource limits, file: captures are read by it in pieces and
 * followed while they grow, and the worker can write local scratch files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { WORKER_RESOURCE_LIMITS } from '../worker/api';
import { nodePort } from '../worker/client';
import { FileGrowthWatcher, QUIET_MS, ringFilesOf, ringOf, shouldFollow } from './capture/follow';
import type { HostPlatform } from './platform';
import { zhCn } from '../node/l10n';
import { utcSampleFiles } from '../node/samples';
import { nodeInflate } from '../node/httpInflate';

let scratchN = 0;

export const nodePlatform: HostPlatform = {
  kind: 'node',
  startWorker: (extensionUri) => nodePort(new Worker(vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath, { resourceLimits: WORKER_RESOURCE_LIMITS })),
  localFiles: {
    shouldFollow,
    ringOf,
    ringFilesOf,
    watch: (fsPath, onGrow, onSettle, onRegrow) => new FileGrowthWatcher(fsPath, onGrow, onSettle, QUIET_MS, onRegrow),
  },
  zh: zhCn,
  inflate: nodeInflate,
  sampleFiles: utcSampleFiles,
  scratch: {
    path: (ext) => path.join(os.tmpdir(), `capture-lens-${process.pid}-${Date.now()}-${++scratchN}.${ext}`),
    async take(p) {
      try {
        return await fs.promises.readFile(p);
      } finally {
        await fs.promises.rm(p, { force: true });
      }
    },
  },
};
