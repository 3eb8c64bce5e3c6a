/**
 * Service names tcpdump prints instead of port numbers when run without -n/-nn (from the
 * /etc/services of common distributions; CentOS/RHEL ship a longer file than Debian, e.g.
 * "ddi-tcp-1 8888/tcp"). Only TCP/UDP names people meet in pasted logs.
 */
const SERVICES: Record<string, number> = {
  tcpmux: 1, echo: 7, discard: 9, daytime: 13, 'ftp-data': 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25,
  time: 37, whois: 43, nicname: 43, tacacs: 49, domain: 53, bootps: 67, bootpc: 68, tftp: 69, gopher: 70,
  finger: 79, http: 80, www: 80, kerberos: 88, 'pop3': 110, 'pop-3': 110, sunrpc: 111, auth: 113, ident: 113,
  nntp: 119, ntp: 123, epmap: 135, 'netbios-ns': 137, 'netbios-dgm': 138, 'netbios-ssn': 139, imap: 143, imap2: 143,
  snmp: 161, 'snmp-trap': 162, xdmcp: 177, bgp: 179, irc: 194, ldap: 389, https: 443, 'microsoft-ds': 445,
  kpasswd: 464, urd: 465, submissions: 465, smtps: 465, isakmp: 500, syslog: 514, shell: 514, login: 513, exec: 512,
  printer: 515, talk: 517, ntalk: 518, rip: 520, route: 520, submission: 587, ipp: 631, ldaps: 636, rsync: 873,
  'ftps-data': 989, ftps: 990, telnets: 992, imaps: 993, pop3s: 995, socks: 1080, openvpn: 1194,
  'ms-sql-s': 1433, 'ms-sql-m': 1434, 'ingreslock': 1524, l2tp: 1701, pptp: 1723, radius: 1812, 'radius-acct': 1813,
  nfs: 2049, 'cvspserver': 2401, mysql: 3306, 'ms-wbt-server': 3389, 'svn': 3690, sip: 5060, 'sip-tls': 5061,
  'xmpp-client': 5222, 'xmpp-server': 5269, postgresql: 5432, postgres: 5432, amqp: 5672, x11: 6000, 'x11-0': 6000,
  redis: 6379, 'ircd': 6667, 'afs3-fileserver': 7000, irdmi: 8000, 'http-alt': 8080, webcache: 8080,
  tproxy: 8081, sunproxyadmin: 8081, 'us-cli': 8082, 'us-srv': 8083, 'pcsync-https': 8443, 'ddi-tcp-1': 8888,
  'sun-answerbook': 8888, cslistener: 9000, etlservicemgr: 9001, dynamid: 9002, jetdirect: 9100, 'git': 9418,
  'memcache': 11211, italk: 12345, 'mongodb': 27017, 'mdns': 5353, 'bgpd': 2605, 'zebra': 2601, 'distcc': 3632,
  'iscsi-target': 3260, 'epmd': 4369, 'hkp': 11371, 'kerberos-adm': 749, 'rtsp': 554, 'afpovertcp': 548,
  'ssdp': 1900, 'domain-s': 853, 'http-mgmt': 280, 'pop2': 109, 'mmcc': 5050, 'munin': 4949, 'nut': 3493,
  'ndmp': 10000, 'webmin': 10000, 'zabbix-agent': 10050, 'zabbix-trapper': 10051, 'puppet': 8140,
};

/** Port number of a service name, or -1 when not known. */
export function servicePort(name: string): number {
  const v = SERVICES[name];
  return v === undefined ? -1 : v;
}

/**
 * A stable stand-in number for a port name we do not know (49152..65535, the dynamic range), so
 * that the TCP engine can still tell connections apart.
 */
export function portStandIn(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return 49152 + ((h >>> 0) % 16384);
}
