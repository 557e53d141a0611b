import assert from 'node:assert/strict';
import { setPriority } from 'node:os';
import { after, before, describe, test } from 'node:test';
import type { ContainerRef } from '../types.ts';
import { readContainer } from './read.ts';
import { RecordingProblems, realCgroupsUnavailable, sleep, TestCgroup } from './testing.ts';

const unavailable = realCgroupsUnavailable();

/** CPU time of the container between two reads, in cores, with the reads' wall-clock span. */
async function coresOver(ref: ContainerRef, ms: number, problems: RecordingProblems) {
  const a = readContainer(ref, 0, Date.now(), problems);
  const t0 = process.hrtime.bigint();
  await sleep(ms);
  const b = readContainer(ref, 0, Date.now(), problems);
  const t1 = process.hrtime.bigint();
  assert.ok(a?.stats.cpu && b?.stats.cpu, 'cpu stats read');
  const wallNs = Number(t1 - t0);
  const ca = a.stats.cpu;
  const cb = b.stats.cpu;
  return {
    cores: (cb.usageNs - ca.usageNs) / wallNs,
    usageNs: cb.usageNs - ca.usageNs,
    userSystemNs: (cb.userNs ?? 0) + (cb.systemNs ?? 0) - (ca.userNs ?? 0) - (ca.systemNs ?? 0),
    perCpuNs:
      cb.perCpuNs === null || ca.perCpuNs === null
        ? null
        : cb.perCpuNs.reduce((s, v) => s + v, 0) - ca.perCpuNs.reduce((s, v) => s + v, 0),
    a,
    b,
  };
}

describe('CPU of a real cgroup', { skip: unavailable ?? false }, () => {
  let cg: TestCgroup;
  let ref: ContainerRef;
  const problems = new RecordingProblems();

  before(async () => {
    cg = TestCgroup.create();
    const burner = cg.spawn('/bin/sh', ['-c', 'while :; do :; done']);
    await sleep(100);
    // The machine has 2 shared cores: give the burner its core even when other work runs.
    if (burner.pid !== undefined) setPriority(burner.pid, -10);
    ref = cg.ref();
  });
  after(async () => {
    await cg.destroy();
  });

  test('a busy loop grows usage at ~1 core (±10%); user+system and per-CPU agree; no quota, no CFS counters', async () => {
    const m = await coresOver(ref, 2500, problems);
    console.log(
      `burner: ${m.cores.toFixed(3)} cores over 2.5 s; user+system ${(m.userSystemNs / 1e9).toFixed(2)} s, usage ${(m.usageNs / 1e9).toFixed(3)} s`,
    );
    assert.ok(m.cores > 0.9 && m.cores < 1.1, `cores ${m.cores}`);
    // user/system come in 10 ms ticks, sampled by the kernel: a few ticks of slack over 2.5 s.
    assert.ok(Math.abs(m.userSystemNs - m.usageNs) < 0.05 * m.usageNs, `user+system ${m.userSystemNs} vs ${m.usageNs}`);
    if (m.perCpuNs !== null) assert.equal(m.perCpuNs, m.usageNs, 'per-CPU sums to the total');
    assert.equal(m.b.stats.cpu?.cfs, null);
    assert.equal(m.b.spec.cpuQuotaUs, null);
    assert.equal(m.b.spec.cpuShares, ref.version === 1 ? 1024 : m.b.spec.cpuShares);
    assert.deepEqual(problems.calls, []);
  });

  test('a CFS quota of 0.25 core caps the rate and brings the throttling counters', async () => {
    if (ref.version === 1) {
      cg.write('cpu', 'cpu.cfs_period_us', '100000');
      cg.write('cpu', 'cpu.cfs_quota_us', '25000');
    } else {
      cg.write('unified', 'cpu.max', '25000 100000');
    }
    await sleep(200);
    const m = await coresOver(ref, 1500, problems);
    console.log(`quota 0.25: ${m.cores.toFixed(3)} cores, cfs ${JSON.stringify(m.b.stats.cpu?.cfs)}`);
    assert.ok(m.cores > 0.2 && m.cores < 0.3, `cores ${m.cores}`);
    assert.deepEqual([m.b.spec.cpuQuotaUs, m.b.spec.cpuPeriodUs], [25000, 100000]);
    const ca = m.a.stats.cpu?.cfs;
    const cb = m.b.stats.cpu?.cfs;
    assert.ok(ca && cb, 'cfs counters present with a quota');
    const periods = cb.periods - ca.periods;
    assert.ok(periods >= 12 && periods <= 17, `periods ${periods} over 1.5 s of 100 ms`);
    assert.ok(cb.throttledPeriods - ca.throttledPeriods >= periods - 2, 'nearly every period throttled');
    assert.ok(cb.throttledNs - ca.throttledNs > 0.5e9, `throttled ${(cb.throttledNs - ca.throttledNs) / 1e9} s`);
  });
});
