import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../decode.ts';
import { ConfigError } from '../errors.ts';
import { object, type Schema, section } from '../schema.ts';
import {
  alertingSection,
  alertmanagerFields,
  checkAlertmanager,
  formatMatcher,
  type Matcher,
  parseMatchers,
  resolveRoute,
} from './alerting.ts';
import { globalConfig } from './global.ts';

/** An alertmanager.yml root: Alertmanager's keys at the top level. */
const alertmanagerYml = object(
  { global: section(globalConfig), ...alertmanagerFields },
  { check: (v, report) => checkAlertmanager(v, v.global, report, { requireRoute: true }) },
);

/** A vigil.yml root: everything under `alerting`. */
const vigilYml = object(
  { global: section(globalConfig), alerting: section(alertingSection) },
  { check: (v, report) => checkAlertmanager(v.alerting, v.global, report, { at: ['alerting'] }) },
);

function issuesOf<T>(schema: Schema<T>, text: string, file = 'alertmanager.yml'): string[] {
  try {
    decodeYaml(schema, text, { file, env: {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message.split('\n');
  }
  assert.fail('expected a ConfigError');
}

const fullAlertmanagerYml = `global:
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

const env = {
  SMTP_PASSWORD: 'smtp-pw',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/XYZ',
  PAGER_TOKEN: 'pt',
};

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

  it('resolves route inheritance as Alertmanager does', () => {
    const v = decodeYaml(alertmanagerYml, fullAlertmanagerYml, { file: 'alertmanager.yml', env });
    assert.ok(v.route);
    const root = resolveRoute(v.route);
    assert.deepEqual([root.group_wait, root.group_interval, root.repeat_interval], [30_000, 300_000, 3 * 3_600_000]);
    const [critical, security, services] = root.routes;
    assert.equal(critical?.group_wait, 10_000);
    assert.equal(critical?.repeat_interval, 3 * 3_600_000);
    assert.deepEqual(critical?.group_by, ['alertname', 'cluster', 'service']);
    assert.equal(critical?.continue, true);
    assert.equal(security?.group_by_all, true);
    assert.deepEqual(security?.matchers, [{ name: 'team', type: '=~', value: 'security|secops' }]);
    const warning = services?.routes[0];
    assert.equal(warning?.receiver, 'team-mail');
    assert.deepEqual(warning?.matchers, [{ name: 'severity', type: '=', value: 'warning' }]);
    assert.deepEqual(warning?.active_time_intervals, ['business-hours']);
    assert.deepEqual(warning?.mute_time_intervals, []);
    assert.deepEqual(warning?.group_by, ['alertname', 'cluster', 'service']);

    const bare = resolveRoute(
      decodeYaml(alertmanagerYml, 'route:\n  receiver: a\nreceivers:\n  - name: a\n').route as never,
    );
    assert.deepEqual([bare.group_wait, bare.group_interval, bare.repeat_interval], [30_000, 300_000, 4 * 3_600_000]);
    assert.deepEqual([bare.group_by, bare.group_by_all], [[], false]);
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

  const badFiles: Array<{ name: string; yaml: string; issues: Array<string | RegExp> }> = [
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
    {
      name: 'webhook without url',
      yaml: 'route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - max_alerts: 1\n',
      issues: ['alertmanager.yml:6:9: receivers[0].webhook_configs[0]: one of url or url_file must be configured'],
    },
    {
      name: 'receiver kinds vigil does not support',
      yaml: 'route:\n  receiver: a\nreceivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: x\n',
      issues: ['alertmanager.yml:5:5: receivers[0].pagerduty_configs: unknown key'],
    },
    {
      name: 'group_by problems',
      yaml: "route:\n  receiver: a\n  group_by: ['...', alertname, alertname, 'bad-name']\nreceivers:\n  - name: a\n",
      issues: [
        'alertmanager.yml:3:13: route.group_by: cannot have wildcard group_by (`...`) and other labels at the same time',
        'alertmanager.yml:3:32: route.group_by[2]: duplicated label "alertname" in group_by',
        'alertmanager.yml:3:43: route.group_by[3]: invalid label name "bad-name" in group_by list',
      ],
    },
    {
      name: 'zero intervals',
      yaml: 'route:\n  receiver: a\n  group_interval: 0s\n  repeat_interval: 0\nreceivers:\n  - name: a\n',
      issues: [
        'alertmanager.yml:3:19: route.group_interval: group_interval cannot be zero',
        'alertmanager.yml:4:20: route.repeat_interval: repeat_interval cannot be zero',
      ],
    },
    {
      name: 'inhibit rule with a bad equal label',
      yaml: 'inhibit_rules:\n  - target_matchers: [severity=warning]\n    equal: [ok, "not ok"]\n',
      issues: ['alertmanager.yml:3:17: inhibit_rules[0].equal[1]: invalid label name "not ok" in equal list'],
    },
    {
      name: 'match_re with a bad regex',
      yaml: 'inhibit_rules:\n  - source_match_re:\n      service: "(a"\n',
      issues: [
        /^alertmanager\.yml:3:16: inhibit_rules\[0\]\.source_match_re\.service: invalid regular expression "\(a": /,
      ],
    },
    {
      name: 'email headers that collide',
      yaml: 'route:\n  receiver: a\nreceivers:\n  - name: a\n    email_configs:\n      - to: x@example.org\n        smarthost: mail:25\n        from: am@example.org\n        headers:\n          subject: a\n          Subject: b\n',
      issues: [
        'alertmanager.yml:10:11: receivers[0].email_configs[0].headers: duplicate header "Subject" in email config',
      ],
    },
    {
      name: 'slack action without url or name',
      yaml: 'route:\n  receiver: a\nreceivers:\n  - name: a\n    slack_configs:\n      - api_url: https://hooks.slack.com/x\n        actions:\n          - type: button\n            text: Ack\n',
      issues: [
        'alertmanager.yml:8:13: receivers[0].slack_configs[0].actions[0]: missing name or url in Slack action configuration',
      ],
    },
  ];
  for (const c of badFiles) {
    it(`rejects: ${c.name}`, () => {
      const issues = issuesOf(alertmanagerYml, c.yaml);
      assert.equal(issues.length, c.issues.length, issues.join('\n'));
      c.issues.forEach((want, i) => {
        if (typeof want === 'string') assert.equal(issues[i], want);
        else assert.match(issues[i] as string, want);
      });
    });
  }

  const badIntervals: Array<{ name: string; spec: string; issue: string }> = [
    {
      name: 'unknown weekday',
      spec: 'weekdays: [funday]',
      issue: '4:20: time_intervals[0].time_intervals[0].weekdays[0]: funday is not a valid weekday',
    },
    {
      name: 'weekdays out of order',
      spec: 'weekdays: ["friday:monday"]',
      issue: '4:20: time_intervals[0].time_intervals[0].weekdays[0]: start day cannot be before end day',
    },
    {
      name: 'range with two colons',
      spec: 'weekdays: ["monday:tuesday:friday"]',
      issue:
        "4:20: time_intervals[0].time_intervals[0].weekdays[0]: couldn't parse range monday:tuesday:friday, invalid format",
    },
    {
      name: 'day of month zero',
      spec: 'days_of_month: ["0:5"]',
      issue:
        '4:25: time_intervals[0].time_intervals[0].days_of_month[0]: 0 is not a valid day of the month: out of range',
    },
    {
      name: 'negative start, positive end',
      spec: 'days_of_month: ["-3:5"]',
      issue:
        '4:25: time_intervals[0].time_intervals[0].days_of_month[0]: end day must be negative if start day is negative',
    },
    {
      name: 'day range always empty',
      spec: 'days_of_month: ["10:-25"]',
      issue: '4:25: time_intervals[0].time_intervals[0].days_of_month[0]: end day -25 is always before start day 10',
    },
    {
      name: 'day that is not a number',
      spec: 'days_of_month: [first]',
      issue:
        '4:25: time_intervals[0].time_intervals[0].days_of_month[0]: strconv.Atoi: parsing "first": invalid syntax',
    },
    {
      name: 'unknown month',
      spec: 'months: [smarch]',
      issue: '4:18: time_intervals[0].time_intervals[0].months[0]: smarch is not a valid month',
    },
    {
      name: 'months out of order',
      spec: 'months: ["december:january"]',
      issue: '4:18: time_intervals[0].time_intervals[0].months[0]: end month january is before start month december',
    },
    {
      name: 'years out of order',
      spec: 'years: ["2030:2020"]',
      issue: '4:17: time_intervals[0].time_intervals[0].years[0]: end year 2020 is before start year 2030',
    },
    {
      name: 'bad time',
      spec: 'times: [{start_time: "9:00", end_time: "17:00"}]',
      issue:
        "4:30: time_intervals[0].time_intervals[0].times[0].start_time: couldn't parse timestamp 9:00, invalid format",
    },
    {
      name: 'end before start',
      spec: 'times: [{start_time: "18:00", end_time: "08:00"}]',
      issue: '4:17: time_intervals[0].time_intervals[0].times[0]: start time cannot be equal or greater than end time',
    },
    {
      name: 'unknown time zone',
      spec: 'location: Mars/Olympus_Mons',
      issue: '4:19: time_intervals[0].time_intervals[0].location: unknown time zone Mars/Olympus_Mons',
    },
  ];
  for (const c of badIntervals) {
    it(`rejects time interval: ${c.name}`, () => {
      const text = `time_intervals:\n  - name: t\n    time_intervals:\n      - ${c.spec}\n`;
      assert.deepEqual(issuesOf(alertmanagerYml, text), [`alertmanager.yml:${c.issue}`]);
    });
  }

  it('accepts unquoted ranges, 24:00 and Local', () => {
    const text =
      'route:\n  receiver: a\nreceivers:\n  - name: a\ntime_intervals:\n  - name: t\n    time_intervals:\n      - days_of_month: [1:7]\n        times: [{start_time: "18:00", end_time: "24:00"}]\n        location: Local\n';
    const spec = decodeYaml(alertmanagerYml, text).time_intervals[0]?.time_intervals[0];
    assert.deepEqual(spec?.days_of_month, [{ begin: 1, end: 7 }]);
    assert.deepEqual(spec?.times, [{ start_time: 1080, end_time: 1440 }]);
    assert.equal(spec?.location, 'Local');
  });
});

describe('matchers', () => {
  const good: Array<{ input: string; want: Matcher[] }> = [
    { input: 'severity="critical"', want: [{ name: 'severity', type: '=', value: 'critical' }] },
    { input: 'alertname=~"A|B"', want: [{ name: 'alertname', type: '=~', value: 'A|B' }] },
    { input: 'team != ops ', want: [{ name: 'team', type: '!=', value: 'ops' }] },
    { input: 'instance!~"web-[0-9]+"', want: [{ name: 'instance', type: '!~', value: 'web-[0-9]+' }] },
    { input: 'empty=""', want: [{ name: 'empty', type: '=', value: '' }] },
    { input: 'msg="say \\"hi, all\\"\\n"', want: [{ name: 'msg', type: '=', value: 'say "hi, all"\n' }] },
    { input: 'path="C:\\temp"', want: [{ name: 'path', type: '=', value: 'C:\\temp' }] },
    { input: 'job:rule=x', want: [{ name: 'job:rule', type: '=', value: 'x' }] },
    {
      input: '{a="b", c!~"x.*", }',
      want: [
        { name: 'a', type: '=', value: 'b' },
        { name: 'c', type: '!~', value: 'x.*' },
      ],
    },
  ];
  for (const c of good) {
    it(`parses ${c.input}`, () => assert.deepEqual(parseMatchers(c.input), c.want));
  }

  const bad: Array<{ input: string; error: string | RegExp }> = [
    { input: '1abc="x"', error: 'bad matcher format: 1abc="x"' },
    { input: 'severity', error: 'bad matcher format: severity' },
    { input: 'a="b', error: 'matcher value contains unescaped double quote: "b' },
    { input: 'a=b"c', error: 'matcher value contains unescaped double quote: b"c' },
    { input: 'a="b",,c="d"', error: 'bad matcher format: ' },
    { input: 'a=~"("', error: /^invalid regular expression "\(": / },
  ];
  for (const c of bad) {
    it(`rejects ${c.input}`, () => {
      const got = parseMatchers(c.input);
      assert.ok(!Array.isArray(got));
      if (typeof c.error === 'string') assert.equal(got.error, c.error);
      else assert.match(got.error, c.error);
    });
  }

  it('decodes a matchers list sorted, reports bad items at their position, and prints them back', () => {
    const v = decodeYaml(
      alertmanagerYml,
      'route:\n  receiver: a\n  routes:\n    - matchers: [z="1", \'{b=~"x", a!="y"}\']\nreceivers:\n  - name: a\n',
    );
    const ms = v.route?.routes[0]?.matchers ?? [];
    assert.deepEqual(ms.map(formatMatcher), ['a!="y"', 'b=~"x"', 'z="1"']);
    assert.deepEqual(issuesOf(alertmanagerYml, 'route:\n  receiver: a\n  routes:\n    - matchers: [ok=1, "bad"]\n'), [
      'alertmanager.yml:4:24: route.routes[0].matchers[1]: bad matcher format: bad',
    ]);
  });
});
