/** pcap and pcapng writers for tests, the benchmark generator and the demo samples: the block builders of src/core/capture/blocks.ts. */
export * from '../capture/blocks';
