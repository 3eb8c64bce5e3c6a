/**
 * Explanations of the application protocols decoded in src/core/decode/app: DNS and HTTP fields
 * (dnsHttp.ts), TLS and the FTP control connection (tlsFtp.ts), SSH, mail, telnet, DHCP, NTP and
 * SSDP (moreApp.ts).
 */
export * from './dnsHttp';
export * from './tlsFtp';
export * from './moreApp';
