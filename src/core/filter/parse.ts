/**
 * The capture editor's filter language (a small, tcpdump-flavoured subset). Pure TypeScript.
 *
 *   expr     := or
 *   or       := and (("or" | "||") and)*
 *   and      := unary (("and" | "&&") unary)*
 *   unary    := ("not" | "!") unary | primary
 *   primary  := "(" expr ")"
 *             | ["src" | "dst"] "host" ADDRESS
 *             | ["src" | "dst"] ADDRESS                    (tcpdump: "src 10.0.0.1")
 *             | ["src" | "dst"] "port" NUMBER
 *             | ("tcp" | "udp") [["src" | "dst"] "port" NUMBER]   ("tcp port 80" = "tcp and port 80")
 *             | "tcp" | "udp" | "icmp" | "icmp6" | "arp" | "ip" | "ip6"
 *             | "stream" NUMBER                             (TCP stream number, as in the list)
 *             | "flags" LETTERS                             (tcpdump letters F S R P . U E W e, or "none":
 *                                                          TCP packets having all of them; "S." = SYN+ACK)
 *             | "problem"                                   (analysis flags, or a connection with a problem)
 *
 * Keywords are case-insensitive except the flag letters (E = ECE, e = AE). Errors carry the
 * character offset of the problem in the expression.
 *
 * The same box takes Wireshark display-filter syntax (tshark 4.0) for the fields we decode
 * (src/core/filter/fields.ts), mixed freely with the above through and/or/not and parentheses:
 *
 *   primary  += FIELD                                        (existence: "tcp.analysis.retransmission")
 *             | FIELD CMP VALUE                              (CMP: == != === !== ~= > < >= <= eq ne gt lt ge le
 *                                                             any_eq all_ne all_eq any_ne contains matches)
 *             | FIELD ["not"] "in" "{" VALUE ["..", VALUE] ("," ...)* "}"
 *             | FIELD "&" NUMBER                             (bits test: "tcp.flags & 0x02")
 *             | FIELD CMP FIELD                              (two numeric fields: "tcp.srcport > tcp.dstport")
 *
 * FIELD is a dotted name ("tcp.port"), "frame", or a protocol name ("eth", "ipv6", "icmpv6"; and
 * "tcp", "udp", "ip", "icmp", "arp", which mean the same in both syntaxes). A dotted word never
 * starts one of our conditions and an operator never follows one, so the two never overlap: "tcp
 * port 80" is ours, "tcp.port == 80" Wireshark's. VALUE is parsed by the field's type: numbers
 * (decimal, 0x hex, 0 octal), "quoted strings" (C escapes), IPv4/IPv6 addresses with an optional
 * /prefix, MAC addresses and byte strings (aa:bb:cc). Not supported (an error, never a silent mismatch): slices
 * ("frame[0:4]"), functions (len(), upper()), arithmetic, raw strings r"…", xor.
 *
 * Longer than our 600-line guide: one tokenizer and one precedence climber serve both syntaxes
 * (ours and Wireshark's), since one expression may mix them; the literal readers (addresses, CIDR,
 * MAC, bytes, strings) make up most of the rest. Splitting the literal readers out is the next step.
 */
import { compileRegex, RegexSyntaxError, type LinearRegex } from './regex';
import { lookupField, UNDECODED_PROTOCOLS, allFields, type FieldDef } from './fields';
// the DNS pairing's fields (dns.time …) are registered where fields are looked up
import './dnsFields';

import { errorMessage } from '../errors';

export type Dir = 'src' | 'dst' | 'any';
export type ProtoName = 'tcp' | 'udp' | 'icmp' | 'icmp6' | 'arp' | 'ip' | 'ip6';

export type Address = { family: 4; v4: number; text: string } | { family: 6; v6: Uint8Array; text: string };

export type FilterNode =
  | { k: 'and'; a: FilterNode; b: FilterNode }
  | { k: 'or'; a: FilterNode; b: FilterNode }
  | { k: 'not'; a: FilterNode }
  | { k: 'host'; dir: Dir; addr: Address }
  | { k: 'port'; dir: Dir; port: number }
  | { k: 'proto'; proto: ProtoName }
  | { k: 'stream'; stream: number }
  | { k: 'flags'; mask: number }
  | { k: 'problem' }
  /** The empty expression: every packet. */
  | { k: 'all' }
  // ---- Wireshark display-filter terms (`at`: offset of the field name)
  /** The field is present in the packet. */
  | { k: 'field'; field: FieldDef; at: number }
  | { k: 'cmp'; field: FieldDef; op: CmpOp; value: Literal; at: number }
  /** Any occurrence is one of the values (or in one of the ranges). */
  | { k: 'in'; field: FieldDef; values: Literal[]; at: number }
  /** Any occurrence has one of the mask's bits. */
  | { k: 'bits'; field: FieldDef; mask: number; at: number }
  /** Two numeric fields compared ("tcp.srcport > tcp.dstport", "frame.cap_len < frame.len"): any pair of occurrences. */
  | { k: 'cmp2'; field: FieldDef; op: CmpOp; other: FieldDef; at: number; at2: number };

/**
 * Comparison operators with Wireshark 4's meaning on fields that occur more than once (ip.addr,
 * tcp.port): '==' any occurrence equals; '!=' (also "!==", "ne", "all_ne") the field is present
 * and NO occurrence equals — so "ip.addr != X" is "!(ip.addr == X)" among packets with ip.addr, as
 * tshark 4.0 does; '~=' ("any_ne") some occurrence differs; '===' ("all_eq") every occurrence equals.
 * The rest hold when any occurrence satisfies them.
 */
export type CmpOp = '==' | '!=' | '===' | '~=' | '>' | '<' | '>=' | '<=' | 'contains' | 'matches';

/** A literal, converted to the field's type at parse time. */
export type Literal =
  /** Numbers (integers, booleans as 0/1, seconds); `hi` > `n` for a range "a..b" in a set. */
  | { t: 'num'; n: number; hi: number }
  /** IPv4 address with a prefix length (32 = exact). */
  | { t: 'v4'; addr: number; bits: number; text: string }
  | { t: 'v6'; addr: Uint8Array; bits: number; text: string }
  /** Byte strings: MAC addresses, bytes, protocols. */
  | { t: 'bytes'; b: Uint8Array }
  | { t: 'str'; s: string }
  | { t: 'regex'; re: LinearRegex };

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    /** Character offset of the problem in the expression. */
    readonly at: number,
  ) {
    super(message);
  }
}

interface Token {
  /**
   * 'word' (keywords, field names, numbers, addresses, flag letters), 'str' (a quoted string, `v`
   * its value), 'op' (( ) ! && || and Wireshark's comparison and set punctuation), 'end'.
   */
  t: 'word' | 'str' | 'op' | 'end';
  v: string;
  at: number;
  /** Length of the token in the expression (for strings: with the quotes). */
  len: number;
}

// '/' for CIDR prefixes (10.0.0.0/8)
const WORD_CHAR = /[A-Za-z0-9_.:/-]/;

/** Punctuation operators, longest first. */
const OPS = ['===', '!==', '==', '!=', '~=', '>=', '<=', '&&', '||', '>', '<', '!', '(', ')', '{', '}', ',', '&'];

/** A quoted string from s[i] = '"': its value and the offset after the closing quote. */
function readString(s: string, i: number): { v: string; end: number } {
  const start = i;
  let v = '';
  i++;
  while (i < s.length && s[i] !== '"') {
    const c = s[i];
    if (c !== '\\') {
      v += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) break;
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '0': '\0',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      '\\': '\\',
      '"': '"',
      "'": "'",
    };
    if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      v += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (e >= '0' && e <= '7' && /^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
      v += String.fromCharCode(parseInt(s.slice(i + 1, i + 4), 8) & 0xff);
      i += 4;
    } else if (simple[e] !== undefined) {
      v += simple[e];
      i += 2;
    } else {
      // as GLib's parser: an unknown escape keeps the character (regex escapes like "\\." reach matches)
      v += '\\' + e;
      i += 2;
    }
  }
  if (i >= s.length) throw new FilterSyntaxError('the string starting here has no closing quote (")', start);
  return { v, end: i + 1 };
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      const r = readString(s, i);
      out.push({ t: 'str', v: r.v, at: i, len: r.end - i });
      i = r.end;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (op !== undefined) {
      out.push({ t: 'op', v: op, at: i, len: op.length });
      i += op.length;
      continue;
    }
    if (c === '|') throw new FilterSyntaxError('"|" must be doubled: use "||" or "or"', i);
    if (c === '=') throw new FilterSyntaxError('"=" was unexpected in this context: compare with "=="', i);
    if (c === '[')
      throw new FilterSyntaxError('slices ("[") are not supported: compare the whole field, or use "contains"', i);
    if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < s.length && WORD_CHAR.test(s[i])) i++;
      out.push({ t: 'word', v: s.slice(start, i), at: start, len: i - start });
      continue;
    }
    throw new FilterSyntaxError(`unexpected character "${c}"`, i);
  }
  out.push({ t: 'end', v: '', at: s.length, len: 0 });
  return out;
}

const PROTOS: readonly string[] = ['tcp', 'udp', 'icmp', 'icmp6', 'arp', 'ip', 'ip6'];
const KEYWORDS: readonly string[] = [
  'and',
  'or',
  'not',
  'src',
  'dst',
  'host',
  'port',
  'stream',
  'flags',
  'problem',
  ...PROTOS,
];

/** TCP flag letters (tcpdump's) → TH_* bits. */
const FLAG_LETTERS: Record<string, number> = {
  F: 0x01,
  S: 0x02,
  R: 0x04,
  P: 0x08,
  '.': 0x10,
  U: 0x20,
  E: 0x40,
  W: 0x80,
  e: 0x100,
};

export function parseIPv4Text(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

export function parseIPv6Text(s: string): Uint8Array | null {
  if (!s.includes(':')) return null;
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const lastPart = text.slice(lastColon + 1);
  if (lastPart.includes('.')) {
    // trailing dotted quad ("::ffff:10.0.0.1"): re-express it as two hex words
    const v4 = parseIPv4Text(lastPart);
    if (v4 === null) return null;
    text = text.slice(0, lastColon + 1) + ((v4 >>> 16) & 0xffff).toString(16) + ':' + (v4 & 0xffff).toString(16);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parseWords = (h: string): number[] | null => {
    if (h === '') return [];
    const w: number[] = [];
    for (const p of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
      w.push(parseInt(p, 16));
    }
    return w;
  };
  const head = parseWords(halves[0]);
  const rest = halves.length === 2 ? parseWords(halves[1]) : [];
  if (head === null || rest === null) return null;
  let words: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    words = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    words = head;
    if (words.length !== 8) return null;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i] >> 8;
    out[2 * i + 1] = words[i] & 0xff;
  }
  return out;
}

/** Comparison operators: symbols and Wireshark's words (lower case). */
const CMP_OPS: Record<string, CmpOp> = {
  '==': '==',
  eq: '==',
  any_eq: '==',
  '!=': '!=',
  ne: '!=',
  '!==': '!=',
  all_ne: '!=',
  '===': '===',
  all_eq: '===',
  '~=': '~=',
  any_ne: '~=',
  '>': '>',
  gt: '>',
  '<': '<',
  lt: '<',
  '>=': '>=',
  ge: '>=',
  '<=': '<=',
  le: '<=',
  contains: 'contains',
  matches: 'matches',
};

/** Protocol names both syntaxes know (same meaning): Wireshark's when an operator follows. */
const WS_SHARED: readonly string[] = ['tcp', 'udp', 'ip', 'icmp', 'arp'];

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** A word that starts a Wireshark term: a dotted name ("tcp.port"), or a protocol name our syntax lacks ("eth", "frame"). */
function isFieldWord(v: string): boolean {
  if (!isLetter(v.charCodeAt(0)) || v.includes(':') || v.includes('/')) return false;
  if (v.includes('.')) return true;
  const f = lookupField(v);
  return (f !== undefined && f.type === 'proto' && !WS_SHARED.includes(v)) || UNDECODED_PROTOCOLS[v] !== undefined;
}

/** Levenshtein distance, capped (names are short; for "did you mean"). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function resolveField(t: Token): FieldDef {
  const f = lookupField(t.v);
  if (f) return f;
  const dot = t.v.indexOf('.');
  const proto = dot < 0 ? t.v : t.v.slice(0, dot);
  const app = UNDECODED_PROTOCOLS[proto];
  if (app !== undefined) {
    throw new FilterSyntaxError(
      dot < 0
        ? `"${t.v}" is a protocol (${app}) Capture Lens does not decode yet, so no packet would match`
        : `"${t.v}" is a Wireshark field of ${app}, which Capture Lens does not decode yet, so no packet would match`,
      t.at,
    );
  }
  let best = '';
  for (const c of allFields())
    if (distance(t.v, c.name) <= 2 && (best === '' || distance(t.v, c.name) < distance(t.v, best))) best = c.name;
  throw new FilterSyntaxError(
    `"${t.v}" is neither a field nor a protocol name.${best ? ` Did you mean "${best}"?` : ''}`,
    t.at,
  );
}

/** Fields whose values are plain numbers (two of them can be compared). */
function isNumeric(f: FieldDef): boolean {
  return f.type === 'uint' || f.type === 'int' || f.type === 'bool' || f.type === 'float' || f.type === 'reltime';
}

function isIntType(f: FieldDef): boolean {
  return f.type === 'uint' || f.type === 'int' || f.type === 'bool';
}

function typeName(f: FieldDef): string {
  switch (f.type) {
    case 'uint':
      return `an unsigned integer, ${f.bits ?? 32} bits`;
    case 'int':
      return 'a signed integer';
    case 'bool':
      return 'a boolean';
    case 'float':
      return 'a number';
    case 'reltime':
      return 'a time in seconds';
    case 'ipv4':
      return 'an IPv4 address';
    case 'ipv6':
      return 'an IPv6 address';
    case 'ether':
      return 'a MAC address';
    case 'bytes':
      return 'a byte string';
    case 'string':
      return 'a character string';
    case 'proto':
      return 'a protocol';
  }
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** An integer literal (decimal, 0x hex, 0 octal, optional '-'), or null. */
function parseInteger(v: string): number | null {
  let i = 0;
  let neg = false;
  if (v[0] === '-') {
    neg = true;
    i = 1;
  }
  let base = 10;
  if (v[i] === '0' && (v[i + 1] === 'x' || v[i + 1] === 'X')) {
    base = 16;
    i += 2;
  } else if (v[i] === '0' && v.length > i + 1) {
    base = 8;
    i += 1;
  }
  if (i >= v.length) return null;
  let n = 0;
  for (; i < v.length; i++) {
    const d = hexDigit(v.charCodeAt(i));
    if (d < 0 || d >= base) return null;
    n = n * base + d;
  }
  return neg ? -n : n;
}

/** Bytes "aa:bb:cc" (also "-" or "." between bytes, a single "47"), or null. */
function parseBytes(v: string): Uint8Array | null {
  const parts = v.split(/[:.-]/);
  const out = new Uint8Array(parts.length);
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (p.length < 1 || p.length > 2) return null;
    let x = 0;
    for (let j = 0; j < p.length; j++) {
      const d = hexDigit(p.charCodeAt(j));
      if (d < 0) return null;
      x = x * 16 + d;
    }
    out[k] = x;
  }
  return out;
}

/** MAC address: six bytes "aa:bb:cc:dd:ee:ff" ("-" too) or "aabb.ccdd.eeff", or null. */
function parseEther(v: string): Uint8Array | null {
  const b = parseBytes(v);
  if (b && b.length === 6) return b;
  const groups = v.split('.');
  if (groups.length !== 3 || groups.some((g) => g.length !== 4)) return null;
  const out = new Uint8Array(6);
  for (let k = 0; k < 6; k++) {
    const hi = hexDigit(v.charCodeAt(Math.floor(k / 2) * 5 + (k % 2) * 2));
    const lo = hexDigit(v.charCodeAt(Math.floor(k / 2) * 5 + (k % 2) * 2 + 1));
    if (hi < 0 || lo < 0) return null;
    out[k] = hi * 16 + lo;
  }
  return out;
}

/**
 * A string's bytes: characters below 256 as one byte (so "\xff" is the byte ff, as in Wireshark's
 * byte-string escapes), others in UTF-8 (a typed "é" is the byte e9: write "\xc3\xa9" for its UTF-8).
 */
function stringBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x100) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** The value token `t` as a literal of `field`'s type; `contains`: the operand of "contains". */
function literal(field: FieldDef, t: Token, contains: boolean): Literal {
  const v = t.v;
  if (t.t === 'op' || t.t === 'end')
    throw new FilterSyntaxError(
      `"${v}" was unexpected in this context: a value to compare ${field.name} with was expected`,
      t.at,
    );
  switch (field.type) {
    case 'uint':
    case 'int':
    case 'bool': {
      if (t.t === 'str')
        throw new FilterSyntaxError(
          `${field.name} is ${typeName(field)}: it cannot be compared with a string ("${v}")`,
          t.at,
        );
      if (field.type === 'bool') {
        if (v.toLowerCase() === 'true') return { t: 'num', n: 1, hi: 1 };
        if (v.toLowerCase() === 'false') return { t: 'num', n: 0, hi: 0 };
      }
      const n = parseInteger(v);
      if (n === null) {
        if (field.type === 'bool')
          throw new FilterSyntaxError(
            `"${v}" cannot be found among the possible values for ${field.name} (1 / True or 0 / False).`,
            t.at,
          );
        throw new FilterSyntaxError(`"${v}" is not a valid number.`, t.at);
      }
      // Wireshark treats any non-zero value of a boolean as true ("tcp.flags.syn == 2" matches SYNs)
      if (field.type === 'bool') return { t: 'num', n: n !== 0 ? 1 : 0, hi: n !== 0 ? 1 : 0 };
      if (field.type === 'uint') {
        const max = 2 ** (field.bits ?? 32) - 1;
        if (n < 0) throw new FilterSyntaxError(`"${v}" too small for this field, minimum 0.`, t.at);
        if (n > max) throw new FilterSyntaxError(`"${v}" too big for this field, maximum ${max}.`, t.at);
      }
      return { t: 'num', n, hi: n };
    }
    case 'float':
    case 'reltime': {
      if (t.t === 'str')
        throw new FilterSyntaxError(
          `${field.name} is ${typeName(field)}: it cannot be compared with a string ("${v}")`,
          t.at,
        );
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) throw new FilterSyntaxError(`"${v}" is not a valid number.`, t.at);
      return { t: 'num', n, hi: n };
    }
    case 'ipv4':
    case 'ipv6': {
      const slash = v.indexOf('/');
      const text = slash < 0 ? v : v.slice(0, slash);
      const max = field.type === 'ipv4' ? 32 : 128;
      let bits = max;
      if (slash >= 0) {
        const b = parseInteger(v.slice(slash + 1));
        if (b === null || b < 0)
          throw new FilterSyntaxError(`"${v.slice(slash + 1)}" is not a valid prefix length`, t.at + slash + 1);
        if (b > max)
          throw new FilterSyntaxError(
            `Netmask bits in a CIDR ${field.type === 'ipv4' ? 'IPv4' : 'IPv6'} address should be <= ${max}, not ${b}`,
            t.at,
          );
        bits = b;
      }
      if (field.type === 'ipv4') {
        const a = parseIPv4Text(text);
        if (a === null) throw new FilterSyntaxError(`"${v}" is not a valid hostname or IPv4 address.`, t.at);
        return { t: 'v4', addr: a, bits, text: v };
      }
      const a6 = parseIPv6Text(text);
      if (a6 === null) throw new FilterSyntaxError(`"${v}" is not a valid hostname or IPv6 address.`, t.at);
      return { t: 'v6', addr: a6, bits, text: v };
    }
    case 'ether': {
      if (contains && t.t === 'str') return { t: 'bytes', b: stringBytes(v) };
      const b = contains ? parseBytes(v) : parseEther(v);
      if (b === null) throw new FilterSyntaxError(`"${v}" is not a valid Ethernet address.`, t.at);
      return { t: 'bytes', b };
    }
    case 'bytes':
    case 'proto': {
      if (t.t === 'str') return { t: 'bytes', b: stringBytes(v) };
      const b = parseBytes(v);
      if (b === null)
        throw new FilterSyntaxError(
          `"${v}" is not a valid byte string: write bytes as aa:bb:cc, or text in quotes`,
          t.at,
        );
      return { t: 'bytes', b };
    }
    case 'string':
      return { t: 'str', s: v };
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.pos];
  }
  private next(): Token {
    return this.toks[this.pos++];
  }
  private isWord(tok: Token, ...words: string[]): boolean {
    return tok.t === 'word' && words.includes(tok.v.toLowerCase());
  }
  private describe(tok: Token): string {
    return tok.t === 'end' ? 'the end of the filter' : tok.t === 'str' ? 'a string' : `"${tok.v}"`;
  }

  parse(): FilterNode {
    if (this.peek().t === 'end') return { k: 'all' };
    const n = this.or();
    const t = this.peek();
    if (t.t !== 'end') {
      if (t.v === ')') throw new FilterSyntaxError('unmatched ")"', t.at);
      if (t.t === 'op' && t.v === '&') throw new FilterSyntaxError('"&" must be doubled: use "&&" or "and"', t.at);
      if (t.t === 'op' && CMP_OPS[t.v] !== undefined)
        throw new FilterSyntaxError(
          `"${t.v}" was unexpected in this context: only a field (like tcp.port) is compared`,
          t.at,
        );
      throw new FilterSyntaxError(`expected "and" or "or" before ${this.describe(t)}`, t.at);
    }
    return n;
  }

  private or(): FilterNode {
    let a = this.and();
    for (;;) {
      const t = this.peek();
      if ((t.t === 'op' && t.v === '||') || this.isWord(t, 'or')) {
        this.next();
        const b = this.and();
        a = { k: 'or', a, b };
      } else return a;
    }
  }

  private and(): FilterNode {
    let a = this.unary();
    for (;;) {
      const t = this.peek();
      if ((t.t === 'op' && t.v === '&&') || this.isWord(t, 'and')) {
        this.next();
        const b = this.unary();
        a = { k: 'and', a, b };
      } else return a;
    }
  }

  private unary(): FilterNode {
    const t = this.peek();
    if ((t.t === 'op' && t.v === '!') || this.isWord(t, 'not')) {
      this.next();
      return { k: 'not', a: this.unary() };
    }
    return this.primary();
  }

  private primary(): FilterNode {
    const t = this.next();
    if (t.t === 'end')
      throw new FilterSyntaxError(
        this.pos <= 1 ? 'empty expression' : 'the filter ends where a condition was expected',
        t.at,
      );
    if (t.t === 'op') {
      if (t.v === '(') {
        const inner = this.or();
        const close = this.next();
        if (close.t !== 'op' || close.v !== ')') {
          throw new FilterSyntaxError(
            `expected ")" to close the "(" at ${t.at}, found ${this.describe(close)}`,
            close.at,
          );
        }
        return inner;
      }
      if (t.v === ')') throw new FilterSyntaxError('unexpected ")": a condition was expected', t.at);
      if (t.v === '&') throw new FilterSyntaxError('"&" must be doubled: use "&&" or "and"', t.at);
      throw new FilterSyntaxError(`unexpected "${t.v}": a condition was expected`, t.at);
    }
    if (t.t === 'str')
      throw new FilterSyntaxError(
        'a string was unexpected here: compare a field with it, as in frame contains "abc"',
        t.at,
      );
    const w = t.v.toLowerCase();
    // Wireshark display-filter terms: a dotted field name, "frame", a protocol name our syntax lacks,
    // or one it shares when an operator follows ("tcp contains 47:45:54")
    if (isFieldWord(t.v) || (WS_SHARED.includes(w) && this.opFollows())) return this.fieldTerm(t);
    switch (w) {
      case 'src':
      case 'dst':
        return this.qualified(w);
      case 'host':
        return { k: 'host', dir: 'any', addr: this.address('host') };
      case 'port':
        return { k: 'port', dir: 'any', port: this.number('port', 65535) };
      case 'stream':
        return { k: 'stream', stream: this.number('stream', 0x7fffffff) };
      case 'flags':
        return { k: 'flags', mask: this.flags() };
      case 'problem':
        return { k: 'problem' };
      case 'tcp':
      case 'udp': {
        const proto: FilterNode = { k: 'proto', proto: w };
        const n = this.peek();
        if (this.isWord(n, 'port')) {
          this.next();
          return { k: 'and', a: proto, b: { k: 'port', dir: 'any', port: this.number('port', 65535) } };
        }
        if (this.isWord(n, 'src', 'dst') && this.isWord(this.toks[this.pos + 1], 'port')) {
          this.next();
          this.next();
          return {
            k: 'and',
            a: proto,
            b: { k: 'port', dir: n.v.toLowerCase() as Dir, port: this.number('port', 65535) },
          };
        }
        return proto;
      }
      case 'icmp':
      case 'icmp6':
      case 'arp':
      case 'ip':
      case 'ip6':
        return { k: 'proto', proto: w };
      case 'and':
      case 'or':
        throw new FilterSyntaxError(`"${t.v}" needs a condition before it`, t.at);
    }
    if (parseIPv4Text(t.v) !== null || parseIPv6Text(t.v) !== null) {
      throw new FilterSyntaxError(`an address needs a qualifier: write "host ${t.v}"`, t.at);
    }
    if (/^\d+$/.test(t.v))
      throw new FilterSyntaxError(`a number needs a qualifier: write "port ${t.v}" or "stream ${t.v}"`, t.at);
    throw new FilterSyntaxError(
      `unknown word "${t.v}": expected host, port, src, dst, tcp, udp, icmp, arp, stream, flags, problem, not or "("`,
      t.at,
    );
  }

  /** The next token is a comparison, "in" or "not in" (not "&": a protocol has no bits, and "tcp & udp" is a typo of ours). */
  private opFollows(): boolean {
    const n = this.peek();
    if (n.t === 'op') return CMP_OPS[n.v] !== undefined;
    if (n.t !== 'word') return false;
    const w = n.v.toLowerCase();
    return CMP_OPS[w] !== undefined || w === 'in' || (w === 'not' && this.isWord(this.toks[this.pos + 1], 'in'));
  }

  private fieldTerm(t: Token): FilterNode {
    const field = resolveField(t);
    const at = t.at;
    const n = this.peek();
    const w = n.t === 'word' ? n.v.toLowerCase() : n.t === 'op' ? n.v : '';
    if (w === '&') {
      this.next();
      if (!isIntType(field))
        throw new FilterSyntaxError(
          `${field.name} (${typeName(field)}) cannot be tested with "&": it is not an integer`,
          n.at,
        );
      const v = this.next();
      const lit = literal(field, v, false);
      if (lit.t !== 'num') throw new FilterSyntaxError(`expected a number after "&"`, v.at);
      return { k: 'bits', field, mask: lit.n, at };
    }
    if (w === 'in' || (w === 'not' && this.isWord(this.toks[this.pos + 1], 'in'))) {
      this.next();
      if (w === 'not') this.next();
      const node: FilterNode = { k: 'in', field, values: this.set(field), at };
      return w === 'not' ? { k: 'not', a: node } : node;
    }
    const op = CMP_OPS[w];
    if (op === undefined) {
      if (
        n.t === 'end' ||
        (n.t === 'op' && (n.v === ')' || n.v === '&&' || n.v === '||')) ||
        this.isWord(n, 'and', 'or')
      )
        return { k: 'field', field, at };
      throw new FilterSyntaxError(
        `${this.describe(n)} was unexpected in this context: after ${field.name} comes an operator (==, !=, >, contains, in …), "and", "or" or ")"`,
        n.at,
      );
    }
    this.next();
    const v = this.next();
    if (v.t === 'end')
      throw new FilterSyntaxError(`the filter ends where a value to compare ${field.name} with was expected`, v.at);
    if (v.t === 'word' && isFieldWord(v.v) && lookupField(v.v)) {
      const other = lookupField(v.v)!;
      if (isNumeric(field) && isNumeric(other) && op !== 'contains' && op !== 'matches') {
        return { k: 'cmp2', field, op, other, at, at2: v.at };
      }
      throw new FilterSyntaxError(
        `comparing two fields (${field.name} ${n.v} ${v.v}) is supported for numbers only: compare with a value`,
        v.at,
      );
    }
    if (op === 'contains') {
      if (!(field.type === 'string' || field.type === 'bytes' || field.type === 'ether' || field.type === 'proto')) {
        throw new FilterSyntaxError(
          `${field.name} (${typeName(field)}) cannot participate in "contains" comparison`,
          n.at,
        );
      }
      return { k: 'cmp', field, op, value: literal(field, v, true), at };
    }
    if (op === 'matches') {
      if (!(field.type === 'string' || field.type === 'bytes' || field.type === 'proto')) {
        throw new FilterSyntaxError(
          `${field.name} (${typeName(field)}) cannot participate in "matches" comparison`,
          n.at,
        );
      }
      if (v.t !== 'str')
        throw new FilterSyntaxError(
          '"matches" takes a quoted regular expression, as in frame matches "(?i)user"',
          v.at,
        );
      try {
        return { k: 'cmp', field, op, value: { t: 'regex', re: compileRegex(v.v) }, at };
      } catch (e) {
        // +1: the pattern starts after the opening quote (exact when it has no escapes before the problem)
        if (e instanceof RegexSyntaxError)
          throw new FilterSyntaxError(e.message, Math.min(v.at + 1 + e.at, v.at + v.len - 1));
        throw e;
      }
    }
    if (field.type === 'proto') {
      throw new FilterSyntaxError(
        `${field.name} is a protocol: test that it is present ("${field.name}") or use "contains"/"matches"`,
        n.at,
      );
    }
    if ((op === '>' || op === '<' || op === '>=' || op === '<=') && field.type === 'bool') {
      throw new FilterSyntaxError(`${field.name} is a boolean: compare it with == or !=`, n.at);
    }
    return { k: 'cmp', field, op, value: literal(field, v, false), at };
  }

  /** "{" values "}" after "in" (commas between, as Wireshark 4.0 requires; a..b ranges for numbers). */
  private set(field: FieldDef): Literal[] {
    const open = this.next();
    if (open.t !== 'op' || open.v !== '{')
      throw new FilterSyntaxError(`expected "{" after "in", found ${this.describe(open)}`, open.at);
    const out: Literal[] = [];
    for (;;) {
      const v = this.next();
      if (v.t === 'end') throw new FilterSyntaxError(`the set opened at ${open.at} has no closing "}"`, v.at);
      if (v.t === 'op' && v.v === '}' && out.length > 0) return out;
      if (v.t === 'op')
        throw new FilterSyntaxError(`"${v.v}" was unexpected in this context: a value was expected`, v.at);
      const dots = v.t === 'word' ? v.v.indexOf('..') : -1;
      if (dots > 0) {
        const lo = literal(field, { ...v, v: v.v.slice(0, dots), len: dots }, false);
        const hiTok = { ...v, v: v.v.slice(dots + 2), at: v.at + dots + 2, len: v.len - dots - 2 };
        const hi = literal(field, hiTok, false);
        if (lo.t !== 'num' || hi.t !== 'num')
          throw new FilterSyntaxError(`ranges ("a..b") are for numbers, not ${typeName(field)}s`, v.at);
        out.push({ t: 'num', n: lo.n, hi: hi.n });
      } else out.push(literal(field, v, false));
      const sep = this.next();
      if (sep.t === 'op' && sep.v === '}') return out;
      if (sep.t === 'op' && sep.v === ',') continue;
      if (sep.t === 'end') throw new FilterSyntaxError(`the set opened at ${open.at} has no closing "}"`, sep.at);
      throw new FilterSyntaxError(
        `${this.describe(sep)} was unexpected in this context: separate the values of a set with ","`,
        sep.at,
      );
    }
  }

  private qualified(dir: 'src' | 'dst'): FilterNode {
    const n = this.peek();
    if (this.isWord(n, 'host')) {
      this.next();
      return { k: 'host', dir, addr: this.address('host') };
    }
    if (this.isWord(n, 'port')) {
      this.next();
      return { k: 'port', dir, port: this.number('port', 65535) };
    }
    if (n.t === 'word' && !KEYWORDS.includes(n.v.toLowerCase())) {
      // tcpdump: "src 10.0.0.1" means "src host 10.0.0.1"
      return { k: 'host', dir, addr: this.address(dir) };
    }
    throw new FilterSyntaxError(`expected "host" or "port" after "${dir}", found ${this.describe(n)}`, n.at);
  }

  private address(after: string): Address {
    const t = this.next();
    if (t.t !== 'word')
      throw new FilterSyntaxError(`expected an IPv4 or IPv6 address after "${after}", found ${this.describe(t)}`, t.at);
    const v4 = parseIPv4Text(t.v);
    if (v4 !== null) return { family: 4, v4, text: t.v };
    const v6 = parseIPv6Text(t.v);
    if (v6 !== null) return { family: 6, v6, text: t.v };
    throw new FilterSyntaxError(`"${t.v}" is not an IPv4 or IPv6 address (host names are not resolved)`, t.at);
  }

  private number(after: string, max: number): number {
    const t = this.next();
    if (t.t !== 'word' || !/^\d+$/.test(t.v)) {
      throw new FilterSyntaxError(`expected a number after "${after}", found ${this.describe(t)}`, t.at);
    }
    const n = Number(t.v);
    if (n > max) throw new FilterSyntaxError(`${after} ${t.v} is out of range (0 to ${max})`, t.at);
    return n;
  }

  private flags(): number {
    const t = this.next();
    if (t.t !== 'word')
      throw new FilterSyntaxError(
        `expected TCP flag letters after "flags" (F S R P . U E W e), found ${this.describe(t)}`,
        t.at,
      );
    if (t.v === 'none') return 0;
    let mask = 0;
    for (let i = 0; i < t.v.length; i++) {
      const bit = FLAG_LETTERS[t.v[i]];
      if (bit === undefined) {
        throw new FilterSyntaxError(
          `"${t.v[i]}" is not a TCP flag letter: use F S R P . U E W e (case matters: E = ECE, e = AE)`,
          t.at + i,
        );
      }
      mask |= bit;
    }
    return mask;
  }
}

/** Parse a filter expression; throws FilterSyntaxError (with `at`) when it is not valid. */
export function parseFilter(expr: string): FilterNode {
  return new Parser(tokenize(expr)).parse();
}

/** Parse without throwing. */
export function tryParseFilter(
  expr: string,
): { ok: true; node: FilterNode } | { ok: false; error: string; at: number } {
  try {
    return { ok: true, node: parseFilter(expr) };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, error: e.message, at: e.at };
    return { ok: false, error: errorMessage(e), at: 0 };
  }
}
