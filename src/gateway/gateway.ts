/**
 * The security gateway: a TLS listener speaking HTTP/2 and HTTP/1.1 (ALPN) that proxies each site's requests
 * to its upstreams, a plain listener that redirects to https, and (for `vigil gateway`) a `/metrics` listener.
 * `start()` binds; `reload()` swaps sites, certificates and limits; `close()` stops accepting, lets requests in
 * flight finish within `limits.shutdown_timeout`, then closes what is left. Idempotent.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import { AuditLog } from './audit-log.ts';
import { CertificateStore } from './certificates.ts';
import { plainIp, TrustedProxies } from './client-ip.ts';
import { rawErrorResponse } from './error-page.ts';
import { GatewayReloadError } from './errors.ts';
import { exchangeOf, isHttp2 } from './exchange.ts';
import { HealthCheck } from './health.ts';
import { type EventSink, type InspectorFactory, noopInspector, type RequestInspector } from './inspector.ts';
import { formatAddress, listen, metricsHandler, redirectHandler } from './listeners.ts';
import { GatewayMetrics } from './metrics.ts';
import { type ClientRequest, type ClientResponse, type ProxyState, ReverseProxy, sendStatus } from './proxy.ts';
import { parseRawHead } from './raw-head.ts';
import { requestLineOf, smugglingCodes } from './refusals.ts';
import { type AuditState, SecurityEvents } from './security-events.ts';
import { SiteTable } from './site.ts';
import { handleUpgrade } from './websocket.ts';

export interface GatewayOptions {
  readonly config: GatewayConfig;
  /** The data directory; self-signed certificates go to its `certs/`. */
  readonly dataDir: string;
  readonly logger: Logger;
  /** Where the gateway's metrics are registered (vigil's own registry inside `vigil start`). */
  readonly registry: Registry;
  /**
   * The WAF's hook: one inspector, or a factory called with each config (start and reload; throwing refuses the
   * config). `wafInspectorFactory` builds the WAF from each site's `waf` settings. @default noopInspector
   */
  readonly inspector?: RequestInspector | InspectorFactory;
  /**
   * Gets the security event of each request a rule matched (after the response ended, on the request path).
   * @default none (events still go to the audit log and metrics)
   */
  readonly events?: EventSink;
  /** Serve `registry` on `config.metrics_listen` (`vigil gateway`). @default false */
  readonly serveMetrics?: boolean;
  /** How often configured certificate files are checked for changes. @default 10000 */
  readonly certCheckIntervalMs?: number;
}

function hstsValue(h: GatewayConfig['hsts']): string | undefined {
  if (h.max_age <= 0) return undefined;
  let v = `max-age=${Math.floor(h.max_age / 1000)}`;
  if (h.include_subdomains) v += '; includeSubDomains';
  if (h.preload) v += '; preload';
  return v;
}

function stateOf(config: GatewayConfig, sites: SiteTable, inspector: RequestInspector, audit: AuditState): ProxyState {
  return {
    sites,
    inspector,
    audit,
    trusted: new TrustedProxies(config.trusted_proxies),
    limits: config.limits,
    hsts: hstsValue(config.hsts),
    accessLog: config.access_log,
  };
}

export class Gateway {
  private state: ProxyState;
  private readonly certs: CertificateStore;
  private readonly metrics: GatewayMetrics;
  private readonly proxy: ReverseProxy;
  private readonly tls: Http2SecureServer;
  private readonly redirect: Server | undefined;
  private readonly metricsServer: Server | undefined;
  private checks: HealthCheck[] = [];
  private certTimer: NodeJS.Timeout | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<Http2Session>();
  private inFlight = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private closing: Promise<void> | undefined;
  private config: GatewayConfig;

  /** Builds sites and loads certificates. Throws GatewayCertificateError. */
  constructor(private readonly options: GatewayOptions) {
    this.config = options.config;
    const logger = options.logger;
    const sites = new SiteTable(options.config);
    this.state = stateOf(options.config, sites, this.inspectorFor(options.config), this.auditFor(options.config));
    this.certs = new CertificateStore(join(options.dataDir, 'certs'), logger);
    this.certs.load(sites);
    this.metrics = new GatewayMetrics(
      options.registry,
      () => this.state.sites,
      () => this.certs.info(),
    );
    const deps = {
      state: () => this.state,
      security: new SecurityEvents(this.metrics, options.events, logger),
      metrics: this.metrics,
      logger,
    };
    this.proxy = new ReverseProxy(deps);
    const limits = options.config.limits;
    this.tls = createSecureServer(
      {
        allowHTTP1: true,
        ...this.certs.defaultOptions(),
        SNICallback: (name, cb) => cb(null, this.certs.contextFor(name)),
        handshakeTimeout: limits.header_timeout,
        settings: { maxHeaderListSize: limits.max_header_bytes },
        maxSendHeaderBlockLength: 64 * 1024,
      },
      (req, res) => this.handle(req, res),
    );
    const h1 = this.tls as unknown as {
      maxHeaderSize: number;
      headersTimeout: number;
      requestTimeout: number;
      keepAliveTimeout: number;
      connectionsCheckingInterval: number;
    };
    h1.maxHeaderSize = limits.max_header_bytes;
    h1.connectionsCheckingInterval = Math.min(1000, Math.max(50, limits.header_timeout / 4));
    this.applyTimeouts();
    (this.tls as unknown as { maxHeadersCount: number }).maxHeadersCount = limits.max_header_count + 1;
    this.tls.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (this.closing !== undefined) return void socket.end(rawErrorResponse(503));
      handleUpgrade(deps, req, socket, head);
    });
    this.tls.on('connect', (req: IncomingMessage, socket: Socket) => this.connectRequest(req, socket));
    this.tls.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.clientError(err, socket));
    this.tls.on('tlsClientError', () => this.metrics.clientErrors.inc({ reason: 'tls_handshake' }));
    this.tls.on('secureConnection', (socket: TLSSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.tls.on('session', (session: Http2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    if (options.config.redirect_listen !== null) {
      this.redirect = createHttpServer(
        {
          maxHeaderSize: limits.max_header_bytes,
          headersTimeout: limits.header_timeout,
          requestTimeout: limits.header_timeout + limits.body_timeout,
        },
        redirectHandler(
          () => this.state.sites,
          () => this.config.public_https_port ?? (this.tls.address() as AddressInfo).port,
        ),
      );
      this.redirect.keepAliveTimeout = limits.idle_timeout;
      this.redirect.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.clientError(err, socket));
    }
    if (options.serveMetrics && options.config.metrics_listen !== null) {
      this.metricsServer = createHttpServer(
        metricsHandler(options.registry, () => this.config.metrics_token?.reveal()),
      );
    }
  }

  /** Binds the listeners and starts health checks and certificate watching. Throws GatewayListenError. */
  async start(): Promise<void> {
    const c = this.config;
    await listen(this.tls, c.listen);
    try {
      if (this.redirect !== undefined) await listen(this.redirect, c.redirect_listen as string);
      if (this.metricsServer !== undefined) await listen(this.metricsServer, c.metrics_listen as string);
    } catch (err) {
      this.tls.close();
      this.redirect?.close();
      throw err;
    }
    this.startChecks(c, this.state.sites);
    this.certTimer = setInterval(() => this.refreshCertificates(), this.options.certCheckIntervalMs ?? 10_000);
    this.certTimer.unref();
    this.options.logger.info('gateway listening', {
      https: formatAddress(this.tls.address() as AddressInfo),
      redirect: this.redirect ? formatAddress(this.redirect.address() as AddressInfo) : 'off',
      sites: this.state.sites.sites.map((s) => s.name).join(','),
    });
  }

  /** Bound addresses (after start); port 0 in the config shows the port picked. */
  addresses(): { https: AddressInfo; redirect?: AddressInfo; metrics?: AddressInfo } {
    return {
      https: this.tls.address() as AddressInfo,
      ...(this.redirect ? { redirect: this.redirect.address() as AddressInfo } : {}),
      ...(this.metricsServer ? { metrics: this.metricsServer.address() as AddressInfo } : {}),
    };
  }

  /** Re-reads changed certificate files now (also done on a timer). */
  refreshCertificates(): void {
    if (this.certs.refresh()) this.tls.setSecureContext(this.certs.defaultOptions());
  }

  /**
   * Applies a new gateway config: sites, upstreams, certificates, trusted proxies, HSTS. Listen addresses and
   * header limits need a restart (GatewayReloadError); a certificate that cannot be loaded refuses the reload.
   */
  reload(config: GatewayConfig): void {
    const c = this.config;
    for (const key of ['listen', 'redirect_listen', 'metrics_listen'] as const) {
      if (config[key] !== c[key]) throw new GatewayReloadError(`gateway.${key} changed: restart vigil to apply it`);
    }
    if (JSON.stringify(config.limits) !== JSON.stringify(c.limits)) {
      throw new GatewayReloadError('gateway.limits changed: restart vigil to apply them');
    }
    const inspector = this.inspectorFor(config);
    const sites = new SiteTable(config);
    this.certs.load(sites);
    this.tls.setSecureContext(this.certs.defaultOptions());
    const old = this.state.sites;
    const oldAudit = this.state.audit.log;
    const audit = this.auditFor(config);
    for (const h of this.checks) h.stop();
    this.state = stateOf(config, sites, inspector, audit);
    if (audit.log !== oldAudit) oldAudit.close();
    this.config = config;
    this.startChecks(config, sites);
    setTimeout(() => old.close(), config.limits.shutdown_timeout).unref();
  }

  private inspectorFor(config: GatewayConfig): RequestInspector {
    const i = this.options.inspector;
    return i === undefined ? noopInspector : typeof i === 'function' ? i(config) : i;
  }

  /** The audit state for `config`: the running log file when its path did not change. */
  private auditFor(config: GatewayConfig): AuditState {
    const path = config.audit_log.path ?? join(this.options.dataDir, 'gateway-audit.log');
    const running = (this.state as ProxyState | undefined)?.audit.log;
    const log = running !== undefined && running.path === path ? running : new AuditLog(path, this.options.logger);
    return { log, markerHeader: config.audit_log.marker_header?.toLowerCase() };
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.certTimer);
    for (const h of this.checks) h.stop();
    const closed = Promise.all([
      new Promise<void>((r) => this.tls.close(() => r())),
      new Promise<void>((r) => (this.redirect ? this.redirect.close(() => r()) : r())),
      new Promise<void>((r) => (this.metricsServer ? this.metricsServer.close(() => r()) : r())),
    ]);
    this.redirect?.closeIdleConnections();
    this.metricsServer?.closeAllConnections();
    for (const s of this.sessions) s.close();
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => this.idleWaiters.push(r)),
        new Promise<void>((r) => {
          timer = setTimeout(r, this.config.limits.shutdown_timeout);
        }),
      ]);
      clearTimeout(timer);
    }
    for (const s of this.sockets) s.destroy();
    for (const s of this.sessions) s.destroy();
    this.redirect?.closeAllConnections();
    await closed;
    this.state.sites.close();
    this.state.audit.log.close();
  }

  private startChecks(config: GatewayConfig, sites: SiteTable): void {
    const checks: HealthCheck[] = [];
    const seen = new Set<string>();
    config.sites.forEach((s, i) => {
      if (s.health_check === undefined) return;
      const site = sites.sites[i];
      if (site === undefined) return;
      for (const route of site.routes) {
        for (const u of route.balancer.upstreams) {
          if (seen.has(u.url)) continue;
          seen.add(u.url);
          checks.push(new HealthCheck(u, s.health_check, this.options.logger, () => {}));
        }
      }
    });
    this.checks = checks;
    for (const h of checks) h.start();
  }

  private applyTimeouts(): void {
    const l = this.config.limits;
    const h1 = this.tls as unknown as { headersTimeout: number; requestTimeout: number; keepAliveTimeout: number };
    h1.headersTimeout = l.header_timeout;
    h1.requestTimeout = l.header_timeout + l.body_timeout;
    h1.keepAliveTimeout = l.idle_timeout;
    // A connection with no bytes either way for this long is closed (also one waiting on a slow upstream).
    this.tls.setTimeout(Math.max(l.idle_timeout, l.upstream_response_timeout + 1000));
  }

  private handle(req: ClientRequest, res: ClientResponse): void {
    this.inFlight++;
    res.once('close', () => {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    });
    // Shutting down: answer, then close the connection (not setHeader: writeHead with a header list would then
    // merge repeated headers such as Set-Cookie).
    if (this.closing !== undefined && !isHttp2(req)) (res as ServerResponse).shouldKeepAlive = false;
    try {
      this.proxy.handle(req, res);
    } catch (err) {
      // A bug of ours: the request gets a 500 and the gateway goes on serving the others.
      this.options.logger.error('gateway request failed', { err: err as Error, url: req.url?.slice(0, 200) });
      sendStatus(res, 500, undefined, true);
    }
  }

  /**
   * CONNECT: a reverse proxy tunnels nothing. The site's WAF reads the request, then the answer is 400 for a
   * target that is not `host:port` (RFC 9110 9.3.6) and 405 otherwise, as nginx answers.
   */
  private connectRequest(req: IncomingMessage, socket: Socket): void {
    socket.on('error', () => socket.destroy());
    const target = req.url ?? '';
    const authority = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(target);
    const status = authority ? 405 : 400;
    this.proxy.inspectRefused(
      this.state,
      { method: req.method ?? 'CONNECT', target, version: req.httpVersion, rawHeaders: req.rawHeaders },
      { ip: plainIp(socket.remoteAddress), port: socket.remotePort ?? 0 },
      {
        reason: authority ? 'connect' : 'bad_request_target',
        status,
        data: authority ? `CONNECT ${target.slice(0, 100)}` : 'CONNECT target is not host:port',
      },
    );
    socket.end(rawErrorResponse(status));
  }

  private clientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 408
          : err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
            ? 413
            : 400;
    const ip = plainIp(socket.remoteAddress);
    this.options.logger.debug('client error', { code: err.code, status, client_ip: ip });
    // A request whose body is too slow, already handed to the proxy: answer through its response.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (inFlight) {
      const ex = exchangeOf(inFlight);
      if (status === 408 && !inFlight.headersSent && socket.writable) {
        sendStatus(inFlight, 408, undefined, true);
        this.proxy.refused(ex?.state ?? this.state, {
          reason: 'body_timeout',
          status,
          site: ex?.site.name ?? '',
          clientIp: ex?.clientIp ?? ip,
          method: inFlight.req.method ?? '',
          uri: ex?.target ?? inFlight.req.url ?? '',
          requestId: ex?.requestId,
          data: `body not received within ${this.state.limits.body_timeout} ms`,
        });
      } else if (status !== 408 && !inFlight.writableFinished && socket.writable) {
        // Bytes after a complete request (a body longer than its Content-Length) that do not parse as the next
        // one: the response in flight is sent, then the connection closes.
        inFlight.shouldKeepAlive = false;
        inFlight.once('finish', () => socket.end());
        this.proxy.refused(ex?.state ?? this.state, {
          reason: 'malformed',
          status,
          site: ex?.site.name ?? '',
          clientIp: ex?.clientIp ?? ip,
          method: '',
          uri: requestLineOf((err as { rawPacket?: Buffer }).rawPacket).uri,
          data: `after a request: ${err.code ?? 'error'}: ${(err as { reason?: string }).reason ?? err.message}`,
        });
      } else {
        this.metrics.clientErrors.inc({ reason: status === 408 ? 'body_timeout' : 'malformed' });
        socket.destroy();
      }
      return;
    }
    if (err.code === 'ECONNRESET' || !socket.writable) {
      this.metrics.clientErrors.inc({ reason: 'reset' });
      socket.destroy();
      return;
    }
    const reason =
      status === 431
        ? 'header_too_large'
        : status === 408
          ? 'timeout'
          : status === 413
            ? 'too_large'
            : smugglingCodes.has(err.code ?? '')
              ? 'smuggling'
              : 'malformed';
    const rawPacket = (err as { rawPacket?: Buffer }).rawPacket;
    const data =
      status === 408
        ? `request head not received within ${this.state.limits.header_timeout} ms`
        : `${err.code ?? 'error'}: ${(err as { reason?: string }).reason ?? err.message}`;
    const head = status === 400 ? parseRawHead(rawPacket, this.state.limits.max_header_bytes) : undefined;
    if (head !== undefined) {
      // The site's WAF reads what the parser refused, so the event says what the request was.
      this.proxy.inspectRefused(this.state, head, { ip, port: socket.remotePort ?? 0 }, { reason, status, data });
      // A request line without a version asks for HTTP/0.9, which has no status line: the connection closes.
      if (head.version === '') socket.destroy();
      else socket.end(rawErrorResponse(status));
      return;
    }
    const line = requestLineOf(rawPacket);
    this.proxy.refused(this.state, {
      reason,
      status,
      site: '',
      clientIp: ip,
      method: line.method,
      uri: line.uri,
      data,
    });
    socket.end(rawErrorResponse(status));
  }
}
