/**
 * Turns housekeeping passes into metric families under cAdvisor's names, types, help texts and labels
 * (`../shared/cadvisor-metrics.md` §1): `id`, `name`, `image`, `container_label_*`, plus `cpu`, `interface`,
 * `device`… per family. Samples carry no explicit timestamp (cAdvisor's explicit timestamps defeat Prometheus'
 * staleness handling; vigil stamps them where they are stored). Fields the kernel did not give are left out,
 * never exported as 0.
 */
import type { MetricFamily, MetricSample, MetricType } from '../exposition/index.ts';
import { Labels } from '../model/index.ts';
import type { ContainerMeta, ContainerRef, ContainerSpec, ContainerStats } from './types.ts';

/** One container's latest state, as the families need it. */
export interface ContainerView {
  readonly ref: ContainerRef;
  readonly meta: ContainerMeta | undefined;
  /** `container_label_*` labels already sanitized and filtered (see docker/labels). */
  readonly extraLabels: Readonly<Record<string, string>>;
  readonly stats: ContainerStats;
  readonly spec: ContainerSpec;
}

interface FamilyDef {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
}

const def = (name: string, type: MetricType, help: string): FamilyDef => ({ name, type, help });

/** cAdvisor's families, in the order cAdvisor exposes them. */
const F = {
  cpuUsage: def('container_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed in seconds.'),
  cpuUser: def('container_cpu_user_seconds_total', 'counter', 'Cumulative user cpu time consumed in seconds.'),
  cpuSystem: def('container_cpu_system_seconds_total', 'counter', 'Cumulative system cpu time consumed in seconds.'),
  cfsPeriods: def('container_cpu_cfs_periods_total', 'counter', 'Number of elapsed enforcement period intervals.'),
  cfsThrottledPeriods: def(
    'container_cpu_cfs_throttled_periods_total',
    'counter',
    'Number of throttled period intervals.',
  ),
  cfsThrottledSeconds: def(
    'container_cpu_cfs_throttled_seconds_total',
    'counter',
    'Total time duration the container has been throttled.',
  ),
  memUsage: def(
    'container_memory_usage_bytes',
    'gauge',
    'Current memory usage in bytes, including all memory regardless of when it was accessed',
  ),
  memMaxUsage: def('container_memory_max_usage_bytes', 'gauge', 'Maximum memory usage recorded in bytes'),
  memWorkingSet: def('container_memory_working_set_bytes', 'gauge', 'Current working set in bytes.'),
  memCache: def('container_memory_cache', 'gauge', 'Number of bytes of page cache memory.'),
  memRss: def('container_memory_rss', 'gauge', 'Size of RSS in bytes.'),
  memMapped: def('container_memory_mapped_file', 'gauge', 'Size of memory mapped files in bytes.'),
  memSwap: def('container_memory_swap', 'gauge', 'Container swap usage in bytes.'),
  memKernel: def('container_memory_kernel_usage', 'gauge', 'Size of kernel memory allocated in bytes.'),
  memFailcnt: def('container_memory_failcnt', 'counter', 'Number of memory usage hits limits'),
  memFailures: def('container_memory_failures_total', 'counter', 'Cumulative count of memory allocation failures.'),
  memActiveFile: def('container_memory_total_active_file_bytes', 'gauge', 'Current total active file in bytes.'),
  memInactiveFile: def('container_memory_total_inactive_file_bytes', 'gauge', 'Current total inactive file in bytes.'),
  oom: def('container_oom_events_total', 'counter', 'Count of out of memory events observed for the container'),
  rxBytes: def('container_network_receive_bytes_total', 'counter', 'Cumulative count of bytes received'),
  rxPackets: def('container_network_receive_packets_total', 'counter', 'Cumulative count of packets received'),
  rxErrors: def(
    'container_network_receive_errors_total',
    'counter',
    'Cumulative count of errors encountered while receiving',
  ),
  rxDropped: def(
    'container_network_receive_packets_dropped_total',
    'counter',
    'Cumulative count of packets dropped while receiving',
  ),
  txBytes: def('container_network_transmit_bytes_total', 'counter', 'Cumulative count of bytes transmitted'),
  txPackets: def('container_network_transmit_packets_total', 'counter', 'Cumulative count of packets transmitted'),
  txErrors: def(
    'container_network_transmit_errors_total',
    'counter',
    'Cumulative count of errors encountered while transmitting',
  ),
  txDropped: def(
    'container_network_transmit_packets_dropped_total',
    'counter',
    'Cumulative count of packets dropped while transmitting',
  ),
  fsReadBytes: def('container_fs_reads_bytes_total', 'counter', 'Cumulative count of bytes read'),
  fsWriteBytes: def('container_fs_writes_bytes_total', 'counter', 'Cumulative count of bytes written'),
  fsReads: def('container_fs_reads_total', 'counter', 'Cumulative count of reads completed'),
  fsWrites: def('container_fs_writes_total', 'counter', 'Cumulative count of writes completed'),
  blkio: def('container_blkio_device_usage_total', 'counter', 'Blkio Device bytes usage'),
  processes: def('container_processes', 'gauge', 'Number of processes running inside the container.'),
  threads: def('container_threads', 'gauge', 'Number of threads running inside the container'),
  threadsMax: def(
    'container_threads_max',
    'gauge',
    'Maximum number of threads allowed inside the container, infinity if value is zero',
  ),
  fds: def('container_file_descriptors', 'gauge', 'Number of open file descriptors for the container.'),
  sockets: def('container_sockets', 'gauge', 'Number of open sockets for the container.'),
  tasks: def('container_tasks_state', 'gauge', 'Number of tasks in given state'),
  lastSeen: def('container_last_seen', 'gauge', 'Last time a container was seen by the exporter'),
  startTime: def('container_start_time_seconds', 'gauge', 'Start time of the container since unix epoch in seconds.'),
  health: def(
    'container_health_state',
    'gauge',
    'The result of the container health check (1 healthy, 0 starting or unhealthy, -1 without one).',
  ),
  specShares: def('container_spec_cpu_shares', 'gauge', 'CPU share of the container.'),
  specPeriod: def('container_spec_cpu_period', 'gauge', 'CPU period of the container.'),
  specQuota: def('container_spec_cpu_quota', 'gauge', 'CPU quota of the container.'),
  specMemLimit: def('container_spec_memory_limit_bytes', 'gauge', 'Memory limit for the container.'),
  specSwapLimit: def('container_spec_memory_swap_limit_bytes', 'gauge', 'Memory swap limit for the container.'),
  specMemReservation: def(
    'container_spec_memory_reservation_limit_bytes',
    'gauge',
    'Memory reservation limit for the container.',
  ),
} as const;

type Key = keyof typeof F;

/** Builds the families of many containers: samples grouped by family, families in cAdvisor's order. */
export class FamilyBuilder {
  private readonly samples = new Map<Key, MetricSample[]>();
  /** Label sets per container (keyed by its base labels), then per extra labels: stable across passes. */
  private readonly labelCache = new Map<string, Map<string, Labels>>();
  private base: Record<string, string> = {};
  private baseCache = new Map<string, Labels>();

  private add(key: Key, extra: Record<string, string> | null, value: number | null) {
    if (value === null || !Number.isFinite(value)) return;
    let list = this.samples.get(key);
    if (list === undefined) {
      list = [];
      this.samples.set(key, list);
    }
    let extraKey = '';
    if (extra !== null) for (const k in extra) extraKey += `${k}\xff${extra[k]}\xff`;
    let labels = this.baseCache.get(extraKey);
    if (labels === undefined) {
      labels = Labels.fromObject(extra === null ? this.base : { ...this.base, ...extra });
      this.baseCache.set(extraKey, labels);
    }
    list.push({ name: F[key].name, labels, value });
  }

  /** Adds one container's series; `nowMs` is the export time (`container_last_seen`). */
  container(v: ContainerView, nowMs: number): void {
    const base: Record<string, string> = {
      ...v.extraLabels,
      id: v.ref.id,
      image: v.meta?.image ?? '',
      name: v.meta?.name ?? '',
    };
    let baseKey = '';
    for (const k in base) baseKey += `${k}\xff${base[k]}\xff`;
    let cache = this.labelCache.get(baseKey);
    if (cache === undefined) {
      if (this.labelCache.size >= 10_000) this.labelCache.clear(); // containers come and go: stay bounded
      cache = new Map();
      this.labelCache.set(baseKey, cache);
    }
    this.base = base;
    this.baseCache = cache;
    const { stats: s, spec } = v;
    const cpu = s.cpu;
    if (cpu !== null) {
      const per = cpu.perCpuNs ?? [];
      if (per.some((x) => x > 0)) {
        per.forEach((ns, i) => {
          if (ns > 0) this.add('cpuUsage', { cpu: `cpu${String(i).padStart(2, '0')}` }, ns / 1e9);
        });
      } else {
        this.add('cpuUsage', { cpu: 'total' }, cpu.usageNs / 1e9);
      }
      this.add('cpuUser', null, cpu.userNs === null ? null : cpu.userNs / 1e9);
      this.add('cpuSystem', null, cpu.systemNs === null ? null : cpu.systemNs / 1e9);
      if (cpu.cfs !== null) {
        this.add('cfsPeriods', null, cpu.cfs.periods);
        this.add('cfsThrottledPeriods', null, cpu.cfs.throttledPeriods);
        this.add('cfsThrottledSeconds', null, cpu.cfs.throttledNs / 1e9);
      }
    }
    const m = s.memory;
    if (m !== null) {
      this.add('memUsage', null, m.usageBytes);
      this.add('memMaxUsage', null, m.maxUsageBytes);
      this.add('memWorkingSet', null, m.workingSetBytes);
      this.add('memCache', null, m.cacheBytes);
      this.add('memRss', null, m.rssBytes);
      this.add('memMapped', null, m.mappedFileBytes);
      this.add('memSwap', null, m.swapBytes);
      this.add('memKernel', null, m.kernelBytes);
      this.add('memFailcnt', null, m.failcnt);
      for (const scope of ['container', 'hierarchy']) {
        this.add('memFailures', { failure_type: 'pgfault', scope }, m.pgfault);
        this.add('memFailures', { failure_type: 'pgmajfault', scope }, m.pgmajfault);
      }
      this.add('memActiveFile', null, m.activeFileBytes);
      this.add('memInactiveFile', null, m.inactiveFileBytes);
      this.add('oom', null, m.oomKills);
    }
    for (const n of s.network) {
      const iface = { interface: n.name };
      this.add('rxBytes', iface, n.rxBytes);
      this.add('rxPackets', iface, n.rxPackets);
      this.add('rxErrors', iface, n.rxErrors);
      this.add('rxDropped', iface, n.rxDropped);
      this.add('txBytes', iface, n.txBytes);
      this.add('txPackets', iface, n.txPackets);
      this.add('txErrors', iface, n.txErrors);
      this.add('txDropped', iface, n.txDropped);
    }
    for (const d of s.blkio) {
      const dev = { device: d.device };
      this.add('fsReadBytes', dev, d.readBytes);
      this.add('fsWriteBytes', dev, d.writeBytes);
      this.add('fsReads', dev, d.reads);
      this.add('fsWrites', dev, d.writes);
      const mm = { device: d.device, major: String(d.major), minor: String(d.minor) };
      this.add('blkio', { ...mm, operation: 'Read' }, d.readBytes);
      this.add('blkio', { ...mm, operation: 'Write' }, d.writeBytes);
    }
    const p = s.processes;
    if (p !== null) {
      this.add('processes', null, p.processes);
      this.add('threads', null, p.threads);
      this.add('threadsMax', null, p.threadsMax);
      this.add('fds', null, p.fileDescriptors);
      this.add('sockets', null, p.sockets);
      for (const [state, count] of Object.entries(p.states)) this.add('tasks', { state }, count);
    }
    this.add('lastSeen', null, Math.floor(nowMs / 1000));
    const started = v.meta?.startedMs ?? spec.creationMs;
    this.add('startTime', null, started / 1000);
    if (v.meta !== undefined) this.add('health', null, v.meta.health);
    this.add('specShares', null, spec.cpuShares);
    this.add('specPeriod', null, spec.cpuPeriodUs);
    this.add('specQuota', null, spec.cpuQuotaUs);
    this.add('specMemLimit', null, spec.memoryLimitBytes);
    this.add('specSwapLimit', null, spec.memorySwapLimitBytes);
    this.add('specMemReservation', null, spec.memoryReservationBytes);
  }

  /** The families with at least one sample, in cAdvisor's order; the builder is emptied. */
  families(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const key of Object.keys(F) as Key[]) {
      const samples = this.samples.get(key);
      if (samples === undefined || samples.length === 0) continue;
      const d = F[key];
      out.push({ name: d.name, type: d.type, help: d.help, samples });
    }
    this.samples.clear();
    return out;
  }
}
