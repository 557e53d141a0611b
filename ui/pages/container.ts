/**
 * The container page (`/containers/<cgroup path>`, `/containers/` for the host itself): live charts from the
 * collector's ring (`/api/v1/live/containers/<id>`, then each new point from the container's live stream), the
 * process table, and a switch to the history stored in the TSDB (`/api/v1/query_range` over the collector's
 * series).
 */
import { fetchJson, getData, type LivePoint, type LiveSummary } from '../api.ts';
import { formatBytes, h } from '../dom.ts';
import { alignSeries, type ChartCard, chartCard } from './container-chart.ts';
import { type ChartSpec, charts } from './container-charts.ts';
import { processCard } from './container-processes.ts';

interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

const ranges: { key: string; seconds: number }[] = [
  { key: 'live', seconds: 0 },
  { key: '1h', seconds: 3600 },
  { key: '6h', seconds: 6 * 3600 },
  { key: '24h', seconds: 24 * 3600 },
  { key: '7d', seconds: 7 * 24 * 3600 },
];

/** The live window: what the ring holds (5 minutes at 1 s). */
const liveSeconds = 300;

/** The cgroup path the page's URL names: `/containers/docker/abc` → `/docker/abc`, `/containers/` → `/`. */
export function containerId(pathname: string): string {
  const rest = pathname.replace(/^\/containers\/?/, '').replace(/\/+$/, '');
  return `/${rest.split('/').map(decodeURIComponent).join('/')}`.replace(/\/+$/, '') || '/';
}

/** A step that gives about 450 points over `seconds`, at least 1 s. */
export function stepFor(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 450));
}

export function mountContainer(root: HTMLElement, signal: AbortSignal): void {
  const id = containerId(location.pathname);
  const idPath = id === '/' ? '/' : id.split('/').map(encodeURIComponent).join('/');
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
    processCard(`/api/v1/live/processes${idPath}`, signal),
  );

  let mode = 'live';
  let summary: LiveSummary | null = null;
  /** The host's CPU count and memory (cAdvisor's machine document), for the host's page. */
  let machine: { num_cores?: number; memory_capacity?: number } | null = null;
  let cards: { spec: ChartSpec; chart: ChartCard }[] = [];
  const clear = () => {
    for (const c of cards) c.chart.destroy();
    cards = [];
    grid.replaceChildren();
  };
  signal.addEventListener('abort', clear);
  /** The card of `spec`, made (in the order of `charts`) on first use. */
  const cardOf = (spec: ChartSpec): ChartCard => {
    const found = cards.find((c) => c.spec === spec);
    if (found !== undefined) return found.chart;
    const chart = chartCard(spec.key, spec.title, spec.unit);
    cards.push({ spec, chart });
    cards.sort((a, b) => charts.indexOf(a.spec) - charts.indexOf(b.spec));
    grid.replaceChildren(...cards.map((c) => c.chart.card));
    return chart;
  };

  const drawInfo = (s: LiveSummary | null) => {
    if (s !== null) title.textContent = s.id === '/' ? 'Host' : s.name || s.id;
    const labels = Object.entries(s?.labels ?? {});
    const pair = (a: number | null | undefined, b: number | null | undefined) => `${a ?? '—'} / ${b ?? '—'}`;
    const rows: [string, string | HTMLElement[]][] = [
      ['Cgroup', id],
      ...(s?.image ? [['Image', s.image] as [string, string]] : []),
      ...(machine?.num_cores ? [['CPUs', String(machine.num_cores)] as [string, string]] : []),
      ['Processes / threads', pair(s?.processes, s?.threads)],
      ['File descriptors / sockets', pair(s?.fileDescriptors, s?.sockets)],
      [id === '/' ? 'Memory' : 'Memory limit', s?.memoryLimitBytes ? formatBytes(s.memoryLimitBytes) : 'none'],
      ...(labels.length > 0
        ? [['Labels', labels.map(([k, v]) => h('div', {}, `${k}=${v}`))] as [string, HTMLElement[]]]
        : []),
    ];
    info.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  };
  drawInfo(null);

  // Live: the ring once, then each new point from the stream, kept to the last five minutes.
  const live: LivePoint[] = [];
  const drawLive = () => {
    if (mode !== 'live') return;
    const last = live[live.length - 1];
    const times = live.map((p) => p.t / 1000);
    const range: [number, number] | undefined = last ? [last.t / 1000 - liveSeconds, last.t / 1000] : undefined;
    for (const spec of charts) {
      const series = spec.live(live, summary);
      const empty = !series.some((s) => s.values.some((v) => v !== null));
      if (spec.optional && empty && !cards.some((c) => c.spec === spec)) continue;
      cardOf(spec).set(times, series, range);
    }
    status.textContent = last ? `Live, updated ${new Date(last.t).toLocaleTimeString()}` : 'Live: waiting for data…';
  };
  const addPoints = (points: readonly LivePoint[]) => {
    for (const p of points) {
      const newest = live[live.length - 1];
      if (newest === undefined || p.t > newest.t) live.push(p);
      else if (!live.some((x) => x.t === p.t)) {
        live.push(p);
        live.sort((a, b) => a.t - b.t);
      }
    }
    const newest = live[live.length - 1];
    while (newest !== undefined && live.length > 0 && (live[0] as LivePoint).t < newest.t - liveSeconds * 1000)
      live.shift();
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
          query: expr.replaceAll('$sel', selector).replaceAll('$w', window),
          start: String(end - seconds),
          end: String(end),
          step: String(step),
        },
        signal,
      ).then((d) => d.result);
    status.textContent = 'Loading history…';
    const results = await Promise.all(charts.map((c) => Promise.all(c.history.map((hq) => q(hq.query)))));
    if (signal.aborted || mode === 'live') return;
    clear();
    charts.forEach((spec, i) => {
      const res = results[i] as MatrixSeries[][];
      if (spec.optional && res.every((r) => r.length === 0)) return;
      // A fixed label keeps its place (and its legend entry) even without data; a label per result is sorted.
      const series = spec.history.flatMap((hq, k) => {
        const r = res[k] as MatrixSeries[];
        if (typeof hq.label === 'string') return [{ label: hq.label, values: r[0]?.values ?? [] }];
        const label = hq.label;
        return r.map((m) => ({ label: label(m.metric), values: m.values }));
      });
      if (spec.history.some((hq) => typeof hq.label !== 'string'))
        series.sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
      const aligned = alignSeries(series);
      cardOf(spec).set(aligned.times, aligned.series, [end - seconds, end]);
    });
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

  if (id === '/')
    fetchJson<{ num_cores?: number; memory_capacity?: number }>('/api/v1.3/machine', { signal })
      .then((m) => {
        machine = m;
        drawInfo(summary);
      })
      .catch(() => {});

  let stream: EventSource | undefined;
  getData<{ summary: LiveSummary | null; points: LivePoint[] }>(`/api/v1/live/containers${idPath}`, {}, signal)
    .then((d) => {
      summary = d.summary;
      drawInfo(summary);
      addPoints(d.points);
      if (mode === 'live') drawLive();
      if (signal.aborted) return;
      // The container's stream: each event carries the points after the newest one sent (or asked for).
      const since = live[live.length - 1]?.t;
      const qs = new URLSearchParams({ container: id, ...(since === undefined ? {} : { since: String(since) }) });
      stream = new EventSource(`/api/v1/live/stream?${qs}`);
      stream.addEventListener('container', (e) => {
        const ev = JSON.parse((e as MessageEvent<string>).data) as { summary: LiveSummary | null; points: LivePoint[] };
        summary = ev.summary;
        drawInfo(summary);
        addPoints(ev.points);
        drawLive();
      });
    })
    .catch((err) => {
      if (!signal.aborted) status.textContent = `No live data for ${id}: ${err instanceof Error ? err.message : err}`;
    });
  signal.addEventListener('abort', () => stream?.close());
}
