/**
 * Follow TCP Stream (issue 13): public API of the core.
 *
 *   FollowReassembler  fed per segment after the TcpEngine (capture order) → one FollowStream per stream
 *   FollowStream       the chunks of one stream (typed arrays; bytes read back by packet through a FrameAccessor)
 *   payloadOf          where a decoded packet's TCP payload lies in its frame
 *   tsharkFollow / annotatedFollow / directionBytes   text and byte forms
 *
 * Hook for application protocols (HTTP requests/responses with decoded bodies, later): a StreamDecoder
 * (messages.ts) reads `directionBytes` of each direction and returns messages placed by stream offset, so a
 * message links to its chunks (`chunkAtPos`) and packets; `annotatedFollow(…, { messages })` names them.
 */
export { FollowReassembler } from './reassembler';
export type { FollowOptions } from './reassembler';
export { FollowStream, K_DATA, K_MISSING, K_OUT_OF_ORDER, K_RETRANSMISSION, K_SEPARATOR, separatorName } from './stream';
export type { ChunkKind, Endpoint, FollowChunk, FrameAccessor } from './stream';
export { payloadOf } from './payload';
export type { StreamDecoder, StreamMessage } from './messages';
export type { PayloadRef } from './payload';
export { annotatedFollow, directionBytes, grouped, hexDump, missingText, tsharkFollow } from './render';
export type { RenderOptions, StatesAccessor, StreamRoles, TsharkMode } from './render';
export { HTTP_DECODE_LIMITS, httpDecodeAllowance, httpMessages, httpStreamDecoder, inCaptureOrder, MAX_DIRECTION_BYTES } from './http';
export type { ContentCoding, HttpDecodeLimits, HttpHeader, HttpMessage, HttpOptions, HttpProblem, HttpProblemKind, Inflate, InflateResult } from './http';
export { httpFollowText } from './httpText';
export { followMeta, followPage, CHUNK_BYTES_MAX, FOLLOW_PAGE_MAX } from './page';
export type { ChunkView, FollowMeta, PageOptions } from './page';
export { httpHeads, MAX_HEAD_LINES } from './heads';
export type { HeadReader, MessageHead } from './heads';
