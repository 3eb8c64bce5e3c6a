/**
 * Explanations of the application protocols decoded in src/core/decode/app: DNS and HTTP fields
 * (dnsHttp.ts), TLS and the FTP control connection (tlsFtp.ts).
 */
export * from './dnsHttp';
export * from './tlsFtp';
