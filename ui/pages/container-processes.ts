/**
 * The container page's process table: `/api/v1/live/processes/<id>` every 5 s (the next request 5 s after the
 * last answer), sortable by any column, scrolling sideways on a narrow screen.
 */
import { ApiError, getData, type ProcessList } from '../api.ts';
import { formatBytes, h } from '../dom.ts';
import { TableSort } from '../table-sort.ts';

const refreshMs = 5000;

type Row = ProcessList['processes'][number];

interface Column {
  key: string;
  title: string;
  num: boolean;
  value: (r: Row) => number | string;
  text: (r: Row) => string;
}

const columns: Column[] = [
  { key: 'pid', title: 'PID', num: true, value: (r) => r.pid, text: (r) => String(r.pid) },
  { key: 'user', title: 'User', num: false, value: (r) => r.user, text: (r) => r.user },
  {
    key: 'cpu',
    title: 'CPU %',
    num: true,
    value: (r) => r.cpuPercent ?? -1,
    text: (r) => (r.cpuPercent === null ? '—' : r.cpuPercent.toFixed(1)),
  },
  { key: 'rss', title: 'RSS', num: true, value: (r) => r.rssBytes, text: (r) => formatBytes(r.rssBytes) },
  { key: 'threads', title: 'Threads', num: true, value: (r) => r.threads, text: (r) => String(r.threads) },
  { key: 'state', title: 'State', num: false, value: (r) => r.state, text: (r) => r.state },
  { key: 'command', title: 'Command', num: false, value: (r) => r.command, text: (r) => r.command },
];

/** The card of container `id`'s process table; it refreshes until `signal` aborts. */
export function processCard(apiPath: string, signal: AbortSignal): HTMLElement {
  const status = h('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading the processes…');
  const wrap = h('div', { class: 'table-wrap' });
  const card = h('section', { class: 'card', id: 'process-table' }, h('h2', {}, 'Processes'), status, wrap);
  let list: ProcessList | null = null;
  const sorting = new TableSort(columns, 'cpu', 'psort', () => draw());

  const draw = () => {
    if (list === null) return;
    const rows = [...list.processes].sort((a, b) => sorting.compare(a, b) || a.pid - b.pid);
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.psort : undefined;
    wrap.replaceChildren(
      h(
        'table',
        { id: 'processes' },
        h('thead', {}, h('tr', {}, sorting.heads())),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              { 'data-pid': String(r.pid) },
              columns.map((c) =>
                h('td', { class: c.num ? 'num' : c.key === 'command' ? 'mono cmd' : 'mono' }, c.text(r)),
              ),
            ),
          ),
        ),
      ),
    );
    if (focused !== undefined) wrap.querySelector<HTMLElement>(`[data-psort="${focused}"]`)?.focus();
    const shown = list.truncated ? `the first ${list.processes.length} of ${list.total}` : String(list.total);
    status.textContent = `${shown} processes, CPU over ${(list.intervalMs / 1000).toFixed(1)} s, updated ${new Date(list.timestamp).toLocaleTimeString()}`;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    getData<ProcessList>(apiPath, {}, signal)
      .then((l) => {
        list = l;
        draw();
      })
      .catch((err) => {
        if (signal.aborted) return;
        status.textContent =
          err instanceof ApiError && err.status === 404
            ? 'No process table for this container.'
            : err instanceof ApiError && err.status === 403
              ? 'The process table is shown to admins only (command lines can hold secrets).'
              : `Cannot load the processes: ${err instanceof Error ? err.message : err}`;
      })
      .finally(() => {
        if (!signal.aborted) timer = setTimeout(refresh, refreshMs);
      });
  };
  refresh();
  signal.addEventListener('abort', () => clearTimeout(timer));
  return card;
}
