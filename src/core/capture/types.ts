/**
 * What every capture reader (classic pcap, pcapng) hands on: one record per packet, plus
 * what it learnt about the file and its interfaces. Pure TypeScript, no Node.
 */

/** One captured packet as stored in the file. */
export interface CaptureRecord {
  /** 0-based packet number in the file (blocks that are not packets are not counted). */
  index: number;
  /** The captured bytes (caplen = data.length). A view: copy it if you keep it past the callback. */
  data: Uint8Array;
  /** Length of the packet on the wire (may exceed data.length when the snaplen cut it). */
  origLen: number;
  /** Seconds since the epoch (UTC). */
  tsSec: number;
  /**
   * Sub-second part in nanoseconds. Normally 0..999_999_999; a damaged record may carry a
   * larger value (tcpdump prints "(invalid us)"/"(invalid ns)"), so printers must check.
   */
  tsNsec: number;
  /** The file's native time precision: 6 (µs) or 9 (ns). pcapng interfaces with other resolutions report the nearest. */
  tsPrecision: 6 | 9;
  /** LINKTYPE_* value of the interface that captured it. */
  linkType: number;
  /** Interface number (pcapng IDB index within its section; 0 for classic pcap). */
  interfaceId: number;
  /** Byte offset of the record (pcap record header / pcapng block) in the file. */
  fileOffset: number;
  /** Length in the file of the whole record or block, headers included. */
  fileLength: number;
  /** pcapng packet comments (opt_comment), if any. */
  comments?: string[];
  /** pcapng epb_flags word, if present. */
  epbFlags?: number;
  /** Block type that carried it (pcapng: 'EPB' | 'SPB' | 'PB'; pcap: 'pcap'). */
  blockType: 'pcap' | 'EPB' | 'SPB' | 'PB';
}

/** A blank record, for a reader to refill for every packet (one object for the whole file). */
export function blankRecord(blockType: CaptureRecord['blockType']): CaptureRecord {
  return {
    index: 0,
    data: new Uint8Array(0),
    origLen: 0,
    tsSec: 0,
    tsNsec: 0,
    tsPrecision: 6,
    linkType: 0,
    interfaceId: 0,
    fileOffset: 0,
    fileLength: 0,
    comments: undefined,
    epbFlags: undefined,
    blockType,
  };
}

export interface InterfaceInfo {
  /** Index within its section. */
  id: number;
  /** Section number, 0-based (pcapng files may hold several sections). */
  section: number;
  linkType: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** Units per second of the interface's timestamps (1e6 by default). */
  tsUnitsPerSec: number;
  /** if_tsoffset, in seconds. */
  tsOffset: number;
}

export interface CaptureInfo {
  format: 'pcap' | 'pcapng';
  /** Byte order of the (first) section. */
  byteOrder: 'LE' | 'BE';
  /** Native precision of the first interface / the file. */
  tsPrecision: 6 | 9;
  /** Classic pcap: the header's link type and snaplen. pcapng: those of the first interface. */
  linkType: number;
  snaplen: number;
  interfaces: InterfaceInfo[];
  /** Name Resolution Block entries (address text → names). */
  names: { address: string; names: string[] }[];
}

/** A reader's verdict when it had to stop early. Every record before it was delivered. */
export interface CaptureError {
  /** One clear sentence, e.g. "record 12 at byte 3421 claims 65535 bytes but the file ends after 80". */
  message: string;
  /** Byte offset in the file where the damage starts. */
  offset: number;
  /**
   * 'truncated' when the file just ends too early; 'corrupt' when a header makes no sense; 'not-a-capture' when the file is
   * not one; 'limit' when a safety limit stopped reading (a gzip "bomb", a capture bigger than the editor's index holds):
   * the file may be fine, everything before `offset` was delivered.
   */
  kind: 'truncated' | 'corrupt' | 'not-a-capture' | 'io' | 'limit';
}

/**
 * True when the packets delivered before the error are good and worth showing: the file was cut short, went
 * bad part-way, or a safety limit stopped the reading. False when nothing could be read as a capture at all.
 */
export function partialRead(err: CaptureError): boolean {
  return err.kind === 'truncated' || err.kind === 'corrupt' || err.kind === 'limit';
}

/** Callbacks a push-based reader drives. */
export interface CaptureSink {
  /** Called once the file header (pcap) or first SHB+IDB (pcapng) is known, and again when interfaces are added. */
  onInfo?(info: CaptureInfo): void;
  onRecord(rec: CaptureRecord): void;
}
