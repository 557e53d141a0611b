/** The gateway's plain listeners: the redirect to https and `/metrics`; binding with a typed error. */
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

/** Serves `registry` as Prometheus text on `/metrics`; 404 elsewhere. */
export function metricsHandler(registry: Registry): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    if (req.url?.split('?')[0] !== '/metrics') {
      sendStatus(res, 404);
      return;
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
