/**
 * TCP options: one walker shared by the decoder (fast path, no allocation) and the printer.
 *
 * `nextTcpOption` steps over one option exactly the way tcpdump's tcp_print does: EOL and NOP
 * are one byte; every other kind has a length byte that must be >= 2 and must fit in what is
 * left of the header (otherwise tcpdump prints "[bad opt]"). Capture limits are reported
 * separately from header limits, because tcpdump prints "[|tcp]" for the former.
 */

import { u16be, u32be } from '../bytes';
import * as scratch from './scratch';

export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WSCALE = 3;
export const TCPOPT_SACKOK = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_ECHO = 6;
export const TCPOPT_ECHOREPLY = 7;
export const TCPOPT_TIMESTAMP = 8;
export const TCPOPT_CC = 11;
export const TCPOPT_CCNEW = 12;
export const TCPOPT_CCECHO = 13;
export const TCPOPT_SIGNATURE = 19;
export const TCPOPT_SCPS = 20;
export const TCPOPT_UTO = 28;
export const TCPOPT_TCPAO = 29;
export const TCPOPT_MPTCP = 30;
export const TCPOPT_FASTOPEN = 34;
export const TCPOPT_EXPERIMENT2 = 254;
/** TCP MD5 signature length (RFC 2385). */
export const TCP_SIGLEN = 16;

/** Option names as tcpdump prints them (tcp_option_values). */
export function tcpOptionName(kind: number): string {
  switch (kind) {
    case TCPOPT_EOL: return 'eol';
    case TCPOPT_NOP: return 'nop';
    case TCPOPT_MSS: return 'mss';
    case TCPOPT_WSCALE: return 'wscale';
    case TCPOPT_SACKOK: return 'sackOK';
    case TCPOPT_SACK: return 'sack';
    case TCPOPT_ECHO: return 'echo';
    case TCPOPT_ECHOREPLY: return 'echoreply';
    case TCPOPT_TIMESTAMP: return 'TS';
    case TCPOPT_CC: return 'cc';
    case TCPOPT_CCNEW: return 'ccnew';
    case TCPOPT_CCECHO: return '';
    case TCPOPT_SIGNATURE: return 'md5';
    case TCPOPT_SCPS: return 'scps';
    case TCPOPT_UTO: return 'uto';
    case TCPOPT_TCPAO: return 'tcp-ao';
    case TCPOPT_MPTCP: return 'mptcp';
    case TCPOPT_FASTOPEN: return 'tfo';
    case TCPOPT_EXPERIMENT2: return 'exp';
    default: return 'unknown-' + kind;
  }
}

/** Longer names for the details tree. */
export function tcpOptionLabel(kind: number): string {
  switch (kind) {
    case TCPOPT_EOL: return 'End of Option List (EOL)';
    case TCPOPT_NOP: return 'No-Operation (NOP)';
    case TCPOPT_MSS: return 'Maximum segment size';
    case TCPOPT_WSCALE: return 'Window scale';
    case TCPOPT_SACKOK: return 'SACK permitted';
    case TCPOPT_SACK: return 'SACK';
    case TCPOPT_TIMESTAMP: return 'Timestamps';
    case TCPOPT_SIGNATURE: return 'MD5 signature';
    case TCPOPT_SCPS: return 'SCPS capabilities';
    case TCPOPT_UTO: return 'User Timeout';
    case TCPOPT_TCPAO: return 'TCP Authentication Option';
    case TCPOPT_MPTCP: return 'Multipath TCP';
    case TCPOPT_FASTOPEN: return 'TCP Fast Open';
    case TCPOPT_EXPERIMENT2: return 'Experimental option (RFC 6994)';
    default: return 'Option kind ' + kind;
  }
}

/** Wireshark-like field name of an option node. */
export function tcpOptionFieldName(kind: number): string {
  switch (kind) {
    case TCPOPT_EOL: return 'tcp.option.eol';
    case TCPOPT_NOP: return 'tcp.option.nop';
    case TCPOPT_MSS: return 'tcp.option.mss';
    case TCPOPT_WSCALE: return 'tcp.option.wscale';
    case TCPOPT_SACKOK: return 'tcp.option.sack_perm';
    case TCPOPT_SACK: return 'tcp.option.sack';
    case TCPOPT_TIMESTAMP: return 'tcp.option.timestamp';
    case TCPOPT_SIGNATURE: return 'tcp.option.md5';
    case TCPOPT_SCPS: return 'tcp.option.scps';
    case TCPOPT_UTO: return 'tcp.option.user_to';
    case TCPOPT_TCPAO: return 'tcp.option.ao';
    case TCPOPT_MPTCP: return 'tcp.option.mptcp';
    case TCPOPT_FASTOPEN: return 'tcp.option.tfo';
    case TCPOPT_EXPERIMENT2: return 'tcp.option.exp';
    default: return 'tcp.option.unknown';
  }
}

/** Walker results. */
export const OPT_OK = 0;
/** The kind byte is past the capture. */
export const OPT_TRUNC_KIND = 1;
/** The length byte is past the capture. */
export const OPT_TRUNC_LEN = 2;
/** Length < 2 or longer than what is left of the header ("[bad opt]"). */
export const OPT_BAD_LEN = 3;

// TcpOptCursor lives in scratch.ts (each DecodedPacket owns one, pkt.scratch.tcpOpt).
// Re-exported as data, not with `export { … } from './scratch'`: TypeScript compiles that to getters on this
// module's exports object, and a module object with accessors made decodeFrame 2.5 to 3 times slower (about 30 →
// 90 ms for 278,000 frames, measured while moving these classes into scratch.ts).
export const TcpOptCursor = scratch.TcpOptCursor;
export type TcpOptCursor = scratch.TcpOptCursor;

/**
 * Read the option at `pos`; the header's options end at `end`, the captured bytes at `capEnd`.
 * Fills `c` and returns OPT_*. On OPT_OK the next option starts at c.off + c.len.
 */
export function nextTcpOption(d: Uint8Array, pos: number, end: number, capEnd: number, c: TcpOptCursor): number {
  c.off = pos;
  c.kind = -1;
  c.len = 0;
  c.dataOff = pos;
  c.dataLen = 0;
  if (pos >= capEnd) return OPT_TRUNC_KIND;
  const kind = d[pos];
  c.kind = kind;
  if (kind === TCPOPT_EOL || kind === TCPOPT_NOP) {
    c.len = 1;
    c.dataOff = pos + 1;
    return OPT_OK;
  }
  if (pos + 1 >= capEnd) return OPT_TRUNC_LEN;
  const len = d[pos + 1];
  c.len = len;
  c.dataOff = pos + 2;
  // tcpdump: len < 2 || len > hlen-left (hlen counted before the kind byte is consumed)
  if (len < 2 || len > end - pos) return OPT_BAD_LEN;
  c.dataLen = len - 2;
  return OPT_OK;
}

/** Engine values pulled from the options (fast path). */
export interface TcpOptValues {
  mss: number;
  wscale: number;
  sackOk: boolean;
  tsVal: number;
  tsEcr: number;
}

/**
 * Non-allocating scan: sets mss/wscale/sackOk/tsVal/tsEcr on `out` (leaves them untouched when
 * absent). Returns OPT_OK, or the first problem met (OPT_TRUNC_* / OPT_BAD_LEN). A known option
 * whose data is shorter than it needs is skipped (its value not taken) and reported as OPT_BAD_LEN.
 * `c` is the caller's reused cursor (decodeTcp passes pkt.scratch.tcpOpt: no module-level state).
 */
export function scanTcpOptions(d: Uint8Array, off: number, len: number, capEnd: number, out: TcpOptValues, c: TcpOptCursor): number {
  const end = off + len;
  let pos = off;
  let status = OPT_OK;
  while (pos < end) {
    const r = nextTcpOption(d, pos, end, capEnd, c);
    if (r !== OPT_OK) return r;
    const dl = c.dataLen;
    const dOff = c.dataOff;
    const avail = dOff + dl <= capEnd;
    switch (c.kind) {
      case TCPOPT_EOL:
        return status;
      case TCPOPT_MSS:
        if (dl >= 2 && avail) out.mss = u16be(d, dOff);
        else if (dl < 2) status = status || OPT_BAD_LEN;
        break;
      case TCPOPT_WSCALE:
        if (dl >= 1 && avail) out.wscale = d[dOff];
        else if (dl < 1) status = status || OPT_BAD_LEN;
        break;
      case TCPOPT_SACKOK:
        out.sackOk = true;
        break;
      case TCPOPT_TIMESTAMP:
        if (dl >= 8 && avail) {
          out.tsVal = u32be(d, dOff);
          out.tsEcr = u32be(d, dOff + 4);
        } else if (dl < 8) status = status || OPT_BAD_LEN;
        break;
    }
    if (!avail) return OPT_TRUNC_LEN;
    pos += c.len;
  }
  return status;
}
