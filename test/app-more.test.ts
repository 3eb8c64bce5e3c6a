/**
 * The remaining application protocols of the port tables: SSH, SMTP, POP3, IMAP, telnet (TCP) and
 * DHCP/BOOTP, NTP, SSDP, mDNS (UDP). For each: fields with byte ranges inside the payload, Info text,
 * hostile bytes (every truncation, random mutations), the printer against the installed tcpdump on
 * generated captures (test/helpers/appSamples.ts, whole and cut by the capture length, -n to -vvv),
 * and the decoder against tshark field by field on the generated captures and on every corpus capture
 * carrying the protocol, differences listed with a reason in test/app-tshark-differences.tsv.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CORPUS, corpusPath, needCorpus, readAll, readManifest } from './helpers/corpus';
import { needTool } from './helpers/tools';
import { compareWithTshark, corpusCaptures, FieldDiff, printBoth, readDiffTsv, tree, writePcap } from './helpers/appCheck';
import * as S from './helpers/appSamples';
import { findField, FieldNode } from '../src/core/decode/fields';
import { appFields, appInfo } from '../src/core/decode/app/index';
import { decodeFrame } from '../src/core/decode/index';
import { DecodedPacket } from '../src/core/decode/packet';
import { PrintContext } from '../src/core/print/context';
import { defaultPrintOptions } from '../src/core/print/options';
import { TCP_APP_PRINTERS, UDP_APP_PRINTERS } from '../src/core/print/app/index';
import { blankRecord, type CaptureRecord } from '../src/core/capture/types';
import { compileFilter, parseFilter, RecordColumns } from '../src/core/filter/index';
import { bundleTranslator, formatEn } from '../src/core/explain/l10n';
import { explainMoreAppField } from '../src/core/explain/app';
import { buildDetails } from '../src/extension/capture/details';

interface Proto {
  name: string;
  samples: () => S.Sample[];
  /** tshark display filter and the fields compared. */
  display: string;
  fields: string[];
}

const PROTOS: Proto[] = [
  { name: 'ssh', samples: S.sshSamples, display: 'ssh', fields: ['ssh.protocol', 'ssh.packet_length', 'ssh.message_code', 'ssh.kex_algorithms', 'ssh.server_host_key_algorithms', 'ssh.encryption_algorithms_client_to_server', 'ssh.compression_algorithms_server_to_client'] },
  { name: 'smtp', samples: S.smtpSamples, display: 'smtp', fields: ['smtp.req.command', 'smtp.req.parameter', 'smtp.response.code', 'smtp.rsp.parameter'] },
  { name: 'pop3', samples: S.pop3Samples, display: 'pop', fields: ['pop.request.command', 'pop.request.parameter', 'pop.response.indicator', 'pop.response.description'] },
  { name: 'imap', samples: S.imapSamples, display: 'imap', fields: ['imap.isrequest', 'imap.request', 'imap.request_tag', 'imap.request.command', 'imap.response', 'imap.response_tag', 'imap.response.status'] },
  { name: 'telnet', samples: S.telnetSamples, display: 'telnet', fields: ['telnet.cmd', 'telnet.subcmd'] },
  { name: 'dhcp', samples: S.dhcpSamples, display: 'dhcp', fields: ['dhcp.type', 'dhcp.id', 'dhcp.flags', 'dhcp.hw.mac_addr', 'dhcp.ip.client', 'dhcp.ip.your', 'dhcp.ip.relay', 'dhcp.option.dhcp', 'dhcp.option.hostname', 'dhcp.option.requested_ip_address', 'dhcp.option.dhcp_server_id', 'dhcp.option.ip_address_lease_time', 'dhcp.option.subnet_mask', 'dhcp.option.router', 'dhcp.option.domain_name_server', 'dhcp.option.domain_name'] },
  { name: 'ntp', samples: S.ntpSamples, display: 'ntp', fields: ['ntp.flags.li', 'ntp.flags.vn', 'ntp.flags.mode', 'ntp.stratum', 'ntp.ppoll', 'ntp.precision', 'ntp.rootdelay', 'ntp.rootdispersion', 'ntp.refid', 'ntp.reftime', 'ntp.xmt'] },
  { name: 'ssdp', samples: S.ssdpSamples, display: 'ssdp', fields: ['http.request.method', 'http.request.uri', 'http.request.version', 'http.response.code'] },
  { name: 'mdns', samples: S.mdnsSamples, display: 'mdns', fields: ['dns.flags.response', 'dns.qry.name', 'dns.qry.type', 'dns.a'] },
];

function decode(s: S.Sample, caplen = s.frame.length): { pkt: DecodedPacket; root: FieldNode } {
  return tree(s.frame.subarray(0, caplen), s.frame.length);
}

function walk(n: FieldNode, f: (n: FieldNode) => void): void {
  f(n);
  for (const c of n.children ?? []) walk(c, f);
}

function value(root: FieldNode, name: string): unknown {
  return findField(root, name)?.value;
}

function bytesText(frame: Uint8Array, n: FieldNode | undefined): string {
  assert.ok(n, 'field missing');
  return String.fromCharCode(...frame.subarray(n.offset, n.offset + n.length));
}

describe('application protocols (SSH, mail, telnet, DHCP, NTP, SSDP): decoders', () => {
  it('SSH: the version line and KEXINIT name-lists, with their bytes', () => {
    const s = S.sshSamples();
    const b = decode(s[0]).root;
    assert.equal(value(b, 'ssh.protocol'), 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3');
    assert.equal(bytesText(s[0].frame, findField(b, 'ssh.protocol')), 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3');
    const k = decode(s[2]).root;
    assert.equal(value(k, 'ssh.message_code'), 20);
    assert.equal(value(k, 'ssh.kex_algorithms'), S.KEX_LISTS[0]);
    assert.equal(bytesText(s[2].frame, findField(k, 'ssh.encryption_algorithms_server_to_client')), S.KEX_LISTS[3]);
    assert.equal(value(k, 'ssh.languages_client_to_server'), '');
    assert.equal(value(decode(s[5]).root, 'ssh.protocol'), undefined, 'a version line without its end is not decoded yet');
  });

  it('SMTP: commands, reply codes and parameters; the message after DATA is text', () => {
    const s = S.smtpSamples();
    const ehlo = decode(s[1]).root;
    assert.deepEqual([value(ehlo, 'smtp.req.command'), value(ehlo, 'smtp.req.parameter')], ['EHLO', 'client.example.org']);
    const multi = decode(s[2]).root;
    assert.equal(value(multi, 'smtp.response.code'), 250);
    const params: string[] = [];
    walk(multi, (n) => n.name === 'smtp.rsp.parameter' && params.push(String(n.value)));
    assert.deepEqual(params, ['mail.example.com', 'PIPELINING', 'SIZE 10240000', '8BITMIME']);
    const data = decode(s[8]).root;
    assert.equal(value(data, 'smtp.req.command'), undefined);
    assert.equal(value(data, 'smtp.data'), 'Subject: hi');
    assert.equal(value(decode(s[12]).root, 'smtp.req.command'), 'EHLO', 'port 587 is SMTP too');
  });

  it('POP3 and IMAP: commands, status indicators, tags', () => {
    const p = S.pop3Samples();
    const user = decode(p[1]).root;
    assert.deepEqual([value(user, 'pop.request.command'), value(user, 'pop.request.parameter')], ['USER', 'alice']);
    const err = decode(p[9]).root;
    assert.deepEqual([value(err, 'pop.response.indicator'), value(err, 'pop.response.description')], ['-ERR', 'no such message']);
    const m = S.imapSamples();
    const login = decode(m[1]).root;
    assert.deepEqual([value(login, 'imap.request_tag'), value(login, 'imap.request.command'), value(login, 'imap.isrequest')], ['a001', 'LOGIN', true]);
    const sel = decode(m[4]).root;
    assert.deepEqual([value(sel, 'imap.response_tag'), value(sel, 'imap.response.status')], ['a002', 'OK']);
    assert.equal(value(decode(m[0]).root, 'imap.response'), undefined, 'an untagged reply is a line, as in Wireshark');
  });

  it('telnet: commands and options, the data between them', () => {
    const t = S.telnetSamples();
    const cmds: number[] = [];
    const opts: number[] = [];
    walk(decode(t[0]).root, (n) => {
      if (n.name === 'telnet.cmd') cmds.push(n.value as number);
      if (n.name === 'telnet.subcmd') opts.push(n.value as number);
    });
    assert.deepEqual([cmds, opts], [[253, 253, 253, 253], [24, 32, 35, 39]]);
    assert.equal(value(decode(t[5]).root, 'telnet.data'), 'login: ');
    assert.equal(findField(decode(t[3]).root, 'telnet.command')!.label, 'SB TERMINAL TYPE');
  });

  it('DHCP: header, message type and options with their bytes', () => {
    const d = S.dhcpSamples();
    const disc = decode(d[0]).root;
    assert.equal(value(disc, 'dhcp.option.dhcp'), 1);
    assert.equal(value(disc, 'dhcp.hw.mac_addr'), '00:0c:29:12:34:56');
    assert.equal(value(disc, 'dhcp.option.hostname'), 'host');
    assert.equal(bytesText(d[0].frame, findField(disc, 'dhcp.option.hostname')), 'host');
    const offer = decode(d[1]).root;
    assert.deepEqual([value(offer, 'dhcp.ip.your'), value(offer, 'dhcp.option.ip_address_lease_time'), value(offer, 'dhcp.option.subnet_mask')], ['192.168.1.100', 86400, '255.255.255.0']);
    assert.match(JSON.stringify(decode(d[10]).root), /BOOTP message cut short/);
  });

  it('NTP: flags, stratum, timestamps', () => {
    const n = S.ntpSamples();
    const srv = decode(n[1]).root;
    assert.deepEqual([value(srv, 'ntp.flags.vn'), value(srv, 'ntp.flags.mode'), value(srv, 'ntp.stratum'), value(srv, 'ntp.refid')], [4, 4, 2, 'c0a801fe']);
    assert.equal(value(srv, 'ntp.xmt'), 'Mar 20, 2024 02:01:21.000000119 UTC');
    assert.equal(value(decode(n[0]).root, 'ntp.org'), 'NULL');
  });

  it('SSDP: the start line and the announcement headers', () => {
    const s = S.ssdpSamples();
    const notify = decode(s[1]).root;
    assert.deepEqual([value(notify, 'http.request.method'), value(notify, 'ssdp.nt'), value(notify, 'ssdp.location')], ['NOTIFY', 'upnp:rootdevice', 'http://192.168.1.20:80/desc.xml']);
    assert.equal(value(decode(s[2]).root, 'http.response.code'), 200);
  });

  it('Info: what each packet is, in Wireshark\'s words', () => {
    const info = (s: S.Sample): string => appInfo(decode(s).pkt);
    assert.equal(info(S.sshSamples()[0]), 'Server: Protocol (SSH-2.0-OpenSSH_8.9p1 Ubuntu-3)');
    assert.equal(info(S.sshSamples()[2]), 'Client: Key Exchange Init');
    assert.equal(info(S.smtpSamples()[1]), 'C: EHLO client.example.org');
    assert.equal(info(S.smtpSamples()[2]), 'S: 250-mail.example.com | 250-PIPELINING | 250-SIZE 10240000 | 250 8BITMIME');
    assert.equal(info(S.pop3Samples()[1]), 'C: USER alice');
    assert.equal(info(S.imapSamples()[1]), 'Request: a001 LOGIN alice secret');
    assert.equal(info(S.telnetSamples()[0]), 'Telnet DO TERMINAL TYPE, DO TSPEED, DO XDISPLOC, DO NEW-ENVIRON');
    assert.equal(info(S.dhcpSamples()[0]), 'DHCP Discover - Transaction ID 0x3903f326');
    assert.equal(info(S.ntpSamples()[1]), 'NTP Version 4, server');
    assert.equal(info(S.ssdpSamples()[0]), 'M-SEARCH * HTTP/1.1');
  });

  it('registers every field for the filter list, once', () => {
    const names = appFields().map((f) => f.name);
    for (const f of ['ssh.protocol', 'ssh.kex_algorithms', 'smtp.req.command', 'pop.request.command', 'imap.request', 'telnet.cmd', 'dhcp.option.dhcp', 'ntp.flags.mode', 'ssdp.nt']) assert.ok(names.includes(f), f);
    assert.equal(names.length, new Set(names).size);
  });
});

describe('application protocols: filter fields and explanations', () => {
  /** 1-based numbers of the samples a Wireshark-syntax filter keeps. */
  const keep = (samples: S.Sample[], expr: string): number[] => {
    const cols = new RecordColumns(samples.map((s, i): CaptureRecord => ({ ...blankRecord('pcap'), index: i, data: s.frame, origLen: s.frame.length, linkType: 1 })));
    const pred = compileFilter(parseFilter(expr), cols);
    return samples.map((_s, i) => i + 1).filter((n) => pred(n - 1));
  };

  it('filters on the decoded fields (Wireshark syntax)', () => {
    assert.deepEqual(keep(S.smtpSamples(), 'smtp.req.command == "EHLO"'), [2, 13]);
    assert.deepEqual(keep(S.smtpSamples(), 'smtp.response.code >= 300'), [8]);
    assert.deepEqual(keep(S.pop3Samples(), 'pop.response.indicator == "-ERR"'), [10]);
    assert.deepEqual(keep(S.imapSamples(), 'imap.request.command == "LOGIN"'), [2]);
    assert.deepEqual(keep(S.sshSamples(), 'ssh.kex_algorithms contains "curve25519"'), [3]);
    assert.deepEqual(keep(S.telnetSamples(), 'telnet.subcmd == 31'), [2, 5]);
    assert.deepEqual(keep(S.dhcpSamples(), 'dhcp.option.dhcp == 5'), [4]);
    assert.deepEqual(keep(S.dhcpSamples(), 'dhcp.ip.your == 192.168.1.100'), [2, 4]);
    assert.deepEqual(keep(S.ntpSamples(), 'ntp.flags.mode == 4'), [2, 4, 8]);
    assert.deepEqual(keep(S.ssdpSamples(), 'ssdp.nt == "upnp:rootdevice"'), [2]);
    assert.deepEqual(keep(S.ssdpSamples(), 'ssdp'), [1, 2, 3, 4]);
  });

  it('explains the fields in English and Chinese, in the details tree too', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const zh = bundleTranslator(bundle);
    const names = ['ssh', 'ssh.protocol', 'ssh.kex_algorithms', 'smtp.req.command', 'smtp.response.code', 'pop.request.command', 'imap.request.command', 'imap.response.status', 'telnet.cmd', 'telnet.subcmd', 'dhcp', 'dhcp.option.dhcp', 'dhcp.ip.your', 'ntp.flags.mode', 'ntp.stratum', 'ssdp.location'];
    for (const n of names) {
      const en = explainMoreAppField(n, null, formatEn);
      assert.ok(en, n + ' has no explanation');
      assert.match(explainMoreAppField(n, null, zh)!.text.join(' '), /[\u4e00-\u9fff]/, n + ' has no Chinese');
    }
    assert.match(explainMoreAppField('dhcp.option.dhcp', 6, formatEn)!.text.join(' '), /NAK/);
    assert.match(explainMoreAppField('smtp.response.code', 550, formatEn)!.text.join(' '), /permanent/);
    assert.match(explainMoreAppField('ntp.stratum', 3, zh)!.text.join(' '), /层级 3/);
    assert.equal(explainMoreAppField('tcp.flags', null, formatEn), null);
    // the capture editor's details tree carries them
    const details = buildDetails(decode(S.dhcpSamples()[0]).root, null, formatEn);
    const found: string[] = [];
    const visit = (d: { name: string; explain: string; children?: unknown[] }): void => {
      if (d.name === 'dhcp.option.dhcp') found.push(d.explain);
      for (const c of (d.children ?? []) as (typeof d)[]) visit(c);
    };
    visit(details);
    assert.equal(found.length, 1);
    assert.match(found[0], /Discover/);
  });
});

describe('application protocols: hostile bytes', () => {
  it('never throw on any truncation of any sample, and every field stays inside the captured payload', () => {
    for (const p of PROTOS) {
      for (const s of p.samples()) {
        for (let cap = 0; cap <= s.frame.length; cap++) {
          const { pkt, root } = decode(s, cap);
          walk(root, (n) => {
            if (n.name.startsWith(p.name === 'pop3' ? 'pop' : p.name) && n.length > 0) assert.ok(n.offset >= pkt.l4.payloadOff && n.offset + n.length <= cap, `${p.name} ${n.name} [${n.offset}, +${n.length}) outside the payload (cap ${cap})`);
          });
          appInfo(pkt);
        }
      }
    }
  });

  it('never throw on random mutations (printer included), 3000 cases', () => {
    let seed = 99;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 16777216;
    const all = PROTOS.flatMap((p) => p.samples());
    const ctx = new PrintContext(defaultPrintOptions());
    ctx.opts.verbose = 3;
    for (let i = 0; i < 3000; i++) {
      const base = all[Math.floor(rnd() * all.length)].frame.slice();
      // keep Ethernet, IP and the ports; mutate the rest (lengths included)
      for (let k = 0; k < 6; k++) {
        const at = 38 + Math.floor(rnd() * (base.length - 38));
        base[at] = rnd() < 0.3 ? 255 : Math.floor(rnd() * 256);
      }
      const { pkt } = decode({ frame: base }, 38 + Math.floor(rnd() * (base.length - 38 + 1)));
      appInfo(pkt);
      const l4 = pkt.l4;
      const printer = l4.proto === 6 ? TCP_APP_PRINTERS.get(l4.dport) ?? TCP_APP_PRINTERS.get(l4.sport) : UDP_APP_PRINTERS.get(l4.dport) ?? UDP_APP_PRINTERS.get(l4.sport);
      if (printer && l4.payloadLen > 0) printer(pkt, ctx, l4.payloadOff, l4.payloadLen, l4.proto as 6 | 17);
    }
  });
});

describe('application protocols: printer against the installed tcpdump', function () {
  this.timeout(120000);
  let savedTz: string | undefined;
  before(function () {
    needTool(this, 'tcpdump');
    savedTz = process.env.TZ;
    process.env.TZ = 'GMT0';
  });
  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  for (const p of PROTOS) {
    it(`${p.name}: same text as tcpdump -n, -v, -vv, -vvv and -X -vvv (whole and cut captures)`, async () => {
      const samples = p.samples();
      // every sample whole, then each cut at a third and at two thirds of its payload
      const frames = [...samples.map((s) => ({ frame: s.frame })), ...samples.flatMap((s) => [1, 2].map((k) => ({ frame: s.frame, caplen: 42 + Math.floor(((s.frame.length - 42) * k) / 3) })))];
      const { file, dir } = writePcap(frames);
      try {
        for (const opts of [[], ['-v'], ['-vv'], ['-vvv']]) {
          const [ours, theirs] = await printBoth(file, opts);
          const diffs = theirs.map((l, i) => (l === ours[i] ? '' : `line ${i + 1}:\n  tcpdump ${JSON.stringify(l)}\n  ours    ${JSON.stringify(ours[i])}`)).filter(Boolean);
          assert.deepEqual(diffs.slice(0, 5), [], p.name + ' ' + opts.join(' '));
          assert.equal(ours.length, theirs.length);
        }
        // -X -vvv (telnet's hex form of each command, every packet followed by its hex dump), packet by
        // packet: after a printer stops early (" [|ntp]", "(invalid)") tcpdump dumps the frame from its
        // link-layer header, which our printer does not do (it always starts at the network layer)
        const [ours, theirs] = await printBoth(file, ['-X', '-vvv']);
        const blocks = (lines: string[]): string[] => lines.join('\n').split(/\n(?=\d\d:\d\d:\d\d\.)/);
        const [ob, tb] = [blocks(ours), blocks(theirs)];
        assert.equal(ob.length, tb.length);
        let compared = 0;
        tb.forEach((b, i) => {
          if (b.includes(' [|') || b.includes('(invalid)')) return;
          compared++;
          assert.equal(ob[i], b, p.name + ' -X -vvv packet ' + (i + 1));
        });
        assert.ok(compared >= samples.length / 2, p.name + ': only ' + compared + ' packets compared under -X -vvv');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('application protocols: fields against tshark', function () {
  this.timeout(300000);
  const known = readDiffTsv('app-tshark-differences.tsv');
  // APP_DIFFS=1 prints every unexplained difference as a TSV line (to review and, with a reason, list)
  const unexplained = (diffs: FieldDiff[]): string[] => {
    const out = diffs.filter((d) => !known.has(d.capture + '#' + d.frame + ' ' + d.field)).map((d) => `${d.capture}\t${d.frame}\t${d.field}\t${d.ours}\t${d.tshark}`);
    if (process.env.APP_DIFFS) for (const l of out) console.log('DIFF\t' + l);
    return out;
  };

  for (const p of PROTOS) {
    it(`${p.name}: generated capture, field by field (${p.fields.length} fields)`, async function () {
      needTool(this, 'tshark');
      const { file, dir } = writePcap(p.samples().map((s) => ({ frame: s.frame })));
      try {
        const r = await compareWithTshark(file, p.display, p.fields, 'generated/' + p.name);
        assert.ok(r.compared > 0, 'tshark found no ' + p.display);
        assert.deepEqual(unexplained(r.diffs), []);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('every corpus capture carrying these protocols, field by field', async function () {
    needCorpus(this);
    needTool(this, 'tshark');
    let compared = 0;
    const bad: string[] = [];
    const wanted: Record<string, number[]> = { ssh: [22], smtp: [25, 587], pop3: [110], imap: [143], telnet: [23], dhcp: [67, 68], ntp: [123], ssdp: [1900], mdns: [5353] };
    // tshark's frame count from the corpus's stored references (one row per frame in FILE.tshark.tsv, a
    // column of pcapng/MANIFEST.tsv); tshark itself only where neither has it (each run costs ~1 s)
    const pcapngFrames = new Map(readManifest('pcapng/MANIFEST.tsv').map((r) => ['pcapng/' + r.file, Number(r['tshark_4.0.17_frames'])]));
    const tsharkFrames = (rel: string): number => {
      const ref = corpusPath(rel + '.tshark.tsv');
      if (fs.existsSync(ref)) return fs.readFileSync(ref, 'utf8').split('\n').filter(Boolean).length - 1;
      const m = pcapngFrames.get(rel);
      if (m !== undefined && Number.isFinite(m)) return m;
      return spawnSync('tshark', ['-r', corpusPath(rel), '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.split('\n').filter(Boolean).length;
    };
    for (const rel of corpusCaptures(CORPUS!)) {
      // the pcapng suite's output_be files are byte-swapped copies of output_le's packets
      if (rel.startsWith('pcapng/output_be/')) continue;
      const { records } = await readAll(corpusPath(rel));
      const ports = new Set<number>();
      for (const rec of records) {
        const pkt = decodeFrame(new DecodedPacket(), rec.data, rec.origLen, rec.linkType);
        ports.add(pkt.l4.sport).add(pkt.l4.dport);
      }
      const carried = PROTOS.filter((p) => wanted[p.name].some((x) => ports.has(x)));
      if (carried.length === 0) continue;
      // tshark numbers some pcapng blocks that carry no packet (the pcapng suite's "advanced" files): frame
      // numbers would not name the same packet, so such a capture is left out, saying so
      const frames = tsharkFrames(rel);
      if (frames !== records.length) {
        console.log(`      ${rel}: left out, tshark numbers ${frames} frames where the file has ${records.length} packets`);
        continue;
      }
      if (process.env.APP_DIFFS) console.log('      ' + rel + ': ' + carried.map((p) => p.name).join(' '));
      // one tshark run per capture for every protocol it carries
      const tcpNames = new Set(['ssh', 'smtp', 'pop3', 'imap', 'telnet']);
      const display = carried.map((p) => '(' + p.display + ' && (' + wanted[p.name].map((x) => (tcpNames.has(p.name) ? 'tcp' : 'udp') + '.port == ' + x).join(' || ') + '))').join(' || ');
      const r = await compareWithTshark(corpusPath(rel), display, [...new Set(carried.flatMap((p) => p.fields))], rel);
      compared += r.compared;
      bad.push(...unexplained(r.diffs));
    }
    console.log(`      ${compared} (frame, field) pairs compared on the corpus`);
    assert.ok(compared > 0);
    assert.deepEqual(bad, []);
  });

  it('every line of test/app-tshark-differences.tsv names a capture and a reason', () => {
    const file = path.join(__dirname, '..', '..', 'test', 'app-tshark-differences.tsv');
    for (const l of fs.readFileSync(file, 'utf8').split('\n').slice(1)) if (l.trim()) assert.ok((l.split('\t')[5] ?? '').length > 20, l);
  });
});
