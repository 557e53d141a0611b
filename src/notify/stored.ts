/**
 * The form a message takes in the outbox row: plain JSON with every secret revealed (the row must be enough
 * to deliver after a restart), settings validated and reduced to what the senders use. Nothing here is ever
 * logged or returned to callers.
 */
import { createHash } from 'node:crypto';
import { Secret, type TlsConfig } from '../config/index.ts';
import { InvalidMessageError, UnsupportedSettingError } from './errors.ts';
import type { StoredProxy } from './proxy.ts';
import type { HttpSettings, Message, SlackPayload } from './types.ts';

export interface StoredTls {
  ca?: string;
  caFile?: string;
  cert?: string;
  certFile?: string;
  key?: string;
  serverName?: string;
  insecureSkipVerify?: boolean;
  minVersion?: TlsConfig['min_version'];
  maxVersion?: TlsConfig['max_version'];
}

export interface StoredHttp {
  /** The `Authorization` header value. */
  authorization?: string;
  tls?: StoredTls;
  followRedirects: boolean;
  proxy?: StoredProxy;
}

export type StoredMessage =
  | { kind: 'slack'; url: string; body: SlackPayload; http: StoredHttp }
  | {
      kind: 'webhook';
      url: string;
      body: unknown;
      headers: Record<string, string>;
      timeoutMs?: number;
      http: StoredHttp;
    }
  | {
      kind: 'email';
      smtp: {
        host: string;
        port: number;
        hello: string;
        requireTls: boolean;
        username?: string;
        password?: string;
        tls?: StoredTls;
      };
      from: string;
      to: string;
      subject: string;
      html?: string;
      text?: string;
      headers: Record<string, string>;
    };

const reveal = (s: string | Secret | undefined): string | undefined => (s instanceof Secret ? s.reveal() : s);

/**
 * The first setting of `http` that the senders cannot honour, as its config key and why (`proxy_url: only
 * http:// proxies are supported`), or undefined when all are supported. Config compilers can refuse such a
 * config at load; `Outbox.enqueue` throws UnsupportedSettingError for it.
 */
export function checkHttpSettings(http: HttpSettings | undefined): string | undefined {
  if (http?.proxy_url === undefined || http.proxy_url === '') return undefined;
  let scheme: string;
  try {
    scheme = new URL(http.proxy_url).protocol;
  } catch {
    return 'proxy_url: not a valid URL';
  }
  return scheme === 'http:' ? undefined : `proxy_url: only http:// proxies are supported, not ${scheme}//`;
}

function storedProxy(http: HttpSettings | undefined): StoredProxy | undefined {
  const url = http?.proxy_from_environment ? 'environment' : http?.proxy_url || undefined;
  if (url === undefined) return undefined;
  const out: StoredProxy = { url };
  if (http?.no_proxy) out.noProxy = http.no_proxy;
  const headers = http?.proxy_connect_header;
  if (headers !== undefined && Object.keys(headers).length > 0) {
    out.connectHeaders = Object.fromEntries(
      Object.entries(headers).map(([k, vs]) => [k, vs.map((v) => reveal(v) ?? '')]),
    );
  }
  return out;
}

function storedTls(t: Partial<TlsConfig> | undefined): StoredTls | undefined {
  if (t === undefined) return undefined;
  const out: StoredTls = {};
  if (t.ca) out.ca = t.ca;
  if (t.ca_file) out.caFile = t.ca_file;
  if (t.cert) out.cert = t.cert;
  if (t.cert_file) out.certFile = t.cert_file;
  const key = reveal(t.key);
  if (key) out.key = key;
  if (t.server_name) out.serverName = t.server_name;
  if (t.insecure_skip_verify) out.insecureSkipVerify = true;
  if (t.min_version) out.minVersion = t.min_version;
  if (t.max_version) out.maxVersion = t.max_version;
  return Object.keys(out).length > 0 ? out : undefined;
}

function storedHttp(http: HttpSettings | undefined): StoredHttp {
  const unsupported = checkHttpSettings(http);
  if (unsupported !== undefined) throw new UnsupportedSettingError(`http_config.${unsupported}`);
  const out: StoredHttp = { followRedirects: http?.follow_redirects ?? true };
  const proxy = storedProxy(http);
  if (proxy !== undefined) out.proxy = proxy;
  if (http?.basic_auth !== undefined) {
    const user = reveal(http.basic_auth.username) ?? '';
    const pass = reveal(http.basic_auth.password) ?? '';
    out.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  } else if (http?.authorization !== undefined && reveal(http.authorization.credentials)) {
    out.authorization = `${http.authorization.type || 'Bearer'} ${reveal(http.authorization.credentials)}`;
  } else if (reveal(http?.bearer_token)) {
    out.authorization = `Bearer ${reveal(http?.bearer_token)}`;
  }
  const tls = storedTls(http?.tls_config);
  if (tls !== undefined) out.tls = tls;
  return out;
}

function httpUrl(field: string, value: string | Secret): string {
  const text = reveal(value) ?? '';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new InvalidMessageError(field, 'not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidMessageError(field, 'not an http(s) URL');
  return text;
}

/** Validates a message and turns it into its stored form. Throws InvalidMessageError, UnsupportedSettingError. */
export function toStored(m: Message): StoredMessage {
  switch (m.kind) {
    case 'slack': {
      if (typeof m.body !== 'object' || m.body === null || Array.isArray(m.body))
        throw new InvalidMessageError('body', 'a Slack payload must be a JSON object');
      return { kind: 'slack', url: httpUrl('url', m.url), body: m.body, http: storedHttp(m.http) };
    }
    case 'webhook': {
      if (m.timeoutMs !== undefined && !(Number.isFinite(m.timeoutMs) && m.timeoutMs > 0))
        throw new InvalidMessageError('timeoutMs', `expected a positive number of milliseconds, got ${m.timeoutMs}`);
      const out: StoredMessage = {
        kind: 'webhook',
        url: httpUrl('url', m.url),
        body: m.body,
        headers: { ...m.headers },
        http: storedHttp(m.http),
      };
      if (m.timeoutMs !== undefined) out.timeoutMs = m.timeoutMs;
      return out;
    }
    case 'email': {
      const s = m.smtp;
      if (!s?.smarthost?.host) throw new InvalidMessageError('smtp.smarthost', 'no SMTP host');
      if (!Number.isInteger(s.smarthost.port) || s.smarthost.port < 1 || s.smarthost.port > 65535)
        throw new InvalidMessageError('smtp.smarthost', `invalid port ${s.smarthost.port}`);
      if (!m.from) throw new InvalidMessageError('from', 'no sender address');
      if (!m.to) throw new InvalidMessageError('to', 'no recipient address');
      const smtp: Extract<StoredMessage, { kind: 'email' }>['smtp'] = {
        host: s.smarthost.host,
        port: s.smarthost.port,
        hello: s.hello || 'localhost',
        requireTls: s.requireTls ?? true,
      };
      if (s.username) smtp.username = s.username;
      const password = reveal(s.password);
      if (password) smtp.password = password;
      const tls = storedTls(s.tls);
      if (tls !== undefined) smtp.tls = tls;
      const out: StoredMessage = {
        kind: 'email',
        smtp,
        from: m.from,
        to: m.to,
        subject: m.subject,
        headers: { ...m.headers },
      };
      if (m.html !== undefined) out.html = m.html;
      if (m.text !== undefined) out.text = m.text;
      return out;
    }
    default:
      throw new InvalidMessageError('kind', `unknown channel ${JSON.stringify((m as { kind: unknown }).kind)}`);
  }
}

/**
 * The key that orders deliveries: messages with the same key go out one at a time, in enqueue order. A
 * SHA-256, so the column holds no URL. Slack and webhooks: the URL; email: the server and the recipients.
 */
export function destinationOf(m: StoredMessage): string {
  const key =
    m.kind === 'email'
      ? `email ${m.smtp.host}:${m.smtp.port} ${m.to.toLowerCase().replace(/\s+/g, '')}`
      : `${m.kind} ${m.url}`;
  return createHash('sha256').update(key).digest('hex');
}

/** The strings that must never appear in a log line or stored error: URLs and their paths, passwords. */
export function secretsOf(m: StoredMessage): string[] {
  const out: string[] = [];
  if (m.kind === 'email') {
    if (m.smtp.password) out.push(m.smtp.password);
  } else {
    out.push(m.url);
    const u = new URL(m.url);
    if (u.pathname.length > 1) out.push(u.pathname);
    if (u.search.length > 1) out.push(u.search);
    if (m.http.authorization) out.push(m.http.authorization);
    if (m.http.proxy !== undefined && m.http.proxy.url !== 'environment') out.push(m.http.proxy.url);
    for (const vs of Object.values(m.http.proxy?.connectHeaders ?? {})) out.push(...vs);
  }
  return out;
}

/** `text` with every occurrence of each secret replaced by `<secret>`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('<secret>');
  return out;
}
