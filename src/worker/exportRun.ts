/**
 * The part of Export Packets that every host runs (no Node): which packets an export covers, and the
 * loop that reads them back from the index a batch at a time and hands the pcap/pcapng bytes
 * (src/core/capture/export.ts) to a writer. ./exporter.ts writes them to a local file (desktop);
 * `exportToBytes` keeps them for a host that writes through vscode.workspace.fs (VS Code for the Web),
 * where the capture itself is at most WHOLE_FILE_MAX_BYTES (src/core/capture/wholeFile.ts).
 */
import { CaptureExporter, type ExportFormat } from '../core/capture/export';
import type { CaptureIndex } from './captureIndex';

/** Packets read back and written per step. */
export const EXPORT_BATCH = 4096;

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

/**
 * Read the chosen packets back and hand their bytes to `write`, batch by batch (the file's header
 * with the first), then what the format writes at its end. Throws with the reason when a packet cannot be
 * exported or read back.
 */
export async function exportRun(idx: CaptureIndex, format: ExportFormat, which: ExportWhich, write: (parts: Uint8Array[]) => Promise<void>): Promise<number> {
  const list = exportIndices(idx, which);
  const ex = new CaptureExporter(format);
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
  return ex.packets;
}

/** The export as one file's bytes in memory. */
export async function exportToBytes(idx: CaptureIndex, format: ExportFormat, which: ExportWhich): Promise<ExportResult & { data: Uint8Array }> {
  const parts: Uint8Array[] = [];
  let bytes = 0;
  const packets = await exportRun(idx, format, which, async (ps) => {
    for (const p of ps) {
      parts.push(p);
      bytes += p.length;
    }
  });
  const data = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { packets, bytes, data };
}
