/**
 * The bytes kept between chunks by the streaming readers (pcap.ts, pcapng.ts): the beginning of a
 * file header, record or block that a chunk boundary cut. Only such a straddling piece is copied;
 * everything else is read in place from the pushed chunk. Pure TypeScript.
 *
 * One buffer for the reader's whole life, grown by doubling from 4 KiB: a capture of a million
 * records cut at every chunk boundary allocates a handful of times, not a million. It never holds
 * more than one record or block, and the readers refuse those above their format's maximum
 * (pcap: the link type's maximum snapshot length; pcapng: PCAPNG_MAX_BLOCK_SIZE, 16 MiB) before carrying
 * them, so a length field cannot make it grow without bound.
 */

const FIRST_CAPACITY = 4096;

export class CarryBuffer {
  /** The carried bytes are bytes[0, length); valid until the next append() after clear(). */
  bytes = new Uint8Array(0);
  /** A DataView over `bytes` (replaced when the buffer grows). */
  view = new DataView(this.bytes.buffer);
  length = 0;

  /** Append src[start, start + n), growing the buffer if needed. */
  append(src: Uint8Array, start: number, n: number): void {
    const need = this.length + n;
    if (need > this.bytes.length) {
      let cap = Math.max(FIRST_CAPACITY, this.bytes.length);
      while (cap < need) cap *= 2;
      const bigger = new Uint8Array(cap);
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
      this.view = new DataView(bigger.buffer);
    }
    this.bytes.set(src.subarray(start, start + n), this.length);
    this.length = need;
  }

  /** Forget the carried bytes (the buffer is kept for the next piece). */
  clear(): void {
    this.length = 0;
  }
}
