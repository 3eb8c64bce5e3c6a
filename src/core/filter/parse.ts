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
 */

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
  | { k: 'all' };

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
  /** 'word' (keywords, numbers, addresses, flag letters), 'op' (( ) ! && ||), 'end'. */
  t: 'word' | 'op' | 'end';
  v: string;
  at: number;
}

const WORD_CHAR = /[A-Za-z0-9_.:-]/;

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: 'op', v: c, at: i });
      i++;
      continue;
    }
    if (c === '!') {
      out.push({ t: 'op', v: '!', at: i });
      i++;
      continue;
    }
    if (c === '&' || c === '|') {
      if (s[i + 1] === c) {
        out.push({ t: 'op', v: c + c, at: i });
        i += 2;
        continue;
      }
      throw new FilterSyntaxError(`"${c}" must be doubled: use "${c}${c}" or "${c === '&' ? 'and' : 'or'}"`, i);
    }
    if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < s.length && WORD_CHAR.test(s[i])) i++;
      out.push({ t: 'word', v: s.slice(start, i), at: start });
      continue;
    }
    throw new FilterSyntaxError(`unexpected character "${c}"`, i);
  }
  out.push({ t: 'end', v: '', at: s.length });
  return out;
}

const PROTOS: readonly string[] = ['tcp', 'udp', 'icmp', 'icmp6', 'arp', 'ip', 'ip6'];
const KEYWORDS: readonly string[] = ['and', 'or', 'not', 'src', 'dst', 'host', 'port', 'stream', 'flags', 'problem', ...PROTOS];

/** TCP flag letters (tcpdump's) → TH_* bits. */
const FLAG_LETTERS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, '.': 0x10, U: 0x20, E: 0x40, W: 0x80, e: 0x100 };

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
    return tok.t === 'end' ? 'the end of the filter' : `"${tok.v}"`;
  }

  parse(): FilterNode {
    if (this.peek().t === 'end') return { k: 'all' };
    const n = this.or();
    const t = this.peek();
    if (t.t !== 'end') {
      if (t.v === ')') throw new FilterSyntaxError('unmatched ")"', t.at);
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
    if (t.t === 'end') throw new FilterSyntaxError(this.pos <= 1 ? 'empty expression' : 'the filter ends where a condition was expected', t.at);
    if (t.t === 'op') {
      if (t.v === '(') {
        const inner = this.or();
        const close = this.next();
        if (close.t !== 'op' || close.v !== ')') {
          throw new FilterSyntaxError(`expected ")" to close the "(" at ${t.at}, found ${this.describe(close)}`, close.at);
        }
        return inner;
      }
      if (t.v === ')') throw new FilterSyntaxError('unexpected ")": a condition was expected', t.at);
      throw new FilterSyntaxError(`unexpected "${t.v}": a condition was expected`, t.at);
    }
    const w = t.v.toLowerCase();
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
          return { k: 'and', a: proto, b: { k: 'port', dir: n.v.toLowerCase() as Dir, port: this.number('port', 65535) } };
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
    if (/^\d+$/.test(t.v)) throw new FilterSyntaxError(`a number needs a qualifier: write "port ${t.v}" or "stream ${t.v}"`, t.at);
    throw new FilterSyntaxError(`unknown word "${t.v}": expected host, port, src, dst, tcp, udp, icmp, arp, stream, flags, problem, not or "("`, t.at);
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
    if (t.t !== 'word') throw new FilterSyntaxError(`expected an IPv4 or IPv6 address after "${after}", found ${this.describe(t)}`, t.at);
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
    if (t.t !== 'word') throw new FilterSyntaxError(`expected TCP flag letters after "flags" (F S R P . U E W e), found ${this.describe(t)}`, t.at);
    if (t.v === 'none') return 0;
    let mask = 0;
    for (let i = 0; i < t.v.length; i++) {
      const bit = FLAG_LETTERS[t.v[i]];
      if (bit === undefined) {
        throw new FilterSyntaxError(`"${t.v[i]}" is not a TCP flag letter: use F S R P . U E W e (case matters: E = ECE, e = AE)`, t.at + i);
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
export function tryParseFilter(expr: string): { ok: true; node: FilterNode } | { ok: false; error: string; at: number } {
  try {
    return { ok: true, node: parseFilter(expr) };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, error: e.message, at: e.at };
    return { ok: false, error: errorMessage(e), at: 0 };
  }
}
