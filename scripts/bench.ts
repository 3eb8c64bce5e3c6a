/**
 * npm run bench — prints speed and memory figures (never asserts them).
 *
 * Writes a synthetic 2,000,000-packet capture (about 10,000 TCP connections with handshakes,
 * data and teardowns) in three forms — classic pcap (µs), classic pcap (ns) and pcapng — under
 * .bench/, then measures, each in a fresh process:
 *   - read + decode through each path (classic pcap µs and ns, pcapng),
 *   - `capture-lens print` to /dev/null,
 *   - `tcpdump -nn -r` on the same files, when tcpdump is installed (TZ=UTC), and `tshark -n -r`
 *     on the classic pcap when tshark is (it dissects far more, so it is slower: a reference point).
 * Then `print` against `tcpdump -nn -r` on three kinds of file, each pair timed in turn in the same run
 * (best of 3): the synthetic file above, a realistic synthetic one (src/core/synth/realistic.ts: many
 * clients and servers, Linux ephemeral ports, TLS/HTTP/SSH/DNS) and real captures (the largest
 * TCP-heavy Ethernet captures of ../shared/corpus replayed to ≥ 200,000 packets with shifted time
 * stamps; skipped, saying why, without the corpus). The synthetic file is tcpdump's slow case: see
 * WHY_TCPDUMP_SLOW. And what application decoding costs on top of decode + TCP engine on the realistic and
 * real files (goal: the Info summary on every packet ≤ 15 %; see appDecoding).
 * BENCH_PACKETS overrides the packet count (e.g. for a quick run); `--files` only writes the realistic and real
 * files (BENCH_PACKETS, BENCH_REAL_PACKETS) and prints their paths, to time them by hand; `--print-only` runs only the print
 * against tcpdump part (e.g. BENCH_PACKETS=500000 node scripts/run-ts.mjs scripts/bench.ts --print-only), `--app-only`
 * only the application-decoding figures (node scripts/run-ts.mjs scripts/bench.ts --app-only). BENCH_10M=1 adds the capture editor on
 * 10,000,000 packets (npm run bench:10m runs only that case; see editorBig).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conversations } from '../src/core/synth/conversations';
import { realisticTraffic } from '../src/core/synth/realistic';
import { appInfo, decodeApp } from '../src/core/decode/app/index';
import type { FieldSink } from '../src/core/decode/fields';
import { pcapHeader, pcapRecord, pcapngEPB, pcapngIDB, pcapngSHB } from '../src/core/synth/writers';
import { decodeRecord, DecodedPacket } from '../src/core/decode/index';
import { readCaptureFile } from '../src/node/captureFile';
import { scratchSegment, segmentFromPacket } from '../src/core/tcp/fromPacket';
import { TcpEngine } from '../src/core/tcp/engine';
import { PacketPrinter } from '../src/core/print/packet';
import { defaultPrintOptions } from '../src/core/print/options';
import { analyzeLog } from '../src/core/log/model';
import { hoverAt } from '../src/core/log/hover';
import { connectionLensText, packetLensText } from '../src/core/log/lens';
import { formatEn } from '../src/core/explain/l10n';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, ".bench");
const PACKETS = Number(process.env.BENCH_PACKETS ?? 2_000_000);

interface Files {
  pcap: string;
  nano: string;
  pcapng: string;
}

/**
 * Write the capture files (skipped when they exist with the same packet count): all three forms, or
 * only those in `only` (the 10 M-packet case writes the µs pcap and the pcapng, about 1.1 and 1.4 GB).
 */
function generate(PACKETS: number, only?: readonly (keyof Files)[]): Files {
  const CONNECTIONS = Math.max(1, Math.round(PACKETS / 200));
  fs.mkdirSync(DIR, { recursive: true });
  const base = path.join(DIR, `synth-${PACKETS}`);
  const files: Files = { pcap: base + '.pcap', nano: base + '-ns.pcap', pcapng: base + '.pcapng' };
  const kinds = (only ?? (Object.keys(files) as (keyof Files)[])).filter((k) => !fs.existsSync(files[k]));
  if (kinds.length === 0) return files;
  const t0 = Date.now();
  // written to NAME.part and renamed when complete: an interrupted run does not leave a short file behind
  const fds: Partial<Record<keyof Files, number>> = {};
  for (const k of kinds) fds[k] = fs.openSync(files[k] + '.part', 'w');
  const bufs: Record<keyof Files, Uint8Array[]> = { pcap: [], nano: [], pcapng: [] };
  const sizes: Record<keyof Files, number> = { pcap: 0, nano: 0, pcapng: 0 };
  const put = (k: keyof Files, b: Uint8Array) => {
    if (fds[k] === undefined) return;
    bufs[k].push(b);
    sizes[k] += b.length;
    if (sizes[k] > 1 << 22) flush(k);
  };
  const flush = (k: keyof Files) => {
    fs.writeSync(fds[k]!, Buffer.concat(bufs[k]));
    bufs[k] = [];
    sizes[k] = 0;
  };
  put('pcap', pcapHeader(1, false));
  put('nano', pcapHeader(1, true));
  put('pcapng', pcapngSHB());
  put('pcapng', pcapngIDB(1, 262144, 9, 'eth0'));
  let n = 0;
  for (const p of conversations({ connections: CONNECTIONS, packets: Math.ceil(PACKETS * 1.01), concurrency: 200, seed: 7 })) {
    if (n >= PACKETS) break;
    n++;
    put('pcap', pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame));
    put('nano', pcapRecord(p.tsSec, p.tsNsec, p.frame));
    if (fds.pcapng !== undefined) put('pcapng', pcapngEPB(0, BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec), p.frame));
  }
  for (const k of kinds) {
    flush(k);
    fs.closeSync(fds[k]!);
    fs.renameSync(files[k] + '.part', files[k]);
  }
  console.log(`generated ${n.toLocaleString('en')} packets in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${kinds.map((k) => `${path.basename(files[k])} ${(fs.statSync(files[k]).size / 1e6).toFixed(0)} MB`).join(', ')}`);
  return files;
}

/**
 * The realistic synthetic capture (µs pcap), .bench/real-N.pcap: written once per packet count.
 */
function generateRealistic(packets: number): string {
  const file = path.join(DIR, `real-${packets}.pcap`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(DIR, { recursive: true });
  const t0 = Date.now();
  const fd = fs.openSync(file + '.part', 'w');
  let parts: Uint8Array[] = [pcapHeader(1, false)];
  let size = 0;
  for (const p of realisticTraffic({ packets, seed: 11 })) {
    const r = pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame);
    parts.push(r);
    size += r.length;
    if (size > 1 << 22) {
      fs.writeSync(fd, Buffer.concat(parts));
      parts = [];
      size = 0;
    }
  }
  fs.writeSync(fd, Buffer.concat(parts));
  fs.closeSync(fd);
  fs.renameSync(file + '.part', file);
  console.log(`generated ${packets.toLocaleString('en')} realistic packets in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${path.basename(file)} ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`);
  return file;
}

/** The shared corpus beside the repository (as test/helpers/corpus.ts finds it), or why it is absent. */
function corpusDir(): { dir?: string; missing?: string } {
  const env = process.env.CAPTURE_LENS_CORPUS;
  const dir = env ? path.resolve(env) : path.resolve(ROOT, '..', 'shared', 'corpus');
  if (fs.existsSync(path.join(dir, 'README.md'))) return { dir };
  return { missing: env ? `CAPTURE_LENS_CORPUS=${env} is not the shared corpus` : 'no shared corpus at ../shared/corpus beside the repository' };
}

/**
 * The corpus's largest TCP-heavy Ethernet captures that tcpdump 4.99.3 reads (one link type, so one
 * pcap file holds them; the Linux-cooked ones are left out for that reason): MPTCP, OpenFlow, SSH,
 * TLS renegotiation, HTTP/2, plain HTTP, IPv4 and IPv6 community-id traffic — 821 packets in all.
 */
const REAL_CAPTURES = [
  'tcpdump/mptcp-v0.pcap',
  'tcpdump/of13_ericsson.pcapng',
  'tcpdump/ssh.pcap',
  'wireshark/tls-renegotiation.pcap',
  'wireshark/http2-data-reassembly.pcap',
  'other/simple_http.pcap',
  'wireshark/communityid.pcap',
];
/** Real packets in the replayed file (each capture's packets keep their bytes; only time stamps move). */
const REAL_PACKETS = Number(process.env.BENCH_REAL_PACKETS ?? 200_000);

/**
 * Real captures for the print benchmark: REAL_CAPTURES read in turn and written again and again, with
 * time stamps moved so that time runs on through the rounds, until REAL_PACKETS packets
 * (.bench/corpus-N.pcap). Packet bytes are the captures' own.
 */
async function replayCorpus(dir: string): Promise<{ file: string; sources: number; packets: number }> {
  const file = path.join(DIR, `corpus-${REAL_PACKETS}.pcap`);
  // one round: each capture's packets at their times from the capture's first, the captures one after
  // another 1 s apart; the rounds follow each other the same way (time runs on as in one long capture)
  const round: { us: number; data: Uint8Array; origLen: number }[] = [];
  let sources = 0;
  let at = 0;
  for (const rel of REAL_CAPTURES) {
    const f = path.join(dir, rel);
    if (!fs.existsSync(f)) continue;
    sources++;
    let first = -1;
    let last = at;
    await readCaptureFile(f, {
      onRecord(rec) {
        if (rec.linkType !== 1) return;
        const us = rec.tsSec * 1e6 + Math.floor(rec.tsNsec / 1000);
        if (first < 0) first = us;
        last = at + Math.max(0, us - first);
        round.push({ us: last, data: rec.data.slice(), origLen: rec.origLen });
      },
    }).done;
    at = last + 1e6;
  }
  if (fs.existsSync(file) || round.length === 0) return { file, sources, packets: REAL_PACKETS };
  fs.mkdirSync(DIR, { recursive: true });
  const parts: Uint8Array[] = [pcapHeader(1, false)];
  let n = 0;
  for (let k = 0; n < REAL_PACKETS; k++) {
    for (const r of round) {
      if (n++ >= REAL_PACKETS) break;
      const us = 1_700_000_000e6 + k * at + r.us;
      const rec = pcapRecord(Math.floor(us / 1e6), us % 1e6, r.data);
      // keep the captured length and the original one (some captures were cut by their snaplen)
      new DataView(rec.buffer, rec.byteOffset).setUint32(12, r.origLen, true);
      parts.push(rec);
    }
  }
  fs.writeFileSync(file + '.part', Buffer.concat(parts));
  fs.renameSync(file + '.part', file);
  return { file, sources, packets: REAL_PACKETS };
}

/**
 * Why tcpdump is slower on the bench's synthetic file than on realistic or real ones (found with perf:
 * 51 % of tcpdump's time in one loop, `and $0xfff` then a linked-list walk — addrtoname.c's
 * ipaddr_string). tcpdump caches each address's text in hnametable[addr & 4095], with `addr` read from
 * the packet in network order into a host-order integer: on a little-endian machine the bucket is the
 * first octet and the low 4 bits of the second. Every client of the synthetic file is 10.0.x.y and
 * every server 192.168.x.y, so its 10,000 clients share one bucket — a chain walked twice a packet.
 */
const WHY_TCPDUMP_SLOW =
  'The synthetic file is tcpdump\'s slow case: tcpdump caches address texts in a 4096-bucket table indexed by the ' +
  'first octet and 4 bits of the second (little-endian), and its 10,000 clients 10.0.x.y all land in one bucket, a ' +
  'chain of 10,000 walked for every packet (perf: half of its time). Realistic and real traffic spreads over the ' +
  'buckets, so there tcpdump runs at its usual speed: compare on those.';

/**
 * Why `print` gains less on the real file than on the realistic one (CPU profiles of `print -n` over
 * .bench/corpus-200000.pcap and -500000, and a count of each packet's path): every line is on the byte
 * path now — 89 % of the packets straight from their bytes (IPv4 and IPv6 TCP, SSH/SMTP/HTTP texts
 * included), the rest from the decoded packet, 0.3 % of them (DNS) with a string printer's text
 * copied in — but its lines are longer and costlier than the realistic file's: 42 % carry MPTCP or
 * other option blocks (0.2 to 0.3 µs more a line than one with only time stamps: 0.68 against 0.50 µs
 * in a loop over the file's records), the line averages ~200 bytes. Start-up and reading are small
 * (quiet machine, 200,000 packets, tcpdump 0.22 s in all): node itself takes 0.06 s, loading the print
 * bundle with its code cache 0.016 s (print of a capture without packets), reading the 77 MB and
 * handing on the records 0.04 s (a reader alone, synchronous reads into one buffer) — but together
 * they are half of tcpdump's whole run on that file. (tcpdump also prints the OpenFlow capture's
 * messages, which we do not.)
 */
const WHY_REAL_DIFFERS =
  'The real file: every line is written as bytes (89 % of its packets straight from their bytes, IPv4 and IPv6 TCP ' +
  'with their SSH/SMTP/HTTP texts; 0.3 % with a DNS text from the string printer), but its lines are longer ' +
  'than the realistic file\'s (~200 bytes; 42 % carry MPTCP or other option blocks, ~0.2 µs more each), and node\'s ' +
  'start-up (0.06 s), loading the print bundle (0.016 s) and reading (0.04 s) are half of tcpdump\'s 0.22 s on its ' +
  '200,000 packets.';

/** Times `print -n` and `tcpdump -nn -r` on one file in turn, `rounds` times; the best of each. */
function printVsTcpdump(file: string, rounds = 3): { ours: number; tcpdump: number | null } {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  let ours = Infinity;
  let td = Infinity;
  const withTcpdump = has('tcpdump');
  for (let i = 0; i < rounds; i++) {
    ours = Math.min(ours, timed([process.execPath, cli, 'print', '-n', file], { TZ: 'UTC' }).secs);
    if (withTcpdump) td = Math.min(td, timed(['tcpdump', '-nn', '-r', file], { TZ: 'UTC' }).secs);
  }
  return { ours, tcpdump: withTcpdump ? td : null };
}

/** A sink that keeps nothing: what application decoders cost, without building a details tree. */
const DISCARD: FieldSink = {
  open() {},
  field() {},
  close() {},
  note() {},
};

/** Packets of the capture editor's large case (BENCH_10M=1 npm run bench, or npm run bench:10m). */
const EDITOR_BIG = Number(process.env.BENCH_10M_PACKETS ?? 10_000_000);

/**
 * The capture editor on 10,000,000 packets (classic µs pcap and pcapng, ~1.1 and ~1.4 GB under
 * .bench/): first rows, full index and bytes a packet, through the built worker as the editor
 * drives it. The files are deleted afterwards unless BENCH_KEEP=1 (2.5 GB of disk).
 */
function editorBig(): void {
  const t0 = Date.now();
  const files = generate(EDITOR_BIG, ['pcap', 'pcapng']);
  console.log(`\nCapture editor, ${EDITOR_BIG.toLocaleString('en')} packets (load average ${require('node:os').loadavg().map((x: number) => x.toFixed(1)).join(' ')}):`);
  for (const f of [files.pcap, files.pcapng]) {
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.mjs'), 'scripts/bench-editor.ts', f, '--only'], { cwd: ROOT, stdio: 'inherit' });
  }
  // what streams stays flat: read + decode of the same files (compare the 2,000,000-packet figures above)
  for (const [label, f] of [['µs pcap', files.pcap], ['pcapng', files.pcapng]] as const) {
    const r = spawnSync(process.execPath, [__filename, '--decode', f], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) continue;
    const j = JSON.parse(r.stdout);
    console.log(`  read + decode ${label}, ${EDITOR_BIG.toLocaleString('en')} packets: ${j.secs.toFixed(2)} s (${fmtRate(j.packets, j.secs)}), peak RSS ${(j.maxRssKiB / 1024).toFixed(0)} MiB`);
  }
  if (process.env.BENCH_KEEP !== '1') for (const f of [files.pcap, files.pcapng]) fs.rmSync(f, { force: true });
  console.log(`(the ${EDITOR_BIG.toLocaleString('en')}-packet case took ${((Date.now() - t0) / 1000).toFixed(0)} s in all, generating the files included)`);
}

/** Child mode: read + decode one file (+ the TCP engine), report packets, seconds and peak RSS as JSON. */
async function childDecode(file: string, withEngine: boolean, app: '' | 'info' | 'fields' = ''): Promise<void> {
  const pkt = new DecodedPacket();
  let infoChars = 0;
  const engine = withEngine ? new TcpEngine() : null;
  const scratch = scratchSegment();
  let packets = 0;
  let tcp = 0;
  const t0 = process.hrtime.bigint();
  const summary = await readCaptureFile(file, {
    onRecord(rec) {
      decodeRecord(pkt, rec);
      packets++;
      if (pkt.l4.proto === 6) tcp++;
      // application decoding on every packet: the Info column's summary, or every field into a sink
      if (app === 'info') infoChars += appInfo(pkt).length;
      else if (app === 'fields' && (pkt.l4.proto === 6 || pkt.l4.proto === 17) && !pkt.net.isFragment) decodeApp(pkt, pkt.l4.proto as 6 | 17, pkt.l4.payloadOff, pkt.l4.payloadLen, DISCARD);
      if (engine) {
        const seg = segmentFromPacket(pkt, rec, scratch);
        if (seg) engine.add(seg);
      }
    },
  }).done;
  const bytesWhileReading = engine?.bytesPerPacket() ?? 0;
  engine?.finish();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(
    JSON.stringify({ packets, tcp, infoChars, secs, maxRssKiB: process.resourceUsage().maxRSS, error: summary.error?.message ?? null, bytesPerPacket: engine?.bytesPerPacket() ?? 0, bytesWhileReading, connections: engine?.summaries().length ?? 0 }),
  );
}

/** Runs a command, returning wall seconds and the child's peak RSS (via python3's getrusage). */
function timed(cmd: string[], env: NodeJS.ProcessEnv = {}): { secs: number; maxRssKiB: number; ok: boolean } {
  const py = `import resource,subprocess,sys,time
t=time.time(); r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL); e=time.time()-t
print(e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)`;
  const r = spawnSync('python3', ['-c', py, ...cmd], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const [secs, rss, rc] = r.stdout.trim().split(/\s+/).map(Number);
  return { secs, maxRssKiB: rss, ok: rc === 0 };
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function fmtRate(packets: number, secs: number): string {
  return `${(packets / secs / 1e6).toFixed(2)} M packets/s`;
}

/** Prints the first `lines` packets of a capture as tcpdump -nn text (one line each). */
async function logText(file: string, lines: number): Promise<string> {
  const printer = new PacketPrinter(defaultPrintOptions());
  const parts: string[] = [];
  const reading = readCaptureFile(file, {
    onRecord(rec) {
      if (parts.length < lines) parts.push(printer.print(rec));
      else reading.cancel();
    },
  });
  await reading.done;
  return parts.join('');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Child mode: tcpdump text → parser + engine, and the editor features on a 100,000-line log. */
async function childText(logFile: string): Promise<void> {
  // the log was written by another process (--make-log): nothing of its making is left in this heap
  const big = fs.readFileSync(logFile, 'utf8');
  const lines = 1_000_000;
  let t0 = process.hrtime.bigint();
  const m = analyzeLog(big);
  const parseSecs = Number(process.hrtime.bigint() - t0) / 1e9;
  const conns = m.summaries.length;
  const small = big.slice(0, nthNewline(big, 100_000) + 1);
  t0 = process.hrtime.bigint();
  const doc = analyzeLog(small, { spans: true });
  const modelMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // hovers at positions spread over the document (the model is cached per document version)
  const smallLines = small.split('\n');
  const hoverMs: number[] = [];
  for (let k = 0; k < 200; k++) {
    const line = Math.floor((k * 7919) % 100_000);
    const col = Math.floor((k * 31) % Math.max(1, smallLines[line].length));
    const a = process.hrtime.bigint();
    hoverAt(doc, line, col, formatEn);
    hoverMs.push(Number(process.hrtime.bigint() - a) / 1e6);
  }
  // lenses: provide (connection lenses only above the per-packet threshold) + resolve the ~60 on screen
  const lensMs: number[] = [];
  for (let k = 0; k < 20; k++) {
    const a = process.hrtime.bigint();
    let n = 0;
    for (let s = 0; s < doc.firstOfStream.length; s++) if (doc.firstOfStream[s] >= 0) n += connectionLensText(doc.summaries[s], formatEn).length > 0 ? 1 : 0;
    const top = (k * 4999) % (doc.log.packets.length - 60);
    for (let i = top; i < top + 60; i++) packetLensText(doc, i, formatEn);
    lensMs.push(Number(process.hrtime.bigint() - a) / 1e6);
    void n;
  }
  process.stdout.write(JSON.stringify({ lines, parseSecs, conns, modelMs, hoverMedianMs: median(hoverMs), lensMedianMs: median(lensMs), maxRssKiB: process.resourceUsage().maxRSS }));
}

function nthNewline(s: string, n: number): number {
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = s.indexOf('\n', i + 1);
    if (i < 0) return s.length - 1;
  }
  return i;
}

/**
 * `print -n` against `tcpdump -nn -r` on the three kinds of file, the CLI's start-up, and what
 * application decoding adds to decode + TCP engine on the realistic and real files.
 */
async function printAgainstTcpdump(synthetic: string): Promise<void> {
  const kinds: [string, string, number][] = [['synthetic (conversations.ts)', synthetic, PACKETS]];
  kinds.push(['realistic synthetic (realistic.ts)', generateRealistic(PACKETS), PACKETS]);
  const corpus = corpusDir();
  let realNote = '';
  if (corpus.dir) {
    const r = await replayCorpus(corpus.dir);
    if (r.sources > 0) kinds.push([`real captures (${r.sources} corpus files replayed)`, r.file, r.packets]);
    else realNote = '(real captures skipped: none of the chosen corpus files is there)';
  } else realNote = `(real captures skipped: ${corpus.missing})`;
  console.log(`\nprint -n against tcpdump -nn -r, same file, same run (best of 3; load average ${require('node:os').loadavg().map((x: number) => x.toFixed(1)).join(' ')}):`);
  const rows: string[][] = [['file', 'packets', 'capture-lens print', 'tcpdump -nn -r', 'print / tcpdump speed']];
  for (const [label, file, n] of kinds) {
    const t = printVsTcpdump(file);
    rows.push([
      label,
      n.toLocaleString('en'),
      `${t.ours.toFixed(2)} s, ${fmtRate(n, t.ours)}`,
      t.tcpdump === null ? 'not installed' : `${t.tcpdump.toFixed(2)} s, ${fmtRate(n, t.tcpdump)}`,
      t.tcpdump === null ? '' : `${(t.tcpdump / t.ours).toFixed(2)}×`,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log('  ' + r.map((c, i) => c.padEnd(widths[i])).join('  '));
  if (realNote) console.log('  ' + realNote);
  console.log('  ' + WHY_TCPDUMP_SLOW);
  if (!realNote) console.log('  ' + WHY_REAL_DIFFERS);
  // start-up: what a file pays before its first packet (node itself, then loading the print bundle, or the whole CLI)
  const best = (cmd: string[]) => Math.min(...[0, 1, 2, 3, 4].map(() => timed(cmd, { TZ: 'UTC' }).secs));
  const empty = path.join(DIR, 'empty.pcap');
  fs.writeFileSync(empty, pcapHeader(1, false));
  const bare = best([process.execPath, '-e', '0']);
  const print = best([process.execPath, path.join(ROOT, 'dist', 'cli.js'), 'print', '-n', empty]);
  const cli = best([process.execPath, path.join(ROOT, 'dist', 'cli.js'), '--version']);
  console.log(
    `  start-up: print of a capture without packets ${(print * 1000).toFixed(0)} ms, of which node itself ${(bare * 1000).toFixed(0)} ms and ` +
      `loading the print bundle (dist/cli-print.js with its code cache) ${((print - bare) * 1000).toFixed(0)} ms; capture-lens --version, ` +
      `which loads the whole CLI, ${(cli * 1000).toFixed(0)} ms (tcpdump starts in a few ms).`,
  );
  appDecoding(kinds.slice(1));
}

/** The files the application-decoding figures run on: the realistic synthetic file and the real captures replayed. */
async function appFiles(): Promise<[string, string][]> {
  const kinds: [string, string][] = [['realistic synthetic (realistic.ts)', generateRealistic(PACKETS)]];
  const corpus = corpusDir();
  if (corpus.dir) {
    const r = await replayCorpus(corpus.dir);
    if (r.sources > 0) kinds.push([`real captures (${r.sources} corpus files replayed)`, r.file]);
    else console.log('(real captures skipped: none of the chosen corpus files is there)');
  } else console.log(`(real captures skipped: ${corpus.missing})`);
  return kinds;
}

/**
 * What application decoding adds to decode + TCP engine: the Info column's summary (appInfo) on every
 * packet, as the list's index and sort compute it, and every field into a discarding sink (the details
 * view's decoder, on every packet). Each mode in its own process, the three modes in turn, best of 3
 * rounds (7 when a run takes under a second: the real file's 0.2 s runs differ by ±20 % from one run to
 * the next on a busy machine, best of 2 in a row gave +8 % to +28 % for the same code).
 */
function appDecoding(kinds: readonly (readonly [string, string, ...unknown[]])[]): void {
  console.log('\nApplication decoding on top of decode + TCP engine (every packet; goal: the Info summary ≤ 15 %):');
  for (const [label, file] of kinds) {
    let packets = 0;
    const run = (mode: string) => {
      const r = spawnSync(process.execPath, [__filename, mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) return NaN;
      const j = JSON.parse(r.stdout) as { secs: number; packets: number };
      packets = j.packets;
      return j.secs;
    };
    const modes = ['--engine', '--engine-info', '--engine-fields'];
    const best = modes.map(run);
    const rounds = best[0] < 1 ? 7 : 3;
    for (let k = 1; k < rounds; k++) modes.forEach((m, i) => (best[i] = Math.min(best[i], run(m))));
    const [base, info, fields] = best;
    if (!(base > 0 && info > 0 && fields > 0)) {
      console.log(`  ${label}: failed`);
      continue;
    }
    const pct = (x: number) => `${(((x - base) / base) * 100).toFixed(0)} %`;
    console.log(
      `  ${label}: decode + engine ${base.toFixed(2)} s (${fmtRate(packets, base)}); + the Info summary (appInfo) ${info.toFixed(2)} s, +${pct(info)}; ` +
        `+ every field (decodeApp into a discarding sink) ${fields.toFixed(2)} s, +${pct(fields)} (best of ${rounds})`,
    );
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--decode') return childDecode(process.argv[3], false);
  if (process.argv[2] === '--engine') return childDecode(process.argv[3], true);
  if (process.argv[2] === '--engine-info') return childDecode(process.argv[3], true, 'info');
  if (process.argv[2] === '--engine-fields') return childDecode(process.argv[3], true, 'fields');
  if (process.argv[2] === '--text') return childText(process.argv[3]);
  if (process.argv[2] === '--generate') {
    generate(Number(process.argv[3]), process.argv.slice(4) as (keyof Files)[]);
    return;
  }
  if (process.argv[2] === '--editor-10m') return editorBig();
  // only the print-against-tcpdump part (and application decoding): BENCH_PACKETS=500000 … --print-only
  if (process.argv[2] === '--print-only') return printAgainstTcpdump(generate(PACKETS, ['pcap']).pcap);
  // only write the realistic and the real-replayed files and print their paths (to time them by hand)
  if (process.argv[2] === '--files') {
    const corpus = corpusDir();
    console.log(generateRealistic(PACKETS));
    if (corpus.dir) console.log((await replayCorpus(corpus.dir)).file);
    return;
  }
  // only what application decoding costs (realistic and real files): BENCH_PACKETS=500000 … --app-only
  if (process.argv[2] === '--app-only') return appDecoding(await appFiles());
  if (process.argv[2] === '--make-log') {
    process.env.TZ = 'UTC';
    fs.writeFileSync(process.argv[4], await logText(process.argv[3], 1_000_000));
    return;
  }
  const files = generate(PACKETS);
  const small = generate(Math.round(PACKETS / 10));
  console.log(`\nCapture Lens benchmark — ${PACKETS.toLocaleString('en')} packets, ${Math.round(PACKETS / 200).toLocaleString('en')} connections (node ${process.version}, ${require('node:os').cpus().length} cores)\n`);
  const rows: string[][] = [['what', 'path', 'time', 'rate', 'peak RSS']];
  for (const [label, file] of [
    ['pcap reader (µs pcap)', files.pcap],
    ['pcap reader (ns pcap)', files.nano],
    ['pcapng reader', files.pcapng],
  ] as const) {
    const r = spawnSync(process.execPath, [__filename, '--decode', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      rows.push(['read + decode', label, 'failed', r.stderr.split('\n')[0], '']);
      continue;
    }
    const j = JSON.parse(r.stdout);
    rows.push(['read + decode', label, `${j.secs.toFixed(2)} s`, fmtRate(j.packets, j.secs), `${(j.maxRssKiB / 1024).toFixed(0)} MiB`]);
  }
  let engineNote = '';
  for (const [label, file] of [
    ['pcap reader (µs pcap)', files.pcap],
    ['pcapng reader', files.pcapng],
  ] as const) {
    const r = spawnSync(process.execPath, [__filename, '--engine', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      rows.push(['decode + TCP engine', label, 'failed', r.stderr.split('\n')[0], '']);
      continue;
    }
    const j = JSON.parse(r.stdout);
    rows.push(['decode + TCP engine', label, `${j.secs.toFixed(2)} s`, fmtRate(j.packets, j.secs), `${(j.maxRssKiB / 1024).toFixed(0)} MiB`]);
    engineNote = `TCP engine: per-packet state in typed arrays, ${j.bytesWhileReading} bytes a packet while reading, ${j.bytesPerPacket} once finished; ${j.connections.toLocaleString('en')} connections summarised.`;
  }
  const cli = path.join(ROOT, 'dist', 'cli.js');
  for (const [label, file] of [
    ['µs pcap', files.pcap],
    ['pcapng', files.pcapng],
  ] as const) {
    const t = timed([process.execPath, cli, 'print', '-n', file], { TZ: 'UTC' });
    rows.push(['capture-lens print', label, `${t.secs.toFixed(2)} s`, fmtRate(PACKETS, t.secs), `${(t.maxRssKiB / 1024).toFixed(0)} MiB`]);
    if (has('tcpdump')) {
      const d = timed(['tcpdump', '-nn', '-r', file], { TZ: 'UTC' });
      rows.push(['tcpdump -nn -r', label, d.ok ? `${d.secs.toFixed(2)} s` : 'failed', fmtRate(PACKETS, d.secs), `${(d.maxRssKiB / 1024).toFixed(0)} MiB`]);
    }
    if (has('tshark') && label === 'µs pcap') {
      const w = timed(['tshark', '-n', '-r', file], { TZ: 'UTC' });
      rows.push(['tshark -n -r', label, w.ok ? `${w.secs.toFixed(2)} s` : 'failed', fmtRate(PACKETS, w.secs), `${(w.maxRssKiB / 1024).toFixed(0)} MiB`]);
    }
  }
  // memory must not grow with the file: the same paths on a file ten times smaller
  const rss: string[] = [];
  for (const [label, big, little] of [
    ['µs pcap', files.pcap, small.pcap],
    ['pcapng', files.pcapng, small.pcapng],
  ] as const) {
    const a = timed([process.execPath, __filename, '--decode', little]);
    const b = timed([process.execPath, __filename, '--decode', big]);
    rss.push(`  read + decode ${label}: peak RSS ${(a.maxRssKiB / 1024).toFixed(0)} MiB for ${(PACKETS / 10).toLocaleString('en')} packets, ${(b.maxRssKiB / 1024).toFixed(0)} MiB for ${PACKETS.toLocaleString('en')}`);
    const c = timed([process.execPath, cli, 'print', little], { TZ: 'UTC' });
    const d = timed([process.execPath, cli, 'print', big], { TZ: 'UTC' });
    rss.push(`  capture-lens print ${label}: peak RSS ${(c.maxRssKiB / 1024).toFixed(0)} MiB for ${(PACKETS / 10).toLocaleString('en')} packets, ${(d.maxRssKiB / 1024).toFixed(0)} MiB for ${PACKETS.toLocaleString('en')}`);
  }
  if (!has('tcpdump')) console.log('(tcpdump not installed: its figures are left out; apt-get install tcpdump to compare)\n');
  if (!has('tshark')) console.log('(tshark not installed: its figure is left out; apt-get install tshark to compare)\n');
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  '));
  if (engineNote) console.log('\n' + engineNote);
  await printAgainstTcpdump(files.pcap);
  const logFile = path.join(DIR, 'log-1000000.tcpdump');
  if (!fs.existsSync(logFile)) spawnSync(process.execPath, ['--max-old-space-size=4096', __filename, '--make-log', files.pcap, logFile], { stdio: 'inherit' });
  const tx = spawnSync(process.execPath, ['--max-old-space-size=4096', __filename, '--text', logFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (tx.status === 0) {
    const j = JSON.parse(tx.stdout);
    console.log(`\ntcpdump text (1,000,000-line log printed from the capture):`);
    console.log(`  parse + engine: ${j.parseSecs.toFixed(2)} s, ${(j.lines / j.parseSecs / 1e3).toFixed(0)} k lines/s (goal ≥ 500 k), ${j.conns.toLocaleString('en')} connections`);
    console.log(`  100,000-line document: model (parse with spans + engine, once per edit) ${j.modelMs.toFixed(0)} ms; hover median ${j.hoverMedianMs.toFixed(3)} ms (goal < 20); CodeLens median ${j.lensMedianMs.toFixed(2)} ms (goal < 200)`);
  } else console.log('\ntcpdump text benchmark failed: ' + tx.stderr.split('\n').slice(0, 3).join(' '));
  // the capture editor: the decoding worker driven the way the editor drives it (own process)
  console.log('\nCapture editor (worker thread, as the editor drives it):');
  spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.mjs'), 'scripts/bench-editor.ts', files.pcap], { cwd: ROOT, stdio: 'inherit' });
  console.log('\nMemory against file size:');
  for (const l of rss) console.log(l);
  if (process.env.BENCH_10M === '1') editorBig();
  else console.log(`\n(the capture editor on ${EDITOR_BIG.toLocaleString('en')} packets: BENCH_10M=1 npm run bench, or npm run bench:10m alone)`);
  console.log(
    '\nGoals: read + decode ≥ 1.5 M packets/s; decode + engine ≥ 1 M packets/s (≤ 64 bytes a packet); print ≥ 1.0× tcpdump -nn -r on realistic and real captures; ' +
      'application Info on every packet ≤ 15 % of decode + engine; memory flat in file size; text ≥ 500 k lines/s.',
  );
}

void main();
