/**
 * A linear-time regular-expression matcher for the display filter's `matches` (Pike VM: a Thompson
 * NFA simulated over all threads at once). Time is O(input × program) whatever the pattern — no
 * backtracking, so a packet cannot make a filter slow — and matching allocates nothing: the
 * thread lists are typed arrays sized once per pattern. Pure TypeScript.
 *
 * The subset (PCRE syntax as Wireshark's GRegex takes it, minus what needs backtracking):
 *   literals, `.`, `[...]` / `[^...]` with ranges, escapes \d \D \w \W \s \S \t \n \r \f \v \0 \xHH
 *   and escaped punctuation, `^` `$` (start / end of the value), groups `(…)` `(?:…)`, `|`,
 *   `*` `+` `?` `{m}` `{m,}` `{m,n}` (lazy `?` suffixes accepted: they change nothing for a yes/no
 *   answer), and a leading `(?i)` (ASCII case-insensitive). Back-references and look-around
 *   are refused with an error (they cannot be matched in linear time).
 * Like Wireshark's, a match anywhere in the value counts (an unanchored search). Values are bytes
 * (frame, payload) or strings (matched by UTF-16 code unit, ASCII case folding).
 */

/** Instructions (op, a, b in parallel arrays). */
const I_CHAR = 0; // a = code
const I_ANY = 1; // any unit but \n (PCRE's default)
const I_CLASS = 2; // a = class index
const I_SPLIT = 3; // try a and b
const I_JMP = 4; // a
const I_BOL = 5;
const I_EOL = 6;
const I_MATCH = 7;

/** Longest program (instructions): `{m,n}` copies its operand, so a{1000}{1000} must not explode. */
export const REGEX_MAX_PROGRAM = 20000;

export class RegexSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset in the pattern. */
    readonly at: number,
  ) {
    super(message);
  }
}

type Node =
  | { t: 'char'; c: number }
  | { t: 'any' }
  | { t: 'class'; set: Uint8Array; neg: boolean }
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number };

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function classOf(kind: string): Uint8Array {
  const s = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    const d = isDigit(c);
    const w = d || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    const sp = c === 32 || (c >= 9 && c <= 13);
    const k = kind.toLowerCase();
    const v = k === 'd' ? d : k === 'w' ? w : sp;
    s[c] = (kind === k ? v : !v) ? 1 : 0;
  }
  return s;
}

class RegexParser {
  private i = 0;
  constructor(private readonly p: string) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.p.length) throw new RegexSyntaxError(`unmatched ")" in the regular expression`, this.i);
    return n;
  }

  private alt(): Node {
    const items = [this.cat()];
    while (this.p[this.i] === '|') {
      this.i++;
      items.push(this.cat());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private cat(): Node {
    const items: Node[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') items.push(this.repeat());
    return { t: 'cat', items };
  }

  private repeat(): Node {
    const at = this.i;
    let node = this.atom();
    for (;;) {
      const c = this.p[this.i];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, -1];
      else if (c === '+') [min, max] = [1, -1];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && this.isCount()) {
        const r = this.count();
        node = { t: 'rep', node, min: r.min, max: r.max };
        this.lazySuffix();
        continue;
      } else return node;
      this.i++;
      if (node.t === 'bol' || node.t === 'eol')
        throw new RegexSyntaxError('nothing to repeat in the regular expression', at);
      node = { t: 'rep', node, min, max };
      this.lazySuffix();
    }
  }

  private lazySuffix(): void {
    if (this.p[this.i] === '?') this.i++;
    else if (this.p[this.i] === '+') throw new RegexSyntaxError('possessive quantifiers are not supported', this.i);
  }

  private isCount(): boolean {
    let j = this.i + 1;
    const start = j;
    while (j < this.p.length && isDigit(this.p.charCodeAt(j))) j++;
    return j > start && (this.p[j] === '}' || this.p[j] === ',');
  }

  private count(): { min: number; max: number } {
    const at = this.i;
    this.i++;
    const num = (): number => {
      const s = this.i;
      while (this.i < this.p.length && isDigit(this.p.charCodeAt(this.i))) this.i++;
      return this.i > s ? Number(this.p.slice(s, this.i)) : -1;
    };
    const min = num();
    let max = min;
    if (this.p[this.i] === ',') {
      this.i++;
      max = num();
    }
    if (this.p[this.i] !== '}') throw new RegexSyntaxError('unterminated {m,n} in the regular expression', at);
    this.i++;
    if (min > 1000 || max > 1000) throw new RegexSyntaxError('repetition counts above 1000 are not supported', at);
    if (max !== -1 && max < min) throw new RegexSyntaxError('{m,n} with n < m in the regular expression', at);
    return { min, max };
  }

  private atom(): Node {
    const at = this.i;
    const c = this.p[this.i++];
    switch (c) {
      case '.':
        return { t: 'any' };
      case '^':
        return { t: 'bol' };
      case '$':
        return { t: 'eol' };
      case '[':
        return this.bracket(at);
      case '(': {
        if (this.p[this.i] === '?') {
          if (this.p[this.i + 1] === ':') this.i += 2;
          else
            throw new RegexSyntaxError(
              'look-around, named groups and inline flags (other than a leading "(?i)") are not supported',
              at,
            );
        }
        const inner = this.alt();
        if (this.p[this.i] !== ')') throw new RegexSyntaxError('missing ")" in the regular expression', at);
        this.i++;
        return inner;
      }
      case '*':
      case '+':
      case '?':
        throw new RegexSyntaxError('nothing to repeat in the regular expression', at);
      case '\\':
        return this.escape(at, false);
      default:
        return { t: 'char', c: c.charCodeAt(0) };
    }
  }

  /** An escape after "\" (at = offset of the backslash); inClass: inside [...]. */
  private escape(at: number, inClass: boolean): Node {
    if (this.i >= this.p.length) throw new RegexSyntaxError('the regular expression ends with "\\"', at);
    const e = this.p[this.i++];
    switch (e) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
        return { t: 'class', set: classOf(e), neg: false };
      case 't':
        return { t: 'char', c: 9 };
      case 'n':
        return { t: 'char', c: 10 };
      case 'r':
        return { t: 'char', c: 13 };
      case 'f':
        return { t: 'char', c: 12 };
      case 'v':
        return { t: 'char', c: 11 };
      case '0':
        return { t: 'char', c: 0 };
      case 'x': {
        const h = this.p.slice(this.i, this.i + 2);
        if (h.length !== 2 || Number.isNaN(parseInt(h, 16)) || !/^[0-9a-fA-F]{2}$/.test(h))
          throw new RegexSyntaxError('"\\x" needs two hex digits', at);
        this.i += 2;
        return { t: 'char', c: parseInt(h, 16) };
      }
    }
    if (/[A-Za-z0-9]/.test(e) && !(inClass && e === 'b')) {
      throw new RegexSyntaxError(
        `"\\${e}" is not supported in the regular expression (back-references and word boundaries need backtracking)`,
        at,
      );
    }
    return { t: 'char', c: e.charCodeAt(0) };
  }

  private bracket(at: number): Node {
    const set = new Uint8Array(256);
    let neg = false;
    let wide = false;
    if (this.p[this.i] === '^') {
      neg = true;
      this.i++;
    }
    let first = true;
    while (this.i < this.p.length && (this.p[this.i] !== ']' || first)) {
      first = false;
      const lo = this.classAtom();
      if (lo.set) {
        for (let k = 0; k < 256; k++) if (lo.set[k]) set[k] = 1;
        continue;
      }
      let hi = lo.c;
      if (this.p[this.i] === '-' && this.i + 1 < this.p.length && this.p[this.i + 1] !== ']') {
        this.i++;
        const h = this.classAtom();
        if (h.set) throw new RegexSyntaxError('a class like \\d cannot end a range', at);
        hi = h.c;
        if (hi < lo.c) throw new RegexSyntaxError('range out of order in a character class', at);
      }
      if (hi > 255) wide = true;
      for (let k = lo.c; k <= Math.min(hi, 255); k++) set[k] = 1;
    }
    if (this.p[this.i] !== ']') throw new RegexSyntaxError('missing "]" in the regular expression', at);
    this.i++;
    if (wide) throw new RegexSyntaxError('character classes with characters above \\xff are not supported', at);
    return { t: 'class', set, neg };
  }

  private classAtom(): { c: number; set?: Uint8Array } {
    const at = this.i;
    const ch = this.p[this.i++];
    if (ch !== '\\') return { c: ch.charCodeAt(0) };
    const n = this.escape(at, true);
    if (n.t === 'char') return { c: n.c };
    if (n.t === 'class') return { c: 0, set: n.set };
    return { c: 8 };
  }
}

/** A compiled pattern. `test*` are safe to call on any input: O(length × program size). */
export class LinearRegex {
  private readonly op: Uint8Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly classes: Uint8Array[];
  private readonly n: number;
  private readonly fold: boolean;
  // thread lists (sparse sets) reused by every call
  private cur: Int32Array;
  private nxt: Int32Array;
  private readonly mark: Uint32Array;
  private gen = 0;
  private stack: Int32Array;

  constructor(
    readonly source: string,
    prog: { op: number[]; a: number[]; b: number[]; classes: Uint8Array[] },
    fold: boolean,
  ) {
    this.op = Uint8Array.from(prog.op);
    this.a = Int32Array.from(prog.a);
    this.b = Int32Array.from(prog.b);
    this.classes = prog.classes;
    this.n = prog.op.length;
    this.fold = fold;
    this.cur = new Int32Array(this.n);
    this.nxt = new Int32Array(this.n);
    this.mark = new Uint32Array(this.n);
    this.stack = new Int32Array(this.n + 1);
  }

  // the input of the running search (fields, not a closure: a call allocates nothing)
  private bytes: Uint8Array | null = null;
  private str = '';
  private base = 0;

  /** Search the bytes data[start, end). */
  testBytes(data: Uint8Array, start: number, end: number): boolean {
    this.bytes = data;
    this.base = start;
    const r = this.run(Math.max(0, end - start));
    this.bytes = null;
    return r;
  }

  /** Search a string (UTF-16 code units). */
  testString(s: string): boolean {
    this.str = s;
    const r = this.run(s.length);
    this.str = '';
    return r;
  }

  private at(k: number): number {
    const b = this.bytes;
    return b !== null ? b[this.base + k] : this.str.charCodeAt(k);
  }

  /** Add pc and what it reaches without input to list `list` (size in `len`), at position k of n. */
  private add(list: Int32Array, len: number, pc0: number, k: number, n: number): number {
    const op = this.op;
    const stack = this.stack;
    let sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
      const pc = stack[--sp];
      if (this.mark[pc] === this.gen) continue;
      this.mark[pc] = this.gen;
      switch (op[pc]) {
        case I_JMP:
          stack[sp++] = this.a[pc];
          break;
        case I_SPLIT:
          // b first on the stack so a is explored first (order does not change a yes/no answer)
          stack[sp++] = this.b[pc];
          stack[sp++] = this.a[pc];
          break;
        case I_BOL:
          if (k === 0) stack[sp++] = pc + 1;
          break;
        case I_EOL:
          if (k === n) stack[sp++] = pc + 1;
          break;
        default:
          list[len++] = pc;
      }
    }
    return len;
  }

  private run(n: number): boolean {
    const op = this.op;
    let cur = this.cur;
    let nxt = this.nxt;
    this.bump();
    let cn = this.add(cur, 0, 0, 0, n);
    for (let k = 0; ; k++) {
      for (let t = 0; t < cn; t++) if (op[cur[t]] === I_MATCH) return true;
      if (k === n) return false;
      let c = this.at(k);
      if (this.fold && c >= 65 && c <= 90) c += 32;
      this.bump();
      // unanchored search: a new thread starts at every position (within the same pass: linear)
      let nn = 0;
      for (let t = 0; t < cn; t++) {
        const pc = cur[t];
        let ok = false;
        switch (op[pc]) {
          case I_CHAR:
            ok = this.a[pc] === c;
            break;
          case I_ANY:
            ok = c !== 10;
            break;
          case I_CLASS: {
            const cls = this.classes[this.a[pc]];
            const neg = this.b[pc] === 1;
            let hit = c < 256 && cls[c] === 1;
            if (!hit && this.fold && c >= 97 && c <= 122) hit = cls[c - 32] === 1;
            ok = hit !== neg;
            break;
          }
        }
        if (ok) nn = this.add(nxt, nn, pc + 1, k + 1, n);
      }
      nn = this.add(nxt, nn, 0, k + 1, n);
      const tmp = cur;
      cur = nxt;
      nxt = tmp;
      cn = nn;
    }
  }

  private bump(): void {
    this.gen = (this.gen + 1) >>> 0;
    if (this.gen === 0) {
      this.mark.fill(0);
      this.gen = 1;
    }
  }
}

function emit(
  node: Node,
  prog: { op: number[]; a: number[]; b: number[]; classes: Uint8Array[] },
  fold: boolean,
  at: number,
): void {
  const push = (o: number, a = 0, b = 0): number => {
    if (prog.op.length >= REGEX_MAX_PROGRAM)
      throw new RegexSyntaxError(
        `the regular expression is too large (more than ${REGEX_MAX_PROGRAM} steps once repetitions are expanded)`,
        at,
      );
    prog.op.push(o);
    prog.a.push(a);
    prog.b.push(b);
    return prog.op.length - 1;
  };
  switch (node.t) {
    case 'char': {
      let c = node.c;
      if (fold && c >= 65 && c <= 90) c += 32;
      push(I_CHAR, c);
      return;
    }
    case 'any':
      push(I_ANY);
      return;
    case 'class':
      prog.classes.push(node.set);
      push(I_CLASS, prog.classes.length - 1, node.neg ? 1 : 0);
      return;
    case 'bol':
      push(I_BOL);
      return;
    case 'eol':
      push(I_EOL);
      return;
    case 'cat':
      for (const it of node.items) emit(it, prog, fold, at);
      return;
    case 'alt': {
      // split L1, next; L1: item0; jmp end; next: split ...
      const jumps: number[] = [];
      for (let k = 0; k < node.items.length; k++) {
        if (k < node.items.length - 1) {
          const sp = push(I_SPLIT);
          prog.a[sp] = sp + 1;
          emit(node.items[k], prog, fold, at);
          jumps.push(push(I_JMP));
          prog.b[sp] = prog.op.length;
        } else emit(node.items[k], prog, fold, at);
      }
      for (const j of jumps) prog.a[j] = prog.op.length;
      return;
    }
    case 'rep': {
      for (let k = 0; k < node.min; k++) emit(node.node, prog, fold, at);
      if (node.max === -1) {
        // L: split body, out; body; jmp L
        const sp = push(I_SPLIT);
        prog.a[sp] = sp + 1;
        emit(node.node, prog, fold, at);
        push(I_JMP, sp);
        prog.b[sp] = prog.op.length;
      } else {
        const splits: number[] = [];
        for (let k = node.min; k < node.max; k++) {
          const sp = push(I_SPLIT);
          prog.a[sp] = sp + 1;
          splits.push(sp);
          emit(node.node, prog, fold, at);
        }
        for (const sp of splits) prog.b[sp] = prog.op.length;
      }
      return;
    }
  }
}

/** Compile a pattern; throws RegexSyntaxError (offset in the pattern) for what the subset lacks. */
export function compileRegex(pattern: string): LinearRegex {
  let p = pattern;
  let fold = false;
  let shift = 0;
  if (p.startsWith('(?i)')) {
    fold = true;
    p = p.slice(4);
    shift = 4;
  }
  let node: Node;
  try {
    node = new RegexParser(p).parse();
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new RegexSyntaxError(e.message, e.at + shift);
    throw e;
  }
  const prog = { op: [] as number[], a: [] as number[], b: [] as number[], classes: [] as Uint8Array[] };
  emit(node, prog, fold, 0);
  prog.op.push(I_MATCH);
  prog.a.push(0);
  prog.b.push(0);
  if (fold) {
    // fold the classes too: an upper-case letter in a class matches its lower-case input
    for (const set of prog.classes) for (let c = 65; c <= 90; c++) if (set[c]) set[c + 32] = 1;
  }
  return new LinearRegex(pattern, prog, fold);
}
