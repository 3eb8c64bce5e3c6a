/**
 * How far a gzip-compressed capture is decompressed (the CLI's reader in src/node/captureFile.ts
 * and the capture editor's worker, which decompresses to a temporary file). Without a bound a
 * 255 KB "decompression bomb" named .pcap became 256 MB on disk and 16.7 M empty records in the
 * index (issue 11): gzip reaches about 1030× on runs of zeros.
 *
 * Real gzip-compressed captures shrink 3–10× (headers vary, payloads are often compressed or
 * encrypted already); captures of one packet repeated reach a few tens. So:
 * - up to `floorBytes` (16 MiB) of output is always allowed, whatever the ratio: small files of
 *   very repetitive traffic open, and 16 MiB is harmless (at most 1 M empty records, ~50 MB of index;
 *   the 255 KB bomb gave 16.7 M of them at 470 MB);
 * - beyond it, at most `maxRatio` (100×) the compressed size: ten times the most a real capture
 *   needs, a tenth of what a bomb does;
 * - and never more than `maxBytes` (4 GiB): the editor's index holds 16.7 M packets (33.5 M with
 *   few connections; 1 GiB at ~31 bytes a packet while indexing, src/worker/captureIndex.ts),
 *   which average captures reach well before 4 GiB.
 * What was decompressed before the limit is read normally; the reading then stops with a 'limit'
 * CaptureError saying where and why.
 */
export interface GzipLimits {
  floorBytes: number;
  maxRatio: number;
  maxBytes: number;
}

export const GZIP_LIMITS: Readonly<GzipLimits> = Object.freeze({
  floorBytes: 16 * 1024 * 1024,
  maxRatio: 100,
  maxBytes: 4 * 1024 * 1024 * 1024,
});

/** The limits with some fields replaced (tests make them small); absent fields keep the defaults. */
export function gzipLimits(over?: Partial<GzipLimits>): GzipLimits {
  return { ...GZIP_LIMITS, ...over };
}

/** Most decompressed bytes allowed for a compressed file of `compressedBytes`. */
export function gzipAllowance(compressedBytes: number, limits: GzipLimits = GZIP_LIMITS): number {
  return Math.max(0, Math.min(limits.maxBytes, Math.max(limits.floorBytes, compressedBytes * limits.maxRatio)));
}

function size(n: number): string {
  return n >= 1 << 20 ? `${+(n / (1 << 20)).toFixed(1)} MiB` : `${n} bytes`;
}

/** The message when decompression stopped at the allowance. */
export function gzipLimitMessage(name: string, compressedBytes: number, allowance: number, limits: GzipLimits = GZIP_LIMITS): string {
  const why =
    allowance >= limits.maxBytes
      ? `the most that is decompressed (${size(limits.maxBytes)})`
      : `${limits.maxRatio} times its compressed size of ${size(compressedBytes)}: a real capture does not compress that well (a "decompression bomb" does)`;
  return (
    `${name}: decompression stopped after ${size(allowance)}, ${why}. The packets in those ${size(allowance)} are shown; ` +
    'decompress the file yourself (gunzip) to read all of it'
  );
}
