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
  try {
    decodeLink(pkt, sink);
  } catch (err) {
    // A decoder bug must not take the reader down: keep the packet, say what happened.
    pkt.markMalformed('decoder error: ' + errorMessage(err));
  }
  return pkt;
}

export function decodeRecord(pkt: DecodedPacket, rec: CaptureRecord, sink: FieldSink | null = null): DecodedPacket {
  return decodeFrame(pkt, rec.data, rec.origLen, rec.linkType, sink);
}
