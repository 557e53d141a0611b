/**
 * HTTP proxies for the HTTP channels, as Prometheus' `proxy_url`, `no_proxy`, `proxy_from_environment` and
 * `proxy_connect_header`: plain-HTTP targets go through the proxy as absolute-form requests, HTTPS targets
 * through a CONNECT tunnel (TLS end to end). Only `http://` proxies are supported.
 */
import { BlockList, isIP } from 'node:net';

/** The proxy settings as stored with a message. */
export interface StoredProxy {
  /** `http://[user:pass@]host:port`, or `environment` for HTTP(S)_PROXY and NO_PROXY at send time. */
  url: string;
  noProxy?: string;
  /** Headers sent with CONNECT. */
  connectHeaders?: Record<string, string[]>;
}

/** The proxy to use for `target`, or undefined to connect directly. */
export function proxyFor(
  target: URL,
  p: StoredProxy | undefined,
  env: NodeJS.ProcessEnv = process.env,
): URL | undefined {
  if (p === undefined) return undefined;
  let url = p.url;
  let noProxy = p.noProxy;
  if (url === 'environment') {
    const https = target.protocol === 'https:';
    url = (https ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy)) ?? '';
    noProxy = env.NO_PROXY ?? env.no_proxy;
    const host = bareHost(target.hostname);
    if (host === 'localhost' || host === '127.0.0.1' || host === '::1') return undefined;
  }
  if (url === '') return undefined;
  if (noProxy !== undefined && bypasses(target, noProxy)) return undefined;
  return new URL(url.includes('://') ? url : `http://${url}`);
}

const bareHost = (h: string) => h.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** Go's `NO_PROXY` rules: `*`; IPs and CIDRs for IP hosts; `d.com` (and subdomains), `.d.com` (subdomains only); an optional `:port`. */
export function bypasses(target: URL, noProxy: string): boolean {
  const host = bareHost(target.hostname);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      const [net = '', bits = ''] = entry.split('/');
      const family = isIP(net);
      if (family === 0 || isIP(host) !== family) continue;
      const list = new BlockList();
      try {
        list.addSubnet(net, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
      } catch {
        continue;
      }
      if (list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
      continue;
    }
    let entryPort: string | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed !== null) {
      entry = bracketed[1] as string;
      entryPort = bracketed[2];
    } else if (entry.split(':').length === 2) {
      [entry = '', entryPort] = entry.split(':');
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    if (isIP(entry) !== 0) {
      if (entry === host) return true;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.')) {
      if (host.endsWith(entry)) return true;
    } else if (host === entry || host.endsWith(`.${entry}`)) {
      return true;
    }
  }
  return false;
}

/** `Proxy-Authorization` for a proxy URL with credentials. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}
