/**
 * FTP-DATA: which TCP connections are FTP data connections. The control connection (port 21)
 * announces each one before it opens: PORT / EPRT (active: the server will connect to the client's
 * address and port) and the 227 (PASV) / 229 (EPSV) replies (passive: the client will connect to the
 * server's). FtpDataTracker is fed the packets in capture order (observe), then names a connection
 * FTP-DATA when one of its endpoints was announced before its first packet, or when it uses port 20
 * (the active-mode data port, RFC 959 §3.2).
 *
 * Used by `capture-lens conns` (the APP column / "app" in JSON) and meant for the editor's
 * connections table and the flow graph: any pass that sees the packets can keep a tracker.
 * Cost: one port test per TCP packet; the control line is parsed only for port-21 segments with a
 * payload. Bounded: at most MAX_ANNOUNCEMENTS endpoints are kept (a hostile capture of millions of
 * PORT commands keeps the first ones and counts the rest as dropped).
 */

import type { DecodedPacket } from '../packet';
import { FTP_DATA_PORT, FTP_PORT, ftpDataEndpointOf, type FtpDataEndpoint } from './ftp';

/** Endpoints remembered; a real session announces one per transfer (thousands at most). */
export const MAX_ANNOUNCEMENTS = 100_000;

export const FTP_DATA_LABEL = 'FTP-DATA';

/** One announced data connection endpoint. */
export interface FtpDataAnnouncement extends FtpDataEndpoint {
  /** 0-based index of the control packet that announced it. */
  packet: number;
  /** The control connection's endpoints ("10.0.0.1:40000 > 10.0.0.2:21"), for the explanation. */
  control: string;
}

/** A connection's endpoint as the engine's summaries give it. */
export interface ConnEndpoint {
  addr: string;
  port: number;
}

function key(host: string, port: number): string {
  return host.toLowerCase() + '|' + port;
}

export class FtpDataTracker {
  private readonly byEndpoint = new Map<string, FtpDataAnnouncement>();
  /** Announcements not kept because the limit was reached. */
  dropped = 0;

  /** `max`: endpoints kept (MAX_ANNOUNCEMENTS; smaller in tests). */
  constructor(private readonly max = MAX_ANNOUNCEMENTS) {}

  /** Looks at one decoded packet (capture order); `index` is its 0-based packet number. */
  observe(pkt: DecodedPacket, index: number): void {
    const l4 = pkt.l4;
    if (l4.proto !== 6 || (l4.sport !== FTP_PORT && l4.dport !== FTP_PORT) || l4.payloadLen <= 0 || pkt.net.isFragment) return;
    const e = ftpDataEndpointOf(pkt);
    if (e === null || e.host === '') return;
    const k = key(e.host, e.port);
    if (!this.byEndpoint.has(k) && this.byEndpoint.size >= this.max) {
      this.dropped++;
      return;
    }
    // the latest announcement of an endpoint wins (a port can be announced again for the next transfer)
    this.byEndpoint.set(k, { ...e, packet: index, control: pkt.net.src + ':' + l4.sport + ' > ' + pkt.net.dst + ':' + l4.dport });
  }

  /** Number of endpoints announced so far. */
  get size(): number {
    return this.byEndpoint.size;
  }

  /**
   * The announcement that makes the connection between `a` and `b` an FTP data connection, or null.
   * `firstPacket` (its first packet's index) excludes announcements made after it had started.
   */
  announcementOf(a: ConnEndpoint, b: ConnEndpoint, firstPacket = Number.MAX_SAFE_INTEGER): FtpDataAnnouncement | null {
    for (const ep of [b, a]) {
      const hit = this.byEndpoint.get(key(ep.addr, ep.port));
      if (hit !== undefined && hit.packet < firstPacket) return hit;
    }
    return null;
  }

  /** "FTP-DATA" for an announced connection or one on port 20, '' otherwise. */
  label(a: ConnEndpoint, b: ConnEndpoint, firstPacket?: number): string {
    if (this.announcementOf(a, b, firstPacket) !== null) return FTP_DATA_LABEL;
    return a.port === FTP_DATA_PORT || b.port === FTP_DATA_PORT ? FTP_DATA_LABEL : '';
  }
}

/** Labels of the engine's connections (stream → label) for the ones the tracker names, for tables. */
export function ftpDataLabels(tracker: FtpDataTracker, conns: readonly { stream: number; client: ConnEndpoint; server: ConnEndpoint; firstPacket: number }[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const c of conns) {
    const l = tracker.label(c.client, c.server, c.firstPacket);
    if (l !== '') out.set(c.stream, l);
  }
  return out;
}
