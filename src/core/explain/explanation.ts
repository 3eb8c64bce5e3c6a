/**
 * Shapes shared by the explanations catalogue: the Explanation a function returns, the context it
 * may use, and the Markdown rendering (with escaping of anything that came from a packet or a
 * document). Pure TypeScript.
 */

/** An explanation in plain text (already translated). Render with `toMarkdown` or `toPlainText`. */
export interface Explanation {
  /** Short title (shown in bold). */
  title: string;
  /** What the field or value means in general: 1–3 sentences. */
  text: string[];
  /** What it means in this packet (step, states, analysis): may be empty. */
  here: string[];
}

/**
 * What is known about the packet being explained. Every member is optional; numbers < 0 mean
 * "unknown" (the engine's and the text model's convention). Unknown parts give generic text.
 */
export interface PacketContext {
  /** TH_* bits (src/core/decode/packet.ts). */
  flags?: number;
  /** TCP payload bytes. */
  len?: number;
  /** seq as printed: first byte; seqEnd = one past the last byte ("seq a:b"). */
  seq?: number;
  seqEnd?: number;
  ack?: number;
  /** Raw window field. */
  win?: number;
  urg?: number;
  /** true when seq/ack are printed relative to the ISN; false when absolute; undefined when unknown. */
  relative?: boolean;
  /** PacketResult.step ("handshake 2/3", "reset by client", …). */
  step?: string;
  /** S_* states after this packet. */
  clientState?: number;
  serverState?: number;
  /** S_* states before this packet (the previous packet's of the same connection), for RST causes. */
  prevClientState?: number;
  prevServerState?: number;
  /** Who sent this packet. */
  senderRole?: 'client' | 'server';
  /** States inferred (connection seen mid-stream). */
  inferred?: boolean;
  /** A_* analysis bits. */
  analysis?: number;
  /** duplicate_ack: its number and the number of the packet it duplicates (as shown to the user). */
  dupAckNum?: number;
  dupAckOf?: number;
  /** Sender's window scale shift, when known (both SYNs carried wscale). */
  scale?: number;
  /** Window after scaling (PacketResult.winScaled). */
  winScaled?: number;
  /** Number (as shown) of the packet whose data this ACK covers. */
  acksPacket?: number;
  /** Seconds since the previous packet of the same connection, and since the previous packet line. */
  gapSec?: number;
  prevLineGapSec?: number;
  /** MSS announced by the receiver of this packet, when known. */
  mss?: number;
}

/** A number that is known (finite and ≥ 0). */
export function known(n: number | undefined | null): n is number {
  return typeof n === 'number' && n >= 0 && Number.isFinite(n);
}

const MD_SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&=:$"]/g;

/**
 * Text for Markdown, shown literally: every Markdown / HTML punctuation character is
 * backslash-escaped and line breaks become spaces (so a value cannot start a heading, a list, a
 * link, HTML, a table or a code block).
 */
export function escapeMarkdown(s: string): string {
  return String(s).replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ').replace(MD_SPECIAL, '\\$&');
}

/** At most `max` characters of untrusted text (an ellipsis when cut). */
export function clip(s: string, max = 80): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/**
 * Markdown for a hover: the title in bold, then the general text, then (a paragraph of its own)
 * what it means here. Everything is escaped: translations and packet values alike are plain text.
 */
export function toMarkdown(e: Explanation): string {
  let s = '**' + escapeMarkdown(e.title) + '**';
  if (e.text.length > 0) s += '\n\n' + joinSentences(e.text.map(escapeMarkdown));
  if (e.here.length > 0) s += '\n\n' + joinSentences(e.here.map(escapeMarkdown));
  return s;
}

/** Plain text (details tree tooltips, CLI): title, then the sentences. */
export function toPlainText(e: Explanation): string {
  let s = e.title;
  if (e.text.length > 0) s += '\n' + joinSentences(e.text);
  if (e.here.length > 0) s += '\n' + joinSentences(e.here);
  return s;
}

/** Sentences one after the other: a space between them, none after full-width (CJK) punctuation. */
export function joinSentences(parts: string[]): string {
  let s = '';
  for (const p of parts) {
    if (p === '') continue;
    if (s !== '' && !/[\u3000-\u303f\uff00-\uffef]$/.test(s)) s += ' ';
    s += p;
  }
  return s;
}

/** "350 µs", "12.5 ms", "1.204 s" (units are the same in every language). */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return String(sec);
  const neg = sec < 0;
  const a = Math.abs(sec);
  let s: string;
  if (a < 1e-3) s = Math.round(a * 1e6) + ' µs';
  else if (a < 1) s = trimZeros((a * 1e3).toFixed(a < 0.01 ? 3 : a < 0.1 ? 2 : 1)) + ' ms';
  else s = trimZeros(a.toFixed(3)) + ' s';
  return neg ? '-' + s : s;
}

function trimZeros(s: string): string {
  return s.indexOf('.') < 0 ? s : s.replace(/0+$/, '').replace(/\.$/, '');
}
