/**
 * Builds DNS messages for the DNS tests (decoder, printer, oracle): names as text ("example.com")
 * or raw label bytes (to write compression pointers and broken names by hand).
 */

export type NameSpec = string | number[];

export function nameBytes(n: NameSpec): number[] {
  if (typeof n !== 'string') return n;
  const out: number[] = [];
  for (const label of n.split('.').filter(Boolean)) out.push(label.length, ...Array.from(label, (c) => c.charCodeAt(0)));
  out.push(0);
  return out;
}

export interface Question {
  name: NameSpec;
  type: number;
  cls?: number;
}
export interface Record {
  name: NameSpec;
  type: number;
  cls?: number;
  ttl?: number;
  rdata: number[];
}
export interface Message {
  id: number;
  flags: number;
  qd?: Question[];
  an?: Record[];
  ns?: Record[];
  ar?: Record[];
  /** Override the header counts (to make them lie). */
  counts?: [number, number, number, number];
}

const u16 = (v: number): number[] => [(v >> 8) & 255, v & 255];
const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

export function dnsMessage(m: Message): Uint8Array {
  const qd = m.qd ?? [];
  const an = m.an ?? [];
  const ns = m.ns ?? [];
  const ar = m.ar ?? [];
  const c = m.counts ?? [qd.length, an.length, ns.length, ar.length];
  const out: number[] = [...u16(m.id), ...u16(m.flags), ...u16(c[0]), ...u16(c[1]), ...u16(c[2]), ...u16(c[3])];
  for (const q of qd) out.push(...nameBytes(q.name), ...u16(q.type), ...u16(q.cls ?? 1));
  for (const r of [...an, ...ns, ...ar]) out.push(...nameBytes(r.name), ...u16(r.type), ...u16(r.cls ?? 1), ...u32(r.ttl ?? 300), ...u16(r.rdata.length), ...r.rdata);
  return Uint8Array.from(out);
}

/** DNS over TCP: the message after its 2-byte length. */
export function tcpDns(msg: Uint8Array, lengthField = msg.length): Uint8Array {
  const out = new Uint8Array(msg.length + 2);
  out[0] = lengthField >> 8;
  out[1] = lengthField & 255;
  out.set(msg, 2);
  return out;
}

export const ptr = (off: number): number[] => [0xc0 | (off >> 8), off & 255];
export const ipv4 = (s: string): number[] => s.split('.').map(Number);
export const txt = (...strings: string[]): number[] => strings.flatMap((s) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))]);
