/**
 * Reading a capture whole (issue 17): vscode.workspace.fs has no partial reads, so where the
 * capture is not a local file the extension reads it at once — in VS Code for the Web always, on
 * the desktop for remote and virtual file systems (vscode-remote, vscode-vfs, memfs…). Its size
 * is checked first and a file above the limit is refused with a sentence, before any byte is read.
 *
 * 256 MiB: on its way the file is held up to three times (the window's file system provider, the
 * extension host's readFile result, the worker's copy once transferred — a transfer moves, but the
 * first two overlap), so the peak stays under 1 GiB, which a browser tab keeps; the index then adds
 * about 30 bytes a packet (2.7 M packets of 100 bytes: 80 MB). A file on a local disk has no such
 * limit: the desktop's worker reads it in pieces.
 */
import type { Translate } from '../explain/l10n';

export const WHOLE_FILE_MAX_BYTES = 256 * 1024 * 1024;

/** What the reading needs of a file system (vscode.workspace.fs in the extension, a fake in tests). */
export interface WholeFileSystem<U> {
  stat(uri: U): PromiseLike<{ size: number }>;
  readFile(uri: U): PromiseLike<Uint8Array>;
}

export type WholeFile = { bytes: Uint8Array } | { message: string };

function mib(n: number): string {
  return (n / (1024 * 1024)).toFixed(1);
}

/**
 * Read `uri` whole when it is at most `max` bytes; otherwise, or when it cannot be read, the
 * sentence to show. Never rejects. `name` is how the message names the file.
 */
export async function readWholeFile<U>(fs: WholeFileSystem<U>, uri: U, name: string, t: Translate, max = WHOLE_FILE_MAX_BYTES): Promise<WholeFile> {
  let size: number;
  try {
    size = (await fs.stat(uri)).size;
  } catch (e) {
    return { message: t('Cannot read {0}: {1}', name, e instanceof Error ? e.message : String(e)) };
  }
  if (size > max) {
    return {
      message: t(
        '{0} is {1} MiB: a capture read through the workspace file system (remote, virtual, or in VS Code for the Web) opens up to {2} MiB, because it is read whole into memory. Open it from a local disk in VS Code for the desktop, or cut it (editcap -r, tcpdump -c).',
        name,
        mib(size),
        mib(max),
      ),
    };
  }
  try {
    const bytes = await fs.readFile(uri);
    // the file grew between stat and read: the same limit
    if (bytes.length > max) return { message: t('{0} grew beyond {1} MiB while it was being read.', name, mib(max)) };
    return { bytes };
  } catch (e) {
    return { message: t('Cannot read {0}: {1}', name, e instanceof Error ? e.message : String(e)) };
  }
}
