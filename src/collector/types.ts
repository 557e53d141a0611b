/**
 * What the collector reads about a container (a cgroup) at one housekeeping pass: the contract between the
 * readers (cgroup/, proc/, docker/) and what turns a pass into metrics, the live ring and the cAdvisor API.
 * Counters are cumulative as the kernel reports them, in the units named; a field the kernel or cgroup version
 * does not provide is null (never a made-up 0).
 */

/** A cgroup the collector tracks. */
export interface ContainerRef {
  /** cAdvisor's container name and `id` label: the cgroup path relative to the hierarchy root (`/`, `/docker/<id>`). */
  readonly id: string;
  /** cgroup version of the hierarchy it was found in. */
  readonly version: 1 | 2;
  /**
   * Absolute cgroup directories by controller (`cpu`, `cpuacct`, `memory`, `blkio`, `pids`, `cpuset`… on v1; one
   * entry `unified` on v2). A controller not mounted or without this cgroup is absent.
   */
  readonly dirs: Readonly<Record<string, string>>;
}

/** Identity from a container runtime (Docker Engine API); absent for raw cgroups. */
export interface ContainerMeta {
  /** Container name without the leading `/`. */
  readonly name: string;
  /** `Config.Image` as the user wrote it. */
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Main process id in the host pid namespace (for its network namespace), 0 when not running. */
  readonly pid: number;
  /** Unix ms. */
  readonly createdMs: number;
  readonly startedMs: number;
  /** 1 healthy, 0 starting or unhealthy, -1 no healthcheck. */
  readonly health: 1 | 0 | -1;
  readonly restartCount: number;
}

export interface CpuStats {
  /** Total CPU time, ns. */
  readonly usageNs: number;
  /** Per-CPU time, ns, index = CPU number (v1 `cpuacct.usage_percpu`); null on v2. */
  readonly perCpuNs: readonly number[] | null;
  readonly userNs: number | null;
  readonly systemNs: number | null;
  /** CFS bandwidth counters; null when no quota is set. */
  readonly cfs: { readonly periods: number; readonly throttledPeriods: number; readonly throttledNs: number } | null;
}

export interface MemoryStats {
  readonly usageBytes: number;
  readonly maxUsageBytes: number | null;
  /** usage − inactive file, floored at 0 (cAdvisor's definition). */
  readonly workingSetBytes: number;
  readonly cacheBytes: number | null;
  readonly rssBytes: number | null;
  readonly mappedFileBytes: number | null;
  readonly swapBytes: number | null;
  readonly kernelBytes: number | null;
  readonly failcnt: number | null;
  readonly pgfault: number | null;
  readonly pgmajfault: number | null;
  readonly activeFileBytes: number | null;
  readonly inactiveFileBytes: number | null;
  /** OOM kills in this cgroup (v1 `memory.oom_control oom_kill`, v2 `memory.events oom_kill`). */
  readonly oomKills: number | null;
}

export interface InterfaceStats {
  readonly name: string;
  readonly rxBytes: number;
  readonly rxPackets: number;
  readonly rxErrors: number;
  readonly rxDropped: number;
  readonly txBytes: number;
  readonly txPackets: number;
  readonly txErrors: number;
  readonly txDropped: number;
}

export interface BlockDeviceStats {
  readonly major: number;
  readonly minor: number;
  /** `/dev/<name>` resolved from major:minor, else `major:minor`. */
  readonly device: string;
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly reads: number;
  readonly writes: number;
}

export interface ProcessStats {
  /** Lines of cgroup.procs. */
  readonly processes: number;
  /** Tasks: `pids.current` where present, else the threads counted from /proc. */
  readonly threads: number;
  /** `pids.max`, 0 = unlimited; null without the pids controller. */
  readonly threadsMax: number | null;
  readonly fileDescriptors: number;
  readonly sockets: number;
  /** Task states counted from /proc/<pid>/task/<tid>/stat. */
  readonly states: {
    readonly running: number;
    readonly sleeping: number;
    readonly stopped: number;
    readonly uninterruptible: number;
    readonly iowaiting: number;
  };
}

/** Limits and settings, as cAdvisor's `container_spec_*`. */
export interface ContainerSpec {
  readonly cpuShares: number | null;
  readonly cpuPeriodUs: number | null;
  /** null when no quota is set. */
  readonly cpuQuotaUs: number | null;
  /** 0 = unlimited. */
  readonly memoryLimitBytes: number;
  readonly memorySwapLimitBytes: number | null;
  readonly memoryReservationBytes: number | null;
  /** Unix ms: the runtime's creation time, else the cgroup directory's. */
  readonly creationMs: number;
}

/** One housekeeping pass over one container. */
export interface ContainerStats {
  /** Unix ms the pass read the kernel. */
  readonly timestampMs: number;
  readonly cpu: CpuStats | null;
  readonly memory: MemoryStats | null;
  /** Interfaces of the container's network namespace (lo, veth*, docker* left out); empty without a pid. */
  readonly network: readonly InterfaceStats[];
  readonly blkio: readonly BlockDeviceStats[];
  readonly processes: ProcessStats | null;
}
