// Rule evaluation on a MemoryStorage with the real engine: recording rules and their staleness markers, the alert
// state machine (pending, firing, resolved, keep_firing_for), ALERTS series, templates, limits, and the
// notifications handed to the notifier.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStaleNaN } from '../src/model/index.ts';
import type { AlertingRule } from '../src/rules/index.ts';
import { rulesHarness } from '../src/rules/testing.ts';

const t0 = Date.UTC(2024, 0, 1);
const min = 60_000;

/** Feeds `foo{…}` one sample per minute from t0 with the given values (null: no sample). */
async function feed(h: ReturnType<typeof rulesHarness>, series: string, values: (number | null)[]) {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) await h.add(series, t0 + i * min, v);
  }
}

describe('recording rules', () => {
  it('record the expression under the rule name with its labels, and mark vanished series stale', async () => {
    const h = rulesHarness();
    await feed(h, 'foo{a="1"}', [1, 2, 3]);
    await feed(h, 'foo{a="2"}', [10, 20, null, null, null, null, null, null, null]);
    await h.load(`groups:
  - name: g
    interval: 1m
    rules:
      - record: job:foo:double
        expr: foo * 2
        labels: { team: db }
`);
    await h.manager.evalAll(t0 + 1 * min);
    assert.deepEqual(h.samples({ __name__: 'job:foo:double', a: '1', team: 'db' }), [[t0 + min, 4]]);
    assert.deepEqual(h.samples({ __name__: 'job:foo:double', a: '2', team: 'db' }), [[t0 + min, 40]]);
    // foo{a="2"}'s last sample (1m) is out of the lookback window (6m - 5m, 6m]: that evaluation marks it stale.
    for (let i = 2; i <= 7; i++) await h.manager.evalAll(t0 + i * min);
    const two = h.samples({ __name__: 'job:foo:double', a: '2', team: 'db' });
    assert.equal(two.length, 6);
    const [t, v] = two.at(-1) as [number, number];
    assert.equal(t, t0 + 6 * min);
    assert.ok(isStaleNaN(v), 'a staleness marker');
    const rule = h.manager.ruleGroups()[0]?.rules[0];
    assert.equal(rule?.health, 'ok');
  });

  it('fail on duplicate label sets after relabelling, and on exceeding the group limit', async () => {
    const h = rulesHarness();
    await feed(h, 'foo{a="1"}', [1]);
    await feed(h, 'foo{a="2"}', [2]);
    await h.load(`groups:
  - name: dup
    rules:
      - record: bar
        expr: foo
        labels: { a: same }
  - name: limited
    limit: 1
    rules:
      - record: baz
        expr: foo
      - alert: Many
        expr: foo > 0
`);
    await h.manager.evalAll(t0);
    const [dup, limited] = h.manager.ruleGroupStatus();
    assert.equal(dup?.rules[0]?.health, 'err');
    assert.equal(dup?.rules[0]?.lastError, 'vector contains metrics with the same labelset after applying rule labels');
    assert.equal(limited?.rules[0]?.lastError, 'exceeded limit 1 with 2 series');
    assert.equal(limited?.rules[1]?.lastError, 'exceeded limit of 1 with 2 alerts');
    assert.deepEqual(h.samples({ __name__: 'bar', a: 'same' }), []);
    const failures = await h.registry.getSingleMetric('vigil_rule_evaluation_failures_total')?.get();
    const byGroup = Object.fromEntries((failures?.values ?? []).map((v) => [v.labels.rule_group, v.value]));
    assert.deepEqual(byGroup, { 'rules.yml;dup': 1, 'rules.yml;limited': 2 });
  });

  it('evaluate query_offset in the past, and write their samples there', async () => {
    const h = rulesHarness();
    await feed(h, 'foo', [1, 2, 3]);
    await h.load('groups:\n  - name: g\n    query_offset: 1m\n    rules:\n      - record: lagged\n        expr: foo\n');
    await h.manager.evalAll(t0 + 2 * min);
    assert.deepEqual(h.samples({ __name__: 'lagged' }), [[t0 + min, 2]]);
  });

  it('see what an earlier rule of the group recorded at the same time', async () => {
    const h = rulesHarness();
    await feed(h, 'foo', [3]);
    await h.load(`groups:
  - name: chain
    rules:
      - record: step1
        expr: foo + 1
      - record: step2
        expr: step1 * 10
`);
    await h.manager.evalAll(t0);
    assert.deepEqual(h.samples({ __name__: 'step2' }), [[t0, 40]]);
  });
});

describe('alerting rules', () => {
  const rule = (extra = '') => `groups:
  - name: alerts
    interval: 1m
    rules:
      - alert: High
        expr: foo > 5
        for: 2m
${extra}        labels:
          severity: page
          instance_copy: '{{ $labels.instance }}'
        annotations:
          summary: 'Value {{ $value }} on {{ $labels.instance }}'
          human: '{{ $value | humanize }}'
`;

  it('go pending, then firing after for, then resolved; ALERTS and ALERTS_FOR_STATE follow', async () => {
    const h = rulesHarness();
    await feed(h, 'foo{instance="a"}', [10, 10, 10, 10, 1, 1]);
    await h.load(rule());
    const states: string[] = [];
    const alerting = () => h.manager.ruleGroups()[0]?.rules[0] as AlertingRule;
    for (let i = 0; i <= 5; i++) {
      await h.manager.evalAll(t0 + i * min);
      states.push([...alerting().active.values()].map((a) => a.state).join(',') || '-');
    }
    assert.deepEqual(states, ['pending', 'pending', 'firing', 'firing', 'inactive', 'inactive']);
    const labels = { alertname: 'High', instance: 'a', instance_copy: 'a', severity: 'page' };
    const pending = h.samples({ __name__: 'ALERTS', alertstate: 'pending', ...labels });
    assert.deepEqual(pending.slice(0, 2), [
      [t0, 1],
      [t0 + min, 1],
    ]);
    assert.ok(isStaleNaN((pending[2] as [number, number])[1]), 'pending marked stale when it fires');
    const firing = h.samples({ __name__: 'ALERTS', alertstate: 'firing', ...labels });
    assert.deepEqual(firing.slice(0, 2), [
      [t0 + 2 * min, 1],
      [t0 + 3 * min, 1],
    ]);
    assert.ok(isStaleNaN((firing[2] as [number, number])[1]));
    const forState = h.samples({ __name__: 'ALERTS_FOR_STATE', ...labels });
    assert.deepEqual(
      forState.slice(0, 4).map(([, v]) => v),
      [t0 / 1000, t0 / 1000, t0 / 1000, t0 / 1000],
    );

    const a = [...alerting().active.values()][0];
    assert.equal(a?.annotations.get('summary'), 'Value 10 on a');
    assert.equal(a?.annotations.get('human'), '10');

    // Sent: firing at 2m and 3m? No: the resend delay is 1m and must be exceeded, so 2m, then the resolution at 4m.
    const sent = h.sent.flat();
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[0], {
      labels,
      annotations: { human: '10', summary: 'Value 10 on a' },
      startsAt: t0 + 2 * min,
      endsAt: t0 + 2 * min + 4 * min,
      generatorURL: '/graph?g0.expr=foo+%3E+5&g0.tab=1',
    });
    assert.equal(sent[1]?.endsAt, t0 + 4 * min);
    const [view] = h.manager.ruleGroupStatus();
    assert.equal(view?.rules[0]?.state, 'inactive');
    assert.deepEqual(view?.rules[0]?.alerts, []);
  });

  it('keep firing for keep_firing_for after the condition clears', async () => {
    const h = rulesHarness();
    await feed(h, 'foo{instance="a"}', [10, 10, 10, 1, 1, 1, 1]);
    await h.load(rule('        keep_firing_for: 2m\n'));
    const states: string[] = [];
    for (let i = 0; i <= 6; i++) {
      await h.manager.evalAll(t0 + i * min);
      const r = h.manager.ruleGroups()[0]?.rules[0] as AlertingRule;
      states.push([...r.active.values()].map((a) => a.state).join(',') || '-');
    }
    assert.deepEqual(states, ['pending', 'pending', 'firing', 'firing', 'firing', 'inactive', 'inactive']);
    const [view] = h.manager.ruleGroupStatus();
    assert.equal(view?.rules[0]?.keepFiringForMs, 2 * min);
  });

  it('drop resolved alerts after 15 minutes, and pending ones at once', async () => {
    const h = rulesHarness();
    await feed(h, 'foo{instance="a"}', [10, 10, 10]);
    await feed(h, 'foo{instance="b"}', [null, null, 10]);
    await h.load(rule());
    const r = () => h.manager.ruleGroups()[0]?.rules[0] as AlertingRule;
    await h.manager.evalAll(t0);
    assert.equal(r().active.size, 1);
    await h.manager.evalAll(t0 + 2 * min);
    await h.manager.evalAll(t0 + 8 * min); // both gone from the lookback window: b was pending, a resolved
    assert.deepEqual(
      [...r().active.values()].map((a) => `${a.labels.get('instance')}:${a.state}`),
      ['a:inactive'],
    );
    await h.manager.evalAll(t0 + 8 * min + 15 * min);
    assert.equal(r().active.size, 1, 'kept for exactly 15m');
    await h.manager.evalAll(t0 + 8 * min + 16 * min);
    assert.equal(r().active.size, 0);
  });

  it('add external labels to sent alerts and use the external URL', async () => {
    const h = rulesHarness({
      externalLabels: { cluster: 'eu1', severity: 'ignored' },
      externalUrl: 'http://vigil:9090/',
    });
    await feed(h, 'up{job="x"}', [0]);
    await h.load(`groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        labels: { severity: page }
        annotations: { where: '{{ $externalLabels.cluster }} {{ $externalURL }}' }
`);
    await h.manager.evalAll(t0);
    const [alert] = h.sent.flat();
    assert.deepEqual(alert?.labels, { alertname: 'Down', cluster: 'eu1', job: 'x', severity: 'page' });
    assert.equal(alert?.annotations.where, 'eu1 http://vigil:9090');
    assert.equal(alert?.generatorURL, 'http://vigil:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1');
  });
});
