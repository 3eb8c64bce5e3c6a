/**
 * Node's decoder of HTTP content codings for src/core/follow/http.ts (the core is pure and takes it as
 * a parameter): gzip, deflate (zlib-wrapped as RFC 9110 says, or raw as some servers send it) and br,
 * through node:zlib's one-shot functions with `maxOutputLength`, so a "decompression bomb" stops at
 * the cap instead of filling memory (zlib throws ERR_BUFFER_TOO_LARGE, reported as `capped`). A body cut
 * short by the capture decodes as far as it goes (Z_SYNC_FLUSH: no "unexpected end of file").
 *
 * Why not a pure-JS inflater in core: Node's zlib is the maintained, fast one and is already what
 * src/node/gzipLimits.ts relies on; the webview gets decoded bodies from the host, so core needs none.
 */
import * as zlib from 'node:zlib';
import type { ContentCoding, Inflate, InflateResult } from '../core/follow/http';

function tooLarge(err: unknown): boolean {
  return err instanceof RangeError || (err as NodeJS.ErrnoException | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

function run(f: (b: Buffer, o: zlib.ZlibOptions | zlib.BrotliOptions) => Buffer, data: Uint8Array, maxOutput: number, brotli: boolean): InflateResult {
  const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const o = brotli
    ? { maxOutputLength: Math.max(1, maxOutput), finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }
    : { maxOutputLength: Math.max(1, maxOutput), finishFlush: zlib.constants.Z_SYNC_FLUSH };
  try {
    const out = f(input, o);
    return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), capped: false };
  } catch (err) {
    if (tooLarge(err)) return { capped: true };
    return { capped: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Decode `data` (one content coding) with at most `maxOutput` bytes of output; never throws. */
export const nodeInflate: Inflate = (data: Uint8Array, coding: ContentCoding, maxOutput: number): InflateResult => {
  if (coding === 'gzip') return run(zlib.gunzipSync, data, maxOutput, false);
  if (coding === 'br') return run(zlib.brotliDecompressSync, data, maxOutput, true);
  // "deflate" is the zlib format (RFC 9110 §8.4.1.2); a zlib header's first byte is 0x?8 with a checksum over two bytes
  const zlibHeader = data.length >= 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0;
  return zlibHeader ? run(zlib.inflateSync, data, maxOutput, false) : run(zlib.inflateRawSync, data, maxOutput, false);
};
