/**
 * The format of a capture from its first four bytes, and the parser for it: shared by the Node
 * reader (src/node/captureFile.ts) and the readers of whole bytes (src/worker/bytesInput.ts, the
 * extension's "Open Capture as tcpdump Text" through vscode.workspace.fs).
 */
import { PcapParser, PCAP_NS_BE, PCAP_NS_LE, PCAP_US_BE, PCAP_US_LE } from './pcap';
import { PcapngParser } from './pcapng';
import type { CaptureError, CaptureInfo, CaptureSink } from './types';

/** What a read loop needs of a parser: PcapParser and PcapngParser both are one (no wrapper). */
export interface CaptureFeeder {
  /** Feed the next bytes; false once the parser has stopped. */
  push(chunk: Uint8Array): boolean;
  /** End of input: the error that stopped reading, or null. */
  end(): CaptureError | null;
  readonly info: CaptureInfo | null;
}

const PCAPNG_MAGIC = 0x0a0d0d0a;
const PCAP_KUZNETZOV_BE = 0xa1b2cd34;
const PCAP_KUZNETZOV_LE = 0x34cdb2a1;

/** True when the bytes start like gzip data (1f 8b). */
export function isGzipMagic(first: Uint8Array): boolean {
  return first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
}

/** Recognise the format from the first bytes (at least 4) and build the matching parser; `name` is for messages. */
export function captureFeeder(first: Uint8Array, sink: CaptureSink, name: string, gzip: boolean): CaptureFeeder | CaptureError {
  const magic = ((first[0] << 24) | (first[1] << 16) | (first[2] << 8) | first[3]) >>> 0;
  switch (magic) {
    case PCAPNG_MAGIC:
      return new PcapngParser(sink);
    case PCAP_US_BE:
    case PCAP_US_LE:
    case PCAP_NS_BE:
    case PCAP_NS_LE:
      return new PcapParser(sink);
    case PCAP_KUZNETZOV_BE:
    case PCAP_KUZNETZOV_LE:
      return notACapture(`${name} uses the old "modified pcap" (Kuznetzov) format, which is not supported`);
    default: {
      const bytes = Array.from(first.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      return notACapture(
        gzip
          ? `${name} is gzip-compressed, but what it holds is not a pcap or pcapng capture (starts with ${bytes})`
          : `${name} is not a pcap or pcapng capture file (starts with ${bytes})`,
      );
    }
  }
}

/** The error for input too short to have a magic number. */
export function tooShort(name: string, got: number): CaptureError {
  return got === 0
    ? notACapture(`${name} is empty: it is not a pcap or pcapng capture file`)
    : notACapture(`${name} is not a pcap or pcapng capture file (it is only ${got} byte${got === 1 ? '' : 's'} long)`);
}

function notACapture(message: string): CaptureError {
  return { kind: 'not-a-capture', offset: 0, message };
}
