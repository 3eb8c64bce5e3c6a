/**
 * Explanations of the TCP header: flags (the bracket, each letter, and what they mean in this
 * packet), seq / ack / win / urg / length, the connection states, the handshake and teardown steps
 * and the analysis flags. Pure TypeScript; every English text is a literal passed to `t`.
 */

import { TH_ACK, TH_AE, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN, TH_URG } from '../decode/packet';
import {
  A_ACK_LOST_SEGMENT,
  A_DUPLICATE_ACK,
  A_FAST_RETRANSMISSION,
  A_LOST_SEGMENT,
  A_OUT_OF_ORDER,
  A_RETRANSMISSION,
  A_SPURIOUS_RETRANSMISSION,
  A_ZERO_WINDOW,
  ANALYSIS_NAMES,
  S_CLOSE_WAIT,
  S_CLOSED,
  S_CLOSING,
  S_ESTABLISHED,
  S_FIN_WAIT_1,
  S_FIN_WAIT_2,
  S_LAST_ACK,
  S_LISTEN,
  S_SYN_RCVD,
  S_SYN_SENT,
  S_TIME_WAIT,
  TCP_STATES,
} from '../tcp/types';
import { Explanation, PacketContext, clip, known } from './explanation';
import { Translate } from './l10n';

// ---------------------------------------------------------------------------------------------
// Small helpers

function ex(title: string, text: string[], here: string[] = []): Explanation {
  return { title, text, here };
}

/** "client" / "server" in the user's language ('' when unknown). */
export function roleName(role: 'client' | 'server' | undefined, t: Translate): string {
  if (role === 'client') return t('client');
  if (role === 'server') return t('server');
  return '';
}

/** The state name for an S_* value ('' when unknown); names stay in Latin letters in every language. */
export function stateName(s: number | undefined): string {
  return known(s) && s < TCP_STATES.length ? TCP_STATES[s] : '';
}

/** "SYN+ACK", "FIN+PSH+ACK", "RST", "none" … (protocol names, not translated). */
export function flagCombination(flags: number): string {
  if (!known(flags)) return '?';
  const parts: string[] = [];
  if (flags & TH_SYN) parts.push('SYN');
  if (flags & TH_FIN) parts.push('FIN');
  if (flags & TH_RST) parts.push('RST');
  if (flags & TH_PUSH) parts.push('PSH');
  if (flags & TH_URG) parts.push('URG');
  if (flags & TH_ACK) parts.push('ACK');
  if (flags & TH_ECE) parts.push('ECE');
  if (flags & TH_CWR) parts.push('CWR');
  if (flags & TH_AE) parts.push('AE');
  return parts.length === 0 ? 'none' : parts.join('+');
}

/** TH_* bits of a tcpdump flag string ("S.", "FP.", "none"); -1 when it is not one. */
export function flagsFromText(s: string): number {
  let txt = s.trim();
  const m = /^Flags \[([^\]]*)\]?$/.exec(txt);
  if (m !== null) txt = m[1];
  if (txt === 'none') return 0;
  if (txt === '') return -1;
  let f = 0;
  for (let i = 0; i < txt.length; i++) {
    const b = FLAG_LETTERS.indexOf(txt[i]);
    if (b < 0) return -1;
    f |= FLAG_LETTER_BITS[b];
  }
  return f;
}

const FLAG_LETTERS = 'FSRP.UEWe';
const FLAG_LETTER_BITS = [TH_FIN, TH_SYN, TH_RST, TH_PUSH, TH_ACK, TH_URG, TH_ECE, TH_CWR, TH_AE];

// ---------------------------------------------------------------------------------------------
// Flags

/** One flag letter of tcpdump's "Flags [...]" (S F R P . U E W e): its meaning in general. */
export function explainFlagLetter(letter: string, t: Translate): Explanation {
  switch (letter) {
    case 'S':
      return ex(t('S: SYN (synchronize)'), [
        t('Opens a connection. The segment carries the sender\'s initial sequence number (ISN) and its options; the SYN itself counts as one sequence number.'),
      ]);
    case 'F':
      return ex(t('F: FIN (finish)'), [
        t('The sender has no more data to send and closes its direction of the connection. It can still receive; the FIN counts as one sequence number.'),
      ]);
    case 'R':
      return ex(t('R: RST (reset)'), [
        t('Aborts the connection at once: no acknowledgment is expected, and data not yet delivered is thrown away.'),
      ]);
    case 'P':
      return ex(t('P: PSH (push)'), [
        t('Asks the receiver to pass the data to the application now instead of waiting for more. Senders usually set it on the last segment of a write.'),
      ]);
    case '.':
      return ex(t('.: ACK (acknowledgment)'), [
        t('The ack field is valid. Every segment after the first SYN carries it; tcpdump prints the ACK flag as a dot.'),
      ]);
    case 'U':
      return ex(t('U: URG (urgent)'), [
        t('The urgent pointer is valid: part of the data is marked urgent. Rarely used today (telnet interrupts, some old protocols).'),
      ]);
    case 'E':
      return ex(t('E: ECE (ECN-Echo)'), [
        t('On a SYN or SYN+ACK it says the sender supports ECN. On other segments the receiver reports that a router marked congestion (CE) and asks the sender to slow down.'),
      ]);
    case 'W':
      return ex(t('W: CWR (congestion window reduced)'), [
        t('The sender has reduced its sending rate in answer to an ECE. On a SYN, together with ECE, it asks to use ECN.'),
      ]);
    case 'e':
      return ex(t('e: AE (Accurate ECN)'), [
        t('Part of Accurate ECN (AccECN, formerly the NS bit): together with CWR and ECE it carries a counter of congestion marks received.'),
      ]);
    default:
      return ex(t('Unknown flag {0}', clip(letter, 8)), [t('tcpdump prints the TCP flags as letters: S F R P . U E W e. This character is not one of them.')]);
  }
}

/** The "Flags [...]" bracket: which combination it is, and what it means in this packet. */
export function explainFlags(flags: number, ctx: PacketContext, t: Translate): Explanation {
  if (!known(flags)) return ex(t('TCP flags'), [t('The control bits of the TCP header, printed by tcpdump as letters: S (SYN), F (FIN), R (RST), P (PSH), . (ACK), U (URG), E (ECE), W (CWR), e (AE).')]);
  const combo = flagCombination(flags);
  const title = ctx.senderRole === 'client' ? t('{0} from the client', combo) : ctx.senderRole === 'server' ? t('{0} from the server', combo) : t('TCP flags {0}', combo);
  return ex(title, flagCombinationText(flags, ctx.len, t), flagsHere(flags, ctx, t));
}

/** General meaning of a flag combination (1–3 sentences). */
export function flagCombinationText(flags: number, len: number | undefined, t: Translate): string[] {
  const out: string[] = [];
  const syn = (flags & TH_SYN) !== 0;
  const fin = (flags & TH_FIN) !== 0;
  const rst = (flags & TH_RST) !== 0;
  const ack = (flags & TH_ACK) !== 0;
  const psh = (flags & TH_PUSH) !== 0;
  const data = known(len) && len > 0;
  if ((flags & 0x1ff) === 0) {
    out.push(t('No flags at all: no normal TCP stack sends this. It is typically a port scan (a "null scan") or a damaged packet.'));
    return out;
  }
  if ((syn && (fin || rst)) || (fin && !ack && !rst)) {
    out.push(t('An unusual flag combination that normal TCP stacks do not send. It usually comes from a port scanner (FIN, Xmas or similar scans) or a damaged packet.'));
  } else if (syn && !ack) {
    out.push(t('SYN: a request to open a connection. It carries the initial sequence number and the options the sender wants (MSS, window scale, SACK, timestamps).'));
    if (data) out.push(t('This SYN already carries data: TCP Fast Open (or a test tool).'));
  } else if (syn) {
    out.push(t('SYN+ACK: the answer that accepts a connection request. It acknowledges the SYN and carries the answering side\'s own initial sequence number and options.'));
  } else if (rst) {
    out.push(ack
      ? t('RST+ACK: a reset that also acknowledges. It is the usual answer to a SYN for a port where nothing listens, and also what an application abort sends.')
      : t('RST: the connection is aborted at once. No answer is expected and data not yet delivered is dropped.'));
  } else if (fin) {
    out.push(data
      ? t('FIN with data: the last data of this direction and the close, in one segment.')
      : t('FIN+ACK: the sender has finished sending and closes its direction. It can still receive; the ACK bit is the usual acknowledgment.'));
  } else if (ack) {
    if (data) {
      out.push(psh
        ? t('PSH+ACK: data plus an acknowledgment. PSH asks the receiver to hand the data to the application without waiting for more.')
        : t('ACK with data: a data segment. PSH is not set, so more data of the same write probably follows.'));
    } else out.push(t('ACK: a pure acknowledgment without data. It reports which bytes arrived; it also completes the handshake or acknowledges a FIN.'));
  } else {
    out.push(t('An unusual flag combination without ACK: outside the first SYN and some resets, every TCP segment has the ACK bit.'));
  }
  if (flags & TH_URG) out.push(t('URG: part of the data is marked urgent (see the urg field).'));
  const ecn = flags & (TH_ECE | TH_CWR | TH_AE);
  if (syn && !ack && ecn !== 0) {
    out.push((flags & TH_AE) !== 0
      ? t('ECE, CWR and AE on a SYN: the client asks to use Accurate ECN (AccECN).')
      : t('ECE and CWR on a SYN: the client asks to use Explicit Congestion Notification (ECN).'));
  } else if (syn && ack && ecn !== 0) {
    out.push(ecn === TH_ECE
      ? t('ECE on the SYN+ACK: the server agrees to use ECN.')
      : t('ECN bits on the SYN+ACK: with Accurate ECN they tell the client which ECN codepoint its SYN arrived with.'));
  } else if (!syn && ecn !== 0) {
    if (flags & TH_ECE) out.push(t('ECE: the receiver saw a congestion mark (CE) from a router and asks the sender to slow down.'));
    if (flags & TH_CWR) out.push(t('CWR: the sender has slowed down in answer to ECE.'));
    if (flags & TH_AE) out.push(t('AE: with Accurate ECN, the AE, CWR and ECE bits together count the congestion marks received.'));
  }
  return out;
}

/** What the flags mean in this packet: the step, retransmissions and other analysis, reset causes, states. */
function flagsHere(flags: number, ctx: PacketContext, t: Translate): string[] {
  const out: string[] = [];
  const step = ctx.step ?? '';
  if (step !== '' && !step.startsWith('reset')) {
    const s = stepSentence(step, t);
    if (s !== '') out.push(s);
  }
  const bits = known(ctx.analysis) ? ctx.analysis : 0;
  const syn = (flags & TH_SYN) !== 0;
  const ack = (flags & TH_ACK) !== 0;
  if (bits & A_RETRANSMISSION && syn && !ack) out.push(t('The SYN is sent again: the earlier one got no answer. Clients retry with growing pauses (about 1 s, 2 s, 4 s …); no answer at all usually means a firewall drops the SYN or the host is down.'));
  else if (bits & A_RETRANSMISSION && syn) out.push(t('The SYN+ACK is sent again: the server did not get the client\'s ACK (or the client never got the first SYN+ACK).'));
  else if (bits & A_RETRANSMISSION && (flags & TH_FIN) !== 0) out.push(t('The FIN is sent again: the peer did not acknowledge the first one in time.'));
  for (const line of analysisSentences(bits, ctx, t)) out.push(line);
  if (flags & TH_RST) for (const line of resetCause(ctx, t)) out.push(line);
  const st = statesSentence(ctx, t);
  if (st !== '') out.push(st);
  return out;
}

/** "After this packet: client X, server Y." (+ inferred note), '' when unknown. */
export function statesSentence(ctx: PacketContext, t: Translate): string {
  const c = stateName(ctx.clientState);
  const s = stateName(ctx.serverState);
  if (c === '' || s === '') return '';
  return ctx.inferred
    ? t('After this packet: client {0}, server {1} (inferred: the capture starts in the middle of the connection).', c, s)
    : t('After this packet: client {0}, server {1}.', c, s);
}

/** Who reset and the likely causes, from the states before the RST. */
export function resetCause(ctx: PacketContext, t: Translate): string[] {
  const role = ctx.senderRole ?? (ctx.step === 'reset by client' ? 'client' : ctx.step === 'reset by server' ? 'server' : undefined);
  const pc = known(ctx.prevClientState) ? ctx.prevClientState : -1;
  const ps = known(ctx.prevServerState) ? ctx.prevServerState : -1;
  const who = roleName(role, t);
  const out: string[] = [];
  if (role === 'server' && pc === S_SYN_SENT && ps !== S_SYN_RCVD) {
    out.push(t('Connection refused: the server answered the SYN with a reset. Most often nothing listens on that port (service down, wrong port or address); a firewall can also reject on the server\'s behalf.'));
  } else if (role === 'server' && ps === S_SYN_RCVD) {
    out.push(t('The server reset a connection it had not finished opening: its accept queue may be full, or the client\'s ACK did not match what it expected.'));
  } else if (role === 'client' && (pc === S_SYN_SENT || ps === S_SYN_RCVD)) {
    out.push(t('The client rejected the server\'s SYN+ACK: it no longer knows this connection (it gave up or restarted), or it is a half-open port scanner that never meant to connect.'));
  } else if (pc === S_ESTABLISHED && ps === S_ESTABLISHED) {
    out.push(who !== ''
      ? t('The {0} aborted an established connection.', who)
      : t('An established connection was aborted.'));
    out.push(t('Likely causes: the application closed the socket with unread data or with SO_LINGER set to 0, the process crashed, or a firewall, NAT or load balancer dropped the connection (often after an idle timeout).'));
  } else if (isClosing(pc) || isClosing(ps)) {
    out.push(t('A reset during the close: one side closed its socket while data was still unread, or data arrived after it had closed. Often harmless if all data had already been delivered.'));
  } else {
    out.push(who !== '' ? t('The {0} reset the connection.', who) : t('The connection was reset.'));
    out.push(t('Common causes: nothing listening on the port, an application abort or crash, or a firewall or load balancer that no longer knows the connection.'));
  }
  return out;
}

function isClosing(s: number): boolean {
  return s === S_FIN_WAIT_1 || s === S_FIN_WAIT_2 || s === S_CLOSING || s === S_TIME_WAIT || s === S_CLOSE_WAIT || s === S_LAST_ACK;
}

/** One short sentence per analysis bit (what it is here). */
function analysisSentences(bits: number, ctx: PacketContext, t: Translate): string[] {
  const out: string[] = [];
  for (let i = 0; i < ANALYSIS_NAMES.length; i++) {
    if ((bits & (1 << i)) === 0) continue;
    if (i === 0 && bits & (A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION)) continue; // the more precise one says it
    if (i === 6 && known(ctx.dupAckNum) && ctx.dupAckNum > 0 && known(ctx.dupAckOf)) {
      out.push(t('Duplicate ACK #{0} of packet {1}: the receiver still waits for the same byte while later data arrives.', ctx.dupAckNum, ctx.dupAckOf));
      continue;
    }
    out.push(analysisWhat(ANALYSIS_NAMES[i], t));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Steps and states

/** One sentence for a step string of the engine ('' when unknown or none). */
export function stepSentence(step: string, t: Translate): string {
  switch (step) {
    case 'handshake 1/3':
      return t('Step 1 of the three-way handshake: the client asks to open a connection.');
    case 'handshake 2/3':
      return t('Step 2 of the three-way handshake: the server accepts and answers with SYN+ACK; until the client\'s ACK arrives, the connection waits in the server\'s SYN queue (half-open).');
    case 'handshake 3/3':
      return t('Step 3 of the three-way handshake: the client acknowledges the server\'s SYN; the connection is established and moves to the server\'s accept queue until the application accepts it.');
    case 'teardown 1/4':
      return t('Step 1 of the four-way teardown: this side has no more data and sends FIN (it goes to FIN_WAIT_1, the peer to CLOSE_WAIT).');
    case 'teardown 2/4':
      return t('Step 2 of the four-way teardown: the FIN is acknowledged. The connection is now half-closed: the acknowledging side can still send data until its application closes too.');
    case 'teardown 3/4':
      return t('Step 3 of the four-way teardown: the second side has finished too and sends its own FIN (it goes to LAST_ACK).');
    case 'teardown 4/4':
      return t('Step 4 of the four-way teardown: the last FIN is acknowledged. The side that closed first waits in TIME_WAIT; the other one is closed.');
    case 'teardown 1/3':
      return t('Step 1 of a three-packet teardown: this side closes with FIN; the peer will acknowledge it and close in one segment.');
    case 'teardown 2/3':
      return t('Step 2 of a three-packet teardown: the peer acknowledges the FIN and sends its own FIN in the same segment (steps 2 and 3 of the four-way teardown merged).');
    case 'teardown 3/3':
      return t('Step 3 of a three-packet teardown: the last FIN is acknowledged; the side that closed first waits in TIME_WAIT.');
    case 'simultaneous open 1/4':
      return t('Simultaneous open, step 1: a SYN sent while the peer is sending a SYN of its own.');
    case 'simultaneous open 2/4':
      return t('Simultaneous open, step 2: the second SYN crosses the first on the wire; both sides go to SYN_RCVD.');
    case 'simultaneous open 3/4':
      return t('Simultaneous open, step 3: a SYN+ACK acknowledges the peer\'s SYN.');
    case 'simultaneous open 4/4':
      return t('Simultaneous open, step 4: the other SYN+ACK; both sides are now ESTABLISHED.');
    case 'simultaneous close 1/4':
      return t('Simultaneous close, step 1: a FIN sent while the peer is sending its own FIN.');
    case 'simultaneous close 2/4':
      return t('Simultaneous close, step 2: the second FIN crosses the first; both sides go through CLOSING instead of FIN_WAIT_2.');
    case 'simultaneous close 3/4':
      return t('Simultaneous close, step 3: one side acknowledges the peer\'s FIN and enters TIME_WAIT.');
    case 'simultaneous close 4/4':
      return t('Simultaneous close, step 4: the other side acknowledges too; both end in TIME_WAIT.');
    case 'reset by client':
      return t('The client reset the connection: both sides drop it immediately.');
    case 'reset by server':
      return t('The server reset the connection: both sides drop it immediately.');
    default:
      return '';
  }
}

/** A step string ("handshake 2/3", "teardown 1/4", "reset by client", …). */
export function explainStep(step: string, t: Translate, ctx?: PacketContext): Explanation {
  const s = stepSentence(step, t);
  const here: string[] = [];
  if (ctx !== undefined) {
    const st = statesSentence(ctx, t);
    if (st !== '') here.push(st);
  }
  if (s === '') {
    return ex(t('Connection step'), [
      step === '' ? t('This packet plays no part in opening or closing the connection.') : t('Step "{0}" of the connection.', clip(step, 40)),
    ], here);
  }
  let title: string;
  if (step.startsWith('handshake')) title = t('Three-way handshake');
  else if (step.startsWith('teardown') && step.endsWith('/4')) title = t('Four-way teardown');
  else if (step.startsWith('teardown')) title = t('Three-packet teardown');
  else if (step.startsWith('simultaneous open')) title = t('Simultaneous open');
  else if (step.startsWith('simultaneous close')) title = t('Simultaneous close');
  else title = t('Connection reset');
  return ex(title, [s], here);
}

/** A TCP state (S_* value or its name). */
export function explainState(state: number | string, t: Translate): Explanation {
  const i = typeof state === 'number' ? state : (TCP_STATES as readonly string[]).indexOf(state.trim().toUpperCase().replace(/-/g, '_'));
  const name = stateName(i);
  switch (i) {
    case S_CLOSED:
      return ex(name, [t('No connection: the socket does not exist yet or is fully closed.')]);
    case S_LISTEN:
      return ex(name, [t('A server socket waiting for connection requests (after listen()). It answers SYNs; it is not a connection itself.')]);
    case S_SYN_SENT:
      return ex(name, [t('The client has sent its SYN (connect()) and waits for the SYN+ACK. Without an answer it sends the SYN again a few times, then gives up with a timeout.')]);
    case S_SYN_RCVD:
      return ex(name, [t('The server received a SYN and answered with SYN+ACK; it waits for the client\'s ACK. These half-open connections sit in the SYN queue; very many of them point to a SYN flood or lost ACKs.')]);
    case S_ESTABLISHED:
      return ex(name, [t('The handshake is complete: both sides can send and receive data.')]);
    case S_FIN_WAIT_1:
      return ex(name, [t('This side has closed (sent FIN) and waits for the peer to acknowledge it.')]);
    case S_FIN_WAIT_2:
      return ex(name, [t('The peer acknowledged our FIN; now we wait for its own FIN. Staying here long means the peer\'s application has not closed its socket (the peer is in CLOSE_WAIT).')]);
    case S_CLOSING:
      return ex(name, [t('Both sides sent FIN at about the same time; waiting for the acknowledgment of our FIN.')]);
    case S_TIME_WAIT:
      return ex(name, [t('The side that closed first waits 2×MSL (twice the maximum segment lifetime; 60 s on Linux) so a lost last ACK can be sent again and old duplicates die out before the same addresses and ports are reused. Many TIME_WAIT sockets are normal on busy clients, but they can use up ephemeral ports.')]);
    case S_CLOSE_WAIT:
      return ex(name, [t('The peer has closed its side (its FIN arrived); the connection waits for the local application to call close(). Many sockets stuck here mean the application does not close its connections (a leak).')]);
    case S_LAST_ACK:
      return ex(name, [t('The peer closed first, then this side sent its own FIN; waiting for the last ACK, after which the connection is gone.')]);
    default:
      return ex(t('TCP state'), [t('One of the eleven states of a TCP endpoint (RFC 9293), from CLOSED and LISTEN through ESTABLISHED to TIME_WAIT.')]);
  }
}

// ---------------------------------------------------------------------------------------------
// Analysis flags

/** What an analysis flag is (one sentence). */
function analysisWhat(name: string, t: Translate): string {
  switch (name) {
    case 'retransmission': return t('Retransmission: the same bytes were sent before; the sender got no acknowledgment in time and sends them again.');
    case 'fast_retransmission': return t('Fast retransmission: the sender resends the segment right after duplicate ACKs, without waiting for its timer.');
    case 'spurious_retransmission': return t('Spurious retransmission: the peer had already acknowledged these bytes, so sending them again was unnecessary.');
    case 'out_of_order': return t('Out of order: this segment arrives after data that follows it, without having been sent before.');
    case 'lost_segment': return t('Previous segment not captured: the sequence numbers jump ahead, so data before this segment is missing from the capture.');
    case 'ack_lost_segment': return t('ACK of unseen data: this acknowledges bytes the capture never showed.');
    case 'duplicate_ack': return t('Duplicate ACK: the same acknowledgment number again, without data or window change; the receiver still waits for that byte while later data arrives.');
    case 'zero_window': return t('Zero window: the sender of this packet has no free receive buffer; its peer must stop sending.');
    case 'zero_window_probe': return t('Zero window probe: the sender checks whether the peer\'s window has opened again.');
    case 'zero_window_probe_ack': return t('Answer to a zero window probe: it tells whether the window is still closed.');
    case 'keep_alive': return t('Keep-alive: a probe without new data, sent after a quiet period to check that the peer is still there.');
    case 'keep_alive_ack': return t('Answer to a keep-alive: the peer is alive and still knows the connection.');
    case 'window_update': return t('Window update: no data, only a larger window; the receiver has freed buffer space.');
    case 'window_full': return t('Window full: this segment fills the receiver\'s advertised window; the sender must wait for an ACK before sending more.');
    case 'reused_ports': return t('Reused ports: a new SYN uses the same addresses and ports as an earlier connection in this capture.');
    default: return t('An analysis note of the TCP engine.');
  }
}

/** An analysis flag (Wireshark's tcp.analysis.* name, or its A_* bit): what it is, what it suggests, what to check. */
export function explainAnalysis(name: string | number, t: Translate): Explanation {
  const n = typeof name === 'number' ? (name > 0 && (name & (name - 1)) === 0 ? ANALYSIS_NAMES[Math.log2(name)] ?? '' : '') : name.replace(/^tcp\.analysis\./, '');
  const what = analysisWhat(n, t);
  switch (n) {
    case 'retransmission':
      return ex(t('Retransmission'), [what, t('It suggests packet loss or a long delay between the two hosts.'), t('Check where packets get lost: compare captures from both ends, interface errors and drops, a congested link or a firewall.')]);
    case 'fast_retransmission':
      return ex(t('Fast retransmission'), [what, t('A single lost segment that the receiver noticed quickly; recovery costs little.'), t('A few are normal; many of them mean steady loss on the path.')]);
    case 'spurious_retransmission':
      return ex(t('Spurious retransmission'), [what, t('The retransmission timer fired too early, or the ACKs were delayed or lost on the way back.'), t('Check for delay spikes and for loss in the reverse direction.')]);
    case 'out_of_order':
      return ex(t('Out of order'), [what, t('Packets take different paths (link aggregation, load balancing) or the capture merges several interfaces.'), t('A little reordering is harmless; a lot causes duplicate ACKs and needless retransmissions.')]);
    case 'lost_segment':
      return ex(t('Previous segment not captured'), [what, t('The data was lost before the capture point, or the capture itself dropped it (see "packets dropped by kernel").'), t('If the receiver then sends duplicate ACKs and the data is sent again, the loss was real.')]);
    case 'ack_lost_segment':
      return ex(t('ACKed unseen segment'), [what, t('The capture missed packets (capture drops, asymmetric routing, or the capture started late); the network may be fine.'), t('Capture closer to the hosts or with a larger buffer (tcpdump -B) if you need every packet.')]);
    case 'duplicate_ack':
      return ex(t('Duplicate ACK'), [what, t('Loss or reordering; after three duplicate ACKs the sender retransmits (fast retransmit).'), t('The SACK blocks show which data did arrive after the gap.')]);
    case 'zero_window':
      return ex(t('Zero window'), [what, t('The receiving application is not reading its socket fast enough, so its buffer is full.'), t('Check the receiving process: CPU, blocked threads, slow disk or back end, and its socket buffer size.')]);
    case 'zero_window_probe':
      return ex(t('Zero window probe'), [what, t('The peer\'s window is still zero; probes repeat with growing pauses until it opens.'), t('Long series of probes point to a stuck receiving application.')]);
    case 'zero_window_probe_ack':
      return ex(t('Zero window probe ACK'), [what, t('While the window stays 0, the receiver is still not reading.'), t('Look at the receiving application, as for a zero window.')]);
    case 'keep_alive':
      return ex(t('Keep-alive'), [what, t('Normal on idle connections; the interval comes from the OS (Linux: 2 hours by default) or the application.'), t('Keep-alives that stay unanswered end with the connection being dropped or reset.')]);
    case 'keep_alive_ack':
      return ex(t('Keep-alive ACK'), [what, t('The connection is idle but healthy.'), t('Nothing to check.')]);
    case 'window_update':
      return ex(t('Window update'), [what, t('The receiving application read data; after a zero window this lets the sender resume.'), t('Nothing to check, unless it follows a long zero window.')]);
    case 'window_full':
      return ex(t('Window full'), [what, t('The receiver\'s window, not the network, limits the throughput here.'), t('Check the receiver\'s buffer size and window scaling; on long-distance links the window may be too small.')]);
    case 'reused_ports':
      return ex(t('Reused ports'), [what, t('Normal once the old connection has ended; if the server still holds it in TIME_WAIT, the new SYN may get an ACK or RST instead of a SYN+ACK.'), t('Many reuses in a short time point to a client running out of ephemeral ports.')]);
    default:
      return ex(t('TCP analysis'), [what]);
  }
}

// ---------------------------------------------------------------------------------------------
// Sequence numbers, acknowledgment, window, urgent pointer, length

/** "seq a:b" / "seq a" (part: the whole field, its start number or its end number). */
export function explainSeq(ctx: PacketContext, t: Translate, part: 'all' | 'start' | 'end' = 'all'): Explanation {
  const flags = known(ctx.flags) ? ctx.flags : 0;
  const seq = ctx.seq;
  const end = known(ctx.seqEnd) ? ctx.seqEnd : known(seq) && known(ctx.len) && ctx.len > 0 ? seq + ctx.len : -1;
  const text: string[] = [];
  const here: string[] = [];
  let title = t('Sequence number');
  if (part === 'start' && known(seq)) {
    title = t('First byte: {0}', seq);
    text.push(t('The sequence number of the first byte in this segment.'));
  } else if (part === 'end' && known(end)) {
    title = t('End: {0}', end);
    text.push(t('One past the last byte of this segment. The receiver acknowledges it with ack {0} once everything before it has arrived.', end));
  } else {
    text.push(t('Each byte sent in a direction has a number; seq is the number of the first byte in this segment.'));
  }
  if (known(seq) && known(end) && end > seq && part !== 'start') {
    here.push(t('{0} bytes: from {1} up to, but not including, {2}; the next new data of this side starts at {2}.', end - seq, seq, end));
  } else if (flags & TH_SYN) {
    here.push(t('On a SYN this is the initial sequence number (ISN), chosen at random. The SYN uses up one number, so the first data byte is ISN + 1.'));
  } else if (flags & TH_FIN) {
    if (known(seq)) here.push(t('The FIN uses up one sequence number: the peer acknowledges it with ack {0}.', seq + (known(ctx.len) ? ctx.len : 0) + 1));
    else here.push(t('The FIN uses up one sequence number.'));
  } else if (known(seq)) {
    here.push(t('No data: {0} is where the next byte of this side would start.', seq));
  }
  if (ctx.relative === true) here.push(t('Relative numbers: tcpdump counts from this side\'s ISN (the SYN is 0, the first data byte 1). Use tcpdump -S for the real 32-bit values.'));
  else if (ctx.relative === false && !(flags & TH_SYN)) here.push(t('Absolute numbers: the 32-bit values on the wire (tcpdump -S, or the first packet tcpdump saw of this conversation).'));
  const bits = known(ctx.analysis) ? ctx.analysis : 0;
  if (bits & (A_RETRANSMISSION | A_OUT_OF_ORDER | A_LOST_SEGMENT)) for (const l of analysisSentences(bits & (A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION | A_OUT_OF_ORDER | A_LOST_SEGMENT), ctx, t)) here.push(l);
  return ex(title, text, here);
}

/** "ack N". */
export function explainAck(ctx: PacketContext, t: Translate): Explanation {
  const ack = ctx.ack;
  const text = [known(ack)
    ? t('Acknowledgment number: the next byte the sender expects from its peer. Everything before {0} has arrived.', ack)
    : t('Acknowledgment number: the next byte the sender expects from its peer; everything before it has arrived.')];
  const here: string[] = [];
  const flags = known(ctx.flags) ? ctx.flags : 0;
  if (known(ctx.acksPacket)) here.push(t('It acknowledges packet {0}.', ctx.acksPacket));
  if (ctx.step === 'handshake 2/3' || ctx.step === 'handshake 3/3' || (flags & TH_SYN) !== 0) here.push(t('In the handshake the ack is the peer\'s ISN + 1: the SYN counts as one byte.'));
  else if (ctx.step === 'teardown 2/4' || ctx.step === 'teardown 2/3' || ctx.step === 'teardown 4/4' || ctx.step === 'teardown 3/3') here.push(t('It covers the peer\'s FIN, which counts as one byte.'));
  const bits = known(ctx.analysis) ? ctx.analysis : 0;
  if (bits & A_DUPLICATE_ACK) {
    if (known(ctx.dupAckNum) && ctx.dupAckNum > 0 && known(ctx.dupAckOf)) here.push(t('Duplicate ACK #{0} of packet {1}: the receiver still waits for the same byte while later data arrives.', ctx.dupAckNum, ctx.dupAckOf));
    else here.push(analysisWhat('duplicate_ack', t));
  }
  if (bits & A_ACK_LOST_SEGMENT) here.push(t('It acknowledges data the capture never showed: the capture missed packets (not necessarily the network).'));
  if (ctx.relative === true) here.push(t('Relative: counted from the peer\'s ISN.'));
  return ex(known(ack) ? t('Acknowledgment: {0}', ack) : t('Acknowledgment number'), text, here);
}

/** "win N". */
export function explainWindow(ctx: PacketContext, t: Translate): Explanation {
  const win = ctx.win;
  const flags = known(ctx.flags) ? ctx.flags : 0;
  const text = [t('Receive window: how many more bytes the sender of this packet can accept, counted from its ack number (its free buffer space).')];
  const here: string[] = [];
  if (flags & TH_RST) here.push(t('The window of a reset has no meaning.'));
  else if (known(win) && win === 0) {
    here.push(t('Zero window: the receiver\'s buffer is full because its application does not read fast enough. The peer must stop and send small probes until the window opens.'));
  } else if (flags & TH_SYN) {
    here.push(t('The window in a SYN or SYN+ACK is never scaled.'));
  } else if (known(ctx.scale) && known(win)) {
    const scaled = known(ctx.winScaled) ? ctx.winScaled : win * Math.pow(2, ctx.scale);
    here.push(ctx.scale === 0
      ? t('Window scaling is off (shift 0): the window is {0} bytes.', win)
      : t('Window scale {0} is in use: the real window is {1} × 2^{0} = {2} bytes.', ctx.scale, win, scaled));
  } else if (known(win)) {
    here.push(t('The window scale is unknown (the handshake is not in the capture), so the real window may be larger than {0}.', win));
  }
  const bits = known(ctx.analysis) ? ctx.analysis : 0;
  for (const name of ['window_update', 'window_full', 'zero_window_probe', 'zero_window_probe_ack'] as const) {
    if (bits & (1 << ANALYSIS_NAMES.indexOf(name))) here.push(analysisWhat(name, t));
  }
  return ex(known(win) ? t('Window: {0}', win) : t('Receive window'), text, here);
}

/** "urg N". */
export function explainUrg(ctx: PacketContext, t: Translate): Explanation {
  return ex(known(ctx.urg) ? t('Urgent pointer: {0}', ctx.urg) : t('Urgent pointer'), [
    t('With the URG flag, the urgent data ends this many bytes after the segment\'s sequence number. Hardly used by modern applications.'),
  ]);
}

/** "length N" (TCP payload). */
export function explainLength(ctx: PacketContext, t: Translate): Explanation {
  const len = ctx.len;
  const flags = known(ctx.flags) ? ctx.flags : 0;
  const text = [t('Payload length: bytes of application data in this segment, without the IP and TCP headers.')];
  const here: string[] = [];
  if (known(len) && len === 0) {
    here.push(t('No payload: a control segment only (SYN, FIN, RST or a pure ACK).'));
  } else if (known(len)) {
    if (flags & TH_SYN) here.push(t('A SYN with data: TCP Fast Open.'));
    const limit = known(ctx.mss) && ctx.mss > 0 ? ctx.mss : 1460;
    if (len > limit && len > 1460) here.push(t('Larger than fits in one packet on the wire: the capture was taken on a host that uses segmentation offload (TSO/GSO when sending, GRO when receiving); the network card splits the data, or has merged several segments.'));
    if (known(ctx.analysis) && ctx.analysis & A_ZERO_WINDOW) here.push(analysisWhat('zero_window', t));
  }
  return ex(known(len) ? t('Length: {0} bytes', len) : t('Payload length'), text, here);
}

/** -q "tcp N". */
export function explainQuietLength(ctx: PacketContext, t: Translate): Explanation {
  return ex(known(ctx.len) ? t('TCP, {0} bytes of payload', ctx.len) : t('TCP payload length'), [
    t('Quiet output (tcpdump -q): only the protocol and the payload length; flags, sequence numbers and options are left out. Capture without -q to see them.'),
  ]);
}
