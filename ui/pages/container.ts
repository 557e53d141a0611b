/**
 * The container page (`/containers/<cgroup path>`, `/containers/` for the host itself): live charts from the
 * collector's ring (`/api/v1/live/containers/<id>`, then one point a second from the live stream) and a switch to
 * the history stored in the TSDB (`/api/v1/query_range` over the collector's series).
 */
import uPlot from 'uplot';
import { getData, type LiveSummary } from '../api.ts';
import { formatBytes, formatValue, h } from '../dom.ts';

/** One pass of the ring (src/collector/live-api.ts' LivePoint): what the initial fetch returns. */
type LivePoint = Pick<
  LiveSummary,
  | 'cpuCores'
  | 'memoryUsageBytes'
  | 'memoryWorkingSetBytes'
  | 'networkRxBytesPerSecond'
  | 'networkTxBytesPerSecond'
  | 'diskReadBytesPerSecond'
  | 'diskWriteBytesPerSecond'
> & { t: number; cpuThrottledPeriodsPerSecond?: number | null };

interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

type Unit = 'cores' | 'bytes' | 'rate' | 'count';

interface ChartSpec {
  key: string;
  title: string;
  unit: Unit;
  /** Series labels, the live point's field for each, and the PromQL for each (`$id` is the selector). */
  series: { label: string; live: keyof LivePoint | 'memoryLimitBytes'; query: string }[];
  /** Drawn only when one of its series has a value (CPU throttling: only with a CFS quota). */
  optional?: boolean;
}

const sel = '$sel';
const charts: ChartSpec[] = [
  {
    key: 'cpu',
    title: 'CPU (cores)',
    unit: 'cores',
    series: [{ label: 'CPU', live: 'cpuCores', query: `sum(rate(container_cpu_usage_seconds_total{${sel}}[$w]))` }],
  },
  {
    key: 'throttle',
    title: 'CPU throttled periods/s',
    unit: 'count',
    optional: true,
    series: [
      {
        label: 'Throttled',
        live: 'cpuThrottledPeriodsPerSecond',
        query: `sum(rate(container_cpu_cfs_throttled_periods_total{${sel}}[$w]))`,
      },
    ],
  },
  {
    key: 'memory',
    title: 'Memory',
    unit: 'bytes',
    series: [
      { label: 'Usage', live: 'memoryUsageBytes', query: `sum(container_memory_usage_bytes{${sel}})` },
      { label: 'Working set', live: 'memoryWorkingSetBytes', query: `sum(container_memory_working_set_bytes{${sel}})` },
      { label: 'Limit', live: 'memoryLimitBytes', query: `sum(container_spec_memory_limit_bytes{${sel}}) > 0` },
    ],
  },
  {
    key: 'network',
    title: 'Network',
    unit: 'rate',
    series: [
      {
        label: 'rx',
        live: 'networkRxBytesPerSecond',
        query: `sum(rate(container_network_receive_bytes_total{${sel}}[$w]))`,
      },
      {
        label: 'tx',
        live: 'networkTxBytesPerSecond',
        query: `sum(rate(container_network_transmit_bytes_total{${sel}}[$w]))`,
      },
    ],
  },
  {
    key: 'blkio',
    title: 'Block I/O',
    unit: 'rate',
    series: [
      { label: 'read', live: 'diskReadBytesPerSecond', query: `sum(rate(container_fs_reads_bytes_total{${sel}}[$w]))` },
      {
        label: 'write',
        live: 'diskWriteBytesPerSecond',
        query: `sum(rate(container_fs_writes_bytes_total{${sel}}[$w]))`,
      },
    ],
  },
];

const ranges: { key: string; seconds: number }[] = [
  { key: 'live', seconds: 0 },
  { key: '1h', seconds: 3600 },
  { key: '6h', seconds: 6 * 3600 },
  { key: '24h', seconds: 24 * 3600 },
  { key: '7d', seconds: 7 * 24 * 3600 },
];

/** The live window: what the ring holds (5 minutes at 1 s). */
const liveSeconds = 300;
const palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d'];

function format(unit: Unit, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '--';
  if (unit === 'bytes') return formatBytes(v);
  if (unit === 'rate') return `${formatBytes(v)}/s`;
  if (unit === 'cores') return v.toFixed(3);
  return formatValue(v);
}

/** The cgroup path the page's URL names: `/containers/docker/abc` → `/docker/abc`, `/containers/` → `/`. */
export function containerId(pathname: string): string {
  const rest = pathname.replace(/^\/containers\/?/, '').replace(/\/+$/, '');
  return `/${rest.split('/').map(decodeURIComponent).join('/')}`.replace(/\/+$/, '') || '/';
}

/** A step that gives about 450 points over `seconds`, at least 1 s. */
export function stepFor(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 450));
}

/** A uPlot chart in a card; `set` replaces its data and records the newest time in `data-last` (Unix ms). */
function chartCard(spec: ChartSpec, labels: readonly string[]) {
  /** The x range shown (Unix seconds): the whole window, even before it fills up. */
  let xRange: [number, number] | undefined;
  const body = h('div', { class: 'chart', 'data-chart': spec.key, 'data-points': '0' });
  const card = h('section', { class: 'card' }, h('h2', {}, spec.title), body);
  let plot: uPlot | undefined;
  let resize: ResizeObserver | undefined;
  const create = (data: uPlot.AlignedData) => {
    plot = new uPlot(
      {
        width: Math.max(body.clientWidth, 300),
        height: 200,
        legend: { live: true },
        scales: {
          x: { time: true, range: (_u, min, max) => xRange ?? [min, max] },
          // Every figure here is ≥ 0: start at 0 so that small changes do not look large.
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          { stroke: 'currentColor', grid: { stroke: '#8884', width: 1 } },
          {
            stroke: 'currentColor',
            grid: { stroke: '#8884', width: 1 },
            size: 90,
            values: (_u, ticks) => ticks.map((v) => format(spec.unit, v)),
          },
        ],
        series: [
          {},
          ...labels.map((label, i) => ({
            label,
            stroke: palette[i % palette.length] as string,
            width: 1.5,
            value: (_u: uPlot, v: number | null) => format(spec.unit, v),
          })),
        ],
      },
      data,
      body,
    );
    resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(body.clientWidth, 300), height: 200 }));
    resize.observe(body);
  };
  return {
    card,
    set(data: uPlot.AlignedData, range?: [number, number]) {
      xRange = range;
      if (plot === undefined) create(data);
      else plot.setData(data);
      const xs = data[0];
      let points = 0;
      for (const ys of data.slice(1))
        for (const y of Array.from(ys as ArrayLike<number | null>)) if (y != null) points++;
      body.dataset.points = String(points);
      body.dataset.last = xs.length > 0 ? String(Math.round((xs[xs.length - 1] as number) * 1000)) : '';
    },
    destroy() {
      resize?.disconnect();
      plot?.destroy();
    },
  };
}

/** Aligns range-query series on one time axis (seconds); a missing sample is a gap. */
function align(series: readonly (readonly MatrixSeries[])[]): uPlot.AlignedData {
  const flat = series.flat();
  const times = [...new Set(flat.flatMap((s) => s.values.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const ys = flat.map((s) => {
    const y: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, v] of s.values) y[index.get(t) as number] = Number(v);
    return y;
  });
  return [times, ...ys] as uPlot.AlignedData;
}

export function mountContainer(root: HTMLElement, signal: AbortSignal): void {
  const id = containerId(location.pathname);
  const title = h('h1', {}, id === '/' ? 'Host' : id);
  const info = h('dl', { class: 'kv' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const switcher = h('div', { class: 'tabs', role: 'group', 'aria-label': 'Time range' });
  const grid = h('div', { class: 'charts' });
  root.append(
    h('p', {}, h('a', { href: '/' }, '← Overview')),
    title,
    h('section', { class: 'card' }, info),
    switcher,
    status,
    grid,
  );

  let mode = 'live';
  let summary: LiveSummary | null = null;
  let cards: { spec: ChartSpec; chart: ReturnType<typeof chartCard> }[] = [];
  const clear = () => {
    for (const c of cards) c.chart.destroy();
    cards = [];
    grid.replaceChildren();
  };
  signal.addEventListener('abort', clear);

  const drawInfo = (s: LiveSummary) => {
    title.textContent = s.id === '/' ? 'Host' : s.name || s.id;
    const labels = Object.entries(s.labels);
    const rows: [string, string | HTMLElement[]][] = [
      ['Cgroup', s.id],
      ...(s.image ? [['Image', s.image] as [string, string]] : []),
      ['Processes / threads', `${s.processes ?? '—'} / ${s.threads ?? '—'}`],
      ['Memory limit', s.memoryLimitBytes ? formatBytes(s.memoryLimitBytes) : 'none'],
      ...(labels.length > 0
        ? [['Labels', labels.map(([k, v]) => h('div', {}, `${k}=${v}`))] as [string, HTMLElement[]]]
        : []),
    ];
    info.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  };

  // Live: the ring once, then one point per stream event, kept to the last five minutes.
  const live: LivePoint[] = [];
  const liveData = (spec: ChartSpec): uPlot.AlignedData => [
    live.map((p) => p.t / 1000),
    ...spec.series.map((s) =>
      live.map((p) => (s.live === 'memoryLimitBytes' ? summary?.memoryLimitBytes || null : (p[s.live] ?? null))),
    ),
  ];
  const drawLive = () => {
    if (mode !== 'live') return;
    for (const spec of charts) {
      let entry = cards.find((c) => c.spec === spec);
      if (entry === undefined) {
        const data = liveData(spec);
        if (spec.optional && !data.slice(1).some((ys) => ys.some((y) => y !== null))) continue;
        entry = {
          spec,
          chart: chartCard(
            spec,
            spec.series.map((s) => s.label),
          ),
        };
        cards.push(entry);
        grid.replaceChildren(...charts.flatMap((c) => cards.filter((x) => x.spec === c).map((x) => x.chart.card)));
      }
      const last = live[live.length - 1];
      entry.chart.set(liveData(spec), last ? [last.t / 1000 - liveSeconds, last.t / 1000] : undefined);
    }
    const last = live[live.length - 1];
    status.textContent = last ? `Live, updated ${new Date(last.t).toLocaleTimeString()}` : 'Live: waiting for data…';
  };

  const showHistory = async (seconds: number) => {
    const end = Math.floor(Date.now() / 1000);
    const step = stepFor(seconds);
    const window = `${Math.max(60, 2 * step)}s`;
    const selector = `id=${JSON.stringify(id)},job="collector"`;
    const q = (expr: string) =>
      getData<{ result: MatrixSeries[] }>(
        '/api/v1/query_range',
        {
          query: expr.replaceAll(sel, selector).replaceAll('$w', window),
          start: String(end - seconds),
          end: String(end),
          step: String(step),
        },
        signal,
      ).then((d) => d.result);
    status.textContent = 'Loading history…';
    const results = await Promise.all(charts.map((c) => Promise.all(c.series.map((s) => q(s.query)))));
    const cores = await q(`rate(container_cpu_usage_seconds_total{${selector},cpu!="total"}[${window}])`);
    if (signal.aborted || mode === 'live') return;
    clear();
    charts.forEach((spec, i) => {
      const res = results[i] as MatrixSeries[][];
      if (spec.optional && res.every((r) => r.length === 0)) return;
      const chart = chartCard(
        spec,
        spec.series.map((s) => s.label),
      );
      cards.push({ spec, chart });
      grid.append(chart.card);
      // One series per spec series: an empty result still holds its place (and its legend entry).
      chart.set(align(res.map((r) => (r.length > 0 ? r.slice(0, 1) : [{ metric: {}, values: [] }]))), [
        end - seconds,
        end,
      ]);
    });
    if (cores.length > 0) {
      const spec: ChartSpec = { key: 'cores', title: 'CPU per core (cores)', unit: 'cores', series: [] };
      cores.sort((a, b) => String(a.metric.cpu).localeCompare(String(b.metric.cpu)));
      const chart = chartCard(
        spec,
        cores.map((c) => c.metric.cpu ?? ''),
      );
      cards.push({ spec, chart });
      grid.append(chart.card);
      chart.set(align([cores]), [end - seconds, end]);
    }
    status.textContent = `History: last ${ranges.find((r) => r.seconds === seconds)?.key}, one point per ${step} s`;
  };

  const select = (key: string) => {
    mode = key;
    for (const b of switcher.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.value === key));
    clear();
    const r = ranges.find((x) => x.key === key);
    if (r === undefined || r.seconds === 0) drawLive();
    else
      showHistory(r.seconds).catch((err) => {
        if (!signal.aborted)
          status.textContent = `Cannot load the history: ${err instanceof Error ? err.message : err}`;
      });
  };
  switcher.append(
    ...ranges.map((r) =>
      h('button', { type: 'button', value: r.key, 'data-range': r.key, onclick: () => select(r.key) }, r.key),
    ),
  );
  select('live');

  getData<{ summary: LiveSummary | null; points: LivePoint[] }>(
    `/api/v1/live/containers${id === '/' ? '/' : id.split('/').map(encodeURIComponent).join('/')}`,
    {},
    signal,
  )
    .then((d) => {
      if (d.summary) {
        summary = d.summary;
        drawInfo(d.summary);
      }
      const after = live[0]?.t ?? Number.POSITIVE_INFINITY;
      live.unshift(...d.points.filter((p) => p.t < after));
      select(mode);
    })
    .catch((err) => {
      if (!signal.aborted) status.textContent = `No live data for ${id}: ${err instanceof Error ? err.message : err}`;
    });

  const stream = new EventSource('/api/v1/live/stream');
  stream.addEventListener('containers', (e) => {
    const s = (JSON.parse((e as MessageEvent<string>).data) as LiveSummary[]).find((c) => c.id === id);
    if (s === undefined) return;
    summary = s;
    drawInfo(s);
    const last = live[live.length - 1];
    if (last !== undefined && s.timestamp <= last.t) return;
    live.push({ ...s, t: s.timestamp });
    while (live.length > 0 && (live[0] as LivePoint).t < s.timestamp - liveSeconds * 1000) live.shift();
    drawLive();
  });
  signal.addEventListener('abort', () => stream.close());
}
