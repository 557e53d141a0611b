import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { ServerConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import { parseHostPort } from '../model/index.ts';
import type { Authenticator, Principal } from './auth/authenticator.ts';
import { safeEqual } from './auth/secrets.ts';
import { type RequestContext, sendError } from './context.ts';
import { HttpError, ListenError } from './errors.ts';
import type { HttpMetrics } from './metrics.ts';
import { type Route, Router } from './router.ts';

export type Limits = ServerConfig['limits'];

export interface HttpServerOptions {
  /** `host:port`; port 0 picks a free one. */
  listen: string;
  limits: Limits;
  /** PEM certificate and key: the server speaks HTTPS (TLS 1.2+) when given. */
  tls?: { cert: Buffer; key: Buffer };
  logger: Logger;
  metrics: HttpMetrics;
  authenticator: Authenticator;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The one HTTP server for the UI and the APIs: routing, authentication, CSRF checks, limits on heads and
 * bodies, Prometheus' JSON error shape, access log (debug) and request metrics. `close()` stops accepting,
 * lets in-flight requests finish within `limits.shutdown_timeout`, then closes what is left.
 */
export class HttpServer {
  readonly router = new Router();
  private readonly server: Server;
  private limits: Limits;
  private inFlight = 0;
  private closing: Promise<void> | undefined;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly secure: boolean;

  constructor(private readonly options: HttpServerOptions) {
    this.limits = options.limits;
    this.secure = options.tls !== undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const common = { maxHeaderSize: this.limits.max_header_bytes, requestTimeout: this.limits.request_timeout };
    this.server = options.tls
      ? createHttpsServer({ ...common, cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, handler)
      : createHttpServer(common, handler);
    this.applyTimeouts();
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.clientError(err, socket));
  }

  add(route: Route): void {
    this.router.add(route);
  }

  /** Binds the listen address. Throws ListenError (address in use, no permission …). */
  async start(): Promise<void> {
    const { host, port } = parseHostPort(this.options.listen) ?? { host: '', port: Number.NaN };
    await new Promise<void>((resolve, reject) => {
      const onError = (cause: Error) => reject(new ListenError(this.options.listen, { cause }));
      this.server.once('error', onError);
      this.server.listen({ host: host === '' ? undefined : host, port }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }

  /** The bound address (after start). */
  address(): { host: string; port: number } {
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  /** The URL the server answers on, for the start-up log line. */
  url(): string {
    const { host, port } = this.address();
    const h = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    return `${this.secure ? 'https' : 'http'}://${h}:${port}`;
  }

  /** Applies new limits to requests that start from now on. Head size cannot change without a restart. */
  reload(limits: Limits): void {
    this.limits = limits;
    this.applyTimeouts();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), this.limits.shutdown_timeout);
      });
      const drained = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
      const finished = await Promise.race([drained, deadline]);
      clearTimeout(timer);
      if (!finished) {
        this.options.logger.warn('shutdown timeout: closing connections with requests still in flight', {
          in_flight: this.inFlight,
        });
      }
    }
    this.server.closeAllConnections();
    await closed;
  }

  private applyTimeouts(): void {
    this.server.headersTimeout = this.limits.header_timeout;
    this.server.requestTimeout = this.limits.request_timeout;
    this.server.keepAliveTimeout = this.limits.keep_alive_timeout;
  }

  private clientError(err: NodeJS.ErrnoException, socket: Socket): void {
    if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const [status, reason, type, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            'header_too_large',
            `request head larger than ${this.limits.max_header_bytes} bytes`,
          ]
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'timeout', 'request not received in time']
          : [400, 'Bad Request', 'bad_data', `malformed HTTP request (${err.code ?? 'parse error'})`];
    const body = JSON.stringify({ status: 'error', errorType: type, error: message });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    this.options.logger.debug('client error', { code: err.code, status, ip: socket.remoteAddress });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const { metrics, logger } = this.options;
    this.inFlight++;
    metrics.inFlight.inc();
    let handlerName = 'unmatched';
    let principal: Principal | null = null;
    res.once('close', () => {
      this.inFlight--;
      metrics.inFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.requests.inc({ handler: handlerName, code: String(res.statusCode), method: req.method ?? '' });
      metrics.duration.observe({ handler: handlerName }, seconds);
      if (logger.isEnabled('debug')) {
        logger.debug('request', {
          method: req.method,
          path: req.url?.split('?')[0],
          status: res.statusCode,
          duration_ms: Math.round(seconds * 1e6) / 1e3,
          user: principal?.userName,
          ip: req.socket.remoteAddress,
        });
      }
      if (this.inFlight === 0 && this.closing !== undefined) {
        this.server.closeIdleConnections();
        for (const wake of this.idleWaiters.splice(0)) wake();
      }
    });
    if (this.closing !== undefined) res.setHeader('Connection', 'close');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      if (req.rawHeaders.length / 2 > this.limits.max_header_count) {
        throw new HttpError(431, 'header_too_large', `more than ${this.limits.max_header_count} request headers`);
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://vigil.invalid');
      } catch {
        throw new HttpError(400, 'bad_data', 'malformed request target');
      }
      const method = req.method ?? 'GET';
      const found = this.router.find(method, url.pathname);
      if (found === undefined) throw new HttpError(404, 'not_found', `no route for ${url.pathname}`);
      if ('allowed' in found) {
        throw new HttpError(405, 'method_not_allowed', `method ${method} not allowed for ${url.pathname}`, {
          Allow: [...new Set(found.allowed)].join(', '),
        });
      }
      const { route, params } = found;
      handlerName = route.pattern;
      const auth = this.options.authenticator;
      const clientIp = req.socket.remoteAddress ?? '';
      if (unsafeMethods.has(method)) checkOrigin(req);
      if (route.access !== 'public' && !auth.isPublic(url.pathname)) {
        principal = await auth.authenticate(req, clientIp);
        if (principal === null) throw this.unauthenticated(req, url);
        if (route.access === 'admin' && principal.role !== 'admin') {
          throw new HttpError(403, 'forbidden', `${principal.userName} is not an admin`);
        }
        if (unsafeMethods.has(method) && principal.session !== undefined) {
          const sent = req.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !safeEqual(sent, principal.session.csrfToken)) {
            throw new HttpError(403, 'forbidden', 'missing or invalid X-CSRF-Token header');
          }
        }
      }
      const limit = route.maxBodyBytes ?? this.limits.max_body_bytes;
      const ctx: RequestContext = {
        req,
        res,
        url,
        params,
        principal,
        clientIp,
        secure: this.secure,
        body: () => readBody(req, limit),
      };
      await route.handle(ctx);
    } catch (err) {
      this.fail(req, res, err);
    }
  }

  private unauthenticated(req: IncomingMessage, url: URL): HttpError {
    if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
      const next = encodeURIComponent(url.pathname + url.search);
      return new HttpError(303, 'unauthorized', 'log in first', { Location: `/login?next=${next}` });
    }
    // Scripts in a browser send Sec-Fetch-Mode; leave out the challenge so the browser shows no password prompt.
    const challenge: Record<string, string> =
      req.headers['sec-fetch-mode'] === undefined ? { 'WWW-Authenticate': 'Basic realm="vigil", charset="UTF-8"' } : {};
    return new HttpError(
      401,
      'unauthorized',
      'authentication required: log in, or send basic auth or a bearer token',
      challenge,
    );
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      this.options.logger.warn('request failed after the response started', { err, path: req.url });
      res.destroy();
      return;
    }
    let httpErr: HttpError;
    if (err instanceof HttpError) httpErr = err;
    else {
      this.options.logger.error('request handler failed', { err, path: req.url?.split('?')[0] });
      httpErr = new HttpError(500, 'internal', 'internal server error');
    }
    if (httpErr.status === 413 || !req.complete) res.setHeader('Connection', 'close');
    sendError(res, httpErr);
  }
}

/** Refuses state-changing requests that a browser sent from another site. */
function checkOrigin(req: IncomingMessage): void {
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new HttpError(403, 'forbidden', 'cross-site request refused');
  }
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new HttpError(403, 'forbidden', 'malformed Origin header');
  }
  if (host !== req.headers.host) throw new HttpError(403, 'forbidden', `cross-origin request from ${origin} refused`);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw new HttpError(413, 'too_large', `request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new HttpError(413, 'too_large', `request body exceeds the limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
