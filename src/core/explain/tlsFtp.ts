/**
 * Explanations of the application protocols decoded in src/core/decode/app: TLS (content types,
 * handshake messages, alerts with what they usually mean, a reset right after an alert) and the FTP
 * control connection (every common command and reply code, the data connection PORT / PASV / EPRT /
 * EPSV announce). English templates are keys of l10n/bundle.l10n.zh-cn.json. Pure TypeScript.
 */

import { ALERT_LEVEL_NAMES, alertDescriptionName, CONTENT_TYPE_NAMES, HANDSHAKE_TYPE_NAMES } from '../decode/app/tls';
import type { FtpDataEndpoint } from '../decode/app/ftp';
import { Explanation, clip } from './explanation';
import { Translate } from './l10n';

function ex(title: string, text: string[], here: string[] = []): Explanation {
  return { title, text, here };
}

/** What an FTP command does (`cmd` as sent; case does not matter). Unknown commands get generic text. */
export function explainFtpCommand(cmd: string, t: Translate): Explanation {
  const c = cmd.toUpperCase();
  const title = t('FTP command {0}', clip(cmd, 16));
  switch (c) {
    case 'USER':
      return ex(title, [t('User name: the first step of logging in.')]);
    case 'PASS':
      return ex(title, [t('Password for the user named by USER. FTP sends it as plain text: anyone who sees this packet sees the password.')], [t('Use FTPS (AUTH TLS) or SFTP to keep passwords off the wire.')]);
    case 'ACCT':
      return ex(title, [t('Account information, asked for by some servers after the password.')]);
    case 'CWD':
      return ex(title, [t('Change working directory on the server.')]);
    case 'CDUP':
      return ex(title, [t('Change to the parent directory.')]);
    case 'PWD':
      return ex(title, [t('Print the current working directory (reply 257).')]);
    case 'QUIT':
      return ex(title, [t('Log out; the server replies 221 and closes the control connection.')]);
    case 'PORT':
      return ex(title, [t('Active mode: the client names an address and port (h1,h2,h3,h4,p1,p2; port = p1×256+p2) and the server connects to it for the next transfer.')]);
    case 'EPRT':
      return ex(title, [t('Extended PORT (RFC 2428): |family|address|port|, for IPv6 too; the server connects to that address.')]);
    case 'PASV':
      return ex(title, [t('Passive mode: the server opens a port and tells it in its 227 reply; the client connects to it for the next transfer.')]);
    case 'EPSV':
      return ex(title, [t('Extended passive mode (RFC 2428): the 229 reply names only a port, on the server\'s own address.')]);
    case 'TYPE':
      return ex(title, [t('Transfer type: A (ASCII text, line endings converted) or I (binary image, bytes unchanged).')]);
    case 'MODE':
      return ex(title, [t('Transfer mode: S (stream) is the one in use everywhere.')]);
    case 'STRU':
      return ex(title, [t('File structure: F (file) is the one in use everywhere.')]);
    case 'RETR':
      return ex(title, [t('Retrieve (download) a file over a data connection.')]);
    case 'STOR':
      return ex(title, [t('Store (upload) a file over a data connection, replacing one of the same name.')]);
    case 'STOU':
      return ex(title, [t('Store a file under a unique name the server chooses.')]);
    case 'APPE':
      return ex(title, [t('Append to a file (upload), creating it if needed.')]);
    case 'REST':
      return ex(title, [t('Restart a transfer at this byte offset (resume a download or upload).')]);
    case 'RNFR':
      return ex(title, [t('Rename from: the file to rename (followed by RNTO).')]);
    case 'RNTO':
      return ex(title, [t('Rename to: the new name (after RNFR).')]);
    case 'ABOR':
      return ex(title, [t('Abort the transfer in progress.')]);
    case 'DELE':
      return ex(title, [t('Delete a file on the server.')]);
    case 'RMD':
      return ex(title, [t('Remove a directory.')]);
    case 'MKD':
      return ex(title, [t('Make a directory (reply 257 with its name).')]);
    case 'LIST':
      return ex(title, [t('List a directory in a human-readable form, over a data connection.')]);
    case 'NLST':
      return ex(title, [t('List file names only, over a data connection.')]);
    case 'MLSD':
      return ex(title, [t('List a directory in a machine-readable form (RFC 3659), over a data connection.')]);
    case 'MLST':
      return ex(title, [t('Facts about one file (RFC 3659), on the control connection.')]);
    case 'SITE':
      return ex(title, [t('Server-specific command (e.g. SITE CHMOD).')]);
    case 'SYST':
      return ex(title, [t('Ask the server\'s operating system type (reply 215, e.g. "UNIX Type: L8").')]);
    case 'STAT':
      return ex(title, [t('Status of the server or of the transfer in progress.')]);
    case 'HELP':
      return ex(title, [t('Ask the server for help on its commands.')]);
    case 'NOOP':
      return ex(title, [t('Do nothing; the server replies 200. Used to keep the control connection alive.')]);
    case 'FEAT':
      return ex(title, [t('Ask for the server\'s extensions (RFC 2389), listed in a multi-line 211 reply.')]);
    case 'OPTS':
      return ex(title, [t('Set options of a command (e.g. OPTS UTF8 ON).')]);
    case 'AUTH':
      return ex(title, [t('Ask to secure the control connection (AUTH TLS, RFC 4217): TLS follows on this connection after reply 234.')]);
    case 'PBSZ':
      return ex(title, [t('Protection buffer size (RFC 4217), 0 with TLS.')]);
    case 'PROT':
      return ex(title, [t('Data connection protection (RFC 4217): P (private, TLS) or C (clear).')]);
    case 'SIZE':
      return ex(title, [t('Size of a file in bytes (reply 213).')]);
    case 'MDTM':
      return ex(title, [t('Modification time of a file (reply 213, YYYYMMDDhhmmss).')]);
    case 'ALLO':
      return ex(title, [t('Allocate storage before an upload (mostly ignored).')]);
    case 'REIN':
      return ex(title, [t('Reinitialize: log out but keep the connection.')]);
    case 'SMNT':
      return ex(title, [t('Mount another file system structure.')]);
    case 'CLNT':
      return ex(title, [t('Client software name (informational).')]);
  }
  return ex(title, [t('A command this catalogue does not describe: a server extension, or a misspelt command (the server would answer 500 or 502).')]);
}

/** The reply class by its first digit (RFC 959 §4.2.1). */
function replyClass(code: number, t: Translate): string {
  switch (Math.floor(code / 100)) {
    case 1:
      return t('1xx: positive preliminary reply; another reply follows when the action is done.');
    case 2:
      return t('2xx: positive completion: the action succeeded.');
    case 3:
      return t('3xx: positive intermediate: the server waits for another command (e.g. PASS after USER).');
    case 4:
      return t('4xx: transient negative: the action failed, but may succeed if tried again later.');
    case 5:
      return t('5xx: permanent negative: the action failed and will fail again as sent.');
  }
  return t('Not a valid reply code: FTP reply codes run from 100 to 599.');
}

/** What an FTP reply code means; `more` for a "220-" line (the first of a multi-line reply). */
export function explainFtpReply(code: number, t: Translate, more = false): Explanation {
  const title = t('FTP reply {0}', code);
  const here: string[] = [];
  if (more) here.push(t('The hyphen after the code means a multi-line reply: it ends at a line starting with the same code and a space.'));
  let text = '';
  switch (code) {
    case 110:
      text = t('Restart marker reply (after REST).');
      break;
    case 120:
      text = t('Service ready in a few minutes.');
      break;
    case 125:
      text = t('Data connection already open; transfer starting.');
      break;
    case 150:
      text = t('File status okay; about to open the data connection.');
      break;
    case 200:
      text = t('Command okay.');
      break;
    case 202:
      text = t('Command not implemented, superfluous at this site.');
      break;
    case 211:
      text = t('System status, or the list of features (FEAT).');
      break;
    case 212:
      text = t('Directory status.');
      break;
    case 213:
      text = t('File status (SIZE, MDTM answers).');
      break;
    case 214:
      text = t('Help message.');
      break;
    case 215:
      text = t('System type (answer to SYST).');
      break;
    case 220:
      text = t('Service ready for a new user: the server\'s greeting when the control connection opens.');
      break;
    case 221:
      text = t('Service closing the control connection (after QUIT).');
      break;
    case 225:
      text = t('Data connection open; no transfer in progress.');
      break;
    case 226:
      text = t('Closing the data connection: the transfer completed.');
      break;
    case 227:
      text = t('Entering passive mode: the reply names the address and port (h1,h2,h3,h4,p1,p2) the client connects to for data.');
      break;
    case 229:
      text = t('Entering extended passive mode: the reply names the port (|||port|) on the server\'s address.');
      break;
    case 230:
      text = t('User logged in.');
      break;
    case 232:
      text = t('User logged in, authorized by a security exchange.');
      break;
    case 234:
      text = t('Security exchange accepted (AUTH TLS): TLS starts on this connection now.');
      break;
    case 250:
      text = t('Requested file action okay, completed.');
      break;
    case 257:
      text = t('Path name created or reported (PWD, MKD).');
      break;
    case 331:
      text = t('User name okay, need password.');
      break;
    case 332:
      text = t('Need account for login.');
      break;
    case 350:
      text = t('Requested file action pending further information (e.g. RNFR waiting for RNTO, REST).');
      break;
    case 421:
      text = t('Service not available, closing the control connection (often: too many users, or idle timeout).');
      break;
    case 425:
      text = t('Cannot open the data connection: often a firewall or NAT blocking the PORT/PASV address.');
      break;
    case 426:
      text = t('Connection closed; transfer aborted.');
      break;
    case 430:
      text = t('Invalid user name or password.');
      break;
    case 450:
      text = t('File action not taken: file unavailable (busy).');
      break;
    case 451:
      text = t('Action aborted: local error in processing.');
      break;
    case 452:
      text = t('Action not taken: insufficient storage space.');
      break;
    case 500:
      text = t('Syntax error, command unrecognized.');
      break;
    case 501:
      text = t('Syntax error in parameters or arguments.');
      break;
    case 502:
      text = t('Command not implemented.');
      break;
    case 503:
      text = t('Bad sequence of commands (e.g. PASS without USER).');
      break;
    case 504:
      text = t('Command not implemented for that parameter.');
      break;
    case 522:
      text = t('Network protocol not supported (EPRT family); the reply lists the supported ones.');
      break;
    case 530:
      text = t('Not logged in: wrong user name or password, or login required first.');
      break;
    case 532:
      text = t('Need account for storing files.');
      break;
    case 534:
      text = t('Request denied for policy reasons (e.g. TLS required).');
      break;
    case 550:
      text = t('Requested action not taken: file unavailable (not found, no access).');
      break;
    case 551:
      text = t('Requested action aborted: page type unknown.');
      break;
    case 552:
      text = t('Requested file action aborted: exceeded storage allocation.');
      break;
    case 553:
      text = t('Requested action not taken: file name not allowed.');
      break;
  }
  return ex(title, text === '' ? [replyClass(code, t)] : [text, replyClass(code, t)], here);
}

/** The data connection a PORT / EPRT / 227 / 229 line announces. */
export function explainFtpDataEndpoint(e: FtpDataEndpoint, t: Translate): Explanation {
  const where = (e.host.includes(':') ? '[' + e.host + ']' : e.host) + ':' + e.port;
  const title = t('FTP data connection {0}', where);
  if (e.mode === 'active') return ex(title, [t('Active mode: the server will open a TCP connection from its port 20 to {0} for the next listing or file (FTP-DATA). A firewall or NAT in front of the client often blocks it.', where)]);
  return ex(title, [t('Passive mode: the client will open a TCP connection to {0} for the next listing or file (FTP-DATA). The address inside the reply is not rewritten by every NAT: a private address here explains a data connection that never opens.', where)]);
}

/** A TLS record's content type. */
export function explainTlsContentType(ct: number, t: Translate): Explanation {
  const name = CONTENT_TYPE_NAMES[ct] ?? String(ct);
  const title = t('TLS record: {0}', name);
  switch (ct) {
    case 20:
      return ex(title, [t('TLS 1.2 and earlier: from the next record on, the sender encrypts with the keys just agreed. In TLS 1.3 it is only sent for compatibility with middleboxes.')]);
    case 21:
      return ex(title, [t('A warning or fatal error about the TLS session; a fatal alert ends it.')]);
    case 22:
      return ex(title, [t('Handshake messages: the two sides agree on a version, cipher suite and keys, and the server proves its identity.')]);
    case 23:
      return ex(title, [t('Encrypted application data (HTTP, mail…); its contents cannot be read without the session keys.')]);
    case 24:
      return ex(title, [t('Heartbeat request or response (RFC 6520), rarely used.')]);
  }
  return ex(title, [t('Not a TLS content type: these bytes are probably the middle of a record or not TLS at all.')]);
}

/** A handshake message type. */
export function explainTlsHandshake(type: number, t: Translate): Explanation {
  const name = HANDSHAKE_TYPE_NAMES[type] ?? String(type);
  const title = t('TLS handshake: {0}', name);
  switch (type) {
    case 0:
      return ex(title, [t('The server asks the client to start a new handshake (renegotiation).')]);
    case 1:
      return ex(title, [t('The client opens the handshake: the versions, cipher suites and extensions it supports, the server name (SNI) and application protocols (ALPN).')]);
    case 2:
      return ex(title, [t('The server\'s choice: protocol version, cipher suite and extensions. From TLS 1.3 on, everything after it is encrypted.')]);
    case 4:
      return ex(title, [t('A ticket the client can present later to resume the session without a full handshake.')]);
    case 8:
      return ex(title, [t('TLS 1.3: the server\'s extensions, already encrypted.')]);
    case 11:
      return ex(title, [t('The certificate chain: the server\'s certificate first, then the intermediates that lead to a trusted authority.')]);
    case 12:
      return ex(title, [t('The server\'s key exchange parameters (e.g. its ECDHE public key), signed.')]);
    case 13:
      return ex(title, [t('The server asks the client for a certificate (client authentication).')]);
    case 14:
      return ex(title, [t('TLS 1.2: the server has sent all its hello messages; the client\'s turn.')]);
    case 15:
      return ex(title, [t('A signature proving the sender holds the private key of its certificate.')]);
    case 16:
      return ex(title, [t('The client\'s key exchange part (its ECDHE public key, or an encrypted premaster secret).')]);
    case 20:
      return ex(title, [t('A check over the whole handshake, sent encrypted; it proves neither side was tampered with.')]);
  }
  return ex(title, [t('A handshake message this catalogue does not describe.')]);
}

/** An alert: level and description, with what usually causes it. */
export function explainTlsAlert(level: number, desc: number, t: Translate): Explanation {
  const ln = ALERT_LEVEL_NAMES[level] ?? String(level);
  const title = t('TLS alert: {0} ({1})', alertDescriptionName(desc), ln);
  const text: string[] = [];
  switch (desc) {
    case 0:
      text.push(t('The sender is closing the TLS session normally: it will send no more data. A normal end, usually followed by a TCP FIN (or a reset).'));
      break;
    case 10:
      text.push(t('A message arrived that was not allowed at that point of the handshake: a bug or an incompatible peer.'));
      break;
    case 20:
      text.push(t('A record failed its integrity check: corrupted on the way, or the two sides derived different keys.'));
      break;
    case 21:
      text.push(t('Decryption failed (an old alert, no longer sent by TLS 1.2 and later).'));
      break;
    case 22:
      text.push(t('A record was longer than allowed.'));
      break;
    case 30:
      text.push(t('Decompression failed (TLS compression is obsolete).'));
      break;
    case 40:
      text.push(t('The two sides found no acceptable set of parameters: no common cipher suite, protocol version, curve or signature algorithm.'));
      break;
    case 41:
      text.push(t('No certificate available (SSL 3.0 only).'));
      break;
    case 42:
      text.push(t('A certificate was corrupt or its signature did not verify.'));
      break;
    case 43:
      text.push(t('A certificate was of an unsupported type.'));
      break;
    case 44:
      text.push(t('A certificate was revoked by its issuer.'));
      break;
    case 45:
      text.push(t('A certificate has expired or is not yet valid (check the clocks of both machines).'));
      break;
    case 46:
      text.push(t('Some other problem with a certificate made it unacceptable.'));
      break;
    case 47:
      text.push(t('A handshake field was out of range or inconsistent.'));
      break;
    case 48:
      text.push(t('The certificate chain does not lead to a trusted certificate authority: a self-signed certificate, a missing intermediate, or an interception proxy.'));
      break;
    case 49:
      text.push(t('The certificate was valid, but the peer refused access by its policy.'));
      break;
    case 50:
      text.push(t('A message could not be decoded (a field out of range or a wrong length).'));
      break;
    case 51:
      text.push(t('A cryptographic check failed in the handshake (signature, key exchange or Finished).'));
      break;
    case 60:
      text.push(t('An export-restricted parameter was refused (obsolete).'));
      break;
    case 70:
      text.push(t('The peer does not support the protocol version offered (e.g. a client offering only TLS 1.0 to a TLS 1.2+ server).'));
      break;
    case 71:
      text.push(t('The server requires cipher suites stronger than the client offered.'));
      break;
    case 80:
      text.push(t('The sender hit an internal error unrelated to the peer (out of memory, a bug).'));
      break;
    case 86:
      text.push(t('A client retried with a lower version although the server supports a higher one (TLS_FALLBACK_SCSV): a possible downgrade attack.'));
      break;
    case 90:
      text.push(t('The user canceled the handshake.'));
      break;
    case 100:
      text.push(t('The peer refuses to renegotiate.'));
      break;
    case 109:
      text.push(t('A required extension was missing.'));
      break;
    case 110:
      text.push(t('An extension appeared that the peer did not offer or cannot accept.'));
      break;
    case 111:
      text.push(t('The certificate could not be obtained from the URL given.'));
      break;
    case 112:
      text.push(t('The server has no certificate for the name in the SNI: a wrong host name, or a server not configured for it.'));
      break;
    case 113:
      text.push(t('The OCSP status response was invalid or unacceptable.'));
      break;
    case 114:
      text.push(t('A certificate hash did not match.'));
      break;
    case 115:
      text.push(t('No pre-shared key is known for the identity offered.'));
      break;
    case 116:
      text.push(t('The server requires a client certificate and none was sent.'));
      break;
    case 120:
      text.push(t('No ALPN protocol in common (e.g. the server supports neither h2 nor http/1.1 offered).'));
      break;
    default:
      text.push(t('An alert description this catalogue does not describe.'));
  }
  if (level === 2) text.push(t('Fatal: the sender ends the TLS session now; the TCP connection usually closes or is reset right after.'));
  else if (level === 1) text.push(t('Warning: the session may go on (except Close Notify, which ends it).'));
  return ex(title, text);
}

/** Alert records whose length is not 2 are encrypted (sent after the keys were agreed). */
export function explainTlsEncryptedAlert(t: Translate): Explanation {
  return ex(t('TLS alert (encrypted)'), [t('An alert sent after encryption started: its level and description cannot be read without the keys. At the end of a session it is usually Close Notify.')]);
}

/**
 * "Here" text for a TCP reset that follows a TLS alert on the same connection (the engine passes
 * the alert it saw last, -1 when encrypted): the reset is the consequence, the alert the cause.
 */
export function explainResetAfterAlert(desc: number, t: Translate): string {
  if (desc < 0) return t('This reset follows an encrypted TLS alert: the application ended the session (usually Close Notify) and closed the socket with unread data or an abortive close, so TCP sent a reset.');
  if (desc === 0) return t('This reset follows a Close Notify alert: the TLS session had ended normally and the application closed the socket abruptly; usually harmless.');
  return t('This reset follows the TLS alert {0}: the TLS handshake or session failed, and the side that sent the alert gave up on the connection. Look at the alert, not at TCP, for the cause.', alertDescriptionName(desc));
}

/** Continuation data and records running past the segment. */
export function explainTlsReassembly(t: Translate): Explanation {
  return ex(t('TLS record across segments'), [t('A TLS record can be longer than one TCP segment: this segment holds only part of it. Each segment is decoded on its own here; the whole record is read by following the TCP stream.')]);
}

/** SNI, ALPN, supported versions, cipher suites, certificates: the fields a person asks about. */
export function explainTlsField(name: string, value: string | number, t: Translate): Explanation | null {
  switch (name) {
    case 'tls.record.content_type':
      return explainTlsContentType(Number(value), t);
    case 'tls.handshake.type':
      return explainTlsHandshake(Number(value), t);
    case 'tls.handshake.extensions_server_name':
      return ex(t('Server Name Indication (SNI)'), [t('The host name the client wants to reach, sent in clear text so the server can pick the right certificate. It shows which site an encrypted connection is for.')], [t('Server name: {0}', clip(String(value)))]);
    case 'tls.handshake.extensions_alpn_str':
      return ex(t('Application protocol (ALPN)'), [t('The application protocol spoken inside TLS: the client offers a list (h2, http/1.1 …), the server picks one in its Server Hello.')], [t('Protocol: {0}', clip(String(value)))]);
    case 'tls.handshake.extensions.supported_version':
      return ex(t('Supported versions'), [t('TLS 1.3 negotiates its version here: the record and hello version fields stay at TLS 1.2 for compatibility, and the Server Hello\'s supported_versions says what was chosen.')]);
    case 'tls.handshake.ciphersuite':
      return ex(t('Cipher suite'), [t('The algorithms for key exchange, encryption and integrity: the client lists those it supports, the server chooses one. ECDHE suites give forward secrecy; RC4, 3DES and plain RSA key exchange are weak.')]);
    case 'x509af.subject':
      return ex(t('Certificate subject'), [t('Whom the certificate names: its CN (and the subjectAltName extension) must match the server name the client asked for.')]);
    case 'x509af.issuer':
      return ex(t('Certificate issuer'), [t('The authority that signed the certificate. When subject and issuer are the same, the certificate is self-signed and browsers will not trust it by default.')]);
  }
  return null;
}

/** FTP fields of the details tree. */
export function explainFtpField(name: string, value: string | number, t: Translate): Explanation | null {
  switch (name) {
    case 'ftp.request.command':
      return explainFtpCommand(String(value), t);
    case 'ftp.response.code':
      return explainFtpReply(Number(value), t);
  }
  return null;
}
