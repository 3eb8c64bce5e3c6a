/**
 * The capture editor's details tree: the decoder's FieldNode tree of one packet, with an
 * explanation (plain text, in the user's language) for every field the catalogue knows, and the
 * TCP engine's verdicts (stream, step, states after the packet, analysis) as extra nodes without
 * bytes. Pure: no vscode import (the provider passes vscode.l10n.t as `t`), so tests can use
 * formatEn or a bundle translator.
 */
import type { FieldNode } from '../../core/decode/fields';
import {
  Explanation,
  PacketContext,
  Translate,
  explainAck,
  explainAddress,
  explainAnalysis,
  explainChecksum,
  explainFlagLetter,
  explainFlags,
  explainIpField,
  explainLength,
  explainLinkField,
  explainOption,
  explainOptions,
  explainPort,
  explainSeq,
  explainState,
  explainStep,
  explainUrg,
  explainWindow,
  explainAppField,
  explainFtpField,
  explainMoreAppField,
  explainTlsField,
  toPlainText,
} from '../../core/explain/catalog';
import { TCP_STATES } from '../../core/tcp/types';
import type { PacketRow } from '../../worker/api';
import type { DetailNode } from './webviewMessages';

const FLAG_LETTERS: Record<string, string> = {
  fin: 'F',
  syn: 'S',
  reset: 'R',
  push: 'P',
  ack: '.',
  urg: 'U',
  ece: 'E',
  cwr: 'W',
  ae: 'e',
};

const IP_FIELD_OF: Record<string, 'tos' | 'ttl' | 'id' | 'offset' | 'flags' | 'proto' | 'length' | 'cksum' | 'class' | 'flowlabel' | 'hlim' | 'nextHeader' | 'payloadLength'> = {
  'ip.dsfield': 'tos',
  'ip.ttl': 'ttl',
  'ip.id': 'id',
  'ip.frag_offset': 'offset',
  'ip.flags': 'flags',
  'ip.proto': 'proto',
  'ip.len': 'length',
  'ipv6.tclass': 'class',
  'ipv6.flow': 'flowlabel',
  'ipv6.hlim': 'hlim',
  'ipv6.nxt': 'nextHeader',
  'ipv6.plen': 'payloadLength',
};

function num(v: FieldNode['value']): number {
  return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : -1;
}

function findChild(node: FieldNode | undefined, name: string): FieldNode | undefined {
  if (!node) return undefined;
  if (node.name === name) return node;
  for (const c of node.children ?? []) {
    const f = findChild(c, name);
    if (f) return f;
  }
  return undefined;
}

/** What the catalogue needs about the TCP segment, from its fields and the engine's row. */
export function tcpContext(tree: FieldNode, row: PacketRow | null): PacketContext {
  const c: PacketContext = {};
  const tcp = findChild(tree, 'tcp');
  if (!tcp) return c;
  let flags = 0;
  let any = false;
  for (const f of findChild(tcp, 'tcp.flags')?.children ?? []) {
    const letter = FLAG_LETTERS[f.name.slice('tcp.flags.'.length)];
    if (letter === undefined) continue;
    any = true;
    if (f.value === true) flags |= flagBit(f.name);
  }
  if (any) c.flags = flags;
  const seq = num(findChild(tcp, 'tcp.seq_raw')?.value);
  const ack = num(findChild(tcp, 'tcp.ack_raw')?.value);
  const win = num(findChild(tcp, 'tcp.window_size_value')?.value);
  const urg = num(findChild(tcp, 'tcp.urgent_pointer')?.value);
  const len = num(findChild(tcp, 'tcp.payload')?.value);
  if (seq >= 0) c.seq = seq;
  if (ack >= 0) c.ack = ack;
  if (win >= 0) c.win = win;
  if (urg >= 0) c.urg = urg;
  c.len = len >= 0 ? len : 0;
  if (seq >= 0) c.seqEnd = seq + c.len;
  c.relative = false;
  if (row) {
    if (row.step !== undefined) c.step = row.step;
    if (row.states) {
      const ci = (TCP_STATES as readonly string[]).indexOf(row.states.client);
      const si = (TCP_STATES as readonly string[]).indexOf(row.states.server);
      if (ci >= 0) c.clientState = ci;
      if (si >= 0) c.serverState = si;
    }
  }
  return c;
}

function flagBit(name: string): number {
  switch (name.slice('tcp.flags.'.length)) {
    case 'fin': return 0x01;
    case 'syn': return 0x02;
    case 'reset': return 0x04;
    case 'push': return 0x08;
    case 'ack': return 0x10;
    case 'urg': return 0x20;
    case 'ece': return 0x40;
    case 'cwr': return 0x80;
    case 'ae': return 0x100;
    default: return 0;
  }
}

/** tcpdump's text of one option ("mss 1460", "TS val 1 ecr 2"), for explainOption. */
function optionText(node: FieldNode): string {
  const kind = node.name.replace(/^tcp\.option\./, '');
  const v = (n: string): number => num(findChild(node, n)?.value);
  switch (kind) {
    case 'mss': return 'mss ' + v('tcp.options.mss_val');
    case 'wscale': return 'wscale ' + v('tcp.options.wscale.shift');
    case 'sack_perm': return 'sackOK';
    case 'sack': return 'sack';
    case 'timestamp': return 'TS val ' + v('tcp.options.timestamp.tsval') + ' ecr ' + v('tcp.options.timestamp.tsecr');
    case 'nop': return 'nop';
    case 'eol': return 'eol';
    case 'md5': return 'md5';
    case 'user_to': return 'uto';
    case 'ao': return 'tcp-ao';
    default: return kind;
  }
}

function ipFlagsText(v: number): string {
  const parts: string[] = [];
  if (v & 2) parts.push('DF');
  if (v & 1) parts.push('+');
  return 'flags [' + (parts.length ? parts.join('') : 'none') + ']';
}

/** The explanation of one field, or null when the catalogue has nothing specific. */
export function explainField(node: FieldNode, ctx: PacketContext, t: Translate): Explanation | null {
  const name = node.name;
  const display = node.display ?? (node.value === undefined || node.value === null ? '' : String(node.value));
  const ip = IP_FIELD_OF[name];
  if (ip !== undefined) {
    const n = num(node.value);
    switch (ip) {
      case 'tos': return explainIpField('tos', 'tos 0x' + (n >= 0 ? n.toString(16) : '0'), t);
      case 'class': return explainIpField('class', 'class 0x' + (n >= 0 ? n.toString(16) : '0'), t);
      case 'ttl': return explainIpField('ttl', 'ttl ' + n, t);
      case 'hlim': return explainIpField('hlim', 'hlim ' + n, t);
      case 'offset': return explainIpField('offset', 'offset ' + n, t);
      case 'flags': return explainIpField('flags', ipFlagsText(n), t);
      case 'proto': return explainIpField('proto', 'proto ' + display, t);
      case 'nextHeader': return explainIpField('nextHeader', 'next-header ' + display, t);
      case 'length': return explainIpField('length', 'length ' + n, t);
      case 'payloadLength': return explainIpField('payloadLength', 'payload length ' + n, t);
      default: return explainIpField(ip, display, t);
    }
  }
  if (name === 'ip' || name === 'ipv6') return explainIpField('header', '', t);
  if (name.startsWith('ip.flags.')) {
    const bit = name.slice('ip.flags.'.length);
    return explainIpField('flags', bit === 'df' ? 'flags [DF]' : bit === 'mf' ? 'flags [+]' : 'flags', t);
  }
  if (name === 'ip.dsfield.dscp') return explainIpField('tos', 'tos 0x' + (Math.max(0, num(node.value)) << 2).toString(16), t);
  if (name === 'ip.dsfield.ecn') return explainIpField('tos', 'tos 0x' + Math.max(0, num(node.value)).toString(16), t);
  if (name.startsWith('tcp.flags.')) {
    const letter = FLAG_LETTERS[name.slice('tcp.flags.'.length)];
    return letter !== undefined ? explainFlagLetter(letter, t) : null;
  }
  if (name.startsWith('tcp.option.')) return explainOption(optionText(node), ctx, t);
  switch (name) {
    case 'frame': return explainLinkField('frameLength', display, t);
    case 'ip.version':
    case 'ipv6.version': return { title: t('IP version'), text: [t('4 for IPv4, 6 for IPv6: how the rest of the header is laid out.')], here: [] };
    case 'ip.hdr_len': return { title: t('IP header length'), text: [t('Length of the IPv4 header in 4-byte words: 5 (20 bytes) without options, up to 15 (60 bytes).')], here: [] };
    case 'tcp.hdr_len': return { title: t('TCP header length'), text: [t('Length of the TCP header in 4-byte words (the data offset): 5 (20 bytes) without options, up to 15 (60 bytes).')], here: [] };
    case 'ip.checksum': return explainChecksum(display.includes('incorrect') || display.includes('bad') ? 'bad cksum' : '', t, true);
    case 'tcp.checksum':
    case 'udp.checksum': return explainChecksum('', t, false);
    case 'eth':
    case 'sll': return explainLinkField('link', '', t);
    case 'eth.src': return explainLinkField('srcMac', display, t);
    case 'eth.dst': return explainLinkField('dstMac', display, t);
    case 'eth.type': return explainLinkField('ethertype', display, t);
    case 'ip.src':
    case 'ipv6.src': return explainAddress('src', display, t);
    case 'ip.dst':
    case 'ipv6.dst': return explainAddress('dst', display, t);
    case 'tcp.srcport':
    case 'udp.srcport': return explainPort(num(node.value), t);
    case 'tcp.dstport':
    case 'udp.dstport': return explainPort(num(node.value), t);
    case 'tcp.seq_raw': return explainSeq(ctx, t, 'all');
    case 'tcp.ack_raw': return explainAck(ctx, t);
    case 'tcp.window_size_value': return explainWindow(ctx, t);
    case 'tcp.urgent_pointer': return explainUrg(ctx, t);
    case 'tcp.flags': return ctx.flags !== undefined ? explainFlags(ctx.flags, ctx, t) : null;
    case 'tcp.options': return explainOptions(t);
    case 'tcp.payload': return explainLength(ctx, t);
    default: return explainApplicationField(name, node.value, t);
  }
}

/** An application field (DNS, HTTP, TLS, FTP, SSH, mail, telnet, DHCP, NTP, SSDP), by its Wireshark name. */
function explainApplicationField(name: string, value: FieldNode['value'], t: Translate): Explanation | null {
  const e = explainAppField(name, value, t) ?? explainMoreAppField(name, value, t);
  if (e !== null || (typeof value !== 'string' && typeof value !== 'number')) return e;
  return explainTlsField(name, value, t) ?? explainFtpField(name, value, t);
}

function severityOf(node: FieldNode): DetailNode['severity'] {
  let s: DetailNode['severity'];
  for (const n of node.notes ?? []) {
    if (n.severity === 'error') return 'error';
    if (n.severity === 'warning') s = 'warning';
    else if (!s) s = 'info';
  }
  return s;
}

function labelOf(node: FieldNode): string {
  if (node.children && node.children.length > 0) return node.label;
  if (node.display !== undefined && node.display !== '') return node.label + ': ' + node.display;
  if (node.value !== undefined && node.value !== null) return node.label + ': ' + String(node.value);
  return node.label;
}

/** Sub-fields that are explained by the field they belong to (an option's kind and value, the DS field's bits). */
function inheritsExplanation(parent: string): boolean {
  return parent.startsWith('tcp.option.') || parent === 'ip.dsfield' || parent === 'ipv6.tclass' || parent === 'ip.flags';
}

function convert(node: FieldNode, ctx: PacketContext, t: Translate, depth: number, parentName = '', parentExplain = ''): DetailNode {
  let e: Explanation | null = null;
  try {
    e = explainField(node, ctx, t);
  } catch {
    e = null;
  }
  let explain = e ? toPlainText(e) : '';
  if (explain === '' && inheritsExplanation(parentName)) explain = parentExplain;
  const out: DetailNode = { name: node.name, label: labelOf(node), offset: node.offset, length: node.length, explain };
  const sev = severityOf(node);
  if (sev) out.severity = sev;
  const kids: DetailNode[] = [];
  if (depth < 32) for (const c of node.children ?? []) kids.push(convert(c, ctx, t, depth + 1, node.name, explain));
  for (const n of node.notes ?? []) {
    kids.push({ name: 'note', label: n.message, offset: n.offset, length: n.length, explain: '', severity: n.severity });
  }
  if (kids.length > 0) out.children = kids;
  return out;
}

/** The TCP engine's verdicts on the packet, as nodes without bytes (appended to the TCP layer). */
function engineNodes(row: PacketRow, ctx: PacketContext, t: Translate): DetailNode[] {
  const out: DetailNode[] = [];
  const at = (label: string, explain: string, severity?: DetailNode['severity']): void => {
    const n: DetailNode = { name: 'tcp.engine', label, offset: 0, length: 0, explain };
    if (severity) n.severity = severity;
    out.push(n);
  };
  if (row.stream !== undefined) at(t('[Stream index: {0}]', row.stream), '');
  if (row.step !== undefined && row.step !== '') at(t('[Connection step: {0}]', row.step), toPlainText(explainStep(row.step, t, ctx)));
  if (row.states) {
    at(t('[Client state after this packet: {0}]', row.states.client), toPlainText(explainState(row.states.client, t)));
    at(t('[Server state after this packet: {0}]', row.states.server), toPlainText(explainState(row.states.server, t)));
  }
  for (const a of row.analysis ?? []) at(t('[Analysis: {0}]', a), toPlainText(explainAnalysis(a, t)), 'warning');
  return out;
}

/**
 * The details tree of one packet: every layer and field with its label (value included) and its
 * explanation; `row` (the packet's list row, when known) adds the engine's verdicts to TCP.
 */
export function buildDetails(tree: FieldNode, row: PacketRow | null, t: Translate): DetailNode {
  const ctx = tcpContext(tree, row);
  const root = convert(tree, ctx, t, 0);
  if (row && (row.stream !== undefined || row.states || (row.analysis && row.analysis.length > 0))) {
    const extra = engineNodes(row, ctx, t);
    const tcp = root.children?.find((c) => c.name === 'tcp') ?? findDetail(root, 'tcp');
    if (tcp) tcp.children = [...(tcp.children ?? []), ...extra];
    else root.children = [...(root.children ?? []), ...extra];
  }
  return root;
}

function findDetail(node: DetailNode, name: string): DetailNode | undefined {
  if (node.name === name) return node;
  for (const c of node.children ?? []) {
    const f = findDetail(c, name);
    if (f) return f;
  }
  return undefined;
}
