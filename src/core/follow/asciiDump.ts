/**
 * A TCP segment's payload from tcpdump's -A output (print-ascii.c, ascii_print): under the packet line,
 * the packet from its IP header on, one character a byte — printable ASCII, TAB, space and LF as they
 * are, a CR before an LF (or among the last two bytes) left out, every other byte as ".". The lines of a
 * dump joined by LF are therefore the packet's bytes, except that
 *   - every byte that was not printable is now a "." (lost: the view says so),
 *   - CRs before LFs are gone, so the text is shorter than the packet by their number.
 * The payload is the segment's last `len` bytes (`len`: the packet line's "length N"). Where it starts
 * follows from the headers' lengths: the IPv4 header's length is in its first byte ("E" = 0x45: 20 bytes;
 * "`" = 0x60: IPv6, 40), the TCP header's in its 13th byte ("P" = 0x50: 20, "`": 24, "p": 28; "." — 0x80
 * and above, not printable — 32 to 60, 32 being the usual header with timestamps). The CRs to put back are
 * then `len` less the characters after the headers; they go before the payload's first LFs (an HTTP head,
 * an SMTP or FTP command: CR LF lines; a body after it may use bare LFs).
 *
 * Pure; one pass over the dump's characters; nothing here throws.
 */

const LF = 10;
const CR = 13;
const DOT = 0x2e;

/** IP header length from the dump's first character (-1: not an IP header we can read). */
function ipHeaderLength(t: string): number {
  const c = t.charCodeAt(0);
  // IPv4: version 4 and IHL 5..15 → "E".."O"
  if (c >= 0x45 && c <= 0x4f) return (c - 0x40) * 4;
  if (c === 0x60) return 40;
  return -1;
}

/** Header lengths (IP + TCP) to try, most likely first. */
function headerCandidates(t: string): number[] {
  const ip = ipHeaderLength(t);
  if (ip < 0) return [];
  const off = t.charCodeAt(ip + 12);
  // a printable data-offset byte names the TCP header length exactly
  if (off >= 0x50 && off <= 0x7e) return [ip + (off >> 4) * 4];
  const out: number[] = [];
  if (off === DOT || Number.isNaN(off)) for (let h = 32; h <= 60; h += 4) out.push(ip + h);
  return out;
}

/**
 * The payload bytes of a segment of `len` bytes from its -A dump lines (the lines under its packet line,
 * as printed), or null when the dump is not one (no IP header, too short).
 */
export function asciiDumpPayload(lines: readonly string[], len: number): Uint8Array | null {
  if (lines.length === 0 || len < 0) return null;
  const t = lines.join('\n');
  for (const h of headerCandidates(t)) {
    if (h > t.length) continue;
    let lfs = 0;
    for (let i = h; i < t.length; i++) if (t.charCodeAt(i) === LF) lfs++;
    const crs = len - (t.length - h);
    if (crs < 0 || crs > lfs) continue;
    const out = new Uint8Array(len);
    let o = 0;
    let put = 0;
    for (let i = h; i < t.length && o < len; i++) {
      const c = t.charCodeAt(i);
      if (c === LF && put < crs) {
        out[o++] = CR;
        put++;
        if (o >= len) break;
      }
      out[o++] = c < 0x80 ? c : DOT;
    }
    return out;
  }
  return null;
}
