/**
 * `vigil gateway`: the security gateway alone, with its own `/metrics` listener; with `gateway.events_to`, its
 * security events go to a `vigil start` server through a durable outbox in `<data-dir>/gateway.db`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ConfigError, loadConfig } from '../config/index.ts';
import { EventForwarder, Gateway, wafInspectorFactory } from '../gateway/index.ts';
import { createLogger, type LogLevel } from '../log/index.ts';
import { Outbox } from '../notify/index.ts';
import { Store } from '../store/index.ts';

export interface GatewayFlags {
  config: string;
  dataDir: string;
  logLevel?: LogLevel;
}

/** Runs until SIGTERM/SIGINT; SIGHUP reloads the config's `gateway` section. Returns the exit code. */
export async function gatewayCommand(flags: GatewayFlags): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(flags.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`vigil: invalid configuration, not started:\n${err.message}\n`);
    return 1;
  }
  if (config.gateway === undefined) {
    process.stderr.write(`vigil: ${flags.config} has no gateway section: nothing to run\n`);
    return 1;
  }
  const format =
    config.server.log_format === 'auto' ? (process.stderr.isTTY ? 'human' : 'json') : config.server.log_format;
  const logger = createLogger({ level: flags.logLevel ?? config.server.log_level, format });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  let gateway: Gateway;
  const gatewayLogger = logger.child({ component: 'gateway' });
  const dataDir = resolve(flags.dataDir);
  let store: Store | undefined;
  let outbox: Outbox | undefined;
  let forwarder: EventForwarder | undefined;
  const closeForwarding = async () => {
    forwarder?.close();
    await outbox?.close();
    store?.close();
  };
  try {
    const eventsTo = config.gateway.events_to;
    if (eventsTo !== undefined) {
      mkdirSync(dataDir, { recursive: true });
      // A file of its own: one outbox per database, and a `vigil start` may share the data directory.
      store = Store.open({ path: join(dataDir, 'gateway.db'), logger: logger.child({ component: 'store' }) });
      outbox = new Outbox({
        store,
        logger: logger.child({ component: 'notify' }),
        registry,
        userAgent: 'vigil-gateway',
      });
      outbox.start();
      forwarder = new EventForwarder(outbox, eventsTo, gatewayLogger);
      logger.info('security events go to the vigil server', { url: eventsTo.url });
    }
    gateway = new Gateway({
      config: config.gateway,
      dataDir,
      logger: gatewayLogger,
      registry,
      serveMetrics: true,
      inspector: wafInspectorFactory({ logger: gatewayLogger }),
      ...(forwarder === undefined ? {} : { events: forwarder }),
    });
    await gateway.start();
  } catch (err) {
    logger.error(`the gateway could not start: ${err instanceof Error ? err.message : String(err)}`);
    await closeForwarding();
    return 1;
  }
  const a = gateway.addresses();
  logger.info('vigil gateway is ready', {
    https: a.https.port,
    redirect: a.redirect?.port ?? 'off',
    metrics: a.metrics?.port ?? 'off',
  });
  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        logger.warn('second signal: exiting without waiting', { signal });
        process.exit(1);
      }
      stopping = true;
      logger.info('signal received', { signal });
      process.off('SIGHUP', reload);
      void gateway.close().then(done);
    };
    const reload = () => {
      try {
        const next = loadConfig(flags.config).gateway;
        if (next === undefined) throw new Error('the gateway section was removed: restart to apply');
        if (JSON.stringify(next.events_to) !== JSON.stringify(config.gateway?.events_to)) {
          throw new Error('gateway.events_to changed: restart to apply');
        }
        gateway.reload(next);
        logger.info('gateway config reloaded', { file: flags.config });
      } catch (err) {
        logger.error('gateway reload refused: the running configuration stays', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    process.on('SIGHUP', reload);
  });
  await closeForwarding();
  logger.info('gateway stopped');
  return 0;
}
