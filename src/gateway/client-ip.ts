/** Trusted proxies: CIDR matching, and the client address from `X-Forwarded-For` when the peer is trusted. */
import { BlockList, isIP } from 'node:net';

/** The set of trusted proxy addresses. An empty set trusts no one. */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  /** `cidrs` are validated by the config (`10.0.0.0/8`, `::1`). */
  constructor(cidrs: readonly string[]) {
    this.empty = cidrs.length === 0;
    for (const c of cidrs) {
      const [addr = '', bits] = c.split('/');
      const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(addr, type);
      else this.list.addSubnet(addr, Number(bits), type);
    }
  }

  has(ip: string): boolean {
    if (this.empty || ip === '') return false;
    const v4 = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const type = isIP(v4) === 6 ? 'ipv6' : 'ipv4';
    return this.list.check(v4, type);
  }

  /**
   * The client address: the peer itself unless it is trusted; then the rightmost `X-Forwarded-For` entry
   * that is not a trusted proxy (or the leftmost when all are). Malformed entries stop the walk.
   */
  clientIp(peer: string, xff: string | undefined): string {
    if (xff === undefined || !this.has(peer)) return peer;
    const hops = xff.split(',');
    let ip = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = (hops[i] as string).trim();
      if (isIP(hop) === 0) break;
      ip = hop;
      if (!this.has(hop)) break;
    }
    return ip;
  }
}

/** `::ffff:1.2.3.4` as `1.2.3.4`; other addresses as they are. */
export function plainIp(ip: string | undefined): string {
  if (ip === undefined) return '';
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
