/**
 * The hook for application decoders over a followed stream (HTTP requests and responses with decoded
 * bodies come with the HTTP decoder, later). A decoder reads each direction's bytes in stream order
 * (directionBytes, or chunk by chunk) and returns messages placed by stream offset; each message then links
 * back to its chunks (FollowStream.chunkAtPos) and so to its packets, and annotatedFollow shows its title
 * where it starts.
 */
import type { FollowStream, FrameAccessor } from './stream';

export interface StreamMessage {
  /** Engine direction: 0 client → server (requests), 1 server → client (responses). */
  dir: 0 | 1;
  /** Offset of the message's first byte in its direction's byte stream, and its length there. */
  pos: number;
  length: number;
  /** One line, e.g. "GET /index.html HTTP/1.1" or "HTTP/1.1 200 OK". */
  title: string;
  /** Header lines as sent, when the protocol has them. */
  headers?: string[];
  /** The body after transfer and content decoding (chunked, gzip, …), when decoded. */
  body?: Uint8Array;
}

export interface StreamDecoder {
  /** Short protocol name ("HTTP"), shown before message titles. */
  readonly name: string;
  /** Messages of the stream in stream order per direction; [] when the stream is not this protocol. */
  decode(s: FollowStream, frame: FrameAccessor): StreamMessage[];
}
