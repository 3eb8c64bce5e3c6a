/** Tolerant tcpdump text parser: public API. */
export * from './model';
export { parseTcpdumpText, packetSpans, plainPacket } from './parser';
export { toSegmentInput, scratchSegment } from './segment';
export { synthesizeFrame, printOptionsFor } from './synth';
export type { SynthFrame } from './synth';
export { servicePort, portStandIn } from './services';
