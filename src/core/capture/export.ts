/**
 * Export Packets: records written back as a classic pcap or a pcapng file (Wireshark's "Export
 * Specified Packets"), little-endian, with the packets' own times, lengths and link types.
 *
 * - pcapng: one Interface Description Block per (link type, time precision) the exported packets
 *   use, in order of first use (if_tsresol 9 for nanosecond times), then an Enhanced Packet Block
 *   per packet with its comments and epb_flags when the record has them.
 * - pcap: one link type only (the file header has one; a mix is refused, pointing to pcapng);
 *   nanosecond pcap (magic a1b23c4d) when the first packet has nanosecond times. Times before 1970
 *   or after 2106 do not fit pcap's unsigned 32-bit seconds: refused, pointing to pcapng.
 *
 * Errors are data: `add` returns the reason a record cannot be written in this format, and nothing
 * is emitted for it (the caller stops and says why; the file is left unfinished for it to delete).
 */
import type { CaptureRecord } from './types';
import { pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from './blocks';

export type ExportFormat = 'pcap' | 'pcapng';

/** The packet fields an export writes (a CaptureRecord has them all). */
export type ExportRecord = Pick<CaptureRecord, 'data' | 'origLen' | 'tsSec' | 'tsNsec' | 'tsPrecision' | 'linkType'> & Partial<Pick<CaptureRecord, 'comments' | 'epbFlags'>>;

/** Largest snaplen written in headers (Wireshark's and libpcap's maximum for most link types). */
const SNAPLEN = 262144;

export class CaptureExporter {
  private started = false;
  /** pcap: the file's link type and whether its fractions are nanoseconds. */
  private linkType = -1;
  private nano = false;
  /** pcapng: interface number of each (link type, precision) pair written so far. */
  private readonly ifaces = new Map<number, number>();
  /** Packets written. */
  packets = 0;

  constructor(readonly format: ExportFormat) {}

  /** The bytes to append for `rec` (the file's header blocks before the first packet), or why it cannot be written. */
  add(rec: ExportRecord): { bytes: Uint8Array[] } | { error: string } {
    return this.format === 'pcap' ? this.addPcap(rec) : this.addPcapng(rec);
  }

  /**
   * The bytes of an export of no packets: a header alone (a pcap's link type is then Ethernet).
   * Empty once a packet was added (the header came with it).
   */
  finish(): Uint8Array[] {
    if (this.started) return [];
    this.started = true;
    return this.format === 'pcap' ? [pcapHeader(1, false, SNAPLEN)] : [pcapngSHB()];
  }

  private addPcap(rec: ExportRecord): { bytes: Uint8Array[] } | { error: string } {
    const out: Uint8Array[] = [];
    if (!this.started) {
      this.started = true;
      this.linkType = rec.linkType;
      this.nano = rec.tsPrecision === 9;
      out.push(pcapHeader(rec.linkType, this.nano, SNAPLEN));
    } else if (rec.linkType !== this.linkType) {
      return { error: `packet ${this.packets + 1} has link type ${rec.linkType}, the ones before ${this.linkType}: a pcap file holds one link type; save as pcapng` };
    }
    if (!(rec.tsSec >= 0 && rec.tsSec <= 0xffffffff)) {
      return { error: `packet ${this.packets + 1}'s time (${rec.tsSec} s) does not fit a pcap file's 32-bit seconds; save as pcapng` };
    }
    out.push(pcapRecord(rec.tsSec, this.nano ? rec.tsNsec : Math.floor(rec.tsNsec / 1000), rec.data, rec.origLen));
    this.packets++;
    return { bytes: out };
  }

  private addPcapng(rec: ExportRecord): { bytes: Uint8Array[] } | { error: string } {
    const out: Uint8Array[] = [];
    if (!this.started) {
      this.started = true;
      out.push(pcapngSHB());
    }
    if (!(rec.tsSec >= 0 && Number.isSafeInteger(rec.tsSec))) {
      return { error: `packet ${this.packets + 1}'s time (${rec.tsSec} s) is before 1970: pcapng times are unsigned` };
    }
    const key = rec.linkType * 16 + rec.tsPrecision;
    let id = this.ifaces.get(key);
    if (id === undefined) {
      id = this.ifaces.size;
      this.ifaces.set(key, id);
      out.push(pcapngIDB(rec.linkType, SNAPLEN, rec.tsPrecision));
    }
    const units = rec.tsPrecision === 9 ? BigInt(rec.tsSec) * 1_000_000_000n + BigInt(rec.tsNsec) : BigInt(rec.tsSec) * 1_000_000n + BigInt(Math.floor(rec.tsNsec / 1000));
    out.push(pcapngEPB(id, units, rec.data, rec.origLen, rec.comments, rec.epbFlags));
    this.packets++;
    return { bytes: out };
  }
}
