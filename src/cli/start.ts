import { App } from '../app.ts';
import { type Config, ConfigError, loadConfig } from '../config/index.ts';
import { createLogger, type LogLevel } from '../log/index.ts';
import { parseHostPort } from '../model/index.ts';
import { UsageError } from './errors.ts';

export interface StartFlags {
  config?: string;
  alertmanagerConfig?: string;
  dataDir: string;
  listen?: string;
  logLevel?: LogLevel;
}

/** `vigil collector`: the collector and the server alone, on 127.0.0.1:8080 unless told otherwise. */
export function collectorCommand(flags: StartFlags): Promise<number> {
  return startCommand({ ...flags, listen: flags.listen ?? '127.0.0.1:8080' }, 'collector');
}

/** `vigil start`: runs until SIGTERM/SIGINT or `/-/quit`; SIGHUP reloads the config. */
export async function startCommand(flags: StartFlags, mode: 'all' | 'collector' = 'all'): Promise<number> {
  if (flags.listen !== undefined) {
    if (parseHostPort(flags.listen) === undefined) {
      throw new UsageError(`--listen: expected host:port like 127.0.0.1:9090, got ${JSON.stringify(flags.listen)}`);
    }
  }
  let config: Config;
  try {
    config = loadConfig(flags.config, process.env, flags.alertmanagerConfig);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`vigil: invalid configuration, not started:\n${err.message}\n`);
    return 1;
  }
  const format =
    config.server.log_format === 'auto' ? (process.stderr.isTTY ? 'human' : 'json') : config.server.log_format;
  const logger = createLogger({ level: flags.logLevel ?? config.server.log_level, format });
  const flagValues: Record<string, string> = {
    'config.file': flags.config ?? '',
    'alertmanager-config': flags.alertmanagerConfig ?? '',
    'data-dir': flags.dataDir,
    listen: flags.listen ?? '',
    'log.level': flags.logLevel ?? '',
  };

  // Signal handlers go in before the start: the listening address is printed while modules still start, and a
  // SIGTERM in that window must stop vigil gracefully, not kill it.
  let app: App | undefined;
  let stopRequested = false;
  let signals = 0;
  const stop = (signal: string) => {
    signals++;
    if (signals > 1) {
      logger.warn('second signal: exiting without waiting', { signal });
      process.exit(1);
    }
    logger.info('signal received', { signal });
    if (app === undefined) stopRequested = true;
    else void app.stop();
  };
  const reload = () => void app?.reload();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', reload);
  const removeHandlers = () => {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    process.off('SIGHUP', reload);
  };
  try {
    app = await App.start({
      config,
      configFile: flags.config,
      ...(flags.alertmanagerConfig !== undefined ? { alertmanagerConfigFile: flags.alertmanagerConfig } : {}),
      dataDir: flags.dataDir,
      listen: flags.listen,
      logLevel: flags.logLevel,
      logger,
      flags: flagValues,
      mode,
    });
  } catch (err) {
    removeHandlers();
    logger.error(`vigil could not start: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  if (stopRequested) void app.stop();
  await app.stopped();
  removeHandlers();
  return 0;
}
