/**
 * The host ↔ worker message protocol (one union per direction, string `type` fields).
 * The capture editor (a later milestone) grows it; this is the part the decoder already serves.
 */
import type { CaptureError, CaptureInfo } from '../core/capture/types';

export interface OpenRequest {
  type: 'open';
  /** Path of the capture on disk. */
  path: string;
}
export interface CancelRequest {
  type: 'cancel';
}
export type ToWorker = OpenRequest | CancelRequest;

export interface ProgressMessage {
  type: 'progress';
  packets: number;
}
export interface DoneMessage {
  type: 'done';
  info: CaptureInfo | null;
  packets: number;
  error: CaptureError | null;
}
export type FromWorker = ProgressMessage | DoneMessage;
