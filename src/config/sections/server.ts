/** vigil's own `server` section: listen address, TLS, authentication, limits and logging. */
import { isScalar } from 'yaml';
import {
  byteSize,
  duration,
  hostPort,
  INVALID,
  int,
  list,
  type ObjectValue,
  object,
  oneOf,
  optional,
  type Schema,
  section,
  str,
  url,
  withDefault,
} from '../schema.ts';

const tlsFields = {
  /** PEM certificate chain; the server serves HTTPS when set (with key_file). */
  cert_file: optional(str({ nonEmpty: true })),
  key_file: optional(str({ nonEmpty: true })),
};

const authFields = {
  /** `on` (default) or `none`, which turns authentication off and logs a warning at start. */
  mode: withDefault(oneOf(['on', 'none'] as const), 'on'),
  /** Paths served without authentication: exact paths, or prefixes ending in `*`. */
  public_paths: withDefault(list(str({ pattern: /^\/\S*$/, expected: 'a path starting with /' })), ['/-/healthy']),
  /** How long a browser session lasts after login. */
  session_ttl: withDefault(duration({ minMs: 60_000 }), 12 * 3600_000),
  /** Failed logins allowed from one IP within `login_failure_window` before it is refused with 429. */
  max_login_failures: withDefault(int({ min: 1 }), 10),
  login_failure_window: withDefault(duration({ minMs: 1000 }), 5 * 60_000),
};

const authObject = object(authFields);
export type AuthConfig = ObjectValue<typeof authFields>;

/** `auth: none` as a shorthand for `auth: { mode: none }`. */
const authSchema: Schema<AuthConfig> = {
  expected: `"none" or ${authObject.expected}`,
  decode(node, ctx, path) {
    if (node !== null && isScalar(node) && node.value === 'none') {
      const v = authObject.decode(null, ctx, path);
      return v === INVALID ? v : { ...v, mode: 'none' };
    }
    return authObject.decode(node, ctx, path);
  },
  encode: (v) => (v.mode === 'none' ? 'none' : authObject.encode(v)),
};

const limitsFields = {
  /** Largest request body accepted; larger ones get 413. */
  max_body_bytes: withDefault(byteSize(), 4 * 1024 * 1024),
  /** Largest request head (request line and headers); larger ones get 431. */
  max_header_bytes: withDefault(byteSize(), 16 * 1024),
  /** Most request headers accepted; more get 431. */
  max_header_count: withDefault(int({ min: 8, max: 10_000 }), 100),
  /** Time to receive the request head. */
  header_timeout: withDefault(duration({ minMs: 1000 }), 10_000),
  /** Time to receive a whole request, body included. */
  request_timeout: withDefault(duration({ minMs: 1000 }), 60_000),
  /** How long an idle keep-alive connection stays open. */
  keep_alive_timeout: withDefault(duration({ minMs: 100 }), 5_000),
  /** On shutdown, how long in-flight requests may take before their connections are closed. */
  shutdown_timeout: withDefault(duration({ minMs: 0 }), 10_000),
};

export const serverFields = {
  /** Address of the UI and APIs; `--listen` overrides. */
  listen: withDefault(hostPort(), '127.0.0.1:9090'),
  /** The URL users reach vigil at, when behind a proxy; used in links sent out. */
  external_url: optional(url()),
  tls: optional(
    object(tlsFields, {
      check(v, report) {
        if ((v.cert_file === undefined) !== (v.key_file === undefined)) {
          report(v.cert_file === undefined ? 'key_file' : 'cert_file', 'cert_file and key_file must be set together');
        }
      },
    }),
  ),
  auth: section(authSchema),
  limits: section(object(limitsFields)),
  /** `--log-level` overrides. */
  log_level: withDefault(oneOf(['debug', 'info', 'warn', 'error'] as const), 'info'),
  /** `auto`: readable lines on a terminal, JSON otherwise. */
  log_format: withDefault(oneOf(['auto', 'json', 'human'] as const), 'auto'),
};

export const serverSchema = object(serverFields);
export type ServerConfig = ObjectValue<typeof serverFields>;
