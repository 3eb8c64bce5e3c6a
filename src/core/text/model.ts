/**
 * Model of a tcpdump text log as the tolerant parser (parser.ts) reads it. Pure TypeScript.
 *
 * Lines and columns are 0-based; a column range is [startCol, endCol) in UTF-16 code units of
 * the line (without its line break). Text spans of the fields are kept compactly: a flat
 * Int32Array of (field id, line, startCol, endCol) quadruples per packet, made for every packet
 * when parsing with `{ spans: true }`, else for one packet when asked (`spansOf`, `spanOf`,
 * `spanAt`, `packetSpans` read its line(s) again); `spansOf()` turns them into objects.
 *
 * Numbers: -1 (or '' / null) means "not shown in the text". `seq`/`ack` are what the text says
 * (relative when `relative`); `absSeq`/`absAck` the raw 32-bit numbers rebuilt for the engine.
 */

/** What a line of the log is. */
export const LK_BLANK = 0;
export const LK_PACKET = 1;
/** Second line of a `-v` IPv4 packet ("    src > dst: ..."). */
export const LK_CONTINUATION = 2;
/** `-x`/`-X` hex dump line ("\t0x0000:  4500 ..."). */
export const LK_HEX = 3;
/** Indented application-layer text belonging to the packet above. */
export const LK_APP = 4;
/** tcpdump's own messages: "listening on …", "N packets captured", … */
export const LK_BANNER = 5;
/** Shell prompt / command line: "[root@host ~]# tcpdump -i any port 80", "$ sudo tcpdump …". */
export const LK_PROMPT = 6;
/** Anything else (prose of a tutorial, …): ignored quietly. */
export const LK_PROSE = 7;
/** Looks like a packet but cannot be read: see `ParsedLog.unreadable`. */
export const LK_UNREADABLE = 8;

export const LINE_KIND_NAMES = ['blank', 'packet', 'continuation', 'hex', 'app', 'banner', 'prompt', 'prose', 'unreadable'] as const;
export type LineKindName = (typeof LINE_KIND_NAMES)[number];

/** Field ids of the spans. */
export const F_NUMBER = 1; // -# packet number
export const F_TIME = 2;
export const F_IFNAME = 3; // "eth0" of an SLL2 "eth0  In  " prefix
export const F_DIRECTION = 4; // In / Out / P / B / M
export const F_LINK = 5; // the whole -e link header ("aa:bb:… > cc:dd:…, ethertype IPv4 (0x0800), length 74: ")
export const F_SRC_MAC = 6;
export const F_DST_MAC = 7;
export const F_ETHERTYPE = 8;
export const F_FRAME_LENGTH = 9;
export const F_PROTO = 10; // "IP", "IP6", "ARP,", …
export const F_IP_HEADER = 11; // "(tos …, length 60)" / "(flowlabel …, payload length 40)"
export const F_IP_TOS = 12;
export const F_IP_TTL = 13;
export const F_IP_ID = 14;
export const F_IP_OFFSET = 15;
export const F_IP_FLAGS = 16;
export const F_IP_PROTO = 17;
export const F_IP_LENGTH = 18;
export const F_IP_CKSUM = 19; // "bad cksum 1234 (->5678)!"
export const F_IP6_CLASS = 20;
export const F_IP6_FLOWLABEL = 21;
export const F_IP6_HLIM = 22;
export const F_IP6_NEXT_HEADER = 23;
export const F_IP6_PAYLOAD_LENGTH = 24;
export const F_SRC_HOST = 25;
export const F_SRC_PORT = 26;
export const F_ARROW = 27; // ">"
export const F_DST_HOST = 28;
export const F_DST_PORT = 29;
export const F_FLAGS = 30; // "Flags [S.]"
export const F_FLAG = 31; // one flag letter
export const F_CKSUM = 32; // "cksum 0x1234 (correct)"
export const F_SEQ = 33; // "seq 1:11"
export const F_SEQ_START = 34;
export const F_SEQ_END = 35;
export const F_ACK = 36;
export const F_WIN = 37;
export const F_URG = 38;
export const F_OPTIONS = 39; // "options [ … ]"
export const F_OPTION = 40; // one option ("mss 1460")
export const F_OPTION_VALUE = 41; // one value inside an option ("1460", "val 1", "{1:2}")
export const F_LENGTH = 42; // "length 6"
export const F_APP = 43; // text after "length N"
export const F_ANNOTATION = 44; // " (1)", "<-- SYN" a writer appended
export const F_TRUNC = 45; // "[|tcp]"
export const F_QUIET_LENGTH = 46; // -q "tcp 0"
export const F_L4_PROTO = 47; // "UDP", "ICMP", …

export const FIELD_NAMES: Record<number, string> = {
  [F_NUMBER]: 'number', [F_TIME]: 'time', [F_IFNAME]: 'ifname', [F_DIRECTION]: 'direction', [F_LINK]: 'link',
  [F_SRC_MAC]: 'srcMac', [F_DST_MAC]: 'dstMac', [F_ETHERTYPE]: 'ethertype', [F_FRAME_LENGTH]: 'frameLength',
  [F_PROTO]: 'proto', [F_IP_HEADER]: 'ipHeader', [F_IP_TOS]: 'ip.tos', [F_IP_TTL]: 'ip.ttl', [F_IP_ID]: 'ip.id',
  [F_IP_OFFSET]: 'ip.offset', [F_IP_FLAGS]: 'ip.flags', [F_IP_PROTO]: 'ip.proto', [F_IP_LENGTH]: 'ip.length',
  [F_IP_CKSUM]: 'ip.cksum', [F_IP6_CLASS]: 'ip6.class', [F_IP6_FLOWLABEL]: 'ip6.flowlabel', [F_IP6_HLIM]: 'ip6.hlim',
  [F_IP6_NEXT_HEADER]: 'ip6.nextHeader', [F_IP6_PAYLOAD_LENGTH]: 'ip6.payloadLength', [F_SRC_HOST]: 'srcHost',
  [F_SRC_PORT]: 'srcPort', [F_ARROW]: 'arrow', [F_DST_HOST]: 'dstHost', [F_DST_PORT]: 'dstPort', [F_FLAGS]: 'flags',
  [F_FLAG]: 'flag', [F_CKSUM]: 'cksum', [F_SEQ]: 'seq', [F_SEQ_START]: 'seq.start', [F_SEQ_END]: 'seq.end',
  [F_ACK]: 'ack', [F_WIN]: 'win', [F_URG]: 'urg', [F_OPTIONS]: 'options', [F_OPTION]: 'option',
  [F_OPTION_VALUE]: 'option.value', [F_LENGTH]: 'length', [F_APP]: 'app', [F_ANNOTATION]: 'annotation',
  [F_TRUNC]: 'trunc', [F_QUIET_LENGTH]: 'quietLength', [F_L4_PROTO]: 'l4proto',
};

export interface Span {
  field: number;
  /** FIELD_NAMES[field]. */
  name: string;
  line: number;
  startCol: number;
  endCol: number;
}

/** Time column forms. */
export type TimeKind =
  | 'none' // -t, or a line pasted without its time
  | 'time' // default: time of day "16:38:11.960274"
  | 'epoch' // -tt "1418145370.123456"
  | 'delta' // -ttt / -ttttt " 00:00:00.000088" (see ParsedLog.format.timeFormat for which)
  | 'date'; // -tttt "2020-06-10 09:21:03.720289"

/** One TCP option as printed. */
export interface TextOption {
  /** The option's word: "mss", "wscale", "sackOK", "sack", "TS", "nop", "eol", "md5", "mptcp", "tfo", "exp-tfo", "exp-acc0", "unknown-N", … */
  name: string;
  /** The text of the option as printed (without the separating comma). */
  text: string;
  /** Line, columns of the option text. */
  line: number;
  start: number;
  end: number;
}

/** The -v IPv4 header fields (-1 / '' when not shown). */
export interface TextIPv4 {
  tos: number;
  /** ",ECT(0)" / ",ECT(1)" / ",CE" suffix of tos, '' when none. */
  ecn: string;
  ttl: number;
  id: number;
  offset: number;
  /** "DF", "+", "none", "+, DF", … as printed inside "flags [...]". */
  flags: string;
  protoName: string;
  proto: number;
  length: number;
  /** "[was 0, presumed TSO]" etc. after the length, '' when none. */
  lengthNote: string;
  /** "options (...)" text, '' when none. */
  options: string;
  /** bad header checksum: the field and what it should be; -1 when the checksum was not reported bad. */
  badCksum: number;
  cksumShouldBe: number;
}

/** The -v IPv6 header fields (-1 when not shown). */
export interface TextIPv6 {
  cls: number;
  flowlabel: number;
  hlim: number;
  nextHeaderName: string;
  nextHeader: number;
  payloadLength: number;
  /** true for the 4.99.3 wording "next-header TCP (6) payload length: 40". */
  oldWording: boolean;
  /** "[real length 80040, presumed BIG TCP]" after the header, '' when none. */
  lengthNote: string;
}

/** The -e link header. */
export interface TextLink {
  /** 'ether' ("mac > mac, ethertype …"), 'sll' (" In mac ethertype …"), 'sll2' ("eth0  In  …"). */
  kind: 'ether' | 'sll' | 'sll2';
  srcMac: string;
  dstMac: string;
  /** EtherType number, -1 when not printed. */
  etherType: number;
  /** "length N" of the link header (frame length), -1 when not printed. */
  frameLength: number;
  /** 802.1Q tags printed with -e ("vlan 165, p 0"): VLAN ids. */
  vlans: number[];
}

/** One packet of the log. */
export interface TextPacket {
  /** 0-based order of the packet in the log. */
  index: number;
  /** First and last line (0-based) of the packet, continuation/hex/app lines included. */
  line: number;
  endLine: number;
  /** The line holding the addresses (the continuation line under -v IPv4; else = line). */
  addrLine: number;
  /** -# number, -1 when absent. */
  number: number;

  timeKind: TimeKind;
  /** The time text as printed ('' when none). */
  readonly timeText: string;
  /** Sub-second digits printed: 6, 9 (--nano), 0 when no time. */
  timeDigits: number;
  /**
   * Time as seconds since the epoch + ns. For 'date' and 'epoch' it is what the text says (the
   * date taken as UTC); for 'time' the time of day on 1970-01-01; for 'delta' the running time
   * rebuilt from the deltas (starting at 0); for 'none' 0.
   */
  tsSec: number;
  tsNsec: number;
  /** For 'delta': the delta as printed, in seconds (negative when printed with '-'); else 0. */
  relSec: number;
  /** "(invalid us)" / "(invalid ns)" after the time. */
  timeInvalid: boolean;

  /** SLL2 "eth0  In  " prefix / SLL -e direction: interface name ('' when none) and direction ('' when none). */
  ifname: string;
  direction: string;
  link: TextLink | null;

  /** "IP", "IP6", "ARP", or the first word of another protocol; '' when the line starts at the addresses. */
  proto: string;
  /** 4 or 6 (from the word, or the address form), 0 when unknown. */
  ipVersion: number;
  ip4: TextIPv4 | null;
  ip6: TextIPv6 | null;
  /** 'tcp', 'udp', 'icmp', 'icmp6', 'arp', 'other'. */
  l4: string;

  /** Source/destination host as printed (address or name) and port as printed ('' when none). */
  readonly srcHost: string;
  readonly dstHost: string;
  readonly srcPortText: string;
  readonly dstPortText: string;
  /** Ports as numbers: the digits, or a known service name mapped; -1 when unknown. */
  readonly sport: number;
  readonly dport: number;
  /**
   * Conversation number in the log (the two directions of "a.1 > b.2" / "b.2 > a.1" share it;
   * -1 when no addresses were read) and the direction within it (0: as first seen).
   */
  readonly conv: number;
  readonly dir: number;
  /** true when both hosts are numeric addresses. */
  readonly numericHosts: boolean;

  /** TH_* bits; -1 when no "Flags [...]" was read. */
  flags: number;
  flagsText: string;
  /** TCP checksum field (-1 when not shown), 'correct' | 'incorrect' | '' and the "->" value (-1). */
  cksum: number;
  cksumState: '' | 'correct' | 'incorrect';
  cksumShouldBe: number;
  /** seq as printed (start; end = start + length when "a:b"), -1 when not printed. */
  seq: number;
  seqEnd: number;
  ack: number;
  win: number;
  urg: number;
  /** true when seq/ack are printed relative (tcpdump's default after a conversation's first packet). */
  relative: boolean;
  /** Raw 32-bit seq/ack rebuilt from the conversation (see ParsedLog); inferred when not printed. */
  absSeq: number;
  absAck: number;
  /** true when absSeq was inferred (pure ACK without "seq"). */
  seqInferred: boolean;

  /**
   * The options as printed: filled when parsed with spans; else null (use `optionsOf(p)`).
   */
  options: TextOption[] | null;
  /** Columns (on `addrLine`) of the text inside "options [ … ]"; -1 when none. */
  optStart: number;
  optEnd: number;
  mss: number;
  wscale: number;
  sackOk: boolean;
  tsVal: number;
  tsEcr: number;
  /** SACK blocks as printed (left, right pairs; relative when `relative`), null when none. */
  sack: number[] | null;
  /** Raw SACK blocks rebuilt. */
  absSack: number[] | null;

  /** "length N" of the transport (TCP payload, UDP length, …), -1 when not printed. */
  length: number;
  /** -q "tcp N", -1 when not printed. */
  quietLength: number;
  /** Whatever tcpdump printed after "length N" (without the annotation), '' when none. */
  app: string;
  /** Indented application lines below the packet line (without their indentation). */
  appLines: string[] | null;
  /** Note a writer appended: "(1)", "①", "<-- SYN". */
  annotation: string;
  /** Hex dump lines (as printed). */
  hex: string[] | null;

  /** "[|tcp]" (or other "[|proto]") truncation marker seen. */
  truncated: boolean;
  /** The line stops before "length N" (pasted cut short): what was read is kept. */
  cutShort: boolean;
  /** Something in the line did not read as tcpdump prints it; '' when none (the rest is in `app`). */
  problem: string;
  /** The whole packet line (the continuation line appended after '\n' under -v IPv4). */
  text: string;
  /** "src.port > dst.port" as printed (the conversation's key in one direction), '' when none. */
  readonly flow: string;
  /** Flat (field, line, startCol, endCol) quadruples; null when parsed without spans until asked (spansOf…). */
  spans: Int32Array | null;
}

/** A line that looked like a packet but could not be read. */
export interface UnreadableLine {
  line: number;
  reason: string;
  text: string;
}

export interface BannerLine {
  line: number;
  kind: 'listening' | 'reading' | 'captured' | 'received' | 'dropped' | 'verbose' | 'warning' | 'other';
  text: string;
  /** The N of "N packets captured/received/dropped", -1 otherwise. */
  count: number;
}

export interface PromptLine {
  line: number;
  /** The command after the prompt ("tcpdump -iany port 8888"). */
  command: string;
  text: string;
}

/** The options the log looks printed with (as far as the text tells). */
export interface DetectedFormat {
  /** PrintOptions.timeFormat: 0 time of day, 1 none, 2 epoch, 3 delta from previous, 4 date, 5 delta from first. */
  timeFormat: number;
  nano: boolean;
  /** 0, or ≥1 when -v IP header fields are shown (1: no more is known), 2 when pure ACKs show "seq". */
  verbose: number;
  linkHeader: boolean;
  number: boolean;
  /** -S: absolute sequence numbers throughout. */
  absoluteSeq: boolean;
  quiet: boolean;
  /** -x … -XX as PrintOptions.hex: 1 (-x) when hex lines are present, 3 (-X) when they carry ASCII. */
  hex: number;
  /** Some host or port is a name (no -n/-nn). */
  names: boolean;
}

export interface ParsedLog {
  /** Number of lines. */
  lineCount: number;
  /** LK_* per line. */
  kinds: Uint8Array;
  /** Packet index per line (-1 for lines that are not part of a packet). */
  packetOfLine: Int32Array;
  packets: TextPacket[];
  unreadable: UnreadableLine[];
  banners: BannerLine[];
  prompts: PromptLine[];
  format: DetectedFormat;
}

export interface ParseOptions {
  /**
   * Keep text spans of every field for every packet (default false: the parse is then faster,
   * and `spansOf`/`spanOf`/`spanAt` read a packet's spans again when asked).
   */
  spans?: boolean;
}

/** Set by parser.ts (which imports this module): re-reads a packet's spans. */
export const spanSource: { get: ((p: TextPacket) => Int32Array) | null } = { get: null };

function spansArray(p: TextPacket): Int32Array | null {
  if (p.spans !== null) return p.spans;
  return spanSource.get !== null ? spanSource.get(p) : null;
}

/** The spans of a packet as objects. */
export function spansOf(p: TextPacket): Span[] {
  const out: Span[] = [];
  const s = spansArray(p);
  if (s === null) return out;
  for (let i = 0; i + 3 < s.length; i += 4) {
    out.push({ field: s[i], name: FIELD_NAMES[s[i]] ?? String(s[i]), line: s[i + 1], startCol: s[i + 2], endCol: s[i + 3] });
  }
  return out;
}

/** The first span of a field (or null). */
export function spanOf(p: TextPacket, field: number): Span | null {
  const s = spansArray(p);
  if (s === null) return null;
  for (let i = 0; i + 3 < s.length; i += 4) {
    if (s[i] === field) return { field, name: FIELD_NAMES[field] ?? String(field), line: s[i + 1], startCol: s[i + 2], endCol: s[i + 3] };
  }
  return null;
}

/** The innermost span at a position (for hovers), or null. */
export function spanAt(p: TextPacket, line: number, col: number): Span | null {
  const s = spansArray(p);
  if (s === null) return null;
  let best = -1;
  for (let i = 0; i + 3 < s.length; i += 4) {
    if (s[i + 1] !== line || col < s[i + 2] || col >= s[i + 3]) continue;
    if (best < 0 || s[i + 3] - s[i + 2] <= s[best + 3] - s[best + 2]) best = i;
  }
  if (best < 0) return null;
  return { field: s[best], name: FIELD_NAMES[s[best]] ?? String(s[best]), line: s[best + 1], startCol: s[best + 2], endCol: s[best + 3] };
}

/** The options of a packet (parsed from its text when the log was parsed without spans). */
export function optionsOf(p: TextPacket): TextOption[] {
  if (p.options !== null) return p.options;
  if (p.optStart < 0) return [];
  const lines = p.text.split('\n');
  const s = lines[p.addrLine - p.line] ?? '';
  const out: TextOption[] = [];
  let depth = 0;
  let st = p.optStart;
  const push = (a: number, b: number): void => {
    while (a < b && s.charCodeAt(a) === 32) a++;
    if (a >= b) return;
    let e = a;
    while (e < b && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 91) e++;
    out.push({ name: s.slice(a, e), text: s.slice(a, b), line: p.addrLine, start: a, end: b });
  };
  for (let k = p.optStart; k < p.optEnd; k++) {
    const c = s.charCodeAt(k);
    if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 0 && s.charCodeAt(k + 1) !== 32) {
      push(st, k);
      st = k + 1;
    }
  }
  push(st, p.optEnd);
  return out;
}
