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

import { CaptureExporter, type ExportFormat } from '../core/capture/export';
import type { CaptureIndex } from './captureIndex';

/** Packets read back and written per step. */
const EXPORT_BATCH = 4096;

export interface ExportWhich {
  /** The packets of this filter view (0: all packets). */
  view?: number;
  /** The packets of this TCP stream (Wireshark's tcp.stream). */
  stream?: number;
  /** These packets (0-based indices). */
  indices?: number[];
}

export interface ExportResult {
  packets: number;
  bytes: number;
}

/** The packet indices an export covers, in capture order. */
export function exportIndices(idx: CaptureIndex, which: ExportWhich): number[] {
  if (which.indices) return [...new Set(which.indices)].filter((i) => Number.isInteger(i) && i >= 0 && i < idx.count).sort((a, b) => a - b);
  if (which.stream !== undefined) {
    const out: number[] = [];
    for (let i = 0; i < idx.count; i++) if (idx.stream(i) === which.stream) out.push(i);
    return out;
  }
  const view = which.view ?? 0;
  return idx.viewIndices(0, idx.viewCount(view), view);
}

/** Write the chosen packets of `idx` to `target` as `format`. Throws with the reason when it cannot. */
export async function exportPackets(idx: CaptureIndex, target: string, format: ExportFormat, which: ExportWhich): Promise<ExportResult> {
  const list = exportIndices(idx, which);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.part`);
  const fh = await fs.promises.open(tmp, 'w');
  const ex = new CaptureExporter(format);
  let bytes = 0;
  let done = false;
  try {
    const write = async (parts: Uint8Array[]) => {
      for (const p of parts) {
        for (let off = 0; off < p.length; ) off += (await fh.write(p, off, p.length - off)).bytesWritten;
        bytes += p.length;
      }
    };
    for (let k = 0; k < list.length; k += EXPORT_BATCH) {
      const batch = list.slice(k, k + EXPORT_BATCH);
      const parts: Uint8Array[] = [];
      let failure: string | null = null;
      await idx.visitRecords(batch, (rec) => {
        if (failure !== null) return;
        const r = ex.add(rec);
        if ('error' in r) failure = r.error;
        else parts.push(...r.bytes);
      });
      if (failure !== null) throw new Error(`cannot export as ${format}: ${failure as string}`);
      if (ex.packets !== Math.min(k + EXPORT_BATCH, list.length)) throw new Error(`cannot export: packets could not be read back from the capture (${ex.packets} of ${list.length})`);
      await write(parts);
    }
    await write(ex.finish());
    await fh.close();
    await fs.promises.rename(tmp, target);
    done = true;
    return { packets: ex.packets, bytes };
  } finally {
    if (!done) {
      await fh.close().catch(() => undefined);
      await fs.promises.rm(tmp, { force: true });
    }
  }
}
