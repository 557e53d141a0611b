/**
 * Prometheus' `remote_write` entries. `sigv4`, `azuread`, `google_iam`, `oauth2`, `send_native_histograms`,
 * `round_robin_dns`, `protobuf_message` and `queue_config.sample_age_limit` are not supported (unknown keys).
 */
import {
  bool,
  duration,
  emptyRecord,
  type Infer,
  int,
  object,
  optional,
  type Path,
  type Report,
  record,
  required,
  section,
  str,
  url,
  withDefault,
} from '../schema.ts';
import { checkHttpClient, httpClientFields } from './http-client.ts';
import { relabelConfigs } from './relabel.ts';

/**
 * `queue_config`: per-shard buffering and retry. Defaults (Prometheus 2.x): capacity 10000, max_shards 50,
 * min_shards 1, max_samples_per_send 2000, batch_send_deadline 5s, min_backoff 30ms, max_backoff 5s,
 * retry_on_http_429 false. Durations in milliseconds.
 */
export const queueConfig = object({
  capacity: withDefault(int({ min: 0 }), 10_000),
  max_shards: withDefault(int({ min: 0 }), 50),
  min_shards: withDefault(int({ min: 0 }), 1),
  max_samples_per_send: withDefault(int({ min: 0 }), 2000),
  batch_send_deadline: withDefault(duration(), 5000),
  min_backoff: withDefault(duration(), 30),
  max_backoff: withDefault(duration(), 5000),
  retry_on_http_429: withDefault(bool(), false),
});
export type QueueConfig = Infer<typeof queueConfig>;

/** `metadata_config`: whether and how often metric metadata is sent. Defaults: true, 1m, 500 per send. */
export const metadataConfig = object({
  send: withDefault(bool(), true),
  send_interval: withDefault(duration(), 60_000),
  max_samples_per_send: withDefault(int({ min: 0 }), 500),
});
export type MetadataConfig = Infer<typeof metadataConfig>;

/** Headers Prometheus sets itself; `headers` must not override them (compared case-insensitively). */
const reservedHeaders = new Set([
  'host',
  'content-encoding',
  'content-length',
  'content-type',
  'user-agent',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'www-authenticate',
  'accept-encoding',
  'x-prometheus-remote-write-version',
  'x-prometheus-remote-read-version',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
]);

/**
 * The `remote_write` entry keys. Same HTTP client keys as a scrape job, except that `enable_http2` defaults
 * to false, as in Prometheus. `remote_timeout` @default 30s.
 */
export const remoteWriteFields = {
  url: required(url(['http', 'https'])),
  name: optional(str()),
  remote_timeout: withDefault(duration(), 30_000),
  headers: withDefault(record(str()), emptyRecord<string>()),
  write_relabel_configs: withDefault(relabelConfigs, () => []),
  send_exemplars: withDefault(bool(), false),
  queue_config: section(queueConfig),
  metadata_config: section(metadataConfig),
  ...httpClientFields,
  enable_http2: withDefault(bool(), false),
};

/** One remote write target; `headers` must not set reserved headers or `Authorization`. */
export const remoteWriteConfig = object(remoteWriteFields, {
  check(c, report) {
    for (const name of Object.keys(c.headers)) {
      const lower = name.toLowerCase();
      if (lower === 'authorization') {
        report(
          ['headers', name],
          'authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, or azuread parameter',
        );
      } else if (reservedHeaders.has(lower)) {
        report(['headers', name], `${name} is a reserved header. It must not be changed`);
      }
    }
    checkHttpClient(c, report);
  },
});
export type RemoteWriteConfig = Infer<typeof remoteWriteConfig>;

/**
 * Prometheus' rule across the `remote_write` list, for the root object's `check`: non-empty `name`s are
 * unique (the wording, "job name", is Prometheus'). Reports at `[...at, index, 'name']`.
 */
export function checkRemoteWriteConfigs(
  configs: readonly RemoteWriteConfig[],
  report: Report,
  at: Path = ['remote_write'],
): void {
  const seen = new Set<string>();
  configs.forEach((c, i) => {
    if (c.name === undefined || c.name === '') return;
    if (seen.has(c.name)) {
      report([...at, i, 'name'], `found multiple remote write configs with job name ${JSON.stringify(c.name)}`);
    }
    seen.add(c.name);
  });
}
