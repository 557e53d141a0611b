import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeYaml } from '../../decode.ts';
import { resolveRoute } from './route.ts';
import { alertmanagerYml, type BadFile, env, fullAlertmanagerYml, itRejects } from './testing.ts';

describe('routes', () => {
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

  const badFiles: BadFile[] = [
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
  ];
  itRejects(badFiles);
});
