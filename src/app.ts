/** Wires the modules into one process: config, data directory, store, server; start, reload and stop. */
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { Alertmanager } from './alerting/index.ts';
import { Collector, LiveApi } from './collector/index.ts';
import {
  type Config,
  ConfigError,
  loadConfig,
  parseConfig,
  type ResolvedScrapeConfig,
  redactedAlertmanagerYaml,
  redactedYaml,
} from './config/index.ts';
import { writeText } from './exposition/index.ts';
import { fanOut, Gateway, SecurityEventRing, StoreEventSink, wafInspectorFactory } from './gateway/index.ts';
import type { Logger, LogLevel } from './log/index.ts';
import { formatDurationMs, Labels } from './model/index.ts';
import { Outbox } from './notify/index.ts';
import { Engine } from './promql/index.ts';
import { expandRuleFiles, RuleManager } from './rules/index.ts';
import { offsetSeed, registerScrapeMetrics, ScrapeManager } from './scrape/index.ts';
import { hashPassword, headStatus, type QueryBackend, randomPassword, VigilServer } from './server/index.ts';
import { DataDirLock, Store } from './store/index.ts';
import { registerTsdbMetrics, Tsdb } from './tsdb/index.ts';
import { version } from './version.ts';

/** A part of the process with a lifecycle. `reload` gets each new config that passed validation. */
export interface Module {
  readonly name: string;
  start(): Promise<void> | void;
  /** Idempotent. */
  stop(): Promise<void> | void;
  reload?(config: Config): Promise<void> | void;
}

export interface AppOptions {
  /** The config, when the caller loaded it already (from `configFile`). */
  config?: Config;
  /** The config file; undefined runs on the embedded defaults. */
  configFile?: string;
  /** `--alertmanager-config`: an alertmanager.yml whose routing replaces the config's. */
  alertmanagerConfigFile?: string;
  /** @default './data' */
  dataDir?: string;
  /** `--listen`: overrides `server.listen`. */
  listen?: string;
  /** `--log-level`: overrides `server.log_level`. */
  logLevel?: LogLevel;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Where the generated admin password is shown, once. @default process.stdout */
  console?: (text: string) => void;
  /** Flags as given, for `/api/v1/status/flags`. */
  flags?: Record<string, string>;
  /**
   * `all`: every module (`vigil start`). `collector`: the server and the collector only, its families on
   * `/metrics` for another Prometheus or vigil to scrape (`vigil collector`). @default 'all'
   */
  mode?: 'all' | 'collector';
}

/**
 * The all-in-one server. `App.start` loads the config, claims the data directory, opens the store, creates
 * the first admin and starts the modules; `stop` undoes it in reverse order.
 */
export class App {
  private readonly modules: Module[] = [];
  private ready = false;
  private stopping: Promise<void> | undefined;
  private reloading: Promise<{ ok: true } | { ok: false; error: string }> | undefined;
  private readonly startedAt = new Date();
  private lastReload = { ok: true, at: new Date() };
  private readonly reloadMetrics: { ok: Gauge; at: Gauge };
  private resolveStopped!: () => void;
  private readonly stoppedPromise = new Promise<void>((resolve) => {
    this.resolveStopped = resolve;
  });
  server!: VigilServer;
  tsdb!: Tsdb;
  scrape: ScrapeManager | undefined;
  collector: Collector | undefined;
  private live: LiveApi | undefined;
  outbox: Outbox | undefined;
  alertmanager: Alertmanager | undefined;
  rules: RuleManager | undefined;
  /** The security gateway, when the config has a `gateway` section. */
  gateway: Gateway | undefined;
  /** The gateway's last 1000 security events (WAF matches), newest last; empty without a gateway. */
  readonly securityEvents = new SecurityEventRing(1000);
  /** The PromQL engine of the query API; rebuilt when `global.evaluation_interval` changes. */
  engine!: Engine;
  /** The bearer token of the self-scrape, for this run only. */
  private selfToken = '';

  private constructor(
    private config: Config,
    private readonly options: AppOptions,
    private readonly lock: DataDirLock,
    readonly store: Store,
    readonly registry: Registry,
  ) {
    this.reloadMetrics = {
      ok: new Gauge({
        name: 'vigil_config_last_reload_successful',
        help: 'Whether the last configuration reload attempt was successful.',
        registers: [registry],
      }),
      at: new Gauge({
        name: 'vigil_config_last_reload_success_timestamp_seconds',
        help: 'Timestamp of the last successful configuration reload.',
        registers: [registry],
      }),
    };
    this.reloadMetrics.ok.set(1);
    this.reloadMetrics.at.set(Date.now() / 1000);
  }

  /** Starts everything; on failure, releases what was taken and throws. */
  static async start(options: AppOptions): Promise<App> {
    const env = options.env ?? process.env;
    const config = options.config ?? loadConfig(options.configFile, env, options.alertmanagerConfigFile);
    options.logger.setLevel(options.logLevel ?? config.server.log_level);
    const dataDir = resolve(options.dataDir ?? 'data');
    const lock = DataDirLock.acquire(dataDir);
    let store: Store | undefined;
    try {
      store = Store.open({ path: join(dataDir, 'vigil.db'), logger: options.logger.child({ component: 'store' }) });
      await bootstrapAdmin(store, env, options.logger, options.console ?? ((t) => process.stdout.write(t)));
      const registry = new Registry();
      const app = new App(config, options, lock, store, registry);
      app.instrument();
      await app.startModules();
      return app;
    } catch (err) {
      store?.close();
      lock.release();
      throw err;
    }
  }

  /** The URL of the UI and APIs. */
  url(): string {
    return this.server.url();
  }

  /** Resolves when the app has stopped (by `stop`, `/-/quit` or a signal). */
  stopped(): Promise<void> {
    return this.stoppedPromise;
  }

  /**
   * Reloads the config file. A config that fails validation is refused and the running one stays; when a
   * module fails to apply a valid config, the modules already given it are given the old one back.
   */
  reload(): Promise<{ ok: true } | { ok: false; error: string }> {
    this.reloading ??= this.doReload().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async doReload(): Promise<{ ok: true } | { ok: false; error: string }> {
    const log = this.options.logger;
    let next: Config;
    try {
      next = loadConfig(this.options.configFile, this.options.env ?? process.env, this.options.alertmanagerConfigFile);
    } catch (err) {
      const error = err instanceof ConfigError ? err.message : String((err as Error).message);
      log.error('config reload refused: the running configuration stays', { file: this.options.configFile, error });
      return this.reloaded(false, error);
    }
    const failure = await applyConfig(this.modules, this.config, next);
    if (failure !== undefined) {
      log.error('config reload failed while applying: the previous configuration was restored', {
        module: failure.module,
        err: failure.error,
      });
      return this.reloaded(false, `${failure.module}: ${failure.error.message}`);
    }
    this.config = next;
    log.setLevel(this.options.logLevel ?? next.server.log_level);
    log.info('config reloaded', { file: this.options.configFile ?? '(embedded defaults)' });
    return this.reloaded(true);
  }

  private reloaded(ok: boolean, error?: string): { ok: true } | { ok: false; error: string } {
    this.lastReload = { ok, at: ok ? new Date() : this.lastReload.at };
    this.reloadMetrics.ok.set(ok ? 1 : 0);
    if (ok) this.reloadMetrics.at.set(Date.now() / 1000);
    return ok ? { ok: true } : { ok: false, error: error ?? 'unknown' };
  }

  /** Stops modules in reverse order, closes the store and releases the data directory. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.ready = false;
    const log = this.options.logger;
    log.info('shutting down');
    for (const m of [...this.modules].reverse()) {
      try {
        await m.stop();
      } catch (err) {
        log.error('module failed to stop', { module: m.name, err });
      }
    }
    this.store.close();
    this.lock.release();
    log.info('stopped');
    this.resolveStopped();
  }

  private instrument(): void {
    // The event-loop lag histogram samples every 100 ms rather than prom-client's 10 ms: a timer 100 times a second
    // was most of an idle vigil's wake-ups (measured with strace), for a precision no alert needs.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
    new Gauge({
      name: 'vigil_build_info',
      help: 'A metric with a constant 1 value labeled by version and Node.js version.',
      labelNames: ['version', 'nodejs'],
      registers: [this.registry],
    }).set({ version, nodejs: process.version }, 1);
    const store = this.store;
    new Gauge({
      name: 'vigil_store_size_bytes',
      help: 'Bytes on disk of the embedded database (vigil.db and its write-ahead log).',
      registers: [this.registry],
      collect() {
        this.set(store.sizeBytes());
      },
    });
    new Gauge({
      name: 'vigil_store_schema_version',
      help: 'Schema version of the embedded database.',
      registers: [this.registry],
    }).set(store.schemaVersion);
  }

  private async startModules(): Promise<void> {
    const listen = this.options.listen ?? this.config.server.listen;
    this.engine = newEngine(this.config);
    this.server = new VigilServer({
      config: this.config.server,
      listen,
      store: this.store,
      logger: this.options.logger.child({ component: 'server' }),
      registry: this.registry,
      build: { version, revision: '', nodeVersion: process.version },
      targets: () => this.scrape,
      live: () => this.live,
      alerting: () => this.alertmanager,
      notifications: () => this.outbox,
      securityEvents: this.securityEvents,
      rules: () => this.rules,
      ...(this.options.mode === 'collector' ? { extraMetrics: () => this.collectorMetricsText() } : {}),
      query: this.queryBackend(),
      control: {
        reload: () => this.reload(),
        quit: () => void this.stop(),
        isReady: () => this.ready,
        configYaml: () => redactedYaml(this.config),
        flags: () => this.options.flags ?? {},
        gatewayStatus: () => {
          const g = this.gateway === undefined ? undefined : this.config.gateway;
          if (g === undefined) return null;
          return {
            sites: g.sites.map((site) => ({
              hosts: site.hosts,
              waf: {
                enabled: site.waf.enabled,
                mode: site.waf.mode,
                paranoiaLevel: site.waf.paranoia_level,
                ruleSet: site.waf.crs_dir === undefined ? 'baseline' : 'crs',
              },
            })),
          };
        },
        runtimeInfo: () => ({
          startTime: this.startedAt.toISOString(),
          CWD: process.cwd(),
          hostname: hostname(),
          reloadConfigSuccess: this.lastReload.ok,
          lastConfigTime: this.lastReload.at.toISOString(),
          serverTime: new Date().toISOString(),
          corruptionCount: this.tsdb?.wal.stats().corruptionsTotal ?? 0,
          nodeVersion: process.version,
          storageRetention: `${this.config.storage.tsdb.retention_time / 86_400_000}d`,
        }),
      },
    });
    const tsdbConfig = this.config.storage.tsdb;
    if (tsdbConfig.out_of_order_time_window > 0) {
      this.options.logger.warn(
        'storage.tsdb.out_of_order_time_window is not supported yet: out-of-order samples are refused',
      );
    }
    const tsdbModule: Module = {
      name: 'tsdb',
      start: async () => {
        this.tsdb = await Tsdb.open({
          dir: join(this.lock.dir, 'tsdb'),
          logger: this.options.logger.child({ component: 'tsdb' }),
          retentionMs: tsdbConfig.retention_time,
          retentionBytes: tsdbConfig.retention_size,
        });
        registerTsdbMetrics(this.tsdb, this.registry);
        this.tsdb.start();
      },
      stop: () => this.tsdb?.close(),
      reload: (c) => this.tsdb.setRetention(c.storage.tsdb.retention_time, c.storage.tsdb.retention_size),
    };
    const serverModule: Module = {
      name: 'server',
      start: () => this.server.start(),
      stop: () => this.server.stop(),
      reload: (c) => {
        this.server.reload(c.server);
        if (c.global.evaluation_interval !== this.config.global.evaluation_interval) this.engine = newEngine(c);
      },
    };
    const applyScrape = async (c: Config) => {
      const jobs = [...c.scrape_configs, ...this.selfScrapeJob(c)];
      const result = await (this.scrape as ScrapeManager).applyConfig(jobs);
      if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
    };
    const scrapeModule: Module = {
      name: 'scrape',
      start: async () => {
        this.selfToken = this.server.issueInternalToken('vigil-self-scrape');
        const external = this.config.global.external_labels;
        this.scrape = new ScrapeManager({
          appendable: this.tsdb,
          logger: this.options.logger.child({ component: 'scrape' }),
          configDir: this.configDir(),
          offsetSeed: offsetSeed(hostname(), Labels.fromObject(external)),
          userAgent: `vigil/${version}`,
          staleOnClose: false,
        });
        await this.scrape.start();
        await applyScrape(this.config);
        registerScrapeMetrics(this.scrape, this.registry);
      },
      stop: () => this.scrape?.close(),
      reload: applyScrape,
    };
    const startCollector = async (c: Config) => {
      const cc = c.collector;
      const collectorOnly = this.options.mode === 'collector';
      if (!cc.enabled && !collectorOnly) return;
      const collector = new Collector({
        logger: this.options.logger.child({ component: 'collector' }),
        ...(collectorOnly ? {} : { appendable: this.tsdb }),
        housekeepingIntervalMs: cc.housekeeping_interval,
        storeIntervalMs: cc.store_interval,
        liveSeconds: cc.live_duration / 1000,
        cgroupRoot: cc.cgroup_root,
        dockerHost: cc.docker.enabled ? cc.docker.host : false,
        labelAllowlist: cc.container_labels.includes('*') ? 'all' : cc.container_labels,
      });
      await collector.start();
      this.collector = collector;
      this.live = new LiveApi(collector);
    };
    const stopCollector = async () => {
      const c = this.collector;
      this.collector = undefined;
      this.live = undefined;
      await c?.close();
    };
    const collectorModule: Module = {
      name: 'collector',
      start: () => startCollector(this.config),
      stop: stopCollector,
      async reload(c) {
        // Settings are read at start: a changed section restarts the collector (its live rings start over).
        if (JSON.stringify(c.collector) === JSON.stringify(current.collector)) return;
        await stopCollector();
        await startCollector(c);
        current = c;
      },
    };
    const notifyModule: Module = {
      name: 'notify',
      start: () => {
        this.outbox = new Outbox({
          store: this.store,
          logger: this.options.logger.child({ component: 'notify' }),
          registry: this.registry,
          userAgent: `vigil/${version}`,
        });
        this.outbox.start();
      },
      stop: () => this.outbox?.close(),
    };
    const alertingModule: Module = {
      name: 'alerting',
      start: () => {
        this.alertmanager = new Alertmanager({
          store: this.store,
          sink: this.outbox as Outbox,
          logger: this.options.logger.child({ component: 'alerting' }),
          registry: this.registry,
          config: this.config.alerting,
          global: this.config.global,
          configDir: this.configDir(),
          externalURL: () => (this.config.server.external_url ?? this.url()).replace(/\/+$/, ''),
          configYaml: () => redactedAlertmanagerYaml(this.config),
          version,
        });
        this.alertmanager.start();
      },
      stop: () => this.alertmanager?.close(),
      reload: (c) => this.alertmanager?.update(c.alerting, c.global),
    };
    const rulesSettings = (c: Config) => ({
      evaluationIntervalMs: c.global.evaluation_interval,
      externalLabels: c.global.external_labels,
      externalUrl: (c.server.external_url ?? this.url()).replace(/\/+$/, ''),
    });
    const rulesModule: Module = {
      name: 'rules',
      start: async () => {
        const app = this;
        this.rules = new RuleManager({
          // Read per query: follows the engine rebuilt on reload.
          get engine() {
            return app.engine;
          },
          queryable: this.tsdb,
          appendable: this.tsdb,
          registry: this.registry,
          logger: this.options.logger.child({ component: 'rules' }),
          sendAlerts: (alerts) => {
            this.alertmanager?.put(alerts);
          },
          ...rulesSettings(this.config),
        });
        await this.rules.update(expandRuleFiles(this.config.rule_files, this.configDir()));
        this.rules.start();
      },
      stop: () => this.rules?.stop(),
      reload: (c) => this.rules?.update(expandRuleFiles(c.rule_files, this.configDir()), rulesSettings(c)),
    };
    const gatewayModule: Module = {
      name: 'gateway',
      start: async () => {
        if (this.config.gateway === undefined) return;
        const logger = this.options.logger.child({ component: 'gateway' });
        if (this.config.gateway.events_to !== undefined) {
          logger.warn('gateway.events_to is for vigil gateway on an edge host: here the events are stored locally');
        }
        const gateway = new Gateway({
          config: this.config.gateway,
          dataDir: this.lock.dir,
          logger,
          registry: this.registry,
          inspector: wafInspectorFactory({ logger }),
          events: fanOut(this.securityEvents, new StoreEventSink({ store: this.store, logger })),
        });
        await gateway.start();
        this.gateway = gateway;
      },
      stop: () => this.gateway?.close(),
      reload: (c) => {
        if ((c.gateway === undefined) !== (this.gateway === undefined)) {
          throw new Error('adding or removing the gateway section needs a restart');
        }
        if (c.gateway !== undefined) this.gateway?.reload(c.gateway);
      },
    };
    let current = this.config;
    const started: Module[] = [];
    try {
      const modules =
        this.options.mode === 'collector'
          ? [serverModule, collectorModule]
          : [
              tsdbModule,
              notifyModule,
              alertingModule,
              serverModule,
              rulesModule,
              scrapeModule,
              collectorModule,
              gatewayModule,
            ];
      for (const m of modules) {
        await m.start();
        started.push(m);
        this.modules.push(m);
      }
    } catch (err) {
      for (const m of started.reverse()) await m.stop();
      throw err;
    }
    this.ready = true;
    this.options.logger.info(`vigil ${version} is ready at ${this.url()}`, {
      url: this.url(),
      data_dir: this.lock.dir,
      config: this.options.configFile ?? '(embedded defaults)',
    });
  }

  /** The directory relative paths in the config are read from. */
  private configDir(): string {
    return this.options.configFile ? dirname(resolve(this.options.configFile)) : process.cwd();
  }

  /** The collector's families as exposition text (the `vigil collector` `/metrics`). */
  private collectorMetricsText(): string {
    if (this.collector === undefined) return '';
    const written = writeText(this.collector.families());
    if (!written.ok) {
      this.options.logger.warn('cannot write the collector families', { err: written.error.message });
      return '';
    }
    return written.body;
  }

  /** The query API's view of the engine and the TSDB (which opens after the server is built). */
  private queryBackend(): QueryBackend {
    const app = this;
    const db = (): Tsdb | undefined => app.tsdb as Tsdb | undefined;
    return {
      get engine() {
        return app.engine;
      },
      queryable: db,
      async deleteSeries(matchers, mintMs, maxtMs) {
        await (db() ?? notOpen()).delete(mintMs, maxtMs, matchers);
      },
      async cleanTombstones() {
        await (db() ?? notOpen()).cleanTombstones();
      },
      tsdbStatus(limit) {
        const tsdb = db();
        if (tsdb === undefined) return undefined;
        const head = tsdb.head;
        let chunkCount = 0;
        for (const s of head.allSeries()) chunkCount += s.mmapped.length + (s.head === null ? 0 : 1);
        return headStatus(
          {
            numSeries: head.numSeries,
            chunkCount,
            minTime: head.minTime,
            maxTime: head.maxTime,
            postings: head.postings,
          },
          limit,
        );
      },
    };
  }

  /**
   * The job `vigil` that scrapes vigil's own /metrics with a token issued for this run, unless the config
   * has a job of that name. Intervals come from `global`.
   */
  private selfScrapeJob(config: Config): ResolvedScrapeConfig[] {
    if (config.scrape_configs.some((j) => j.job_name === 'vigil')) return [];
    const { host, port } = this.server.address();
    const h =
      host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    const tls = this.server.tls;
    const yaml = [
      'global:',
      `  scrape_interval: ${formatDurationMs(config.global.scrape_interval)}`,
      `  scrape_timeout: ${formatDurationMs(config.global.scrape_timeout)}`,
      'scrape_configs:',
      '  - job_name: vigil',
      `    scheme: ${tls ? 'https' : 'http'}`,
      '    authorization:',
      `      credentials: ${JSON.stringify(this.selfToken)}`,
      ...(tls ? ['    tls_config:', '      insecure_skip_verify: true'] : []),
      '    static_configs:',
      `      - targets: ['${h}:${port}']`,
    ].join('\n');
    return [...parseConfig(yaml, '(self-scrape)', {}).scrape_configs];
  }
}

/**
 * The engine with Prometheus' defaults (5m lookback, 2m timeout, 20 queries at once, 50M samples); a subquery
 * without a step uses `global.evaluation_interval`.
 */
function newEngine(config: Config): Engine {
  return new Engine({ defaultSubqueryStepMs: config.global.evaluation_interval });
}

function notOpen(): never {
  throw new Error('the time-series database is not open');
}

/**
 * Gives `next` to each module in order. When one throws, the modules already given `next` get `prev` back,
 * in reverse order, and the failure is returned.
 */
export async function applyConfig(
  modules: readonly Module[],
  prev: Config,
  next: Config,
): Promise<{ module: string; error: Error } | undefined> {
  const applied: Module[] = [];
  for (const m of modules) {
    if (!m.reload) continue;
    try {
      await m.reload(next);
      applied.push(m);
    } catch (err) {
      for (const done of applied.reverse()) await done.reload?.(prev);
      return { module: m.name, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }
  return undefined;
}

/** Creates the `admin` user on first start, with VIGIL_ADMIN_PASSWORD or a random password shown once. */
async function bootstrapAdmin(
  store: Store,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  show: (text: string) => void,
): Promise<void> {
  const given = env.VIGIL_ADMIN_PASSWORD;
  if (store.users.count() > 0) {
    if (given !== undefined) logger.debug('VIGIL_ADMIN_PASSWORD is ignored: users exist already');
    return;
  }
  if (given !== undefined && given.length < 8) {
    throw new Error('VIGIL_ADMIN_PASSWORD must be at least 8 characters long');
  }
  const password = given ?? randomPassword();
  store.users.create('admin', await hashPassword(password), 'admin');
  if (given !== undefined) {
    logger.info('created user admin with the password from VIGIL_ADMIN_PASSWORD');
  } else {
    show(
      `\n  vigil created the user "admin" with this password, shown only now:\n\n      ${password}\n\n  Keep it somewhere safe.\n\n`,
    );
    logger.info('created user admin with a generated password (printed above, not logged)');
  }
}
