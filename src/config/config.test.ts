import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { type Config, parseConfig, redactedYaml } from './config.ts';
import { ConfigError } from './errors.ts';

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, 'vigil.yml', env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.line}:${i.col}: ${i.path}: ${i.message}`);
  }
  assert.fail('expected the config to be refused');
}

const prometheusYml = `# my global config
global:
  scrape_interval: 15s
  evaluation_interval: 15s
  external_labels:
    monitor: codelab

alerting:
  alertmanagers:
    - static_configs:
        - targets: ['alertmanager:9093']

rule_files:
  - "first_rules.yml"
  - "rules/*.yml"

scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["localhost:9090"]
  - job_name: node
    scrape_interval: 5s
    basic_auth:
      username: prom
      password_file: /dev/null
    relabel_configs:
      - source_labels: [__address__]
        regex: '(.*):9100'
        target_label: instance
        replacement: '\${1}'
    static_configs:
      - targets: ['node1:9100', 'node2:9100']
        labels:
          env: prod

remote_write:
  - url: https://mimir.example/api/v1/push
    authorization:
      credentials: \${MIMIR_TOKEN}
`;

const alertmanagerYml = `global:
  resolve_timeout: 5m
  slack_api_url: 'https://hooks.slack.com/services/T000/B000/XXXX'

route:
  receiver: team-slack
  group_by: ['alertname', 'cluster']
  group_wait: 10s
  routes:
    - matchers: ['severity="critical"']
      receiver: oncall
      repeat_interval: 1h

receivers:
  - name: team-slack
    slack_configs:
      - channel: '#alerts'
        send_resolved: true
  - name: oncall
    webhook_configs:
      - url: 'http://127.0.0.1:5001/'

inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname]
`;

describe('vigil.yml', () => {
  it('runs on embedded defaults when empty', () => {
    const c: Config = parseConfig('');
    assert.equal(c.server.listen, '127.0.0.1:9090');
    assert.equal(c.server.auth.mode, 'on');
    assert.deepEqual(c.server.auth.public_paths, ['/-/healthy']);
    assert.equal(c.server.limits.max_body_bytes, 4 * 1024 * 1024);
    assert.equal(c.global.scrape_interval, 60_000);
    assert.equal(c.storage.tsdb.retention_time, 15 * 86_400_000);
    assert.deepEqual(c.scrape_configs, []);
  });

  it('reads a prometheus.yml as it is', () => {
    const c = parseConfig(prometheusYml, 'prometheus.yml', { MIMIR_TOKEN: 'tok-123' });
    assert.deepEqual(
      c.scrape_configs.map((s) => [s.job_name, s.scrape_interval, s.scrape_timeout]),
      [
        ['prometheus', 15_000, 10_000],
        ['node', 5_000, 5_000],
      ],
    );
    assert.deepEqual(c.rule_files, ['first_rules.yml', 'rules/*.yml']);
    assert.equal(c.remote_write[0]?.authorization?.credentials?.reveal(), 'tok-123');
    assert.equal(
      c.scrape_configs[1]?.relabel_configs[0]?.replacement,
      '${1}',
      'relabel references are not env-expanded',
    );
    const yaml = redactedYaml(c);
    assert.equal(yaml.includes('tok-123'), false);
    assert.match(yaml, /credentials: <secret>/);
    assert.deepEqual(parseConfig(yaml.replaceAll('<secret>', 'x')).scrape_configs.length, 2, 'the dump reads back');
  });

  it('reads an alertmanager.yml as it is', () => {
    const c = parseConfig(alertmanagerYml, 'alertmanager.yml');
    assert.equal(c.alerting.route?.receiver, 'team-slack');
    assert.deepEqual(
      c.alerting.receivers.map((r) => r.name),
      ['team-slack', 'oncall'],
    );
    assert.equal(c.global.resolve_timeout, 300_000);
    const dumped = parse(redactedYaml(c)) as { alerting: { receivers: unknown[] }; global: { slack_api_url: string } };
    assert.equal(dumped.alerting.receivers.length, 2);
    assert.equal(dumped.global.slack_api_url, '<secret>');
  });

  it('accepts the Alertmanager keys under alerting too, but not in both places', () => {
    const nested = `alerting:\n${alertmanagerYml.replace(/^global:[\s\S]*?\n\n/, '').replace(/^/gm, '  ')}`;
    const c = parseConfig(`global:\n  slack_api_url: 'https://hooks.slack.com/x'\n${nested}`);
    assert.equal(c.alerting.route?.routes.length, 1);
    assert.deepEqual(
      problems(`route:\n  receiver: a\nreceivers:\n  - name: a\nalerting:\n  route:\n    receiver: a\n`),
      ['2:3: route: given both at the top level and under alerting; keep one'],
    );
  });

  it('points Alertmanager problems at the key where it was written', () => {
    assert.deepEqual(problems('alerting:\n  route:\n    receiver: nobody\n'), [
      '3:15: alerting.route.receiver: undefined receiver "nobody" used in route',
    ]);
    assert.deepEqual(problems('route:\n  receiver: nobody\n'), [
      '2:13: route.receiver: undefined receiver "nobody" used in route',
    ]);
  });

  it('names file, line, column and key of each problem', () => {
    const text = `global:
  scrape_interval: 15s
scrape_configs:
  - job_name: a
    scrape_interval: fifteen
  - job_name: a
server:
  listen: 127.0.0.1:99999
  auth:
    mode: off
`;
    assert.deepEqual(problems(text), [
      '5:22: scrape_configs[0].scrape_interval: expected a duration like 15s, got "fifteen"',
      '8:11: server.listen: expected host:port like 127.0.0.1:9090, got "127.0.0.1:99999"',
      '10:11: server.auth.mode: expected one of "on", "none", got "off"',
    ]);
    assert.deepEqual(problems('scrape_configs:\n  - job_name: a\n  - job_name: a\n'), [
      '3:15: scrape_configs[1].job_name: found multiple scrape configs with job name "a"',
    ]);
  });

  it('refuses sections this version does not read, and unknown top-level keys', () => {
    assert.deepEqual(problems('chatops:\n  a: 1\nscrape_config: []\n'), [
      '2:3: chatops: the chatops section is not supported by this version of vigil; remove it',
      '3:1: scrape_config: unknown key (did you mean scrape_configs?)',
    ]);
  });

  it('takes `auth: none` as a shorthand and requires TLS files in pairs', () => {
    assert.equal(parseConfig('server:\n  auth: none\n').server.auth.mode, 'none');
    assert.match(redactedYaml(parseConfig('server:\n  auth: none\n')), /auth: none/);
    assert.deepEqual(problems('server:\n  tls:\n    cert_file: a.crt\n'), [
      '3:16: server.tls.cert_file: cert_file and key_file must be set together',
    ]);
  });
});
