/**
 * Explanations of the SSH, SMTP, POP3, IMAP, telnet, DHCP, NTP and SSDP fields of the details tree
 * (src/core/decode/app/{ssh,mail,telnet,dhcp,ntp,ssdp}.ts): what the field is and, for a few values
 * (SSH message numbers, reply classes, DHCP message types, NTP modes and strata), what this value
 * means. Keyed by the Wireshark field name the decoders report. English templates are keys of
 * l10n/bundle.l10n.zh-cn.json. Pure; O(1) per call.
 */

import { Explanation, clip } from './explanation';
import { Translate } from './l10n';

function ex(title: string, text: string[], here: string[] = []): Explanation {
  return { title, text, here };
}

function sshMessage(code: number, t: Translate): string[] {
  switch (code) {
    case 20:
      return [t('Key exchange init (KEXINIT): each side lists the algorithms it supports, in order of preference; the first of the client\'s that the server also lists is used.')];
    case 21:
      return [t('New keys (NEWKEYS): from the next packet on, this side encrypts with the keys just agreed. Nothing after it can be read from the capture.')];
    case 30:
    case 31:
      return [t('Elliptic-curve Diffie-Hellman: the two sides exchange public values to agree on a secret without sending it.')];
    case 1:
      return [t('Disconnect: the sender closes the session and says why.')];
    default:
      return [];
  }
}

function replyClass(code: number, t: Translate): string[] {
  if (code >= 200 && code < 300) return [t('2xx: the command succeeded.')];
  if (code >= 300 && code < 400) return [t('3xx: go on, the server waits for more (the message after DATA, the next AUTH step).')];
  if (code >= 400 && code < 500) return [t('4xx: temporary failure: the sender should try again later (greylisting, full mailbox, rate limit).')];
  if (code >= 500 && code < 600) return [t('5xx: permanent failure: the command or the address was refused.')];
  return [];
}

function dhcpType(v: number, t: Translate): string[] {
  switch (v) {
    case 1:
      return [t('Discover: a client without an address asks any server for one (sent to the broadcast address).')];
    case 2:
      return [t('Offer: a server offers an address (Your IP) with a lease.')];
    case 3:
      return [t('Request: the client asks for the offered address (or renews its lease).')];
    case 4:
      return [t('Decline: the client found the offered address already in use.')];
    case 5:
      return [t('ACK: the server confirms; the client may use the address for the lease time.')];
    case 6:
      return [t('NAK: the server refuses (wrong network, lease expired): the client must start again with Discover.')];
    case 7:
      return [t('Release: the client gives its address back.')];
    case 8:
      return [t('Inform: a client with an address asks only for settings (DNS servers, domain…).')];
    default:
      return [];
  }
}

function ntpMode(v: number, t: Translate): string[] {
  switch (v) {
    case 3:
      return [t('Client: asks a server for the time.')];
    case 4:
      return [t('Server: answers a client with its four timestamps.')];
    case 5:
      return [t('Broadcast: a server sends the time to everyone on the network.')];
    case 6:
      return [t('Control message (ntpq): queries and sets the server\'s state, not the time.')];
    default:
      return [];
  }
}

function ntpStratum(v: number, t: Translate): string[] {
  if (v === 0) return [t('Stratum 0: unspecified; in a server reply it is a "kiss-o\'-death" and the reference ID holds a code such as RATE (poll less often).')];
  if (v === 1) return [t('Stratum 1: the server reads a reference clock itself (GPS, radio, atomic).')];
  if (v < 16) return [t('Stratum {0}: the server is {1} steps away from a reference clock.', v, v - 1)];
  return [t('Stratum 16: unsynchronized, the server has no usable time.')];
}

/** Explanation of a field of SSH, SMTP, POP3, IMAP, telnet, DHCP, NTP or SSDP, or null for names it does not know. */
export function explainMoreAppField(name: string, value: string | number | boolean | null | undefined, t: Translate): Explanation | null {
  const n = typeof value === 'number' ? value : -1;
  switch (name) {
    case 'ssh':
      return ex('SSH', [t('Secure Shell: after a version line on each side and a key exchange in clear text, everything is encrypted (logins, commands, file copies).')]);
    case 'ssh.protocol':
      return ex(t('SSH version line'), [t('Protocol version and software of this side ("SSH-2.0-OpenSSH_9.6"), sent in clear text before anything else.')], typeof value === 'string' ? [t('Software: {0}', clip(value))] : []);
    case 'ssh.message_code':
      return ex(t('SSH message number'), [t('What the packet is: 20 key exchange init, 21 new keys, 30/31 elliptic-curve key exchange, 50-60 user authentication, 90-100 channels.'), ...sshMessage(n, t)]);
    case 'ssh.kex_algorithms':
      return ex(t('Key exchange algorithms'), [t('How the two sides agree on a secret: curve25519 and ecdh are current; diffie-hellman-group1 and group14-sha1 are old and weak.')]);
    case 'ssh.server_host_key_algorithms':
      return ex(t('Host key algorithms'), [t('The kinds of server key the client accepts to check the server\'s identity (ssh-ed25519, rsa-sha2-512; ssh-rsa with SHA-1 is deprecated).')]);
    case 'ssh.encryption_algorithms_client_to_server':
    case 'ssh.encryption_algorithms_server_to_client':
      return ex(t('Ciphers'), [t('Encryption offered for each direction: chacha20-poly1305 and aes-gcm are current; cbc modes, 3des and arcfour are weak.')]);
    case 'ssh.mac_algorithms_client_to_server':
    case 'ssh.mac_algorithms_server_to_client':
      return ex(t('MAC algorithms'), [t('Integrity checks offered for each direction (not used with chacha20-poly1305 or aes-gcm, which carry their own).')]);
    case 'ssh.compression_algorithms_client_to_server':
    case 'ssh.compression_algorithms_server_to_client':
      return ex(t('Compression'), [t('Compression offered for each direction: none, or zlib@openssh.com (after login).')]);
    case 'ssh.encrypted_packet':
      return ex(t('Encrypted SSH data'), [t('After the key exchange everything is encrypted: only the sizes and the timing of the packets can be read.')]);
    case 'smtp':
      return ex('SMTP', [t('Simple Mail Transfer Protocol: a client hands mail to a server, one command line at a time, each answered by a three-digit reply.')]);
    case 'smtp.req.command':
      return ex(t('SMTP command'), [t('EHLO/HELO greets and names the client, MAIL FROM gives the sender, RCPT TO each recipient, DATA the message, QUIT ends; STARTTLS switches to TLS, AUTH logs in.')], typeof value === 'string' ? [t('Command: {0}', clip(value, 16))] : []);
    case 'smtp.response.code':
      return ex(t('SMTP reply code'), [t('Three digits giving the outcome; a hyphen after them ("250-") means more lines follow.'), ...replyClass(n, t)]);
    case 'smtp.data':
      return ex(t('Message text'), [t('The mail itself, sent after DATA and ended by a line with a single dot.')]);
    case 'pop':
      return ex('POP3', [t('Post Office Protocol: a mail client logs in and downloads (and often deletes) the messages of a mailbox.')]);
    case 'pop.request.command':
      return ex(t('POP3 command'), [t('USER and PASS log in (the password in clear text unless STLS came first), STAT and LIST count messages, RETR downloads one, DELE deletes it, QUIT ends.')]);
    case 'pop.response.indicator':
      return ex(t('POP3 status'), [value === '-ERR' ? t('-ERR: the command failed.') : t('+OK: the command succeeded.')]);
    case 'imap':
      return ex('IMAP', [t('Internet Message Access Protocol: a mail client works on mailboxes kept on the server; each command carries a tag that its final reply repeats.')]);
    case 'imap.request.command':
      return ex(t('IMAP command'), [t('LOGIN or AUTHENTICATE logs in, SELECT opens a mailbox, FETCH reads messages, STORE sets flags, IDLE waits for news, LOGOUT ends.')]);
    case 'imap.request_tag':
    case 'imap.response_tag':
      return ex(t('IMAP tag'), [t('Chosen by the client for each command; the server\'s final reply to that command starts with the same tag (untagged "*" lines are data).')]);
    case 'imap.response.status':
      return ex(t('IMAP status'), [t('OK: done; NO: refused (wrong password, no such mailbox); BAD: the command was not understood.')]);
    case 'telnet':
      return ex('Telnet', [t('Telnet: a remote terminal in clear text (logins and passwords included); bytes 255 (IAC) start commands that negotiate options.')]);
    case 'telnet.cmd':
      return ex(t('Telnet command'), [t('WILL / WONT: the sender offers or refuses to use an option; DO / DONT: it asks the other side to use it or not; SB … SE carry an option\'s parameters.')]);
    case 'telnet.subcmd':
      return ex(t('Telnet option'), [t('The feature negotiated: ECHO (who echoes typed characters), SUPPRESS GO AHEAD, TERMINAL TYPE, NAWS (window size), LINEMODE…')]);
    case 'telnet.data':
      return ex(t('Telnet data'), [t('What is typed or displayed, in clear text.')]);
    case 'dhcp':
      return ex('DHCP', [t('Dynamic Host Configuration Protocol: a client gets an IPv4 address and its settings from a server (Discover, Offer, Request, ACK).')]);
    case 'dhcp.option.dhcp':
      return ex(t('DHCP message type'), [t('Which step of the exchange this message is.'), ...dhcpType(n, t)]);
    case 'dhcp.ip.your':
      return ex(t('Your IP address'), [t('The address the server offers or assigns to the client.')]);
    case 'dhcp.ip.client':
      return ex(t('Client IP address'), [t('Filled only by a client that already has an address (renewing, releasing, informing).')]);
    case 'dhcp.ip.relay':
      return ex(t('Relay agent address'), [t('Set by a router that forwards DHCP between networks: the server picks the address pool of that network.')]);
    case 'dhcp.hw.mac_addr':
      return ex(t('Client hardware address'), [t('The client\'s MAC address: servers use it to recognise the client and keep its address.')]);
    case 'dhcp.id':
      return ex(t('Transaction ID'), [t('Chosen by the client; every message of one exchange carries it, which pairs an Offer or ACK with its Discover or Request.')]);
    case 'dhcp.option.ip_address_lease_time':
      return ex(t('Lease time'), [t('How many seconds the client may keep the address; it renews at half of it (T1) and asks any server at 87.5 % (T2).')]);
    case 'dhcp.option.requested_ip_address':
      return ex(t('Requested IP address'), [t('The address the client asks for (the one offered, or the one it had before).')]);
    case 'dhcp.option.dhcp_server_id':
      return ex(t('Server identifier'), [t('Which server the message is from, or which offer the client accepts when several servers answered.')]);
    case 'dhcp.option.router':
      return ex(t('Router'), [t('The default gateway the client should use.')]);
    case 'dhcp.option.domain_name_server':
      return ex(t('DNS servers'), [t('The name servers the client should ask.')]);
    case 'dhcp.option.subnet_mask':
      return ex(t('Subnet mask'), [t('Which addresses are on the client\'s own network (reached without the router).')]);
    case 'ntp':
      return ex('NTP', [t('Network Time Protocol: a client sets its clock from servers, correcting for the network delay it measures with four timestamps.')]);
    case 'ntp.flags.mode':
      return ex(t('NTP mode'), [t('The role of the sender.'), ...ntpMode(n, t)]);
    case 'ntp.flags.li':
      return ex(t('Leap indicator'), [t('0: no leap second announced; 1 or 2: the last minute of the day has 61 or 59 seconds; 3: the clock is not synchronized.')]);
    case 'ntp.stratum':
      return ex(t('Stratum'), [t('Distance from a reference clock.'), ...ntpStratum(n, t)]);
    case 'ntp.refid':
      return ex(t('Reference ID'), [t('For stratum 1, the kind of reference clock (GPS, PPS); above, the address of the server this one follows; for stratum 0, a kiss code.')]);
    case 'ntp.org':
    case 'ntp.rec':
    case 'ntp.xmt':
    case 'ntp.reftime':
      return ex(t('NTP timestamp'), [t('Origin: when the client sent its request; Receive: when the server got it; Transmit: when this packet left. With the client\'s arrival time they give the delay and the clock offset.')]);
    case 'ssdp':
      return ex('SSDP', [t('Simple Service Discovery Protocol (UPnP): devices announce themselves (NOTIFY) and answer searches (M-SEARCH) with HTTP-like messages over UDP multicast.')]);
    case 'ssdp.nt':
    case 'ssdp.st':
      return ex(t('Service type'), [t('What is announced or searched for (upnp:rootdevice, a device or service type, ssdp:all).')]);
    case 'ssdp.usn':
      return ex(t('Unique service name'), [t('Identifies the device (its uuid) and the service announced.')]);
    case 'ssdp.location':
      return ex(t('Description URL'), [t('Where the device\'s description can be fetched over HTTP: it names the device\'s address and port.')]);
    default:
      return null;
  }
}
