/**
 * Decoding worker (runs in a worker_threads worker of the extension host, so the editor never
 * blocks). Reads a capture, decodes every packet and reports progress; the capture editor
 * milestone extends it with the packet index and on-demand details.
 */
import { parentPort } from 'node:worker_threads';
import { decodeRecord, DecodedPacket } from '../core/decode/index';
import { readCaptureFile, CaptureReading } from '../node/captureFile';
import type { FromWorker, ToWorker } from './messages';

const port = parentPort;
let current: CaptureReading | undefined;

function post(msg: FromWorker): void {
  port?.postMessage(msg);
}

port?.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'open': {
      const pkt = new DecodedPacket();
      let packets = 0;
      current = readCaptureFile(msg.path, {
        onRecord(rec) {
          decodeRecord(pkt, rec);
          if (++packets % 100000 === 0) post({ type: 'progress', packets });
        },
      });
      void current.done.then((summary) => post({ type: 'done', info: summary.info, packets: summary.packets, error: summary.error }));
      break;
    }
    case 'cancel':
      current?.cancel();
      break;
  }
});
