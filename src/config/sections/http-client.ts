/**
 * Prometheus' common HTTP client settings (`prometheus/common` `HTTPClientConfig`), used inline by scrape
 * configs, service discovery, remote write and Alertmanager targets, and as `http_config` by Alertmanager.
 * `oauth2` and `http_headers` are not supported: they are unknown keys.
 */
import {
  bool,
  type Field,
  list,
  type ObjectValue,
  object,
  optional,
  type Report,
  record,
  refine,
  type Schema,
  scalar,
  secret,
  secretField,
  section,
  str,
  transformed,
  url,
  withDefault,
} from '../schema.ts';
import type { Secret } from '../secret.ts';

/** TLS protocol versions accepted by `min_version` / `max_version`, oldest first. */
export const tlsVersions = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;
export type TlsVersion = (typeof tlsVersions)[number];

const tlsVersion = scalar<TlsVersion>('a TLS version (TLS10, TLS11, TLS12 or TLS13)', (text) =>
  (tlsVersions as readonly string[]).includes(text) ? (text as TlsVersion) : { error: `unknown TLS version: ${text}` },
);

/**
 * `tls_config` keys. `ca`/`cert` are PEM text and `ca_file`/`cert_file` paths read by the client when it
 * connects; `key` is a secret that `key_file` fills at load time (so a rotated key needs a reload).
 */
export const tlsConfigFields = {
  ca: optional(str()),
  ca_file: optional(str()),
  cert: optional(str()),
  cert_file: optional(str()),
  key: secretField('key_file'),
  server_name: optional(str()),
  insecure_skip_verify: withDefault(bool(), false),
  min_version: optional(tlsVersion),
  max_version: optional(tlsVersion),
};
export type TlsConfig = ObjectValue<typeof tlsConfigFields>;

const present = (s: string | Secret | undefined): boolean =>
  s !== undefined && (typeof s === 'string' ? s !== '' : s.reveal() !== '');

/** Prometheus' `TLSConfig.Validate` rules, plus its client-side min/max version order check. */
export function checkTlsConfig(c: TlsConfig, report: Report): void {
  if (present(c.ca) && present(c.ca_file)) report('ca_file', 'at most one of ca and ca_file must be configured');
  if (present(c.cert) && present(c.cert_file)) {
    report('cert_file', 'at most one of cert and cert_file must be configured');
  }
  const hasCert = present(c.cert) || present(c.cert_file);
  if (hasCert && !present(c.key)) {
    report(
      present(c.cert) ? 'cert' : 'cert_file',
      'exactly one of key or key_file must be configured when a client certificate is configured',
    );
  } else if (present(c.key) && !hasCert) {
    report(null, 'exactly one of cert or cert_file must be configured when a client key is configured');
  }
  if (c.min_version !== undefined && c.max_version !== undefined) {
    if (tlsVersions.indexOf(c.max_version) < tlsVersions.indexOf(c.min_version)) {
      report(
        'max_version',
        'tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified',
      );
    }
  }
}

/** A `tls_config` mapping; absent keys keep Go's zero values (no CA, verification on, any version). */
export const tlsConfig: Schema<TlsConfig> = object(tlsConfigFields, { check: checkTlsConfig });

const basicAuth = object({
  username: secretField('username_file'),
  password: secretField('password_file'),
});

/** `authorization.type`: surrounding space trimmed; empty means `Bearer`. */
const authorizationType = transformed(str(), (t) => t.trim() || 'Bearer');

const authorization = object({
  type: withDefault(authorizationType, 'Bearer'),
  credentials: secretField('credentials_file'),
});

/**
 * The inline HTTP client keys, to spread into an `object()` whose `check` calls {@link checkHttpClient}.
 * Defaults: `follow_redirects: true`, `enable_http2: true`, `proxy_from_environment: false`, an empty
 * `tls_config`. `bearer_token`/`bearer_token_file` are the legacy form of `authorization: {type: Bearer}`;
 * consumers treat a set `bearer_token` exactly like that. `proxy_connect_header` values are secrets.
 */
export const httpClientFields = {
  basic_auth: optional(basicAuth),
  authorization: optional(authorization),
  bearer_token: secretField('bearer_token_file'),
  tls_config: section(tlsConfig),
  proxy_url: optional(url(['http', 'https', 'socks5'])),
  no_proxy: optional(str()),
  proxy_from_environment: withDefault(bool(), false),
  proxy_connect_header: optional(record(list(secret()))),
  follow_redirects: withDefault(bool(), true),
  enable_http2: withDefault(bool(), true),
};
export type HttpClientConfig = ObjectValue<typeof httpClientFields>;

/** Prometheus' `HTTPClientConfig.Validate` and `ProxyConfig.Validate` rules, in their order and wording. */
export function checkHttpClient(c: HttpClientConfig, report: Report): void {
  const bearer = c.bearer_token !== undefined;
  if (c.basic_auth !== undefined && bearer) {
    report('basic_auth', 'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured');
  }
  if (c.authorization !== undefined) {
    if (bearer) report('authorization', 'authorization is not compatible with bearer_token & bearer_token_file');
    if (c.authorization.type.toLowerCase() === 'basic') {
      report(['authorization', 'type'], 'authorization type cannot be set to "basic", use "basic_auth" instead');
    }
    if (c.basic_auth !== undefined) {
      report('authorization', 'at most one of basic_auth, oauth2 & authorization must be configured');
    }
  }
  const hasProxyUrl = c.proxy_url !== undefined && c.proxy_url !== '';
  const hasNoProxy = c.no_proxy !== undefined && c.no_proxy !== '';
  if (Object.keys(c.proxy_connect_header ?? {}).length > 0 && !c.proxy_from_environment && !hasProxyUrl) {
    report(
      'proxy_connect_header',
      'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured',
    );
  }
  if (c.proxy_from_environment && hasProxyUrl) {
    report('proxy_url', 'if proxy_from_environment is configured, proxy_url must not be configured');
  }
  if (c.proxy_from_environment && hasNoProxy) {
    report('no_proxy', 'if proxy_from_environment is configured, no_proxy must not be configured');
  }
  if (!hasProxyUrl && hasNoProxy) report('no_proxy', 'if no_proxy is configured, proxy_url must also be configured');
}

/** A standalone HTTP client mapping, as Alertmanager's `http_config` keys take it. */
export const httpClientConfig: Schema<HttpClientConfig> = object(httpClientFields, { check: checkHttpClient });

/**
 * Alertmanager's secret URL (`slack_api_url`, `api_url`, webhook `url`): an http(s) URL kept as a Secret, or
 * read from the `fileKey` file at load time (file contents are not checked, as Alertmanager does not). Error
 * messages never repeat the URL.
 */
export function secretUrlField(fileKey: string): Field<Secret | undefined> {
  const schema = refine(secret('a URL (http or https)'), (s) => {
    let u: URL;
    try {
      u = new URL(s.reveal());
    } catch {
      return 'invalid URL';
    }
    const scheme = u.protocol.slice(0, -1);
    if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme ${JSON.stringify(scheme)} for URL`;
    return u.host === '' ? 'missing host for URL' : undefined;
  });
  return { schema: schema as Schema<unknown>, kind: 'optional', fileKey };
}
