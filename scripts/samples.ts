/**
 * Writes the sample captures under samples/ with our own generators (nothing copied from
 * elsewhere): a complete conversation — three-way handshake, request and response, four-way
 * teardown — as classic pcap and as pcapng.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TH_ACK, TH_FIN, TH_PUSH, TH_SYN } from '../src/core/decode/packet';
import { opt, tcpFrame, TcpSegmentSpec } from '../src/core/synth/frames';
import { pcapHeader, pcapngEPB, pcapngIDB, pcapngSHB, pcapRecord } from '../src/core/synth/writers';

const DIR = path.resolve(__dirname, '..', 'samples');

const C = { src: '10.23.185.135', dst: '106.53.211.6', sport: 48096, dport: 8888 };
const S = { src: C.dst, dst: C.src, sport: C.dport, dport: C.sport };
const cISN = 3_021_458_137;
const sISN = 1_884_202_731;
const text = (s: string) => new TextEncoder().encode(s);
const req = text('GET /status HTTP/1.1\r\nHost: demo\r\n\r\n');
const resp = text('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
const hsOpts = (ts: number, ecr: number) => [...opt.mss(1460), ...opt.sackOk(), ...opt.ts(ts, ecr), ...opt.nop(), ...opt.wscale(7)];
const ts = (v: number, e: number) => [...opt.nop(), ...opt.nop(), ...opt.ts(v, e)];

const handshake: [number, TcpSegmentSpec][] = [
  [0, { ...C, seq: cISN, flags: TH_SYN, win: 64240, options: hsOpts(100, 0) }],
  [31_000, { ...S, seq: sISN, ack: cISN + 1, flags: TH_SYN | TH_ACK, win: 65160, options: hsOpts(900, 100) }],
  [31_200, { ...C, seq: cISN + 1, ack: sISN + 1, flags: TH_ACK, win: 502, options: ts(131, 900) }],
  [31_900, { ...C, seq: cISN + 1, ack: sISN + 1, flags: TH_PUSH | TH_ACK, win: 502, options: ts(131, 900), payload: req }],
  [62_500, { ...S, seq: sISN + 1, ack: cISN + 1 + req.length, flags: TH_ACK, win: 509, options: ts(931, 131) }],
  [63_100, { ...S, seq: sISN + 1, ack: cISN + 1 + req.length, flags: TH_PUSH | TH_ACK, win: 509, options: ts(931, 131), payload: resp }],
  [63_300, { ...C, seq: cISN + 1 + req.length, ack: sISN + 1 + resp.length, flags: TH_ACK, win: 501, options: ts(163, 931) }],
  [70_000, { ...C, seq: cISN + 1 + req.length, ack: sISN + 1 + resp.length, flags: TH_FIN | TH_ACK, win: 501, options: ts(170, 931) }],
  [101_000, { ...S, seq: sISN + 1 + resp.length, ack: cISN + 2 + req.length, flags: TH_ACK, win: 509, options: ts(970, 170) }],
  [101_400, { ...S, seq: sISN + 1 + resp.length, ack: cISN + 2 + req.length, flags: TH_FIN | TH_ACK, win: 509, options: ts(970, 170) }],
  [101_600, { ...C, seq: cISN + 2 + req.length, ack: sISN + 2 + resp.length, flags: TH_ACK, win: 501, options: ts(201, 970) }],
];

function main(): void {
  fs.mkdirSync(DIR, { recursive: true });
  const t0 = 1_763_700_000; // whole seconds; offsets below are µs
  const pcap: Uint8Array[] = [pcapHeader()];
  const ng: Uint8Array[] = [pcapngSHB(), pcapngIDB(1, 262144, 6, 'eth0')];
  for (const [us, spec] of handshake) {
    const frame = tcpFrame(spec);
    pcap.push(pcapRecord(t0 + Math.floor(us / 1e6), us % 1e6, frame));
    ng.push(pcapngEPB(0, BigInt(t0) * 1_000_000n + BigInt(us), frame));
  }
  fs.writeFileSync(path.join(DIR, 'handshake.pcap'), Buffer.concat(pcap));
  fs.writeFileSync(path.join(DIR, 'handshake.pcapng'), Buffer.concat(ng));
  console.log(`wrote ${path.relative(process.cwd(), DIR)}/handshake.pcap and handshake.pcapng (${handshake.length} packets each)`);
}

main();
