/** Public API of the TCP connection engine. */
export * from './types';
export { ConversationTable, analyzeSegment, flowKey } from './analysis';
export type { Conversation, RoleBy } from './analysis';
export { segmentFromPacket } from './fromPacket';
export {
  STEP_NAMES,
  advanceStates,
  finishStates,
  connStates,
  ConnStates,
} from './states';
export type { StateRevisions, StepName } from './states';
export {
  accumulate,
  summarize,
  detectSynFlood,
  zeekConnState,
  timeText,
  endpointText,
  SYN_FLOOD_MIN,
  RETX_MIN_COUNT,
  RETX_WARN_RATE,
  RETX_ERROR_RATE,
} from './summary';
export type { SynFloodFinding, ParamsCache } from './summary';
export { TcpEngine } from './engine';
export type { TcpEngineOptions } from './engine';
export { packetJson, connJson, formatConnsTable, tcpFlags } from './json';
export type { PacketJson, ConnJson, PacketJsonInput, ConnsTableOptions } from './json';
