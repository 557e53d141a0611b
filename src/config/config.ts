/**
 * The whole vigil.yml: prometheus.yml's sections, alertmanager.yml's (under `alerting`, or at the top level
 * so an alertmanager.yml passes as it is), and vigil's own. Loading fills every default, so modules read
 * plain values; durations are milliseconds, sizes bytes.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { decodeYaml } from './decode.ts';
import { ConfigError } from './errors.ts';
import {
  type CheckTarget,
  INVALID,
  type Infer,
  list,
  object,
  optional,
  type Schema,
  section,
  str,
  withDefault,
} from './schema.ts';
import {
  type AlertingConfig,
  alertingSection,
  checkAlertmanager,
  inhibitRule,
  namedTimeInterval,
  receiver,
  route,
} from './sections/alerting.ts';
import { type CollectorConfig, collectorSchema } from './sections/collector.ts';
import { type GatewayConfig, gatewaySchema } from './sections/gateway.ts';
import { type GlobalConfig, globalConfig } from './sections/global.ts';
import { checkRemoteWriteConfigs, type RemoteWriteConfig, remoteWriteConfig } from './sections/remote-write.ts';
import {
  checkScrapeConfigs,
  type ResolvedScrapeConfig,
  resolveScrapeConfigs,
  scrapeConfigs,
} from './sections/scrape.ts';
import { type ServerConfig, serverSchema } from './sections/server.ts';
import { type StorageConfig, storageSchema } from './sections/storage.ts';

/** A section that a later version of vigil reads; naming it now is an error rather than silently ignored. */
function notYetAvailable(name: string): Schema<never> {
  return {
    expected: `no ${name} section`,
    decode: (node, ctx, path) =>
      ctx.report(node, path, `the ${name} section is not supported by this version of vigil; remove it`),
    encode: () => undefined,
  };
}

/** alertmanager.yml's keys, accepted at the top level as an alternative to `alerting:`. */
const topLevelAlertmanager = {
  route: optional(route),
  receivers: optional(list(receiver)),
  inhibit_rules: optional(list(inhibitRule)),
  templates: optional(list(str())),
  time_intervals: optional(list(namedTimeInterval)),
  mute_time_intervals: optional(list(namedTimeInterval)),
};
const alertmanagerKeys = Object.keys(topLevelAlertmanager) as Array<keyof typeof topLevelAlertmanager>;

const root = object(
  {
    global: section(globalConfig),
    scrape_configs: withDefault(scrapeConfigs, () => []),
    rule_files: withDefault(list(str({ nonEmpty: true })), () => []),
    remote_write: withDefault(list(remoteWriteConfig), () => []),
    alerting: section(alertingSection),
    storage: section(storageSchema),
    server: section(serverSchema),
    ...topLevelAlertmanager,
    collector: section(collectorSchema),
    gateway: optional(gatewaySchema),
    chatops: optional(notYetAvailable('chatops')),
    reports: optional(notYetAvailable('reports')),
  },
  {
    check(v, report) {
      const topLevel = alertmanagerKeys.filter((k) => v[k] !== undefined);
      for (const k of topLevel) {
        const inSection = v.alerting[k];
        if (k === 'route' ? inSection !== undefined : (inSection as unknown[]).length > 0) {
          report(k, `given both at the top level and under alerting; keep one`);
        }
      }
      checkScrapeConfigs(v.global, v.scrape_configs, report);
      checkRemoteWriteConfigs(v.remote_write, report);
      // Point each problem at where its key was written: the top level (an alertmanager.yml) or `alerting`.
      const at = (target: CheckTarget): CheckTarget => {
        const parts = target === null ? [] : typeof target === 'string' ? [target] : target;
        return topLevel.includes(parts[0] as (typeof alertmanagerKeys)[number]) ? parts : ['alerting', ...parts];
      };
      checkAlertmanager(mergeAlerting(v), v.global, (target, message) => report(at(target), message), { at: [] });
    },
  },
);

type Raw = Infer<typeof root>;

function mergeAlerting(v: Raw): AlertingConfig {
  const merged: Record<string, unknown> = { ...v.alerting };
  for (const k of alertmanagerKeys) if (v[k] !== undefined) merged[k] = v[k];
  return merged as AlertingConfig;
}

/** A loaded, validated config with every default filled in. Immutable: a reload builds a new one. */
export interface Config {
  readonly global: GlobalConfig;
  readonly scrape_configs: readonly ResolvedScrapeConfig[];
  readonly rule_files: readonly string[];
  readonly remote_write: readonly RemoteWriteConfig[];
  readonly alerting: AlertingConfig;
  readonly storage: StorageConfig;
  readonly server: ServerConfig;
  readonly collector: CollectorConfig;
  /** The security gateway; absent when the file has no `gateway` section. */
  readonly gateway?: GatewayConfig;
}

const configSchema: Schema<Config> = {
  expected: root.expected,
  decode(node, ctx, path) {
    const v = root.decode(node, ctx, path);
    if (v === INVALID) return INVALID;
    return {
      global: v.global,
      scrape_configs: resolveScrapeConfigs(v.global, v.scrape_configs),
      rule_files: v.rule_files,
      remote_write: v.remote_write,
      alerting: mergeAlerting(v),
      storage: v.storage,
      server: v.server,
      collector: v.collector,
      ...(v.gateway !== undefined ? { gateway: v.gateway } : {}),
    };
  },
  encode: (c) => root.encode(c as unknown as Raw),
};

/** Parses config text. Throws ConfigError listing every problem with file:line:col and key. */
export function parseConfig(text: string, file = 'vigil.yml', env: NodeJS.ProcessEnv = process.env): Config {
  return decodeYaml(configSchema, text, { file, env });
}

/** The `global` keys that belong to Alertmanager: an `--alertmanager-config` file sets these. */
const alertmanagerGlobalKeys = [
  'resolve_timeout',
  'http_config',
  'smtp_from',
  'smtp_hello',
  'smtp_smarthost',
  'smtp_auth_username',
  'smtp_auth_password',
  'smtp_auth_identity',
  'smtp_auth_secret',
  'smtp_require_tls',
  'smtp_tls_config',
  'slack_api_url',
] as const;

/**
 * Loads a config file, or the embedded defaults when `file` is undefined; with `alertmanagerFile` (an
 * unchanged alertmanager.yml, `--alertmanager-config`), its routing, receivers, inhibition, templates, time
 * intervals and Alertmanager `global` keys replace the main config's; its relative `templates` paths are read
 * from its own directory. Throws ConfigError, also for a file that cannot be read, and when both files route.
 */
export function loadConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  alertmanagerFile?: string,
): Config {
  const main =
    file === undefined ? parseConfig('', '(embedded defaults)', env) : parseConfig(readConfigFile(file), file, env);
  if (alertmanagerFile === undefined) return main;
  const am = parseConfig(readConfigFile(alertmanagerFile), alertmanagerFile, env);
  if (main.alerting.route !== undefined) {
    throw new ConfigError(alertmanagerFile, [
      {
        file: file ?? alertmanagerFile,
        line: 0,
        col: 0,
        path: 'route',
        message: `alerting routes are given both here and in --alertmanager-config ${alertmanagerFile}; keep one`,
      },
    ]);
  }
  const global: Record<string, unknown> = { ...main.global };
  for (const k of alertmanagerGlobalKeys) global[k] = am.global[k];
  const amDir = dirname(resolve(alertmanagerFile));
  return {
    ...main,
    global: global as unknown as GlobalConfig,
    alerting: {
      ...am.alerting,
      alertmanagers: main.alerting.alertmanagers,
      alert_relabel_configs: main.alerting.alert_relabel_configs,
      templates: am.alerting.templates.map((t) => (isAbsolute(t) ? t : join(amDir, t))),
    },
  };
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EACCES'
          ? 'permission denied'
          : e.code === 'EISDIR'
            ? 'is a directory'
            : e.message;
    throw new ConfigError(file, [{ file, line: 0, col: 0, path: '', message: `cannot read the config file: ${why}` }], {
      cause: err,
    });
  }
}

/**
 * The Alertmanager part of the config as an alertmanager.yml (its `global` keys, `route`, `receivers`,
 * `inhibit_rules`, `templates`, time intervals), defaults filled in and secrets shown as `<secret>`: what
 * Alertmanager's `/api/v2/status` returns as `config.original` and amtool reads back.
 */
export function redactedAlertmanagerYaml(config: Config): string {
  const all = configSchema.encode(config) as Record<string, Record<string, unknown> | undefined>;
  const global: Record<string, unknown> = {};
  for (const k of alertmanagerGlobalKeys) if (all.global?.[k] !== undefined) global[k] = all.global[k];
  const out: Record<string, unknown> = { global };
  for (const k of alertmanagerKeys) if (all.alerting?.[k] !== undefined) out[k] = all.alerting[k];
  // Alertmanager 0.25 reads a webhook `url` as a plain URL (only Slack's is a secret URL that takes
  // `<secret>`): keep the origin so the file still parses, hide the path (where such URLs carry tokens).
  const receivers = out.receivers as { webhook_configs?: { url?: unknown }[] }[] | undefined;
  config.alerting.receivers.forEach((r, i) => {
    r.webhook_configs.forEach((w, j) => {
      const encoded = receivers?.[i]?.webhook_configs?.[j];
      if (encoded !== undefined && w.url !== undefined) encoded.url = `${new URL(w.url.reveal()).origin}/<secret>`;
    });
  });
  return stringify(dropNewerDefaults(out), { lineWidth: 0 });
}

/**
 * Removes keys that Alertmanager 0.25 does not know when they hold their default (they came with later
 * versions), so amtool 0.25 can read the file: `proxy_from_environment: false`, a webhook `timeout` of 0 and
 * the global `smtp_tls_config` when it sets nothing.
 */
function dropNewerDefaults(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => dropNewerDefaults(x, key));
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'proxy_from_environment' && x === false) continue;
    if (k === 'timeout' && key === 'webhook_configs' && (x === '0s' || x === 0)) continue;
    if (k === 'smtp_tls_config' && JSON.stringify(x) === '{"insecure_skip_verify":false}') continue;
    out[k] = dropNewerDefaults(x, k);
  }
  return out;
}

/** The config as YAML with defaults filled in and every secret shown as `<secret>`. */
export function redactedYaml(config: Config): string {
  return stringify(configSchema.encode(config), { lineWidth: 0 });
}
