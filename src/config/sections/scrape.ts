/**
 * Prometheus' `scrape_config` with the service discoveries vigil supports (`static_configs`,
 * `file_sd_configs`, `docker_sd_configs`; any other `*_sd_configs` key is unknown), plus the rules across the
 * list and the filling from `global` that Prometheus applies after loading.
 */
import {
  bool,
  byteSize,
  duration,
  emptyRecord,
  type Infer,
  int,
  labelName,
  list,
  object,
  oneOf,
  optional,
  type Path,
  type Report,
  record,
  required,
  type Schema,
  scalar,
  str,
  withDefault,
} from '../schema.ts';
import { defaultScrapeProtocols, type GlobalConfig, type ScrapeProtocol, scrapeProtocolList } from './global.ts';
import { checkHttpClient, httpClientFields } from './http-client.ts';
import { relabelConfigs } from './relabel.ts';

/** One static target group: `targets` are `host` or `host:port` addresses, `labels` are added to each target. */
export const staticConfig = object({
  targets: withDefault(list(str({ nonEmpty: true })), () => []),
  labels: withDefault(record(str(), labelName()), emptyRecord<string>()),
});
export type StaticConfig = Infer<typeof staticConfig>;

const filePattern = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;
const sdFile = scalar('a .json, .yml or .yaml path', (text) =>
  filePattern.test(text) ? text : { error: `path name ${JSON.stringify(text)} is not valid for file discovery` },
);

/**
 * A `file_sd_configs` entry: paths of target-group files (relative to the config file's directory; a `*` is
 * allowed in the last path element), re-read every `refresh_interval` (@default 5m).
 */
export const fileSdConfig = object(
  {
    files: withDefault(list(sdFile), () => []),
    refresh_interval: withDefault(duration(), 5 * 60_000),
  },
  {
    check(c, report) {
      if (c.files.length === 0) report('files', 'file service discovery config must contain at least one path name');
    },
  },
);
export type FileSdConfig = Infer<typeof fileSdConfig>;

const dockerHost = scalar('a Docker daemon address like unix:///var/run/docker.sock', (text) => {
  try {
    const u = new URL(text);
    if (['unix:', 'tcp:', 'http:', 'https:'].includes(u.protocol)) return text;
  } catch {}
  return undefined;
});

/** A Docker API list filter, e.g. `{name: label, values: [monitoring=on]}`. */
const dockerFilter = object({
  name: required(str({ nonEmpty: true })),
  values: withDefault(list(str()), () => []),
});

/**
 * A `docker_sd_configs` entry. `host` is the daemon address (`unix://…`, `tcp://…`, `http(s)://…`; the HTTP
 * client keys apply only to http/https). `port` (@default 80) is used for containers that publish no TCP port;
 * `host_networking_host` (@default localhost) for containers on the host network.
 */
export const dockerSdConfig = object(
  {
    host: required(dockerHost),
    port: withDefault(int({ min: 0, max: 65535 }), 80),
    host_networking_host: withDefault(str(), 'localhost'),
    match_first_network: withDefault(bool(), true),
    filters: withDefault(list(dockerFilter), () => []),
    refresh_interval: withDefault(duration(), 60_000),
    ...httpClientFields,
  },
  {
    check(c, report) {
      checkHttpClient(c, report);
    },
  },
);
export type DockerSdConfig = Infer<typeof dockerSdConfig>;

/**
 * Prometheus' guard against URLs where a host was meant, for jobs without `relabel_configs` (which could
 * rewrite `__address__`): a static target must not contain `/`. Reports at `['static_configs', g, 'targets', i]`.
 */
export function checkStaticTargets(groups: readonly StaticConfig[], report: Report): void {
  groups.forEach((group, g) => {
    group.targets.forEach((t, i) => {
      if (t.includes('/')) report(['static_configs', g, 'targets', i], `${JSON.stringify(t)} is not a valid hostname`);
    });
  });
}

const limit = () => withDefault(int({ min: 0 }), 0);

/**
 * The `scrape_config` keys. Unset `scrape_interval`, `scrape_timeout` and `scrape_protocols`, and limits left
 * at 0, come from `global`: see {@link resolveScrapeConfigs}. Durations are milliseconds, `body_size_limit`
 * bytes; a limit of 0 means none.
 */
export const scrapeConfigFields = {
  job_name: required(str({ nonEmpty: true })),
  honor_labels: withDefault(bool(), false),
  honor_timestamps: withDefault(bool(), true),
  track_timestamps_staleness: withDefault(bool(), false),
  scrape_interval: optional(duration()),
  scrape_timeout: optional(duration()),
  scrape_protocols: optional(scrapeProtocolList),
  metrics_path: withDefault(str(), '/metrics'),
  scheme: withDefault(oneOf(['http', 'https']), 'http'),
  params: withDefault(record(list(str())), emptyRecord<string[]>()),
  enable_compression: withDefault(bool(), true),
  body_size_limit: withDefault(byteSize(), 0),
  sample_limit: limit(),
  label_limit: limit(),
  label_name_length_limit: limit(),
  label_value_length_limit: limit(),
  target_limit: limit(),
  keep_dropped_targets: limit(),
  static_configs: withDefault(list(staticConfig), () => []),
  file_sd_configs: withDefault(list(fileSdConfig), () => []),
  docker_sd_configs: withDefault(list(dockerSdConfig), () => []),
  relabel_configs: withDefault(relabelConfigs, () => []),
  metric_relabel_configs: withDefault(relabelConfigs, () => []),
  ...httpClientFields,
};

/**
 * One scrape job as written. Per job: `job_name` is required and non-empty, the HTTP client rules hold, and
 * without `relabel_configs` a static target must not contain `/` (a URL where a host was meant).
 */
export const scrapeConfig = object(scrapeConfigFields, {
  check(c, report) {
    checkHttpClient(c, report);
    if (c.relabel_configs.length === 0) checkStaticTargets(c.static_configs, report);
  },
});
export type ScrapeConfig = Infer<typeof scrapeConfig>;

/** A `scrape_configs` list; check it with {@link checkScrapeConfigs} from the enclosing object. */
export const scrapeConfigs: Schema<ScrapeConfig[]> = list(scrapeConfig);

/** The parts of `global` a scrape job inherits. */
export type ScrapeDefaults = Pick<
  GlobalConfig,
  | 'scrape_interval'
  | 'scrape_timeout'
  | 'scrape_protocols'
  | 'body_size_limit'
  | 'sample_limit'
  | 'label_limit'
  | 'label_name_length_limit'
  | 'label_value_length_limit'
  | 'target_limit'
  | 'keep_dropped_targets'
>;

/** A scrape job with every inherited value filled in. */
export type ResolvedScrapeConfig = Omit<ScrapeConfig, 'scrape_interval' | 'scrape_timeout' | 'scrape_protocols'> & {
  /** Milliseconds between scrapes. */
  readonly scrape_interval: number;
  /** Milliseconds a scrape may take; never more than `scrape_interval` (the checks guarantee it). */
  readonly scrape_timeout: number;
  /** Formats to negotiate, most wanted first. */
  readonly scrape_protocols: readonly ScrapeProtocol[];
};

/**
 * Fills each job from `global` as Prometheus does: an unset (or 0) `scrape_interval` takes the global one; an
 * unset `scrape_timeout` takes min(global timeout, job interval); `scrape_protocols` falls back to the global
 * list, then to {@link defaultScrapeProtocols}; limits left at 0 take the global limit. Run
 * {@link checkScrapeConfigs} first: this does not validate. Returns new objects in list order.
 */
export function resolveScrapeConfigs(global: ScrapeDefaults, configs: readonly ScrapeConfig[]): ResolvedScrapeConfig[] {
  return configs.map((c) => {
    const interval = c.scrape_interval || global.scrape_interval;
    return {
      ...c,
      scrape_interval: interval,
      scrape_timeout: c.scrape_timeout || Math.min(global.scrape_timeout, interval),
      scrape_protocols: c.scrape_protocols ?? global.scrape_protocols ?? defaultScrapeProtocols,
      body_size_limit: c.body_size_limit || global.body_size_limit,
      sample_limit: c.sample_limit || global.sample_limit,
      label_limit: c.label_limit || global.label_limit,
      label_name_length_limit: c.label_name_length_limit || global.label_name_length_limit,
      label_value_length_limit: c.label_value_length_limit || global.label_value_length_limit,
      target_limit: c.target_limit || global.target_limit,
      keep_dropped_targets: c.keep_dropped_targets || global.keep_dropped_targets,
    };
  });
}

/**
 * The rules Prometheus applies across the list, for the root object's `check`: a job's explicit
 * `scrape_timeout` must not exceed its interval (after filling from `global`), and job names are unique.
 * Reports at `[...at, index, key]`; `at` is where the list sits in the checked object.
 */
export function checkScrapeConfigs(
  global: Pick<GlobalConfig, 'scrape_interval'>,
  configs: readonly ScrapeConfig[],
  report: Report,
  at: Path = ['scrape_configs'],
): void {
  const seen = new Set<string>();
  configs.forEach((c, i) => {
    const name = JSON.stringify(c.job_name);
    const interval = c.scrape_interval || global.scrape_interval;
    if ((c.scrape_timeout ?? 0) > interval) {
      report(
        [...at, i, 'scrape_timeout'],
        `scrape timeout greater than scrape interval for scrape config with job name ${name}`,
      );
    }
    if (seen.has(c.job_name)) report([...at, i, 'job_name'], `found multiple scrape configs with job name ${name}`);
    seen.add(c.job_name);
  });
}
