/**
 * netstat / ss / lsof output as a second language (issue 15): the parser and the diagnosis on real
 * outputs made on this machine (test/fixtures/sockets, made by scripts/sockets-fixtures.sh with
 * real sockets in two network namespaces; see the README there), the macOS / BSD and Windows forms
 * from their documented layouts, hovers, the seeds of the tutorial, "sockets at this packet" from a
 * capture, and the CLI.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSockets, type SocketRow } from '../src/core/sockets/parse';
import { diagnoseSockets, DEFAULT_THRESHOLDS, type Finding } from '../src/core/sockets/diagnose';
import { socketsHoverAt } from '../src/core/sockets/hover';
import { netstatLines, socketsAtPacket, socketsAtPacketText } from '../src/core/sockets/fromCapture';
import { analyzeLog } from '../src/core/log/model';
import { explainInfo, findingText, summaryLensText } from '../src/core/explain/sockets';
import { formatEn } from '../src/core/explain/l10n';
import { zhCn } from '../src/node/l10n';
import {
  S_CLOSE_WAIT,
  S_ESTABLISHED,
  S_FIN_WAIT_2,
  S_LAST_ACK,
  S_LISTEN,
  S_SYN_RCVD,
  S_SYN_SENT,
  S_TIME_WAIT,
  TCP_STATES,
} from '../src/core/tcp/types';
import { TcpEngine } from '../src/core/tcp/engine';
import { TH_ACK, TH_FIN, TH_SYN } from '../src/core/decode/packet';
import { tcpFrame, udpFrame } from '../src/core/synth/frames';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { analyzeCaptureFile } from '../src/node/analyze';
import { looksLikeSockets, portSymbols } from '../src/core/sockets/outline';
import { skipBecause } from './helpers/skip';
import { Worker } from 'node:worker_threads';
import { WorkerClient } from '../src/worker/client';
import { CaptureIndex } from '../src/worker/captureIndex';
import { fileInput } from '../src/worker/fileInput';

const ROOT = path.resolve(__dirname, '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures', 'sockets');
const SEEDS = path.resolve(ROOT, '..', 'shared', 'seeds');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIX, name), 'utf8');
}

function states(rows: SocketRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = r.state >= 0 ? TCP_STATES[r.state] : r.stateText;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** The state column of a netstat -nat style text, counted independently of the parser (6th column of tcp lines). */
function awkCount(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== 'tcp' && f[0] !== 'tcp6') continue;
    out[f[5]] = (out[f[5]] ?? 0) + 1;
  }
  return out;
}

const NETSTAT_NAMES: Record<string, string> = {
  SYN_RECV: 'SYN_RCVD',
  FIN_WAIT1: 'FIN_WAIT_1',
  FIN_WAIT2: 'FIN_WAIT_2',
  CLOSE: 'CLOSED',
};

function kinds(fs: Finding[]): string[] {
  return fs.map((f) => f.kind).sort();
}

describe('sockets: parser on real outputs', () => {
  const files = fs.readdirSync(FIX).filter((f) => f.endsWith('.txt'));

  it('has the fixtures the generator makes', () => {
    assert.ok(files.length >= 25, files.join(' '));
  });

  it('reads every fixture without an unreadable line, and finds its sockets or counts', () => {
    for (const f of files) {
      const d = parseSockets(fixture(f));
      assert.deepEqual(d.unreadable, [], f);
      // ss -s has totals only; the client has no listener for netstat -tulpn to show
      if (!f.endsWith('ss-s.txt') && f !== 'client-netstat-tulpn.txt')
        assert.ok(d.rows.length + d.counts.length > 0, f);
    }
  });

  for (const side of ['server', 'client']) {
    it(`${side}: netstat -nat rows agree with an independent count of the state column, and ss -tan with netstat`, () => {
      const text = fixture(`${side}-netstat-nat.txt`);
      const d = parseSockets(text);
      const expected: Record<string, number> = {};
      for (const [k, n] of Object.entries(awkCount(text))) expected[NETSTAT_NAMES[k] ?? k] = n;
      assert.deepEqual(states(d.rows), expected);
      // ss and netstat were run a moment apart on the same sockets
      assert.deepEqual(states(parseSockets(fixture(`${side}-ss-tan.txt`)).rows), expected);
    });
  }

  it('LAST_ACK and CLOSING from real sockets (scripts/sockets-closing-fixture.sh), in netstat and ss forms, with their hovers', () => {
    const want = { server: { LISTEN: 2, LAST_ACK: 1, FIN_WAIT_2: 1 }, client: { CLOSING: 1, TIME_WAIT: 1 } };
    for (const side of ['server', 'client'] as const) {
      for (const form of ['netstat-nat', 'ss-tan']) {
        const d = parseSockets(fixture(`${side}-closing-${form}.txt`));
        assert.deepEqual(d.unreadable, []);
        assert.deepEqual(states(d.rows), want[side], `${side} ${form}`);
      }
    }
    // the state word explains itself, in both languages
    for (const [file, word] of [
      ['server-closing-netstat-nat.txt', 'LAST_ACK'],
      ['client-closing-ss-tan.txt', 'CLOSING'],
    ] as const) {
      const text = fixture(file);
      const lines = text.split('\n');
      const doc = parseSockets(text);
      const ln = lines.findIndex((l) => l.includes(word));
      for (const t of [formatEn, zhCn()]) {
        const h = socketsHoverAt(doc, ln, lines[ln].indexOf(word) + 1, lines[ln], t);
        assert.ok(h, `${file} ${word}`);
        assert.ok(h.markdown.length > 80, h.markdown);
      }
      assert.notEqual(socketsHoverAt(doc, ln, lines[ln].indexOf(word) + 1, lines[ln], zhCn())!.markdown, socketsHoverAt(doc, ln, lines[ln].indexOf(word) + 1, lines[ln], formatEn)!.markdown);
    }
  });

  it('reads the queues, the endpoints and the program of netstat -antp', () => {
    const d = parseSockets(fixture('server-netstat-antp.txt'));
    const listen8080 = d.rows.find((r) => r.state === S_LISTEN && r.local.port === 8080);
    assert.ok(listen8080);
    assert.equal(listen8080.recvQ, 3); // backlog 2: Linux holds backlog + 1
    assert.equal(listen8080.peer.addr, '0.0.0.0');
    assert.equal(listen8080.peer.portText, '*');
    const cw = d.rows.filter((r) => r.state === S_CLOSE_WAIT);
    assert.equal(cw.length, 4);
    for (const r of cw) {
      assert.equal(r.program, 'python3');
      assert.ok(r.pid > 0);
      assert.equal(r.recvQ, 7); // "hello\n" plus… the 7 bytes never read
      assert.equal(r.local.port, 9000);
    }
    const synRecv = d.rows.filter((r) => r.state === S_SYN_RCVD);
    assert.ok(synRecv.every((r) => r.process === '-' && r.pid < 0));
  });

  it('reads ss -tani internals onto their socket, and ss -tinm skmem', () => {
    const d = parseSockets(fixture('server-ss-tani.txt'));
    const cw = d.rows.find((r) => r.state === S_CLOSE_WAIT);
    assert.ok(cw);
    assert.equal(cw.infoLine, cw.line + 1);
    assert.match(cw.info.get('rtt') ?? '', /^\d+(\.\d+)?\/\d+(\.\d+)?$/);
    assert.ok(Number(cw.info.get('rto')) >= 200);
    assert.equal(cw.info.get('bytes_received'), '7');
    assert.ok(cw.info.has('bbr') || cw.info.has('cubic'));
    assert.match(cw.info.get('send') ?? '', /bps$/);
    const m = parseSockets(fixture('client-ss-tinm.txt'));
    assert.ok(m.rows.length > 0);
    for (const r of m.rows) assert.match(r.info.get('skmem') ?? '', /^\(r\d+,rb\d+,t\d+,tb\d+/);
  });

  it('takes the state of ss -tn state close-wait from the command line', () => {
    const d = parseSockets(fixture('server-ss-state-close-wait.txt'));
    assert.equal(d.rows.length, 4);
    assert.ok(d.rows.every((r) => r.state === S_CLOSE_WAIT && r.recvQ === 7));
  });

  it('reads lsof -i -n -P', () => {
    const d = parseSockets(fixture('server-lsof.txt'));
    const s = states(d.rows);
    assert.equal(s.LISTEN, 6);
    assert.equal(s.CLOSE_WAIT, 4);
    assert.ok(d.rows.every((r) => r.program === 'python3' && r.format === 'lsof'));
  });

  it('reads the counting pipelines (awk STATE COUNT and uniq -c), skipping the header words uniq counted', () => {
    const a = parseSockets(fixture('server-awk-count.txt'));
    const expected = states(parseSockets(fixture('server-netstat-nat.txt')).rows);
    delete expected.LISTEN; // netstat -n without -a shows no listeners
    const got: Record<string, number> = {};
    for (const c of a.counts) got[TCP_STATES[c.state]] = c.count;
    assert.deepEqual(got, expected);
    const u = parseSockets(fixture('client-uniq-count.txt'));
    assert.equal(u.counts.length, 4); // "1 established)" and "1 Foreign" are not states
    assert.equal(
      u.counts.reduce((n, c) => n + c.count, 0),
      parseSockets(fixture('client-netstat-nat.txt')).rows.length,
    );
  });

  it('skips the Unix-socket section of netstat -an and the totals of ss -s', () => {
    const d = parseSockets(fixture('server-netstat-an.txt'));
    assert.equal(d.rows.length, parseSockets(fixture('server-netstat-nat.txt')).rows.length);
    assert.equal(parseSockets(fixture('server-ss-s.txt')).rows.length, 0);
  });

  it('reads a grep-ed subset without its header', () => {
    const d = parseSockets(fixture('server-grep-9002.txt'));
    assert.equal(d.rows.length, 3);
    assert.ok(d.rows.every((r) => r.local.port === 9002));
  });
});

describe('sockets: ss -s summaries', () => {
  /** Every number of a summary, by key. */
  function values(text: string): Record<string, number>[] {
    return parseSockets(text).summaries.map((x) => Object.fromEntries(x.values));
  }

  it('reads the real ss -s outputs: Total, the TCP line and the Transport table, which add up as ss computes them', () => {
    for (const f of ['server-ss-s.txt', 'client-ss-s.txt', 'busy-ss-s.txt']) {
      const v = values(fixture(f));
      assert.equal(v.length, 1, f);
      for (const k of ['total', 'tcp', 'estab', 'closed', 'orphaned', 'timewait', 'TCP.total', 'TCP.ip', 'TCP.ipv6', 'UDP.total', 'FRAG.ipv6'])
        assert.equal(typeof v[0][k], 'number', f + ' ' + k);
      // ss: TCP = alloc + tw, closed = alloc - (hashed - tw), the table's TCP row = hashed
      assert.equal(v[0].tcp, v[0]['TCP.total'] + v[0].closed, f);
      assert.equal(v[0]['TCP.total'], v[0]['TCP.ip'] + v[0]['TCP.ipv6'], f);
    }
    assert.deepEqual(
      [values(fixture('client-ss-s.txt'))[0].timewait, values(fixture('client-ss-s.txt'))[0].estab],
      [30, 21],
    );
  });

  it('busy-ss-s: its counts agree with the same moment counted socket by socket (ss -tan | awk)', () => {
    const v = values(fixture('busy-ss-s.txt'))[0];
    const byState: Record<string, number> = {};
    for (const c of parseSockets(fixture('busy-awk-count.txt')).counts) byState[TCP_STATES[c.state]] = c.count;
    assert.equal(v.timewait, byState.TIME_WAIT);
    // the orphans are the closed sockets stuck in FIN_WAIT1 behind their unsent data
    assert.equal(v.orphaned, byState.FIN_WAIT_1);
    // CurrEstab counts ESTABLISHED and CLOSE_WAIT
    assert.equal(v.estab, byState.ESTABLISHED + (byState.CLOSE_WAIT ?? 0));
  });

  it("older ss versions' form (documented): Total with kernel, synrecv, timewait N/M, ports, the * row", () => {
    const text = [
      '$ ss -s',
      'Total: 1180 (kernel 1425)',
      'TCP:   1001 (estab 974, closed 13, orphaned 0, synrecv 0, timewait 5/0), ports 0',
      '',
      'Transport Total     IP        IPv6',
      '*         1425      -         -',
      'RAW       0         0         0',
      'UDP       3         2         1',
      'TCP       988       9         979',
      'INET      991       11        980',
      'FRAG      0         0         0',
      '',
    ].join('\n');
    const d = parseSockets(text);
    assert.deepEqual(d.unreadable, []);
    assert.equal(d.rows.length, 0);
    const v = values(text)[0];
    assert.deepEqual(
      [v.total, v.kernel, v.tcp, v.estab, v.closed, v.orphaned, v.synrecv, v.timewait, v.ports, v['*.total'], v['*.ip']],
      [1180, 1425, 1001, 974, 13, 0, 0, 5, 0, 1425, undefined],
    );
    assert.equal(v.tcp, v['TCP.total'] + v.closed);
  });

  it('a diagnostic when orphaned or timewait is notable (busy-ss-s), none on quiet ones; EN and ZH', () => {
    for (const f of ['server-ss-s.txt', 'client-ss-s.txt']) assert.deepEqual(diagnoseSockets(parseSockets(fixture(f))).findings, [], f);
    const text = fixture('busy-ss-s.txt');
    const lines = text.split('\n');
    const d = diagnoseSockets(parseSockets(text));
    assert.deepEqual(
      d.findings.map((f) => [f.kind, f.severity, f.count, lines[f.line].slice(f.start, f.end)]),
      [
        ['orphaned', 'warning', 120, 'orphaned 120'],
        ['time-wait', 'info', 600, 'timewait 600'],
      ],
    );
    assert.match(findingText(d.findings[0], formatEn), /^120 orphaned TCP sockets \(ss -s\).*tcp_max_orphans/);
    assert.match(findingText(d.findings[1], formatEn), /^600 sockets in TIME_WAIT\..*ip_local_port_range/);
    assert.match(findingText(d.findings[0], zhCn()), /^120 个孤儿 TCP 套接字/);
    // one below the thresholds: quiet
    const quiet = text.replace('orphaned 120', 'orphaned 99').replace('timewait 600', 'timewait 499');
    assert.deepEqual(diagnoseSockets(parseSockets(quiet)).findings, []);
    assert.equal(DEFAULT_THRESHOLDS.orphaned, 100);
  });

  it('hovers: each number of the TCP line, the Transport rows and cells, in English and Chinese', () => {
    const text = fixture('busy-ss-s.txt');
    const lines = text.split('\n');
    const doc = parseSockets(text);
    const at = (needle: string, word: string, t = formatEn): { md: string; range: string } => {
      const ln = lines.findIndex((l) => l.includes(needle));
      const h = socketsHoverAt(doc, ln, lines[ln].indexOf(word) + 1, lines[ln], t);
      assert.ok(h, needle + ' / ' + word);
      return { md: h.markdown, range: lines[ln].slice(h.range.start, h.range.end) };
    };
    const orphan = at('TCP:', 'orphaned');
    assert.equal(orphan.range, 'orphaned 120');
    assert.match(orphan.md, /120 orphaned/);
    assert.match(orphan.md, /tcp\\_max\\_orphans/);
    assert.match(at('TCP:', 'estab').md, /CurrEstab.*CLOSE\\_WAIT/s);
    assert.match(at('TCP:', 'timewait').md, /tcp\\_max\\_tw\\_buckets/);
    assert.match(at('TCP:', 'closed').md, /Not a state but a difference/);
    assert.match(at('Total:', 'Total').md, /sockets\\: used/);
    assert.equal(at('Total:', 'Total').range, 'Total: 242');
    assert.match(at('Transport', 'Transport').md, /sockets per transport/);
    assert.match(at('FRAG', 'FRAG').md, /fragments/);
    const cell = at('TCP\t', '242');
    assert.equal(cell.range, '242');
    assert.match(cell.md, /TCP \\\(IPv4 and IPv6\\\)\\: 242/);
    assert.match(at('TCP:', 'orphaned', zhCn()).md, /120 个孤儿/);
  });
});

describe('sockets: other systems (documented formats) and tolerance', () => {
  it('macOS / BSD netstat -an -p tcp: addresses with dots, tcp4 / tcp6 / tcp46', () => {
    const text = [
      'Active Internet connections (including servers)',
      'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)',
      'tcp4       0      0  192.168.1.20.52814     17.253.144.10.443      ESTABLISHED',
      'tcp4       0      0  192.168.1.20.52810     93.184.216.34.80       CLOSE_WAIT',
      'tcp6       0      0  fe80::1%lo0.631        *.*                    LISTEN',
      'tcp46      0      0  *.22                   *.*                    LISTEN',
      'tcp4       0      0  127.0.0.1.5432         127.0.0.1.60212        TIME_WAIT',
    ].join('\n');
    const d = parseSockets(text);
    assert.deepEqual(d.unreadable, []);
    assert.equal(d.rows.length, 5);
    assert.ok(d.rows.every((r) => r.format === 'bsd'));
    assert.deepEqual(
      [d.rows[0].local.addr, d.rows[0].local.port, d.rows[0].peer.addr, d.rows[0].peer.port],
      ['192.168.1.20', 52814, '17.253.144.10', 443],
    );
    assert.deepEqual([d.rows[2].local.addr, d.rows[2].local.port, d.rows[2].peer.portText], ['fe80::1%lo0', 631, '*']);
    assert.deepEqual([d.rows[3].local.addr, d.rows[3].local.port], ['*', 22]);
  });

  it('Windows netstat -ano: no queues, LISTENING, PIDs, UDP without a state', () => {
    const text = [
      'Active Connections',
      '',
      '  Proto  Local Address          Foreign Address        State           PID',
      '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1044',
      '  TCP    10.0.0.5:49702         52.97.1.2:443          ESTABLISHED     7312',
      '  TCP    10.0.0.5:49710         52.97.1.2:443          CLOSE_WAIT      7312',
      '  TCP    [::]:445               [::]:0                 LISTENING       4',
      '  UDP    0.0.0.0:123            *:*                                    1620',
    ].join('\n');
    const d = parseSockets(text);
    assert.deepEqual(d.unreadable, []);
    assert.equal(d.rows.length, 5);
    assert.deepEqual(
      d.rows.map((r) => r.state),
      [S_LISTEN, S_ESTABLISHED, S_CLOSE_WAIT, S_LISTEN, -1],
    );
    assert.deepEqual(
      d.rows.map((r) => r.pid),
      [1044, 7312, 7312, 4, 1620],
    );
    assert.equal(d.rows[3].local.addr, '::');
    assert.equal(d.rows[0].recvQ, -1);
    assert.equal(d.rows[4].proto, 'udp');
  });

  it('ss with a Netid column (ss -tuan) and users:(…) processes', () => {
    const text = [
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      'udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*     users:(("systemd-resolve",pid=601,fd=13))',
      'tcp   LISTEN 0      4096         0.0.0.0:22        0.0.0.0:*     users:(("sshd",pid=812,fd=3))',
      'tcp   ESTAB  0      36          10.0.0.2:22       10.0.0.9:51234 users:(("sshd",pid=9001,fd=4),("sshd",pid=8990,fd=4))',
      'tcp   LISTEN 0      511             [::]:80           [::]:*     users:(("nginx",pid=1000,fd=6))',
    ].join('\n');
    const d = parseSockets(text);
    assert.deepEqual(d.unreadable, []);
    assert.deepEqual(
      d.rows.map((r) => [r.proto, r.state, r.program, r.pid]),
      [
        ['udp', -1, 'systemd-resolve', 601],
        ['tcp', S_LISTEN, 'sshd', 812],
        ['tcp', S_ESTABLISHED, 'sshd', 9001],
        ['tcp', S_LISTEN, 'nginx', 1000],
      ],
    );
    assert.equal(d.rows[0].local.addr, '127.0.0.53%lo');
    assert.equal(d.rows[3].local.addr, '::');
  });

  it('skips prose, prompts and cut lines; flags a tcp line it cannot read', () => {
    const text = [
      'On the server I ran this and saw lots of CLOSE_WAIT:',
      '[root@web ~]# netstat -nat | grep 8080',
      'tcp        0      0 10.1.1.1:8080           10.1.1.9:40000          CLOSE_WAIT',
      'tcp        0      0 10.1.1.1:8080           10.1.1.9:400',
      'tcp 状态很多',
      'tcp        0      0 10.1.1.1:8080           10.1.1.9:40002          ESTABLISHED',
      'Any idea?',
    ].join('\n');
    const d = parseSockets(text);
    assert.equal(d.rows.length, 2);
    assert.deepEqual(d.unreadable, [3]); // the cut line (no state), not the prose
  });
});

describe('sockets: diagnosis on real outputs', () => {
  it('server (netstat -antp): CLOSE_WAIT pile with its program, SYN_RECV pile, waiting accept queue, unread Recv-Q', () => {
    const d = diagnoseSockets(parseSockets(fixture('server-netstat-antp.txt')));
    assert.deepEqual([...new Set(kinds(d.findings))], ['accept-queue', 'close-wait', 'recv-q', 'syn-recv']);
    const cw = d.findings.find((f) => f.kind === 'close-wait') as Finding;
    assert.equal(cw.count, 4);
    assert.match(cw.program, /^python3 \(\d+\)$/);
    assert.equal(cw.where, '10.99.0.1:9000');
    assert.match(findingText(cw, formatEn), /4 sockets in CLOSE_WAIT on 10\.99\.0\.1:9000, held by python3/);
    const aq = d.findings.find((f) => f.kind === 'accept-queue') as Finding;
    assert.equal(aq.limit, -1); // netstat does not show the limit
    assert.equal(aq.severity, 'warning');
    const sr = d.findings.find((f) => f.kind === 'syn-recv') as Finding;
    assert.equal(sr.count, 9);
    assert.equal(sr.lines.length, 9);
  });

  it('server (ss -tan): the accept queue at its limit is an error, the SYN queue as full as the backlog', () => {
    const d = diagnoseSockets(parseSockets(fixture('server-ss-tan.txt')));
    const aq = d.findings.find((f) => f.kind === 'accept-queue') as Finding;
    assert.deepEqual([aq.count, aq.limit, aq.severity], [3, 2, 'error']);
    const sr = d.findings.find((f) => f.kind === 'syn-recv') as Finding;
    assert.equal(sr.limit, 8);
    assert.match(findingText(sr, formatEn), /as many as its backlog \(8\)/);
  });

  it('client: FIN_WAIT2 (the peer never closes), SYN_SENT without answer, Send-Q not taken; TIME_WAIT only past its threshold', () => {
    const doc = parseSockets(fixture('client-netstat-nat.txt'));
    const d = diagnoseSockets(doc);
    assert.deepEqual([...new Set(kinds(d.findings))], ['fin-wait-2', 'send-q', 'syn-sent']);
    assert.equal(d.findings.find((f) => f.kind === 'syn-sent')?.where, '10.99.0.1:8080');
    // 30 active closes are normal; with a threshold below 30 they become the port-exhaustion finding
    const low = diagnoseSockets(doc, { ...DEFAULT_THRESHOLDS, timeWait: 20 });
    const tw = low.findings.find((f) => f.kind === 'time-wait') as Finding;
    assert.deepEqual([tw.count, tw.where], [30, '10.99.0.1:9001']);
  });

  it("late server snapshot: a shut-down server's FIN_WAIT1 pile, and its queued data as one finding for the port", () => {
    const doc = parseSockets(fixture('server-late-netstat-antp.txt'));
    const d = diagnoseSockets(doc);
    const fw = d.findings.find((f) => f.kind === 'fin-wait-1') as Finding;
    assert.deepEqual([fw.count, fw.where], [4, '10.99.0.1:9003']);
    const sq = d.findings.filter((f) => f.kind === 'send-q');
    assert.equal(sq.length, 1);
    assert.equal(sq[0].connections, 4);
    assert.equal(sq[0].count, Math.max(...doc.rows.filter((r) => r.local.port === 9003).map((r) => r.sendQ)));
    assert.match(findingText(sq[0], formatEn), /^4 connections with 10\.99\.0\.1:9003 have data waiting in Send-Q/);
    // the client closed one never-read connection: FIN_WAIT1 behind its Send-Q
    const c = parseSockets(fixture('client-late-netstat-nat.txt')).rows.find((r) => r.stateText === 'FIN_WAIT1');
    assert.ok(c && c.sendQ > 0 && c.peer.port === 9002);
  });

  it("count lines: the tutorial's TIME_WAIT 814 is a finding, CLOSE_WAIT 1 is not", () => {
    const d = diagnoseSockets(parseSockets('TIME_WAIT 814\nCLOSE_WAIT 1\nFIN_WAIT1 298\nESTABLISHED 70\nSYN_RECV 2\n'));
    assert.deepEqual(kinds(d.findings), ['fin-wait-1', 'time-wait']);
    assert.equal(d.snapshots[0].total, 814 + 1 + 298 + 70 + 2);
  });

  it('summary: counts per state and port, unusual ones marked', () => {
    const d = diagnoseSockets(parseSockets(fixture('server-netstat-nat.txt')));
    const s = d.snapshots[0];
    assert.equal(s.byState[S_SYN_RCVD], 9);
    assert.equal(s.ports.find((p) => p.port === 8081)?.side, 'local');
    const text = summaryLensText(s, d.findings.length, formatEn);
    const rows = parseSockets(fixture('server-netstat-nat.txt')).rows.length;
    assert.ok(text.startsWith(rows + ' TCP sockets: '), text);
    assert.match(text, /9 SYN_RCVD \(unusual\)/);
    assert.match(text, /4 CLOSE_WAIT \(unusual\)/);
    assert.match(text, /[^(]\d+ LISTEN(,|$| )/); // LISTEN is no trouble
    assert.match(summaryLensText(s, d.findings.length, zhCn()), /个 TCP 套接字/);
  });

  it('two snapshots one after the other: what changed', () => {
    const text = fixture('client-two-snapshots.txt');
    const doc = parseSockets(text);
    assert.equal(doc.snapshotLines.length, 2);
    const d = diagnoseSockets(doc);
    assert.equal(d.diffs.length, 1);
    const a = doc.rows.filter((r) => r.snapshot === 0);
    const b = doc.rows.filter((r) => r.snapshot === 1);
    const x = d.diffs[0];
    assert.equal(
      x.delta.reduce((n, v) => n + v, 0),
      b.length - a.length,
    );
    assert.equal(a.length - x.gone + x.appeared, b.length);
  });

  it('a Recv-Q that grew between snapshots says so', () => {
    const one = 'tcp   5000   0 10.0.0.1:80   10.0.0.2:5000   ESTABLISHED\n';
    const two = 'tcp   9000   0 10.0.0.1:80   10.0.0.2:5000   ESTABLISHED\n';
    const d = diagnoseSockets(parseSockets('$ netstat -nat\n' + one + '$ netstat -nat\n' + two));
    const f = d.findings.filter((x) => x.kind === 'recv-q');
    assert.equal(f.length, 2);
    assert.match(findingText(f[1], formatEn), /grew from 5000 to 9000 bytes/);
    assert.equal(d.diffs[0].recvGrew, 1);
  });
});

describe('sockets: hovers', () => {
  const text = fixture('server-netstat-antp.txt');
  const lines = text.split('\n');
  const doc = parseSockets(text);

  function hover(needle: string, word: string, t = formatEn): string {
    const ln = lines.findIndex((l) => l.includes(needle));
    assert.ok(ln >= 0, needle);
    const col = lines[ln].indexOf(word, lines[ln].indexOf(needle) >= 0 ? 0 : 0);
    const h = socketsHoverAt(doc, ln, col + 1, lines[ln], t);
    assert.ok(h, needle + ' / ' + word);
    assert.equal(lines[ln].slice(h.range.start, h.range.end), word);
    return h.markdown;
  }

  it("a state: the capture's explanation, the side, how long and the kernel setting", () => {
    const md = hover('CLOSE_WAIT', 'CLOSE_WAIT');
    assert.match(md, /CLOSE\\_WAIT/);
    assert.match(md, /passive close/);
    assert.match(md, /no timeout/);
    const sr = hover('SYN_RECV', 'SYN_RECV');
    assert.match(sr, /tcp\\_synack\\_retries/);
    assert.match(sr, /SYN\\_RECV is how this tool prints SYN\\_RCVD/);
  });

  it('Recv-Q on a LISTEN line is the accept queue', () => {
    const ln = lines.findIndex((l) => l.includes(':8080 ') && l.includes('LISTEN'));
    const col = lines[ln].indexOf('3');
    const h = socketsHoverAt(doc, ln, col, lines[ln], formatEn);
    assert.ok(h);
    assert.match(h.markdown, /accept queue/);
    assert.match(h.markdown, /3 connections are waiting/);
  });

  it('ss -i fields in words, in English and Chinese', () => {
    const t2 = fixture('server-ss-tani.txt');
    const l2 = t2.split('\n');
    const d2 = parseSockets(t2);
    const ln = l2.findIndex((l) => l.includes('rtt:'));
    const h = socketsHoverAt(d2, ln, l2[ln].indexOf('rtt:') + 1, l2[ln], formatEn);
    assert.ok(h);
    assert.match(h.markdown, /round\\-trip time/);
    const z = socketsHoverAt(d2, ln, l2[ln].indexOf('cwnd:') + 1, l2[ln], zhCn());
    assert.ok(z);
    assert.match(z.markdown, /拥塞窗口/);
  });

  it("every ss -i field of the real outputs and the issue's list has its own words, in both languages", () => {
    const keys = new Set(['rtt', 'rto', 'cwnd', 'ssthresh', 'bytes_acked', 'retrans', 'busy', 'rwnd_limited', 'sndbuf_limited', 'skmem']);
    for (const f of ['server-ss-tani.txt', 'client-ss-tani.txt', 'server-ss-tinm.txt', 'client-ss-tinm.txt'])
      for (const r of parseSockets(fixture(f)).rows) for (const k of r.info.keys()) keys.add(k);
    assert.ok(keys.size > 30, [...keys].join(' '));
    const generic = explainInfo('no-such-field', '', formatEn).text[0];
    const genericZh = explainInfo('no-such-field', '', zhCn()).text[0];
    for (const k of keys) {
      assert.notEqual(explainInfo(k, '', formatEn).text[0], generic, k);
      const zh = explainInfo(k, '', zhCn()).text[0];
      assert.notEqual(zh, genericZh, k);
      assert.notEqual(zh, explainInfo(k, '', formatEn).text[0], k + ' has no Chinese');
    }
  });

  it('a port: its well-known service', () => {
    const md = hover('10.99.0.1:8080', '8080');
    assert.match(md, /HTTP/);
  });
});

describe('sockets: the seeds of the tutorial', function () {
  before(function () {
    if (!fs.existsSync(SEEDS))
      skipBecause(this, `no seeds at ${path.relative(ROOT, SEEDS)} (the shared folder beside the repository)`);
  });

  it('reads every seed without an unreadable line', () => {
    for (const f of fs.readdirSync(SEEDS).filter((x) => x.endsWith('.txt'))) {
      const text = fs.readFileSync(path.join(SEEDS, f), 'utf8');
      const d = parseSockets(text);
      assert.deepEqual(d.unreadable, [], f);
      // a tutorial's prose about netstat (its commands, its state names) is not taken for output
      assert.ok(!looksLikeSockets(d, text), f);
    }
  });
});

describe('sockets: at a packet of a capture', () => {
  const C = { src: '10.0.0.1', sport: 40000 };
  const S = { src: '10.0.0.2', sport: 80 };
  const frames = [
    tcpFrame({ src: C.src, dst: S.src, sport: C.sport, dport: S.sport, seq: 100, flags: TH_SYN, win: 64240 }),
    tcpFrame({
      src: S.src,
      dst: C.src,
      sport: S.sport,
      dport: C.sport,
      seq: 500,
      ack: 101,
      flags: TH_SYN | TH_ACK,
      win: 65160,
    }),
    tcpFrame({ src: C.src, dst: S.src, sport: C.sport, dport: S.sport, seq: 101, ack: 501, flags: TH_ACK, win: 502 }),
    tcpFrame({
      src: C.src,
      dst: S.src,
      sport: C.sport,
      dport: S.sport,
      seq: 101,
      ack: 501,
      flags: TH_FIN | TH_ACK,
      win: 502,
    }),
    tcpFrame({ src: S.src, dst: C.src, sport: S.sport, dport: C.sport, seq: 501, ack: 102, flags: TH_ACK, win: 509 }),
    tcpFrame({
      src: S.src,
      dst: C.src,
      sport: S.sport,
      dport: C.sport,
      seq: 501,
      ack: 102,
      flags: TH_FIN | TH_ACK,
      win: 509,
    }),
    tcpFrame({ src: C.src, dst: S.src, sport: C.sport, dport: S.sport, seq: 102, ack: 502, flags: TH_ACK, win: 502 }),
  ];
  const times = [0, 0.001, 0.002, 1, 1.001, 2, 2.001];
  let file: string;
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-sockets-'));
    file = path.join(dir, 'close.pcap');
    fs.writeFileSync(
      file,
      Buffer.concat([
        pcapHeader(),
        ...frames.map((f, i) => pcapRecord(1700000000 + Math.floor(times[i]), Math.round((times[i] % 1) * 1e6), f)),
      ]),
    );
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function statesAt(engine: TcpEngine, at: number, ts?: number[]): Record<string, number[]> {
    const s = socketsAtPacket(engine, engine.summaries(), at, ts);
    return Object.fromEntries(s.hosts.map((h) => [h.addr, h.sockets.map((x) => x.state)]));
  }

  it("gives both ends' states after each packet, in netstat -nat's layout the parser reads back", async () => {
    const { engine } = await analyzeCaptureFile(file);
    assert.deepEqual(statesAt(engine, 0), { '10.0.0.2': [S_LISTEN, S_SYN_RCVD], '10.0.0.1': [S_SYN_SENT] });
    assert.deepEqual(statesAt(engine, 4), { '10.0.0.2': [S_LISTEN, S_CLOSE_WAIT], '10.0.0.1': [S_FIN_WAIT_2] });
    assert.deepEqual(statesAt(engine, 5), { '10.0.0.2': [S_LISTEN, S_LAST_ACK], '10.0.0.1': [S_TIME_WAIT] });
    assert.deepEqual(statesAt(engine, 6), { '10.0.0.2': [S_LISTEN], '10.0.0.1': [S_TIME_WAIT] });
    const s = socketsAtPacket(engine, engine.summaries(), 4);
    const server = s.hosts.find((h) => h.addr === '10.0.0.2');
    assert.ok(server);
    const back = parseSockets(netstatLines(server).join('\n'));
    assert.deepEqual(back.unreadable, []);
    assert.deepEqual(
      back.rows.map((r) => [r.state, r.local.port, r.peer.port, r.recvQ]),
      [
        [S_LISTEN, 80, -1, -1],
        [S_CLOSE_WAIT, 80, 40000, -1],
      ],
    );
  });

  it("a TIME_WAIT older than 60 s at the packet's time is gone", async () => {
    // a second connection starts later: at its SYN the first one's TIME_WAIT is 30 s or 98 s old
    const later = tcpFrame({
      src: C.src,
      dst: S.src,
      sport: 40001,
      dport: S.sport,
      seq: 900,
      flags: TH_SYN,
      win: 64240,
    });
    for (const [at, expired] of [
      [32.001, 0],
      [100, 1],
    ] as const) {
      const f = path.join(dir, `later-${at}.pcap`);
      const ts = [...times, at];
      fs.writeFileSync(
        f,
        Buffer.concat([
          pcapHeader(),
          ...[...frames, later].map((fr, i) =>
            pcapRecord(1700000000 + Math.floor(ts[i]), Math.round((ts[i] % 1) * 1e6), fr),
          ),
        ]),
      );
      const { engine } = await analyzeCaptureFile(f);
      const s = socketsAtPacket(engine, engine.summaries(), 7, ts);
      assert.equal(s.expired, expired, String(at));
      const client = s.hosts.find((h) => h.addr === C.src);
      assert.deepEqual(
        client?.sockets.map((x) => x.state),
        expired ? [S_SYN_SENT] : [S_TIME_WAIT, S_SYN_SENT],
      );
    }
  });

  it('the capture editor: its worker answers `sockets` with the tables of the CLI\'s pass (TIME_WAIT expiry from its time columns)', async function () {
    this.timeout(20000);
    const workerJs = path.join(ROOT, 'dist', 'worker.js');
    if (!fs.existsSync(workerJs)) return skipBecause(this, 'dist/worker.js not built; run npm run build');
    // the connection closes, a second one starts 98 s later: its client's TIME_WAIT has expired by then
    const later = tcpFrame({ src: C.src, dst: S.src, sport: 40001, dport: S.sport, seq: 900, flags: TH_SYN, win: 64240 });
    const ts = [...times, 100];
    const f = path.join(dir, 'editor.pcap');
    fs.writeFileSync(
      f,
      Buffer.concat([
        pcapHeader(),
        ...[...frames, later].map((fr, i) => pcapRecord(1700000000 + Math.floor(ts[i]), Math.round((ts[i] % 1) * 1e6), fr)),
      ]),
    );
    const { engine } = await analyzeCaptureFile(f);
    const c = new WorkerClient(new Worker(workerJs));
    try {
      c.openPath(f);
      for (const at of [0, 4, 5, 7]) {
        const got = await c.socketsAt(at);
        assert.deepEqual(got, socketsAtPacket(engine, engine.summaries(), at, ts), String(at));
      }
      const at7 = await c.socketsAt(7);
      assert.equal(at7.expired, 1);
      assert.deepEqual(
        at7.hosts.map((h) => [h.addr, h.sockets.map((x) => x.state)]),
        [
          ['10.0.0.2', [S_LISTEN]],
          ['10.0.0.1', [S_SYN_SENT]],
        ],
      );
      // a packet the capture does not have is an error reply, not a hang
      await assert.rejects(c.socketsAt(8), /no packet 8/);
    } finally {
      await c.close();
    }
  });

  it('a packet after the last TCP one (a UDP datagram): the last TCP states, its own number and clock', async () => {
    const dns = udpFrame({ src: C.src, dst: '10.0.0.53', sport: 5353, dport: 53, payload: [1, 2, 3, 4] });
    const ts = [...times, 70];
    const f = path.join(dir, 'udp-last.pcap');
    fs.writeFileSync(
      f,
      Buffer.concat([
        pcapHeader(),
        ...[...frames, dns].map((fr, i) => pcapRecord(1700000000 + Math.floor(ts[i]), Math.round((ts[i] % 1) * 1e6), fr)),
      ]),
    );
    const idx = new CaptureIndex(fileInput(f));
    await idx.start();
    try {
      const s = await idx.socketsAt(7);
      // packet 8 is the UDP one; the client's TIME_WAIT (entered at 2.001 s) is 68 s old at 70 s
      assert.equal(s.packet, 7);
      assert.equal(s.expired, 1);
      assert.match(socketsAtPacketText(s, formatEn)[0], /after packet 8\b/);
      assert.deepEqual(
        s.hosts.map((h) => [h.addr, h.sockets.map((x) => x.state)]),
        [['10.0.0.2', [S_LISTEN]]],
      );
    } finally {
      await idx.close();
    }
  });
});

describe('sockets: at a packet of a tcpdump text log (the editor command)', () => {
  it('the netstat view of the packet under the cursor, read back by the sockets parser and diagnosed', () => {
    const lines = ['12:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 100, win 64240, length 0'];
    lines.push('12:00:00.001000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 500, ack 101, win 65160, length 0');
    lines.push('12:00:00.002000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 502, length 0');
    lines.push('12:00:01.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 1, ack 1, win 502, length 0');
    lines.push('12:00:01.001000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 2, win 509, length 0');
    const m = analyzeLog(lines.join('\n') + '\n');
    const times = m.log.packets.map((p) => p.tsSec + p.tsNsec / 1e9);
    const text = socketsAtPacketText(socketsAtPacket(m.engine, m.summaries, 4, times), formatEn).join('\n');
    assert.match(text, /Sockets on 10\.0\.0\.2 after packet 5/);
    const doc = parseSockets(text);
    assert.deepEqual(doc.unreadable, []);
    assert.equal(doc.snapshotLines.length, 2); // one table per host
    assert.deepEqual(
      doc.rows.map((r) => [r.local.addr, r.stateText]),
      [
        ['10.0.0.2', 'LISTEN'],
        ['10.0.0.2', 'CLOSE_WAIT'],
        ['10.0.0.1', 'FIN_WAIT2'],
      ],
    );
    assert.match(socketsAtPacketText(socketsAtPacket(m.engine, m.summaries, 4, times), zhCn())[0], /10\.0\.0\.2 在第 5 个包之后的套接字/);
  });
});

describe('sockets: CLI', function () {
  this.timeout(20000);

  function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('sockets FILE: summary and findings; --json; --zh', () => {
    const f = path.join(FIX, 'server-netstat-antp.txt');
    const r = run(['sockets', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout.startsWith(parseSockets(fixture('server-netstat-antp.txt')).rows.length + ' TCP sockets: '),
      r.stdout,
    );
    assert.match(r.stdout, /warning: 4 sockets in CLOSE_WAIT on 10\.99\.0\.1:9000, held by python3/);
    const j = JSON.parse(run(['sockets', f, '--json']).stdout);
    assert.equal(j.snapshots[0].states.CLOSE_WAIT, 4);
    assert.ok(j.findings.some((x: { kind: string }) => x.kind === 'syn-recv'));
    const z = run(['sockets', f, '--zh']);
    assert.match(z.stdout, /CLOSE_WAIT，由 python3/);
  });

  it('sockets FILE on an ss -s output: its totals and findings (it used to say there was no socket line)', () => {
    const r = run(['sockets', path.join(FIX, 'busy-ss-s.txt')]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'line 2: ss -s: 852 TCP sockets (120 established, 120 orphaned, 600 in TIME_WAIT) · 2 findings');
    assert.match(lines[1], /^line 3: warning: 120 orphaned TCP sockets/);
    assert.match(lines[2], /^line 3: info: 600 sockets in TIME_WAIT/);
    const j = JSON.parse(run(['sockets', '--json', path.join(FIX, 'busy-ss-s.txt')]).stdout) as {
      ssSummaries: Record<string, number>[];
      findings: { kind: string }[];
    };
    assert.equal(j.ssSummaries[0].orphaned, 120);
    assert.deepEqual(
      j.findings.map((f) => f.kind),
      ['orphaned', 'time-wait'],
    );
    assert.match(run(['sockets', '--zh', path.join(FIX, 'server-ss-s.txt')]).stdout, /^第 2 行: ss -s: 49 个 TCP 套接字/);
  });

  it('sockets: unreadable input exits 1 with one line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-sockets-cli-'));
    try {
      const prose = path.join(dir, 'prose.txt');
      fs.writeFileSync(prose, 'nothing here\nbut words\n');
      const r = run(['sockets', prose]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^capture-lens: .*has no netstat, ss or lsof socket line\n$/);
      const bin = path.join(dir, 'x.bin');
      fs.writeFileSync(bin, Buffer.from([0, 1, 2, 3]));
      assert.equal(run(['sockets', bin]).code, 1);
      assert.equal(run(['sockets', path.join(dir, 'missing.txt')]).code, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sockets CAPTURE --at N: the tables on both hosts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-sockets-cli-'));
    try {
      const f = path.join(dir, 'hs.pcap');
      const syn = tcpFrame({
        src: '10.0.0.1',
        dst: '10.0.0.2',
        sport: 40000,
        dport: 80,
        seq: 1000,
        flags: TH_SYN,
        win: 64240,
      });
      const synack = tcpFrame({
        src: '10.0.0.2',
        dst: '10.0.0.1',
        sport: 80,
        dport: 40000,
        seq: 5000,
        ack: 1001,
        flags: TH_SYN | TH_ACK,
        win: 65160,
      });
      fs.writeFileSync(
        f,
        Buffer.concat([pcapHeader(), pcapRecord(1700000000, 1, syn), pcapRecord(1700000000, 2, synack)]),
      );
      const r = run(['sockets', f, '--at', '2']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Sockets on 10\.0\.0\.2 after packet 2/);
      assert.match(r.stdout, /10\.0\.0\.2:80 +10\.0\.0\.1:40000 +SYN_RECV/);
      assert.match(r.stdout, /10\.0\.0\.1:40000 +10\.0\.0\.2:80 +ESTABLISHED/);
      const bad = run(['sockets', f, '--at', '3']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /there is no packet 3/);
      assert.equal(run(['sockets', f, '--at', 'x']).code, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sockets: the netstat language (package.json), detection and outline', () => {
  interface Lang {
    id: string;
    firstLine?: string;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { languages: Lang[]; grammars: { language: string; path: string }[] };
  };
  const netstat = pkg.contributes.languages.find((l) => l.id === 'netstat');
  const tcpdump = pkg.contributes.languages.find((l) => l.id === 'tcpdump');
  const files = fs.readdirSync(FIX).filter((f) => f.endsWith('.txt'));

  it('has a language with its grammar', () => {
    assert.ok(netstat?.firstLine);
    assert.ok(pkg.contributes.grammars.some((g) => g.language === 'netstat' && fs.existsSync(path.join(ROOT, g.path))));
  });

  it("firstLine: every fixture (its command line) and netstat's own first lines; no tcpdump line", () => {
    const re = new RegExp(netstat?.firstLine ?? '(?!)');
    const tre = new RegExp(tcpdump?.firstLine ?? '(?!)');
    for (const f of files) {
      const [first, second] = fixture(f).split('\n');
      assert.ok(re.test(first), f);
      assert.ok(!tre.test(first) && !tre.test(second), f + ' is not tcpdump');
      if (/netstat-(nat|antp|an)\.txt$|ss-ta/.test(f)) assert.ok(re.test(second), f + ': ' + second);
    }
    for (const l of [
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
      'State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
      '  Proto  Local Address          Foreign Address        State           PID',
    ])
      assert.ok(re.test(l), l);
    for (const f of fs.readdirSync(path.join(ROOT, 'test', 'grammar')).filter((x) => x.endsWith('.test.tcpdump'))) {
      for (const line of fs.readFileSync(path.join(ROOT, 'test', 'grammar', f), 'utf8').split('\n')) {
        if (line.startsWith('#')) continue;
        assert.ok(!re.test(line), f + ': ' + line);
      }
    }
  });

  it("detection: a paste without its header is netstat output; a tutorial's prose with one line is not", () => {
    const rows = fixture('server-grep-9002.txt').split('\n').slice(1).join('\n');
    assert.ok(looksLikeSockets(parseSockets(rows), rows));
    const prose = [
      'The server shows:',
      'tcp        0      0 10.1.1.1:80     10.1.1.2:5000     CLOSE_WAIT',
      'which means the application did not close.',
      'See the next section.',
      'And another line.',
      'And one more.',
      'tcp        0      0 10.1.1.1:80     10.1.1.2:5001     ESTABLISHED',
    ].join('\n');
    assert.ok(!looksLikeSockets(parseSockets(prose), prose));
    // an ss -s pasted without its command line; a "Total: 3" in prose is not one
    const ss = fixture('busy-ss-s.txt').split('\n').slice(1).join('\n');
    assert.ok(looksLikeSockets(parseSockets(ss), ss));
    const totals = ['Shopping list', 'Total: 3', 'apples', 'pears'].join('\n');
    assert.ok(!looksLikeSockets(parseSockets(totals), totals));
  });

  it('outline: one symbol per listening port and per destination', () => {
    const syms = portSymbols(parseSockets(fixture('server-netstat-nat.txt')));
    const p9000 = syms.find((x) => x.name === ':9000');
    assert.ok(p9000);
    assert.equal(p9000.states, '4 CLOSE_WAIT, 1 LISTEN');
    const client = portSymbols(parseSockets(fixture('client-netstat-nat.txt')));
    assert.equal(client.find((x) => x.name === '→ 10.99.0.1:9001')?.lines.length, 30);
  });
});
