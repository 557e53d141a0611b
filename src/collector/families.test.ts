import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeText } from '../exposition/index.ts';
import { FamilyBuilder } from './families.ts';
import type { ContainerSpec, ContainerStats } from './types.ts';

const spec: ContainerSpec = {
  cpuShares: 1024,
  cpuPeriodUs: 100000,
  cpuQuotaUs: 50000,
  memoryLimitBytes: 268435456,
  memorySwapLimitBytes: null,
  memoryReservationBytes: 0,
  creationMs: 1_700_000_000_000,
};
const stats: ContainerStats = {
  timestampMs: 1_700_000_100_000,
  cpu: { usageNs: 3e9, perCpuNs: [2e9, 0, 1e9], userNs: 2e9, systemNs: 1e9, cfs: null },
  memory: {
    usageBytes: 1000,
    maxUsageBytes: null,
    workingSetBytes: 900,
    cacheBytes: 100,
    rssBytes: 800,
    mappedFileBytes: null,
    swapBytes: null,
    kernelBytes: null,
    failcnt: 0,
    pgfault: 7,
    pgmajfault: 1,
    activeFileBytes: null,
    inactiveFileBytes: 100,
    oomKills: 2,
  },
  network: [
    {
      name: 'eth0',
      rxBytes: 10,
      rxPackets: 1,
      rxErrors: 0,
      rxDropped: 0,
      txBytes: 20,
      txPackets: 2,
      txErrors: 0,
      txDropped: 0,
    },
  ],
  blkio: [{ major: 254, minor: 0, device: '/dev/vda', readBytes: 4096, writeBytes: 8192, reads: 1, writes: 2 }],
  processes: null,
};

describe('FamilyBuilder', () => {
  it("writes cAdvisor's names, types, labels and units; leaves out what the kernel did not give", () => {
    const b = new FamilyBuilder();
    b.container(
      {
        ref: { id: '/docker/abc', version: 1, dirs: {} },
        meta: {
          name: 'web',
          image: 'nginx:1.25',
          labels: {},
          pid: 1,
          createdMs: 1_700_000_000_000,
          startedMs: 1_700_000_050_000,
          health: -1,
          restartCount: 0,
        },
        extraLabels: { container_label_com_docker_compose_service: 'web' },
        stats,
        spec,
      },
      1_700_000_100_500,
    );
    const w = writeText(b.families());
    assert.ok(w.ok);
    const text = w.body;
    const base = {
      container_label_com_docker_compose_service: 'web',
      id: '/docker/abc',
      image: 'nginx:1.25',
      name: 'web',
    };
    /** The label set as the writer prints it: names sorted. */
    const ls = (extra: Record<string, string> = {}) =>
      Object.entries({ ...base, ...extra })
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
    assert.match(text, /^# TYPE container_cpu_usage_seconds_total counter$/m);
    assert.ok(text.includes(`container_cpu_usage_seconds_total{${ls({ cpu: 'cpu00' })}} 2\n`), text);
    assert.ok(text.includes(`container_cpu_usage_seconds_total{${ls({ cpu: 'cpu02' })}} 1\n`));
    assert.ok(!text.includes('cpu="cpu01"'), 'idle CPUs left out, as cAdvisor');
    assert.ok(!text.includes('container_cpu_cfs_periods_total'), 'no CFS series without a quota reading');
    assert.ok(!text.includes('container_memory_swap'), 'a null figure is left out, not written as 0');
    assert.ok(
      text.includes(`container_memory_failures_total{${ls({ failure_type: 'pgmajfault', scope: 'container' })}} 1\n`),
    );
    assert.ok(text.includes(`container_oom_events_total{${ls()}} 2\n`));
    assert.ok(text.includes(`container_network_transmit_bytes_total{${ls({ interface: 'eth0' })}} 20\n`));
    assert.ok(
      text.includes(
        `container_blkio_device_usage_total{${ls({ device: '/dev/vda', major: '254', minor: '0', operation: 'Write' })}} 8192\n`,
      ),
    );
    assert.ok(text.includes(`container_start_time_seconds{${ls()}} 1.70000005e+09\n`));
    assert.ok(text.includes(`container_last_seen{${ls()}} 1.7000001e+09\n`));
    assert.ok(text.includes(`container_spec_cpu_quota{${ls()}} 50000\n`));
    assert.ok(text.includes(`container_spec_memory_limit_bytes{${ls()}} 2.68435456e+08\n`));
    assert.ok(!/ \d+ \d+$/m.test(text), 'no explicit timestamps');
  });

  it('reuses label sets across renders and empties itself after each', () => {
    const b = new FamilyBuilder();
    const view = { ref: { id: '/x', version: 1 as const, dirs: {} }, meta: undefined, extraLabels: {}, stats, spec };
    b.container(view, 0);
    const first = b.families();
    b.container(view, 0);
    const second = b.families();
    assert.equal(first[0]?.samples[0]?.labels, second[0]?.samples[0]?.labels);
    assert.deepEqual(b.families(), []);
  });
});
