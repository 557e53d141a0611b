/** The gateway's plain listeners: the redirect to https and `/metrics`; binding with a typed error. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { parseHostPort } from '../model/index.ts';
import { GatewayListenError } from './errors.ts';
import { sendStatus } from './exchange.ts';
import { hostOnly, type SiteTable } from './site.ts';

/**
 * Answers every request with a 308 to the same host and target on https, for hosts a site serves (others get
 * 421, a request without Host 400). `httpsPort` is left out of the URL when it is 443.
 */
export function redirectHandler(
  sites: () => SiteTable,
  httpsPort: () => number,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const host = req.headers.host;
    const name = host === undefined ? '' : hostOnly(host);
    req.resume();
    if (name === '' || !/^[a-z0-9.-]+$|^[0-9a-f:.]+$/.test(name) || sites().lookup(name) === undefined) {
      sendStatus(res, name === '' ? 400 : 421);
      return;
    }
    const port = httpsPort();
    const authority = `${name.includes(':') ? `[${name}]` : name}${port === 443 ? '' : `:${port}`}`;
    const target = req.url?.startsWith('/') ? req.url : '/';
    res.writeHead(308, { location: `https://${authority}${target}`, 'content-length': 0 });
    res.end();
  };
}

/** Compares two strings in time independent of where they differ. */
function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/**
 * Serves `registry` as Prometheus text on `/metrics`; 404 elsewhere. With `token()` returning a token, a
 * request must carry `Authorization: Bearer <token>` (401 otherwise).
 */
export function metricsHandler(
  registry: Registry,
  token: () => string | undefined = () => undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    if (req.url?.split('?')[0] !== '/metrics') {
      sendStatus(res, 404);
      return;
    }
    const want = token();
    if (want !== undefined) {
      const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (given === undefined || !safeEqual(given, want)) {
        sendStatus(res, 401, { 'www-authenticate': 'Bearer realm="vigil gateway metrics"' });
        return;
      }
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(body);
      },
      () => sendStatus(res, 500),
    );
  };
}

/** Binds `server` to `address` (`host:port`, empty host for all interfaces). Throws GatewayListenError. */
export function listen(server: Server | Http2SecureServer, address: string): Promise<void> {
  const { host, port } = parseHostPort(address) ?? { host: '', port: 0 };
  return new Promise<void>((resolve, reject) => {
    const onError = (cause: Error) => reject(new GatewayListenError(address, { cause }));
    server.once('error', onError);
    server.listen({ host: host === '' ? undefined : host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export function formatAddress(a: AddressInfo): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}
