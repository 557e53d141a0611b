// promtool's rule unit tests as an oracle: each `*.test.yml` under test/rules-fixtures passes `promtool test rules`
// (Prometheus 2.42, skipped when it is not installed), and this small runner interprets the same format against
// vigil's RuleManager, so both engines agree on every case. Adding a case never means adding code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { compareLabels, type Labels, parseDurationMs } from '../src/model/index.ts';
import { Engine } from '../src/promql/index.ts';
import { type LoadCommand, parseTestFile } from '../src/promql/promqltest/index.ts';
import { type AlertingRule, RuleManager } from '../src/rules/index.ts';
import { silentLogger } from '../src/rules/testing.ts';
import { MemoryStorage } from '../src/storage/index.ts';

const fixtures = join(import.meta.dirname, 'rules-fixtures');
const promtool = '/usr/bin/promtool';

interface UnitTestFile {
  rule_files: string[];
  evaluation_interval?: string;
  tests: TestGroup[];
}

interface TestGroup {
  name?: string;
  interval?: string;
  external_labels?: Record<string, string>;
  external_url?: string;
  input_series?: { series: string; values: string }[];
  alert_rule_test?: {
    eval_time: string;
    alertname: string;
    exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
  }[];
  promql_expr_test?: { expr: string; eval_time: string; exp_samples?: { labels: string; value: number }[] }[];
}

function ms(d: string | undefined, def: number): number {
  if (d === undefined) return def;
  const v = parseDurationMs(d);
  if (v === undefined) throw new Error(`bad duration ${d}`);
  return v;
}

/** `{a="b"}`-style text of a label set, for comparing lists as promtool does (sorted). */
const text = (l: Labels | Record<string, string>) =>
  JSON.stringify(Object.entries('toObject' in l ? (l as Labels).toObject() : l).sort());

async function loadSeries(storage: MemoryStorage, group: TestGroup, intervalText: string) {
  const lines = (group.input_series ?? []).map((s) => `  ${s.series} ${s.values}`).join('\n');
  const [load] = parseTestFile(`load ${intervalText}\n${lines}\n`, 'input_series') as [LoadCommand];
  const app = storage.appender();
  for (const s of load.series) {
    s.values.forEach((v, i) => {
      if (v.kind === 'float') app.append(s.labels, i * load.intervalMs, v.value);
    });
  }
  await app.commit();
}

/** Runs one test group as promtool does; returns the failures, empty when it passes. */
async function runGroup(file: string, spec: UnitTestFile, group: TestGroup): Promise<string[]> {
  const failures: string[] = [];
  const evalInterval = ms(spec.evaluation_interval, 60_000);
  const storage = new MemoryStorage();
  const engine = new Engine();
  await loadSeries(storage, group, group.interval ?? '1m');
  const manager = new RuleManager({
    engine,
    queryable: storage,
    appendable: storage,
    registry: new Registry(),
    logger: silentLogger,
    evaluationIntervalMs: evalInterval,
    externalLabels: group.external_labels ?? {},
    externalUrl: group.external_url ?? '',
    restoreOnStart: false,
  });
  await manager.update(spec.rule_files.map((f) => resolve(dirname(file), f)));

  const alertTests = group.alert_rule_test ?? [];
  const exprTests = group.promql_expr_test ?? [];
  const maxt = Math.max(0, ...alertTests.map((t) => ms(t.eval_time, 0)), ...exprTests.map((t) => ms(t.eval_time, 0)));
  for (let ts = 0; ts <= maxt; ts += evalInterval) {
    await manager.evalAll(ts);
    for (const g of manager.ruleGroups()) {
      for (const r of g.rules) if (r.lastError) failures.push(`rule ${r.spec.name} at ${ts}: ${r.lastError.message}`);
    }
    for (const t of alertTests) {
      const at = ms(t.eval_time, 0);
      if (!(ts <= at && at < ts + evalInterval)) continue;
      const got: string[] = [];
      for (const g of manager.ruleGroups()) {
        for (const r of g.rules) {
          if (r.kind !== 'alerting' || r.spec.name !== t.alertname) continue;
          for (const a of (r as AlertingRule).activeAlerts()) {
            if (a.state === 'firing') got.push(`${text(a.labels)} ${text(a.annotations)}`);
          }
        }
      }
      const want = (t.exp_alerts ?? []).map(
        (a) => `${text({ ...a.exp_labels, alertname: t.alertname })} ${text(a.exp_annotations ?? {})}`,
      );
      try {
        assert.deepEqual(got.sort(), want.sort());
      } catch (err) {
        failures.push(`alertname ${t.alertname}, time ${t.eval_time}: ${(err as Error).message}`);
      }
    }
  }
  for (const t of exprTests) {
    const r = await engine.instantQuery(storage, t.expr, ms(t.eval_time, 0));
    const got =
      r.value.type === 'vector'
        ? [...r.value.samples].sort((a, b) => compareLabels(a.metric, b.metric)).map((s) => `${text(s.metric)} ${s.f}`)
        : r.value.type === 'scalar'
          ? [`[] ${r.value.v}`]
          : [`unexpected ${r.value.type}`];
    const want = (t.exp_samples ?? [])
      .map((s) => {
        const [load] = parseTestFile(`load 1m\n  ${s.labels} 0\n`, 'exp_samples') as [LoadCommand];
        return { labels: load.series[0]?.labels as Labels, value: s.value };
      })
      .sort((a, b) => compareLabels(a.labels, b.labels))
      .map((s) => `${text(s.labels)} ${s.value}`);
    try {
      assert.deepEqual(got, want);
    } catch (err) {
      failures.push(`expr ${t.expr}, time ${t.eval_time}: ${(err as Error).message}`);
    }
  }
  await manager.stop();
  return failures;
}

const files = readdirSync(fixtures)
  .filter((f) => f.endsWith('.test.yml'))
  .sort();

describe('rule unit tests in promtool format', () => {
  it('has test files', () => assert.ok(files.length > 0));
  for (const name of files) {
    const file = join(fixtures, name);
    const spec = parse(readFileSync(file, 'utf8')) as UnitTestFile;

    it(`promtool test rules ${name}`, { skip: existsSync(promtool) ? false : `${promtool} is not installed` }, () => {
      const r = spawnSync(promtool, ['test', 'rules', name], { cwd: fixtures, encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    });

    spec.tests.forEach((group, i) => {
      it(`vigil: ${name}: ${group.name ?? `test ${i + 1}`}`, async () => {
        assert.deepEqual(await runGroup(file, spec, group), []);
      });
    });
  }
});
