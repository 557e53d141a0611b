import type { HttpClientConfig, Secret, TlsConfig } from '../config/index.ts';

/**
 * The JSON object posted to a Slack incoming webhook. Slack needs at least one of a non-empty `text`,
 * `blocks` or `attachments`; with blocks or attachments, `text` is the notification fallback. `channel`,
 * `username` and the icons only matter to legacy webhooks (an app's webhook ignores them).
 */
export interface SlackPayload {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  channel?: string;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
  [field: string]: unknown;
}

/**
 * Outgoing HTTP settings: Prometheus' `http_config` as the config module decodes it, every key optional.
 * Supported: `basic_auth`, `authorization`, `bearer_token`, `tls_config` (all keys), `follow_redirects`, and
 * `http://` proxies with `proxy_url`, `no_proxy`, `proxy_from_environment` and `proxy_connect_header`
 * (HTTPS through CONNECT). `enable_http2` is ignored (requests use HTTP/1.1). An `https://` or `socks5://`
 * `proxy_url` is refused: `checkHttpSettings` says so, and `Outbox.enqueue` throws UnsupportedSettingError.
 */
export type HttpSettings = Partial<Omit<HttpClientConfig, 'tls_config'>> & { tls_config?: Partial<TlsConfig> };

/**
 * An SMTP server and how to talk to it, as Alertmanager's `email_configs` (with `global.smtp_*` filled in).
 * Port 465 means TLS from the first byte; any other port starts in plain text and, with `requireTls`, must
 * upgrade with STARTTLS or the send fails (as Alertmanager does, `requireTls: false` never upgrades). AUTH
 * (PLAIN or LOGIN, whichever the server offers) is used when `username` is set.
 */
export interface SmtpSettings {
  smarthost: { host: string; port: number };
  /** The name sent in EHLO. @default 'localhost' */
  hello?: string;
  /** @default true */
  requireTls?: boolean;
  username?: string;
  password?: string | Secret;
  /** Accepted for Alertmanager compatibility; the authorization identity is left empty. */
  identity?: string;
  tls?: Partial<TlsConfig>;
}

/** A rendered message and where it goes. Everything needed to deliver it is stored with it. */
export type Message =
  | { kind: 'slack'; url: string | Secret; body: SlackPayload; http?: HttpSettings }
  | {
      kind: 'webhook';
      url: string | Secret;
      /** Posted as JSON. */
      body: unknown;
      /** Extra request headers; `Content-Type`, `Content-Length` and `User-Agent` are set by the sender. */
      headers?: Record<string, string>;
      /** Overrides the outbox's request timeout for this message. */
      timeoutMs?: number;
      http?: HttpSettings;
    }
  | {
      kind: 'email';
      smtp: SmtpSettings;
      from: string;
      /** One address or several, comma-separated. */
      to: string;
      subject: string;
      html?: string;
      text?: string;
      headers?: Record<string, string>;
    };

export type Channel = Message['kind'];

/** Who asked for a message, for lists, logs and metrics. Never holds a secret. */
export interface MessageMeta {
  /** The module that built the message: `alerting`, `chatops`, `gateway`, `reports`. */
  source: string;
  receiver: string;
  /** The integration within the receiver, e.g. `slack/0`. */
  integration: string;
  /** One line describing the message, for lists. */
  summary: string;
  /**
   * Ordering within a destination: messages of one stream are delivered in enqueue order (one in backoff holds
   * back the later ones); different streams to the same destination are delivered independently (rate limits
   * still apply per destination). Alerting uses one stream per alert group. @default '' (one stream)
   */
  stream?: string;
}

/** A message that will not be delivered unless retried: a permanent error, or too old to keep trying. */
export interface DeadLetter {
  id: number;
  channel: Channel;
  meta: MessageMeta;
  /** Unix milliseconds. */
  enqueuedAt: number;
  diedAt: number;
  attempts: number;
  /** Why it died, e.g. `404 channel_not_found`. Never holds a URL or a secret. */
  reason: string;
}

/** The latest outcome of one message. */
export interface DeliveryRecord {
  id: number;
  channel: Channel;
  meta: MessageMeta;
  /** Unix milliseconds of the latest attempt. */
  time: number;
  /** `failed`: the last attempt failed and another is scheduled. */
  status: 'sent' | 'failed' | 'dead';
  attempts: number;
  /** Never holds a URL or a secret. */
  lastError: string | null;
}
