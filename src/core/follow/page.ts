/**
 * Pages of a followed stream for a view (the editor's Follow TCP Stream panel): the chunks' metadata
 * with their bytes, what a retransmitted copy changed, both ends' states at a SYN/FIN/RST, and the
 * heads of application messages. The decoding worker (src/worker/follow.ts) and the tcpdump-text
 * source (src/extension/follow/) both answer with these, so the panel has one shape to show.
 *
 * A page holds at most FOLLOW_PAGE_MAX chunks and each chunk's bytes at most CHUNK_BYTES_MAX (the rest
 * is said, not sent): a page is bounded whatever the capture holds.
 */
import type { MessageHead, HeadReader } from './heads';
import type { HttpViewMessage } from './httpView';
import type { StreamMessage } from './messages';
import type { StatesAccessor, StreamRoles } from './render';
import { K_DATA, K_OUT_OF_ORDER, K_RETRANSMISSION, K_SEPARATOR, type ChunkKind, type Endpoint, type FollowStream, type FrameAccessor } from './stream';

/** Most chunks one page request gets. */
export const FOLLOW_PAGE_MAX = 256;
/** Most bytes of one chunk sent to a view (a segment is ≤ 64 KiB; tcpdump text or GRO captures may hold more). */
export const CHUNK_BYTES_MAX = 256 * 1024;

/** One chunk as a view shows it. Packet-derived: a view sets every string as text. */
export interface ChunkView {
  index: number;
  kind: ChunkKind;
  /** Engine direction: 0 client → server, 1 server → client. */
  dir: 0 | 1;
  /** 0-based packet index (missing bytes: the packet that showed the gap; -1 at the end of the capture). */
  packet: number;
  /** Offset of the first byte in its direction's byte stream. */
  pos: number;
  length: number;
  /** Part of tshark's follow output. */
  tshark: boolean;
  /** Separators: the TCP flags. */
  flags: number;
  /** The chunk's captured bytes (data, out-of-order, retransmitted copies), at most CHUNK_BYTES_MAX. */
  bytes?: Uint8Array;
  /** Retransmitted copies: true differs, false same bytes, null not comparable; with the first difference. */
  differs?: boolean | null;
  firstDiff?: { pos: number; was: number; now: number };
  /** Separators: both ends' states after the packet. */
  states?: { client: string; server: string };
  /** An application message starts in this chunk. */
  head?: MessageHead;
  /** Messages mode: the chunk's bytes continue a message that started in an earlier chunk (its body). */
  within?: boolean;
}

/** What a view needs before any page: who is who, and the totals so far. */
export interface FollowMeta {
  stream: number;
  client: Endpoint;
  server: Endpoint;
  chunkCount: number;
  /** false while the stream is still being read (chunkCount grows). */
  done: boolean;
  /** Bytes delivered, bytes not captured and retransmitted copies, per direction (0 client → server). */
  delivered: [number, number];
  missing: [number, number];
  retransmitted: [number, number];
  /** The bytes come from tcpdump -A text: anything but printable ASCII was written as "." (lost). */
  lossy?: boolean;
}

export function followMeta(s: FollowStream, roles: StreamRoles | undefined, done: boolean): FollowMeta {
  const r = roles ?? (s.node0Dir === 1 ? { client: s.node1, server: s.node0 } : { client: s.node0, server: s.node1 });
  return {
    stream: s.stream,
    client: { addr: r.client.addr, port: r.client.port },
    server: { addr: r.server.addr, port: r.server.port },
    chunkCount: s.chunkCount,
    done,
    delivered: [s.delivered[0], s.delivered[1]],
    missing: [s.missing[0], s.missing[1]],
    retransmitted: [s.retransmitted[0], s.retransmitted[1]],
  };
}

export interface PageOptions {
  /** Reads a message head where a chunk starts (httpHeads): the per-chunk view of HTTP. */
  heads?: HeadReader;
  /**
   * Messages of a whole-stream decoder (a StreamDecoder: HTTP with reassembled, decoded bodies), placed by
   * direction and stream offset. A chunk holding a message's first byte shows that message; when given, the
   * per-chunk `heads` reader is not used for that direction.
   */
  messages?: { protocol: string; list: readonly (StreamMessage | HttpViewMessage)[] };
}

/**
 * Chunks [from, from + count) with their bytes. Read the frames of `s.packetsFor(from, count)` first:
 * `frame` is called synchronously for them (and must keep each frame valid while the page is built).
 */
export function followPage(s: FollowStream, from: number, count: number, frame: FrameAccessor, states?: StatesAccessor, opts: PageOptions = {}): ChunkView[] {
  const out: ChunkView[] = [];
  const end = Math.min(s.chunkCount, from + Math.min(count, FOLLOW_PAGE_MAX));
  const byDir: StreamMessage[][] = [[], []];
  for (const m of opts.messages?.list ?? []) byDir[m.dir].push(m);
  for (const l of byDir) l.sort((a, b) => a.pos - b.pos);
  for (let i = Math.max(0, from); i < end; i++) {
    const c = s.chunk(i);
    const k = s.kindOf(i);
    const v: ChunkView = { index: i, kind: c.kind, dir: c.dir, packet: c.packet, pos: c.pos, length: c.length, tshark: c.tshark, flags: c.flags };
    if (k === K_SEPARATOR) {
      const st = states?.(c.packet);
      if (st) v.states = { client: st.client, server: st.server };
    } else if (k === K_DATA || k === K_OUT_OF_ORDER || k === K_RETRANSMISSION) {
      const b = s.bytes(i, frame);
      if (b) v.bytes = b.length > CHUNK_BYTES_MAX ? b.slice(0, CHUNK_BYTES_MAX) : b.slice();
      if (k === K_RETRANSMISSION) {
        v.differs = s.differs(i, frame);
        if (v.differs === true) {
          v.kind = 'retransmission-differs';
          const d = s.firstDifference(i, frame);
          if (d && d.pos >= 0) v.firstDiff = d;
        }
      } else {
        const list = byDir[c.dir];
        if (opts.messages) {
          const m = firstIn(list, c.pos, c.pos + c.length);
          if (m) v.head = headOf(opts.messages.protocol, m);
          else if (covering(list, c.pos)) v.within = true;
        }
        if (!v.head && v.bytes && opts.heads && !(opts.messages && list.length > 0)) {
          const h = opts.heads(v.bytes, c.dir);
          if (h) v.head = h;
        }
      }
    }
    out.push(v);
  }
  return out;
}

/** A message as a head; a body longer than CHUNK_BYTES_MAX is cut (its full length is in bodyInfo when known). */
function headOf(protocol: string, m: StreamMessage | HttpViewMessage): MessageHead {
  const body = m.body && m.body.length > CHUNK_BYTES_MAX ? m.body.slice(0, CHUNK_BYTES_MAX) : m.body;
  const h: MessageHead = { protocol, role: m.dir === 0 ? 'request' : 'response', title: m.title, headers: m.headers ?? [], length: m.length, body };
  if ('bodyInfo' in m) {
    h.packets = [m.firstPacket, m.lastPacket];
    h.bodyInfo = { ...m.bodyInfo, kept: body?.length ?? 0 };
    if (m.problems.length > 0) h.problems = m.problems;
  }
  return h;
}

/** Whether a message (sorted by pos) started before `pos` and goes on past it. */
function covering(list: readonly StreamMessage[], pos: number): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].pos < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && list[lo - 1].pos + list[lo - 1].length > pos;
}

/** The first message (sorted by pos) starting in [a, b). */
function firstIn(list: readonly StreamMessage[], a: number, b: number): StreamMessage | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].pos < a) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && list[lo].pos < b ? list[lo] : undefined;
}
