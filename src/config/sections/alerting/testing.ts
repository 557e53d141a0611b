/**
 * Fixtures for the alerting tests: the two roots the section is composed into, a realistic alertmanager.yml,
 * and a runner for tables of rejected files. Imported by tests only.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { object, type Schema, section } from '../../schema.ts';
import { issuesOf as configIssues } from '../../testing.ts';
import { globalConfig } from '../global.ts';
import { alertingSection, alertmanagerFields, checkAlertmanager } from './section.ts';

/** An alertmanager.yml root: Alertmanager's keys at the top level. */
export const alertmanagerYml = object(
  { global: section(globalConfig), ...alertmanagerFields },
  { check: (v, report) => checkAlertmanager(v, v.global, report, { requireRoute: true }) },
);

/** A vigil.yml root: everything under `alerting`. */
export const vigilYml = object(
  { global: section(globalConfig), alerting: section(alertingSection) },
  { check: (v, report) => checkAlertmanager(v.alerting, v.global, report, { at: ['alerting'] }) },
);

/** The lines of the ConfigError that decoding `text` must throw. */
export function issuesOf<T>(schema: Schema<T>, text: string, file = 'alertmanager.yml'): string[] {
  return configIssues(schema, text, { file });
}

/** An alertmanager.yml that refuses to load, and the issues it must report, in order. */
export type BadFile = { name: string; yaml: string; issues: Array<string | RegExp> };

/** One test per case, named `rejects: <name>`: decoding the case as an alertmanager.yml reports its issues. */
export function itRejects(cases: readonly BadFile[]): void {
  for (const c of cases) {
    it(`rejects: ${c.name}`, () => {
      const issues = issuesOf(alertmanagerYml, c.yaml);
      assert.equal(issues.length, c.issues.length, issues.join('\n'));
      c.issues.forEach((want, i) => {
        if (typeof want === 'string') assert.equal(issues[i], want);
        else assert.match(issues[i] as string, want);
      });
    });
  }
}

/** A realistic alertmanager.yml using every kind of key; its secrets come from {@link env}. */
export const fullAlertmanagerYml = `global:
  resolve_timeout: 5m
  smtp_smarthost: 'smtp.example.org:587'
  smtp_from: 'alertmanager@example.org'
  smtp_auth_username: 'alertmanager'
  smtp_auth_password: '\${SMTP_PASSWORD}'
  slack_api_url: '\${SLACK_WEBHOOK_URL}'

templates:
  - '/etc/alertmanager/templates/*.tmpl'

# The root route: everything goes to Slack unless a child route catches it.
route:
  receiver: ops-slack
  group_by: ['alertname', 'cluster', 'service']
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 3h
  routes:
    - matchers:
        - severity="critical"
      receiver: pager-webhook
      group_wait: 10s
      continue: true
    - matchers: ['team=~"security|secops"']
      receiver: security-email
      group_by: ['...']
      mute_time_intervals: [maintenance]
    - match_re:
        service: ^(foo1|foo2|baz)$
      receiver: ops-slack
      routes:
        - match:
            severity: warning
          receiver: team-mail
          active_time_intervals: [business-hours]

inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname, cluster, service]

receivers:
  - name: ops-slack
    slack_configs:
      - channel: '#ops-alerts'
        send_resolved: true
        text: >-
          {{ range .Alerts }}{{ .Annotations.summary }} {{ end }}
        actions:
          - type: button
            text: 'Runbook :green_book:'
            url: '{{ (index .Alerts 0).Annotations.runbook_url }}'
  - name: pager-webhook
    webhook_configs:
      - url: 'http://pager-bridge:8080/alert'
        max_alerts: 10
        http_config:
          authorization:
            credentials: '\${PAGER_TOKEN}'
  - name: security-email
    email_configs:
      - to: 'security@example.org'
        headers:
          subject: '[SECURITY] {{ .CommonLabels.alertname }}'
  - name: team-mail
    email_configs:
      - to: 'team@example.org'
        send_resolved: true
        require_tls: false

time_intervals:
  - name: business-hours
    time_intervals:
      - weekdays: ['monday:friday']
        times:
          - start_time: '09:00'
            end_time: '17:30'
        location: Europe/Berlin
  - name: maintenance
    time_intervals:
      - weekdays: [sunday]
        times:
          - start_time: '02:00'
            end_time: '04:00'
      - days_of_month: ['1:3', '-1']
        months: ['january:march', '12']
        years: ['2025:2027']
`;

/** The environment {@link fullAlertmanagerYml} needs. */
export const env = {
  SMTP_PASSWORD: 'smtp-pw',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/XYZ',
  PAGER_TOKEN: 'pt',
};
