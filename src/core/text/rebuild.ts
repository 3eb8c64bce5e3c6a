/**
 * Second pass over a parsed log: running times for delta/time-of-day stamps, and raw (absolute)
 * TCP sequence numbers rebuilt the way tcpdump made them relative (print-tcp.c tcp_seq_hash):
 * per conversation, the first segment with ACK set (or any SYN+ACK) is printed with raw numbers
 * and sets the bases (its seq for its direction, ack - 1 for the other); later segments with ACK
 * set print seq - base and ack - base; segments without ACK always print raw numbers. So a log
 * that starts with a conversation's first packet gives back the exact raw numbers; a log that
 * starts mid-conversation gives numbers on base 0 for that direction, which keeps the relative
 * values the engine computes the same. Whether the log was printed with -S is decided by a vote
 * over the conversations (raw numbers sit near the bases, relative ones near 0).
 * Pure ACKs print no seq: it is inferred as the sender's next sequence number.
 */

import { TH_ACK, TH_FIN, TH_SYN } from '../decode/packet';
import type { ParsedLog, TextPacket } from './model';

interface Conv {
  created: boolean;
  /** Bases for direction 0 (first endpoint in key order → second) and 1; NaN when unknown. */
  base0: number;
  base1: number;
  /** Next sequence number each side will send (raw), NaN when unknown. */
  next0: number;
  next1: number;
  /** Highest ack each side sent (raw), NaN when unknown. */
  ack0: number;
  ack1: number;
}

function newConv(): Conv {
  return { created: false, base0: NaN, base1: NaN, next0: NaN, next1: NaN, ack0: NaN, ack1: NaN };
}

/**
 * A conversation's first ACK segment that already shows relative numbers: a log that starts in
 * the middle of tcpdump's output (pasted excerpt). Raw initial sequence numbers are random over
 * 2^32, relative ones are offsets in the stream: both seq and ack below 2^26 (or a lone ack below
 * 2^24) say "relative" with a small chance of being wrong (≈ 0.02 % / 0.4 %).
 */
function alreadyRelativeNums(flags: number, seq: number, ack: number): boolean {
  if ((flags & TH_SYN) !== 0 || ack < 0) return false;
  if (seq < 0) return ack < 0x1000000;
  return seq < 0x4000000 && ack < 0x4000000;
}

/** a after b in sequence space. */
function seqGT(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/**
 * The TCP packets of a log as columns (what rebuildSeq reads: `n` rows, one a TCP packet with
 * flags and a conversation) and what it writes back (absSeq, absAck, relative, seqInferred).
 */
export interface TcpColumns {
  n: number;
  /** packet index, conversation, direction, flags / seq / ack as printed, length (-1: none), SACK shown (0/1) */
  idx: Int32Array;
  conv: Int32Array;
  dir: Uint8Array;
  flags: Int32Array;
  seq: Float64Array;
  ack: Float64Array;
  len: Float64Array;
  sack: Uint8Array;
  /** results (rebuildSeq writes row n after reading seq[n]/ack[n]: they may be the same arrays) */
  absSeq: Float64Array;
  absAck: Float64Array;
  /** REL_* bits */
  bits: Uint8Array;
}
export const REL_RELATIVE = 1;
export const REL_INFERRED = 2;

export function newTcpColumns(size: number): TcpColumns {
  const seq = new Float64Array(size);
  const ack = new Float64Array(size);
  return {
    n: 0, idx: new Int32Array(size), conv: new Int32Array(size), dir: new Uint8Array(size), flags: new Int32Array(size),
    seq, ack, len: new Float64Array(size), sack: new Uint8Array(size), absSeq: seq, absAck: ack, bits: new Uint8Array(size),
  };
}

/** How rebuildSeq reads and writes the packets (the parser passes faster ones for its own packets). */
export interface TcpColumnsIO {
  gather(packets: TextPacket[]): TcpColumns;
  store(packets: TextPacket[], cols: TcpColumns): void;
}

const viaFields: TcpColumnsIO = {
  gather(packets) {
    const c = newTcpColumns(packets.length);
    let nt = 0;
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i];
      if (p.l4 !== 'tcp') continue;
      const fl = p.flags;
      if (fl < 0) continue;
      const cv = p.conv;
      if (cv < 0) continue;
      c.idx[nt] = i;
      c.conv[nt] = cv;
      c.dir[nt] = p.dir;
      c.flags[nt] = fl;
      c.seq[nt] = p.seq;
      c.ack[nt] = p.ack;
      c.len[nt] = p.length;
      c.sack[nt] = p.sack !== null ? 1 : 0;
      nt++;
    }
    c.n = nt;
    return c;
  },
  store(packets, c) {
    for (let n = 0; n < c.n; n++) {
      const p = packets[c.idx[n]];
      p.absSeq = c.absSeq[n];
      p.absAck = c.absAck[n];
      p.relative = (c.bits[n] & REL_RELATIVE) !== 0;
      p.seqInferred = (c.bits[n] & REL_INFERRED) !== 0;
    }
  },
};

export function rebuildLog(log: ParsedLog, io: TcpColumnsIO = viaFields): void {
  rebuildTimes(log);
  rebuildSeq(log, io);
}

function rebuildTimes(log: ParsedLog): void {
  const tf = log.format.timeFormat;
  let runSec = 0;
  let runNs = 0;
  let dayOff = 0;
  let prevTod = -1;
  const packets = log.packets;
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i];
    // a time of day pasted with a stray leading space in a log of times of day is one too
    if (p.timeKind === 'delta' && p.relSec >= 0 && (tf === 0 || tf === 4)) p.timeKind = 'time';
    if (p.timeKind === 'delta') {
      const neg = p.relSec < 0;
      let s = p.tsSec;
      let ns = p.tsNsec;
      if (tf === 5) {
        // since the first packet: the running time is the delta itself
        runSec = neg ? -s : s;
        runNs = neg ? -ns : ns;
      } else {
        runSec += neg ? -s : s;
        runNs += neg ? -ns : ns;
      }
      s = runSec;
      ns = runNs;
      while (ns < 0) {
        ns += 1e9;
        s -= 1;
      }
      while (ns >= 1e9) {
        ns -= 1e9;
        s += 1;
      }
      if (tf !== 5) {
        runSec = s;
        runNs = ns;
      }
      p.tsSec = s;
      p.tsNsec = ns;
    } else if (p.timeKind === 'time') {
      // time of day: add a day when the clock goes back by more than 12 hours (midnight)
      const tod = p.tsSec;
      if (prevTod >= 0 && tod + 43200 < prevTod) dayOff += 86400;
      prevTod = tod;
      if (dayOff !== 0) p.tsSec = tod + dayOff;
    }
  }
}

function rebuildSeq(log: ParsedLog, io: TcpColumnsIO): void {
  // conversation number and direction of every TCP packet (found by the parser), flags, seq and
  // ack as printed: read once
  const packets = log.packets;
  const cols = io.gather(packets);
  const nt = cols.n;
  const tcpIdx = cols.idx;
  const convOf = cols.conv;
  const dirs = cols.dir;
  const fls = cols.flags;
  const sqs = cols.seq;
  const aks = cols.ack;
  let nConv = 0;
  for (let n = 0; n < nt; n++) if (convOf[n] >= nConv) nConv = convOf[n] + 1;
  // vote: -S or relative?
  let votesAbs = 0;
  let votesRel = 0;
  {
    const convs: Conv[] = [];
    for (let n = 0; n < nConv; n++) convs.push(newConv());
    for (let n = 0; n < nt; n++) {
      const dir = dirs[n];
      const c = convs[convOf[n]];
      const fl = fls[n];
      const pseq = sqs[n];
      const pack = aks[n];
      const hasAck = (fl & TH_ACK) !== 0;
      if (!hasAck) continue;
      if (!c.created || (fl & TH_SYN) !== 0) {
        c.created = true;
        if (alreadyRelativeNums(fl, pseq, pack)) {
          c.base0 = c.base1 = 0;
          continue;
        }
        if (dir === 0) {
          c.base0 = pseq >= 0 ? pseq : NaN;
          c.base1 = pack >= 0 ? (pack - 1) >>> 0 : NaN;
        } else {
          c.base1 = pseq >= 0 ? pseq : NaN;
          c.base0 = pack >= 0 ? (pack - 1) >>> 0 : NaN;
        }
        continue;
      }
      const own = dir === 0 ? c.base0 : c.base1;
      const other = dir === 0 ? c.base1 : c.base0;
      for (let q = 0; q < 2; q++) {
        const x = q === 0 ? pack : pseq;
        const b = q === 0 ? other : own;
        if (x < 0 || !(b >= 0x100000)) continue;
        if (((x - b) >>> 0) < x) votesAbs++;
        else votesRel++;
      }
    }
  }
  const absolute = votesAbs > votesRel;
  log.format.absoluteSeq = absolute;

  // looking ahead: the nearest later number (as printed) that tells each packet's own next
  // sequence number (its direction's next "seq", or the peer's next "ack"), for pure ACKs seen
  // before anything else of their direction
  const ahead = new Float64Array(nt).fill(NaN);
  {
    const slot = new Float64Array(nConv * 2).fill(NaN);
    for (let n = nt - 1; n >= 0; n--) {
      const k = convOf[n] * 2;
      const d = dirs[n];
      ahead[n] = slot[k + d];
      if (sqs[n] >= 0) slot[k + d] = sqs[n];
      if (aks[n] >= 0 && (fls[n] & TH_ACK) !== 0) slot[k + (d ^ 1)] = aks[n];
    }
  }

  const convs: Conv[] = [];
  for (let n = 0; n < nConv; n++) convs.push(newConv());
  for (let n = 0; n < nt; n++) {
    const dir = dirs[n];
    const c = convs[convOf[n]];
    const f = fls[n];
    const pseq = sqs[n];
    const pack = aks[n];
    const hasAck = (f & TH_ACK) !== 0;
    const relative = !absolute && hasAck && c.created && (f & TH_SYN) === 0;
    let bits = relative ? REL_RELATIVE : 0;
    let ownBase = dir === 0 ? c.base0 : c.base1;
    let otherBase = dir === 0 ? c.base1 : c.base0;
    // seq
    let seq: number;
    if (pseq >= 0) {
      seq = relative ? (pseq + (ownBase >= 0 ? ownBase : 0)) >>> 0 : pseq;
    } else {
      const next = dir === 0 ? c.next0 : c.next1;
      const peerAck = dir === 0 ? c.ack1 : c.ack0;
      if (next >= 0 && peerAck >= 0) seq = seqGT(peerAck, next) ? peerAck : next;
      else if (next >= 0) seq = next;
      else if (peerAck >= 0) seq = peerAck;
      else seq = -1; // nothing known yet: from what follows, below
      bits |= REL_INFERRED;
    }
    let ack = -1;
    if (pack >= 0) ack = relative ? (pack + (otherBase >= 0 ? otherBase : 0)) >>> 0 : pack;
    cols.absAck[n] = ack;
    // the state tcpdump keeps
    if (!absolute && hasAck && (!c.created || (f & TH_SYN) !== 0)) {
      c.created = true;
      if (alreadyRelativeNums(f, pseq, pack)) {
        // an excerpt: the numbers are tcpdump's relative ones already; keep them on base 0
        bits |= REL_RELATIVE;
        ownBase = 0;
        otherBase = 0;
      } else {
        ownBase = pseq >= 0 ? pseq : NaN;
        otherBase = pack >= 0 ? (pack - 1) >>> 0 : NaN;
      }
      if (dir === 0) {
        c.base0 = ownBase;
        c.base1 = otherBase;
      } else {
        c.base1 = ownBase;
        c.base0 = otherBase;
      }
    }
    if (seq < 0) {
      // the first of its direction and no seq shown: the next number that tells it, on the
      // bases now in force (0 when unknown, as tcpdump's own base is this very packet's seq)
      const b = ownBase >= 0 ? ownBase : 0;
      seq = ahead[n] >= 0 ? (ahead[n] + (absolute ? 0 : b)) >>> 0 : b;
    }
    cols.absSeq[n] = seq;
    cols.bits[n] = bits;
    // SACK blocks: relative to the peer's base whenever ACK is set (tcpdump's st != NULL)
    if (cols.sack[n] !== 0) {
      const p = packets[tcpIdx[n]];
      const sack = p.sack!;
      const sackRel = !absolute && hasAck;
      const b = sackRel && otherBase >= 0 ? otherBase : 0;
      p.absSack = sack.map((v) => (v + b) >>> 0);
    }
    // what each side sent so far
    const plen = cols.len[n];
    const len = plen >= 0 ? plen : 0;
    const end = (seq + len + ((f & TH_SYN) !== 0 ? 1 : 0) + ((f & TH_FIN) !== 0 ? 1 : 0)) >>> 0;
    if (dir === 0) {
      if (!(c.next0 >= 0) || seqGT(end, c.next0)) c.next0 = end;
      if (ack >= 0 && (!(c.ack0 >= 0) || seqGT(ack, c.ack0))) c.ack0 = ack;
    } else {
      if (!(c.next1 >= 0) || seqGT(end, c.next1)) c.next1 = end;
      if (ack >= 0 && (!(c.ack1 >= 0) || seqGT(ack, c.ack1))) c.ack1 = ack;
    }
  }
  io.store(packets, cols);
}
