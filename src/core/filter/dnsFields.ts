/**
 * Filter fields of the DNS query → response pairing (src/core/decode/app/dnsMatch.ts): they need the
 * whole capture, so they come from the index (FilterColumns.dnsPair, source 'dns'), never from one
 * decoded frame. Frame numbers are 1-based, as Wireshark's.
 */
import { registerFields } from './fields';

registerFields([
  { name: 'dns.time', type: 'reltime', src: 'dns', en: 'Seconds between the query and this response', zh: '查询到这个响应之间的秒数' },
  { name: 'dns.response_in', type: 'uint', bits: 32, src: 'dns', en: 'Frame of the response to this query', zh: '这个查询的响应所在的帧' },
  { name: 'dns.response_to', type: 'uint', bits: 32, src: 'dns', en: 'Frame of the query this response answers', zh: '这个响应所回答的查询所在的帧' },
]);
