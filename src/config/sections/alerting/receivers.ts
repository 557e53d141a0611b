/**
 * Alertmanager's `receivers`: named sets of integrations. vigil supports `slack_configs`, `webhook_configs` and
 * `email_configs`; other `*_configs` are unknown keys.
 */
import {
  bool,
  duration,
  emptyRecord,
  hostPort,
  type Infer,
  int,
  list,
  object,
  optional,
  record,
  refine,
  required,
  secretField,
  str,
  transformed,
  withDefault,
} from '../../schema.ts';
import { httpClientConfig, secretUrlField, tlsConfig } from '../http-client.ts';
import { q } from './shared.ts';

const tpl = (name: string) => `{{ template "${name}" . }}`;

const slackField = object({
  title: required(str({ nonEmpty: true })),
  value: required(str({ nonEmpty: true })),
  short: optional(bool()),
});

const slackAction = object(
  {
    type: required(str({ nonEmpty: true })),
    text: required(str({ nonEmpty: true })),
    url: optional(str()),
    style: optional(str()),
    name: optional(str()),
    value: optional(str()),
    confirm: optional(
      object({
        text: required(str({ nonEmpty: true })),
        title: optional(str()),
        ok_text: optional(str()),
        dismiss_text: optional(str()),
      }),
    ),
  },
  {
    check(a, report) {
      if (!a.url && !a.name) report(null, 'missing name or url in Slack action configuration');
    },
  },
);

/**
 * A `slack_configs` entry. Text fields default to Alertmanager's templates (`slack.default.*`); `api_url`
 * unset means `global.slack_api_url`, `http_config` unset means `global.http_config`. An action with `url`
 * is a link button (its name/value/confirm are ignored). `mrkdwn_in` unset means fallback, pretext, text.
 */
export const slackConfig = object({
  send_resolved: withDefault(bool(), false),
  http_config: optional(httpClientConfig),
  api_url: secretUrlField('api_url_file'),
  channel: optional(str()),
  username: withDefault(str(), tpl('slack.default.username')),
  color: withDefault(str(), '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}'),
  title: withDefault(str(), tpl('slack.default.title')),
  title_link: withDefault(str(), tpl('slack.default.titlelink')),
  pretext: withDefault(str(), tpl('slack.default.pretext')),
  text: withDefault(str(), tpl('slack.default.text')),
  fallback: withDefault(str(), tpl('slack.default.fallback')),
  callback_id: withDefault(str(), tpl('slack.default.callbackid')),
  footer: withDefault(str(), tpl('slack.default.footer')),
  icon_emoji: withDefault(str(), tpl('slack.default.iconemoji')),
  icon_url: withDefault(str(), tpl('slack.default.iconurl')),
  image_url: optional(str()),
  thumb_url: optional(str()),
  link_names: withDefault(bool(), false),
  short_fields: withDefault(bool(), false),
  mrkdwn_in: optional(list(str())),
  fields: withDefault(list(slackField), () => []),
  actions: withDefault(list(slackAction), () => []),
});
export type SlackConfig = Infer<typeof slackConfig>;

/**
 * A `webhook_configs` entry: `url` (or `url_file`) is required. `max_alerts` 0 sends all; `timeout` 0 means
 * none. `http_config` unset means `global.http_config`.
 */
export const webhookConfig = object(
  {
    send_resolved: withDefault(bool(), true),
    http_config: optional(httpClientConfig),
    url: secretUrlField('url_file'),
    max_alerts: withDefault(int({ min: 0 }), 0),
    timeout: withDefault(duration(), 0),
  },
  {
    check(c, report) {
      if (c.url === undefined) report(null, 'one of url or url_file must be configured');
    },
  },
);
export type WebhookConfig = Infer<typeof webhookConfig>;

const canonicalHeader = (h: string) =>
  /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h)
    ? h
        .split('-')
        .map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase())
        .join('-')
    : h;

/** Email headers, keys canonicalized (`x-team` → `X-Team`); two keys that canonicalize alike are an error. */
const emailHeaders = transformed(
  refine(record(str()), (h) => {
    const seen = new Set<string>();
    for (const k of Object.keys(h).map(canonicalHeader)) {
      if (seen.has(k)) return `duplicate header ${q(k)} in email config`;
      seen.add(k);
    }
    return undefined;
  }),
  (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [canonicalHeader(k), v])),
);

/**
 * An `email_configs` entry. Unset `from`, `smarthost`, `hello`, `auth_*`, `require_tls` and `tls_config` mean
 * the `global.smtp_*` value; `html` defaults to Alertmanager's `email.default.html` template.
 */
export const emailConfig = object({
  send_resolved: withDefault(bool(), false),
  to: required(str({ nonEmpty: true })),
  from: optional(str()),
  smarthost: optional(hostPort()),
  hello: optional(str()),
  auth_username: optional(str()),
  auth_password: secretField('auth_password_file'),
  auth_secret: secretField('auth_secret_file'),
  auth_identity: optional(str()),
  require_tls: optional(bool()),
  tls_config: optional(tlsConfig),
  headers: withDefault(emailHeaders, emptyRecord<string>()),
  html: withDefault(str(), tpl('email.default.html')),
  text: optional(str()),
});
export type EmailConfig = Infer<typeof emailConfig>;

/** A named receiver; each `*_configs` entry is an independent integration. */
export const receiver = object({
  name: required(str({ nonEmpty: true })),
  slack_configs: withDefault(list(slackConfig), () => []),
  webhook_configs: withDefault(list(webhookConfig), () => []),
  email_configs: withDefault(list(emailConfig), () => []),
});
export type Receiver = Infer<typeof receiver>;
