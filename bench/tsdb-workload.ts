// The synthetic scrape workload of the tsdb benchmark: hosts alternately running a node_exporter-like exporter
// (106 series: CPU seconds, memory and filesystem bytes, network and disk counters, load, a GC summary) and an
// HTTP service (269 series: request counters by handler/method/code, three classic histograms, pool gauges).
// Every series has `__name__`, `job`, `instance` and `env`. Values behave as exporters' do: integer counters
// growing by small or large steps, float counters (seconds), counters that rarely move (errors), float gauges
// in a random walk, byte gauges moving in 4 KiB pages, small integer gauges, constants, and histograms whose
// cumulative buckets, `_sum` and `_count` grow together. Deterministic for a seed: two instances built alike
// produce the same values, scrape after scrape.
import { formatOpenMetricsTimestamp } from '../src/exposition/index.ts';
import { Labels } from '../src/model/index.ts';

export { rng } from '../src/model/testing.ts';

import { rng } from '../src/model/testing.ts';

export const scrapeIntervalMs = 15_000;
/** The first scrape, 1 s after a 2 h boundary, so that blocks cover whole 2 h ranges. */
export const startMs = 1_700_006_400_000 + 1_000;

const COUNTER_INT = 0;
const COUNTER_FLOAT = 1;
const COUNTER_RARE = 2;
const GAUGE_WALK = 3;
const GAUGE_BYTES = 4;
const GAUGE_INT = 5;
const CONSTANT = 6;
/** Driven by its histogram group, never on its own. */
const HISTOGRAM_PART = 7;
type Kind = 0 | 1 | 2 | 3 | 4 | 5 | 6;

type Dim = ReadonlyArray<Record<string, string>>;

interface Family {
  name: string;
  kind: Kind | 'histogram' | 'summary';
  /** Label variants, combined as a cartesian product. */
  dims?: readonly Dim[];
  /** Typical increment per scrape (counters), step (gauges) or observations per scrape (histograms). */
  scale: number;
  /** Starting value (gauges, constants), or mean observation (histograms). */
  init?: number;
  le?: readonly number[];
}

const list = (name: string, values: readonly string[]): Dim => values.map((v) => ({ [name]: v }));

const latencyLe = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const processFamilies: Family[] = [
  { name: 'go_goroutines', kind: GAUGE_INT, scale: 3, init: 40 },
  { name: 'go_threads', kind: GAUGE_INT, scale: 1, init: 12 },
  { name: 'go_memstats_alloc_bytes', kind: GAUGE_WALK, scale: 4e5, init: 2.4e7 },
  { name: 'process_cpu_seconds_total', kind: COUNTER_FLOAT, scale: 0.3 },
  { name: 'process_resident_memory_bytes', kind: GAUGE_BYTES, scale: 50, init: 6.1e7 },
  { name: 'process_open_fds', kind: GAUGE_INT, scale: 1, init: 18 },
  { name: 'process_start_time_seconds', kind: CONSTANT, scale: 0, init: 1_699_990_000.45 },
  { name: 'go_gc_duration_seconds', kind: 'summary', scale: 2, init: 2e-4 },
];

const nodeFamilies: Family[] = [
  {
    name: 'node_cpu_seconds_total',
    kind: COUNTER_FLOAT,
    dims: [
      list('cpu', ['0', '1', '2', '3']),
      list('mode', ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']),
    ],
    scale: 3,
  },
  { name: 'node_memory_MemTotal_bytes', kind: CONSTANT, scale: 0, init: 16_777_216_000 },
  ...['MemFree', 'MemAvailable', 'Cached', 'Buffers', 'Active', 'Inactive', 'Dirty'].map(
    (m): Family => ({ name: `node_memory_${m}_bytes`, kind: GAUGE_BYTES, scale: 200, init: 4e9 }),
  ),
  ...['receive', 'transmit'].flatMap((dir): Family[] => {
    const dims = [list('device', ['eth0', 'lo', 'docker0'])];
    return [
      { name: `node_network_${dir}_bytes_total`, kind: COUNTER_INT, dims, scale: 2e6 },
      { name: `node_network_${dir}_packets_total`, kind: COUNTER_INT, dims, scale: 3000 },
      { name: `node_network_${dir}_errs_total`, kind: COUNTER_RARE, dims, scale: 1 },
      { name: `node_network_${dir}_drop_total`, kind: COUNTER_RARE, dims, scale: 1 },
    ];
  }),
  ...(['avail', 'free', 'size'] as const).map(
    (f): Family => ({
      name: `node_filesystem_${f}_bytes`,
      kind: f === 'size' ? CONSTANT : GAUGE_BYTES,
      dims: [
        [
          { device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' },
          { device: '/dev/sdb1', fstype: 'ext4', mountpoint: '/data' },
          { device: 'tmpfs', fstype: 'tmpfs', mountpoint: '/run' },
        ],
      ],
      scale: 20,
      init: 1.2e11,
    }),
  ),
  ...[
    { name: 'node_disk_reads_completed_total', kind: COUNTER_INT, scale: 40 },
    { name: 'node_disk_writes_completed_total', kind: COUNTER_INT, scale: 300 },
    { name: 'node_disk_read_bytes_total', kind: COUNTER_INT, scale: 5e5 },
    { name: 'node_disk_written_bytes_total', kind: COUNTER_INT, scale: 4e6 },
    { name: 'node_disk_io_time_seconds_total', kind: COUNTER_FLOAT, scale: 0.8 },
  ].map((f): Family => ({ ...(f as Family), dims: [list('device', ['sda', 'sdb'])] })),
  ...['1', '5', '15'].map((m): Family => ({ name: `node_load${m}`, kind: GAUGE_WALK, scale: 0.1, init: 1.5 })),
  { name: 'node_boot_time_seconds', kind: CONSTANT, scale: 0, init: 1_699_000_000 },
  {
    name: 'node_exporter_build_info',
    kind: CONSTANT,
    dims: [[{ version: '1.6.1', revision: '4a1b77600c1873a8233f3ffb55afcedbb63b8d84', goversion: 'go1.20.6' }]],
    scale: 0,
    init: 1,
  },
  { name: 'node_context_switches_total', kind: COUNTER_INT, scale: 9000 },
  { name: 'node_intr_total', kind: COUNTER_INT, scale: 7000 },
  { name: 'node_procs_running', kind: GAUGE_INT, scale: 1, init: 3 },
  { name: 'node_procs_blocked', kind: GAUGE_INT, scale: 1, init: 0 },
  ...processFamilies,
];

const handlers = ['/api/v1/users', '/api/v1/orders', '/api/v1/items', '/api/v1/search', '/healthz', '/metrics'];
const routes: Dim = [
  ...handlers.slice(0, 4).flatMap((handler) => [
    { handler, method: 'GET' },
    { handler, method: 'POST' },
  ]),
  { handler: '/healthz', method: 'GET' },
  { handler: '/metrics', method: 'GET' },
];

const apiFamilies: Family[] = [
  {
    name: 'http_requests_total',
    kind: COUNTER_INT,
    dims: [routes, list('code', ['200', '404', '500'])],
    scale: 40,
  },
  { name: 'http_request_duration_seconds', kind: 'histogram', dims: [routes], scale: 40, init: 0.08, le: latencyLe },
  {
    name: 'http_response_size_bytes',
    kind: 'histogram',
    dims: [list('handler', handlers)],
    scale: 50,
    init: 4000,
    le: [100, 1000, 10_000, 100_000, 1_000_000],
  },
  { name: 'http_requests_in_flight', kind: GAUGE_INT, scale: 2, init: 3 },
  { name: 'db_connections', kind: GAUGE_INT, dims: [list('state', ['open', 'idle', 'in_use'])], scale: 1, init: 10 },
  {
    name: 'db_query_duration_seconds',
    kind: 'histogram',
    dims: [list('op', ['select', 'insert', 'update'])],
    scale: 60,
    init: 0.004,
    le: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
  },
  { name: 'cache_requests_total', kind: COUNTER_INT, dims: [list('result', ['hit', 'miss'])], scale: 200 },
  {
    name: 'app_build_info',
    kind: CONSTANT,
    dims: [[{ version: '2.14.0', branch: 'main', revision: '9f2c41d' }]],
    scale: 0,
    init: 1,
  },
  ...processFamilies,
];

function product(dims: readonly Dim[]): Array<Record<string, string>> {
  let out: Array<Record<string, string>> = [{}];
  for (const d of dims) out = out.flatMap((o) => d.map((v) => ({ ...o, ...v })));
  return out;
}

/** `name{a="x",b="y"}`: the series as exposition text writes it (label values here need no escaping). */
function seriesText(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return `${name}{${parts.join(',')}}`;
}

/** A classic histogram (or summary) of one label combination: its series and how they grow. */
interface Group {
  /** Index of the first bucket (or quantile) series; then `_sum`, then `_count`. */
  first: number;
  /** Cumulative fraction of observations at or below each bucket's bound (1 for `+Inf`); empty for summaries. */
  cdf: Float64Array;
  quantiles: number;
  rate: number;
  mean: number;
}

/**
 * The series of the workload and their current values. `step()` moves every value one scrape on; the
 * timestamps are `timestampMs(round)`.
 */
export class Workload {
  /** The label sets, `__name__` included. */
  readonly labels: Labels[] = [];
  /** Each series in exposition text, without value. */
  readonly text: string[] = [];
  readonly values: Float64Array;
  private readonly kind: Uint8Array;
  private readonly scale: Float64Array;
  private readonly groups: Group[] = [];
  private readonly r: () => number;
  private hosts = 0;

  /** Whole hosts are added until there are at least `minSeries` series. */
  constructor(minSeries: number, seed = 1) {
    const r = rng(seed);
    this.r = r;
    const kinds: number[] = [];
    const scales: number[] = [];
    const values: number[] = [];
    const add = (name: string, labels: Record<string, string>, kind: number, scale: number, value: number) => {
      this.labels.push(Labels.fromObject({ __name__: name, ...labels }));
      this.text.push(seriesText(name, labels));
      kinds.push(kind);
      scales.push(scale);
      values.push(value);
    };
    for (let host = 0; this.labels.length < minSeries; host++) {
      this.hosts++;
      const node = host % 2 === 0;
      const target = {
        job: node ? 'node' : 'api',
        instance: `10.1.${Math.trunc(host / 200)}.${host % 200}:${node ? 9100 : 8080}`,
        env: host % 3 === 0 ? 'staging' : 'prod',
      };
      for (const f of node ? nodeFamilies : apiFamilies) {
        for (const dims of product(f.dims ?? [])) {
          const labels = { ...target, ...dims };
          // Each series gets its own pace: 0.2x to 2x the family's scale.
          const scale = f.scale * (0.2 + 1.8 * r());
          if (f.kind === 'histogram' || f.kind === 'summary') {
            const le = f.le ?? [];
            const mean = (f.init ?? 1) * (0.5 + r());
            const group: Group = {
              first: this.labels.length,
              cdf: new Float64Array(le.length + 1),
              quantiles: 0,
              rate: scale,
              mean,
            };
            if (f.kind === 'histogram') {
              le.forEach((b, i) => {
                // A log-logistic distribution of observations around `mean`.
                group.cdf[i] = 1 / (1 + (mean / b) ** 2.5);
                add(`${f.name}_bucket`, { ...labels, le: String(b) }, HISTOGRAM_PART, 0, 0);
              });
              group.cdf[le.length] = 1;
              add(`${f.name}_bucket`, { ...labels, le: '+Inf' }, HISTOGRAM_PART, 0, 0);
            } else {
              group.cdf = new Float64Array(0);
              for (const q of ['0', '0.25', '0.5', '0.75', '1']) {
                add(f.name, { ...labels, quantile: q }, HISTOGRAM_PART, 0, mean * (0.2 + Number(q) * 3));
                group.quantiles++;
              }
            }
            add(`${f.name}_sum`, labels, HISTOGRAM_PART, 0, 0);
            add(`${f.name}_count`, labels, HISTOGRAM_PART, 0, 0);
            this.groups.push(group);
          } else {
            const init = f.kind === GAUGE_INT ? Math.round((f.init ?? 0) * (0.5 + r())) : f.init;
            const start =
              f.kind === COUNTER_INT || f.kind === COUNTER_RARE
                ? Math.floor(r() * 1e6 * Math.max(1, scale))
                : f.kind === COUNTER_FLOAT
                  ? Math.round(r() * 1e7) / 100
                  : f.kind === GAUGE_BYTES
                    ? Math.round(((init ?? 0) * (0.5 + r())) / 4096) * 4096
                    : (init ?? 0);
            add(f.name, labels, f.kind, scale, start);
          }
        }
      }
    }
    this.kind = Uint8Array.from(kinds);
    this.scale = Float64Array.from(scales);
    this.values = Float64Array.from(values);
  }

  get size(): number {
    return this.labels.length;
  }

  /** How many series behave how. */
  mix(): Record<string, number> {
    const names = ['counters', 'floatCounters', 'rareCounters', 'floatGauges', 'byteGauges', 'intGauges', 'constants'];
    const out: Record<string, number> = { hosts: this.hosts };
    for (const k of this.kind) {
      const name = names[k] ?? 'histogramOrSummary';
      out[name] = (out[name] ?? 0) + 1;
    }
    return out;
  }

  /**
   * The timestamp of scrape `round`: every 15 s from `startMs`, one scrape in 16 a millisecond late (a Go ticker
   * fires within a fraction of a millisecond; truncated to ms, the grid's phase shows through now and then).
   */
  timestampMs(round: number): number {
    const h = Math.imul(round + 1, 0x9e3779b1) >>> 0;
    return startMs + round * scrapeIntervalMs + ((h >>> 24) % 16 === 0 ? 1 : 0);
  }

  /** Moves every value one scrape on. */
  step(): void {
    const { r, kind, scale, values: v } = this;
    for (let i = 0; i < v.length; i++) {
      const s = scale[i] as number;
      switch (kind[i]) {
        case COUNTER_INT:
          v[i] = (v[i] as number) + Math.floor(r() * 2 * s);
          break;
        case COUNTER_FLOAT:
          // CPU seconds come in ticks of 10 ms.
          v[i] = Math.round(((v[i] as number) + r() * 2 * s) * 100) / 100;
          break;
        case COUNTER_RARE:
          if (r() < 0.02) v[i] = (v[i] as number) + 1 + Math.floor(r() * s);
          break;
        case GAUGE_WALK:
          v[i] = Math.max(0, (v[i] as number) + (r() - 0.5) * 2 * s);
          break;
        case GAUGE_BYTES:
          v[i] = Math.max(0, (v[i] as number) + 4096 * Math.round((r() - 0.5) * 2 * s));
          break;
        case GAUGE_INT:
          if (r() < 0.3) v[i] = Math.max(0, (v[i] as number) + Math.round((r() - 0.5) * 2 * s));
          break;
      }
    }
    for (const g of this.groups) this.stepGroup(g);
  }

  private stepGroup(g: Group): void {
    const { r, values: v } = this;
    const n = Math.floor(r() * 2 * g.rate);
    let at = g.first;
    if (g.cdf.length > 0) {
      // Cumulative buckets stay monotonic: x^a is increasing in x for a > 0.
      const a = 1 + (r() - 0.5) * 0.4;
      for (let b = 0; b < g.cdf.length; b++, at++)
        v[at] = (v[at] as number) + Math.floor(n * (g.cdf[b] as number) ** a);
    } else {
      for (let q = 0; q < g.quantiles; q++, at++) {
        v[at] = Math.max(0, (v[at] as number) * (0.9 + 0.2 * r()));
      }
    }
    v[at] = (v[at] as number) + n * g.mean * (0.8 + 0.4 * r());
    v[at + 1] = (v[at + 1] as number) + n;
  }

  /** The current values in Prometheus text format 0.0.4, without timestamps (the scraper stamps them). */
  exposition(): string {
    const parts: string[] = new Array(this.text.length);
    for (let i = 0; i < this.text.length; i++) parts[i] = `${this.text[i]} ${this.values[i]}\n`;
    return parts.join('');
  }

  /** The current values as OpenMetrics sample lines stamped `t` (no `# EOF`). */
  openMetrics(t: number): string {
    const ts = formatOpenMetricsTimestamp(t);
    const parts: string[] = new Array(this.text.length);
    for (let i = 0; i < this.text.length; i++) parts[i] = `${this.text[i]} ${this.values[i]} ${ts}\n`;
    return parts.join('');
  }
}
