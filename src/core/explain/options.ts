/**
 * Explanations of TCP options as tcpdump prints them inside "options [ … ]" ("mss 1460",
 * "wscale 7", "sackOK", "sack 1 {a:b}", "TS val 1 ecr 2", "nop", "eol", "tfo cookie …",
 * "exp-tfo cookiereq", "mptcp 12 capable …", "md5 …", "tcp-ao …", "uto …", "exp-acc0",
 * "unknown-N …"). Pure TypeScript.
 */

import { TH_SYN } from '../decode/packet';
import { Explanation, PacketContext, clip, known } from './explanation';
import { Translate } from './l10n';

function ex(title: string, text: string[], here: string[] = []): Explanation {
  return { title, text, here };
}

/** The option's word: what tcpdump prints first ("mss", "TS", "unknown-42", "exp-tfo", …). */
export function optionName(text: string): string {
  const s = text.trim();
  let e = 0;
  while (e < s.length && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 91) e++;
  return s.slice(0, e);
}

function firstNumber(s: string): number {
  const m = /(\d+)/.exec(s);
  return m === null ? -1 : Number(m[1]);
}

/** The whole "options [ … ]" list. */
export function explainOptions(t: Translate): Explanation {
  return ex(t('TCP options'), [
    t('Extra fields after the 20-byte TCP header (at most 40 bytes). Most are agreed in the SYN and SYN+ACK (MSS, window scale, SACK, timestamps); later segments usually carry only timestamps and SACK blocks.'),
  ]);
}

/** One option, from its text as printed. */
export function explainOption(text: string, ctx: PacketContext, t: Translate): Explanation {
  const name = optionName(text);
  const rest = text.trim().slice(name.length).trim();
  const flags = known(ctx.flags) ? ctx.flags : 0;
  const here: string[] = [];
  if (/\[len \d+\]/.test(rest)) here.push(t('tcpdump notes a length that does not match this option\'s format: the option may be malformed.'));
  if (/\[bad opt\]/.test(text)) here.push(t('The options could not be read: the header is malformed or damaged.'));
  switch (name) {
    case 'mss': {
      const v = firstNumber(rest);
      const text1 = t('Maximum segment size: the largest TCP payload the sender of this SYN wants to receive in one segment.');
      if (v >= 0) {
        if (v === 1460) here.push(t('1460 bytes is the usual value on Ethernet: a 1500-byte MTU minus 40 bytes of IPv4 and TCP headers.'));
        else if (v === 1440) here.push(t('1440 bytes: a 1500-byte MTU minus 60 bytes of IPv6 and TCP headers.'));
        else if (v < 1460 && v >= 536) here.push(t('{0} bytes, less than Ethernet\'s 1460: a tunnel, VPN or PPPoE link on the way, or MSS clamping by a router or firewall.', v));
        else if (v > 1460) here.push(t('{0} bytes: jumbo frames or a loopback interface.', v));
        else here.push(t('{0} bytes is very small: a constrained link, or a value set on purpose.', v));
      }
      if (!(flags & TH_SYN) && known(ctx.flags)) here.push(t('MSS is only meaningful on a SYN or SYN+ACK.'));
      return ex(v >= 0 ? t('MSS {0}', v) : t('MSS'), [text1], here);
    }
    case 'wscale': {
      const v = firstNumber(rest);
      const text1 = t('Window scale: the sender\'s window field will be multiplied by 2 to the power of this value, so windows can exceed 64 KB. It only takes effect when both SYNs carry it.');
      if (v >= 0 && v <= 14) here.push(t('Shift {0}: window values of this side are multiplied by {1}.', v, Math.pow(2, v)));
      else if (v > 14) here.push(t('Shift {0} is above the maximum of 14; receivers use 14.', v));
      return ex(v >= 0 ? t('Window scale {0}', v) : t('Window scale'), [text1], here);
    }
    case 'sackOK':
      return ex(t('SACK permitted'), [t('The sender can use selective acknowledgments: after a loss, the peer can report exactly which later blocks arrived, so only the missing data is sent again.')], here);
    case 'sack':
      return ex(t('Selective acknowledgment (SACK)'), [
        t('Blocks of data that arrived beyond the ack number. The bytes between the ack and the first block, and between blocks, are missing.'),
        t('SACK blocks mean the receiver saw loss or reordering.'),
      ], here);
    case 'TS':
      return ex(t('Timestamps'), [
        t('val is the sender\'s timestamp clock when it sent the segment; ecr echoes the latest val received from the peer.'),
        t('They let each side measure the round-trip time, and PAWS uses them to reject old duplicate segments when sequence numbers wrap around.'),
      ], here);
    case 'nop':
      return ex(t('No-operation (nop)'), [t('One byte of padding that aligns the next option on a 4-byte boundary. It means nothing else.')], here);
    case 'eol':
      return ex(t('End of option list (eol)'), [t('Marks the end of the options; any remaining option space is padding.')], here);
    case 'tfo':
    case 'exp-tfo': {
      const text1 = t('TCP Fast Open (RFC 7413): lets a client send data in its SYN and save one round trip on repeat connections.');
      if (/cookiereq/.test(rest)) here.push(t('Cookie request: the client asks the server for a Fast Open cookie to use next time.'));
      else if (/cookie /.test(rest)) here.push(t('Cookie: proof that the client talked to this server before; with it, the server may accept the data in the SYN.'));
      else if (/invalid/.test(rest)) here.push(t('The cookie length is invalid.'));
      if (name === 'exp-tfo') here.push(t('Sent with the experimental option number used before the RFC.'));
      return ex(t('TCP Fast Open'), [text1], here);
    }
    case 'mptcp': {
      const text1 = t('Multipath TCP (RFC 8684): one connection uses several paths at once (for example Wi-Fi and mobile data), each as a TCP subflow.');
      const sub = /\b(capable|join|dss|add-addr|rem-addr|prio|fail|fast-close|tcprst)\b/.exec(rest);
      const s = sub === null ? '' : mptcpSubtype(sub[1], t);
      if (s !== '') here.push(s);
      return ex(sub === null ? t('Multipath TCP') : t('Multipath TCP: {0}', sub[1]), [text1], here);
    }
    case 'md5':
      return ex(t('TCP MD5 signature'), [
        t('A keyed hash over the segment (RFC 2385) that protects long-lived sessions, mostly BGP between routers, against forged segments and resets.'),
        t('tcpdump can only check it when given the shared secret with -M.'),
      ], here);
    case 'tcp-ao':
      return ex(t('TCP Authentication Option'), [t('TCP-AO (RFC 5925), the successor of the MD5 signature: a MAC over the segment with key ids, so keys can be changed without breaking the session. Used mostly by BGP and other routing protocols.')], here);
    case 'uto':
      return ex(t('User timeout'), [t('User Timeout (RFC 5482): how long the sender will wait for its data to be acknowledged before it gives up on the connection.')], here);
    case 'exp-acc0':
    case 'exp-acc1':
      return ex(t('Accurate ECN option'), [t('AccECN: counts of bytes that arrived with each ECN mark, so the sender learns how much congestion was signalled, not only that some was. Sent here with an experimental option number.')], here);
    case 'accecn0':
    case 'accecn1':
    case 'AccECN0':
    case 'AccECN1':
      return ex(t('Accurate ECN option'), [t('AccECN: counts of bytes that arrived with each ECN mark, so the sender learns how much congestion was signalled, not only that some was.')], here);
    case 'echo':
    case 'echoreply':
    case 'cc':
    case 'ccnew':
    case 'ccecho':
    case 'scps':
      return ex(t('Obsolete option: {0}', name), [t('An option from old or experimental extensions (RFC 1072, RFC 1644, SCPS); modern stacks do not send it.')], here);
    default: {
      const m = /^unknown-(\d+)$/.exec(name);
      if (m !== null) return ex(t('Unknown option kind {0}', m[1]), [t('tcpdump does not decode this option kind. It may be a vendor or experimental option, or the header is damaged.')], here);
      const e = /^exp-([0-9a-f]{4})$/.exec(name);
      if (e !== null) return ex(t('Experimental option'), [t('An experimental option (kind 253 or 254) with identifier 0x{0}, used to try out new TCP features.', e[1])], here);
      return ex(name === '' ? t('TCP option') : t('TCP option: {0}', clip(name, 24)), [t('An option in the TCP header that has no specific explanation here.')], here);
    }
  }
}

function mptcpSubtype(sub: string, t: Translate): string {
  switch (sub) {
    case 'capable': return t('MP_CAPABLE: agrees on using Multipath TCP during the handshake and exchanges the keys.');
    case 'join': return t('MP_JOIN: adds a new subflow to an existing Multipath TCP connection.');
    case 'dss': return t('DSS: maps this subflow\'s bytes onto the connection-wide data sequence and acknowledges data at that level.');
    case 'add-addr': return t('ADD_ADDR: announces another address the host can be reached at.');
    case 'rem-addr': return t('REMOVE_ADDR: withdraws an address announced before.');
    case 'prio': return t('MP_PRIO: changes whether a subflow is a backup path.');
    case 'fail': return t('MP_FAIL: a checksum failure; the connection falls back to plain TCP.');
    case 'fast-close': return t('MP_FASTCLOSE: closes the whole Multipath TCP connection at once, like a reset.');
    case 'tcprst': return t('MP_TCPRST: tells why this subflow is being reset.');
    default: return '';
  }
}

/**
 * One value inside an option: "1460" of mss, "7" of wscale, a "{a:b}" SACK block, the number after
 * "val" or "ecr" of TS (valueIndex 0 = val, 1 = ecr), a cookie.
 */
export function explainOptionValue(optionText: string, valueText: string, ctx: PacketContext, t: Translate, valueIndex = -1): Explanation {
  const name = optionName(optionText);
  const v = valueText.trim();
  if (name === 'TS') {
    let idx = valueIndex;
    if (idx < 0) {
      const m = /val (\d+) ecr (\d+)/.exec(optionText);
      if (m !== null && m[1] !== m[2]) idx = v === m[1] ? 0 : v === m[2] ? 1 : -1;
    }
    if (idx === 0) {
      return ex(t('TS val {0}', clip(v, 12)), [t('The sender\'s timestamp clock when it sent this segment. It counts ticks (often 1 ms), not the time of day, and starts at a random value.')]);
    }
    if (idx === 1) {
      const here = v === '0' ? [t('0 is normal in a first SYN: nothing has been received yet to echo.')] : [];
      return ex(t('TS ecr {0}', clip(v, 12)), [t('Echo of the latest TS val received from the peer. When the peer gets this echo back, the time since it sent that val is one round-trip time.')], here);
    }
    return explainOption(optionText, ctx, t);
  }
  if (name === 'sack') {
    const m = /^\{(\d+):(\d+)\}$/.exec(v);
    if (m !== null) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      const here = b > a ? [t('{0} bytes arrived past a gap: from {1} up to, but not including, {2}.', b - a, a, b)] : [];
      let lowest = a;
      for (const b0 of optionText.matchAll(/\{(\d+):/g)) lowest = Math.min(lowest, Number(b0[1]));
      if (known(ctx.ack) && a > ctx.ack && lowest === a) here.push(t('Still missing: from {0} up to, but not including, {1} (between the ack number and this block).', ctx.ack, a));
      return ex(t('SACK block {0}:{1}', a, b), [t('A block of data the receiver has, beyond its ack number. The sender only needs to resend what the blocks do not cover.')], here);
    }
  }
  return explainOption(optionText, ctx, t);
}
