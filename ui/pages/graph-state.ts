/** The Graph page's state in the URL, Prometheus-style: `?g0.expr=up&g0.tab=graph&g0.range=1h&g0.end=&g0.step=`. */

export type Tab = 'table' | 'graph';

export interface PanelState {
  expr: string;
  tab: Tab;
  /** Range as a duration (`1h`, `30m`). */
  range: string;
  /** End of the range as an ISO time; '' means now. */
  end: string;
  /** Resolution as a duration; '' picks about 250 points. */
  step: string;
  stacked: boolean;
}

export const ranges = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '2d', '7d'];

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `1h30m` → 5_400_000; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+)(ms|s|m|h|d|w)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index !== consumed) return undefined;
    total += Number(m[1]) * (units[m[2] as string] as number);
    consumed = re.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

export function defaultPanel(expr = ''): PanelState {
  return { expr, tab: 'graph', range: '1h', end: '', step: '', stacked: false };
}

export function readPanels(search: string): PanelState[] {
  const params = new URLSearchParams(search);
  const panels: PanelState[] = [];
  for (let i = 0; params.has(`g${i}.expr`); i++) {
    const p = (k: string) => params.get(`g${i}.${k}`) ?? '';
    panels.push({
      expr: p('expr'),
      tab: p('tab') === 'table' ? 'table' : 'graph',
      range: parseDuration(p('range')) === undefined ? '1h' : p('range'),
      end: p('end'),
      step: parseDuration(p('step')) === undefined ? '' : p('step'),
      stacked: p('stacked') === '1',
    });
  }
  return panels.length > 0 ? panels : [defaultPanel()];
}

export function writePanels(panels: readonly PanelState[]): string {
  const params = new URLSearchParams();
  panels.forEach((p, i) => {
    params.set(`g${i}.expr`, p.expr);
    params.set(`g${i}.tab`, p.tab);
    params.set(`g${i}.range`, p.range);
    if (p.end !== '') params.set(`g${i}.end`, p.end);
    if (p.step !== '') params.set(`g${i}.step`, p.step);
    if (p.stacked) params.set(`g${i}.stacked`, '1');
  });
  return `?${params}`;
}
