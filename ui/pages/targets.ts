/** Targets: the scrape targets grouped by job (scrape pool), with health, last scrape, duration, error and labels. */
import { getData } from '../api.ts';
import { ago, h } from '../dom.ts';

interface ActiveTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: 'up' | 'down' | 'unknown';
}

function pool(name: string, targets: ActiveTarget[]): HTMLElement {
  const up = targets.filter((t) => t.health === 'up').length;
  return h(
    'section',
    { class: 'card', 'data-job': name },
    h('h2', {}, `${name} `, h('span', { class: 'muted' }, `(${up}/${targets.length} up)`)),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Endpoint'),
            h('th', {}, 'State'),
            h('th', {}, 'Labels'),
            h('th', {}, 'Last scrape'),
            h('th', { class: 'num' }, 'Duration'),
            h('th', {}, 'Error'),
          ),
        ),
        h(
          'tbody',
          {},
          targets.map((t) =>
            h(
              'tr',
              {},
              h('td', { class: 'mono' }, t.scrapeUrl),
              h('td', {}, h('span', { class: `badge ${t.health}` }, t.health.toUpperCase())),
              h(
                'td',
                {},
                Object.entries(t.labels).map(([k, v]) => h('span', { class: 'label' }, `${k}="${v}"`)),
              ),
              h('td', { title: t.lastScrape }, ago(t.lastScrape)),
              h(
                'td',
                { class: 'num' },
                t.health === 'unknown' ? '—' : `${(t.lastScrapeDuration * 1000).toFixed(1)} ms`,
              ),
              h('td', { class: 'error' }, t.lastError),
            ),
          ),
        ),
      ),
    ),
  );
}

export function mountTargets(root: HTMLElement, signal: AbortSignal): void {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const onlyUnhealthy = h('input', { type: 'checkbox', id: 'unhealthy' });
  root.append(
    h(
      'div',
      { class: 'row' },
      h('h1', {}, 'Targets'),
      h('label', { for: 'unhealthy' }, onlyUnhealthy, ' Unhealthy only'),
    ),
    body,
  );
  let data: ActiveTarget[] = [];
  const draw = () => {
    const shown = onlyUnhealthy.checked ? data.filter((t) => t.health !== 'up') : data;
    const groups = new Map<string, ActiveTarget[]>();
    for (const t of shown) groups.set(t.scrapePool, [...(groups.get(t.scrapePool) ?? []), t]);
    body.replaceChildren(
      ...(groups.size === 0
        ? [h('p', { class: 'muted' }, 'No targets.')]
        : [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([n, ts]) => pool(n, ts))),
    );
  };
  onlyUnhealthy.addEventListener('change', draw);
  const load = async () => {
    try {
      data = (await getData<{ activeTargets: ActiveTarget[] }>('/api/v1/targets', { state: 'active' }, signal))
        .activeTargets;
      draw();
    } catch (err) {
      if (!signal.aborted) body.replaceChildren(h('p', { class: 'error', role: 'alert' }, String(err)));
    }
  };
  void load();
  const timer = setInterval(load, 10_000);
  signal.addEventListener('abort', () => clearInterval(timer));
}
