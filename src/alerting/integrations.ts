/**
 * A receiver's integrations (each `*_configs` entry) and how each renders a notification into a message for
 * the outbox: Slack (Block Kit in a coloured attachment, with a plain-text fallback), webhook (Alertmanager's
 * JSON payload, version 4), email (HTML and text parts over SMTP).
 */
import type { EmailConfig, GlobalConfig, Receiver, SlackConfig, WebhookConfig } from '../config/index.ts';
import { parseHostPort } from '../model/index.ts';
import { escapeMrkdwn, type Message, type SlackPayload } from '../notify/index.ts';
import type { TemplateSet } from '../template/index.ts';
import type { Alert, LabelSet } from './alert.ts';
import { alertStatus, common, quoteMeta, type TemplateData, webhookAlert } from './template-data.ts';

export interface Integration {
  /** `slack/0`, `webhook/1`, `email/0`: the kind and the index among the receiver's entries of that kind. */
  readonly name: string;
  readonly kind: 'slack' | 'webhook' | 'email';
  readonly sendResolved: boolean;
  render(ctx: RenderContext): Promise<Message>;
}

export interface RenderContext {
  /** The template data of the notification (built on first call). */
  readonly data: () => TemplateData;
  /** The receiver's name as configured. */
  readonly receiver: string;
  readonly groupLabels: LabelSet;
  readonly externalURL: string;
  readonly alerts: readonly Alert[];
  readonly groupKey: string;
  readonly templates: TemplateSet;
  readonly now: number;
}

/** The integrations of a receiver, in Alertmanager's order (email, …, slack, webhook by config kind). */
export function integrationsOf(r: Receiver, global: GlobalConfig): Integration[] {
  return [
    ...r.email_configs.map((c, i) => emailIntegration(c, i, global)),
    ...r.slack_configs.map((c, i) => slackIntegration(c, i, global)),
    ...r.webhook_configs.map((c, i) => webhookIntegration(c, i)),
  ];
}

/** Renders one template text from a config field against the data (a text without actions as it is). */
function render(t: TemplateSet, text: string, data: TemplateData): Promise<string> {
  return text.includes('{{') ? t.render(text, data) : Promise.resolve(text);
}

function webhookIntegration(c: WebhookConfig, index: number): Integration {
  return {
    name: `webhook/${index}`,
    kind: 'webhook',
    sendResolved: c.send_resolved,
    async render({ receiver, groupLabels, externalURL, alerts, groupKey, now }) {
      const max = c.max_alerts;
      const sent = max > 0 ? alerts.slice(0, max) : alerts;
      // As Alertmanager: status and the common labels come from the alerts sent (after truncation).
      const body = {
        receiver: quoteMeta(receiver),
        status: sent.some((a) => alertStatus(a, now) === 'firing') ? 'firing' : 'resolved',
        alerts: sent.map((a) => webhookAlert(a, now)),
        groupLabels,
        commonLabels: common(sent.map((a) => a.labels)),
        commonAnnotations: common(sent.map((a) => a.annotations)),
        externalURL,
        version: '4',
        groupKey,
        truncatedAlerts: alerts.length - sent.length,
      };
      return {
        kind: 'webhook',
        url: c.url as NonNullable<typeof c.url>,
        body,
        ...(c.timeout > 0 ? { timeoutMs: c.timeout } : {}),
        ...(c.http_config ? { http: c.http_config } : {}),
      };
    },
  };
}

/** Slack's legacy colour names, which attachments accept, by severity of a firing notification. */
const severityColor: Record<string, string> = {
  critical: 'danger',
  error: 'danger',
  warning: 'warning',
  info: '#439FE0',
};
const defaultColor = '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}';

function slackIntegration(c: SlackConfig, index: number, global: GlobalConfig): Integration {
  const url = c.api_url ?? global.slack_api_url;
  return {
    name: `slack/${index}`,
    kind: 'slack',
    sendResolved: c.send_resolved,
    async render(ctx) {
      const { templates } = ctx;
      const data = ctx.data();
      const r = (text: string | undefined) =>
        text === undefined ? Promise.resolve('') : render(templates, text, data);
      const [title, titleLink, text, pretext, fallback, footer, username, channel, iconEmoji, iconUrl] =
        await Promise.all([
          r(c.title),
          r(c.title_link),
          r(c.text),
          r(c.pretext),
          r(c.fallback),
          r(c.footer),
          r(c.username),
          r(c.channel),
          r(c.icon_emoji),
          r(c.icon_url),
        ]);
      // The default colour follows severity while firing; a configured colour template is used as written.
      const severity = data.CommonLabels.get('severity') ?? '';
      const color =
        c.color === defaultColor
          ? data.Status === 'firing'
            ? (severityColor[severity] ?? 'danger')
            : 'good'
          : await r(c.color);
      const fields = await Promise.all(
        c.fields.map(async (f) => ({
          title: await r(f.title),
          value: await r(f.value),
          short: f.short ?? c.short_fields,
        })),
      );
      const blocks: unknown[] = [];
      if (pretext !== '') blocks.push(section(pretext));
      const heading =
        titleLink === '' ? escapeMrkdwn(title) : `<${titleLink}|${escapeMrkdwn(title).replace(/\|/g, '¦')}>`;
      blocks.push(section(`*${heading}*`));
      if (text.trim() !== '') blocks.push(section(text));
      const shown = fields.filter((f) => f.title !== '' || f.value !== '').slice(0, 10);
      if (shown.length > 0) {
        blocks.push({
          type: 'section',
          fields: shown.map((f) => ({
            type: 'mrkdwn',
            text: clip(`*${escapeMrkdwn(f.title)}*\n${escapeMrkdwn(f.value)}`, 2000),
          })),
        });
      }
      const buttons = c.actions
        .filter((a) => a.url)
        .slice(0, 25)
        .map(async (a) => ({
          type: 'button',
          text: { type: 'plain_text', text: clip(await r(a.text), 75) },
          url: await r(a.url),
          ...(a.style === 'primary' || a.style === 'danger' ? { style: a.style } : {}),
        }));
      if (buttons.length > 0) blocks.push({ type: 'actions', elements: await Promise.all(buttons) });
      if (footer !== '') blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(footer, 3000) }] });
      const body: SlackPayload = {
        text: fallback === '' ? title : fallback,
        attachments: [{ color, fallback: fallback === '' ? title : fallback, blocks }],
        ...(channel !== '' ? { channel } : {}),
        ...(username !== '' ? { username } : {}),
        ...(iconEmoji !== '' ? { icon_emoji: iconEmoji } : iconUrl !== '' ? { icon_url: iconUrl } : {}),
        ...(c.link_names ? { link_names: true } : {}),
      };
      return {
        kind: 'slack',
        url: url as NonNullable<typeof url>,
        body,
        ...(c.http_config ? { http: c.http_config } : {}),
      };
    },
  };
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } });

/** Cuts text to Slack's limit for the field, marking the cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function emailIntegration(c: EmailConfig, index: number, global: GlobalConfig): Integration {
  const smarthost = c.smarthost ?? global.smtp_smarthost;
  const password = c.auth_password ?? global.smtp_auth_password;
  const username = c.auth_username ?? global.smtp_auth_username;
  const tls = c.tls_config ?? global.smtp_tls_config;
  return {
    name: `email/${index}`,
    kind: 'email',
    sendResolved: c.send_resolved,
    async render(ctx) {
      const { templates } = ctx;
      const data = ctx.data();
      const r = (text: string) => render(templates, text, data);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(c.headers)) headers[k] = await r(v);
      const subject = headers.Subject ?? (await r('{{ template "email.default.subject" . }}'));
      const from = headers.From ?? (await r(c.from ?? global.smtp_from ?? ''));
      const to = headers.To ?? (await r(c.to));
      for (const k of ['Subject', 'From', 'To']) delete headers[k];
      const html = c.html === '' ? undefined : await r(c.html);
      // Alertmanager sends only HTML unless `text` is set; vigil adds a plain-text part by default.
      const text = await r(c.text ?? '{{ template "email.vigil.text" . }}');
      return {
        kind: 'email',
        smtp: {
          smarthost: parseHostPort(smarthost ?? '') ?? { host: '', port: 25 },
          hello: c.hello ?? global.smtp_hello,
          requireTls: c.require_tls ?? global.smtp_require_tls,
          ...(username !== undefined ? { username } : {}),
          ...(password !== undefined ? { password } : {}),
          ...(tls !== undefined ? { tls } : {}),
        },
        from,
        to,
        subject,
        ...(html !== undefined ? { html } : {}),
        ...(text !== undefined ? { text } : {}),
        headers,
      };
    },
  };
}

/** The one-line summary shown in delivery lists: status, count and alert names. */
export function summaryOf(alerts: readonly Alert[], now: number): string {
  const firing = alerts.filter((a) => alertStatus(a, now) === 'firing').length;
  const names = [...new Set(alerts.map((a) => a.labels.alertname ?? ''))].filter((n) => n !== '').join(', ');
  return firing > 0 ? `[FIRING:${firing}] ${names}` : `[RESOLVED] ${names}`;
}
