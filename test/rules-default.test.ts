// vigil's embedded default rules: they load, every rule has a severity, a summary and a description, every
// template expands, and every metric they read is one vigil really produces (its collector, scrape's `up`, its
// own metrics), so no default alert silently watches nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { children, type Expr } from '../src/promql/index.ts';
import { defaultRulesYaml, embeddedRulesFile, loadRuleFiles } from '../src/rules/index.ts';
import { rulesHarness } from '../src/rules/testing.ts';

const src = join(import.meta.dirname, '..', 'src');

/** The source text of src/, tests and the rules module left out (a name the rules quote proves nothing). */
function sources(dir = src, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== join(src, 'rules')) sources(p, out);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'testing.ts') {
      out.push(readFileSync(p, 'utf8'));
    }
  }
  return out;
}

function metricNames(e: Expr, out = new Set<string>()): Set<string> {
  if (e.type === 'VectorSelector') {
    const name = e.name || e.labelMatchers.find((m) => m.name === '__name__')?.value;
    if (name) out.add(name);
  }
  for (const c of children(e)) metricNames(c, out);
  return out;
}

/** Whether vigil emits `name`: quoted as a literal in its sources, or a node_memory_ field built from /proc/meminfo. */
function produced(name: string, texts: readonly string[]): boolean {
  const quoted = [`'${name}'`, `"${name}"`, `\`${name}\``];
  if (texts.some((t) => quoted.some((q) => t.includes(q)))) return true;
  const mem = /^node_memory_(\w+)_bytes$/.exec(name);
  if (mem !== null) {
    const builds = texts.some((t) => t.includes('`node_memory_${'));
    const meminfo = readFileSync('/proc/meminfo', 'utf8');
    return builds && new RegExp(`^${mem[1]}:.*kB$`, 'm').test(meminfo);
  }
  return false;
}

describe('the embedded default rules', () => {
  const [group] = loadRuleFiles([embeddedRulesFile]);

  it('load as one group named vigil-default, each rule with severity, summary and description', () => {
    assert.equal(group?.name, 'vigil-default');
    assert.ok((group?.rules.length ?? 0) >= 9);
    for (const r of group?.rules ?? []) {
      assert.equal(r.kind, 'alerting', r.name);
      assert.match(r.labels.get('severity'), /^(warning|critical)$/, r.name);
      const names = r.annotations.map(([n]) => n);
      assert.deepEqual(names, ['description', 'summary'], r.name);
    }
  });

  it('read only metrics vigil produces', () => {
    const texts = sources();
    const used = new Set<string>();
    for (const r of group?.rules ?? []) for (const n of metricNames(r.expr)) used.add(n);
    for (const n of [
      'up',
      'node_cpu_seconds_total',
      'node_memory_MemAvailable_bytes',
      'node_filesystem_avail_bytes',
      'container_memory_working_set_bytes',
      'container_spec_memory_limit_bytes',
      'container_oom_events_total',
      'container_start_time_seconds',
      'vigil_tsdb_wal_corruptions_total',
      'vigil_notifications_failed_total',
    ]) {
      assert.ok(used.has(n), `the default rules watch ${n}`);
    }
    const unknown = [...used].filter((n) => !produced(n, texts));
    assert.deepEqual(unknown, []);
  });

  it('expand their templates without errors when they fire', async () => {
    const h = rulesHarness();
    const t = Date.UTC(2024, 0, 1);
    const series: [string, number][] = [
      ['up{job="node", instance="h:9100"}', 0],
      ['node_memory_MemAvailable_bytes{instance="h"}', 1],
      ['node_memory_MemTotal_bytes{instance="h"}', 100],
      ['container_memory_working_set_bytes{name="db", image="pg"}', 95],
      ['container_spec_memory_limit_bytes{name="db", image="pg"}', 100],
      ['vigil_notifications_failed_total{channel="slack"}', 0],
    ];
    for (let i = 0; i <= 20; i++) {
      for (const [s, v] of series) await h.add(s, t + i * 60_000, s.startsWith('vigil_') ? v + i : v);
    }
    await h.load(defaultRulesYaml, embeddedRulesFile);
    for (let i = 0; i <= 20; i++) await h.manager.evalAll(t + i * 60_000);
    const [view] = h.manager.ruleGroupStatus();
    const firing = new Map<string, Record<string, string>>();
    for (const r of view?.rules ?? []) {
      assert.equal(r.health, 'ok', `${r.name}: ${r.lastError}`);
      for (const a of r.alerts) if (a.state === 'firing') firing.set(r.name, a.annotations.toObject());
    }
    assert.deepEqual([...firing.keys()].sort(), [
      'ContainerNearMemoryLimit',
      'HostMemoryPressure',
      'TargetDown',
      'VigilNotificationsFailing',
    ]);
    for (const [name, annotations] of firing) {
      for (const v of Object.values(annotations)) assert.doesNotMatch(v, /error expanding template|<no value>/, name);
    }
    assert.equal(firing.get('HostMemoryPressure')?.description, 'Only 1% of the memory of h is available.');
    assert.equal(firing.get('VigilNotificationsFailing')?.summary, 'vigil cannot deliver notifications through slack');
  });
});
