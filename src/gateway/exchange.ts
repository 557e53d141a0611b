/** The types the proxy's parts share: one request in flight (an exchange), the state it reads, its dependencies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { GatewayLimits } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { TrustedProxies } from './client-ip.ts';
import { errorPage } from './error-page.ts';
import type { Inspection, RequestInspector } from './inspector.ts';
import type { GatewayMetrics, SiteMetrics } from './metrics.ts';
import type { RefusalReason } from './refusals.ts';
import type { AuditState, SecurityEvents } from './security-events.ts';
import type { Route, Site, SiteTable } from './site.ts';
import type { Upstream } from './upstream.ts';

export type ClientRequest = IncomingMessage | Http2ServerRequest;
export type ClientResponse = ServerResponse | Http2ServerResponse;

/** What the proxy reads on each request; swapped as a whole on reload. */
export interface ProxyState {
  readonly sites: SiteTable;
  readonly trusted: TrustedProxies;
  readonly limits: GatewayLimits;
  /** The Strict-Transport-Security value, or undefined to send none. */
  readonly hsts: string | undefined;
  readonly accessLog: boolean;
  /** Built for this config (see GatewayOptions.inspector). */
  readonly inspector: RequestInspector;
  /** Where this config's audit lines go. */
  readonly audit: AuditState;
}

export interface ProxyDeps {
  state(): ProxyState;
  readonly security: SecurityEvents;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
}

/** A request whose head passed validation, on its way to an upstream. */
export interface Exchange {
  readonly req: ClientRequest;
  readonly res: ClientResponse;
  readonly site: Site;
  readonly route: Route;
  readonly siteMetrics: SiteMetrics;
  readonly requestId: string;
  readonly clientIp: string;
  readonly peerIp: string;
  readonly host: string;
  /** The request target forwarded (the origin form of an absolute-form target). */
  readonly target: string;
  /** Set when the gateway refuses the request after its WAF read the head (a bad Host, version or target). */
  refusal: { readonly reason: RefusalReason; readonly data: string } | undefined;
  readonly state: ProxyState;
  readonly startedNs: bigint;
  /** Unix ms, when the request head was taken. */
  readonly startedMs: number;
  upstream: Upstream | undefined;
  inspection: Inspection | null;
  requestBytes: number;
  responseBytes: number;
}

/** Where a response keeps its exchange (a property, cheaper per request than a WeakMap entry). */
const exchangeKey = Symbol('vigil.exchange');

/** Remembers the exchange a response belongs to (for refusals noticed on its socket: a body too slow). */
export function trackExchange(ex: Exchange): void {
  (ex.res as unknown as Record<symbol, Exchange>)[exchangeKey] = ex;
}

/** The exchange of a response handed to the proxy, if any. */
export function exchangeOf(res: ClientResponse): Exchange | undefined {
  return (res as unknown as Record<symbol, Exchange | undefined>)[exchangeKey];
}

/** Sends a gateway page with `status` unless the response has started (then the stream is cut). */
export function sendStatus(res: ClientResponse, status: number, extra?: Record<string, string>, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorPage(status);
  const headers: Record<string, string | number> = {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extra,
  };
  if (close && !isHttp2(res.req as ClientRequest)) headers.connection = 'close';
  try {
    (res as ServerResponse).writeHead(status, headers);
    res.end(body);
  } catch {
    res.destroy();
  }
}

/**
 * Whether the request came on an HTTP/2 stream. Not `httpVersionMajor`: an HTTP/1 request line may claim any
 * version (`POST / HTTP/2.0`).
 */
export function isHttp2(req: ClientRequest): req is Http2ServerRequest {
  return (req as Partial<Http2ServerRequest>).stream !== undefined;
}

/** Whether the request has a body to forward (HTTP/2: the stream did not end with its headers). */
export function hasBody(req: ClientRequest): boolean {
  if (isHttp2(req)) return !req.stream.endAfterHeaders;
  const cl = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (cl !== undefined && cl !== '0');
}
