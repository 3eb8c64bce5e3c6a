/**
 * Export Packets from an open capture (the capture editor's "Export Packets…"): the packets of a
 * filter view, of one TCP stream or a list, read back from the file a batch at a time and written
 * as pcap or pcapng (src/core/capture/export.ts). Memory stays flat whatever the count: a batch of
 * EXPORT_BATCH frames at a time. The file is written beside the target and renamed when complete,
 * so a failed export (a packet the format cannot hold, a full disk) leaves nothing half-written
 * and an existing file unchanged.
 *
 * Known gap: the index reads back frames, not whole blocks, so pcapng packet comments and
 * epb_flags of the source are not carried into an export from the editor (CaptureExporter writes
 * them when a record has them, as a reader's records do).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ExportFormat } from '../core/capture/export';
import type { CaptureIndex } from './captureIndex';
import { exportRun, type ExportResult, type ExportWhich } from './exportRun';

export { exportIndices, type ExportResult, type ExportWhich } from './exportRun';

/** Write the chosen packets of `idx` to `target` as `format`. Throws with the reason when it cannot. */
export async function exportPackets(idx: CaptureIndex, target: string, format: ExportFormat, which: ExportWhich): Promise<ExportResult> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.part`);
  const fh = await fs.promises.open(tmp, 'w');
  let bytes = 0;
  let done = false;
  try {
    const packets = await exportRun(idx, format, which, async (parts) => {
      for (const p of parts) {
        for (let off = 0; off < p.length; ) off += (await fh.write(p, off, p.length - off)).bytesWritten;
        bytes += p.length;
      }
    });
    await fh.close();
    await fs.promises.rename(tmp, target);
    done = true;
    return { packets, bytes };
  } finally {
    if (!done) {
      await fh.close().catch(() => undefined);
      await fs.promises.rm(tmp, { force: true });
    }
  }
}
