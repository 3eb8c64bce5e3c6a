/**
 * "Save As" of a live capture (issue 16): the file tcpdump wrote (classic pcap) copied as it is,
 * or rewritten as pcapng (one Section Header Block, one Interface Description Block per interface,
 * one Enhanced Packet Block per record, time stamps at the file's own precision). A pcapng source
 * saved as pcap keeps its first interface's link type; a record of another link type cannot be
 * stored in a classic pcap file, so saving stops and says so instead of writing a wrong file.
 * A ring of files (tcpdump -C/-W, "keep the last N MB") is saved as one capture: its files in the
 * order written (src/node/followRing.ts, RingFiles.pathsInOrder), the first file's header.
 */
import * as fs from 'node:fs';

import { readCaptureFile } from './captureFile';
import { writeAllSync } from './output';
import { pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from '../core/synth/writers';
import type { CaptureInfo } from '../core/capture/types';

/** Bytes gathered before one write. */
const BATCH = 1024 * 1024;

/** Writes `src` (or the files of `src` one after the other) to `dest` as `format`. Resolves with the number of packets written; rejects with a sentence. */
export async function saveCaptureAs(src: string | readonly string[], dest: string, format: 'pcap' | 'pcapng'): Promise<number> {
  const fd = fs.openSync(dest, 'w');
  let parts: Uint8Array[] = [];
  let pending = 0;
  const write = (b: Uint8Array) => {
    parts.push(b);
    pending += b.length;
    if (pending >= BATCH) flush();
  };
  const flush = () => {
    if (pending === 0) return;
    // writeSync may write less than asked (a full disk, a signal): the rest follows, or the error does
    const b = Buffer.concat(parts);
    writeAllSync(fd, b, b.length);
    parts = [];
    pending = 0;
  };
  let info: CaptureInfo | null = null;
  let headerDone = false;
  let nano = false;
  let problem: string | null = null;
  /** The link type of the header written (a ring's later files must match it). */
  let headerLink = -1;
  const header = (i: CaptureInfo) => {
    if (headerDone) return;
    headerDone = true;
    headerLink = i.linkType;
    nano = i.tsPrecision === 9;
    if (format === 'pcap') write(pcapHeader(i.linkType, nano, i.snaplen || 262144));
    else {
      write(pcapngSHB());
      for (const itf of i.interfaces.filter((x) => x.section === 0)) write(pcapngIDB(itf.linkType, itf.snaplen, itf.tsUnitsPerSec > 1e6 ? 9 : 6));
    }
  };
  let packets = 0;
  try {
    for (const one of typeof src === 'string' ? [src] : src) packets += await saveOne(one);
    flush();
    return packets;
  } finally {
    fs.closeSync(fd);
  }

  async function saveOne(src: string): Promise<number> {
    const reading = readCaptureFile(src, {
      onInfo: (i) => {
        info = i;
        // interfaces of a pcapng source may come one by one: write the header at the first packet
        if (i.format === 'pcap') header(i);
      },
      onRecord: (rec) => {
        if (problem) return;
        if (!headerDone && info) header(info);
        if (format === 'pcap') {
          if (rec.linkType !== headerLink) {
            problem = `packet ${packets + rec.index + 1} was captured on a link of type ${rec.linkType}, the first on ${headerLink}: a classic pcap file holds one link type; save as pcapng`;
            reading.cancel();
            return;
          }
          write(pcapRecord(rec.tsSec, nano ? rec.tsNsec : Math.floor(rec.tsNsec / 1000), rec.data, rec.origLen));
        } else {
          const perSec = nano ? 1000000000n : 1000000n;
          const frac = BigInt(nano ? rec.tsNsec : Math.floor(rec.tsNsec / 1000));
          write(pcapngEPB(rec.interfaceId, BigInt(rec.tsSec) * perSec + frac, rec.data, rec.origLen));
        }
      },
    });
    const sum = await reading.done;
    if (problem) throw new Error(problem);
    if (sum.error && sum.error.kind !== 'truncated') throw new Error(sum.error.message);
    if (!headerDone && sum.info) header(sum.info);
    return sum.packets;
  }
}
