/**
 * Views of the live rings for the HTTP APIs: vigil's own live summary (latest figures and per-second rates, what
 * the UI draws every second) and cAdvisor's REST shapes (`/api/v1.3/containers`, `/api/v2.0/stats`), field for
 * field as cAdvisor's JSON names them.
 */
import type { TrackedContainer } from './collector.ts';
import { counterRate } from './ring.ts';
import type { ContainerStats } from './types.ts';

/** One container in `/api/v1/live/containers` and in each live stream event. */
export interface LiveSummary {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  /** Unix ms of the newest pass. */
  timestamp: number;
  /** CPU in cores (1 = one core busy) over the last interval; null before two passes. */
  cpuCores: number | null;
  cpuThrottledPeriodsPerSecond: number | null;
  memoryUsageBytes: number | null;
  memoryWorkingSetBytes: number | null;
  memoryCacheBytes: number | null;
  memoryLimitBytes: number | null;
  networkRxBytesPerSecond: number | null;
  networkTxBytesPerSecond: number | null;
  diskReadBytesPerSecond: number | null;
  diskWriteBytesPerSecond: number | null;
  processes: number | null;
  threads: number | null;
  /** Open file descriptors and sockets of the processes, counted every 15 s (between, the last count). */
  fileDescriptors: number | null;
  sockets: number | null;
}

/** Per-second rates of one network interface between two passes. */
export interface LiveInterface {
  name: string;
  /** Null when the interface was not there in the pass before. */
  rxBytesPerSecond: number | null;
  txBytesPerSecond: number | null;
}

/** One pass of a container's ring with per-second rates from the pass before it (`/api/v1/live/containers/<id>`). */
export interface LivePoint {
  /** Unix ms of the pass. */
  t: number;
  cpuCores: number | null;
  /** Cores busy per CPU (index = CPU number); null where the kernel gives no per-CPU time (cgroup v2 containers). */
  cpuPerCore: (number | null)[] | null;
  cpuThrottledPeriodsPerSecond: number | null;
  memoryUsageBytes: number | null;
  memoryWorkingSetBytes: number | null;
  memoryCacheBytes: number | null;
  networkRxBytesPerSecond: number | null;
  networkTxBytesPerSecond: number | null;
  /** Per interface, in the order the kernel lists them. */
  network: LiveInterface[];
  diskReadBytesPerSecond: number | null;
  diskWriteBytesPerSecond: number | null;
  processes: number | null;
  threads: number | null;
}

/**
 * Figures that replace a pass's own for the host (the root cgroup `/`): whole-machine process and thread counts
 * (the root cgroup lists only the processes left in it), and per-CPU time from /proc/stat where the root cgroup
 * has none (cgroup v2).
 */
export interface HostExtras {
  processes: number | null;
  threads: number | null;
  /** Busy time per CPU, ns; null when the cgroup's own per-CPU time is used. */
  perCpuNs: readonly number[] | null;
}

const sum = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((n, x) => n + f(x), 0);

/**
 * The point of pass `cur`, with rates from `prev` (none without it). Counters that went down (a restart) count
 * from zero, as `counterRate` does; a CPU or interface missing from `prev` has a null rate. `host`, `hostPrev`:
 * the host's figures at `cur` and `prev` (for the root cgroup only).
 */
export function livePoint(
  prev: ContainerStats | undefined,
  cur: ContainerStats,
  host?: HostExtras,
  hostPrev?: HostExtras,
): LivePoint {
  const dt = prev === undefined ? 0 : cur.timestampMs - prev.timestampMs;
  const rate = (f: (s: ContainerStats) => number | null | undefined) =>
    prev === undefined ? null : counterRate(f(prev), f(cur), dt);
  const cpuNs = rate((s) => s.cpu?.usageNs);
  const curCpus = host?.perCpuNs ?? cur.cpu?.perCpuNs ?? null;
  const prevCpus = host?.perCpuNs ? (hostPrev?.perCpuNs ?? null) : (prev?.cpu?.perCpuNs ?? null);
  const perCore =
    curCpus === null
      ? null
      : curCpus.map((ns, i) => {
          const r = counterRate(prevCpus?.[i], ns, dt);
          return r === null ? null : r / 1e9;
        });
  const network = cur.network.map((n): LiveInterface => {
    const before = prev?.network.find((p) => p.name === n.name);
    return {
      name: n.name,
      rxBytesPerSecond: counterRate(before?.rxBytes, n.rxBytes, dt),
      txBytesPerSecond: counterRate(before?.txBytes, n.txBytes, dt),
    };
  });
  return {
    t: cur.timestampMs,
    cpuCores: cpuNs === null ? null : cpuNs / 1e9,
    cpuPerCore: perCore,
    cpuThrottledPeriodsPerSecond: rate((s) => s.cpu?.cfs?.throttledPeriods),
    memoryUsageBytes: cur.memory?.usageBytes ?? null,
    memoryWorkingSetBytes: cur.memory?.workingSetBytes ?? null,
    memoryCacheBytes: cur.memory?.cacheBytes ?? null,
    networkRxBytesPerSecond: rate((s) => sum(s.network, (n) => n.rxBytes)),
    networkTxBytesPerSecond: rate((s) => sum(s.network, (n) => n.txBytes)),
    network,
    diskReadBytesPerSecond: rate((s) => sum(s.blkio, (d) => d.readBytes)),
    diskWriteBytesPerSecond: rate((s) => sum(s.blkio, (d) => d.writeBytes)),
    processes: host?.processes ?? cur.processes?.processes ?? null,
    threads: host?.threads ?? cur.processes?.threads ?? null,
  };
}

/** Per-second rates and latest values between the two newest passes; `host` as for `livePoint`. */
export function summarize(c: TrackedContainer, host?: HostExtras, hostPrev?: HostExtras): LiveSummary | null {
  const cur = c.ring.latest();
  if (cur === undefined) return null;
  const p = livePoint(c.ring.previous(), cur, host, hostPrev);
  return {
    id: c.ref.id,
    name: c.meta?.name ?? '',
    image: c.meta?.image ?? '',
    labels: { ...(c.meta?.labels ?? {}) },
    timestamp: p.t,
    cpuCores: p.cpuCores,
    cpuThrottledPeriodsPerSecond: p.cpuThrottledPeriodsPerSecond,
    memoryUsageBytes: p.memoryUsageBytes,
    memoryWorkingSetBytes: p.memoryWorkingSetBytes,
    memoryCacheBytes: p.memoryCacheBytes,
    memoryLimitBytes: c.spec?.memoryLimitBytes ?? null,
    networkRxBytesPerSecond: p.networkRxBytesPerSecond,
    networkTxBytesPerSecond: p.networkTxBytesPerSecond,
    diskReadBytesPerSecond: p.diskReadBytesPerSecond,
    diskWriteBytesPerSecond: p.diskWriteBytesPerSecond,
    processes: p.processes,
    threads: p.threads,
    fileDescriptors: cur.processes?.fileDescriptors ?? null,
    sockets: cur.processes?.sockets ?? null,
  };
}

/** RFC 3339 with nanoseconds, as Go's time.Time marshals (cAdvisor's `timestamp`). */
function goTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** One pass in cAdvisor's v1 `ContainerStats` JSON shape. */
export function cadvisorStats(s: ContainerStats): Record<string, unknown> {
  const cpu = s.cpu;
  const m = s.memory;
  const data = { pgfault: m?.pgfault ?? 0, pgmajfault: m?.pgmajfault ?? 0 };
  const ifaces = s.network.map((n) => ({
    name: n.name,
    rx_bytes: n.rxBytes,
    rx_packets: n.rxPackets,
    rx_errors: n.rxErrors,
    rx_dropped: n.rxDropped,
    tx_bytes: n.txBytes,
    tx_packets: n.txPackets,
    tx_errors: n.txErrors,
    tx_dropped: n.txDropped,
  }));
  const first = ifaces[0];
  return {
    timestamp: goTime(s.timestampMs),
    cpu: {
      usage: {
        total: cpu?.usageNs ?? 0,
        per_cpu_usage: cpu?.perCpuNs ?? undefined,
        user: cpu?.userNs ?? 0,
        system: cpu?.systemNs ?? 0,
      },
      cfs: {
        periods: cpu?.cfs?.periods ?? 0,
        throttled_periods: cpu?.cfs?.throttledPeriods ?? 0,
        throttled_time: cpu?.cfs?.throttledNs ?? 0,
      },
      load_average: 0,
    },
    diskio: {
      io_service_bytes: s.blkio.map((d) => ({
        device: d.device,
        major: d.major,
        minor: d.minor,
        stats: { Read: d.readBytes, Write: d.writeBytes, Total: d.readBytes + d.writeBytes },
      })),
      io_serviced: s.blkio.map((d) => ({
        device: d.device,
        major: d.major,
        minor: d.minor,
        stats: { Read: d.reads, Write: d.writes, Total: d.reads + d.writes },
      })),
    },
    memory: {
      usage: m?.usageBytes ?? 0,
      max_usage: m?.maxUsageBytes ?? 0,
      cache: m?.cacheBytes ?? 0,
      rss: m?.rssBytes ?? 0,
      swap: m?.swapBytes ?? 0,
      mapped_file: m?.mappedFileBytes ?? 0,
      working_set: m?.workingSetBytes ?? 0,
      failcnt: m?.failcnt ?? 0,
      container_data: data,
      hierarchical_data: data,
    },
    network: {
      name: first?.name ?? '',
      rx_bytes: first?.rx_bytes ?? 0,
      rx_packets: first?.rx_packets ?? 0,
      rx_errors: first?.rx_errors ?? 0,
      rx_dropped: first?.rx_dropped ?? 0,
      tx_bytes: first?.tx_bytes ?? 0,
      tx_packets: first?.tx_packets ?? 0,
      tx_errors: first?.tx_errors ?? 0,
      tx_dropped: first?.tx_dropped ?? 0,
      interfaces: ifaces,
    },
    processes: {
      process_count: s.processes?.processes ?? 0,
      fd_count: s.processes?.fileDescriptors ?? 0,
      socket_count: s.processes?.sockets ?? 0,
      threads_current: s.processes?.threads ?? 0,
      threads_max: s.processes?.threadsMax ?? 0,
    },
    task_stats: {
      nr_sleeping: s.processes?.states.sleeping ?? 0,
      nr_running: s.processes?.states.running ?? 0,
      nr_stopped: s.processes?.states.stopped ?? 0,
      nr_uninterruptible: s.processes?.states.uninterruptible ?? 0,
      nr_io_wait: s.processes?.states.iowaiting ?? 0,
    },
  };
}

/** cAdvisor's v1 `ContainerInfo`: name, aliases, namespace, subcontainers, spec and the newest `numStats` passes. */
export function cadvisorContainerInfo(
  c: TrackedContainer,
  subcontainers: readonly string[],
  numStats: number,
): Record<string, unknown> {
  const spec = c.spec;
  const meta = c.meta;
  return {
    name: c.ref.id,
    aliases: meta === undefined ? undefined : [meta.name, c.ref.id.split('/').pop() ?? ''],
    namespace: meta === undefined ? undefined : 'docker',
    subcontainers: subcontainers.map((name) => ({ name })),
    spec: {
      creation_time: goTime(spec?.creationMs ?? 0),
      labels: meta?.labels,
      image: meta?.image,
      has_cpu: true,
      cpu: { limit: spec?.cpuShares ?? 0, period: spec?.cpuPeriodUs ?? 0, quota: spec?.cpuQuotaUs ?? undefined },
      has_memory: true,
      memory: {
        limit: spec?.memoryLimitBytes ?? 0,
        reservation: spec?.memoryReservationBytes ?? 0,
        swap_limit: spec?.memorySwapLimitBytes ?? 0,
      },
      has_network: (c.ring.latest()?.network.length ?? 0) > 0,
      has_diskio: true,
      has_processes: true,
    },
    stats: c.ring.list(Number.NEGATIVE_INFINITY, numStats).map(cadvisorStats),
  };
}
