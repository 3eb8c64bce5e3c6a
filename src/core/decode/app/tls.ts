/**
 * TLS (RFC 5246, RFC 8446) over one TCP segment: records (content type, version, length), handshake
 * messages (ClientHello with SNI, ALPN, supported_versions and cipher suites; ServerHello; Certificate
 * with each certificate's subject and issuer names; the other types by name), alerts,
 * ChangeCipherSpec and application data. Field names are Wireshark's (tls.*, x509*).
 *
 * Stateless by design: a segment is decoded on its own. So
 * - a segment that does not start with a record header is "Continuation Data" (the rest of a record
 *   begun earlier); a record running past the segment is decoded as far as it goes and marked
 *   "reassembly needed" (whole records come with Follow TCP Stream);
 * - an encrypted handshake record (Finished after ChangeCipherSpec, renegotiation) is told from a
 *   plaintext one by its contents: plaintext handshake messages tile the record exactly (type known,
 *   4 + length each). Random bytes pass that test with odds of about 2^-24 per record.
 * Never throws; every loop is bounded by the bytes it walks and by the MAX_* counts below.
 *
 * Longer than our 600-line guide: about a third is name tables (cipher suites, extensions, alerts)
 * that belong beside the record and handshake walkers that use them.
 */

import { u16be, u24be, hexPad, utf8String } from '../../bytes';
import { FieldSink } from '../fields';
import { DecodedPacket } from '../packet';
import type { AppField, AppProtocol, AppTransport } from './index';

export const TLS_PORT = 443;

export const CT_CHANGE_CIPHER_SPEC = 20;
export const CT_ALERT = 21;
export const CT_HANDSHAKE = 22;
export const CT_APPLICATION_DATA = 23;
export const CT_HEARTBEAT = 24;

/** Records decoded per segment (a 64 KiB segment of empty records is 13107; the Info column stays short). */
const MAX_RECORDS = 64;
/** Handshake messages, extensions, cipher suites, certificates and name attributes reported per item. */
const MAX_ITEMS = 512;
/** Longest name (SNI, ALPN, certificate attribute) kept as text. */
const MAX_NAME = 256;

export const CONTENT_TYPE_NAMES: Readonly<Record<number, string>> = {
  20: 'Change Cipher Spec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
  24: 'Heartbeat',
};

export const HANDSHAKE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Hello Request',
  1: 'Client Hello',
  2: 'Server Hello',
  3: 'Hello Verify Request',
  4: 'New Session Ticket',
  5: 'End of Early Data',
  6: 'Hello Retry Request',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  12: 'Server Key Exchange',
  13: 'Certificate Request',
  14: 'Server Hello Done',
  15: 'Certificate Verify',
  16: 'Client Key Exchange',
  20: 'Finished',
  21: 'Certificate URL',
  22: 'Certificate Status',
  23: 'Supplemental Data',
  24: 'Key Update',
  25: 'Compressed Certificate',
  254: 'Message Hash',
};

export const ALERT_LEVEL_NAMES: Readonly<Record<number, string>> = { 1: 'Warning', 2: 'Fatal' };

/** Alert descriptions as Wireshark names them (RFC 8446 §6, RFC 5246 §7.2, RFC 7301). */
export const ALERT_DESCRIPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'Close Notify',
  10: 'Unexpected Message',
  20: 'Bad Record MAC',
  21: 'Decryption Failed',
  22: 'Record Overflow',
  30: 'Decompression Failure',
  40: 'Handshake Failure',
  41: 'No Certificate',
  42: 'Bad Certificate',
  43: 'Unsupported Certificate',
  44: 'Certificate Revoked',
  45: 'Certificate Expired',
  46: 'Certificate Unknown',
  47: 'Illegal Parameter',
  48: 'Unknown CA',
  49: 'Access Denied',
  50: 'Decode Error',
  51: 'Decrypt Error',
  60: 'Export Restriction',
  70: 'Protocol Version',
  71: 'Insufficient Security',
  80: 'Internal Error',
  86: 'Inappropriate Fallback',
  90: 'User Canceled',
  100: 'No Renegotiation',
  109: 'Missing Extension',
  110: 'Unsupported Extension',
  111: 'Certificate Unobtainable',
  112: 'Unrecognized Name',
  113: 'Bad Certificate Status Response',
  114: 'Bad Certificate Hash Value',
  115: 'Unknown PSK Identity',
  116: 'Certificate Required',
  120: 'No application Protocol',
};

/** The cipher suites seen in practice (IANA names); others print as 0xNNNN. */
export const CIPHER_SUITE_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x0000, 'TLS_NULL_WITH_NULL_NULL'],
  [0x0004, 'TLS_RSA_WITH_RC4_128_MD5'],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'],
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00ff, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV'],
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0x1304, 'TLS_AES_128_CCM_SHA256'],
  [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
  [0x5600, 'TLS_FALLBACK_SCSV'],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
]);

export const EXTENSION_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'server_name'],
  [1, 'max_fragment_length'],
  [5, 'status_request'],
  [10, 'supported_groups'],
  [11, 'ec_point_formats'],
  [13, 'signature_algorithms'],
  [14, 'use_srtp'],
  [15, 'heartbeat'],
  [16, 'application_layer_protocol_negotiation'],
  [18, 'signed_certificate_timestamp'],
  [21, 'padding'],
  [22, 'encrypt_then_mac'],
  [23, 'extended_master_secret'],
  [27, 'compress_certificate'],
  [28, 'record_size_limit'],
  [35, 'session_ticket'],
  [41, 'pre_shared_key'],
  [42, 'early_data'],
  [43, 'supported_versions'],
  [44, 'cookie'],
  [45, 'psk_key_exchange_modes'],
  [47, 'certificate_authorities'],
  [49, 'post_handshake_auth'],
  [50, 'signature_algorithms_cert'],
  [51, 'key_share'],
  [13172, 'next_protocol_negotiation'],
  [17513, 'application_settings'],
  [65037, 'encrypted_client_hello'],
  [65281, 'renegotiation_info'],
]);

/** RFC 8701 GREASE values: 0x?A?A with both bytes equal. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

/** "TLS 1.2", "SSL 3.0", "Reserved (GREASE)" or "0xNNNN" (Wireshark's names). */
export function tlsVersionName(v: number): string {
  switch (v) {
    case 0x0300:
      return 'SSL 3.0';
    case 0x0301:
      return 'TLS 1.0';
    case 0x0302:
      return 'TLS 1.1';
    case 0x0303:
      return 'TLS 1.2';
    case 0x0304:
      return 'TLS 1.3';
    case 0xfeff:
      return 'DTLS 1.0';
    case 0xfefd:
      return 'DTLS 1.2';
  }
  if (isGrease(v)) return 'Reserved (GREASE)';
  return '0x' + hexPad(v, 4);
}

export function cipherSuiteName(v: number): string {
  const n = CIPHER_SUITE_NAMES.get(v);
  if (n !== undefined) return n;
  return isGrease(v) ? 'Reserved (GREASE)' : 'Unknown';
}

export function extensionName(v: number): string {
  const n = EXTENSION_NAMES.get(v);
  if (n !== undefined) return n;
  return isGrease(v) ? 'Reserved (GREASE)' : 'Unknown type ' + v;
}

export function alertDescriptionName(v: number): string {
  return ALERT_DESCRIPTION_NAMES[v] ?? 'Unknown (' + v + ')';
}

/** Subject and issuer of one certificate, as "CN=example.com, O=Example" (attributes in DER order). */
export interface TlsCertNames {
  subject: string;
  issuer: string;
}

/** What one segment's TLS bytes say (filled by decodeTlsBytes). */
export interface TlsSummary {
  /** Info parts in order: "Client Hello (SNI=example.com)", "Change Cipher Spec", … */
  info: string[];
  /** Records that start in this segment. */
  records: number;
  /** Content types of those records (in order). */
  contentTypes: number[];
  /** Plaintext handshake message types, in order. */
  handshakeTypes: number[];
  sni: string;
  /** ALPN protocol names (ClientHello: offered; ServerHello: the one selected). */
  alpn: string[];
  /** supported_versions: offered (ClientHello) or selected (ServerHello); -1 when absent. */
  supportedVersions: number[];
  selectedVersion: number;
  /** Cipher suites offered (ClientHello) and the one chosen (ServerHello; -1 when none). */
  cipherSuites: number[];
  cipherSuite: number;
  /** Last plaintext alert: level and description (-1 when none); encryptedAlert when one was seen encrypted. */
  alertLevel: number;
  alertDesc: number;
  encryptedAlert: boolean;
  certificates: TlsCertNames[];
  /** The segment starts inside a record begun in an earlier segment. */
  continuation: boolean;
  /** A record or handshake message goes on past this segment (or past the captured bytes). */
  reassemblyNeeded: boolean;
  /** Highest record / negotiated version seen (for a "TLSv1.2" protocol column), -1 when none. */
  version: number;
}

export function newTlsSummary(): TlsSummary {
  return {
    info: [],
    records: 0,
    contentTypes: [],
    handshakeTypes: [],
    sni: '',
    alpn: [],
    supportedVersions: [],
    selectedVersion: -1,
    cipherSuites: [],
    cipherSuite: -1,
    alertLevel: -1,
    alertDesc: -1,
    encryptedAlert: false,
    certificates: [],
    continuation: false,
    reassemblyNeeded: false,
    version: -1,
  };
}

/** Whether 5 bytes at p look like a TLS record header (known type, version 3.x with x ≤ 4, length ≤ 2^14 + 2048). */
export function isTlsRecordHeader(d: Uint8Array, p: number, end: number): boolean {
  if (p + 5 > end) return false;
  const ct = d[p];
  if (ct < 20 || ct > 24) return false;
  if (d[p + 1] !== 3 || d[p + 2] > 4) return false;
  // RFC 5246 §6.2.3: TLSCiphertext.length ≤ 2^14 + 2048
  return u16be(d, p + 3) <= 18432;
}

function latin1(d: Uint8Array, off: number, len: number): string {
  const n = len < MAX_NAME ? len : MAX_NAME;
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = d[off + i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\\x' + hexPad(c, 2);
  }
  return s;
}

// ------------------------------------------------------------------------------------------------
// DER (X.509 names only): a bounded walker over tag-length-value items
// ------------------------------------------------------------------------------------------------

/** One DER item: tag, value start and end (absolute). Reused. */
interface Tlv {
  tag: number;
  off: number;
  valOff: number;
  end: number;
}

/** Reads the TLV at p (must end by `end`). False on anything malformed (never throws). */
function readTlv(d: Uint8Array, p: number, end: number, out: Tlv): boolean {
  if (p + 2 > end) return false;
  const tag = d[p];
  if ((tag & 0x1f) === 0x1f) return false; // high tag numbers do not occur in the names we read
  let q = p + 1;
  let len = d[q++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || q + n > end) return false; // a certificate part is < 16 MiB (TLS's 24-bit length)
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + d[q++];
  }
  if (q + len > end) return false;
  out.tag = tag;
  out.off = p;
  out.valOff = q;
  out.end = q + len;
  return true;
}

/** Short names of the name attributes X.509 certificates carry (OID 2.5.4.x and two others). */
const AT_SHORT: Readonly<Record<number, string>> = { 3: 'CN', 4: 'SN', 5: 'serialNumber', 6: 'C', 7: 'L', 8: 'ST', 9: 'street', 10: 'O', 11: 'OU', 12: 'title', 42: 'GN' };
/** Wireshark's names of the same (x509sat's "id-at-…"). */
const AT_LONG: Readonly<Record<number, string>> = {
  3: 'id-at-commonName',
  4: 'id-at-surname',
  5: 'id-at-serialNumber',
  6: 'id-at-countryName',
  7: 'id-at-localityName',
  8: 'id-at-stateOrProvinceName',
  9: 'id-at-streetAddress',
  10: 'id-at-organizationName',
  11: 'id-at-organizationalUnitName',
  12: 'id-at-title',
  42: 'id-at-givenName',
};

/** The attribute's short name from its OID bytes ("CN"), or the dotted OID. */
function attrName(d: Uint8Array, off: number, end: number): { short: string; long: string } {
  const n = end - off;
  if (n === 3 && d[off] === 0x55 && d[off + 1] === 0x04) {
    const a = d[off + 2];
    if (AT_SHORT[a] !== undefined) return { short: AT_SHORT[a], long: AT_LONG[a] };
  }
  // 1.2.840.113549.1.9.1 emailAddress, 0.9.2342.19200300.100.1.25 domainComponent
  if (n === 9 && d[off] === 0x2a && d[off + 1] === 0x86 && d[off + 2] === 0x48 && d[off + 8] === 0x01 && d[off + 7] === 0x09) return { short: 'emailAddress', long: 'pkcs-9-at-emailAddress' };
  if (n === 10 && d[off] === 0x09 && d[off + 1] === 0x92 && d[off + 9] === 0x19) return { short: 'DC', long: 'id-domainComponent' };
  const oid = oidText(d, off, end);
  return { short: oid, long: oid };
}

/** Dotted text of an OID's value bytes (bounded: at most 32 arcs). */
export function oidText(d: Uint8Array, off: number, end: number): string {
  if (off >= end) return '';
  let s = '';
  let v = 0;
  let arcs = 0;
  let first = true;
  for (let p = off; p < end && arcs < 32; p++) {
    v = v * 128 + (d[p] & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) return s + '…';
    if (d[p] & 0x80) continue;
    if (first) {
      const a = v < 40 ? 0 : v < 80 ? 1 : 2;
      s = a + '.' + (v - a * 40);
      first = false;
    } else s += '.' + v;
    v = 0;
    arcs++;
  }
  return s;
}

/** Text of a DirectoryString value by its tag (UTF8String, PrintableString, IA5String, TeletexString, BMPString). */
function directoryString(d: Uint8Array, tag: number, off: number, end: number): string {
  const n = Math.min(end - off, MAX_NAME * 2);
  if (tag === 0x0c) return utf8String(d, off, n);
  if (tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < n; i += 2) s += String.fromCharCode((d[off + i] << 8) | d[off + i + 1]);
    return s;
  }
  return latin1(d, off, n);
}

const STRING_FIELD: Readonly<Record<number, string>> = {
  0x0c: 'x509sat.uTF8String',
  0x13: 'x509sat.printableString',
  0x14: 'x509sat.teletexString',
  0x16: 'x509sat.IA5String',
  0x1e: 'x509sat.bmpString',
  0x1c: 'x509sat.universalString',
};

/**
 * A Name (SEQUENCE OF SET OF AttributeTypeAndValue) at tlv → "CN=…, O=…"; fields under `field`
 * (x509af.issuer / x509af.subject) when a sink is given. '' when malformed (never throws).
 */
function readName(d: Uint8Array, name: Tlv, field: string, label: string, sink: FieldSink | null): string {
  const parts: string[] = [];
  const rdn: Tlv = { tag: 0, off: 0, valOff: 0, end: 0 };
  const atv: Tlv = { tag: 0, off: 0, valOff: 0, end: 0 };
  const oid: Tlv = { tag: 0, off: 0, valOff: 0, end: 0 };
  const val: Tlv = { tag: 0, off: 0, valOff: 0, end: 0 };
  if (sink) sink.open(field, label, name.off, name.end - name.off);
  let p = name.valOff;
  let items = 0;
  while (p < name.end && items < MAX_ITEMS && readTlv(d, p, name.end, rdn) && rdn.tag === 0x31) {
    let q = rdn.valOff;
    while (q < rdn.end && items < MAX_ITEMS && readTlv(d, q, rdn.end, atv) && atv.tag === 0x30) {
      items++;
      if (readTlv(d, atv.valOff, atv.end, oid) && oid.tag === 0x06 && readTlv(d, oid.end, atv.end, val)) {
        const an = attrName(d, oid.valOff, oid.end);
        const text = directoryString(d, val.tag, val.valOff, val.end);
        parts.push(an.short + '=' + text);
        if (sink) {
          sink.field('x509if.RelativeDistinguishedName_item', 'RelativeDistinguishedName item (' + an.long + '=' + text + ')', atv.off, atv.end - atv.off, an.long + '=' + text, an.long + '=' + text);
          sink.field('x509if.id', 'Id: ' + oidText(d, oid.valOff, oid.end) + ' (' + an.long + ')', oid.off, oid.end - oid.off, oidText(d, oid.valOff, oid.end), an.long);
          const sf = STRING_FIELD[val.tag];
          if (sf !== undefined) sink.field(sf, text, val.off, val.end - val.off, text, text);
        }
      } else if (sink) sink.note('warning', 'malformed name attribute', atv.off, atv.end - atv.off);
      q = atv.end;
    }
    p = rdn.end;
  }
  const s = parts.join(', ');
  if (sink) {
    if (p < name.end) sink.note('warning', 'malformed name (DER)', p, name.end - p);
    sink.close();
  }
  return s;
}

/**
 * Subject and issuer of the DER certificate d[off, end). Null when the bytes are not a certificate
 * (malformed or cut short before the subject). Fields under x509af.* when a sink is given.
 */
export function readCertificateNames(d: Uint8Array, off: number, end: number, sink: FieldSink | null): TlsCertNames | null {
  const cert: Tlv = { tag: 0, off: 0, valOff: 0, end: 0 };
  const tbs: Tlv = { tag: 0, off: 0, valOff: 0, end: 0 };
  const it: Tlv = { tag: 0, off: 0, valOff: 0, end: 0 };
  // a certificate cut by the segment: read the outer headers without their lengths reaching past `end`
  if (!readTlvPartial(d, off, end, cert) || cert.tag !== 0x30) return null;
  if (!readTlvPartial(d, cert.valOff, cert.end, tbs) || tbs.tag !== 0x30) return null;
  let p = tbs.valOff;
  if (!readTlv(d, p, tbs.end, it)) return null;
  if (it.tag === 0xa0) {
    p = it.end; // [0] EXPLICIT version
    if (!readTlv(d, p, tbs.end, it)) return null;
  }
  if (it.tag !== 0x02) return null; // serialNumber
  if (sink) sink.field('x509af.serialNumber', 'serialNumber', it.off, it.end - it.off, hexRun(d, it.valOff, it.end), hexRun(d, it.valOff, it.end));
  if (!readSeq(d, it.end, tbs.end, it)) return null; // signature AlgorithmIdentifier
  if (!readSeq(d, it.end, tbs.end, it)) return null; // issuer
  const issuer = readName(d, it, 'x509af.issuer', 'issuer', sink);
  if (!readSeq(d, it.end, tbs.end, it)) return { subject: '', issuer }; // validity
  if (!readSeq(d, it.end, tbs.end, it)) return { subject: '', issuer }; // subject
  const subject = readName(d, it, 'x509af.subject', 'subject', sink);
  return { subject, issuer };
}

/** readTlv of a SEQUENCE (tag 0x30). */
function readSeq(d: Uint8Array, p: number, end: number, out: Tlv): boolean {
  return readTlv(d, p, end, out) && out.tag === 0x30;
}

/** Like readTlv, but a length reaching past `end` is cut to `end` (the rest of the item is in a later segment). */
function readTlvPartial(d: Uint8Array, p: number, end: number, out: Tlv): boolean {
  if (p + 2 > end) return false;
  let q = p + 1;
  let len = d[q++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || q + n > end) return false;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + d[q++];
  }
  out.tag = d[p];
  out.off = p;
  out.valOff = q;
  out.end = q + len < end ? q + len : end;
  return true;
}

function hexRun(d: Uint8Array, off: number, end: number): string {
  let s = '';
  for (let i = off; i < end && i - off < 32; i++) s += (i > off ? ':' : '') + hexPad(d[i], 2);
  return s;
}

// ------------------------------------------------------------------------------------------------
// Handshake messages
// ------------------------------------------------------------------------------------------------

/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HRR_RANDOM = [
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

function isHrr(d: Uint8Array, p: number, end: number): boolean {
  if (p + 32 > end) return false;
  for (let i = 0; i < 32; i++) if (d[p + i] !== HRR_RANDOM[i]) return false;
  return true;
}

/**
 * Whether d[p, recEnd) (the body of a handshake record; recEnd may be past `end`, the captured part)
 * reads as plaintext handshake messages: each has a known type and they tile the record, except that
 * the last may run past the record (a message fragmented over records) when its length is < 128 KiB.
 */
export function looksLikePlainHandshake(d: Uint8Array, p: number, recEnd: number, end: number): boolean {
  if (p >= recEnd) return false;
  let n = 0;
  while (p < recEnd && n < MAX_ITEMS) {
    if (p + 4 > end) return p + 4 > recEnd ? false : HANDSHAKE_TYPE_NAMES[d[p]] !== undefined;
    if (HANDSHAKE_TYPE_NAMES[d[p]] === undefined) return false;
    const mlen = u24be(d, p + 1);
    if (p + 4 + mlen > recEnd) return mlen < 0x20000;
    p += 4 + mlen;
    n++;
  }
  return p === recEnd;
}

function u16s(d: Uint8Array, off: number, end: number, max: number): number[] {
  const out: number[] = [];
  for (let p = off; p + 2 <= end && out.length < max; p += 2) out.push(u16be(d, p));
  return out;
}

/** Extensions block at [p, end) of a ClientHello (client = true) or ServerHello. */
function readExtensions(d: Uint8Array, p: number, end: number, client: boolean, s: TlsSummary, sink: FieldSink | null): void {
  let n = 0;
  while (p + 4 <= end && n < MAX_ITEMS) {
    const type = u16be(d, p);
    const elen = u16be(d, p + 2);
    const eEnd = p + 4 + elen;
    const avail = eEnd < end ? eEnd : end;
    const name = extensionName(type);
    if (sink) {
      sink.open('tls.handshake.extension', 'Extension: ' + name + ' (len=' + elen + ')', p, avail - p);
      sink.field('tls.handshake.extension.type', 'Type: ' + name + ' (' + type + ')', p, 2, type, name + ' (' + type + ')');
      sink.field('tls.handshake.extension.len', 'Length: ' + elen, p + 2, 2, elen, String(elen));
    }
    const b = p + 4;
    if (type === 0 && b + 2 <= avail) {
      // server_name: list length, then (type 1 byte, length 2 bytes, name)
      if (sink) sink.field('tls.handshake.extensions_server_name_list_len', 'Server Name list length: ' + u16be(d, b), b, 2, u16be(d, b), String(u16be(d, b)));
      let q = b + 2;
      let k = 0;
      while (q + 3 <= avail && k < MAX_ITEMS) {
        const nt = d[q];
        const nl = u16be(d, q + 1);
        const nEnd = q + 3 + nl <= avail ? q + 3 + nl : avail;
        const host = latin1(d, q + 3, nEnd - q - 3);
        if (nt === 0 && s.sni === '') s.sni = host;
        if (sink) {
          sink.field('tls.handshake.extensions_server_name_type', 'Server Name Type: ' + (nt === 0 ? 'host_name' : 'unknown') + ' (' + nt + ')', q, 1, nt, String(nt));
          sink.field('tls.handshake.extensions_server_name_len', 'Server Name length: ' + nl, q + 1, 2, nl, String(nl));
          sink.field('tls.handshake.extensions_server_name', 'Server Name: ' + host, q + 3, nEnd - q - 3, host, host);
        }
        q = q + 3 + nl;
        k++;
      }
    } else if (type === 16 && b + 2 <= avail) {
      if (sink) sink.field('tls.handshake.extensions_alpn_len', 'ALPN Extension Length: ' + u16be(d, b), b, 2, u16be(d, b), String(u16be(d, b)));
      let q = b + 2;
      let k = 0;
      while (q + 1 <= avail && k < MAX_ITEMS) {
        const l = d[q];
        const sEnd = q + 1 + l <= avail ? q + 1 + l : avail;
        const proto = latin1(d, q + 1, sEnd - q - 1);
        s.alpn.push(proto);
        if (sink) {
          sink.field('tls.handshake.extensions_alpn_str_len', 'ALPN string length: ' + l, q, 1, l, String(l));
          sink.field('tls.handshake.extensions_alpn_str', 'ALPN Next Protocol: ' + proto, q + 1, sEnd - q - 1, proto, proto);
        }
        q = q + 1 + l;
        k++;
      }
    } else if (type === 43) {
      if (client && b + 1 <= avail) {
        const l = d[b];
        if (sink) sink.field('tls.handshake.extensions.supported_versions_len', 'Supported Versions length: ' + l, b, 1, l, String(l));
        const vEnd = b + 1 + l <= avail ? b + 1 + l : avail;
        for (const v of u16s(d, b + 1, vEnd, MAX_ITEMS)) s.supportedVersions.push(v);
        for (let q = b + 1; q + 2 <= vEnd; q += 2) {
          if (sink) sink.field('tls.handshake.extensions.supported_version', 'Supported Version: ' + tlsVersionName(u16be(d, q)) + ' (0x' + hexPad(u16be(d, q), 4) + ')', q, 2, u16be(d, q), tlsVersionName(u16be(d, q)));
        }
      } else if (!client && b + 2 <= avail) {
        const v = u16be(d, b);
        s.selectedVersion = v;
        if (sink) sink.field('tls.handshake.extensions.supported_version', 'Supported Version: ' + tlsVersionName(v) + ' (0x' + hexPad(v, 4) + ')', b, 2, v, tlsVersionName(v));
      }
    }
    if (sink) {
      if (eEnd > end) sink.note('warning', 'extension runs past the message', p, avail - p);
      sink.close();
    }
    p = eEnd;
    n++;
  }
}

/** ClientHello (client) or ServerHello body at [p, end) (end: the message's end or the captured end). */
function readHello(d: Uint8Array, p: number, end: number, client: boolean, s: TlsSummary, sink: FieldSink | null): void {
  if (p + 2 > end) return;
  const ver = u16be(d, p);
  if (sink) sink.field('tls.handshake.version', 'Version: ' + tlsVersionName(ver) + ' (0x' + hexPad(ver, 4) + ')', p, 2, ver, tlsVersionName(ver));
  p += 2;
  if (p + 32 > end) return;
  if (sink) sink.field('tls.handshake.random', 'Random: ' + hexRun(d, p, p + 32).replace(/:/g, ''), p, 32, hexRun(d, p, p + 32), '');
  p += 32;
  if (p + 1 > end) return;
  const sidLen = d[p];
  if (sink) {
    sink.field('tls.handshake.session_id_length', 'Session ID Length: ' + sidLen, p, 1, sidLen, String(sidLen));
    if (sidLen > 0) sink.field('tls.handshake.session_id', 'Session ID', p + 1, Math.min(sidLen, end - p - 1), hexRun(d, p + 1, Math.min(p + 1 + sidLen, end)), '');
  }
  p += 1 + sidLen;
  if (client) {
    if (p + 2 > end) return;
    const csLen = u16be(d, p);
    if (sink) sink.field('tls.handshake.cipher_suites_length', 'Cipher Suites Length: ' + csLen, p, 2, csLen, String(csLen));
    const csEnd = p + 2 + csLen;
    if (sink) sink.open('tls.handshake.ciphersuites', 'Cipher Suites (' + (csLen >> 1) + ' suites)', p + 2, Math.min(csEnd, end) - p - 2);
    for (let q = p + 2; q + 2 <= csEnd && q + 2 <= end && s.cipherSuites.length < MAX_ITEMS; q += 2) {
      const cs = u16be(d, q);
      s.cipherSuites.push(cs);
      if (sink) sink.field('tls.handshake.ciphersuite', 'Cipher Suite: ' + cipherSuiteName(cs) + ' (0x' + hexPad(cs, 4) + ')', q, 2, cs, cipherSuiteName(cs));
    }
    if (sink) sink.close();
    p = csEnd;
    if (p + 1 > end) return;
    const cmLen = d[p];
    if (sink) {
      sink.field('tls.handshake.comp_methods_length', 'Compression Methods Length: ' + cmLen, p, 1, cmLen, String(cmLen));
      for (let q = p + 1; q < p + 1 + cmLen && q < end; q++) sink.field('tls.handshake.comp_method', 'Compression Method: ' + (d[q] === 0 ? 'null' : d[q] === 1 ? 'DEFLATE' : String(d[q])) + ' (' + d[q] + ')', q, 1, d[q], String(d[q]));
    }
    p += 1 + cmLen;
  } else {
    if (p + 2 > end) return;
    const cs = u16be(d, p);
    s.cipherSuite = cs;
    if (sink) sink.field('tls.handshake.ciphersuite', 'Cipher Suite: ' + cipherSuiteName(cs) + ' (0x' + hexPad(cs, 4) + ')', p, 2, cs, cipherSuiteName(cs));
    p += 2;
    if (p + 1 > end) return;
    if (sink) sink.field('tls.handshake.comp_method', 'Compression Method: ' + (d[p] === 0 ? 'null' : String(d[p])) + ' (' + d[p] + ')', p, 1, d[p], String(d[p]));
    p += 1;
  }
  if (p + 2 > end) return;
  const extLen = u16be(d, p);
  if (sink) sink.field('tls.handshake.extensions_length', 'Extensions Length: ' + extLen, p, 2, extLen, String(extLen));
  const extEnd = p + 2 + extLen < end ? p + 2 + extLen : end;
  readExtensions(d, p + 2, extEnd, client, s, sink);
}

/** TLS 1.2 Certificate body at [p, end): certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
function readCertificates(d: Uint8Array, p: number, end: number, s: TlsSummary, sink: FieldSink | null): void {
  if (p + 3 > end) return;
  const total = u24be(d, p);
  if (sink) sink.field('tls.handshake.certificates_length', 'Certificates Length: ' + total, p, 3, total, String(total));
  const listEnd = p + 3 + total < end ? p + 3 + total : end;
  let q = p + 3;
  while (q + 3 <= listEnd && s.certificates.length < MAX_ITEMS) {
    const clen = u24be(d, q);
    const cEnd = q + 3 + clen < listEnd ? q + 3 + clen : listEnd;
    if (sink) {
      sink.field('tls.handshake.certificate_length', 'Certificate Length: ' + clen, q, 3, clen, String(clen));
      sink.open('tls.handshake.certificate', 'Certificate (' + clen + ' bytes)', q + 3, cEnd - q - 3);
    }
    const names = readCertificateNames(d, q + 3, cEnd, sink);
    if (names !== null) s.certificates.push(names);
    if (sink) {
      if (names === null) sink.note('warning', 'not a readable X.509 certificate (DER)', q + 3, cEnd - q - 3);
      else sink.field('tls.handshake.certificate.names', 'subject: ' + names.subject + '; issuer: ' + names.issuer, q + 3, cEnd - q - 3, names.subject, 'subject: ' + names.subject + '; issuer: ' + names.issuer);
      if (q + 3 + clen > end) sink.note('info', 'certificate continues in the next segment (reassembly needed)', q + 3, cEnd - q - 3);
      sink.close();
    }
    q = q + 3 + clen;
  }
}

/** Handshake messages in the record body [p, recEnd), captured up to `end`. */
function readHandshakes(d: Uint8Array, p: number, recEnd: number, end: number, s: TlsSummary, sink: FieldSink | null): void {
  const stop = recEnd < end ? recEnd : end;
  let n = 0;
  while (p + 4 <= stop && n < MAX_ITEMS) {
    const type = d[p];
    const mlen = u24be(d, p + 1);
    const mEnd = p + 4 + mlen;
    const avail = mEnd < stop ? mEnd : stop;
    let name = HANDSHAKE_TYPE_NAMES[type] ?? 'Unknown Handshake Message (' + type + ')';
    if (type === 2 && isHrr(d, p + 6, avail)) name = 'Hello Retry Request';
    s.handshakeTypes.push(type);
    if (sink) {
      sink.open('tls.handshake', 'Handshake Protocol: ' + name, p, avail - p);
      sink.field('tls.handshake.type', 'Handshake Type: ' + name + ' (' + type + ')', p, 1, type, name);
      sink.field('tls.handshake.length', 'Length: ' + mlen, p + 1, 3, mlen, String(mlen));
    }
    if (type === 1) readHello(d, p + 4, avail, true, s, sink);
    else if (type === 2) readHello(d, p + 4, avail, false, s, sink);
    else if (type === 11) readCertificates(d, p + 4, avail, s, sink);
    let info = name;
    if (type === 1 && s.sni !== '') info += ' (SNI=' + s.sni + ')';
    s.info.push(info);
    if (mEnd > stop) {
      s.reassemblyNeeded = true;
      if (sink) sink.note('info', name + ': ' + (mEnd - stop) + ' more bytes in later segments or records (reassembly needed)', p, avail - p);
    }
    if (sink) sink.close();
    p = mEnd;
    n++;
  }
}

/**
 * Decodes the TLS records in d[off, end) (`wireEnd` ≥ end: where the payload ends on the wire; bytes
 * in [end, wireEnd) were not captured). Fills `s` and, when given, the sink. Pure; never throws.
 */
export function decodeTlsBytes(d: Uint8Array, off: number, end: number, wireEnd: number, sink: FieldSink | null, s: TlsSummary): TlsSummary {
  if (off >= end) return s;
  if (!isTlsRecordHeader(d, off, end)) {
    s.continuation = true;
    s.info.push('Continuation Data');
    if (sink) {
      sink.open('tls', 'Transport Layer Security', off, end - off);
      sink.field('tls.continuation_data', 'Continuation Data (' + (wireEnd - off) + ' bytes)', off, end - off, wireEnd - off, (wireEnd - off) + ' bytes');
      sink.note('info', 'not the start of a TLS record: the rest of a record begun in an earlier segment (reassembly needed to read it)', off, end - off);
      sink.close();
    }
    return s;
  }
  if (sink) sink.open('tls', 'Transport Layer Security', off, end - off);
  let p = off;
  while (p < end && s.records < MAX_RECORDS) {
    if (!isTlsRecordHeader(d, p, end)) {
      if (p + 5 > end && p + 5 <= wireEnd) {
        s.reassemblyNeeded = true;
        if (sink) sink.note('info', 'record header cut by the capture length', p, end - p);
      } else if (p + 5 > end) {
        s.reassemblyNeeded = true;
        s.info.push('Continuation Data');
        if (sink) sink.note('info', 'the start of a record header: the rest is in the next segment (reassembly needed)', p, end - p);
      } else {
        s.info.push('Ignored Unknown Record');
        if (sink) sink.note('warning', 'not a TLS record header: ' + (end - p) + ' bytes ignored', p, end - p);
      }
      break;
    }
    const ct = d[p];
    const ver = u16be(d, p + 1);
    const rlen = u16be(d, p + 3);
    const body = p + 5;
    const recEnd = body + rlen;
    const avail = recEnd < end ? recEnd : end;
    if (ver > s.version) s.version = ver;
    s.records++;
    s.contentTypes.push(ct);
    if (sink) {
      sink.open('tls.record', tlsVersionName(ver) + ' Record Layer: ' + CONTENT_TYPE_NAMES[ct], p, avail - p);
      sink.field('tls.record.content_type', 'Content Type: ' + CONTENT_TYPE_NAMES[ct] + ' (' + ct + ')', p, 1, ct, CONTENT_TYPE_NAMES[ct]);
      sink.field('tls.record.version', 'Version: ' + tlsVersionName(ver) + ' (0x' + hexPad(ver, 4) + ')', p + 1, 2, ver, tlsVersionName(ver));
      sink.field('tls.record.length', 'Length: ' + rlen, p + 3, 2, rlen, String(rlen));
    }
    const before = s.info.length;
    switch (ct) {
      case CT_CHANGE_CIPHER_SPEC:
        s.info.push('Change Cipher Spec');
        if (sink && avail > body) sink.field('tls.change_cipher_spec', 'Change Cipher Spec Message', body, avail - body, d[body], String(d[body]));
        break;
      case CT_ALERT:
        if (rlen === 2 && body + 2 <= end) {
          const level = d[body];
          const desc = d[body + 1];
          s.alertLevel = level;
          s.alertDesc = desc;
          const ln = ALERT_LEVEL_NAMES[level] ?? 'Unknown (' + level + ')';
          s.info.push('Alert (Level: ' + ln + ', Description: ' + alertDescriptionName(desc) + ')');
          if (sink) {
            sink.open('tls.alert_message', 'Alert Message', body, 2);
            sink.field('tls.alert_message.level', 'Level: ' + ln + ' (' + level + ')', body, 1, level, ln);
            sink.field('tls.alert_message.desc', 'Description: ' + alertDescriptionName(desc) + ' (' + desc + ')', body + 1, 1, desc, alertDescriptionName(desc));
            sink.close();
          }
        } else {
          s.encryptedAlert = true;
          s.info.push('Encrypted Alert');
          if (sink && avail > body) sink.field('tls.alert_message', 'Alert Message: Encrypted Alert', body, avail - body, null, 'Encrypted Alert');
        }
        break;
      case CT_HANDSHAKE:
        if (looksLikePlainHandshake(d, body, recEnd, end)) readHandshakes(d, body, recEnd, end, s, sink);
        else {
          s.info.push('Encrypted Handshake Message');
          if (sink && avail > body) sink.field('tls.handshake.encrypted', 'Handshake Protocol: Encrypted Handshake Message', body, avail - body, null, 'Encrypted Handshake Message');
        }
        break;
      case CT_APPLICATION_DATA:
        s.info.push('Application Data');
        if (sink && avail > body) sink.field('tls.app_data', 'Encrypted Application Data (' + rlen + ' bytes)', body, avail - body, rlen, rlen + ' bytes');
        break;
      default:
        s.info.push('Heartbeat');
        if (sink && avail > body) sink.field('tls.heartbeat_message', 'Heartbeat Message', body, avail - body, null, '');
    }
    if (s.info.length === before) s.info.push(CONTENT_TYPE_NAMES[ct]);
    if (recEnd > end) {
      s.reassemblyNeeded = true;
      if (sink) {
        const why = recEnd > wireEnd ? 'continues in the next segment' : 'is cut by the capture length';
        sink.note('info', 'record of ' + rlen + ' bytes ' + why + ': ' + (end - body) + ' bytes here (reassembly needed)', p, end - p);
      }
    }
    if (sink) sink.close();
    p = recEnd;
  }
  if (sink) sink.close();
  return s;
}

function capEnd(pkt: DecodedPacket, off: number, len: number): number {
  const e = off + len;
  return e < pkt.caplen ? e : pkt.caplen;
}

/** The AppDecoder. */
export function decodeTls(pkt: DecodedPacket, off: number, len: number, sink: FieldSink, _transport: AppTransport): void {
  decodeTlsBytes(pkt.data, off, capEnd(pkt, off, len), off + len, sink, newTlsSummary());
}

/** Info as Wireshark's: the parts joined by ", " ("Server Hello, Certificate, Server Hello Done"). */
export function tlsInfoText(s: TlsSummary): string {
  return s.info.join(', ');
}

export function tlsInfo(pkt: DecodedPacket, off: number, len: number, _transport: AppTransport): string {
  const d = pkt.data;
  const end = capEnd(pkt, off, len);
  if (off >= end) return '';
  // the middle of a record (most segments of a connection): what decodeTlsBytes says, without its summary's
  // nine arrays (Info on every packet of the bench's realistic capture cost +21 % over decode + engine before)
  if (!isTlsRecordHeader(d, off, end)) return 'Continuation Data';
  // one Application Data record that fills the segment (or goes on past it): the loop's one answer
  if (d[off] === CT_APPLICATION_DATA && off + 5 + u16be(d, off + 3) >= end) return 'Application Data';
  return tlsRecordsInfo(d, off, end, off + len);
}

/**
 * decodeTlsBytes's record loop for Info alone, for segments of records whose Info is their content type
 * (encrypted: Application Data, Change Cipher Spec, Encrypted Handshake Message, Encrypted Alert, Heartbeat),
 * as most of a connection's records are: the same parts joined by ", ", without a TlsSummary (nine arrays)
 * and its join. A plaintext handshake or alert (names, SNI, levels) goes to decodeTlsBytes itself. The
 * first record header is checked by the caller. On the bench's realistic capture a third of the TLS
 * segments with a record header came here ("Application Data, Ignored Unknown Record" and the like).
 * Pure; never throws; at most MAX_RECORDS records, as decodeTlsBytes.
 */
function tlsRecordsInfo(d: Uint8Array, off: number, end: number, wireEnd: number): string {
  let out = '';
  let part = '';
  let p = off;
  for (let records = 0; p < end && records < MAX_RECORDS; records++) {
    if (!isTlsRecordHeader(d, p, end)) {
      // as decodeTlsBytes: a header cut by the capture length says nothing; one the segment cuts is
      // "Continuation Data"; anything else is "Ignored Unknown Record"
      if (p + 5 > end && p + 5 <= wireEnd) return out;
      part = p + 5 > end ? 'Continuation Data' : 'Ignored Unknown Record';
      return out === '' ? part : out + ', ' + part;
    }
    const ct = d[p];
    const rlen = u16be(d, p + 3);
    const body = p + 5;
    const recEnd = body + rlen;
    switch (ct) {
      case CT_CHANGE_CIPHER_SPEC:
        part = 'Change Cipher Spec';
        break;
      case CT_ALERT:
        if (rlen === 2 && body + 2 <= end) return tlsInfoText(decodeTlsBytes(d, off, end, wireEnd, null, newTlsSummary()));
        part = 'Encrypted Alert';
        break;
      case CT_HANDSHAKE:
        if (looksLikePlainHandshake(d, body, recEnd, end)) return tlsInfoText(decodeTlsBytes(d, off, end, wireEnd, null, newTlsSummary()));
        part = 'Encrypted Handshake Message';
        break;
      case CT_APPLICATION_DATA:
        part = 'Application Data';
        break;
      default:
        part = 'Heartbeat';
    }
    out = out === '' ? part : out + ', ' + part;
    p = recEnd;
  }
  return out;
}

/** Wireshark's protocol column for the segment: "TLSv1.2", "TLSv1.3" (by the selected version), "SSLv3", "TLS". */
export function tlsProtocolName(s: TlsSummary): string {
  const v = s.selectedVersion >= 0 ? s.selectedVersion : s.version;
  if (v === 0x0300) return 'SSLv3';
  if (v >= 0x0301 && v <= 0x0304) return v === 0x0301 ? 'TLSv1' : 'TLSv1.' + (v - 0x0301);
  return 'TLS';
}

export const TLS_FIELDS: readonly AppField[] = [
  { name: 'tls.record.content_type', type: 'uint', description: 'TLS record content type (20 CCS, 21 alert, 22 handshake, 23 data)' },
  { name: 'tls.record.version', type: 'uint', description: 'TLS record version' },
  { name: 'tls.record.length', type: 'uint', description: 'TLS record length' },
  { name: 'tls.handshake.type', type: 'uint', description: 'TLS handshake message type (1 Client Hello, 2 Server Hello, 11 Certificate, …)' },
  { name: 'tls.handshake.version', type: 'uint', description: 'Version in a Client/Server Hello' },
  { name: 'tls.handshake.ciphersuite', type: 'uint', description: 'Cipher suite offered or chosen' },
  { name: 'tls.handshake.extension.type', type: 'uint', description: 'Hello extension type' },
  { name: 'tls.handshake.extensions_server_name', type: 'string', description: 'Server Name Indication (SNI)' },
  { name: 'tls.handshake.extensions_alpn_str', type: 'string', description: 'ALPN protocol (h2, http/1.1, …)' },
  { name: 'tls.handshake.extensions.supported_version', type: 'uint', description: 'supported_versions entry' },
  { name: 'tls.alert_message.level', type: 'uint', description: 'Alert level (1 warning, 2 fatal)' },
  { name: 'tls.alert_message.desc', type: 'uint', description: 'Alert description' },
  { name: 'x509sat.uTF8String', type: 'string', description: 'Certificate name attribute (UTF8String)' },
  { name: 'x509sat.printableString', type: 'string', description: 'Certificate name attribute (PrintableString)' },
];

export const TLS: AppProtocol = { name: 'TLS', decode: decodeTls, info: tlsInfo, fields: TLS_FIELDS };
