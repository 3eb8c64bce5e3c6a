/**
 * appInfo (the Info column's application summary, computed for every packet when the list is indexed or
 * sorted) takes shortcuts so that it costs little on the packets that say little: port → protocol through
 * typed-array tables, TLS records named from their headers without the full record decoding, cached SSH
 * "Encrypted packet" texts, HTTP bodies told at their first byte. Here every packet of the shared corpus,
 * of both generators (conversations.ts, realistic.ts, the latter also damaged) and of the generated
 * application samples gets the same summary from appInfo as from the full decoder path: the port tables
 * read as Maps, TLS through decodeTlsBytes, HTTP and SSH through their details decoders. So a shortcut that
 * skips a packet which should have had a summary, or names it wrongly, fails here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeFrame, DecodedPacket, TreeSink } from '../src/core/decode/index';
import type { FieldNode } from '../src/core/decode/fields';
import { innermost } from '../src/core/decode/packet';
import { appInfo, appProtocolOf, TCP_APP_DECODERS, UDP_APP_DECODERS } from '../src/core/decode/app/index';
import { decodeTlsBytes, newTlsSummary, TLS, tlsInfoText } from '../src/core/decode/app/tls';
import { decodeHttp, HTTP } from '../src/core/decode/app/http';
import { decodeSsh, SSH, SSH_PORT } from '../src/core/decode/app/ssh';
import { conversations, prng } from '../src/core/synth/conversations';
import { realisticTraffic } from '../src/core/synth/realistic';
import * as S from './helpers/appSamples';
import { needCorpus, readAll } from './helpers/corpus';

/** The first child of the tree's root (the protocol's node) and its first child. */
function detailsOf(tree: TreeSink): { top?: FieldNode; first?: FieldNode } {
  const top = tree.root.children?.[0];
  return { top, first: top?.children?.[0] };
}

/** The Info summary by the full decoder path (no shortcut of appInfo's), '' when none. */
function fullInfo(outer: DecodedPacket): string {
  const pkt = innermost(outer);
  const l4 = pkt.l4;
  if (l4.proto !== 6 && l4.proto !== 17) return '';
  if (pkt.net.isFragment || l4.payloadLen <= 0 || l4.payloadOff >= pkt.caplen) return '';
  const t = l4.proto === 6 ? TCP_APP_DECODERS : UDP_APP_DECODERS;
  const p = t.get(l4.dport) ?? t.get(l4.sport);
  if (p === undefined) return '';
  const off = l4.payloadOff;
  const len = l4.payloadLen;
  const end = Math.min(off + len, pkt.caplen);
  if (p === TLS) return tlsInfoText(decodeTlsBytes(pkt.data, off, end, off + len, null, newTlsSummary()));
  if (p === HTTP && l4.proto === 6) {
    // the request or status line as the details show it (Info keeps its first 200 characters), else a continuation
    const tree = new TreeSink();
    decodeHttp(pkt, off, len, tree, 6);
    const { first } = detailsOf(tree);
    if (first === undefined) return '';
    return first.name === 'http.request' || first.name === 'http.response' ? first.label.slice(0, 200) : 'Continuation';
  }
  if (p === SSH && l4.proto === 6) {
    const tree = new TreeSink();
    decodeSsh(pkt, off, len, tree, 6);
    const { first } = detailsOf(tree);
    if (first?.name === 'ssh.encrypted_packet' && first.offset === off) {
      const who = l4.dport === SSH_PORT || l4.sport !== SSH_PORT ? 'Client' : 'Server';
      return who + ': Encrypted packet (len=' + first.value + ')';
    }
  }
  // the other protocols' Info has no shortcut: their own info function is the full path
  try {
    return p.info(pkt, off, len, l4.proto);
  } catch {
    return '';
  }
}

interface Tally {
  packets: number;
  summaries: number;
  byProtocol: Map<string, number>;
}

function newTally(): Tally {
  return { packets: 0, summaries: 0, byProtocol: new Map() };
}

/** Decodes one frame and compares appInfo with the full path; counts what it saw. */
function check(pkt: DecodedPacket, frame: Uint8Array, origLen: number, linkType: number, where: string, tally: Tally): void {
  decodeFrame(pkt, frame, origLen, linkType);
  tally.packets++;
  const inner = innermost(pkt);
  const want = fullInfo(pkt);
  const got = appInfo(inner);
  if (got !== want) assert.fail(`${where}: appInfo says ${JSON.stringify(got)}, the full decoding ${JSON.stringify(want)}`);
  const l4 = inner.l4;
  if (l4.proto === 6 || l4.proto === 17) {
    const t = l4.proto === 6 ? TCP_APP_DECODERS : UDP_APP_DECODERS;
    assert.equal(appProtocolOf(l4.proto, l4.sport, l4.dport), t.get(l4.dport) ?? t.get(l4.sport), `${where}: protocol by port`);
  }
  if (got !== '') {
    tally.summaries++;
    const name = appProtocolOf(l4.proto as 6 | 17, l4.sport, l4.dport)!.name;
    tally.byProtocol.set(name, (tally.byProtocol.get(name) ?? 0) + 1);
  }
}

describe('application Info: appInfo equals the full decoder path on every packet', function () {
  this.timeout(120000);

  it('on the realistic generator (realistic.ts), whole and with a damaged byte in each packet', function () {
    const rnd = prng(13);
    const pkt = new DecodedPacket();
    const tally = newTally();
    let i = 0;
    for (const p of realisticTraffic({ packets: 30000, seed: 3 })) {
      i++;
      check(pkt, p.frame, p.frame.length, 1, `realistic packet ${i}`, tally);
      // a damaged copy: one byte of the payload side (past Ethernet + IPv4 + TCP's 20 bytes) set at random
      const f = p.frame.slice();
      if (f.length > 54) f[54 + Math.floor(rnd() * (f.length - 54))] = Math.floor(rnd() * 256);
      check(pkt, f, f.length, 1, `realistic packet ${i} damaged`, tally);
      // cut by a snap length inside the payload: the shortcuts must read only captured bytes
      if (f.length > 60) check(pkt, p.frame.subarray(0, 60 + Math.floor(rnd() * (p.frame.length - 60))), p.frame.length, 1, `realistic packet ${i} cut`, tally);
    }
    // every kind the realistic file carries is there, with many summaries each
    for (const name of ['TLS', 'SSH', 'HTTP', 'DNS']) assert.ok((tally.byProtocol.get(name) ?? 0) > 100, `${name}: ${tally.byProtocol.get(name) ?? 0} summaries`);
  });

  it('on the synthetic generator (conversations.ts)', function () {
    const pkt = new DecodedPacket();
    const tally = newTally();
    let i = 0;
    for (const p of conversations({ connections: 50, packets: 10000, concurrency: 20, seed: 7 })) check(pkt, p.frame, p.frame.length, 1, `synthetic packet ${++i}`, tally);
    assert.ok(tally.packets > 9000 && (tally.byProtocol.get('TLS') ?? 0) > 0, `${tally.packets} packets, ${tally.byProtocol.get('TLS') ?? 0} TLS summaries`);
  });

  it('on the generated application samples (SSH, mail, telnet, DHCP, NTP, SSDP, mDNS)', function () {
    const pkt = new DecodedPacket();
    const tally = newTally();
    const all = [S.sshSamples(), S.smtpSamples(), S.pop3Samples(), S.imapSamples(), S.telnetSamples(), S.dhcpSamples(), S.ntpSamples(), S.ssdpSamples(), S.mdnsSamples()].flat();
    all.forEach((s, i) => {
      const cap = s.caplen ?? s.frame.length;
      check(pkt, s.frame.subarray(0, cap), s.frame.length, 1, `sample ${i}`, tally);
    });
    assert.ok(tally.summaries >= all.length / 2, `${tally.summaries} of ${all.length} samples with a summary`);
  });

  it('on every capture of the shared corpus', async function () {
    const corpus = needCorpus(this);
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(pcap|pcapng|pcapng\.1|cap)$/.test(e.name)) files.push(p);
      }
    };
    walk(corpus);
    const pkt = new DecodedPacket();
    const tally = newTally();
    for (const file of files.sort()) {
      const { records } = await readAll(file);
      records.forEach((rec, i) => check(pkt, rec.data, rec.origLen, rec.linkType, `${path.relative(corpus, file)} packet ${i + 1}`, tally));
    }
    console.log(`      ${files.length} captures, ${tally.packets} packets: ${[...tally.byProtocol].map(([k, v]) => k + ' ' + v).join(', ')}`);
    assert.ok(files.length > 100 && tally.summaries > 300, `${files.length} captures, ${tally.summaries} summaries`);
    for (const name of ['TLS', 'SSH', 'HTTP', 'DNS', 'SMTP', 'DHCP']) assert.ok((tally.byProtocol.get(name) ?? 0) > 0, `${name} in the corpus: ${tally.byProtocol.get(name) ?? 0} summaries`);
  });
});
