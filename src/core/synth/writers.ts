/** pcap and pcapng writers for tests, the benchmark generator and the demo samples: the block builders of src/core/capture/blocks.ts. */
export * from '../capture/blocks';

/** The parts one after the other in one array: a capture from its header and records, a frame from its headers. */
export function concatBytes(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
