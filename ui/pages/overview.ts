/** Overview: the host at a glance (the root cgroup) and the containers, live from the collector's stream. */
import { getData, type LiveSummary } from '../api.ts';
import { formatBytes, h } from '../dom.ts';
import { sparkline } from '../sparkline.ts';
import { TableSort } from '../table-sort.ts';

/** How many updates (seconds) of CPU and memory each row's sparkline shows. */
const sparkPoints = 60;

type Column = {
  key: string;
  title: string;
  num: boolean;
  value: (c: LiveSummary) => number | string;
  text: (c: LiveSummary) => string;
  /** Which recent history the cell draws as a sparkline. */
  spark?: 'cpu' | 'mem';
};

const dash = '—';
const bytes = (n: number | null) => (n === null ? dash : formatBytes(n));
const rate = (n: number | null) => (n === null ? dash : `${formatBytes(n)}/s`);
const columns: Column[] = [
  { key: 'name', title: 'Name', num: false, value: (c) => c.name || c.id, text: (c) => c.name || c.id },
  { key: 'image', title: 'Image', num: false, value: (c) => c.image, text: (c) => c.image },
  {
    key: 'cpu',
    title: 'CPU (cores)',
    num: true,
    value: (c) => c.cpuCores ?? -1,
    text: (c) => (c.cpuCores === null ? dash : c.cpuCores.toFixed(3)),
    spark: 'cpu',
  },
  {
    key: 'mem',
    title: 'Memory',
    num: true,
    value: (c) => c.memoryUsageBytes ?? -1,
    text: (c) => bytes(c.memoryUsageBytes),
    spark: 'mem',
  },
  {
    key: 'ws',
    title: 'Working set',
    num: true,
    value: (c) => c.memoryWorkingSetBytes ?? -1,
    text: (c) => bytes(c.memoryWorkingSetBytes),
  },
  {
    key: 'rx',
    title: 'Net rx',
    num: true,
    value: (c) => c.networkRxBytesPerSecond ?? -1,
    text: (c) => rate(c.networkRxBytesPerSecond),
  },
  {
    key: 'tx',
    title: 'Net tx',
    num: true,
    value: (c) => c.networkTxBytesPerSecond ?? -1,
    text: (c) => rate(c.networkTxBytesPerSecond),
  },
];

function matches(c: LiveSummary, filter: string): boolean {
  if (filter === '') return true;
  const f = filter.toLowerCase();
  return [c.name, c.id, c.image, ...Object.entries(c.labels).map(([k, v]) => `${k}=${v}`)].some((s) =>
    s.toLowerCase().includes(f),
  );
}

/** The container page of cgroup `id`: `/containers/` for the host, `/containers/docker/<id>` for a container. */
export function containerHref(id: string): string {
  return `/containers${id === '/' ? '/' : id.split('/').map(encodeURIComponent).join('/')}`;
}

export function mountOverview(root: HTMLElement, signal: AbortSignal): void {
  const host = h(
    'section',
    { class: 'card', id: 'host' },
    h('h2', {}, 'Host'),
    h('p', { class: 'muted' }, 'Waiting for the collector…'),
  );
  const filter = h('input', {
    type: 'search',
    placeholder: 'Filter by name, image or label',
    'aria-label': 'Filter containers',
  });
  const table = h('div', { class: 'table-wrap' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  root.append(
    h('h1', {}, 'Overview'),
    host,
    h('section', { class: 'card' }, h('div', { class: 'row' }, h('h2', {}, 'Containers'), filter), table, status),
  );
  let rows: LiveSummary[] = [];
  /** Recent CPU and memory per container id, oldest first, for the sparklines. */
  const recent = new Map<string, { cpu: number[]; mem: number[]; seen: number }>();
  const remember = (data: LiveSummary[]) => {
    rows = data;
    for (const c of data) {
      const r = recent.get(c.id) ?? { cpu: [], mem: [], seen: 0 };
      if (c.timestamp === r.seen) continue;
      r.seen = c.timestamp;
      if (c.cpuCores !== null) r.cpu.push(c.cpuCores);
      if (c.memoryUsageBytes !== null) r.mem.push(c.memoryUsageBytes);
      if (r.cpu.length > sparkPoints) r.cpu.shift();
      if (r.mem.length > sparkPoints) r.mem.shift();
      recent.set(c.id, r);
    }
    const live = new Set(data.map((c) => c.id));
    for (const id of recent.keys()) if (!live.has(id)) recent.delete(id);
  };
  const sorting = new TableSort(columns, 'cpu', 'sort', () => draw());

  const draw = () => {
    const rootCg = rows.find((c) => c.id === '/');
    if (rootCg) {
      host.replaceChildren(
        h('h2', {}, h('a', { href: containerHref('/'), id: 'host-link' }, 'Host')),
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, 'CPU'),
          h('dd', {}, rootCg.cpuCores === null ? dash : `${rootCg.cpuCores.toFixed(2)} cores`),
          h('dt', {}, 'Memory'),
          h(
            'dd',
            {},
            `${bytes(rootCg.memoryUsageBytes)}${rootCg.memoryLimitBytes ? ` of ${bytes(rootCg.memoryLimitBytes)}` : ''}`,
          ),
          h('dt', {}, 'Network'),
          h('dd', {}, `rx ${rate(rootCg.networkRxBytesPerSecond)}, tx ${rate(rootCg.networkTxBytesPerSecond)}`),
          h('dt', {}, 'Processes'),
          h('dd', {}, rootCg.processes ?? dash),
        ),
      );
    }
    const shown = rows.filter((c) => c.id !== '/' && matches(c, filter.value)).sort((a, b) => sorting.compare(a, b));
    const head = sorting.heads();
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.sort : undefined;
    table.replaceChildren(
      h(
        'table',
        { id: 'containers' },
        h('thead', {}, h('tr', {}, head)),
        h(
          'tbody',
          {},
          shown.map((c) =>
            h(
              'tr',
              {},
              columns.map((col) => {
                const values = col.spark === undefined ? undefined : recent.get(c.id)?.[col.spark];
                return h(
                  'td',
                  { class: col.num ? 'num' : 'mono' },
                  values ? sparkline(values, `${col.title}, last ${values.length} s`) : null,
                  ' ',
                  col.key === 'name' ? h('a', { href: containerHref(c.id) }, col.text(c)) : col.text(c),
                );
              }),
            ),
          ),
        ),
      ),
    );
    if (focused !== undefined) table.querySelector<HTMLElement>(`[data-sort="${focused}"]`)?.focus();
    status.textContent = `${shown.length} containers${rows[0] ? `, updated ${new Date(rows[0].timestamp).toLocaleTimeString()}` : ''}`;
  };
  filter.addEventListener('input', draw);

  getData<LiveSummary[]>('/api/v1/live/containers', {}, signal)
    .then((data) => {
      remember(data);
      draw();
    })
    .catch((err) => {
      if (!signal.aborted)
        status.textContent = `The collector is not available: ${String(err instanceof Error ? err.message : err)}`;
    });
  const stream = new EventSource('/api/v1/live/stream');
  stream.addEventListener('containers', (e) => {
    remember(JSON.parse((e as MessageEvent<string>).data) as LiveSummary[]);
    draw();
  });
  signal.addEventListener('abort', () => stream.close());
}
