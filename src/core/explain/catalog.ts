/**
 * The explanations catalogue: what every part of a tcpdump line (and of a decoded packet) means,
 * in general and in this packet, in the user's language. Used by the hovers on tcpdump text, the
 * capture editor's details tree and the flow graph. Pure TypeScript (no vscode, no Buffer), O(1)
 * per call apart from short regular expressions on the field's own text.
 *
 * Localisation: every function takes a `Translate` (see ./l10n.ts); English literals are the keys
 * of l10n/bundle.l10n.zh-cn.json. Results are plain text (`Explanation`); `toMarkdown` renders a
 * hover with everything escaped, so text that came from a packet or a document is shown literally.
 *
 *   const e = explainTextField(F_FLAGS, { ...packetContext(p, row), text: 'Flags [S.]' }, vscode.l10n.t);
 *   new vscode.MarkdownString(toMarkdown(e));
 */

import * as M from '../text/model';
import type { TextPacket } from '../text/model';
import type { PacketResult } from '../tcp/types';
import { Explanation, PacketContext, known } from './explanation';
import { Translate } from './l10n';
import {
  explainAck,
  explainFlagLetter,
  explainFlags,
  explainLength,
  explainQuietLength,
  explainSeq,
  explainUrg,
  explainWindow,
  flagsFromText,
} from './tcp';
import { explainOption, explainOptionValue, explainOptions } from './options';
import {
  IpFieldName,
  explainAddress,
  explainAnnotation,
  explainApp,
  explainChecksum,
  explainDirection,
  explainIpField,
  explainLinkField,
  explainNote,
  explainPort,
  explainProtocolWord,
  explainTime,
  portNumber,
} from './net';

export * from './explanation';
export * from './l10n';
export * from './tcp';
export * from './options';
export * from './net';
export * from './problems';
export * from './app';

/** Context for `explainTextField`: the packet context plus the text under the cursor. */
export interface TextFieldContext extends PacketContext {
  /** The text of the span (a flag letter, "mss 1460", "1460", "ttl 64", …). */
  text?: string;
  /** F_OPTION_VALUE: the text of the option the value belongs to ("TS val 1 ecr 2"). */
  optionText?: string;
  /** F_OPTION_VALUE of TS: 0 for the val number, 1 for the ecr number. */
  valueIndex?: number;
  /** Where the span is (M.Span or the quadruple's parts): lets F_OPTION_VALUE find its option in `packet`. */
  span?: { line: number; startCol: number; endCol: number };
  /** The packet as the text model read it (fills what the context leaves out). */
  packet?: TextPacket | null;
  /** The log's time column is a delta from the first packet (-ttttt) rather than from the previous one. */
  deltaFromFirst?: boolean;
}

/** The part of an engine row the catalogue uses (PacketResult or a plain object). */
export type EngineRow = Partial<Pick<PacketResult, 'dir' | 'clientState' | 'serverState' | 'inferred' | 'step' | 'analysis' | 'dupAckNum' | 'dupAckOf' | 'winScaled'>>;

/** What came before the packet, for `packetContext`. */
export interface PreviousPackets {
  /** The engine row of the previous packet of the same connection (states before this packet). */
  row?: EngineRow | null;
  /** The previous packet of the same connection (for the time gap). */
  packet?: TextPacket | null;
  /** The previous packet line of the log (for the time gap). */
  linePacket?: TextPacket | null;
}

function gap(a: TextPacket, b: TextPacket | null | undefined): number | undefined {
  if (b === null || b === undefined || a.timeKind === 'none' || b.timeKind === 'none') return undefined;
  const d = a.tsSec - b.tsSec + (a.tsNsec - b.tsNsec) / 1e9;
  return Number.isFinite(d) && d >= 0 ? d : undefined;
}

/**
 * A PacketContext from a text packet, its engine row when the engine ran, and what came before it
 * (the previous row gives the states before a RST; previous packets give the time gaps). The
 * sender's window scale is derived from row.winScaled when it differs from the raw window; pass
 * `scale` yourself when the conversation says it is known to be 0.
 */
export function packetContext(p: TextPacket | null | undefined, row?: EngineRow | null, prev?: PreviousPackets): PacketContext {
  const c: PacketContext = {};
  if (p !== null && p !== undefined) {
    if (p.flags >= 0) c.flags = p.flags;
    if (p.length >= 0) c.len = p.length;
    else if (p.quietLength >= 0) c.len = p.quietLength;
    if (p.seq >= 0) c.seq = p.seq;
    if (p.seqEnd >= 0) c.seqEnd = p.seqEnd;
    if (p.ack >= 0) c.ack = p.ack;
    if (p.win >= 0) c.win = p.win;
    if (p.urg >= 0) c.urg = p.urg;
    if (p.seq >= 0 || p.ack >= 0) c.relative = p.relative;
  }
  if (row !== null && row !== undefined) {
    if (row.dir === 0) c.senderRole = 'client';
    else if (row.dir === 1) c.senderRole = 'server';
    if (row.clientState !== undefined) c.clientState = row.clientState;
    if (row.serverState !== undefined) c.serverState = row.serverState;
    if (row.inferred !== undefined) c.inferred = row.inferred;
    if (row.step !== undefined) c.step = row.step;
    if (row.analysis !== undefined) c.analysis = row.analysis;
    if (row.dupAckNum !== undefined && row.dupAckNum > 0) {
      c.dupAckNum = row.dupAckNum;
      if (row.dupAckOf !== undefined && row.dupAckOf >= 0) c.dupAckOf = row.dupAckOf;
    }
    if (row.winScaled !== undefined) {
      c.winScaled = row.winScaled;
      if (p !== null && p !== undefined && p.win > 0 && row.winScaled > p.win) {
        const sh = Math.log2(row.winScaled / p.win);
        if (Number.isInteger(sh) && sh <= 14) c.scale = sh;
      }
    }
  }
  if (prev !== undefined) {
    const r = prev.row;
    if (r !== null && r !== undefined) {
      if (r.clientState !== undefined) c.prevClientState = r.clientState;
      if (r.serverState !== undefined) c.prevServerState = r.serverState;
    }
    if (p !== null && p !== undefined) {
      const g = gap(p, prev.packet);
      if (g !== undefined) c.gapSec = g;
      const l = gap(p, prev.linePacket);
      if (l !== undefined) c.prevLineGapSec = l;
    }
  }
  return c;
}

const IP_FIELDS: Readonly<Record<number, IpFieldName>> = {
  [M.F_IP_HEADER]: 'header',
  [M.F_IP_TOS]: 'tos',
  [M.F_IP_TTL]: 'ttl',
  [M.F_IP_ID]: 'id',
  [M.F_IP_OFFSET]: 'offset',
  [M.F_IP_FLAGS]: 'flags',
  [M.F_IP_PROTO]: 'proto',
  [M.F_IP_LENGTH]: 'length',
  [M.F_IP_CKSUM]: 'cksum',
  [M.F_IP6_CLASS]: 'class',
  [M.F_IP6_FLOWLABEL]: 'flowlabel',
  [M.F_IP6_HLIM]: 'hlim',
  [M.F_IP6_NEXT_HEADER]: 'nextHeader',
  [M.F_IP6_PAYLOAD_LENGTH]: 'payloadLength',
};

/** Text of an IP field rebuilt from the packet when the caller gave none. */
function ipFieldText(name: IpFieldName, p: TextPacket | null | undefined): string {
  if (p === null || p === undefined) return '';
  const v4 = p.ip4;
  const v6 = p.ip6;
  switch (name) {
    case 'tos': return v4 !== null && v4.tos >= 0 ? 'tos 0x' + v4.tos.toString(16) + (v4.ecn !== '' ? ',' + v4.ecn : '') : '';
    case 'ttl': return v4 !== null && v4.ttl >= 0 ? 'ttl ' + v4.ttl : '';
    case 'offset': return v4 !== null && v4.offset >= 0 ? 'offset ' + v4.offset : '';
    case 'flags': return v4 !== null ? 'flags [' + v4.flags + ']' : '';
    case 'proto': return v4 !== null ? 'proto ' + v4.protoName + (v4.proto >= 0 ? ' (' + v4.proto + ')' : '') : '';
    case 'length': return v4 !== null && v4.length >= 0 ? 'length ' + v4.length + (v4.lengthNote !== '' ? ' ' + v4.lengthNote : '') : '';
    case 'cksum': return v4 !== null && v4.badCksum >= 0 ? 'bad cksum ' + v4.badCksum.toString(16) + (v4.cksumShouldBe >= 0 ? ' (->' + v4.cksumShouldBe.toString(16) + ')!' : '!') : '';
    case 'class': return v6 !== null && v6.cls >= 0 ? 'class 0x' + v6.cls.toString(16) : '';
    case 'hlim': return v6 !== null && v6.hlim >= 0 ? 'hlim ' + v6.hlim : '';
    case 'nextHeader': return v6 !== null ? 'next-header ' + v6.nextHeaderName + (v6.nextHeader >= 0 ? ' (' + v6.nextHeader + ')' : '') : '';
    case 'payloadLength': return v6 !== null && v6.payloadLength >= 0 ? 'payload length ' + v6.payloadLength : '';
    default: return '';
  }
}

function other(role: 'client' | 'server' | undefined): 'client' | 'server' | undefined {
  return role === 'client' ? 'server' : role === 'server' ? 'client' : undefined;
}

/** Generic text for a part of the line nothing more specific is known about. */
export function explainGeneric(t: Translate): Explanation {
  return { title: t('tcpdump output'), text: [t('This part of the line has no explanation of its own.')], here: [] };
}

/**
 * The explanation for a field of the tcpdump text model (F_* ids of src/core/text/model.ts).
 * Never throws: unknown fields or broken input give a generic text.
 */
export function explainTextField(field: number, ctx: TextFieldContext, t: Translate): Explanation {
  try {
    return textField(field, ctx, t);
  } catch {
    return explainGeneric(t);
  }
}

function textField(field: number, ctx: TextFieldContext, t: Translate): Explanation {
  const p = ctx.packet ?? null;
  let c: PacketContext = ctx;
  if (p !== null) c = { ...packetContext(p), ...stripUndefined(ctx) };
  const text = ctx.text ?? '';
  switch (field) {
    case M.F_NUMBER: return explainLinkField('number', text, t);
    case M.F_TIME: return explainTime(p !== null ? p.timeKind : 'time', c, t, ctx.deltaFromFirst === true);
    case M.F_IFNAME: return explainLinkField('ifname', text !== '' ? text : p?.ifname ?? '', t);
    case M.F_DIRECTION: return explainLinkField('direction', text !== '' ? text : p?.direction ?? '', t);
    case M.F_LINK: return explainLinkField('link', text, t);
    case M.F_SRC_MAC: return explainLinkField('srcMac', text !== '' ? text : p?.link?.srcMac ?? '', t);
    case M.F_DST_MAC: return explainLinkField('dstMac', text !== '' ? text : p?.link?.dstMac ?? '', t);
    case M.F_ETHERTYPE: return explainLinkField('ethertype', text, t);
    case M.F_FRAME_LENGTH: return explainLinkField('frameLength', text, t);
    case M.F_PROTO: return explainProtocolWord(text !== '' ? text : p?.proto ?? '', t);
    case M.F_L4_PROTO: return explainProtocolWord(text !== '' ? text : p?.l4 ?? '', t, true);
    case M.F_SRC_HOST: return explainAddress('src', text !== '' ? text : p?.srcHost ?? '', t, c.senderRole);
    case M.F_DST_HOST: return explainAddress('dst', text !== '' ? text : p?.dstHost ?? '', t, other(c.senderRole));
    case M.F_SRC_PORT: {
      const s = text !== '' ? text : p?.srcPortText ?? '';
      return explainPort(portNumber(s) >= 0 ? portNumber(s) : p?.sport ?? -1, t, c.senderRole, s);
    }
    case M.F_DST_PORT: {
      const s = text !== '' ? text : p?.dstPortText ?? '';
      return explainPort(portNumber(s) >= 0 ? portNumber(s) : p?.dport ?? -1, t, other(c.senderRole), s);
    }
    case M.F_ARROW: return explainDirection(c, t);
    case M.F_FLAGS: {
      const f = known(c.flags) ? c.flags : flagsFromText(text);
      return explainFlags(f, c, t);
    }
    case M.F_FLAG: {
      // the letter in general, then what the whole combination does here (step, states)
      const letter = explainFlagLetter(text, t);
      if (!known(c.flags)) return letter;
      const all = explainFlags(c.flags, c, t);
      return { title: letter.title, text: letter.text, here: [...all.text.slice(0, 1), ...all.here] };
    }
    case M.F_CKSUM: return explainChecksum(text !== '' ? text : p !== null && p.cksumState !== '' ? '(' + p.cksumState + ')' : '', t, false);
    case M.F_SEQ: return explainSeq(c, t, 'all');
    case M.F_SEQ_START: return explainSeq(c, t, 'start');
    case M.F_SEQ_END: return explainSeq(c, t, 'end');
    case M.F_ACK: return explainAck(c, t);
    case M.F_WIN: return explainWindow(c, t);
    case M.F_URG: return explainUrg(c, t);
    case M.F_OPTIONS: return explainOptions(t);
    case M.F_OPTION: return explainOption(text, c, t);
    case M.F_OPTION_VALUE: {
      let opt = ctx.optionText;
      let idx = ctx.valueIndex ?? -1;
      if (opt === undefined && p !== null) {
        const sp = ctx.span;
        const o = M.optionsOf(p).find((x) => (sp !== undefined ? x.line === sp.line && x.start <= sp.startCol && sp.endCol <= x.end : text !== '' && x.text.includes(text)));
        if (o !== undefined) {
          opt = o.text;
          if (idx < 0 && sp !== undefined && o.name === 'TS') {
            const ecr = o.text.indexOf(' ecr ');
            idx = ecr >= 0 && sp.startCol - o.start > ecr ? 1 : 0;
          }
        }
      }
      return explainOptionValue(opt ?? text, text, c, t, idx);
    }
    case M.F_LENGTH: return explainLength(c, t);
    case M.F_QUIET_LENGTH: return explainQuietLength(c, t);
    case M.F_APP: return explainApp(text !== '' ? text : p?.app ?? '', t);
    case M.F_ANNOTATION: return explainAnnotation(t);
    case M.F_TRUNC: return explainNote(text !== '' ? text : '[|tcp]', t) ?? explainGeneric(t);
    default: {
      const ip = IP_FIELDS[field];
      if (ip !== undefined) return explainIpField(ip, text !== '' ? text : ipFieldText(ip, p), t);
      return explainGeneric(t);
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined && k !== 'packet') out[k] = o[k];
  return out;
}
