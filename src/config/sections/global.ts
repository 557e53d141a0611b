/**
 * The `global` section: the union of Prometheus' global config (scrape and rule defaults, limits) and
 * Alertmanager's (resolve timeout, SMTP and Slack defaults, `http_config`). The two sets of keys do not
 * overlap, so a prometheus.yml and an alertmanager.yml `global` both decode here unchanged. Alertmanager's
 * pagerduty/opsgenie/wechat/victorops/telegram/webex/jira/rocketchat keys are not supported (unknown keys).
 */
import {
  bool,
  byteSize,
  duration,
  emptyRecord,
  hostPort,
  int,
  labelName,
  list,
  type ObjectValue,
  object,
  optional,
  type Report,
  record,
  refine,
  type Schema,
  scalar,
  secretField,
  section,
  str,
  transformed,
  withDefault,
} from '../schema.ts';
import { httpClientConfig, secretUrlField, tlsConfig } from './http-client.ts';

/** Exposition formats a scrape may negotiate, as `scrape_protocols` names them (case-sensitive). */
export const scrapeProtocols = [
  'PrometheusProto',
  'OpenMetricsText0.0.1',
  'OpenMetricsText1.0.0',
  'PrometheusText0.0.4',
  'PrometheusText1.0.0',
] as const;
export type ScrapeProtocol = (typeof scrapeProtocols)[number];

/** What a scrape asks for when neither the job nor `global` sets `scrape_protocols` (Prometheus 2.x order). */
export const defaultScrapeProtocols: readonly ScrapeProtocol[] = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText0.0.4',
];

const supported = `[${[...scrapeProtocols].sort().join(' ')}]`;
const scrapeProtocol = scalar<ScrapeProtocol>('a scrape protocol', (text) =>
  (scrapeProtocols as readonly string[]).includes(text)
    ? (text as ScrapeProtocol)
    : { error: `unknown scrape protocol ${text}, supported: ${supported}` },
);

/** A non-empty `scrape_protocols` list without duplicates (compared case-insensitively), most wanted first. */
export const scrapeProtocolList: Schema<ScrapeProtocol[]> = refine(list(scrapeProtocol), (ps) => {
  if (ps.length === 0) return 'scrape_protocols cannot be empty';
  const seen = new Set(ps.map((p) => p.toLowerCase()));
  return seen.size === ps.length ? undefined : `duplicated protocol in scrape_protocols, got [${ps.join(' ')}]`;
});

/**
 * The `global` keys as written. Durations are milliseconds and limits counts or bytes, where 0 means
 * "no limit". `scrape_interval`, `scrape_timeout` and `evaluation_interval` are filled by {@link globalConfig}.
 */
export const globalFields = {
  // Prometheus
  scrape_interval: optional(duration()),
  scrape_timeout: optional(duration()),
  scrape_protocols: optional(scrapeProtocolList),
  evaluation_interval: optional(duration()),
  external_labels: withDefault(record(str(), labelName()), emptyRecord<string>()),
  query_log_file: optional(str()),
  body_size_limit: withDefault(byteSize(), 0),
  sample_limit: withDefault(int({ min: 0 }), 0),
  label_limit: withDefault(int({ min: 0 }), 0),
  label_name_length_limit: withDefault(int({ min: 0 }), 0),
  label_value_length_limit: withDefault(int({ min: 0 }), 0),
  target_limit: withDefault(int({ min: 0 }), 0),
  keep_dropped_targets: withDefault(int({ min: 0 }), 0),
  // Alertmanager
  resolve_timeout: withDefault(duration(), 5 * 60_000),
  http_config: section(httpClientConfig),
  smtp_from: optional(str()),
  smtp_hello: withDefault(str(), 'localhost'),
  smtp_smarthost: optional(hostPort()),
  smtp_auth_username: optional(str()),
  smtp_auth_password: secretField('smtp_auth_password_file'),
  smtp_auth_identity: optional(str()),
  smtp_auth_secret: secretField('smtp_auth_secret_file'),
  smtp_require_tls: withDefault(bool(), true),
  smtp_tls_config: section(tlsConfig),
  slack_api_url: secretUrlField('slack_api_url_file'),
};
type GlobalInput = ObjectValue<typeof globalFields>;

/** The decoded `global` section, with the scrape and evaluation defaults resolved (milliseconds). */
export type GlobalConfig = Omit<GlobalInput, 'scrape_interval' | 'scrape_timeout' | 'evaluation_interval'> & {
  /** @default 1m; an explicit 0 also means the default. */
  readonly scrape_interval: number;
  /** @default the smaller of 10s and `scrape_interval`. */
  readonly scrape_timeout: number;
  /** @default 1m */
  readonly evaluation_interval: number;
};

const defaultScrapeIntervalMs = 60_000;
const defaultScrapeTimeoutMs = 10_000;
const defaultEvaluationIntervalMs = 60_000;

/** Prometheus' rule: an explicit global `scrape_timeout` must not exceed the (defaulted) `scrape_interval`. */
export function checkGlobal(g: GlobalInput, report: Report): void {
  const interval = g.scrape_interval || defaultScrapeIntervalMs;
  if ((g.scrape_timeout ?? 0) > interval)
    report('scrape_timeout', 'global scrape timeout greater than scrape interval');
}

/**
 * The `global` section; use it with `section()` so an absent `global` still gets every default. Unset (or 0)
 * `scrape_interval`/`evaluation_interval` become 1m and an unset `scrape_timeout` becomes min(10s, interval),
 * as Prometheus does.
 */
export const globalConfig: Schema<GlobalConfig> = transformed(object(globalFields, { check: checkGlobal }), (g) => {
  const scrapeInterval = g.scrape_interval || defaultScrapeIntervalMs;
  return {
    ...g,
    scrape_interval: scrapeInterval,
    scrape_timeout: g.scrape_timeout || Math.min(defaultScrapeTimeoutMs, scrapeInterval),
    evaluation_interval: g.evaluation_interval || defaultEvaluationIntervalMs,
  };
});
