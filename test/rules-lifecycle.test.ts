// The rule manager over time, with an injected clock: Prometheus' evaluation schedule (hash-aligned times, missed
// iterations, no overlap), the restoration of alerts' `for` state after a restart, and reloads that keep the
// state of the rules that survive.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStaleNaN } from '../src/model/index.ts';
import { type AlertingRule, evalTimestamp } from '../src/rules/index.ts';
import { parseSeries, rulesHarness } from '../src/rules/testing.ts';

const t0 = Date.UTC(2024, 0, 1);
const min = 60_000;

async function metric(h: ReturnType<typeof rulesHarness>, name: string): Promise<Record<string, number>> {
  const m = await h.registry.getSingleMetric(name)?.get();
  return Object.fromEntries((m?.values ?? []).map((v) => [String(v.labels.rule_group), v.value]));
}

describe('the evaluation schedule', () => {
  it('evaluates at the group offset Prometheus computes, every interval, counting missed iterations', async () => {
    const h = rulesHarness({ startMs: t0 + 7_123 });
    await h.add('foo', t0, 1);
    await h.load(
      'groups:\n  - name: sched\n    interval: 30s\n    rules:\n      - record: r\n        expr: vector(1)\n',
    );
    h.manager.start();
    const first = evalTimestamp('rules.yml', 'sched', 30_000, t0 + 7_123) + 30_000;
    assert.ok(first > t0 + 7_123 && first <= t0 + 37_123);
    assert.equal((first - t0) % 30_000, (evalTimestamp('rules.yml', 'sched', 30_000, t0 + 999_999) - t0) % 30_000);
    await h.clock.advance(first - h.clock.now());
    const g = () => h.manager.ruleGroups()[0];
    assert.equal(g()?.lastEvalTimestampMs, first);
    await h.clock.advance(30_000);
    assert.equal(g()?.lastEvalTimestampMs, first + 30_000);
    // A stall of 100 s: the overdue evaluation runs late at the latest aligned time; the skipped ones are missed.
    h.clock.jump(100_000);
    await h.clock.advance(0);
    assert.equal(g()?.lastEvalTimestampMs, first + 120_000);
    assert.deepEqual(await metric(h, 'vigil_rule_group_iterations_missed_total'), { 'rules.yml;sched': 2 });
    assert.deepEqual(await metric(h, 'vigil_rule_group_iterations_total'), { 'rules.yml;sched': 5 });
    assert.deepEqual(await metric(h, 'vigil_rule_group_interval_seconds'), { 'rules.yml;sched': 30 });
    assert.deepEqual(await metric(h, 'vigil_rule_group_rules'), { 'rules.yml;sched': 1 });
    assert.deepEqual(await metric(h, 'vigil_rule_group_last_evaluation_timestamp_seconds'), {
      'rules.yml;sched': (first + 120_000) / 1000,
    });
    assert.deepEqual(
      h.samples({ __name__: 'r' }).map(([t]) => t),
      [first, first + 30_000, first + 120_000],
    );
    await h.manager.stop();
    await h.clock.advance(10 * min);
    assert.equal(g()?.lastEvalTimestampMs, first + 120_000, 'stopped');
  });

  it('uses global.evaluation_interval for groups without an interval', async () => {
    const h = rulesHarness({ evaluationIntervalMs: 15_000 });
    await h.load('groups:\n  - name: g\n    rules:\n      - record: r\n        expr: vector(1)\n');
    assert.equal(h.manager.ruleGroups()[0]?.intervalMs, 15_000);
    assert.equal(h.manager.ruleGroupStatus()[0]?.intervalMs, 15_000);
  });
});

describe('restoring the for state after a restart', () => {
  const rules = `groups:
  - name: g
    interval: 1m
    rules:
      - alert: Slow
        expr: foo > 5
        for: 30m
      - alert: Quick
        expr: foo > 5
        for: 5m
`;

  it('moves activeAt by the downtime, as Prometheus does', async () => {
    // Before the restart: active since t0, last written at t0 + 5m.
    const before = rulesHarness({ restoreOnStart: true });
    for (let i = 0; i <= 40; i++) await before.add('foo{instance="a"}', t0 + i * min, 10);
    await before.load(rules);
    for (let i = 0; i <= 5; i++) await before.manager.evalAll(t0 + i * min);
    const forState = before.samples({ __name__: 'ALERTS_FOR_STATE', alertname: 'Slow', instance: 'a' });
    assert.deepEqual(forState.at(-1), [t0 + 5 * min, t0 / 1000], 'written once restored (after 2 evaluations)');
    assert.equal(forState.length, 4);

    // The restart, 15 minutes later, on the same storage.
    const after = rulesHarness({ restoreOnStart: true, startMs: t0 + 20 * min });
    const app = after.storage.appender();
    for (const s of ['foo{instance="a"}', 'ALERTS_FOR_STATE{alertname="Slow", instance="a"}']) {
      const labels = parseSeries(s);
      for (const [t, v] of before.samples(labels.toObject())) app.append(labels, t, v);
    }
    await app.commit();
    await after.load(rules);
    await after.manager.evalAll(t0 + 20 * min);
    await after.manager.evalAll(t0 + 21 * min); // restores at clock.now() = t0 + 20m
    const [slow, quick] = (after.manager.ruleGroups()[0]?.rules ?? []) as [AlertingRule, AlertingRule];
    const a = [...slow.active.values()][0];
    // Pending for 5m before going down at 5m; down for 15m: activeAt moves to t0 + 15m, firing at t0 + 45m.
    assert.equal(a?.activeAtMs, t0 + 15 * min);
    assert.equal(a?.state, 'pending');
    // `for` below the 10m grace period: not restored, it waits its `for` again from its first evaluation.
    assert.equal([...quick.active.values()][0]?.activeAtMs, t0 + 20 * min);
    assert.equal(slow.restored && quick.restored, true);
  });

  it('gives an alert that was about to fire the grace period', async () => {
    const h = rulesHarness({ restoreOnStart: true, startMs: t0 + 40 * min });
    await h.add('ALERTS_FOR_STATE{alertname="Slow",instance="a"}', t0 + 25 * min, t0 / 1000);
    for (let i = 30; i <= 50; i++) await h.add('foo{instance="a"}', t0 + i * min, 10);
    await h.load(rules);
    await h.manager.evalAll(t0 + 40 * min);
    await h.manager.evalAll(t0 + 41 * min);
    const [slow] = (h.manager.ruleGroups()[0]?.rules ?? []) as [AlertingRule];
    // 25m of 30m spent: 5m left, under the grace period: it fires 10m after the restoration.
    assert.equal([...slow.active.values()][0]?.activeAtMs, t0 + 40 * min + 10 * min - 30 * min);
  });
});

describe('reloading', () => {
  const v1 = `groups:
  - name: g
    interval: 1m
    rules:
      - alert: High
        expr: foo > 5
        for: 10m
      - record: old_rule
        expr: foo
`;
  const v2 = `groups:
  - name: g
    interval: 1m
    rules:
      - record: new_rule
        expr: foo
      - alert: High
        expr: foo > 5
        for: 10m
        annotations: { note: changed }
`;

  it('keeps the alerts of rules that survive and marks the series of removed rules stale', async () => {
    const h = rulesHarness();
    for (let i = 0; i <= 5; i++) await h.add('foo', t0 + i * min, 10);
    await h.load(v1);
    await h.manager.evalAll(t0);
    await h.manager.evalAll(t0 + min);
    const before = h.manager.ruleGroups()[0];
    await h.load(v2);
    const g = h.manager.ruleGroups()[0];
    assert.notEqual(g, before, 'a changed group is a new group');
    const high = g?.rules[1] as AlertingRule;
    assert.equal([...high.active.values()][0]?.activeAtMs, t0, 'the alert keeps its activeAt');
    await h.manager.evalAll(t0 + 2 * min);
    const old = h.samples({ __name__: 'old_rule' });
    assert.equal(old.length, 3);
    assert.ok(isStaleNaN((old[2] as [number, number])[1]), 'the removed rule is marked stale');
    assert.equal([...high.active.values()][0]?.annotations.get('note'), 'changed');
  });

  it('keeps an unchanged group running as it is, and marks a removed group stale two intervals later', async () => {
    const h = rulesHarness({ startMs: t0 });
    for (let i = 0; i <= 5; i++) await h.add('foo', t0 + i * min, 10);
    await h.load(v1);
    const g = h.manager.ruleGroups()[0];
    await h.load(v1);
    assert.equal(h.manager.ruleGroups()[0], g);
    await h.manager.evalAll(t0);
    await h.clock.advance(30_000);
    await h.manager.update([]);
    assert.deepEqual(h.manager.ruleGroups(), []);
    assert.deepEqual(await metric(h, 'vigil_rule_group_rules'), {});
    assert.equal(h.samples({ __name__: 'old_rule' }).length, 1);
    await h.clock.advance(2 * min - 1);
    assert.equal(h.samples({ __name__: 'old_rule' }).length, 1);
    await h.clock.advance(1);
    const old = h.samples({ __name__: 'old_rule' });
    assert.deepEqual(old[1]?.[0], t0 + 30_000);
    assert.equal(old.length, 2);
    assert.ok(isStaleNaN((old[1] as [number, number])[1]));
  });
});
