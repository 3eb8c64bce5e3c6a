/**
 * Capture readers: our pcapng parser (src/core/capture/pcapng.ts) and the file entry point
 * (src/node/captureFile.ts: format detection, classic pcap through our PcapParser, gzip, backpressure),
 * with the npm package pcap-parser as an oracle for every classic pcap of the corpus.
 *
 * Real files are read in place from the shared corpus (../shared/corpus beside the repository);
 * those tests skip with a printed reason when it is absent. Damaged and synthetic inputs are built here.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

import { CarryBuffer } from '../src/core/capture/carry';
import { PcapngParser, PCAPNG_MAX_BLOCK_SIZE } from '../src/core/capture/pcapng';
import type { CaptureError, CaptureInfo, CaptureRecord } from '../src/core/capture/types';
import { readCaptureFile, type ReadSummary } from '../src/node/captureFile';
import { CORPUS, needCorpus } from './helpers/corpus';
import { rethrown } from './helpers/reading';

// -------------------------------------------------------------------------------------------------
// Helpers

function corpus(...parts: string[]): string {
  return path.join(CORPUS as string, ...parts);
}

/** A record copied out of the callback (the reader reuses its record object and data views). */
interface Rec {
  index: number;
  data: string; // hex
  caplen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  tsPrecision: number;
  linkType: number;
  interfaceId: number;
  fileOffset: number;
  fileLength: number;
  comments?: string[];
  epbFlags?: number;
  blockType: string;
}

function copyRec(r: CaptureRecord): Rec {
  const c: Rec = {
    index: r.index,
    data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).toString('hex'),
    caplen: r.data.length,
    origLen: r.origLen,
    tsSec: r.tsSec,
    tsNsec: r.tsNsec,
    tsPrecision: r.tsPrecision,
    linkType: r.linkType,
    interfaceId: r.interfaceId,
    fileOffset: r.fileOffset,
    fileLength: r.fileLength,
    blockType: r.blockType,
  };
  if (r.comments !== undefined) c.comments = [...r.comments];
  if (r.epbFlags !== undefined) c.epbFlags = r.epbFlags;
  return c;
}

interface FileResult extends ReadSummary {
  records: Rec[];
  infoCalls: number;
}

async function readFile(file: string, chunkSize?: number, syncReads = false): Promise<FileResult> {
  const records: Rec[] = [];
  let infoCalls = 0;
  const summary = await readCaptureFile(
    file,
    {
      onInfo() {
        infoCalls++;
      },
      onRecord(r) {
        records.push(copyRec(r));
      },
    },
    { ...(chunkSize ? { chunkSize } : {}), ...(syncReads ? { syncReads } : {}) },
  ).done;
  rethrown(summary);
  return { ...summary, records, infoCalls };
}

interface ParseResult {
  records: Rec[];
  info: CaptureInfo | null;
  error: CaptureError | null;
}

/** Run PcapngParser over bytes split into chunks of `chunk` bytes (or at the given cut points). */
function parseNg(bytes: Uint8Array, chunk: number | number[] = bytes.length || 1): ParseResult {
  const records: Rec[] = [];
  const parser = new PcapngParser({ onRecord: (r) => records.push(copyRec(r)) });
  const cuts: number[] = [];
  if (typeof chunk === 'number') for (let o = 0; o < bytes.length; o += chunk) cuts.push(o);
  else cuts.push(0, ...chunk);
  cuts.push(bytes.length);
  for (let i = 0; i + 1 < cuts.length; i++) {
    if (!parser.push(bytes.subarray(cuts[i], cuts[i + 1]))) break;
  }
  const error = parser.end();
  return { records, info: parser.info, error };
}

function tsString(r: Rec): string {
  return `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`;
}

let tmpDir = '';
function tmpFile(name: string, content: Uint8Array | string): string {
  if (!tmpDir) tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-test-'));
  const p = path.join(tmpDir, name);
  fs.writeFileSync(p, content);
  return p;
}
after(() => {
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

function readManifest(rel: string): Record<string, string>[] {
  const lines = fs.readFileSync(corpus(rel), 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    return row;
  });
}

/** Walks pcapng blocks by their length fields (test oracle): [offset, length, type][]. */
function ngBlocks(b: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  let le = true;
  for (let o = 0; o + 12 <= b.length; ) {
    if (b.readUInt32LE(o) === 0x0a0d0d0a) le = b.readUInt32LE(o + 8) === 0x1a2b3c4d;
    const type = le ? b.readUInt32LE(o) : b.readUInt32BE(o);
    const len = le ? b.readUInt32LE(o + 4) : b.readUInt32BE(o + 4);
    out.push([o, len, type]);
    o += len;
  }
  return out;
}

// --- builders for synthetic pcapng --------------------------------------------------------------

class NgWriter {
  private parts: Buffer[] = [];
  constructor(private le = true) {}

  private u16(v: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return b;
  }
  private u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    return b;
  }
  private pad(b: Buffer): Buffer {
    return Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  }
  option(code: number, value: Buffer): Buffer {
    return Buffer.concat([this.u16(code), this.u16(value.length), this.pad(value)]);
  }
  endOfOptions(): Buffer {
    return Buffer.alloc(4);
  }
  block(type: number, body: Buffer): this {
    const len = 12 + body.length;
    this.parts.push(Buffer.concat([this.u32(type), this.u32(len), body, this.u32(len)]));
    return this;
  }
  shb(le = this.le): this {
    this.le = le;
    const bom = Buffer.alloc(4);
    if (le) bom.writeUInt32LE(0x1a2b3c4d);
    else bom.writeUInt32BE(0x1a2b3c4d);
    return this.block(0x0a0d0d0a, Buffer.concat([bom, this.u16(1), this.u16(0), Buffer.alloc(8, 0xff)]));
  }
  idb(linkType: number, snaplen: number, opts: Buffer[] = []): this {
    const body = [this.u16(linkType), this.u16(0), this.u32(snaplen), ...opts];
    if (opts.length) body.push(this.endOfOptions());
    return this.block(1, Buffer.concat(body));
  }
  epb(ifId: number, ts: bigint, data: Buffer, origLen = data.length, opts: Buffer[] = []): this {
    const body = [
      this.u32(ifId),
      this.u32(Number(ts >> 32n)),
      this.u32(Number(ts & 0xffffffffn)),
      this.u32(data.length),
      this.u32(origLen),
      this.pad(data),
      ...opts,
    ];
    if (opts.length) body.push(this.endOfOptions());
    return this.block(6, Buffer.concat(body));
  }
  spb(origLen: number, data: Buffer): this {
    return this.block(3, Buffer.concat([this.u32(origLen), this.pad(data)]));
  }
  pb(ifId: number, ts: bigint, data: Buffer): this {
    return this.block(
      2,
      Buffer.concat([
        this.u16(ifId),
        this.u16(0),
        this.u32(Number(ts >> 32n)),
        this.u32(Number(ts & 0xffffffffn)),
        this.u32(data.length),
        this.u32(data.length),
        this.pad(data),
      ]),
    );
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  u8opt(code: number, v: number): Buffer {
    return this.option(code, Buffer.from([v]));
  }
  i64opt(code: number, v: bigint): Buffer {
    const b = Buffer.alloc(8);
    if (this.le) b.writeBigInt64LE(v);
    else b.writeBigInt64BE(v);
    return this.option(code, b);
  }
  u32opt(code: number, v: number): Buffer {
    return this.option(code, this.u32(v));
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A classic pcap file: header + records. */
function buildPcap(opts: {
  le?: boolean;
  nano?: boolean;
  snaplen?: number;
  linkType?: number;
  records: { sec: number; sub: number; data: Buffer; caplen?: number; origLen?: number }[];
}): Buffer {
  const le = opts.le ?? true;
  const w32 = (b: Buffer, v: number, o: number) => (le ? b.writeUInt32LE(v >>> 0, o) : b.writeUInt32BE(v >>> 0, o));
  const hdr = Buffer.alloc(24);
  w32(hdr, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  if (le) {
    hdr.writeUInt16LE(2, 4);
    hdr.writeUInt16LE(4, 6);
  } else {
    hdr.writeUInt16BE(2, 4);
    hdr.writeUInt16BE(4, 6);
  }
  w32(hdr, opts.snaplen ?? 262144, 16);
  w32(hdr, opts.linkType ?? 1, 20);
  const parts: Buffer[] = [hdr];
  for (const r of opts.records) {
    const h = Buffer.alloc(16);
    w32(h, r.sec, 0);
    w32(h, r.sub, 4);
    w32(h, r.caplen ?? r.data.length, 8);
    w32(h, r.origLen ?? r.data.length, 12);
    parts.push(h, r.data);
  }
  return Buffer.concat(parts);
}

const LINKTYPES: Record<string, number> = { NULL: 0, EN10MB: 1, RAW: 101, LINUX_SLL: 113, IPV4: 228, IPV6: 229 };

// -------------------------------------------------------------------------------------------------
// pcapng conformance files

describe('capture: pcapng conformance files (corpus/pcapng)', function () {
  let rows: Record<string, string>[] = [];
  before(function () {
    needCorpus(this);
    rows = readManifest('pcapng/MANIFEST.tsv');
  });

  it('reads every file without error, with the expected packets, sections and interfaces', async function () {
    assert.ok(rows.length >= 48, `only ${rows.length} rows in MANIFEST.tsv`);
    for (const row of rows) {
      const file = corpus('pcapng', row.file);
      const res = await readFile(file);
      const counts: Record<string, number> = {};
      for (const kv of row.block_counts.split(',')) {
        const [k, v] = kv.split('=');
        counts[k] = Number(v);
      }
      // Packets are EPB + SPB (+ obsolete PB). tshark also counts custom blocks (CB/DCB) as frames.
      const expected = (counts.EPB ?? 0) + (counts.SPB ?? 0) + (counts.PB ?? 0);
      const tshark = Number(row['tshark_4.0.17_frames']) - (counts.CB ?? 0) - (counts.DCB ?? 0);
      assert.equal(expected, tshark, `${row.file}: manifest block counts vs tshark frames`);
      assert.equal(res.error, null, `${row.file}: ${res.error?.message}`);
      assert.equal(res.packets, expected, `${row.file}: packets`);
      assert.equal(res.records.length, expected);
      assert.ok(res.info, `${row.file}: info`);
      const info = res.info!;
      assert.equal(info.format, 'pcapng');
      assert.equal(info.byteOrder, row.endianness === 'big' ? 'BE' : 'LE', `${row.file}: byte order`);

      // Interfaces in file order, e.g. "0:EN10MB;1:NULL;2:EN10MB"
      const col = row['idb_link_types_in_file_order(n:type; index restarts per SHB section)'];
      const want = col ? col.split(';').map((s) => LINKTYPES[s.split(':')[1]]) : [];
      assert.deepEqual(
        info.interfaces.map((i) => i.linkType),
        want,
        `${row.file}: interface link types`,
      );
      // Sections: one per SHB, interface ids restart at 0 in each.
      const sections = info.interfaces.length ? info.interfaces[info.interfaces.length - 1].section + 1 : 0;
      assert.ok(sections <= (counts.SHB ?? 1), `${row.file}: sections`);
      for (let i = 0; i < info.interfaces.length; i++) {
        const itf = info.interfaces[i];
        const prev = info.interfaces[i - 1];
        const expectedId = prev && prev.section === itf.section ? prev.id + 1 : 0;
        assert.equal(itf.id, expectedId, `${row.file}: interface ${i} id`);
      }
      if (info.interfaces.length) {
        assert.equal(info.linkType, info.interfaces[0].linkType);
        assert.ok(res.infoCalls >= info.interfaces.length, `${row.file}: onInfo once per interface`);
      }
      // Each record's link type is that of its interface in its section.
      for (const r of res.records) {
        assert.ok(['EPB', 'SPB', 'PB'].includes(r.blockType));
        assert.ok(r.caplen <= r.fileLength);
      }
    }
  });

  it('gives identical records for the little-endian and big-endian version of each file', async function () {
    const les = rows.filter((r) => r.file.startsWith('output_le/'));
    assert.ok(les.length >= 24);
    for (const row of les) {
      const le = await readFile(corpus('pcapng', row.file));
      const be = await readFile(corpus('pcapng', row.file.replace('output_le/', 'output_be/')));
      assert.deepEqual(be.records, le.records, row.file);
      assert.deepEqual(be.info?.interfaces, le.info?.interfaces, row.file);
      assert.deepEqual(be.info?.names, le.info?.names, row.file);
    }
  });

  it('knows the timestamps, comments, flags and link types of known packets', async function () {
    const t009 = await readFile(corpus('pcapng/output_le/basic/test009.pcapng'));
    assert.deepEqual(
      t009.records.map((r) => [tsString(r), r.comments, r.epbFlags, r.caplen, r.origLen]),
      [
        ['1340954905.298858000', ['test009-1'], 0, 314, 314],
        ['1340954905.299858000', ['test009-2'], 0x48000000, 342, 342],
      ],
    );
    // Two interfaces with different link types (EN10MB, NULL) in one file.
    const t006 = await readFile(corpus('pcapng/output_be/basic/test006.pcapng'));
    assert.deepEqual(
      t006.records.map((r) => [r.interfaceId, r.linkType]),
      [
        [0, 1],
        [1, 0],
        [0, 1],
        [0, 1],
        [0, 1],
      ],
    );
    // if_tsresol = 9: nanosecond interface
    const t008 = await readFile(corpus('pcapng/output_le/basic/test008.pcapng'));
    assert.equal(t008.info?.interfaces[0].tsUnitsPerSec, 1e9);
    assert.equal(t008.info?.tsPrecision, 9);
    assert.deepEqual(tsString(t008.records[0]), '1340954.905298858');
    assert.equal(t008.records[0].tsPrecision, 9);
    // Three sections (one big-endian in the middle of an LE file), interface ids restart per section.
    const t202 = await readFile(corpus('pcapng/output_le/difficult/test202.pcapng'));
    assert.deepEqual(
      t202.info?.interfaces.map((i) => `${i.section}:${i.id}:${i.linkType}`),
      ['0:0:1', '0:1:0', '1:0:1', '2:0:1', '2:1:0'],
    );
    assert.deepEqual(
      t202.records.map((r) => `${r.blockType}/${r.interfaceId}/${r.linkType}`),
      ['EPB/0/1', 'EPB/0/1', 'EPB/1/0', 'SPB/0/1', 'EPB/0/1', 'SPB/0/1', 'EPB/0/1', 'EPB/1/0'],
    );
    // Name Resolution Blocks
    assert.ok((t202.info?.names.length ?? 0) > 0);
    const t016 = await readFile(corpus('pcapng/output_le/basic/test016.pcapng'));
    assert.ok(t016.info!.names.length > 0);
    for (const n of t016.info!.names) {
      assert.match(n.address, /^[0-9a-f.:]+$/);
      assert.ok(n.names.length > 0 && n.names.every((s) => s.length > 0));
    }
  });

  it('cuts Simple Packet Blocks to the snaplen and the original length', async function () {
    // test012: snaplen 315; SPBs of 314 and 342 original bytes.
    const t012 = await readFile(corpus('pcapng/output_le/basic/test012.pcapng'));
    assert.equal(t012.info?.snaplen, 315);
    const spbs = t012.records.filter((r) => r.blockType === 'SPB');
    assert.deepEqual(
      spbs.map((r) => [r.caplen, r.origLen, r.tsSec, r.tsNsec]),
      [
        [314, 314, 0, 0],
        [315, 342, 0, 0],
      ],
    );
  });

  it('reads every file identically whatever the chunk size', function () {
    for (const row of rows) {
      const bytes = fs.readFileSync(corpus('pcapng', row.file));
      const whole = parseNg(bytes);
      for (const size of [1, 2, 3, 5, 8, 13, 64, 100, 4096]) {
        const split = parseNg(bytes, size);
        assert.deepEqual(split.records, whole.records, `${row.file} in chunks of ${size}`);
        assert.deepEqual(split.error, whole.error);
        assert.deepEqual(split.info, whole.info);
      }
    }
  });
});

// -------------------------------------------------------------------------------------------------
// Timestamps against tshark, every capture of the corpus

describe('capture: timestamps, counts and link types against tshark (all corpus captures)', function () {
  before(function () {
    needCorpus(this);
  });

  it('matches frame.time_epoch of every frame of every capture', async function () {
    let files = 0;
    let frames = 0;
    for (const dir of ['tcpdump', 'wireshark', 'other']) {
      for (const f of fs.readdirSync(corpus(dir)).sort()) {
        if (!f.endsWith('.tshark.tsv')) continue;
        const cap = corpus(dir, f.slice(0, -'.tshark.tsv'.length));
        // tshark prints odd values for invalid sub-second fields; checked separately below.
        if (/timestamp_invalid/.test(cap)) continue;
        const want = fs
          .readFileSync(corpus(dir, f), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split('\t')[1]);
        const res = await readFile(cap);
        assert.equal(res.error, null, `${cap}: ${res.error?.message}`);
        assert.deepEqual(res.records.map(tsString), want, cap);
        files++;
        frames += want.length;
        // The gzip original, where there is one, gives exactly the same records.
        if (fs.existsSync(cap + '.gz')) {
          const gz = await readFile(cap + '.gz');
          assert.equal(gz.error, null);
          assert.equal(gz.compressed, true);
          assert.deepEqual(gz.records, res.records, cap + '.gz');
          assert.deepEqual(gz.info, res.info);
        }
      }
    }
    assert.ok(files >= 60, `only ${files} captures with a tshark reference`);
    assert.ok(frames > 1000);
  });

  it('gives each pcap file the link type and packet count of its manifest', async function () {
    for (const [dir, countCol] of [
      ['tcpdump', 'packet_count'],
      ['wireshark', 'packets'],
      ['other', 'packets'],
    ]) {
      const seen = new Set<string>();
      for (const row of readManifest(`${dir}/MANIFEST.tsv`)) {
        const name = row.capture_file ?? row.file;
        if (seen.has(name)) continue;
        seen.add(name);
        const res = await readFile(corpus(dir, name));
        assert.equal(res.error, null, `${name}: ${res.error?.message}`);
        assert.equal(res.packets, Number(row[countCol]), `${name}: packets`);
        const lt = /\[LINKTYPE (\d+)\]/.exec(row.link_type);
        if (lt && res.info?.format === 'pcap') {
          assert.equal(res.info.linkType, Number(lt[1]), `${name}: link type`);
          assert.ok(res.records.every((r) => r.linkType === Number(lt[1])));
        }
      }
    }
  });
});

// -------------------------------------------------------------------------------------------------
// Classic pcap

/** Every classic pcap (µs or ns magic, either byte order) under the corpus. */
function corpusPcaps(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const fd = fs.openSync(p, 'r');
        const head = Buffer.alloc(4);
        const n = fs.readSync(fd, head, 0, 4, 0);
        fs.closeSync(fd);
        if (n === 4 && [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(head.readUInt32BE(0))) out.push(p);
      }
    }
  };
  walk(CORPUS as string);
  return out.sort();
}

interface OracleRecord {
  sec: number;
  sub: number;
  caplen: number;
  origLen: number;
  data: Buffer;
}

/** The records the npm package pcap-parser reads from a file (it knows only the µs magic: a ns file gets the µs magic of its byte order). */
function pcapParserRecords(file: string): Promise<OracleRecord[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pcapParser = require('pcap-parser') as { parse(input: NodeJS.ReadableStream): NodeJS.EventEmitter };
  const bytes = fs.readFileSync(file);
  const magic = bytes.readUInt32BE(0);
  if (magic === 0xa1b23c4d) bytes.writeUInt32BE(0xa1b2c3d4, 0);
  if (magic === 0x4d3cb2a1) bytes.writeUInt32BE(0xd4c3b2a1, 0);
  return new Promise((resolve, reject) => {
    const out: OracleRecord[] = [];
    let header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number } | null = null;
    const parser = pcapParser.parse(Readable.from([bytes]));
    parser.on('packetHeader', (h: typeof header) => (header = h));
    parser.on('packetData', (data: Buffer) => {
      const h = header as NonNullable<typeof header>;
      out.push({ sec: h.timestampSeconds, sub: h.timestampMicroseconds, caplen: h.capturedLength, origLen: h.originalLength, data: Buffer.from(data) });
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(out));
  });
}


describe('capture: classic pcap (PcapParser)', function () {
  before(function () {
    needCorpus(this);
  });

  it('gives the records pcap-parser gives for every classic pcap of the corpus (oracle)', async function () {
    const files = corpusPcaps();
    assert.ok(files.length >= 50, `only ${files.length} classic pcap files found`);
    let compared = 0;
    for (const file of files) {
      const ours = await readFile(file);
      const theirs = await pcapParserRecords(file);
      const what = path.relative(CORPUS as string, file);
      // pcap-parser never reports damage: it silently drops a record cut off by the end of the file
      // and would swallow the rest of the file for a huge captured length, where we stop. So ours
      // are a prefix of its records, and the same list when we read the file without error.
      assert.ok(ours.records.length <= theirs.length, `${what}: ${ours.records.length} records, pcap-parser ${theirs.length}`);
      if (ours.error === null) assert.equal(ours.records.length, theirs.length, `${what}: record count`);
      ours.records.forEach((r, i) => {
        const t = theirs[i];
        assert.deepEqual(
          [r.tsSec, r.tsNsec, r.fileLength - 16, r.origLen, r.data],
          [t.sec, t.sub * (ours.info?.tsPrecision === 9 ? 1 : 1000), t.caplen, t.origLen, t.data.subarray(0, r.caplen).toString('hex')],
          `${what}: record ${i + 1}`,
        );
        compared++;
      });
    }
    console.log(`      ${compared} records of ${files.length} classic pcap files identical to pcap-parser's`);
  });

  it('reads a big-endian file (pptp.pcap)', async function () {
    const res = await readFile(corpus('tcpdump/pptp.pcap'));
    assert.equal(res.error, null);
    assert.equal(res.info?.byteOrder, 'BE');
    assert.equal(res.info?.format, 'pcap');
    assert.equal(res.info?.snaplen, 65535);
    assert.equal(res.packets, 23);
    // record offsets: 24 + sum(16 + caplen)
    let off = 24;
    for (const r of res.records) {
      assert.equal(r.fileOffset, off);
      assert.equal(r.fileLength, 16 + r.caplen);
      assert.equal(r.blockType, 'pcap');
      assert.equal(r.interfaceId, 0);
      assert.equal(r.tsPrecision, 6);
      assert.equal(r.tsNsec % 1000, 0);
      off += r.fileLength;
    }
    assert.equal(off, fs.statSync(corpus('tcpdump/pptp.pcap')).size);
    // Same bytes as the file holds
    const bytes = fs.readFileSync(corpus('tcpdump/pptp.pcap'));
    const r5 = res.records[5];
    assert.equal(r5.data, bytes.subarray(r5.fileOffset + 16, r5.fileOffset + r5.fileLength).toString('hex'));
  });

  it('reads nanosecond files exactly (tcp-handshake-nano.pcap vs tcpdump --nano)', async function () {
    const res = await readFile(corpus('tcpdump/tcp-handshake-nano.pcap'));
    assert.equal(res.error, null);
    assert.equal(res.info?.tsPrecision, 9);
    assert.equal(res.info?.interfaces[0].tsUnitsPerSec, 1e9);
    const out = fs.readFileSync(corpus('tcpdump/tcp-handshake-nano.out'), 'utf8');
    const times = [...out.matchAll(/^\s*\d+\s+(\d\d):(\d\d):(\d\d)\.(\d{9}) /gm)];
    assert.equal(times.length, 3);
    assert.equal(res.records.length, 3);
    res.records.forEach((r, i) => {
      const [, hh, mm, ss, ns] = times[i];
      assert.equal(r.tsPrecision, 9);
      assert.equal(r.tsNsec, Number(ns), `packet ${i + 1} ns`);
      assert.equal(r.tsSec % 86400, Number(hh) * 3600 + Number(mm) * 60 + Number(ss), `packet ${i + 1} time of day`);
    });
    assert.deepEqual(
      res.records.map((r) => r.tsNsec),
      [924505488, 52027262, 52115157],
    );
  });

  it('hands on invalid sub-second values as they are (timestamp_invalid_*)', async function () {
    const micro = await readFile(corpus('tcpdump/timestamp_invalid_micro.pcap'));
    assert.deepEqual(
      micro.records.map((r) => r.tsNsec / 1000),
      [999999, 1000000, 2147483648],
    );
    const nano = await readFile(corpus('tcpdump/timestamp_invalid_nano.pcap'));
    assert.deepEqual(
      nano.records.map((r) => r.tsNsec),
      [999999999, 1000000000, 2147483648],
    );
  });

  it('keeps origLen > caplen of snaplen-truncated records, and cuts records longer than the snaplen like libpcap', async function () {
    const trunc = await readFile(corpus('tcpdump/tcp_rst_diag_payload-trunc.pcap'));
    assert.equal(trunc.info?.snaplen, 50);
    assert.ok(trunc.records.every((r) => r.caplen <= 50 && r.origLen > r.caplen));
    // mptcp-dss-oobr.pcap: snaplen 73, one record with caplen 74 → 73 bytes handed on (libpcap)
    const oobr = await readFile(corpus('tcpdump/mptcp-dss-oobr.pcap'));
    assert.equal(oobr.records.length, 1);
    assert.equal(oobr.records[0].caplen, 73);
    assert.equal(oobr.records[0].fileLength, 16 + 74);
  });

  it('masks the FCS bits out of the link-type field', async function () {
    const res = await readFile(corpus('tcpdump/beep-oobr.pcap')); // field 0x300000e5
    assert.equal(res.info?.linkType, 229);
    assert.ok(res.records.every((r) => r.linkType === 229));
  });

  it('reads synthetic LE/BE µs/ns files identically, whatever the chunk size', async function () {
    const records = [
      { sec: 1, sub: 2, data: Buffer.from('00112233', 'hex') },
      { sec: 0x7fffffff, sub: 999999, data: Buffer.alloc(100, 7), origLen: 1500 },
      { sec: 4000000000, sub: 0, data: Buffer.alloc(0) },
    ];
    for (const nano of [false, true]) {
      const results: Rec[][] = [];
      for (const le of [true, false]) {
        const file = tmpFile(`syn-${le}-${nano}.pcap`, buildPcap({ le, nano, records }));
        for (const chunkSize of [1, 3, 17, 1 << 20]) {
          const res = await readFile(file, chunkSize);
          assert.equal(res.error, null, `le=${le} nano=${nano} chunk=${chunkSize}: ${res.error?.message}`);
          assert.equal(res.info?.byteOrder, le ? 'LE' : 'BE');
          results.push(res.records);
        }
      }
      for (const r of results) assert.deepEqual(r, results[0]);
      assert.deepEqual(
        results[0].map((r) => [r.tsSec, r.tsNsec, r.caplen, r.origLen, r.tsPrecision]),
        [
          [1, nano ? 2 : 2000, 4, 4, nano ? 9 : 6],
          [0x7fffffff, nano ? 999999 : 999999000, 100, 1500, nano ? 9 : 6],
          [4000000000, 0, 0, 0, nano ? 9 : 6],
        ],
      );
    }
  });
});

// -------------------------------------------------------------------------------------------------
// Synthetic pcapng: every block type and timestamp resolution

describe('capture: the carry buffer both readers keep between chunks', function () {
  it('keeps every byte in order across growth, reads through its view, and is reused after clear()', function () {
    const src = Uint8Array.from({ length: 10000 }, (_, i) => (i * 7 + 3) & 0xff);
    const c = new CarryBuffer();
    // pieces of 1, 2, 4 … bytes, so appends cross the 4 KiB first capacity and a doubling
    for (let at = 0, n = 1; at < src.length; n *= 2) {
      const k = Math.min(n, src.length - at);
      c.append(src, at, k);
      at += k;
    }
    assert.equal(c.length, src.length);
    assert.ok(c.bytes.length >= src.length && c.bytes.length <= 16384, String(c.bytes.length));
    assert.deepEqual(c.bytes.subarray(0, c.length), src);
    assert.equal(c.view.getUint32(9996, false), new DataView(src.buffer).getUint32(9996, false));
    const buffer = c.bytes;
    c.clear();
    assert.equal(c.length, 0);
    c.append(src, 100, 16);
    assert.equal(c.bytes, buffer, 'no new allocation for a smaller piece');
    assert.deepEqual(c.bytes.subarray(0, 16), src.subarray(100, 116));
  });
});

describe('capture: PcapngParser on synthetic files', function () {
  it('converts timestamps exactly for every resolution, with if_tsoffset', function () {
    for (const le of [true, false]) {
      const w = new NgWriter(le).shb();
      w.idb(1, 0); // 0: µs (default)
      w.idb(1, 0, [w.u8opt(9, 9)]); // 1: ns
      w.idb(1, 0, [w.u8opt(9, 0x80 | 20)]); // 2: 2^-20 s
      w.idb(1, 0, [w.u8opt(9, 3), w.i64opt(14, -10n)]); // 3: ms, offset -10 s
      w.idb(1, 0, [w.u8opt(9, 12)]); // 4: ps
      w.idb(1, 0, [w.u8opt(9, 6), w.i64opt(14, 1000n)]); // 5: µs, offset +1000 s
      const d = Buffer.from('abcd', 'hex');
      const nsBig = 1_700_000_000_123_456_789n; // > 2^53: the long-division path
      w.epb(0, 1_700_000_000_999_999n, d);
      w.epb(1, nsBig, d);
      w.epb(1, 0xffffffffffffffffn, d);
      w.epb(2, (1_700_000_000n << 20n) + (1n << 19n) + 1n, d); // + 0.5 s + 1 unit (953.67 ns)
      w.epb(3, 1_700_000_000_250n, d);
      w.epb(4, 1_700_000_000_000_000_000_001n & 0xffffffffffffffffn, d);
      w.epb(5, 0n, d);
      w.epb(0, (1n << 53n) - 1n, d); // edge of the exact-double fast path
      w.epb(0, 1n << 53n, d);
      w.epb(1, 999_999_999n, d);
      const res = parseNg(w.bytes());
      assert.equal(res.error, null, res.error?.message);
      const ps = 1_700_000_000_000_000_000_001n & 0xffffffffffffffffn;
      const u53 = (1n << 53n) - 1n;
      assert.deepEqual(res.records.map(tsString), [
        '1700000000.999999000',
        '1700000000.123456789',
        `${0xffffffffffffffffn / 1_000_000_000n}.${String(0xffffffffffffffffn % 1_000_000_000n).padStart(9, '0')}`,
        '1700000000.500000953',
        '1699999990.250000000',
        `${ps / 10n ** 12n}.${String((ps % 10n ** 12n) / 1000n).padStart(9, '0')}`,
        '1000.000000000',
        `${u53 / 1_000_000n}.${String((u53 % 1_000_000n) * 1000n).padStart(9, '0')}`,
        `${(1n << 53n) / 1_000_000n}.${String(((1n << 53n) % 1_000_000n) * 1000n).padStart(9, '0')}`,
        '0.999999999',
      ]);
      assert.deepEqual(
        res.records.map((r) => r.tsPrecision),
        [6, 9, 9, 9, 6, 9, 6, 6, 6, 9],
      );
      assert.deepEqual(
        res.info?.interfaces.map((i) => [i.tsUnitsPerSec, i.tsOffset]),
        [
          [1e6, 0],
          [1e9, 0],
          [2 ** 20, 0],
          [1e3, -10],
          [1e12, 0],
          [1e6, 1000],
        ],
      );
    }
  });

  it('reads Packet Blocks, SPBs, NRBs, options and skips ISB/DSB/custom/unknown blocks', function () {
    const w = new NgWriter(true).shb();
    const opt = (code: number, s: string) => w.option(code, Buffer.from(s));
    w.block(0x0bad, Buffer.from('custom01')); // custom block before any IDB
    w.idb(1, 64, [opt(2, 'eth0'), opt(3, 'first interface')]);
    w.idb(0, 0, [opt(2, 'lo')]);
    const nrb = Buffer.concat([
      Buffer.from([1, 0, 8, 0, 10, 0, 0, 1]), // IPv4 10.0.0.1 "a\0b\0"
      Buffer.from('a\0b\0'),
      Buffer.from([2, 0, 22, 0]), // IPv6 ::1 "ip6\0local\0" (22 bytes → padded to 24)
      Buffer.from('00000000000000000000000000000001', 'hex'),
      Buffer.from('ip6\0\0\0'),
      Buffer.from([0, 0]), // pad
      Buffer.from([0, 0, 0, 0]), // nrb_record_end
    ]);
    w.block(4, nrb);
    w.block(5, Buffer.alloc(12)); // ISB
    w.block(0x0a, Buffer.alloc(8)); // DSB
    w.block(0x40000bad, Buffer.alloc(8)); // DCB
    w.block(0x12345678, Buffer.alloc(4)); // unknown
    w.pb(1, 5_000_001n, Buffer.from('0200000045', 'hex'));
    w.spb(200, Buffer.alloc(100, 1)); // room 100 → caplen 100
    w.spb(30, Buffer.alloc(40, 2)); // origLen 30 → caplen 30
    w.epb(0, 0n, Buffer.alloc(80, 3), 80, [opt(1, 'hello'), opt(1, 'wörld'), w.u32opt(2, 1), w.option(3, Buffer.alloc(5))]);
    const res = parseNg(w.bytes());
    assert.equal(res.error, null, res.error?.message);
    assert.deepEqual(
      res.records.map((r) => [r.blockType, r.interfaceId, r.linkType, r.caplen, r.origLen, tsString(r)]),
      [
        ['PB', 1, 0, 5, 5, '5.000001000'],
        ['SPB', 0, 1, 64, 200, '0.000000000'], // cut to snaplen 64
        ['SPB', 0, 1, 30, 30, '0.000000000'],
        ['EPB', 0, 1, 80, 80, '0.000000000'],
      ],
    );
    assert.deepEqual(res.records[3].comments, ['hello', 'wörld']);
    assert.equal(res.records[3].epbFlags, 1);
    assert.equal(res.records[0].comments, undefined);
    assert.deepEqual(
      res.info?.interfaces.map((i) => [i.name, i.description, i.snaplen]),
      [
        ['eth0', 'first interface', 64],
        ['lo', undefined, 0],
      ],
    );
    assert.deepEqual(res.info?.names, [
      { address: '10.0.0.1', names: ['a', 'b'] },
      { address: '::1', names: ['ip6'] },
    ]);
    // indexes count packets only, offsets point at the blocks
    assert.deepEqual(
      res.records.map((r) => r.index),
      [0, 1, 2, 3],
    );
    const blocks = ngBlocks(w.bytes());
    for (const r of res.records) assert.ok(blocks.some(([o, l]) => o === r.fileOffset && l === r.fileLength));
  });

  it('calls onInfo for each interface, and at the end for a file without any', function () {
    const calls: number[] = [];
    const p = new PcapngParser({ onInfo: (i) => calls.push(i.interfaces.length), onRecord() {} });
    const w = new NgWriter().shb().idb(1, 0).idb(0, 0);
    p.push(w.bytes());
    assert.equal(p.end(), null);
    assert.deepEqual(calls, [1, 2]);
    const calls2: (number | string)[] = [];
    const p2 = new PcapngParser({ onInfo: (i) => calls2.push(i.format), onRecord() {} });
    p2.push(new NgWriter().shb().bytes());
    assert.equal(p2.end(), null);
    assert.deepEqual(calls2, ['pcapng']);
    assert.equal(p2.info?.linkType, -1);
  });
});

// -------------------------------------------------------------------------------------------------
// Damage

describe('capture: damaged input', function () {
  /** A valid multi-section pcapng file (LE + BE sections) with several packets. */
  function sampleNg(): Buffer {
    const w = new NgWriter(true).shb().idb(1, 0).epb(0, 1n, Buffer.alloc(60, 1)).epb(0, 2n, Buffer.alloc(61, 2));
    w.block(5, Buffer.alloc(12));
    w.shb(false).idb(0, 0).spb(10, Buffer.alloc(10, 3)).epb(0, 3n, Buffer.alloc(1, 4), 1, [w.option(1, Buffer.from('c'))]);
    return w.bytes();
  }

  it('pcapng cut at every offset: earlier packets delivered, a truncation error at the cut block', function () {
    const files: [string, Buffer][] = [['synthetic', sampleNg()]];
    if (CORPUS) {
      for (const f of ['output_le/difficult/test202.pcapng', 'output_be/advanced/test102.pcapng', 'output_be/basic/test009.pcapng']) {
        files.push([f, fs.readFileSync(corpus('pcapng', f))]);
      }
    }
    for (const [name, bytes] of files) {
      const full = parseNg(bytes);
      assert.equal(full.error, null);
      const blocks = ngBlocks(bytes);
      for (let cut = 0; cut < bytes.length; cut++) {
        const res = parseNg(bytes.subarray(0, cut), cut % 2 ? 7 : 4096);
        const complete = full.records.filter((r) => r.fileOffset + r.fileLength <= cut);
        assert.deepEqual(res.records, complete, `${name} cut at ${cut}`);
        const atBoundary = blocks.some(([o]) => o === cut);
        if (cut === 0) {
          assert.equal(res.error?.kind, 'not-a-capture');
        } else if (atBoundary) {
          assert.equal(res.error, null, `${name} cut at block boundary ${cut}`);
        } else {
          const inBlock = blocks.find(([o, l]) => o < cut && cut < o + l)!;
          assert.equal(res.error?.kind, 'truncated', `${name} cut at ${cut}: ${res.error?.message}`);
          assert.equal(res.error?.offset, inBlock[0], `${name} cut at ${cut}: offset`);
          assert.match(res.error!.message, /ends/);
        }
      }
    }
  });

  it('pcapng with damaged length fields, caplen or interface id: stops with a clear error', function () {
    const bytes = sampleNg();
    const blocks = ngBlocks(bytes);
    const full = parseNg(bytes);
    // blocks: SHB, IDB, EPB, EPB, ISB, SHB(BE), IDB, SPB, EPB
    const epb2 = blocks[3];
    const before = full.records.filter((r) => r.fileOffset < epb2[0]);
    const cases: [string, (b: Buffer) => void, CaptureError['kind'], RegExp][] = [
      ['length < 12', (b) => b.writeUInt32LE(8, epb2[0] + 4), 'corrupt', /too short/],
      ['length not a multiple of 4', (b) => b.writeUInt32LE(epb2[1] + 1, epb2[0] + 4), 'corrupt', /multiple of 4/],
      ['length past the end', (b) => b.writeUInt32LE(0x00100000, epb2[0] + 4), 'truncated', /ends inside/],
      ['length huge', (b) => b.writeUInt32LE(0xfffffff0, epb2[0] + 4), 'corrupt', /more than/],
      ['trailer disagrees', (b) => b.writeUInt32LE(epb2[1] + 4, epb2[0] + epb2[1] - 4), 'corrupt', /at its end/],
      ['caplen beyond the block', (b) => b.writeUInt32LE(1000, epb2[0] + 20), 'corrupt', /room/],
      ['unknown interface', (b) => b.writeUInt32LE(3, epb2[0] + 8), 'corrupt', /interface 3/],
    ];
    for (const [what, damage, kind, msg] of cases) {
      const b = Buffer.from(bytes);
      damage(b);
      for (const chunk of [b.length, 1, 5]) {
        const res = parseNg(b, chunk);
        assert.deepEqual(res.records, before, `${what}: earlier records`);
        assert.equal(res.error?.kind, kind, `${what}: ${res.error?.message}`);
        assert.equal(res.error?.offset, epb2[0], `${what}: offset`);
        assert.match(res.error!.message, msg);
        assert.match(res.error!.message, new RegExp(`byte ${epb2[0]}\\b`));
      }
    }
    // A second-section (big-endian) block damaged: the first section's packets all arrive.
    const spb = blocks[7];
    const b = Buffer.from(bytes);
    b.writeUInt32BE(7, spb[0] + 4);
    const res = parseNg(b);
    assert.equal(res.records.length, 2);
    assert.equal(res.error?.offset, spb[0]);
    // SPB in a section without interfaces
    const w = new NgWriter().shb().spb(4, Buffer.alloc(4));
    const r2 = parseNg(w.bytes());
    assert.equal(r2.error?.kind, 'corrupt');
    assert.match(r2.error!.message, /no interface is defined/);
    assert.ok(PCAPNG_MAX_BLOCK_SIZE >= 1 << 20);
  });

  it('pcapng: a file not starting with an SHB is not a capture', function () {
    const w = new NgWriter().idb(1, 0);
    assert.equal(parseNg(w.bytes()).error?.kind, 'not-a-capture');
    assert.equal(parseNg(Buffer.from('\n\r\r\nhello world, this is text')).error?.kind, 'not-a-capture');
    assert.equal(parseNg(new Uint8Array(0)).error?.kind, 'not-a-capture');
    assert.equal(parseNg(Buffer.from('hello')).error?.kind, 'not-a-capture');
    assert.equal(parseNg(Buffer.from('0a0d0d0a1c00', 'hex')).error?.kind, 'truncated');
  });

  it('pcapng: random damage never throws', function () {
    const base = sampleNg();
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(base);
      for (let k = 1 + rnd(4); k > 0; k--) b[rnd(b.length)] = rnd(256);
      const res = parseNg(b, 1 + rnd(64));
      if (res.error) assert.ok(res.error.message.length > 10);
    }
  });

  it('pcap cut at every offset: earlier records delivered, a truncation error with the record offset', async function () {
    const records = [
      { sec: 10, sub: 1, data: Buffer.alloc(40, 1) },
      { sec: 11, sub: 2, data: Buffer.alloc(3, 2) },
      { sec: 12, sub: 3, data: Buffer.alloc(0) },
      { sec: 13, sub: 4, data: Buffer.alloc(70, 4), origLen: 1000 },
    ];
    for (const le of [true, false]) {
      const bytes = buildPcap({ le, records });
      const full = await readFile(tmpFile('full.pcap', bytes));
      assert.equal(full.error, null);
      const starts = full.records.map((r) => r.fileOffset);
      for (let cut = 0; cut < bytes.length; cut++) {
        const res = await readFile(tmpFile('cut.pcap', bytes.subarray(0, cut)), cut % 3 ? 5 : undefined);
        const complete = full.records.filter((r) => r.fileOffset + r.fileLength <= cut);
        assert.deepEqual(res.records, complete, `cut at ${cut}`);
        if (cut === 0) {
          assert.equal(res.error?.kind, 'not-a-capture');
          assert.match(res.error!.message, /empty/);
        } else if (cut < 4) {
          assert.equal(res.error?.kind, 'not-a-capture');
        } else if (cut < 24) {
          assert.equal(res.error?.kind, 'truncated');
          assert.equal(res.error?.offset, 0);
        } else if (cut === 24 || starts.includes(cut)) {
          assert.equal(res.error, null, `cut at record boundary ${cut}`);
        } else {
          const at = [...starts].reverse().find((s) => s < cut)!;
          assert.equal(res.error?.kind, 'truncated', `cut at ${cut}`);
          assert.equal(res.error?.offset, at, `cut at ${cut}: ${res.error?.message}`);
          assert.match(res.error!.message, new RegExp(`record ${complete.length + 1} at byte ${at}`));
        }
      }
    }
  });

  it('pcap with a huge caplen stops at once with a corrupt error', async function () {
    const records = [
      { sec: 1, sub: 0, data: Buffer.alloc(20, 1) },
      { sec: 2, sub: 0, data: Buffer.alloc(20, 2), caplen: 0x7fff0000 },
      { sec: 3, sub: 0, data: Buffer.alloc(20, 3) },
    ];
    for (const le of [true, false]) {
      const res = await readFile(tmpFile('huge.pcap', buildPcap({ le, records })));
      assert.equal(res.records.length, 1);
      assert.equal(res.error?.kind, 'corrupt');
      assert.equal(res.error?.offset, 24 + 16 + 20);
      assert.match(res.error!.message, /record 2 at byte 60 claims 2147418112 captured bytes, more than the maximum of 262144/);
    }
  });

  it('pcap with flipped length fields never throws and keeps the records before the damage', async function () {
    needCorpus(this);
    const bytes = fs.readFileSync(corpus('tcpdump/dns_tcp.pcap'));
    const full = await readFile(corpus('tcpdump/dns_tcp.pcap'));
    for (const r of full.records) {
      for (const v of [0xffffffff, r.caplen + 1, r.caplen + 1000, 262145]) {
        const b = Buffer.from(bytes);
        b.writeUInt32LE(v, r.fileOffset + 8);
        const res = await readFile(tmpFile('flip.pcap', b));
        assert.deepEqual(res.records.slice(0, r.index), full.records.slice(0, r.index));
        assert.ok(res.error, `caplen ${v} at record ${r.index}`);
        assert.ok(['corrupt', 'truncated'].includes(res.error.kind));
        assert.ok(res.error.offset >= r.fileOffset);
      }
    }
  });

  it('a truncated gzip file reports the cut and keeps what came before', async function () {
    needCorpus(this);
    const gz = fs.readFileSync(corpus('wireshark/communityid.pcap.gz'));
    const full = await readFile(corpus('wireshark/communityid.pcap.gz'));
    for (const cut of [Math.floor(gz.length / 3), Math.floor(gz.length / 2), gz.length - 9]) {
      const res = await readFile(tmpFile('cut.pcap.gz', gz.subarray(0, cut)));
      assert.ok(res.error, `cut at ${cut}`);
      assert.equal(res.error.kind, 'truncated');
      assert.match(res.error.message, /gzip/);
      assert.ok(res.records.length < full.records.length || cut > gz.length - 10);
      assert.deepEqual(res.records, full.records.slice(0, res.records.length));
    }
  });
});

// -------------------------------------------------------------------------------------------------
// Files that are not captures, I/O errors

describe('capture: not a capture, I/O errors', function () {
  it('reports a missing file as an io error in one line', async function () {
    const res = await readFile('/nonexistent/x.pcap');
    assert.deepEqual(res.error, { kind: 'io', offset: 0, message: 'cannot open /nonexistent/x.pcap: no such file' });
    assert.equal(res.info, null);
    assert.equal(res.packets, 0);
  });

  it('reports a directory as an io error', async function () {
    const res = await readFile(os.tmpdir());
    assert.equal(res.error?.kind, 'io');
    assert.match(res.error!.message, /directory/);
  });

  it('recognises text, empty and tiny files as not captures', async function () {
    const html = tmpFile('x.txt', '<html><body>hi</body></html>');
    const res = await readFile(html);
    assert.deepEqual(res.error, {
      kind: 'not-a-capture',
      offset: 0,
      message: `${html} is not a pcap or pcapng capture file (starts with 3c 68 74 6d)`,
    });
    const empty = await readFile(tmpFile('empty.pcap', ''));
    assert.equal(empty.error?.kind, 'not-a-capture');
    assert.match(empty.error!.message, /empty/);
    const tiny = await readFile(tmpFile('tiny.pcap', Buffer.from([0xd4, 0xc3])));
    assert.equal(tiny.error?.kind, 'not-a-capture');
    const gzText = await readFile(tmpFile('text.gz', zlib.gzipSync('hello, world')));
    assert.equal(gzText.error?.kind, 'not-a-capture');
    assert.match(gzText.error!.message, /gzip-compressed.*starts with 68 65 6c 6c/);
    const gzPcapng = await readFile(tmpFile('syn.pcapng.gz', zlib.gzipSync(new NgWriter().shb().idb(1, 0).epb(0, 5n, Buffer.alloc(9)).bytes())));
    assert.equal(gzPcapng.error, null);
    assert.equal(gzPcapng.packets, 1);
  });

  it('resolves with an io error (never rejects) when the record handler throws', async function () {
    const file = tmpFile('throw.pcap', buildPcap({ records: [{ sec: 1, sub: 1, data: Buffer.alloc(4) }] }));
    const boom = new Error('boom');
    const summary = await readCaptureFile(file, {
      onRecord() {
        throw boom;
      },
    }).done;
    assert.equal(summary.error?.kind, 'io');
    assert.match(summary.error!.message, /boom/);
    assert.equal(summary.thrown, boom);
  });
});

// -------------------------------------------------------------------------------------------------
// syncReads: synchronous reads into one buffer reused for every chunk (the CLI's print)

describe('capture: syncReads (one read buffer, reused)', function () {
  /** Records of many sizes (0 to 300 bytes), each filled with its own byte pattern, so a stale byte shows. */
  function variedRecords(n: number): { sec: number; sub: number; data: Buffer }[] {
    const records = [];
    for (let i = 0; i < n; i++) {
      const data = Buffer.alloc((i * 37) % 301);
      for (let k = 0; k < data.length; k++) data[k] = (i * 7 + k) & 255;
      records.push({ sec: 1000 + i, sub: i, data });
    }
    return records;
  }

  it('gives the records the stream gives for every read size: headers and records cut across reads of one buffer', async function () {
    const file = tmpFile('sync-varied.pcap', buildPcap({ records: variedRecords(300) }));
    const want = await readFile(file);
    assert.equal(want.error, null);
    assert.equal(want.records.length, 300);
    // 1-3: the first 4 bytes (the magic) come in pieces kept across reads; 16/17: record headers cut;
    // 4096 and 1 MiB: records cut at the end of a read, then the buffer is overwritten by the next
    for (const chunkSize of [1, 2, 3, 5, 16, 17, 100, 301, 4096, 1 << 20]) {
      const got = await readFile(file, chunkSize, true);
      assert.equal(got.error, null, `chunk ${chunkSize}: ${got.error?.message}`);
      assert.deepEqual(got.records, want.records, `chunk ${chunkSize}`);
      assert.deepEqual(got.info, want.info);
    }
  });

  it('reads pcapng the same way', async function () {
    const w = new NgWriter().shb().idb(1, 0);
    for (const r of variedRecords(200)) w.epb(0, BigInt(r.sec), r.data);
    const file = tmpFile('sync-varied.pcapng', w.bytes());
    const want = await readFile(file);
    assert.equal(want.records.length, 200);
    for (const chunkSize of [1, 3, 28, 333, 1 << 20]) assert.deepEqual((await readFile(file, chunkSize, true)).records, want.records, `chunk ${chunkSize}`);
  });

  it('reports a cut file, a tiny file and a gzip file as the stream does', async function () {
    const bytes = buildPcap({ records: variedRecords(20) });
    for (const cut of [0, 2, 10, 30, bytes.length - 1]) {
      const file = tmpFile('sync-cut.pcap', bytes.subarray(0, cut));
      const want = await readFile(file, 7);
      const got = await readFile(file, 7, true);
      assert.ok(want.error, `cut at ${cut}`);
      assert.deepEqual(got.error, want.error, `cut at ${cut}`);
      assert.deepEqual(got.records, want.records, `cut at ${cut}`);
    }
    const gz = tmpFile('sync.pcap.gz', zlib.gzipSync(bytes));
    const fromGz = await readFile(gz, 100, true);
    assert.equal(fromGz.error, null);
    assert.equal(fromGz.compressed, true);
    assert.deepEqual(fromGz.records, (await readFile(tmpFile('sync-whole.pcap', bytes))).records);
  });

  it('pauses, resumes and cancels between slices', async function () {
    const records = [];
    for (let i = 0; i < 20000; i++) records.push({ sec: i, sub: 0, data: Buffer.alloc(60, i & 255) });
    const file = tmpFile('sync-big.pcap', buildPcap({ records }));
    let count = 0;
    const reading = readCaptureFile(
      file,
      {
        onRecord() {
          if (++count === 10) reading.pause();
        },
      },
      { syncReads: true },
    );
    await new Promise((r) => setTimeout(r, 50));
    const whilePaused = count;
    // at most the rest of one 64 KiB slice after pause()
    assert.ok(whilePaused - 10 <= Math.ceil((64 * 1024) / 76) + 1, `${whilePaused - 10} records after pause()`);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(count, whilePaused, 'no records while paused');
    reading.resume();
    assert.equal((await reading.done).packets, 20000);
    let n = 0;
    const cancelled = readCaptureFile(file, { onRecord: () => void (++n === 5 && cancelled.cancel()) }, { syncReads: true });
    const summary = await cancelled.done;
    assert.equal(summary.cancelled, true);
    assert.equal(n, 5);
  });
});

// -------------------------------------------------------------------------------------------------
// Backpressure

describe('capture: pause / resume / cancel', function () {
  function bigPcap(n: number): string {
    const records = [];
    for (let i = 0; i < n; i++) records.push({ sec: i, sub: 0, data: Buffer.alloc(60, i & 255) });
    return tmpFile(`big-${n}.pcap`, buildPcap({ records }));
  }
  function bigPcapng(n: number): string {
    const w = new NgWriter().shb().idb(1, 0);
    for (let i = 0; i < n; i++) w.epb(0, BigInt(i), Buffer.alloc(60, i & 255));
    return tmpFile(`big-${n}.pcapng`, w.bytes());
  }
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  for (const [kind, make] of [
    ['pcap', bigPcap],
    ['pcapng', bigPcapng],
  ] as const) {
    it(`stops delivering records while paused (${kind})`, async function () {
      const n = 20000; // ~1.5 MB
      const file = make(n);
      let count = 0;
      let atPause = -1;
      let finished = false;
      const reading = readCaptureFile(
        file,
        {
          onRecord() {
            count++;
            if (count === 10) {
              reading.pause();
              atPause = count;
            }
          },
        },
        { chunkSize: 256 * 1024 },
      );
      void reading.done.then(() => (finished = true));
      // wait for the first records however slow the machine is (a fixed 100 ms failed under load), then a little more
      for (let waited = 0; atPause < 0 && !finished && waited < 20_000; waited += 10) await tick(10);
      await tick(50);
      const whilePaused = count;
      assert.ok(atPause === 10);
      assert.ok(whilePaused < n / 2, `${whilePaused} records delivered after pause()`);
      // At most the rest of one 64 KiB slice after pause().
      assert.ok(whilePaused - atPause <= Math.ceil((64 * 1024) / 76) + 1, `${whilePaused - atPause} records after pause()`);
      await tick(50);
      assert.equal(count, whilePaused, 'no records while paused');
      assert.equal(finished, false);
      reading.resume();
      const summary = await reading.done;
      assert.equal(summary.error, null);
      assert.equal(summary.packets, n);
      assert.equal(count, n);
    });
  }

  it('cancel() ends the reading early', async function () {
    const file = bigPcapng(20000);
    let count = 0;
    const reading = readCaptureFile(
      file,
      {
        onRecord() {
          if (++count === 5) reading.cancel();
        },
      },
      { chunkSize: 64 * 1024 },
    );
    const summary = await reading.done;
    assert.equal(summary.cancelled, true);
    assert.equal(summary.error, null);
    assert.equal(count, 5, 'no record after cancel()');
    assert.equal(summary.packets, 5);
  });

  it('cancel() while paused resolves done', async function () {
    const file = bigPcap(20000);
    const reading = readCaptureFile(file, { onRecord() {} }, { chunkSize: 64 * 1024 });
    reading.pause();
    await tick(20);
    reading.cancel();
    const summary = await reading.done;
    assert.equal(summary.cancelled, true);
  });
});

// -------------------------------------------------------------------------------------------------
// stderr stays clean (pcap-parser, which we used to read with, printed DEP0005 for `new Buffer`)

describe('capture: no warning on stderr', function () {
  it('prints nothing on stderr, even with --pending-deprecation', function () {
    const records = [];
    for (let i = 0; i < 5000; i++) records.push({ sec: i, sub: 0, data: Buffer.alloc(60) });
    const file = tmpFile('dep.pcap', buildPcap({ records }));
    const mod = require.resolve('../src/node/captureFile');
    const script =
      `const { readCaptureFile } = require(${JSON.stringify(mod)});` +
      `readCaptureFile(${JSON.stringify(file)}, { onRecord() {} }, { chunkSize: 4096 }).done.then((s) => process.stdout.write(String(s.packets)));`;
    const r = spawnSync(process.execPath, ['--pending-deprecation', '-e', script], { encoding: 'utf8' });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '5000');
  });
});
