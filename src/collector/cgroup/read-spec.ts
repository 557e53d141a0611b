/**
 * A cgroup's limits and settings, as cAdvisor's `container_spec_*` (its `GetSpec`): CPU shares, CFS period and
 * quota, memory limit, swap limit and reservation. Creation time is computed by the caller (it is cached).
 */
import type { ContainerSpec } from '../types.ts';
import type { CgroupFiles } from './files.ts';

/** Above this a memory limit means "unlimited" (the kernel writes 2^63 − page size, or `max`); reported as 0. */
const unlimitedAbove = 2 ** 62;

/** A limit as cAdvisor exports it: 0 for unlimited; null stays null. */
export function specLimit(v: number | null): number | null {
  return v === null ? null : v > unlimitedAbove ? 0 : v;
}

/** Spec without `creationMs`: fields a cgroup lacks are null (memory limit 0, unlimited). */
export type SpecWithoutCreation = Omit<ContainerSpec, 'creationMs'>;

/** v1: `cpu.shares`, `cpu.cfs_period_us`, `cpu.cfs_quota_us` (-1: none), `memory.limit_in_bytes`, `memory.memsw.limit_in_bytes`, `memory.soft_limit_in_bytes`. */
export function readSpecV1(f: CgroupFiles, dirs: Readonly<Record<string, string>>): SpecWithoutCreation {
  let cpuShares: number | null = null;
  let cpuPeriodUs: number | null = null;
  let cpuQuotaUs: number | null = null;
  const cpu = dirs.cpu;
  if (cpu !== undefined) {
    cpuShares = f.number(cpu, 'cpu.shares');
    cpuPeriodUs = f.number(cpu, 'cpu.cfs_period_us');
    const quota = f.number(cpu, 'cpu.cfs_quota_us');
    cpuQuotaUs = quota === null || quota < 0 ? null : quota;
  }
  let memoryLimitBytes = 0;
  let memorySwapLimitBytes: number | null = null;
  let memoryReservationBytes: number | null = null;
  const mem = dirs.memory;
  if (mem !== undefined) {
    memoryLimitBytes = specLimit(f.number(mem, 'memory.limit_in_bytes')) ?? 0;
    memorySwapLimitBytes = specLimit(f.number(mem, 'memory.memsw.limit_in_bytes'));
    memoryReservationBytes = specLimit(f.number(mem, 'memory.soft_limit_in_bytes'));
  }
  return { cpuShares, cpuPeriodUs, cpuQuotaUs, memoryLimitBytes, memorySwapLimitBytes, memoryReservationBytes };
}

/** cgroup v2 `cpu.weight` (1…10000) as v1 shares (2…262144), cAdvisor's mapping; null when out of range. */
export function weightToShares(weight: number): number | null {
  if (!(weight >= 1 && weight <= 10000)) return null;
  return 2 + Math.floor(((weight - 1) * 262142) / 9999);
}

/**
 * v2: `cpu.weight`, `cpu.max` (`<quota|max> <period>`), `memory.max`, `memory.swap.max`, `memory.min`, each read only
 * when its controller is enabled for the cgroup (`controllers`: the words of `cgroup.controllers`).
 */
export function readSpecV2(f: CgroupFiles, dir: string, controllers: ReadonlySet<string>): SpecWithoutCreation {
  let cpuShares: number | null = null;
  let cpuPeriodUs: number | null = null;
  let cpuQuotaUs: number | null = null;
  if (controllers.has('cpu')) {
    const weight = f.number(dir, 'cpu.weight');
    cpuShares = weight === null ? null : weightToShares(weight);
    const max = f.text(dir, 'cpu.max');
    if (max !== null) {
      const [quota, period] = max.trim().split(' ');
      cpuQuotaUs = quota === undefined || quota === 'max' ? null : Number(quota);
      cpuPeriodUs = period === undefined ? null : Number(period);
      if (Number.isNaN(cpuQuotaUs) || Number.isNaN(cpuPeriodUs)) {
        f.report('cgroup-unparsable:cpu.max', `cgroup file ${dir}/cpu.max is not "<quota|max> <period>": ${max}`);
        cpuQuotaUs = null;
        cpuPeriodUs = null;
      }
    }
  }
  let memoryLimitBytes = 0;
  let memorySwapLimitBytes: number | null = null;
  let memoryReservationBytes: number | null = null;
  if (controllers.has('memory')) {
    memoryLimitBytes = specLimit(f.number(dir, 'memory.max')) ?? 0;
    memorySwapLimitBytes = specLimit(f.number(dir, 'memory.swap.max'));
    memoryReservationBytes = specLimit(f.number(dir, 'memory.min'));
  }
  return { cpuShares, cpuPeriodUs, cpuQuotaUs, memoryLimitBytes, memorySwapLimitBytes, memoryReservationBytes };
}
