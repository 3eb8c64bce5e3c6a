/**
 * Telnet option negotiation as tcpdump prints it (print-telnet.c, port 23, with or without -v):
 * " [telnet DO TERMINAL TYPE, WILL NAWS, SB TERMINAL TYPE IS 0x58 0x54 SE]" — every IAC command at
 * the start of the payload, until the data or a command it cannot read; nothing when the payload does
 * not start with IAC. Reads past the captured bytes end the text with " [|telnet]". With -X and -vvv
 * tcpdump prints "\nTelnet:" and each command on its own line, its bytes in hex before its text.
 * Each command consumes ≥ 2 bytes and every sub-negotiation scan moves forward: linear in the payload.
 */

import type { AppTransport } from '../../decode/app/index';
import type { DecodedPacket } from '../../decode/packet';
import { l4CapEnd } from '../../decode/tcp';
import type { PrintContext } from '../context';
import { IAC, SB, SE, TELCMD_FIRST, TELNET_COMMANDS, TELNET_OPTIONS } from '../../decode/app/telnet';

const TRUNC = ' [|telnet]';
const WILL = 251;
const AUTHENTICATION = 37;
const ENCRYPT = 38;
const SB_CMDS = ['IS', 'SEND', 'INFO'];
const AUTH_CMDS = ['IS', 'SEND', 'REPLY', 'NAME'];
const AUTH_TYPES = ['NULL', 'KERBEROS_V4', 'KERBEROS_V5', 'SPX', 'MINK', 'SRP', 'RSA', 'SSL', '', '', 'LOKI', 'SSA', 'KEA_SJ', 'KEA_SJ_INTEG', 'DSS', 'NTLM'];
const ENC_CMDS = ['IS', 'SUPPORT', 'REPLY', 'START', 'END', 'REQUEST-START', 'REQUEST-END', 'END_KEYID', 'DEC_KEYID'];
const ENC_TYPES = ['NULL', 'DES_CFB64', 'DES_OFB64', 'DES3_CFB64', 'DES3_OFB64', '', 'CAST5_40_CFB64', 'CAST5_40_OFB64', 'CAST128_CFB64', 'CAST128_OFB64'];

/** C's "%#x": 0 prints "0", others "0x…". */
function hashX(v: number): string {
  return v === 0 ? '0' : '0x' + v.toString(16);
}

function strOrId(v: number, tab: readonly string[]): string {
  return v < tab.length && tab[v] !== '' ? tab[v] : hashX(v);
}

/** Result of parsing one command: bytes consumed (-1: not a command we read; -2: past the capture). */
interface Parsed {
  n: number;
  s: string;
}

/** telnet_parse over d[sp, sp + length) with the capture ending at cap. */
function parse(d: Uint8Array, sp: number, length: number, cap: number, out: Parsed): void {
  const start = sp;
  out.s = '';
  out.n = -1;
  // FETCH: -1 when the length is used up (pktend), -2 past the capture (tcpdump's longjmp)
  const fetch = (): number => {
    if (length < 1) return -1;
    if (sp >= cap) return -2;
    length--;
    return d[sp++];
  };
  let c = fetch();
  if (c < 0 || c !== IAC) return void (out.n = c === -2 ? -2 : -1);
  c = fetch();
  if (c < 0) return void (out.n = c);
  if (c === IAC) {
    out.s = 'IAC IAC';
    out.n = sp - start;
    return;
  }
  if (c < TELCMD_FIRST) return;
  const cmd = TELNET_COMMANDS[c - TELCMD_FIRST];
  if (c < WILL && c !== SB) {
    out.s = cmd;
    out.n = sp - start;
    return;
  }
  const x = fetch();
  if (x < 0) return void (out.n = x);
  out.s = cmd + ' ' + (x < TELNET_OPTIONS.length ? TELNET_OPTIONS[x] : hashX(x));
  if (c !== SB) {
    out.n = sp - start;
    return;
  }
  // IAC SB … IAC SE: find the end (every step reads p and p + 1 inside the length)
  let p = sp;
  while (length > p + 1 - sp) {
    if (p + 1 >= cap) return void (out.n = -2);
    if (d[p] === IAC && d[p + 1] === SE) break;
    p++;
  }
  if (p >= cap) return void (out.n = -2);
  if (d[p] !== IAC) return;
  const sub = (tab: readonly string[]): boolean => {
    if (p <= sp) return true;
    const v = fetch();
    if (v < 0) {
      out.n = v;
      return false;
    }
    out.s += ' ' + strOrId(v, tab);
    return true;
  };
  if (x === AUTHENTICATION) {
    if (!sub(AUTH_CMDS) || !sub(AUTH_TYPES)) return;
  } else if (x === ENCRYPT) {
    if (!sub(ENC_CMDS) || !sub(ENC_TYPES)) return;
  } else if (!sub(SB_CMDS)) return;
  while (p > sp) {
    const v = fetch();
    if (v < 0) return void (out.n = v);
    out.s += ' ' + hashX(v);
  }
  out.s += ' SE';
  sp += 2;
  out.n = sp - start;
}

/** hex_print_with_offset with the "\n" prefix: 16 bytes a line, as 2-byte groups, offsets from `oset`. */
function hexWithOffset(d: Uint8Array, p: number, n: number, oset: number): string {
  let s = '';
  let i = 0;
  for (; i + 1 < n; i += 2) {
    if (i % 16 === 0) s += '\n0x' + (oset + i).toString(16).padStart(4, '0') + ': ';
    s += ' ' + d[p + i].toString(16).padStart(2, '0') + d[p + i + 1].toString(16).padStart(2, '0');
  }
  if (n & 1) {
    if (i % 16 === 0) s += '\n0x' + (oset + i).toString(16).padStart(4, '0') + ': ';
    s += ' ' + d[p + i].toString(16).padStart(2, '0');
  }
  return s;
}

export function printTelnet(pkt: DecodedPacket, ctx: PrintContext, off: number, len: number, _t: AppTransport): string {
  const d = pkt.data;
  const cap = l4CapEnd(pkt);
  // -X (or -XX) with -vvv: "\nTelnet:" and each command's bytes in hex before its text
  const hexMode = ctx.opts.hex >= 3 && ctx.opts.verbose > 2;
  let s = '';
  let first = true;
  let sp = off;
  let length = len;
  const out: Parsed = { n: 0, s: '' };
  while (length > 0) {
    if (sp >= cap) return s + TRUNC;
    if (d[sp] !== IAC) break;
    parse(d, sp, length, cap, out);
    if (out.n === -2) return s + TRUNC;
    if (out.n < 0) break;
    if (hexMode) {
      if (first) s += '\nTelnet:';
      s += hexWithOffset(d, sp, out.n, sp - off) + (out.n > 8 ? '\n\t\t\t\t' : ' '.repeat((8 - out.n) * 3) + '\t') + out.s;
    } else s += (first ? ' [telnet ' : ', ') + out.s;
    first = false;
    sp += out.n;
    length -= out.n;
  }
  if (first) return s;
  return hexMode ? s + '\n' : s + ']';
}
