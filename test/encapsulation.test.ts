/**
 * Encapsulations: PPPoE session, MPLS, IP-in-IP, IPv6-in-IPv4, GRE (IP, MPLS, Ethernet payloads),
 * PPTP (GRE version 1 with PPP) and VXLAN, each carrying TCP. Captures are built with our own writers (test/helpers/tunnels.ts):
 * a plain conversation, one inside the tunnel, then another plain one.
 *   - printer: the text tcpdump 4.99.3 printed for them, kept below, and (when installed) the
 *     live tcpdump on every option set;
 *   - engine: stream numbers as tshark 4.0.17 gave them (0,1,0,1,2,1,2,0,2: the tunnelled
 *     conversation is stream 1), and (when installed) the live tshark;
 *   - details tree: the inner layers appear, at their offsets in the frame;
 *   - bounds: nested tunnels stop at MAX_ENCAP_DEPTH; cut-short frames never throw.
 * (No import cycle: scripts/check-cycles.mjs, run by `npm run lint`.)
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeFrame, DecodedPacket, findField, innermost, MAX_ENCAP_DEPTH, TreeSink } from '../src/core/decode/index';
import type { FieldNode } from '../src/core/decode/index';
import { blankRecord, CaptureRecord } from '../src/core/capture/types';
import { PacketPrinter } from '../src/core/print/packet';
import { defaultPrintOptions, PrintOptions } from '../src/core/print/options';
import { parsePrintArgs } from '../src/core/print/args';
import { scratchSegment, segmentFromPacket } from '../src/core/tcp/fromPacket';
import { TcpEngine } from '../src/core/tcp/engine';
import { tcpFrame, tunnelFrame } from '../src/core/synth/frames';
import { needTool } from './helpers/tools';
import { TUNNELS, tunnelFrames, tunnelPcap } from './helpers/tunnels';


/** The tunnelled packets (frames 2, 4, 6) as tcpdump 4.99.3 printed them (-n; -n -e -v), time stamps cut. */
const TCPDUMP_4_99_3: Record<string, Record<string, string[]>> = {
  'pppoe': {
    '': [
      'PPPoE  [ses 0x1a2b] IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'PPPoE  [ses 0x1a2b] IP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'PPPoE  [ses 0x1a2b] IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype PPPoE S (0x8864), length 66: PPPoE  [ses 0x1a2b] IP (0x0021), length 46: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype PPPoE S (0x8864), length 62: PPPoE  [ses 0x1a2b] IP (0x0021), length 42: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype PPPoE S (0x8864), length 72: PPPoE  [ses 0x1a2b] IP (0x0021), length 52: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  'mpls': {
    '': [
      'MPLS (label 100, tc 0, ttl 64) (label 200, tc 0, [S], ttl 64) IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'MPLS (label 100, tc 0, ttl 64) (label 200, tc 0, [S], ttl 64) IP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'MPLS (label 100, tc 0, ttl 64) (label 200, tc 0, [S], ttl 64) IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype MPLS unicast (0x8847), length 66: MPLS (label 100, tc 0, ttl 64)\n\t(label 200, tc 0, [S], ttl 64)\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype MPLS unicast (0x8847), length 62: MPLS (label 100, tc 0, ttl 64)\n\t(label 200, tc 0, [S], ttl 64)\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype MPLS unicast (0x8847), length 72: MPLS (label 100, tc 0, ttl 64)\n\t(label 200, tc 0, [S], ttl 64)\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  'ipip': {
    '': [
      'IP 192.0.2.1 > 192.0.2.2: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'IP 192.0.2.1 > 192.0.2.2: IP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'IP 192.0.2.1 > 192.0.2.2: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 78: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto IPIP (4), length 64)\n    192.0.2.1 > 192.0.2.2: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto IPIP (4), length 60)\n    192.0.2.1 > 192.0.2.2: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 84: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto IPIP (4), length 70)\n    192.0.2.1 > 192.0.2.2: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  '6in4': {
    '': [
      'IP 192.0.2.1 > 192.0.2.2: IP6 2001:db8::1.40002 > 2001:db8::2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'IP 192.0.2.1 > 192.0.2.2: IP6 2001:db8::2.50080 > 2001:db8::1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'IP 192.0.2.1 > 192.0.2.2: IP6 2001:db8::1.40002 > 2001:db8::2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto IPv6 (41), length 84)\n    192.0.2.1 > 192.0.2.2: (hlim 64, next-header TCP (6) payload length: 24) 2001:db8::1.40002 > 2001:db8::2.50080: Flags [S], cksum 0xd8e6 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 94: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto IPv6 (41), length 80)\n    192.0.2.1 > 192.0.2.2: (hlim 64, next-header TCP (6) payload length: 20) 2001:db8::2.50080 > 2001:db8::1.40002: Flags [S.], cksum 0xdd09 (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 104: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto IPv6 (41), length 90)\n    192.0.2.1 > 192.0.2.2: (hlim 64, next-header TCP (6) payload length: 30) 2001:db8::1.40002 > 2001:db8::2.50080: Flags [P.], cksum 0xe1f8 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  'gre': {
    '': [
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 48: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 44: IP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 54: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 82: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 68)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto IPv4 (0x0800), length 48\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 78: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 64)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto IPv4 (0x0800), length 44\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 88: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 74)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto IPv4 (0x0800), length 54\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  'gre-key-seq': {
    '': [
      'IP 192.0.2.1 > 192.0.2.2: GREv0, key=0x2a, seq 7, length 56: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv0, key=0x2a, seq 7, length 52: IP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv0, key=0x2a, seq 7, length 62: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 90: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 76)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [key present, sequence# present], key=0x2a, seq 7, proto IPv4 (0x0800), length 56\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 86: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 72)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [key present, sequence# present], key=0x2a, seq 7, proto IPv4 (0x0800), length 52\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 96: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 82)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [key present, sequence# present], key=0x2a, seq 7, proto IPv4 (0x0800), length 62\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  'gre-ethernet': {
    '': [
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 62: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 58: IP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 68: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 96: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 82)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto TEB (0x6558), length 62\n\t02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 58: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 92: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 78)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto TEB (0x6558), length 58\n\t02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 54: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 102: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 88)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto TEB (0x6558), length 68\n\t02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 64: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  'gre-mpls': {
    '': [
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 52: MPLS (label 100, tc 0, [S], ttl 64) IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 48: MPLS (label 100, tc 0, [S], ttl 64) IP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv0, length 58: MPLS (label 100, tc 0, [S], ttl 64) IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 86: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 72)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto MPLS unicast (0x8847), length 52\n\tMPLS (label 100, tc 0, [S], ttl 64)\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 82: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 68)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto MPLS unicast (0x8847), length 48\n\tMPLS (label 100, tc 0, [S], ttl 64)\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 92: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 78)\n    192.0.2.1 > 192.0.2.2: GREv0, Flags [none], proto MPLS unicast (0x8847), length 58\n\tMPLS (label 100, tc 0, [S], ttl 64)\n\t(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  'pptp': {
    '': [
      'IP 192.0.2.1 > 192.0.2.2: GREv1, call 5, seq 1, length 60: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv1, call 5, seq 1, length 56: IP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'IP 192.0.2.1 > 192.0.2.2: GREv1, call 5, seq 1, length 66: IP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 94: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 80)\n    192.0.2.1 > 192.0.2.2: GREv1, Flags [key present, sequence# present], call 5, seq 1, proto PPP (0x880b), length 60\n\tIP (0x0021), length 48: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 90: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 76)\n    192.0.2.1 > 192.0.2.2: GREv1, Flags [key present, sequence# present], call 5, seq 1, proto PPP (0x880b), length 56\n\tIP (0x0021), length 44: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 100: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto GRE (47), length 86)\n    192.0.2.1 > 192.0.2.2: GREv1, Flags [key present, sequence# present], call 5, seq 1, proto PPP (0x880b), length 66\n\tIP (0x0021), length 54: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
  'vxlan': {
    '': [
      'IP 192.0.2.1.12345 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 5001\nIP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], seq 1000, win 65535, options [mss 1460], length 0',
      'IP 192.0.2.1.12345 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 5001\nIP 10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], seq 5000, ack 1001, win 65535, length 0',
      'IP 192.0.2.1.12345 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 5001\nIP 10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], seq 1:11, ack 1, win 65535, length 10',
    ],
    '-e -v': [
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 108: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 94)\n    192.0.2.1.12345 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 5001\n02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 58: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [S], cksum 0x2057 (correct), seq 1000, win 65535, options [mss 1460], length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 104: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 90)\n    192.0.2.1.12345 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 5001\n02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 54: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)\n    10.1.0.2.50080 > 10.1.0.1.40002: Flags [S.], cksum 0x247a (correct), seq 5000, ack 1001, win 65535, length 0',
      '02:00:00:00:00:11 > 02:00:00:00:00:12, ethertype IPv4 (0x0800), length 114: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 100)\n    192.0.2.1.12345 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 5001\n02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 64: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 50)\n    10.1.0.1.40002 > 10.1.0.2.50080: Flags [P.], cksum 0x2969 (correct), seq 1:11, ack 1, win 65535, length 10',
    ],
  },
};

/**
 * tcpdump 4.99.3 prints IPv6's -v header as "next-header TCP (6) payload length: 24)"; later
 * tcpdump, and so our printer and the conformance suite, print "next-header TCP (6), payload length 24)".
 */
function asHead(text: string): string {
  return text.replace(/\) payload length: (\d+)\)/g, '), payload length $1)');
}

/** Record i of a tunnel capture (Ethernet, one second apart, as tunnelPcap writes them). */
function rec(i: number, data: Uint8Array, origLen = data.length): CaptureRecord {
  return { ...blankRecord('pcap'), index: i, tsSec: 1700000000 + i, data, origLen, linkType: 1 };
}

function printAll(frames: Uint8Array[], opts: PrintOptions): string[] {
  const pr = new PacketPrinter(opts);
  return frames.map((f, i) => pr.print(rec(i, f)));
}

function streams(frames: Uint8Array[]): number[] {
  const engine = new TcpEngine();
  const pkt = new DecodedPacket();
  const scratch = scratchSegment();
  const out: number[] = [];
  frames.forEach((f, i) => {
    decodeFrame(pkt, f, f.length, 1);
    const seg = segmentFromPacket(pkt, { index: i, tsSec: 1700000000 + i, tsNsec: 0 }, scratch);
    out.push(seg ? engine.add(seg).stream : -1);
  });
  return out;
}

function names(node: FieldNode, out: string[] = []): string[] {
  for (const c of node.children ?? []) {
    if (c.children) {
      out.push(c.name);
      names(c, out);
    }
  }
  return out;
}

describe('encapsulations: TCP inside PPPoE, MPLS, IP-in-IP, 6in4, GRE, PPTP, VXLAN', function () {
  this.timeout(60000);
  let savedTz: string | undefined;
  before(() => {
    savedTz = process.env.TZ;
    process.env.TZ = 'GMT0';
  });
  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  for (const name of Object.keys(TUNNELS)) {
    it(`${name}: printer prints what tcpdump printed (-n; -n -e -v)`, () => {
      const frames = tunnelFrames(name);
      for (const [args, want] of Object.entries(TCPDUMP_4_99_3[name])) {
        const opts = parsePrintArgs(['x.pcap', ...args.split(' ').filter(Boolean)]).opts;
        const got = printAll(frames, opts).map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d+ /, '').replace(/\n$/, ''));
        assert.deepEqual([got[1], got[3], got[5]], want.map(asHead), `options '${args}'`);
      }
    });

    it(`${name}: the engine numbers streams as tshark does (the tunnelled one is stream 1)`, () => {
      assert.deepEqual(streams(tunnelFrames(name)), [0, 1, 0, 1, 2, 1, 2, 0, 2]);
    });

    it(`${name}: the details tree shows the inner layers at their frame offsets`, () => {
      const frame = tunnelFrames(name)[1];
      const sink = new TreeSink();
      const pkt = decodeFrame(new DecodedPacket(), frame, frame.length, 1, sink);
      const inner = innermost(pkt);
      const layers = names(sink.root);
      assert.ok(layers.includes('tcp'), layers.join(','));
      const port = findField(sink.root, 'tcp.srcport')!;
      // the TCP header's absolute offset: where the inner packet starts plus the offset inside it
      assert.equal(port.offset, inner.base + inner.l4.off);
      assert.equal((frame[port.offset] << 8) | frame[port.offset + 1], 40002);
      const expected: Record<string, string[]> = {
        pppoe: ['eth', 'pppoes', 'ppp', 'ip', 'tcp'],
        mpls: ['eth', 'mpls', 'ip', 'tcp'],
        ipip: ['eth', 'ip', 'ip', 'tcp'],
        '6in4': ['eth', 'ip', 'ipv6', 'tcp'],
        gre: ['eth', 'ip', 'gre', 'ip', 'tcp'],
        'gre-key-seq': ['eth', 'ip', 'gre', 'ip', 'tcp'],
        'gre-ethernet': ['eth', 'ip', 'gre', 'eth', 'ip', 'tcp'],
        'gre-mpls': ['eth', 'ip', 'gre', 'mpls', 'ip', 'tcp'],
        pptp: ['eth', 'ip', 'gre', 'ppp', 'ip', 'tcp'],
        vxlan: ['eth', 'ip', 'udp', 'vxlan', 'eth', 'ip', 'tcp'],
      };
      assert.deepEqual(layers.filter((n) => !n.includes('.')), expected[name]);
    });
  }

  it('every cut of every tunnelled frame decodes and prints without throwing, as damage', () => {
    for (const name of Object.keys(TUNNELS)) {
      const f = tunnelFrames(name)[5];
      const pr = new PacketPrinter(defaultPrintOptions());
      for (let cut = 0; cut <= f.length; cut++) {
        const pkt = decodeFrame(new DecodedPacket(), f.subarray(0, cut), f.length, 1, new TreeSink());
        // frame 6 carries 10 payload bytes: any shorter cut falls inside some header
        if (cut < f.length - 10) assert.ok(innermost(pkt).truncated || pkt.truncated, `${name} cut at ${cut}`);
        const line = pr.print(rec(0, f.subarray(0, cut), f.length));
        assert.ok(!line.includes('printer error'), line);
      }
    }
  });

  it(`tunnels inside tunnels stop at depth ${MAX_ENCAP_DEPTH}`, () => {
    // GRE in GRE in GRE …: each level wraps the previous frame's IP packet
    let f = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, seq: 1, flags: 2 });
    const levels = 10;
    for (let i = 0; i < levels; i++) {
      const ip = f.subarray(14);
      f = tunnelFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, seq: 1, flags: 2 }, { kind: 'gre', src: '192.0.2.1', dst: '192.0.2.2' });
      // replace the carried packet by the one built so far
      const hdr = f.subarray(0, 14 + 20 + 4);
      const out = new Uint8Array(hdr.length + ip.length);
      out.set(hdr);
      out.set(ip, hdr.length);
      const total = 20 + 4 + ip.length;
      out[16] = total >> 8;
      out[17] = total & 255;
      f = out;
    }
    const pkt = decodeFrame(new DecodedPacket(), f, f.length, 1);
    let depth = 0;
    for (let p = pkt; p.inner !== null; p = p.inner) depth++;
    assert.equal(depth, MAX_ENCAP_DEPTH);
    assert.equal(segmentFromPacket(pkt, { index: 0, tsSec: 0, tsNsec: 0 }), null);
  });

  it('the old gaps: 6in4 is no longer "ip-proto-41", PPPoE TCP is a segment', () => {
    const six = printAll(tunnelFrames('6in4'), defaultPrintOptions())[1];
    assert.ok(!six.includes('ip-proto-41'), six);
    const pkt = decodeFrame(new DecodedPacket(), tunnelFrames('pppoe')[1], tunnelFrames('pppoe')[1].length, 1);
    assert.equal(pkt.l4.proto, 6);
    assert.notEqual(segmentFromPacket(pkt, { index: 0, tsSec: 0, tsNsec: 0 }), null);
  });

  describe('against the installed tcpdump and tshark', () => {
    let dir = '';
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-tunnels-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('tcpdump prints the same text on every option set (IPv6 -v header in the later format)', function () {
      needTool(this, 'tcpdump');
      const bad: string[] = [];
      for (const name of Object.keys(TUNNELS)) {
        const file = path.join(dir, name + '.pcap');
        fs.writeFileSync(file, tunnelPcap(name));
        for (const o of [[], ['-v'], ['-vv'], ['-e'], ['-e', '-v'], ['-q'], ['-S'], ['-x'], ['-X'], ['-xx']]) {
          const r = spawnSync('tcpdump', ['-n', '-r', file, ...o], { encoding: 'utf8', env: { ...process.env, TZ: 'GMT0' } });
          const ours = printAll(tunnelFrames(name), parsePrintArgs([file, ...o]).opts).join('');
          if (asHead(r.stdout) !== ours) bad.push(`${name} ${o.join(' ')}:\n${r.stdout}\n---\n${ours}`);
        }
      }
      assert.deepEqual(bad, []);
    });

    it('tshark gives the same tcp.stream numbers', function () {
      needTool(this, 'tshark');
      for (const name of Object.keys(TUNNELS)) {
        const file = path.join(dir, name + '-s.pcap');
        fs.writeFileSync(file, tunnelPcap(name));
        const r = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', timeout: 50000 });
        const theirs = r.stdout.trim().split('\n').map(Number);
        assert.deepEqual(streams(tunnelFrames(name)), theirs, name);
      }
    });
  });
});
