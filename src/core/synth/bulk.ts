/**
 * A bulk transfer captured at the sender, for the Graphs panel's tests and screenshots: a handshake
 * (MSS, SACK permitted), rounds of data limited by a congestion window (slow start, then +1 a round)
 * and the receiver's window, one ACK a segment one RTT later, one segment lost (duplicate ACKs with
 * SACK blocks, a fast retransmission, the window halved), a zero window held for 300 ms then opened
 * by a window update, and a FIN exchange. Deterministic; pure.
 */
import { tcpFrame, opt } from './frames';

export interface BulkOptions {
  /** Data segments (default 400) of `mss` bytes (default 1000). */
  segments?: number;
  mss?: number;
  /** Round-trip time in µs (default 20,000). */
  rttUs?: number;
  /** The segment lost once (default 150) and the round whose last ACK closes the window (default 9). */
  lost?: number;
  zeroRound?: number;
}

export interface BulkFrame {
  us: number;
  frame: Uint8Array;
}

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_PUSH = 0x08;
const TH_ACK = 0x10;

export function bulkTransfer(o: BulkOptions = {}): BulkFrame[] {
  const total = o.segments ?? 400;
  const mss = o.mss ?? 1000;
  const rtt = o.rttUs ?? 20_000;
  const lost = o.lost ?? 150;
  const zeroRound = o.zeroRound ?? 9;
  const C = '10.0.0.1';
  const S = '10.0.0.2';
  const cp = 40000;
  const sp = 5001;
  const iss = 1_000_000;
  const irs = 5_000_000;
  const rwnd = 64_000;
  const out: BulkFrame[] = [];
  const c2s = (us: number, flags: number, seq: number, ack: number, payload = 0, options?: number[]): void => {
    out.push({ us, frame: tcpFrame({ src: C, dst: S, sport: cp, dport: sp, flags, seq: seq >>> 0, ack: ack >>> 0, win: 65535, payload, options }) });
  };
  const s2c = (us: number, flags: number, ack: number, win: number, options?: number[]): void => {
    out.push({ us, frame: tcpFrame({ src: S, dst: C, sport: sp, dport: cp, flags, seq: (irs + 1) >>> 0, ack: ack >>> 0, win, options }) });
  };
  let t = 0;
  c2s(t, TH_SYN, iss, 0, 0, [...opt.mss(mss), ...opt.nop(), ...opt.nop(), ...opt.sackOk()]);
  t += rtt;
  out.push({ us: t, frame: tcpFrame({ src: S, dst: C, sport: sp, dport: cp, flags: TH_SYN | TH_ACK, seq: irs, ack: iss + 1, win: 65535, options: [...opt.mss(mss), ...opt.nop(), ...opt.nop(), ...opt.sackOk()] }) });
  t += 100;
  c2s(t, TH_ACK, iss + 1, irs + 1);
  const seqOf = (k: number): number => iss + 1 + k * mss;
  let sent = 0;
  let cwnd = 4;
  let round = 0;
  let lostOnce = false;
  while (sent < total) {
    const n = Math.min(cwnd, Math.floor(rwnd / mss), total - sent);
    const start = t + 200;
    for (let k = 0; k < n; k++) c2s(start + k * 200, TH_ACK | TH_PUSH, seqOf(sent + k), irs + 1, mss);
    let lastAckUs = start + rtt;
    let hole = -1;
    for (let k = 0; k < n; k++) {
      const seg = sent + k;
      const at = start + rtt + k * 200;
      lastAckUs = at;
      if (seg === lost && !lostOnce) {
        hole = seg;
        continue; // never arrived: no ACK for it
      }
      const closing = round === zeroRound && k === n - 1;
      if (hole >= 0) s2c(at, TH_ACK, seqOf(hole), rwnd, [...opt.nop(), ...opt.nop(), ...opt.sack([[seqOf(hole + 1) >>> 0, seqOf(seg + 1) >>> 0]])]);
      else s2c(at, TH_ACK, seqOf(seg + 1), closing ? 0 : rwnd);
    }
    sent += n;
    t = lastAckUs;
    if (hole >= 0) {
      lostOnce = true;
      // three duplicate ACKs are in: fast retransmission, acknowledged one RTT later
      t += 100;
      c2s(t, TH_ACK | TH_PUSH, seqOf(hole), irs + 1, mss);
      t += rtt;
      s2c(t, TH_ACK, seqOf(sent), rwnd);
      cwnd = Math.max(2, Math.floor(cwnd / 2));
    } else if (round === zeroRound) {
      // the receiver's application stops reading: a zero window for 300 ms, then a window update
      t += 300_000;
      s2c(t, TH_ACK, seqOf(sent), rwnd);
    } else cwnd = cwnd < 32 ? cwnd * 2 : cwnd + 1;
    round++;
  }
  t += 1000;
  c2s(t, TH_FIN | TH_ACK, seqOf(sent), irs + 1);
  t += rtt;
  out.push({ us: t, frame: tcpFrame({ src: S, dst: C, sport: sp, dport: cp, flags: TH_FIN | TH_ACK, seq: irs + 1, ack: seqOf(sent) + 1, win: rwnd }) });
  t += 100;
  c2s(t, TH_ACK, seqOf(sent) + 1, irs + 2);
  return out;
}
