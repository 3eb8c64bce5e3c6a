import { CaptureRecord } from '../capture/types';
import { FieldSink } from './fields';
import { DecodedPacket } from './packet';
import { decodeLink } from './link';
import { errorMessage } from '../errors';

export * from './packet';
export type { FieldSink, FieldNode } from './fields';
export { TreeSink, findField } from './fields';

/**
 * Decode one captured frame into `pkt` (reused between calls). With a `sink`, every field is
 * also reported with its byte offset and length. Never throws: damage is recorded on the packet.
 */
export function decodeFrame(pkt: DecodedPacket, data: Uint8Array, origLen: number, linkType: number, sink: FieldSink | null = null): DecodedPacket {
  pkt.reset(data, origLen, linkType);
  // Each layer names the next; a tunnel opens pkt.inner, decoded here after the outer packet is
  // done (so no decoder's scratch state is in use twice). Depth is bounded by MAX_ENCAP_DEPTH.
  let p: DecodedPacket | null = pkt;
  let s = sink;
  while (p !== null) {
    try {
      decodeLink(p, s);
    } catch (err) {
      // A decoder bug must not take the reader down: keep the packet, say what happened.
      p.markMalformed('decoder error: ' + errorMessage(err));
    }
    p = p.inner;
    // inner layers report offsets in the outer frame (one small object per tunnelled packet, details only)
    if (p !== null && sink !== null) s = new ShiftedSink(sink, p.base);
  }
  return pkt;
}

/** Reports an inner packet's fields at their offsets in the outermost frame. */
class ShiftedSink implements FieldSink {
  constructor(private readonly to: FieldSink, private readonly base: number) {}
  open(name: string, label: string, offset: number, length: number): void {
    this.to.open(name, label, offset + this.base, length);
  }
  field(name: string, label: string, offset: number, length: number, value: string | number | boolean | null, display: string, bitmask?: number): void {
    this.to.field(name, label, offset + this.base, length, value, display, bitmask);
  }
  close(length?: number): void {
    this.to.close(length);
  }
  note(severity: 'error' | 'warning' | 'info', message: string, offset: number, length: number): void {
    this.to.note(severity, message, offset + this.base, length);
  }
}

export function decodeRecord(pkt: DecodedPacket, rec: CaptureRecord, sink: FieldSink | null = null): DecodedPacket {
  return decodeFrame(pkt, rec.data, rec.origLen, rec.linkType, sink);
}
