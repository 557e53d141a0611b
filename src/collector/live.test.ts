import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { livePoint } from './live.ts';
import { perCpuBusyNs } from './live-api.ts';
import type { ContainerStats, InterfaceStats } from './types.ts';

const iface = (name: string, rxBytes: number, txBytes: number): InterfaceStats => ({
  name,
  rxBytes,
  rxPackets: 0,
  rxErrors: 0,
  rxDropped: 0,
  txBytes,
  txPackets: 0,
  txErrors: 0,
  txDropped: 0,
});

const pass = (t: number, perCpuNs: number[] | null, network: InterfaceStats[]): ContainerStats => ({
  timestampMs: t,
  cpu: {
    usageNs: (perCpuNs ?? [0]).reduce((a, b) => a + b, 0),
    perCpuNs,
    userNs: null,
    systemNs: null,
    cfs: null,
  },
  memory: null,
  network,
  blkio: [],
  processes: null,
});

describe('livePoint', () => {
  it('gives per-core and per-interface rates, a reset counting from zero and a new one as null', () => {
    const prev = pass(1000, [1e9, 5e9], [iface('eth0', 1000, 100)]);
    const cur = pass(2000, [1.5e9, 1e9], [iface('eth0', 3000, 100), iface('eth1', 10, 10)]);
    const p = livePoint(prev, cur);
    assert.deepEqual(p.cpuPerCore, [0.5, 1]);
    assert.deepEqual(p.network, [
      { name: 'eth0', rxBytesPerSecond: 2000, txBytesPerSecond: 0 },
      { name: 'eth1', rxBytesPerSecond: null, txBytesPerSecond: null },
    ]);
    assert.equal(p.networkRxBytesPerSecond, 3010 - 1000);
  });

  it('has no rates without a previous pass, and no per-core figures without per-CPU time', () => {
    const p = livePoint(undefined, pass(1000, null, []));
    assert.equal(p.cpuCores, null);
    assert.equal(p.cpuPerCore, null);
    assert.deepEqual(p.network, []);
  });

  it('takes the host figures (processes, threads, /proc/stat CPUs) over the cgroup ones', () => {
    const host = (ns: number[]) => ({ processes: 300, threads: 900, perCpuNs: ns });
    const p = livePoint(pass(0, null, []), pass(2000, null, []), host([4e9, 2e9]), host([2e9, 2e9]));
    assert.deepEqual(p.cpuPerCore, [1, 0]);
    assert.equal(p.processes, 300);
    assert.equal(p.threads, 900);
  });
});

describe('perCpuBusyNs', () => {
  it('sums the busy ticks of each cpuN line of /proc/stat, in ns', () => {
    const stat = 'cpu  9 9 9 9 9 9 9 9 0 0\ncpu0 1 2 3 100 50 4 5 6 0 0\ncpu1 10 0 0 7 0 0 0 0 0 0\nintr 1 2\n';
    assert.deepEqual(perCpuBusyNs(stat), [21e7, 10e7]);
    assert.equal(perCpuBusyNs('cpu  1 2 3\n'), null);
    assert.equal(perCpuBusyNs(null), null);
  });
});
