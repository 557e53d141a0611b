import { readFileSync } from 'node:fs';
import type { Registry } from 'prom-client';
import type { ServerConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { TargetRetriever } from '../scrape/index.ts';
import { describeErrno, type Store } from '../store/index.ts';
import { Authenticator } from './auth/authenticator.ts';
import { HttpServer } from './http-server.ts';
import { createHttpMetrics } from './metrics.ts';
import { adminTsdbRoutes } from './routes/admin-tsdb.ts';
import { type AlertmanagerBackend, alertmanagerRoutes } from './routes/alertmanager-api.ts';
import type { AppControl } from './routes/control.ts';
import { lifecycleRoutes } from './routes/lifecycle.ts';
import { type LiveBackend, liveRoutes } from './routes/live.ts';
import { type NotificationsBackend, notificationRoutes } from './routes/notifications.ts';
import { queryRoutes } from './routes/query.ts';
import type { QueryBackend } from './routes/query-backend.ts';
import { metadataRoutes } from './routes/query-metadata.ts';
import { type RulesBackend, rulesRoutes } from './routes/rules-api.ts';
import { securityRoutes } from './routes/security.ts';
import { type IngestedEventSink, securityIngestRoutes } from './routes/security-ingest.ts';
import { sessionRoutes } from './routes/session.ts';
import { type BuildInfo, statusRoutes } from './routes/status.ts';
import { targetRoutes } from './routes/targets.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { uiRoutes } from './routes/ui.ts';

export interface VigilServerOptions {
  config: ServerConfig;
  /** The address to bind, after `--listen` overrides `config.listen`. */
  listen: string;
  store: Store;
  logger: Logger;
  registry: Registry;
  control: AppControl;
  build: BuildInfo;
  /** The scrape manager, once it runs (for the targets and metadata APIs). */
  targets?: () => TargetRetriever | undefined;
  /** The PromQL engine and the TSDB, for the query, series, labels and TSDB admin APIs (503 without). */
  query?: QueryBackend;
  /** Exposition text served after vigil's own metrics on `/metrics`. */
  extraMetrics?: () => string;
  /** The collector's live and cAdvisor APIs, once it runs. */
  live?: () => LiveBackend | undefined;
  /** The rule manager, for `/api/v1/rules` and `/api/v1/alerts` (503 without). */
  rules?: () => RulesBackend | undefined;
  /** The Alertmanager API v2 backend, once alerting runs. */
  alerting?: () => AlertmanagerBackend | undefined;
  /** The notification outbox, once it runs. */
  notifications?: () => NotificationsBackend | undefined;
  /** Where security events sent by edge gateways go once stored (the same stream a local gateway feeds). */
  securityEvents?: IngestedEventSink;
}

/** The server module: vigil's UI and HTTP APIs, behind authentication. */
export class VigilServer {
  readonly name = 'server';
  private readonly http: HttpServer;
  private readonly authenticator: Authenticator;
  private config: ServerConfig;

  constructor(private readonly options: VigilServerOptions) {
    this.config = options.config;
    const metrics = createHttpMetrics(options.registry);
    this.authenticator = new Authenticator({
      store: options.store,
      config: this.config.auth,
      failures: metrics.authFailures,
    });
    const tls = this.config.tls?.cert_file
      ? loadTls(this.config.tls.cert_file, this.config.tls.key_file as string)
      : undefined;
    this.http = new HttpServer({
      listen: options.listen,
      limits: this.config.limits,
      tls,
      logger: options.logger,
      metrics,
      authenticator: this.authenticator,
    });
    const routes = [
      ...lifecycleRoutes(options.control),
      ...statusRoutes(options.control, options.registry, options.build, options.extraMetrics),
      ...sessionRoutes(this.authenticator),
      ...tokenRoutes(options.store),
      ...targetRoutes(options.targets ?? (() => undefined)),
      ...liveRoutes(options.live ?? (() => undefined)),
      ...alertmanagerRoutes(options.alerting ?? (() => undefined)),
      ...notificationRoutes(options.notifications ?? (() => undefined)),
      ...securityRoutes(options.store),
      ...securityIngestRoutes(options.store, options.securityEvents),
      ...rulesRoutes(options.rules ?? (() => undefined)),
      ...queryRoutes(options.query),
      ...metadataRoutes(options.query),
      ...adminTsdbRoutes(options.query),
      ...uiRoutes({ version: options.build.version }),
    ];
    for (const r of routes) this.http.add(r);
  }

  /** Binds the listen address. Throws ListenError. */
  async start(): Promise<void> {
    await this.http.start();
    if (!this.authenticator.enabled) {
      this.options.logger.warn(
        'authentication is off (server.auth: none): anyone who reaches the address has full access',
        {
          listen: this.options.listen,
        },
      );
    }
  }

  /** A bearer token for one of vigil's own modules, valid until the process ends (see Authenticator). */
  issueInternalToken(name: string): string {
    return this.authenticator.issueInternalToken(name);
  }

  /** Whether the server speaks TLS. */
  get tls(): boolean {
    return this.config.tls?.cert_file !== undefined;
  }

  /** The URL the server answers on. */
  url(): string {
    return this.http.url();
  }

  address(): { host: string; port: number } {
    return this.http.address();
  }

  /** Applies a new `server` section. Listen address and TLS files take effect at the next start. */
  reload(config: ServerConfig): void {
    if (config.listen !== this.config.listen || JSON.stringify(config.tls) !== JSON.stringify(this.config.tls)) {
      this.options.logger.warn('server.listen and server.tls changes take effect after a restart');
    }
    this.authenticator.reload(config.auth);
    this.http.reload(config.limits);
    this.config = config;
  }

  /** Stops accepting, waits for in-flight requests (bounded by limits.shutdown_timeout). Idempotent. */
  async stop(): Promise<void> {
    await this.http.close();
  }
}

/** Reads the server's certificate and key. Throws an Error naming the file. */
function loadTls(certFile: string, keyFile: string): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (cause) {
      throw new Error(`server.tls.${what}: cannot read ${file}: ${describeErrno(cause)}`, { cause });
    }
  };
  return { cert: read(certFile, 'cert_file'), key: read(keyFile, 'key_file') };
}
