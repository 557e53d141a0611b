import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../../decode.ts';
import { alertmanagerYml, type BadFile, env, fullAlertmanagerYml, issuesOf, itRejects, vigilYml } from './testing.ts';

describe('Alertmanager config', () => {
  it('decodes a realistic alertmanager.yml', () => {
    const v = decodeYaml(alertmanagerYml, fullAlertmanagerYml, { file: 'alertmanager.yml', env });
    assert.equal(v.global.slack_api_url?.reveal(), env.SLACK_WEBHOOK_URL);
    assert.deepEqual(v.templates, ['/etc/alertmanager/templates/*.tmpl']);
    assert.deepEqual(
      v.receivers.map((r) => r.name),
      ['ops-slack', 'pager-webhook', 'security-email', 'team-mail'],
    );
    const slack = v.receivers[0]?.slack_configs[0];
    assert.equal(slack?.send_resolved, true);
    assert.equal(slack?.api_url, undefined, 'unset: the global slack_api_url applies');
    assert.equal(slack?.title, '{{ template "slack.default.title" . }}');
    assert.equal(slack?.color, '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}');
    assert.equal(slack?.actions[0]?.type, 'button');
    const hook = v.receivers[1]?.webhook_configs[0];
    assert.equal(hook?.send_resolved, true);
    assert.equal(hook?.url?.reveal(), 'http://pager-bridge:8080/alert');
    assert.equal(hook?.http_config?.authorization?.credentials?.reveal(), 'pt');
    assert.deepEqual(
      { ...v.receivers[2]?.email_configs[0]?.headers },
      { Subject: '[SECURITY] {{ .CommonLabels.alertname }}' },
    );
    assert.equal(v.receivers[3]?.email_configs[0]?.require_tls, false);
    assert.deepEqual(v.inhibit_rules[0]?.equal, ['alertname', 'cluster', 'service']);
    assert.deepEqual(v.inhibit_rules[0]?.source_matchers, [{ name: 'severity', type: '=', value: 'critical' }]);

    const [business, maintenance] = v.time_intervals;
    assert.deepEqual(business?.time_intervals[0], {
      weekdays: [{ begin: 1, end: 5 }],
      times: [{ start_time: 540, end_time: 1050 }],
      location: 'Europe/Berlin',
    });
    assert.deepEqual(maintenance?.time_intervals[1], {
      days_of_month: [
        { begin: 1, end: 3 },
        { begin: -1, end: -1 },
      ],
      months: [
        { begin: 1, end: 3 },
        { begin: 12, end: 12 },
      ],
      years: [{ begin: 2025, end: 2027 }],
    });
    assert.equal(JSON.stringify(v).includes('smtp-pw'), false);
  });

  it('accepts the same keys nested under alerting in vigil.yml, with Prometheus alerting keys', () => {
    const text = [
      'alerting:',
      '  alertmanagers:',
      '    - static_configs:',
      '        - targets: [127.0.0.1:9093]',
      '  route:',
      '    receiver: hook',
      '  receivers:',
      '    - name: hook',
      '      webhook_configs:',
      '        - url: http://127.0.0.1:5001/',
      '',
    ].join('\n');
    const v = decodeYaml(vigilYml, text);
    assert.equal(v.alerting.alertmanagers[0]?.path_prefix, '/');
    assert.equal(v.alerting.route?.receiver, 'hook');
    assert.deepEqual(decodeYaml(vigilYml, '').alerting.receivers, []);
    assert.deepEqual(issuesOf(vigilYml, 'alerting:\n  route:\n    receiver: nobody\n', 'vigil.yml'), [
      'vigil.yml:3:15: alerting.route.receiver: undefined receiver "nobody" used in route',
    ]);
  });

  const badFiles: BadFile[] = [
    {
      name: 'no route',
      yaml: 'receivers:\n  - name: a\n',
      issues: ['alertmanager.yml:1:1: route: no route provided in config'],
    },
    {
      name: 'root route without a receiver',
      yaml: 'route:\n  group_wait: 1s\n',
      issues: ['alertmanager.yml:2:3: route.receiver: root route must specify a default receiver'],
    },
    {
      name: 'root route with matchers and continue',
      yaml: 'route:\n  receiver: a\n  matchers: [a="b"]\n  continue: true\nreceivers:\n  - name: a\n',
      issues: [
        'alertmanager.yml:3:13: route.matchers: root route must not have any matchers',
        'alertmanager.yml:4:13: route.continue: cannot have continue in root route',
      ],
    },
    {
      name: 'root route with a mute interval',
      yaml: 'route:\n  receiver: a\n  mute_time_intervals: [x]\nreceivers:\n  - name: a\ntime_intervals:\n  - name: x\n',
      issues: ['alertmanager.yml:3:24: route.mute_time_intervals: root route must not have any mute time intervals'],
    },
    {
      name: 'undefined receiver in a child route',
      yaml: 'route:\n  receiver: a\n  routes:\n    - receiver: b\nreceivers:\n  - name: a\n',
      issues: ['alertmanager.yml:4:17: route.routes[0].receiver: undefined receiver "b" used in route'],
    },
    {
      name: 'undefined time interval',
      yaml: 'route:\n  receiver: a\n  routes:\n    - active_time_intervals: [weekend]\nreceivers:\n  - name: a\n',
      issues: [
        'alertmanager.yml:4:31: route.routes[0].active_time_intervals[0]: undefined time interval "weekend" used in route',
      ],
    },
    {
      name: 'duplicate receiver and time interval names',
      yaml: [
        'route:',
        '  receiver: a',
        'receivers:',
        '  - name: a',
        '  - name: a',
        'mute_time_intervals:',
        '  - name: x',
        'time_intervals:',
        '  - name: x',
        '',
      ].join('\n'),
      issues: [
        'alertmanager.yml:5:11: receivers[1].name: notification config name "a" is not unique',
        'alertmanager.yml:9:11: time_intervals[0].name: time interval "x" is not unique',
      ],
    },
    {
      name: 'email and Slack without global defaults',
      yaml: [
        'route:',
        '  receiver: a',
        'receivers:',
        '  - name: a',
        '    email_configs:',
        '      - to: ops@example.org',
        '    slack_configs:',
        '      - channel: "#ops"',
        '',
      ].join('\n'),
      issues: [
        'alertmanager.yml:6:9: receivers[0].email_configs[0]: no global SMTP smarthost set',
        'alertmanager.yml:6:9: receivers[0].email_configs[0]: no global SMTP from set',
        'alertmanager.yml:8:9: receivers[0].slack_configs[0]: no global Slack API URL set either inline or in a file',
      ],
    },
  ];
  itRejects(badFiles);
});
