/**
 * The words of the TCP-state CodeLens: above each packet line both endpoints' states after it,
 * with the transition and the step ("client SYN_SENT → ESTABLISHED · server SYN_RCVD ·
 * handshake 3/3"); above a connection's first line its summary ("10.0.0.1:48096 → 10.0.0.2:8888 ·
 * SF · 11 packets · 20 bytes"). Pure; words go through a translator so VS Code can localise them.
 */
import { endpointText } from '../tcp/summary';
import { TCP_STATES, type ConnectionSummary } from '../tcp/types';
import { blankResult, statesBefore, type LogModel } from './model';

import { formatEn as english, type Translate } from '../explain/l10n';

function side(before: number, after: number): string {
  return before === after ? TCP_STATES[after] : TCP_STATES[before] + ' → ' + TCP_STATES[after];
}

/** The lens text of one packet, or null when the engine did not take it (not TCP, unreadable). */
export function packetLensText(m: LogModel, i: number, t: Translate = english): string | null {
  const r = blankResult();
  if (!m.engine.resultInto(i, r)) return null;
  const b = statesBefore(m, i);
  let s = t('client {0}', side(b.client, r.clientState)) + ' · ' + t('server {0}', side(b.server, r.serverState));
  if (r.step) s += ' · ' + stepText(r.step, t);
  if (r.inferred) s += ' · ' + t('inferred');
  return s;
}

/** A step string ("handshake 2/3") in the user's language. */
export function stepText(step: string, t: Translate = english): string {
  const m = /^(.*?) (\d)\/(\d)$/.exec(step);
  if (!m) {
    if (step === 'reset by client') return t('reset by client');
    if (step === 'reset by server') return t('reset by server');
    return step;
  }
  const [, what, a, b] = m;
  switch (what) {
    case 'handshake':
      return t('handshake {0}/{1}', a, b);
    case 'teardown':
      return t('teardown {0}/{1}', a, b);
    case 'simultaneous open':
      return t('simultaneous open {0}/{1}', a, b);
    case 'simultaneous close':
      return t('simultaneous close {0}/{1}', a, b);
    default:
      return step;
  }
}

/** The lens text above a connection's first line. */
export function connectionLensText(s: ConnectionSummary, t: Translate = english): string {
  const packets = s.packets.client + s.packets.server;
  const bytes = s.bytes.client + s.bytes.server;
  return (
    endpointText(s.client.addr, s.client.port) + ' → ' + endpointText(s.server.addr, s.server.port) + ' · ' + s.connState + ' · ' +
    (packets === 1 ? t('1 packet') : t('{0} packets', packets)) + ' · ' + (bytes === 1 ? t('1 byte') : t('{0} bytes', bytes))
  );
}
