/**
 * The `gateway` section: the security gateway's listeners, trusted proxies, HSTS, limits and sites. Each site
 * is chosen by `Host`/SNI and proxies to its upstreams (or a route's, by longest path prefix). Relative
 * certificate paths are resolved against the config file's directory at load.
 */

import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { parseHostPort } from '../../model/index.ts';
import {
  bool,
  byteSize,
  duration,
  INVALID,
  int,
  list,
  type ObjectValue,
  object,
  oneOf,
  optional,
  required,
  type Schema,
  scalar,
  secretField,
  section,
  str,
  url,
  withDefault,
} from '../schema.ts';
import { checkHttpClient, httpClientFields } from './http-client.ts';

/** A path to a file, resolved against the config file's directory. */
function filePath(): Schema<string> {
  const inner = str({ nonEmpty: true, expected: 'a file path' });
  return {
    expected: inner.expected,
    decode(node, ctx, path) {
      const v = inner.decode(node, ctx, path);
      if (v === INVALID) return INVALID;
      return isAbsolute(v) ? v : resolve(ctx.baseDir, v);
    },
    encode: (v) => v,
  };
}

/** `host:port`, or `none` to turn the listener off. */
function listenOrNone(): Schema<string | null> {
  return scalar<string | null>(
    'host:port like :8080, or none',
    (text) => (text === 'none' ? null : parseHostPort(text) ? text : undefined),
    (v) => v ?? 'none',
  );
}

/** An IPv4 or IPv6 address or CIDR block (`10.0.0.0/8`, `::1`). */
const cidr = scalar<string>('an IP address or CIDR block like 10.0.0.0/8', (text) => {
  const [addr, bits, ...rest] = text.split('/');
  if (rest.length > 0 || addr === undefined) return undefined;
  const family = isIP(addr);
  if (family === 0) return undefined;
  if (bits === undefined) return text;
  const n = /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  return n >= 0 && n <= (family === 4 ? 32 : 128) ? text : undefined;
});

/** A host name for a site: a name, `*.suffix` for any one label, or `*` for any host. */
const hostName = scalar<string>('a host name like app.example.com, *.example.com or *', (text) => {
  const host = text.toLowerCase();
  if (host === '*') return host;
  return /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?$/.test(host) ||
    isIP(host) !== 0
    ? host.replace(/\.$/, '')
    : undefined;
});

const upstreamFields = {
  /** `http://host:port` or `https://host:port`; a path prefix is not supported. */
  url: required(url(['http', 'https'])),
  /** For `https` upstreams: accept any certificate (a self-signed one on a private network). */
  insecure_skip_verify: withDefault(bool(), false),
};
const upstreamSchema = object(upstreamFields, {
  expected: 'an upstream ({ url: ... })',
  check(v, report) {
    if (new URL(v.url).pathname !== '/') report('url', 'an upstream URL cannot have a path');
  },
});
export type GatewayUpstreamConfig = ObjectValue<typeof upstreamFields>;

const balance = oneOf(['round_robin', 'least_conn'] as const);

const healthCheckFields = {
  /** Requested with GET on each upstream; a 2xx or 3xx answer is healthy. */
  path: withDefault(str({ pattern: /^\/\S*$/, expected: 'a path starting with /' }), '/'),
  interval: withDefault(duration({ minMs: 100 }), 10_000),
  timeout: withDefault(duration({ minMs: 10 }), 2_000),
  /** Consecutive successes that bring an unhealthy upstream back. */
  healthy_threshold: withDefault(int({ min: 1, max: 100 }), 1),
  /** Consecutive failures that take a healthy upstream out. */
  unhealthy_threshold: withDefault(int({ min: 1, max: 100 }), 2),
};
export type GatewayHealthCheckConfig = ObjectValue<typeof healthCheckFields>;

const routeFields = {
  /** A path prefix starting with `/`; the longest matching prefix wins. */
  path: required(str({ pattern: /^\/\S*$/, expected: 'a path starting with /' })),
  upstreams: required(list(upstreamSchema, { minItems: 1 })),
  /** @default the site's */
  balance: optional(balance),
  /** @default the site's */
  max_body_bytes: optional(byteSize()),
};
const routeSchema = object(routeFields, { expected: 'a route ({ path, upstreams })' });
export type GatewayRouteConfig = ObjectValue<typeof routeFields>;

/** A rule id or an inclusive range: `942100`, `920000-920999`. */
const ruleIdRange = scalar<string>('a rule id or range like 942100 or 920000-920999', (text) => {
  const m = /^(\d{1,9})(?:-(\d{1,9}))?$/.exec(text.trim());
  if (m === null) return undefined;
  if (m[2] !== undefined && Number(m[2]) < Number(m[1]))
    return { error: `rule id range ${text} ends before it starts` };
  return m[2] === undefined ? m[1] : `${m[1]}-${m[2]}`;
});

const exclusionFields = {
  /** Rule ids or ranges the exclusion applies to (as SecRuleRemoveById takes them). */
  rule_ids: withDefault(list(ruleIdRange), () => []),
  /** Rule tags (`attack-sqli`, `paranoia-level/3`), as SecRuleRemoveByTag takes them. */
  rule_tags: withDefault(list(str({ nonEmpty: true, expected: 'a rule tag' })), () => []),
  /**
   * Variables those rules stop inspecting (`ARGS:password`, `REQUEST_COOKIES:/^session/`), as
   * SecRuleUpdateTargetById takes them; without it the rules are removed.
   */
  targets: optional(list(str({ nonEmpty: true, expected: 'a SecLang target like ARGS:password' }), { minItems: 1 })),
  /** Request path prefixes the exclusion is limited to. @default every path */
  paths: withDefault(list(str({ pattern: /^\/\S*$/, expected: 'a path starting with /' })), () => []),
  /** Why the exclusion exists, for the next reader. */
  reason: optional(str()),
};
const exclusionSchema = object(exclusionFields, {
  expected: 'an exclusion ({ rule_ids | rule_tags, targets?, paths?, reason? })',
  check(v, report) {
    if (v.rule_ids.length === 0 && v.rule_tags.length === 0) {
      report('rule_ids', 'an exclusion needs rule_ids or rule_tags');
    }
  },
});
export type GatewayWafExclusionConfig = ObjectValue<typeof exclusionFields>;

const wafFields = {
  /** Inspect the site's traffic; without `crs_dir`, the built-in baseline rules run. */
  enabled: withDefault(bool(), true),
  /** `blocking` interrupts matching requests; `detection_only` only reports them. */
  mode: withDefault(oneOf(['blocking', 'detection_only'] as const), 'blocking'),
  paranoia_level: withDefault(int({ min: 1, max: 4 }), 1),
  /**
   * The OWASP CRS directory (rules/ and crs-setup.conf, or the shipped crs-setup.conf.example). Without it a
   * compact built-in baseline runs: full protection needs CRS.
   */
  crs_dir: optional(filePath()),
  /**
   * CRS's setup file, when it is not in `crs_dir` (Debian's modsecurity-crs: /etc/modsecurity/crs/crs-setup.conf).
   * @default <crs_dir>/crs-setup.conf, else <crs_dir>/crs-setup.conf.example
   */
  crs_setup_file: optional(filePath()),
  /**
   * SecLang files loaded after crs-setup.conf and before the rules (CRS's REQUEST-900 slot: settings and
   * run-time exclusions with `ctl:`); without `crs_dir`, before the baseline.
   */
  rules_before_crs: withDefault(list(filePath()), () => []),
  /** SecLang files loaded after the rules (CRS's RESPONSE-999 slot: SecRuleRemoveById, SecRuleUpdateTargetById). */
  rules_after_crs: withDefault(list(filePath()), () => []),
  /** The site's exclusions, applied to each of its requests before phase 1 (a `path` limits one to a prefix). */
  exclusions: withDefault(list(exclusionSchema), () => []),
};
export type GatewayWafConfig = ObjectValue<typeof wafFields>;

const siteTlsFields = {
  /** PEM certificate chain; re-read when the file changes. Without it, a self-signed certificate is used. */
  cert_file: optional(filePath()),
  key_file: optional(filePath()),
};

const siteFields = {
  /** Names matched against `Host` and SNI, case-insensitively. */
  hosts: required(list(hostName, { minItems: 1 })),
  tls: optional(
    object(siteTlsFields, {
      check(v, report) {
        if ((v.cert_file === undefined) !== (v.key_file === undefined)) {
          report(v.cert_file === undefined ? 'key_file' : 'cert_file', 'cert_file and key_file must be set together');
        }
      },
    }),
  ),
  upstreams: required(list(upstreamSchema, { minItems: 1 })),
  balance: withDefault(balance, 'round_robin'),
  /** Active checks; without them, an upstream that refuses a connection is skipped for 10s. */
  health_check: optional(object(healthCheckFields)),
  routes: withDefault(list(routeSchema), () => []),
  /** @default gateway.limits.max_body_bytes */
  max_body_bytes: optional(byteSize()),
  waf: section(object(wafFields)),
};
const siteSchema = object(siteFields, {
  expected: 'a site ({ hosts, upstreams, ... })',
  check(v, report) {
    const seen = new Set<string>();
    v.routes.forEach((r, i) => {
      if (seen.has(r.path)) report(['routes', i, 'path'], `route path ${r.path} is given twice`);
      seen.add(r.path);
    });
  },
});
export type GatewaySiteConfig = ObjectValue<typeof siteFields>;

const hstsFields = {
  /** 0 sends no Strict-Transport-Security header. */
  max_age: withDefault(duration({ minMs: 0 }), 180 * 86_400_000),
  include_subdomains: withDefault(bool(), false),
  preload: withDefault(bool(), false),
};

const limitsFields = {
  /** Largest request head (request line and headers); larger ones get 431. */
  max_header_bytes: withDefault(byteSize(), 16 * 1024),
  /** Most request headers; more get 431. */
  max_header_count: withDefault(int({ min: 8, max: 10_000 }), 100),
  /** Largest request body; larger ones get 413. Sites may set their own. */
  max_body_bytes: withDefault(byteSize(), 10 * 1024 * 1024),
  /** Time to receive the request head; slower clients get 408. */
  header_timeout: withDefault(duration({ minMs: 100 }), 10_000),
  /** Time to receive the request body after the head. */
  body_timeout: withDefault(duration({ minMs: 100 }), 60_000),
  /** How long an idle client connection stays open. */
  idle_timeout: withDefault(duration({ minMs: 100 }), 60_000),
  /** Time to connect to an upstream; then 502 (refused) or 504. */
  upstream_connect_timeout: withDefault(duration({ minMs: 10 }), 5_000),
  /** Time for an upstream to start answering; then 504. */
  upstream_response_timeout: withDefault(duration({ minMs: 10 }), 60_000),
  /** Idle keep-alive connections kept per upstream. */
  upstream_idle_connections: withDefault(int({ min: 0, max: 10_000 }), 64),
  /** On shutdown, how long in-flight requests may take. */
  shutdown_timeout: withDefault(duration({ minMs: 0 }), 10_000),
};
export type GatewayLimits = ObjectValue<typeof limitsFields>;

const auditLogFields = {
  /** JSON lines, one per request a WAF rule matched. @default <data-dir>/gateway-audit.log */
  path: optional(filePath()),
  /** A request header (e.g. X-CRS-Test) whose requests are logged, with its value, even when nothing matched. */
  marker_header: optional(str({ pattern: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, expected: 'a header name' })),
};

const eventsToFields = {
  /** A `vigil start` server's base URL (`https://vigil.internal:9090`); events go to its `/api/v1/security/events`. */
  url: required(url(['http', 'https'])),
  /** Events gathered into one request for at most this long. */
  batch_interval: withDefault(duration({ minMs: 10 }), 1000),
  ...httpClientFields,
};
export type GatewayEventsToConfig = ObjectValue<typeof eventsToFields>;

const gatewayFields = {
  /** The TLS listener (HTTP/1.1 and HTTP/2 by ALPN). */
  listen: withDefault(hostPort(), ':8443'),
  /** Plain HTTP, answering every request with a 308 redirect to https; `none` turns it off. */
  redirect_listen: withDefault(listenOrNone(), ':8080'),
  /** The HTTPS port clients reach (e.g. 443 mapped to 8443 by Docker), for redirects. @default the listen port */
  public_https_port: optional(int({ min: 1, max: 65535 })),
  /** `/metrics` of `vigil gateway` (plain HTTP); inside `vigil start` the metrics are on vigil's own. */
  metrics_listen: withDefault(listenOrNone(), '127.0.0.1:9145'),
  /**
   * A bearer token `/metrics` of `vigil gateway` asks for (Prometheus: `authorization: { credentials_file }`);
   * required when `metrics_listen` is reachable from other hosts. Or `metrics_token_file`.
   */
  metrics_token: secretField('metrics_token_file'),
  /** Peers whose X-Forwarded-For / Forwarded / X-Forwarded-Proto are believed. */
  trusted_proxies: withDefault(list(cidr), () => []),
  hsts: section(object(hstsFields)),
  limits: section(object(limitsFields)),
  /** One info line per request, with its X-Request-Id. */
  access_log: withDefault(bool(), true),
  /** The WAF audit log: JSON lines, one per request a rule matched (src/gateway/audit-log.ts). */
  audit_log: section(object(auditLogFields)),
  /**
   * For `vigil gateway` on an edge host: where its security events go (a `vigil start` server, with an admin
   * token in `authorization`), through a durable outbox in its data directory. Inside `vigil start` the events
   * are stored locally and this is not used.
   */
  events_to: optional(
    object(eventsToFields, { expected: 'a vigil server ({ url, authorization, ... })', check: checkHttpClient }),
  ),
  sites: required(list(siteSchema, { minItems: 1 })),
};

function hostPort(): Schema<string> {
  return scalar('host:port like :8443', (text) => (parseHostPort(text) ? text : undefined));
}

/** Whether a listen host only accepts connections from this machine. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export const gatewaySchema = object(gatewayFields, {
  check(v, report) {
    const owner = new Map<string, number>();
    v.sites.forEach((s, i) => {
      s.hosts.forEach((h, j) => {
        const first = owner.get(h);
        if (first !== undefined) report(['sites', i, 'hosts', j], `host ${h} is also served by sites[${first}]`);
        else owner.set(h, i);
      });
    });
    if (v.limits.max_header_bytes < 1024) report(['limits', 'max_header_bytes'], 'expected at least 1KiB');
    const metricsHost = v.metrics_listen === null ? undefined : parseHostPort(v.metrics_listen)?.host;
    if (metricsHost !== undefined && !isLoopback(metricsHost) && v.metrics_token === undefined) {
      report(
        'metrics_listen',
        `${v.metrics_listen} is reachable from other hosts: set gateway.metrics_token_file (the token Prometheus sends with authorization.credentials_file), or listen on 127.0.0.1`,
      );
    }
  },
});
export type GatewayConfig = ObjectValue<typeof gatewayFields>;
