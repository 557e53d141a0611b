/** Status: build and runtime information, the running configuration (secrets redacted by the server), flags, TSDB. */
import { getData } from '../api.ts';
import { formatValue, h } from '../dom.ts';

interface GatewayStatus {
  sites: {
    hosts: string[];
    waf: { enabled: boolean; mode: string; paranoiaLevel: number; ruleSet: 'crs' | 'baseline' };
  }[];
}

/** One line per gateway site: what inspects its traffic, and a warning where only the baseline does. */
function gatewaySites(g: GatewayStatus): HTMLElement {
  return h(
    'ul',
    {},
    g.sites.map((s) => {
      const name = s.hosts.join(', ');
      if (!s.waf.enabled) return h('li', {}, h('strong', {}, name), ' — web application firewall off');
      const how = `${s.waf.mode === 'blocking' ? 'blocking' : 'detection only'}, paranoia level ${s.waf.paranoiaLevel}`;
      return s.waf.ruleSet === 'crs'
        ? h('li', {}, h('strong', {}, name), ` — OWASP Core Rule Set, ${how}`)
        : h(
            'li',
            {},
            h('strong', {}, name),
            ` — vigil's baseline rules only, ${how}. `,
            h('span', { class: 'error', role: 'note' }, 'Full protection needs the Core Rule Set: set waf.crs_dir.'),
          );
    }),
  );
}

interface TsdbStat {
  name: string;
  value: number;
}
interface TsdbStatus {
  headStats: { numSeries: number; numLabelPairs: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: TsdbStat[];
  labelValueCountByLabelName: TsdbStat[];
  seriesCountByLabelValuePair: TsdbStat[];
}

function kv(data: Record<string, unknown>): HTMLElement {
  return h(
    'dl',
    { class: 'kv' },
    Object.entries(data).flatMap(([k, v]) => [
      h('dt', {}, k),
      h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v)),
    ]),
  );
}

function section(
  title: string,
  id: string,
  load: (signal: AbortSignal) => Promise<Node>,
  signal: AbortSignal,
): HTMLElement {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  load(signal)
    .then((n) => body.replaceChildren(n))
    .catch((err) => body.replaceChildren(h('p', { class: 'error', role: 'alert' }, String(err))));
  return h('section', { class: 'card', id }, h('h2', {}, title), body);
}

function statTable(title: string, stats: TsdbStat[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'muted' }, title),
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', { class: 'num' }, 'Count'))),
      h(
        'tbody',
        {},
        stats
          .slice(0, 10)
          .map((s) => h('tr', {}, h('td', { class: 'mono' }, s.name), h('td', { class: 'num' }, formatValue(s.value)))),
      ),
    ),
  );
}

export function mountStatus(root: HTMLElement, signal: AbortSignal): void {
  root.append(
    h('h1', {}, 'Status'),
    section(
      'Build information',
      'buildinfo',
      async (s) => kv(await getData('/api/v1/status/buildinfo', {}, s)),
      signal,
    ),
    section(
      'Runtime information',
      'runtimeinfo',
      async (s) => kv(await getData('/api/v1/status/runtimeinfo', {}, s)),
      signal,
    ),
    section(
      'TSDB',
      'tsdb',
      async (s) => {
        const t = await getData<TsdbStatus>('/api/v1/status/tsdb', {}, s);
        const range =
          t.headStats.minTime > 0
            ? `${new Date(t.headStats.minTime).toISOString()} – ${new Date(t.headStats.maxTime).toISOString()}`
            : '—';
        return h(
          'div',
          {},
          kv({
            'Head series': t.headStats.numSeries,
            'Label pairs': t.headStats.numLabelPairs,
            Chunks: t.headStats.chunkCount,
            'Head time range': range,
          }),
          statTable('Top 10 metric names by series count', t.seriesCountByMetricName),
          statTable('Top 10 label names by value count', t.labelValueCountByLabelName),
          statTable('Top 10 label pairs by series count', t.seriesCountByLabelValuePair),
        );
      },
      signal,
    ),
    section(
      'Configuration',
      'config',
      async (s) => h('pre', {}, (await getData<{ yaml: string }>('/api/v1/status/config', {}, s)).yaml),
      signal,
    ),
    section('Flags', 'flags', async (s) => kv(await getData('/api/v1/status/flags', {}, s)), signal),
  );
  // The gateway's section only when it runs.
  getData<GatewayStatus | null>('/api/v1/status/gateway', {}, signal)
    .then((g) => {
      if (g !== null && !signal.aborted) {
        root.append(h('section', { class: 'card', id: 'gateway' }, h('h2', {}, 'Gateway'), gatewaySites(g)));
      }
    })
    .catch(() => {
      // Older servers have no such endpoint; nothing to show.
    });
}
