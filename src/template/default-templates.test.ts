import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { alertmanagerTemplates } from './default-templates.ts';
import { KV } from './kv.ts';
import { notificationData } from './testing.ts';

const url = 'http://127.0.0.1:35499';

/** The notifications of shared/reference/alertmanager.md §1 and §6. */
const examples = {
  highLatency: notificationData(
    'ops',
    { alertname: 'HighLatency', cluster: 'eu1' },
    [
      {
        status: 'firing',
        labels: { alertname: 'HighLatency', cluster: 'eu1', instance: 'web-1', severity: 'warning', team: 'ops' },
        annotations: { summary: 'p99 above 1s' },
        generatorURL: 'http://prom/graph?g0.expr=x',
      },
      {
        status: 'firing',
        labels: { alertname: 'HighLatency', cluster: 'eu1', instance: 'web-2', severity: 'warning', team: 'ops' },
        annotations: { summary: 'p99 above 1s', runbook: 'http://rb' },
      },
    ],
    url,
  ),
  loginBruteForce: notificationData(
    'security',
    {
      alertname: 'LoginBruteForce',
      cluster: 'eu1',
      instance: 'gw-1',
      severity: 'warning',
      source_ip: '203.0.113.7',
      team: 'security',
    },
    [
      {
        status: 'firing',
        labels: {
          alertname: 'LoginBruteForce',
          cluster: 'eu1',
          instance: 'gw-1',
          severity: 'warning',
          source_ip: '203.0.113.7',
          team: 'security',
        },
      },
    ],
    url,
  ),
  clusterDownResolved: notificationData(
    'ops',
    { cluster: 'eu1' },
    [
      {
        status: 'resolved',
        labels: { alertname: 'ClusterDown', cluster: 'eu1', instance: 'lb-1', severity: 'critical', team: 'ops' },
        annotations: { description: 'all down' },
      },
    ],
    url,
  ),
  mixed: notificationData(
    'a.b team',
    { job: 'api' },
    [
      { status: 'firing', labels: { alertname: 'Down', job: 'api', instance: 'x' }, annotations: { summary: 'down' } },
      {
        status: 'resolved',
        labels: { alertname: 'Down', job: 'api', instance: 'y' },
        annotations: { summary: 'down' },
      },
    ],
    url,
  ),
};

/** [example, template, expected] from the captured Slack messages. */
const slack: [keyof typeof examples, string, string][] = [
  ['highLatency', 'slack.default.title', '[FIRING:2] HighLatency eu1 (warning ops)'],
  ['highLatency', 'slack.default.titlelink', `${url}/#/alerts?receiver=ops`],
  ['highLatency', 'slack.default.fallback', `[FIRING:2] HighLatency eu1 (warning ops) | ${url}/#/alerts?receiver=ops`],
  ['highLatency', 'slack.default.username', 'Alertmanager'],
  ['highLatency', 'slack.default.text', ''],
  ['highLatency', 'slack.default.pretext', ''],
  ['highLatency', 'slack.default.footer', ''],
  ['highLatency', 'slack.default.callbackid', ''],
  ['loginBruteForce', 'slack.default.title', '[FIRING:1] LoginBruteForce eu1 gw-1 warning 203.0.113.7 security '],
  [
    'loginBruteForce',
    'slack.default.fallback',
    `[FIRING:1] LoginBruteForce eu1 gw-1 warning 203.0.113.7 security  | ${url}/#/alerts?receiver=security`,
  ],
  ['clusterDownResolved', 'slack.default.title', '[RESOLVED] eu1 (ClusterDown lb-1 critical ops)'],
  ['clusterDownResolved', 'email.default.subject', '[RESOLVED] eu1 (ClusterDown lb-1 critical ops)'],
  ['mixed', 'slack.default.titlelink', `${url}/#/alerts?receiver=a.b+team`],
];

describe('default notification templates', () => {
  const set = alertmanagerTemplates();
  for (const [example, name, want] of slack) {
    it(`${name} for ${example}`, async () => {
      assert.equal(await set.execute(name, examples[example].data), want);
    });
  }

  it('lists alerts in text form', async () => {
    const text = await set.execute('__text_alert_list', examples.mixed.data.Alerts.Firing());
    assert.equal(
      text,
      'Labels:\n - alertname = Down\n - instance = x\n - job = api\nAnnotations:\n - summary = down\nSource: \n',
    );
  });

  it('renders Alerts.Firing given as a property as well as a method', async () => {
    const { data } = examples.highLatency;
    const asProperty = {
      ...data,
      Alerts: Object.assign([...data.Alerts], { Firing: data.Alerts.Firing(), Resolved: [] }),
    };
    assert.equal(await set.execute('__subject', asProperty), '[FIRING:2] HighLatency eu1 (warning ops)');
  });

  it('renders an HTML e-mail with escaped values', async () => {
    const { data } = notificationData(
      'r',
      { alertname: 'A<b>' },
      [{ status: 'firing', labels: { alertname: 'A<b>' } }],
      url,
    );
    const html = await set.execute('email.default.html', data);
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes('A&lt;b&gt;') && !html.includes('A<b>'), html);
    assert.ok(html.includes('1 firing, 0 resolved'));
  });

  it('lets user templates override a default in a clone', async () => {
    const user = set.clone().parse('user.tmpl', '{{ define "slack.default.title" }}custom {{ .Status }}{{ end }}');
    assert.equal(
      await user.execute('slack.default.fallback', examples.highLatency.data),
      `custom firing | ${url}/#/alerts?receiver=ops`,
    );
    assert.equal(
      await set.execute('slack.default.title', examples.highLatency.data),
      '[FIRING:2] HighLatency eu1 (warning ops)',
    );
  });

  it('KV helpers behave like Alertmanager', () => {
    const kv = new KV({ zeta: '1', alertname: 'X', beta: '2' });
    assert.deepEqual(kv.Names(), ['alertname', 'beta', 'zeta']);
    assert.deepEqual(kv.Values(), ['X', '2', '1']);
    assert.deepEqual(kv.Remove(['beta']).Names(), ['alertname', 'zeta']);
    assert.equal(kv.SortedPairs().String(), 'alertname=X, beta=2, zeta=1');
    assert.deepEqual(kv.toJSON(), { zeta: '1', alertname: 'X', beta: '2' });
  });
});

// Alertmanager 0.25's own renderer, when installed (the test setup installs Debian's prometheus-alertmanager).
// Debian's amtool does not embed default.tmpl; the package ships it apart.
const amtool = '/usr/bin/amtool';
const defaultTmpl = '/usr/share/prometheus/alertmanager/default.tmpl';
const emailTmpl = '/usr/share/prometheus/alertmanager/email.tmpl';
const skip = !(existsSync(amtool) && existsSync(defaultTmpl)) && 'amtool or its default.tmpl is not installed';
describe('default templates against amtool 0.25', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-template-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const set = alertmanagerTemplates();
  const names = set
    .names()
    .filter((n) => !n.startsWith('__vigil') && n !== 'default.tmpl' && n !== 'email.default.html');

  for (const [example, { data, json }] of Object.entries(examples)) {
    it(`renders every default template like amtool for ${example}`, async () => {
      const file = join(dir, `${example}.json`);
      writeFileSync(file, JSON.stringify(json));
      // One amtool run renders every name, separated by a marker line.
      const marker = '\n@@@@\n';
      // The alert lists take a list of alerts as dot.
      const dotOf = (n: string) => (n === '__text_alert_list' || n === 'pagerduty.default.instances' ? '.Alerts' : '.');
      const text = names.map((n) => `{{ template ${JSON.stringify(n)} ${dotOf(n)} }}`).join(marker);
      const want = execFileSync(
        amtool,
        [
          'template',
          'render',
          `--template.glob=${defaultTmpl}`,
          `--template.glob=${emailTmpl}`,
          `--template.text=${text}`,
          `--template.data=${file}`,
        ],
        { encoding: 'utf8' },
      ).split(marker);
      const got = await Promise.all(names.map((n) => set.execute(n, dotOf(n) === '.' ? data : data.Alerts)));
      assert.deepEqual(
        Object.fromEntries(names.map((n, i) => [n, got[i]])),
        Object.fromEntries(names.map((n, i) => [n, want[i]])),
      );
    });
  }
});

describe('alertmanagerTemplates', () => {
  it('returns independent sets', async () => {
    const a = alertmanagerTemplates().parse('u', '{{ define "__alertmanager" }}vigil{{ end }}');
    const b = alertmanagerTemplates();
    assert.equal(await a.execute('slack.default.username', {}), 'vigil');
    assert.equal(await b.execute('slack.default.username', {}), 'Alertmanager');
  });
});
