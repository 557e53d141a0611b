/**
 * What the container page charts: for each chart, its series from the live points (the collector's ring and
 * stream) and the PromQL that gives the same series from the TSDB.
 */
import type { LivePoint, LiveSummary } from '../api.ts';
import type { SeriesData, Unit } from './container-chart.ts';

/** A history query: one series labelled `label`, or one series per result labelled by `label(metric)`. */
export interface HistoryQuery {
  /** `$sel` is replaced by the container's selector, `$w` by the rate window. */
  query: string;
  label: string | ((metric: Record<string, string>) => string);
}

export interface ChartSpec {
  key: string;
  title: string;
  unit: Unit;
  /** Left out when none of its series has a value (CPU throttling: only with a CFS quota). */
  optional?: boolean;
  live(points: readonly LivePoint[], summary: LiveSummary | null): SeriesData[];
  history: HistoryQuery[];
}

const sel = '$sel';

/** A live series of one field of every point. */
const field =
  (label: string, f: (p: LivePoint) => number | null | undefined) =>
  (points: readonly LivePoint[]): SeriesData => ({ label, values: points.map((p) => f(p) ?? null) });

/** `cpu00`, as the collector labels per-CPU series. */
export const cpuName = (i: number) => `cpu${String(i).padStart(2, '0')}`;

export const charts: ChartSpec[] = [
  {
    key: 'cpu',
    title: 'CPU (cores)',
    unit: 'cores',
    live: (ps) => [field('CPU', (p) => p.cpuCores)(ps)],
    history: [{ label: 'CPU', query: `sum(rate(container_cpu_usage_seconds_total{${sel}}[$w]))` }],
  },
  {
    key: 'cores',
    title: 'CPU per core (cores)',
    unit: 'cores',
    optional: true,
    live(ps) {
      const n = Math.max(0, ...ps.map((p) => p.cpuPerCore?.length ?? 0));
      return Array.from({ length: n }, (_, i) => field(cpuName(i), (p) => p.cpuPerCore?.[i])(ps));
    },
    history: [
      {
        label: (m) => m.cpu ?? '',
        query: `sum by (cpu) (rate(container_cpu_usage_seconds_total{${sel},cpu!="total"}[$w]))`,
      },
    ],
  },
  {
    key: 'throttle',
    title: 'CPU throttled periods/s',
    unit: 'count',
    optional: true,
    live: (ps) => [field('Throttled', (p) => p.cpuThrottledPeriodsPerSecond)(ps)],
    history: [{ label: 'Throttled', query: `sum(rate(container_cpu_cfs_throttled_periods_total{${sel}}[$w]))` }],
  },
  {
    key: 'memory',
    title: 'Memory',
    unit: 'bytes',
    live: (ps, summary) => [
      field('Usage', (p) => p.memoryUsageBytes)(ps),
      field('Working set', (p) => p.memoryWorkingSetBytes)(ps),
      field('Cache', (p) => p.memoryCacheBytes)(ps),
      field('Limit', () => summary?.memoryLimitBytes || null)(ps),
    ],
    history: [
      { label: 'Usage', query: `sum(container_memory_usage_bytes{${sel}})` },
      { label: 'Working set', query: `sum(container_memory_working_set_bytes{${sel}})` },
      { label: 'Cache', query: `sum(container_memory_cache{${sel}})` },
      { label: 'Limit', query: `sum(container_spec_memory_limit_bytes{${sel}}) > 0` },
    ],
  },
  {
    key: 'network',
    title: 'Network per interface',
    unit: 'rate',
    optional: true,
    live(ps) {
      const names = [...new Set(ps.flatMap((p) => p.network.map((n) => n.name)))];
      return names.flatMap((name) => [
        field(`${name} rx`, (p) => p.network.find((n) => n.name === name)?.rxBytesPerSecond)(ps),
        field(`${name} tx`, (p) => p.network.find((n) => n.name === name)?.txBytesPerSecond)(ps),
      ]);
    },
    history: [
      {
        label: (m) => `${m.interface ?? ''} rx`,
        query: `sum by (interface) (rate(container_network_receive_bytes_total{${sel}}[$w]))`,
      },
      {
        label: (m) => `${m.interface ?? ''} tx`,
        query: `sum by (interface) (rate(container_network_transmit_bytes_total{${sel}}[$w]))`,
      },
    ],
  },
  {
    key: 'blkio',
    title: 'Block I/O',
    unit: 'rate',
    live: (ps) => [
      field('read', (p) => p.diskReadBytesPerSecond)(ps),
      field('write', (p) => p.diskWriteBytesPerSecond)(ps),
    ],
    history: [
      { label: 'read', query: `sum(rate(container_fs_reads_bytes_total{${sel}}[$w]))` },
      { label: 'write', query: `sum(rate(container_fs_writes_bytes_total{${sel}}[$w]))` },
    ],
  },
  {
    key: 'tasks',
    title: 'Processes and threads',
    unit: 'count',
    live: (ps) => [field('Processes', (p) => p.processes)(ps), field('Threads', (p) => p.threads)(ps)],
    history: [
      { label: 'Processes', query: `sum(container_processes{${sel}})` },
      { label: 'Threads', query: `sum(container_threads{${sel}})` },
    ],
  },
];
