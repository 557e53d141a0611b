import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../decode.ts';
import { object, type Schema, section } from '../schema.ts';
import { issuesOf as configIssues } from '../testing.ts';
import { globalConfig } from './global.ts';

const doc = object({ global: section(globalConfig) });

const issuesOf = <T>(schema: Schema<T>, text: string) => configIssues(schema, text, { file: 'vigil.yml' });

describe('global', () => {
  it('applies Prometheus and Alertmanager defaults when absent', () => {
    const g = decodeYaml(doc, '').global;
    assert.equal(g.scrape_interval, 60_000);
    assert.equal(g.scrape_timeout, 10_000);
    assert.equal(g.evaluation_interval, 60_000);
    assert.deepEqual(g.external_labels, {});
    assert.equal(g.scrape_protocols, undefined);
    assert.equal(g.sample_limit, 0);
    assert.equal(g.body_size_limit, 0);
    assert.equal(g.resolve_timeout, 300_000);
    assert.equal(g.smtp_hello, 'localhost');
    assert.equal(g.smtp_require_tls, true);
    assert.equal(g.http_config.follow_redirects, true);
    assert.equal(g.slack_api_url, undefined);
  });

  const good: Array<{ name: string; yaml: string; want: Record<string, unknown> }> = [
    {
      name: 'scrape_timeout defaults to min(10s, scrape_interval)',
      yaml: 'global:\n  scrape_interval: 5s\n',
      want: { scrape_interval: 5000, scrape_timeout: 5000 },
    },
    {
      name: 'explicit 0 means the default',
      yaml: 'global:\n  scrape_interval: 0s\n  evaluation_interval: 0\n',
      want: { scrape_interval: 60_000, evaluation_interval: 60_000 },
    },
    {
      name: 'limits and sizes',
      yaml: 'global:\n  body_size_limit: 10MB\n  sample_limit: 5000\n  target_limit: 20\n',
      want: { body_size_limit: 10 * 1024 * 1024, sample_limit: 5000, target_limit: 20 },
    },
    {
      name: 'external labels and protocols',
      yaml: 'global:\n  external_labels:\n    cluster: eu1\n  scrape_protocols: [PrometheusProto, PrometheusText0.0.4]\n',
      want: { external_labels: { cluster: 'eu1' }, scrape_protocols: ['PrometheusProto', 'PrometheusText0.0.4'] },
    },
    {
      name: 'Alertmanager SMTP settings',
      yaml: 'global:\n  smtp_smarthost: smtp.example.org:587\n  smtp_from: am@example.org\n  smtp_require_tls: false\n',
      want: { smtp_smarthost: 'smtp.example.org:587', smtp_from: 'am@example.org', smtp_require_tls: false },
    },
  ];
  for (const c of good) {
    it(`decodes: ${c.name}`, () => {
      const g = decodeYaml(doc, c.yaml).global as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(JSON.parse(JSON.stringify(g[k])), v, k);
    });
  }

  it('keeps SMTP and Slack secrets secret', () => {
    const g = decodeYaml(
      doc,
      `global:\n  smtp_auth_password: \${SMTP_PW}\n  slack_api_url: https://hooks.slack.com/x\n`,
      {
        env: { SMTP_PW: 'hunter2' },
      },
    ).global;
    assert.equal(g.smtp_auth_password?.reveal(), 'hunter2');
    assert.equal(String(g.slack_api_url), '<secret>');
    assert.equal(JSON.stringify(g).includes('hunter2'), false);
  });

  const bad: Array<{ name: string; yaml: string; issues: string[] }> = [
    {
      name: 'scrape_timeout over scrape_interval',
      yaml: 'global:\n  scrape_interval: 15s\n  scrape_timeout: 20s\n',
      issues: ['vigil.yml:3:19: global.scrape_timeout: global scrape timeout greater than scrape interval'],
    },
    {
      name: 'scrape_timeout over the default interval',
      yaml: 'global:\n  scrape_timeout: 2m\n',
      issues: ['vigil.yml:2:19: global.scrape_timeout: global scrape timeout greater than scrape interval'],
    },
    {
      name: 'unknown scrape protocol',
      yaml: 'global:\n  scrape_protocols: [OpenMetrics]\n',
      issues: [
        'vigil.yml:2:22: global.scrape_protocols[0]: unknown scrape protocol OpenMetrics, supported: [OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]',
      ],
    },
    {
      name: 'empty scrape_protocols',
      yaml: 'global:\n  scrape_protocols: []\n',
      issues: ['vigil.yml:2:21: global.scrape_protocols: scrape_protocols cannot be empty'],
    },
    {
      name: 'duplicated scrape protocol',
      yaml: 'global:\n  scrape_protocols: [PrometheusProto, PrometheusProto]\n',
      issues: [
        'vigil.yml:2:21: global.scrape_protocols: duplicated protocol in scrape_protocols, got [PrometheusProto PrometheusProto]',
      ],
    },
    {
      name: 'external label with an invalid name',
      yaml: 'global:\n  external_labels:\n    cluster-name: eu1\n',
      issues: [
        'vigil.yml:3:5: global.external_labels: expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*, got "cluster-name"',
      ],
    },
    {
      name: 'smarthost without a port',
      yaml: 'global:\n  smtp_smarthost: smtp.example.org\n',
      issues: ['vigil.yml:2:19: global.smtp_smarthost: expected host:port like 127.0.0.1:9090, got "smtp.example.org"'],
    },
    {
      name: 'slack_api_url and slack_api_url_file',
      yaml: 'global:\n  slack_api_url: https://hooks.slack.com/x\n  slack_api_url_file: /run/secrets/slack\n',
      issues: ['vigil.yml:3:3: global.slack_api_url_file: cannot be used together with slack_api_url'],
    },
    {
      name: 'Alertmanager keys vigil does not support',
      yaml: 'global:\n  pagerduty_url: https://events.pagerduty.com/v2/enqueue\n',
      issues: ['vigil.yml:2:3: global.pagerduty_url: unknown key'],
    },
    {
      name: 'bad duration',
      yaml: 'global:\n  resolve_timeout: 5 minutes\n',
      issues: ['vigil.yml:2:20: global.resolve_timeout: expected a duration like 15s, got "5 minutes"'],
    },
  ];
  for (const c of bad) {
    it(`rejects: ${c.name}`, () => assert.deepEqual(issuesOf(doc, c.yaml), c.issues));
  }
});
