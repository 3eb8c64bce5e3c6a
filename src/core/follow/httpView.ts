/**
 * HTTP messages as the Follow view's HTTP mode shows them: `httpMessages` (./http.ts) turned into the
 * page builder's StreamMessages (./page.ts places them on the chunk holding their first byte), each
 * with its packets, its problems as data and its decoded body — cut for the view.
 *
 * Why cut: a decoded body may be 16 MiB (HTTP_DECODE_LIMITS.maxBytes) and a page holds up to 64 heads,
 * and the decoding worker keeps a stream's messages while its panel is open. So each message keeps at most
 * BODY_VIEW_MAX bytes of its body (a view shows the start of a body; "Save" gives all of a direction's
 * bytes), and a stream keeps at most STREAM_BODY_BUDGET body bytes in all (a stream of 10,000 small
 * responses that each inflate to 1 MiB would otherwise keep 2.5 GB); bodies past the budget say so.
 * Pure: the inflater is the caller's (src/node/httpInflate.ts in Node).
 */
import { httpMessages, type HttpMessage, type HttpOptions, type HttpProblem } from './http';
import type { StreamMessage } from './messages';
import type { FollowStream, FrameAccessor } from './stream';

/** Most body bytes one message keeps for the view (256 KiB: about 3,000 lines of text). */
export const BODY_VIEW_MAX = 256 * 1024;
/** Most body bytes kept for all the messages of one stream (32 MiB). */
export const STREAM_BODY_BUDGET = 32 * 1024 * 1024;

/** What the view says about a body beside its bytes. */
export interface BodyInfo {
  /** Bytes of the body after transfer and content decoding (or as on the wire when not decoded). */
  length: number;
  /** Bytes of the body on the wire (chunk framing included). */
  wire: number;
  /** 'content-length' | 'chunked' | 'close' | 'none'. */
  framing: string;
  /** Content codings undone, in the order applied ("gzip"); [] when none or not decoded. */
  decoded: string[];
  /** Body bytes kept for the view (≤ BODY_VIEW_MAX): fewer than `length` when cut. */
  kept: number;
  /** The stream's budget of body bytes was spent before this message: no bytes kept. */
  overBudget?: boolean;
}

/** A StreamMessage of the HTTP mode: packets, problems and body details beside the bytes. */
export interface HttpViewMessage extends StreamMessage {
  /** 0-based packets carrying the message's first and last byte (-1 when unknown). */
  firstPacket: number;
  lastPacket: number;
  problems: HttpProblem[];
  bodyInfo: BodyInfo;
}

export interface HttpViewLimits {
  bodyMax: number;
  streamBudget: number;
}

/** The view's form of one message; `budget.left` is what the stream may still keep (decreased here). */
export function httpViewMessage(m: HttpMessage, budget: { left: number }, limits: HttpViewLimits = { bodyMax: BODY_VIEW_MAX, streamBudget: STREAM_BODY_BUDGET }): HttpViewMessage {
  const full = m.decodedBody ?? m.bodyBytes;
  const want = Math.min(full.length, limits.bodyMax);
  const keep = Math.max(0, Math.min(want, budget.left));
  budget.left -= keep;
  // a copy: the message's own bytes are a view of its direction's whole buffer (up to 64 MiB), which must not be kept alive
  const body = full.slice(0, keep);
  const info: BodyInfo = {
    length: full.length,
    wire: m.bodyWireLength,
    framing: m.framing,
    decoded: m.decodedBody && m.contentCoding ? m.contentCoding : [],
    kept: keep,
  };
  if (keep < want) info.overBudget = true;
  return {
    dir: m.dir,
    pos: m.pos,
    length: m.length,
    title: m.startLine || '(not HTTP)',
    headers: m.headers.map((h) => h.name + ': ' + h.value),
    body,
    firstPacket: m.firstPacket,
    lastPacket: m.lastPacket,
    problems: m.problems.map((p) => ({ kind: p.kind, pos: p.pos, params: [...p.params] })),
    bodyInfo: info,
  };
}

/** The HTTP messages of a stream for the view ([] when it is not HTTP); bodies cut as said above. */
export function httpViewMessages(s: FollowStream, frame: FrameAccessor, opts: HttpOptions = {}, limits?: HttpViewLimits): HttpViewMessage[] {
  const l = limits ?? { bodyMax: BODY_VIEW_MAX, streamBudget: STREAM_BODY_BUDGET };
  const budget = { left: l.streamBudget };
  return httpMessages(s, frame, opts).map((m) => httpViewMessage(m, budget, l));
}
