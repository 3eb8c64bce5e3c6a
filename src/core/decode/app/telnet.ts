/**
 * Telnet (RFC 854, options RFC 855 and the option RFCs) in one TCP segment: the IAC commands with
 * their option names (tcpdump's tables, so the details tree and `tcpdump`'s "[telnet DO ECHO, …]"
 * agree) and the data between them. Wireshark's field names: telnet.cmd (the command byte, SE
 * included), telnet.subcmd (the option), telnet.data (the text between commands).
 * One pass, every step moves forward; a sub-negotiation without IAC SE runs to the segment's end.
 * Never throws.
 */

import type { FieldSink } from '../fields';
import type { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';
import { ftpRaw, ftpText } from './ftp';

export const TELNET_PORT = 23;
export const IAC = 255;
export const SB = 250;
export const SE = 240;
const TTYPE = 24;

/** Command names from EOF (236) to IAC (255), as tcpdump's telcmds. */
export const TELNET_COMMANDS: readonly string[] = [
  'EOF', 'SUSP', 'ABORT', 'EOR', 'SE', 'NOP', 'DMARK', 'BRK', 'IP', 'AO', 'AYT', 'EC', 'EL', 'GA', 'SB', 'WILL', 'WONT', 'DO', 'DONT', 'IAC',
];
export const TELCMD_FIRST = 236;

/** Option names 0..39, as tcpdump's telopts. */
export const TELNET_OPTIONS: readonly string[] = [
  'BINARY', 'ECHO', 'RCP', 'SUPPRESS GO AHEAD', 'NAME', 'STATUS', 'TIMING MARK', 'RCTE', 'NAOL', 'NAOP', 'NAOCRD', 'NAOHTS', 'NAOHTD',
  'NAOFFD', 'NAOVTS', 'NAOVTD', 'NAOLFD', 'EXTEND ASCII', 'LOGOUT', 'BYTE MACRO', 'DATA ENTRY TERMINAL', 'SUPDUP', 'SUPDUP OUTPUT',
  'SEND LOCATION', 'TERMINAL TYPE', 'END OF RECORD', 'TACACS UID', 'OUTPUT MARKING', 'TTYLOC', '3270 REGIME', 'X.3 PAD', 'NAWS',
  'TSPEED', 'LFLOW', 'LINEMODE', 'XDISPLOC', 'OLD-ENVIRON', 'AUTHENTICATION', 'ENCRYPT', 'NEW-ENVIRON',
];

export function telnetCommandName(c: number): string {
  return c >= TELCMD_FIRST ? TELNET_COMMANDS[c - TELCMD_FIRST] : 'Unknown (' + c + ')';
}

export function telnetOptionName(o: number): string {
  return o < TELNET_OPTIONS.length ? TELNET_OPTIONS[o] : 'Unknown (' + o + ')';
}

function capEnd(pkt: DecodedPacket, off: number, len: number): number {
  const e = off + len;
  return e < pkt.caplen ? e : pkt.caplen;
}

export function decodeTelnet(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _t: AppTransport): void {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return;
  sink.open('telnet', 'Telnet', off, end - off);
  let p = off;
  let dataStart = off;
  const flushData = (to: number): void => {
    if (to > dataStart) {
      const shown = ftpText(d, dataStart, to - dataStart);
      sink.field('telnet.data', 'Data: ' + shown, dataStart, to - dataStart, ftpRaw(d, dataStart, to - dataStart), shown);
    }
  };
  while (p < end) {
    if (d[p] !== IAC) {
      p++;
      continue;
    }
    if (p + 1 >= end) break;
    const c = d[p + 1];
    if (c === IAC) {
      // IAC IAC is a data byte 255: it stays in the data
      p += 2;
      continue;
    }
    flushData(p);
    const start = p;
    const cname = telnetCommandName(c);
    if (c >= 251 || c === SB) {
      const opt = p + 2 < end ? d[p + 2] : -1;
      sink.open('telnet.command', cname + (opt >= 0 ? ' ' + telnetOptionName(opt) : ''), start, Math.min(end, p + 3) - start);
      sink.field('telnet.cmd', 'Command: ' + cname + ' (' + c + ')', p + 1, 1, c, cname);
      if (opt >= 0) sink.field('telnet.subcmd', 'Option: ' + telnetOptionName(opt) + ' (' + opt + ')', p + 2, 1, opt, telnetOptionName(opt));
      p = Math.min(end, p + 3);
      if (c === SB) {
        let q = p;
        while (q + 1 < end && !(d[q] === IAC && d[q + 1] === SE)) q++;
        const subEnd = q + 1 < end ? q : end;
        // TERMINAL TYPE's IS (0) / SEND (1) is reported as a sub-command, as Wireshark does
        if (opt === TTYPE && subEnd > p) sink.field('telnet.subcmd', 'Subcommand: ' + (d[p] === 0 ? 'IS' : d[p] === 1 ? 'SEND' : d[p]) + ' (' + d[p] + ')', p, 1, d[p], String(d[p]));
        if (subEnd > p) sink.field('telnet.sub_data', 'Sub-negotiation data: ' + ftpText(d, p, subEnd - p), p, subEnd - p, null, ftpText(d, p, subEnd - p));
        if (q + 1 < end) {
          sink.field('telnet.cmd', 'Command: SE (240)', q + 1, 1, SE, 'SE');
          p = q + 2;
        } else {
          sink.note('info', 'the sub-negotiation goes on in the next segment (no IAC SE here)', start, end - start);
          p = end;
        }
      }
      sink.close(p - start);
    } else {
      sink.open('telnet.command', cname, start, 2);
      sink.field('telnet.cmd', 'Command: ' + cname + ' (' + c + ')', p + 1, 1, c, cname);
      sink.close();
      p += 2;
    }
    dataStart = p;
  }
  flushData(end);
  sink.close();
}

export function telnetInfo(pkt: DecodedPacket, off: number, len: number, _t: AppTransport): string {
  const end = capEnd(pkt, off, len);
  if (off >= end) return '';
  const d = pkt.data;
  // the first few commands, as a person reads them ("DO TERMINAL TYPE, WILL ECHO"); else the data
  const parts: string[] = [];
  let p = off;
  while (p + 1 < end && d[p] === IAC && d[p + 1] !== IAC && parts.length < 4) {
    const c = d[p + 1];
    if ((c >= 251 || c === SB) && p + 2 < end) {
      parts.push(telnetCommandName(c) + ' ' + telnetOptionName(d[p + 2]));
      p += 3;
      if (c === SB) {
        while (p + 1 < end && !(d[p] === IAC && d[p + 1] === SE)) p++;
        p += 2;
      }
    } else {
      parts.push(telnetCommandName(c));
      p += 2;
    }
  }
  if (parts.length > 0) return 'Telnet ' + parts.join(', ');
  return 'Telnet Data: ' + ftpText(d, off, Math.min(end - off, 60));
}

export const TELNET_FIELDS: readonly AppField[] = [
  { name: 'telnet.cmd', type: 'uint', description: 'Telnet command byte after IAC (251 WILL, 253 DO, 250 SB, …)' },
  { name: 'telnet.subcmd', type: 'uint', description: 'Telnet option of a command (1 ECHO, 24 TERMINAL TYPE, …)' },
  { name: 'telnet.data', type: 'string', description: 'Telnet data (what the user types or sees)' },
];

export const TELNET: AppProtocol = { name: 'TELNET', decode: decodeTelnet, info: telnetInfo, fields: TELNET_FIELDS };
