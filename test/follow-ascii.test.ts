/**
 * Follow TCP Stream from tcpdump -A text (issue 13: "Also from tcpdump text carrying payload (-X, -XX, -x,
 * -A): the same view"): the payload read back from the ASCII dump under each packet line
 * (src/core/follow/asciiDump.ts), CRs before LFs put back where the headers' lengths say bytes are missing,
 * and the view told the bytes are lossy. Checked against the capture tcpdump printed it from (the installed
 * tcpdump; skipped with a reason without it).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { asciiDumpPayload } from '../src/core/follow/asciiDump';
import { directionBytes } from '../src/core/follow/render';
import { followCapture, followText } from '../src/node/follow';
import { TextStreamData } from '../src/extension/follow/source';
import { nodeInflate } from '../src/node/httpInflate';
import { httpCases } from './helpers/httpCaptures';
import { needTool } from './helpers/tools';

const latin1 = (b: Uint8Array | null | undefined): string => Buffer.from(b ?? []).toString('latin1');

describe('Follow: tcpdump -A text', function () {
  it('reads a payload after a 20-byte IPv4 and a 20-byte TCP header ("E", "P"), putting CR back before LF', function () {
    // tcpdump 4.99.3 -A, the first segment of a POST (length 30)
    const dump = ['E..F..@.@.&.', '...', '....@.P........P....0..POST /upload HTTP/1.1', 'Host: e'];
    assert.equal(latin1(asciiDumpPayload(dump, 30)), 'POST /upload HTTP/1.1\r\nHost: e');
  });

  it('a TCP header length that is not printable (0x80: 32 bytes with timestamps) is taken as 32', function () {
    const ip = 'E' + '.'.repeat(19);
    const tcp = '.'.repeat(32);
    assert.equal(latin1(asciiDumpPayload([ip + tcp + 'hi', 'there', ''], 11)), 'hi\r\nthere\r\n');
    assert.equal(latin1(asciiDumpPayload([ip + tcp + 'a', 'b'], 3)), 'a\nb', 'no CR missing: none put back');
  });

  it('text that is not a dump, or too short for its length, gives nothing', function () {
    assert.equal(asciiDumpPayload(['hello world'], 5), null);
    assert.equal(asciiDumpPayload([], 0), null);
    assert.equal(asciiDumpPayload(['E' + '.'.repeat(39) + 'ab'], 500), null);
  });

  describe('against the capture tcpdump printed it from', function () {
    let dir: string;
    let pcap: string;
    let text: string;
    let texts: Record<string, string>;
    before(function () {
      needTool(this, 'tcpdump');
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-ascii-'));
      pcap = path.join(dir, 'http.pcap');
      const c = httpCases();
      texts = c.texts;
      fs.writeFileSync(pcap, c.pcap);
      const r = spawnSync('tcpdump', ['-A', '-n', '-r', pcap], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } });
      assert.equal(r.status, 0, r.stderr);
      text = r.stdout;
    });
    after(function () {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('text streams come back byte for byte (streams 0 and 3, both directions); the source says they are lossy', async function () {
      for (const n of [0, 3]) {
        const a = followText(text, n);
        const c = await followCapture(pcap, n);
        try {
          assert.equal(a.lossy, true);
          for (const d of [0, 1] as const) {
            const got = Buffer.concat([...directionBytes(a.stream!, d, a.frame)]);
            const want = Buffer.concat([...directionBytes(c.stream!, d, c.frame)]);
            assert.ok(got.length > 0);
            assert.equal(got.toString('latin1'), want.toString('latin1'), `stream ${n} direction ${d}`);
          }
        } finally {
          c.close();
        }
      }
    });

    it('binary bytes are "." but keep their places (the gzip body of stream 2 has the capture\'s length)', async function () {
      const a = followText(text, 2);
      const c = await followCapture(pcap, 2);
      const got = Buffer.concat([...directionBytes(a.stream!, 1, a.frame)]);
      const want = Buffer.concat([...directionBytes(c.stream!, 1, c.frame)]);
      c.close();
      assert.equal(got.length, want.length);
      assert.ok(got.toString('latin1').startsWith('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n'));
    });

    it('the Follow view of -A text: lossy in its meta, and HTTP mode rebuilds the POST body', async function () {
      const v = new TextStreamData(text, 0, (p, b) => fs.promises.writeFile(p, b), nodeInflate);
      try {
        const meta = (await v.meta())!;
        assert.equal(meta.lossy, true);
        const page = await v.page(0, 64, true);
        const post = page.find((c) => c.head?.title === 'POST /upload HTTP/1.1')!;
        assert.equal(latin1(post.head!.body), texts.post);
        const plain = await v.page(0, 64);
        assert.ok(plain.some((c) => latin1(c.bytes).startsWith('POST /upload HTTP/1.1\r\n')), 'text mode shows the bytes');
      } finally {
        v.close();
      }
    });

    it('text without dumps keeps its bytes "not captured" and is not lossy', function () {
      const plain = spawnSync('tcpdump', ['-n', '-r', pcap], { encoding: 'latin1' }).stdout;
      const a = followText(plain, 0);
      assert.equal(a.lossy, undefined);
      assert.equal(Buffer.concat([...directionBytes(a.stream!, 0, a.frame)]).length, 0);
    });
  });
});
