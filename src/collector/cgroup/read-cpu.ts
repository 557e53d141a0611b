/** CPU time of a cgroup: total, per CPU (v1), user and system, and CFS bandwidth counters when a quota is set. */
import { decimalFields, flatKeyed } from '../proc/parse.ts';
import type { CpuStats } from '../types.ts';
import type { CgroupFiles } from './files.ts';

/**
 * Nanoseconds per USER_HZ tick, the unit of v1 `cpuacct.stat`. USER_HZ (`getconf CLK_TCK`) is 100 on every Linux
 * architecture Node runs on, so user/system time has 10 ms resolution on v1.
 */
export const nsPerUserHzTick = 10_000_000;

/**
 * v1: `cpuacct.usage` (ns), `cpuacct.usage_percpu` (ns per possible CPU), `cpuacct.stat` user/system (ticks), and
 * from the cpu controller's `cpu.stat` nr_periods, nr_throttled, throttled_time (ns) when `hasQuota`. Null without
 * the cpuacct controller or without `cpuacct.usage`.
 */
export function readCpuV1(f: CgroupFiles, dirs: Readonly<Record<string, string>>, hasQuota: boolean): CpuStats | null {
  const acct = dirs.cpuacct;
  if (acct === undefined) return null;
  const usageNs = f.number(acct, 'cpuacct.usage');
  if (usageNs === null) return null;
  const perCpuText = f.text(acct, 'cpuacct.usage_percpu');
  let perCpuNs = perCpuText === null ? null : decimalFields(perCpuText);
  if (perCpuText !== null && perCpuNs === null) {
    f.report(
      'cgroup-unparsable:cpuacct.usage_percpu',
      `cgroup file ${acct}/cpuacct.usage_percpu is not a list of numbers`,
    );
    perCpuNs = null;
  }
  const stat = f.text(acct, 'cpuacct.stat');
  const userTicks = stat === null ? null : flatKeyed(stat, 'user');
  const systemTicks = stat === null ? null : flatKeyed(stat, 'system');
  let cfs: CpuStats['cfs'] = null;
  const cpu = dirs.cpu;
  if (hasQuota && cpu !== undefined) {
    const cpuStat = f.text(cpu, 'cpu.stat');
    if (cpuStat !== null) cfs = cfsOf(cpuStat, 'throttled_time', 1);
  }
  return {
    usageNs,
    perCpuNs,
    userNs: userTicks === null ? null : userTicks * nsPerUserHzTick,
    systemNs: systemTicks === null ? null : systemTicks * nsPerUserHzTick,
    cfs,
  };
}

function cfsOf(stat: string, throttledKey: string, nsPerUnit: number): CpuStats['cfs'] {
  const periods = flatKeyed(stat, 'nr_periods');
  const throttledPeriods = flatKeyed(stat, 'nr_throttled');
  const throttled = flatKeyed(stat, throttledKey);
  if (periods === null || throttledPeriods === null || throttled === null) return null;
  return { periods, throttledPeriods, throttledNs: throttled * nsPerUnit };
}

/**
 * v2: `cpu.stat` usage_usec, user_usec, system_usec (µs), and nr_periods, nr_throttled, throttled_usec when
 * `hasQuota` (`cpu.max` is not `max`). No per-CPU usage exists on v2 (`perCpuNs` null). Null without `cpu.stat`
 * or its usage_usec.
 */
export function readCpuV2(f: CgroupFiles, dir: string, hasQuota: boolean): CpuStats | null {
  const stat = f.text(dir, 'cpu.stat');
  if (stat === null) return null;
  const usageUs = flatKeyed(stat, 'usage_usec');
  if (usageUs === null) {
    f.report('cgroup-unparsable:cpu.stat', `cgroup file ${dir}/cpu.stat has no usage_usec`);
    return null;
  }
  const userUs = flatKeyed(stat, 'user_usec');
  const systemUs = flatKeyed(stat, 'system_usec');
  return {
    usageNs: usageUs * 1000,
    perCpuNs: null,
    userNs: userUs === null ? null : userUs * 1000,
    systemNs: systemUs === null ? null : systemUs * 1000,
    cfs: hasQuota ? cfsOf(stat, 'throttled_usec', 1000) : null,
  };
}
