/** Memory of a cgroup, with cAdvisor's definitions (working set = usage − inactive file, floored at 0). */
import { flatKeyed } from '../proc/parse.ts';
import type { MemoryStats } from '../types.ts';
import type { CgroupFiles } from './files.ts';

/** `total_<key>` of a v1 memory.stat (hierarchical), else `<key>` (a kernel or cgroup without hierarchy). */
function hierarchical(stat: string | null, key: string): number | null {
  if (stat === null) return null;
  return flatKeyed(stat, `total_${key}`) ?? flatKeyed(stat, key);
}

function workingSet(usage: number, inactiveFile: number | null): number {
  return Math.max(0, usage - (inactiveFile ?? 0));
}

/**
 * v1: `memory.usage_in_bytes`, `memory.max_usage_in_bytes`, `memory.stat` (total_cache, total_rss,
 * total_mapped_file, total_swap, total_active_file, total_inactive_file; pgfault and pgmajfault of the cgroup
 * itself, as cAdvisor's container scope), `memory.kmem.usage_in_bytes`, `memory.failcnt`, and `oom_kill` of
 * `memory.oom_control` (kills in this cgroup, kernel ≥ 4.13). Null without the memory controller or without
 * usage_in_bytes. `swapBytes` is null when swap accounting is off (no `total_swap`).
 */
export function readMemoryV1(f: CgroupFiles, dir: string | undefined): MemoryStats | null {
  if (dir === undefined) return null;
  const usageBytes = f.number(dir, 'memory.usage_in_bytes');
  if (usageBytes === null) return null;
  const stat = f.text(dir, 'memory.stat');
  const inactiveFileBytes = hierarchical(stat, 'inactive_file');
  const oom = f.text(dir, 'memory.oom_control');
  const oomKills = oom === null ? null : flatKeyed(oom, 'oom_kill');
  if (oom !== null && oomKills === null) {
    f.report('cgroup-no-oom-kill', `${dir}/memory.oom_control has no oom_kill line (kernel < 4.13): OOM kills unknown`);
  }
  return {
    usageBytes,
    maxUsageBytes: f.number(dir, 'memory.max_usage_in_bytes'),
    workingSetBytes: workingSet(usageBytes, inactiveFileBytes),
    cacheBytes: hierarchical(stat, 'cache'),
    rssBytes: hierarchical(stat, 'rss'),
    mappedFileBytes: hierarchical(stat, 'mapped_file'),
    swapBytes: hierarchical(stat, 'swap'),
    kernelBytes: f.number(dir, 'memory.kmem.usage_in_bytes'),
    failcnt: f.number(dir, 'memory.failcnt'),
    pgfault: stat === null ? null : flatKeyed(stat, 'pgfault'),
    pgmajfault: stat === null ? null : flatKeyed(stat, 'pgmajfault'),
    activeFileBytes: hierarchical(stat, 'active_file'),
    inactiveFileBytes,
    oomKills,
  };
}

/**
 * v2: `memory.current`, `memory.peak` (kernel ≥ 5.19), `memory.stat` (file, anon, file_mapped, kernel,
 * active_file, inactive_file, pgfault, pgmajfault), `memory.swap.current`, and `oom_kill` of `memory.events`. No
 * failcnt on v2. The root cgroup has no memory.current: its usage is MemTotal − MemFree from /proc/meminfo
 * (`rootUsageBytes`), as runc does for cAdvisor.
 */
export function readMemoryV2(f: CgroupFiles, dir: string, rootUsageBytes: number | null): MemoryStats | null {
  const usageBytes = rootUsageBytes ?? f.number(dir, 'memory.current');
  if (usageBytes === null) return null;
  const isRoot = rootUsageBytes !== null;
  const stat = f.text(dir, 'memory.stat');
  const key = (k: string): number | null => (stat === null ? null : flatKeyed(stat, k));
  const inactiveFileBytes = key('inactive_file');
  const events = isRoot ? null : f.text(dir, 'memory.events');
  return {
    usageBytes,
    maxUsageBytes: isRoot ? null : f.number(dir, 'memory.peak'),
    workingSetBytes: workingSet(usageBytes, inactiveFileBytes),
    cacheBytes: key('file'),
    rssBytes: key('anon'),
    mappedFileBytes: key('file_mapped'),
    swapBytes: isRoot ? null : f.number(dir, 'memory.swap.current'),
    kernelBytes: key('kernel'),
    failcnt: null,
    pgfault: key('pgfault'),
    pgmajfault: key('pgmajfault'),
    activeFileBytes: key('active_file'),
    inactiveFileBytes,
    oomKills: events === null ? null : flatKeyed(events, 'oom_kill'),
  };
}
