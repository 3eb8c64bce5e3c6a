/**
 * Explanations of the application-layer fields of the details tree (DNS, HTTP): what the field is,
 * and for a few values (DNS reply codes, HTTP status classes) what this value means. Keyed by the
 * Wireshark field name the decoders report (src/core/decode/app/*.ts). Pure; O(1) per call.
 */

import { Explanation } from './explanation';
import { Translate } from './l10n';

function ex(title: string, text: string[], here: string[] = []): Explanation {
  return { title, text, here };
}

function dnsRcode(v: number, t: Translate): string[] {
  switch (v) {
    case 0:
      return [t('No error: the server answered the question.')];
    case 1:
      return [t('Format error: the server could not read the query.')];
    case 2:
      return [t('Server failure: the server could not answer (often its own upstream failed or timed out).')];
    case 3:
      return [t('No such name (NXDOMAIN): the name does not exist.')];
    case 4:
      return [t('Not implemented: the server does not support this kind of query.')];
    case 5:
      return [t('Refused: the server will not answer this client (policy).')];
    default:
      return [];
  }
}

function httpStatus(v: number, t: Translate): string[] {
  if (v >= 100 && v < 200) return [t('1xx: informational, the final response follows.')];
  if (v >= 200 && v < 300) return [t('2xx: success.')];
  if (v >= 300 && v < 400) return [t('3xx: redirection, the resource is elsewhere (see Location).')];
  if (v >= 400 && v < 500) return [t('4xx: the request was wrong or not allowed (client error).')];
  if (v >= 500 && v < 600) return [t('5xx: the server failed to handle a valid request (server error).')];
  return [];
}

/** Explanation of a DNS or HTTP field (`name` as in the details tree), or null for names it does not know. */
export function explainAppField(name: string, value: string | number | boolean | null | undefined, t: Translate): Explanation | null {
  switch (name) {
    case 'dns':
      return ex('DNS', [t('Domain Name System: a client asks for the records of a name (its addresses, aliases, mail servers) and a server answers.')]);
    case 'dns.length':
      return ex(t('DNS message length'), [t('Over TCP each DNS message follows a 2-byte length, so that several messages can share one connection.')]);
    case 'dns.id':
      return ex(t('Transaction ID'), [t('Chosen by the client; the answer carries the same ID, which pairs it with its query.')]);
    case 'dns.flags.response':
      return ex(t('Query or response'), [value === true || value === 1 ? t('This message is a response.') : t('This message is a query.')]);
    case 'dns.flags.opcode':
      return ex(t('Opcode'), [t('The kind of request: 0 is a standard query, 4 a change notification, 5 a dynamic update.')]);
    case 'dns.flags.authoritative':
      return ex(t('Authoritative answer'), [t('Set when the answer comes from a server responsible for the name, not from a cache.')]);
    case 'dns.flags.truncated':
      return ex(t('Truncated'), [t('The answer did not fit in the UDP datagram; the client should ask again over TCP.')]);
    case 'dns.flags.recdesired':
      return ex(t('Recursion desired'), [t('The client asks the server to resolve the name completely on its behalf.')]);
    case 'dns.flags.recavail':
      return ex(t('Recursion available'), [t('The server offers recursive resolution.')]);
    case 'dns.flags.rcode':
      return ex(t('Reply code'), [t('The outcome of the query as the server reports it.'), ...(typeof value === 'number' ? dnsRcode(value, t) : [])]);
    case 'dns.qry.name':
      return ex(t('Query name'), [t('The name the client asks about.')]);
    case 'dns.qry.type':
      return ex(t('Query type'), [t('The kind of record asked for: A (IPv4 address), AAAA (IPv6 address), CNAME (alias), MX (mail server), TXT, PTR (reverse lookup)…')]);
    case 'dns.resp.ttl':
      return ex(t('Time to live'), [t('How many seconds the answer may be cached before it must be asked again.')]);
    case 'dns.a':
      return ex(t('IPv4 address'), [t('An address of the name (A record).')]);
    case 'dns.aaaa':
      return ex(t('IPv6 address'), [t('An address of the name (AAAA record).')]);
    case 'dns.cname':
      return ex(t('Canonical name'), [t('The name is an alias: the records are looked up under this name instead (CNAME record).')]);
    case 'dns.time':
      return ex(t('Response time'), [t('Seconds from the query to this response (the first copy of the query when it was sent again): the time the server took, plus the network both ways.')]);
    case 'dns.response_in':
      return ex(t('Response in frame'), [t('The frame that answers this query (same transaction ID, same endpoints).')]);
    case 'dns.response_to':
      return ex(t('Request in frame'), [t('The frame of the query this response answers (same transaction ID, same endpoints).')]);
    case 'dns.rr.udp_payload_size':
      return ex(t('EDNS UDP payload size'), [t('The largest UDP answer the sender can receive (EDNS, RFC 6891).')]);
    case 'http':
      return ex('HTTP', [t('Hypertext Transfer Protocol: the client sends a request line and headers, the server answers with a status line, headers and a body.')]);
    case 'http.request.method':
      return ex(t('Request method'), [t('What the client asks for: GET reads a resource, POST sends data, PUT stores, DELETE removes, HEAD reads only the headers.')]);
    case 'http.request.uri':
      return ex(t('Request URI'), [t('The resource the request is about: a path with an optional query.')]);
    case 'http.request.version':
    case 'http.response.version':
      return ex(t('HTTP version'), [t('The protocol version the sender speaks (HTTP/1.0 or HTTP/1.1).')]);
    case 'http.response.code':
      return ex(t('Status code'), [t('Three digits telling the outcome of the request.'), ...(typeof value === 'number' ? httpStatus(value, t) : [])]);
    case 'http.response.phrase':
      return ex(t('Reason phrase'), [t('The status in words, for people; programs read the code.')]);
    case 'http.host':
      return ex(t('Host'), [t('The name of the site asked for: one server address can host many sites.')]);
    case 'http.user_agent':
      return ex(t('User agent'), [t('The program that sent the request (browser, library, tool).')]);
    case 'http.content_type':
      return ex(t('Content type'), [t('The media type of the body (text/html, application/json…).')]);
    case 'http.content_length':
    case 'http.content_length_header':
      return ex(t('Content length'), [t('The size of the body in bytes: the body may continue in the following segments.')]);
    case 'http.continuation':
      return ex(t('Continuation'), [t('The segment does not start a request or response: it carries the rest of a body or of headers sent before.')]);
    default:
      return null;
  }
}
